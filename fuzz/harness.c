/*
 * gotv fuzz harness (see harness.h). Library functions are referenced through
 * weak symbols: a stage whose entry point is not linked in is skipped, so the
 * same file builds while loader/, model/ and tui/ are still being written.
 * Link the library objects directly (or with --whole-archive) so that weak
 * references resolve to whatever exists.
 */
#include "fuzz/harness.h"

#include "loader/trace.h"
#include "loader/v1.h"
#include "loader/v2.h"
#include "model/model.h"
#include "tui/grid.h"
#include "tui/ui.h"
#include "tests/lib/uikeys.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* model/build.c: 1 = finish on one thread, 2 = always on two; model/open.c:
 * 1 = load and build on one thread, 2 = always the loader on a second one
 * (model_int.h) */
extern int model_build_threads;
extern int model_open_pipe;

/* ---- released memory made unreadable ------------------------------------
 * build.sh links with -Wl,--wrap=madvise: while g_poison is set, pages the
 * library gives back with MADV_DONTNEED are also made inaccessible, so a
 * read of the old-format loader's event array behind its release cursor
 * faults (a plain MADV_DONTNEED would read zeros). */
int __real_madvise(void *addr, size_t len, int advice);
int __wrap_madvise(void *addr, size_t len, int advice);
static int g_poison;
int __wrap_madvise(void *addr, size_t len, int advice)
{
    int r = __real_madvise(addr, len, advice);
    if (r == 0 && g_poison && advice == MADV_DONTNEED)
        (void)mprotect(addr, len, PROT_NONE);
    return r;
}

/* ---- weak references to everything the harness calls ------------------ */

#pragma weak tt_load
#pragma weak tt_load_file
#pragma weak tt_file_open
#pragma weak tt_file_close
#pragma weak tt_read_header
#pragma weak tt_status_str
#pragma weak tt_syms_new
#pragma weak tt_syms_free
#pragma weak tt_syms_str
#pragma weak tt_syms_nstrings
#pragma weak tt_syms_stack_frames
#pragma weak tt_syms_nstacks
#pragma weak tt_syms_bytes

#pragma weak model_open_mem
#pragma weak model_free
#pragma weak model_syms
#pragma weak model_str
#pragma weak model_get_info
#pragma weak model_lane_count
#pragma weak model_lane_nspans
#pragma weak model_lane_span
#pragma weak model_lane_span_after
#pragma weak model_lane_span_at
#pragma weak model_lane_columns
#pragma weak model_lane_columns_mg
#pragma weak model_lane_columns_at_mg
#pragma weak model_column_edges
#pragma weak model_goroutine_top_episodes
#pragma weak model_goroutine_get
#pragma weak model_goroutine_find
#pragma weak model_proc_id
#pragma weak model_thread_id
#pragma weak model_goroutine_stats
#pragma weak model_goroutine_episodes
#pragma weak model_goroutine_regions
#pragma weak model_goroutine_logs
#pragma weak model_tasks
#pragma weak model_regions_all
#pragma weak model_logs_all
#pragma weak model_region_lane
#pragma weak model_log_lane
#pragma weak model_task_ref_id
#pragma weak model_series_len
#pragma weak model_series_point
#pragma weak model_series_at
#pragma weak model_series_max
#pragma weak model_series_max_in
#pragma weak model_series_max_cols
#pragma weak model_search_goroutines
#pragma weak model_state_name
#pragma weak model_cat_name

#pragma weak ui_grid_init
#pragma weak ui_grid_free
#pragma weak ui_text_untrusted
#pragma weak ui_sanitize
#pragma weak ui_grid_to_text
#pragma weak ui_init
#pragma weak ui_free
#pragma weak ui_render
#pragma weak ui_dispatch
#pragma weak ui_resize
#pragma weak ui_key
#pragma weak ui_parse_view_opt
#pragma weak ui_apply_opts

/* Every event flag the contract defines. */
#define FZ_KNOWN_FLAGS_BASE (TT_EVF_SYNTH | TT_EVF_SNAPSHOT)
#ifdef TT_EVF_HAS_STACK
#define FZ_F1 TT_EVF_HAS_STACK
#else
#define FZ_F1 0
#endif
#ifdef TT_EVF_HAS_TSTACK
#define FZ_F2 TT_EVF_HAS_TSTACK
#else
#define FZ_F2 0
#endif
#define FZ_KNOWN_FLAGS (FZ_KNOWN_FLAGS_BASE | FZ_F1 | FZ_F2)

/* Limits that keep one execution fast on big inputs. */
#define FZ_MAX_LANES 512u    /* lanes queried per kind */
#define FZ_MAX_STRINGS 20000u
#define FZ_MAX_STACKS 20000u
#define FZ_COLS 200u

static const uint8_t *g_buf;
/* stage 1's outcome, compared with the model's (same bytes, same loader) */
static tt_load_result g_load_res;
static tt_err g_load_err;
static size_t g_len;

static void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz harness: invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (input %zu bytes)\n", g_len);
    va_end(ap);
    abort();
}

unsigned fz_stages(void)
{
    static int mask = -1;
    if (mask < 0) {
        const char *e = getenv("FZ_STAGES"); /* bit mask to turn stages off, e.g. 7 */
        mask = e ? (int)strtol(e, NULL, 0) & 15 : 15;
    }
    unsigned s = 0;
    if (tt_load && tt_syms_new && tt_syms_free)
        s |= 1;
    if (model_open_mem && model_free && model_get_info)
        s |= 2;
    if (ui_sanitize && ui_grid_init && ui_grid_free && ui_text_untrusted)
        s |= 4;
    if (ui_init && ui_free && ui_render && ui_dispatch)
        s |= 8;
    return s & (unsigned)mask;
}

/* ---- checks shared by stages --------------------------------------------- */

/* Error text must be NUL-terminated, non-empty, valid UTF-8 without controls
 * ("already safe to print"). */
static void check_msg(const char *what, const char *msg, size_t cap)
{
    size_t n = strnlen(msg, cap);
    if (n == cap)
        fz_fail("%s: message not NUL-terminated", what);
    if (n == 0)
        fz_fail("%s: empty message", what);
    const unsigned char *p = (const unsigned char *)msg;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7f)
            fz_fail("%s: control byte 0x%02x at %zu in message \"%s\"", what, c, i, msg);
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (k == 0 || i + k > n || c > 0xf4)
            fz_fail("%s: invalid UTF-8 at %zu in message", what, i);
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                fz_fail("%s: invalid UTF-8 at %zu in message", what, i);
        if (k == 2 && c == 0xc2 && p[i + 1] < 0xa0)
            fz_fail("%s: C1 control in message", what);
        i += k;
    }
}

static void check_err(const char *what, tt_status st, const tt_err *err)
{
    if ((unsigned)st > TT_ERR_STOPPED)
        fz_fail("%s: status %d out of range", what, (int)st);
    if (st == TT_OK)
        return;
    if (err->code != st)
        fz_fail("%s: returned %d but err.code is %d", what, (int)st, (int)err->code);
    if (err->offset > g_len)
        fz_fail("%s: error offset %llu beyond input length %zu (%s)", what,
                (unsigned long long)err->offset, g_len, err->msg);
    check_msg(what, err->msg, sizeof err->msg);
    if (tt_status_str && !tt_status_str(st))
        fz_fail("%s: tt_status_str(%d) is NULL", what, (int)st);
}

static void check_result(const char *what, const tt_load_result *res)
{
    if (res->valid_events > res->events)
        fz_fail("%s: valid_events %llu > events %llu", what,
                (unsigned long long)res->valid_events, (unsigned long long)res->events);
    if (res->valid_bytes > g_len)
        fz_fail("%s: valid_bytes %llu > input length", what, (unsigned long long)res->valid_bytes);
    if (res->truncated) {
        if (res->warn.code == TT_OK)
            fz_fail("%s: truncated but warn.code is TT_OK", what);
        if (res->warn.offset > g_len)
            fz_fail("%s: warn offset %llu beyond input length (%s)", what,
                    (unsigned long long)res->warn.offset, res->warn.msg);
        check_msg(what, res->warn.msg, sizeof res->warn.msg);
    }
}

static void check_syms(const tt_syms *s)
{
    if (!tt_syms_nstrings || !tt_syms_str)
        return;
    uint32_t ns = tt_syms_nstrings(s);
    for (uint32_t id = 0; id < ns && id < FZ_MAX_STRINGS; id++) {
        size_t len = 0;
        const char *p = tt_syms_str(s, id, &len);
        if (!p)
            fz_fail("tt_syms_str(%u) is NULL (nstrings %u)", id, ns);
        if (p[len] != 0)
            fz_fail("string %u is not NUL-terminated", id);
        if (id == 0 && len != 0)
            fz_fail("string 0 is not empty");
    }
    if (!tt_syms_nstacks || !tt_syms_stack_frames)
        return;
    uint32_t nk = tt_syms_nstacks(s);
    for (uint32_t id = 0; id < nk && id < FZ_MAX_STACKS; id++) {
        const tt_frame *fr = NULL;
        uint32_t n = tt_syms_stack_frames(s, id, &fr);
        if (id == 0 && n != 0)
            fz_fail("stack 0 has %u frames", n);
        if (n && !fr)
            fz_fail("stack %u: %u frames but NULL pointer", id, n);
        for (uint32_t i = 0; i < n; i++)
            if (fr[i].func >= ns || fr[i].file >= ns)
                fz_fail("stack %u frame %u: string id %u/%u >= nstrings %u", id, i, fr[i].func,
                        fr[i].file, ns);
    }
    if (tt_syms_bytes)
        (void)tt_syms_bytes(s);
}

/* ---- stage 1: the loader into a checking sink ------------------------------ */

typedef struct sink_ctx {
    const tt_syms *syms;
    int text_mode; /* loaded with TT_SINK_LOG_TEXT */
    int compare;   /* compare with want (else record into hash) */
    /* content of each event (fields, strings as bytes, stack frames): the
     * default load records it, the text load compares (ids differ) */
    uint64_t *hash;
    size_t nhash, caphash;
    const uint64_t *want;
    size_t nwant;
    uint64_t n;
    int64_t last_time;
    uint64_t last_done;
    int have_time;
} sink_ctx;

static uint64_t h_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 31);
}

static uint64_t h_bytes(uint64_t h, const char *p, size_t n)
{
    h = h_mix(h, n);
    for (size_t i = 0; i < n; i++)
        h = h_mix(h, (uint8_t)p[i]);
    return h;
}

static uint64_t h_str(uint64_t h, const tt_syms *s, uint32_t id)
{
    size_t l = 0;
    const char *p = tt_syms_str(s, id, &l);
    return h_bytes(h, p ? p : "", p ? l : 0);
}

static uint64_t h_stack(uint64_t h, const tt_syms *s, uint32_t id)
{
    const tt_frame *f = NULL;
    uint32_t n = tt_syms_stack_frames(s, id, &f);
    h = h_mix(h, n);
    for (uint32_t i = 0; i < n; i++) {
        h = h_mix(h_mix(h, f[i].pc), f[i].line);
        h = h_str(h_str(h, s, f[i].func), s, f[i].file);
    }
    return h;
}

/* The event's content, independent of string and stack ids. */
static uint64_t ev_hash(const sink_ctx *c, const tt_event *ev)
{
    uint64_t h = 1;
    const uint64_t f[] = {(uint64_t)ev->time, (uint64_t)ev->m, (uint64_t)ev->p, (uint64_t)ev->g,
                          (uint64_t)ev->id, ev->arg[0], ev->arg[1], ev->arg[2],
                          (uint64_t)ev->kind | (uint64_t)ev->type << 8 | (uint64_t)ev->res << 16 |
                              (uint64_t)ev->from << 24 | (uint64_t)ev->to << 32 |
                              (uint64_t)ev->nattr << 40 | (uint64_t)ev->flags << 48,
                          (uint64_t)ev->sync.trace, ev->sync.mono, (uint64_t)ev->sync.wall_sec,
                          (uint64_t)ev->sync.wall_nsec};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        h = h_mix(h, f[i]);
    h = h_str(h, c->syms, ev->name);
    if (ev->kind == TT_EV_LOG)
        h = h_bytes(h, ev->text, ev->ntext);
    else
        h = h_str(h, c->syms, ev->msg);
    return h_stack(h_stack(h, c->syms, ev->stack), c->syms, ev->tstack);
}

static void check_content(sink_ctx *c, const tt_event *ev)
{
    if (!tt_syms_str || !tt_syms_stack_frames)
        return;
    uint64_t h = ev_hash(c, ev);
    if (!c->compare) {
        if (c->nhash == c->caphash) {
            if (c->caphash >= ((size_t)1 << 24))
                return; /* 16 M events: enough */
            size_t nc = c->caphash ? 2 * c->caphash : 1024;
            uint64_t *p = realloc(c->hash, nc * sizeof *p);
            if (!p)
                return;
            c->hash = p;
            c->caphash = nc;
        }
        c->hash[c->nhash++] = h;
    } else if (c->n < c->nwant && c->want[c->n] != h) {
        fz_fail("event %llu (kind %u type %u): content differs %s", (unsigned long long)c->n,
                ev->kind, ev->type, c->text_mode ? "with TT_SINK_LOG_TEXT" : "from a file");
    }
}

static int on_event(void *vctx, const tt_event *ev)
{
    sink_ctx *c = vctx;
    if (ev->kind == TT_EV_BAD || ev->kind >= TT_EV__COUNT)
        fz_fail("event %llu: kind %u", (unsigned long long)c->n, ev->kind);
    if (c->n == 0 && (ev->kind != TT_EV_SYNC || ev->arg[0] != 1))
        fz_fail("first event is kind %u arg0 %llu, not Sync N=1", ev->kind,
                (unsigned long long)ev->arg[0]);
    if (c->have_time && ev->time <= c->last_time)
        fz_fail("event %llu (kind %u type %u): time %lld not after %lld", (unsigned long long)c->n,
                ev->kind, ev->type, (long long)ev->time, (long long)c->last_time);
    c->last_time = ev->time;
    c->have_time = 1;
    if (tt_syms_nstrings) {
        uint32_t ns = tt_syms_nstrings(c->syms);
        if (ev->name >= ns || ev->msg >= ns)
            fz_fail("event %llu (kind %u type %u): string id name=%u msg=%u >= nstrings %u",
                    (unsigned long long)c->n, ev->kind, ev->type, ev->name, ev->msg, ns);
    }
    if (tt_syms_nstacks) {
        uint32_t nk = tt_syms_nstacks(c->syms);
        if (ev->stack >= nk || ev->tstack >= nk)
            fz_fail("event %llu (kind %u type %u): stack id %u/%u >= nstacks %u",
                    (unsigned long long)c->n, ev->kind, ev->type, ev->stack, ev->tstack, nk);
    }
    if (ev->kind == TT_EV_STATE_TRANSITION) {
        if (ev->res == TT_RES_GOROUTINE) {
            if (ev->from > TT_GS_SYSCALL || ev->to > TT_GS_SYSCALL)
                fz_fail("goroutine transition %u -> %u", ev->from, ev->to);
        } else if (ev->res == TT_RES_PROC) {
            if (ev->from > TT_PS_IDLE || ev->to > TT_PS_IDLE)
                fz_fail("proc transition %u -> %u", ev->from, ev->to);
        } else {
            fz_fail("transition of resource kind %u", ev->res);
        }
    }
    if (ev->res > TT_RES_THREAD)
        fz_fail("event %llu: resource kind %u", (unsigned long long)c->n, ev->res);
    /* log messages: bytes during the call (NUL-terminated); with
     * TT_SINK_LOG_TEXT no id, else the id's string is the same text */
    if (ev->kind == TT_EV_LOG) {
        if (!ev->text || ev->text[ev->ntext] != 0)
            fz_fail("event %llu: log text missing or not NUL-terminated", (unsigned long long)c->n);
        if (c->text_mode && ev->msg)
            fz_fail("event %llu: log msg id %u with TT_SINK_LOG_TEXT", (unsigned long long)c->n,
                    ev->msg);
        if (!c->text_mode && tt_syms_str) {
            size_t l = 0;
            const char *p = tt_syms_str(c->syms, ev->msg, &l);
            if (l != ev->ntext || memcmp(p, ev->text, l) != 0)
                fz_fail("event %llu: log text is not string %u", (unsigned long long)c->n, ev->msg);
        }
    } else if (ev->text || ev->ntext) {
        fz_fail("event %llu (kind %u): text set", (unsigned long long)c->n, ev->kind);
    }
    if (ev->nattr > 3 && ev->kind != TT_EV_EXPERIMENTAL)
        fz_fail("event %llu: nattr %u", (unsigned long long)c->n, ev->nattr);
    if (ev->flags & ~(unsigned)FZ_KNOWN_FLAGS)
        fz_fail("event %llu: unknown flags 0x%x", (unsigned long long)c->n, ev->flags);
    check_content(c, ev);
    c->n++;
    return 0;
}

static void on_progress(void *vctx, uint64_t done, uint64_t total)
{
    sink_ctx *c = vctx;
    if (done > total || total > g_len)
        fz_fail("progress %llu of %llu (input %zu)", (unsigned long long)done,
                (unsigned long long)total, g_len);
    if (done < c->last_done)
        fz_fail("progress went back from %llu to %llu", (unsigned long long)c->last_done,
                (unsigned long long)done);
    c->last_done = done;
}

/* One tt_load of buf into a tt_syms of its own, through sink context c with
 * tt_sink.flags = flags: checks the error (what) and the strings. Returns the
 * status, -1 when there is no memory for the syms. */
static int load_once(const uint8_t *buf, size_t len, sink_ctx *c, unsigned flags,
                     const char *what, tt_load_result *res, tt_err *err)
{
    tt_syms *syms = tt_syms_new();
    if (!syms)
        return -1;
    c->syms = syms;
    tt_sink sink = {c, on_event, on_progress, flags};
    memset(res, 0, sizeof *res);
    memset(err, 0, sizeof *err);
    tt_status s = tt_load(buf, len, syms, &sink, res, err);
    check_err(what, s, err);
    check_syms(syms);
    tt_syms_free(syms);
    c->syms = NULL;
    return (int)s;
}

/* ---- stage 1b: the same bytes from a file (tt_load_file) ---------------------
 * The input is written to a temporary file (one per process, rewritten for
 * every input), opened with tt_file_open and loaded with tt_load_file: a
 * mapped Go 1.22+ trace is then read with pread ("file mode": batch headers
 * and tables through a small window, each cursor's batch into a buffer of
 * its own), an old-format one from the mapping with its consumed pages
 * released. The outcome must be tt_load's on the memory: the same events
 * (by content), status, error text and offset, result. The window's size
 * (tt_v2_scan_chunk) is picked from the input's length: the default, or 1..64
 * bytes so that every header and table straddles a refill (FZ_CHUNK=N forces
 * it). FZ_NO_FILE=1 skips the stage. */
static char g_tmp[64];
static void tmp_unlink(void)
{
    if (g_tmp[0])
        unlink(g_tmp);
}

static void stage_file(const uint8_t *buf, size_t len, const sink_ctx *ref, int s,
                       const tt_load_result *res, const tt_err *err)
{
    if (!tt_load_file || !tt_file_open || !tt_file_close || getenv("FZ_NO_FILE"))
        return;
    if (!g_tmp[0]) {
        const char *d = getenv("TMPDIR");
        snprintf(g_tmp, sizeof g_tmp, "%s/gotv-fz-XXXXXX", d && strlen(d) < 40 ? d : "/tmp");
        int fd = mkstemp(g_tmp);
        if (fd < 0) {
            g_tmp[0] = 0;
            return;
        }
        close(fd);
        atexit(tmp_unlink);
    }
    int fd = open(g_tmp, O_WRONLY | O_TRUNC);
    if (fd < 0)
        return;
    for (size_t off = 0; off < len;) {
        ssize_t k = write(fd, buf + off, len - off);
        if (k <= 0) {
            close(fd);
            return;
        }
        off += (size_t)k;
    }
    close(fd);
    tt_file f;
    tt_err ferr;
    memset(&ferr, 0, sizeof ferr);
    if (tt_file_open(g_tmp, &f, &ferr) != TT_OK)
        return;
    if (f.len != len)
        fz_fail("tt_file_open: %zu bytes, input %zu", f.len, len);
    sink_ctx c3;
    memset(&c3, 0, sizeof c3);
    c3.want = ref->hash;
    c3.nwant = ref->nhash;
    c3.compare = 1;
    tt_syms *syms = tt_syms_new();
    if (!syms) {
        tt_file_close(&f);
        return;
    }
    c3.syms = syms;
    tt_sink sink = {&c3, on_event, on_progress, 0};
    tt_load_result res3;
    tt_err err3;
    memset(&res3, 0, sizeof res3);
    memset(&err3, 0, sizeof err3);
    const char *fc = getenv("FZ_CHUNK");
    size_t chunk0 = tt_v2_scan_chunk;
    size_t pick = (len * 40503u >> 5) % 4;
    tt_v2_scan_chunk = fc ? (size_t)strtoul(fc, NULL, 0) : pick == 0 ? 1 + len % 64 : 0;
    tt_status s3 = tt_load_file(&f, syms, &sink, &res3, &err3);
    tt_v2_scan_chunk = chunk0;
    check_err("tt_load_file", s3, &err3);
    check_syms(syms);
    tt_syms_free(syms);
    tt_file_close(&f);
    if ((int)s3 != s || c3.n != ref->n)
        fz_fail("tt_load: status %d, %llu events; tt_load_file: status %d, %llu events (%s)", s,
                (unsigned long long)ref->n, (int)s3, (unsigned long long)c3.n, err3.msg);
    if (s != TT_OK && (err3.code != err->code || err3.offset != err->offset ||
                       strcmp(err3.msg, err->msg) != 0))
        fz_fail("tt_load: error '%s' at %llu; tt_load_file '%s' at %llu", err->msg,
                (unsigned long long)err->offset, err3.msg, (unsigned long long)err3.offset);
    if (s == TT_OK && (res3.truncated != res->truncated || res3.valid_events != res->valid_events ||
                       res3.valid_bytes != res->valid_bytes || res3.events != res->events ||
                       res3.generations != res->generations || res3.go_minor != res->go_minor ||
                       res3.warn.code != res->warn.code || res3.warn.offset != res->warn.offset ||
                       strcmp(res3.warn.msg, res->warn.msg) != 0))
        fz_fail("tt_load_file: result differs from tt_load's (truncated %d/%d, warn '%s' at %llu / "
                "'%s' at %llu)",
                res->truncated, res3.truncated, res->warn.msg, (unsigned long long)res->warn.offset,
                res3.warn.msg, (unsigned long long)res3.warn.offset);
}

static void stage_load(const uint8_t *buf, size_t len, fz_stats *st)
{
    if (tt_read_header) {
        int minor = -1;
        tt_err e;
        memset(&e, 0, sizeof e);
        tt_status hs = tt_read_header(buf, len, &minor, &e);
        check_err("tt_read_header", hs, &e);
    }
    sink_ctx c;
    memset(&c, 0, sizeof c);
    tt_load_result res;
    tt_err err;
    /* old-format traces: the first load keeps the parsed event array to the
     * end, the second (text) one gives it back a page at a time behind the
     * cursors (made unreadable, see __wrap_madvise): same events, same
     * outcome */
    size_t step0 = tt_v1_release_step;
    tt_v1_release_step = 0;
    int s = load_once(buf, len, &c, 0, "tt_load", &res, &err);
    tt_v1_release_step = step0;
    if (s < 0)
        return;
    if (s == TT_OK) {
        check_result("tt_load", &res);
        if (res.events != c.n)
            fz_fail("tt_load: res.events %llu but the sink saw %llu",
                    (unsigned long long)res.events, (unsigned long long)c.n);
    }
    st->loaded = 1;
    st->load_status = s;
    st->events = c.n;
    g_load_res = res;
    g_load_err = err;

    /* again with log messages as text (per-generation strings): the same
     * events (by content) and the same outcome */
    sink_ctx c2;
    memset(&c2, 0, sizeof c2);
    c2.text_mode = 1;
    c2.compare = 1;
    c2.want = c.hash;
    c2.nwant = c.nhash;
    tt_load_result res2;
    tt_err err2;
    long pg = sysconf(_SC_PAGESIZE);
    tt_v1_release_step = pg > 0 ? (size_t)pg : 4096;
    /* old-format traces: the second load also lowers the 12-byte record's
     * limits (tt_v1_test_wide: a subset of the TT_V1_WIDE_* flags picked by
     * the input's length, FZ_WIDE=N forces N), so that the wide records,
     * extension words and the general sort meet every input: the output
     * must not change. Half of the subsets have TT_V1_WIDE_NOFAST (32: the
     * general parse paths only), so the first load's fast path is compared
     * with the general one. */
    const char *fw = getenv("FZ_WIDE");
    tt_v1_test_wide = fw ? (unsigned)strtoul(fw, NULL, 0) : (unsigned)((len * 2654435761u) >> 7) & 63u;
    /* and, for 3 in 8 inputs (by another hash of the length; FZ_V1_THREADS=N
     * forces tt_v1_threads N), with the parse on a second thread beside the
     * merge and the second half of the framing scanned there (2), or that
     * thread pausing after every batch (3): inputs this small never take it
     * otherwise */
    const char *fv = getenv("FZ_V1_THREADS");
    unsigned lh = (unsigned)((len * 2246822519u) >> 11) & 7u;
    tt_v1_threads = fv ? atoi(fv) : lh < 2 ? 2 : lh == 2 ? 3 : 1;
    g_poison = !getenv("FZ_NO_POISON");
    int s2 = load_once(buf, len, &c2, TT_SINK_LOG_TEXT, "tt_load (text)", &res2, &err2);
    g_poison = 0;
    tt_v1_threads = 1;
    tt_v1_test_wide = 0;
    tt_v1_release_step = step0;
    if (s2 < 0) {
        free(c.hash);
        return;
    }
    if (s2 != s || c2.n != c.n)
        fz_fail("tt_load: status %d, %llu events; with TT_SINK_LOG_TEXT: status %d, %llu events",
                (int)s, (unsigned long long)c.n, (int)s2, (unsigned long long)c2.n);
    if (s != TT_OK && (err2.code != err.code || err2.offset != err.offset ||
                       strcmp(err2.msg, err.msg) != 0))
        fz_fail("tt_load: error '%s' at %llu; with TT_SINK_LOG_TEXT '%s' at %llu", err.msg,
                (unsigned long long)err.offset, err2.msg, (unsigned long long)err2.offset);
    if (s == TT_OK && (res2.truncated != res.truncated || res2.valid_events != res.valid_events ||
                       res2.warn.offset != res.warn.offset))
        fz_fail("tt_load: result differs with TT_SINK_LOG_TEXT");
    stage_file(buf, len, &c, s, &res, &err);
    free(c.hash);
}

/* ---- stage 2: the model ----------------------------------------------------- */

static uint32_t nstrings_of(const model *m)
{
    if (model_syms && tt_syms_nstrings)
        return tt_syms_nstrings(model_syms(m));
    return UINT32_MAX;
}

static void check_str(const model *m, uint32_t ns, uint32_t id, const char *what)
{
    if (id >= ns)
        fz_fail("model: %s string id %u >= nstrings %u", what, id, ns);
    if (model_str) {
        size_t len = 0;
        const char *p = model_str(m, id, &len);
        if (!p)
            fz_fail("model_str(%u) is NULL (%s)", id, what);
    }
}

/* model_lane_columns_mg gives model_lane_columns' states, and its leads
 * hold: a column whose edges move by da, db with 2 (|da| + |db|) < mg keeps
 * its state (model_lane_columns_at_mg on the moved edges). */
static void check_columns_mg(const model *m, model_lane_kind k, uint32_t idx, int64_t t0, double npc,
                             const uint8_t *ref)
{
    if (!model_lane_columns_mg || !model_lane_columns_at_mg || !model_column_edges)
        return;
    uint8_t out[FZ_COLS], mg[FZ_COLS], out2[FZ_COLS], mg2[FZ_COLS];
    int64_t e[FZ_COLS + 1], e2[FZ_COLS + 1];
    model_lane_columns_mg(m, k, idx, t0, npc, FZ_COLS, out, mg);
    if (memcmp(out, ref, FZ_COLS) != 0)
        fz_fail("model_lane_columns_mg lane %d/%u: states differ from model_lane_columns", (int)k, idx);
    model_column_edges(t0, npc, FZ_COLS, e);
    static const int shift[][2] = {{1, 1}, {-1, -1}, {1, 0}, {0, -1}, {3, -2}, {-20, 20}};
    for (size_t s = 0; s < sizeof shift / sizeof shift[0]; s++) {
        int ok = 1;
        for (uint32_t c = 0; c <= FZ_COLS && ok; c++) /* even edges move by da, odd ones by db */
            ok = !__builtin_add_overflow(e[c], (int64_t)shift[s][c & 1], &e2[c]);
        if (!ok)
            continue;
        model_lane_columns_at_mg(m, k, idx, e2, FZ_COLS, out2, mg2);
        for (uint32_t c = 0; c < FZ_COLS; c++) {
            if (out2[c] >= MS__COUNT)
                fz_fail("model_lane_columns_at_mg lane %d/%u col %u: state %u", (int)k, idx, c, out2[c]);
            /* the column's edges c, c + 1 moved by the shift of each */
            int64_t d = (int64_t)abs(shift[s][c & 1]) + abs(shift[s][(c + 1) & 1]);
            if (e[c] < e[c + 1] && e2[c] < e2[c + 1] && 2 * d < (int64_t)mg[c] && out2[c] != out[c])
                fz_fail("model_lane_columns_at_mg lane %d/%u col %u [%lld, %lld) -> [%lld, %lld): "
                        "state %u -> %u with lead %u", (int)k, idx, c, (long long)e[c],
                        (long long)e[c + 1], (long long)e2[c], (long long)e2[c + 1], out[c], out2[c],
                        mg[c]);
        }
    }
}

static void query_lane(const model *m, model_lane_kind k, uint32_t idx, const model_info *info,
                       uint8_t *out, fz_stats *st)
{
    if (model_lane_nspans && model_lane_span) {
        uint32_t n = model_lane_nspans(m, k, idx);
        model_span sp, prev, first, middle;
        memset(&prev, 0, sizeof prev);
        memset(&first, 0, sizeof first);
        memset(&middle, 0, sizeof middle);
        for (uint32_t i = 0; i < n; i++) {
            if (model_lane_span(m, k, idx, i, &sp) != &sp)
                fz_fail("lane %d/%u: span %u of %u does not decode", (int)k, idx, i, n);
            if (sp.end < sp.start)
                fz_fail("lane %d/%u span %u: end %lld < start %lld", (int)k, idx, i,
                        (long long)sp.end, (long long)sp.start);
            if (i && sp.start < prev.end)
                fz_fail("lane %d/%u span %u: starts at %lld before the previous end %lld",
                        (int)k, idx, i, (long long)sp.start, (long long)prev.end);
            if (sp.state >= MS__COUNT || sp.cat >= MC__COUNT)
                fz_fail("lane %d/%u span %u: state %u cat %u", (int)k, idx, i, sp.state,
                        sp.cat);
            if (i == 0)
                first = sp;
            if (i == n / 2)
                middle = sp;
            prev = sp;
        }
        if (model_lane_span(m, k, idx, n, &sp))
            fz_fail("lane %d/%u: span %u of %u decodes", (int)k, idx, n, n);
        if (model_lane_span_after && n) {
            int64_t probes[4] = {INT64_MIN, first.start, middle.end, INT64_MAX};
            for (int p = 0; p < 4; p++) {
                uint32_t r = model_lane_span_after(m, k, idx, probes[p]);
                if (r > n)
                    fz_fail("model_lane_span_after returned %u of %u", r, n);
                if (r < n && (!model_lane_span(m, k, idx, r, &sp) || sp.end <= probes[p]))
                    fz_fail("model_lane_span_after: span %u ends at %lld <= %lld", r,
                            (long long)sp.end, (long long)probes[p]);
                if (r > 0 && (!model_lane_span(m, k, idx, r - 1, &sp) || sp.end > probes[p]))
                    fz_fail("model_lane_span_after(%lld) = %u: span %u ends at %lld", (long long)probes[p],
                            r, r - 1, (long long)sp.end);
                if (model_lane_span_at) {
                    uint32_t a = model_lane_span_at(m, k, idx, probes[p]);
                    if (a != n && (a != r || !model_lane_span(m, k, idx, a, &sp) || sp.start > probes[p]))
                        fz_fail("model_lane_span_at(%lld) = %u of %u, span_after %u", (long long)probes[p],
                                a, n, r);
                    if (a == n && r < n && (!model_lane_span(m, k, idx, r, &sp) || sp.start <= probes[p]))
                        fz_fail("model_lane_span_at(%lld): none, but span %u [%lld, %lld) holds it",
                                (long long)probes[p], r, (long long)sp.start, (long long)sp.end);
                }
            }
        }
    }
    if (!model_lane_columns)
        return;
    double range = (double)info->t_end - (double)info->t_start;
    if (!(range > 0))
        range = 1;
    /* whole trace, 1/1000 of it, 1 ns per column, and a view starting before
     * the trace */
    struct { int64_t t0; double npc; } views[4] = {
        {info->t_start, range / FZ_COLS},
        {info->t_start + (int64_t)(range / 2), range / FZ_COLS / 1000},
        {info->t_start, 1.0},
        {info->t_start - (int64_t)(range / 2), range / FZ_COLS},
    };
    /* all four views on the first lanes, two (whole, zoomed) on the rest */
    int nviews = idx < 16 ? 4 : 2;
    for (int v = 0; v < nviews; v++) {
        double npc = views[v].npc;
        if (!(npc >= 1e-3))
            npc = 1e-3;
        memset(out, 0xee, FZ_COLS);
        model_lane_columns(m, k, idx, views[v].t0, npc, FZ_COLS, out);
        for (uint32_t c = 0; c < FZ_COLS; c++)
            if (out[c] >= MS__COUNT)
                fz_fail("model_lane_columns lane %d/%u view %d col %u: state %u", (int)k, idx, v,
                        c, out[c]);
        if (v < 2 || idx < 4)
            check_columns_mg(m, k, idx, views[v].t0, npc, out);
    }
    st->lanes++;
}

static int bad_cp(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp > 0x10ffff ||
           (cp >= 0xd800 && cp <= 0xdfff);
}

static void check_grid(const ui_grid *g, const char *when)
{
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++) {
            const ui_cell *cell = &g->cells[(size_t)r * (size_t)g->cols + (size_t)c];
            if (cell->width > 2)
                fz_fail("frame %s: cell %d,%d width %u", when, r, c, cell->width);
            if (cell->width && bad_cp(cell->cp))
                fz_fail("frame %s: cell %d,%d holds U+%04X (a control or bidi character reached "
                        "the grid)", when, r, c, cell->cp);
        }
}

/* Text typed into the search box and the ':' prompt, taken from the last
 * bytes of the input (so the fuzzer controls it): printable ASCII only. */
static size_t input_text(char *out, size_t cap, size_t skip)
{
    size_t n = 0;
    out[0] = 0;
    if (g_len <= skip)
        return 0;
    size_t take = g_len - skip;
    if (take > 24)
        take = 24;
    const uint8_t *p = g_buf + (g_len - skip - take);
    for (size_t i = 0; i < take && n + 1 < cap; i++)
        out[n++] = (char)(0x20 + p[i] % 0x5f);
    out[n] = 0;
    return n;
}


static void stage_render(model *m, fz_stats *st)
{
    ui_state *u = calloc(1, sizeof *u);
    if (!u)
        return;
    /* UTF-8 or ASCII-only drawing, chosen by the input length */
    if (ui_init(u, m, "fuzz.trace", 40, 120, (int)(g_len & 1) ^ 1) != 0) {
        free(u);
        return;
    }
    ui_render(u);
    check_grid(&u->grid, "first");
    static const enum ui_cmd seq[] = {
        CMD_ZOOM_IN,    CMD_NEXT_TRANS,  CMD_OPEN,      CMD_NEXT_BLOCK, CMD_JUMP_UNBLOCKER,
        CMD_JUMP_PARENT, CMD_CLOSE,      CMD_LANE_LAST, CMD_PAGE_UP,    CMD_CURSOR_RIGHT,
        CMD_NEXT_VIEW,  CMD_SORT,        CMD_OPEN,      CMD_NEXT_VIEW,  CMD_SORT_REVERSE,
        CMD_OPEN,       CMD_PREV_VIEW,   CMD_PREV_VIEW, CMD_FIT_ALL,    CMD_ZOOM_OUT,
        CMD_ZOOM_OUT,   CMD_SCROLL_LEFT, CMD_HELP,      CMD_PAGE_DOWN,  CMD_CLOSE,
        CMD_LANE_FIRST, CMD_OPEN,        CMD_FIT_SEL,   CMD_PREV_BLOCK, CMD_BACK,
    };
    /* every command is dispatched; a frame is drawn after every third one
     * (drawing dominates the cost of an execution) */
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        ui_dispatch(u, seq[i]);
        if (i % 3 == 2)
            ui_render(u);
    }
    check_grid(&u->grid, "after commands");
    if (ui_key) {
        char text[32], line[48];
        input_text(text, sizeof text, 0);
        uik_line(u, CMD_SEARCH, text);
        ui_dispatch(u, CMD_NEXT_MATCH);
        ui_render(u);
        static const char *const pre[] = {"t ", "g ", "", "goto "};
        snprintf(line, sizeof line, "%s%s", pre[g_len % 4], text);
        uik_line(u, CMD_PROMPT, line);
        uik_line(u, CMD_PROMPT, "t 1ms");
        uik_line(u, CMD_PROMPT, "g 1");
        ui_render(u);
        check_grid(&u->grid, "after search and prompt");
    }
    if (ui_parse_view_opt && ui_apply_opts) {
        /* snapshot/explorer options --at/--span/--goroutine with fuzzed text */
        char a[32], b[32], e[200];
        input_text(a, sizeof a, 24);
        input_text(b, sizeof b, 48);
        static const char *const names[] = {"--at", "--span", "--goroutine"};
        ui_view_opts o;
        memset(&o, 0, sizeof o);
        for (int i = 0; i < 3; i++) {
            char *argv[3] = {(char *)(uintptr_t)names[i], i == 1 ? b : a, NULL};
            (void)ui_parse_view_opt(&o, 2, argv, 0, e, sizeof e);
        }
        if (ui_apply_opts(u, &o, e, sizeof e) == 0) {
            ui_render(u);
            check_grid(&u->grid, "after --at/--span/--goroutine");
        }
    }
    if (ui_resize) {
        ui_resize(u, 5, 20);
        ui_render(u);
        check_grid(&u->grid, "20x5");
        ui_resize(u, 60, 240);
        ui_dispatch(u, CMD_OPEN);
        ui_render(u);
        check_grid(&u->grid, "240x60");
    }
    ui_free(u);
    free(u);
    st->frame = 1;
}

/* ---- the explorer's preview (tui/ui_load.c): a model of the first events ---
 * model_open_opts.max_events = k builds the model "as if the trace ended"
 * after k events (the preview of a big trace, also of a prefix of its
 * bytes). Where the preview and the full model must agree: its events are a
 * prefix of the full model's, and every span that ends before the preview's
 * last event time T (closed by an event, not by the cut) is the full model's
 * span of the same index on the same goroutine / P / M / GC lane, field for
 * field (strings and stacks compared by content: two symbol tables). */

static int same_str(const model *a, uint32_t x, const model *b, uint32_t y)
{
    if (!model_str)
        return x == y;
    size_t la = 0, lb = 0;
    const char *pa = model_str(a, x, &la), *pb = model_str(b, y, &lb);
    if (!pa || !pb)
        return pa == pb;
    return la == lb && memcmp(pa, pb, la) == 0;
}

static int same_stack(const model *a, uint32_t x, const model *b, uint32_t y)
{
    if (!model_syms || !tt_syms_stack_frames)
        return x == y;
    const tt_frame *fa = NULL, *fb = NULL;
    uint32_t na = tt_syms_stack_frames(model_syms(a), x, &fa);
    uint32_t nb = tt_syms_stack_frames(model_syms(b), y, &fb);
    if (na != nb)
        return 0;
    for (uint32_t i = 0; i < na; i++)
        if (fa[i].pc != fb[i].pc || fa[i].line != fb[i].line || !same_str(a, fa[i].func, b, fb[i].func) ||
            !same_str(a, fa[i].file, b, fb[i].file))
            return 0;
    return 1;
}

static uint32_t find_lane(const model *m, model_lane_kind k, int64_t id)
{
    if (k == ML_GOROUTINE)
        return model_goroutine_find ? model_goroutine_find(m, id) : UINT32_MAX;
    if (k == ML_GC)
        return 0;
    uint32_t n = model_lane_count(m, k);
    for (uint32_t i = 0; i < n; i++)
        if ((k == ML_PROC ? model_proc_id(m, i) : model_thread_id(m, i)) == id)
            return i;
    return UINT32_MAX;
}

static int64_t lane_id(const model *m, model_lane_kind k, uint32_t i)
{
    if (k == ML_GOROUTINE)
        return model_goroutine_get(m, i)->id;
    if (k == ML_PROC)
        return model_proc_id(m, i);
    if (k == ML_THREAD)
        return model_thread_id(m, i);
    return 0;
}

static void check_preview(const uint8_t *buf, size_t plen, uint64_t k, const model *full, const char *what)
{
    model_open_opts mo;
    memset(&mo, 0, sizeof mo);
    mo.max_events = k;
    model *pm = NULL;
    tt_load_result res;
    tt_err err;
    memset(&res, 0, sizeof res);
    memset(&err, 0, sizeof err);
    model_build_threads = 1; /* the full model may be built on two threads */
    model_open_pipe = 1;
    tt_status s = model_open_mem(buf, plen, &mo, &pm, &res, &err);
    model_build_threads = 0;
    model_open_pipe = 0;
    check_err("model_open_mem (preview)", s, &err);
    if (s != TT_OK) {
        if (pm)
            fz_fail("preview %s: failed but returned a model", what);
        /* the whole trace loads: its first k events (the same bytes) must too */
        if (plen == g_len && s != TT_ERR_NOMEM && s != TT_ERR_LIMIT)
            fz_fail("preview %s k=%llu: status %d (%s) but the full model loads", what, (unsigned long long)k,
                    (int)s, err.msg);
        return;
    }
    const model_info *pi = model_get_info(pm), *fi = model_get_info(full);
    if (pi->nevents > k || pi->nevents > fi->nevents)
        fz_fail("preview %s k=%llu: %llu events, full model %llu", what, (unsigned long long)k,
                (unsigned long long)pi->nevents, (unsigned long long)fi->nevents);
    if (plen == g_len && pi->nevents != (k < fi->nevents ? k : fi->nevents))
        fz_fail("preview %s k=%llu: %llu events of the full model's %llu", what, (unsigned long long)k,
                (unsigned long long)pi->nevents, (unsigned long long)fi->nevents);
    if (pi->nevents && pi->t_start != fi->t_start)
        fz_fail("preview %s k=%llu: t_start %lld, full %lld", what, (unsigned long long)k,
                (long long)pi->t_start, (long long)fi->t_start);
    if (pi->t_end > fi->t_end)
        fz_fail("preview %s k=%llu: t_end %lld after the full model's %lld", what, (unsigned long long)k,
                (long long)pi->t_end, (long long)fi->t_end);
    int64_t T = pi->t_end;
    static const model_lane_kind kinds[4] = {ML_GOROUTINE, ML_PROC, ML_THREAD, ML_GC};
    for (int ki = 0; ki < 4 && model_lane_count && model_lane_nspans && model_lane_span; ki++) {
        model_lane_kind kd = kinds[ki];
        if ((kd == ML_GOROUTINE && !(model_goroutine_get && model_goroutine_find)) ||
            (kd == ML_PROC && !model_proc_id) || (kd == ML_THREAD && !model_thread_id))
            continue;
        uint32_t n = model_lane_count(pm, kd);
        for (uint32_t i = 0; i < n && i < FZ_MAX_LANES; i++) {
            int64_t id = lane_id(pm, kd, i);
            uint32_t j = find_lane(full, kd, id);
            if (j == UINT32_MAX || j >= model_lane_count(full, kd))
                fz_fail("preview %s k=%llu: lane %d/%u (id %lld) is not in the full model", what,
                        (unsigned long long)k, (int)kd, i, (long long)id);
            if (kd == ML_GOROUTINE) {
                /* (parent and creation stack: a reused id takes its last
                 * creation's, which may come after the preview) */
                const model_goroutine *a = model_goroutine_get(pm, i), *b = model_goroutine_get(full, j);
                if (a->first != b->first)
                    fz_fail("preview %s k=%llu: goroutine %lld: first seen at %lld, full model %lld", what,
                            (unsigned long long)k, (long long)id, (long long)a->first, (long long)b->first);
            }
            uint32_t np = model_lane_nspans(pm, kd, i), nf = model_lane_nspans(full, kd, j);
            model_span a, b;
            for (uint32_t x = 0; x < np; x++) {
                if (!model_lane_span(pm, kd, i, x, &a))
                    fz_fail("preview %s: lane %d/%u span %u does not decode", what, (int)kd, i, x);
                if (a.end >= T)
                    break;
                if (x >= nf || !model_lane_span(full, kd, j, x, &b))
                    fz_fail("preview %s k=%llu: lane %d id %lld: span %u [%lld, %lld) ends before %lld, the "
                            "full model has %u spans", what, (unsigned long long)k, (int)kd, (long long)id, x,
                            (long long)a.start, (long long)a.end, (long long)T, nf);
                int same = a.start == b.start && a.end == b.end && a.state == b.state && a.cat == b.cat &&
                           a.flags == b.flags && same_stack(pm, a.stack, full, b.stack) &&
                           same_str(pm, a.reason, full, b.reason) &&
                           (kd == ML_GC ? same_str(pm, (uint32_t)a.other, full, (uint32_t)b.other)
                                        : a.other == b.other);
                if (!same)
                    fz_fail("preview %s k=%llu (T %lld): lane %d id %lld span %u: [%lld, %lld) state %u other %d "
                            "stack %u reason %u cat %u flags %u; full model: [%lld, %lld) state %u other %d "
                            "stack %u reason %u cat %u flags %u", what, (unsigned long long)k, (long long)T,
                            (int)kd, (long long)id, x, (long long)a.start, (long long)a.end, a.state, a.other,
                            a.stack, a.reason, a.cat, a.flags, (long long)b.start, (long long)b.end, b.state,
                            b.other, b.stack, b.reason, b.cat, b.flags);
            }
        }
    }
    model_free(pm);
}

static void stage_preview(const model *full)
{
    if (getenv("FZ_NO_PREVIEW"))
        return;
    const model_info *fi = model_get_info(full);
    uint64_t ne = fi->nevents;
    if (!ne)
        return;
    /* the cut: from the input's first bytes after the header (the fuzzer
     * moves it), and the events of half the trace */
    uint64_t h = g_len > 20 ? (uint64_t)g_buf[16] | (uint64_t)g_buf[17] << 8 | (uint64_t)g_buf[g_len - 1] << 16 : 7;
    uint64_t k = 1 + h % ne;
    check_preview(g_buf, g_len, k, full, "events");
    check_preview(g_buf, g_len, ne / 2 + 1, full, "half");
    /* a prefix of the bytes (as the explorer previews a big file), with a
     * cap on the events */
    size_t plen = 16 + (size_t)(h * 2654435761u % (g_len > 16 ? g_len - 16 : 1));
    /* Go 1.22-1.25 traces have no end-of-generation event: a prefix that
     * ends at a batch boundary holds a generation that looks complete but
     * is not (as in Go's reader; FINDINGS.md, session 8): prefixes of 1.26+ only,
     * FZ_PREVIEW_ALL=1 for every version */
    int minor = 0;
    if (!tt_read_header || tt_read_header(g_buf, g_len, &minor, NULL) != TT_OK ||
        (minor < 26 && !getenv("FZ_PREVIEW_ALL")))
        return;
    if (plen < g_len)
        check_preview(g_buf, plen, 1 + (h >> 3) % ne, full, "prefix");
}

/* Plot columns over many series blocks (model/series.c reads the end blocks
 * of a column only when they could raise its max): model_series_max_in
 * (with and without a sweep cursor) and model_series_max_cols against a
 * maximum computed from the points, for column grids from one point wide to
 * the whole series, zero-width columns and columns outside it. */
static int64_t sat_add(int64_t a, __int128 d)
{
    __int128 x = (__int128)a + d;
    return x > INT64_MAX ? INT64_MAX : x < INT64_MIN ? INT64_MIN : (int64_t)x;
}

static void check_series_cols(const model *m)
{
    if (!model_series_len || !model_series_point || !model_series_max_in || !model_series_max_cols)
        return;
    enum { NC = 240 };
    model_series_kind ks[MSER__COUNT];
    for (int k = 0; k < MSER__COUNT; k++)
        ks[k] = (model_series_kind)k;
    uint32_t np[MSER__COUNT];
    model_point *pts[MSER__COUNT];
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int k = 0; k < MSER__COUNT; k++) {
        np[k] = model_series_len(m, ks[k]);
        if (np[k] > 400000)
            np[k] = 0;
        pts[k] = malloc(((size_t)np[k] + 1) * sizeof *pts[k]);
        if (!pts[k])
            fz_fail("out of memory");
        for (uint32_t i = 0; i < np[k]; i++)
            pts[k][i] = model_series_point(m, ks[k], i);
        if (np[k]) {
            lo = pts[k][0].t < lo ? pts[k][0].t : lo;
            hi = pts[k][np[k] - 1].t > hi ? pts[k][np[k] - 1].t : hi;
        }
    }
    if (lo > hi) {
        for (int k = 0; k < MSER__COUNT; k++)
            free(pts[k]);
        return;
    }
    uint64_t h = g_len > 24 ? (uint64_t)g_buf[g_len - 2] << 8 | g_buf[20] : 3;
    int64_t e[NC + 1];
    uint64_t *got = malloc((size_t)MSER__COUNT * NC * sizeof *got);
    if (!got)
        fz_fail("out of memory");
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    for (int grid = 0; grid < 6; grid++) {
        /* 0: the whole series and a margin; 1: a tenth of it; 2: one point
         * or so per column from a point; 3: columns of 1 tick; 4: edges
         * from the input with repeats; 5: wide columns, many blocks each */
        uint64_t w;
        int64_t t0;
        switch (grid) {
        case 0: w = span / (NC - 20) + 1; t0 = sat_add(lo, -(__int128)10 * w); break;
        case 1: w = span / 10 / NC + 1; t0 = lo + (int64_t)(span / 100 * (h % 90)); break;
        case 2: w = span / (np[0] + np[3] + 2) + 1; t0 = lo + (int64_t)(span / 2); break;
        case 3: w = 1; t0 = lo + (int64_t)(h % (span + 1)); break;
        case 4: w = 0; t0 = lo - 1; break;
        default: w = span / 7 + 1; t0 = sat_add(lo, -(__int128)(span / 3)); break;
        }
        e[0] = t0;
        for (int c = 1; c <= NC; c++) {
            uint64_t step = w;
            if (grid == 4) {
                uint8_t x = g_buf[(size_t)c * 7 % g_len];
                step = x < 64 ? 0 : (x < 200 ? x : span / 16 + 1);
            }
            e[c] = sat_add(e[c - 1], step);
        }
        model_series_max_cols(m, ks, MSER__COUNT, e, NC, got);
        for (int k = 0; k < MSER__COUNT; k++) {
            if (!np[k])
                continue;
            model_series_cursor cur;
            memset(&cur, 0, sizeof cur);
            uint32_t i = 0; /* first point after a */
            for (int c = 0; c < NC; c++) {
                int64_t a = e[c], b = e[c + 1];
                while (i < np[k] && pts[k][i].t <= a)
                    i++;
                uint64_t want = i ? pts[k][i - 1].v : 0;
                for (uint32_t j = i; j < np[k] && pts[k][j].t < b; j++)
                    want = pts[k][j].v > want ? pts[k][j].v : want;
                uint64_t v1 = model_series_max_in(m, ks[k], a, b, &cur);
                uint64_t v2 = model_series_max_in(m, ks[k], a, b, NULL);
                if (v1 != want || v2 != want || got[(size_t)k * NC + c] != want)
                    fz_fail("series %d grid %d column %d [%lld, %lld): max %llu, with a cursor %llu, "
                            "max_cols %llu, from the %u points %llu",
                            k, grid, c, (long long)a, (long long)b, (unsigned long long)v2,
                            (unsigned long long)v1, (unsigned long long)got[(size_t)k * NC + c], np[k],
                            (unsigned long long)want);
            }
        }
    }
    free(got);
    for (int k = 0; k < MSER__COUNT; k++)
        free(pts[k]);
}

static void stage_model(const uint8_t *buf, size_t len, fz_stats *st)
{
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    memset(&res, 0, sizeof res);
    memset(&err, 0, sizeof err);
    /* by the length, whatever the size: the loader on a second thread
     * (model_open_pipe) for 3 in 8 inputs, the finish's side thread for 2
     * in 8, both for 1 of them (FZ_THREADS, FZ_PIPE = 1 or 2: for all).
     * libFuzzer counts another thread's mallocs as unmatched and runs such
     * an input twice, the second time looking for leaks: half the inputs
     * stay on one thread. */
    const char *th = getenv("FZ_THREADS"), *pp = getenv("FZ_PIPE");
    model_build_threads = th ? atoi(th) : len % 8 == 0 || len % 8 == 3 ? 2 : 1;
    model_open_pipe = pp ? atoi(pp) : len % 8 <= 2 ? 2 : 1;
    tt_status s = model_open_mem(buf, len, NULL, &m, &res, &err);
    model_build_threads = 0;
    model_open_pipe = 0;
    check_err("model_open_mem", s, &err);
    st->modeled = 1;
    st->model_status = (int)s;
    if (st->loaded && s != TT_ERR_NOMEM && s != TT_ERR_LIMIT) {
        /* the model loads the same bytes with the same loader: same outcome */
        if ((int)s != st->load_status)
            fz_fail("tt_load returned %d (%s) but model_open_mem %d (%s)", st->load_status,
                    g_load_err.msg, (int)s, err.msg);
        if (s != TT_OK && (err.offset != g_load_err.offset || strcmp(err.msg, g_load_err.msg)))
            fz_fail("same error expected: tt_load \"%s\" at %llu, model \"%s\" at %llu",
                    g_load_err.msg, (unsigned long long)g_load_err.offset, err.msg,
                    (unsigned long long)err.offset);
        if (s == TT_OK && (res.truncated != g_load_res.truncated ||
                           res.valid_events != g_load_res.valid_events))
            fz_fail("load results differ: truncated %d/%d valid_events %llu/%llu",
                    g_load_res.truncated, res.truncated,
                    (unsigned long long)g_load_res.valid_events,
                    (unsigned long long)res.valid_events);
    }
    if (s != TT_OK) {
        if (m)
            fz_fail("model_open_mem failed but returned a model");
        return;
    }
    if (!m)
        fz_fail("model_open_mem returned TT_OK and no model");
    check_result("model_open_mem", &res);
    const model_info *info = model_get_info(m);
    if (!info)
        fz_fail("model_get_info is NULL");
    if (info->t_end < info->t_start)
        fz_fail("model: t_end %lld < t_start %lld", (long long)info->t_end,
                (long long)info->t_start);
    if (st->loaded) {
        uint64_t want = g_load_res.truncated ? g_load_res.valid_events : g_load_res.events;
        if (info->nevents != want)
            fz_fail("model has %llu events, the loader delivered %llu (truncated %d, valid %llu)",
                    (unsigned long long)info->nevents, (unsigned long long)g_load_res.events,
                    g_load_res.truncated, (unsigned long long)g_load_res.valid_events);
    }
    uint32_t ns = nstrings_of(m);
    uint8_t out[FZ_COLS];

    static const model_lane_kind kinds[4] = {ML_GOROUTINE, ML_PROC, ML_THREAD, ML_GC};
    for (int ki = 0; ki < 4; ki++) {
        if (!model_lane_count)
            break;
        uint32_t n = model_lane_count(m, kinds[ki]);
        for (uint32_t i = 0; i < n && i < FZ_MAX_LANES; i++)
            query_lane(m, kinds[ki], i, info, out, st);
        /* out of range lane indexes must not crash either? Not part of the
         * contract; not probed. */
        for (uint32_t i = 0; i < n && i < FZ_MAX_LANES; i++) {
            if (kinds[ki] == ML_PROC && model_proc_id)
                (void)model_proc_id(m, i);
            if (kinds[ki] == ML_THREAD && model_thread_id)
                (void)model_thread_id(m, i);
        }
    }

    uint32_t ng = model_lane_count ? model_lane_count(m, ML_GOROUTINE) : 0;
    for (uint32_t i = 0; i < ng && i < FZ_MAX_LANES; i++) {
        if (model_goroutine_get) {
            const model_goroutine *g = model_goroutine_get(m, i);
            if (!g)
                fz_fail("model_goroutine_get(%u) is NULL (count %u)", i, ng);
            check_str(m, ns, g->func, "goroutine func");
            check_str(m, ns, g->label, "goroutine label");
            if (model_goroutine_find) {
                uint32_t j = model_goroutine_find(m, g->id);
                if (j != i)
                    fz_fail("model_goroutine_find(%lld) = %u, lane is %u", (long long)g->id, j, i);
            }
        }
        if (model_goroutine_stats) {
            model_gstats gsb;
            const model_gstats *gs = model_goroutine_stats(m, i, &gsb);
            if (gs) {
                if (gs->nreasons && (!gs->reason || !gs->reason_ns))
                    fz_fail("goroutine %u: %u reasons, NULL arrays", i, gs->nreasons);
                for (uint32_t r = 0; r < gs->nreasons; r++)
                    check_str(m, ns, gs->reason[r], "block reason");
            }
        }
        if (model_goroutine_episodes && model_lane_nspans) {
            const model_episode *eps = NULL;
            uint32_t nsp = model_lane_nspans(m, ML_GOROUTINE, i);
            uint32_t ne = model_goroutine_episodes(m, i, &eps);
            for (uint32_t e = 0; e < ne; e++)
                if (eps[e].span >= nsp)
                    fz_fail("goroutine %u episode %u: span %u >= %u", i, e, eps[e].span, nsp);
            if (model_goroutine_top_episodes && i < 64) {
                /* the top k are the first k of the full order */
                static const uint32_t ks[] = {1, 2, 31, 33, 1025, UINT32_MAX};
                for (size_t q = 0; q < sizeof ks / sizeof ks[0]; q++) {
                    const model_episode *top = NULL;
                    uint32_t total = UINT32_MAX;
                    uint32_t nt = model_goroutine_top_episodes(m, i, ks[q], &top, &total);
                    uint32_t want = ne < ks[q] ? ne : ks[q];
                    if (total != ne || nt != want)
                        fz_fail("goroutine %u top_episodes(%u): %u of %u, want %u of %u", i, ks[q], nt,
                                total, want, ne);
                    for (uint32_t e = 0; e < nt; e++)
                        if (top[e].span != eps[e].span)
                            fz_fail("goroutine %u top_episodes(%u)[%u]: span %u, episodes gives %u", i,
                                    ks[q], e, top[e].span, eps[e].span);
                }
            }
        }
        if (model_goroutine_regions) {
            const model_region *r = NULL;
            uint32_t nr = model_goroutine_regions(m, i, &r);
            for (uint32_t j = 0; j < nr; j++) {
                check_str(m, ns, r[j].name, "region name");
                if (j && r[j].start < r[j - 1].start)
                    fz_fail("goroutine %u regions not sorted at %u", i, j);
            }
        }
        if (model_goroutine_logs) {
            const model_log *l = NULL;
            uint32_t nl = model_goroutine_logs(m, i, &l);
            for (uint32_t j = 0; j < nl; j++) {
                check_str(m, ns, l[j].category, "log category");
                check_str(m, ns, l[j].message, "log message");
            }
        }
    }
    if (model_goroutine_find)
        (void)model_goroutine_find(m, -12345);
    if (model_tasks) {
        const model_task *t = NULL;
        uint32_t n = model_tasks(m, &t);
        for (uint32_t i = 0; i < n; i++)
            check_str(m, ns, t[i].name, "task name");
    }
    if (model_regions_all) {
        const model_region *r = NULL;
        uint32_t n = model_regions_all(m, &r);
        for (uint32_t i = 0; i < n; i++) {
            check_str(m, ns, r[i].name, "region name");
            if (model_task_ref_id)
                (void)model_task_ref_id(m, r[i].task_ref);
            uint32_t lane = model_region_lane ? model_region_lane(m, i) : UINT32_MAX;
            const model_region *g = NULL;
            if (lane != UINT32_MAX && model_goroutine_regions) {
                uint32_t gn = model_goroutine_regions(m, lane, &g);
                if (!g || &r[i] < g || &r[i] >= g + gn)
                    fz_fail("region %u: not among the regions of its lane %u", i, lane);
            }
        }
    }
    if (model_logs_all) {
        const model_log *l = NULL;
        uint32_t n = model_logs_all(m, &l);
        for (uint32_t i = 0; i < n; i++) {
            check_str(m, ns, l[i].message, "log message");
            uint32_t lane = model_log_lane ? model_log_lane(m, i) : UINT32_MAX;
            const model_log *g = NULL;
            if (lane != UINT32_MAX && model_goroutine_logs) {
                uint32_t gn = model_goroutine_logs(m, lane, &g);
                if (!g || &l[i] < g || &l[i] >= g + gn)
                    fz_fail("log %u: not among the logs of its lane %u", i, lane);
            }
        }
    }
    if (model_series_len && model_series_point && model_series_at && model_series_max &&
        model_series_max_in) {
        for (int k = 0; k < MSER__COUNT; k++) {
            model_series_kind sk = (model_series_kind)k;
            uint32_t n = model_series_len(m, sk);
            uint64_t mx = model_series_max(m, sk), seen = 0;
            model_series_cursor cur = {0};
            model_point prev = {0, 0};
            for (uint32_t i = 0; i < n && i < 2048; i++) {
                model_point pt = model_series_point(m, sk, i);
                if (i && pt.t <= prev.t)
                    fz_fail("series %d: point %u at %lld after %lld", k, i, (long long)pt.t,
                            (long long)prev.t);
                if (model_series_at(m, sk, pt.t) != pt.v)
                    fz_fail("series %d: value at point %u's time is not its value", k, i);
                if (i && model_series_max_in(m, sk, prev.t, pt.t, &cur) != prev.v)
                    fz_fail("series %d: max over [point %u, point %u) is not point %u's value", k, i - 1, i,
                            i - 1);
                if (pt.v > mx)
                    fz_fail("series %d: point %u above the maximum", k, i);
                seen = pt.v > seen ? pt.v : seen;
                prev = pt;
            }
            if (n <= 2048 && seen != mx)
                fz_fail("series %d: maximum %llu, points' %llu", k, (unsigned long long)mx,
                        (unsigned long long)seen);
        }
    }
    check_series_cols(m);
    if (model_search_goroutines) {
        uint32_t hits[64];
        static const char *const q[] = {"1", "main", "", "runtime.", "\xff"};
        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
            uint32_t n = model_search_goroutines(m, q[i], hits, 64);
            for (uint32_t j = 0; j < n && j < 64; j++)
                if (hits[j] >= ng)
                    fz_fail("search \"%s\": lane %u >= %u", q[i], hits[j], ng);
        }
    }
    if (model_state_name)
        for (int i = 0; i < MS__COUNT; i++)
            if (!model_state_name((model_state)i))
                fz_fail("model_state_name(%d) NULL", i);

    /* stage 3a: every string of the trace through the untrusted-text path */
    if ((fz_stages() & 4) && model_syms && tt_syms_nstrings && tt_syms_str) {
        const tt_syms *sy = model_syms(m);
        ui_grid g;
        if (ui_grid_init(&g, 3, 60) == 0) {
            char tmp[512];
            uint32_t n = tt_syms_nstrings(sy);
            for (uint32_t id = 0; id < n && id < FZ_MAX_STRINGS; id++) {
                size_t l = 0;
                const char *p = tt_syms_str(sy, id, &l);
                size_t w = ui_sanitize(p, l, (int)(id & 1), tmp, sizeof tmp);
                if (w >= sizeof tmp || tmp[w] != 0)
                    fz_fail("ui_sanitize wrote %zu of %zu", w, sizeof tmp);
                for (size_t i = 0; i < w; i++)
                    if ((unsigned char)tmp[i] < 0x20 || tmp[i] == 0x7f)
                        fz_fail("ui_sanitize left control byte 0x%02x", (unsigned char)tmp[i]);
                ui_text_untrusted(&g, (int)(id % 3), (int)(id % 7), 50, p, l, 0);
            }
            if (ui_grid_to_text) {
                char *t = ui_grid_to_text(&g);
                free(t);
            }
            ui_grid_free(&g);
            st->rendered = 1;
        }
    }
    /* stage 3b: explorer frames (tui/ui.h: ui_init + ui_render into its
     * grid, as `gotv snapshot` does), then a few commands each followed by a
     * redraw, and two resizes */
    /* stage 2b: preview models (first k events; a prefix) against this one */
    stage_preview(m);
    if (fz_stages() & 8)
        stage_render(m, st);

    model_free(m);
}

int fz_one(const uint8_t *buf, size_t len, fz_stats *st)
{
    fz_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    g_buf = buf;
    g_len = len;
    unsigned stages = fz_stages();
    if (stages & 1)
        stage_load(buf, len, st);
    if (stages & 2)
        stage_model(buf, len, st);
    (void)g_buf;
    return 0;
}

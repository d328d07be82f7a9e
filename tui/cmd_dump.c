/*
 * gotv dump FILE: print the ordered events exactly as `go tool trace -d=parsed`
 * (Go's Event.String() plus a newline per event). With TZ=UTC the output is
 * byte-identical to Go's.
 *
 * Hidden option: `gotv dump --count FILE` loads the trace and prints only the
 * number of events (for benchmarks of the loader alone).
 *
 * `gotv dump --spans FILE` builds the model and prints every span of every
 * lane instead, one line each, lanes in model order (goroutines by id, then
 * Ps, Ms, the GC lane): kind (G, P, M, GC), lane id (goroutine, P or M id; 0
 * for GC), start, end (ns), the state name as one word (syscall_blocked),
 * then the raw cat, flags, stack, reason and other numbers: ten fields of one
 * word each. For checking the model's span storage (compare two builds'
 * outputs) and for scripts.
 *
 * Broken or truncated traces. Go's -d=parsed prints events as it reads them
 * and stops with an error (exit status 1) at the first problem, so its output
 * ends with whatever part of the broken generation was ordered before the
 * problem showed up. gotv instead treats each generation as a unit: when at
 * least one generation was read completely, it prints the events up to and
 * including the last Sync event (the complete generations, plus the Sync Go
 * emits right before a generation-level error), then warns on stderr
 *   gotv: FILE: trace truncated at byte N; lost X% of the data
 * and exits 0. Our output is therefore always a prefix of Go's output. If not
 * a single generation is usable, it reports the error and exits 1.
 *
 * Output is buffered. When stdout is a pipe or a terminal, the text of the
 * generation being printed is held back until its end is known to be good
 * (in memory, spilling to an unlinked temporary file beyond 32 MiB); a regular
 * file is written directly and cut back on a truncated trace; /dev/null is
 * written directly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "loader/quote.h"
#include "loader/trace.h"
#include "model/model.h"
#include "tui/commands.h"

#define OBUF_SIZE (1u << 20)
#define PEND_MEM_MAX (32u << 20)

typedef struct dumper {
    const tt_syms *syms;
    char *buf; /* formatting buffer */
    size_t n;
    int direct;        /* write straight to stdout */
    int regular;       /* stdout is a regular file (direct mode): truncate on error */
    off_t base_off;    /* stdout offset at start (regular files) */
    uint64_t written;  /* bytes handed to stdout */
    uint64_t good;     /* bytes of output up to and including the last Sync */
    char *pend;        /* buffered mode: text after the last Sync */
    size_t npend, cappend;
    FILE *spill;       /* buffered mode: overflow of pend */
    int io_error;
    int epipe;
    /* formatted frames of each stack, built on first use (stacks repeat a lot) */
    uint64_t *stk_off; /* by stack id: offset+1 into stk_text, 0 = not built */
    uint32_t *stk_len;
    size_t nstk;
    char *stk_text;
    size_t ntext, captext;
} dumper;

/* ---- raw output ------------------------------------------------------------ */

static void write_all(dumper *d, const char *p, size_t n)
{
    while (n && !d->io_error) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EPIPE)
                d->epipe = 1;
            d->io_error = errno ? errno : EIO;
            return;
        }
        p += w;
        n -= (size_t)w;
        d->written += (uint64_t)w;
    }
}

static void flush_spill(dumper *d)
{
    if (!d->spill)
        return;
    fflush(d->spill);
    rewind(d->spill);
    char tmp[1 << 16];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, d->spill)) > 0)
        write_all(d, tmp, k);
    rewind(d->spill);
    if (ftruncate(fileno(d->spill), 0) != 0)
        d->io_error = errno;
}

/* Move the formatting buffer to its destination. */
static void out_flush(dumper *d)
{
    if (d->n == 0)
        return;
    if (d->direct) {
        write_all(d, d->buf, d->n);
    } else {
        if (d->npend + d->n > d->cappend) {
            if (d->npend + d->n > PEND_MEM_MAX) {
                if (!d->spill && !(d->spill = tmpfile())) {
                    d->io_error = errno ? errno : EIO;
                    d->n = 0;
                    return;
                }
                if (fwrite(d->pend, 1, d->npend, d->spill) != d->npend)
                    d->io_error = errno ? errno : EIO;
                d->npend = 0;
            }
            if (d->npend + d->n > d->cappend) {
                size_t nc = d->cappend ? d->cappend : OBUF_SIZE;
                while (nc < d->npend + d->n)
                    nc *= 2;
                char *np = realloc(d->pend, nc);
                if (!np) {
                    d->io_error = ENOMEM;
                    d->n = 0;
                    return;
                }
                d->pend = np;
                d->cappend = nc;
            }
        }
        memcpy(d->pend + d->npend, d->buf, d->n);
        d->npend += d->n;
    }
    d->n = 0;
}

/* The text so far is good (a Sync was just printed). */
static void out_commit(dumper *d)
{
    if (d->direct) {
        out_flush(d);
        d->good = d->written;
        return;
    }
    out_flush(d);
    flush_spill(d);
    write_all(d, d->pend, d->npend);
    d->npend = 0;
}

static inline void need(dumper *d, size_t k)
{
    if (d->n + k > OBUF_SIZE)
        out_flush(d);
}

static inline void put(dumper *d, const char *s, size_t k)
{
    need(d, k);
    memcpy(d->buf + d->n, s, k);
    d->n += k;
}
#define PUTS(d, lit) put((d), (lit), sizeof(lit) - 1)

static inline void put_u(dumper *d, uint64_t v)
{
    char tmp[24];
    int i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(d, tmp + i, (size_t)(24 - i));
}

static inline void put_i(dumper *d, int64_t v)
{
    if (v < 0) {
        PUTS(d, "-");
        put_u(d, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u(d, (uint64_t)v);
    }
}

static void put_hex(dumper *d, uint64_t v)
{
    static const char hx[] = "0123456789abcdef";
    char tmp[20];
    int i = 20;
    do {
        tmp[--i] = hx[v & 15];
        v >>= 4;
    } while (v);
    put(d, tmp + i, (size_t)(20 - i));
}

/* bytes, quoted */
static void put_qb(dumper *d, const char *s, size_t len)
{
    need(d, TT_QUOTE_MAX(len));
    d->n += tt_quote(d->buf + d->n, s, len);
}

/* an interned string, quoted */
static void put_q(dumper *d, uint32_t id)
{
    size_t len;
    const char *s = tt_syms_str(d->syms, id, &len);
    put_qb(d, s, len);
}

static void put_raw(dumper *d, uint32_t id)
{
    size_t len;
    const char *s = tt_syms_str(d->syms, id, &len);
    put(d, s, len);
}

static void put_stack_slow(dumper *d, uint32_t stk)
{
    const tt_frame *f;
    uint32_t n = tt_syms_stack_frames(d->syms, stk, &f);
    for (uint32_t i = 0; i < n; i++) {
        PUTS(d, "\t");
        put_raw(d, f[i].func);
        PUTS(d, " @ 0x");
        put_hex(d, f[i].pc);
        PUTS(d, "\n\t\t");
        put_raw(d, f[i].file);
        PUTS(d, ":");
        put_u(d, f[i].line);
        PUTS(d, "\n");
    }
}

/* Format a stack once into the cache (by formatting into the output buffer
 * and copying the bytes), then reuse the text. */
static void put_stack(dumper *d, uint32_t stk)
{
    if (stk == 0)
        return;
    if (stk >= d->nstk) {
        size_t nn = d->nstk ? d->nstk : 1024;
        while (nn <= stk)
            nn *= 2;
        uint64_t *no = realloc(d->stk_off, nn * sizeof *no);
        if (no)
            d->stk_off = no;
        uint32_t *nl = no ? realloc(d->stk_len, nn * sizeof *nl) : NULL;
        if (!no || !nl) {
            put_stack_slow(d, stk);
            return;
        }
        d->stk_len = nl;
        memset(d->stk_off + d->nstk, 0, (nn - d->nstk) * sizeof *no);
        d->nstk = nn;
    }
    if (d->stk_off[stk]) {
        put(d, d->stk_text + d->stk_off[stk] - 1, d->stk_len[stk]);
        return;
    }
    /* make sure the whole stack fits in the buffer without a flush */
    const tt_frame *f;
    uint32_t n = tt_syms_stack_frames(d->syms, stk, &f);
    size_t est = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t a, b;
        tt_syms_str(d->syms, f[i].func, &a);
        tt_syms_str(d->syms, f[i].file, &b);
        est += a + b + 64;
    }
    if (est > OBUF_SIZE / 2) {
        put_stack_slow(d, stk);
        return;
    }
    need(d, est);
    size_t start = d->n;
    put_stack_slow(d, stk);
    size_t len = d->n - start;
    if (d->ntext + len > d->captext) {
        size_t nc = d->captext ? d->captext : (1u << 20);
        while (nc < d->ntext + len)
            nc *= 2;
        char *nt = realloc(d->stk_text, nc);
        if (!nt)
            return;
        d->stk_text = nt;
        d->captext = nc;
    }
    memcpy(d->stk_text + d->ntext, d->buf + start, len);
    d->stk_off[stk] = d->ntext + 1;
    d->stk_len[stk] = (uint32_t)len;
    d->ntext += len;
}

static void put_value(dumper *d, uint64_t v)
{
    PUTS(d, "Value{Uint64(");
    put_u(d, v);
    PUTS(d, ")}");
}

/* ---- time formatting (RFC3339Nano, like Go's time.Time.Format) --------------- */

/*
 * Calendar fields exactly as Go's time package computes them (including its
 * wrap-around for absurd inputs): seconds are shifted to Go's "absolute"
 * epoch (March 1 of year -292277022399) in unsigned 64-bit arithmetic.
 */
#define GO_UNIX_TO_ABS 9223372028741760000ULL
#define GO_ABS_YEARS 292277022400ULL

static void go_civil(uint64_t abs, int64_t *year, unsigned *month, unsigned *day,
                     unsigned *hh, unsigned *mm, unsigned *ss)
{
    uint64_t secs = abs % 86400;
    *hh = (unsigned)(secs / 3600);
    *mm = (unsigned)(secs / 60 % 60);
    *ss = (unsigned)(secs % 60);
    uint64_t days = abs / 86400;
    uint64_t d = 4 * days + 3;
    uint64_t century = d / 146097;
    uint32_t cd = (uint32_t)(d % 146097) | 3;
    uint64_t prod = (uint64_t)2939745 * cd;
    uint32_t cyear = (uint32_t)(prod >> 32), lo = (uint32_t)prod;
    uint32_t ayday = lo / 2939745 / 4;
    uint32_t md = 2141 * ayday + 197913;
    uint32_t amonth = md >> 16;
    *day = 1 + (md & 0xffff) / 2141;
    unsigned janfeb = ayday >= 306;
    *year = (int64_t)(century * 100 - GO_ABS_YEARS) + cyear + janfeb;
    *month = amonth - janfeb * 12;
}

static void put_pad(dumper *d, uint64_t v, int w)
{
    char tmp[24];
    int i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (24 - i < w)
        tmp[--i] = '0';
    put(d, tmp + i, (size_t)(24 - i));
}

static void put_wall(dumper *d, int64_t sec, int64_t nsec)
{
    long off = 0;
    const char *tz = getenv("TZ");
    if (!(tz && (tz[0] == 0 || strcmp(tz, "UTC") == 0))) {
        time_t t = (time_t)sec;
        struct tm tm;
        if ((int64_t)t == sec && localtime_r(&t, &tm))
            off = tm.tm_gmtoff;
    }
    uint64_t abs = (uint64_t)sec + (uint64_t)(int64_t)off + GO_UNIX_TO_ABS;
    int64_t y;
    unsigned mo, dd, hh, mi, ss;
    go_civil(abs, &y, &mo, &dd, &hh, &mi, &ss);
    if (y < 0) {
        PUTS(d, "-");
        put_pad(d, (uint64_t)0 - (uint64_t)y, 4);
    } else {
        put_pad(d, (uint64_t)y, 4);
    }
    PUTS(d, "-");
    put_pad(d, mo, 2);
    PUTS(d, "-");
    put_pad(d, dd, 2);
    PUTS(d, "T");
    put_pad(d, hh, 2);
    PUTS(d, ":");
    put_pad(d, mi, 2);
    PUTS(d, ":");
    put_pad(d, ss, 2);
    if (nsec) {
        char fr[10];
        int64_t v = nsec;
        for (int i = 8; i >= 0; i--) {
            fr[i] = (char)('0' + v % 10);
            v /= 10;
        }
        int k = 9;
        while (k > 0 && fr[k - 1] == '0')
            k--;
        PUTS(d, ".");
        put(d, fr, (size_t)k);
    }
    if (off == 0) {
        PUTS(d, "Z");
    } else {
        long a = off < 0 ? -off : off;
        put(d, off < 0 ? "-" : "+", 1);
        put_pad(d, (uint64_t)(a / 3600), 2);
        PUTS(d, ":");
        put_pad(d, (uint64_t)(a / 60 % 60), 2);
    }
}

/* ---- event formatting ------------------------------------------------------------ */

static const char *const kind_names[TT_EV__COUNT] = {
    "Bad", "Sync", "Metric", "Label", "StackSample", "RangeBegin", "RangeActive", "RangeEnd",
    "TaskBegin", "TaskEnd", "RegionBegin", "RegionEnd", "Log", "StateTransition", "Experimental",
};
static const char *const gs_names[] = {"Undetermined", "NotExist", "Runnable",
                                       "Running", "Waiting", "Syscall"};
static const char *const ps_names[] = {"Undetermined", "NotExist", "Running", "Idle"};

/* Experimental events (AllocFree, wire types 128..136): name and argument names. */
static const struct {
    const char *name;
    const char *args[3];
} exp_specs[9] = {
    {"Span", {"id", "npages_value", "kindclass"}},
    {"SpanAlloc", {"id", "npages_value", "kindclass"}},
    {"SpanFree", {"id"}},
    {"HeapObject", {"id", "type"}},
    {"HeapObjectAlloc", {"id", "type"}},
    {"HeapObjectFree", {"id"}},
    {"GoroutineStack", {"id", "order"}},
    {"GoroutineStackAlloc", {"id", "order"}},
    {"GoroutineStackFree", {"id"}},
};

static void put_str(dumper *d, const char *s) { put(d, s, strlen(s)); }

static int on_event(void *ctx, const tt_event *e)
{
    dumper *d = ctx;
    PUTS(d, "M=");
    put_i(d, e->m);
    PUTS(d, " P=");
    put_i(d, e->p);
    PUTS(d, " G=");
    put_i(d, e->g);
    PUTS(d, " ");
    put_str(d, e->kind < TT_EV__COUNT ? kind_names[e->kind] : "Bad");
    PUTS(d, " Time=");
    put_i(d, e->time);
    switch (e->kind) {
    case TT_EV_METRIC:
        PUTS(d, " Name=");
        put_q(d, e->name);
        PUTS(d, " Value=");
        put_value(d, e->arg[0]);
        break;
    case TT_EV_LABEL:
        PUTS(d, " Label=");
        put_q(d, e->name);
        PUTS(d, " Resource=Goroutine(");
        put_i(d, e->id);
        PUTS(d, ")");
        break;
    case TT_EV_RANGE_BEGIN:
    case TT_EV_RANGE_ACTIVE:
    case TT_EV_RANGE_END:
        PUTS(d, " Name=");
        put_q(d, e->name);
        PUTS(d, " Scope=");
        if (e->res == TT_RES_GOROUTINE) {
            PUTS(d, "Goroutine(");
            put_i(d, e->id);
            PUTS(d, ")");
        } else if (e->res == TT_RES_PROC) {
            PUTS(d, "Proc(");
            put_i(d, e->id);
            PUTS(d, ")");
        } else {
            PUTS(d, "None");
        }
        if (e->kind == TT_EV_RANGE_END) {
            PUTS(d, " Attributes=[");
            if (e->nattr == 2) {
                PUTS(d, "\"bytes swept\"=");
                put_value(d, e->arg[0]);
                PUTS(d, " \"bytes reclaimed\"=");
                put_value(d, e->arg[1]);
            }
            PUTS(d, "]");
        }
        break;
    case TT_EV_TASK_BEGIN:
    case TT_EV_TASK_END:
        PUTS(d, " ID=");
        put_u(d, (uint64_t)e->id);
        PUTS(d, " Parent=");
        put_u(d, e->arg[0]);
        PUTS(d, " Type=");
        put_q(d, e->name);
        break;
    case TT_EV_REGION_BEGIN:
    case TT_EV_REGION_END:
        PUTS(d, " Task=");
        put_u(d, (uint64_t)e->id);
        PUTS(d, " Type=");
        put_q(d, e->name);
        break;
    case TT_EV_LOG:
        PUTS(d, " Task=");
        put_u(d, (uint64_t)e->id);
        PUTS(d, " Category=");
        put_q(d, e->name);
        PUTS(d, " Message=");
        put_qb(d, e->text, e->ntext);
        break;
    case TT_EV_STATE_TRANSITION:
        if (e->res == TT_RES_GOROUTINE) {
            PUTS(d, " GoID=");
            put_i(d, e->id);
            PUTS(d, " ");
            put_str(d, e->from < 6 ? gs_names[e->from] : "Bad");
            PUTS(d, "->");
            put_str(d, e->to < 6 ? gs_names[e->to] : "Bad");
        } else if (e->res == TT_RES_PROC) {
            PUTS(d, " ProcID=");
            put_i(d, e->id);
            PUTS(d, " ");
            put_str(d, e->from < 4 ? ps_names[e->from] : "Bad");
            PUTS(d, "->");
            put_str(d, e->to < 4 ? ps_names[e->to] : "Bad");
        }
        PUTS(d, " Reason=");
        put_q(d, e->name);
        if ((e->flags & TT_EVF_HAS_TSTACK) || e->tstack) {
            PUTS(d, "\nTransitionStack=\n");
            put_stack(d, e->tstack);
        }
        break;
    case TT_EV_EXPERIMENTAL:
        if (e->type >= 128 && e->type <= 136) {
            int k = e->type - 128;
            PUTS(d, " Name=");
            put_str(d, exp_specs[k].name);
            PUTS(d, " Args=[");
            for (unsigned i = 0; i < e->nattr && i < 3; i++) {
                if (i)
                    PUTS(d, ", ");
                put_str(d, exp_specs[k].args[i]);
                PUTS(d, "=");
                put_value(d, e->arg[i]);
            }
            PUTS(d, "]");
        }
        break;
    case TT_EV_SYNC:
        PUTS(d, " N=");
        put_u(d, e->arg[0]);
        if (e->flags & TT_EVF_SNAPSHOT) {
            PUTS(d, " Trace=");
            put_i(d, e->sync.trace);
            PUTS(d, " Mono=");
            put_u(d, e->sync.mono);
            PUTS(d, " Wall=");
            put_wall(d, e->sync.wall_sec, e->sync.wall_nsec);
        }
        break;
    default:
        break;
    }
    if ((e->flags & TT_EVF_HAS_STACK) || e->stack) {
        PUTS(d, "\nStack=\n");
        put_stack(d, e->stack);
    }
    PUTS(d, "\n");
    if (e->kind == TT_EV_SYNC)
        out_commit(d);
    return d->io_error != 0;
}

static int count_event(void *ctx, const tt_event *e)
{
    (void)ctx;
    (void)e;
    return 0;
}

/* The state name as one word for --spans ("syscall (blocked)" ->
 * "syscall_blocked"), so every field of a line is one word. */
static const char *state_word(model_state st, char *buf, size_t cap)
{
    const char *s = model_state_name(st);
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if (*s == ' ')
            buf[n++] = '_';
        else if (*s != '(' && *s != ')')
            buf[n++] = *s;
    buf[n] = 0;
    return buf;
}

/* gotv dump --spans FILE */
static int dump_spans(const char *path)
{
    model *m = NULL;
    tt_load_result res;
    if (gotv_open_model(path, &m, &res))
        return 1;
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    static const char *const kname[4] = {"G", "P", "M", "GC"};
    for (int k = ML_GOROUTINE; k <= ML_GC; k++) {
        uint32_t nl = model_lane_count(m, (model_lane_kind)k);
        for (uint32_t ln = 0; ln < nl; ln++) {
            int64_t id = k == ML_GOROUTINE ? model_goroutine_get(m, ln)->id
                         : k == ML_PROC    ? model_proc_id(m, ln)
                         : k == ML_THREAD  ? model_thread_id(m, ln)
                                           : 0;
            uint32_t n = model_lane_nspans(m, (model_lane_kind)k, ln);
            for (uint32_t i = 0; i < n; i++) {
                model_span sp;
                char sw[32];
                if (!model_lane_span(m, (model_lane_kind)k, ln, i, &sp))
                    break;
                printf("%s %lld %lld %lld %s cat=%u flags=%u stack=%u reason=%u other=%ld\n",
                       kname[k], (long long)id, (long long)sp.start, (long long)sp.end,
                       state_word((model_state)sp.state, sw, sizeof sw), (unsigned)sp.cat,
                       (unsigned)sp.flags, (unsigned)sp.stack, (unsigned)sp.reason,
                       (long)sp.other);
            }
        }
    }
    int rc = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE) {
            fprintf(stderr, "gotv: %s: writing output: %s\n", path, strerror(errno));
            rc = 1;
        }
    }
    model_free(m);
    return rc;
}

static int is_devnull(const struct stat *st)
{
    struct stat dn;
    return S_ISCHR(st->st_mode) && stat("/dev/null", &dn) == 0 && dn.st_rdev == st->st_rdev;
}

int gotv_cmd_dump(int argc, char **argv)
{
    int count = 0, spans = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0)
            count = 1;
        else if (strcmp(argv[i], "--spans") == 0)
            spans = 1;
        else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && !path)
            path = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            gotv_usage_error("dump: unknown option %s", argv[i]);
            return 2;
        } else if (!path) {
            path = argv[i];
        } else {
            gotv_usage_error("dump: too many arguments");
            return 2;
        }
    }
    if (!path) {
        gotv_usage_error("dump: missing FILE");
        return 2;
    }

    signal(SIGPIPE, SIG_IGN);
    if (spans)
        return dump_spans(path);
    tt_err err = {0};
    tt_file f;
    if (tt_file_open(path, &f, &err) != TT_OK) {
        fprintf(stderr, "gotv: %s: %s\n", path, err.msg);
        return 1;
    }
    tt_syms *syms = tt_syms_new();
    dumper d;
    memset(&d, 0, sizeof d);
    d.syms = syms;
    d.buf = malloc(OBUF_SIZE);
    if (!syms || !d.buf) {
        fprintf(stderr, "gotv: %s: out of memory\n", path);
        tt_file_close(&f);
        tt_syms_free(syms);
        free(d.buf);
        return 1;
    }
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) == 0) {
        if (S_ISREG(st.st_mode)) {
            off_t o = lseek(STDOUT_FILENO, 0, SEEK_CUR);
            if (o >= 0) {
                d.direct = 1;
                d.regular = 1;
                d.base_off = o;
            }
        } else if (is_devnull(&st)) {
            d.direct = 1;
        }
    }

    /* the text printed is the message's bytes: nothing keeps log messages */
    tt_sink sink = {&d, count ? count_event : on_event, NULL, TT_SINK_LOG_TEXT};
    tt_load_result res;
    memset(&res, 0, sizeof res);
    tt_status s = tt_load_file(&f, syms, &sink, &res, &err);
    int rc = 0;
    if (count && s == TT_OK) {
        char line[64];
        int k = snprintf(line, sizeof line, "%llu\n",
                         (unsigned long long)(res.truncated ? res.valid_events : res.events));
        write_all(&d, line, (size_t)k);
    }
    if (s == TT_OK && !res.truncated) {
        out_commit(&d);
    } else if (s == TT_OK) {
        /* drop the partial generation */
        if (d.direct) {
            out_flush(&d);
            if (d.regular && ftruncate(STDOUT_FILENO, d.base_off + (off_t)d.good) == 0)
                (void)lseek(STDOUT_FILENO, d.base_off + (off_t)d.good, SEEK_SET);
        }
        double lost = f.len ? (double)(f.len - res.valid_bytes) * 100.0 / (double)f.len : 0;
        fprintf(stderr, "gotv: %s: trace truncated at byte %llu; lost %.2f%% of the data\n", path,
                (unsigned long long)res.warn.offset, lost);
        fprintf(stderr, "gotv: %s: %s at byte %llu\n", path, res.warn.msg,
                (unsigned long long)res.warn.offset);
    } else if (d.epipe) {
        rc = 0;
    } else if (s == TT_ERR_STOPPED && d.io_error) {
        fprintf(stderr, "gotv: %s: writing output: %s\n", path, strerror(d.io_error));
        rc = 1;
    } else {
        fprintf(stderr, "gotv: %s: %s at byte %llu\n", path, err.msg,
                (unsigned long long)err.offset);
        rc = 1;
    }
    if (d.io_error && !d.epipe && rc == 0) {
        fprintf(stderr, "gotv: %s: writing output: %s\n", path, strerror(d.io_error));
        rc = 1;
    }
    if (d.spill)
        fclose(d.spill);
    free(d.pend);
    free(d.buf);
    free(d.stk_off);
    free(d.stk_len);
    free(d.stk_text);
    tt_syms_free(syms);
    tt_file_close(&f);
    return rc;
}

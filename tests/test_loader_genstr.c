/* Per-generation strings (TT_SINK_LOG_TEXT, loader/trace.h): a sink that
 * reads log messages as bytes gets them during on_event and the loader does
 * not keep them after their generation (tt_syms holds only the strings
 * events hand out as ids), ids of the kept strings stay the same from
 * generation to generation, the default sink still gets every string
 * interned (and the same text), the model still shows every log message,
 * and both modes deliver the same events and fail the same way (same
 * status, offset and message) on every sample and tests/data input. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "model/model.h"
#include "tests/lib/loadutil.h"
#include "tests/lib/tracegen.h"

#define NGEN 40
#define NMSG 300 /* distinct messages per generation, each used once */
#define NPAY 200 /* log events per generation with the same text, an id each */
#define NLOG ((size_t)NGEN * (NMSG + NPAY))
#define PAYLOAD "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

/* Message k of generation g. */
static void msg_text(char *buf, size_t cap, unsigned g, unsigned k)
{
    snprintf(buf, cap, "worker=%u batch=%u", k, g);
}

/* NGEN generations, each with its own string table as Go's runtime writes
 * it: the same few names (reason, frame, category "batch"/"payload", region
 * "work") and a string per log message: NMSG distinct "worker=K batch=G"
 * ones (ids rotate from generation to generation, so the same id has a
 * different text in the next generation) and NPAY copies of PAYLOAD under
 * ids of their own. One M, P and goroutine: events are delivered in the
 * order written. A sparse string id (2^40 + g, the map path) names the
 * payload category. */
static void build(tg *t)
{
    tg_init(t, 26);
    char buf[64];
    for (unsigned g = 1; g <= NGEN; g++) {
        uint64_t t0 = (uint64_t)g * 100000;
        std_gen(t, g, t0);
        tg_strings(t, g);
        tg_str(t, 10, "batch");
        tg_str(t, 11, "work");
        tg_str(t, ((uint64_t)1 << 40) + g, "payload");
        for (unsigned k = 0; k < NMSG; k++) {
            msg_text(buf, sizeof buf, g, k);
            tg_str(t, 100 + (k + g) % NMSG, buf);
        }
        for (unsigned j = 0; j < NPAY; j++)
            tg_str(t, 1000 + j, PAYLOAD);
        tg_end(t);
        tg_batch(t, g, 1, t0);
        TG_EV(t, TG_ProcStatus, 1, 0, TG_ProcRunning);
        TG_EV(t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
        TG_EV(t, TG_UserRegionBegin, 1, 0, 11, 1);
        for (unsigned k = 0; k < NMSG; k++) {
            TG_EV(t, TG_UserLog, 1, 0, 10, 100 + (k + g) % NMSG, 1);
            if (k < NPAY)
                TG_EV(t, TG_UserLog, 1, 0, ((uint64_t)1 << 40) + g, 1000 + k, 0);
        }
        TG_EV(t, TG_UserRegionEnd, 1, 0, 11, 1);
        end_gen(t);
    }
}

/* The text of log event i in delivery order. */
static void expect_text(char *buf, size_t cap, size_t i)
{
    size_t per = NMSG + NPAY;
    unsigned g = (unsigned)(i / per) + 1, r = (unsigned)(i % per);
    /* message k, then (for k < NPAY) a payload: 2 events per k below NPAY */
    if (r < 2 * NPAY) {
        if (r % 2) {
            snprintf(buf, cap, "%s", PAYLOAD);
            return;
        }
        msg_text(buf, cap, g, r / 2);
        return;
    }
    msg_text(buf, cap, g, r - NPAY);
}

typedef struct gsink {
    tt_syms *syms;
    int lazy;
    size_t nlog, nsync, nregion;
    uint32_t cat_batch, cat_payload, region, stack;
    uint32_t nstr_sync[NGEN + 2]; /* tt_syms_nstrings at each Sync */
    size_t bytes_sync[NGEN + 2];
    int bad; /* first failed check, for the message */
    char why[200];
} gsink;

static void gbad(gsink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gbad(gsink *s, const char *fmt, ...)
{
    if (s->bad)
        return;
    s->bad = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
}

static int g_event(void *ctx, const tt_event *e)
{
    gsink *s = ctx;
    if (e->kind == TT_EV_SYNC) {
        if (s->nsync < NGEN + 2) {
            s->nstr_sync[s->nsync] = tt_syms_nstrings(s->syms);
            s->bytes_sync[s->nsync] = tt_syms_bytes(s->syms);
        }
        s->nsync++;
    }
    if (e->kind != TT_EV_LOG) {
        if (e->text || e->ntext)
            gbad(s, "text on a %d event", e->kind);
        if (e->kind == TT_EV_REGION_BEGIN || e->kind == TT_EV_REGION_END) {
            if (!s->region)
                s->region = e->name;
            if (!s->stack)
                s->stack = e->stack;
            if (e->name != s->region || !e->stack || e->stack != s->stack)
                gbad(s, "region %zu: name %u stack %u", s->nregion, e->name, e->stack);
            s->nregion++;
        }
        return 0;
    }
    char want[128];
    expect_text(want, sizeof want, s->nlog);
    if (!e->text || e->ntext != strlen(want) || memcmp(e->text, want, e->ntext) != 0 ||
        e->text[e->ntext] != 0)
        gbad(s, "log %zu: text '%.*s', want '%s'", s->nlog, e->text ? (int)e->ntext : 0,
             e->text ? e->text : "", want);
    if (s->lazy && e->msg != 0)
        gbad(s, "log %zu: msg id %u with TT_SINK_LOG_TEXT", s->nlog, e->msg);
    if (!s->lazy) {
        size_t l;
        const char *p = tt_syms_str(s->syms, e->msg, &l);
        if (!e->msg || l != e->ntext || memcmp(p, e->text, l) != 0)
            gbad(s, "log %zu: msg id %u is '%s'", s->nlog, e->msg, p);
    }
    /* the categories keep one id each over every generation */
    int payload = strcmp(want, PAYLOAD) == 0;
    uint32_t *cat = payload ? &s->cat_payload : &s->cat_batch;
    if (!*cat)
        *cat = e->name;
    if (e->name != *cat)
        gbad(s, "log %zu: category id %u, was %u", s->nlog, e->name, *cat);
    if (!payload) {
        if (!s->stack)
            s->stack = e->stack;
        if (e->stack != s->stack)
            gbad(s, "log %zu: stack %u, was %u", s->nlog, e->stack, s->stack);
    }
    s->nlog++;
    return 0;
}

static void gload(const tg *t, gsink *s, int lazy)
{
    memset(s, 0, sizeof *s);
    s->syms = tt_syms_new();
    assert_non_null(s->syms);
    s->lazy = lazy;
    tt_sink sink = {s, g_event, NULL, lazy ? TT_SINK_LOG_TEXT : 0};
    tt_load_result res;
    tt_err err;
    memset(&err, 0, sizeof err);
    tt_status st = tt_load(t->buf, t->len, s->syms, &sink, &res, &err);
    if (st != TT_OK)
        fail_msg("load (lazy %d): %s", lazy, err.msg);
    assert_false(res.truncated);
    if (s->bad)
        fail_msg("lazy %d: %s", lazy, s->why);
    assert_int_equal(s->nlog, NLOG);
    assert_int_equal(s->nregion, 2 * NGEN);
    assert_int_equal(s->nsync, NGEN + 1);
    assert_true(s->cat_batch && s->cat_payload && s->region && s->stack);
    assert_string_equal(tt_syms_str(s->syms, s->cat_batch, NULL), "batch");
    assert_string_equal(tt_syms_str(s->syms, s->cat_payload, NULL), "payload");
    assert_string_equal(tt_syms_str(s->syms, s->region, NULL), "work");
    const tt_frame *f;
    assert_int_equal(tt_syms_stack_frames(s->syms, s->stack, &f), 1);
    assert_string_equal(tt_syms_str(s->syms, f[0].func, NULL), "main.f");
    assert_string_equal(tt_syms_str(s->syms, f[0].file, NULL), "f.go");
}

/* Log messages read as text are not kept: tt_syms stops growing after the
 * first generation (only names are interned) while the default mode
 * interns every distinct message. */
static void test_log_text_not_kept(void **state)
{
    (void)state;
    tg t;
    build(&t);
    gsink lz, eg;
    gload(&t, &lz, 1);
    gload(&t, &eg, 0);

    /* lazy: the names of generation 1 (and the loader's constants) are all
     * there is, from the end of generation 1 (the second Sync) on */
    uint32_t n1 = lz.nstr_sync[1];
    assert_true(n1 < 20);
    for (size_t i = 1; i < lz.nsync && i < NGEN + 2; i++) {
        assert_int_equal(lz.nstr_sync[i], n1);
        assert_int_equal(lz.bytes_sync[i], lz.bytes_sync[1]);
    }
    assert_int_equal(tt_syms_nstrings(lz.syms), n1);

    /* default: every message of every generation is interned */
    assert_true(tt_syms_nstrings(eg.syms) >= (uint32_t)NGEN * NMSG + 1);
    assert_true(eg.nstr_sync[NGEN] > eg.nstr_sync[1]);
    assert_true(tt_syms_bytes(lz.syms) * 10 < tt_syms_bytes(eg.syms));

    tt_syms_free(lz.syms);
    tt_syms_free(eg.syms);
    tg_free(&t);
}

/* The model (default mode) has every log message, with its text. */
static void test_model_logs(void **state)
{
    (void)state;
    tg t;
    build(&t);
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    tt_status st = model_open_mem(t.buf, t.len, NULL, &m, &res, &err);
    if (st != TT_OK)
        fail_msg("model_open_mem: %s", err.msg);
    const model_log *l;
    uint32_t n = model_logs_all(m, &l);
    assert_int_equal(n, NLOG);
    assert_int_equal(model_get_info(m)->nlogs, NLOG);
    for (uint32_t i = 0; i < n; i++) {
        char want[128];
        expect_text(want, sizeof want, i);
        size_t len;
        const char *p = model_str(m, l[i].message, &len);
        if (len != strlen(want) || memcmp(p, want, len) != 0)
            fail_msg("model log %u: '%.*s', want '%s'", i, (int)len, p, want);
        p = model_str(m, l[i].category, &len);
        const char *cat = strcmp(want, PAYLOAD) ? "batch" : "payload";
        assert_int_equal(len, strlen(cat));
        assert_memory_equal(p, cat, len);
    }
    model_free(m);
    tg_free(&t);
}

/* ---- both modes deliver the same events ------------------------------------ */

typedef struct hsink {
    const tt_syms *syms;
    int lazy;
    uint64_t h, n;
    int bad;
} hsink;

static void hmix(hsink *s, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        s->h = (s->h ^ b[i]) * 0x100000001b3ULL;
    s->h = (s->h ^ n) * 0x100000001b3ULL;
}

static void hstr(hsink *s, uint32_t id)
{
    size_t l;
    const char *p = tt_syms_str(s->syms, id, &l);
    hmix(s, p, l);
}

static void hstack(hsink *s, uint32_t id)
{
    const tt_frame *f;
    uint32_t n = tt_syms_stack_frames(s->syms, id, &f);
    hmix(s, &n, sizeof n);
    for (uint32_t i = 0; i < n; i++) {
        hmix(s, &f[i].pc, sizeof f[i].pc);
        hmix(s, &f[i].line, sizeof f[i].line);
        hstr(s, f[i].func);
        hstr(s, f[i].file);
    }
}

/* Everything of the event, strings and stacks by content. */
static int h_event(void *ctx, const tt_event *e)
{
    hsink *s = ctx;
    s->n++;
    int64_t nums[5] = {e->time, e->m, e->p, e->g, e->id};
    hmix(s, nums, sizeof nums);
    hmix(s, e->arg, sizeof e->arg);
    uint8_t b[7] = {e->kind, e->type, e->res, e->from, e->to, e->nattr, e->flags};
    hmix(s, b, sizeof b);
    hmix(s, &e->sync, sizeof e->sync);
    hstr(s, e->name);
    if (e->kind == TT_EV_LOG) {
        if (!e->text || e->text[e->ntext] != 0)
            s->bad = 1;
        hmix(s, e->text, e->ntext);
        if (s->lazy && e->msg)
            s->bad = 1;
        if (!s->lazy) {
            size_t l;
            const char *p = tt_syms_str(s->syms, e->msg, &l);
            if (l != e->ntext || memcmp(p, e->text, l))
                s->bad = 1;
        }
    } else {
        if (e->text || e->ntext)
            s->bad = 1;
        hstr(s, e->msg);
    }
    hstack(s, e->stack);
    hstack(s, e->tstack);
    return 0;
}

typedef struct hres {
    tt_status st;
    tt_load_result res;
    tt_err err;
    uint64_t h, n;
    int bad;
} hres;

static void hload(const uint8_t *buf, size_t len, int lazy, hres *out)
{
    hsink s = {0};
    tt_syms *syms = tt_syms_new();
    assert_non_null(syms);
    s.syms = syms;
    s.lazy = lazy;
    s.h = 0xcbf29ce484222325ULL;
    tt_sink sink = {&s, h_event, NULL, lazy ? TT_SINK_LOG_TEXT : 0};
    memset(out, 0, sizeof *out);
    out->st = tt_load(buf, len, syms, &sink, &out->res, &out->err);
    out->h = s.h;
    out->n = s.n;
    out->bad = s.bad;
    tt_syms_free(syms);
}

static int cmp_modes(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    hres a, b;
    hload(buf, n, 0, &a);
    hload(buf, n, 1, &b);
    free(buf);
    if (a.bad || b.bad)
        fail_msg("%s: text/msg contract broken (default %d, text %d)", path, a.bad, b.bad);
    if (a.st != b.st || a.n != b.n || a.h != b.h)
        fail_msg("%s: default: status %d, %llu events; text mode: status %d, %llu events%s", path,
                 a.st, (unsigned long long)a.n, b.st, (unsigned long long)b.n,
                 a.h != b.h ? " (contents differ)" : "");
    if (a.st != TT_OK) {
        assert_int_equal(a.err.code, b.err.code);
        assert_true(a.err.offset == b.err.offset);
        assert_string_equal(a.err.msg, b.err.msg);
    } else {
        assert_int_equal(a.res.truncated, b.res.truncated);
        assert_true(a.res.events == b.res.events && a.res.valid_events == b.res.valid_events &&
                    a.res.valid_bytes == b.res.valid_bytes &&
                    a.res.generations == b.res.generations);
        if (a.res.truncated) {
            assert_true(a.res.warn.offset == b.res.warn.offset);
            assert_string_equal(a.res.warn.msg, b.res.warn.msg);
        }
    }
    return 1;
}

static int cmp_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 6, ".trace"))
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        n += cmp_modes(path);
    }
    closedir(d);
    return n;
}

/* Every sample and tests/data trace (bad and fuzz inputs included): the
 * same events by content, the same errors at the same offsets. */
static void test_modes_same_events(void **state)
{
    (void)state;
    int ns = cmp_dir("samples/traces");
    assert_true(ns >= 10);
    int nd = cmp_dir("tests/data/bad") + cmp_dir("tests/data/fuzz") + cmp_dir("tests/data/loader");
    assert_true(nd >= 20);
    /* and the synthetic one (a sparse id, rotating ids) */
    tg t;
    build(&t);
    hres a, b;
    hload(t.buf, t.len, 0, &a);
    hload(t.buf, t.len, 1, &b);
    assert_int_equal(a.st, TT_OK);
    assert_int_equal(b.st, TT_OK);
    assert_false(a.bad || b.bad);
    assert_true(a.n == b.n && a.h == b.h);
    tg_free(&t);
}

/* Errors in strings of a lazy generation: a duplicate id, an unknown
 * message id, an unknown id used only as a message: same as the default. */
static void test_lazy_errors(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        tg t;
        tg_init(&t, 26);
        std_gen(&t, 1, 100);
        tg_strings(&t, 1);
        tg_str(&t, 10, "cat");
        tg_str(&t, 11, "m1");
        if (c == 0)
            tg_str(&t, 11, "m1 again");
        tg_end(&t);
        tg_batch(&t, 1, 1, 100);
        TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
        TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
        TG_EV(&t, TG_UserLog, 1, 0, 10, 11, 0);
        TG_EV(&t, TG_UserLog, 1, 0, 10, c == 1 ? 12 : 11, 0);
        TG_EV(&t, TG_UserLog, 1, 0, c == 2 ? 13 : 10, 11, 0);
        end_gen(&t);
        hres a, b;
        hload(t.buf, t.len, 0, &a);
        hload(t.buf, t.len, 1, &b);
        assert_int_not_equal(a.st, TT_OK);
        assert_int_equal(a.st, b.st);
        assert_true(a.err.offset == b.err.offset);
        assert_string_equal(a.err.msg, b.err.msg);
        assert_non_null(strstr(a.err.msg, c == 0 ? "multiple strings" : "invalid string ID"));
        assert_true(a.n == b.n && a.h == b.h);
        tg_free(&t);
    }
}

/* ---- the same string id with another text in the next generation ---------- */

typedef struct csink {
    const tt_syms *syms;
    int lazy;
    size_t n;
    char cat[16][16], msg[16][16];
} csink;

static int c_event(void *ctx, const tt_event *e)
{
    csink *s = ctx;
    if (e->kind != TT_EV_LOG || s->n >= 16)
        return 0;
    size_t l;
    const char *p = tt_syms_str(s->syms, e->name, &l);
    snprintf(s->cat[s->n], sizeof s->cat[0], "%.*s", (int)l, p);
    snprintf(s->msg[s->n], sizeof s->msg[0], "%.*s", (int)e->ntext, e->text ? e->text : "?");
    s->n++;
    return 0;
}

/*
 * Ids reused with other texts of the same length, as the runtime does from
 * one generation to the next: the loader's check against the previous
 * generation must compare the bytes, and what it remembers of a text (where
 * it went in this generation, its interned id) must not follow the id.
 *   gen 1: 10 "cat1", 11 "cat1", 20 "same", 21 "same"
 *   gen 2: 10 "cat2", 11 "cat2", 20 "abcd", 21 "efgh"
 *   gen 3: 10 "cat1", 11 "cat3", 20 "same", 21 "efgh"
 * Logs of each generation: (10, 20), (11, 21); categories come out
 * interned, messages as text.
 */
static void test_same_id_new_text(void **state)
{
    (void)state;
    static const char *const tab[3][4] = {{"cat1", "cat1", "same", "same"},
                                          {"cat2", "cat2", "abcd", "efgh"},
                                          {"cat1", "cat3", "same", "efgh"}};
    tg t;
    tg_init(&t, 26);
    for (unsigned g = 1; g <= 3; g++) {
        std_gen(&t, g, 100 * g);
        tg_strings(&t, g);
        tg_str(&t, 10, tab[g - 1][0]);
        tg_str(&t, 11, tab[g - 1][1]);
        tg_str(&t, 20, tab[g - 1][2]);
        tg_str(&t, 21, tab[g - 1][3]);
        tg_end(&t);
        tg_batch(&t, g, 1, 100 * g);
        TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
        TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
        TG_EV(&t, TG_UserLog, 1, 0, 10, 20, 0);
        TG_EV(&t, TG_UserLog, 1, 0, 11, 21, 0);
        end_gen(&t);
    }
    for (int lazy = 0; lazy < 2; lazy++) {
        csink s;
        memset(&s, 0, sizeof s);
        tt_syms *syms = tt_syms_new();
        assert_non_null(syms);
        s.syms = syms;
        s.lazy = lazy;
        tt_sink sink = {&s, c_event, NULL, lazy ? TT_SINK_LOG_TEXT : 0};
        tt_load_result res;
        tt_err err;
        if (tt_load(t.buf, t.len, syms, &sink, &res, &err) != TT_OK)
            fail_msg("lazy %d: %s", lazy, err.msg);
        assert_int_equal(s.n, 6);
        for (size_t i = 0; i < 6; i++) {
            const char *const *row = tab[i / 2];
            assert_string_equal(s.cat[i], row[i % 2]);
            assert_string_equal(s.msg[i], row[2 + i % 2]);
        }
        tt_syms_free(syms);
    }
    tg_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_text_not_kept),
        cmocka_unit_test(test_model_logs),
        cmocka_unit_test(test_modes_same_events),
        cmocka_unit_test(test_lazy_errors),
        cmocka_unit_test(test_same_id_new_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

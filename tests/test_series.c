/*
 * Unit tests of the compact metrics series (model/series.c): every query of
 * the series API (points, value at a time, maximum, maximum in a range, with
 * and without a cursor) against plain recomputations: the goroutine-count
 * series against counts rebuilt from the goroutine lanes' spans, on every
 * sample trace and on synthetic traces; ranges against brute force; edge
 * cases (no point, one point, block boundaries, gaps above 2^32 ns and up to
 * the whole int64 range, values jumping across the whole uint64 range).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "model/model_int.h" /* model_series_set: synthetic series */
#include "tests/lib/reflane.h"
#include "tests/lib/evgen.h"
#include "tests/lib/samples.h"
#include "tests/lib/xorshift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void) { return xorshift64(&rng); }

/* ---- references ------------------------------------------------------------- */

typedef struct pts {
    model_point *p;
    uint32_t n, cap;
} pts;

static void pts_add(pts *a, int64_t t, uint64_t v)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->p = realloc(a->p, sizeof *a->p * a->cap);
        assert_non_null(a->p);
    }
    a->p[a->n++] = (model_point){t, v};
}

/* The value at t: the last point at or before t, 0 before the first. */
static uint64_t bf_at(const model_point *p, uint32_t n, int64_t t)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? p[lo - 1].v : 0;
}

/* The largest value in [a, b): the value at a and every point in (a, b). */
static uint64_t bf_max_in(const model_point *p, uint32_t n, int64_t a, int64_t b)
{
    uint64_t v = 0;
    uint32_t i = 0;
    for (; i < n && p[i].t <= a; i++)
        v = p[i].v;
    for (; i < n && p[i].t < b; i++)
        if (p[i].v > v)
            v = p[i].v;
    return v;
}

/* The three goroutine-count series recomputed from the lanes' spans: a
 * point at the trace start (0), then one per time at which a count changes
 * to a new value (a change at the same time as the previous point replaces
 * it). */
static void ref_gseries(const model *m, pts out[3])
{
    size_t nb = 0;
    ref_bnd *b = ref_gbounds(m, &nb);
    assert_non_null(b);
    int64_t t0 = model_get_info(m)->t_start;
    for (int w = 0; w < 3; w++) {
        pts *o = &out[w];
        memset(o, 0, sizeof *o);
        pts_add(o, t0, 0);
        int64_t cur = 0;
        for (size_t i = 0; i < nb;) {
            int64_t t = b[i].t;
            int changed = 0;
            for (; i < nb && b[i].t == t; i++)
                if (b[i].w == w)
                    cur += b[i].d, changed = 1;
            if (!changed)
                continue;
            uint64_t v = cur < 0 ? 0 : (uint64_t)cur;
            if (o->p[o->n - 1].t == t)
                o->p[o->n - 1].v = v;
            else if (o->p[o->n - 1].v != v)
                pts_add(o, t, v);
        }
    }
    free(b);
}

/* ---- checking one series against its points ----------------------------------- */

static int64_t sat_add(int64_t t, int64_t d)
{
    if (d > 0 && t > INT64_MAX - d)
        return INT64_MAX;
    if (d < 0 && t < INT64_MIN - d)
        return INT64_MIN;
    return t + d;
}

/* A double time as int64, saturated. */
static int64_t d2t(double x)
{
    if (x <= -9.2233720368547758e18)
        return INT64_MIN;
    if (x >= 9.2233720368547758e18)
        return INT64_MAX;
    return (int64_t)x;
}

/* A random time around the series: near a point, between points, or far. */
static int64_t rnd_time(const model_point *p, uint32_t n)
{
    uint64_t x = rnd();
    if (!n || x % 16 == 0)
        return (int64_t)rnd();
    int64_t t = p[(x >> 8) % n].t;
    switch ((x >> 4) % 4) {
    case 0: return t;
    case 1: return sat_add(t, -1);
    case 2: return sat_add(t, 1);
    default: return sat_add(t, (int64_t)(rnd() % 100000) - 50000);
    }
}

/* Every query of series k against p[0..n). */
static void check_series(const model *m, model_series_kind k, const model_point *p, uint32_t n, const char *what)
{
    uint32_t len = model_series_len(m, k);
    if (len != n)
        fail_msg("%s: %u points, want %u", what, len, n);
    uint64_t mx = 0;
    for (uint32_t i = 0; i < n; i++) {
        model_point q = model_series_point(m, k, i);
        if (q.t != p[i].t || q.v != p[i].v)
            fail_msg("%s: point %u (%lld, %llu), want (%lld, %llu)", what, i, (long long)q.t,
                     (unsigned long long)q.v, (long long)p[i].t, (unsigned long long)p[i].v);
        if (i && p[i].t <= p[i - 1].t)
            fail_msg("%s: point %u not after point %u", what, i, i - 1);
        if (p[i].v > mx)
            mx = p[i].v;
    }
    model_point none = model_series_point(m, k, n);
    assert_true(none.t == 0 && none.v == 0);
    assert_true(model_series_max(m, k) == mx);
    /* the value at and around every point (a sample of them on long series) */
    uint32_t step = n > 20000 ? n / 20000 : 1;
    for (uint32_t i = 0; i < n; i += step)
        for (int d = -1; d <= 1; d++) {
            int64_t t = sat_add(p[i].t, d);
            if (model_series_at(m, k, t) != bf_at(p, n, t))
                fail_msg("%s: value at %lld (point %u %+d)", what, (long long)t, i, d);
            /* an empty range is the value at a */
            model_series_cursor c;
            for (size_t w = 0; w < sizeof c.opaque / sizeof c.opaque[0]; w++)
                c.opaque[w] = rnd(); /* garbage */
            assert_true(model_series_max_in(m, k, t, t, &c) == bf_at(p, n, t));
        }
    assert_true(model_series_at(m, k, INT64_MIN) == bf_at(p, n, INT64_MIN));
    assert_true(model_series_at(m, k, INT64_MAX) == bf_at(p, n, INT64_MAX));
    /* random ranges, with a cursor left by the previous (unrelated) query, a
     * fresh one, a wild one and none */
    model_series_cursor cur = {0};
    int nq = n > 50000 ? 100 : 400;
    for (int q = 0; q < nq; q++) {
        int64_t a = rnd_time(p, n), b = rnd_time(p, n);
        if (q % 5 && a > b) {
            int64_t x = a;
            a = b, b = x;
        }
        uint64_t want = bf_max_in(p, n, a, b);
        model_series_cursor fresh = {0}, wild, other = {0};
        for (size_t w = 0; w < sizeof wild.opaque / sizeof wild.opaque[0]; w++)
            wild.opaque[w] = rnd() >> (rnd() % 64); /* garbage */
        /* a cursor another series left (its position is not used here) */
        (void)model_series_max_in(m, k == MSER_G_WAITING ? MSER_HEAP_ALLOC : MSER_G_WAITING, a, b, &other);
        uint64_t got[5] = {model_series_max_in(m, k, a, b, &cur), model_series_max_in(m, k, a, b, &fresh),
                           model_series_max_in(m, k, a, b, &wild), model_series_max_in(m, k, a, b, NULL),
                           model_series_max_in(m, k, a, b, &other)};
        for (int i = 0; i < 5; i++)
            if (got[i] != want)
                fail_msg("%s: max in [%lld, %lld) = %llu (cursor kind %d), want %llu", what, (long long)a,
                         (long long)b, (unsigned long long)got[i], i, (unsigned long long)want);
    }
    /* ranges ending just before, at and after each block's first point (a
     * block or a run of 64 blocks ending exactly there), starting at, before
     * or between earlier points */
    for (uint32_t i = 64; i < n; i += n > 100000 ? 64 * 7 : n > 20000 ? 64 * 2 : 64) {
        for (int d = -1; d <= 1; d++)
            for (int e = 0; e < 2; e++) {
                int64_t b = sat_add(p[i - e].t, d);
                uint32_t back = (uint32_t)(rnd() % (i < 9000 ? i + 1 : 9000));
                int64_t as[3] = {p[i - back].t, sat_add(p[i - back].t, -1), sat_add(p[0].t, -1)};
                for (int ai = 0; ai < (i < 9000 ? 3 : 2); ai++) {
                    model_series_cursor c = {0}; /* then one left by a query ending at a */
                    (void)model_series_max_in(m, k, sat_add(as[ai], -(int64_t)(rnd() % 3)), as[ai], &c);
                    uint64_t want = bf_max_in(p, n, as[ai], b);
                    if (model_series_max_in(m, k, as[ai], b, &c) != want ||
                        model_series_max_in(m, k, as[ai], b, NULL) != want)
                        fail_msg("%s: max in [%lld, %lld) near block %u", what, (long long)as[ai], (long long)b,
                                 i / 64);
                }
            }
    }
    /* sweeps left to right over columns, as the plots draw them: the column
     * maxima against a two-pointer scan */
    if (!n)
        return;
    static const int widths[] = {1, 37, 200, 1000, 4000};
    for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
        int cols = widths[wi];
        for (int view = 0; view < 3; view++) {
            double t0 = (double)p[0].t, span = (double)p[n - 1].t - t0 + 1;
            if (view == 1) /* zoomed in on a random stretch */
                t0 = (double)p[rnd() % n].t - 20, span = (double)(rnd() % 5000 + 1);
            if (view == 2) /* wider than the series */
                t0 -= span / 3, span *= 1.7;
            model_series_cursor c = {0};
            uint32_t j = 0; /* first point after the previous column's start */
            for (int col = 0; col < cols; col++) {
                int64_t a = d2t(t0 + span * col / cols), b = d2t(t0 + span * (col + 1) / cols);
                while (j < n && p[j].t <= a)
                    j++;
                uint64_t want = j ? p[j - 1].v : 0;
                for (uint32_t i = j; i < n && p[i].t < b; i++)
                    if (p[i].v > want)
                        want = p[i].v;
                uint64_t got = model_series_max_in(m, k, a, b, &c);
                if (got != want)
                    fail_msg("%s: sweep of %d columns, view %d, column %d [%lld, %lld): %llu, want %llu", what, cols,
                             view, col, (long long)a, (long long)b, (unsigned long long)got,
                             (unsigned long long)want);
            }
        }
    }
}

/* ---- column maxima (model_series_max_cols) ---------------------------------------- */

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* model_series_max_cols against a model_series_max_in per column (checked
 * against brute force by check_series): several lists of series (the three
 * goroutine counts read in one pass with others, one alone, one twice) over
 * plot-like sweeps (even columns of the whole trace, zoomed in, wider than
 * the trace) and random sorted edges (repeated times, single instants). */
static void check_cols(const model *m, const char *what)
{
    static const model_series_kind lists[][4] = {
        {MSER_G_RUNNING, MSER_G_RUNNABLE, MSER_G_WAITING, MSER_HEAP_ALLOC},
        {MSER_G_WAITING, MSER_G_WAITING, MSER_G_WAITING, MSER_G_WAITING},
        {MSER_G_RUNNABLE, MSER_HEAP_GOAL, MSER_G_RUNNABLE, MSER_GOMAXPROCS},
        {MSER_HEAP_ALLOC, MSER_G_WAITING, MSER_G_RUNNING, MSER_HEAP_ALLOC},
    };
    static const int nks[] = {4, 1, 4, 3};
    enum { MAXC = 1500 };
    int64_t *e = malloc(sizeof *e * (MAXC + 1));
    uint64_t *out = malloc(sizeof *out * 4 * MAXC);
    assert_non_null(e);
    assert_non_null(out);
    const model_info *in = model_get_info(m);
    double t0 = (double)in->t_start, span = (double)in->t_end - t0 + 1;
    long checked = 0;
    for (int view = 0; view < 7; view++) {
        uint32_t cols = view == 0 ? 200 : (uint32_t)(rnd() % MAXC) + 1;
        double v0 = t0, vs = span;
        if (view == 1 || view == 4) /* zoomed in on a random stretch */
            v0 = t0 + span * (double)(rnd() % 1000) / 1000.0, vs = (double)(rnd() % 200000 + 1);
        if (view == 2) /* wider than the trace */
            v0 -= span / 3, vs *= 1.7;
        if (view == 3) /* below one ns a column: repeated edges */
            v0 = t0 + span * (double)(rnd() % 1000) / 1000.0, vs = (double)cols / 3;
        for (uint32_t c = 0; c <= cols; c++)
            e[c] = (int64_t)(v0 + vs * c / cols);
        if (view >= 5) { /* random sorted edges, some repeated */
            for (uint32_t c = 0; c <= cols; c++)
                e[c] = c && rnd() % 7 == 0 ? e[c - 1] : (int64_t)(t0 - span / 10 + (double)(rnd() % 100000) / 1e5 * span * 1.2);
            qsort(e, cols + 1, sizeof *e, cmp_i64);
        }
        for (size_t li = 0; li < sizeof nks / sizeof nks[0]; li++) {
            model_series_max_cols(m, lists[li], nks[li], e, cols, out);
            for (int i = 0; i < nks[li]; i++)
                for (uint32_t c = 0; c < cols; c++) {
                    uint64_t want = model_series_max_in(m, lists[li][i], e[c], e[c + 1], NULL);
                    if (out[(size_t)i * cols + c] != want)
                        fail_msg("%s: columns view %d list %zu series %d column %u [%lld, %lld): %llu, want %llu",
                                 what, view, li, (int)lists[li][i], c, (long long)e[c], (long long)e[c + 1],
                                 (unsigned long long)out[(size_t)i * cols + c], (unsigned long long)want);
                    checked++;
                }
        }
    }
    assert_true(checked > 0);
    free(e);
    free(out);
}

/* ---- sample traces ------------------------------------------------------------ */

static uint64_t total_points;

static void check_sample(model *m, const char *name, void *ctx)
{
    (void)ctx;
    pts ref[3];
    ref_gseries(m, ref);
    static const char *wn[3] = {"running", "runnable", "waiting"};
    char what[256];
    for (int w = 0; w < 3; w++) {
        snprintf(what, sizeof what, "%s G %s", name, wn[w]);
        check_series(m, (model_series_kind)(MSER_G_RUNNING + w), ref[w].p, ref[w].n, what);
        total_points += ref[w].n;
        free(ref[w].p);
    }
    /* the builder's series: the API against the points it decodes */
    for (int k = MSER_HEAP_ALLOC; k <= MSER_GOMAXPROCS; k++) {
        uint32_t n = model_series_len(m, (model_series_kind)k);
        model_point *p = malloc(sizeof *p * (n ? n : 1));
        assert_non_null(p);
        for (uint32_t i = 0; i < n; i++)
            p[i] = model_series_point(m, (model_series_kind)k, i);
        snprintf(what, sizeof what, "%s series %d", name, k);
        check_series(m, (model_series_kind)k, p, n, what);
        free(p);
    }
    check_cols(m, name);
}

static void test_samples(void **state)
{
    (void)state;
    total_points = 0;
    assert_true(for_each_sample(check_sample, NULL) > 5);
    assert_true(total_points > 64 * 64 * 2); /* some series span superblocks */
}

/* ---- synthetic traces --------------------------------------------------------- */

enum { UND = TT_GS_UNDETERMINED, NOTEX = TT_GS_NOTEXIST, RNBL = TT_GS_RUNNABLE,
       RUN = TT_GS_RUNNING, WAIT = TT_GS_WAITING, SYS = TT_GS_SYSCALL };

/* ng goroutines changing state at random; gaps of all sizes (a few above
 * 2^32 ns), many changes at the same time. */
static model *synth(uint32_t ng, uint32_t nev, int huge_gaps)
{
    evgen e;
    evgen_init(&e);
    int *st = malloc(sizeof *st * ng);
    assert_non_null(st);
    int64_t t = 1000;
    evgen_sync(&e, t);
    for (uint32_t g = 0; g < ng; g++) {
        st[g] = RNBL;
        evgen_go(&e, t, 0, 0, -1, (int64_t)g + 1, NOTEX, RNBL, "", 0, 0);
    }
    static const int states[] = {RNBL, RUN, WAIT, SYS};
    for (uint32_t i = 0; i < nev; i++) {
        uint64_t x = rnd();
        if (x % 4 == 0)
            t += (int64_t)(x >> 40) % 3000;
        else if (huge_gaps && x % 997 == 1)
            t += (int64_t)1 << (33 + (x >> 60) % 4); /* > 2^32 ns */
        else if (x % 4 == 1)
            t += 1;
        uint32_t g = (uint32_t)(rnd() % ng);
        int to = states[rnd() % 4];
        if (to == st[g])
            continue;
        evgen_go(&e, t, 0, 0, -1, (int64_t)g + 1, st[g], to, to == WAIT ? "chan receive" : "", 0, 0);
        st[g] = to;
    }
    free(st);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    evgen_free(&e);
    return m;
}

static void check_gseries_model(model *m, const char *what)
{
    pts ref[3];
    ref_gseries(m, ref);
    char w2[128];
    for (int w = 0; w < 3; w++) {
        snprintf(w2, sizeof w2, "%s G series %d", what, w);
        check_series(m, (model_series_kind)(MSER_G_RUNNING + w), ref[w].p, ref[w].n, w2);
        free(ref[w].p);
    }
    check_cols(m, what);
}

static void test_synthetic(void **state)
{
    (void)state;
    static const uint32_t shapes[][3] = {{1, 10, 0}, {3, 200, 0}, {50, 5000, 1}, {400, 60000, 1}, {7, 300000, 0}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        model *m = synth(shapes[i][0], shapes[i][1], (int)shapes[i][2]);
        char what[64];
        snprintf(what, sizeof what, "synthetic %u goroutines %u events", shapes[i][0], shapes[i][1]);
        check_gseries_model(m, what);
        if (shapes[i][1] >= 60000) { /* compact: a few bytes a point, not 16 */
            uint32_t n = model_series_len(m, MSER_G_RUNNABLE);
            assert_true(n > 64 * 64);
            assert_true(model_series_bytes(m, MSER_G_RUNNABLE) < (size_t)n * 5);
        }
        model_free(m);
    }
}

/* Goroutines that come and go: each is created at its own time, changes
 * state a few times and ends (most lanes begin after the trace start and
 * end before its end, so the build's cursors join late and are reused). */
static model *synth_lives(uint32_t ng, uint32_t changes)
{
    evgen e;
    evgen_init(&e);
    int64_t t = 1000;
    evgen_sync(&e, t);
    static const int states[] = {RNBL, RUN, WAIT, SYS};
    /* a few goroutines live at once: each step moves one of them (or
     * creates the next, or ends the oldest) */
    enum { LIVE = 40 };
    int st[LIVE];
    int64_t id[LIVE];
    uint32_t nlive = 0, made = 0;
    while (made < ng || nlive) {
        uint64_t x = rnd();
        t += (int64_t)(x % 5 == 0 ? 0 : (x >> 40) % 500);
        if (made < ng && nlive < LIVE && (nlive == 0 || x % 7 == 0)) {
            id[nlive] = (int64_t)++made;
            st[nlive] = RNBL;
            evgen_go(&e, t, 0, 0, -1, id[nlive], NOTEX, RNBL, "", 0, 0);
            nlive++;
            continue;
        }
        uint32_t k = (uint32_t)(rnd() % nlive);
        if (x % (changes + 1) == 0) { /* it ends */
            evgen_go(&e, t, 0, 0, -1, id[k], st[k], NOTEX, "", 0, 0);
            st[k] = st[nlive - 1];
            id[k] = id[nlive - 1];
            nlive--;
            continue;
        }
        int to = states[rnd() % 4];
        if (to == st[k])
            continue;
        evgen_go(&e, t, 0, 0, -1, id[k], st[k], to, to == WAIT ? "chan receive" : "", 0, 0);
        st[k] = to;
    }
    model *m = evgen_finish(&e);
    assert_non_null(m);
    evgen_free(&e);
    return m;
}

static void test_lives(void **state)
{
    (void)state;
    static const uint32_t shapes[][2] = {{1, 3}, {30, 5}, {2000, 8}, {20000, 20}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        model *m = synth_lives(shapes[i][0], shapes[i][1]);
        char what[64];
        snprintf(what, sizeof what, "lives %u goroutines", shapes[i][0]);
        check_gseries_model(m, what);
        model_free(m);
    }
}

/* The counts built apart (model_gseries_build, as the explorer's loading
 * thread does) and installed are those of the first query. */
static void check_job(model *m, const char *name, void *ctx)
{
    (void)ctx;
    for (int w = 0; w < 3; w++) /* not computed yet */
        assert_int_equal(model_series_bytes(m, (model_series_kind)(MSER_G_RUNNING + w)), 0);
    model_gseries_job *j = model_gseries_build(m, NULL);
    assert_non_null(j);
    for (int w = 0; w < 3; w++) /* still not the model's */
        assert_int_equal(model_series_bytes(m, (model_series_kind)(MSER_G_RUNNING + w)), 0);
    assert_int_equal(model_gseries_install(m, j), 0);
    assert_true(model_series_bytes(m, MSER_G_RUNNING) > 0); /* installed, not rebuilt */
    check_gseries_model(m, name);
}

static void test_job(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_job, NULL) > 5);
    model *m = synth_lives(20000, 20);
    check_job(m, "lives 20000", NULL);
    model_free(m);
    /* cancelled: no job, and the model computes its own at the first query */
    m = synth_lives(20000, 20);
    _Atomic int cancel = 1;
    assert_null(model_gseries_build(m, &cancel));
    cancel = 0;
    model_gseries_job *j = model_gseries_build(m, &cancel);
    assert_non_null(j);
    model_gseries_job_free(j);
    assert_int_equal(model_series_bytes(m, MSER_G_RUNNING), 0);
    check_gseries_model(m, "lives 20000, after a cancelled build");
    model_free(m);
    assert_null(model_gseries_build(NULL, NULL));
    assert_int_equal(model_gseries_install(NULL, NULL), -1);
    /* a failed install frees the job (its callers rely on it: LeakSanitizer
     * reports it otherwise) */
    m = synth_lives(30, 5);
    assert_int_equal(model_gseries_install(NULL, model_gseries_build(m, NULL)), -1);
    model_free(m);
    model_gseries_job_free(NULL);
}

/* A trace without goroutines: one point (trace start, 0) per count. */
static void test_no_goroutines(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 500);
    evgen_metric(&e, 600, "/memory/classes/heap/objects:bytes", 4096);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    for (int w = 0; w < 3; w++) {
        model_series_kind k = (model_series_kind)(MSER_G_RUNNING + w);
        assert_int_equal(model_series_len(m, k), 1);
        model_point p = model_series_point(m, k, 0);
        assert_int_equal(p.t, model_get_info(m)->t_start);
        assert_int_equal(p.v, 0);
        assert_int_equal(model_series_max(m, k), 0);
    }
    assert_int_equal(model_series_len(m, MSER_HEAP_ALLOC), 1);
    assert_int_equal(model_series_at(m, MSER_HEAP_ALLOC, 599), 0);
    assert_int_equal(model_series_at(m, MSER_HEAP_ALLOC, 600), 4096);
    assert_int_equal(model_series_max_in(m, MSER_HEAP_ALLOC, 0, 600, NULL), 0);
    assert_int_equal(model_series_max_in(m, MSER_HEAP_ALLOC, 0, 601, NULL), 4096);
    assert_int_equal(model_series_len(m, MSER_GOMAXPROCS), 0);
    assert_int_equal(model_series_max(m, MSER_GOMAXPROCS), 0);
    assert_int_equal(model_series_at(m, MSER_GOMAXPROCS, 1000), 0);
    assert_int_equal(model_series_max_in(m, MSER_GOMAXPROCS, INT64_MIN, INT64_MAX, NULL), 0);
    assert_int_equal(model_series_point(m, MSER_GOMAXPROCS, 0).t, 0);
    assert_int_equal(model_series_len(m, (model_series_kind)MSER__COUNT), 0);
    model_free(m);
    evgen_free(&e);
}

/* ---- synthetic series (model_series_set) ---------------------------------------- */

static void check_set(model *m, const model_point *p, uint32_t n, const char *what)
{
    assert_int_equal(model_series_set(m, MSER_HEAP_GOAL, p, n), 0);
    check_series(m, MSER_HEAP_GOAL, p, n, what);
}

static void test_edge_series(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 1);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    enum { N = 150000 };
    model_point *p = malloc(sizeof *p * N);
    assert_non_null(p);

    check_set(m, p, 0, "empty");
    assert_int_equal(model_series_bytes(m, MSER_HEAP_GOAL), 0);
    p[0] = (model_point){-5, 7};
    check_set(m, p, 1, "one point");
    p[0] = (model_point){INT64_MIN, UINT64_MAX};
    check_set(m, p, 1, "one point at INT64_MIN");
    p[1] = (model_point){INT64_MAX, 0};
    check_set(m, p, 2, "INT64_MIN to INT64_MAX"); /* a gap of 2^64 - 1 ns */
    p[2] = (model_point){INT64_MAX, 1};
    /* extremes, in and across blocks: gaps of 2^62 - 1 (the escape) and more */
    static const int64_t gaps[] = {0, 1, 127, 128, ((int64_t)1 << 32) + 5, ((int64_t)1 << 62) - 2,
                                   ((int64_t)1 << 62) - 1, (int64_t)1 << 62, INT64_MAX / 2 + 1};
    static const uint64_t vals[] = {0, 1, 2, UINT64_MAX, UINT64_MAX - 1, 1ull << 63, 127, 128, 300};
    for (uint32_t n = 2; n <= 4200; n = n < 140 ? n + 1 : n * 2 + 1) {
        for (int mode = 0; mode < 3; mode++) {
            int64_t t = mode == 0 ? INT64_MIN : -(int64_t)(rnd() % 1000);
            uint64_t v = 0;
            uint32_t k = 0;
            for (uint32_t i = 0; i < n; i++) {
                uint64_t x = rnd();
                int64_t gap = mode == 2 ? 1 + (int64_t)(x % 3) : gaps[x % 9];
                if (i && gap == 0)
                    gap = 1;
                if (i && t > INT64_MAX - gap)
                    break;
                t = i ? t + gap : t;
                v = x % 3 == 0 ? vals[(x >> 8) % 9] : x % 3 == 1 ? v + 1 : v - 1;
                p[k++] = (model_point){t, v};
            }
            char what[64];
            snprintf(what, sizeof what, "edge %u points mode %d", k, mode);
            check_set(m, p, k, what);
        }
    }
    /* a long random walk over 37 superblocks */
    int64_t t = 0;
    uint64_t v = 1000;
    for (uint32_t i = 0; i < N; i++) {
        uint64_t x = rnd();
        t += 1 + (int64_t)(x % 2000);
        v += x % 7 == 0 ? (x >> 50) : (x >> 3) % 2 ? 1 : (uint64_t)-1;
        p[i] = (model_point){t, v};
    }
    check_set(m, p, N, "random walk");
    assert_true(model_series_bytes(m, MSER_HEAP_GOAL) < (size_t)N * 4);
    /* heap-like: times on 64 ns ticks, values moving by pages of 8 KiB (the
     * block's deltas coded >> 6 and >> 13: 3 bytes a point instead of 6),
     * with blocks that mix in other steps (no shift, or a smaller one) and
     * values near the top of the range (deltas that wrap) */
    for (int mode = 0; mode < 4; mode++) {
        t = -64 * 1000;
        v = mode == 3 ? UINT64_MAX - (1ull << 20) : (uint64_t)1 << 30;
        for (uint32_t i = 0; i < N; i++) {
            uint64_t x = rnd();
            t += 64 * (1 + (int64_t)(x % 1000));
            uint64_t d = 8192 * (1 + (x >> 12) % 15);
            v = (x >> 20) % 2 ? v + d : v - d;
            if (mode == 1 && x % 1000 == 0)
                t += 1 + (int64_t)(x >> 40) % 63; /* off the tick: no time shift in that block */
            if (mode == 2 && (x >> 30) % 500 == 0)
                v += (x >> 40) % 2 ? 1 : 4096; /* no (or a smaller) value shift in that block */
            p[i] = (model_point){t, v};
        }
        char what[64];
        snprintf(what, sizeof what, "heap-like mode %d", mode);
        check_set(m, p, N, what);
        if (mode == 0 && model_series_bytes(m, MSER_HEAP_GOAL) >= (size_t)N * 4)
            fail_msg("heap-like: %zu bytes for %u points", model_series_bytes(m, MSER_HEAP_GOAL), (unsigned)N);
    }
    /* the largest value of each block on its last point, one ns before the
     * next block: a range ending there must leave it out */
    for (uint32_t i = 0; i < 64 * 64 * 5 + 3; i++)
        p[i] = (model_point){i ? p[i - 1].t + 1 + (i % 64 ? (int64_t)(i % 3) : 0) : 0,
                             i % 64 == 63 ? 1000000 + i : rnd() % 50};
    check_set(m, p, 64 * 64 * 5 + 3, "spikes at block ends");
    /* points at one time collapse to the last (the builder's rule) */
    p[0] = (model_point){10, 1};
    p[1] = (model_point){10, 2};
    p[2] = (model_point){11, 3};
    assert_int_equal(model_series_set(m, MSER_HEAP_GOAL, p, 3), 0);
    assert_int_equal(model_series_len(m, MSER_HEAP_GOAL), 2);
    assert_int_equal(model_series_point(m, MSER_HEAP_GOAL, 0).v, 2);
    assert_int_equal(model_series_at(m, MSER_HEAP_GOAL, 10), 2);
    free(p);
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_series),
        cmocka_unit_test(test_no_goroutines),
        cmocka_unit_test(test_synthetic),
        cmocka_unit_test(test_lives),
        cmocka_unit_test(test_job),
        cmocka_unit_test(test_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

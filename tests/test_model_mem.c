/*
 * Unit tests of the builder's memory-saving layouts (issue #7):
 * - goroutine span records kept in a head of 2 and chunks of 8 per lane while
 *   building and grouped by lane at the end (many lanes, beyond 65536,
 *   interleaved, goroutine ids met out of order, lanes of every length around
 *   the head, chunk and anchor block sizes, mostly tiny lanes): every span
 *   comes back exactly;
 * - an open region's end holding the previous open region of its goroutine
 *   while building: nesting, regions ended by their goroutine's end, still open
 *   at the end of the trace, ended without a begin, and opened at time 0;
 * - a log's goroutine kept as the builder's goroutine index, or looked up at
 *   the end when the goroutine was not known at the log;
 * - regions' and logs' goroutines kept in 16 bits until one does not fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "tests/lib/evgen.h"
#include "tests/lib/xorshift.h"

#include <stdlib.h>
#include <string.h>

enum { UND = TT_GS_UNDETERMINED, NOTEX = TT_GS_NOTEXIST, RNBL = TT_GS_RUNNABLE,
       WAIT = TT_GS_WAITING };

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t rnd(void) { return xorshift64(&rng); }

/* ---- spans in chunks ------------------------------------------------------ */

typedef struct refg {
    int64_t id;
    uint32_t want;  /* transitions to generate */
    uint32_t n;     /* transitions so far */
    int64_t *t;     /* their times */
    uint8_t *to;    /* their target states (RNBL / WAIT) */
} refg;

/* ng lanes: the first nlong long, the others of 1 to maxshort spans; when
 * tiny, every 100th lane is long instead (records moved up to make room
 * for the heads of the tiny lanes before it). */
static void check_chunks(uint32_t ng, uint32_t nlong, uint32_t maxshort)
{
    evgen e;
    evgen_init(&e);
    int64_t t = 1000;
    evgen_sync(&e, t);
    refg *g = calloc(ng, sizeof *g);
    uint32_t *live = malloc(sizeof *live * ng);
    assert_non_null(g);
    assert_non_null(live);
    uint64_t total = 0;
    for (uint32_t i = 0; i < ng; i++) {
        /* ids out of first-seen order: the lanes are remapped at the end */
        g[i].id = (int64_t)((i * 2654435761u) % 4000000007u) + 1;
        /* lengths around the chunk (8) and anchor block (32) sizes; a few long */
        int lng = i < nlong || (maxshort <= 2 && i % 100 == 99);
        g[i].want = lng ? 200 + (uint32_t)(rnd() % 900) : 1 + (uint32_t)(rnd() % maxshort);
        g[i].t = malloc(sizeof *g[i].t * g[i].want);
        g[i].to = malloc(g[i].want);
        assert_non_null(g[i].t);
        assert_non_null(g[i].to);
        live[i] = i;
        total += g[i].want;
    }
    uint32_t nlive = ng;
    while (nlive) {
        uint32_t k = (uint32_t)(rnd() % nlive);
        refg *r = &g[live[k]];
        t += 1 + (int64_t)(rnd() % 1000);
        int from = r->n ? r->to[r->n - 1] : UND;
        int to = from == WAIT ? RNBL : WAIT;
        evgen_go(&e, t, -1, -1, -1, r->id, from, to, to == WAIT ? "chan receive" : "", 0, 0);
        r->t[r->n] = t;
        r->to[r->n] = (uint8_t)to;
        if (++r->n == r->want)
            live[k] = live[--nlive];
    }
    t += 5;
    evgen_sync(&e, t);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    const model_info *in = model_get_info(m);
    assert_int_equal(model_lane_count(m, ML_GOROUTINE), ng);
    int64_t T = in->t_end;
    assert_true(T >= t - 5);
    uint64_t seen = 0;
    for (uint32_t i = 0; i < ng; i++) {
        const refg *r = &g[i];
        uint32_t li = model_goroutine_find(m, r->id);
        assert_true(li < ng);
        uint32_t n = model_lane_nspans(m, ML_GOROUTINE, li);
        assert_int_equal(n, r->n);
        for (uint32_t j = 0; j < n; j++) {
            model_span s;
            assert_non_null(model_lane_span(m, ML_GOROUTINE, li, j, &s));
            /* the first transition is from an undetermined state: its
             * span begins with the trace */
            assert_int_equal(s.start, j ? r->t[j] : in->t_start);
            assert_int_equal(s.end, j + 1 < n ? r->t[j + 1] : T);
            assert_int_equal(s.state, r->to[j] == WAIT ? MS_WAITING : MS_RUNNABLE);
        }
        seen += n;
    }
    assert_true(seen == total);
    model_free(m);
    evgen_free(&e);
    for (uint32_t i = 0; i < ng; i++) {
        free(g[i].t);
        free(g[i].to);
    }
    free(g);
    free(live);
}

static void test_chunks_few(void **state)
{
    (void)state;
    check_chunks(1, 1, 40);
    check_chunks(7, 2, 40);
    check_chunks(300, 20, 40);
    check_chunks(1, 0, 1);
    check_chunks(2, 0, 2);
    check_chunks(3000, 0, 2); /* mostly heads: more records than chunk slots */
    check_chunks(3000, 0, 3);
}

/* more lanes than 16 bits count (the builder once kept a 16-bit lane per span) */
static void test_chunks_many(void **state)
{
    (void)state;
    check_chunks(70000, 30, 40);
}

/* ---- regions -------------------------------------------------------------- */

typedef struct wantr {
    const char *name;
    int64_t start, end;
    uint16_t depth, flags;
} wantr;

static void check_regions(const model *m, evgen *e, int64_t gid, const wantr *w, uint32_t nw)
{
    uint32_t li = model_goroutine_find(m, gid);
    assert_true(li != UINT32_MAX);
    const model_region *r;
    uint32_t n = model_goroutine_regions(m, li, &r);
    assert_int_equal(n, nw);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(r[i].name, evgen_str(e, w[i].name));
        assert_int_equal(r[i].start, w[i].start);
        assert_int_equal(r[i].end, w[i].end);
        assert_int_equal(r[i].depth, w[i].depth);
        assert_int_equal(r[i].flags, w[i].flags);
    }
}

static void test_regions_nesting(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    /* goroutine 1: A [10, 50 by its end) holds B [20, 30) and C [40, 50 by its end) */
    evgen_go(&e, 0, -1, -1, -1, 1, UND, WAIT, "sleep", 0, 0);
    evgen_go(&e, 0, -1, -1, -1, 2, UND, WAIT, "sleep", 0, 0);
    evgen_go(&e, 0, -1, -1, -1, 3, UND, WAIT, "sleep", 0, 0);
    evgen_go(&e, 0, -1, -1, -1, 4, UND, WAIT, "sleep", 0, 0);
    /* goroutine 4: D opened at 0 and ended by its goroutine's end at 0 (the
     * builder has always given such a region the trace's end) */
    evgen_region(&e, 0, TT_EV_REGION_BEGIN, 4, 0, "D");
    evgen_go(&e, 0, -1, -1, -1, 4, WAIT, NOTEX, "", 0, 0);
    evgen_region(&e, 10, TT_EV_REGION_BEGIN, 1, 0, "A");
    evgen_region(&e, 15, TT_EV_REGION_BEGIN, 2, 0, "X");
    evgen_region(&e, 16, TT_EV_REGION_BEGIN, 2, 0, "Y");
    evgen_region(&e, 20, TT_EV_REGION_BEGIN, 1, 0, "B");
    evgen_region(&e, 25, TT_EV_REGION_END, 3, 0, "E"); /* no begin */
    evgen_region(&e, 26, TT_EV_REGION_END, 2, 0, "Y");
    evgen_region(&e, 30, TT_EV_REGION_END, 1, 0, "B");
    evgen_region(&e, 40, TT_EV_REGION_BEGIN, 1, 0, "C");
    evgen_go(&e, 50, -1, -1, -1, 1, WAIT, NOTEX, "", 0, 0);
    /* goroutine 2: Z opened after Y closed, left open with X */
    evgen_region(&e, 60, TT_EV_REGION_BEGIN, 2, 0, "Z");
    evgen_region(&e, 70, TT_EV_REGION_BEGIN, 3, 0, "F"); /* after E: depth 0 */
    evgen_region(&e, 80, TT_EV_REGION_END, 3, 0, "F");
    evgen_sync(&e, 100);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    int64_t T = model_get_info(m)->t_end;
    assert_int_equal(T, 100);
    const wantr g1[] = {{"A", 10, 50, 0, MRF_NO_END}, {"B", 20, 30, 1, 0}, {"C", 40, 50, 1, MRF_NO_END}};
    const wantr g2[] = {{"X", 15, T, 0, MRF_NO_END}, {"Y", 16, 26, 1, 0}, {"Z", 60, T, 1, MRF_NO_END}};
    const wantr g3[] = {{"E", 0, 25, 0, MRF_NO_BEGIN}, {"F", 70, 80, 0, 0}};
    const wantr g4[] = {{"D", 0, T, 0, MRF_NO_END}};
    check_regions(m, &e, 1, g1, 3);
    check_regions(m, &e, 2, g2, 3);
    check_regions(m, &e, 3, g3, 2);
    check_regions(m, &e, 4, g4, 1);
    assert_int_equal(model_get_info(m)->nregions, 9);
    model_free(m);
    evgen_free(&e);
}

/* ---- logs ----------------------------------------------------------------- */

static void check_logs(const model *m, evgen *e, int64_t gid, const char *const *msgs, uint32_t nw)
{
    uint32_t li = model_goroutine_find(m, gid);
    assert_true(li != UINT32_MAX);
    const model_log *l;
    uint32_t n = model_goroutine_logs(m, li, &l);
    assert_int_equal(n, nw);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(l[i].message, evgen_str(e, msgs[i]));
}

static void test_logs_lanes(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    /* goroutine 9 is met only after its first log; goroutine 7 before */
    evgen_go(&e, 1, -1, -1, -1, 7, UND, WAIT, "sleep", 0, 0);
    evgen_log(&e, 2, 9, 0, "c", "nine-a");
    evgen_log(&e, 3, 7, 0, "c", "seven-a");
    evgen_log(&e, 4, TT_NO_ID, 0, "c", "none");
    evgen_log(&e, 5, 12345, 0, "c", "never"); /* a goroutine with no other event */
    evgen_go(&e, 6, -1, -1, -1, 9, UND, WAIT, "sleep", 0, 0);
    evgen_log(&e, 7, 9, 0, "c", "nine-b");
    evgen_log(&e, 8, 7, 0, "c", "seven-b");
    evgen_log(&e, 9, 9, 0, "c", "nine-c");
    evgen_sync(&e, 20);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    assert_int_equal(model_get_info(m)->nlogs, 7);
    const char *const g7[] = {"seven-a", "seven-b"};
    const char *const g9[] = {"nine-a", "nine-b", "nine-c"};
    check_logs(m, &e, 7, g7, 2);
    check_logs(m, &e, 9, g9, 3);
    assert_int_equal(model_goroutine_find(m, 12345), UINT32_MAX);
    /* the two logs of no lane come after every lane's */
    uint32_t ng = model_lane_count(m, ML_GOROUTINE), in_lanes = 0;
    for (uint32_t i = 0; i < ng; i++) {
        const model_log *l;
        in_lanes += model_goroutine_logs(m, i, &l);
    }
    assert_int_equal(in_lanes, 5);
    model_free(m);
    evgen_free(&e);
}

/* ---- regions and logs of goroutines beyond 16-bit indexes ----------------- */

/* 70000 goroutines; regions and logs on the first, the last or both (their
 * goroutine indexes are kept in 16 bits until one does not fit, and are
 * widened at the end when the lanes do not fit): each lane gets its own. */
static void check_tags(int late)
{
    enum { NG = 70000 };
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    for (int64_t id = 1; id <= NG; id++)
        evgen_go(&e, 1, -1, -1, -1, id * 3, UND, WAIT, "sleep", 0, 0);
    int64_t t = 10;
    for (int i = 0; i < 50; i++) {
        int64_t gid = late && i % 3 == 2 ? (int64_t)NG * 3 : 3;
        evgen_region(&e, t++, TT_EV_REGION_BEGIN, gid, 0, i % 2 ? "odd" : "even");
        evgen_log(&e, t++, gid, 0, "c", i % 2 ? "odd" : "even");
        evgen_log(&e, t++, TT_NO_ID, 0, "c", "none");
        evgen_region(&e, t++, TT_EV_REGION_END, gid, 0, "");
    }
    evgen_sync(&e, t + 1);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    assert_int_equal(model_lane_count(m, ML_GOROUTINE), NG);
    uint32_t want_first = late ? 34 : 50, want_last = late ? 16 : 0;
    for (int w = 0; w < 2; w++) {
        uint32_t li = model_goroutine_find(m, w ? (int64_t)NG * 3 : 3);
        assert_int_equal(li, w ? NG - 1 : 0);
        const model_region *r;
        const model_log *l;
        uint32_t nr = model_goroutine_regions(m, li, &r), nl = model_goroutine_logs(m, li, &l);
        assert_int_equal(nr, w ? want_last : want_first);
        assert_int_equal(nl, nr);
        for (uint32_t i = 0; i < nr; i++) {
            assert_int_equal(r[i].end, r[i].start + 3);
            assert_int_equal(l[i].time, r[i].start + 1);
            assert_int_equal(l[i].message, r[i].name);
        }
    }
    const model_region *r;
    assert_int_equal(model_goroutine_regions(m, 1, &r), 0);
    assert_int_equal(model_get_info(m)->nlogs, 100);
    model_free(m);
    evgen_free(&e);
}

static void test_tags_wide(void **state)
{
    (void)state;
    check_tags(0); /* widened at the end only */
    check_tags(1); /* widened while loading */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunks_few),
        cmocka_unit_test(test_chunks_many),
        cmocka_unit_test(test_regions_nesting),
        cmocka_unit_test(test_logs_lanes),
        cmocka_unit_test(test_tags_wide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

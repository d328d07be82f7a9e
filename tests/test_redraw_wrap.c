/*
 * The explorer's queries on a goroutine lane whose times span more than
 * 2^63 ns (hostile input): a blocked span of 3 * 2^62 ns between thousands of
 * short ones. The time sums of model_lane_columns wrap around like the
 * checkpoints do (model_lanes_index) instead of overflowing, and the
 * episodes order such a span by its length saturated at INT64_MAX. Under
 * `make SAN=address,undefined` both overflowed (undefined behaviour) before.
 * Columns narrower than 2^62 ns must equal the plain reference (its sums
 * stay small); the whole lane with block indexes (4096+ spans) and
 * super-blocks.
 */
#include "model/model.h"
#include "tests/lib/evgen.h"
#include "tests/lib/reflane.h"
#include "tests/lib/spancopy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

enum { NROUND = 2200 };
static const int64_t T0 = -(INT64_C(3) << 61), T1 = INT64_C(3) << 61;

/* Goroutine 1: NROUND short block/wake/run rounds from T0, one blocked span
 * from about T0 + 10 us to T1 - 10 us, NROUND rounds again up to T1. */
static model *build(int64_t *big_start, int64_t *big_end)
{
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, T0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    int64_t t = T0;
    for (int half = 0; half < 2; half++) {
        if (half) {
            t = T1 - 6 * NROUND - 100;
            *big_end = t;
            evgen_go(&e, t, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
            evgen_go(&e, t += 1, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
        }
        for (int i = 0; i < NROUND; i++) {
            evgen_go(&e, t += 1 + i % 3, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "chan receive", 0, 0);
            evgen_go(&e, t += 1, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
            evgen_go(&e, t += 1, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
        }
        if (!half) {
            evgen_go(&e, t += 1, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "sleep", 0, 0);
            *big_start = t;
        }
    }
    evgen_sync(&e, T1);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    evgen_free(&e);
    return m;
}

static void test_columns_wrap(void **state)
{
    (void)state;
    int64_t bs = 0, be = 0;
    model *m = build(&bs, &be);
    uint32_t g = model_goroutine_find(m, 1), n;
    assert_true(g != UINT32_MAX);
    model_span *s = lane_spans_copy(m, ML_GOROUTINE, g, &n);
    assert_non_null(s);
    assert_true(n > 4 * NROUND);
    enum { NC = 180 };
    uint8_t got[NC], want[NC];
    int64_t edges[NC + 1];
    /* views: the whole lane (columns of ~2^56 ns), then narrow ones before,
     * across both ends of and after the long span, at several zooms */
    struct {
        int64_t t0;
        double npc;
    } views[] = {
        {T0, (double)T1 / NC * 2.0},
        {T0, 6.0 * NROUND / NC},
        {T0, 1.0},
        {T0 + 3 * NROUND, 0.5},
        {bs - 3 * NROUND, 6.0 * NROUND / NC},
        {bs - 50, 1.0},
        {bs - 1000, 1e6},
        {be - 50, 1.0},
        {be - 3 * NROUND, 6.0 * NROUND / NC},
        {be - 1000, 1e3},
        {be, 6.0 * NROUND / NC},
        {T1 - 6 * NROUND, 6.0 * NROUND / NC / 4},
        {be - (INT64_C(1) << 40), (double)(INT64_C(1) << 40) / 16},
    };
    int whole_running = 0;
    for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
        model_lane_columns(m, ML_GOROUTINE, g, views[v].t0, views[v].npc, NC, got);
        ref_columns(s, n, views[v].t0, views[v].npc, NC, want);
        for (int c = 0; c < NC; c++)
            if (got[c] != want[c])
                fail_msg("view %zu col %d: %d, want %d", v, c, got[c], want[c]);
        model_column_edges(views[v].t0, views[v].npc, NC, edges);
        model_lane_columns_at(m, ML_GOROUTINE, g, edges, NC, got);
        for (int c = 0; c < NC; c++)
            if (got[c] != want[c])
                fail_msg("view %zu col %d (at edges): %d, want %d", v, c, got[c], want[c]);
        if (v == 0)
            for (int c = 0; c < NC; c++)
                whole_running += want[c] == MS_WAITING;
    }
    assert_true(whole_running > NC / 4); /* the long span shows in the whole view */
    free(s);
    model_free(m);
}

static void test_episodes_wrap(void **state)
{
    (void)state;
    int64_t bs = 0, be = 0;
    model *m = build(&bs, &be);
    uint32_t g = model_goroutine_find(m, 1);
    const model_episode *top, *all;
    uint32_t total = 0;
    uint32_t nt = model_goroutine_top_episodes(m, g, 5, &top, &total);
    assert_int_equal(nt, 5);
    assert_int_equal(total, 2 * 2 * NROUND + 2); /* waiting + runnable per round; the long span and its wake */
    model_span sp;
    assert_non_null(model_lane_span(m, ML_GOROUTINE, g, top[0].span, &sp));
    assert_int_equal(sp.start, bs);
    assert_int_equal(sp.end, be);
    uint32_t first = top[0].span;
    uint32_t na = model_goroutine_episodes(m, g, &all);
    assert_int_equal(na, total);
    assert_int_equal(all[0].span, first);
    /* the rest are the short ones, 1 ns each, in index order */
    for (uint32_t i = 2; i < 5; i++)
        assert_true(all[i].span > all[i - 1].span);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_wrap),
        cmocka_unit_test(test_episodes_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

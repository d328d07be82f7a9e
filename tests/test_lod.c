/* Level of detail (model/columns.c) on long lanes: columns thousands of
 * spans wide, answered from super-blocks of 1024 spans, from blocks of 32 or
 * exactly, against a brute-force reference from the decoded spans; and
 * model_lane_columns_at (explicit column edges) against model_lane_columns. */
#include "model/columns.h"
#include "model/model.h"
#include "model/model_int.h"
#include "tests/lib/evgen.h"
#include "tests/lib/samples.h"
#include "tests/lib/reflane.h"
#include "tests/lib/spancopy.h"
#include "tests/lib/xorshift.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static uint64_t rng;
static uint64_t rnd(void) { return xorshift64(&rng); }

/* A model with 3 goroutines and a P of 100k+ spans each: phases where one
 * state dominates (long spans of it) alternate with even mixes, bursts of
 * short spans and long quiet stretches, so that super-blocks, blocks and the
 * exact sums each decide some columns. */
static model *long_lanes(int round, evgen *e)
{
    enum { UND = TT_GS_UNDETERMINED, RNBL = TT_GS_RUNNABLE, RUN = TT_GS_RUNNING, WAIT = TT_GS_WAITING };
    rng = 0x9e3779b97f4a7c15ull * (uint64_t)(round + 11);
    evgen_init(e);
    int64_t t = round % 2 ? -(INT64_C(1) << 36) : 5000;
    evgen_sync(e, t);
    enum { NG = 3 };
    int gs[NG];
    for (int g = 0; g < NG; g++) {
        gs[g] = g ? WAIT : RUN;
        evgen_go(e, t, 0, 0, -1, g + 1, UND, gs[g], "", 0, 0);
    }
    evgen_proc(e, t, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    int prun = 1;
    int nev = 420000 + round * 50000;
    int bias = 0;
    for (int i = 0; i < nev; i++) {
        if (i % 5000 == 0)
            bias = (int)(rnd() % 5); /* 0: even mix, 4: a burst of short spans */
        int64_t d = bias == 4 ? 1 + (int64_t)(rnd() % 20) : 1 + (int64_t)(rnd() % 1000);
        if (rnd() % 3000 == 0)
            d += (int64_t)(rnd() % 50000000); /* a long quiet stretch */
        t += d;
        if (rnd() % 4 == 0) {
            evgen_proc(e, t, 0, -1, 0, prun ? TT_PS_RUNNING : TT_PS_IDLE, prun ? TT_PS_IDLE : TT_PS_RUNNING);
            prun = !prun;
            if (bias && bias < 4 && prun == (bias == 1))
                t += 3000; /* the P also favours a state */
            continue;
        }
        int g = (int)(rnd() % NG);
        int to = gs[g] == RUN ? (rnd() % 2 ? WAIT : RNBL) : gs[g] == WAIT ? RNBL : RUN;
        int64_t hold = bias && bias < 4 && to == (bias == 1 ? RUN : bias == 2 ? RNBL : WAIT) ? 20000 : 0;
        evgen_go(e, t, 0, 0, -1, g + 1, gs[g], to, to == WAIT ? "chan receive" : "", 0, 0);
        gs[g] = to;
        t += hold;
    }
    evgen_sync(e, t + 1);
    return evgen_finish(e);
}

/* Views over a lane: the whole lane, around it, and random parts of it,
 * with widths from a few blocks to thousands of super-blocks per column. */
static uint64_t check_lane(model *m, model_lane_kind k, uint32_t li, const char *name)
{
    uint32_t n;
    model_span *s = lane_spans_copy(m, k, li, &n);
    assert_non_null(s);
    uint64_t cols = 0;
    if (n < 2) {
        free(s);
        return 0;
    }
    enum { NC = 200 };
    uint8_t got[NC], want[NC];
    int64_t ls = s[0].start, le = s[n - 1].end;
    for (int z = 0; z < 40; z++) {
        /* (few columns: each holds many super-blocks) */
        uint32_t nc = z % 2 ? 8 + (uint32_t)(rnd() % (NC - 7)) : 4 + (uint32_t)(rnd() % 24);
        double frac = z < 4 ? 1.0 : 1.0 / (double)(1u << (z < 24 ? rnd() % 4 : rnd() % 12)) * (0.5 + (double)(rnd() % 1000) / 1000.0);
        if (frac > 1.0)
            frac = 1.0;
        double w = (double)(le - ls) * frac * (z == 1 ? 1.2 : 1.0) / nc;
        int64_t t0 = z < 4 ? ls - (int64_t)(w * (z % 2)) - z
                           : ls + (int64_t)((double)(le - ls) * (1.0 - frac) * (double)(rnd() % 1001) / 1000.0);
        if (z % 3 == 2)
            w += 0.37; /* fractional widths: the column edges round */
        model_lane_columns(m, k, li, t0, w, nc, got);
        ref_columns(s, n, t0, w, nc, want);
        for (uint32_t c = 0; c < nc; c++)
            if (got[c] != want[c])
                fail_msg("%s kind %d lane %u (%u spans) view %d (%u cols of %.2f ns from %lld) col %u: %d, want %d",
                         name, k, li, n, z, nc, w, (long long)t0, c, got[c], want[c]);
        cols += nc;
    }
    free(s);
    return cols;
}

static void test_long_lanes(void **state)
{
    (void)state;
    uint64_t cols = 0, by_blocks = 0, by_sblocks = 0;
    for (int round = 0; round < 3; round++) {
        evgen e;
        model *m = long_lanes(round, &e);
        assert_non_null(m);
        char name[32];
        snprintf(name, sizeof name, "long lanes %d", round);
        uint32_t big = 0;
        for (int k = 0; k < 2; k++)
            for (uint32_t li = 0; li < model_lane_count(m, (model_lane_kind)k); li++) {
                if (model_lane_nspans(m, (model_lane_kind)k, li) >= 65536)
                    big++;
                cols += check_lane(m, (model_lane_kind)k, li, name);
            }
        assert_true(big >= 3); /* lanes of 64 super-blocks or more */
        by_blocks += m->cache->lod_cols;
        by_sblocks += model_lod2_cols(m);
        model_free(m);
        evgen_free(&e);
    }
    print_message("%llu columns: %llu from whole blocks, %llu of them from super-blocks\n",
                  (unsigned long long)cols, (unsigned long long)by_blocks, (unsigned long long)by_sblocks);
    /* every path ran: super-blocks, blocks of 32, exact sums */
    assert_true(by_sblocks > 500);
    assert_true(by_blocks > by_sblocks + 500);
    assert_true(by_blocks + 1000 < cols);
}

/* The samples' lanes at the zooms of the explorer (whole trace, halves,
 * quarters), against the reference. */
static void check_sample(model *m, const char *name, void *ctx)
{
    uint64_t *cols = ctx;
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start;
    if (span <= 0)
        return;
    enum { NC = 166 };
    uint8_t got[NC], want[NC];
    for (int k = 0; k < 4; k++)
        for (uint32_t li = 0; li < model_lane_count(m, (model_lane_kind)k); li++) {
            uint32_t n;
            model_span *s = lane_spans_copy(m, (model_lane_kind)k, li, &n);
            assert_non_null(s);
            for (int z = 0; z < 6 && n; z++) {
                double npc = (double)span / NC / (double)(1u << z);
                int64_t t0 = in->t_start + (int64_t)((double)span * (double)(z * 13 % 7) / 9.0);
                model_lane_columns(m, (model_lane_kind)k, li, t0, npc, NC, got);
                ref_columns(s, n, t0, npc, NC, want);
                for (int c = 0; c < NC; c++)
                    if (got[c] != want[c])
                        fail_msg("%s kind %d lane %u zoom %d col %d: %d, want %d", name, k, li, z, c, got[c],
                                 want[c]);
                *cols += NC;
            }
            free(s);
        }
}

static void test_samples(void **state)
{
    (void)state;
    uint64_t cols = 0;
    assert_true(for_each_sample(check_sample, &cols) > 5);
    assert_true(cols > 10000);
}

/* model_lane_columns_at with model_column_edges' edges gives
 * model_lane_columns' output, whole or in pieces (a scroll computes only
 * some columns); decreasing edges report the span under the column start. */
static void check_at(model *m, const char *name, uint64_t *cols)
{
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start;
    if (span <= 0)
        return;
    enum { NC = 150 };
    uint8_t whole[NC], got[NC + 1];
    int64_t edges[NC + 1];
    for (int k = 0; k < 4; k++)
        for (uint32_t li = 0; li < model_lane_count(m, (model_lane_kind)k); li++)
            for (int z = 0; z < 8; z++) {
                double npc = (double)span / NC / (double)(1u << (z * 3)) + (z % 2 ? 0.37 : 0);
                int64_t t0 = in->t_start - span / 10 + (int64_t)((double)span * (double)(rnd() % 1000) / 1000.0);
                model_lane_columns(m, (model_lane_kind)k, li, t0, npc, NC, whole);
                model_column_edges(t0, npc, NC, edges);
                for (int c = 0; c < NC; c++)
                    assert_int_equal(edges[c], (int64_t)llround((double)t0 + npc * c));
                model_lane_columns_at(m, (model_lane_kind)k, li, edges, NC, got);
                assert_memory_equal(got, whole, NC);
                for (int piece = 0; piece < 4; piece++) {
                    uint32_t a = (uint32_t)(rnd() % NC), b = a + 1 + (uint32_t)(rnd() % (NC - a));
                    memset(got, 0xee, sizeof got);
                    model_lane_columns_at(m, (model_lane_kind)k, li, edges + a, b - a, got);
                    for (uint32_t c = a; c < b; c++)
                        if (got[c - a] != whole[c])
                            fail_msg("%s kind %d lane %u view %d columns [%u, %u) col %u: %d, want %d", name, k, li,
                                     z, a, b, c, got[c - a], whole[c]);
                    assert_int_equal(got[b - a], 0xee); /* nothing written past the end */
                }
                *cols += NC;
            }
    /* edges that go back: the span under the start of such a column */
    uint32_t n;
    model_span *s = lane_spans_copy(m, ML_PROC, 0, &n);
    if (s && n) {
        int64_t e[4] = {s[n / 2].start, s[n / 2].start + 1, s[0].start, s[n - 1].end};
        model_lane_columns_at(m, ML_PROC, 0, e, 3, got);
        uint32_t first = 0;
        assert_int_equal(got[0], ref_column(s, n, &first, e[0], e[1]));
        assert_int_equal(got[1], s[n / 2].state);
        first = 0;
        assert_int_equal(got[2], ref_column(s, n, &first, e[2], e[3]));
    }
    free(s);
}

static void check_at_sample(model *m, const char *name, void *ctx)
{
    check_at(m, name, ctx);
}

static void test_columns_at(void **state)
{
    (void)state;
    uint64_t cols = 0;
    rng = 77;
    assert_true(for_each_sample(check_at_sample, &cols) > 5);
    evgen e;
    model *m = long_lanes(0, &e);
    assert_non_null(m);
    check_at(m, "long lanes 0", &cols);
    model_free(m);
    evgen_free(&e);
    assert_true(cols > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_lanes),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_columns_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

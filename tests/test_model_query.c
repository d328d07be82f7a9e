/* Queries made cheap for the explorer's frames: the top-N episodes (bounded
 * heap) against the fully sorted list, the cached episode counts, and the
 * goroutine-count series against a plain reference computation, over every
 * sample trace. */
#include "model/model.h"
#include "tests/lib/samples.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void check_top(model *m, const char *name, void *ctx)
{
    (void)ctx;
    static const uint32_t maxes[] = {1, 3, 7, 100, 2000, UINT32_MAX};
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    for (uint32_t g = 0; g < ng; g++) {
        const model_episode *all;
        uint32_t nall = model_goroutine_episodes(m, g, &all);
        uint32_t *copy = malloc(sizeof *copy * (nall + 1));
        assert_non_null(copy);
        for (uint32_t i = 0; i < nall; i++)
            copy[i] = all[i].span;
        for (size_t k = 0; k < sizeof maxes / sizeof maxes[0]; k++) {
            const model_episode *top;
            uint32_t total = 12345;
            uint32_t n = model_goroutine_top_episodes(m, g, maxes[k], &top, &total);
            uint32_t want = nall < maxes[k] ? nall : maxes[k];
            if (n != want || total != nall)
                fail_msg("%s G lane %u max %u: %u of %u, want %u of %u", name, g, maxes[k], n, total,
                         want, nall);
            for (uint32_t i = 0; i < n; i++)
                if (top[i].span != copy[i])
                    fail_msg("%s lane %u max %u: entry %u is span %u, want %u", name, g, maxes[k], i,
                             top[i].span, copy[i]);
            /* asked again: the cached answer is the same */
            const model_episode *again;
            assert_int_equal(model_goroutine_top_episodes(m, g, maxes[k], &again, NULL), n);
            for (uint32_t i = 0; i < n; i++)
                assert_int_equal(again[i].span, copy[i]);
        }
        assert_int_equal(model_goroutine_episode_count(m, g), nall);
        free(copy);
    }
    assert_int_equal(model_goroutine_episode_count(m, ng), 0);
    const model_episode *e;
    uint32_t total = 1;
    assert_int_equal(model_goroutine_top_episodes(m, ng, 10, &e, &total), 0);
    assert_int_equal(total, 0);
}

static void test_top_episodes(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_top, NULL) > 5);
}

/* Reference for model_lane_columns, straight from its contract in model.h:
 * per column, the time of each state among the spans overlapping it. */
static void ref_columns(const model_span *s, uint32_t n, int64_t t0, double npc, uint32_t ncols,
                        uint8_t *out)
{
    uint32_t first = 0;
    for (uint32_t c = 0; c < ncols; c++) {
        int64_t ta = (int64_t)llround((double)t0 + npc * c);
        int64_t tb = (int64_t)llround((double)t0 + npc * (c + 1));
        int64_t d[MS__COUNT] = {0};
        while (first < n && s[first].end <= ta)
            first++;
        for (uint32_t i = first; i < n && s[i].start < tb; i++) {
            int64_t a = s[i].start > ta ? s[i].start : ta, b = s[i].end < tb ? s[i].end : tb;
            if (b > a && s[i].state < MS__COUNT)
                d[s[i].state] += b - a;
        }
        int best = MS_NONE;
        int64_t bestd = 0;
        for (int st = 1; st < MS__COUNT; st++)
            if (d[st] > bestd || (d[st] == bestd && d[st] > 0 && st == MS_RUNNING)) {
                best = st;
                bestd = d[st];
            }
        if (best == MS_NONE && tb <= ta)
            for (uint32_t i = 0; i < n; i++)
                if (s[i].start <= ta && ta < s[i].end)
                    best = s[i].state;
        out[c] = (uint8_t)best;
    }
}

static int lanes_checked, big_lanes_checked;

static void check_columns(model *m, const char *name, void *ctx)
{
    (void)ctx;
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start;
    if (span <= 0)
        return;
    enum { NC = 180 };
    uint8_t got[NC], want[NC];
    for (int k = 0; k < 4; k++) {
        uint32_t nl = model_lane_count(m, (model_lane_kind)k);
        for (uint32_t li = 0; li < nl; li++) {
            const model_span *s;
            uint32_t n = model_lane_spans(m, (model_lane_kind)k, li, &s);
            if (!n)
                continue;
            /* the whole trace, then zooms at a few places, down to < 1 ns */
            for (int z = 0; z < 14; z++) {
                double npc = (double)span / NC / (z < 2 ? 1 : (double)(1ll << (2 * z)));
                int64_t t0 = z == 1 ? in->t_start - span / 3
                                    : in->t_start + (int64_t)((double)span * ((z * 37) % 100) / 100.0);
                model_lane_columns(m, (model_lane_kind)k, li, t0, npc, NC, got);
                ref_columns(s, n, t0, npc, NC, want);
                for (int c = 0; c < NC; c++)
                    if (got[c] != want[c])
                        fail_msg("%s kind %d lane %u (%u spans) zoom %d col %d: %d, want %d", name, k, li, n, z,
                                 c, got[c], want[c]);
            }
            lanes_checked++;
            if (n >= 8192)
                big_lanes_checked++;
        }
    }
}

static void test_lane_columns(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_columns, NULL) > 5);
    assert_true(lanes_checked > 100);
    assert_true(big_lanes_checked > 0); /* lanes long enough for the block index */
}

/* Reference goroutine counts: every span boundary as (time, class, +-1),
 * sorted by time, summed; one point per time where a class's count
 * changed (the value after all changes at that time). */
typedef struct bnd {
    int64_t t;
    int w, d;
} bnd;

static int cmp_bnd(const void *a, const void *b)
{
    const bnd *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

static int gclass(uint8_t st)
{
    return st == MS_RUNNING || st == MS_SYSCALL || st == MS_SYSCALL_BLOCKED ? 0
           : st == MS_RUNNABLE                                              ? 1
           : st == MS_WAITING                                               ? 2
                                                                            : -1;
}

static void check_gseries(model *m, const char *name, void *ctx)
{
    (void)ctx;
    size_t nb = 0, cap = 1024;
    bnd *b = malloc(sizeof *b * cap);
    assert_non_null(b);
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    for (uint32_t g = 0; g < ng; g++) {
        const model_span *s;
        uint32_t n = model_lane_spans(m, ML_GOROUTINE, g, &s);
        for (uint32_t i = 0; i < n; i++) {
            int w = gclass(s[i].state);
            if (w < 0)
                continue;
            if (nb + 2 > cap) {
                cap *= 2;
                b = realloc(b, sizeof *b * cap);
                assert_non_null(b);
            }
            b[nb++] = (bnd){s[i].start, w, 1};
            b[nb++] = (bnd){s[i].end, w, -1};
        }
    }
    qsort(b, nb, sizeof *b, cmp_bnd);
    const model_info *in = model_get_info(m);
    for (int w = 0; w < 3; w++) {
        const model_point *p;
        uint32_t np = model_series(m, (model_series_kind)(MSER_G_RUNNING + w), &p);
        assert_true(np >= 1);
        assert_int_equal(p[0].t, in->t_start);
        uint32_t k = 1;
        int64_t cur = 0;
        uint64_t last = p[0].v;
        for (size_t i = 0; i < nb;) {
            int64_t t = b[i].t;
            int changed = 0;
            for (; i < nb && b[i].t == t; i++)
                if (b[i].w == w) {
                    cur += b[i].d;
                    changed = 1;
                }
            if (!changed)
                continue;
            uint64_t v = cur < 0 ? 0 : (uint64_t)cur;
            if (t == p[k - 1].t && k == 1) { /* a change at t_start replaces the first point */
                if (p[0].v != v)
                    fail_msg("%s series %d: at start %llu, want %llu", name, w, (unsigned long long)p[0].v,
                             (unsigned long long)v);
                last = v;
                continue;
            }
            if (v == last)
                continue;
            if (k >= np || p[k].t != t || p[k].v != v)
                fail_msg("%s series %d point %u: (%lld, %llu), want (%lld, %llu)", name, w, k,
                         k < np ? (long long)p[k].t : -1LL, k < np ? (unsigned long long)p[k].v : 0ULL,
                         (long long)t, (unsigned long long)v);
            last = v;
            k++;
        }
        if (k != np)
            fail_msg("%s series %d: %u points, want %u", name, w, np, k);
    }
    free(b);
}

static void test_goroutine_series(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_gseries, NULL) > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_episodes),
        cmocka_unit_test(test_lane_columns),
        cmocka_unit_test(test_goroutine_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * model_goroutine_top_episodes on goroutines with hundreds of thousands of
 * spans, where it searches the episode super-blocks (runs of 32 blocks of
 * 32 spans: their longest block maximum and their episode count) before the
 * blocks: against a brute-force reference (every span decoded, lengths
 * compared as saturated differences, sorted by length then index), for
 * numbers of episodes asked below, at and above the number of super-blocks,
 * with ties (one length, few lengths), block maxima saturated at 2^32 ns,
 * long episodes only in a few super-blocks, lengths growing and shrinking
 * along the lane, and lanes with no episode or no span.
 */
#include "model/model.h"
#include "model/model_int.h"
#include "tests/lib/evgen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

typedef struct ref_ep {
    int64_t d;
    uint32_t i;
} ref_ep;

static int cmp_ref(const void *a, const void *b)
{
    const ref_ep *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int is_ep(uint32_t st)
{
    return st == MS_WAITING || st == MS_SYSCALL || st == MS_SYSCALL_BLOCKED || st == MS_RUNNABLE;
}

/* Every episode of goroutine lane g, sorted as the top episodes are. */
static ref_ep *ref_episodes(const model *m, uint32_t g, uint32_t *n)
{
    uint32_t ns = model_lane_nspans(m, ML_GOROUTINE, g), k = 0;
    ref_ep *r = malloc(sizeof *r * (ns + 1));
    assert_non_null(r);
    model_span s;
    for (uint32_t i = 0; i < ns; i++) {
        assert_non_null(model_lane_span(m, ML_GOROUTINE, g, i, &s));
        if (!is_ep(s.state))
            continue;
        int64_t d;
        if (__builtin_sub_overflow(s.end, s.start, &d))
            d = s.end > s.start ? INT64_MAX : INT64_MIN;
        r[k].d = d;
        r[k++].i = i;
    }
    qsort(r, k, sizeof *r, cmp_ref);
    *n = k;
    return r;
}

static void check_lane(const model *m, uint32_t g, const char *what)
{
    uint32_t nall;
    ref_ep *r = ref_episodes(m, g, &nall);
    uint32_t ns = model_lane_nspans(m, ML_GOROUTINE, g);
    uint32_t nsb = (ns / 32 + 31) / 32; /* super-blocks */
    const uint32_t maxes[] = {1, 2, 7, 100, nsb ? nsb - 1 : 0, nsb, nsb + 1, 2000, 5000, UINT32_MAX};
    /* twice: the second round asks in another order (cached answers and
     * counts from the first round) */
    for (int round = 0; round < 2; round++)
        for (size_t q = 0; q < sizeof maxes / sizeof maxes[0]; q++) {
            uint32_t mx = maxes[round ? sizeof maxes / sizeof maxes[0] - 1 - q : q];
            const model_episode *top;
            uint32_t total = 12345;
            uint32_t n = model_goroutine_top_episodes(m, g, mx, &top, &total);
            uint32_t want = nall < mx ? nall : mx;
            if (n != want || total != nall)
                fail_msg("%s lane %u max %u: %u of %u, want %u of %u", what, g, mx, n, total, want, nall);
            for (uint32_t i = 0; i < n; i++)
                if (top[i].span != r[i].i)
                    fail_msg("%s lane %u max %u: entry %u is span %u, want %u (%lld ns)", what, g, mx, i,
                             top[i].span, r[i].i, (long long)r[i].d);
        }
    assert_int_equal(model_goroutine_episode_count(m, g), nall);
    free(r);
}

enum { V_SAME, V_FEW, V_RANDOM_SAT, V_SPARSE_LONG, V_GROWING, V_SHRINKING, V__COUNT };

/* Goroutine 1 blocks nrounds times (lengths by variant); goroutine 2 runs
 * the whole time (one span, no episode). */
static model *build(int variant, int nrounds)
{
    evgen e;
    evgen_init(&e);
    const int64_t T0 = 1000;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_proc(&e, T0, 1, -1, 1, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, T0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    evgen_go(&e, T0, 1, 1, -1, 2, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    int64_t t = T0;
    uint32_t seed = 777u + (uint32_t)variant;
    for (int i = 0; i < nrounds; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t d;
        switch (variant) {
        case V_SAME: d = 50; break;
        case V_FEW: d = (int64_t)(seed >> 16) % 3 + 1; break;
        case V_RANDOM_SAT:
            d = (int64_t)(seed >> 16) % 5000 + 1;
            if (i % 4099 == 0)
                d = (INT64_C(1) << 32) + (int64_t)(i % 5); /* saturated block maxima, ties among them */
            break;
        case V_SPARSE_LONG:
            /* short everywhere, long in a few places (whole super-blocks
             * without a long one are skipped) */
            d = (int64_t)(seed >> 16) % 20 + 1;
            if (i % 50000 < 40 && i % 3 == 0)
                d = 100000 + (int64_t)(seed >> 20) % 7;
            break;
        case V_GROWING: d = 1 + i / 16; break;
        default: d = 1 + (nrounds - i) / 16; break;
        }
        evgen_go(&e, t += 3, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "chan receive", 0, 0);
        evgen_go(&e, t += d, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
        evgen_go(&e, t += 1 + (int64_t)(seed % 4), 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
    }
    evgen_sync(&e, t + 10);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    evgen_free(&e);
    return m;
}

static void test_top_sblocks(void **state)
{
    (void)state;
    static const char *names[V__COUNT] = {"same", "few", "random+saturated", "sparse long", "growing",
                                          "shrinking"};
    for (int v = 0; v < V__COUNT; v++) {
        model *m = build(v, 120000); /* 360k spans: ~350 super-blocks */
        uint32_t g1 = model_goroutine_find(m, 1), g2 = model_goroutine_find(m, 2);
        assert_true(g1 != UINT32_MAX && g2 != UINT32_MAX);
        assert_true(model_lane_nspans(m, ML_GOROUTINE, g1) > 300000);
        check_lane(m, g1, names[v]);
        check_lane(m, g2, names[v]);
        /* alternating lanes (the cache holds one lane) */
        check_lane(m, g1, names[v]);
        /* out of range: nothing */
        const model_episode *e;
        uint32_t total = 7;
        uint32_t ng = model_lane_count(m, ML_GOROUTINE);
        assert_int_equal(model_goroutine_top_episodes(m, ng, 10, &e, &total), 0);
        assert_int_equal(total, 0);
        model_free(m);
    }
}

/* A lane just long enough for super-blocks (4096 spans = 128 blocks) and
 * one just short of it, with lengths in few values. */
static void test_top_sblocks_edges(void **state)
{
    (void)state;
    for (int rounds = 1300; rounds <= 1420; rounds += 30) {
        model *m = build(V_FEW, rounds);
        check_lane(m, model_goroutine_find(m, 1), "edge");
        model_free(m);
    }
}

/* The build leaves the super-blocks of every long goroutine lane ready (so
 * the first panel of such a goroutine does not build them), and none for a
 * short one. */
static void test_sblocks_built_with_model(void **state)
{
    (void)state;
    model *m = build(V_FEW, 20000); /* 60k spans on goroutine 1; goroutine 2 has one */
    uint32_t g1 = model_goroutine_find(m, 1), g2 = model_goroutine_find(m, 2);
    assert_true(g1 != UINT32_MAX && g2 != UINT32_MAX);
    assert_non_null(m->cache->ep_sb);
    assert_non_null(m->cache->ep_sb[g1]);
    assert_null(m->cache->ep_sb[g2]);
    check_lane(m, g1, "built with the model");
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_sblocks),
        cmocka_unit_test(test_top_sblocks_edges),
        cmocka_unit_test(test_sblocks_built_with_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The leads of model_lane_columns_mg / model_lane_columns_at_mg, which let
 * the explorer reuse a column after a scroll moved its edges by rounding: the
 * states equal model_lane_columns', every lead is a true lower bound (the
 * column's state exceeds every other state's time by at least mg[c] ns,
 * checked against the plain reference sums), and moving the edges by da and
 * db with 2 (|da| + |db|) < mg[c] keeps the reference's state. Over every
 * sample trace's lanes at several zooms (columns decided from super-blocks,
 * blocks and spans), and on a synthetic lane of 300k spans.
 */
#include "model/model.h"
#include "tests/lib/evgen.h"
#include "tests/lib/reflane.h"
#include "tests/lib/samples.h"
#include "tests/lib/spancopy.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

enum { NC = 150 };

static long leads_seen, moved_checked;

/* Exact time per state of [ta, tb) (reference sums). */
static void ref_sums(const model_span *s, uint32_t n, int64_t ta, int64_t tb, int64_t d[MS__COUNT])
{
    for (int k = 0; k < MS__COUNT; k++)
        d[k] = 0;
    uint32_t lo = 0, hi = n; /* first span ending after ta (sorted lane) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s[mid].end > ta)
            hi = mid;
        else
            lo = mid + 1;
    }
    for (uint32_t i = lo; i < n && s[i].start < tb; i++) {
        if (s[i].end <= ta)
            continue;
        int64_t a = s[i].start > ta ? s[i].start : ta, b = s[i].end < tb ? s[i].end : tb;
        if (b > a && s[i].state < MS__COUNT)
            d[s[i].state] += b - a;
    }
}

static void check_lane(const model *m, model_lane_kind k, uint32_t li, const model_span *s, uint32_t n,
                       int64_t t0, double npc, uint32_t *seed)
{
    uint8_t got[NC], mg[NC], plain[NC], mg2[NC], got2[NC];
    int64_t edges[NC + 1];
    model_lane_columns_mg(m, k, li, t0, npc, NC, got, mg);
    model_lane_columns(m, k, li, t0, npc, NC, plain);
    model_column_edges(t0, npc, NC, edges);
    model_lane_columns_at_mg(m, k, li, edges, NC, got2, mg2);
    for (int c = 0; c < NC; c++) {
        assert_int_equal(got[c], plain[c]);
        assert_int_equal(got2[c], plain[c]);
        assert_int_equal(mg2[c], mg[c]);
        if (!mg[c])
            continue;
        leads_seen++;
        /* the lead is a lower bound */
        int64_t d[MS__COUNT];
        ref_sums(s, n, edges[c], edges[c + 1], d);
        for (int st = 1; st < MS__COUNT; st++)
            if (st != got[c] && d[got[c]] - d[st] < mg[c])
                fail_msg("kind %d lane %u col %d: state %d leads %d by %lld < %u", k, li, c, got[c], st,
                         (long long)(d[got[c]] - d[st]), mg[c]);
        /* moved edges within the lead keep the state */
        for (int r = 0; r < 4; r++) {
            *seed = *seed * 1103515245u + 12345u;
            int64_t lim = (mg[c] - 1) / 2; /* |da| + |db| <= lim: 2 (|da| + |db|) < mg */
            int64_t da = lim ? (int64_t)(*seed >> 8) % (lim + 1) : 0;
            int64_t db = lim - da ? (int64_t)(*seed >> 20) % (lim - da + 1) : 0;
            if (*seed & 1)
                da = -da;
            if (*seed & 2)
                db = -db;
            int64_t a = edges[c] + da, b = edges[c + 1] + db;
            if (b <= a)
                continue;
            uint32_t first = 0, hi = n; /* (ref_column starts from first) */
            while (first < hi) {
                uint32_t mid = first + (hi - first) / 2;
                if (s[mid].end > a)
                    hi = mid;
                else
                    first = mid + 1;
            }
            int want = ref_column(s, n, &first, a, b);
            if (want != got[c])
                fail_msg("kind %d lane %u col %d: moved by %lld/%lld (lead %u): %d, was %d", k, li, c, (long long)da,
                         (long long)db, mg[c], want, got[c]);
            moved_checked++;
        }
    }
}

static void check_model(model *m, const char *name, void *ctx)
{
    (void)name;
    (void)ctx;
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start;
    if (span <= 0)
        return;
    uint32_t seed = 99;
    for (int k = 0; k < 4; k++) {
        uint32_t nl = model_lane_count(m, (model_lane_kind)k);
        for (uint32_t li = 0; li < nl && li < 40; li++) {
            uint32_t n;
            model_span *s = lane_spans_copy(m, (model_lane_kind)k, li, &n);
            assert_non_null(s);
            for (int z = 0; z < 8 && n; z++) {
                double npc = (double)span / NC / (double)(1ll << (2 * z));
                int64_t t0 = in->t_start + (int64_t)((double)span * ((z * 29) % 100) / 100.0);
                check_lane(m, (model_lane_kind)k, li, s, n, t0, npc, &seed);
            }
            free(s);
        }
    }
}

static void test_leads_samples(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_model, NULL) > 5);
    assert_true(leads_seen > 1000);
    assert_true(moved_checked > 1000);
}

/* One goroutine of 300k spans (block indexes, super-blocks): runs of short
 * and long blocking with random lengths. */
static void test_leads_long_lane(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    int64_t t = 1000;
    evgen_sync(&e, t);
    evgen_proc(&e, t, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, t, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    uint32_t seed = 5;
    for (int i = 0; i < 100000; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t w = (i / 3000) % 2 ? (int64_t)(seed >> 16) % 400 + 1 : (int64_t)(seed >> 16) % 20 + 1;
        evgen_go(&e, t += (int64_t)(seed >> 24) % 50 + 1, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "chan receive",
                 0, 0);
        evgen_go(&e, t += w, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
        evgen_go(&e, t += (int64_t)(seed % 7) + 1, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
    }
    evgen_sync(&e, t + 10);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    uint32_t g = model_goroutine_find(m, 1), n;
    model_span *s = lane_spans_copy(m, ML_GOROUTINE, g, &n);
    assert_non_null(s);
    assert_true(n > 250000);
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start;
    long before = leads_seen;
    for (int z = 0; z < 10; z++) {
        double npc = (double)span / NC / pow(3.0, z);
        int64_t t0 = in->t_start + (int64_t)((double)span * ((z * 37) % 100) / 100.0);
        check_lane(m, ML_GOROUTINE, g, s, n, t0, npc, &seed);
    }
    assert_true(leads_seen - before > 300);
    free(s);
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leads_samples),
        cmocka_unit_test(test_leads_long_lane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Parts of model_builder_finish checked against a plain recomputation from
 * the model's own records:
 *   - model_lanes_index (model/build.c): the states kept, the checkpoints
 *     (every 32 spans of a lane, narrow and wide groups) and the goroutine
 *     lanes' episode blocks, recomputed span by span with model_rec_sse;
 *   - model_build_groups (model/gstats.c): the goroutine lanes of the groups
 *     are the lanes in Go's summary, by start function name then lane, and
 *     each group's count and execution time add up;
 *   - the ranges of each kind are by start, then resource (sorted only when
 *     they are not already: equal ones keep the order they began in).
 * And the builder's summary name (sum_name: a goroutine's name, once found,
 * is not looked up again until its summary is reset by a re-creation).
 * And the P lanes' records as the builder writes them (pm_set / pm_close:
 * the span's record, or its escape after a gap, an offset of 2^32 ns or more
 * from its block's anchor, or a goroutine id beyond 28 bits).
 * And the goroutine spans' sites (site_of, behind a cache by hash): each
 * waiting span decodes to its own stack, reason and unblocker with thousands
 * of sites in use, and the site table holds each site once.
 * And the goroutine lanes' order by id (order_ids: by radix when the ids
 * span less than 2^32, else by qsort), ids first seen out of order.
 * And each goroutine's regions in order (group_by_g's order check: regions
 * ended without a begin first, then by start and depth).
 * On every sample trace, and on synthetic traces with hundreds of start
 * functions interleaved (their names in another order than their ids) and
 * with spans long enough to escape their records and to make checkpoint
 * groups wide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model_int.h"
#include "tests/lib/evgen.h"
#include "tests/lib/samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_index(const model_lanes *l)
{
    /* the states kept: those of the lanes' spans */
    uint32_t seen = 0;
    for (uint32_t i = 0; i < l->n; i++)
        for (uint32_t j = 0; j < l->cnt[i]; j++) {
            uint32_t st = model_rec_sse(l, i, j).state;
            if (st < MS__COUNT)
                seen |= 1u << st;
        }
    uint32_t nst = 0;
    for (uint32_t st = 0; st < MS__COUNT; st++)
        if (seen & (1u << st)) {
            assert_true(nst < l->nst);
            assert_int_equal(l->st[nst], st);
            nst++;
        }
    assert_int_equal(nst, l->nst);
    /* the checkpoints: sums by state of spans [0, 32j) */
    int64_t out[MS__COUNT];
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t n = l->cnt[i];
        assert_int_equal(l->ck_off[i + 1] - l->ck_off[i], n / MODEL_CK_EVERY);
        uint64_t acc[MS__COUNT] = {0};
        for (uint32_t j = 1; j <= n; j++) {
            model_sse e = model_rec_sse(l, i, j - 1);
            if (e.state < MS__COUNT)
                acc[e.state] += (uint64_t)e.end - (uint64_t)e.start;
            if (j % MODEL_CK_EVERY)
                continue;
            model_ck_load(l, (size_t)l->ck_off[i] + j / MODEL_CK_EVERY - 1, out);
            for (uint32_t k = 0; k < nst; k++)
                assert_true((uint64_t)out[k] == acc[l->st[k]]);
        }
    }
    if (!l->site) {
        assert_null(l->ep_max);
        return;
    }
    /* goroutine lanes: the longest episode and the episode count per block */
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t n = l->cnt[i];
        for (uint32_t b = 0; b * MODEL_CK_EVERY < n || b == 0; b++) {
            uint32_t max = 0, cnt = 0;
            for (uint32_t j = b * MODEL_CK_EVERY; j < n && j < (b + 1) * MODEL_CK_EVERY; j++) {
                model_sse e = model_rec_sse(l, i, j);
                if (!model_is_episode(e.state))
                    continue;
                uint64_t d = (uint64_t)e.end - (uint64_t)e.start;
                uint32_t d32 = d >= UINT32_MAX ? UINT32_MAX : (uint32_t)d;
                if (d32 > max)
                    max = d32;
                cnt++;
            }
            size_t at = (size_t)l->ck_off[i] + i + b;
            assert_int_equal(l->ep_max[at], max);
            assert_int_equal(l->ep_cnt[at], cnt);
        }
    }
}

static int cmp_name(const model *m, uint32_t x, uint32_t y)
{
    size_t nx, ny;
    const char *sx = model_str(m, m->gs[x].func, &nx), *sy = model_str(m, m->gs[y].func, &ny);
    int c = memcmp(sx, sy, nx < ny ? nx : ny);
    return c ? c : (nx > ny) - (nx < ny);
}

static void check_groups(const model *m)
{
    uint32_t ng = model_lane_count(m, ML_GOROUTINE), n = 0;
    model_gstats st;
    const model_ggroup *gr;
    uint32_t ngr = model_goroutine_groups(m, &gr);
    const uint32_t *lanes = model_ggroup_lanes(m);
    uint8_t *in = calloc(ng ? ng : 1, 1);
    assert_non_null(in);
    for (uint32_t i = 0; i < ng; i++) {
        assert_non_null(model_goroutine_stats(m, i, &st));
        in[i] = (uint8_t)st.in_summary;
        n += st.in_summary;
    }
    uint32_t total = 0;
    for (uint32_t g = 0; g < ngr; g++) {
        assert_true(gr[g].count > 0);
        int64_t exec = 0;
        for (uint32_t k = gr[g].first; k < gr[g].first + gr[g].count; k++) {
            uint32_t l = lanes[k];
            assert_true(l < ng && in[l] == 1);
            in[l] = 2; /* each lane once */
            assert_int_equal(m->gs[l].func == gr[g].func || cmp_name(m, l, lanes[gr[g].first]) == 0, 1);
            assert_non_null(model_goroutine_stats(m, l, &st));
            exec += st.exec_ns;
        }
        assert_true(exec == gr[g].exec_ns);
        total += gr[g].count;
    }
    assert_int_equal(total, n);
    /* the lanes, group after group (groups ordered by execution time), are
     * by name then lane inside a group; the groups' names are distinct */
    for (uint32_t g = 0; g < ngr; g++) {
        for (uint32_t k = gr[g].first + 1; k < gr[g].first + gr[g].count; k++) {
            assert_int_equal(cmp_name(m, lanes[k - 1], lanes[k]), 0);
            assert_true(lanes[k - 1] < lanes[k]);
        }
        if (g)
            assert_true(gr[g - 1].exec_ns >= gr[g].exec_ns);
        for (uint32_t h = 0; h < g; h++)
            assert_int_not_equal(cmp_name(m, lanes[gr[h].first], lanes[gr[g].first]), 0);
    }
    /* and the whole list is by name then lane (the lanes' order, groups
     * aside: group g starts where the lanes of smaller names end) */
    for (uint32_t g = 0; g < ngr; g++) {
        uint32_t before = 0;
        for (uint32_t h = 0; h < ngr; h++)
            if (cmp_name(m, lanes[gr[h].first], lanes[gr[g].first]) < 0)
                before += gr[h].count;
        assert_int_equal(gr[g].first, before);
    }
    free(in);
}

static void check_ranges(const model *m)
{
    for (int k = 0; k < MR__COUNT; k++) {
        const model_range *r;
        uint32_t n = model_ranges(m, (model_range_kind)k, &r);
        for (uint32_t i = 1; i < n; i++)
            assert_true(r[i - 1].start < r[i].start ||
                        (r[i - 1].start == r[i].start && r[i - 1].res <= r[i].res));
    }
}

static void check_model(model *m, const char *name, void *ctx)
{
    (void)name;
    (void)ctx;
    for (int k = 0; k < 4; k++)
        check_index(&m->lanes[k]);
    check_groups(m);
    check_ranges(m);
}

static void test_samples(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_model, NULL) > 10);
}

/* Goroutines named by 600 start functions (ids interned in one order, names
 * sorting in another, some sharing a function), created interleaved; every
 * goroutine runs, waits and runs again. */
static void test_many_functions(void **state)
{
    (void)state;
    enum { NF = 600, NG = 2000 };
    evgen e;
    evgen_init(&e);
    static uint32_t stk[NF];
    for (int f = 0; f < NF; f++) {
        char s[64];
        snprintf(s, sizeof s, "pkg%03d.fn%d", (f * 7919) % NF, f % 3);
        stk[f] = evgen_stack(&e, s, NULL);
    }
    evgen_sync(&e, 100);
    evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, 110, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, stk[0]);
    int64_t t = 200;
    for (int g = 0; g < NG; g++) {
        uint32_t s = stk[(g * 37 + g / 5) % NF];
        evgen_go(&e, t += 10, 0, 0, 1, 2 + g, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, s);
    }
    for (int g = 0; g < NG; g++) {
        if (g % 11 == 3)
            continue; /* never runs */
        evgen_go(&e, t += 10, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_RUNNABLE, "", 0, 0);
        evgen_go(&e, t += 10, 0, 0, -1, 2 + g, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        evgen_go(&e, t += 7 + g % 13, 0, 0, 2 + g, 2 + g, TT_GS_RUNNING, TT_GS_WAITING,
                 "chan receive", 0, 0);
        evgen_go(&e, t += 10, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    }
    model *m = evgen_finish(&e);
    const model_ggroup *gr;
    assert_true(model_goroutine_groups(m, &gr) > NF / 2);
    check_model(m, "many", NULL);
    model_free(m);
    evgen_free(&e);
}

/* One goroutine switching every second for a few hundred spans: blocks of 32
 * spans longer than 2^32 ns (records escape), checkpoint groups wider than
 * 2^32 ns (wide), episodes longer than 2^32 ns (saturated). */
static void test_long_spans(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    uint32_t s = evgen_stack(&e, "main.main", NULL);
    evgen_sync(&e, 100);
    evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, 110, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, s);
    int64_t t = 1000;
    for (int k = 0; k < 1200; k++) {
        int64_t d = k % 50 == 7 ? INT64_C(5000000000) : INT64_C(1000000000) + k;
        evgen_go(&e, t += d, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "sleep", s, s);
        evgen_go(&e, t += d / 3, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, "", 0, 0);
        evgen_go(&e, t += 5, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    }
    model *m = evgen_finish(&e);
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    assert_true(l->nesc > 0);
    assert_true(l->nckx > 0);
    check_model(m, "long", NULL);
    model_free(m);
    evgen_free(&e);
}

/* Ranges in the order they began (equal starts keep it), and out of it (a
 * range ended without a begin starts at the trace's start). */
static void test_ranges_order(void **state)
{
    (void)state;
    for (int late = 0; late < 2; late++) {
        evgen e;
        evgen_init(&e);
        evgen_sync(&e, 100);
        evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
        evgen_range(&e, 500, TT_EV_RANGE_BEGIN, "stop-the-world (b)", TT_RES_NONE, 0, -1, 0);
        evgen_range(&e, 500, TT_EV_RANGE_BEGIN, "stop-the-world (a)", TT_RES_NONE, 0, -1, 0);
        evgen_range(&e, 500, TT_EV_RANGE_BEGIN, "stop-the-world (c)", TT_RES_NONE, 0, -1, 0);
        evgen_range(&e, 600, TT_EV_RANGE_END, "stop-the-world (a)", TT_RES_NONE, 0, -1, 0);
        evgen_range(&e, 600, TT_EV_RANGE_END, "stop-the-world (b)", TT_RES_NONE, 0, -1, 0);
        evgen_range(&e, 600, TT_EV_RANGE_END, "stop-the-world (c)", TT_RES_NONE, 0, -1, 0);
        if (late)
            evgen_range(&e, 700, TT_EV_RANGE_END, "stop-the-world (d)", TT_RES_NONE, 0, -1, 0);
        model *m = evgen_finish(&e);
        const model_range *r;
        uint32_t n = model_ranges(m, MR_STW, &r);
        assert_int_equal(n, 3 + late);
        if (late) {
            assert_string_equal(evgen_mstr(m, r[0].name), "stop-the-world (d)");
            assert_true(r[0].start < 500 && (r[0].flags & MRF_NO_BEGIN));
        }
        assert_string_equal(evgen_mstr(m, r[late].name), "stop-the-world (b)");
        assert_string_equal(evgen_mstr(m, r[late + 1].name), "stop-the-world (a)");
        assert_string_equal(evgen_mstr(m, r[late + 2].name), "stop-the-world (c)");
        check_model(m, "ranges", NULL);
        model_free(m);
        evgen_free(&e);
    }
}

/* A goroutine named by its first transition stack, renamed when its id is
 * created again: the new name comes from a transition between Running,
 * Runnable and Waiting (the creation has no stack). */
static void test_name_after_reset(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    uint32_t sa = evgen_stack(&e, "runtime.gopark", "main.first", NULL);
    uint32_t sb = evgen_stack(&e, "runtime.gopark", "main.second", NULL);
    evgen_sync(&e, 100);
    evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, 110, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
    int64_t t = 200;
    evgen_go(&e, t += 10, 0, 0, 1, 5, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, 0);
    evgen_go(&e, t += 10, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "sleep", 0, 0);
    for (int k = 0; k < 3; k++) {
        evgen_go(&e, t += 10, 0, 0, -1, 5, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        evgen_go(&e, t += 10, 0, 0, 5, 5, TT_GS_RUNNING, TT_GS_WAITING, "chan receive", sa, sa);
        evgen_go(&e, t += 10, 0, 0, -1, 5, TT_GS_WAITING, TT_GS_RUNNABLE, "", 0, 0);
    }
    evgen_go(&e, t += 10, 0, 0, -1, 5, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    evgen_go(&e, t += 10, 0, 0, 5, 5, TT_GS_RUNNING, TT_GS_NOTEXIST, "", 0, 0);
    /* the id again, a new goroutine */
    evgen_go(&e, t += 10, 0, 0, -1, 5, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, 0);
    evgen_go(&e, t += 10, 0, 0, -1, 5, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    evgen_go(&e, t += 10, 0, 0, 5, 5, TT_GS_RUNNING, TT_GS_WAITING, "chan receive", sb, sb);
    evgen_go(&e, t += 10, 0, 0, -1, 5, TT_GS_WAITING, TT_GS_RUNNABLE, "", 0, 0);
    model *m = evgen_finish(&e);
    model_gstats st;
    assert_non_null(model_goroutine_stats(m, model_goroutine_find(m, 5), &st));
    assert_string_equal(evgen_mstr(m, st.name), "main.second");
    model_free(m);
    evgen_free(&e);
}

/* P 0 alternates idle and running (a 5 s span in its first block, so the
 * block's later records escape by offset; a gap before its last two spans);
 * P 1 runs goroutine 300000000 (beyond a record's 28-bit other). */
static void test_p_lanes(void **state)
{
    (void)state;
    enum { NK = 40 };
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 100);
    evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_IDLE);
    evgen_proc(&e, 110, 1, -1, 1, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    /* P 1: goroutines 10, 11 and 300000000 in turn (the last one's span
     * closes with the lane's records grown: not the first one) */
    static const int64_t gid[3] = {10, 11, 300000000};
    int64_t tr[3];
    for (int k = 0; k < 3; k++) {
        evgen_go(&e, 120 + 30 * k, 1, -1, -1, gid[k], TT_GS_UNDETERMINED, TT_GS_RUNNABLE, "", 0,
                 0);
        tr[k] = 130 + 30 * k;
        evgen_go(&e, tr[k], 1, 1, -1, gid[k], TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        evgen_go(&e, tr[k] + 10, 1, 1, gid[k], gid[k], TT_GS_RUNNING, TT_GS_WAITING, "sleep", 0,
                 0);
    }
    int64_t t = 300, tk[NK];
    for (int k = 0; k < NK; k++) {
        t += k == 20 ? INT64_C(5000000000) : 1000 + k;
        tk[k] = t;
        evgen_proc(&e, t, 0, -1, 0, k % 2 ? TT_PS_RUNNING : TT_PS_IDLE,
                   k % 2 ? TT_PS_IDLE : TT_PS_RUNNING);
    }
    int64_t tn = t + 1000; /* NK is even: P 0 is idle here */
    evgen_proc(&e, tn, 0, -1, 0, TT_PS_IDLE, TT_PS_NOTEXIST);
    evgen_proc(&e, tn + 500, 0, -1, 0, TT_PS_NOTEXIST, TT_PS_IDLE);
    evgen_proc(&e, tn + 1500, 0, -1, 0, TT_PS_IDLE, TT_PS_RUNNING);
    model *m = evgen_finish(&e);
    assert_int_equal(model_lane_count(m, ML_PROC), 2);
    model_span sp;
    assert_int_equal(model_lane_nspans(m, ML_PROC, 0), NK + 2);
    for (uint32_t i = 0; i < NK + 2; i++) {
        assert_non_null(model_lane_span(m, ML_PROC, 0, i, &sp));
        int64_t s0 = i == 0 ? 100 : i <= NK ? tk[i - 1] : i == NK + 1 ? tn + 500 : tn + 1500;
        int64_t s1 = i < NK ? tk[i] : i == NK ? tn : tn + 1500;
        uint8_t st = i == 0 || i == NK + 1 ? MS_IDLE : i % 2 ? MS_RUNNING : MS_IDLE;
        assert_int_equal(sp.start, s0);
        assert_int_equal(sp.end, s1);
        assert_int_equal(sp.state, st);
        assert_int_equal(sp.other, -1);
        assert_true(sp.stack == 0 && sp.reason == 0 && sp.cat == 0 && sp.flags == 0);
    }
    const model_lanes *l = &m->lanes[ML_PROC];
    /* escaped: the block's spans after the 5 s one, and the span before the gap */
    uint32_t nesc0 = 0;
    for (uint32_t i = 0; i < l->nesc; i++)
        nesc0 += (uint32_t)(l->esc[i].key >> 32) == 0;
    assert_int_equal(nesc0, (32 - 21) + 1);
    assert_int_equal(model_lane_nspans(m, ML_PROC, 1), 7);
    for (uint32_t i = 0; i < 7; i++) {
        assert_non_null(model_lane_span(m, ML_PROC, 1, i, &sp));
        assert_int_equal(sp.state, MS_RUNNING);
        assert_int_equal(sp.start, i == 0 ? 100 : i % 2 ? tr[i / 2] : tr[i / 2 - 1] + 10);
        assert_int_equal(sp.end, i == 6 ? tn + 1500 : i % 2 ? tr[i / 2] + 10 : tr[i / 2]);
        assert_true(sp.other == (i % 2 ? gid[i / 2] : -1));
    }
    check_model(m, "p lanes", NULL);
    model_free(m);
    evgen_free(&e);
}

static int cmp_site(const void *a, const void *b) { return memcmp(a, b, sizeof(model_site)); }

/* 150 goroutines blocking 40 times each, on 37 stacks x 23 reasons, woken
 * by 97 goroutines: a few thousand sites, looked up interleaved. */
static void test_sites(void **state)
{
    (void)state;
    enum { NG = 150, NB = 40, NS = 37, NR = 23, NU = 97 };
    evgen e;
    evgen_init(&e);
    static uint32_t stk[NS];
    static char rs[NR][32];
    for (int k = 0; k < NS; k++) {
        char f[32];
        snprintf(f, sizeof f, "main.f%d", k);
        stk[k] = evgen_stack(&e, "runtime.gopark", f, NULL);
    }
    for (int k = 0; k < NR; k++)
        snprintf(rs[k], sizeof rs[k], "reason %d", k);
    evgen_sync(&e, 100);
    evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    int64_t t = 200;
    for (int g = 0; g < NG; g++)
        evgen_go(&e, t += 10, 0, 0, -1, 1000 + g, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
    for (int b = 0; b < NB; b++)
        for (int g = 0; g < NG; g++) {
            int q = b * NG + g;
            evgen_go(&e, t += 10, 0, 0, 1000 + g, 1000 + g, TT_GS_RUNNING, TT_GS_WAITING,
                     rs[q % NR], stk[(q / 3) % NS], stk[(q / 3) % NS]);
            evgen_go(&e, t += 10, 0, 0, 5000 + q % NU, 1000 + g, TT_GS_WAITING,
                     TT_GS_RUNNABLE, "", 0, 0);
            evgen_go(&e, t += 10, 0, 0, -1, 1000 + g, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        }
    model *m = evgen_finish(&e);
    for (int g = 0; g < NG; g++) {
        uint32_t lane = model_goroutine_find(m, 1000 + g), n = model_lane_nspans(m, ML_GOROUTINE, lane);
        int b = 0;
        for (uint32_t i = 0; i < n; i++) {
            model_span sp;
            assert_non_null(model_lane_span(m, ML_GOROUTINE, lane, i, &sp));
            if (sp.state != MS_WAITING)
                continue;
            int q = b * NG + g;
            assert_string_equal(evgen_mstr(m, sp.reason), rs[q % NR]);
            assert_int_equal(sp.stack, stk[(q / 3) % NS]);
            assert_int_equal(sp.other, 5000 + q % NU);
            b++;
        }
        assert_int_equal(b, NB);
    }
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    assert_true(l->nsite > 2000);
    model_site *c = malloc(sizeof *c * l->nsite);
    assert_non_null(c);
    memcpy(c, l->site, sizeof *c * l->nsite);
    qsort(c, l->nsite, sizeof *c, cmp_site);
    for (uint32_t i = 1; i < l->nsite; i++)
        assert_int_not_equal(memcmp(&c[i - 1], &c[i], sizeof *c), 0);
    free(c);
    check_model(m, "sites", NULL);
    model_free(m);
    evgen_free(&e);
}

/* Goroutine ids first seen out of order, over a span under 2^32 (ordered by
 * radix, order_ids) and over a wider one (qsort), some of them negative:
 * the lanes are by id and each keeps its own goroutine (its creation time
 * is a function of its id). */
static void test_ids_order(void **state)
{
    (void)state;
    enum { NG = 3000 };
    const int64_t scale[] = {1, 3, INT64_C(1) << 40};
    const int64_t base[] = {1000, -4002, 7}; /* never 1 (the first) nor -1 */
    for (int c = 0; c < 3; c++) {
        evgen e;
        evgen_init(&e);
        evgen_sync(&e, 100);
        evgen_proc(&e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
        evgen_go(&e, 110, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
        int64_t t = 200;
        for (int g = 0; g < NG; g++) {
            int64_t k = (g * 1237) % NG; /* 1237 and 3000 coprime: a permutation */
            int64_t id = base[c] + k * scale[c];
            evgen_go(&e, t += 10, 0, 0, 1, id, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, 0);
        }
        model *m = evgen_finish(&e);
        const model_info *in = model_get_info(m);
        assert_int_equal(in->ngoroutines, NG + 1);
        for (uint32_t i = 0; i < in->ngoroutines; i++) {
            if (i)
                assert_true(m->gs[i - 1].id < m->gs[i].id);
            int64_t id = m->gs[i].id;
            if (id == 1)
                continue;
            int64_t k = (id - base[c]) / scale[c];
            int64_t g = 0;
            while ((g * 1237) % NG != k)
                g++;
            model_gstats st;
            assert_non_null(model_goroutine_stats(m, i, &st));
            assert_true(st.creation == 200 + 10 * (g + 1));
            assert_int_equal(model_goroutine_find(m, id), i);
        }
        model_free(m);
        evgen_free(&e);
    }
}

/* Each goroutine's regions (group_by_g with cmp_region inlined in its order
 * check): those ended without a begin (appended at their end, after regions
 * begun earlier) come first, then by start, then by depth; every region
 * once. 300 goroutines interleaved, 10000+ regions (place_region's radix
 * pass as well as its direct one), a third of the goroutines out of order. */
static void test_regions_order(void **state)
{
    (void)state;
    enum { NG = 300, ROUNDS = 16 };
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 100);
    int64_t t = 1000;
    for (int g = 0; g < NG; g++)
        evgen_go(&e, t += 10, 0, 0, -1, 10 + g, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
    char name[32];
    uint32_t want[NG] = {0}, late[NG] = {0};
    for (int k = 0; k < ROUNDS; k++)
        for (int g = 0; g < NG; g++) {
            /* outer and inner begun at the same time: by depth */
            snprintf(name, sizeof name, "o%d.%d", g, k);
            evgen_region(&e, t += 10, TT_EV_REGION_BEGIN, 10 + g, 0, name);
            snprintf(name, sizeof name, "i%d.%d", g, k);
            evgen_region(&e, t, TT_EV_REGION_BEGIN, 10 + g, 0, name);
            evgen_region(&e, t += 10, TT_EV_REGION_END, 10 + g, 0, name);
            evgen_region(&e, t += 10, TT_EV_REGION_END, 10 + g, 0, name);
            want[g] += 2;
            if (g % 3 == 1 && k % 2 == 1) { /* ended, never begun */
                snprintf(name, sizeof name, "late%d.%d", g, k);
                evgen_region(&e, t += 10, TT_EV_REGION_END, 10 + g, 0, name);
                want[g]++;
                late[g]++;
            }
        }
    model *m = evgen_finish(&e);
    const model_region *all;
    uint32_t total = 0;
    for (int g = 0; g < NG; g++)
        total += want[g];
    assert_int_equal(model_regions_all(m, &all), total);
    for (int g = 0; g < NG; g++) {
        uint32_t lane = model_goroutine_find(m, 10 + g);
        assert_true(lane != UINT32_MAX);
        const model_region *r;
        uint32_t n = model_goroutine_regions(m, lane, &r);
        assert_int_equal(n, want[g]);
        for (uint32_t j = 0; j < n; j++) {
            const char *s = evgen_mstr(m, r[j].name);
            /* the late ones first (their equal starts in any order) */
            assert_int_equal(j < late[g], (r[j].flags & MRF_NO_BEGIN) != 0);
            snprintf(name, sizeof name, "late%d.", g);
            assert_int_equal(j < late[g], strncmp(s, name, strlen(name)) == 0);
            if (j < late[g])
                continue;
            uint32_t k = (j - late[g]) / 2;
            snprintf(name, sizeof name, "%c%d.%u", (j - late[g]) % 2 ? 'i' : 'o', g, k);
            assert_string_equal(s, name);
            assert_int_equal(r[j].depth, (j - late[g]) % 2);
        }
    }
    check_model(m, "regions", NULL);
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_many_functions),
        cmocka_unit_test(test_long_spans),
        cmocka_unit_test(test_ranges_order),
        cmocka_unit_test(test_name_after_reset),
        cmocka_unit_test(test_p_lanes),
        cmocka_unit_test(test_sites),
        cmocka_unit_test(test_ids_order),
        cmocka_unit_test(test_regions_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

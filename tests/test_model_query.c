/* Queries made cheap for the explorer's frames: the top-N episodes (bounded
 * heap) against the fully sorted list, the cached episode counts, the
 * goroutine-count series and the span accessors (model_lane_span, _after,
 * _at, _spans_in) against plain reference computations, over every sample
 * trace. */
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

/* Long goroutines whose episodes tie (a few distinct lengths, so the k-th
 * largest block maximum equals many blocks' maxima) and some last 2^32 ns
 * or more (block maxima saturate): the top-N skips blocks below the k-th
 * largest block maximum and must still equal the sorted list. */
static void test_top_episodes_ties(void **state)
{
    (void)state;
    for (int variant = 0; variant < 3; variant++) {
        evgen e;
        evgen_init(&e);
        const int64_t T0 = 1000;
        evgen_sync(&e, T0);
        evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
        evgen_go(&e, T0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
        int64_t t = T0;
        uint32_t seed = 12345u + (uint32_t)variant;
        for (int i = 0; i < 20000; i++) {
            seed = seed * 1103515245u + 12345u;
            int64_t d = variant == 0 ? 100 : (int64_t)(seed >> 16) % (variant == 1 ? 4 : 3000) + 1;
            if (variant == 2 && i % 997 == 0)
                d = (INT64_C(1) << 32) + (int64_t)(i % 3);
            evgen_go(&e, t += 5, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "chan receive", 0, 0);
            evgen_go(&e, t += d, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
            evgen_go(&e, t += 1 + (int64_t)(seed % 3), 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
        }
        evgen_sync(&e, t + 10);
        model *m = evgen_finish(&e);
        assert_non_null(m);
        assert_true(model_lane_nspans(m, ML_GOROUTINE, model_goroutine_find(m, 1)) > 60000);
        check_top(m, "ties", NULL);
        model_free(m);
        evgen_free(&e);
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
            uint32_t n;
            model_span *s = lane_spans_copy(m, (model_lane_kind)k, li, &n);
            assert_non_null(s);
            if (!n) {
                free(s);
                continue;
            }
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
            free(s);
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

/* Columns many blocks of 32 spans wide (answered from whole blocks where
 * they decide, model_cache.lod_cols), on the long lanes of a model, against
 * the reference; returns the columns compared. */
static uint64_t check_wide_columns(model *m, const char *name, uint64_t seed)
{
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start;
    uint64_t cols = 0;
    if (span <= 0)
        return 0;
    enum { NC = 64 };
    uint8_t got[NC], want[NC];
    for (int k = 0; k < 4; k++) {
        uint32_t nl = model_lane_count(m, (model_lane_kind)k);
        for (uint32_t li = 0; li < nl; li++) {
            if (model_lane_nspans(m, (model_lane_kind)k, li) < 4096)
                continue; /* (no block index) */
            uint32_t n;
            model_span *s = lane_spans_copy(m, (model_lane_kind)k, li, &n);
            assert_non_null(s);
            int64_t ls = s[0].start, le = s[n - 1].end;
            for (int z = 0; z < 24; z++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                uint32_t nc = 2 + (uint32_t)(seed >> 33) % (NC - 1);
                /* the whole lane, a bit around it, or a random part of it */
                double frac = z < 4 ? 1.0 : (double)((seed >> 20) % 1000 + 1) / 1000.0;
                double w = (double)(le - ls) * frac * (z == 1 ? 1.3 : 1.0) / nc;
                int64_t t0 = z < 4 ? ls - (int64_t)(w * (z % 2)) - z
                                   : ls + (int64_t)((double)(le - ls) * (1.0 - frac) * ((seed >> 8) % 997) / 996.0);
                if (z == 3)
                    w += 0.37; /* fractional widths: the column edges round */
                if (z == 23) { /* times far from the lane's, both ways */
                    nc = 60;
                    t0 = -INT64_C(9000000000000000000);
                    w = 3e17;
                }
                model_lane_columns(m, (model_lane_kind)k, li, t0, w, nc, got);
                ref_columns(s, n, t0, w, nc, want);
                for (uint32_t c = 0; c < nc; c++)
                    if (got[c] != want[c])
                        fail_msg("%s kind %d lane %u (%u spans) try %d (%u cols of %.1f ns from %lld) col %u: %d, "
                                 "want %d",
                                 name, k, li, n, z, nc, w, (long long)t0, c, got[c], want[c]);
                cols += nc;
            }
            free(s);
        }
    }
    return cols;
}

typedef struct wide_stats {
    uint64_t cols, by_blocks;
} wide_stats;

static void check_wide_sample(model *m, const char *name, void *ctx)
{
    wide_stats *ws = ctx;
    ws->cols += check_wide_columns(m, name, ws->cols + 1);
    ws->by_blocks += m->cache->lod_cols;
}

static void test_wide_columns_samples(void **state)
{
    (void)state;
    wide_stats ws = {0, 0};
    assert_true(for_each_sample(check_wide_sample, &ws) > 5);
    print_message("%llu wide columns, %llu from whole blocks\n", (unsigned long long)ws.cols,
                  (unsigned long long)ws.by_blocks);
    assert_true(ws.cols > 1000);
    assert_true(ws.by_blocks > 0);
}

static uint64_t wrng;
static uint64_t wrnd(void) { return xorshift64(&wrng); }

/* Random goroutine and P lanes of 5000 to 20000 spans: phases where one
 * state dominates (whole blocks decide the columns) alternate with phases of
 * even mixes and with long gaps (the exact sums decide, or MS_NONE). */
static void test_wide_columns_random(void **state)
{
    (void)state;
    enum { UND = TT_GS_UNDETERMINED, RNBL = TT_GS_RUNNABLE, RUN = TT_GS_RUNNING, WAIT = TT_GS_WAITING };
    uint64_t cols = 0, by_blocks = 0;
    for (int round = 0; round < 6; round++) {
        wrng = 0x9e3779b97f4a7c15ull * (uint64_t)(round + 3);
        evgen e;
        evgen_init(&e);
        int64_t t = round % 2 ? -(INT64_C(1) << 35) : 1000;
        evgen_sync(&e, t);
        enum { NG = 3 };
        int gs[NG];
        for (int g = 0; g < NG; g++) {
            gs[g] = g ? WAIT : RUN;
            evgen_go(&e, t, 0, 0, -1, g + 1, UND, gs[g], "", 0, 0);
        }
        evgen_proc(&e, t, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
        int prun = 1;
        int nev = 20000 + round * 8000;
        int bias = 0; /* state favoured in this phase (its spans last longer) */
        for (int i = 0; i < nev; i++) {
            if (i % 700 == 0)
                bias = (int)(wrnd() % 4); /* 0: even mix */
            int64_t d = 1 + (int64_t)(wrnd() % 1000);
            if (wrnd() % 500 == 0)
                d += (int64_t)(wrnd() % 3000000); /* a long stretch */
            t += d;
            if (wrnd() % 6 == 0) {
                evgen_proc(&e, t, 0, -1, 0, prun ? TT_PS_RUNNING : TT_PS_IDLE, prun ? TT_PS_IDLE : TT_PS_RUNNING);
                prun = !prun;
                continue;
            }
            int g = (int)(wrnd() % NG);
            int to = gs[g] == RUN ? (wrnd() % 2 ? WAIT : RNBL) : gs[g] == WAIT ? RNBL : RUN;
            /* dwell: the favoured state's spans are long */
            int64_t hold = bias && to == (bias == 1 ? RUN : bias == 2 ? RNBL : WAIT) ? 20000 : 0;
            evgen_go(&e, t, 0, 0, -1, g + 1, gs[g], to, to == WAIT ? "chan receive" : "", 0, 0);
            gs[g] = to;
            t += hold;
        }
        evgen_sync(&e, t + 1);
        model *m = evgen_finish(&e);
        assert_non_null(m);
        char name[32];
        snprintf(name, sizeof name, "random %d", round);
        cols += check_wide_columns(m, name, (uint64_t)round * 77 + 5);
        by_blocks += m->cache->lod_cols;
        model_free(m);
        evgen_free(&e);
    }
    print_message("%llu wide columns, %llu from whole blocks\n", (unsigned long long)cols,
                  (unsigned long long)by_blocks);
    assert_true(cols > 1000);
    /* both paths ran: blocks decided some columns, exact sums the others */
    assert_true(by_blocks > 100);
    assert_true(by_blocks < cols);
}

/* Reference goroutine counts: every span boundary as (time, class, +-1),
 * sorted by time, summed; one point per time where a class's count
 * changed (the value after all changes at that time). */
static void check_gseries(model *m, const char *name, void *ctx)
{
    (void)ctx;
    size_t nb = 0;
    ref_bnd *b = ref_gbounds(m, &nb);
    assert_non_null(b);
    const model_info *in = model_get_info(m);
    for (int w = 0; w < 3; w++) {
        model_series_kind sk = (model_series_kind)(MSER_G_RUNNING + w);
        uint32_t np = model_series_len(m, sk);
        model_point *p = malloc(sizeof *p * (np ? np : 1));
        assert_non_null(p);
        for (uint32_t i = 0; i < np; i++)
            p[i] = model_series_point(m, sk, i);
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
        free(p);
    }
    free(b);
}

static void test_goroutine_series(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_gseries, NULL) > 5);
}

/* ---- the span accessor API against brute force ---------------------------- */

/* Brute-force references over a lane decoded into s[0..n). */
static uint32_t bf_after(const model_span *s, uint32_t n, int64_t t)
{
    for (uint32_t i = 0; i < n; i++)
        if (s[i].end > t)
            return i;
    return n;
}

static uint32_t bf_at(const model_span *s, uint32_t n, int64_t t)
{
    for (uint32_t i = 0; i < n; i++)
        if (s[i].start <= t && t < s[i].end)
            return i;
    return n;
}

static uint32_t bf_in(const model_span *s, uint32_t n, int64_t t0, int64_t t1, uint32_t *first)
{
    uint32_t c = 0;
    *first = n;
    for (uint32_t i = 0; i < n; i++)
        if (s[i].start < t1 && s[i].end > t0) {
            if (!c)
                *first = i;
            c++;
        }
    return c;
}

/* t + d, clamped to the int64 range (hostile traces have times near it). */
static int64_t add_sat(int64_t t, int64_t d)
{
    if (d > 0 && t > INT64_MAX - d)
        return INT64_MAX;
    if (d < 0 && t < INT64_MIN - d)
        return INT64_MIN;
    return t + d;
}

/* The middle of [a, b], a <= b, without overflow. */
static int64_t mid(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + ((uint64_t)b - (uint64_t)a) / 2);
}

typedef struct acc_stats {
    uint64_t lanes, spans, probes, in_gap, inside, before, after, ranges;
} acc_stats;

static void probe_point(const model *m, model_lane_kind k, uint32_t l, const model_span *s, uint32_t n,
                        int64_t t, const char *name, acc_stats *as)
{
    uint32_t wa = bf_after(s, n, t), got = model_lane_span_after(m, k, l, t);
    if (got != wa)
        fail_msg("%s kind %d lane %u (%u spans): span_after(%lld) = %u, want %u", name, k, l, n, (long long)t,
                 got, wa);
    uint32_t wt = bf_at(s, n, t);
    got = model_lane_span_at(m, k, l, t);
    if (got != wt)
        fail_msg("%s kind %d lane %u (%u spans): span_at(%lld) = %u, want %u", name, k, l, n, (long long)t, got,
                 wt);
    as->probes++;
    if (wt < n)
        as->inside++;
    else if (n && t < s[0].start)
        as->before++;
    else if (n && t >= s[n - 1].end)
        as->after++;
    else if (n)
        as->in_gap++;
}

static void probe_range(const model *m, model_lane_kind k, uint32_t l, const model_span *s, uint32_t n,
                        int64_t t0, int64_t t1, const char *name, acc_stats *as)
{
    if (t1 <= t0) /* [t0, t1) empty: the contract says nothing */
        return;
    uint32_t wf, want = bf_in(s, n, t0, t1, &wf);
    uint32_t first = 0xdeadbeef, got = model_lane_spans_in(m, k, l, t0, t1, &first);
    if (got != want || (want && first != wf))
        fail_msg("%s kind %d lane %u (%u spans): spans_in(%lld, %lld) = %u from %u, want %u from %u", name, k,
                 l, n, (long long)t0, (long long)t1, got, first, want, wf);
    if (model_lane_spans_in(m, k, l, t0, t1, NULL) != want)
        fail_msg("%s kind %d lane %u: spans_in(%lld, %lld) without first differs", name, k, l, (long long)t0,
                 (long long)t1);
    as->ranges++;
}

/* A lane or kind out of range: no spans, NULL, out untouched, index 0. */
static void check_no_lane(const model *m, model_lane_kind k, uint32_t l)
{
    model_span sent, out;
    memset(&sent, 0x5a, sizeof sent);
    out = sent;
    assert_int_equal(model_lane_nspans(m, k, l), 0);
    assert_null(model_lane_span(m, k, l, 0, &out));
    assert_null(model_lane_span(m, k, l, UINT32_MAX, &out));
    assert_memory_equal(&out, &sent, sizeof out);
    assert_int_equal(model_lane_span_after(m, k, l, 0), 0);
    assert_int_equal(model_lane_span_at(m, k, l, 0), 0);
    uint32_t first = 7;
    assert_int_equal(model_lane_spans_in(m, k, l, INT64_MIN, INT64_MAX, &first), 0);
}

static void check_lane_accessors(const model *m, model_lane_kind k, uint32_t l, const char *name, acc_stats *as)
{
    const model_info *in = model_get_info(m);
    uint32_t n = model_lane_nspans(m, k, l);
    model_span *s = malloc(sizeof *s * ((size_t)n + 1));
    assert_non_null(s);
    /* every span decodes into the caller's struct, sorted, non-empty, not
     * overlapping */
    for (uint32_t i = 0; i < n; i++) {
        memset(&s[i], 0xa5, sizeof s[i]);
        if (model_lane_span(m, k, l, i, &s[i]) != &s[i])
            fail_msg("%s kind %d lane %u: span %u of %u does not decode", name, k, l, i, n);
        if (s[i].end <= s[i].start || (i && s[i].start < s[i - 1].end))
            fail_msg("%s kind %d lane %u: span %u [%lld, %lld) empty or before span %u's end %lld", name, k, l,
                     i, (long long)s[i].start, (long long)s[i].end, i - 1, i ? (long long)s[i - 1].end : 0LL);
        if (s[i].state == MS_NONE || s[i].state >= MS__COUNT)
            fail_msg("%s kind %d lane %u: span %u has state %d", name, k, l, i, s[i].state);
    }
    /* index n (and beyond): NULL, out untouched */
    model_span sent, out;
    memset(&sent, 0x5a, sizeof sent);
    out = sent;
    assert_null(model_lane_span(m, k, l, n, &out));
    assert_null(model_lane_span(m, k, l, UINT32_MAX, &out));
    assert_memory_equal(&out, &sent, sizeof out);
    /* decoding does not depend on the order: backwards gives the same spans */
    for (uint32_t i = n; i-- > 0;) {
        assert_non_null(model_lane_span(m, k, l, i, &out));
        if (memcmp(&out, &s[i], sizeof out))
            fail_msg("%s kind %d lane %u: span %u decodes differently backwards", name, k, l, i);
    }
    /* probes: at the starts, ends, ends - 1, in the gaps of every span of a
     * short lane, of about 70 spread over a long one (the brute force is
     * linear); then outside the trace */
    uint32_t stride = n > 96 ? n / 64 : 1;
    for (uint32_t i = 0; i < n; i++) {
        if (i >= 3 && i + 3 < n && i % stride)
            continue;
        const model_span *a = &s[i];
        int64_t pts[6] = {a->start, a->end, add_sat(a->end, -1), add_sat(a->start, -1), mid(a->start, a->end), 0};
        int np = 5;
        if (i && a->start > s[i - 1].end) /* the middle of the gap before */
            pts[np++] = mid(s[i - 1].end, a->start);
        for (int p = 0; p < np; p++)
            probe_point(m, k, l, s, n, pts[p], name, as);
        probe_range(m, k, l, s, n, a->start, a->end, name, as);
        probe_range(m, k, l, s, n, add_sat(a->start, -1), a->start, name, as);
        probe_range(m, k, l, s, n, add_sat(a->end, -1), add_sat(a->end, 1), name, as);
        if (i)
            probe_range(m, k, l, s, n, s[i - 1].end, a->start, name, as); /* the gap (empty when none) */
        uint32_t j = i + 1 + (uint32_t)(((uint64_t)i * 7919u) % 5); /* a few spans later */
        if (j < n)
            probe_range(m, k, l, s, n, add_sat(a->start, 1), add_sat(s[j].end, -1), name, as);
    }
    static const int64_t far = 1000000000; /* 1 s */
    int64_t out_pts[] = {INT64_MIN,          add_sat(in->t_start, -far), add_sat(in->t_start, -1),
                         in->t_start,        add_sat(in->t_end, -1),     in->t_end,
                         add_sat(in->t_end, 1), add_sat(in->t_end, far), INT64_MAX};
    for (size_t p = 0; p < sizeof out_pts / sizeof out_pts[0]; p++)
        probe_point(m, k, l, s, n, out_pts[p], name, as);
    probe_range(m, k, l, s, n, INT64_MIN, INT64_MAX, name, as);
    probe_range(m, k, l, s, n, add_sat(in->t_start, -1), add_sat(in->t_end, 1), name, as);
    probe_range(m, k, l, s, n, add_sat(in->t_start, -far), in->t_start, name, as);
    probe_range(m, k, l, s, n, in->t_end, add_sat(in->t_end, far), name, as);
    free(s);
    as->lanes++;
    as->spans += n;
}

static void check_accessors(model *m, const char *name, void *ctx)
{
    acc_stats *as = ctx;
    for (int k = 0; k < 4; k++) {
        uint32_t nl = model_lane_count(m, (model_lane_kind)k);
        for (uint32_t l = 0; l < nl; l++)
            check_lane_accessors(m, (model_lane_kind)k, l, name, as);
        check_no_lane(m, (model_lane_kind)k, nl);
        check_no_lane(m, (model_lane_kind)k, UINT32_MAX);
    }
    check_no_lane(m, (model_lane_kind)4, 0);
    check_no_lane(m, (model_lane_kind)255, 0);
}

static void test_span_accessors(void **state)
{
    (void)state;
    acc_stats as = {0};
    assert_true(for_each_sample(check_accessors, &as) > 5);
    print_message("%llu lanes, %llu spans; %llu probes (%llu in a span, %llu in a gap, %llu before, %llu "
                  "after the lane), %llu ranges\n",
                  (unsigned long long)as.lanes, (unsigned long long)as.spans, (unsigned long long)as.probes,
                  (unsigned long long)as.inside, (unsigned long long)as.in_gap, (unsigned long long)as.before,
                  (unsigned long long)as.after, (unsigned long long)as.ranges);
    /* the probes reached every case */
    assert_true(as.lanes > 100);
    assert_true(as.spans > 10000);
    assert_true(as.inside > 1000);
    assert_true(as.in_gap > 100);
    assert_true(as.before > 10);
    assert_true(as.after > 10);
    assert_true(as.ranges > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_episodes),
        cmocka_unit_test(test_top_episodes_ties),
        cmocka_unit_test(test_lane_columns),
        cmocka_unit_test(test_wide_columns_samples),
        cmocka_unit_test(test_wide_columns_random),
        cmocka_unit_test(test_goroutine_series),
        cmocka_unit_test(test_span_accessors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the model's compact span storage: spans built from synthetic
 * events (model_builder_*) must come back exactly through the accessors,
 * including the ones that do not fit a compact record (long spans, starts far
 * from the trace start, huge string and stack ids), and the searches over the
 * records must agree with a plain scan of the decoded spans.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "tests/lib/reflane.h"
#include "model/model_int.h" /* to check that escapes were exercised */
#include "tests/lib/evgen.h"
#include "tests/lib/spancopy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UND = TT_GS_UNDETERMINED, NOTEX = TT_GS_NOTEXIST, RNBL = TT_GS_RUNNABLE,
       RUN = TT_GS_RUNNING, WAIT = TT_GS_WAITING, SYS = TT_GS_SYSCALL };

/* A goroutine transition with raw string and stack ids (not interned). */
static void go_raw(evgen *e, int64_t t, int64_t m, int64_t p, int64_t g, int64_t id, int from,
                   int to, uint32_t name, uint32_t stack, uint32_t tstack)
{
    tt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.time = t;
    ev.m = m;
    ev.p = p;
    ev.g = g;
    ev.kind = TT_EV_STATE_TRANSITION;
    ev.res = TT_RES_GOROUTINE;
    ev.id = id;
    ev.from = (uint8_t)from;
    ev.to = (uint8_t)to;
    ev.name = name;
    ev.stack = stack;
    ev.tstack = tstack;
    evgen_event(e, &ev);
}

/* Every span of a lane, decoded (caller frees); fails the test if one does
 * not decode. */
static model_span *lane_all(const model *m, model_lane_kind k, uint32_t idx, uint32_t *n)
{
    model_span *a = lane_spans_copy(m, k, idx, n);
    assert_non_null(a);
    return a;
}

#define BIG_REASON 0x7ffffff0u /* needs more than the 25 bits of a record */
#define BIG_STACK 0xfffffff0u

/* ---- hand-checked spans at the edges -------------------------------------- */

static void test_edges(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    const int64_t T0 = 1000, LONG = 5000000000LL + 7; /* > 2^32 ns */
    uint32_t r_chan = evgen_str(&e, "chan receive");
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    /* g1 runs from the trace start, waits long with a huge reason id and
     * stack, is woken by g2, then runs to the trace end */
    go_raw(&e, T0, 0, 0, -1, 1, UND, RUN, 0, 0, 0);
    go_raw(&e, T0 + 10, 0, 0, -1, 2, NOTEX, RNBL, 0, 0, 0);
    go_raw(&e, T0 + 20, 0, 0, 1, 1, RUN, WAIT, BIG_REASON, BIG_STACK, BIG_STACK);
    go_raw(&e, T0 + 30, 0, 0, -1, 2, RNBL, RUN, 0, 0, 0);
    go_raw(&e, T0 + 20 + LONG, 0, 0, 2, 1, WAIT, RNBL, 0, 7, 0);
    go_raw(&e, T0 + 40 + LONG, 0, 0, 2, 2, RUN, WAIT, r_chan, 5, 5);
    go_raw(&e, T0 + 50 + LONG, 0, 0, -1, 1, RNBL, RUN, 0, 0, 0);
    /* g3 exists for no time: an empty lane */
    go_raw(&e, T0 + 60 + LONG, 0, 0, 1, 3, NOTEX, RNBL, 0, 0, 0);
    go_raw(&e, T0 + 60 + LONG, 0, 0, 1, 3, RNBL, NOTEX, 0, 0, 0);
    const int64_t TEND = T0 + 100 + 2 * LONG;
    evgen_sync(&e, TEND);
    model *m = evgen_finish(&e);
    const model_info *in = model_get_info(m);
    assert_int_equal(in->t_start, T0);
    assert_int_equal(in->t_end, TEND);

    uint32_t g1 = model_goroutine_find(m, 1), g3 = model_goroutine_find(m, 3);
    uint32_t n;
    model_span *s = lane_all(m, ML_GOROUTINE, g1, &n);
    assert_int_equal(n, 4);
    /* at the trace start, from before it */
    assert_int_equal(s[0].start, T0);
    assert_int_equal(s[0].end, T0 + 20);
    assert_int_equal(s[0].state, MS_RUNNING);
    assert_true(s[0].flags & MSF_FROM_START);
    /* long wait with huge ids: every field exact */
    assert_int_equal(s[1].start, T0 + 20);
    assert_int_equal(s[1].end, T0 + 20 + LONG);
    assert_int_equal(s[1].state, MS_WAITING);
    assert_int_equal(s[1].reason, BIG_REASON);
    assert_int_equal(s[1].stack, BIG_STACK);
    assert_int_equal(s[1].other, 2);
    assert_int_equal(s[1].cat, MC_OTHER);
    assert_int_equal(s[1].flags, MSF_UNBLOCKED);
    assert_int_equal(s[2].state, MS_RUNNABLE);
    assert_int_equal(s[2].start, T0 + 20 + LONG);
    assert_int_equal(s[2].end, T0 + 50 + LONG);
    assert_int_equal(s[2].stack, 7);
    /* the last span, long too, ends at the trace end */
    assert_int_equal(s[3].state, MS_RUNNING);
    assert_int_equal(s[3].start, T0 + 50 + LONG);
    assert_int_equal(s[3].end, TEND);
    /* searches across the long spans */
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, T0), 0);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, T0 + 20 + LONG - 1), 1);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, TEND - 1), 3);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, TEND), 4);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, g1, T0 + 20), 1);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, g1, TEND), 4);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, g1, T0 + 21, 1), T0 + 20 + LONG);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, g1, T0 + 20 + LONG, -1), T0 + 20);
    uint32_t first = 99;
    assert_int_equal(model_lane_spans_in(m, ML_GOROUTINE, g1, T0 + 19, T0 + 21 + LONG, &first),
                     3);
    assert_int_equal(first, 0);
    assert_int_equal(model_goroutine_next_block(m, g1, T0, 1), 1);
    free(s);

    /* g2's wait: a small reason id, cat from the reason */
    s = lane_all(m, ML_GOROUTINE, model_goroutine_find(m, 2), &n);
    assert_int_equal(n, 3);
    assert_int_equal(s[1].start, T0 + 30);
    assert_int_equal(s[1].end, T0 + 40 + LONG);
    assert_int_equal(s[2].state, MS_WAITING);
    assert_int_equal(s[2].reason, r_chan);
    assert_int_equal(s[2].cat, MC_CHANNEL);
    assert_int_equal(s[2].stack, 5);
    assert_int_equal(s[2].end, TEND);
    free(s);

    /* the empty lane */
    assert_int_not_equal(g3, UINT32_MAX);
    assert_int_equal(model_lane_nspans(m, ML_GOROUTINE, g3), 0);
    model_span out;
    memset(&out, 0x5a, sizeof out);
    model_span keep = out;
    assert_null(model_lane_span(m, ML_GOROUTINE, g3, 0, &out));
    assert_memory_equal(&out, &keep, sizeof out);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, g3, T0), 0);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g3, T0), 0);
    assert_int_equal(model_lane_spans_in(m, ML_GOROUTINE, g3, INT64_MIN, INT64_MAX, &first), 0);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, g3, T0, 1), INT64_MIN);
    assert_int_equal(model_goroutine_next_block(m, g3, T0, 1), UINT32_MAX);
    assert_int_equal(model_goroutine_episode_count(m, g3), 0);
    uint8_t cols[8];
    memset(cols, 0x77, sizeof cols);
    model_lane_columns(m, ML_GOROUTINE, g3, T0, 1e9, 8, cols);
    for (int c = 0; c < 8; c++)
        assert_int_equal(cols[c], MS_NONE);

    /* out of range: kind, lane and index */
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    assert_int_equal(model_lane_nspans(m, (model_lane_kind)7, 0), 0);
    assert_int_equal(model_lane_nspans(m, ML_GOROUTINE, ng), 0);
    assert_null(model_lane_span(m, (model_lane_kind)7, 0, 0, &out));
    assert_null(model_lane_span(m, ML_GOROUTINE, ng, 0, &out));
    assert_null(model_lane_span(m, ML_GOROUTINE, g1, 4, &out));
    assert_null(model_lane_span(m, ML_GOROUTINE, g1, UINT32_MAX, &out));
    assert_memory_equal(&out, &keep, sizeof out);
    assert_int_equal(model_lane_span_after(m, ML_PROC, 1000, T0), 0);
    assert_int_equal(model_lane_span_at(m, ML_THREAD, 1000, T0), 0);
    assert_int_equal(model_lane_spans_in(m, (model_lane_kind)9, 0, T0, TEND, NULL), 0);

    /* the P ran all along: one span longer than 2^32 ns */
    s = lane_all(m, ML_PROC, 0, &n);
    assert_true(n >= 1);
    assert_int_equal(s[0].start, T0);
    assert_int_equal(s[n - 1].end, TEND);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(s[i].stack, 0);
        assert_int_equal(s[i].reason, 0);
        if (i)
            assert_true(s[i].start >= s[i - 1].end);
    }
    free(s);
    model_free(m);
    evgen_free(&e);
}

/* ---- times far apart: negative, beyond 2^60 ns from the start ------------- */

static void test_far_times(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    /* (the whole trace stays shorter than 2^63 ns: summaries sum durations) */
    const int64_t A = -(INT64_C(1) << 61), B = INT64_C(1) << 60, C = (INT64_C(1) << 61) + 12345;
    evgen_sync(&e, A);
    evgen_proc(&e, A, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    go_raw(&e, A, 0, 0, -1, 1, UND, RUN, 0, 0, 0);
    go_raw(&e, A + 1, 0, 0, 1, 1, RUN, WAIT, BIG_REASON, 3, 3);
    go_raw(&e, B, 0, 0, -1, 1, WAIT, RNBL, 0, 0, 0);      /* start 3*2^60 after A */
    go_raw(&e, B + 2, 0, 0, -1, 1, RNBL, RUN, 0, 0, 0);   /* short span far away */
    go_raw(&e, C, 0, 0, 1, 1, RUN, SYS, 0, 9, 9);
    evgen_sync(&e, C + 5);
    model *m = evgen_finish(&e);
    uint32_t n;
    model_span *s = lane_all(m, ML_GOROUTINE, 0, &n);
    assert_int_equal(n, 5);
    static const struct { int64_t a, b; uint8_t st; } want[5] = {
        {-(INT64_C(1) << 61), -(INT64_C(1) << 61) + 1, MS_RUNNING},
        {-(INT64_C(1) << 61) + 1, INT64_C(1) << 60, MS_WAITING},
        {INT64_C(1) << 60, (INT64_C(1) << 60) + 2, MS_RUNNABLE},
        {(INT64_C(1) << 60) + 2, (INT64_C(1) << 61) + 12345, MS_RUNNING},
        {(INT64_C(1) << 61) + 12345, (INT64_C(1) << 61) + 12350, MS_SYSCALL},
    };
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s[i].start, want[i].a);
        assert_int_equal(s[i].end, want[i].b);
        assert_int_equal(s[i].state, want[i].st);
    }
    assert_int_equal(s[1].reason, BIG_REASON);
    assert_int_equal(s[4].stack, 9);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, 0, B + 1), 2);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, 0, 0), 1);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, 0, C), 4);
    uint8_t cols[4];
    model_lane_columns(m, ML_GOROUTINE, 0, A, (double)(INT64_C(1) << 60), 4, cols);
    assert_int_equal(cols[0], MS_WAITING);
    assert_int_equal(cols[3], MS_RUNNING);
    assert_int_equal(model_goroutine_episode_count(m, 0), 3);
    free(s);
    model_free(m);
    evgen_free(&e);
}

/* ---- random traces: searches against a scan of the decoded spans ----------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int back; /* rounds whose times may go back, even before the first event */

static int64_t step_time(void)
{
    if (back && rnd() % 16 == 0)
        return -(int64_t)(rnd() % (UINT64_C(1) << 36));
    switch (rnd() % 8) {
    case 0:
        return 0;
    case 1:
        return (int64_t)(UINT32_MAX - 1 + rnd() % 4); /* around the 32-bit limit */
    case 2:
        return (int64_t)(rnd() % (UINT64_C(1) << 40));
    default:
        return 1 + (int64_t)(rnd() % 5000);
    }
}

static uint32_t rnd_id(evgen *e)
{
    switch (rnd() % 5) {
    case 0:
        return (uint32_t)rnd(); /* anything, mostly beyond 25 bits */
    case 1:
        return (1u << 25) - 1 + (uint32_t)(rnd() % 3);
    case 2:
        return evgen_str(e, rnd() % 2 ? "chan receive" : "sync.Mutex.Lock");
    default:
        return 0;
    }
}

static int64_t col_time(int64_t t0, double w, uint32_t c)
{
    double v = (double)t0 + w * (double)c;
    if (v >= 9.2e18)
        return INT64_MAX;
    if (v <= -9.2e18)
        return INT64_MIN + 1;
    return (int64_t)llround(v);
}

static void check_lane(const model *m, model_lane_kind k, uint32_t idx, int64_t t0, int64_t t1)
{
    uint32_t n;
    model_span *s = lane_all(m, k, idx, &n);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(s[i].start < s[i].end);
        if (i)
            assert_true(s[i - 1].end <= s[i].start);
    }
    int64_t probes[64];
    int np = 0;
    for (uint32_t i = 0; i < n && np < 48; i += 1 + n / 16) {
        probes[np++] = s[i].start;
        probes[np++] = s[i].end;
        probes[np++] = s[i].start + (s[i].end - s[i].start) / 2;
    }
    probes[np++] = INT64_MIN;
    probes[np++] = INT64_MAX;
    probes[np++] = t0 - 1;
    probes[np++] = t1 + 1;
    for (int q = 0; q < np; q++) {
        int64_t t = probes[q];
        uint32_t after = 0;
        while (after < n && s[after].end <= t)
            after++;
        assert_int_equal(model_lane_span_after(m, k, idx, t), after);
        uint32_t at = after < n && s[after].start <= t ? after : n;
        assert_int_equal(model_lane_span_at(m, k, idx, t), at);
        /* next / previous change */
        int64_t nx = INT64_MIN, pv = INT64_MIN;
        for (uint32_t i = 0; i < n; i++) {
            int64_t b[2] = {s[i].start, s[i].end};
            for (int j = 0; j < 2; j++) {
                if (b[j] > t && (nx == INT64_MIN || b[j] < nx))
                    nx = b[j];
                if (b[j] < t && (pv == INT64_MIN || b[j] > pv))
                    pv = b[j];
            }
        }
        assert_int_equal(model_lane_next_change(m, k, idx, t, 1), nx);
        assert_int_equal(model_lane_next_change(m, k, idx, t, -1), pv);
        if (k == ML_GOROUTINE) {
            uint32_t fb = UINT32_MAX, pb = UINT32_MAX;
            for (uint32_t i = 0; i < n; i++) {
                int blk = s[i].state == MS_WAITING || s[i].state == MS_SYSCALL_BLOCKED;
                if (blk && s[i].start > t && fb == UINT32_MAX)
                    fb = i;
                if (blk && s[i].end <= t) /* before the span holding t */
                    pb = i;
            }
            assert_int_equal(model_goroutine_next_block(m, idx, t, 1), fb);
            assert_int_equal(model_goroutine_next_block(m, idx, t, -1), pb);
        }
        for (int r = 0; r < 2; r++) {
            int64_t u = probes[(q + 1 + r * 7) % np];
            if (u < t)
                continue;
            uint32_t f = 0, cnt = 0, f0 = UINT32_MAX;
            for (uint32_t i = 0; i < n; i++)
                if (s[i].end > t && s[i].start < u) {
                    cnt++;
                    if (f0 == UINT32_MAX)
                        f0 = i;
                }
            assert_int_equal(model_lane_spans_in(m, k, idx, t, u, &f), cnt);
            if (cnt)
                assert_int_equal(f, f0);
        }
    }
    /* level of detail against the overlap per column */
    enum { NC = 37 };
    double widths[3] = {((double)t1 - (double)t0) / NC, 997.0, 0.25};
    for (int w = 0; w < 3; w++) {
        uint8_t got[NC];
        model_lane_columns(m, k, idx, t0, widths[w], NC, got);
        for (uint32_t c = 0; c < NC; c++) {
            int64_t a = col_time(t0, widths[w], c), b = col_time(t0, widths[w], c + 1);
            uint32_t first = 0;
            int best = ref_column(s, n, &first, a, b);
            assert_int_equal(got[c], best);
        }
    }
    /* episodes: count and order */
    if (k == ML_GOROUTINE) {
        uint32_t cnt = 0;
        for (uint32_t i = 0; i < n; i++)
            cnt += s[i].state == MS_WAITING || s[i].state == MS_SYSCALL ||
                   s[i].state == MS_SYSCALL_BLOCKED || s[i].state == MS_RUNNABLE;
        assert_int_equal(model_goroutine_episode_count(m, idx), cnt);
        const model_episode *ep;
        assert_int_equal(model_goroutine_episodes(m, idx, &ep), cnt);
        for (uint32_t i = 1; i < cnt; i++) {
            const model_span *x = &s[ep[i - 1].span], *y = &s[ep[i].span];
            assert_true(x->end - x->start > y->end - y->start ||
                        (x->end - x->start == y->end - y->start && ep[i - 1].span < ep[i].span));
        }
    }
    free(s);
}

static void test_random(void **state)
{
    (void)state;
    static const int next[6][4] = {
        /* from UND/NOTEX/RNBL/RUN/WAIT/SYS: allowed targets */
        [RNBL] = {RUN, NOTEX, -1, -1},
        [RUN] = {WAIT, RNBL, SYS, NOTEX},
        [WAIT] = {RNBL, -1, -1, -1},
        [SYS] = {RUN, RNBL, -1, -1},
    };
    uint32_t nesc_g = 0, nesc_p = 0, maxn = 0, nbefore = 0;
    for (int round = 0; round < 12; round++) {
        rng_state = 0x9e3779b97f4a7c15ull * (uint64_t)(round + 1);
        back = round >= 8;
        evgen e;
        evgen_init(&e);
        int64_t t = round % 3 == 0 ? -(INT64_C(1) << 40) : 1000 * round;
        const int64_t t0 = t;
        evgen_sync(&e, t);
        enum { NG = 6 };
        int gs[NG];
        for (int g = 0; g < NG; g++) {
            gs[g] = g % 2 ? RUN : WAIT;
            go_raw(&e, t, 0, g % 2, -1, g + 1, UND, gs[g], g % 2 ? 0 : rnd_id(&e), 0, 0);
        }
        evgen_proc(&e, t, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
        evgen_proc(&e, t, 1, -1, 1, TT_PS_UNDETERMINED, TT_PS_IDLE);
        int pst[2] = {TT_PS_RUNNING, TT_PS_IDLE};
        int nev = round == 0 ? 40000 : 3000; /* round 0: lanes long enough for
                                                the block index (4096 spans) */
        for (int i = 0; i < nev; i++) {
            t += step_time();
            int g = (int)(rnd() % NG);
            if (rnd() % 8 == 0) {
                int p = (int)(rnd() % 2), to = pst[p] == TT_PS_RUNNING ? TT_PS_IDLE : TT_PS_RUNNING;
                evgen_proc(&e, t, p, -1, p, pst[p], to);
                pst[p] = to;
                continue;
            }
            int to;
            if (gs[g] == NOTEX) {
                to = RNBL;
            } else {
                int c = 0;
                while (c < 4 && next[gs[g]][c] >= 0)
                    c++;
                to = next[gs[g]][rnd() % (uint64_t)c];
            }
            uint32_t reason = to == WAIT || to == RNBL ? rnd_id(&e) : 0;
            uint32_t stack = rnd() % 3 ? 0 : rnd_id(&e);
            int64_t ctx = rnd() % 2 ? (int64_t)(rnd() % NG) + 1 : -1;
            go_raw(&e, t, g % 2, g % 2, ctx, g + 1, gs[g], to, reason, stack, stack);
            gs[g] = to;
        }
        evgen_sync(&e, t + 1);
        model *m = evgen_finish(&e);
        const model_info *in = model_get_info(m);
        int64_t lo = in->t_start < in->t_end ? in->t_start : in->t_end;
        int64_t hi = in->t_start < in->t_end ? in->t_end : in->t_start;
        nesc_g += m->lanes[ML_GOROUTINE].nesc;
        for (uint32_t i = 0; i < m->lanes[ML_GOROUTINE].nesc; i++)
            nbefore += m->lanes[ML_GOROUTINE].esc[i].s.start < in->t_start;
        nesc_p += m->lanes[ML_PROC].nesc;
        for (uint32_t i = 0; i < model_lane_count(m, ML_GOROUTINE); i++)
            if (model_lane_nspans(m, ML_GOROUTINE, i) > maxn)
                maxn = model_lane_nspans(m, ML_GOROUTINE, i);
        for (int k = ML_GOROUTINE; k <= ML_GC; k++)
            for (uint32_t i = 0; i < model_lane_count(m, (model_lane_kind)k); i++)
                check_lane(m, (model_lane_kind)k, i, back ? lo : t0, back ? hi : t + 1);
        model_free(m);
        evgen_free(&e);
    }
    /* the rounds did exercise escaped records and the block index */
    assert_true(nesc_g > 100);
    assert_true(nesc_p > 10);
    assert_true(maxn > 4096);
    /* times that go back give spans starting before the first event: they
     * escape, and their records sort first in their lane */
    assert_true(nbefore > 0);
}

/* ---- the site table: many distinct (stack, reason) tuples ----------------- */

/* Two goroutines wait NS times each, every wait with its own raw stack id
 * (beyond 2^16 distinct tuples; reason ids beyond 25 bits, a few of them:
 * the summaries keep a list of reasons per goroutine), the second reusing
 * the first's tuples: every span decodes exactly, no span escapes, and the
 * table holds each tuple once. */
static void test_sites(void **state)
{
    (void)state;
    enum { NS = 70000 };
    evgen e;
    evgen_init(&e);
    const int64_t T0 = 5000;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    go_raw(&e, T0, 0, 0, -1, 1, UND, RUN, 0, 0, 0);
    go_raw(&e, T0, 0, 0, -1, 2, UND, RUN, 0, 0, 0);
    int64_t t = T0;
    for (uint32_t i = 0; i < NS; i++)
        for (int64_t g = 1; g <= 2; g++) {
            uint32_t reason = 0x10000000u + i % 5, stack = 0xffff0000u - i;
            go_raw(&e, t += 7, 0, 0, g, g, RUN, WAIT, reason, stack, stack);
            go_raw(&e, t += 5 + (int64_t)(i % 3), 0, 0, -1, g, WAIT, RNBL, 0, 0, 0);
            go_raw(&e, t += 3, 0, 0, -1, g, RNBL, RUN, 0, 0, 0);
        }
    const int64_t TEND = t + 11;
    evgen_sync(&e, TEND);
    model *m = evgen_finish(&e);
    const model_lanes *gl = &m->lanes[ML_GOROUTINE];
    assert_int_equal(gl->nesc, 0);
    assert_true(gl->nsite >= NS);
    assert_true(gl->nsite <= NS + 8);
    for (int64_t g = 1; g <= 2; g++) {
        uint32_t idx = model_goroutine_find(m, g), n;
        model_span *s = lane_all(m, ML_GOROUTINE, idx, &n);
        assert_int_equal(n, 1 + 3 * NS);
        int64_t tt = T0;
        for (uint32_t i = 0; i < NS; i++) {
            /* the other goroutine's events take 7 + 5 + i%3 + 3 ns */
            int64_t w = tt + 7 + (g == 2 ? 15 + (int64_t)(i % 3) : 0);
            const model_span *x = &s[1 + 3 * i];
            assert_int_equal(x->state, MS_WAITING);
            assert_int_equal(x->start, w);
            assert_int_equal(x->end, w + 5 + (int64_t)(i % 3));
            assert_int_equal(x->reason, 0x10000000u + i % 5);
            assert_int_equal(x->stack, 0xffff0000u - i);
            assert_int_equal(s[3 * i].end, x->start);
            assert_int_equal(s[2 + 3 * i].state, MS_RUNNABLE);
            assert_int_equal(s[2 + 3 * i].stack, 0);
            tt += 2 * (15 + (int64_t)(i % 3));
        }
        assert_int_equal(s[3 * NS].end, TEND);
        free(s);
        check_lane(m, ML_GOROUTINE, idx, T0, TEND);
    }
    model_free(m);
    evgen_free(&e);
}

/* ---- gaps and large ids on contiguous records ----------------------------- */

/* Records hold no end (a span ends where the next starts): a span followed
 * by a gap, the last span of a lane and a P span running a goroutine id
 * beyond 28 bits must still come back exactly. */
static void test_gaps(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    const int64_t T0 = 100, BIGG = (INT64_C(1) << 28) + 5, TEND = T0 + 200;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_proc(&e, T0, 1, -1, 1, TT_PS_UNDETERMINED, TT_PS_IDLE);
    go_raw(&e, T0, 0, 0, -1, 1, UND, RUN, 0, 0, 0);
    go_raw(&e, T0 + 10, 0, 0, 1, 1, RUN, NOTEX, 0, 0, 0);   /* g1 ends: a gap */
    go_raw(&e, T0 + 25, 0, 0, -1, 1, NOTEX, RNBL, 0, 4, 4); /* and is back */
    go_raw(&e, T0 + 40, 0, 0, -1, 1, RNBL, RUN, 0, 0, 0);
    go_raw(&e, T0 + 70, 0, 0, 1, 1, RUN, NOTEX, 0, 0, 0);   /* the lane ends early */
    evgen_proc(&e, T0 + 80, 1, -1, 1, TT_PS_IDLE, TT_PS_RUNNING);
    go_raw(&e, T0 + 90, 1, 1, -1, BIGG, UND, RUN, 0, 0, 0);
    go_raw(&e, T0 + 95, 1, 1, BIGG, BIGG, RUN, WAIT, 0, 0, 0);
    /* g7: a gap right after a block of 32 spans (the escape of the block's
     * last record is decided when the next block begins) */
    go_raw(&e, T0 + 100, 0, 0, -1, 7, UND, RUN, 0, 0, 0);
    for (int i = 0; i < 31; i++)
        go_raw(&e, T0 + 101 + i, 0, 0, 7, 7, i % 2 ? RNBL : RUN, i % 2 ? RUN : RNBL, 0, 0, 0);
    go_raw(&e, T0 + 140, 0, 0, 7, 7, RNBL, NOTEX, 0, 0, 0);
    go_raw(&e, T0 + 150, 0, 0, -1, 7, NOTEX, RNBL, 0, 0, 0);
    evgen_sync(&e, TEND);
    model *m = evgen_finish(&e);
    uint32_t n;
    model_span *s = lane_all(m, ML_GOROUTINE, model_goroutine_find(m, 1), &n);
    assert_int_equal(n, 3);
    static const struct { int64_t a, b; uint8_t st; } want[3] = {
        {T0, T0 + 10, MS_RUNNING}, {T0 + 25, T0 + 40, MS_RUNNABLE}, {T0 + 40, T0 + 70, MS_RUNNING}};
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(s[i].start, want[i].a);
        assert_int_equal(s[i].end, want[i].b);
        assert_int_equal(s[i].state, want[i].st);
    }
    assert_int_equal(s[1].stack, 4);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, 0, T0 + 12), 3);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, 0, T0 + 12), 1);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, 0, T0 + 10, 1), T0 + 25);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, 0, T0 + 70, 1), INT64_MIN);
    free(s);
    s = lane_all(m, ML_GOROUTINE, model_goroutine_find(m, 7), &n);
    assert_int_equal(n, 33);
    for (uint32_t i = 1; i < 31; i++) {
        assert_int_equal(s[i].start, T0 + 100 + i);
        assert_int_equal(s[i].end, T0 + 101 + i);
    }
    assert_int_equal(s[31].start, T0 + 131);
    assert_int_equal(s[31].end, T0 + 140);
    assert_int_equal(s[31].state, MS_RUNNABLE);
    assert_int_equal(s[32].start, T0 + 150);
    assert_int_equal(s[32].end, TEND);
    free(s);
    /* the P that ran BIGG */
    uint32_t p1 = UINT32_MAX;
    for (uint32_t i = 0; i < model_lane_count(m, ML_PROC); i++)
        if (model_proc_id(m, i) == 1)
            p1 = i;
    assert_int_not_equal(p1, UINT32_MAX);
    s = lane_all(m, ML_PROC, p1, &n);
    int found = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i].state == MS_RUNNING && s[i].other == (int32_t)BIGG) {
            assert_true(s[i].start >= T0 + 80 && s[i].start <= T0 + 90);
            assert_int_equal(s[i].end, T0 + 95);
            found = 1;
        }
        if (i)
            assert_true(s[i - 1].end <= s[i].start);
    }
    assert_true(found);
    assert_int_equal(s[n - 1].end, TEND);
    free(s);
    for (int k = ML_GOROUTINE; k <= ML_GC; k++)
        for (uint32_t i = 0; i < model_lane_count(m, (model_lane_kind)k); i++)
            check_lane(m, (model_lane_kind)k, i, T0, TEND);
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_far_times),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_sites),
        cmocka_unit_test(test_gaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

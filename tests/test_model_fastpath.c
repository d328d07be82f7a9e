/*
 * The builder's per-event fast paths (model/build.c) checked against a plain
 * simulation of the lanes the events describe:
 *   - the P and M lanes written by goroutine transitions (pm_set / pm_close
 *     inlined, the event's P and M records taken from the lookup made as the
 *     event came: get_p_ev / get_m_ev and the goroutine's cur_p / cur_m),
 *     with P and M ids that share the lookup caches' slots, goroutines
 *     stopped from another P and M than their own, and events whose context
 *     changes the last P and M without a lane change;
 *   - the goroutine lanes' records (g_close: the common span inline, a new
 *     block, a new chunk, a gap after a goroutine's end, a start 2^32 ns or
 *     more after its block's anchor in span_close), every field of every
 *     span, with thousands of sites (site_find, site_add: the table grown
 *     while lanes are written) and 150 reasons of six categories (more
 *     than reason_info's cache slots: the waiting spans' categories).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model_int.h"
#include "tests/lib/evgen.h"
#include "tests/lib/xorshift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An expected span, and a lane being simulated (its open span). */
typedef struct xspan {
    int64_t start, end;
    int state;
    int32_t other;
    uint32_t stack;
    const char *reason;
    uint16_t flags;
} xspan;

typedef struct xlane {
    xspan *s;
    size_t n, cap;
    xspan open; /* state MS_NONE: none */
} xlane;

static void xl_push(xlane *l, int64_t t)
{
    if (l->open.state == MS_NONE || t <= l->open.start)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->s = realloc(l->s, sizeof *l->s * l->cap);
        assert_non_null(l->s);
    }
    l->s[l->n] = l->open;
    l->s[l->n++].end = t;
}

/* pm_set's rule: a P or M lane's open span changes only when its state or
 * other does; a span is kept when it lasted. */
static void xl_pm_set(xlane *l, int64_t t, int state, int32_t other)
{
    if (l->open.state == state && l->open.other == other)
        return;
    xl_push(l, t);
    l->open = (xspan){.start = t, .state = state, .other = other};
}

static void check_lane(const model *m, model_lane_kind k, uint32_t lane, const xlane *x,
                       int all_fields)
{
    assert_int_equal(model_lane_nspans(m, k, lane), x->n);
    for (uint32_t i = 0; i < x->n; i++) {
        model_span sp;
        const xspan *e = &x->s[i];
        assert_non_null(model_lane_span(m, k, lane, i, &sp));
        assert_int_equal(sp.start, e->start);
        assert_int_equal(sp.end, e->end);
        assert_int_equal(sp.state, e->state);
        assert_int_equal(sp.other, e->other);
        if (!all_fields) {
            assert_true(sp.stack == 0 && sp.reason == 0 && sp.cat == 0 && sp.flags == 0);
            continue;
        }
        assert_int_equal(sp.stack, e->stack);
        assert_string_equal(evgen_mstr(m, sp.reason), e->reason ? e->reason : "");
        assert_int_equal(sp.flags, e->flags);
        const char *r = e->reason ? e->reason : "";
        assert_int_equal(sp.cat, sp.state == MS_WAITING ? model_cat_of_reason(r, strlen(r)) : 0);
    }
}

/* 4 Ps and 6 Ms (ids sharing the builder's lookup cache slots) and 12
 * goroutines started on free Ps and Ms, stopped (to runnable or waiting)
 * from their own P and M or from others, woken from any context. */
static void test_pm_lanes(void **state)
{
    (void)state;
    enum { NP = 4, NM = 6, NG = 12, NSTEP = 6000 };
    static const int64_t pid[NP] = {0, 4, 8, 13};
    static const int64_t mid[NM] = {0, 3, 8, 11, 16, 64}; /* lanes by id */
    xlane P[NP] = {0}, M[NM] = {0};
    int gst[NG], gp[NG], gm[NG], pbusy[NP], mbusy[NM];
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 100);
    for (int k = 0; k < NP; k++) {
        evgen_proc(&e, 110, -1, -1, pid[k], TT_PS_UNDETERMINED, TT_PS_RUNNING);
        xl_pm_set(&P[k], 100, MS_RUNNING, -1); /* back-dated to the Sync */
        pbusy[k] = -1;
    }
    for (int g = 0; g < NG; g++) {
        /* the first NM goroutines' events show the Ms */
        int64_t m = g < NM ? mid[g] : -1;
        evgen_go(&e, 120 + g, m, -1, -1, 1000 + 7 * g, TT_GS_UNDETERMINED, TT_GS_RUNNABLE, "", 0,
                 0);
        if (g < NM) {
            M[g].open = (xspan){.start = 120 + g, .state = MS_IDLE, .other = -1};
            mbusy[g] = -1;
        }
        gst[g] = TT_GS_RUNNABLE;
        gp[g] = gm[g] = -1;
    }
    uint64_t rs = 0x9e3779b97f4a7c15u;
    int64_t t = 200;
    int nstart = 0, nforeign = 0;
    for (int step = 0; step < NSTEP; step++) {
        uint64_t r = xorshift64(&rs);
        t += 1 + (int64_t)(r % 40);
        int g = (int)((r >> 8) % NG);
        int64_t cm = mid[(r >> 16) % NM], cp = pid[(r >> 24) % NP]; /* another context */
        int64_t id = 1000 + 7 * g;
        if (gst[g] == TT_GS_WAITING) {
            evgen_go(&e, t, cm, cp, -1, id, TT_GS_WAITING, TT_GS_RUNNABLE, "", 0, 0);
            gst[g] = TT_GS_RUNNABLE;
        } else if (gst[g] == TT_GS_RUNNABLE) {
            int p = (int)((r >> 32) % NP), m = (int)((r >> 40) % NM);
            if (pbusy[p] >= 0 || mbusy[m] >= 0) { /* an event elsewhere moves the context */
                evgen_go(&e, t, cm, cp, -1, id, TT_GS_RUNNABLE, TT_GS_RUNNABLE, "", 0, 0);
                continue;
            }
            evgen_go(&e, t, mid[m], pid[p], -1, id, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
            xl_pm_set(&P[p], t, MS_RUNNING, (int32_t)id);
            xl_pm_set(&M[m], t, MS_RUNNING, (int32_t)id);
            pbusy[p] = g, mbusy[m] = g, gp[g] = p, gm[g] = m;
            gst[g] = TT_GS_RUNNING;
            nstart++;
        } else {
            int to = (r >> 48) & 1 ? TT_GS_WAITING : TT_GS_RUNNABLE;
            int foreign = (r >> 50) % 4 == 0;
            nforeign += foreign;
            evgen_go(&e, t, foreign ? cm : mid[gm[g]], foreign ? cp : pid[gp[g]], id, id,
                     TT_GS_RUNNING, to, to == TT_GS_WAITING ? "sleep" : "", 0, 0);
            xl_pm_set(&P[gp[g]], t, MS_RUNNING, -1);
            xl_pm_set(&M[gm[g]], t, MS_IDLE, -1);
            pbusy[gp[g]] = mbusy[gm[g]] = -1;
            gp[g] = gm[g] = -1;
            gst[g] = to;
        }
    }
    assert_true(nstart > NSTEP / 5 && nforeign > NSTEP / 40);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    assert_int_equal(model_lane_count(m, ML_PROC), NP);
    assert_int_equal(model_lane_count(m, ML_THREAD), NM);
    for (int k = 0; k < NP; k++) {
        xl_push(&P[k], t); /* closed at the trace's end */
        check_lane(m, ML_PROC, (uint32_t)k, &P[k], 0);
        free(P[k].s);
    }
    for (int k = 0; k < NM; k++) {
        xl_push(&M[k], t);
        check_lane(m, ML_THREAD, (uint32_t)k, &M[k], 0);
        free(M[k].s);
    }
    model_free(m);
    evgen_free(&e);
}

/* A goroutine transition's span (g_transition's rules for running, waiting
 * and runnable, without assists or first statuses). */
static void xl_g_set(xlane *l, int64_t t, int from, int to, const char *reason, int64_t g,
                     uint32_t stack)
{
    if (l->open.state == MS_WAITING && to == TT_GS_RUNNABLE) {
        l->open.other = from == TT_GS_WAITING ? (int32_t)g : -1;
        l->open.flags |= MSF_UNBLOCKED;
    }
    xl_push(l, t);
    xspan nw = {.start = t, .other = -1, .stack = stack};
    switch (to) {
    case TT_GS_RUNNING:
        nw.state = MS_RUNNING;
        break;
    case TT_GS_RUNNABLE:
        nw.state = MS_RUNNABLE;
        nw.reason = reason;
        if (from == TT_GS_WAITING)
            nw.other = (int32_t)g;
        break;
    case TT_GS_WAITING:
        nw.state = MS_WAITING;
        nw.reason = reason;
        break;
    default:
        nw.state = MS_NONE;
        break;
    }
    l->open = nw;
}

/* 60 goroutines, ~400 spans each (new blocks every 32 spans, new chunks,
 * head records), waiting on 9 stacks x 150 reasons and woken by 400
 * goroutines (thousands of sites), some pauses of 5 s (records escape by
 * offset), some ends and re-creations after a pause (a gap: the record
 * before it escapes). */
static void test_g_lanes(void **state)
{
    (void)state;
    enum { NG = 60, NSTEP = 24000, NS = 9, NR = 150, NU = 400 };
    static const char *const base[6] = {"sleep", "chan receive", "select", "sync.Mutex.Lock",
                                        "network", "GC assist wait"};
    static char rn[NR][40]; /* more reasons than reason_info's cache has slots */
    xlane G[NG] = {0};
    int gst[NG];
    uint32_t stk[NS];
    evgen e;
    evgen_init(&e);
    for (int k = 0; k < NR; k++)
        snprintf(rn[k], sizeof rn[k], "%s %d", base[k % 6], k);
    for (int k = 0; k < NS; k++) {
        char f[32];
        snprintf(f, sizeof f, "main.w%d", k);
        stk[k] = evgen_stack(&e, "runtime.gopark", f, NULL);
    }
    evgen_sync(&e, 100);
    evgen_proc(&e, 110, 0, 0, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    int64_t t = 200;
    for (int g = 0; g < NG; g++) {
        int64_t id = 10 + 97 * g;
        evgen_go(&e, t += 10, 0, 0, -1, id, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, 0);
        xl_g_set(&G[g], t, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", -1, 0);
        gst[g] = TT_GS_RUNNABLE;
    }
    uint64_t rs = 0x1234567887654321u;
    int nlong = 0, nend = 0;
    for (int step = 0; step < NSTEP; step++) {
        uint64_t r = xorshift64(&rs);
        int g = (int)(r % NG);
        int64_t id = 10 + 97 * g;
        t += (r >> 8) % 211 == 0 ? (nlong++, INT64_C(5000000000)) : 1 + (int64_t)((r >> 16) % 50);
        int from = gst[g], to;
        const char *reason = "";
        int64_t by = -1;
        uint32_t stack = 0, tstack = 0;
        switch (from) {
        case TT_GS_RUNNABLE:
            to = TT_GS_RUNNING;
            break;
        case TT_GS_RUNNING:
            if ((r >> 24) % 97 == 0) {
                to = TT_GS_NOTEXIST;
                nend++;
            } else if ((r >> 24) % 5 == 0) {
                to = TT_GS_RUNNABLE;
            } else {
                to = TT_GS_WAITING;
                reason = rn[(r >> 32) % NR];
                stack = tstack = stk[(r >> 40) % NS];
            }
            break;
        case TT_GS_WAITING:
            to = TT_GS_RUNNABLE;
            by = 5000 + (int64_t)((r >> 32) % NU);
            break;
        default: /* ended: created again */
            to = TT_GS_RUNNABLE;
            by = 1;
            break;
        }
        evgen_go(&e, t, 0, 0, by, id, from, to, reason, stack, tstack);
        xl_g_set(&G[g], t, from, to, reason, by, tstack ? tstack : stack);
        gst[g] = to;
    }
    assert_true(nlong > 50 && nend > 50);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    assert_true(l->nsite > 1000);
    assert_true(l->nesc > 0);
    for (int g = 0; g < NG; g++) {
        xl_push(&G[g], t); /* closed at the trace's end */
        uint32_t lane = model_goroutine_find(m, 10 + 97 * g);
        assert_int_not_equal(lane, UINT32_MAX);
        assert_true(G[g].n > 300);
        check_lane(m, ML_GOROUTINE, lane, &G[g], 1);
        free(G[g].s);
    }
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pm_lanes),
        cmocka_unit_test(test_g_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

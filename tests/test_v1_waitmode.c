/*
 * The old-format merge's wait mode (loader/v1.c, merge): once more than 64 Ps
 * wait at one scan, a P whose head is not ready is parked on its goroutine
 * and rescanned only when that goroutine's state changes. The shortcut for a
 * P found not ready at the previous scan ("blocked": skipped while the
 * transition applied since was another goroutine's) is taken only outside
 * the wait mode: in it, such a P must reach the check and be parked, or it
 * stays in the scan list and costs a step each event for as long as it
 * waits. Both ways give the same events (readiness depends on the P's
 * goroutine alone), so this test measures the work: thousands of Ps wait for
 * goroutines created only after a long stream of events on P0, and loading
 * must cost about what the same trace without the waiting Ps costs (without
 * the condition it is ~NPROCS times the stream, seconds instead of ms).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "loader/v1.h"
#include "tests/lib/v1gen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define EV(g, t, ...) V1GEN_EV(g, t, __VA_ARGS__)

enum { NSTREAM = 100000, NWAIT = 4000 };

typedef struct cnt {
    uint64_t n, starts, last_start;
} cnt;

static int on_event(void *ctx, const tt_event *e)
{
    cnt *c = ctx;
    c->n++;
    if (e->kind == TT_EV_STATE_TRANSITION && e->res == TT_RES_GOROUTINE && e->to == TT_GS_RUNNING) {
        c->starts++;
        c->last_start = (uint64_t)e->id;
    }
    return 0;
}

/* P0: g1 running, NSTREAM HeapAllocs, then GoCreate of goroutines
 * 2..nwait+1; Ps 1..nwait: one batch each whose only event starts goroutine
 * p+1 (its head waits for that GoCreate: the whole stream long). */
static void build(v1gen *g, int nwait)
{
    v1gen_init(g, 19);
    v1gen_batch(g, 0, 100);
    EV(g, GO_CREATE, 0, 1, 0, 0);
    EV(g, PROC_START, 0, 1);
    EV(g, GO_START, 0, 1, 1);
    EV(g, GOMAXPROCS, 0, 4, 0);
    for (uint64_t i = 0; i < NSTREAM; i++)
        EV(g, HEAP_ALLOC, 1, i);
    for (uint64_t gi = 2; gi <= (uint64_t)nwait + 1; gi++)
        EV(g, GO_CREATE, 1, gi, 0, 0);
    for (int64_t p = 1; p <= nwait; p++) {
        /* after every GoCreate in time too */
        v1gen_batch(g, p, 100 + NSTREAM + (uint64_t)nwait + 10 + (uint64_t)p);
        EV(g, GO_START, 0, (uint64_t)p + 1, 1);
    }
    v1gen_freq(g, 1000000000);
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Load g (best CPU time of 2); c gets the events of the last load. */
static double load_time(const v1gen *g, cnt *c)
{
    double best = 1e9;
    for (int k = 0; k < 2; k++) {
        memset(c, 0, sizeof *c);
        tt_syms *s = tt_syms_new();
        assert_non_null(s);
        tt_sink sink = {c, on_event, NULL, 0};
        tt_err err;
        memset(&err, 0, sizeof err);
        double t0 = cpu_now();
        tt_status st = tt_load_v1(g->buf, g->len, 19, s, &sink, NULL, &err);
        double t = cpu_now() - t0;
        if (st != TT_OK)
            fail_msg("load: %s", err.msg);
        tt_syms_free(s);
        if (t < best)
            best = t;
    }
    return best;
}

static void test_waiting_ps_parked(void **st)
{
    (void)st;
    v1gen ref, wait;
    build(&ref, 0);
    build(&wait, NWAIT);
    cnt cr, cw;
    double tr = load_time(&ref, &cr), tw = load_time(&wait, &cw);
    /* every waiting P ran its goroutine, in the order of the GoCreates */
    assert_int_equal(cw.starts, cr.starts + NWAIT);
    assert_int_equal(cw.last_start, NWAIT + 1);
    assert_int_equal(cw.n, cr.n + 2 * NWAIT);
    printf("stream of %d events: %.3f s alone, %.3f s with %d waiting Ps\n", NSTREAM, tr, tw,
           NWAIT);
    /* the waiting Ps add NWAIT events and their parking, not NWAIT steps per
     * event of the stream (4e8 then) */
    if (tw > 4 * tr + 0.25)
        fail_msg("%d waiting Ps made the load %.3f s instead of %.3f s: rescanned every event?",
                 NWAIT, tw, tr);
    v1gen_free(&ref);
    v1gen_free(&wait);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiting_ps_parked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

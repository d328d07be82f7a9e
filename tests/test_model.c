/* Unit tests of the model: synthetic event sequences through the builder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "tests/lib/samples.h"
#include "tests/lib/spancopy.h"
#include "tests/lib/evgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UND = TT_GS_UNDETERMINED, NOTEX = TT_GS_NOTEXIST, RNBL = TT_GS_RUNNABLE,
       RUN = TT_GS_RUNNING, WAIT = TT_GS_WAITING, SYS = TT_GS_SYSCALL };

static const char *S(const model *m, uint32_t id)
{
    return model_str(m, id, NULL);
}

/* ---- the hand-computed scenario ------------------------------------------ */

typedef struct scen {
    evgen e;
    model *m;
    uint32_t s_create, s_start, s_block, s_unblock, s_sys;
} scen;

static void scen_build(scen *s)
{
    evgen *e = &s->e;
    evgen_init(e);
    s->s_create = evgen_stack(e, "main.spawn", "main.main", NULL);
    s->s_start = evgen_stack(e, "main.worker", NULL);
    s->s_block = evgen_stack(e, "runtime.chanrecv1", "main.main", NULL);
    s->s_unblock = evgen_stack(e, "runtime.chansend1", "main.worker", NULL);
    s->s_sys = evgen_stack(e, "syscall.read", "main.main", NULL);
    evgen_sync(e, 100);
    evgen_proc(e, 110, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(e, 110, 0, 0, -1, 1, UND, RUN, "", 0, 0);
    evgen_go(e, 200, 0, 0, 1, 2, NOTEX, RNBL, "", s->s_create, s->s_start);
    evgen_go(e, 300, 0, 0, 1, 1, RUN, WAIT, "chan receive", s->s_block, s->s_block);
    evgen_go(e, 310, 0, 0, -1, 2, RNBL, RUN, "", 0, 0);
    evgen_go(e, 400, 0, 0, 2, 1, WAIT, RNBL, "", s->s_unblock, 0);
    evgen_go(e, 500, 0, 0, 2, 2, RUN, NOTEX, "", 0, 0);
    evgen_go(e, 510, 0, 0, -1, 1, RNBL, RUN, "", 0, 0);
    evgen_go(e, 600, 0, 0, 1, 1, RUN, SYS, "", s->s_sys, s->s_sys);
    evgen_proc(e, 700, 1, -1, 0, TT_PS_RUNNING, TT_PS_IDLE);
    evgen_go(e, 800, 0, -1, 1, 1, SYS, RNBL, "", 0, 0);
    evgen_proc(e, 890, 0, -1, 0, TT_PS_IDLE, TT_PS_RUNNING);
    evgen_go(e, 900, 0, 0, -1, 1, RNBL, RUN, "", 0, 0);
    evgen_sync(e, 1000);
    s->m = evgen_finish(e);
}

static void scen_free(scen *s)
{
    model_free(s->m);
    evgen_free(&s->e);
}

static void test_spans_and_unblocker(void **state)
{
    (void)state;
    scen s;
    scen_build(&s);
    model *m = s.m;
    assert_int_equal(model_lane_count(m, ML_GOROUTINE), 2);
    uint32_t g1 = model_goroutine_find(m, 1), g2 = model_goroutine_find(m, 2);
    assert_int_equal(g1, 0);
    assert_int_equal(g2, 1);
    uint32_t n;
    model_span *sp = lane_spans_copy(m, ML_GOROUTINE, g1, &n);
    assert_non_null(sp);
    static const struct {
        int64_t a, b;
        int st;
    } want[] = {{100, 300, MS_RUNNING}, {300, 400, MS_WAITING}, {400, 510, MS_RUNNABLE},
                {510, 600, MS_RUNNING}, {600, 700, MS_SYSCALL}, {700, 800, MS_SYSCALL_BLOCKED},
                {800, 900, MS_RUNNABLE}, {900, 1000, MS_RUNNING}};
    assert_int_equal(n, 8);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(sp[i].start, want[i].a);
        assert_int_equal(sp[i].end, want[i].b);
        assert_int_equal(sp[i].state, want[i].st);
    }
    assert_true(sp[0].flags & MSF_FROM_START);
    /* the waiting span: reason, category, stack, unblocker */
    assert_string_equal(S(m, sp[1].reason), "chan receive");
    assert_int_equal(sp[1].cat, MC_CHANNEL);
    assert_int_equal(sp[1].stack, s.s_block);
    assert_int_equal(sp[1].other, 2);
    assert_true(sp[1].flags & MSF_UNBLOCKED);
    /* the wake-up: runnable span carries the unblocker and its stack */
    assert_int_equal(sp[2].other, 2);
    assert_int_equal(sp[2].stack, s.s_unblock);
    assert_int_equal(sp[4].stack, s.s_sys);

    /* G2: created by G1 with the start function */
    const model_goroutine *g = model_goroutine_get(m, g2);
    assert_int_equal(g->parent, 1);
    assert_string_equal(S(m, g->func), "main.worker");
    assert_int_equal(g->create_stack, s.s_create);
    assert_false(g->system);
    free(sp);
    sp = lane_spans_copy(m, ML_GOROUTINE, g2, &n);
    assert_non_null(sp);
    assert_int_equal(n, 2);
    assert_int_equal(sp[0].state, MS_RUNNABLE);
    assert_int_equal(sp[0].stack, s.s_start);
    assert_int_equal(sp[1].start, 310);
    assert_int_equal(sp[1].end, 500);

    /* P0: which goroutine ran */
    assert_int_equal(model_lane_count(m, ML_PROC), 1);
    assert_int_equal(model_proc_id(m, 0), 0);
    free(sp);
    sp = lane_spans_copy(m, ML_PROC, 0, &n);
    assert_non_null(sp);
    static const struct {
        int64_t a, b;
        int st, other;
    } wp[] = {{100, 300, MS_RUNNING, 1}, {300, 310, MS_RUNNING, -1}, {310, 500, MS_RUNNING, 2},
              {500, 510, MS_RUNNING, -1}, {510, 700, MS_RUNNING, 1}, {700, 890, MS_IDLE, -1},
              {890, 900, MS_RUNNING, -1}, {900, 1000, MS_RUNNING, 1}};
    assert_int_equal(n, 8);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(sp[i].start, wp[i].a);
        assert_int_equal(sp[i].end, wp[i].b);
        assert_int_equal(sp[i].state, wp[i].st);
        assert_int_equal(sp[i].other, wp[i].other);
    }
    free(sp);
    /* queries */
    n = model_lane_nspans(m, ML_GOROUTINE, g1);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, 350), 1);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, 50), n);
    assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, g1, 1000), n);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, g1, 300), 1);
    assert_int_equal(model_lane_span_after(m, ML_GOROUTINE, g1, 1000), n);
    uint32_t first;
    assert_int_equal(model_lane_spans_in(m, ML_GOROUTINE, g1, 350, 610, &first), 4);
    assert_int_equal(first, 1);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, g1, 350, 1), 400);
    assert_int_equal(model_lane_next_change(m, ML_GOROUTINE, g1, 350, -1), 300);
    assert_int_equal(model_goroutine_next_block(m, g1, 0, 1), 1);
    assert_int_equal(model_goroutine_next_block(m, g1, 300, 1), 5);
    assert_int_equal(model_goroutine_next_block(m, g1, 1000, -1), 5);
    const model_episode *eps;
    uint32_t ne = model_goroutine_episodes(m, g1, &eps);
    assert_int_equal(ne, 5); /* waiting, runnable x2, syscall, blocked syscall */
    assert_int_equal(eps[0].span, 2); /* runnable 110ns, longest */
    /* info */
    const model_info *in = model_get_info(m);
    assert_int_equal(in->t_start, 100);
    assert_int_equal(in->t_end, 1000);
    assert_int_equal(in->ngoroutines, 2);
    assert_int_equal(in->nthreads, 2);
    scen_free(&s);
}

static int64_t reason_ns(const model *m, const model_gstats *st, const char *r)
{
    int64_t v = 0;
    for (uint32_t i = 0; i < st->nreasons; i++)
        if (!strcmp(S(m, st->reason[i]), r))
            v += st->reason_ns[i];
    return v;
}

static void test_summary_hand_computed(void **state)
{
    (void)state;
    scen s;
    scen_build(&s);
    model *m = s.m;
    model_gstats sbuf;
    const model_gstats *st = model_goroutine_stats(m, model_goroutine_find(m, 1), &sbuf);
    assert_true(st->in_summary);
    assert_int_equal(st->creation, 100);
    assert_int_equal(st->start, 110);
    assert_int_equal(st->end, 0);
    assert_int_equal(st->exec_ns, 10 + 190 + 90 + 100);
    assert_int_equal(st->sched_wait_ns, 110 + 100);
    assert_int_equal(st->syscall_ns, 100);
    assert_int_equal(st->syscall_block_ns, 100);
    assert_int_equal(reason_ns(m, st, "chan receive"), 100);
    assert_int_equal(st->sync_block_ns, 100);
    assert_int_equal(st->total_ns, 900);
    assert_int_equal(st->unknown_ns, 0);
    st = model_goroutine_stats(m, model_goroutine_find(m, 2), &sbuf);
    assert_int_equal(st->creation, 200);
    assert_int_equal(st->start, 310);
    assert_int_equal(st->end, 500);
    assert_int_equal(st->sched_wait_ns, 110);
    assert_int_equal(st->exec_ns, 190);
    assert_int_equal(st->total_ns, 300);
    assert_string_equal(S(m, st->name), "main.worker");
    /* G1 is named by the outermost frame of its first transition stack */
    assert_string_equal(S(m, model_goroutine_get(m, 0)->func), "main.main");
    const model_ggroup *gr;
    assert_int_equal(model_goroutine_groups(m, &gr), 2);
    assert_string_equal(S(m, gr[0].func), "main.main");
    assert_int_equal(gr[0].exec_ns, 390);
    assert_int_equal(gr[0].count, 1);
    assert_string_equal(S(m, gr[1].func), "main.worker");
    assert_int_equal(gr[1].exec_ns, 190);
    assert_int_equal(model_ggroup_lanes(m)[gr[1].first], model_goroutine_find(m, 2));

    /* profiles: sync 100ns at the block stack; syscall 200ns; sched: G2's
     * first wait does not count (its interval starts when it first runs),
     * G1's wake-up counts under the unblocker's stack */
    const model_prof_rec *r;
    uint32_t n = model_profile(m, MP_SYNC, &r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].stack, s.s_block);
    assert_int_equal(r[0].delay_ns, 100);
    assert_int_equal(r[0].count, 1);
    n = model_profile(m, MP_SYSCALL, &r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].delay_ns, 200);
    n = model_profile(m, MP_SCHED, &r);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].delay_ns, 110);
    assert_int_equal(r[0].stack, s.s_unblock);
    assert_int_equal(r[1].delay_ns, 100);
    assert_int_equal(r[1].stack, 0);
    assert_int_equal(model_profile(m, MP_NET, &r), 0);
    uint8_t *pb = NULL;
    size_t len = model_pprof_encode(m, r, 0, &pb);
    assert_true(len > 0);
    free(pb);
    n = model_profile(m, MP_SCHED, &r);
    len = model_pprof_encode(m, r, n, &pb);
    assert_true(len > 20);
    assert_int_equal(pb[0], 0x0a); /* field 1 (sample_type), length-delimited */
    free(pb);
    scen_free(&s);
}

static void test_categories(void **state)
{
    (void)state;
    static const struct {
        const char *r;
        model_cat c;
    } t[] = {
        {"chan receive", MC_CHANNEL}, {"chan send", MC_CHANNEL},
        {"chan receive (nil chan)", MC_CHANNEL}, {"select", MC_SELECT},
        {"select (no cases)", MC_SELECT}, {"sync", MC_SYNC}, {"sync.Mutex.Lock", MC_SYNC},
        {"sync.RWMutex.RLock", MC_SYNC}, {"sync.WaitGroup.Wait", MC_SYNC},
        {"sync.(*Cond).Wait", MC_COND}, {"network", MC_NETWORK}, {"sleep", MC_SLEEP},
        {"syscall", MC_SYSCALL}, {"GC mark assist wait for work", MC_GC},
        {"GC background sweeper wait", MC_GC}, {"wait until GC ends", MC_GC},
        {"GC weak to strong wait", MC_GC}, {"system goroutine wait", MC_SYSTEM},
        {"preempted", MC_SYSTEM}, {"forever", MC_SYSTEM}, {"wait for debug call", MC_SYSTEM},
        {"", MC_OTHER}, {"something new", MC_OTHER},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        model_cat c = model_cat_of_reason(t[i].r, strlen(t[i].r));
        if (c != t[i].c)
            fail_msg("reason '%s': got %s, want %s", t[i].r, model_cat_name(c),
                     model_cat_name(t[i].c));
    }
    assert_string_equal(model_state_name(MS_SYSCALL_BLOCKED), "syscall (blocked)");
}

/* Waiting with each category, a network wait in the net profile, GC ranges. */
static void test_waits_ranges_gc(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    uint32_t st = evgen_stack(&e, "internal/poll.runtime_pollWait", "main.serve", NULL);
    evgen_sync(&e, 1000);
    evgen_go(&e, 1000, 0, 0, -1, 5, UND, RUN, "", 0, evgen_stack(&e, "main.serve", NULL));
    evgen_range(&e, 1050, TT_EV_RANGE_BEGIN, "GC concurrent mark phase", TT_RES_NONE, 0, 5, 0);
    evgen_range(&e, 1060, TT_EV_RANGE_BEGIN, "GC mark assist", TT_RES_GOROUTINE, 5, 5, 0);
    evgen_go(&e, 1100, 0, 0, 5, 5, RUN, WAIT, "network", st, st);
    evgen_go(&e, 1300, 0, 0, -1, 5, WAIT, RNBL, "", 0, 0);
    evgen_go(&e, 1350, 0, 0, -1, 5, RNBL, RUN, "", 0, 0);
    evgen_range(&e, 1360, TT_EV_RANGE_END, "GC mark assist", TT_RES_GOROUTINE, 5, 5, 0);
    evgen_range(&e, 1400, TT_EV_RANGE_BEGIN, "stop-the-world (GC mark termination)",
                TT_RES_GOROUTINE, 5, 5, 0);
    evgen_range(&e, 1420, TT_EV_RANGE_END, "GC concurrent mark phase", TT_RES_NONE, 0, 5, 0);
    evgen_range(&e, 1450, TT_EV_RANGE_END, "stop-the-world (GC mark termination)",
                TT_RES_GOROUTINE, 5, 5, 0);
    evgen_range(&e, 1460, TT_EV_RANGE_BEGIN, "GC incremental sweep", TT_RES_PROC, 0, 5, 0);
    evgen_range(&e, 1470, TT_EV_RANGE_END, "GC incremental sweep", TT_RES_PROC, 0, 5, 0);
    evgen_go(&e, 1500, 0, 0, 5, 5, RUN, WAIT, "sleep", 0, 0);
    evgen_metric(&e, 1500, "/memory/classes/heap/objects:bytes", 4096);
    evgen_metric(&e, 1510, "/gc/heap/goal:bytes", 8192);
    evgen_sync(&e, 2000);
    model *m = evgen_finish(&e);
    model_gstats sbuf;
    const model_gstats *gs = model_goroutine_stats(m, 0, &sbuf);
    assert_int_equal(gs->network_wait_ns, 200);
    assert_int_equal(gs->sleep_ns, 500);
    assert_int_equal(gs->sched_wait_ns, 50);
    assert_int_equal(gs->gc_assist_ns, 300);
    assert_int_equal(gs->gc_sweep_ns, 10);
    assert_int_equal(gs->total_ns, 1000);
    uint32_t n;
    model_span *sp = lane_spans_copy(m, ML_GOROUTINE, 0, &n);
    assert_non_null(sp);
    assert_int_equal(n, 5);
    assert_int_equal(sp[1].cat, MC_NETWORK);
    assert_true(sp[1].flags & MSF_IN_ASSIST);
    assert_int_equal(sp[1].other, -1); /* unblocked by the netpoller: no goroutine */
    assert_int_equal(sp[4].cat, MC_SLEEP);
    const model_prof_rec *r;
    assert_int_equal(model_profile(m, MP_NET, &r), 1);
    assert_int_equal(r[0].delay_ns, 200);
    assert_int_equal(r[0].stack, st);
    const model_info *in = model_get_info(m);
    assert_int_equal(in->ngc, 1);
    assert_int_equal(in->gc_total_ns, 370);
    assert_int_equal(in->nstw, 1);
    assert_int_equal(in->stw_max_ns, 50);
    const model_range *rg;
    assert_int_equal(model_ranges(m, MR_SWEEP, &rg), 1);
    assert_int_equal(rg[0].res, 0);
    assert_int_equal(model_ranges(m, MR_ASSIST, &rg), 1);
    assert_int_equal(rg[0].end - rg[0].start, 300);
    /* GC lane: mark [1050,1400), STW [1400,1450) */
    free(sp);
    sp = lane_spans_copy(m, ML_GC, 0, &n);
    assert_non_null(sp);
    assert_int_equal(n, 2);
    assert_int_equal(sp[0].state, MS_GC);
    assert_int_equal(sp[0].start, 1050);
    assert_int_equal(sp[0].end, 1400);
    assert_int_equal(sp[1].state, MS_STW);
    assert_int_equal(sp[1].end, 1450);
    assert_string_equal(S(m, (uint32_t)sp[1].other), "stop-the-world (GC mark termination)");
    free(sp);
    assert_int_equal(model_series_len(m, MSER_HEAP_ALLOC), 1);
    assert_int_equal(model_series_point(m, MSER_HEAP_ALLOC, 0).v, 4096);
    assert_int_equal(model_series_max(m, MSER_HEAP_ALLOC), 4096);
    assert_int_equal(model_series_len(m, MSER_G_WAITING) >= 2, 1);
    model_free(m);
    evgen_free(&e);
}

/* The profile record of stack st in profile k: its count and delay (count 0:
 * no record). */
static void prof_of(const model *m, model_prof_kind k, uint32_t st, uint32_t *count,
                    int64_t *delay)
{
    const model_prof_rec *r;
    uint32_t n = model_profile(m, k, &r);
    *count = 0;
    *delay = 0;
    for (uint32_t i = 0; i < n; i++)
        if (r[i].stack == st) {
            *count = r[i].count;
            *delay = r[i].delay_ns;
        }
}

#define ASSERT_PROF(m, k, st, c, d)                                                                \
    do {                                                                                           \
        uint32_t c_;                                                                               \
        int64_t d_;                                                                                \
        prof_of(m, k, st, &c_, &d_);                                                               \
        if (c_ != (c) || d_ != (d))                                                                \
            fail_msg("%s stack %s: count %u delay %lld, want %u %lld", #k, #st, c_,               \
                     (long long)d_, (unsigned)(c), (long long)(d));                                \
    } while (0)

/* One life of a cgo callback's goroutine id on M m from t: created in a
 * syscall (GoCreateSyscall, stack a), running at t+10, a syscall [t+20, t+30]
 * at stack c, another from t+60 (stack b) until the goroutine ends at t+100
 * (GoDestroySyscall). */
static void callback_life(evgen *e, int64_t t, int64_t m, int64_t id, uint32_t a, uint32_t b,
                          uint32_t c)
{
    evgen_go(e, t, m, -1, -1, id, NOTEX, SYS, "", a, a);
    evgen_go(e, t + 10, m, 0, id, id, SYS, RUN, "", a, a);
    evgen_go(e, t + 20, m, 0, id, id, RUN, SYS, "", c, c);
    evgen_go(e, t + 30, m, 0, id, id, SYS, RUN, "", c, c);
    evgen_go(e, t + 60, m, 0, id, id, RUN, SYS, "", b, b);
    evgen_go(e, t + 100, m, -1, id, id, SYS, NOTEX, "", b, b);
}

/* Blocking profiles of goroutines whose life ends in a syscall, and of a
 * goroutine id that comes back (cgo callbacks on C threads): Go's pprof
 * clips every interval of an id to the window [StartTime, EndTime] of its
 * last life (cmd/trace pprofMatchingGoroutines over the summary, which a new
 * life replaces). */
static void test_prof_goroutine_lives(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    uint32_t a9 = evgen_stack(&e, "main.a9", NULL), b9 = evgen_stack(&e, "main.b9", NULL),
             c9 = evgen_stack(&e, "main.c9", NULL), a11 = evgen_stack(&e, "main.a11", NULL),
             b11 = evgen_stack(&e, "main.b11", NULL), c11 = evgen_stack(&e, "main.c11", NULL),
             s5 = evgen_stack(&e, "main.s5", NULL), e5 = evgen_stack(&e, "main.e5", NULL);
    evgen_sync(&e, 100);
    /* G5: an ordinary goroutine whose last syscall ends with it (a thread
     * exiting): [150, 190] counts */
    evgen_go(&e, 100, 3, 1, 5, 5, UND, RUN, "", s5, s5);
    evgen_go(&e, 150, 3, 1, 5, 5, RUN, SYS, "", s5, s5);
    evgen_go(&e, 190, 3, -1, 5, 5, SYS, NOTEX, "", e5, e5);
    /* G9: two lives; the last runs from 310, so only its own intervals
     * after that count: c9 [320, 330], b9 [360, 400] */
    callback_life(&e, 100, 1, 9, a9, b9, c9);
    callback_life(&e, 300, 1, 9, a9, b9, c9);
    /* G11: a first life, then a second that never runs: its window is
     * [0, ...], which takes every interval of the first life in full */
    callback_life(&e, 500, 2, 11, a11, b11, c11);
    evgen_go(&e, 800, 2, -1, -1, 11, NOTEX, SYS, "", a11, a11);
    evgen_sync(&e, 900);
    model *m = evgen_finish(&e);
    ASSERT_PROF(m, MP_SYSCALL, s5, 1, 40);
    ASSERT_PROF(m, MP_SYSCALL, a9, 0, 0); /* [300, 310] ends at StartTime */
    ASSERT_PROF(m, MP_SYSCALL, c9, 1, 10);
    ASSERT_PROF(m, MP_SYSCALL, b9, 1, 40);
    ASSERT_PROF(m, MP_SYSCALL, a11, 1, 10);
    ASSERT_PROF(m, MP_SYSCALL, c11, 1, 10);
    ASSERT_PROF(m, MP_SYSCALL, b11, 1, 40);
    model_free(m);
    evgen_free(&e);
}

/* A goroutine id is named (and grouped) by its last life, as Go's goroutine
 * analysis does: G13's first life has a stack, its second none. */
static void test_goroutine_name_last_life(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    uint32_t named = evgen_stack(&e, "main.leaf", "main.named", NULL);
    uint32_t other = evgen_stack(&e, "main.other", NULL);
    evgen_sync(&e, 100);
    evgen_go(&e, 100, 1, 0, -1, 12, UND, RUN, "", other, other);
    evgen_go(&e, 110, 2, -1, -1, 13, NOTEX, SYS, "", named, named);
    evgen_go(&e, 120, 2, -1, 13, 13, SYS, NOTEX, "", named, named);
    evgen_go(&e, 200, 3, -1, -1, 14, NOTEX, SYS, "", named, named);
    evgen_go(&e, 300, 2, -1, -1, 13, NOTEX, SYS, "", 0, 0);
    evgen_go(&e, 310, 2, -1, 13, 13, SYS, NOTEX, "", 0, 0);
    evgen_sync(&e, 400);
    model *m = evgen_finish(&e);
    const model_goroutine *g13 = model_goroutine_get(m, model_goroutine_find(m, 13));
    assert_int_equal(g13->func, 0);
    assert_true(g13->system); /* Go: IsSystemGoroutine("") */
    assert_string_equal(S(m, model_goroutine_get(m, model_goroutine_find(m, 14))->func), "main.named");
    const model_ggroup *gr;
    uint32_t n = model_goroutine_groups(m, &gr), found = 0;
    for (uint32_t i = 0; i < n; i++)
        if (gr[i].func == 0) {
            assert_int_equal(gr[i].count, 1);
            found++;
        }
    assert_int_equal(found, 1);
    model_free(m);
    evgen_free(&e);
}

/* A P gets a lane from what it shows (its transitions, goroutines on it),
 * not from events that merely sit on it: Go's old-format converter puts
 * syscall exits on P 1000003 and GC on P 1000004, which no viewer shows. */
static void test_fake_procs(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    uint32_t st = evgen_stack(&e, "syscall.Syscall", "main.main", NULL);
    evgen_sync(&e, 100);
    evgen_proc(&e, 100, 1, 0, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, 100, 1, 0, -1, 1, UND, RUN, "", st, st);
    evgen_go(&e, 110, 1, 0, 1, 1, RUN, SYS, "", st, st);
    evgen_go(&e, 120, -1, 1000003, 1, 1, SYS, RNBL, "", 0, 0);
    evgen_range(&e, 130, TT_EV_RANGE_BEGIN, "GC concurrent mark phase", TT_RES_NONE, 0, 1, 1000004);
    evgen_range(&e, 150, TT_EV_RANGE_END, "GC concurrent mark phase", TT_RES_NONE, 0, 1, 1000004);
    evgen_go(&e, 160, 1, 0, -1, 1, RNBL, RUN, "", 0, 0);
    evgen_sync(&e, 200);
    model *m = evgen_finish(&e);
    assert_int_equal(model_lane_count(m, ML_PROC), 1);
    assert_int_equal(model_proc_id(m, 0), 0);
    assert_int_equal(model_get_info(m)->ngc, 1);
    model_free(m);
    evgen_free(&e);
}

/* A GC cycle running when the trace began is drawn and counted from the
 * trace's start, and one still running at its end up to the end, as Go's
 * viewer draws them (its Active event in a later generation changes
 * nothing). */
static void test_gc_at_trace_edges(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 100);
    evgen_go(&e, 120, 1, 0, -1, 1, UND, RUN, "", 0, 0);
    evgen_range(&e, 150, TT_EV_RANGE_ACTIVE, "GC concurrent mark phase", TT_RES_NONE, 0, 1, 0);
    evgen_range(&e, 300, TT_EV_RANGE_END, "GC concurrent mark phase", TT_RES_NONE, 0, 1, 0);
    evgen_range(&e, 500, TT_EV_RANGE_BEGIN, "GC concurrent mark phase", TT_RES_NONE, 0, 1, 0);
    evgen_sync(&e, 600);
    evgen_range(&e, 610, TT_EV_RANGE_ACTIVE, "GC concurrent mark phase", TT_RES_NONE, 0, 1, 0);
    evgen_go(&e, 900, 1, 0, 1, 1, RUN, WAIT, "sleep", 0, 0);
    model *m = evgen_finish(&e);
    const model_info *in = model_get_info(m);
    assert_int_equal(in->ngc, 2);
    assert_int_equal(in->ngc_open, 1);
    assert_int_equal(in->gc_total_ns, (300 - 100) + (900 - 500));
    assert_int_equal(in->gc_max_ns, 400);
    const model_range *rg;
    assert_int_equal(model_ranges(m, MR_GC, &rg), 2);
    assert_int_equal(rg[0].start, 100);
    assert_int_equal(rg[0].end, 300);
    assert_int_equal(rg[1].start, 500);
    assert_int_equal(rg[1].end, 900);
    model_free(m);
    evgen_free(&e);
}

static void test_regions_nesting(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    evgen_go(&e, 10, 0, 0, -1, 7, UND, RUN, "", 0, 0);
    evgen_region(&e, 15, TT_EV_REGION_END, 7, 0, "before"); /* began before the trace */
    evgen_region(&e, 20, TT_EV_REGION_BEGIN, 7, 1, "outer");
    evgen_region(&e, 30, TT_EV_REGION_BEGIN, 7, 1, "inner");
    evgen_log(&e, 35, 7, 1, "cat", "hello needle");
    evgen_region(&e, 40, TT_EV_REGION_END, 7, 1, "inner");
    evgen_region(&e, 50, TT_EV_REGION_BEGIN, 7, 1, "open");
    evgen_region(&e, 60, TT_EV_REGION_END, 7, 1, "open");
    evgen_region(&e, 70, TT_EV_REGION_BEGIN, 7, 1, "never-ends");
    evgen_label(&e, 75, 7, "GC (idle)");
    evgen_go(&e, 80, 0, 0, 7, 7, RUN, NOTEX, "", 0, 0);
    evgen_sync(&e, 100);
    model *m = evgen_finish(&e);
    const model_region *r;
    uint32_t n = model_goroutine_regions(m, 0, &r);
    assert_int_equal(n, 5);
    assert_string_equal(S(m, r[0].name), "before");
    assert_int_equal(r[0].flags, MRF_NO_BEGIN);
    assert_int_equal(r[0].start, 0);
    assert_int_equal(r[0].end, 15);
    assert_string_equal(S(m, r[1].name), "outer");
    assert_int_equal(r[1].depth, 0);
    assert_int_equal(r[1].end, 80); /* closed when the goroutine ended */
    assert_int_equal(r[1].flags, MRF_NO_END);
    assert_string_equal(S(m, r[2].name), "inner");
    assert_int_equal(r[2].depth, 1);
    assert_int_equal(r[2].end, 40);
    assert_int_equal(r[2].flags, 0);
    assert_string_equal(S(m, r[3].name), "open");
    assert_int_equal(r[3].depth, 1);
    assert_string_equal(S(m, r[4].name), "never-ends");
    assert_int_equal(r[4].flags, MRF_NO_END);
    assert_string_equal(S(m, model_goroutine_get(m, 0)->label), "GC (idle)");
    const model_log *l;
    assert_int_equal(model_goroutine_logs(m, 0, &l), 1);
    assert_string_equal(S(m, l[0].message), "hello needle");
    uint32_t out[4];
    assert_int_equal(model_search_goroutines(m, "NEEDLE", out, 4), 1);
    assert_int_equal(model_search_goroutines(m, "inner", out, 4), 1);
    assert_int_equal(model_search_goroutines(m, "7", out, 4), 1);
    assert_int_equal(model_search_goroutines(m, "idle", out, 4), 1);
    assert_int_equal(model_search_goroutines(m, "nothing", out, 4), 0);
    assert_int_equal(model_get_info(m)->nregions, 5);
    model_free(m);
    evgen_free(&e);
}

/* Regions and logs name their task by a 32-bit task_ref and their goroutine
 * by the lane they are grouped under: check both against what was traced,
 * for task ids of every size (0 = background, ids past 2^44) and for
 * goroutines whose annotations interleave. */
static void test_annotation_refs_and_lanes(void **state)
{
    (void)state;
    const uint64_t big = ((uint64_t)1 << 50) + 3, huge = UINT64_MAX - 1;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    evgen_go(&e, 1, 0, 0, -1, 30, UND, RUN, "", 0, 0);
    evgen_go(&e, 2, 0, 0, -1, 10, UND, RUN, "", 0, 0);
    evgen_go(&e, 3, 0, 0, -1, 20, UND, RUN, "", 0, 0);
    evgen_region(&e, 10, TT_EV_REGION_BEGIN, 30, big, "a30");
    evgen_region(&e, 11, TT_EV_REGION_BEGIN, 10, 0, "a10");
    evgen_log(&e, 12, 20, huge, "c", "m20");
    evgen_region(&e, 13, TT_EV_REGION_END, 10, 0, "a10");
    evgen_region(&e, 14, TT_EV_REGION_BEGIN, 20, 5, "b20");
    evgen_log(&e, 15, 10, big, "c", "m10");
    evgen_region(&e, 16, TT_EV_REGION_END, 20, 5, "b20");
    evgen_region(&e, 17, TT_EV_REGION_END, 30, big, "a30");
    evgen_log(&e, 18, 30, 5, "c", "m30");
    evgen_sync(&e, 100);
    model *m = evgen_finish(&e);
    struct { const char *name; int64_t g; uint64_t task; } want_r[] = {
        {"a10", 10, 0}, {"b20", 20, 5}, {"a30", 30, big}};
    struct { const char *msg; int64_t g; uint64_t task; } want_l[] = {
        {"m10", 10, big}, {"m20", 20, huge}, {"m30", 30, 5}};
    const model_region *r;
    const model_log *l;
    assert_int_equal(model_regions_all(m, &r), 3);
    assert_int_equal(model_logs_all(m, &l), 3);
    for (uint32_t k = 0; k < 3; k++) { /* grouped in lane order: goroutines 10, 20, 30 */
        assert_string_equal(S(m, r[k].name), want_r[k].name);
        assert_true(model_task_ref_id(m, r[k].task_ref) == want_r[k].task);
        uint32_t lane = model_region_lane(m, k);
        assert_int_equal(model_goroutine_get(m, lane)->id, want_r[k].g);
        const model_region *gr;
        assert_int_equal(model_goroutine_regions(m, lane, &gr), 1);
        assert_ptr_equal(gr, &r[k]);
        assert_string_equal(S(m, l[k].message), want_l[k].msg);
        assert_true(model_task_ref_id(m, l[k].task_ref) == want_l[k].task);
        lane = model_log_lane(m, k);
        assert_int_equal(model_goroutine_get(m, lane)->id, want_l[k].g);
        const model_log *gl;
        assert_int_equal(model_goroutine_logs(m, lane, &gl), 1);
        assert_ptr_equal(gl, &l[k]);
    }
    /* the same task id is one ref wherever it appears */
    assert_int_equal(r[2].task_ref, l[0].task_ref);
    assert_int_equal(r[1].task_ref, l[2].task_ref);
    assert_true(r[0].task_ref != r[1].task_ref);
    assert_int_equal(model_region_lane(m, 3), UINT32_MAX);
    assert_int_equal(model_log_lane(m, 3), UINT32_MAX);
    assert_int_equal(model_region_lane(m, UINT32_MAX), UINT32_MAX);
    assert_true(model_task_ref_id(m, 4) == TT_NO_TASK);
    assert_true(model_task_ref_id(m, UINT32_MAX) == TT_NO_TASK);
    model_free(m);
    evgen_free(&e);
}

static void test_tasks_across_syncs(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    evgen_go(&e, 5, 0, 0, -1, 1, UND, RUN, "", 0, 0);
    evgen_task(&e, 10, TT_EV_TASK_BEGIN, 1, 42, TT_NO_TASK, "parent");
    evgen_task(&e, 20, TT_EV_TASK_BEGIN, 1, 43, 42, "child");
    evgen_task(&e, 25, TT_EV_TASK_END, 1, 9, TT_NO_TASK, ""); /* began before the trace */
    evgen_sync(&e, 50);
    evgen_go(&e, 50, 0, 0, -1, 1, RUN, RUN, "", 0, 0); /* status no-op */
    evgen_task(&e, 60, TT_EV_TASK_END, 1, 43, 42, "child");
    evgen_sync(&e, 100);
    evgen_task(&e, 110, TT_EV_TASK_END, 1, 42, TT_NO_TASK, "parent");
    evgen_sync(&e, 200);
    model *m = evgen_finish(&e);
    const model_task *t;
    uint32_t n = model_tasks(m, &t);
    assert_int_equal(n, 3);
    int seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (t[i].id == 42) {
            assert_int_equal(t[i].start, 10);
            assert_int_equal(t[i].end, 110);
            assert_int_equal(t[i].flags, 0);
            assert_true(t[i].parent == TT_NO_TASK);
            seen |= 1;
        } else if (t[i].id == 43) {
            assert_int_equal(t[i].parent, 42);
            assert_int_equal(t[i].end, 60);
            assert_string_equal(S(m, t[i].name), "child");
            seen |= 2;
        } else if (t[i].id == 9) {
            assert_int_equal(t[i].flags, MRF_NO_BEGIN);
            assert_int_equal(t[i].start, 0);
            seen |= 4;
        }
    }
    assert_int_equal(seen, 7);
    /* the status no-op did not split the running span */
    assert_int_equal(model_lane_nspans(m, ML_GOROUTINE, 0), 1);
    model_free(m);
    evgen_free(&e);
}

/* ---- level of detail vs brute force --------------------------------------- */

static uint8_t brute_col(const model_span *s, uint32_t n, int64_t a, int64_t b)
{
    int64_t d[MS__COUNT] = {0};
    for (uint32_t i = 0; i < n; i++) {
        int64_t lo = s[i].start > a ? s[i].start : a, hi = s[i].end < b ? s[i].end : b;
        if (hi > lo)
            d[s[i].state] += hi - lo;
    }
    int best = MS_NONE;
    int64_t bd = 0;
    for (int k = 1; k < MS__COUNT; k++)
        if (d[k] > bd || (d[k] == bd && bd > 0 && k == MS_RUNNING)) {
            best = k;
            bd = d[k];
        }
    if (best == MS_NONE && b <= a)
        for (uint32_t i = 0; i < n; i++)
            if (s[i].start <= a && a < s[i].end)
                best = s[i].state;
    return (uint8_t)best;
}

static int64_t col_edge(int64_t t0, double w, uint32_t c)
{
    return (int64_t)llround((double)t0 + w * (double)c);
}

static void check_lod(const model *m, model_lane_kind k, uint32_t lane, uint64_t *rnd, int iters)
{
    uint32_t n;
    model_span *s = lane_spans_copy(m, k, lane, &n);
    assert_non_null(s);
    const model_info *in = model_get_info(m);
    int64_t span = in->t_end - in->t_start + 1;
    uint8_t out[300];
    for (int it = 0; it < iters; it++) {
        *rnd = *rnd * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t ncols = 1 + (uint32_t)((*rnd >> 33) % 300);
        int64_t t0 = in->t_start - span / 10 + (int64_t)((*rnd >> 20) % (uint64_t)span);
        double w = (double)((*rnd >> 40) % (uint64_t)(span / 50 + 2)) + ((*rnd >> 8) % 7) / 3.0;
        if (it % 5 == 0)
            w = (double)span / ncols * 1.3; /* whole trace */
        model_lane_columns(m, k, lane, t0, w, ncols, out);
        for (uint32_t c = 0; c < ncols; c++) {
            uint8_t want = brute_col(s, n, col_edge(t0, w, c), col_edge(t0, w, c + 1));
            if (out[c] != want)
                fail_msg("lane %u col %u [%lld,%lld): got %d want %d", lane, c,
                         (long long)col_edge(t0, w, c), (long long)col_edge(t0, w, c + 1),
                         out[c], want);
        }
    }
    free(s);
}

static void test_lod_random_lane(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    uint64_t rnd = 12345;
    int cur = UND;
    int64_t t = 10;
    static const int next_states[] = {RUN, RNBL, WAIT, SYS};
    for (int i = 0; i < 5000; i++) {
        rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
        int to = next_states[(rnd >> 33) % 4];
        if (to == cur)
            continue;
        evgen_go(&e, t, 0, 0, 1, 1, cur, to, to == WAIT ? "chan send" : "", 0, 0);
        cur = to;
        t += 1 + (int64_t)((rnd >> 40) % 1000);
    }
    evgen_sync(&e, t + 5);
    model *m = evgen_finish(&e);
    assert_true(model_lane_nspans(m, ML_GOROUTINE, 0) > 1000);
    check_lod(m, ML_GOROUTINE, 0, &rnd, 300);
    check_lod(m, ML_PROC, 0, &rnd, 50);
    model_free(m);
    evgen_free(&e);
}

/* Checkpoints are stored only for whole blocks of 32 spans: lanes of exactly
 * 0..2 blocks, and one span either side, must still give exact columns. */
static void test_lod_checkpoint_edges(void **state)
{
    (void)state;
    static const uint32_t want_n[] = {1, 31, 32, 33, 63, 64, 65, 96};
    for (size_t w = 0; w < sizeof want_n / sizeof want_n[0]; w++) {
        evgen e;
        evgen_init(&e);
        evgen_sync(&e, 0);
        uint64_t rnd = 777 + w;
        int cur = UND;
        int64_t t = 10;
        static const int next_states[] = {RUN, RNBL, WAIT, SYS};
        /* the first transition from Undetermined opens span 0 at the Sync;
         * each further transition closes one span; the last is closed at the
         * final event */
        for (uint32_t k = 0; k < want_n[w];) {
            rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
            int to = next_states[(rnd >> 33) % 4];
            if (to == cur)
                continue;
            evgen_go(&e, t, 0, 0, 1, 1, cur, to, to == WAIT ? "chan send" : "", 0, 0);
            cur = to;
            k++;
            t += 1 + (int64_t)((rnd >> 40) % 1000);
        }
        evgen_sync(&e, t + 5);
        model *m = evgen_finish(&e);
        assert_int_equal(model_lane_nspans(m, ML_GOROUTINE, 0), want_n[w]);
        check_lod(m, ML_GOROUTINE, 0, &rnd, 200);
        model_free(m);
        evgen_free(&e);
    }
}

/* ---- safe text ----------------------------------------------------------- */

static void safe_eq(const char *in, size_t n, const char *want)
{
    char buf[256];
    size_t need = model_safe_text(buf, sizeof buf, in, n);
    if (strcmp(buf, want) != 0 || need != strlen(want))
        fail_msg("safe_text: got '%s' (need %zu), want '%s'", buf, need, want);
}

static void test_safe_text(void **state)
{
    (void)state;
    safe_eq("main.main", 9, "main.main");
    safe_eq("a\x1b[2Jb", 6, "a\\x1b[2Jb");
    safe_eq("tab\there\n", 9, "tab\\x09here\\x0a");
    safe_eq("del\x7f", 4, "del\\x7f");
    safe_eq("nul\0x", 5, "nul\\x00x");
    safe_eq("back\\slash", 10, "back\\\\slash");
    safe_eq("caf\xc3\xa9 \xe4\xb8\xad", 9, "caf\xc3\xa9 \xe4\xb8\xad"); /* valid UTF-8 kept */
    safe_eq("c1:\xc2\x9b", 5, "c1:\\u009b");
    safe_eq("bidi\xe2\x80\xae!", 8, "bidi\\u202e!");
    safe_eq("iso\xe2\x81\xa6x", 7, "iso\\u2066x");
    safe_eq("zw\xe2\x80\x8bj", 6, "zw\\u200bj");
    safe_eq("bom\xef\xbb\xbf", 6, "bom\\ufeff");
    safe_eq("bad\xff", 4, "bad\\xff");
    safe_eq("over\xc0\xaf", 6, "over\\xc0\\xaf");        /* overlong '/' */
    safe_eq("over3\xe0\x80\xaf", 8, "over3\\xe0\\x80\\xaf");
    safe_eq("surr\xed\xa0\x80", 7, "surr\\xed\\xa0\\x80"); /* UTF-16 surrogate */
    safe_eq("big\xf4\x90\x80\x80", 7, "big\\xf4\\x90\\x80\\x80");
    safe_eq("trunc\xe4\xb8", 7, "trunc\\xe4\\xb8");
    safe_eq("emoji\xf0\x9f\x98\x80", 9, "emoji\xf0\x9f\x98\x80");
    /* truncation never splits an escape or a character */
    char small[6];
    size_t need = model_safe_text(small, sizeof small, "ab\x1b" "cd", 5);
    assert_int_equal(need, 8);
    assert_string_equal(small, "ab");
    need = model_safe_text(small, 5, "\xe4\xb8\xad\xe4\xb8\xad", 6);
    assert_int_equal(need, 6);
    assert_string_equal(small, "\xe4\xb8\xad");
    assert_int_equal(model_safe_text(NULL, 0, "\x01", 1), 4);
    assert_int_equal(model_safe_width("ab\xe4\xb8\xad"), 4);
    char d[32];
    assert_string_equal(model_fmt_duration(d, sizeof d, 0), "0");
    assert_string_equal(model_fmt_duration(d, sizeof d, 950), "950ns");
    assert_string_equal(model_fmt_duration(d, sizeof d, 1234567), "1.235ms");
    assert_string_equal(model_fmt_duration(d, sizeof d, -2000000), "-2.000ms");
}

/* ---- real traces (when the samples and the loader are there) -------------- */

static void check_lanes_sorted(const model *m)
{
    for (int k = 0; k < 4; k++) {
        for (uint32_t l = 0; l < model_lane_count(m, (model_lane_kind)k); l++) {
            uint32_t n = model_lane_nspans(m, (model_lane_kind)k, l);
            int64_t prev_end = INT64_MIN;
            for (uint32_t i = 0; i < n; i++) {
                model_span s;
                if (!model_lane_span(m, (model_lane_kind)k, l, i, &s))
                    fail_msg("kind %d lane %u span %u of %u does not decode", k, l, i, n);
                if (s.end <= s.start)
                    fail_msg("kind %d lane %u span %u empty", k, l, i);
                if (s.start < prev_end)
                    fail_msg("kind %d lane %u span %u overlaps", k, l, i);
                prev_end = s.end;
            }
        }
    }
}

/*
 * The goroutine lanes agree with Go's summary (which suite_analysis.sh checks
 * against go tool trace to the nanosecond): per goroutine, time running ==
 * Execution time, runnable == Sched wait, waiting == sum of Block time by
 * reason, syscall == Syscall execution, blocked syscall == Block time
 * (syscall). The P lanes give each goroutine its running + syscall time, the
 * M lanes its running + syscall + blocked syscall time. The summary is of a
 * goroutine id's last life (a cgo callback's id comes back), whose spans
 * start at its creation.
 */
static void check_lanes_vs_summary(const model *m, const char *name)
{
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    int64_t *onp = calloc(ng + 1, sizeof *onp), *onm = calloc(ng + 1, sizeof *onm),
            *created = calloc(ng + 1, sizeof *created);
    assert_non_null(onp);
    assert_non_null(onm);
    assert_non_null(created);
    for (uint32_t g = 0; g < ng; g++) {
        model_gstats sbuf;
        created[g] = model_goroutine_stats(m, g, &sbuf)->creation;
    }
    for (int k = ML_PROC; k <= ML_THREAD; k++) {
        for (uint32_t l = 0; l < model_lane_count(m, (model_lane_kind)k); l++) {
            model_span sp;
            for (uint32_t i = 0; model_lane_span(m, (model_lane_kind)k, l, i, &sp); i++) {
                if (sp.other < 0)
                    continue;
                uint32_t g = model_goroutine_find(m, sp.other);
                assert_true(g < ng);
                if (sp.start >= created[g])
                    (k == ML_PROC ? onp : onm)[g] += sp.end - sp.start;
            }
        }
    }
    for (uint32_t g = 0; g < ng; g++) {
        model_gstats sbuf;
        const model_gstats *st = model_goroutine_stats(m, g, &sbuf);
        model_span sp;
        int64_t d[MS__COUNT] = {0}, blk = 0;
        int in_syscall = -1; /* the life began in a syscall (first span) */
        for (uint32_t i = 0; model_lane_span(m, ML_GOROUTINE, g, i, &sp); i++)
            if (sp.start >= st->creation) {
                d[sp.state] += sp.end - sp.start;
                if (in_syscall < 0)
                    in_syscall = sp.state == MS_SYSCALL;
            }
        for (uint32_t i = 0; i < st->nreasons; i++)
            blk += st->reason_ns[i];
        assert_true(st->unknown_ns >= 0);
        if (!st->in_summary)
            continue;
        if (d[MS_RUNNING] != st->exec_ns || d[MS_RUNNABLE] != st->sched_wait_ns ||
            d[MS_WAITING] != blk || d[MS_SYSCALL] != st->syscall_ns ||
            d[MS_SYSCALL_BLOCKED] != st->syscall_block_ns)
            fail_msg("%s G%lld: lanes disagree with the summary", name,
                     (long long)model_goroutine_get(m, g)->id);
        /* a goroutine created in a syscall (a cgo callback's) has no P
         * until it leaves it: its P time is between its running time and
         * that plus its syscall time */
        if (in_syscall == 1 ? onp[g] < d[MS_RUNNING] || onp[g] > d[MS_RUNNING] + d[MS_SYSCALL]
                            : onp[g] != d[MS_RUNNING] + d[MS_SYSCALL])
            fail_msg("%s G%lld: P lanes %lld, running+syscall %lld", name,
                     (long long)model_goroutine_get(m, g)->id, (long long)onp[g],
                     (long long)(d[MS_RUNNING] + d[MS_SYSCALL]));
        if (onm[g] != d[MS_RUNNING] + d[MS_SYSCALL] + d[MS_SYSCALL_BLOCKED])
            fail_msg("%s G%lld: M lanes disagree", name, (long long)model_goroutine_get(m, g)->id);
    }
    free(onp);
    free(onm);
    free(created);
}

static void check_sample(model *m, const char *name, void *ctx)
{
    uint64_t *rnd = ctx;
    check_lanes_sorted(m);
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    for (uint32_t g = 0; g < ng; g += 1 + ng / 8)
        check_lod(m, ML_GOROUTINE, g, rnd, 10);
    for (uint32_t p = 0; p < model_lane_count(m, ML_PROC); p++)
        check_lod(m, ML_PROC, p, rnd, 10);
    check_lod(m, ML_GC, 0, rnd, 10);
    check_lanes_vs_summary(m, name);
}

static void test_sample_traces(void **state)
{
    (void)state;
    uint64_t rnd = 99;
    if (for_each_sample(check_sample, &rnd) <= 0)
        skip();
}

/* A truncated file keeps exactly the events up to the last Sync. */
static void test_truncated_sample(void **state)
{
    (void)state;
    FILE *f = fopen("samples/traces/cpubound.trace", "rb");
    if (!f)
        skip();
    static uint8_t buf[64 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    if (model_open_mem(buf, n, NULL, &m, &res, &err) != TT_OK)
        skip();
    uint64_t full = model_get_info(m)->nevents;
    model_free(m);
    int found = 0;
    for (size_t cut = n - 1; cut > n / 8 && !found; cut -= n / 64) {
        if (model_open_mem(buf, cut, NULL, &m, &res, &err) != TT_OK)
            continue;
        if (res.truncated) {
            assert_int_equal(model_get_info(m)->nevents, res.valid_events);
            assert_true(res.valid_events < full);
            check_lanes_sorted(m);
            found = 1;
        }
        model_free(m);
    }
    if (!found)
        skip();
}

/* Arbitrary (even inconsistent) event soup: the builder and every query must
 * stay memory-safe (run under ASan/UBSan by make test). */
static void test_random_soup(void **state)
{
    (void)state;
    uint64_t r = 777;
#define RND() (r = r * 6364136223846793005ull + 1442695040888963407ull, r >> 33)
    for (int round = 0; round < 20; round++) {
        evgen e;
        evgen_init(&e);
        static const char *const names[] = {
            "", "chan send", "network", "forever", "GC concurrent mark phase",
            "GC incremental sweep", "GC mark assist", "stop-the-world (GC mark termination)",
            "/sched/gomaxprocs:threads", "/memory/classes/heap/objects:bytes", "region", "sync",
        };
        uint32_t stk = evgen_stack(&e, "a.b", "c.d", NULL);
        int64_t t = (int64_t)(RND() % 3) - 1;
        for (int i = 0; i < 3000; i++) {
            tt_event ev;
            memset(&ev, 0, sizeof ev);
            t += (int64_t)(RND() % 50);
            ev.time = t;
            ev.m = (int64_t)(RND() % 5) - 1;
            ev.p = (int64_t)(RND() % 5) - 1;
            ev.g = (int64_t)(RND() % 8) - 1;
            ev.id = (int64_t)(RND() % 8) - 1;
            ev.kind = (uint8_t)(RND() % TT_EV__COUNT);
            ev.res = (uint8_t)(RND() % 4);
            ev.from = (uint8_t)(RND() % 7);
            ev.to = (uint8_t)(RND() % 7);
            ev.name = evgen_str(&e, names[RND() % (sizeof names / sizeof names[0])]);
            ev.msg = ev.name;
            ev.stack = RND() % 2 ? stk : 0;
            ev.tstack = RND() % 2 ? stk : 0;
            ev.arg[0] = RND();
            evgen_event(&e, &ev);
        }
        model *m = evgen_finish(&e);
        uint64_t rr = r;
        for (int k = 0; k < 4; k++)
            for (uint32_t l = 0; l < model_lane_count(m, (model_lane_kind)k); l++) {
                check_lod(m, (model_lane_kind)k, l, &rr, 3);
                model_span sp;
                int64_t prev_end = INT64_MIN;
                for (uint32_t i = 0; model_lane_span(m, (model_lane_kind)k, l, i, &sp); i++) {
                    assert_true(sp.start >= prev_end);
                    prev_end = sp.end;
                }
                (void)model_lane_next_change(m, (model_lane_kind)k, l, t / 2, 1);
                (void)model_lane_next_change(m, (model_lane_kind)k, l, t / 2, -1);
            }
        for (uint32_t g = 0; g < model_lane_count(m, ML_GOROUTINE); g++) {
            const model_episode *eps;
            const model_region *rg;
            const model_log *lg;
            (void)model_goroutine_episodes(m, g, &eps);
            (void)model_goroutine_regions(m, g, &rg);
            (void)model_goroutine_logs(m, g, &lg);
            (void)model_goroutine_next_block(m, g, t / 2, 1);
            (void)model_goroutine_next_block(m, g, t / 2, -1);
        }
        for (int k = 0; k < MSER__COUNT; k++) {
            model_series_cursor cur = {0};
            (void)model_series_max_in(m, (model_series_kind)k, t / 3, t / 2, &cur);
            (void)model_series_at(m, (model_series_kind)k, t / 2);
        }
        uint32_t out[8];
        (void)model_search_goroutines(m, "a", out, 8);
        for (int k = 0; k < MP__COUNT; k++) {
            const model_prof_rec *rec;
            uint32_t n = model_profile(m, (model_prof_kind)k, &rec);
            uint8_t *pb = NULL;
            size_t len = model_pprof_encode(m, rec, n, &pb);
            assert_true(len > 0);
            free(pb);
        }
        model_free(m);
        evgen_free(&e);
    }
#undef RND
}

/* Many goroutines whose spans interleave (the builder sorts them by lane at
 * the end), ids first seen in descending order, times near 2^62 (summaries
 * are stored as varints relative to the trace start). */
static void test_many_lanes(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    const int64_t t0 = (int64_t)1 << 62;
    const int ng = 700, rounds = 40;
    evgen_sync(&e, t0);
    evgen_proc(&e, t0 + 1, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    int64_t t = t0 + 10;
    for (int i = 0; i < ng; i++) /* ids 700..1 */
        evgen_go(&e, t += 3, 0, 0, -1, ng - i, NOTEX, RNBL, "", 0, 0);
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < ng; i++) {
            int64_t id = 1 + (i * 37 + r) % ng; /* interleave differently each round */
            evgen_go(&e, t += 5, 0, 0, -1, id, RNBL, RUN, "", 0, 0);
            evgen_go(&e, t += 7, 0, 0, id, id, RUN, WAIT, "chan receive", 0, 0);
            evgen_go(&e, t += 11, 0, 0, -1, id, WAIT, RNBL, "", 0, 0);
        }
    model *m = evgen_finish(&e);
    assert_non_null(m);
    assert_int_equal(model_lane_count(m, ML_GOROUTINE), ng);
    for (int i = 0; i < ng; i++) {
        const model_goroutine *g = model_goroutine_get(m, (uint32_t)i);
        assert_int_equal(g->id, i + 1);
        uint32_t n;
        model_span *sp = lane_spans_copy(m, ML_GOROUTINE, (uint32_t)i, &n);
        assert_non_null(sp);
        /* runnable, then running/waiting/runnable per round; the goroutine of
         * the last event has an empty last span (not kept) */
        int64_t last_id = 1 + ((ng - 1) * 37 + rounds - 1) % ng;
        assert_int_equal(n, 3 * rounds + (g->id != last_id));
        for (uint32_t j = 1; j < n; j++) {
            assert_true(sp[j].start >= sp[j - 1].end);
            assert_int_equal(sp[j].state, j % 3 == 1 ? MS_RUNNING : j % 3 == 2 ? MS_WAITING
                                                                              : MS_RUNNABLE);
        }
        model_gstats sb;
        const model_gstats *st = model_goroutine_stats(m, (uint32_t)i, &sb);
        assert_non_null(st);
        assert_true(st->in_summary);
        assert_int_equal(st->creation, t0 + 10 + 3 * (ng - i));
        assert_int_equal(st->start, sp[1].start);
        assert_int_equal(st->exec_ns, 5 * 0 + 7 * rounds);
        assert_int_equal(st->nreasons, 1);
        assert_int_equal(st->reason_ns[0], 11 * rounds);
        assert_string_equal(S(m, st->reason[0]), "chan receive");
        assert_int_equal(st->sync_block_ns, 11 * rounds);
        assert_int_equal(st->total_ns, t - st->creation);
        assert_int_equal(st->end, 0);
        free(sp);
    }
    assert_null(model_goroutine_stats(m, (uint32_t)ng, &(model_gstats){0}));
    check_lanes_vs_summary(m, "many lanes");
    model_free(m);
    evgen_free(&e);
}

static void test_empty_models(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        evgen e;
        evgen_init(&e);
        if (k)
            evgen_sync(&e, 5);
        model *m = evgen_finish(&e);
        const model_info *in = model_get_info(m);
        assert_int_equal(in->nevents, (uint64_t)k);
        assert_int_equal(model_lane_count(m, ML_GOROUTINE), 0);
        assert_int_equal(model_lane_count(m, ML_GC), 1);
        model_span sp;
        assert_int_equal(model_lane_nspans(m, ML_GC, 0), 0);
        assert_null(model_lane_span(m, ML_GC, 0, 0, &sp));
        uint8_t col[4];
        model_lane_columns(m, ML_GC, 0, 0, 10.0, 4, col);
        for (int i = 0; i < 4; i++)
            assert_int_equal(col[i], MS_NONE);
        assert_int_equal(model_series_len(m, MSER_G_RUNNING), 1);
        const model_ggroup *g;
        assert_int_equal(model_goroutine_groups(m, &g), 0);
        const model_prof_rec *r;
        uint8_t *pb = NULL;
        assert_true(model_pprof_encode(m, r, model_profile(m, MP_SCHED, &r), &pb) > 0);
        free(pb);
        assert_int_equal(model_goroutine_find(m, 1), UINT32_MAX);
        assert_null(model_goroutine_get(m, 0));
        model_free(m);
        evgen_free(&e);
    }
    model_builder_free(NULL);
    model_free(NULL);
    assert_null(model_builder_finish(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans_and_unblocker),
        cmocka_unit_test(test_summary_hand_computed),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_waits_ranges_gc),
        cmocka_unit_test(test_prof_goroutine_lives),
        cmocka_unit_test(test_goroutine_name_last_life),
        cmocka_unit_test(test_fake_procs),
        cmocka_unit_test(test_gc_at_trace_edges),
        cmocka_unit_test(test_regions_nesting),
        cmocka_unit_test(test_annotation_refs_and_lanes),
        cmocka_unit_test(test_tasks_across_syncs),
        cmocka_unit_test(test_lod_random_lane),
        cmocka_unit_test(test_lod_checkpoint_edges),
        cmocka_unit_test(test_safe_text),
        cmocka_unit_test(test_sample_traces),
        cmocka_unit_test(test_truncated_sample),
        cmocka_unit_test(test_random_soup),
        cmocka_unit_test(test_many_lanes),
        cmocka_unit_test(test_empty_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

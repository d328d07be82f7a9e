/* Unit tests of the loader's ordering state machine (Go's order.go rules),
 * Sync events, time fix-ups and truncation handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "tests/lib/loadutil.h"
#include "tests/lib/tracegen.h"
#include "tests/lib/xorshift.h"

#define GS(t, g, m, st) TG_EV((t), TG_GoStatus, 1, (g), (m), (st))
#define PS(t, p, st) TG_EV((t), TG_ProcStatus, 1, (p), (st))

static void must_load(tg *t, coll *c, tt_load_result *res)
{
    tt_err err;
    tt_status st = load(t, c, res, &err);
    if (st != TT_OK || res->truncated)
        fail_msg("load failed: %s (%s) at %llu", tt_status_str(st), err.msg[0] ? err.msg : res->warn.msg,
                 (unsigned long long)(err.msg[0] ? err.offset : res->warn.offset));
}

/* ProcStart must wait for the ProcStatus/ProcStop that makes the P idle with the right seq. */
static void test_proc_start_seq(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_batch(&t, 1, 1, 100);
    PS(&t, 0, TG_ProcRunning);              /* 101 */
    TG_EV0(&t, TG_ProcStop, 50);            /* 151: P0 idle */
    tg_batch(&t, 1, 2, 100);
    TG_EV(&t, TG_ProcStart, 2, 0, 1);       /* 102 but must follow the stop */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    long stop = find_idx(&c, TT_EV_STATE_TRANSITION, TG_ProcStop, 0);
    long start = find_idx(&c, TT_EV_STATE_TRANSITION, TG_ProcStart, 0);
    assert_true(stop > 0 && start > stop);
    assert_int_equal(c.ev[start].time, c.ev[stop].time + 1); /* monotonic fix-up */
    assert_int_equal(c.ev[start].m, 2);
    assert_int_equal(c.ev[start].p, -1);
    assert_int_equal(c.ev[start].id, 0);
    assert_int_equal(c.ev[start].from, TT_PS_IDLE);
    assert_int_equal(c.ev[start].to, TT_PS_RUNNING);
    coll_free(&c);
    tg_free(&t);

    /* a ProcStart with a seq that can never be satisfied: failed to advance */
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_batch(&t, 1, 1, 100);
    PS(&t, 0, TG_ProcIdle);
    tg_batch(&t, 1, 2, 100);
    TG_EV(&t, TG_ProcStart, 2, 0, 5);
    end_gen(&t);
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_ORDER);
    assert_non_null(strstr(err.msg, "failed to advance"));
    coll_free(&c);
    tg_free(&t);
}

/* A batch without a thread (M = NoThread): its events are ordered one at a
 * time (not by the loop that keeps a thread's state in registers), with
 * m = -1, by time among another thread's; one that needs a thread fails. */
static void test_no_thread_batch(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_batch(&t, 1, UINT64_MAX, 100);
    PS(&t, 0, TG_ProcIdle);                     /* 101 */
    GS(&t, 5, UINT64_MAX, TG_GoWaiting);        /* 102 */
    TG_EV(&t, TG_GoUnblock, 48, 5, 1, 0);       /* 150 */
    tg_batch(&t, 1, 1, 120);
    PS(&t, 1, TG_ProcRunning);                  /* 121 */
    GS(&t, 7, 1, TG_GoRunning);                 /* 122 */
    TG_EV(&t, TG_HeapAlloc, 5, 4096);           /* 127 */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    static const struct {
        int type;
        int64_t time, m, id;
    } want[] = {
        {TG_ProcStatus, 101, -1, 0}, {TG_GoStatus, 102, -1, 5}, {TG_ProcStatus, 121, 1, 1},
        {TG_GoStatus, 122, 1, 7},    {TG_HeapAlloc, 127, 1, 0}, {TG_GoUnblock, 150, -1, 5},
    };
    size_t k = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (c.ev[i].kind == TT_EV_SYNC)
            continue;
        assert_true(k < sizeof want / sizeof want[0]);
        assert_int_equal(c.ev[i].type, want[k].type);
        assert_int_equal(c.ev[i].time, want[k].time);
        assert_int_equal(c.ev[i].m, want[k].m);
        assert_int_equal(c.ev[i].id, want[k].id);
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    const tt_event *u = find(&c, TT_EV_STATE_TRANSITION, TG_GoUnblock, 0);
    assert_non_null(u);
    assert_int_equal(u->from, TT_GS_WAITING);
    assert_int_equal(u->to, TT_GS_RUNNABLE);
    coll_free(&c);
    tg_free(&t);

    /* HeapAlloc needs a thread */
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_batch(&t, 1, UINT64_MAX, 100);
    PS(&t, 0, TG_ProcIdle);
    TG_EV(&t, TG_HeapAlloc, 5, 4096);
    end_gen(&t);
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_ORDER);
    assert_non_null(strstr(err.msg, "expected a thread but didn't have one"));
    coll_free(&c);
    tg_free(&t);
}

/* GoStart(seq 2) must come after the GoUnblock(seq 1) on another thread,
 * even though its timestamp is earlier. */
static void test_go_unblock_start_seq(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);                 /* 11 */
    GS(&t, 1, 1, TG_GoRunning);                /* 12 */
    TG_EV(&t, TG_GoUnblock, 100, 5, 1, 1);     /* 112 */
    tg_batch(&t, 1, 2, 10);
    PS(&t, 1, TG_ProcRunning);                 /* 11 */
    GS(&t, 5, TG_NONE, TG_GoWaiting);          /* 12 */
    TG_EV(&t, TG_GoStart, 5, 5, 2);            /* 17 */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    long unb = find_idx(&c, TT_EV_STATE_TRANSITION, TG_GoUnblock, 0);
    long st = find_idx(&c, TT_EV_STATE_TRANSITION, TG_GoStart, 0);
    assert_true(unb > 0 && st == unb + 1);
    assert_int_equal(c.ev[unb].time, 112);
    assert_int_equal(c.ev[st].time, 113);
    assert_int_equal(c.ev[unb].id, 5);
    assert_int_equal(c.ev[unb].from, TT_GS_WAITING);
    assert_true(c.ev[unb].flags & TT_EVF_HAS_STACK);
    assert_int_equal(c.ev[st].g, -1);
    assert_int_equal(c.ev[st].p, 1);
    /* the first generation's statuses come from Undetermined */
    const tt_event *gs = find(&c, TT_EV_STATE_TRANSITION, TG_GoStatus, 0);
    if (gs->id != 5)
        gs = find(&c, TT_EV_STATE_TRANSITION, TG_GoStatus, 1);
    assert_int_equal(gs->id, 5);
    assert_int_equal(gs->from, TT_GS_UNDETERMINED);
    assert_int_equal(gs->to, TT_GS_WAITING);
    coll_free(&c);
    tg_free(&t);
}

/* GoSyscallEndBlocked waits until the P left the Syscall state (ProcSteal). */
static void test_syscall_end_blocked_waits_for_steal(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);                  /* 11 */
    GS(&t, 1, 1, TG_GoRunning);                 /* 12 */
    TG_EV(&t, TG_GoSyscallBegin, 1, 1, 1);      /* 13, P seq 1 */
    TG_EV0(&t, TG_GoSyscallEndBlocked, 5);      /* 18 */
    tg_batch(&t, 1, 2, 10);
    TG_EV(&t, TG_ProcSteal, 40, 0, 2, 1);       /* 50, P seq 2, from M1 */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    long steal = find_idx(&c, TT_EV_STATE_TRANSITION, TG_ProcSteal, 0);
    long end = find_idx(&c, TT_EV_STATE_TRANSITION, TG_GoSyscallEndBlocked, 0);
    assert_true(steal > 0 && end > steal);
    assert_int_equal(c.ev[steal].from, TT_PS_RUNNING);
    assert_int_equal(c.ev[steal].to, TT_PS_IDLE);
    assert_int_equal(c.ev[end].p, -1); /* the steal took M1's P */
    assert_int_equal(c.ev[end].g, 1);
    assert_int_equal(c.ev[end].to, TT_GS_RUNNABLE);
    coll_free(&c);
    tg_free(&t);
}

/* GoSwitch expands to GoSwitch + synthesized GoBlock + GoStart. */
static void test_go_switch(void **state)
{
    (void)state;
    for (int destroy = 0; destroy < 2; destroy++) {
        tg t;
        tg_init(&t, 23);
        std_gen(&t, 1, 10);
        tg_batch(&t, 1, 1, 10);
        PS(&t, 0, TG_ProcRunning);
        GS(&t, 1, 1, TG_GoRunning);
        GS(&t, 2, TG_NONE, TG_GoWaiting);
        TG_EV(&t, destroy ? TG_GoSwitchDestroy : TG_GoSwitch, 5, 2, 1);
        TG_EV(&t, TG_GoBlock, 5, 1, 0); /* g2 blocks */
        end_gen(&t);
        coll c;
        tt_load_result res;
        must_load(&t, &c, &res);
        long sw = find_idx(&c, TT_EV_STATE_TRANSITION, destroy ? TG_GoSwitchDestroy : TG_GoSwitch, 0);
        assert_true(sw > 0);
        const tt_event *e = &c.ev[sw];
        assert_int_equal(e->id, 2);
        assert_int_equal(e->from, TT_GS_WAITING);
        assert_int_equal(e->to, TT_GS_RUNNABLE);
        assert_int_equal(e[1].type, destroy ? TG_GoDestroy : TG_GoBlock);
        assert_true(e[1].flags & TT_EVF_SYNTH);
        assert_int_equal(e[1].id, 1);
        assert_int_equal(e[1].to, destroy ? TT_GS_NOTEXIST : TT_GS_WAITING);
        assert_int_equal(e[1].name, 0); /* no reason */
        assert_int_equal(e[2].type, TG_GoStart);
        assert_true(e[2].flags & TT_EVF_SYNTH);
        assert_int_equal(e[2].id, 2);
        assert_int_equal(e[2].g, -1);
        assert_true(e[1].time == e[0].time + 1 && e[2].time == e[1].time + 1);
        assert_int_equal(e[3].type, TG_GoBlock);
        assert_int_equal(e[3].g, 2);
        coll_free(&c);
        tg_free(&t);
    }
}

/* GoDestroySyscall with a P in Syscall synthesizes a ProcSteal (self-steal). */
static void test_go_destroy_syscall(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcSyscall);
    TG_EV(&t, TG_GoCreateSyscall, 1, 7);
    TG_EV0(&t, TG_GoDestroySyscall, 1);
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    long i = find_idx(&c, TT_EV_STATE_TRANSITION, TG_ProcSteal, 0);
    assert_true(i > 0);
    assert_true(c.ev[i].flags & TT_EVF_SYNTH);
    assert_int_equal(c.ev[i].id, 0);
    assert_int_equal(c.ev[i].from, TT_PS_RUNNING);
    assert_int_equal(c.ev[i + 1].type, TG_GoDestroySyscall);
    assert_int_equal(c.ev[i + 1].g, 7);
    assert_int_equal(c.ev[i + 1].from, TT_GS_SYSCALL);
    assert_int_equal(c.ev[i + 1].to, TT_GS_NOTEXIST);
    const tt_event *cs = find(&c, TT_EV_STATE_TRANSITION, TG_GoCreateSyscall, 0);
    assert_int_equal(cs->from, TT_GS_NOTEXIST);
    assert_int_equal(cs->to, TT_GS_SYSCALL);
    coll_free(&c);
    tg_free(&t);
}

/* GC events are ordered by their global sequence numbers. */
static void test_gc_seq(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);
    GS(&t, 1, 1, TG_GoRunning);
    TG_EV(&t, TG_GCEnd, 5, 2);                  /* early timestamp, seq 2 */
    tg_batch(&t, 1, 2, 10);
    PS(&t, 1, TG_ProcRunning);
    GS(&t, 2, 2, TG_GoRunning);
    TG_EV(&t, TG_GCBegin, 40, 1, 1);            /* seq 1 */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    long b = find_idx(&c, TT_EV_RANGE_BEGIN, TG_GCBegin, 0);
    long e = find_idx(&c, TT_EV_RANGE_END, TG_GCEnd, 0);
    assert_true(b > 0 && e > b);
    assert_string_equal(tt_syms_str(c.syms, c.ev[b].name, NULL), "GC concurrent mark phase");
    assert_int_equal(c.ev[b].res, TT_RES_NONE);
    coll_free(&c);
    tg_free(&t);
}

/* Two generations; returns the trace with gen 2's first batch taken from f. */
static void two_gens(tg *t, int version, void (*gen2)(tg *))
{
    tg_init(t, version);
    std_gen(t, 1, 10);
    tg_batch(t, 1, 1, 10);
    PS(t, 0, TG_ProcRunning);
    GS(t, 1, 1, TG_GoRunning);
    TG_EV(t, TG_GoBlock, 1, 1, 0); /* g1 waiting */
    end_gen(t);
    std_gen(t, 2, 1000);
    tg_batch(t, 2, 1, 1000);
    gen2(t);
    end_gen(t);
}

static void gen2_ok(tg *t)
{
    PS(t, 0, TG_ProcRunning);
    GS(t, 1, TG_NONE, TG_GoWaiting);
    PS(t, 3, TG_ProcIdle); /* a new P after the first generation */
}

static void gen2_mismatch(tg *t)
{
    PS(t, 0, TG_ProcRunning);
    GS(t, 1, 1, TG_GoRunning); /* but g1 is waiting */
}

static void gen2_new_goroutine(tg *t)
{
    PS(t, 0, TG_ProcRunning);
    GS(t, 9, TG_NONE, TG_GoWaiting); /* never seen before */
}

static void test_later_generations(void **state)
{
    (void)state;
    int versions[] = {22, 23, 25, 26};
    for (int vi = 0; vi < 4; vi++) {
        tg t;
        two_gens(&t, versions[vi], gen2_ok);
        coll c;
        tt_load_result res;
        must_load(&t, &c, &res);
        assert_int_equal(res.generations, 2);
        /* Sync N=1, 2, 3 (final) */
        const tt_event *s1 = find(&c, TT_EV_SYNC, -1, 0), *s2 = find(&c, TT_EV_SYNC, -1, 1),
                       *s3 = find(&c, TT_EV_SYNC, -1, 2);
        assert_non_null(s3);
        assert_int_equal(s1->arg[0], 1);
        assert_int_equal(s2->arg[0], 2);
        assert_int_equal(s3->arg[0], 3);
        assert_int_equal(s1->time, 10);    /* min batch time of gen 1 (the sync batch) */
        assert_int_equal(s2->time, 1000);
        assert_ptr_equal(s3, &c.ev[c.n - 1]);
        assert_int_equal(s3->time, c.ev[c.n - 2].time + 1);
        if (versions[vi] >= 25) {
            assert_true(s1->flags & TT_EVF_SNAPSHOT);
            assert_int_equal(s1->sync.trace, 11);
            assert_int_equal(s1->sync.mono, 1000);
            assert_int_equal(s1->sync.wall_sec, 1700000000);
            assert_int_equal(s1->sync.wall_nsec, 123456789);
            assert_false(s3->flags & TT_EVF_SNAPSHOT);
        } else {
            assert_false(s1->flags & TT_EVF_SNAPSHOT);
        }
        const tt_event *g = find(&c, TT_EV_STATE_TRANSITION, TG_GoStatus, 1);
        assert_int_equal(g->from, TT_GS_WAITING); /* confirmed, not Undetermined */
        const tt_event *p3 = find(&c, TT_EV_STATE_TRANSITION, TG_ProcStatus, 2);
        assert_int_equal(p3->id, 3);
        assert_int_equal(p3->from, TT_PS_NOTEXIST);
        assert_int_equal(p3->to, TT_PS_IDLE);
        coll_free(&c);
        tg_free(&t);

        /* a status that contradicts the state: generation 2 is dropped */
        two_gens(&t, versions[vi], gen2_mismatch);
        tt_err err;
        assert_int_equal(load(&t, &c, &res, &err), TT_OK);
        assert_true(res.truncated);
        assert_int_equal(res.warn.code, TT_ERR_ORDER);
        assert_non_null(strstr(res.warn.msg, "inconsistent status for goroutine 1"));
        assert_true(res.warn.offset > 16 && res.warn.offset < t.len);
        assert_int_equal(res.generations, 1);
        /* valid events end with Sync 2 (delivered before the generation's events) */
        assert_int_equal(c.ev[res.valid_events - 1].kind, TT_EV_SYNC);
        assert_int_equal(c.ev[res.valid_events - 1].arg[0], 2);
        assert_true(res.valid_bytes > 16 && res.valid_bytes < t.len);
        coll_free(&c);
        tg_free(&t);

        two_gens(&t, versions[vi], gen2_new_goroutine);
        assert_int_equal(load(&t, &c, &res, &err), TT_OK);
        assert_true(res.truncated);
        assert_non_null(strstr(res.warn.msg, "new goroutine after the first generation"));
        coll_free(&c);
        tg_free(&t);
    }
}

/* Events with equal or decreasing times are pushed forward by 1 ns. */
static void test_time_fixup(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);            /* 11 */
    GS(&t, 1, 1, TG_GoRunning);           /* 12 */
    TG_EV(&t, TG_HeapAlloc, 0, 4096);     /* 12 -> 13 */
    TG_EV(&t, TG_HeapGoal, 0, 8192);      /* 12 -> 14 */
    TG_EV(&t, TG_ProcsChange, 10, 4, 0);  /* 22 */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    const tt_event *a = find(&c, TT_EV_METRIC, TG_HeapAlloc, 0);
    assert_int_equal(a->time, 13);
    assert_int_equal(a[1].time, 14);
    assert_int_equal(a[2].time, 22);
    assert_string_equal(tt_syms_str(c.syms, a->name, NULL), "/memory/classes/heap/objects:bytes");
    assert_int_equal(a->arg[0], 4096);
    assert_string_equal(tt_syms_str(c.syms, a[2].name, NULL), "/sched/gomaxprocs:threads");
    for (size_t i = 1; i < c.n; i++)
        assert_true(c.ev[i].time > c.ev[i - 1].time);
    coll_free(&c);
    tg_free(&t);
}

/* Frequency conversion is exact (per-delta rounding, like Go). */
static void test_frequency(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 23);
    tg_sync(&t, 1, 1000, 15625000); /* 64 ns per tick */
    tg_batch(&t, 1, 1, 1000);
    PS(&t, 0, TG_ProcRunning);       /* 1001 ticks -> 64064 */
    TG_EV(&t, TG_ProcStop, 3, 0);
    tg_end(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    /* ProcStop has no args: rebuild without the stray 0 */
    tg_free(&t);
    tg_init(&t, 23);
    tg_sync(&t, 1, 1000, 15625000);
    tg_batch(&t, 1, 1, 1000);
    PS(&t, 0, TG_ProcRunning);
    TG_EV0(&t, TG_ProcStop, 3);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_OK);
    assert_int_equal(c.ev[0].time, 64000);
    assert_int_equal(c.ev[1].time, 64064);
    assert_int_equal(c.ev[2].time, 64256);
    coll_free(&c);
    tg_free(&t);
}

/* Tasks and regions across generations keep their names by value. */
static void test_tasks_regions(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_strings(&t, 1);
    tg_str(&t, 20, "mytask");
    tg_str(&t, 21, "myregion");
    tg_end(&t);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);
    GS(&t, 1, 1, TG_GoRunning);
    TG_EV(&t, TG_UserTaskBegin, 1, 7, 0, 20, 0);
    TG_EV(&t, TG_UserRegionBegin, 1, 7, 21, 1);
    end_gen(&t);
    std_gen(&t, 2, 100);
    tg_strings(&t, 2);
    tg_str(&t, 33, "myregion");
    tg_end(&t);
    tg_batch(&t, 2, 1, 100);
    PS(&t, 0, TG_ProcRunning);
    GS(&t, 1, 1, TG_GoRunning);
    TG_EV(&t, TG_UserRegionEnd, 1, 7, 33, 0);
    TG_EV(&t, TG_UserTaskEnd, 1, 7, 0);
    TG_EV(&t, TG_UserTaskEnd, 1, 8, 0); /* unknown task */
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    const tt_event *tb = find(&c, TT_EV_TASK_BEGIN, -1, 0);
    assert_int_equal(tb->id, 7);
    assert_true(tb->arg[0] == TT_NO_TASK);
    const tt_event *te = find(&c, TT_EV_TASK_END, -1, 0);
    assert_string_equal(tt_syms_str(c.syms, te->name, NULL), "mytask");
    assert_true(te->arg[0] == TT_NO_TASK);
    const tt_event *te2 = find(&c, TT_EV_TASK_END, -1, 1);
    assert_int_equal(te2->name, 0);
    const tt_event *re = find(&c, TT_EV_REGION_END, -1, 0);
    assert_string_equal(tt_syms_str(c.syms, re->name, NULL), "myregion");
    coll_free(&c);
    tg_free(&t);

    /* mismatched region end is an error */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);
    GS(&t, 1, 1, TG_GoRunning);
    TG_EV(&t, TG_UserRegionBegin, 1, 7, 2, 0);
    TG_EV(&t, TG_UserRegionEnd, 1, 7, 3, 0);
    end_gen(&t);
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_ORDER);
    assert_non_null(strstr(err.msg, "misuse of region"));
    coll_free(&c);
    tg_free(&t);
}

static void test_ctx_errors(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    TG_EV(&t, TG_GoCreate, 1, 5, 0, 0); /* no P */
    end_gen(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_ORDER);
    assert_non_null(strstr(err.msg, "expected a proc but didn't have one"));
    coll_free(&c);
    tg_free(&t);
}

/* Cut a two-generation trace at every byte: never crash; a prefix holding a
 * complete first generation loads (possibly with a warning), shorter ones fail. */
static void test_truncation_every_byte(void **state)
{
    (void)state;
    int versions[] = {22, 23, 25, 26};
    for (int vi = 0; vi < 4; vi++) {
        tg t;
        two_gens(&t, versions[vi], gen2_ok);
        coll full;
        tt_load_result fres;
        tt_err err;
        assert_int_equal(load(&t, &full, &fres, &err), TT_OK);
        size_t ok_prefix = 0, warned = 0;
        for (size_t n = 0; n <= t.len; n++) {
            uint8_t *cut = malloc(n ? n : 1);
            memcpy(cut, t.buf, n);
            coll c;
            tt_load_result res;
            tt_status st = load_bytes(cut, n, &c, &res, &err);
            if (st == TT_OK) {
                ok_prefix++;
                if (res.truncated) {
                    warned++;
                    assert_true(res.valid_events <= c.n);
                    assert_true(res.valid_bytes <= n);
                    assert_int_equal(c.ev[res.valid_events - 1].kind, TT_EV_SYNC);
                    assert_true(res.warn.offset <= n);
                }
                /* what is kept is a prefix of the full stream */
                size_t keep = res.truncated ? res.valid_events : c.n;
                for (size_t i = 0; i + 1 < keep && i < full.n; i++) {
                    if (c.ev[i].type != full.ev[i].type)
                        fail_msg("v%d cut at %zu/%zu: event %zu type %d vs %d (keep %zu, n %zu)",
                                 versions[vi], n, t.len, i, c.ev[i].type, full.ev[i].type, keep, c.n);
                    /* Sync times may differ: Go's min-time rule treats 0 as unset */
                    if (c.ev[i].kind != TT_EV_SYNC && c.ev[i].time != full.ev[i].time)
                        fail_msg("v%d cut at %zu/%zu: event %zu time %lld vs %lld (keep %zu, n %zu, trunc %d)",
                                 versions[vi], n, t.len, i, (long long)c.ev[i].time,
                                 (long long)full.ev[i].time, keep, c.n, res.truncated);
                }
            } else {
                assert_true(err.offset <= n);
                assert_true(err.msg[0] != 0);
            }
            coll_free(&c);
            free(cut);
        }
        assert_true(ok_prefix > 0);
        assert_true(warned > 0 || versions[vi] < 26);
        coll_free(&full);
        tg_free(&t);
    }
}

/* Many in-flight STW ranges with distinct kinds on one goroutine, and many
 * threads: must stay linear (this would take minutes if quadratic). */
static void test_no_quadratic(void **state)
{
    (void)state;
    enum { N = 100000 };
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_strings(&t, 1);
    for (uint64_t i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "kind%llu", (unsigned long long)i);
        if (t.len - t.payload_at > 60000) {
            tg_end(&t);
            tg_strings(&t, 1);
        }
        tg_str(&t, 100 + i, name);
    }
    tg_end(&t);
    tg_batch(&t, 1, 1, 10);
    PS(&t, 0, TG_ProcRunning);
    GS(&t, 1, 1, TG_GoRunning);
    for (uint64_t i = 0; i < N; i++) {
        if (t.len - t.payload_at > 60000) {
            tg_end(&t);
            tg_batch(&t, 1, 1, 10);
        }
        TG_EV(&t, TG_STWBegin, 1, 100 + i, 0);
    }
    for (uint64_t i = 0; i < N; i++) {
        if (t.len - t.payload_at > 60000) {
            tg_end(&t);
            tg_batch(&t, 1, 1, 10);
        }
        TG_EV0(&t, TG_STWEnd, 1);
        TG_EV(&t, TG_GCMarkAssistBegin, 1, 0);
        TG_EV0(&t, TG_GCMarkAssistEnd, 1);
    }
    /* many threads, each with its own batch */
    for (uint64_t m = 2; m < 20000; m++) {
        tg_batch(&t, 1, m, 10);
        TG_EV(&t, TG_ProcStatus, 1, 1000 + m, TG_ProcIdle);
    }
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    const tt_event *e = find(&c, TT_EV_RANGE_END, TG_STWEnd, 0);
    assert_non_null(e);
    assert_string_equal(tt_syms_str(c.syms, e->name, NULL), "stop-the-world (kind0)");
    coll_free(&c);
    tg_free(&t);
}

/* Random byte flips in a valid trace: never crash, never hang. */
static void test_corruption(void **state)
{
    (void)state;
    tg t;
    two_gens(&t, 26, gen2_ok);
    uint64_t seed = 7;
    unsigned n_ok = 0, n_warn = 0, n_err = 0;
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t *b = malloc(t.len);
        memcpy(b, t.buf, t.len);
        for (int k = 0; k < 3; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t at = 16 + (size_t)((seed >> 33) % (t.len - 16));
            b[at] = (uint8_t)(seed >> 20);
        }
        coll c;
        tt_load_result res;
        tt_err err;
        memset(&res, 0, sizeof res);
        tt_status st = load_bytes(b, t.len, &c, &res, &err);
        if (st == TT_OK) {
            /* all of it, or a warning and the valid part */
            assert_int_equal(res.events, c.n);
            assert_true(res.valid_events <= res.events);
            assert_true(res.valid_bytes <= t.len);
            if (res.truncated) {
                assert_int_not_equal(res.warn.code, TT_OK);
                assert_true(res.warn.msg[0] != '\0');
                assert_true(res.warn.offset <= t.len);
                n_warn++;
            } else {
                assert_int_equal(res.valid_bytes, t.len);
                n_ok++;
            }
        } else {
            /* a clear error: what, and at which byte */
            assert_int_equal(err.code, st);
            assert_true(err.msg[0] != '\0');
            assert_true(err.offset <= t.len);
            for (const char *q = err.msg; *q; q++)
                assert_true((unsigned char)*q >= 0x20 && (unsigned char)*q != 0x7f);
            n_err++;
        }
        assert_false(c.progress_backwards);
        /* the same bytes give the same answer */
        coll c2;
        tt_load_result res2;
        tt_err err2;
        memset(&res2, 0, sizeof res2);
        assert_int_equal(load_bytes(b, t.len, &c2, &res2, &err2), st);
        assert_int_equal(c2.n, c.n);
        assert_int_equal(res2.valid_events, res.valid_events);
        if (st != TT_OK) {
            assert_int_equal(err2.offset, err.offset);
            assert_string_equal(err2.msg, err.msg);
        }
        coll_free(&c2);
        coll_free(&c);
        free(b);
    }
    /* the corruptions reach every outcome, so each branch above was checked */
    assert_true(n_ok > 0);
    assert_true(n_warn > 0);
    assert_true(n_err > 0);
    tg_free(&t);
}

/* The frontier of threads is merged like Go's reader does it: a binary heap
 * on the time of each thread's next event, sifted with the same rules, so
 * equal times on different threads come out in the same order. Checked
 * against a plain model of that heap on random generations of 1 to 12
 * threads whose events share many timestamps (independent threads: no
 * event waits for another thread, only time decides). */
enum { MT_MAXM = 12, MT_NEV = 120 };
typedef struct { int64_t t; int m, pos; } mt_ent;

static void mt_down(mt_ent *h, int n, int i)
{
    for (;;) {
        int m = i, l = 2 * i + 1, r = 2 * i + 2;
        int64_t mt = h[i].t;
        if (l < n && h[l].t < mt) {
            mt = h[l].t;
            m = l;
        }
        if (r < n && h[r].t < mt)
            m = r;
        if (m == i)
            return;
        mt_ent x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

static void test_merge_many_threads(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    static int64_t tm[MT_MAXM][MT_NEV + 2];
    for (int round = 0; round < 60; round++) {
        int nm = 1 + round % MT_MAXM, len = 2 + MT_NEV;
        tg t;
        tg_init(&t, 26);
        std_gen(&t, 1, 100);
        for (int m = 0; m < nm; m++) {
            int64_t time = 100 + (int64_t)(xorshift64(&seed) % 3);
            tg_batch(&t, 1, (uint64_t)m + 1, (uint64_t)time);
            PS(&t, (uint64_t)m, TG_ProcRunning);
            tm[m][0] = ++time;
            GS(&t, (uint64_t)m + 100, (uint64_t)m + 1, TG_GoRunning);
            tm[m][1] = ++time;
            for (int j = 2; j < len; j++) {
                /* steps of 0-2 ns, with runs of equal times; thread 0 faster */
                uint64_t dt = xorshift64(&seed) % (m == 0 ? 2 : 3);
                TG_EV(&t, TG_HeapAlloc, dt, (uint64_t)(m * 1000 + j));
                tm[m][j] = time += (int64_t)dt;
            }
        }
        end_gen(&t);
        coll c;
        tt_load_result res;
        must_load(&t, &c, &res);

        /* the model: threads in order of first appearance, each inserted
         * with a sift up; the root advances and sifts down; an exhausted
         * thread is moved to the root, swapped with the last and removed */
        mt_ent h[MT_MAXM];
        int n = 0;
        for (int m = 0; m < nm; m++) {
            int i = n++;
            h[i] = (mt_ent){tm[m][0], m, 0};
            while (i > 0 && h[(i - 1) / 2].t > h[i].t) {
                mt_ent x = h[(i - 1) / 2];
                h[(i - 1) / 2] = h[i];
                h[i] = x;
                i = (i - 1) / 2;
            }
        }
        size_t k = 0;
        while (n > 0) {
            while (k < c.n && c.ev[k].kind == TT_EV_SYNC)
                k++;
            assert_true(k < c.n);
            if (c.ev[k].m != h[0].m + 1)
                fail_msg("round %d (%d threads): event %zu is on M %lld, Go's order has M %d", round,
                         nm, k, (long long)c.ev[k].m, h[0].m + 1);
            k++;
            if (++h[0].pos < len) {
                h[0].t = tm[h[0].m][h[0].pos];
            } else {
                h[0] = h[--n];
            }
            mt_down(h, n, 0);
        }
        while (k < c.n && c.ev[k].kind == TT_EV_SYNC)
            k++;
        assert_int_equal(k, c.n);
        coll_free(&c);
        tg_free(&t);
    }
}

/* Go restarts a thread's clock from its batch's time after an event whose
 * time came out 0 (a last time of 0 means "none yet"). The loader decodes
 * events inline deep inside a batch and leaves that case to its general
 * decoder, so the event after a time of 0 must take the batch time again
 * there too. Times wrap like Go's: the batch time 2^63 is INT64_MIN once
 * scaled (out of range), and INT64_MIN + INT64_MIN is 0. */
static void test_zero_time_restarts(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_batch(&t, 1, 1, UINT64_C(1) << 63);
    TG_EV(&t, TG_ProcStatus, 0, 0, TG_ProcRunning); /* INT64_MIN */
    /* not first in its batch and far from its end: decoded inline */
    TG_EV(&t, TG_GoStatus, UINT64_C(1) << 63, 100, 1, TG_GoRunning); /* 0 */
    for (int j = 0; j < 40; j++) /* INT64_MIN + 1 + j, or 1 + j without the restart */
        TG_EV(&t, TG_HeapAlloc, 1, (uint64_t)j);
    tg_batch(&t, 1, 2, 1);
    TG_EV(&t, TG_ProcStatus, 0, 1, TG_ProcRunning); /* 1 */
    TG_EV(&t, TG_GoStatus, 0, 101, 2, TG_GoRunning);
    for (int j = 0; j < 3; j++)
        TG_EV(&t, TG_HeapAlloc, 1, (uint64_t)j);
    end_gen(&t);
    coll c;
    tt_load_result res;
    must_load(&t, &c, &res);
    /* every event of M 1 is earlier than M 2's first (time 1) */
    size_t k = 0, n1 = 0;
    for (; k < c.n && (c.ev[k].kind == TT_EV_SYNC || c.ev[k].m == 1); k++)
        n1 += c.ev[k].m == 1;
    assert_int_equal(n1, 42);
    for (; k < c.n; k++)
        if (c.ev[k].kind != TT_EV_SYNC && c.ev[k].m != 2)
            fail_msg("event %zu is on M %lld after M 2 began", k, (long long)c.ev[k].m);
    coll_free(&c);
    tg_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proc_start_seq),
        cmocka_unit_test(test_go_unblock_start_seq),
        cmocka_unit_test(test_syscall_end_blocked_waits_for_steal),
        cmocka_unit_test(test_go_switch),
        cmocka_unit_test(test_go_destroy_syscall),
        cmocka_unit_test(test_gc_seq),
        cmocka_unit_test(test_later_generations),
        cmocka_unit_test(test_time_fixup),
        cmocka_unit_test(test_frequency),
        cmocka_unit_test(test_tasks_regions),
        cmocka_unit_test(test_ctx_errors),
        cmocka_unit_test(test_no_thread_batch),
        cmocka_unit_test(test_truncation_every_byte),
        cmocka_unit_test(test_corruption),
        cmocka_unit_test(test_no_quadratic),
        cmocka_unit_test(test_merge_many_threads),
        cmocka_unit_test(test_zero_time_restarts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The builder's retired extended records (model/build.c, GX_DONE): when a
 * goroutine ends, its summary state (accumulators, range list, name bit) is
 * packed and its extended record's slot reused. The model must be the same
 * as when nothing is packed (model_build_retire = 0): every goroutine's
 * summary (times, reasons, ranges, name), the regions and the profiles, on
 * every sample trace and on synthetic traces whose ended goroutines come
 * back (regions, ranges and profile intervals on an ended goroutine, its id
 * created again), with times far from 0 and from each other (multi-byte and
 * negative packed values).
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

static void same_stats(const model_gstats *a, const model_gstats *b)
{
    assert_true(a->total_ns == b->total_ns);
    assert_true(a->exec_ns == b->exec_ns);
    assert_true(a->sched_wait_ns == b->sched_wait_ns);
    assert_true(a->sync_block_ns == b->sync_block_ns);
    assert_true(a->network_wait_ns == b->network_wait_ns);
    assert_true(a->syscall_ns == b->syscall_ns);
    assert_true(a->syscall_block_ns == b->syscall_block_ns);
    assert_true(a->sleep_ns == b->sleep_ns);
    assert_true(a->gc_assist_ns == b->gc_assist_ns);
    assert_true(a->gc_sweep_ns == b->gc_sweep_ns);
    assert_true(a->other_block_ns == b->other_block_ns);
    assert_true(a->unknown_ns == b->unknown_ns);
    assert_int_equal(a->nreasons, b->nreasons);
    for (uint32_t k = 0; k < a->nreasons; k++) {
        assert_int_equal(a->reason[k], b->reason[k]);
        assert_true(a->reason_ns[k] == b->reason_ns[k]);
    }
    assert_int_equal(a->nranges, b->nranges);
    for (uint32_t k = 0; k < a->nranges; k++) {
        assert_int_equal(a->range[k], b->range[k]);
        assert_true(a->range_ns[k] == b->range_ns[k]);
    }
    assert_true(a->creation == b->creation);
    assert_true(a->start == b->start);
    assert_true(a->end == b->end);
    assert_int_equal(a->name, b->name);
    assert_true(a->pc == b->pc);
    assert_int_equal(a->in_summary, b->in_summary);
}

/* m (packed) and r (nothing packed) the same, as far as packing can change */
static void same_model(const model *m, const model *r)
{
    const model_info *im = model_get_info(m), *ir = model_get_info(r);
    assert_int_equal(im->ngoroutines, ir->ngoroutines);
    for (uint32_t i = 0; i < im->ngoroutines; i++) {
        model_gstats a, b;
        const model_gstats *pa = model_goroutine_stats(m, i, &a);
        const model_gstats *pb = model_goroutine_stats(r, i, &b);
        assert_true((pa == NULL) == (pb == NULL));
        if (pa)
            same_stats(pa, pb);
        assert_true(m->gs[i].id == r->gs[i].id);
        assert_int_equal(m->gs[i].func, r->gs[i].func);
    }
    const model_region *ra, *rb;
    uint32_t n = model_regions_all(m, &ra);
    assert_int_equal(n, model_regions_all(r, &rb));
    for (uint32_t k = 0; k < n; k++) {
        assert_true(ra[k].start == rb[k].start && ra[k].end == rb[k].end);
        assert_int_equal(ra[k].depth, rb[k].depth);
        assert_int_equal(ra[k].flags, rb[k].flags);
        assert_int_equal(ra[k].name, rb[k].name);
    }
    for (int k = 0; k < MP__COUNT; k++) {
        assert_int_equal(m->nprof[k], r->nprof[k]);
        for (uint32_t j = 0; j < m->nprof[k]; j++) {
            assert_int_equal(m->prof[k][j].stack, r->prof[k][j].stack);
            assert_true(m->prof[k][j].count == r->prof[k][j].count);
            assert_true(m->prof[k][j].delay_ns == r->prof[k][j].delay_ns);
        }
    }
}

static int nsamples_packed;

static void check_sample(model *m, const char *name, void *ctx)
{
    (void)ctx;
    /* the same trace again, nothing packed */
    char path[512];
    snprintf(path, sizeof path, "samples/traces/%s", name);
    model_build_retire = 0;
    model *r = NULL;
    tt_err err;
    tt_load_result res;
    tt_status st = model_open(path, NULL, &r, &res, &err);
    model_build_retire = 1;
    assert_int_equal(st, TT_OK);
    assert_non_null(r);
    same_model(m, r);
    model_free(r);
    nsamples_packed++;
}

static void test_samples(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_sample, NULL) > 10);
    assert_true(nsamples_packed > 10);
}

/* NG goroutines from t0 on: created, run, blocked (chan receive, network,
 * sleep), a syscall, a GC assist range, a region, some never run; most end.
 * Then ended ones come back: a region begun and ended on one, a range ended
 * on one (begun before its end), one blocked on the network at its end (its
 * profile interval), ids created again. */
enum { NG = 3000 };

static uint32_t gen(evgen *e, int64_t t0, int64_t step)
{
    uint32_t s = evgen_stack(e, "runtime.gopark", "main.worker", NULL);
    uint32_t s2 = evgen_stack(e, "syscall.read", "main.io", NULL);
    int64_t t = t0;
    evgen_sync(e, t);
    evgen_proc(e, t, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    /* starts at the trace's first event (a packed start of 0) */
    evgen_go(e, t, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, s);
    for (int g = 0; g < NG; g++) {
        int64_t id = 10 + g;
        evgen_go(e, t += step, 0, 0, 1, id, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", s, 0);
        if (g % 7 == 5)
            continue; /* never runs */
        evgen_go(e, t += step, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_RUNNABLE, "", 0, 0);
        evgen_go(e, t += step, 0, 0, -1, id, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        if (g % 3 == 0) {
            evgen_range(e, t += step, TT_EV_RANGE_BEGIN, "GC mark assist", TT_RES_GOROUTINE, id,
                        id, 0);
            evgen_range(e, t += step * (1 + g % 5), TT_EV_RANGE_END, "GC mark assist",
                        TT_RES_GOROUTINE, id, id, 0);
        }
        if (g % 4 == 1) {
            evgen_region(e, t += step, TT_EV_REGION_BEGIN, id, 0, "work");
            evgen_region(e, t += step, TT_EV_REGION_END, id, 0, "work");
        }
        const char *why = g % 3 == 0 ? "chan receive" : g % 3 == 1 ? "network" : "sleep";
        evgen_go(e, t += step, 0, 0, id, id, TT_GS_RUNNING, TT_GS_WAITING, why, s, s);
        evgen_go(e, t += step * (1 + g % 9), 0, 0, -1, id, TT_GS_WAITING, TT_GS_RUNNABLE, "", 0,
                 0);
        evgen_go(e, t += step, 0, 0, -1, id, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        if (g % 5 == 2) {
            evgen_go(e, t += step, 0, 0, id, id, TT_GS_RUNNING, TT_GS_SYSCALL, "", s2, s2);
            evgen_go(e, t += step * 3, 0, 0, id, id, TT_GS_SYSCALL, TT_GS_RUNNING, "", 0, 0);
        }
        if (g % 10 == 9)
            continue; /* does not end */
        if (g % 11 == 4) /* an open range at its end */
            evgen_range(e, t += step, TT_EV_RANGE_BEGIN, "GC mark assist", TT_RES_GOROUTINE, id,
                        id, 0);
        evgen_go(e, t += step, 0, 0, id, id, TT_GS_RUNNING, TT_GS_NOTEXIST, "", 0, 0);
        evgen_go(e, t += step, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    }
    /* one blocked on the network at its end (never ran: a pending sample) */
    evgen_go(e, t += step, 0, 0, 1, 5, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", s, 0);
    evgen_go(e, t += step, 0, 0, -1, 5, TT_GS_RUNNABLE, TT_GS_WAITING, "network", s, s);
    evgen_go(e, t += step, 0, 0, -1, 5, TT_GS_WAITING, TT_GS_NOTEXIST, "", 0, 0);
    /* one ends as it starts (a packed end of 0 from its start) */
    evgen_go(e, t += step, 0, 0, 1, 6, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", s, 0);
    evgen_go(e, t += step, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_RUNNABLE, "", 0, 0);
    evgen_go(e, t += step, 0, 0, -1, 6, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    evgen_go(e, t, 0, 0, 6, 6, TT_GS_RUNNING, TT_GS_NOTEXIST, "", 0, 0);
    evgen_go(e, t += step, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_RUNNABLE, "", 0, 0);
    evgen_go(e, t += step, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    uint32_t packed = model_builder_retired(e->b);
    /* ended goroutines come back */
    for (int g = 0; g < NG; g += 13) {
        int64_t id = 10 + g;
        switch (g % 4) {
        case 0:
            evgen_region(e, t += step, TT_EV_REGION_BEGIN, id, 0, "late");
            evgen_region(e, t += step, TT_EV_REGION_END, id, 0, "late");
            break;
        case 1:
            evgen_range(e, t += step, TT_EV_RANGE_END, "GC mark assist", TT_RES_GOROUTINE, id,
                        id, 0);
            break;
        case 2:
            evgen_go(e, t += step, 0, 0, 1, id, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", s, 0);
            evgen_go(e, t += step, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_RUNNABLE, "", 0, 0);
            evgen_go(e, t += step, 0, 0, -1, id, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
            evgen_go(e, t += step, 0, 0, id, id, TT_GS_RUNNING, TT_GS_WAITING, "sleep", s, s);
            evgen_go(e, t += step, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
            break;
        default:
            evgen_go(e, t += step, 0, 0, -1, id, TT_GS_NOTEXIST, TT_GS_WAITING, "chan send", s,
                     s);
            break;
        }
    }
    evgen_go(e, t += step, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_NOTEXIST, "", 0, 0);
    return packed;
}

static void test_synthetic(void **state)
{
    (void)state;
    /* times near 0, negative (negative packed values: the end of a
     * goroutine that never started), and steps of 2^40 ns up to close to
     * INT64_MAX (9-byte varints) */
    const int64_t t0[] = {100, -(INT64_C(1) << 60), INT64_MAX - (INT64_C(1) << 58)};
    const int64_t step[] = {3, 1000003, INT64_C(1) << 40};
    for (int c = 0; c < 3; c++) {
        model *mm[2];
        for (int retire = 1; retire >= 0; retire--) {
            model_build_retire = retire;
            evgen e;
            evgen_init(&e);
            uint32_t packed = gen(&e, t0[c], step[c]);
            if (retire)
                assert_true(packed > NG / 2);
            else
                assert_int_equal(packed, 0);
            mm[retire] = evgen_finish(&e);
            assert_non_null(mm[retire]);
            evgen_free(&e);
        }
        model_build_retire = 1;
        same_model(mm[1], mm[0]);
        /* the summaries are not all alike: a packing that lost a field would show */
        model_gstats a;
        const model_gstats *p =
            model_goroutine_stats(mm[1], model_goroutine_find(mm[1], 10 + 3), &a);
        assert_non_null(p);
        assert_true(p->nranges == 1 && p->exec_ns != 0 && p->end != 0 && p->start != 0);
        model_free(mm[0]);
        model_free(mm[1]);
    }
}

/* A Runnable goroutine without an extended record keeps its scheduling-
 * latency interval in 16 bytes (bsched) instead of making one (fuzz S13-1:
 * a trace of a million created goroutines that never run). The model must
 * be the same as with the interval always in a record: gen's goroutines
 * that never run, start on a P, block from Runnable (network, sleep), end
 * while Runnable and are created again. */
static void test_sched_lite(void **state)
{
    (void)state;
    model *mm[2];
    uint32_t recs[2];
    for (int lite = 1; lite >= 0; lite--) {
        model_build_sched_lite = lite;
        evgen e;
        evgen_init(&e);
        (void)gen(&e, 100, 7);
        /* never run, then ended from Runnable; one created again */
        uint32_t s = evgen_stack(&e, "main.spawn", NULL);
        int64_t t = 1000000;
        for (int64_t id = 100000; id < 100400; id++)
            evgen_go(&e, t += 5, 0, 0, 1, id, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", s, 0);
        for (int64_t id = 100000; id < 100400; id += 4)
            evgen_go(&e, t += 5, 0, 0, -1, id, TT_GS_RUNNABLE, TT_GS_NOTEXIST, "", 0, 0);
        /* blocked from Runnable for a reason no profile tracks: the
         * interval ends without a record (pending: it never started) */
        for (int64_t id = 100001; id < 100400; id += 4)
            evgen_go(&e, t += 5, 0, 0, -1, id, TT_GS_RUNNABLE, TT_GS_WAITING, "sleep", s, s);
        for (int64_t id = 100000; id < 100400; id += 8) {
            evgen_go(&e, t += 5, 0, 0, 1, id, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", s, 0);
            evgen_go(&e, t += 5, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_RUNNABLE, "", 0, 0);
            evgen_go(&e, t += 5, 0, 0, -1, id, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
            evgen_go(&e, t += 5, 0, 0, id, id, TT_GS_RUNNING, TT_GS_WAITING, "sleep", s, s);
            evgen_go(&e, t += 5, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
        }
        recs[lite] = model_builder_records(e.b);
        mm[lite] = evgen_finish(&e);
        assert_non_null(mm[lite]);
        evgen_free(&e);
    }
    model_build_sched_lite = 1;
    same_model(mm[1], mm[0]);
    assert_true(mm[1]->nprof[MP_SCHED] > 0 && mm[1]->nprof[MP_NET] > 0);
    /* the ~430 of gen's and the 300 here that never ran hold no record */
    assert_true(recs[1] + 600 <= recs[0]);
    model_free(mm[0]);
    model_free(mm[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_synthetic),
        cmocka_unit_test(test_sched_lite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

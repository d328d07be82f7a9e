/*
 * model_builder_finish's second thread (finish_side in model/build.c: the
 * regions grouped by goroutine, the P/M/GC lanes' indexes and the ranges,
 * beside the goroutine lanes): the model built with the thread equals the
 * model built on one thread, part by part (records, anchors, checkpoints,
 * episode blocks, escapes, regions, logs and their per-goroutine offsets,
 * ranges, goroutines, groups), on sample traces with regions, logs, many
 * goroutines and GC ranges. Built under ThreadSanitizer (make SAN=thread
 * BUILD=build-tsan unit) it also checks that the two parts share no data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* threads: model_build_threads; pipe: model_open_pipe (1 never, 2 always) */
static model *build(const char *file, int threads, int pipe)
{
    model_build_threads = threads;
    model_open_pipe = pipe;
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    assert_int_equal(model_open(file, NULL, &m, &res, &err), TT_OK);
    model_build_threads = 0;
    model_open_pipe = 0;
    return m;
}

static void same_bytes(const void *a, const void *b, size_t n)
{
    if (n == 0)
        return;
    assert_non_null(a);
    assert_non_null(b);
    assert_memory_equal(a, b, n);
}

static size_t lanes_records(const model_lanes *l)
{
    size_t n = 0;
    for (uint32_t i = 0; i < l->n; i++)
        n += l->cnt[i];
    return n;
}

/* Structs with padding: field by field. */
static void same_spans(const model_span *a, const model_span *b)
{
    assert_true(a->start == b->start && a->end == b->end);
    assert_true(a->stack == b->stack && a->reason == b->reason && a->other == b->other);
    assert_int_equal(a->state, b->state);
}

static void same_esc(const model_esc *a, const model_esc *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        assert_true(a[i].key == b[i].key);
        same_spans(&a[i].s, &b[i].s);
    }
}

static void same_ranges(const model_range *a, const model_range *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        assert_true(a[i].start == b[i].start && a[i].end == b[i].end && a[i].res == b[i].res);
        assert_true(a[i].name == b[i].name && a[i].flags == b[i].flags);
    }
}

static void same_goroutines(const model_goroutine *a, const model_goroutine *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        assert_true(a[i].id == b[i].id && a[i].parent == b[i].parent && a[i].func == b[i].func);
        assert_true(a[i].create_stack == b[i].create_stack && a[i].label == b[i].label);
        assert_true(a[i].first == b[i].first && a[i].last == b[i].last);
        assert_int_equal(a[i].system, b[i].system);
    }
}

static void same_groups(const model_ggroup *a, const model_ggroup *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        assert_true(a[i].func == b[i].func && a[i].count == b[i].count);
        assert_true(a[i].exec_ns == b[i].exec_ns && a[i].first == b[i].first);
    }
}

static void same_info(const model_info *a, const model_info *b)
{
    assert_true(a->go_minor == b->go_minor && a->t_start == b->t_start && a->t_end == b->t_end);
    assert_true(a->nevents == b->nevents && a->file_bytes == b->file_bytes);
    assert_true(a->ngoroutines == b->ngoroutines && a->nprocs == b->nprocs &&
                a->nthreads == b->nthreads);
    assert_true(a->ngc == b->ngc && a->gc_total_ns == b->gc_total_ns &&
                a->gc_max_ns == b->gc_max_ns);
    assert_true(a->nstw == b->nstw && a->stw_total_ns == b->stw_total_ns &&
                a->stw_max_ns == b->stw_max_ns);
    assert_true(a->ntasks == b->ntasks && a->nregions == b->nregions && a->nlogs == b->nlogs);
    assert_true(a->ncpu_samples == b->ncpu_samples && a->gomaxprocs_max == b->gomaxprocs_max);
    assert_true(a->mem_bytes == b->mem_bytes);
}

static void same_lanes(const model_lanes *a, const model_lanes *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->stride, b->stride);
    assert_int_equal(a->nst, b->nst);
    assert_memory_equal(a->st, b->st, sizeof a->st);
    same_bytes(a->cnt, b->cnt, sizeof *a->cnt * a->n);
    same_bytes(a->lend, b->lend, sizeof *a->lend * a->n);
    for (uint32_t i = 0; i < a->n; i++) {
        same_bytes(a->rec[i], b->rec[i], (size_t)a->cnt[i] * a->stride);
        same_bytes(a->bases[i], b->bases[i],
                   sizeof(int64_t) * ((a->cnt[i] + MODEL_PBLOCK - 1) / MODEL_PBLOCK));
    }
    assert_int_equal(a->nesc, b->nesc);
    same_esc(a->esc, b->esc, a->nesc);
    assert_int_equal(a->nsite, b->nsite);
    same_bytes(a->site, b->site, sizeof *a->site * a->nsite);
    same_bytes(a->ck_off, b->ck_off, sizeof *a->ck_off * (a->n + 1u));
    size_t nck = a->ck_off[a->n], ngr = (nck + MODEL_CKG - 1) / MODEL_CKG;
    same_bytes(a->ck, b->ck, sizeof *a->ck * nck * a->nst);
    same_bytes(a->ckb, b->ckb, sizeof *a->ckb * ngr * a->nst);
    same_bytes(a->ckw, b->ckw, sizeof *a->ckw * ngr);
    assert_int_equal(a->nckx, b->nckx);
    same_bytes(a->ckx, b->ckx, sizeof *a->ckx * a->nckx * MODEL_CKG * a->nst);
    assert_int_equal(a->ep_max != NULL, b->ep_max != NULL);
    if (a->ep_max) {
        size_t nb = nck + a->n;
        same_bytes(a->ep_max, b->ep_max, sizeof *a->ep_max * nb);
        same_bytes(a->ep_cnt, b->ep_cnt, nb);
    }
}

static void check_same_as(const char *file, uint32_t min_regions, uint32_t min_ranges,
                          int threads_b, int pipe_b)
{
    model *a = build(file, 1, 1), *b = build(file, threads_b, pipe_b);
    const model_info *ia = model_get_info(a), *ib = model_get_info(b);
    printf("  %s: %llu events, %u goroutines, %u regions, %u logs, %u+%u+%u ranges, "
           "%zu P spans\n",
           file, (unsigned long long)ia->nevents, ia->ngoroutines, ia->nregions, ia->nlogs,
           a->nranges[0], a->nranges[1], a->nranges[2], lanes_records(&a->lanes[ML_PROC]));
    assert_true(ia->nregions >= min_regions);
    assert_true(a->nranges[0] + a->nranges[1] + a->nranges[2] >= min_ranges);
    assert_true(lanes_records(&a->lanes[ML_PROC]) > 0);
    same_info(ia, ib);
    for (int k = 0; k < 4; k++)
        same_lanes(&a->lanes[k], &b->lanes[k]);
    uint32_t ng = ia->ngoroutines;
    same_goroutines(a->gs, b->gs, ng);
    same_bytes(a->regions, b->regions, sizeof *a->regions * ia->nregions);
    same_bytes(a->g_region_off, b->g_region_off, sizeof *a->g_region_off * (ng + 2u));
    same_bytes(a->logs, b->logs, sizeof *a->logs * ia->nlogs);
    same_bytes(a->g_log_off, b->g_log_off, sizeof *a->g_log_off * (ng + 2u));
    for (int k = 0; k < MR__COUNT; k++) {
        assert_int_equal(a->nranges[k], b->nranges[k]);
        same_ranges(a->ranges[k], b->ranges[k], a->nranges[k]);
    }
    assert_int_equal(a->ngroups, b->ngroups);
    same_groups(a->groups, b->groups, a->ngroups);
    size_t nl = 0;
    for (uint32_t i = 0; i < a->ngroups; i++)
        nl += a->groups[i].count;
    same_bytes(a->group_lanes, b->group_lanes, sizeof *a->group_lanes * nl);
    model_free(a);
    model_free(b);
}

static void check_same(const char *file, uint32_t min_regions, uint32_t min_ranges)
{
    check_same_as(file, min_regions, min_ranges, 2, 1);
}

static void test_samples(void **state)
{
    (void)state;
    check_same("samples/traces/annotated.trace", 10, 1);
    check_same("samples/traces/stress.trace", 0, 1);
    check_same("samples/traces/gcpressure.trace", 0, 10);
    check_same("samples/traces/workerpool-go119.trace", 0, 0);
}

/*
 * model_open's pipeline (model/open.c): the loader on a second thread, the
 * builder on this one, events through a ring of 4096. The same model,
 * on traces of 20 k to 100 k+ events (the ring wraps, both sides wait);
 * under ThreadSanitizer, no data shared without a hand-off (tt_syms in its
 * shared mode while the loader interns).
 */
static void test_pipe_samples(void **state)
{
    (void)state;
    check_same_as("samples/traces/annotated.trace", 10, 1, 1, 2);
    check_same_as("samples/traces/stress.trace", 0, 1, 1, 2);
    check_same_as("samples/traces/gcpressure.trace", 0, 10, 1, 2);
    check_same_as("samples/traces/workerpool-go119.trace", 0, 0, 1, 2);
    /* and with the finish's thread too */
    check_same_as("samples/traces/stress.trace", 0, 1, 2, 2);
}

typedef struct cancel_at {
    atomic_int flag;
    uint64_t at, calls;
} cancel_at;

static void cancel_progress(void *ctx, uint64_t done, uint64_t total)
{
    cancel_at *c = ctx;
    (void)total;
    c->calls++;
    if (done >= c->at)
        atomic_store(&c->flag, 1);
}

/* Cancelled during a piped load: "cancelled", nothing leaks (ASan), and a
 * load after it in the same process is whole. */
static void test_pipe_cancel(void **state)
{
    (void)state;
    const char *file = "samples/traces/stress.trace";
    cancel_at c = {.at = 1};
    atomic_init(&c.flag, 0);
    model_open_opts o = {.progress = cancel_progress, .ctx = &c, .cancel = &c.flag};
    model_open_pipe = 2;
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    tt_status st = model_open(file, &o, &m, &res, &err);
    model_open_pipe = 0;
    assert_int_equal(st, TT_ERR_STOPPED);
    assert_null(m);
    assert_non_null(strstr(err.msg, "cancelled"));
    assert_true(c.calls > 0);
    model *a = build(file, 1, 1), *b = build(file, 1, 2);
    assert_true(model_get_info(a)->nevents == model_get_info(b)->nevents);
    model_free(a);
    model_free(b);
}

typedef struct where {
    pthread_t caller;
    int calls, elsewhere;
} where;

static void where_progress(void *ctx, uint64_t done, uint64_t total)
{
    where *w = ctx;
    (void)done;
    (void)total;
    w->calls++;
    if (!pthread_equal(pthread_self(), w->caller))
        w->elsewhere++;
}

/* model_set_threads (GOTV_THREADS in gotv): with 2 the loader runs on
 * another thread (its progress calls come from there), with 1 on the
 * caller's; both give the same model. */
static void test_set_threads(void **state)
{
    (void)state;
    const char *file = "samples/traces/stress.trace";
    uint64_t n[2];
    for (int mode = 1; mode <= 2; mode++) {
        where w = {.caller = pthread_self()};
        model_open_opts o = {.progress = where_progress, .ctx = &w};
        model_set_threads(mode);
        model *m = NULL;
        tt_err err;
        assert_int_equal(model_open(file, &o, &m, NULL, &err), TT_OK);
        model_set_threads(0);
        assert_true(w.calls > 0);
        assert_int_equal(w.elsewhere, mode == 2 ? w.calls : 0);
        n[mode - 1] = model_get_info(m)->nevents;
        model_free(m);
    }
    assert_true(n[0] == n[1] && n[0] > 0);
}

/* The default (0) picks the thread by CPU count and size; never (1) and
 * always (2) are what the checks above compare. */
static void test_cpus(void **state)
{
    (void)state;
    int n = model_cpus();
    printf("  %d CPUs\n", n);
    assert_true(n >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_cpus),
        cmocka_unit_test(test_pipe_samples),
        cmocka_unit_test(test_pipe_cancel),
        cmocka_unit_test(test_set_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

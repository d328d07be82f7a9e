/* Unit tests of the progressive open (tui/ui_load.c, model_open's cancel):
 * the preview from a prefix, the background load and its cancel, the model
 * swap keeping the view, the loading banner. samples/traces/cpubound.trace
 * has two generations; its first 5000 bytes hold the first one only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui/ui_int.h"
#include "tui/ui_load.h"
#include "tests/lib/uikeys.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TWO_GENS "samples/traces/cpubound.trace"
#define GEN1_BYTES 5000

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static model *open_full(void)
{
    model *m = NULL;
    tt_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(model_open(TWO_GENS, NULL, &m, NULL, &err), TT_OK);
    return m;
}

/* ---- model_open's cancel flag ---- */

static _Atomic int cancel;

static void cancel_on_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx, (void)done, (void)total;
    atomic_store(&cancel, 1);
}

static void test_open_cancel(void **unused)
{
    (void)unused;
    atomic_store(&cancel, 1);
    model_open_opts mo;
    memset(&mo, 0, sizeof mo);
    mo.cancel = &cancel;
    model *m = (model *)1;
    tt_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(model_open(TWO_GENS, &mo, &m, NULL, &err), TT_ERR_STOPPED);
    assert_null(m);
    assert_string_equal(err.msg, "cancelled");
    /* raised by the first progress report (after the first generation) */
    atomic_store(&cancel, 0);
    mo.progress = cancel_on_progress;
    assert_int_equal(model_open(TWO_GENS, &mo, &m, NULL, &err), TT_ERR_STOPPED);
    assert_null(m);
    /* a flag that stays 0 changes nothing */
    atomic_store(&cancel, 0);
    mo.progress = NULL;
    assert_int_equal(model_open(TWO_GENS, &mo, &m, NULL, &err), TT_OK);
    assert_non_null(m);
    model *ref = open_full();
    assert_int_equal(model_get_info(m)->nevents, model_get_info(ref)->nevents);
    model_free(m);
    model_free(ref);
}

/* ---- preview ---- */

static void test_preview_bytes_env(void **unused)
{
    (void)unused;
    unsetenv("GOTV_PREVIEW_BYTES");
    assert_int_equal(ui_preview_bytes(1000), 0);
    assert_int_equal(ui_preview_bytes(UI_PREVIEW_MIN_FILE), 0);
    assert_int_equal(ui_preview_bytes(UI_PREVIEW_MIN_FILE + 1ull), UI_PREVIEW_BYTES);
    assert_int_equal(ui_preview_max_bytes(UI_PREVIEW_MIN_FILE + 1ull), UI_PREVIEW_MIN_FILE / 2);
    assert_int_equal(ui_preview_max_bytes(UI_PREVIEW_MAX_BYTES * 4ull), UI_PREVIEW_MAX_BYTES);
    assert_int_equal(ui_preview_max_bytes(1000), 0);
    setenv("GOTV_PREVIEW_BYTES", "5000", 1);
    assert_int_equal(ui_preview_bytes(8272), 5000);
    assert_int_equal(ui_preview_max_bytes(8272), 5000);
    assert_int_equal(ui_preview_bytes(5000), 0); /* nothing left to load later */
    assert_int_equal(ui_preview_bytes_for(TWO_GENS, 8272), 5000);
    assert_int_equal(ui_preview_bytes_for("samples/traces/stress-go119.trace", 482539), 0); /* old format */
    assert_int_equal(ui_preview_bytes_for("/nonexistent/x.trace", 8272), 0);
    setenv("GOTV_PREVIEW_BYTES", "0", 1);
    assert_int_equal(ui_preview_bytes(UI_PREVIEW_MIN_FILE * 4ull), 0);
    unsetenv("GOTV_PREVIEW_BYTES");
}

static void test_preview_is_the_first_generation(void **unused)
{
    (void)unused;
    ui_preview pv;
    tt_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(ui_preview_open(TWO_GENS, GEN1_BYTES, GEN1_BYTES, &pv, &err), TT_OK);
    model *full = open_full();
    const model_info *a = model_get_info(pv.m), *b = model_get_info(full);
    assert_int_equal(a->t_start, b->t_start);
    assert_true(a->t_end < b->t_end);
    assert_true(a->nevents < b->nevents);
    assert_true(a->nevents > 0);
    int64_t a_end = a->t_end;
    ui_preview_close(&pv);
    assert_null(pv.m);
    /* a prefix without one complete generation: no preview */
    assert_int_equal(ui_preview_open(TWO_GENS, 2000, 2000, &pv, &err), TT_ERR_TRUNCATED);
    assert_null(pv.m);
    /* ... unless a bigger one may be tried: 1250, then 5000 (the first generation) */
    assert_int_equal(ui_preview_open(TWO_GENS, 1250, 5000, &pv, &err), TT_OK);
    assert_int_equal(pv.bytes, 5000);
    assert_int_equal(model_get_info(pv.m)->t_end, a_end);
    ui_preview_close(&pv);
    assert_int_not_equal(ui_preview_open(TWO_GENS, 1u << 30, 1u << 30, &pv, &err), TT_OK);
    /* old format (Go 1.19): never previewed */
    assert_int_equal(ui_preview_open("samples/traces/stress-go119.trace", 200000, 200000, &pv, &err), TT_ERR_IO);
    assert_null(pv.m);
    model_free(full);
}

/* ---- background load ---- */

static void wait_fd(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    assert_int_equal(poll(&p, 1, ms), 1);
}

static void test_bgload_builds_model_and_state(void **unused)
{
    (void)unused;
    ui_bgload *b = ui_bgload_start(TWO_GENS, 0, 30, 100, 1);
    assert_non_null(b);
    wait_fd(ui_bgload_fd(b), 10000);
    assert_true(ui_bgload_done(b));
    uint64_t done, total;
    ui_bgload_progress(b, &done, &total);
    assert_int_equal(total, 8272);
    assert_int_equal(done, total);
    model *m = NULL;
    ui_state *ns = NULL;
    tt_load_result res;
    tt_err err;
    assert_int_equal(ui_bgload_finish(b, &m, &ns, &res, &err), TT_OK);
    assert_non_null(m);
    assert_non_null(ns);
    assert_ptr_equal(ns->m, m);
    assert_int_equal(ns->grid.rows, 30);
    assert_int_equal(ns->grid.cols, 100);
    assert_int_equal(ns->plot_ready, (1u << PLOT__COUNT) - 1);
    /* and rendered once (its caches made in the thread, not by the main
     * thread's first frame after the swap): the frame of a fresh state */
    ui_state fresh;
    memset(&fresh, 0, sizeof fresh);
    assert_int_equal(ui_init(&fresh, m, TWO_GENS, 30, 100, 1), 0);
    ui_render(&fresh);
    int blank = 1;
    for (int r = 0; r < 30; r++)
        for (int c = 0; c < 100; c++) {
            const ui_cell *a = ui_grid_at(&ns->grid, r, c), *z = ui_grid_at(&fresh.grid, r, c);
            if (a->cp != z->cp || a->width != z->width || a->style != z->style)
                fail_msg("row %d col %d: U+%04X style %u, a fresh render U+%04X style %u", r, c, a->cp, a->style,
                         z->cp, z->style);
            if (r > 0 && r < 29 && a->cp != ' ') blank = 0;
        }
    assert_false(blank);
    ui_free(&fresh);
    model *ref = open_full();
    assert_int_equal(model_get_info(m)->nevents, model_get_info(ref)->nevents);
    assert_int_equal(res.truncated, 0);
    ui_free(ns);
    free(ns);
    model_free(m);
    model_free(ref);
    /* errors come back as model_open reports them */
    b = ui_bgload_start("/nonexistent/x.trace", 0, 0, 0, 1);
    assert_non_null(b);
    assert_int_equal(ui_bgload_finish(b, &m, &ns, NULL, &err), TT_ERR_IO);
    assert_null(m);
    assert_null(ns);
}

/* Two steps, as the explorer does: the model and its state at once, the
 * goroutine plots "computing..." until the thread has the counts; the main
 * thread renders and queries the model meanwhile (the thread only reads the
 * goroutine lanes: run under ThreadSanitizer by make test). */
static void take_then_plots(const char *path)
{
    /* (a pause of 50 ms at each progress report, and before the counts) */
    ui_bgload *b = ui_bgload_start(path, 50, 30, 100, 1);
    assert_non_null(b);
    wait_fd(ui_bgload_fd(b), 10000);
    model *m = NULL;
    ui_state *ns = NULL;
    tt_load_result res;
    tt_err err;
    assert_int_equal(ui_bgload_take(b, &m, &ns, &res, &err), TT_OK);
    assert_non_null(m);
    assert_non_null(ns);
    assert_ptr_equal(ns->m, m);
    assert_true(ns->defer_plots);
    assert_true(ns->plot_ready & (1u << PLOT_HEAP));
    int steps = 0;
    while (!ui_bgload_plots_done(b)) { /* the main thread's work meanwhile */
        assert_false(ns->plot_ready & (1u << PLOT_GRUN)); /* not computed here */
        ui_dispatch(ns, steps % 2 ? CMD_ZOOM_IN : CMD_LANE_DOWN);
        ui_render(ns);
        (void)model_series_max(m, MSER_HEAP_ALLOC);
        steps++;
        struct pollfd p = {ui_bgload_fd(b), POLLIN, 0};
        (void)poll(&p, 1, 5);
    }
    assert_true(steps > 0); /* the two threads did overlap */
    ui_bgload_end(b, ns);
    assert_false(ns->defer_plots);
    assert_int_equal(ns->plot_ready, (1u << PLOT__COUNT) - 1);
    assert_true(model_series_bytes(m, MSER_G_RUNNING) > 0); /* installed, not built here */
    /* the counts are those a query on a fresh model computes */
    model *ref = NULL;
    assert_int_equal(model_open(path, NULL, &ref, NULL, &err), TT_OK);
    for (int k = MSER_G_RUNNING; k <= MSER_G_WAITING; k++) {
        uint32_t n = model_series_len(m, (model_series_kind)k);
        assert_int_equal(n, model_series_len(ref, (model_series_kind)k));
        for (uint32_t i = 0; i < n; i++) {
            model_point a = model_series_point(m, (model_series_kind)k, i);
            model_point z = model_series_point(ref, (model_series_kind)k, i);
            assert_int_equal(a.t, z.t);
            assert_int_equal(a.v, z.v);
        }
    }
    model_free(ref);
    ui_free(ns);
    free(ns);
    model_free(m);
}

static void test_bgload_take_then_plots(void **unused)
{
    (void)unused;
    take_then_plots(TWO_GENS);
    take_then_plots("samples/traces/stress.trace"); /* 0.8 MB: the counts take a while */
    model *m = NULL;
    ui_state *ns = NULL;
    ui_bgload *b;
    /* ended before the counts: cancelled, nothing left behind (ASan) */
    b = ui_bgload_start(TWO_GENS, 0, 30, 100, 1);
    assert_non_null(b);
    wait_fd(ui_bgload_fd(b), 10000);
    assert_int_equal(ui_bgload_take(b, &m, &ns, NULL, NULL), TT_OK);
    ui_bgload_end(b, NULL);
    assert_true(ns->defer_plots); /* left to the caller */
    ui_free(ns);
    free(ns);
    model_free(m);
    ui_bgload_end(NULL, NULL);
}

static void test_bgload_cancel_is_prompt(void **unused)
{
    (void)unused;
    /* 20 s of pauses at each progress report unless cancelled */
    ui_bgload *b = ui_bgload_start(TWO_GENS, 20000, 30, 100, 1);
    assert_non_null(b);
    uint64_t done, total;
    ui_bgload_progress(b, &done, &total);
    assert_int_equal(total, 8272); /* the file size from the start */
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    assert_false(ui_bgload_done(b));
    double t0 = now_ms();
    ui_bgload_cancel(b);
    model *m = (model *)1;
    ui_state *ns = (ui_state *)1;
    tt_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(ui_bgload_finish(b, &m, &ns, NULL, &err), TT_ERR_STOPPED);
    assert_true(now_ms() - t0 < 2000);
    assert_null(m);
    assert_null(ns);
    assert_string_equal(err.msg, "cancelled");
}

/* While a background load builds the full model, the preview's builder frees
 * blocks of up to 1 MiB on the main thread. glibc raised its mmap threshold
 * to each such block's size, and the full builder's blocks below it then
 * came from its arena, whose holes stay resident (+5-6 MiB at the peak on
 * stress-100mb): ui_bgload_start fixes the threshold. After a load, freeing
 * an mmap'ed block of 2n bytes must not move the next block of n (more than
 * the threshold and than all the free memory of the heaps, so the heap must
 * grow for it) into the heap. */
static void test_bgload_fixes_mmap_threshold(void **unused)
{
    (void)unused;
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    ui_bgload *b = ui_bgload_start(TWO_GENS, 0, 0, 0, 1);
    assert_non_null(b);
    assert_int_equal(ui_bgload_finish(b, NULL, NULL, NULL, NULL), TT_OK);
    size_t f0 = mallinfo2().fordblks;
    size_t n = (f0 > UI_MMAP_THRESHOLD ? f0 : UI_MMAP_THRESHOLD) + (64u << 10);
    assert_true(n < (16u << 20)); /* (glibc's threshold rises to 32 MiB at most) */
    char *p = malloc(2 * n);
    assert_non_null(p);
    memset(p, 1, 2 * n);
    free(p);
    struct mallinfo2 before = mallinfo2();
    char *q = malloc(n);
    assert_non_null(q);
    memset(q, 1, n);
    struct mallinfo2 after = mallinfo2();
    if (after.hblkhd < before.hblkhd + n)
        fail_msg("%zu bytes after freeing %zu: from the heap (mmap'ed %zu -> %zu bytes, free %zu)", n, 2 * n,
                 before.hblkhd, after.hblkhd, f0);
    free(q);
#else
    skip(); /* the sanitizers' allocator has no such threshold */
#endif
}

/* ---- the swap ---- */

static uint32_t nth_g_lane(const ui_state *st, int n)
{
    for (uint32_t i = 0; i < st->nlanes; i++)
        if (st->lanes[i].kind == LK_G && n-- == 0) return i;
    fail_msg("no goroutine lane %d", n);
    return 0;
}

static void test_swap_keeps_the_view(void **unused)
{
    (void)unused;
    ui_preview pv;
    tt_err err;
    assert_int_equal(ui_preview_open(TWO_GENS, GEN1_BYTES, GEN1_BYTES, &pv, &err), TT_OK);
    ui_state *st = calloc(1, sizeof *st);
    assert_int_equal(ui_init(st, pv.m, TWO_GENS, 40, 120, 1), 0);
    /* the third goroutine lane, its panel, zoomed in twice, moved right */
    st->sel_lane = nth_g_lane(st, 2);
    const model_goroutine *g = model_goroutine_get(st->m, st->lanes[st->sel_lane].idx);
    int64_t gid = g->id;
    ui_dispatch(st, CMD_OPEN);
    assert_true(st->panel_open);
    ui_dispatch(st, CMD_ZOOM_IN);
    ui_dispatch(st, CMD_ZOOM_IN);
    ui_dispatch(st, CMD_SCROLL_RIGHT);
    ui_render(st);
    int64_t t0 = st->vp.t0;
    double npc = st->vp.ns_per_col;
    int64_t cursor = st->cursor;
    int nhist = st->nhist;

    model *full = open_full();
    assert_int_equal(ui_swap_model(st, full), 0);
    ui_preview_close(&pv); /* the state no longer uses the preview */
    assert_ptr_equal(st->m, full);
    assert_int_equal(st->info->t_end, model_get_info(full)->t_end);
    assert_int_equal(st->lanes[st->sel_lane].kind, LK_G);
    assert_int_equal(model_goroutine_get(full, st->lanes[st->sel_lane].idx)->id, gid);
    assert_true(st->panel_open);
    assert_int_equal(model_goroutine_get(full, st->panel_g)->id, gid);
    assert_int_equal(st->vp.t0, t0);
    assert_true(st->vp.ns_per_col == npc);
    assert_int_equal(st->cursor, cursor);
    assert_int_equal(st->nhist, nhist);
    ui_render(st);
    char *t = ui_grid_to_text(&st->grid);
    char want[64];
    snprintf(want, sizeof want, "G%lld ", (long long)gid);
    assert_non_null(strstr(t, want));
    free(t);
    ui_free(st);
    free(st);
    model_free(full);
}

/* A search typed while the preview is up that matches nothing there (its
 * goroutine comes after the preview's first events) finds it after the
 * swap: map_search searches the full model whenever a search is set. */

static void test_swap_search_unmatched_in_preview(void **unused)
{
    (void)unused;
    ui_preview pv;
    tt_err err;
    memset(&err, 0, sizeof err);
    /* the first generation's first 12 events */
    assert_int_equal(ui_preview_open_n(TWO_GENS, GEN1_BYTES, GEN1_BYTES, 12, &pv, &err), TT_OK);
    assert_int_equal(model_get_info(pv.m)->nevents, 12);
    model *full = open_full();
    /* a goroutine of the full model the preview does not have, whose id is
     * no substring of another goroutine's id */
    int64_t gid = -1;
    uint32_t ng = model_lane_count(full, ML_GOROUTINE);
    for (uint32_t i = 0; i < ng && gid < 0; i++) {
        int64_t id = model_goroutine_get(full, i)->id;
        if (id < 10 || model_goroutine_find(pv.m, id) != UINT32_MAX) continue;
        char a[32], b[32];
        snprintf(a, sizeof a, "%lld", (long long)id);
        int uniq = 1;
        for (uint32_t j = 0; j < ng && uniq; j++) {
            snprintf(b, sizeof b, "%lld", (long long)model_goroutine_get(full, j)->id);
            uniq = j == i || !strstr(b, a);
        }
        if (uniq) gid = id;
    }
    assert_true(gid >= 0);
    ui_state *st = calloc(1, sizeof *st);
    assert_int_equal(ui_init(st, pv.m, TWO_GENS, 40, 120, 1), 0);
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)gid);
    uik_line(st, CMD_SEARCH, text);
    assert_string_equal(st->search, text);
    assert_int_equal(st->nmatches, 0);

    assert_int_equal(ui_swap_model(st, full), 0);
    ui_preview_close(&pv);
    assert_string_equal(st->search, text);
    uint32_t lane = model_goroutine_find(full, gid);
    assert_true(st->nmatches >= 1);
    int found = 0;
    for (uint32_t i = 0; i < st->nmatches; i++) found |= st->matches[i] == lane;
    assert_true(found);
    assert_true(st->is_match[lane]);
    ui_dispatch(st, CMD_NEXT_MATCH); /* the match, not "no matches" */
    assert_int_equal(st->lanes[st->sel_lane].idx, lane);
    ui_free(st);
    free(st);
    model_free(full);
}

static void test_swap_whole_view_stays_whole(void **unused)
{
    (void)unused;
    ui_preview pv;
    tt_err err;
    assert_int_equal(ui_preview_open(TWO_GENS, GEN1_BYTES, GEN1_BYTES, &pv, &err), TT_OK);
    ui_state *st = calloc(1, sizeof *st);
    assert_int_equal(ui_init(st, pv.m, TWO_GENS, 30, 100, 1), 0);
    ui_dispatch(st, CMD_NEXT_VIEW); /* the goroutine table, sorted */
    ui_render(st);
    ui_dispatch(st, CMD_LANE_DOWN);
    ui_dispatch(st, CMD_LANE_DOWN);
    int64_t gid = model_goroutine_get(st->m, st->grows[st->gt_sel])->id;
    ui_msg(st, 0, "hello");
    model *full = open_full();
    assert_int_equal(ui_swap_model(st, full), 0);
    ui_preview_close(&pv);
    const model_info *in = model_get_info(full);
    assert_true(st->vp.t0 <= in->t_start);
    assert_true(st->vp.t0 + tl_span(&st->vp) >= in->t_end - 1);
    assert_int_equal(st->view, VIEW_GTABLE);
    assert_int_equal(model_goroutine_get(full, st->grows[st->gt_sel])->id, gid);
    assert_string_equal(st->msg, "hello");
    ui_free(st);
    free(st);
    model_free(full);
}

/* ---- banner ---- */

static void test_banner(void **unused)
{
    (void)unused;
    model *m = open_full();
    ui_state *st = calloc(1, sizeof *st);
    assert_int_equal(ui_init(st, m, TWO_GENS, 24, 100, 1), 0);
    char b[200];
    ui_loading_banner(st, 37, 100, b, sizeof b);
    assert_string_equal(b, "loading 37% - showing the first 1.57s of the trace");
    ui_loading_banner(st, 100, 100, b, sizeof b);
    assert_string_equal(b, "indexing - showing the first 1.57s of the trace");
    tt_err e;
    memset(&e, 0, sizeof e);
    tt_err_set(&e, TT_ERR_NOMEM, 123, "out of \x1b[2J memory");
    ui_failed_banner(st, TT_ERR_NOMEM, &e, b, sizeof b);
    assert_string_equal(b, "load failed: out of \\x1b[2J memory at byte 123 - only the first 1.57s shown");
    memset(&e, 0, sizeof e);
    ui_failed_banner(st, TT_ERR_IO, &e, b, sizeof b);
    assert_string_equal(b, "load failed: I/O error at byte 0 - only the first 1.57s shown");
    ui_render(st);
    ui_loading_banner(st, 37, 100, b, sizeof b);
    ui_draw_banner(st, b, 0);
    char row[512];
    ui_grid_row_text(&st->grid, 23, row, sizeof row);
    assert_non_null(strstr(row, "loading 37% - showing the first 1.57s of the trace"));
    assert_true(ui_str_width(row) <= 100);
    /* narrow: cut, never wider than the screen */
    ui_resize(st, 24, 40);
    ui_render(st);
    ui_draw_banner(st, b, 1);
    ui_grid_row_text(&st->grid, 23, row, sizeof row);
    assert_non_null(strstr(row, "loading 37%"));
    assert_true(ui_str_width(row) <= 40);
    ui_free(st);
    free(st);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_cancel),
        cmocka_unit_test(test_preview_bytes_env),
        cmocka_unit_test(test_preview_is_the_first_generation),
        cmocka_unit_test(test_bgload_builds_model_and_state),
        cmocka_unit_test(test_bgload_take_then_plots),
        cmocka_unit_test(test_bgload_cancel_is_prompt),
        cmocka_unit_test(test_bgload_fixes_mmap_threshold),
        cmocka_unit_test(test_swap_keeps_the_view),
        cmocka_unit_test(test_swap_whole_view_stays_whole),
        cmocka_unit_test(test_swap_search_unmatched_in_preview),
        cmocka_unit_test(test_banner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

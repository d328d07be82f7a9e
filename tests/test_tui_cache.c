/*
 * The explorer's per-viewport cache (tui/ui_draw.c): after every step of
 * long command sequences (scrolls, zooms, fit, lane moves, the panel, folds),
 * the frame drawn with the cache (kept views, lane columns a scroll reuses)
 * equals the frame drawn from nothing (the cache dropped), cell for cell.
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui/ui.h"
#include "tui/ui_int.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cells of a grid, copied. */
static ui_cell *cells_copy(const ui_grid *g)
{
    size_t n = (size_t)g->rows * (size_t)g->cols;
    ui_cell *c = malloc(sizeof *c * n);
    assert_non_null(c);
    memcpy(c, g->cells, sizeof *c * n);
    return c;
}

static const enum ui_cmd seq[] = {
    CMD_ZOOM_IN,      CMD_SCROLL_RIGHT, CMD_SCROLL_RIGHT, CMD_SCROLL_LEFT, CMD_LANE_DOWN,   CMD_ZOOM_IN,
    CMD_CURSOR_RIGHT, CMD_SCROLL_LEFT,  CMD_NEXT_TRANS,   CMD_PAGE_DOWN,   CMD_ZOOM_OUT,    CMD_SCROLL_RIGHT,
    CMD_LANE_UP,      CMD_OPEN,         CMD_SCROLL_RIGHT, CMD_LANE_DOWN,   CMD_CLOSE,       CMD_FIT_ALL,
    CMD_PAGE_UP,      CMD_ZOOM_IN,      CMD_ZOOM_IN,      CMD_ZOOM_IN,     CMD_SCROLL_RIGHT, CMD_ZOOM_OUT,
    CMD_SCROLL_LEFT,  CMD_ZOOM_OUT,     CMD_ZOOM_OUT,     CMD_NEXT_BLOCK,  CMD_LANE_LAST,   CMD_ZOOM_IN,
    CMD_SCROLL_RIGHT, CMD_SCROLL_RIGHT, CMD_FIT_ALL,      CMD_LANE_FIRST,
};

/* Every step of seq (repeated) on sample path at rows x cols: the cached
 * frame against the frame from an empty cache. Returns the steps compared. */
static int check_sample(const char *path, int rows, int cols)
{
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    memset(&err, 0, sizeof err);
    if (model_open(path, NULL, &m, &res, &err) != TT_OK) return 0;
    ui_state *st = calloc(1, sizeof *st);
    assert_non_null(st);
    assert_int_equal(ui_init(st, m, path, rows, cols, 1), 0);
    ui_render(st);
    int steps = 0;
    for (int rep = 0; rep < 2; rep++)
        for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
            ui_dispatch(st, seq[i]);
            ui_render(st);
            ui_cell *cached = cells_copy(&st->grid);
            ui_colcache_free(st); /* drop every kept view */
            ui_render(st);
            size_t n = (size_t)st->grid.rows * (size_t)st->grid.cols;
            for (size_t k = 0; k < n; k++)
                if (memcmp(&cached[k], &st->grid.cells[k], sizeof *cached))
                    fail_msg("%s %dx%d rep %d step %zu (%s): cell %zu/%d differs from an uncached frame", path,
                             cols, rows, rep, i, ui_cmd_name(seq[i]), k / (size_t)st->grid.cols,
                             (int)(k % (size_t)st->grid.cols));
            free(cached);
            /* and once more from the cache rebuilt by that frame, then a
             * step back to earlier views (kept ones) on the next step */
            steps++;
        }
    ui_free(st);
    free(st);
    model_free(m);
    return steps;
}

/* The same without dropping the cache between steps: every frame of a
 * cached run equals the frame of a run that drops the cache before each
 * step (scroll reuse and kept views are only used in the first). */
static int check_sample_runs(const char *path, int rows, int cols)
{
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    memset(&err, 0, sizeof err);
    if (model_open(path, NULL, &m, &res, &err) != TT_OK) return 0;
    ui_state *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(ui_init(a, m, path, rows, cols, 1), 0);
    assert_int_equal(ui_init(b, m, path, rows, cols, 1), 0);
    ui_render(a);
    ui_render(b);
    int steps = 0;
    for (int rep = 0; rep < 3; rep++)
        for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
            ui_dispatch(a, seq[i]);
            ui_dispatch(b, seq[i]);
            ui_render(a);
            ui_colcache_free(b);
            ui_render(b);
            size_t n = (size_t)a->grid.rows * (size_t)a->grid.cols;
            assert_int_equal(b->grid.rows * b->grid.cols, (int)n);
            if (memcmp(a->grid.cells, b->grid.cells, sizeof *a->grid.cells * n))
                fail_msg("%s %dx%d rep %d step %zu (%s): the cached run's frame differs", path, cols, rows, rep, i,
                         ui_cmd_name(seq[i]));
            steps++;
        }
    ui_free(a);
    ui_free(b);
    free(a);
    free(b);
    model_free(m);
    return steps;
}

static void test_cache_same_frames(void **s)
{
    (void)s;
    glob_t gl;
    assert_int_equal(glob("samples/traces/*.trace", 0, NULL, &gl), 0);
    int steps = 0;
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        steps += check_sample(gl.gl_pathv[i], 60, 200);
        steps += check_sample_runs(gl.gl_pathv[i], 60, 200);
        steps += check_sample_runs(gl.gl_pathv[i], 30, 97);
    }
    globfree(&gl);
    assert_true(steps > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_same_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

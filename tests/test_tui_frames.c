/*
 * Screen tests: the explorer renders samples into the in-memory cell grid (no
 * terminal) and the text frames are compared, exactly for two golden frames,
 * structurally for every sample, and after command sequences (zoom, scroll,
 * search, panel, unblocker, tables, help, mouse, prompt, yank round trip).
 * Run from the repository root (tests/run.sh does). Set GOTV_PRINT_FRAMES=1 to
 * print the frames (to paste as new goldens).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui/ui.h"
#include "tui/ui_int.h"
#include "tests/lib/evgen.h"
#include "tests/lib/uikeys.h"

#include <glob.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char golden_workerpool_80x24[] =
    " gotv workerpool.trace  go1.26  450ms  17G 2P                    [Timeline] Tab\n"
    "@0ns /450ms     ▼0            │100ms        │200ms        │300ms        │400ms\n"
    "GC 0 cycles     ■\n"
    " assist/sweep\n"
    "heap 0B         ▇▇▇█████████████████████████████████████████████████████████████\n"
    "G running 1     █▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄\n"
    "G runnable 0    █▁▁▁▁▁▁▁▁▁▁▁▁▁▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▆\n"
    "G waiting 4     ████████████████████████████████████████████████████████████████\n"
    "G1 main.main   ▶─sync───────────────────────────────────────────────────────────\n"
    "G17 main.produc ────────────────────────────────────────────────────────────────\n"
    "▾ [8] main.work ────────────────────────────────────────────────────────────────\n"
    "G9 main.worker  ────────────────────────────────────────────────────────────────\n"
    "G10 main.worker ────────────────────────────────────────────────────────────────\n"
    "G11 main.worker ────────────────────────────────────────────────────────────────\n"
    "G12 main.worker ────────────────────────────────────────────────────────────────\n"
    "G13 main.worker ────────────────────────────────────────────────────────────────\n"
    "G14 main.worker ────────────────────────────────────────────────────────────────\n"
    "G15 main.worker ────────────────────────────────────────────────────────────────\n"
    "G16 main.worker ────────────────────────────────────────────────────────────────\n"
    "G8 trace.(*trac ─system goroutine wait──────────────────────────────────────────\n"
    "G7 runtime.(*tr ─chan receive───────────────────────────────────────────────────\n"
    "G4 runtime.bgsc ────────────────────────────────────────────────────────────────\n"
    "G3 runtime.bgsw ────────────────────────────────────────────────────────────────\n"
    "G1 main.main: running 148us from 0ns                              ? help  q back\n"
    ;

static const char golden_deadlock_panel_80x24[] =
    " gotv deadlock.trace  go1.26  202ms  10G 2P                      [Timeline] Tab\n"
    "@0ns /202ms     ▼0             │50ms           │100ms          │150ms          │\n"
    "GC 0 cycles     ■\n"
    " assist/sweep\n"
    "heap 0B         ████████████████████████████████████████████████████████████████\n"
    "G running 1     █                              ▄                               ▄\n"
    "G runnable 0    █                              ▂                               ▄\n"
    "G waiting 4     ████████████████████████████████████████████████████████████████\n"
    "G1 main.main   ▶─select─────────────────────────────────────────────────────────\n"
    "G8 main.transfe ─sync───────────────────────────────────────────────────────────\n"
    " G1 main.main   j/k episode  Enter show  u unblocker  p creator  Esc close\n"
    "created by unknown; seen 0ns .. 201ms (201ms)\n"
    "time 202ms: execution 975us 0% scheduler wait 215us 0% sync 201ms 99%\n"
    "     network 0ns 0% syscall 0ns 0% GC assist/sweep 0ns 0%\n"
    "creation stack:\n"
    "  (no stack)\n"
    "blocking episodes (2, longest first):\n"
    "▶ select            at 129us    for 201ms\n"
    "      runtime.selectgo  runtime/select.go:351\n"
    "      main.main  deadlock/main.go:75\n"
    "  runnable          at 201ms    for 215us\n"
    "\n"
    "\n"
    "G1 main.main: running 129us from 0ns                              ? help  q back\n"
    ;

typedef struct fx {
    model *m;
    ui_state st;
} fx;

static fx *open_path(const char *path, int rows, int cols, int utf8)
{
    fx *f = calloc(1, sizeof *f);
    tt_load_result res;
    tt_err err;
    memset(&err, 0, sizeof err);
    if (model_open(path, NULL, &f->m, &res, &err) != TT_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, err.msg);
        free(f);
        return NULL;
    }
    if (ui_init(&f->st, f->m, path, rows, cols, utf8)) {
        model_free(f->m);
        free(f);
        return NULL;
    }
    return f;
}

static fx *open_sample(const char *name, int rows, int cols, int utf8)
{
    char path[256];
    snprintf(path, sizeof path, "samples/traces/%s", name);
    return open_path(path, rows, cols, utf8);
}

static void close_sample(fx *f)
{
    if (!f) return;
    ui_free(&f->st);
    model_free(f->m);
    free(f);
}

static char *frame(fx *f)
{
    ui_render(&f->st);
    char *t = ui_grid_to_text(&f->st.grid);
    if (getenv("GOTV_PRINT_FRAMES")) fputs(t, stdout);
    return t;
}

static void render(fx *f)
{
    free(frame(f));
}

static int screen_has(fx *f, const char *s)
{
    char *t = frame(f);
    int r = strstr(t, s) != NULL;
    if (!r) fprintf(stderr, "expected '%s' in:\n%s", s, t);
    free(t);
    return r;
}

/* row r of the last render (no trailing blanks) */
static const char *row_text(fx *f, int r)
{
    static char buf[4096];
    ui_grid_row_text(&f->st.grid, r, buf, sizeof buf);
    return buf;
}

static void check_frame_shape(const ui_grid *g)
{
    for (int r = 0; r < g->rows; r++) {
        int w = 0;
        for (int c = 0; c < g->cols; c++) {
            const ui_cell *cell = &g->cells[(size_t)r * (size_t)g->cols + (size_t)c];
            uint32_t cp = cell->cp;
            assert_true(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0));
            assert_false(cp == 0x202e || cp == 0x200b || cp == 0xfeff || cp == 0x2066);
            w += cell->width;
        }
        assert_int_equal(w, g->cols);
    }
}

/* ---- golden frames ---- */

static void test_golden_workerpool(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 24, 80, 1);
    assert_non_null(f);
    char *t = frame(f);
    assert_string_equal(t, golden_workerpool_80x24);
    free(t);
    close_sample(f);
}

static void test_golden_deadlock_panel(void **s)
{
    (void)s;
    fx *f = open_sample("deadlock.trace", 24, 80, 1);
    assert_non_null(f);
    ui_view_opts o = {0};
    o.has_g = 1;
    o.goroutine = 1;
    char err[128];
    assert_int_equal(ui_apply_opts(&f->st, &o, err, sizeof err), 0);
    char *t = frame(f);
    assert_string_equal(t, golden_deadlock_panel_80x24);
    free(t);
    close_sample(f);
}

/* ---- every sample at several sizes, UTF-8 and ASCII ---- */

static void test_all_samples_shape(void **s)
{
    (void)s;
    glob_t gl;
    assert_int_equal(glob("samples/traces/*.trace", 0, NULL, &gl), 0);
    static const int sizes[][2] = {{24, 80}, {40, 120}, {60, 200}, {5, 30}};
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        const char *name = strrchr(gl.gl_pathv[i], '/') + 1;
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
            for (int utf8 = 0; utf8 < 2; utf8++) {
                fx *f = open_sample(name, sizes[k][0], sizes[k][1], utf8);
                assert_non_null(f);
                ui_render(&f->st);
                check_frame_shape(&f->st.grid);
                if (!utf8)
                    for (int c = 0; c < f->st.grid.rows * f->st.grid.cols; c++)
                        assert_true(f->st.grid.cells[c].cp < 0x80);
                /* open the panel, the tables and help: still well-formed */
                ui_dispatch(&f->st, CMD_OPEN);
                ui_render(&f->st);
                check_frame_shape(&f->st.grid);
                for (int v = 0; v < 3; v++) {
                    ui_dispatch(&f->st, CMD_NEXT_VIEW);
                    ui_render(&f->st);
                    check_frame_shape(&f->st.grid);
                }
                ui_dispatch(&f->st, CMD_HELP);
                ui_render(&f->st);
                check_frame_shape(&f->st.grid);
                close_sample(f);
            }
    }
    globfree(&gl);
}

/* ---- commands ---- */

static void test_zoom_scroll_fit(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 35, 120, 1);
    assert_non_null(f);
    assert_true(screen_has(f, "@0ns /450ms"));
    ui_dispatch(&f->st, CMD_ZOOM_IN);
    assert_true(screen_has(f, "@0ns /225ms"));
    ui_dispatch(&f->st, CMD_SCROLL_RIGHT);
    render(f);
    assert_true(strncmp(row_text(f, 1), "@28.1ms /225ms", 14) == 0);
    ui_dispatch(&f->st, CMD_ZOOM_OUT);
    ui_dispatch(&f->st, CMD_ZOOM_OUT);
    assert_true(screen_has(f, "/450ms"));
    for (int i = 0; i < 60; i++) ui_dispatch(&f->st, CMD_ZOOM_IN);
    /* clamped at 1 ns per column */
    assert_true(f->st.vp.ns_per_col >= 1.0);
    ui_dispatch(&f->st, CMD_FIT_ALL);
    assert_true(screen_has(f, "@"));
    assert_int_equal(f->st.vp.t0, f->st.info->t_start);
    close_sample(f);
}

static void test_lanes_and_labels(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 40, 120, 1);
    assert_non_null(f);
    char *t = frame(f);
    assert_non_null(strstr(t, "\nG1 main.main"));
    assert_non_null(strstr(t, "\nG9 main.worker"));
    assert_non_null(strstr(t, "\nP0"));
    assert_non_null(strstr(t, "\nM"));
    assert_non_null(strstr(t, "\nGC "));
    assert_non_null(strstr(t, "\nheap "));
    free(t);
    /* lane order: by id puts G1 first then G2 */
    ui_dispatch(&f->st, CMD_SORT);
    t = frame(f);
    assert_non_null(strstr(t, "goroutine lanes by id"));
    char *g1 = strstr(t, "\nG1 "), *g2 = strstr(t, "\nG2 ");
    assert_true(g1 && g2 && g1 < g2);
    free(t);
    close_sample(f);
}

/* A region's name on its strip stays readable where logs fall on it; the
 * logs elsewhere on the strip keep their markers. */
static void test_strip_name_over_logs(void **s)
{
    (void)s;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    evgen_go(&e, 0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
    evgen_region(&e, 100, TT_EV_REGION_BEGIN, 1, 0, "spans generations");
    for (int64_t t = 110; t < 900; t += 40)
        evgen_log(&e, t, 1, 0, "tick", "x");
    evgen_region(&e, 900, TT_EV_REGION_END, 1, 0, "spans generations");
    evgen_sync(&e, 1000);
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->m = evgen_finish(&e);
    assert_non_null(f->m);
    assert_int_equal(ui_init(&f->st, f->m, "synthetic", 20, 120, 1), 0);
    render(f);
    int strip = -1;
    for (int r = 0; r < 20 && strip < 0; r++)
        if (strstr(row_text(f, r), "spans generations")) strip = r;
    if (strip < 0) fail_msg("the region's name is not on the screen:\n%s", ui_grid_to_text(&f->st.grid));
    assert_non_null(strstr(row_text(f, strip), "\u25c6")); /* markers after the name */
    close_sample(f);
    evgen_free(&e);
}

static void test_search(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 35, 120, 1);
    assert_non_null(f);
    ui_dispatch(&f->st, CMD_SEARCH);
    uik_type(&f->st, "worker");
    assert_true(screen_has(f, "/worker"));
    uik_enter(&f->st);
    assert_true(screen_has(f, "match 1 of 8: G9 main.worker"));
    ui_dispatch(&f->st, CMD_NEXT_MATCH);
    assert_true(screen_has(f, "match 2 of 8: G10 main.worker"));
    ui_dispatch(&f->st, CMD_PREV_MATCH);
    ui_dispatch(&f->st, CMD_PREV_MATCH);
    assert_true(screen_has(f, "match 8 of 8"));
    /* by id */
    uik_line(&f->st, CMD_SEARCH, "17");
    assert_true(screen_has(f, "G17 main.produce"));
    close_sample(f);
}

static void test_panel_and_unblocker(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 35, 120, 1);
    assert_non_null(f);
    ui_view_opts o = {0};
    o.has_g = 1;
    o.goroutine = 9;
    char err[128];
    assert_int_equal(ui_apply_opts(&f->st, &o, err, sizeof err), 0);
    assert_true(screen_has(f, "created by G1 main.main"));
    assert_true(screen_has(f, "blocking episodes (27, longest first)"));
    assert_true(screen_has(f, "chan receive"));
    assert_true(screen_has(f, "unblocked by G17 main.produce"));
    assert_true(screen_has(f, "main.worker  workerpool/main.go:55"));
    ui_dispatch(&f->st, CMD_LANE_DOWN); /* next episode */
    assert_int_equal(f->st.panel_sel, 1);
    ui_dispatch(&f->st, CMD_OPEN); /* show it on the timeline */
    assert_true(f->st.sel1 > f->st.sel0);
    ui_dispatch(&f->st, CMD_JUMP_UNBLOCKER);
    assert_true(screen_has(f, "unblocker: G17 main.produce"));
    assert_true(screen_has(f, " G17 main.produce   j/k episode"));
    ui_dispatch(&f->st, CMD_BACK); /* back to G9 */
    assert_true(screen_has(f, " G9 main.worker   j/k episode"));
    ui_dispatch(&f->st, CMD_JUMP_PARENT);
    assert_true(screen_has(f, "creator: G1 main.main"));
    ui_dispatch(&f->st, CMD_CLOSE);
    assert_false(f->st.panel_open);
    close_sample(f);
}

static void test_transitions_and_blocks(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 35, 120, 1);
    assert_non_null(f);
    uint32_t gi = model_goroutine_find(f->m, 9);
    f->st.sel_lane = f->st.g_lane[gi];
    int64_t c0 = f->st.cursor;
    ui_dispatch(&f->st, CMD_NEXT_TRANS);
    assert_true(f->st.cursor > c0);
    int64_t c1 = f->st.cursor;
    ui_dispatch(&f->st, CMD_NEXT_TRANS);
    assert_true(f->st.cursor > c1);
    int64_t c2 = f->st.cursor;
    ui_dispatch(&f->st, CMD_PREV_TRANS);
    assert_true(f->st.cursor < c2 && f->st.cursor >= c1);
    assert_true(tl_time_col(&f->st.vp, f->st.cursor) < tl_time_col(&f->st.vp, c2));
    ui_dispatch(&f->st, CMD_NEXT_BLOCK);
    model_span sb;
    const model_span *sp = ui_span_at(&f->st, &f->st.lanes[f->st.sel_lane], f->st.cursor, NULL, &sb);
    assert_non_null(sp);
    assert_true(sp->state == MS_WAITING || sp->state == MS_SYSCALL || sp->state == MS_SYSCALL_BLOCKED);
    int64_t b1 = f->st.cursor;
    ui_dispatch(&f->st, CMD_NEXT_BLOCK);
    assert_true(f->st.cursor > b1);
    ui_dispatch(&f->st, CMD_PREV_BLOCK);
    assert_int_equal(f->st.cursor, b1);
    ui_dispatch(&f->st, CMD_FIT_SEL);
    assert_true(tl_span(&f->st.vp) < f->st.info->t_end - f->st.info->t_start);
    close_sample(f);
}

static void test_tables(void **s)
{
    (void)s;
    fx *f = open_sample("annotated.trace", 30, 120, 1);
    assert_non_null(f);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    assert_true(screen_has(f, "Sched wait"));
    ui_dispatch(&f->st, CMD_SORT);
    assert_true(screen_has(f, "sorted by Function"));
    ui_dispatch(&f->st, CMD_SORT);
    assert_true(screen_has(f, "Totalv"));
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    assert_true(screen_has(f, "Goroutines / task"));
    assert_true(screen_has(f, "task "));
    assert_true(screen_has(f, "region"));
    ui_dispatch(&f->st, CMD_OPEN);
    assert_int_equal(f->st.view, VIEW_TIMELINE);
    assert_true(f->st.sel1 > f->st.sel0);
    close_sample(f);
}

static int cmp_u64_t(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The tasks table's (task, goroutine) index equals the pairs computed the
 * slow way from every region and log of every goroutine lane. */
static void test_task_goroutine_index(void **s)
{
    (void)s;
    fx *f = open_sample("annotated.trace", 30, 120, 1);
    assert_non_null(f);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    render(f);
    assert_int_equal(f->st.view, VIEW_TASKS);
    const model_task *t;
    uint32_t nt = model_tasks(f->m, &t);
    uint32_t ng = model_lane_count(f->m, ML_GOROUTINE);
    const model_region *ra;
    const model_log *la;
    size_t cap = (size_t)model_regions_all(f->m, &ra) + model_logs_all(f->m, &la) + 2 * (size_t)nt + 1;
    uint64_t *want = malloc(cap * sizeof *want);
    assert_non_null(want);
    size_t n = 0, ends = 0;
    for (uint32_t ti = 0; ti < nt; ti++) { /* the goroutines that began and ended it */
        int64_t g2[2] = {t[ti].begin_g, t[ti].end_g};
        for (int k = 0; k < 2; k++)
            for (uint32_t gi = 0; gi < ng; gi++)
                if (model_goroutine_get(f->m, gi)->id == g2[k]) {
                    want[n++] = ((uint64_t)ti << 32) | gi;
                    ends++;
                }
    }
    assert_true(ends > 0);
    for (uint32_t gi = 0; gi < ng; gi++) {
        const model_region *r;
        const model_log *l;
        uint32_t nr = model_goroutine_regions(f->m, gi, &r), nl = model_goroutine_logs(f->m, gi, &l);
        for (uint32_t i = 0; i < nr + nl; i++) {
            uint64_t id = model_task_ref_id(f->m, i < nr ? r[i].task_ref : l[i - nr].task_ref);
            if (id == 0 || id == TT_NO_TASK) continue;
            for (uint32_t ti = 0; ti < nt; ti++)
                if (t[ti].id == id) {
                    want[n++] = ((uint64_t)ti << 32) | gi;
                    break;
                }
        }
    }
    qsort(want, n, sizeof *want, cmp_u64_t);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || want[u - 1] != want[i]) want[u++] = want[i];
    assert_true(u > 0); /* the sample has tasks with regions and logs */
    assert_int_equal(f->st.ntask_g, u);
    for (size_t i = 0; i < u; i++) assert_true(f->st.task_g[i] == want[i]);
    free(want);
    close_sample(f);
}

/* A task's goroutines include those that began and ended it, as in Go's
 * task summary: task 8 is begun by G1 and ended by G7, with nothing else. */
static void test_task_begin_end_goroutines(void **s)
{
    (void)s;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 0);
    evgen_go(&e, 0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
    evgen_go(&e, 0, 1, 1, -1, 7, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", 0, 0);
    evgen_task(&e, 100, TT_EV_TASK_BEGIN, 1, 8, 0, "elsewhere");
    evgen_task(&e, 300, TT_EV_TASK_END, 7, 8, 0, "elsewhere");
    evgen_sync(&e, 1000);
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->m = evgen_finish(&e);
    assert_non_null(f->m);
    assert_int_equal(ui_init(&f->st, f->m, "synthetic", 20, 120, 1), 0);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    assert_true(screen_has(f, "G1 G7"));
    close_sample(f);
    evgen_free(&e);
}

/* The panel's episode rows keep their "at" and "for" columns in line when
 * a reason is longer than 16 characters. */
static void test_panel_reason_column(void **s)
{
    (void)s;
    evgen e;
    evgen_init(&e);
    uint32_t st = evgen_stack(&e, "main.main", NULL);
    evgen_sync(&e, 0);
    evgen_go(&e, 0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, "", st, st);
    evgen_go(&e, 100, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "system goroutine wait", st, st);
    evgen_go(&e, 300, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, "", 0, 0);
    evgen_go(&e, 310, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, "", 0, 0);
    evgen_go(&e, 400, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "select", st, st);
    evgen_sync(&e, 1000);
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->m = evgen_finish(&e);
    assert_non_null(f->m);
    assert_int_equal(ui_init(&f->st, f->m, "synthetic", 40, 120, 1), 0);
    ui_open_panel(&f->st, model_goroutine_find(f->m, 1));
    render(f);
    int at_long = -1, at_short = -1;
    for (int r = 0; r < 40; r++) {
        const char *t = row_text(f, r), *a = strstr(t, " at ");
        if (!a) continue;
        if (strstr(t, "system goroutine wait")) at_long = (int)(a - strstr(t, "system"));
        else if (strstr(t, "select ")) at_short = (int)(a - strstr(t, "select"));
    }
    assert_true(at_long > 0);
    assert_int_equal(at_long, at_short);
    close_sample(f);
    evgen_free(&e);
}

/* A hostile trace whose views reach past the int64 range (found by fuzz
 * campaign F, session 5: the time axis's tick loop overflowed in gotv
 * --bench, UBSan): the bench's key sequence, rendered at every step, keeps
 * a well-formed frame (the sanitizer build of this test halts on overflow). */
static void test_huge_times_axis(void **s)
{
    (void)s;
    fx *f = open_path("tests/data/fuzz/tui-logs-300-huge-dt.trace", 60, 200, 1);
    assert_non_null(f);
    static const enum ui_cmd seq[] = {CMD_ZOOM_IN, CMD_SCROLL_RIGHT, CMD_LANE_DOWN, CMD_ZOOM_IN, CMD_NEXT_TRANS,
                                      CMD_SCROLL_LEFT, CMD_PAGE_DOWN, CMD_ZOOM_OUT, CMD_LANE_UP, CMD_OPEN,
                                      CMD_LANE_DOWN, CMD_CLOSE, CMD_FIT_ALL, CMD_PAGE_UP, CMD_NEXT_BLOCK};
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
            ui_dispatch(&f->st, seq[i]);
            render(f);
            check_frame_shape(&f->st.grid);
        }
    close_sample(f);
}

static void test_help_from_keymap(void **s)
{
    (void)s;
    fx *f = open_sample("deadlock.trace", 60, 120, 1);
    assert_non_null(f);
    ui_dispatch(&f->st, CMD_HELP);
    assert_true(screen_has(f, "h Left"));
    assert_true(screen_has(f, "show all keys"));
    assert_true(screen_has(f, "Glyphs:"));
    ui_dispatch(&f->st, CMD_BACK);
    assert_false(f->st.help_open);
    close_sample(f);
}

static void test_mouse(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 35, 120, 1);
    assert_non_null(f);
    render(f);
    double npc = f->st.vp.ns_per_col;
    ui_mouse(&f->st, 4, 1, 10, 60); /* wheel up */
    assert_true(f->st.vp.ns_per_col < npc);
    ui_mouse(&f->st, 5, 1, 10, 60);
    assert_true(f->st.vp.ns_per_col == npc);
    /* click on the row of G9 */
    uint32_t li = f->st.g_lane[model_goroutine_find(f->m, 9)];
    int row = 2;
    for (uint32_t i = f->st.lane_top; i < li; i++) row += f->st.lanes[i].height;
    ui_mouse(&f->st, 1, 1, row, 50);
    assert_int_equal(f->st.sel_lane, li);
    assert_int_equal(f->st.cursor, tl_col_time(&f->st.vp, 50 - f->st.label_w));
    /* click on the axis row moves the cursor only */
    ui_mouse(&f->st, 1, 1, 1, 70);
    assert_int_equal(f->st.cursor, tl_col_time(&f->st.vp, 70 - f->st.label_w));
    assert_int_equal(f->st.sel_lane, li);
    close_sample(f);
}

static void test_prompt_and_yank_roundtrip(void **s)
{
    (void)s;
    fx *f = open_sample("workerpool.trace", 35, 120, 1);
    assert_non_null(f);
    uik_line(&f->st, CMD_PROMPT, "t 123.5ms");
    assert_int_equal(f->st.cursor - f->st.info->t_start, 123500000);
    ui_dispatch(&f->st, CMD_ZOOM_IN);
    ui_dispatch(&f->st, CMD_ZOOM_IN);
    ui_dispatch(&f->st, CMD_SCROLL_RIGHT);
    ui_dispatch(&f->st, CMD_OPEN);
    ui_dispatch(&f->st, CMD_YANK);
    assert_true(f->st.yank_pending);
    assert_non_null(strstr(f->st.yank, "gotv --at "));
    /* parse the command line back into view options and compare */
    char line[1200];
    snprintf(line, sizeof line, "%s", f->st.yank);
    char *argv[16];
    int argc = 0;
    for (char *t = strtok(line, " "); t && argc < 16; t = strtok(NULL, " ")) argv[argc++] = t;
    ui_view_opts o = {0};
    char err[128];
    for (int i = 1; i < argc - 1;) {
        int r = ui_parse_view_opt(&o, argc, argv, i, err, sizeof err);
        assert_true(r > 0);
        i += r;
    }
    fx *g = open_sample("workerpool.trace", 35, 120, 1);
    assert_int_equal(ui_apply_opts(&g->st, &o, err, sizeof err), 0);
    assert_int_equal(g->st.vp.t0, f->st.vp.t0);
    assert_true(tl_span(&g->st.vp) == tl_span(&f->st.vp));
    assert_true(g->st.panel_open && g->st.panel_g == f->st.panel_g);
    g->st.cursor = f->st.cursor; /* the cursor is not part of the command line */
    char *a = frame(f), *b = frame(g);
    /* same picture (the status line differs: f shows the yanked command) */
    char *ea = strrchr(a, '\n'), *eb = strrchr(b, '\n');
    *ea = 0, *eb = 0;
    ea = strrchr(a, '\n'), eb = strrchr(b, '\n');
    *ea = 0, *eb = 0;
    assert_string_equal(a, b);
    free(a);
    free(b);
    close_sample(g);
    close_sample(f);
}

static void test_hostile_strings_escaped(void **s)
{
    (void)s;
    fx *f = open_sample("hostile.trace", 40, 160, 1);
    assert_non_null(f);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    char *t = frame(f);
    check_frame_shape(&f->st.grid);
    assert_non_null(strstr(t, "\\x1b"));
    assert_null(strchr(t, 0x1b));
    free(t);
    /* the status line names the log under the cursor, escaped */
    int logs_seen = 0;
    f->st.view = VIEW_TIMELINE;
    for (uint32_t i = 0; i < f->st.nlanes; i++) {
        if (f->st.lanes[i].kind != LK_G) continue;
        const model_log *lg;
        if (!model_goroutine_logs(f->m, f->st.lanes[i].idx, &lg)) continue;
        f->st.sel_lane = i;
        f->st.cursor = lg[0].time;
        f->st.msg[0] = 0;
        ui_render(&f->st);
        check_frame_shape(&f->st.grid);
        const char *st_line = row_text(f, f->st.grid.rows - 1);
        if (strstr(st_line, "| log ")) logs_seen++;
        if (getenv("GOTV_PRINT_FRAMES")) printf("STATUS %s\n", st_line);
    }
    assert_true(logs_seen > 0);
    /* every goroutine panel of the hostile trace stays well-formed */
    ui_dispatch(&f->st, CMD_NEXT_VIEW);
    for (uint32_t i = 0; i < f->st.nlanes; i++) {
        if (f->st.lanes[i].kind != LK_G) continue;
        ui_open_panel(&f->st, f->st.lanes[i].idx);
        for (int e = 0; e < 5; e++) {
            ui_panel_cmd(&f->st, CMD_LANE_DOWN);
            ui_render(&f->st);
            check_frame_shape(&f->st.grid);
        }
    }
    close_sample(f);
}

static void test_resize(void **s)
{
    (void)s;
    fx *f = open_sample("stress.trace", 60, 200, 1);
    assert_non_null(f);
    ui_dispatch(&f->st, CMD_LANE_LAST);
    ui_resize(&f->st, 24, 80);
    ui_render(&f->st);
    check_frame_shape(&f->st.grid);
    assert_int_equal(f->st.vp.cols, 80 - f->st.label_w);
    /* the selected lane stays visible */
    int lt, lr, pt, pr, row = lt = 2;
    ui_layout(&f->st, &lt, &lr, &pt, &pr);
    row = lt;
    for (uint32_t i = f->st.lane_top; i < f->st.sel_lane; i++) row += f->st.lanes[i].height;
    assert_true(row < lt + lr);
    ui_resize(&f->st, 5, 30);
    ui_render(&f->st);
    check_frame_shape(&f->st.grid);
    /* the whole trace stays fitted across resizes */
    ui_dispatch(&f->st, CMD_FIT_ALL);
    ui_resize(&f->st, 40, 150);
    assert_int_equal(f->st.vp.t0, f->st.info->t_start);
    assert_true(f->st.vp.t0 + tl_span(&f->st.vp) >= f->st.info->t_end - 1);
    close_sample(f);
}

/* ui_skip_after (region ends, interleaved with starts, and log times: a
 * sorted run at some offset of a bigger array, searched through every 64th
 * key) against a plain scan. */
static void test_skip_after(void **s)
{
    (void)s;
    uint64_t x = 2463534242ull;
    static int64_t v[1200], sk[1200 / 64 + 1], w[2400];
    for (int rep = 0; rep < 60; rep++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t total = 1 + (uint32_t)(x % 1200), off = (uint32_t)(x >> 20) % total, n = total - off;
        int64_t t = -(int64_t)(x % 500);
        for (uint32_t i = 0; i < total; i++) {
            if (i == off) t = -(int64_t)(x % 700); /* a new run starts at off */
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if (x % 4 == 0) t += (int64_t)(x >> 50);
            v[i] = t;
        }
        if (rep == 0) v[total - 1] = INT64_MAX;
        for (uint32_t i = 0; i < total; i += 64) sk[i / 64] = v[i];
        for (uint32_t i = 0; i < total; i++) w[2 * i] = INT64_MIN + i, w[2 * i + 1] = v[i]; /* as pairs */
        for (uint32_t q = 0; q <= n; q++)
            for (int d = -1; d <= 1; d++) {
                int64_t tq = q < n ? v[off + q] : INT64_MAX;
                if (q < n && !(d > 0 && tq == INT64_MAX)) tq += d;
                uint32_t r = 0;
                while (r < n && v[off + r] <= tq) r++;
                uint32_t los[4] = {0, r / 2, r > 0 ? r - 1 : 0, r};
                for (int k = 0; k < 4; k++) {
                    assert_int_equal(ui_skip_after(v, 1, sk, off, los[k], n, tq), r);
                    assert_int_equal(ui_skip_after(v, 1, NULL, off, los[k], n, tq), r);
                    assert_int_equal(ui_skip_after(w + 1, 2, sk, off, los[k], n, tq), r);
                    assert_int_equal(ui_skip_after(w + 1, 2, NULL, off, los[k], n, tq), r);
                }
            }
    }
}

static void test_groups_fold(void **s)
{
    (void)s;
    fx *f = open_sample("stress.trace", 40, 120, 1);
    assert_non_null(f);
    /* a big group starts folded: its header stands for all its members */
    uint32_t hdr = UINT32_MAX;
    for (uint32_t i = 0; i < f->st.nlanes; i++)
        if (f->st.lanes[i].kind == LK_GROUP && f->st.lanes[i].count > 50) hdr = i;
    assert_true(hdr != UINT32_MAX);
    uint32_t cnt = f->st.lanes[hdr].count, first = f->st.lanes[hdr].idx;
    assert_int_equal(f->st.g_lane[first], hdr);
    assert_true(screen_has(f, "\xe2\x96\xb8 ["));
    uint32_t n0 = f->st.nlanes;
    f->st.sel_lane = hdr;
    /* the status line names the selected group, not "plot" */
    render(f);
    char want[64];
    snprintf(want, sizeof want, ": %u goroutines", cnt);
    assert_true(screen_has(f, "group "));
    assert_true(screen_has(f, want));
    ui_dispatch(&f->st, CMD_OPEN); /* unfold */
    assert_int_equal(f->st.nlanes, n0 + cnt);
    assert_int_equal(f->st.lanes[f->st.sel_lane].kind, LK_GROUP);
    ui_dispatch(&f->st, CMD_OPEN); /* fold again */
    assert_int_equal(f->st.nlanes, n0);
    /* jumping to a member unfolds its group */
    const model_goroutine *g = model_goroutine_get(f->m, first);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "g %lld", (long long)g->id);
    uik_line(&f->st, CMD_PROMPT, cmd);
    assert_int_equal(f->st.lanes[f->st.sel_lane].kind, LK_G);
    assert_int_equal(f->st.lanes[f->st.sel_lane].idx, first);
    assert_int_equal(f->st.nlanes, n0 + cnt);
    render(f);
    check_frame_shape(&f->st.grid);
    close_sample(f);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_workerpool),
        cmocka_unit_test(test_golden_deadlock_panel),
        cmocka_unit_test(test_all_samples_shape),
        cmocka_unit_test(test_zoom_scroll_fit),
        cmocka_unit_test(test_lanes_and_labels),
        cmocka_unit_test(test_strip_name_over_logs),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_panel_and_unblocker),
        cmocka_unit_test(test_transitions_and_blocks),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_task_goroutine_index),
        cmocka_unit_test(test_task_begin_end_goroutines),
        cmocka_unit_test(test_panel_reason_column),
        cmocka_unit_test(test_huge_times_axis),
        cmocka_unit_test(test_help_from_keymap),
        cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_prompt_and_yank_roundtrip),
        cmocka_unit_test(test_hostile_strings_escaped),
        cmocka_unit_test(test_resize),
        cmocka_unit_test(test_groups_fold),
        cmocka_unit_test(test_skip_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The explorer's plot lanes (heap, goroutines running / runnable / waiting):
 * one row of block glyphs per plot, the largest value in each column, and
 * the label with the value at the cursor.
 */
#include "tui/ui.h"
#include "tui/ui_int.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fmt_bytes(uint64_t v, char *b, size_t n)
{
    if (v < 1024) snprintf(b, n, "%lluB", (unsigned long long)v);
    else if (v < 1024 * 1024) snprintf(b, n, "%.1fKiB", v / 1024.0);
    else if (v < 1024ull * 1024 * 1024) snprintf(b, n, "%.1fMiB", v / 1048576.0);
    else snprintf(b, n, "%.2fGiB", v / 1073741824.0);
}

static const model_series_kind plot_series[PLOT__COUNT] = {MSER_HEAP_ALLOC, MSER_G_RUNNING,
                                                          MSER_G_RUNNABLE, MSER_G_WAITING};

void ui_draw_plot(ui_state *st, const ui_lane *l, int row)
{
    ui_grid *g = &st->grid;
    if (!(st->plot_ready & (1u << l->idx))) {
        ui_text(g, row, st->label_w, st->vp.cols, "computing...", UI_S_DIM);
        return;
    }
    model_series_kind k = plot_series[l->idx];
    uint64_t mx = st->plot_max[l->idx];
    static const char ascii_lv[] = " ._-~=+*#";
    int x0 = st->label_w;
    int cols = st->vp.cols > 4096 ? 4096 : st->vp.cols;
    int fresh;
    uint8_t *lvl = ui_cc_get(st, ((uint64_t)0x100 << 32) | l->idx, cols, &fresh);
    if (!lvl) {
        lvl = st->colbuf;
        fresh = 1;
    }
    /* columns left to right, each the largest value the series holds in it
     * (exact: the model answers from its block maxima); the cursor carries
     * each search on from where the last one ended. After a scroll, a column
     * whose two edges a kept viewport has too (the same column: the same
     * level) is copied from there. */
    model_series_cursor cur = {0};
    int64_t ot0 = 0;
    const uint8_t *old = fresh && lvl != st->colbuf ? ui_cc_shifted(st, ((uint64_t)0x100 << 32) | l->idx, cols, &ot0) : NULL;
    tl_viewport ov = st->vp;
    ov.t0 = ot0;
    int64_t sh = old ? (int64_t)llround(((double)st->vp.t0 - (double)ot0) / st->vp.ns_per_col) : 0;
    for (int c = 0; fresh && c < cols; c++) {
        int64_t a = tl_col_time(&st->vp, c), b = tl_col_time(&st->vp, c + 1);
        int64_t y = c + sh;
        if (old && y >= 0 && y < cols && tl_col_time(&ov, (int)y) == a && tl_col_time(&ov, (int)y + 1) == b) {
            lvl[c] = old[y];
            continue;
        }
        lvl[c] = 0;
        if (a >= st->info->t_end) continue;
        uint64_t v = model_series_max_in(st->m, k, a, b, &cur);
        int lv = mx ? (int)((v * 8 + mx - 1) / mx) : 0;
        lvl[c] = (uint8_t)(lv > 8 ? 8 : lv);
    }
    for (int c = 0; c < cols; c++) {
        int lv = lvl[c];
        if (lv == 0) continue;
        uint32_t cp = st->utf8 ? 0x2580 + (uint32_t)lv : (uint32_t)ascii_lv[lv];
        ui_put(g, row, x0 + c, cp, UI_S_PLOT);
    }
}

void ui_plot_label(ui_state *st, const ui_lane *l, char *b, size_t n)
{
    static const char *pnames[PLOT__COUNT] = {"heap", "G running", "G runnable", "G waiting"};
    if (!(st->plot_ready & (1u << l->idx))) {
        snprintf(b, n, "%s", pnames[l->idx]);
        return;
    }
    uint64_t v = model_series_at(st->m, plot_series[l->idx], st->cursor);
    char vb[32];
    static const char *names[PLOT__COUNT] = {"heap", "G running", "G runnable", "G waiting"};
    if (l->idx == PLOT_HEAP) fmt_bytes(v, vb, sizeof vb);
    else snprintf(vb, sizeof vb, "%llu", (unsigned long long)v);
    snprintf(b, n, "%s %s", names[l->idx], vb);
}

/* Maximum of a plot's series (the model computes goroutine counts lazily,
 * which takes seconds on traces with millions of events). */
void ui_compute_plot(ui_state *st, int p)
{
    st->plot_max[p] = model_series_max(st->m, plot_series[p]);
    st->plot_ready |= 1u << p;
}

void ui_compute_plots(ui_state *st)
{
    for (int p = 0; p < PLOT__COUNT; p++)
        if (!(st->plot_ready & (1u << p))) ui_compute_plot(st, p);
}

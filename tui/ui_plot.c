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

#define PLOT_KEY(p) (((uint64_t)0x100 << 32) | (uint64_t)(p))

static uint8_t plot_level(uint64_t v, uint64_t mx)
{
    int lv = mx ? (int)((v * 8 + mx - 1) / mx) : 0;
    return (uint8_t)(lv > 8 ? 8 : lv);
}

/* The levels of plot p's columns into lvl (fresh cells; cached: not
 * st->colbuf), each the largest value the series holds in the column
 * (exact: the model answers from its block maxima). A goroutine count's
 * plot also fills the other counts' plots this viewport has no cells of
 * yet: the model reads the three from one stream in one pass
 * (model_series_max_cols), so the next two plot rows cost nothing. After a
 * scroll, a column whose two edges a kept viewport has too (the same
 * column: the same level) is copied from there; the model is asked only
 * for the other columns, in runs. */
static void plot_levels(ui_state *st, int p, uint8_t *lvl, int cached, int cols)
{
    uint8_t *dst[PLOT__COUNT] = {NULL};
    const uint8_t *old[PLOT__COUNT] = {NULL};
    int64_t sh[PLOT__COUNT] = {0};
    tl_viewport ov[PLOT__COUNT];
    dst[p] = lvl;
    if (cached && p != PLOT_HEAP)
        for (int q = PLOT_GRUN; q <= PLOT_GWAIT; q++) {
            int f;
            uint8_t *b;
            if (q != p && (st->plot_ready & (1u << q)) && (b = ui_cc_get(st, PLOT_KEY(q), cols, &f)) && f) dst[q] = b;
        }
    model_series_kind ks[PLOT__COUNT];
    int kq[PLOT__COUNT], nk = 0;
    for (int q = 0; q < PLOT__COUNT; q++) {
        if (!dst[q]) continue;
        ks[nk] = plot_series[q];
        kq[nk++] = q;
        int64_t ot0 = 0;
        old[q] = cached ? ui_cc_shifted(st, PLOT_KEY(q), cols, &ot0) : NULL;
        ov[q] = st->vp;
        ov[q].t0 = ot0;
        sh[q] = old[q] ? (int64_t)llround(((double)st->vp.t0 - (double)ot0) / st->vp.ns_per_col) : 0;
    }
    int64_t e[4097];
    for (int c = 0; c <= cols; c++) e[c] = tl_col_time(&st->vp, c);
    uint64_t *out = malloc(sizeof *out * (size_t)nk * (size_t)cols);
    model_series_cursor cur[PLOT__COUNT];
    memset(cur, 0, sizeof cur);
    uint8_t need[4096]; /* column c: to ask the model (else copied, or beyond the trace: level 0) */
    for (int c = 0; c < cols; c++) {
        need[c] = 0;
        for (int i = 0; i < nk; i++) {
            int q = kq[i];
            int64_t y = c + sh[q];
            dst[q][c] = 0;
            if (e[c] >= st->info->t_end) continue;
            if (old[q] && y >= 0 && y < cols && tl_col_time(&ov[q], (int)y) == e[c] &&
                tl_col_time(&ov[q], (int)y + 1) == e[c + 1])
                dst[q][c] = old[q][y];
            else
                need[c] = 1;
        }
    }
    for (int c = 0; c < cols;) {
        if (!need[c]) {
            c++;
            continue;
        }
        if (!out) { /* no memory for the batch: a search per column and plot */
            for (int i = 0; i < nk; i++)
                dst[kq[i]][c] = plot_level(model_series_max_in(st->m, ks[i], e[c], e[c + 1], &cur[kq[i]]), st->plot_max[kq[i]]);
            c++;
            continue;
        }
        int x = c++; /* a run [x, c) of columns to ask */
        while (c < cols && need[c]) c++;
        model_series_max_cols(st->m, ks, nk, e + x, (uint32_t)(c - x), out);
        for (int i = 0; i < nk; i++)
            for (int j = x; j < c; j++)
                dst[kq[i]][j] = plot_level(out[(size_t)i * (size_t)(c - x) + (size_t)(j - x)], st->plot_max[kq[i]]);
    }
    free(out);
}

void ui_draw_plot(ui_state *st, const ui_lane *l, int row)
{
    ui_grid *g = &st->grid;
    if (!(st->plot_ready & (1u << l->idx))) {
        ui_text(g, row, st->label_w, st->vp.cols, "computing...", UI_S_DIM);
        return;
    }
    static const char ascii_lv[] = " ._-~=+*#";
    int x0 = st->label_w;
    int cols = st->vp.cols > 4096 ? 4096 : st->vp.cols;
    int fresh;
    uint8_t *lvl = ui_cc_get(st, PLOT_KEY(l->idx), cols, &fresh);
    int cached = lvl != NULL;
    if (!lvl) {
        lvl = st->colbuf;
        fresh = 1;
    }
    if (fresh) plot_levels(st, (int)l->idx, lvl, cached, cols);
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

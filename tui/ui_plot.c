/*
 * The explorer's plot lanes (heap, goroutines running / runnable / waiting):
 * one row of block glyphs per plot, the largest value in each column, and
 * the label with the value at the cursor.
 */
#include "tui/ui.h"
#include "tui/ui_int.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per plot: the maximum value of each block of 64 points and of 4096, and
 * the time of the first point of each block of 64 (a compact index: a
 * column's search touches it instead of the points); built once per series. */
struct ui_plotcache {
    const model *m; /* the model they were built for */
    const model_point *pbase[PLOT__COUNT];
    uint32_t pn[PLOT__COUNT];
    uint64_t *pmax64[PLOT__COUNT], *pmax4k[PLOT__COUNT];
    int64_t *pt64[PLOT__COUNT];
};

static void fmt_bytes(uint64_t v, char *b, size_t n)
{
    if (v < 1024) snprintf(b, n, "%lluB", (unsigned long long)v);
    else if (v < 1024 * 1024) snprintf(b, n, "%.1fKiB", v / 1024.0);
    else if (v < 1024ull * 1024 * 1024) snprintf(b, n, "%.1fMiB", v / 1048576.0);
    else snprintf(b, n, "%.2fGiB", v / 1073741824.0);
}

void ui_plot_free(ui_state *st)
{
    struct ui_plotcache *c = st->pc;
    if (!c) return;
    for (int k = 0; k < PLOT__COUNT; k++) {
        free(c->pmax64[k]);
        free(c->pmax4k[k]);
        free(c->pt64[k]);
    }
    free(c);
    st->pc = NULL;
}

static uint64_t series_at(const model_point *p, uint32_t n, int64_t t, uint32_t *hint)
{
    /* last point with p.t <= t */
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (p[mid].t <= t) lo = mid + 1;
        else hi = mid;
    }
    if (hint) *hint = lo;
    return lo ? p[lo - 1].v : 0;
}

/* series_at searching forward from index from (every point before it has
 * p.t <= t): galloping, for a sweep over the columns. */
static uint64_t series_from(const model_point *p, uint32_t n, uint32_t from, int64_t t, uint32_t *idx)
{
    uint32_t lo = from;
    if (lo < n && p[lo].t <= t) {
        lo++;
        uint32_t hi = lo, step = 1;
        while (hi < n && p[hi].t <= t) {
            lo = hi + 1;
            hi = n - lo > step ? lo + step : n;
            step <<= 1;
        }
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (p[mid].t <= t) lo = mid + 1;
            else hi = mid;
        }
    }
    *idx = lo;
    return lo ? p[lo - 1].v : 0;
}

/* The first index k in [from, n) with p[k].t > t (n if none), for points
 * sorted by time, given t64[b] = p[64 b].t: a search over the block times,
 * then inside one block of 64 points. The same as series_from's index
 * (exported for the tests). */
uint32_t ui_points_after(const model_point *p, uint32_t n, const int64_t *t64, uint32_t from, int64_t t)
{
    if (from >= n || p[from].t > t) return from;
    return ui_skip_after(&p->t, sizeof *p / sizeof p->t, t64, 0, from, n, t);
}

static const model_series_kind plot_series[PLOT__COUNT] = {MSER_HEAP_ALLOC, MSER_G_RUNNING,
                                                          MSER_G_RUNNABLE, MSER_G_WAITING};

/* Block maxima of plot k's series p[0..n) (built once per model); 0 when
 * memory is short. */
static int plot_blocks(ui_state *st, int k, const model_point *p, uint32_t n, const uint64_t **m64,
                       const uint64_t **m4k, const int64_t **t64)
{
    struct ui_plotcache *c = st->pc;
    if (!c && !(c = st->pc = calloc(1, sizeof *c))) return 0;
    if (c->m != st->m) { /* a new model: rebuild every plot's blocks */
        for (int i = 0; i < PLOT__COUNT; i++) c->pn[i] = 0, c->pbase[i] = NULL;
        c->m = st->m;
    }
    if (!c->pmax64[k] || c->pbase[k] != p || c->pn[k] != n) {
        free(c->pmax64[k]);
        free(c->pmax4k[k]);
        free(c->pt64[k]);
        uint32_t n64 = n / 64 + 1, n4k = n / 4096 + 1;
        c->pmax64[k] = calloc(n64, sizeof *c->pmax64[k]);
        c->pmax4k[k] = calloc(n4k, sizeof *c->pmax4k[k]);
        c->pt64[k] = malloc(n64 * sizeof *c->pt64[k]);
        if (!c->pmax64[k] || !c->pmax4k[k] || !c->pt64[k]) {
            free(c->pmax64[k]);
            free(c->pmax4k[k]);
            free(c->pt64[k]);
            c->pmax64[k] = c->pmax4k[k] = NULL;
            c->pt64[k] = NULL;
            return 0;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (p[i].v > c->pmax64[k][i / 64]) c->pmax64[k][i / 64] = p[i].v;
            if (p[i].v > c->pmax4k[k][i / 4096]) c->pmax4k[k][i / 4096] = p[i].v;
            if (i % 64 == 0) c->pt64[k][i / 64] = p[i].t;
        }
        c->pbase[k] = p;
        c->pn[k] = n;
    }
    *m64 = c->pmax64[k];
    *m4k = c->pmax4k[k];
    *t64 = c->pt64[k];
    return 1;
}

/* The largest value of p[i..j), from the block maxima. */
static uint64_t points_max(const model_point *p, uint32_t i, uint32_t j, const uint64_t *m64, const uint64_t *m4k)
{
    uint64_t v = 0;
    for (; i < j && i % 64; i++)
        if (p[i].v > v) v = p[i].v;
    for (; j - i >= 64 && i % 4096; i += 64)
        if (m64[i / 64] > v) v = m64[i / 64];
    for (; j - i >= 4096; i += 4096)
        if (m4k[i / 4096] > v) v = m4k[i / 4096];
    for (; j - i >= 64; i += 64)
        if (m64[i / 64] > v) v = m64[i / 64];
    for (; i < j; i++)
        if (p[i].v > v) v = p[i].v;
    return v;
}

void ui_draw_plot(ui_state *st, const ui_lane *l, int row)
{
    ui_grid *g = &st->grid;
    if (!(st->plot_ready & (1u << l->idx))) {
        ui_text(g, row, st->label_w, st->vp.cols, "computing...", UI_S_DIM);
        return;
    }
    const model_point *p;
    uint32_t n = model_series(st->m, plot_series[l->idx], &p);
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
    /* columns left to right: each search starts where the last one ended
     * (jprev: the first point after the previous column's last ns) */
    uint32_t jprev = 0;
    const uint64_t *m64 = NULL, *m4k = NULL;
    const int64_t *t64 = NULL;
    int blocks = fresh && plot_blocks(st, (int)l->idx, p, n, &m64, &m4k, &t64);
    if (fresh && cols > 0) series_at(p, n, tl_col_time(&st->vp, 0) - 1, &jprev);
    for (int c = 0; fresh && c < cols; c++) {
        int64_t a = tl_col_time(&st->vp, c), b = tl_col_time(&st->vp, c + 1);
        lvl[c] = 0;
        uint32_t i, j;
        uint64_t v;
        if (blocks) {
            /* the same, searching the block times first */
            i = ui_points_after(p, n, t64, jprev, a);
            j = ui_points_after(p, n, t64, b - 1 >= a ? i : jprev, b - 1);
            v = i ? p[i - 1].v : 0;
        } else {
            v = series_from(p, n, jprev, a, &i);
            series_from(p, n, jprev, b - 1, &j);
        }
        jprev = j; /* points i..j-1 fall in this column */
        if (a >= st->info->t_end) continue;
        if (blocks && j > i) {
            /* the largest value in the column: exact, from the block maxima */
            uint64_t w = points_max(p, i, j, m64, m4k);
            if (w > v) v = w;
        } else {
            /* (no memory for the blocks: sample at most 64 points) */
            uint32_t stride = j > i ? (j - i) / 64 + 1 : 1;
            for (; i < j; i += stride)
                if (p[i].v > v) v = p[i].v;
            if (j > 0 && j - 1 >= i - stride && p[j - 1].v > v) v = p[j - 1].v;
        }
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
    const model_point *p;
    uint32_t np = model_series(st->m, plot_series[l->idx], &p);
    uint64_t v = series_at(p, np, st->cursor, NULL);
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
    const model_point *pts;
    uint32_t n = model_series(st->m, plot_series[p], &pts);
    st->plot_max[p] = 0;
    for (uint32_t i = 0; i < n; i++)
        if (pts[i].v > st->plot_max[p]) st->plot_max[p] = pts[i].v;
    st->plot_ready |= 1u << p;
}

void ui_compute_plots(ui_state *st)
{
    for (int p = 0; p < PLOT__COUNT; p++)
        if (!(st->plot_ready & (1u << p))) ui_compute_plot(st, p);
}

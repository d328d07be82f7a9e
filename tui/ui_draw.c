/*
 * Drawing of the explorer frame into the cell grid: title bar, time axis,
 * lanes (goroutines, Ps, Ms, GC, plots, region strips, log markers), status
 * line, help and the loading screen. Every state has a glyph of its own so
 * the frame reads without colour (and in snapshots).
 */
#include "tui/ui.h"
#include "tui/ui_int.h"
#include "tui/ui_strip.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint32_t glyph_utf8[MS__COUNT] = {
    ' ',    /* none */
    0x2588, /* running: full block */
    0x2592, /* runnable: medium shade */
    0x2500, /* waiting: thin line */
    0x2584, /* syscall: lower half block */
    0x2582, /* syscall, P lost: lower quarter */
    0x00b7, /* idle: middle dot */
    0x2593, /* GC: dark shade */
    0x25a0, /* STW: black square */
    0x259a, /* mixed */
};
static const char glyph_ascii[MS__COUNT + 1] = " #+-sS.g!%";

static const uint16_t state_style[MS__COUNT] = {
    UI_S_NONE, UI_S_RUNNING, UI_S_RUNNABLE, UI_S_WAITING, UI_S_SYSCALL, UI_S_SYSCALL_BLOCKED,
    UI_S_IDLE, UI_S_GC,      UI_S_STW,      UI_S_MIXED,
};

uint16_t ui_state_style(int s)
{
    return (unsigned)s < MS__COUNT ? state_style[s] : UI_S_NORMAL;
}

uint32_t ui_state_glyph(const ui_state *st, int s)
{
    if ((unsigned)s >= MS__COUNT) s = MS_MIXED;
    return st->utf8 ? glyph_utf8[s] : (uint32_t)glyph_ascii[s];
}

/* ---- per-lane column cache ------------------------------------------------------
 * The dominant state per column of a lane depends only on the viewport, so
 * keys that do not move or zoom the view (j/k, Enter, the cursor, the panel)
 * redraw from the cache without asking the model again. The cache keeps the
 * last CC_GENS viewports (generations): going back to one of them (fit all
 * again, zoom out after zooming in, history) redraws from it, and a scroll
 * takes the lane columns whose edges did not change from the generation it
 * scrolled from (lane_cols), computing only the columns it brings in. */

#define CC_SLOTS 1024
#define CC_GENS 8

typedef struct cc_slot {
    uint64_t key; /* kind << 32 | idx, +1 (0 = empty) */
    uint8_t *cells;
} cc_slot;

/* The cached rows and columns of one viewport. */
typedef struct cc_gen {
    int valid;
    int64_t t0;
    double npc;
    int cols;
    uint64_t stamp;  /* last use (the least recent one goes first) */
    uint32_t used;
    int64_t *edges;  /* cols + 1 column edges (model_column_edges), or NULL */
    cc_slot slot[CC_SLOTS];
} cc_gen;

/* Regions of one goroutine by nesting depth (the strips drawn under its
 * lane): indexes into its model_goroutine_regions array, each depth in start
 * order. Kept across viewport changes; built once per goroutine. When every
 * region of the goroutine has depth 0 (the usual case), there is no copy:
 * the strip is searched and drawn from the model's region records (ix and se
 * NULL), and the slot holds only the block keys sk and bme (16 bytes per 64
 * regions). */
#define RIX_SLOTS 256

/* The model's records searched in place: starts and ends at int64 steps. */
_Static_assert(sizeof(model_region) == 4 * sizeof(int64_t) && offsetof(model_region, start) == 0 &&
                   offsetof(model_region, end) == sizeof(int64_t),
               "region strips read model_region as int64 pairs 4 apart");
_Static_assert(sizeof(model_log) == 3 * sizeof(int64_t) && offsetof(model_log, time) == 0,
               "log markers read model_log times 3 int64 apart");
#define RIX_DIRECT_STEP 4u /* int64s from one model_region's start to the next */
#define LIX_STEP 3u        /* int64s from one model_log's time to the next */
/* Block keys every 1 << RIX_SKL copied regions, every 1 << RIX_DIRECT_SKL
 * regions searched in place and every 1 << LIX_SKL logs: the records are
 * 2 to 4 times wider than the copies, so their blocks are 4 times shorter
 * (a search inside one touches at most 8 cache lines, as with the copies). */
#define RIX_SKL 6u
#define RNG_SKL 4u
#define RIX_DIRECT_SKL 4u
#define LIX_SKL 4u

typedef struct rix_slot {
    uint32_t g1;              /* goroutine idx + 1 (0 = empty) */
    const model_region *base; /* the regions it indexes (checked on use) */
    uint32_t nr;
    uint32_t *ix;             /* depth 0's indexes, then depth 1's, ... (NULL:
                               * every region has depth 0, searched in place) */
    int64_t *se;              /* their starts and ends, interleaved (start k at
                               * 2 k, end at 2 k + 1): searched and drawn
                               * without touching the regions (NULL with ix) */
    int64_t *sk;              /* sk[b] = the end of depth-ordered region b << skl:
                               * searched before se (or the records) */
    unsigned skl;             /* RIX_SKL, or RIX_DIRECT_SKL in place */
    int64_t *bme;             /* bme[b]: the latest end of the regions 64 b ..
                               * 64 b + 63 (every depth, in the goroutine's
                               * order): the status line's region search */
    uint32_t n[UI_MAX_STRIPS];
    uint8_t sorted[UI_MAX_STRIPS]; /* depth d's ends ascend (strip_afters may answer) */
} rix_slot;

/* The block keys of one goroutine's log times (searched per column in the
 * model's log records, LIX_STEP int64s apart). */
typedef struct lix_slot {
    uint32_t g1;           /* goroutine idx + 1 (0 = empty) */
    const model_log *base; /* the logs (checked on use) */
    uint32_t n;
    int64_t *sk; /* sk[b] = the time of log b << LIX_SKL: searched before the logs */
    int sorted;  /* t ascends (strip_afters may answer) */
} lix_slot;

struct ui_colcache {
    const model *m; /* everything here belongs to this model */
    lix_slot lix[RIX_SLOTS];
    cc_gen gen[CC_GENS];
    int cur;        /* the generation of the current viewport, -1 none */
    uint64_t clock;
    rix_slot rix[RIX_SLOTS];
    /* GC lane, second row: per range kind (0 assists, 1 sweeps), the
     * latest end of the ranges (sorted by start) before each block of 64:
     * rmax[k][b] = max end of ranges [0, 64 b), b = 0 .. n / 64; then the
     * block keys of their starts, rmax[k][n / 64 + 1 + b] = the start of
     * range b << RNG_SKL */
    int64_t *rmax[2];
    const model_range *rbase[2];
    uint32_t nrmax[2];
};

static void rix_clear(struct ui_colcache *c)
{
    for (int i = 0; i < RIX_SLOTS; i++) {
        free(c->lix[i].sk);
        memset(&c->lix[i], 0, sizeof c->lix[i]);
    }
    for (int i = 0; i < RIX_SLOTS; i++) {
        free(c->rix[i].ix);
        free(c->rix[i].se);
        free(c->rix[i].sk);
        free(c->rix[i].bme);
        memset(&c->rix[i], 0, sizeof c->rix[i]);
    }
    for (int k = 0; k < 2; k++) {
        free(c->rmax[k]);
        c->rmax[k] = NULL;
        c->rbase[k] = NULL;
        c->nrmax[k] = 0;
    }
}

size_t ui_index_bytes(const ui_state *st)
{
    const struct ui_colcache *c = st->cc;
    if (!c) return 0;
    size_t b = 0;
    for (int i = 0; i < RIX_SLOTS; i++) {
        const rix_slot *x = &c->rix[i];
        if (x->ix) b += sizeof *x->ix * x->nr;
        if (x->se) b += sizeof *x->se * 2 * (size_t)x->nr;
        if (x->sk) b += sizeof *x->sk * (((size_t)x->nr >> x->skl) + 1);
        if (x->bme) b += sizeof *x->bme * ((size_t)x->nr / 64 + 1);
        if (c->lix[i].sk) b += sizeof *c->lix[i].sk * (((size_t)c->lix[i].n >> LIX_SKL) + 1);
    }
    for (int k = 0; k < 2; k++)
        if (c->rmax[k]) b += sizeof *c->rmax[k] * ((size_t)c->nrmax[k] / 64 + 1 + ((size_t)c->nrmax[k] >> RNG_SKL) + 1);
    return b;
}

void ui_colcache_free(ui_state *st)
{
    struct ui_colcache *c = st->cc;
    if (!c) return;
    for (int k = 0; k < CC_GENS; k++) {
        for (int i = 0; i < CC_SLOTS; i++) free(c->gen[k].slot[i].cells);
        free(c->gen[k].edges);
    }
    rix_clear(c);
    free(c);
    st->cc = NULL;
}

static void gen_clear(cc_gen *g)
{
    for (int i = 0; i < CC_SLOTS; i++) {
        free(g->slot[i].cells);
        g->slot[i].cells = NULL;
        g->slot[i].key = 0;
    }
    free(g->edges);
    g->edges = NULL;
    g->used = 0;
    g->valid = 0;
}

static void cc_clear(struct ui_colcache *c)
{
    for (int k = 0; k < CC_GENS; k++) gen_clear(&c->gen[k]);
    c->cur = -1;
}

/* The cache (allocated on first use; emptied when the model changed). */
static struct ui_colcache *cc_of(ui_state *st)
{
    struct ui_colcache *c = st->cc;
    if (!c) {
        c = st->cc = calloc(1, sizeof *c);
        if (!c) return NULL;
    }
    if (c->m != st->m) { /* a new model: nothing cached is valid */
        cc_clear(c);
        rix_clear(c);
        c->m = st->m;
    }
    return c;
}

/* The generation of viewport (t0, npc, cols): the current one, one kept
 * from before, or the least recently used one emptied for it. */
static cc_gen *cc_view(struct ui_colcache *c, int64_t t0, double npc, int cols)
{
    if (c->cur >= 0) {
        cc_gen *g = &c->gen[c->cur];
        if (g->valid && g->t0 == t0 && g->npc == npc && g->cols == cols) return g;
    }
    int victim = -1;
    for (int k = 0; k < CC_GENS; k++) {
        cc_gen *g = &c->gen[k];
        if (g->valid && g->t0 == t0 && g->npc == npc && g->cols == cols) {
            c->cur = k;
            g->stamp = ++c->clock;
            return g;
        }
        if (k != c->cur && (victim < 0 || !g->valid || (c->gen[victim].valid && g->stamp < c->gen[victim].stamp)))
            victim = k;
    }
    cc_gen *g = &c->gen[victim];
    gen_clear(g);
    g->valid = 1;
    g->t0 = t0;
    g->npc = npc;
    g->cols = cols;
    g->stamp = ++c->clock;
    c->cur = victim;
    return g;
}

static cc_slot *gen_find(cc_gen *g, uint64_t key)
{
    key++;
    uint32_t h = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 54) % CC_SLOTS;
    for (int probe = 0; probe < 16; probe++) {
        cc_slot *sl = &g->slot[(h + (uint32_t)probe) % CC_SLOTS];
        if (sl->key == key || sl->key == 0) return sl;
    }
    return NULL;
}

static void *cc_get_sized(ui_state *st, uint64_t key, int cols, size_t bytes, int *fresh)
{
    struct ui_colcache *c = cc_of(st);
    *fresh = 0;
    if (!c) return NULL;
    cc_gen *g = cc_view(c, st->vp.t0, st->vp.ns_per_col, cols);
    cc_slot *sl = gen_find(g, key);
    if (!sl) return NULL;
    if (sl->key) return sl->cells;
    if (g->used > CC_SLOTS * 3 / 4) return NULL;
    sl->cells = malloc(bytes);
    if (!sl->cells) return NULL;
    sl->key = key + 1;
    g->used++;
    *fresh = 1;
    return sl->cells;
}

/* The column edges of generation g (computed once), NULL when memory is short. */
static const int64_t *gen_edges(cc_gen *g)
{
    if (!g->edges) {
        g->edges = malloc(sizeof *g->edges * ((size_t)g->cols + 1));
        if (g->edges) model_column_edges(g->t0, g->npc, (uint32_t)g->cols, g->edges);
    }
    return g->edges;
}

/* A buffer of cols bytes for key in the current viewport. */
uint8_t *ui_cc_get(ui_state *st, uint64_t key, int cols, int *fresh)
{
    return cc_get_sized(st, key, cols, (size_t)cols, fresh);
}

/* The cells of key in the nearest other generation of the current one's
 * scale and width scrolled less than a screen away (*t0: its start), NULL
 * when there is none: a caller whose cells depend only on each column's two
 * edges copies the columns whose edges are the same there. */
const uint8_t *ui_cc_shifted(ui_state *st, uint64_t key, int cols, int64_t *t0)
{
    struct ui_colcache *c = st->cc;
    if (!c || c->cur < 0) return NULL;
    cc_gen *g = &c->gen[c->cur];
    if (g->cols != cols || !(g->npc > 0)) return NULL;
    const uint8_t *best = NULL;
    double bd = 0;
    for (int k = 0; k < CC_GENS; k++) {
        cc_gen *h = &c->gen[k];
        if (k == c->cur || !h->valid || h->npc != g->npc || h->cols != g->cols) continue;
        double sh = ((double)g->t0 - (double)h->t0) / g->npc;
        if (!(sh > -(double)cols && sh < (double)cols)) continue;
        const cc_slot *sl = gen_find(h, key);
        if (!sl || !sl->key) continue;
        double d = sh < 0 ? -sh : sh;
        if (!best || d < bd) best = sl->cells, bd = d, *t0 = h->t0;
    }
    return best;
}

/* Rows [row, row + nrows) of the lane area (the columns right of the
 * labels), drawn by draw(st, arg, row, nrows) when they are not cached for
 * this viewport, else copied from the cache. draw must write nothing else
 * and these cells must be blank before (they are: the grid is cleared). */
static void cached_rows(ui_state *st, uint64_t key, int row, int nrows, const void *arg,
                        void (*draw)(ui_state *, const void *, int, int))
{
    ui_grid *g = &st->grid;
    int x0 = st->label_w, cols = g->cols - x0;
    if (row + nrows > g->rows) nrows = g->rows - row;
    if (nrows <= 0 || cols <= 0 || row < 0) return;
    int fresh;
    /* (the same cols as lane_cols passes, or the two would empty the cache) */
    int kcols = st->vp.cols > 4096 ? 4096 : st->vp.cols;
    ui_cell *buf = cc_get_sized(st, key, kcols, sizeof *buf * (size_t)cols * (size_t)nrows, &fresh);
    if (!buf) {
        draw(st, arg, row, nrows);
        return;
    }
    for (int r = 0; r < nrows; r++) {
        ui_cell *line = ui_grid_at(g, row + r, x0);
        if (fresh) {
            if (r == 0) draw(st, arg, row, nrows);
            memcpy(buf + (size_t)r * (size_t)cols, line, sizeof *buf * (size_t)cols);
        } else {
            memcpy(line, buf + (size_t)r * (size_t)cols, sizeof *buf * (size_t)cols);
            g->dirty[row + r] = 1;
        }
    }
}

/* |x - y| + |u - v| as a non-negative int64, INT64_MAX when it overflows. */
static int64_t edge_moves(int64_t x, int64_t y, int64_t u, int64_t v)
{
    int64_t p, q, r;
    if (__builtin_sub_overflow(x, y, &p) || __builtin_sub_overflow(u, v, &q) || p == INT64_MIN || q == INT64_MIN)
        return INT64_MAX;
    if (__builtin_add_overflow(p < 0 ? -p : p, q < 0 ? -q : q, &r)) return INT64_MAX;
    return r;
}

/* Fill b (the fresh columns of key in the current generation, states then
 * leads: model_lane_columns_at_mg) from another generation of the same scale
 * scrolled less than a screen away: column c is copied when its two edges
 * are the same there (the same column, so the same answer), or when they
 * moved (rounding: the edges are rounded from the view's start) by da and db
 * ns with 2 (|da| + |db|) below the column's lead there (the same state, see
 * model_lane_columns_mg; the lead copied is then the old one less what the
 * moves can take); the others come from the model. Returns 0 when no
 * generation helps (the caller computes them all). */
static int lane_cols_shift(ui_state *st, uint64_t key, model_lane_kind mk, uint32_t idx, int cols, uint8_t *b)
{
    struct ui_colcache *c = st->cc;
    if (!c || c->cur < 0) return 0;
    cc_gen *g = &c->gen[c->cur];
    cc_gen *d = NULL;
    int64_t shift = 0;
    const cc_slot *dsl = NULL;
    for (int k = 0; k < CC_GENS; k++) {
        cc_gen *h = &c->gen[k];
        if (k == c->cur || !h->valid || h->npc != g->npc || h->cols != g->cols || !(g->npc > 0)) continue;
        double sh = ((double)g->t0 - (double)h->t0) / g->npc;
        if (!(sh > -(double)cols && sh < (double)cols)) continue;
        const cc_slot *sl = gen_find(h, key);
        if (!sl || !sl->key) continue;
        int64_t s = (int64_t)llround(sh);
        if (!d || (s < 0 ? -s : s) < (shift < 0 ? -shift : shift)) d = h, shift = s, dsl = sl;
    }
    if (!d) return 0;
    const int64_t *eg = gen_edges(g), *ed = gen_edges(d);
    if (!eg || !ed) return 0;
    uint8_t *mg = b + cols;
    const uint8_t *dmg = dsl->cells + cols;
    int x = 0;
    while (x < cols) {
        int64_t y = x + shift; /* the same column in d, if its edges match */
        if (y >= 0 && y < cols) {
            if (eg[x] == ed[y] && eg[x + 1] == ed[y + 1]) {
                b[x] = dsl->cells[y];
                mg[x] = dmg[y];
                x++;
                continue;
            }
            int64_t mv = eg[x + 1] > eg[x] ? edge_moves(eg[x], ed[y], eg[x + 1], ed[y + 1]) : INT64_MAX;
            if (mv < 128 && 2 * mv < dmg[y]) {
                b[x] = dsl->cells[y];
                mg[x] = (uint8_t)(dmg[y] - mv);
                x++;
                continue;
            }
        }
        int e = x + 1; /* a run of columns d does not have */
        for (; e < cols; e++) {
            int64_t z = e + shift;
            if (z < 0 || z >= cols) continue;
            if (eg[e] == ed[z] && eg[e + 1] == ed[z + 1]) break;
            int64_t mv = eg[e + 1] > eg[e] ? edge_moves(eg[e], ed[z], eg[e + 1], ed[z + 1]) : INT64_MAX;
            if (mv < 128 && 2 * mv < dmg[z]) break;
        }
        model_lane_columns_at_mg(st->m, mk, idx, eg + x, (uint32_t)(e - x), b + x, mg + x);
        x = e;
    }
    return 1;
}

/* Columns of a lane for the current viewport (cached with their leads). */
static const uint8_t *lane_cols(ui_state *st, model_lane_kind mk, uint32_t idx, int cols)
{
    int fresh;
    uint64_t key = ((uint64_t)mk << 32) | idx;
    uint8_t *b = cc_get_sized(st, key, cols, 2 * (size_t)cols, &fresh);
    if (!b) {
        b = st->colbuf;
        model_lane_columns(st->m, mk, idx, st->vp.t0, st->vp.ns_per_col, (uint32_t)cols, b);
        return b;
    }
    if (fresh && !lane_cols_shift(st, key, mk, idx, cols, b))
        model_lane_columns_mg(st->m, mk, idx, st->vp.t0, st->vp.ns_per_col, (uint32_t)cols, b, b + cols);
    return b;
}

/* ---- title, axis, status ---------------------------------------------------- */

static void draw_title(ui_state *st)
{
    ui_grid *g = &st->grid;
    ui_fill(g, 0, 0, g->cols, ' ', UI_S_TITLE);
    const char *base = strrchr(st->path, '/');
    base = base ? base + 1 : st->path;
    char dur[32], file[256];
    tl_fmt_dur(st->info->t_end - st->info->t_start, dur, sizeof dur);
    ui_sanitize(base, strlen(base), !st->utf8, file, sizeof file);
    static const char *views[VIEW__COUNT] = {"Timeline", "Goroutines", "Regions/Tasks"};
    char right[160] = "";
    if (g->cols >= 110) {
        for (int v = 0; v < VIEW__COUNT; v++) {
            size_t l = strlen(right);
            snprintf(right + l, sizeof right - l, v == (int)st->view ? "[%s] " : " %s  ", views[v]);
        }
        size_t l = strlen(right);
        snprintf(right + l, sizeof right - l, "? help ");
    } else {
        snprintf(right, sizeof right, "[%s] Tab ", views[st->view]);
    }
    int rw = ui_str_width(right);
    ui_printf(g, 0, 0, g->cols - rw - 1, UI_S_TITLE, " gotv %s  go1.%d  %s  %uG %uP", file,
              st->info->go_minor, dur, st->info->ngoroutines, st->info->nprocs);
    if (rw < g->cols) ui_text(g, 0, g->cols - rw, rw, right, UI_S_TITLE);
}

static void draw_axis(ui_state *st, int row)
{
    ui_grid *g = &st->grid;
    char b[48], sp[32];
    ui_rel(st, st->cursor, b, sizeof b);
    tl_fmt_dur(tl_span(&st->vp), sp, sizeof sp);
    ui_printf(g, row, 0, st->label_w - 1, UI_S_AXIS, "@%s /%s", b, sp);
    int64_t ts = st->info->t_start;
    int64_t step = tl_tick_step(st->vp.ns_per_col, 12);
    if (step < 1) step = 1;
    /* ticks at multiples of step from the trace start; a view reaching past
     * the int64 range (hostile times) ends the ticks where time does */
    int64_t rel0, first = 0, at;
    int ok = 1;
    if (__builtin_sub_overflow(st->vp.t0, ts, &rel0)) rel0 = st->vp.t0 < ts ? INT64_MIN : INT64_MAX;
    if (rel0 > 0) {
        first = rel0 / step * step;
        if (first < rel0) ok = !__builtin_add_overflow(first, step, &first);
    }
    int x0 = st->label_w;
    for (int64_t t = first; ok && !__builtin_add_overflow(ts, t, &at);) {
        int c = tl_time_col(&st->vp, at);
        if (c >= st->vp.cols) break;
        if (c >= 0) {
            ui_put(g, row, x0 + c, st->utf8 ? 0x2502 : '|', UI_S_AXIS);
            tl_fmt_tick(t, step, b, sizeof b);
            if (c + 1 + ui_str_width(b) <= st->vp.cols) ui_text(g, row, x0 + c + 1, st->vp.cols - c - 1, b, UI_S_AXIS);
        }
        ok = !__builtin_add_overflow(t, step, &t);
    }
    int cc = tl_time_col(&st->vp, st->cursor);
    if (cc >= 0 && cc < st->vp.cols) ui_put(g, row, x0 + cc, st->utf8 ? 0x25bc : 'v', UI_S_CURSOR);
}

static const int64_t *region_maxends(ui_state *st, uint32_t g, const model_region *r, uint32_t nr);

/* Text describing the selected lane at the cursor (status line default). */

static void cursor_info(ui_state *st, char *out, size_t n)
{
    const ui_lane *l = &st->lanes[st->sel_lane];
    char lab[256] = "";
    switch (l->kind) {
    case LK_G: ui_glabel(st, l->idx, lab, sizeof lab); break;
    case LK_P: snprintf(lab, sizeof lab, "P%lld", (long long)model_proc_id(st->m, l->idx)); break;
    case LK_M: snprintf(lab, sizeof lab, "M%lld", (long long)model_thread_id(st->m, l->idx)); break;
    case LK_GC: snprintf(lab, sizeof lab, "GC"); break;
    case LK_PLOT: ui_plot_label(st, l, lab, sizeof lab); break;
    case LK_GROUP: {
        char fn[200];
        const model_goroutine *gr = model_goroutine_get(st->m, l->idx);
        ui_short_func(st, gr ? gr->func : 0, fn, sizeof fn);
        snprintf(lab, sizeof lab, "group %s: %u goroutines", fn[0] ? fn : "?", l->count);
        break;
    }
    }
    model_span sb;
    const model_span *s = ui_span_at(st, l, st->cursor, NULL, &sb);
    if (!s) {
        snprintf(out, n, "%s", lab);
        return;
    }
    char d[32], at[32], reason[200] = "", who[48] = "";
    out[0] = 0;
    tl_fmt_dur(s->end - s->start, d, sizeof d);
    ui_rel(st, s->start, at, sizeof at);
    if (s->reason && l->kind == LK_G) ui_safe_str(st, s->reason, reason, sizeof reason);
    if (l->kind == LK_G && s->state == MS_WAITING && s->other >= 0)
        snprintf(who, sizeof who, ", woken by G%d (u)", s->other);
    else if ((l->kind == LK_P || l->kind == LK_M) && s->other >= 0)
        snprintf(who, sizeof who, " G%d", s->other);
    int o = snprintf(out, n, "%s: %s%s%s%s%s %s from %s", lab, model_state_name((model_state)s->state),
                     reason[0] ? " (" : "", reason, reason[0] ? ")" : "", who, d, at);
    if (l->kind != LK_G || o < 0 || (size_t)o >= n) return;
    /* the innermost region under the cursor and a log in the cursor's column */
    const model_region *r;
    uint32_t nr = model_goroutine_regions(st->m, l->idx, &r);
    int best = -1;
    /* the regions of a goroutine nest and are sorted by start: the last one
     * under the cursor is the innermost. Look back from the last one begun
     * by then (a bounded number of steps: the regions in between ended
     * inside it), else scan them all. */
    uint32_t begun = 0, top = nr;
    while (begun < top) {
        uint32_t mid = begun + (top - begun) / 2;
        if (r[mid].start <= st->cursor) begun = mid + 1;
        else top = mid;
    }
    uint32_t k = begun, steps = 0;
    for (; k > 0 && steps < 4096; k--, steps++)
        if (st->cursor < r[k - 1].end) break;
    if (k > 0 && steps < 4096) best = (int)(k - 1);
    else if (k > 0) {
        /* (blocks of 64 whose latest end is not after the cursor hold none) */
        const int64_t *bme = region_maxends(st, l->idx, r, nr);
        for (uint32_t b = 0; b * 64 < begun; b++) {
            if (bme && bme[b] <= st->cursor) continue;
            uint32_t e = b * 64 + 64 < begun ? b * 64 + 64 : begun;
            for (uint32_t i = b * 64; i < e; i++)
                if (st->cursor < r[i].end && (best < 0 || r[i].depth >= r[best].depth)) best = (int)i;
        }
    }
    if (best >= 0) {
        char name[200];
        ui_safe_str(st, r[best].name, name, sizeof name);
        o += snprintf(out + o, n - (size_t)o, " | region %s", name);
        if ((size_t)o >= n) return;
    }
    const model_log *lg;
    uint32_t nl = model_goroutine_logs(st->m, l->idx, &lg);
    int64_t a = tl_col_time(&st->vp, tl_time_col(&st->vp, st->cursor));
    int64_t b = tl_col_time(&st->vp, tl_time_col(&st->vp, st->cursor) + 1);
    uint32_t lo = 0, hi = nl;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (lg[mid].time < a) lo = mid + 1;
        else hi = mid;
    }
    if (lo < nl && lg[lo].time < b) {
        char cat[120], msg[300];
        ui_safe_str(st, lg[lo].category, cat, sizeof cat);
        ui_safe_str(st, lg[lo].message, msg, sizeof msg);
        snprintf(out + o, n - (size_t)o, " | log %s%s%s", cat, cat[0] ? ": " : "", msg);
    }
}

static void draw_status(ui_state *st)
{
    ui_grid *g = &st->grid;
    int row = g->rows - 1;
    if (row < 1) return;
    ui_fill(g, row, 0, g->cols, ' ', UI_S_STATUS);
    if (st->mode != MODE_NORMAL) {
        char in[600];
        ui_sanitize(st->input, (size_t)st->input_len, !st->utf8, in, sizeof in);
        int w = ui_printf(g, row, 0, g->cols - 1, UI_S_STATUS, "%s%s",
                          st->mode == MODE_SEARCH ? "/" : ":", in);
        ui_put(g, row, w, ' ', UI_S_CURSOR | UI_SF_REVERSE);
        return;
    }
    const char *hint = "? help  q back";
    int hw = (int)strlen(hint);
    if (st->msg[0]) {
        ui_text(g, row, 0, g->cols - hw - 1, st->msg, st->msg_err ? UI_S_ERROR : UI_S_STATUS);
    } else if (st->view == VIEW_TIMELINE && st->nlanes) {
        char info[700];
        cursor_info(st, info, sizeof info);
        ui_text(g, row, 0, g->cols - hw - 1, info, UI_S_STATUS);
    }
    if (hw < g->cols) ui_text(g, row, g->cols - hw, hw, hint, UI_S_STATUS);
}

/* ---- lanes ------------------------------------------------------------------ */

static uint32_t gallop_ge(const void *base, size_t stride, size_t off, uint32_t lo, uint32_t n, int64_t t);

/* gallop_ge with a compact index: sk[b] is the key of element B b, B = 1 <<
 * skl (for every block starting before n). The search runs over the block
 * keys, then inside one block, so it touches a few cache lines of the (big)
 * array instead of one per halving. The same answer as gallop_ge. */
static uint32_t skip_ge(const void *base, size_t stride, size_t off, const int64_t *sk, uint32_t lo, uint32_t n,
                        int64_t t, unsigned skl)
{
    if (lo >= n || *(const int64_t *)((const char *)base + (size_t)lo * stride + off) >= t) return lo;
    /* b: the first block after lo's whose first key is >= t; the answer lies
     * in [max(lo, B (b - 1)), min(n, B b)] */
    uint32_t nb = ((n - 1) >> skl) + 1;
    uint32_t b = gallop_ge(sk, sizeof *sk, 0, (lo >> skl) + 1, nb, t);
    uint32_t a = (b - 1) << skl > lo ? (b - 1) << skl : lo;
    uint32_t hi = b < nb ? b << skl : n;
    return gallop_ge(base, stride, off, a, hi, t);
}

/* The label of span s of lane l, if it is wide enough (minlen ns and 5
 * columns) and has one. */
static void span_label(ui_state *st, const ui_lane *l, int row, const model_span *s, double minlen)
{
    if ((double)(s->end - s->start) < minlen) return;
    int c0 = tl_time_col(&st->vp, s->start), c1 = tl_time_col(&st->vp, s->end);
    if (c0 < 0) c0 = 0;
    if (c1 > st->vp.cols) c1 = st->vp.cols;
    int w = c1 - c0;
    if (w < 5) return;
    char text[220] = "";
    if ((l->kind == LK_P || l->kind == LK_M) && s->other >= 0 && s->state == MS_RUNNING)
        snprintf(text, sizeof text, "G%d", s->other);
    else if (l->kind == LK_G && s->state == MS_WAITING && s->reason)
        ui_safe_str(st, s->reason, text, sizeof text);
    else if (l->kind == LK_GC && s->state == MS_STW)
        snprintf(text, sizeof text, "STW");
    if (!text[0] || ui_str_width(text) > w - 2) return;
    uint16_t style = ui_state_style(s->state) | UI_SF_REVERSE;
    if (s->state == MS_WAITING) style = UI_S_WAITING;
    ui_text(&st->grid, row, st->label_w + c0 + 1, w - 2, text, style);
}

/* Lanes with more spans than this in view find their wide spans by probing
 * instead of decoding every span. */
#define LABEL_SCAN_MAX 64

/* Labels inside wide spans: the goroutine a P/M runs, the reason a G waits.
 * The candidates are the spans overlapping the view, at most 4 per column
 * (from the left). Only spans of at least minlen ns get a label: with many
 * spans in view, those are found by probing the lane at times at most d =
 * floor(minlen) apart (each probe: the first span ending after it, then on
 * from that span's end, or d later), so a frame costs O(columns / 5) probes
 * per lane instead of decoding up to 4 spans per column. */
static void span_labels(ui_state *st, const ui_lane *l, int row)
{
    int64_t t1 = tl_col_time(&st->vp, st->vp.cols);
    uint32_t i = 0;
    uint32_t cnt = ui_lane_spans_in(st, l, st->vp.t0, t1, &i);
    uint32_t budget = st->vp.cols > 0 ? (uint32_t)st->vp.cols * 4 : 0;
    uint32_t end = i + (cnt < budget ? cnt : budget);
    double minlen = st->vp.ns_per_col * 5; /* a label needs 5 columns */
    model_span s;
    if (end - i <= LABEL_SCAN_MAX || !(minlen < 4e18)) {
        for (; i < end && ui_lane_span(st, l, i, &s); i++) span_label(st, l, row, &s, minlen);
        return;
    }
    /* a span with (double)len >= minlen has len >= d, so it holds a probe */
    int64_t d = minlen >= 1 ? (int64_t)minlen : 1;
    int64_t p = st->vp.t0;
    while (i < end) {
        uint32_t a = ui_lane_span_after(st, l, p);
        if (a < i) a = i;
        if (a >= end || !ui_lane_span(st, l, a, &s)) break;
        span_label(st, l, row, &s, minlen);
        i = a + 1;
        int64_t q = p > s.start ? p : s.start; /* the probe inside s */
        if (q > INT64_MAX - d) break;          /* no span of >= d ns can start later */
        p = q + d > s.end ? q + d : s.end;
    }
}

/* Fill ix with the indexes of the regions of depth < UI_MAX_STRIPS, depth
 * after depth (each in start order), and se with their starts and ends
 * (interleaved); n gets the count per depth. */
static void rix_fill(const model_region *r, uint32_t nr, uint32_t *ix, int64_t *se, uint32_t n[UI_MAX_STRIPS])
{
    uint32_t off[UI_MAX_STRIPS];
    memset(n, 0, sizeof(uint32_t) * UI_MAX_STRIPS);
    for (uint32_t i = 0; i < nr; i++)
        if (r[i].depth < UI_MAX_STRIPS) n[r[i].depth]++;
    off[0] = 0;
    for (int d = 1; d < UI_MAX_STRIPS; d++) off[d] = off[d - 1] + n[d - 1];
    for (uint32_t i = 0; i < nr; i++)
        if (r[i].depth < UI_MAX_STRIPS) {
            uint32_t k = off[r[i].depth]++;
            se[2 * (size_t)k] = r[i].start;
            se[2 * (size_t)k + 1] = r[i].end;
            ix[k] = i;
        }
}

/* The depth index of goroutine g's regions r[0..nr): in the caller's local
 * arrays when it fits there, else built once and cached. Region k of depth
 * order (depth 0's first) has its start at (*se)[*sst k] and its end next to
 * it, and is r[(*ix)[k]], or r[k] when *ix is NULL (every region has depth
 * 0: *se is r itself). 0 when memory is short. */
static int region_index(ui_state *st, uint32_t g, const model_region *r, uint32_t nr, uint32_t n[UI_MAX_STRIPS],
                        const uint32_t **ix, const int64_t **se, uint32_t *sst, const int64_t **sk, unsigned *skl,
                        uint32_t *lix, int64_t *lse, uint32_t nlocal, uint8_t sorted[UI_MAX_STRIPS])
{
    *sk = NULL; /* (none for the local arrays) */
    *sst = 2;
    *skl = RIX_SKL;
    memset(sorted, 0, UI_MAX_STRIPS);
    if (nr <= nlocal) {
        rix_fill(r, nr, lix, lse, n);
        *ix = lix, *se = lse;
        return 1;
    }
    struct ui_colcache *c = cc_of(st);
    if (!c) return 0;
    rix_slot *sl = &c->rix[g % RIX_SLOTS];
    if (sl->g1 != g + 1 || sl->base != r || sl->nr != nr) {
        free(sl->ix);
        free(sl->se);
        free(sl->sk);
        free(sl->bme);
        memset(sl, 0, sizeof *sl);
        int direct = 1; /* every region has depth 0: no copy */
        for (uint32_t i = 0; i < nr && direct; i++)
            if (r[i].depth) direct = 0;
        if (!direct) {
            sl->ix = malloc(sizeof *sl->ix * nr);
            sl->se = malloc(sizeof *sl->se * 2 * (size_t)nr);
        }
        sl->skl = direct ? RIX_DIRECT_SKL : RIX_SKL;
        sl->sk = malloc(sizeof *sl->sk * ((nr >> sl->skl) + 1));
        sl->bme = malloc(sizeof *sl->bme * (nr / 64 + 1));
        if ((!direct && (!sl->ix || !sl->se)) || !sl->sk || !sl->bme) {
            free(sl->ix);
            free(sl->se);
            free(sl->sk);
            free(sl->bme);
            sl->ix = NULL;
            sl->se = NULL;
            sl->sk = NULL;
            sl->bme = NULL;
            return 0;
        }
        if (direct) {
            sl->n[0] = nr;
            for (int d = 1; d < UI_MAX_STRIPS; d++) sl->n[d] = 0;
        } else {
            rix_fill(r, nr, sl->ix, sl->se, sl->n);
        }
        const int64_t *e = direct ? &r[0].end : sl->se + 1; /* end k: e[step k] */
        size_t step = direct ? RIX_DIRECT_STEP : 2;
        for (uint32_t i = 0; i < nr; i += 1u << sl->skl) sl->sk[i >> sl->skl] = e[step * i];
        for (uint32_t i = 0; i < nr; i++)
            if (i % 64 == 0 || r[i].end > sl->bme[i / 64]) sl->bme[i / 64] = r[i].end;
        for (uint32_t d = 0, off = 0; d < UI_MAX_STRIPS; off += sl->n[d], d++) {
            sl->sorted[d] = 1;
            for (uint32_t k = off + 1; k < off + sl->n[d]; k++)
                if (e[step * k] < e[step * (k - 1)]) sl->sorted[d] = 0;
        }
        sl->g1 = g + 1;
        sl->base = r;
        sl->nr = nr;
    }
    memcpy(n, sl->n, sizeof sl->n);
    memcpy(sorted, sl->sorted, sizeof sl->sorted);
    *ix = sl->ix, *se = sl->se, *sk = sl->sk, *skl = sl->skl;
    if (!sl->ix) { /* in place */
        *se = &r[0].start;
        *sst = RIX_DIRECT_STEP;
    }
    return 1;
}

/* The latest region end per block of 64 of goroutine g's regions r[0..nr)
 * (rix_slot.bme; cached with its depth index), NULL when memory is short. */
static const int64_t *region_maxends(ui_state *st, uint32_t g, const model_region *r, uint32_t nr)
{
    uint32_t n[UI_MAX_STRIPS];
    const uint32_t *ix;
    const int64_t *se, *sk;
    uint32_t sst;
    unsigned skl;
    uint8_t sorted[UI_MAX_STRIPS];
    if (!nr || !region_index(st, g, r, nr, n, &ix, &se, &sst, &sk, &skl, NULL, NULL, 0, sorted)) return NULL;
    return st->cc->rix[g % RIX_SLOTS].bme;
}

/* First k in [lo, n) whose int64 key (at byte offset off of element k of
 * stride bytes from base) is >= t, for keys ascending: galloping from lo, so
 * stepping through an array costs O(log distance) per step. */
static uint32_t gallop_ge(const void *base, size_t stride, size_t off, uint32_t lo, uint32_t n, int64_t t)
{
#define GKEY(i) (*(const int64_t *)((const char *)base + (size_t)(i) * stride + off))
    if (lo >= n || GKEY(lo) >= t) return lo;
    lo++;
    uint32_t hi = lo, step = 1;
    while (hi < n && GKEY(hi) < t) {
        lo = hi + 1;
        hi = n - lo > step ? lo + step : n;
        step <<= 1;
    }
    while (lo < hi) { /* answer in [lo, hi] */
        uint32_t mid = lo + (hi - lo) / 2;
        if (GKEY(mid) >= t) hi = mid;
        else lo = mid + 1;
    }
    return lo;
#undef GKEY
}

/* The first k in [lo, n) with key k > t (n if none), where key k is
 * base[(off + k) step], through sk[b] = base[64 b step] (NULL: plain
 * galloping); exported for the tests. */
static uint32_t skip_after(const int64_t *base, uint32_t step, const int64_t *sk, uint32_t off, uint32_t lo, uint32_t n,
                           int64_t t, unsigned skl)
{
    if (t == INT64_MAX) return n;
    if (!sk) return gallop_ge(base + (size_t)off * step, sizeof *base * step, 0, lo, n, t + 1);
    return skip_ge(base, sizeof *base * step, 0, sk, off + lo, off + n, t + 1, skl) - off;
}

uint32_t ui_skip_after(const int64_t *base, uint32_t step, const int64_t *sk, uint32_t off, uint32_t lo, uint32_t n,
                       int64_t t)
{
    return skip_after(base, step, sk, off, lo, n, t, 6);
}

/* The times of goroutine g's logs lg[0..n): time i at [LIX_STEP i] of the
 * result (the model's records), with the block keys *sk (built once and
 * cached); NULL when memory is short. */
static const int64_t *log_times(ui_state *st, uint32_t g, const model_log *lg, uint32_t n, const int64_t **sk,
                                int *sorted)
{
    *sorted = 0;
    struct ui_colcache *c = cc_of(st);
    if (!c) return NULL;
    lix_slot *sl = &c->lix[g % RIX_SLOTS];
    if (sl->g1 != g + 1 || sl->base != lg || sl->n != n || !sl->sk) {
        free(sl->sk);
        memset(sl, 0, sizeof *sl);
        sl->sk = malloc(sizeof *sl->sk * ((n >> LIX_SKL) + 1));
        if (!sl->sk) return NULL;
        for (uint32_t i = 0; i < n; i += 1u << LIX_SKL) sl->sk[i >> LIX_SKL] = lg[i].time;
        sl->sorted = 1;
        for (uint32_t i = 1; i < n; i++)
            if (lg[i].time < lg[i - 1].time) sl->sorted = 0;
        sl->g1 = g + 1;
        sl->base = lg;
        sl->n = n;
    }
    *sk = sl->sk;
    *sorted = sl->sorted;
    return &lg[0].time;
}

static void draw_strips(ui_state *st, const ui_lane *l, int row, int nrows)
{
    ui_grid *g = &st->grid;
    const model_region *r;
    uint32_t nr = model_goroutine_regions(st->m, l->idx, &r);
    int x0 = st->label_w, cols = st->vp.cols;
    int64_t t1 = tl_col_time(&st->vp, cols);
    uint32_t lix[256], n[UI_MAX_STRIPS];
    int64_t lse[512];
    const uint32_t *ix = NULL;
    const int64_t *se = NULL, *esk = NULL;
    uint32_t sst = 2;
    unsigned skl = RIX_SKL;
    uint8_t sorted[UI_MAX_STRIPS];
    int have = nr && region_index(st, l->idx, r, nr, n, &ix, &se, &sst, &esk, &skl, lix, lse, 256, sorted);
    if (nrows > UI_MAX_STRIPS) nrows = UI_MAX_STRIPS;
    /* long index arrays (cached, ascending): the searches at every column
     * start, done at once up front (strip_afters), answer the skips below */
    int64_t *tt = NULL; /* column starts (tl_col_time) */
    uint32_t *after = NULL;
    if (cols >= 8 && st->vp.t0 > INT64_MIN) {
        tt = malloc(sizeof *tt * ((size_t)cols + 1));
        after = malloc(sizeof *after * 2 * ((size_t)cols + 1));
        if (tt && after)
            for (int c = 0; c <= cols; c++) tt[c] = tl_col_time(&st->vp, c);
    }
    int batch = tt && after;
    /* the columns of the first strip that hold a region's name: the log
     * markers of that row leave them alone, so a name stays readable */
    uint8_t *named = cols > 0 ? calloc((size_t)cols, 1) : NULL;
    /* depth by depth: the regions of one depth do not overlap, so after
     * drawing one, skip (binary search) to the first one ending after the
     * column it ended in: O(columns log regions) per strip */
    for (int d = 0; have && d < nrows; d++) {
        uint32_t doff = 0; /* depth d's regions: ix[doff..doff+nd), se pairs likewise */
        for (int e = 0; e < d; e++) doff += n[e];
        uint32_t nd = n[d];
        int last = -1;
        int64_t until = INT64_MIN; /* the column of this time is drawn */
        int ucol = -1;             /* until is the start of this column */
        const int64_t *de = se + (size_t)sst * doff; /* depth d's pairs */
        int pre = batch && esk && sorted[d]; /* after[c]: the first region ending after column c's start */
        if (pre) ui_strip_afters(se + 1, sst, esk, doff, nd, tt, cols + 1, after, skl);
        for (uint32_t k = pre ? after[0] : skip_after(se + 1, sst, esk, doff, 0, nd, st->vp.t0, skl); k < nd;) {
            int64_t qs = de[(size_t)sst * k], qe = de[(size_t)sst * k + 1];
            if (qs >= t1) break;
            if (qe <= st->vp.t0) {
                k++;
                continue;
            }
            if (qe <= until) { /* nothing new to draw */
                if (pre && ucol >= 0 && ucol <= cols)
                    k = after[ucol] > k + 1 ? after[ucol] : k + 1;
                else
                    k = skip_after(se + 1, sst, esk, doff, k + 1, nd, until, skl);
                continue;
            }
            uint32_t kq = k++; /* the region itself: read only for a wide one's name */
            int c0 = tl_time_col(&st->vp, qs), c1 = tl_time_col(&st->vp, qe - 1);
            if (c1 == c0 && c0 == last) continue;
            last = c1;
            until = tl_col_time(&st->vp, c1 + 1);
            ucol = c1 < cols ? c1 + 1 : -1;
            int open_l = c0 < 0, open_r = c1 >= cols;
            if (c0 < 0) c0 = 0;
            if (c1 >= cols) c1 = cols - 1;
            int rr = row + d;
            ui_fill(g, rr, x0 + c0, c1 - c0 + 1, st->utf8 ? 0x2501 : '=', UI_S_REGION);
            int w = c1 - c0 + 1;
            if (w >= 3) {
                if (!open_l) ui_put(g, rr, x0 + c0, '[', UI_S_REGION);
                if (!open_r) ui_put(g, rr, x0 + c1, ']', UI_S_REGION);
                char name[256];
                ui_safe_str(st, r[ix ? ix[doff + kq] : doff + kq].name, name, sizeof name);
                int nw = ui_str_width(name);
                if (nw <= w - 2) {
                    ui_text(g, rr, x0 + c0 + 1, w - 2, name, UI_S_REGION | UI_SF_REVERSE);
                    if (d == 0 && named) memset(named + c0 + 1, 1, (size_t)nw);
                }
            }
        }
    }
    const model_log *lg;
    uint32_t nl = model_goroutine_logs(st->m, l->idx, &lg);
    const int64_t *lsk = NULL;
    int lsorted = 0;
    const int64_t *lt = nl > 256 ? log_times(st, l->idx, lg, nl, &lsk, &lsorted) : NULL;
    /* after[c]: the first log at or after column c's start */
    int lpre = batch && lt && lsorted;
    if (lpre) {
        for (int c = 0; c <= cols; c++) tt[c]--;
        ui_strip_afters(lt, LIX_STEP, lsk, 0, nl, tt, cols + 1, after, LIX_SKL);
    }
    /* logs are sorted by time: only the visible ones, one per column */
    uint32_t i = lpre ? after[0] : lt ? skip_after(lt, LIX_STEP, lsk, 0, 0, nl, st->vp.t0 - 1, LIX_SKL) : gallop_ge(lg, sizeof *lg, offsetof(model_log, time), 0, nl, st->vp.t0);
    while (i < nl) {
        int64_t ti = lg[i].time;
        if (ti >= t1) break;
        int c = tl_time_col(&st->vp, ti);
        if (c >= 0 && c < cols && !(named && named[c])) ui_put(g, row, x0 + c, st->utf8 ? 0x25c6 : '*', UI_S_LOG);
        /* jump to the first log of the next column */
        int64_t next = tl_col_time(&st->vp, c + 1);
        if (lpre && next > ti && c >= 0 && c < cols)
            i = after[c + 1] > i + 1 ? after[c + 1] : i + 1;
        else {
            if (next <= ti) next = ti + 1;
            i = lt ? skip_after(lt, LIX_STEP, lsk, 0, i + 1, nl, next - 1, LIX_SKL) : gallop_ge(lg, sizeof *lg, offsetof(model_log, time), i + 1, nl, next);
        }
    }
    free(tt);
    free(after);
    free(named);
}

/* A group header: per column, the most common state among up to 8 of its
 * members (sampled evenly), so a folded group still shows its activity. */
static void draw_group(ui_state *st, const ui_lane *l, int row)
{
    int cols = st->vp.cols > 4096 ? 4096 : st->vp.cols;
    static _Thread_local uint16_t counts[4096][5]; /* (the background load renders too) */
    memset(counts, 0, sizeof counts[0] * (size_t)cols);
    /* members are contiguous in the lane order */
    uint32_t step = l->count / 8 + 1;
    for (uint32_t x = 0; x < l->count; x += step) {
        uint32_t g = st->gorder[l->pos + x];
        const uint8_t *cb = lane_cols(st, ML_GOROUTINE, g, cols);
        for (int c = 0; c < cols; c++) {
            int k = cb[c] == MS_RUNNING ? 0 : cb[c] == MS_RUNNABLE ? 1 : (cb[c] == MS_SYSCALL || cb[c] == MS_SYSCALL_BLOCKED) ? 2
                    : cb[c] == MS_WAITING ? 3 : cb[c] == MS_NONE ? -1 : 4;
            if (k >= 0) counts[c][k]++;
        }
    }
    static const uint8_t kstate[5] = {MS_RUNNING, MS_RUNNABLE, MS_SYSCALL, MS_WAITING, MS_MIXED};
    for (int c = 0; c < cols; c++) {
        int best = -1;
        for (int k = 0; k < 5; k++)
            if (counts[c][k] && (best < 0 || counts[c][k] > counts[c][best])) best = k;
        if (best < 0) continue;
        ui_put(&st->grid, row, st->label_w + c, ui_state_glyph(st, kstate[best]), ui_state_style(kstate[best]));
    }
}

/* The first time drawn in column c (the smallest t with tl_time_col(t) >= c):
 * tl_col_time rounds where tl_time_col floors, so step to the exact edge. */
static int64_t col_edge(const tl_viewport *vp, int c)
{
    int64_t t = tl_col_time(vp, c);
    for (int i = 0; i < 64 && tl_time_col(vp, t - 1) >= c; i++) t--;
    for (int i = 0; i < 64 && tl_time_col(vp, t) < c; i++) t++;
    return t;
}

/* The latest range end before each block of 64 ranges of kind k (0
 * assists, 1 sweeps): pm[b] = the largest end of r[0 .. 64 b) (INT64_MIN for
 * b = 0), b = 0 .. n / 64, then the block keys of the starts (every 1 <<
 * RNG_SKL ranges, at pm + n / 64 + 1); built once per model (8 bytes per 64
 * and per 16 ranges); NULL when memory is short. */
static const int64_t *range_max_ends(ui_state *st, int k, const model_range *r, uint32_t n)
{
    struct ui_colcache *c = cc_of(st);
    if (!c) return NULL;
    if (c->rmax[k] && c->rbase[k] == r && c->nrmax[k] == n) return c->rmax[k];
    free(c->rmax[k]);
    c->rmax[k] = malloc(sizeof *c->rmax[k] * ((size_t)n / 64 + 1 + ((size_t)n >> RNG_SKL) + 1));
    if (!c->rmax[k]) return NULL;
    for (uint32_t i = 0; i < n; i += 1u << RNG_SKL) c->rmax[k][n / 64 + 1 + (i >> RNG_SKL)] = r[i].start;
    int64_t mx = INT64_MIN;
    for (uint32_t i = 0; i < n; i++) {
        if (i % 64 == 0) c->rmax[k][i / 64] = mx;
        if (r[i].end > mx) mx = r[i].end;
    }
    if (n % 64 == 0) c->rmax[k][n / 64] = mx;
    c->rbase[k] = r;
    c->nrmax[k] = n;
    return c->rmax[k];
}

/* Does a range among r[0 .. j) end after ta? pm: range_max_ends. */
static int range_ends_after(const model_range *r, const int64_t *pm, uint32_t j, int64_t ta)
{
    if (pm[j / 64] > ta) return 1;
    for (uint32_t i = j; i > j / 64 * 64; i--)
        if (r[i - 1].end > ta) return 1;
    return 0;
}

/* GC lane second row: GC mark assists (any goroutine) and sweeps (any P).
 * Column c shows a range when one starts before the column ends and ends
 * after it begins: with the ranges sorted by start and the running maximum
 * of their ends, one search per column, however many ranges the view holds. */
static void draw_gc_ranges(ui_state *st, int row)
{
    ui_grid *g = &st->grid;
    int cols = st->vp.cols;
    int64_t t1 = tl_col_time(&st->vp, cols);
    for (int k = 1; k >= 0; k--) { /* sweep first, assists drawn over it */
        const model_range *r;
        uint32_t n = model_ranges(st->m, k == 0 ? MR_ASSIST : MR_SWEEP, &r);
        if (!n) continue;
        const int64_t *mx = range_max_ends(st, k, r, n);
        if (!mx) continue;
        uint32_t cp = k == 0 ? (st->utf8 ? 0x259a : 'a') : (st->utf8 ? 0x2591 : 'w');
        uint32_t j = 0;
        int64_t ta = col_edge(&st->vp, 0);
        for (int c = 0; c < cols; c++) {
            int64_t tb = col_edge(&st->vp, c + 1);
            /* ranges starting at or after t1 are not drawn at all */
            j = skip_ge(r, sizeof *r, offsetof(model_range, start), mx + n / 64 + 1, j, n, tb < t1 ? tb : t1, RNG_SKL);
            if (j > 0 && range_ends_after(r, mx, j, ta)) ui_put(g, row, st->label_w + c, cp, UI_S_GC);
            ta = tb;
        }
    }
}

static void draw_strips_cb(ui_state *st, const void *lane, int row, int nrows)
{
    draw_strips(st, lane, row, nrows);
}

static void draw_gc_ranges_cb(ui_state *st, const void *arg, int row, int nrows)
{
    (void)arg, (void)nrows;
    draw_gc_ranges(st, row);
}

static void draw_lane(ui_state *st, uint32_t li, int row, int maxrows)
{
    ui_grid *g = &st->grid;
    const ui_lane *l = &st->lanes[li];
    char lab[512] = "";
    uint16_t lstyle = UI_S_LABEL;
    switch (l->kind) {
    case LK_GC: snprintf(lab, sizeof lab, "GC %u cycles", st->info->ngc); break;
    case LK_PLOT: ui_plot_label(st, l, lab, sizeof lab); lstyle = UI_S_DIM; break;
    case LK_G: {
        ui_glabel(st, l->idx, lab, sizeof lab);
        const model_goroutine *gr = model_goroutine_get(st->m, l->idx);
        if (gr && gr->system) lstyle = UI_S_DIM;
        if (st->is_match[l->idx]) lstyle = UI_S_MATCH;
        break;
    }
    case LK_P: {
        snprintf(lab, sizeof lab, "P%lld", (long long)model_proc_id(st->m, l->idx));
        model_span sb;
        const model_span *s = ui_span_at(st, l, st->cursor, NULL, &sb);
        if (s && s->other >= 0 && s->state == MS_RUNNING) {
            size_t k = strlen(lab);
            snprintf(lab + k, sizeof lab - k, " G%d", s->other);
        }
        break;
    }
    case LK_GROUP: {
        char fn[400];
        const model_goroutine *gr = model_goroutine_get(st->m, l->idx);
        ui_short_func(st, gr ? gr->func : 0, fn, sizeof fn);
        int folded = gr && ui_group_collapsed(st, gr->func, l->count);
        snprintf(lab, sizeof lab, "%s [%u] %s", folded ? (st->utf8 ? "\xe2\x96\xb8" : "+") : (st->utf8 ? "\xe2\x96\xbe" : "-"),
                 l->count, fn[0] ? fn : "?");
        lstyle = UI_S_BOLD;
        break;
    }
    case LK_M: {
        snprintf(lab, sizeof lab, "M%lld", (long long)model_thread_id(st->m, l->idx));
        model_span sb;
        const model_span *s = ui_span_at(st, l, st->cursor, NULL, &sb);
        if (s && s->other >= 0 && s->state == MS_RUNNING) {
            size_t k = strlen(lab);
            snprintf(lab + k, sizeof lab - k, " G%d", s->other);
        }
        break;
    }
    default: break;
    }
    int sel = li == st->sel_lane;
    if (sel) {
        lstyle = UI_S_SELECTED | UI_SF_REVERSE;
        ui_fill(g, row, 0, st->label_w - 1, ' ', lstyle);
    }
    ui_text(g, row, 0, st->label_w - 1, lab, lstyle);
    ui_put(g, row, st->label_w - 1, sel ? (st->utf8 ? 0x25b6 : '>') : ' ', UI_S_SELECTED);
    int cols = st->vp.cols;
    if (l->kind == LK_PLOT) {
        ui_draw_plot(st, l, row);
    } else if (l->kind == LK_GROUP) {
        draw_group(st, l, row);
    } else {
        model_lane_kind mk = l->kind == LK_G ? ML_GOROUTINE : l->kind == LK_P ? ML_PROC
                             : l->kind == LK_M ? ML_THREAD : ML_GC;
        if (cols > 4096) cols = 4096;
        const uint8_t *cb = lane_cols(st, mk, l->idx, cols);
        for (int c = 0; c < cols; c++) {
            if (cb[c] == MS_NONE) continue;
            ui_put(g, row, st->label_w + c, ui_state_glyph(st, cb[c]), ui_state_style(cb[c]));
        }
        span_labels(st, l, row);
    }
    int strips = l->height - 1;
    if (strips > maxrows - 1) strips = maxrows - 1;
    /* region strips, log markers, assists/sweeps: the same until the view
     * moves or zooms */
    if (strips > 0 && l->kind == LK_G)
        cached_rows(st, ((uint64_t)(0x200 + strips) << 32) | l->idx, row + 1, strips, l, draw_strips_cb);
    if (strips > 0 && l->kind == LK_GC) {
        ui_text(g, row + 1, 0, st->label_w - 1, " assist/sweep", UI_S_DIM);
        cached_rows(st, (uint64_t)0x300 << 32, row + 1, 1, NULL, draw_gc_ranges_cb);
    }
    /* the time cursor: a reversed column */
    int cc = tl_time_col(&st->vp, st->cursor);
    if (cc >= 0 && cc < st->vp.cols) ui_or_style(g, row, st->label_w + cc, 1, UI_SF_REVERSE);
}

static void draw_timeline(ui_state *st)
{
    int lt, lr, pt, pr;
    ui_layout(st, &lt, &lr, &pt, &pr);
    draw_axis(st, 1);
    int row = lt;
    for (uint32_t i = st->lane_top; i < st->nlanes && row < lt + lr; i++) {
        draw_lane(st, i, row, lt + lr - row);
        row += st->lanes[i].height;
    }
    if (pr > 0) ui_draw_panel(st, pt, pr);
}

static void draw_help(ui_state *st)
{
    ui_grid *g = &st->grid;
    ui_text(g, 1, 0, g->cols, "Keys (generated from the key map; q, Esc or ? closes, j/k scroll)", UI_S_BOLD);
    int keyw = 18;
    int n = (int)ui_help_count();
    for (int r = 2, i = st->help_top; r < g->rows - 1 && i < n; r++, i++) {
        char line[300];
        ui_help_line((unsigned)i, keyw, line, sizeof line);
        ui_text(g, r, 1, g->cols - 1, line, UI_S_NORMAL);
        ui_restyle(g, r, 1, keyw, UI_S_BOLD);
    }
    char legend[300];
    int c = 0;
    int lr = g->rows - 1;
    if (st->help_top + (g->rows - 3) > n && lr > 2 + n - st->help_top) {
        /* legend of glyphs under the keys when there is room */
        int r = 2 + n - st->help_top + 1;
        if (r < g->rows - 1) {
            c = ui_text(g, r, 1, g->cols - 1, "Glyphs: ", UI_S_BOLD) + 1;
            for (int s = 1; s < MS__COUNT && c < g->cols; s++) {
                c += ui_put(g, r, c, ui_state_glyph(st, s), ui_state_style(s));
                snprintf(legend, sizeof legend, " %s  ", model_state_name((model_state)s));
                c += ui_text(g, r, c, g->cols - c, legend, UI_S_NORMAL);
            }
        }
    }
}

void ui_render(ui_state *st)
{
    ui_grid *g = &st->grid;
    if (!st->defer_plots) ui_compute_plots(st);
    ui_grid_clear(g);
    draw_title(st);
    if (g->rows < 5 || g->cols < 30) {
        ui_text(g, g->rows > 1 ? 1 : 0, 0, g->cols, "terminal too small (need 30x5)", UI_S_ERROR);
        return;
    }
    if (st->help_open) {
        draw_help(st);
    } else {
        int lt, lr, pt, pr;
        ui_layout(st, &lt, &lr, &pt, &pr);
        ui_prepare_view(st);
        switch (st->view) {
        case VIEW_TIMELINE: draw_timeline(st); break;
        case VIEW_GTABLE: ui_draw_gtable(st, 1, g->rows - 2); break;
        case VIEW_TASKS: ui_draw_tasks(st, 1, g->rows - 2); break;
        default: break;
        }
    }
    draw_status(st);
}

void ui_render_progress(ui_grid *g, const char *path, uint64_t done, uint64_t total, int utf8)
{
    ui_grid_clear(g);
    char file[512];
    ui_sanitize(path, strlen(path), !utf8, file, sizeof file);
    int pct = total ? (int)(done * 100 / total) : 0;
    int row = g->rows / 2 - 1;
    if (row < 0) row = 0;
    ui_printf(g, row, 2, g->cols - 4, UI_S_BOLD, "Loading %s  %d%%  (%.1f of %.1f MiB)", file, pct,
              done / 1048576.0, total / 1048576.0);
    int w = g->cols - 4;
    if (w < 1) return;
    int fill = total ? (int)((double)done / (double)total * w) : 0;
    if (fill > w) fill = w;
    ui_fill(g, row + 1, 2, fill, utf8 ? 0x2588 : '#', UI_S_RUNNING);
    ui_fill(g, row + 1, 2 + fill, w - fill, utf8 ? 0x2591 : '.', UI_S_DIM);
    ui_text(g, row + 3, 2, g->cols - 4, "q or Ctrl-C cancels", UI_S_DIM);
}

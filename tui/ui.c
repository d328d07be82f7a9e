/*
 * Explorer state and command dispatch (see ui.h). Modal input (search, the
 * ':' command line) is a state of the same loop, never a nested read loop.
 * Drawing lives in ui_draw.c.
 */
#include "tui/ui.h"
#include "tui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* model/open.c references tt_load weakly; this strong reference makes sure
 * the loader is linked into every program that uses the explorer. */
tt_status (*const ui_loader_ref)(const uint8_t *, size_t, tt_syms *, const tt_sink *, tt_load_result *,
                                 tt_err *) = tt_load;

/* ---- small helpers ------------------------------------------------------- */

void ui_msg(ui_state *st, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->msg, sizeof st->msg, fmt, ap);
    va_end(ap);
    st->msg_err = err;
}

/* Trace text made safe with the model's helper (escapes controls, invalid
 * UTF-8, bidi and zero-width characters); on an ASCII terminal the remaining
 * non-ASCII characters are escaped too. */
size_t ui_safe_str(const ui_state *st, uint32_t id, char *buf, size_t n)
{
    size_t len = 0;
    const char *s = id ? model_str(st->m, id, &len) : "";
    if (!s) s = "", len = 0;
    if (n == 0) return 0;
    if (!st->utf8) {
        char tmp[2048];
        model_safe_text(tmp, sizeof tmp, s, len);
        return ui_sanitize(tmp, strlen(tmp), 1, buf, n);
    }
    model_safe_text(buf, n, s, len);
    return strlen(buf);
}

/* Function name without its package path: "example.com/x/pkg.(*T).m" -> "pkg.(*T).m". */
void ui_short_func(const ui_state *st, uint32_t id, char *buf, size_t n)
{
    char tmp[1024];
    ui_safe_str(st, id, tmp, sizeof tmp);
    const char *p = tmp, *slash = NULL;
    /* the last '/' before the first '(' or end */
    for (const char *q = tmp; *q && *q != '('; q++)
        if (*q == '/') slash = q;
    if (slash) p = slash + 1;
    snprintf(buf, n, "%s", p);
}

void ui_glabel(const ui_state *st, uint32_t gidx, char *buf, size_t n)
{
    const model_goroutine *g = model_goroutine_get(st->m, gidx);
    char fn[512];
    if (!g) {
        snprintf(buf, n, "G?");
        return;
    }
    ui_short_func(st, g->func, fn, sizeof fn);
    snprintf(buf, n, "G%lld %s", (long long)g->id, fn[0] ? fn : "?");
}

void ui_rel(const ui_state *st, int64_t t, char *buf, size_t n)
{
    tl_fmt_dur(t - st->info->t_start, buf, n);
}

static int is_blocking(uint8_t s)
{
    return s == MS_WAITING || s == MS_SYSCALL || s == MS_SYSCALL_BLOCKED;
}

/* The model lane kind of a lane that has spans; 0 for plots and groups. */
static int lane_model_kind(const ui_lane *l, model_lane_kind *k)
{
    switch (l->kind) {
    case LK_GC: *k = ML_GC; return 1;
    case LK_G: *k = ML_GOROUTINE; return 1;
    case LK_P: *k = ML_PROC; return 1;
    case LK_M: *k = ML_THREAD; return 1;
    default: return 0;
    }
}

/* Count of spans of a lane, for lanes that have them (0 for plots). */
uint32_t ui_lane_nspans(const ui_state *st, const ui_lane *l)
{
    model_lane_kind k;
    return lane_model_kind(l, &k) ? model_lane_nspans(st->m, k, l->idx) : 0;
}

/* Span i of lane l decoded into *out; out, or NULL if there is none. */
const model_span *ui_lane_span(const ui_state *st, const ui_lane *l, uint32_t i, model_span *out)
{
    model_lane_kind k;
    return lane_model_kind(l, &k) ? model_lane_span(st->m, k, l->idx, i, out) : NULL;
}

/* Index of the first span of lane l with end > t; the count if none. */
uint32_t ui_lane_span_after(const ui_state *st, const ui_lane *l, int64_t t)
{
    model_lane_kind k;
    return lane_model_kind(l, &k) ? model_lane_span_after(st->m, k, l->idx, t) : 0;
}

/* Spans of lane l overlapping [t0, t1): *first gets the first index (that
 * of the first span ending after t0); returns how many. */
uint32_t ui_lane_spans_in(const ui_state *st, const ui_lane *l, int64_t t0, int64_t t1, uint32_t *first)
{
    model_lane_kind k;
    if (lane_model_kind(l, &k)) return model_lane_spans_in(st->m, k, l->idx, t0, t1, first);
    *first = 0;
    return 0;
}

/* Span covering t on lane l decoded into *out (its index into *idx if idx is
 * not NULL); out, or NULL if t is in a gap or the lane has no spans. */
const model_span *ui_span_at(const ui_state *st, const ui_lane *l, int64_t t, uint32_t *idx, model_span *out)
{
    model_lane_kind k;
    if (!lane_model_kind(l, &k)) return NULL;
    uint32_t i = model_lane_span_at(st->m, k, l->idx, t);
    if (!model_lane_span(st->m, k, l->idx, i, out)) return NULL;
    if (idx) *idx = i;
    return out;
}

/* ---- lanes ----------------------------------------------------------------- */

static _Thread_local ui_state *sort_st; /* qsort context (per thread: the background load builds lanes) */

static int64_t gstat_key(const ui_state *st, uint32_t g, int key)
{
    model_gstats sb;
    const model_gstats *s = model_goroutine_stats(st->m, g, &sb);
    if (!s) return 0;
    switch (key) {
    case ORD_EXEC: return s->exec_ns;
    case ORD_SCHED: return s->sched_wait_ns;
    case ORD_BLOCKED:
        return s->sync_block_ns + s->network_wait_ns + s->syscall_block_ns + s->sleep_ns +
               s->other_block_ns;
    default: return 0;
    }
}

static int cmp_func(const ui_state *st, uint32_t a, uint32_t b)
{
    const model_goroutine *ga = model_goroutine_get(st->m, a), *gb = model_goroutine_get(st->m, b);
    size_t la = 0, lb = 0;
    const char *sa = model_str(st->m, ga->func, &la), *sb = model_str(st->m, gb->func, &lb);
    size_t l = la < lb ? la : lb;
    int c = memcmp(sa ? sa : "", sb ? sb : "", l);
    if (c) return c;
    return la < lb ? -1 : la > lb;
}

static int cmp_lane_g(const void *pa, const void *pb)
{
    const ui_state *st = sort_st;
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    const model_goroutine *ga = model_goroutine_get(st->m, a), *gb = model_goroutine_get(st->m, b);
    int c = 0;
    switch (st->order) {
    case ORD_FUNC:
        /* runtime goroutines after the program's */
        c = (int)ga->system - (int)gb->system;
        if (!c) c = cmp_func(st, a, b);
        break;
    case ORD_START: c = ga->first < gb->first ? -1 : ga->first > gb->first; break;
    case ORD_EXEC:
    case ORD_BLOCKED:
    case ORD_SCHED: {
        int64_t ka = gstat_key(st, a, st->order), kb = gstat_key(st, b, st->order);
        c = ka > kb ? -1 : ka < kb; /* most first */
        break;
    }
    default: break;
    }
    if (st->order_rev) c = -c;
    if (!c) c = ga->id < gb->id ? -1 : ga->id > gb->id;
    return c;
}

static uint8_t g_height(const ui_state *st, uint32_t g)
{
    const model_region *r;
    const model_log *lg;
    uint32_t nr = model_goroutine_regions(st->m, g, &r);
    uint32_t nl = model_goroutine_logs(st->m, g, &lg);
    int depth = 0;
    for (uint32_t i = 0; i < nr; i++)
        if (r[i].depth + 1 > depth) depth = r[i].depth + 1;
    if (depth > UI_MAX_STRIPS) depth = UI_MAX_STRIPS;
    if (depth == 0 && nl) depth = 1;
    return (uint8_t)(1 + depth);
}

/* Group state: a group is collapsed by default when it has more than
 * UI_GROUP_COLLAPSE members; st->toggled holds the func ids (sorted) whose
 * state the user flipped. */
static int group_toggled(const ui_state *st, uint32_t func)
{
    uint32_t lo = 0, hi = st->ntoggled;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (st->toggled[mid] < func) lo = mid + 1;
        else hi = mid;
    }
    return lo < st->ntoggled && st->toggled[lo] == func;
}

static void group_toggle(ui_state *st, uint32_t func)
{
    uint32_t lo = 0, hi = st->ntoggled;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (st->toggled[mid] < func) lo = mid + 1;
        else hi = mid;
    }
    if (lo < st->ntoggled && st->toggled[lo] == func) {
        memmove(st->toggled + lo, st->toggled + lo + 1, (st->ntoggled - lo - 1) * sizeof *st->toggled);
        st->ntoggled--;
        return;
    }
    if (st->ntoggled == st->toggled_cap) {
        uint32_t cap = st->toggled_cap ? st->toggled_cap * 2 : 16;
        uint32_t *t = realloc(st->toggled, cap * sizeof *t);
        if (!t) return;
        st->toggled = t;
        st->toggled_cap = cap;
    }
    memmove(st->toggled + lo + 1, st->toggled + lo, (st->ntoggled - lo) * sizeof *st->toggled);
    st->toggled[lo] = func;
    st->ntoggled++;
}

int ui_group_collapsed(const ui_state *st, uint32_t func, uint32_t count)
{
    int def = count > UI_GROUP_COLLAPSE;
    return group_toggled(st, func) ? !def : def;
}

int ui_build_lanes(ui_state *st)
{
    uint32_t ng = model_lane_count(st->m, ML_GOROUTINE);
    uint32_t np = model_lane_count(st->m, ML_PROC);
    uint32_t nm = model_lane_count(st->m, ML_THREAD);
    uint32_t ngc = model_lane_count(st->m, ML_GC);
    uint32_t n = ngc + PLOT__COUNT + 2 * ng + np + nm; /* at most one header per goroutine */
    int keep_kind = -1;
    uint32_t keep_idx = 0;
    if (st->lanes && st->sel_lane < st->nlanes) {
        keep_kind = st->lanes[st->sel_lane].kind;
        keep_idx = st->lanes[st->sel_lane].idx;
    }
    ui_lane *l = realloc(st->lanes, (n ? n : 1) * sizeof *l);
    if (!l) return -1;
    st->lanes = l;
    if (!st->g_lane) st->g_lane = calloc(ng ? ng : 1, sizeof *st->g_lane);
    if (!st->gorder) st->gorder = calloc(ng ? ng : 1, sizeof *st->gorder);
    uint32_t *order = st->gorder;
    if (!st->g_lane || !order) return -1;
    uint32_t k = 0;
    for (uint32_t i = 0; i < ngc; i++) l[k++] = (ui_lane){LK_GC, 2, i, 0, 0}; /* + assist/sweep row */
    for (uint32_t i = 0; i < PLOT__COUNT; i++) l[k++] = (ui_lane){LK_PLOT, 1, i, 0, 0};
    for (uint32_t i = 0; i < ng; i++) order[i] = i;
    sort_st = st;
    qsort(order, ng, sizeof *order, cmp_lane_g);
    for (uint32_t i = 0; i < ng;) {
        uint32_t j = i + 1;
        if (st->order == ORD_FUNC) { /* a group: same start function */
            const model_goroutine *gi = model_goroutine_get(st->m, order[i]);
            while (j < ng && model_goroutine_get(st->m, order[j])->func == gi->func) j++;
        }
        uint32_t cnt = j - i;
        int collapsed = 0;
        if (cnt >= 2) {
            uint32_t func = model_goroutine_get(st->m, order[i])->func;
            collapsed = ui_group_collapsed(st, func, cnt);
            l[k++] = (ui_lane){LK_GROUP, 1, order[i], cnt, i};
        }
        for (uint32_t x = i; x < j; x++) {
            if (collapsed) {
                st->g_lane[order[x]] = k - 1; /* the header stands for its members */
                continue;
            }
            st->g_lane[order[x]] = k;
            l[k++] = (ui_lane){LK_G, g_height(st, order[x]), order[x], 0, 0};
        }
        i = j;
    }
    for (uint32_t i = 0; i < np; i++) l[k++] = (ui_lane){LK_P, 1, i, 0, 0};
    for (uint32_t i = 0; i < nm; i++) l[k++] = (ui_lane){LK_M, 1, i, 0, 0};
    st->nlanes = k;
    if (k < n) { /* folded groups: far fewer lanes than the room made (16 bytes a goroutine twice) */
        ui_lane *fit = realloc(l, (k ? k : 1) * sizeof *l);
        if (fit) st->lanes = l = fit;
    }
    if (keep_kind == LK_G) {
        st->sel_lane = st->g_lane[keep_idx];
    } else if (keep_kind >= 0) {
        for (uint32_t i = 0; i < k; i++)
            if (l[i].kind == keep_kind && l[i].idx == keep_idx) {
                st->sel_lane = i;
                break;
            }
    }
    if (st->sel_lane >= st->nlanes) st->sel_lane = st->nlanes ? st->nlanes - 1 : 0;
    ui_sort_matches(st);
    return 0;
}

/* Select the lane of goroutine gi, expanding its group if it is collapsed. */
void ui_select_g(ui_state *st, uint32_t gi)
{
    uint32_t li = st->g_lane[gi];
    if (li < st->nlanes && st->lanes[li].kind == LK_GROUP) {
        group_toggle(st, model_goroutine_get(st->m, gi)->func);
        st->sel_lane = li;
        ui_build_lanes(st);
        li = st->g_lane[gi];
    }
    st->sel_lane = li;
    ui_reveal_lane(st);
}

/* Enter on a group header: fold or unfold it. */
static void toggle_group(ui_state *st)
{
    ui_lane *l = &st->lanes[st->sel_lane];
    uint32_t first = l->idx;
    group_toggle(st, model_goroutine_get(st->m, first)->func);
    ui_build_lanes(st);
    for (uint32_t i = 0; i < st->nlanes; i++)
        if (st->lanes[i].kind == LK_GROUP && st->lanes[i].idx == first) {
            st->sel_lane = i;
            break;
        }
    ui_reveal_lane(st);
}

/* ---- layout --------------------------------------------------------------- */

void ui_layout(ui_state *st, int *lanes_top, int *lanes_rows, int *panel_top, int *panel_rows)
{
    int rows = st->grid.rows;
    int body_top = 2, body_rows = rows - 3; /* title, axis ... status */
    if (body_rows < 1) body_rows = 1;
    int ph = 0;
    if (st->panel_open && st->view == VIEW_TIMELINE) {
        ph = rows * 55 / 100;
        if (ph < 8) ph = 8;
        if (ph > body_rows - 3) ph = body_rows - 3;
        if (ph < 0) ph = 0;
    }
    *lanes_top = body_top;
    *lanes_rows = body_rows - ph;
    *panel_top = body_top + body_rows - ph;
    *panel_rows = ph;
}

static void compute_label_w(ui_state *st)
{
    int w = st->grid.cols / 5;
    if (w < 14) w = 14;
    if (w > 34) w = 34;
    if (w > st->grid.cols - 10) w = st->grid.cols / 2;
    st->label_w = w;
}

/* Keep the selected lane visible. */
void ui_reveal_lane(ui_state *st)
{
    int lt, lr, pt, pr;
    ui_layout(st, &lt, &lr, &pt, &pr);
    if (st->sel_lane < st->lane_top) st->lane_top = st->sel_lane;
    /* rows from lane_top to the end of sel_lane must fit */
    for (;;) {
        int h = 0;
        for (uint32_t i = st->lane_top; i <= st->sel_lane && i < st->nlanes; i++) h += st->lanes[i].height;
        if (h <= lr || st->lane_top >= st->sel_lane) break;
        st->lane_top++;
    }
}

void ui_reveal_cursor(ui_state *st)
{
    tl_reveal(&st->vp, st->cursor, st->vp.cols / 10);
}

static void clamp_cursor(ui_state *st)
{
    if (st->cursor < st->info->t_start) st->cursor = st->info->t_start;
    if (st->cursor > st->info->t_end) st->cursor = st->info->t_end;
}

/* Move the cursor into the view if it left it. */
static void cursor_into_view(ui_state *st)
{
    int c = tl_time_col(&st->vp, st->cursor);
    if (c < 0 || c >= st->vp.cols) st->cursor = tl_col_time(&st->vp, st->vp.cols / 2);
    clamp_cursor(st);
}

/* ---- init ------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct task_ix {
    uint64_t id;
    uint32_t i;
} task_ix;

static int cmp_task_ix(const void *a, const void *b)
{
    const task_ix *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The index in t of task id (the first if repeated), or UINT32_MAX. */
static uint32_t task_index(const task_ix *ids, uint32_t nt, uint64_t id)
{
    uint32_t lo = 0, hi = nt;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ids[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < nt && ids[lo].id == id ? ids[lo].i : UINT32_MAX;
}

/* Add (task of ref, goroutine lane gi) to st->task_g unless it is the pair
 * added last; 0 ok, -1 no memory. */
/* The pair (task index ti, goroutine lane gi), unless it was the last one. */
static int add_task_pair(ui_state *st, uint32_t ti, uint32_t gi, size_t *cap)
{
    uint64_t v = ((uint64_t)ti << 32) | gi;
    if (st->ntask_g && st->task_g[st->ntask_g - 1] == v) return 0;
    if (st->ntask_g == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        uint64_t *n = realloc(st->task_g, nc * sizeof *n);
        if (!n) return -1;
        st->task_g = n, *cap = nc;
    }
    st->task_g[st->ntask_g++] = v;
    return 0;
}

/* The pair of a region's or log's task (task_ref) and goroutine lane gi. */
static int add_task_g(ui_state *st, const task_ix *ids, uint32_t nt, uint32_t ref, uint32_t gi,
                      size_t *cap)
{
    uint64_t id = model_task_ref_id(st->m, ref);
    if (id == TT_NO_TASK || id == 0) return 0;
    uint32_t ti = task_index(ids, nt, id);
    return ti == UINT32_MAX ? 0 : add_task_pair(st, ti, gi, cap);
}

static int build_tasks(ui_state *st)
{
    const model_task *t;
    uint32_t nt = model_tasks(st->m, &t);
    const model_region *r;
    uint32_t nr = model_regions_all(st->m, &r);
    st->ntrows = nt + nr;
    st->trows = calloc(st->ntrows ? st->ntrows : 1, sizeof *st->trows);
    if (!st->trows) return -1;
    for (uint32_t i = 0; i < nt; i++) st->trows[i] = (ui_trow){1, i};
    for (uint32_t i = 0; i < nr; i++) st->trows[nt + i] = (ui_trow){0, i};
    /* task id -> task index: binary search over the ids sorted */
    task_ix *ids = malloc(sizeof *ids * (nt ? nt : 1));
    if (!ids) return -1;
    for (uint32_t i = 0; i < nt; i++) ids[i] = (task_ix){t[i].id, i};
    qsort(ids, nt, sizeof *ids, cmp_task_ix);
    /* the (task, goroutine) pairs of every region and log, and of the
     * goroutines that began and ended each task (as Go's task summary) */
    size_t cap = 0;
    st->ntask_g = 0;
    uint32_t ng = model_lane_count(st->m, ML_GOROUTINE);
    for (uint32_t i = 0; i < nt; i++) {
        int64_t g2[2] = {t[i].begin_g, t[i].end_g};
        for (int k = 0; k < 2; k++) {
            uint32_t gi = g2[k] == TT_NO_ID ? UINT32_MAX : model_goroutine_find(st->m, g2[k]);
            if (gi != UINT32_MAX && add_task_pair(st, i, gi, &cap)) goto oom;
        }
    }
    for (uint32_t gi = 0; gi < ng; gi++) {
        const model_region *gr;
        const model_log *lg;
        uint32_t n = model_goroutine_regions(st->m, gi, &gr);
        for (uint32_t i = 0; i < n; i++)
            if (add_task_g(st, ids, nt, gr[i].task_ref, gi, &cap)) goto oom;
        n = model_goroutine_logs(st->m, gi, &lg);
        for (uint32_t i = 0; i < n; i++)
            if (add_task_g(st, ids, nt, lg[i].task_ref, gi, &cap)) goto oom;
    }
    free(ids);
    if (st->ntask_g) qsort(st->task_g, st->ntask_g, sizeof *st->task_g, cmp_u64); /* (task_g may be NULL) */
    uint32_t u = 0;
    for (uint32_t i = 0; i < st->ntask_g; i++)
        if (u == 0 || st->task_g[u - 1] != st->task_g[i]) st->task_g[u++] = st->task_g[i];
    st->ntask_g = u;
    return 0;
oom:
    free(ids);
    st->ntask_g = 0;
    return -1;
}

int ui_init(ui_state *st, model *m, const char *path, int rows, int cols, int utf8)
{
    memset(st, 0, sizeof *st);
    st->m = m;
    st->info = model_get_info(m);
    st->utf8 = utf8;
    snprintf(st->path, sizeof st->path, "%s", path);
    if (ui_grid_init(&st->grid, rows, cols)) return -1;
    st->grid.ascii = !utf8;
    compute_label_w(st);
    tl_init(&st->vp, st->info->t_start, st->info->t_end, cols - st->label_w);
    st->cursor = st->info->t_start;
    st->order = ORD_FUNC;
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    st->is_match = calloc(ng ? ng : 1, 1);
    st->grows = calloc(ng ? ng : 1, sizeof *st->grows);
    st->colbuf = calloc(4096, 1);
    /* st->matches: at the first search (4 bytes a goroutine: 1.7 MB on 1 GB) */
    if (!st->is_match || !st->grows || !st->colbuf) return -1;
    for (uint32_t i = 0; i < ng; i++) st->grows[i] = i;
    if (ui_build_lanes(st)) return -1;
    /* select the first goroutine lane that is not a runtime goroutine */
    st->sel_lane = 0;
    for (uint32_t i = 0; i < st->nlanes; i++)
        if (st->lanes[i].kind == LK_G) {
            st->sel_lane = i;
            break;
        }
    st->lane_top = 0;
    ui_reveal_lane(st);
    ui_compute_plot(st, PLOT_HEAP);
    /* the tables are sorted (and the task/goroutine index built) the first
     * time they are shown: the first frame comes sooner on big traces */
    return 0;
}

/* Build what the tables need on first use. */
void ui_prepare_view(ui_state *st)
{
    if (st->view == VIEW_GTABLE && !st->gt_ready) {
        st->gt_ready = 1;
        ui_gt_sort(st);
    }
    if (st->view == VIEW_TASKS && !st->tk_ready) {
        st->tk_ready = 1;
        if (build_tasks(st)) ui_msg(st, 1, "out of memory");
        ui_tk_sort(st);
    }
}

void ui_free(ui_state *st)
{
    ui_grid_free(&st->grid);
    free(st->lanes);
    free(st->g_lane);
    free(st->gorder);
    free(st->toggled);
    free(st->plines);
    free(st->grows);
    free(st->trows);
    free(st->task_g);
    free(st->matches);
    free(st->is_match);
    free(st->colbuf);
    ui_colcache_free(st);
    memset(st, 0, sizeof *st);
}

void ui_resize(ui_state *st, int rows, int cols)
{
    if (rows < 1) rows = 1;
    if (cols < 1) cols = 1;
    if (ui_grid_resize(&st->grid, rows, cols)) return;
    st->grid.ascii = !st->utf8;
    /* a view of the whole trace stays the whole trace; otherwise the scale
     * and the time at the left edge are kept */
    int whole = st->vp.t0 <= st->vp.tmin && st->vp.t0 + tl_span(&st->vp) >= st->vp.tmax - 1;
    compute_label_w(st);
    tl_set_cols(&st->vp, cols - st->label_w);
    if (whole) tl_fit(&st->vp, st->vp.tmin, st->vp.tmax);
    if (st->panel_open) ui_open_panel(st, st->panel_g); /* lines wrap to the width */
    ui_reveal_lane(st);
}

/* ---- view options ---------------------------------------------------------- */

int ui_parse_view_opt(ui_view_opts *o, int argc, char **argv, int i, char *err, size_t errsz)
{
    static const char *names[] = {"--at", "--span", "--goroutine"};
    const char *a = argv[i];
    for (int k = 0; k < 3; k++) {
        size_t nl = strlen(names[k]);
        const char *val = NULL;
        int used = 0;
        if (!strcmp(a, names[k])) {
            if (i + 1 >= argc) {
                snprintf(err, errsz, "%s needs a value", names[k]);
                return -1;
            }
            val = argv[i + 1];
            used = 2;
        } else if (!strncmp(a, names[k], nl) && a[nl] == '=') {
            val = a + nl + 1;
            used = 1;
        } else {
            continue;
        }
        if (k == 2) {
            char *end;
            long long v = strtoll(val, &end, 10);
            if (*val == 0 || *end || v < 0) {
                snprintf(err, errsz, "--goroutine: '%.40s' is not a goroutine id", val);
                return -1;
            }
            o->has_g = 1;
            o->goroutine = v;
        } else {
            int64_t v;
            if (tl_parse_dur(val, &v)) {
                snprintf(err, errsz, "%s: '%.40s' is not a time (use ns, us, ms or s, e.g. 1.5ms)",
                         names[k], val);
                return -1;
            }
            if (k == 0) {
                o->has_at = 1;
                o->at = v;
            } else {
                if (v <= 0) {
                    snprintf(err, errsz, "--span must be greater than 0");
                    return -1;
                }
                o->has_span = 1;
                o->span = v;
            }
        }
        return used;
    }
    return 0;
}

int ui_apply_opts(ui_state *st, const ui_view_opts *o, char *err, size_t errsz)
{
    int64_t ts = st->info->t_start, te = st->info->t_end;
    if (o->has_g) {
        uint32_t gi = model_goroutine_find(st->m, o->goroutine);
        if (gi == UINT32_MAX) {
            snprintf(err, errsz, "no goroutine %lld in this trace", (long long)o->goroutine);
            return -1;
        }
        ui_select_g(st, gi);
        ui_open_panel(st, gi);
    }
    if (o->has_at && o->at > te - ts) {
        snprintf(err, errsz, "--at is past the end of the trace (duration %lldns)", (long long)(te - ts));
        return -1;
    }
    if (o->has_at || o->has_span) {
        int64_t a = o->has_at ? ts + o->at : st->vp.t0;
        int64_t span = o->has_span ? o->span : tl_span(&st->vp);
        st->vp.t0 = a;
        st->vp.ns_per_col = (double)span / st->vp.cols;
        tl_clamp(&st->vp);
        if (o->has_at) st->vp.t0 = a < te ? a : te, tl_clamp(&st->vp);
        st->cursor = st->vp.t0;
    } else if (o->has_g) {
        const model_goroutine *g = model_goroutine_get(st->m, st->panel_g);
        if (g) st->cursor = g->first;
        clamp_cursor(st);
    }
    ui_reveal_lane(st);
    return 0;
}

int ui_view_cmdline(ui_state *st, int snapshot, char *buf, size_t n)
{
    char at[48], span[48], q[1100], safe[1100];
    tl_fmt_exact(st->vp.t0 - st->info->t_start, at, sizeof at);
    tl_fmt_exact(tl_span(&st->vp), span, sizeof span);
    /* shell-quote the path when needed (and never let bytes of it reach the terminal) */
    ui_sanitize(st->path, strlen(st->path), !st->utf8, safe, sizeof safe);
    int plain = safe[0] != 0;
    for (const char *p = safe; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+,:@%", *p) &&
            !((unsigned char)*p >= 0x80))
            plain = 0;
    if (plain) {
        snprintf(q, sizeof q, "%s", safe);
    } else {
        size_t o = 0;
        q[o++] = '\'';
        for (const char *p = safe; *p && o + 5 < sizeof q; p++) {
            if (*p == '\'') {
                memcpy(q + o, "'\\''", 4);
                o += 4;
            } else {
                q[o++] = *p;
            }
        }
        q[o++] = '\'';
        q[o] = 0;
    }
    char gopt[48] = "";
    if (st->panel_open) {
        const model_goroutine *g = model_goroutine_get(st->m, st->panel_g);
        if (g) snprintf(gopt, sizeof gopt, " --goroutine %lld", (long long)g->id);
    }
    char size[32] = "";
    if (snapshot) snprintf(size, sizeof size, " --size %dx%d", st->grid.cols, st->grid.rows);
    return snprintf(buf, n, "gotv%s%s --at %s --span %s%s %s", snapshot ? " snapshot" : "", size, at,
                    span, gopt, q);
}

/* ---- history (q goes back) ------------------------------------------------ */

void ui_push_hist(ui_state *st)
{
    if (st->nhist == (int)(sizeof st->hist / sizeof st->hist[0])) {
        memmove(st->hist, st->hist + 1, sizeof st->hist - sizeof st->hist[0]);
        st->nhist--;
    }
    ui_hist *h = &st->hist[st->nhist++];
    h->t0 = st->vp.t0;
    h->npc = st->vp.ns_per_col;
    h->cursor = st->cursor;
    h->sel_lane = st->sel_lane;
    h->panel_open = st->panel_open;
    h->panel_g = st->panel_g;
    h->view = st->view;
}

static void pop_hist(ui_state *st)
{
    ui_hist *h = &st->hist[--st->nhist];
    st->vp.t0 = h->t0;
    st->vp.ns_per_col = h->npc;
    tl_clamp(&st->vp);
    st->cursor = h->cursor;
    st->sel_lane = h->sel_lane < st->nlanes ? h->sel_lane : 0;
    st->view = (enum ui_view)h->view;
    if (h->panel_open)
        ui_open_panel(st, h->panel_g);
    else
        st->panel_open = 0;
    ui_reveal_lane(st);
}

/* ---- search ---------------------------------------------------------------- */

static int cmp_match(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    uint32_t ra = sort_st->g_lane[a], rb = sort_st->g_lane[b];
    return ra < rb ? -1 : ra > rb;
}

void ui_sort_matches(ui_state *st)
{
    if (!st->nmatches) return;
    sort_st = st;
    qsort(st->matches, st->nmatches, sizeof *st->matches, cmp_match);
}

static void goto_match(ui_state *st, int i)
{
    if (!st->nmatches) return;
    st->match_i = (i % (int)st->nmatches + (int)st->nmatches) % (int)st->nmatches;
    uint32_t g = st->matches[st->match_i];
    ui_select_g(st, g);
    ui_reveal_lane(st);
    if (st->panel_open) ui_open_panel(st, g);
    char lab[256];
    ui_glabel(st, g, lab, sizeof lab);
    char pat[300];
    ui_sanitize(st->search, strlen(st->search), !st->utf8, pat, sizeof pat);
    ui_msg(st, 0, "/%s: match %d of %u: %s", pat, st->match_i + 1, st->nmatches, lab);
}

static void run_search(ui_state *st, const char *text)
{
    uint32_t ng = model_lane_count(st->m, ML_GOROUTINE);
    snprintf(st->search, sizeof st->search, "%s", text);
    memset(st->is_match, 0, ng ? ng : 1);
    st->nmatches = 0;
    if (text[0] && !st->matches && !(st->matches = calloc(ng ? ng : 1, sizeof *st->matches))) {
        ui_msg(st, 1, "out of memory");
        return;
    }
    st->nmatches = text[0] ? model_search_goroutines(st->m, text, st->matches, ng) : 0;
    if (st->nmatches > ng) st->nmatches = ng;
    for (uint32_t i = 0; i < st->nmatches; i++) st->is_match[st->matches[i]] = 1;
    ui_sort_matches(st);
    if (st->view != VIEW_TIMELINE) st->view = VIEW_TIMELINE;
    if (!st->nmatches) {
        char pat[300];
        ui_sanitize(text, strlen(text), !st->utf8, pat, sizeof pat);
        ui_msg(st, 1, "no goroutine matches '%s'", pat);
        return;
    }
    /* first match at or after the selected lane */
    int first = 0;
    for (uint32_t i = 0; i < st->nmatches; i++)
        if (st->g_lane[st->matches[i]] >= st->sel_lane) {
            first = (int)i;
            break;
        }
    goto_match(st, first);
}

/* ---- ':' commands ---------------------------------------------------------- */

static void jump_time(ui_state *st, int64_t rel)
{
    ui_push_hist(st);
    st->cursor = st->info->t_start + rel;
    clamp_cursor(st);
    int c = tl_time_col(&st->vp, st->cursor);
    if (c < 0 || c >= st->vp.cols) {
        st->vp.t0 = st->cursor - (int64_t)(st->vp.ns_per_col * st->vp.cols / 2);
        tl_clamp(&st->vp);
    }
    char b[32];
    tl_fmt_exact(rel, b, sizeof b);
    ui_msg(st, 0, "cursor at %s", b);
}

static void run_prompt(ui_state *st, const char *line)
{
    while (*line == ' ') line++;
    const char *arg = line;
    char cmd[16] = "";
    size_t i = 0;
    while (arg[i] && arg[i] != ' ' && i < sizeof cmd - 1) cmd[i] = arg[i], i++;
    cmd[i] = 0;
    arg += i;
    while (*arg == ' ') arg++;
    int64_t v;
    if (!strcmp(cmd, "t") || !strcmp(cmd, "time") || !strcmp(cmd, "goto")) {
        if (tl_parse_dur(arg, &v)) {
            ui_msg(st, 1, ":t needs a time like 1.5ms, 200us, 3s");
            return;
        }
        if (v > st->info->t_end - st->info->t_start) {
            ui_msg(st, 1, "past the end of the trace");
            return;
        }
        jump_time(st, v);
    } else if (!strcmp(cmd, "g") || !strcmp(cmd, "goroutine")) {
        char *end;
        long long id = strtoll(arg, &end, 10);
        uint32_t gi = (*arg && !*end) ? model_goroutine_find(st->m, id) : UINT32_MAX;
        if (gi == UINT32_MAX) {
            ui_msg(st, 1, "no goroutine '%.20s'", arg);
            return;
        }
        ui_push_hist(st);
        st->view = VIEW_TIMELINE;
        ui_select_g(st, gi);
        if (st->panel_open) ui_open_panel(st, gi);
    } else if (!strcmp(cmd, "q") || !strcmp(cmd, "quit")) {
        st->msg[0] = 0;
        st->mode = MODE_NORMAL;
        st->input_len = -1; /* signal quit to ui_key */
    } else if (cmd[0] && !tl_parse_dur(line, &v)) {
        jump_time(st, v);
    } else if (cmd[0]) {
        char c[40];
        ui_sanitize(cmd, strlen(cmd), 1, c, sizeof c);
        ui_msg(st, 1, "unknown command ':%s' (try :t TIME, :g ID, :q)", c);
    }
}

/* ---- movement on a lane ----------------------------------------------------- */

static void set_selection(ui_state *st, int64_t a, int64_t b)
{
    st->sel0 = a;
    st->sel1 = b;
}

static void describe_span(ui_state *st, const ui_lane *l, const model_span *s)
{
    char d[32], at[32], reason[200] = "";
    tl_fmt_dur(s->end - s->start, d, sizeof d);
    ui_rel(st, s->start, at, sizeof at);
    if (s->reason) ui_safe_str(st, s->reason, reason, sizeof reason);
    const char *name = model_state_name((model_state)s->state);
    if (l->kind == LK_G && s->state == MS_WAITING && s->other >= 0)
        ui_msg(st, 0, "%s%s%s%s for %s at %s, unblocked by G%d (u jumps there)", name,
               reason[0] ? " (" : "", reason, reason[0] ? ")" : "", d, at, s->other);
    else if ((l->kind == LK_P || l->kind == LK_M) && s->other >= 0)
        ui_msg(st, 0, "%s G%d for %s at %s", name, s->other, d, at);
    else
        ui_msg(st, 0, "%s%s%s%s for %s at %s", name, reason[0] ? " (" : "", reason,
               reason[0] ? ")" : "", d, at);
}

static void move_transition(ui_state *st, int dir)
{
    const ui_lane *l = &st->lanes[st->sel_lane];
    if (!ui_lane_nspans(st, l)) {
        ui_msg(st, 1, "no transitions on this lane");
        return;
    }
    /* the nearest state change that is in another column, so that the
     * cursor visibly moves at any zoom (when zoomed in: the next change) */
    int col = tl_time_col(&st->vp, st->cursor);
    int64_t target = -1;
    model_span sp;
    if (dir > 0) {
        int64_t t = tl_col_time(&st->vp, col + 1);
        if (t <= st->cursor) t = st->cursor + 1;
        uint32_t i = ui_lane_span_after(st, l, t - 1); /* first span with end >= t */
        if (ui_lane_span(st, l, i, &sp)) target = sp.start >= t ? sp.start : sp.end;
        if (target >= st->info->t_end) target = -1;
    } else {
        int64_t t = tl_col_time(&st->vp, col);
        if (t > st->cursor) t = st->cursor;
        uint32_t i = ui_lane_span_after(st, l, t - 1); /* first span with end >= t */
        if (ui_lane_span(st, l, i, &sp) && sp.start < t)
            target = sp.start;
        else if (i > 0 && ui_lane_span(st, l, i - 1, &sp))
            target = sp.end < t ? sp.end : sp.start;
    }
    if (target < 0) {
        ui_msg(st, 1, dir > 0 ? "no later transition" : "no earlier transition");
        return;
    }
    st->cursor = target;
    ui_reveal_cursor(st);
    const model_span *s = ui_span_at(st, l, st->cursor, NULL, &sp);
    if (s) {
        set_selection(st, s->start, s->end);
        describe_span(st, l, s);
    }
}

static void move_block(ui_state *st, int dir)
{
    const ui_lane *l = &st->lanes[st->sel_lane];
    if (l->kind != LK_G) {
        ui_msg(st, 1, "blocking episodes are on goroutine lanes");
        return;
    }
    uint32_t n = ui_lane_nspans(st, l);
    uint32_t i = ui_lane_span_after(st, l, st->cursor);
    model_span s;
    int found = 0;
    if (dir > 0) {
        /* the first blocking span starting after the cursor (spans after
         * i start at or after span i's end, which is > the cursor) */
        for (; i < n && ui_lane_span(st, l, i, &s); i++)
            if (s.start > st->cursor && is_blocking(s.state)) {
                found = 1;
                break;
            }
    } else {
        /* the last blocking span starting before the cursor */
        for (int64_t j = i < n ? (int64_t)i : (int64_t)n - 1; j >= 0; j--)
            if (ui_lane_span(st, l, (uint32_t)j, &s) && is_blocking(s.state) && s.start < st->cursor) {
                found = 1;
                break;
            }
    }
    if (!found) {
        ui_msg(st, 1, dir > 0 ? "no later blocking episode" : "no earlier blocking episode");
        return;
    }
    st->cursor = s.start;
    ui_reveal_cursor(st);
    set_selection(st, s.start, s.end);
    describe_span(st, l, &s);
}

static void fit_selection(ui_state *st)
{
    int64_t a = st->sel0, b = st->sel1;
    if (b <= a) {
        model_span sb;
        const model_span *s = ui_span_at(st, &st->lanes[st->sel_lane], st->cursor, NULL, &sb);
        if (!s) {
            ui_msg(st, 1, "nothing selected");
            return;
        }
        a = s->start;
        b = s->end;
    }
    ui_push_hist(st);
    int64_t margin = (b - a) / 10;
    tl_fit(&st->vp, a - margin, b + margin);
    st->cursor = a;
    cursor_into_view(st);
}

/* Unblocker of the waiting span under the cursor (timeline) or the selected
 * episode (panel); jump to that goroutine at the unblock time. */
static void jump_unblocker(ui_state *st)
{
    const model_span *s = NULL;
    model_span sb;
    if (st->panel_open) {
        s = ui_panel_episode(st, &sb);
    } else if (st->lanes[st->sel_lane].kind == LK_G) {
        s = ui_span_at(st, &st->lanes[st->sel_lane], st->cursor, NULL, &sb);
    }
    if (!s || s->state != MS_WAITING) {
        ui_msg(st, 1, "select a blocked span first ({ } or Enter in the panel)");
        return;
    }
    if (s->other < 0) {
        ui_msg(st, 1, "the trace does not say who unblocked this");
        return;
    }
    uint32_t gi = model_goroutine_find(st->m, s->other);
    if (gi == UINT32_MAX) {
        ui_msg(st, 1, "goroutine %d is not in the trace", s->other);
        return;
    }
    int64_t t = s->end;
    ui_push_hist(st);
    st->view = VIEW_TIMELINE;
    ui_select_g(st, gi);
    st->cursor = t;
    int c = tl_time_col(&st->vp, t);
    if (c < 0 || c >= st->vp.cols) {
        st->vp.t0 = t - (int64_t)(st->vp.ns_per_col * st->vp.cols / 2);
        tl_clamp(&st->vp);
    }
    ui_reveal_lane(st);
    if (st->panel_open) ui_open_panel(st, gi);
    char lab[256], at[32];
    ui_glabel(st, gi, lab, sizeof lab);
    ui_rel(st, t, at, sizeof at);
    ui_msg(st, 0, "unblocker: %s at %s (q goes back)", lab, at);
}

static void jump_parent(ui_state *st)
{
    const ui_lane *l = &st->lanes[st->sel_lane];
    uint32_t g = st->panel_open ? st->panel_g : (l->kind == LK_G ? l->idx : UINT32_MAX);
    const model_goroutine *gr = g != UINT32_MAX ? model_goroutine_get(st->m, g) : NULL;
    if (!gr) {
        ui_msg(st, 1, "select a goroutine lane first");
        return;
    }
    uint32_t pi = gr->parent >= 0 ? model_goroutine_find(st->m, gr->parent) : UINT32_MAX;
    if (pi == UINT32_MAX) {
        ui_msg(st, 1, "the creator of G%lld is not in the trace", (long long)gr->id);
        return;
    }
    ui_push_hist(st);
    ui_select_g(st, pi);
    st->cursor = gr->first;
    clamp_cursor(st);
    ui_reveal_cursor(st);
    ui_reveal_lane(st);
    if (st->panel_open) ui_open_panel(st, pi);
    char lab[256];
    ui_glabel(st, pi, lab, sizeof lab);
    ui_msg(st, 0, "creator: %s (q goes back)", lab);
}

/* ---- dispatch --------------------------------------------------------------- */

static void lane_move(ui_state *st, int64_t d)
{
    int64_t n = (int64_t)st->sel_lane + d;
    if (n < 0) n = 0;
    if (n >= (int64_t)st->nlanes) n = (int64_t)st->nlanes - 1;
    if (n < 0) n = 0;
    st->sel_lane = (uint32_t)n;
    ui_reveal_lane(st);
    const ui_lane *l = &st->lanes[st->sel_lane];
    if (st->panel_open && l->kind == LK_G) ui_open_panel(st, l->idx);
}

static int page_lanes(ui_state *st)
{
    int lt, lr, pt, pr;
    ui_layout(st, &lt, &lr, &pt, &pr);
    return lr > 2 ? lr - 1 : 1;
}

static int timeline_cmd(ui_state *st, enum ui_cmd c)
{
    const ui_lane *l = &st->lanes[st->sel_lane];
    int step = st->vp.cols / 8 > 0 ? st->vp.cols / 8 : 1;
    switch (c) {
    case CMD_SCROLL_LEFT:
    case CMD_SCROLL_RIGHT: {
        int64_t before = st->vp.t0;
        tl_pan(&st->vp, c == CMD_SCROLL_LEFT ? -step : step);
        st->cursor += st->vp.t0 - before;
        if (st->vp.t0 == before) { /* at an edge: move the cursor instead */
            st->cursor += (int64_t)((c == CMD_SCROLL_LEFT ? -step : step) * st->vp.ns_per_col);
        }
        clamp_cursor(st);
        cursor_into_view(st);
        return UI_REDRAW;
    }
    case CMD_CURSOR_LEFT:
    case CMD_CURSOR_RIGHT: {
        int col = tl_time_col(&st->vp, st->cursor) + (c == CMD_CURSOR_LEFT ? -1 : 1);
        if (col < 0) {
            tl_pan(&st->vp, -1);
            col = 0;
        } else if (col >= st->vp.cols) {
            tl_pan(&st->vp, 1);
            col = st->vp.cols - 1;
        }
        st->cursor = tl_col_time(&st->vp, col);
        clamp_cursor(st);
        return UI_REDRAW;
    }
    case CMD_ZOOM_IN:
    case CMD_ZOOM_OUT: {
        int col = tl_time_col(&st->vp, st->cursor);
        if (col < 0 || col >= st->vp.cols) col = st->vp.cols / 2;
        /* keep the cursor time exactly under its column */
        double frac = ((double)(st->cursor - st->vp.t0)) / st->vp.ns_per_col;
        double tc = (double)st->cursor;
        st->vp.ns_per_col *= c == CMD_ZOOM_IN ? 0.5 : 2.0;
        tl_clamp(&st->vp);
        st->vp.t0 = (int64_t)(tc - frac * st->vp.ns_per_col);
        tl_clamp(&st->vp);
        cursor_into_view(st);
        return UI_REDRAW;
    }
    case CMD_FIT_ALL:
        ui_push_hist(st);
        tl_fit(&st->vp, st->info->t_start, st->info->t_end);
        return UI_REDRAW;
    case CMD_FIT_SEL: fit_selection(st); return UI_REDRAW;
    case CMD_LANE_DOWN: lane_move(st, 1); return UI_REDRAW;
    case CMD_LANE_UP: lane_move(st, -1); return UI_REDRAW;
    case CMD_LANE_FIRST: lane_move(st, -(int64_t)st->nlanes); return UI_REDRAW;
    case CMD_LANE_LAST: lane_move(st, st->nlanes); return UI_REDRAW;
    case CMD_PAGE_DOWN: lane_move(st, page_lanes(st)); return UI_REDRAW;
    case CMD_PAGE_UP: lane_move(st, -page_lanes(st)); return UI_REDRAW;
    case CMD_OPEN:
        if (l->kind == LK_GROUP) {
            toggle_group(st);
        } else if (l->kind == LK_G) {
            ui_open_panel(st, l->idx);
            ui_reveal_lane(st);
        } else if (l->kind == LK_P || l->kind == LK_M) {
            model_span sb;
            const model_span *s = ui_span_at(st, l, st->cursor, NULL, &sb);
            uint32_t gi = s && s->other >= 0 ? model_goroutine_find(st->m, s->other) : UINT32_MAX;
            if (gi == UINT32_MAX) {
                ui_msg(st, 1, "no goroutine runs here at the cursor");
                return UI_REDRAW;
            }
            ui_push_hist(st);
            ui_select_g(st, gi);
            ui_open_panel(st, gi);
            ui_reveal_lane(st);
        } else {
            ui_msg(st, 1, "Enter opens the panel of a goroutine lane");
        }
        return UI_REDRAW;
    case CMD_PREV_TRANS: move_transition(st, -1); return UI_REDRAW;
    case CMD_NEXT_TRANS: move_transition(st, 1); return UI_REDRAW;
    case CMD_PREV_BLOCK: move_block(st, -1); return UI_REDRAW;
    case CMD_NEXT_BLOCK: move_block(st, 1); return UI_REDRAW;
    case CMD_SORT:
    case CMD_SORT_REVERSE: {
        static const char *names[ORD__COUNT] = {"start function", "id", "start time", "execution time",
                                                "blocked time", "scheduler wait"};
        if (c == CMD_SORT) st->order = (st->order + 1) % ORD__COUNT;
        else st->order_rev = !st->order_rev;
        ui_build_lanes(st);
        ui_reveal_lane(st);
        ui_msg(st, 0, "goroutine lanes by %s%s", names[st->order], st->order_rev ? ", reversed" : "");
        return UI_REDRAW;
    }
    default: return 0;
    }
}

int ui_dispatch(ui_state *st, enum ui_cmd c)
{
    if (c == CMD_NONE) return 0;
    if (c == CMD_QUIT) return UI_QUIT;
    if (c == CMD_REDRAW) return UI_REDRAW | UI_FULL_REDRAW;
    if (c == CMD_SUSPEND) return UI_SUSPEND;
    if (c != CMD_YANK) st->msg[0] = 0;
    if (st->help_open) {
        int n = (int)ui_help_count();
        switch (c) {
        case CMD_HELP:
        case CMD_CLOSE:
        case CMD_BACK: st->help_open = 0; break;
        case CMD_LANE_DOWN: st->help_top++; break;
        case CMD_LANE_UP: st->help_top--; break;
        case CMD_PAGE_DOWN: st->help_top += st->grid.rows - 4; break;
        case CMD_PAGE_UP: st->help_top -= st->grid.rows - 4; break;
        case CMD_LANE_FIRST: st->help_top = 0; break;
        case CMD_LANE_LAST: st->help_top = n; break;
        default: break;
        }
        if (st->help_top > n - (st->grid.rows - 4)) st->help_top = n - (st->grid.rows - 4);
        if (st->help_top < 0) st->help_top = 0;
        return UI_REDRAW;
    }
    switch (c) {
    case CMD_HELP:
        st->help_open = 1;
        st->help_top = 0;
        return UI_REDRAW;
    case CMD_SEARCH:
    case CMD_PROMPT:
        st->mode = c == CMD_SEARCH ? MODE_SEARCH : MODE_PROMPT;
        st->input[0] = 0;
        st->input_len = 0;
        return UI_REDRAW;
    case CMD_NEXT_MATCH:
    case CMD_PREV_MATCH:
        if (!st->nmatches) {
            ui_msg(st, 1, st->search[0] ? "no matches" : "no search yet: press / first");
            return UI_REDRAW;
        }
        st->view = VIEW_TIMELINE;
        goto_match(st, st->match_i + (c == CMD_NEXT_MATCH ? 1 : -1));
        return UI_REDRAW;
    case CMD_NEXT_VIEW:
    case CMD_PREV_VIEW:
        st->view = (enum ui_view)((st->view + (c == CMD_NEXT_VIEW ? 1 : VIEW__COUNT - 1)) % VIEW__COUNT);
        return UI_REDRAW;
    case CMD_YANK:
        ui_view_cmdline(st, 0, st->yank, sizeof st->yank);
        st->yank_pending = 1;
        ui_msg(st, 0, "%s", st->yank);
        return UI_REDRAW;
    case CMD_JUMP_UNBLOCKER: jump_unblocker(st); return UI_REDRAW;
    case CMD_JUMP_PARENT: jump_parent(st); return UI_REDRAW;
    case CMD_CLOSE:
        if (st->panel_open && st->view == VIEW_TIMELINE) st->panel_open = 0;
        else if (st->view != VIEW_TIMELINE) st->view = VIEW_TIMELINE;
        ui_reveal_lane(st);
        return UI_REDRAW;
    case CMD_BACK:
        if (st->nhist) pop_hist(st);
        else if (st->panel_open && st->view == VIEW_TIMELINE) st->panel_open = 0;
        else if (st->view != VIEW_TIMELINE) st->view = VIEW_TIMELINE;
        else return UI_QUIT;
        ui_reveal_lane(st);
        return UI_REDRAW;
    default: break;
    }
    ui_prepare_view(st);
    if (st->view == VIEW_GTABLE) return ui_gtable_cmd(st, c);
    if (st->view == VIEW_TASKS) return ui_tasks_cmd(st, c);
    if (st->panel_open) {
        int r = ui_panel_cmd(st, c);
        if (r) return r;
    }
    return timeline_cmd(st, c);
}

int ui_key(ui_state *st, const TermKeyKey *key)
{
    if (st->mode == MODE_NORMAL) return ui_dispatch(st, ui_keymap_lookup(key));
    /* line editing for the search box and the ':' prompt */
    if (key->type == TERMKEY_TYPE_KEYSYM) {
        switch (key->code.sym) {
        case TERMKEY_SYM_ESCAPE: st->mode = MODE_NORMAL; return UI_REDRAW;
        case TERMKEY_SYM_BACKSPACE:
        case TERMKEY_SYM_DEL:
            if (st->input_len == 0) {
                st->mode = MODE_NORMAL;
                return UI_REDRAW;
            }
            /* drop one UTF-8 character */
            do st->input_len--;
            while (st->input_len > 0 && ((unsigned char)st->input[st->input_len] & 0xc0) == 0x80);
            st->input[st->input_len] = 0;
            return UI_REDRAW;
        case TERMKEY_SYM_ENTER: {
            enum ui_mode m = st->mode;
            char line[256];
            snprintf(line, sizeof line, "%s", st->input);
            st->mode = MODE_NORMAL;
            st->msg[0] = 0;
            if (m == MODE_SEARCH)
                run_search(st, line);
            else {
                run_prompt(st, line);
                if (st->input_len == -1) {
                    st->input_len = 0;
                    return UI_QUIT;
                }
            }
            return UI_REDRAW;
        }
        case TERMKEY_SYM_SPACE: break;
        default: return 0;
        }
    }
    if (key->type == TERMKEY_TYPE_UNICODE && (key->modifiers & TERMKEY_KEYMOD_CTRL)) {
        if (key->code.codepoint == 'c' || key->code.codepoint == 'g') {
            st->mode = MODE_NORMAL;
            return UI_REDRAW;
        }
        if (key->code.codepoint == 'u') {
            st->input_len = 0;
            st->input[0] = 0;
            return UI_REDRAW;
        }
        return 0;
    }
    uint32_t cp = 0;
    if (key->type == TERMKEY_TYPE_UNICODE) cp = (uint32_t)key->code.codepoint;
    else if (key->type == TERMKEY_TYPE_KEYSYM && key->code.sym == TERMKEY_SYM_SPACE) cp = ' ';
    if (cp < 0x20 || cp == 0x7f) return 0;
    char b[4];
    size_t n = ui_utf8_encode(cp, b);
    if ((size_t)st->input_len + n >= sizeof st->input) return 0;
    memcpy(st->input + st->input_len, b, n);
    st->input_len += (int)n;
    st->input[st->input_len] = 0;
    return UI_REDRAW;
}

int ui_mouse(ui_state *st, int button, int press, int row, int col)
{
    if (!press || st->help_open || st->mode != MODE_NORMAL) return 0;
    int lt, lr, pt, pr;
    ui_layout(st, &lt, &lr, &pt, &pr);
    if (st->view != VIEW_TIMELINE) {
        if (button == 4) return ui_dispatch(st, CMD_LANE_UP);
        if (button == 5) return ui_dispatch(st, CMD_LANE_DOWN);
        if (button == 1) return ui_table_click(st, row);
        return 0;
    }
    if (st->panel_open && row >= pt) {
        if (button == 4) return ui_panel_cmd(st, CMD_LANE_UP);
        if (button == 5) return ui_panel_cmd(st, CMD_LANE_DOWN);
        if (button == 1) return ui_panel_click(st, row - pt);
        return 0;
    }
    int tcol = col - st->label_w;
    if (button == 4 || button == 5) {
        if (tcol < 0 || tcol >= st->vp.cols) tcol = tl_time_col(&st->vp, st->cursor);
        if (tcol < 0 || tcol >= st->vp.cols) tcol = st->vp.cols / 2;
        tl_zoom_at(&st->vp, tcol, button == 4 ? 0.5 : 2.0);
        cursor_into_view(st);
        return UI_REDRAW;
    }
    if (button != 1) return 0;
    if (row == lt - 1 && tcol >= 0 && tcol < st->vp.cols) { /* the axis: move the cursor */
        st->cursor = tl_col_time(&st->vp, tcol);
        clamp_cursor(st);
        st->msg[0] = 0;
        return UI_REDRAW;
    }
    if (row < lt || row >= lt + lr) return 0;
    /* which lane is at this row */
    int r = lt;
    for (uint32_t i = st->lane_top; i < st->nlanes && r < lt + lr; i++) {
        int h = st->lanes[i].height;
        if (row < r + h) {
            st->sel_lane = i;
            st->msg[0] = 0;
            if (tcol >= 0 && tcol < st->vp.cols) {
                st->cursor = tl_col_time(&st->vp, tcol);
                clamp_cursor(st);
                model_span sb;
                const model_span *s = ui_span_at(st, &st->lanes[i], st->cursor, NULL, &sb);
                if (s) {
                    set_selection(st, s->start, s->end);
                    describe_span(st, &st->lanes[i], s);
                }
            }
            if (st->panel_open && st->lanes[i].kind == LK_G) ui_open_panel(st, st->lanes[i].idx);
            ui_reveal_lane(st);
            return UI_REDRAW;
        }
        r += h;
    }
    return 0;
}

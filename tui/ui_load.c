/*
 * Progressive opening of big traces (see ui_load.h): the preview, the
 * background load and the model swap in the running explorer.
 */
#include "tui/ui_load.h"
#include "tui/ui_int.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long env_long(const char *name, long dflt)
{
    const char *e = getenv(name);
    if (!e || !*e) return dflt;
    char *end;
    long v = strtol(e, &end, 10);
    if (*end || v < 0) return dflt;
    return v;
}

size_t ui_preview_bytes(uint64_t file_size)
{
    long forced = env_long("GOTV_PREVIEW_BYTES", -1);
    if (forced >= 0) return forced > 0 && (uint64_t)forced < file_size ? (size_t)forced : 0;
    return file_size > UI_PREVIEW_MIN_FILE ? UI_PREVIEW_BYTES : 0;
}

size_t ui_preview_max_bytes(uint64_t file_size)
{
    if (env_long("GOTV_PREVIEW_BYTES", -1) >= 0) return ui_preview_bytes(file_size);
    if (file_size <= UI_PREVIEW_MIN_FILE) return 0;
    return file_size / 2 < UI_PREVIEW_MAX_BYTES ? (size_t)(file_size / 2) : UI_PREVIEW_MAX_BYTES;
}

size_t ui_preview_bytes_for(const char *path, uint64_t file_size)
{
    size_t n = ui_preview_bytes(file_size);
    if (!n) return 0;
    uint8_t head[16];
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(head, 1, sizeof head, f) : 0;
    if (f) fclose(f);
    int minor = 0;
    if (tt_read_header(head, got, &minor, NULL) != TT_OK || minor < 22) return 0;
    return n;
}

uint64_t ui_preview_events(uint64_t file_size)
{
    long forced = env_long("GOTV_PREVIEW_EVENTS", -1);
    if (forced >= 0) return (uint64_t)forced;
    if (env_long("GOTV_PREVIEW_BYTES", -1) >= 0) return 0;
    uint64_t n = file_size / UI_PREVIEW_EVENT_BYTES;
    return n > UI_PREVIEW_MIN_EVENTS ? n : UI_PREVIEW_MIN_EVENTS;
}

int ui_preview_delay_ms(void)
{
    long v = env_long("GOTV_PREVIEW_DELAY_MS", 0);
    return v > 600000 ? 600000 : (int)v;
}

/* ---- the background load ------------------------------------------------- */

struct ui_bgload {
    pthread_t th;
    int pipe[2];
    char *path;
    int delay_ms;
    int view, rows, cols, utf8; /* view: also build the explorer state */
    _Atomic int cancel;
    _Atomic int done;  /* the model (and state) are ready: ui_bgload_take */
    _Atomic int plots; /* the thread has ended (the goroutine counts too) */
    _Atomic uint64_t bytes_done, bytes_total;
    /* written by the thread before done is set, read after it */
    tt_status st;
    model *m;
    ui_state *ns;
    tt_load_result res;
    tt_err err;
    /* written by the thread before plots is set */
    model_gseries_job *gjob;
};

static void bg_wake(ui_bgload *b)
{
    ssize_t w;
    do w = write(b->pipe[1], "x", 1);
    while (w < 0 && errno == EINTR);
}

static void bg_progress(void *ctx, uint64_t done, uint64_t total)
{
    ui_bgload *b = ctx;
    atomic_store(&b->bytes_total, total);
    atomic_store(&b->bytes_done, done);
    for (int waited = 0; waited < b->delay_ms && !atomic_load(&b->cancel); waited += 10) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void *bg_main(void *arg)
{
    ui_bgload *b = arg;
    model_open_opts mo;
    memset(&mo, 0, sizeof mo);
    mo.progress = bg_progress;
    mo.ctx = b;
    mo.cancel = &b->cancel;
    b->st = model_open(b->path, &mo, &b->m, &b->res, &b->err);
    if (b->st != TT_OK) b->m = NULL;
    if (b->m && b->view && !atomic_load(&b->cancel)) {
        /* the explorer state too (lanes sorted, plots computed): the swap
         * then only carries the view over */
        b->ns = calloc(1, sizeof *b->ns);
        if (b->ns && ui_init(b->ns, b->m, b->path, b->rows, b->cols, b->utf8) == 0) {
            /* a first frame into the state's own grid: its caches (lanes'
             * columns, region indexes, strips) are then made here, not by
             * the main thread's first frame after the swap (0.2-0.4 s on a
             * 1 GB trace). The heap plot is the builder's series; the
             * goroutine counts come after the swap (below) */
            b->ns->defer_plots = 1;
            ui_compute_plot(b->ns, PLOT_HEAP);
            ui_render(b->ns);
        } else if (b->ns) {
            ui_free(b->ns);
            free(b->ns);
            b->ns = NULL;
        }
    }
    int counts = b->ns != NULL;
    atomic_store(&b->done, 1);
    bg_wake(b);
    /* The goroutine counts (seconds on a 1 GB trace) while the explorer
     * shows the model: this thread only reads its goroutine lanes, which
     * nothing writes any more (model_gseries_build). */
    for (int waited = 0; counts && waited < b->delay_ms && !atomic_load(&b->cancel); waited += 10) {
        struct timespec ts = {0, 10 * 1000000L}; /* (tests: the explorer before the counts) */
        nanosleep(&ts, NULL);
    }
    if (counts && !atomic_load(&b->cancel)) b->gjob = model_gseries_build(b->m, &b->cancel);
    atomic_store(&b->plots, 1);
    bg_wake(b);
    return NULL;
}

/*
 * glibc raises its mmap threshold (from 128 KiB up to 32 MiB) to the size of
 * each mmap'ed block freed. Here the preview is built on the main thread
 * while the full model is built: the preview's builder frees blocks of
 * 256 KiB and 1 MiB early (its growing arrays), and the full builder's
 * blocks of 128 KiB to 1 MiB then came from its thread's arena, which keeps
 * what is freed or outgrown there resident: +5-6 MiB at the build's peak on
 * stress-100mb (242.2 MB against 232.1 for the model alone; the preview's
 * model and screen are 3.7 of the rest; a threshold fixed at 1 MiB gives
 * the 242, at 256 KiB 234.7). Setting the threshold fixes it at
 * the default: growing blocks are mremap'ed, freed ones unmapped (233.9 MB;
 * `gotv stats` would also gain 1.9), with no measurable cost in time (a
 * whole `gotv --bench` run makes 168 mmap and 129 munmap calls instead of
 * 83 and 44). Once per process, for the rest of it.
 */
void ui_fix_mmap_threshold(void)
{
#ifdef __GLIBC__
    static _Atomic int done;
    if (!atomic_exchange(&done, 1)) mallopt(M_MMAP_THRESHOLD, UI_MMAP_THRESHOLD);
#endif
}

ui_bgload *ui_bgload_start(const char *path, int delay_ms, int rows, int cols, int utf8)
{
    ui_fix_mmap_threshold();
    ui_bgload *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->path = strdup(path);
    b->delay_ms = delay_ms;
    b->view = rows > 0 && cols > 0;
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > 0) atomic_store(&b->bytes_total, (uint64_t)sb.st_size);
    b->rows = rows;
    b->cols = cols;
    b->utf8 = utf8;
    if (!b->path || pipe(b->pipe) != 0) {
        free(b->path);
        free(b);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(b->pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(b->pipe[i], F_SETFL, O_NONBLOCK);
    }
    if (pthread_create(&b->th, NULL, bg_main, b) != 0) {
        close(b->pipe[0]);
        close(b->pipe[1]);
        free(b->path);
        free(b);
        return NULL;
    }
    return b;
}

int ui_bgload_fd(const ui_bgload *b) { return b->pipe[0]; }

int ui_bgload_done(const ui_bgload *b) { return atomic_load(&b->done); }

void ui_bgload_progress(const ui_bgload *b, uint64_t *done, uint64_t *total)
{
    *total = atomic_load(&b->bytes_total);
    *done = atomic_load(&b->bytes_done);
    if (*done > *total) *done = *total;
}

void ui_bgload_cancel(ui_bgload *b) { atomic_store(&b->cancel, 1); }

static void bg_drain(ui_bgload *b)
{
    char buf[8];
    while (read(b->pipe[0], buf, sizeof buf) > 0) {
    }
}

int ui_bgload_plots_done(ui_bgload *b)
{
    bg_drain(b); /* the wake-up that brought the caller here (or an earlier one) */
    return atomic_load(&b->plots);
}

tt_status ui_bgload_take(ui_bgload *b, model **m, ui_state **ns, tt_load_result *res, tt_err *err)
{
    while (!atomic_load(&b->done)) { /* (callers wait for the descriptor first) */
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
    bg_drain(b);
    if (m) *m = b->m;
    if (ns) *ns = b->ns;
    if (res) *res = b->res;
    if (err) *err = b->err;
    return b->st;
}

void ui_bgload_end(ui_bgload *b, ui_state *st)
{
    if (!b) return;
    if (!st) atomic_store(&b->cancel, 1);
    pthread_join(b->th, NULL);
    close(b->pipe[0]);
    close(b->pipe[1]);
    if (st && b->gjob && st->m == b->m) {
        model_gseries_job *j = b->gjob;
        b->gjob = NULL; /* install takes it, even when it fails */
        if (model_gseries_install(st->m, j) == 0) {
            st->defer_plots = 0;
            ui_compute_plots(st); /* now quick: the counts are there */
        }
    }
    model_gseries_job_free(b->gjob);
    free(b->path);
    free(b);
}

tt_status ui_bgload_finish(ui_bgload *b, model **m, ui_state **ns, tt_load_result *res, tt_err *err)
{
    pthread_join(b->th, NULL);
    close(b->pipe[0]);
    close(b->pipe[1]);
    if (b->gjob && b->m && model_gseries_install(b->m, b->gjob) == 0 && b->ns) {
        b->ns->defer_plots = 0;
        ui_compute_plots(b->ns); /* quick: the counts are there */
        ui_render(b->ns);        /* the frame with them (its caches are made) */
    }
    b->gjob = NULL; /* installed, or freed by the failed install */
    if (b->ns) b->ns->defer_plots = 0;
    tt_status st = b->st;
    if (ns) {
        *ns = b->ns;
    } else if (b->ns) {
        ui_free(b->ns);
        free(b->ns);
    }
    if (m) *m = b->m;
    else model_free(b->m);
    if (res) *res = b->res;
    if (err) *err = b->err;
    free(b->path);
    free(b);
    return st;
}

/* ---- the preview ------------------------------------------------------------- */

tt_status ui_preview_open(const char *path, size_t bytes, size_t max_bytes, ui_preview *p, tt_err *err)
{
    return ui_preview_open_n(path, bytes, max_bytes, 0, p, err);
}

tt_status ui_preview_open_n(const char *path, size_t bytes, size_t max_bytes, uint64_t max_events, ui_preview *p,
                            tt_err *err)
{
    memset(p, 0, sizeof *p);
    tt_file file;
    tt_status st = tt_file_open(path, &file, err);
    if (st != TT_OK) return st;
    int minor = 0;
    if (!file.mapped || bytes == 0 || bytes >= file.len ||
        tt_read_header(file.data, file.len, &minor, NULL) != TT_OK || minor < 22) {
        /* old formats (up to Go 1.21) order the whole trace at once: no prefix is complete */
        tt_file_close(&file);
        return tt_err_set(err, TT_ERR_IO, 0, "no preview for this file");
    }
    model_open_opts mo;
    memset(&mo, 0, sizeof mo);
    mo.max_events = max_events;
    for (;;) {
        p->bytes = bytes;
        tt_load_result res;
        st = model_open_mem(file.data, bytes, &mo, &p->m, &res, err);
        if (st == TT_OK) break;
        p->m = NULL;
        /* no complete generation in the prefix: a bigger one, up to max_bytes */
        if (st != TT_ERR_TRUNCATED || bytes >= max_bytes || max_bytes >= file.len) break;
        bytes = bytes * 4 < max_bytes ? bytes * 4 : max_bytes;
    }
    /* the model copied what it keeps: the prefix's pages are not needed any more */
    tt_file_close(&file);
    return st;
}

void ui_preview_close(ui_preview *p)
{
    model_free(p->m);
    memset(p, 0, sizeof *p);
}

/* ---- the swap --------------------------------------------------------------------- */

/* A lane named by ids that mean the same in both models. */
typedef struct lane_key {
    int kind; /* enum ui_lane_kind, -1 none */
    int64_t id; /* LK_G, LK_GROUP: goroutine id (groups: the first member); LK_P/LK_M: P/M id; else idx */
} lane_key;

static lane_key key_of(const ui_state *st, uint32_t li)
{
    lane_key k = {-1, 0};
    if (li >= st->nlanes) return k;
    const ui_lane *l = &st->lanes[li];
    k.kind = l->kind;
    switch (l->kind) {
    case LK_G:
    case LK_GROUP: {
        const model_goroutine *g = model_goroutine_get(st->m, l->idx);
        k.id = g ? g->id : -1;
        break;
    }
    case LK_P: k.id = model_proc_id(st->m, l->idx); break;
    case LK_M: k.id = model_thread_id(st->m, l->idx); break;
    default: k.id = l->idx; break;
    }
    return k;
}

/* The lane of key k in st, or UINT32_MAX. */
static uint32_t lane_of(const ui_state *st, lane_key k)
{
    if (k.kind == LK_G || k.kind == LK_GROUP) {
        uint32_t gi = model_goroutine_find(st->m, k.id);
        if (gi == UINT32_MAX) return UINT32_MAX;
        uint32_t li = st->g_lane[gi];
        if (k.kind == LK_GROUP && li < st->nlanes && st->lanes[li].kind == LK_G) {
            /* an unfolded group: its header is above its first member */
            uint32_t func = model_goroutine_get(st->m, gi)->func;
            while (li > 0 && st->lanes[li].kind == LK_G &&
                   model_goroutine_get(st->m, st->lanes[li].idx)->func == func)
                li--;
            if (st->lanes[li].kind != LK_GROUP) li = st->g_lane[gi];
        }
        return li;
    }
    for (uint32_t i = 0; i < st->nlanes; i++) {
        const ui_lane *l = &st->lanes[i];
        if (l->kind != k.kind) continue;
        if ((k.kind == LK_P && model_proc_id(st->m, l->idx) == k.id) ||
            (k.kind == LK_M && model_thread_id(st->m, l->idx) == k.id) ||
            (k.kind != LK_P && k.kind != LK_M && (int64_t)l->idx == k.id))
            return i;
    }
    return UINT32_MAX;
}

/* Goroutine lane of st (old model) -> lane in ns (new model), UINT32_MAX if gone. */
static uint32_t map_g(const ui_state *st, const ui_state *ns, uint32_t gi)
{
    const model_goroutine *g = model_goroutine_get(st->m, gi);
    return g ? model_goroutine_find(ns->m, g->id) : UINT32_MAX;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Folded/unfolded groups: func ids differ between models; a goroutine of each
 * group names it in both. */
static int map_toggled(const ui_state *st, ui_state *ns)
{
    if (!st->ntoggled) return 0;
    uint32_t *t = calloc(st->ntoggled, sizeof *t);
    if (!t) return -1;
    uint32_t n = 0, ng = model_lane_count(st->m, ML_GOROUTINE);
    uint8_t *seen = calloc(st->ntoggled, 1);
    if (!seen) {
        free(t);
        return -1;
    }
    for (uint32_t gi = 0; gi < ng && n < st->ntoggled; gi++) {
        uint32_t func = model_goroutine_get(st->m, gi)->func;
        const uint32_t *hit = bsearch(&func, st->toggled, st->ntoggled, sizeof *st->toggled, cmp_u32);
        if (!hit || seen[hit - st->toggled]) continue;
        seen[hit - st->toggled] = 1;
        uint32_t ngi = map_g(st, ns, gi);
        if (ngi != UINT32_MAX) t[n++] = model_goroutine_get(ns->m, ngi)->func;
    }
    free(seen);
    qsort(t, n, sizeof *t, cmp_u32);
    uint32_t u = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!u || t[u - 1] != t[i]) t[u++] = t[i];
    free(ns->toggled);
    ns->toggled = t;
    ns->ntoggled = u;
    ns->toggled_cap = st->ntoggled;
    return 0;
}

/* The selected episode of the panel: the one starting at the same time. */
static int map_episode(ui_state *st, ui_state *ns, uint32_t ngi)
{
    model_span old, e;
    if (!ui_panel_episode(st, &old)) return 0;
    const model_episode *eps;
    /* the panel lists (and selects among) the longest UI_PANEL_EPISODES */
    uint32_t ne = model_goroutine_top_episodes(ns->m, ngi, UI_PANEL_EPISODES, &eps, NULL);
    for (uint32_t i = 0; i < ne; i++)
        if (model_lane_span(ns->m, ML_GOROUTINE, ngi, eps[i].span, &e) && e.start == old.start) return (int)i;
    return 0;
}

/* The goroutine id of region k (model_regions_all order); -1 if none. */
static int64_t region_goroutine(const model *m, uint32_t k)
{
    const model_goroutine *g = model_goroutine_get(m, model_region_lane(m, k));
    return g ? g->id : -1;
}

static void map_tables(const ui_state *st, ui_state *ns)
{
    enum ui_view v = ns->view;
    ns->gt_sort = st->gt_sort;
    ns->gt_rev = st->gt_rev;
    ns->tk_sort = st->tk_sort;
    ns->tk_rev = st->tk_rev;
    if (st->gt_ready) {
        ns->view = VIEW_GTABLE;
        ui_prepare_view(ns);
        uint32_t ng = model_lane_count(ns->m, ML_GOROUTINE);
        uint32_t want = st->gt_sel < model_lane_count(st->m, ML_GOROUTINE) ? map_g(st, ns, st->grows[st->gt_sel])
                                                                            : UINT32_MAX;
        for (uint32_t i = 0; i < ng && want != UINT32_MAX; i++)
            if (ns->grows[i] == want) {
                ns->gt_sel = i;
                break;
            }
        ns->gt_top = st->gt_top < ng ? st->gt_top : 0;
        if (ns->gt_top > ns->gt_sel) ns->gt_top = ns->gt_sel;
    }
    if (st->tk_ready) {
        ns->view = VIEW_TASKS;
        ui_prepare_view(ns);
        if (st->tk_sel < st->ntrows && ns->ntrows) {
            const ui_trow *r = &st->trows[st->tk_sel];
            const model_task *ot, *nt;
            const model_region *orr, *nr;
            model_tasks(st->m, &ot);
            model_regions_all(st->m, &orr);
            model_tasks(ns->m, &nt);
            model_regions_all(ns->m, &nr);
            for (uint32_t i = 0; i < ns->ntrows; i++) {
                const ui_trow *q = &ns->trows[i];
                if (q->is_task != r->is_task) continue;
                if (r->is_task ? nt[q->idx].id == ot[r->idx].id
                               : region_goroutine(ns->m, q->idx) == region_goroutine(st->m, r->idx) &&
                                     nr[q->idx].start == orr[r->idx].start && nr[q->idx].depth == orr[r->idx].depth) {
                    ns->tk_sel = i;
                    break;
                }
            }
        }
        ns->tk_top = st->tk_top < ns->ntrows ? st->tk_top : 0;
        if (ns->tk_top > ns->tk_sel) ns->tk_top = ns->tk_sel;
    }
    ns->view = v;
}

static void map_search(const ui_state *st, ui_state *ns)
{
    memcpy(ns->search, st->search, sizeof ns->search);
    /* a search without a match in the preview may match in the full model
     * (the preview has the first events only): searched again whenever set */
    if (!st->search[0]) return;
    uint32_t ng = model_lane_count(ns->m, ML_GOROUTINE);
    uint32_t cur = st->match_i >= 0 && (uint32_t)st->match_i < st->nmatches
                       ? map_g(st, ns, st->matches[st->match_i])
                       : UINT32_MAX;
    if (!ns->matches && !(ns->matches = calloc(ng ? ng : 1, sizeof *ns->matches))) return; /* (made at the first search) */
    ns->nmatches = model_search_goroutines(ns->m, ns->search, ns->matches, ng);
    if (ns->nmatches > ng) ns->nmatches = ng;
    for (uint32_t i = 0; i < ns->nmatches; i++) ns->is_match[ns->matches[i]] = 1;
    ui_sort_matches(ns);
    ns->match_i = 0;
    for (uint32_t i = 0; i < ns->nmatches; i++)
        if (ns->matches[i] == cur) ns->match_i = (int)i;
}

int ui_swap_model(ui_state *st, model *m)
{
    ui_state *ns = calloc(1, sizeof *ns);
    if (!ns) return -1;
    if (ui_init(ns, m, st->path, st->grid.rows, st->grid.cols, st->utf8)) {
        ui_free(ns);
        free(ns);
        return -1;
    }
    ui_swap_state(st, ns);
    return 0;
}

void ui_swap_state(ui_state *st, ui_state *ns)
{
    if (ns->grid.rows != st->grid.rows || ns->grid.cols != st->grid.cols)
        ui_resize(ns, st->grid.rows, st->grid.cols);
    if (ns->utf8 != st->utf8) {
        ns->utf8 = st->utf8;
        ns->grid.ascii = !st->utf8;
    }
    memcpy(ns->path, st->path, sizeof ns->path);
    ns->color = st->color;

    /* lanes: order and groups first, then the selection by id */
    ns->order = st->order;
    ns->order_rev = st->order_rev;
    if (map_toggled(st, ns) == 0 && (ns->ntoggled || ns->order != ORD_FUNC || ns->order_rev)) ui_build_lanes(ns);
    lane_key sel = key_of(st, st->sel_lane);
    uint32_t li = lane_of(ns, sel);
    if (sel.kind == LK_G && li != UINT32_MAX && li < ns->nlanes && ns->lanes[li].kind == LK_GROUP)
        ui_select_g(ns, model_goroutine_find(ns->m, sel.id)); /* folded here: unfold it */
    else if (li != UINT32_MAX)
        ns->sel_lane = li;
    uint32_t above = st->sel_lane >= st->lane_top ? st->sel_lane - st->lane_top : 0;
    ns->lane_top = ns->sel_lane > above ? ns->sel_lane - above : 0;

    /* time: a view of the whole trace stays the whole trace */
    const tl_viewport *ov = &st->vp;
    int whole = ov->t0 <= ov->tmin && ov->t0 + tl_span(ov) >= ov->tmax - 1;
    if (!whole) {
        ns->vp.t0 = ov->t0;
        ns->vp.ns_per_col = ov->ns_per_col;
        tl_clamp(&ns->vp);
    }
    ns->cursor = st->cursor;
    if (ns->cursor < ns->info->t_start) ns->cursor = ns->info->t_start;
    if (ns->cursor > ns->info->t_end) ns->cursor = ns->info->t_end;
    ns->sel0 = st->sel0;
    ns->sel1 = st->sel1;

    /* views, prompts, messages */
    ns->view = st->view;
    ns->mode = st->mode;
    ns->help_open = st->help_open;
    ns->help_top = st->help_top;
    memcpy(ns->input, st->input, sizeof ns->input);
    ns->input_len = st->input_len;
    memcpy(ns->msg, st->msg, sizeof ns->msg);
    ns->msg_err = st->msg_err;
    memcpy(ns->yank, st->yank, sizeof ns->yank);
    ns->yank_pending = st->yank_pending;
    map_tables(st, ns);
    map_search(st, ns);

    /* history: lanes and panels by id */
    for (int i = 0; i < st->nhist; i++) {
        ui_hist h = st->hist[i];
        uint32_t hl = lane_of(ns, key_of(st, h.sel_lane));
        h.sel_lane = hl != UINT32_MAX ? hl : ns->sel_lane;
        if (h.panel_open) {
            uint32_t g = map_g(st, ns, h.panel_g);
            h.panel_open = g != UINT32_MAX;
            h.panel_g = h.panel_open ? g : 0;
        }
        ns->hist[ns->nhist++] = h;
    }

    /* the panel, on the same goroutine and episode */
    if (st->panel_open) {
        uint32_t g = map_g(st, ns, st->panel_g);
        if (g != UINT32_MAX) {
            ns->panel_open = 1;
            ns->panel_g = g;
            ns->panel_sel = map_episode(st, ns, g);
            ns->panel_top = st->panel_top;
            ui_open_panel(ns, g);
        }
    }
    ui_reveal_lane(ns);

    ui_free(st);
    *st = *ns;
    free(ns);
}

/* ---- the banner ------------------------------------------------------------------- */

void ui_loading_banner(const ui_state *st, uint64_t done, uint64_t total, char *buf, size_t n)
{
    char d[32];
    tl_fmt_dur(st->info->t_end - st->info->t_start, d, sizeof d);
    if (total && done >= total)
        snprintf(buf, n, "indexing - showing the first %s of the trace", d);
    else
        snprintf(buf, n, "loading %d%% - showing the first %s of the trace",
                 total ? (int)(done * 100 / total) : 0, d);
}

void ui_failed_banner(const ui_state *st, tt_status s, const tt_err *e, char *buf, size_t n)
{
    char d[32], msg[340];
    const char *what = e->msg[0] ? e->msg : tt_status_str(s);
    tl_fmt_dur(st->info->t_end - st->info->t_start, d, sizeof d);
    ui_sanitize(what, strlen(what), !st->utf8, msg, sizeof msg);
    snprintf(buf, n, "load failed: %s at byte %llu - only the first %s shown", msg, (unsigned long long)e->offset, d);
}

void ui_draw_banner(ui_state *st, const char *text, int err)
{
    ui_grid *g = &st->grid;
    int row = g->rows - 1;
    if (row < 1 || g->cols < 30) return;
    int w = ui_str_width(text) + 2;
    if (w > g->cols - 10) w = g->cols - 10;
    int col = g->cols - w;
    ui_fill(g, row, col, w, ' ', err ? UI_S_ERROR : (UI_S_CURSOR | UI_SF_REVERSE));
    ui_text(g, row, col + 1, w - 2, text, err ? UI_S_ERROR : (UI_S_CURSOR | UI_SF_REVERSE));
}

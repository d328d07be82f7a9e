/*
 * The goroutine panel (creation, time breakdown, blocking episodes with
 * stacks and unblockers) and the two tables (goroutines; regions and tasks).
 */
#include "tui/ui.h"
#include "tui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 6

/* ---- panel ------------------------------------------------------------------ */

static ui_pline *add_line(ui_state *st, uint16_t style, int32_t ep)
{
    if (st->nplines == st->plines_cap) {
        int cap = st->plines_cap ? st->plines_cap * 2 : 64;
        ui_pline *p = realloc(st->plines, (size_t)cap * sizeof *p);
        if (!p) return NULL;
        st->plines = p;
        st->plines_cap = cap;
    }
    ui_pline *l = &st->plines[st->nplines++];
    l->text[0] = 0;
    l->style = style;
    l->episode = ep;
    return l;
}

static void add_text(ui_state *st, uint16_t style, int32_t ep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_text(ui_state *st, uint16_t style, int32_t ep, const char *fmt, ...)
{
    ui_pline *l = add_line(st, style, ep);
    if (!l) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

static void add_stack(ui_state *st, uint32_t stack, const char *indent)
{
    const tt_frame *fr;
    uint32_t n = stack ? tt_syms_stack_frames(model_syms(st->m), stack, &fr) : 0;
    if (!n) {
        add_text(st, UI_S_DIM, -1, "%s(no stack)", indent);
        return;
    }
    for (uint32_t i = 0; i < n && i < MAX_FRAMES; i++) {
        char fn[256], file[256];
        ui_short_func(st, fr[i].func, fn, sizeof fn);
        ui_safe_str(st, fr[i].file, file, sizeof file);
        /* keep the last two path elements of the file */
        const char *f = file, *p1 = strrchr(file, '/');
        if (p1) {
            const char *p0 = p1;
            while (p0 > file && p0[-1] != '/') p0--;
            f = p0;
        }
        add_text(st, UI_S_NORMAL, -1, "%s%s  %s:%llu", indent, fn, f, (unsigned long long)fr[i].line);
    }
    if (n > MAX_FRAMES) add_text(st, UI_S_DIM, -1, "%s... %u more frames", indent, n - MAX_FRAMES);
}

static const char *pct(int64_t part, int64_t total, char *b, size_t n)
{
    /* In double and clamped: hostile clocks give parts near INT64_MAX (F6). */
    if (total <= 0) {
        b[0] = 0;
    } else {
        double p = 100.0 * (double)part / (double)total;
        snprintf(b, n, " %d%%", p < 0 ? 0 : p > 100 ? 100 : (int)p);
    }
    return b;
}

static void episode_reason(ui_state *st, const model_span *s, char *b, size_t n)
{
    if (s->reason) ui_safe_str(st, s->reason, b, n);
    else snprintf(b, n, "%s", model_state_name((model_state)s->state));
    if (!b[0]) snprintf(b, n, "%s", model_state_name((model_state)s->state));
}

/* Stack lines under the selected episode: episode -2 (not selectable, like
 * -1, but known to belong to the selection). */
#define EP_SEL_STACK (-2)

/* The text of episode e's line, selected or not. */
static void episode_text(ui_state *st, const model_span *e, int sel, char *out, size_t n)
{
    char reason[200], at[32], d[32], who[300] = "";
    episode_reason(st, e, reason, sizeof reason);
    ui_rel(st, e->start, at, sizeof at);
    tl_fmt_dur(e->end - e->start, d, sizeof d);
    if (e->state == MS_WAITING && e->other >= 0) {
        uint32_t ui = model_goroutine_find(st->m, e->other);
        char ul[256];
        if (ui != UINT32_MAX) ui_glabel(st, ui, ul, sizeof ul);
        else snprintf(ul, sizeof ul, "G%d", e->other);
        snprintf(who, sizeof who, "  unblocked by %s", ul);
    }
    snprintf(out, n, "%s %-*s at %-8s for %-8s%s", sel ? (st->utf8 ? "\xe2\x96\xb6" : ">") : " ",
             st->panel_rw > 0 ? st->panel_rw : 16, reason, at, d, who);
}

/* The line of episode ep (span index span of the panel's goroutine, which
 * the caller checked is in range), selected or not; with its stack when
 * selected. Lines not selected are formatted when first drawn (an empty
 * text: ui_draw_panel), so a list of 2000 costs only what is shown (and
 * their spans are not decoded here). */
static void add_episode(ui_state *st, uint32_t span, int32_t ep, int sel)
{
    ui_pline *l = add_line(st, sel ? (UI_S_SELECTED | UI_SF_REVERSE) : UI_S_NORMAL, ep);
    if (!l) return;
    if (!sel) return;
    model_span e;
    if (!model_lane_span(st->m, ML_GOROUTINE, st->panel_g, span, &e)) return;
    episode_text(st, &e, sel, l->text, sizeof l->text);
    int from = st->nplines;
    add_stack(st, e.stack, "      ");
    for (int i = from; i < st->nplines; i++) st->plines[i].episode = EP_SEL_STACK;
}

/* Format line i if it is an episode line not formatted yet. */
static void format_line(ui_state *st, int i)
{
    ui_pline *l = &st->plines[i];
    if (l->episode < 0 || l->text[0]) return;
    const model_episode *eps;
    uint32_t ne = model_goroutine_top_episodes(st->m, st->panel_g, UI_PANEL_EPISODES, &eps, NULL);
    model_span e;
    if ((uint32_t)l->episode >= ne || !model_lane_span(st->m, ML_GOROUTINE, st->panel_g, eps[l->episode].span, &e))
        return;
    episode_text(st, &e, l->episode == st->panel_sel, l->text, sizeof l->text);
}

static void build_panel(ui_state *st)
{
    st->nplines = 0;
    uint32_t gi = st->panel_g;
    const model_goroutine *g = model_goroutine_get(st->m, gi);
    if (!g) return;
    char lab[512], b1[32], b2[32], b3[32];
    ui_glabel(st, gi, lab, sizeof lab);
    add_text(st, UI_S_BOLD | UI_SF_REVERSE, -1, " %s   j/k episode  Enter show  u unblocker  p creator  Esc close", lab);
    /* parent and lifetime */
    char parent[512] = "unknown";
    uint32_t pi = g->parent >= 0 ? model_goroutine_find(st->m, g->parent) : UINT32_MAX;
    if (pi != UINT32_MAX) ui_glabel(st, pi, parent, sizeof parent);
    else if (g->parent >= 0) snprintf(parent, sizeof parent, "G%lld", (long long)g->parent);
    ui_rel(st, g->first, b1, sizeof b1);
    ui_rel(st, g->last, b2, sizeof b2);
    tl_fmt_dur(g->last - g->first, b3, sizeof b3);
    char label[256] = "";
    if (g->label) {
        char lb[200];
        ui_safe_str(st, g->label, lb, sizeof lb);
        snprintf(label, sizeof label, "  label %s", lb);
    }
    add_text(st, UI_S_NORMAL, -1, "created by %s%s; seen %s .. %s (%s)%s", parent,
             pi != UINT32_MAX ? " (p)" : "", b1, b2, b3, label);
    /* time breakdown */
    model_gstats sb;
    const model_gstats *s = model_goroutine_stats(st->m, gi, &sb);
    /* the reason column: as wide as the goroutine's longest blocking reason
     * (at least the state names', at most 32) */
    st->panel_rw = 17; /* "syscall (blocked)" */
    for (uint32_t i = 0; s && i < s->nreasons; i++) {
        char r[200];
        ui_safe_str(st, s->reason[i], r, sizeof r);
        int w = (int)strlen(r);
        if (w > st->panel_rw) st->panel_rw = w > 32 ? 32 : w;
    }
    if (s) {
        char t[9][32], p[9][16];
        int64_t v[9] = {s->total_ns, s->exec_ns, s->sched_wait_ns, s->sync_block_ns, s->network_wait_ns,
                        s->syscall_ns + s->syscall_block_ns, s->gc_assist_ns + s->gc_sweep_ns, s->sleep_ns,
                        s->other_block_ns + s->unknown_ns};
        for (int i = 0; i < 9; i++) {
            tl_fmt_dur(v[i], t[i], sizeof t[i]);
            pct(v[i], s->total_ns, p[i], sizeof p[i]);
        }
        /* total, then the parts go tool trace reports (sleep and other only
         * when non-zero), wrapped to the width of the screen */
        static const char *names[9] = {"total", "execution", "scheduler wait", "sync", "network",
                                       "syscall", "GC assist/sweep", "sleep", "other"};
        int width = st->grid.cols > 20 ? st->grid.cols : 20;
        char line[320];
        int o = snprintf(line, sizeof line, "time %s:", t[0]);
        for (int i = 1; i < 9; i++) {
            if (!v[i] && i >= 7) continue;
            char part[96];
            int pl = snprintf(part, sizeof part, " %s %s%s", names[i], t[i], p[i]);
            if (o + pl > width || o + pl >= (int)sizeof line) {
                add_text(st, UI_S_NORMAL, -1, "%s", line);
                o = snprintf(line, sizeof line, "    ");
            }
            memcpy(line + o, part, (size_t)pl + 1);
            o += pl;
        }
        add_text(st, UI_S_NORMAL, -1, "%s", line);
    }
    add_text(st, UI_S_BOLD, -1, "creation stack:");
    add_stack(st, g->create_stack, "  ");
    /* episodes */
    const model_episode *eps;
    uint32_t ne;
    uint32_t nshown = model_goroutine_top_episodes(st->m, gi, UI_PANEL_EPISODES, &eps, &ne);
    uint32_t nsp = model_lane_nspans(st->m, ML_GOROUTINE, gi);
    add_text(st, UI_S_BOLD, -1, "blocking episodes (%u, longest first):", ne);
    if (st->panel_sel >= (int)nshown) st->panel_sel = nshown ? (int)nshown - 1 : 0;
    for (uint32_t i = 0; i < nshown; i++) {
        if (eps[i].span >= nsp) continue;
        int sel = (int)i == st->panel_sel;
        add_episode(st, eps[i].span, (int32_t)i, sel);
    }
    if (ne > UI_PANEL_EPISODES) add_text(st, UI_S_DIM, -1, "  ... %u more", ne - UI_PANEL_EPISODES);
    if (!ne) add_text(st, UI_S_DIM, -1, "  none: this goroutine never blocked");
}

/* Line index of episode ep, or -1. */
static int episode_line(const ui_state *st, int ep)
{
    for (int i = 0; i < st->nplines; i++)
        if (st->plines[i].episode == ep) return i;
    return -1;
}

/* Reformat line i as episode ep's (selected or not), in place: add_episode
 * appends the line (and its stack) at the end, then they move to i. */
static int replace_episode_line(ui_state *st, int i, int ep, int sel)
{
    const model_episode *eps;
    uint32_t ne = model_goroutine_top_episodes(st->m, st->panel_g, UI_PANEL_EPISODES, &eps, NULL);
    uint32_t nsp = model_lane_nspans(st->m, ML_GOROUTINE, st->panel_g);
    if (ep < 0 || (uint32_t)ep >= ne || eps[ep].span >= nsp) return -1;
    int end = st->nplines;
    add_episode(st, eps[ep].span, ep, sel);
    int k = st->nplines - end; /* the new line and its stack */
    if (k < 1) return -1;
    ui_pline *tmp = malloc(sizeof *tmp * (size_t)k);
    if (!tmp) {
        st->nplines = end;
        return -1;
    }
    memcpy(tmp, st->plines + end, sizeof *tmp * (size_t)k);
    st->nplines = end;
    /* the old line goes, the k new ones take its place */
    if (k > 1) { /* (add_episode made room for end + k lines) */
        ui_pline *p = st->plines;
        memmove(p + i + k, p + i + 1, sizeof *p * (size_t)(st->nplines - i - 1));
        st->nplines += k - 1;
    }
    memcpy(st->plines + i, tmp, sizeof *tmp * (size_t)k);
    free(tmp);
    return 0;
}

/* The selection moved from episode old to st->panel_sel: change those two
 * lines (and move the stack) instead of formatting the whole list again. */
static void panel_reselect(ui_state *st, int old)
{
    int i = episode_line(st, old);
    if (i >= 0) {
        int j = i + 1; /* drop the old selection's stack lines */
        while (j < st->nplines && st->plines[j].episode == EP_SEL_STACK) j++;
        memmove(st->plines + i + 1, st->plines + j, sizeof *st->plines * (size_t)(st->nplines - j));
        st->nplines -= j - i - 1;
    }
    int n = episode_line(st, st->panel_sel);
    if (i < 0 || n < 0 || replace_episode_line(st, i, old, 0) || replace_episode_line(st, n, st->panel_sel, 1))
        build_panel(st);
}

void ui_open_panel(ui_state *st, uint32_t gidx)
{
    if (!st->panel_open || st->panel_g != gidx) {
        st->panel_sel = 0;
        st->panel_top = 0;
    }
    st->panel_open = 1;
    st->panel_g = gidx;
    build_panel(st);
}

const model_span *ui_panel_episode(ui_state *st, model_span *out)
{
    const model_episode *eps;
    uint32_t ne = model_goroutine_top_episodes(st->m, st->panel_g, UI_PANEL_EPISODES, &eps, NULL);
    if (st->panel_sel < 0 || (uint32_t)st->panel_sel >= ne) return NULL;
    return model_lane_span(st->m, ML_GOROUTINE, st->panel_g, eps[st->panel_sel].span, out);
}

static void show_episode(ui_state *st)
{
    model_span eb;
    const model_span *e = ui_panel_episode(st, &eb);
    if (!e) return;
    ui_push_hist(st);
    ui_select_g(st, st->panel_g);
    /* margins in double, clamped: end - start and start - m overflow int64
     * for episodes of hostile traces (campaign G) */
    double m = ((double)e->end - (double)e->start) / 4 + 1;
    double a = (double)e->start - m, b = (double)e->end + m;
    tl_fit(&st->vp, a < -0x1p63 ? INT64_MIN : (int64_t)a, b >= 0x1p63 ? INT64_MAX : (int64_t)b);
    st->cursor = e->start;
    st->sel0 = e->start;
    st->sel1 = e->end;
    ui_reveal_lane(st);
    char d[32], at[32];
    tl_fmt_dur(e->end - e->start, d, sizeof d);
    ui_rel(st, e->start, at, sizeof at);
    ui_msg(st, 0, "episode at %s for %s%s", at, d, e->other >= 0 ? " (u: jump to the unblocker)" : "");
}

int ui_panel_cmd(ui_state *st, enum ui_cmd c)
{
    const model_episode *eps;
    /* the episodes listed (the longest UI_PANEL_EPISODES) */
    int ne = (int)model_goroutine_top_episodes(st->m, st->panel_g, UI_PANEL_EPISODES, &eps, NULL);
    int old = st->panel_sel;
    switch (c) {
    case CMD_LANE_DOWN: st->panel_sel++; break;
    case CMD_LANE_UP: st->panel_sel--; break;
    case CMD_LANE_FIRST: st->panel_sel = 0; break;
    case CMD_LANE_LAST: st->panel_sel = ne - 1; break;
    case CMD_PAGE_DOWN: st->panel_sel += 10; break;
    case CMD_PAGE_UP: st->panel_sel -= 10; break;
    case CMD_OPEN: show_episode(st); return UI_REDRAW;
    default: return 0;
    }
    if (st->panel_sel >= ne) st->panel_sel = ne - 1;
    if (st->panel_sel < 0) st->panel_sel = 0;
    if (old != st->panel_sel) panel_reselect(st, old);
    return UI_REDRAW;
}

int ui_panel_click(ui_state *st, int row)
{
    int idx = row == 0 ? -1 : st->panel_top + row - 1;
    if (idx < 0 || idx >= st->nplines) return 0;
    int ep = st->plines[idx].episode;
    if (ep < 0) return 0;
    int old = st->panel_sel;
    st->panel_sel = ep;
    if (old != ep) panel_reselect(st, old);
    return UI_REDRAW;
}

void ui_draw_panel(ui_state *st, int top, int rows)
{
    ui_grid *g = &st->grid;
    if (!st->nplines || rows < 2) return;
    /* header pinned */
    ui_fill(g, top, 0, g->cols, ' ', st->plines[0].style);
    ui_text(g, top, 0, g->cols, st->plines[0].text, st->plines[0].style);
    int body = rows - 1;
    /* keep the selected episode (and its stack) visible */
    int first_sel = -1, last_sel = -1;
    for (int i = 1; i < st->nplines; i++) {
        if (st->plines[i].episode == st->panel_sel) first_sel = last_sel = i;
        else if (first_sel >= 0 && last_sel == i - 1 && st->plines[i].episode < 0 && i > first_sel) last_sel = i;
    }
    if (first_sel >= 0) {
        int want_last = last_sel - 1; /* as index into lines after the header */
        if (first_sel - 1 < st->panel_top) st->panel_top = first_sel - 1;
        if (want_last - st->panel_top >= body) st->panel_top = want_last - body + 1;
        if (first_sel - 1 < st->panel_top) st->panel_top = first_sel - 1;
    }
    if (st->panel_top > st->nplines - 1 - body) st->panel_top = st->nplines - 1 - body;
    if (st->panel_top < 0) st->panel_top = 0;
    for (int r = 0; r < body; r++) {
        int i = 1 + st->panel_top + r;
        if (i >= st->nplines) break;
        format_line(st, i);
        const ui_pline *l = &st->plines[i];
        if (l->style & UI_SF_REVERSE) ui_fill(g, top + 1 + r, 0, g->cols, ' ', l->style);
        ui_text(g, top + 1 + r, 0, g->cols, l->text, l->style);
    }
}

/* ---- goroutine table ----------------------------------------------------------- */

enum { GC_ID, GC_FUNC, GC_TOTAL, GC_EXEC, GC_SCHED, GC_SYNC, GC_NET, GC_SYSCALL, GC_ASSIST, GC_EPIS, GC__COUNT };
static const struct {
    const char *name;
    int w;
} gcols[GC__COUNT] = {
    {"Goroutine", 10}, {"Function", 0}, {"Total", 8}, {"Exec", 8}, {"Sched wait", 10},
    {"Sync", 8},       {"Network", 8},  {"Syscall", 8}, {"GC assist", 9}, {"Blocks", 7},
};

static ui_state *gsort_st;

/* ---- sorting big tables: each row's key computed once ----------------------------
 * (comparators that decoded a goroutine's summary or looked a region up on
 * every comparison took 0.1-1 s on a million rows) */

typedef struct sort_row {
    int64_t key;
    uint32_t tie; /* compared after the key (ascending) */
    uint32_t idx; /* then this (ascending) */
} sort_row;

static int sort_desc, sort_rev; /* qsort context (single-threaded) */

static int cmp_sort_row(const void *pa, const void *pb)
{
    const sort_row *a = pa, *b = pb;
    int c = a->key < b->key ? -1 : a->key > b->key;
    if (sort_desc) c = -c;
    if (sort_rev) c = -c;
    if (!c) c = a->tie < b->tie ? -1 : a->tie > b->tie;
    if (!c) c = a->idx < b->idx ? -1 : a->idx > b->idx;
    return c;
}

/* A string's rank for sorting (equal strings, equal ranks). */
typedef struct str_rank {
    uint32_t id;
    uint32_t rank;
    char *s;
} str_rank;

static int cmp_rank_id(const void *pa, const void *pb)
{
    uint32_t a = ((const str_rank *)pa)->id, b = ((const str_rank *)pb)->id;
    return a < b ? -1 : a > b;
}

static int cmp_rank_str(const void *pa, const void *pb)
{
    return strcmp(((const str_rank *)pa)->s, ((const str_rank *)pb)->s);
}

/* ids[0..n) -> ranks[0..n): the rank of the string str(id) among those of
 * all the ids (strcmp order). str(id) is copied (it may use one buffer).
 * Returns 0, -1 when memory is short. */
static int rank_strings(const ui_state *st, const uint32_t *ids, size_t n, uint32_t *ranks,
                        const char *(*str)(const ui_state *, uint32_t, char *, size_t))
{
    str_rank *u = malloc(sizeof *u * (n ? n : 1));
    if (!u) return -1;
    for (size_t i = 0; i < n; i++) u[i].id = ids[i], u[i].s = NULL;
    qsort(u, n, sizeof *u, cmp_rank_id);
    size_t nu = 0;
    for (size_t i = 0; i < n; i++)
        if (!nu || u[nu - 1].id != u[i].id) u[nu++].id = u[i].id;
    int ok = 1;
    for (size_t i = 0; i < nu; i++) {
        char b[256];
        u[i].s = strdup(str(st, u[i].id, b, sizeof b));
        if (!u[i].s) ok = 0;
    }
    if (ok) {
        qsort(u, nu, sizeof *u, cmp_rank_str);
        for (size_t i = 0; i < nu; i++)
            u[i].rank = i && !strcmp(u[i - 1].s, u[i].s) ? u[i - 1].rank : (uint32_t)i;
        qsort(u, nu, sizeof *u, cmp_rank_id);
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = nu;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (u[mid].id < ids[i]) lo = mid + 1;
                else hi = mid;
            }
            ranks[i] = u[lo].rank;
        }
    }
    for (size_t i = 0; i < nu; i++) free(u[i].s);
    free(u);
    return ok ? 0 : -1;
}

static const char *short_func_str(const ui_state *st, uint32_t id, char *b, size_t n)
{
    ui_short_func(st, id, b, n);
    return b;
}

static const char *name_str(const ui_state *st, uint32_t id, char *b, size_t n)
{
    (void)b, (void)n;
    size_t l;
    const char *x = model_str(st->m, id, &l);
    return x ? x : "";
}

static int64_t gcol_val(const ui_state *st, uint32_t g, int col)
{
    model_gstats sb;
    const model_gstats *s = model_goroutine_stats(st->m, g, &sb);
    const model_goroutine *gr = model_goroutine_get(st->m, g);
    switch (col) {
    case GC_ID: return gr->id;
    case GC_TOTAL: return s ? s->total_ns : 0;
    case GC_EXEC: return s ? s->exec_ns : 0;
    case GC_SCHED: return s ? s->sched_wait_ns : 0;
    case GC_SYNC: return s ? s->sync_block_ns : 0;
    case GC_NET: return s ? s->network_wait_ns : 0;
    case GC_SYSCALL: return s ? s->syscall_ns + s->syscall_block_ns : 0;
    case GC_ASSIST: return s ? s->gc_assist_ns : 0;
    case GC_EPIS: return model_goroutine_episode_count(st->m, g);
    default: return 0;
    }
}

static int cmp_grow(const void *pa, const void *pb)
{
    const ui_state *st = gsort_st;
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    int c;
    if (st->gt_sort == GC_FUNC) {
        char fa[256], fb[256];
        ui_short_func(st, model_goroutine_get(st->m, a)->func, fa, sizeof fa);
        ui_short_func(st, model_goroutine_get(st->m, b)->func, fb, sizeof fb);
        c = strcmp(fa, fb);
    } else {
        int64_t va = gcol_val(st, a, st->gt_sort), vb = gcol_val(st, b, st->gt_sort);
        c = va < vb ? -1 : va > vb;
        if (st->gt_sort != GC_ID) c = -c; /* numbers: largest first */
    }
    if (st->gt_rev) c = -c;
    if (!c) c = a < b ? -1 : a > b;
    return c;
}

void ui_gt_sort(ui_state *st)
{
    uint32_t n = model_lane_count(st->m, ML_GOROUTINE);
    sort_row *r = malloc(sizeof *r * (n ? n : 1));
    uint32_t *ids = st->gt_sort == GC_FUNC ? malloc(sizeof *ids * (n ? n : 1)) : NULL;
    uint32_t *rk = st->gt_sort == GC_FUNC ? malloc(sizeof *rk * (n ? n : 1)) : NULL;
    int ok = r && (st->gt_sort != GC_FUNC || (ids && rk));
    if (ok && st->gt_sort == GC_FUNC) {
        for (uint32_t i = 0; i < n; i++) ids[i] = model_goroutine_get(st->m, st->grows[i])->func;
        ok = rank_strings(st, ids, n, rk, short_func_str) == 0;
    }
    if (!ok) { /* short of memory: the slow way */
        free(r), free(ids), free(rk);
        gsort_st = st;
        qsort(st->grows, n, sizeof *st->grows, cmp_grow);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t g = st->grows[i];
        r[i].key = st->gt_sort == GC_FUNC ? (int64_t)rk[i] : gcol_val(st, g, st->gt_sort);
        r[i].tie = 0;
        r[i].idx = g;
    }
    /* as cmp_grow: names and ids ascending, numbers largest first */
    sort_desc = st->gt_sort != GC_FUNC && st->gt_sort != GC_ID;
    sort_rev = st->gt_rev;
    qsort(r, n, sizeof *r, cmp_sort_row);
    for (uint32_t i = 0; i < n; i++) st->grows[i] = r[i].idx;
    free(r), free(ids), free(rk);
}

static int table_nav(uint32_t *sel, uint32_t *top, uint32_t n, int page, enum ui_cmd c)
{
    int64_t s = *sel;
    switch (c) {
    case CMD_LANE_DOWN: s++; break;
    case CMD_LANE_UP: s--; break;
    case CMD_LANE_FIRST: s = 0; break;
    case CMD_LANE_LAST: s = (int64_t)n - 1; break;
    case CMD_PAGE_DOWN: s += page; break;
    case CMD_PAGE_UP: s -= page; break;
    default: return 0;
    }
    if (s >= (int64_t)n) s = (int64_t)n - 1;
    if (s < 0) s = 0;
    *sel = (uint32_t)s;
    if (*sel < *top) *top = *sel;
    if (page > 0 && *sel >= *top + (uint32_t)page) *top = *sel - (uint32_t)page + 1;
    return UI_REDRAW;
}

static int table_rows(const ui_state *st)
{
    int r = st->grid.rows - 4; /* title, header, ..., status */
    return r > 1 ? r : 1;
}

int ui_gtable_cmd(ui_state *st, enum ui_cmd c)
{
    uint32_t n = model_lane_count(st->m, ML_GOROUTINE);
    if (table_nav(&st->gt_sel, &st->gt_top, n, table_rows(st), c)) return UI_REDRAW;
    if (c == CMD_SORT || c == CMD_SORT_REVERSE) {
        uint32_t keep = n ? st->grows[st->gt_sel] : 0;
        if (c == CMD_SORT) st->gt_sort = (st->gt_sort + 1) % GC__COUNT;
        else st->gt_rev = !st->gt_rev;
        ui_gt_sort(st);
        for (uint32_t i = 0; i < n; i++)
            if (st->grows[i] == keep) st->gt_sel = i;
        table_nav(&st->gt_sel, &st->gt_top, n, table_rows(st), CMD_LANE_DOWN);
        table_nav(&st->gt_sel, &st->gt_top, n, table_rows(st), CMD_LANE_UP);
        ui_msg(st, 0, "sorted by %s%s", gcols[st->gt_sort].name, st->gt_rev ? ", reversed" : "");
        return UI_REDRAW;
    }
    if (c == CMD_OPEN && n) {
        uint32_t g = st->grows[st->gt_sel];
        ui_push_hist(st);
        st->view = VIEW_TIMELINE;
        ui_select_g(st, g);
        ui_open_panel(st, g);
        ui_reveal_lane(st);
        return UI_REDRAW;
    }
    return 0;
}

/* Columns shown at this width: drop from the right until Function has room. */
static int gt_visible(const ui_state *st, int *fw)
{
    int ncols = GC__COUNT;
    for (;;) {
        int used = 0;
        for (int i = 0; i < ncols; i++) used += gcols[i].w + 1;
        *fw = st->grid.cols - used;
        if (*fw >= 18 || ncols <= 4) break;
        ncols--;
    }
    if (*fw < 8) *fw = 8;
    return ncols;
}

void ui_draw_gtable(ui_state *st, int top, int rows)
{
    ui_grid *g = &st->grid;
    uint32_t n = model_lane_count(st->m, ML_GOROUTINE);
    int fw, nc = gt_visible(st, &fw);
    int x = 0;
    for (int i = 0; i < nc; i++) {
        int w = i == GC_FUNC ? fw : gcols[i].w;
        char h[48];
        snprintf(h, sizeof h, "%s%s", gcols[i].name, i == st->gt_sort ? (st->gt_rev ? "^" : "v") : "");
        if (i >= GC_TOTAL) ui_text(g, top, x + w - ui_str_width(h), w, h, UI_S_BOLD);
        else ui_text(g, top, x, w, h, UI_S_BOLD);
        x += w + 1;
    }
    int page = rows - 1;
    if (st->gt_sel < st->gt_top) st->gt_top = st->gt_sel;
    if (page > 0 && st->gt_sel >= st->gt_top + (uint32_t)page) st->gt_top = st->gt_sel - (uint32_t)page + 1;
    for (int r = 0; r < page; r++) {
        uint32_t i = st->gt_top + (uint32_t)r;
        if (i >= n) break;
        uint32_t gi = st->grows[i];
        int row = top + 1 + r;
        uint16_t style = i == st->gt_sel ? (UI_S_SELECTED | UI_SF_REVERSE) : UI_S_NORMAL;
        if (i == st->gt_sel) ui_fill(g, row, 0, g->cols, ' ', style);
        x = 0;
        for (int c = 0; c < nc; c++) {
            int w = c == GC_FUNC ? fw : gcols[c].w;
            char b[300];
            if (c == GC_ID) snprintf(b, sizeof b, "G%lld", (long long)gcol_val(st, gi, GC_ID));
            else if (c == GC_FUNC) ui_short_func(st, model_goroutine_get(st->m, gi)->func, b, sizeof b);
            else if (c == GC_EPIS) snprintf(b, sizeof b, "%lld", (long long)gcol_val(st, gi, c));
            else tl_fmt_dur(gcol_val(st, gi, c), b, sizeof b);
            if (c >= GC_TOTAL) {
                int bw = ui_str_width(b);
                ui_text(g, row, x + (bw < w ? w - bw : 0), w, b, style);
            } else {
                ui_text(g, row, x, w, b, style);
            }
            x += w + 1;
        }
    }
    if (!n) ui_text(g, top + 1, 0, g->cols, "no goroutines in this trace", UI_S_DIM);
}

/* ---- regions and tasks ---------------------------------------------------------- */

enum { TK_START, TK_DUR, TK_NAME, TK_KIND, TK__COUNT };
static const char *tk_names[TK__COUNT] = {"start", "duration", "name", "kind"};

static void trow_info(const ui_state *st, const ui_trow *r, int64_t *start, int64_t *end, uint32_t *name)
{
    if (r->is_task) {
        const model_task *t;
        model_tasks(st->m, &t);
        *start = t[r->idx].start, *end = t[r->idx].end, *name = t[r->idx].name;
    } else {
        const model_region *g;
        model_regions_all(st->m, &g);
        *start = g[r->idx].start, *end = g[r->idx].end, *name = g[r->idx].name;
    }
}

static int cmp_trow(const void *pa, const void *pb)
{
    const ui_state *st = gsort_st;
    const ui_trow *a = pa, *b = pb;
    int64_t sa, ea, sb, eb;
    uint32_t na, nb;
    trow_info(st, a, &sa, &ea, &na);
    trow_info(st, b, &sb, &eb, &nb);
    int c = 0;
    switch (st->tk_sort) {
    case TK_START: c = sa < sb ? -1 : sa > sb; break;
    case TK_DUR: c = (ea - sa) > (eb - sb) ? -1 : (ea - sa) < (eb - sb); break;
    case TK_NAME: {
        size_t la, lb;
        const char *x = model_str(st->m, na, &la), *y = model_str(st->m, nb, &lb);
        c = strcmp(x ? x : "", y ? y : "");
        break;
    }
    case TK_KIND: c = (int)b->is_task - (int)a->is_task; break;
    default: break;
    }
    if (st->tk_rev) c = -c;
    if (!c) c = (int)b->is_task - (int)a->is_task;
    if (!c) c = a->idx < b->idx ? -1 : a->idx > b->idx;
    return c;
}

/* end - start without overflow (hostile times) */
static int64_t dur_of(int64_t start, int64_t end)
{
    int64_t d;
    if (__builtin_sub_overflow(end, start, &d)) d = end > start ? INT64_MAX : INT64_MIN;
    return d;
}

void ui_tk_sort(ui_state *st)
{
    uint32_t n = st->ntrows;
    sort_row *r = malloc(sizeof *r * (n ? n : 1));
    uint32_t *ids = st->tk_sort == TK_NAME ? malloc(sizeof *ids * (n ? n : 1)) : NULL;
    uint32_t *rk = st->tk_sort == TK_NAME ? malloc(sizeof *rk * (n ? n : 1)) : NULL;
    int ok = r && (st->tk_sort != TK_NAME || (ids && rk));
    const model_task *tasks;
    model_tasks(st->m, &tasks);
    const model_region *regs;
    model_regions_all(st->m, &regs);
    if (ok && st->tk_sort == TK_NAME) {
        for (uint32_t i = 0; i < n; i++)
            ids[i] = st->trows[i].is_task ? tasks[st->trows[i].idx].name : regs[st->trows[i].idx].name;
        ok = rank_strings(st, ids, n, rk, name_str) == 0;
    }
    if (!ok) { /* short of memory: the slow way */
        free(r), free(ids), free(rk);
        gsort_st = st;
        qsort(st->trows, n, sizeof *st->trows, cmp_trow);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        const ui_trow *t = &st->trows[i];
        int64_t a = t->is_task ? tasks[t->idx].start : regs[t->idx].start;
        int64_t b = t->is_task ? tasks[t->idx].end : regs[t->idx].end;
        switch (st->tk_sort) {
        case TK_START: r[i].key = a; break;
        case TK_DUR: r[i].key = dur_of(a, b); break;
        case TK_NAME: r[i].key = rk[i]; break;
        case TK_KIND: r[i].key = !t->is_task; break;
        default: r[i].key = 0; break;
        }
        r[i].tie = !t->is_task; /* tasks first */
        /* rows of one kind compare by index; the kind is in tie */
        r[i].idx = t->idx;
    }
    /* as cmp_trow: durations longest first, the rest ascending */
    sort_desc = st->tk_sort == TK_DUR;
    sort_rev = st->tk_rev;
    qsort(r, n, sizeof *r, cmp_sort_row);
    for (uint32_t i = 0; i < n; i++) {
        st->trows[i].is_task = !r[i].tie;
        st->trows[i].idx = r[i].idx;
    }
    free(r), free(ids), free(rk);
}

/* Goroutines touched by task index ti, as "G1 G5 G7". Returns the first one. */
static uint32_t task_goroutines(const ui_state *st, uint32_t ti, char *b, size_t n, uint32_t *count)
{
    uint32_t lo = 0, hi = st->ntask_g;
    uint64_t key = (uint64_t)ti << 32;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (st->task_g[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    size_t o = 0;
    uint32_t first = UINT32_MAX, k = 0;
    b[0] = 0;
    for (uint32_t i = lo; i < st->ntask_g && (st->task_g[i] >> 32) == ti; i++, k++) {
        uint32_t gi = (uint32_t)st->task_g[i];
        if (first == UINT32_MAX) first = gi;
        const model_goroutine *g = model_goroutine_get(st->m, gi);
        if (o + 24 < n) o += (size_t)snprintf(b + o, n - o, "%sG%lld", o ? " " : "", (long long)g->id);
    }
    if (count) *count = k;
    return first;
}

int ui_tasks_cmd(ui_state *st, enum ui_cmd c)
{
    if (table_nav(&st->tk_sel, &st->tk_top, st->ntrows, table_rows(st), c)) return UI_REDRAW;
    if (c == CMD_SORT || c == CMD_SORT_REVERSE) {
        if (c == CMD_SORT) st->tk_sort = (st->tk_sort + 1) % TK__COUNT;
        else st->tk_rev = !st->tk_rev;
        ui_tk_sort(st);
        ui_msg(st, 0, "sorted by %s%s", tk_names[st->tk_sort], st->tk_rev ? ", reversed" : "");
        return UI_REDRAW;
    }
    if ((c == CMD_OPEN || c == CMD_FIT_SEL) && st->ntrows) {
        const ui_trow *r = &st->trows[st->tk_sel];
        int64_t a, b;
        uint32_t name;
        trow_info(st, r, &a, &b, &name);
        uint32_t gi;
        if (r->is_task) {
            char tmp[8];
            gi = task_goroutines(st, r->idx, tmp, sizeof tmp, NULL);
        } else {
            gi = model_region_lane(st->m, r->idx);
        }
        ui_push_hist(st);
        st->view = VIEW_TIMELINE;
        int64_t m = (b - a) / 10 + 1;
        tl_fit(&st->vp, a - m, b + m);
        st->cursor = a < st->info->t_start ? st->info->t_start : a;
        st->sel0 = a;
        st->sel1 = b;
        if (gi != UINT32_MAX) ui_select_g(st, gi);
        ui_reveal_lane(st);
        return UI_REDRAW;
    }
    return 0;
}

int ui_table_click(ui_state *st, int row)
{
    int idx = row - 2; /* title, header */
    if (idx < 0) return 0;
    if (st->view == VIEW_GTABLE) {
        uint32_t i = st->gt_top + (uint32_t)idx;
        if (i >= model_lane_count(st->m, ML_GOROUTINE)) return 0;
        st->gt_sel = i;
    } else {
        uint32_t i = st->tk_top + (uint32_t)idx;
        if (i >= st->ntrows) return 0;
        st->tk_sel = i;
    }
    return UI_REDRAW;
}

void ui_draw_tasks(ui_state *st, int top, int rows)
{
    ui_grid *g = &st->grid;
    int wk = 7, wid = 10, wst = 9, wd = 9;
    int rest = g->cols - (wk + wid + wst + wd + 4);
    int wn = rest / 2 > 16 ? rest / 2 : 16;
    int wg = rest - wn - 1;
    if (wg < 6) wg = 6;
    int x = 0;
    const char *hdr[6] = {"Kind", "Id/G", "Name", "Start", "Duration", "Goroutines / task"};
    int ws[6] = {wk, wid, wn, wst, wd, wg};
    for (int i = 0; i < 6; i++) {
        char h[48];
        int sorted = (i == 0 && st->tk_sort == TK_KIND) || (i == 2 && st->tk_sort == TK_NAME) ||
                     (i == 3 && st->tk_sort == TK_START) || (i == 4 && st->tk_sort == TK_DUR);
        snprintf(h, sizeof h, "%s%s", hdr[i], sorted ? (st->tk_rev ? "^" : "v") : "");
        ui_text(g, top, x, ws[i], h, UI_S_BOLD);
        x += ws[i] + 1;
    }
    int page = rows - 1;
    if (st->tk_sel < st->tk_top) st->tk_top = st->tk_sel;
    if (page > 0 && st->tk_sel >= st->tk_top + (uint32_t)page) st->tk_top = st->tk_sel - (uint32_t)page + 1;
    const model_task *tasks;
    model_tasks(st->m, &tasks);
    const model_region *regs;
    model_regions_all(st->m, &regs);
    for (int r = 0; r < page; r++) {
        uint32_t i = st->tk_top + (uint32_t)r;
        if (i >= st->ntrows) break;
        const ui_trow *tr = &st->trows[i];
        int row = top + 1 + r;
        uint16_t style = i == st->tk_sel ? (UI_S_SELECTED | UI_SF_REVERSE) : UI_S_NORMAL;
        if (i == st->tk_sel) ui_fill(g, row, 0, g->cols, ' ', style);
        int64_t a, b;
        uint32_t name;
        trow_info(st, tr, &a, &b, &name);
        char id[32], nm[300], s1[32], s2[32], gs[400];
        if (tr->is_task) {
            snprintf(id, sizeof id, "%llu", (unsigned long long)tasks[tr->idx].id);
            uint32_t cnt;
            task_goroutines(st, tr->idx, gs, sizeof gs, &cnt);
            if (!gs[0]) snprintf(gs, sizeof gs, "-");
        } else {
            uint32_t gl = model_region_lane(st->m, tr->idx);
            if (gl != UINT32_MAX)
                snprintf(id, sizeof id, "G%lld", (long long)model_goroutine_get(st->m, gl)->id);
            else
                snprintf(id, sizeof id, "-");
            uint64_t t = model_task_ref_id(st->m, regs[tr->idx].task_ref);
            if (t && t != TT_NO_TASK) snprintf(gs, sizeof gs, "task %llu", (unsigned long long)t);
            else snprintf(gs, sizeof gs, "-");
        }
        ui_safe_str(st, name, nm, sizeof nm);
        ui_rel(st, a, s1, sizeof s1);
        tl_fmt_dur(b - a, s2, sizeof s2);
        x = 0;
        const char *cells[6] = {tr->is_task ? "task" : "region", id, nm, s1, s2, gs};
        for (int c = 0; c < 6; c++) {
            int w = ws[c];
            if (c == 2 && !tr->is_task) {
                /* indent nested regions */
                int d = regs[tr->idx].depth;
                if (d > 4) d = 4;
                ui_text(g, row, x + d, w - d, cells[c], style);
            } else {
                ui_text(g, row, x, w, cells[c], style);
            }
            x += w + 1;
        }
    }
    if (!st->ntrows)
        ui_text(g, top + 1, 0, g->cols,
                "no tasks or regions in this trace (annotate with runtime/trace NewTask, WithRegion, Log)",
                UI_S_DIM);
}

/*
 * The model builder: a tt_sink that turns the ordered public events into the
 * compact store (lanes of spans, goroutines, ranges, annotations, series),
 * computes Go's goroutine summaries (internal/trace summary.go semantics) and
 * the blocking profiles (cmd/trace pprof.go semantics) on the fly.
 *
 * Spans are appended to one array per lane kind as they close (with their
 * lane in a parallel array) and grouped per lane by a counting sort at the
 * end: no allocation per span.
 */
#include "model/model_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX

/* ---- small containers ------------------------------------------------------ */

static void *vgrow(void *a, size_t *cap, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    if (ncap > SIZE_MAX / elem)
        return NULL;
    void *p = realloc(a, ncap * elem);
    if (p)
        *cap = ncap;
    return p;
}

#define VEC(T)       \
    struct {         \
        T *a;        \
        size_t n, cap; \
    }

/* Append a zeroed slot; yields its index or SIZE_MAX (b->oom set). */
#define VADD(b, v)                                                              \
    (((v).n < (v).cap || (((v).a = vgrow_keep((v).a, &(v).cap, sizeof *(v).a, &(b)->oom)), \
                          (v).n < (v).cap))                                     \
         ? (memset(&(v).a[(v).n], 0, sizeof *(v).a), (v).n++)                  \
         : SIZE_MAX)

static void *vgrow_keep(void *a, size_t *cap, size_t elem, int *oom)
{
    void *p = vgrow(a, cap, elem);
    if (!p) {
        *oom = 1;
        return a;
    }
    return p;
}

/* ---- builder state ------------------------------------------------------- */

/* The spans of one lane, grown geometrically (large arrays grow by mremap in
 * glibc: no copying), handed over to the model at the end. */
typedef struct spvec {
    model_span *a;
    uint32_t n, cap;
} spvec;

typedef struct kv {
    uint32_t key, next;
    int64_t ns, last; /* last: lastRangeTime (0 = not in the map) */
} kv;

/* A goroutine while building: bg holds the builder's state; its
 * model_goroutine and its summary (model_gstats, whose counters are Go's
 * accumulators) live in the parallel arrays gg and gst, which become the
 * model's arrays at the end (reordered in place). */
typedef struct bg {
    spvec v;
    model_span open;       /* open span; state MS_NONE = none */
    int64_t cur_p, cur_m;
    uint8_t gs;            /* TT_GS_* now */
    uint8_t in_assist;
    uint8_t sc_has;        /* syscallingG[id] exists */
    uint8_t tr_on;         /* profile tracking bits */
    int64_t sc_p;
    /* summary (the rest is in gst) */
    int64_t l_start, l_runnable, l_block, l_sys, l_sysblock;
    uint32_t l_block_reason;
    uint32_t kv_reason, kv_range;
    /* profiles */
    int64_t tr_start[MP__COUNT];
    uint32_t tr_stack[MP__COUNT];
    /* regions */
    uint32_t region_top, depth;
} bg;

typedef struct bp {
    int64_t id;
    spvec v;
    model_span open;
    uint8_t sc_has;
    int64_t sc_g;
} bp;

typedef struct bm {
    int64_t id;
    spvec v;
    model_span open;
} bm;

typedef struct orange {
    int64_t res;
    uint32_t name, idx;
    uint8_t kind;
} orange;

typedef struct rangep {
    int64_t p, g;
    uint32_t name;
} rangep;

typedef struct pend {
    uint32_t gi, stack;
    uint8_t kind;
    int64_t d;
} pend;

struct model_builder {
    tt_syms *syms;
    int oom;
    int have_t;
    int64_t t_first, t_last, sync_ts;
    uint64_t nsync, nevents;
    model_imap gmap, pmap, mmap, tmap;
    VEC(bg) gs;
    VEC(model_goroutine) gg; /* parallel to gs */
    VEC(model_gstats) gst;   /* parallel to gs; in_summary: Go's s.gs[id] != nil */
    VEC(bp) ps;
    VEC(bm) ms;
    spvec gc_v;
    model_span gc_open;
    int gc_mark;
    VEC(kv) kvs;
    VEC(model_range) ranges[MR__COUNT];
    VEC(orange) open_ranges;
    VEC(rangep) rangesp;
    uint8_t sc_none_has;
    int64_t sc_none_g;
    VEC(model_region) regions;
    VEC(uint32_t) region_prev;
    VEC(model_log) logs;
    VEC(model_task) tasks;
    VEC(model_point) series[3];
    model_imap pmaps[MP__COUNT];
    VEC(model_prof_rec) prof[MP__COUNT];
    VEC(pend) pending;
    uint32_t gomaxprocs_max;
    uint32_t ncpu;
    int64_t last_m, last_p; /* last context M/P known to have a record */
    /* well-known strings */
    uint32_t s_gc, s_sweep, s_assist, s_forever, s_network;
    uint32_t s_m_gomaxprocs, s_m_heap, s_m_goal;
};

/* ---- strings ------------------------------------------------------------- */

static const char *bstr(const model_builder *b, uint32_t id, size_t *len)
{
    size_t l = 0;
    const char *s = tt_syms_str(b->syms, id, &l);
    if (!s) {
        s = "";
        l = 0;
    }
    if (len)
        *len = l;
    return s;
}

static int has_sub(const char *s, size_t n, const char *sub)
{
    size_t k = strlen(sub);
    if (k > n)
        return 0;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, sub, k) == 0)
            return 1;
    return 0;
}

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

model_cat model_cat_of_reason(const char *r, size_t n)
{
    if (!r || n == 0)
        return MC_OTHER;
    if (has_sub(r, n, "chan"))
        return MC_CHANNEL;
    if (has_prefix(r, n, "select"))
        return MC_SELECT;
    if (has_prefix(r, n, "sync.(*Cond)") || has_sub(r, n, "Cond.Wait"))
        return MC_COND;
    if (has_sub(r, n, "sync"))
        return MC_SYNC;
    if (n == 7 && memcmp(r, "network", 7) == 0)
        return MC_NETWORK;
    if (has_prefix(r, n, "syscall"))
        return MC_SYSCALL;
    if (has_prefix(r, n, "sleep"))
        return MC_SLEEP;
    if (has_sub(r, n, "GC"))
        return MC_GC;
    if (has_prefix(r, n, "system goroutine") || has_prefix(r, n, "preempted") ||
        has_sub(r, n, "debug call") || (n == 7 && memcmp(r, "forever", 7) == 0))
        return MC_SYSTEM;
    return MC_OTHER;
}

/* ---- records ------------------------------------------------------------- */

static uint32_t get_g(model_builder *b, int64_t id, int64_t t)
{
    uint32_t i = model_imap_get(&b->gmap, id);
    if (i != NONE32)
        return i;
    size_t k = VADD(b, b->gs);
    size_t k2 = VADD(b, b->gg);
    size_t k3 = VADD(b, b->gst);
    if (k == SIZE_MAX || k2 != k || k3 != k || model_imap_put(&b->gmap, id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    bg *g = &b->gs.a[k];
    model_goroutine *gg = &b->gg.a[k];
    gg->id = id;
    gg->parent = -1;
    gg->first = t;
    gg->last = t;
    g->cur_p = g->cur_m = -1;
    g->kv_reason = g->kv_range = NONE32;
    g->region_top = NONE32;
    g->open.state = MS_NONE;
    g->open.end = INT64_MIN;
    return (uint32_t)k;
}

static uint32_t get_p(model_builder *b, int64_t id)
{
    uint32_t i = model_imap_get(&b->pmap, id);
    if (i != NONE32)
        return i;
    size_t k = VADD(b, b->ps);
    if (k == SIZE_MAX || model_imap_put(&b->pmap, id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    b->ps.a[k].id = id;
    b->ps.a[k].open.other = -1;
    b->ps.a[k].open.end = INT64_MIN;
    return (uint32_t)k;
}

static uint32_t get_m(model_builder *b, int64_t id, int64_t t)
{
    uint32_t i = model_imap_get(&b->mmap, id);
    if (i != NONE32)
        return i;
    size_t k = VADD(b, b->ms);
    if (k == SIZE_MAX || model_imap_put(&b->mmap, id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    b->ms.a[k].id = id;
    b->ms.a[k].open.state = MS_IDLE;
    b->ms.a[k].open.start = t;
    b->ms.a[k].open.other = -1;
    b->ms.a[k].open.end = INT64_MIN;
    return (uint32_t)k;
}

/* ---- spans --------------------------------------------------------------- */

/* An open span keeps in .end the end of the last span closed on its lane
 * (INT64_MIN if none): new spans never start before it. Returns 1 if a span
 * was appended. */
static int span_close(model_builder *b, int kind, uint32_t lane, model_span *open, int64_t t)
{
    if (open->state == MS_NONE || t <= open->start)
        return 0;
    spvec *v = kind == ML_GOROUTINE ? &b->gs.a[lane].v
               : kind == ML_PROC    ? &b->ps.a[lane].v
               : kind == ML_THREAD  ? &b->ms.a[lane].v
                                    : &b->gc_v;
    if (v->n == v->cap) {
        /* start small: most goroutines have a handful of spans, and a trace
         * may declare millions of them */
        uint32_t ncap = v->cap ? (v->cap < (1u << 30) ? v->cap * 2 : UINT32_MAX) : 2;
        model_span *na = ncap > v->cap ? realloc(v->a, sizeof *na * ncap) : NULL;
        if (!na) {
            b->oom = 1;
            return 0;
        }
        v->a = na;
        v->cap = ncap;
    }
    model_span *s = &v->a[v->n++];
    *s = *open;
    s->end = t;
    return 1;
}

/* Switch a lane's open span to a new state at t (no-op if nothing changes). */
static void lane_set(model_builder *b, int kind, uint32_t lane, model_span *open, int64_t t,
                     const model_span *nw)
{
    if (open->state == nw->state && open->other == nw->other && open->reason == nw->reason &&
        open->cat == nw->cat && open->stack == nw->stack && open->flags == nw->flags)
        return;
    int64_t last = open->end;
    if (t < last) /* never overlap the previous span (inconsistent input) */
        t = last;
    if (span_close(b, kind, lane, open, t))
        last = t;
    *open = *nw;
    open->start = t;
    open->end = last;
}

static void p_set(model_builder *b, uint32_t pi, int64_t t, uint8_t state, int32_t other)
{
    if (pi == NONE32)
        return;
    model_span nw = {.state = state, .other = other};
    lane_set(b, ML_PROC, pi, &b->ps.a[pi].open, t, &nw);
}

static void m_set(model_builder *b, uint32_t mi, int64_t t, uint8_t state, int32_t other)
{
    if (mi == NONE32)
        return;
    model_span nw = {.state = state, .other = other};
    lane_set(b, ML_THREAD, mi, &b->ms.a[mi].open, t, &nw);
}

static void gc_update(model_builder *b, int64_t t)
{
    /* STW ranges open now, the innermost first. */
    uint32_t stw_name = 0;
    int stw = 0;
    for (size_t i = b->open_ranges.n; i-- > 0;) {
        if (b->open_ranges.a[i].kind == MR_STW) {
            stw = 1;
            stw_name = b->open_ranges.a[i].name;
            break;
        }
    }
    int mark = 0;
    for (size_t i = 0; i < b->open_ranges.n; i++)
        if (b->open_ranges.a[i].kind == MR_GC)
            mark = 1;
    model_span nw = {.state = stw ? MS_STW : mark ? MS_GC : MS_NONE,
                     .other = stw ? (int32_t)stw_name : 0};
    lane_set(b, ML_GC, 0, &b->gc_open, t, &nw);
}

/* ---- summary (Go's Summarizer) ------------------------------------------- */

static kv *kv_find(model_builder *b, uint32_t head, uint32_t key)
{
    for (uint32_t i = head; i != NONE32; i = b->kvs.a[i].next)
        if (b->kvs.a[i].key == key)
            return &b->kvs.a[i];
    return NULL;
}

static kv *kv_get(model_builder *b, uint32_t *head, uint32_t key)
{
    kv *e = kv_find(b, *head, key);
    if (e)
        return e;
    size_t k = VADD(b, b->kvs);
    if (k == SIZE_MAX)
        return NULL;
    e = &b->kvs.a[k];
    e->key = key;
    e->next = *head;
    *head = (uint32_t)k;
    return e;
}

static void reason_add(model_builder *b, uint32_t gi, uint32_t reason, int64_t d)
{
    kv *e = kv_get(b, &b->gs.a[gi].kv_reason, reason);
    if (e)
        e->ns += d;
}

static void sum_reset(bg *g, model_gstats *S, int64_t creation)
{
    S->in_summary = 1;
    S->creation = creation;
    S->start = S->end = 0;
    S->exec_ns = S->sched_wait_ns = S->syscall_ns = S->syscall_block_ns = S->total_ns = 0;
    g->l_start = g->l_runnable = g->l_block = g->l_sys = g->l_sysblock = 0;
    g->l_block_reason = 0;
    S->name = 0;
    S->pc = 0;
    g->kv_reason = g->kv_range = NONE32;
}

/* Go's snapshotStat folded into the accumulators, then the pending state
 * cleared (finalize). */
static void sum_finalize(model_builder *b, uint32_t gi, int64_t T, int has_trigger)
{
    bg *g = &b->gs.a[gi];
    model_gstats *S = &b->gst.a[gi];
    if (has_trigger)
        S->end = T;
    if (S->total_ns == 0)
        S->total_ns = T - S->creation;
    if (g->l_start)
        S->exec_ns += T - g->l_start;
    if (g->l_runnable)
        S->sched_wait_ns += T - g->l_runnable;
    if (g->l_block)
        reason_add(b, gi, g->l_block_reason, T - g->l_block);
    g = &b->gs.a[gi];
    if (g->l_sys)
        S->syscall_ns += T - g->l_sys;
    if (g->l_sysblock)
        S->sched_wait_ns += T - g->l_sysblock;
    for (uint32_t i = g->kv_range; i != NONE32; i = b->kvs.a[i].next) {
        kv *e = &b->kvs.a[i];
        if (e->last) {
            e->ns += T - e->last;
            e->last = 0;
        }
    }
    g->l_start = g->l_runnable = g->l_block = g->l_sys = g->l_sysblock = 0;
    g->l_block_reason = 0;
}

static void sc_del_p(model_builder *b, int64_t p)
{
    if (p < 0) {
        if (p == TT_NO_ID)
            b->sc_none_has = 0;
        return;
    }
    uint32_t pi = model_imap_get(&b->pmap, p);
    if (pi != NONE32)
        b->ps.a[pi].sc_has = 0;
}

static void sc_set_p(model_builder *b, int64_t p, int64_t gid)
{
    if (p < 0) {
        b->sc_none_has = 1;
        b->sc_none_g = gid;
        return;
    }
    uint32_t pi = get_p(b, p);
    if (pi == NONE32)
        return;
    b->ps.a[pi].sc_has = 1;
    b->ps.a[pi].sc_g = gid;
}

static void sum_transition(model_builder *b, uint32_t gi, const tt_event *ev)
{
    int64_t t = ev->time;
    bg *g = &b->gs.a[gi];
    model_gstats *S = &b->gst.a[gi];
    switch (ev->from) {
    case TT_GS_UNDETERMINED: {
        sum_reset(g, S, b->sync_ts);
        int64_t st = t - b->sync_ts;
        switch (ev->to) {
        case TT_GS_RUNNING:
            S->exec_ns += st;
            break;
        case TT_GS_WAITING:
            reason_add(b, gi, ev->name, st);
            break;
        case TT_GS_RUNNABLE:
            S->sched_wait_ns += st;
            break;
        case TT_GS_SYSCALL:
            if (ev->p == TT_NO_ID)
                S->syscall_block_ns += st;
            else
                S->syscall_ns += st;
            break;
        }
        break;
    }
    case TT_GS_NOTEXIST:
        sum_reset(g, S, t);
        break;
    case TT_GS_RUNNING:
        S->exec_ns += t - g->l_start;
        g->l_start = 0;
        break;
    case TT_GS_WAITING:
        if (g->l_block) {
            reason_add(b, gi, g->l_block_reason, t - g->l_block);
            g = &b->gs.a[gi];
            g->l_block = 0;
        }
        break;
    case TT_GS_RUNNABLE:
        if (g->l_runnable) {
            S->sched_wait_ns += t - g->l_runnable;
            g->l_runnable = 0;
        }
        break;
    case TT_GS_SYSCALL:
        if (g->l_sys) {
            if (g->l_sysblock) {
                S->syscall_block_ns += t - g->l_sysblock;
                S->syscall_ns += g->l_sysblock - g->l_sys;
            } else {
                S->syscall_ns += t - g->l_sys;
            }
            g->l_sys = g->l_sysblock = 0;
            /* delete(syscallingP, syscallingG[id]): a missing entry reads as P 0 */
            sc_del_p(b, g->sc_has ? g->sc_p : 0);
            g->sc_has = 0;
        }
        break;
    }
    g = &b->gs.a[gi];
    if (S->name == 0 && ev->tstack) {
        const tt_frame *fr = NULL;
        uint32_t n = tt_syms_stack_frames(b->syms, ev->tstack, &fr);
        if (n && fr) {
            S->name = fr[n - 1].func;
            S->pc = fr[n - 1].pc;
        }
    }
    switch (ev->to) {
    case TT_GS_RUNNING:
        g->l_start = t;
        if (S->start == 0)
            S->start = t;
        break;
    case TT_GS_RUNNABLE:
        g->l_runnable = t;
        break;
    case TT_GS_WAITING:
        if (ev->name != b->s_forever || b->s_forever == 0) {
            g->l_block = t;
            g->l_block_reason = ev->name;
            break;
        }
        sum_finalize(b, gi, t, 1);
        break;
    case TT_GS_NOTEXIST:
        sum_finalize(b, gi, t, 1);
        break;
    case TT_GS_SYSCALL:
        sc_set_p(b, ev->p, b->gg.a[gi].id);
        g = &b->gs.a[gi];
        g->sc_has = 1;
        g->sc_p = ev->p;
        g->l_sys = t;
        break;
    }
}

/* ---- profiles ------------------------------------------------------------ */

static void prof_add(model_builder *b, int k, uint32_t stack, int64_t d)
{
    uint32_t i = model_imap_get(&b->pmaps[k], stack);
    if (i == NONE32) {
        size_t n = VADD(b, b->prof[k]);
        if (n == SIZE_MAX || model_imap_put(&b->pmaps[k], stack, (uint32_t)n) != 0) {
            b->oom = 1;
            return;
        }
        i = (uint32_t)n;
        b->prof[k].a[i].stack = stack;
    }
    b->prof[k].a[i].count++;
    b->prof[k].a[i].delay_ns += d;
    b->prof[k].a[i].pad_ = (uint32_t)b->nevents; /* last use, for merging */
}

static int prof_filter(model_builder *b, int k, uint32_t reason)
{
    size_t n;
    const char *r;
    switch (k) {
    case MP_NET:
        return b->s_network && reason == b->s_network;
    case MP_SYNC:
        r = bstr(b, reason, &n);
        return has_sub(r, n, "chan") || has_sub(r, n, "sync") || has_sub(r, n, "select");
    default:
        return 1;
    }
}

static void prof_transition(model_builder *b, uint32_t gi, const tt_event *ev)
{
    static const uint8_t target[MP__COUNT] = {TT_GS_WAITING, TT_GS_WAITING, TT_GS_SYSCALL,
                                              TT_GS_RUNNABLE};
    for (int k = 0; k < MP__COUNT; k++) {
        bg *g = &b->gs.a[gi];
        uint8_t bit = (uint8_t)(1u << k);
        if (!(g->tr_on & bit)) {
            if (ev->to == target[k] && prof_filter(b, k, ev->name)) {
                g = &b->gs.a[gi];
                g->tr_on |= bit;
                g->tr_start[k] = ev->time;
                g->tr_stack[k] = ev->stack;
            }
            continue;
        }
        if (ev->to == target[k])
            continue;
        g->tr_on &= (uint8_t)~bit;
        int64_t s = g->tr_start[k], e = ev->time;
        /* Overlap with the goroutine's [StartTime, EndTime or trace end]: the
         * end is never before e; StartTime is final once set. */
        int64_t gstart = b->gst.a[gi].start;
        if (gstart) {
            int64_t d = e - (s > gstart ? s : gstart);
            if (e >= gstart && d > 0)
                prof_add(b, k, g->tr_stack[k], d);
        } else if (e - s > 0) {
            size_t p = VADD(b, b->pending);
            if (p != SIZE_MAX) {
                b->pending.a[p].gi = gi;
                b->pending.a[p].kind = (uint8_t)k;
                b->pending.a[p].stack = g->tr_stack[k];
                b->pending.a[p].d = e - s;
            }
        }
    }
}

/* ---- goroutine transitions ----------------------------------------------- */

static int executing(uint8_t s) { return s == TT_GS_RUNNING || s == TT_GS_SYSCALL; }

static void g_transition(model_builder *b, const tt_event *ev)
{
    int64_t t = ev->time;
    uint32_t gi = get_g(b, ev->id, t);
    if (gi == NONE32)
        return;
    bg *g = &b->gs.a[gi];
    model_goroutine *G = &b->gg.a[gi];
    G->last = t;
    if (ev->from != ev->to) {
        sum_transition(b, gi, ev);
        g = &b->gs.a[gi];
        if (ev->from == TT_GS_NOTEXIST && ev->g != TT_NO_ID) {
            G->parent = ev->g;
            G->create_stack = ev->stack;
        }
        if (G->func == 0 && b->gst.a[gi].name)
            G->func = b->gst.a[gi].name;
        /* goroutine lane */
        model_span nw = {.other = -1};
        int64_t at = t;
        if (ev->from == TT_GS_UNDETERMINED) {
            at = b->sync_ts;
            nw.flags |= MSF_FROM_START;
            if (at < G->first)
                G->first = at;
        }
        nw.stack = ev->tstack ? ev->tstack : ev->stack;
        if (g->in_assist)
            nw.flags |= MSF_IN_ASSIST;
        switch (ev->to) {
        case TT_GS_RUNNING:
            nw.state = MS_RUNNING;
            break;
        case TT_GS_RUNNABLE:
            nw.state = MS_RUNNABLE;
            nw.reason = ev->name;
            if (ev->from == TT_GS_WAITING)
                nw.other = (ev->g < 0 || ev->g > INT32_MAX) ? -1 : (int32_t)ev->g;
            break;
        case TT_GS_WAITING: {
            size_t n;
            const char *r = bstr(b, ev->name, &n);
            nw.state = MS_WAITING;
            nw.reason = ev->name;
            nw.cat = (uint8_t)model_cat_of_reason(r, n);
            break;
        }
        case TT_GS_SYSCALL:
            nw.state = (ev->from == TT_GS_UNDETERMINED && ev->p == TT_NO_ID) ? MS_SYSCALL_BLOCKED
                                                                              : MS_SYSCALL;
            break;
        default:
            nw.state = MS_NONE;
            break;
        }
        int64_t last = g->open.end;
        if (at < last) /* never overlap the previous span (inconsistent input) */
            at = last;
        if (g->open.state == MS_WAITING && ev->to == TT_GS_RUNNABLE) {
            g->open.other = nw.other;
            g->open.flags |= MSF_UNBLOCKED;
        }
        if (span_close(b, ML_GOROUTINE, gi, &b->gs.a[gi].open, at))
            last = at;
        g = &b->gs.a[gi];
        g->open = nw;
        g->open.start = at;
        g->open.end = last;
        int32_t gid32 = (G->id < 0 || G->id > INT32_MAX) ? -1 : (int32_t)G->id;
        /* P and M lanes */
        if (ev->to == TT_GS_RUNNING || (ev->to == TT_GS_SYSCALL && !executing(ev->from))) {
            if (ev->p >= 0) {
                uint32_t pi = get_p(b, ev->p);
                p_set(b, pi, at, MS_RUNNING, gid32);
                b->gs.a[gi].cur_p = ev->p;
            }
        }
        if (executing(ev->to) && ev->m >= 0) {
            uint32_t mi = get_m(b, ev->m, t);
            m_set(b, mi, at, ev->to == TT_GS_RUNNING ? MS_RUNNING : MS_SYSCALL, gid32);
            b->gs.a[gi].cur_m = ev->m;
        }
        g = &b->gs.a[gi];
        if (executing(ev->from) && !executing(ev->to)) {
            if (g->cur_p >= 0) {
                uint32_t pi = model_imap_get(&b->pmap, g->cur_p);
                if (pi != NONE32 && b->ps.a[pi].open.other == gid32)
                    p_set(b, pi, t, b->ps.a[pi].open.state, -1);
            }
            if (g->cur_m >= 0) {
                uint32_t mi = model_imap_get(&b->mmap, g->cur_m);
                if (mi != NONE32 && b->ms.a[mi].open.other == gid32)
                    m_set(b, mi, t, MS_IDLE, -1);
            }
            g = &b->gs.a[gi];
            g->cur_p = g->cur_m = -1;
        }
        g->gs = ev->to;
        if (ev->to == TT_GS_NOTEXIST || (ev->to == TT_GS_WAITING && ev->name == b->s_forever &&
                                          b->s_forever)) {
            /* close the goroutine's open regions at its end */
            while (g->region_top != NONE32) {
                uint32_t r = g->region_top;
                b->regions.a[r].end = t;
                g->region_top = b->region_prev.a[r];
            }
            g->depth = 0;
        }
    }
    prof_transition(b, gi, ev);
}

static void p_transition(model_builder *b, const tt_event *ev)
{
    if (ev->from == ev->to)
        return;
    int64_t t = ev->time;
    uint32_t pi = get_p(b, ev->id);
    if (pi == NONE32)
        return;
    if (ev->to == TT_PS_IDLE) {
        /* Go's summary: a P going idle while its goroutine is in a syscall */
        bp *p = &b->ps.a[pi];
        if (p->sc_has) {
            uint32_t gi = model_imap_get(&b->gmap, p->sc_g);
            if (gi != NONE32 && b->gst.a[gi].in_summary)
                b->gs.a[gi].l_sysblock = t;
            p->sc_has = 0;
        }
        /* lanes: the goroutine bound to the P in a syscall now blocks */
        int32_t other = b->ps.a[pi].open.other;
        if (other >= 0) {
            uint32_t gi = model_imap_get(&b->gmap, other);
            if (gi != NONE32 && b->gs.a[gi].gs == TT_GS_SYSCALL &&
                b->gs.a[gi].open.state == MS_SYSCALL) {
                model_span nw = b->gs.a[gi].open;
                nw.state = MS_SYSCALL_BLOCKED;
                lane_set(b, ML_GOROUTINE, gi, &b->gs.a[gi].open, t, &nw);
                b->gs.a[gi].cur_p = -1;
            }
        }
        /* a first status is back-dated to its generation's Sync, like goroutines */
        p_set(b, pi, ev->from == TT_PS_UNDETERMINED ? b->sync_ts : t, MS_IDLE, -1);
    } else if (ev->to == TT_PS_RUNNING) {
        bp *p = &b->ps.a[pi];
        int64_t at = ev->from == TT_PS_UNDETERMINED ? b->sync_ts : t;
        p_set(b, pi, at, MS_RUNNING, p->open.state == MS_RUNNING ? p->open.other : -1);
    } else {
        p_set(b, pi, t, MS_NONE, -1);
    }
}

/* ---- ranges -------------------------------------------------------------- */

static int range_kind(model_builder *b, uint32_t name)
{
    if (name == 0)
        return -1;
    if (name == b->s_gc)
        return MR_GC;
    if (name == b->s_sweep)
        return MR_SWEEP;
    if (name == b->s_assist)
        return MR_ASSIST;
    size_t n;
    const char *s = bstr(b, name, &n);
    if (has_prefix(s, n, "stop-the-world"))
        return MR_STW;
    return -1;
}

static void set_assist(model_builder *b, int64_t gid, int on)
{
    uint32_t gi = model_imap_get(&b->gmap, gid);
    if (gi != NONE32)
        b->gs.a[gi].in_assist = (uint8_t)on;
}

static void ranges_event(model_builder *b, const tt_event *ev)
{
    int kind = range_kind(b, ev->name);
    if (kind < 0)
        return;
    int64_t res = (ev->res == TT_RES_NONE) ? -1 : ev->id;
    size_t oi = SIZE_MAX;
    for (size_t i = 0; i < b->open_ranges.n; i++) {
        orange *o = &b->open_ranges.a[i];
        if (o->kind == kind && o->res == res && o->name == ev->name) {
            oi = i;
            break;
        }
    }
    if (ev->kind == TT_EV_RANGE_END) {
        if (oi == SIZE_MAX) {
            size_t k = VADD(b, b->ranges[kind]);
            if (k == SIZE_MAX)
                return;
            model_range *r = &b->ranges[kind].a[k];
            r->start = b->t_first;
            r->end = ev->time;
            r->res = res;
            r->name = ev->name;
            r->flags = MRF_NO_BEGIN;
        } else {
            b->ranges[kind].a[b->open_ranges.a[oi].idx].end = ev->time;
            b->ranges[kind].a[b->open_ranges.a[oi].idx].flags &= (uint16_t)~MRF_NO_END;
            b->open_ranges.a[oi] = b->open_ranges.a[--b->open_ranges.n];
        }
        if (kind == MR_ASSIST)
            set_assist(b, res, 0);
    } else {
        if (oi != SIZE_MAX)
            return;
        if (ev->kind == TT_EV_RANGE_ACTIVE && b->nsync >= 2)
            return;
        size_t k = VADD(b, b->ranges[kind]);
        size_t o = VADD(b, b->open_ranges);
        if (k == SIZE_MAX || o == SIZE_MAX)
            return;
        model_range *r = &b->ranges[kind].a[k];
        r->start = ev->time;
        r->res = res;
        r->name = ev->name;
        r->flags = MRF_NO_END | (ev->kind == TT_EV_RANGE_ACTIVE ? MRF_NO_BEGIN : 0);
        b->open_ranges.a[o].kind = (uint8_t)kind;
        b->open_ranges.a[o].res = res;
        b->open_ranges.a[o].name = ev->name;
        b->open_ranges.a[o].idx = (uint32_t)k;
        if (kind == MR_ASSIST)
            set_assist(b, res, 1);
    }
    if (kind == MR_GC || kind == MR_STW)
        gc_update(b, ev->time);
}

/* Go's summary of ranges. */
static bg *sum_g(model_builder *b, int64_t id)
{
    uint32_t gi = model_imap_get(&b->gmap, id);
    if (gi == NONE32 || !b->gst.a[gi].in_summary)
        return NULL;
    return &b->gs.a[gi];
}

static void sum_ranges(model_builder *b, const tt_event *ev)
{
    bg *g = NULL;
    if (ev->kind == TT_EV_RANGE_BEGIN || ev->kind == TT_EV_RANGE_ACTIVE) {
        if (ev->res == TT_RES_GOROUTINE) {
            g = sum_g(b, ev->id);
        } else if (ev->res == TT_RES_PROC) {
            g = sum_g(b, ev->g);
            if (g) {
                size_t i;
                for (i = 0; i < b->rangesp.n; i++)
                    if (b->rangesp.a[i].p == ev->id && b->rangesp.a[i].name == ev->name)
                        break;
                if (i == b->rangesp.n) {
                    i = VADD(b, b->rangesp);
                    if (i == SIZE_MAX)
                        return;
                    g = sum_g(b, ev->g);
                }
                b->rangesp.a[i].p = ev->id;
                b->rangesp.a[i].name = ev->name;
                b->rangesp.a[i].g = ev->g;
            }
        }
        if (!g)
            return;
        uint32_t gi = (uint32_t)(g - b->gs.a);
        kv *e = kv_get(b, &b->gs.a[gi].kv_range, ev->name);
        if (!e)
            return;
        if (ev->kind == TT_EV_RANGE_ACTIVE) {
            if (e->last)
                e->ns += b->sync_ts - e->last;
            e->last = b->sync_ts;
        } else {
            e->last = ev->time;
        }
    } else {
        if (ev->res == TT_RES_GOROUTINE) {
            g = sum_g(b, ev->id);
        } else if (ev->res == TT_RES_PROC) {
            for (size_t i = 0; i < b->rangesp.n; i++) {
                rangep *r = &b->rangesp.a[i];
                if (r->p == ev->id && r->name == ev->name) {
                    if (r->g == ev->g)
                        g = sum_g(b, r->g);
                    b->rangesp.a[i] = b->rangesp.a[--b->rangesp.n];
                    break;
                }
            }
        }
        if (!g)
            return;
        kv *e = kv_find(b, g->kv_range, ev->name);
        if (!e || !e->last)
            return;
        e->ns += ev->time - e->last;
        e->last = 0;
    }
}

/* ---- annotations --------------------------------------------------------- */

static uint32_t get_task(model_builder *b, uint64_t id)
{
    uint32_t i = model_imap_get(&b->tmap, (int64_t)id);
    if (i != NONE32)
        return i;
    size_t k = VADD(b, b->tasks);
    if (k == SIZE_MAX || model_imap_put(&b->tmap, (int64_t)id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    model_task *t = &b->tasks.a[k];
    t->id = id;
    t->parent = TT_NO_TASK;
    t->flags = MRF_NO_BEGIN | MRF_NO_END;
    t->start = b->t_first;
    return (uint32_t)k;
}

static void region_event(model_builder *b, const tt_event *ev)
{
    if (ev->g == TT_NO_ID)
        return;
    uint32_t gi = get_g(b, ev->g, ev->time);
    if (gi == NONE32)
        return;
    if (ev->kind == TT_EV_REGION_BEGIN) {
        size_t k = VADD(b, b->regions);
        size_t l = VADD(b, b->region_prev);
        if (k == SIZE_MAX || l == SIZE_MAX)
            return;
        bg *g = &b->gs.a[gi];
        model_region *r = &b->regions.a[k];
        r->start = ev->time;
        r->goroutine = ev->g;
        r->task = (uint64_t)ev->id;
        r->name = ev->name;
        r->stack = ev->stack;
        r->depth = (uint16_t)(g->depth > 0xffff ? 0xffff : g->depth);
        r->flags = MRF_NO_END;
        b->region_prev.a[l] = g->region_top;
        g->region_top = (uint32_t)k;
        g->depth++;
    } else {
        bg *g = &b->gs.a[gi];
        if (g->region_top != NONE32) {
            uint32_t k = g->region_top;
            model_region *r = &b->regions.a[k];
            r->end = ev->time;
            r->flags &= (uint16_t)~MRF_NO_END;
            g->region_top = b->region_prev.a[k];
            if (g->depth)
                g->depth--;
        } else {
            size_t k = VADD(b, b->regions);
            size_t l = VADD(b, b->region_prev);
            if (k == SIZE_MAX || l == SIZE_MAX)
                return;
            model_region *r = &b->regions.a[k];
            r->start = b->t_first;
            r->end = ev->time;
            r->goroutine = ev->g;
            r->task = (uint64_t)ev->id;
            r->name = ev->name;
            r->flags = MRF_NO_BEGIN;
            b->region_prev.a[l] = NONE32;
        }
    }
}

/* ---- the sink ------------------------------------------------------------ */

model_builder *model_builder_new(tt_syms *syms)
{
    if (!syms)
        return NULL;
    model_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->syms = syms;
    b->gc_open.state = MS_NONE;
    b->gc_open.end = INT64_MIN;
    b->last_m = b->last_p = TT_NO_ID;
#define S(f, lit) b->f = tt_syms_intern(syms, lit, sizeof lit - 1)
    S(s_gc, "GC concurrent mark phase");
    S(s_sweep, "GC incremental sweep");
    S(s_assist, "GC mark assist");
    S(s_forever, "forever");
    S(s_network, "network");
    S(s_m_gomaxprocs, "/sched/gomaxprocs:threads");
    S(s_m_heap, "/memory/classes/heap/objects:bytes");
    S(s_m_goal, "/gc/heap/goal:bytes");
#undef S
    if (b->s_gc == UINT32_MAX || b->s_m_goal == UINT32_MAX || b->s_sweep == UINT32_MAX ||
        b->s_assist == UINT32_MAX || b->s_forever == UINT32_MAX ||
        b->s_network == UINT32_MAX || b->s_m_gomaxprocs == UINT32_MAX ||
        b->s_m_heap == UINT32_MAX) {
        free(b);
        return NULL;
    }
    return b;
}

static int sink_event(void *ctx, const tt_event *ev) { return model_builder_event(ctx, ev); }

tt_sink model_builder_sink(model_builder *b)
{
    tt_sink s = {.ctx = b, .on_event = sink_event, .on_progress = NULL};
    return s;
}

int model_builder_event(model_builder *b, const tt_event *ev)
{
    if (!b || b->oom)
        return 1;
    int64_t t = ev->time;
    if (!b->have_t) {
        b->have_t = 1;
        b->t_first = t;
        b->t_last = t;
    }
    if (t < b->t_last)
        t = b->t_last; /* defensive: the loader guarantees order */
    b->t_last = t;
    if (b->sync_ts == 0) /* as Go's Summarizer: also after a Sync at time 0 */
        b->sync_ts = t;
    b->nevents++;
    if (ev->m >= 0 && ev->m != b->last_m) {
        if (get_m(b, ev->m, t) != NONE32)
            b->last_m = ev->m;
    }
    if (ev->p >= 0 && ev->p != b->last_p) {
        if (get_p(b, ev->p) != NONE32)
            b->last_p = ev->p;
    }
    switch (ev->kind) {
    case TT_EV_SYNC:
        b->sync_ts = t;
        b->nsync++;
        break;
    case TT_EV_METRIC: {
        int k = ev->name == b->s_m_heap ? 0 : ev->name == b->s_m_goal ? 1
                : ev->name == b->s_m_gomaxprocs ? 2 : -1;
        if (k < 0)
            break;
        if (k == 2 && ev->arg[0] > b->gomaxprocs_max)
            b->gomaxprocs_max = ev->arg[0] > UINT32_MAX ? UINT32_MAX : (uint32_t)ev->arg[0];
        size_t n = b->series[k].n;
        if (n && b->series[k].a[n - 1].t == t) {
            b->series[k].a[n - 1].v = ev->arg[0];
            break;
        }
        size_t i = VADD(b, b->series[k]);
        if (i != SIZE_MAX) {
            b->series[k].a[i].t = t;
            b->series[k].a[i].v = ev->arg[0];
        }
        break;
    }
    case TT_EV_LABEL:
        if (ev->res == TT_RES_GOROUTINE || ev->res == TT_RES_NONE) {
            int64_t id = ev->res == TT_RES_GOROUTINE ? ev->id : ev->g;
            uint32_t gi = model_imap_get(&b->gmap, id);
            if (gi != NONE32)
                b->gg.a[gi].label = ev->name;
        }
        break;
    case TT_EV_STACK_SAMPLE:
        b->ncpu++;
        break;
    case TT_EV_RANGE_BEGIN:
    case TT_EV_RANGE_ACTIVE:
    case TT_EV_RANGE_END:
        ranges_event(b, ev);
        sum_ranges(b, ev);
        break;
    case TT_EV_TASK_BEGIN:
    case TT_EV_TASK_END: {
        uint32_t k = get_task(b, (uint64_t)ev->id);
        if (k == NONE32)
            break;
        model_task *tk = &b->tasks.a[k];
        if (ev->kind == TT_EV_TASK_BEGIN) {
            tk->start = t;
            tk->flags &= (uint16_t)~MRF_NO_BEGIN;
            tk->name = ev->name;
        } else {
            tk->end = t;
            tk->flags &= (uint16_t)~MRF_NO_END;
            if (!tk->name)
                tk->name = ev->name;
        }
        if (tk->parent == TT_NO_TASK)
            tk->parent = ev->arg[0];
        break;
    }
    case TT_EV_REGION_BEGIN:
    case TT_EV_REGION_END:
        region_event(b, ev);
        break;
    case TT_EV_LOG: {
        size_t k = VADD(b, b->logs);
        if (k == SIZE_MAX)
            break;
        model_log *l = &b->logs.a[k];
        l->time = t;
        l->goroutine = ev->g;
        l->task = (uint64_t)ev->id;
        l->category = ev->name;
        l->message = ev->msg;
        l->stack = ev->stack;
        break;
    }
    case TT_EV_STATE_TRANSITION:
        if (ev->res == TT_RES_GOROUTINE)
            g_transition(b, ev);
        else if (ev->res == TT_RES_PROC)
            p_transition(b, ev);
        break;
    default:
        break;
    }
    return b->oom;
}

/* ---- finishing ----------------------------------------------------------- */

typedef struct idpair {
    int64_t id;
    uint32_t bi;
} idpair;

static int cmp_idpair(const void *a, const void *b)
{
    const idpair *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Sort build records by id: fills remap[bi] = lane and ids[lane]. */
static int order_ids(size_t n, const void *base, size_t stride, size_t idoff, uint32_t *remap,
                     int64_t *ids)
{
    idpair *v = malloc(sizeof *v * (n ? n : 1));
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        memcpy(&v[i].id, (const char *)base + i * stride + idoff, sizeof(int64_t));
        v[i].bi = (uint32_t)i;
    }
    qsort(v, n, sizeof *v, cmp_idpair);
    for (size_t i = 0; i < n; i++) {
        remap[v[i].bi] = (uint32_t)i;
        if (ids)
            ids[i] = v[i].id;
    }
    free(v);
    return 0;
}

/* Hand the lanes' span arrays over to the model, in lane order. */
static int take_lanes(model_lanes *l, uint32_t nlanes, spvec *const *vecs, size_t nvec,
                      const uint32_t *remap)
{
    l->n = nlanes;
    l->sp = calloc((size_t)nlanes + 1, sizeof *l->sp);
    l->cnt = calloc((size_t)nlanes + 1, sizeof *l->cnt);
    if (!l->sp || !l->cnt)
        return -1;
    for (size_t i = 0; i < nvec; i++) {
        spvec *v = vecs[i];
        uint32_t ln = remap ? remap[i] : (uint32_t)i;
        if (v->n && v->n < v->cap) {
            model_span *na = realloc(v->a, sizeof *na * v->n);
            if (na)
                v->a = na;
        }
        if (!v->n) {
            free(v->a);
            v->a = NULL;
        }
        l->sp[ln] = v->a;
        l->cnt[ln] = v->n;
        v->a = NULL;
        v->n = v->cap = 0;
    }
    return 0;
}

int model_lanes_index(model_lanes *l)
{
    /* checkpoints keep only the states the lanes use (a goroutine lane never
     * idles, a P lane never waits, ...) */
    uint32_t seen = 0;
    for (uint32_t i = 0; i < l->n; i++)
        for (uint32_t j = 0; j < l->cnt[i]; j++)
            if (l->sp[i][j].state < MS__COUNT)
                seen |= 1u << l->sp[i][j].state;
    l->nst = 0;
    for (uint32_t st = 0; st < MS__COUNT; st++)
        if (seen & (1u << st))
            l->st[l->nst++] = (uint8_t)st;
    size_t nck = 0;
    l->ck_off = malloc(sizeof *l->ck_off * ((size_t)l->n + 1));
    if (!l->ck_off)
        return -1;
    /* Checkpoint j (j >= 1) holds the sums of spans [0, j*32) and is stored at
     * ck_off + j - 1; checkpoint 0 (all zero) is implied: a lane of fewer than
     * 32 spans stores none. */
    for (uint32_t i = 0; i < l->n; i++) {
        l->ck_off[i] = (uint32_t)nck;
        nck += l->cnt[i] / MODEL_CK_EVERY;
    }
    l->ck_off[l->n] = (uint32_t)nck;
    l->ck = malloc(nck && l->nst ? nck * l->nst * sizeof *l->ck : 1);
    if (!l->ck)
        return -1;
    for (uint32_t i = 0; i < l->n; i++) {
        const model_span *s = l->sp[i];
        uint32_t n = l->cnt[i];
        int64_t acc[MS__COUNT] = {0};
        int64_t *ck = l->ck + (size_t)l->ck_off[i] * l->nst;
        for (uint32_t j = 1; j <= n; j++) {
            if (s[j - 1].state < MS__COUNT)
                acc[s[j - 1].state] += s[j - 1].end - s[j - 1].start;
            if (j % MODEL_CK_EVERY == 0) {
                int64_t *c = ck + (size_t)(j / MODEL_CK_EVERY - 1) * l->nst;
                for (uint32_t k = 0; k < l->nst; k++)
                    c[k] = acc[l->st[k]];
            }
        }
    }
    return 0;
}

size_t model_lanes_bytes(const model_lanes *l)
{
    if (!l->sp)
        return 0;
    size_t b = (sizeof *l->sp + sizeof *l->cnt) * ((size_t)l->n + 1);
    for (uint32_t i = 0; i < l->n; i++)
        b += sizeof(model_span) * l->cnt[i];
    if (l->ck_off)
        b += sizeof *l->ck_off * ((size_t)l->n + 1) +
             sizeof *l->ck * (size_t)l->ck_off[l->n] * l->nst;
    return b;
}

static int cmp_range(const void *a, const void *b)
{
    const model_range *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->res < y->res ? -1 : x->res > y->res;
}

static int cmp_region(const void *a, const void *b)
{
    const model_region *x = a, *y = b;
    int xb = !(x->flags & MRF_NO_BEGIN), yb = !(y->flags & MRF_NO_BEGIN);
    if (xb != yb)
        return xb - yb;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (int)x->depth - (int)y->depth;
}

static int cmp_log(const void *a, const void *b)
{
    const model_log *x = a, *y = b;
    return x->time < y->time ? -1 : x->time > y->time;
}

/* Move items[i] to items[dst[i]] for every i, in place, following the
 * permutation's cycles (dst is clobbered). Records: model_region, model_log,
 * model_goroutine or model_gstats (told apart by size). */
_Static_assert(sizeof(model_region) != sizeof(model_log) &&
                   sizeof(model_region) != sizeof(model_goroutine) &&
                   sizeof(model_log) != sizeof(model_goroutine) &&
                   sizeof(model_gstats) != sizeof(model_region) &&
                   sizeof(model_gstats) != sizeof(model_log) &&
                   sizeof(model_gstats) != sizeof(model_goroutine),
               "permute tells records apart by size");
/* The cycle walk carries one record along each cycle: one read and one write
 * of a record per move (typed, so the moves are inlined). */
#define PERMUTE_T(name, T)                                                      \
    static void name(T *it, size_t n, uint32_t *dst)                            \
    {                                                                           \
        for (size_t i = 0; i < n; i++) {                                        \
            if (dst[i] == i)                                                    \
                continue;                                                       \
            T carry = it[i];                                                    \
            uint32_t j = dst[i];                                                \
            dst[i] = (uint32_t)i;                                               \
            while (j != i) {                                                    \
                T t = it[j];                                                    \
                it[j] = carry;                                                  \
                carry = t;                                                      \
                uint32_t k = dst[j];                                            \
                dst[j] = j;                                                     \
                j = k;                                                          \
            }                                                                   \
            it[i] = carry;                                                      \
        }                                                                       \
    }
PERMUTE_T(permute_region, model_region)
PERMUTE_T(permute_log, model_log)
PERMUTE_T(permute_goroutine, model_goroutine)
PERMUTE_T(permute_gstats, model_gstats)

static void permute(void *items, size_t n, size_t size, uint32_t *dst)
{
    if (size == sizeof(model_region))
        permute_region(items, n, dst);
    else if (size == sizeof(model_log))
        permute_log(items, n, dst);
    else if (size == sizeof(model_goroutine))
        permute_goroutine(items, n, dst);
    else
        permute_gstats(items, n, dst);
}

/* Group records (regions or logs) by goroutine lane; those of no goroutine go
 * last. Reorders items in place (no copy of the records: a stable counting
 * sort computes each record's destination, then the permutation is applied by
 * following its cycles), then sorts each group that is not in order. Returns
 * 0 (*off gets ng+1 offsets) or -1 on allocation failure (items unchanged). */
static int group_by_g(model_builder *b, void *items, size_t n, size_t size, size_t goff,
                      const uint32_t *remap, uint32_t ng, uint32_t **off,
                      int (*cmp)(const void *, const void *))
{
    uint32_t *o = calloc((size_t)ng + 2, sizeof *o);
    uint32_t *dst = malloc(sizeof *dst * (n ? n : 1));
    if (!o || !dst) {
        free(o);
        free(dst);
        return -1;
    }
    char *it = items;
    for (size_t i = 0; i < n; i++) {
        int64_t gid;
        memcpy(&gid, it + i * size + goff, sizeof gid);
        uint32_t gi = gid == TT_NO_ID ? NONE32 : model_imap_get(&b->gmap, gid);
        dst[i] = gi == NONE32 ? ng : remap[gi];
        o[dst[i] + 1]++;
    }
    for (uint32_t i = 0; i <= ng; i++)
        o[i + 1] += o[i];
    /* dst[i]: lane -> destination index, using o as the running positions
     * (restored below) */
    for (size_t i = 0; i < n; i++)
        dst[i] = o[dst[i]]++;
    for (uint32_t i = ng + 1; i > 0; i--)
        o[i] = o[i - 1];
    o[0] = 0;
    permute(items, n, size, dst);
    free(dst);
    /* items may be NULL when n == 0: no pointer arithmetic on it then (F4). */
    for (uint32_t i = 0; n > 0 && i <= ng; i++) {
        char *grp = it + (size_t)o[i] * size;
        size_t cnt = o[i + 1] - o[i], j;
        for (j = 1; j < cnt; j++)
            if (cmp(grp + (j - 1) * size, grp + j * size) > 0)
                break;
        if (j < cnt) /* usually already in order */
            qsort(grp, cnt, size, cmp);
    }
    *off = o;
    return 0;
}

/* Give back the growth slack of a finished array (never fails). */
static void *shrink(void *a, size_t n, size_t size)
{
    if (!a || !n)
        return a;
    void *p = realloc(a, n * size);
    return p ? p : a;
}

/* pprof: merge records whose stacks have the same first 128 PCs. */
typedef struct pcrec {
    const tt_frame *f;
    uint32_t nf;
    model_prof_rec r;
} pcrec;

static int cmp_pcs(const void *a, const void *b)
{
    const pcrec *x = a, *y = b;
    /* Go compares [128]uint64 arrays padded with zeros: a stack of zero PCs
     * equals the empty stack. */
    for (uint32_t i = 0; i < 128 && (i < x->nf || i < y->nf); i++) {
        uint64_t px = i < x->nf ? x->f[i].pc : 0, py = i < y->nf ? y->f[i].pc : 0;
        if (px != py)
            return px < py ? -1 : 1;
    }
    return 0;
}

static int cmp_delay(const void *a, const void *b)
{
    const model_prof_rec *x = a, *y = b;
    if (x->delay_ns != y->delay_ns)
        return x->delay_ns > y->delay_ns ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->stack < y->stack ? -1 : x->stack > y->stack;
}

/* Merge records whose stacks have the same first 128 PCs (Go's stackMap),
 * keeping the stack seen last; then sort by delay. Returns the new count
 * (r unchanged on allocation failure, only sorted). */
static uint32_t merge_prof(const tt_syms *syms, model_prof_rec *r, size_t n)
{
    if (!n)
        return 0;
    pcrec *t = malloc(sizeof *t * n);
    size_t w = n;
    if (t) {
        for (size_t i = 0; i < n; i++) {
            t[i].f = NULL;
            t[i].nf = r[i].stack ? tt_syms_stack_frames(syms, r[i].stack, &t[i].f) : 0;
            if (!t[i].f)
                t[i].nf = 0;
            t[i].r = r[i];
        }
        qsort(t, n, sizeof *t, cmp_pcs);
        w = 0;
        for (size_t i = 0; i < n; i++) {
            if (w && cmp_pcs(&t[w - 1], &t[i]) == 0) {
                t[w - 1].r.count += t[i].r.count;
                t[w - 1].r.delay_ns += t[i].r.delay_ns;
                if (t[i].r.pad_ > t[w - 1].r.pad_) {
                    t[w - 1].r.stack = t[i].r.stack;
                    t[w - 1].r.pad_ = t[i].r.pad_;
                }
                continue;
            }
            t[w++] = t[i];
        }
        for (size_t i = 0; i < w; i++)
            r[i] = t[i].r;
        free(t);
    }
    for (size_t i = 0; i < w; i++)
        r[i].pad_ = 0;
    qsort(r, w, sizeof *r, cmp_delay);
    return (uint32_t)w;
}

void model_builder_free(model_builder *b)
{
    if (!b)
        return;
    model_imap_free(&b->gmap);
    model_imap_free(&b->pmap);
    model_imap_free(&b->mmap);
    model_imap_free(&b->tmap);
    for (size_t i = 0; i < b->gs.n; i++)
        free(b->gs.a[i].v.a);
    for (size_t i = 0; i < b->ps.n; i++)
        free(b->ps.a[i].v.a);
    for (size_t i = 0; i < b->ms.n; i++)
        free(b->ms.a[i].v.a);
    free(b->gc_v.a);
    free(b->gs.a);
    free(b->gg.a);
    free(b->gst.a);
    free(b->ps.a);
    free(b->ms.a);
    free(b->kvs.a);
    for (int k = 0; k < MR__COUNT; k++)
        free(b->ranges[k].a);
    free(b->open_ranges.a);
    free(b->rangesp.a);
    free(b->regions.a);
    free(b->region_prev.a);
    free(b->logs.a);
    free(b->tasks.a);
    for (int k = 0; k < 3; k++)
        free(b->series[k].a);
    for (int k = 0; k < MP__COUNT; k++) {
        model_imap_free(&b->pmaps[k]);
        free(b->prof[k].a);
    }
    free(b->pending.a);
    free(b);
}

model *model_builder_finish(model_builder *b)
{
    if (!b)
        return NULL;
    model *m = calloc(1, sizeof *m);
    model_cache *cache = calloc(1, sizeof *cache);
    if (!m || !cache || b->oom) {
        free(m);
        free(cache);
        model_builder_free(b);
        return NULL;
    }
    m->cache = cache;
    m->syms = b->syms;
    int64_t T = b->t_last;

    /* close everything still open at the last event */
    for (size_t i = 0; i < b->gs.n; i++) {
        span_close(b, ML_GOROUTINE, (uint32_t)i, &b->gs.a[i].open, T);
        if (b->gst.a[i].in_summary)
            sum_finalize(b, (uint32_t)i, T, 0);
        if (b->gg.a[i].func == 0)
            b->gg.a[i].func = b->gst.a[i].name;
    }
    for (size_t i = 0; i < b->ps.n; i++)
        span_close(b, ML_PROC, (uint32_t)i, &b->ps.a[i].open, T);
    for (size_t i = 0; i < b->ms.n; i++)
        span_close(b, ML_THREAD, (uint32_t)i, &b->ms.a[i].open, T);
    span_close(b, ML_GC, 0, &b->gc_open, T);
    for (size_t i = 0; i < b->regions.n; i++)
        if ((b->regions.a[i].flags & MRF_NO_END) && b->regions.a[i].end == 0)
            b->regions.a[i].end = T;
    for (size_t i = 0; i < b->open_ranges.n; i++) {
        orange *o = &b->open_ranges.a[i];
        b->ranges[o->kind].a[o->idx].end = T;
    }
    for (size_t i = 0; i < b->tasks.n; i++)
        if (b->tasks.a[i].flags & MRF_NO_END)
            b->tasks.a[i].end = T;
    /* pending profile samples: goroutines that never ran count in full */
    for (size_t i = 0; i < b->pending.n; i++) {
        pend *p = &b->pending.a[i];
        if (b->gst.a[p->gi].start == 0 && b->gst.a[p->gi].in_summary)
            prof_add(b, p->kind, p->stack, p->d);
    }
    if (b->oom)
        goto fail;

    uint32_t ng = (uint32_t)b->gs.n, np = (uint32_t)b->ps.n, nm = (uint32_t)b->ms.n;
    uint32_t *gremap = malloc(sizeof *gremap * (ng + 1u));
    uint32_t *premap = malloc(sizeof *premap * (np + 1u));
    uint32_t *mremap = malloc(sizeof *mremap * (nm + 1u));
    m->p_ids = malloc(sizeof *m->p_ids * (np + 1u));
    m->m_ids = malloc(sizeof *m->m_ids * (nm + 1u));
    int ok = gremap && premap && mremap && m->p_ids && m->m_ids;
    ok = ok && order_ids(ng, b->gg.a, sizeof *b->gg.a, offsetof(model_goroutine, id), gremap,
                         NULL) == 0;
    /* the builder's goroutine and summary arrays become the model's, in lane
     * order */
    if (ok) {
        uint32_t *dst = malloc(sizeof *dst * (ng + 1u));
        ok = dst != NULL;
        if (ok) {
            memcpy(dst, gremap, sizeof *dst * ng);
            permute(b->gg.a, ng, sizeof *b->gg.a, dst);
            memcpy(dst, gremap, sizeof *dst * ng);
            permute(b->gst.a, ng, sizeof *b->gst.a, dst);
            free(dst);
            m->gs = ng ? shrink(b->gg.a, ng, sizeof *b->gg.a) : calloc(1, sizeof *m->gs);
            m->gst = ng ? shrink(b->gst.a, ng, sizeof *b->gst.a) : calloc(1, sizeof *m->gst);
            if (ng) {
                b->gg.a = NULL;
                b->gst.a = NULL;
            }
            ok = m->gs && m->gst;
        }
    }
    ok = ok && order_ids(np, b->ps.a, sizeof *b->ps.a, offsetof(bp, id), premap, m->p_ids) == 0;
    ok = ok && order_ids(nm, b->ms.a, sizeof *b->ms.a, offsetof(bm, id), mremap, m->m_ids) == 0;
    spvec **vecs = malloc(sizeof *vecs * ((size_t)ng + np + nm + 1));
    ok = ok && vecs;
    if (ok) {
        for (uint32_t i = 0; i < ng; i++)
            vecs[i] = &b->gs.a[i].v;
        ok = take_lanes(&m->lanes[ML_GOROUTINE], ng, vecs, ng, gremap) == 0;
    }
    if (ok) {
        for (uint32_t i = 0; i < np; i++)
            vecs[i] = &b->ps.a[i].v;
        ok = take_lanes(&m->lanes[ML_PROC], np, vecs, np, premap) == 0;
    }
    if (ok) {
        for (uint32_t i = 0; i < nm; i++)
            vecs[i] = &b->ms.a[i].v;
        ok = take_lanes(&m->lanes[ML_THREAD], nm, vecs, nm, mremap) == 0;
    }
    if (ok) {
        vecs[0] = &b->gc_v;
        ok = take_lanes(&m->lanes[ML_GC], 1, vecs, 1, NULL) == 0;
    }
    free(vecs);
    for (int k = 0; k < 4 && ok; k++)
        ok = model_lanes_index(&m->lanes[k]) == 0;
    if (!ok)
        goto fail_maps;

    /* goroutines and their stats */
    size_t nkv = 0;
    for (size_t i = 0; i < b->gs.n; i++) {
        for (uint32_t j = b->gs.a[i].kv_reason; j != NONE32; j = b->kvs.a[j].next)
            nkv++;
        for (uint32_t j = b->gs.a[i].kv_range; j != NONE32; j = b->kvs.a[j].next)
            nkv++;
    }
    m->kv_key = malloc(sizeof *m->kv_key * (nkv + 1));
    m->kv_ns = malloc(sizeof *m->kv_ns * (nkv + 1));
    if (!m->kv_key || !m->kv_ns)
        goto fail_maps;
    m->nkv = nkv;
    size_t kpos = 0;
    for (size_t i = 0; i < b->gs.n; i++) {
        bg *g = &b->gs.a[i];
        uint32_t lane = gremap[i];
        size_t fn = 0;
        const char *f = bstr(b, m->gs[lane].func, &fn);
        m->gs[lane].system = (fn == 0) || (has_prefix(f, fn, "runtime.") &&
                                           !(fn == 12 && memcmp(f, "runtime.main", 12) == 0));
        model_gstats *st = &m->gst[lane];
        int64_t sum = st->exec_ns + st->sched_wait_ns + st->syscall_ns + st->syscall_block_ns;
        st->reason = m->kv_key + kpos;
        st->reason_ns = m->kv_ns + kpos;
        for (uint32_t j = g->kv_reason; j != NONE32; j = b->kvs.a[j].next) {
            kv *e = &b->kvs.a[j];
            size_t n;
            const char *r = bstr(b, e->key, &n);
            m->kv_key[kpos] = e->key;
            m->kv_ns[kpos++] = e->ns;
            st->nreasons++;
            sum += e->ns;
            if (n == 7 && memcmp(r, "network", 7) == 0)
                st->network_wait_ns += e->ns;
            else if (has_sub(r, n, "chan") || has_sub(r, n, "sync") || has_sub(r, n, "select"))
                st->sync_block_ns += e->ns;
            else if (n == 5 && memcmp(r, "sleep", 5) == 0)
                st->sleep_ns += e->ns;
            else
                st->other_block_ns += e->ns;
        }
        st->unknown_ns = sum < st->total_ns ? st->total_ns - sum : 0;
        st->range = m->kv_key + kpos;
        st->range_ns = m->kv_ns + kpos;
        for (uint32_t j = g->kv_range; j != NONE32; j = b->kvs.a[j].next) {
            kv *e = &b->kvs.a[j];
            m->kv_key[kpos] = e->key;
            m->kv_ns[kpos++] = e->ns;
            st->nranges++;
            if (e->key == b->s_assist)
                st->gc_assist_ns += e->ns;
            else if (e->key == b->s_sweep)
                st->gc_sweep_ns += e->ns;
        }
    }

    /* the builder's goroutine records (their spans were handed over) and
     * summaries are done with: make room for what follows */
    free(b->gs.a);
    b->gs.a = NULL;
    b->gs.n = b->gs.cap = 0;
    free(b->kvs.a);
    b->kvs.a = NULL;
    b->kvs.n = b->kvs.cap = 0;

    if (model_build_groups(m) != 0)
        goto fail_maps;

    /* ranges */
    for (int k = 0; k < MR__COUNT; k++) {
        if (b->ranges[k].n > 1)
            qsort(b->ranges[k].a, b->ranges[k].n, sizeof *b->ranges[k].a, cmp_range);
        m->ranges[k] = shrink(b->ranges[k].a, b->ranges[k].n, sizeof *b->ranges[k].a);
        m->nranges[k] = (uint32_t)b->ranges[k].n;
        b->ranges[k].a = NULL;
    }
    /* annotations */
    free(b->region_prev.a);
    b->region_prev.a = NULL;
    if (group_by_g(b, b->regions.a, b->regions.n, sizeof *b->regions.a,
                   offsetof(model_region, goroutine), gremap, ng, &m->g_region_off,
                   cmp_region) != 0)
        goto fail_maps;
    m->regions = shrink(b->regions.a, b->regions.n, sizeof *b->regions.a);
    b->regions.a = NULL;
    if (!m->regions && !(m->regions = malloc(sizeof *m->regions)))
        goto fail_maps;
    if (group_by_g(b, b->logs.a, b->logs.n, sizeof *b->logs.a, offsetof(model_log, goroutine),
                   gremap, ng, &m->g_log_off, cmp_log) != 0)
        goto fail_maps;
    m->logs = shrink(b->logs.a, b->logs.n, sizeof *b->logs.a);
    b->logs.a = NULL;
    if (!m->logs && !(m->logs = malloc(sizeof *m->logs)))
        goto fail_maps;
    m->tasks = shrink(b->tasks.a, b->tasks.n, sizeof *b->tasks.a);
    b->tasks.a = NULL;
    m->info.ntasks = (uint32_t)b->tasks.n;
    for (int k = 0; k < 3; k++) {
        m->series[k] = shrink(b->series[k].a, b->series[k].n, sizeof *b->series[k].a);
        m->nseries[k] = (uint32_t)b->series[k].n;
        b->series[k].a = NULL;
    }
    for (int k = 0; k < MP__COUNT; k++) {
        m->nprof[k] = merge_prof(b->syms, b->prof[k].a, b->prof[k].n);
        m->prof[k] = b->prof[k].a;
        b->prof[k].a = NULL;
    }

    /* info */
    model_info *in = &m->info;
    in->t_start = b->t_first;
    in->t_end = b->t_last;
    in->nevents = b->nevents;
    in->ngoroutines = ng;
    in->nprocs = np;
    in->nthreads = nm;
    in->gomaxprocs_max = b->gomaxprocs_max;
    in->ncpu_samples = b->ncpu;
    in->nregions = (uint32_t)b->regions.n;
    in->nlogs = (uint32_t)b->logs.n;
    for (uint32_t i = 0; i < m->nranges[MR_GC]; i++) {
        const model_range *r = &m->ranges[MR_GC][i];
        if (r->flags & MRF_NO_END)
            continue;
        int64_t d = r->end - r->start;
        in->ngc++;
        in->gc_total_ns += d;
        if (d > in->gc_max_ns)
            in->gc_max_ns = d;
    }
    for (uint32_t i = 0; i < m->nranges[MR_STW]; i++) {
        const model_range *r = &m->ranges[MR_STW][i];
        if (r->flags & MRF_NO_END)
            continue;
        int64_t d = r->end - r->start;
        in->nstw++;
        in->stw_total_ns += d;
        if (d > in->stw_max_ns)
            in->stw_max_ns = d;
    }
    size_t mem = sizeof *m + sizeof *m->cache;
    for (int k = 0; k < 4; k++)
        mem += model_lanes_bytes(&m->lanes[k]);
    mem += (sizeof *m->gs + sizeof *m->gst) * ng + (sizeof *m->kv_key + sizeof *m->kv_ns) * nkv;
    mem += sizeof(int64_t) * (np + nm);
    mem += sizeof *m->groups * m->ngroups + sizeof *m->group_lanes * ng;
    for (int k = 0; k < MR__COUNT; k++)
        mem += sizeof(model_range) * m->nranges[k];
    mem += sizeof(model_region) * in->nregions + sizeof(model_log) * in->nlogs +
           sizeof(model_task) * in->ntasks + sizeof(uint32_t) * 2 * (ng + 2u);
    for (int k = 0; k < 3; k++)
        mem += sizeof(model_point) * m->nseries[k];
    for (int k = 0; k < MP__COUNT; k++)
        mem += sizeof(model_prof_rec) * m->nprof[k];
    in->mem_bytes = mem;

    free(gremap);
    free(premap);
    free(mremap);
    model_builder_free(b);
    return m;

fail_maps:
    free(gremap);
    free(premap);
    free(mremap);
fail:
    model_builder_free(b);
    model_free(m);
    return NULL;
}

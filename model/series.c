/*
 * Metrics series: the heap, heap goal and GOMAXPROCS points the builder
 * recorded, and the goroutine-count series (running, runnable, waiting)
 * computed on first use from the goroutine lanes.
 */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

/* The goroutine-count series, computed on first use. */
struct model_gseries {
    model_point *p[3];
    uint32_t n[3];
};

void model_series_free(model *m)
{
    for (int k = 0; k < MSER__COUNT; k++)
        free(m->series[k]);
    if (m->cache && m->cache->gser) {
        for (int k = 0; k < 3; k++)
            free(m->cache->gser->p[k]);
        free(m->cache->gser);
        m->cache->gser = NULL;
    }
}

/* ---- series -------------------------------------------------------------- */

static int gseries_which(uint8_t st)
{
    switch (st) {
    case MS_RUNNING:
    case MS_SYSCALL:
    case MS_SYSCALL_BLOCKED:
        return 0;
    case MS_RUNNABLE:
        return 1;
    case MS_WAITING:
        return 2;
    default:
        return -1;
    }
}

/* Growable output of one goroutine-count series. */
typedef struct gser_out {
    model_point *p;
    uint32_t n, cap;
} gser_out;

static int gser_push(gser_out *o, int64_t t, uint64_t v)
{
    if (o->n && o->p[o->n - 1].t == t) {
        o->p[o->n - 1].v = v;
        return 0;
    }
    if (o->n && o->p[o->n - 1].v == v)
        return 0;
    if (o->n == o->cap) {
        uint32_t cap = o->cap < 1024 ? 1024 : o->cap > UINT32_MAX / 2 ? UINT32_MAX : o->cap * 2;
        if (cap == o->cap)
            return -1;
        model_point *np = realloc(o->p, sizeof *np * cap);
        if (!np)
            return -1;
        o->p = np;
        o->cap = cap;
    }
    o->p[o->n++] = (model_point){t, v};
    return 0;
}

/* Heap entry: a lane's next change point. */
typedef struct gnext {
    int64_t t;
    uint32_t lane;
} gnext;

static void gheap_down(gnext *h, uint32_t n, uint32_t i)
{
    gnext x = h[i];
    for (;;) {
        uint32_t a = 2 * i + 1, m = a;
        if (a >= n)
            break;
        if (a + 1 < n && h[a + 1].t < h[a].t)
            m = a + 1;
        if (h[m].t >= x.t)
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = x;
}

/* Merge the goroutine lanes' change points in time order (a heap over the
 * lanes: O(spans log goroutines)) and count goroutines per state class. A
 * lane's cursor stops once per change time: the end of a span and the start
 * of the next one at the same time are one step (goroutine lanes are mostly
 * contiguous), which halves the heap work. */
static void build_gseries(const model *m)
{
    model_cache *c = m->cache;
    c->series_done = 1;
    if (!c->gser && !(c->gser = calloc(1, sizeof *c->gser)))
        return;
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    gnext *h = malloc(sizeof *h * ((size_t)l->n + 1));
    /* per lane: 2 * span index, + 1 when its next change is that span's end */
    uint32_t *pos = malloc(sizeof *pos * ((size_t)l->n + 1));
    gser_out out[3];
    memset(out, 0, sizeof out);
    if (!h || !pos)
        goto fail;
    for (int w = 0; w < 3; w++)
        if (gser_push(&out[w], m->info.t_start, 0))
            goto fail;
    uint32_t nh = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        if (!l->cnt[i])
            continue;
        pos[i] = 0;
        h[nh++] = (gnext){model_rec_start(l, i, 0), i};
    }
    for (uint32_t i = nh / 2; i-- > 0;)
        gheap_down(h, nh, i);
    int64_t cur[3] = {0, 0, 0};
    while (nh) {
        int64_t t = h[0].t;
        int changed[3] = {0, 0, 0};
        while (nh && h[0].t == t) {
            uint32_t lane = h[0].lane, n = l->cnt[lane];
            uint32_t i = pos[lane] >> 1;
            int at_end = pos[lane] & 1;
            model_sse s = model_rec_sse(l, lane, i);
            if (at_end) { /* the end of span i */
                int w = gseries_which((uint8_t)s.state);
                if (w >= 0)
                    cur[w]--, changed[w] = 1;
                i++;
                at_end = 0; /* next: the start of span i, now if it begins here */
                if (i < n)
                    s = model_rec_sse(l, lane, i);
            }
            if (i < n && s.start == t && !at_end) {
                int w = gseries_which((uint8_t)s.state);
                if (w >= 0)
                    cur[w]++, changed[w] = 1;
                at_end = 1;
            }
            if (i >= n) { /* lane done */
                h[0] = h[--nh];
            } else {
                pos[lane] = 2 * i + (uint32_t)at_end;
                h[0].t = at_end ? s.end : s.start;
            }
            if (nh)
                gheap_down(h, nh, 0);
        }
        for (int w = 0; w < 3; w++)
            if (changed[w] && gser_push(&out[w], t, cur[w] < 0 ? 0 : (uint64_t)cur[w]))
                goto fail;
    }
    free(h);
    free(pos);
    for (int w = 0; w < 3; w++) { /* give back the slack */
        model_point *np = realloc(out[w].p, sizeof *np * out[w].n);
        free(c->gser->p[w]);
        c->gser->p[w] = np ? np : out[w].p;
        c->gser->n[w] = out[w].n;
    }
    return;
fail:
    free(h);
    free(pos);
    for (int w = 0; w < 3; w++) {
        free(out[w].p);
        free(c->gser->p[w]);
        c->gser->p[w] = NULL;
        c->gser->n[w] = 0;
    }
}

uint32_t model_series(const model *m, model_series_kind k, const model_point **pts)
{
    *pts = NULL;
    switch (k) {
    case MSER_HEAP_ALLOC:
    case MSER_HEAP_GOAL:
    case MSER_GOMAXPROCS:
        *pts = m->series[k];
        return m->nseries[k];
    case MSER_G_RUNNING:
    case MSER_G_RUNNABLE:
    case MSER_G_WAITING: {
        if (!m->cache->series_done)
            build_gseries(m);
        int w = (int)k - (int)MSER_G_RUNNING;
        if (!m->cache->gser)
            return 0;
        *pts = m->cache->gser->p[w];
        return m->cache->gser->p[w] ? m->cache->gser->n[w] : 0;
    }
    default:
        return 0;
    }
}

/* Queries over a built model: accessors, span search, level-of-detail
 * columns, episodes, series, search; and model_free. */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const state_names[MS__COUNT] = {
    "none", "running", "runnable", "waiting", "syscall", "syscall (blocked)",
    "idle", "GC", "STW", "mixed",
};
static const char *const cat_names[MC__COUNT] = {
    "", "channel", "select", "sync", "cond", "network", "syscall", "sleep", "GC", "system", "other",
};

const char *model_state_name(model_state s)
{
    return (unsigned)s < MS__COUNT ? state_names[s] : "?";
}

const char *model_cat_name(model_cat c)
{
    return (unsigned)c < MC__COUNT ? cat_names[c] : "?";
}

void model_free(model *m)
{
    if (!m)
        return;
    for (int k = 0; k < 4; k++) {
        if (m->lanes[k].block)
            free(m->lanes[k].block);
        else if (m->lanes[k].rec)
            for (uint32_t i = 0; i < m->lanes[k].n; i++)
                free(m->lanes[k].rec[i]);
        free(m->lanes[k].rec);
        if (m->lanes[k].bblock)
            free(m->lanes[k].bblock);
        else if (m->lanes[k].bases)
            for (uint32_t i = 0; i < m->lanes[k].n; i++)
                free(m->lanes[k].bases[i]);
        free(m->lanes[k].bases);
        free(m->lanes[k].site);
        free(m->lanes[k].lend);
        free(m->lanes[k].cnt);
        free(m->lanes[k].esc);
        free(m->lanes[k].ck_off);
        free(m->lanes[k].ck);
        free(m->lanes[k].ep_max);
        free(m->lanes[k].ep_cnt);
    }
    free(m->gs);
    free(m->gsb);
    free(m->gs_off);
    free(m->kv_key);
    free(m->kv_ns);
    free(m->p_ids);
    free(m->m_ids);
    for (int k = 0; k < MR__COUNT; k++)
        free(m->ranges[k]);
    free(m->regions);
    free(m->g_region_off);
    free(m->logs);
    free(m->g_log_off);
    free(m->task_ref_ids);
    free(m->tasks);
    model_series_free(m);
    for (int k = 0; k < MP__COUNT; k++)
        free(m->prof[k]);
    free(m->groups);
    free(m->group_lanes);
    if (m->cache) {
        free(m->cache->eps);
        free(m->cache->top);
        free(m->cache->eps_count);
        for (int k = 0; k < 4; k++) {
            if (m->cache->bend[k])
                for (uint32_t i = 0; i < m->lanes[k].n; i++)
                    free(m->cache->bend[k][i]);
            free(m->cache->bend[k]);
        }
        free(m->cache);
    }
    if (m->own_syms)
        tt_syms_free(m->syms);
    if (m->own_file)
        tt_file_close(&m->file);
    free(m);
}

const tt_syms *model_syms(const model *m) { return m->syms; }

const char *model_str(const model *m, uint32_t id, size_t *len)
{
    size_t l = 0;
    const char *s = tt_syms_str(m->syms, id, &l);
    if (!s) {
        s = "";
        l = 0;
    }
    if (len)
        *len = l;
    return s;
}

const model_info *model_get_info(const model *m) { return &m->info; }

uint32_t model_lane_count(const model *m, model_lane_kind k)
{
    return (unsigned)k < 4 ? m->lanes[k].n : 0;
}

const model_span *model_lanes_esc(const model_lanes *l, uint32_t lane, uint32_t i)
{
    uint64_t key = (uint64_t)lane << 32 | i;
    uint32_t lo = 0, hi = l->nesc;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->esc[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->nesc && l->esc[lo].key == key ? &l->esc[lo].s : NULL;
}

/* ---- span access over the compact records -------------------------------- */

/* (AI and SSE: model_int.h) */

static uint32_t rec_after(const model_lanes *l, uint32_t lane, uint32_t lo, uint32_t hi, int64_t t)
{
    return l->stride == sizeof(model_gsp) ? rec_after_s(l, lane, lo, hi, t, sizeof(model_gsp))
                                          : rec_after_s(l, lane, lo, hi, t, sizeof(model_psp));
}

/* First index in [lo, hi) with start >= t; hi if none. */
static uint32_t rec_start_ge(const model_lanes *l, uint32_t lane, uint32_t lo, uint32_t hi,
                             int64_t t)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (model_rec_start(l, lane, mid) >= t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint32_t model_lane_nspans(const model *m, model_lane_kind k, uint32_t idx)
{
    return (unsigned)k < 4 && idx < m->lanes[k].n ? m->lanes[k].cnt[idx] : 0;
}

const model_span *model_lane_span(const model *m, model_lane_kind k, uint32_t idx,
                                  uint32_t i, model_span *out)
{
    if (i >= model_lane_nspans(m, k, idx))
        return NULL;
    model_rec_decode(&m->lanes[k], idx, i, out);
    return out;
}

uint32_t model_lane_span_after(const model *m, model_lane_kind k, uint32_t idx, int64_t t)
{
    uint32_t n = model_lane_nspans(m, k, idx);
    return n ? rec_after(&m->lanes[k], idx, 0, n, t) : 0;
}

uint32_t model_lane_span_at(const model *m, model_lane_kind k, uint32_t idx, int64_t t)
{
    uint32_t n = model_lane_nspans(m, k, idx);
    if (!n)
        return 0;
    const model_lanes *l = &m->lanes[k];
    return l->stride == sizeof(model_gsp) ? span_at_s(l, idx, n, t, sizeof(model_gsp))
                                          : span_at_s(l, idx, n, t, sizeof(model_psp));
}

uint32_t model_lane_spans_in(const model *m, model_lane_kind k, uint32_t idx, int64_t t0,
                             int64_t t1, uint32_t *first)
{
    uint32_t n = model_lane_nspans(m, k, idx);
    uint32_t i = n ? rec_after(&m->lanes[k], idx, 0, n, t0) : 0;
    uint32_t e = n ? rec_start_ge(&m->lanes[k], idx, i, n, t1) : 0;
    if (first)
        *first = i;
    return e > i ? e - i : 0;
}

int64_t model_lane_next_change(const model *m, model_lane_kind k, uint32_t idx, int64_t t,
                               int dir)
{
    uint32_t n = model_lane_nspans(m, k, idx);
    if (!n)
        return INT64_MIN;
    const model_lanes *l = &m->lanes[k];
    /* change points: every span start and every span end */
    uint32_t i = rec_after(l, idx, 0, n, t);
    if (dir > 0) {
        if (i < n) {
            model_sse s = model_rec_sse(l, idx, i);
            if (s.start > t)
                return s.start;
            return s.end; /* t inside span i: its end is the next change */
        }
        return INT64_MIN;
    }
    /* previous change strictly before t */
    if (i < n) {
        int64_t st = model_rec_start(l, idx, i);
        if (st < t)
            return st;
    }
    if (i > 0) {
        model_sse p = model_rec_sse(l, idx, i - 1);
        return p.end < t ? p.end : p.start;
    }
    return INT64_MIN;
}

static int is_block(uint32_t st)
{
    return st == MS_WAITING || st == MS_SYSCALL_BLOCKED;
}

uint32_t model_goroutine_next_block(const model *m, uint32_t idx, int64_t t, int dir)
{
    uint32_t n = model_lane_nspans(m, ML_GOROUTINE, idx);
    if (!n)
        return UINT32_MAX;
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    uint32_t i = rec_after(l, idx, 0, n, t);
    if (dir > 0) {
        for (; i < n; i++) {
            model_sse s = model_rec_sse(l, idx, i);
            if (s.start > t && is_block(s.state))
                return i;
        }
        return UINT32_MAX;
    }
    if (i > n)
        i = n;
    while (i-- > 0) {
        model_sse s = model_rec_sse(l, idx, i);
        if (s.start < t && is_block(s.state))
            return i;
    }
    return UINT32_MAX;
}


/* ---- goroutines ---------------------------------------------------------- */

const model_goroutine *model_goroutine_get(const model *m, uint32_t idx)
{
    return idx < m->lanes[ML_GOROUTINE].n ? &m->gs[idx] : NULL;
}

static uint32_t find_id(const int64_t *ids, size_t stride, uint32_t n, int64_t id)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t v;
        memcpy(&v, (const char *)ids + (size_t)mid * stride, sizeof v);
        if (v < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n) {
        int64_t v;
        memcpy(&v, (const char *)ids + (size_t)lo * stride, sizeof v);
        if (v == id)
            return lo;
    }
    return UINT32_MAX;
}

uint32_t model_goroutine_find(const model *m, int64_t id)
{
    if (!m->lanes[ML_GOROUTINE].n)
        return UINT32_MAX;
    return find_id(&m->gs[0].id, sizeof *m->gs, m->lanes[ML_GOROUTINE].n, id);
}

int64_t model_proc_id(const model *m, uint32_t idx)
{
    return idx < m->lanes[ML_PROC].n ? m->p_ids[idx] : -1;
}

int64_t model_thread_id(const model *m, uint32_t idx)
{
    return idx < m->lanes[ML_THREAD].n ? m->m_ids[idx] : -1;
}

typedef struct epd {
    int64_t d;
    uint32_t i;
} epd;

static int cmp_epd(const void *a, const void *b)
{
    const epd *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

#define is_episode model_is_episode

uint32_t model_goroutine_episodes(const model *m, uint32_t idx, const model_episode **eps)
{
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    uint32_t n = model_lane_nspans(m, ML_GOROUTINE, idx);
    model_cache *c = m->cache;
    *eps = NULL;
    if (c->eps_lane == idx + 1 && n) { /* same goroutine as last time */
        *eps = c->eps;
        return c->neps;
    }
    c->eps_lane = 0;
    uint32_t cnt = 0;
    for (uint32_t i = 0; i < n; i++)
        cnt += is_episode(model_rec_sse(l, idx, i).state);
    if (!cnt)
        return 0;
    epd *tmp = malloc(sizeof *tmp * cnt);
    if (!tmp)
        return 0;
    if (cnt > c->eps_cap) {
        model_episode *ne = realloc(c->eps, sizeof *ne * cnt);
        if (!ne) {
            free(tmp);
            return 0;
        }
        c->eps = ne;
        c->eps_cap = cnt;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        model_sse e = model_rec_sse(l, idx, i);
        if (is_episode(e.state)) {
            tmp[k].d = e.end - e.start;
            tmp[k++].i = i;
        }
    }
    qsort(tmp, cnt, sizeof *tmp, cmp_epd);
    for (uint32_t i = 0; i < cnt; i++)
        c->eps[i].span = tmp[i].i;
    free(tmp);
    c->neps = cnt;
    c->eps_lane = idx + 1;
    *eps = c->eps;
    return cnt;
}

/* a before b in model_goroutine_episodes' order (longer, then earlier) */
static int epd_before(const epd *a, const epd *b)
{
    return a->d != b->d ? a->d > b->d : a->i < b->i;
}

/* Heap whose root is the entry that comes last in episode order. */
static void epd_sift(epd *h, uint32_t n, uint32_t i)
{
    for (;;) {
        uint32_t a = 2 * i + 1, b = a + 1, w = i;
        if (a < n && epd_before(&h[w], &h[a]))
            w = a;
        if (b < n && epd_before(&h[w], &h[b]))
            w = b;
        if (w == i)
            return;
        epd t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static uint32_t *neps_slot(const model *m, uint32_t idx)
{
    model_cache *c = m->cache;
    uint32_t ng = m->lanes[ML_GOROUTINE].n;
    if (idx >= ng)
        return NULL;
    if (!c->eps_count) {
        c->eps_count = malloc(sizeof *c->eps_count * ng);
        if (!c->eps_count)
            return NULL;
        memset(c->eps_count, 0xff, sizeof *c->eps_count * ng);
    }
    return &c->eps_count[idx];
}

uint32_t model_goroutine_episode_count(const model *m, uint32_t idx)
{
    uint32_t n = model_lane_nspans(m, ML_GOROUTINE, idx);
    uint32_t *slot = neps_slot(m, idx);
    if (slot && *slot != UINT32_MAX)
        return *slot;
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    uint32_t cnt = 0;
    if (l->ep_cnt) { /* per-block counts */
        const uint8_t *bc = l->ep_cnt + (size_t)l->ck_off[idx] + idx;
        for (uint32_t b = 0; b < (n + MODEL_CK_EVERY - 1) / MODEL_CK_EVERY; b++)
            cnt += bc[b];
    } else {
        for (uint32_t i = 0; i < n; i++)
            cnt += is_episode(model_rec_sse(l, idx, i).state);
    }
    if (slot)
        *slot = cnt;
    return cnt;
}

/* Offer episode e to the heap h of the k first in episode order (nh of them
 * so far). */
static inline void top_push(epd *h, uint32_t *nh, uint32_t k, epd e)
{
    if (*nh < k) {
        h[(*nh)++] = e;
        if (*nh == k)
            for (uint32_t j = k / 2; j-- > 0;)
                epd_sift(h, k, j);
    } else if (epd_before(&e, &h[0])) {
        h[0] = e;
        epd_sift(h, k, 0);
    }
}

/* The k-th largest of the maxima bmax[b] of the blocks b < nb that hold an
 * episode (bcnt[b] > 0); 0 when fewer than k blocks do or memory is short.
 * A min-heap of the k largest so far. */
static uint32_t kth_block_max(const uint32_t *bmax, const uint8_t *bcnt, uint32_t nb, uint32_t k)
{
    if (k == 0 || nb < k)
        return 0;
    uint32_t *h = malloc(sizeof *h * k), nh = 0;
    if (!h)
        return 0;
    for (uint32_t b = 0; b < nb; b++) {
        if (!bcnt[b])
            continue;
        uint32_t v = bmax[b];
        if (nh < k) {
            uint32_t i = nh++; /* sift up */
            while (i && h[(i - 1) / 2] > v) {
                h[i] = h[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            h[i] = v;
        } else if (v > h[0]) {
            uint32_t i = 0; /* replace the root, sift down */
            for (;;) {
                uint32_t a = 2 * i + 1, w = a;
                if (a >= k)
                    break;
                if (a + 1 < k && h[a + 1] < h[a])
                    w = a + 1;
                if (h[w] >= v)
                    break;
                h[i] = h[w];
                i = w;
            }
            h[i] = v;
        }
    }
    uint32_t r = nh == k ? h[0] : 0;
    free(h);
    return r;
}

uint32_t model_goroutine_top_episodes(const model *m, uint32_t idx, uint32_t max,
                                      const model_episode **eps, uint32_t *total)
{
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    uint32_t n = model_lane_nspans(m, ML_GOROUTINE, idx);
    model_cache *c = m->cache;
    *eps = NULL;
    if (total)
        *total = 0;
    if (!n)
        return 0;
    if (c->top_lane == idx + 1 && c->top_max == max) {
        *eps = c->top;
        if (total)
            *total = c->top_total;
        return c->ntop;
    }
    c->top_lane = 0;
    uint32_t *slot = neps_slot(m, idx);
    uint32_t k = slot && *slot != UINT32_MAX && *slot < max ? *slot : max;
    if (!k) { /* max 0, or a goroutine known to have none */
        if (total)
            *total = model_goroutine_episode_count(m, idx);
        return 0;
    }
    epd *h = malloc(sizeof *h * k);
    if (!h)
        return 0;
    /* one pass: count them all, keep the k first in episode order. Spans come
     * in index order, so once the heap is full a block whose longest episode
     * is no longer than the heap's last entry cannot place any (a tie loses:
     * its index is later). */
    const uint32_t *bmax = l->ep_max ? l->ep_max + (size_t)l->ck_off[idx] + idx : NULL;
    const uint8_t *bcnt = l->ep_cnt ? l->ep_cnt + (size_t)l->ck_off[idx] + idx : NULL;
    uint32_t nh = 0, cnt = 0;
    /* lo: the k-th largest block maximum. Each block holds an episode as long
     * as its maximum, so k episodes last lo ns or more and a block whose
     * maximum is below lo cannot place any: skipped from the start, before
     * the heap fills up with whatever comes first. */
    uint32_t nb = (n + MODEL_CK_EVERY - 1) / MODEL_CK_EVERY;
    uint32_t lo = bmax ? kth_block_max(bmax, bcnt, nb, k) : 0;
    uint32_t *cand = lo ? malloc(sizeof *cand * nb) : NULL;
    if (cand) {
        /* the blocks that can place an episode, listed first, so that the
         * records of the next ones are fetched while one is decoded (their
         * cache misses overlap) */
        uint32_t nc = 0;
        for (uint32_t b = 0; b < nb; b++) {
            cnt += bcnt[b];
            cand[nc] = b;
            nc += bcnt[b] && bmax[b] >= lo;
        }
        const uint8_t *rec = l->rec[idx];
        for (uint32_t j = 0; j < nc; j++) {
            if (j + 4 < nc) {
                const uint8_t *q = rec + (size_t)cand[j + 4] * MODEL_CK_EVERY * l->stride;
                for (uint32_t o = 0; o < MODEL_CK_EVERY * l->stride + 64; o += 64)
                    __builtin_prefetch(q + o);
                __builtin_prefetch(&l->bases[idx][cand[j + 4] * MODEL_CK_EVERY / MODEL_PBLOCK]);
            }
            uint32_t b = cand[j];
            if (nh == k && bmax[b] < UINT32_MAX && (int64_t)bmax[b] <= h[0].d)
                continue;
            uint32_t end = (b + 1) * MODEL_CK_EVERY < n ? (b + 1) * MODEL_CK_EVERY : n;
            for (uint32_t i = b * MODEL_CK_EVERY; i < end; i++) {
                model_sse sp = model_rec_sse(l, idx, i);
                if (!is_episode(sp.state))
                    continue;
                top_push(h, &nh, k, (epd){sp.end - sp.start, i});
            }
        }
        free(cand);
        n = 0; /* done: the loop below has nothing left */
    }
    for (uint32_t i = 0; i < n; i++) {
        if (bmax && i % MODEL_CK_EVERY == 0) {
            uint32_t b = i / MODEL_CK_EVERY;
            if (!bcnt[b] || bmax[b] < lo ||
                (nh == k && bmax[b] < UINT32_MAX && (int64_t)bmax[b] <= h[0].d)) {
                cnt += bcnt[b];
                i += MODEL_CK_EVERY - 1; /* the loop's i++ enters the next block */
                continue;
            }
        }
        model_sse sp = model_rec_sse(l, idx, i);
        if (!is_episode(sp.state))
            continue;
        cnt++;
        top_push(h, &nh, k, (epd){sp.end - sp.start, i});
    }
    if (slot)
        *slot = cnt;
    if (total)
        *total = cnt;
    if (!nh) {
        free(h);
        return 0;
    }
    model_episode *nt = realloc(c->top, sizeof *nt * nh);
    if (!nt) {
        free(h);
        return 0;
    }
    c->top = nt;
    qsort(h, nh, sizeof *h, cmp_epd);
    for (uint32_t i = 0; i < nh; i++)
        c->top[i].span = h[i].i;
    free(h);
    c->ntop = nh;
    c->top_max = max;
    c->top_total = cnt;
    c->top_lane = idx + 1;
    *eps = c->top;
    return nh;
}

/* ---- ranges, annotations ------------------------------------------------- */

uint32_t model_ranges(const model *m, model_range_kind k, const model_range **r)
{
    if ((unsigned)k >= MR__COUNT) {
        *r = NULL;
        return 0;
    }
    *r = m->ranges[k];
    return m->nranges[k];
}

/* ---- goroutine groups ------------------------------------------------------ */

/* model_build_groups: gstats.c */

uint32_t model_goroutine_groups(const model *m, const model_ggroup **groups)
{
    *groups = m->groups;
    return m->ngroups;
}

const uint32_t *model_ggroup_lanes(const model *m) { return m->group_lanes; }

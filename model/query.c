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
        free(m->lanes[k].ckb);
        free(m->lanes[k].ckw);
        free(m->lanes[k].ckx);
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
        if (m->cache->ep_sb)
            for (uint32_t i = 0; i < m->lanes[ML_GOROUTINE].n; i++)
                free(m->cache->ep_sb[i]);
        free(m->cache->ep_sb);
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
    return rec_after_s(l, lane, lo, hi, t, MODEL_REC);
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
    return span_at_s(l, idx, n, t, MODEL_REC);
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

/* A span's length as model_goroutine_episodes orders it: end - start,
 * saturated to the int64 range (a hostile span may last 2^63 ns or more;
 * spans end after they start, so only INT64_MAX is reached in practice). */
static inline int64_t ep_len(model_sse s)
{
    int64_t d;
    if (__builtin_sub_overflow(s.end, s.start, &d))
        d = s.end > s.start ? INT64_MAX : INT64_MIN;
    return d;
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
            tmp[k].d = ep_len(e);
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
        /* zeroed (unknown) without touching it: a big calloc gets fresh
         * pages, and only the pages of the goroutines asked are faulted in */
        c->eps_count = calloc(ng, sizeof *c->eps_count);
        if (!c->eps_count)
            return NULL;
    }
    return &c->eps_count[idx];
}

uint32_t model_goroutine_episode_count(const model *m, uint32_t idx)
{
    uint32_t n = model_lane_nspans(m, ML_GOROUTINE, idx);
    uint32_t *slot = neps_slot(m, idx);
    if (slot && *slot)
        return *slot - 1;
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
    if (slot && cnt < UINT32_MAX)
        *slot = cnt + 1;
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

/* A min-heap of the k largest values offered so far (kth_push). */
typedef struct kth_heap {
    uint32_t *h, n, k;
} kth_heap;

static inline void kth_push(kth_heap *q, uint32_t v)
{
    uint32_t *h = q->h, k = q->k;
    if (q->n < k) {
        uint32_t i = q->n++; /* sift up */
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

/* Buckets of kth_bucket: values below 128 exactly, then 64 per power of two. */
#define KTH_NB (128u + 25u * 64u)

/* A bucket of v, non-decreasing in v. */
static inline uint32_t kth_bucket(uint32_t v)
{
    if (v < 128)
        return v;
    uint32_t e = 31u - (uint32_t)__builtin_clz(v); /* 7..31 */
    return 128u + (e - 7u) * 64u + ((v >> (e - 6u)) & 63u);
}

/*
 * The k-th largest of the values a loop offers (0 when it offers fewer than
 * k), without a heap over all of them: the loop runs twice, first counting
 * the values per bucket (kth_bucket), then keeping in a heap only the values
 * of the bucket that holds the k-th largest (all values of higher buckets
 * are larger). LOOP(V) must run the statement V once per value, with the
 * value in `kv`, the same values both times. Sets `res`; -1 in `res_ok` when
 * memory is short.
 */
#define KTH_SELECT(k_, LOOP, res, res_ok)                                                                   \
    do {                                                                                                   \
        uint32_t hist_[KTH_NB];                                                                            \
        memset(hist_, 0, sizeof hist_);                                                                    \
        uint64_t tot_ = 0;                                                                                 \
        LOOP({ hist_[kth_bucket(kv)]++; tot_++; });                                                        \
        (res) = 0;                                                                                         \
        (res_ok) = 0;                                                                                      \
        if ((k_) && tot_ >= (k_)) {                                                                        \
            uint64_t above_ = 0;                                                                           \
            uint32_t B_ = KTH_NB;                                                                          \
            while (B_-- > 0 && above_ + hist_[B_] < (k_))                                                  \
                above_ += hist_[B_];                                                                       \
            /* the k-th largest is the (k - above)-th largest of bucket B */                              \
            uint32_t r_ = (uint32_t)((k_) - above_);                                                       \
            kth_heap q_ = {malloc(sizeof(uint32_t) * r_), 0, r_};                                          \
            if (!q_.h) {                                                                                   \
                (res_ok) = -1;                                                                             \
            } else {                                                                                       \
                LOOP({                                                                                     \
                    if (kth_bucket(kv) == B_)                                                              \
                        kth_push(&q_, kv);                                                                 \
                });                                                                                        \
                (res) = q_.h[0];                                                                           \
                free(q_.h);                                                                                \
            }                                                                                              \
        }                                                                                                  \
    } while (0)

/* Blocks of MODEL_CK_EVERY spans per episode super-block. */
#define EP_SB 32u
/* Lanes with at least this many blocks get episode super-blocks. */
#define EP_SB_MIN 128u

/*
 * The episode super-blocks of goroutine lane idx (nb blocks; NULL when it has
 * too few blocks or memory is short): for each run S of EP_SB blocks, the
 * longest of their block maxima sm[S] (0: no episode) and their episode count
 * sm[ns + S], ns = ceil(nb / EP_SB). Built on first use from the per-block
 * maxima and counts (one pass over them); 8 bytes per 1024 spans. With them
 * the top episodes of a goroutine with millions of spans read a few thousand
 * blocks instead of every block's maximum.
 */
static const uint32_t *ep_sblocks(const model *m, uint32_t idx, uint32_t nb)
{
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    model_cache *c = m->cache;
    if (nb < EP_SB_MIN || !l->ep_max || !l->ep_cnt)
        return NULL;
    if (!c->ep_sb) {
        c->ep_sb = calloc(l->n, sizeof *c->ep_sb);
        if (!c->ep_sb)
            return NULL;
    }
    if (!c->ep_sb[idx]) {
        uint32_t ns = (nb + EP_SB - 1) / EP_SB;
        uint32_t *sm = malloc(sizeof *sm * 2 * (size_t)ns);
        if (!sm)
            return NULL;
        const uint32_t *bmax = l->ep_max + (size_t)l->ck_off[idx] + idx;
        const uint8_t *bcnt = l->ep_cnt + (size_t)l->ck_off[idx] + idx;
        for (uint32_t S = 0; S < ns; S++) {
            uint32_t mx = 0, cn = 0, e = S * EP_SB + EP_SB < nb ? S * EP_SB + EP_SB : nb;
            for (uint32_t b = S * EP_SB; b < e; b++) {
                uint32_t v = bcnt[b] ? bmax[b] : 0;
                mx = v > mx ? v : mx;
                cn += bcnt[b];
            }
            sm[S] = mx;
            sm[ns + S] = cn;
        }
        c->ep_sb[idx] = sm;
    }
    return c->ep_sb[idx];
}

/*
 * The blocks of a goroutine lane that can hold one of its k longest
 * episodes, ascending, into *out (malloc'd; the caller frees it), and the
 * bound *lo: k episodes last lo ns or more (0 when fewer than k blocks hold
 * episodes: then every block with an episode is listed). Returns the number
 * of blocks, UINT32_MAX when memory is short. *cnt gets the lane's episode
 * count.
 *
 * lo is the k-th largest block maximum: each block holds an episode as long
 * as its maximum, so k episodes last at least that long, and a block whose
 * maximum is below it cannot place one. With super-blocks (sm) it is found
 * without reading every block's maximum: the k-th largest super-block
 * maximum lo2 is a lower bound of lo (the super-blocks' maxima belong to
 * distinct blocks), so only the blocks of super-blocks reaching lo2 are
 * looked at, and k of them reach it.
 */
static uint32_t top_blocks(const model_lanes *l, uint32_t idx, uint32_t nb, const uint32_t *sm, uint32_t k,
                           uint32_t *lo, uint32_t *cnt, uint32_t **out)
{
    const uint32_t *bmax = l->ep_max + (size_t)l->ck_off[idx] + idx;
    const uint8_t *bcnt = l->ep_cnt + (size_t)l->ck_off[idx] + idx;
    uint32_t ns = sm ? (nb + EP_SB - 1) / EP_SB : 0;
    *out = NULL;
    *lo = 0;
    *cnt = 0;
    uint32_t lo2 = 0, c = 0;
    int bad = 0;
    if (sm) {
        for (uint32_t S = 0; S < ns; S++)
            c += sm[ns + S];
#define SB_LOOP(V)                                                                                         \
    for (uint32_t S = 0; S < ns; S++)                                                                      \
        if (sm[ns + S]) {                                                                                  \
            uint32_t kv = sm[S];                                                                           \
            V                                                                                              \
        }
        KTH_SELECT(k, SB_LOOP, lo2, bad);
#undef SB_LOOP
        if (bad)
            return UINT32_MAX;
    } else {
        for (uint32_t b = 0; b < nb; b++)
            c += bcnt[b];
    }
    /* the blocks that may matter: those of the super-blocks reaching lo2
     * (every block without super-blocks) */
#define SB_SKIP(S) (sm && (!sm[ns + (S)] || sm[S] < lo2))
#define B_LOOP(V)                                                                                          \
    for (uint32_t S = 0; S * EP_SB < nb; S++) {                                                            \
        if (SB_SKIP(S))                                                                                    \
            continue;                                                                                      \
        uint32_t e_ = S * EP_SB + EP_SB < nb ? S * EP_SB + EP_SB : nb;                                     \
        for (uint32_t b = S * EP_SB; b < e_; b++)                                                          \
            if (bcnt[b] && bmax[b] >= lo2) {                                                               \
                uint32_t kv = bmax[b];                                                                     \
                V                                                                                          \
            }                                                                                              \
    }
    /* the k-th largest block maximum v (KTH_SELECT's two passes, the
     * second also listing every block of the bucket of v or above: a
     * superset of the answer, filtered below) */
    uint32_t hist[KTH_NB];
    memset(hist, 0, sizeof hist);
    uint64_t tot = 0;
    B_LOOP({
        hist[kth_bucket(kv)]++;
        tot++;
    });
    uint32_t B = 0, r = 0;
    uint64_t above = 0;
    if (k && tot >= k) {
        B = KTH_NB;
        while (B-- > 0 && above + hist[B] < k)
            above += hist[B];
        r = (uint32_t)(k - above);
    }
    /* B 0, r 0: fewer than k values, v = 0, every block is listed */
    uint64_t nmax = B || r ? above + hist[B] : tot;
    kth_heap q = {malloc(sizeof(uint32_t) * (r ? r : 1)), 0, r};
    *out = malloc(sizeof **out * (nmax ? nmax : 1));
    if (!q.h || !*out) {
        free(q.h);
        free(*out);
        *out = NULL;
        return UINT32_MAX;
    }
    uint32_t nc = 0;
    B_LOOP({
        uint32_t bk = kth_bucket(kv);
        if (bk >= B) {
            (*out)[nc++] = b;
            if (bk == B && r)
                kth_push(&q, kv);
        }
    });
    uint32_t v = r ? q.h[0] : 0;
    free(q.h);
    if (v) { /* keep the blocks reaching v */
        uint32_t w = 0;
        for (uint32_t j = 0; j < nc; j++)
            if (bmax[(*out)[j]] >= v)
                (*out)[w++] = (*out)[j];
        nc = w;
    }
#undef B_LOOP
#undef SB_SKIP
    *lo = v;
    *cnt = c;
    return nc;
}

void model_index_episodes(const model *m)
{
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    if (!l->ep_max || !l->ep_cnt || !m->cache)
        return;
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t nb = (model_lane_nspans(m, ML_GOROUTINE, i) + MODEL_CK_EVERY - 1) / MODEL_CK_EVERY;
        if (nb >= EP_SB_MIN)
            (void)ep_sblocks(m, i, nb);
    }
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
    uint32_t k = slot && *slot && *slot - 1 < max ? *slot - 1 : max;
    if (!k) { /* max 0, or a goroutine known to have none */
        if (total)
            *total = model_goroutine_episode_count(m, idx);
        return 0;
    }
    uint32_t nb = (n + MODEL_CK_EVERY - 1) / MODEL_CK_EVERY;
    uint32_t lo = 0, cnt = 0, *cand = NULL, nc = UINT32_MAX;
    if (l->ep_max && l->ep_cnt) {
        const uint32_t *sm = ep_sblocks(m, idx, nb);
        nc = top_blocks(l, idx, nb, sm, k, &lo, &cnt, &cand);
        if (nc != UINT32_MAX && cnt < k)
            k = cnt;
    }
    epd *h = malloc(sizeof *h * (k ? k : 1));
    if (!h) {
        free(cand);
        return 0;
    }
    uint32_t nh = 0;
    if (nc != UINT32_MAX) {
        /* the candidate blocks (top_blocks), with the records (and anchor)
         * of the 4th next one prefetched, so their cache misses overlap.
         * Episodes shorter than lo cannot place; once the heap is full a
         * block whose longest episode is no longer than the heap's last
         * entry cannot place any (a tie loses: its index is later). */
        const uint8_t *rec = l->rec[idx];
        const uint32_t *bmax = l->ep_max + (size_t)l->ck_off[idx] + idx;
        for (uint32_t j = 0; j < nc && k; j++) {
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
                int64_t d = ep_len(sp);
                if (d >= (int64_t)lo)
                    top_push(h, &nh, k, (epd){d, i});
            }
        }
        free(cand);
    } else {
        /* no block maxima (or no memory for the candidates): every span */
        cnt = 0;
        for (uint32_t i = 0; i < n; i++) {
            model_sse sp = model_rec_sse(l, idx, i);
            if (!is_episode(sp.state))
                continue;
            cnt++;
            top_push(h, &nh, k, (epd){ep_len(sp), i});
        }
    }
    if (slot && cnt < UINT32_MAX)
        *slot = cnt + 1;
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

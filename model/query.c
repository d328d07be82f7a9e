/* Queries over a built model: accessors, span search, level-of-detail
 * columns, episodes, series, search; and model_free. */
#include "model/model_int.h"

#include <ctype.h>
#include <math.h>
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
        if (m->lanes[k].bases)
            for (uint32_t i = 0; i < m->lanes[k].n; i++)
                free(m->lanes[k].bases[i]);
        free(m->lanes[k].bases);
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

/* First index in [lo, hi) of the sorted a with a[i] > t; hi if none. */
static inline uint32_t i64_first_gt(const int64_t *a, uint32_t lo, uint32_t hi, int64_t t)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid] > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ---- span access over the compact records -------------------------------- */

/* The hot functions below take the lane kind's record stride S as a
 * parameter and are inlined into one copy per layout (AI), so that loops do
 * not test the layout at each span. */
#define AI static inline __attribute__((always_inline))
#define SSE(l, lane, i) model_rec_sse_s(l, lane, i, S)

/* First index in [lo, hi) of the lane's spans with end > t; hi if none. */
AI uint32_t rec_after_s(const model_lanes *l, uint32_t lane, uint32_t lo, uint32_t hi, int64_t t,
                        const uint32_t S)
{
    if (S == sizeof(model_psp) && hi - lo > 2 * MODEL_PBLOCK) {
        /* search the block anchors first (the starts of the first span of
         * each block): spans of the blocks before the last one starting at or
         * before t end by its start, and the first span of the block after it
         * ends after t, so the answer is in [32j, 32j + 32] */
        const int64_t *bs = l->bases[lane];
        uint32_t n = l->cnt[lane], nb = (n + MODEL_PBLOCK - 1) / MODEL_PBLOCK;
        uint32_t a = i64_first_gt(bs, 0, nb, t); /* first block with anchor > t */
        uint32_t g;
        if (a == 0) {
            g = 0;
        } else {
            uint32_t x = (a - 1) * MODEL_PBLOCK, y = x + MODEL_PBLOCK + 1 < n ? x + MODEL_PBLOCK + 1 : n;
            while (x < y) {
                uint32_t mid = x + (y - x) / 2;
                if (SSE(l, lane, mid).end > t)
                    y = mid;
                else
                    x = mid + 1;
            }
            g = x;
        }
        return g < lo ? lo : g > hi ? hi : g;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (SSE(l, lane, mid).end > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

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

AI uint32_t span_at_s(const model_lanes *l, uint32_t idx, uint32_t n, int64_t t, const uint32_t S)
{
    uint32_t i = rec_after_s(l, idx, 0, n, t, S);
    if (i < n && SSE(l, idx, i).start <= t)
        return i;
    return n;
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

/* Index of the first span with end > t, searching forward from `from` (all
 * spans before it end at or before t): galloping, so a sweep over increasing
 * times costs O(log distance) per step instead of O(log n). */
AI uint32_t span_after_from(const model_lanes *l, uint32_t lane, uint32_t n, uint32_t from,
                            int64_t t, const uint32_t S)
{
    uint32_t lo = from;
    if (lo >= n || SSE(l, lane, lo).end > t)
        return lo;
    lo++;
    uint32_t hi = lo, step = 1;
    while (hi < n && SSE(l, lane, hi).end <= t) {
        lo = hi + 1;
        hi = (n - lo > step) ? lo + step : n;
        step <<= 1;
    }
    /* answer in [lo, hi]: end of hi > t or hi == n */
    return rec_after_s(l, lane, lo, hi, t, S);
}

/* Lanes with at least this many spans get a block index (model_cache.bend). */
#define BEND_MIN 4096u
/* Blocks per cell of the time grid over a block index (see block_ends). */
#define BGRID_BLOCKS 8u

/*
 * The block index of lane idx of kind k, NULL if it has none (few spans, or
 * no memory). Built on first use (not thread-safe, like the rest of
 * model_cache). One allocation: nb = n / MODEL_CK_EVERY block ends bend[j]
 * (the end of span 32j + 31), then a header h = bend + nb: h[0] = base (=
 * bend[0]), h[1] = the cell width w, h[2] = ncell (0: no grid), then ncell + 1
 * uint32 g[c] = the first block j with bend[j] > base + c * w. For a time t
 * in cell c the first block ending after t is in [g[c], g[c + 1]]: one probe
 * of the grid and a few of bend (a handful of cache lines) instead of a
 * galloping search over the whole index, however far the sweep jumps
 * (bend_find). Memory: 8 bytes per block plus 4 per BGRID_BLOCKS blocks.
 */
static const int64_t *block_ends(const model *m, model_lane_kind k, uint32_t idx)
{
    const model_lanes *l = &m->lanes[k];
    uint32_t n = l->cnt[idx];
    if (n < BEND_MIN)
        return NULL;
    model_cache *c = m->cache;
    if (!c->bend[k]) {
        c->bend[k] = calloc(l->n, sizeof *c->bend[k]);
        if (!c->bend[k])
            return NULL;
    }
    if (!c->bend[k][idx]) {
        uint32_t nb = n / MODEL_CK_EVERY, ncell = nb / BGRID_BLOCKS;
        int64_t *b = malloc(sizeof *b * ((size_t)nb + 3) + sizeof(uint32_t) * ((size_t)ncell + 1));
        if (!b)
            return NULL;
        for (uint32_t j = 0; j < nb; j++)
            b[j] = model_rec_end(l, idx, j * MODEL_CK_EVERY + MODEL_CK_EVERY - 1);
        int64_t *h = b + nb;
        uint64_t span = (uint64_t)b[nb - 1] - (uint64_t)b[0];
        if (b[nb - 1] < b[0] || span > (UINT64_C(1) << 62))
            ncell = 0; /* (not sorted, or absurd times: the galloping search only) */
        uint64_t w = ncell ? span / ncell + 1 : 1;
        h[0] = b[0];
        h[1] = (int64_t)w;
        h[2] = ncell;
        uint32_t *g = (uint32_t *)(h + 3);
        uint32_t j = 0;
        for (uint32_t q = 0; ncell && q <= ncell; q++) {
            int64_t tq = (int64_t)((uint64_t)b[0] + (uint64_t)q * w);
            while (j < nb && b[j] <= tq)
                j++;
            g[q] = j;
        }
        c->bend[k][idx] = b;
    }
    return c->bend[k][idx];
}

/* The first block j >= lo (lo < nb, bend[lo] <= t) with bend[j] > t, or nb. */
static inline uint32_t bend_find(const int64_t *bend, uint32_t nb, uint32_t lo, int64_t t)
{
    if (lo + 1 >= nb || bend[lo + 1] > t)
        return lo + 1;
    const int64_t *h = bend + nb;
    uint32_t ncell = (uint32_t)h[2], a = lo + 2, b = nb;
    if (ncell) {
        /* t >= bend[lo + 1] >= base */
        uint64_t off = (uint64_t)t - (uint64_t)h[0], c = off / (uint64_t)h[1];
        const uint32_t *g = (const uint32_t *)(h + 3);
        if (c >= ncell)
            return nb;
        if (g[c] > a)
            a = g[c];
        if (g[c + 1] < b)
            b = g[c + 1];
        if (a > b) /* (only when bend is not sorted) */
            a = b;
    } else {
        uint32_t hi = a, step = 1;
        while (hi < nb && bend[hi] <= t) {
            a = hi + 1;
            hi = (nb - a > step) ? a + step : nb;
            step <<= 1;
        }
        b = hi;
    }
    return i64_first_gt(bend, a, b, t);
}

/* span_after_from with the block index: find the block first (a small
 * array), then the span inside its block. */
AI uint32_t span_after_blocks(const model_lanes *l, uint32_t lane, uint32_t n,
                              const int64_t *bend, uint32_t from, int64_t t, const uint32_t S)
{
    if (from >= n || SSE(l, lane, from).end > t)
        return from;
    uint32_t nb = n / MODEL_CK_EVERY;
    /* first block j >= from's with bend[j] > t, galloping */
    uint32_t lo = from / MODEL_CK_EVERY;
    if (lo < nb && bend[lo] <= t) {
        lo++;
        uint32_t hi = lo, step = 1;
        while (hi < nb && bend[hi] <= t) {
            lo = hi + 1;
            hi = (nb - lo > step) ? lo + step : nb;
            step <<= 1;
        }
        lo = i64_first_gt(bend, lo, hi, t);
    }
    /* the answer is in block lo (or in the tail after the last block) */
    uint32_t a = lo * MODEL_CK_EVERY, b = lo < nb ? a + MODEL_CK_EVERY : n;
    if (a < from + 1)
        a = from + 1;
    return rec_after_s(l, lane, a, b, t, S);
}

/* Time spent in each state by the whole spans [0, i) of a lane. */
AI void cum_full(const model_lanes *l, uint32_t lane, uint32_t i, int64_t acc[MS__COUNT],
                const uint32_t S)
{
    uint32_t j = i / MODEL_CK_EVERY;
    memset(acc, 0, sizeof(int64_t) * MS__COUNT);
    if (j) {
        const int64_t *c = l->ck + ((size_t)l->ck_off[lane] + j - 1) * l->nst;
        for (uint32_t k = 0; k < l->nst; k++)
            acc[l->st[k]] = c[k];
    }
    for (uint32_t k = j * MODEL_CK_EVERY; k < i; k++) {
        model_sse s = SSE(l, lane, k);
        if (s.state < MS__COUNT)
            acc[s.state] += s.end - s.start;
    }
}

/* A sweep over a lane at increasing times: full[] holds the time per state
 * of the whole spans [0, i). */
typedef struct cum_cursor {
    uint32_t i;
    const int64_t *bend; /* the lane's block index, or NULL */
    int64_t full[MS__COUNT];
} cum_cursor;

/* Time spent in each state by lane spans before t (t >= the previous t). */
AI void cum_next(const model_lanes *l, uint32_t lane, cum_cursor *cu, int64_t t,
                int64_t acc[MS__COUNT], const uint32_t S)
{
    uint32_t n = l->cnt[lane];
    if (cu->bend && cu->i < n && SSE(l, lane, cu->i).end <= t) {
        /* the block holding the answer, then one sequential walk in it
         * from its checkpoint (or from the cursor, in the same block) */
        uint32_t nb = n / MODEL_CK_EVERY, b0 = cu->i / MODEL_CK_EVERY, jb = b0;
        if (jb < nb && cu->bend[jb] <= t)
            jb = bend_find(cu->bend, nb, jb, t);
        uint32_t k = cu->i;
        if (jb != b0 && jb < nb) {
            /* a complete block: walk from the nearer of its two checkpoints
             * (the end of its middle span decides), backwards from the
             * next one: the same sums, half the records on average */
            uint32_t a0 = jb * MODEL_CK_EVERY, mid = a0 + MODEL_CK_EVERY / 2 - 1;
            if (SSE(l, lane, mid).end <= t) {
                const int64_t *c = l->ck + ((size_t)l->ck_off[lane] + jb) * l->nst;
                memset(cu->full, 0, sizeof cu->full);
                for (uint32_t q = 0; q < l->nst; q++)
                    cu->full[l->st[q]] = c[q];
                /* bend[jb] > t: span a0 + 31 ends after t, span mid does not */
                model_sse s = {0, 0, MS_NONE}, last = s;
                for (k = a0 + MODEL_CK_EVERY - 1; k > mid; k--) {
                    s = SSE(l, lane, k);
                    if (s.end <= t)
                        break;
                    if (s.state < MS__COUNT)
                        cu->full[s.state] -= s.end - s.start;
                    last = s;
                }
                k++;
                cu->i = k;
                memcpy(acc, cu->full, sizeof(int64_t) * MS__COUNT);
                if (last.start < t && last.state < MS__COUNT)
                    acc[last.state] += t - last.start;
                return;
            }
        }
        if (jb != b0) {
            k = jb * MODEL_CK_EVERY;
            memset(cu->full, 0, sizeof cu->full);
            if (jb) {
                const int64_t *c = l->ck + ((size_t)l->ck_off[lane] + jb - 1) * l->nst;
                for (uint32_t q = 0; q < l->nst; q++)
                    cu->full[l->st[q]] = c[q];
            }
        }
        model_sse s = {0, 0, MS_NONE};
        for (; k < n; k++) {
            s = SSE(l, lane, k);
            if (s.end > t)
                break;
            if (s.state < MS__COUNT)
                cu->full[s.state] += s.end - s.start;
        }
        cu->i = k;
        memcpy(acc, cu->full, sizeof(int64_t) * MS__COUNT);
        if (k < n && s.start < t && s.state < MS__COUNT)
            acc[s.state] += t - s.start;
        return;
    }
    uint32_t i = cu->bend ? cu->i : span_after_from(l, lane, n, cu->i, t, S);
    if (i - cu->i <= 2 * MODEL_CK_EVERY) {
        for (uint32_t k = cu->i; k < i; k++) {
            model_sse s = SSE(l, lane, k);
            if (s.state < MS__COUNT)
                cu->full[s.state] += s.end - s.start;
        }
    } else {
        cum_full(l, lane, i, cu->full, S);
    }
    cu->i = i;
    memcpy(acc, cu->full, sizeof(int64_t) * MS__COUNT);
    if (i < n) {
        model_sse s = SSE(l, lane, i);
        if (s.start < t && s.state < MS__COUNT)
            acc[s.state] += t - s.start;
    }
}

/* The first block j with bend[j] > t, or nb. */
static inline uint32_t bend_upper(const int64_t *bend, uint32_t nb, int64_t t)
{
    return bend[0] > t ? 0 : bend_find(bend, nb, 0, t);
}

/*
 * The dominant state of the column [ta, tb) of a lane with a block index, if
 * whole blocks decide it; -1 otherwise (the caller then sums exactly).
 * Blocks j1..j2-1 lie inside the column: spans [32 j1, 32 j2) start at or
 * after bend[j1 - 1] >= ta and end at or before bend[j2 - 1] <= tb, and their
 * time per state is checkpoint j2 minus checkpoint j1 (interior). Every other
 * span meets the column only in [ta, bend[j1 - 1]] or [bend[j2 - 1], tb)
 * (the spans of a lane do not overlap), so at most E = (bend[j1 - 1] - ta) +
 * (tb - bend[j2 - 1]) ns of the column lie outside the interior. When the
 * leading state of the interior leads every other state by more than E, it
 * leads in the exact sums too, strictly (the tie rule cannot apply): the
 * answer is the exact one without reading a span. Cost: two searches in the
 * block index (bend_find) and two checkpoints, however many spans the column
 * holds.
 */
static int columns_by_blocks(const model_lanes *l, uint32_t lane, const int64_t *bend, uint32_t nb,
                             int64_t ta, int64_t tb)
{
    uint32_t f1 = bend_upper(bend, nb, ta - 1); /* first block ending at or after ta */
    uint32_t j2 = bend_upper(bend, nb, tb);     /* blocks [0, j2) end at or before tb */
    uint32_t j1 = f1 + 1;
    if (f1 >= nb || j1 >= j2)
        return -1;
    int64_t el, er, e;
    if (__builtin_sub_overflow(bend[f1], ta, &el) || __builtin_sub_overflow(tb, bend[j2 - 1], &er) ||
        __builtin_add_overflow(el, er, &e))
        return -1;
    const int64_t *c1 = l->ck + ((size_t)l->ck_off[lane] + j1 - 1) * l->nst;
    const int64_t *c2 = l->ck + ((size_t)l->ck_off[lane] + j2 - 1) * l->nst;
    int best = -1;
    int64_t d1 = 0, d2 = 0; /* the largest and second largest interior times */
    for (uint32_t q = 0; q < l->nst; q++) {
        if (l->st[q] == MS_NONE)
            continue;
        int64_t d = c2[q] - c1[q];
        if (d > d1) {
            d2 = d1;
            d1 = d;
            best = l->st[q];
        } else if (d > d2) {
            d2 = d;
        }
    }
    return best >= 0 && d1 - d2 > e ? best : -1;
}

static int64_t col_time(int64_t t0, double ns_per_col, uint32_t c)
{
    double v = (double)t0 + ns_per_col * (double)c;
    if (v >= 9.2e18)
        return INT64_MAX;
    if (v <= -9.2e18)
        return INT64_MIN + 1;
    return (int64_t)llround(v);
}

AI void columns_s(const model *m, model_lane_kind k, uint32_t idx, int64_t t0, double ns_per_col,
                 uint32_t ncols, uint8_t *out, const uint32_t S)
{
    const model_lanes *l = &m->lanes[k];
    uint32_t n = l->cnt[idx];
    int64_t a[MS__COUNT], bacc[MS__COUNT];
    int64_t ta = col_time(t0, ns_per_col, 0);
    cum_cursor cu;
    cu.bend = block_ends(m, k, idx);
    cu.i = cu.bend ? span_after_blocks(l, idx, n, cu.bend, 0, ta, S)
                   : rec_after_s(l, idx, 0, n, ta, S);
    cum_full(l, idx, cu.i, cu.full, S);
    cum_next(l, idx, &cu, ta, a, S);
    /* columns of 4 blocks or more (on average) are tried from whole blocks
     * first (columns_by_blocks); a[] is then stale until recomputed */
    uint32_t nb = n / MODEL_CK_EVERY;
    uint64_t wide = UINT64_MAX; /* (unsigned: far times cannot overflow) */
    if (cu.bend && nb >= 2 && cu.bend[nb - 1] > cu.bend[0])
        wide = ((uint64_t)cu.bend[nb - 1] - (uint64_t)cu.bend[0]) / nb * 4 + 1;
    int a_ok = 1;
    uint32_t tries = 0, hits = 0;
    for (uint32_t c = 0; c < ncols; c++) {
        int64_t tb = col_time(t0, ns_per_col, c + 1);
        if (wide != UINT64_MAX && tb >= ta && (uint64_t)tb - (uint64_t)ta >= wide &&
            (tries < 16 || hits * 4 >= tries)) {
            /* (stop trying on a lane whose columns blocks rarely decide) */
            int d = columns_by_blocks(l, idx, cu.bend, nb, ta, tb);
            tries++;
            if (d >= 0) {
                hits++;
                m->cache->lod_cols++;
                out[c] = (uint8_t)d;
                a_ok = 0;
                ta = tb;
                continue;
            }
        }
        if (!a_ok) {
            cum_next(l, idx, &cu, ta, a, S);
            a_ok = 1;
        }
        cum_next(l, idx, &cu, tb, bacc, S);
        int best = MS_NONE;
        int64_t bestd = 0;
        for (int st = 1; st < MS__COUNT; st++) {
            int64_t d = bacc[st] - a[st];
            if (d > bestd || (d == bestd && d > 0 && st == MS_RUNNING)) {
                best = st;
                bestd = d;
            }
        }
        if (best == MS_NONE && tb <= ta) {
            uint32_t i = span_at_s(l, idx, n, ta, S);
            if (i < n)
                best = (int)SSE(l, idx, i).state;
        }
        out[c] = (uint8_t)best;
        memcpy(a, bacc, sizeof a);
        ta = tb;
    }
}

void model_lane_columns(const model *m, model_lane_kind k, uint32_t idx, int64_t t0,
                        double ns_per_col, uint32_t ncols, uint8_t *out)
{
    if (!ncols)
        return;
    if ((unsigned)k >= 4 || idx >= m->lanes[k].n || !(ns_per_col >= 0)) {
        memset(out, MS_NONE, ncols);
        return;
    }
    if (m->lanes[k].stride == sizeof(model_gsp))
        columns_s(m, k, idx, t0, ns_per_col, ncols, out, sizeof(model_gsp));
    else
        columns_s(m, k, idx, t0, ns_per_col, ncols, out, sizeof(model_psp));
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
    for (uint32_t i = 0; i < n; i++) {
        if (bmax && i % MODEL_CK_EVERY == 0) {
            uint32_t b = i / MODEL_CK_EVERY;
            if (!bcnt[b] || (nh == k && bmax[b] < UINT32_MAX && (int64_t)bmax[b] <= h[0].d)) {
                cnt += bcnt[b];
                i += MODEL_CK_EVERY - 1; /* the loop's i++ enters the next block */
                continue;
            }
        }
        model_sse sp = model_rec_sse(l, idx, i);
        if (!is_episode(sp.state))
            continue;
        cnt++;
        epd e = {sp.end - sp.start, i};
        if (nh < k) {
            h[nh++] = e;
            if (nh == k)
                for (uint32_t j = k / 2; j-- > 0;)
                    epd_sift(h, k, j);
        } else if (epd_before(&e, &h[0])) {
            h[0] = e;
            epd_sift(h, k, 0);
        }
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

uint32_t model_goroutine_regions(const model *m, uint32_t idx, const model_region **r)
{
    if (idx >= m->lanes[ML_GOROUTINE].n || !m->g_region_off) {
        *r = NULL;
        return 0;
    }
    *r = m->regions + m->g_region_off[idx];
    return m->g_region_off[idx + 1] - m->g_region_off[idx];
}

uint32_t model_goroutine_logs(const model *m, uint32_t idx, const model_log **l)
{
    if (idx >= m->lanes[ML_GOROUTINE].n || !m->g_log_off) {
        *l = NULL;
        return 0;
    }
    *l = m->logs + m->g_log_off[idx];
    return m->g_log_off[idx + 1] - m->g_log_off[idx];
}

uint32_t model_tasks(const model *m, const model_task **t)
{
    *t = m->tasks;
    return m->info.ntasks;
}

uint32_t model_regions_all(const model *m, const model_region **r)
{
    *r = m->regions;
    return m->info.nregions;
}

uint32_t model_logs_all(const model *m, const model_log **l)
{
    *l = m->logs;
    return m->info.nlogs;
}

/* ---- search -------------------------------------------------------------- */

static int icontains(const char *s, size_t n, const char *pat, size_t k)
{
    if (k == 0)
        return 1;
    if (k > n)
        return 0;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && tolower((unsigned char)s[i + j]) == tolower((unsigned char)pat[j]))
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

static int str_match(const model *m, uint32_t id, const char *pat, size_t k)
{
    if (!id)
        return 0;
    size_t n;
    const char *s = model_str(m, id, &n);
    return icontains(s, n, pat, k);
}

uint32_t model_search_goroutines(const model *m, const char *text, uint32_t *out, uint32_t max)
{
    if (!text)
        return 0;
    size_t k = strlen(text);
    if (!k)
        return 0;
    int digits = 1;
    int64_t id = 0;
    for (size_t i = 0; i < k; i++) {
        if (text[i] < '0' || text[i] > '9' || i > 17) {
            digits = 0;
            break;
        }
        id = id * 10 + (text[i] - '0');
    }
    uint32_t found = 0;
    for (uint32_t g = 0; g < m->lanes[ML_GOROUTINE].n; g++) {
        const model_goroutine *gr = &m->gs[g];
        int hit = (digits && gr->id == id) || str_match(m, gr->func, text, k) ||
                  str_match(m, gr->label, text, k);
        if (!hit) {
            const model_region *r;
            uint32_t nr = model_goroutine_regions(m, g, &r);
            for (uint32_t i = 0; i < nr && !hit; i++)
                hit = str_match(m, r[i].name, text, k);
        }
        if (!hit) {
            const model_log *l;
            uint32_t nl = model_goroutine_logs(m, g, &l);
            for (uint32_t i = 0; i < nl && !hit; i++)
                hit = str_match(m, l[i].message, text, k) || str_match(m, l[i].category, text, k);
        }
        if (hit) {
            if (found < max)
                out[found] = g;
            found++;
        }
    }
    return found;
}

/* ---- goroutine groups ------------------------------------------------------ */

/* model_build_groups: gstats.c */

uint32_t model_goroutine_groups(const model *m, const model_ggroup **groups)
{
    *groups = m->groups;
    return m->ngroups;
}

const uint32_t *model_ggroup_lanes(const model *m) { return m->group_lanes; }

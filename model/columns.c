/*
 * Level of detail: what each terminal column of a lane shows
 * (model_lane_columns), from the lanes' checkpoints and block indexes.
 */
#include "model/model_int.h"
#include "model/columns.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Time sums wrap around like Go's int64 arithmetic (as the checkpoints do,
 * model_lanes_index): a hostile lane may hold spans of 2^63 ns or more, and
 * its sums would overflow (undefined). The difference of two sums is then
 * still exact for a column narrower than 2^63 ns. */
static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

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

_Static_assert(MODEL_PBLOCK == MODEL_CK_EVERY, "block_ends reads block ends from the anchors");

/* Lanes with at least this many spans get a block index (model_cache.bend). */
#define BEND_MIN 4096u
/* Blocks per cell of the time grid over a block index (see block_ends). */
#define BGRID_BLOCKS 8u
/* Blocks per super-block (the coarse level of a block index). */
#define SB_BLOCKS 32u
/* Words of the header (before the grid). */
#define BHDR 6u

/*
 * The block index of lane idx of kind k, NULL if it has none (few spans, or
 * no memory). Built on first use (not thread-safe, like the rest of
 * model_cache). The nb = n / MODEL_CK_EVERY block ends bend[j] (the end of
 * span 32j + 31) are the lane's anchors bases + 1 (the start of span 32 (j
 * + 1)) when no block's last span escapes (a gap after it) and the lane
 * goes on after block nb - 1: no copy, 8 bytes per block saved (every long
 * lane of stress-100mb); else a copy after the header. One allocation,
 * model_cache.bend[k][idx] = the header h (*hp): h[0] = base (= bend[0]),
 * h[1] = the cell width w, h[2] = ncell (0: no grid), h[3] = nsb
 * (super-blocks, below), h[4] = the columns answered from super-blocks
 * (statistics for the tests: model_lod2_cols), h[5] = the words before the
 * copied ends (0: the anchors), then ncell + 1 uint32 g[c] = the first block j with
 * bend[j] > base + c * w. For a time t in cell c the first block ending after
 * t is in [g[c], g[c + 1]]: one probe of the grid and a few of bend (a
 * handful of cache lines) instead of a galloping search over the whole index,
 * however far the sweep jumps (bend_find). Memory: 8 bytes per block plus 4
 * per BGRID_BLOCKS blocks.
 *
 * Then the coarse level (lod2_of): nsb = nb / SB_BLOCKS super-blocks of
 * SB_BLOCKS * 32 = 1024 spans, their ends send[J] (= bend[32J + 31]) and
 * their cumulative times scum[J * nst + q] (state st[q], spans [0, 1024(J +
 * 1)): checkpoint 32(J + 1), copied). A column thousands of spans wide is
 * answered from these few KB (columns_by_sblocks) instead of from checkpoints
 * and block ends scattered over megabytes. 0.07 bytes per span (nst = 4).
 * nsb is 0 when the block ends are not sorted (hostile input).
 */
static const int64_t *block_ends(const model *m, model_lane_kind k, uint32_t idx, const int64_t **hp)
{
    const model_lanes *l = &m->lanes[k];
    uint32_t n = l->cnt[idx];
    *hp = NULL;
    if (n < BEND_MIN)
        return NULL;
    model_cache *c = m->cache;
    if (!c->bend[k]) {
        c->bend[k] = calloc(l->n, sizeof *c->bend[k]);
        if (!c->bend[k])
            return NULL;
    }
    uint32_t nb = n / MODEL_CK_EVERY;
    if (!c->bend[k][idx]) {
        uint32_t ncell = nb / BGRID_BLOCKS, nsb = nb / SB_BLOCKS;
        size_t gw = ((size_t)ncell + 2) / 2; /* words of the grid */
        size_t hw = BHDR + gw + (size_t)nsb * (1 + l->nst); /* words of the header */
        /* the end of span 32 j + 31 is the start of span 32 (j + 1): the
         * anchor of block j + 1 (MODEL_PBLOCK == MODEL_CK_EVERY), unless the
         * span escapes (a gap after it) or is the lane's last */
        const int64_t *bs = l->bases[idx];
        const uint8_t *rec = l->rec[idx];
        int anchors = nb * MODEL_CK_EVERY < n;
        for (uint32_t j = 0; j < nb && anchors; j++) {
            const uint8_t *p = rec + ((size_t)j * MODEL_CK_EVERY + MODEL_CK_EVERY - 1) * l->stride;
            uint32_t st = MODEL_REC_ST(MODEL_REC, p);
            if (st == MODEL_ESC)
                anchors = 0;
        }
        int64_t *h = malloc(sizeof *h * (hw + (anchors ? 0 : (size_t)nb)));
        if (!h)
            return NULL;
        int64_t *copy = anchors ? NULL : h + hw;
        const int64_t *b = anchors ? bs + 1 : copy;
        for (uint32_t j = 0; j < nb && copy; j++) {
            uint32_t i = j * MODEL_CK_EVERY + MODEL_CK_EVERY - 1;
            const uint8_t *p = rec + (size_t)i * l->stride;
            uint32_t st = MODEL_REC_ST(MODEL_REC, p);
            copy[j] = st != MODEL_ESC && i + 1 < n ? bs[j + 1] : model_rec_end(l, idx, i);
        }
        h[5] = anchors ? 0 : (int64_t)hw;
        uint64_t span = (uint64_t)b[nb - 1] - (uint64_t)b[0];
        if (b[nb - 1] < b[0] || span > (UINT64_C(1) << 62))
            ncell = 0; /* (not sorted, or absurd times: the galloping search only) */
        uint64_t w = ncell ? span / ncell + 1 : 1;
        h[0] = b[0];
        h[1] = (int64_t)w;
        h[2] = ncell;
        uint32_t *g = (uint32_t *)(h + BHDR);
        uint32_t j = 0;
        for (uint32_t q = 0; ncell && q <= ncell; q++) {
            int64_t tq = (int64_t)((uint64_t)b[0] + (uint64_t)q * w);
            while (j < nb && b[j] <= tq)
                j++;
            g[q] = j;
        }
        int64_t *send = h + BHDR + gw, *scum = send + nsb;
        for (uint32_t J = 0; J < nsb; J++) {
            uint32_t jb = J * SB_BLOCKS + SB_BLOCKS - 1; /* last block of J: checkpoint jb + 1 */
            send[J] = b[jb];
            if (J && send[J] < send[J - 1])
                nsb = 0; /* (not sorted: no coarse level) */
            model_ck_load(l, (size_t)l->ck_off[idx] + jb, scum + (size_t)J * l->nst);
        }
        h[3] = nsb;
        h[4] = 0;
        c->bend[k][idx] = h;
    }
    const int64_t *h = c->bend[k][idx];
    *hp = h;
    return h[5] ? h + h[5] : l->bases[idx] + 1;
}

/* The coarse level of a block index of nb blocks: nsb super-blocks, their
 * ends and cumulative times (see block_ends). */
typedef struct lod2 {
    uint32_t nsb;
    const int64_t *send, *scum;
} lod2;

static inline lod2 lod2_of(const int64_t *h, uint32_t nb, uint32_t nst)
{
    lod2 r;
    r.nsb = (uint32_t)h[3];
    r.send = h + BHDR + ((size_t)h[2] + 2) / 2;
    r.scum = r.send + (nb / SB_BLOCKS);
    (void)nst;
    return r;
}

/* The first block j >= lo (lo < nb, bend[lo] <= t) with bend[j] > t, or nb
 * (h: the index's header). */
static inline uint32_t bend_find(const int64_t *bend, const int64_t *h, uint32_t nb, uint32_t lo, int64_t t)
{
    if (lo + 1 >= nb || bend[lo + 1] > t)
        return lo + 1;
    uint32_t ncell = (uint32_t)h[2], a = lo + 2, b = nb;
    if (ncell) {
        /* t >= bend[lo + 1] >= base */
        uint64_t off = (uint64_t)t - (uint64_t)h[0], c = off / (uint64_t)h[1];
        const uint32_t *g = (const uint32_t *)(h + BHDR);
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

/* Time spent in each state by the whole spans [0, i) of a lane. */
AI void cum_full(const model_lanes *l, uint32_t lane, uint32_t i, int64_t acc[MS__COUNT],
                const uint32_t S)
{
    uint32_t j = i / MODEL_CK_EVERY;
    memset(acc, 0, sizeof(int64_t) * MS__COUNT);
    if (j) {
        int64_t c[MS__COUNT];
        model_ck_load(l, (size_t)l->ck_off[lane] + j - 1, c);
        for (uint32_t k = 0; k < l->nst; k++)
            acc[l->st[k]] = c[k];
    }
    for (uint32_t k = j * MODEL_CK_EVERY; k < i; k++) {
        model_sse s = SSE(l, lane, k);
        if (s.state < MS__COUNT)
            acc[s.state] = wadd(acc[s.state], wsub(s.end, s.start));
    }
}

/* A sweep over a lane at increasing times: full[] holds the time per state
 * of the whole spans [0, i). */
typedef struct cum_cursor {
    uint32_t i;
    const int64_t *bend; /* the lane's block ends, or NULL */
    const int64_t *bh;   /* their index's header */
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
            jb = bend_find(cu->bend, cu->bh, nb, jb, t);
        uint32_t k = cu->i;
        if (jb != b0 && jb < nb) {
            /* a complete block: walk from the nearer of its two checkpoints
             * (the end of its middle span decides), backwards from the
             * next one: the same sums, half the records on average */
            uint32_t a0 = jb * MODEL_CK_EVERY, mid = a0 + MODEL_CK_EVERY / 2 - 1;
            if (SSE(l, lane, mid).end <= t) {
                int64_t c[MS__COUNT];
                model_ck_load(l, (size_t)l->ck_off[lane] + jb, c);
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
                        cu->full[s.state] = wsub(cu->full[s.state], wsub(s.end, s.start));
                    last = s;
                }
                k++;
                cu->i = k;
                memcpy(acc, cu->full, sizeof(int64_t) * MS__COUNT);
                if (last.start < t && last.state < MS__COUNT)
                    acc[last.state] = wadd(acc[last.state], wsub(t, last.start));
                return;
            }
        }
        if (jb != b0) {
            k = jb * MODEL_CK_EVERY;
            memset(cu->full, 0, sizeof cu->full);
            if (jb) {
                int64_t c[MS__COUNT];
                model_ck_load(l, (size_t)l->ck_off[lane] + jb - 1, c);
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
                cu->full[s.state] = wadd(cu->full[s.state], wsub(s.end, s.start));
        }
        cu->i = k;
        memcpy(acc, cu->full, sizeof(int64_t) * MS__COUNT);
        if (k < n && s.start < t && s.state < MS__COUNT)
            acc[s.state] = wadd(acc[s.state], wsub(t, s.start));
        return;
    }
    uint32_t i = cu->bend ? cu->i : span_after_from(l, lane, n, cu->i, t, S);
    if (i - cu->i <= 2 * MODEL_CK_EVERY) {
        for (uint32_t k = cu->i; k < i; k++) {
            model_sse s = SSE(l, lane, k);
            if (s.state < MS__COUNT)
                cu->full[s.state] = wadd(cu->full[s.state], wsub(s.end, s.start));
        }
    } else {
        cum_full(l, lane, i, cu->full, S);
    }
    cu->i = i;
    memcpy(acc, cu->full, sizeof(int64_t) * MS__COUNT);
    if (i < n) {
        model_sse s = SSE(l, lane, i);
        if (s.start < t && s.state < MS__COUNT)
            acc[s.state] = wadd(acc[s.state], wsub(t, s.start));
    }
}

/* The first block j with bend[j] > t, or nb. */
static inline uint32_t bend_upper(const int64_t *bend, const int64_t *h, uint32_t nb, int64_t t)
{
    return bend[0] > t ? 0 : bend_find(bend, h, nb, 0, t);
}

/*
 * The dominant state of a column [ta, tb) from whole blocks of spans, if they
 * decide it; -1 otherwise (the caller then sums exactly). The blocks j1..j2-1
 * (of a level: blocks of 32 spans or super-blocks of 1024) lie inside the
 * column: they start at or after the end of block j1 - 1 (>= ta) and end by
 * the end of block j2 - 1 (<= tb), and their time per state is c2 - c1 (the
 * cumulative times at the ends of blocks j2 - 1 and j1 - 1: the interior).
 * Every other span meets the column only in [ta, end of block j1 - 1] (el ns;
 * only block j1 - 1's spans can: the spans of a lane are sorted and do not
 * overlap) or in [end of block j2 - 1, tb) (er ns; only block j2's). So the
 * exact time of state s lies in [in_s, in_s + min(el, L_s) + min(er, R_s)],
 * where L_s and R_s are the times of s in those two edge blocks (bl, br: the
 * cumulative times before and after each; NULL when not known, then el or er
 * alone bounds). When the interior leader's lower bound exceeds every other
 * state's upper bound it leads the exact sums too, strictly (the tie rule
 * cannot apply): the answer is the exact one without reading a span.
 */
static int decide_blocks(const model_lanes *l, const int64_t *c1, const int64_t *c2, const int64_t *bl0,
                         const int64_t *bl1, const int64_t *br0, const int64_t *br1, int64_t el, int64_t er,
                         int64_t *gap)
{
    int best = -1;
    int64_t d1 = 0; /* the leader's interior time */
    uint32_t qb = 0;
    for (uint32_t q = 0; q < l->nst; q++) {
        if (l->st[q] == MS_NONE)
            continue;
        int64_t d = wsub(c2[q], c1[q]);
        if (d > d1) {
            d1 = d;
            best = l->st[q];
            qb = q;
        }
    }
    if (best < 0)
        return -1;
    int64_t g = d1; /* the leader's lead over every other state's bound */
    for (uint32_t q = 0; q < l->nst; q++) {
        if (l->st[q] == MS_NONE || q == qb)
            continue;
        /* upper bound of state q: interior + what the edges can add */
        int64_t x = el, y = er;
        if (bl0 && wsub(bl1[q], bl0[q]) < x)
            x = wsub(bl1[q], bl0[q]);
        if (br0 && wsub(br1[q], br0[q]) < y)
            y = wsub(br1[q], br0[q]);
        int64_t hi;
        if (x < 0 || y < 0 || __builtin_add_overflow(wsub(c2[q], c1[q]), x, &hi) || __builtin_add_overflow(hi, y, &hi))
            return -1;
        if (hi >= d1)
            return -1;
        if (d1 - hi < g)
            g = d1 - hi;
    }
    *gap = g;
    return best;
}

/* Checkpoint j of a lane (the time per state of its spans [0, 32j)): NULL
 * for j == 0 (all zero), see zero_ck. */
static const int64_t zero_ck[MS__COUNT];
static inline const int64_t *ck_at(const model_lanes *l, uint32_t lane, uint32_t j, int64_t *buf)
{
    if (!j)
        return zero_ck;
    model_ck_load(l, (size_t)l->ck_off[lane] + j - 1, buf);
    return buf;
}

/* The dominant state of the column [ta, tb) of a lane with a block index
 * from whole blocks of 32 spans (decide_blocks), or -1. Cost: two searches
 * in the block index (bend_find) and four checkpoints (two pairs of
 * neighbours), however many spans the column holds. */
static int columns_by_blocks(const model_lanes *l, uint32_t lane, const int64_t *bend, const int64_t *bh, uint32_t nb,
                             int64_t ta, int64_t tb, int64_t *gap)
{
    uint32_t f1 = bend_upper(bend, bh, nb, ta > INT64_MIN ? ta - 1 : ta); /* first block ending at or after ta */
    uint32_t j2 = bend_upper(bend, bh, nb, tb);     /* blocks [0, j2) end at or before tb */
    uint32_t j1 = f1 + 1;
    if (f1 >= nb || j1 >= j2)
        return -1;
    int64_t el, er;
    if (__builtin_sub_overflow(bend[f1], ta, &el) || __builtin_sub_overflow(tb, bend[j2 - 1], &er))
        return -1;
    /* block f1 is the left edge block, j2 (if complete) the right one */
    int64_t c1[MS__COUNT], c2[MS__COUNT], cf[MS__COUNT], c3[MS__COUNT];
    const int64_t *p1 = ck_at(l, lane, j1, c1), *p2 = ck_at(l, lane, j2, c2);
    return decide_blocks(l, p1, p2, ck_at(l, lane, f1, cf), p1, j2 < nb ? p2 : NULL,
                         j2 < nb ? ck_at(l, lane, j2 + 1, c3) : NULL, el, er, gap);
}

/* The first index i >= lo of a (ascending) with a[i] > t, or n: galloping
 * from lo, so a sweep over increasing times costs O(log distance) a step. */
static inline uint32_t i64_gallop_gt(const int64_t *a, uint32_t n, uint32_t lo, int64_t t)
{
    if (lo >= n || a[lo] > t)
        return lo;
    lo++;
    uint32_t hi = lo, step = 1;
    while (hi < n && a[hi] <= t) {
        lo = hi + 1;
        hi = (n - lo > step) ? lo + step : n;
        step <<= 1;
    }
    return i64_first_gt(a, lo, hi, t);
}

/*
 * columns_by_blocks from super-blocks (lod2): the interior is the
 * super-blocks F1 + 1 .. J2 - 1, where F1 is the first one ending at or after
 * ta and J2 the first one ending after tb; F1 and J2 are the edge blocks.
 * *hint holds F1 of the previous column (ta only grows along a sweep, so F1
 * and J2 do too): the searches gallop from it through a few KB.
 */
static int columns_by_sblocks(const model_lanes *l, const lod2 *z, int64_t ta, int64_t tb, uint32_t *hint,
                              int64_t *gap)
{
    uint32_t nsb = z->nsb, nst = l->nst;
    uint32_t f1 = i64_gallop_gt(z->send, nsb, *hint, ta > INT64_MIN ? ta - 1 : ta);
    *hint = f1;
    if (f1 + 1 >= nsb)
        return -1;
    uint32_t j2 = i64_gallop_gt(z->send, nsb, f1 + 1, tb);
    if (f1 + 1 >= j2)
        return -1;
    int64_t el, er;
    if (__builtin_sub_overflow(z->send[f1], ta, &el) || __builtin_sub_overflow(tb, z->send[j2 - 1], &er))
        return -1;
    /* scum[J] is the cumulative time at the end of super-block J */
#define SCUM(J) (z->scum + (size_t)(J) * nst)
    return decide_blocks(l, SCUM(f1), SCUM(j2 - 1), f1 ? SCUM(f1 - 1) : zero_ck, SCUM(f1),
                         j2 < nsb ? SCUM(j2 - 1) : NULL, j2 < nsb ? SCUM(j2) : NULL, el, er, gap);
#undef SCUM
}

/* A column's lead (its state's time over any other's, at least) as a byte,
 * saturated at 255 (model_lane_columns_mg). */
static inline uint8_t margin_byte(int64_t gap)
{
    return gap <= 0 ? 0 : gap >= 255 ? 255 : (uint8_t)gap;
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

/* Columns prefetched ahead of the sweep, per batch. */
#define PF_BATCH 48u

/*
 * Prefetch what the sweep will read for the column ends tb[0..n) of a lane
 * with a block index: the grid cells, then the block ends they point at,
 * then, in the block holding each tb, its checkpoints and its records (and
 * the anchor). Each stage issues its loads for every column before the next
 * stage reads them, so the cache misses of different columns overlap instead
 * of following each other as in the sweep itself (on lanes of millions of
 * spans nearly every read of the sweep misses). Reads only; the sweep's
 * results do not depend on it.
 */
static void columns_prefetch(const model_lanes *l, uint32_t lane, const int64_t *bend, const int64_t *h, uint32_t nb,
                             const int64_t *tb, uint32_t n)
{
    uint32_t ncell = (uint32_t)h[2];
    if (!ncell || !n)
        return;
    const uint32_t *g = (const uint32_t *)(h + BHDR);
    uint64_t w = (uint64_t)h[1];
    uint32_t cell[PF_BATCH];
    for (uint32_t i = 0; i < n; i++) {
        uint64_t off = (uint64_t)tb[i] - (uint64_t)h[0];
        cell[i] = tb[i] < h[0] ? 0 : off / w >= ncell ? ncell - 1 : (uint32_t)(off / w);
        __builtin_prefetch(g + cell[i]);
        __builtin_prefetch(g + cell[i] + 1);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = g[cell[i]], b = g[cell[i] + 1];
        if (a < nb)
            __builtin_prefetch(bend + a);
        if (b < nb && b > a)
            __builtin_prefetch(bend + b);
    }
    size_t nst = l->nst, stride = l->stride;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = g[cell[i]], b = g[cell[i] + 1];
        if (a > b || b > nb)
            continue;
        uint32_t jb = i64_first_gt(bend, a, b, tb[i]);
        if (jb >= nb)
            continue;
        /* checkpoints jb (if not 0) and jb + 1 */
        size_t q = (size_t)l->ck_off[lane] + jb;
        if (jb)
            __builtin_prefetch(l->ck + (q - 1) * nst);
        __builtin_prefetch(l->ck + q * nst);
        __builtin_prefetch(l->ck + q * nst + nst - 1);
        __builtin_prefetch(l->ckw + q / MODEL_CKG);
        __builtin_prefetch(l->ckb + q / MODEL_CKG * nst);
        if (l->bases && l->bases[lane])
            __builtin_prefetch(l->bases[lane] + jb);
        const uint8_t *r = l->rec[lane] + (size_t)jb * MODEL_CK_EVERY * stride;
        for (size_t o = 0; o < MODEL_CK_EVERY * stride; o += 64)
            __builtin_prefetch(r + o);
    }
}

/* The columns [edges[c], edges[c + 1]) of a lane, c < ncols, for
 * non-decreasing edges; edges NULL: col_time(t0, ns_per_col, c). */
AI void columns_s(const model *m, model_lane_kind k, uint32_t idx, int64_t t0, double ns_per_col,
                 const int64_t *edges, uint32_t ncols, uint8_t *out, uint8_t *mg, const uint32_t S)
{
    const model_lanes *l = &m->lanes[k];
    uint32_t n = l->cnt[idx];
    int64_t a[MS__COUNT], bacc[MS__COUNT];
#define EDGE(c) (edges ? edges[c] : col_time(t0, ns_per_col, c))
    int64_t ta = EDGE(0);
    cum_cursor cu;
    cu.bend = block_ends(m, k, idx, &cu.bh);
    uint32_t nb = n / MODEL_CK_EVERY;
    if (cu.bend) {
        /* the block holding the first span ending after ta, from the time
         * grid (a sweep over a few columns starts as cheaply as a column) */
        uint32_t jb = bend_upper(cu.bend, cu.bh, nb, ta);
        cu.i = rec_after_s(l, idx, jb * MODEL_CK_EVERY, jb < nb ? jb * MODEL_CK_EVERY + MODEL_CK_EVERY : n, ta, S);
    } else {
        cu.i = rec_after_s(l, idx, 0, n, ta, S);
    }
    cum_full(l, idx, cu.i, cu.full, S);
    cum_next(l, idx, &cu, ta, a, S);
    /* columns of 4 blocks or more (on average) are tried from whole blocks
     * first (columns_by_blocks); a[] is then stale until recomputed */
    uint64_t wide = UINT64_MAX; /* (unsigned: far times cannot overflow) */
    if (cu.bend && nb >= 2 && cu.bend[nb - 1] > cu.bend[0])
        wide = ((uint64_t)cu.bend[nb - 1] - (uint64_t)cu.bend[0]) / nb * 4 + 1;
    /* the same for super-blocks: columns of 4 or more are tried from them
     * first (a few KB), then from blocks */
    lod2 z = {0, NULL, NULL};
    uint64_t wide2 = UINT64_MAX;
    if (cu.bend) {
        z = lod2_of(cu.bh, nb, l->nst);
        if (z.nsb >= 2 && z.send[z.nsb - 1] > z.send[0])
            wide2 = ((uint64_t)z.send[z.nsb - 1] - (uint64_t)z.send[0]) / z.nsb * 4 + 1;
    }
    uint32_t hint2 = 0, tries2 = 0, hits2 = 0;
    int a_ok = 1;
    uint32_t tries = 0, hits = 0;
    /* prefetching pays where the columns need blocks and spans, not where
     * super-blocks (a few KB) decide them: a batch is prefetched unless the
     * columns are wide enough for super-blocks and they decided every
     * column of the previous batch */
    int pf = cu.bend && ncols >= 4 &&
             !(wide2 != UINT64_MAX && EDGE(1) >= EDGE(0) && (uint64_t)EDGE(1) - (uint64_t)EDGE(0) >= wide2);
    uint32_t hits2_batch = 0;
    int64_t pft[PF_BATCH];
    for (uint32_t c = 0; c < ncols; c++) {
        if (cu.bend && ncols >= 4 && c % PF_BATCH == 0) {
            if (c)
                pf = hits2 - hits2_batch < PF_BATCH;
            hits2_batch = hits2;
            uint32_t q = ncols - c < PF_BATCH ? ncols - c : PF_BATCH;
            for (uint32_t i = 0; pf && i < q; i++)
                pft[i] = EDGE(c + i + 1);
            if (pf)
                columns_prefetch(l, idx, cu.bend, cu.bh, nb, pft, q);
        }
        int64_t tb = EDGE(c + 1);
        if (wide2 != UINT64_MAX && tb >= ta && (uint64_t)tb - (uint64_t)ta >= wide2 &&
            (tries2 < 16 || hits2 * 4 >= tries2)) {
            int64_t gap = 0;
            int d = columns_by_sblocks(l, &z, ta, tb, &hint2, &gap);
            tries2++;
            if (d >= 0) {
                hits2++;
                if (mg)
                    mg[c] = margin_byte(gap);
                ((int64_t *)(uintptr_t)cu.bh)[4]++; /* (the cache is ours to write) */
                m->cache->lod_cols++;
                out[c] = (uint8_t)d;
                a_ok = 0;
                ta = tb;
                continue;
            }
        }
        if (wide != UINT64_MAX && tb >= ta && (uint64_t)tb - (uint64_t)ta >= wide &&
            (tries < 16 || hits * 4 >= tries)) {
            /* (stop trying on a lane whose columns blocks rarely decide) */
            int64_t gap = 0;
            int d = columns_by_blocks(l, idx, cu.bend, cu.bh, nb, ta, tb, &gap);
            tries++;
            if (d >= 0) {
                hits++;
                if (mg)
                    mg[c] = margin_byte(gap);
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
        int64_t bestd = 0, second = 0;
        int neg = 0;
        for (int st = 1; st < MS__COUNT; st++) {
            int64_t d = wsub(bacc[st], a[st]);
            neg |= d < 0;
            if (d > bestd || (d == bestd && d > 0 && st == MS_RUNNING)) {
                second = bestd;
                best = st;
                bestd = d;
            } else if (d > second) {
                second = d;
            }
        }
        if (mg) /* (no lead without a leader, or with wrapped sums) */
            mg[c] = best == MS_NONE || neg ? 0 : margin_byte(bestd - second);
        if (best == MS_NONE && tb <= ta) {
            uint32_t i = span_at_s(l, idx, n, ta, S);
            if (i < n)
                best = (int)SSE(l, idx, i).state;
        }
        out[c] = (uint8_t)best;
        memcpy(a, bacc, sizeof a);
        ta = tb;
    }
#undef EDGE
}

void model_lane_columns_mg(const model *m, model_lane_kind k, uint32_t idx, int64_t t0, double ns_per_col,
                           uint32_t ncols, uint8_t *out, uint8_t *mg)
{
    if (!ncols)
        return;
    if ((unsigned)k >= 4 || idx >= m->lanes[k].n || !(ns_per_col >= 0)) {
        memset(out, MS_NONE, ncols);
        if (mg)
            memset(mg, 0, ncols);
        return;
    }
    columns_s(m, k, idx, t0, ns_per_col, NULL, ncols, out, mg, MODEL_REC);
}

void model_lane_columns(const model *m, model_lane_kind k, uint32_t idx, int64_t t0,
                        double ns_per_col, uint32_t ncols, uint8_t *out)
{
    model_lane_columns_mg(m, k, idx, t0, ns_per_col, ncols, out, NULL);
}

void model_column_edges(int64_t t0, double ns_per_col, uint32_t ncols, int64_t *edges)
{
    for (uint32_t c = 0; c <= ncols; c++)
        edges[c] = col_time(t0, ns_per_col, c);
}

void model_lane_columns_at(const model *m, model_lane_kind k, uint32_t idx, const int64_t *edges,
                           uint32_t ncols, uint8_t *out)
{
    model_lane_columns_at_mg(m, k, idx, edges, ncols, out, NULL);
}

void model_lane_columns_at_mg(const model *m, model_lane_kind k, uint32_t idx, const int64_t *edges,
                              uint32_t ncols, uint8_t *out, uint8_t *mg)
{
    if (!ncols)
        return;
    if ((unsigned)k >= 4 || idx >= m->lanes[k].n) {
        memset(out, MS_NONE, ncols);
        if (mg)
            memset(mg, 0, ncols);
        return;
    }
    const model_lanes *l = &m->lanes[k];
    /* runs of non-decreasing edges, each one sweep; a column whose end
     * comes before its start reports the span under its start */
    uint32_t c = 0;
    while (c < ncols) {
        if (edges[c + 1] < edges[c]) {
            uint32_t i = span_at_s(l, idx, l->cnt[idx], edges[c], MODEL_REC);
            out[c] = i < l->cnt[idx] ? (uint8_t)model_rec_sse(l, idx, i).state : MS_NONE;
            if (out[c] >= MS__COUNT)
                out[c] = MS_NONE;
            if (mg)
                mg[c] = 0;
            c++;
            continue;
        }
        uint32_t e = c + 1;
        while (e < ncols && edges[e + 1] >= edges[e])
            e++;
        columns_s(m, k, idx, 0, 0, edges + c, e - c, out + c, mg ? mg + c : NULL, MODEL_REC);
        c = e;
    }
}

size_t model_block_index_bytes(const model *m)
{
    size_t r = 0;
    for (int k = 0; k < 4; k++)
        for (uint32_t i = 0; m->cache->bend[k] && i < m->lanes[k].n; i++) {
            const int64_t *h = m->cache->bend[k][i];
            if (!h)
                continue;
            uint32_t nb = m->lanes[k].cnt[i] / MODEL_CK_EVERY, ncell = nb / BGRID_BLOCKS;
            size_t hw = BHDR + ((size_t)ncell + 2) / 2 + (size_t)(nb / SB_BLOCKS) * (1 + m->lanes[k].nst);
            r += sizeof *h * (hw + (h[5] ? nb : 0));
        }
    return r;
}

uint64_t model_lod2_cols(const model *m)
{
    uint64_t r = 0;
    for (int k = 0; k < 4; k++)
        for (uint32_t i = 0; m->cache->bend[k] && i < m->lanes[k].n; i++) {
            const int64_t *h = m->cache->bend[k][i];
            if (h)
                r += (uint64_t)h[4];
        }
    return r;
}

/*
 * Metrics series: the heap, heap goal and GOMAXPROCS points the builder
 * recorded, and the goroutine-count series (running, runnable, waiting)
 * computed on first use from the goroutine lanes.
 *
 * Storage (one representation for all six): points in blocks of 64. A
 * block's first point (time, value), its largest value and the byte offset
 * of its other points are in per-block arrays; the other points are
 * delta-coded in a byte stream kept in chunks of 64 KiB: per point a varint
 * tag (dt << 2 | c) with c = 0: value + 1, 1: value - 1, 2: same value,
 * 3: a zigzag varint value delta follows (dt >= DT_ESC: the tag holds DT_ESC
 * and a second varint dt - DT_ESC follows). About 2-3 bytes a point instead
 * of 16. Every 64 blocks also keep their largest value, so the maximum over
 * a range of millions of points reads block maxima, not points.
 *
 * The three goroutine counts change at the same instants, so they share one
 * stream (joint form): blocks of SB instants (an instant: a time at which
 * at least one count has a point), per block the time of its first instant
 * and, per count, its value there, its largest value, the number of its
 * points before the block (16 bits over a 32-bit count per SUPER blocks:
 * 5.9 instead of 12 bytes a block for the three) and whether the first
 * instant is one of its
 * points; per later instant a tag (dt << 6 | c0 | c1 << 2 | c2 << 4), c_k
 * for count k: 0 no point, 1 value + 1, 2 value - 1, 3 a zigzag varint
 * delta follows (after the tag and its dt rest, in count order). The tag of
 * one of the 7 common transitions (jcomb: one goroutine changing state) is
 * one byte i << 5 | dt for dt < 32 (i < 7: its index), else a byte 0xe0 |
 * ((dt - 32) & 3) << 3 | i and the varint (dt - 32) >> 2; any other is the
 * byte 0xe7 and the tag as a varint (0.95 + 1 bytes an instant instead of
 * 2 on stress-100mb's 6.1 M instants). Each
 * count's series is a view of the shared arrays (per-block values 3 apart;
 * 32 bits: a count of goroutine lanes, as are the chunk offsets of every
 * form);
 * a query of one count reads every instant (an instant without a point of
 * that count keeps its value, so maxima and values are the same). About 3
 * bytes an instant for the three, instead of 2-3 bytes a point for each.
 */
#include "model/model_int.h"
#include "model/series_w.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SB_LOG 7
#define SB (1u << SB_LOG) /* points per block */
#define SUPER 64u         /* blocks per superblock maximum */
_Static_assert((SUPER - 1) * SB < 65536, "jcnt: a superblock's points before a block fit 16 bits");
#define CHUNK_BITS 16
#define CHUNK ((size_t)1 << CHUNK_BITS)
#define CHUNK_PAD 8 /* readable bytes after a chunk's last (dec reads one ahead) */
#define DT_ESC (((uint64_t)1 << 62) - 1)
#define DTJ_ESC (((uint64_t)1 << 58) - 1) /* joint tags: dt << 6 */
#define NJ 3u                             /* counts in the joint form */
/* bytes of one block's deltas at most: tag, time rest, value delta */
#define BLK_MAXBYTES ((SB - 1) * 40)

/* One compact series (or one count's view of the joint form: see above). */
typedef struct mser {
    uint32_t n, nb;        /* points, blocks */
    uint32_t ni;           /* points (instants in the joint form) */
    uint32_t w;            /* per-block values jv, jmax, smax, jcnt: index b w
                              (1, or NJ in the joint form) */
    int jk;                /* -1, or the count this view reads in the joint form */
    int owns;              /* the arrays are this one's to free */
    uint16_t *jcnt;        /* joint form: per block, this count's points before it
                              less jcsup's (at most SUPER - 1 blocks: < 2^16) */
    uint32_t *jcsup;       /* joint form: per SUPER blocks, this count's points
                              before them */
    uint8_t *jmask;        /* joint form: per block, bit k: its first instant is a
                              point of count k */
    int64_t *bt;           /* per block: time of its first point */
    uint64_t *bv, *bmax;   /* per block: first value, largest value (not the
                              joint form) */
    uint32_t *jv, *jmax;   /* joint form: the same as 32 bits (a count of
                              goroutine lanes) */
    uint32_t *boff;        /* per block: chunk << CHUNK_BITS | offset of its deltas */
    uint64_t *smax;        /* per SUPER blocks: largest value */
    uint8_t **chunk;
    uint32_t nchunk;
    int64_t tlast;         /* time of the last point */
    uint64_t vmax;         /* largest value */
    size_t bytes;          /* heap bytes held */
} mser;

/* All six series: the builder's three set at the end of the build
 * (model_series_set), the goroutine counts built on first use. */
struct model_gseries {
    mser s[MSER__COUNT];
};

static void mser_free(mser *s)
{
    if (!s->owns) { /* a view of the joint form (or empty) */
        memset(s, 0, sizeof *s);
        return;
    }
    free(s->jcnt);
    free(s->jcsup);
    free(s->jmask);
    free(s->bt);
    free(s->bv);
    free(s->bmax);
    free(s->jv);
    free(s->jmax);
    free(s->boff);
    free(s->smax);
    for (uint32_t i = 0; i < s->nchunk; i++)
        free(s->chunk[i]);
    free(s->chunk);
    memset(s, 0, sizeof *s);
}

void model_series_free(model *m)
{
    if (m->cache && m->cache->gser) {
        for (int k = 0; k < MSER__COUNT; k++)
            mser_free(&m->cache->gser->s[k]);
        free(m->cache->gser);
        m->cache->gser = NULL;
    }
}

/* ---- coding ---------------------------------------------------------------- */

static size_t put_varint(uint8_t *p, uint64_t x)
{
    size_t n = 0;
    while (x >= 0x80) {
        p[n++] = (uint8_t)(x | 0x80);
        x >>= 7;
    }
    p[n++] = (uint8_t)x;
    return n;
}

static inline uint64_t get_varint(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    if (*p < 0x80) {
        *pp = p + 1;
        return *p;
    }
    uint64_t x = *p & 0x7f;
    unsigned sh = 7;
    while (*p++ & 0x80)
        x |= (uint64_t)(*p & 0x7f) << sh, sh += 7;
    *pp = p;
    return x;
}

/* ---- writing --------------------------------------------------------------- */

typedef struct mser_w {
    mser *s;
    uint32_t cap;          /* capacity of the block arrays */
    size_t used;           /* bytes used in the last chunk */
    int64_t t;             /* the last point written */
    uint64_t v;
    int pending;           /* a point (pt, pv) waits: a later one at pt replaces it */
    int dedupe;            /* drop a point whose value equals the pending one's */
    int64_t pt;
    uint64_t pv;
    size_t nbuf;           /* the current block's deltas */
    uint8_t buf[BLK_MAXBYTES];
    uint32_t nin;          /* plain form: the points of the block being filled */
    int64_t it[SB];
    uint64_t iv[SB];
} mser_w;

/* Append the current block's deltas to the chunks. */
static int mw_flush(mser_w *w)
{
    mser *s = w->s;
    if (!s->nchunk || w->used + w->nbuf >= CHUNK) {
        if (s->nchunk == (uint32_t)1 << (32 - CHUNK_BITS)) /* (boff is 32 bits) */
            return -1;
        uint8_t **nc = realloc(s->chunk, sizeof *nc * (s->nchunk + 1));
        if (!nc)
            return -1;
        s->chunk = nc;
        if (!(nc[s->nchunk] = calloc(1, CHUNK + CHUNK_PAD)))
            return -1;
        s->nchunk++;
        s->bytes += CHUNK + CHUNK_PAD + sizeof *nc;
        w->used = 0;
    }
    s->boff[s->nb - 1] = (s->nchunk - 1) << CHUNK_BITS | (uint32_t)w->used;
    memcpy(s->chunk[s->nchunk - 1] + w->used, w->buf, w->nbuf);
    w->used += w->nbuf;
    w->nbuf = 0;
    return 0;
}

/* Resize the arrays every form has to cap blocks; -1 when out of memory. */
static int blocks_resize_common(mser *s, uint32_t cap)
{
    int64_t *bt = realloc(s->bt, sizeof *bt * cap);
    if (!bt)
        return -1;
    s->bt = bt;
    uint32_t *boff = realloc(s->boff, sizeof *boff * cap);
    if (!boff)
        return -1;
    s->boff = boff;
    return 0;
}

/* Resize the block arrays to cap blocks; -1 when out of memory. */
static int blocks_resize(mser *s, uint32_t cap)
{
    if (blocks_resize_common(s, cap))
        return -1;
    uint64_t *bv = realloc(s->bv, sizeof *bv * cap);
    if (!bv)
        return -1;
    s->bv = bv;
    uint64_t *bmax = realloc(s->bmax, sizeof *bmax * cap);
    if (!bmax)
        return -1;
    s->bmax = bmax;
    uint8_t *sh = realloc(s->jmask, cap);
    if (!sh)
        return -1;
    s->jmask = sh;
    return 0;
}

/* Write the waiting points as a block. Its time and value deltas are coded
 * >> tsh and >> vsh, the trailing zero bits common to all of them (at most
 * 7 and 31: Go's clock ticks are 64 ns, heap sizes move in pages), kept in
 * the block's jmask as tsh | vsh << 3. */
static int mw_block(mser_w *w)
{
    mser *s = w->s;
    if (!w->nin)
        return 0;
    if (s->nb == w->cap) {
        uint32_t cap = w->cap < 64 ? 64 : w->cap * 2;
        if (blocks_resize(s, cap))
            return -1;
        w->cap = cap;
    }
    uint64_t ort = 0, orv = 0, mx = w->iv[0];
    for (uint32_t i = 1; i < w->nin; i++) {
        ort |= (uint64_t)w->it[i] - (uint64_t)w->it[i - 1];
        orv |= w->iv[i] - w->iv[i - 1];
        if (w->iv[i] > mx)
            mx = w->iv[i];
    }
    unsigned tsh = ort ? (unsigned)__builtin_ctzll(ort) : 0, vsh = orv ? (unsigned)__builtin_ctzll(orv) : 0;
    if (tsh > 7)
        tsh = 7;
    if (vsh > 31)
        vsh = 31;
    uint32_t b = s->nb++;
    s->bt[b] = w->it[0];
    s->bv[b] = w->iv[0];
    s->bmax[b] = mx;
    s->jmask[b] = (uint8_t)(tsh | vsh << 3);
    w->nbuf = 0;
    for (uint32_t i = 1; i < w->nin; i++) {
        uint64_t dt = ((uint64_t)w->it[i] - (uint64_t)w->it[i - 1]) >> tsh;
        uint64_t dv = (uint64_t)((int64_t)(w->iv[i] - w->iv[i - 1]) >> vsh);
        unsigned c = dv == 1 ? 0 : dv == UINT64_MAX ? 1 : dv == 0 ? 2 : 3;
        uint64_t x = dt < DT_ESC ? dt : DT_ESC;
        w->nbuf += put_varint(w->buf + w->nbuf, x << 2 | c);
        if (x == DT_ESC)
            w->nbuf += put_varint(w->buf + w->nbuf, dt - DT_ESC);
        if (c == 3)
            w->nbuf += put_varint(w->buf + w->nbuf, dv << 1 ^ (0 - (dv >> 63)));
    }
    w->nin = 0;
    return mw_flush(w);
}

/* Write one point (t not before the last one). */
static int mw_put(mser_w *w, int64_t t, uint64_t v)
{
    mser *s = w->s;
    if (s->n == UINT32_MAX)
        return -1;
    s->owns = 1, s->w = 1, s->jk = -1;
    w->it[w->nin] = t;
    w->iv[w->nin] = v;
    if (++w->nin == SB && mw_block(w))
        return -1;
    if (v > s->vmax)
        s->vmax = v;
    s->tlast = t;
    w->t = t;
    w->v = v;
    s->n++;
    s->ni = s->n;
    return 0;
}

/* Add a point: one at the pending point's time replaces it; with dedupe, one
 * with the pending point's value is dropped. Times are made non-decreasing. */
static int mw_push(mser_w *w, int64_t t, uint64_t v)
{
    if (w->pending) {
        if (t <= w->pt) {
            w->pv = v;
            return 0;
        }
        if (w->dedupe && v == w->pv)
            return 0;
        if (mw_put(w, w->pt, w->pv))
            return -1;
    }
    w->pending = 1;
    w->pt = t;
    w->pv = v;
    return 0;
}

/* Write the pending point, trim the arrays, build the superblock maxima. */
static int mw_finish(mser_w *w)
{
    mser *s = w->s;
    if (w->pending && mw_put(w, w->pt, w->pv))
        return -1;
    w->pending = 0;
    if (!s->n)
        return 0;
    if (mw_block(w))
        return -1;
    uint8_t *c = realloc(s->chunk[s->nchunk - 1], w->used + CHUNK_PAD);
    if (c) {
        s->chunk[s->nchunk - 1] = c;
        s->bytes -= CHUNK - w->used;
    }
    if (w->cap > s->nb) /* give back the slack (a failed shrink keeps the arrays) */
        (void)blocks_resize(s, s->nb);
    uint32_t ns = (s->nb + SUPER - 1) / SUPER;
    if (!(s->smax = calloc(ns, sizeof *s->smax)))
        return -1;
    for (uint32_t b = 0; b < s->nb; b++)
        if (s->bmax[b] > s->smax[b / SUPER])
            s->smax[b / SUPER] = s->bmax[b];
    s->bytes += (size_t)s->nb * (sizeof *s->bt + sizeof *s->bv + sizeof *s->bmax + sizeof *s->boff + 1) +
                ns * sizeof *s->smax;
    return 0;
}

/* ---- reading --------------------------------------------------------------- */

/* A position inside a block: the current point, how many follow it, and
 * (when nok) the next one, already decoded. */
typedef struct mser_rd {
    const uint8_t *p, *np;
    int64_t t, nt;
    uint64_t v, nv;
    uint32_t left;
    int8_t nok;
    uint8_t sh;          /* the joint form's time shift */
    int16_t jk;          /* -1, or the count read in the joint form */
} mser_rd;

/* Block b's first value and largest value, in either form. */
static inline uint64_t blk_first(const mser *s, uint32_t b)
{
    return s->jk >= 0 ? s->jv[(size_t)b * NJ] : s->bv[b];
}

static inline uint64_t blk_max(const mser *s, uint32_t b)
{
    return s->jk >= 0 ? s->jmax[(size_t)b * NJ] : s->bmax[b];
}

static void rd_block(const mser *s, uint32_t b, mser_rd *r)
{
    uint32_t o = s->boff[b];
    r->p = s->chunk[o >> CHUNK_BITS] + (o & (CHUNK - 1));
    r->t = s->bt[b];
    r->v = blk_first(s, b);
    uint32_t first = b << SB_LOG;
    r->left = (s->ni - first > SB ? SB : s->ni - first) - 1;
    r->nok = 0;
    r->jk = (int16_t)s->jk;
    r->sh = s->jk >= 0 ? (uint8_t)(s->jmask[b] >> 3) : s->jmask[b]; /* plain: tsh | vsh << 3 */
    r->np = NULL, r->nt = 0, r->nv = 0;
}

/* The joint form's common transitions (codes c0 | c1 << 2 | c2 << 4), in
 * the order of their index in a short tag: a goroutine runnable -> running,
 * running -> waiting, waiting -> runnable, running -> runnable, running ->
 * gone, new runnable, new running. */
static const uint8_t jcomb[7] = {1 | 2 << 2, 2 | 1 << 4, 1 << 2 | 2 << 4, 2 | 1 << 2, 2, 1 << 2, 1};

/* The joint form's instant after (t, v) for count jk (dec); *code (may be
 * NULL) gets jk's code (0: no point of jk there). */
static inline __attribute__((always_inline)) const uint8_t *decj(const uint8_t *p, int jk, unsigned sh, int64_t t, uint64_t v,
                                                                 int64_t *nt, uint64_t *nv, unsigned *code)
{
    static const uint64_t dvj[4] = {0, 1, UINT64_MAX, 0};
    unsigned b0 = p[0];
    uint64_t u, dt;
    if (__builtin_expect(b0 < 0xe0, 1)) { /* a common transition, dt < 32 */
        u = jcomb[b0 >> 5];
        dt = b0 & 31;
        p++;
    } else if ((b0 & 7) != 7) { /* a common transition, dt >= 32 */
        u = jcomb[b0 & 7];
        p++;
        dt = 32 + ((b0 >> 3) & 3) + (get_varint(&p) << 2);
    } else { /* any other: the full tag */
        p++;
        u = get_varint(&p);
        dt = u >> 6;
        if (__builtin_expect(dt == DTJ_ESC, 0))
            dt += get_varint(&p);
    }
    dt <<= sh;
    unsigned c = (unsigned)(u >> (2 * jk)) & 3;
    v += dvj[c];
    unsigned esc = (unsigned)(u & (u >> 1) & 0x15); /* bit 2 q: count q's code is 3 */
    if (__builtin_expect(esc != 0, 0))
        for (int q = 0; q < (int)NJ; q++)
            if (esc >> (2 * q) & 1) {
                uint64_t z = get_varint(&p);
                if (q == jk)
                    v += (z >> 1) ^ (0 - (z & 1));
            }
    if (code)
        *code = c;
    *nt = (int64_t)((uint64_t)t + dt);
    *nv = v;
    return p;
}

/* Decode the point after (t, v) at p into (*nt, *nv); returns the position
 * after it. jk >= 0: an instant of the joint form, for count jk. */
static inline __attribute__((always_inline)) const uint8_t *dec(const uint8_t *p, int jk, unsigned sh, int64_t t, uint64_t v,
                                                                int64_t *nt, uint64_t *nv)
{
    if (jk >= 0)
        return decj(p, jk, sh, t, v, nt, nv, NULL);
    static const uint64_t dvt[4] = {1, UINT64_MAX, 0, 0};
    uint64_t b0 = p[0], b1 = p[1], u; /* p[1]: the next byte or padding */
    if (__builtin_expect(!(b0 & b1 & 0x80), 1)) { /* a tag of 1 or 2 bytes, without branches */
        uint64_t two = b0 >> 7;
        u = (b0 & 0x7f) | ((b1 << 7) & (0 - two));
        p += 1 + two;
    } else {
        u = get_varint(&p);
    }
    uint64_t dt = u >> 2;
    if (__builtin_expect(dt == DT_ESC, 0))
        dt += get_varint(&p);
    dt <<= sh & 7;
    unsigned vsh = sh >> 3;
    v += dvt[u & 3] << vsh;
    if (__builtin_expect((u & 3) == 3, 0)) {
        uint64_t z = get_varint(&p);
        v += ((z >> 1) ^ (0 - (z & 1))) << vsh;
    }
    *nt = (int64_t)((uint64_t)t + dt);
    *nv = v;
    return p;
}

/* Step to the next point (r->left > 0). */
static void rd_next(mser_rd *r)
{
    r->p = dec(r->p, r->jk, r->sh, r->t, r->v, &r->t, &r->v);
    r->left--;
    r->nok = 0;
}

/* Step over the points after r's of its block while their time is <= lim
 * (incl) or < lim (!incl), raising *mx to their values. */
static inline __attribute__((always_inline)) void rd_until_f(mser_rd *r, int64_t lim, int incl, uint64_t *mx,
                                                             int joint)
{
    const uint8_t *p = r->p;
    int64_t t = r->t;
    uint64_t v = r->v, m = *mx;
    uint32_t left = r->left;
    int nok = r->nok;
    for (; left; left--) {
        int64_t nt;
        uint64_t nv;
        const uint8_t *np;
        if (nok)
            np = r->np, nt = r->nt, nv = r->nv, nok = 0;
        else
            np = joint ? decj(p, r->jk, r->sh, t, v, &nt, &nv, NULL) : dec(p, -1, r->sh, t, v, &nt, &nv);
        if (incl ? nt > lim : nt >= lim) { /* keep it for the next call */
            r->np = np, r->nt = nt, r->nv = nv, nok = 1;
            break;
        }
        p = np, t = nt, v = nv;
        if (v > m)
            m = v;
    }
    r->p = p, r->t = t, r->v = v, r->left = left, r->nok = nok;
    *mx = m;
}

/* rd_until, the joint form's loop apart from the plain one. */
static inline __attribute__((always_inline)) void rd_until(mser_rd *r, int64_t lim, int incl, uint64_t *mx)
{
    if (r->jk >= 0)
        rd_until_f(r, lim, incl, mx, 1);
    else
        rd_until_f(r, lim, incl, mx, 0);
}

/* The number of blocks whose first time is <= t, searching from block h
 * (any value: forward by galloping when bt[h] <= t, else below h). */
static uint32_t blocks_upto(const mser *s, int64_t t, uint32_t h)
{
    uint32_t n = s->nb, lo = 0, hi = n;
    if (h < n) {
        if (s->bt[h] <= t) {
            lo = h + 1;
            for (uint32_t step = 1; lo < n;) {
                uint32_t q = n - lo > step ? lo + step - 1 : n - 1;
                if (s->bt[q] > t) {
                    hi = q;
                    break;
                }
                lo = q + 1;
                if (step < (1u << 30))
                    step <<= 1;
            }
        } else {
            hi = h;
        }
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->bt[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The largest block maximum of blocks [i, j), from whole runs of SUPER
 * where they fit. */
static uint64_t blocks_max(const mser *s, uint32_t i, uint32_t j, uint64_t v)
{
    size_t w = s->w;
    if (s->jk >= 0) {
        for (; i < j && i % SUPER; i++)
            if (s->jmax[i * w] > v)
                v = s->jmax[i * w];
    } else {
        for (; i < j && i % SUPER; i++)
            if (s->bmax[i] > v)
                v = s->bmax[i];
    }
    for (; j - i >= SUPER; i += SUPER)
        if (s->smax[i / SUPER * w] > v)
            v = s->smax[i / SUPER * w];
    if (s->jk >= 0) {
        for (; i < j; i++)
            if (s->jmax[i * w] > v)
                v = s->jmax[i * w];
    } else {
        for (; i < j; i++)
            if (s->bmax[i] > v)
                v = s->bmax[i];
    }
    return v;
}

/* Where a query stopped (model_series_cursor): the block (a search hint for
 * the next one) and, when valid, the reader on the last point before the
 * query's end (the next query resumes there instead of decoding the block
 * from its start), for series ser. */
typedef struct mser_pos {
    const mser *ser;
    uint32_t blk;
    int valid;
    mser_rd r;
} mser_pos;

_Static_assert(sizeof(mser_pos) <= sizeof(model_series_cursor), "model_series_cursor too small");

/* The largest value in [a, b): the value at a (0 before the first point)
 * and every point in (a, b); just the value at a when b <= a. Blocks wholly
 * inside answer from their maxima. When a and b lie in different blocks,
 * the two at the ends are read only when their maximum could raise the
 * answer (that of the blocks between and the first value of b's block):
 * b's block up to b (the next query of a sweep resumes there), a's from a
 * to its end; a column of a zoomed-out plot spans many blocks and mostly
 * reads neither. In one block: read from a (resuming a sweep) up to b. */
static uint64_t mser_max_in(const mser *s, int64_t a, int64_t b, mser_pos *pos)
{
    if (!s->n)
        return 0;
    if (pos->valid && pos->r.t <= a) { /* nothing new before b: O(1) */
        mser_rd *c = &pos->r;
        if (c->left && !c->nok) {
            c->np = dec(c->p, c->jk, c->sh, c->t, c->v, &c->nt, &c->nv);
            c->nok = 1;
        }
        if (c->left ? c->nt > a && c->nt >= b
                    : pos->blk + 1 >= s->nb || (s->bt[pos->blk + 1] > a && s->bt[pos->blk + 1] >= b))
            return c->v;
    }
    uint32_t k = blocks_upto(s, a, pos->blk);
    /* blocks starting before b: k - 1 holds a, kb - 1 holds b */
    uint32_t kb = b > a ? blocks_upto(s, b - 1, k ? k - 1 : 0) : k;
    uint64_t v = 0;
    mser_rd r, e;
    if (kb != k) { /* b in a later block: its block and a's are read only when they could raise the answer */
        v = blocks_max(s, k, kb - 1, blk_first(s, kb - 1));
        int resume = k && pos->valid && pos->blk == k - 1 && pos->r.t <= a; /* a sweep's reader in a's block */
        if (resume)
            r = pos->r;
        if (blk_max(s, kb - 1) > v) {
            rd_block(s, kb - 1, &e);
            rd_until(&e, b, 0, &v);
            pos->valid = 1, pos->r = e;
        } else {
            pos->valid = 0;
        }
        pos->blk = kb - 1;
        if (k && blk_max(s, k - 1) > v) {
            /* the value at a and the points after it in its block */
            if (!resume)
                rd_block(s, k - 1, &r);
            uint64_t x = 0;
            rd_until(&r, a, 1, &x);
            if (r.v > v)
                v = r.v;
            rd_until(&r, INT64_MAX, 1, &v);
        }
        return v;
    }
    /* a and b in one block (or before the first), or b <= a */
    if (!k) {
        pos->valid = 0;
        return 0;
    }
    if (pos->valid && pos->blk == k - 1 && pos->r.t <= a)
        r = pos->r; /* a sweep: carry on from the last query's end */
    else
        rd_block(s, k - 1, &r);
    rd_until(&r, a, 1, &v);
    v = r.v; /* the value at a */
    if (b > a)
        rd_until(&r, b, 0, &v);
    pos->blk = k - 1, pos->valid = 1, pos->r = r;
    return v;
}

/* ---- goroutine counts ------------------------------------------------------ */

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

static void gheap_up(gnext *h, uint32_t i)
{
    gnext x = h[i];
    while (i) {
        uint32_t p = (i - 1) / 2;
        if (h[p].t <= x.t)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static int gnext_cmp(const void *a, const void *b)
{
    const gnext *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

static struct model_gseries *gser_get(const model *m)
{
    model_cache *c = m->cache;
    if (!c)
        return NULL;
    if (!c->gser)
        c->gser = calloc(1, sizeof *c->gser);
    return c->gser;
}

/* The joint form's writer: the owner series o (count 0) holds the shared
 * arrays; mw_flush appends its blocks' bytes. */
typedef struct jw {
    mser_w w;              /* w.s: the owner; w.buf: a block's bytes */
    uint32_t n[NJ];        /* points per count (those written so far) */
    uint32_t nw[NJ];       /* points per count in the blocks written */
    uint64_t vmax[NJ];
    int64_t tlast[NJ];
    uint32_t nin;          /* instants waiting (the block being filled) */
    int64_t it[SB];
    uint64_t iv[SB][NJ];
    uint8_t im[SB];
} jw;

static int jblocks_resize(mser *s, uint32_t cap)
{
    if (blocks_resize_common(s, cap))
        return -1;
    uint32_t *jv = realloc(s->jv, sizeof *jv * cap * NJ);
    if (!jv)
        return -1;
    s->jv = jv;
    uint32_t *jmax = realloc(s->jmax, sizeof *jmax * cap * NJ);
    if (!jmax)
        return -1;
    s->jmax = jmax;
    uint16_t *jc = realloc(s->jcnt, sizeof *jc * cap * NJ);
    if (!jc)
        return -1;
    s->jcnt = jc;
    uint32_t *js = realloc(s->jcsup, sizeof *js * ((cap + SUPER - 1) / SUPER) * NJ);
    if (!js)
        return -1;
    s->jcsup = js;
    uint8_t *jm = realloc(s->jmask, cap);
    if (!jm)
        return -1;
    s->jmask = jm;
    return 0;
}

/* Write the waiting instants as a block: its dts are coded >> sh, sh the
 * trailing zero bits common to every instant's offset from the first (at
 * most JSH_MAX; Go's clock ticks are 64 ns, so within a generation it is
 * usually 6), kept in the block's jmask (bits 3..5). */
#define JSH_MAX 7u
static int jw_block(jw *j)
{
    mser_w *w = &j->w;
    mser *s = w->s;
    if (!j->nin)
        return 0;
    if (s->nb == w->cap) {
        uint32_t cap = w->cap < 64 ? 64 : w->cap * 2;
        if (jblocks_resize(s, cap))
            return -1;
        w->cap = cap;
    }
    uint64_t orx = 0;
    for (uint32_t i = 1; i < j->nin; i++)
        orx |= (uint64_t)j->it[i] - (uint64_t)j->it[0];
    unsigned sh = orx ? (unsigned)__builtin_ctzll(orx) : 0;
    if (sh > JSH_MAX)
        sh = JSH_MAX;
    uint32_t b = s->nb++;
    s->bt[b] = j->it[0];
    s->jmask[b] = (uint8_t)(j->im[0] | sh << 3);
    for (unsigned k = 0; k < NJ; k++) {
        s->jv[b * NJ + k] = (uint32_t)j->iv[0][k];
        s->jmax[b * NJ + k] = (uint32_t)j->iv[0][k];
        if (b % SUPER == 0)
            s->jcsup[b / SUPER * NJ + k] = j->nw[k];
        s->jcnt[b * NJ + k] = (uint16_t)(j->nw[k] - s->jcsup[b / SUPER * NJ + k]);
        j->nw[k] += j->im[0] >> k & 1;
    }
    w->nbuf = 0;
    for (uint32_t i = 1; i < j->nin; i++) {
        uint64_t dt = ((uint64_t)j->it[i] - (uint64_t)j->it[i - 1]) >> sh;
        uint64_t x = dt < DTJ_ESC ? dt : DTJ_ESC, tag = x << 6;
        unsigned esc = 0, mask = j->im[i];
        for (unsigned k = 0; k < NJ; k++) {
            if (!(mask >> k & 1))
                continue;
            j->nw[k]++;
            uint64_t dv = j->iv[i][k] - j->iv[i - 1][k];
            unsigned c = dv == 1 ? 1 : dv == UINT64_MAX ? 2 : 3;
            tag |= (uint64_t)c << (2 * k);
            if (c == 3)
                esc |= 1u << k;
            if (j->iv[i][k] > s->jmax[b * NJ + k])
                s->jmax[b * NJ + k] = (uint32_t)j->iv[i][k];
        }
        unsigned ci = 0;
        while (ci < 7 && jcomb[ci] != (tag & 63))
            ci++;
        if (ci < 7 && dt < 32) {
            w->buf[w->nbuf++] = (uint8_t)(ci << 5 | dt);
        } else if (ci < 7) {
            w->buf[w->nbuf++] = (uint8_t)(0xe0 | ((dt - 32) & 3) << 3 | ci);
            w->nbuf += put_varint(w->buf + w->nbuf, (dt - 32) >> 2);
        } else {
            w->buf[w->nbuf++] = 0xe7;
            w->nbuf += put_varint(w->buf + w->nbuf, tag);
            if (x == DTJ_ESC)
                w->nbuf += put_varint(w->buf + w->nbuf, dt - DTJ_ESC);
        }
        for (unsigned k = 0; k < NJ; k++)
            if (esc >> k & 1) {
                uint64_t dv = j->iv[i][k] - j->iv[i - 1][k];
                w->nbuf += put_varint(w->buf + w->nbuf, dv << 1 ^ (0 - (dv >> 63)));
            }
    }
    j->nin = 0;
    return mw_flush(w);
}

/* Add one instant: values v of the counts, mask bit k: count k has a
 * point here; a full block is written. */
static int jw_put(jw *j, int64_t t, const uint64_t *v, unsigned mask)
{
    mser *s = j->w.s;
    if (s->ni == UINT32_MAX)
        return -1;
    j->it[j->nin] = t;
    memcpy(j->iv[j->nin], v, sizeof j->iv[0]);
    j->im[j->nin] = (uint8_t)mask;
    j->nin++;
    for (unsigned k = 0; k < NJ; k++)
        if (mask >> k & 1) {
            j->n[k]++;
            j->tlast[k] = t;
            if (v[k] > j->vmax[k])
                j->vmax[k] = v[k];
        }
    s->ni++;
    return j->nin == SB ? jw_block(j) : 0;
}

/* Finish the joint form into the three views out[0..NJ) (out[0] is the
 * owner the writer wrote). */
static int jw_finish(jw *j, mser *out)
{
    mser_w *w = &j->w;
    mser *s = w->s;
    if (!s->ni)
        return 0;
    if (jw_block(j))
        return -1;
    uint8_t *c = realloc(s->chunk[s->nchunk - 1], w->used + CHUNK_PAD);
    if (c) {
        s->chunk[s->nchunk - 1] = c;
        s->bytes -= CHUNK - w->used;
    }
    if (w->cap > s->nb) { /* give back the slack (a failed shrink keeps the arrays) */
        int64_t *bt = realloc(s->bt, sizeof *bt * s->nb);
        if (bt)
            s->bt = bt;
        uint32_t *bo = realloc(s->boff, sizeof *bo * s->nb);
        if (bo)
            s->boff = bo;
        uint32_t *bv = realloc(s->jv, sizeof *bv * s->nb * NJ);
        if (bv)
            s->jv = bv;
        uint32_t *bm = realloc(s->jmax, sizeof *bm * s->nb * NJ);
        if (bm)
            s->jmax = bm;
        uint16_t *jc = realloc(s->jcnt, sizeof *jc * s->nb * NJ);
        if (jc)
            s->jcnt = jc;
        uint32_t *js = realloc(s->jcsup, sizeof *js * ((s->nb + SUPER - 1) / SUPER) * NJ);
        if (js)
            s->jcsup = js;
        uint8_t *jm = realloc(s->jmask, s->nb);
        if (jm)
            s->jmask = jm;
    }
    uint32_t ns = (s->nb + SUPER - 1) / SUPER;
    if (!(s->smax = calloc((size_t)ns * NJ, sizeof *s->smax)))
        return -1;
    for (uint32_t b = 0; b < s->nb; b++)
        for (unsigned k = 0; k < NJ; k++)
            if (s->jmax[b * NJ + k] > s->smax[b / SUPER * NJ + k])
                s->smax[b / SUPER * NJ + k] = s->jmax[b * NJ + k];
    s->bytes += (size_t)s->nb * (sizeof *s->bt + sizeof *s->boff + 1 + NJ * (sizeof *s->jv + sizeof *s->jmax + sizeof *s->jcnt)) +
                (size_t)ns * NJ * (sizeof *s->smax + sizeof *s->jcsup);
    size_t total = s->bytes;
    s->owns = 1;
    s->w = NJ;
    for (unsigned k = 0; k < NJ; k++) {
        mser *o = &out[k];
        if (k)
            *o = *s;
        o->owns = k == 0;
        o->jk = (int)k;
        o->jv = s->jv + k;
        o->jmax = s->jmax + k;
        o->smax = s->smax + k;
        o->jcnt = s->jcnt + k;
        o->jcsup = s->jcsup + k;
        o->n = j->n[k];
        o->vmax = j->vmax[k];
        o->tlast = j->tlast[k];
        o->bytes = k ? total / NJ : total - (NJ - 1) * (total / NJ); /* shared: a third each */
    }
    return 0;
}

/* A goroutine lane's cursor in build_gseries: the lane's arrays, and span
 * i decoded, so that a step reads the lane's own records only. */
typedef struct gcur {
    const uint8_t *rec;
    const int64_t *bases;
    model_sse s; /* span i (while i < n) */
    int64_t lend;
    uint32_t lane, i, n;
    int at_end; /* the next change is span i's end (else its start) */
} gcur;

static inline int64_t gcur_start(const gcur *g, const model_lanes *l, uint32_t i)
{
    const uint8_t *p = g->rec + (size_t)i * MODEL_REC;
    uint32_t off;
    memcpy(&off, p, sizeof off);
    if (__builtin_expect(MODEL_REC_ST(MODEL_REC, p) == MODEL_ESC, 0))
        return model_esc_sse(l, g->lane, i).start;
    return (int64_t)((uint64_t)g->bases[i / MODEL_PBLOCK] + off);
}

/* Decode span i (as model_rec_sse). */
static inline void gcur_load(gcur *g, const model_lanes *l)
{
    const uint8_t *p = g->rec + (size_t)g->i * MODEL_REC;
    uint32_t st = MODEL_REC_ST(MODEL_REC, p);
    if (__builtin_expect(st == MODEL_ESC, 0)) {
        g->s = model_esc_sse(l, g->lane, g->i);
        return;
    }
    g->s.start = gcur_start(g, l, g->i);
    g->s.end = g->i + 1 < g->n ? gcur_start(g, l, g->i + 1) : g->lend;
    g->s.state = st;
}

static void gcur_init(gcur *g, const model_lanes *l, uint32_t lane)
{
    g->rec = l->rec[lane];
    g->bases = l->bases[lane];
    g->lend = l->lend[lane];
    g->lane = lane;
    g->i = 0;
    g->n = l->cnt[lane];
    g->at_end = 0;
    gcur_load(g, l);
}

/* Merge the goroutine lanes' change points in time order (a heap over the
 * lanes: O(spans log goroutines)) and count goroutines per state class. A
 * lane's cursor stops once per change time: the end of a span and the start
 * of the next one at the same time are one step (goroutine lanes are mostly
 * contiguous), which halves the heap work. A lane enters the heap only at
 * its first span's start (the lanes wait in order of that time), so the
 * heap holds the goroutines alive at the time, not all of them: a few
 * hundred instead of 80 757 on the 100 MB bench trace. The counts after all
 * the changes at one time do not depend on the order the changes are taken
 * in. A count has a point at the trace start and wherever its value differs
 * from its last point's; the instants go straight into the joint form. */
static int gseries_into(const model *m, mser *gs, const _Atomic int *cancel)
{
    const model_lanes *l = &m->lanes[ML_GOROUTINE];
    /* the lanes not in the heap yet, by their first change time */
    gnext *wait = malloc(sizeof *wait * ((size_t)l->n + 1));
    gnext *h = NULL;     /* the heap: .lane is a cursor's slot */
    gcur *cs = NULL;     /* the cursors of the lanes in the heap */
    uint32_t *fr = NULL; /* free slots */
    uint32_t ncs = 0, capcs = 0, nfr = 0;
    jw *out = calloc(1, sizeof *out);
    if (!wait || !out)
        goto fail;
    out->w.s = &gs[0];
    out->w.s->owns = 1; /* (freed by mser_free if the build fails) */
    out->w.s->jk = 0;
    out->w.s->w = NJ;
    uint32_t nh = 0, nwait = 0, iw = 0;
    int sorted = 1;
    for (uint32_t i = 0; i < l->n; i++) {
        if (!l->cnt[i])
            continue;
        wait[nwait] = (gnext){model_rec_start(l, i, 0), i};
        if (nwait && wait[nwait].t < wait[nwait - 1].t)
            sorted = 0;
        nwait++;
    }
    if (!sorted)
        qsort(wait, nwait, sizeof *wait, gnext_cmp);
    int64_t cur[3] = {0, 0, 0};
    /* the first instant (the trace start, every count a point) waits for
     * the changes at or before its time */
    int64_t t_first = m->info.t_start;
    int first_pending = 1;
    uint64_t last[3] = {0, 0, 0};
    uint32_t tick = 0;
    while (nh || iw < nwait) {
        if (cancel && ++tick % 4096 == 0 && atomic_load_explicit(cancel, memory_order_relaxed))
            goto fail;
        int64_t t = nh ? h[0].t : INT64_MAX;
        if (iw < nwait && wait[iw].t <= t) { /* lanes that begin now join */
            t = wait[iw].t;
            for (; iw < nwait && wait[iw].t == t; iw++) {
                uint32_t k;
                if (nfr) {
                    k = fr[--nfr];
                } else {
                    if (ncs == capcs) {
                        uint32_t nc = capcs ? 2 * capcs : 256;
                        gcur *a1 = realloc(cs, sizeof *cs * nc);
                        if (a1)
                            cs = a1;
                        gnext *a2 = a1 ? realloc(h, sizeof *h * nc) : NULL;
                        if (a2)
                            h = a2;
                        uint32_t *a3 = a2 ? realloc(fr, sizeof *fr * nc) : NULL;
                        if (!a3)
                            goto fail;
                        fr = a3;
                        capcs = nc;
                    }
                    k = ncs++;
                }
                gcur_init(&cs[k], l, wait[iw].lane);
                h[nh] = (gnext){wait[iw].t, k};
                gheap_up(h, nh++);
            }
        }
        while (nh && h[0].t == t) {
            gcur *g = &cs[h[0].lane];
            if (g->at_end) { /* the end of span i */
                int w = gseries_which((uint8_t)g->s.state);
                if (w >= 0)
                    cur[w]--;
                g->i++;
                g->at_end = 0; /* next: the start of span i, now if it begins here */
                if (g->i < g->n)
                    gcur_load(g, l);
            }
            if (g->i < g->n && g->s.start == t) {
                int w = gseries_which((uint8_t)g->s.state);
                if (w >= 0)
                    cur[w]++;
                g->at_end = 1;
            }
            if (g->i >= g->n) { /* lane done */
                fr[nfr++] = h[0].lane;
                h[0] = h[--nh];
            } else {
                h[0].t = g->at_end ? g->s.end : g->s.start;
            }
            if (nh)
                gheap_down(h, nh, 0);
        }
    uint64_t v[3];
        unsigned mask = 0;
        for (int w = 0; w < 3; w++) {
            v[w] = cur[w] < 0 ? 0 : (uint64_t)cur[w];
            if (v[w] != last[w])
                mask |= 1u << w;
        }
        if (first_pending) {
            if (t <= t_first) { /* folded into the first instant */
                memcpy(last, v, sizeof last);
                continue;
            }
            if (jw_put(out, t_first, last, 7))
                goto fail;
            first_pending = 0;
        }
        if (mask) {
            if (jw_put(out, t, v, mask))
                goto fail;
            memcpy(last, v, sizeof last);
        }
    }
    if (first_pending && jw_put(out, t_first, last, 7))
        goto fail;
    free(h);
    free(wait);
    free(cs);
    free(fr);
    if (jw_finish(out, &gs[0]))
        goto fail_out;
    free(out);
    return 0;
fail:
    free(h);
    free(wait);
    free(cs);
    free(fr);
fail_out:
    for (int w = 3; w-- > 0;)
        mser_free(&gs[w]);
    free(out);
    return -1;
}

/* The goroutine counts into the model's cache, at their first query. */
static void build_gseries(const model *m)
{
    model_cache *c = m->cache;
    c->series_done = 1;
    struct model_gseries *gs = gser_get(m);
    if (!gs)
        return;
    for (int w = 0; w < 3; w++)
        mser_free(&gs->s[MSER_G_RUNNING + w]);
    (void)gseries_into(m, &gs->s[MSER_G_RUNNING], NULL); /* (none on failure) */
}

struct model_gseries_job {
    mser s[NJ];
};

model_gseries_job *model_gseries_build(const model *m, const _Atomic int *cancel)
{
    model_gseries_job *j = m ? calloc(1, sizeof *j) : NULL;
    if (j && gseries_into(m, j->s, cancel) != 0) {
        free(j);
        j = NULL;
    }
    return j;
}

void model_gseries_job_free(model_gseries_job *j)
{
    if (!j)
        return;
    for (unsigned w = NJ; w-- > 0;)
        mser_free(&j->s[w]);
    free(j);
}

int model_gseries_install(model *m, model_gseries_job *j)
{
    struct model_gseries *gs = m && j ? gser_get(m) : NULL;
    if (!gs) {
        model_gseries_job_free(j);
        return -1;
    }
    for (unsigned w = 0; w < NJ; w++) { /* the arrays move: the structs hold no pointer to themselves */
        mser_free(&gs->s[MSER_G_RUNNING + w]);
        gs->s[MSER_G_RUNNING + w] = j->s[w];
    }
    m->cache->series_done = 1;
    free(j);
    return 0;
}

/* ---- API ------------------------------------------------------------------- */

int model_series_set(model *m, model_series_kind k, const model_point *p, size_t n)
{
    if ((unsigned)k >= MSER__COUNT || n > UINT32_MAX)
        return -1;
    struct model_gseries *gs = gser_get(m);
    if (!gs)
        return -1;
    mser_free(&gs->s[k]);
    mser_w *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->s = &gs->s[k];
    for (size_t i = 0; i < n; i++)
        if (mw_push(w, p[i].t, p[i].v))
            goto fail;
    if (mw_finish(w))
        goto fail;
    free(w);
    return 0;
fail:
    free(w);
    mser_free(&gs->s[k]);
    return -1;
}

/* ---- the builder's writers ----------------------------------------------------- */

struct model_series_w {
    mser s;
    mser_w w;
};

model_series_w *model_series_w_new(void)
{
    model_series_w *x = calloc(1, sizeof *x);
    if (x)
        x->w.s = &x->s;
    return x;
}

int model_series_w_push(model_series_w *x, int64_t t, uint64_t v)
{
    return mw_push(&x->w, t, v);
}

void model_series_w_free(model_series_w *x)
{
    if (!x)
        return;
    mser_free(&x->s);
    free(x);
}

int model_series_w_take(model *m, model_series_kind k, model_series_w *x)
{
    struct model_gseries *gs = (unsigned)k < MSER__COUNT ? gser_get(m) : NULL;
    if (!gs || mw_finish(&x->w)) {
        model_series_w_free(x);
        return -1;
    }
    mser_free(&gs->s[k]);
    gs->s[k] = x->s;
    free(x);
    return 0;
}

static const mser *series_get(const model *m, model_series_kind k)
{
    if ((unsigned)k >= MSER__COUNT || !m->cache)
        return NULL;
    if (k >= MSER_G_RUNNING && !m->cache->series_done)
        build_gseries(m);
    return m->cache->gser ? &m->cache->gser->s[k] : NULL;
}

uint32_t model_series_len(const model *m, model_series_kind k)
{
    const mser *s = series_get(m, k);
    return s ? s->n : 0;
}

/* Joint form: this count's points before block b. */
static uint32_t jcount(const mser *s, uint32_t b)
{
    return s->jcsup[(size_t)(b / SUPER) * s->w] + s->jcnt[(size_t)b * s->w];
}

model_point model_series_point(const model *m, model_series_kind k, uint32_t i)
{
    const mser *s = series_get(m, k);
    if (!s || i >= s->n)
        return (model_point){0, 0};
    mser_rd r;
    if (s->jk < 0) {
        rd_block(s, i >> SB_LOG, &r);
        for (uint32_t j = i & (SB - 1); j; j--)
            rd_next(&r);
        return (model_point){r.t, r.v};
    }
    /* the joint form: the last block with at most i points before it */
    uint32_t lo = 0, hi = s->nb;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (jcount(s, mid) <= i)
            lo = mid;
        else
            hi = mid;
    }
    rd_block(s, lo, &r);
    uint32_t cnt = jcount(s, lo);
    if (s->jmask[lo] >> s->jk & 1) { /* (bits 0..2: the first instant's points) */
        if (cnt == i)
            return (model_point){r.t, r.v};
        cnt++;
    }
    while (r.left) {
        unsigned code;
        r.p = decj(r.p, s->jk, r.sh, r.t, r.v, &r.t, &r.v, &code);
        r.left--;
        if (code && cnt++ == i)
            return (model_point){r.t, r.v};
    }
    return (model_point){0, 0};
}

uint64_t model_series_max(const model *m, model_series_kind k)
{
    const mser *s = series_get(m, k);
    return s ? s->vmax : 0;
}

uint64_t model_series_at(const model *m, model_series_kind k, int64_t t)
{
    const mser *s = series_get(m, k);
    mser_pos pos;
    memset(&pos, 0, sizeof pos);
    return s ? mser_max_in(s, t, t, &pos) : 0;
}

uint64_t model_series_max_in(const model *m, model_series_kind k, int64_t a, int64_t b, model_series_cursor *cur)
{
    const mser *s = series_get(m, k);
    if (!s)
        return 0;
    mser_pos pos;
    memset(&pos, 0, sizeof pos);
    if (cur) {
        memcpy(&pos, cur, sizeof pos);
        /* the reader is only trusted for the series that left it */
        if (pos.ser != s || pos.blk >= s->nb || pos.r.left >= SB)
            pos.valid = 0;
    }
    uint64_t v = mser_max_in(s, a, b, &pos);
    if (cur) {
        pos.ser = s;
        memcpy(cur, &pos, sizeof pos);
    }
    return v;
}

/* ---- column maxima ---------------------------------------------------------- */

/* The joint form's instant after (*t, v[0..NJ)) at p, for all counts at
 * once (decj for each count, one decode). */
static inline __attribute__((always_inline)) const uint8_t *decj3(const uint8_t *p, unsigned sh, int64_t *t,
                                                                  uint64_t *v0, uint64_t *v1, uint64_t *v2)
{
    static const uint64_t dvj[4] = {0, 1, UINT64_MAX, 0};
    unsigned b0 = p[0];
    uint64_t u, dt;
    if (__builtin_expect(b0 < 0xe0, 1)) {
        u = jcomb[b0 >> 5];
        dt = b0 & 31;
        p++;
    } else if ((b0 & 7) != 7) {
        u = jcomb[b0 & 7];
        p++;
        dt = 32 + ((b0 >> 3) & 3) + (get_varint(&p) << 2);
    } else {
        p++;
        u = get_varint(&p);
        dt = u >> 6;
        if (__builtin_expect(dt == DTJ_ESC, 0))
            dt += get_varint(&p);
    }
    *t = (int64_t)((uint64_t)*t + (dt << sh));
    *v0 += dvj[u & 3];
    *v1 += dvj[(u >> 2) & 3];
    *v2 += dvj[(u >> 4) & 3];
    unsigned esc = (unsigned)(u & (u >> 1) & 0x15); /* bit 2 q: count q's code is 3 */
    if (__builtin_expect(esc != 0, 0)) {
        uint64_t *v[NJ] = {v0, v1, v2};
        for (unsigned q = 0; q < NJ; q++)
            if (esc >> (2 * q) & 1) {
                uint64_t z = get_varint(&p);
                *v[q] += (z >> 1) ^ (0 - (z & 1));
            }
    }
    return p;
}

/* A reader of the joint form for all counts: on instant (t, v) of block
 * blk, left instants after it in the block; the next one decoded ahead
 * (nok: (np, nt, nv)). */
typedef struct jrd {
    const uint8_t *p, *np;
    int64_t t, nt;
    uint64_t v[NJ], nv[NJ];
    uint32_t left, blk;
    int nok;
    unsigned sh;
} jrd;

static void jrd_block(const mser *s, uint32_t b, jrd *r)
{
    uint32_t o = s->boff[b];
    r->p = s->chunk[o >> CHUNK_BITS] + (o & (CHUNK - 1));
    r->t = s->bt[b];
    const uint32_t *jv = s->jv - s->jk; /* s: count jk's view of the shared array */
    for (unsigned q = 0; q < NJ; q++)
        r->v[q] = jv[(size_t)b * NJ + q];
    uint32_t first = b << SB_LOG;
    r->left = (s->ni - first > SB ? SB : s->ni - first) - 1;
    r->blk = b;
    r->nok = 0;
    r->sh = (unsigned)(s->jmask[b] >> 3);
}

/* Step r over the instants of its block at times <= lim (incl) or < lim,
 * raising mx[q] to count q's values when mx is not NULL. */
static inline __attribute__((always_inline)) void jrd_until(jrd *r, int64_t lim, int incl, uint64_t *mx)
{
    const uint8_t *p = r->p, *np = r->np;
    int64_t t = r->t, nt = r->nt;
    uint64_t v0 = r->v[0], v1 = r->v[1], v2 = r->v[2];
    uint64_t n0 = r->nv[0], n1 = r->nv[1], n2 = r->nv[2];
    uint64_t m0 = mx ? mx[0] : 0, m1 = mx ? mx[1] : 0, m2 = mx ? mx[2] : 0;
    uint32_t left = r->left;
    int nok = r->nok;
    unsigned sh = r->sh;
    for (; left; left--) {
        if (!nok) {
            nt = t, n0 = v0, n1 = v1, n2 = v2;
            np = decj3(p, sh, &nt, &n0, &n1, &n2);
        }
        if (incl ? nt > lim : nt >= lim) { /* keep it for the next call */
            nok = 1;
            break;
        }
        nok = 0;
        p = np, t = nt, v0 = n0, v1 = n1, v2 = n2;
        m0 = v0 > m0 ? v0 : m0;
        m1 = v1 > m1 ? v1 : m1;
        m2 = v2 > m2 ? v2 : m2;
    }
    r->p = p, r->np = np, r->t = t, r->nt = nt, r->left = left, r->nok = nok;
    r->v[0] = v0, r->v[1] = v1, r->v[2] = v2;
    r->nv[0] = n0, r->nv[1] = n1, r->nv[2] = n2;
    if (mx)
        mx[0] = m0, mx[1] = m1, mx[2] = m2;
}

/* blocks_max for the three counts at once (their block maxima side by
 * side); s is one count's view. */
static void blocks_max3(const mser *s, uint32_t i, uint32_t j, uint64_t m[NJ])
{
    const uint32_t *jm = s->jmax - s->jk;
    const uint64_t *sm = s->smax - s->jk;
    uint64_t m0 = m[0], m1 = m[1], m2 = m[2];
    for (; i < j && i % SUPER; i++) {
        const uint32_t *x = jm + (size_t)i * NJ;
        m0 = x[0] > m0 ? x[0] : m0, m1 = x[1] > m1 ? x[1] : m1, m2 = x[2] > m2 ? x[2] : m2;
    }
    for (; j - i >= SUPER; i += SUPER) {
        const uint64_t *x = sm + (size_t)(i / SUPER) * NJ;
        m0 = x[0] > m0 ? x[0] : m0, m1 = x[1] > m1 ? x[1] : m1, m2 = x[2] > m2 ? x[2] : m2;
    }
    for (; i < j; i++) {
        const uint32_t *x = jm + (size_t)i * NJ;
        m0 = x[0] > m0 ? x[0] : m0, m1 = x[1] > m1 ? x[1] : m1, m2 = x[2] > m2 ? x[2] : m2;
    }
    m[0] = m0, m[1] = m1, m[2] = m2;
}

/* The three goroutine counts' maxima in each column [e[c], e[c + 1]) of a
 * sweep (mser_max_in's answers), one decode of the shared stream: out[q]
 * (NULL: not wanted) gets count q's. s is one count's view. */
static void joint_max_cols(const mser *s, const mser *const views[NJ], const int64_t *e, uint32_t ncols,
                           uint64_t *const out[NJ])
{
    jrd r;
    int have = 0; /* r is valid */
    uint32_t hint = 0;
    for (uint32_t c = 0; c < ncols; c++) {
        int64_t a = e[c], b = e[c + 1];
        uint64_t m[NJ] = {0, 0, 0};
        uint32_t k = blocks_upto(s, a, hint);
        uint32_t kb = b > a ? blocks_upto(s, b - 1, k ? k - 1 : 0) : k;
        if (kb != k) { /* as mser_max_in: the end blocks only when they could raise a wanted answer */
            const uint32_t *jv = s->jv - s->jk, *jm = s->jmax - s->jk; /* the three counts side by side */
            for (unsigned q = 0; q < NJ; q++)
                m[q] = jv[(size_t)(kb - 1) * NJ + q];
            blocks_max3(s, k, kb - 1, m);
            int ra = 0, re = 0;
            for (unsigned q = 0; q < NJ; q++)
                re |= out[q] && jm[(size_t)(kb - 1) * NJ + q] > m[q];
            jrd x; /* b's block, read up to b */
            if (re) {
                jrd_block(s, kb - 1, &x);
                jrd_until(&x, b, 0, m);
            }
            for (unsigned q = 0; k && q < NJ; q++)
                ra |= out[q] && jm[(size_t)(k - 1) * NJ + q] > m[q];
            if (ra) { /* the values at a and the rest of a's block (all in (a, b)) */
                if (!have || r.blk != k - 1 || r.t > a)
                    jrd_block(s, k - 1, &r), have = 1;
                jrd_until(&r, a, 1, NULL);
                for (unsigned q = 0; q < NJ; q++)
                    if (r.v[q] > m[q])
                        m[q] = r.v[q];
                jrd_until(&r, INT64_MAX, 1, m);
            }
            if (re)
                r = x, have = 1;
            hint = kb - 1;
        } else if (k) { /* a and b in one block, or b <= a */
            if (!have || r.blk != k - 1 || r.t > a)
                jrd_block(s, k - 1, &r), have = 1;
            jrd_until(&r, a, 1, NULL);
            memcpy(m, r.v, sizeof m); /* the values at a */
            if (b > a)
                jrd_until(&r, b, 0, m);
            hint = k - 1;
        }
        for (unsigned q = 0; q < NJ; q++)
            if (out[q])
                out[q][c] = views[q]->n ? m[q] : 0;
    }
}

void model_series_max_cols(const model *m, const model_series_kind *ks, int nk, const int64_t *e, uint32_t ncols,
                           uint64_t *out)
{
    const mser *views[NJ] = {NULL, NULL, NULL};
    uint64_t *jout[NJ] = {NULL, NULL, NULL};
    const mser *js = NULL;
    for (int i = 0; i < nk; i++) {
        const mser *s = series_get(m, ks[i]);
        uint64_t *o = out + (size_t)i * ncols;
        if (s && s->jk >= 0 && s->n && !jout[s->jk]) { /* one pass for the joint form below */
            js = s;
            jout[s->jk] = o;
            continue;
        }
        mser_pos pos;
        memset(&pos, 0, sizeof pos);
        for (uint32_t c = 0; c < ncols; c++)
            o[c] = s ? mser_max_in(s, e[c], e[c + 1], &pos) : 0;
    }
    if (!js)
        return;
    for (unsigned q = 0; q < NJ; q++)
        views[q] = js + ((int)q - js->jk); /* the views are consecutive in model_gseries */
    joint_max_cols(js, views, e, ncols, jout);
    for (int i = 0; i < nk; i++) { /* a kind asked twice */
        const mser *s = series_get(m, ks[i]);
        uint64_t *o = out + (size_t)i * ncols;
        if (s && s->jk >= 0 && s->n && jout[s->jk] != o)
            memcpy(o, jout[s->jk], sizeof *o * ncols);
    }
}

size_t model_series_bytes(const model *m, model_series_kind k)
{
    if ((unsigned)k >= MSER__COUNT || !m->cache || !m->cache->gser)
        return 0;
    return m->cache->gser->s[k].bytes;
}

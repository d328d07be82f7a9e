/*
 * Goroutine summaries stored compactly, and the goroutine groups.
 *
 * Most fields of a model_gstats are zero for most goroutines (a trace may
 * declare millions of goroutines that only ever appear in a status event), so
 * the model keeps one variable-length record per goroutine instead of the
 * 192-byte struct:
 *   varint mask     bit f set: field f is non-zero (GF_*), bit GF_IN_SUMMARY
 *   varint values   of the non-zero fields, in field order: durations
 *                   zigzag-encoded, times as zigzag(t - t0) (t0: trace start),
 *                   ids and counts as they are
 * model_goroutine_stats decodes one into the caller's buffer.
 */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

enum {
    GF_TOTAL, GF_EXEC, GF_SCHED, GF_SYNC, GF_NET, GF_SYSCALL, GF_SYSBLOCK, GF_SLEEP,
    GF_ASSIST, GF_SWEEP, GF_OTHER, GF_UNKNOWN, /* durations */
    GF_CREATION, GF_START, GF_END,             /* times */
    GF_NAME, GF_PC, GF_NREASONS, GF_NRANGES, GF_KVOFF,
    GF_IN_SUMMARY,                             /* flag only */
    GF__COUNT
};

static uint8_t *put_uv(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static const uint8_t *get_uv(const uint8_t *p, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned s = 0; s < 64; s += 7) {
        uint8_t c = *p++;
        r |= (uint64_t)(c & 0x7f) << s;
        if (!(c & 0x80))
            break;
    }
    *v = r;
    return p;
}

static uint64_t zig(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzig(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

/* A time relative to t0, in wrapping arithmetic (exact for every int64). */
static uint64_t rel(int64_t t, int64_t t0) { return zig((int64_t)((uint64_t)t - (uint64_t)t0)); }
static int64_t unrel(uint64_t v, int64_t t0) { return (int64_t)((uint64_t)t0 + (uint64_t)unzig(v)); }

size_t model_gstats_encode(uint8_t *out, const model_gstats *st, uint32_t kv_off, int64_t t0)
{
    const int64_t dur[12] = {st->total_ns, st->exec_ns, st->sched_wait_ns, st->sync_block_ns,
                             st->network_wait_ns, st->syscall_ns, st->syscall_block_ns,
                             st->sleep_ns, st->gc_assist_ns, st->gc_sweep_ns,
                             st->other_block_ns, st->unknown_ns};
    const int64_t tm[3] = {st->creation, st->start, st->end};
    uint64_t mask = 0;
    for (int f = 0; f < 12; f++)
        if (dur[f])
            mask |= 1u << f;
    for (int f = 0; f < 3; f++)
        if (tm[f])
            mask |= 1u << (GF_CREATION + f);
    if (st->name)
        mask |= 1u << GF_NAME;
    if (st->pc)
        mask |= 1u << GF_PC;
    if (st->nreasons)
        mask |= 1u << GF_NREASONS;
    if (st->nranges)
        mask |= 1u << GF_NRANGES;
    if (kv_off)
        mask |= 1u << GF_KVOFF;
    if (st->in_summary)
        mask |= 1u << GF_IN_SUMMARY;
    uint8_t *p = put_uv(out, mask);
    for (int f = 0; f < 12; f++)
        if (dur[f])
            p = put_uv(p, zig(dur[f]));
    for (int f = 0; f < 3; f++)
        if (tm[f])
            p = put_uv(p, rel(tm[f], t0));
    if (st->name)
        p = put_uv(p, st->name);
    if (st->pc)
        p = put_uv(p, st->pc);
    if (st->nreasons)
        p = put_uv(p, st->nreasons);
    if (st->nranges)
        p = put_uv(p, st->nranges);
    if (kv_off)
        p = put_uv(p, kv_off);
    return (size_t)(p - out);
}

const model_gstats *model_goroutine_stats(const model *m, uint32_t idx, model_gstats *buf)
{
    if (!buf || idx >= m->lanes[ML_GOROUTINE].n)
        return NULL;
    memset(buf, 0, sizeof *buf);
    const uint8_t *p = m->gsb + m->gs_off[idx];
    uint64_t mask, v;
    p = get_uv(p, &mask);
    int64_t *dur[12] = {&buf->total_ns, &buf->exec_ns, &buf->sched_wait_ns,
                        &buf->sync_block_ns, &buf->network_wait_ns, &buf->syscall_ns,
                        &buf->syscall_block_ns, &buf->sleep_ns, &buf->gc_assist_ns,
                        &buf->gc_sweep_ns, &buf->other_block_ns, &buf->unknown_ns};
    int64_t *tm[3] = {&buf->creation, &buf->start, &buf->end};
    for (int f = 0; f < 12; f++)
        if (mask & (1u << f)) {
            p = get_uv(p, &v);
            *dur[f] = unzig(v);
        }
    for (int f = 0; f < 3; f++)
        if (mask & (1u << (GF_CREATION + f))) {
            p = get_uv(p, &v);
            *tm[f] = unrel(v, m->gs_t0);
        }
    uint64_t kv_off = 0;
    if (mask & (1u << GF_NAME)) {
        p = get_uv(p, &v);
        buf->name = (uint32_t)v;
    }
    if (mask & (1u << GF_PC))
        p = get_uv(p, &buf->pc);
    if (mask & (1u << GF_NREASONS)) {
        p = get_uv(p, &v);
        buf->nreasons = (uint32_t)v;
    }
    if (mask & (1u << GF_NRANGES)) {
        p = get_uv(p, &v);
        buf->nranges = (uint32_t)v;
    }
    if (mask & (1u << GF_KVOFF))
        get_uv(p, &kv_off);
    buf->reason = m->kv_key + kv_off;
    buf->reason_ns = m->kv_ns + kv_off;
    buf->range = buf->reason + buf->nreasons;
    buf->range_ns = buf->reason_ns + buf->nreasons;
    buf->in_summary = (mask >> GF_IN_SUMMARY) & 1;
    return buf;
}

/* ---- groups ---------------------------------------------------------------- */

static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c)
        return c;
    return na < nb ? -1 : na > nb;
}

/* Lanes by start function name, then lane. */
static int lane_less(const model *m, uint32_t x, uint32_t y)
{
    size_t nx, ny;
    const char *sx = model_str(m, m->gs[x].func, &nx), *sy = model_str(m, m->gs[y].func, &ny);
    int c = cmp_bytes(sx, nx, sy, ny);
    return c ? c < 0 : x < y;
}

/* Heapsort of lane indexes with the model as context (no extra memory: a
 * trace may hold millions of goroutines). */
static void sift(const model *m, uint32_t *a, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && lane_less(m, a[c], a[c + 1]))
            c++;
        if (!lane_less(m, a[i], a[c]))
            return;
        uint32_t t = a[i];
        a[i] = a[c];
        a[c] = t;
        i = c;
    }
}

static void sort_lanes(const model *m, uint32_t *a, size_t n)
{
    size_t i = 1;
    while (i < n && lane_less(m, a[i - 1], a[i]))
        i++;
    if (i >= n) /* usually in order already when all share one function */
        return;
    for (i = n / 2; i-- > 0;)
        sift(m, a, i, n);
    for (i = n; i-- > 1;) {
        uint32_t t = a[0];
        a[0] = a[i];
        a[i] = t;
        sift(m, a, 0, i);
    }
}

/* The field mask of goroutine idx's record (model_goroutine_stats without
 * the decoding). */
static uint64_t gs_mask(const model *m, uint32_t idx)
{
    uint64_t mask;
    get_uv(m->gsb + m->gs_off[idx], &mask);
    return mask;
}

/* Goroutine idx's exec_ns (model_goroutine_stats' exec_ns). */
static int64_t gs_exec(const model *m, uint32_t idx)
{
    uint64_t mask, v;
    const uint8_t *p = get_uv(m->gsb + m->gs_off[idx], &mask);
    if (!(mask & (1u << GF_EXEC)))
        return 0;
    if (mask & (1u << GF_TOTAL))
        p = get_uv(p, &v);
    get_uv(p, &v);
    return unzig(v);
}

#define IN_SUMMARY(m, i) ((gs_mask(m, i) >> GF_IN_SUMMARY) & 1)

typedef struct fkey {
    const char *s;
    size_t n;
    uint32_t d;      /* index in the distinct functions */
} fkey;

static int cmp_fkey(const void *a, const void *b)
{
    const fkey *x = a, *y = b;
    int c = cmp_bytes(x->s, x->n, y->s, y->n);
    return c ? c : (x->d > y->d) - (x->d < y->d);
}

/* The distinct start functions of the lanes: an open-addressing hash of
 * their indexes + 1 (0: empty), and per function its id, its lane count and
 * (once ranked) its rank. */
typedef struct dfun {
    uint32_t func, cnt, rank;
} dfun;

typedef struct dfuns {
    uint32_t *h;
    dfun *d;
    uint32_t hcap, nd;
} dfuns;

static uint32_t func_hash(uint32_t f) { return f * 0x9e3779b1u; }

/* The index of func in f->d, added if new (when add); UINT32_MAX when out of
 * memory (or absent). */
static uint32_t dfun_find(dfuns *f, uint32_t func, int add)
{
    if (add && f->nd * 2 >= f->hcap) { /* keep the load under a half */
        uint32_t nc = f->hcap ? f->hcap * 2 : 256;
        uint32_t *nh = nc > f->hcap ? calloc(nc, sizeof *nh) : NULL;
        dfun *nd = nh ? realloc(f->d, sizeof *nd * (nc / 2)) : NULL;
        if (!nd) {
            free(nh);
            return UINT32_MAX;
        }
        f->d = nd;
        for (uint32_t i = 0; i < f->nd; i++) {
            uint32_t k = func_hash(f->d[i].func) & (nc - 1);
            while (nh[k])
                k = (k + 1) & (nc - 1);
            nh[k] = i + 1;
        }
        free(f->h);
        f->h = nh;
        f->hcap = nc;
    }
    if (!f->hcap)
        return UINT32_MAX;
    uint32_t mask = f->hcap - 1, k = func_hash(func) & mask;
    for (uint32_t v; (v = f->h[k]) != 0; k = (k + 1) & mask)
        if (f->d[v - 1].func == func)
            return v - 1;
    if (!add)
        return UINT32_MAX;
    f->d[f->nd] = (dfun){func, 0, 0};
    f->h[k] = f->nd + 1;
    return f->nd++;
}

/* dfun_find through a cache of the last function looked up (*lastf, its
 * index *lastd; *lastd UINT32_MAX: none yet): lanes of one function are
 * often consecutive. UINT32_MAX when out of memory. */
static uint32_t dfun_last(dfuns *f, uint32_t fn, int add, uint32_t *lastf, uint32_t *lastd)
{
    if (*lastd == UINT32_MAX || fn != *lastf) {
        *lastd = dfun_find(f, fn, add);
        *lastf = fn;
    }
    return *lastd;
}

/* The n lanes in the summary into out, by start function name, then lane
 * (sort_lanes' order, for far fewer string comparisons): the distinct
 * functions are ranked by name (equal names share a rank), then a stable
 * counting sort by rank. -1 when out of memory (out unchanged). */
static int group_lanes_by_func(const model *m, uint32_t ng, uint32_t *out, uint32_t n)
{
    dfuns f = {0};
    fkey *k = NULL;
    uint32_t *pos = NULL, lastf = 0, lastd = UINT32_MAX, seen = 0;
    int rc = -1;
    for (uint32_t i = 0; i < ng; i++) {
        if (!IN_SUMMARY(m, i))
            continue;
        uint32_t d = dfun_last(&f, m->gs[i].func, 1, &lastf, &lastd);
        if (d == UINT32_MAX)
            goto out;
        f.d[d].cnt++;
        seen++;
    }
    if (seen != n)
        goto out;
    k = malloc(sizeof *k * (f.nd + 1u));
    pos = malloc(sizeof *pos * (f.nd + 1u));
    if (!k || !pos)
        goto out;
    for (uint32_t x = 0; x < f.nd; x++) {
        k[x].s = model_str(m, f.d[x].func, &k[x].n);
        k[x].d = x;
    }
    if (f.nd > 1)
        qsort(k, f.nd, sizeof *k, cmp_fkey);
    /* ranks, and each rank's first position in out */
    uint32_t nr = 0, at = 0;
    for (uint32_t x = 0; x < f.nd; x++) {
        if (!x || cmp_bytes(k[x - 1].s, k[x - 1].n, k[x].s, k[x].n) != 0)
            pos[nr++] = at;
        f.d[k[x].d].rank = nr - 1;
        at += f.d[k[x].d].cnt;
    }
    lastd = UINT32_MAX;
    for (uint32_t i = 0; i < ng; i++) {
        if (!IN_SUMMARY(m, i))
            continue;
        out[pos[f.d[dfun_last(&f, m->gs[i].func, 0, &lastf, &lastd)].rank]++] = i;
    }
    rc = 0;
out:
    free(f.h);
    free(f.d);
    free(k);
    free(pos);
    return rc;
}

typedef struct gkey {
    const char *s;
    size_t n;
    uint32_t idx;
    int64_t exec;
} gkey;

static int cmp_gkey_exec(const void *a, const void *b)
{
    const gkey *x = a, *y = b;
    if (x->exec != y->exec)
        return x->exec > y->exec ? -1 : 1;
    return cmp_bytes(x->s, x->n, y->s, y->n);
}

int model_build_groups(model *m)
{
    uint32_t ng = m->lanes[ML_GOROUTINE].n, n = 0;
    for (uint32_t i = 0; i < ng; i++)
        n += (uint32_t)IN_SUMMARY(m, i);
    m->group_lanes = malloc(sizeof *m->group_lanes * (n + 1u));
    if (!m->group_lanes)
        return -1;
    if (group_lanes_by_func(m, ng, m->group_lanes, n) != 0) {
        /* out of memory: the heapsort needs none */
        n = 0;
        for (uint32_t i = 0; i < ng; i++)
            if (IN_SUMMARY(m, i))
                m->group_lanes[n++] = i;
        sort_lanes(m, m->group_lanes, n);
    }
    uint32_t ngr = 0;
    const char *ps = NULL;
    size_t pn = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t k;
        const char *s = model_str(m, m->gs[m->group_lanes[i]].func, &k);
        if (!i || cmp_bytes(ps, pn, s, k) != 0)
            ngr++;
        ps = s;
        pn = k;
    }
    model_ggroup *tmp = malloc(sizeof *tmp * (ngr + 1u));
    gkey *k = malloc(sizeof *k * (ngr + 1u));
    m->groups = malloc(sizeof *m->groups * (ngr + 1u));
    if (!tmp || !k || !m->groups) {
        free(tmp);
        free(k);
        return -1;
    }
    ngr = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l = m->group_lanes[i];
        size_t sn;
        const char *s = model_str(m, m->gs[l].func, &sn);
        if (!ngr || cmp_bytes(k[ngr - 1].s, k[ngr - 1].n, s, sn) != 0) {
            model_ggroup *g = &tmp[ngr];
            g->func = m->gs[l].func;
            g->count = 0;
            g->exec_ns = 0;
            g->first = i;
            k[ngr].s = s;
            k[ngr].n = sn;
            k[ngr].idx = ngr;
            ngr++;
        }
        tmp[ngr - 1].count++;
        /* wraps like the summaries' own sums (a hostile trace can span
         * more than 2^63 ns) instead of overflowing */
        tmp[ngr - 1].exec_ns = (int64_t)((uint64_t)tmp[ngr - 1].exec_ns + (uint64_t)gs_exec(m, l));
    }
    /* order groups by exec (ties: name); their lanes stay where they are */
    for (uint32_t i = 0; i < ngr; i++)
        k[i].exec = tmp[i].exec_ns;
    if (ngr > 1)
        qsort(k, ngr, sizeof *k, cmp_gkey_exec);
    for (uint32_t i = 0; i < ngr; i++)
        m->groups[i] = tmp[k[i].idx];
    m->ngroups = ngr;
    free(k);
    free(tmp);
    return 0;
}

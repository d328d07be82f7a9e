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
    model_gstats st;
    for (uint32_t i = 0; i < ng; i++)
        if (model_goroutine_stats(m, i, &st))
            n += st.in_summary;
    m->group_lanes = malloc(sizeof *m->group_lanes * (n + 1u));
    if (!m->group_lanes)
        return -1;
    n = 0;
    for (uint32_t i = 0; i < ng; i++)
        if (model_goroutine_stats(m, i, &st) && st.in_summary)
            m->group_lanes[n++] = i;
    sort_lanes(m, m->group_lanes, n);
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
        if (model_goroutine_stats(m, l, &st))
            tmp[ngr - 1].exec_ns += st.exec_ns;
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

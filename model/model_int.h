/* Internal layout of the model (shared by the model sources only). */
#ifndef GOTV_MODEL_MODEL_INT_H
#define GOTV_MODEL_MODEL_INT_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Spans between two level-of-detail checkpoints. */
#define MODEL_CK_EVERY 32u

/*
 * Compact span records.
 *
 * Every lane's spans are anchored per block of MODEL_PBLOCK spans: the
 * lane's bases[b] is the start of span b * MODEL_PBLOCK (its true start, even
 * when that span escapes), and a record holds its start as an offset from
 * the anchor of its block. Within a lane a span starts at or after the end
 * of the previous one (the builder guarantees it), which rec_after_s relies
 * on to search the anchors first. Lanes are contiguous (real traces have no
 * gaps on goroutine, P and M lanes), so records hold no end: a span ends
 * where the next one starts, the last one at the lane's lend; a span
 * followed by a gap escapes.
 *
 * Goroutine lanes, 8 bytes (model_gsp): the offset, and the state << 28 |
 * a site: an index into the lanes' table of distinct (stack, reason, cat,
 * flags, other) tuples (site; real traces have a few hundred without other,
 * tens of thousands with it: the unblocking goroutine of waiting and
 * runnable spans comes from a small set, running spans have none).
 *
 * P, M and GC lanes, 8 bytes (model_psp): the offset, and the state << 28 |
 * other + 1 (28 bits). They have no stack, reason, cat or flags.
 *
 * Both layouts have the state in the top 4 bits of their second word
 * (MODEL_REC_ST), so the hot loops are one copy for every lane kind; only
 * the low 28 bits differ (l->site: goroutine lanes).
 *
 * A span that does not fit (a start before its anchor or too far after it, a
 * gap after it, a site index of 2^28 or more; on P/M/GC lanes other beyond
 * 28 bits, or any stack, reason, cat or flags) has state MODEL_ESC in its
 * record and is kept whole in the kind's escape table (esc, sorted by
 * lane << 32 | index, binary-searched): every value round-trips exactly.
 * Escapes stay rare: a span escapes when its block of 32 spans is longer
 * than 2^32 ns (4.29 s) up to its start, or before a gap (the builder
 * writes these records as spans close, and makes the previous record of a
 * lane escape when the next span does not start at its end).
 */
typedef struct model_gsp {
    uint32_t off;          /* start - bases[index / MODEL_PBLOCK] */
    uint32_t ss;           /* site | state << 28 */
} model_gsp;

typedef struct model_psp {
    uint32_t off;          /* start - bases[index / MODEL_PBLOCK] */
    uint32_t so;           /* other + 1 (low 28 bits) | state << 28 */
} model_psp;

/* A goroutine span's fields other than times and state. */
typedef struct model_site {
    uint32_t stack, reason;
    int32_t other;
    uint16_t flags;
    uint8_t cat, pad;
} model_site;

typedef struct model_esc {
    uint64_t key;          /* lane << 32 | span index */
    model_span s;
} model_esc;

#define MODEL_ESC 15u                      /* state of an escaped record */
#define MODEL_SITE_BITS 28
#define MODEL_SITE_MASK ((1u << MODEL_SITE_BITS) - 1)
#define MODEL_POTHER_BITS 28
#define MODEL_POTHER_MASK ((1u << MODEL_POTHER_BITS) - 1)
#define MODEL_PBLOCK 32u
/* bytes per record, every lane kind */
#define MODEL_REC 8u
_Static_assert(sizeof(model_gsp) == MODEL_REC && sizeof(model_psp) == MODEL_REC &&
               offsetof(model_gsp, ss) == offsetof(model_psp, so) && MODEL_SITE_BITS == MODEL_POTHER_BITS &&
               sizeof(model_site) == 16, "span records");
_Static_assert(MS__COUNT < MODEL_ESC && MC__COUNT <= 16, "span record fields");

typedef struct model_lanes {
    uint32_t n;            /* lanes */
    uint32_t stride;       /* bytes per record: MODEL_REC (model_gsp on goroutine
                              lanes, model_psp on the others) */
    int64_t t0;            /* the trace's first event */
    uint8_t *block;        /* every record of these lanes, lane after lane (goroutine
                              lanes); NULL: each lane has its own array (others) */
    uint8_t **rec;         /* n pointers into block or arrays (NULL when empty) */
    int64_t **bases;       /* n arrays of block anchors (NULL when empty) */
    int64_t *bblock;       /* every anchor, lane after lane (goroutine lanes: bases
                              point into it); NULL: each lane has its own array */
    model_site *site;      /* goroutine lanes: the sites records point to (never
                              NULL); NULL on the other kinds */
    uint32_t nsite;
    uint32_t *cnt;         /* n span counts */
    int64_t *lend;         /* n ends of the lanes' last spans */
    model_esc *esc;        /* spans that do not fit a record, by key */
    uint32_t nesc;
    uint32_t *ck_off;      /* n+1 offsets (in checkpoints) into ck */
    /* Checkpoints: nst cumulative ns (the time in state st[k] of spans
     * [0, 32j)) per checkpoint j >= 1 of a lane, at index q = ck_off + j - 1
     * (checkpoint 0 is all zero); read with model_ck_load. Stored per group
     * of MODEL_CKG consecutive indexes (lanes share a group at their edges):
     * a narrow group keeps a base per state (ckb) and a 32-bit offset from it
     * per checkpoint and state (ck); a group with an offset of 2^32 ns or
     * more is wide: its values whole in ckx (ckw: its index there). */
    uint32_t *ck;          /* nst offsets per checkpoint (narrow groups) */
    int64_t *ckb;          /* nst bases per group (narrow groups) */
    uint32_t *ckw;         /* per group: its wide copy in ckx, UINT32_MAX narrow */
    int64_t *ckx;          /* MODEL_CKG * nst values per wide group */
    uint32_t nckx;         /* wide groups */
    uint32_t nst;          /* states that occur in these lanes */
    uint8_t st[MS__COUNT];
    /* goroutine lanes: per block of MODEL_CK_EVERY spans (the last one may be
     * partial), block b of lane i at ck_off[i] + i + b: the longest blocking
     * episode (model_goroutine_episodes' spans) in ns, saturated at
     * UINT32_MAX (0: none), and how many episodes it holds. Lets the top
     * episodes and the episode count skip whole blocks. NULL for other kinds. */
    uint32_t *ep_max;
    uint8_t *ep_cnt;
} model_lanes;

/* Checkpoints per group (model_lanes.ck). */
#define MODEL_CKG 32u

/* Checkpoint at index q of a lane kind (ck_off[lane] + j - 1 for checkpoint
 * j >= 1 of a lane): its nst values into out. */
static inline void model_ck_load(const model_lanes *l, size_t q, int64_t *out)
{
    size_t g = q / MODEL_CKG;
    uint32_t w = l->ckw[g], nst = l->nst;
    if (__builtin_expect(w != UINT32_MAX, 0)) {
        memcpy(out, l->ckx + ((size_t)w * MODEL_CKG + q % MODEL_CKG) * nst, sizeof *out * nst);
        return;
    }
    const uint32_t *d = l->ck + q * nst;
    const int64_t *b = l->ckb + g * nst;
    for (uint32_t k = 0; k < nst; k++)
        out[k] = (int64_t)((uint64_t)b[k] + d[k]);
}

/* A goroutine span of this state is a blocking episode (model_goroutine_episodes). */
static inline int model_is_episode(uint32_t st)
{
    return st == MS_WAITING || st == MS_SYSCALL || st == MS_SYSCALL_BLOCKED || st == MS_RUNNABLE;
}

/* The escaped span i of a lane (binary search; never NULL for a record whose
 * state is MODEL_ESC in a consistent model). */
const model_span *model_lanes_esc(const model_lanes *l, uint32_t lane, uint32_t i);

/* Free the metrics series and the goroutine-count series (series.c). */
void model_series_free(model *m);
/* Store series k (heap, heap goal, GOMAXPROCS: the builder's points, sorted
 * by time) in the compact form; p stays the caller's. -1 when out of memory. */
int model_series_set(model *m, model_series_kind k, const model_point *p, size_t n);

/* Start, end and state of a span. */
typedef struct model_sse {
    int64_t start, end;
    uint32_t state;
} model_sse;

static inline model_sse model_esc_sse(const model_lanes *l, uint32_t lane, uint32_t i)
{
    const model_span *e = model_lanes_esc(l, lane, i);
    model_sse r = {0, 0, MS_NONE};
    if (e) {
        r.start = e->start;
        r.end = e->end;
        r.state = e->state;
    }
    return r;
}

/* The state of the record at p (MODEL_ESC: escaped); S: the stride (every
 * layout keeps the state at the same place). */
#define MODEL_REC_ST(S, p) (((const model_psp *)(p))->so >> MODEL_POTHER_BITS)

/* The start of record i of a lane of stride S (no range check). */
static inline __attribute__((always_inline)) int64_t
model_rec_start_s(const model_lanes *l, uint32_t lane, uint32_t i, uint32_t S)
{
    const uint8_t *p = l->rec[lane] + (size_t)i * S;
    uint32_t off;
    memcpy(&off, p, sizeof off); /* off comes first in both layouts */
    if (__builtin_expect(MODEL_REC_ST(S, p) == MODEL_ESC, 0))
        return model_esc_sse(l, lane, i).start;
    return (int64_t)((uint64_t)l->bases[lane][i / MODEL_PBLOCK] + off);
}

/* Start, end and state of record i of a lane (the hot bytes only, unless
 * escaped; no range check): the end is the next record's start, or the
 * lane's lend after the last one. model_rec_sse_s: for a record stride S
 * known at compile time (MODEL_REC == l->stride, every kind). */
static inline __attribute__((always_inline)) model_sse
model_rec_sse_s(const model_lanes *l, uint32_t lane, uint32_t i, uint32_t S)
{
    model_sse r;
    const uint8_t *p = l->rec[lane] + (size_t)i * S;
    uint32_t off, st = MODEL_REC_ST(S, p);
    memcpy(&off, p, sizeof off);
    if (__builtin_expect(st == MODEL_ESC, 0))
        return model_esc_sse(l, lane, i);
    r.start = (int64_t)((uint64_t)l->bases[lane][i / MODEL_PBLOCK] + off);
    r.end = i + 1 < l->cnt[lane] ? model_rec_start_s(l, lane, i + 1, S) : l->lend[lane];
    r.state = st;
    return r;
}
static inline model_sse model_rec_sse(const model_lanes *l, uint32_t lane, uint32_t i)
{
    return model_rec_sse_s(l, lane, i, MODEL_REC);
}
static inline int64_t model_rec_end(const model_lanes *l, uint32_t lane, uint32_t i)
{
    return model_rec_sse(l, lane, i).end;
}
static inline int64_t model_rec_start(const model_lanes *l, uint32_t lane, uint32_t i)
{
    return model_rec_start_s(l, lane, i, MODEL_REC);
}

/* Decode record i of a lane into *o (every field; no range check). */
static inline void model_rec_decode(const model_lanes *l, uint32_t lane, uint32_t i,
                                    model_span *o)
{
    const uint8_t *p = l->rec[lane] + (size_t)i * l->stride;
    uint32_t st = MODEL_REC_ST(MODEL_REC, p);
    if (st != MODEL_ESC) {
        model_sse e = model_rec_sse(l, lane, i);
        o->start = e.start;
        o->end = e.end;
        o->state = (uint8_t)e.state;
        if (l->site) {
            const model_gsp *g = (const model_gsp *)p;
            const model_site *x = &l->site[g->ss & MODEL_SITE_MASK];
            o->other = x->other;
            o->stack = x->stack;
            o->reason = x->reason;
            o->cat = x->cat;
            o->flags = x->flags;
        } else {
            const model_psp *q = (const model_psp *)p;
            o->other = (int32_t)(q->so & MODEL_POTHER_MASK) - 1;
            o->stack = o->reason = 0;
            o->cat = 0;
            o->flags = 0;
        }
        return;
    }
    const model_span *x = model_lanes_esc(l, lane, i);
    if (x)
        *o = *x;
    else
        memset(o, 0, sizeof *o);
}

typedef struct model_cache {
    /* episodes */
    model_episode *eps;
    uint32_t neps, eps_cap;
    uint32_t eps_lane;      /* lane whose episodes eps holds (+1; 0 none) */
    /* model_goroutine_top_episodes: the longest `top_max` of one lane */
    model_episode *top;
    uint32_t ntop, top_max, top_total;
    uint32_t top_lane;      /* lane whose top episodes top holds (+1; 0 none) */
    uint32_t *eps_count;    /* per goroutine lane: episode count + 1, 0 unknown */
    /* per goroutine lane with many blocks: the episode super-blocks (query.c,
     * ep_sblocks), built on first use; NULL until then */
    uint32_t **ep_sb;
    /* per lane kind, per lane with many spans: the end of the last span of
     * each complete block of MODEL_CK_EVERY spans (searched instead of the
     * spans themselves: model_lane_columns), followed by a time grid over
     * them (query.c, block_ends), built on first use */
    int64_t **bend[4];
    /* model_lane_columns: columns answered from whole blocks of spans
     * (checkpoint differences) without reading a span; statistics for the
     * tests (query.c, columns_by_blocks) */
    uint64_t lod_cols;
    /* lazily built goroutine-count series */
    int series_done;
    struct model_gseries *gser; /* series.c: all six series (compact) */
} model_cache;

struct model {
    tt_syms *syms;
    int own_syms;
    tt_file file;
    int own_file;
    model_info info;

    model_lanes lanes[4]; /* ML_GOROUTINE, ML_PROC, ML_THREAD, ML_GC */

    model_goroutine *gs;
    /* goroutine summaries: one variable-length record per goroutine (gstats.c),
     * the record of lane i at gsb + gs_off[i]; times relative to gs_t0 */
    uint8_t *gsb;
    uint32_t *gs_off;
    size_t gsb_len;
    int64_t gs_t0;
    uint32_t *kv_key;     /* reason / range ids (gstats point here) */
    int64_t *kv_ns;
    size_t nkv;
    int64_t *p_ids, *m_ids;

    model_range *ranges[MR__COUNT];
    uint32_t nranges[MR__COUNT];

    model_region *regions;
    uint32_t *g_region_off; /* ngoroutines+1 */
    model_log *logs;
    uint32_t *g_log_off;
    model_task *tasks;
    uint64_t *task_ref_ids; /* task_ref -> task id (regions and logs) */
    uint32_t ntask_refs;


    model_prof_rec *prof[MP__COUNT];

    model_ggroup *groups;
    uint32_t ngroups;
    uint32_t *group_lanes;
    uint32_t nprof[MP__COUNT];

    model_cache *cache;
};

/* int64 -> uint32 map; get returns UINT32_MAX when absent; put: 0 ok, -1 no
 * memory (values must not be UINT32_MAX). Keys from 0 up that are dense
 * enough (goroutine, stack and task ids mostly are: a trace of a million
 * goroutines has ids 1..1000000) live in a direct array, 4 bytes a slot, at
 * most 4 slots per entry there plus 1024 (model_imap_put); the others in an
 * open-addressing hash table of 12-byte slots, at most half full. Invariant:
 * a key below dcap is only ever in d. A zeroed model_imap is empty. */
typedef struct model_imap {
    int64_t *k;
    uint32_t *v;
    uint32_t cap, n;   /* hash part: slots (a power of two), entries */
    uint32_t *d;       /* direct part: d[key], UINT32_MAX: absent */
    uint32_t dcap, dn; /* its slots, entries */
} model_imap;
/* The slot of key k in a table of cap slots (a power of two). */
static inline uint32_t model_imap_slot(int64_t k, uint32_t cap)
{
    return (uint32_t)(((uint64_t)k * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}
/* Inline: the model builder looks up goroutines, Ps and Ms at most events. */
static inline uint32_t model_imap_get(const model_imap *m, int64_t k)
{
    if ((uint64_t)k < m->dcap)
        return m->d[k];
    if (!m->cap)
        return UINT32_MAX;
    for (uint32_t i = model_imap_slot(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->v[i] == UINT32_MAX)
            return UINT32_MAX;
        if (m->k[i] == k)
            return m->v[i];
    }
}
int model_imap_put(model_imap *m, int64_t k, uint32_t v);
void model_imap_free(model_imap *m);

/* Longest encoded model_gstats record. */
#define MODEL_GSTATS_MAX 200
/* Encode st (its reason/range pointers are not used: they are kv_key/kv_ns +
 * kv_off) into out; returns the length. */
size_t model_gstats_encode(uint8_t *out, const model_gstats *st, uint32_t kv_off, int64_t t0);

/* Build the episode super-blocks of every goroutine lane long enough to get
 * them (query.c), at the end of the build, so that the first panel of a
 * goroutine with millions of spans does not pay for them (nor for the
 * per-lane pointer array). Short of memory, they are built on first use. */
void model_index_episodes(const model *m);
/* Fill l->ck from the lanes' records. 0 ok, -1 no memory. */
int model_lanes_index(model_lanes *l);
size_t model_lanes_bytes(const model_lanes *l);
/* Fill m->groups / m->group_lanes from gs and the summaries (gstats.c). 0 ok, -1 no memory. */
int model_build_groups(model *m);
/* The CPUs this process may run on (sched_getaffinity; cpus.c). */
int model_cpus(void);
/* A CPU for a second thread: two or more CPUs, one free by the load average. */
int model_cpu_free(void);
/* model_builder_finish's second thread: 0 (default) when there are two CPUs,
 * one of them idle by the load average, and enough events; 1 never, 2 always
 * (tests). The model is the same. */
extern int model_build_threads;
/* The builder packs an ended goroutine's summary state and frees its
 * extended record (build.c, GX_DONE): 1 (default), 0 never (tests: the
 * model is the same). model_builder_retired: goroutines packed now. */
extern int model_build_retire;
uint32_t model_builder_retired(const model_builder *b);
/* Tests: 0 makes the builder keep a goroutine's scheduling-latency interval
 * in an extended record always, not in its 16-byte place (bsched; the model
 * is the same). model_builder_records: goroutines holding an extended
 * record (not packed) now. */
extern int model_build_sched_lite;
uint32_t model_builder_records(const model_builder *b);
/* Tests: 1 makes model_fmt_duration use snprintf for every value, as it did
 * before its integer path (model/safe.c); default 0. */
extern int model_fmt_duration_printf;
/* model_open's pipeline (open.c: the loader on a second thread, the
 * builder on the calling one) for full loads of 16 MiB and more: 1 never
 * (the default), 2 always, 0 when a CPU is free as above. The model is the
 * same. Off by default: on the 2-CPU VM it was measured on, idle, it saved
 * 0-7 % of gotv stats' wall time for 50-60 % more CPU time (copying each
 * 136-byte event to the other core costs about what the load it moves
 * does; bench/profile-pipe-s9.md). GOTV_THREADS=2 turns it on. */
extern int model_open_pipe;


/* ---- span searches shared by query.c and columns.c ------------------------ */

/* The hot functions below take the record stride S (MODEL_REC) as a
 * parameter and are inlined (AI), so that loops multiply by a constant. */
#define AI static inline __attribute__((always_inline))
#define SSE(l, lane, i) model_rec_sse_s(l, lane, i, S)

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

/* First index in [lo, hi) of the lane's spans with end > t; hi if none. */
AI uint32_t rec_after_s(const model_lanes *l, uint32_t lane, uint32_t lo, uint32_t hi, int64_t t,
                        const uint32_t S)
{
    if (hi - lo > 2 * MODEL_PBLOCK) {
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

/* The span holding t (start <= t < end), n if none. */
AI uint32_t span_at_s(const model_lanes *l, uint32_t idx, uint32_t n, int64_t t, const uint32_t S)
{
    uint32_t i = rec_after_s(l, idx, 0, n, t, S);
    if (i < n && SSE(l, idx, i).start <= t)
        return i;
    return n;
}

#endif

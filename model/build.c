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
#include "model/series_w.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX

#ifdef GOTV_MEMTRACE
#include <malloc.h>
#include <stdio.h>
#include <time.h>
/* Debug aid (built with -DGOTV_MEMTRACE): the RSS now and its peak since the
 * previous call (the peak is reset through /proc/self/clear_refs). Also used
 * by gotv --bench (tui/cmd_explore.c). */
void model_memtrace(const char *what);
void model_memtrace(const char *what)
{
    char line[256];
    long rss = -1, hwm = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6))
            rss = strtol(line + 6, NULL, 10);
        else if (!strncmp(line, "VmHWM:", 6))
            hwm = strtol(line + 6, NULL, 10);
    }
    if (f)
        fclose(f);
    struct mallinfo2 mi = mallinfo2();
    static double t_prev, c_prev;
    struct timespec ts, tc;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &tc);
    double t_now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    double c_now = (double)tc.tv_sec + (double)tc.tv_nsec * 1e-9;
    fprintf(stderr, "memtrace %7.3f s (cpu %7.3f s) ", t_prev ? t_now - t_prev : 0.0,
            t_prev ? c_now - c_prev : 0.0);
    t_prev = t_now;
    c_prev = c_now;
    fprintf(stderr, "%-24s rss %7ld KB  peak since last %7ld KB  heap used %7zu KB (mmap %7zu KB) free %7zu KB\n", what, rss, hwm,
            (mi.uordblks + mi.hblkhd) / 1024, mi.hblkhd / 1024, mi.fordblks / 1024);
    f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}
#else
#define model_memtrace(what) ((void)0)
#endif

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

#define VFREE(v) (free((v).a), (v).a = NULL, (v).n = (v).cap = 0)

/* Give back the growth slack of a finished array (never fails). */
static void *shrink(void *a, size_t n, size_t size)
{
    if (!a || !n)
        return a;
    void *p = realloc(a, n * size);
    return p ? p : a;
}

/* ---- span records --------------------------------------------------------- */

/* The builder writes the model's records (model_int.h) as spans close; a
 * record holds no end: when a lane's next span does not start where the
 * previous one ended (a gap), span_close makes the previous record escape. */

/* Encode s as a goroutine record at r, its block anchored at base, its
 * (stack, reason, cat, flags, other) at index site of the site table (UINT32_MAX:
 * none): 0, or 1 when it does not fit (r then holds an escape marker: the
 * caller keeps s in the escape table). */
static int gsp_encode(model_gsp *r, int64_t base, uint32_t site, const model_span *s)
{
    uint64_t off = (uint64_t)s->start - (uint64_t)base;
    int fit = s->start >= base && off <= UINT32_MAX && s->end >= s->start &&
              s->state < MODEL_ESC && site <= MODEL_SITE_MASK;
    if (!fit) {
        r->off = 0;
        r->ss = MODEL_ESC << MODEL_SITE_BITS;
        return 1;
    }
    r->off = (uint32_t)off;
    r->ss = site | (uint32_t)s->state << MODEL_SITE_BITS;
    return 0;
}

/* Encode s as a P/M/GC record at r, its block anchored at base: 0, or 1 when
 * it does not fit (as above). */
static int psp_encode(model_psp *r, int64_t base, const model_span *s)
{
    uint64_t off = (uint64_t)s->start - (uint64_t)base;
    int fit = s->start >= base && off <= UINT32_MAX && s->end >= s->start &&
              s->state < MODEL_ESC && !s->stack && !s->reason && !s->cat && !s->flags &&
              s->other >= -1 && s->other < (int32_t)MODEL_POTHER_MASK;
    if (!fit) {
        r->off = 0;
        r->so = MODEL_ESC << MODEL_POTHER_BITS;
        return 1;
    }
    r->off = (uint32_t)off;
    r->so = (uint32_t)(s->other + 1) | (uint32_t)s->state << MODEL_POTHER_BITS;
    return 0;
}

/* ---- builder state ------------------------------------------------------- */

/* Goroutine lanes: their spans as final records (model_gsp): a lane's first
 * GHEAD records in its head (one array of heads, in the order lanes begin:
 * most goroutines have a span or two), the others in chunks of GCHUNK
 * records, one growing array of chunks in the order lanes begin them: a
 * lane's records GHEAD + j*GCHUNK .. GHEAD + j*GCHUNK + GCHUNK-1 share a
 * chunk, and each chunk links to its lane's previous one (cprev), so no
 * record needs its lane (a trace may declare millions of goroutines: no
 * allocation per lane) and the grouping by lane at the end moves whole
 * chunks (take_spans). A lane's head and last chunk may be partly empty. The block
 * anchors are appended as blocks begin (av), each linked to its lane's
 * previous one (aprev). Spans that do not fit a record are in the builder's
 * esc[ML_GOROUTINE]. Grown by a quarter (large blocks grow by mremap in
 * glibc: no copying, and the untouched capacity costs no memory). */
#define GHEAD 2u
#define GCHUNK 8u
typedef struct gchunk {
    model_gsp r[GCHUNK];
} gchunk;

typedef struct ghead {
    model_gsp r[GHEAD];
} ghead;

/* Chunks of a lane of n records. */
static inline uint32_t tail_chunks(uint32_t n)
{
    return n > GHEAD ? (n - GHEAD + GCHUNK - 1) / GCHUNK : 0;
}

typedef struct spstore {
    gchunk *c;         /* chunks */
    uint32_t *cprev;   /* per chunk: the same lane's previous chunk (NONE32: none) */
    size_t nc, ccap;   /* chunks used, allocated */
    ghead *h;          /* heads */
    size_t nh, hcap;
    size_t n;          /* records */
    int64_t *av;       /* block anchors, in the order blocks begin */
    uint32_t *aprev;   /* the same lane's previous anchor */
    size_t na, acap;
} spstore;

/* A goroutine lane while building (parallel to the goroutine records): its
 * spans so far, the anchor of its current block (spstore.av), its head
 * (spstore.h), the chunk of its last record past the head (spstore.c) and the
 * last span's end. */
typedef struct glane {
    int64_t lend;
    uint32_t n, ai, ch, head;
} glane;

/* Record j of a lane: in its head, or in its current chunk (j must be in the
 * lane's last chunk). */
static inline model_gsp *grec(const spstore *v, const glane *gl, uint32_t j)
{
    return j < GHEAD ? &v->h[gl->head].r[j] : &v->c[gl->ch].r[(j - GHEAD) % GCHUNK];
}

/* An open span of a lane while building (32 bytes). */
typedef struct bspan {
    int64_t start;
    int64_t last;      /* end of the last span closed on the lane (INT64_MIN: none):
                          new spans never start before it */
    uint32_t stack, reason;
    int32_t other;
    uint8_t state, cat, flags;
    uint8_t gbits;     /* goroutine lanes: builder bits (GB_*), not part of the
                          span: lane_set and open_set keep them */
} bspan;

#define GB_GS 0x07       /* TT_GS_* now */
#define GB_LW_SHIFT 3    /* which pending summary time bg.l_t holds (LW_*) */
#define GB_LW (0x7 << GB_LW_SHIFT)
#define GB_ASSIST 0x40   /* inside a GC mark assist */
#define GB_SUMMARY 0x80  /* Go's summary has it (s.gs[id] != nil) */

/* Go's summary keeps five pending timestamps per goroutine (lastStartTime,
 * lastRunnableTime, lastBlockTime, lastSyscallTime, lastSyscallBlockTime); at
 * most one is set on a valid trace, except the syscall pair. */
enum { LW_NONE, LW_START, LW_RUNNABLE, LW_BLOCK, LW_SYS, LW_SYSBLOCK, LW__COUNT };
/* Summary accumulators and times kept in the extended record. */
enum { A_TOTAL, A_EXEC, A_SCHED, A_SYSCALL, A_SYSBLOCK, A_START, A_END, A__COUNT };

/* Per-goroutine maps (Go's BlockTimeByReason, RangeTime) are linked lists
 * in kvs / kvrs (newest first). A list longer than KV_WALK entries also has
 * every entry in a hash index (kvhash, key owner << 32 | key), so a goroutine
 * with thousands of distinct keys (hostile input) costs O(1) per lookup, not
 * O(keys). owner: the goroutine, NONE32 once its list was reset. */
typedef struct kv { /* a reason's block time (Go's BlockTimeByReason entry) */
    uint32_t key, next, owner;
    int64_t ns;
} kv;

typedef struct kvr { /* a range's time (RangeTime entry) */
    uint32_t key, next, owner;
    int64_t ns, last; /* last: lastRangeTime (0 = not in the map) */
} kvr;

#define KV_WALK 8

typedef struct kvhash {
    uint64_t *ok;  /* owner << 32 | key */
    uint32_t *ix;  /* entry index + 1, 0: empty slot */
    size_t cap, n; /* cap: a power of two (0: none yet) */
} kvhash;

/*
 * A goroutine while building, 64 bytes: what a goroutine that only appears in
 * a status event needs (a trace may declare millions of them). Everything
 * else (summary accumulators, profile tracking, the P/M it runs on, its
 * syscall, its open regions) lives in an extended record (bgx) created the
 * first time it is needed (x). Its model_goroutine lives in the parallel
 * array gg, which becomes the model's (reordered in place).
 */
typedef struct bg {
    bspan open;            /* open span; state MS_NONE = none */
    int64_t creation;      /* summary CreationTime */
    int64_t l_t;           /* pending summary time GB_LW (when x == NONE32) */
    uint32_t l_reason;     /* lastBlockReason */
    uint32_t kv_reason;    /* reason list head (kvs) */
    uint32_t x;            /* extended record (b->gx), NONE32: none yet */
    uint32_t name_stack;   /* stack whose outermost frame is the summary's Name
                              and PC (0: none) */
} bg;
_Static_assert(sizeof(bspan) == 32 && sizeof(bg) == 64, "builder records grew");

/* A goroutine without an extended record whose scheduling-latency interval
 * (MP_SCHED: it is Runnable) is open: its start and stack, parallel to gs
 * (on: 0 none). Entering Runnable is all that a created goroutine that never
 * runs does, and a trace can create millions of them: this keeps the
 * interval in 16 bytes instead of a ~190-byte bgx (fuzz/FINDINGS.md S13-1).
 * gx_new moves it into the record it makes, so a goroutine with an extended
 * record never has one here. */
typedef struct bsched {
    int64_t t;
    uint32_t stack, on;
} bsched;

typedef struct bgx {
    int64_t acc[A__COUNT]; /* A_* */
    int64_t l[LW__COUNT];  /* pending summary times (once x exists) */
    int64_t cur_p, cur_m;  /* P and M it runs on (-1 none) */
    int64_t sc_p;          /* syscallingG[id] (if sc_has) */
    int64_t tr_start[MP__COUNT];
    uint32_t tr_stack[MP__COUNT];
    uint32_t kv_range;     /* range list head (kvrs) */
    uint32_t region_top, depth;
    uint8_t sc_has;
    uint8_t tr_on;         /* profile tracking bits */
    uint8_t name_ok;       /* the goroutine's name_stack names it (g_name != 0):
                              sum_transition_x skips sum_name */
    uint8_t recyc;         /* this life began NotExist -> Syscall (a cgo callback
                              on a C thread, whose goroutine id comes back): its
                              profile intervals wait in pending (prof_transition) */
} bgx;

/* P, M and GC lanes are few and long: one array per lane (no sorting at the
 * end, no lane index per span), grown geometrically, of compact records
 * (model_psp, anchored at base[]; spans that do not fit go to the builder's
 * esc tables). */
typedef struct spvec {
    model_psp *a;
    int64_t *base;     /* cap / MODEL_PBLOCK + 1 anchors */
    int64_t lend;      /* the end of the last span */
    uint32_t n, cap;
} spvec;

typedef struct bp {
    int64_t id;
    spvec v;
    bspan open;
    uint8_t sc_has;
    int64_t sc_g;
} bp;

typedef struct bm {
    int64_t id;
    spvec v;
    bspan open;
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

/* A goroutine index (or lane) per record of regions or logs: 16-bit while
 * every one fits (NONE32 is kept as 0xffff), else 32-bit (widened in place,
 * in a block grown to 4 bytes a record). */
typedef struct gtag {
    uint16_t *a16;
    uint32_t *a32;         /* once widened (a16 NULL) */
    size_t n, cap;
} gtag;

/* Widen to 32 bits (the 16-bit block grown and filled from the back); the
 * 32-bit array, NULL when out of memory (v unchanged). */
static uint32_t *gtag_wide(gtag *v)
{
    if (v->a32)
        return v->a32;
    if (!v->a16) /* empty */
        return v->a32 = malloc(sizeof *v->a32);
    uint32_t *w = realloc(v->a16, sizeof *w * (v->cap ? v->cap : 1));
    if (!w)
        return NULL;
    const uint16_t *h = (const uint16_t *)(void *)w;
    for (size_t i = v->n; i-- > 0;) { /* w[i] covers h[2i], h[2i+1]: read before */
        uint16_t x = h[i];
        w[i] = x == 0xffff ? NONE32 : x;
    }
    v->a16 = NULL;
    v->a32 = w;
    return w;
}

static uint32_t gtag_get(const gtag *v, size_t i)
{
    if (v->a32)
        return v->a32[i];
    return v->a16[i] == 0xffff ? NONE32 : v->a16[i];
}

/* Set entry i to x (widening first when x does not fit 16 bits): 0, or -1
 * when out of memory. */
static int gtag_set(gtag *v, size_t i, uint32_t x)
{
    if (!v->a32 && x >= 0xffff && x != NONE32 && !gtag_wide(v))
        return -1;
    if (v->a32)
        v->a32[i] = x;
    else
        v->a16[i] = (uint16_t)x;
    return 0;
}

/* Append x (*oom set when out of memory). */
static void gtag_add(int *oom, gtag *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap < 256 ? 256 : v->cap + v->cap / 2;
        void *p = v->a32 ? realloc(v->a32, sizeof *v->a32 * ncap)
                         : realloc(v->a16, sizeof *v->a16 * ncap);
        if (!p) {
            *oom = 1;
            return;
        }
        if (v->a32)
            v->a32 = p;
        else
            v->a16 = p;
        v->cap = ncap;
    }
    v->n++;
    if (gtag_set(v, v->n - 1, x) != 0) {
        v->n--;
        *oom = 1;
    }
}

static void gtag_free(gtag *v)
{
    free(v->a16);
    free(v->a32);
    memset(v, 0, sizeof *v);
}

typedef struct log_late {
    int64_t gid;
    size_t i;              /* the log */
} log_late;

/* A profile interval [s, e] of goroutine gi, clipped at the finish by the
 * window of the goroutine's last life (model_builder_finish's loop). */
typedef struct pend {
    uint32_t gi, stack;
    uint8_t kind;
    int64_t s, e;
} pend;

#define RC_N 64 /* reason_info's cache slots (a power of two) */
#define GC_N 64 /* get_g's cache slots (a power of two) */
#define PC_N 4  /* get_p's */
#define MC_N 8  /* get_m's */

/* Direct-mapped caches in front of the id maps (an id's record index never
 * changes once made): slot id & (N-1) holds an id and its index + 1 (0:
 * empty). */
#define IDC(N)              \
    struct {                \
        int64_t id[N];      \
        uint32_t ix1[N];    \
    }
#define RI_CAT 0x0f /* reason_info: the model_cat */
#define RI_SYNC 0x10 /* reason_info: the sync profile keeps it */
_Static_assert(MC__COUNT <= RI_CAT + 1, "reason_info packs a model_cat in 4 bits");

struct model_builder {
    tt_syms *syms;
    int oom;
    int have_t;
    int64_t t_first, t_last, sync_ts;
    uint64_t nsync, nevents;
    model_imap gmap, pmap, mmap, tmap;
    IDC(GC_N) gcache;        /* in front of gmap, pmap, mmap */
    IDC(PC_N) pcache;
    IDC(MC_N) mcache;
    VEC(bg) gs;
    VEC(model_goroutine) gg; /* parallel to gs */
    VEC(bsched) gsch;        /* parallel to gs while the events are read */
    VEC(bgx) gx;
    uint32_t gx_free;        /* retired extended records' slots (linked by kv_range) */
    uint8_t *gxd;            /* retired records, packed (gx_retire) */
    size_t gxd_n, gxd_cap;
    VEC(bp) ps;
    VEC(bm) ms;
    spstore gsp;             /* goroutine lanes' spans */
    VEC(glane) gl;           /* parallel to gs */
    VEC(model_site) sites;   /* goroutine spans' distinct (stack, reason, cat, flags) */
    uint32_t *site_h;        /* hash slots: site index + 1, 0 empty */
    uint32_t site_hcap;      /* power of two (0: none yet) */
    uint32_t task_last_ref;  /* the last task_ref looked up */
    uint32_t rc_tag[RC_N];   /* reason cache (reason_info): string id + 1, 0 empty */
    uint8_t rc_info[RC_N];
    spvec gc_v;
    bspan gc_open;
    VEC(model_esc) esc[4];   /* escaped spans, key builder lane << 32 | index */
    VEC(kv) kvs;
    VEC(kvr) kvrs;
    kvhash kvs_h, kvrs_h; /* indexes of the long lists */
    VEC(model_range) ranges[MR__COUNT];
    VEC(orange) open_ranges;
    VEC(rangep) rangesp;
    uint8_t sc_none_has;
    int64_t sc_none_g;
    VEC(model_region) regions; /* an open region's end holds the previous open
                                  region of its goroutine (region_prev) */
    gtag region_g;           /* builder goroutine of each region, then its lane */
    VEC(model_log) logs;
    gtag log_g;              /* builder goroutine of each log (NONE32: none, or
                                not known yet: then in log_late), then its lane */
    VEC(log_late) log_late;  /* logs whose goroutine was not known yet, in order */
    model_imap task_refs;    /* task id -> task_ref */
    VEC(uint64_t) task_ref_ids;
    VEC(model_task) tasks;
    model_series_w *series[3]; /* heap, heap goal, GOMAXPROCS (compact) */
    model_imap pmaps[MP__COUNT];
    VEC(model_prof_rec) prof[MP__COUNT];
    VEC(pend) pending;
    uint32_t gomaxprocs_max;
    uint32_t ncpu;
    int64_t last_m, last_p; /* last context M/P known to have a record */
    uint32_t last_mi, last_pi; /* their records */
    /* well-known strings */
    uint32_t s_gc, s_sweep, s_assist, s_forever, s_network;
    uint32_t s_m_gomaxprocs, s_m_heap, s_m_goal;
    uint32_t gx_view_x;      /* the retired record unpacked in gx_view (bg.x), */
    bgx gx_view;             /* NONE32: none */
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

/* The open region below open region k on its goroutine's stack (NONE32:
 * none): an open region's end holds it. */
static uint32_t region_prev(const model_builder *b, uint32_t k)
{
    return (uint32_t)b->regions.a[k].end;
}

/* The record index of id in map m, through the cache of n slots (IDC(n):
 * ids, ixs; n a power of two), or NONE32. */
static inline uint32_t idc_find(int64_t *ids, uint32_t *ix1, uint64_t n, const model_imap *m,
                                int64_t id)
{
    uint64_t s = (uint64_t)id & (n - 1);
    if (ix1[s] && ids[s] == id)
        return ix1[s] - 1;
    uint32_t i = model_imap_get(m, id);
    if (i != NONE32) {
        ids[s] = id;
        ix1[s] = i + 1;
    }
    return i;
}

static uint32_t new_g(model_builder *b, int64_t id, int64_t t);

/* The builder goroutine of id, or NONE32. */
static inline uint32_t find_g(model_builder *b, int64_t id)
{
    return idc_find(b->gcache.id, b->gcache.ix1, GC_N, &b->gmap, id);
}

static inline uint32_t get_g(model_builder *b, int64_t id, int64_t t)
{
    uint32_t i = find_g(b, id);
    return i != NONE32 ? i : new_g(b, id, t);
}

/* A goroutine seen for the first time (get_g's slow path). */
static __attribute__((noinline)) uint32_t new_g(model_builder *b, int64_t id, int64_t t)
{
    size_t k = VADD(b, b->gs);
    size_t k2 = VADD(b, b->gg);
    size_t k3 = VADD(b, b->gl);
    size_t k4 = VADD(b, b->gsch);
    if (k == SIZE_MAX || k2 != k || k3 != k || k4 != k || k >= NONE32 ||
        model_imap_put(&b->gmap, id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    bg *g = &b->gs.a[k];
    model_goroutine *gg = &b->gg.a[k];
    gg->id = id;
    gg->parent = -1;
    gg->first = t;
    gg->last = t;
    g->kv_reason = NONE32;
    g->x = NONE32;
    g->open.state = MS_NONE;
    g->open.last = INT64_MIN;
    return (uint32_t)k;
}

/* Time differences and sums of the summary wrap around like Go's int64
 * arithmetic (a hostile trace can span more than 2^63 ns) instead of
 * overflowing. */
static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

/*
 * Retired extended records. When a goroutine ends (NotExist) its extended
 * record usually holds nothing but its summary (accumulators, range list,
 * name bit): gx_retire then packs those into b->gxd (~25 bytes instead of
 * a 192-byte record) and frees the slot for the next goroutine;
 * bg.x becomes GX_DONE + the packed record's offset. A trace may create
 * millions of goroutines, few of them alive at once. gx_of unpacks a retired
 * record into a slot again (the rare event on an ended goroutine), gx_view
 * reads it in place (the finish reads every goroutine's summary once).
 * What is not packed is known when retiring: pending times all 0, no
 * profile interval tracked, no syscall, not on a P or M, no open region
 * (tr_start, tr_stack and sc_p are only read under tr_on and sc_has).
 */
#define GX_DONE 0x80000000u /* bg.x: GX_DONE + offset in gxd (x != NONE32) */
/* A packed record: a flags byte, a 32-bit header of eight 4-bit byte counts
 * (the 7 accumulators, zigzag-coded: A_START from the trace's first event,
 * A_END from A_START, each when not 0 (GXD_START, GXD_END); then
 * kv_range + 1), the values' low bytes. Values are written and read 8
 * bytes at a time: gxd keeps GXD_MAX bytes past the last record's start. */
#define GXD_MAX (1 + 4 + (A__COUNT + 1) * 8)
enum { GXD_NAME_OK = 1, GXD_START = 2, GXD_END = 4 }; /* flags: START/END not 0 */

static inline uint64_t gxd_le(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

/* zigzag: small magnitudes of either sign in few bytes */
static inline uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t unzz(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }

/* An extended record's defaults: nothing accumulated, on no P or M, no
 * range list, no open region. */
static void gx_defaults(bgx *x)
{
    memset(x, 0, sizeof *x);
    x->cur_p = x->cur_m = -1;
    x->kv_range = x->region_top = NONE32;
}

/* A fresh extended record (defaults) in a free slot or a new one: its index,
 * NONE32 when out of memory. May move b->gx. */
static uint32_t gx_slot(model_builder *b)
{
    uint32_t k = b->gx_free;
    if (k != NONE32) {
        b->gx_free = b->gx.a[k].kv_range;
    } else {
        size_t n = VADD(b, b->gx);
        if (n == SIZE_MAX || n >= GX_DONE) {
            b->oom = 1;
            return NONE32;
        }
        k = (uint32_t)n;
    }
    gx_defaults(&b->gx.a[k]);
    return k;
}

/* Unpack the retired record at gxd offset off into x (x has the defaults). */
static void gxd_unpack(const model_builder *b, uint32_t off, bgx *x)
{
    const uint8_t *p = b->gxd + off;
    uint8_t fl = p[0];
    uint32_t h = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
    p += 5;
    uint64_t v[A__COUNT + 1];
    for (int a = 0; a <= A__COUNT; a++, h >>= 4) {
        unsigned n = h & 0xf;
        uint64_t w;
        memcpy(&w, p, sizeof w);
        w = gxd_le(w);
        v[a] = n ? w & (~UINT64_C(0) >> (64 - 8 * n)) : 0;
        p += n;
    }
    for (int a = 0; a < A__COUNT; a++)
        x->acc[a] = unzz(v[a]);
    x->acc[A_START] = fl & GXD_START ? wadd(b->t_first, x->acc[A_START]) : 0;
    x->acc[A_END] = fl & GXD_END ? wadd(x->acc[A_START], x->acc[A_END]) : 0;
    x->kv_range = (uint32_t)v[A__COUNT] - 1; /* 0: NONE32 */
    x->name_ok = fl & GXD_NAME_OK;
}

/* The range list of the retired record at gxd offset off (gxd_unpack's
 * kv_range alone). */
static uint32_t gxd_kv_range(const model_builder *b, uint32_t off)
{
    const uint8_t *p = b->gxd + off;
    uint32_t h = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
    p += 5;
    for (int a = 0; a < A__COUNT; a++, h >>= 4)
        p += h & 0xf;
    uint32_t v = 0;
    for (unsigned i = 0; i < (h & 0xf); i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v - 1; /* 0: NONE32 */
}

int model_build_retire = 1;

int model_build_sched_lite = 1;

uint32_t model_builder_records(const model_builder *b)
{
    uint32_t n = 0;
    for (size_t i = 0; b && i < b->gs.n; i++)
        n += b->gs.a[i].x < GX_DONE;
    return n;
}

uint32_t model_builder_retired(const model_builder *b)
{
    uint32_t n = 0;
    for (size_t i = 0; b && i < b->gs.n; i++)
        n += b->gs.a[i].x >= GX_DONE && b->gs.a[i].x != NONE32;
    return n;
}

/* The extended record of goroutine gi, which has just ended, packed if it
 * holds nothing else (see GX_DONE): not while a profile interval is tracked
 * (g_transition lets prof_transition end them first). */
static __attribute__((noinline)) void gx_retire(model_builder *b, uint32_t gi)
{
    if (gi >= b->gs.n || !model_build_retire)
        return;
    bg *g = &b->gs.a[gi];
    uint32_t k = g->x;
    if (k >= GX_DONE || (g->open.gbits & GB_GS) != TT_GS_NOTEXIST)
        return;
    bgx *x = &b->gx.a[k];
    if (x->tr_on || x->sc_has || x->cur_p != -1 || x->cur_m != -1 || x->region_top != NONE32 ||
        x->depth)
        return;
    for (int w = 0; w < LW__COUNT; w++)
        if (x->l[w])
            return;
    if (b->gxd_cap - b->gxd_n < GXD_MAX) {
        size_t ncap = b->gxd_cap + b->gxd_cap / 4 + 4096;
        uint8_t *nd = realloc(b->gxd, ncap);
        if (!nd)
            return; /* stays unpacked */
        b->gxd = nd;
        b->gxd_cap = ncap;
    }
    if (b->gxd_n >= GX_DONE - 1)
        return;
    uint8_t *p0 = b->gxd + b->gxd_n, *p = p0 + 5;
    uint64_t v[A__COUNT + 1];
    for (int a = 0; a < A__COUNT; a++)
        v[a] = x->acc[a];
    uint8_t fl = x->name_ok ? GXD_NAME_OK : 0;
    if (x->acc[A_START]) { /* a start or end of 0 (none) stays 0 */
        fl |= GXD_START;
        v[A_START] = (uint64_t)wsub(x->acc[A_START], b->t_first);
    }
    if (x->acc[A_END]) {
        fl |= GXD_END;
        v[A_END] = (uint64_t)wsub(x->acc[A_END], x->acc[A_START]);
    }
    uint32_t h = 0;
    for (int a = 0; a <= A__COUNT; a++) {
        uint64_t u = a < A__COUNT ? zz((int64_t)v[a]) : (uint32_t)(x->kv_range + 1u);
        unsigned n = u ? (unsigned)(71 - __builtin_clzll(u)) / 8 : 0;
        uint64_t w = gxd_le(u);
        memcpy(p, &w, sizeof w);
        p += n;
        h |= (uint32_t)n << (4 * a);
    }
    p0[0] = fl;
    p0[1] = (uint8_t)h;
    p0[2] = (uint8_t)(h >> 8);
    p0[3] = (uint8_t)(h >> 16);
    p0[4] = (uint8_t)(h >> 24);
    g->x = GX_DONE + (uint32_t)b->gxd_n;
    b->gxd_n += (size_t)(p - p0);
    x->kv_range = b->gx_free; /* region_top stays NONE32 (the finish reads it) */
    b->gx_free = k;
}

static __attribute__((cold, noinline)) bgx *gx_revive(model_builder *b, uint32_t gi);

/* The extended record of goroutine gi, or NULL if it has none yet. A retired
 * one is unpacked (gx_revive: that may move b->gx). */
static inline bgx *gx_of(model_builder *b, uint32_t gi)
{
    uint32_t x = b->gs.a[gi].x;
    if (__builtin_expect(x < GX_DONE, 1))
        return &b->gx.a[x];
    return x == NONE32 ? NULL : gx_revive(b, gi);
}

/* The extended record of goroutine gi to read (a retired one unpacked: the
 * last one is kept, a packed record never changes), or NULL if it has none.
 * Never moves b->gx. */
static inline const bgx *gx_view(model_builder *b, uint32_t gi)
{
    uint32_t x = b->gs.a[gi].x;
    if (x < GX_DONE)
        return &b->gx.a[x];
    if (x == NONE32)
        return NULL;
    if (b->gx_view_x != x) {
        gx_defaults(&b->gx_view);
        gxd_unpack(b, x - GX_DONE, &b->gx_view);
        b->gx_view_x = x;
    }
    return &b->gx_view;
}

/* gx_of's slow path: goroutine gi's retired record back in a slot. */
static bgx *gx_revive(model_builder *b, uint32_t gi)
{
    uint32_t off = b->gs.a[gi].x - GX_DONE;
    uint32_t k = gx_slot(b);
    if (k == NONE32)
        return NULL;
    bgx *x = &b->gx.a[k];
    gxd_unpack(b, off, x);
    b->gs.a[gi].x = k;
    return x;
}

static bgx *gx_new(model_builder *b, uint32_t gi);

/* The extended record of goroutine gi, created on first use (NULL: no memory).
 * May move b->gx (not b->gs). */
static inline bgx *gx_make(model_builder *b, uint32_t gi)
{
    bgx *x = gx_of(b, gi);
    return x ? x : gx_new(b, gi);
}

/* gx_make's slow path: goroutine gi has no extended record yet. */
static __attribute__((noinline)) bgx *gx_new(model_builder *b, uint32_t gi)
{
    uint32_t k = gx_slot(b);
    if (k == NONE32)
        return NULL;
    bg *g = &b->gs.a[gi];
    bgx *x = &b->gx.a[k];
    int w = (g->open.gbits & GB_LW) >> GB_LW_SHIFT;
    x->l[w] = g->l_t; /* l[LW_NONE] is unused */
    g->l_t = 0;
    g->open.gbits &= (uint8_t)~GB_LW;
    g->x = k;
    bsched *s = &b->gsch.a[gi];
    if (s->on) {
        x->tr_on |= 1u << MP_SCHED;
        x->tr_start[MP_SCHED] = s->t;
        x->tr_stack[MP_SCHED] = s->stack;
        s->on = 0;
    }
    return x;
}

static int64_t acc_get(model_builder *b, uint32_t gi, int a)
{
    const bgx *x = gx_view(b, gi);
    return x ? x->acc[a] : 0;
}

/* inlined: it was before extended records could be retired (sum_transition) */
static inline __attribute__((always_inline)) void acc_add(model_builder *b, uint32_t gi, int a,
                                                          int64_t d)
{
    if (d == 0)
        return;
    bgx *x = gx_make(b, gi);
    if (x)
        x->acc[a] = (int64_t)((uint64_t)x->acc[a] + (uint64_t)d);
}

static void acc_set(model_builder *b, uint32_t gi, int a, int64_t v)
{
    bgx *x = v ? gx_make(b, gi) : gx_of(b, gi);
    if (x)
        x->acc[a] = v;
}

/* Pending summary time w of goroutine gi (0: none, as in Go). */
static int64_t lget(model_builder *b, uint32_t gi, int w)
{
    uint32_t k = b->gs.a[gi].x;
    if (k < GX_DONE)
        return b->gx.a[k].l[w];
    if (k != NONE32)
        return 0; /* retired: none pending */
    const bg *g = &b->gs.a[gi];
    return ((g->open.gbits & GB_LW) >> GB_LW_SHIFT) == w ? g->l_t : 0;
}

static inline __attribute__((always_inline)) void lset(model_builder *b, uint32_t gi, int w,
                                                       int64_t t)
{
    bg *g = &b->gs.a[gi];
    if (g->x == NONE32) {
        int cur = (g->open.gbits & GB_LW) >> GB_LW_SHIFT;
        if (cur == w || cur == LW_NONE || g->l_t == 0) {
            g->l_t = t;
            g->open.gbits = (uint8_t)((g->open.gbits & ~GB_LW) |
                                      ((t ? w : LW_NONE) << GB_LW_SHIFT));
            return;
        }
        if (t == 0) /* clearing one that is not set */
            return;
    }
    bgx *x = gx_make(b, gi);
    if (x)
        x->l[w] = t;
}

static void lclear_all(model_builder *b, uint32_t gi)
{
    bg *g = &b->gs.a[gi];
    g->l_t = 0;
    g->open.gbits &= (uint8_t)~GB_LW;
    g->l_reason = 0;
    if (g->x < GX_DONE) /* retired: none pending */
        memset(b->gx.a[g->x].l, 0, sizeof b->gx.a[g->x].l);
}

/* The summary's Name / PC. */
static uint32_t g_name(const model_builder *b, const bg *g, uint64_t *pc)
{
    const tt_frame *fr = NULL;
    uint32_t n = g->name_stack ? tt_syms_stack_frames(b->syms, g->name_stack, &fr) : 0;
    if (!n || !fr) {
        if (pc)
            *pc = 0;
        return 0;
    }
    if (pc)
        *pc = fr[n - 1].pc;
    return fr[n - 1].func;
}

static uint32_t new_p(model_builder *b, int64_t id);

static inline uint32_t find_p(model_builder *b, int64_t id)
{
    return idc_find(b->pcache.id, b->pcache.ix1, PC_N, &b->pmap, id);
}

static inline uint32_t get_p(model_builder *b, int64_t id)
{
    uint32_t i = find_p(b, id);
    return i != NONE32 ? i : new_p(b, id);
}

/* get_p for the P of an event (or a P id >= 0 that may be it): the event's
 * P was looked up as it came (model_builder_event: last_p). */
static inline uint32_t get_p_ev(model_builder *b, int64_t id)
{
    return id == b->last_p && id >= 0 ? b->last_pi : get_p(b, id);
}

static __attribute__((noinline)) uint32_t new_p(model_builder *b, int64_t id)
{
    size_t k = VADD(b, b->ps);
    if (k == SIZE_MAX || k >= NONE32 || model_imap_put(&b->pmap, id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    b->ps.a[k].id = id;
    b->ps.a[k].open.other = -1;
    b->ps.a[k].open.last = INT64_MIN;
    return (uint32_t)k;
}

static uint32_t new_m(model_builder *b, int64_t id, int64_t t);

static inline uint32_t find_m(model_builder *b, int64_t id)
{
    return idc_find(b->mcache.id, b->mcache.ix1, MC_N, &b->mmap, id);
}

static inline uint32_t get_m(model_builder *b, int64_t id, int64_t t)
{
    uint32_t i = find_m(b, id);
    return i != NONE32 ? i : new_m(b, id, t);
}

/* get_m for the M of an event (or an M id >= 0 that may be it). */
static inline uint32_t get_m_ev(model_builder *b, int64_t id, int64_t t)
{
    return id == b->last_m && id >= 0 ? b->last_mi : get_m(b, id, t);
}

static __attribute__((noinline)) uint32_t new_m(model_builder *b, int64_t id, int64_t t)
{
    size_t k = VADD(b, b->ms);
    if (k == SIZE_MAX || k >= NONE32 || model_imap_put(&b->mmap, id, (uint32_t)k) != 0) {
        b->oom = 1;
        return NONE32;
    }
    b->ms.a[k].id = id;
    b->ms.a[k].open.state = MS_IDLE;
    b->ms.a[k].open.start = t;
    b->ms.a[k].open.other = -1;
    b->ms.a[k].open.last = INT64_MIN;
    return (uint32_t)k;
}

/* ---- spans --------------------------------------------------------------- */

static int sp_grow(model_builder *b, spstore *v)
{
    size_t ncap = v->ccap < 128 ? 128 : v->ccap + v->ccap / 4;
    if (ncap > UINT32_MAX / GCHUNK) /* lane offsets are 32-bit */
        ncap = UINT32_MAX / GCHUNK;
    if (ncap <= v->ccap) {
        b->oom = 1;
        return -1;
    }
    gchunk *nc = realloc(v->c, sizeof *nc * ncap);
    if (nc)
        v->c = nc;
    uint32_t *np = nc ? realloc(v->cprev, sizeof *np * ncap) : NULL;
    if (!np) {
        b->oom = 1;
        return -1;
    }
    v->cprev = np;
    v->ccap = ncap;
    return 0;
}

static int head_grow(model_builder *b, spstore *v)
{
    size_t ncap = v->hcap < 256 ? 256 : v->hcap + v->hcap / 4;
    if (ncap > UINT32_MAX)
        ncap = UINT32_MAX;
    ghead *nh = ncap > v->hcap ? realloc(v->h, sizeof *nh * ncap) : NULL;
    if (!nh) {
        b->oom = 1;
        return -1;
    }
    v->h = nh;
    v->hcap = ncap;
    return 0;
}

static int anc_grow(model_builder *b, spstore *v)
{
    size_t ncap = v->acap < 256 ? 256 : v->acap + v->acap / 2;
    if (ncap > UINT32_MAX)
        ncap = UINT32_MAX;
    if (ncap <= v->acap) {
        b->oom = 1;
        return -1;
    }
    int64_t *na = realloc(v->av, sizeof *na * ncap);
    if (na)
        v->av = na;
    uint32_t *np = na ? realloc(v->aprev, sizeof *np * ncap) : NULL;
    if (!np) {
        b->oom = 1;
        return -1;
    }
    v->aprev = np;
    v->acap = ncap;
    return 0;
}

/* A site's key: its 16 bytes as two words (the builder's sites have pad 0),
 * stack | reason << 32 and other | flags << 32 | cat << 48. */
static inline void site_key(const model_site *k, uint64_t w[2])
{
    memcpy(w, k, 2 * sizeof *w);
}

static inline uint64_t site_hash(uint64_t k0, uint64_t k1)
{
    uint64_t x = k0 * UINT64_C(0x9e3779b97f4a7c15);
    x ^= k1 + (x >> 29);
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    return x;
}

/* A hash slot holds the site's index + 1 (at most MODEL_SITE_MASK + 1, so 0
 * is empty) in its low SITE_TAG_SHIFT bits and bits of the key's hash above
 * them (the 3-bit tag): a probe loads the site of a slot (a cache miss when the
 * sites do not fit in the cache: a million distinct wakers, fuzz/FINDINGS.md
 * S15) only when the tags match, which is 1 in 8 for another key's slot.
 * The slot's position comes from the hash's upper 32 bits, the tag from the
 * top of its lower 32. */
#define SITE_TAG_SHIFT (MODEL_SITE_BITS + 1)
_Static_assert(SITE_TAG_SHIFT < 32, "site hash slots keep a tag");
static inline uint32_t site_slot_pos(uint64_t x) { return (uint32_t)(x >> 32); }
static inline uint32_t site_slot_tag(uint64_t x)
{
    return (uint32_t)x >> SITE_TAG_SHIFT << SITE_TAG_SHIFT;
}
#define SITE_SLOT_IX1(s) ((s) & ((1u << SITE_TAG_SHIFT) - 1)) /* index + 1 */

/* site_find's slow path: the table grown as needed, the key looked up, added
 * if new. */
/* The index of the site of key k0, k1 in the hash table (site_hcap != 0),
 * or UINT32_MAX with *slot the empty slot where it would go and *tag its
 * tag. */
static inline __attribute__((always_inline)) uint32_t site_probe(const model_builder *b,
                                                                 uint64_t k0, uint64_t k1,
                                                                 uint32_t *slot, uint32_t *tag)
{
    uint64_t x = site_hash(k0, k1);
    uint32_t mask = b->site_hcap - 1, h = site_slot_pos(x) & mask, t = site_slot_tag(x);
    for (uint32_t s; (s = b->site_h[h]) != 0; h = (h + 1) & mask) {
        if ((s ^ t) >> SITE_TAG_SHIFT)
            continue;
        uint64_t w[2];
        uint32_t i = SITE_SLOT_IX1(s) - 1;
        site_key(&b->sites.a[i], w);
        if (((w[0] ^ k0) | (w[1] ^ k1)) == 0)
            return i;
    }
    *slot = h;
    *tag = t;
    return UINT32_MAX;
}

static __attribute__((noinline)) uint32_t site_add(model_builder *b, uint64_t k0, uint64_t k1)
{
    if (b->sites.n * 2 >= b->site_hcap) { /* keep the load under a half */
        if (b->sites.n > MODEL_SITE_MASK)
            goto lookup_only;
        uint32_t nc = b->site_hcap ? b->site_hcap * 2 : 1024;
        uint32_t *nh = calloc(nc, sizeof *nh);
        if (!nh) {
            b->oom = 1;
            return UINT32_MAX;
        }
        for (size_t i = 0; i < b->sites.n; i++) {
            uint64_t w[2];
            site_key(&b->sites.a[i], w);
            uint64_t x = site_hash(w[0], w[1]);
            uint32_t h = site_slot_pos(x) & (nc - 1);
            while (nh[h])
                h = (h + 1) & (nc - 1);
            nh[h] = ((uint32_t)i + 1) | site_slot_tag(x);
        }
        free(b->site_h);
        b->site_h = nh;
        b->site_hcap = nc;
    }
lookup_only:;
    uint32_t h = 0, t = 0, found = site_probe(b, k0, k1, &h, &t);
    if (found != UINT32_MAX)
        return found;
    if (b->sites.n > MODEL_SITE_MASK)
        return UINT32_MAX;
    size_t i = VADD(b, b->sites);
    if (i == SIZE_MAX)
        return UINT32_MAX;
    memcpy(&b->sites.a[i], (uint64_t[2]){k0, k1}, sizeof b->sites.a[i]);
    b->site_h[h] = ((uint32_t)i + 1) | t;
    return (uint32_t)i;
}

/* The index of the site of key k0, k1 (site_key) in the site table, added if
 * new; UINT32_MAX when the table is full (MODEL_SITE_MASK + 1 sites: the span
 * escapes) or out of memory (b->oom). */
static inline uint32_t site_find(model_builder *b, uint64_t k0, uint64_t k1)
{
    if (__builtin_expect(b->site_hcap != 0, 1)) {
        uint32_t h, t, found = site_probe(b, k0, k1, &h, &t);
        if (found != UINT32_MAX)
            return found;
    }
    return site_add(b, k0, k1);
}

/* The site of sp's (stack, reason, cat, flags, other) (site_find). */
static uint32_t site_of(model_builder *b, const model_span *sp)
{
    model_site k = {sp->stack, sp->reason, sp->other, sp->flags, sp->cat, 0};
    uint64_t w[2];
    site_key(&k, w);
    return site_find(b, w[0], w[1]);
}

/* Close the open span of a lane at t. Returns 1 if a span was appended. */
static int span_close(model_builder *b, int kind, uint32_t lane, const bspan *open, int64_t t)
{
    if (open->state == MS_NONE || t <= open->start)
        return 0;
    if (kind == ML_GOROUTINE) {
        spstore *v = &b->gsp;
        glane *gl = &b->gl.a[lane];
        uint32_t j = gl->n; /* the new record */
        int newh = j == 0, newc = j >= GHEAD && (j - GHEAD) % GCHUNK == 0; /* it begins a chunk */
        if (newh && v->nh == v->hcap && head_grow(b, v) != 0)
            return 0;
        if (newc && v->nc == v->ccap && sp_grow(b, v) != 0)
            return 0;
        model_gsp *pr = j ? grec(v, gl, j - 1) : NULL;
        if (pr && open->start != gl->lend && (pr->ss >> MODEL_SITE_BITS) != MODEL_ESC) {
            /* a gap after the previous span: it escapes (its record has no
             * end); its block's anchor is still the lane's current one */
            const model_site *x = &b->sites.a[pr->ss & MODEL_SITE_MASK];
            model_span e = {0};
            e.start = (int64_t)((uint64_t)v->av[gl->ai] + pr->off);
            e.end = gl->lend;
            e.state = (uint8_t)(pr->ss >> MODEL_SITE_BITS);
            e.other = x->other;
            e.stack = x->stack;
            e.reason = x->reason;
            e.cat = x->cat;
            e.flags = x->flags;
            size_t k = VADD(b, b->esc[ML_GOROUTINE]);
            if (k == SIZE_MAX)
                return 0;
            b->esc[ML_GOROUTINE].a[k].key = (uint64_t)lane << 32 | (gl->n - 1);
            b->esc[ML_GOROUTINE].a[k].s = e;
            pr->off = 0;
            pr->ss = MODEL_ESC << MODEL_SITE_BITS;
        }
        if (gl->n % MODEL_PBLOCK == 0) { /* a new block: its anchor */
            if (v->na == v->acap && anc_grow(b, v) != 0)
                return 0;
            v->av[v->na] = open->start;
            v->aprev[v->na] = gl->ai;
            gl->ai = (uint32_t)v->na++;
        }
        if (newh)
            gl->head = (uint32_t)v->nh++;
        if (newc) {
            v->cprev[v->nc] = j > GHEAD ? gl->ch : NONE32;
            gl->ch = (uint32_t)v->nc++;
        }
        model_span sp = {open->start, t,          open->stack, open->reason,
                         open->other, open->state, open->cat,   open->flags};
        if (gsp_encode(grec(v, gl, j), v->av[gl->ai], site_of(b, &sp), &sp)) {
            size_t e = VADD(b, b->esc[ML_GOROUTINE]);
            if (e == SIZE_MAX)
                return 0;
            b->esc[ML_GOROUTINE].a[e].key = (uint64_t)lane << 32 | gl->n;
            b->esc[ML_GOROUTINE].a[e].s = sp;
        }
        gl->lend = t;
        gl->n++;
        v->n++;
        return 1;
    } else {
        spvec *v = kind == ML_PROC ? &b->ps.a[lane].v : kind == ML_THREAD ? &b->ms.a[lane].v
                                                                          : &b->gc_v;
        if (v->n == v->cap) {
            /* start small: a hostile trace may declare 100k Ps */
            uint32_t ncap = v->cap ? (v->cap < (1u << 30) ? v->cap * 2 : UINT32_MAX) : 2;
            model_psp *na = ncap > v->cap ? realloc(v->a, sizeof *na * ncap) : NULL;
            if (na)
                v->a = na;
            int64_t *nb = na ? realloc(v->base, sizeof *nb * (ncap / MODEL_PBLOCK + 1)) : NULL;
            if (!nb) {
                b->oom = 1;
                return 0;
            }
            v->base = nb;
            v->cap = ncap;
        }
        model_span sp = {open->start, t,          open->stack, open->reason,
                         open->other, open->state, open->cat,   open->flags};
        model_psp *pr = v->n ? &v->a[v->n - 1] : NULL;
        if (pr && sp.start != v->lend && (pr->so >> MODEL_POTHER_BITS) != MODEL_ESC) {
            /* a gap after the previous span: it escapes (its record has no end) */
            uint32_t j = v->n - 1;
            model_span e = {0};
            e.start = (int64_t)((uint64_t)v->base[j / MODEL_PBLOCK] + pr->off);
            e.end = v->lend;
            e.state = (uint8_t)(pr->so >> MODEL_POTHER_BITS);
            e.other = (int32_t)(pr->so & MODEL_POTHER_MASK) - 1;
            size_t k = VADD(b, b->esc[kind]);
            if (k == SIZE_MAX)
                return 0;
            b->esc[kind].a[k].key = (uint64_t)lane << 32 | j;
            b->esc[kind].a[k].s = e;
            pr->off = 0;
            pr->so = MODEL_ESC << MODEL_POTHER_BITS;
        }
        if (v->n % MODEL_PBLOCK == 0)
            v->base[v->n / MODEL_PBLOCK] = sp.start;
        if (psp_encode(&v->a[v->n], v->base[v->n / MODEL_PBLOCK], &sp)) {
            size_t e = VADD(b, b->esc[kind]);
            if (e == SIZE_MAX)
                return 0;
            b->esc[kind].a[e].key = (uint64_t)lane << 32 | v->n;
            b->esc[kind].a[e].s = sp;
        }
        v->lend = t;
        v->n++;
        return 1;
    }
}

/* span_close for goroutine lane `lane`: the common case inline (a span that
 * follows the lane's last one in the lane's current block, its record in the
 * lane's head or chunk or a new chunk with room, its start within 2^32 ns of
 * the block's anchor, its site in the table), the rest (a new block, a gap, a
 * growth, an escape) in span_close. */
static inline __attribute__((always_inline)) int g_close(model_builder *b, uint32_t lane,
                                                         const bspan *open, int64_t t)
{
    if (open->state == MS_NONE || t <= open->start)
        return 0;
    spstore *v = &b->gsp;
    glane *gl = &b->gl.a[lane];
    uint32_t j = gl->n; /* the new record: not a block's first, so not the lane's first */
    if (__builtin_expect(j % MODEL_PBLOCK == 0 || open->start != gl->lend, 0))
        return span_close(b, ML_GOROUTINE, lane, open, t);
    int newc = j >= GHEAD && (j - GHEAD) % GCHUNK == 0;
    int64_t base = v->av[gl->ai];
    uint64_t off = (uint64_t)open->start - (uint64_t)base;
    if (__builtin_expect(open->state >= MODEL_ESC || (newc && v->nc == v->ccap) ||
                             open->start < base || off > UINT32_MAX,
                         0))
        return span_close(b, ML_GOROUTINE, lane, open, t);
    uint64_t k0, k1;
    memcpy(&k0, &open->stack, sizeof k0); /* stack, reason */
    k1 = (uint32_t)open->other | (uint64_t)open->flags << 32 | (uint64_t)open->cat << 48;
    uint32_t site = site_find(b, k0, k1);
    if (__builtin_expect(site > MODEL_SITE_MASK, 0))
        return span_close(b, ML_GOROUTINE, lane, open, t);
    if (newc) {
        v->cprev[v->nc] = j > GHEAD ? gl->ch : NONE32;
        gl->ch = (uint32_t)v->nc++;
    }
    model_gsp *r = grec(v, gl, j);
    r->off = (uint32_t)off;
    r->ss = site | (uint32_t)open->state << MODEL_SITE_BITS;
    gl->lend = t;
    gl->n = j + 1;
    v->n++;
    return 1;
}

/* Replace an open span by nw begun at t (its last: last); keeps gbits. */
static void open_set(bspan *open, const bspan *nw, int64_t t, int64_t last)
{
    uint8_t keep = open->gbits;
    *open = *nw;
    open->start = t;
    open->last = last;
    open->gbits = keep;
}

/* Switch a lane's open span to a new state at t (no-op if nothing changes). */
static void lane_set(model_builder *b, int kind, uint32_t lane, bspan *open, int64_t t,
                     const bspan *nw)
{
    if (open->state == nw->state && open->other == nw->other && open->reason == nw->reason &&
        open->cat == nw->cat && open->stack == nw->stack && open->flags == nw->flags)
        return;
    int64_t last = open->last;
    if (t < last) /* never overlap the previous span (inconsistent input) */
        t = last;
    if (span_close(b, kind, lane, open, t))
        last = t;
    open_set(open, nw, t, last);
}

/* span_close for a P or M lane (kind) whose open span is to close at t, with
 * t > open->start and a state: the same records and escapes, without the
 * span built to be encoded; the rare cases (growth, a gap, an escape) in
 * span_close. Inlined into pm_set (its callers are the per-event paths). */
static inline __attribute__((always_inline)) int pm_close(model_builder *b, int kind,
                                                          uint32_t lane, spvec *v,
                                                          const bspan *open, int64_t t)
{
    uint32_t n = v->n;
    if (__builtin_expect(n == v->cap, 0) ||
        (n && open->start != v->lend && (v->a[n - 1].so >> MODEL_POTHER_BITS) != MODEL_ESC))
        return span_close(b, kind, lane, open, t);
    int64_t *base = &v->base[n / MODEL_PBLOCK];
    if (n % MODEL_PBLOCK == 0)
        *base = open->start;
    uint64_t off = (uint64_t)open->start - (uint64_t)*base;
    /* (a P or M lane's open span has no stack, reason, cat or flags, and a
     * state below MODEL_ESC: pm_set is its only writer after new_p/new_m) */
    _Static_assert(MS__COUNT <= MODEL_ESC, "a P/M state fits a record");
    if (__builtin_expect(open->start < *base || off > UINT32_MAX || open->other < -1 ||
                             open->other >= (int32_t)MODEL_POTHER_MASK,
                         0))
        return span_close(b, kind, lane, open, t);
    v->a[n].off = (uint32_t)off;
    v->a[n].so = (uint32_t)(open->other + 1) | (uint32_t)open->state << MODEL_POTHER_BITS;
    v->lend = t;
    v->n = n + 1;
    return 1;
}

/* lane_set for a P or M lane: the new span has a state and other only. */
static inline __attribute__((always_inline)) void pm_set(model_builder *b, int kind,
                                                         uint32_t lane, spvec *v, bspan *open,
                                                         int64_t t, uint8_t state,
                                                         int32_t other)
{
    if (open->state == state && open->other == other)
        return;
    int64_t last = open->last;
    if (t < last) /* never overlap the previous span (inconsistent input) */
        t = last;
    if (open->state != MS_NONE && t > open->start && pm_close(b, kind, lane, v, open, t))
        last = t;
    uint8_t keep = open->gbits;
    *open = (bspan){.start = t, .last = last, .other = other, .state = state, .gbits = keep};
}

static inline __attribute__((always_inline)) void p_set(model_builder *b, uint32_t pi,
                                                        int64_t t, uint8_t state, int32_t other)
{
    if (pi == NONE32)
        return;
    bp *p = &b->ps.a[pi];
    pm_set(b, ML_PROC, pi, &p->v, &p->open, t, state, other);
}

static inline __attribute__((always_inline)) void m_set(model_builder *b, uint32_t mi,
                                                        int64_t t, uint8_t state, int32_t other)
{
    if (mi == NONE32)
        return;
    bm *m = &b->ms.a[mi];
    pm_set(b, ML_THREAD, mi, &m->v, &m->open, t, state, other);
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
    bspan nw = {.state = stw ? MS_STW : mark ? MS_GC : MS_NONE,
                .other = stw ? (int32_t)stw_name : 0};
    lane_set(b, ML_GC, 0, &b->gc_open, t, &nw);
}

/* ---- summary (Go's Summarizer) ------------------------------------------- */

/* The slot of ok in h (its entry, or the empty slot where it goes). */
static size_t kvh_slot(const kvhash *h, uint64_t ok)
{
    size_t i = (size_t)((ok * 0x9e3779b97f4a7c15ull) >> 20) & (h->cap - 1);
    while (h->ix[i] && h->ok[i] != ok)
        i = (i + 1) & (h->cap - 1);
    return i;
}

/* Entry ix of ok in h (replacing what it had). */
static void kvh_put(model_builder *b, kvhash *h, uint64_t ok, uint32_t ix)
{
    if (2 * (h->n + 1) > h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 1024;
        kvhash g = {calloc(cap, sizeof *g.ok), calloc(cap, sizeof *g.ix), cap, h->n};
        if (!g.ok || !g.ix) {
            free(g.ok);
            free(g.ix);
            b->oom = 1;
            return;
        }
        for (size_t i = 0; i < h->cap; i++)
            if (h->ix[i]) {
                size_t s = kvh_slot(&g, h->ok[i]);
                g.ok[s] = h->ok[i];
                g.ix[s] = h->ix[i];
            }
        free(h->ok);
        free(h->ix);
        *h = g;
    }
    size_t s = kvh_slot(h, ok);
    if (!h->ix[s])
        h->n++;
    h->ok[s] = ok;
    h->ix[s] = ix + 1;
}

/* KV_FIND(T, v, h): the entry of key in owner's list (head) of vector v of
 * T, or NULL; *walked: KV_WALK if the list is longer than that (indexed),
 * else its length. KV_GET adds a missing entry (indexing the whole list when
 * it grows past KV_WALK). */
#define KV_FIND(T, v, h)                                                                       \
    static T *T##_find_w(model_builder *b, uint32_t owner, uint32_t head, uint32_t key,        \
                         uint32_t *walked)                                                     \
    {                                                                                          \
        uint32_t i = head, steps = 0;                                                          \
        for (; i != NONE32 && steps < KV_WALK; i = b->v.a[i].next, steps++)                    \
            if (b->v.a[i].key == key)                                                          \
                return &b->v.a[i];                                                             \
        *walked = i != NONE32 ? KV_WALK + 1 : steps;                                           \
        if (i == NONE32 || !b->h.cap)                                                          \
            return NULL;                                                                       \
        size_t s = kvh_slot(&b->h, (uint64_t)owner << 32 | key);                               \
        uint32_t x = b->h.ix[s];                                                               \
        if (x && b->v.a[x - 1].owner == owner && b->v.a[x - 1].key == key)                     \
            return &b->v.a[x - 1];                                                             \
        return NULL;                                                                           \
    }                                                                                          \
    static T *T##_get(model_builder *b, uint32_t owner, uint32_t *head, uint32_t key)          \
    {                                                                                          \
        uint32_t walked = 0;                                                                   \
        T *e = T##_find_w(b, owner, *head, key, &walked);                                      \
        if (e)                                                                                 \
            return e;                                                                          \
        size_t k = VADD(b, b->v);                                                              \
        if (k == SIZE_MAX || k >= NONE32)                                                      \
            return NULL;                                                                       \
        e = &b->v.a[k];                                                                        \
        e->key = key;                                                                          \
        e->owner = owner;                                                                      \
        e->next = *head;                                                                       \
        *head = (uint32_t)k;                                                                   \
        if (walked > KV_WALK)                                                                  \
            kvh_put(b, &b->h, (uint64_t)owner << 32 | key, (uint32_t)k);                       \
        else if (walked == KV_WALK)                                                            \
            for (uint32_t j = *head; j != NONE32; j = b->v.a[j].next)                          \
                kvh_put(b, &b->h, (uint64_t)owner << 32 | b->v.a[j].key, j);                   \
        return &b->v.a[k];                                                                     \
    }                                                                                          \
    /* The list at *head is dropped: its entries no longer answer lookups. */                  \
    static void T##_reset(model_builder *b, uint32_t *head)                                    \
    {                                                                                          \
        for (uint32_t j = *head; j != NONE32; j = b->v.a[j].next)                              \
            b->v.a[j].owner = NONE32;                                                          \
        *head = NONE32;                                                                        \
    }
KV_FIND(kv, kvs, kvs_h)
KV_FIND(kvr, kvrs, kvrs_h)

static kvr *kvr_find(model_builder *b, uint32_t owner, uint32_t head, uint32_t key)
{
    uint32_t walked;
    return kvr_find_w(b, owner, head, key, &walked);
}

static void reason_add(model_builder *b, uint32_t gi, uint32_t reason, int64_t d)
{
    kv *e = kv_get(b, gi, &b->gs.a[gi].kv_reason, reason);
    if (e)
        e->ns = wadd(e->ns, d);
}

static void sum_reset(model_builder *b, uint32_t gi, int64_t creation)
{
    bg *g = &b->gs.a[gi];
    g->open.gbits |= GB_SUMMARY;
    g->creation = creation;
    g->name_stack = 0;
    kv_reset(b, &g->kv_reason);
    lclear_all(b, gi);
    bgx *x = gx_of(b, gi);
    if (x) {
        memset(x->acc, 0, sizeof x->acc);
        kvr_reset(b, &x->kv_range);
        x->name_ok = 0;
        x->recyc = 0;
    }
}

/* Go's snapshotStat folded into the accumulators (into st if not NULL: at the
 * end of the trace, without keeping them), then the pending state cleared
 * (finalize). */
static void sum_finalize(model_builder *b, uint32_t gi, int64_t T, int has_trigger,
                         model_gstats *st)
{
    int64_t acc[A__COUNT] = {0}, l[LW__COUNT] = {0};
    const bgx *x = gx_view(b, gi);
    if (x) {
        memcpy(acc, x->acc, sizeof acc);
        memcpy(l, x->l, sizeof l);
    } else {
        const bg *g = &b->gs.a[gi];
        l[(g->open.gbits & GB_LW) >> GB_LW_SHIFT] = g->l_t;
    }
    if (has_trigger)
        acc[A_END] = T;
    if (acc[A_TOTAL] == 0)
        acc[A_TOTAL] = wsub(T, b->gs.a[gi].creation);
    if (l[LW_START])
        acc[A_EXEC] = wadd(acc[A_EXEC], wsub(T, l[LW_START]));
    if (l[LW_RUNNABLE])
        acc[A_SCHED] = wadd(acc[A_SCHED], wsub(T, l[LW_RUNNABLE]));
    if (l[LW_BLOCK])
        reason_add(b, gi, b->gs.a[gi].l_reason, wsub(T, l[LW_BLOCK]));
    if (l[LW_SYS])
        acc[A_SYSCALL] = wadd(acc[A_SYSCALL], wsub(T, l[LW_SYS]));
    if (l[LW_SYSBLOCK])
        acc[A_SCHED] = wadd(acc[A_SCHED], wsub(T, l[LW_SYSBLOCK]));
    x = gx_view(b, gi);
    for (uint32_t i = x ? x->kv_range : NONE32; i != NONE32; i = b->kvrs.a[i].next) {
        kvr *e = &b->kvrs.a[i];
        if (e->last) {
            e->ns = wadd(e->ns, wsub(T, e->last));
            e->last = 0;
        }
    }
    if (st) {
        st->total_ns = acc[A_TOTAL];
        st->exec_ns = acc[A_EXEC];
        st->sched_wait_ns = acc[A_SCHED];
        st->syscall_ns = acc[A_SYSCALL];
        st->syscall_block_ns = acc[A_SYSBLOCK];
        st->start = acc[A_START];
        st->end = acc[A_END];
    } else {
        for (int a = 0; a < A__COUNT; a++)
            acc_set(b, gi, a, acc[a]);
    }
    lclear_all(b, gi);
}

static void sc_del_p(model_builder *b, int64_t p)
{
    if (p < 0) {
        if (p == TT_NO_ID)
            b->sc_none_has = 0;
        return;
    }
    uint32_t pi = find_p(b, p);
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

/* The goroutine's summary name from its first transition stack with frames
 * (sum_transition). 1 when the goroutine has a name now (g_name != 0): its
 * name_stack then stays until sum_reset. */
static int sum_name(model_builder *b, uint32_t gi, const tt_event *ev)
{
    bg *g = &b->gs.a[gi];
    if (g_name(b, g, NULL) != 0)
        return 1;
    if (ev->tstack) {
        const tt_frame *fr = NULL;
        uint32_t n = tt_syms_stack_frames(b->syms, ev->tstack, &fr);
        if (n && fr) {
            g->name_stack = ev->tstack;
            return fr[n - 1].func != 0;
        }
    }
    return 0;
}

/* sum_transition between Running, Runnable and Waiting (not "forever") of
 * a goroutine with an extended record x, the bulk of a trace: the same as
 * the general path below with the pending times and accumulators read and
 * written in x directly (x does not move: no other record is made). 0 when
 * the transition is not one of these. */
static int sum_transition_x(model_builder *b, uint32_t gi, bgx *x, const tt_event *ev)
{
    int64_t t = ev->time;
    uint8_t from = ev->from, to = ev->to;
    if ((from != TT_GS_RUNNING && from != TT_GS_RUNNABLE && from != TT_GS_WAITING) ||
        (to != TT_GS_RUNNING && to != TT_GS_RUNNABLE && to != TT_GS_WAITING) ||
        (to == TT_GS_WAITING && ev->name == b->s_forever && b->s_forever))
        return 0;
    if (from == TT_GS_RUNNING) {
        int64_t d = wsub(t, x->l[LW_START]);
        if (d)
            x->acc[A_EXEC] = wadd(x->acc[A_EXEC], d);
        x->l[LW_START] = 0;
    } else if (from == TT_GS_WAITING) {
        int64_t lb = x->l[LW_BLOCK];
        if (lb) {
            reason_add(b, gi, b->gs.a[gi].l_reason, wsub(t, lb)); /* moves kvs, not gx */
            x->l[LW_BLOCK] = 0;
        }
    } else {
        int64_t lr = x->l[LW_RUNNABLE];
        if (lr) {
            int64_t d = wsub(t, lr);
            if (d)
                x->acc[A_SCHED] = wadd(x->acc[A_SCHED], d);
            x->l[LW_RUNNABLE] = 0;
        }
    }
    if (!x->name_ok)
        x->name_ok = (uint8_t)sum_name(b, gi, ev);
    if (to == TT_GS_RUNNING) {
        x->l[LW_START] = t;
        if (x->acc[A_START] == 0)
            x->acc[A_START] = t;
    } else if (to == TT_GS_RUNNABLE) {
        x->l[LW_RUNNABLE] = t;
    } else {
        x->l[LW_BLOCK] = t;
        b->gs.a[gi].l_reason = ev->name;
    }
    return 1;
}

static void sum_transition(model_builder *b, uint32_t gi, const tt_event *ev)
{
    int64_t t = ev->time;
    bgx *x0 = gx_of(b, gi);
    if (x0 && sum_transition_x(b, gi, x0, ev))
        return;
    switch (ev->from) {
    case TT_GS_UNDETERMINED: {
        sum_reset(b, gi, b->sync_ts);
        int64_t st = wsub(t, b->sync_ts);
        switch (ev->to) {
        case TT_GS_RUNNING:
            acc_add(b, gi, A_EXEC, st);
            break;
        case TT_GS_WAITING:
            reason_add(b, gi, ev->name, st);
            break;
        case TT_GS_RUNNABLE:
            acc_add(b, gi, A_SCHED, st);
            break;
        case TT_GS_SYSCALL:
            acc_add(b, gi, ev->p == TT_NO_ID ? A_SYSBLOCK : A_SYSCALL, st);
            break;
        }
        break;
    }
    case TT_GS_NOTEXIST:
        sum_reset(b, gi, t);
        break;
    case TT_GS_RUNNING:
        acc_add(b, gi, A_EXEC, wsub(t, lget(b, gi, LW_START)));
        lset(b, gi, LW_START, 0);
        break;
    case TT_GS_WAITING: {
        int64_t lb = lget(b, gi, LW_BLOCK);
        if (lb) {
            reason_add(b, gi, b->gs.a[gi].l_reason, wsub(t, lb));
            lset(b, gi, LW_BLOCK, 0);
        }
        break;
    }
    case TT_GS_RUNNABLE: {
        int64_t lr = lget(b, gi, LW_RUNNABLE);
        if (lr) {
            acc_add(b, gi, A_SCHED, wsub(t, lr));
            lset(b, gi, LW_RUNNABLE, 0);
        }
        break;
    }
    case TT_GS_SYSCALL: {
        int64_t ls = lget(b, gi, LW_SYS), lsb = lget(b, gi, LW_SYSBLOCK);
        if (ls) {
            if (lsb) {
                acc_add(b, gi, A_SYSBLOCK, wsub(t, lsb));
                acc_add(b, gi, A_SYSCALL, wsub(lsb, ls));
            } else {
                acc_add(b, gi, A_SYSCALL, wsub(t, ls));
            }
            lset(b, gi, LW_SYS, 0);
            lset(b, gi, LW_SYSBLOCK, 0);
            /* delete(syscallingP, syscallingG[id]): a missing entry reads as P 0 */
            bgx *x = gx_of(b, gi);
            sc_del_p(b, x && x->sc_has ? x->sc_p : 0);
            if (x)
                x->sc_has = 0;
        }
        break;
    }
    }
    sum_name(b, gi, ev);
    switch (ev->to) {
    case TT_GS_RUNNING:
        lset(b, gi, LW_START, t);
        if (acc_get(b, gi, A_START) == 0)
            acc_set(b, gi, A_START, t);
        break;
    case TT_GS_RUNNABLE:
        lset(b, gi, LW_RUNNABLE, t);
        break;
    case TT_GS_WAITING:
        if (ev->name != b->s_forever || b->s_forever == 0) {
            lset(b, gi, LW_BLOCK, t);
            b->gs.a[gi].l_reason = ev->name;
            break;
        }
        sum_finalize(b, gi, t, 1, NULL);
        break;
    case TT_GS_NOTEXIST:
        sum_finalize(b, gi, t, 1, NULL);
        break;
    case TT_GS_SYSCALL: {
        sc_set_p(b, ev->p, b->gg.a[gi].id);
        bgx *x = gx_make(b, gi);
        if (x) {
            x->sc_has = 1;
            x->sc_p = ev->p;
        }
        lset(b, gi, LW_SYS, t);
        break;
    }
    }
}

/* ---- profiles ------------------------------------------------------------ */

/* delays are >= 0; their sum saturates (hostile clocks: many goroutines
 * blocked ~2^61 ns on one stack overflowed int64, campaign G) */
static int64_t delay_sum(int64_t a, int64_t d)
{
    return d > INT64_MAX - a ? INT64_MAX : a + d;
}

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
    b->prof[k].a[i].delay_ns = delay_sum(b->prof[k].a[i].delay_ns, d);
    b->prof[k].a[i].pad_ = (uint32_t)b->nevents; /* last use, for merging */
}

/* What a goroutine's blocking reason (a string id) means: its model_cat
 * (RI_CAT) and RI_SYNC when the sync profile keeps it; cached, a trace has
 * few distinct reasons. */
static __attribute__((noinline)) uint8_t reason_info_new(model_builder *b, uint32_t reason)
{
    uint32_t slot = reason & (RC_N - 1);
    size_t n;
    const char *r = bstr(b, reason, &n);
    uint8_t info = (uint8_t)model_cat_of_reason(r, n);
    if (has_sub(r, n, "chan") || has_sub(r, n, "sync") || has_sub(r, n, "select"))
        info |= RI_SYNC;
    b->rc_tag[slot] = reason + 1;
    b->rc_info[slot] = info;
    return info;
}

/* reason_info: the cached answer inline, reason_info_new on a miss. */
static inline uint8_t reason_info(model_builder *b, uint32_t reason)
{
    uint32_t slot = reason & (RC_N - 1);
    if (b->rc_tag[slot] == reason + 1 && reason != UINT32_MAX)
        return b->rc_info[slot];
    return reason_info_new(b, reason);
}

static int prof_filter(model_builder *b, int k, uint32_t reason)
{
    switch (k) {
    case MP_NET:
        return b->s_network && reason == b->s_network;
    case MP_SYNC:
        return (reason_info(b, reason) & RI_SYNC) != 0;
    default:
        return 1;
    }
}

/* known: gk is goroutine gi's extended record as g_transition has it (NULL:
 * none: it tracks nothing), else it is looked up.
 * Without one, the MP_SCHED interval may be open in b->gsch (bsched). */
static inline __attribute__((always_inline)) void
prof_transition(model_builder *b, uint32_t gi, const tt_event *ev, int known, bgx *gk)
{
    /* The kinds whose interval the new state is (MP_NET and MP_SYNC: Waiting,
     * MP_SYSCALL: Syscall, MP_SCHED: Runnable): an interval starts for such a
     * kind not tracked yet, and ends for a tracked kind not among them. */
    unsigned tmask = ev->to == TT_GS_WAITING    ? 1u << MP_NET | 1u << MP_SYNC
                     : ev->to == TT_GS_SYSCALL  ? 1u << MP_SYSCALL
                     : ev->to == TT_GS_RUNNABLE ? 1u << MP_SCHED
                                                : 0;
    /* A goroutine without a record may have its MP_SCHED interval in gsch
     * (bsched): it gets its record now, which takes the interval over, and
     * everything below is as if the record had been made when it started. */
    if (__builtin_expect(!(known ? gk != NULL : b->gs.a[gi].x != NONE32), 0) &&
        b->gsch.a[gi].on) {
        if (!(gk = gx_make(b, gi)))
            return;
        known = 1;
    }
    unsigned act;
    if (known) {
        act = (gk ? gk->tr_on : 0u) ^ tmask;
    } else {
        uint32_t x0 = b->gs.a[gi].x; /* none or retired: nothing tracked */
        act = (x0 < GX_DONE ? b->gx.a[x0].tr_on : 0u) ^ tmask;
    }
    if (!act)
        return;
    /* the record, looked up once (a retired one revived, as any lookup
     * does); only gx_make below moves b->gx, and g is taken from it */
    bgx *g = known ? gk : gx_of(b, gi);
    for (; act; act &= act - 1) {
        int k = __builtin_ctz(act); /* in order of kind */
        uint8_t bit = (uint8_t)(1u << k);
        if (!g || !(g->tr_on & bit)) {
            if (prof_filter(b, k, ev->name)) {
                if (!g && k == MP_SCHED && model_build_sched_lite) { /* no record */
                    bsched *sq = &b->gsch.a[gi];
                    sq->on = 1;
                    sq->t = ev->time;
                    sq->stack = ev->stack;
                    continue;
                }
                if (!g && !(g = gx_make(b, gi)))
                    return;
                g->tr_on |= bit;
                g->tr_start[k] = ev->time;
                g->tr_stack[k] = ev->stack;
            }
            continue;
        }
        g->tr_on &= (uint8_t)~bit;
        int64_t s = g->tr_start[k], e = ev->time;
        uint32_t stack = g->tr_stack[k];
        /* Overlap with the goroutine's [StartTime, EndTime or trace end]: the
         * end is never before e; StartTime is final once set. Go takes that
         * window from the id's last life (its summary replaces the earlier
         * ones), so an interval waits for the finish while StartTime is not
         * known, or while a later life may come (recyc). */
        int64_t gstart = g->acc[A_START];
        if (gstart && !g->recyc) {
            int64_t d = e - (s > gstart ? s : gstart);
            if (e >= gstart && d > 0)
                prof_add(b, k, stack, d);
        } else if (e - s > 0) {
            size_t p = VADD(b, b->pending);
            if (p != SIZE_MAX)
                b->pending.a[p] = (pend){.gi = gi, .stack = stack, .kind = (uint8_t)k, .s = s, .e = e};
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
    model_goroutine *G = &b->gg.a[gi];
    G->last = t;
    if (ev->from != ev->to) {
        sum_transition(b, gi, ev);
        if (ev->from == TT_GS_NOTEXIST && ev->g != TT_NO_ID) {
            G->parent = ev->g;
            G->create_stack = ev->stack;
        }
        if (G->func == 0)
            G->func = g_name(b, &b->gs.a[gi], NULL);
        /* goroutine lane */
        bspan nw = {.other = -1};
        int64_t at = t;
        if (ev->from == TT_GS_UNDETERMINED) {
            at = b->sync_ts;
            nw.flags |= MSF_FROM_START;
            if (at < G->first)
                G->first = at;
        }
        nw.stack = ev->tstack ? ev->tstack : ev->stack;
        bg *g = &b->gs.a[gi];
        if (g->open.gbits & GB_ASSIST)
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
        case TT_GS_WAITING:
            nw.state = MS_WAITING;
            nw.reason = ev->name;
            nw.cat = reason_info(b, ev->name) & RI_CAT;
            break;
        case TT_GS_SYSCALL:
            nw.state = (ev->from == TT_GS_UNDETERMINED && ev->p == TT_NO_ID) ? MS_SYSCALL_BLOCKED
                                                                              : MS_SYSCALL;
            break;
        default:
            nw.state = MS_NONE;
            break;
        }
        int64_t last = g->open.last;
        if (at < last) /* never overlap the previous span (inconsistent input) */
            at = last;
        if (g->open.state == MS_WAITING && ev->to == TT_GS_RUNNABLE) {
            g->open.other = nw.other;
            g->open.flags |= MSF_UNBLOCKED;
        }
        if (g_close(b, gi, &g->open, at))
            last = at;
        open_set(&g->open, &nw, at, last);
        int32_t gid32 = (G->id < 0 || G->id > INT32_MAX) ? -1 : (int32_t)G->id;
        /* the extended record: nothing below makes another goroutine's (x
         * stays where it is) */
        bgx *x = gx_of(b, gi);
        /* P and M lanes */
        if (ev->to == TT_GS_RUNNING || (ev->to == TT_GS_SYSCALL && !executing(ev->from))) {
            if (ev->p >= 0) {
                uint32_t pi = get_p_ev(b, ev->p);
                p_set(b, pi, at, MS_RUNNING, gid32);
                if (!x)
                    x = gx_make(b, gi);
                if (x)
                    x->cur_p = ev->p;
            }
        }
        if (executing(ev->to) && ev->m >= 0) {
            uint32_t mi = get_m_ev(b, ev->m, t);
            m_set(b, mi, at, ev->to == TT_GS_RUNNING ? MS_RUNNING : MS_SYSCALL, gid32);
            if (!x)
                x = gx_make(b, gi);
            if (x)
                x->cur_m = ev->m;
        }
        if (executing(ev->from) && !executing(ev->to) && x) {
            if (x->cur_p >= 0) {
                uint32_t pi = x->cur_p == b->last_p ? b->last_pi : find_p(b, x->cur_p);
                if (pi != NONE32 && b->ps.a[pi].open.other == gid32)
                    p_set(b, pi, t, b->ps.a[pi].open.state, -1);
            }
            if (x->cur_m >= 0) {
                uint32_t mi = x->cur_m == b->last_m ? b->last_mi : find_m(b, x->cur_m);
                if (mi != NONE32 && b->ms.a[mi].open.other == gid32)
                    m_set(b, mi, t, MS_IDLE, -1);
            }
            x->cur_p = x->cur_m = -1;
        }
        g = &b->gs.a[gi];
        g->open.gbits = (uint8_t)((g->open.gbits & ~GB_GS) | (ev->to & GB_GS));
        if (ev->to == TT_GS_NOTEXIST || (ev->to == TT_GS_WAITING && ev->name == b->s_forever &&
                                          b->s_forever)) {
            /* close the goroutine's open regions at its end */
            while (x && x->region_top != NONE32) {
                uint32_t r = x->region_top;
                x->region_top = region_prev(b, r);
                b->regions.a[r].end = t;
            }
            if (x)
                x->depth = 0;
        }
        if (ev->from == TT_GS_NOTEXIST && ev->to == TT_GS_SYSCALL) {
            /* GoCreateSyscall: the runtime gives a C thread's callbacks the
             * same goroutine id each time */
            if (!x)
                x = gx_make(b, gi);
            if (x)
                x->recyc = 1;
        }
        /* the intervals it tracks end here (a syscall's at a thread's exit)
         * before its record is packed */
        prof_transition(b, gi, ev, 1, x);
        if (ev->to == TT_GS_NOTEXIST)
            gx_retire(b, gi);
        return;
    }
    prof_transition(b, gi, ev, 0, NULL);
}

static void p_transition(model_builder *b, const tt_event *ev)
{
    if (ev->from == ev->to)
        return;
    int64_t t = ev->time;
    uint32_t pi = get_p_ev(b, ev->id);
    if (pi == NONE32)
        return;
    if (ev->to == TT_PS_IDLE) {
        /* Go's summary: a P going idle while its goroutine is in a syscall */
        bp *p = &b->ps.a[pi];
        if (p->sc_has) {
            uint32_t gi = find_g(b, p->sc_g);
            if (gi != NONE32 && (b->gs.a[gi].open.gbits & GB_SUMMARY))
                lset(b, gi, LW_SYSBLOCK, t);
            p = &b->ps.a[pi];
            p->sc_has = 0;
        }
        /* lanes: the goroutine bound to the P in a syscall now blocks */
        int32_t other = b->ps.a[pi].open.other;
        if (other >= 0) {
            uint32_t gi = find_g(b, other);
            if (gi != NONE32 && (b->gs.a[gi].open.gbits & GB_GS) == TT_GS_SYSCALL &&
                b->gs.a[gi].open.state == MS_SYSCALL) {
                bspan nw = b->gs.a[gi].open;
                nw.state = MS_SYSCALL_BLOCKED;
                lane_set(b, ML_GOROUTINE, gi, &b->gs.a[gi].open, t, &nw);
                bgx *x = gx_of(b, gi);
                if (x)
                    x->cur_p = -1;
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
    uint32_t gi = find_g(b, gid);
    if (gi == NONE32)
        return;
    if (on)
        b->gs.a[gi].open.gbits |= GB_ASSIST;
    else
        b->gs.a[gi].open.gbits &= (uint8_t)~GB_ASSIST;
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
        /* a range active when the trace began (first generation) began
         * before it: drawn from the trace's start, as Go's viewer does
         * (and as an end without a begin above) */
        r->start = ev->kind == TT_EV_RANGE_ACTIVE ? b->t_first : ev->time;
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
static uint32_t sum_g(model_builder *b, int64_t id)
{
    uint32_t gi = find_g(b, id);
    if (gi == NONE32 || !(b->gs.a[gi].open.gbits & GB_SUMMARY))
        return NONE32;
    return gi;
}

static void sum_ranges(model_builder *b, const tt_event *ev)
{
    uint32_t gi = NONE32;
    if (ev->kind == TT_EV_RANGE_BEGIN || ev->kind == TT_EV_RANGE_ACTIVE) {
        if (ev->res == TT_RES_GOROUTINE) {
            gi = sum_g(b, ev->id);
        } else if (ev->res == TT_RES_PROC) {
            gi = sum_g(b, ev->g);
            if (gi != NONE32) {
                size_t i;
                for (i = 0; i < b->rangesp.n; i++)
                    if (b->rangesp.a[i].p == ev->id && b->rangesp.a[i].name == ev->name)
                        break;
                if (i == b->rangesp.n) {
                    i = VADD(b, b->rangesp);
                    if (i == SIZE_MAX)
                        return;
                }
                b->rangesp.a[i].p = ev->id;
                b->rangesp.a[i].name = ev->name;
                b->rangesp.a[i].g = ev->g;
            }
        }
        if (gi == NONE32)
            return;
        bgx *x = gx_make(b, gi);
        if (!x)
            return;
        kvr *e = kvr_get(b, gi, &x->kv_range, ev->name); /* moves kvrs, not gx */
        if (!e)
            return;
        if (ev->kind == TT_EV_RANGE_ACTIVE) {
            if (e->last)
                e->ns = wadd(e->ns, wsub(b->sync_ts, e->last));
            e->last = b->sync_ts;
        } else {
            e->last = ev->time;
        }
    } else {
        if (ev->res == TT_RES_GOROUTINE) {
            gi = sum_g(b, ev->id);
        } else if (ev->res == TT_RES_PROC) {
            for (size_t i = 0; i < b->rangesp.n; i++) {
                rangep *r = &b->rangesp.a[i];
                if (r->p == ev->id && r->name == ev->name) {
                    if (r->g == ev->g)
                        gi = sum_g(b, r->g);
                    b->rangesp.a[i] = b->rangesp.a[--b->rangesp.n];
                    break;
                }
            }
        }
        bgx *x = gi == NONE32 ? NULL : gx_of(b, gi);
        if (!x)
            return;
        kvr *e = kvr_find(b, gi, x->kv_range, ev->name);
        if (!e || !e->last)
            return;
        e->ns = wadd(e->ns, wsub(ev->time, e->last));
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
    t->begin_g = t->end_g = TT_NO_ID;
    return (uint32_t)k;
}

/* The task_ref of task id (added on first sight); 0 and b->oom set when
 * out of memory. */
static uint32_t task_ref(model_builder *b, uint64_t id)
{
    if (b->task_ref_ids.n && b->task_ref_ids.a[b->task_last_ref] == id)
        return b->task_last_ref;
    uint32_t r = model_imap_get(&b->task_refs, (int64_t)id);
    if (r == NONE32) {
        size_t k = VADD(b, b->task_ref_ids);
        if (k == SIZE_MAX || k >= NONE32 || model_imap_put(&b->task_refs, (int64_t)id, (uint32_t)k) != 0) {
            b->oom = 1;
            return 0;
        }
        b->task_ref_ids.a[k] = id;
        r = (uint32_t)k;
    }
    b->task_last_ref = r;
    return r;
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
        if (k == SIZE_MAX)
            return;
        gtag_add(&b->oom, &b->region_g, gi);
        bgx *g = gx_make(b, gi);
        if (!g || b->oom)
            return;
        model_region *r = &b->regions.a[k];
        r->start = ev->time;
        r->task_ref = task_ref(b, (uint64_t)ev->id);
        r->name = ev->name;
        r->stack = ev->stack;
        r->depth = (uint16_t)(g->depth > 0xffff ? 0xffff : g->depth);
        r->flags = MRF_NO_END;
        r->end = g->region_top; /* open: the previous open region (region_prev) */
        g->region_top = (uint32_t)k;
        g->depth++;
    } else {
        bgx *g = gx_of(b, gi);
        if (g && g->region_top != NONE32) {
            uint32_t k = g->region_top;
            model_region *r = &b->regions.a[k];
            g->region_top = region_prev(b, k);
            r->end = ev->time;
            r->flags &= (uint16_t)~MRF_NO_END;
            if (g->depth)
                g->depth--;
        } else {
            size_t k = VADD(b, b->regions);
            if (k == SIZE_MAX)
                return;
            gtag_add(&b->oom, &b->region_g, gi);
            if (b->oom)
                return;
            model_region *r = &b->regions.a[k];
            r->start = b->t_first;
            r->end = ev->time;
            r->task_ref = task_ref(b, (uint64_t)ev->id);
            r->name = ev->name;
            r->flags = MRF_NO_BEGIN;
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
    b->gx_free = b->gx_view_x = NONE32;
    b->syms = syms;
    b->gc_open.state = MS_NONE;
    b->gc_open.last = INT64_MIN;
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
    model_memtrace("builder new");
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
        uint32_t mi = get_m(b, ev->m, t);
        if (mi != NONE32) {
            b->last_m = ev->m;
            b->last_mi = mi;
        }
    }
    /* (a P's lane is made by what it shows: its own transitions, the
     * goroutines that run on it, its ranges; not by any event on it: the
     * old format's converted events sit on fake Ps, 1000003 for syscalls
     * and 1000004 for GC, which Go's viewer does not show either) */
    if (ev->p >= 0 && ev->p != b->last_p) {
        uint32_t pi = find_p(b, ev->p);
        if (pi != NONE32) {
            b->last_p = ev->p;
            b->last_pi = pi;
        }
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
        /* (a point at the time of the previous one replaces it) */
        if (!b->series[k] && !(b->series[k] = model_series_w_new()))
            b->oom = 1;
        else if (model_series_w_push(b->series[k], t, ev->arg[0]))
            b->oom = 1;
        break;
    }
    case TT_EV_LABEL:
        if (ev->res == TT_RES_GOROUTINE || ev->res == TT_RES_NONE) {
            int64_t id = ev->res == TT_RES_GOROUTINE ? ev->id : ev->g;
            uint32_t gi = find_g(b, id);
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
            tk->begin_g = ev->g;
        } else {
            tk->end = t;
            tk->end_g = ev->g;
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
        uint32_t gi = ev->g == TT_NO_ID ? NONE32 : find_g(b, ev->g);
        gtag_add(&b->oom, &b->log_g, gi);
        if (b->oom)
            break;
        if (gi == NONE32 && ev->g != TT_NO_ID) { /* its lane is found at the end */
            size_t z = VADD(b, b->log_late);
            if (z == SIZE_MAX)
                break;
            b->log_late.a[z].gid = ev->g;
            b->log_late.a[z].i = k;
        }
        model_log *l = &b->logs.a[k];
        l->time = t;
        l->task_ref = task_ref(b, (uint64_t)ev->id);
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

/* Sort v[0..n) by id (ids distinct) by radix, 11 bits of id - min a pass
 * (passes whose digit is the same for all are skipped), when the ids span
 * less than 2^32: goroutine ids are small and nearly in order, where qsort
 * compared ~19 times an id. -1 when they span more or out of memory (v
 * unchanged). */
#define RADIX_BITS 11
static inline uint32_t rdigit(int64_t id, int64_t lo, unsigned sh)
{
    return ((uint32_t)((uint64_t)id - (uint64_t)lo) >> sh) & ((1u << RADIX_BITS) - 1);
}

static int radix_idpairs(idpair *v, size_t n)
{
    if (n == 0)
        return 0;
    int64_t lo = v[0].id, hi = v[0].id;
    for (size_t i = 1; i < n; i++) {
        if (v[i].id < lo)
            lo = v[i].id;
        if (v[i].id > hi)
            hi = v[i].id;
    }
    if ((uint64_t)hi - (uint64_t)lo > UINT32_MAX)
        return -1;
    idpair *t = malloc(sizeof *t * n);
    uint32_t *cnt = malloc(sizeof *cnt << RADIX_BITS);
    if (!t || !cnt) {
        free(t);
        free(cnt);
        return -1;
    }
    idpair *src = v, *dst = t;
    for (unsigned sh = 0; sh < 32; sh += RADIX_BITS) {
        memset(cnt, 0, sizeof *cnt << RADIX_BITS);
        for (size_t i = 0; i < n; i++)
            cnt[rdigit(src[i].id, lo, sh)]++;
        if (cnt[rdigit(src[0].id, lo, sh)] == n)
            continue; /* one digit for all: in order by it already */
        uint32_t at = 0;
        for (uint32_t d = 0; d < 1u << RADIX_BITS; d++) {
            uint32_t c = cnt[d];
            cnt[d] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[rdigit(src[i].id, lo, sh)]++] = src[i];
        idpair *x = src;
        src = dst;
        dst = x;
    }
    if (src != v)
        memcpy(v, src, sizeof *v * n);
    free(t);
    free(cnt);
    return 0;
}

/* ---- grouping goroutine records by lane in place -------------------------- */

/* Put every record at its destination: a[i] belongs at dest[i] - base, where
 * dest[0..n) is a permutation of [base, base + n) (clobbered). MSD radix on
 * the destination, American flag style (records are swapped to 256 bucket
 * frontiers: cache-friendly, unlike following the permutation's cycles
 * through the whole array, where every step waits for a random load); the
 * buckets' bounds are known (the keys are a permutation), no counting pass.
 * Parts of at most PLACE_LOCAL bytes (in L2) follow their cycles directly.
 * No comparison, no extra memory. */
#define PLACE_LOCAL (256u << 10)
#define PLACE_T(name, T)                                                        \
    static void name(T *a, uint32_t *dest, size_t n, uint32_t base)             \
    {                                                                           \
        if (n <= PLACE_LOCAL / sizeof(T)) {                                     \
            for (size_t i = 0; i < n; i++) {                                    \
                if (dest[i] - base == i)                                        \
                    continue;                                                   \
                T carry = a[i];                                                 \
                size_t j = dest[i] - base;                                      \
                dest[i] = base + (uint32_t)i;                                   \
                while (j != i) {                                                \
                    T t = a[j];                                                 \
                    a[j] = carry;                                               \
                    carry = t;                                                  \
                    size_t k = dest[j] - base;                                  \
                    dest[j] = base + (uint32_t)j;                               \
                    j = k;                                                      \
                }                                                               \
                a[i] = carry;                                                   \
            }                                                                   \
            return;                                                             \
        }                                                                       \
        int shift = 0;                                                          \
        while (((n - 1) >> shift) > 255)                                        \
            shift++;                                                            \
        size_t nb = ((n - 1) >> shift) + 1, next[256], end[256];                \
        for (size_t d = 0; d < nb; d++) {                                       \
            next[d] = d << shift;                                               \
            end[d] = d + 1 < nb ? (d + 1) << shift : n;                         \
        }                                                                       \
        for (size_t d = 0; d < nb; d++) {                                       \
            while (next[d] < end[d]) {                                          \
                size_t i = next[d];                                             \
                size_t e = (dest[i] - base) >> shift;                           \
                if (e == d) {                                                   \
                    next[d]++;                                                  \
                } else {                                                        \
                    size_t j = next[e]++;                                       \
                    T t = a[i];                                                 \
                    a[i] = a[j];                                                \
                    a[j] = t;                                                   \
                    uint32_t u = dest[i];                                       \
                    dest[i] = dest[j];                                          \
                    dest[j] = u;                                                \
                }                                                               \
            }                                                                   \
        }                                                                       \
        for (size_t d = 0; d < nb; d++) {                                       \
            size_t lo = d << shift;                                             \
            name(a + lo, dest + lo, end[d] - lo, base + (uint32_t)lo);          \
        }                                                                       \
    }
PLACE_T(chunk_place, gchunk)
PLACE_T(place_region, model_region)
PLACE_T(place_log, model_log)
PLACE_T(place_goroutine, model_goroutine)

/* Sort build records by id: fills remap[bi] = lane and ids[lane] (ids may be
 * NULL). Records met in id order (the usual case) need no sorting. */
static int order_ids(size_t n, const void *base, size_t stride, size_t idoff, uint32_t *remap,
                     int64_t *ids)
{
    int64_t prev = 0, id;
    size_t i;
    for (i = 0; i < n; i++) {
        memcpy(&id, (const char *)base + i * stride + idoff, sizeof id);
        if (i && id <= prev)
            break;
        prev = id;
        remap[i] = (uint32_t)i;
        if (ids)
            ids[i] = id;
    }
    if (i == n)
        return 0;
    idpair *v = malloc(sizeof *v * (n ? n : 1));
    if (!v)
        return -1;
    for (i = 0; i < n; i++) {
        memcpy(&v[i].id, (const char *)base + i * stride + idoff, sizeof(int64_t));
        v[i].bi = (uint32_t)i;
    }
    if (n < 256 || radix_idpairs(v, n) != 0)
        qsort(v, n, sizeof *v, cmp_idpair);
    for (i = 0; i < n; i++) {
        remap[v[i].bi] = (uint32_t)i;
        if (ids)
            ids[i] = v[i].id;
    }
    free(v);
    return 0;
}

static int cmp_esc(const void *a, const void *b)
{
    const model_esc *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Hand per-lane record arrays over to the model, in lane order (l->block stays
 * NULL: model_free frees each lane's array), with the escaped spans (esc,
 * keyed by builder lane: re-keyed by lane and sorted). */
static int take_lanes(model_lanes *l, uint32_t nlanes, spvec *const *vecs, size_t nvec,
                      const uint32_t *remap, int64_t t0, model_esc *esc, size_t nesc)
{
    l->n = nlanes;
    l->stride = sizeof(model_psp);
    l->t0 = t0;
    l->rec = calloc((size_t)nlanes + 1, sizeof *l->rec);
    l->bases = calloc((size_t)nlanes + 1, sizeof *l->bases);
    l->cnt = calloc((size_t)nlanes + 1, sizeof *l->cnt);
    l->lend = calloc((size_t)nlanes + 1, sizeof *l->lend);
    if (!l->rec || !l->bases || !l->cnt || !l->lend)
        return -1;
    for (size_t i = 0; i < nvec; i++) {
        spvec *v = vecs[i];
        uint32_t ln = remap ? remap[i] : (uint32_t)i;
        if (v->n && v->n < v->cap) {
            model_psp *na = realloc(v->a, sizeof *na * v->n);
            if (na)
                v->a = na;
            int64_t *nb = realloc(v->base, sizeof *nb * ((v->n - 1) / MODEL_PBLOCK + 1));
            if (nb)
                v->base = nb;
        }
        if (!v->n) {
            free(v->a);
            free(v->base);
            v->a = NULL;
            v->base = NULL;
        }
        l->rec[ln] = (uint8_t *)v->a;
        l->bases[ln] = v->base;
        l->cnt[ln] = v->n;
        l->lend[ln] = v->n ? v->lend : 0;
        v->a = NULL;
        v->base = NULL;
        v->n = v->cap = 0;
    }
    if (nesc) {
        l->esc = malloc(sizeof *l->esc * nesc);
        if (!l->esc)
            return -1;
        for (size_t i = 0; i < nesc; i++) {
            l->esc[i] = esc[i];
            uint32_t bl = (uint32_t)(esc[i].key >> 32);
            if (remap)
                l->esc[i].key = (uint64_t)remap[bl] << 32 | (uint32_t)esc[i].key;
        }
        qsort(l->esc, nesc, sizeof *l->esc, cmp_esc);
        l->nesc = (uint32_t)nesc;
    }
    return 0;
}

/* Hand the goroutine lanes' records over to the model: grouped by lane in
 * place (remap[builder index] = lane; NULL: the same); the records array
 * becomes l->block, the anchors l->bblock, the escaped spans l->esc, the
 * site table l->site. */
static int take_spans(model_lanes *l, model_builder *b, uint32_t nlanes, const uint32_t *remap)
{
    spstore *v = &b->gsp;
    l->n = nlanes;
    l->stride = sizeof(model_gsp);
    l->t0 = b->t_first;
    l->rec = calloc((size_t)nlanes + 1, sizeof *l->rec);
    l->cnt = calloc((size_t)nlanes + 1, sizeof *l->cnt);
    l->bases = calloc((size_t)nlanes + 1, sizeof *l->bases);
    l->bblock = malloc(sizeof *l->bblock * (v->na ? v->na : 1));
    l->lend = calloc((size_t)nlanes + 1, sizeof *l->lend);
    uint32_t *pos = malloc(sizeof *pos * ((size_t)nlanes + 1));
    if (!l->rec || !l->cnt || !l->bases || !l->bblock || !l->lend || !pos ||
        b->gl.n != nlanes) {
        free(pos);
        return -1;
    }
    size_t n = v->n, nc = 0;
    for (uint32_t bi = 0; bi < nlanes; bi++) {
        uint32_t ln = remap ? remap[bi] : bi;
        if (ln >= nlanes || l->cnt[ln]) { /* remap is a permutation */
            free(pos);
            return -1;
        }
        l->cnt[ln] = b->gl.a[bi].n;
    }
    size_t tot = 0;
    for (uint32_t i = 0; i < nlanes; i++) { /* each lane's first chunk */
        pos[i] = (uint32_t)nc;
        nc += tail_chunks(l->cnt[i]);
        tot += l->cnt[i];
    }
    if (nc != v->nc || tot != n || n > UINT32_MAX) { /* lane offsets are 32-bit */
        free(pos);
        return -1;
    }
    /* Each chunk's destination (its lane's chunks in lane order, each lane's
     * in index order) takes the place of its link: from each lane's last
     * chunk back. Then the chunks are put there, the lanes' records moved to
     * their places (over the empty ends of last chunks, leaving room for the
     * heads), and the heads copied in. */
    for (uint32_t bi = 0; bi < nlanes; bi++) {
        const glane *g = &b->gl.a[bi];
        uint32_t ln = remap ? remap[bi] : bi, c = g->ch;
        for (uint32_t j = tail_chunks(g->n); j-- > 0;) {
            if (c >= nc) {
                free(pos);
                return -1;
            }
            uint32_t pc = v->cprev[c];
            v->cprev[c] = pos[ln] + j;
            c = pc;
        }
    }
    chunk_place(v->c, v->cprev, nc, 0);
    free(v->cprev);
    v->cprev = NULL;
    model_gsp *rec = (model_gsp *)(void *)v->c;
    if (n > nc * GCHUNK) { /* the heads need more room than the chunks' gaps */
        rec = realloc(rec, sizeof *rec * n);
        if (!rec) {
            free(pos);
            return -1;
        }
        v->c = (gchunk *)(void *)rec;
    }
    /* Lane i's records past its head go from pos[i] * GCHUNK to its start +
     * GHEAD: the moves down in lane order, then the moves up in reverse
     * order (the ranges of both are in lane order: no move overwrites
     * records not moved yet). */
    size_t at = 0;
    for (uint32_t i = 0; i < nlanes; i++) {
        uint32_t c = l->cnt[i], h = c < GHEAD ? c : GHEAD;
        size_t from = (size_t)pos[i] * GCHUNK, to = at + h;
        if (c > h && to < from)
            memmove(rec + to, rec + from, sizeof *rec * (c - h));
        at += c;
    }
    for (uint32_t i = nlanes; i-- > 0;) {
        uint32_t c = l->cnt[i], h = c < GHEAD ? c : GHEAD;
        at -= c;
        size_t from = (size_t)pos[i] * GCHUNK, to = at + h;
        if (c > h && to > from)
            memmove(rec + to, rec + from, sizeof *rec * (c - h));
        pos[i] = (uint32_t)at;
    }
    for (uint32_t bi = 0; bi < nlanes; bi++) {
        const glane *g = &b->gl.a[bi];
        uint32_t ln = remap ? remap[bi] : bi;
        if (g->n && g->head >= v->nh) {
            free(pos);
            return -1;
        }
        for (uint32_t j = 0; j < g->n && j < GHEAD; j++)
            rec[pos[ln] + j] = v->h[g->head].r[j];
    }
    free(v->h);
    v->h = NULL;
    v->nh = v->hcap = 0;
    /* The anchors, lane after lane: each lane's chain, from its last block
     * back (a lane's record count is the builder's glane.n: a guard) */
    size_t ao = 0;
    for (uint32_t i = 0; i < nlanes; i++) {
        size_t nb = ((size_t)l->cnt[i] + MODEL_PBLOCK - 1) / MODEL_PBLOCK;
        l->bases[i] = nb ? l->bblock + ao : NULL;
        ao += nb;
    }
    int bad = ao != v->na;
    for (uint32_t bi = 0; bi < nlanes && !bad; bi++) {
        const glane *g = &b->gl.a[bi];
        uint32_t ln = remap ? remap[bi] : bi;
        if (g->n != l->cnt[ln]) {
            bad = 1;
            break;
        }
        l->lend[ln] = g->n ? g->lend : 0;
        uint32_t a = g->ai;
        for (size_t j = ((size_t)g->n + MODEL_PBLOCK - 1) / MODEL_PBLOCK; j-- > 0;) {
            l->bases[ln][j] = v->av[a];
            a = v->aprev[a];
        }
    }
    free(v->av);
    free(v->aprev);
    v->av = NULL;
    v->aprev = NULL;
    v->na = v->acap = 0;
    VFREE(b->gl);
    if (bad) {
        free(pos);
        return -1;
    }
    /* the escaped spans, keyed by lane and index */
    size_t nesc = b->esc[ML_GOROUTINE].n;
    if (nesc) {
        model_esc *esc = b->esc[ML_GOROUTINE].a;
        if (remap)
            for (size_t i = 0; i < nesc; i++)
                esc[i].key = (uint64_t)remap[esc[i].key >> 32] << 32 | (uint32_t)esc[i].key;
        qsort(esc, nesc, sizeof *esc, cmp_esc);
        l->esc = shrink(esc, nesc, sizeof *esc);
        l->nesc = (uint32_t)nesc;
        b->esc[ML_GOROUTINE].a = NULL;
        b->esc[ML_GOROUTINE].n = b->esc[ML_GOROUTINE].cap = 0;
    }
    /* the site table */
    l->nsite = (uint32_t)b->sites.n;
    l->site = b->sites.n ? shrink(b->sites.a, b->sites.n, sizeof *b->sites.a)
                         : calloc(1, sizeof *l->site);
    b->sites.a = NULL;
    b->sites.n = b->sites.cap = 0;
    free(b->site_h);
    b->site_h = NULL;
    b->site_hcap = 0;
    if (!l->site) {
        free(pos);
        return -1;
    }
    if (n) {
        model_gsp *a = realloc(rec, sizeof *a * n); /* give back the growth slack */
        l->block = (uint8_t *)(a ? a : rec);
    } else {
        free(rec);
        l->block = NULL;
    }
    v->c = NULL;
    v->n = v->nc = v->ccap = 0;
    for (uint32_t i = 0; i < nlanes; i++)
        l->rec[i] = l->cnt[i] ? l->block + (size_t)pos[i] * sizeof(model_gsp) : NULL;
    free(pos);
    return 0;
}

/* model_is_episode for a record's 4-bit state */
#define EPISODE_ST(st)                                                                    \
    ((((1u << MS_WAITING) | (1u << MS_SYSCALL) | (1u << MS_SYSCALL_BLOCKED) |              \
       (1u << MS_RUNNABLE)) >> (st)) & 1u)

/* A block's spans [j0, je) of lane i added to acc by state (end: the
 * block's last span's end); with eps (a constant where inlined: P/M lanes
 * get a copy without it) the episodes' longest (32-bit, clamped) in *emax
 * and their count in *ecnt. */
static inline __attribute__((always_inline)) void
index_block(const model_lanes *l, uint32_t i, const model_psp *r, const int64_t *bs, uint32_t j0,
            uint32_t je, int64_t end, uint32_t esc, int64_t *acc, uint32_t *pemax,
            uint32_t *pecnt, const int eps)
{
    uint32_t emax = 0, ecnt = 0;
    if (!esc) {
        for (uint32_t j = j0; j + 1 < je; j++) {
            uint32_t st = r[j].so >> MODEL_POTHER_BITS;
            uint64_t d = (uint64_t)r[j + 1].off - r[j].off;
            acc[st] = wadd(acc[st], (int64_t)d);
            if (eps && EPISODE_ST(st)) {
                uint32_t d32 = d >= UINT32_MAX ? UINT32_MAX : (uint32_t)d;
                emax = d32 > emax ? d32 : emax;
                ecnt++;
            }
        }
        uint32_t st = r[je - 1].so >> MODEL_POTHER_BITS;
        uint64_t d = (uint64_t)end - ((uint64_t)bs[j0 / MODEL_PBLOCK] + r[je - 1].off);
        acc[st] = wadd(acc[st], (int64_t)d);
        if (eps && EPISODE_ST(st)) {
            uint32_t d32 = d >= UINT32_MAX ? UINT32_MAX : (uint32_t)d;
            emax = d32 > emax ? d32 : emax;
            ecnt++;
        }
    } else {
        for (uint32_t j = j0; j < je; j++) {
            model_sse e = model_rec_sse(l, i, j);
            if (e.state < MS__COUNT) /* wrapping: a hostile span may last 2^63 ns or more */
                acc[e.state] = wadd(acc[e.state], wsub(e.end, e.start));
            if (eps && model_is_episode(e.state)) {
                uint64_t d = (uint64_t)e.end - (uint64_t)e.start;
                uint32_t d32 = d >= UINT32_MAX ? UINT32_MAX : (uint32_t)d;
                emax = d32 > emax ? d32 : emax;
                ecnt++;
            }
        }
    }
    *pemax = emax;
    *pecnt = ecnt;
}

int model_lanes_index(model_lanes *l)
{
    /* checkpoints keep only the states the lanes use (a goroutine lane never
     * idles, a P lane never waits, ...): the state bits of the records, an
     * escaped one's from its escape */
    uint32_t seen = 0;
    /* lanes with an escaped record (the others need no test for them) */
    uint64_t *lesc = calloc(l->n / 64 + 1, sizeof *lesc);
    if (!lesc)
        return -1;
    for (uint32_t i = 0; i < l->n; i++) {
        const model_psp *r = (const model_psp *)l->rec[i];
        uint32_t n = l->cnt[i], bits = 0, j = 0;
        for (; j + 4 <= n; j += 4)
            bits |= 1u << (r[j].so >> MODEL_POTHER_BITS) | 1u << (r[j + 1].so >> MODEL_POTHER_BITS) |
                    1u << (r[j + 2].so >> MODEL_POTHER_BITS) | 1u << (r[j + 3].so >> MODEL_POTHER_BITS);
        for (; j < n; j++)
            bits |= 1u << (r[j].so >> MODEL_POTHER_BITS);
        if (bits & (1u << MODEL_ESC))
            lesc[i / 64] |= UINT64_C(1) << (i % 64);
        if (bits & (1u << MODEL_ESC))
            for (j = 0; j < n; j++)
                if (r[j].so >> MODEL_POTHER_BITS == MODEL_ESC) {
                    uint32_t st = model_esc_sse(l, i, j).state;
                    if (st < MS__COUNT)
                        bits |= 1u << st;
                }
        seen |= bits & ~(1u << MODEL_ESC);
    }
    seen &= (1u << MS__COUNT) - 1;
    l->nst = 0;
    for (uint32_t st = 0; st < MS__COUNT; st++)
        if (seen & (1u << st))
            l->st[l->nst++] = (uint8_t)st;
    size_t nck = 0;
    l->ck_off = malloc(sizeof *l->ck_off * ((size_t)l->n + 1));
    if (!l->ck_off) {
        free(lesc);
        return -1;
    }
    /* Checkpoint j (j >= 1) holds the sums of spans [0, j*32) and is stored at
     * ck_off + j - 1; checkpoint 0 (all zero) is implied: a lane of fewer than
     * 32 spans stores none. */
    for (uint32_t i = 0; i < l->n; i++) {
        l->ck_off[i] = (uint32_t)nck;
        nck += l->cnt[i] / MODEL_CK_EVERY;
    }
    l->ck_off[l->n] = (uint32_t)nck;
    size_t ngr = (nck + MODEL_CKG - 1) / MODEL_CKG, nst = l->nst;
    l->ck = malloc(nck && nst ? nck * nst * sizeof *l->ck : 1);
    l->ckb = malloc(ngr && nst ? ngr * nst * sizeof *l->ckb : 1);
    l->ckw = malloc(ngr ? ngr * sizeof *l->ckw : 1);
    l->nckx = 0;
    /* goroutine lanes: episode blocks, filled in the same pass */
    int eps = l->site != NULL;
    if (eps) {
        size_t nb = (size_t)l->ck_off[l->n] + l->n;
        l->ep_max = calloc(nb ? nb : 1, sizeof *l->ep_max);
        l->ep_cnt = calloc(nb ? nb : 1, 1);
    }
    if (!l->ck || !l->ckb || !l->ckw || (eps && (!l->ep_max || !l->ep_cnt))) {
        free(lesc);
        return -1;
    }
    /* the values of the current group, stored when it is complete */
    int64_t grp[MODEL_CKG * MS__COUNT];
    size_t q = 0, xcap = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t n = l->cnt[i];
        if (!n)
            continue;
        /* per state (every 4-bit record state: no test on the fast path) */
        int64_t acc[16] = {0};
        uint32_t *ep_max = eps ? l->ep_max + (size_t)l->ck_off[i] + i : NULL;
        uint8_t *ep_cnt = eps ? l->ep_cnt + (size_t)l->ck_off[i] + i : NULL;
        const model_psp *r = (const model_psp *)l->rec[i];
        const int64_t *bs = l->bases[i];
        /* the records of a block of MODEL_CK_EVERY (== MODEL_PBLOCK) share an
         * anchor: a span's length is the difference of two offsets, but for
         * the block's last one (the next block's start, or lend) and around
         * escaped records (model_rec_sse then) */
        _Static_assert(MODEL_CK_EVERY == MODEL_PBLOCK, "a checkpoint per block");
        for (uint32_t j0 = 0; j0 < n; j0 += MODEL_CK_EVERY) {
            uint32_t je = n - j0 > MODEL_CK_EVERY ? j0 + MODEL_CK_EVERY : n;
            uint32_t esc = 0, emax = 0, ecnt = 0;
            if (lesc[i / 64] >> (i % 64) & 1)
                for (uint32_t j = j0; j < je; j++)
                    esc |= r[j].so >> MODEL_POTHER_BITS == MODEL_ESC;
            int64_t end;
            if (je < n)
                end = r[je].so >> MODEL_POTHER_BITS == MODEL_ESC
                          ? model_esc_sse(l, i, je).start
                          : (int64_t)((uint64_t)bs[je / MODEL_PBLOCK] + r[je].off);
            else
                end = l->lend[i];
            if (eps)
                index_block(l, i, r, bs, j0, je, end, esc, acc, &emax, &ecnt, 1);
            else
                index_block(l, i, r, bs, j0, je, end, esc, acc, &emax, &ecnt, 0);
            if (eps) {
                ep_max[j0 / MODEL_CK_EVERY] = emax;
                ep_cnt[j0 / MODEL_CK_EVERY] = (uint8_t)ecnt;
            }
            if (je % MODEL_CK_EVERY)
                continue;
            int64_t *c = grp + (q % MODEL_CKG) * nst;
            for (uint32_t k = 0; k < nst; k++)
                c[k] = acc[l->st[k]];
            if (++q % MODEL_CKG && q < nck)
                continue;
            /* group g is complete (or the last one): narrow when every value
             * is within 2^32 - 1 ns above the group's least per state */
            size_t g = (q - 1) / MODEL_CKG, ne = q - g * MODEL_CKG;
            int64_t *base = l->ckb + g * nst;
            int wide = 0;
            for (uint32_t k = 0; k < nst; k++) {
                base[k] = grp[k];
                for (size_t x = 1; x < ne; x++)
                    if (grp[x * nst + k] < base[k])
                        base[k] = grp[x * nst + k];
                for (size_t x = 0; x < ne; x++)
                    wide |= (uint64_t)grp[x * nst + k] - (uint64_t)base[k] > UINT32_MAX;
            }
            uint32_t *d = l->ck + g * MODEL_CKG * nst;
            if (!wide) {
                l->ckw[g] = UINT32_MAX;
                for (size_t x = 0; x < ne * nst; x++)
                    d[x] = (uint32_t)((uint64_t)grp[x] - (uint64_t)base[x % nst]);
                continue;
            }
            if (l->nckx == xcap) {
                size_t nc = xcap ? xcap * 2 : 4;
                int64_t *nx = realloc(l->ckx, sizeof *nx * nc * MODEL_CKG * nst);
                if (!nx) {
                    free(lesc);
                    return -1;
                }
                l->ckx = nx;
                xcap = nc;
            }
            memset(base, 0, sizeof *base * nst);
            memset(d, 0, sizeof *d * ne * nst);
            int64_t *w = l->ckx + (size_t)l->nckx * MODEL_CKG * nst;
            memset(w, 0, sizeof *w * MODEL_CKG * nst);
            memcpy(w, grp, sizeof *w * ne * nst);
            l->ckw[g] = l->nckx++;
        }
    }
    free(lesc);
    if (q != nck)
        return -1;
    if (l->nckx < xcap) {
        int64_t *nx = realloc(l->ckx, sizeof *nx * l->nckx * MODEL_CKG * nst);
        if (nx)
            l->ckx = nx;
    }
    return 0;
}

size_t model_lanes_bytes(const model_lanes *l)
{
    if (!l->rec)
        return 0;
    size_t b = (sizeof *l->rec + sizeof *l->cnt) * ((size_t)l->n + 1);
    for (uint32_t i = 0; i < l->n; i++) {
        b += (size_t)l->stride * l->cnt[i];
        if (l->bases && l->cnt[i])
            b += sizeof(int64_t) * ((l->cnt[i] - 1) / MODEL_PBLOCK + 1);
    }
    if (l->bases)
        b += sizeof *l->bases * ((size_t)l->n + 1);
    b += sizeof *l->esc * l->nesc;
    b += sizeof *l->site * l->nsite;
    if (l->lend)
        b += sizeof *l->lend * ((size_t)l->n + 1);
    if (l->ep_max)
        b += (sizeof *l->ep_max + sizeof *l->ep_cnt) * ((size_t)l->ck_off[l->n] + l->n);
    if (l->ck_off) {
        size_t nck = l->ck_off[l->n], ngr = (nck + MODEL_CKG - 1) / MODEL_CKG;
        b += sizeof *l->ck_off * ((size_t)l->n + 1) + sizeof *l->ck * nck * l->nst +
             (sizeof *l->ckb * l->nst + sizeof *l->ckw) * ngr +
             sizeof *l->ckx * (size_t)l->nckx * MODEL_CKG * l->nst;
    }
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

/* Move items[i] to items[dst[i]] for every i, in place (dst is a
 * permutation, clobbered: PLACE_T). Records: model_region, model_log,
 * or model_goroutine (told apart by size). */
_Static_assert(sizeof(model_region) != sizeof(model_log) &&
                   sizeof(model_region) != sizeof(model_goroutine) &&
                   sizeof(model_log) != sizeof(model_goroutine),
               "permute tells records apart by size");
static void permute(void *items, size_t n, size_t size, uint32_t *dst)
{
    if (size == sizeof(model_region))
        place_region(items, dst, n, 0);
    else if (size == sizeof(model_log))
        place_log(items, dst, n, 0);
    else
        place_goroutine(items, dst, n, 0);
}

/* Group records (regions or logs) by goroutine lane (lane[i] for items[i];
 * lane[i] >= ng: no lane, grouped last). Reorders items in place (no copy of the records: a stable counting
 * sort computes each record's destination, in place of its lane in lane[],
 * then the permutation is applied by permute), then sorts each group that is
 * not in order. Returns 0 (*off gets ng+1 offsets; lane[] clobbered) or -1 on
 * allocation failure (items and lane[] unchanged). Inlined at its two
 * calls: cmp, a constant there, is inlined in the order check (a call a
 * record otherwise). */
static inline __attribute__((always_inline)) int group_by_g(void *items, size_t n, size_t size, uint32_t *lane, uint32_t ng,
                      uint32_t **off, int (*cmp)(const void *, const void *))
{
    uint32_t *o = calloc((size_t)ng + 2, sizeof *o);
    if (!o)
        return -1;
    uint32_t *dst = lane;
    char *it = items;
    for (size_t i = 0; i < n; i++) {
        dst[i] = lane[i] < ng ? lane[i] : ng;
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
                t[w - 1].r.delay_ns = delay_sum(t[w - 1].r.delay_ns, t[i].r.delay_ns);
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
    free(b->gxd);
    free(b->gsp.c);
    free(b->gsp.cprev);
    free(b->gsp.h);
    free(b->gsp.av);
    free(b->gsp.aprev);
    free(b->gl.a);
    free(b->sites.a);
    free(b->site_h);
    for (size_t i = 0; i < b->ps.n; i++) {
        free(b->ps.a[i].v.a);
        free(b->ps.a[i].v.base);
    }
    for (size_t i = 0; i < b->ms.n; i++) {
        free(b->ms.a[i].v.a);
        free(b->ms.a[i].v.base);
    }
    free(b->gc_v.a);
    free(b->gc_v.base);
    for (int k = 0; k < 4; k++)
        free(b->esc[k].a);
    free(b->gs.a);
    free(b->gg.a);
    free(b->gsch.a);
    free(b->gx.a);
    free(b->ps.a);
    free(b->ms.a);
    free(b->kvs.a);
    free(b->kvrs.a);
    free(b->kvs_h.ok);
    free(b->kvs_h.ix);
    free(b->kvrs_h.ok);
    free(b->kvrs_h.ix);
    for (int k = 0; k < MR__COUNT; k++)
        free(b->ranges[k].a);
    free(b->open_ranges.a);
    free(b->rangesp.a);
    free(b->regions.a);
    gtag_free(&b->region_g);
    free(b->logs.a);
    gtag_free(&b->log_g);
    free(b->log_late.a);
    model_imap_free(&b->task_refs);
    free(b->task_ref_ids.a);
    free(b->tasks.a);
    for (int k = 0; k < 3; k++)
        model_series_w_free(b->series[k]);
    for (int k = 0; k < MP__COUNT; k++) {
        model_imap_free(&b->pmaps[k]);
        free(b->prof[k].a);
    }
    free(b->pending.a);
    free(b);
}


/* Entries the reason and range lists of goroutine gi will have once its
 * summary is finalized at the end of the trace. */
static size_t kv_count(model_builder *b, uint32_t gi)
{
    const bg *g = &b->gs.a[gi];
    size_t n = 0;
    int have_block = 0;
    for (uint32_t j = g->kv_reason; j != NONE32; j = b->kvs.a[j].next) {
        n++;
        have_block |= b->kvs.a[j].key == g->l_reason;
    }
    if ((g->open.gbits & GB_SUMMARY) && !have_block && lget(b, gi, LW_BLOCK))
        n++; /* sum_finalize adds it */
    uint32_t k = g->x;
    uint32_t j = k < GX_DONE  ? b->gx.a[k].kv_range
                 : k == NONE32 ? NONE32
                               : gxd_kv_range(b, k - GX_DONE);
    for (; j != NONE32; j = b->kvrs.a[j].next)
        n++;
    return n;
}

/* The summaries as the model keeps them (gstats.c): goroutine gi's record at
 * m->gsb + m->gs_off[gremap[gi]], its lists in m->kv_key / kv_ns. Also sets
 * each goroutine's func and system flag. The builder's summary state (kv
 * lists, extended records) is freed at the end. */
static int take_summaries(model_builder *b, model *m, const uint32_t *gremap, int64_t T)
{
    uint32_t ng = (uint32_t)b->gs.n;
    size_t nkv = 0;
    for (uint32_t i = 0; i < ng; i++)
        nkv += kv_count(b, i);
    if (nkv >= UINT32_MAX)
        return -1;
    m->kv_key = malloc(sizeof *m->kv_key * (nkv + 1));
    m->kv_ns = malloc(sizeof *m->kv_ns * (nkv + 1));
    m->gs_off = malloc(sizeof *m->gs_off * (ng + 1u));
    if (!m->kv_key || !m->kv_ns || !m->gs_off)
        return -1;
    m->nkv = nkv;
    m->gs_t0 = b->t_first;
    size_t cap = 0, len = 0, kpos = 0;
    uint8_t *blob = NULL;
    for (uint32_t i = 0; i < ng; i++) {
        if (cap - len < MODEL_GSTATS_MAX) {
            size_t ncap = cap + cap / 4 + 4096;
            uint8_t *nb = realloc(blob, ncap);
            if (!nb) {
                free(blob);
                return -1;
            }
            blob = nb;
            cap = ncap;
        }
        if (len > UINT32_MAX) {
            free(blob);
            return -1;
        }
        model_gstats st = {0};
        bg *g = &b->gs.a[i];
        st.in_summary = (g->open.gbits & GB_SUMMARY) != 0;
        st.creation = g->creation;
        if (st.in_summary) {
            sum_finalize(b, i, T, 0, &st);
        } else {
            st.total_ns = acc_get(b, i, A_TOTAL);
            st.exec_ns = acc_get(b, i, A_EXEC);
            st.sched_wait_ns = acc_get(b, i, A_SCHED);
            st.syscall_ns = acc_get(b, i, A_SYSCALL);
            st.syscall_block_ns = acc_get(b, i, A_SYSBLOCK);
            st.start = acc_get(b, i, A_START);
            st.end = acc_get(b, i, A_END);
        }
        g = &b->gs.a[i];
        st.name = g_name(b, g, &st.pc);
        model_goroutine *G = &b->gg.a[i];
        /* Go's goroutine analysis names (and groups) a goroutine id by its
         * last life, whose summary replaced the earlier ones: a cgo
         * callback's id that comes back without a stack has no name there */
        if (G->func == 0 || st.in_summary)
            G->func = st.name;
        size_t fn = 0;
        const char *f = bstr(b, G->func, &fn);
        G->system = (fn == 0) || (has_prefix(f, fn, "runtime.") &&
                                  !(fn == 12 && memcmp(f, "runtime.main", 12) == 0));
        int64_t sum = st.exec_ns + st.sched_wait_ns + st.syscall_ns + st.syscall_block_ns;
        uint32_t kv0 = (uint32_t)kpos;
        for (uint32_t j = g->kv_reason; j != NONE32 && kpos < nkv; j = b->kvs.a[j].next) {
            kv *e = &b->kvs.a[j];
            size_t n;
            const char *r = bstr(b, e->key, &n);
            m->kv_key[kpos] = e->key;
            m->kv_ns[kpos++] = e->ns;
            st.nreasons++;
            sum += e->ns;
            if (n == 7 && memcmp(r, "network", 7) == 0)
                st.network_wait_ns += e->ns;
            else if (has_sub(r, n, "chan") || has_sub(r, n, "sync") || has_sub(r, n, "select"))
                st.sync_block_ns += e->ns;
            else if (n == 5 && memcmp(r, "sleep", 5) == 0)
                st.sleep_ns += e->ns;
            else
                st.other_block_ns += e->ns;
        }
        st.unknown_ns = sum < st.total_ns ? st.total_ns - sum : 0;
        const bgx *x = gx_view(b, i);
        for (uint32_t j = x ? x->kv_range : NONE32; j != NONE32 && kpos < nkv;
             j = b->kvrs.a[j].next) {
            kvr *e = &b->kvrs.a[j];
            m->kv_key[kpos] = e->key;
            m->kv_ns[kpos++] = e->ns;
            st.nranges++;
            if (e->key == b->s_assist)
                st.gc_assist_ns += e->ns;
            else if (e->key == b->s_sweep)
                st.gc_sweep_ns += e->ns;
        }
        m->gs_off[gremap[i]] = (uint32_t)len;
        len += model_gstats_encode(blob + len, &st, st.nreasons + st.nranges ? kv0 : 0,
                                   m->gs_t0);
    }
    m->gsb_len = len;
    m->gsb = blob ? realloc(blob, len ? len : 1) : malloc(1);
    if (!m->gsb) {
        m->gsb = blob;
        if (!blob)
            return -1;
    }
    VFREE(b->kvs);
    VFREE(b->kvrs);
    VFREE(b->gx);
    free(b->gxd);
    b->gxd = NULL;
    return 0;
}

/* Close the goroutines' open spans at T, freeing the goroutine records first
 * (their open spans are moved to the front of the same block, which shrinks
 * to half: a trace may declare millions of goroutines). */
static void close_goroutines(model_builder *b, int64_t T)
{
    size_t ng = b->gs.n;
    char *base = (char *)b->gs.a;
    for (size_t i = 0; i < ng; i++) {
        bspan o = b->gs.a[i].open; /* bytes [64i, 64i+32): never behind the writes */
        memmove(base + i * sizeof o, &o, sizeof o);
    }
    bspan *open = ng ? realloc(base, ng * sizeof *open) : NULL;
    if (!open)
        open = (bspan *)base;
    b->gs.a = NULL;
    b->gs.n = b->gs.cap = 0;
    VFREE(b->gsch); /* parallel to gs */
    for (size_t i = 0; i < ng; i++)
        span_close(b, ML_GOROUTINE, (uint32_t)i, &open[i], T);
    free(open);
}

/* The part of the finish that runs beside the goroutine lanes' (take_spans,
 * the goroutines, the logs, the goroutine lanes' index), on a second thread
 * when there are two CPUs and enough events: the regions grouped by
 * goroutine, the P/M/GC lanes' indexes and the ranges sorted. The two parts
 * touch disjoint data (here: the builder's regions, region tags and ranges,
 * the model's regions, region offsets, ranges and P/M/GC lanes), so the
 * model does not depend on which runs first. It starts after the
 * goroutines' summaries: the peak of the finish is there. Its tasks are
 * claimed one at a time by either thread: when the second thread gets no
 * CPU, the calling thread does them after its own. */
enum { SIDE_REGIONS, SIDE_M, SIDE_P, SIDE_RANGES, SIDE_GC, SIDE__COUNT };

typedef struct finish_side {
    model_builder *b;
    model *m;
    uint32_t ng;
    atomic_uint next;         /* the next task to claim */
    int rc[SIDE__COUNT];      /* per task: 0 done, -1 out of memory (or not run) */
    double cpu;               /* GOTV_MEMTRACE: the thread's CPU time */
} finish_side;

static int side_task(finish_side *s, unsigned t)
{
    model_builder *b = s->b;
    model *m = s->m;
    switch (t) {
    case SIDE_REGIONS: {
        uint32_t *rlane = gtag_wide(&b->region_g);
        if (!rlane || group_by_g(b->regions.a, b->regions.n, sizeof *b->regions.a, rlane,
                                 s->ng, &m->g_region_off, cmp_region) != 0)
            return -1;
        gtag_free(&b->region_g);
        m->regions = shrink(b->regions.a, b->regions.n, sizeof *b->regions.a);
        b->regions.a = NULL;
        if (!m->regions && !(m->regions = malloc(sizeof *m->regions)))
            return -1;
        return 0;
    }
    case SIDE_M:
        return model_lanes_index(&m->lanes[ML_THREAD]);
    case SIDE_P:
        return model_lanes_index(&m->lanes[ML_PROC]);
    case SIDE_GC:
        return model_lanes_index(&m->lanes[ML_GC]);
    default:
        for (int k = 0; k < MR__COUNT; k++) {
            /* begun in time order: usually sorted already (a merge sort
             * would still compare n log n times) */
            size_t n = b->ranges[k].n, j = 1;
            while (j < n && cmp_range(&b->ranges[k].a[j - 1], &b->ranges[k].a[j]) <= 0)
                j++;
            if (j < n)
                qsort(b->ranges[k].a, n, sizeof *b->ranges[k].a, cmp_range);
            m->ranges[k] = shrink(b->ranges[k].a, b->ranges[k].n, sizeof *b->ranges[k].a);
            m->nranges[k] = (uint32_t)b->ranges[k].n;
            b->ranges[k].a = NULL;
        }
        return 0;
    }
}

/* Do the side's tasks not claimed yet (either thread). */
static void finish_side_run(finish_side *s)
{
    for (unsigned t; (t = atomic_fetch_add(&s->next, 1u)) < SIDE__COUNT;)
        s->rc[t] = side_task(s, t);
}

static void *finish_side_thread(void *arg)
{
    finish_side *s = arg;
    finish_side_run(s);
#ifdef GOTV_MEMTRACE
    struct timespec tc;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &tc);
    s->cpu = (double)tc.tv_sec + (double)tc.tv_nsec * 1e-9;
#endif
    return NULL;
}

#ifndef GOTV_BUILD_THREADS /* -DGOTV_BUILD_THREADS=2: every build threaded (checks) */
#define GOTV_BUILD_THREADS 0
#endif
int model_build_threads = GOTV_BUILD_THREADS;

/* The count, total and longest of a kind of range as the timeline draws
 * them: a range still open at the end of the trace counts up to the end
 * (also in *open), as in Go's viewer. */
static void range_totals(const model_range *r, uint32_t n, uint32_t *count, uint32_t *open,
                         int64_t *total, int64_t *max)
{
    for (uint32_t i = 0; i < n; i++) {
        int64_t d = r[i].end - r[i].start;
        (*count)++;
        if (r[i].flags & MRF_NO_END)
            (*open)++;
        *total += d;
        if (d > *max)
            *max = d;
    }
}

/* Below this many events the thread costs more than it saves. */
#define SIDE_MIN_EVENTS (1u << 18)

static int side_threaded(const model_builder *b)
{
    if (model_build_threads == 1)
        return 0;
    if (model_build_threads == 2)
        return 1;
    if (b->nevents < SIDE_MIN_EVENTS)
        return 0;
    return model_cpu_free();
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
    model_memtrace("finish start (load)");
#ifdef GOTV_MEMTRACE
    {
        size_t pn = 0, pc = 0, mn = 0, mc = 0;
        for (size_t i = 0; i < b->ps.n; i++)
            pn += b->ps.a[i].v.n, pc += b->ps.a[i].v.cap;
        for (size_t i = 0; i < b->ms.n; i++)
            mn += b->ms.a[i].v.n, mc += b->ms.a[i].v.cap;
        size_t rn = 0;
        for (int k = 0; k < MR__COUNT; k++)
            rn += b->ranges[k].n;
        fprintf(stderr,
                "  gsp n %zu cap %zu (%s) -> %zu KB used; anchors %zu KB; P %zu/%zu M %zu/%zu -> %zu KB\n"
                "  regions %zu -> %zu KB (+g %zu KB); logs %zu -> %zu KB (+g %zu KB); gs %zu gx %zu -> %zu KB\n"
                "  esc G %zu P %zu M %zu; ranges %zu -> %zu KB; tasks %zu; kvs %zu kvrs %zu; sites %zu; series %zu %zu %zu; prof %zu %zu %zu %zu\n",
                b->gsp.n, b->gsp.ccap * GCHUNK, "chunks",
                (b->gsp.nc * (sizeof(gchunk) + 4) + b->gsp.nh * sizeof(ghead)) / 1024, b->gsp.na * 12 / 1024,
                pn, pc, mn, mc, (pn + mn) * 8 / 1024 + (pn + mn) / 32 * 8 / 1024, b->regions.n,
                b->regions.n * sizeof(model_region) / 1024, b->regions.n * 4 / 1024, b->logs.n,
                b->logs.n * sizeof(model_log) / 1024, b->logs.n * 4 / 1024, b->gs.n, b->gx.n,
                (b->gs.n * (sizeof(bg) + sizeof(model_goroutine) + sizeof(glane)) + b->gx.n * sizeof(bgx)) / 1024,
                b->esc[0].n, b->esc[1].n, b->esc[2].n, rn, rn * sizeof(model_range) / 1024,
                b->tasks.n, b->kvs.n, b->kvrs.n, b->sites.n, (size_t)0, (size_t)0,
                (size_t)0, b->prof[0].n, b->prof[1].n, b->prof[2].n, b->prof[3].n);
    }
#endif
    /* from here on goroutines are found by binary search on the model's
     * sorted lanes */
    model_imap_free(&b->gmap);

    /* close everything still open at the last event */
    for (size_t i = 0; i < b->ps.n; i++)
        span_close(b, ML_PROC, (uint32_t)i, &b->ps.a[i].open, T);
    for (size_t i = 0; i < b->ms.n; i++)
        span_close(b, ML_THREAD, (uint32_t)i, &b->ms.a[i].open, T);
    span_close(b, ML_GC, 0, &b->gc_open, T);
    /* the regions still open (on their goroutine's stack: their end holds
     * the previous open one) end at T, as do those ended at time 0 by their
     * goroutine's end */
    for (size_t i = 0; i < b->gx.n; i++)
        for (uint32_t r = b->gx.a[i].region_top; r != NONE32;) {
            uint32_t pr = region_prev(b, r);
            b->regions.a[r].end = 0;
            r = pr;
        }
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
    /* pending profile intervals, against the window of their goroutine's
     * last life as Go's pprofMatchingGoroutines has it: [StartTime, ...]
     * (the end is never before an interval's); a goroutine that never ran
     * has StartTime 0, which lets everything through */
    for (size_t i = 0; i < b->pending.n; i++) {
        pend *p = &b->pending.a[i];
        if (!(b->gs.a[p->gi].open.gbits & GB_SUMMARY))
            continue;
        int64_t gstart = acc_get(b, p->gi, A_START), s = p->s;
        if (gstart && p->e < gstart)
            continue;
        if (s < gstart)
            s = gstart;
        if (p->e - s > 0)
            prof_add(b, p->kind, p->stack, p->e - s);
    }
    VFREE(b->pending);
    if (b->oom)
        goto fail;
    /* what only the events needed goes before the big steps below */
    model_imap_free(&b->task_refs);
    model_imap_free(&b->pmap);
    model_imap_free(&b->mmap);
    model_imap_free(&b->tmap);
    for (int k = 0; k < MP__COUNT; k++)
        model_imap_free(&b->pmaps[k]);

    model_memtrace("closed P/M, freed maps");
    uint32_t ng = (uint32_t)b->gs.n, np = (uint32_t)b->ps.n, nm = (uint32_t)b->ms.n;
    uint32_t *gremap = malloc(sizeof *gremap * (ng + 1u));
    uint32_t *premap = malloc(sizeof *premap * (np + 1u));
    uint32_t *mremap = malloc(sizeof *mremap * (nm + 1u));
    m->p_ids = malloc(sizeof *m->p_ids * (np + 1u));
    m->m_ids = malloc(sizeof *m->m_ids * (nm + 1u));
    int ok = gremap && premap && mremap && m->p_ids && m->m_ids;
    ok = ok && order_ids(ng, b->gg.a, sizeof *b->gg.a, offsetof(model_goroutine, id), gremap,
                         NULL) == 0;
    /* each region's builder goroutine becomes its lane (gremap is clobbered below) */
    /* each log's too (those whose goroutine came later: below); in 16 bits
     * while every lane and ng fit */
    for (int w = 0; w < 2 && ok; w++) {
        gtag *v = w ? &b->log_g : &b->region_g;
        if (ng >= 0xffff && !gtag_wide(v)) {
            ok = 0;
            break;
        }
        for (size_t i = 0; i < v->n; i++) {
            uint32_t gi = gtag_get(v, i);
            (void)gtag_set(v, i, gi < ng ? gremap[gi] : ng); /* fits: never widens */
        }
    }
    /* P, M and GC lanes first (their records are compact already) */
    ok = ok && order_ids(np, b->ps.a, sizeof *b->ps.a, offsetof(bp, id), premap, m->p_ids) == 0;
    ok = ok && order_ids(nm, b->ms.a, sizeof *b->ms.a, offsetof(bm, id), mremap, m->m_ids) == 0;
    spvec **vecs = ok ? malloc(sizeof *vecs * ((size_t)(np > nm ? np : nm) + 1)) : NULL;
    ok = ok && vecs;
    if (ok) {
        for (uint32_t i = 0; i < np; i++)
            vecs[i] = &b->ps.a[i].v;
        ok = take_lanes(&m->lanes[ML_PROC], np, vecs, np, premap, b->t_first, b->esc[ML_PROC].a,
                        b->esc[ML_PROC].n) == 0;
    }
    if (ok) {
        for (uint32_t i = 0; i < nm; i++)
            vecs[i] = &b->ms.a[i].v;
        ok = take_lanes(&m->lanes[ML_THREAD], nm, vecs, nm, mremap, b->t_first,
                        b->esc[ML_THREAD].a, b->esc[ML_THREAD].n) == 0;
    }
    if (ok) {
        vecs[0] = &b->gc_v;
        ok = take_lanes(&m->lanes[ML_GC], 1, vecs, 1, NULL, b->t_first, b->esc[ML_GC].a,
                        b->esc[ML_GC].n) == 0;
    }
    free(vecs);
    model_memtrace("take_lanes P/M/GC");

    /* summaries, then the goroutines' last spans; the builder's goroutine
     * records are gone after that */
    ok = ok && take_summaries(b, m, gremap, T) == 0;
    model_memtrace("take_summaries");
    if (ok)
        close_goroutines(b, T);
    model_memtrace("close_goroutines");
    ok = ok && !b->oom;
    /* the regions, the P/M/GC lanes' indexes and the ranges beside the
     * goroutine lanes (finish_side) */
    finish_side side = {.b = b, .m = m, .ng = ng};
    atomic_init(&side.next, ok ? 0u : (unsigned)SIDE__COUNT);
    for (int t = 0; t < SIDE__COUNT; t++)
        side.rc[t] = -1;
    pthread_t side_th;
    int threaded = 0;
    if (ok) {
        if (side_threaded(b))
            threaded = pthread_create(&side_th, NULL, finish_side_thread, &side) == 0;
        if (!threaded)
            finish_side_run(&side);
    }
    model_memtrace(threaded ? "side started" : "side done");
    ok = ok && take_spans(&m->lanes[ML_GOROUTINE], b, ng, gremap) == 0;
    model_memtrace("take_spans");
    /* the builder's goroutine array becomes the model's, in lane order */
    if (ok) {
        permute(b->gg.a, ng, sizeof *b->gg.a, gremap); /* clobbers gremap */
        m->gs = ng ? shrink(b->gg.a, ng, sizeof *b->gg.a) : calloc(1, sizeof *m->gs);
        if (ng)
            b->gg.a = NULL;
        ok = m->gs != NULL;
    }
    /* the lanes of the logs whose goroutine was not known at the log */
    uint32_t *lane = ok ? gtag_wide(&b->log_g) : NULL;
    ok = lane != NULL;
    if (ok) {
        for (size_t i = 0; i < b->log_late.n; i++) {
            uint32_t l = model_goroutine_find(m, b->log_late.a[i].gid);
            if (b->log_late.a[i].i < b->log_g.n)
                lane[b->log_late.a[i].i] = l == NONE32 ? ng : l;
        }
        VFREE(b->log_late);
        ok = group_by_g(b->logs.a, b->logs.n, sizeof *b->logs.a, lane, ng, &m->g_log_off,
                        cmp_log) == 0;
    }
    if (ok) {
        gtag_free(&b->log_g);
        m->logs = shrink(b->logs.a, b->logs.n, sizeof *b->logs.a);
        b->logs.a = NULL;
        ok = m->logs || (m->logs = malloc(sizeof *m->logs));
    }
    model_memtrace("logs");
    ok = ok && model_lanes_index(&m->lanes[ML_GOROUTINE]) == 0;
    model_memtrace("lanes_index G");
    finish_side_run(&side); /* what the thread has not claimed */
    model_memtrace("side rest");
    if (threaded)
        pthread_join(side_th, NULL);
    model_memtrace("side joined");
#ifdef GOTV_MEMTRACE
    if (threaded)
        fprintf(stderr, "memtrace side thread cpu %.3f s\n", side.cpu);
#endif
    for (int t = 0; t < SIDE__COUNT; t++)
        ok = ok && side.rc[t] == 0;
    if (!ok)
        goto fail_maps;
    size_t nkv = m->nkv;

    if (model_build_groups(m) != 0)
        goto fail_maps;
    model_memtrace("groups");

    m->ntask_refs = (uint32_t)b->task_ref_ids.n;
    m->task_ref_ids = shrink(b->task_ref_ids.a, b->task_ref_ids.n, sizeof *b->task_ref_ids.a);
    b->task_ref_ids.a = NULL;
    m->tasks = shrink(b->tasks.a, b->tasks.n, sizeof *b->tasks.a);
    b->tasks.a = NULL;
    m->info.ntasks = (uint32_t)b->tasks.n;
    for (int k = 0; k < 3; k++) { /* written compact as they came (series.c) */
        model_series_w *w = b->series[k];
        b->series[k] = NULL;
        if (w && model_series_w_take(m, (model_series_kind)k, w))
            goto fail_maps;
    }
    model_memtrace("series");
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
    range_totals(m->ranges[MR_GC], m->nranges[MR_GC], &in->ngc, &in->ngc_open, &in->gc_total_ns,
                 &in->gc_max_ns);
    range_totals(m->ranges[MR_STW], m->nranges[MR_STW], &in->nstw, &in->nstw_open,
                 &in->stw_total_ns, &in->stw_max_ns);
    size_t mem = sizeof *m + sizeof *m->cache;
    for (int k = 0; k < 4; k++)
        mem += model_lanes_bytes(&m->lanes[k]);
    mem += sizeof *m->gs * ng + (sizeof *m->kv_key + sizeof *m->kv_ns) * nkv;
    mem += sizeof *m->gs_off * ng + m->gsb_len;
    mem += sizeof(int64_t) * (np + nm);
    mem += sizeof *m->groups * m->ngroups + sizeof *m->group_lanes * ng;
    for (int k = 0; k < MR__COUNT; k++)
        mem += sizeof(model_range) * m->nranges[k];
    mem += sizeof(model_region) * in->nregions + sizeof(model_log) * in->nlogs +
           sizeof(model_task) * in->ntasks + sizeof(uint64_t) * m->ntask_refs +
           sizeof(uint32_t) * 2 * (ng + 2u);
    for (int k = 0; k < 3; k++)
        mem += model_series_bytes(m, (model_series_kind)k);
    for (int k = 0; k < MP__COUNT; k++)
        mem += sizeof(model_prof_rec) * m->nprof[k];
    in->mem_bytes = mem;
#ifdef GOTV_MEMTRACE
    /* what the model keeps, per part (KB) */
    for (int k = 0; k < 4; k++) {
        const model_lanes *l = &m->lanes[k];
        size_t nr = 0, nb = 0;
        for (uint32_t i = 0; i < l->n; i++) {
            nr += l->cnt[i];
            if (l->cnt[i])
                nb += (l->cnt[i] - 1) / MODEL_PBLOCK + 1;
        }
        size_t nck = l->ck_off ? l->ck_off[l->n] : 0;
        size_t ngr = (nck + MODEL_CKG - 1) / MODEL_CKG;
        fprintf(stderr,
                "  lanes %d: n %u recs %zu -> %zu KB; anchors %zu KB; ck %zu x %u states -> %zu KB (%u of %zu groups wide); "
                "ep %zu KB; esc %u; sites %u -> %zu KB; per lane %zu KB\n",
                k, l->n, nr, nr * l->stride / 1024, nb * 8 / 1024, nck, l->nst,
                (nck * l->nst * 4 + ngr * (l->nst * 8 + 4) + (size_t)l->nckx * MODEL_CKG * l->nst * 8) / 1024,
                l->nckx, ngr,
                l->ep_max ? (nck + l->n) * 5 / 1024 : 0, l->nesc, l->nsite,
                l->nsite * sizeof *l->site / 1024, (size_t)l->n * (8 + 4 + 8 + 8 + 4) / 1024);
    }
    fprintf(stderr,
            "  gs %zu KB summaries %zu KB (kv %zu); regions %u -> %zu KB; logs %u -> %zu KB; tasks %u -> %zu KB; "
            "task refs %u; ranges %u %u %u; mem_bytes %zu KB\n",
            sizeof *m->gs * ng / 1024, (m->gsb_len + 4 * ng) / 1024, nkv, in->nregions,
            sizeof(model_region) * in->nregions / 1024, in->nlogs, sizeof(model_log) * in->nlogs / 1024,
            in->ntasks, sizeof(model_task) * in->ntasks / 1024, m->ntask_refs, m->nranges[0], m->nranges[1],
            m->nranges[2], mem / 1024);
#endif
    model_memtrace("info");
    model_index_episodes(m);
    model_memtrace("index_episodes");

    free(gremap);
    free(premap);
    free(mremap);
    model_builder_free(b);
    model_memtrace("finish end");
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

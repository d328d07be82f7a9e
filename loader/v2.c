/*
 * The Go 1.22+ execution trace reader (header versions 22, 23, 25, 26).
 *
 * Reads one generation at a time, from the input buffer or (tt_load_file)
 * from the file with pread (file mode, see bytes_at): batches are indexed
 * where they are in the input, strings are interned into tt_syms,
 * stacks are interned lazily on first use, and events are decoded on the fly
 * by per-thread cursors that are merged exactly as Go's internal/trace reader
 * merges them (same heap, same tie-breaking, same readiness rules, same
 * synthesized events, same time fix-ups). Memory is proportional to one
 * generation's tables plus the persistent goroutine/P/thread state.
 *
 * Ties are broken exactly like Go, including the fallback path that sorts
 * the frontier with Go's (unstable) pdqsort: loader/sort.c reproduces it.
 *
 * Known differences from Go's reader, all on broken input only:
 *  - error texts are ours (they name generation, thread and byte offset);
 *  - where Go panics (e.g. a CPU sample or STW end naming a missing stack or
 *    string) we return an error;
 *  - events ordered just before a decoding error in the same thread are
 *    delivered (Go drops them); they belong to the broken generation, which
 *    callers discard (see trace.h).
 * Like Go, a frontier whose head cannot advance is retried in time order,
 * which is quadratic in the number of threads for pathological inputs.
 */
#include "loader/v2.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/sort.h"
#include "loader/syms_int.h"

/* ---- event types (v2 numbering) ----------------------------------------- */

enum {
    EV_NONE = 0, EV_EVENT_BATCH, EV_STACKS, EV_STACK, EV_STRINGS, EV_STRING, EV_CPU_SAMPLES,
    EV_CPU_SAMPLE, EV_FREQUENCY, EV_PROCS_CHANGE, EV_PROC_START, EV_PROC_STOP, EV_PROC_STEAL,
    EV_PROC_STATUS, EV_GO_CREATE, EV_GO_CREATE_SYSCALL, EV_GO_START, EV_GO_DESTROY,
    EV_GO_DESTROY_SYSCALL, EV_GO_STOP, EV_GO_BLOCK, EV_GO_UNBLOCK, EV_GO_SYSCALL_BEGIN,
    EV_GO_SYSCALL_END, EV_GO_SYSCALL_END_BLOCKED, EV_GO_STATUS, EV_STW_BEGIN, EV_STW_END,
    EV_GC_ACTIVE, EV_GC_BEGIN, EV_GC_END, EV_GC_SWEEP_ACTIVE, EV_GC_SWEEP_BEGIN, EV_GC_SWEEP_END,
    EV_GC_MARK_ASSIST_ACTIVE, EV_GC_MARK_ASSIST_BEGIN, EV_GC_MARK_ASSIST_END, EV_HEAP_ALLOC,
    EV_HEAP_GOAL, EV_GO_LABEL, EV_USER_TASK_BEGIN, EV_USER_TASK_END, EV_USER_REGION_BEGIN,
    EV_USER_REGION_END, EV_USER_LOG, EV_GO_SWITCH, EV_GO_SWITCH_DESTROY, EV_GO_CREATE_BLOCKED,
    EV_GO_STATUS_STACK, EV_EXPERIMENTAL_BATCH, EV_SYNC, EV_CLOCK_SNAPSHOT, EV_END_OF_GENERATION,
    EV_SPAN = 128, EV_GOROUTINE_STACK_FREE = 136,
    EV_NSPECS = 137
};

#define NO_ID UINT64_MAX /* NoThread / NoProc / NoGoroutine as raw uint64 */
#define MAX_BATCH_SIZE 65536u
#define MAX_FRAMES 128u
#define MAX_STRING 1024u

/* Number of wire arguments including dt for timed events; 0 = not a timed event. */
static const uint8_t ev_nargs[256] = {
    [EV_PROCS_CHANGE] = 3, [EV_PROC_START] = 3, [EV_PROC_STOP] = 1, [EV_PROC_STEAL] = 4,
    [EV_PROC_STATUS] = 3, [EV_GO_CREATE] = 4, [EV_GO_CREATE_SYSCALL] = 2, [EV_GO_START] = 3,
    [EV_GO_DESTROY] = 1, [EV_GO_DESTROY_SYSCALL] = 1, [EV_GO_STOP] = 3, [EV_GO_BLOCK] = 3,
    [EV_GO_UNBLOCK] = 4, [EV_GO_SYSCALL_BEGIN] = 3, [EV_GO_SYSCALL_END] = 1,
    [EV_GO_SYSCALL_END_BLOCKED] = 1, [EV_GO_STATUS] = 4, [EV_STW_BEGIN] = 3, [EV_STW_END] = 1,
    [EV_GC_ACTIVE] = 2, [EV_GC_BEGIN] = 3, [EV_GC_END] = 2, [EV_GC_SWEEP_ACTIVE] = 2,
    [EV_GC_SWEEP_BEGIN] = 2, [EV_GC_SWEEP_END] = 3, [EV_GC_MARK_ASSIST_ACTIVE] = 2,
    [EV_GC_MARK_ASSIST_BEGIN] = 2, [EV_GC_MARK_ASSIST_END] = 1, [EV_HEAP_ALLOC] = 2,
    [EV_HEAP_GOAL] = 2, [EV_GO_LABEL] = 2, [EV_USER_TASK_BEGIN] = 5, [EV_USER_TASK_END] = 3,
    [EV_USER_REGION_BEGIN] = 4, [EV_USER_REGION_END] = 4, [EV_USER_LOG] = 5, [EV_GO_SWITCH] = 3,
    [EV_GO_SWITCH_DESTROY] = 3, [EV_GO_CREATE_BLOCKED] = 4, [EV_GO_STATUS_STACK] = 5,
    [EV_CLOCK_SNAPSHOT] = 4, [128] = 4, [129] = 4, [130] = 2, [131] = 3, [132] = 3, [133] = 2,
    [134] = 3, [135] = 3, [136] = 2,
};

static const char *const ev_names[EV_NSPECS] = {
    "None", "EventBatch", "Stacks", "Stack", "Strings", "String", "CPUSamples", "CPUSample",
    "Frequency", "ProcsChange", "ProcStart", "ProcStop", "ProcSteal", "ProcStatus", "GoCreate",
    "GoCreateSyscall", "GoStart", "GoDestroy", "GoDestroySyscall", "GoStop", "GoBlock",
    "GoUnblock", "GoSyscallBegin", "GoSyscallEnd", "GoSyscallEndBlocked", "GoStatus", "STWBegin",
    "STWEnd", "GCActive", "GCBegin", "GCEnd", "GCSweepActive", "GCSweepBegin", "GCSweepEnd",
    "GCMarkAssistActive", "GCMarkAssistBegin", "GCMarkAssistEnd", "HeapAlloc", "HeapGoal",
    "GoLabel", "UserTaskBegin", "UserTaskEnd", "UserRegionBegin", "UserRegionEnd", "UserLog",
    "GoSwitch", "GoSwitchDestroy", "GoCreateBlocked", "GoStatusStack", "ExperimentalBatch", "Sync",
    "ClockSnapshot", "EndOfGeneration",
    [128] = "Span", "SpanAlloc", "SpanFree", "HeapObject", "HeapObjectAlloc", "HeapObjectFree",
    "GoroutineStack", "GoroutineStackAlloc", "GoroutineStackFree",
};

static const char *ev_name(unsigned t)
{
    return t < EV_NSPECS && ev_names[t] ? ev_names[t] : "?";
}

/* Argument slots (1-based after dt, i.e. args[v-1]) holding stack IDs; 0 = none.
 * The first stack slot is the event's own stack (Go's StackIDs[0]). */
static const uint8_t ev_stack[EV_NSPECS][2] = {
    [EV_CPU_SAMPLE] = {4, 0}, [EV_PROCS_CHANGE] = {2, 0}, [EV_GO_CREATE] = {3, 2},
    [EV_GO_STOP] = {2, 0}, [EV_GO_BLOCK] = {2, 0}, [EV_GO_UNBLOCK] = {3, 0},
    [EV_GO_SYSCALL_BEGIN] = {2, 0}, [EV_STW_BEGIN] = {2, 0}, [EV_GC_BEGIN] = {2, 0},
    [EV_GC_SWEEP_BEGIN] = {1, 0}, [EV_GC_MARK_ASSIST_BEGIN] = {1, 0},
    [EV_USER_TASK_BEGIN] = {4, 0}, [EV_USER_TASK_END] = {2, 0},
    [EV_USER_REGION_BEGIN] = {3, 0}, [EV_USER_REGION_END] = {3, 0}, [EV_USER_LOG] = {4, 0},
    [EV_GO_CREATE_BLOCKED] = {3, 2}, [EV_GO_STATUS_STACK] = {4, 0},
};

static const uint8_t ev_kind[256] = {
    [EV_CPU_SAMPLE] = TT_EV_STACK_SAMPLE, [EV_PROCS_CHANGE] = TT_EV_METRIC,
    [EV_PROC_START] = TT_EV_STATE_TRANSITION, [EV_PROC_STOP] = TT_EV_STATE_TRANSITION,
    [EV_PROC_STEAL] = TT_EV_STATE_TRANSITION, [EV_PROC_STATUS] = TT_EV_STATE_TRANSITION,
    [EV_GO_CREATE] = TT_EV_STATE_TRANSITION, [EV_GO_CREATE_SYSCALL] = TT_EV_STATE_TRANSITION,
    [EV_GO_START] = TT_EV_STATE_TRANSITION, [EV_GO_DESTROY] = TT_EV_STATE_TRANSITION,
    [EV_GO_DESTROY_SYSCALL] = TT_EV_STATE_TRANSITION, [EV_GO_STOP] = TT_EV_STATE_TRANSITION,
    [EV_GO_BLOCK] = TT_EV_STATE_TRANSITION, [EV_GO_UNBLOCK] = TT_EV_STATE_TRANSITION,
    [EV_GO_SYSCALL_BEGIN] = TT_EV_STATE_TRANSITION, [EV_GO_SYSCALL_END] = TT_EV_STATE_TRANSITION,
    [EV_GO_SYSCALL_END_BLOCKED] = TT_EV_STATE_TRANSITION, [EV_GO_STATUS] = TT_EV_STATE_TRANSITION,
    [EV_STW_BEGIN] = TT_EV_RANGE_BEGIN, [EV_STW_END] = TT_EV_RANGE_END,
    [EV_GC_ACTIVE] = TT_EV_RANGE_ACTIVE, [EV_GC_BEGIN] = TT_EV_RANGE_BEGIN,
    [EV_GC_END] = TT_EV_RANGE_END, [EV_GC_SWEEP_ACTIVE] = TT_EV_RANGE_ACTIVE,
    [EV_GC_SWEEP_BEGIN] = TT_EV_RANGE_BEGIN, [EV_GC_SWEEP_END] = TT_EV_RANGE_END,
    [EV_GC_MARK_ASSIST_ACTIVE] = TT_EV_RANGE_ACTIVE, [EV_GC_MARK_ASSIST_BEGIN] = TT_EV_RANGE_BEGIN,
    [EV_GC_MARK_ASSIST_END] = TT_EV_RANGE_END, [EV_HEAP_ALLOC] = TT_EV_METRIC,
    [EV_HEAP_GOAL] = TT_EV_METRIC, [EV_GO_LABEL] = TT_EV_LABEL,
    [EV_USER_TASK_BEGIN] = TT_EV_TASK_BEGIN, [EV_USER_TASK_END] = TT_EV_TASK_END,
    [EV_USER_REGION_BEGIN] = TT_EV_REGION_BEGIN, [EV_USER_REGION_END] = TT_EV_REGION_END,
    [EV_USER_LOG] = TT_EV_LOG, [EV_GO_SWITCH] = TT_EV_STATE_TRANSITION,
    [EV_GO_SWITCH_DESTROY] = TT_EV_STATE_TRANSITION, [EV_GO_CREATE_BLOCKED] = TT_EV_STATE_TRANSITION,
    [EV_GO_STATUS_STACK] = TT_EV_STATE_TRANSITION,
    [128 ... 136] = TT_EV_EXPERIMENTAL,
};

/* Public resource and from/to states of events where they depend only on
 * the type (emit fills the others). */
static const uint8_t ev_rft[EV_NSPECS][3] = {
    [EV_PROC_START] = {TT_RES_PROC, TT_PS_IDLE, TT_PS_RUNNING},
    [EV_PROC_STOP] = {TT_RES_PROC, TT_PS_RUNNING, TT_PS_IDLE},
    [EV_GO_CREATE] = {TT_RES_GOROUTINE, TT_GS_NOTEXIST, TT_GS_RUNNABLE},
    [EV_GO_CREATE_BLOCKED] = {TT_RES_GOROUTINE, TT_GS_NOTEXIST, TT_GS_WAITING},
    [EV_GO_CREATE_SYSCALL] = {TT_RES_GOROUTINE, TT_GS_NOTEXIST, TT_GS_SYSCALL},
    [EV_GO_START] = {TT_RES_GOROUTINE, TT_GS_RUNNABLE, TT_GS_RUNNING},
    [EV_GO_DESTROY] = {TT_RES_GOROUTINE, TT_GS_RUNNING, TT_GS_NOTEXIST},
    [EV_GO_DESTROY_SYSCALL] = {TT_RES_GOROUTINE, TT_GS_SYSCALL, TT_GS_NOTEXIST},
    [EV_GO_STOP] = {TT_RES_GOROUTINE, TT_GS_RUNNING, TT_GS_RUNNABLE},
    [EV_GO_BLOCK] = {TT_RES_GOROUTINE, TT_GS_RUNNING, TT_GS_WAITING},
    [EV_GO_UNBLOCK] = {TT_RES_GOROUTINE, TT_GS_WAITING, TT_GS_RUNNABLE},
    [EV_GO_SWITCH] = {TT_RES_GOROUTINE, TT_GS_WAITING, TT_GS_RUNNABLE},
    [EV_GO_SWITCH_DESTROY] = {TT_RES_GOROUTINE, TT_GS_WAITING, TT_GS_RUNNABLE},
    [EV_GO_SYSCALL_BEGIN] = {TT_RES_GOROUTINE, TT_GS_RUNNING, TT_GS_SYSCALL},
    [EV_GO_SYSCALL_END] = {TT_RES_GOROUTINE, TT_GS_SYSCALL, TT_GS_RUNNING},
    [EV_GO_SYSCALL_END_BLOCKED] = {TT_RES_GOROUTINE, TT_GS_SYSCALL, TT_GS_RUNNABLE},
};

/* The header fields of an event of spec t (everything else zero): the
 * per-reader table (init_hdr) and, for a constant t, straight from these
 * tables (the compiler folds it). */
static inline __attribute__((always_inline)) void hdr_fill(tt_event *h, unsigned t)
{
    memset(h, 0, sizeof *h);
    h->kind = ev_kind[t];
    h->type = (uint8_t)t;
    h->res = ev_rft[t][0];
    h->from = ev_rft[t][1];
    h->to = ev_rft[t][2];
}

/* Range "begin" type of a range event (Go's StartEv), for in-flight tracking. */
static unsigned range_start(unsigned t)
{
    switch (t) {
    case EV_STW_END: return EV_STW_BEGIN;
    case EV_GC_ACTIVE: case EV_GC_END: return EV_GC_BEGIN;
    case EV_GC_SWEEP_ACTIVE: case EV_GC_SWEEP_END: return EV_GC_SWEEP_BEGIN;
    case EV_GC_MARK_ASSIST_ACTIVE: case EV_GC_MARK_ASSIST_END: return EV_GC_MARK_ASSIST_BEGIN;
    case EV_GO_SYSCALL_END: case EV_GO_SYSCALL_END_BLOCKED: return EV_GO_SYSCALL_BEGIN;
    case EV_USER_REGION_END: return EV_USER_REGION_BEGIN;
    default: return t;
    }
}

/* wire statuses */
enum { GO_BAD, GO_RUNNABLE, GO_RUNNING, GO_SYSCALL, GO_WAITING };
enum { PROC_BAD, PROC_RUNNING, PROC_IDLE, PROC_SYSCALL, PROC_SYSCALL_ABANDONED };
static const uint8_t gostatus2state[5] = {TT_GS_UNDETERMINED, TT_GS_RUNNABLE, TT_GS_RUNNING,
                                          TT_GS_SYSCALL, TT_GS_WAITING};
static const uint8_t procstatus2state[5] = {TT_PS_UNDETERMINED, TT_PS_RUNNING, TT_PS_IDLE,
                                            TT_PS_RUNNING, TT_PS_IDLE};
static const char *const gostatus_names[] = {"Bad", "Runnable", "Running", "Syscall", "Waiting"};
static const char *const procstatus_names[] = {"Bad", "Running", "Idle", "Syscall",
                                               "SyscallAbandoned"};
static const char *gs_name(uint64_t s) { return s < 5 ? gostatus_names[s] : "Bad"; }
static const char *ps_name(uint64_t s) { return s < 5 ? procstatus_names[s] : "Bad"; }

/* ---- a small u64 -> u64 hash map (linear probing, backward-shift delete) -- */

typedef struct kvp {
    uint64_t k, v;
} kvp;

typedef struct u64map {
    kvp *slots;
    uint8_t *used;
    size_t cap, n;
} u64map;

static inline size_t map_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static void map_free(u64map *m)
{
    free(m->slots);
    free(m->used);
    memset(m, 0, sizeof *m);
}

static void map_clear(u64map *m)
{
    if (m->n)
        memset(m->used, 0, m->cap);
    m->n = 0;
}

static inline uint64_t *map_get(const u64map *m, uint64_t k)
{
    if (!m->n)
        return NULL;
    size_t mask = m->cap - 1, i = map_hash(k) & mask;
    while (m->used[i]) {
        if (m->slots[i].k == k)
            return &m->slots[i].v;
        i = (i + 1) & mask;
    }
    return NULL;
}

static int map_grow(u64map *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    kvp *ns = malloc(nc * sizeof *ns);
    uint8_t *nu = calloc(nc, 1);
    if (!ns || !nu) {
        free(ns);
        free(nu);
        return -1;
    }
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->used[j])
            continue;
        size_t i = map_hash(m->slots[j].k) & (nc - 1);
        while (nu[i])
            i = (i + 1) & (nc - 1);
        nu[i] = 1;
        ns[i] = m->slots[j];
    }
    free(m->slots);
    free(m->used);
    m->slots = ns;
    m->used = nu;
    m->cap = nc;
    return 0;
}

/* Insert k (must be absent or is overwritten); returns pointer to value or NULL on OOM. */
static uint64_t *map_put(u64map *m, uint64_t k, uint64_t v)
{
    if ((m->n + 1) * 4 > m->cap * 3 && map_grow(m))
        return NULL;
    size_t mask = m->cap - 1, i = map_hash(k) & mask;
    while (m->used[i]) {
        if (m->slots[i].k == k) {
            m->slots[i].v = v;
            return &m->slots[i].v;
        }
        i = (i + 1) & mask;
    }
    m->used[i] = 1;
    m->slots[i] = (kvp){k, v};
    m->n++;
    return &m->slots[i].v;
}

static void map_del(u64map *m, uint64_t k)
{
    if (!m->n)
        return;
    size_t mask = m->cap - 1, i = map_hash(k) & mask;
    while (m->used[i] && m->slots[i].k != k)
        i = (i + 1) & mask;
    if (!m->used[i])
        return;
    m->used[i] = 0;
    m->n--;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->used[j])
            break;
        size_t h = map_hash(m->slots[j].k) & mask;
        /* move j into hole i if h is not cyclically in (i, j] */
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            m->slots[i] = m->slots[j];
            m->used[i] = 1;
            m->used[j] = 0;
            i = j;
        }
    }
}

/* Grow *p to hold need elements, doubling from first (or *cap). */
static int grow_from(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}
static int grow_arr(void **p, size_t *cap, size_t need, size_t elem)
{
    return grow_from(p, cap, need, elem, 8);
}
#define GROW(arr, cap, need) grow_arr((void **)&(arr), &(cap), (need), sizeof *(arr))

/* ---- reader state --------------------------------------------------------- */

typedef struct oev { /* an event inside the ordering machinery */
    int64_t time;
    uint64_t args[5]; /* args[4] is always 0 (see ev_stk) */
    uint64_t g, p, m; /* context */
    size_t off;       /* file offset of the event */
    uint8_t typ;
    uint8_t synth;
} oev;

typedef struct vbatch {
    uint64_t m, time;
    size_t off;   /* payload offset in the buffer */
    uint32_t len; /* payload length */
    int32_t next; /* next event batch of the same M, -1 */
} vbatch;

typedef struct cursor {
    uint64_t m;
    int32_t bidx; /* current batch, -1 = done */
    const uint8_t *p, *end; /* unread bytes of the current batch */
    const uint8_t *fast;    /* cursor_next decodes inline while p < fast (see there) */
    uintptr_t base;         /* p - base is p's file offset (p may be in a copy) */
    uint64_t btime;         /* its raw timestamp */
    int64_t last_ts;
    size_t msi; /* index of this M's state in rd.ms, SIZE_MAX until known */
    oev ev;
} cursor;

typedef struct hent {
    int64_t t; /* == c->ev.time */
    cursor *c;
} hent;

typedef struct cpu_sample {
    int64_t time;
    uint64_t m, p, g, stack;
    size_t off;
} cpu_sample;

typedef struct pframe { /* first frame seen for a PC in this generation */
    uint64_t pc, func, file, line;
} pframe;

typedef struct gstack { /* per-generation stack table entry */
    size_t pcoff; /* index into pcs */
    uint32_t n;
    uint32_t global; /* interned id, UINT32_MAX until first use */
} gstack;

typedef struct kd {
    uint32_t idx1; /* index in stks + 1, 0 = absent */
    uint32_t glob; /* interned id, UINT32_MAX until first use */
} kd;

typedef struct rng {
    uint64_t desc;
    uint8_t typ;
} rng;

typedef struct region {
    uint64_t task;
    uint32_t name;
} region;

/* Rarely used per-goroutine state (user regions, in-flight STW and
 * mark-assist ranges), allocated on first use and recycled. */
typedef struct gext {
    region *regs;
    rng *rngs;
    u64map *stwset; /* descs of in-flight STW ranges, once there are many */
    uint32_t nregs, capregs;
    uint32_t nrngs, caprngs;
    uint32_t assist_pos; /* index of the mark-assist range in rngs, UINT32_MAX = none */
} gext;

/* Per-goroutine ordering state: 24 bytes, stored in fixed chunks (stable
 * addresses, no copies on growth) and found through an open-addressed
 * table of 32-bit indexes (see gtab_*). */
typedef struct gst {
    uint64_t id, seq;
    uint32_t sgen;       /* generation of seq, as an index into rd.gens */
    unsigned status : 3; /* GO_* */
    unsigned ext : 29;   /* index + 1 into rd.gx, 0 = none */
} gst;

#define GCHUNK_BITS 14u
#define GCHUNK (1u << GCHUNK_BITS)
#define GEXT_MAX ((1u << 29) - 1)
#define PDENSE_MAX 4096u   /* P ids below this are looked up in rd.pdense */
#define G_DEAD 7u         /* gst.status of a freed slot */
#define GCACHE 1024u      /* direct-mapped cache of recently used goroutines */

typedef struct pst {
    uint64_t sgen, seq;
    rng *rngs;
    size_t nrngs, caprngs;
    uint32_t *holders; /* indexes of threads whose context holds this P */
    size_t nh, caph;
    uint8_t status;
} pst;

typedef struct mst {
    uint64_t g, p;
    uint64_t id;
    size_t hpos; /* position in its P's holder list, SIZE_MAX = none */
} mst;

typedef struct task {
    uint32_t name;
    uint64_t parent;
} task;

/*
 * Strings of a generation. A string id's value (sdense, strs) is its global
 * id + 1, or STR_LOCAL | i: the string is entry i of the generation's
 * gstore, not interned yet (lazy mode only: TT_SINK_LOG_TEXT). The gstore
 * holds each distinct content of the generation once (Go gives every log
 * message an id of its own: most are the same few texts), NUL-terminated;
 * it is cleared and reused two generations later, so memory is bounded by
 * the largest generation instead of growing with the trace.
 */
#define STR_LOCAL 0x80000000u

typedef struct gsent {
    uint64_t off;  /* in bytes */
    uint32_t len;
    uint32_t hash; /* hash_bytes */
    uint32_t gid;  /* global id once interned, else UINT32_MAX */
    uint32_t fwd;  /* while this is the previous generation's store: the
                      entry + 1 of the same content in the current one */
} gsent;

typedef struct gstore {
    char *bytes;
    size_t nbytes, capbytes;
    gsent *ents;
    size_t nents, capents;
    uint32_t *ht;  /* entry + 1, 0 = empty; a power of two, at most 3/4 full */
    size_t htcap;
} gstore;

typedef struct cbuf { /* a cursor's copy of its current batch (file mode) */
    uint8_t *p;
    size_t cap;
} cbuf;

typedef struct rd {
    const uint8_t *buf; /* the whole input (NULL in file mode: see bytes_at) */
    size_t len;
    int fd;             /* file mode (>= 0): bytes are read with pread, see bytes_at */
    uint8_t *sw;        /* file mode: read_gen's window, file bytes [swoff, swoff + swlen) */
    size_t swoff, swlen, swcap;
    cbuf *cbufs;        /* file mode: per cursor index */
    size_t ncbufs;
    int ver;
    tt_syms *syms;
    const tt_sink *sink;
    int (*on_event)(void *ctx, const tt_event *ev); /* sink->on_event, or a no-op */
    void *sink_ctx;
    tt_event ebuf; /* the event being delivered by emit (sync fields stay zero) */
    uint64_t hdr[EV_NSPECS]; /* per type: the bytes tt_event.kind .. +8 that emit starts from */
    uint8_t stkslot[EV_NSPECS]; /* per type: index in oev.args of its stack ID, 4 (zero) if none */
    tt_load_result *res;
    tt_err *err;

    /* generation */
    uint64_t gen;
    uint64_t min_ts;
    double freq;
    unsigned fshift; /* freq == 2^fshift exactly ... */
    uint64_t flim;   /* ... then fmul(freq, t) == t << fshift for t < flim (else flim = 0) */
    int has_freq, has_snap;
    uint64_t snap_time, snap_mono, snap_sec, snap_nsec;
    vbatch *batches;
    size_t nbatches, capbatches;
    u64map mcur; /* m -> cursor index */
    cursor *curs;
    size_t ncurs, capcurs;
    int32_t *tails; /* per cursor: last batch index */
    size_t captails;
    struct hent *heap; /* the frontier: cursors keyed by their event time */
    size_t nheap, capheap;
    cpu_sample *cpu;
    size_t ncpu, capcpu, cpupos;
    int64_t cpu_next; /* time of cpu[cpupos], INT64_MAX when none is left */
    u64map strs;   /* string id -> its value (see STR_LOCAL), ids not in sdense */
    u64map pcmap;  /* pc -> index into frames */
    pframe *frames;
    size_t nframes, capframes;
    u64map stkmap; /* stack id -> index into stks */
    gstack *stks;
    size_t nstks, capstks;
    uint64_t *pcs;
    size_t npcs, cappcs;
    tt_frame *fbuf;
    size_t capfbuf;
    uint32_t *sdense; /* string id -> value (0 = not here: see strs), ids < nsdense */
    size_t nsdense, capsdense;
    uint32_t *psdense; /* sdense of the previous generation */
    size_t npsdense, cappsdense;
    size_t nstrgen;    /* strings of this generation */
    int lazy;          /* TT_SINK_LOG_TEXT: strings in gs, interned on first use */
    int gcur;          /* lazy: gs[gcur] is this generation's, the other the previous one's */
    gstore gs[2];
    struct kd *kdense; /* stack id -> index in stks + 1 (0 = absent), ids < nkdense */
    size_t nkdense, capkdense;

    /* ordering, persistent */
    uint64_t initial_gen; /* Go's initialGen: set by the first Advance */
    int first;            /* the generation being ordered is initial_gen */
    uint32_t *gtab;  /* goroutine table: index + 1 of the gst, 0 = empty slot */
    size_t gtcap, gtn; /* slots (a power of two, or 0), goroutines */
    gst **gchunks;   /* goroutine states, GCHUNK per chunk */
    size_t ngchunks, capgchunks;
    size_t ngs;      /* gst slots handed out (live + free) */
    uint32_t *gfree;
    size_t ngfree, capgfree;
    gext *gx;        /* goroutine extensions, see gst.ext */
    size_t ngx, capgx;
    uint32_t *gxfree;
    size_t ngxfree, capgxfree;
    gst *gcache[GCACHE]; /* by id % GCACHE: a gst that had that id (check id and status) */
    gst gdead;           /* what gcache entries point to before first use */
    uint64_t *gens;  /* raw generation number of each generation read (gst.sgen) */
    size_t ngens, capgens;
    u64map pmap;      /* P id -> index in ps, for ids >= PDENSE_MAX */
    uint32_t *pdense; /* P id -> index in ps + 1 (0 = none), ids < npdense */
    size_t npdense, cappdense;
    pst *ps;
    size_t nps, capps;
    u64map mmap_;
    mst *ms;
    size_t nms, capms;
    u64map tmap; /* task id -> index into tasks */
    task *tasks;
    size_t ntasks, captasks;
    uint32_t *tfree;
    size_t ntfree, captfree;
    uint64_t gc_seq;
    int gc_state; /* 0 undetermined, 1 not running, 2 running */

    struct qent {
        const oev *e;
        uint64_t g, p, m; /* context */
    } q[4];
    int nq;
    oev syn[3]; /* synthesized events of the current step */
    int nsyn;

    int64_t last_ts;
    uint64_t syncs;
    uint64_t events;
    uint64_t valid_events; /* events delivered up to and including the last Sync */
    int eof_quirk; /* the last table read error was a bare EOF (see tt_load_v2) */
    int pext;      /* the root loop squeezes varints with pext (v2_use_pext) */
    size_t gen_start, gen_end; /* byte range of the generation being read */
    uint64_t next_progress;

    u64map stwnames; /* global id of a STW kind -> global id of "stop-the-world (kind)" */
    /* interned constant names */
    uint32_t s_gomaxprocs, s_heapobj, s_heapgoal, s_gcmark, s_sweep, s_assist;
} rd;

static tt_status fail(rd *r, tt_status code, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
#include <stdio.h>
static tt_status fail(rd *r, tt_status code, uint64_t off, const char *fmt, ...)
{
    if (r->err) {
        va_list ap;
        va_start(ap, fmt);
        r->err->code = code;
        r->err->offset = off;
        vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
#define NOMEM(r, off) fail((r), TT_ERR_NOMEM, (off), "out of memory")

/*
 * File mode (tt_load_file on a regular file: r->fd >= 0, r->buf NULL): the
 * input is read with pread instead of through a mapping, so no page of it is
 * mapped, faulted in or dropped (bench/profile-io-s14.md). read_gen reads
 * batch headers and table batches through a small window (bytes_at); event
 * batches are not read there: each cursor reads its current batch into a
 * buffer of its own (cursor_fetch), freed when the cursor is done, so the
 * input held at once is about one batch per thread of the generation.
 */
#define SCAN_CHUNK ((size_t)1 << 10)
_Thread_local size_t tt_v2_scan_chunk;

/* Read up to n bytes at file offset off into dst, fewer only at the end of
 * the file. Returns the count, or -1 (error set) on a read error. */
static ptrdiff_t read_upto(rd *r, uint8_t *dst, size_t n, size_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(r->fd, dst + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            fail(r, TT_ERR_IO, off + got, "error reading the trace at byte %zu: %s", off + got,
                 strerror(e));
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ptrdiff_t)got;
}

static int read_short(rd *r, size_t at)
{
    struct stat st;
    if (fstat(r->fd, &st) == 0)
        fail(r, TT_ERR_IO, at,
             "error reading the trace at byte %zu: the file is shorter than when it was opened "
             "(now %lld bytes, was %zu)",
             at, (long long)st.st_size, r->len);
    else
        fail(r, TT_ERR_IO, at,
             "error reading the trace at byte %zu: the file is shorter than when it was opened "
             "(%zu bytes)",
             at, r->len);
    return -1;
}

/* Refill read_gen's window at p with at least n bytes (*got: how many it
 * holds, which may be fewer only when got is not NULL: then at least 1). */
static __attribute__((noinline)) const uint8_t *bytes_fill(rd *r, size_t p, size_t n, size_t *got_out)
{
    size_t chunk = tt_v2_scan_chunk ? tt_v2_scan_chunk : SCAN_CHUNK;
    size_t want = n > chunk ? n : chunk;
    if (want > r->len - p)
        want = r->len - p;
    if (want > r->swcap || !r->sw) {
        size_t c = want > chunk ? want : chunk;
        uint8_t *nb = realloc(r->sw, c);
        if (!nb) {
            NOMEM(r, p);
            return NULL;
        }
        r->sw = nb;
        r->swcap = c;
    }
    r->swoff = p;
    r->swlen = 0;
    ptrdiff_t got = read_upto(r, r->sw, want, p);
    if (got < 0)
        return NULL;
    r->swlen = (size_t)got;
    if ((size_t)got < (got_out ? 1 : n)) {
        read_short(r, p + (size_t)got);
        return NULL;
    }
    if (got_out)
        *got_out = (size_t)got < n ? (size_t)got : n;
    return r->sw;
}

/* Bytes [p, p + n) of the input (p + n <= r->len, n > 0): in the buffer, or
 * in file mode in read_gen's window, refilled from p when it does not hold
 * them (the pointer is valid until the next call). NULL on a read error. */
static inline const uint8_t *bytes_at(rd *r, size_t p, size_t n)
{
    if (r->fd < 0)
        return r->buf + p;
    if (p >= r->swoff && n <= r->swlen && p - r->swoff <= r->swlen - n)
        return r->sw + (p - r->swoff);
    return bytes_fill(r, p, n, NULL);
}

/* bytes_at for a batch header: up to n bytes, *got of them readable (fewer
 * than n only in file mode when the file became shorter; at least 1). */
static inline const uint8_t *bytes_some(rd *r, size_t p, size_t n, size_t *got)
{
    *got = n;
    if (r->fd < 0)
        return r->buf + p;
    if (p >= r->swoff && n <= r->swlen && p - r->swoff <= r->swlen - n)
        return r->sw + (p - r->swoff);
    return bytes_fill(r, p, n, got);
}

/* Go's Time(float64(t) * float64(freq)); out-of-range conversions give INT64_MIN like amd64. */
static inline int64_t fmul(double f, uint64_t t)
{
    double x = (double)t * f;
    if (!(x > -9223372036854775808.0 && x < 9223372036854775808.0))
        return INT64_MIN;
    return (int64_t)x;
}

/* fmul(r->freq, t), with a shift when the frequency is a power of two. */
static inline int64_t tmul(const rd *r, uint64_t t)
{
    if (__builtin_expect(t < r->flim, 1))
        return (int64_t)(t << r->fshift);
    return fmul(r->freq, t);
}

/* Set fshift/flim for r->freq: the shift is exact while t and t << k fit a
 * double's 53-bit mantissa and an int64. */
static void set_fshift(rd *r)
{
    int e;
    double m = frexp(r->freq, &e);
    r->flim = 0;
    r->fshift = 0;
    if (m == 0.5 && e >= 1 && e <= 63) {
        unsigned k = (unsigned)(e - 1);
        r->fshift = k;
        r->flim = k <= 10 ? (uint64_t)1 << 53 : (uint64_t)1 << (63 - k);
    }
}

/* The value of string id (see STR_LOCAL): 1 if it is in this generation's
 * table (id 0: "", value 1), else 0. */
static inline int str_val(const rd *r, uint64_t id, uint32_t *v)
{
    if (id == 0) {
        *v = 1;
        return 1;
    }
    if (id < r->nsdense && r->sdense[id]) {
        *v = r->sdense[id];
        return 1;
    }
    const uint64_t *p = map_get(&r->strs, id);
    if (!p)
        return 0;
    *v = (uint32_t)*p;
    return 1;
}

static void str_set_val(rd *r, uint64_t id, uint32_t v)
{
    if (id < r->nsdense && r->sdense[id]) {
        r->sdense[id] = v;
        return;
    }
    uint64_t *p = map_get(&r->strs, id);
    if (p)
        *p = v;
}

static int gs_put(gstore *g, const char *bytes, uint32_t len, uint32_t h, uint32_t gid,
                  uint32_t *out);

static __attribute__((noinline)) int str_gid_slow(rd *r, uint64_t id, uint32_t *out);

/* The global id of string id, interned now if it is not yet (lazy mode):
 * 1 found, 0 unknown id, -1 out of memory. */
static inline int str_gid(rd *r, uint64_t id, uint32_t *out)
{
    uint32_t v;
    if (id < r->nsdense && (v = r->sdense[id]) - 1 < STR_LOCAL - 1) { /* interned */
        *out = v - 1;
        return 1;
    }
    return str_gid_slow(r, id, out);
}

static int str_gid_slow(rd *r, uint64_t id, uint32_t *out)
{
    uint32_t v;
    if (!str_val(r, id, &v))
        return 0;
    if (!(v & STR_LOCAL)) {
        *out = v - 1;
        return 1;
    }
    gsent *e = &r->gs[r->gcur].ents[v & ~STR_LOCAL];
    if (e->gid == UINT32_MAX) {
        uint32_t g = tt_syms_intern(r->syms, r->gs[r->gcur].bytes + e->off, e->len);
        if (g >= STR_LOCAL - 1)
            return -1;
        e->gid = g;
    }
    str_set_val(r, id, e->gid + 1);
    *out = e->gid;
    return 1;
}

/* The bytes of string id: 1 found, 0 unknown id. */
static int str_bytes(const rd *r, uint64_t id, const char **p, uint32_t *len)
{
    uint32_t v;
    if (!str_val(r, id, &v))
        return 0;
    if (v & STR_LOCAL) {
        const gstore *g = &r->gs[r->gcur];
        const gsent *e = &g->ents[v & ~STR_LOCAL];
        *p = g->bytes + e->off;
        *len = e->len;
    } else {
        size_t l;
        *p = syms_str_at(r->syms, v - 1, &l);
        *len = (uint32_t)l;
    }
    return 1;
}

/* Entry of bytes[0..len) (hash h) in g, added if absent (with gid); *out =
 * its index. Returns -1 on allocation failure. */
static int gs_put(gstore *g, const char *bytes, uint32_t len, uint32_t h, uint32_t gid,
                  uint32_t *out)
{
    if (g->htcap) {
        size_t mask = g->htcap - 1;
        for (size_t i = h & mask; g->ht[i]; i = (i + 1) & mask) {
            gsent *e = &g->ents[g->ht[i] - 1];
            if (e->hash == h && e->len == len && memcmp(g->bytes + e->off, bytes, len) == 0) {
                if (e->gid == UINT32_MAX)
                    e->gid = gid;
                *out = g->ht[i] - 1;
                return 0;
            }
        }
    }
    if (g->nents >= STR_LOCAL - 1)
        return -1;
    if ((g->nents + 1) * 4 > g->htcap * 3) {
        size_t nc = g->htcap ? g->htcap * 2 : 1024;
        uint32_t *nt = calloc(nc, sizeof *nt);
        if (!nt)
            return -1;
        for (size_t k = 0; k < g->nents; k++) {
            size_t i = g->ents[k].hash & (nc - 1);
            while (nt[i])
                i = (i + 1) & (nc - 1);
            nt[i] = (uint32_t)k + 1;
        }
        free(g->ht);
        g->ht = nt;
        g->htcap = nc;
    }
    if (GROW(g->ents, g->capents, g->nents + 1) || GROW(g->bytes, g->capbytes, g->nbytes + len + 1))
        return -1;
    memcpy(g->bytes + g->nbytes, bytes, len);
    g->bytes[g->nbytes + len] = 0;
    g->ents[g->nents] = (gsent){g->nbytes, len, h, gid, 0};
    g->nbytes += len + 1;
    size_t i = h & (g->htcap - 1);
    while (g->ht[i])
        i = (i + 1) & (g->htcap - 1);
    g->ht[i] = (uint32_t)g->nents + 1;
    *out = (uint32_t)g->nents++;
    return 0;
}

static void gs_clear(gstore *g)
{
    if (g->nents)
        memset(g->ht, 0, g->htcap * sizeof *g->ht);
    g->nents = g->nbytes = 0;
}

static void gs_free(gstore *g)
{
    free(g->bytes);
    free(g->ents);
    free(g->ht);
}

/* Lazy mode: the value of a new string of this generation. Usually the
 * previous generation had the same string under the same id: then its
 * entry there says where the content is now (or its global id). */
static int gs_add(rd *r, uint64_t id, const char *bytes, uint32_t len, uint32_t *v)
{
    gstore *cur = &r->gs[r->gcur], *prv = &r->gs[r->gcur ^ 1];
    uint32_t li;
    if (id < r->npsdense && r->psdense[id]) {
        uint32_t pv = r->psdense[id];
        if (pv & STR_LOCAL) {
            gsent *pe = &prv->ents[pv & ~STR_LOCAL];
            if (pe->len == len && memcmp(prv->bytes + pe->off, bytes, len) == 0) {
                if (!pe->fwd) {
                    if (gs_put(cur, bytes, len, pe->hash, pe->gid, &li))
                        return -1;
                    pe->fwd = li + 1;
                }
                *v = STR_LOCAL | (pe->fwd - 1);
                return 0;
            }
        } else if (pv - 1 < r->syms->nstrs) {
            size_t pl;
            const char *ps = syms_str_at(r->syms, pv - 1, &pl);
            if (pl == len && memcmp(ps, bytes, pl) == 0) {
                *v = pv;
                return 0;
            }
        }
    }
    if (gs_put(cur, bytes, len, hash_bytes(bytes, len), UINT32_MAX, &li))
        return -1;
    *v = STR_LOCAL | li;
    return 0;
}

static inline gstack *stk_lookup(const rd *r, uint64_t id)
{
    if (id < r->nkdense) {
        uint32_t v = r->kdense[id].idx1;
        return v ? &r->stks[v - 1] : NULL;
    }
    const uint64_t *p = map_get(&r->stkmap, id);
    return p ? &r->stks[*p] : NULL;
}

static int densify_stacks(rd *r)
{
    const u64map *m = &r->stkmap;
    size_t limit = 2 * m->n + 1024, maxid = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->used[i] && m->slots[i].k < limit && m->slots[i].k + 1 > maxid)
            maxid = (size_t)m->slots[i].k + 1;
    if (GROW(r->kdense, r->capkdense, maxid ? maxid : 1))
        return -1;
    /* Absent ids must fail in resolve_stack_slow (Go: "found invalid stack ID"),
     * so they start unresolved (glob = UINT32_MAX), never as "no stack". */
    for (size_t i = 0; i < maxid; i++)
        r->kdense[i] = (kd){0, UINT32_MAX};
    for (size_t i = 0; i < m->cap; i++)
        if (m->used[i] && m->slots[i].k < maxid)
            r->kdense[m->slots[i].k] = (kd){(uint32_t)m->slots[i].v + 1, UINT32_MAX};
    r->nkdense = maxid;
    return 0;
}

/* ---- generation reading ----------------------------------------------------- */

typedef struct rawbatch {
    size_t start;       /* offset of the type byte */
    size_t off;         /* payload offset */
    uint64_t gen, m, time, size;
    int eog;            /* EndOfGeneration record */
    int exp;            /* experimental batch */
    const uint8_t *d;   /* process_batch: the payload (table batches: all of it) */
} rawbatch;

/* Read one top-level record at *pos. Returns 1 on success, 0 on clean EOF,
 * -1 on error (err filled). */
static int read_batch(rd *r, size_t *pos, rawbatch *b)
{
    size_t p = *pos;
    memset(b, 0, sizeof *b);
    b->start = p;
    if (p >= r->len)
        return 0;
    /* the header: type, experiment, three varints of at most 10 bytes and a
     * fourth that is known bad after 11: 43 bytes decide everything */
    size_t hn = r->len - p < 44 ? r->len - p : 44, got;
    const uint8_t *h = bytes_some(r, p, hn, &got);
    if (!h)
        return -1;
    size_t i = 0; /* h[i] is the byte at p + i */
    uint8_t t = h[i++];
    if (t == EV_END_OF_GENERATION) {
        b->eog = 1;
        b->m = NO_ID;
        *pos = p + i;
        return 1;
    }
    if (t != EV_EVENT_BATCH && t != EV_EXPERIMENTAL_BATCH) {
        fail(r, TT_ERR_FORMAT, b->start, "expected batch event, got event %u", t);
        return -1;
    }
    if (t == EV_EXPERIMENTAL_BATCH) {
        if (p + i >= r->len)
            return 0; /* Go: a bare EOF here reads as the end of the trace */
        if (i >= got)
            return read_short(r, p + got);
        b->exp = h[i++]; /* experiment 0 ("none") reads as an ordinary batch */
    }
    static const char *const what[4] = {"gen", "M ID", "timestamp", "size"};
    uint64_t *dst[4] = {&b->gen, &b->m, &b->time, &b->size};
    for (int k = 0; k < 4; k++) {
        int n = tt_uvarint(h + i, got - i, dst[k]);
        if (n == 0 && got < hn) /* file mode: cut since it was opened */
            return read_short(r, p + got);
        if (n == 0) {
            fail(r, TT_ERR_TRUNCATED, p + i, "batch at byte %zu: error reading batch %s: %s", b->start,
                 what[k], p + i == r->len ? "EOF" : "unexpected EOF");
            return -1;
        }
        if (n < 0) {
            fail(r, TT_ERR_FORMAT, p + i, "batch at byte %zu: error reading batch %s: varint overflow",
                 b->start, what[k]);
            return -1;
        }
        i += (size_t)n;
    }
    p += i;
    if (b->size > MAX_BATCH_SIZE) {
        fail(r, TT_ERR_FORMAT, p, "batch at byte %zu: invalid batch size %llu, maximum is %u",
             b->start, (unsigned long long)b->size, MAX_BATCH_SIZE);
        return -1;
    }
    if (b->size > r->len - p) {
        fail(r, TT_ERR_TRUNCATED, r->len,
             "batch at byte %zu (gen %llu): failed to read full batch: read %zu but wanted %llu",
             b->start, (unsigned long long)b->gen, r->len - p, (unsigned long long)b->size);
        return -1;
    }
    b->off = p;
    *pos = p + b->size;
    return 1;
}

/* x86-64's BMI2 pext, where it is fast: one instruction squeezes a varint's
 * 7-bit groups (bench/profile-v2-s13.md). Not before Haswell, and microcoded
 * (slow) on AMD before family 19h (Zen 3) and on Hygon: v2_use_pext says
 * whether to use it, decided once per load; tests set tt_v2_no_pext. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#define V2_PEXT 1
static int v2_use_pext(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d) || a < 7)
        return 0;
    int amd = b == 0x68747541u /* "Auth"enticAMD */ || b == 0x6f677948u /* "Hygo"nGenuine */;
    unsigned b7;
    __cpuid_count(7, 0, a, b7, c, d);
    if (!(b7 & (1u << 8))) /* BMI2 */
        return 0;
    if (amd) {
        __get_cpuid(1, &a, &b, &c, &d);
        unsigned fam = (a >> 8) & 0xf;
        if (fam == 0xf)
            fam += (a >> 20) & 0xff;
        if (fam < 0x19)
            return 0;
    }
    return 1;
}
#else
#define V2_PEXT 0
static int v2_use_pext(void)
{
    return 0;
}
#endif
_Thread_local int tt_v2_no_pext;

/* Uvarint at p with at least 10 readable bytes: returns the end, or NULL on
 * overflow. Values of up to 8 bytes inline; px (a constant): squeeze them
 * with pext (only where v2_use_pext said so). */
static inline __attribute__((always_inline)) const uint8_t *uv_unchecked_px(const uint8_t *p,
                                                                           uint64_t *out, int px)
{
    if (p[0] < 0x80) {
        *out = p[0];
        return p + 1;
    }
    /* 2 to 8 bytes without branches on the length (a branch per byte
     * mispredicts often; a branch-free 1-byte case was slower: it puts the
     * whole computation on the path to the next varint): the first byte
     * without its continuation bit ends the value, then the 7-bit groups
     * are squeezed together */
    /* 2 to 4 bytes (values below 2^28: most multi-byte ones) in 32 bits,
     * whose masks are immediates (the 64-bit ones need a register each) */
    uint32_t y;
    memcpy(&y, p, 4);
    uint32_t ystop = ~y & 0x80808080u;
    if (__builtin_expect(ystop != 0, 1)) {
#if V2_PEXT
        if (px) {
            uint32_t msk = (ystop ^ (ystop - 1)) & 0x7f7f7f7fu, w;
            __asm__("pextl %2, %1, %0" : "=r"(w) : "r"(y), "r"(msk));
            *out = w;
            return p + (__builtin_ctz(ystop) >> 3) + 1;
        }
#endif
        uint32_t v = y & (ystop ^ (ystop - 1)); /* the bytes up to the stop byte */
        v = ((v & 0x7f007f00u) >> 1) | (v & 0x007f007fu);
        v = ((v & 0x3fff0000u) >> 2) | (v & 0x00003fffu);
        *out = v;
        return p + (__builtin_ctz(ystop) >> 3) + 1;
    }
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t stop = ~x & 0x8080808080808080ULL;
    if (__builtin_expect(stop != 0, 1)) {
#if V2_PEXT
        if (px) {
            uint64_t msk = (stop ^ (stop - 1)) & 0x7f7f7f7f7f7f7f7fULL, w;
            __asm__("pextq %2, %1, %0" : "=r"(w) : "r"(x), "r"(msk));
            *out = w;
            return p + (__builtin_ctzll(stop) >> 3) + 1;
        }
#endif
        uint64_t v = x & (stop ^ (stop - 1)); /* the bytes up to the stop byte */
        v = ((v & 0x7f007f007f007f00ULL) >> 1) | (v & 0x007f007f007f007fULL);
        v = ((v & 0x3fff00003fff0000ULL) >> 2) | (v & 0x00003fff00003fffULL);
        v = ((v & 0x0fffffff00000000ULL) >> 4) | (v & 0x000000000fffffffULL);
        *out = v;
        return p + (__builtin_ctzll(stop) >> 3) + 1;
    }
    int k = tt_uvarint(p, 10, out);
    return k > 0 ? p + k : NULL;
}

static inline __attribute__((always_inline)) const uint8_t *uv_unchecked(const uint8_t *p,
                                                                        uint64_t *out)
{
    return uv_unchecked_px(p, out, 0);
}

/* Table readers: a bounded reader over one batch payload. */
typedef struct brd {
    const uint8_t *p;
    size_t n, i, base; /* base = file offset of p[0] */
} brd;

static __attribute__((noinline)) int brd_uv_slow(rd *r, brd *b, uint64_t *v, const char *what)
{
    int k = tt_uvarint(b->p + b->i, b->n - b->i, v);
    r->eof_quirk = k == 0 && b->i == b->n;
    if (k <= 0) {
        fail(r, k == 0 ? TT_ERR_TRUNCATED : TT_ERR_FORMAT, b->base + b->i,
             "generation %llu: reading %s: %s", (unsigned long long)r->gen, what,
             k == 0 ? (b->i == b->n ? "EOF" : "unexpected EOF") : "varint overflow");
        return -1;
    }
    b->i += (size_t)k;
    return 0;
}

static inline int brd_uv(rd *r, brd *b, uint64_t *v, const char *what)
{
    if (__builtin_expect(b->n - b->i >= 10, 1)) {
        const uint8_t *q = uv_unchecked(b->p + b->i, v);
        if (__builtin_expect(q != NULL, 1)) {
            r->eof_quirk = 0;
            b->i = (size_t)(q - b->p);
            return 0;
        }
    }
    return brd_uv_slow(r, b, v, what);
}

static tt_status add_strings(rd *r, const rawbatch *rb)
{
    brd b = {rb->d, rb->size, 1, rb->off};
    while (b.i < b.n) {
        size_t at = b.base + b.i;
        uint8_t t = b.p[b.i++];
        if (t != EV_STRING)
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: expected string event, got %u",
                        (unsigned long long)r->gen, t);
        uint64_t id, len;
        if (brd_uv(r, &b, &id, "string ID") || brd_uv(r, &b, &len, "string length"))
            return r->err ? r->err->code : TT_ERR_FORMAT;
        if (len > MAX_STRING)
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: invalid string size %llu, maximum is %u",
                        (unsigned long long)r->gen, (unsigned long long)len, MAX_STRING);
        if (len > b.n - b.i)
            return fail(r, TT_ERR_TRUNCATED, b.base + b.n,
                        "generation %llu: failed to read full string %llu: read %zu but wanted %llu",
                        (unsigned long long)r->gen, (unsigned long long)id, b.n - b.i,
                        (unsigned long long)len);
        uint32_t v;
        if (id == 0 || str_val(r, id, &v))
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: multiple strings with the same ID: id=%llu",
                        (unsigned long long)r->gen, (unsigned long long)id);
        const char *bytes = (const char *)b.p + b.i;
        if (r->lazy) {
            if (gs_add(r, id, bytes, (uint32_t)len, &v))
                return NOMEM(r, at);
        } else {
            /* Usually the previous generation had the same string under this
             * id: then its interned id is the answer (interning is by content). */
            uint32_t gid = UINT32_MAX;
            if (id < r->npsdense && r->psdense[id] && r->psdense[id] - 1 < r->syms->nstrs) {
                size_t pl;
                const char *ps = syms_str_at(r->syms, r->psdense[id] - 1, &pl);
                if (pl == len && memcmp(ps, bytes, pl) == 0)
                    gid = r->psdense[id] - 1;
            }
            if (gid == UINT32_MAX && (gid = tt_syms_intern(r->syms, bytes, (size_t)len)) == UINT32_MAX)
                return NOMEM(r, at);
            if (gid >= STR_LOCAL - 1)
                return fail(r, TT_ERR_LIMIT, at, "too many distinct strings");
            v = gid + 1;
        }
        /* ids up to about twice the count so far go to the dense array
         * (linear memory), others to the map */
        r->nstrgen++;
        if (id < 2 * r->nstrgen + 1024) {
            if (id >= r->nsdense) {
                if (GROW(r->sdense, r->capsdense, id + 1))
                    return NOMEM(r, at);
                /* ids usually come in order: then there is no gap to clear
                 * (sdense[id] is set below) */
                if (id > r->nsdense)
                    memset(r->sdense + r->nsdense, 0, (id - r->nsdense) * sizeof *r->sdense);
                r->nsdense = id + 1;
            }
            r->sdense[id] = v;
        } else if (!map_put(&r->strs, id, v)) {
            return NOMEM(r, at);
        }
        b.i += (size_t)len;
    }
    return TT_OK;
}

static tt_status add_stacks(rd *r, const rawbatch *rb)
{
    brd b = {rb->d, rb->size, 1, rb->off};
    while (b.i < b.n) {
        size_t at = b.base + b.i;
        uint8_t t = b.p[b.i++];
        if (t != EV_STACK)
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: expected stack event, got %u",
                        (unsigned long long)r->gen, t);
        uint64_t id, nf;
        if (brd_uv(r, &b, &id, "stack ID") || brd_uv(r, &b, &nf, "stack frame count"))
            return r->err ? r->err->code : TT_ERR_FORMAT;
        if (nf > MAX_FRAMES)
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: invalid stack size %llu, maximum is %u",
                        (unsigned long long)r->gen, (unsigned long long)nf, MAX_FRAMES);
        if (GROW(r->pcs, r->cappcs, r->npcs + nf))
            return NOMEM(r, at);
        size_t pcoff = r->npcs;
        for (uint64_t i = 0; i < nf; i++) {
            pframe f;
            if (brd_uv(r, &b, &f.pc, "frame PC") || brd_uv(r, &b, &f.func, "frame func ID") ||
                brd_uv(r, &b, &f.file, "frame file ID") || brd_uv(r, &b, &f.line, "frame line")) {
                r->eof_quirk = 0; /* Go wraps these errors */
                return r->err ? r->err->code : TT_ERR_FORMAT;
            }
            r->pcs[r->npcs++] = f.pc;
            if (!map_get(&r->pcmap, f.pc)) {
                if (GROW(r->frames, r->capframes, r->nframes + 1) ||
                    !map_put(&r->pcmap, f.pc, r->nframes))
                    return NOMEM(r, at);
                r->frames[r->nframes++] = f;
            }
        }
        if (id == 0 || map_get(&r->stkmap, id))
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: multiple stacks with the same ID: id=%llu",
                        (unsigned long long)r->gen, (unsigned long long)id);
        if (GROW(r->stks, r->capstks, r->nstks + 1) || !map_put(&r->stkmap, id, r->nstks))
            return NOMEM(r, at);
        r->stks[r->nstks++] = (gstack){pcoff, (uint32_t)nf, UINT32_MAX};
    }
    return TT_OK;
}

static tt_status add_cpu_samples(rd *r, const rawbatch *rb)
{
    brd b = {rb->d, rb->size, 1, rb->off};
    while (b.i < b.n) {
        size_t at = b.base + b.i;
        uint8_t t = b.p[b.i++];
        if (t != EV_CPU_SAMPLE)
            return fail(r, TT_ERR_FORMAT, at, "generation %llu: expected CPU sample event, got %u",
                        (unsigned long long)r->gen, t);
        cpu_sample s;
        uint64_t ts;
        if (brd_uv(r, &b, &ts, "CPU sample time") || brd_uv(r, &b, &s.m, "CPU sample M") ||
            brd_uv(r, &b, &s.p, "CPU sample P") || brd_uv(r, &b, &s.g, "CPU sample G") ||
            brd_uv(r, &b, &s.stack, "CPU sample stack"))
            return r->err ? r->err->code : TT_ERR_FORMAT;
        if (s.g == 0)
            s.g = NO_ID;
        s.time = (int64_t)ts; /* converted after the generation is read */
        s.off = at;
        if (GROW(r->cpu, r->capcpu, r->ncpu + 1))
            return NOMEM(r, at);
        r->cpu[r->ncpu++] = s;
    }
    return TT_OK;
}

static tt_status set_sync(rd *r, const rawbatch *rb)
{
    brd b = {rb->d, rb->size, r->ver >= 25 ? 1 : 0, rb->off};
    uint64_t last = rb->time;
    while (b.i < b.n) {
        size_t at = b.base + b.i;
        uint8_t t = b.p[b.i++];
        if (t == EV_FREQUENCY) {
            if (r->has_freq)
                return fail(r, TT_ERR_FORMAT, at, "generation %llu: found multiple frequency events",
                            (unsigned long long)r->gen);
            uint64_t f;
            if (brd_uv(r, &b, &f, "frequency"))
                return r->err ? r->err->code : TT_ERR_FORMAT;
            r->freq = 1.0 / ((double)f / 1e9);
            r->has_freq = r->freq != 0;
            if (!r->has_freq)
                r->has_freq = 0;
        } else if (t == EV_CLOCK_SNAPSHOT && r->ver >= 25) {
            if (r->has_snap)
                return fail(r, TT_ERR_FORMAT, at,
                            "generation %llu: found multiple clock snapshot events",
                            (unsigned long long)r->gen);
            r->has_snap = 1;
            uint64_t dt;
            if (brd_uv(r, &b, &dt, "clock snapshot"))
                return r->err ? r->err->code : TT_ERR_FORMAT;
            last += dt;
            r->snap_time = last;
            if (brd_uv(r, &b, &r->snap_mono, "clock snapshot") ||
                brd_uv(r, &b, &r->snap_sec, "clock snapshot") ||
                brd_uv(r, &b, &r->snap_nsec, "clock snapshot"))
                return r->err ? r->err->code : TT_ERR_FORMAT;
        } else {
            return fail(r, TT_ERR_FORMAT, at,
                        "generation %llu: expected frequency or clock snapshot event, got %u",
                        (unsigned long long)r->gen, t);
        }
    }
    return TT_OK;
}

static tt_status process_batch(rd *r, rawbatch *b)
{
    uint8_t first = 0;
    if (!b->exp && b->size) {
        const uint8_t *d = bytes_at(r, b->off, 1);
        if (!d)
            return r->err ? r->err->code : TT_ERR_IO;
        first = d[0];
        int table = first == EV_STRINGS || first == EV_STACKS || first == EV_CPU_SAMPLES ||
                    (first == EV_FREQUENCY && r->ver < 25) || (first == EV_SYNC && r->ver >= 25);
        if (table && !(b->d = bytes_at(r, b->off, (size_t)b->size)))
            return r->err ? r->err->code : TT_ERR_IO;
        if (first == EV_STRINGS)
            return add_strings(r, b);
        if (first == EV_STACKS)
            return add_stacks(r, b);
        if (first == EV_CPU_SAMPLES)
            return add_cpu_samples(r, b);
        if ((first == EV_FREQUENCY && r->ver < 25) || (first == EV_SYNC && r->ver >= 25))
            return set_sync(r, b);
    }
    if (b->exp)
        return TT_OK; /* experimental batches: kept by Go for Sync.ExperimentalBatches only */
    if (!b->exp && b->size && first == EV_END_OF_GENERATION)
        return fail(r, TT_ERR_FORMAT, b->start, "unexpectedly processing EndOfGeneration");
    /* an event batch */
    if (b->size > UINT32_MAX)
        return fail(r, TT_ERR_FORMAT, b->start, "batch too large");
    if (GROW(r->batches, r->capbatches, r->nbatches + 1))
        return NOMEM(r, b->start);
    int32_t bi = (int32_t)r->nbatches++;
    r->batches[bi] = (vbatch){b->m, b->time, b->off, (uint32_t)b->size, -1};
    uint64_t *ci = map_get(&r->mcur, b->m);
    if (ci) {
        r->batches[r->tails[*ci]].next = bi;
        r->tails[*ci] = bi;
    } else {
        if (GROW(r->curs, r->capcurs, r->ncurs + 1) || GROW(r->tails, r->captails, r->ncurs + 1) ||
            !map_put(&r->mcur, b->m, r->ncurs))
            return NOMEM(r, b->start);
        memset(&r->curs[r->ncurs], 0, sizeof(cursor));
        r->curs[r->ncurs].m = b->m;
        r->curs[r->ncurs].bidx = bi;
        r->tails[r->ncurs] = bi;
        r->ncurs++;
    }
    return TT_OK;
}

static void gen_reset(rd *r)
{
    r->gen = 0;
    r->min_ts = 0;
    r->freq = 0;
    r->flim = 0;
    r->has_freq = r->has_snap = 0;
    r->snap_time = r->snap_mono = r->snap_sec = r->snap_nsec = 0;
    r->nbatches = 0;
    map_clear(&r->mcur);
    r->ncurs = 0;
    r->nheap = 0;
    r->ncpu = r->cpupos = 0;
    map_clear(&r->strs);
    { /* keep the string table as the previous generation's */
        uint32_t *t = r->psdense;
        size_t c = r->cappsdense;
        r->psdense = r->sdense;
        r->cappsdense = r->capsdense;
        r->npsdense = r->nsdense;
        r->sdense = t;
        r->capsdense = c;
        r->nsdense = 0;
        r->nstrgen = 0;
        if (r->lazy) {
            r->gcur ^= 1;
            gs_clear(&r->gs[r->gcur]);
        }
    }
    map_clear(&r->pcmap);
    r->nframes = 0;
    map_clear(&r->stkmap);
    r->nstks = 0;
    r->npcs = 0;
    r->nsdense = r->nkdense = 0;
}

static tt_status validate_gen(rd *r, size_t at)
{
    if (!r->has_freq)
        return fail(r, TT_ERR_FORMAT, at, "generation %llu: no frequency event found",
                    (unsigned long long)r->gen);
    if (r->ver >= 25 && !r->has_snap)
        return fail(r, TT_ERR_FORMAT, at, "generation %llu: no clock snapshot event found",
                    (unsigned long long)r->gen);
    for (size_t i = 0; i < r->nframes; i++) {
        const pframe *f = &r->frames[i];
        uint32_t sid;
        if (f->func && !str_val(r, f->func, &sid))
            return fail(r, TT_ERR_FORMAT, at,
                        "generation %llu: found invalid func string ID %llu for pc %#llx",
                        (unsigned long long)r->gen, (unsigned long long)f->func,
                        (unsigned long long)f->pc);
        if (f->file && !str_val(r, f->file, &sid))
            return fail(r, TT_ERR_FORMAT, at,
                        "generation %llu: found invalid file string ID %llu for pc %#llx",
                        (unsigned long long)r->gen, (unsigned long long)f->file,
                        (unsigned long long)f->pc);
    }
    set_fshift(r);
    if (densify_stacks(r))
        return NOMEM(r, at);
    /* CPU samples: convert and sort exactly as Go (pdqsort, not stable). */
    for (size_t i = 0; i < r->ncpu; i++)
        r->cpu[i].time = fmul(r->freq, (uint64_t)r->cpu[i].time);
    return TT_OK;
}

static int cmp_cpu(const void *a, const void *b)
{
    int64_t x = ((const cpu_sample *)a)->time, y = ((const cpu_sample *)b)->time;
    return x < y ? -1 : x > y;
}

/*
 * Read the generation starting at *pos. Returns TT_OK with r->gen != 0 for a
 * generation, TT_OK with r->gen == 0 at the end of the trace, or an error.
 * For versions <= 25, *spill_err receives a read error that ended the
 * generation (Go reports it only after delivering the generation).
 */
static void progress(rd *r, size_t done);

/* Report reading progress inside big generations (every 16 MiB). */
static inline void read_progress(rd *r, size_t p)
{
    if (p >= r->next_progress) {
        r->next_progress = p + (16u << 20);
        progress(r, p);
    }
}

static tt_status read_gen(rd *r, size_t *pos, tt_status *spill_err, size_t *spill_at)
{
    gen_reset(r);
    *spill_err = TT_OK;
    size_t p = *pos;
    r->gen_start = p;
    rawbatch b;
    uint64_t g = 0;
    if (r->ver >= 26) {
        for (;;) {
            size_t before = p;
            int k = read_batch(r, &p, &b);
            if (k == 0) {
                if (r->nbatches)
                    return fail(r, TT_ERR_TRUNCATED, r->len,
                                "generation %llu: incomplete generation found; trace likely truncated",
                                (unsigned long long)g);
                r->gen = 0;
                *pos = p;
                return TT_OK;
            }
            if (k < 0)
                return r->err ? r->err->code : TT_ERR_FORMAT;
            if (g == 0)
                g = b.gen;
            r->gen = g;
            if (b.eog)
                break;
            if (b.gen == 0)
                return fail(r, TT_ERR_FORMAT, before, "invalid generation number 0");
            if (b.gen != g)
                return fail(r, TT_ERR_FORMAT, before,
                            "batch of generation %llu inside generation %llu: missing "
                            "end-of-generation event, or generations are interleaved",
                            (unsigned long long)b.gen, (unsigned long long)g);
            if (r->min_ts == 0 || b.time < r->min_ts)
                r->min_ts = b.time;
            read_progress(r, p);
            tt_status st = process_batch(r, &b);
            if (st)
                return st;
        }
    } else {
        for (;;) {
            size_t before = p;
            int k = read_batch(r, &p, &b);
            if (k == 0)
                break;
            if (k < 0) {
                if (g != 0) {
                    *spill_err = r->err ? r->err->code : TT_ERR_FORMAT;
                    *spill_at = before;
                    p = before;
                    break;
                }
                return r->err ? r->err->code : TT_ERR_FORMAT;
            }
            if (b.eog) /* not written by <= 25; Go's readBatch returns gen 0 for it */
                return fail(r, TT_ERR_FORMAT, before, "invalid generation number 0");
            if (b.gen == 0)
                return fail(r, TT_ERR_FORMAT, before, "invalid generation number 0");
            if (g == 0)
                g = b.gen;
            r->gen = g;
            if (b.gen == g + 1) {
                p = before; /* spilled: first batch of the next generation */
                break;
            }
            if (b.gen != g)
                return fail(r, TT_ERR_FORMAT, before,
                            "batch of generation %llu after generation %llu: generations out of order",
                            (unsigned long long)b.gen, (unsigned long long)g);
            if (r->min_ts == 0 || b.time < r->min_ts)
                r->min_ts = b.time;
            read_progress(r, p);
            tt_status st = process_batch(r, &b);
            if (st)
                return st;
        }
        r->gen = g;
    }
    tt_status st = validate_gen(r, p);
    if (st)
        return st;
    tt_sort(r->cpu, r->ncpu, sizeof *r->cpu, cmp_cpu);
    r->gen_end = p;
    *pos = p;
    if (r->gen == 0 && r->ver < 26)
        r->gen = 0; /* an empty trace (<= 25) fails above on "no frequency" */
    return TT_OK;
}

/* ---- cursors and the frontier heap (Go's batchcursor.go) ------------------- */

static const uint8_t empty_batch[1];

/* Point cursor c at batch b's bytes: in the buffer, or in file mode read
 * into the cursor's own buffer. 0, or -1 on a read error. */
static int cursor_fetch(rd *r, cursor *c, const vbatch *b)
{
    if (r->fd < 0) {
        c->p = r->buf + b->off;
        c->base = (uintptr_t)r->buf;
        return 0;
    }
    cbuf *cb = &r->cbufs[c - r->curs];
    if (b->len > cb->cap) {
        uint8_t *nb = realloc(cb->p, b->len);
        if (!nb)
            return NOMEM(r, b->off), -1;
        cb->p = nb;
        cb->cap = b->len;
    }
    if (b->len) {
        ptrdiff_t got = read_upto(r, cb->p, b->len, b->off);
        if (got < 0)
            return -1;
        if ((size_t)got < b->len)
            return read_short(r, b->off + (size_t)got);
    }
    c->p = b->len ? cb->p : empty_batch;
    c->base = (uintptr_t)c->p - b->off;
    return 0;
}

/* Move cursor c to its next non-empty batch; 0 when there is none, -1 on a
 * read error (file mode). */
static __attribute__((noinline)) int cursor_load(rd *r, cursor *c)
{
    while (c->bidx >= 0) {
        const vbatch *b = &r->batches[c->bidx];
        if (c->p == NULL) { /* the first batch, not loaded yet */
            if (cursor_fetch(r, c, b))
                return -1;
        } else {
            c->bidx = b->next;
            if (c->bidx < 0)
                break;
            b = &r->batches[c->bidx];
            if (cursor_fetch(r, c, b))
                return -1;
        }
        c->end = c->p + b->len;
        c->btime = b->time;
        c->last_ts = 0;
        if (c->p != c->end)
            return 1;
    }
    c->p = c->end;
    if (r->fd >= 0) { /* done: its buffer goes */
        cbuf *cb = &r->cbufs[c - r->curs];
        free(cb->p);
        cb->p = NULL;
        cb->cap = 0;
    }
    return 0;
}

/* Go's binary.Uvarint of at most n bytes at p, values of 1 to 3 bytes inline.
 * Returns bytes used (>0), 0 if truncated, -1 on overflow. */
static inline __attribute__((always_inline)) int uv_fast(const uint8_t *p, size_t n, uint64_t *out)
{
    if (__builtin_expect(n >= 2, 1)) {
        if (p[0] < 0x80) {
            *out = p[0];
            return 1;
        }
        if (p[1] < 0x80) {
            *out = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
            return 2;
        }
        if (n >= 3 && p[2] < 0x80) {
            *out = (uint64_t)(p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7 | (uint64_t)p[2] << 14;
            return 3;
        }
    }
    return tt_uvarint(p, n, out);
}

/* Where cursor_next may decode inline: up to 63 bytes before the end of
 * the batch (an event is at most 51 bytes: no bounds checks), and not when
 * the last time is 0 (the next time then starts from the batch's, which
 * only cursor_next_gen does: the first event of a batch, or after a time
 * that came out 0). So the inline test is one comparison, p < fast;
 * fast = p means "not inline". */
static inline void set_fast(cursor *c)
{
    c->fast = c->last_ts != 0 && c->end - c->p >= 64 ? c->end - 63 : c->p;
}

/* Decode the next event of cursor c. Returns 1 (event), 0 (done), -1 error.
 * The cursor's event keeps m = c->m and synth = 0 (set when installed). */
static __attribute__((noinline)) int cursor_next_gen(rd *r, cursor *c)
{
    size_t n = (size_t)(c->end - c->p), i = 1;
    if (__builtin_expect(n == 0, 0)) {
        int k = cursor_load(r, c);
        if (k <= 0)
            return k;
        n = (size_t)(c->end - c->p);
    }
    if (c->last_ts == 0)
        c->last_ts = tmul(r, c->btime);
    const uint8_t *p = c->p;
    size_t at = (size_t)((uintptr_t)p - c->base);
    uint8_t t = p[0];
    unsigned na = ev_nargs[t]; /* 0 for types >= EV_NSPECS too */
    if (__builtin_expect(na == 0 && t >= EV_NSPECS, 0)) {
        fail(r, TT_ERR_FORMAT, at, "generation %llu, M %lld: found invalid event type: %u",
             (unsigned long long)r->gen, (long long)c->m, t);
        return -1;
    }
    if (__builtin_expect(na == 0, 0)) {
        fail(r, TT_ERR_FORMAT, at, "generation %llu, M %lld: found event without a timestamp: type=%s",
             (unsigned long long)r->gen, (long long)c->m, ev_name(t));
        return -1;
    }
    uint64_t dt;
    oev *e = &c->ev;
    if (__builtin_expect(n >= 64, 1)) {
        /* far from the end of the batch: no bounds checks (at most 5 varints
         * of at most 10 bytes); any problem is diagnosed by the path below */
        const uint8_t *q = uv_unchecked(p + 1, &dt);
        if (q && na > 1) {
            q = uv_unchecked(q, &e->args[0]);
            if (q && na > 2) {
                q = uv_unchecked(q, &e->args[1]);
                if (q && na > 3) {
                    q = uv_unchecked(q, &e->args[2]);
                    if (q && na > 4)
                        q = uv_unchecked(q, &e->args[3]);
                }
            }
        }
        if (__builtin_expect(q != NULL, 1)) {
            e->typ = t;
            e->off = at;
            e->time = (int64_t)((uint64_t)tmul(r, dt) + (uint64_t)c->last_ts);
            c->last_ts = e->time;
            c->p = q;
            set_fast(c);
            return 1;
        }
    }
    int k = uv_fast(p + i, n - i, &dt);
    if (__builtin_expect(k <= 0, 0)) {
        fail(r, TT_ERR_FORMAT, at + i, "generation %llu, M %lld: found invalid uvarint for timestamp",
             (unsigned long long)r->gen, (long long)c->m);
        return -1;
    }
    i += (size_t)k;
    e->typ = t;
    e->off = at;
    /* at most 4 arguments after dt (ev_nargs <= 5): unrolled */
#define ARG(a)                                                                                     \
    do {                                                                                           \
        k = uv_fast(p + i, n - i, &e->args[a]);                                                    \
        if (__builtin_expect(k <= 0, 0))                                                           \
            goto bad_arg;                                                                          \
        i += (size_t)k;                                                                            \
    } while (0)
    if (na > 1) {
        ARG(0);
        if (na > 2) {
            ARG(1);
            if (na > 3) {
                ARG(2);
                if (na > 4)
                    ARG(3);
            }
        }
    }
#undef ARG
    e->time = (int64_t)((uint64_t)tmul(r, dt) + (uint64_t)c->last_ts);
    c->last_ts = e->time;
    c->p = p + i;
    set_fast(c);
    return 1;
bad_arg:
    fail(r, TT_ERR_FORMAT, at + i, "generation %llu, M %lld: found invalid uvarint in %s",
         (unsigned long long)r->gen, (long long)c->m, ev_name(t));
    return -1;
}

/* cursor_next, inline for an event at least 64 bytes before the end of
 * its batch (no bounds checks: at most 5 varints of at most 10 bytes) and
 * not the first of its batch (p < fast: see set_fast); everything else
 * (and every error) goes to cursor_next_gen, which starts again from the
 * same place. */
static inline __attribute__((always_inline)) int cursor_next_px(rd *r, cursor *c, int px)
{
    const uint8_t *p = c->p;
    if (__builtin_expect(!(p < c->fast), 0)) /* (see set_fast) */
        return cursor_next_gen(r, c);
    uint8_t t = p[0];
    unsigned na = ev_nargs[t]; /* 0 for types >= EV_NSPECS too */
    if (__builtin_expect(na == 0, 0))
        return cursor_next_gen(r, c);
    uint64_t dt;
    oev *e = &c->ev;
    const uint8_t *q = uv_unchecked_px(p + 1, &dt, px);
    if (q && na > 1) {
        q = uv_unchecked_px(q, &e->args[0], px);
        if (q && na > 2) {
            q = uv_unchecked_px(q, &e->args[1], px);
            if (q && na > 3) {
                q = uv_unchecked_px(q, &e->args[2], px);
                if (q && na > 4)
                    q = uv_unchecked_px(q, &e->args[3], px);
            }
        }
    }
    if (__builtin_expect(q == NULL, 0))
        return cursor_next_gen(r, c);
    e->typ = t;
    e->off = (size_t)((uintptr_t)p - c->base);
    e->time = (int64_t)((uint64_t)tmul(r, dt) + (uint64_t)c->last_ts);
    c->last_ts = e->time;
    c->p = q;
    if (__builtin_expect(e->time == 0, 0)) /* the next one starts from the batch time */
        c->fast = q;
    return 1;
}

static inline __attribute__((always_inline)) int cursor_next(rd *r, cursor *c)
{
    return cursor_next_px(r, c, 0);
}

#define HT(i) (r->heap[i].t)

static size_t heap_up(rd *r, size_t i)
{
    hent *h = r->heap;
    while (i > 0 && h[(i - 1) / 2].t > h[i].t) {
        hent t = h[(i - 1) / 2];
        h[(i - 1) / 2] = h[i];
        h[i] = t;
        i = (i - 1) / 2;
    }
    return i;
}

static void heap_down(rd *r, size_t i)
{
    hent *h = r->heap;
    size_t n = r->nheap;
    for (;;) {
        size_t m = i, l = 2 * i + 1, rr = 2 * i + 2;
        int64_t mt = i < n ? h[i].t : INT64_MAX;
        if (l < n && h[l].t < mt) {
            mt = h[l].t;
            m = l;
        }
        if (rr < n && h[rr].t < mt)
            m = rr;
        if (m == i)
            break;
        hent t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_remove(rd *r, size_t i)
{
    hent *h = r->heap;
    while (i > 0) {
        hent t = h[(i - 1) / 2];
        h[(i - 1) / 2] = h[i];
        h[i] = t;
        i = (i - 1) / 2;
    }
    h[0] = h[r->nheap - 1];
    r->nheap--;
    h[r->nheap] = (hent){INT64_MAX, NULL}; /* keep the sentinels (see run_gen) */
    heap_down(r, 0);
}

static int cmp_cursor(const void *a, const void *b)
{
    int64_t x = ((const hent *)a)->t, y = ((const hent *)b)->t;
    return x < y ? -1 : x > y;
}

/* ---- ordering state helpers ---------------------------------------------- */

static inline gst *g_at(const rd *r, uint32_t idx)
{
    return &r->gchunks[idx >> GCHUNK_BITS][idx & (GCHUNK - 1)];
}

/* Slot of goroutine id in r->gtab, SIZE_MAX if absent. */
static inline size_t g_slot(const rd *r, uint64_t id)
{
    if (!r->gtn)
        return SIZE_MAX;
    size_t mask = r->gtcap - 1, i = map_hash(id) & mask;
    uint32_t v;
    while ((v = r->gtab[i])) {
        if (g_at(r, v - 1)->id == id)
            return i;
        i = (i + 1) & mask;
    }
    return SIZE_MAX;
}

static __attribute__((noinline)) gst *g_get_slow(rd *r, uint64_t id)
{
    size_t i = g_slot(r, id);
    if (i == SIZE_MAX)
        return NULL;
    gst *s = g_at(r, r->gtab[i] - 1);
    r->gcache[id % GCACHE] = s;
    return s;
}

static inline gst *g_get(rd *r, uint64_t id)
{
    gst *s = r->gcache[id % GCACHE]; /* never NULL: see tt_load_v2 */
    if (__builtin_expect(s->id == id && s->status != G_DEAD, 1))
        return s;
    return g_get_slow(r, id);
}

static int gtab_grow(rd *r)
{
    size_t nc = r->gtcap ? r->gtcap * 2 : 64;
    uint32_t *nt = calloc(nc, sizeof *nt);
    if (!nt)
        return -1;
    for (size_t j = 0; j < r->gtcap; j++) {
        uint32_t v = r->gtab[j];
        if (!v)
            continue;
        size_t i = map_hash(g_at(r, v - 1)->id) & (nc - 1);
        while (nt[i])
            i = (i + 1) & (nc - 1);
        nt[i] = v;
    }
    free(r->gtab);
    r->gtab = nt;
    r->gtcap = nc;
    return 0;
}

/* The generation being ordered, as an index into r->gens (for gst.sgen). */
static inline uint32_t g_epoch(const rd *r)
{
    return (uint32_t)(r->ngens - 1);
}

/* Go's "seq is the next one in this generation" test for goroutine s. */
static inline int g_seq_next(const rd *r, const gst *s, uint64_t gen, uint64_t seq)
{
    return r->gens[s->sgen] == gen && seq == s->seq + 1;
}

/* Create goroutine id, which must not exist. NULL when out of memory. */
static gst *g_new(rd *r, uint64_t id, uint8_t status)
{
    if ((r->gtn + 1) * 10 > r->gtcap * 7 && gtab_grow(r))
        return NULL;
    uint32_t idx;
    if (r->ngfree) {
        idx = r->gfree[--r->ngfree];
    } else {
        if (r->ngs >= UINT32_MAX - 1)
            return NULL;
        if ((r->ngs >> GCHUNK_BITS) >= r->ngchunks) {
            if (GROW(r->gchunks, r->capgchunks, r->ngchunks + 1))
                return NULL;
            gst *c = malloc(GCHUNK * sizeof *c);
            if (!c)
                return NULL;
            r->gchunks[r->ngchunks++] = c;
        }
        idx = (uint32_t)r->ngs++;
    }
    size_t mask = r->gtcap - 1, i = map_hash(id) & mask;
    while (r->gtab[i])
        i = (i + 1) & mask;
    r->gtab[i] = idx + 1;
    r->gtn++;
    gst *s = g_at(r, idx);
    r->gcache[id % GCACHE] = s;
    s->id = id;
    s->seq = 0;
    s->sgen = g_epoch(r);
    s->status = status & 7u;
    s->ext = 0;
    return s;
}

/* The extension of s, allocated on first use; NULL when out of memory. */
static gext *g_ext(rd *r, gst *s)
{
    if (s->ext)
        return &r->gx[s->ext - 1];
    size_t xi;
    if (r->ngxfree) {
        xi = r->gxfree[--r->ngxfree];
    } else {
        if (r->ngx >= GEXT_MAX || GROW(r->gx, r->capgx, r->ngx + 1))
            return NULL;
        xi = r->ngx++;
        r->gx[xi] = (gext){NULL, NULL, NULL, 0, 0, 0, 0, UINT32_MAX};
    }
    s->ext = (unsigned)(xi + 1) & GEXT_MAX;
    return &r->gx[xi];
}

/* The extension of s if it has one. */
static inline gext *g_ext_get(const rd *r, const gst *s)
{
    return s->ext ? &r->gx[s->ext - 1] : NULL;
}

static int g_del(rd *r, uint64_t id)
{
    size_t i = g_slot(r, id);
    if (i == SIZE_MAX)
        return 0;
    uint32_t idx = r->gtab[i] - 1;
    gst *s = g_at(r, idx);
    s->status = G_DEAD; /* invalidates r->gcache entries pointing here */
    if (s->ext) {
        gext *x = &r->gx[s->ext - 1];
        x->nregs = x->nrngs = 0;
        x->assist_pos = UINT32_MAX;
        if (x->stwset) {
            map_free(x->stwset);
            free(x->stwset);
            x->stwset = NULL;
        }
        if (GROW(r->gxfree, r->capgxfree, r->ngxfree + 1))
            return -1;
        r->gxfree[r->ngxfree++] = s->ext - 1;
        s->ext = 0;
    }
    /* backward-shift deletion */
    size_t mask = r->gtcap - 1, j = i;
    r->gtab[i] = 0;
    r->gtn--;
    for (;;) {
        j = (j + 1) & mask;
        uint32_t v = r->gtab[j];
        if (!v)
            break;
        size_t h = map_hash(g_at(r, v - 1)->id) & mask;
        /* move j into hole i if h is not cyclically in (i, j] */
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            r->gtab[i] = v;
            r->gtab[j] = 0;
            i = j;
        }
    }
    if (GROW(r->gfree, r->capgfree, r->ngfree + 1))
        return -1;
    r->gfree[r->ngfree++] = idx;
    return 0;
}

/* grow_arr for arrays with 32-bit counts, starting small (per goroutine). */
static int grow32(void **p, uint32_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    if (need > UINT32_MAX / 2)
        return -1;
    size_t c = *cap;
    if (grow_from(p, &c, need, elem, 2))
        return -1;
    *cap = (uint32_t)c;
    return 0;
}
#define GROW32(arr, cap, need) grow32((void **)&(arr), &(cap), (need), sizeof *(arr))

static inline pst *p_get(rd *r, uint64_t id)
{
    if (id < r->npdense) {
        uint32_t v = r->pdense[id];
        return v ? &r->ps[v - 1] : NULL;
    }
    uint64_t *v = map_get(&r->pmap, id);
    return v ? &r->ps[*v] : NULL;
}

static mst *m_get(rd *r, uint64_t id)
{
    uint64_t *v = map_get(&r->mmap_, id);
    return v ? &r->ms[*v] : NULL;
}

static mst *m_new(rd *r, uint64_t id, uint64_t g, uint64_t p)
{
    if (GROW(r->ms, r->capms, r->nms + 1) || !map_put(&r->mmap_, id, r->nms))
        return NULL;
    r->ms[r->nms] = (mst){g, p, id, SIZE_MAX};
    return &r->ms[r->nms++];
}

/* The index of M m's state in *msi, created (with no g and no p) when m
 * is new: Go's lookup of the M's state at its first event. -1: no memory. */
static __attribute__((noinline)) int m_find(rd *r, uint64_t m, size_t *msi)
{
    uint64_t *v = map_get(&r->mmap_, m);
    if (v) {
        *msi = (size_t)*v;
        return 0;
    }
    if (!m_new(r, m, NO_ID, NO_ID))
        return -1;
    *msi = r->nms - 1;
    return 0;
}

/* Bind thread msi to P p (NO_ID = none), keeping the P's holder list. */
static int set_mp(rd *r, size_t msi, uint64_t p)
{
    mst *ms = &r->ms[msi];
    if (ms->p == p)
        return 0;
    if (ms->p != NO_ID && ms->hpos != SIZE_MAX) {
        pst *op = p_get(r, ms->p);
        if (op && ms->hpos < op->nh) {
            size_t last = op->nh - 1;
            op->holders[ms->hpos] = op->holders[last];
            r->ms[op->holders[ms->hpos]].hpos = ms->hpos;
            op->nh--;
        }
    }
    ms->hpos = SIZE_MAX;
    ms->p = p;
    if (p != NO_ID) {
        pst *np = p_get(r, p);
        if (np) {
            if (GROW(np->holders, np->caph, np->nh + 1))
                return -1;
            ms->hpos = np->nh;
            np->holders[np->nh++] = (uint32_t)msi;
        }
    }
    return 0;
}

/* In-flight goroutine ranges (STW with a kind, mark assist), in Go's list
 * order, with O(1) membership tests. */
static int g_has_range(const rd *r, const gst *s, uint8_t typ, uint64_t desc)
{
    const gext *x = g_ext_get(r, s);
    if (!x)
        return 0;
    if (typ == EV_GC_MARK_ASSIST_BEGIN)
        return x->assist_pos != UINT32_MAX;
    if (x->stwset)
        return map_get(x->stwset, desc) != NULL;
    for (size_t i = 0; i < x->nrngs; i++)
        if (x->rngs[i].typ == typ && x->rngs[i].desc == desc)
            return 1;
    return 0;
}

static int g_add_range(rd *r, gst *s, uint8_t typ, uint64_t desc)
{
    gext *x = g_ext(r, s);
    if (!x || GROW32(x->rngs, x->caprngs, (size_t)x->nrngs + 1))
        return -1;
    if (typ == EV_GC_MARK_ASSIST_BEGIN) {
        x->assist_pos = x->nrngs;
    } else {
        if (!x->stwset && x->nrngs >= 16) {
            if (!(x->stwset = calloc(1, sizeof *x->stwset)))
                return -1;
            for (size_t i = 0; i < x->nrngs; i++)
                if (x->rngs[i].typ != EV_GC_MARK_ASSIST_BEGIN && !map_put(x->stwset, x->rngs[i].desc, 1))
                    return -1;
        }
        if (x->stwset && !map_put(x->stwset, desc, 1))
            return -1;
    }
    x->rngs[x->nrngs++] = (rng){desc, typ};
    return 0;
}

/* Go's endRange: remove the first in-flight range of begin type st. */
static int g_end_range(rd *r, gst *s, uint8_t st, uint64_t *desc)
{
    gext *x = g_ext_get(r, s);
    if (!x)
        return 0;
    uint32_t i;
    if (st == EV_GC_MARK_ASSIST_BEGIN) {
        if (x->assist_pos == UINT32_MAX)
            return 0;
        i = x->assist_pos;
    } else {
        for (i = 0; i < x->nrngs && x->rngs[i].typ != st; i++)
            ;
        if (i == x->nrngs)
            return 0;
        if (x->stwset)
            map_del(x->stwset, x->rngs[i].desc);
    }
    *desc = x->rngs[i].desc;
    if (i == x->assist_pos)
        x->assist_pos = UINT32_MAX;
    uint32_t last = x->nrngs - 1;
    x->rngs[i] = x->rngs[last];
    if (x->assist_pos == last)
        x->assist_pos = i;
    x->nrngs--;
    return 1;
}

static int has_range(const rng *v, size_t n, uint8_t typ, uint64_t desc)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].typ == typ && v[i].desc == desc)
            return 1;
    return 0;
}

typedef struct ctx {
    uint64_t g, p, m;
} ctx;

typedef struct mgp { /* an M's g and p, as the root loop keeps them */
    uint64_t g, p;
} mgp;

enum { MUST_NOT, MAY, MUST };

static tt_status ord_fail(rd *r, const oev *ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static tt_status ord_fail(rd *r, const oev *ev, const char *fmt, ...)
{
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail(r, TT_ERR_ORDER, ev->off, "generation %llu, M %lld: %s event: %s",
                (unsigned long long)r->gen, (long long)ev->m, ev_name(ev->typ), msg);
}

static __attribute__((noinline, cold)) tt_status validate_ctx_fail(rd *r, const oev *ev, ctx c,
                                                                   int M, int P, int G)
{
    if (M == MUST && c.m == NO_ID)
        return ord_fail(r, ev, "expected a thread but didn't have one");
    if (M == MUST_NOT && c.m != NO_ID)
        return ord_fail(r, ev, "expected no thread but had one");
    if (P == MUST && c.p == NO_ID)
        return ord_fail(r, ev, "expected a proc but didn't have one");
    if (P == MUST_NOT && c.p != NO_ID)
        return ord_fail(r, ev, "expected no proc but had one");
    if (G == MUST && c.g == NO_ID)
        return ord_fail(r, ev, "expected a goroutine but didn't have one");
    if (G == MUST_NOT && c.g != NO_ID)
        return ord_fail(r, ev, "expected no goroutine but had one");
    return TT_OK;
}
/* Go's validateCtx: the test inline (M, P, G are constants), the report not. */
static inline __attribute__((always_inline)) int ctx_ok(ctx c, int M, int P, int G)
{
    return !((M == MUST && c.m == NO_ID) || (M == MUST_NOT && c.m != NO_ID) ||
             (P == MUST && c.p == NO_ID) || (P == MUST_NOT && c.p != NO_ID) ||
             (G == MUST && c.g == NO_ID) || (G == MUST_NOT && c.g != NO_ID));
}
#define VCTX(M, P, G)                                                                              \
    do {                                                                                           \
        if (__builtin_expect(!ctx_ok(cur, M, P, G), 0))                                            \
            return validate_ctx_fail(r, ev, cur, M, P, G);                                         \
    } while (0)

static inline __attribute__((always_inline)) tt_status emit_ev(rd *r, const oev *e, unsigned t,
                                                               uint8_t synth, uint64_t g,
                                                               uint64_t p, uint64_t m,
                                                               int64_t name);
/* Deliver ev (of the constant type T) now, with context cur: what push
 * and the delivery of the queue would do, without the queue (the emit code
 * folds to type T). Nothing after it in advance can fail but for memory. */
#define EMIT1(T) EMIT1N(T, -1)
/* EMIT1 of a user region event whose name ordering resolved already */
#define EMIT1N(T, NAME)                                                                            \
    do {                                                                                           \
        tt_status est_ = emit_ev(r, ev, (T), 0, cur.g, cur.p, cur.m, (NAME));                      \
        if (est_)                                                                                  \
            return est_;                                                                           \
        applied = ADV_DONE; /* delivered: nothing queued */                                        \
    } while (0)

/* Queue an event for delivery with context c. The event is referenced, not
 * copied: the queue is delivered before the cursor moves on. */
static inline void push(rd *r, const oev *ev, ctx c)
{
    r->q[r->nq++] = (struct qent){ev, c.g, c.p, c.m};
}

static void push_synth(rd *r, ctx c, uint8_t typ, int64_t time, uint64_t a0, uint64_t a1,
                       uint64_t a2, uint64_t a3, size_t off)
{
    oev *e = &r->syn[r->nsyn++];
    *e = (oev){time, {a0, a1, a2, a3}, 0, 0, 0, off, typ, 1};
    push(r, e, c);
}

/* The ordering of a user region begin (begin = 1) or end: the goroutine's
 * stack of regions. */
static inline __attribute__((always_inline)) tt_status region_ev(rd *r, oev *ev, ctx cur, int begin,
                                                                 uint32_t *namep)
{
    VCTX(MUST, MUST, MUST);
    uint32_t name = 0;
    int k = str_gid(r, ev->args[1], &name);
    *namep = name;
    if (k <= 0)
        return k < 0 ? NOMEM(r, ev->off)
                     : ord_fail(r, ev, "invalid string ID %llu", (unsigned long long)ev->args[1]);
    gst *s = g_get(r, cur.g);
    if (!s)
        return ord_fail(r, ev, "encountered %s without known state for current goroutine %lld",
                        begin ? "EvUserRegionBegin" : "EvUserRegionEnd", (long long)cur.g);
    gext *x = g_ext_get(r, s);
    if (begin) {
        if (__builtin_expect(!x || x->nregs >= x->capregs, 0) &&
            (!(x = g_ext(r, s)) || GROW32(x->regs, x->capregs, (size_t)x->nregs + 1)))
            return NOMEM(r, ev->off);
        x->regs[x->nregs++] = (region){ev->args[0], name};
    } else if (x && x->nregs) {
        region *top = &x->regs[x->nregs - 1];
        if (top->task != ev->args[0] || top->name != name)
            return ord_fail(r, ev, "misuse of region in goroutine %lld: region end does not match the inner-most active region",
                            (long long)s->id);
        x->nregs--;
    }
    return TT_OK;
}

/*
 * Go's ordering.Advance: *ok = ADV_QUEUED if the event was applied and its
 * events queued (r->q, possibly none), ADV_DONE if it was applied and
 * delivered already (the commonest kinds: EMIT1), 0 if it must wait.
 * Returns an error for an inconsistent trace (*ok is 0 then). The two
 * applied values let the caller skip the queue test after EMIT1 without
 * reading r->nq, which the sink call in between makes a memory load.
 */
enum { ADV_WAIT = 0, ADV_DONE = 1, ADV_QUEUED = 2 };
static inline __attribute__((always_inline)) tt_status advance(rd *r, oev *ev, unsigned typ,
                                                               uint64_t m, size_t *msi, mgp *mctx,
                                                               int has_m, int *ok)
{
    /* typ: ev->typ, passed in a register (the root loop has it from the
     * decoder): the switch's jump does not wait for the store just made */
    /* has_m: a constant, the caller (the root loop) knows there is an M
     * and has looked its state up already (*msi is set) */
    if (has_m && m == NO_ID)
        __builtin_unreachable();
    *ok = ADV_WAIT;
    ctx cur = {NO_ID, NO_ID, m};
    if (m != NO_ID) {
        if (!has_m && *msi == SIZE_MAX) { /* (the root loop finds it first) */
            if (m_find(r, m, msi))
                return NOMEM(r, ev->off);
            mctx->g = r->ms[*msi].g;
            mctx->p = r->ms[*msi].p;
        }
        cur.p = mctx->p;
        cur.g = mctx->g;
    }
    ctx nc = cur;
    int applied = ADV_QUEUED; /* EMIT1 sets ADV_DONE */
    /* r->nq and r->nsyn are 0 here: every return that makes the event
     * wait comes before its first push, and the queue is emptied after
     * each applied event (and at the start of each generation) */

    switch (typ) {
    case EV_PROC_STATUS: {
        uint64_t pid = ev->args[0], status = ev->args[1];
        if (status >= 5)
            return ord_fail(r, ev, "invalid status for proc %lld: %llu", (long long)pid,
                            (unsigned long long)status);
        uint64_t old = procstatus2state[status];
        pst *s = p_get(r, pid);
        if (s) {
            if (status == PROC_SYSCALL_ABANDONED && s->status == PROC_SYSCALL) {
                old = TT_PS_RUNNING;
                ev->args[1] = PROC_SYSCALL;
            } else if (status == PROC_SYSCALL_ABANDONED && s->status == PROC_SYSCALL_ABANDONED) {
                old = TT_PS_IDLE;
                ev->args[1] = PROC_SYSCALL_ABANDONED;
            } else if (s->status != status) {
                return ord_fail(r, ev, "inconsistent status for proc %lld: old %s vs. new %s",
                                (long long)pid, ps_name(s->status), ps_name(status));
            }
            s->sgen = r->gen;
            s->seq = 0;
        } else {
            if (GROW(r->ps, r->capps, r->nps + 1))
                return NOMEM(r, ev->off);
            if (pid < PDENSE_MAX) {
                if (pid >= r->npdense) {
                    if (GROW(r->pdense, r->cappdense, pid + 1))
                        return NOMEM(r, ev->off);
                    memset(r->pdense + r->npdense, 0, (pid + 1 - r->npdense) * sizeof *r->pdense);
                    r->npdense = pid + 1;
                }
                r->pdense[pid] = (uint32_t)r->nps + 1;
            } else if (!map_put(&r->pmap, pid, r->nps)) {
                return NOMEM(r, ev->off);
            }
            s = &r->ps[r->nps++];
            memset(s, 0, sizeof *s);
            s->status = (uint8_t)status;
            s->sgen = r->gen;
            old = r->first ? TT_PS_UNDETERMINED : TT_PS_NOTEXIST;
        }
        ev->args[2] = old;
        if (status == PROC_RUNNING || status == PROC_SYSCALL)
            nc.p = pid;
        if (status == PROC_SYSCALL_ABANDONED && old == TT_PS_RUNNING) {
            int found = 0;
            pst *hp = p_get(r, pid);
            if (hp && hp->nh) {
                if (m != NO_ID) /* the holder may be this M: its g is in mctx */
                    r->ms[*msi].g = mctx->g;
                const mst *hm = &r->ms[hp->holders[hp->nh - 1]];
                cur.m = hm->id;
                cur.p = pid;
                cur.g = hm->g;
                found = 1;
            }
            if (!found)
                return ord_fail(r, ev, "failed to find sched context for proc %lld that's about to be stolen",
                                (long long)pid);
        }
        push(r, ev, cur);
        break;
    }
    case EV_PROC_START: {
        uint64_t pid = ev->args[0];
        pst *s = p_get(r, pid);
        if (!s || s->status != PROC_IDLE || !(s->sgen == r->gen && ev->args[1] == s->seq + 1) ||
            cur.p != NO_ID)
            return TT_OK;
        VCTX(MUST, MUST_NOT, MAY);
        s->status = PROC_RUNNING;
        s->seq = ev->args[1];
        nc.p = pid;
        push(r, ev, cur);
        break;
    }
    case EV_PROC_STOP: {
        pst *s = p_get(r, cur.p);
        if (!s)
            return ord_fail(r, ev, "event for proc (%lld) that doesn't exist", (long long)cur.p);
        if (s->status != PROC_RUNNING && s->status != PROC_SYSCALL)
            return ord_fail(r, ev, "event for proc that's not Running or Syscall");
        VCTX(MUST, MUST, MAY);
        s->status = PROC_IDLE;
        nc.p = NO_ID;
        push(r, ev, cur);
        break;
    }
    case EV_PROC_STEAL: {
        uint64_t pid = ev->args[0];
        pst *s = p_get(r, pid);
        if (!s || (s->status != PROC_SYSCALL && s->status != PROC_SYSCALL_ABANDONED) ||
            !(s->sgen == r->gen && ev->args[1] == s->seq + 1))
            return TT_OK;
        VCTX(MUST, MAY, MAY);
        uint8_t olds = s->status;
        ev->args[3] = olds;
        s->status = PROC_IDLE;
        s->seq = ev->args[1];
        if (olds == PROC_SYSCALL_ABANDONED) {
            push(r, ev, cur);
            break;
        }
        uint64_t mid = ev->args[2];
        if (mid == cur.m) {
            if (cur.p != pid)
                return ord_fail(r, ev, "tried to self-steal proc %lld (thread %lld), but got proc %lld instead",
                                (long long)pid, (long long)mid, (long long)cur.p);
            nc.p = NO_ID;
            push(r, ev, cur);
            break;
        }
        mst *vm = m_get(r, mid);
        if (!vm)
            return ord_fail(r, ev, "stole proc from non-existent thread %lld", (long long)mid);
        if (vm->p != pid)
            return ord_fail(r, ev, "tried to steal proc %lld from thread %lld, but got proc %lld instead",
                            (long long)pid, (long long)mid, (long long)vm->p);
        if (set_mp(r, (size_t)(vm - r->ms), NO_ID))
            return NOMEM(r, ev->off);
        push(r, ev, cur);
        break;
    }
    case EV_GO_STATUS:
    case EV_GO_STATUS_STACK: {
        uint64_t gid = ev->args[0], mid = ev->args[1], status = ev->args[2];
        if (status >= 5)
            return ord_fail(r, ev, "invalid status for goroutine %lld: %llu", (long long)gid,
                            (unsigned long long)status);
        uint64_t old = gostatus2state[status];
        gst *s = g_get(r, gid);
        if (s) {
            if (s->status != status)
                return ord_fail(r, ev, "inconsistent status for goroutine %lld: old %s vs. new %s",
                                (long long)gid, gs_name(s->status), gs_name(status));
            s->sgen = g_epoch(r);
            s->seq = 0;
        } else if (r->first) {
            if (!g_new(r, gid, (uint8_t)status))
                return NOMEM(r, ev->off);
            old = TT_GS_UNDETERMINED;
        } else {
            return ord_fail(r, ev, "found goroutine status for new goroutine after the first generation: id=%lld status=%s",
                            (long long)gid, gs_name(status));
        }
        ev->args[2] = old << 32 | status;
        if (status == GO_RUNNING) {
            nc.g = gid;
        } else if (status == GO_SYSCALL) {
            if (mid == NO_ID)
                return ord_fail(r, ev, "found goroutine %lld in syscall without a thread", (long long)gid);
            if (mid == cur.m) {
                if (!r->first && cur.g != gid)
                    return ord_fail(r, ev, "inconsistent thread for syscalling goroutine %lld: thread has goroutine %lld",
                                    (long long)gid, (long long)cur.g);
                nc.g = gid;
            } else {
                mst *om = m_get(r, mid);
                if (om) {
                    if (om->g != gid)
                        return ord_fail(r, ev, "inconsistent thread for syscalling goroutine %lld: thread has goroutine %lld",
                                        (long long)gid, (long long)om->g);
                    cur.g = om->g;
                } else {
                    if (!m_new(r, mid, gid, NO_ID))
                        return NOMEM(r, ev->off);
                }
                cur.m = mid;
            }
        }
        push(r, ev, cur);
        break;
    }
    case EV_GO_CREATE:
    case EV_GO_CREATE_BLOCKED: {
        VCTX(MUST, MUST, MAY);
        gst *s = g_get(r, cur.g);
        if (s && s->status != GO_RUNNING)
            return ord_fail(r, ev, "event for goroutine that's not Running");
        uint64_t ng = ev->args[0];
        if (g_get(r, ng))
            return ord_fail(r, ev, "tried to create goroutine (%lld) that already exists", (long long)ng);
        if (!g_new(r, ng, ev->typ == EV_GO_CREATE_BLOCKED ? GO_WAITING : GO_RUNNABLE))
            return NOMEM(r, ev->off);
        push(r, ev, cur);
        break;
    }
    /* GoStop and GoBlock (common) each with its type a constant, GoDestroy */
#define GO_LEAVE(T)                                                                                \
    do {                                                                                           \
        VCTX(MUST, MUST, MUST);                                                                    \
        gst *s = g_get(r, cur.g);                                                                  \
        if (!s)                                                                                    \
            return ord_fail(r, ev, "event for goroutine (%lld) that doesn't exist", (long long)cur.g); \
        if (s->status != GO_RUNNING)                                                               \
            return ord_fail(r, ev, "event for goroutine that's not Running");                      \
        nc.g = NO_ID;                                                                              \
        if ((T) == EV_GO_DESTROY) {                                                                \
            if (g_del(r, cur.g))                                                                   \
                return NOMEM(r, ev->off);                                                          \
            push(r, ev, cur);                                                                      \
        } else {                                                                                   \
            s->status = (T) == EV_GO_STOP ? GO_RUNNABLE : GO_WAITING;                              \
            EMIT1(T);                                                                              \
        }                                                                                          \
    } while (0)
    case EV_GO_DESTROY:
        GO_LEAVE(EV_GO_DESTROY);
        break;
    case EV_GO_STOP:
        GO_LEAVE(EV_GO_STOP);
        break;
    case EV_GO_BLOCK:
        GO_LEAVE(EV_GO_BLOCK);
        break;
#undef GO_LEAVE
    case EV_GO_START: {
        uint64_t gid = ev->args[0];
        gst *s = g_get(r, gid);
        if (!s || s->status != GO_RUNNABLE || !g_seq_next(r, s, r->gen, ev->args[1]))
            return TT_OK;
        VCTX(MUST, MUST, MUST_NOT);
        s->status = GO_RUNNING;
        s->seq = ev->args[1];
        nc.g = gid;
        EMIT1(EV_GO_START);
        break;
    }
    case EV_GO_UNBLOCK: {
        uint64_t gid = ev->args[0];
        gst *s = g_get(r, gid);
        if (!s || s->status != GO_WAITING || !g_seq_next(r, s, r->gen, ev->args[1]))
            return TT_OK;
        s->status = GO_RUNNABLE;
        s->seq = ev->args[1];
        EMIT1(EV_GO_UNBLOCK);
        break;
    }
    case EV_GO_SWITCH:
    case EV_GO_SWITCH_DESTROY: {
        VCTX(MUST, MUST, MUST);
        gst *cs = g_get(r, cur.g);
        if (!cs)
            return ord_fail(r, ev, "event for goroutine (%lld) that doesn't exist", (long long)cur.g);
        if (cs->status != GO_RUNNING)
            return ord_fail(r, ev, "event for goroutine that's not Running");
        uint64_t next = ev->args[0];
        gst *ns = g_get(r, next);
        if (!ns || ns->status != GO_WAITING || !g_seq_next(r, ns, r->gen, ev->args[1]))
            return TT_OK;
        push(r, ev, cur);
        if (ev->typ == EV_GO_SWITCH) {
            cs->status = GO_WAITING;
            push_synth(r, cur, EV_GO_BLOCK, ev->time, 0, 0, 0, 0, ev->off);
        } else {
            uint64_t nid = next;
            if (g_del(r, cur.g))
                return NOMEM(r, ev->off);
            ns = g_get(r, nid);
            push_synth(r, cur, EV_GO_DESTROY, ev->time, 0, 0, 0, 0, ev->off);
        }
        ns->status = GO_RUNNING;
        ns->seq = ev->args[1];
        nc.g = next;
        ctx sc = cur;
        sc.g = NO_ID;
        push_synth(r, sc, EV_GO_START, ev->time, next, ev->args[1], 0, 0, ev->off);
        break;
    }
    case EV_GO_SYSCALL_BEGIN: {
        VCTX(MUST, MUST, MUST);
        gst *s = g_get(r, cur.g);
        if (!s)
            return ord_fail(r, ev, "event for goroutine (%lld) that doesn't exist", (long long)cur.g);
        if (s->status != GO_RUNNING)
            return ord_fail(r, ev, "event for goroutine that's not Running");
        s->status = GO_SYSCALL;
        pst *p = p_get(r, cur.p);
        if (!p)
            return ord_fail(r, ev, "uninitialized proc %lld found", (long long)cur.p);
        p->status = PROC_SYSCALL;
        if (!(p->sgen == r->gen && ev->args[0] == p->seq + 1))
            return ord_fail(r, ev, "can't make sequence: %llu (gen=%llu) -> %llu (gen=%llu)",
                            (unsigned long long)p->seq, (unsigned long long)p->sgen,
                            (unsigned long long)ev->args[0], (unsigned long long)r->gen);
        p->seq = ev->args[0];
        EMIT1(EV_GO_SYSCALL_BEGIN);
        break;
    }
    case EV_GO_SYSCALL_END: {
        VCTX(MUST, MUST, MUST);
        gst *s = g_get(r, cur.g);
        if (!s)
            return ord_fail(r, ev, "event for goroutine (%lld) that doesn't exist", (long long)cur.g);
        if (s->status != GO_SYSCALL)
            return ord_fail(r, ev, "event for goroutine that's not Running");
        s->status = GO_RUNNING;
        pst *p = p_get(r, cur.p);
        if (!p)
            return ord_fail(r, ev, "uninitialized proc %lld found", (long long)cur.p);
        if (p->status != PROC_SYSCALL)
            return ord_fail(r, ev, "expected proc %lld in state Syscall, but got %s instead",
                            (long long)cur.p, ps_name(p->status));
        p->status = PROC_RUNNING;
        EMIT1(EV_GO_SYSCALL_END);
        break;
    }
    case EV_GO_SYSCALL_END_BLOCKED: {
        if (cur.p != NO_ID) {
            pst *p = p_get(r, cur.p);
            if (!p)
                return ord_fail(r, ev, "uninitialized proc %lld found", (long long)cur.p);
            if (p->status == PROC_SYSCALL)
                return TT_OK;
        }
        VCTX(MUST, MAY, MUST);
        gst *s = g_get(r, cur.g);
        if (!s)
            return ord_fail(r, ev, "event for goroutine (%lld) that doesn't exist", (long long)cur.g);
        if (s->status != GO_SYSCALL)
            return ord_fail(r, ev, "event for goroutine that's not Running");
        nc.g = NO_ID;
        s->status = GO_RUNNABLE;
        push(r, ev, cur);
        break;
    }
    case EV_GO_CREATE_SYSCALL: {
        VCTX(MUST, MAY, MUST_NOT);
        uint64_t ng = ev->args[0];
        if (g_get(r, ng))
            return ord_fail(r, ev, "tried to create goroutine (%lld) in syscall that already exists",
                            (long long)ng);
        if (!g_new(r, ng, GO_SYSCALL))
            return NOMEM(r, ev->off);
        nc.g = ng;
        push(r, ev, cur);
        break;
    }
    case EV_GO_DESTROY_SYSCALL: {
        VCTX(MUST, MAY, MUST);
        gst *s = g_get(r, cur.g);
        if (!s)
            return ord_fail(r, ev, "event for goroutine (%lld) that doesn't exist", (long long)cur.g);
        if (s->status != GO_SYSCALL)
            return ord_fail(r, ev, "event for goroutine that's not Syscall");
        if (g_del(r, cur.g))
            return NOMEM(r, ev->off);
        nc.g = NO_ID;
        if (cur.p != NO_ID) {
            pst *p = p_get(r, cur.p);
            if (!p)
                return ord_fail(r, ev, "found invalid proc %lld", (long long)cur.p);
            if (p->status != PROC_SYSCALL)
                return ord_fail(r, ev, "proc %lld in unexpected state %s", (long long)cur.p,
                                ps_name(p->status));
            p->status = PROC_SYSCALL_ABANDONED;
            nc.p = NO_ID;
            push_synth(r, cur, EV_PROC_STEAL, ev->time, cur.p, 0, 0, PROC_SYSCALL, ev->off);
        }
        push(r, ev, cur);
        break;
    }
    case EV_USER_TASK_BEGIN: {
        uint64_t id = ev->args[0];
        if (map_get(&r->tmap, id))
            return ord_fail(r, ev, "task ID conflict: %llu", (unsigned long long)id);
        uint64_t parent = ev->args[1];
        if (parent == 0) {
            parent = TT_NO_TASK;
            ev->args[1] = TT_NO_TASK;
        }
        uint32_t nmv = 0;
        int k = str_gid(r, ev->args[2], &nmv);
        if (k <= 0)
            return k < 0 ? NOMEM(r, ev->off)
                         : ord_fail(r, ev, "invalid string ID %llu", (unsigned long long)ev->args[2]);
        const uint32_t *nm = &nmv;
        size_t ti;
        if (r->ntfree) {
            ti = r->tfree[--r->ntfree];
        } else {
            if (GROW(r->tasks, r->captasks, r->ntasks + 1))
                return NOMEM(r, ev->off);
            ti = r->ntasks++;
        }
        r->tasks[ti] = (task){nm ? (uint32_t)*nm : 0, parent};
        if (!map_put(&r->tmap, id, ti))
            return NOMEM(r, ev->off);
        VCTX(MUST, MUST, MUST);
        push(r, ev, cur);
        break;
    }
    case EV_USER_TASK_END: {
        uint64_t id = ev->args[0];
        uint64_t *ti = map_get(&r->tmap, id);
        if (ti) {
            ev->args[2] = r->tasks[*ti].parent;
            ev->args[3] = r->tasks[*ti].name; /* global string id */
            if (GROW(r->tfree, r->captfree, r->ntfree + 1))
                return NOMEM(r, ev->off);
            r->tfree[r->ntfree++] = (uint32_t)*ti;
            map_del(&r->tmap, id);
        } else {
            ev->args[2] = TT_NO_TASK;
            ev->args[3] = 0;
        }
        VCTX(MUST, MUST, MUST);
        push(r, ev, cur);
        break;
    }
    case EV_USER_REGION_BEGIN: {
        uint32_t name = 0;
        tt_status rst = region_ev(r, ev, cur, 1, &name);
        if (rst)
            return rst;
        EMIT1N(EV_USER_REGION_BEGIN, name);
        break;
    }
    case EV_USER_REGION_END: {
        uint32_t name = 0;
        tt_status rst = region_ev(r, ev, cur, 0, &name);
        if (rst)
            return rst;
        EMIT1N(EV_USER_REGION_END, name);
        break;
    }
    case EV_GC_ACTIVE: {
        uint64_t seq = ev->args[0];
        if (r->first) {
            if (r->gc_state != 0)
                return ord_fail(r, ev, "GCActive in the first generation isn't first GC event");
            r->gc_seq = seq;
            r->gc_state = 2;
            push(r, ev, cur);
            break;
        }
        if (seq != r->gc_seq + 1)
            return TT_OK;
        if (r->gc_state != 2)
            return ord_fail(r, ev, "encountered GCActive while GC was not in progress");
        r->gc_seq = seq;
        VCTX(MUST, MUST, MUST);
        push(r, ev, cur);
        break;
    }
    case EV_GC_BEGIN: {
        uint64_t seq = ev->args[0];
        if (r->gc_state == 0) {
            r->gc_seq = seq;
            r->gc_state = 2;
            push(r, ev, cur);
            break;
        }
        if (seq != r->gc_seq + 1)
            return TT_OK;
        if (r->gc_state == 2)
            return ord_fail(r, ev, "encountered GCBegin while GC was already in progress");
        r->gc_seq = seq;
        r->gc_state = 2;
        VCTX(MUST, MUST, MUST);
        push(r, ev, cur);
        break;
    }
    case EV_GC_END: {
        uint64_t seq = ev->args[0];
        if (seq != r->gc_seq + 1)
            return TT_OK;
        if (r->gc_state == 1)
            return ord_fail(r, ev, "encountered GCEnd when GC was not in progress");
        if (r->gc_state == 0)
            return ord_fail(r, ev, "encountered GCEnd when GC was in an undetermined state");
        r->gc_seq = seq;
        r->gc_state = 1;
        VCTX(MUST, MUST, MUST);
        push(r, ev, cur);
        break;
    }
    case EV_USER_LOG:
        VCTX(MUST, MUST, MUST);
        EMIT1(EV_USER_LOG);
        break;
    case EV_PROCS_CHANGE:
    case EV_GO_LABEL:
        VCTX(MUST, MUST, MUST);
        push(r, ev, cur);
        break;
    case EV_HEAP_ALLOC:
        VCTX(MUST, MUST, MAY);
        EMIT1(EV_HEAP_ALLOC);
        break;
    case EV_HEAP_GOAL:
        VCTX(MUST, MUST, MAY);
        push(r, ev, cur);
        break;
    case EV_GC_SWEEP_BEGIN: {
        VCTX(MUST, MUST, MAY);
        pst *p = p_get(r, cur.p);
        if (!p)
            return ord_fail(r, ev, "sweep on unknown proc %lld", (long long)cur.p);
        if (has_range(p->rngs, p->nrngs, EV_GC_SWEEP_BEGIN, 0))
            return ord_fail(r, ev, "discovered event already in-flight for when starting event GCSweepBegin");
        if (GROW(p->rngs, p->caprngs, p->nrngs + 1))
            return NOMEM(r, ev->off);
        p->rngs[p->nrngs++] = (rng){0, EV_GC_SWEEP_BEGIN};
        push(r, ev, cur);
        break;
    }
    case EV_GC_SWEEP_ACTIVE: {
        uint64_t pid = ev->args[0];
        pst *p = p_get(r, pid);
        if (!p)
            return ord_fail(r, ev, "encountered GCSweepActive for unknown proc %lld", (long long)pid);
        if (r->first) {
            if (has_range(p->rngs, p->nrngs, EV_GC_SWEEP_BEGIN, 0))
                return ord_fail(r, ev, "found named active range already in first gen");
            if (GROW(p->rngs, p->caprngs, p->nrngs + 1))
                return NOMEM(r, ev->off);
            p->rngs[p->nrngs++] = (rng){0, EV_GC_SWEEP_BEGIN};
        } else if (!has_range(p->rngs, p->nrngs, EV_GC_SWEEP_BEGIN, 0)) {
            return ord_fail(r, ev, "resource is missing active range: GCSweepBegin");
        }
        push(r, ev, cur);
        break;
    }
    case EV_GC_SWEEP_END: {
        VCTX(MUST, MUST, MAY);
        pst *p = p_get(r, cur.p);
        if (!p)
            return ord_fail(r, ev, "sweep end on unknown proc %lld", (long long)cur.p);
        size_t i;
        for (i = 0; i < p->nrngs && p->rngs[i].typ != EV_GC_SWEEP_BEGIN; i++)
            ;
        if (i == p->nrngs)
            return ord_fail(r, ev, "tried to end event GCSweepBegin, but not in-flight");
        p->rngs[i] = p->rngs[p->nrngs - 1];
        p->nrngs--;
        push(r, ev, cur);
        break;
    }
    case EV_STW_BEGIN:
    case EV_GC_MARK_ASSIST_BEGIN: {
        VCTX(MUST, MUST, MUST);
        uint64_t desc = ev->typ == EV_STW_BEGIN ? ev->args[0] : 0;
        gst *s = g_get(r, cur.g);
        if (!s)
            return ord_fail(r, ev, "encountered event of type %u without known state for current goroutine %lld",
                            ev->typ, (long long)cur.g);
        if (g_has_range(r, s, ev->typ, desc))
            return ord_fail(r, ev, "discovered event already in-flight for when starting event %s",
                            ev_name(ev->typ));
        if (g_add_range(r, s, ev->typ, desc))
            return NOMEM(r, ev->off);
        push(r, ev, cur);
        break;
    }
    case EV_GC_MARK_ASSIST_ACTIVE: {
        uint64_t gid = ev->args[0];
        gst *s = g_get(r, gid);
        if (!s)
            return ord_fail(r, ev, "uninitialized goroutine %lld found", (long long)gid);
        if (r->first) {
            if (g_has_range(r, s, EV_GC_MARK_ASSIST_BEGIN, 0))
                return ord_fail(r, ev, "found named active range already in first gen");
            if (g_add_range(r, s, EV_GC_MARK_ASSIST_BEGIN, 0))
                return NOMEM(r, ev->off);
        } else if (!g_has_range(r, s, EV_GC_MARK_ASSIST_BEGIN, 0)) {
            return ord_fail(r, ev, "resource is missing active range: GCMarkAssistBegin");
        }
        push(r, ev, cur);
        break;
    }
    case EV_STW_END:
    case EV_GC_MARK_ASSIST_END: {
        VCTX(MUST, MUST, MUST);
        gst *s = g_get(r, cur.g);
        if (!s)
            return ord_fail(r, ev, "encountered event of type %u without known state for current goroutine %lld",
                            ev->typ, (long long)cur.g);
        unsigned st = range_start(ev->typ);
        uint64_t desc;
        if (!g_end_range(r, s, (uint8_t)st, &desc))
            return ord_fail(r, ev, "tried to end event %s, but not in-flight", ev_name(st));
        if (ev->typ == EV_STW_END)
            ev->args[0] = desc;
        push(r, ev, cur);
        break;
    }
    default:
        if (ev->typ >= 128 && ev->typ <= 136) {
            VCTX(MUST, MAY, MAY);
            push(r, ev, cur);
            break;
        }
        return ord_fail(r, ev, "bad event type found while ordering: %u", ev->typ);
    }
    if (m != NO_ID) {
        /* (mctx->p == r->ms[*msi].p; r->ms may have been reallocated) */
        if (mctx->p != nc.p && set_mp(r, *msi, nc.p))
            return NOMEM(r, ev->off);
        mctx->g = nc.g; /* the caller stores it into r->ms[*msi].g */
        mctx->p = nc.p;
    }
    *ok = applied;
    return TT_OK;
}

/* ---- emitting public events --------------------------------------------- */

static const tt_event zero_event;
_Static_assert(TT_EVF_SYNTH == 1, "oev.synth is copied into tt_event.flags");

static int no_sink_event(void *sctx, const tt_event *sev)
{
    (void)sctx;
    (void)sev;
    return 0;
}

static __attribute__((noinline)) tt_status resolve_stack_slow(rd *r, uint64_t id, uint32_t *out,
                                                                size_t off);

static inline tt_status resolve_stack(rd *r, uint64_t id, uint32_t *out, size_t off)
{
    if (id == 0) {
        *out = 0;
        return TT_OK;
    }
    if (id < r->nkdense && r->kdense[id].glob != UINT32_MAX) {
        *out = r->kdense[id].glob;
        return TT_OK;
    }
    return resolve_stack_slow(r, id, out, off);
}

static tt_status resolve_stack_slow(rd *r, uint64_t id, uint32_t *out, size_t off)
{
    kd *k = id < r->nkdense ? &r->kdense[id] : NULL;
    gstack *s = stk_lookup(r, id);
    if (!s)
        return fail(r, TT_ERR_FORMAT, off, "generation %llu: found invalid stack ID %llu",
                    (unsigned long long)r->gen, (unsigned long long)id);
    if (s->global == UINT32_MAX) {
        if (GROW(r->fbuf, r->capfbuf, s->n ? s->n : 1))
            return NOMEM(r, off);
        for (uint32_t i = 0; i < s->n; i++) {
            uint64_t pc = r->pcs[s->pcoff + i];
            const uint64_t *fi = map_get(&r->pcmap, pc);
            if (!fi)
                return fail(r, TT_ERR_FORMAT, off, "unknown pc %#llx", (unsigned long long)pc);
            const pframe *f = &r->frames[*fi];
            uint32_t fn = 0, fl = 0;
            if (str_gid(r, f->func, &fn) < 0 || str_gid(r, f->file, &fl) < 0)
                return NOMEM(r, off);
            r->fbuf[i] = (tt_frame){pc, f->line, fn, fl};
        }
        uint32_t gid = tt_syms_stack(r->syms, r->fbuf, s->n);
        if (gid == UINT32_MAX)
            return NOMEM(r, off);
        s->global = gid;
    }
    if (k)
        k->glob = s->global;
    *out = s->global;
    return TT_OK;
}

static __attribute__((noinline)) tt_status resolve_str_slow(rd *r, uint64_t id, uint32_t *out,
                                                              const oev *e);

static inline tt_status resolve_str(rd *r, uint64_t id, uint32_t *out, const oev *e)
{
    if (id == 0) {
        *out = 0;
        return TT_OK;
    }
    uint32_t v;
    if (id < r->nsdense && (v = r->sdense[id]) - 1 < STR_LOCAL - 1) { /* interned */
        *out = v - 1;
        return TT_OK;
    }
    return resolve_str_slow(r, id, out, e);
}

static tt_status bad_str(rd *r, uint64_t id, const oev *e)
{
    return fail(r, TT_ERR_FORMAT, e->off, "generation %llu: found invalid string ID %llu for event %s",
                (unsigned long long)r->gen, (unsigned long long)id, ev_name(e->typ));
}

static tt_status resolve_str_slow(rd *r, uint64_t id, uint32_t *out, const oev *e)
{
    int k = str_gid(r, id, out);
    if (k <= 0)
        return k < 0 ? NOMEM(r, e->off) : bad_str(r, id, e);
    return TT_OK;
}

/* A log message: its bytes, and its global id unless the sink reads the
 * text only (lazy). */
static inline tt_status resolve_msg(rd *r, uint64_t id, tt_event *ev, const oev *e)
{
    if (!r->lazy) {
        tt_status st = resolve_str(r, id, &ev->msg, e);
        if (st)
            return st;
        size_t l;
        ev->text = syms_str_at(r->syms, ev->msg, &l);
        ev->ntext = (uint32_t)l;
        return TT_OK;
    }
    if (!str_bytes(r, id, &ev->text, &ev->ntext))
        return bad_str(r, id, e);
    return TT_OK;
}

static inline tt_status deliver(rd *r, tt_event *ev)
{
    if (ev->time <= r->last_ts)
        ev->time = r->last_ts + 1;
    r->last_ts = ev->time;
    r->events++;
    if (r->on_event(r->sink_ctx, ev))
        return fail(r, TT_ERR_STOPPED, 0, "stopped by the caller");
    return TT_OK;
}

static tt_status emit_sync(rd *r, int with_table, int64_t t)
{
    tt_event ev;
    ev = zero_event;
    ev.kind = TT_EV_SYNC;
    ev.type = EV_SYNC;
    ev.m = ev.p = ev.g = TT_NO_ID;
    ev.time = t;
    ev.arg[0] = ++r->syncs;
    ev.nattr = 1;
    if (with_table && r->has_snap) {
        ev.flags |= TT_EVF_SNAPSHOT;
        ev.sync.trace = fmul(r->freq, r->snap_time);
        ev.sync.mono = r->snap_mono;
        uint64_t sec = r->snap_sec; /* wrapping arithmetic, like Go's int64 */
        int64_t nsec = (int64_t)r->snap_nsec;
        /* time.Unix normalisation of nsec outside [0, 1e9) */
        if (nsec < 0 || nsec >= 1000000000) {
            int64_t n = nsec / 1000000000;
            sec += (uint64_t)n;
            nsec -= n * 1000000000;
            if (nsec < 0) {
                nsec += 1000000000;
                sec--;
            }
        }
        ev.sync.wall_sec = (int64_t)sec;
        ev.sync.wall_nsec = nsec;
    }
    tt_status st = deliver(r, &ev);
    if (!st)
        r->valid_events = r->events;
    return st;
}

/* Build and deliver the public event of e (of type t == e->typ) with
 * context g, p, m. advance calls it directly, with t a constant, for the
 * common events that expand to exactly one (see EMIT1); the others are
 * queued and go through emit. */
_Static_assert(offsetof(tt_event, arg) == offsetof(tt_event, id) + 8 &&
                   offsetof(tt_event, name) == offsetof(tt_event, arg) + 24 &&
                   offsetof(tt_event, msg) == offsetof(tt_event, name) + 4 &&
                   offsetof(tt_event, stack) == offsetof(tt_event, msg) + 4 &&
                   offsetof(tt_event, tstack) == offsetof(tt_event, stack) + 4 &&
                   offsetof(tt_event, kind) == offsetof(tt_event, tstack) + 4,
               "tt_event: id .. tstack are contiguous, kind follows");
static inline __attribute__((always_inline)) tt_status emit_ev(rd *r, const oev *e, unsigned t,
                                                               uint8_t synth, uint64_t g,
                                                               uint64_t p, uint64_t m,
                                                               int64_t name)
{
    /* Go's validateTableIDs: every string and stack ID argument of the
     * event is resolved below, which fails on an unknown ID. */
    /* Built in r->ebuf, whose sync fields are never written (always zero):
     * every other field is set here, as if from a zeroed event (text and
     * ntext: put back to NULL, 0 after each LOG event). */
    tt_event *const evp = &r->ebuf;
#define ev (*evp)
    /* id, arg[], name, msg, stack, tstack = 0: 48 contiguous bytes */
    memset(&ev.id, 0, offsetof(tt_event, kind) - offsetof(tt_event, id));
    ev.time = e->time;
    ev.m = (int64_t)m;
    ev.p = (int64_t)p;
    ev.g = (int64_t)g;
    /* kind, type, res, from, to, nattr = 0 (see init_hdr), then flags;
     * for a constant t (EMIT1) straight from the tables, which folds */
    int ct = __builtin_constant_p(t);
    if (ct) {
        tt_event h;
        hdr_fill(&h, t);
        h.flags = synth;
        memcpy((char *)evp + offsetof(tt_event, kind), (const char *)&h + offsetof(tt_event, kind), 8);
    } else {
        memcpy((char *)evp + offsetof(tt_event, kind), &r->hdr[t], 8);
        ev.flags = synth; /* 1 == TT_EVF_SYNTH */
    }
    tt_status st;
    unsigned ss = ct ? (ev_stack[t][0] ? ev_stack[t][0] - 1u : 4u) : r->stkslot[t];
    if ((!ct || ev_stack[t][0]) && e->args[ss]) {
        if ((st = resolve_stack(r, e->args[ss], &ev.stack, e->off)))
            return st;
        ev.flags |= TT_EVF_HAS_STACK;
    }
    const uint64_t *a = e->args;
    switch (t) {
    case EV_PROCS_CHANGE:
        ev.name = r->s_gomaxprocs;
        ev.arg[0] = a[0];
        ev.nattr = 1;
        break;
    case EV_HEAP_ALLOC:
        ev.name = r->s_heapobj;
        ev.arg[0] = a[0];
        ev.nattr = 1;
        break;
    case EV_HEAP_GOAL:
        ev.name = r->s_heapgoal;
        ev.arg[0] = a[0];
        ev.nattr = 1;
        break;
    case EV_GO_LABEL:
        if ((st = resolve_str(r, a[0], &ev.name, e)))
            return st;
        ev.res = TT_RES_GOROUTINE;
        ev.id = ev.g;
        break;
    case EV_STW_BEGIN:
    case EV_STW_END: {
        uint32_t kind;
        if ((st = resolve_str(r, a[0], &kind, e)))
            return st;
        const uint64_t *cached = map_get(&r->stwnames, kind);
        if (cached) {
            ev.name = (uint32_t)*cached;
        } else {
            size_t kl;
            const char *ks = tt_syms_str(r->syms, kind, &kl);
            char tmp[1100];
            if (kl > 1024)
                kl = 1024;
            memcpy(tmp, "stop-the-world (", 16);
            memcpy(tmp + 16, ks, kl);
            tmp[16 + kl] = ')';
            ev.name = tt_syms_intern(r->syms, tmp, 17 + kl);
            if (ev.name == UINT32_MAX || !map_put(&r->stwnames, kind, ev.name))
                return NOMEM(r, e->off);
        }
        ev.msg = kind;
        ev.res = TT_RES_GOROUTINE;
        ev.id = ev.g;
        break;
    }
    case EV_GC_ACTIVE:
    case EV_GC_BEGIN:
    case EV_GC_END:
        ev.name = r->s_gcmark;
        ev.res = TT_RES_NONE;
        break;
    case EV_GC_SWEEP_ACTIVE:
    case EV_GC_SWEEP_BEGIN:
    case EV_GC_SWEEP_END:
        ev.name = r->s_sweep;
        ev.res = TT_RES_PROC;
        ev.id = t == EV_GC_SWEEP_ACTIVE ? (int64_t)a[0] : ev.p;
        if (t == EV_GC_SWEEP_END) {
            ev.arg[0] = a[0];
            ev.arg[1] = a[1];
            ev.nattr = 2;
        }
        break;
    case EV_GC_MARK_ASSIST_ACTIVE:
    case EV_GC_MARK_ASSIST_BEGIN:
    case EV_GC_MARK_ASSIST_END:
        ev.name = r->s_assist;
        ev.res = TT_RES_GOROUTINE;
        ev.id = t == EV_GC_MARK_ASSIST_ACTIVE ? (int64_t)a[0] : ev.g;
        break;
    case EV_USER_TASK_BEGIN:
        ev.id = (int64_t)a[0];
        ev.arg[0] = a[1];
        if ((st = resolve_str(r, a[2], &ev.name, e)))
            return st;
        break;
    case EV_USER_TASK_END:
        ev.id = (int64_t)a[0];
        ev.arg[0] = a[2];
        ev.name = (uint32_t)a[3];
        break;
    case EV_USER_REGION_BEGIN:
    case EV_USER_REGION_END:
        ev.id = (int64_t)a[0];
        if (name >= 0) /* (EMIT1N: region_ev resolved a[1] to this) */
            ev.name = (uint32_t)name;
        else if ((st = resolve_str(r, a[1], &ev.name, e)))
            return st;
        break;
    case EV_USER_LOG:
        ev.id = (int64_t)a[0];
        if ((st = resolve_str(r, a[1], &ev.name, e)) || (st = resolve_msg(r, a[2], &ev, e)))
            return st;
        /* the only kind with text: the other kinds leave text/ntext as
         * NULL, 0 (r->ebuf starts zeroed) */
        st = deliver(r, &ev);
        ev.text = NULL;
        ev.ntext = 0;
        return st;
    /* state transitions */
    /* state transitions (res, from and to of most come from ev_rft) */
    case EV_PROC_START:
        ev.id = (int64_t)a[0];
        break;
    case EV_PROC_STOP:
        ev.id = ev.p;
        break;
    case EV_PROC_STEAL:
        ev.res = TT_RES_PROC, ev.id = (int64_t)a[0];
        ev.from = a[3] == PROC_SYSCALL_ABANDONED ? TT_PS_IDLE : TT_PS_RUNNING;
        ev.to = TT_PS_IDLE;
        break;
    case EV_PROC_STATUS:
        ev.res = TT_RES_PROC, ev.id = (int64_t)a[0];
        ev.from = (uint8_t)a[2];
        ev.to = a[1] < 5 ? procstatus2state[a[1]] : 0;
        break;
    case EV_GO_CREATE:
    case EV_GO_CREATE_BLOCKED:
        ev.id = (int64_t)a[0];
        if ((st = resolve_stack(r, a[1], &ev.tstack, e->off)))
            return st;
        ev.flags |= TT_EVF_HAS_TSTACK;
        break;
    case EV_GO_CREATE_SYSCALL:
        ev.id = (int64_t)a[0];
        break;
    case EV_GO_START:
        ev.id = (int64_t)a[0];
        break;
    case EV_GO_DESTROY:
        ev.id = ev.g;
        break;
    case EV_GO_DESTROY_SYSCALL:
        ev.id = ev.g;
        break;
    case EV_GO_STOP:
    case EV_GO_BLOCK:
        ev.id = ev.g;
        if ((st = resolve_str(r, a[0], &ev.name, e)))
            return st;
        ev.tstack = ev.stack;
        if (ev.flags & TT_EVF_HAS_STACK)
            ev.flags |= TT_EVF_HAS_TSTACK;
        break;
    case EV_GO_UNBLOCK:
    case EV_GO_SWITCH:
    case EV_GO_SWITCH_DESTROY:
        ev.id = (int64_t)a[0];
        break;
    case EV_GO_SYSCALL_BEGIN:
        ev.id = ev.g;
        ev.tstack = ev.stack;
        if (ev.flags & TT_EVF_HAS_STACK)
            ev.flags |= TT_EVF_HAS_TSTACK;
        break;
    case EV_GO_SYSCALL_END:
        ev.id = ev.g;
        break;
    case EV_GO_SYSCALL_END_BLOCKED:
        ev.id = ev.g;
        break;
    case EV_GO_STATUS:
    case EV_GO_STATUS_STACK: {
        uint64_t from = a[2] >> 32, to = a[2] & 0xffffffffu;
        ev.res = TT_RES_GOROUTINE, ev.id = (int64_t)a[0];
        ev.from = (uint8_t)from;
        ev.to = to < 5 ? gostatus2state[to] : 0;
        ev.tstack = ev.stack;
        if (ev.flags & TT_EVF_HAS_STACK)
            ev.flags |= TT_EVF_HAS_TSTACK;
        break;
    }
    default:
        if (t >= 128 && t <= 136) {
            ev.nattr = (uint8_t)(ev_nargs[t] - 1);
            for (unsigned i = 0; i < ev.nattr; i++)
                ev.arg[i] = a[i];
        }
        break;
    }
    return deliver(r, &ev);
#undef ev
}

static inline __attribute__((always_inline)) tt_status emit(rd *r, const struct qent *q)
{
    return emit_ev(r, q->e, q->e->typ, q->e->synth, q->g, q->p, q->m, -1);
}

/* r->hdr: the 8 bytes of tt_event from kind on (kind, type, res, from, to,
 * nattr = 0, flags = 0, padding) per wire type. */
_Static_assert(offsetof(tt_event, kind) + 8 <= offsetof(tt_event, sync) &&
                   offsetof(tt_event, flags) < offsetof(tt_event, kind) + 8 &&
                   offsetof(tt_event, type) < offsetof(tt_event, kind) + 8 &&
                   offsetof(tt_event, res) < offsetof(tt_event, kind) + 8 &&
                   offsetof(tt_event, from) < offsetof(tt_event, kind) + 8 &&
                   offsetof(tt_event, to) < offsetof(tt_event, kind) + 8 &&
                   offsetof(tt_event, nattr) < offsetof(tt_event, kind) + 8,
               "tt_event header bytes");
static void init_hdr(rd *r)
{
    for (unsigned t = 0; t < EV_NSPECS; t++) {
        tt_event tmp;
        hdr_fill(&tmp, t);
        memcpy(&r->hdr[t], (const char *)&tmp + offsetof(tt_event, kind), 8);
        r->stkslot[t] = ev_stack[t][0] ? (uint8_t)(ev_stack[t][0] - 1) : 4;
    }
}

/* emit, out of line (events that expand to several). */
static __attribute__((noinline)) tt_status emit_out(rd *r, const struct qent *q)
{
    return emit(r, q);
}

static tt_status emit_cpu(rd *r, const cpu_sample *s)
{
    tt_event ev;
    ev = zero_event;
    ev.time = s->time;
    ev.m = (int64_t)s->m;
    ev.p = (int64_t)s->p;
    ev.g = (int64_t)s->g;
    ev.kind = TT_EV_STACK_SAMPLE;
    ev.type = EV_CPU_SAMPLE;
    ev.flags = TT_EVF_HAS_STACK;
    tt_status st = resolve_stack(r, s->stack, &ev.stack, s->off);
    if (st)
        return st;
    return deliver(r, &ev);
}

/* ---- the main loop ------------------------------------------------------------ */

static inline __attribute__((always_inline)) tt_status try_advance_in(rd *r, size_t i, int *ok)
{
    cursor *c = r->heap[i].c;
    mgp mctx = {0, 0};
    if (c->msi != SIZE_MAX)
        mctx = (mgp){r->ms[c->msi].g, r->ms[c->msi].p};
    tt_status st = advance(r, &c->ev, c->ev.typ, c->m, &c->msi, &mctx, 0, ok);
    if (c->msi != SIZE_MAX)
        r->ms[c->msi].g = mctx.g;
    if (st || !*ok)
        return st;
    /* Deliver now (the queue references c->ev). Go would not return these if
     * decoding the cursor's next event failed; such an error ends the load
     * inside this generation, whose events are then dropped anyway. */
    if (*ok == ADV_QUEUED && r->nq) { /* (else delivered by advance: EMIT1) */
        if (__builtin_expect(r->nq == 1, 1)) {
            if ((st = emit(r, &r->q[0])))
                return st;
        } else {
            for (int q = 0, nq = r->nq; q < nq; q++)
                if ((st = emit_out(r, &r->q[q])))
                    return st;
        }
        r->nq = 0;
        r->nsyn = 0;
    }
    int k = cursor_next(r, c);
    if (k < 0)
        return r->err ? r->err->code : TT_ERR_FORMAT;
    if (k > 0) {
        int64_t t = c->ev.time;
        hent *h = r->heap;
        h[i].t = t;
        if (i == 0) {
            /* usually the root stays the root: heap_down's first step, inline
             * (entries nheap and nheap + 1 are INT64_MAX sentinels) */
            if (!(h[1].t < t) && !(h[2].t < t))
                return TT_OK;
            heap_down(r, 0);
        } else if (heap_up(r, i) == i) {
            heap_down(r, i);
        }
    } else {
        heap_remove(r, i);
    }
    return TT_OK;
}

/* Advance frontier head i (the slow path of run_gen: heads after the root). */
static __attribute__((noinline)) tt_status try_advance(rd *r, size_t i, int *ok)
{
    return try_advance_in(r, i, ok);
}

/* Advance the frontier's root as long as it can advance and no CPU sample
 * comes first: *ok = 0 when the root must wait, 1 otherwise (frontier
 * empty or a CPU sample due: run_gen decides). */
/* The root loop ends: the M's g, which advance keeps in the loop's mctx,
 * goes back where everybody else reads (c->msi is set by then). */
static inline void root_leave(rd *r, cursor *c, uint64_t g)
{
    r->ms[c->msi].g = g;
}

static inline __attribute__((always_inline)) tt_status advance_root_px(rd *r, int *ok, int px)
{
    cursor *c;
    int64_t t0;
    for (;;) {
        if (r->nheap == 0) {
            *ok = 1;
            return TT_OK;
        }
        t0 = r->heap[0].t;
        c = r->heap[0].c;
    root: /* (the heap is not empty; c and t0: its root) */
        if (r->cpu_next < t0) {
            *ok = 1;
            return TT_OK;
        }
        /* The root stays the root while its next time is at most lim: its
         * children's times and the next CPU sample's (entries nheap and
         * nheap + 1 are INT64_MAX sentinels). Nothing but the root changes
         * in the heap meanwhile, so the cursor, its M state index and lim
         * stay in registers from event to event. */
        hent *const h = r->heap;
        if (__builtin_expect(c->m == NO_ID, 0)) { /* no thread: one event at a time */
            tt_status st = try_advance(r, 0, ok);
            if (st || !*ok)
                return st;
            continue;
        }
        /* the smaller child (the left one on a tie), which takes the root
         * when the root's time passes it: known now, so the root change
         * below needs no load */
        const size_t mi = h[2].t < h[1].t ? 2 : 1;
        const hent nr = h[mi];
        int64_t lim = nr.t;
        if (r->cpu_next < lim)
            lim = r->cpu_next;
        const uint64_t m = c->m;
        /* the M's state, looked up (or created) here rather than by
         * advance at the same event, so that advance knows it is set */
        if (__builtin_expect(c->msi == SIZE_MAX, 0) && m_find(r, m, &c->msi)) {
            *ok = 0;
            return NOMEM(r, c->ev.off);
        }
        /* the M's g and p as advance left them: nothing else changes them
         * while its cursor is the root, so g goes back to r->ms only when
         * the loop ends (root_leave) */
        mgp mctx = {r->ms[c->msi].g, r->ms[c->msi].p};
        unsigned typ = c->ev.typ;
        for (;;) {
            int aok;
            tt_status st = advance(r, &c->ev, typ, m, &c->msi, &mctx, 1, &aok);
            if (__builtin_expect(aok == ADV_WAIT, 0)) { /* (also on an error) */
                *ok = 0;
                root_leave(r, c, mctx.g);
                r->heap[0].t = c->ev.time; /* (see below) */
                return st;
            }
            /* ADV_DONE: delivered by advance (EMIT1), nothing queued */
            if (aok == ADV_QUEUED && r->nq) {
                if (__builtin_expect(r->nq == 1, 1)) {
                    st = emit(r, &r->q[0]);
                } else {
                    for (int q = 0, nq = r->nq; q < nq && !st; q++)
                        st = emit_out(r, &r->q[q]);
                }
                if (st) {
                    root_leave(r, c, mctx.g);
                    return st;
                }
                r->nq = 0;
                r->nsyn = 0;
            }
            int k = cursor_next_px(r, c, px);
            if (__builtin_expect(k <= 0, 0)) {
                root_leave(r, c, mctx.g);
                if (k < 0)
                    return r->err ? r->err->code : TT_ERR_FORMAT;
                heap_remove(r, 0);
                break;
            }
            typ = c->ev.typ; /* (the decoder's register on its fast path) */
            /* the root's heap time is only brought up to date when the
             * loop ends (the heap is not looked at before) */
            int64_t t = c->ev.time;
            if (__builtin_expect(t > lim, 0)) {
                root_leave(r, c, mctx.g);
                /* heap_down's first step, inline: the smaller child nr
                 * takes the root when it is earlier */
                if (nr.t < t) {
                    h[0] = nr;
                    h[mi] = (hent){t, c};
                    /* (every entry from nheap up to 2 * ncurs + 2 is an
                     * INT64_MAX sentinel: mi's children need no bounds test) */
                    size_t l = 2 * mi + 1;
                    if (h[l].t < t || h[l + 1].t < t)
                        heap_down(r, mi); /* (below the root: nr stays it) */
                    /* the new root from registers, not reloaded from the
                     * heap just written */
                    c = nr.c;
                    t0 = nr.t;
                } else {
                    h[0].t = t;
                    t0 = t;
                }
                goto root;
            }
        }
    }
}

/* The root loop twice: with the plain varint squeeze and with pext (r->pext,
 * see v2_use_pext). */
static __attribute__((noinline)) tt_status advance_root_plain(rd *r, int *ok)
{
    return advance_root_px(r, ok, 0);
}

#if V2_PEXT
static __attribute__((noinline)) tt_status advance_root_pext(rd *r, int *ok)
{
    return advance_root_px(r, ok, 1);
}
#endif

static inline tt_status advance_root(rd *r, int *ok)
{
#if V2_PEXT
    if (r->pext)
        return advance_root_pext(r, ok);
#endif
    return advance_root_plain(r, ok);
}

static tt_status run_gen(rd *r)
{
    /* the generation's number for goroutine sequence checks (gst.sgen) */
    if (!r->ngens || r->gens[r->ngens - 1] != r->gen) {
        if (r->ngens >= UINT32_MAX)
            return fail(r, TT_ERR_LIMIT, r->gen_start, "more than %u generations", UINT32_MAX);
        if (GROW(r->gens, r->capgens, r->ngens + 1))
            return NOMEM(r, r->gen_start);
        r->gens[r->ngens++] = r->gen;
    }
    /* install: one cursor per M in order of first appearance; the heap
     * array has room for the children of every entry (2 * ncurs + 3), all
     * INT64_MAX sentinels past nheap (heap_remove keeps them so) */
    if (GROW(r->heap, r->capheap, 2 * r->ncurs + 3))
        return NOMEM(r, r->gen_start);
    r->nheap = 0;
    r->nq = r->nsyn = 0;
    if (r->fd >= 0 && r->ncbufs < r->ncurs) { /* file mode: a buffer slot per cursor */
        cbuf *nb = realloc(r->cbufs, r->ncurs * sizeof *nb);
        if (!nb)
            return NOMEM(r, r->gen_start);
        memset(nb + r->ncbufs, 0, (r->ncurs - r->ncbufs) * sizeof *nb);
        r->cbufs = nb;
        r->ncbufs = r->ncurs;
    }
    for (size_t i = 0; i < r->ncurs; i++) {
        cursor *c = &r->curs[i];
        c->p = c->end = c->fast = NULL;
        c->last_ts = 0;
        c->msi = SIZE_MAX;
        c->ev.m = c->m;
        c->ev.synth = 0;
        int k = cursor_next(r, c);
        if (k < 0)
            return r->err ? r->err->code : TT_ERR_FORMAT;
        if (k == 0)
            continue;
        r->heap[r->nheap++] = (hent){c->ev.time, c};
        heap_up(r, r->nheap - 1);
    }
    /* sentinels after the heap: every entry's children exist */
    for (size_t i = r->nheap; i < 2 * r->ncurs + 3; i++)
        r->heap[i] = (hent){INT64_MAX, NULL};
    /* Go sets initialGen on its first Advance, which happens in this
     * generation exactly when some thread has an event. */
    if (r->nheap && r->initial_gen == 0)
        r->initial_gen = r->gen;
    r->first = r->gen == r->initial_gen;
    r->cpu_next = r->cpupos < r->ncpu ? r->cpu[r->cpupos].time : INT64_MAX;
    tt_status st = emit_sync(r, 1, fmul(r->freq, r->min_ts));
    if (st)
        return st;
    for (;;) {
        if (r->nheap == 0 && r->cpupos == r->ncpu)
            return TT_OK;
        if (r->cpupos < r->ncpu &&
            (r->nheap == 0 || r->cpu[r->cpupos].time < r->heap[0].t)) {
            if ((st = emit_cpu(r, &r->cpu[r->cpupos++])))
                return st;
            r->cpu_next = r->cpupos < r->ncpu ? r->cpu[r->cpupos].time : INT64_MAX;
            continue;
        }
        int ok;
        if ((st = advance_root(r, &ok)))
            return st;
        if (!ok) {
            tt_sort(r->heap, r->nheap, sizeof *r->heap, cmp_cursor);
            for (size_t i = 1; i < r->nheap; i++) {
                if ((st = try_advance(r, i, &ok)))
                    return st;
                if (ok)
                    break;
            }
            if (!ok) {
                const oev *e = &r->heap[0].c->ev;
                return fail(r, TT_ERR_ORDER, e->off,
                            "generation %llu: broken trace: failed to advance: no thread can make "
                            "progress (first waiting event: %s on M %lld)",
                            (unsigned long long)r->gen, ev_name(e->typ), (long long)r->heap[0].c->m);
            }
        }
    }
}

static void rd_free(rd *r)
{
    free(r->sw);
    for (size_t i = 0; i < r->ncbufs; i++)
        free(r->cbufs[i].p);
    free(r->cbufs);
    free(r->batches);
    map_free(&r->mcur);
    free(r->curs);
    free(r->tails);
    free(r->heap);
    free(r->cpu);
    map_free(&r->strs);
    map_free(&r->pcmap);
    free(r->frames);
    map_free(&r->stkmap);
    free(r->stks);
    free(r->pcs);
    free(r->fbuf);
    free(r->sdense);
    free(r->psdense);
    gs_free(&r->gs[0]);
    gs_free(&r->gs[1]);
    free(r->kdense);
    free(r->gtab);
    for (size_t i = 0; i < r->ngchunks; i++)
        free(r->gchunks[i]);
    free(r->gchunks);
    free(r->gfree);
    for (size_t i = 0; i < r->ngx; i++) {
        free(r->gx[i].regs);
        free(r->gx[i].rngs);
        if (r->gx[i].stwset) {
            map_free(r->gx[i].stwset);
            free(r->gx[i].stwset);
        }
    }
    free(r->gx);
    free(r->gxfree);
    free(r->gens);
    map_free(&r->pmap);
    free(r->pdense);
    for (size_t i = 0; i < r->nps; i++) {
        free(r->ps[i].rngs);
        free(r->ps[i].holders);
    }
    free(r->ps);
    map_free(&r->mmap_);
    free(r->ms);
    map_free(&r->tmap);
    map_free(&r->stwnames);
    free(r->tasks);
    free(r->tfree);
}

/* (read by loader/v1.c only: see v2.h) */
_Thread_local int tt_v2_release_pages;

static void progress(rd *r, size_t done)
{
    if (r->sink && r->sink->on_progress)
        r->sink->on_progress(r->sink->ctx, done, r->len);
}

tt_status tt_load_v2(const uint8_t *buf, size_t len, int fd, int minor, tt_syms *syms,
                     const tt_sink *sink, tt_load_result *res, tt_err *err)
{
    rd *r = calloc(1, sizeof *r);
    tt_err local;
    if (!err)
        err = &local;
    if (!r)
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory");
    r->buf = fd >= 0 ? NULL : buf;
    r->len = len;
    r->fd = fd;
    r->ver = minor;
    r->pext = !tt_v2_no_pext && v2_use_pext();
    r->syms = syms;
    r->sink = sink;
    r->on_event = no_sink_event;
    if (sink) {
        if (sink->on_event)
            r->on_event = sink->on_event;
        r->sink_ctx = sink->ctx;
        r->lazy = (sink->flags & TT_SINK_LOG_TEXT) != 0;
    }
    r->res = res;
    r->err = err;
    init_hdr(r);
    r->gdead.status = G_DEAD;
    for (size_t i = 0; i < GCACHE; i++)
        r->gcache[i] = &r->gdead;
    r->s_gomaxprocs = tt_syms_intern(syms, "/sched/gomaxprocs:threads", 25);
    r->s_heapobj = tt_syms_intern(syms, "/memory/classes/heap/objects:bytes", 34);
    r->s_heapgoal = tt_syms_intern(syms, "/gc/heap/goal:bytes", 19);
    r->s_gcmark = tt_syms_intern(syms, "GC concurrent mark phase", 24);
    r->s_sweep = tt_syms_intern(syms, "GC incremental sweep", 20);
    r->s_assist = tt_syms_intern(syms, "GC mark assist", 14);
    if (r->s_assist == UINT32_MAX || r->s_gomaxprocs == UINT32_MAX) {
        free(r);
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory");
    }

    size_t pos = 16;
    uint64_t good_gens = 0;
    size_t valid_bytes = 16;
    tt_status st = TT_OK;
    for (;;) {
        tt_status spill = TT_OK;
        size_t spill_at = 0;
        r->eof_quirk = 0;
        st = read_gen(r, &pos, &spill, &spill_at);
        if (st && r->eof_quirk) {
            /*
             * Go quirk: a string, stack, CPU-sample or sync entry cut exactly
             * at the end of its batch makes Go's reader fail with a bare
             * io.EOF, which its callers take for the normal end of the trace
             * (after the Sync emitted before the error). Mirror that: deliver
             * the Sync and succeed, but report the problem as a warning.
             */
            tt_err saved = *err;
            st = emit_sync(r, 0, r->last_ts);
            if (st == TT_OK) {
                tt_load_result lq;
                if (!res)
                    res = &lq;
                res->go_minor = minor;
                res->events = res->valid_events = r->events;
                res->generations = good_gens;
                res->truncated = 1;
                res->warn = saved;
                res->valid_bytes = valid_bytes;
                rd_free(r);
                free(r);
                return TT_OK;
            }
            break;
        }
        if (st) {
            /* Go delivers a Sync (without tables) before a generation read error. */
            tt_err saved = *err;
            if (good_gens && emit_sync(r, 0, r->last_ts) == TT_ERR_STOPPED) {
                st = TT_ERR_STOPPED;
                break;
            }
            *err = saved;
            break;
        }
        if (r->gen == 0) { /* clean end of a 26 trace */
            st = emit_sync(r, 0, r->last_ts);
            break;
        }
        tt_err saved = *err;
        st = run_gen(r);
        if (st)
            break;
        good_gens++;
        valid_bytes = pos;
        progress(r, pos);
        if (spill) {
            if ((st = emit_sync(r, 0, r->last_ts)))
                break;
            *err = saved;
            st = spill;
            break;
        }
        if (r->ver < 26 && pos >= len) { /* EOF after the generation: final Sync */
            st = emit_sync(r, 0, r->last_ts);
            break;
        }
    }
    tt_load_result lres;
    if (!res)
        res = &lres;
    res->go_minor = minor;
    res->events = r->events;
    res->generations = good_gens;
    if (st == TT_OK) {
        res->valid_bytes = len;
        res->valid_events = r->events;
        progress(r, len);
    } else if (st != TT_ERR_STOPPED && good_gens) {
        res->truncated = 1;
        res->warn = *err;
        res->valid_bytes = valid_bytes;
        res->valid_events = r->valid_events;
        st = TT_OK;
    }
    rd_free(r);
    free(r);
    return st;
}

/*
 * gotv model: the indexed event store built from the loader's ordered events,
 * its queries and its analyses. Never parses bytes, never draws.
 *
 * Everything lives in compact arrays addressed by 32-bit indexes; strings and
 * stacks are ids into the tt_syms the loader filled (model_syms()).
 * Times are nanoseconds as the loader delivers them (Go's Event.Time()); the
 * trace starts at info->t_start and ends at info->t_end.
 *
 * Lanes: the explorer draws one lane per goroutine, per P, per M (thread), plus
 * the GC lane and plot lanes. Each lane has spans sorted by start time and
 * non-overlapping; spans of a lane are found by binary search, and the
 * per-column "dominant state" query costs O(columns * log spans), not
 * O(events in range), thanks to per-lane summaries built once.
 */
#ifndef GOTV_MODEL_MODEL_H
#define GOTV_MODEL_MODEL_H

#include "loader/trace.h"

#include <stdint.h>

typedef struct model model;

/* ---- states ---------------------------------------------------------------- */

/* Span states, shared by all lanes. */
typedef enum model_state {
    MS_NONE = 0,       /* no data / goroutine does not exist yet or any more */
    MS_RUNNING,        /* goroutine executing; P running a goroutine; M running */
    MS_RUNNABLE,       /* waiting for a P (scheduler wait) */
    MS_WAITING,        /* blocked; see model_span.cat / reason */
    MS_SYSCALL,        /* in a system call */
    MS_SYSCALL_BLOCKED,/* in a syscall that lost its P */
    MS_IDLE,           /* P idle, M idle */
    MS_GC,             /* GC lane: concurrent mark; also mark assist/sweep overlays */
    MS_STW,            /* stop-the-world */
    MS_MIXED,          /* level-of-detail result: many states in one column */
    MS__COUNT
} model_state;

/* Blocking categories (for waiting spans and profiles). */
typedef enum model_cat {
    MC_NONE = 0,
    MC_CHANNEL,   /* chan send / chan receive */
    MC_SELECT,
    MC_SYNC,      /* sync.Mutex, RWMutex, WaitGroup, semaphores ("sync") */
    MC_COND,      /* sync.(*Cond).Wait */
    MC_NETWORK,
    MC_SYSCALL,
    MC_SLEEP,
    MC_GC,        /* GC assist wait, wait until GC ends, sweeper, weak->strong */
    MC_SYSTEM,    /* system goroutine wait, preempted, debug call, forever */
    MC_OTHER,
    MC__COUNT
} model_cat;

const char *model_state_name(model_state s);
const char *model_cat_name(model_cat c);
/* Category of a Go block reason string ("chan receive" -> MC_CHANNEL, ...). */
model_cat model_cat_of_reason(const char *reason, size_t len);

/* ---- building -------------------------------------------------------------- */

typedef struct model_open_opts {
    /* Optional progress callback: bytes of the file loaded so far. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
} model_open_opts;

/*
 * Load a trace file and build the model. On success *out owns everything
 * (including the mapping and the tt_syms). A truncated trace still succeeds
 * with res->truncated set (keep the complete generations and warn).
 * Errors: TT_ERR_IO, TT_ERR_FORMAT, TT_ERR_VERSION, TT_ERR_NOMEM, ... in *err
 * with the byte offset.
 */
tt_status model_open(const char *path, const model_open_opts *opts, model **out,
                     tt_load_result *res, tt_err *err);
/* Same from memory (tests, fuzzing). buf must outlive the model. */
tt_status model_open_mem(const uint8_t *buf, size_t len, const model_open_opts *opts,
                         model **out, tt_load_result *res, tt_err *err);
void model_free(model *m);

const tt_syms *model_syms(const model *m);
/* String of an id as bytes (not NUL-safe for display: sanitize before drawing). */
const char *model_str(const model *m, uint32_t id, size_t *len);

typedef struct model_info {
    int go_minor;          /* trace format version (go 1.N trace) */
    int64_t t_start, t_end;/* first and last event time (ns) */
    uint64_t nevents;
    uint64_t file_bytes;
    uint32_t ngoroutines, nprocs, nthreads;
    uint32_t ngc;          /* completed GC cycles */
    int64_t gc_total_ns, gc_max_ns;  /* time in GC mark phase */
    uint32_t nstw;
    int64_t stw_total_ns, stw_max_ns;
    uint32_t ntasks, nregions, nlogs;
    uint32_t ncpu_samples;
    uint32_t gomaxprocs_max;
    size_t mem_bytes;      /* memory used by the model (for benchmarks) */
} model_info;

const model_info *model_get_info(const model *m);

/* ---- lanes and spans ---------------------------------------------------- */

typedef enum model_lane_kind { ML_GOROUTINE, ML_PROC, ML_THREAD, ML_GC } model_lane_kind;

/* One interval of a lane. 32 bytes. */
typedef struct model_span {
    int64_t start, end;   /* [start, end) in ns */
    uint32_t stack;       /* stack at the transition that began the span (0 none) */
    uint32_t reason;      /* Go's reason string id (waiting, runnable after stop) */
    int32_t other;        /* goroutine lanes: the goroutine that unblocked this
                             waiting span (-1 unknown); proc/thread lanes: the
                             goroutine running (-1 none); gc lane: STW kind str */
    uint8_t state;        /* model_state */
    uint8_t cat;          /* model_cat for waiting spans */
    uint16_t flags;       /* MSF_* */
} model_span;

#define MSF_IN_ASSIST 0x1   /* goroutine running/waiting inside a GC mark assist */
#define MSF_FROM_START 0x2  /* state began before the trace started */

uint32_t model_lane_count(const model *m, model_lane_kind k);
/* Spans of lane idx (sorted, non-overlapping); returns the count. Borrowed. */
uint32_t model_lane_spans(const model *m, model_lane_kind k, uint32_t idx,
                          const model_span **spans);
/* Index of the first span with end > t (binary search); count if none. */
uint32_t model_span_at_or_after(const model_span *spans, uint32_t n, int64_t t);
/*
 * Level-of-detail: for ncols columns starting at t0, each ns_per_col wide,
 * write the dominant state of lane idx into out[col] (model_state; MS_NONE where
 * nothing). Dominant = the state covering most of the column; a column with
 * several short spans reports the state with the most time (ties: RUNNING over
 * others). Cost grows with ncols, not with the events in range.
 */
void model_lane_columns(const model *m, model_lane_kind k, uint32_t idx, int64_t t0,
                        double ns_per_col, uint32_t ncols, uint8_t *out);

/* ---- goroutines ---------------------------------------------------------- */

typedef struct model_goroutine {
    int64_t id;
    int64_t parent;        /* creating goroutine id, -1 unknown */
    uint32_t func;         /* start function (string id; "" unknown) */
    uint32_t create_stack; /* creation stack */
    uint32_t label;        /* GoLabel, 0 none */
    int64_t first, last;   /* first and last time seen */
    uint8_t system;        /* runtime goroutine (function runtime.* but not runtime.main) */
} model_goroutine;

/* Goroutine lanes are indexed 0..count-1 in order of id. */
const model_goroutine *model_goroutine_get(const model *m, uint32_t idx);
/* Lane index of goroutine id, or UINT32_MAX. */
uint32_t model_goroutine_find(const model *m, int64_t id);
/* Proc lane idx -> P id; thread lane idx -> M id. */
int64_t model_proc_id(const model *m, uint32_t idx);
int64_t model_thread_id(const model *m, uint32_t idx);

/* ---- goroutine analysis (as go tool trace computes it, summary.go) -------- */

typedef struct model_gstats {
    int64_t total_ns;
    int64_t exec_ns;
    int64_t sched_wait_ns;
    int64_t sync_block_ns;     /* chan, select, sync, cond */
    int64_t network_wait_ns;
    int64_t syscall_ns;        /* syscall execution */
    int64_t syscall_block_ns;  /* blocking syscall */
    int64_t sleep_ns;
    int64_t gc_assist_ns;      /* range "GC mark assist" */
    int64_t gc_sweep_ns;       /* range "GC incremental sweep" */
    int64_t other_block_ns;    /* other reasons */
    int64_t unknown_ns;
    /* per reason (Go's "Block time (<reason>)" columns) */
    uint32_t nreasons;
    const uint32_t *reason;   /* string ids */
    const int64_t *reason_ns;
} model_gstats;

/* Stats of goroutine lane idx over the whole trace. Borrowed. */
const model_gstats *model_goroutine_stats(const model *m, uint32_t idx);

/* Blocking episodes of a goroutine (its waiting/syscall/runnable spans that
 * count as "not running"), longest first. */
typedef struct model_episode {
    uint32_t span;        /* index into the goroutine's spans */
} model_episode;
uint32_t model_goroutine_episodes(const model *m, uint32_t idx, const model_episode **eps);

/* ---- user annotations ---------------------------------------------------- */

typedef struct model_region {
    int64_t start, end;   /* start = trace start if begun before; end = trace end if open */
    int64_t goroutine;
    uint64_t task;
    uint32_t name;
    uint32_t stack;       /* begin stack */
    uint16_t depth;       /* nesting depth on its goroutine, 0 outermost */
    uint16_t flags;       /* MRF_NO_BEGIN, MRF_NO_END */
} model_region;
#define MRF_NO_BEGIN 1
#define MRF_NO_END 2

typedef struct model_task {
    uint64_t id, parent;  /* parent TT_NO_TASK if none */
    uint32_t name;
    int64_t start, end;
    uint16_t flags;       /* MRF_NO_BEGIN, MRF_NO_END */
} model_task;

typedef struct model_log {
    int64_t time;
    int64_t goroutine;
    uint64_t task;
    uint32_t category, message;
    uint32_t stack;
} model_log;

/* Regions of goroutine lane idx, sorted by start. */
uint32_t model_goroutine_regions(const model *m, uint32_t idx, const model_region **r);
uint32_t model_goroutine_logs(const model *m, uint32_t idx, const model_log **l);
uint32_t model_tasks(const model *m, const model_task **t);
uint32_t model_regions_all(const model *m, const model_region **r);
uint32_t model_logs_all(const model *m, const model_log **l);

/* ---- metrics series ---------------------------------------------------- */

typedef struct model_point {
    int64_t t;
    uint64_t v;
} model_point;

typedef enum model_series_kind {
    MSER_HEAP_ALLOC, MSER_HEAP_GOAL, MSER_GOMAXPROCS,
    MSER_G_RUNNING, MSER_G_RUNNABLE, MSER_G_WAITING,
    MSER__COUNT
} model_series_kind;
uint32_t model_series(const model *m, model_series_kind k, const model_point **pts);

/* ---- search -------------------------------------------------------------- */

/* Goroutine lanes matching text (decimal id, or substring of function, label,
 * region name or log text). Writes up to max lane indexes; returns count found. */
uint32_t model_search_goroutines(const model *m, const char *text, uint32_t *out, uint32_t max);

#endif

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
    MS_GC,             /* GC lane: concurrent mark phase (assist and sweep ranges:
                          model_ranges) */
    MS_STW,            /* stop-the-world */
    MS_MIXED,          /* for drawing only: model_lane_columns never returns it */
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
/* Category of a Go block reason string, first rule that matches: contains
 * "chan" -> CHANNEL; starts with "select" -> SELECT; starts with
 * "sync.(*Cond)" or contains "Cond.Wait" -> COND; contains "sync" -> SYNC;
 * "network" -> NETWORK; starts with "syscall" -> SYSCALL; starts with "sleep"
 * -> SLEEP; contains "GC" -> GC; "system goroutine...", "preempted...", "...debug
 * call...", "forever" -> SYSTEM; anything else, and "", -> OTHER. */
model_cat model_cat_of_reason(const char *reason, size_t len);

/* ---- building -------------------------------------------------------------- */

typedef struct model_open_opts {
    /* Optional progress callback: bytes of the file loaded so far. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
    /* Optional cancel flag (another thread sets it): once it is non-zero the
     * load stops soon (checked every 64Ki events and at each progress call,
     * not inside the final indexing) and returns TT_ERR_STOPPED with the
     * message "cancelled"; no model is returned. */
    const _Atomic int *cancel;
    /* Optional (0: all): build from the first max_events events only, as if
     * the trace ended there (the explorer's preview of a big trace). */
    uint64_t max_events;
} model_open_opts;

/*
 * Load a trace file and build the model. On success *out owns everything
 * (including the mapping and the tt_syms). A truncated trace still succeeds
 * with res->truncated set: the model then holds only the events up to and
 * including the last Sync (the file is read a second time, stopping there),
 * as go tool trace does; warn with res->warn. res and err may be NULL.
 * Errors: TT_ERR_IO, TT_ERR_FORMAT, TT_ERR_VERSION, TT_ERR_NOMEM, ... in *err
 * with the byte offset. Building is thread-safe (no shared state), queries on
 * one model are read-only except the lazily built parts noted below.
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
    uint32_t ngc;          /* GC cycles (mark phases) in the trace, the one
                              still running at its end included (ngc_open) */
    uint32_t ngc_open;
    int64_t gc_total_ns, gc_max_ns;  /* time in GC mark phase (an open one up
                                        to the trace's end) */
    uint32_t nstw, nstw_open;        /* the same for stop-the-world pauses */
    int64_t stw_total_ns, stw_max_ns;
    uint32_t ntasks, nregions, nlogs;
    uint32_t ncpu_samples;
    uint32_t gomaxprocs_max;
    size_t mem_bytes;      /* memory used by the model (for benchmarks) */
} model_info;

const model_info *model_get_info(const model *m);

/* Second threads: model_builder_finish's side tasks (independent parts of
 * the index) and model_open's pipeline (the loader beside the builder, for
 * full loads of 16 MiB and more). 0 (the default): the side tasks when a
 * CPU is free by the load average, no pipeline; 1 never; 2 always, both.
 * The model is the same. For the whole process; set it before loading. */
void model_set_threads(int mode);

/* ---- building from events (tests, fuzzing, model_open) -------------------- */

/*
 * A builder is a tt_sink: feed it the loader's ordered events one at a time,
 * then finish it into a model. syms must hold every string/stack id the events
 * use and must outlive the model (the model does not own it; model_open's
 * models do). Events must come in time order, as tt_load delivers them.
 * model_builder_event returns 0 (non-zero only after an allocation failure).
 * model_builder_finish consumes the builder (also on failure: returns NULL
 * after freeing it). model_builder_free discards an unfinished builder.
 */
typedef struct model_builder model_builder;
model_builder *model_builder_new(tt_syms *syms);
int model_builder_event(model_builder *b, const tt_event *ev);
model *model_builder_finish(model_builder *b);
void model_builder_free(model_builder *b);
/* A tt_sink whose ctx is b and whose on_event is model_builder_event. */
tt_sink model_builder_sink(model_builder *b);

/* ---- safe text ---------------------------------------------------------- */

/*
 * Make trace bytes safe to show on a terminal or in a table: copies s[0..n)
 * to out as printable UTF-8, replacing
 *   C0 controls (incl. ESC, TAB, NL), DEL                -> \xHH
 *   bytes that are not valid UTF-8 (stray, truncated,
 *   overlong, surrogates, > U+10FFFF)                     -> \xHH per byte
 *   C1 controls U+0080..U+009F, bidi controls (U+061C,
 *   U+200E, U+200F, U+202A..U+202E, U+2066..U+2069),
 *   zero-width / invisible (U+200B..U+200D, U+2060..U+2064,
 *   U+FEFF, U+180E, U+00AD), line/para separators
 *   (U+2028, U+2029)                                      -> \uHHHH
 *   backslash                                             -> \\
 * Writes at most cap-1 bytes plus a NUL (never splits a character or an
 * escape; cap 0 writes nothing). Returns the length the full result needs
 * (excluding the NUL), like snprintf. s may contain NULs.
 */
size_t model_safe_text(char *out, size_t cap, const char *s, size_t n);
/* Display width in terminal columns of a model_safe_text result (every
 * character of it counts 1, except East Asian wide characters and emoji which
 * count 2 and combining marks which count 0). */
size_t model_safe_width(const char *safe);
/* Human duration with 4 significant digits: "0", "950ns", "1.234us",
 * "12.35ms", "1.500s", "-2.000ms"; writes to buf (NUL-terminated), returns buf. */
char *model_fmt_duration(char *buf, size_t cap, int64_t ns);

/* ---- lanes and spans ---------------------------------------------------- */

/*
 * What the lanes hold (gaps between spans mean MS_NONE):
 *   ML_GOROUTINE  one lane per goroutine (by id): RUNNING, RUNNABLE, WAITING
 *                 (reason, cat), SYSCALL, SYSCALL_BLOCKED (from the moment its
 *                 P went idle / was stolen, or for a syscall already without a
 *                 P at the first status). Transitions from Undetermined are
 *                 back-dated to the Sync that began their generation
 *                 (MSF_FROM_START), exactly as Go's summary does, so the sums
 *                 of span durations equal model_gstats' columns.
 *   ML_PROC       one lane per P (by id): RUNNING with other = the goroutine
 *                 bound to it (running, or in a syscall until the P is lost)
 *                 or -1 (P running scheduler code), IDLE.
 *   ML_THREAD     one lane per M (by id, from the first event it appears in):
 *                 RUNNING (other = goroutine), SYSCALL (other = goroutine in a
 *                 syscall on it, blocked or not), IDLE otherwise.
 *   ML_GC         one lane: GC (concurrent mark phase), STW (any
 *                 stop-the-world, also outside GC; other = its name id).
 */
typedef enum model_lane_kind { ML_GOROUTINE, ML_PROC, ML_THREAD, ML_GC } model_lane_kind;

/* One interval of a lane, decoded (the model keeps 24 or 12 bytes per span:
 * model_int.h). */
typedef struct model_span {
    int64_t start, end;   /* [start, end) in ns */
    uint32_t stack;       /* stack at the transition that began the span (0 none):
                             the transition stack (GoBlock/GoStop/GoSyscallBegin
                             stack, GoCreate start stack, GoStatusStack stack),
                             else the event's stack (for a runnable span begun
                             by GoUnblock: the unblocker's stack) */
    uint32_t reason;      /* Go's reason string id (waiting, runnable after stop) */
    int32_t other;        /* goroutine lanes: waiting and runnable spans: the
                             goroutine that unblocked it (the GoUnblock event's
                             context goroutine; -1 unknown/none); proc/thread
                             lanes: the goroutine running (-1 none); gc lane:
                             STW spans: the range name string id
                             ("stop-the-world (<kind>)"), else 0 */
    uint8_t state;        /* model_state */
    uint8_t cat;          /* model_cat for waiting spans */
    uint16_t flags;       /* MSF_* */
} model_span;

#define MSF_IN_ASSIST 0x1   /* goroutine running/waiting inside a GC mark assist */
#define MSF_FROM_START 0x2  /* state began before the trace started (or before the
                               generation the goroutine was first seen in) */
#define MSF_UNBLOCKED 0x4   /* waiting span ended by an unblock (other is valid) */

uint32_t model_lane_count(const model *m, model_lane_kind k);

/*
 * Span access. The model stores spans compactly (not as model_span arrays):
 * read them through these functions, which decode one span into a
 * caller-owned model_span. Span indexes of a lane are stable for the model's
 * life (model_episode.span uses them). All are O(1) or O(log spans).
 */
/* Count of spans of lane idx (0 if k or idx is out of range). */
uint32_t model_lane_nspans(const model *m, model_lane_kind k, uint32_t idx);
/* Span i of lane idx decoded into *out; returns out, or NULL (out untouched)
 * if k, idx or i is out of range. */
const model_span *model_lane_span(const model *m, model_lane_kind k, uint32_t idx,
                                  uint32_t i, model_span *out);
/* Index of the first span of the lane with end > t; the count if none. */
uint32_t model_lane_span_after(const model *m, model_lane_kind k, uint32_t idx, int64_t t);
/* Index of the span containing t (start <= t < end); the count if t is in a
 * gap or outside. */
uint32_t model_lane_span_at(const model *m, model_lane_kind k, uint32_t idx, int64_t t);
/* Spans overlapping [t0, t1): *first (may be NULL) gets the first index;
 * returns how many. */
uint32_t model_lane_spans_in(const model *m, model_lane_kind k, uint32_t idx, int64_t t0,
                             int64_t t1, uint32_t *first);

/* Next (dir > 0: the first span boundary, start or end, > t) or previous
 * (dir < 0: the last span boundary < t) state change of a lane; returns that
 * time, or INT64_MIN if none. */
int64_t model_lane_next_change(const model *m, model_lane_kind k, uint32_t idx,
                               int64_t t, int dir);
/* Next/previous blocking episode of goroutine lane idx (a waiting or blocked
 * syscall span; dir > 0: first one starting after t, dir < 0: last one
 * ending at or before t, so not the one holding t); returns its span index or
 * UINT32_MAX. */
uint32_t model_goroutine_next_block(const model *m, uint32_t idx, int64_t t, int dir);
/*
 * Level-of-detail: for ncols columns starting at t0, each ns_per_col wide
 * (column c covers [llround(t0 + c*ns_per_col), llround(t0 + (c+1)*ns_per_col))),
 * write the dominant state of lane idx into out[col] (model_state). Dominant =
 * the state with the most time in the column, gaps not counted (ties: RUNNING
 * first, then the lowest model_state); MS_NONE only where the column holds no
 * span at all; a column narrower than 1 ns reports the span under its start.
 * MS_MIXED is never produced. Cost: O(log spans + 32) per column, from
 * cumulative per-state times checkpointed every 32 spans (not the events in
 * range).
 */
void model_lane_columns(const model *m, model_lane_kind k, uint32_t idx, int64_t t0,
                        double ns_per_col, uint32_t ncols, uint8_t *out);
/* The column edges model_lane_columns uses: edges[c] = llround(t0 + c *
 * ns_per_col) (saturated to the int64 range), for c = 0..ncols (ncols + 1
 * values). */
void model_column_edges(int64_t t0, double ns_per_col, uint32_t ncols, int64_t *edges);
/* model_lane_columns for explicit columns: column c covers [edges[c],
 * edges[c + 1]), c < ncols (edges holds ncols + 1 times). The same answer
 * per column as model_lane_columns gives for a column with those edges
 * (with model_column_edges' edges, the same output), so a caller can
 * compute only some of a view's columns (a scroll reuses the others). A
 * column whose end comes before its start reports the span under its start. */
void model_lane_columns_at(const model *m, model_lane_kind k, uint32_t idx, const int64_t *edges,
                           uint32_t ncols, uint8_t *out);
/* model_lane_columns and model_lane_columns_at with each column's lead,
 * mg[c]: the time of its state exceeds every other state's by at least
 * mg[c] ns (saturated at 255; 0: no lead known, e.g. an empty column, a tie
 * or a column reported by the span under its start). Moving a column's two
 * edges by da and db ns changes each state's time by at most |da| + |db|, so
 * while 2 (|da| + |db|) < mg[c] the column keeps its state: a scroll whose
 * column edges moved by rounding reuses such columns. mg may be NULL. */
void model_lane_columns_mg(const model *m, model_lane_kind k, uint32_t idx, int64_t t0, double ns_per_col,
                           uint32_t ncols, uint8_t *out, uint8_t *mg);
void model_lane_columns_at_mg(const model *m, model_lane_kind k, uint32_t idx, const int64_t *edges,
                              uint32_t ncols, uint8_t *out, uint8_t *mg);

/* ---- goroutines ---------------------------------------------------------- */

typedef struct model_goroutine {
    int64_t id;
    int64_t parent;        /* creating goroutine id, -1 unknown */
    uint32_t func;         /* start function (string id; "" unknown) */
    uint32_t create_stack; /* creation stack */
    uint32_t label;        /* the last GoLabel seen (GC workers relabel at each
                              start: "GC (dedicated)", ...), 0 none */
    int64_t first, last;   /* first seen (creation, or the Sync its first status
                              is back-dated to) and time of its last transition */
    uint8_t system;        /* Go's IsSystemGoroutine: func "" or runtime.* but
                              not runtime.main */
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
    /* Go's special ranges (RangeTime: "GC mark assist", "GC incremental sweep",
     * "stop-the-world (...)"): overlap the columns above. */
    uint32_t nranges;
    const uint32_t *range;    /* string ids */
    const int64_t *range_ns;
    /* Go's summary fields: CreationTime, StartTime (0: never ran), EndTime
     * (0: did not end), Name (outermost frame of the first transition stack
     * seen; == model_goroutine.func) and its PC. */
    int64_t creation, start, end;
    uint32_t name;
    uint64_t pc;
    uint8_t in_summary;       /* Go's summary lists this goroutine (it had a
                                 state change); else all fields are 0 */
} model_gstats;

/* Stats of goroutine lane idx over the whole trace: fills *buf and returns
 * buf (NULL if idx is out of range). The model stores them compactly and
 * expands them here; the reason / range arrays point into the model. */
const model_gstats *model_goroutine_stats(const model *m, uint32_t idx, model_gstats *buf);

/* Blocking episodes of a goroutine (its waiting, syscall, blocked syscall and
 * runnable spans), longest first (ties: earlier first). Borrowed; valid until
 * the next call of model_goroutine_episodes on this model (not thread-safe).
 * The span (model_lane_span(ML_GOROUTINE, idx, span)) gives reason, cat, start,
 * duration, stack and the unblocker (span.other). */
typedef struct model_episode {
    uint32_t span;        /* index into the goroutine's spans */
} model_episode;
uint32_t model_goroutine_episodes(const model *m, uint32_t idx, const model_episode **eps);
/* The first min(max, count) entries of that order without sorting them all:
 * one pass over the goroutine's spans (a bounded heap), cached for the last
 * lane asked. *total (may be NULL) gets the count of all its episodes.
 * Borrowed; valid until the next call of this function on this model (not
 * thread-safe). */
uint32_t model_goroutine_top_episodes(const model *m, uint32_t idx, uint32_t max,
                                      const model_episode **eps, uint32_t *total);
/* Count of the blocking episodes of goroutine lane idx (0 if out of range),
 * computed on first use per goroutine (not thread-safe). */
uint32_t model_goroutine_episode_count(const model *m, uint32_t idx);

/* Goroutines grouped by start function (Go's /goroutines page: the summary's
 * goroutines grouped by Name, "" = "(Inactive, no stack trace sampled)"),
 * sorted by total execution time descending (ties: by name). Borrowed. */
typedef struct model_ggroup {
    uint32_t func;        /* string id of the start function (0: unknown) */
    uint32_t count;
    int64_t exec_ns;      /* total execution time of its goroutines */
    uint32_t first;       /* its goroutine lanes are model_ggroup_lanes()[first..first+count) */
} model_ggroup;
uint32_t model_goroutine_groups(const model *m, const model_ggroup **groups);
/* Goroutine lanes of all groups, group after group (each by goroutine id). */
const uint32_t *model_ggroup_lanes(const model *m);

/* ---- GC, STW, sweep, mark assist ranges ---------------------------------- */

typedef enum model_range_kind {
    MR_GC,       /* "GC concurrent mark phase" (global) */
    MR_STW,      /* "stop-the-world (<kind>)"; res = goroutine that stopped it */
    MR_SWEEP,    /* "GC incremental sweep"; res = P */
    MR_ASSIST,   /* "GC mark assist"; res = goroutine */
    MR__COUNT
} model_range_kind;

typedef struct model_range {
    int64_t start, end;   /* start = the time of the RangeActive if begun before
                             the trace; end = trace end if never ended */
    int64_t res;          /* goroutine or P id, -1 for global */
    uint32_t name;        /* range name string id */
    uint16_t flags;       /* MRF_NO_BEGIN, MRF_NO_END */
} model_range;
/* Ranges of a kind, sorted by start. Borrowed. */
uint32_t model_ranges(const model *m, model_range_kind k, const model_range **r);

/* ---- blocking profiles (go tool trace -pprof=TYPE) ----------------------- */

typedef enum model_prof_kind { MP_NET, MP_SYNC, MP_SYSCALL, MP_SCHED, MP__COUNT } model_prof_kind;
typedef struct model_prof_rec {
    uint32_t stack;       /* stack id (0: no stack) */
    uint32_t pad_;
    uint64_t count;       /* contentions */
    int64_t delay_ns;     /* delay */
} model_prof_rec;
/* "net", "sync", "syscall", "sched" -> kind; -1 if unknown. */
int model_prof_kind_of(const char *name);
/* The records of a profile, built exactly as go tool trace -pprof=TYPE does
 * (cmd/trace pprof.go): stacks merged by their first 128 PCs; sorted by delay
 * descending, then count. Borrowed. */
uint32_t model_profile(const model *m, model_prof_kind k, const model_prof_rec **recs);
/* Encode records as an uncompressed pprof protobuf (sample types
 * contentions/count and delay/nanoseconds, period type trace/count, period 1;
 * one location per PC, one function per file+function name). *out is
 * malloc'ed; returns its length, or 0 on allocation failure. */
size_t model_pprof_encode(const model *m, const model_prof_rec *recs, uint32_t n,
                          uint8_t **out);

/* ---- user annotations ---------------------------------------------------- */

typedef struct model_region {
    int64_t start, end;   /* start = trace start if begun before; end = trace end if open */
    uint32_t task_ref;    /* its task: model_task_ref_id gives the task id */
    uint32_t name;
    uint32_t stack;       /* begin stack */
    uint16_t depth;       /* nesting depth on its goroutine, 0 outermost */
    uint16_t flags;       /* MRF_NO_BEGIN, MRF_NO_END */
} model_region;           /* its goroutine is the lane it is grouped under */
#define MRF_NO_BEGIN 1
#define MRF_NO_END 2

typedef struct model_task {
    uint64_t id, parent;  /* parent TT_NO_TASK if none */
    uint32_t name;
    int64_t start, end;
    int64_t begin_g, end_g; /* the goroutines that began and ended it (the
                               last to, if more did; TT_NO_ID: none) */
    uint16_t flags;       /* MRF_NO_BEGIN, MRF_NO_END */
} model_task;

typedef struct model_log {
    int64_t time;
    uint32_t task_ref;    /* its task: model_task_ref_id gives the task id */
    uint32_t category, message;
    uint32_t stack;
} model_log;              /* its goroutine is the lane it is grouped under */

/* Regions of goroutine lane idx, sorted by start (regions with no begin first).
 * model_regions_all: every region, grouped by goroutine lane (lane order),
 * each group sorted by start. Logs likewise (sorted by time in each group). */
uint32_t model_goroutine_regions(const model *m, uint32_t idx, const model_region **r);
uint32_t model_goroutine_logs(const model *m, uint32_t idx, const model_log **l);
uint32_t model_tasks(const model *m, const model_task **t);
uint32_t model_regions_all(const model *m, const model_region **r);
uint32_t model_logs_all(const model *m, const model_log **l);
/* The goroutine lane of region k (of logs_all: log k) in the model_regions_all
 * order: O(log goroutines). UINT32_MAX if k is out of range or the region's
 * goroutine has no lane. */
uint32_t model_region_lane(const model *m, uint32_t k);
uint32_t model_log_lane(const model *m, uint32_t k);
/* The task id a region's or log's task_ref stands for (as in the trace: 0 is
 * the background task); TT_NO_TASK for a ref out of range. Regions and logs
 * keep a 32-bit reference to a table of the distinct task ids they name,
 * which need not be tasks that began or ended in the trace (model_tasks). */
uint64_t model_task_ref_id(const model *m, uint32_t ref);

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
/* A series is a step function: points at strictly increasing times, each
 * value holding until the next point, 0 before the first. Goroutine counts:
 * RUNNING counts running and in-syscall goroutines; WAITING counts waiting
 * goroutines; they are computed on first use of any of them (not
 * thread-safe). Stored compactly (blocks of delta-coded points with block
 * maxima), so there is no point array: these functions answer queries.
 * model_series_len: the number of points. model_series_point: point i
 * (i < len; {0, 0} otherwise), decoding its block (for tests and checks, not
 * for sweeps). model_series_max: the largest value (0 when empty). */
uint32_t model_series_len(const model *m, model_series_kind k);
model_point model_series_point(const model *m, model_series_kind k, uint32_t i);
uint64_t model_series_max(const model *m, model_series_kind k);
/* The value at time t (of the last point at or before t; 0 if none). */
uint64_t model_series_at(const model *m, model_series_kind k, int64_t t);
/* A caller-held position for model_series_max_in: zero it before a sweep
 * and pass it only to queries of one series of one model. Queries whose a
 * does not decrease (columns left to right) carry on where the last one
 * ended (a column holding no point costs O(1)); any a gives the right
 * answer. Opaque. */
typedef struct model_series_cursor {
    uint64_t opaque[10];
} model_series_cursor;
/* The largest value the series holds anywhere in [a, b): the value at a and
 * every point with a < t < b (just the value at a when b <= a). Exact; ranges
 * covering many points are answered from block maxima. cur may be NULL. */
uint64_t model_series_max_in(const model *m, model_series_kind k, int64_t a, int64_t b, model_series_cursor *cur);
/* The same for the columns [e[c], e[c + 1]) of a sweep, c < ncols (e: ncols
 * + 1 non-decreasing times), for each series ks[i] (i < nk) at once:
 * out[i * ncols + c] = model_series_max_in(m, ks[i], e[c], e[c + 1], NULL).
 * The goroutine counts asked for are read in one pass over the stream
 * they share. */
void model_series_max_cols(const model *m, const model_series_kind *ks, int nk, const int64_t *e, uint32_t ncols,
                           uint64_t *out);
/* Heap bytes the series holds (0 for a goroutine series not computed yet). */
size_t model_series_bytes(const model *m, model_series_kind k);
/* The goroutine counts computed apart from the model, on another thread
 * while the model is in use (the explorer shows a big trace before they are
 * ready): model_gseries_build only reads m (its goroutine lanes), so other
 * threads may query m meanwhile, though not its goroutine counts. NULL when
 * out of memory, or when *cancel (may be NULL) becomes non-zero (checked as
 * it goes). model_gseries_install gives them to m, whose goroutine-count
 * queries then answer from them, and frees j (no other thread may use m
 * during the call); -1 (j freed) when out of memory. The series are the
 * ones the first query would compute. */
typedef struct model_gseries_job model_gseries_job;
model_gseries_job *model_gseries_build(const model *m, const _Atomic int *cancel);
int model_gseries_install(model *m, model_gseries_job *j);
void model_gseries_job_free(model_gseries_job *j);

/* ---- search -------------------------------------------------------------- */

/* Goroutine lanes matching text (decimal id, or substring of function, label,
 * region name or log text). Writes up to max lane indexes; returns count found. */
uint32_t model_search_goroutines(const model *m, const char *text, uint32_t *out, uint32_t max);

/* Decode one UTF-8 sequence strictly: returns its length (1..4) and *cp, or 0
 * if s[0..n) does not start with a valid, shortest-form scalar value (no
 * surrogates, nothing above U+10FFFF). The one decoder the model and tui share. */
size_t model_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif

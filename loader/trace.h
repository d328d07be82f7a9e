/*
 * gotv loader: the public contract between the trace reader and its users.
 *
 * The loader reads Go execution trace bytes (a memory buffer, usually an mmap of
 * the file) and hands *ordered* events to a sink, one at a time, in exactly the
 * order and with exactly the content that Go's own reader (internal/trace,
 * golang.org/x/exp/trace) produces. It never draws, never prints, never exits.
 *
 * Strings and stacks are interned once into a tt_syms table that outlives the
 * load; events refer to them by 32-bit ids. Id 0 is always "" / "no stack".
 * What is interned depends on the sink (tt_sink.flags):
 *  - by default every string of the trace's string tables is interned, in
 *    the order the tables give them (Go 1.22+ re-emits a generation's
 *    strings in each generation: each distinct content gets one id), so
 *    the ids are the same from load to load of the same bytes;
 *  - with TT_SINK_LOG_TEXT the loader keeps the strings of a Go 1.22+
 *    generation only while that generation is being delivered, and interns
 *    into syms only the strings an event hands out as an id (names,
 *    reasons, categories, metric, label, region and task names, STW kinds,
 *    frame functions and files), at their first use, so ids come in order
 *    of first use. Log messages then reach the sink only as bytes
 *    (tt_event.text), so a trace whose messages are all distinct (Go gives
 *    every trace.Log message a string of its own) does not make them all
 *    resident: a sink that keeps them interns them itself.
 *
 * Call order on a sink: on_event for every event (the first is a Sync with
 * N=1), on_progress from time to time; then tt_load returns. If loading
 * stops on an error after at least one complete generation, tt_load returns
 * TT_OK with res->truncated set and res->warn filled: the sink must then keep
 * only the events delivered up to and including the last Sync event (Go's
 * `go tool trace` does the same), because events after it belong to the
 * broken generation. (One Go quirk is mirrored: a table entry cut exactly at
 * the end of its batch makes Go end the trace after a Sync as if it were
 * complete; tt_load then returns TT_OK with res->truncated set even when no
 * generation was complete.)
 *
 * Stacks: Go prints "Stack=" / "TransitionStack=" headers for some events even
 * when the stack is empty (CPU samples, GoCreate's new-goroutine stack, stacks
 * with zero frames); TT_EVF_HAS_STACK / TT_EVF_HAS_TSTACK say so. For the v2
 * reader, GoStop/GoBlock/GoSyscallBegin/GoStatusStack have tstack == stack.
 */
#ifndef GOTV_LOADER_TRACE_H
#define GOTV_LOADER_TRACE_H

#include <stddef.h>
#include <stdint.h>

/* ---- status codes and errors ------------------------------------------- */

#define TT_STATUS_LIST(X)                                  \
    X(TT_OK, "ok")                                         \
    X(TT_ERR_NOMEM, "out of memory")                       \
    X(TT_ERR_IO, "I/O error")                              \
    X(TT_ERR_FORMAT, "malformed trace")                    \
    X(TT_ERR_VERSION, "unsupported trace version")         \
    X(TT_ERR_ORDER, "inconsistent trace")                  \
    X(TT_ERR_TRUNCATED, "trace truncated")                 \
    X(TT_ERR_LIMIT, "trace exceeds a limit")               \
    X(TT_ERR_STOPPED, "stopped by the caller")

typedef enum tt_status {
#define TT_X_ENUM(name, text) name,
    TT_STATUS_LIST(TT_X_ENUM)
#undef TT_X_ENUM
} tt_status;

const char *tt_status_str(tt_status s);

/* An error: what went wrong and at which byte offset of the input. */
typedef struct tt_err {
    tt_status code;
    uint64_t offset; /* byte offset in the file where the problem was found */
    char msg[320];   /* human readable, already safe to print (no raw trace bytes) */
} tt_err;

/* Fill *err (if not NULL); returns code so callers can `return tt_err_set(...)`. */
tt_status tt_err_set(tt_err *err, tt_status code, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- interned strings, frames and stacks -------------------------------- */

typedef struct tt_frame {
    uint64_t pc;
    uint64_t line;
    uint32_t func; /* string id */
    uint32_t file; /* string id */
} tt_frame;

typedef struct tt_syms tt_syms; /* opaque; owns all strings, frames and stacks */

tt_syms *tt_syms_new(void);
void tt_syms_free(tt_syms *s);
/* Intern bytes (not necessarily UTF-8, may contain NUL); returns id, 0 for "".
 * Returns UINT32_MAX on allocation failure. */
uint32_t tt_syms_intern(tt_syms *s, const char *bytes, size_t len);
/* Borrowed pointer valid until tt_syms_free; *len gets the length (may be NULL).
 * The bytes are NUL-terminated for convenience but may contain NULs. */
const char *tt_syms_str(const tt_syms *s, uint32_t id, size_t *len);
uint32_t tt_syms_nstrings(const tt_syms *s);
/* Intern a stack given as frames, leaf first; returns id, 0 for an empty stack. */
uint32_t tt_syms_stack(tt_syms *s, const tt_frame *frames, uint32_t n);
/* Frames of stack id (leaf first); returns the frame count; borrowed pointer. */
uint32_t tt_syms_stack_frames(const tt_syms *s, uint32_t id, const tt_frame **frames);
uint32_t tt_syms_nstacks(const tt_syms *s);
size_t tt_syms_bytes(const tt_syms *s); /* memory used, for benchmarks */
/* Shared mode, for one writer thread (tt_syms_intern, tt_syms_stack) and
 * reader threads calling only tt_syms_str, tt_syms_stack_frames,
 * tt_syms_nstrings and tt_syms_nstacks for ids they learnt from the writer
 * through a release/acquire hand-off (e.g. a queue of events). While it is
 * on, grown arrays are not freed, so borrowed pointers stay valid; turning
 * it off (when no reader is left) frees them. Returns 0, or -1 when turning
 * it on found it already on. */
int tt_syms_share(tt_syms *s, int on);
/* Writer side in shared mode: how many arrays were kept so far; free the
 * first upto of them (once no reader can still be using them). */
size_t tt_syms_retired(const tt_syms *s);
void tt_syms_reclaim(tt_syms *s, size_t upto);

/* ---- the public event model (mirrors Go's trace.Event) ------------------- */

typedef enum tt_kind {
    TT_EV_BAD = 0,
    TT_EV_SYNC,
    TT_EV_METRIC,
    TT_EV_LABEL,
    TT_EV_STACK_SAMPLE,
    TT_EV_RANGE_BEGIN,
    TT_EV_RANGE_ACTIVE,
    TT_EV_RANGE_END,
    TT_EV_TASK_BEGIN,
    TT_EV_TASK_END,
    TT_EV_REGION_BEGIN,
    TT_EV_REGION_END,
    TT_EV_LOG,
    TT_EV_STATE_TRANSITION,
    TT_EV_EXPERIMENTAL,
    TT_EV__COUNT
} tt_kind;

/* Goroutine states (Go's GoState) and P states (Go's ProcState). */
enum { TT_GS_UNDETERMINED, TT_GS_NOTEXIST, TT_GS_RUNNABLE, TT_GS_RUNNING, TT_GS_WAITING, TT_GS_SYSCALL };
enum { TT_PS_UNDETERMINED, TT_PS_NOTEXIST, TT_PS_RUNNING, TT_PS_IDLE };
/* Resource kinds: transition subject, range scope, label resource. */
enum { TT_RES_NONE, TT_RES_GOROUTINE, TT_RES_PROC, TT_RES_THREAD };

#define TT_NO_ID (-1)              /* no thread / P / goroutine */
#define TT_NO_TASK UINT64_MAX      /* task parent "none" */

/* Event flags */
#define TT_EVF_SYNTH 0x01        /* synthesized by the reader (GoSwitch expansion, ...) */
#define TT_EVF_SNAPSHOT 0x02     /* Sync carries a clock snapshot (Go 1.25+) */
#define TT_EVF_HAS_STACK 0x04    /* Go's Event.Stack() is not NoStack (may still have 0 frames) */
#define TT_EVF_HAS_TSTACK 0x08   /* the transition's Stack is not NoStack (GoCreate: always) */

/*
 * One ordered event. Transient: a sink must copy what it keeps.
 * Field use by kind:
 *   all:              time (ns, strictly increasing), m/p/g context *before* the event
 *   SYNC:             arg[0] = N; with TT_EVF_SNAPSHOT: sync.* fields
 *   METRIC:           name = metric name, arg[0] = value
 *   LABEL:            name = label, res/id = resource (goroutine)
 *   RANGE_*:          name = range name ("GC concurrent mark phase", ...), res/id = scope;
 *                     STW ranges: msg = the bare kind ("GC mark termination");
 *                     RANGE_END of a sweep: nattr = 2, arg[0] = bytes swept, arg[1] = reclaimed
 *   TASK_*:           id = task id (a uint64 stored in int64; print it unsigned),
 *                     arg[0] = parent (TT_NO_TASK = none), name = type
 *   REGION_*:         id = task id, name = type
 *   LOG:              id = task id, name = category, msg = message (0 when the
 *                     sink set TT_SINK_LOG_TEXT), text/ntext = the message's
 *                     bytes (also NUL-terminated; may contain NULs; valid only
 *                     during the on_event call: copy or intern what you keep)
 *   STATE_TRANSITION: res = goroutine or proc, id = its id, from/to = states,
 *                     name = reason, tstack = transition stack
 *   STACK_SAMPLE:     (stack only)
 *   EXPERIMENTAL:     type = wire type, nattr = number of args, arg[] = values
 *   stack:            the event's own stack (Stack=), 0 = none
 *   text, ntext:      NULL, 0 except for LOG
 */
typedef struct tt_event {
    int64_t time;
    int64_t m, p, g;
    int64_t id;
    uint64_t arg[3];
    uint32_t name;
    uint32_t msg;
    uint32_t stack;
    uint32_t tstack;
    uint8_t kind;  /* tt_kind */
    uint8_t type;  /* wire event type (v2 numbering) this came from */
    uint8_t res;   /* TT_RES_* */
    uint8_t from;  /* TT_GS_* or TT_PS_* */
    uint8_t to;
    uint8_t nattr;
    uint8_t flags; /* TT_EVF_* */
    struct {
        int64_t trace; /* ns, trace clock */
        uint64_t mono; /* runtime monotonic ns */
        int64_t wall_sec, wall_nsec;
    } sync;
    const char *text; /* LOG: the message's bytes (see above) */
    uint32_t ntext;
} tt_event;

/* ---- loading ------------------------------------------------------------ */

typedef struct tt_sink {
    void *ctx;
    /* Called for every ordered event. Return non-zero to stop (TT_ERR_STOPPED). */
    int (*on_event)(void *ctx, const tt_event *ev);
    /* Optional: progress in bytes of the input. */
    void (*on_progress)(void *ctx, uint64_t done, uint64_t total);
    unsigned flags; /* TT_SINK_*; 0 = intern every string (see the top) */
} tt_sink;

/* The sink reads log messages from tt_event.text only: the loader does not
 * intern them (LOG events have msg = 0) and interns the other strings of a
 * Go 1.22+ trace at their first use only (see the top of this file). */
#define TT_SINK_LOG_TEXT 0x1u

typedef struct tt_load_result {
    int go_minor;          /* header version: 11, 19, 21, 22, 23, 25, 26 */
    uint64_t events;       /* events delivered */
    uint64_t generations;  /* complete generations (v1: 1) */
    int truncated;         /* stopped early on an error; see warn */
    uint64_t valid_bytes;  /* bytes consumed at the last complete generation */
    uint64_t valid_events; /* events delivered up to and including the last Sync */
    tt_err warn;           /* the error that ended reading early */
} tt_load_result;

/* Old-format traces (Go 1.11-1.21) of 8 MiB and more are parsed on a second
 * thread beside the merge (AUTO). NEVER keeps every load on one thread,
 * ALWAYS uses the thread for traces of any size. Process-wide, for
 * measurements (gotv: GOTV_V1_THREAD, GOTV_THREADS); set it before loading. */
enum { TT_V1_THREAD_AUTO = 0, TT_V1_THREAD_NEVER = 1, TT_V1_THREAD_ALWAYS = 2 };
void tt_v1_set_thread_mode(int mode);

/*
 * Read a whole trace from buf[0..len) and deliver its events to sink.
 * Returns TT_OK (possibly with res->truncated), or an error in *err when not
 * even one generation could be read (or the sink stopped, TT_ERR_STOPPED).
 * syms receives all strings and stacks; it may be shared by several loads.
 */
tt_status tt_load(const uint8_t *buf, size_t len, tt_syms *syms, const tt_sink *sink,
                  tt_load_result *res, tt_err *err);

/* Read only the 16-byte header: *minor gets N of "go 1.N trace". */
tt_status tt_read_header(const uint8_t *buf, size_t len, int *minor, tt_err *err);

/* ---- files ---------------------------------------------------------------- */

typedef struct tt_file {
    const uint8_t *data;
    size_t len;
    int mapped; /* 1 if data is an mmap */
    int fd;     /* mapped: the file, kept open (tt_load_file reads Go 1.22+
                   traces from it with pread, not through data); else -1 */
} tt_file;

/* Open a file read-only and map it (falls back to reading into memory).
 * A mapped file keeps its descriptor open until tt_file_close. */
tt_status tt_file_open(const char *path, tt_file *f, tt_err *err);
void tt_file_close(tt_file *f);

/* tt_load on an opened file. A mapped Go 1.22+ trace is read with pread
 * from f->fd (one batch per thread at a time), not through the mapping; a
 * read error or a file that became shorter gives an error naming the byte
 * offset (after the complete generations before it: a warning). Old format,
 * mapped: input pages already consumed (parsed bytes) are released as
 * loading goes (lower peak RSS); the data stays readable (it is simply read
 * again from the file if touched). */
tt_status tt_load_file(const tt_file *f, tt_syms *syms, const tt_sink *sink,
                       tt_load_result *res, tt_err *err);

#endif

/*
 * Old-format traces (Go 1.11-1.21; header versions 11, 19, 21).
 *
 * The whole trace is one unit: every event is parsed into a compact array
 * (12 bytes per event; rare large values go to extension words or a side
 * pool, events with more than one value besides their goroutine use
 * extension words unless their values are small enough to pack), merged into one consistent order
 * using the per-goroutine sequence rules of the old runtime (copied into a
 * second array while the first is given back), re-timed (GoSysExit real
 * timestamps, conversion to ns), validated, and finally converted one by one
 * into the public event model, the way Go's internal/trace does it for old
 * traces (tracev1 + its converter).
 *
 * Passes:
 *   1. parse    file order; strings, stacks, frequency, per-P batches, events
 *   2. merge    frontier of ready batch heads, smallest timestamp first; each
 *               chosen event is copied out, the parsed array's pages behind
 *               moved ahead of the copy (no fresh zeroed pages)
 *   3. retime   order check, GoSysExit real times (both while merging),
 *               stable re-sort
 *   4. check    state validation (fake Ps for GC/syscall/timer/netpoll); from
 *               here on times are read in ns (the record keeps ticks)
 *   5. convert  v2-model events to the sink, Sync first and last; the array
 *               is released behind the cursor
 * Nothing reaches the sink before passes 1-4 succeed: like Go, an old trace
 * is either read completely or not at all.
 */
#include "loader/v1.h"
#include "loader/v1_int.h"
#include "loader/v2.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* ---- old event types ----------------------------------------------------- */

enum {
    E_NONE = 0, E_BATCH, E_FREQUENCY, E_STACK, E_GOMAXPROCS, E_PROC_START, E_PROC_STOP,
    E_GC_START, E_GC_DONE, E_STW_START, E_STW_DONE, E_SWEEP_START, E_SWEEP_DONE,
    E_GO_CREATE, E_GO_START, E_GO_END, E_GO_STOP, E_GO_SCHED, E_GO_PREEMPT, E_GO_SLEEP,
    E_GO_BLOCK, E_GO_UNBLOCK, E_GO_BLOCK_SEND, E_GO_BLOCK_RECV, E_GO_BLOCK_SELECT,
    E_GO_BLOCK_SYNC, E_GO_BLOCK_COND, E_GO_BLOCK_NET, E_GO_SYSCALL, E_GO_SYSEXIT,
    E_GO_SYSBLOCK, E_GO_WAITING, E_GO_INSYSCALL, E_HEAP_ALLOC, E_HEAP_GOAL,
    E_TIMER_GOROUTINE, E_FUTILE_WAKEUP, E_STRING, E_GO_START_LOCAL, E_GO_UNBLOCK_LOCAL,
    E_GO_SYSEXIT_LOCAL, E_GO_START_LABEL, E_GO_BLOCK_GC, E_MARK_ASSIST_START,
    E_MARK_ASSIST_DONE, E_TASK_CREATE, E_TASK_END, E_REGION, E_LOG, E_CPU_SAMPLE,
    E_COUNT
};

/* Per type: number of values including the timestamp delta and the stack,
 * whether the last value is a stack id, first header version, name. */
static const struct {
    uint8_t nargs, stack, minver;
    const char *name;
} evdesc[E_COUNT] = {
    [E_NONE] = {0, 0, 5, "None"},
    [E_BATCH] = {2, 0, 5, "Batch"},
    [E_FREQUENCY] = {1, 0, 5, "Frequency"},
    [E_STACK] = {0, 0, 5, "Stack"},
    [E_GOMAXPROCS] = {3, 1, 5, "Gomaxprocs"},
    [E_PROC_START] = {2, 0, 5, "ProcStart"},
    [E_PROC_STOP] = {1, 0, 5, "ProcStop"},
    [E_GC_START] = {3, 1, 5, "GCStart"},
    [E_GC_DONE] = {1, 0, 5, "GCDone"},
    [E_STW_START] = {2, 0, 5, "GCSTWStart"},
    [E_STW_DONE] = {1, 0, 5, "GCSTWDone"},
    [E_SWEEP_START] = {2, 1, 5, "GCSweepStart"},
    [E_SWEEP_DONE] = {3, 0, 5, "GCSweepDone"},
    [E_GO_CREATE] = {4, 1, 5, "GoCreate"},
    [E_GO_START] = {3, 0, 5, "GoStart"},
    [E_GO_END] = {1, 0, 5, "GoEnd"},
    [E_GO_STOP] = {2, 1, 5, "GoStop"},
    [E_GO_SCHED] = {2, 1, 5, "GoSched"},
    [E_GO_PREEMPT] = {2, 1, 5, "GoPreempt"},
    [E_GO_SLEEP] = {2, 1, 5, "GoSleep"},
    [E_GO_BLOCK] = {2, 1, 5, "GoBlock"},
    [E_GO_UNBLOCK] = {4, 1, 5, "GoUnblock"},
    [E_GO_BLOCK_SEND] = {2, 1, 5, "GoBlockSend"},
    [E_GO_BLOCK_RECV] = {2, 1, 5, "GoBlockRecv"},
    [E_GO_BLOCK_SELECT] = {2, 1, 5, "GoBlockSelect"},
    [E_GO_BLOCK_SYNC] = {2, 1, 5, "GoBlockSync"},
    [E_GO_BLOCK_COND] = {2, 1, 5, "GoBlockCond"},
    [E_GO_BLOCK_NET] = {2, 1, 5, "GoBlockNet"},
    [E_GO_SYSCALL] = {2, 1, 5, "GoSysCall"},
    [E_GO_SYSEXIT] = {4, 0, 5, "GoSysExit"},
    [E_GO_SYSBLOCK] = {1, 0, 5, "GoSysBlock"},
    [E_GO_WAITING] = {2, 0, 5, "GoWaiting"},
    [E_GO_INSYSCALL] = {2, 0, 5, "GoInSyscall"},
    [E_HEAP_ALLOC] = {2, 0, 5, "HeapAlloc"},
    [E_HEAP_GOAL] = {2, 0, 5, "HeapGoal"},
    [E_TIMER_GOROUTINE] = {1, 0, 5, "TimerGoroutine"},
    [E_FUTILE_WAKEUP] = {1, 0, 5, "FutileWakeup"},
    [E_STRING] = {0, 0, 7, "String"},
    [E_GO_START_LOCAL] = {2, 0, 7, "GoStartLocal"},
    [E_GO_UNBLOCK_LOCAL] = {3, 1, 7, "GoUnblockLocal"},
    [E_GO_SYSEXIT_LOCAL] = {3, 0, 7, "GoSysExitLocal"},
    [E_GO_START_LABEL] = {4, 0, 8, "GoStartLabel"},
    [E_GO_BLOCK_GC] = {2, 1, 8, "GoBlockGC"},
    [E_MARK_ASSIST_START] = {2, 1, 9, "GCMarkAssistStart"},
    [E_MARK_ASSIST_DONE] = {1, 0, 9, "GCMarkAssistDone"},
    [E_TASK_CREATE] = {5, 1, 11, "UserTaskCreate"},
    [E_TASK_END] = {3, 1, 11, "UserTaskEnd"},
    [E_REGION] = {5, 1, 11, "UserRegion"},
    [E_LOG] = {4, 1, 11, "UserLog"},
    [E_CPU_SAMPLE] = {5, 1, 19, "CPUSample"},
};

/* How each of Args[0..2] is stored: 2 bits per arg. */
enum { AK_VAL = 0, AK_G = 1, AK_STR = 2 };
#define AK(a0, a1, a2) ((a0) | (a1) << 2 | (a2) << 4)
static const uint8_t argkind[E_COUNT] = {
    [E_GO_CREATE] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_START] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_UNBLOCK] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_SYSEXIT] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_WAITING] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_INSYSCALL] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_START_LOCAL] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_UNBLOCK_LOCAL] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_SYSEXIT_LOCAL] = AK(AK_G, AK_VAL, AK_VAL),
    [E_GO_START_LABEL] = AK(AK_G, AK_VAL, AK_STR),
    [E_TASK_CREATE] = AK(AK_VAL, AK_VAL, AK_STR),
    [E_REGION] = AK(AK_VAL, AK_VAL, AK_STR),
    [E_LOG] = AK(AK_VAL, AK_STR, AK_VAL),
};

/* v2 wire numbering, for tt_event.type */
enum {
    W_CPU_SAMPLE = 7, W_PROCS_CHANGE = 9, W_PROC_START = 10, W_PROC_STOP = 11,
    W_PROC_STATUS = 13, W_GO_CREATE = 14, W_GO_START = 16, W_GO_DESTROY = 17,
    W_GO_STOP = 19, W_GO_BLOCK = 20, W_GO_UNBLOCK = 21, W_SYSCALL_BEGIN = 22,
    W_SYSCALL_END = 23, W_SYSCALL_END_BLOCKED = 24, W_GO_STATUS = 25, W_STW_BEGIN = 26,
    W_STW_END = 27, W_GC_BEGIN = 29, W_GC_END = 30, W_SWEEP_BEGIN = 32, W_SWEEP_END = 33,
    W_ASSIST_BEGIN = 35, W_ASSIST_END = 36, W_HEAP_ALLOC = 37, W_HEAP_GOAL = 38,
    W_GO_LABEL = 39, W_TASK_BEGIN = 40, W_TASK_END = 41, W_REGION_BEGIN = 42,
    W_REGION_END = 43, W_USER_LOG = 44, W_SYNC = 50
};

/* Distinct P ids (real Ps, -1, CPU-sample Ps). The merge scans the Ps whose
 * next event is not ready yet for every event, so this bounds its cost;
 * real traces have at most a few hundred. */
#define V1_MAX_PROCS 4096

/* Parse on a second thread (load_front()) for traces from this size on. */
#define V1_THREAD_MIN ((size_t)8 << 20)

/* Fake Ps of the old parser (FakeP + n). */
#define FAKE_P 1000000
enum { FK_NONE, FK_TIMER, FK_NETPOLL, FK_SYSCALL, FK_GC };

/* ---- compact event record ------------------------------------------------ */

/*
 * 12 bytes per event: the event's goroutine (dense index, 20 bits), the
 * dense P index, one 32-bit value slot x, type, flags and a 19-bit signed
 * time field.
 *
 * Times: in the parsed array (file order), the time field is the event's
 * delta from the previous event of its batch, as in the file (the merge
 * walks each P's events in order and sums them from the batch's base
 * time). In the merged array, it is relative to the first timestamp
 * written to its page of 256 events (tsb[], one per page). Ticks either
 * way (converted to ns when read, NS()). Copying a record to another
 * position of the merged array must re-store its time (ts_put).
 *
 * Wide records (FL_WIDE): an event whose goroutine index does not fit 20
 * bits or whose time does not fit the field (and every CPU sample in the
 * parsed array) keeps its goroutine, its x and its absolute time in four
 * extension words ext[x..x+3] = {g, x, time low, time high}; its own g and
 * dts are unused. dec() gives the goroutine and x of any record.
 *
 * Go's Args[0..2] and the stack id are stored according to layout[] below:
 * in the event's goroutine (Args[0] of GoStart & co is the G itself), in x
 * (values of 2^32 and more go to the pool, with FL_POOLX set), or, for the
 * events with more than one value besides the goroutine, in extension words
 * ext[x..] (x is then their index). The common multi-value events have a
 * packed form (FL_PACKED, layout_packed[]) when their values are small: a
 * packed word (x itself, or the first extension word) holds a 20-bit high
 * part and a 12-bit low part, the low part possibly the index of a pair of
 * values (a string slot or stack id, and a stack id) in the pair table.
 * Goroutine ids are dense indices, string ids string slots.
 */
typedef struct v1ev {
    uint32_t g : 20; /* dense goroutine index of the event's G (not FL_WIDE) */
    uint32_t p : 12; /* dense P index (V1_MAX_PROCS) */
    uint32_t x;
    uint32_t type : 6;
    uint32_t fl : 7;
    int32_t dts : 19;
} v1ev;

_Static_assert(sizeof(v1ev) == 12, "v1ev is 12 bytes");
_Static_assert(V1_MAX_PROCS <= 4096 && E_COUNT <= 64, "v1ev bit fields");

/* A record's fields with its goroutine and x read from the extension words
 * when it is wide (dec()); what the passes after parse work on. */
typedef struct v1d {
    uint32_t g, x;
    uint8_t fl, type;
    uint16_t p;
} v1d;

#define G_NARROW ((uint32_t)1 << 20) /* goroutine indices a record holds */
#define TSP_SHIFT 8
#define TSP_MASK (((size_t)1 << TSP_SHIFT) - 1)
#define DTS_MAX (((int64_t)1 << 18) - 1)
#define DTS_MIN (-((int64_t)1 << 18))

#define FL_POOLX 0x01u
#define FL_WIDE 0x02u /* g, x and the absolute time in ext[x..x+3] */
#define FL_FAKE_SHIFT 2
#define FL_FAKE_MASK (3u << FL_FAKE_SHIFT) /* GoUnblock: FK_TIMER / FK_NETPOLL */
#define FL_BLOCKED 0x10u /* GoSysCall followed by GoSysBlock of the same G (check) */
#define FL_LOCAL 0x20u   /* was GoStartLocal / GoUnblockLocal / GoSysExitLocal */
#define FL_PACKED 0x40u  /* layout_packed */
#define FL_MODE_SHIFT 2  /* packed UserRegion: mode in the (unused) fake-P bits */

/* Packed word: high part (PH) 20 bits, low part (PL) 12 bits. */
#define PK_LO 12u
#define PK_LOMASK ((1u << PK_LO) - 1)
#define V1_MAX_PAIRS (1u << PK_LO)

enum {
    SL_NONE, SL_G, SL_X,
    SL_PH, /* high part of the packed word */
    SL_PL, /* low part of the packed word */
    SL_KA, /* first value of the pair whose index is the low part */
    SL_KB, /* second value of that pair */
    SL_FM, /* packed UserRegion mode, in the flags */
    SL_W = 0x10, /* + k: one word ext[x + k] */
    SL_D = 0x20, /* + k: two words ext[x + k], ext[x + k + 1] (64 bits) */
};
#define W(k) (SL_W + (k))
#define D(k) (SL_D + (k))
/* Where Args[0], Args[1], Args[2] and the stack live, per (original) type.
 * Values that can exceed 32 bits take D slots in extension words; dense
 * goroutines, string slots, syms ids and stack ids take one word. */
static const uint8_t layout[E_COUNT][4] = {
    [E_GOMAXPROCS] = {D(0), SL_NONE, SL_NONE, W(2)},
    [E_PROC_START] = {SL_X, SL_NONE, SL_NONE, SL_NONE},
    [E_GC_START] = {D(0), SL_NONE, SL_NONE, W(2)},
    [E_STW_START] = {SL_X, SL_NONE, SL_NONE, SL_NONE},
    [E_SWEEP_START] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_SWEEP_DONE] = {D(0), D(2), SL_NONE, SL_NONE},
    [E_GO_CREATE] = {W(0), D(1), SL_NONE, W(3)},
    [E_GO_START] = {SL_G, SL_X, SL_NONE, SL_NONE},
    [E_GO_STOP] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_SCHED] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_PREEMPT] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_SLEEP] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_BLOCK] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_UNBLOCK] = {W(0), D(1), SL_NONE, W(3)},
    [E_GO_BLOCK_SEND] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_BLOCK_RECV] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_BLOCK_SELECT] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_BLOCK_SYNC] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_BLOCK_COND] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_BLOCK_NET] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_SYSCALL] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_GO_SYSEXIT] = {SL_G, D(0), D(2), SL_NONE},
    [E_GO_WAITING] = {SL_G, SL_NONE, SL_NONE, SL_NONE},
    [E_GO_INSYSCALL] = {SL_G, SL_NONE, SL_NONE, SL_NONE},
    [E_HEAP_ALLOC] = {SL_X, SL_NONE, SL_NONE, SL_NONE},
    [E_HEAP_GOAL] = {SL_X, SL_NONE, SL_NONE, SL_NONE},
    [E_GO_START_LOCAL] = {SL_G, SL_NONE, SL_NONE, SL_NONE},
    [E_GO_UNBLOCK_LOCAL] = {W(0), SL_NONE, SL_NONE, W(1)},
    [E_GO_SYSEXIT_LOCAL] = {W(0), D(1), SL_NONE, SL_NONE}, /* Args[1] is the time */
    [E_GO_START_LABEL] = {SL_G, D(0), W(2), SL_NONE},
    [E_GO_BLOCK_GC] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_MARK_ASSIST_START] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
    [E_TASK_CREATE] = {D(0), D(2), W(4), W(5)},
    [E_TASK_END] = {D(0), SL_NONE, SL_NONE, W(2)},
    [E_REGION] = {D(0), D(2), W(4), W(5)},
    [E_LOG] = {D(0), W(2), W(3), W(4)},
    [E_CPU_SAMPLE] = {SL_NONE, SL_NONE, SL_NONE, SL_X},
};
/* Extension words used by a type (x is then their index). */
static const uint8_t extwords[E_COUNT] = {
    [E_GOMAXPROCS] = 3, [E_GC_START] = 3, [E_SWEEP_DONE] = 4, [E_GO_CREATE] = 4,
    [E_GO_UNBLOCK] = 4, [E_GO_SYSEXIT] = 4, [E_GO_UNBLOCK_LOCAL] = 2,
    [E_GO_SYSEXIT_LOCAL] = 3, [E_GO_START_LABEL] = 3, [E_TASK_CREATE] = 6,
    [E_TASK_END] = 3, [E_REGION] = 6, [E_LOG] = 5,
};
/* When the values are small (the usual case): the packed forms. */
static const uint8_t layout_packed[E_COUNT][4] = {
    [E_GO_CREATE] = {SL_PH, SL_KA, SL_NONE, SL_KB},
    [E_GO_UNBLOCK] = {SL_PH, W(1), SL_NONE, SL_PL},
    [E_GO_UNBLOCK_LOCAL] = {SL_PH, SL_NONE, SL_NONE, SL_PL},
    [E_TASK_END] = {SL_PH, SL_NONE, SL_NONE, SL_PL},
    [E_REGION] = {SL_PH, SL_FM, SL_KA, SL_KB},
    [E_LOG] = {SL_PH, SL_KA, W(1), SL_KB},
};
/* Packed forms: 1 = packable, 2 = packable with extension words, the packed
 * word being the first of them (else it is x). */
static const uint8_t packable[E_COUNT] = {
    [E_GO_CREATE] = 1, [E_GO_UNBLOCK] = 2, [E_GO_UNBLOCK_LOCAL] = 1,
    [E_TASK_END] = 1, [E_REGION] = 1, [E_LOG] = 2,
};

typedef struct v1batch {
    uint32_t start, end; /* event index range */
    uint32_t next;       /* next batch of the same P, UINT32_MAX = none */
    uint64_t ts0;        /* its base time (the parsed events' deltas add up from it) */
} v1batch;

/* A goroutine state transition the merge checks (state_transition). */
typedef struct gtrans {
    uint32_t g;
    uint64_t iseq, nseq;
    uint8_t ist, nst;
} gtrans;

typedef struct v1proc {
    int32_t id;
    uint32_t first, last; /* batch list */
    uint32_t lastg;       /* parse: G running on this P */
    /* merge */
    uint32_t cur, pos, end;
    uint32_t wnext; /* next proc waiting on the same goroutine */
    uint8_t done;
    uint8_t hvalid; /* hidx, ht, hts: the head event, its transition and time */
    uint8_t blocked; /* its head was not ready at the last scan (not in waitmode) */
    uint64_t pstep;  /* the merge step in which its head was pushed */
    uint32_t hidx;
    gtrans ht;
    int64_t hts;
    uint64_t lt; /* time of the event before the head (or the batch's base) */
    /* convert */
    uint8_t seen, hasm;
    uint64_t m;
} v1proc;

enum { GS_DEAD, GS_RUNNABLE, GS_RUNNING, GS_WAITING };

typedef struct v1g {
    uint64_t id;
    uint64_t seq;     /* merge */
    int64_t sysblock; /* retime: last GoSysBlock/GoInSyscall time */
    uint32_t waiters; /* merge: procs whose next event waits on this G */
    uint8_t mstate;   /* merge status */
    uint8_t timer;    /* timer goroutine */
} v1g;

/* check()'s state of a goroutine (v1ck). */
typedef struct v1ckg {
    uint32_t region; /* top of region stack, UINT32_MAX none */
    uint32_t lastsc; /* 1 + index of its last event if a GoSysCall, else 0 */
    uint8_t state;   /* GS_* */
    uint8_t exists;  /* known to the checker */
    uint8_t lastev;  /* type of the last event that changed it */
    uint8_t assist;  /* mark assist in progress */
    uint8_t timer;   /* timer goroutine (v1g's) */
    uint8_t open;    /* ck_spec(): in a blocking syscall (since v1ck.bts[]) */
} v1ckg;

_Static_assert(sizeof(v1ckg) == 16, "v1ckg is 16 bytes");

/* check()'s state of a P. */
typedef struct v1ckp {
    int32_t id;
    uint32_t rung;
    uint8_t running, sweep;
} v1ckp;

/* check()'s state. */
typedef struct v1ck {
    v1ckg *g;
    v1ckp *p;
    int64_t *bts; /* ck_spec(): per goroutine, the time of its open block */
    int in_gc, in_stw;
    int64_t tsmin; /* the first event's time (in the final order) */
    int tsmin_set;
    double tsf;
    tt_err *err;
} v1ck;

typedef struct v1region {
    uint64_t task;
    uint32_t name; /* string slot */
    uint32_t prev;
} v1region;

typedef struct v1stack {
    size_t off; /* into pcs pool */
    uint32_t n;
    uint32_t sym; /* interned id, 0 = not yet */
} v1stack;

typedef struct v1frame {
    uint64_t line;
    uint32_t fn, file; /* string slots */
} v1frame;

typedef struct v1task {
    uint64_t parent;
    uint32_t name; /* syms id */
    uint8_t live, checklive;
} v1task;

typedef struct v1heap_ent {
    int64_t ts;
    uint32_t proc, idx;
} v1heap_ent;

typedef struct v1 {
    /* Set up before parse; read by parse and the merge alike (with parse on
     * a second thread, the fields each writes are on cache lines of their
     * own below: a counter parse bumps per event next to a pointer the
     * merge reads per event would bounce between the cores). */
    const uint8_t *buf;
    size_t len;
    int ver;
    tt_syms *syms;
    const tt_sink *sink;
    tt_err *err;

    v1ev *ev;
    size_t capev;
    int64_t *tsb; /* merged array: per page of ev, its timestamp base */
    /* check, convert: ns = (ticks - tsmin) * tsf, computed when read */
    int64_t tsmin;
    double tsf;
    uint64_t *pool;
    size_t cappool;
    uint32_t *ext;
    size_t capext;
    v1batch *batches;
    size_t capbatches;
    v1proc *procs;
    size_t capprocs;
    v1g *gs; /* freed by convert, which keeps gid and gpre */
    size_t capgs;

    /* limits (lowered by tt_v1_test_wide) */
    int64_t dts_min, dts_max;
    uint32_t gnarrow; /* goroutine indices below this fit a record */
    uint32_t maxpairs;
    int nopack;
    int widesort; /* retime: always the general sort */
    int nofast;   /* no fast paths (TT_V1_WIDE_NOFAST) */
    /* per type: no packed form nor extension words; the slot (0-3) of the
     * goroutine and of x in layout[], 4 = none */
    uint8_t simple[E_COUNT], gslot[E_COUNT], xslot[E_COUNT];
    uint8_t known[64]; /* per type byte & 0x3f: a type of this version */

    /* Parse on a second thread while the merge runs (par, load_front()).
     * The tables the merge reads (gs, pool, batches, ext, procs) are then
     * fixed reservations that never move (fixedtabs); parse appends to ext
     * below extlim, the merge and retime from extlim on (mnext). Parse
     * publishes its progress in pub_nb (batches complete: their events and
     * everything those refer to written) and pub_nev (the events before the
     * first incomplete batch), and pdone (1 = parsed, 2 = failed) with
     * release stores; next of a batch is written and read atomically. */
    int par, fixedtabs, relpages, slowparse, onthread;
    size_t extlim;
    uint32_t pnp;    /* Ps (skip_scan) */
    uint32_t pallnb; /* batches up to the first of the last P seen */
    pthread_t th;
    int th_live;
    /* Batches parsed here before the parse thread starts (the first batch
     * of a P that appears late in the file: the merge needs it from the
     * start): their byte ranges, which the thread's parse skips, in file
     * order; their events are ev[0..npre). prefrom/preto: parse_run()
     * parses only that range. */
    struct v1range {
        size_t from, to;
        tt_status st; /* its parse's status (an error: reported when reached) */
    } *pre;
    size_t npre_r, npre, prefrom, preto;

    /* written by the merge */
    _Alignas(64) size_t mnext;
    int pabort;
    /* retime (its first part done while merging: retime_step) */
    uint32_t *moved; /* positions of the moved GoSysExit events, increasing */
    size_t nmoved, capmoved;
    int64_t rtprev; /* merged time of the previous event */
    int rtfwd;      /* an exit moved to a later time */
    int rterr;      /* RT_*: the first error, at event rterrpos */
    size_t rterrpos;

    /* Check on the parse thread behind the merge (ck_spec()), when ckon
     * (set before the thread is told to go). The merge publishes its
     * output (ckout, cktsb, then ckready), the events merged so far (ckn),
     * the end (ckfin) or an error (ckabort), with release stores. */
    _Alignas(64) v1ev *ckout;
    int64_t *cktsb;
    size_t ckn;
    int ckready, ckfin, ckabort;
    /* written by the thread, read after the join */
    _Alignas(64) int ckon;
    int ckres; /* CK_* */
    size_t ckheld; /* times its next event was held */
    size_t ckseen; /* atomic: it did all it could with ckn at this (SIZE_MAX: done) */
    tt_err ckerr;

    /* published by parse (atomics) */
    _Alignas(64) size_t pub_nev;
    uint32_t pub_nb;
    int pdone;
    /* to the parse thread (atomic): go (parse) */
    _Alignas(64) int go;
    struct v1half *half; /* the thread scans it first (set before it starts) */

    /* written by parse */
    _Alignas(64) size_t nev, npool, next, nbatches, nprocs, ngs;
    tt_status pst; /* parse's status */
    size_t nfast;
    v1_idx pmap;
    v1_idx gmap;
    uint64_t *gid; /* convert: goroutine ids */
    uint8_t *gpre; /* convert: created before the first Gomaxprocs */

    uint32_t *cpu; /* indices of CPU samples */
    size_t ncpu, capcpu;

    v1_idx strmap; /* raw string id -> slot */
    uint32_t *slots; /* slot -> syms id, 0 = undefined */
    size_t nslots, capslots;

    v1_idx stkmap; /* stack id -> index into stacks */
    v1stack *stacks;
    size_t nstacks, capstacks;
    uint64_t *pcs;
    size_t npcs, cappcs;
    v1_map pcmap; /* pc -> index into frames */
    v1frame *frames;
    size_t nframes, capframes;
    tt_frame *tmpframes;
    size_t captmpframes;

    v1region *regions;
    size_t nregions, capregions;
    uint32_t freeregion;

    v1_idx taskmap; /* task id -> tasks[] (ids are mostly small and dense) */
    v1task *tasks;
    size_t ntasks, captasks;

    uint32_t *preinit;
    size_t npreinit, cappreinit;

    /* pairs of 32-bit values referred to by packed events (the merge reads
     * entries below npairs, written before the events that refer to them) */
    v1_map pairmap;
    uint32_t npairs;
    uint16_t pcache[1024]; /* parse: hash of a pair -> its index + 1, 0 = none */
    uint32_t pa[V1_MAX_PAIRS], pb[V1_MAX_PAIRS];

    int64_t freq;
    uint64_t args[2048 + 8];

    /* convert */
    int64_t last_ts;
    uint64_t delivered;
    uint32_t s_reason[12];
    uint32_t s_stw[17];
    uint32_t s_stw_range[17];
    uint32_t s_gc, s_sweep, s_assist;
    uint32_t s_gomaxprocs, s_heapalloc, s_heapgoal;
} v1;

/* ---- errors ---------------------------------------------------------------- */

#define NOMEM(c) tt_err_set((c)->err, TT_ERR_NOMEM, 0, "out of memory reading old trace")

static tt_status ferr(v1 *c, tt_status code, size_t off, const char *what)
{
    return tt_err_set(c->err, code, off, "%s", what);
}

/* ---- value storage ------------------------------------------------------------ */

static inline unsigned ltype(const v1d *e)
{
    if (!(e->fl & FL_LOCAL))
        return e->type;
    return e->type == E_GO_START ? E_GO_START_LOCAL
           : e->type == E_GO_UNBLOCK ? E_GO_UNBLOCK_LOCAL
                                     : E_GO_SYSEXIT_LOCAL;
}

static int pool_add(v1 *c, uint64_t v, uint32_t *idx)
{
    if (c->npool >= UINT32_MAX || (c->fixedtabs && c->npool >= c->cappool) ||
        v1_grow((void **)&c->pool, &c->cappool, c->npool + 1, sizeof *c->pool) < 0)
        return -1;
    *idx = (uint32_t)c->npool;
    c->pool[c->npool++] = v;
    return 0;
}

/* Goroutine and x of record r (from its extension words when wide). */
static inline v1d dec(const v1 *c, const v1ev *r)
{
    v1d d = {r->g, r->x, (uint8_t)r->fl, (uint8_t)r->type, (uint16_t)r->p};
    if (r->fl & FL_WIDE) {
        d.g = c->ext[r->x];
        d.x = c->ext[r->x + 1];
    }
    return d;
}

/* Absolute time of a wide record. */
static inline int64_t ts_wide(const v1 *c, const v1ev *r)
{
    return (int64_t)(c->ext[r->x + 2] | (uint64_t)c->ext[r->x + 3] << 32);
}

/* Set the absolute time of the wide record whose extension words are at x. */
static inline void ts_wide_set(v1 *c, uint32_t x, int64_t v)
{
    c->ext[x + 2] = (uint32_t)(uint64_t)v;
    c->ext[x + 3] = (uint32_t)((uint64_t)v >> 32);
}

/* Room for add more extension words at *n (c->next: parse's; c->mnext:
 * the merge's, with fixed tables). 0, or -1 when out of memory. */
static inline int ext_room(v1 *c, size_t *n, size_t add)
{
    if (c->fixedtabs)
        return *n + add <= (n == &c->next ? c->extlim : c->capext) ? 0 : -1;
    return c->next > UINT32_MAX - 8 ||
                   v1_grow((void **)&c->ext, &c->capext, c->next + add, sizeof *c->ext) < 0
               ? -1
               : 0;
}

/* Record r of decoded fields d as a wide one, time v, its words at *n
 * (ext_room). 0, or -1 when out of memory. */
static int rec_wide_at(v1 *c, size_t *n, v1ev *r, const v1d *d, int64_t v)
{
    if (ext_room(c, n, 4) < 0)
        return -1;
    uint32_t *w = c->ext + *n;
    w[0] = d->g;
    w[1] = d->x;
    ts_wide_set(c, (uint32_t)*n, v);
    *r = (v1ev){0, d->p, (uint32_t)*n, d->type, d->fl | FL_WIDE, 0};
    *n += 4;
    return 0;
}

/* The same from parse. */
static int rec_wide(v1 *c, v1ev *r, const v1d *d, int64_t v)
{
    return rec_wide_at(c, &c->next, r, d, v);
}

/* Parsed record r of decoded fields d: narrow with time field dt when the
 * goroutine and dt fit, else wide with absolute time v. 0 or -1. */
static inline int rec_put(v1 *c, v1ev *r, const v1d *d, uint64_t dt, int64_t v)
{
    if (d->g < c->gnarrow && dt <= (uint64_t)c->dts_max) {
        *r = (v1ev){d->g, d->p, d->x, d->type, d->fl, (int32_t)dt};
        return 0;
    }
    return rec_wide(c, r, d, v);
}

/* Timestamp of event i of the merged array (page bases tsb). */
static inline int64_t ts_of(const v1 *c, const int64_t *tsb, const v1ev *e, size_t i)
{
    if (e->fl & FL_WIDE)
        return ts_wide(c, e);
    return (int64_t)((uint64_t)tsb[i >> TSP_SHIFT] + (uint64_t)(int64_t)e->dts);
}

static inline int64_t TS(const v1 *c, size_t i)
{
    return ts_of(c, c->tsb, &c->ev[i], i);
}

/* Store timestamp v of event e at position i of the merged array (page
 * bases tsb; the page's base must be set). A value out of reach of the base
 * makes the record wide; a wide record's time is rewritten in place (the
 * record it was copied from is dead). 0, or -1 when out of memory. */
static inline int ts_put(v1 *c, int64_t *tsb, v1ev *e, size_t i, int64_t v)
{
    if (e->fl & FL_WIDE) {
        ts_wide_set(c, e->x, v);
        return 0;
    }
    int64_t d = (int64_t)((uint64_t)v - (uint64_t)tsb[i >> TSP_SHIFT]);
    if (d >= c->dts_min && d <= c->dts_max) {
        e->dts = (int32_t)d;
        return 0;
    }
    v1d dd = dec(c, e);
    return rec_wide_at(c, c->fixedtabs ? &c->mnext : &c->next, e, &dd, v);
}

static inline const uint8_t *layout_of(const v1d *e)
{
    if (!(e->fl & (FL_PACKED | FL_LOCAL)))
        return layout[e->type];
    return (e->fl & FL_PACKED) ? layout_packed[ltype(e)] : layout[ltype(e)];
}

/* The packed word of a packed event. */
static inline uint32_t pword(const v1 *c, const v1d *e)
{
    return packable[ltype(e)] == 2 ? c->ext[e->x] : e->x;
}

/* Logical value Args[i] (i = 3: the stack id) of an event; 0 if absent. */
static inline uint64_t A(const v1 *c, const v1d *e, int i)
{
    unsigned sl = layout_of(e)[i];
    switch (sl) {
    case SL_NONE: return 0;
    case SL_G: return e->g;
    case SL_X: return (e->fl & FL_POOLX) ? c->pool[e->x] : e->x;
    case SL_PH: return pword(c, e) >> PK_LO;
    case SL_PL: return pword(c, e) & PK_LOMASK;
    case SL_KA: return c->pa[pword(c, e) & PK_LOMASK];
    case SL_KB: return c->pb[pword(c, e) & PK_LOMASK];
    case SL_FM: return (e->fl >> FL_MODE_SHIFT) & 3u;
    default:
        if (sl & SL_D)
            return c->ext[e->x + (sl & 7u)] | (uint64_t)c->ext[e->x + (sl & 7u) + 1] << 32;
        return c->ext[e->x + (sl & 7u)];
    }
}

/* pair_idx() past its cache. */
static int pair_idx_slow(v1 *c, uint32_t a, uint32_t b, uint32_t h, uint32_t *idx)
{
    uint64_t key = (uint64_t)a << 32 | b;
    if (v1_map_get(&c->pairmap, key, idx)) {
        c->pcache[h] = (uint16_t)(*idx + 1);
        return 1;
    }
    if (c->npairs >= c->maxpairs)
        return 0;
    if (v1_map_put(&c->pairmap, key, c->npairs) < 0)
        return -1;
    c->pa[c->npairs] = a;
    c->pb[c->npairs] = b;
    *idx = c->npairs++;
    c->pcache[h] = (uint16_t)c->npairs;
    return 1;
}

/* Index of pair (a, b) in the pair table: 1 and *idx, 0 when the table is
 * full, -1 when out of memory. A small direct-mapped cache first (inline). */
static inline int pair_idx(v1 *c, uint32_t a, uint32_t b, uint32_t *idx)
{
    uint64_t key = (uint64_t)a << 32 | b;
    uint32_t h = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 54); /* 10 bits */
    uint32_t k = c->pcache[h];
    if (k && c->pa[k - 1] == a && c->pb[k - 1] == b) {
        *idx = k - 1;
        return 1;
    }
    return pair_idx_slow(c, a, b, h, idx);
}

/* Packed word of a high part and a low part (both checked by the caller). */
static inline uint32_t pk(uint64_t hi, uint32_t lo)
{
    return (uint32_t)hi << PK_LO | lo;
}

/* Two new extension words for event e (x is their index); 0 or -1. */
static inline int ext2(v1 *c, v1d *e, uint32_t w0, uint32_t w1)
{
    if (ext_room(c, &c->next, 2) < 0)
        return -1;
    e->x = (uint32_t)c->next;
    c->ext[c->next] = w0;
    c->ext[c->next + 1] = w1;
    c->next += 2;
    return 0;
}

/*
 * The packed forms (layout_packed[]) written out per type: 1 when stored,
 * 0 when a value does not fit (or the pair table is full), -1 when out of
 * memory.
 */
static inline int store_packed(v1 *c, v1d *e, unsigned typ, const uint64_t *lv)
{
    const uint64_t ph = (uint64_t)1 << (32 - PK_LO); /* bound of a high part */
    uint32_t pi;
    int r;
    switch (typ) {
    case E_GO_UNBLOCK_LOCAL: /* {PH, -, -, PL} */
    case E_TASK_END:
        if (lv[0] >= ph || lv[3] > PK_LOMASK)
            return 0;
        e->x = pk(lv[0], (uint32_t)lv[3]);
        break;
    case E_REGION: /* {PH, FM, KA, KB} */
        if (lv[0] >= ph || lv[1] > 1 || lv[2] > UINT32_MAX || lv[3] > UINT32_MAX)
            return 0;
        r = pair_idx(c, (uint32_t)lv[2], (uint32_t)lv[3], &pi);
        if (r <= 0)
            return r;
        e->x = pk(lv[0], pi);
        e->fl |= (uint8_t)(lv[1] << FL_MODE_SHIFT);
        break;
    case E_GO_CREATE: /* {PH, KA, -, KB} */
        if (lv[0] >= ph || lv[1] > UINT32_MAX || lv[3] > UINT32_MAX)
            return 0;
        r = pair_idx(c, (uint32_t)lv[1], (uint32_t)lv[3], &pi);
        if (r <= 0)
            return r;
        e->x = pk(lv[0], pi);
        break;
    case E_GO_UNBLOCK: /* {PH, W(1), -, PL}, the packed word in ext[x] */
        if (lv[0] >= ph || lv[1] > UINT32_MAX || lv[3] > PK_LOMASK)
            return 0;
        if (ext2(c, e, pk(lv[0], (uint32_t)lv[3]), (uint32_t)lv[1]) < 0)
            return -1;
        break;
    case E_LOG: /* {PH, KA, W(1), KB}, the packed word in ext[x] */
        if (lv[0] >= ph || lv[1] > UINT32_MAX || lv[2] > UINT32_MAX || lv[3] > UINT32_MAX)
            return 0;
        r = pair_idx(c, (uint32_t)lv[1], (uint32_t)lv[3], &pi);
        if (r <= 0)
            return r;
        if (ext2(c, e, pk(lv[0], pi), (uint32_t)lv[2]) < 0)
            return -1;
        break;
    default:
        return 0;
    }
    e->fl |= FL_PACKED;
    return 1;
}

/*
 * Store the logical values lv[] (Args[0..2], stack) of new event e of type
 * typ (e->g already set): packed when they fit. 0, or -1 when out of memory.
 */
static int store_vals(v1 *c, v1d *e, unsigned typ, const uint64_t *lv)
{
    if (c->simple[typ]) { /* at most the goroutine and x (most events) */
        unsigned gs = c->gslot[typ], xs = c->xslot[typ];
        if (gs < 4)
            e->g = (uint32_t)lv[gs];
        if (xs < 4) {
            uint64_t v = lv[xs];
            if (v <= UINT32_MAX) {
                e->x = (uint32_t)v;
            } else {
                uint32_t pi;
                if (pool_add(c, v, &pi) < 0)
                    return -1;
                e->x = pi;
                e->fl |= FL_POOLX;
            }
        }
        return 0;
    }
    if (packable[typ] && !c->nopack) {
        int r = store_packed(c, e, typ, lv);
        if (r)
            return r < 0 ? -1 : 0;
    }
    /* layout[]: extension words for the values besides the goroutine */
    const uint8_t *lay = layout[typ];
    unsigned nw = extwords[typ];
    if (nw) {
        if (ext_room(c, &c->next, nw) < 0)
            return -1;
        e->x = (uint32_t)c->next;
        memset(c->ext + c->next, 0, nw * sizeof *c->ext);
        c->next += nw;
    }
    for (int i = 0; i < 4; i++) {
        unsigned sl = lay[i];
        uint64_t v = lv[i];
        switch (sl) {
        case SL_NONE: break;
        case SL_G: e->g = (uint32_t)v; break;
        case SL_X:
            if (v <= UINT32_MAX) {
                e->x = (uint32_t)v;
            } else {
                uint32_t pi;
                if (pool_add(c, v, &pi) < 0)
                    return -1;
                e->x = pi;
                e->fl |= FL_POOLX;
            }
            break;
        default:
            c->ext[e->x + (sl & 7u)] = (uint32_t)v;
            if (sl & SL_D)
                c->ext[e->x + (sl & 7u) + 1] = (uint32_t)(v >> 32);
            break;
        }
    }
    return 0;
}

/* Stack id: in x for most types (fast path), else wherever layout says. */
static inline uint32_t STKID(const v1 *c, const v1d *e)
{
    if (!(e->fl & (FL_PACKED | FL_LOCAL))) {
        if (layout[e->type][3] == SL_X)
            return e->x;
    } else if (e->fl & FL_PACKED) {
        unsigned lt = ltype(e);
        uint32_t w = packable[lt] == 2 ? c->ext[e->x] : e->x;
        return layout_packed[lt][3] == SL_KB ? c->pb[w & PK_LOMASK] : w & PK_LOMASK;
    }
    return (uint32_t)A(c, e, 3);
}

/* UserRegion: task, mode, name slot (the stack: STKID). */
static inline void region_vals(const v1 *c, const v1d *e, uint64_t *task, uint64_t *mode,
                               uint32_t *name)
{
    if (e->fl & FL_PACKED) {
        *task = e->x >> PK_LO;
        *mode = (e->fl >> FL_MODE_SHIFT) & 3u;
        *name = c->pa[e->x & PK_LOMASK];
        return;
    }
    *task = A(c, e, 0);
    *mode = A(c, e, 1);
    *name = (uint32_t)A(c, e, 2);
}

/* GoUnblock (local or not, after the merge): Args[0], the goroutine it
 * unblocks (layout[] and layout_packed[] of both types, inline). */
static inline uint32_t unblock_g(const v1 *c, const v1d *e)
{
    if (!(e->fl & FL_PACKED))
        return c->ext[e->x]; /* W(0) */
    return (e->fl & FL_LOCAL) ? e->x >> PK_LO : c->ext[e->x] >> PK_LO;
}

/* UserLog: task, key (string slot) and message (syms id), the packed form
 * inline (the stack: STKID). */
static inline void log_vals(const v1 *c, const v1d *e, uint64_t *task, uint32_t *key,
                            uint32_t *msg)
{
    if (e->fl & FL_PACKED) { /* {PH, KA, W(1), KB}, the packed word in ext[x] */
        uint32_t w = c->ext[e->x];
        *task = w >> PK_LO;
        *key = c->pa[w & PK_LOMASK];
        *msg = c->ext[e->x + 1];
        return;
    }
    *task = A(c, e, 0);
    *key = (uint32_t)A(c, e, 1);
    *msg = (uint32_t)A(c, e, 2);
}

/* Dense index of goroutine id; UINT32_MAX on allocation failure. */
static uint32_t gid_new(v1 *c, uint64_t id);

static inline uint32_t gid(v1 *c, uint64_t id)
{
    uint32_t v;
    if (v1_idx_get(&c->gmap, id, &v))
        return v;
    return gid_new(c, id);
}

static uint32_t gid_new(v1 *c, uint64_t id)
{
    uint32_t v;
    if (c->ngs >= UINT32_MAX - 1 || (c->fixedtabs && c->ngs >= c->capgs) ||
        v1_grow((void **)&c->gs, &c->capgs, c->ngs + 1, sizeof *c->gs) < 0)
        return UINT32_MAX;
    v = (uint32_t)c->ngs;
    if (v1_idx_put(&c->gmap, id, v) < 0)
        return UINT32_MAX;
    memset(&c->gs[v], 0, sizeof c->gs[v]);
    c->gs[v].id = id;
    c->gs[v].waiters = UINT32_MAX;
    c->ngs++;
    return v;
}

/* Dense index of P id; UINT32_MAX on failure or too many Ps. */
static uint32_t pidx(v1 *c, int32_t id)
{
    uint32_t v;
    if (v1_idx_get(&c->pmap, (uint32_t)id, &v))
        return v;
    if (c->nprocs >= V1_MAX_PROCS ||
        v1_grow((void **)&c->procs, &c->capprocs, c->nprocs + 1, sizeof *c->procs) < 0)
        return UINT32_MAX;
    v = (uint32_t)c->nprocs;
    if (v1_idx_put(&c->pmap, (uint32_t)id, v) < 0)
        return UINT32_MAX;
    memset(&c->procs[v], 0, sizeof c->procs[v]);
    c->procs[v].id = id;
    c->procs[v].first = c->procs[v].last = UINT32_MAX;
    c->nprocs++;
    return v;
}

/* String slot of raw string id; UINT32_MAX on failure. */
static uint32_t sslot(v1 *c, uint64_t id)
{
    uint32_t v;
    if (v1_idx_get(&c->strmap, id, &v))
        return v;
    if (c->nslots >= UINT32_MAX - 1 ||
        v1_grow((void **)&c->slots, &c->capslots, c->nslots + 1, sizeof *c->slots) < 0)
        return UINT32_MAX;
    v = (uint32_t)c->nslots;
    if (v1_idx_put(&c->strmap, id, v) < 0)
        return UINT32_MAX;
    c->slots[v] = 0;
    c->nslots++;
    return v;
}

static inline int64_t go_f2i(double x)
{
    /* Go on amd64 (CVTTSD2SQ): NaN and out-of-range give INT64_MIN. */
#if defined(__x86_64__) && defined(__GNUC__)
    int64_t r; /* the instruction itself, without C's undefined cases */
    __asm__("cvttsd2si %1, %0" : "=r"(r) : "x"(x));
    return r;
#else
    if (!(x > -9223372036854775808.0 - 1.0 && x < 9223372036854775808.0))
        return INT64_MIN;
    if (x <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)x;
#endif
}

/* ---- pass 1: parse ------------------------------------------------------------ */

/* parse_fast(): the common events, by their header byte (type and value
 * count): 0 = not handled here. */
enum { PF_NONE, PF_STACK, PF_STACK_G0, PF_END, PF_START_LOCAL, PF_UNBLOCK_LOCAL, PF_HEAP,
       PF_REGION, PF_LOG, PF_UNBLOCK };
#define HB(t, n) ((t) | ((n) - 1) << 6) /* header byte of type t with n inline values */
#define HBL(t) ((t) | 3 << 6)           /* header byte of type t, length-prefixed */
static const uint8_t pfkind[256] = {
    [HB(E_GO_STOP, 2)] = PF_STACK_G0, [HB(E_GO_SCHED, 2)] = PF_STACK_G0,
    [HB(E_GO_PREEMPT, 2)] = PF_STACK_G0, [HB(E_GO_SLEEP, 2)] = PF_STACK_G0,
    [HB(E_GO_BLOCK, 2)] = PF_STACK_G0, [HB(E_GO_BLOCK_SEND, 2)] = PF_STACK_G0,
    [HB(E_GO_BLOCK_RECV, 2)] = PF_STACK_G0, [HB(E_GO_BLOCK_SELECT, 2)] = PF_STACK_G0,
    [HB(E_GO_BLOCK_SYNC, 2)] = PF_STACK_G0, [HB(E_GO_BLOCK_COND, 2)] = PF_STACK_G0,
    [HB(E_GO_BLOCK_NET, 2)] = PF_STACK_G0, [HB(E_GO_BLOCK_GC, 2)] = PF_STACK_G0,
    [HB(E_GO_SYSCALL, 2)] = PF_STACK, [HB(E_MARK_ASSIST_START, 2)] = PF_STACK,
    [HB(E_SWEEP_START, 2)] = PF_STACK, [HB(E_GO_END, 1)] = PF_END,
    [HB(E_GO_START_LOCAL, 2)] = PF_START_LOCAL, [HB(E_GO_UNBLOCK_LOCAL, 3)] = PF_UNBLOCK_LOCAL,
    [HB(E_HEAP_ALLOC, 2)] = PF_HEAP, [HBL(E_REGION)] = PF_REGION, [HBL(E_LOG)] = PF_LOG,
    [HBL(E_GO_UNBLOCK)] = PF_UNBLOCK,
};

/* A varint of at most 5 bytes at p (the caller guarantees them readable):
 * the byte after it, or NULL for a longer one (left to the general path). */
static inline const uint8_t *fvar(const uint8_t *p, uint64_t *v)
{
    uint64_t x = p[0];
    if (x < 0x80) {
        *v = x;
        return p + 1;
    }
    x &= 0x7f;
    for (unsigned i = 1; i < 5; i++) {
        uint64_t y = p[i];
        x |= (y & 0x7f) << (7 * i);
        if (y < 0x80) {
            *v = x;
            return p + i + 1;
        }
    }
    return NULL;
}

/* String slot of raw string id: the direct table inline. */
static inline uint32_t sslot_fast(v1 *c, uint64_t id)
{
    if (id < c->strmap.ndir && c->strmap.dir[id] != UINT32_MAX)
        return c->strmap.dir[id];
    return sslot(c, id);
}

/* Sizes parse_fast() may read past the header byte without a bounds check. */
#define PF_SLACK 64

/*
 * The common events of a batch (pfkind[] of header byte hb, whose values
 * start at b[off], at least PF_SLACK bytes before the end of the input),
 * decoded and stored the way the general path of parse() does, without its
 * tables. Returns the offset after the event, 0 when the event is left to
 * the general path (a long varint, values that need extension words, a full
 * pair table, anything the general path would report; nothing is changed
 * then that the general path would not do the same way), or SIZE_MAX when
 * out of memory.
 */
static inline size_t parse_fast(v1 *c, size_t off, unsigned hb, unsigned kind, uint32_t curp,
                                uint64_t *last_ts, uint32_t *lastg)
{
    const uint8_t *b = c->buf, *p = b + off, *end = NULL;
    const uint64_t ph = (uint64_t)1 << (32 - PK_LO); /* bound of a packed high part */
    unsigned typ = hb & 0x3f, fl = 0;
    uint64_t dt, a1, a2, a3, a4;
    uint32_t g = *lastg, x = 0, pi;
    if (hb >> 6 == 3) { /* length-prefixed: one-byte length, checked at the end */
        if (*p >= 0x80)
            return 0;
        end = p + 1 + *p;
        p++;
    }
    if (!(p = fvar(p, &dt)))
        return 0;
    switch (kind) {
    case PF_STACK_G0:
    case PF_STACK:
        if (!(p = fvar(p, &a1)))
            return 0;
        x = (uint32_t)a1; /* the stack id (32 bits, as in general) */
        if (kind == PF_STACK_G0)
            *lastg = 0;
        break;
    case PF_END:
        *lastg = 0;
        break;
    case PF_START_LOCAL:
        if (!(p = fvar(p, &a1)))
            return 0;
        if ((g = gid(c, a1)) == UINT32_MAX)
            return SIZE_MAX;
        *lastg = g;
        break;
    case PF_UNBLOCK_LOCAL: { /* {PH, -, -, PL} */
        if (!(p = fvar(p, &a1)) || !(p = fvar(p, &a2)) || c->nopack)
            return 0;
        uint32_t ug = gid(c, a1);
        if (ug == UINT32_MAX)
            return SIZE_MAX;
        if (ug >= ph || (uint32_t)a2 > PK_LOMASK)
            return 0;
        x = pk(ug, (uint32_t)a2);
        fl = FL_PACKED;
        break;
    }
    case PF_HEAP:
        if (!(p = fvar(p, &a1)) || a1 > UINT32_MAX)
            return 0;
        x = (uint32_t)a1;
        break;
    case PF_REGION: { /* task, mode, name, stack: {PH, FM, KA, KB} */
        if (!(p = fvar(p, &a1)) || !(p = fvar(p, &a2)) || !(p = fvar(p, &a3)) ||
            !(p = fvar(p, &a4)) || p != end || c->nopack || a1 >= ph || a2 > 1)
            return 0;
        uint32_t sl = sslot_fast(c, a3);
        if (sl == UINT32_MAX)
            return SIZE_MAX;
        int r = pair_idx(c, sl, (uint32_t)a4, &pi);
        if (r <= 0)
            return r < 0 ? SIZE_MAX : 0;
        x = pk(a1, pi);
        fl = FL_PACKED | (unsigned)a2 << FL_MODE_SHIFT;
        break;
    }
    case PF_UNBLOCK: { /* g, seq, stack: {PH, W(1), -, PL}, the packed word in ext[x] */
        if (!(p = fvar(p, &a1)) || !(p = fvar(p, &a2)) || !(p = fvar(p, &a3)) || p != end ||
            c->nopack || a2 > UINT32_MAX || (uint32_t)a3 > PK_LOMASK)
            return 0;
        uint32_t ug = gid(c, a1);
        if (ug == UINT32_MAX)
            return SIZE_MAX;
        if (ug >= ph)
            return 0;
        v1d e = {0};
        if (ext2(c, &e, pk(ug, (uint32_t)a3), (uint32_t)a2) < 0)
            return SIZE_MAX;
        x = e.x;
        fl = FL_PACKED;
        break;
    }
    case PF_LOG: { /* task, key, stack, then the message: {PH, KA, W(1), KB} */
        uint64_t sl;
        if (!(p = fvar(p, &a1)) || !(p = fvar(p, &a2)) || !(p = fvar(p, &a3)) || p != end ||
            c->nopack || a1 >= ph || !(p = fvar(p, &sl)) || sl > 1000000 ||
            sl > (size_t)(b + c->len - p))
            return 0;
        uint32_t ks = sslot_fast(c, a2);
        if (ks == UINT32_MAX)
            return SIZE_MAX;
        uint32_t sym = tt_syms_intern(c->syms, (const char *)p, (size_t)sl);
        if (sym == UINT32_MAX)
            return SIZE_MAX;
        p += sl;
        int r = pair_idx(c, ks, (uint32_t)a3, &pi);
        if (r <= 0)
            return r < 0 ? SIZE_MAX : 0;
        v1d e = {0};
        if (ext2(c, &e, pk(a1, pi), sym) < 0)
            return SIZE_MAX;
        x = e.x;
        fl = FL_PACKED;
        break;
    }
    default:
        return 0;
    }
    if (end && kind != PF_LOG && p != end)
        return 0;
    if (c->nev == c->capev)
        return 0;
    *last_ts += dt;
    v1d d = {g, x, (uint8_t)fl, (uint8_t)typ, (uint16_t)curp};
    if (rec_put(c, &c->ev[c->nev], &d, dt, (int64_t)*last_ts) < 0)
        return SIZE_MAX;
    c->nev++;
    return (size_t)(p - b);
}

static tt_status parse_run(v1 *c)
{
    const uint8_t *b = c->buf;
    size_t len = c->len, off = 16, stop = len;
    size_t pri = 0, nextpre = c->npre_r ? c->pre[0].from : SIZE_MAX;
    if (c->preto) { /* one range only (a batch and what follows it) */
        off = c->prefrom;
        stop = c->preto;
        nextpre = SIZE_MAX;
    }
    int have_batch = 0;
    uint32_t curp = 0;
    uint64_t last_ts = 0;
    uint32_t lastg = 0;
    uint32_t bend = 0; /* end of the current batch (see the loop's end) */
    uint64_t *args = c->args;
    size_t rel = 0, rel_pg = 0, nfast = 0;
    static const uint8_t pfnone[256];
    const uint8_t *pft = c->nofast ? pfnone : pfkind; /* parse_fast() kinds */
    if (c->relpages && !c->preto) {
        long ps = sysconf(_SC_PAGESIZE);
        if (ps > 0 && ((size_t)ps & ((size_t)ps - 1)) == 0)
            rel_pg = (size_t)ps;
    }

    while (off < stop) {
        if (off == nextpre) { /* parsed before: the next event starts a batch (or none) */
            if (c->pre[pri].st != TT_OK)
                return c->pre[pri].st;
            off = c->pre[pri].to;
            pri++;
            nextpre = pri < c->npre_r ? c->pre[pri].from : SIZE_MAX;
            continue;
        }
        size_t evoff = off;
        uint8_t hb = b[off++];
        unsigned pf = pft[hb];
        if (pf && have_batch && len - off >= PF_SLACK) {
            size_t noff = parse_fast(c, off, hb, pf, curp, &last_ts, &lastg);
            if (noff == SIZE_MAX)
                return NOMEM(c);
            if (noff) {
                off = noff;
                bend = (uint32_t)c->nev;
                nfast++;
                continue;
            }
        }
        unsigned typ = hb & 0x3f, narg = (hb >> 6) + 1u;
        if (!c->known[typ])
            return tt_err_set(c->err, TT_ERR_FORMAT, evoff, "unknown event type %u",
                              typ);
        int n;
        uint64_t v;
        if (typ == E_STRING) {
            uint64_t id, sl;
            n = tt_uvarint(b + off, len - off, &id);
            if (n <= 0)
                return ferr(c, n == 0 ? TT_ERR_TRUNCATED : TT_ERR_FORMAT, off,
                            n == 0 ? "truncated string id" : "malformed varint");
            off += (size_t)n;
            n = tt_uvarint(b + off, len - off, &sl);
            if (n <= 0)
                return ferr(c, n == 0 ? TT_ERR_TRUNCATED : TT_ERR_FORMAT, off,
                            n == 0 ? "truncated string length" : "malformed varint");
            off += (size_t)n;
            if (!have_batch) {
                /* Go never loads strings written before the first batch. */
                if (sl > len - off)
                    return ferr(c, TT_ERR_TRUNCATED, evoff, "truncated string");
                off += (size_t)sl;
                continue;
            }
            if (id == 0)
                return ferr(c, TT_ERR_FORMAT, evoff, "string with invalid id 0");
            if (sl == 0)
                return ferr(c, TT_ERR_FORMAT, evoff, "string with invalid length 0");
            if (sl > 1000000)
                return tt_err_set(c->err, TT_ERR_LIMIT, evoff,
                                  "string too long (%llu bytes)",
                                  (unsigned long long)sl);
            if (sl > len - off)
                return ferr(c, TT_ERR_TRUNCATED, evoff, "truncated string");
            uint32_t s = sslot(c, id);
            if (s == UINT32_MAX)
                return NOMEM(c);
            if (c->slots[s])
                return tt_err_set(c->err, TT_ERR_FORMAT, evoff,
                                  "duplicate string id %llu",
                                  (unsigned long long)id);
            uint32_t sym = tt_syms_intern(c->syms, (const char *)b + off, (size_t)sl);
            if (sym == UINT32_MAX)
                return NOMEM(c);
            c->slots[s] = sym;
            off += (size_t)sl;
            continue;
        }
        /* Read the values. */
        size_t na = 0;
        if (narg <= 3) {
            for (unsigned i = 0; i < narg; i++) {
                if (off < len && b[off] < 0x80) { /* one-byte value: the common case */
                    args[na++] = b[off++];
                    continue;
                }
                n = tt_uvarint(b + off, len - off, &args[na]);
                if (n <= 0)
                    return ferr(c, n == 0 ? TT_ERR_TRUNCATED : TT_ERR_FORMAT, off,
                                n == 0 ? "truncated event" : "malformed varint");
                off += (size_t)n;
                na++;
            }
        } else {
            n = tt_uvarint(b + off, len - off, &v);
            if (n <= 0)
                return ferr(c, n == 0 ? TT_ERR_TRUNCATED : TT_ERR_FORMAT, off,
                            n == 0 ? "truncated event" : "malformed varint");
            off += (size_t)n;
            if (v > 2048)
                return tt_err_set(c->err, TT_ERR_LIMIT, evoff,
                                  "event length %llu exceeds 2048",
                                  (unsigned long long)v);
            if (v > len - off)
                return ferr(c, TT_ERR_TRUNCATED, evoff, "truncated event");
            size_t end = off + (size_t)v;
            while (off < end) {
                if (b[off] < 0x80) {
                    args[na++] = b[off++];
                    continue;
                }
                n = tt_uvarint(b + off, end - off, &args[na]);
                if (n <= 0)
                    return ferr(c, TT_ERR_FORMAT, off, "malformed varint");
                off += (size_t)n;
                na++;
            }
        }
        if (typ == E_BATCH) {
            /* Nothing refers into the input after parsing (strings are
             * interned, events copied): with a mapped file (tt_load_file),
             * drop the pages parsed so far, every MiB; a dropped page would
             * simply be read again from the file. */
            if (rel_pg && evoff > rel + (1u << 20)) {
                uintptr_t base = (uintptr_t)b, m = (uintptr_t)rel_pg - 1;
                uintptr_t lo = (base + rel + m) & ~m, hi = (base + evoff) & ~m;
                if (hi > lo)
                    (void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
                rel = evoff;
            }
            if (narg != 2)
                return ferr(c, TT_ERR_FORMAT, evoff, "batch with wrong number of arguments");
            if (args[0] != UINT64_MAX && args[0] > INT32_MAX)
                return tt_err_set(c->err, TT_ERR_FORMAT, evoff,
                                  "processor id %llu too large",
                                  (unsigned long long)args[0]);
            int32_t pid = args[0] == UINT64_MAX ? -1 : (int32_t)args[0];
            if (have_batch)
                c->procs[curp].lastg = lastg;
            uint32_t p = pidx(c, pid);
            if (p == UINT32_MAX && c->nprocs < V1_MAX_PROCS)
                return NOMEM(c);
            if (p == UINT32_MAX)
                return tt_err_set(c->err, TT_ERR_LIMIT, evoff, "too many Ps (more than 4096)");
            if (c->nbatches >= UINT32_MAX - 1 ||
                (c->fixedtabs && c->nbatches + 1 > c->capbatches) ||
                v1_grow((void **)&c->batches, &c->capbatches, c->nbatches + 1,
                        sizeof *c->batches) < 0)
                return NOMEM(c);
            if (have_batch)
                c->batches[c->nbatches - 1].end = (uint32_t)c->nev;
            bend = (uint32_t)c->nev;
            v1batch *nb = &c->batches[c->nbatches];
            nb->start = nb->end = (uint32_t)c->nev;
            nb->next = UINT32_MAX;
            nb->ts0 = args[1];
            v1proc *pr = &c->procs[p];
            if (pr->last == UINT32_MAX)
                pr->first = (uint32_t)c->nbatches;
            else /* read by the merge while parse runs (par) */
                __atomic_store_n(&c->batches[pr->last].next, (uint32_t)c->nbatches,
                                 __ATOMIC_RELAXED);
            pr->last = (uint32_t)c->nbatches;
            c->nbatches++;
            if (c->onthread) { /* the batches before this one are complete */
                __atomic_store_n(&c->pub_nev, c->nev, __ATOMIC_RELAXED);
                __atomic_store_n(&c->pub_nb, (uint32_t)c->nbatches - 1, __ATOMIC_RELEASE);
                if (c->slowparse) {
                    struct timespec ts = {0, 20000};
                    nanosleep(&ts, NULL);
                }
            }
            have_batch = 1;
            curp = p;
            lastg = pr->lastg;
            last_ts = args[1];
            continue;
        }
        if (!have_batch)
            return tt_err_set(c->err, TT_ERR_FORMAT, evoff,
                              "%s event before the first batch", evdesc[typ].name);
        if (typ == E_STACK) {
            if (na < 2)
                return ferr(c, TT_ERR_FORMAT, evoff, "stack with too few values");
            uint64_t size = args[1];
            if (size > 1000)
                return tt_err_set(c->err, TT_ERR_LIMIT, evoff,
                                  "stack with %llu frames", (unsigned long long)size);
            if (na != 2 + 4 * size)
                return ferr(c, TT_ERR_FORMAT, evoff, "stack with wrong number of values");
            uint32_t id = (uint32_t)args[0];
            if (id == 0 || size == 0)
                continue;
            if (v1_grow((void **)&c->pcs, &c->cappcs, c->npcs + size, sizeof *c->pcs) < 0)
                return NOMEM(c);
            size_t poff = c->npcs;
            for (uint64_t i = 0; i < size; i++) {
                uint64_t pc = args[2 + i * 4];
                c->pcs[c->npcs++] = pc;
                uint32_t fi;
                if (v1_map_get(&c->pcmap, pc, &fi))
                    continue;
                if (c->nframes >= UINT32_MAX - 1 ||
                    v1_grow((void **)&c->frames, &c->capframes, c->nframes + 1,
                            sizeof *c->frames) < 0)
                    return NOMEM(c);
                v1frame *f = &c->frames[c->nframes];
                f->fn = sslot(c, args[3 + i * 4]);
                f->file = sslot(c, args[4 + i * 4]);
                f->line = args[5 + i * 4];
                if (f->fn == UINT32_MAX || f->file == UINT32_MAX ||
                    v1_map_put(&c->pcmap, pc, (uint32_t)c->nframes) < 0)
                    return NOMEM(c);
                c->nframes++;
            }
            uint32_t si;
            if (!v1_idx_get(&c->stkmap, id, &si)) {
                if (c->nstacks >= UINT32_MAX - 1 ||
                    v1_grow((void **)&c->stacks, &c->capstacks, c->nstacks + 1,
                            sizeof *c->stacks) < 0)
                    return NOMEM(c);
                si = (uint32_t)c->nstacks++;
                if (v1_idx_put(&c->stkmap, id, si) < 0)
                    return NOMEM(c);
            }
            c->stacks[si].off = poff; /* a later stack with the same id wins */
            c->stacks[si].n = (uint32_t)size;
            c->stacks[si].sym = 0;
            continue;
        }
        if (na != evdesc[typ].nargs)
            return tt_err_set(c->err, TT_ERR_FORMAT, evoff,
                              "%s has wrong number of arguments: want %u, got %zu",
                              evdesc[typ].name, evdesc[typ].nargs, na);
        if (typ == E_FREQUENCY) {
            c->freq = (int64_t)args[0];
            if (c->freq <= 0)
                return ferr(c, TT_ERR_FORMAT, evoff, "invalid frequency");
            continue;
        }
        if (typ == E_TIMER_GOROUTINE) {
            uint32_t g = gid(c, args[0]);
            if (g == UINT32_MAX)
                return NOMEM(c);
            c->gs[g].timer = 1;
            continue;
        }
        if (c->nev == c->capev) /* cannot happen: capev bounds the event count */
            return tt_err_set(c->err, TT_ERR_LIMIT, evoff, "too many events");
        v1d ed = {0, 0, 0, (uint8_t)typ, 0}, *e = &ed; /* the record, c->ev[c->nev] */
        uint64_t lv[4] = {0, 0, 0, 0}; /* Args[0..2], stack */
        if (evdesc[typ].stack)
            lv[3] = (uint32_t)args[na - 1];
        size_t nval = na - 1 - evdesc[typ].stack; /* Args[0..] after the timestamp */
        if (typ == E_CPU_SAMPLE) {
            /* dt ignored; absolute time, P, G, stack */
            uint32_t p = pidx(c, (int32_t)(uint32_t)args[2]);
            if (p == UINT32_MAX && c->nprocs >= V1_MAX_PROCS)
                return tt_err_set(c->err, TT_ERR_LIMIT, evoff, "too many Ps (more than 4096)");
            uint32_t g = gid(c, args[3]);
            if (p == UINT32_MAX || g == UINT32_MAX)
                return NOMEM(c);
            e->p = (uint16_t)p;
            e->g = g;
            e->x = (uint32_t)lv[3];
            /* wide: the merge reads its absolute time */
            if (rec_wide(c, &c->ev[c->nev], e, (int64_t)args[1]) < 0 ||
                v1_grow((void **)&c->cpu, &c->capcpu, c->ncpu + 1, sizeof *c->cpu) < 0)
                return NOMEM(c);
            c->cpu[c->ncpu++] = (uint32_t)c->nev;
            c->nev++;
            continue;
        }
        last_ts += args[0];
        e->p = (uint16_t)curp;
        e->g = lastg;
        unsigned kinds = argkind[typ];
        for (size_t i = 0; i < nval && i < 3; i++, kinds >>= 2) {
            uint64_t x = args[1 + i];
            if ((kinds & 3) == AK_G) {
                uint32_t g = gid(c, x);
                if (g == UINT32_MAX)
                    return NOMEM(c);
                lv[i] = g;
            } else if ((kinds & 3) == AK_STR) {
                uint32_t sl = sslot(c, x);
                if (sl == UINT32_MAX)
                    return NOMEM(c);
                lv[i] = sl;
            } else {
                lv[i] = x;
            }
        }
        switch (typ) {
        case E_GO_START:
        case E_GO_START_LOCAL:
        case E_GO_START_LABEL:
            lastg = (uint32_t)lv[0];
            break;
        case E_GO_END:
        case E_GO_STOP:
        case E_GO_SCHED:
        case E_GO_PREEMPT:
        case E_GO_SLEEP:
        case E_GO_BLOCK:
        case E_GO_BLOCK_SEND:
        case E_GO_BLOCK_RECV:
        case E_GO_BLOCK_SELECT:
        case E_GO_BLOCK_SYNC:
        case E_GO_BLOCK_COND:
        case E_GO_BLOCK_NET:
        case E_GO_SYSBLOCK:
        case E_GO_BLOCK_GC:
            lastg = 0;
            break;
        case E_LOG: {
            /* the value string follows the length-prefixed values */
            uint64_t sl;
            if (narg <= 3)
                return ferr(c, TT_ERR_FORMAT, evoff, "UserLog without its value string");
            n = tt_uvarint(b + off, len - off, &sl);
            if (n <= 0)
                return ferr(c, n == 0 ? TT_ERR_TRUNCATED : TT_ERR_FORMAT, off,
                            n == 0 ? "truncated log message" : "malformed varint");
            off += (size_t)n;
            if (sl > 1000000)
                return tt_err_set(c->err, TT_ERR_LIMIT, evoff,
                                  "log message too long (%llu bytes)", (unsigned long long)sl);
            if (sl > len - off)
                return ferr(c, TT_ERR_TRUNCATED, evoff, "truncated log message");
            uint32_t sym = tt_syms_intern(c->syms, (const char *)b + off, (size_t)sl);
            if (sym == UINT32_MAX)
                return NOMEM(c);
            lv[2] = sym;
            off += (size_t)sl;
            break;
        }
        default:
            break;
        }
        if (store_vals(c, e, typ, lv) < 0 ||
            rec_put(c, &c->ev[c->nev], e, args[0], (int64_t)last_ts) < 0)
            return NOMEM(c);
        c->nev++;
        bend = (uint32_t)c->nev;
    }
    /* a batch ends after its last event other than a CPU sample, the last
     * one too (a new batch sets the previous one's end to the event count) */
    c->nfast += nfast;
    if (have_batch) /* (not one parsed before, by load_front()) */
        c->batches[c->nbatches - 1].end = bend;
    if (c->preto) {
        c->procs[curp].lastg = lastg;
        return TT_OK;
    }
    if (c->freq == 0)
        return tt_err_set(c->err, c->nev || c->nbatches ? TT_ERR_TRUNCATED : TT_ERR_FORMAT,
                          len, "no Frequency event (trace truncated?)");
    return TT_OK;
}

/* ---- parse on a second thread ------------------------------------------------- */

static int tt_v1_thread_mode = TT_V1_THREAD_AUTO;

void tt_v1_set_thread_mode(int mode)
{
    if (mode != TT_V1_THREAD_NEVER && mode != TT_V1_THREAD_ALWAYS)
        mode = TT_V1_THREAD_AUTO;
    __atomic_store_n(&tt_v1_thread_mode, mode, __ATOMIC_RELAXED);
}

/* Whether this load may parse on a second thread (tt_v1_threads, then the
 * process-wide tt_v1_thread_mode). */
static int want_thread(const v1 *c)
{
    int mode = __atomic_load_n(&tt_v1_thread_mode, __ATOMIC_RELAXED);
    if (tt_v1_threads == 0 || mode == TT_V1_THREAD_NEVER)
        return 0;
    return tt_v1_threads >= 2 || c->len >= V1_THREAD_MIN || mode == TT_V1_THREAD_ALWAYS;
}

/* The tables the merge reads while parse appends to them, as reservations
 * of their largest possible size (only the pages written are committed):
 * at most one goroutine and one pool value per event (or TimerGoroutine,
 * which takes as many bytes), a batch takes at least 3 bytes, an event at
 * most 10 extension words in parse (6 values, 4 when wide) and 4 more when
 * the merge or retime makes it wide. 0, or -1 (nothing changed). */
static int fixed_tabs(v1 *c)
{
    size_t ne = c->capev, gsn = ne + 2, pooln = ne + 1, bn = (c->len - 16) / 3 + 2;
    size_t extl = 10 * ne + 8, extn = extl + 4 * ne + 8;
    if (ne > ((size_t)UINT32_MAX - 64) / 14)
        return -1;
    v1g *gs = v1_big_reserve(gsn * sizeof *gs);
    uint64_t *pool = v1_big_reserve(pooln * sizeof *pool);
    v1batch *bt = v1_big_reserve(bn * sizeof *bt);
    uint32_t *ext = v1_big_reserve(extn * sizeof *ext);
    v1proc *procs = calloc(V1_MAX_PROCS, sizeof *procs);
    if (!gs || !pool || !bt || !ext || !procs) {
        v1_big_free(gs, gs ? gsn * sizeof *gs : 0);
        v1_big_free(pool, pool ? pooln * sizeof *pool : 0);
        v1_big_free(bt, bt ? bn * sizeof *bt : 0);
        v1_big_free(ext, ext ? extn * sizeof *ext : 0);
        free(procs);
        return -1;
    }
    c->gs = gs, c->capgs = gsn;
    c->pool = pool, c->cappool = pooln;
    c->batches = bt, c->capbatches = bn;
    c->ext = ext, c->capext = extn, c->extlim = extl, c->mnext = extl;
    c->procs = procs, c->capprocs = V1_MAX_PROCS;
    c->fixedtabs = 1;
    return 0;
}

typedef struct v1half v1half;
static void scan_half(const v1 *c, v1half *h);
static void ck_spec(v1 *c);

static void *parse_main(void *arg)
{
    v1 *c = arg;
    v1half *half = c->half;
    if (half)
        scan_half(c, half);
    /* until load_front() says go (after skip_scan() and the late batches) */
    while (!__atomic_load_n(&c->go, __ATOMIC_ACQUIRE)) {
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
    }
    tt_status st = parse_run(c);
    c->pst = st;
    if (st == TT_OK) {
        __atomic_store_n(&c->pub_nev, c->nev, __ATOMIC_RELAXED);
        __atomic_store_n(&c->pub_nb, (uint32_t)c->nbatches, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&c->pdone, st == TT_OK ? 1 : 2, __ATOMIC_RELEASE);
    if (st == TT_OK && c->ckon)
        ck_spec(c);
    else
        __atomic_store_n(&c->ckseen, SIZE_MAX, __ATOMIC_RELEASE);
    return NULL;
}

/* Wait for the parse thread to end; its status (an error of parse wins
 * over the merge's, as when parse ran first). TT_OK without the thread. */
static tt_status par_join(v1 *c)
{
    if (c->th_live) {
        pthread_join(c->th, NULL);
        c->th_live = 0;
    }
    return c->pst;
}

/* One step of waiting for the other thread (*spins: steps so far, from 0):
 * spin briefly, then sleep. */
static void wait_step(unsigned *spins)
{
    if (++*spins < 200) {
        for (volatile int i = 0; i < 50; i++)
            ;
        return;
    }
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
}

/* The merge waits for the parse thread (counted in tt_v1_par_waits). */
static void par_pause(unsigned *spins)
{
    if (*spins == 0)
        tt_v1_par_waits++;
    wait_step(spins);
}

/* A varint at b[off] skipped: the offset after it, SIZE_MAX when the input
 * ends first (or after 10 bytes: malformed; parse will say so). */
static inline size_t skipvar(const uint8_t *b, size_t off, size_t len)
{
    size_t e = len - off > 10 ? off + 10 : len;
    while (off < e && b[off] >= 0x80)
        off++;
    return off < e ? off + 1 : SIZE_MAX;
}

/* skip_scan()'s result: the batches (file offset, P in order of first
 * appearance, whether it holds events that intern strings or stacks) and
 * the P ids. */
typedef struct v1scan {
    struct v1sb {
        size_t off;
        uint32_t p;
        uint8_t intern;
    } *b;
    size_t nb, capb;
    int32_t pid[V1_MAX_PROCS];
    uint32_t np;
} v1scan;

/*
 * The second half of the file's framing, scanned on the parse thread while
 * skip_scan() does the first (load_front()). The thread cannot know where
 * an event starts in the middle of the file: it starts at a byte that
 * could be a batch header (EvBatch with two values, 0x41) at or after the
 * middle and, when the framing read from there fails soon, at the next
 * one. Framing read from a given offset is always the same, so once
 * skip_scan() reaches a batch header that the thread also read as one,
 * the thread's batches from there on are what skip_scan() would have
 * found: it takes them and stops. Otherwise (no such batch, the thread
 * stopped on an error) skip_scan() reads on alone, as without the thread.
 */
typedef struct v1half {
    v1scan sc;    /* the thread's batches (P indices into its own sc.pid) */
    size_t mid;   /* where the thread looks for its first batch header */
    int r;        /* 0: it read to the end, -1: it stopped */
    size_t tries; /* start bytes it tried */
    _Alignas(64) int done;  /* atomic: r and sc are final */
    _Alignas(64) int abort; /* atomic: skip_scan() needs it no more */
} v1half;

/* A start try fails on the thread before this many bytes after the middle
 * (and at most V1_HALF_TRIES times): the next candidate byte is tried. A
 * batch of the runtime is at most 64 KiB, so a real batch header comes
 * first. */
#define V1_HALF_WINDOW ((size_t)1 << 20)
#define V1_HALF_TRIES 256
#define V1_HALF_CHECK 4096 /* events between two looks at abort */

/* A batch at off of P pid appended to sc, its P numbered in order of first
 * appearance (seen: pid -> number); NULL past a limit or out of memory. */
static struct v1sb *scan_add(v1scan *sc, v1_map *seen, size_t off, int32_t pid, uint8_t intern)
{
    uint32_t x;
    if (!v1_map_get(seen, (uint32_t)pid, &x)) {
        if (sc->np >= V1_MAX_PROCS || v1_map_put(seen, (uint32_t)pid, sc->np) < 0)
            return NULL;
        x = sc->np;
        sc->pid[sc->np++] = pid;
    }
    if (sc->nb >= UINT32_MAX - 1 ||
        v1_grow((void **)&sc->b, &sc->capb, sc->nb + 1, sizeof *sc->b) < 0)
        return NULL;
    struct v1sb *e = &sc->b[sc->nb++];
    *e = (struct v1sb){off, x, intern};
    return e;
}

/* skip_scan()'s reading of the framing from off; with h (skip_scan() on
 * the main thread), it takes the thread's batches once in step with them;
 * with abort (on the thread), it stops when told. 0 at the end of the
 * file, -1 at what parse could judge differently (*stop: the offset of
 * that event). */
static int scan_from(const v1 *c, v1scan *sc, v1_map *seen, size_t off, v1half *h,
                     const int *abort, size_t *stop)
{
    const uint8_t *b = c->buf;
    size_t len = c->len, check = V1_HALF_CHECK, at = off;
    struct v1sb *cur = NULL;
    while ((at = off) < len) {
        if (abort && --check == 0) {
            check = V1_HALF_CHECK;
            if (__atomic_load_n(abort, __ATOMIC_RELAXED))
                break;
        }
        unsigned hb = b[off++], typ = hb & 0x3f, narg = (hb >> 6) + 1u;
        uint64_t v, sl;
        int k;
        if (!c->known[typ] || typ == E_CPU_SAMPLE)
            goto fail;
        if (typ == E_STRING) {
            if ((off = skipvar(b, off, len)) == SIZE_MAX ||
                (k = tt_uvarint(b + off, len - off, &sl)) <= 0 || sl > len - off - (size_t)k)
                goto fail;
            off += (size_t)k + (size_t)sl;
            if (cur)
                cur->intern = 1;
            continue;
        }
        if (narg == 4) {
            if (typ == E_BATCH || (k = tt_uvarint(b + off, len - off, &v)) <= 0 || v > 2048 ||
                v > len - off - (size_t)k)
                goto fail;
            off += (size_t)k + (size_t)v;
            if (typ == E_LOG) {
                if ((k = tt_uvarint(b + off, len - off, &sl)) <= 0 || sl > len - off - (size_t)k)
                    goto fail;
                off += (size_t)k + (size_t)sl;
            }
            if (cur && (typ == E_LOG || typ == E_STACK))
                cur->intern = 1;
            continue;
        }
        if (typ == E_BATCH) {
            size_t boff = off - 1;
            if (h && boff >= h->mid) {
                /* in step with the thread from here? (it has ended: the
                 * first time here, wait for it) */
                unsigned spins = 0;
                while (!__atomic_load_n(&h->done, __ATOMIC_ACQUIRE))
                    wait_step(&spins);
                size_t lo = 0, hi = h->r == 0 ? h->sc.nb : 0;
                while (lo < hi) {
                    size_t m = lo + (hi - lo) / 2;
                    if (h->sc.b[m].off < boff)
                        lo = m + 1;
                    else
                        hi = m;
                }
                if (h->r != 0 || lo == h->sc.nb) {
                    h = NULL; /* never: read on alone */
                } else if (h->sc.b[lo].off == boff) {
                    for (size_t j = lo; j < h->sc.nb; j++)
                        if (!scan_add(sc, seen, h->sc.b[j].off, h->sc.pid[h->sc.b[j].p],
                                      h->sc.b[j].intern))
                            goto fail;
                    tt_v1_split = 1;
                    return 0;
                }
            }
            if (narg != 2 || (k = tt_uvarint(b + off, len - off, &v)) <= 0 ||
                (v != UINT64_MAX && v > INT32_MAX))
                goto fail;
            off += (size_t)k;
            if ((off = skipvar(b, off, len)) == SIZE_MAX)
                goto fail;
            if (!(cur = scan_add(sc, seen, boff, v == UINT64_MAX ? -1 : (int32_t)v, 0)))
                goto fail;
            continue;
        }
        if (typ == E_LOG) /* parse: UserLog without its value string */
            goto fail;
        for (unsigned i = 0; i < narg; i++) {
            if (off < len && b[off] < 0x80)
                off++;
            else if ((off = skipvar(b, off, len)) == SIZE_MAX)
                goto fail;
        }
    }
    if (off >= len)
        return 0;
fail:
    *stop = at; /* (the start of the event it failed on) */
    return -1;
}

/* The parse thread's scan of the second half (v1half): from the first
 * byte 0x41 at or after the middle, then from the next one while the
 * read fails within V1_HALF_WINDOW of the middle. */
static void scan_half(const v1 *c, v1half *h)
{
    size_t from = h->mid, lim = h->mid + V1_HALF_WINDOW, spent = 0;
    h->r = -1;
    while (from < c->len && h->tries < V1_HALF_TRIES &&
           !__atomic_load_n(&h->abort, __ATOMIC_RELAXED)) {
        const uint8_t *q = memchr(c->buf + from, 0x41, c->len - from);
        if (!q)
            break;
        from = (size_t)(q - c->buf);
        h->tries++;
        v1_map seen = {0};
        size_t stop = 0;
        h->sc.nb = h->sc.np = 0;
        int r = scan_from(c, &h->sc, &seen, from, NULL, &h->abort, &stop);
        v1_map_free(&seen);
        if (r == 0 && h->sc.nb > 0) {
            h->r = 0;
            break;
        }
        spent += stop - from;
        if (r == 0 || stop >= lim || spent > 2 * V1_HALF_WINDOW)
            break;
        from++;
    }
    __atomic_store_n(&h->done, 1, __ATOMIC_RELEASE);
}

/*
 * The file's framing without its values, for the merge to start beside
 * parse (load_front()). Any event whose framing parse could judge
 * differently, or that parse will reject (unknown type, bad varint or
 * length, odd batch), and any CPU sample (the merge needs all of them
 * sorted from the start) make it return -1: then parse runs first, alone.
 * Event boundaries are the same as parse's otherwise. With h, the parse
 * thread scans the second half meanwhile (v1half); when this returns, the
 * thread is done with it.
 */
static int skip_scan(const v1 *c, v1scan *sc, v1half *h)
{
    v1_map seen = {0};
    size_t stop = 0;
    int r = scan_from(c, sc, &seen, 16, h, NULL, &stop);
    v1_map_free(&seen);
    if (h) {
        unsigned spins = 0;
        __atomic_store_n(&h->abort, 1, __ATOMIC_RELAXED);
        while (!__atomic_load_n(&h->done, __ATOMIC_ACQUIRE))
            wait_step(&spins);
    }
    return r == 0 && sc->np > 0 ? 0 : -1;
}

/* The first batch after cur of its P (UINT32_MAX: none). While parse runs
 * beside the merge, waits until that batch is complete or parse has ended
 * (the batch list is then final; when parse failed, none: c->pabort). */
static uint32_t next_batch(v1 *c, uint32_t cur)
{
    uint32_t nx = __atomic_load_n(&c->batches[cur].next, __ATOMIC_RELAXED);
    if (!c->par)
        return nx;
    unsigned spins = 0;
    for (;;) {
        if (nx != UINT32_MAX && nx < __atomic_load_n(&c->pub_nb, __ATOMIC_ACQUIRE))
            return nx;
        int d = __atomic_load_n(&c->pdone, __ATOMIC_ACQUIRE);
        if (d) {
            if (d == 2) {
                c->pabort = 1;
                return UINT32_MAX;
            }
            return __atomic_load_n(&c->batches[cur].next, __ATOMIC_RELAXED);
        }
        par_pause(&spins);
        nx = __atomic_load_n(&c->batches[cur].next, __ATOMIC_RELAXED);
    }
}

/* ---- pass 2: merge ------------------------------------------------------------ */

#define G_UNORDERED UINT32_MAX
#define G_GARBAGE (UINT32_MAX - 1)
#define SEQ_NONE UINT64_MAX
#define SEQ_INC (UINT64_MAX - 1)

static void state_transition(const v1 *c, const v1d *e, gtrans *t)
{
    switch (e->type) {
    case E_GO_CREATE:
        *t = (gtrans){(uint32_t)A(c, e, 0), 0, 1, GS_DEAD, GS_RUNNABLE};
        return;
    case E_GO_WAITING:
    case E_GO_INSYSCALL:
        *t = (gtrans){e->g, 1, 2, GS_RUNNABLE, GS_WAITING};
        return;
    case E_GO_START:
    case E_GO_START_LABEL: {
        uint64_t s = e->type == E_GO_START && !(e->fl & FL_POOLX) ? e->x : A(c, e, 1);
        *t = (gtrans){e->g, s, s + 1, GS_RUNNABLE, GS_RUNNING};
        return;
    }
    case E_GO_START_LOCAL:
        *t = (gtrans){e->g, SEQ_NONE, SEQ_INC, GS_RUNNABLE, GS_RUNNING};
        return;
    case E_GO_BLOCK:
    case E_GO_BLOCK_SEND:
    case E_GO_BLOCK_RECV:
    case E_GO_BLOCK_SELECT:
    case E_GO_BLOCK_SYNC:
    case E_GO_BLOCK_COND:
    case E_GO_BLOCK_NET:
    case E_GO_SLEEP:
    case E_GO_SYSBLOCK:
    case E_GO_BLOCK_GC:
        *t = (gtrans){e->g, SEQ_NONE, SEQ_NONE, GS_RUNNING, GS_WAITING};
        return;
    case E_GO_SCHED:
    case E_GO_PREEMPT:
        *t = (gtrans){e->g, SEQ_NONE, SEQ_NONE, GS_RUNNING, GS_RUNNABLE};
        return;
    case E_GO_UNBLOCK: { /* layout[] or layout_packed[] of E_GO_UNBLOCK, inline */
        const uint32_t *w = &c->ext[e->x];
        uint32_t g;
        uint64_t s;
        if (e->fl & FL_PACKED) {
            g = w[0] >> PK_LO;
            s = w[1];
        } else {
            g = w[0];
            s = w[1] | (uint64_t)w[2] << 32;
        }
        *t = (gtrans){g, s, s + 1, GS_WAITING, GS_RUNNABLE};
        return;
    }
    case E_GO_SYSEXIT: {
        uint64_t s = A(c, e, 1); /* Args[0] is the G itself */
        *t = (gtrans){e->g, s, s + 1, GS_WAITING, GS_RUNNABLE};
        return;
    }
    case E_GO_UNBLOCK_LOCAL: /* Args[0] high in the packed x, or ext[x] */
        *t = (gtrans){(e->fl & FL_PACKED) ? e->x >> PK_LO : c->ext[e->x], SEQ_NONE, SEQ_INC,
                      GS_WAITING, GS_RUNNABLE};
        return;
    case E_GO_SYSEXIT_LOCAL:
        *t = (gtrans){c->ext[e->x], SEQ_NONE, SEQ_INC, GS_WAITING, GS_RUNNABLE}; /* W(0) */
        return;
    case E_GC_START: {
        uint64_t s = A(c, e, 0);
        *t = (gtrans){G_GARBAGE, s, s + 1, GS_DEAD, GS_DEAD};
        return;
    }
    default:
        t->g = G_UNORDERED;
        return;
    }
}

typedef struct mstate {
    uint64_t gc_seq;
    uint8_t gc_st;
} mstate;

static int trans_ready(const v1 *c, const mstate *ms, const gtrans *t)
{
    if (t->g == G_UNORDERED)
        return 1;
    uint64_t seq;
    uint8_t st;
    if (t->g == G_GARBAGE) {
        seq = ms->gc_seq;
        st = ms->gc_st;
    } else {
        seq = c->gs[t->g].seq;
        st = c->gs[t->g].mstate;
    }
    return (t->iseq == SEQ_NONE || t->iseq == seq) && t->ist == st;
}

static void trans_apply(v1 *c, mstate *ms, const gtrans *t)
{
    if (t->g == G_UNORDERED)
        return;
    uint64_t *seq;
    uint8_t *st;
    if (t->g == G_GARBAGE) {
        seq = &ms->gc_seq;
        st = &ms->gc_st;
    } else {
        seq = &c->gs[t->g].seq;
        st = &c->gs[t->g].mstate;
    }
    if (t->nseq == SEQ_INC)
        *seq = *seq + 1;
    else if (t->nseq != SEQ_NONE)
        *seq = t->nseq;
    *st = t->nst;
}

/* The frontier is a binary min-heap on time only, with exactly Go's sift rules
 * (container/heap style: stop on equal keys), so that events with equal
 * timestamps leave in the same order as in Go's reader. Times and (P, event)
 * pairs are in two arrays of 8-byte words, moved through a hole: every load
 * then finds one whole earlier store to forward from (a 16-byte entry, read
 * whole right after it was written in two halves, stalled the merge on
 * store-to-load forwarding: the heap was a fifth of its samples). */
static inline uint64_t heap_pi(uint32_t proc, uint32_t idx)
{
    return (uint64_t)proc << 32 | idx;
}

static void heap_push(int64_t *hts, uint64_t *hpi, size_t *n, int64_t ts, uint64_t pi)
{
    size_t j = (*n)++;
    while (j > 0) {
        size_t i = (j - 1) / 2;
        if (!(ts < hts[i]))
            break;
        hts[j] = hts[i];
        hpi[j] = hpi[i];
        j = i;
    }
    hts[j] = ts;
    hpi[j] = pi;
}

/* (Go's Pop: swap the root with the last, sift the new root down over the
 * rest, return the last) */
static v1heap_ent heap_pop(int64_t *hts, uint64_t *hpi, size_t *n)
{
    size_t m = *n - 1;
    v1heap_ent r = {hts[0], (uint32_t)(hpi[0] >> 32), (uint32_t)hpi[0]};
    int64_t xts = hts[m];
    uint64_t xpi = hpi[m];
    size_t i = 0;
    for (;;) {
        size_t j = 2 * i + 1;
        if (j >= m)
            break;
        if (j + 1 < m && hts[j + 1] < hts[j])
            j++;
        if (!(hts[j] < xts))
            break;
        hts[i] = hts[j];
        hpi[i] = hpi[j];
        i = j;
    }
    hts[i] = xts;
    hpi[i] = xpi;
    *n = m;
    return r;
}

/* The first event of the parsed array that P k's cursor has not passed
 * (its batches are in file order), SIZE_MAX when it passed them all. */
static inline size_t proc_low(const v1 *c, const v1proc *pr)
{
    if (pr->pos < pr->end && pr->pos >= c->npre) /* (ev[0..npre): never released) */
        return pr->pos;
    uint32_t b = pr->cur == UINT32_MAX
                     ? UINT32_MAX
                     : __atomic_load_n(&c->batches[pr->cur].next, __ATOMIC_RELAXED);
    if (c->par && !__atomic_load_n(&c->pdone, __ATOMIC_ACQUIRE) &&
        (b == UINT32_MAX || b >= __atomic_load_n(&c->pub_nb, __ATOMIC_ACQUIRE)))
        /* its next batch is not parsed (or not known) yet: it starts at or
         * after the parse's published events */
        return __atomic_load_n(&c->pub_nev, __ATOMIC_RELAXED);
    return b == UINT32_MAX ? SIZE_MAX : c->batches[b].start;
}

/* Head event of the batches of P k; -1 when done. */
static int64_t proc_head(v1 *c, size_t k)
{
    v1proc *pr = &c->procs[k];
    for (;;) {
        while (pr->pos < pr->end) {
            if (c->ev[pr->pos].type != E_CPU_SAMPLE)
                return pr->pos;
            pr->pos++;
        }
        if (pr->cur == UINT32_MAX)
            return -1;
        pr->cur = next_batch(c, pr->cur);
        if (pr->cur == UINT32_MAX)
            return -1;
        pr->pos = c->batches[pr->cur].start;
        pr->end = c->batches[pr->cur].end;
        pr->lt = c->batches[pr->cur].ts0;
    }
}

/* retime_step() errors */
enum { RT_OK, RT_ORDER, RT_STRAY, RT_SYSORDER };

/*
 * Retime's first part, done by the merge on each event as it is copied out
 * (e at position i of the merged array, page bases tsb, merged time ts):
 * check that merged times do not go back, record the time each goroutine
 * blocked in a syscall, and move each GoSysExit with a real exit time to it
 * (c->moved: the positions, for retime()). The first error is kept in
 * c->rterr / rterrpos and reported by retime() if the merge succeeds (as if
 * it had been found after the merge). 0, or -1 when out of memory.
 */
static int retime_step(v1 *c, int64_t *tsb, v1ev *r, size_t i, int64_t ts)
{
    if (ts < c->rtprev) {
        c->rterr = RT_ORDER;
        c->rterrpos = i;
        return 0;
    }
    c->rtprev = ts;
    if (r->type == E_GO_SYSBLOCK || r->type == E_GO_INSYSCALL) {
        c->gs[dec(c, r).g].sysblock = ts;
    } else if (r->type == E_GO_SYSEXIT) {
        v1d ed = dec(c, r), *e = &ed;
        int64_t rts = (int64_t)A(c, e, 2);
        if (rts == 0)
            return 0;
        int64_t block = c->gs[e->g].sysblock;
        if (block == 0 || rts < block) {
            c->rterr = block == 0 ? RT_STRAY : RT_SYSORDER;
            c->rterrpos = i;
            return 0;
        }
        if (ts_put(c, tsb, r, i, rts) < 0 ||
            v1_grow((void **)&c->moved, &c->capmoved, c->nmoved + 1, sizeof *c->moved) < 0)
            return -1;
        c->moved[c->nmoved++] = (uint32_t)i;
        c->rtfwd |= rts > ts;
    }
    return 0;
}

/* Head event of P k and its transition (computed once per head: a P waiting
 * for its goroutine is looked at again for every merged event); -1 when done. */
static inline int64_t proc_head_t(v1 *c, size_t k, const gtrans **t)
{
    v1proc *pr = &c->procs[k];
    if (!pr->hvalid) {
        int64_t h = proc_head(c, k);
        if (h < 0)
            return -1;
        const v1ev *r = &c->ev[h];
        v1d d = dec(c, r);
        pr->hidx = (uint32_t)h;
        state_transition(c, &d, &pr->ht);
        pr->hts = (r->fl & FL_WIDE) ? ts_wide(c, r) : (int64_t)(pr->lt + (uint64_t)(int64_t)r->dts);
        pr->hvalid = 1;
    }
    *t = &pr->ht;
    return pr->hidx;
}

/* CPU samples are wide in the parsed array. */
static int cpu_cmp(const v1 *c, uint32_t a, uint32_t b)
{
    return ts_wide(c, &c->ev[a]) < ts_wide(c, &c->ev[b]);
}

/* Stable merge sort of idx[0..n) by ev[].ts using tmp. */
static void sort_by_ts(const v1 *c, uint32_t *idx, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = 1; i < n && n <= 16; i++) {
        uint32_t x = idx[i];
        size_t j = i;
        while (j > 0 && cpu_cmp(c, x, idx[j - 1])) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    if (n <= 16)
        return;
    size_t h = n / 2;
    sort_by_ts(c, idx, tmp, h);
    sort_by_ts(c, idx + h, tmp, n - h);
    if (!cpu_cmp(c, idx[h], idx[h - 1]))
        return;
    memcpy(tmp, idx, h * sizeof *idx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (cpu_cmp(c, idx[j], tmp[i]))
            idx[k++] = idx[j++];
        else
            idx[k++] = tmp[i++];
    }
    while (i < h)
        idx[k++] = tmp[i++];
}

/* The release step (tt_v1_release_step checked and raised to the page size),
 * 0 = no release. */
static size_t release_step(void)
{
    size_t step = tt_v1_release_step;
    long ps = sysconf(_SC_PAGESIZE);
    if (!step || ps <= 0 || ((size_t)ps & ((size_t)ps - 1)) != 0 || (step & (step - 1)) != 0)
        return 0;
    return step < (size_t)ps ? (size_t)ps : step;
}

/*
 * Merge the per-P streams, copying each event as it is chosen into a new
 * array in merged order, which then replaces c->ev. The events every P
 * cursor (and the CPU-sample cursor) has passed are dead in the old array:
 * the old array's blocks up to the first event not passed yet (the lowest
 * cursor, proc_low()) are moved to the new array ahead of its cursor
 * (v1_big_move: the kernel does not zero fresh pages for them), so that the
 * two arrays together stay close to one (the batches in the file are roughly
 * in time order).
 */
/* An error of the merge: reported once the parse thread has ended, unless
 * parse failed (its error wins). */
/* The merge failed: stop check behind it (ck_spec()) and wait for the
 * thread; its status (an error of parse wins, as when parse ran first). */
static tt_status merge_join(v1 *c)
{
    __atomic_store_n(&c->ckabort, 1, __ATOMIC_RELEASE);
    return par_join(c);
}

#define MERR(...) (merge_join(c) != TT_OK ? c->pst : tt_err_set(c->err, TT_ERR_ORDER, c->len, __VA_ARGS__))
#define MNOMEM() (merge_join(c) != TT_OK ? c->pst : NOMEM(c))

static tt_status merge(v1 *c)
{
    /* With parse beside it (c->par): the Ps skip_scan() counted, no CPU
     * samples, and the parsed array's size bounds the output's. */
    size_t np = c->pnp, ncpu = 0, nevcap = c->capev;
    if (!c->par) /* (written by parse: not read while it runs) */
        np = c->nprocs, ncpu = c->ncpu, nevcap = c->nev;
    size_t cpu_pos = 0;
    v1ev *out = v1_big_alloc(nevcap * sizeof *out);
    int64_t *otsb = malloc(((nevcap >> TSP_SHIFT) + 1) * sizeof *otsb);
    uint32_t *avail = malloc((np + 1) * sizeof *avail);
    int64_t *heap = malloc((np + 1) * sizeof *heap);
    uint64_t *heappi = malloc((np + 1) * sizeof *heappi);
    uint32_t *tmp = malloc((ncpu ? ncpu : 1) * sizeof *tmp);
    size_t navail = 0, nheap = 0, nout = 0;
    mstate ms = {0, GS_DEAD};
    tt_status st = TT_OK;
    size_t relstep = release_step(), reldone = c->npre * sizeof *c->ev, omoved = 0;
    size_t relevery = relstep / sizeof(v1ev) / 2 + 1, relcnt = 0;
    if (!out || !otsb || !avail || !heap || !heappi || !tmp) {
        st = MNOMEM();
        goto out;
    }
    if (c->ckon) {
        c->ckout = out;
        c->cktsb = otsb;
        __atomic_store_n(&c->ckready, 1, __ATOMIC_RELEASE);
    }
    if (c->par) { /* every P's first batch parsed */
        unsigned spins = 0;
        while (__atomic_load_n(&c->pub_nb, __ATOMIC_ACQUIRE) < c->pallnb) {
            int d = __atomic_load_n(&c->pdone, __ATOMIC_ACQUIRE);
            if (d == 2 || (d == 1 && c->nprocs != np)) { /* (the latter cannot happen) */
                st = d == 2 ? merge_join(c)
                            : MERR("internal: %zu Ps, %zu seen before", c->nprocs, np);
                goto out;
            }
            if (d == 1)
                break;
            par_pause(&spins);
        }
    }
    sort_by_ts(c, c->cpu, tmp, ncpu);
    /* tmp[j]: the first position of the samples j.. in the parsed array */
    for (size_t j = ncpu; j-- > 0;)
        tmp[j] = j + 1 < ncpu && tmp[j + 1] < c->cpu[j] ? tmp[j + 1] : c->cpu[j];
    for (size_t k = 0; k < np; k++) {
        v1proc *pr = &c->procs[k];
        pr->done = 0;
        pr->hvalid = 0;
        pr->cur = pr->first;
        if (pr->first == UINT32_MAX) {
            pr->pos = pr->end = 0;
            pr->done = 1; /* a P only seen in CPU samples */
            continue;
        }
        pr->pos = c->batches[pr->first].start;
        pr->end = c->batches[pr->first].end;
        pr->lt = c->batches[pr->first].ts0;
        avail[navail++] = (uint32_t)k;
    }
    avail[navail++] = (uint32_t)np; /* CPU samples */
    int cpu_done = 0, waitmode = 0;
    static const gtrans unordered = {G_UNORDERED, 0, 0, 0, 0};
    uint32_t gc_waiters = UINT32_MAX;
    uint64_t step = 0;
    uint32_t lastg = G_UNORDERED; /* the goroutine of the transition applied last */
    for (;;) {
        size_t nblocked = 0;
        for (size_t i = 0; i < navail; i++) {
            size_t k = avail[i];
            int64_t h, hts = 0;
            const gtrans *t = &unordered;
            if (k == np) {
                h = cpu_pos < ncpu ? (int64_t)c->cpu[cpu_pos] : -1;
                if (h >= 0)
                    hts = ts_wide(c, &c->ev[h]);
                /* a CPU sample's transition: unordered */
            } else {
                h = proc_head_t(c, k, &t);
                hts = c->procs[k].hts;
            }
            if (h < 0) {
                if (k == np)
                    cpu_done = 1;
                else
                    c->procs[k].done = 1;
                avail[i--] = avail[--navail];
                continue;
            }
            /* Not ready at the last scan, and the transition applied since
             * (the only one) was not its goroutine's: still not ready. */
            if (k != np && c->procs[k].blocked && t->g != lastg && !waitmode) {
                nblocked++;
                continue;
            }
            if (!trans_ready(c, &ms, t)) {
                if (waitmode) { /* park until its goroutine changes */
                    uint32_t *wh = t->g == G_GARBAGE ? &gc_waiters : &c->gs[t->g].waiters;
                    avail[i--] = avail[--navail];
                    c->procs[k].wnext = *wh;
                    *wh = (uint32_t)k;
                } else {
                    nblocked++;
                    c->procs[k].blocked = k != np; /* (CPU samples are never blocked) */
                }
                continue;
            }
            if (k != np)
                c->procs[k].blocked = 0, c->procs[k].pstep = step;
            avail[i--] = avail[--navail];
            heap_push(heap, heappi, &nheap, hts, heap_pi((uint32_t)k, (uint32_t)h));
        }
        /* Go rescans every waiting P for every event. That is exact (it
         * decides the order of equal timestamps) and cheap for real traces,
         * where few Ps wait at a time; when many do (corrupt or hostile
         * input), park them on their goroutine instead. */
        if (nblocked > 64)
            waitmode = 1;
        if (nheap == 0) {
            int all = cpu_done;
            for (size_t k = 0; k < np && all; k++)
                all = c->procs[k].done;
            if (!all) {
                st = MERR("no consistent ordering of events possible (after %zu of %zu events)",
                          nout, c->nev);
                goto out;
            }
            break;
        }
        v1heap_ent f = heap_pop(heap, heappi, &nheap);
        v1ev *e = &c->ev[f.idx];
        /* f.idx is its P's head */
        const gtrans *t = f.proc == np ? &unordered : &c->procs[f.proc].ht;
        /* ready when pushed; nothing applied since if pushed in this step */
        if (f.proc != np && c->procs[f.proc].pstep != step && !trans_ready(c, &ms, t)) {
            st = MERR("impossible goroutine state transition (%s, event %zu)",
                      evdesc[e->type].name, nout);
            goto out;
        }
        trans_apply(c, &ms, t);
        lastg = t->g;
        if (waitmode && t->g != G_UNORDERED) {
            uint32_t *wp = t->g == G_GARBAGE ? &gc_waiters : &c->gs[t->g].waiters;
            while (*wp != UINT32_MAX) {
                uint32_t k = *wp;
                gtrans wt = c->procs[k].ht; /* parked on its (valid) head */
                if (trans_ready(c, &ms, &wt)) {
                    *wp = c->procs[k].wnext;
                    avail[navail++] = k;
                } else {
                    wp = &c->procs[k].wnext;
                }
            }
        }
        /* Local events become ordinary ones; FL_LOCAL keeps their layout
         * (GoSysExitLocal: Args[1] is the real time and Args[2] = 0). */
        if (nout == nevcap) { /* each event is chosen once: cannot happen */
            st = MERR("internal: merged more than %zu events", c->nev);
            goto out;
        }
        /* (the copy first: a byte stored into *e just before the whole of
         * it is loaded makes the load wait for the store) */
        v1ev *o = &out[nout];
        *o = *e;
        if (o->type == E_GO_START_LOCAL)
            o->type = E_GO_START, o->fl |= FL_LOCAL;
        else if (o->type == E_GO_UNBLOCK_LOCAL)
            o->type = E_GO_UNBLOCK, o->fl |= FL_LOCAL;
        else if (o->type == E_GO_SYSEXIT_LOCAL)
            o->type = E_GO_SYSEXIT, o->fl |= FL_LOCAL;
        if (!(nout & TSP_MASK))
            otsb[nout >> TSP_SHIFT] = f.ts;
        if (ts_put(c, otsb, &out[nout], nout, f.ts) < 0 ||
            (!c->rterr && retime_step(c, otsb, &out[nout], nout, f.ts) < 0)) {
            st = MNOMEM();
            goto out;
        }
        nout++;
        if (!(nout & 1023)) /* (for ck_spec()) */
            __atomic_store_n(&c->ckn, nout, __ATOMIC_RELEASE);
        if (c->slowparse && c->ckon) { /* (tests: check right behind each event) */
            unsigned spins = 0;
            __atomic_store_n(&c->ckn, nout, __ATOMIC_RELEASE);
            while (__atomic_load_n(&c->ckseen, __ATOMIC_ACQUIRE) < nout)
                wait_step(&spins);
        }
        if (f.proc == np)
            cpu_pos++;
        else
            c->procs[f.proc].pos++, c->procs[f.proc].hvalid = 0,
            c->procs[f.proc].lt = (uint64_t)f.ts;
        if (relstep && ++relcnt >= relevery) {
            /* nothing reads an event before the lowest cursor again (a CPU
             * sample is passed once both its P's and the samples' are) */
            relcnt = 0;
            size_t low = cpu_pos < ncpu ? tmp[cpu_pos] : SIZE_MAX;
            for (size_t k = 0; k < np; k++) {
                size_t l = proc_low(c, &c->procs[k]);
                low = l < low ? l : low;
            }
            /* (with parse beside: the events parsed so far; the output has
             * at least as many) */
            size_t nev = nevcap;
            if (c->par)
                nev = __atomic_load_n(&c->pub_nev, __ATOMIC_ACQUIRE);
            if (low > nev)
                low = nev;
            tt_v1_released += v1_big_move(c->ev, low * sizeof *c->ev, &reldone, relstep, out,
                                          nev * sizeof *out, nout * sizeof *out, &omoved);
        }
        avail[navail++] = f.proc;
        if ((++step & 0xfffff) == 0 && c->sink && c->sink->on_progress)
            c->sink->on_progress(c->sink->ctx,
                                 (uint64_t)((double)c->len * (double)nout /
                                            (2.0 * (double)nevcap)),
                                 c->len);
    }
    __atomic_store_n(&c->ckn, nout, __ATOMIC_RELEASE);
    __atomic_store_n(&c->ckfin, 1, __ATOMIC_RELEASE);
    if ((st = par_join(c)) != TT_OK || c->pabort)
        goto out;
    if (nout != c->nev) { /* CPU samples never merged, events skipped: cannot happen */
        st = MERR("internal: merged %zu of %zu events", nout, c->nev);
        goto out;
    }
out:
    free(avail);
    free(heap);
    free(heappi);
    free(tmp);
    if (st == TT_OK && c->pabort) /* (parse failed: par_join() said so above) */
        st = c->pst;
    if (st != TT_OK) {
        merge_join(c); /* (ck_spec() may be reading out) */
        v1_big_free(out, nevcap * sizeof *out);
        free(otsb);
        return st;
    }
    v1_big_free(c->ev, c->capev * sizeof *c->ev);
    c->ev = out;
    free(c->tsb);
    c->tsb = otsb;
    c->capev = nevcap;
    return TT_OK;
}

/*
 * Passes 1 and 2. For a trace big enough (want_thread()), parse runs on a
 * second thread while this one finds the framing (skip_scan()) and then
 * merges each P's batches as soon as they are parsed: the merge reads
 * only what parse has published (next_batch()), in tables that do not
 * move (fixed_tabs()). When the framing does not allow it, the merge
 * waits for the whole parse; without the thread, parse runs here first.
 */
static tt_status load_front(v1 *c)
{
    /* Every stored event takes at least 2 bytes (type, one value). */
    c->capev = (c->len - 16) / 2 + 1;
    if (c->capev > UINT32_MAX - 2)
        c->capev = UINT32_MAX - 2;
    c->ev = v1_big_alloc(c->capev * sizeof *c->ev);
    if (!c->ev)
        return NOMEM(c);
    int thr = want_thread(c) && fixed_tabs(c) == 0;
    if (gid(c, 0) == UINT32_MAX) /* dense 0 is goroutine 0 */
        return NOMEM(c);
    v1scan *sc = thr ? calloc(1, sizeof *sc) : NULL;
    v1half *half = sc ? calloc(1, sizeof *half) : NULL;
    if (half)
        half->mid = 16 + (c->len - 16) / 2;
    /* The thread starts at once, scans the second half of the framing
     * (half) and parses once told to go. */
    c->onthread = 1;
    c->half = half;
    if (sc && pthread_create(&c->th, NULL, parse_main, c) == 0) {
        c->th_live = 1;
    } else {
        free(sc);
        free(half);
        sc = NULL;
        half = c->half = NULL;
        c->onthread = 0;
    }
    int scr = sc ? skip_scan(c, sc, half) : 0;
    if (half) { /* (the thread is done with it) */
        tt_v1_split_tries = half->tries;
        c->half = NULL;
        free(half->sc.b);
        free(half);
    }
    if (sc && scr != 0) { /* parse first (on the thread), then merge */
        free(sc->b);
        free(sc);
        tt_v1_par = 2;
        __atomic_store_n(&c->go, 1, __ATOMIC_RELEASE);
        tt_status st = par_join(c);
        return st == TT_OK ? merge(c) : st;
    }
    if (sc) {
        /* The Ps in parse's order. The first batch of a P that appears
         * late (Go's global buffer, P -1, is written at the end of the
         * trace) is parsed here first, unless it interns strings (their
         * ids would change order) or is large; the merge waits for the
         * first batch of every other P. */
        uint32_t *first = malloc(sc->np * sizeof *first);
        size_t prebytes = 0, late = c->len / 64;
        tt_status st = TT_OK;
        c->pre = calloc(sc->np, sizeof *c->pre);
        int fail = !first || !c->pre;
        for (uint32_t k = 0; k < sc->np && !fail; k++) {
            fail = pidx(c, sc->pid[k]) != k;
            first[k] = UINT32_MAX;
        }
        if (fail) { /* (the thread is told to go and fails at once) */
            free(first);
            free(sc->b);
            free(sc);
            c->len = 16;
            __atomic_store_n(&c->go, 1, __ATOMIC_RELEASE);
            par_join(c);
            return NOMEM(c);
        }
        for (size_t i = 0; i < sc->nb; i++)
            if (first[sc->b[i].p] == UINT32_MAX)
                first[sc->b[i].p] = (uint32_t)i;
        size_t lastfirst = 0; /* the last first batch not parsed here */
        for (size_t i = 0; i < sc->nb; i++) {
            if (first[sc->b[i].p] != i)
                continue;
            size_t from = sc->b[i].off, to = i + 1 < sc->nb ? sc->b[i + 1].off : c->len;
            if (from > late && !sc->b[i].intern && to - from <= ((size_t)1 << 20) &&
                prebytes + (to - from) <= ((size_t)4 << 20) && st == TT_OK) {
                c->prefrom = from;
                c->preto = to;
                st = parse_run(c);
                c->pre[c->npre_r++] = (struct v1range){from, to, st};
                prebytes += to - from;
                sc->b[i].p = UINT32_MAX; /* parsed here */
            } else {
                lastfirst = i + 1;
            }
        }
        c->prefrom = c->preto = 0;
        uint32_t nbpre = (uint32_t)c->nbatches, allnb = nbpre;
        for (size_t i = 0; i < lastfirst; i++)
            allnb += sc->b[i].p != UINT32_MAX;
        free(first);
        free(sc->b);
        free(sc);
        c->npre = c->nev;
        c->pub_nev = c->nev;
        c->pub_nb = nbpre;
        if (st == TT_OK) {
            c->par = 1;
            c->ckon = 1;
            c->pnp = (uint32_t)c->nprocs;
            c->pallnb = allnb;
            tt_v1_par = 1;
        }
        __atomic_store_n(&c->go, 1, __ATOMIC_RELEASE);
        if (st != TT_OK && (st = par_join(c)) != TT_OK) /* (the error reached) */
            return st;
        return merge(c); /* (joins the thread) */
    }
    c->onthread = 0;
    tt_status st = parse_run(c);
    return st == TT_OK ? merge(c) : st;
}

/* ---- pass 3: retime ------------------------------------------------------------ */

/* GoUnblock's fake P (FK_NONE, FK_TIMER or FK_NETPOLL), set by check() in
 * the record r and its decoded fields e. */
static inline void set_fake(v1ev *r, v1d *e, unsigned fk)
{
    e->fl = (uint8_t)((e->fl & ~FL_FAKE_MASK) | (fk << FL_FAKE_SHIFT));
    r->fl = e->fl;
}

/* Fake P of the types always on one (after check()). */
static const uint8_t fakeconst[E_COUNT] = {
    [E_GO_SYSEXIT] = FK_SYSCALL, [E_GC_START] = FK_GC,
};

static inline unsigned get_fake(const v1d *e)
{
    if (e->type == E_GO_UNBLOCK)
        return (e->fl & FL_FAKE_MASK) >> FL_FAKE_SHIFT;
    return fakeconst[e->type];
}

/* Stable sort by time of ev[] where only the events at positions moved[0..k)
 * (increasing) may be out of order. 0, or -1 when out of memory. */
static int retime_sort(v1 *c, const uint32_t *moved, size_t k)
{
    v1ev *ev = c->ev;
    size_t n = c->nev;
    /* Stable sort by time. Unmoved events are still sorted: take the moved
     * ones out, sort them (stable), and merge back from the end by (time,
     * old position). Records moved to another position get their time
     * stored again (it is relative to the page). */
    v1ev *b = malloc(k * sizeof *b);
    int64_t *bts = malloc(k * sizeof *bts);
    uint32_t *ix = malloc(k * sizeof *ix), *tmp = malloc(k * sizeof *tmp);
    if (!b || !bts || !ix || !tmp) {
        free(b), free(bts), free(ix), free(tmp);
        return -1;
    }
    for (size_t j = 0; j < k; j++) {
        b[j] = ev[moved[j]];
        bts[j] = TS(c, moved[j]);
        ix[j] = (uint32_t)j;
    }
    for (size_t width = 1; width < k; width *= 2) {
        for (size_t lo = 0; lo < k; lo += 2 * width) {
            size_t mid = lo + width < k ? lo + width : k;
            size_t hi = lo + 2 * width < k ? lo + 2 * width : k;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = bts[ix[j]] < bts[ix[i]] ? ix[j++] : ix[i++];
            while (i < mid)
                tmp[o++] = ix[i++];
            while (j < hi)
                tmp[o++] = ix[j++];
        }
        memcpy(ix, tmp, k * sizeof *ix);
    }
    int nomem = 0;
    size_t w = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m < k && moved[m] == i) {
            m++;
            continue;
        }
        if (((w ^ i) >> TSP_SHIFT) == 0) { /* same page, same base */
            ev[w] = ev[i];
        } else {
            int64_t t = TS(c, i);
            ev[w] = ev[i];
            nomem |= ts_put(c, c->tsb, &ev[w], w, t);
        }
        w++;
    }
    /* A = ev[0..w); A[j] was at old position j + #{m : moved[m] - m <= j} */
    size_t cnt = k, ib = k, ia = w, out = n;
    while (ib > 0) {
        int take_b;
        int64_t tb = bts[ix[ib - 1]];
        if (ia == 0) {
            take_b = 1;
        } else {
            size_t j = ia - 1;
            while (cnt > 0 && moved[cnt - 1] - (cnt - 1) > j)
                cnt--;
            uint64_t pa = j + cnt, pb = moved[ix[ib - 1]];
            int64_t ta = TS(c, j);
            take_b = tb > ta || (tb == ta && pb > pa);
        }
        if (take_b) {
            ev[--out] = b[ix[--ib]];
            nomem |= ts_put(c, c->tsb, &ev[out], out, tb);
        } else if ((((out - 1) ^ (ia - 1)) >> TSP_SHIFT) == 0) {
            ev[--out] = ev[--ia];
        } else {
            int64_t t = TS(c, ia - 1);
            ev[--out] = ev[--ia];
            nomem |= ts_put(c, c->tsb, &ev[out], out, t);
        }
    }
    free(b);
    free(bts);
    free(ix);
    free(tmp);
    return nomem ? -1 : 0;
}

/* The same sort when every moved event only moves back (to an earlier time)
 * and not far: each is inserted into the sorted events before it, in
 * position order. Stops before an insertion that would take the events
 * passed over beyond a budget (hostile input: a syscall exit moved back
 * over much of the trace, many times); the events before the next moved one
 * are then sorted, the rest is untouched. Returns how many moved events
 * were placed; *nomem is set when out of memory. */
static size_t retime_insert(v1 *c, const uint32_t *moved, size_t k, int *nomem)
{
    v1ev *ev = c->ev;
    size_t budget = c->nev / 4 + 4096, passed = 0;
    for (size_t m = 0; m < k; m++) {
        size_t p = moved[m], q = p;
        int64_t tx = TS(c, p);
        while (q > 0 && TS(c, q - 1) > tx) /* the first place after ts <= tx */
            if (++passed > budget)
                return m;
            else
                q--;
        if (q == p)
            continue;
        v1ev x = ev[p];
        for (size_t j = p; j > q; j--) {
            if (((j ^ (j - 1)) >> TSP_SHIFT) == 0) { /* same page, same base */
                ev[j] = ev[j - 1];
            } else {
                int64_t t = TS(c, j - 1);
                ev[j] = ev[j - 1];
                *nomem |= ts_put(c, c->tsb, &ev[j], j, t);
            }
        }
        ev[q] = x;
        *nomem |= ts_put(c, c->tsb, &ev[q], q, tx);
    }
    return k;
}

/* On the events in merged order: report the first error retime_step() found
 * while merging (merged times going back, syscall exits before their block),
 * and re-sort the GoSysExit events moved to their real exit time (stable).
 * check() and convert() read the times in ns. */
static tt_status retime(v1 *c)
{
    size_t k = c->nmoved;
    uint32_t *moved = c->moved;
    if (c->rterr) { /* found by retime_step() while merging */
        size_t i = c->rterrpos;
        const v1d ed = dec(c, &c->ev[i]), *e = &ed;
        if (c->rterr == RT_ORDER)
            return tt_err_set(c->err, TT_ERR_ORDER, c->len,
                              "time stamps out of order (%s after %s, event %zu)",
                              evdesc[e->type].name, evdesc[c->ev[i - 1].type].name, i);
        if (c->rterr == RT_STRAY)
            return tt_err_set(c->err, TT_ERR_ORDER, c->len,
                              "stray syscall exit of goroutine %llu",
                              (unsigned long long)c->gs[e->g].id);
        return tt_err_set(c->err, TT_ERR_ORDER, c->len,
                          "time stamps out of order (syscall exit of goroutine %llu)",
                          (unsigned long long)c->gs[e->g].id);
    }
    if (k) {
        /* Stable sort by time. Usually the exits moved back a little: insert
         * them; else (or past the budget) the general way. */
        int nomem = 0;
        size_t m = c->rtfwd || c->widesort ? 0 : retime_insert(c, moved, k, &nomem);
        if (!nomem && m < k)
            nomem = retime_sort(c, moved + m, k - m);
        if (nomem)
            return NOMEM(c);
    }
    return TT_OK;
}

/* ---- pass 4: check ------------------------------------------------------------- */

/* Time of event i in ns (the record keeps ticks; set up by check()). */
static inline int64_t NS(const v1 *c, size_t i)
{
    return go_f2i((double)(int64_t)((uint64_t)TS(c, i) - (uint64_t)c->tsmin) * c->tsf);
}

static inline int64_t ev_pid(const v1 *c, const v1d *e)
{
    unsigned fk = get_fake(e);
    return fk ? FAKE_P + (int64_t)fk : (int64_t)c->procs[e->p].id;
}

static inline unsigned long long graw(const v1 *c, uint32_t g)
{
    return (unsigned long long)c->gs[g].id;
}

/* The time of event i of ev (page bases tsb) in ns, as NS() once check()
 * is done; k->tsmin is the first event's time in the final order. */
static inline long long ck_ns(const v1 *c, const v1ck *k, const v1ev *ev, const int64_t *tsb,
                              size_t i)
{
    return (long long)go_f2i((double)(int64_t)((uint64_t)ts_of(c, tsb, &ev[i], i) -
                                               (uint64_t)k->tsmin) *
                             k->tsf);
}

/* The time of event i in ns, for check()'s messages (computed only then). */
#define TS_NS ck_ns(c, k, ev, tsb, i)

static __attribute__((noinline, cold)) tt_status check_running_err(
    const v1 *c, const v1ck *k, const v1ev *ev, const int64_t *tsb, const v1d *e, size_t i,
    int allow_g0)
{
    const char *name = evdesc[e->type].name;
    if (k->g[e->g].state != GS_RUNNING)
        return tt_err_set(k->err, TT_ERR_ORDER, c->len, "g %llu is not running while %s (time %lld)",
                          graw(c, e->g), name, TS_NS);
    if (k->p[e->p].rung != e->g)
        return tt_err_set(k->err, TT_ERR_ORDER, c->len,
                          "p %lld is not running g %llu while %s (time %lld)",
                          (long long)ev_pid(c, e), graw(c, e->g), name, TS_NS);
    if (!allow_g0 && e->g == 0)
        return tt_err_set(k->err, TT_ERR_ORDER, c->len, "g 0 did %s (time %lld)", name,
                          TS_NS);
    return TT_OK;
}

/* e's goroutine is running on e's P (and is not g 0 unless allow_g0). */
static inline tt_status check_running(const v1 *c, const v1ck *k, const v1ev *ev,
                                      const int64_t *tsb, const v1d *e, size_t i, int allow_g0)
{
    if (k->g[e->g].state == GS_RUNNING && k->p[e->p].rung == e->g && (allow_g0 || e->g))
        return TT_OK;
    return check_running_err(c, k, ev, tsb, e, i, allow_g0);
}

#define CHK(x)                      \
    do {                            \
        tt_status s_ = (x);         \
        if (s_ != TT_OK)            \
            return s_;              \
    } while (0)

#define BAD(...) return tt_err_set(k->err, TT_ERR_ORDER, c->len, __VA_ARGS__)

/* check()'s state: per goroutine and per P (apart from the merge's, which
 * a second thread may be changing while it runs: ck_spec()). */
static int ck_init(const v1 *c, v1ck *k, tt_err *err)
{
    memset(k, 0, sizeof *k);
    k->err = err;
    k->g = calloc(c->ngs ? c->ngs : 1, sizeof *k->g);
    k->p = calloc(c->nprocs ? c->nprocs : 1, sizeof *k->p);
    if (!k->g || !k->p)
        return -1;
    for (size_t i = 0; i < c->ngs; i++) {
        k->g[i].region = UINT32_MAX;
        k->g[i].timer = c->gs[i].timer;
    }
    for (size_t i = 0; i < c->nprocs; i++)
        k->p[i].id = c->procs[i].id;
    if (c->ngs) {
        k->g[0].state = GS_RUNNING;
        k->g[0].exists = 1;
    }
    k->tsf = 1e9 / (double)c->freq;
    return 0;
}

static void ck_free(v1ck *k)
{
    free(k->g);
    free(k->p);
    free(k->bts);
    k->g = NULL;
    k->p = NULL;
    k->bts = NULL;
}

/* Check event i of ev (page bases tsb; with ck_spec(), the merged array
 * before retime(), i its position there; ed: dec() of it) against the
 * state before it. */
static inline __attribute__((always_inline)) tt_status ck_event(v1 *c, v1ck *k, v1ev *ev,
                                                               const int64_t *tsb, size_t i,
                                                               v1d ed)
{
    v1ev *rec = &ev[i];
    v1d *e = &ed;
    /* timer events to their fake P (GoSysExit and GCStart: always on
     * theirs, get_fake()) */
    if (e->type == E_GO_UNBLOCK && k->g[e->g].timer)
        set_fake(rec, e, FK_TIMER);
    v1ckg *g = &k->g[e->g];
    v1ckp *p = &k->p[e->p];
    /* for convert: a GoSysCall whose goroutine's next event is its
     * GoSysBlock blocked in the syscall */
    if (g->lastsc && e->type == E_GO_SYSBLOCK)
        ev[g->lastsc - 1].fl |= FL_BLOCKED;
    g->lastsc = e->type == E_GO_SYSCALL ? (uint32_t)i + 1 : 0;
    switch (e->type) {
    case E_PROC_START:
        if (p->running)
            BAD("p %d is running before start (time %lld)", p->id, TS_NS);
        p->running = 1;
        break;
    case E_PROC_STOP:
        if (!p->running)
            BAD("p %d is not running before stop (time %lld)", p->id, TS_NS);
        if (p->rung != 0)
            BAD("p %d is running a goroutine %llu during stop (time %lld)", p->id,
                graw(c, p->rung), TS_NS);
        p->running = 0;
        break;
    case E_GC_START:
        if (k->in_gc)
            BAD("previous GC is not ended before a new one (time %lld)", TS_NS);
        k->in_gc = 1;
        break;
    case E_GC_DONE:
        if (!k->in_gc)
            BAD("bogus GC end (time %lld)", TS_NS);
        k->in_gc = 0;
        break;
    case E_STW_START:
        if (k->in_stw)
            BAD("previous STW is not ended before a new one (time %lld)", TS_NS);
        k->in_stw = 1;
        break;
    case E_STW_DONE:
        if (!k->in_stw)
            BAD("bogus STW end (time %lld)", TS_NS);
        k->in_stw = 0;
        break;
    case E_SWEEP_START:
        if (p->sweep)
            BAD("previous sweeping is not ended before a new one (time %lld)", TS_NS);
        p->sweep = 1;
        break;
    case E_SWEEP_DONE:
        if (!p->sweep)
            BAD("bogus sweeping end (time %lld)", TS_NS);
        p->sweep = 0;
        break;
    case E_MARK_ASSIST_START:
        if (g->assist)
            BAD("previous mark assist is not ended before a new one (time %lld)", TS_NS);
        g->assist = 1;
        g->exists = 1;
        break;
    case E_MARK_ASSIST_DONE:
        g->assist = 0;
        g->exists = 1;
        break;
    case E_GO_WAITING:
    case E_GO_INSYSCALL:
        if (g->state != GS_RUNNABLE)
            BAD("g %llu is not runnable before %s (time %lld)", graw(c, e->g),
                e->type == E_GO_WAITING ? "EvGoWaiting" : "EvGoInSyscall", TS_NS);
        g->state = GS_WAITING;
        g->lastev = e->type;
        break;
    case E_GO_CREATE: {
        CHK(check_running(c, k, ev, tsb, e, i, 1));
        v1ckg *ng = &k->g[(uint32_t)A(c, e, 0)];
        if (ng->exists)
            BAD("g %llu already exists (time %lld)", graw(c, (uint32_t)A(c, e, 0)), TS_NS);
        ng->exists = 1;
        ng->state = GS_RUNNABLE;
        ng->lastev = e->type;
        ng->assist = 0;
        break;
    }
    case E_GO_START:
    case E_GO_START_LABEL:
        if (g->state != GS_RUNNABLE)
            BAD("g %llu is not runnable before start (time %lld)", graw(c, e->g), TS_NS);
        if (p->rung != 0)
            BAD("p %d is already running g %llu while start g %llu (time %lld)", p->id,
                graw(c, p->rung), graw(c, e->g), TS_NS);
        g->state = GS_RUNNING;
        p->rung = e->g;
        g->lastev = 0;
        break;
    case E_GO_END:
    case E_GO_STOP:
        CHK(check_running(c, k, ev, tsb, e, i, 0));
        g->state = GS_DEAD;
        p->rung = 0;
        if (e->type == E_GO_END) {
            while (g->region != UINT32_MAX) {
                uint32_t r = g->region;
                g->region = c->regions[r].prev;
                c->regions[r].prev = c->freeregion;
                c->freeregion = r;
            }
        }
        break;
    case E_GO_SCHED:
    case E_GO_PREEMPT:
        CHK(check_running(c, k, ev, tsb, e, i, 0));
        g->state = GS_RUNNABLE;
        p->rung = 0;
        g->lastev = e->type;
        break;
    case E_GO_UNBLOCK: {
        if (g->state != GS_RUNNING)
            BAD("g %llu is not running while unpark (time %lld)", graw(c, e->g), TS_NS);
        if (get_fake(e) != FK_TIMER && p->rung != e->g)
            BAD("p %d is not running g %llu while unpark (time %lld)", p->id, graw(c, e->g),
                TS_NS);
        v1ckg *ug = &k->g[unblock_g(c, e)];
        if (ug->state != GS_WAITING)
            BAD("g %llu is not waiting before unpark (time %lld)", graw(c, unblock_g(c, e)), TS_NS);
        if (ug->lastev == E_GO_BLOCK_NET)
            set_fake(rec, e, FK_NETPOLL);
        ug->state = GS_RUNNABLE;
        ug->lastev = e->type;
        break;
    }
    case E_GO_SYSCALL:
        CHK(check_running(c, k, ev, tsb, e, i, 0));
        g->lastev = e->type;
        break;
    case E_GO_SYSBLOCK:
        CHK(check_running(c, k, ev, tsb, e, i, 0));
        g->state = GS_WAITING;
        p->rung = 0;
        break;
    case E_GO_SYSEXIT:
        if (g->state != GS_WAITING)
            BAD("g %llu is not waiting during syscall exit (time %lld)", graw(c, e->g), TS_NS);
        g->state = GS_RUNNABLE;
        g->lastev = e->type;
        break;
    case E_GO_SLEEP:
    case E_GO_BLOCK:
    case E_GO_BLOCK_SEND:
    case E_GO_BLOCK_RECV:
    case E_GO_BLOCK_SELECT:
    case E_GO_BLOCK_SYNC:
    case E_GO_BLOCK_COND:
    case E_GO_BLOCK_NET:
    case E_GO_BLOCK_GC:
        CHK(check_running(c, k, ev, tsb, e, i, 0));
        g->state = GS_WAITING;
        g->lastev = e->type;
        p->rung = 0;
        break;
    case E_TASK_CREATE:
    case E_TASK_END: {
        uint64_t id = A(c, e, 0);
        uint32_t ti;
        if (!v1_idx_get(&c->taskmap, id, &ti)) {
            if (v1_grow((void **)&c->tasks, &c->captasks, c->ntasks + 1, sizeof *c->tasks) <
                    0 ||
                v1_idx_put(&c->taskmap, id, (uint32_t)c->ntasks) < 0)
                return tt_err_set(k->err, TT_ERR_NOMEM, 0, "out of memory reading old trace");
            ti = (uint32_t)c->ntasks++;
            memset(&c->tasks[ti], 0, sizeof c->tasks[ti]);
        }
        if (e->type == E_TASK_CREATE) {
            if (c->tasks[ti].checklive)
                BAD("task id conflicts (id:%llu) (time %lld)", (unsigned long long)id, TS_NS);
            c->tasks[ti].checklive = 1;
        } else {
            c->tasks[ti].checklive = 0;
        }
        break;
    }
    case E_REGION: {
        uint64_t task, mode;
        uint32_t name;
        region_vals(c, e, &task, &mode, &name);
        if (mode == 0) {
            uint32_t r = c->freeregion;
            if (r != UINT32_MAX) {
                c->freeregion = c->regions[r].prev;
            } else {
                if (c->nregions >= UINT32_MAX - 1 ||
                    v1_grow((void **)&c->regions, &c->capregions, c->nregions + 1,
                            sizeof *c->regions) < 0)
                    return tt_err_set(k->err, TT_ERR_NOMEM, 0, "out of memory reading old trace");
                r = (uint32_t)c->nregions++;
            }
            c->regions[r].task = task;
            c->regions[r].name = name;
            c->regions[r].prev = g->region;
            g->region = r;
        } else if (mode == 1) {
            uint32_t r = g->region;
            if (r != UINT32_MAX) {
                if (c->regions[r].task != task || c->regions[r].name != name)
                    BAD("misuse of region in goroutine %llu: region end does not match the "
                        "innermost active region (time %lld)",
                        graw(c, e->g), TS_NS);
                g->region = c->regions[r].prev;
                c->regions[r].prev = c->freeregion;
                c->freeregion = r;
            }
        } else {
            BAD("invalid user region mode %llu (time %lld)", (unsigned long long)mode, TS_NS);
        }
        break;
    }
    case E_FUTILE_WAKEUP:
        BAD("unexpected event type FutileWakeup (time %lld)", TS_NS);
    default:
        break;
    }
    /* An unknown stack id is not zeroed here: convert() reads every
     * stack id through stack_of(), which maps it to no stack. */
    return TT_OK;
}

/* Pass 4 on this thread, over the final order. */
static tt_status check(v1 *c)
{
    v1ck k;
    if (ck_init(c, &k, c->err) < 0) {
        ck_free(&k);
        return NOMEM(c);
    }
    k.tsmin = c->nev ? TS(c, 0) : 0;
    c->tsmin = k.tsmin;
    c->tsf = k.tsf;
    tt_status st = TT_OK;
    for (size_t i = 0; i < c->nev && st == TT_OK; i++)
        st = ck_event(c, &k, c->ev, c->tsb, i, dec(c, &c->ev[i]));
    ck_free(&k);
    return st;
}

/*
 * Pass 4 on the parse thread, once its parse is done, behind the merge
 * (c->ckon). The final order is the merged one with the moved syscall
 * exits (ck_moved(): those with a real time) put back in a stable sort by
 * time (retime()); the merge's times never go back. A moved exit changes
 * only its own goroutine's check state (state, lastev, lastsc), so it
 * commutes with every event that does not involve that goroutine (as its
 * G, the G it creates or the G it unblocks). This pass reads the merged
 * events in order, one cursor (s) ahead to see the blocking syscalls and
 * the moved exits, and checks (j):
 *  - the other events in merged order; one that involves a goroutine whose
 *    blocking syscall is still open (its exit not merged yet) with a time
 *    after the block's waits for that exit (its time, at least the
 *    block's, is not known yet). Real traces have no such event;
 *  - a moved exit once it is ahead of the next event in (time, merged
 *    position) order, or at the end.
 * So each goroutine's events are checked in their final order and the
 * rest keeps the merged order, as if check() ran after retime(). The flags
 * it sets (FL_BLOCKED, the fake Ps) go into the merged records, which
 * retime() moves whole. A moved exit whose goroutine had no open block,
 * one before its block (retime() reports that), or, once an error was
 * found, one that arrives before it (it would have been checked first)
 * make the result be dropped: check() then runs again after retime()
 * (CK_FAIL). An error is kept while the rest of the merge arrives (CK_ERR).
 */
enum { CK_NONE, CK_OK, CK_ERR, CK_FAIL };

#define CKH_MAX ((size_t)1 << 20) /* moved exits waiting */
#define CK_CHUNK ((size_t)1 << 14) /* events scanned ahead at a time */
#define CK_SYSMASK \
    ((1ull << E_GO_SYSBLOCK) | (1ull << E_GO_INSYSCALL) | (1ull << E_GO_SYSEXIT))

static inline int ck_moved(const v1 *c, const v1d *e)
{
    return e->type == E_GO_SYSEXIT && A(c, e, 2) != 0;
}

static inline int key_lt(int64_t at, size_t ap, int64_t bt, size_t bp)
{
    return at < bt || (at == bt && ap < bp);
}

typedef struct ckheap {
    int64_t *t;
    uint32_t *p;
    size_t n, cap;
} ckheap;

static int ckh_push(ckheap *h, int64_t t, uint32_t p)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? 2 * h->cap : 256;
        if (nc > CKH_MAX)
            return -1;
        int64_t *nt = realloc(h->t, nc * sizeof *nt);
        if (!nt)
            return -1;
        h->t = nt;
        uint32_t *np = realloc(h->p, nc * sizeof *np);
        if (!np)
            return -1;
        h->p = np;
        h->cap = nc;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!key_lt(t, p, h->t[up], h->p[up]))
            break;
        h->t[i] = h->t[up];
        h->p[i] = h->p[up];
        i = up;
    }
    h->t[i] = t;
    h->p[i] = p;
    return 0;
}

static void ckh_pop(ckheap *h)
{
    int64_t t = h->t[--h->n];
    uint32_t p = h->p[h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        int64_t mt = t;
        uint32_t mp = p;
        if (l < h->n && key_lt(h->t[l], h->p[l], mt, mp))
            m = l, mt = h->t[l], mp = h->p[l];
        if (l + 1 < h->n && key_lt(h->t[l + 1], h->p[l + 1], mt, mp))
            m = l + 1;
        if (m == i)
            break;
        h->t[i] = h->t[m];
        h->p[i] = h->p[m];
        i = m;
    }
    if (h->n) {
        h->t[i] = t;
        h->p[i] = p;
    }
}

/* Whether goroutine x has an open blocking syscall older than time t. */
static inline int ck_held(const v1ck *k, uint32_t x, int64_t t)
{
    return k->g[x].open && k->bts[x] < t;
}

static void ck_spec(v1 *c)
{
    unsigned spins = 0;
    int res = CK_FAIL;
    while (!__atomic_load_n(&c->ckready, __ATOMIC_ACQUIRE)) {
        if (__atomic_load_n(&c->ckabort, __ATOMIC_ACQUIRE)) {
            c->ckres = CK_FAIL;
            __atomic_store_n(&c->ckseen, SIZE_MAX, __ATOMIC_RELEASE);
            return;
        }
        wait_step(&spins);
    }
    v1ev *ev = c->ckout;
    const int64_t *tsb = c->cktsb;
    v1ck k;
    ckheap h = {0};
    /* positions of the moved exits scanned and not yet passed by j
     * (mv[mh..mn), increasing; the heap has their times) */
    uint32_t *mv = NULL;
    size_t mh = 0, mn = 0, capmv = 0;
    int any = 0, errd = 0;
    size_t s = 0, j = 0, lpos = 0; /* lpos: the last event checked */
    size_t nopen = 0;              /* goroutines in k.g[].open */
    if (ck_init(c, &k, &c->ckerr) < 0 ||
        !(k.bts = malloc((c->ngs ? c->ngs : 1) * sizeof *k.bts)))
        goto done;
    for (;;) {
        if (__atomic_load_n(&c->ckabort, __ATOMIC_ACQUIRE))
            goto done;
        int fin = __atomic_load_n(&c->ckfin, __ATOMIC_ACQUIRE);
        size_t n = __atomic_load_n(&c->ckn, __ATOMIC_ACQUIRE), s0 = s;
        int did = 0;
        /* a chunk at a time, so that the records are still in the cache
         * when checked (j stays behind while held) */
        do {
            size_t lim = n - s > CK_CHUNK ? s + CK_CHUNK : n;
            for (; s < lim; s++) {
                unsigned ty = ev[s].type;
                if (!((CK_SYSMASK >> ty) & 1))
                    continue;
                v1d d = dec(c, &ev[s]);
                if (ty != E_GO_SYSEXIT) {
                    nopen += !k.g[d.g].open;
                    k.g[d.g].open = 1;
                    k.bts[d.g] = ts_of(c, tsb, &ev[s], s);
                    continue;
                }
                if (ck_moved(c, &d)) {
                    int64_t t = ts_of(c, tsb, &ev[s], s);
                    /* behind the last one checked: fine only when its
                     * goroutine's events were held since its block */
                    if (any && key_lt(t, s, ts_of(c, tsb, &ev[lpos], lpos), lpos) &&
                        (errd || !k.g[d.g].open || t < k.bts[d.g]))
                        goto done;
                    if (ckh_push(&h, t, (uint32_t)s) < 0)
                        goto done;
                    if (mh == mn)
                        mh = mn = 0;
                    if (mn == capmv) {
                        if (mh) { /* (the heap bounds mn - mh) */
                            memmove(mv, mv + mh, (mn - mh) * sizeof *mv);
                            mn -= mh;
                            mh = 0;
                        }
                        if (mn == capmv &&
                            v1_grow((void **)&mv, &capmv, mn + 1, sizeof *mv) < 0)
                            goto done;
                    }
                    mv[mn++] = (uint32_t)s;
                }
                nopen -= k.g[d.g].open;
                k.g[d.g].open = 0;
            }
            if (errd)
                continue;
            for (;;) {
                while (j < s && mh < mn && mv[mh] == j)
                    j++, mh++;
                size_t pos;
                if (!h.n && !nopen && j < s) { /* (the usual case) */
                    pos = j++;
                } else if (j < s) {
                    v1d d = dec(c, &ev[j]);
                    int64_t ut = ts_of(c, tsb, &ev[j], j);
                    int held = nopen && (ck_held(&k, d.g, ut) ||
                                         (d.type == E_GO_CREATE &&
                                          ck_held(&k, (uint32_t)A(c, &d, 0), ut)) ||
                                         (d.type == E_GO_UNBLOCK &&
                                          ck_held(&k, unblock_g(c, &d), ut)));
                    if (h.n && key_lt(h.t[0], h.p[0], ut, j)) {
                        pos = h.p[0];
                        ckh_pop(&h);
                    } else if (!held) {
                        pos = j++;
                    } else {
                        c->ckheld++;
                        break;
                    }
                } else if (h.n && fin && s == n) {
                    pos = h.p[0];
                    ckh_pop(&h);
                } else {
                    break;
                }
                any = 1;
                lpos = pos;
                did = 1;
                if (!k.tsmin_set) {
                    k.tsmin = ts_of(c, tsb, &ev[0], 0);
                    k.tsmin_set = 1;
                }
                /* (decoded again: a v1d kept from above goes through the
                 * stack, stored in parts and loaded whole) */
                tt_status st = ck_event(c, &k, ev, tsb, pos, dec(c, &ev[pos]));
                if (st == TT_ERR_NOMEM)
                    goto done;
                if (st != TT_OK) {
                    errd = 1;
                    break;
                }
            }
        } while (s < n);
        if (errd) {
            if (fin) {
                res = CK_ERR;
                goto done;
            }
            __atomic_store_n(&c->ckseen, n, __ATOMIC_RELEASE);
            wait_step(&spins);
            continue;
        }
        if (fin) {
            if (j < s || h.n) /* (held at the end: cannot be) */
                goto done;
            res = CK_OK;
            goto done;
        }
        __atomic_store_n(&c->ckseen, n, __ATOMIC_RELEASE);
        if (did || s != s0)
            spins = 0;
        else
            wait_step(&spins);
    }
done:
    ck_free(&k);
    free(h.t);
    free(h.p);
    free(mv);
    c->ckres = res;
    __atomic_store_n(&c->ckseen, SIZE_MAX, __ATOMIC_RELEASE);
}

/* Undo what ck_spec() left when its result is dropped: the flags it set in
 * the records, the tasks and regions it made. */
static void ck_reset(v1 *c)
{
    for (size_t i = 0; i < c->nev; i++) {
        v1ev *r = &c->ev[i];
        if (r->type == E_GO_UNBLOCK)
            r->fl &= (uint8_t)~FL_FAKE_MASK;
        else if (r->type == E_GO_SYSCALL)
            r->fl &= (uint8_t)~FL_BLOCKED;
    }
    v1_idx_free(&c->taskmap);
    memset(&c->taskmap, 0, sizeof c->taskmap);
    free(c->tasks);
    c->tasks = NULL;
    c->ntasks = c->captasks = 0;
    c->nregions = 0;
    c->freeregion = UINT32_MAX;
}

/* Pass 4: what ck_spec() found, else check() (after retime()). */
static tt_status check_done(v1 *c)
{
    switch (c->ckres) {
    case CK_OK:
        c->tsmin = c->nev ? TS(c, 0) : 0;
        c->tsf = 1e9 / (double)c->freq;
        return TT_OK;
    case CK_ERR:
        if (c->err)
            *c->err = c->ckerr;
        return c->ckerr.code;
    case CK_FAIL:
        ck_reset(c);
        break;
    }
    return check(c);
}

/* ---- pass 5: convert ------------------------------------------------------------ */

enum {
    R_FOREVER, R_PREEMPTED, R_GOSCHED, R_SLEEP, R_CHAN_SEND, R_CHAN_RECV, R_NETWORK, R_SYNC,
    R_SYNC_COND, R_SELECT, R_EMPTY, R_ASSIST_WAIT
};

static const char *const reason_str[12] = {
    "forever", "preempted", "runtime.Gosched", "sleep", "chan send", "chan receive",
    "network", "sync", "sync.(*Cond).Wait", "select", "", "GC mark assist wait for work",
};

static const char *const stw_str[17] = {
    "", "GC mark termination", "GC sweep termination", "write heap dump",
    "goroutine profile", "goroutine profile cleanup", "all goroutine stack trace",
    "read mem stats", "AllThreadsSyscall", "GOMAXPROCS", "start trace", "stop trace",
    "CountPagesInUse (test)", "ReadMetricsSlow (test)", "ReadMemStatsSlow (test)",
    "PageCachePagesLeaked (test)", "ResetDebugLog (test)",
};

static uint32_t intern_cstr(v1 *c, const char *s, int *fail)
{
    uint32_t id = tt_syms_intern(c->syms, s, strlen(s));
    if (id == UINT32_MAX)
        *fail = 1;
    return id;
}

static int init_strings(v1 *c)
{
    int fail = 0;
    char buf[96];
    for (int i = 0; i < 12; i++)
        c->s_reason[i] = intern_cstr(c, reason_str[i], &fail);
    for (int i = 0; i < 17; i++) {
        c->s_stw[i] = intern_cstr(c, stw_str[i], &fail);
        snprintf(buf, sizeof buf, "stop-the-world (%s)", stw_str[i]);
        c->s_stw_range[i] = intern_cstr(c, buf, &fail);
    }
    c->s_gc = intern_cstr(c, "GC concurrent mark phase", &fail);
    c->s_sweep = intern_cstr(c, "GC incremental sweep", &fail);
    c->s_assist = intern_cstr(c, "GC mark assist", &fail);
    c->s_gomaxprocs = intern_cstr(c, "/sched/gomaxprocs:threads", &fail);
    c->s_heapalloc = intern_cstr(c, "/memory/classes/heap/objects:bytes", &fail);
    c->s_heapgoal = intern_cstr(c, "/gc/heap/goal:bytes", &fail);
    return fail ? -1 : 0;
}

static inline uint32_t str_of(const v1 *c, uint32_t slot)
{
    return slot < c->nslots ? c->slots[slot] : 0;
}

/* Interned stack for an old stack id; 0 for none/unknown; UINT32_MAX on OOM. */
static uint32_t stack_of_new(v1 *c, uint64_t id);

static inline uint32_t stack_of(v1 *c, uint64_t id)
{
    if (id != 0 && id < c->stkmap.ndir) {
        uint32_t si = c->stkmap.dir[id];
        if (si != UINT32_MAX && c->stacks[si].sym) /* interned already */
            return c->stacks[si].sym;
    }
    return stack_of_new(c, id);
}

static uint32_t stack_of_new(v1 *c, uint64_t id)
{
    uint32_t si;
    if (id == 0 || id > UINT32_MAX || !v1_idx_get(&c->stkmap, id, &si))
        return 0;
    v1stack *s = &c->stacks[si];
    if (s->sym)
        return s->sym;
    if (v1_grow((void **)&c->tmpframes, &c->captmpframes, s->n, sizeof *c->tmpframes) < 0)
        return UINT32_MAX;
    for (uint32_t i = 0; i < s->n; i++) {
        uint64_t pc = c->pcs[s->off + i];
        uint32_t fi = 0;
        tt_frame *f = &c->tmpframes[i];
        f->pc = pc;
        if (v1_map_get(&c->pcmap, pc, &fi)) {
            f->line = c->frames[fi].line;
            f->func = str_of(c, c->frames[fi].fn);
            f->file = str_of(c, c->frames[fi].file);
        } else {
            f->line = 0;
            f->func = f->file = 0;
        }
    }
    s->sym = tt_syms_stack(c->syms, c->tmpframes, s->n);
    return s->sym;
}

static inline __attribute__((always_inline)) tt_status deliver(v1 *c, tt_event *o)
{
    if (o->stack)
        o->flags |= TT_EVF_HAS_STACK;
    if (o->tstack)
        o->flags |= TT_EVF_HAS_TSTACK;
    if (o->kind != TT_EV_SYNC) {
        if (o->time <= c->last_ts)
            o->time = c->last_ts + 1;
        c->last_ts = o->time;
    }
    c->delivered++;
    if (c->sink && c->sink->on_event && c->sink->on_event(c->sink->ctx, o))
        return tt_err_set(c->err, TT_ERR_STOPPED, 0, "stopped by the caller");
    return TT_OK;
}

static void transition(tt_event *o, uint8_t wtype, uint8_t res, int64_t id, uint8_t from,
                       uint8_t to)
{
    o->kind = TT_EV_STATE_TRANSITION;
    o->type = wtype;
    o->res = res;
    o->id = id;
    o->from = from;
    o->to = to;
}

static uint32_t reason_for(const v1 *c, unsigned typ)
{
    switch (typ) {
    case E_GO_STOP: return c->s_reason[R_FOREVER];
    case E_GO_SCHED: return c->s_reason[R_GOSCHED];
    case E_GO_PREEMPT: return c->s_reason[R_PREEMPTED];
    case E_GO_SLEEP: return c->s_reason[R_SLEEP];
    case E_GO_BLOCK: return c->s_reason[R_EMPTY];
    case E_GO_BLOCK_SEND: return c->s_reason[R_CHAN_SEND];
    case E_GO_BLOCK_RECV: return c->s_reason[R_CHAN_RECV];
    case E_GO_BLOCK_SELECT: return c->s_reason[R_SELECT];
    case E_GO_BLOCK_SYNC: return c->s_reason[R_SYNC];
    case E_GO_BLOCK_COND: return c->s_reason[R_SYNC_COND];
    case E_GO_BLOCK_NET: return c->s_reason[R_NETWORK];
    case E_GO_BLOCK_GC: return c->s_reason[R_ASSIST_WAIT];
    default: return 0;
    }
}

static unsigned stw_kind(const v1 *c, uint64_t k)
{
    if (c->ver < 21)
        return k <= 1 ? (unsigned)k + 1 : 0;
    return k < 17 ? (unsigned)k : 0;
}

#define STK(x)                              \
    do {                                    \
        uint32_t s_ = (x);                  \
        if (s_ == UINT32_MAX)               \
            return NOMEM(c);                \
        o.stack = s_;                       \
    } while (0)

static const tt_event zero_ev;

static tt_status convert(v1 *c)
{
    size_t n = c->nev;
    int preinit = 1;
    unsigned last_stw = 0;
    tt_event o;

    /* Convert needs only each goroutine's id and its pre-init mark: the
     * goroutine table (48 bytes each) is replaced by those two. */
    c->gid = malloc((c->ngs ? c->ngs : 1) * sizeof *c->gid);
    c->gpre = calloc(c->ngs ? c->ngs : 1, 1);
    if (!c->gid || !c->gpre)
        return NOMEM(c);
    for (size_t i = 0; i < c->ngs; i++)
        c->gid[i] = c->gs[i].id;
    if (c->fixedtabs)
        v1_big_free(c->gs, c->capgs * sizeof *c->gs);
    else
        free(c->gs);
    c->gs = NULL;
    for (size_t i = 0; i < c->ntasks; i++)
        c->tasks[i].live = 0;

    c->last_ts = -1;
    if (n) {
        o = zero_ev;
        o.kind = TT_EV_SYNC;
        o.type = W_SYNC;
        o.time = NS(c, 0) - 1;
        o.m = o.p = o.g = TT_NO_ID;
        o.arg[0] = 1;
        CHK(deliver(c, &o));
    }
    /* Nothing reads an event before the cursor from here on (the backward
     * pass and the first Sync are done, the last Sync uses last_ts): give the
     * array behind it back, a step at a time, so that the sink's store can
     * grow into that memory instead of on top of it. */
    size_t relstep = release_step(), reldone = 0;
    uintptr_t relbase = (uintptr_t)c->ev, relnext = 0;
    size_t reli = SIZE_MAX; /* the first event reaching past relnext */
    if (relstep) {
        relnext = (relbase & ~(uintptr_t)(relstep - 1)) + relstep;
        reli = (relnext - relbase) / sizeof *c->ev;
    }
    for (size_t i = 0; i < n; i++) {
        /* When event i reaches past the next step boundary, release up to
         * (the boundary at or below) its start: the boundary before. */
        if (i >= reli) {
            tt_v1_released += v1_big_release(c->ev, i * sizeof *c->ev, &reldone, relstep);
            relnext = ((relbase + (i + 1) * sizeof *c->ev) & ~(uintptr_t)(relstep - 1)) + relstep;
            reli = (relnext - relbase) / sizeof *c->ev;
        }
        const v1d ed = dec(c, &c->ev[i]), *e = &ed;
        int64_t ets = NS(c, i);
        v1proc *pr = &c->procs[e->p];
        unsigned fk = get_fake(e);
        int64_t P = fk ? FAKE_P + (int64_t)fk : (int64_t)pr->id; /* ev_pid() */
        int64_t G = (int64_t)c->gid[e->g];
        /* o = zero_ev, but for the fields convert never sets (sync, arg[2])
         * or sets below (time, m, p, g) */
        memset(&o.id, 0, offsetof(tt_event, arg) + sizeof o.arg[0] * 2 - offsetof(tt_event, id));
        memset(&o.name, 0, offsetof(tt_event, sync) - offsetof(tt_event, name));
        o.text = NULL;
        o.ntext = 0;
        o.time = ets;
        o.p = P;
        o.g = G == 0 ? TT_NO_ID : G;
        o.m = TT_NO_ID;
        if (P != -1 && e->type != E_CPU_SAMPLE && !fk && pr->hasm)
            o.m = (int64_t)pr->m;
        if ((i & 0xffff) == 0 && c->sink && c->sink->on_progress)
            c->sink->on_progress(c->sink->ctx,
                                 c->len / 2 + (uint64_t)((double)c->len * (double)i / (2.0 * (double)n)),
                                 c->len);
        switch (e->type) {
        case E_GOMAXPROCS:
            if (preinit) {
                preinit = 0;
                for (size_t j = 0; j < c->npreinit; j++) {
                    uint32_t pg = c->preinit[j];
                    if (!c->gpre[pg])
                        continue;
                    c->gpre[pg] = 0;
                    o = zero_ev;
                    o.time = ets;
                    o.m = o.p = o.g = TT_NO_ID;
                    o.flags = TT_EVF_SYNTH;
                    transition(&o, W_GO_STATUS, TT_RES_GOROUTINE, (int64_t)c->gid[pg],
                               TT_GS_UNDETERMINED, TT_GS_RUNNABLE);
                    CHK(deliver(c, &o));
                }
                continue;
            }
            o.kind = TT_EV_METRIC;
            o.type = W_PROCS_CHANGE;
            o.name = c->s_gomaxprocs;
            o.arg[0] = A(c, e, 0);
            STK(stack_of(c, STKID(c, e)));
            break;
        case E_PROC_START:
            pr->m = A(c, e, 0);
            pr->hasm = 1;
            o.m = (int64_t)pr->m;
            if (pr->seen) {
                transition(&o, W_PROC_START, TT_RES_PROC, P, TT_PS_IDLE, TT_PS_RUNNING);
            } else {
                pr->seen = 1;
                transition(&o, W_PROC_STATUS, TT_RES_PROC, P, TT_PS_UNDETERMINED, TT_PS_RUNNING);
            }
            break;
        case E_PROC_STOP:
            if (pr->seen) {
                transition(&o, W_PROC_STOP, TT_RES_PROC, P, TT_PS_RUNNING, TT_PS_IDLE);
            } else {
                pr->seen = 1;
                transition(&o, W_PROC_STATUS, TT_RES_PROC, P, TT_PS_UNDETERMINED, TT_PS_IDLE);
            }
            pr->hasm = 0;
            break;
        case E_GC_START:
            o.kind = TT_EV_RANGE_BEGIN;
            o.type = W_GC_BEGIN;
            o.name = c->s_gc;
            o.res = TT_RES_NONE;
            STK(stack_of(c, STKID(c, e)));
            break;
        case E_GC_DONE:
            o.kind = TT_EV_RANGE_END;
            o.type = W_GC_END;
            o.name = c->s_gc;
            o.res = TT_RES_NONE;
            break;
        case E_STW_START:
            last_stw = stw_kind(c, A(c, e, 0));
            o.kind = TT_EV_RANGE_BEGIN;
            o.type = W_STW_BEGIN;
            o.name = c->s_stw_range[last_stw];
            o.res = TT_RES_GOROUTINE;
            o.id = o.g;
            break;
        case E_STW_DONE:
            o.kind = TT_EV_RANGE_END;
            o.type = W_STW_END;
            o.name = c->s_stw_range[last_stw];
            o.res = TT_RES_GOROUTINE;
            o.id = o.g;
            break;
        case E_SWEEP_START:
            o.kind = TT_EV_RANGE_BEGIN;
            o.type = W_SWEEP_BEGIN;
            o.name = c->s_sweep;
            o.res = TT_RES_PROC;
            o.id = P;
            STK(stack_of(c, STKID(c, e)));
            break;
        case E_SWEEP_DONE:
            o.kind = TT_EV_RANGE_END;
            o.type = W_SWEEP_END;
            o.name = c->s_sweep;
            o.res = TT_RES_PROC;
            o.id = P;
            o.nattr = 2;
            o.arg[0] = A(c, e, 0);
            o.arg[1] = A(c, e, 1);
            break;
        case E_MARK_ASSIST_START:
        case E_MARK_ASSIST_DONE:
            o.kind = e->type == E_MARK_ASSIST_START ? TT_EV_RANGE_BEGIN : TT_EV_RANGE_END;
            o.type = e->type == E_MARK_ASSIST_START ? W_ASSIST_BEGIN : W_ASSIST_END;
            o.name = c->s_assist;
            o.res = TT_RES_GOROUTINE;
            o.id = o.g;
            if (e->type == E_MARK_ASSIST_START)
                STK(stack_of(c, STKID(c, e)));
            break;
        case E_GO_CREATE: {
            uint32_t ng = (uint32_t)A(c, e, 0);
            if (preinit) {
                if (!c->gpre[ng]) {
                    if (v1_grow((void **)&c->preinit, &c->cappreinit, c->npreinit + 1,
                                sizeof *c->preinit) < 0)
                        return NOMEM(c);
                    c->preinit[c->npreinit++] = ng;
                    c->gpre[ng] = 1;
                }
                continue;
            }
            transition(&o, W_GO_CREATE, TT_RES_GOROUTINE, (int64_t)c->gid[ng], TT_GS_NOTEXIST,
                       TT_GS_RUNNABLE);
            uint32_t ts = stack_of(c, A(c, e, 1));
            if (ts == UINT32_MAX)
                return NOMEM(c);
            o.tstack = ts;
            o.flags |= TT_EVF_HAS_TSTACK; /* Go: a stack handle even for id 0 */
            STK(stack_of(c, STKID(c, e)));
            break;
        }
        case E_GO_START:
            /* Args[0] (layout[] of GoStart and GoStartLocal): the goroutine itself */
            if (preinit) {
                c->gpre[e->g] = 0;
                transition(&o, W_GO_STATUS, TT_RES_GOROUTINE, (int64_t)c->gid[e->g],
                           TT_GS_UNDETERMINED, TT_GS_RUNNING);
            } else {
                transition(&o, W_GO_START, TT_RES_GOROUTINE, (int64_t)c->gid[e->g],
                           TT_GS_RUNNABLE, TT_GS_RUNNING);
            }
            break;
        case E_GO_START_LABEL:
            o.m = pr->hasm && !fk ? (int64_t)pr->m : 0;
            o.g = G;
            transition(&o, W_GO_START, TT_RES_GOROUTINE, (int64_t)c->gid[(uint32_t)A(c, e, 0)],
                       TT_GS_RUNNABLE, TT_GS_RUNNING);
            CHK(deliver(c, &o));
            o.kind = TT_EV_LABEL;
            o.type = W_GO_LABEL;
            o.res = TT_RES_GOROUTINE;
            o.id = G;
            o.from = o.to = 0;
            o.flags = 0;
            o.time = ets;
            o.name = str_of(c, (uint32_t)A(c, e, 2));
            break;
        case E_GO_END:
            transition(&o, W_GO_DESTROY, TT_RES_GOROUTINE, o.g, TT_GS_RUNNING, TT_GS_NOTEXIST);
            break;
        case E_GO_STOP:
        case E_GO_SLEEP:
        case E_GO_BLOCK:
        case E_GO_BLOCK_SEND:
        case E_GO_BLOCK_RECV:
        case E_GO_BLOCK_SELECT:
        case E_GO_BLOCK_SYNC:
        case E_GO_BLOCK_COND:
        case E_GO_BLOCK_NET:
        case E_GO_BLOCK_GC:
            transition(&o, W_GO_BLOCK, TT_RES_GOROUTINE, o.g, TT_GS_RUNNING, TT_GS_WAITING);
            o.name = reason_for(c, e->type);
            STK(stack_of(c, STKID(c, e)));
            o.tstack = o.stack;
            break;
        case E_GO_SCHED:
        case E_GO_PREEMPT:
            transition(&o, W_GO_STOP, TT_RES_GOROUTINE, o.g, TT_GS_RUNNING, TT_GS_RUNNABLE);
            o.name = reason_for(c, e->type);
            STK(stack_of(c, STKID(c, e)));
            o.tstack = o.stack;
            break;
        case E_GO_UNBLOCK:
            transition(&o, W_GO_UNBLOCK, TT_RES_GOROUTINE, (int64_t)c->gid[unblock_g(c, e)],
                       TT_GS_WAITING, TT_GS_RUNNABLE);
            STK(stack_of(c, STKID(c, e)));
            break;
        case E_GO_SYSCALL:
            if (e->fl & FL_BLOCKED) {
                transition(&o, W_SYSCALL_BEGIN, TT_RES_GOROUTINE, o.g, TT_GS_RUNNING,
                           TT_GS_SYSCALL);
                STK(stack_of(c, STKID(c, e)));
                o.tstack = o.stack;
                break;
            }
            o.m = pr->hasm && !fk ? (int64_t)pr->m : 0;
            o.g = G;
            transition(&o, W_SYSCALL_BEGIN, TT_RES_GOROUTINE, G, TT_GS_RUNNING, TT_GS_SYSCALL);
            STK(stack_of(c, STKID(c, e)));
            o.tstack = o.stack;
            CHK(deliver(c, &o));
            o.time = ets + 1;
            o.stack = o.tstack = 0;
            o.flags = TT_EVF_SYNTH;
            transition(&o, W_SYSCALL_END, TT_RES_GOROUTINE, G, TT_GS_SYSCALL, TT_GS_RUNNING);
            break;
        case E_GO_SYSEXIT:
            transition(&o, W_SYSCALL_END_BLOCKED, TT_RES_GOROUTINE, o.g, TT_GS_SYSCALL,
                       TT_GS_RUNNABLE);
            break;
        case E_GO_SYSBLOCK:
            continue;
        case E_GO_WAITING:
        case E_GO_INSYSCALL:
            c->gpre[(uint32_t)A(c, e, 0)] = 0;
            transition(&o, W_GO_STATUS, TT_RES_GOROUTINE, (int64_t)c->gid[(uint32_t)A(c, e, 0)],
                       TT_GS_UNDETERMINED,
                       e->type == E_GO_WAITING ? TT_GS_WAITING : TT_GS_SYSCALL);
            break;
        case E_HEAP_ALLOC:
        case E_HEAP_GOAL:
            o.kind = TT_EV_METRIC;
            o.type = e->type == E_HEAP_ALLOC ? W_HEAP_ALLOC : W_HEAP_GOAL;
            o.name = e->type == E_HEAP_ALLOC ? c->s_heapalloc : c->s_heapgoal;
            o.arg[0] = A(c, e, 0);
            break;
        case E_TASK_CREATE: {
            uint64_t id = A(c, e, 0), parent = A(c, e, 1);
            o.kind = TT_EV_TASK_BEGIN;
            o.type = W_TASK_BEGIN;
            o.id = (int64_t)id;
            o.arg[0] = parent == 0 ? TT_NO_TASK : parent;
            o.name = str_of(c, (uint32_t)A(c, e, 2));
            STK(stack_of(c, STKID(c, e)));
            uint32_t ti;
            if (v1_idx_get(&c->taskmap, id, &ti)) { /* check() registered every task id */
                c->tasks[ti].live = 1;
                c->tasks[ti].parent = parent;
                c->tasks[ti].name = o.name;
            }
            break;
        }
        case E_TASK_END: {
            uint64_t id = A(c, e, 0);
            uint32_t ti;
            o.kind = TT_EV_TASK_END;
            o.type = W_TASK_END;
            o.id = (int64_t)id;
            o.arg[0] = TT_NO_TASK;
            if (v1_idx_get(&c->taskmap, id, &ti) && c->tasks[ti].live) {
                c->tasks[ti].live = 0;
                o.arg[0] = c->tasks[ti].parent;
                o.name = c->tasks[ti].name;
            }
            STK(stack_of(c, STKID(c, e)));
            break;
        }
        case E_REGION: {
            uint64_t task, mode;
            uint32_t name;
            region_vals(c, e, &task, &mode, &name);
            o.kind = mode == 0 ? TT_EV_REGION_BEGIN : TT_EV_REGION_END;
            o.type = mode == 0 ? W_REGION_BEGIN : W_REGION_END;
            o.id = (int64_t)task;
            o.name = str_of(c, name);
            STK(stack_of(c, STKID(c, e)));
            break;
        }
        case E_LOG: {
            uint64_t task;
            uint32_t key;
            log_vals(c, e, &task, &key, &o.msg);
            o.kind = TT_EV_LOG;
            o.type = W_USER_LOG;
            o.id = (int64_t)task;
            o.name = str_of(c, key);
            {
                size_t tl;
                o.text = tt_syms_str(c->syms, o.msg, &tl);
                o.ntext = (uint32_t)tl;
            }
            if (c->sink && (c->sink->flags & TT_SINK_LOG_TEXT))
                o.msg = 0; /* strings are global in this format: only the id is left out */
            STK(stack_of(c, STKID(c, e)));
            break;
        }
        case E_CPU_SAMPLE:
            o.kind = TT_EV_STACK_SAMPLE;
            o.type = W_CPU_SAMPLE;
            o.m = TT_NO_ID;
            STK(stack_of(c, STKID(c, e)));
            break;
        default:
            return tt_err_set(c->err, TT_ERR_FORMAT, 0, "unexpected event type %s",
                              evdesc[e->type].name);
        }
        CHK(deliver(c, &o));
    }
    o = zero_ev;
    o.kind = TT_EV_SYNC;
    o.type = W_SYNC;
    o.time = c->last_ts + 1;
    o.m = o.p = o.g = TT_NO_ID;
    o.arg[0] = n ? 2 : 1;
    return deliver(c, &o);
}

/* ---- entry ------------------------------------------------------------------------ */

_Thread_local size_t tt_v1_release_step = (size_t)2 << 20;
_Thread_local size_t tt_v1_released;
_Thread_local unsigned tt_v1_test_wide;
_Thread_local size_t tt_v1_fast;
_Thread_local int tt_v1_threads = 1;
_Thread_local int tt_v1_par;
_Thread_local size_t tt_v1_par_waits, tt_v1_pre;
_Thread_local int tt_v1_split;
_Thread_local int tt_v1_ckres;
_Thread_local size_t tt_v1_ck_held;
_Thread_local size_t tt_v1_split_tries;

static void v1_free(v1 *c)
{
    merge_join(c); /* (already joined but on an early error) */
    v1_big_free(c->ev, c->capev * sizeof *c->ev);
    if (c->fixedtabs) {
        v1_big_free(c->pool, c->cappool * sizeof *c->pool);
        v1_big_free(c->ext, c->capext * sizeof *c->ext);
        v1_big_free(c->batches, c->capbatches * sizeof *c->batches);
        v1_big_free(c->gs, c->capgs * sizeof *c->gs);
    } else {
        free(c->pool);
        free(c->ext);
        free(c->batches);
        free(c->gs);
    }
    free(c->procs);
    free(c->pre);
    v1_idx_free(&c->pmap);
    free(c->gid);
    free(c->gpre);
    v1_idx_free(&c->gmap);
    free(c->cpu);
    v1_idx_free(&c->strmap);
    free(c->slots);
    v1_idx_free(&c->stkmap);
    free(c->stacks);
    free(c->pcs);
    v1_map_free(&c->pcmap);
    free(c->frames);
    free(c->tmpframes);
    free(c->regions);
    v1_idx_free(&c->taskmap);
    free(c->tasks);
    free(c->preinit);
    free(c->moved);
    free(c->tsb);
    v1_map_free(&c->pairmap);
}

tt_status tt_load_v1(const uint8_t *buf, size_t len, int minor, tt_syms *syms,
                     const tt_sink *sink, tt_load_result *res, tt_err *err)
{
    tt_v1_released = 0;
    tt_v1_fast = 0;
    tt_v1_par = 0;
    tt_v1_par_waits = tt_v1_pre = 0;
    tt_v1_split = 0;
    tt_v1_split_tries = 0;
    tt_v1_ckres = 0;
    tt_v1_ck_held = 0;
    if (minor != 11 && minor != 19 && minor != 21)
        return tt_err_set(err, TT_ERR_VERSION, 0, "unsupported old trace version go 1.%d",
                          minor);
    if (!buf || len < 16)
        return tt_err_set(err, TT_ERR_TRUNCATED, len, "trace header truncated");
    v1 *c = calloc(1, sizeof *c);
    if (!c)
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory reading old trace");
    c->buf = buf;
    c->len = len;
    c->ver = minor;
    c->syms = syms;
    c->sink = sink;
    c->err = err;
    c->freeregion = UINT32_MAX;
    c->rtprev = INT64_MIN;
    c->relpages = tt_v2_release_pages;
    c->slowparse = tt_v1_threads == 3;
    c->dts_min = DTS_MIN;
    c->dts_max = DTS_MAX;
    c->gnarrow = G_NARROW;
    c->maxpairs = V1_MAX_PAIRS;
    for (unsigned t = 0; t < 64; t++)
        c->known[t] = t != E_NONE && t < E_COUNT && evdesc[t].minver <= c->ver;
    for (unsigned t = 0; t < E_COUNT; t++) {
        c->simple[t] = !packable[t] && !extwords[t];
        c->gslot[t] = c->xslot[t] = 4;
        for (unsigned i = 0; i < 4; i++) {
            if (layout[t][i] == SL_G)
                c->gslot[t] = (uint8_t)i;
            else if (layout[t][i] == SL_X)
                c->xslot[t] = (uint8_t)i;
            else if (layout[t][i] != SL_NONE)
                c->simple[t] = 0;
        }
    }
    if (tt_v1_test_wide & TT_V1_WIDE_TS)
        c->dts_min = c->dts_max = 0;
    if (tt_v1_test_wide & TT_V1_WIDE_NOPACK)
        c->nopack = 1;
    if (tt_v1_test_wide & TT_V1_WIDE_PAIRS)
        c->maxpairs = 1;
    if (tt_v1_test_wide & TT_V1_WIDE_SORT)
        c->widesort = 1;
    if (tt_v1_test_wide & TT_V1_WIDE_G)
        c->gnarrow = 1;
    if (tt_v1_test_wide & TT_V1_WIDE_NOFAST)
        c->nofast = 1;
    if (res) {
        memset(res, 0, sizeof *res);
        res->go_minor = minor;
    }
    tt_status st = load_front(c);
    tt_v1_fast = c->nfast;
    tt_v1_pre = c->npre;
    if (st == TT_OK)
        st = retime(c);
    tt_v1_ckres = c->ckres;
    tt_v1_ck_held = c->ckheld;
    if (st == TT_OK)
        st = check_done(c);
    if (st == TT_OK && init_strings(c) < 0)
        st = NOMEM(c);
    if (st == TT_OK)
        st = convert(c);
    if (res) {
        res->events = c->delivered;
        if (st == TT_OK) {
            res->generations = 1;
            res->valid_bytes = len;
            res->valid_events = c->delivered;
        }
    }
    if (st == TT_OK && sink && sink->on_progress)
        sink->on_progress(sink->ctx, len, len);
    v1_free(c);
    free(c);
    return st;
}

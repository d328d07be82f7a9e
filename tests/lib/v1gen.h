/*
 * v1gen: a tiny writer of old-format (Go 1.11-1.21) trace bytes for tests.
 * Values are written exactly as the old runtime did: a header byte
 * (type | nb<<6), then nb+1 uvarints, or for 4+ values nb=3, a byte length
 * and the values. Allocation failures abort (tests only).
 */
#ifndef GOTV_TESTS_V1GEN_H
#define GOTV_TESTS_V1GEN_H

#include <stddef.h>
#include <stdint.h>

/* The old format's event types (Go 1.11-1.21 runtime/trace.go numbering),
 * for the tests' and the fuzz generator's own writers. */
enum {
    BATCH = 1, FREQ, STACK, GOMAXPROCS, PROC_START, PROC_STOP, GC_START, GC_DONE,
    STW_START, STW_DONE, SWEEP_START, SWEEP_DONE, GO_CREATE, GO_START, GO_END, GO_STOP,
    GO_SCHED, GO_PREEMPT, GO_SLEEP, GO_BLOCK, GO_UNBLOCK, GO_BLOCK_SEND, GO_BLOCK_RECV,
    GO_BLOCK_SELECT, GO_BLOCK_SYNC, GO_BLOCK_COND, GO_BLOCK_NET, GO_SYSCALL, GO_SYSEXIT,
    GO_SYSBLOCK, GO_WAITING, GO_INSYSCALL, HEAP_ALLOC, HEAP_GOAL, TIMER_GOROUTINE,
    FUTILE_WAKEUP, STRING, GO_START_LOCAL, GO_UNBLOCK_LOCAL, GO_SYSEXIT_LOCAL,
    GO_START_LABEL, GO_BLOCK_GC, ASSIST_START, ASSIST_DONE, TASK_CREATE, TASK_END,
    USER_REGION, USER_LOG, CPU_SAMPLE
};

typedef struct v1gen {
    uint8_t *buf;
    size_t len, cap;
} v1gen;

/* Starts a trace with the header "go 1.<minor> trace\0\0\0" (16 bytes). */
void v1gen_init(v1gen *g, int minor);
void v1gen_free(v1gen *g);
void v1gen_byte(v1gen *g, uint8_t b);
void v1gen_bytes(v1gen *g, const void *p, size_t n);
void v1gen_uv(v1gen *g, uint64_t v);
/* An event of type typ with n values (timestamp delta first for timed
 * events); nb chosen like the runtime: min(n-1, 3). */
void v1gen_ev(v1gen *g, unsigned typ, size_t n, const uint64_t *vals);
/* The same, always length-prefixed (nb = 3). */
void v1gen_ev_lp(v1gen *g, unsigned typ, size_t n, const uint64_t *vals);
#define V1GEN_EV(g, typ, ...)                                                   \
    v1gen_ev((g), (typ), sizeof((uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t), \
             (uint64_t[]){__VA_ARGS__})
void v1gen_batch(v1gen *g, int64_t p, uint64_t ticks);
void v1gen_freq(v1gen *g, uint64_t freq);
void v1gen_string(v1gen *g, uint64_t id, const char *s);
/* frames: n groups of {pc, func string id, file string id, line} */
void v1gen_stack(v1gen *g, uint64_t id, size_t n, const uint64_t *frames);
/* UserLog: dt, task, key string id, stack, then the inline message */
void v1gen_log(v1gen *g, uint64_t dt, uint64_t task, uint64_t key, uint64_t stk,
               const char *msg);

#endif

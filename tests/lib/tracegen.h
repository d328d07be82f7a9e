/*
 * tracegen: build Go 1.22+ execution trace bytes from C calls, for tests.
 *
 *   tg t; tg_init(&t, 26);
 *   tg_sync(&t, 1, 100, 15625000);          // frequency (+ clock snapshot for >= 25)
 *   tg_batch(&t, 1, 7, 100);                // event batch of gen 1, M 7, time 100
 *   TG_EV(&t, TG_ProcStatus, 1, 0, 1);      // type, dt, args...
 *   tg_end(&t);                             // close the batch
 *   tg_strings(&t, 1); tg_str(&t, 1, "x"); tg_end(&t);
 *   tg_eog(&t);                             // EndOfGeneration (26)
 *
 * Varints are minimal unless t.pad is set (10-byte padded, as the runtime
 * writes batch sizes); batch sizes are always padded unless t.min_size is set.
 */
#ifndef GOTV_TESTS_TRACEGEN_H
#define GOTV_TESTS_TRACEGEN_H

#include <stddef.h>
#include <stdint.h>

enum {
    TG_EventBatch = 1, TG_Stacks, TG_Stack, TG_Strings, TG_String, TG_CPUSamples, TG_CPUSample,
    TG_Frequency, TG_ProcsChange, TG_ProcStart, TG_ProcStop, TG_ProcSteal, TG_ProcStatus,
    TG_GoCreate, TG_GoCreateSyscall, TG_GoStart, TG_GoDestroy, TG_GoDestroySyscall, TG_GoStop,
    TG_GoBlock, TG_GoUnblock, TG_GoSyscallBegin, TG_GoSyscallEnd, TG_GoSyscallEndBlocked,
    TG_GoStatus, TG_STWBegin, TG_STWEnd, TG_GCActive, TG_GCBegin, TG_GCEnd, TG_GCSweepActive,
    TG_GCSweepBegin, TG_GCSweepEnd, TG_GCMarkAssistActive, TG_GCMarkAssistBegin,
    TG_GCMarkAssistEnd, TG_HeapAlloc, TG_HeapGoal, TG_GoLabel, TG_UserTaskBegin, TG_UserTaskEnd,
    TG_UserRegionBegin, TG_UserRegionEnd, TG_UserLog, TG_GoSwitch, TG_GoSwitchDestroy,
    TG_GoCreateBlocked, TG_GoStatusStack, TG_ExperimentalBatch, TG_Sync, TG_ClockSnapshot,
    TG_EndOfGeneration,
};
/* wire statuses */
enum { TG_GoRunnable = 1, TG_GoRunning, TG_GoSyscall, TG_GoWaiting };
enum { TG_ProcRunning = 1, TG_ProcIdle, TG_ProcSyscall, TG_ProcSyscallAbandoned };
#define TG_NONE UINT64_MAX

typedef struct tg {
    uint8_t *buf;
    size_t len, cap;
    int version;
    int pad;      /* write every varint padded to 10 bytes */
    int min_size; /* write batch sizes minimally (default: padded) */
    size_t size_at; /* where the open batch's size field starts, 0 = none */
    size_t payload_at;
} tg;

void tg_init(tg *t, int version);      /* writes the 16-byte header */
void tg_free(tg *t);
void tg_byte(tg *t, uint8_t b);
void tg_raw(tg *t, const void *p, size_t n);
void tg_uv(tg *t, uint64_t v);         /* minimal or padded per t->pad */
void tg_uv_padded(tg *t, uint64_t v);  /* always 10 bytes */
/* Open an event batch (type byte 0x01). */
void tg_batch(tg *t, uint64_t gen, uint64_t m, uint64_t time);
void tg_end(tg *t);                    /* close the open batch: patch its size */
/* Table batches (M = none). */
void tg_strings(tg *t, uint64_t gen);
void tg_str(tg *t, uint64_t id, const char *s);
void tg_strn(tg *t, uint64_t id, const void *s, size_t n);
void tg_stacks(tg *t, uint64_t gen);
/* frames: n x {pc, func string id, file string id, line} */
void tg_stack(tg *t, uint64_t id, uint64_t n, const uint64_t (*frames)[4]);
void tg_cpusamples(tg *t, uint64_t gen);
void tg_cpusample(tg *t, uint64_t time, uint64_t m, uint64_t p, uint64_t g, uint64_t stack);
/* Frequency batch (22, 23) or sync batch with frequency and clock snapshot (25+):
 * snapshot dt=1, mono=1000, sec=1700000000, nsec=123456789. */
void tg_sync(tg *t, uint64_t gen, uint64_t time, uint64_t freq);
void tg_eog(tg *t);                    /* EndOfGeneration byte (26) */
/* A timed event: type, dt and its arguments. */
void tg_ev_(tg *t, uint8_t type, uint64_t dt, const uint64_t *args, size_t nargs);
#define TG_EV(t, type, dt, ...)                                                                    \
    tg_ev_((t), (type), (dt), (const uint64_t[]){__VA_ARGS__},                                     \
           sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))
#define TG_EV0(t, type, dt) tg_ev_((t), (type), (dt), NULL, 0)

#endif

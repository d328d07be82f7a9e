/*
 * synth: write small synthetic traces that exercise the printing of every
 * event kind and odd values (strings with arbitrary bytes, empty and
 * zero-frame stacks, big IDs, odd clock snapshots) for the oracle suite.
 * Usage: synth OUTDIR   (writes OUTDIR/synth-*.trace)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/tracegen.h"

static void save(const tg *t, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/synth-%s.trace", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(t->buf, 1, t->len, f) != t->len) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

/* Sync batch with a custom clock snapshot (>= 25) or a frequency batch. */
static void sync_batch(tg *t, uint64_t gen, uint64_t time, uint64_t freq, uint64_t mono,
                       uint64_t sec, uint64_t nsec)
{
    tg_batch(t, gen, TG_NONE, time);
    if (t->version >= 25)
        tg_byte(t, TG_Sync);
    tg_byte(t, TG_Frequency);
    tg_uv(t, freq);
    if (t->version >= 25) {
        tg_byte(t, TG_ClockSnapshot);
        tg_uv(t, 3);
        tg_uv(t, mono);
        tg_uv(t, sec);
        tg_uv(t, nsec);
    }
    tg_end(t);
}

static void tables(tg *t, uint64_t gen)
{
    static const char weird[] = "a\"b\\c\x01\x7f\xff\xc3\xa9\xc2\xa0\xe2\x80\x8b\xf0\x9f\x98\x80"
                                "\xf3\xa0\x80\x81\xed\xa0\x80\xc0\x80\t\n\r\v\f\a\b end";
    tg_strings(t, gen);
    tg_str(t, 1, "chan receive");
    tg_str(t, 2, "main.work");
    tg_str(t, 3, "/src/main.go");
    tg_str(t, 4, "GC (dedicated)");
    tg_strn(t, 5, weird, sizeof weird - 1);
    tg_str(t, 6, "GC mark termination");
    tg_str(t, 7, "task \xe4\xb8\xad\xe6\x96\x87");
    tg_str(t, 8, "region");
    tg_str(t, 9, "runtime.goexit");
    tg_strn(t, 10, "nul\0inside", 10);
    tg_str(t, 11, "");
    char big[1024];
    for (int i = 0; i < 1024; i++)
        big[i] = (char)(i % 3 == 0 ? 0xe2 : i % 3 == 1 ? 0x82 : 0xac); /* euro signs */
    tg_strn(t, 12, big, sizeof big);
    tg_end(t);
    tg_stacks(t, gen);
    const uint64_t f1[2][4] = {{0x401000, 2, 3, 42}, {0x400100, 9, 3, 0}};
    tg_stack(t, 1, 2, f1);
    tg_stack(t, 2, 0, NULL); /* a stack with no frames */
    const uint64_t f3[1][4] = {{0xffffffffffffffffULL, 5, 10, 18446744073709551615ULL}};
    tg_stack(t, 3, 1, f3);
    tg_end(t);
}

static void kinds(int version, const char *dir, const char *name)
{
    tg t;
    tg_init(&t, version);
    sync_batch(&t, 5, 1000, 15625000, 777, 1700000000, 5);
    tables(&t, 5);
    tg_cpusamples(&t, 5);
    tg_cpusample(&t, 1010, 123456789, 0, 1, 1);
    tg_cpusample(&t, 1010, 123456789, TG_NONE, 0, 0);
    tg_cpusample(&t, 1003, 5, 0, 7, 2);
    tg_end(&t);
    tg_batch(&t, 5, 123456789, 1000);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(&t, TG_GoStatus, 1, 1, 123456789, TG_GoRunning);
    TG_EV(&t, TG_ProcsChange, 1, 8, 1);
    TG_EV(&t, TG_HeapAlloc, 1, 18446744073709551615ULL);
    TG_EV(&t, TG_HeapGoal, 1, 0);
    TG_EV(&t, TG_GoLabel, 1, 5);
    TG_EV(&t, TG_GoCreate, 1, 9, 0, 1);      /* new stack 0: empty TransitionStack */
    TG_EV(&t, TG_GoCreate, 1, 10, 3, 2);     /* odd frame; zero-frame creator stack */
    TG_EV(&t, TG_UserTaskBegin, 1, 18446744073709551615ULL, 0, 7, 1);
    TG_EV(&t, TG_UserTaskBegin, 1, 2, 18446744073709551615ULL, 12, 0);
    TG_EV(&t, TG_UserRegionBegin, 1, 2, 8, 0);
    TG_EV(&t, TG_UserLog, 1, 2, 5, 10, 1);
    TG_EV(&t, TG_UserLog, 1, 0, 11, 12, 0);
    TG_EV(&t, TG_UserRegionEnd, 1, 2, 8, 1);
    TG_EV(&t, TG_UserTaskEnd, 1, 2, 0);
    TG_EV(&t, TG_UserTaskEnd, 1, 99, 0);
    TG_EV(&t, TG_STWBegin, 1, 6, 1);
    TG_EV0(&t, TG_STWEnd, 1);
    TG_EV(&t, TG_GCBegin, 1, 1, 1);
    TG_EV(&t, TG_GCMarkAssistBegin, 1, 1);
    TG_EV0(&t, TG_GCMarkAssistEnd, 1);
    TG_EV(&t, TG_GCSweepBegin, 1, 2);
    TG_EV(&t, TG_GCSweepEnd, 1, 4096, 18446744073709551615ULL);
    TG_EV(&t, TG_GCEnd, 1, 2);
    TG_EV(&t, TG_GoStop, 1, 5, 1);
    TG_EV(&t, TG_GoStart, 1, 9, 1);
    TG_EV(&t, TG_GoSyscallBegin, 1, 1, 2);
    TG_EV0(&t, TG_GoSyscallEnd, 1);
    TG_EV(&t, TG_GoBlock, 1, 1, 3);
    TG_EV(&t, TG_GoUnblock, 1, 9, 2, 1);
    if (version >= 23) {
        TG_EV(&t, TG_GoCreateBlocked, 1, 11, 1, 1);
        TG_EV(&t, TG_GoCreateBlocked, 1, 12, 0, 2);
        TG_EV(&t, TG_GoStart, 1, 9, 3);
        TG_EV(&t, TG_GoSwitch, 1, 11, 1);
        TG_EV(&t, TG_GoSwitchDestroy, 1, 12, 1);
        TG_EV(&t, 128, 1, 1, 2, 3);
        TG_EV(&t, 129, 1, 4, 5, 6);
        TG_EV(&t, 130, 1, 7);
        TG_EV(&t, 131, 1, 8, 9);
        TG_EV(&t, 132, 1, 10, 11);
        TG_EV(&t, 133, 1, 12);
        TG_EV(&t, 134, 1, 13, 14);
        TG_EV(&t, 135, 1, 15, 16);
        TG_EV(&t, 136, 1, 18446744073709551615ULL);
    }
    tg_batch(&t, 5, TG_NONE, 1000);
    if (version >= 23)
        TG_EV(&t, TG_GoStatusStack, 1, 20, TG_NONE, TG_GoWaiting, 1);
    TG_EV(&t, TG_GoStatus, 1, 21, TG_NONE, TG_GoRunnable);
    tg_end(&t);
    if (version >= 26)
        tg_eog(&t);
    save(&t, dir, name);
    tg_free(&t);
}

/* Clock snapshot edge cases (>= 25): nsec beyond a second, far years. */
static void clocks(const char *dir)
{
    static const struct {
        const char *name;
        uint64_t sec, nsec;
    } c[] = {
        {"wall-zero", 0, 0},
        {"wall-frac", 1700000000, 100000000},
        {"wall-nsec-overflow", 1700000000, 2500000001ULL},
        {"wall-year-9999", 253402300799ULL, 999999999},
        {"wall-year-10000", 253402300800ULL, 1},
        {"wall-minus-one", 18446744073709551615ULL, 999999999},
        {"wall-year-minus", 18446744073709551615ULL - 62135596800ULL - 86400ULL * 400, 7},
        {"wall-max", 9223372036854775807ULL, 999999999},
        {"wall-min", 9223372036854775808ULL, 0},
        {"wall-nsec-neg", 1700000000, 18446744073709551615ULL},
        {"wall-wrap", 9223372036854775807ULL, 1999999999},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        tg t;
        tg_init(&t, 26);
        sync_batch(&t, 1, 50, 1000000000, 18446744073709551615ULL, c[i].sec, c[i].nsec);
        tg_batch(&t, 1, 1, 60);
        TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcIdle);
        tg_end(&t);
        tg_eog(&t);
        save(&t, dir, c[i].name);
        tg_free(&t);
    }
}

/* Two generations with a padded-varint encoding and minimal batch sizes. */
static void padded(const char *dir)
{
    tg t;
    tg_init(&t, 23);
    t.pad = 1;
    for (uint64_t g = 7; g <= 8; g++) {
        sync_batch(&t, g, 100 * g, 15625000, 0, 0, 0);
        tables(&t, g);
        tg_batch(&t, g, 3, 100 * g);
        TG_EV(&t, TG_ProcStatus, 1, 1, TG_ProcRunning);
        TG_EV(&t, TG_GoStatus, 1, 4, 3, TG_GoRunning);
        TG_EV(&t, TG_GoBlock, 1, 1, 1);
        TG_EV(&t, TG_GoUnblock, 3, 4, 1, 0);
        TG_EV(&t, TG_GoStart, 3, 4, 2);
        if (g == 8)
            TG_EV0(&t, TG_GoDestroy, 2);
        tg_end(&t);
        if (g == 7) {
            tg_batch(&t, g, TG_NONE, 100 * g);
            TG_EV(&t, TG_GoStatus, 1, 4, 3, TG_GoRunning);
            tg_end(&t);
        }
    }
    save(&t, dir, "padded-23");
    tg_free(&t);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: synth OUTDIR\n");
        return 2;
    }
    kinds(22, argv[1], "kinds-22");
    kinds(23, argv[1], "kinds-23");
    kinds(25, argv[1], "kinds-25");
    kinds(26, argv[1], "kinds-26");
    clocks(argv[1]);
    padded(argv[1]);
    return 0;
}

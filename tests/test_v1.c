/*
 * Old-format (Go 1.11-1.21) reader: framing, ordering, conversion, errors.
 * Traces are built byte by byte with tests/lib/v1gen; expected outputs are in
 * the text form of `go tool trace -d=parsed` (checked against Go 1.26 on the
 * same bytes; set V1_TEST_DUMP=dir to write them out for the oracle).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "loader/trace.h"
#include "loader/v1.h"
#include "loader/v1_int.h"
#include "tests/lib/v1gen.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- a sink that prints like Go's Event.String() ---------------------------- */

typedef struct rec {
    tt_syms *syms;
    char *text;
    size_t len, cap;
    size_t n;
    int stop_after; /* 0 = never */
} rec;

static void put(rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(rec *r, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(r->text ? r->text + r->len : NULL, r->text ? r->cap - r->len : 0, fmt,
                          ap);
        va_end(ap);
        if (k < 0)
            abort();
        if (r->text && r->len + (size_t)k < r->cap) {
            r->len += (size_t)k;
            return;
        }
        size_t c = r->cap ? r->cap * 2 : 4096;
        while (c < r->len + (size_t)k + 1)
            c *= 2;
        r->text = realloc(r->text, c);
        if (!r->text)
            abort();
        r->cap = c;
    }
}

static void putq(rec *r, uint32_t id)
{
    size_t n;
    const char *s = tt_syms_str(r->syms, id, &n);
    put(r, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            put(r, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7f)
            put(r, "\\x%02x", ch);
        else
            put(r, "%c", ch);
    }
    put(r, "\"");
}

static void putstk(rec *r, uint32_t id)
{
    const tt_frame *f;
    uint32_t n = tt_syms_stack_frames(r->syms, id, &f);
    for (uint32_t i = 0; i < n; i++)
        put(r, "\t%s @ 0x%llx\n\t\t%s:%llu\n", tt_syms_str(r->syms, f[i].func, NULL),
            (unsigned long long)f[i].pc, tt_syms_str(r->syms, f[i].file, NULL),
            (unsigned long long)f[i].line);
}

static const char *const kname[] = {"Bad", "Sync", "Metric", "Label", "StackSample",
                                    "RangeBegin", "RangeActive", "RangeEnd", "TaskBegin",
                                    "TaskEnd", "RegionBegin", "RegionEnd", "Log",
                                    "StateTransition", "Experimental"};
static const char *const gsname[] = {"Undetermined", "NotExist", "Runnable",
                                     "Running", "Waiting", "Syscall"};
static const char *const psname[] = {"Undetermined", "NotExist", "Running", "Idle"};
static const char *const resname[] = {"None", "Goroutine", "Proc", "Thread"};

static int on_event(void *ctx, const tt_event *e)
{
    rec *r = ctx;
    r->n++;
    put(r, "M=%lld P=%lld G=%lld %s Time=%lld", (long long)e->m, (long long)e->p,
        (long long)e->g, kname[e->kind], (long long)e->time);
    switch (e->kind) {
    case TT_EV_METRIC:
        put(r, " Name=");
        putq(r, e->name);
        put(r, " Value=Value{Uint64(%llu)}", (unsigned long long)e->arg[0]);
        break;
    case TT_EV_LABEL:
        put(r, " Label=");
        putq(r, e->name);
        put(r, " Resource=%s(%lld)", resname[e->res], (long long)e->id);
        break;
    case TT_EV_RANGE_BEGIN:
    case TT_EV_RANGE_ACTIVE:
    case TT_EV_RANGE_END:
        put(r, " Name=");
        putq(r, e->name);
        if (e->res == TT_RES_NONE)
            put(r, " Scope=None");
        else
            put(r, " Scope=%s(%lld)", resname[e->res], (long long)e->id);
        if (e->kind == TT_EV_RANGE_END) {
            put(r, " Attributes=[");
            if (e->nattr == 2)
                put(r, "\"bytes swept\"=Value{Uint64(%llu)} \"bytes reclaimed\"=Value{Uint64(%llu)}",
                    (unsigned long long)e->arg[0], (unsigned long long)e->arg[1]);
            put(r, "]");
        }
        break;
    case TT_EV_TASK_BEGIN:
    case TT_EV_TASK_END:
        put(r, " ID=%llu Parent=%llu Type=", (unsigned long long)e->id,
            (unsigned long long)e->arg[0]);
        putq(r, e->name);
        break;
    case TT_EV_REGION_BEGIN:
    case TT_EV_REGION_END:
        put(r, " Task=%llu Type=", (unsigned long long)e->id);
        putq(r, e->name);
        break;
    case TT_EV_LOG:
        put(r, " Task=%llu Category=", (unsigned long long)e->id);
        putq(r, e->name);
        put(r, " Message=");
        putq(r, e->msg);
        break;
    case TT_EV_STATE_TRANSITION:
        if (e->res == TT_RES_GOROUTINE)
            put(r, " GoID=%lld %s->%s", (long long)e->id, gsname[e->from], gsname[e->to]);
        else
            put(r, " ProcID=%lld %s->%s", (long long)e->id, psname[e->from], psname[e->to]);
        put(r, " Reason=");
        putq(r, e->name);
        if (e->tstack || (e->flags & TT_EVF_HAS_TSTACK)) {
            put(r, "\nTransitionStack=\n");
            putstk(r, e->tstack);
        }
        break;
    case TT_EV_SYNC:
        put(r, " N=%llu", (unsigned long long)e->arg[0]);
        break;
    default:
        break;
    }
    if (e->stack || (e->flags & TT_EVF_HAS_STACK)) {
        put(r, "\nStack=\n");
        putstk(r, e->stack);
    }
    put(r, "\n");
    return r->stop_after && r->n >= (size_t)r->stop_after;
}

static int minor_of(const v1gen *g)
{
    return atoi((const char *)g->buf + 5);
}

static void dump_bytes(const v1gen *g, const char *name)
{
    const char *dir = getenv("V1_TEST_DUMP");
    if (!dir)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.trace", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(g->buf, 1, g->len, f);
        fclose(f);
    }
}

/* Load g into r (text) and return the status; err gets the error. */
static tt_status load(const v1gen *g, const char *name, rec *r, tt_err *err)
{
    memset(r, 0, sizeof *r);
    r->syms = tt_syms_new();
    assert_non_null(r->syms);
    put(r, "%s", "");
    dump_bytes(g, name);
    tt_sink sink = {r, on_event, NULL, 0};
    tt_load_result res;
    memset(err, 0, sizeof *err);
    return tt_load_v1(g->buf, g->len, minor_of(g), r->syms, &sink, &res, err);
}

static void rec_free(rec *r)
{
    tt_syms_free(r->syms);
    free(r->text);
    memset(r, 0, sizeof *r);
}

/* The loader's slow paths for what the compact record holds inline (see
 * tt_v1_test_wide): every expected text is checked with each of them too. */
static const unsigned wide_modes[] = {0, TT_V1_WIDE_TS, TT_V1_WIDE_NOPACK, TT_V1_WIDE_PAIRS,
                                      TT_V1_WIDE_SORT, TT_V1_WIDE_G, TT_V1_WIDE_NOFAST,
                                      TT_V1_WIDE_TS | TT_V1_WIDE_NOPACK | TT_V1_WIDE_PAIRS |
                                          TT_V1_WIDE_SORT | TT_V1_WIDE_G | TT_V1_WIDE_NOFAST};
#define NWIDE (sizeof wide_modes / sizeof wide_modes[0])

/* Each expected text and error is also checked with parse on a second
 * thread beside the merge (tt_v1_threads 2), and with that thread pausing
 * after every batch so that the merge waits for it (3), in the first and
 * the last wide mode. */
static const int thread_modes[] = {2, 3};
#define NTHREAD (sizeof thread_modes / sizeof thread_modes[0])

static void expect_text(const v1gen *g, const char *name, const char *want)
{
    for (size_t m = 0; m < NWIDE + 2 * NTHREAD; m++) {
        rec r;
        tt_err err;
        size_t w = m < NWIDE ? m : (m - NWIDE) % 2 ? NWIDE - 1 : 0;
        tt_v1_test_wide = wide_modes[w];
        tt_v1_threads = m < NWIDE ? 0 : thread_modes[(m - NWIDE) / 2];
        tt_status st = load(g, name, &r, &err);
        tt_v1_test_wide = 0;
        tt_v1_threads = 1;
        if (st != TT_OK)
            fail_msg("%s (wide mode %u, m %zu): load failed: %s", name, wide_modes[w], m, err.msg);
        if (strcmp(r.text, want) != 0) {
            print_message("---- got\n%s---- want\n%s----\n", r.text, want);
            fail_msg("%s (wide mode %u, m %zu): output differs", name, wide_modes[w], m);
        }
        rec_free(&r);
    }
}

static uint64_t expect_error(const v1gen *g, const char *name, tt_status code,
                             const char *substr)
{
    rec r;
    tt_err err;
    tt_status st = load(g, name, &r, &err);
    if (st == TT_OK)
        fail_msg("%s: expected an error containing \"%s\"", name, substr);
    if (code != TT_OK && st != code)
        fail_msg("%s: status %s, want %s (%s)", name, tt_status_str(st), tt_status_str(code),
                 err.msg);
    if (substr && !strstr(err.msg, substr))
        fail_msg("%s: error \"%s\" lacks \"%s\"", name, err.msg, substr);
    assert_int_equal(r.n, 0); /* nothing delivered before an error */
    assert_true(err.offset <= g->len);
    rec_free(&r);
    /* the same error in the wide modes, and with parse on a second thread */
    for (size_t m = 1; m < NWIDE + 2 * NTHREAD; m++) {
        tt_err errw;
        size_t w = m < NWIDE ? m : (m - NWIDE) % 2 ? NWIDE - 1 : 0;
        tt_v1_test_wide = wide_modes[w];
        tt_v1_threads = m < NWIDE ? 0 : thread_modes[(m - NWIDE) / 2];
        tt_status stw = load(g, name, &r, &errw);
        tt_v1_test_wide = 0;
        tt_v1_threads = 1;
        if (stw != st || strcmp(errw.msg, err.msg) != 0 || errw.offset != err.offset)
            fail_msg("%s (wide mode %u, m %zu): error \"%s\", want \"%s\"", name,
                     wide_modes[w], m, errw.msg, err.msg);
        assert_int_equal(r.n, 0);
        rec_free(&r);
    }
    return err.offset;
}

/* ---- scenarios ----------------------------------------------------------------- */

/* Strings and one stack shared by the scenarios (ids 1..4, stack 1 and 2). */
static void symbols(v1gen *g)
{
    v1gen_string(g, 1, "main.main");
    v1gen_string(g, 2, "/src/main.go");
    v1gen_string(g, 3, "main.worker");
    uint64_t f1[] = {0x401000, 1, 2, 10, 0x402000, 3, 2, 20};
    v1gen_stack(g, 1, 2, f1);
    uint64_t f2[] = {0x402000, 3, 2, 21}; /* same pc: the first frame seen wins */
    v1gen_stack(g, 2, 1, f2);
}

/* Pre-init statuses, proc statuses, syscalls with and without GoSysBlock,
 * GoSysExit real time, create, sched, end. */
static void build_basic(v1gen *g, int minor, int lp)
{
    void (*ev)(v1gen *, unsigned, size_t, const uint64_t *) = lp ? v1gen_ev_lp : v1gen_ev;
#define E(t, ...) ev(g, (t), sizeof((uint64_t[]){__VA_ARGS__}) / 8, (uint64_t[]){__VA_ARGS__})
    v1gen_init(g, minor);
    v1gen_batch(g, 0, 1000);
    E(GO_CREATE, 1, 1, 2, 1);   /* g1, pre-init */
    E(GO_CREATE, 1, 2, 0, 0);   /* g2 */
    E(GO_WAITING, 1, 2);        /* -> Waiting */
    E(GO_CREATE, 1, 3, 0, 0);   /* g3 */
    E(GO_INSYSCALL, 1, 3);      /* -> Syscall */
    E(GO_CREATE, 1, 4, 0, 0);   /* g4: no status -> Runnable at Gomaxprocs */
    E(PROC_START, 1, 7);        /* ProcStatus Running, M=7 */
    E(GO_START, 1, 1, 1);       /* pre-init: GoStatus Running (seq 1 -> 2) */
    E(GOMAXPROCS, 1, 4, 1);     /* end of pre-init (dropped) */
    E(GOMAXPROCS, 1, 2, 1);     /* ProcsChange */
    E(GO_CREATE, 1, 5, 2, 1);   /* GoCreate */
    E(GO_SYSCALL, 1, 1);        /* no block: begin + end 1ns later */
    E(GO_SYSCALL, 2, 2);        /* blocks */
    E(GO_SYSBLOCK, 1);
    E(PROC_STOP, 5);
    v1gen_batch(g, 1, 1014);
    E(PROC_START, 0, 8);        /* first sight of P1: ProcStatus */
    E(GO_START, 1, 5, 1);
    E(GO_SYSEXIT, 10, 1, 2, 1016); /* real exit time 1016 */
    E(GO_SCHED, 1, 2);          /* runtime.Gosched */
    E(GO_START, 1, 4, 1);       /* g4 was created before init */
    E(HEAP_ALLOC, 1, 123456);
    E(HEAP_GOAL, 0, 4194304);   /* same time: pushed 1ns later */
    E(GO_END, 1);
    E(PROC_STOP, 1);
    v1gen_batch(g, 0, 1030);
    E(PROC_START, 1, 9);        /* seen before: ProcStart */
    E(GO_START, 1, 1, 3);       /* g1 after its syscall exit */
    E(GO_PREEMPT, 1, 1);
    symbols(g);
    v1gen_freq(g, 1000000000);
#undef E
}

static const char *const want_basic = 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=-1 P=0 G=2 StateTransition Time=2 GoID=2 Undetermined->Waiting Reason=\"\"\n"
    "M=-1 P=0 G=3 StateTransition Time=4 GoID=3 Undetermined->Syscall Reason=\"\"\n"
    "M=7 P=0 G=-1 StateTransition Time=6 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=7 P=0 G=1 StateTransition Time=7 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=-1 P=-1 G=-1 StateTransition Time=8 GoID=4 Undetermined->Runnable Reason=\"\"\n"
    "M=7 P=0 G=1 Metric Time=9 Name=\"/sched/gomaxprocs:threads\" Value=Value{Uint64(2)}\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=7 P=0 G=1 StateTransition Time=10 GoID=5 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=7 P=0 G=1 StateTransition Time=11 GoID=1 Running->Syscall Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=7 P=0 G=1 StateTransition Time=12 GoID=1 Syscall->Running Reason=\"\"\n"
    "M=8 P=1 G=-1 StateTransition Time=13 ProcID=1 Undetermined->Running Reason=\"\"\n"
    "M=7 P=0 G=1 StateTransition Time=14 GoID=1 Running->Syscall Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=8 P=1 G=5 StateTransition Time=15 GoID=5 Runnable->Running Reason=\"\"\n"
    "M=-1 P=1000003 G=1 StateTransition Time=16 GoID=1 Syscall->Runnable Reason=\"\"\n"
    "M=7 P=0 G=-1 StateTransition Time=19 ProcID=0 Running->Idle Reason=\"\"\n"
    "M=8 P=1 G=5 StateTransition Time=25 GoID=5 Running->Runnable Reason=\"runtime.Gosched\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=8 P=1 G=4 StateTransition Time=26 GoID=4 Runnable->Running Reason=\"\"\n"
    "M=8 P=1 G=4 Metric Time=27 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(123456)}\n"
    "M=8 P=1 G=4 Metric Time=28 Name=\"/gc/heap/goal:bytes\" Value=Value{Uint64(4194304)}\n"
    "M=8 P=1 G=4 StateTransition Time=29 GoID=4 Running->NotExist Reason=\"\"\n"
    "M=8 P=1 G=-1 StateTransition Time=30 ProcID=1 Running->Idle Reason=\"\"\n"
    "M=9 P=0 G=-1 StateTransition Time=31 ProcID=0 Idle->Running Reason=\"\"\n"
    "M=9 P=0 G=1 StateTransition Time=32 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=9 P=0 G=1 StateTransition Time=33 GoID=1 Running->Runnable Reason=\"preempted\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=-1 P=-1 G=-1 Sync Time=34 N=2\n";

static void test_conversion_basic(void **st)
{
    (void)st;
    v1gen g;
    build_basic(&g, 19, 0);
    expect_text(&g, "basic19", want_basic);
    v1gen_free(&g);
}

/* The same values written length-prefixed decode identically. */
static void test_framing_length_prefixed(void **st)
{
    (void)st;
    v1gen g;
    build_basic(&g, 19, 1);
    expect_text(&g, "basic19lp", want_basic);
    v1gen_free(&g);
    build_basic(&g, 11, 0); /* nothing in it is specific to 1.19 */
    expect_text(&g, "basic11", want_basic);
    v1gen_free(&g);
}

#define EV(g, t, ...) V1GEN_EV(g, t, __VA_ARGS__)

/* g1 running on P0 (thread 1) after the pre-init section, at ticks t. */
static void prelude(v1gen *g, int minor, uint64_t t)
{
    v1gen_init(g, minor);
    v1gen_batch(g, 0, t);
    EV(g, GO_CREATE, 0, 1, 0, 0);
    EV(g, PROC_START, 0, 1);
    EV(g, GO_START, 0, 1, 1);
    EV(g, GOMAXPROCS, 0, 4, 0);
}

/* GC, STW (kind strings depend on the version), sweep, mark assist. */
static void build_gc(v1gen *g, int minor)
{
    prelude(g, minor, 50);
    for (uint64_t k = 0; k < 4; k++) {
        EV(g, STW_START, 1, k == 3 ? 20 : k * 3);
        EV(g, STW_DONE, 1);
    }
    EV(g, GC_START, 1, 0, 1);
    EV(g, GC_DONE, 1);
    EV(g, GC_START, 1, 1, 0);
    EV(g, SWEEP_START, 1, 2);
    EV(g, SWEEP_DONE, 1, 8192, 4096);
    EV(g, ASSIST_START, 1, 1);
    EV(g, ASSIST_DONE, 1);
    EV(g, GC_DONE, 1);
    EV(g, STW_DONE, 1); /* never started: an error */
    symbols(g);
    v1gen_freq(g, 1000000000);
}

static void test_gc_stw_kinds(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 50);
    static const uint64_t kinds[] = {0, 1, 3, 6, 20};
    for (size_t k = 0; k < 5; k++) {
        EV(&g, STW_START, 1, kinds[k]);
        EV(&g, STW_DONE, 1);
    }
    EV(&g, GC_START, 1, 0, 1);
    EV(&g, GC_DONE, 1);
    EV(&g, GC_START, 1, 1, 0);
    EV(&g, SWEEP_START, 1, 2);
    EV(&g, SWEEP_DONE, 1, 8192, 4096);
    EV(&g, ASSIST_START, 1, 1);
    EV(&g, ASSIST_DONE, 1);
    EV(&g, GC_DONE, 1);
    symbols(&g);
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "gc19", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 RangeBegin Time=2 Name=\"stop-the-world (GC mark termination)\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=3 Name=\"stop-the-world (GC mark termination)\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=4 Name=\"stop-the-world (GC sweep termination)\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=5 Name=\"stop-the-world (GC sweep termination)\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=6 Name=\"stop-the-world ()\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=7 Name=\"stop-the-world ()\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=8 Name=\"stop-the-world ()\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=9 Name=\"stop-the-world ()\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=10 Name=\"stop-the-world ()\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=11 Name=\"stop-the-world ()\" Scope=Goroutine(1) Attributes=[]\n"
    "M=-1 P=1000004 G=1 RangeBegin Time=12 Name=\"GC concurrent mark phase\" Scope=None\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 RangeEnd Time=13 Name=\"GC concurrent mark phase\" Scope=None Attributes=[]\n"
    "M=-1 P=1000004 G=1 RangeBegin Time=14 Name=\"GC concurrent mark phase\" Scope=None\n"
    "M=1 P=0 G=1 RangeBegin Time=15 Name=\"GC incremental sweep\" Scope=Proc(0)\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 RangeEnd Time=16 Name=\"GC incremental sweep\" Scope=Proc(0) Attributes=[\"bytes swept\"=Value{Uint64(8192)} \"bytes reclaimed\"=Value{Uint64(4096)}]\n"
    "M=1 P=0 G=1 RangeBegin Time=17 Name=\"GC mark assist\" Scope=Goroutine(1)\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 RangeEnd Time=18 Name=\"GC mark assist\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeEnd Time=19 Name=\"GC concurrent mark phase\" Scope=None Attributes=[]\n"
    "M=-1 P=-1 G=-1 Sync Time=20 N=2\n");
    g.buf[5] = '2', g.buf[6] = '1'; /* go 1.21: kinds index the 1.21 reason list */
    expect_text(&g, "gc21", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 RangeBegin Time=2 Name=\"stop-the-world ()\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=3 Name=\"stop-the-world ()\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=4 Name=\"stop-the-world (GC mark termination)\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=5 Name=\"stop-the-world (GC mark termination)\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=6 Name=\"stop-the-world (write heap dump)\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=7 Name=\"stop-the-world (write heap dump)\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=8 Name=\"stop-the-world (all goroutine stack trace)\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=9 Name=\"stop-the-world (all goroutine stack trace)\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeBegin Time=10 Name=\"stop-the-world ()\" Scope=Goroutine(1)\n"
    "M=1 P=0 G=1 RangeEnd Time=11 Name=\"stop-the-world ()\" Scope=Goroutine(1) Attributes=[]\n"
    "M=-1 P=1000004 G=1 RangeBegin Time=12 Name=\"GC concurrent mark phase\" Scope=None\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 RangeEnd Time=13 Name=\"GC concurrent mark phase\" Scope=None Attributes=[]\n"
    "M=-1 P=1000004 G=1 RangeBegin Time=14 Name=\"GC concurrent mark phase\" Scope=None\n"
    "M=1 P=0 G=1 RangeBegin Time=15 Name=\"GC incremental sweep\" Scope=Proc(0)\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 RangeEnd Time=16 Name=\"GC incremental sweep\" Scope=Proc(0) Attributes=[\"bytes swept\"=Value{Uint64(8192)} \"bytes reclaimed\"=Value{Uint64(4096)}]\n"
    "M=1 P=0 G=1 RangeBegin Time=17 Name=\"GC mark assist\" Scope=Goroutine(1)\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 RangeEnd Time=18 Name=\"GC mark assist\" Scope=Goroutine(1) Attributes=[]\n"
    "M=1 P=0 G=1 RangeEnd Time=19 Name=\"GC concurrent mark phase\" Scope=None Attributes=[]\n"
    "M=-1 P=-1 G=-1 Sync Time=20 N=2\n");
    v1gen_free(&g);
    build_gc(&g, 19);
    expect_error(&g, "gc-bogus", TT_ERR_ORDER, "bogus STW end");
    v1gen_free(&g);
}

/* Every block reason, unblocks from netpoll and the timer goroutine. */
static void test_block_reasons(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 100);
    for (uint64_t id = 2; id <= 11; id++)
        EV(&g, GO_CREATE, 1, id, 0, 1);
    EV(&g, GO_SLEEP, 1, 1);
    static const unsigned blk[] = {GO_BLOCK, GO_BLOCK_SEND, GO_BLOCK_RECV, GO_BLOCK_SELECT,
                                   GO_BLOCK_SYNC, GO_BLOCK_COND, GO_BLOCK_NET, GO_BLOCK_GC,
                                   GO_SCHED, GO_STOP};
    for (uint64_t i = 0; i < 10; i++) {
        EV(&g, GO_START, 1, 2 + i, 1);
        EV(&g, blk[i], 1, i % 2 ? 1 : 0);
    }
    EV(&g, GO_START, 1, 10, 2);         /* g10 was only descheduled */
    EV(&g, GO_UNBLOCK, 1, 8, 2, 1);     /* g8 blocked on the network: netpoll P */
    EV(&g, GO_UNBLOCK_LOCAL, 1, 2, 0); /* timer goroutine: timer P */
    EV(&g, GO_PREEMPT, 1, 0);
    EV(&g, GO_START, 1, 2, 3);
    EV(&g, GO_END, 1);
    EV(&g, TIMER_GOROUTINE, 10);
    symbols(&g);
    v1gen_freq(&g, 2000000000); /* 2 ticks per ns */
    expect_text(&g, "reasons", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=2 GoID=2 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=3 GoID=3 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=4 GoID=4 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=5 GoID=5 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=6 GoID=6 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=7 GoID=7 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=8 GoID=8 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=9 GoID=9 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=10 GoID=10 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=11 GoID=11 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=12 GoID=1 Running->Waiting Reason=\"sleep\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=13 GoID=2 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=2 StateTransition Time=14 GoID=2 Running->Waiting Reason=\"\"\n"
    "M=1 P=0 G=3 StateTransition Time=15 GoID=3 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=3 StateTransition Time=16 GoID=3 Running->Waiting Reason=\"chan send\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=4 StateTransition Time=17 GoID=4 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=4 StateTransition Time=18 GoID=4 Running->Waiting Reason=\"chan receive\"\n"
    "M=1 P=0 G=5 StateTransition Time=19 GoID=5 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=5 StateTransition Time=20 GoID=5 Running->Waiting Reason=\"select\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=6 StateTransition Time=21 GoID=6 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=6 StateTransition Time=22 GoID=6 Running->Waiting Reason=\"sync\"\n"
    "M=1 P=0 G=7 StateTransition Time=23 GoID=7 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=7 StateTransition Time=24 GoID=7 Running->Waiting Reason=\"sync.(*Cond).Wait\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=8 StateTransition Time=25 GoID=8 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=8 StateTransition Time=26 GoID=8 Running->Waiting Reason=\"network\"\n"
    "M=1 P=0 G=9 StateTransition Time=27 GoID=9 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=9 StateTransition Time=28 GoID=9 Running->Waiting Reason=\"GC mark assist wait for work\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=10 StateTransition Time=29 GoID=10 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=10 StateTransition Time=30 GoID=10 Running->Runnable Reason=\"runtime.Gosched\"\n"
    "M=1 P=0 G=11 StateTransition Time=31 GoID=11 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=11 StateTransition Time=32 GoID=11 Running->Waiting Reason=\"forever\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=10 StateTransition Time=33 GoID=10 Runnable->Running Reason=\"\"\n"
    "M=-1 P=1000002 G=10 StateTransition Time=34 GoID=8 Waiting->Runnable Reason=\"\"\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=-1 P=1000001 G=10 StateTransition Time=35 GoID=2 Waiting->Runnable Reason=\"\"\n"
    "M=1 P=0 G=10 StateTransition Time=36 GoID=10 Running->Runnable Reason=\"preempted\"\n"
    "M=1 P=0 G=2 StateTransition Time=37 GoID=2 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=2 StateTransition Time=38 GoID=2 Running->NotExist Reason=\"\"\n"
    "M=-1 P=-1 G=-1 Sync Time=39 N=2\n");
    v1gen_free(&g);
}

/* Tasks (parent none and remembered names), regions, logs, labels, samples. */
static void test_tasks_regions_logs(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 10);
    v1gen_string(&g, 4, "task0");
    v1gen_string(&g, 5, "region0");
    v1gen_string(&g, 6, "key");
    v1gen_string(&g, 7, "GC (dedicated)");
    EV(&g, TASK_CREATE, 1, 1, 0, 4, 1);
    EV(&g, TASK_CREATE, 1, 2, 1, 4, 0);
    EV(&g, USER_REGION, 1, 1, 0, 5, 1);
    v1gen_log(&g, 1, 1, 6, 1, "hello \"world\"");
    v1gen_log(&g, 1, 2, 6, 0, "hello \"world\"");
    v1gen_log(&g, 1, 2, 6, 0, "");
    EV(&g, USER_REGION, 1, 1, 1, 5, 0);
    EV(&g, TASK_END, 1, 2, 0);
    EV(&g, TASK_END, 1, 1, 2);
    EV(&g, TASK_END, 1, 9, 0); /* unknown task */
    EV(&g, GO_CREATE, 1, 2, 0, 0);
    EV(&g, GO_SCHED, 1, 0);
    EV(&g, GO_START_LABEL, 1, 2, 1, 7);
    EV(&g, CPU_SAMPLE, 0, 25, 0, 2, 1);
    EV(&g, CPU_SAMPLE, 0, 24, UINT64_MAX, 0, 2); /* no P, no G */
    EV(&g, GO_END, 2);
    symbols(&g);
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "tasks", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 TaskBegin Time=2 ID=1 Parent=18446744073709551615 Type=\"task0\"\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 TaskBegin Time=3 ID=2 Parent=1 Type=\"task0\"\n"
    "M=1 P=0 G=1 RegionBegin Time=4 Task=1 Type=\"region0\"\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 Log Time=5 Task=1 Category=\"key\" Message=\"hello \\\"world\\\"\"\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 Log Time=6 Task=2 Category=\"key\" Message=\"hello \\\"world\\\"\"\n"
    "M=1 P=0 G=1 Log Time=7 Task=2 Category=\"key\" Message=\"\"\n"
    "M=1 P=0 G=1 RegionEnd Time=8 Task=1 Type=\"region0\"\n"
    "M=1 P=0 G=1 TaskEnd Time=9 ID=2 Parent=1 Type=\"task0\"\n"
    "M=1 P=0 G=1 TaskEnd Time=10 ID=1 Parent=0 Type=\"task0\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 TaskEnd Time=11 ID=9 Parent=18446744073709551615 Type=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=12 GoID=2 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=13 GoID=1 Running->Runnable Reason=\"runtime.Gosched\"\n"
    "M=1 P=0 G=2 StateTransition Time=14 GoID=2 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=2 Label Time=15 Label=\"GC (dedicated)\" Resource=Goroutine(2)\n"
    "M=-1 P=-1 G=-1 StackSample Time=16\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=17 GoID=2 Running->NotExist Reason=\"\"\n"
    "M=-1 P=0 G=2 StackSample Time=18\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=-1 P=-1 G=-1 Sync Time=19 N=2\n");
    v1gen_free(&g);
}

/* Merge order follows goroutine sequence numbers, not file order. */
static void test_ordering_preconditions(void **st)
{
    (void)st;
    v1gen g;
    v1gen_init(&g, 21);
    /* P1's batch comes first in the file and its events are as early as
     * P0's, but they depend on P0's. */
    v1gen_batch(&g, 1, 105);
    EV(&g, PROC_START, 0, 2);
    EV(&g, GO_START, 5, 5, 1);      /* t=110: needs GoCreate(g5) */
    EV(&g, GO_UNBLOCK, 5, 1, 2, 0); /* t=115: needs g1 blocked (seq 2) */
    EV(&g, GO_BLOCK, 1, 0);         /* t=116 */
    EV(&g, GO_START_LOCAL, 1, 1);   /* t=117: any seq */
    EV(&g, GO_UNBLOCK_LOCAL, 0, 5, 0);
    EV(&g, GO_SCHED, 1, 0);
    v1gen_batch(&g, 0, 100);
    EV(&g, GO_CREATE, 0, 1, 0, 0);
    EV(&g, PROC_START, 0, 1);
    EV(&g, GO_START, 0, 1, 1);
    EV(&g, GOMAXPROCS, 0, 2, 0);
    EV(&g, GO_CREATE, 10, 5, 0, 0); /* t=110 */
    EV(&g, GO_BLOCK_RECV, 5, 0);    /* t=115 */
    EV(&g, PROC_STOP, 1);
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "order", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=2 P=1 G=-1 StateTransition Time=5 ProcID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=10 GoID=5 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "M=2 P=1 G=5 StateTransition Time=11 GoID=5 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=15 GoID=1 Running->Waiting Reason=\"chan receive\"\n"
    "M=2 P=1 G=5 StateTransition Time=16 GoID=1 Waiting->Runnable Reason=\"\"\n"
    "M=1 P=0 G=-1 StateTransition Time=17 ProcID=0 Running->Idle Reason=\"\"\n"
    "M=2 P=1 G=5 StateTransition Time=18 GoID=5 Running->Waiting Reason=\"\"\n"
    "M=2 P=1 G=1 StateTransition Time=19 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=2 P=1 G=1 StateTransition Time=20 GoID=5 Waiting->Runnable Reason=\"\"\n"
    "M=2 P=1 G=1 StateTransition Time=21 GoID=1 Running->Runnable Reason=\"runtime.Gosched\"\n"
    "M=-1 P=-1 G=-1 Sync Time=22 N=2\n");

    /* a start whose sequence number never comes */
    v1gen_free(&g);
    prelude(&g, 19, 100);
    EV(&g, GO_CREATE, 1, 2, 0, 0);
    EV(&g, GO_BLOCK, 1, 0);
    EV(&g, GO_START, 1, 2, 7);
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "noorder", TT_ERR_ORDER, "no consistent ordering");
    v1gen_free(&g);
}

/* GoSysExit real times: checked against the last GoSysBlock/GoInSyscall. */
static void test_sysexit_times(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 100);
    EV(&g, GO_CREATE, 1, 2, 0, 0);
    EV(&g, GO_SYSCALL, 1, 0);
    EV(&g, GO_SYSBLOCK, 1);          /* t=103 */
    EV(&g, GO_START, 1, 2, 1);
    EV(&g, GO_SYSEXIT, 1, 1, 2, 90); /* exit before the block */
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "sysexit-early", TT_ERR_ORDER, "time stamps out of order");
    v1gen_free(&g);

    v1gen_init(&g, 19);
    v1gen_batch(&g, 0, 100);
    EV(&g, GO_CREATE, 0, 1, 0, 0);
    EV(&g, GO_WAITING, 0, 1);
    EV(&g, PROC_START, 0, 1);
    EV(&g, GOMAXPROCS, 0, 4, 0);
    EV(&g, GO_SYSEXIT, 1, 1, 2, 90); /* never blocked in a syscall */
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "sysexit-stray", TT_ERR_ORDER, "stray syscall exit");
    v1gen_free(&g);

    /* GoInSyscall counts as the block; the real time moves the exit back */
    v1gen_init(&g, 19);
    v1gen_batch(&g, 0, 100);
    EV(&g, GO_CREATE, 0, 1, 0, 0);
    EV(&g, GO_INSYSCALL, 1, 1);      /* t=101 */
    EV(&g, PROC_START, 0, 1);
    EV(&g, GOMAXPROCS, 0, 4, 0);
    EV(&g, HEAP_ALLOC, 5, 1);        /* t=106 */
    EV(&g, HEAP_ALLOC, 5, 2);        /* t=111 */
    EV(&g, GO_SYSEXIT, 5, 1, 2, 104); /* emitted at 116, exited at 104 */
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "sysexit", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=-1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Syscall Reason=\"\"\n"
    "M=1 P=0 G=-1 StateTransition Time=2 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=-1 P=1000003 G=1 StateTransition Time=4 GoID=1 Syscall->Runnable Reason=\"\"\n"
    "M=1 P=0 G=-1 Metric Time=6 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(1)}\n"
    "M=1 P=0 G=-1 Metric Time=11 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(2)}\n"
    "M=-1 P=-1 G=-1 Sync Time=12 N=2\n");
    v1gen_free(&g);

    /* two exits moved back, one onto the time of another event (stable) */
    v1gen_init(&g, 19);
    v1gen_batch(&g, 0, 100);
    EV(&g, GO_CREATE, 0, 1, 0, 0);
    EV(&g, GO_INSYSCALL, 1, 1);
    EV(&g, GO_CREATE, 0, 2, 0, 0);
    EV(&g, GO_INSYSCALL, 0, 2);
    EV(&g, PROC_START, 0, 1);
    EV(&g, GOMAXPROCS, 0, 4, 0);
    EV(&g, HEAP_ALLOC, 5, 1);         /* t=106 */
    EV(&g, HEAP_ALLOC, 5, 2);         /* t=111 */
    EV(&g, GO_SYSEXIT, 5, 1, 2, 106); /* 116 -> 106, after the HeapAlloc */
    EV(&g, GO_SYSEXIT, 1, 2, 2, 104); /* 117 -> 104 */
    EV(&g, HEAP_ALLOC, 0, 3);         /* t=117 */
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "sysexit2", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=-1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Syscall Reason=\"\"\n"
    "M=-1 P=0 G=2 StateTransition Time=2 GoID=2 Undetermined->Syscall Reason=\"\"\n"
    "M=1 P=0 G=-1 StateTransition Time=3 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=-1 P=1000003 G=2 StateTransition Time=4 GoID=2 Syscall->Runnable Reason=\"\"\n"
    "M=1 P=0 G=-1 Metric Time=6 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(1)}\n"
    "M=-1 P=1000003 G=1 StateTransition Time=7 GoID=1 Syscall->Runnable Reason=\"\"\n"
    "M=1 P=0 G=-1 Metric Time=11 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(2)}\n"
    "M=1 P=0 G=-1 Metric Time=17 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(3)}\n"
    "M=-1 P=-1 G=-1 Sync Time=18 N=2\n");
    v1gen_free(&g);
}

/* Retime's errors are found while merging but reported only once the merge
 * succeeded: a merge error later in the trace wins. */
static void test_retime_errors(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 100);
    EV(&g, GO_CREATE, 100, 2, 0, 0); /* t=200 */
    v1gen_batch(&g, 1, 150);
    EV(&g, GO_START, 0, 2, 1);       /* t=150, ready only after t=200 */
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "order-back", TT_ERR_ORDER,
                 "time stamps out of order (GoStart after GoCreate, event 5)");
    v1gen_batch(&g, 2, 300);
    EV(&g, GO_START, 0, 3, 1);       /* g3 never created */
    expect_error(&g, "order-back-then-stuck", TT_ERR_ORDER, "no consistent ordering");
    v1gen_free(&g);
}

/* check()'s messages give the time of the failing event in ns (computed only
 * for the message). */
static void test_check_error_times(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 100);
    EV(&g, HEAP_ALLOC, 1000, 1);
    EV(&g, PROC_START, 234, 1); /* t=1334: 1234 ns after the first event */
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "pstart-time", TT_ERR_ORDER, "p 0 is running before start (time 1234)");
    v1gen_free(&g);

    prelude(&g, 19, 100);
    EV(&g, GO_SCHED, 1000, 0);  /* g1 runnable, the P runs no goroutine */
    EV(&g, HEAP_ALLOC, 1, 1);
    EV(&g, GO_SYSCALL, 233, 0); /* by g0, t=1334 */
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "g0-time", TT_ERR_ORDER, "g 0 did GoSysCall (time 1234)");
    v1gen_free(&g);
}

/* Check behind the merge (ck_spec): g1 blocks in a syscall on P0 at t=103;
 * on P1, g2 unblocks g1 (t=110), g1 runs and blocks (t=112, 114); P0 then
 * writes g1's syscall exit at t=120 with real time rts, which retime() moves
 * back. The unblock involves g1 while its syscall is open, so the thread
 * holds it until the exit is merged; the result must be check()'s after
 * retime() in every case. two_exits adds a second exit of g1 (rts2) with no
 * block of its own: it arrives behind what the thread checked, which then
 * drops its result (check() runs after retime()). */
static void build_held(v1gen *g, uint64_t rts, uint64_t rts2)
{
    prelude(g, 19, 100);
    EV(g, GO_CREATE, 1, 2, 0, 0); /* t=101: g2 */
    EV(g, GO_SYSCALL, 1, 0);      /* t=102 */
    EV(g, GO_SYSBLOCK, 1);        /* t=103 */
    v1gen_batch(g, 1, 106);
    EV(g, PROC_START, 0, 2);
    EV(g, GO_START, 0, 2, 1);     /* t=106: g2 on P1 */
    EV(g, GO_UNBLOCK, 4, 1, 2, 0); /* t=110: g1 (seq 2) */
    EV(g, GO_SCHED, 1, 0);        /* t=111 */
    EV(g, GO_START, 1, 1, 3);     /* t=112: g1 on P1 */
    EV(g, GO_BLOCK, 2, 0);        /* t=114 */
    if (rts2) {
        EV(g, GO_START, 10, 1, 5); /* t=124: g1 again, after the exit */
        EV(g, GO_BLOCK, 1, 0);     /* t=125 */
        EV(g, HEAP_ALLOC, 3, 9);   /* t=128 */
    }
    v1gen_batch(g, 0, 118);
    EV(g, GO_SYSEXIT, 2, 1, 4, rts); /* t=120 */
    EV(g, HEAP_ALLOC, 1, 7);         /* t=121 */
    if (rts2) {
        v1gen_batch(g, 0, 130);
        EV(g, GO_SYSEXIT, 0, 1, 6, rts2); /* t=130 */
    }
    v1gen_freq(g, 1000000000);
}

/* Loads g once with parse and check beside the merge, the check right
 * behind each merged event (tt_v1_threads 3): succeeds iff ok, with
 * tt_v1_ckres ckres, and its next event held at least once iff held. */
static void expect_behind(const v1gen *g, const char *name, int ok, int ckres, int held)
{
    rec r;
    tt_err err;
    tt_v1_threads = 3;
    tt_status st = load(g, name, &r, &err);
    tt_v1_threads = 1;
    rec_free(&r);
    assert_int_equal(tt_v1_par, 1);
    assert_int_equal(st == TT_OK, ok);
    assert_int_equal(tt_v1_ckres, ckres);
    assert_int_equal(tt_v1_ck_held > 0, held);
}

/* build_held()'s events as delivered, up to the HeapAlloc at 21 */
#define HELD_TEXT \
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n" \
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n" \
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n" \
    "M=1 P=0 G=1 StateTransition Time=2 GoID=2 NotExist->Runnable Reason=\"\"\n" \
    "TransitionStack=\n" \
    "\n" \
    "M=1 P=0 G=1 StateTransition Time=3 GoID=1 Running->Syscall Reason=\"\"\n" \
    "M=2 P=1 G=-1 StateTransition Time=6 ProcID=1 Undetermined->Running Reason=\"\"\n" \
    "M=2 P=1 G=2 StateTransition Time=7 GoID=2 Runnable->Running Reason=\"\"\n" \
    "M=2 P=1 G=2 StateTransition Time=10 GoID=1 Waiting->Runnable Reason=\"\"\n" \
    "M=2 P=1 G=2 StateTransition Time=11 GoID=2 Running->Runnable Reason=\"runtime.Gosched\"\n" \
    "M=2 P=1 G=1 StateTransition Time=12 GoID=1 Runnable->Running Reason=\"\"\n" \
    "M=2 P=1 G=1 StateTransition Time=14 GoID=1 Running->Waiting Reason=\"\"\n" \
    "M=-1 P=1000003 G=1 StateTransition Time=16 GoID=1 Syscall->Runnable Reason=\"\"\n" \
    "M=1 P=0 G=-1 Metric Time=21 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(7)}\n"

static void test_check_behind_merge(void **st)
{
    (void)st;
    v1gen g;
    /* the exit moves before the unblock: the unblock finds g1 runnable;
     * found behind the merge (2) */
    build_held(&g, 105, 0);
    expect_error(&g, "held-early", TT_ERR_ORDER, "g 1 is not waiting before unpark (time 10)");
    expect_behind(&g, "held-early", 0, 2, 1);
    v1gen_free(&g);
    /* between the unblock and g1's start: the exit finds g1 runnable */
    build_held(&g, 111, 0);
    expect_error(&g, "held-mid", TT_ERR_ORDER,
                 "g 1 is not waiting during syscall exit (time 11)");
    expect_behind(&g, "held-mid", 0, 2, 1);
    v1gen_free(&g);
    /* after g1 blocked again: valid, checked behind the merge (1) */
    build_held(&g, 116, 0);
    expect_text(&g, "held-late", HELD_TEXT "M=-1 P=-1 G=-1 Sync Time=22 N=2\n");
    expect_behind(&g, "held-late", 1, 1, 1);
    v1gen_free(&g);
    /* a second exit with no block of its own, moved back behind events
     * already checked: dropped (3), check() after retime() finds it */
    build_held(&g, 116, 117);
    expect_error(&g, "two-exits", TT_ERR_ORDER,
                 "g 1 is not waiting during syscall exit (time 17)");
    expect_behind(&g, "two-exits", 0, 3, 1);
    v1gen_free(&g);
    /* the same after g1's second block: valid once in the final order */
    build_held(&g, 116, 126);
    expect_text(&g, "two-exits-valid", /* as go tool trace -d=parsed */
    HELD_TEXT
    "M=2 P=1 G=1 StateTransition Time=24 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=2 P=1 G=1 StateTransition Time=25 GoID=1 Running->Waiting Reason=\"\"\n"
    "M=-1 P=1000003 G=1 StateTransition Time=26 GoID=1 Syscall->Runnable Reason=\"\"\n"
    "M=2 P=1 G=-1 Metric Time=28 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(9)}\n"
    "M=-1 P=-1 G=-1 Sync Time=29 N=2\n");
    expect_behind(&g, "two-exits-valid", 1, 3, 1);
    v1gen_free(&g);
}

/* A GoSysCall blocked in the syscall when its goroutine's next event is a
 * GoSysBlock, not when another event of it comes first. */
static void test_syscall_next(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 100);
    EV(&g, GO_SYSCALL, 1, 1);  /* g1, t=101: then a HeapAlloc of g1 */
    EV(&g, HEAP_ALLOC, 1, 5);
    EV(&g, GO_SYSBLOCK, 1);    /* t=103: dropped */
    EV(&g, GO_SYSEXIT, 1, 1, 2, 0);
    EV(&g, GO_START, 1, 1, 3); /* t=105 */
    EV(&g, GO_SYSCALL, 1, 2);  /* t=106: blocks */
    EV(&g, GO_SYSBLOCK, 1);
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "syscall-next", /* the loader's output before this test */
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=2 GoID=1 Running->Syscall Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=3 GoID=1 Syscall->Running Reason=\"\"\n"
    "M=1 P=0 G=1 Metric Time=4 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(5)}\n"
    "M=-1 P=1000003 G=1 StateTransition Time=5 GoID=1 Syscall->Runnable Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=6 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=7 GoID=1 Running->Syscall Reason=\"\"\n"
    "M=-1 P=-1 G=-1 Sync Time=8 N=2\n");
    v1gen_free(&g);
}

/* Values that do not fit the compact event record: large stack ids, seqs,
 * task ids, sizes and thread ids take the slow paths (pool, extension). */
static void test_wide_values(void **st)
{
    (void)st;
    v1gen g;
    const uint64_t big = (uint64_t)1 << 40, stk = 3000000;
    v1gen_init(&g, 21);
    v1gen_batch(&g, 0, 100);
    EV(&g, GO_CREATE, 0, 1, 0, 0);
    EV(&g, PROC_START, 0, (uint64_t)1 << 35);
    EV(&g, GO_START, 0, 1, 1);
    EV(&g, GOMAXPROCS, 0, 4, stk);
    EV(&g, GO_CREATE, 1, 2, stk, stk);
    EV(&g, GO_CREATE, 1, 3, 70000, 0); /* beyond 16 bits */
    EV(&g, GO_SCHED, 1, stk);
    EV(&g, GO_START, 1, 2, 1);
    EV(&g, GO_BLOCK_SEND, 1, stk);
    EV(&g, GO_START, 1, 1, 2);
    EV(&g, GO_UNBLOCK, 1, 2, 2, stk);
    EV(&g, HEAP_ALLOC, 1, big);
    EV(&g, SWEEP_START, 1, stk);
    EV(&g, SWEEP_DONE, 1, big, big + 1);
    EV(&g, TASK_CREATE, 1, big, big + 1, 1, stk);
    EV(&g, USER_REGION, 1, big, 0, 1, stk);
    v1gen_log(&g, 1, big, 1, stk, "msg");
    EV(&g, USER_REGION, 1, big, 1, 1, stk);
    EV(&g, TASK_END, 1, big, stk);
    uint64_t fr[] = {0x1234, 1, 2, 7};
    v1gen_stack(&g, stk, 1, fr);
    v1gen_stack(&g, 70000, 1, fr);
    symbols(&g);
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "wide", 
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=34359738368 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=34359738368 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=34359738368 P=0 G=1 StateTransition Time=2 GoID=2 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 StateTransition Time=3 GoID=3 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 StateTransition Time=4 GoID=1 Running->Runnable Reason=\"runtime.Gosched\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=2 StateTransition Time=5 GoID=2 Runnable->Running Reason=\"\"\n"
    "M=34359738368 P=0 G=2 StateTransition Time=6 GoID=2 Running->Waiting Reason=\"chan send\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 StateTransition Time=7 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=34359738368 P=0 G=1 StateTransition Time=8 GoID=2 Waiting->Runnable Reason=\"\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 Metric Time=9 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(1099511627776)}\n"
    "M=34359738368 P=0 G=1 RangeBegin Time=10 Name=\"GC incremental sweep\" Scope=Proc(0)\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 RangeEnd Time=11 Name=\"GC incremental sweep\" Scope=Proc(0) Attributes=[\"bytes swept\"=Value{Uint64(1099511627776)} \"bytes reclaimed\"=Value{Uint64(1099511627777)}]\n"
    "M=34359738368 P=0 G=1 TaskBegin Time=12 ID=1099511627776 Parent=1099511627777 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 RegionBegin Time=13 Task=1099511627776 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 Log Time=14 Task=1099511627776 Category=\"main.main\" Message=\"msg\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 RegionEnd Time=15 Task=1099511627776 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=34359738368 P=0 G=1 TaskEnd Time=16 ID=1099511627776 Parent=1099511627777 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=-1 P=-1 G=-1 Sync Time=17 N=2\n");
    v1gen_free(&g);
}

/* Values at the edges of the record's packed forms: task ids of 20 bits and
 * one more, stack ids of 12 bits and one more (both defined, so that a wrong
 * one shows), a new goroutine's stack id beyond 32 bits, and timestamps
 * that do not fit the record's 38-bit offsets (gaps of 2^38 ticks, a
 * syscall exit's real time and CPU samples far from their batch). */
static void build_packed_limits(v1gen *g)
{
    const uint64_t t1 = ((uint64_t)1 << 20) - 1, t2 = (uint64_t)1 << 20, gap = (uint64_t)1 << 38;
    prelude(g, 21, 100);
    EV(g, GO_CREATE, 1, 2, 4096, 4095);
    EV(g, GO_CREATE, 1, 3, ((uint64_t)1 << 32) + 4096, 4096);
    EV(g, TASK_CREATE, 1, t1, 0, 1, 4095);
    EV(g, TASK_CREATE, gap, t2, t1, 3, 4096);
    EV(g, USER_REGION, 1, t1, 0, 1, 4095);
    EV(g, USER_REGION, 1, t2, 0, 3, 4096);
    v1gen_log(g, 1, t2, 1, 4096, "m");
    v1gen_log(g, gap, t1, 3, 4095, "n");
    EV(g, USER_REGION, 1, t2, 1, 3, 4096);
    EV(g, USER_REGION, 1, t1, 1, 1, 4095);
    EV(g, TASK_END, 1, t2, 4096);
    EV(g, TASK_END, 1, t1, 4095);
    EV(g, GO_BLOCK_SEND, 1, 4096); /* g1 waits */
    EV(g, GO_START, 1, 2, 1);
    EV(g, GO_UNBLOCK_LOCAL, gap, 1, 4096);
    EV(g, GO_SYSCALL, 1, 4095);
    EV(g, GO_BLOCK_RECV, 1, 4095); /* g2 waits */
    EV(g, GO_START_LOCAL, 1, 1);
    EV(g, GO_UNBLOCK_LOCAL, 1, 2, 4095);
    EV(g, GO_SCHED, 1, 4096);
    EV(g, CPU_SAMPLE, 0, 100 + 5 * gap, 0, 1, 4095);
    EV(g, CPU_SAMPLE, 0, 100 + gap / 2, 0, 1, 4096);
    uint64_t f1[] = {0x1234, 1, 2, 7}, f2[] = {0x5678, 3, 2, 9};
    v1gen_stack(g, 4095, 1, f1);
    v1gen_stack(g, 4096, 1, f2);
    symbols(g);
    v1gen_freq(g, 1000000000);
}

static void test_packed_limits(void **st)
{
    (void)st;
    v1gen g;
    build_packed_limits(&g);
    expect_text(&g, "packed_limits",
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=2 GoID=2 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=3 GoID=3 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 TaskBegin Time=4 ID=1048575 Parent=18446744073709551615 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=-1 P=0 G=1 StackSample Time=137438953472\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 TaskBegin Time=274877906947 ID=1048576 Parent=1048575 Type=\"main.worker\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 RegionBegin Time=274877906948 Task=1048575 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 RegionBegin Time=274877906949 Task=1048576 Type=\"main.worker\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 Log Time=274877906950 Task=1048576 Category=\"main.main\" Message=\"m\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 Log Time=549755813894 Task=1048575 Category=\"main.worker\" Message=\"n\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 RegionEnd Time=549755813895 Task=1048576 Type=\"main.worker\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 RegionEnd Time=549755813896 Task=1048575 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 TaskEnd Time=549755813897 ID=1048576 Parent=1048575 Type=\"main.worker\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=1 TaskEnd Time=549755813898 ID=1048575 Parent=0 Type=\"main.main\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=549755813899 GoID=1 Running->Waiting Reason=\"chan send\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=549755813900 GoID=2 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=2 StateTransition Time=824633720844 GoID=1 Waiting->Runnable Reason=\"\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=824633720845 GoID=2 Running->Syscall Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=824633720846 GoID=2 Syscall->Running Reason=\"\"\n"
    "M=1 P=0 G=2 StateTransition Time=824633720847 GoID=2 Running->Waiting Reason=\"chan receive\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=824633720848 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=824633720849 GoID=2 Waiting->Runnable Reason=\"\"\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=824633720850 GoID=1 Running->Runnable Reason=\"runtime.Gosched\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x5678\n"
    "\t\t/src/main.go:9\n"
    "\n"
    "M=-1 P=0 G=1 StackSample Time=1374389534720\n"
    "Stack=\n"
    "\tmain.main @ 0x1234\n"
    "\t\t/src/main.go:7\n"
    "\n"
    "M=-1 P=-1 G=-1 Sync Time=1374389534721 N=2\n");
    v1gen_free(&g);
}

/* More distinct (string, stack) pairs than the pair table holds: the events
 * after it is full take extension words. */
static void test_pair_table_full(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 21, 100);
    for (uint64_t k = 0; k < 5000; k++) {
        char name[16];
        snprintf(name, sizeof name, "r%llu", (unsigned long long)k);
        v1gen_string(&g, 100 + k, name);
        EV(&g, USER_REGION, 1, k, 0, 100 + k, 1 + k % 2);
        EV(&g, USER_REGION, 1, k, 1, 100 + k, 1 + k % 2);
    }
    symbols(&g);
    v1gen_freq(&g, 1000000000);
    rec r;
    tt_err err;
    assert_int_equal(load(&g, "pair_table_full", &r, &err), TT_OK);
    const char *last = "G=1 RegionEnd Time=10001 Task=4999 Type=\"r4999\"\nStack=\n"
                       "\tmain.worker @ 0x402000\n";
    if (!strstr(r.text, last))
        fail_msg("output lacks \"%s\": %s", last, r.text + r.len - 400);
    expect_text(&g, "pair_table_full", r.text);
    rec_free(&r);
    v1gen_free(&g);
}

/* The record's own limits (12 bytes: a 20-bit goroutine index, a 19-bit
 * signed time field): goroutine indices 2^20 - 1 (the last one a record
 * holds) and 2^20, 2^20 + 1 (wide records); TimerGoroutine events (not
 * delivered) use up the indices before them. */
static void build_g_limit(v1gen *g)
{
    v1gen_init(g, 21);
    v1gen_batch(g, 0, 100);
    for (uint64_t k = 0; k < ((uint64_t)1 << 20) - 2; k++) /* dense 1 .. 2^20 - 2 */
        EV(g, TIMER_GOROUTINE, 100 + k);
    EV(g, GO_CREATE, 0, 1, 0, 1); /* g1: dense 2^20 - 1 */
    EV(g, PROC_START, 0, 1);
    EV(g, GO_START, 0, 1, 1);
    EV(g, GOMAXPROCS, 0, 4, 0);
    EV(g, GO_CREATE, 1, 2, 0, 2); /* g2: dense 2^20 */
    EV(g, GO_CREATE, 1, 3, 0, 0); /* g3: dense 2^20 + 1 */
    EV(g, GO_BLOCK, 1, 1);
    EV(g, GO_START, 1, 2, 1);
    EV(g, GO_UNBLOCK, 1, 1, 2, 2);
    EV(g, GO_END, 1);
    EV(g, GO_START_LOCAL, 1, 3);
    EV(g, GO_BLOCK_SEND, 1, 2);
    EV(g, GO_START, 1, 1, 3);
    EV(g, GO_UNBLOCK_LOCAL, 1, 3, 1);
    EV(g, GO_SYSCALL, 1, 1);
    symbols(g);
    v1gen_freq(g, 1000000000);
}

/* Times at the edges of the time field: parsed deltas 2^18 - 1 and 2^18,
 * merged offsets from the page's base (256 events) of 2^18 - 1, 2^18, and,
 * for syscall exits moved back before the base of their page, -2^18 and
 * -2^18 - 1. */
static void build_ts_limit(v1gen *g)
{
    const uint64_t m = (uint64_t)1 << 18;
    prelude(g, 21, 100);                /* positions 0-3, t=100 */
    EV(g, GO_CREATE, 0, 2, 0, 0);       /* 4 */
    EV(g, GO_CREATE, 0, 3, 0, 0);       /* 5 */
    EV(g, GO_INSYSCALL, 1, 2);          /* 6, t=101 */
    EV(g, GO_INSYSCALL, 0, 3);          /* 7 */
    EV(g, HEAP_ALLOC, m - 1, 1);        /* 8: delta and offset 2^18 - 1 */
    EV(g, HEAP_ALLOC, 1, 2);            /* 9: offset 2^18 */
    EV(g, HEAP_ALLOC, m, 3);            /* 10: delta 2^18 */
    for (uint64_t k = 11; k < 256; k++)
        EV(g, HEAP_ALLOC, 1, k);
    uint64_t tb = 2 * m + 101 + 245 + 1000; /* position 256: the next page's base */
    EV(g, HEAP_ALLOC, 1000, 256);
    EV(g, GO_SYSEXIT, 1, 2, 2, tb - m);     /* 257 -> offset -2^18 */
    EV(g, GO_SYSEXIT, 1, 3, 2, tb - m - 1); /* 258 -> offset -2^18 - 1 */
    EV(g, HEAP_ALLOC, 1, 259);
    symbols(g);
    v1gen_freq(g, 1000000000);
}

static void test_record_g_limit(void **st)
{
    (void)st;
    v1gen g;
    build_g_limit(&g);
    expect_text(&g, "g_limit",
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=2 GoID=2 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=3 GoID=3 NotExist->Runnable Reason=\"\"\n"
    "TransitionStack=\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=4 GoID=1 Running->Waiting Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=5 GoID=2 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=2 StateTransition Time=6 GoID=1 Waiting->Runnable Reason=\"\"\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=2 StateTransition Time=7 GoID=2 Running->NotExist Reason=\"\"\n"
    "M=1 P=0 G=3 StateTransition Time=8 GoID=3 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=3 StateTransition Time=9 GoID=3 Running->Waiting Reason=\"chan send\"\n"
    "TransitionStack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=10 GoID=1 Runnable->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=11 GoID=3 Waiting->Runnable Reason=\"\"\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=12 GoID=1 Running->Syscall Reason=\"\"\n"
    "TransitionStack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "Stack=\n"
    "\tmain.main @ 0x401000\n"
    "\t\t/src/main.go:10\n"
    "\tmain.worker @ 0x402000\n"
    "\t\t/src/main.go:20\n"
    "\n"
    "M=1 P=0 G=1 StateTransition Time=13 GoID=1 Syscall->Running Reason=\"\"\n"
    "M=-1 P=-1 G=-1 Sync Time=14 N=2\n");
    v1gen_free(&g);
}

static void test_record_ts_limit(void **st)
{
    (void)st;
    v1gen g;
    build_ts_limit(&g);
    rec want;
    memset(&want, 0, sizeof want);
    put(&want, "%s",
        "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
        "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
        "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
        "M=1 P=0 G=1 StateTransition Time=2 GoID=2 NotExist->Runnable Reason=\"\"\n"
        "TransitionStack=\n"
        "\n"
        "M=1 P=0 G=1 StateTransition Time=3 GoID=3 NotExist->Runnable Reason=\"\"\n"
        "TransitionStack=\n"
        "\n"
        "M=1 P=0 G=2 StateTransition Time=4 GoID=2 Undetermined->Syscall Reason=\"\"\n"
        "M=1 P=0 G=3 StateTransition Time=5 GoID=3 Undetermined->Syscall Reason=\"\"\n"
        "M=1 P=0 G=1 Metric Time=262144 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(1)}\n"
        "M=1 P=0 G=1 Metric Time=262145 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(2)}\n"
        "M=-1 P=1000003 G=3 StateTransition Time=263389 GoID=3 Syscall->Runnable Reason=\"\"\n"
        "M=-1 P=1000003 G=2 StateTransition Time=263390 GoID=2 Syscall->Runnable Reason=\"\"\n"
        "M=1 P=0 G=1 Metric Time=524289 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(3)}\n");
    for (unsigned k = 11; k < 255; k++) /* one tick apart */
        put(&want,
            "M=1 P=0 G=1 Metric Time=%u Name=\"/memory/classes/heap/objects:bytes\" "
            "Value=Value{Uint64(%u)}\n",
            524290 + k - 11, k);
    put(&want, "%s",
        "M=1 P=0 G=1 Metric Time=524534 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(255)}\n"
        "M=1 P=0 G=1 Metric Time=525534 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(256)}\n"
        "M=1 P=0 G=1 Metric Time=525537 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(259)}\n"
        "M=-1 P=-1 G=-1 Sync Time=525538 N=2\n");
    expect_text(&g, "ts_limit", want.text);
    free(want.text);
    v1gen_free(&g);
}

/* ---- malformed input ------------------------------------------------------------- */

static void small(v1gen *g, int minor)
{
    v1gen_init(g, minor);
    v1gen_batch(g, 0, 100);
}

static void test_errors(void **st)
{
    (void)st;
    v1gen g;

    small(&g, 19);
    v1gen_byte(&g, 0x00); /* type 0 */
    assert_int_equal(expect_error(&g, "type0", TT_ERR_FORMAT, "unknown event type 0"), 19);
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, 50);
    expect_error(&g, "type50", TT_ERR_FORMAT, "unknown event type 50");
    v1gen_free(&g);

    small(&g, 11); /* CPU samples only exist since 1.19 */
    EV(&g, CPU_SAMPLE, 0, 25, 0, 2, 1);
    expect_error(&g, "cpu11", TT_ERR_FORMAT, "unknown event type 49");
    v1gen_free(&g);

    prelude(&g, 19, 100); /* no Frequency */
    expect_error(&g, "nofreq", TT_OK, "no Frequency event");
    v1gen_free(&g);

    prelude(&g, 19, 100);
    v1gen_freq(&g, 0);
    expect_error(&g, "freq0", TT_ERR_FORMAT, "invalid frequency");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, GOMAXPROCS | 3u << 6);
    v1gen_uv(&g, 3000); /* length prefix above Go's 2048 limit */
    assert_int_equal(expect_error(&g, "biglen", TT_ERR_LIMIT, "exceeds 2048"), 19);
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, GOMAXPROCS | 3u << 6);
    v1gen_uv(&g, 100); /* more than is left */
    v1gen_uv(&g, 1);
    expect_error(&g, "shortlen", TT_ERR_TRUNCATED, "truncated event");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, GO_START | 3u << 6);
    v1gen_uv(&g, 3);
    v1gen_uv(&g, 1);
    v1gen_uv(&g, 1);
    v1gen_byte(&g, 0x80); /* a varint running past the length prefix */
    v1gen_uv(&g, 1);
    expect_error(&g, "lpvarint", TT_ERR_FORMAT, "malformed varint");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, STRING);
    v1gen_uv(&g, 1);
    v1gen_uv(&g, 2000000); /* longer than Go allows */
    expect_error(&g, "bigstr", TT_ERR_LIMIT, "string too long");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, STRING);
    v1gen_uv(&g, 1);
    v1gen_uv(&g, 100); /* longer than the file */
    v1gen_bytes(&g, "abc", 3);
    expect_error(&g, "shortstr", TT_ERR_TRUNCATED, "truncated string");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_string(&g, 0, "x");
    expect_error(&g, "str0", TT_ERR_FORMAT, "invalid id 0");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_string(&g, 3, "x");
    v1gen_string(&g, 3, "y");
    assert_int_equal(expect_error(&g, "strdup", TT_ERR_FORMAT, "duplicate string id 3"), 23);
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, STRING);
    v1gen_uv(&g, 3);
    v1gen_uv(&g, 0);
    expect_error(&g, "strlen0", TT_ERR_FORMAT, "invalid length 0");
    v1gen_free(&g);

    v1gen_init(&g, 19);
    EV(&g, PROC_START, 0, 1); /* before any batch */
    expect_error(&g, "nobatch", TT_ERR_FORMAT, "before the first batch");
    v1gen_free(&g);

    small(&g, 19);
    EV(&g, GO_START, 1); /* too few values */
    expect_error(&g, "nargs", TT_ERR_FORMAT, "GoStart has wrong number of arguments");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, HEAP_ALLOC | 1u << 6);
    for (int i = 0; i < 11; i++)
        v1gen_byte(&g, 0xff);
    expect_error(&g, "varint", TT_ERR_FORMAT, "malformed varint");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, HEAP_ALLOC | 1u << 6);
    v1gen_byte(&g, 0x81); /* cut inside a varint */
    expect_error(&g, "cutvarint", TT_ERR_TRUNCATED, "truncated event");
    v1gen_free(&g);

    v1gen_init(&g, 19);
    v1gen_batch(&g, (int64_t)1 << 40, 100);
    expect_error(&g, "bigp", TT_ERR_FORMAT, "processor id");
    v1gen_free(&g);

    small(&g, 19);
    {
        uint64_t v[2 + 4 * 1001] = {1, 1001};
        v1gen_ev_lp(&g, STACK, 6, v); /* count says 1001 frames */
    }
    expect_error(&g, "bigstack", TT_ERR_LIMIT, "1001 frames");
    v1gen_free(&g);

    small(&g, 19);
    {
        uint64_t v[] = {1, 2, 0x1000, 1, 2, 3}; /* 2 frames announced, 1 given */
        v1gen_ev_lp(&g, STACK, 6, v);
    }
    expect_error(&g, "stackcount", TT_ERR_FORMAT, "stack with wrong number of values");
    v1gen_free(&g);

    small(&g, 19);
    v1gen_byte(&g, USER_LOG | 3u << 6);
    v1gen_uv(&g, 4);
    v1gen_bytes(&g, "\x01\x01\x01\x00", 4);
    v1gen_uv(&g, 50); /* message longer than the file */
    expect_error(&g, "shortlog", TT_ERR_TRUNCATED, "truncated log message");
    v1gen_free(&g);

    /* consistency checks done after ordering */
    prelude(&g, 19, 100);
    EV(&g, PROC_START, 1, 2);
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "pstart2", TT_ERR_ORDER, "p 0 is running before start");
    v1gen_free(&g);

    prelude(&g, 19, 100);
    EV(&g, USER_REGION, 1, 1, 2, 0, 0);
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "regionmode", TT_ERR_ORDER, "invalid user region mode 2");
    v1gen_free(&g);

    prelude(&g, 19, 100);
    EV(&g, FUTILE_WAKEUP, 1);
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "futile", TT_ERR_ORDER, "FutileWakeup");
    v1gen_free(&g);

    prelude(&g, 19, 100);
    EV(&g, TASK_CREATE, 1, 1, 0, 0, 0);
    EV(&g, TASK_CREATE, 1, 1, 0, 0, 0);
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "taskdup", TT_ERR_ORDER, "task id conflicts");
    v1gen_free(&g);

    /* version and header */
    {
        rec r;
        tt_err err;
        prelude(&g, 19, 100);
        r.syms = tt_syms_new();
        assert_int_equal(tt_load_v1(g.buf, g.len, 20, r.syms, NULL, NULL, &err), TT_ERR_VERSION);
        assert_int_equal(tt_load_v1(g.buf, 10, 19, r.syms, NULL, NULL, &err), TT_ERR_TRUNCATED);
        tt_syms_free(r.syms);
        v1gen_free(&g);
    }
}

/* Every prefix of a valid trace fails cleanly (the Frequency event is at
 * the end, as Go writes it; Go's reader fails on all of them too), and
 * corrupted bytes never crash. */
static void test_truncation_and_corruption(void **st)
{
    (void)st;
    v1gen g;
    build_basic(&g, 19, 0);
    rec r;
    tt_err err;
    for (size_t n = 16; n < g.len; n++) {
        memset(&r, 0, sizeof r);
        r.syms = tt_syms_new();
        tt_sink sink = {&r, on_event, NULL, 0};
        tt_status s = tt_load_v1(g.buf, n, 19, r.syms, &sink, NULL, &err);
        assert_int_not_equal(s, TT_OK);
        assert_int_equal(r.n, 0);
        assert_true(err.offset <= n);
        rec_free(&r);
    }
    uint8_t *copy = malloc(g.len);
    assert_non_null(copy);
    static const uint8_t vals[] = {0x00, 0x01, 0x3f, 0x7f, 0x80, 0xc4, 0xe5, 0xff};
    size_t ok = 0;
    for (size_t i = 16; i < g.len; i++) {
        for (size_t k = 0; k < sizeof vals; k++) {
            memcpy(copy, g.buf, g.len);
            copy[i] = vals[k];
            memset(&r, 0, sizeof r);
            r.syms = tt_syms_new();
            tt_sink sink = {&r, on_event, NULL, 0};
            tt_load_result res;
            if (tt_load_v1(copy, g.len, 19, r.syms, &sink, &res, &err) == TT_OK) {
                ok++;
                assert_int_equal(res.events, r.n);
            } else {
                assert_int_equal(r.n, 0);
            }
            rec_free(&r);
        }
    }
    assert_true(ok > 0);
    free(copy);
    v1gen_free(&g);
}

static int stop_cb(void *ctx, const tt_event *e)
{
    (void)e;
    return ++*(int *)ctx >= 3;
}

static void test_sink_stop(void **st)
{
    (void)st;
    v1gen g;
    build_basic(&g, 19, 0);
    int n = 0;
    tt_sink sink = {&n, stop_cb, NULL, 0};
    tt_err err;
    tt_syms *s = tt_syms_new();
    assert_int_equal(tt_load_v1(g.buf, g.len, 19, s, &sink, NULL, &err), TT_ERR_STOPPED);
    assert_int_equal(n, 3);
    tt_syms_free(s);
    v1gen_free(&g);
}

/* Thousands of Ps whose next event can never run: must fail quickly (the
 * merge parks waiting Ps instead of rescanning them for every event). */
static void test_many_blocked_ps(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 100);
    for (uint64_t i = 0; i < 200000; i++)
        EV(&g, HEAP_ALLOC, 1, i);
    for (int64_t p = 1; p <= 3000; p++) {
        v1gen_batch(&g, p, 100);
        EV(&g, GO_START, 1, 1, 999999);
    }
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "blocked", TT_ERR_ORDER, "no consistent ordering");
    v1gen_free(&g);

    /* 80 Ps wait to start goroutines not created yet: parked on them, each
     * woken by its GoCreate (the wait mode's way back into the merge) */
    prelude(&g, 19, 100);
    for (uint64_t gi = 2; gi <= 81; gi++)
        EV(&g, GO_CREATE, 1, gi, 0, 0); /* t=101..180 */
    for (int64_t p = 1; p <= 80; p++) {
        v1gen_batch(&g, p, 1000 + (uint64_t)p);
        EV(&g, GO_START, 0, (uint64_t)p + 1, 1);
    }
    v1gen_freq(&g, 1000000000);
    {
        rec r;
        tt_err err;
        tt_status s = load(&g, "parked", &r, &err);
        if (s != TT_OK)
            fail_msg("parked: %s", err.msg);
        assert_non_null(strstr(r.text, "Time=980 GoID=81 Runnable->Running"));
        assert_non_null(strstr(r.text, "Time=901 GoID=2 Runnable->Running"));
        rec_free(&r);
    }
    v1gen_free(&g);

    /* more distinct Ps than the limit */
    prelude(&g, 19, 100);
    for (int64_t p = 1; p <= 5000; p++)
        v1gen_batch(&g, p, 100);
    expect_error(&g, "manyps", TT_ERR_LIMIT, "too many Ps");
    v1gen_free(&g);
}

/* ---- releasing the event array while converting ---------------------------------- */

/* Load g with the given release step; returns the text (caller frees). */
static char *load_step(const uint8_t *buf, size_t len, int minor, size_t step, size_t *released)
{
    rec r;
    memset(&r, 0, sizeof r);
    r.syms = tt_syms_new();
    assert_non_null(r.syms);
    put(&r, "%s", "");
    tt_sink sink = {&r, on_event, NULL, 0};
    tt_err err;
    size_t saved = tt_v1_release_step;
    tt_v1_release_step = step;
    tt_status st = tt_load_v1(buf, len, minor, r.syms, &sink, NULL, &err);
    tt_v1_release_step = saved;
    if (st != TT_OK)
        fail_msg("load with release step %zu: %s", step, err.msg);
    *released = tt_v1_released;
    char *t = r.text;
    r.text = NULL;
    rec_free(&r);
    return t;
}

/* The same text whether the array behind the cursor is released or not, and
 * in steps as small as a page, where events straddle every boundary: a step
 * that dropped a page still to be read would turn events into zeros. */
static void expect_release_same(const uint8_t *buf, size_t len, int minor, size_t min_released,
                                const char *has)
{
    size_t rel0, rel1, rel2;
    char *want = load_step(buf, len, minor, 0, &rel0);
    char *pg = load_step(buf, len, minor, 1, &rel1); /* raised to the page size */
    char *big = load_step(buf, len, minor, (size_t)64 << 10, &rel2);
    assert_int_equal(rel0, 0);
    assert_true(rel1 >= min_released);
    assert_true(rel1 >= rel2);
    if (strcmp(want, pg) != 0 || strcmp(want, big) != 0)
        fail_msg("output differs when the event array is released while loading");
    for (size_t m = 1; m < NWIDE; m++) {
        size_t relw;
        tt_v1_test_wide = wide_modes[m];
        char *w = load_step(buf, len, minor, 1, &relw);
        tt_v1_test_wide = 0;
        if (strcmp(want, w) != 0)
            fail_msg("output differs in wide mode %u", wide_modes[m]);
        free(w);
    }
    if (has && !strstr(want, has))
        fail_msg("output lacks \"%s\"", has);
    free(want);
    free(pg);
    free(big);
}

/* Two Ps start the same goroutine with the same sequence number: both
 * become ready in the same scan once it is created, the first one taken
 * makes the other impossible; the merge must check an event again when it
 * leaves the heap in a later step than the one that pushed it. */
static void test_merge_recheck(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 10);
    EV(&g, GO_CREATE, 5, 2, 0, 0); /* g2 at 15 */
    for (int p = 1; p <= 2; p++) {
        v1gen_batch(&g, p, 12);
        EV(&g, PROC_START, 0, (uint64_t)p + 1);
        EV(&g, GO_START, 8, 2, 1); /* at 20, waits for the create */
    }
    v1gen_freq(&g, 1000000000);
    expect_error(&g, "recheck", TT_ERR_ORDER, "impossible goroutine state transition (GoStart");
    v1gen_free(&g);
}

/* The merge releases the parsed array up to its lowest cursor: a P that has
 * just taken the last event of a batch is at the start of its next batch,
 * not past it. With a page-size step the merge checks every 171 events
 * (relevery); the first check comes right after the last event of the
 * first batch (171 events), the second batch's 2000 must stay. */
static void test_release_batch_end(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 10); /* 4 events */
    for (int i = 0; i < 167; i++)
        EV(&g, HEAP_ALLOC, 1, 1000 + (uint64_t)i);
    v1gen_batch(&g, 0, 1000);
    for (int i = 0; i < 2000; i++)
        EV(&g, HEAP_ALLOC, 1, 5000 + (uint64_t)i);
    v1gen_freq(&g, 1000000000);
    long ps = sysconf(_SC_PAGESIZE);
    if (ps != 4096)
        skip(); /* the counts above assume 4 KiB pages */
    expect_release_same(g.buf, g.len, 19, 0, "Value{Uint64(6999)}");
    v1gen_free(&g);
}

/* Syscall exits moved back to their real time are inserted among the events
 * before them; one moved back over most of the trace goes past the insertion
 * budget and the rest take the general sort; an exit moved to a later time
 * takes the general sort. Each compared with the general sort alone
 * (TT_V1_WIDE_SORT, one of the wide modes) and with release steps. */
static void test_sysexit_insert(void **st)
{
    (void)st;
    v1gen g;
    const uint64_t ng = 60, n = 24000;
    uint64_t t = 100, next = 1;
    v1gen_init(&g, 19);
    v1gen_batch(&g, 0, t);
    for (uint64_t gi = 1; gi <= ng; gi++) {
        EV(&g, GO_CREATE, 0, gi, 0, 0);
        EV(&g, GO_INSYSCALL, 0, gi); /* blocked since t=100 */
    }
    EV(&g, PROC_START, 0, 1);
    EV(&g, GOMAXPROCS, 0, 4, 0);
    for (uint64_t i = 0; i < n; i++) {
        EV(&g, HEAP_ALLOC, 1, i);
        t++;
        if (next <= ng && i % 397 == 300) { /* back 0..270 ticks onto a HeapAlloc's time */
            EV(&g, GO_SYSEXIT, 0, next, 2, t - (i % 7) * 45);
            next++;
        }
        if (i == 20000) { /* back to t=101, over 20000 events */
            EV(&g, GO_SYSEXIT, 0, next, 2, 101);
            next++;
        }
    }
    v1gen_freq(&g, 1000000000);
    assert_true(next > 50);
    expect_release_same(g.buf, g.len, 19, 0, "Syscall->Runnable");
    v1gen_free(&g);

    v1gen_init(&g, 19);
    v1gen_batch(&g, 0, 100);
    EV(&g, GO_CREATE, 0, 1, 0, 0);
    EV(&g, GO_INSYSCALL, 1, 1);       /* t=101 */
    EV(&g, PROC_START, 0, 1);
    EV(&g, GOMAXPROCS, 0, 4, 0);
    EV(&g, HEAP_ALLOC, 3, 1);         /* t=104 */
    EV(&g, GO_SYSEXIT, 2, 1, 2, 112); /* emitted at 106, exited at 112 */
    EV(&g, HEAP_ALLOC, 5, 2);         /* t=111 */
    EV(&g, HEAP_ALLOC, 5, 3);         /* t=116 */
    v1gen_freq(&g, 1000000000);
    expect_text(&g, "sysexit-later",
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=-1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Syscall Reason=\"\"\n"
    "M=1 P=0 G=-1 StateTransition Time=2 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=-1 Metric Time=4 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(1)}\n"
    "M=1 P=0 G=-1 Metric Time=11 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(2)}\n"
    "M=-1 P=1000003 G=1 StateTransition Time=12 GoID=1 Syscall->Runnable Reason=\"\"\n"
    "M=1 P=0 G=-1 Metric Time=16 Name=\"/memory/classes/heap/objects:bytes\" Value=Value{Uint64(3)}\n"
    "M=-1 P=-1 G=-1 Sync Time=17 N=2\n");
    v1gen_free(&g);
}

/* v1_big_move: the moved blocks' contents arrive in q above what q holds
 * written, and p's range stays mapped (a hole could be taken by another
 * mapping, which freeing p would then unmap), reading zeros. */
static void test_big_move(void **st)
{
    (void)st;
    long ps = sysconf(_SC_PAGESIZE);
    assert_true(ps > 0);
    size_t pg = (size_t)ps, len = 8 * pg;
    uint8_t *p = v1_big_alloc(len), *q = v1_big_alloc(len);
    assert_non_null(p);
    assert_non_null(q);
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(i / pg + 1);
    memset(q, 0xee, pg + 10); /* q written up to pg + 10 */
    size_t done = 0, qdone = 0;
    size_t n = v1_big_move(p, 3 * pg + 5, &done, pg, q, len, pg + 10, &qdone);
    assert_int_equal(n, 3 * pg);
    assert_int_equal(done, 3 * pg);
    assert_int_equal(qdone, 5 * pg); /* pages 2, 3, 4 of q */
    assert_int_equal(msync(p, len, MS_ASYNC), 0); /* still mapped */
    for (size_t i = 0; i < 3 * pg; i++)
        assert_int_equal(p[i], 0);
    assert_int_equal(p[3 * pg], 4);
    assert_int_equal(q[pg + 9], 0xee);
    assert_int_equal(q[2 * pg], 1);
    assert_int_equal(q[4 * pg + pg - 1], 3);
    v1_big_free(p, len);
    v1_big_free(q, len);
}

static void test_release_while_converting(void **st)
{
    (void)st;
    v1gen g;
    const uint64_t big = (uint64_t)1 << 40, stk = 3000000;
    uint64_t seq = 1, gid = 2;
    prelude(&g, 21, 100);
    for (int b = 0; b < 8; b++) {
        if (b)
            v1gen_batch(&g, 0, 100 + (uint64_t)b * 1000000);
        for (int k = 0; k < 600; k++) {
            EV(&g, HEAP_ALLOC, 1, big + (uint64_t)k); /* wide: side pool */
            EV(&g, GO_CREATE, 1, gid++, stk, stk);    /* extension words */
            EV(&g, SWEEP_START, 1, stk);
            EV(&g, SWEEP_DONE, 1, (uint64_t)k, big);
            EV(&g, GO_SYSCALL, 1, stk);               /* begin + synthetic end */
            EV(&g, GO_SCHED, 1, stk);
            EV(&g, GO_START, 1, 1, ++seq);
        }
        /* P1's events fall between P0's: merged order is not file order */
        v1gen_batch(&g, 1, 100 + (uint64_t)b * 1000000);
        for (int k = 0; k < 1000; k++)
            EV(&g, HEAP_ALLOC, 3, (uint64_t)k);
        /* CPU samples far from their place in the file: late ones early in
         * it, early ones late (each one is done with twice: by the sample
         * stream and by its batch's P) */
        for (int k = 0; k < 200; k++)
            EV(&g, CPU_SAMPLE, 0, 101 + (uint64_t)(7 - b) * 1000000 + (uint64_t)k * 5, 1, 0,
               stk);
    }
    uint64_t fr[] = {0x1234, 1, 2, 7};
    v1gen_stack(&g, stk, 1, fr);
    symbols(&g);
    v1gen_freq(&g, 1000000000);
    /* 43200 events, 1 MB of array: well over a hundred page-sized steps */
    expect_release_same(g.buf, g.len, 21, (size_t)600 << 10, " StackSample Time=");
    v1gen_free(&g);
}

/* Ticks to ns as Go's reader converts them (float64, then int64 as amd64's
 * CVTTSD2SQ does): a time past int64's range gives INT64_MIN there, which
 * the loader's order then lifts to 1 ns after the event before. With a
 * frequency of 1 tick per second, 10^10 ticks are 10^19 ns. */
static void test_time_out_of_range(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 10);
    EV(&g, HEAP_ALLOC, 5, 100);                      /* 5 s after the start */
    EV(&g, HEAP_ALLOC, (uint64_t)10000000000ull, 200); /* 10^19 ns: out of range */
    EV(&g, HEAP_ALLOC, 1, 300);                      /* so is this */
    v1gen_freq(&g, 1);
    expect_text(&g, "time_range",
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n"
    "M=1 P=0 G=-1 StateTransition Time=0 ProcID=0 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 StateTransition Time=1 GoID=1 Undetermined->Running Reason=\"\"\n"
    "M=1 P=0 G=1 Metric Time=5000000000 Name=\"/memory/classes/heap/objects:bytes\" "
    "Value=Value{Uint64(100)}\n"
    "M=1 P=0 G=1 Metric Time=5000000001 Name=\"/memory/classes/heap/objects:bytes\" "
    "Value=Value{Uint64(200)}\n"
    "M=1 P=0 G=1 Metric Time=5000000002 Name=\"/memory/classes/heap/objects:bytes\" "
    "Value=Value{Uint64(300)}\n"
    "M=-1 P=-1 G=-1 Sync Time=5000000003 N=2\n");
    v1gen_free(&g);
}

/* The parse thread scans the second half of the file's framing while the
 * main thread scans the first, which takes the thread's batches once both
 * have read the same batch header (loader/v1.c, scan_half). Not knowing
 * where an event starts, the thread starts at a byte 0x41 (a batch header's
 * first byte) at or after the middle, and at the next one when reading from
 * there fails soon. halves(): K batches of two Ps, a string of `fill`
 * bytes that each fail as a start (pat 0: "A" and 12 continuation bytes,
 * no P varint; pat 1: "A", P 1 and 11 continuation bytes, no time
 * varint), K more batches, CPU samples in the second half if asked. The
 * events must equal one thread's (tt_v1_threads 0); returns tt_v1_split
 * and the start tries. */
static int halves(size_t fill, int pat, int cpu, size_t *tries, int *par)
{
    v1gen g;
    const int K = 60;
    prelude(&g, 21, 10);
    uint64_t t = 100;
    size_t sfrom = 0, sto = 0;
    for (int half = 0; half < 2; half++) {
        if (half == 1 && fill) {
            char *s = malloc(fill + 1);
            for (size_t i = 0; i < fill; i++)
                s[i] = i % 13 == 0 ? 'A' : pat && i % 13 == 1 ? 1 : (char)0x80;
            s[fill] = 0;
            sfrom = g.len;
            v1gen_string(&g, 99, s);
            sto = g.len;
            free(s);
        }
        for (int b = 0; b < K; b++) {
            v1gen_batch(&g, b % 2, t);
            for (int k = 0; k < 20; k++)
                EV(&g, HEAP_ALLOC, 1, t + (uint64_t)k);
            if (cpu && half == 1)
                EV(&g, CPU_SAMPLE, 0, t + 30, 1, 0, 0);
            t += 100;
        }
    }
    symbols(&g);
    v1gen_freq(&g, 1000000000);
    size_t mid = 16 + (g.len - 16) / 2;
    if (fill) /* the construction puts the middle inside the string */
        assert_true(sfrom < mid && mid + 24 < sto);
    rec one, two;
    tt_err e1, e2;
    tt_v1_threads = 0;
    tt_status s1 = load(&g, "halves", &one, &e1);
    tt_v1_threads = 2;
    tt_status s2 = load(&g, "halves", &two, &e2);
    tt_v1_threads = 1;
    int split = tt_v1_split;
    *tries = tt_v1_split_tries;
    *par = tt_v1_par;
    if (s1 != TT_OK || s2 != TT_OK)
        fail_msg("halves(%zu, %d, %d): %s / %s", fill, pat, cpu, e1.msg, e2.msg);
    assert_true(one.n > (size_t)(2 * K * 20));
    assert_string_equal(one.text, two.text);
    rec_free(&one);
    rec_free(&two);
    v1gen_free(&g);
    return split;
}

static void test_scan_halves(void **st)
{
    (void)st;
    size_t tries;
    int par;
    /* the middle is at a batch header or inside a batch's events: the
     * thread holds from one of its first few starts */
    assert_int_equal(halves(0, 0, 0, &tries, &par), 1);
    assert_true(tries >= 1 && tries <= 4);
    assert_int_equal(par, 1);
    /* the middle inside the string: many starts fail, then one holds */
    assert_int_equal(halves(1300, 0, 0, &tries, &par), 1);
    assert_true(tries > 20);
    assert_int_equal(par, 1);
    assert_int_equal(halves(1300, 1, 0, &tries, &par), 1);
    assert_true(tries > 20);
    assert_int_equal(par, 1);
    /* so many that the thread gives up: the main thread reads on alone */
    assert_int_equal(halves(9000, 0, 0, &tries, &par), 0);
    assert_true(tries > 200);
    assert_int_equal(par, 1);
    /* CPU samples in the second half: both scans stop, parse runs first */
    assert_int_equal(halves(0, 0, 1, &tries, &par), 0);
    assert_int_equal(par, 2);
}

/* ---- real traces ------------------------------------------------------------------ */

/* load_dir(): loads with parse on a second thread beside the merge, those
 * that parsed a late P's first batch first, the merge's waits, those that
 * took the second half of the framing from the thread's scan. */
static size_t n_par, n_pre, n_waits, n_split, n_ck;

static size_t load_dir(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < strlen(suffix) ||
            strcmp(de->d_name + l - strlen(suffix), suffix) != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        tt_file f;
        tt_err err;
        if (tt_file_open(path, &f, &err) != TT_OK)
            fail_msg("%s: %s", path, err.msg);
        int minor = 0;
        assert_int_equal(tt_read_header(f.data, f.len, &minor, &err), TT_OK);
        rec r;
        memset(&r, 0, sizeof r);
        r.syms = tt_syms_new();
        tt_sink sink = {&r, on_event, NULL, 0};
        tt_load_result res;
        if (tt_load_v1(f.data, f.len, minor, r.syms, &sink, &res, &err) != TT_OK)
            fail_msg("%s: %s", path, err.msg);
        assert_true(r.n > 2);
        assert_int_equal(res.events, r.n);
        assert_int_equal(res.generations, 1);
        assert_true(strncmp(r.text, "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n", 32) == 0);
        assert_non_null(strstr(r.text, " Sync Time="));
        assert_non_null(strstr(r.text + r.len - 80, " N=2\n"));
        /* parse on a second thread (and pausing after every batch, so that
         * the merge waits for it) changes nothing */
        for (int t = 2; t <= 3; t++) {
            rec r2;
            memset(&r2, 0, sizeof r2);
            r2.syms = tt_syms_new();
            tt_sink sink2 = {&r2, on_event, NULL, 0};
            tt_v1_threads = t;
            tt_status st2 = tt_load_v1(f.data, f.len, minor, r2.syms, &sink2, &res, &err);
            tt_v1_threads = 1;
            if (st2 != TT_OK || strcmp(r.text, r2.text) != 0)
                fail_msg("%s: output with parse on a second thread (%d) differs", path, t);
            assert_int_equal(res.events, r2.n);
            if (tt_v1_par == 1) {
                n_par++;
                n_pre += tt_v1_pre > 0;
                n_waits += tt_v1_par_waits;
                n_split += tt_v1_split == 1;
                n_ck += tt_v1_ckres == 1;
            }
            rec_free(&r2);
        }
        { /* the fast paths change nothing */
            rec r2;
            memset(&r2, 0, sizeof r2);
            r2.syms = tt_syms_new();
            tt_sink sink2 = {&r2, on_event, NULL, 0};
            tt_v1_test_wide = TT_V1_WIDE_NOFAST;
            tt_status st2 = tt_load_v1(f.data, f.len, minor, r2.syms, &sink2, &res, &err);
            tt_v1_test_wide = 0;
            if (st2 != TT_OK || strcmp(r.text, r2.text) != 0)
                fail_msg("%s: output without the fast paths differs", path);
            rec_free(&r2);
        }
        rec_free(&r);
        expect_release_same(f.data, f.len, minor, 0, NULL);
        tt_file_close(&f);
        n++;
    }
    closedir(d);
    return n;
}

/* The parse fast path (parse_fast) for each common event, and the values it
 * leaves to the general path (long varints, values that do not pack): the
 * output equals the general path's (TT_V1_WIDE_NOFAST) in every mode, and
 * exactly the events marked F took the fast path. */
static void test_parse_fast(void **st)
{
    (void)st;
    v1gen g;
    prelude(&g, 19, 10);
    EV(&g, GO_CREATE, 1, 2, 0, 0);
    EV(&g, USER_REGION, 1, 1, 0, 5, 1);                   /* F */
    EV(&g, USER_REGION, 1, (uint64_t)1 << 20, 0, 5, 1);  /* task does not pack */
    EV(&g, USER_REGION, 1, (uint64_t)1 << 20, 1, 5, 2);
    EV(&g, USER_REGION, 2, 1, 1, 5, 1);                   /* F */
    v1gen_log(&g, 1, 1, 6, 1, "hi");                      /* F */
    v1gen_log(&g, 1, (uint64_t)1 << 20, 6, 2, "x");
    v1gen_log(&g, 3, 1, 6, 0, "");                        /* F */
    EV(&g, HEAP_ALLOC, 1, 123);                           /* F */
    EV(&g, HEAP_ALLOC, 1, (uint64_t)1 << 32);             /* does not fit x */
    EV(&g, HEAP_ALLOC, 200, (uint64_t)1 << 27);           /* F, 4-byte varints */
    EV(&g, GO_SYSCALL, 1, 1);                             /* F */
    EV(&g, GO_SYSCALL, (uint64_t)1 << 35, 1);             /* a 6-byte varint */
    EV(&g, GO_SCHED, 1, 1);                               /* F */
    EV(&g, GO_START_LOCAL, 1, 2);                         /* F */
    EV(&g, GO_BLOCK_SEND, 1, 1);                          /* F */
    EV(&g, GO_START_LOCAL, 1, 1);                         /* F */
    EV(&g, GO_UNBLOCK_LOCAL, 1, 2, 1);                    /* F */
    EV(&g, GO_BLOCK_RECV, 1, 1);                          /* F */
    EV(&g, GO_START_LOCAL, 1, 2);                         /* F */
    EV(&g, GO_UNBLOCK_LOCAL, 1, 1, 0x1000);               /* stack does not pack */
    EV(&g, GO_END, 1);                                    /* F */
    EV(&g, GO_START_LOCAL, 1, 1);                         /* F */
    EV(&g, GO_BLOCK, 1, 2);                               /* F */
    EV(&g, GO_UNBLOCK, 1, 1, 5, 2);                       /* F (from g0) */
    EV(&g, GO_START, 1, 1, 6);
    EV(&g, GO_SYSCALL, 1, 2);                             /* F */
    symbols(&g);
    v1gen_string(&g, 5, "region0");
    v1gen_string(&g, 6, "key");
    v1gen_freq(&g, 1000000000);
    /* the fast path needs PF_SLACK bytes after an event */
    v1gen_string(&g, 7, "padding padding padding padding padding padding padding padding");
    for (size_t m = 0; m < NWIDE; m++) {
        rec a, b;
        tt_err ea, eb;
        tt_v1_test_wide = wide_modes[m];
        tt_status sa = load(&g, "parse_fast", &a, &ea);
        size_t nfast = tt_v1_fast;
        tt_v1_test_wide = wide_modes[m] | TT_V1_WIDE_NOFAST;
        tt_status sb = load(&g, "parse_fast", &b, &eb);
        size_t nslow = tt_v1_fast;
        tt_v1_test_wide = 0;
        if (sa != TT_OK || sb != TT_OK)
            fail_msg("mode %u: load failed: %s / %s", wide_modes[m], ea.msg, eb.msg);
        if (strcmp(a.text, b.text) != 0) {
            print_message("---- fast\n%s---- general\n%s----\n", a.text, b.text);
            fail_msg("mode %u: the fast path's output differs", wide_modes[m]);
        }
        assert_true(strstr(a.text, "Region") && strstr(a.text, "Log") &&
                    strstr(a.text, "heap/objects") && strstr(a.text, "Waiting->Runnable"));
        assert_int_equal(nslow, 0);
        if (wide_modes[m] & TT_V1_WIDE_NOFAST)
            assert_int_equal(nfast, 0);
        else if (wide_modes[m] & TT_V1_WIDE_NOPACK) /* 2 regions, 2 logs, 2 unblocks */
            assert_int_equal(nfast, 19 - 6);
        else if (wide_modes[m] & TT_V1_WIDE_PAIRS) /* the prelude's GoCreate took the pair */
            assert_int_equal(nfast, 19 - 4);
        else
            assert_int_equal(nfast, 19);
        rec_free(&a);
        rec_free(&b);
    }
    v1gen_free(&g);
}

static void test_go_testdata(void **st)
{
    (void)st;
    const char *dir = "/usr/local/go/src/internal/trace/internal/tracev1/testdata";
    if (load_dir(dir, "_good") == 0)
        skip();
}

static void test_samples(void **st)
{
    (void)st;
    n_par = n_pre = n_waits = n_split = n_ck = 0;
    if (load_dir("samples/traces", "-go119.trace") == 0)
        skip();
    /* the thread ran beside the merge, Go's global batch (P -1, at the
     * end of the file) was parsed first, the merge waited, and the scan
     * was split in two halves; every load beside the merge was checked
     * behind it (none dropped: real traces hold nothing) */
    print_message("samples: %zu loads beside the merge, %zu with batches parsed first, "
                  "%zu waits, %zu scans split, %zu checked behind\n", n_par, n_pre, n_waits,
                  n_split, n_ck);
    assert_true(n_par > 0 && n_pre > 0 && n_waits > 0 && n_split > 0);
    assert_int_equal(n_ck, n_par);
}

/* tt_v1_set_thread_mode(), process-wide (gotv sets it from GOTV_V1_THREAD
 * and GOTV_THREADS): NEVER keeps a load on one thread, ALWAYS puts a small
 * trace's parse on the second thread, AUTO leaves a small one on one thread;
 * the events are the same every way. */
static void test_thread_mode(void **st)
{
    (void)st;
    tt_file f;
    tt_err err;
    if (tt_file_open("samples/traces/workerpool-go119.trace", &f, &err) != TT_OK)
        skip();
    int minor = 0;
    assert_int_equal(tt_read_header(f.data, f.len, &minor, &err), TT_OK);
    assert_true(f.len < ((size_t)8 << 20)); /* AUTO: too small for the thread */
    static const int modes[] = {TT_V1_THREAD_AUTO, TT_V1_THREAD_ALWAYS, TT_V1_THREAD_NEVER,
                                TT_V1_THREAD_ALWAYS, 7 /* unknown: AUTO */};
    static const int want_par[] = {0, 1, 0, 1, 0};
    char *first = NULL;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        rec r;
        memset(&r, 0, sizeof r);
        r.syms = tt_syms_new();
        tt_sink sink = {&r, on_event, NULL, 0};
        tt_load_result res;
        tt_v1_set_thread_mode(modes[i]);
        tt_v1_par = -1;
        tt_status s = tt_load_v1(f.data, f.len, minor, r.syms, &sink, &res, &err);
        tt_v1_set_thread_mode(TT_V1_THREAD_AUTO);
        assert_int_equal(s, TT_OK);
        /* 1 beside the merge, 2 when the merge had to wait for all of it */
        if (want_par[i])
            assert_true(tt_v1_par == 1 || tt_v1_par == 2);
        else
            assert_int_equal(tt_v1_par, 0);
        assert_true(r.n > 100);
        if (!first)
            first = strdup(r.text);
        else
            assert_string_equal(first, r.text);
        rec_free(&r);
    }
    /* the thread-local switch still wins over ALWAYS */
    {
        rec r;
        memset(&r, 0, sizeof r);
        r.syms = tt_syms_new();
        tt_sink sink = {&r, on_event, NULL, 0};
        tt_load_result res;
        tt_v1_set_thread_mode(TT_V1_THREAD_ALWAYS);
        tt_v1_threads = 0;
        tt_status s = tt_load_v1(f.data, f.len, minor, r.syms, &sink, &res, &err);
        tt_v1_threads = 1;
        tt_v1_set_thread_mode(TT_V1_THREAD_AUTO);
        assert_int_equal(s, TT_OK);
        assert_int_equal(tt_v1_par, 0);
        assert_string_equal(first, r.text);
        rec_free(&r);
    }
    free(first);
    tt_file_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversion_basic),
        cmocka_unit_test(test_framing_length_prefixed),
        cmocka_unit_test(test_gc_stw_kinds),
        cmocka_unit_test(test_block_reasons),
        cmocka_unit_test(test_tasks_regions_logs),
        cmocka_unit_test(test_ordering_preconditions),
        cmocka_unit_test(test_sysexit_times),
        cmocka_unit_test(test_wide_values),
        cmocka_unit_test(test_packed_limits),
        cmocka_unit_test(test_pair_table_full),
        cmocka_unit_test(test_record_g_limit),
        cmocka_unit_test(test_record_ts_limit),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_truncation_and_corruption),
        cmocka_unit_test(test_sink_stop),
        cmocka_unit_test(test_many_blocked_ps),
        cmocka_unit_test(test_sysexit_insert),
        cmocka_unit_test(test_syscall_next),
        cmocka_unit_test(test_check_error_times),
        cmocka_unit_test(test_check_behind_merge),
        cmocka_unit_test(test_big_move),
        cmocka_unit_test(test_retime_errors),
        cmocka_unit_test(test_release_while_converting),
        cmocka_unit_test(test_release_batch_end),
        cmocka_unit_test(test_merge_recheck),
        cmocka_unit_test(test_parse_fast),
        cmocka_unit_test(test_go_testdata),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_thread_mode),
        cmocka_unit_test(test_scan_halves),
        cmocka_unit_test(test_time_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the Go 1.22+ loader: primitives, framing, tables, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/quote.h"
#include "loader/sort.h"
#include "loader/trace.h"
#include "loader/v2.h"
#include "tests/lib/tracegen.h"
#include "tests/lib/loadutil.h"

/* ---- primitives ----------------------------------------------------------- */

static void test_uvarint(void **state)
{
    (void)state;
    uint64_t v;
    const uint8_t padded5[10] = {0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    assert_int_equal(tt_uvarint(padded5, 10, &v), 10);
    assert_int_equal(v, 5);
    const uint8_t minus1[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    assert_int_equal(tt_uvarint(minus1, 10, &v), 10);
    assert_true(v == UINT64_MAX);
    const uint8_t over10[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    assert_int_equal(tt_uvarint(over10, 10, &v), -1);
    const uint8_t eleven[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    assert_int_equal(tt_uvarint(eleven, 11, &v), -1);
    assert_int_equal(tt_uvarint(padded5, 5, &v), 0); /* truncated */
    assert_int_equal(tt_uvarint(padded5, 0, &v), 0);
    const uint8_t one[1] = {0x7f};
    assert_int_equal(tt_uvarint(one, 1, &v), 1);
    assert_int_equal(v, 127);
}

static void test_header(void **state)
{
    (void)state;
    int minor = 0;
    tt_err err;
    static const int ok[] = {11, 19, 21, 22, 23, 25, 26};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        tg t;
        tg_init(&t, ok[i]);
        assert_int_equal(tt_read_header(t.buf, t.len, &minor, &err), TT_OK);
        assert_int_equal(minor, ok[i]);
        tg_free(&t);
    }
    tg t;
    tg_init(&t, 24);
    assert_int_equal(tt_read_header(t.buf, t.len, &minor, &err), TT_ERR_VERSION);
    assert_non_null(strstr(err.msg, "go 1.24"));
    assert_int_equal(tt_read_header(t.buf, 10, &minor, &err), TT_ERR_FORMAT); /* short */
    t.buf[0] = 'G';
    assert_int_equal(tt_read_header(t.buf, t.len, &minor, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "not a Go execution trace"));
    tg_free(&t);
    const uint8_t nopad[16] = "go 1.26 trace\0\0x";
    assert_int_equal(tt_read_header(nopad, 16, &minor, &err), TT_ERR_FORMAT);
    /* tt_load reports the header error too */
    tt_syms *s = tt_syms_new();
    tt_load_result res;
    assert_int_equal(tt_load(nopad, 16, s, NULL, &res, &err), TT_ERR_FORMAT);
    tt_syms_free(s);
}

static void test_syms(void **state)
{
    (void)state;
    tt_syms *s = tt_syms_new();
    assert_int_equal(tt_syms_intern(s, "", 0), 0);
    uint32_t a = tt_syms_intern(s, "hello", 5);
    uint32_t b = tt_syms_intern(s, "hel\0lo", 6);
    assert_int_not_equal(a, 0);
    assert_int_not_equal(a, b);
    assert_int_equal(tt_syms_intern(s, "hello", 5), a);
    size_t len;
    const char *p = tt_syms_str(s, b, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(p, "hel\0lo", 6);
    for (int i = 0; i < 10000; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "s%d", i);
        uint32_t id = tt_syms_intern(s, buf, (size_t)n);
        assert_int_equal(tt_syms_intern(s, buf, (size_t)n), id);
    }
    assert_int_equal(tt_syms_nstrings(s), 10003);
    tt_frame f[2] = {{0x10, 3, a, b}, {0x20, 4, b, a}};
    uint32_t k1 = tt_syms_stack(s, f, 2);
    assert_int_equal(tt_syms_stack(s, f, 2), k1);
    assert_int_equal(tt_syms_stack(s, f, 0), 0);
    uint32_t k2 = tt_syms_stack(s, f, 1);
    assert_int_not_equal(k1, k2);
    const tt_frame *got;
    assert_int_equal(tt_syms_stack_frames(s, k1, &got), 2);
    assert_int_equal(got[1].pc, 0x20);
    assert_true(tt_syms_bytes(s) > 0);
    tt_syms_free(s);
}

static void test_quote(void **state)
{
    (void)state;
    char out[256];
    struct {
        const char *in;
        size_t n;
        const char *want;
    } cases[] = {
        {"abc", 3, "\"abc\""},
        {"a\"b\\", 4, "\"a\\\"b\\\\\""},
        {"\n\t\x01\x7f", 4, "\"\\n\\t\\x01\\x7f\""},
        {"\xff", 1, "\"\\xff\""},
        {"h\xc3\xa9", 3, "\"h\xc3\xa9\""},          /* é printable */
        {"\xc2\xa0", 2, "\"\\u00a0\""},             /* NBSP not printable */
        {"\xe2\x80\x8b", 3, "\"\\u200b\""},         /* zero width space */
        {"\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\""},
        {"\xf3\xa0\x80\x81", 4, "\"\\U000e0001\""}, /* language tag */
        {"\xed\xa0\x80", 3, "\"\\xed\\xa0\\x80\""}, /* surrogate: invalid */
        {"\xc0\x80", 2, "\"\\xc0\\x80\""},          /* overlong */
        {"\0", 1, "\"\\x00\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = tt_quote(out, cases[i].in, cases[i].n);
        out[n] = 0;
        assert_string_equal(out, cases[i].want);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a >> 32, y = *(const uint64_t *)b >> 32;
    return x < y ? -1 : x > y;
}

static void test_sort(void **state)
{
    (void)state;
    uint64_t v[300];
    uint64_t seed = 42;
    for (size_t n = 0; n < 300; n += 7) {
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            v[i] = ((seed >> 40) % 16) << 32 | i;
        }
        tt_sort(v, n, sizeof v[0], cmp_u64);
        for (size_t i = 1; i < n; i++)
            assert_true(v[i - 1] >> 32 <= v[i] >> 32);
    }
}

/* ---- framing and tables -------------------------------------------------------- */

static void test_minimal_trace(void **state)
{
    (void)state;
    int versions[] = {22, 23, 25, 26};
    for (int vi = 0; vi < 4; vi++) {
        for (int pad = 0; pad < 2; pad++) {
            tg t;
            tg_init(&t, versions[vi]);
            t.pad = pad;
            t.min_size = !pad;
            std_gen(&t, 1, 100);
            tg_batch(&t, 1, 1, 100);
            TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
            TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
            TG_EV(&t, TG_GoBlock, 1, 1, 1);
            end_gen(&t);
            coll c;
            tt_load_result res;
            tt_err err;
            assert_int_equal(load(&t, &c, &res, &err), TT_OK);
            assert_false(res.truncated);
            assert_int_equal(res.go_minor, versions[vi]);
            assert_int_equal(c.n, 5); /* Sync, 3 events, Sync */
            assert_int_equal(c.ev[0].kind, TT_EV_SYNC);
            assert_int_equal(c.ev[3].kind, TT_EV_STATE_TRANSITION);
            assert_int_equal(c.ev[3].to, TT_GS_WAITING);
            assert_string_equal(tt_syms_str(c.syms, c.ev[3].name, NULL), "reason");
            assert_true(c.ev[3].flags & TT_EVF_HAS_STACK);
            const tt_frame *f;
            assert_int_equal(tt_syms_stack_frames(c.syms, c.ev[3].stack, &f), 1);
            assert_string_equal(tt_syms_str(c.syms, f[0].func, NULL), "main.f");
            assert_int_equal(c.ev[4].kind, TT_EV_SYNC);
            assert_int_equal(c.ev[4].arg[0], 2);
            assert_true(c.nprogress >= 1);
            assert_false(c.progress_backwards);
            assert_int_equal(c.last_done, t.len);
            coll_free(&c);
            tg_free(&t);
        }
    }
}

static void test_batch_errors(void **state)
{
    (void)state;
    tt_err err;
    tt_load_result res;
    coll c;
    /* not a batch */
    tg t;
    tg_init(&t, 26);
    tg_byte(&t, 0x07);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "expected batch event"));
    assert_int_equal(err.offset, 16);
    coll_free(&c);
    tg_free(&t);
    /* too large */
    tg_init(&t, 26);
    tg_byte(&t, TG_EventBatch);
    tg_uv(&t, 1);
    tg_uv(&t, 1);
    tg_uv(&t, 1);
    tg_uv(&t, 65537);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid batch size 65537"));
    coll_free(&c);
    tg_free(&t);
    /* size beyond the end of the file: no allocation, an error */
    tg_init(&t, 26);
    tg_byte(&t, TG_EventBatch);
    tg_uv(&t, 1);
    tg_uv(&t, 1);
    tg_uv(&t, 1);
    tg_uv(&t, 60000);
    tg_byte(&t, TG_ProcStop);
    assert_int_not_equal(load(&t, &c, &res, &err), TT_OK);
    assert_non_null(strstr(err.msg, "failed to read full batch"));
    coll_free(&c);
    tg_free(&t);
    /* generation 0 */
    tg_init(&t, 26);
    tg_batch(&t, 0, 1, 1);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid generation number"));
    coll_free(&c);
    tg_free(&t);
    /* 26: missing EndOfGeneration between generations */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 2, 1, 10);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "missing end-of-generation"));
    coll_free(&c);
    tg_free(&t);
    /* 23: generations out of order */
    tg_init(&t, 23);
    std_gen(&t, 2, 10);
    tg_batch(&t, 1, 1, 10);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "out of order"));
    coll_free(&c);
    tg_free(&t);
    /* no frequency */
    tg_init(&t, 23);
    tg_batch(&t, 1, 1, 10);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "no frequency"));
    coll_free(&c);
    tg_free(&t);
    /* 25 without a clock snapshot */
    tg_init(&t, 25);
    tg_batch(&t, 1, TG_NONE, 10);
    tg_byte(&t, TG_Sync);
    tg_byte(&t, TG_Frequency);
    tg_uv(&t, 1000000000);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "no clock snapshot"));
    coll_free(&c);
    tg_free(&t);
    /* event type that is not a timed event inside an event batch */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    tg_byte(&t, TG_Strings);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "without a timestamp"));
    coll_free(&c);
    tg_free(&t);
    /* unknown event type */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    tg_byte(&t, 200);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid event type"));
    coll_free(&c);
    tg_free(&t);
    /* truncated argument varint inside a batch */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    tg_byte(&t, TG_ProcStatus);
    tg_uv(&t, 1);
    tg_byte(&t, 0x80);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid uvarint"));
    coll_free(&c);
    tg_free(&t);
}

static void test_string_table(void **state)
{
    (void)state;
    tt_err err;
    tt_load_result res;
    coll c;
    tg t;
    /* duplicate id */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_strings(&t, 1);
    tg_str(&t, 1, "again");
    tg_end(&t);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "multiple strings with the same ID"));
    coll_free(&c);
    tg_free(&t);
    /* id 0 */
    tg_init(&t, 26);
    tg_strings(&t, 1);
    tg_str(&t, 0, "zero");
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    coll_free(&c);
    tg_free(&t);
    /* too long */
    char big[1100];
    memset(big, 'x', sizeof big);
    tg_init(&t, 26);
    tg_strings(&t, 1);
    tg_strn(&t, 5, big, 1025);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid string size 1025"));
    coll_free(&c);
    tg_free(&t);
    /* length beyond the batch */
    tg_init(&t, 26);
    tg_strings(&t, 1);
    tg_byte(&t, TG_String);
    tg_uv(&t, 5);
    tg_uv(&t, 100);
    tg_raw(&t, "abc", 3);
    tg_end(&t);
    assert_int_not_equal(load(&t, &c, &res, &err), TT_OK);
    assert_non_null(strstr(err.msg, "failed to read full string"));
    coll_free(&c);
    tg_free(&t);
    /* wrong entry type */
    tg_init(&t, 26);
    tg_strings(&t, 1);
    tg_byte(&t, TG_Stack);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "expected string event"));
    coll_free(&c);
    tg_free(&t);
    /* event referencing an unknown string */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
    TG_EV(&t, TG_GoBlock, 1, 99, 0);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid string ID 99"));
    assert_int_equal(c.n, 3); /* Sync + the two events before */
    coll_free(&c);
    tg_free(&t);
}

static void test_stack_table(void **state)
{
    (void)state;
    tt_err err;
    tt_load_result res;
    coll c;
    tg t;
    /* too many frames */
    tg_init(&t, 26);
    tg_stacks(&t, 1);
    tg_byte(&t, TG_Stack);
    tg_uv(&t, 7);
    tg_uv(&t, 129);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid stack size 129"));
    coll_free(&c);
    tg_free(&t);
    /* huge frame count with few bytes: error, not a giant allocation */
    tg_init(&t, 26);
    tg_stacks(&t, 1);
    tg_byte(&t, TG_Stack);
    tg_uv(&t, 7);
    tg_uv(&t, UINT64_MAX);
    tg_end(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    coll_free(&c);
    tg_free(&t);
    /* duplicate stack id */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_stacks(&t, 1);
    uint64_t fr[1][4] = {{0x2000, 2, 3, 5}};
    tg_stack(&t, 1, 1, fr);
    tg_end(&t);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "multiple stacks with the same ID"));
    coll_free(&c);
    tg_free(&t);
    /* frame with a bad func string id */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_stacks(&t, 1);
    uint64_t bad[1][4] = {{0x3000, 77, 3, 5}};
    tg_stack(&t, 2, 1, bad);
    tg_end(&t);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid func string ID 77"));
    coll_free(&c);
    tg_free(&t);
    /* truncated frame */
    tg_init(&t, 26);
    tg_stacks(&t, 1);
    tg_byte(&t, TG_Stack);
    tg_uv(&t, 3);
    tg_uv(&t, 2);
    tg_uv(&t, 0x10);
    tg_end(&t);
    assert_int_not_equal(load(&t, &c, &res, &err), TT_OK);
    assert_non_null(strstr(err.msg, "frame"));
    coll_free(&c);
    tg_free(&t);
    /* the first frame seen for a PC wins; identical stacks share an id
     * across generations */
    tg_init(&t, 26);
    for (uint64_t g = 1; g <= 2; g++) {
        std_gen(&t, g, 10 * g);
        tg_strings(&t, g);
        tg_str(&t, 10, "other.func");
        tg_end(&t);
        tg_stacks(&t, g);
        uint64_t f2[2][4] = {{0x1000, 10, 3, 99}, {0x5000, 10, 3, 7}};
        tg_stack(&t, 2, 2, f2);
        tg_end(&t);
        tg_batch(&t, g, 1, 10 * g);
        if (g == 1) {
            TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
            TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
        } else {
            TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
            TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
        }
        TG_EV(&t, TG_GoSyscallBegin, 1, 1, 2);
        TG_EV0(&t, TG_GoSyscallEnd, 1);
        end_gen(&t);
    }
    assert_int_equal(load(&t, &c, &res, &err), TT_OK);
    const tt_event *sb1 = find(&c, TT_EV_STATE_TRANSITION, TG_GoSyscallBegin, 0);
    const tt_event *sb2 = find(&c, TT_EV_STATE_TRANSITION, TG_GoSyscallBegin, 1);
    assert_non_null(sb1);
    assert_non_null(sb2);
    assert_int_equal(sb1->stack, sb2->stack);
    const tt_frame *f;
    assert_int_equal(tt_syms_stack_frames(c.syms, sb1->stack, &f), 2);
    /* pc 0x1000 was first defined by stack 1 (main.f, line 10) */
    assert_string_equal(tt_syms_str(c.syms, f[0].func, NULL), "main.f");
    assert_int_equal(f[0].line, 10);
    assert_string_equal(tt_syms_str(c.syms, f[1].func, NULL), "other.func");
    coll_free(&c);
    tg_free(&t);
    /* an event referencing an unknown stack */
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
    TG_EV(&t, TG_GoBlock, 1, 1, 42);
    end_gen(&t);
    assert_int_equal(load(&t, &c, &res, &err), TT_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "invalid stack ID 42"));
    coll_free(&c);
    tg_free(&t);
}

static void test_cpu_samples(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_cpusamples(&t, 1);
    tg_cpusample(&t, 104, 1, 0, 1, 1);
    tg_cpusample(&t, 101, 1, TG_NONE, 0, 0);
    tg_end(&t);
    tg_batch(&t, 1, 1, 100);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);     /* 101 */
    TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);      /* 102 */
    TG_EV(&t, TG_GoBlock, 5, 1, 0);                     /* 107 */
    end_gen(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_OK);
    /* Sync(100) ProcStatus(101) sample(101 -> 102) GoStatus(102 -> 103) sample(104) GoBlock Sync */
    assert_int_equal(c.n, 7);
    assert_int_equal(c.ev[1].type, TG_ProcStatus);
    assert_int_equal(c.ev[2].kind, TT_EV_STACK_SAMPLE);
    assert_int_equal(c.ev[2].g, -1);
    assert_int_equal(c.ev[2].p, -1);
    assert_true(c.ev[2].flags & TT_EVF_HAS_STACK);
    assert_int_equal(c.ev[2].stack, 0);
    assert_int_equal(c.ev[3].type, TG_GoStatus);
    assert_int_equal(c.ev[4].kind, TT_EV_STACK_SAMPLE);
    assert_int_equal(c.ev[4].g, 1);
    assert_int_not_equal(c.ev[4].stack, 0);
    for (size_t i = 1; i < c.n; i++)
        assert_true(c.ev[i].time > c.ev[i - 1].time);
    coll_free(&c);
    tg_free(&t);
}

static void test_experimental(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    /* an experimental batch is skipped */
    tg_byte(&t, TG_ExperimentalBatch);
    tg_byte(&t, 1);
    tg_uv(&t, 1);
    tg_uv(&t, 1);
    tg_uv(&t, 100);
    tg_uv(&t, 3);
    tg_raw(&t, "\x01\x02\x03", 3);
    tg_batch(&t, 1, 1, 100);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(&t, 128, 1, 5, 6, 7); /* Span */
    TG_EV(&t, 130, 1, 5);       /* SpanFree */
    end_gen(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_OK);
    const tt_event *e = find(&c, TT_EV_EXPERIMENTAL, 128, 0);
    assert_non_null(e);
    assert_int_equal(e->nattr, 3);
    assert_int_equal(e->arg[2], 7);
    e = find(&c, TT_EV_EXPERIMENTAL, 130, 0);
    assert_non_null(e);
    assert_int_equal(e->nattr, 1);
    coll_free(&c);
    tg_free(&t);
}

/* Go quirk: a table entry cut exactly at the end of its batch ends the trace
 * "cleanly" after a Sync; gotv does the same and reports a warning. */
static void test_eof_quirk(void **state)
{
    (void)state;
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 10);
    tg_batch(&t, 1, 1, 10);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    end_gen(&t);
    tg_strings(&t, 2);
    tg_byte(&t, TG_String); /* no id: the batch ends here */
    tg_end(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    assert_int_equal(load(&t, &c, &res, &err), TT_OK);
    assert_true(res.truncated);
    assert_int_equal(res.generations, 1);
    assert_int_equal(c.ev[c.n - 1].kind, TT_EV_SYNC);
    assert_int_equal(c.ev[c.n - 1].arg[0], 2);
    assert_int_equal(res.valid_events, c.n);
    coll_free(&c);
    tg_free(&t);
    /* the same cut inside a frame is a real error (Go wraps it) */
    tg_init(&t, 26);
    tg_stacks(&t, 1);
    tg_byte(&t, TG_Stack);
    tg_uv(&t, 5);
    tg_uv(&t, 1);
    tg_end(&t);
    assert_int_not_equal(load(&t, &c, &res, &err), TT_OK);
    coll_free(&c);
    tg_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uvarint),       cmocka_unit_test(test_header),
        cmocka_unit_test(test_syms),          cmocka_unit_test(test_quote),
        cmocka_unit_test(test_sort),          cmocka_unit_test(test_minimal_trace),
        cmocka_unit_test(test_batch_errors),  cmocka_unit_test(test_string_table),
        cmocka_unit_test(test_stack_table),   cmocka_unit_test(test_cpu_samples),
        cmocka_unit_test(test_experimental),  cmocka_unit_test(test_eof_quirk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

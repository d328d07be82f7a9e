/* Unit tests of the Go 1.22+ reader's varint decoding: every length from 1
 * to 10 bytes, minimal and padded, far from the end of a batch (the
 * unchecked decoder) and close to it (the checked one), in events and in
 * the string table; overflows report the same error either way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "loader/v2.h"
#include "tests/lib/loadutil.h"
#include "tests/lib/tracegen.h"

/* 0, then 2^(7k) - 1 and 2^(7k) for k = 1..9 (the last value of each byte
 * length and the first of the next), then 2^63 and UINT64_MAX. */
static size_t test_values(uint64_t *v)
{
    size_t n = 0;
    v[n++] = 0;
    for (unsigned k = 1; k <= 9; k++) {
        v[n++] = ((uint64_t)1 << (7 * k)) - 1;
        v[n++] = (uint64_t)1 << (7 * k);
    }
    v[n++] = (uint64_t)1 << 63;
    v[n++] = UINT64_MAX;
    return n;
}

/* G 1 running on M 1 with P 0, at time 100 of generation 1. */
static void running(tg *t)
{
    std_gen(t, 1, 100);
    tg_batch(t, 1, 1, 100);
    TG_EV(t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
}

/* HeapAlloc values (and time deltas of varied lengths) come out exactly, in
 * a long batch (unchecked decoding) and at its very end (checked). */
static void check_metric_values(int pad)
{
    uint64_t v[32];
    size_t nv = test_values(v);
    tg t;
    tg_init(&t, 26);
    running(&t);
    t.pad = pad;
    for (size_t i = 0; i < nv; i++) /* far from the end: 200+ bytes follow */
        TG_EV(&t, TG_HeapAlloc, (uint64_t)1 << (3 * (i % 12)), v[i]);
    for (int i = 0; i < 40; i++)
        TG_EV(&t, TG_HeapAlloc, 1, 7);
    for (size_t i = 0; i < nv; i++) { /* alone in a batch: checked decoding */
        tg_end(&t);
        tg_batch(&t, 1, 1, 1000000 + i);
        TG_EV(&t, TG_HeapAlloc, 1, v[i]);
    }
    t.pad = 0;
    end_gen(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    tt_status st = load(&t, &c, &res, &err);
    assert_int_equal(st, TT_OK);
    assert_false(res.truncated);
    for (size_t i = 0; i < nv; i++) {
        const tt_event *far = find(&c, TT_EV_METRIC, TG_HeapAlloc, (int)i);
        const tt_event *near = find(&c, TT_EV_METRIC, TG_HeapAlloc, (int)(nv + 40 + i));
        assert_non_null(far);
        assert_non_null(near);
        assert_true(far->arg[0] == v[i]);
        assert_true(near->arg[0] == v[i]);
    }
    /* the time deltas: 1 << (3 * (i % 12)) ticks of 1 ns after the previous */
    long first = find_idx(&c, TT_EV_METRIC, TG_HeapAlloc, 0);
    assert_true(first > 0);
    for (size_t i = 1; i < 12; i++)
        assert_int_equal(c.ev[first + (long)i].time - c.ev[first + (long)i - 1].time,
                         (int64_t)1 << (3 * i));
    coll_free(&c);
    tg_free(&t);
}

static void test_event_varints(void **state)
{
    (void)state;
    check_metric_values(0);
}

static void test_event_varints_padded(void **state)
{
    (void)state;
    check_metric_values(1); /* 10-byte varints: past the 8 bytes decoded inline */
}

/* An argument of 11 bytes (or 10 with a last byte > 1) is an overflow at the
 * argument's offset, far from the end of the batch or not. */
static void check_overflow(int far, int ten)
{
    tg t;
    tg_init(&t, 26);
    running(&t);
    TG_EV(&t, TG_HeapAlloc, 1, 5);
    tg_byte(&t, TG_HeapAlloc);
    tg_uv(&t, 1);
    size_t at = t.len;
    for (int i = 0; i < 9; i++)
        tg_byte(&t, 0xff);
    tg_byte(&t, ten ? 0x02 : 0xff);
    if (!ten)
        tg_byte(&t, 0x01);
    if (far)
        for (int i = 0; i < 40; i++)
            TG_EV(&t, TG_HeapAlloc, 1, 7);
    end_gen(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    memset(&err, 0, sizeof err);
    tt_status st = load(&t, &c, &res, &err);
    assert_int_equal(st, TT_ERR_FORMAT);
    assert_int_equal(err.offset, at);
    assert_non_null(strstr(err.msg, "found invalid uvarint in HeapAlloc"));
    coll_free(&c);
    tg_free(&t);
}

static void test_event_overflow(void **state)
{
    (void)state;
    check_overflow(1, 0);
    check_overflow(1, 1);
    check_overflow(0, 0);
    check_overflow(0, 1);
}

/* The same with the reader told not to use pext (it does where the CPU has a
 * fast one: the tests above cover that path there, these the other). */
static void test_event_varints_no_pext(void **state)
{
    (void)state;
    tt_v2_no_pext = 1;
    check_metric_values(0);
    check_metric_values(1);
    check_overflow(1, 0);
    check_overflow(1, 1);
    tt_v2_no_pext = 0;
}

/* String IDs of every length in the string table (far from its end and at
 * it), used as a Log's category and message. */
static void test_table_varints(void **state)
{
    (void)state;
    static const uint64_t ids[] = {4, 200, 20000, 3000000, (uint64_t)1 << 35, (uint64_t)1 << 50,
                                   (uint64_t)1 << 60};
    const size_t nid = sizeof ids / sizeof ids[0];
    tg t;
    tg_init(&t, 26);
    std_gen(&t, 1, 100);
    tg_strings(&t, 1);
    char s[32];
    for (size_t i = 0; i < nid; i++) {
        snprintf(s, sizeof s, "s%zu", i);
        tg_str(&t, ids[i], s);
    }
    tg_end(&t);
    tg_batch(&t, 1, 1, 100);
    TG_EV(&t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(&t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
    for (size_t i = 0; i < nid; i++)
        TG_EV(&t, TG_UserLog, 1, 0, ids[i], ids[nid - 1 - i], 0);
    end_gen(&t);
    coll c;
    tt_load_result res;
    tt_err err;
    tt_status st = load(&t, &c, &res, &err);
    if (st != TT_OK)
        fail_msg("load: %s", err.msg);
    for (size_t i = 0; i < nid; i++) {
        const tt_event *e = find(&c, TT_EV_LOG, TG_UserLog, (int)i);
        assert_non_null(e);
        char want[32];
        snprintf(want, sizeof want, "s%zu", i);
        assert_string_equal(tt_syms_str(c.syms, e->name, NULL), want);
        snprintf(want, sizeof want, "s%zu", nid - 1 - i);
        assert_string_equal(tt_syms_str(c.syms, e->msg, NULL), want);
    }
    coll_free(&c);
    tg_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_varints),
        cmocka_unit_test(test_event_varints_padded),
        cmocka_unit_test(test_event_overflow),
        cmocka_unit_test(test_event_varints_no_pext),
        cmocka_unit_test(test_table_varints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of tt_syms string interning at scale: many strings of one length
 * (the lookup filters by 8 hash bits and compares lengths from the offset
 * table), strings that differ only at the end or by a trailing NUL, ids that
 * stay stable across every growth of the lookup table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/trace.h"

#define N 200000

static int fmt(char *buf, size_t cap, int i)
{
    /* all the same length: "worker=1 batch=0000123" */
    return snprintf(buf, cap, "worker=1 batch=%07d", i);
}

static void test_many_same_length(void **state)
{
    (void)state;
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    uint32_t *ids = malloc(sizeof *ids * N);
    assert_non_null(ids);
    char buf[64];
    for (int i = 0; i < N; i++) {
        int n = fmt(buf, sizeof buf, i);
        ids[i] = tt_syms_intern(s, buf, (size_t)n);
        assert_int_equal(ids[i], (uint32_t)i + 1); /* new strings get consecutive ids */
    }
    assert_int_equal(tt_syms_nstrings(s), N + 1);
    size_t before = tt_syms_bytes(s);
    /* every string found again after all the growth, with its bytes intact */
    for (int i = N - 1; i >= 0; i--) {
        int n = fmt(buf, sizeof buf, i);
        assert_int_equal(tt_syms_intern(s, buf, (size_t)n), ids[i]);
        size_t len = 0;
        const char *p = tt_syms_str(s, ids[i], &len);
        assert_int_equal(len, (size_t)n);
        assert_memory_equal(p, buf, (size_t)n);
        assert_int_equal(p[len], 0);
    }
    assert_int_equal(tt_syms_nstrings(s), N + 1);
    assert_int_equal(tt_syms_bytes(s), before); /* lookups allocate nothing */
    free(ids);
    tt_syms_free(s);
}

static void test_near_misses(void **state)
{
    (void)state;
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    uint32_t ab = tt_syms_intern(s, "ab", 2);
    uint32_t abnul = tt_syms_intern(s, "ab\0", 3);
    uint32_t a = tt_syms_intern(s, "a", 1);
    uint32_t abc = tt_syms_intern(s, "abc", 3);
    uint32_t abd = tt_syms_intern(s, "abd", 3);
    uint32_t nul = tt_syms_intern(s, "\0", 1);
    uint32_t all[] = {ab, abnul, a, abc, abd, nul};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        assert_int_not_equal(all[i], 0);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(all[i], all[j]);
    }
    size_t len;
    assert_memory_equal(tt_syms_str(s, abnul, &len), "ab\0", 3);
    assert_int_equal(len, 3);
    assert_int_equal(*tt_syms_str(s, nul, &len), 0);
    assert_int_equal(len, 1);
    /* the last id's length comes from the end of the arena */
    assert_string_equal(tt_syms_str(s, nul - 1, &len), "abd");
    assert_int_equal(len, 3);
    assert_int_equal(tt_syms_intern(s, "ab\0", 3), abnul);
    assert_int_equal(tt_syms_intern(s, "ab", 2), ab);
    assert_int_equal(tt_syms_intern(s, "", 0), 0);
    assert_string_equal(tt_syms_str(s, 0, &len), "");
    assert_int_equal(len, 0);
    /* out-of-range ids read as "" */
    assert_string_equal(tt_syms_str(s, 999999, &len), "");
    assert_int_equal(len, 0);
    tt_syms_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_same_length),
        cmocka_unit_test(test_near_misses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

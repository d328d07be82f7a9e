/*
 * model_fmt_duration (model/safe.c) formats most values with integers; its
 * result must be byte for byte what its snprintf("%.*f") path gives
 * (model_fmt_duration_printf = 1) for every value: the unit and precision
 * boundaries (999.9995us, 9.9995ms, 99.995s...), exact rounding ties, values
 * one away from them, negative values, the largest ones, random ones of
 * every magnitude, and small buffers (truncated like snprintf).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model_int.h"

#include <stdio.h>
#include <string.h>

static unsigned long checked;

static void same(int64_t ns, size_t cap)
{
    char a[64], b[64];
    memset(a, 'x', sizeof a);
    memset(b, 'x', sizeof b);
    model_fmt_duration_printf = 0;
    model_fmt_duration(a, cap, ns);
    model_fmt_duration_printf = 1;
    model_fmt_duration(b, cap, ns);
    model_fmt_duration_printf = 0;
    if (memcmp(a, b, sizeof a) != 0)
        fail_msg("%lld (cap %zu): \"%.*s\" against snprintf's \"%.*s\"", (long long)ns, cap, (int)cap,
                 a, (int)cap, b);
    checked++;
}

static void around(int64_t v)
{
    for (int64_t d = -3; d <= 3; d++) {
        if ((d > 0 && v > INT64_MAX - d) || (d < 0 && v < INT64_MIN - d))
            continue;
        same(v + d, 32);
        if (v + d != INT64_MIN)
            same(-(v + d), 32);
    }
}

static void test_boundaries(void **st)
{
    (void)st;
    static const int64_t units[] = {1, 1000, 1000000, 1000000000};
    for (int u = 0; u < 4; u++)
        for (int64_t m = 1; m <= 100000; m *= 10) {
            around(m * units[u]);
            /* x.xxx5 style ties and the values rounding up to the next
             * precision or unit */
            around(m * units[u] - units[u] / 2000);
            around(m * units[u] - units[u] / 200);
            around(m * units[u] - units[u] / 20);
            around(m * units[u] + units[u] / 2000);
        }
    for (int64_t v = 0; v < 3000000; v += 1)
        if (v < 20000 || v % 997 == 0)
            same(v, 32);
    around(INT64_MAX);
    around(INT64_MIN + 3);
    same(INT64_MIN, 32);
    around((int64_t)1 << 48);
    around(((int64_t)1 << 48) / 1000 * 1000 + 500);
}

/* Every tie of each precision: a * 10^prec % div == div / 2. */
static void test_ties(void **st)
{
    (void)st;
    for (int64_t k = 0; k < 200000; k++) {
        same(k * 1000 + 500, 32);         /* us, prec 3: exact, never a tie */
        same(k * 10 + 5 + 10000, 32);     /* us, prec 2: 12.345us */
        same(k * 100 + 50 + 100000, 32);  /* us, prec 1 */
        same(k * 10000 + 5000 + 10000000, 32);        /* ms, prec 2 */
        same(k * 100000 + 50000 + 100000000, 32);     /* ms, prec 1 */
        same(k * 500000 + 1000000000, 32);            /* s, prec 3 ties */
        same(k * 5000000 + 10000000000, 32);          /* s, prec 2 */
        same(k * 50000000 + 100000000000, 32);        /* s, prec 1 */
    }
}

static void test_random(void **st)
{
    (void)st;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 2000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int bits = (int)(x % 63) + 1;
        int64_t v = (int64_t)(x >> (64 - bits));
        same(i & 1 ? -v : v, 32);
    }
}

static void test_small_buffers(void **st)
{
    (void)st;
    static const int64_t vs[] = {0, 7, -7, 950, -999, 1234, 1234567, -2000000, 12345678901LL, INT64_MAX};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (size_t cap = 1; cap <= 24; cap++)
            same(vs[i], cap);
    char d[32];
    assert_string_equal(model_fmt_duration(d, sizeof d, 0), "0");
    assert_string_equal(model_fmt_duration(d, sizeof d, 950), "950ns");
    assert_string_equal(model_fmt_duration(d, sizeof d, -5), "-5ns");
    assert_string_equal(model_fmt_duration(d, sizeof d, 1234567), "1.235ms");
    assert_string_equal(model_fmt_duration(d, sizeof d, 99999999), "100.00ms"); /* (precision from the unrounded value) */
    assert_string_equal(model_fmt_duration(d, sizeof d, 3723000000000LL), "3723.0s");
    assert_string_equal(model_fmt_duration(d, 4, 1234567), "1.2");
    assert_true(checked > 3000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_small_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

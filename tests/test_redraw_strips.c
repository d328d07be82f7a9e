/*
 * ui_strip_afters, the batched searches of the region and log strips, against
 * a plain linear search: the first key after each column start, over random
 * ascending keys (with runs of equal keys), strides of 1 to 3 int64s, lanes
 * starting at any offset inside the key array, every block size the explorer
 * uses and times before, between, on and after the keys.
 */
#include "tui/ui_strip.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One case: total keys, the searched range [off, off + n), stride, block
 * shift, nt column times. */
static long run_case(uint32_t *seed, uint32_t total, uint32_t off, uint32_t n, uint32_t step, unsigned skl, int nt)
{
    int64_t *keys = malloc(sizeof *keys * (total + 1));
    int64_t *base = malloc(sizeof *base * ((size_t)total * step + 1));
    int64_t *sk = malloc(sizeof *sk * ((total >> skl) + 2));
    int64_t *t = malloc(sizeof *t * (size_t)nt);
    uint32_t *out = malloc(sizeof *out * 2 * (size_t)nt);
    assert_non_null(keys);
    assert_non_null(base);
    assert_non_null(sk);
    assert_non_null(t);
    assert_non_null(out);
    int64_t v = (int64_t)(rnd(seed) % 1000) - 500;
    for (uint32_t i = 0; i < total; i++) {
        if (rnd(seed) % 4) v += rnd(seed) % 50; /* a quarter repeat the last key */
        keys[i] = v;
    }
    for (uint32_t i = 0; i < total; i++) {
        for (uint32_t q = 0; q < step; q++) base[(size_t)i * step + q] = q ? -7 : keys[i];
    }
    for (uint32_t b = 0; (b << skl) < total; b++) sk[b] = keys[b << skl];
    int64_t lo = n ? keys[off] - 20 : -600, hi = n ? keys[off + n - 1] + 20 : 600;
    for (int j = 0; j < nt; j++) {
        uint32_t r = rnd(seed) % 4;
        if (r == 0 && n) t[j] = keys[off + rnd(seed) % n]; /* on a key */
        else t[j] = lo + (int64_t)(rnd(seed) % (uint32_t)(hi - lo + 1));
    }
    qsort(t, (size_t)nt, sizeof *t, cmp_i64);
    ui_strip_afters(base, step, sk, off, n, t, nt, out, skl);
    long checked = 0;
    for (int j = 0; j < nt; j++) {
        uint32_t want = 0;
        while (want < n && keys[off + want] <= t[j]) want++;
        if (out[j] != want)
            fail_msg("total %u off %u n %u step %u skl %u: t[%d] = %lld: got %u, want %u", total, off, n, step, skl, j,
                     (long long)t[j], out[j], want);
        checked++;
    }
    free(keys);
    free(base);
    free(sk);
    free(t);
    free(out);
    return checked;
}

static void test_random(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    static const unsigned skls[] = {2, 4, 6};
    long checked = 0, inside = 0;
    for (int it = 0; it < 600; it++) {
        uint32_t total = 1 + rnd(&seed) % (it % 10 == 0 ? 20000 : 700);
        uint32_t off = rnd(&seed) % total;
        uint32_t n = rnd(&seed) % (total - off + 1);
        uint32_t step = 1 + rnd(&seed) % 3;
        unsigned skl = skls[rnd(&seed) % 3];
        int nt = 1 + (int)(rnd(&seed) % 260);
        checked += run_case(&seed, total, off, n, step, skl, nt);
        inside += n > (2u << skl);
    }
    /* every case compared; many spanned several blocks */
    assert_true(checked > 10000);
    assert_true(inside > 100);
}

/* Edge cases: an empty range, one key, a range inside one block, and a
 * range that is the whole array. */
static void test_edges(void **state)
{
    (void)state;
    uint32_t seed = 7;
    assert_int_equal(run_case(&seed, 10, 3, 0, 1, 2, 5), 5);
    assert_int_equal(run_case(&seed, 1, 0, 1, 2, 4, 9), 9);
    assert_int_equal(run_case(&seed, 64, 17, 10, 3, 6, 40), 40);
    assert_int_equal(run_case(&seed, 5000, 0, 5000, 2, 6, 201), 201);
    assert_int_equal(run_case(&seed, 5000, 4999, 1, 3, 4, 201), 201);
    /* columns searched between anchors (every 16th), widths at the limits:
     * a column more than 2 anchor strides, the widest plot, more anchors
     * than the batch holds */
    assert_int_equal(run_case(&seed, 3000, 5, 2900, 1, 6, 33), 33);
    assert_int_equal(run_case(&seed, 20000, 100, 19000, 2, 6, 4097), 4097);
    assert_int_equal(run_case(&seed, 700, 0, 700, 1, 4, 4097), 4097);
    assert_int_equal(run_case(&seed, 20000, 0, 20000, 1, 6, 9000), 9000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

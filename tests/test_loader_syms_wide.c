/* tt_syms offset table: 32-bit offsets while the string arena is small, the
 * switch to 64-bit offsets when it grows past that (built here with a
 * 4000-byte limit instead of 4 GiB: this file includes loader/syms.c, whose
 * definitions take the place of the library's). Ids stay stable across the
 * switch, lookups and lengths stay right, zero-length and NUL-containing
 * strings keep their contract. Also the lookup table: any size, at most 7/8
 * full, each slot packing an id and a tag of its string's hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SYMS_NARROW_MAX 4000u
#include "loader/syms.c"

static int fmt(char *buf, size_t cap, int i)
{
    return snprintf(buf, cap, "s%d-%.*s", i, i % 23, "abcdefghijklmnopqrstuvw");
}

static void check_all(tt_syms *s, const uint32_t *ids, int n)
{
    char buf[64];
    for (int i = 0; i < n; i++) {
        int k = fmt(buf, sizeof buf, i);
        size_t len = 99;
        const char *p = tt_syms_str(s, ids[i], &len);
        assert_int_equal(len, (size_t)k);
        assert_memory_equal(p, buf, (size_t)k);
        assert_int_equal(p[len], 0);
        assert_int_equal(tt_syms_intern(s, buf, (size_t)k), ids[i]);
    }
}

static void test_widen_keeps_ids(void **state)
{
    (void)state;
    enum { N = 3000 }; /* about 45 KB of strings: well past the 4000-byte limit */
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    assert_int_equal(s->wide, 0);
    static uint32_t ids[N];
    char buf[64];
    int widened_at = -1;
    for (int i = 0; i < N; i++) {
        int k = fmt(buf, sizeof buf, i);
        ids[i] = tt_syms_intern(s, buf, (size_t)k);
        assert_int_equal(ids[i], (uint32_t)i + 1);
        if (s->wide && widened_at < 0) {
            widened_at = i;
            check_all(s, ids, i + 1); /* everything before the switch, right after it */
        }
    }
    assert_true(widened_at > 0);
    assert_true(s->nbytes > SYMS_NARROW_MAX);
    check_all(s, ids, N);
    assert_int_equal(tt_syms_nstrings(s), N + 1);
    /* the offset table's memory is accounted in its wide size */
    assert_true(tt_syms_bytes(s) >= (size_t)s->capsoff * sizeof(uint64_t) + s->capbytes);
    tt_syms_free(s);
}

static void test_small_stays_narrow(void **state)
{
    (void)state;
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    uint32_t a = tt_syms_intern(s, "runtime.main", 12);
    uint32_t b = tt_syms_intern(s, "main.go", 7);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(tt_syms_intern(s, "runtime.main", 12), a);
    assert_int_equal(s->wide, 0);
    /* tt_syms_bytes counts 4 bytes per offset entry while narrow */
    assert_int_equal(tt_syms_bytes(s),
                     sizeof *s + s->capbytes + (size_t)s->capsoff * sizeof(uint32_t) +
                         (size_t)s->shcap * 4 + s->capframes * sizeof(tt_frame) +
                         (size_t)s->capstks * sizeof(stk_ent) + (size_t)s->khcap * 4);
    tt_syms_free(s);
}

static void test_empty_and_nul(void **state)
{
    (void)state;
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    size_t len = 7;
    assert_int_equal(tt_syms_intern(s, "x", 0), 0);
    const char *p = tt_syms_str(s, 0, &len);
    assert_int_equal(len, 0);
    assert_int_equal(p[0], 0);
    uint32_t n1 = tt_syms_intern(s, "a\0b", 3);
    uint32_t n2 = tt_syms_intern(s, "a\0c", 3);
    uint32_t n3 = tt_syms_intern(s, "a", 1);
    assert_true(n1 != n2 && n1 != n3 && n2 != n3);
    /* fill past the limit, then the NUL-containing strings are still whole */
    char buf[64];
    for (int i = 0; i < 1000; i++) {
        int k = fmt(buf, sizeof buf, i);
        assert_true(tt_syms_intern(s, buf, (size_t)k) != UINT32_MAX);
    }
    assert_int_equal(s->wide, 1);
    p = tt_syms_str(s, n1, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(p, "a\0b", 4); /* with the terminating NUL */
    assert_int_equal(tt_syms_intern(s, "a\0c", 3), n2);
    assert_int_equal(tt_syms_intern(s, "a", 1), n3);
    /* out-of-range ids read as "" */
    p = tt_syms_str(s, tt_syms_nstrings(s) + 5, &len);
    assert_int_equal(len, 0);
    assert_int_equal(p[0], 0);
    tt_syms_free(s);
}

/* Every slot holds a live id with its hash's tag, each id exactly once, and
 * the table is never more than 7/8 full; checked after every growth. */
static void check_table(const tt_syms *s)
{
    assert_true((uint64_t)(s->nstrs - 1) * 8 <= (uint64_t)s->shcap * 7);
    assert_true(s->sidbits >= 1 && s->sidbits <= 32);
    assert_true(((uint64_t)1 << s->sidbits) >= s->shcap);
    uint32_t idmask = s->sidbits >= 32 ? UINT32_MAX : ((uint32_t)1 << s->sidbits) - 1;
    uint8_t *seen = calloc(s->nstrs, 1);
    assert_non_null(seen);
    uint32_t used = 0;
    for (uint32_t i = 0; i < s->shcap; i++) {
        uint32_t v = s->shash[i];
        if (!v)
            continue;
        uint32_t id = v & idmask;
        assert_true(id >= 1 && id < s->nstrs);
        assert_int_equal(seen[id], 0);
        seen[id] = 1;
        uint32_t h = hash_bytes(syms_at(s, id), syms_len(s, id));
        assert_int_equal(v & ~idmask, tag_of(h, s->sidbits));
        used++;
    }
    assert_int_equal(used, s->nstrs - 1);
    free(seen);
}

static void test_table_packing(void **state)
{
    (void)state;
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    char buf[64];
    uint32_t cap = 0, growths = 0;
    for (int i = 0; i < 100000; i++) {
        int k = snprintf(buf, sizeof buf, "worker=%d batch=%d", i % 8, i);
        assert_int_equal(tt_syms_intern(s, buf, (size_t)k), (uint32_t)i + 1);
        if (s->shcap != cap) {
            if (cap)
                assert_int_equal(s->shcap, cap + cap / 2); /* grows by 1.5 */
            cap = s->shcap;
            growths++;
            check_table(s);
        }
    }
    assert_true(growths > 10);
    check_table(s);
    /* 100000 strings: a table of 4-byte slots well under the old 2^17 x 5 bytes */
    assert_true((size_t)s->shcap * sizeof *s->shash < ((size_t)1 << 17) * 5);
    for (int i = 0; i < 100000; i += 7) {
        int k = snprintf(buf, sizeof buf, "worker=%d batch=%d", i % 8, i);
        assert_int_equal(tt_syms_intern(s, buf, (size_t)k), (uint32_t)i + 1);
    }
    assert_int_equal(tt_syms_nstrings(s), 100001);
    tt_syms_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widen_keeps_ids),
        cmocka_unit_test(test_small_stays_narrow),
        cmocka_unit_test(test_empty_and_nul),
        cmocka_unit_test(test_table_packing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tt_syms offset table: per 64 strings a 64-bit base and per string a
 * 16-bit delta; a block whose strings span more than 64 KiB switches to
 * 64-bit deltas (this file includes loader/syms.c to look at the table).
 * Ids stay stable across the switch, lookups and lengths stay right,
 * zero-length and NUL-containing strings keep their contract. Also the
 * lookup table: any size, at most 7/8 full, each slot packing an id and a
 * tag of its string's hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/syms.c"

/* Long strings: every other one is 3000 bytes, so each block of 64 passes
 * 64 KiB after about 44 strings, and short ones follow after the switch. */
static size_t mk(char *buf, int i)
{
    size_t n = i % 2 == 0 ? 3000 : (size_t)snprintf(buf, 64, "short-%d", i);
    if (i % 2 == 0) {
        for (size_t k = 0; k < n; k++)
            buf[k] = (char)('a' + (k * 7 + (size_t)i) % 26);
        snprintf(buf, 32, "long-%d|", i % 100000); /* unique prefix (the NUL stays inside) */
    }
    return n;
}

static void test_wide_blocks(void **state)
{
    (void)state;
    enum { N = 1000 };
    static char buf[3100];
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    static uint32_t ids[N];
    for (int i = 0; i < N; i++) {
        size_t n = mk(buf, i);
        ids[i] = tt_syms_intern(s, buf, n);
        assert_int_equal(ids[i], (uint32_t)i + 1);
    }
    assert_true(s->nwide > 10); /* each full block of 64 switched */
    for (int i = 0; i < N; i++) {
        size_t n = mk(buf, i), len = 0;
        const char *p = tt_syms_str(s, ids[i], &len);
        assert_int_equal(len, n);
        assert_memory_equal(p, buf, n);
        assert_int_equal(p[len], 0);
        assert_int_equal(tt_syms_intern(s, buf, n), ids[i]);
    }
    /* offsets are consecutive: each string starts after the previous NUL */
    for (uint32_t id = 1; id < tt_syms_nstrings(s); id++)
        assert_true(syms_soff_at(s, id) == syms_soff_at(s, id - 1) + syms_len(s, id - 1) + 1);
    assert_true(syms_soff_at(s, tt_syms_nstrings(s)) == s->nbytes);
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
    assert_int_equal(s->nwide, 0);
    /* tt_syms_bytes counts 2 bytes per offset entry and 12 per block */
    assert_int_equal(tt_syms_bytes(s),
                     sizeof *s + s->capbytes + (size_t)s->capd16 * sizeof(uint16_t) +
                         (size_t)s->capblk * 12 +
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
    /* many more strings (and wide blocks), then the NUL-containing strings
     * are still whole */
    static char buf[3100];
    for (int i = 0; i < 1000; i++) {
        size_t k = mk(buf, i);
        assert_true(tt_syms_intern(s, buf, k) != UINT32_MAX);
    }
    assert_true(s->nwide > 0);
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
        cmocka_unit_test(test_wide_blocks),
        cmocka_unit_test(test_small_stays_narrow),
        cmocka_unit_test(test_empty_and_nul),
        cmocka_unit_test(test_table_packing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

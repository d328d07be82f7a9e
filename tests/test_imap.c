/*
 * model_imap (model/imap.c): an int64 -> uint32 map with a direct array for
 * dense keys from 0 up and a hash table for the rest. Every sequence of puts
 * is checked against a plain list after each put (every key put so far, and
 * keys never put), for dense, offset, sparse, negative and mixed keys, and
 * for keys that sit in the hash table until enough entries make them dense.
 * The direct part must stay within its bound: 4 slots per entry plus 1024.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct ref {
    int64_t *k;
    uint32_t *v;
    size_t n, cap;
} ref;

static void ref_put(ref *r, int64_t k, uint32_t v)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->k[i] == k) {
            r->v[i] = v;
            return;
        }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->k = realloc(r->k, sizeof *r->k * r->cap);
        r->v = realloc(r->v, sizeof *r->v * r->cap);
        assert_non_null(r->k);
        assert_non_null(r->v);
    }
    r->k[r->n] = k;
    r->v[r->n++] = v;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void check_all(const model_imap *m, const ref *r)
{
    for (size_t i = 0; i < r->n; i++)
        assert_int_equal(model_imap_get(m, r->k[i]), r->v[i]);
    assert_int_equal((uint64_t)m->dn + m->n, r->n);
    assert_true((uint64_t)m->dcap <= 4 * ((uint64_t)m->dn + m->n) + 1024);
    assert_true(m->cap == 0 || (uint64_t)m->n * 2 <= m->cap);
}

/* Put n keys made by key(i), values from the counter (sometimes a key again
 * with a new value), checking everything every `every` puts; then keys never
 * put are absent. */
static void run(int64_t (*key)(size_t), size_t n, size_t every, model_imap *m, ref *r)
{
    for (size_t i = 0; i < n; i++) {
        int64_t k = key(i);
        uint32_t v = (uint32_t)(next() % 0xfffffff0u);
        assert_int_equal(model_imap_put(m, k, v), 0);
        ref_put(r, k, v);
        assert_int_equal(model_imap_get(m, k), v);
        if (i % every == 0 || i + 1 == n)
            check_all(m, r);
    }
}

static void absent(const model_imap *m, const ref *r, int64_t k)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->k[i] == k)
            return;
    assert_int_equal(model_imap_get(m, k), UINT32_MAX);
}

static int64_t k_dense1(size_t i) { return (int64_t)i + 1; }
static int64_t k_offset(size_t i) { return 1000000 + (int64_t)i; }
static int64_t k_sparse(size_t i) { (void)i; return (int64_t)next(); }
static int64_t k_neg(size_t i) { return -(int64_t)i - 1; }
static int64_t k_mixed(size_t i)
{
    switch (next() % 4) {
    case 0: return (int64_t)(next() % 5000);
    case 1: return (int64_t)i;
    case 2: return -(int64_t)(next() % 100);
    default: return (int64_t)(next() | 1ULL << 62);
    }
}
static int64_t k_strided(size_t i) { return (int64_t)i * 3; }

static void one(int64_t (*key)(size_t), size_t n, size_t every)
{
    model_imap m = {0};
    ref r = {0};
    run(key, n, every, &m, &r);
    for (int j = 0; j < 2000; j++) {
        absent(&m, &r, (int64_t)(next() % 200000) - 1000);
        absent(&m, &r, (int64_t)next());
    }
    absent(&m, &r, INT64_MIN);
    absent(&m, &r, INT64_MAX);
    absent(&m, &r, (int64_t)1 << 31);
    model_imap_free(&m);
    assert_null(m.d);
    assert_int_equal(model_imap_get(&m, 1), UINT32_MAX);
    free(r.k);
    free(r.v);
}

static void test_dense(void **st)
{
    (void)st;
    one(k_dense1, 30000, 997);
    /* a million ids 1..n: in the direct part, about 4 bytes each */
    model_imap m = {0};
    for (int64_t k = 1; k <= 1048567; k++)
        assert_int_equal(model_imap_put(&m, k, (uint32_t)(k * 7)), 0);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.dn, 1048567);
    assert_true(m.dcap < 1048567 + 1048567 / 2 + 1024);
    for (int64_t k = 1; k <= 1048567; k++)
        assert_int_equal(model_imap_get(&m, k), (uint32_t)(k * 7));
    assert_int_equal(model_imap_get(&m, 0), UINT32_MAX);
    model_imap_free(&m);
}

static void test_offset_sparse_negative(void **st)
{
    (void)st;
    one(k_offset, 30000, 499);
    one(k_sparse, 30000, 499);
    one(k_neg, 30000, 499);
    one(k_strided, 30000, 499);
}

static void test_mixed(void **st)
{
    (void)st;
    for (int j = 0; j < 5; j++)
        one(k_mixed, 20000, 97);
}

/* Keys first too sparse for the direct part go to the hash table; once
 * there are enough entries, the direct part grows over them and takes them
 * out of the table. */
static void test_migration(void **st)
{
    (void)st;
    model_imap m = {0};
    ref r = {0};
    for (int64_t k = 100000; k > 0; k -= 50) {
        uint32_t v = (uint32_t)k ^ 0x5555u;
        assert_int_equal(model_imap_put(&m, k, v), 0);
        ref_put(&r, k, v);
    }
    check_all(&m, &r);
    assert_true(m.n > 0);            /* the first keys were too sparse */
    assert_true(m.dcap > 0);         /* later ones are direct */
    for (int64_t k = 0; k < 100000; k += 2) {
        uint32_t v = (uint32_t)k * 3u;
        assert_int_equal(model_imap_put(&m, k, v), 0);
        ref_put(&r, k, v);
    }
    check_all(&m, &r);
    assert_int_equal(m.n, 0);        /* all of them moved */
    assert_true(m.dcap >= 100001);
    model_imap_free(&m);
    free(r.k);
    free(r.v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense),
        cmocka_unit_test(test_offset_sparse_negative),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_migration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

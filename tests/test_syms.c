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
#include <pthread.h>

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

/* ---- shared mode: one thread interns, another reads (model/open.c) ---- */

#define SH_N 30000

/* String i: mostly short, every 97th 70 000 bytes (its block of 64 ids
 * then spans more than 64 KiB and switches to wide offsets while the
 * reader may be reading that block's earlier strings). */
static size_t sh_len(int i) { return i % 97 == 5 ? 70000 : 8 + (size_t)(i % 40); }

static void sh_fill(char *b, int i)
{
    size_t n = sh_len(i);
    for (size_t k = 0; k < n; k++)
        b[k] = (char)('a' + (i * 7 + (int)k) % 26);
    memcpy(b, &i, sizeof i); /* distinct */
}

typedef struct sh {
    tt_syms *s;
    uint32_t ids[SH_N], stk[SH_N];
    int published; /* atomic: entries below are set */
    int bad;
} sh;

static void *sh_writer(void *arg)
{
    sh *x = arg;
    char *b = malloc(70000);
    for (int i = 0; i < SH_N && b; i++) {
        sh_fill(b, i);
        x->ids[i] = tt_syms_intern(x->s, b, sh_len(i));
        tt_frame fr[3] = {{(uint64_t)i, 1, x->ids[i], 0}, {2, 2, 0, x->ids[i]}, {(uint64_t)i * 3, 3, 0, 0}};
        x->stk[i] = tt_syms_stack(x->s, fr, 1 + (uint32_t)(i % 3));
        __atomic_store_n(&x->published, i + 1, __ATOMIC_RELEASE);
    }
    free(b);
    return NULL;
}

static int sh_check(const sh *x, int i, const char **keep)
{
    char b[70000];
    size_t l = 0;
    const char *p = tt_syms_str(x->s, x->ids[i], &l);
    sh_fill(b, i);
    if (l != sh_len(i) || memcmp(p, b, l) != 0 || p[l] != 0)
        return 1;
    if (keep)
        *keep = p;
    const tt_frame *fr = NULL;
    uint32_t n = tt_syms_stack_frames(x->s, x->stk[i], &fr);
    if (n != 1 + (uint32_t)(i % 3) || fr[0].pc != (uint64_t)i || fr[0].func != x->ids[i])
        return 1;
    return 0;
}

static void test_shared_reader(void **state)
{
    (void)state;
    sh *x = calloc(1, sizeof *x);
    const char **keep = calloc(SH_N, sizeof *keep);
    assert_non_null(x);
    assert_non_null(keep);
    x->s = tt_syms_new();
    assert_non_null(x->s);
    assert_int_equal(tt_syms_share(x->s, 1), 0);
    assert_int_equal(tt_syms_share(x->s, 1), -1); /* already on */
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, sh_writer, x), 0);
    int seen = 0, rounds = 0;
    unsigned rnd = 12345;
    while (seen < SH_N) {
        int p = __atomic_load_n(&x->published, __ATOMIC_ACQUIRE);
        for (; seen < p; seen++)
            x->bad += sh_check(x, seen, &keep[seen]);
        /* again a few earlier ones: the same block, and anywhere */
        for (int k = 0; k < 8 && seen > 0; k++) {
            rnd = rnd * 1103515245u + 12345u;
            int j = k < 4 ? seen - 1 - (int)(rnd % 64u) : (int)(rnd % (unsigned)seen);
            if (j >= 0)
                x->bad += sh_check(x, j, NULL);
        }
        rounds++;
    }
    pthread_join(th, NULL);
    assert_int_equal(x->bad, 0);
    /* borrowed pointers from the whole run are still the strings (the
     * arrays they point into were kept when they grew) */
    char b[70000];
    for (int i = 0; i < SH_N; i++) {
        sh_fill(b, i);
        assert_memory_equal(keep[i], b, sh_len(i));
    }
    printf("  %d reader rounds, %zu bytes of tables\n", rounds, tt_syms_bytes(x->s));
    assert_int_equal(tt_syms_nstrings(x->s), SH_N + 1);
    assert_int_equal(tt_syms_share(x->s, 0), 0); /* frees the kept arrays */
    for (int i = 0; i < SH_N; i += 101)
        assert_int_equal(sh_check(x, i, NULL), 0);
    tt_syms_free(x->s);
    free(keep);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_same_length),
        cmocka_unit_test(test_near_misses),
        cmocka_unit_test(test_shared_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

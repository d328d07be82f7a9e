/*
 * Per-goroutine summary maps with many keys: Go's BlockTimeByReason and
 * RangeTime for one goroutine that blocks for tens of thousands of distinct
 * reasons and enters as many distinct ranges (hostile input). Every key's
 * time must be exact and the build must stay linear: with the list walked
 * per lookup this test took 12 s instead of about 1 s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "tests/lib/evgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NK = 60000 };

static const char *key_name(char *b, size_t n, const char *pfx, uint32_t i)
{
    snprintf(b, n, "%s %u", pfx, i);
    return b;
}

/* The time of string name among the ids/ns of a stats map, -1 if absent. */
static int64_t map_ns(const model *m, uint32_t n, const uint32_t *ids, const int64_t *ns, const char *name)
{
    int64_t r = -1;
    for (uint32_t i = 0; i < n; i++) {
        size_t len;
        const char *s = model_str(m, ids[i], &len);
        if (s && len == strlen(name) && !memcmp(s, name, len)) {
            assert_int_equal(r, -1); /* each key once */
            r = ns[i];
        }
    }
    return r;
}

static void test_many_reasons_and_ranges(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    char b[64];
    const int64_t T0 = 1000;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, T0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    int64_t t = T0;
    /* key i: blocked (i % 7) + 1 ns for reason i, twice (the second time
     * finds the entry); range i active for (i % 5) + 2 ns */
    for (int round = 0; round < 2; round++)
        for (uint32_t i = 0; i < NK; i++) {
            int64_t d = (int64_t)(i % 7) + 1;
            evgen_go(&e, t += 3, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, key_name(b, sizeof b, "reason", i), 0, 0);
            evgen_go(&e, t += d, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
            evgen_go(&e, t += 1, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
            if (round == 0) {
                key_name(b, sizeof b, "range", i);
                evgen_range(&e, t += 1, TT_EV_RANGE_BEGIN, b, TT_RES_GOROUTINE, 1, 1, 0);
                evgen_range(&e, t += (int64_t)(i % 5) + 2, TT_EV_RANGE_END, b, TT_RES_GOROUTINE, 1, 1, 0);
            }
        }
    evgen_sync(&e, t + 10);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    uint32_t idx = model_goroutine_find(m, 1);
    model_gstats gs;
    assert_non_null(model_goroutine_stats(m, idx, &gs));
    assert_int_equal(gs.nreasons, NK);
    assert_int_equal(gs.nranges, NK);
    /* every 97th key (each lookup is a scan of the stats arrays) */
    for (uint32_t i = 0; i < NK; i += 97) {
        assert_int_equal(map_ns(m, gs.nreasons, gs.reason, gs.reason_ns, key_name(b, sizeof b, "reason", i)),
                         2 * ((int64_t)(i % 7) + 1));
        assert_int_equal(map_ns(m, gs.nranges, gs.range, gs.range_ns, key_name(b, sizeof b, "range", i)),
                         (int64_t)(i % 5) + 2);
    }
    int64_t sum = 0;
    for (uint32_t i = 0; i < gs.nreasons; i++) sum += gs.reason_ns[i];
    int64_t want = 0;
    for (uint32_t i = 0; i < NK; i++) want += 2 * ((int64_t)(i % 7) + 1);
    assert_int_equal(sum, want);
    model_free(m);
    evgen_free(&e);
}

/* A goroutine running across more than 2^63 ns (hostile times): its
 * summary times wrap around like Go's int64 arithmetic instead of
 * overflowing (undefined behaviour; the sanitizer build of this test catches
 * it). The explorer's queries (columns, top episodes) still compute such a
 * span's length in int64: not covered here. */
static void test_times_wrap(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    const int64_t T0 = -(INT64_C(3) << 61), T1 = INT64_C(3) << 61;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, T0, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    evgen_go(&e, T0 + 10, 0, 0, 1, 1, TT_GS_RUNNING, TT_GS_WAITING, "sleep", 0, 0);
    evgen_go(&e, T1 - 10, 0, 0, -1, 1, TT_GS_WAITING, TT_GS_RUNNABLE, NULL, 0, 0);
    evgen_go(&e, T1 - 5, 0, 0, -1, 1, TT_GS_RUNNABLE, TT_GS_RUNNING, NULL, 0, 0);
    evgen_sync(&e, T1);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    model_gstats gs;
    assert_non_null(model_goroutine_stats(m, model_goroutine_find(m, 1), &gs));
    /* blocked from T0 + 10 to T1 - 10: 3 * 2^62 - 20 ns, wrapped to int64 */
    int64_t want = (int64_t)((uint64_t)(T1 - 10) - (uint64_t)(T0 + 10));
    assert_int_equal(gs.sleep_ns, want);
    assert_int_equal(gs.exec_ns, 15);
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_reasons_and_ranges),
        cmocka_unit_test(test_times_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

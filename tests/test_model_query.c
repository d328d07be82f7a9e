/* Queries made cheap for the explorer's frames: the top-N episodes (bounded
 * heap) against the fully sorted list, the cached episode counts, and the
 * goroutine-count series against a plain reference computation, over every
 * sample trace. */
#include "model/model.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef void (*per_model)(model *m, const char *name);

static int for_each_sample(per_model fn)
{
    DIR *d = opendir("samples/traces");
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 6, ".trace"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "samples/traces/%s", de->d_name);
        model *m = NULL;
        tt_err err;
        tt_load_result res;
        if (model_open(path, NULL, &m, &res, &err) != TT_OK)
            continue; /* bad-input samples are covered elsewhere */
        fn(m, de->d_name);
        model_free(m);
        n++;
    }
    closedir(d);
    return n;
}

static void check_top(model *m, const char *name)
{
    static const uint32_t maxes[] = {1, 3, 7, 100, 2000, UINT32_MAX};
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    for (uint32_t g = 0; g < ng; g++) {
        const model_episode *all;
        uint32_t nall = model_goroutine_episodes(m, g, &all);
        uint32_t *copy = malloc(sizeof *copy * (nall + 1));
        assert_non_null(copy);
        for (uint32_t i = 0; i < nall; i++)
            copy[i] = all[i].span;
        for (size_t k = 0; k < sizeof maxes / sizeof maxes[0]; k++) {
            const model_episode *top;
            uint32_t total = 12345;
            uint32_t n = model_goroutine_top_episodes(m, g, maxes[k], &top, &total);
            uint32_t want = nall < maxes[k] ? nall : maxes[k];
            if (n != want || total != nall)
                fail_msg("%s G lane %u max %u: %u of %u, want %u of %u", name, g, maxes[k], n, total,
                         want, nall);
            for (uint32_t i = 0; i < n; i++)
                if (top[i].span != copy[i])
                    fail_msg("%s lane %u max %u: entry %u is span %u, want %u", name, g, maxes[k], i,
                             top[i].span, copy[i]);
            /* asked again: the cached answer is the same */
            const model_episode *again;
            assert_int_equal(model_goroutine_top_episodes(m, g, maxes[k], &again, NULL), n);
            for (uint32_t i = 0; i < n; i++)
                assert_int_equal(again[i].span, copy[i]);
        }
        assert_int_equal(model_goroutine_episode_count(m, g), nall);
        free(copy);
    }
    assert_int_equal(model_goroutine_episode_count(m, ng), 0);
    const model_episode *e;
    uint32_t total = 1;
    assert_int_equal(model_goroutine_top_episodes(m, ng, 10, &e, &total), 0);
    assert_int_equal(total, 0);
}

static void test_top_episodes(void **state)
{
    (void)state;
    assert_true(for_each_sample(check_top) > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_episodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

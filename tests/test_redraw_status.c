/*
 * The status line's region under the cursor on a goroutine with thousands of
 * regions: when none of the 4096 regions begun last before the cursor holds
 * it, the line names the deepest region holding the cursor (the later one
 * of equal depth), searched through the per-64-region latest ends cached
 * with the region index instead of a scan of every region. Checked against
 * a brute-force search at many cursor times: inside the outer region
 * between inner ones, inside inner ones, in a region left open (it ends at
 * the trace's end) among thousands of closed siblings, before and after all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/lib/evgen.h"
#include "tui/ui.h"
#include "tui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NINNER = 9000 };

/* The region the status line should name: the deepest one holding t among
 * those begun by t, the later of equal depth; -1 if none. */
static int ref_region(const model_region *r, uint32_t nr, int64_t t)
{
    int best = -1;
    for (uint32_t i = 0; i < nr && r[i].start <= t; i++)
        if (t < r[i].end && (best < 0 || r[i].depth >= r[best].depth))
            best = (int)i;
    return best;
}

static void test_status_region(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    char name[64];
    int64_t t = 1000;
    evgen_sync(&e, t);
    evgen_proc(&e, t, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(&e, t, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    evgen_region(&e, t += 10, TT_EV_REGION_BEGIN, 1, 0, "outer");
    /* "mid" holds 5000 short regions, then ends: just before its end the
     * cursor is in mid alone, 5000 regions after it began */
    evgen_region(&e, t += 10, TT_EV_REGION_BEGIN, 1, 0, "mid");
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "short%d", i);
        evgen_region(&e, t += 10, TT_EV_REGION_BEGIN, 1, 0, name);
        evgen_region(&e, t += 3, TT_EV_REGION_END, 1, 0, name);
    }
    int64_t mid_end = t += 40;
    evgen_region(&e, mid_end, TT_EV_REGION_END, 1, 0, "mid");
    for (int i = 0; i < NINNER; i++) {
        snprintf(name, sizeof name, "inner%d", i);
        evgen_region(&e, t += 10, TT_EV_REGION_BEGIN, 1, 0, name);
        if (i == 100) { /* inner100 and deep-open stay open to the end */
            evgen_region(&e, t += 5, TT_EV_REGION_BEGIN, 1, 0, "deep-open");
            continue;
        }
        evgen_region(&e, t += 3, TT_EV_REGION_END, 1, 0, name);
    }
    int64_t t_end = t + 100;
    evgen_sync(&e, t_end);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    uint32_t g = model_goroutine_find(m, 1);
    assert_true(g != UINT32_MAX);
    const model_region *r;
    uint32_t nr = model_goroutine_regions(m, g, &r);
    assert_true(nr > NINNER);

    ui_state st;
    assert_int_equal(ui_init(&st, m, "synthetic.trace", 40, 240, 0), 0);
    uint32_t lane = UINT32_MAX;
    for (uint32_t i = 0; i < st.nlanes; i++)
        if (st.lanes[i].kind == LK_G && st.lanes[i].idx == g) lane = i;
    assert_true(lane != UINT32_MAX);
    st.sel_lane = lane;
    int checked = 0, named = 0;
    for (int64_t c = 900; c < t_end + 50; c += c >= mid_end - 45 && c < mid_end + 5 ? 1 : 37) {
        st.cursor = c;
        ui_render(&st);
        char line[4096];
        ui_grid_row_text(&st.grid, st.grid.rows - 1, line, sizeof line);
        int want = ref_region(r, nr, c);
        char exp[300] = "";
        if (want >= 0) {
            size_t len;
            const char *s = model_str(m, r[want].name, &len);
            snprintf(exp, sizeof exp, "| region %.*s ", (int)len, s);
            named++;
            if (!strstr(line, exp))
                fail_msg("cursor %lld: want '%s' in '%s'", (long long)c, exp, line);
        } else if (strstr(line, "| region ")) {
            fail_msg("cursor %lld: no region expected in '%s'", (long long)c, line);
        }
        checked++;
    }
    assert_true(checked > 1000);
    assert_true(named > checked / 2);
    ui_free(&st);
    model_free(m);
    evgen_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

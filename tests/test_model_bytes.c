/*
 * The model's bytes (issue #7): goroutine span records of 8 bytes, their
 * unblocking goroutine (span.other) kept in the site table with the stack,
 * reason, cat and flags.
 * - bounds on sample traces: bytes of the goroutine lanes per span and of the
 *   whole model (model_info.mem_bytes) per event; they fail if the 12-byte
 *   records (14.1 B per goroutine span, 22.5 B per event on stress.trace) or
 *   a per-span cost of the same size come back;
 * - unblockers: thousands of goroutines woken by many different goroutines
 *   (ids from -1 to INT32_MAX) at a few stacks: every span decodes exactly,
 *   none escapes, and the site table holds each (stack, other) tuple once;
 * - checkpoints stored as 32-bit offsets from a base per group, or whole in
 *   wide groups: every checkpoint of every lane equals the sums of its spans,
 *   on the samples and on a lane whose groups are narrow, then wide (waits of
 *   20 ms: a state's time passes 2^32 ns within a group).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model_int.h"
#include "tests/lib/evgen.h"
#include "tests/lib/spancopy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UND = TT_GS_UNDETERMINED, NOTEX = TT_GS_NOTEXIST, RNBL = TT_GS_RUNNABLE,
       WAIT = TT_GS_WAITING, RUN = TT_GS_RUNNING };

/* ---- bounds on sample traces ---------------------------------------------- */

typedef struct bound {
    const char *file;
    double g_per_span;   /* model_lanes_bytes of the goroutine lanes per span */
    double per_event;    /* model_info.mem_bytes per event */
} bound;

static void check_bound(const bound *b)
{
    model *m = NULL;
    tt_load_result res;
    tt_err err;
    assert_int_equal(model_open(b->file, NULL, &m, &res, &err), TT_OK);
    const model_info *in = model_get_info(m);
    const model_lanes *gl = &m->lanes[ML_GOROUTINE];
    size_t spans = 0;
    for (uint32_t i = 0; i < gl->n; i++)
        spans += gl->cnt[i];
    assert_true(spans > 10000 && in->nevents > 20000);
    double gs = (double)model_lanes_bytes(gl) / (double)spans;
    double ev = (double)in->mem_bytes / (double)in->nevents;
    printf("  %s: goroutine lanes %.2f B/span (bound %.2f), model %.2f B/event (bound %.2f), %u sites\n",
           b->file, gs, b->g_per_span, ev, b->per_event, gl->nsite);
    assert_true(gs <= b->g_per_span);
    assert_true(ev <= b->per_event);
    for (int k = 0; k < 4; k++)
        assert_int_equal(m->lanes[k].stride, 8);
    model_free(m);
}

static void test_sample_bounds(void **state)
{
    (void)state;
    /* measured: stress 10.25 / 20.22 (12-byte records: 14.06 / 22.52), mutex
     * 9.51 / 20.87 (13.46 / 24.06), stress-go119 10.74 / 21.01 (14.41 /
     * 23.10) */
    static const bound bs[] = {
        {"samples/traces/stress.trace", 10.75, 20.75},
        {"samples/traces/mutex.trace", 10.0, 21.5},
        {"samples/traces/stress-go119.trace", 11.25, 21.5},
    };
    FILE *f = fopen(bs[0].file, "rb");
    if (!f)
        skip();
    fclose(f);
    for (size_t i = 0; i < sizeof bs / sizeof *bs; i++)
        check_bound(&bs[i]);
}

/* ---- many unblockers ------------------------------------------------------ */

static void go_raw(evgen *e, int64_t t, int64_t p, int64_t g, int64_t id, int from, int to,
                   uint32_t name, uint32_t stack)
{
    tt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.time = t;
    ev.m = 0;
    ev.p = p;
    ev.g = g;
    ev.kind = TT_EV_STATE_TRANSITION;
    ev.res = TT_RES_GOROUTINE;
    ev.id = id;
    ev.from = (uint8_t)from;
    ev.to = (uint8_t)to;
    ev.name = name;
    ev.stack = stack;
    ev.tstack = stack;
    evgen_event(e, &ev);
}

/* The unblocker of round r of goroutine i (-1: none; some beyond 2^28, the
 * P/M records' limit, up to INT32_MAX). */
static int64_t unblocker(uint32_t i, uint32_t r)
{
    uint32_t x = (i * 7919u + r * 104729u) % 4099u;
    if (x == 0)
        return -1;
    if (x == 1)
        return INT32_MAX;
    if (x < 40)
        return (int64_t)(1u << 28) + x;
    return x;
}

static void test_unblockers(void **state)
{
    (void)state;
    enum { NG = 3000, R = 12, NSTK = 3 };
    evgen e;
    evgen_init(&e);
    uint32_t reason = evgen_str(&e, "chan receive");
    const int64_t T0 = 1000;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    for (uint32_t i = 0; i < NG; i++)
        go_raw(&e, T0, 0, -1, 100 + i, UND, RUN, 0, 0);
    int64_t t = T0;
    for (uint32_t r = 0; r < R; r++)
        for (uint32_t i = 0; i < NG; i++) {
            int64_t id = 100 + i;
            go_raw(&e, t += 3, 0, id, id, RUN, WAIT, reason, 10 + (i + r) % NSTK);
            go_raw(&e, t += 2, 0, unblocker(i, r), id, WAIT, RNBL, 0, 20);
            go_raw(&e, t += 1, 0, -1, id, RNBL, RUN, 0, 0);
        }
    evgen_sync(&e, t + 5);
    model *m = evgen_finish(&e);
    const model_lanes *gl = &m->lanes[ML_GOROUTINE];
    assert_int_equal(gl->nesc, 0);
    /* distinct unblockers (4099 values) times the waiting spans' stacks, the
     * runnable spans' stack and the running spans: far fewer than the spans */
    assert_true(gl->nsite > 4099);
    assert_true(gl->nsite <= (NSTK + 1) * 4099 + 8);
    for (uint32_t i = 0; i < NG; i++) {
        uint32_t idx = model_goroutine_find(m, 100 + i), n;
        model_span *s = lane_spans_copy(m, ML_GOROUTINE, idx, &n);
        assert_non_null(s);
        assert_int_equal(n, 1 + 3 * R);
        for (uint32_t r = 0; r < R; r++) {
            const model_span *w = &s[1 + 3 * r], *q = &s[2 + 3 * r], *x = &s[3 + 3 * r];
            int64_t u = unblocker(i, r);
            assert_int_equal(w->state, MS_WAITING);
            assert_int_equal(w->stack, 10 + (i + r) % NSTK);
            assert_int_equal(w->reason, reason);
            assert_int_equal(w->other, u);
            assert_int_equal(w->end - w->start, 2);
            assert_int_equal(q->end - q->start, 1);
            assert_int_equal(q->state, MS_RUNNABLE);
            assert_int_equal(q->stack, 20);
            assert_int_equal(q->other, u);
            assert_int_equal(x->state, MS_RUNNING);
            assert_int_equal(x->other, -1);
            /* the search finds each span by its start */
            assert_int_equal(model_lane_span_at(m, ML_GOROUTINE, idx, q->start), 2 + 3 * r);
        }
        free(s);
    }
    model_free(m);
    evgen_free(&e);
}

/* ---- checkpoints ---------------------------------------------------------- */

/* Every checkpoint of every lane against the wrapping sums of its spans;
 * counts the wide and narrow groups seen. */
static void check_checkpoints(const model *m, uint32_t *nwide, uint32_t *nnarrow)
{
    for (int k = 0; k < 4; k++) {
        const model_lanes *l = &m->lanes[k];
        size_t nck = l->ck_off[l->n], ngr = (nck + MODEL_CKG - 1) / MODEL_CKG;
        uint32_t w = 0;
        for (size_t g = 0; g < ngr; g++) {
            if (l->ckw[g] == UINT32_MAX) {
                (*nnarrow)++;
                continue;
            }
            assert_true(l->ckw[g] < l->nckx);
            w++;
        }
        assert_int_equal(w, l->nckx);
        *nwide += w;
        for (uint32_t i = 0; i < l->n; i++) {
            uint64_t acc[MS__COUNT] = {0};
            assert_int_equal(l->ck_off[i + 1] - l->ck_off[i], l->cnt[i] / MODEL_CK_EVERY);
            for (uint32_t j = 1; j <= l->cnt[i]; j++) {
                model_sse e = model_rec_sse(l, i, j - 1);
                if (e.state < MS__COUNT)
                    acc[e.state] += (uint64_t)e.end - (uint64_t)e.start;
                if (j % MODEL_CK_EVERY)
                    continue;
                int64_t c[MS__COUNT];
                model_ck_load(l, (size_t)l->ck_off[i] + j / MODEL_CK_EVERY - 1, c);
                for (uint32_t q = 0; q < l->nst; q++)
                    assert_int_equal((uint64_t)c[q], acc[l->st[q]]);
            }
        }
    }
}

static void test_checkpoints(void **state)
{
    (void)state;
    enum { R = 3000 };
    evgen e;
    evgen_init(&e);
    uint32_t reason = evgen_str(&e, "sleep");
    const int64_t T0 = 1000;
    evgen_sync(&e, T0);
    evgen_proc(&e, T0, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    go_raw(&e, T0, 0, -1, 1, UND, RUN, 0, 0);
    go_raw(&e, T0, 0, -1, 2, UND, RUN, 0, 0);
    int64_t t = T0;
    for (uint32_t r = 0; r < R; r++)
        for (int64_t g = 1; g <= 2; g++) {
            /* goroutine 1: short waits, then 20 ms ones; goroutine 2 short */
            int64_t wait = g == 1 && r >= R / 2 ? 20000000 + r : 10 + r % 7;
            go_raw(&e, t += 3, 0, g, g, RUN, WAIT, reason, 5);
            go_raw(&e, t += wait, 0, -1, g, WAIT, RNBL, 0, 6);
            go_raw(&e, t += 2, 0, -1, g, RNBL, RUN, 0, 0);
        }
    evgen_sync(&e, t + 5);
    model *m = evgen_finish(&e);
    uint32_t nwide = 0, nnarrow = 0;
    check_checkpoints(m, &nwide, &nnarrow);
    assert_true(nwide >= 3);
    assert_true(nnarrow >= 3);
    model_free(m);
    evgen_free(&e);

    /* the samples */
    static const char *files[] = {"samples/traces/stress.trace", "samples/traces/mutex.trace",
                                  "samples/traces/gcpressure.trace", "samples/traces/stress-go119.trace"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        tt_load_result res;
        tt_err err;
        if (model_open(files[i], NULL, &m, &res, &err) != TT_OK)
            continue;
        check_checkpoints(m, &nwide, &nnarrow);
        model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_bounds),
        cmocka_unit_test(test_unblockers),
        cmocka_unit_test(test_checkpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

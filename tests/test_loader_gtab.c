/* Unit tests of the v2 loader's goroutine table under churn: many goroutines
 * whose ids collide in the lookup cache and the hash table, destroyed in the
 * middle of probe chains, re-created, and recycled per-goroutine extensions
 * (user regions) that must start empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "tests/lib/loadutil.h"
#include "tests/lib/tracegen.h"

#define NG 3000u
/* ids that all share one slot of the 1024-entry lookup cache */
#define GID(i) ((uint64_t)(i) * 1024u + 5u)

typedef struct run {
    uint64_t g1seq; /* sequence number of G1's next GoStart */
} run;

/* Batches are at most 64 KB: continue M 1 in a new batch, timed after all
 * events so far (each event has dt 1 and takes at least 2 bytes). */
static void maybe_split(tg *t)
{
    if (t->len - t->payload_at > 50000) {
        tg_end(t);
        tg_batch(t, 1, 1, 100 + t->len);
    }
}

/* G1 (running) stops, goroutine x (runnable, seq 0) starts. */
static void switch_to(tg *t, uint64_t x)
{
    maybe_split(t);
    TG_EV(t, TG_GoStop, 1, 1, 0);
    TG_EV(t, TG_GoStart, 1, x, 1);
}

/* x (running) has stopped or died: G1 runs again. */
static void back_to_g1(tg *t, run *r)
{
    TG_EV(t, TG_GoStart, 1, 1, ++r->g1seq);
}

static void prologue(tg *t)
{
    tg_init(t, 26);
    std_gen(t, 1, 100);
    tg_batch(t, 1, 1, 100);
    TG_EV(t, TG_ProcStatus, 1, 0, TG_ProcRunning);
    TG_EV(t, TG_GoStatus, 1, 1, 1, TG_GoRunning);
}

static size_t count_type(const coll *c, int kind, int type)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->ev[i].kind == kind && c->ev[i].type == type;
    return n;
}

static void test_churn(void **state)
{
    (void)state;
    tg t;
    run r = {0};
    prologue(&t);
    for (unsigned i = 1; i <= NG; i++) {
        maybe_split(&t);
        TG_EV(&t, TG_GoCreate, 1, GID(i), 0, 1);
    }
    /* destroy the odd ones (holes in the middle of probe chains); the
     * first of them leaves a user region open */
    for (unsigned i = 1; i <= NG; i += 2) {
        switch_to(&t, GID(i));
        if (i == 1)
            TG_EV(&t, TG_UserRegionBegin, 1, 7, 1, 0);
        TG_EV0(&t, TG_GoDestroy, 1);
        back_to_g1(&t, &r);
    }
    /* every even one is still there: run it and stop it */
    for (unsigned i = 2; i <= NG; i += 2) {
        switch_to(&t, GID(i));
        TG_EV(&t, TG_GoStop, 1, 1, 0);
        back_to_g1(&t, &r);
    }
    /* the odd ids can be created again; a new goroutine gets the dead one's
     * region state (recycled) and must find it empty: after its own region
     * ends, ending another is ignored (Go: no active region), where the
     * dead goroutine's "reason" region would make it a misuse error */
    for (unsigned i = 1; i <= NG; i += 2) {
        maybe_split(&t);
        TG_EV(&t, TG_GoCreate, 1, GID(i), 0, 1);
    }
    switch_to(&t, GID(3));
    TG_EV(&t, TG_UserRegionBegin, 1, 9, 2, 0);
    TG_EV(&t, TG_UserRegionEnd, 1, 9, 2, 0);
    TG_EV(&t, TG_UserRegionEnd, 1, 9, 2, 0);
    TG_EV0(&t, TG_GoDestroy, 1);
    back_to_g1(&t, &r);
    end_gen(&t);

    coll c;
    tt_load_result res;
    tt_err err;
    tt_status st = load(&t, &c, &res, &err);
    if (st != TT_OK)
        fprintf(stderr, "load: %s\n", err.msg);
    assert_int_equal(st, TT_OK);
    assert_false(res.truncated);
    size_t nodd = (NG + 1) / 2, neven = NG / 2;
    assert_int_equal(count_type(&c, TT_EV_STATE_TRANSITION, TG_GoCreate), NG + nodd);
    assert_int_equal(count_type(&c, TT_EV_STATE_TRANSITION, TG_GoDestroy), nodd + 1);
    assert_int_equal(count_type(&c, TT_EV_REGION_BEGIN, TG_UserRegionBegin), 2);
    assert_int_equal(count_type(&c, TT_EV_REGION_END, TG_UserRegionEnd), 2);
    /* the last GoDestroy is goroutine GID(3): Running -> NotExist */
    const tt_event *d = find(&c, TT_EV_STATE_TRANSITION, TG_GoDestroy, (int)nodd);
    assert_non_null(d);
    assert_int_equal(d->id, (int64_t)GID(3));
    assert_int_equal(d->res, TT_RES_GOROUTINE);
    assert_int_equal(d->from, TT_GS_RUNNING);
    assert_int_equal(d->to, TT_GS_NOTEXIST);
    /* every even goroutine started once (seq 1) and stopped */
    size_t starts = count_type(&c, TT_EV_STATE_TRANSITION, TG_GoStart);
    assert_int_equal(starts, nodd + neven + 1 + r.g1seq);
    coll_free(&c);
    tg_free(&t);
}

/* Creating a goroutine that exists is an error, also after collisions and
 * deletions around it; starting a destroyed one makes no progress. */
static void test_exists_and_gone(void **state)
{
    (void)state;
    for (int variant = 0; variant < 2; variant++) {
        tg t;
        run r = {0};
        prologue(&t);
        for (unsigned i = 1; i <= 64; i++)
            TG_EV(&t, TG_GoCreate, 1, GID(i), 0, 1);
        switch_to(&t, GID(1));
        TG_EV0(&t, TG_GoDestroy, 1);
        back_to_g1(&t, &r);
        if (variant == 0)
            TG_EV(&t, TG_GoCreate, 1, GID(64), 0, 1); /* exists */
        else
            switch_to(&t, GID(1)); /* destroyed: GoStart cannot advance */
        end_gen(&t);
        coll c;
        tt_load_result res;
        tt_err err;
        tt_status st = load(&t, &c, &res, &err);
        assert_int_equal(st, TT_ERR_ORDER);
        if (variant == 0)
            assert_non_null(strstr(err.msg, "already exists"));
        else
            assert_non_null(strstr(err.msg, "failed to advance"));
        coll_free(&c);
        tg_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_churn),
        cmocka_unit_test(test_exists_and_gone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

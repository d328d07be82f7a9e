/*
 * The explorer's memory for region strips, log markers and the GC lane's
 * assist/sweep row (issue #7): a goroutine whose regions all have depth 0
 * is drawn from the model's region records, log markers are searched in the
 * model's log records, and the GC row from the model's ranges, keeping only
 * a few bytes per 16 or 64 records (ui_index_bytes). Checked:
 *   - the bytes: a goroutine with 20000 regions and 6000 logs plus 4500
 *     ranges cost less than a byte per record (copies cost 20 bytes a
 *     region: the same goroutine with one nested region, which takes the
 *     copying path, shows them in ui_index_bytes);
 *   - the drawing, at random views (1 ns per column to the whole trace):
 *     the depth-0 strip drawn in place equals the one the copying path
 *     draws (the same regions, plus one nested region in the last one, in
 *     a second model); log markers and the assist/sweep row equal a
 *     brute-force reference over every record;
 *   - the goroutine-count plot series (running, runnable, waiting) share
 *     one time stream: on 400 goroutines changing state 200000 times, the
 *     three take less than 4.5 bytes per point of the longest (3.5; separate
 *     streams took 7.3); their values at random times equal the counts
 *     replayed from the transitions (test_series checks every query);
 *   - their per-block arrays are 32 bits (values, maxima, stream offsets)
 *     and a common transition less than 32 ticks after the last is one
 *     byte, and their points before a block are 16 bits over a 32-bit
 *     count every 64 blocks: on such instants the three cost less than
 *     1.36 bytes an instant (1.333; 32-bit counts: 1.38, 64-bit arrays:
 *     1.60, varint tags: 2.37);
 *   - the block index of long lanes (model_lane_columns) reads its block
 *     ends from the lane's anchors unless a block's last span is followed
 *     by a gap or ends the lane: three goroutines of 4096+ spans (no gap,
 *     exactly 128 blocks, gaps) give model_lane_columns' reference states
 *     at random views, and only the last two copy their ends
 *     (model_block_index_bytes);
 *   - the preview of a big trace (tui/ui_load.c), alive while the full model
 *     is built: it keeps the first ui_preview_events events only (one per
 *     KiB of the file: 1/40 of the model's bytes or less, as the model takes
 *     23-24 bytes an event and a trace 9-10 bytes), and it does not keep the
 *     file mapped (its prefix was resident: 8 MiB of RSS). The preview of
 *     the whole first generation of stress-100mb cost 29 MB at the peak
 *     (model 20, file 8), the bounded one 2.5;
 *   - the explorer's lane list is as long as the lanes shown: it was made
 *     room for two lanes a goroutine (16 bytes each: 1.4 MB on stress-100mb,
 *     whose 43 k goroutines show as a few folded groups) and kept so; the
 *     search's match list (4 bytes a goroutine) is made at the first search
 *     (also by a model swap that carries a search over).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/columns.h"
#include "tests/lib/evgen.h"
#include "tests/lib/reflane.h"
#include "tests/lib/spancopy.h"
#include "tests/lib/uikeys.h"
#include "tui/ui.h"
#include "tui/ui_int.h"
#include "tui/ui_load.h"
#include "tests/lib/xorshift.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NREG = 20000, NLOG = 6000, NAS = 1500, NSW = 1500, MAXC = 1024 };
static int COLS; /* time columns of the view */

typedef struct gev {
    int64_t t;
    int what; /* 0 region begin, 1 region end, 2 log, 3 assist begin, 4 assist end, 5 sweep begin, 6 sweep end,
                 7 inner region begin, 8 inner region end */
    int arg;  /* region index, or the goroutine of an assist */
    uint32_t seq;
} gev;

static int cmp_gev(const void *a, const void *b)
{
    const gev *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void) { return xorshift64(&rng); }

typedef struct scene {
    gev *ev;
    size_t n;
    int64_t t_end;
    int64_t last_s, last_e; /* the last region: the nested one goes inside */
} scene;

static void add(scene *s, int64_t t, int what, int arg)
{
    s->ev[s->n] = (gev){t, what, arg, (uint32_t)s->n};
    s->n++;
}

static void make_scene(scene *s)
{
    s->ev = calloc(2 * NREG + NLOG + 2 * 2 * NAS + 2 * NSW + 4, sizeof *s->ev);
    assert_non_null(s->ev);
    s->n = 0;
    int64_t t = 2000;
    for (int i = 0; i < NREG; i++) {
        t += 1 + (int64_t)(rnd() % 60);
        int64_t len = 1 + (int64_t)(rnd() % 50);
        if (rnd() % 500 == 0) len += (int64_t)(rnd() % 20000); /* a few long ones */
        if (i == NREG - 1) len = 5000;
        add(s, t, 0, i);
        add(s, t + len, 1, i);
        s->last_s = t, s->last_e = t + len;
        t += len;
    }
    s->t_end = t + 100;
    for (int i = 0; i < NLOG; i++) add(s, 2001 + (int64_t)(rnd() % (uint64_t)(s->t_end - 2002)), 2, 0);
    for (int g = 1; g <= 2; g++) {
        int64_t a = 2000;
        for (int i = 0; i < NAS && a < s->t_end - 400; i++) {
            a += 1 + (int64_t)(rnd() % 600);
            int64_t len = 1 + (int64_t)(rnd() % 300);
            add(s, a, 3, g);
            add(s, a + len, 4, g);
            a += len;
        }
    }
    int64_t w = 2000;
    for (int i = 0; i < NSW && w < s->t_end - 400; i++) {
        w += 1 + (int64_t)(rnd() % 700);
        int64_t len = 1 + (int64_t)(rnd() % 200);
        add(s, w, 5, 0);
        add(s, w + len, 6, 0);
        w += len;
    }
    qsort(s->ev, s->n, sizeof *s->ev, cmp_gev);
}

/* The scene as a model; nested: one region inside the last one (goroutine
 * 1 then takes the copying path). */
static model *build(const scene *s, int nested, evgen *e)
{
    evgen_init(e);
    evgen_sync(e, 1000);
    evgen_proc(e, 1000, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    evgen_go(e, 1000, 0, 0, -1, 1, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    evgen_go(e, 1000, 0, 0, -1, 2, TT_GS_UNDETERMINED, TT_GS_RUNNABLE, NULL, 0, 0);
    char name[32];
    int inner_done = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gev *v = &s->ev[i];
        if (nested && !inner_done && v->t > s->last_s + 10) {
            evgen_region(e, s->last_s + 10, TT_EV_REGION_BEGIN, 1, 0, "inner");
            evgen_region(e, s->last_s + 20, TT_EV_REGION_END, 1, 0, "inner");
            inner_done = 1;
        }
        switch (v->what) {
        case 0:
        case 1:
            snprintf(name, sizeof name, "r%d", v->arg);
            evgen_region(e, v->t, v->what == 0 ? TT_EV_REGION_BEGIN : TT_EV_REGION_END, 1, 0, name);
            break;
        case 2: evgen_log(e, v->t, 1, 0, "c", "m"); break;
        case 3:
        case 4:
            evgen_range(e, v->t, v->what == 3 ? TT_EV_RANGE_BEGIN : TT_EV_RANGE_END, "GC mark assist",
                        TT_RES_GOROUTINE, v->arg, v->arg, 0);
            break;
        default:
            evgen_range(e, v->t, v->what == 5 ? TT_EV_RANGE_BEGIN : TT_EV_RANGE_END, "GC incremental sweep",
                        TT_RES_PROC, 0, 1, 0);
            break;
        }
    }
    evgen_sync(e, s->t_end);
    model *m = evgen_finish(e);
    assert_non_null(m);
    return m;
}

static uint32_t lane_of(const ui_state *st, int kind, uint32_t idx)
{
    for (uint32_t i = 0; i < st->nlanes; i++)
        if ((int)st->lanes[i].kind == kind && (kind == LK_GC || st->lanes[i].idx == idx)) return i;
    fail_msg("no lane");
    return 0;
}

/* Row text (time columns only) of the row'th row of lane li, drawn at the
 * current view with li at the top. */
static void lane_row(ui_state *st, uint32_t li, int row, char *out)
{
    st->lane_top = li;
    ui_render(st);
    int lt, lr, pt, pr;
    ui_layout(st, &lt, &lr, &pt, &pr);
    char line[8192];
    ui_grid_row_text(&st->grid, lt + row, line, sizeof line);
    size_t len = strlen(line);
    size_t from = (size_t)st->label_w < len ? (size_t)st->label_w : len;
    snprintf(out, (size_t)COLS + 1, "%-*s", COLS, line + from);
}

/* The first time drawn in column c. */
static int64_t edge(const tl_viewport *vp, int c)
{
    int64_t t = tl_col_time(vp, c);
    while (tl_time_col(vp, t - 1) >= c) t--;
    while (tl_time_col(vp, t) < c) t++;
    return t;
}

static void test_explorer_index_mem(void **state)
{
    (void)state;
    scene s;
    make_scene(&s);
    evgen ea, eb;
    model *ma = build(&s, 0, &ea), *mb = build(&s, 1, &eb);
    uint32_t ga = model_goroutine_find(ma, 1), gb = model_goroutine_find(mb, 1);
    const model_region *ra, *rb;
    assert_int_equal(model_goroutine_regions(ma, ga, &ra), NREG);
    assert_int_equal(model_goroutine_regions(mb, gb, &rb), NREG + 1);
    const model_log *lg;
    assert_int_equal(model_goroutine_logs(ma, ga, &lg), NLOG);
    const model_range *as, *sw;
    uint32_t nas = model_ranges(ma, MR_ASSIST, &as), nsw = model_ranges(ma, MR_SWEEP, &sw);
    assert_true(nas > NAS);
    assert_true(nsw > NSW / 2);

    ui_state a, b;
    assert_int_equal(ui_init(&a, ma, "a.trace", 40, 280, 0), 0);
    assert_int_equal(ui_init(&b, mb, "b.trace", 40, 280, 0), 0);
    COLS = a.vp.cols;
    assert_true(COLS >= 200 && COLS < MAXC);
    assert_int_equal(b.vp.cols, COLS);
    uint32_t la = lane_of(&a, LK_G, ga), lb = lane_of(&b, LK_G, gb), lgc = lane_of(&a, LK_GC, 0);
    assert_true(a.lanes[la].height >= 2);
    assert_true(a.lanes[lgc].height >= 2);

    int64_t tmin = a.vp.tmin, tmax = a.vp.tmax;
    char ra_row[MAXC + 1], rb_row[MAXC + 1], gc_row[MAXC + 1];
    int views = 0, strip_cells = 0, log_cells = 0, as_cells = 0, sw_cells = 0;
    for (int it = 0; it < 400; it++) {
        double npc = it == 0 ? (double)(tmax - tmin) / COLS : 1.0 + (double)(rnd() % 100000) / 100.0;
        if (it % 7 == 1) npc = 1.0 + (double)(rnd() % 8);
        int64_t t0 = tmin + (int64_t)(rnd() % (uint64_t)(tmax - tmin));
        if (it == 0) t0 = tmin;
        a.vp.t0 = b.vp.t0 = t0;
        a.vp.ns_per_col = b.vp.ns_per_col = npc;
        tl_clamp(&a.vp);
        b.vp = a.vp;
        lane_row(&a, la, 1, ra_row);
        lane_row(&b, lb, 1, rb_row);
        /* the depth-0 strip (with the log markers): in place == copies */
        if (strcmp(ra_row, rb_row))
            fail_msg("view t0 %lld npc %g:\n in place '%s'\n copies   '%s'", (long long)a.vp.t0, a.vp.ns_per_col,
                     ra_row, rb_row);
        /* log markers: brute force */
        const tl_viewport *vp = &a.vp;
        int64_t t1 = tl_col_time(vp, COLS);
        char want[MAXC];
        memset(want, 0, sizeof want);
        for (uint32_t i = 0; i < NLOG; i++)
            if (lg[i].time >= vp->t0 && lg[i].time < t1) {
                int c = tl_time_col(vp, lg[i].time);
                if (c >= 0 && c < COLS) want[c] = 1;
            }
        for (int c = 0; c < COLS; c++) {
            /* a region's name (r0, r1, ...) keeps its cells: no marker there */
            int named = ra_row[c] == 'r' || (ra_row[c] >= '0' && ra_row[c] <= '9');
            if (want[c] ? ra_row[c] != '*' && !named : ra_row[c] == '*')
                fail_msg("view t0 %lld npc %g col %d: log marker '%c', want %d", (long long)vp->t0, vp->ns_per_col, c,
                         ra_row[c], want[c]);
            log_cells += want[c] && !named;
            strip_cells += ra_row[c] != ' ' && ra_row[c] != '*';
        }
        /* the assist/sweep row: a column shows a kind when one of its
         * ranges overlaps the column (and starts before the view ends) */
        lane_row(&a, lgc, 1, gc_row);
        for (int c = 0; c < COLS; c++) {
            int64_t ta = edge(vp, c), tb = edge(vp, c + 1), lim = tb < t1 ? tb : t1;
            int has_a = 0, has_w = 0;
            for (uint32_t i = 0; i < nas && !has_a; i++) has_a = as[i].start < lim && as[i].end > ta;
            for (uint32_t i = 0; i < nsw && !has_w; i++) has_w = sw[i].start < lim && sw[i].end > ta;
            char wc = has_a ? 'a' : has_w ? 'w' : ' ';
            if (gc_row[c] != wc)
                fail_msg("view t0 %lld npc %g col %d: assist/sweep '%c', want '%c'", (long long)vp->t0, vp->ns_per_col,
                         c, gc_row[c], wc);
            as_cells += has_a;
            sw_cells += !has_a && has_w;
        }
        views++;
    }
    assert_int_equal(views, 400);
    assert_true(strip_cells > 1000 && log_cells > 1000 && as_cells > 1000 && sw_cells > 1000);

    /* the memory: a few bytes per 16 or 64 records in place; the copies of the
     * nested goroutine are counted (20 bytes a region and more) */
    size_t ia = ui_index_bytes(&a), ib = ui_index_bytes(&b);
    size_t records = NREG + NLOG + (size_t)nas + nsw;
    if (ia > records) fail_msg("in place: %zu index bytes for %zu records", ia, records);
    assert_true(ia > 0);
    assert_true(ib >= (size_t)20 * NREG);

    ui_free(&a);
    ui_free(&b);
    model_free(ma);
    model_free(mb);
    evgen_free(&ea);
    evgen_free(&eb);
    free(s.ev);
}

static int gclass(int st)
{
    return st == TT_GS_RUNNING || st == TT_GS_SYSCALL ? 0 : st == TT_GS_RUNNABLE ? 1 : st == TT_GS_WAITING ? 2 : -1;
}

/* 400 goroutines changing state 200000 times (times on 64 ns ticks, as
 * Go's clock, with a few gaps that are not). */
static void test_gseries_shared(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    enum { NG = 400, NEV = 200000 };
    static int st[NG];
    static int64_t et[NEV];
    static int eg[NEV], eto[NEV];
    int ne = 0;
    int64_t t = 1000;
    evgen_sync(&e, t);
    for (int g = 0; g < NG; g++) {
        st[g] = TT_GS_RUNNABLE;
        evgen_go(&e, t, 0, 0, -1, g + 1, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, 0);
    }
    static const int states[] = {TT_GS_RUNNABLE, TT_GS_RUNNING, TT_GS_WAITING, TT_GS_SYSCALL};
    for (int i = 0; i < NEV; i++) {
        uint64_t x = rnd();
        t += x % 5 == 0 ? 0 : x % 1999 == 1 ? 1 + (int64_t)(x >> 50) : 64 * (1 + (int64_t)(x >> 20) % 80);
        int g = (int)(rnd() % NG), to = states[rnd() % 4];
        if (to == st[g]) continue;
        evgen_go(&e, t, 0, 0, -1, g + 1, st[g], to, to == TT_GS_WAITING ? "chan receive" : "", 0, 0);
        st[g] = to;
        et[ne] = t, eg[ne] = g, eto[ne] = to, ne++;
    }
    int64_t t_end = t + 64;
    evgen_sync(&e, t_end);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    size_t sum = 0;
    uint32_t longest = 0;
    for (int k = MSER_G_RUNNING; k <= MSER_G_WAITING; k++) {
        uint32_t n = model_series_len(m, (model_series_kind)k);
        sum += model_series_bytes(m, (model_series_kind)k);
        if (n > longest) longest = n;
    }
    assert_true(longest > 50000);
    if ((double)sum >= 4.5 * longest) fail_msg("goroutine counts: %zu bytes for %u points", sum, longest);
    /* the values at sorted random times against the counts replayed from
     * the transitions */
    int cls[NG];
    int64_t cnt[3] = {0, NG, 0};
    for (int g = 0; g < NG; g++) cls[g] = 1;
    int j = 0, checked = 0;
    for (int64_t q = 900; q < t_end + 100; q += 1 + (int64_t)(rnd() % 20000)) {
        while (j < ne && et[j] <= q) {
            int g = eg[j], c = gclass(eto[j]);
            if (cls[g] >= 0) cnt[cls[g]]--;
            if (c >= 0) cnt[c]++;
            cls[g] = c;
            j++;
        }
        for (int k = 0; k < 3; k++) {
            uint64_t want = q < 1000 ? 0 : (uint64_t)cnt[k];
            uint64_t got = model_series_at(m, (model_series_kind)(MSER_G_RUNNING + k), q);
            if (got != want) fail_msg("count %d at %lld: %llu, want %llu", k, (long long)q, (unsigned long long)got,
                                      (unsigned long long)want);
        }
        checked++;
    }
    assert_true(checked > 1000);
    model_free(m);
    evgen_free(&e);
}

/* Goroutine g runs/waits n spans from t (with gaps: one transition in 8,
 * at random, is an exit, and a goroutine with its id is created later:
 * a gap in its lane). Returns the time after. */
static int64_t long_lane(evgen *e, int64_t t, int64_t g, int n, int gaps)
{
    int st = TT_GS_RUNNING;
    for (int i = 1; i < n; i++) {
        t += 1 + (int64_t)(rnd() % 500);
        if (gaps && rnd() % 8 == 0) {
            /* end the lane's span with the goroutine, then bring it back */
            evgen_go(e, t, 0, 0, -1, g, st, TT_GS_NOTEXIST, NULL, 0, 0);
            t += 1 + (int64_t)(rnd() % 300);
            evgen_go(e, t, 0, 0, -1, g, TT_GS_NOTEXIST, TT_GS_RUNNABLE, NULL, 0, 0);
            st = TT_GS_RUNNABLE;
            continue;
        }
        int to = st == TT_GS_RUNNING ? TT_GS_WAITING : TT_GS_RUNNING;
        if (st == TT_GS_WAITING) to = TT_GS_RUNNABLE;
        if (st == TT_GS_RUNNABLE) to = TT_GS_RUNNING;
        evgen_go(e, t, 0, 0, -1, g, st, to, to == TT_GS_WAITING ? "chan receive" : NULL, 0, 0);
        st = to;
    }
    return t;
}

static void test_block_index_anchors(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    evgen_sync(&e, 1000);
    evgen_proc(&e, 1000, 0, -1, 0, TT_PS_UNDETERMINED, TT_PS_RUNNING);
    for (int g = 1; g <= 3; g++) evgen_go(&e, 1000, 0, 0, -1, g, TT_GS_UNDETERMINED, TT_GS_RUNNING, NULL, 0, 0);
    /* one goroutine at a time (events in time order) */
    int64_t t = long_lane(&e, 1000, 1, 5000, 0);
    t = long_lane(&e, t, 2, 4096, 0);
    t = long_lane(&e, t, 3, 6000, 1);
    evgen_sync(&e, t + 1000);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    const model_info *in = model_get_info(m);
    size_t before = model_block_index_bytes(m), copied = 0;
    uint8_t got[300], want[300];
    for (int g = 1; g <= 3; g++) {
        uint32_t li = model_goroutine_find(m, g);
        assert_true(li != UINT32_MAX);
        uint32_t n = 0;
        model_span *sp = lane_spans_copy(m, ML_GOROUTINE, li, &n);
        assert_non_null(sp);
        if (g == 2) assert_int_equal(n % 32, 0);
        assert_true(n >= 4096);
        int gaps = 0;
        for (uint32_t i = 1; i < n; i++) gaps += sp[i].start > sp[i - 1].end;
        if (g == 3) assert_true(gaps > 100);
        else assert_int_equal(gaps, 0);
        for (int it = 0; it < 300; it++) {
            uint32_t cols = 1 + (uint32_t)(rnd() % 300);
            double npc = it == 0 ? (double)(in->t_end - in->t_start) / cols : 1.0 + (double)(rnd() % 200000) / 10.0;
            int64_t t0 = in->t_start + (int64_t)(rnd() % (uint64_t)(in->t_end - in->t_start));
            if (it == 0) t0 = in->t_start;
            model_lane_columns(m, ML_GOROUTINE, li, t0, npc, cols, got);
            ref_columns(sp, n, t0, npc, cols, want);
            for (uint32_t c = 0; c < cols; c++)
                if (got[c] != want[c])
                    fail_msg("goroutine %d t0 %lld npc %g col %u: %u, want %u", g, (long long)t0, npc, c, got[c], want[c]);
        }
        size_t now = model_block_index_bytes(m), added = now - before;
        before = now;
        size_t nb = n / 32;
        if (g == 1 && added >= nb * sizeof(int64_t)) fail_msg("goroutine 1: %zu bytes for %zu blocks", added, nb);
        if (g > 1) {
            if (added < nb * sizeof(int64_t)) /* the copied ends */
                fail_msg("goroutine %d: %zu bytes for %zu blocks, a copy expected", g, added, nb);
            copied++;
        }
        assert_true(added > 0);
        free(sp);
    }
    assert_int_equal(copied, 2);
    model_free(m);
    evgen_free(&e);
}

/* The goroutine counts' bytes: 64 goroutines switching between running and
 * runnable 2 to 31 ticks of 64 ns apart, so every instant's tag is one byte
 * (a common transition, dt < 32 ticks): 127 bytes of stream a block of 128
 * instants. With 32-bit block values, maxima and offsets and 16-bit point
 * counts a block costs 43.6 bytes more: 1.333 bytes an instant in all;
 * 32-bit point counts cost 49 (1.38), 64-bit arrays 77 (1.60), and varint
 * tags (dt << 6 | codes) take 2 bytes an instant (2.37). The bound is
 * 1.36. */
static void test_gseries_block_bytes(void **state)
{
    (void)state;
    evgen e;
    evgen_init(&e);
    enum { NG = 64, NEV = 300000 };
    static int run[NG];
    int64_t t = 6400;
    evgen_sync(&e, t);
    for (int g = 0; g < NG; g++)
        evgen_go(&e, t, 0, 0, -1, g + 1, TT_GS_NOTEXIST, TT_GS_RUNNABLE, "", 0, 0);
    int64_t nrun = 0, maxrun = 0;
    for (int i = 0; i < NEV; i++) {
        t += 64 * (2 + (int64_t)(rnd() % 30));
        int g = (int)(rnd() % NG);
        evgen_go(&e, t, 0, 0, -1, g + 1, run[g] ? TT_GS_RUNNING : TT_GS_RUNNABLE,
                 run[g] ? TT_GS_RUNNABLE : TT_GS_RUNNING, "", 0, 0);
        run[g] = !run[g];
        nrun += run[g] ? 1 : -1;
        if (nrun > maxrun) maxrun = nrun;
    }
    evgen_sync(&e, t + 128);
    model *m = evgen_finish(&e);
    assert_non_null(m);
    uint32_t n = model_series_len(m, MSER_G_RUNNING); /* (builds the counts) */
    size_t sum = 0;
    for (int k = MSER_G_RUNNING; k <= MSER_G_WAITING; k++)
        sum += model_series_bytes(m, (model_series_kind)k);
    /* every instant: the start, each switch (and the lanes' end) */
    assert_true(n >= NEV + 1 && n <= NEV + 2);
    assert_int_equal(model_series_len(m, MSER_G_RUNNABLE), n);
    assert_true(model_series_len(m, MSER_G_WAITING) <= 2);
    assert_int_equal(model_series_max(m, MSER_G_RUNNING), (uint64_t)maxrun);
    assert_int_equal(model_series_at(m, MSER_G_RUNNING, t), (uint64_t)nrun);
    assert_int_equal(model_series_at(m, MSER_G_RUNNABLE, t), (uint64_t)(NG - nrun));
    if ((double)sum >= 1.36 * n) fail_msg("goroutine counts: %zu bytes for %u instants (%.3f)", sum, n, (double)sum / n);
    model_free(m);
    evgen_free(&e);
}

/* Is path mapped in this process? */
static int mapped(const char *path)
{
    char real[4096], line[4608];
    if (!realpath(path, real)) return -1;
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return -1;
    int hit = 0;
    size_t n = strlen(real);
    while (fgets(line, sizeof line, f)) {
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == ' ')) line[--l] = 0;
        if (l >= n && !strcmp(line + l - n, real)) hit = 1;
    }
    fclose(f);
    return hit;
}

#define PV_TRACE "samples/traces/cpubound.trace" /* two generations */

static void test_preview_bounded(void **state)
{
    (void)state;
    unsetenv("GOTV_PREVIEW_BYTES");
    unsetenv("GOTV_PREVIEW_EVENTS");
    /* one event per KiB of the file, at least 64 Ki */
    assert_int_equal(ui_preview_events(100ull << 20), 100u << 10);
    assert_int_equal(ui_preview_events(1ull << 30), 1u << 20);
    assert_int_equal(ui_preview_events(UI_PREVIEW_MIN_FILE + 1ull), UI_PREVIEW_MIN_EVENTS);
    setenv("GOTV_PREVIEW_EVENTS", "1234", 1);
    assert_int_equal(ui_preview_events(1ull << 30), 1234);
    unsetenv("GOTV_PREVIEW_EVENTS");
    setenv("GOTV_PREVIEW_BYTES", "5000", 1); /* the tests' prefixes: all their events */
    assert_int_equal(ui_preview_events(1ull << 30), 0);
    unsetenv("GOTV_PREVIEW_BYTES");

    tt_err err;
    memset(&err, 0, sizeof err);
    FILE *f = fopen(PV_TRACE, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fclose(f);

    /* the whole prefix (the first generation: 328 events, 16 KB), then 1/16 of its events */
    ui_preview all, pv;
    assert_int_equal(ui_preview_open_n(PV_TRACE, len / 16, len - 1, 0, &all, &err), TT_OK);
    assert_int_equal(mapped(PV_TRACE), 0); /* built: the file is closed */
    model *full = NULL; /* (maps the file while it lives) */
    assert_int_equal(model_open(PV_TRACE, NULL, &full, NULL, &err), TT_OK);
    const model_info *fi = model_get_info(full);
    const model_info *ai = model_get_info(all.m);
    assert_true(ai->nevents > 16 * 10 && ai->nevents < fi->nevents);
    uint64_t n = ai->nevents / 16;
    model_free(full);
    full = NULL;
    assert_int_equal(mapped(PV_TRACE), 0);
    assert_int_equal(ui_preview_open_n(PV_TRACE, len / 16, len - 1, n, &pv, &err), TT_OK);
    assert_int_equal(mapped(PV_TRACE), 0);
    assert_int_equal(model_open(PV_TRACE, NULL, &full, NULL, &err), TT_OK);
    const model_info *pi = model_get_info(pv.m);
    assert_int_equal(pv.bytes, all.bytes);
    assert_int_equal(pi->nevents, n);
    assert_int_equal(pi->t_start, ai->t_start);
    assert_true(pi->t_end < ai->t_end);
    /* its bytes follow the events kept (2.7 KB; the fixed part: tables, syms) */
    if (pi->mem_bytes > ai->mem_bytes / 4)
        fail_msg("preview of %llu events: %zu bytes; of %llu: %zu", (unsigned long long)n, pi->mem_bytes,
                 (unsigned long long)ai->nevents, ai->mem_bytes);
    /* what the preview shows is the full model's beginning: the same
     * goroutines started before the cut, with the same ids */
    uint32_t ng = model_lane_count(pv.m, ML_GOROUTINE);
    assert_true(ng > 0 && ng <= model_lane_count(full, ML_GOROUTINE));
    for (uint32_t gi = 0; gi < ng; gi++) {
        const model_goroutine *g = model_goroutine_get(pv.m, gi);
        assert_int_not_equal(model_goroutine_find(full, g->id), UINT32_MAX);
    }
    ui_preview_close(&pv);
    ui_preview_close(&all);
    assert_null(pv.m);
    model_free(full);
}

/* The lane list's heap block holds its lanes (and little more), folded or
 * unfolded. stress.trace: 500 goroutines, most in a few groups. */
static void test_lanes_fit(void **state)
{
    (void)state;
    model *m = NULL;
    tt_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(model_open("samples/traces/stress.trace", NULL, &m, NULL, &err), TT_OK);
    ui_state *st = calloc(1, sizeof *st);
    assert_non_null(st);
    assert_int_equal(ui_init(st, m, "stress.trace", 60, 200, 1), 0);
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    assert_true(ng >= 500);
    for (int round = 0; round < 2; round++) {
        if (round == 0) assert_true(st->nlanes < ng / 4); /* folded */
        size_t have = malloc_usable_size(st->lanes);
        if (have > st->nlanes * sizeof *st->lanes + 64)
            fail_msg("%u lanes in a block of %zu bytes", st->nlanes, have);
        uint32_t before = st->nlanes;
        if (round == 0) { /* unfold the group of the last goroutine */
            ui_select_g(st, ng - 1);
            assert_true(st->nlanes > before);
            if (malloc_usable_size(st->lanes) > st->nlanes * sizeof *st->lanes + 64)
                fail_msg("unfolded: %u lanes in a block of %zu bytes", st->nlanes, malloc_usable_size(st->lanes));
            ui_select_g(st, 0);
        }
    }
    /* the match list: none until a search */
    assert_null(st->matches);
    uik_line(st, CMD_SEARCH, "main");
    assert_non_null(st->matches);
    uint32_t nm = st->nmatches;
    assert_true(nm > 1);
    model *m2 = NULL; /* the same trace again: the swap searches it (a new state: no list yet) */
    assert_int_equal(model_open("samples/traces/stress.trace", NULL, &m2, NULL, &err), TT_OK);
    assert_int_equal(ui_swap_model(st, m2), 0);
    assert_non_null(st->matches);
    assert_int_equal(st->nmatches, nm);
    for (uint32_t i = 0; i < nm; i++) assert_int_equal(st->is_match[st->matches[i]], 1);
    ui_free(st);
    free(st);
    model_free(m);
    model_free(m2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_explorer_index_mem),
        cmocka_unit_test(test_gseries_shared),
        cmocka_unit_test(test_gseries_block_bytes),
        cmocka_unit_test(test_block_index_anchors),
        cmocka_unit_test(test_preview_bounded),
        cmocka_unit_test(test_lanes_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

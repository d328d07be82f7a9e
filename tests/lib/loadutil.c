/* Helpers for loader tests (see loadutil.h). */
#include "tests/lib/loadutil.h"

#include <stdlib.h>
#include <string.h>

static int on_ev(void *ctx, const tt_event *e)
{
    coll *c = ctx;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        tt_event *ne = realloc(c->ev, nc * sizeof *ne);
        if (!ne)
            return 1;
        c->ev = ne;
        c->cap = nc;
    }
    c->ev[c->n++] = *e;
    return 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    coll *c = ctx;
    if (done < c->last_done || done > total)
        c->progress_backwards = 1;
    c->last_done = done;
    c->nprogress++;
}

tt_status load_bytes(const uint8_t *buf, size_t len, coll *c, tt_load_result *res, tt_err *err)
{
    memset(c, 0, sizeof *c);
    memset(err, 0, sizeof *err);
    c->syms = tt_syms_new();
    tt_sink sink = {c, on_ev, on_progress, 0};
    return tt_load(buf, len, c->syms, &sink, res, err);
}

tt_status load(const tg *t, coll *c, tt_load_result *res, tt_err *err)
{
    return load_bytes(t->buf, t->len, c, res, err);
}

void coll_free(coll *c)
{
    free(c->ev);
    tt_syms_free(c->syms);
    memset(c, 0, sizeof *c);
}

long find_idx(const coll *c, int kind, int type, int nth)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->ev[i].kind == kind && (type < 0 || c->ev[i].type == type) && nth-- == 0)
            return (long)i;
    return -1;
}

const tt_event *find(const coll *c, int kind, int type, int nth)
{
    long i = find_idx(c, kind, type, nth);
    return i < 0 ? NULL : &c->ev[i];
}

void std_gen(tg *t, uint64_t gen, uint64_t time)
{
    tg_sync(t, gen, time, 1000000000);
    tg_strings(t, gen);
    tg_str(t, 1, "reason");
    tg_str(t, 2, "main.f");
    tg_str(t, 3, "f.go");
    tg_end(t);
    tg_stacks(t, gen);
    const uint64_t fr[1][4] = {{0x1000, 2, 3, 10}};
    tg_stack(t, 1, 1, fr);
    tg_end(t);
}

void end_gen(tg *t)
{
    tg_end(t);
    if (t->version >= 26)
        tg_eog(t);
}

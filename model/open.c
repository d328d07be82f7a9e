/* model_open / model_open_mem: tt_file_open + tt_load + the builder. */
#include "model/model_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct open_ctx {
    model_builder *b;
    const model_open_opts *opts;
    uint64_t limit, count;
    int cancelled;
    int nomem;     /* the builder ran out of memory */
    uint64_t done; /* bytes read at the last progress report */
} open_ctx;

static int cancel_requested(open_ctx *c)
{
    if (c->opts && c->opts->cancel && atomic_load_explicit(c->opts->cancel, memory_order_relaxed))
        c->cancelled = 1;
    return c->cancelled;
}

static int open_event(void *ctx, const tt_event *ev)
{
    open_ctx *c = ctx;
    if (c->count >= c->limit)
        return 1;
    if ((c->count & 0xffff) == 0 && cancel_requested(c))
        return 1;
    c->count++;
    if (model_builder_event(c->b, ev) == 0)
        return 0;
    c->nomem = 1;
    return 1;
}

static void open_progress(void *ctx, uint64_t done, uint64_t total)
{
    open_ctx *c = ctx;
    c->done = done;
    if (c->opts && c->opts->progress)
        c->opts->progress(c->opts->ctx, done, total);
    cancel_requested(c); /* the next event stops the load */
}

static tt_status cancelled(tt_err *err)
{
    return tt_err_set(err, TT_ERR_STOPPED, 0, "cancelled");
}

static tt_status build_once(const tt_file *f, const uint8_t *buf, size_t len,
                            const model_open_opts *opts, tt_syms *syms, uint64_t limit,
                            model **out, tt_load_result *res, tt_err *err)
{
    open_ctx c = {.b = model_builder_new(syms), .opts = opts, .limit = limit};
    if (!c.b)
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory");
    tt_sink sink = {.ctx = &c, .on_event = open_event, .on_progress = open_progress};
    /* from a mapped file, the loader releases the pages of the generations
     * already delivered (the file's pages do not add to the peak) */
    tt_status st = f ? tt_load_file(f, syms, &sink, res, err)
                     : tt_load(buf, len, syms, &sink, res, err);
    if (st == TT_ERR_STOPPED && c.nomem)
        st = tt_err_set(err, TT_ERR_NOMEM, c.done, "out of memory building the model");
    else if (st == TT_ERR_STOPPED && c.cancelled)
        st = cancelled(err);
    else if (st == TT_ERR_STOPPED && c.count >= limit && limit != UINT64_MAX)
        st = TT_OK; /* our own stop at the last complete generation */
    if (st == TT_OK && cancel_requested(&c))
        st = cancelled(err); /* asked after the last event */
    if (st != TT_OK) {
        model_builder_free(c.b);
        return st;
    }
    model *m = model_builder_finish(c.b);
    if (!m)
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory building the model");
    *out = m;
    return TT_OK;
}

static tt_status open_any(const tt_file *f, const uint8_t *buf, size_t len,
                          const model_open_opts *opts, model **out, tt_load_result *res,
                          tt_err *err)
{
    tt_load_result res0;
    if (!res)
        res = &res0;
    memset(res, 0, sizeof *res);
    *out = NULL;
    tt_syms *syms = tt_syms_new();
    if (!syms)
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory");
    model *m = NULL;
    uint64_t limit = opts && opts->max_events ? opts->max_events : UINT64_MAX;
    tt_status st = build_once(f, buf, len, opts, syms, limit, &m, res, err);
    if (st == TT_OK && res->truncated && res->valid_events < m->info.nevents) {
        /* Keep only the events up to the last Sync (as go tool trace does):
         * build again, stopping there. */
        tt_load_result res2;
        model *m2 = NULL;
        model_free(m);
        m = NULL;
        st = build_once(f, buf, len, opts, syms, res->valid_events, &m2, &res2, err);
        m = m2;
    }
    if (st != TT_OK) {
        model_free(m);
        tt_syms_free(syms);
        return st;
    }
    m->syms = syms;
    m->own_syms = 1;
    m->info.go_minor = res->go_minor;
    m->info.file_bytes = len;
    *out = m;
    return TT_OK;
}

tt_status model_open_mem(const uint8_t *buf, size_t len, const model_open_opts *opts,
                         model **out, tt_load_result *res, tt_err *err)
{
    return open_any(NULL, buf, len, opts, out, res, err);
}

tt_status model_open(const char *path, const model_open_opts *opts, model **out,
                     tt_load_result *res, tt_err *err)
{
    tt_file f;
    *out = NULL;
    tt_status st = tt_file_open(path, &f, err);
    if (st != TT_OK)
        return st;
    st = open_any(&f, f.data, f.len, opts, out, res, err);
    if (st != TT_OK) {
        tt_file_close(&f);
        return st;
    }
    (*out)->file = f;
    (*out)->own_file = 1;
    return TT_OK;
}

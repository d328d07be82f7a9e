/* model_open / model_open_mem: tt_file_open + tt_load + the builder. */
#include "model/model_int.h"

#include <malloc.h>
#include <pthread.h>
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

/*
 * The pipeline (off unless asked, GOTV_THREADS=2: see model_int.h for why):
 * a big trace's loader runs on a second thread and the builder on the
 * calling one, the events going through a ring of copies, so that the load
 * hides behind the builder, which costs more per event. The builder reads only what
 * the events carry and, through tt_syms_str and tt_syms_stack_frames,
 * strings and stacks the loader interned before sending them: tt_syms is in
 * its shared mode meanwhile. The model is the same either way
 * (tests/test_model_threads.c).
 */
#ifndef GOTV_OPEN_PIPE /* -DGOTV_OPEN_PIPE=2: every full load piped (checks) */
#define GOTV_OPEN_PIPE 1 /* off unless asked: see model_int.h */
#endif
int model_open_pipe = GOTV_OPEN_PIPE;

void model_set_threads(int mode)
{
    if (mode < 0 || mode > 2)
        mode = 0;
    model_open_pipe = mode ? mode : GOTV_OPEN_PIPE;
    model_build_threads = mode;
}

#define PIPE_SLOTS 4096u /* 512 KiB of events */
#define PIPE_BATCH 64u   /* positions are published every this many events */
#define PIPE_MIN_BYTES ((size_t)16 << 20)

typedef struct pipe_q {
    tt_event *slot;
    open_ctx *c;
    uint64_t ptail, phead; /* producer: events sent; last head seen */
    int pcancel;           /* producer: cancel seen at a progress call */
    tt_syms *syms;
    /* producer: arrays tt_syms kept while growing, freed once the builder
     * is past the events sent before (rtag[i]: ptail when the first rcnt[i]
     * were kept) */
    uint64_t rtag[8];
    size_t rcnt[8], nr, rnoted;
    _Alignas(64) _Atomic uint64_t tail; /* events published by the loader */
    _Alignas(64) _Atomic uint64_t head; /* events the builder is done with */
    _Atomic int stop;                   /* the builder stopped (nomem, cancel) */
    _Atomic int end;                    /* the loader returned */
    _Atomic int pwait, cwait;           /* a side sleeps (pipe_wait_room, pipe_builder) */
    _Atomic uint64_t pwant;             /* the head the loader waits for */
    _Atomic uint64_t cwant;             /* the tail the builder waits for */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pipe_q;

static int pipe_wanted(size_t len)
{
    if (model_open_pipe == 1)
        return 0;
    if (model_open_pipe == 2)
        return 1;
    if (len < PIPE_MIN_BYTES)
        return 0;
    return model_cpu_free(); /* else the two threads only take turns */
}

static void pipe_wake(pipe_q *q)
{
    pthread_mutex_lock(&q->mu);
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* Loader side: free the arrays tt_syms kept that the builder can no longer
 * be reading: those kept before the events it is done with were sent (it
 * reads the pointers again for every event, after taking it from the
 * ring, so it sees the new arrays for any event sent after). */
static void pipe_reclaim(pipe_q *q)
{
    size_t n = tt_syms_retired(q->syms);
    if (n > q->rnoted && q->nr < 8) {
        q->rtag[q->nr] = q->ptail;
        q->rcnt[q->nr++] = n;
        q->rnoted = n;
    }
    if (q->nr == 0 || atomic_load(&q->head) < q->rtag[0])
        return;
    size_t k = 0;
    uint64_t h = atomic_load(&q->head);
    while (k < q->nr && q->rtag[k] <= h)
        k++;
    tt_syms_reclaim(q->syms, q->rcnt[k - 1]);
    memmove(q->rtag, q->rtag + k, (q->nr - k) * sizeof *q->rtag);
    memmove(q->rcnt, q->rcnt + k, (q->nr - k) * sizeof *q->rcnt);
    q->nr -= k;
}

/* Loader side: publish the events sent so far. */
static void pipe_publish(pipe_q *q)
{
    atomic_store(&q->tail, q->ptail);
    /* the flag cleared by the one who wakes: one wake per sleep */
    if (atomic_load(&q->cwait) && q->ptail >= atomic_load(&q->cwant) &&
        atomic_exchange(&q->cwait, 0))
        pipe_wake(q);
    if (q->rnoted < tt_syms_retired(q->syms) || q->nr)
        pipe_reclaim(q);
}

/* Loader side, the ring full: publish, then wait until the builder has
 * emptied half of it (or stopped). The flag is set and the head read again
 * under the mutex, and the builder reads the flag after storing its head
 * (both sequentially consistent): one of the two sees the other, and the
 * builder's wake takes the mutex, so it comes after the wait began. */
static void pipe_wait_room(pipe_q *q)
{
    pipe_publish(q);
    uint64_t want = q->ptail - PIPE_SLOTS / 2;
    atomic_store(&q->pwant, want);
    pthread_mutex_lock(&q->mu);
    for (;;) {
        atomic_store(&q->pwait, 1);
        if (atomic_load(&q->head) >= want || atomic_load(&q->stop))
            break;
        pthread_cond_wait(&q->cv, &q->mu);
    }
    atomic_store(&q->pwait, 0);
    pthread_mutex_unlock(&q->mu);
    q->phead = atomic_load(&q->head);
}

static int pipe_event(void *ctx, const tt_event *ev)
{
    pipe_q *q = ctx;
    if (q->ptail - q->phead >= PIPE_SLOTS) {
        q->phead = atomic_load_explicit(&q->head, memory_order_acquire);
        if (q->ptail - q->phead >= PIPE_SLOTS)
            pipe_wait_room(q);
    }
    if (atomic_load_explicit(&q->stop, memory_order_relaxed) || q->pcancel)
        return 1;
    q->slot[q->ptail & (PIPE_SLOTS - 1)] = *ev;
    if ((++q->ptail & (PIPE_BATCH - 1)) == 0)
        pipe_publish(q);
    return 0;
}

static void pipe_progress(void *ctx, uint64_t done, uint64_t total)
{
    pipe_q *q = ctx;
    const model_open_opts *o = q->c->opts;
    if (o && o->progress)
        o->progress(o->ctx, done, total);
    if (o && o->cancel && atomic_load_explicit(o->cancel, memory_order_relaxed))
        q->pcancel = 1; /* the next event stops the load */
    /* c->done belongs to the builder's thread; the offset an out-of-memory
     * error reports is the last one sent before the loader returned */
}

/* Builder side: store the head, wake the loader if it waits for it. */
static void pipe_done_upto(pipe_q *q, uint64_t h)
{
    atomic_store(&q->head, h);
    if (atomic_load(&q->pwait) && h >= atomic_load(&q->pwant) && atomic_exchange(&q->pwait, 0))
        pipe_wake(q);
}

static void pipe_builder(pipe_q *q)
{
    uint64_t h = 0;
    for (;;) {
        uint64_t t = atomic_load_explicit(&q->tail, memory_order_acquire);
        if (h == t) {
            /* empty: sleep until a quarter of the ring is there, or the
             * end (the same handshake as pipe_wait_room's) */
            pipe_done_upto(q, h);
            atomic_store(&q->cwant, h + PIPE_SLOTS / 4);
            pthread_mutex_lock(&q->mu);
            for (;;) {
                atomic_store(&q->cwait, 1);
                if (atomic_load(&q->tail) >= h + PIPE_SLOTS / 4 || atomic_load(&q->end))
                    break;
                pthread_cond_wait(&q->cv, &q->mu);
            }
            atomic_store(&q->cwait, 0);
            pthread_mutex_unlock(&q->mu);
            if (atomic_load(&q->end) && atomic_load(&q->tail) == h) /* all done */
                return;
            continue;
        }
        for (; h < t; h++) {
            if (open_event(q->c, &q->slot[h & (PIPE_SLOTS - 1)])) {
                atomic_store(&q->stop, 1);
                pipe_wake(q);
                return;
            }
            if (((h + 1) & (PIPE_BATCH - 1)) == 0)
                pipe_done_upto(q, h + 1);
        }
    }
}

typedef struct pipe_load {
    pipe_q *q;
    const tt_file *f;
    const uint8_t *buf;
    size_t len;
    tt_syms *syms;
    tt_load_result *res;
    tt_err *err;
    tt_status st;
} pipe_load;

static void *pipe_loader(void *arg)
{
    pipe_load *l = arg;
    pipe_q *q = l->q;
    tt_sink sink = {.ctx = q, .on_event = pipe_event, .on_progress = pipe_progress};
    l->st = l->f ? tt_load_file(l->f, l->syms, &sink, l->res, l->err)
                 : tt_load(l->buf, l->len, l->syms, &sink, l->res, l->err);
    pipe_publish(q);
    atomic_store(&q->end, 1);
    pipe_wake(q);
    return NULL;
}

/* tt_load / tt_load_file with the loader on a second thread and the
 * builder on this one (so the model is allocated where it would be without
 * the pipeline: one malloc arena, no more memory). Returns -1 (nothing
 * done) when the thread or the ring cannot be had. */
static int piped_load(const tt_file *f, const uint8_t *buf, size_t len, tt_syms *syms,
                      open_ctx *c, tt_load_result *res, tt_err *err, tt_status *out)
{
    pipe_q *q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    q->slot = malloc(PIPE_SLOTS * sizeof *q->slot);
    q->c = c;
    q->syms = syms;
    if (!q->slot || pthread_mutex_init(&q->mu, NULL)) {
        free(q->slot);
        free(q);
        return -1;
    }
    if (pthread_cond_init(&q->cv, NULL)) {
        pthread_mutex_destroy(&q->mu);
        free(q->slot);
        free(q);
        return -1;
    }
    pipe_load l = {q, f, buf, len, syms, res, err, TT_OK};
    pthread_t th;
    if (tt_syms_share(syms, 1) || pthread_create(&th, NULL, pipe_loader, &l)) {
        tt_syms_share(syms, 0);
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
        free(q->slot);
        free(q);
        return -1;
    }
    pipe_builder(q);
    pthread_join(th, NULL);
    tt_syms_share(syms, 0);
    malloc_trim(0); /* what the loader freed in its thread's arena */
    tt_status st = l.st;
    /* the builder stopped at an event the loader sent before whatever
     * ended its load: that stop is what a load on one thread returns */
    if (atomic_load(&q->stop))
        st = TT_ERR_STOPPED;
    if (q->pcancel)
        c->cancelled = 1;
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q->slot);
    free(q);
    *out = st;
    return 0;
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
    tt_status st;
    if (limit != UINT64_MAX || !pipe_wanted(len) || piped_load(f, buf, len, syms, &c, res, err, &st))
        st = f ? tt_load_file(f, syms, &sink, res, err) : tt_load(buf, len, syms, &sink, res, err);
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

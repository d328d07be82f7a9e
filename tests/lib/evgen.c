/* evgen: synthetic event sequences for model tests. */
#include "tests/lib/evgen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what)
{
    fprintf(stderr, "evgen: %s\n", what);
    abort();
}

void evgen_init(evgen *e)
{
    memset(e, 0, sizeof *e);
    e->syms = tt_syms_new();
    if (!e->syms)
        die("no memory");
    e->b = model_builder_new(e->syms);
    if (!e->b)
        die("no memory");
}

model *evgen_finish(evgen *e)
{
    model *m = model_builder_finish(e->b);
    e->b = NULL;
    if (!m)
        die("finish failed");
    return m;
}

void evgen_free(evgen *e)
{
    if (e->b)
        model_builder_free(e->b);
    tt_syms_free(e->syms);
    memset(e, 0, sizeof *e);
}

uint32_t evgen_str(evgen *e, const char *s)
{
    if (!s)
        return 0;
    uint32_t id = tt_syms_intern(e->syms, s, strlen(s));
    if (id == UINT32_MAX)
        die("intern");
    return id;
}

uint32_t evgen_stack(evgen *e, const char *leaf, ...)
{
    tt_frame fr[64];
    uint32_t n = 0;
    va_list ap;
    va_start(ap, leaf);
    for (const char *f = leaf; f && n < 64; f = va_arg(ap, const char *)) {
        uint64_t h = 1469598103934665603ull;
        for (const char *p = f; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        fr[n].pc = 0x400000 + (h & 0xfffff0) + n;
        fr[n].line = n + 1;
        fr[n].func = evgen_str(e, f);
        fr[n].file = evgen_str(e, "f.go");
        n++;
    }
    va_end(ap);
    uint32_t id = tt_syms_stack(e->syms, fr, n);
    if (id == UINT32_MAX)
        die("stack");
    return id;
}

void evgen_event(evgen *e, const tt_event *ev)
{
    if (model_builder_event(e->b, ev) != 0)
        die("builder event failed");
}

static tt_event base(int64_t t, int64_t m, int64_t p, int64_t g)
{
    tt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.time = t;
    ev.m = m;
    ev.p = p;
    ev.g = g;
    ev.id = TT_NO_ID;
    return ev;
}

void evgen_sync(evgen *e, int64_t t)
{
    tt_event ev = base(t, TT_NO_ID, TT_NO_ID, TT_NO_ID);
    ev.kind = TT_EV_SYNC;
    ev.arg[0] = ++e->nsync;
    evgen_event(e, &ev);
}

void evgen_go(evgen *e, int64_t t, int64_t m, int64_t p, int64_t g, int64_t id, int from, int to,
              const char *reason, uint32_t stack, uint32_t tstack)
{
    tt_event ev = base(t, m, p, g);
    ev.kind = TT_EV_STATE_TRANSITION;
    ev.res = TT_RES_GOROUTINE;
    ev.id = id;
    ev.from = (uint8_t)from;
    ev.to = (uint8_t)to;
    ev.name = evgen_str(e, reason);
    ev.stack = stack;
    ev.tstack = tstack;
    evgen_event(e, &ev);
}

void evgen_proc(evgen *e, int64_t t, int64_t m, int64_t p, int64_t id, int from, int to)
{
    tt_event ev = base(t, m, p, TT_NO_ID);
    ev.kind = TT_EV_STATE_TRANSITION;
    ev.res = TT_RES_PROC;
    ev.id = id;
    ev.from = (uint8_t)from;
    ev.to = (uint8_t)to;
    evgen_event(e, &ev);
}

void evgen_range(evgen *e, int64_t t, int kind, const char *name, int res, int64_t id,
                 int64_t g, int64_t p)
{
    tt_event ev = base(t, TT_NO_ID, p, g);
    ev.kind = (uint8_t)kind;
    ev.name = evgen_str(e, name);
    ev.res = (uint8_t)res;
    ev.id = res == TT_RES_NONE ? TT_NO_ID : id;
    evgen_event(e, &ev);
}

void evgen_region(evgen *e, int64_t t, int kind, int64_t g, uint64_t task, const char *name)
{
    tt_event ev = base(t, TT_NO_ID, TT_NO_ID, g);
    ev.kind = (uint8_t)kind;
    ev.id = (int64_t)task;
    ev.name = evgen_str(e, name);
    evgen_event(e, &ev);
}

void evgen_task(evgen *e, int64_t t, int kind, int64_t g, uint64_t id, uint64_t parent,
                const char *name)
{
    tt_event ev = base(t, TT_NO_ID, TT_NO_ID, g);
    ev.kind = (uint8_t)kind;
    ev.id = (int64_t)id;
    ev.arg[0] = parent;
    ev.name = evgen_str(e, name);
    evgen_event(e, &ev);
}

void evgen_log(evgen *e, int64_t t, int64_t g, uint64_t task, const char *cat, const char *msg)
{
    tt_event ev = base(t, TT_NO_ID, TT_NO_ID, g);
    ev.kind = TT_EV_LOG;
    ev.id = (int64_t)task;
    ev.name = evgen_str(e, cat);
    ev.msg = evgen_str(e, msg);
    evgen_event(e, &ev);
}

void evgen_metric(evgen *e, int64_t t, const char *name, uint64_t v)
{
    tt_event ev = base(t, TT_NO_ID, TT_NO_ID, TT_NO_ID);
    ev.kind = TT_EV_METRIC;
    ev.name = evgen_str(e, name);
    ev.arg[0] = v;
    evgen_event(e, &ev);
}

void evgen_label(evgen *e, int64_t t, int64_t g, const char *label)
{
    tt_event ev = base(t, TT_NO_ID, TT_NO_ID, g);
    ev.kind = TT_EV_LABEL;
    ev.res = TT_RES_GOROUTINE;
    ev.id = g;
    ev.name = evgen_str(e, label);
    evgen_event(e, &ev);
}

const char *evgen_mstr(const model *m, uint32_t id)
{
    static char buf[128];
    size_t n;
    const char *s = model_str(m, id, &n);
    snprintf(buf, sizeof buf, "%.*s", (int)n, s);
    return buf;
}

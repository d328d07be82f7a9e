/*
 * evgen: build synthetic ordered tt_event sequences and feed them to a
 * model_builder (tests of the model without trace bytes). Allocation failures
 * abort (tests only).
 */
#ifndef GOTV_TESTS_EVGEN_H
#define GOTV_TESTS_EVGEN_H

#include "loader/trace.h"
#include "model/model.h"

typedef struct evgen {
    tt_syms *syms;
    model_builder *b;
    uint64_t nsync;
} evgen;

void evgen_init(evgen *e);
/* Finish the builder into a model (e->syms stays owned by e). */
model *evgen_finish(evgen *e);
void evgen_free(evgen *e);

uint32_t evgen_str(evgen *e, const char *s);
/* A stack of frames given as function names, leaf first, NULL-terminated;
 * each frame gets file "f.go", line = index+1, pc derived from the name. */
uint32_t evgen_stack(evgen *e, const char *leaf, ...);

/* Raw event (ev->time etc. as given). */
void evgen_event(evgen *e, const tt_event *ev);
void evgen_sync(evgen *e, int64_t t);
/* Goroutine transition of goroutine id; context (m, p, g). */
void evgen_go(evgen *e, int64_t t, int64_t m, int64_t p, int64_t g, int64_t id, int from, int to,
              const char *reason, uint32_t stack, uint32_t tstack);
void evgen_proc(evgen *e, int64_t t, int64_t m, int64_t p, int64_t id, int from, int to);
/* kind TT_EV_RANGE_*; res TT_RES_*; id = scope id. */
void evgen_range(evgen *e, int64_t t, int kind, const char *name, int res, int64_t id,
                 int64_t g, int64_t p);
void evgen_region(evgen *e, int64_t t, int kind, int64_t g, uint64_t task, const char *name);
void evgen_task(evgen *e, int64_t t, int kind, int64_t g, uint64_t id, uint64_t parent,
                const char *name);
void evgen_log(evgen *e, int64_t t, int64_t g, uint64_t task, const char *cat, const char *msg);
void evgen_metric(evgen *e, int64_t t, const char *name, uint64_t v);
void evgen_label(evgen *e, int64_t t, int64_t g, const char *label);

/* A model string (model_str) NUL-terminated, at most 127 bytes, in a static
 * buffer that the next call overwrites. */
const char *evgen_mstr(const model *m, uint32_t id);

#endif

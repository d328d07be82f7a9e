/* Helpers for loader tests: collect events from tt_load, standard tables. */
#ifndef GOTV_TESTS_LOADUTIL_H
#define GOTV_TESTS_LOADUTIL_H

#include "loader/trace.h"
#include "tests/lib/tracegen.h"

typedef struct coll {
    tt_event *ev;
    size_t n, cap;
    tt_syms *syms;
    uint64_t nprogress;  /* on_progress calls */
    uint64_t last_done;  /* last reported position */
    int progress_backwards; /* set if a report went backwards or beyond total */
} coll;

/* Load t's bytes with a collecting sink (c is initialised here). */
tt_status load(const tg *t, coll *c, tt_load_result *res, tt_err *err);
tt_status load_bytes(const uint8_t *buf, size_t len, coll *c, tt_load_result *res, tt_err *err);
void coll_free(coll *c);
/* nth event (0-based) with this kind and wire type, or NULL */
const tt_event *find(const coll *c, int kind, int type, int nth);
/* index of that event in c->ev, or -1 */
long find_idx(const coll *c, int kind, int type, int nth);

/* Generation prologue: frequency 1e9 (1 tick = 1 ns) or sync batch at time,
 * strings 1 "reason", 2 "main.f", 3 "f.go", stack 1 = {0x1000 main.f f.go:10}. */
void std_gen(tg *t, uint64_t gen, uint64_t time);
/* Close the open batch and, for version 26, write EndOfGeneration. */
void end_gen(tg *t);

#endif

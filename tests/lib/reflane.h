/* Plain reference computations over a lane's decoded spans, for the model
 * tests that check the fast queries against them: the state a column of
 * model_lane_columns shows, and the goroutine-count change points. */
#ifndef GOTV_TESTS_REFLANE_H
#define GOTV_TESTS_REFLANE_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

/* The state model_lane_columns shows for the column [ta, tb) of the spans
 * s[0..n) (sorted, not overlapping), straight from its contract in model.h;
 * *first: where to start (advanced past spans ending by ta, for sweeps). */
int ref_column(const model_span *s, uint32_t n, uint32_t *first, int64_t ta, int64_t tb);
/* ref_column for ncols columns of npc ns from t0 (the edges rounded as
 * model_lane_columns rounds them). */
void ref_columns(const model_span *s, uint32_t n, int64_t t0, double npc, uint32_t ncols, uint8_t *out);

/* The goroutine-count class of a state: 0 running (and in a syscall), 1
 * runnable, 2 waiting, -1 none. */
int ref_gclass(uint32_t st);
/* A change of a goroutine count: at t, class w, +1 or -1. */
typedef struct ref_bnd {
    int64_t t;
    int w, d;
} ref_bnd;
/* Every start and end of a counted goroutine span, sorted by time (free()
 * it); *n gets the count. NULL if memory is short. */
ref_bnd *ref_gbounds(const model *m, size_t *n);

#endif

/* The builder's metrics series written as the events come (series.c): the
 * compact form from the start, no list of points. Internal to the model. */
#ifndef GOTV_MODEL_SERIES_W_H
#define GOTV_MODEL_SERIES_W_H

#include "model/model.h"

#include <stdint.h>

typedef struct model_series_w model_series_w;

/* A new empty writer (NULL: no memory). */
model_series_w *model_series_w_new(void);
/* Add a point, as model_series_set does with its list: a point at the
 * pending point's time or before it replaces the pending point's value.
 * 0 ok, -1 no memory (or 2^32 points). */
int model_series_w_push(model_series_w *w, int64_t t, uint64_t v);
/* Finish w and store it as series k of m (replacing it); w is freed either
 * way. 0 ok, -1 no memory. */
int model_series_w_take(model *m, model_series_kind k, model_series_w *w);
void model_series_w_free(model_series_w *w);

#endif

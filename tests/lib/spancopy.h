/* Helper for model tests: a lane's spans as a plain array, decoded one by
 * one through the accessor API (model_lane_nspans / model_lane_span). */
#ifndef GOTV_TESTS_SPANCOPY_H
#define GOTV_TESTS_SPANCOPY_H

#include "model/model.h"

/* All spans of lane idx of kind k in a new array (free() it); *n gets the
 * count. NULL if memory is short or a span in [0, count) does not decode
 * (model_lane_span returned NULL or not its out argument). An empty or
 * out-of-range lane gives a valid array with *n = 0. */
model_span *lane_spans_copy(const model *m, model_lane_kind k, uint32_t idx, uint32_t *n);

#endif

/* Internal statistics of the level-of-detail code (columns.c), for tests. */
#ifndef GOTV_MODEL_COLUMNS_H
#define GOTV_MODEL_COLUMNS_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

/* Columns model_lane_columns answered from super-blocks of 1024 spans
 * (without reading a span or a block checkpoint), summed over the lanes
 * whose block index exists; they are also counted in model_cache.lod_cols. */
uint64_t model_lod2_cols(const model *m);
/* Heap bytes of the lanes' block indexes built so far (the per-lane
 * headers, grids, super-blocks and any copied block ends). */
size_t model_block_index_bytes(const model *m);

#endif

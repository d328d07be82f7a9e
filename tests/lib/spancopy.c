#include "tests/lib/spancopy.h"

#include <stdlib.h>

model_span *lane_spans_copy(const model *m, model_lane_kind k, uint32_t idx, uint32_t *n)
{
    uint32_t cnt = model_lane_nspans(m, k, idx);
    *n = 0;
    model_span *s = malloc(sizeof *s * ((size_t)cnt + 1));
    if (!s)
        return NULL;
    for (uint32_t i = 0; i < cnt; i++)
        if (model_lane_span(m, k, idx, i, &s[i]) != &s[i]) {
            free(s);
            return NULL;
        }
    *n = cnt;
    return s;
}

/* Placeholder until the old-format reader lands. */
#include "loader/v1.h"

tt_status tt_load_v1(const uint8_t *buf, size_t len, int minor, tt_syms *syms,
                     const tt_sink *sink, tt_load_result *res, tt_err *err)
{
    (void)buf, (void)len, (void)syms, (void)sink, (void)res;
    return tt_err_set(err, TT_ERR_VERSION, 0,
                      "old trace format go 1.%d is not supported yet", minor);
}

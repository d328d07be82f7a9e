/* Status codes and error messages of the loader and model. */
#include "loader/trace.h"

#include <stdarg.h>
#include <stdio.h>

const char *tt_status_str(tt_status s)
{
    switch (s) {
#define TT_X_CASE(name, text) \
    case name:                \
        return text;
        TT_STATUS_LIST(TT_X_CASE)
#undef TT_X_CASE
    }
    return "unknown status";
}

tt_status tt_err_set(tt_err *err, tt_status code, uint64_t offset, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->offset = offset;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Small helpers shared by the command-line commands. */
#include "tui/commands.h"

#include <stdarg.h>
#include <stdio.h>

void gotv_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gotv: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nTry 'gotv --help'.\n", stderr);
    va_end(ap);
}

int gotv_not_built(const char *what)
{
    fprintf(stderr, "gotv: '%s' is not built yet\n", what);
    return 2;
}

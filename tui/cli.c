/* Small helpers shared by the command-line commands. */
#include "tui/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

void gotv_print_safe(FILE *f, const char *s, size_t n)
{
    char buf[1024];
    size_t need = model_safe_text(buf, sizeof buf, s, n);
    fputs(buf, f);
    if (need >= sizeof buf)
        fputs("...", f);
}

int gotv_open_model(const char *path, model **m, tt_load_result *res)
{
    tt_err err;
    memset(&err, 0, sizeof err);
    tt_status st = model_open(path, NULL, m, res, &err);
    if (st != TT_OK) {
        fputs("gotv: ", stderr);
        gotv_print_safe(stderr, path, strlen(path));
        fprintf(stderr, ": %s at byte %llu\n", err.msg[0] ? err.msg : tt_status_str(st),
                (unsigned long long)err.offset);
        return 1;
    }
    if (res->truncated) {
        uint64_t size = model_get_info(*m)->file_bytes;
        double lost = size > res->valid_bytes
                          ? (double)(size - res->valid_bytes) * 100.0 / (double)size
                          : 0;
        fputs("gotv: ", stderr);
        gotv_print_safe(stderr, path, strlen(path));
        fprintf(stderr, ": trace truncated at byte %llu; lost %.2f%% of the data (%s)\n",
                (unsigned long long)res->warn.offset, lost,
                res->warn.msg[0] ? res->warn.msg : "trace truncated");
    }
    return 0;
}

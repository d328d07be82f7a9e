/* gotv stats FILE: summary statistics of a trace. */
#include "model/model.h"
#include "tui/commands.h"

#include <stdio.h>
#include <string.h>

static void print_safe(FILE *f, const char *s, size_t n)
{
    char buf[1024];
    size_t need = model_safe_text(buf, sizeof buf, s, n);
    fputs(buf, f);
    if (need >= sizeof buf)
        fputs("...", f);
}

static int open_or_report(const char *path, model **m, tt_load_result *res)
{
    tt_err err;
    memset(&err, 0, sizeof err);
    tt_status st = model_open(path, NULL, m, res, &err);
    if (st != TT_OK) {
        fputs("gotv: ", stderr);
        print_safe(stderr, path, strlen(path));
        fprintf(stderr, ": %s at byte %llu\n", err.msg[0] ? err.msg : tt_status_str(st),
                (unsigned long long)err.offset);
        return 1;
    }
    if (res->truncated) {
        fputs("gotv: warning: ", stderr);
        print_safe(stderr, path, strlen(path));
        fprintf(stderr, ": %s at byte %llu; showing the %llu complete generation(s)\n",
                res->warn.msg[0] ? res->warn.msg : "trace truncated",
                (unsigned long long)res->warn.offset, (unsigned long long)res->generations);
    }
    return 0;
}

int gotv_cmd_stats(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            if (i + 1 < argc && !path)
                path = argv[i + 1];
            break;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            gotv_usage_error("stats: unknown option %s", argv[i]);
            return 2;
        }
        if (path) {
            gotv_usage_error("stats: one trace file expected");
            return 2;
        }
        path = argv[i];
    }
    if (!path) {
        gotv_usage_error("stats: no trace file given");
        return 2;
    }
    model *m = NULL;
    tt_load_result res;
    if (open_or_report(path, &m, &res))
        return 1;
    const model_info *in = model_get_info(m);
    char d1[32], d2[32];
    printf("File:         ");
    print_safe(stdout, path, strlen(path));
    printf("\n");
    printf("Go version:   go 1.%d trace\n", in->go_minor);
    printf("Size:         %llu bytes\n", (unsigned long long)in->file_bytes);
    printf("Duration:     %s (%lld ns)\n", model_fmt_duration(d1, sizeof d1, in->t_end - in->t_start),
           (long long)(in->t_end - in->t_start));
    printf("Events:       %llu\n", (unsigned long long)in->nevents);
    printf("Generations:  %llu%s\n", (unsigned long long)res.generations,
           res.truncated ? " (truncated)" : "");
    printf("Goroutines:   %u\n", in->ngoroutines);
    printf("Procs (Ps):   %u (GOMAXPROCS max %u)\n", in->nprocs, in->gomaxprocs_max);
    printf("Threads (Ms): %u\n", in->nthreads);
    printf("GC cycles:    %u (total %s, max %s)\n", in->ngc,
           model_fmt_duration(d1, sizeof d1, in->gc_total_ns),
           model_fmt_duration(d2, sizeof d2, in->gc_max_ns));
    printf("STW pauses:   %u (total %s, max %s)\n", in->nstw,
           model_fmt_duration(d1, sizeof d1, in->stw_total_ns),
           model_fmt_duration(d2, sizeof d2, in->stw_max_ns));
    printf("Tasks:        %u\n", in->ntasks);
    printf("Regions:      %u\n", in->nregions);
    printf("Logs:         %u\n", in->nlogs);
    printf("CPU samples:  %u\n", in->ncpu_samples);
    model_free(m);
    return 0;
}

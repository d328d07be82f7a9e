/* gotv stats FILE: summary statistics of a trace. */
#include "model/model.h"
#include "tui/commands.h"

#include <stdio.h>
#include <string.h>

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
    if (gotv_open_model(path, &m, &res))
        return 1;
    const model_info *in = model_get_info(m);
    char d1[32], d2[32];
    printf("File:         ");
    gotv_print_safe(stdout, path, strlen(path));
    printf("\n");
    printf("Go version:   go 1.%d trace\n", in->go_minor);
    printf("Size:         %llu bytes\n", (unsigned long long)in->file_bytes);
    printf("Duration:     %s (%lld ns)\n", model_fmt_duration(d1, sizeof d1, in->t_end - in->t_start),
           (long long)(in->t_end - in->t_start));
    printf("Events:       %llu\n", (unsigned long long)in->nevents);
    printf("Generations:  %llu%s\n", (unsigned long long)res.generations,
           res.truncated ? " (truncated)" : "");
    printf("Goroutines:   %u\n", in->ngoroutines);
    if (in->gomaxprocs_max) /* (a Go 1.11-1.21 trace may not say) */
        printf("Procs (Ps):   %u (GOMAXPROCS max %u)\n", in->nprocs, in->gomaxprocs_max);
    else
        printf("Procs (Ps):   %u\n", in->nprocs);
    printf("Threads (Ms): %u\n", in->nthreads);
    printf("GC cycles:    %u (total %s, max %s%s)\n", in->ngc,
           model_fmt_duration(d1, sizeof d1, in->gc_total_ns),
           model_fmt_duration(d2, sizeof d2, in->gc_max_ns),
           in->ngc_open ? "; the last still running at the end" : "");
    printf("STW pauses:   %u (total %s, max %s%s)\n", in->nstw,
           model_fmt_duration(d1, sizeof d1, in->stw_total_ns),
           model_fmt_duration(d2, sizeof d2, in->stw_max_ns),
           in->nstw_open ? "; the last still going on at the end" : "");
    printf("Tasks:        %u\n", in->ntasks);
    printf("Regions:      %u\n", in->nregions);
    printf("Logs:         %u\n", in->nlogs);
    printf("CPU samples:  %u\n", in->ncpu_samples);
    model_free(m);
    return 0;
}

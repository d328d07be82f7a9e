/*
 * gotv command-line commands. Each returns the process exit status:
 *   0 success, 1 the trace could not be read, 2 usage error.
 * argv[0] is the command name ("dump", ...); options and FILE follow.
 * Messages go to stderr as "gotv: FILE: <what> at byte <offset>".
 */
#ifndef GOTV_TUI_COMMANDS_H
#define GOTV_TUI_COMMANDS_H

int gotv_cmd_dump(int argc, char **argv);       /* tui/cmd_dump.c */
int gotv_cmd_stats(int argc, char **argv);      /* tui/cmd_stats.c */
int gotv_cmd_goroutines(int argc, char **argv); /* tui/cmd_goroutines.c */
int gotv_cmd_pprof(int argc, char **argv);      /* tui/cmd_pprof.c */
int gotv_cmd_snapshot(int argc, char **argv);   /* tui/cmd_snapshot.c */
/* The interactive explorer: `gotv [view options] FILE`. argv[0] is "gotv". */
int gotv_cmd_explore(int argc, char **argv);    /* tui/cmd_explore.c */

/* Shared by commands (tui/cli.c). */
#include <stdio.h>
#include "model/model.h"
/* Print bytes made safe for a terminal (model_safe_text); "..." if cut. */
void gotv_print_safe(FILE *f, const char *s, size_t n);
/* Load FILE into a model. On failure print "gotv: FILE: <what> at byte N" and
 * return 1. A truncated trace opens with its complete generations and a
 * warning "gotv: FILE: trace truncated at byte N; lost X% of the data (<why>)". */
int gotv_open_model(const char *path, model **m, tt_load_result *res);
void gotv_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int gotv_not_built(const char *what);

#endif

/*
 * The interactive terminal: ncursesw for output, libtermkey for every input
 * byte, one ppoll loop, signals as flags, the terminal restored on every exit
 * path. See /work/shared/docs/style.md section 1.
 */
#ifndef GOTV_TUI_TERM_H
#define GOTV_TUI_TERM_H

#include "tui/ui.h"

typedef struct ui_term_opts {
    const char *path;
    ui_view_opts view;
    int force_ascii;
} ui_term_opts;

/* Open the trace and run the explorer until the user quits. Returns the exit
 * status (0 quit, 1 trace unreadable, 128+N killed by signal N). */
int ui_term_run(const ui_term_opts *o);

/* Load a trace for the CLI commands; prints "gotv: FILE: what at byte N" on
 * failure and returns NULL. */
model *ui_load_trace(const char *path, const model_open_opts *mo, tt_load_result *res);

/* UTF-8 output? (locale codeset, unless GOTV_ASCII or force_ascii). */
int ui_locale_utf8(int force_ascii);

#endif

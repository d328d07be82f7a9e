/*
 * `gotv snapshot [--size WxH] [--at TIME] [--span DUR] [--goroutine ID] FILE`:
 * prints exactly the frame the explorer would draw at that size and view, as
 * plain text: H lines, each at most W columns, no escape sequences.
 * UTF-8 glyphs when the locale is UTF-8, ASCII otherwise (or with --ascii).
 */
#include "tui/commands.h"
#include "tui/term.h"
#include "tui/ui_int.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ui_parse_size(const char *s, int *w, int *h);

int gotv_cmd_snapshot(int argc, char **argv)
{
    ui_view_opts vo;
    memset(&vo, 0, sizeof vo);
    const char *path = NULL;
    int w = 120, h = 40, ascii = 0;
    char err[200];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *sz = NULL;
        if (!strcmp(a, "--size")) {
            if (i + 1 >= argc) {
                gotv_usage_error("--size needs WxH");
                return 2;
            }
            sz = argv[++i];
        } else if (!strncmp(a, "--size=", 7)) {
            sz = a + 7;
        }
        if (sz) {
            if (ui_parse_size(sz, &w, &h)) {
                gotv_usage_error("--size: expected WxH with W 20..1000 and H 5..1000, e.g. 120x40");
                return 2;
            }
            continue;
        }
        if (!strcmp(a, "--ascii")) {
            ascii = 1;
            continue;
        }
        int r = ui_parse_view_opt(&vo, argc, argv, i, err, sizeof err);
        if (r < 0) {
            gotv_usage_error("snapshot: %s", err);
            return 2;
        }
        if (r > 0) {
            i += r - 1;
            continue;
        }
        if (a[0] == '-' && a[1] && strcmp(a, "--")) {
            gotv_usage_error("snapshot: unknown option '%.60s'", a);
            return 2;
        }
        if (!strcmp(a, "--")) {
            if (i + 1 < argc) path = argv[++i];
            continue;
        }
        if (path) {
            gotv_usage_error("snapshot: only one trace file");
            return 2;
        }
        path = a;
    }
    if (!path) {
        gotv_usage_error("snapshot: no trace file given");
        return 2;
    }
    setlocale(LC_ALL, "");
    tt_load_result res;
    model *m = ui_load_trace(path, NULL, &res);
    if (!m) return 1;
    if (res.truncated) fprintf(stderr, "gotv: %s: warning: trace truncated: %s\n", path, res.warn.msg);
    ui_state *st = calloc(1, sizeof *st);
    if (!st || ui_init(st, m, path, h, w, ui_locale_utf8(ascii))) {
        fprintf(stderr, "gotv: out of memory\n");
        model_free(m);
        free(st);
        return 1;
    }
    int rc = 0;
    if (ui_apply_opts(st, &vo, err, sizeof err)) {
        gotv_usage_error("snapshot: %s", err);
        rc = 2;
    } else {
        if (res.truncated) ui_msg(st, 1, "warning: trace truncated (%s); showing the complete part", res.warn.msg);
        ui_render(st);
        char *text = ui_grid_to_text(&st->grid);
        if (text) fputs(text, stdout);
        free(text);
    }
    ui_free(st);
    free(st);
    model_free(m);
    return rc;
}

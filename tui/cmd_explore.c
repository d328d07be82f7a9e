/*
 * `gotv [view options] FILE`: the interactive explorer (tui/term.c).
 * Hidden helpers: `gotv --keys` prints docs/keys.md from the key map,
 * `gotv --keys-roff` the man page's key list, and
 * `gotv --bench [--size WxH] FILE` measures redraw times without a terminal.
 */
#include "tui/commands.h"
#include "tui/term.h"
#include "tui/ui_int.h"
#include "tui/ui_load.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifdef GOTV_MEMTRACE
void model_memtrace(const char *what); /* model/build.c, a debug aid */
#define memtrace(what) model_memtrace(what)
#else
#define memtrace(what) ((void)0)
#endif

static double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int ui_parse_size(const char *s, int *w, int *h);
int ui_parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X')) return -1;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end) return -1;
    if (a < 20 || b < 5 || a > 1000 || b > 1000) return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

/* CPU time of this process: redraw costs without the noise of a busy machine */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void pollwait(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
}

/* Time to the first frame and to the full model: a big trace first shows a
 * preview (ui_load.h) while the full model is built by the background
 * thread, as in the explorer; the key steps then run on the full model. */
static int bench(const char *path, int w, int h)
{
    setlocale(LC_ALL, "");
    int utf8 = ui_locale_utf8(0);
    double t0 = ms_now();
    struct stat sb;
    size_t pv_bytes = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? ui_preview_bytes_for(path, (uint64_t)sb.st_size) : 0;
    ui_bgload *bg = pv_bytes ? ui_bgload_start(path, 0, h, w, utf8) : NULL;
    ui_preview pv;
    memset(&pv, 0, sizeof pv);
    tt_err e;
    ui_state *st = NULL;
    model *m = NULL;
    double t_first = -1, t_load, t_plots = -1;
    ui_bgload *bgp = NULL; /* the goroutine counts still coming */
    if (bg && ui_preview_open_n(path, pv_bytes, ui_preview_max_bytes((uint64_t)sb.st_size),
                                ui_preview_events((uint64_t)sb.st_size), &pv, &e) == TT_OK) {
        st = calloc(1, sizeof *st);
        if (!st || ui_init(st, pv.m, path, h, w, utf8)) {
            fprintf(stderr, "gotv: out of memory\n");
            ui_bgload_cancel(bg);
            ui_bgload_finish(bg, NULL, NULL, NULL, NULL);
            free(st);
            ui_preview_close(&pv);
            return 1;
        }
        ui_render(st); /* plots included, as the explorer computes them right after its first frame */
        t_first = ms_now() - t0;
        memtrace("bench: preview shown");
    }
    if (bg) {
        ui_state *ns = NULL;
        tt_load_result res;
        memset(&e, 0, sizeof e);
        pollwait(ui_bgload_fd(bg));
        tt_status s = ui_bgload_take(bg, &m, &ns, &res, &e);
        bgp = bg;
        memtrace("bench: bg load taken");
        if (s != TT_OK || !m) {
            ui_bgload_end(bgp, NULL);
            char p[600];
            ui_sanitize(path, strlen(path), 0, p, sizeof p);
            fprintf(stderr, "gotv: %s: %s at byte %llu\n", p, e.msg[0] ? e.msg : tt_status_str(s),
                    (unsigned long long)e.offset);
            if (st) ui_free(st);
            free(st);
            ui_preview_close(&pv);
            return 1;
        }
        if (!ns && ((ns = calloc(1, sizeof *ns)) == NULL || ui_init(ns, m, path, h, w, utf8))) {
            fprintf(stderr, "gotv: out of memory\n");
            ui_bgload_end(bgp, NULL);
            if (ns) ui_free(ns);
            free(ns);
            if (st) ui_free(st);
            free(st);
            ui_preview_close(&pv);
            model_free(m);
            return 1;
        }
        if (st) {
            ui_swap_state(st, ns);
            ui_preview_close(&pv);
        } else {
            st = ns;
        }
    } else {
        tt_load_result res;
        m = ui_load_trace(path, NULL, &res);
        if (!m) return 1;
        st = calloc(1, sizeof *st);
        if (!st || ui_init(st, m, path, h, w, utf8)) {
            model_free(m);
            free(st);
            return 1;
        }
    }
    t_load = ms_now() - t0;
    memtrace("bench: swapped");
    ui_render(st);
    double t_full = ms_now() - t0;
    memtrace("bench: full frame");
    if (t_first < 0) t_first = t_full;
    if (bgp) { /* as the explorer: the goroutine plots once the thread has them */
        while (!ui_bgload_plots_done(bgp)) pollwait(ui_bgload_fd(bgp));
        ui_bgload_end(bgp, st);
        if (st->defer_plots) { /* (out of memory in the thread) */
            st->defer_plots = 0;
            ui_compute_plots(st);
        }
        ui_render(st);
        t_plots = ms_now() - t0;
        memtrace("bench: goroutine plots");
    }
    if (t_plots < 0) t_plots = t_full;
    static const enum ui_cmd seq[] = {CMD_ZOOM_IN, CMD_SCROLL_RIGHT, CMD_LANE_DOWN, CMD_ZOOM_IN, CMD_NEXT_TRANS,
                                      CMD_SCROLL_LEFT, CMD_PAGE_DOWN, CMD_ZOOM_OUT, CMD_LANE_UP, CMD_OPEN,
                                      CMD_LANE_DOWN, CMD_CLOSE, CMD_FIT_ALL, CMD_PAGE_UP, CMD_NEXT_BLOCK};
    int n = 0;
    double sum = 0, mx = 0;
    double cmax[CMD__COUNT] = {0};
    static double all[400];
    for (int rep = 0; rep < 20; rep++)
        for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
            double a = cpu_now();
            ui_dispatch(st, seq[i]);
            ui_render(st);
            double d = cpu_now() - a;
            sum += d;
            if (d > mx) mx = d;
            if (d > cmax[seq[i]]) cmax[seq[i]] = d;
            if (n < 400) all[n] = d;
            n++;
        }
    memtrace("bench: steps");
#ifdef GOTV_MEMTRACE
    if (getenv("GOTV_MEMTRACE_EXIT"))
        exit(0); /* heaptrack: what is alive now shows as leaked */
#endif
    qsort(all, n < 400 ? (size_t)n : 400, sizeof all[0], cmp_double);
    printf("%s %dx%d: load %.1f ms, first frame %.1f ms, full model shown %.1f ms, goroutine plots %.1f ms, "
           "%d key+redraws (CPU time): mean %.3f ms, median %.3f ms, p95 %.3f ms, max %.3f ms\n",
           path, w, h, t_load, t_first, t_full, t_plots, n, sum / n, all[n / 2], all[n * 95 / 100], mx);
    if (pv_bytes) printf("  preview: the first %zu bytes\n", pv_bytes);
    for (int c = 0; c < CMD__COUNT; c++)
        if (cmax[c] > 5.0) printf("  slowest %s: %.3f ms\n", ui_cmd_name((enum ui_cmd)c), cmax[c]);
    ui_free(st);
    free(st);
    model_free(m);
    return 0;
}

int gotv_cmd_explore(int argc, char **argv)
{
    ui_term_opts o;
    memset(&o, 0, sizeof o);
    int do_bench = 0, w = 200, h = 60;
    char err[200];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--keys")) {
            ui_keymap_markdown(stdout);
            return 0;
        }
        if (!strcmp(a, "--keys-roff")) {
            ui_keymap_roff(stdout);
            return 0;
        }
        if (!strcmp(a, "--ascii")) {
            o.force_ascii = 1;
            continue;
        }
        if (!strcmp(a, "--bench")) {
            do_bench = 1;
            continue;
        }
        if (!strcmp(a, "--size") && do_bench && i + 1 < argc) {
            if (ui_parse_size(argv[++i], &w, &h)) {
                gotv_usage_error("--size: expected WxH, e.g. 120x40");
                return 2;
            }
            continue;
        }
        if (!strcmp(a, "--size") || !strncmp(a, "--size=", 7)) {
            gotv_usage_error("--size is for 'gotv snapshot' (the explorer uses the terminal size)");
            return 2;
        }
        int r = ui_parse_view_opt(&o.view, argc, argv, i, err, sizeof err);
        if (r < 0) {
            gotv_usage_error("%s", err);
            return 2;
        }
        if (r > 0) {
            i += r - 1;
            continue;
        }
        if (!strcmp(a, "--")) {
            if (i + 1 < argc && !o.path) o.path = argv[++i];
            if (i + 1 < argc) {
                gotv_usage_error("only one trace file");
                return 2;
            }
            break;
        }
        if (a[0] == '-' && a[1]) {
            gotv_usage_error("unknown option '%.60s'", a);
            return 2;
        }
        if (o.path) {
            gotv_usage_error("unknown command or extra argument '%.60s'", a);
            return 2;
        }
        o.path = a;
    }
    if (!o.path) {
        gotv_usage_error("no trace file given");
        return 2;
    }
    if (do_bench) return bench(o.path, w, h);
    return ui_term_run(&o);
}

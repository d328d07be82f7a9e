/*
 * The interactive terminal (see term.h). Order of things, as style.md says:
 * signal handlers before newterm; newterm on the tty (or /dev/tty); raw mode;
 * termkey with NOTERMIOS so curses alone owns termios; SGR 1006 mouse enabled
 * after the first doupdate; ppoll with the signals unblocked only while
 * waiting; lone Esc via termkey_getkey_force after the wait time; teardown in
 * reverse order from the quit path, atexit and after fatal signals.
 *
 * Known limit: libtermkey 0.22's terminfo driver reads SGR mouse reports as
 * X10 ones when the terminfo's kmous is "\E[<" (xterm-256color); for such
 * terminals termkey is created without terminfo (its CSI driver decodes every
 * xterm key and SGR mouse report).
 */
#include "tui/term.h"
#include "tui/ui_int.h"
#include "tui/ui_load.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termkey.h>
#include <time.h>
#include <unistd.h>

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask);

static volatile sig_atomic_t sig_quit, sig_winch, sig_cont;

static struct {
    int active;
    SCREEN *scr;
    TermKey *tk;
    FILE *out, *in;
    int fd_in;
    int own_tty;
    int mouse;
    int err_fd;      /* saved stderr */
    FILE *err_tmp;   /* stderr while curses is up */
    sigset_t oldmask;
    int color, nocolor;
    ui_grid prev;
    FILE *timing;
} T;

int ui_locale_utf8(int force_ascii)
{
    const char *e = getenv("GOTV_ASCII");
    if (force_ascii || (e && *e && strcmp(e, "0"))) return 0;
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_signal(int sig)
{
    switch (sig) {
    case SIGWINCH: sig_winch = 1; break;
    case SIGCONT: sig_cont = 1, sig_winch = 1; break;
    default: sig_quit = sig; break;
    }
}

static void mouse_mode(int on)
{
    if (!T.out || T.mouse == on) return;
    fputs(on ? "\033[?1000h\033[?1006h" : "\033[?1006l\033[?1000l", T.out);
    fflush(T.out);
    T.mouse = on;
}

/* Teardown, idempotent: from the quit path, atexit and fatal paths. */
static void term_teardown(void)
{
    if (!T.active) return;
    T.active = 0;
    mouse_mode(0);
    if (T.tk) termkey_destroy(T.tk);
    T.tk = NULL;
    endwin();
    if (T.scr) delscreen(T.scr);
    T.scr = NULL;
    if (T.out) fflush(T.out);
    /* replay what was written to stderr while curses was up */
    if (T.err_fd >= 0) {
        fflush(stderr);
        dup2(T.err_fd, 2);
        close(T.err_fd);
        T.err_fd = -1;
        if (T.err_tmp) {
            char buf[4096];
            size_t n;
            rewind(T.err_tmp);
            while ((n = fread(buf, 1, sizeof buf, T.err_tmp)) > 0) fwrite(buf, 1, n, stderr);
            fclose(T.err_tmp);
            T.err_tmp = NULL;
        }
    }
    sigprocmask(SIG_SETMASK, &T.oldmask, NULL);
    ui_grid_free(&T.prev);
}

static void init_colors(void)
{
    T.color = 0;
    const char *nc = getenv("NO_COLOR");
    T.nocolor = nc && *nc;
    if (T.nocolor || !has_colors()) return;
    start_color();
    int defaults = use_default_colors() == OK;
    int c256 = COLORS >= 256;
    /* fg, bg for 256 and for 8 colours; -1 = default */
    static const short pal[UI_S__COUNT][4] = {
        [UI_S_NORMAL] = {-1, -1, -1, -1},
        [UI_S_NONE] = {-1, -1, -1, -1},
        [UI_S_RUNNING] = {34, -1, COLOR_GREEN, -1},
        [UI_S_RUNNABLE] = {33, -1, COLOR_BLUE, -1},
        [UI_S_WAITING] = {250, -1, COLOR_WHITE, -1},
        [UI_S_SYSCALL] = {170, -1, COLOR_MAGENTA, -1},
        [UI_S_SYSCALL_BLOCKED] = {178, -1, COLOR_YELLOW, -1},
        [UI_S_IDLE] = {240, -1, -1, -1},
        [UI_S_GC] = {160, -1, COLOR_RED, -1},
        [UI_S_STW] = {196, -1, COLOR_RED, -1},
        [UI_S_MIXED] = {37, -1, COLOR_CYAN, -1},
        [UI_S_TITLE] = {16, 74, COLOR_BLACK, COLOR_CYAN},
        [UI_S_AXIS] = {179, -1, COLOR_YELLOW, -1},
        [UI_S_LABEL] = {-1, -1, -1, -1},
        [UI_S_SELECTED] = {-1, -1, -1, -1},
        [UI_S_MATCH] = {220, -1, COLOR_YELLOW, -1},
        [UI_S_REGION] = {173, -1, COLOR_YELLOW, -1},
        [UI_S_LOG] = {213, -1, COLOR_MAGENTA, -1},
        [UI_S_PLOT] = {73, -1, COLOR_CYAN, -1},
        [UI_S_STATUS] = {252, 237, COLOR_WHITE, COLOR_BLUE},
        [UI_S_DIM] = {244, -1, -1, -1},
        [UI_S_BOLD] = {-1, -1, -1, -1},
        [UI_S_ERROR] = {196, -1, COLOR_RED, -1},
        [UI_S_CURSOR] = {226, -1, COLOR_YELLOW, -1},
    };
    for (int s = 0; s < UI_S__COUNT; s++) {
        short fg = c256 ? pal[s][0] : pal[s][2], bg = c256 ? pal[s][1] : pal[s][3];
        if (!defaults) { /* no "default colour": white on black */
            if (fg < 0) fg = COLOR_WHITE;
            if (bg < 0) bg = COLOR_BLACK;
        }
        init_pair((short)(s + 1), fg, bg);
    }
    T.color = 1;
}

static attr_t style_attr(uint16_t style, short *pair)
{
    int s = UI_STYLE_ID(style);
    attr_t a = A_NORMAL;
    *pair = T.color ? (short)(s + 1) : 0;
    switch (s) {
    case UI_S_STW:
    case UI_S_MATCH:
    case UI_S_BOLD:
    case UI_S_ERROR:
    case UI_S_CURSOR: a |= A_BOLD; break;
    case UI_S_IDLE:
    case UI_S_DIM: a |= A_DIM; break;
    case UI_S_TITLE:
    case UI_S_STATUS:
        if (!T.color) a |= A_REVERSE;
        break;
    case UI_S_GC:
        if (!T.color) a |= A_BOLD;
        break;
    default: break;
    }
    if (style & UI_SF_REVERSE) a ^= A_REVERSE;
    return a;
}

/* Copy changed rows of the grid into curses' screen. */
static void blit(const ui_grid *g, int full)
{
    if (T.prev.rows != g->rows || T.prev.cols != g->cols) {
        ui_grid_free(&T.prev);
        if (ui_grid_init(&T.prev, g->rows, g->cols)) return;
        full = 1;
    }
    size_t rowbytes = (size_t)g->cols * sizeof(ui_cell);
    for (int r = 0; r < g->rows; r++) {
        const ui_cell *row = &g->cells[(size_t)r * (size_t)g->cols];
        ui_cell *old = &T.prev.cells[(size_t)r * (size_t)g->cols];
        if (!full && !memcmp(row, old, rowbytes)) continue;
        for (int c = 0; c < g->cols; c++) {
            const ui_cell *cell = &row[c];
            if (cell->width == 0) continue;
            /* only cells that changed (a wide character: both halves) */
            if (!full && !memcmp(cell, &old[c], sizeof *cell) &&
                (cell->width != 2 || c + 1 >= g->cols || !memcmp(&row[c + 1], &old[c + 1], sizeof *cell)))
                continue;
            short pair;
            attr_t a = style_attr(cell->style, &pair);
            wchar_t wc[2] = {(wchar_t)cell->cp, 0};
            cchar_t cc;
            setcchar(&cc, wc, a, pair, NULL);
            mvadd_wch(r, c, &cc);
        }
        memcpy(old, row, rowbytes);
    }
}

static void emit_osc52(const char *text)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(text);
    fputs("\033]52;c;", T.out);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)text[i] << 16;
        if (i + 1 < n) v |= (unsigned char)text[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)text[i + 2];
        fputc(b64[(v >> 18) & 63], T.out);
        fputc(b64[(v >> 12) & 63], T.out);
        fputc(i + 1 < n ? b64[(v >> 6) & 63] : '=', T.out);
        fputc(i + 2 < n ? b64[v & 63] : '=', T.out);
    }
    fputs("\a", T.out);
    fflush(T.out);
}

static void term_size(int *rows, int *cols)
{
    struct winsize ws;
    *rows = LINES;
    *cols = COLS;
    if (ioctl(fileno(T.out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

static int term_init(char *err, size_t errsz)
{
    memset(&T, 0, sizeof T);
    T.err_fd = -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT, SIGQUIT};
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&block, sigs[i]);
    }
    signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_BLOCK, &block, &T.oldmask);

    /* the terminal: stdin/stdout if they are ttys, else /dev/tty */
    if (isatty(0) && isatty(1)) {
        T.in = stdin;
        T.out = stdout;
    } else {
        int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errsz, "no terminal (stdin/stdout are not a tty and /dev/tty cannot be opened); try 'gotv snapshot'");
            sigprocmask(SIG_SETMASK, &T.oldmask, NULL);
            return -1;
        }
        T.out = fdopen(fd, "w");
        T.in = T.out ? fdopen(dup(fd), "r") : NULL;
        T.own_tty = 1;
        if (!T.out || !T.in) {
            snprintf(err, errsz, "cannot open /dev/tty");
            sigprocmask(SIG_SETMASK, &T.oldmask, NULL);
            return -1;
        }
    }
    T.fd_in = fileno(T.in);
    T.scr = newterm(NULL, T.out, T.in);
    if (!T.scr) {
        const char *t = getenv("TERM");
        snprintf(err, errsz, "cannot initialise the terminal (TERM=%.40s)", t ? t : "");
        sigprocmask(SIG_SETMASK, &T.oldmask, NULL);
        return -1;
    }
    T.active = 1;
    atexit(term_teardown);
    raw();
    noecho();
    nonl();
    curs_set(0);
    init_colors();

    /* libtermkey: NOTERMIOS (curses owns termios); UTF-8 decided by us */
    int utf8 = ui_locale_utf8(0);
    int flags = TERMKEY_FLAG_NOTERMIOS | (utf8 ? TERMKEY_FLAG_UTF8 : TERMKEY_FLAG_RAW);
    char *kmous = tigetstr("kmous");
    int csi_only = kmous && kmous != (char *)-1 && !strncmp(kmous, "\033[<", 3);
    char *saved_term = NULL;
    if (csi_only) {
        const char *t = getenv("TERM");
        saved_term = t ? strdup(t) : NULL;
        setenv("TERM", "gotv-csi-only", 1);
    }
    T.tk = termkey_new(T.fd_in, flags);
    if (csi_only) {
        if (saved_term) setenv("TERM", saved_term, 1);
        else unsetenv("TERM");
        free(saved_term);
    }
    if (!T.tk) {
        term_teardown();
        snprintf(err, errsz, "cannot initialise libtermkey: %s", strerror(errno));
        return -1;
    }
    termkey_set_canonflags(T.tk, TERMKEY_CANON_DELBS);

    /* keep stderr off the screen until we leave */
    T.err_tmp = tmpfile();
    if (T.err_tmp) {
        fflush(stderr);
        T.err_fd = dup(2);
        dup2(fileno(T.err_tmp), 2);
    }
    const char *tf = getenv("GOTV_TIMING");
    if (tf && *tf) T.timing = fopen(tf, "a");
    return 0;
}

static void present(ui_state *st, int full)
{
    if (full) clearok(curscr, TRUE);
    blit(&st->grid, full);
    wnoutrefresh(stdscr);
    doupdate();
    if (!T.mouse) mouse_mode(1);
    if (st->yank_pending) {
        emit_osc52(st->yank);
        st->yank_pending = 0;
    }
}

static void suspend(ui_state *st)
{
    mouse_mode(0);
    termkey_stop(T.tk);
    def_prog_mode();
    endwin();
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    kill(0, SIGTSTP);
    reset_prog_mode();
    termkey_start(T.tk);
    (void)st;
}

/* ---- loading with a progress bar ---------------------------------------------- */

typedef struct load_ctx {
    const char *path;
    int utf8;
    double last;
    ui_grid g;
    int cancelled;
} load_ctx;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    load_ctx *lc = ctx;
    double t = now_ms();
    if (t - lc->last < 40 && done < total) return;
    lc->last = t;
    if (sig_quit) {
        term_teardown();
        fprintf(stderr, "gotv: interrupted while loading\n");
        exit(128 + sig_quit);
    }
    /* q or Ctrl-C cancels */
    struct pollfd p = {T.fd_in, POLLIN, 0};
    if (poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
        termkey_advisereadable(T.tk);
        TermKeyKey k;
        while (termkey_getkey(T.tk, &k) == TERMKEY_RES_KEY) {
            enum ui_cmd c = ui_keymap_lookup(&k);
            if (c == CMD_QUIT || c == CMD_BACK) {
                term_teardown();
                fprintf(stderr, "gotv: loading cancelled\n");
                exit(130);
            }
        }
    }
    int rows, cols;
    term_size(&rows, &cols);
    if (lc->g.rows != rows || lc->g.cols != cols) {
        ui_grid_free(&lc->g);
        if (ui_grid_init(&lc->g, rows, cols)) return;
    }
    ui_render_progress(&lc->g, lc->path, done, total, lc->utf8);
    blit(&lc->g, 0);
    wnoutrefresh(stdscr);
    doupdate();
}

model *ui_load_trace(const char *path, const model_open_opts *mo, tt_load_result *res)
{
    model *m = NULL;
    tt_err err;
    memset(&err, 0, sizeof err);
    memset(res, 0, sizeof *res);
    tt_status s = model_open(path, mo, &m, res, &err);
    if (s != TT_OK || !m) {
        char p[600];
        ui_sanitize(path, strlen(path), 0, p, sizeof p);
        fprintf(stderr, "gotv: %s: %s at byte %llu\n", p, err.msg[0] ? err.msg : tt_status_str(s),
                (unsigned long long)err.offset);
        return NULL;
    }
    return m;
}

/* ---- the loop ----------------------------------------------------------------- */

static int handle_key(ui_state *st, TermKeyKey *key)
{
    if (key->type == TERMKEY_TYPE_MOUSE) {
        TermKeyMouseEvent ev;
        int button, line, col;
        termkey_interpret_mouse(T.tk, key, &ev, &button, &line, &col);
        if (ev != TERMKEY_MOUSE_PRESS) return 0;
        return ui_mouse(st, button, 1, line - 1, col - 1);
    }
    return ui_key(st, key);
}

/* The progress screen while the background load runs without a preview
 * (the prefix held no complete generation, e.g. an old-format trace). Returns
 * 0 when the load has ended, or the exit status after a cancel (q, Ctrl-C,
 * a signal: the terminal is then restored and the thread stopped). */
static int wait_bgload(ui_bgload *bg, const char *path, int utf8)
{
    load_ctx lc = {path, utf8, 0, {0}, 0};
    int status = 0;
    while (!ui_bgload_done(bg)) {
        if (sig_quit) {
            status = 128 + sig_quit;
            break;
        }
        uint64_t done, total;
        ui_bgload_progress(bg, &done, &total);
        int rows, cols;
        term_size(&rows, &cols);
        if (lc.g.rows != rows || lc.g.cols != cols) {
            ui_grid_free(&lc.g);
            if (ui_grid_init(&lc.g, rows, cols)) break;
            clearok(curscr, TRUE);
        }
        ui_render_progress(&lc.g, path, done, total, utf8);
        blit(&lc.g, 0);
        wnoutrefresh(stdscr);
        doupdate();
        struct pollfd p[2] = {{T.fd_in, POLLIN, 0}, {ui_bgload_fd(bg), POLLIN, 0}};
        struct timespec ts = {0, 100 * 1000000L};
        if (ppoll(p, 2, &ts, &T.oldmask) <= 0 || !(p[0].revents & POLLIN)) continue;
        termkey_advisereadable(T.tk);
        TermKeyKey k;
        while (!status && termkey_getkey(T.tk, &k) == TERMKEY_RES_KEY) {
            enum ui_cmd c = ui_keymap_lookup(&k);
            if (c == CMD_QUIT || c == CMD_BACK) status = 130;
        }
        if (status) break;
    }
    ui_grid_free(&lc.g);
    if (!status) return 0;
    term_teardown();
    ui_bgload_cancel(bg);
    ui_bgload_finish(bg, NULL, NULL, NULL, NULL);
    fprintf(stderr, status == 130 ? "gotv: loading cancelled\n" : "gotv: interrupted while loading\n");
    return status;
}

static void report_load_error(const char *path, tt_status s, const tt_err *e)
{
    char p[600];
    ui_sanitize(path, strlen(path), 0, p, sizeof p);
    fprintf(stderr, "gotv: %s: %s at byte %llu\n", p, e->msg[0] ? e->msg : tt_status_str(s),
            (unsigned long long)e->offset);
}

int ui_term_run(const ui_term_opts *o)
{
    TERMKEY_CHECK_VERSION;
    setlocale(LC_ALL, "");
    double t_start = now_ms();
    int utf8 = ui_locale_utf8(o->force_ascii);
    struct stat sb;
    if (stat(o->path, &sb) != 0) {
        char p[600];
        ui_sanitize(o->path, strlen(o->path), 0, p, sizeof p);
        fprintf(stderr, "gotv: %s: %s at byte 0\n", p, strerror(errno));
        return 1;
    }
    model *m = NULL;
    ui_state *ready = NULL; /* built by the background load */
    tt_load_result res;
    memset(&res, 0, sizeof res);
    char err[400];
    /* Big traces: a preview of the first bytes at once, the full model from
     * a background thread (ui_load.h); else everything before the first frame. */
    size_t pv_bytes = S_ISREG(sb.st_mode) ? ui_preview_bytes_for(o->path, (uint64_t)sb.st_size) : 0;
    int big = sb.st_size > 8 * 1024 * 1024;
    if (!big && !pv_bytes) { /* small traces: load first, so errors never flash the screen */
        m = ui_load_trace(o->path, NULL, &res);
        if (!m) return 1;
    }
    if (term_init(err, sizeof err)) {
        fprintf(stderr, "gotv: %s\n", err);
        model_free(m);
        return 1;
    }
    int rows, cols;
    term_size(&rows, &cols);
    resizeterm(rows, cols);
    ui_bgload *bg = NULL;  /* loading the full model */
    ui_bgload *bgp = NULL; /* the full model is shown; its goroutine counts come */
    ui_preview pv;
    memset(&pv, 0, sizeof pv);
    if (pv_bytes) {
        bg = ui_bgload_start(o->path, ui_preview_delay_ms(), rows, cols, utf8);
        tt_err pe;
        if (bg && ui_preview_open_n(o->path, pv_bytes, ui_preview_max_bytes((uint64_t)sb.st_size),
                                     ui_preview_events((uint64_t)sb.st_size), &pv, &pe) == TT_OK) {
            m = pv.m;
        } else if (bg) { /* no preview: the progress screen until the load ends */
            int rc = wait_bgload(bg, o->path, utf8);
            if (rc) return rc;
        }
        if (bg && !m) { /* the load has ended */
            tt_err e;
            memset(&e, 0, sizeof e);
            tt_status s = ui_bgload_finish(bg, &m, &ready, &res, &e);
            bg = NULL;
            if (s != TT_OK || !m) {
                term_teardown();
                report_load_error(o->path, s, &e);
                return 1;
            }
        }
    }
    if (!m) {
        load_ctx lc = {o->path, utf8, 0, {0}, 0};
        model_open_opts mo;
        memset(&mo, 0, sizeof mo);
        mo.progress = on_progress;
        mo.ctx = &lc;
        on_progress(&lc, 0, (uint64_t)sb.st_size);
        tt_err e;
        memset(&e, 0, sizeof e);
        tt_status s = model_open(o->path, &mo, &m, &res, &e);
        ui_grid_free(&lc.g);
        if (s != TT_OK || !m) {
            term_teardown();
            report_load_error(o->path, s, &e);
            return 1;
        }
    }
    ui_state *st = ready;
    if (st && (st->grid.rows != rows || st->grid.cols != cols)) ui_resize(st, rows, cols);
    if (!st && (!(st = calloc(1, sizeof *st)) || ui_init(st, m, o->path, rows, cols, utf8))) {
        term_teardown();
        fprintf(stderr, "gotv: out of memory\n");
        if (bg) ui_bgload_cancel(bg), ui_bgload_finish(bg, NULL, NULL, NULL, NULL);
        if (st) ui_free(st);
        free(st);
        if (pv.m) ui_preview_close(&pv);
        else model_free(m);
        return 1;
    }
    /* --at/--span/--goroutine beyond the preview: applied after the swap */
    int opts_pending = 0;
    if (ui_apply_opts(st, &o->view, err, sizeof err)) {
        if (bg && pv.m) { /* maybe past the preview: again after the swap */
            opts_pending = 1;
            ui_msg(st, 0, "the view options apply once the whole trace is loaded");
        } else {
            term_teardown();
            fprintf(stderr, "gotv: %s\n", err);
            if (bg) ui_bgload_cancel(bg), ui_bgload_finish(bg, NULL, NULL, NULL, NULL);
            ui_free(st);
            free(st);
            if (pv.m) ui_preview_close(&pv);
            else model_free(m);
            return 2;
        }
    }
    st->defer_plots = !ready;
    if (res.truncated) ui_msg(st, 1, "warning: trace truncated (%s); showing the complete part", res.warn.msg);

    int dirty = 1, full = 1, pending = 0, status = 0;
    int nframes = 0;
    double tsum = 0, tmax = 0, first_frame = -1, full_frame = -1;
    char banner[480] = "";
    int banner_err = 0;
    tt_status late_status = TT_OK; /* the background load failed after the preview was up */
    tt_err late_err;
    memset(&late_err, 0, sizeof late_err);
    for (;;) {
        if (sig_quit) {
            status = 128 + sig_quit;
            break;
        }
        if (sig_cont) {
            sig_cont = 0;
            full = 1;
        }
        if (sig_winch) {
            sig_winch = 0;
            term_size(&rows, &cols);
            resizeterm(rows, cols);
            ui_resize(st, rows, cols);
            dirty = full = 1;
        }
        if (bgp && ui_bgload_plots_done(bgp)) { /* the goroutine counts too */
            ui_bgload_end(bgp, st);
            bgp = NULL;
            dirty = 1;
        }
        if (bg && ui_bgload_done(bg)) { /* the full model: swap it in */
            model *fm = NULL;
            ui_state *ns = NULL;
            tt_load_result fres;
            tt_status s = ui_bgload_take(bg, &fm, &ns, &fres, &late_err);
            bgp = bg; /* still computing the goroutine counts (ui_bgload_end) */
            bg = NULL;
            if (s == TT_OK && fm && (ns || (ns = calloc(1, sizeof *ns)) != NULL) &&
                (ns->m || ui_init(ns, fm, o->path, rows, cols, utf8) == 0)) {
                int had_plots = ns->plot_ready == (1u << PLOT__COUNT) - 1;
                ui_swap_state(st, ns);
                ui_preview_close(&pv);
                m = fm;
                st->defer_plots = !had_plots;
                banner[0] = 0;
                if (fres.truncated)
                    ui_msg(st, 1, "warning: trace truncated (%s); showing the complete part", fres.warn.msg);
                else if (opts_pending)
                    st->msg[0] = 0;
                if (opts_pending && ui_apply_opts(st, &o->view, err, sizeof err)) {
                    status = 2; /* as without the preview */
                    opts_pending = -1;
                    break;
                }
                opts_pending = 0;
            } else {
                ui_bgload_end(bgp, NULL); /* before the model goes */
                bgp = NULL;
                if (ns) ui_free(ns);
                free(ns);
                model_free(fm);
                if (s == TT_OK) s = tt_err_set(&late_err, TT_ERR_NOMEM, 0, "out of memory");
                late_status = s;
                ui_failed_banner(st, s, &late_err, banner, sizeof banner);
                banner_err = 1;
            }
            dirty = full = 1;
        } else if (bg) {
            char b[sizeof banner];
            uint64_t done, total;
            ui_bgload_progress(bg, &done, &total);
            ui_loading_banner(st, done, total, b, sizeof b);
            if (strcmp(b, banner)) {
                memcpy(banner, b, sizeof banner);
                dirty = 1;
            }
        }
        if (dirty) {
            double t0 = now_ms(), c0 = cpu_ms();
            ui_render(st);
            if (banner[0]) ui_draw_banner(st, banner, banner_err);
            present(st, full);
            double dt = now_ms() - t0, dc = cpu_ms() - c0;
            if (first_frame < 0) first_frame = now_ms() - t_start;
            if (full_frame < 0 && !bg && !pv.m) full_frame = now_ms() - t_start;
            nframes++;
            tsum += dt;
            if (dt > tmax) tmax = dt;
            if (T.timing) {
                fprintf(T.timing, "frame %d %dx%d %.3f ms (cpu %.3f ms)%s%s\n", nframes, st->grid.cols,
                        st->grid.rows, dt, dc, full ? " full" : "", bg ? " preview" : "");
                fflush(T.timing);
            }
            dirty = full = 0;
            if (st->defer_plots && !bgp) { /* first frame is up: now the slow plots */
                st->defer_plots = 0;
                ui_compute_plots(st);
                dirty = 1;
                continue;
            }
        }
        ui_bgload *bgw = bg ? bg : bgp; /* at most one of them */
        struct pollfd pfd[2] = {{T.fd_in, POLLIN, 0}, {bgw ? ui_bgload_fd(bgw) : -1, POLLIN, 0}};
        struct timespec ts, *tsp = NULL;
        int wait_ms = -1;
        if (pending) wait_ms = termkey_get_waittime(T.tk);
        if (bg && (wait_ms < 0 || wait_ms > 250)) wait_ms = 250; /* the banner's percentage */
        if (wait_ms >= 0) {
            ts.tv_sec = wait_ms / 1000;
            ts.tv_nsec = (long)(wait_ms % 1000) * 1000000L;
            tsp = &ts;
        }
        int r = ppoll(pfd, bgw ? 2 : 1, tsp, &T.oldmask);
        if (r < 0) {
            if (errno == EINTR) continue;
            status = 1;
            break;
        }
        TermKeyKey key;
        int flags = 0;
        if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (pending && r == 0) { /* the escape-sequence wait is over */
                if (termkey_getkey_force(T.tk, &key) == TERMKEY_RES_KEY) flags |= handle_key(st, &key);
                pending = 0;
            }
        } else {
            termkey_advisereadable(T.tk);
            TermKeyResult kr;
            while ((kr = termkey_getkey(T.tk, &key)) == TERMKEY_RES_KEY) {
                flags |= handle_key(st, &key);
                if (flags & UI_QUIT) break;
            }
            pending = kr == TERMKEY_RES_AGAIN;
            if (kr == TERMKEY_RES_EOF || ((pfd[0].revents & (POLLHUP | POLLERR)) && !(pfd[0].revents & POLLIN))) {
                status = 1; /* the terminal went away */
                break;
            }
        }
        if (flags & UI_QUIT) break;
        if (flags & UI_SUSPEND) {
            suspend(st);
            flags |= UI_FULL_REDRAW;
        }
        if (flags & UI_FULL_REDRAW) full = 1;
        if (flags) dirty = 1;
    }
    term_teardown();
    if (opts_pending < 0) fprintf(stderr, "gotv: %s\n", err);
    if (bg) { /* quit while loading: stop the thread before freeing anything */
        ui_bgload_cancel(bg);
        ui_bgload_finish(bg, NULL, NULL, NULL, NULL);
    }
    ui_bgload_end(bgp, NULL); /* quit while it computes the goroutine counts */
    if (T.timing) {
        fprintf(T.timing, "summary: first frame %.1f ms, full model shown %.1f ms, %d frames, mean %.3f ms, max %.3f ms\n",
                first_frame, full_frame, nframes, nframes ? tsum / nframes : 0, tmax);
        fclose(T.timing);
    }
    ui_free(st);
    free(st);
    if (pv.m) ui_preview_close(&pv);
    else model_free(m);
    if (late_status != TT_OK) { /* reported as a load error always is */
        report_load_error(o->path, late_status, &late_err);
        if (status == 0) status = 1;
    }
    return status;
}

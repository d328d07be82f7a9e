/*
 * gotv cell grid: every view draws here, never to curses directly.
 * A backend then blits it (tui/term.c, curses) or dumps it as plain text
 * (snapshots, tests). Cells hold one code point, its column width (2 for wide
 * characters, whose right half is a width-0 continuation cell) and a style.
 *
 * Text from a trace is untrusted: draw it only through ui_text_untrusted(),
 * which escapes C0/C1 controls, ESC, DEL, invalid UTF-8, bidi and zero-width
 * characters as visible \xNN / \uNNNN sequences, so nothing from a trace can
 * reach the terminal as a control sequence or break the layout.
 */
#ifndef GOTV_TUI_GRID_H
#define GOTV_TUI_GRID_H

#include <stddef.h>
#include <stdint.h>

/* Styles: the curses backend maps each to a colour pair and attributes. */
#define UI_STYLE_LIST(X)                       \
    X(UI_S_NORMAL, "normal")                   \
    X(UI_S_NONE, "no data")                    \
    X(UI_S_RUNNING, "running")                 \
    X(UI_S_RUNNABLE, "runnable")               \
    X(UI_S_WAITING, "blocked")                 \
    X(UI_S_SYSCALL, "syscall")                 \
    X(UI_S_SYSCALL_BLOCKED, "syscall blocked") \
    X(UI_S_IDLE, "idle")                       \
    X(UI_S_GC, "GC")                           \
    X(UI_S_STW, "stop the world")              \
    X(UI_S_MIXED, "mixed")                     \
    X(UI_S_TITLE, "title bar")                 \
    X(UI_S_AXIS, "axis")                       \
    X(UI_S_LABEL, "lane label")                \
    X(UI_S_SELECTED, "selected")               \
    X(UI_S_MATCH, "search match")              \
    X(UI_S_REGION, "region")                   \
    X(UI_S_LOG, "log")                         \
    X(UI_S_PLOT, "plot")                       \
    X(UI_S_STATUS, "status line")              \
    X(UI_S_DIM, "dim")                         \
    X(UI_S_BOLD, "heading")                    \
    X(UI_S_ERROR, "error")                     \
    X(UI_S_CURSOR, "cursor")

enum ui_style {
#define UI_X(n, d) n,
    UI_STYLE_LIST(UI_X)
#undef UI_X
    UI_S__COUNT
};

/* Style flag: reverse video (the time cursor column, the selected row). */
#define UI_SF_REVERSE 0x100
#define UI_STYLE_ID(s) ((s) & 0xff)

typedef struct ui_cell {
    uint32_t cp;    /* code point; ' ' for blank */
    uint8_t width;  /* 1 or 2; 0 = right half of a wide character */
    uint16_t style; /* enum ui_style | UI_SF_* */
} ui_cell;

typedef struct ui_grid {
    int rows, cols;
    int ascii; /* draw ASCII only (non-UTF-8 terminal) */
    ui_cell *cells;
    uint8_t *dirty; /* per row */
} ui_grid;

/* Allocate a rows x cols grid (blank). Returns 0, -1 on allocation failure. */
int ui_grid_init(ui_grid *g, int rows, int cols);
int ui_grid_resize(ui_grid *g, int rows, int cols);
void ui_grid_free(ui_grid *g);
void ui_grid_clear(ui_grid *g);
ui_cell *ui_grid_at(ui_grid *g, int row, int col);

/* Put one code point (trusted) at row/col; returns columns used (0 if it does
 * not fit). Wide characters take two cells. Out-of-range writes are ignored. */
int ui_put(ui_grid *g, int row, int col, uint32_t cp, uint16_t style);
void ui_fill(ui_grid *g, int row, int col, int n, uint32_t cp, uint16_t style);
/* Set the style of n cells without changing their text. */
void ui_restyle(ui_grid *g, int row, int col, int n, uint16_t style);
void ui_or_style(ui_grid *g, int row, int col, int n, uint16_t flags);
/* Draw trusted UTF-8 text (our own strings) clipped to maxw columns; returns
 * columns used. */
int ui_text(ui_grid *g, int row, int col, int maxw, const char *s, uint16_t style);
/* Same for bytes from a trace: escaped first (see ui_sanitize). */
int ui_text_untrusted(ui_grid *g, int row, int col, int maxw, const char *s, size_t len,
                      uint16_t style);
/* printf into the grid (trusted format, arguments must be trusted too). */
int ui_printf(ui_grid *g, int row, int col, int maxw, uint16_t style, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/*
 * Make untrusted bytes safe to draw: returns UTF-8 text in out (always NUL
 * terminated, truncated to outsz) in which every control character (C0, C1,
 * ESC, DEL), invalid UTF-8 byte, bidi control, zero-width or non-printable
 * code point is written as a visible escape (\x1b, \xff, \u202e). With ascii,
 * every non-ASCII code point is escaped too. Returns the length written.
 */
size_t ui_sanitize(const char *in, size_t len, int ascii, char *out, size_t outsz);
/* Display width in columns of trusted UTF-8 text (wcwidth per character). */
int ui_str_width(const char *s);
/* Width of one code point: 0, 1 or 2 (non-printable counts as 1). */
int ui_cp_width(uint32_t cp);
/* Decode one UTF-8 sequence; returns its length (>=1) and *cp, or 0 if the
 * sequence at s is invalid (then *cp is undefined). */
size_t ui_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
size_t ui_utf8_encode(uint32_t cp, char out[4]);

/* Plain-text dump: one line per row, trailing blanks trimmed, each line ends
 * with '\n'. Returns a malloc'd string (caller frees) or NULL. */
char *ui_grid_to_text(const ui_grid *g);
/* One row as text (no newline, trailing blanks trimmed) into out. */
size_t ui_grid_row_text(const ui_grid *g, int row, char *out, size_t outsz);

#endif

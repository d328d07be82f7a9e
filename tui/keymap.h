/*
 * Commands and the key map. One X-macro lists every command with its help
 * text; a second one binds keys to commands. The help screen, `gotv --keys`
 * (docs/keys.md) and the man page's key table are all generated from these
 * two lists, so they cannot drift from what the keys do.
 */
#ifndef GOTV_TUI_KEYMAP_H
#define GOTV_TUI_KEYMAP_H

#include <stdio.h>
#include <termkey.h>

/* X(name, help) */
#define UI_CMD_LIST(X)                                                                  \
    X(NONE, "")                                                                         \
    X(SCROLL_LEFT, "scroll the timeline left (earlier)")                                \
    X(SCROLL_RIGHT, "scroll the timeline right (later)")                                \
    X(CURSOR_LEFT, "move the time cursor one column left")                              \
    X(CURSOR_RIGHT, "move the time cursor one column right")                            \
    X(ZOOM_IN, "zoom in around the time cursor")                                        \
    X(ZOOM_OUT, "zoom out around the time cursor")                                      \
    X(FIT_ALL, "fit the whole trace")                                                   \
    X(FIT_SEL, "fit the selection (span, episode, region or task)")                     \
    X(LANE_DOWN, "next lane / next row")                                                \
    X(LANE_UP, "previous lane / previous row")                                          \
    X(LANE_FIRST, "first lane / first row")                                             \
    X(LANE_LAST, "last lane / last row")                                                \
    X(PAGE_DOWN, "page down")                                                           \
    X(PAGE_UP, "page up")                                                               \
    X(OPEN, "goroutine panel / fold a group / show the selected row") \
    X(CLOSE, "close the panel, help or prompt")                                         \
    X(BACK, "go back (close panel, help, table); quit at the top")                      \
    X(QUIT, "quit now")                                                                 \
    X(SEARCH, "search goroutines by id, function, region or log text")                  \
    X(NEXT_MATCH, "next search match")                                                  \
    X(PREV_MATCH, "previous search match")                                              \
    X(PROMPT, "command: ':t TIME' jumps to a time, ':g ID' to a goroutine")        \
    X(PREV_TRANS, "previous state transition on the lane")                              \
    X(NEXT_TRANS, "next state transition on the lane")                                  \
    X(PREV_BLOCK, "previous blocking episode on the lane")                              \
    X(NEXT_BLOCK, "next blocking episode on the lane")                                  \
    X(JUMP_UNBLOCKER, "jump to the goroutine that unblocked the selected episode")      \
    X(JUMP_PARENT, "jump to the goroutine that created this one")                       \
    X(NEXT_VIEW, "next view: timeline, goroutine table, regions/tasks table")           \
    X(PREV_VIEW, "previous view")                                                       \
    X(SORT, "lane order / sort column: next")                                           \
    X(SORT_REVERSE, "reverse the sort order")                                           \
    X(YANK, "show (and copy, OSC 52) the command that reopens this view")      \
    X(HELP, "show all keys")                                                            \
    X(REDRAW, "redraw the screen")                                                      \
    X(SUSPEND, "suspend to the shell")

enum ui_cmd {
#define UI_X(n, h) CMD_##n,
    UI_CMD_LIST(UI_X)
#undef UI_X
    CMD__COUNT
};

/* Key kinds in the table. */
enum { UK_CHAR, UK_SYM, UK_FN };
#define UK_C TERMKEY_KEYMOD_CTRL
#define UK_S TERMKEY_KEYMOD_SHIFT

/* X(label, kind, code, mods, command) */
#define UI_KEY_LIST(X)                                          \
    X("h", UK_CHAR, 'h', 0, SCROLL_LEFT)                        \
    X("Left", UK_SYM, TERMKEY_SYM_LEFT, 0, SCROLL_LEFT)         \
    X("l", UK_CHAR, 'l', 0, SCROLL_RIGHT)                       \
    X("Right", UK_SYM, TERMKEY_SYM_RIGHT, 0, SCROLL_RIGHT)      \
    X(",", UK_CHAR, ',', 0, CURSOR_LEFT)                        \
    X("S-Left", UK_SYM, TERMKEY_SYM_LEFT, UK_S, CURSOR_LEFT)    \
    X(".", UK_CHAR, '.', 0, CURSOR_RIGHT)                       \
    X("S-Right", UK_SYM, TERMKEY_SYM_RIGHT, UK_S, CURSOR_RIGHT) \
    X("+", UK_CHAR, '+', 0, ZOOM_IN)                            \
    X("=", UK_CHAR, '=', 0, ZOOM_IN)                            \
    X("-", UK_CHAR, '-', 0, ZOOM_OUT)                           \
    X("0", UK_CHAR, '0', 0, FIT_ALL)                            \
    X("f", UK_CHAR, 'f', 0, FIT_SEL)                            \
    X("j", UK_CHAR, 'j', 0, LANE_DOWN)                          \
    X("Down", UK_SYM, TERMKEY_SYM_DOWN, 0, LANE_DOWN)           \
    X("k", UK_CHAR, 'k', 0, LANE_UP)                            \
    X("Up", UK_SYM, TERMKEY_SYM_UP, 0, LANE_UP)                 \
    X("g", UK_CHAR, 'g', 0, LANE_FIRST)                         \
    X("Home", UK_SYM, TERMKEY_SYM_HOME, 0, LANE_FIRST)          \
    X("G", UK_CHAR, 'G', 0, LANE_LAST)                          \
    X("End", UK_SYM, TERMKEY_SYM_END, 0, LANE_LAST)             \
    X("PgDn", UK_SYM, TERMKEY_SYM_PAGEDOWN, 0, PAGE_DOWN)       \
    X("C-f", UK_CHAR, 'f', UK_C, PAGE_DOWN)                     \
    X("Space", UK_CHAR, ' ', 0, PAGE_DOWN)                   \
    X("PgUp", UK_SYM, TERMKEY_SYM_PAGEUP, 0, PAGE_UP)           \
    X("C-b", UK_CHAR, 'b', UK_C, PAGE_UP)                       \
    X("Enter", UK_SYM, TERMKEY_SYM_ENTER, 0, OPEN)              \
    X("Esc", UK_SYM, TERMKEY_SYM_ESCAPE, 0, CLOSE)              \
    X("q", UK_CHAR, 'q', 0, BACK)                               \
    X("Q", UK_CHAR, 'Q', 0, QUIT)                               \
    X("C-c", UK_CHAR, 'c', UK_C, QUIT)                          \
    X("/", UK_CHAR, '/', 0, SEARCH)                             \
    X("n", UK_CHAR, 'n', 0, NEXT_MATCH)                         \
    X("N", UK_CHAR, 'N', 0, PREV_MATCH)                         \
    X(":", UK_CHAR, ':', 0, PROMPT)                             \
    X("[", UK_CHAR, '[', 0, PREV_TRANS)                         \
    X("]", UK_CHAR, ']', 0, NEXT_TRANS)                         \
    X("{", UK_CHAR, '{', 0, PREV_BLOCK)                         \
    X("}", UK_CHAR, '}', 0, NEXT_BLOCK)                         \
    X("u", UK_CHAR, 'u', 0, JUMP_UNBLOCKER)                     \
    X("p", UK_CHAR, 'p', 0, JUMP_PARENT)                        \
    X("Tab", UK_SYM, TERMKEY_SYM_TAB, 0, NEXT_VIEW)             \
    X("S-Tab", UK_SYM, TERMKEY_SYM_TAB, UK_S, PREV_VIEW)        \
    X("s", UK_CHAR, 's', 0, SORT)                               \
    X("S", UK_CHAR, 'S', 0, SORT_REVERSE)                       \
    X("y", UK_CHAR, 'y', 0, YANK)                               \
    X("?", UK_CHAR, '?', 0, HELP)                               \
    X("F1", UK_FN, 1, 0, HELP)                                  \
    X("C-l", UK_CHAR, 'l', UK_C, REDRAW)                        \
    X("C-z", UK_CHAR, 'z', UK_C, SUSPEND)

typedef struct ui_keybind {
    const char *label;
    int kind;
    int code;
    int mods;
    enum ui_cmd cmd;
} ui_keybind;

/* The command a key is bound to, CMD_NONE if none. Pure. */
enum ui_cmd ui_keymap_lookup(const TermKeyKey *key);
const char *ui_cmd_name(enum ui_cmd c); /* "ZOOM_IN" */
const char *ui_cmd_help(enum ui_cmd c);
/* The keys bound to c, joined with " " ("h Left"). Returns length. */
int ui_cmd_keys(enum ui_cmd c, char *buf, size_t n);
/* All bindings (for tests). */
const ui_keybind *ui_keymap_table(unsigned *n);
/* Lines of the help screen, generated from the lists: *n gets the count;
 * line i is written to buf ("  h, Left        scroll the timeline left"). */
unsigned ui_help_count(void);
int ui_help_line(unsigned i, int keyw, char *buf, size_t n);
/* docs/keys.md (markdown) and the man page table (roff). */
void ui_keymap_markdown(FILE *f);
void ui_keymap_roff(FILE *f);

#endif

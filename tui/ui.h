/*
 * gotv explorer state, command dispatch and views. Everything here draws into
 * a ui_grid and never touches the terminal: the same code makes the
 * interactive frames (tui/term.c blits them) and `gotv snapshot` (text dump),
 * so a snapshot is exactly the frame the explorer would draw.
 */
#ifndef GOTV_TUI_UI_H
#define GOTV_TUI_UI_H

#include "model/model.h"
#include "tui/grid.h"
#include "tui/keymap.h"
#include "tui/viewport.h"

#include <stdint.h>

enum ui_view { VIEW_TIMELINE, VIEW_GTABLE, VIEW_TASKS, VIEW__COUNT };
enum ui_mode { MODE_NORMAL, MODE_SEARCH, MODE_PROMPT };
enum ui_lane_kind { LK_GC, LK_PLOT, LK_G, LK_P, LK_M, LK_GROUP };
enum ui_plot { PLOT_HEAP, PLOT_GRUN, PLOT_GRUNNABLE, PLOT_GWAIT, PLOT__COUNT };
enum ui_order { ORD_FUNC, ORD_ID, ORD_START, ORD_EXEC, ORD_BLOCKED, ORD_SCHED, ORD__COUNT };

/* Dispatch result flags. */
#define UI_REDRAW 1
#define UI_QUIT 2
#define UI_SUSPEND 4
#define UI_FULL_REDRAW 8

typedef struct ui_lane {
    uint8_t kind;   /* enum ui_lane_kind */
    uint8_t height; /* rows: 1 + region/log strip rows */
    uint32_t idx;   /* model lane index, or enum ui_plot; groups: first member */
    uint32_t count; /* groups: members */
    uint32_t pos;   /* groups: first member's position in gorder */
} ui_lane;

/* View options shared by the explorer and snapshot (--at, --span, --goroutine). */
typedef struct ui_view_opts {
    int has_at, has_span, has_g;
    int64_t at, span; /* relative to trace start */
    int64_t goroutine;
} ui_view_opts;

typedef struct ui_hist {
    int64_t t0, cursor;
    double npc;
    uint32_t sel_lane;
    int panel_open;
    uint32_t panel_g;
    int view;
} ui_hist;

typedef struct ui_pline {
    char text[320];
    uint16_t style;
    int32_t episode; /* episode index for selectable lines, -1 otherwise */
} ui_pline;

typedef struct ui_trow {
    uint8_t is_task;
    uint32_t idx;
} ui_trow;

typedef struct ui_state {
    model *m;
    const model_info *info;
    char path[1024];
    ui_grid grid;
    int utf8, color;
    enum ui_view view;
    enum ui_mode mode;
    int help_open, help_top;

    /* timeline */
    tl_viewport vp;
    int64_t cursor;    /* cursor time (absolute ns) */
    int label_w;       /* lane label columns */
    ui_lane *lanes;
    uint32_t nlanes;
    uint32_t *g_lane;  /* goroutine idx -> lane row */
    uint32_t *gorder;  /* goroutine idxs in lane order */
    uint32_t sel_lane, lane_top;
    uint32_t *toggled; /* func ids of groups folded/unfolded by the user */
    uint32_t ntoggled, toggled_cap;
    int order, order_rev;
    int64_t sel0, sel1; /* selection interval (sel1 > sel0 when set) */
    uint64_t plot_max[PLOT__COUNT];
    unsigned plot_ready;  /* bit per plot */
    int defer_plots;      /* explorer: draw the first frame before computing them */

    /* goroutine panel */
    int panel_open;
    uint32_t panel_g;   /* goroutine idx */
    int panel_sel;      /* episode index */
    int panel_rw;       /* width of the episodes' reason column */
    int panel_top;
    ui_pline *plines;
    int nplines, plines_cap;

    /* goroutine table */
    uint32_t *grows;
    int gt_sort, gt_rev, gt_ready;
    uint32_t gt_sel, gt_top;

    /* tasks/regions table */
    ui_trow *trows;
    uint32_t ntrows;
    int tk_sort, tk_rev, tk_ready;
    uint32_t tk_sel, tk_top;
    uint64_t *task_g; /* sorted (task index << 32 | goroutine idx) pairs */
    uint32_t ntask_g;

    /* search and prompt */
    char input[256];
    int input_len;
    char search[256];
    uint32_t *matches; /* goroutine idx, sorted by lane row */
    uint32_t nmatches;
    int match_i;
    uint8_t *is_match; /* per goroutine idx */

    char msg[600];
    int msg_err;
    char yank[1200];
    int yank_pending;

    ui_hist hist[32];
    int nhist;

    uint8_t *colbuf;
    struct ui_colcache *cc; /* per-lane columns for the current viewport */
} ui_state;

/* Build the state for a loaded model (not owned) at rows x cols. Returns 0 or
 * -1 (out of memory). path is the trace path as given on the command line.
 * ui_init and ui_compute_plots also run in the background loading thread
 * (tui/ui_load.c) on a model no other thread uses: they must touch no global
 * state (qsort contexts are thread-local). */
int ui_init(ui_state *st, model *m, const char *path, int rows, int cols, int utf8);
void ui_free(ui_state *st);
/* Apply --at/--span/--goroutine; returns 0 or -1 with a message in err. */
int ui_apply_opts(ui_state *st, const ui_view_opts *o, char *err, size_t errsz);
void ui_resize(ui_state *st, int rows, int cols);
/* Handle a command; returns UI_* flags. */
int ui_dispatch(ui_state *st, enum ui_cmd c);
/* Handle a key (prompts first, then the key map). */
int ui_key(ui_state *st, const TermKeyKey *key);
/* Mouse: button 1..5 (4/5 wheel), press=1; row/col 0-based. */
int ui_mouse(ui_state *st, int button, int press, int row, int col);
/* Compute the plots not computed yet (the explorer calls it after its first
 * frame when defer_plots is set; ui_render does it otherwise). */
void ui_compute_plots(ui_state *st);
/* Draw the current frame into st->grid. */
void ui_render(ui_state *st);
/* The loading screen: a progress bar. */
void ui_render_progress(ui_grid *g, const char *path, uint64_t done, uint64_t total, int utf8);
/* The command line that reopens this view (also in st->yank). */
int ui_view_cmdline(ui_state *st, int snapshot, char *buf, size_t n);
/* Parse a view option (--at, --span, --goroutine, with "--x=v" or "--x v").
 * Returns 1 consumed one arg, 2 consumed two, 0 not a view option, -1 error
 * (message in err). */
int ui_parse_view_opt(ui_view_opts *o, int argc, char **argv, int i, char *err, size_t errsz);

#endif

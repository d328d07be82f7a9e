/* Internal declarations shared by ui.c, ui_draw.c and ui_panel.c. */
#ifndef GOTV_TUI_UI_INT_H
#define GOTV_TUI_UI_INT_H

#include "tui/ui.h"

#include <stdarg.h>
#include <stddef.h>

extern tt_status (*const ui_loader_ref)(const uint8_t *, size_t, tt_syms *, const tt_sink *,
                                        tt_load_result *, tt_err *);

#define UI_MAX_STRIPS 2 /* region rows under a goroutine lane */
#define UI_GROUP_COLLAPSE 50 /* bigger groups start folded */

void ui_msg(ui_state *st, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
size_t ui_safe_str(const ui_state *st, uint32_t id, char *buf, size_t n);
void ui_short_func(const ui_state *st, uint32_t id, char *buf, size_t n);
void ui_glabel(const ui_state *st, uint32_t gidx, char *buf, size_t n);
void ui_rel(const ui_state *st, int64_t t, char *buf, size_t n);
/* Spans of a lane (none for plots and groups), decoded into caller-owned
 * model_spans: see model_lane_nspans / model_lane_span / model_lane_span_after. */
uint32_t ui_lane_nspans(const ui_state *st, const ui_lane *l);
const model_span *ui_lane_span(const ui_state *st, const ui_lane *l, uint32_t i, model_span *out);
uint32_t ui_lane_span_after(const ui_state *st, const ui_lane *l, int64_t t);
uint32_t ui_lane_spans_in(const ui_state *st, const ui_lane *l, int64_t t0, int64_t t1, uint32_t *first);
const model_span *ui_span_at(const ui_state *st, const ui_lane *l, int64_t t, uint32_t *idx, model_span *out);
int ui_build_lanes(ui_state *st);
void ui_select_g(ui_state *st, uint32_t gi);
int ui_group_collapsed(const ui_state *st, uint32_t func, uint32_t count);
void ui_layout(ui_state *st, int *lanes_top, int *lanes_rows, int *panel_top, int *panel_rows);
void ui_reveal_lane(ui_state *st);
void ui_reveal_cursor(ui_state *st);
void ui_push_hist(ui_state *st);
void ui_sort_matches(ui_state *st);
void ui_prepare_view(ui_state *st);
void ui_compute_plot(ui_state *st, int p);

/* ui_panel.c */
/* The goroutine panel lists (and selects among) the longest this many episodes. */
#define UI_PANEL_EPISODES 2000
void ui_open_panel(ui_state *st, uint32_t gidx);
/* The selected episode's span decoded into *out; out, or NULL if none. */
const model_span *ui_panel_episode(ui_state *st, model_span *out);
int ui_panel_cmd(ui_state *st, enum ui_cmd c);
int ui_panel_click(ui_state *st, int row);
void ui_draw_panel(ui_state *st, int top, int rows);
void ui_gt_sort(ui_state *st);
void ui_tk_sort(ui_state *st);
int ui_gtable_cmd(ui_state *st, enum ui_cmd c);
int ui_tasks_cmd(ui_state *st, enum ui_cmd c);
int ui_table_click(ui_state *st, int row);
void ui_draw_gtable(ui_state *st, int top, int rows);
void ui_draw_tasks(ui_state *st, int top, int rows);

/* ui_draw.c */
void ui_colcache_free(ui_state *st);
/* Heap bytes of the explorer's per-goroutine region and log indexes and of
 * the GC lane's range index (kept across viewports; not the column cache). */
size_t ui_index_bytes(const ui_state *st);
uint16_t ui_state_style(int state);
uint32_t ui_state_glyph(const ui_state *st, int state);
/* The cached buffer of cols bytes for key in the current viewport; *fresh is
 * set when the caller must fill it. NULL when the cache is full or memory is
 * short (the caller then computes into its own buffer). */
uint8_t *ui_cc_get(ui_state *st, uint64_t key, int cols, int *fresh);
/* The cells (cols bytes, as ui_cc_get gave them) of key in the nearest other
 * kept viewport of the current one's scale and width less than a screen
 * away, and its start in *t0; NULL when there is none. Valid until the next
 * ui_cc_get. For the plot rows after a scroll. */
const uint8_t *ui_cc_shifted(ui_state *st, uint64_t key, int cols, int64_t *t0);

/* ui_plot.c */
void ui_draw_plot(ui_state *st, const ui_lane *l, int row);
void ui_plot_label(ui_state *st, const ui_lane *l, char *b, size_t n);
/* The first k in [lo, n) with key(off + k) > t (n if none), where key(i) =
 * base[i step], ascending over [off, off + n); sk[b] = key(64 b) for every
 * block starting before off + n, or NULL (plain galloping). */
uint32_t ui_skip_after(const int64_t *base, uint32_t step, const int64_t *sk, uint32_t off, uint32_t lo, uint32_t n,
                       int64_t t);

#endif

/*
 * Reuse of a kept viewport's cached cells after a scroll (ui_draw.c), for
 * the plot rows (ui_plot.c).
 */
#ifndef GOTV_TUI_UI_CCSHIFT_H
#define GOTV_TUI_UI_CCSHIFT_H

#include "tui/ui.h"

#include <stdint.h>

/* The cells (cols bytes, as ui_cc_get gave them) of key in the nearest other
 * kept viewport of the current one's scale and width less than a screen
 * away, and its start in *t0; NULL when there is none. Valid until the next
 * ui_cc_get. */
const uint8_t *ui_cc_shifted(ui_state *st, uint64_t key, int cols, int64_t *t0);

#endif

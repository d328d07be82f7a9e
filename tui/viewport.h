/*
 * Timeline maths: the visible time window, zoom, pan, time <-> column, time
 * formatting and parsing. Pure integer/double maths, no grid, no model.
 */
#ifndef GOTV_TUI_VIEWPORT_H
#define GOTV_TUI_VIEWPORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct tl_viewport {
    int64_t t0;        /* time at the left edge of column 0 (ns, absolute) */
    double ns_per_col; /* scale; >= TL_MIN_NS_PER_COL */
    int cols;          /* columns of the time area (>= 1) */
    int64_t tmin, tmax;/* data bounds: the view never leaves them */
} tl_viewport;

#define TL_MIN_NS_PER_COL 1.0

/* Set bounds and columns, then fit [tmin, tmax). */
void tl_init(tl_viewport *vp, int64_t tmin, int64_t tmax, int cols);
/* Keep the time at the left edge, change the number of columns (resize). */
void tl_set_cols(tl_viewport *vp, int cols);
/* Show [a, b) across all columns (clamped). */
void tl_fit(tl_viewport *vp, int64_t a, int64_t b);
/* Multiply ns_per_col by factor (< 1 zooms in), keeping the time under
 * column col fixed; clamps between 1 ns/column and the whole trace. */
void tl_zoom_at(tl_viewport *vp, int col, double factor);
/* Shift by a number of columns (negative: left), clamped. */
void tl_pan(tl_viewport *vp, double cols);
/* Clamp scale and position to the bounds. */
void tl_clamp(tl_viewport *vp);
/* Make t visible, moving as little as possible (margin in columns). */
void tl_reveal(tl_viewport *vp, int64_t t, int margin);
/* Visible width in ns (rounded). */
int64_t tl_span(const tl_viewport *vp);
/* Start time of column col. */
int64_t tl_col_time(const tl_viewport *vp, int col);
/* Column holding time t (floor); may be < 0 or >= cols when outside. */
int tl_time_col(const tl_viewport *vp, int64_t t);
/* Axis tick step (1-2-5 series, ns) with ticks at least min_cols apart. */
int64_t tl_tick_step(double ns_per_col, int min_cols);

/* "850ns", "12.3us", "4.56ms", "1.23s": 3 significant digits. Returns length. */
int tl_fmt_dur(int64_t ns, char *buf, size_t n);
/* Tick label for t (relative ns) at the given step: as few digits as the step
 * needs ("0.2ms", "150us", "2s"). */
int tl_fmt_tick(int64_t t, int64_t step, char *buf, size_t n);
/* Exact form that tl_parse_dur reads back to the same value: "1.234567ms". */
int tl_fmt_exact(int64_t ns, char *buf, size_t n);
/* Parse "1.5ms", "200us", "3s", "850ns" (also "µs"); exact, no rounding
 * beyond 1 ns. Returns 0 and *out, or -1 (no unit, bad number, overflow). */
int tl_parse_dur(const char *s, int64_t *out);

#endif

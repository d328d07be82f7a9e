/*
 * Opening a big trace progressively (performance issue #7): the explorer
 * shows a *preview* model built from a prefix of the file at once (the loader
 * treats the cut as a truncated trace: the preview holds the first events of
 * the complete generations of the prefix, few enough not to add much to the
 * full load's peak memory), while the full model is built by a background
 * thread; when it is ready it is swapped into the running explorer.
 *
 * Thread rules: the background thread only runs model_open (no shared state
 * with the preview model or the ui_state); the main thread reads its
 * progress through atomics and learns that it ended from a pipe it polls.
 *
 * Environment (hidden, for tests and experiments):
 *   GOTV_PREVIEW_BYTES=N     preview the first N bytes of any trace larger
 *                            than N (0 turns the preview off), all its events
 *   GOTV_PREVIEW_EVENTS=N    the preview keeps the first N events (0: all)
 *   GOTV_PREVIEW_DELAY_MS=N  the background load pauses N ms at each of its
 *                            progress reports and before the goroutine counts
 *                            (cancel still stops it at once), so tests can see
 *                            the preview before the swap, and the plots after
 */
#ifndef GOTV_TUI_UI_LOAD_H
#define GOTV_TUI_UI_LOAD_H

#include "tui/ui.h"

#include <stddef.h>
#include <stdint.h>

/* Traces larger than this open with a preview of UI_PREVIEW_BYTES; when that
 * prefix holds no complete generation (a generation is about one second of
 * the program), 4 times more, up to UI_PREVIEW_MAX_BYTES. Of the prefix, the
 * preview model keeps the first events only: one per UI_PREVIEW_EVENT_BYTES
 * of the file (at least UI_PREVIEW_MIN_EVENTS), so that it costs about 1/40
 * of the full model, which is built while the preview is shown (peak memory,
 * issue #7). */
#define UI_PREVIEW_MIN_FILE (32u << 20)
#define UI_PREVIEW_BYTES (8u << 20)
#define UI_PREVIEW_MAX_BYTES (64u << 20)
#define UI_PREVIEW_EVENT_BYTES 1024u
#define UI_PREVIEW_MIN_EVENTS (64u << 10)

/* Bytes of a file_size trace to preview (0: no preview: load it whole). */
size_t ui_preview_bytes(uint64_t file_size);
/* ui_preview_bytes for the trace at path: 0 also when its header is not one
 * of the generation-based formats (Go 1.22 and later: only they have complete
 * prefixes) or cannot be read. */
size_t ui_preview_bytes_for(const char *path, uint64_t file_size);
/* The most a preview may take: UI_PREVIEW_MAX_BYTES or half the file
 * (GOTV_PREVIEW_BYTES: exactly that). */
size_t ui_preview_max_bytes(uint64_t file_size);
/* Events the preview of a file_size trace keeps (0: all of its prefix, also
 * when GOTV_PREVIEW_BYTES is set; GOTV_PREVIEW_EVENTS=N: N). */
uint64_t ui_preview_events(uint64_t file_size);
/* GOTV_PREVIEW_DELAY_MS (0 if unset). */
int ui_preview_delay_ms(void);

/* ---- the background load ---- */

typedef struct ui_bgload ui_bgload;

/* glibc's mmap threshold while (and after) a background load runs: fixed at
 * its default, as glibc's raising of it after the preview's frees made the
 * full model's peak 5-6 MiB higher on a 100 MB trace (ui_load.c). */
#define UI_MMAP_THRESHOLD (128u << 10)
/* Fix it (once per process; glibc only): main does it for every command,
 * ui_bgload_start for whoever embeds the explorer. */
void ui_fix_mmap_threshold(void);

/* Start model_open(path) in a thread. With rows and cols > 0 the thread also
 * builds the explorer state for the model (ui_init at that size, then one
 * frame: the plots and the visible lanes' caches), so the swap and the
 * first frame after it cost little on the main thread. NULL if no thread (or
 * pipe) could be made. delay_ms: see GOTV_PREVIEW_DELAY_MS. The first call
 * fixes glibc's mmap threshold at UI_MMAP_THRESHOLD for the process. */
ui_bgload *ui_bgload_start(const char *path, int delay_ms, int rows, int cols, int utf8);
/* A descriptor that becomes readable when the load has ended. */
int ui_bgload_fd(const ui_bgload *b);
/* Has the load ended (successfully or not)? */
int ui_bgload_done(const ui_bgload *b);
/* Bytes read so far of total (0 of the file size before the first report). */
void ui_bgload_progress(const ui_bgload *b, uint64_t *done, uint64_t *total);
/* Ask the load to stop soon (it then ends with TT_ERR_STOPPED). */
void ui_bgload_cancel(ui_bgload *b);
/* Wait for the thread and free b: the result of model_open (the caller owns
 * *m on TT_OK, and *ns: the state built for it (malloc'ed; NULL if not asked
 * for or out of memory), its plots computed. m, ns, res and err may be NULL. */
tt_status ui_bgload_finish(ui_bgload *b, model **m, ui_state **ns, tt_load_result *res, tt_err *err);
/*
 * Or in two steps, so that the explorer shows the whole trace while the
 * thread still computes its goroutine counts (model_gseries_build: seconds on
 * a 1 GB trace). Once ui_bgload_done: ui_bgload_take hands over what
 * ui_bgload_finish would (the state's goroutine plots not computed yet, its
 * defer_plots set; the caller must not compute them meanwhile, as the first
 * query would build the same counts on its own thread) and leaves b running;
 * the descriptor becomes readable again when the counts are ready too:
 * ui_bgload_plots_done (which also empties the descriptor) then says so.
 * ui_bgload_end(b, st) waits for the thread, gives the counts to st's model
 * (st->m must be the model taken; its plots are then computed and
 * defer_plots cleared: otherwise, out of memory, they are left to the
 * caller) and frees b; ui_bgload_end(b, NULL) cancels the counts and frees
 * b (before the model is freed). b may be NULL.
 */
tt_status ui_bgload_take(ui_bgload *b, model **m, ui_state **ns, tt_load_result *res, tt_err *err);
int ui_bgload_plots_done(ui_bgload *b);
void ui_bgload_end(ui_bgload *b, ui_state *st);

/* ---- the preview ---- */

typedef struct ui_preview {
    model *m;
    size_t bytes;  /* prefix given to the loader */
} ui_preview;

/* Build the preview from the first `bytes` bytes of path (4 times more while
 * that holds no complete generation, up to max_bytes < the file size).
 * TT_OK: p->m is the model; otherwise nothing to free. Only for mapped files
 * of the generation-based formats (Go 1.22 and later): else TT_ERR_IO, load
 * the trace whole instead. The file is unmapped once the model is built (it
 * keeps nothing of it). */
tt_status ui_preview_open(const char *path, size_t bytes, size_t max_bytes, ui_preview *p, tt_err *err);
/* The same keeping only the first max_events events of the prefix (0: all;
 * see ui_preview_events). */
tt_status ui_preview_open_n(const char *path, size_t bytes, size_t max_bytes, uint64_t max_events, ui_preview *p,
                            tt_err *err);
void ui_preview_close(ui_preview *p);

/* ---- in the explorer ---- */

/* Replace st's model by m (not owned; the old one is left to the caller):
 * the state is rebuilt for m, then what the user was looking at is carried
 * over by ids (lane indexes differ between models): the time window (a view
 * of the whole trace stays the whole trace, else clamped), the cursor, the
 * selected lane (goroutine, P, M, group), the folded/unfolded groups, the
 * scroll position, the lane order, the open panel and its episode, the
 * tables' sort and selection, the search matches, the history, the message
 * and any prompt being typed. Returns 0, or -1 (out of memory; st is
 * unchanged and still uses the old model). */
int ui_swap_model(ui_state *st, model *m);
/* The same with the state already built for the new model (ui_init, e.g. by
 * the background load; resized here if the terminal changed); consumes ns
 * (a malloc'ed ui_state). */
void ui_swap_state(ui_state *st, ui_state *ns);

/* The banner of the loading explorer: "loading 37% - showing the first
 * 1.013s of the trace" (indexing once every byte is read). */
void ui_loading_banner(const ui_state *st, uint64_t done, uint64_t total, char *buf, size_t n);
/* The banner when the full load failed after the preview was shown (the
 * explorer keeps the preview; on quit the error is reported as any load
 * error, "gotv: FILE: what at byte N", and the exit status is 1):
 * "load failed: out of memory at byte 123 - only the first 1.01s shown". */
void ui_failed_banner(const ui_state *st, tt_status s, const tt_err *e, char *buf, size_t n);
/* Draw text at the right end of the status line (after ui_render); err:
 * the error style. */
void ui_draw_banner(ui_state *st, const char *text, int err);

#endif

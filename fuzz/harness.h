/*
 * gotv fuzz harness: one input through the whole pipeline.
 *
 * Shared by the libFuzzer target (fuzz/fuzz_trace.c, clang) and the plain
 * replay driver (fuzz/replay.c, gcc + ASan/UBSan). Stages, each run only if
 * the library it needs is linked in (the harness refers to the library
 * through weak symbols, so it builds against whatever exists today):
 *
 *   1. loader:  tt_load() into a counting sink that checks the sink contract
 *               (strictly increasing times, valid string/stack ids, known
 *               kinds, printable error messages with offsets inside the input)
 *   2. model:   model_open_mem(), info, every lane's spans (sorted,
 *               non-overlapping) and model_lane_columns() over all lanes at
 *               200 columns, goroutine stats/episodes/regions/logs, series,
 *               search
 *   3. render:  every interned string through ui_sanitize() and
 *               ui_text_untrusted() into a grid, plus one explorer frame when
 *               tui/ exposes a render-to-grid entry point (see harness.c)
 *
 * A broken invariant calls fz_fail(), which prints the reason and aborts, so
 * libFuzzer and the replay driver both report it as a crash.
 */
#ifndef GOTV_FUZZ_HARNESS_H
#define GOTV_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz_stats {
    int loaded;             /* stage 1 ran */
    int load_status;        /* tt_status of tt_load */
    uint64_t events;        /* events seen by the sink */
    int modeled;            /* stage 2 ran */
    int model_status;
    uint32_t lanes;         /* lanes queried */
    int rendered;           /* stage 3 ran (strings / frame) */
    int frame;              /* an explorer frame was drawn */
} fz_stats;

/* Run one input; buf must hold exactly len readable bytes (no padding) so
 * that ASan catches over-reads. Returns 0 (problems abort). */
int fz_one(const uint8_t *buf, size_t len, fz_stats *st);

/* Which stages are linked in (bit 1 loader, 2 model, 4 strings, 8 frame). */
unsigned fz_stages(void);

#endif

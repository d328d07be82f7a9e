/*
 * Batched searches of the explorer's region and log strips (ui_draw.c),
 * separate so the tests can check them against a plain search.
 */
#ifndef GOTV_TUI_UI_STRIP_H
#define GOTV_TUI_UI_STRIP_H

#include <stdint.h>

/* For keys k(i) = base[i * step], i in [off, off + n), ascending, and block
 * keys sk[b] = k(b << skl) (for the blocks b starting in (off, off + n)):
 * out[j] = the first i - off with k(i) > t[j] (n if none), for each j < nt,
 * t non-decreasing. out holds 2 nt values (the second half is scratch). */
void ui_strip_afters(const int64_t *base, uint32_t step, const int64_t *sk, uint32_t off, uint32_t n,
                     const int64_t *t, int nt, uint32_t *out, unsigned skl);

#endif

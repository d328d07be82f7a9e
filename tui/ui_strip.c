/*
 * Batched searches of the explorer's strips (see ui_strip.h).
 */
#include "tui/ui_strip.h"

#include <stddef.h>
#include <stdint.h>

/*
 * ui_skip_after(base, step, sk, off, 0, n, t[j]) for every j < nt at once,
 * for ascending keys and non-decreasing t (every column start of a strip):
 * the block of each answer first (sk), then the search inside each block,
 * each a binary search run level by level over all columns, so that the
 * cache misses of different columns overlap instead of following each
 * other. The same answers as ui_skip_after (the first index with a key > t
 * is unique when the keys ascend).
 */
void ui_strip_afters(const int64_t *base, uint32_t step, const int64_t *sk, uint32_t off, uint32_t n,
                     const int64_t *t, int nt, uint32_t *out, unsigned skl)
{
#define SKEY(i) base[(size_t)(i) * step]
    uint32_t gend = off + n;
    if (!n) {
        for (int j = 0; j < nt; j++) out[j] = 0;
        return;
    }
    uint32_t b0 = (off >> skl) + 1, bn = ((gend - 1) >> skl) + 1; /* blocks starting inside (off, gend) */
    /* the first block b in [b0, bn) with sk[b] > t[j] (bn if none), for
     * every j at once: a binary search of the same length per column, level
     * by level over all columns, so the loads of one level (independent
     * across columns) overlap instead of each column's search (or a gallop
     * from the last one) waiting on its own misses one after another */
    for (int j = 0; j < nt; j++) out[j] = b0;
    uint32_t len = bn > b0 ? bn - b0 : 0;
    while (len > 1) {
        uint32_t half = len / 2;
        for (int j = 0; j < nt; j++) out[j] += sk[out[j] + half] <= t[j] ? half : 0;
        len -= half;
    }
    for (int j = 0; j < nt; j++) {
        uint32_t b = out[j] + (len == 1 && sk[out[j]] <= t[j]);
        uint32_t lo = b > b0 ? (b - 1) << skl : off, hi = b < bn ? b << skl : gend;
        if (lo < off) lo = off;
        out[j] = lo; /* the answer is in [lo, hi]: searched below */
        out[nt + j] = hi - lo;
    }
    /* inside the blocks likewise, level by level over all columns (only the
     * lines a search reads are loaded, not whole blocks) */
    for (int more = 1; more;) {
        more = 0;
        for (int j = 0; j < nt; j++) {
            uint32_t m = out[nt + j];
            if (m <= 1) continue;
            uint32_t h = m / 2;
            out[j] += SKEY(out[j] + h) <= t[j] ? h : 0;
            out[nt + j] = m - h;
            more |= m - h > 1;
        }
    }
    for (int j = 0; j < nt; j++) {
        uint32_t lo = out[j];
        if (out[nt + j] == 1 && SKEY(lo) <= t[j]) lo++;
        out[j] = lo - off;
    }
#undef SKEY
}


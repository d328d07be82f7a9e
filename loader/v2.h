/* Internal: the Go 1.22+ ("v2") reader and small helpers shared in loader/. */
#ifndef GOTV_LOADER_V2_H
#define GOTV_LOADER_V2_H

#include "loader/trace.h"

/* buf: the whole input (len bytes); or, when fd >= 0 (file mode), buf is
 * not read and the len bytes are read from fd with pread (the offset of fd
 * is not used or changed). */
tt_status tt_load_v2(const uint8_t *buf, size_t len, int fd, int minor, tt_syms *syms,
                     const tt_sink *sink, tt_load_result *res, tt_err *err);
/* Set by tt_load_file around a load of a mapped file: the old-format reader
 * (v1) then releases input pages it has consumed (madvise DONTNEED). The
 * Go 1.22+ reader has no page release: tt_file_open keeps the descriptor of
 * every file it maps, and tt_load_file reads Go 1.22+ traces from it with
 * pread (file mode), so it never runs on a mapping with this set. */
extern _Thread_local int tt_v2_release_pages;
/* Tests: nonzero makes the v2 reader decode varints without BMI2's pext
 * even where it would use it (both ways must give the same events). */
extern _Thread_local int tt_v2_no_pext;
/* Tests: nonzero is the size of read_gen's read window in file mode (the
 * default is 16 KiB), to make every header straddle a refill. */
extern _Thread_local size_t tt_v2_scan_chunk;

/* Go's binary.Uvarint: returns bytes used (>0), 0 if truncated, -1 on overflow. */
static inline int tt_uvarint(const uint8_t *p, size_t n, uint64_t *out)
{
    uint64_t x = 0;
    unsigned s = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (i == 10)
            return -1;
        if (b < 0x80) {
            if (i == 9 && b > 1)
                return -1;
            *out = x | (uint64_t)b << s;
            return (int)i + 1;
        }
        x |= (uint64_t)(b & 0x7f) << s;
        s += 7;
    }
    *out = 0;
    return 0;
}

#endif

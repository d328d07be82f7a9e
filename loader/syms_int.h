/* Loader-internal view of tt_syms (loader/syms.c): the layout, for the
 * readers' hot paths to read strings without a call. Not part of the public
 * contract (loader/trace.h). */
#ifndef GOTV_LOADER_SYMS_INT_H
#define GOTV_LOADER_SYMS_INT_H

#include "loader/trace.h"

typedef struct stk_ent {
    uint64_t off; /* index into frames */
    uint32_t n;
    uint32_t hash;
} stk_ent;

struct tt_syms {
    char *bytes;
    size_t nbytes, capbytes;
    /* string id -> offset in bytes, for ids 0..nstrs (entry nstrs = nbytes):
     * per block of 64 ids a 64-bit base, per id a 16-bit delta from it; a
     * block whose strings span more than 64 KiB keeps its deltas in d64
     * instead (bwide = its index there, SYMS_NARROW otherwise) */
    uint16_t *d16;
    uint64_t *bbase;
    uint32_t *bwide;
    uint64_t *d64; /* 64 per wide block */
    uint32_t nstrs, capd16, capblk, nwide, capwide;
    uint32_t *shash; /* string lookup: slot = id | tag << sidbits, 0 = empty
                        (id 0 is never stored); the tag is the low 32 - sidbits
                        bits of the string's hash, a filter that spares most
                        reads of soff/bytes while probing */
    uint32_t shcap;  /* any size (grows by 1.5); at most 7/8 full */
    uint32_t sidbits; /* bits for ids below shcap (1..32) */

    tt_frame *frames;
    size_t nframes, capframes;
    stk_ent *stks;
    uint32_t nstks, capstks;
    uint32_t *khash;
    uint32_t khcap;
};

#define SYMS_NARROW UINT32_MAX

static inline uint64_t syms_soff_at(const tt_syms *s, uint32_t i)
{
    uint32_t b = i >> 6, w = s->bwide[b];
    if (__builtin_expect(w == SYMS_NARROW, 1))
        return s->bbase[b] + s->d16[i];
    return s->bbase[b] + s->d64[(size_t)w * 64 + (i & 63)];
}

static inline uint32_t syms_len(const tt_syms *s, uint32_t id)
{
    return (uint32_t)(syms_soff_at(s, id + 1) - syms_soff_at(s, id) - 1);
}

static inline const char *syms_at(const tt_syms *s, uint32_t id)
{
    return s->bytes + syms_soff_at(s, id);
}

/* tt_syms_str for an id known to be below nstrs, without the NULL-safe len. */
static inline const char *syms_str_at(const tt_syms *s, uint32_t id, size_t *len)
{
    uint32_t b = id >> 6;
    if (__builtin_expect(s->bwide[b] == SYMS_NARROW && (id & 63) != 63, 1)) {
        /* id and id + 1 in the same narrow block */
        uint32_t a = s->d16[id];
        *len = (size_t)(s->d16[id + 1] - a - 1);
        return s->bytes + s->bbase[b] + a;
    }
    uint64_t a = syms_soff_at(s, id);
    *len = (size_t)(syms_soff_at(s, id + 1) - a - 1);
    return s->bytes + a;
}

#endif

/* Loader-internal view of tt_syms (loader/syms.c): the layout, for the
 * readers' hot paths to read strings without a call. Not part of the public
 * contract (loader/trace.h). */
#ifndef GOTV_LOADER_SYMS_INT_H
#define GOTV_LOADER_SYMS_INT_H

#include "loader/trace.h"

#include <string.h>

static inline uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static inline uint64_t load64(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline uint64_t load32(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/* One multiply per 8 bytes and a full mix at the end; the last (partial)
 * word is read as the final 8 bytes of the string, overlapping the previous
 * one, so there is no variable-length copy. Only the lookup tables' layout
 * depends on it (tt_syms and v2's per-generation strings). */
static inline uint32_t hash_bytes(const char *p, size_t n)
{
    const uint64_t k = 0x9fb21c651e98df25ULL;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)n * k);
    if (n >= 8) {
        const char *last = p + n - 8;
        while (p < last) {
            h = (h ^ load64(p)) * k;
            h ^= h >> 29;
            p += 8;
        }
        h = (h ^ load64(last)) * k;
    } else if (n >= 4) {
        h = (h ^ (load32(p) | load32(p + n - 4) << 32)) * k;
    } else if (n) {
        uint64_t w = (uint64_t)(uint8_t)p[0] | (uint64_t)(uint8_t)p[n / 2] << 8 |
                     (uint64_t)(uint8_t)p[n - 1] << 16;
        h = (h ^ w) * k;
    }
    return (uint32_t)mix64(h);
}

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

    /* Shared mode (tt_syms_share): arrays that readers on another thread
     * may be using are not freed when they grow but kept here until the
     * mode ends. */
    int shared;
    void **retired;
    size_t nretired, capretired, nfreed; /* [0, nfreed) freed already */
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
static inline __attribute__((always_inline)) const char *syms_str_at(const tt_syms *s, uint32_t id,
                                                                    size_t *len)
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

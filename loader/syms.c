/*
 * tt_syms: interned strings and stacks.
 *
 * Strings live in one growing byte arena (each NUL-terminated, stored in id
 * order); a string id indexes an offset table (the length is the distance to
 * the next offset, the hash is recomputed from the bytes when the lookup
 * table grows, a few times in all). Offsets take ~2.2 bytes per string (a
 * 16-bit delta from a base per 64 strings, see syms_int.h); the
 * lookup table grows by 1.5 and packs a hash tag with each id (4 bytes per
 * slot, at most 7/8 full). Stacks are interned by content: their frames
 * are stored contiguously in a frame pool, so identical stacks from different
 * generations share one id. Lookups use open-addressing hash tables of ids.
 * All memory grows geometrically with the amount of distinct content.
 */
#include "loader/syms_int.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_frames(const tt_frame *f, uint32_t n)
{
    uint64_t h = 0x243f6a8885a308d3ULL ^ n;
    for (uint32_t i = 0; i < n; i++) {
        h = mix64(h ^ f[i].pc) + f[i].line;
        h = mix64(h ^ ((uint64_t)f[i].func << 32 | f[i].file));
    }
    return (uint32_t)mix64(h);
}

/* Pointer fields and counts that readers may load in shared mode are
 * stored atomically (see tt_syms_share); RD loads them on the reader side. */
#define PUB(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELEASE)
#define RD(field) __atomic_load_n(&(field), __ATOMIC_ACQUIRE)

static int retire(tt_syms *s, void *old)
{
    if (!old)
        return 0;
    if (s->nretired == s->capretired) {
        size_t nc = s->capretired ? s->capretired * 2 : 16;
        void **nr = realloc(s->retired, nc * sizeof *nr);
        if (!nr)
            return -1;
        s->retired = nr;
        s->capretired = nc;
    }
    s->retired[s->nretired++] = old;
    return 0;
}

/* Grow *p (cap elements of elem bytes) to hold need elements. In shared
 * mode the old array is kept (retired) and the new pointer published. */
static int grow(tt_syms *s, void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem)
            return -1;
        nc *= 2;
    }
    void *np;
    if (s->shared) {
        np = malloc(nc * elem);
        if (!np)
            return -1;
        if (*p)
            memcpy(np, *p, *cap * elem);
        if (retire(s, *p)) {
            free(np);
            return -1;
        }
    } else {
        np = realloc(*p, nc * elem);
        if (!np)
            return -1;
    }
    PUB(*p, np);
    *cap = nc;
    return 0;
}

static int grow32(tt_syms *s, void **p, uint32_t *cap, size_t need, size_t elem)
{
    size_t c = *cap;
    if (need > UINT32_MAX - 1)
        return -1;
    if (grow(s, p, &c, need, elem))
        return -1;
    *cap = (uint32_t)(c > UINT32_MAX ? UINT32_MAX : c);
    return 0;
}

size_t tt_syms_retired(const tt_syms *s) { return s->nretired; }

void tt_syms_reclaim(tt_syms *s, size_t upto)
{
    if (upto > s->nretired)
        upto = s->nretired;
    for (; s->nfreed < upto; s->nfreed++) {
        free(s->retired[s->nfreed]);
        s->retired[s->nfreed] = NULL;
    }
}

int tt_syms_share(tt_syms *s, int on)
{
    if (on) {
        if (s->shared)
            return -1;
        s->shared = 1;
        return 0;
    }
    tt_syms_reclaim(s, s->nretired);
    free(s->retired);
    s->retired = NULL;
    s->nretired = s->capretired = s->nfreed = 0;
    s->shared = 0;
    return 0;
}

/* Record the offset of string i (i = nstrs + 1 holds nbytes: the end of the
 * last string); entries are set in order of i. */
static int set_off(tt_syms *s, uint32_t i, uint64_t off)
{
    uint32_t b = i >> 6;
    if (i >= s->capd16 && grow32(s, (void **)&s->d16, &s->capd16, (size_t)i + 1, sizeof *s->d16))
        return -1;
    if ((i & 63) == 0) {
        if (b >= s->capblk) {
            uint32_t c = s->capblk, cw = s->capblk;
            if (grow32(s, (void **)&s->bbase, &c, (size_t)b + 1, sizeof *s->bbase) ||
                grow32(s, (void **)&s->bwide, &cw, c, sizeof *s->bwide))
                return -1; /* bbase may be bigger than needed: harmless */
            s->capblk = c;
        }
        s->bbase[b] = off;
        PUB(s->bwide[b], SYMS_NARROW);
        s->d16[i] = 0;
        return 0;
    }
    uint64_t d = off - s->bbase[b];
    if (s->bwide[b] == SYMS_NARROW) {
        if (d <= UINT16_MAX) {
            s->d16[i] = (uint16_t)d;
            return 0;
        }
        /* this block's strings span more than 64 KiB: 64-bit deltas */
        if (s->nwide >= UINT32_MAX / 64 - 1 ||
            grow32(s, (void **)&s->d64, &s->capwide, (size_t)s->nwide + 1, 64 * sizeof *s->d64))
            return -1;
        uint64_t *w = s->d64 + (size_t)s->nwide * 64;
        for (uint32_t k = b << 6; k < i; k++)
            w[k & 63] = s->d16[k];
        PUB(s->bwide[b], s->nwide++);
    }
    s->d64[(size_t)s->bwide[b] * 64 + (i & 63)] = d;
    return 0;
}

tt_syms *tt_syms_new(void)
{
    tt_syms *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    /* id 0: "" and the empty stack */
    if (set_off(s, 0, 0) || set_off(s, 1, 1) ||
        grow(s, (void **)&s->bytes, &s->capbytes, 1, 1) ||
        grow32(s, (void **)&s->stks, &s->capstks, 1, sizeof(stk_ent))) {
        tt_syms_free(s);
        return NULL;
    }
    s->bytes[0] = 0;
    s->nbytes = 1;
    s->nstrs = 1;
    s->stks[0] = (stk_ent){0, 0, 0};
    s->nstks = 1;
    return s;
}

void tt_syms_free(tt_syms *s)
{
    if (!s)
        return;
    free(s->bytes);
    free(s->d16);
    free(s->bbase);
    free(s->bwide);
    free(s->d64);
    free(s->shash);
    free(s->frames);
    free(s->stks);
    free(s->khash);
    tt_syms_share(s, 0);
    free(s);
}

/* Rebuild a hash table of ids with capacity ncap. */
static int rehash(uint32_t **tab, uint32_t *cap, uint32_t ncap, uint32_t count,
                  uint32_t (*hof)(const tt_syms *, uint32_t), const tt_syms *s)
{
    uint32_t *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return -1;
    for (uint32_t id = 1; id < count; id++) {
        uint32_t i = hof(s, id) & (ncap - 1);
        while (nt[i])
            i = (i + 1) & (ncap - 1);
        nt[i] = id;
    }
    free(*tab);
    *tab = nt;
    *cap = ncap;
    return 0;
}

/* Slot of hash h in a table of cap slots: the high bits of h pick it (the
 * tag takes the low bits). */
static inline uint32_t slot_of(uint32_t h, uint32_t cap)
{
    return (uint32_t)(((uint64_t)h * cap) >> 32);
}

static inline uint32_t tag_of(uint32_t h, uint32_t idbits)
{
    return idbits >= 32 ? 0 : (h << idbits);
}

/* Rebuild the string lookup table with capacity ncap (hashes recomputed).
 * Ids stay below ncap until the next rebuild (at most 7/8 full). */
static int str_rehash(tt_syms *s, uint32_t ncap)
{
    uint32_t *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return -1;
    uint32_t bits = 1;
    while (bits < 32 && ((uint64_t)1 << bits) < ncap)
        bits++;
    for (uint32_t id = 1; id < s->nstrs; id++) {
        size_t l;
        const char *p = syms_str_at(s, id, &l);
        uint32_t h = hash_bytes(p, l);
        uint32_t i = slot_of(h, ncap);
        while (nt[i])
            i = i + 1 == ncap ? 0 : i + 1;
        nt[i] = id | tag_of(h, bits);
    }
    free(s->shash);
    s->shash = nt;
    s->shcap = ncap;
    s->sidbits = bits;
    return 0;
}
static uint32_t stk_hash_of(const tt_syms *s, uint32_t id) { return s->stks[id].hash; }

uint32_t tt_syms_intern(tt_syms *s, const char *bytes, size_t len)
{
    if (len == 0)
        return 0;
    if (len > UINT32_MAX - 1)
        return UINT32_MAX;
    uint32_t h = hash_bytes(bytes, len);
    if (s->shcap) {
        uint32_t tag = tag_of(h, s->sidbits);
        uint32_t idmask = s->sidbits >= 32 ? UINT32_MAX : ((uint32_t)1 << s->sidbits) - 1;
        uint32_t i = slot_of(h, s->shcap);
        for (uint32_t v; (v = s->shash[i]) != 0; i = i + 1 == s->shcap ? 0 : i + 1) {
            uint32_t id = v & idmask;
            if ((v & ~idmask) != tag)
                continue;
            size_t l;
            const char *p = syms_str_at(s, id, &l);
            if (l == len && memcmp(p, bytes, len) == 0)
                return id;
        }
    }
    if (s->nstrs >= UINT32_MAX - 1)
        return UINT32_MAX;
    if ((uint64_t)s->nstrs * 8 > (uint64_t)s->shcap * 7) { /* nstrs - 1 stored, one more */
        uint64_t nc = s->shcap ? (uint64_t)s->shcap + s->shcap / 2 : 64;
        if (nc > UINT32_MAX)
            nc = UINT32_MAX;
        if (nc <= s->shcap || str_rehash(s, (uint32_t)nc))
            return UINT32_MAX;
    }
    if (grow(s, (void **)&s->bytes, &s->capbytes, s->nbytes + len + 1, 1) ||
        set_off(s, s->nstrs + 1, s->nbytes + len + 1))
        return UINT32_MAX;
    uint32_t id = s->nstrs;
    memcpy(s->bytes + s->nbytes, bytes, len);
    s->bytes[s->nbytes + len] = 0;
    s->nbytes += len + 1;
    PUB(s->nstrs, id + 1);
    uint32_t i = slot_of(h, s->shcap);
    while (s->shash[i])
        i = i + 1 == s->shcap ? 0 : i + 1;
    s->shash[i] = id | tag_of(h, s->sidbits);
    return id;
}

/* The offset of string i for a reader in shared mode: the same as
 * syms_soff_at, with the pointers and the block's form loaded atomically. */
static uint64_t soff_rd(const tt_syms *s, uint32_t i)
{
    uint32_t b = i >> 6;
    const uint32_t *bw = RD(s->bwide);
    uint32_t w = RD(bw[b]);
    const uint64_t *bb = RD(s->bbase);
    if (w == SYMS_NARROW)
        return bb[b] + RD(s->d16)[i];
    return bb[b] + RD(s->d64)[(size_t)w * 64 + (i & 63)];
}

const char *tt_syms_str(const tt_syms *s, uint32_t id, size_t *len)
{
    if (id >= RD(s->nstrs))
        id = 0;
    if (!s->shared) { /* set and cleared while no reader runs */
        size_t l;
        const char *p = syms_str_at(s, id, &l);
        if (len)
            *len = l;
        return p;
    }
    uint64_t a = soff_rd(s, id);
    if (len)
        *len = (size_t)(soff_rd(s, id + 1) - a - 1);
    return RD(s->bytes) + a;
}

uint32_t tt_syms_nstrings(const tt_syms *s) { return RD(s->nstrs); }

uint32_t tt_syms_stack(tt_syms *s, const tt_frame *frames, uint32_t n)
{
    if (n == 0)
        return 0;
    uint32_t h = hash_frames(frames, n);
    if (s->khcap) {
        uint32_t i = h & (s->khcap - 1);
        for (uint32_t id; (id = s->khash[i]) != 0; i = (i + 1) & (s->khcap - 1)) {
            const stk_ent *e = &s->stks[id];
            if (e->hash == h && e->n == n &&
                memcmp(s->frames + e->off, frames, n * sizeof *frames) == 0)
                return id;
        }
    }
    if (s->nstks >= UINT32_MAX - 1)
        return UINT32_MAX;
    if ((uint64_t)(s->nstks + 1) * 2 > s->khcap) {
        uint32_t nc = s->khcap ? s->khcap * 2 : 64;
        if (nc < s->khcap || rehash(&s->khash, &s->khcap, nc, s->nstks, stk_hash_of, s))
            return UINT32_MAX;
    }
    if (grow32(s, (void **)&s->stks, &s->capstks, (size_t)s->nstks + 1, sizeof(stk_ent)) ||
        grow(s, (void **)&s->frames, &s->capframes, s->nframes + n, sizeof(tt_frame)))
        return UINT32_MAX;
    uint32_t id = s->nstks;
    s->stks[id] = (stk_ent){s->nframes, n, h};
    memcpy(s->frames + s->nframes, frames, n * sizeof *frames);
    s->nframes += n;
    PUB(s->nstks, id + 1);
    uint32_t i = h & (s->khcap - 1);
    while (s->khash[i])
        i = (i + 1) & (s->khcap - 1);
    s->khash[i] = id;
    return id;
}

uint32_t tt_syms_stack_frames(const tt_syms *s, uint32_t id, const tt_frame **frames)
{
    if (id == 0 || id >= RD(s->nstks)) {
        *frames = NULL;
        return 0;
    }
    const stk_ent *e = &RD(s->stks)[id];
    *frames = RD(s->frames) + e->off;
    return e->n;
}

uint32_t tt_syms_nstacks(const tt_syms *s) { return RD(s->nstks); }

size_t tt_syms_bytes(const tt_syms *s)
{
    return sizeof *s + s->capbytes +
           (size_t)s->capd16 * sizeof(uint16_t) +
           (size_t)s->capblk * (sizeof(uint64_t) + sizeof(uint32_t)) +
           (size_t)s->capwide * 64 * sizeof(uint64_t) +
           (size_t)s->shcap * 4 + s->capframes * sizeof(tt_frame) +
           (size_t)s->capstks * sizeof(stk_ent) + (size_t)s->khcap * 4;
}

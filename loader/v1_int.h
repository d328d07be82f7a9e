/*
 * Internal helpers of the old-format (Go 1.11-1.21) reader: a u64 -> u32 hash
 * map and growable arrays. Only loader/v1*.c include this.
 */
#ifndef GOTV_LOADER_V1_INT_H
#define GOTV_LOADER_V1_INT_H

#include <stddef.h>
#include <stdint.h>

/* Open addressing, linear probing; vals[i] == UINT32_MAX marks a free slot. */
typedef struct v1_map {
    uint64_t *keys;
    uint32_t *vals;
    uint32_t cap; /* power of two, 0 before first insert */
    uint32_t n;
} v1_map;

void v1_map_free(v1_map *m);
/* Returns 1 and *val if key is present, else 0. */
int v1_map_get(const v1_map *m, uint64_t key, uint32_t *val);
/* Insert or overwrite. Returns 0, or -1 when out of memory. */
int v1_map_put(v1_map *m, uint64_t key, uint32_t val);

/* Grow *p (elements of size sz) so that it holds at least need elements.
 * Returns 0 or -1 on overflow / out of memory. */
int v1_grow(void **p, size_t *cap, size_t need, size_t sz);


/* Key -> value with a direct table for small keys (ids in traces are mostly
 * small and dense) and the hash map for the rest. */
typedef struct v1_idx {
    uint32_t *dir; /* UINT32_MAX = absent */
    size_t ndir;
    v1_map map;
} v1_idx;

#define V1_DIR_MAX ((size_t)1 << 22)

static inline int v1_idx_get(const v1_idx *x, uint64_t key, uint32_t *val)
{
    if (key < x->ndir) {
        *val = x->dir[key];
        return *val != UINT32_MAX;
    }
    return v1_map_get(&x->map, key, val);
}

int v1_idx_put(v1_idx *x, uint64_t key, uint32_t val);
void v1_idx_free(v1_idx *x);

/* Address space for a table that must never move (read by one thread while
 * another appends to it): small pages, committed only where written.
 * NULL on failure; free with v1_big_free. */
void *v1_big_reserve(size_t size);

/* Anonymous mapping for big arrays (4 KiB pages: see v1_util.c); NULL on failure. */
void *v1_big_alloc(size_t size);
void v1_big_free(void *p, size_t size);
/* Give back the whole step-aligned blocks (step: a power of two, at least the
 * page size) of p's bytes [*done, upto) to the kernel; they read as zeros
 * afterwards. Advances *done, returns the number of bytes released. */
size_t v1_big_release(void *p, size_t upto, size_t *done, size_t step);
/* The same, but each block goes to q (a v1_big_alloc of qlen bytes, written
 * only below qfrom) instead of back to the kernel: moved (mremap, no copy)
 * to the next step-aligned block of q at or above qfrom and above the blocks
 * moved before (*qdone: end of the last, in bytes from q), so that q grows
 * into those pages without the kernel zeroing new ones; p's range stays
 * mapped (it reads as zeros, as after v1_big_release). A block that does
 * not fit in q or cannot be moved is released. Contents of moved blocks are
 * stale: q must be written before it is read there. */
size_t v1_big_move(void *p, size_t upto, size_t *done, size_t step, void *q, size_t qlen,
                   size_t qfrom, size_t *qdone);

#endif

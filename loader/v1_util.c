/* Hash map and array growth for the old-format reader. */
#define _GNU_SOURCE /* mremap's MREMAP_FIXED */
#include "loader/v1_int.h"
#include "loader/syms_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static inline uint32_t v1_hash(uint64_t k)
{
    return (uint32_t)mix64(k);
}

void v1_map_free(v1_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

int v1_map_get(const v1_map *m, uint64_t key, uint32_t *val)
{
    if (!m->cap)
        return 0;
    uint32_t mask = m->cap - 1;
    for (uint32_t i = v1_hash(key) & mask;; i = (i + 1) & mask) {
        if (m->vals[i] == UINT32_MAX)
            return 0;
        if (m->keys[i] == key) {
            *val = m->vals[i];
            return 1;
        }
    }
}

static int v1_map_rehash(v1_map *m, uint32_t ncap)
{
    uint64_t *nk = malloc((size_t)ncap * sizeof *nk);
    uint32_t *nv = malloc((size_t)ncap * sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    memset(nv, 0xff, (size_t)ncap * sizeof *nv);
    uint32_t mask = ncap - 1;
    for (uint32_t j = 0; j < m->cap; j++) {
        if (m->vals[j] == UINT32_MAX)
            continue;
        uint32_t i = v1_hash(m->keys[j]) & mask;
        while (nv[i] != UINT32_MAX)
            i = (i + 1) & mask;
        nk[i] = m->keys[j];
        nv[i] = m->vals[j];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

int v1_map_put(v1_map *m, uint64_t key, uint32_t val)
{
    if ((uint64_t)(m->n + 1) * 4 > (uint64_t)m->cap * 3) {
        if (m->cap >= (1u << 30))
            return -1;
        if (v1_map_rehash(m, m->cap ? m->cap * 2 : 64) < 0)
            return -1;
    }
    uint32_t mask = m->cap - 1;
    for (uint32_t i = v1_hash(key) & mask;; i = (i + 1) & mask) {
        if (m->vals[i] == UINT32_MAX) {
            m->keys[i] = key;
            m->vals[i] = val;
            m->n++;
            return 0;
        }
        if (m->keys[i] == key) {
            m->vals[i] = val;
            return 0;
        }
    }
}

int v1_grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / sz)
        return -1;
    void *np = realloc(*p, ncap * sz);
    if (!np)
        return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

void v1_idx_free(v1_idx *x)
{
    free(x->dir);
    v1_map_free(&x->map);
    x->dir = NULL;
    x->ndir = 0;
}

int v1_idx_put(v1_idx *x, uint64_t key, uint32_t val)
{
    if (key < V1_DIR_MAX && key >= x->ndir) {
        /* grow the direct table if the key is not far beyond it */
        size_t want = x->ndir ? x->ndir : 1024;
        while (want <= key)
            want *= 2;
        if (want > V1_DIR_MAX)
            want = V1_DIR_MAX;
        if (key < 2 * x->ndir + 65536) {
            uint32_t *nd = realloc(x->dir, want * sizeof *nd);
            if (!nd)
                return -1;
            memset(nd + x->ndir, 0xff, (want - x->ndir) * sizeof *nd);
            x->dir = nd;
            /* move hash entries that now fit the table */
            x->ndir = want;
            if (x->map.n) {
                v1_map m = x->map;
                memset(&x->map, 0, sizeof x->map);
                for (uint32_t i = 0; i < m.cap; i++) {
                    if (m.vals[i] == UINT32_MAX)
                        continue;
                    if (m.keys[i] < want)
                        x->dir[m.keys[i]] = m.vals[i];
                    else if (v1_map_put(&x->map, m.keys[i], m.vals[i]) < 0) {
                        v1_map_free(&m);
                        return -1;
                    }
                }
                v1_map_free(&m);
            }
        }
    }
    if (key < x->ndir) {
        x->dir[key] = val;
        return 0;
    }
    return v1_map_put(&x->map, key, val);
}

/* Large arrays: anonymous mappings, committed only where written. No
 * transparent huge pages (session 17, bench/profile-v1-s17.md): on a guest
 * whose freed memory goes back to its host (virtio-balloon free page
 * reporting, as on the project's machine), a fresh 2 MiB page is backed by
 * the host page by page on first touch, which made 137 MiB cost 135-290 ms
 * of zeroing against 50-85 ms with 4 KiB pages; on bare metal huge pages
 * save ~35 ms there, but the array is written on the parse thread, beside
 * the merge, where that is hidden. */
void *v1_big_alloc(size_t size)
{
    if (size == 0)
        size = 1;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void *v1_big_reserve(size_t size)
{
    void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void v1_big_free(void *p, size_t size)
{
    if (p)
        munmap(p, size ? size : 1);
}

size_t v1_big_release(void *p, size_t upto, size_t *done, size_t step)
{
    uintptr_t m = (uintptr_t)step - 1, base = (uintptr_t)p;
    uintptr_t lo = (base + *done + m) & ~m, hi = (base + upto) & ~m;
    if (hi <= lo)
        return 0;
    if (madvise((void *)lo, hi - lo, MADV_DONTNEED) != 0)
        return 0;
    *done = (size_t)(hi - base);
    return (size_t)(hi - lo);
}

size_t v1_big_move(void *p, size_t upto, size_t *done, size_t step, void *q, size_t qlen,
                   size_t qfrom, size_t *qdone)
{
    uintptr_t m = (uintptr_t)step - 1, base = (uintptr_t)p, qb = (uintptr_t)q;
    uintptr_t lo = (base + *done + m) & ~m, hi = (base + upto) & ~m;
    size_t n = 0;
    if (hi <= lo)
        return 0;
    for (uintptr_t b = lo; b < hi; b += step) {
        uintptr_t d = (qb + qfrom + m) & ~m; /* no byte written from d on */
        if (d < qb + *qdone)
            d = qb + *qdone;
        void *r = MAP_FAILED;
        if (d + step <= qb + qlen)
            /* DONTUNMAP: the block's range stays mapped (reading zeros, like
             * MADV_DONTNEED), so that no other mapping can be placed in
             * it and then be unmapped with p (kernels before 5.7: EINVAL) */
            r = mremap((void *)b, step, step, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
                       (void *)d);
        if (r != MAP_FAILED)
            *qdone = (size_t)(d + step - qb);
        else if (madvise((void *)b, step, MADV_DONTNEED) != 0)
            break;
        *done = (size_t)(b + step - base);
        n += step;
    }
    return n;
}

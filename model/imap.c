/* An int64 -> uint32 map (model internal): a direct array for dense keys from
 * 0 up, an open-addressing hash table for the rest (model_int.h). */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX

/* Largest direct part (slots): keys past it always go to the hash table. */
#define DENSE_MAX ((uint32_t)1 << 31)
/* Slots the direct part may have beyond 4 per entry. */
#define DENSE_SLACK 1024u

/* A new hash table of ncap slots (a power of two, >= 2 * entries) holding the
 * old table's entries whose key is not below the direct part's size. */
static int hash_rebuild(model_imap *m, uint32_t ncap)
{
    int64_t *nk = malloc(sizeof *nk * ncap);
    uint32_t *nv = malloc(sizeof *nv * ncap);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    memset(nv, 0xff, sizeof *nv * ncap);
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->cap; i++) {
        if (m->v[i] == NONE32 || (uint64_t)m->k[i] < m->dcap)
            continue;
        uint32_t j = model_imap_slot(m->k[i], ncap);
        while (nv[j] != NONE32)
            j = (j + 1) & (ncap - 1);
        nk[j] = m->k[i];
        nv[j] = m->v[i];
        n++;
    }
    free(m->k);
    free(m->v);
    m->k = nk;
    m->v = nv;
    m->cap = ncap;
    m->n = n;
    return 0;
}

/* Grow the direct part to cover key k (0 <= k < DENSE_MAX) when that keeps it
 * at most 4 slots per entry (counting k and the hash table's) plus
 * DENSE_SLACK; the hash table's
 * entries that fall inside move into it. 0: done, -1: not (too sparse, or no
 * memory: the key goes to the hash table, which is always correct). */
static int dense_grow(model_imap *m, int64_t k)
{
    /* 1.5 times as many slots (at least k + 1), in whole KiB: realloc moves
     * a large array's pages without copying them, and the slots are
     * touched, so a power of two would cost up to twice the entries */
    uint64_t need = (uint64_t)k + 1, ncap = (uint64_t)m->dcap + m->dcap / 2;
    if (ncap < need)
        ncap = need;
    ncap = (ncap + 255) & ~(uint64_t)255;
    /* entries that would be in it: ours, k, and at most all of the hash's */
    uint64_t most = (uint64_t)m->dn + 1 + m->n;
    if (ncap > DENSE_MAX || ncap > SIZE_MAX / sizeof *m->d || ncap > 4 * most + DENSE_SLACK)
        return -1;
    uint32_t *nd = realloc(m->d, sizeof *nd * ncap);
    if (!nd)
        return -1;
    memset(nd + m->dcap, 0xff, sizeof *nd * (ncap - m->dcap));
    uint32_t old = m->dcap;
    m->d = nd;
    m->dcap = (uint32_t)ncap;
    /* move the hash table's keys in [old, ncap) */
    uint32_t moved = 0;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->v[i] != NONE32 && m->k[i] >= (int64_t)old && (uint64_t)m->k[i] < ncap) {
            nd[m->k[i]] = m->v[i];
            moved++;
        }
    m->dn += moved;
    /* Without memory for a new table the old one stays as it is: get and
     * put never look there for keys below dcap, its count still counts
     * the moved entries' slots (so it never fills up), and its next
     * rebuild drops them. */
    if (moved)
        (void)hash_rebuild(m, m->cap);
    return 0;
}

int model_imap_put(model_imap *m, int64_t k, uint32_t v)
{
    if ((uint64_t)k < m->dcap || (k >= 0 && dense_grow(m, k) == 0)) {
        if (m->d[k] == NONE32)
            m->dn++;
        m->d[k] = v;
        return 0;
    }
    if ((m->n + 1) * 2 > m->cap) {
        if (m->cap > UINT32_MAX / 2)
            return -1;
        if (hash_rebuild(m, m->cap ? m->cap * 2 : 64) != 0)
            return -1;
    }
    uint32_t i = model_imap_slot(k, m->cap);
    while (m->v[i] != NONE32) {
        if (m->k[i] == k) {
            m->v[i] = v;
            return 0;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->k[i] = k;
    m->v[i] = v;
    m->n++;
    return 0;
}

void model_imap_free(model_imap *m)
{
    free(m->k);
    free(m->v);
    free(m->d);
    memset(m, 0, sizeof *m);
}

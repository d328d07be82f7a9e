/* A small open-addressing hash map int64 -> uint32 (model internal). */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX


int model_imap_put(model_imap *m, int64_t k, uint32_t v)
{
    if ((m->n + 1) * 2 > m->cap) {
        uint32_t ncap = m->cap ? m->cap * 2 : 64;
        int64_t *nk = malloc(sizeof *nk * ncap);
        uint32_t *nv = malloc(sizeof *nv * ncap);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        memset(nv, 0xff, sizeof *nv * ncap);
        for (uint32_t i = 0; i < m->cap; i++) {
            if (m->v[i] == NONE32)
                continue;
            uint32_t j = model_imap_slot(m->k[i], ncap);
            while (nv[j] != NONE32)
                j = (j + 1) & (ncap - 1);
            nk[j] = m->k[i];
            nv[j] = m->v[i];
        }
        free(m->k);
        free(m->v);
        m->k = nk;
        m->v = nv;
        m->cap = ncap;
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
    memset(m, 0, sizeof *m);
}


#include "tests/lib/reflane.h"

#include <math.h>
#include <stdlib.h>

int ref_column(const model_span *s, uint32_t n, uint32_t *first, int64_t ta, int64_t tb)
{
    int64_t d[MS__COUNT] = {0};
    while (*first < n && s[*first].end <= ta)
        (*first)++;
    for (uint32_t i = *first; i < n && s[i].start < tb; i++) {
        int64_t a = s[i].start > ta ? s[i].start : ta, b = s[i].end < tb ? s[i].end : tb;
        if (b > a && s[i].state < MS__COUNT)
            d[s[i].state] += b - a;
    }
    int best = MS_NONE;
    int64_t bestd = 0;
    for (int st = 1; st < MS__COUNT; st++)
        if (d[st] > bestd || (d[st] == bestd && d[st] > 0 && st == MS_RUNNING)) {
            best = st;
            bestd = d[st];
        }
    if (best == MS_NONE && tb <= ta)
        for (uint32_t i = 0; i < n; i++)
            if (s[i].start <= ta && ta < s[i].end)
                best = s[i].state;
    return best;
}

void ref_columns(const model_span *s, uint32_t n, int64_t t0, double npc, uint32_t ncols, uint8_t *out)
{
    uint32_t first = 0;
    for (uint32_t c = 0; c < ncols; c++) {
        int64_t ta = (int64_t)llround((double)t0 + npc * c);
        int64_t tb = (int64_t)llround((double)t0 + npc * (c + 1));
        out[c] = (uint8_t)ref_column(s, n, &first, ta, tb);
    }
}

int ref_gclass(uint32_t st)
{
    return st == MS_RUNNING || st == MS_SYSCALL || st == MS_SYSCALL_BLOCKED ? 0
           : st == MS_RUNNABLE                                              ? 1
           : st == MS_WAITING                                               ? 2
                                                                            : -1;
}

static int cmp_bnd(const void *a, const void *b)
{
    const ref_bnd *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

ref_bnd *ref_gbounds(const model *m, size_t *n)
{
    size_t nb = 0, cap = 1024;
    ref_bnd *b = malloc(sizeof *b * cap);
    if (!b)
        return NULL;
    uint32_t ng = model_lane_count(m, ML_GOROUTINE);
    for (uint32_t g = 0; g < ng; g++) {
        model_span s;
        for (uint32_t i = 0; model_lane_span(m, ML_GOROUTINE, g, i, &s); i++) {
            int w = ref_gclass(s.state);
            if (w < 0)
                continue;
            if (nb + 2 > cap) {
                ref_bnd *nbuf = realloc(b, sizeof *b * cap * 2);
                if (!nbuf) {
                    free(b);
                    return NULL;
                }
                b = nbuf;
                cap *= 2;
            }
            b[nb++] = (ref_bnd){s.start, w, 1};
            b[nb++] = (ref_bnd){s.end, w, -1};
        }
    }
    qsort(b, nb, sizeof *b, cmp_bnd);
    *n = nb;
    return b;
}

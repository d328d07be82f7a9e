/* Old-format trace writer for tests (see v1gen.h). */
#include "tests/lib/v1gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void need(v1gen *g, size_t n)
{
    if (g->len + n <= g->cap)
        return;
    size_t c = g->cap ? g->cap : 256;
    while (c < g->len + n)
        c *= 2;
    uint8_t *b = realloc(g->buf, c);
    if (!b)
        abort();
    g->buf = b;
    g->cap = c;
}

void v1gen_init(v1gen *g, int minor)
{
    memset(g, 0, sizeof *g);
    char h[17];
    memset(h, 0, sizeof h);
    snprintf(h, sizeof h, "go 1.%d trace", minor);
    v1gen_bytes(g, h, 16);
}

void v1gen_free(v1gen *g)
{
    free(g->buf);
    memset(g, 0, sizeof *g);
}

void v1gen_byte(v1gen *g, uint8_t b)
{
    need(g, 1);
    g->buf[g->len++] = b;
}

void v1gen_bytes(v1gen *g, const void *p, size_t n)
{
    need(g, n);
    memcpy(g->buf + g->len, p, n);
    g->len += n;
}

static size_t uv_enc(uint8_t *o, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        o[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    o[n++] = (uint8_t)v;
    return n;
}

void v1gen_uv(v1gen *g, uint64_t v)
{
    uint8_t t[10];
    v1gen_bytes(g, t, uv_enc(t, v));
}

static void ev(v1gen *g, unsigned typ, size_t n, const uint64_t *vals, int lp)
{
    if (!lp && n >= 1 && n <= 3) {
        v1gen_byte(g, (uint8_t)(typ | (unsigned)(n - 1) << 6));
        for (size_t i = 0; i < n; i++)
            v1gen_uv(g, vals[i]);
        return;
    }
    uint8_t *tmp = malloc(n * 10 + 1);
    if (!tmp)
        abort();
    size_t l = 0;
    for (size_t i = 0; i < n; i++)
        l += uv_enc(tmp + l, vals[i]);
    v1gen_byte(g, (uint8_t)(typ | 3u << 6));
    v1gen_uv(g, l);
    v1gen_bytes(g, tmp, l);
    free(tmp);
}

void v1gen_ev(v1gen *g, unsigned typ, size_t n, const uint64_t *vals)
{
    ev(g, typ, n, vals, 0);
}

void v1gen_ev_lp(v1gen *g, unsigned typ, size_t n, const uint64_t *vals)
{
    ev(g, typ, n, vals, 1);
}

void v1gen_batch(v1gen *g, int64_t p, uint64_t ticks)
{
    uint64_t v[2] = {p < 0 ? UINT64_MAX : (uint64_t)p, ticks};
    ev(g, 1, 2, v, 0);
}

void v1gen_freq(v1gen *g, uint64_t freq)
{
    ev(g, 2, 1, &freq, 0);
}

void v1gen_string(v1gen *g, uint64_t id, const char *s)
{
    v1gen_byte(g, 37);
    v1gen_uv(g, id);
    v1gen_uv(g, strlen(s));
    v1gen_bytes(g, s, strlen(s));
}

void v1gen_stack(v1gen *g, uint64_t id, size_t n, const uint64_t *frames)
{
    uint64_t *v = malloc((2 + 4 * n) * sizeof *v);
    if (!v)
        abort();
    v[0] = id;
    v[1] = n;
    memcpy(v + 2, frames, 4 * n * sizeof *v);
    ev(g, 3, 2 + 4 * n, v, 1);
    free(v);
}

void v1gen_log(v1gen *g, uint64_t dt, uint64_t task, uint64_t key, uint64_t stk, const char *msg)
{
    uint64_t v[4] = {dt, task, key, stk};
    ev(g, 48, 4, v, 1);
    v1gen_uv(g, strlen(msg));
    v1gen_bytes(g, msg, strlen(msg));
}

/* tracegen: see tracegen.h. */
#include "tests/lib/tracegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(tg *t, size_t n)
{
    if (t->len + n <= t->cap)
        return;
    size_t nc = t->cap ? t->cap : 256;
    while (nc < t->len + n)
        nc *= 2;
    uint8_t *nb = realloc(t->buf, nc);
    if (!nb) {
        fprintf(stderr, "tracegen: out of memory\n");
        abort();
    }
    t->buf = nb;
    t->cap = nc;
}

void tg_byte(tg *t, uint8_t b)
{
    reserve(t, 1);
    t->buf[t->len++] = b;
}

void tg_raw(tg *t, const void *p, size_t n)
{
    reserve(t, n);
    if (n)
        memcpy(t->buf + t->len, p, n);
    t->len += n;
}

void tg_uv_padded(tg *t, uint64_t v)
{
    for (int i = 0; i < 9; i++) {
        tg_byte(t, (uint8_t)(0x80 | (v & 0x7f)));
        v >>= 7;
    }
    tg_byte(t, (uint8_t)(v & 0x7f));
}

void tg_uv(tg *t, uint64_t v)
{
    if (t->pad) {
        tg_uv_padded(t, v);
        return;
    }
    while (v >= 0x80) {
        tg_byte(t, (uint8_t)(0x80 | (v & 0x7f)));
        v >>= 7;
    }
    tg_byte(t, (uint8_t)v);
}

void tg_init(tg *t, int version)
{
    memset(t, 0, sizeof *t);
    t->version = version;
    char hdr[17];
    snprintf(hdr, sizeof hdr, "go 1.%d trace", version);
    size_t n = strlen(hdr);
    tg_raw(t, hdr, n);
    while (t->len < 16)
        tg_byte(t, 0);
}

void tg_free(tg *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

void tg_batch(tg *t, uint64_t gen, uint64_t m, uint64_t time)
{
    if (t->size_at)
        tg_end(t);
    tg_byte(t, TG_EventBatch);
    tg_uv(t, gen);
    tg_uv(t, m);
    tg_uv(t, time);
    t->size_at = t->len;
    tg_uv_padded(t, 0); /* placeholder */
    t->payload_at = t->len;
}

void tg_end(tg *t)
{
    if (!t->size_at)
        return;
    uint64_t size = t->len - t->payload_at;
    if (t->min_size) {
        /* rewrite minimal: move the payload */
        uint8_t tmp[10];
        size_t k = 0;
        uint64_t v = size;
        while (v >= 0x80) {
            tmp[k++] = (uint8_t)(0x80 | (v & 0x7f));
            v >>= 7;
        }
        tmp[k++] = (uint8_t)v;
        memmove(t->buf + t->size_at + k, t->buf + t->payload_at, size);
        memcpy(t->buf + t->size_at, tmp, k);
        t->len = t->size_at + k + size;
    } else {
        uint64_t v = size;
        for (int i = 0; i < 9; i++) {
            t->buf[t->size_at + i] = (uint8_t)(0x80 | (v & 0x7f));
            v >>= 7;
        }
        t->buf[t->size_at + 9] = (uint8_t)(v & 0x7f);
    }
    t->size_at = 0;
}

void tg_strings(tg *t, uint64_t gen)
{
    tg_batch(t, gen, TG_NONE, 0);
    tg_byte(t, TG_Strings);
}

void tg_strn(tg *t, uint64_t id, const void *s, size_t n)
{
    tg_byte(t, TG_String);
    tg_uv(t, id);
    tg_uv(t, n);
    tg_raw(t, s, n);
}

void tg_str(tg *t, uint64_t id, const char *s) { tg_strn(t, id, s, strlen(s)); }

void tg_stacks(tg *t, uint64_t gen)
{
    tg_batch(t, gen, TG_NONE, 0);
    tg_byte(t, TG_Stacks);
}

void tg_stack(tg *t, uint64_t id, uint64_t n, const uint64_t (*frames)[4])
{
    tg_byte(t, TG_Stack);
    tg_uv(t, id);
    tg_uv(t, n);
    for (uint64_t i = 0; frames && i < n; i++)
        for (int k = 0; k < 4; k++)
            tg_uv(t, frames[i][k]);
}

void tg_cpusamples(tg *t, uint64_t gen)
{
    tg_batch(t, gen, TG_NONE, 0);
    tg_byte(t, TG_CPUSamples);
}

void tg_cpusample(tg *t, uint64_t time, uint64_t m, uint64_t p, uint64_t g, uint64_t stack)
{
    tg_byte(t, TG_CPUSample);
    tg_uv(t, time);
    tg_uv(t, m);
    tg_uv(t, p);
    tg_uv(t, g);
    tg_uv(t, stack);
}

void tg_sync(tg *t, uint64_t gen, uint64_t time, uint64_t freq)
{
    tg_batch(t, gen, TG_NONE, time);
    if (t->version >= 25)
        tg_byte(t, TG_Sync);
    tg_byte(t, TG_Frequency);
    tg_uv(t, freq);
    if (t->version >= 25) {
        tg_byte(t, TG_ClockSnapshot);
        tg_uv(t, 1);
        tg_uv(t, 1000);
        tg_uv(t, 1700000000);
        tg_uv(t, 123456789);
    }
    tg_end(t);
}

void tg_eog(tg *t)
{
    if (t->size_at)
        tg_end(t);
    tg_byte(t, TG_EndOfGeneration);
}

void tg_ev_(tg *t, uint8_t type, uint64_t dt, const uint64_t *args, size_t nargs)
{
    tg_byte(t, type);
    tg_uv(t, dt);
    for (size_t i = 0; i < nargs; i++)
        tg_uv(t, args[i]);
}

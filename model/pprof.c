/*
 * Blocking profiles as pprof protobuf (profile.proto), built like
 * go tool trace -pprof=TYPE: one location per PC (the first frame seen with
 * that PC names it), one function per file+function name, period type
 * trace/count, sample types contentions/count and delay/nanoseconds.
 */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

int model_prof_kind_of(const char *name)
{
    static const char *const names[MP__COUNT] = {"net", "sync", "syscall", "sched"};
    if (!name)
        return -1;
    for (int i = 0; i < MP__COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

uint32_t model_profile(const model *m, model_prof_kind k, const model_prof_rec **recs)
{
    if ((unsigned)k >= MP__COUNT) {
        *recs = NULL;
        return 0;
    }
    *recs = m->prof[k];
    return m->nprof[k];
}

/* ---- protobuf writer ----------------------------------------------------- */

typedef struct pbuf {
    uint8_t *a;
    size_t n, cap;
    int oom;
} pbuf;

static void pb_put(pbuf *b, const void *p, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->n + n)
            nc *= 2;
        uint8_t *na = realloc(b->a, nc);
        if (!na) {
            b->oom = 1;
            return;
        }
        b->a = na;
        b->cap = nc;
    }
    memcpy(b->a + b->n, p, n);
    b->n += n;
}

static void pb_varint(pbuf *b, uint64_t v)
{
    uint8_t t[10];
    size_t n = 0;
    do {
        t[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v)
            t[n] |= 0x80;
        n++;
    } while (v);
    pb_put(b, t, n);
}

static void pb_key(pbuf *b, uint32_t field, uint32_t wt) { pb_varint(b, (uint64_t)field << 3 | wt); }

static void pb_uint(pbuf *b, uint32_t field, uint64_t v)
{
    if (v == 0)
        return;
    pb_key(b, field, 0);
    pb_varint(b, v);
}

static void pb_bytes(pbuf *b, uint32_t field, const void *p, size_t n)
{
    pb_key(b, field, 2);
    pb_varint(b, n);
    pb_put(b, p, n);
}

static void pb_msg(pbuf *b, uint32_t field, pbuf *sub)
{
    if (sub->oom)
        b->oom = 1;
    pb_bytes(b, field, sub->a, sub->n);
    sub->n = 0;
}

/* ---- string table -------------------------------------------------------- */

typedef struct strtab {
    model_imap ids; /* syms id -> table index */
    uint32_t n;
    pbuf out;       /* encoded string_table fields */
} strtab;

static uint32_t st_add_raw(strtab *t, const char *s, size_t n)
{
    pb_bytes(&t->out, 6, s, n);
    return t->n++;
}

static uint32_t st_sym(strtab *t, const model *m, uint32_t id)
{
    if (id == 0)
        return 0;
    uint32_t i = model_imap_get(&t->ids, id);
    if (i != UINT32_MAX)
        return i;
    size_t n;
    const char *s = model_str(m, id, &n);
    i = st_add_raw(t, s, n);
    if (model_imap_put(&t->ids, id, i) != 0)
        t->out.oom = 1;
    return i;
}

size_t model_pprof_encode(const model *m, const model_prof_rec *recs, uint32_t n, uint8_t **out)
{
    *out = NULL;
    pbuf pb = {0}, sub = {0}, sub2 = {0}, locs = {0}, funcs = {0}, packed = {0};
    strtab st = {0};
    size_t len = 0;
    model_imap locmap = {0}, funcmap = {0};
    tt_syms *keys = tt_syms_new(); /* file+func concatenations */
    char *kbuf = NULL;
    size_t kcap = 0;
    uint32_t nloc = 0, nfunc = 0;
    if (!keys)
        return 0;

    st_add_raw(&st, "", 0);
    uint32_t s_cont = st_add_raw(&st, "contentions", 11);
    uint32_t s_count = st_add_raw(&st, "count", 5);
    uint32_t s_delay = st_add_raw(&st, "delay", 5);
    uint32_t s_ns = st_add_raw(&st, "nanoseconds", 11);
    uint32_t s_trace = st_add_raw(&st, "trace", 5);

    /* sample_type */
    pb_uint(&sub, 1, s_cont);
    pb_uint(&sub, 2, s_count);
    pb_msg(&pb, 1, &sub);
    pb_uint(&sub, 1, s_delay);
    pb_uint(&sub, 2, s_ns);
    pb_msg(&pb, 1, &sub);

    for (uint32_t r = 0; r < n; r++) {
        const tt_frame *fr = NULL;
        uint32_t nf = recs[r].stack ? tt_syms_stack_frames(m->syms, recs[r].stack, &fr) : 0;
        if (nf > 129)
            nf = 129; /* Go's profile() keeps pprofMaxStack+1 frames */
        packed.n = 0;
        for (uint32_t i = 0; i < nf; i++) {
            uint32_t lid = model_imap_get(&locmap, (int64_t)fr[i].pc);
            if (lid == UINT32_MAX) {
                /* function by file+func */
                size_t fl, nl;
                const char *file = model_str(m, fr[i].file, &fl);
                const char *fn = model_str(m, fr[i].func, &nl);
                if (fl + nl + 1 > kcap) {
                    size_t nc = (fl + nl + 1) * 2;
                    char *nk = realloc(kbuf, nc);
                    if (!nk)
                        goto fail;
                    kbuf = nk;
                    kcap = nc;
                }
                memcpy(kbuf, file, fl);
                memcpy(kbuf + fl, fn, nl);
                uint32_t key = tt_syms_intern(keys, kbuf, fl + nl);
                if (key == UINT32_MAX)
                    goto fail;
                uint32_t fid = model_imap_get(&funcmap, key);
                if (fid == UINT32_MAX) {
                    fid = ++nfunc;
                    if (model_imap_put(&funcmap, key, fid) != 0)
                        goto fail;
                    uint32_t sn = st_sym(&st, m, fr[i].func);
                    pb_uint(&sub, 1, fid);
                    pb_uint(&sub, 2, sn);
                    pb_uint(&sub, 3, sn);
                    pb_uint(&sub, 4, st_sym(&st, m, fr[i].file));
                    pb_msg(&funcs, 5, &sub);
                }
                lid = ++nloc;
                if (model_imap_put(&locmap, (int64_t)fr[i].pc, lid) != 0)
                    goto fail;
                pb_uint(&sub, 1, lid);
                pb_uint(&sub, 3, fr[i].pc);
                pb_uint(&sub2, 1, fid);
                pb_uint(&sub2, 2, fr[i].line);
                pb_msg(&sub, 4, &sub2);
                pb_msg(&locs, 4, &sub);
            }
            pb_varint(&packed, lid);
        }
        if (nf)
            pb_msg(&sub, 1, &packed);
        pb_varint(&packed, recs[r].count);
        pb_varint(&packed, (uint64_t)recs[r].delay_ns);
        pb_msg(&sub, 2, &packed);
        pb_msg(&pb, 2, &sub);
    }
    if (locs.oom || funcs.oom)
        goto fail;
    pb_put(&pb, locs.a, locs.n);
    pb_put(&pb, funcs.a, funcs.n);
    pb_put(&pb, st.out.a, st.out.n);
    if (st.out.oom)
        goto fail;
    /* period_type, period */
    pb_uint(&sub, 1, s_trace);
    pb_uint(&sub, 2, s_count);
    pb_msg(&pb, 11, &sub);
    pb_uint(&pb, 12, 1);
    if (pb.oom || sub.oom || sub2.oom || packed.oom)
        goto fail;
    if (!pb.a && !(pb.a = malloc(1)))
        goto fail;
    *out = pb.a;
    len = pb.n;
    pb.a = NULL; /* now the caller's */
fail: /* one cleanup for success and failure */
    free(pb.a);
    free(sub.a);
    free(sub2.a);
    free(locs.a);
    free(funcs.a);
    free(packed.a);
    free(st.out.a);
    free(kbuf);
    model_imap_free(&st.ids);
    model_imap_free(&locmap);
    model_imap_free(&funcmap);
    tt_syms_free(keys);
    return len;
}

/*
 * tracegen_v1: old-format (Go 1.19 / 1.21) traces from a small scheduler
 * simulation, for the old-format loader's merge and release paths
 * (loader/v1.c: the event array given back behind the merge's done-bitmap
 * and behind convert's cursor; CPU samples done with twice).
 *   tracegen_v1 OUT SEED NEVENTS
 * The seed picks the shape: 1-600 Ps (sparse ids up to 2^31-1 with bit 5),
 * batches of 1-300 events (bit 0: all of size 1-3), the batches of the Ps
 * interleaved in the file in random order (per-P order kept) or one P's
 * batches all before the others' (bit 1), CPU samples (0-40 %) placed in
 * random Ps' batches with times far from their place (bit 2: all in one
 * batch of P -1 at the end), goroutine ids from 2^62 (bit 3), equal
 * timestamps across Ps (bit 4), GC cycles, STW, sweeps, regions, logs.
 * The loader's record limits (12-byte record: goroutine index 20 bits, P
 * index 12 bits, time delta 19 bits signed): bit 7 creates 2^20 - 64 to
 * 2^20 + 64 goroutines first (then the simulation starts the newest
 * 256 half of the time, any of them otherwise), bit 8 draws time steps around 2^18 and 2^19 and large gaps, bit 9
 * uses 4090-4100 Ps (the loader's limit is 4096 distinct P ids).
 * Bit 10: distinct times (events at even times, every P's ProcStart at
 * its own, CPU samples at distinct odd times), so that Go's reader (which
 * orders events of equal time its own way and then bumps their times) must
 * print exactly what gotv prints (fuzz/diff_go.sh). Bit 11: no CPU samples.
 * Bit 12 (not with bit 10): more syscalls, half of them blocking (GoSysCall
 * + GoSysBlock), their GoSysExit written later on some P with the real exit
 * time anywhere from the block to a little after the exit's own time
 * (retime() moves it back, or forward), or none (0) one time in eight; a
 * goroutine in a syscall has no other event until its exit (the check
 * behind the merge, loader/v1.c ck_spec()).
 * Goroutine states and sequence numbers follow the old runtime's rules, so
 * the merge finds an order. Build by hand (fuzz/build.sh does not):
 *   gcc -O1 -I. -o tracegen_v1 fuzz/tracegen_v1.c tests/lib/v1gen.c
 */
#include "tests/lib/v1gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rec {
    uint8_t typ, n, cpu;
    uint64_t ts;
    uint64_t v[6]; /* values after the timestamp */
} rec;

typedef struct proc {
    int64_t id;
    rec *r;
    size_t n, cap;
    size_t g; /* index+1 of the running goroutine, 0 = none */
} proc;

enum { G_DEAD, G_RUNNABLE, G_RUNNING, G_WAITING, G_SYSCALL };
typedef struct gor {
    uint64_t id, seq;
    int st;
    uint64_t block; /* G_SYSCALL: time of its GoSysBlock */
} gor;

static uint64_t rs;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}
static uint64_t rn(uint64_t n) { return n ? rnd() % n : 0; }

static void push(proc *p, uint8_t typ, uint64_t ts, int cpu, size_t n, const uint64_t *v)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->r = realloc(p->r, p->cap * sizeof *p->r);
        if (!p->r)
            abort();
    }
    rec *r = &p->r[p->n++];
    memset(r, 0, sizeof *r);
    r->typ = typ;
    r->ts = ts;
    r->cpu = (uint8_t)cpu;
    r->n = (uint8_t)n;
    memcpy(r->v, v, n * sizeof *v);
}
#define PUSH(p, typ, ts, ...) \
    push((p), (typ), (ts), 0, sizeof((uint64_t[]){__VA_ARGS__}) / 8, (uint64_t[]){__VA_ARGS__})

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tracegen_v1 OUT SEED NEVENTS\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[2], NULL, 0);
    size_t nev = strtoull(argv[3], NULL, 0);
    rs = seed * 0x9e3779b97f4a7c15ull + 1;
    for (int i = 0; i < 8; i++)
        rnd();
    unsigned fl = (unsigned)(seed >> 8);
    int minor = (seed & 1) ? 21 : 19;
    size_t np = 1 + rn(rn(4) == 0 ? 600 : 12);
    if (fl & 512)
        np = 4090 + rn(11);
    size_t maxchunk = (fl & 1) ? 3 : 1 + rn(300);
    unsigned cpupct = rn(3) ? (unsigned)rn(41) : 0;
    if (fl & 2048) /* no CPU samples */
        cpupct = 0;
    uint64_t gbase = (fl & 8) ? (uint64_t)1 << 62 : 1;
    proc *ps = calloc(np, sizeof *ps);
    size_t capg = 1024, ng = 0;
    gor *gs = calloc(capg, sizeof *gs);
    if (!ps || !gs)
        return 1;
    for (size_t i = 0; i < np; i++)
        ps[i].id = (fl & 32) && i ? (int64_t)(0x7fffffff - rn(1u << 30)) : (int64_t)i;
    if (fl & 32) /* distinct ids */
        for (size_t i = 1; i < np; i++)
            for (size_t j = 0; j < i; j++)
                if (ps[j].id == ps[i].id)
                    ps[i].id = (int64_t)i, j = (size_t)-1;
    uint64_t t = (fl & 64) ? ((uint64_t)1 << 50) : 100;
    const int dist = (fl & 1024) != 0;
    const int sys = (fl & 4096) && !dist;
    const uint64_t tinc = dist ? 2 : 1;
    size_t capst = (size_t)1 << 21, nst = 0;
    uint64_t *used = dist ? calloc(capst, sizeof *used) : NULL; /* CPU sample times + 1 */
    /* P0: g1 running, the others start their threads */
    gs[ng++] = (gor){gbase, 1, G_RUNNING, 0};
    PUSH(&ps[0], GO_CREATE, t, gbase, 0, 0);
    PUSH(&ps[0], PROC_START, t, 1);
    PUSH(&ps[0], GO_START, t, gbase, 1);
    PUSH(&ps[0], GOMAXPROCS, t, np, 0);
    ps[0].g = 1;
    for (size_t i = 1; i < np; i++)
        PUSH(&ps[i], PROC_START, dist ? t + 2 + 2 * i : t + 1, i + 1);
    t += dist ? 2 * np + 4 : 2;
    if (fl & 128) { /* goroutine indices across the record's 20 bits */
        size_t want = ((size_t)1 << 20) - 64 + rn(129);
        capg = want + 16;
        gs = realloc(gs, capg * sizeof *gs);
        if (!gs)
            return 1;
        for (; ng < want; ng++) {
            gs[ng] = (gor){gbase + ng, 0, G_RUNNABLE, 0};
            PUSH(&ps[0], GO_CREATE, t, gbase + ng, 1, 1);
            t += (fl & 256) && rn(1000) == 0 ? ((uint64_t)1 << 18) - 2 + rn(5) : rn(2);
            t += t & dist;
        }
    }
    int gc = 0;
    uint64_t gcseq = 0;
    size_t gcp = 0;
    for (size_t k = 0; k < nev; k++) {
        if ((fl & 256) && rn(8) == 0) { /* around the 19-bit signed time field */
            static const uint64_t step[] = {(1u << 18) - 1, 1u << 18, (1u << 18) + 1,
                                            (1u << 19) - 1, 1u << 19, (1u << 19) + 1,
                                            (uint64_t)1 << 31, (uint64_t)1 << 32,
                                            (uint64_t)1 << 40};
            t += step[rn(sizeof step / sizeof *step)] - rn(2);
        } else {
            t += (fl & 16) ? rn(2) : 1 + rn(3);
        }
        t += t & dist; /* even */
        proc *p = &ps[rn(np)];
        if (sys && ng && rn(4) == 0) { /* a syscall exit, written on p */
            size_t cand = rn(ng), x = SIZE_MAX;
            for (size_t j = 0; j < ng && j < 64; j++)
                if (gs[(cand + j) % ng].st == G_SYSCALL) {
                    x = (cand + j) % ng;
                    break;
                }
            if (x != SIZE_MAX) {
                gor *w = &gs[x];
                uint64_t rts = rn(8) == 0 ? 0
                               : rn(16) == 0 ? t + 1 + rn(8)
                                             : w->block + rn(t - w->block + 1);
                w->st = G_RUNNABLE;
                w->seq++;
                PUSH(p, GO_SYSEXIT, t, w->id, w->seq, rts);
                continue;
            }
        }
        if (rn(100) < cpupct) {
            /* a CPU sample: any time, any P and G, written into a random P's
             * batch (or the last batch of P -1) */
            uint64_t st = t > 50000 ? t - 50000 + rn(100000) : rn(100000);
            if (dist) { /* odd and not used before */
                if (nst >= capst / 2)
                    continue;
                for (st |= 1;; st += 2) {
                    size_t h = (size_t)((st * 0x9e3779b97f4a7c15ull) >> 43) & (capst - 1);
                    while (used[h] && used[h] != st + 1)
                        h = (h + 1) & (capst - 1);
                    if (!used[h]) {
                        used[h] = st + 1;
                        nst++;
                        break;
                    }
                }
            }
            uint64_t sp = rn(5) ? (uint64_t)ps[rn(np)].id : UINT64_MAX;
            uint64_t sg = ng && rn(4) ? gs[rn(ng)].id : 0;
            proc *into = &ps[rn(np)];
            push(into, CPU_SAMPLE, st, (fl & 4) ? 2 : 1, 4,
                 (uint64_t[]){st, sp, sg, 1 + rn(2)});
            continue;
        }
        if (!p->g) {
            /* start a runnable goroutine, else unblock one, else alloc */
            size_t cand = ng ? rn(ng) : 0, found = 0;
            if ((fl & 128) && rn(2)) /* the newest: indices past 2^20 run */
                cand = ng - 1 - rn(256);
            for (size_t j = 0; j < ng && j < 64; j++) {
                size_t x = (cand + j) % ng;
                if (gs[x].st == G_RUNNABLE) {
                    found = x + 1;
                    break;
                }
            }
            if (found) {
                gor *g = &gs[found - 1];
                g->st = G_RUNNING;
                g->seq++;
                PUSH(p, GO_START, t, g->id, g->seq);
                p->g = found;
                continue;
            }
            PUSH(p, HEAP_ALLOC, t, rn(1u << 30));
            continue;
        }
        gor *g = &gs[p->g - 1];
        unsigned r = (unsigned)rn(100);
        if (r < 10) {
            PUSH(p, rn(2) ? GO_SCHED : GO_PREEMPT, t, 1 + rn(2));
            g->st = G_RUNNABLE;
            p->g = 0;
        } else if (r < 22) {
            static const uint8_t bl[] = {GO_BLOCK, GO_BLOCK_SEND, GO_BLOCK_RECV, GO_BLOCK_SELECT,
                                         GO_BLOCK_SYNC, GO_BLOCK_COND, GO_BLOCK_NET, GO_SLEEP,
                                         GO_BLOCK_GC};
            PUSH(p, bl[rn(sizeof bl)], t, 1 + rn(2));
            g->st = G_WAITING;
            p->g = 0;
        } else if (r < 26 && p->g != 1) {
            PUSH(p, GO_END, t, 0);
            p->r[p->n - 1].n = 0;
            g->st = G_DEAD;
            p->g = 0;
        } else if (r < 42 && ng < 200000 && !(fl & 128)) {
            if (ng == capg) {
                capg *= 2;
                gs = realloc(gs, capg * sizeof *gs);
                if (!gs)
                    return 1;
                g = &gs[p->g - 1];
            }
            gs[ng] = (gor){gbase + ng, 0, G_RUNNABLE, 0};
            PUSH(p, GO_CREATE, t, gbase + ng, 1 + rn(2), 1 + rn(2));
            ng++;
        } else if (r < 58) {
            size_t cand = rn(ng);
            for (size_t j = 0; j < ng && j < 64; j++) {
                gor *w = &gs[(cand + j) % ng];
                if (w->st == G_WAITING) {
                    w->st = G_RUNNABLE;
                    w->seq++;
                    PUSH(p, GO_UNBLOCK, t, w->id, w->seq, 1 + rn(2));
                    break;
                }
            }
        } else if (r < 62 || (sys && r >= 80 && r < 90)) {
            PUSH(p, GO_SYSCALL, t, 1 + rn(2));
            if (sys && rn(2)) { /* it blocks */
                t += tinc;
                PUSH(p, GO_SYSBLOCK, t, 0);
                p->r[p->n - 1].n = 0;
                g->st = G_SYSCALL;
                g->block = t;
                p->g = 0;
            }
        } else if (r < 66) {
            if (!gc) {
                PUSH(p, GC_START, t, gcseq++, 1);
                gc = 1;
                gcp = (size_t)(p - ps);
            } else if ((size_t)(p - ps) == gcp || rn(2)) {
                PUSH(p, GC_DONE, t, 0);
                p->r[p->n - 1].n = 0;
                gc = 0;
            }
        } else if (r < 68) {
            PUSH(p, STW_START, t, rn(2));
            t += tinc;
            PUSH(p, STW_DONE, t, 0);
            p->r[p->n - 1].n = 0;
        } else if (r < 71) {
            PUSH(p, SWEEP_START, t, 1);
            t += tinc;
            PUSH(p, SWEEP_DONE, t, rn(10000), rn(10000));
        } else if (r < 75) {
            uint64_t name = 4 + rn(3);
            PUSH(p, USER_REGION, t, 0, 0, name, 1);
            t += tinc;
            PUSH(p, USER_REGION, t, 0, 1, name, 1);
        } else if (r < 78) {
            PUSH(p, USER_LOG, t, 0, 4, 1); /* message added when written */
        } else if (r < 80) {
            PUSH(p, ASSIST_START, t, 1);
            t += tinc;
            PUSH(p, ASSIST_DONE, t, 0);
            p->r[p->n - 1].n = 0;
        } else {
            PUSH(p, HEAP_ALLOC, t, rn(1u << 30));
        }
    }
    /* cut each P's records into batches, then interleave the batches */
    typedef struct chunk {
        size_t p, lo, hi;
    } chunk;
    size_t nch = 0, capch = 1024;
    chunk *ch = malloc(capch * sizeof *ch);
    size_t *next = calloc(np, sizeof *next);
    rec *cpus = NULL;
    size_t ncpus = 0;
    if (fl & 4) { /* all CPU samples in one batch at the end */
        for (size_t i = 0; i < np; i++)
            for (size_t j = 0; j < ps[i].n; j++)
                if (ps[i].r[j].cpu == 2) {
                    cpus = realloc(cpus, (ncpus + 1) * sizeof *cpus);
                    cpus[ncpus++] = ps[i].r[j];
                    ps[i].r[j].typ = 0;
                }
    }
    size_t left = np;
    int first_all = (fl & 2) != 0;
    while (left) {
        size_t i = first_all ? 0 : rn(np);
        while (next[i] >= ps[i].n) {
            i = (i + 1) % np;
            if (first_all && next[0] >= ps[0].n)
                first_all = 0;
        }
        size_t lo = next[i], hi = lo + 1 + rn(maxchunk);
        if (hi > ps[i].n)
            hi = ps[i].n;
        if (nch == capch) {
            capch *= 2;
            ch = realloc(ch, capch * sizeof *ch);
        }
        ch[nch++] = (chunk){i, lo, hi};
        next[i] = hi;
        if (hi == ps[i].n)
            left--;
    }
    v1gen g;
    v1gen_init(&g, minor);
    for (size_t c = 0; c < nch; c++) {
        proc *p = &ps[ch[c].p];
        size_t lo = ch[c].lo;
        uint64_t last = UINT64_MAX;
        for (size_t j = lo; j < ch[c].hi; j++)
            if (p->r[j].typ && !p->r[j].cpu) {
                last = p->r[j].ts;
                break;
            }
        if (last == UINT64_MAX)
            last = t;
        v1gen_batch(&g, p->id, last);
        for (size_t j = lo; j < ch[c].hi; j++) {
            rec *r = &p->r[j];
            if (!r->typ)
                continue;
            uint64_t v[8];
            if (r->cpu) {
                v[0] = 0;
            } else {
                v[0] = r->ts - last;
                last = r->ts;
            }
            memcpy(v + 1, r->v, r->n * sizeof *v);
            if (r->typ == USER_LOG) {
                char msg[32];
                snprintf(msg, sizeof msg, "m%llu", (unsigned long long)rn(1000));
                v1gen_log(&g, v[0], 0, 4, 1, msg);
            } else {
                v1gen_ev(&g, r->typ, 1 + r->n, v);
            }
        }
    }
    if (ncpus) {
        v1gen_batch(&g, -1, t);
        for (size_t j = 0; j < ncpus; j++) {
            uint64_t v[5] = {0, cpus[j].v[0], cpus[j].v[1], cpus[j].v[2], cpus[j].v[3]};
            v1gen_ev(&g, CPU_SAMPLE, 5, v);
        }
    }
    v1gen_string(&g, 1, "main.main");
    v1gen_string(&g, 2, "/src/main.go");
    v1gen_string(&g, 3, "main.worker");
    v1gen_string(&g, 4, "region.a");
    v1gen_string(&g, 5, "region.b");
    v1gen_string(&g, 6, "key");
    uint64_t f1[] = {0x401000, 1, 2, 10, 0x402000, 3, 2, 20};
    v1gen_stack(&g, 1, 2, f1);
    uint64_t f2[] = {0x402000, 3, 2, 21};
    v1gen_stack(&g, 2, 1, f2);
    v1gen_freq(&g, 1000000000);
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(g.buf, 1, g.len, f) != g.len || fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    v1gen_free(&g);
    for (size_t i = 0; i < np; i++)
        free(ps[i].r);
    free(ps);
    free(gs);
    free(ch);
    free(next);
    free(cpus);
    free(used);
    return 0;
}

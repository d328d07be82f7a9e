/* Internal layout of the model (shared by the model sources only). */
#ifndef GOTV_MODEL_MODEL_INT_H
#define GOTV_MODEL_MODEL_INT_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

/* Spans between two level-of-detail checkpoints. */
#define MODEL_CK_EVERY 32u

typedef struct model_lanes {
    uint32_t n;            /* lanes */
    model_span *block;     /* every span of these lanes, lane after lane (goroutine
                              lanes); NULL: each lane has its own array (others) */
    model_span **sp;       /* n pointers into block or arrays (NULL when empty) */
    uint32_t *cnt;         /* n span counts */
    uint32_t *ck_off;      /* n+1 offsets (in checkpoints) into ck */
    int64_t *ck;           /* nst cumulative ns per checkpoint (the time in
                              state st[k] of spans [0, 32j)): checkpoint j >= 1
                              at ck_off + j - 1; checkpoint 0 is all zero */
    uint32_t nst;          /* states that occur in these lanes */
    uint8_t st[MS__COUNT];
} model_lanes;

typedef struct model_cache {
    /* episodes */
    model_episode *eps;
    uint32_t neps, eps_cap;
    uint32_t eps_lane;      /* lane whose episodes eps holds (+1; 0 none) */
    /* model_goroutine_top_episodes: the longest `top_max` of one lane */
    model_episode *top;
    uint32_t ntop, top_max, top_total;
    uint32_t top_lane;      /* lane whose top episodes top holds (+1; 0 none) */
    uint32_t *eps_count;    /* per goroutine lane: episode count, UINT32_MAX unknown */
    /* per lane kind, per lane with many spans: the end of the last span of
     * each complete block of MODEL_CK_EVERY spans (searched instead of the
     * spans themselves: model_lane_columns), built on first use */
    int64_t **bend[4];
    /* lazily built goroutine-count series */
    int series_done;
    model_point *gser[3];
    uint32_t ngser[3];
} model_cache;

struct model {
    tt_syms *syms;
    int own_syms;
    tt_file file;
    int own_file;
    model_info info;

    model_lanes lanes[4]; /* ML_GOROUTINE, ML_PROC, ML_THREAD, ML_GC */

    model_goroutine *gs;
    /* goroutine summaries: one variable-length record per goroutine (gstats.c),
     * the record of lane i at gsb + gs_off[i]; times relative to gs_t0 */
    uint8_t *gsb;
    uint32_t *gs_off;
    size_t gsb_len;
    int64_t gs_t0;
    uint32_t *kv_key;     /* reason / range ids (gstats point here) */
    int64_t *kv_ns;
    size_t nkv;
    int64_t *p_ids, *m_ids;

    model_range *ranges[MR__COUNT];
    uint32_t nranges[MR__COUNT];

    model_region *regions;
    uint32_t *g_region_off; /* ngoroutines+1 */
    model_log *logs;
    uint32_t *g_log_off;
    model_task *tasks;

    model_point *series[MSER__COUNT];
    uint32_t nseries[MSER__COUNT];

    model_prof_rec *prof[MP__COUNT];

    model_ggroup *groups;
    uint32_t ngroups;
    uint32_t *group_lanes;
    uint32_t nprof[MP__COUNT];

    model_cache *cache;
};

/* int64 -> uint32 hash map; get returns UINT32_MAX when absent; put: 0 ok,
 * -1 no memory. */
typedef struct model_imap {
    int64_t *k;
    uint32_t *v;
    uint32_t cap, n; /* cap power of two */
} model_imap;
uint32_t model_imap_get(const model_imap *m, int64_t k);
int model_imap_put(model_imap *m, int64_t k, uint32_t v);
void model_imap_free(model_imap *m);

/* Longest encoded model_gstats record. */
#define MODEL_GSTATS_MAX 200
/* Encode st (its reason/range pointers are not used: they are kv_key/kv_ns +
 * kv_off) into out; returns the length. */
size_t model_gstats_encode(uint8_t *out, const model_gstats *st, uint32_t kv_off, int64_t t0);

/* Fill lanes->ck from lanes->spans/off. 0 ok, -1 no memory. */
int model_lanes_index(model_lanes *l);
size_t model_lanes_bytes(const model_lanes *l);
/* Fill m->groups / m->group_lanes from gs and the summaries (gstats.c). 0 ok, -1 no memory. */
int model_build_groups(model *m);

#endif

/* Queries over user annotations (regions, logs, tasks) and the goroutine
 * search, which reads their names and texts. */
#include "model/model_int.h"

#include <ctype.h>
#include <string.h>

uint32_t model_goroutine_regions(const model *m, uint32_t idx, const model_region **r)
{
    if (idx >= m->lanes[ML_GOROUTINE].n || !m->g_region_off) {
        *r = NULL;
        return 0;
    }
    *r = m->regions + m->g_region_off[idx];
    return m->g_region_off[idx + 1] - m->g_region_off[idx];
}

uint32_t model_goroutine_logs(const model *m, uint32_t idx, const model_log **l)
{
    if (idx >= m->lanes[ML_GOROUTINE].n || !m->g_log_off) {
        *l = NULL;
        return 0;
    }
    *l = m->logs + m->g_log_off[idx];
    return m->g_log_off[idx + 1] - m->g_log_off[idx];
}

uint32_t model_tasks(const model *m, const model_task **t)
{
    *t = m->tasks;
    return m->info.ntasks;
}

uint32_t model_regions_all(const model *m, const model_region **r)
{
    *r = m->regions;
    return m->info.nregions;
}

uint32_t model_logs_all(const model *m, const model_log **l)
{
    *l = m->logs;
    return m->info.nlogs;
}

/* The group g with off[g] <= k < off[g + 1] among n groups (offsets
 * nondecreasing, off[n + 1] the total; group n holds records of no lane). */
static uint32_t group_of(const uint32_t *off, uint32_t n, uint32_t k)
{
    if (!off || k >= off[n + 1])
        return UINT32_MAX;
    uint32_t lo = 0, hi = n + 1; /* first group whose end is past k */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (off[mid + 1] > k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < n ? lo : UINT32_MAX;
}

uint32_t model_region_lane(const model *m, uint32_t k)
{
    return group_of(m->g_region_off, m->lanes[ML_GOROUTINE].n, k);
}

uint32_t model_log_lane(const model *m, uint32_t k)
{
    return group_of(m->g_log_off, m->lanes[ML_GOROUTINE].n, k);
}

uint64_t model_task_ref_id(const model *m, uint32_t ref)
{
    return ref < m->ntask_refs ? m->task_ref_ids[ref] : TT_NO_TASK;
}

/* ---- search -------------------------------------------------------------- */

static int icontains(const char *s, size_t n, const char *pat, size_t k)
{
    if (k == 0)
        return 1;
    if (k > n)
        return 0;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && tolower((unsigned char)s[i + j]) == tolower((unsigned char)pat[j]))
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

static int str_match(const model *m, uint32_t id, const char *pat, size_t k)
{
    if (!id)
        return 0;
    size_t n;
    const char *s = model_str(m, id, &n);
    return icontains(s, n, pat, k);
}

uint32_t model_search_goroutines(const model *m, const char *text, uint32_t *out, uint32_t max)
{
    if (!text)
        return 0;
    size_t k = strlen(text);
    if (!k)
        return 0;
    int digits = 1;
    int64_t id = 0;
    for (size_t i = 0; i < k; i++) {
        if (text[i] < '0' || text[i] > '9' || i > 17) {
            digits = 0;
            break;
        }
        id = id * 10 + (text[i] - '0');
    }
    uint32_t found = 0;
    for (uint32_t g = 0; g < m->lanes[ML_GOROUTINE].n; g++) {
        const model_goroutine *gr = &m->gs[g];
        int hit = (digits && gr->id == id) || str_match(m, gr->func, text, k) ||
                  str_match(m, gr->label, text, k);
        if (!hit) {
            const model_region *r;
            uint32_t nr = model_goroutine_regions(m, g, &r);
            for (uint32_t i = 0; i < nr && !hit; i++)
                hit = str_match(m, r[i].name, text, k);
        }
        if (!hit) {
            const model_log *l;
            uint32_t nl = model_goroutine_logs(m, g, &l);
            for (uint32_t i = 0; i < nl && !hit; i++)
                hit = str_match(m, l[i].message, text, k) || str_match(m, l[i].category, text, k);
        }
        if (hit) {
            if (found < max)
                out[found] = g;
            found++;
        }
    }
    return found;
}

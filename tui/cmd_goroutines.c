/* gotv goroutines [--sort KEY] [--json] FILE: per-goroutine analysis, the
 * numbers of go tool trace's goroutine pages (internal/trace summary.go).
 * --json: {"goroutines": [...], "groups": [{"function", "count",
 * "execution_ns"}, ...]} (groups as on the /goroutines page). */
#include "model/model.h"
#include "tui/commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON string of trace bytes: made safe first (printable UTF-8, escapes as
 * visible \xHH / \uHHHH text), then JSON-escaped. */
static void json_str(FILE *f, const char *s, size_t n)
{
    size_t need = model_safe_text(NULL, 0, s, n);
    char small[512];
    char *buf = need < sizeof small ? small : malloc(need + 1);
    if (!buf) {
        fputs("\"\"", f);
        return;
    }
    model_safe_text(buf, need + 1, s, n);
    fputc('"', f);
    for (const char *p = buf; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        fputc(*p, f);
    }
    fputc('"', f);
    if (buf != small)
        free(buf);
}

enum { K_ID, K_FUNC, K_EXEC, K_SCHED, K_SYNC, K_NET, K_SYSCALL, K_SYSBLOCK, K_ASSIST, K_SWEEP,
       K_SLEEP, K_OTHER, K_UNKNOWN, K_TOTAL, K__COUNT };
static const char *const key_names[K__COUNT] = {
    "id", "function", "exec", "sched", "sync", "net", "syscall", "syscall_block", "gc_assist",
    "gc_sweep", "sleep", "other", "unknown", "total",
};

static const model *g_m; /* cmp_func's */

static int64_t key_val(const model_gstats *s, int k)
{
    switch (k) {
    case K_EXEC: return s->exec_ns;
    case K_SCHED: return s->sched_wait_ns;
    case K_SYNC: return s->sync_block_ns;
    case K_NET: return s->network_wait_ns;
    case K_SYSCALL: return s->syscall_ns;
    case K_SYSBLOCK: return s->syscall_block_ns;
    case K_ASSIST: return s->gc_assist_ns;
    case K_SWEEP: return s->gc_sweep_ns;
    case K_SLEEP: return s->sleep_ns;
    case K_OTHER: return s->other_block_ns;
    case K_UNKNOWN: return s->unknown_ns;
    case K_TOTAL: return s->total_ns;
    default: return 0;
    }
}

/* --sort function: by name, then id. */
static int cmp_func(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const model_goroutine *gx = model_goroutine_get(g_m, x), *gy = model_goroutine_get(g_m, y);
    size_t nx, ny;
    const char *sx = model_str(g_m, gx->func, &nx), *sy = model_str(g_m, gy->func, &ny);
    int c = memcmp(sx, sy, nx < ny ? nx : ny);
    if (c)
        return c;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return gx->id < gy->id ? -1 : gx->id > gy->id;
}

/* A row and its sort key (a stats key, 0 for --sort id). */
typedef struct srow {
    int64_t v, id;
    uint32_t row;
} srow;

/* The other keys: by value descending, then id; equal ids (an id reused
 * after its goroutine ended) in lane order, as the stable sort of the rows
 * gave them. */
static int cmp_srow(const void *a, const void *b)
{
    const srow *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1; /* descending */
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The name column of function string fid into out: "~" and the tail of a
 * name wider than 40 columns, else the name padded to 40 columns; its length
 * (at most 1 + 255 + 40). */
static size_t name_field(const model *m, uint32_t fid, char *out)
{
    size_t fl;
    const char *fn = model_str(m, fid, &fl);
    char name[256];
    size_t need = model_safe_text(name, sizeof name, fn, fl);
    if (fl == 0)
        snprintf(name, sizeof name, "(unknown)");
    /* fit 40 columns: keep the tail of long names */
    size_t w = model_safe_width(name);
    const char *shown = name;
    int cut = w > 40 || need >= sizeof name;
    if (cut) {
        size_t len = strlen(name);
        shown = name + len;
        size_t cols = 0;
        while (shown > name && cols < 39) {
            shown--;
            while (shown > name && ((unsigned char)*shown & 0xc0) == 0x80)
                shown--;
            cols++;
        }
        w = 40;
    }
    size_t len = 0;
    if (cut)
        out[len++] = '~';
    size_t sl = strlen(shown);
    memcpy(out + len, shown, sl);
    len += sl;
    for (size_t pad = w; pad < 40; pad++)
        out[len++] = ' ';
    return len;
}

/* printf("%10" PRId64, id) into out (no terminator): its length. */
static size_t fmt_id(char *out, int64_t id)
{
    char t[24], *e = t + sizeof t, *q = e;
    uint64_t a = id < 0 ? (uint64_t)0 - (uint64_t)id : (uint64_t)id;
    do
        *--q = (char)('0' + a % 10);
    while (a /= 10);
    if (id < 0)
        *--q = '-';
    size_t n = (size_t)(e - q), len = 0;
    for (; len + n < 10; len++)
        out[len] = ' ';
    memcpy(out + len, q, n);
    return len + n;
}

int gotv_cmd_goroutines(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, key = K_EXEC;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--sort") || !strncmp(a, "--sort=", 7)) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) {
                gotv_usage_error("goroutines: --sort needs a key");
                return 2;
            }
            key = -1;
            for (int k = 0; k < K__COUNT; k++)
                if (!strcmp(v, key_names[k]))
                    key = k;
            if (key < 0) {
                char buf[128];
                model_safe_text(buf, sizeof buf, v, strlen(v));
                gotv_usage_error("goroutines: unknown sort key '%s' (id, function, exec, sched, "
                                 "sync, net, syscall, syscall_block, gc_assist, gc_sweep, sleep, "
                                 "other, unknown, total)", buf);
                return 2;
            }
        } else if (!strcmp(a, "--")) {
            if (i + 1 < argc && !path)
                path = argv[i + 1];
            break;
        } else if (a[0] == '-' && a[1]) {
            char buf[128];
            model_safe_text(buf, sizeof buf, a, strlen(a));
            gotv_usage_error("goroutines: unknown option %s", buf);
            return 2;
        } else if (path) {
            gotv_usage_error("goroutines: one trace file expected");
            return 2;
        } else {
            path = a;
        }
    }
    if (!path) {
        gotv_usage_error("goroutines: no trace file given");
        return 2;
    }
    model *m = NULL;
    tt_load_result res;
    if (gotv_open_model(path, &m, &res))
        return 1;
    uint32_t n = model_lane_count(m, ML_GOROUTINE), nrows = 0;
    uint32_t *rows = malloc(sizeof *rows * (n ? n : 1));
    /* the sort keys next to the rows (not looked up per comparison: a
     * million goroutines with one value make twenty million id ties) */
    srow *keys = key != K_FUNC ? malloc(sizeof *keys * (n ? n : 1)) : NULL;
    if (!rows || (key != K_FUNC && !keys)) {
        fprintf(stderr, "gotv: out of memory\n");
        free(rows);
        free(keys);
        model_free(m);
        return 1;
    }
    model_gstats sbuf;
    for (uint32_t i = 0; i < n; i++) {
        const model_gstats *s = model_goroutine_stats(m, i, &sbuf);
        if (!s->in_summary)
            continue;
        if (keys)
            keys[nrows] = (srow){key == K_ID ? 0 : key_val(s, key),
                                 model_goroutine_get(m, i)->id, i};
        rows[nrows++] = i;
    }
    if (keys) {
        qsort(keys, nrows, sizeof *keys, cmp_srow);
        for (uint32_t r = 0; r < nrows; r++)
            rows[r] = keys[r].row;
        free(keys);
    } else {
        g_m = m;
        qsort(rows, nrows, sizeof *rows, cmp_func);
    }

    if (json) {
        printf("{\"goroutines\": [");
        for (uint32_t r = 0; r < nrows; r++) {
            const model_goroutine *g = model_goroutine_get(m, rows[r]);
            const model_gstats *s = model_goroutine_stats(m, rows[r], &sbuf);
            size_t fl;
            const char *fn = model_str(m, g->func, &fl);
            printf("%s\n  {\"id\": %" PRId64 ", \"function\": ", r ? "," : "", g->id);
            json_str(stdout, fn, fl);
            printf(", \"system\": %s, \"parent\": %" PRId64 ", \"label\": ",
                   g->system ? "true" : "false", g->parent);
            size_t ll;
            const char *ls = model_str(m, g->label, &ll);
            json_str(stdout, ls, ll);
            printf(", \"execution_ns\": %" PRId64 ", \"sched_wait_ns\": %" PRId64
                   ", \"sync_block_ns\": %" PRId64 ", \"network_wait_ns\": %" PRId64
                   ", \"syscall_ns\": %" PRId64 ", \"syscall_block_ns\": %" PRId64
                   ", \"gc_assist_ns\": %" PRId64 ", \"gc_sweep_ns\": %" PRId64
                   ", \"sleep_ns\": %" PRId64 ", \"other_block_ns\": %" PRId64
                   ", \"unknown_ns\": %" PRId64 ", \"total_ns\": %" PRId64,
                   s->exec_ns, s->sched_wait_ns, s->sync_block_ns, s->network_wait_ns,
                   s->syscall_ns, s->syscall_block_ns, s->gc_assist_ns, s->gc_sweep_ns,
                   s->sleep_ns, s->other_block_ns, s->unknown_ns, s->total_ns);
            printf(", \"creation_ns\": %" PRId64 ", \"start_ns\": %" PRId64
                   ", \"end_ns\": %" PRId64 ", \"pc\": %" PRIu64,
                   s->creation, s->start, s->end, s->pc);
            printf(", \"block_ns_by_reason\": {");
            for (uint32_t i = 0; i < s->nreasons; i++) {
                size_t rl;
                const char *rs = model_str(m, s->reason[i], &rl);
                printf("%s", i ? ", " : "");
                json_str(stdout, rs, rl);
                printf(": %" PRId64, s->reason_ns[i]);
            }
            printf("}, \"range_ns\": {");
            for (uint32_t i = 0; i < s->nranges; i++) {
                size_t rl;
                const char *rs = model_str(m, s->range[i], &rl);
                printf("%s", i ? ", " : "");
                json_str(stdout, rs, rl);
                printf(": %" PRId64, s->range_ns[i]);
            }
            printf("}}");
        }
        printf("%s],\n \"groups\": [", nrows ? "\n" : "");
        const model_ggroup *gr;
        uint32_t ngr = model_goroutine_groups(m, &gr);
        for (uint32_t i = 0; i < ngr; i++) {
            size_t fl;
            const char *fn = model_str(m, gr[i].func, &fl);
            printf("%s\n  {\"function\": ", i ? "," : "");
            json_str(stdout, fn, fl);
            printf(", \"count\": %u, \"execution_ns\": %" PRId64 "}", gr[i].count, gr[i].exec_ns);
        }
        printf("%s]}\n", ngr ? "\n" : "");
    } else {
        static const char *const hdr[] = {"exec", "sched", "sync", "net", "syscall", "sysblk",
                                          "assist", "sweep", "sleep", "other", "unknown",
                                          "total"};
        printf("%10s  %-40s", "ID", "FUNCTION");
        for (size_t i = 0; i < sizeof hdr / sizeof hdr[0]; i++)
            printf(" %9s", hdr[i]);
        printf("\n");
        /* The name column (a cut marker, the name, padding to 40) depends on
         * the function alone: made once per run of the same function (a
         * trace can have a million goroutines of one function). */
        char field[320]; /* "~" + 255 + 40 at most */
        size_t field_len = 0;
        uint32_t field_func = 0;
        int have_field = 0;
        for (uint32_t r = 0; r < nrows; r++) {
            const model_goroutine *g = model_goroutine_get(m, rows[r]);
            const model_gstats *s = model_goroutine_stats(m, rows[r], &sbuf);
            if (!have_field || g->func != field_func) {
                field_len = name_field(m, g->func, field);
                field_func = g->func;
                have_field = 1;
            }
            /* the line in one buffer, written once: a million goroutines
             * make a million lines (fuzz/FINDINGS.md S13-1) */
            char line[1024]; /* 20 + 2 + 296 + 12 x 32 + 1 at most */
            size_t len = fmt_id(line, g->id);
            line[len++] = ' ';
            line[len++] = ' ';
            memcpy(line + len, field, field_len);
            len += field_len;
            const int64_t v[] = {s->exec_ns, s->sched_wait_ns, s->sync_block_ns,
                                 s->network_wait_ns, s->syscall_ns, s->syscall_block_ns,
                                 s->gc_assist_ns, s->gc_sweep_ns, s->sleep_ns,
                                 s->other_block_ns, s->unknown_ns, s->total_ns};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
                char d[32];
                size_t dl = strlen(model_fmt_duration(d, sizeof d, v[i]));
                line[len++] = ' ';
                for (size_t pad = dl; pad < 9; pad++)
                    line[len++] = ' ';
                memcpy(line + len, d, dl);
                len += dl;
            }
            line[len++] = '\n';
            fwrite(line, 1, len, stdout);
        }
    }
    free(rows);
    model_free(m);
    return 0;
}

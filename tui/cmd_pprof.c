/* gotv pprof net|sync|syscall|sched FILE > out.pb: a blocking profile built
 * like go tool trace -pprof=TYPE, as an uncompressed pprof protobuf. */
#include "model/model.h"
#include "tui/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gotv_cmd_pprof(int argc, char **argv)
{
    const char *type = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1]) {
            char buf[128];
            model_safe_text(buf, sizeof buf, a, strlen(a));
            gotv_usage_error("pprof: unknown option %s", buf);
            return 2;
        }
        if (!type)
            type = a;
        else if (!path)
            path = a;
        else {
            gotv_usage_error("pprof: usage: gotv pprof net|sync|syscall|sched FILE > out.pb");
            return 2;
        }
    }
    if (!type || !path) {
        gotv_usage_error("pprof: usage: gotv pprof net|sync|syscall|sched FILE > out.pb");
        return 2;
    }
    int kind = model_prof_kind_of(type);
    if (kind < 0) {
        char buf[128];
        model_safe_text(buf, sizeof buf, type, strlen(type));
        gotv_usage_error("pprof: unknown profile '%s' (net, sync, syscall or sched)", buf);
        return 2;
    }
    if (isatty(STDOUT_FILENO)) {
        fprintf(stderr, "gotv: pprof: refusing to write a binary profile to a terminal\n"
                        "hint: gotv pprof %s FILE > %s.pb && go tool pprof -top %s.pb\n",
                type, type, type);
        return 2;
    }
    model *m = NULL;
    tt_load_result res;
    if (gotv_open_model(path, &m, &res))
        return 1;
    const model_prof_rec *recs;
    uint32_t n = model_profile(m, (model_prof_kind)kind, &recs);
    uint8_t *buf = NULL;
    size_t len = model_pprof_encode(m, recs, n, &buf);
    int rc = 0;
    if (!len) {
        fprintf(stderr, "gotv: out of memory encoding the profile\n");
        rc = 1;
    } else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "gotv: pprof: write error\n");
        rc = 1;
    }
    free(buf);
    model_free(m);
    return rc;
}

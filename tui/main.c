/*
 * gotv: a terminal UI for Go execution traces.
 * Entry point: dispatches to the commands in tui/commands.h.
 */
#include "tui/commands.h"

#include "tui/ui_load.h"

#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage:\n"
    "  gotv [VIEW OPTIONS] FILE         open the trace explorer\n"
    "  gotv dump FILE                   print the ordered events (as go tool trace -d=parsed)\n"
    "  gotv dump --spans FILE           print every span of every lane of the model\n"
    "  gotv stats FILE                  summary statistics\n"
    "  gotv goroutines [--sort KEY] [--json] FILE\n"
    "                                   per-goroutine analysis (time by state and reason)\n"
    "  gotv pprof net|sync|syscall|sched FILE > out.pb\n"
    "                                   blocking profile for go tool pprof\n"
    "  gotv snapshot [VIEW OPTIONS] FILE\n"
    "                                   print the explorer's frame as plain text\n"
    "  gotv --help | --version\n"
    "\n"
    "View options (explorer and snapshot):\n"
    "  --size WxH        frame size for snapshot (default 120x40)\n"
    "  --at TIME         left edge of the view, relative to the trace start\n"
    "  --span DUR        width of the view in time\n"
    "  --goroutine ID    open the panel of goroutine ID\n"
    "  TIME and DUR take ns, us, ms or s suffixes (e.g. 1.5ms).\n"
    "\n"
    "Exit status: 0 success, 1 the trace could not be read, 2 usage error.\n"
    "Traces from Go 1.11 and later are read (runtime/trace, go test -trace,\n"
    "/debug/pprof/trace, the flight recorder).\n";

int main(int argc, char **argv)
{
    /* blocks of 128 KiB and more always in their own mapping: glibc's
     * raising of the threshold put the model's growing arrays in the heap,
     * where what they leave behind is not given back (ui_load.c; gotv stats
     * of a 100 MB trace peaked 1.8 MB higher, the explorer 8 MB) */
    ui_fix_mmap_threshold();
    /* GOTV_THREADS=1: one thread only, 2: always two (measurements) */
    const char *th = getenv("GOTV_THREADS");
    if (th && (th[0] == '1' || th[0] == '2') && th[1] == 0)
        model_set_threads(th[0] - '0');
    /* The old-format loader's parse thread (bench/profile-v1-s15.md):
     * GOTV_V1_THREAD=0 or GOTV_THREADS=1 turn it off; GOTV_V1_THREAD=2 turns
     * it on for small traces too; GOTV_THREADS=2 (the whole loader beside
     * the model's builder) turns it off unless GOTV_V1_THREAD=2: a third
     * thread on two cores lost there. */
    const char *v1t = getenv("GOTV_V1_THREAD");
    int v1off = v1t && !strcmp(v1t, "0"), v1on = v1t && !strcmp(v1t, "2");
    if (v1off || (th && !strcmp(th, "1")))
        tt_v1_set_thread_mode(TT_V1_THREAD_NEVER);
    else if (v1on)
        tt_v1_set_thread_mode(TT_V1_THREAD_ALWAYS);
    else if (th && !strcmp(th, "2"))
        tt_v1_set_thread_mode(TT_V1_THREAD_NEVER);
    if (argc < 2) {
        gotv_usage_error("no trace file given");
        return 2;
    }
    const char *a = argv[1];
    if (!strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
        printf("gotv %s (%s)\n", GOTV_VERSION, GOTV_REV);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"dump", gotv_cmd_dump},
        {"stats", gotv_cmd_stats},
        {"goroutines", gotv_cmd_goroutines},
        {"pprof", gotv_cmd_pprof},
        {"snapshot", gotv_cmd_snapshot},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(a, cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    return gotv_cmd_explore(argc, argv);
}

/* Placeholder: replaced when the 'pprof' command is implemented. */
#include "tui/commands.h"

int gotv_cmd_pprof(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gotv_not_built("pprof");
}

/* Placeholder: replaced when the 'stats' command is implemented. */
#include "tui/commands.h"

int gotv_cmd_stats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gotv_not_built("stats");
}

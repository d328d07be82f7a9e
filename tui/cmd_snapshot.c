/* Placeholder: replaced when the 'snapshot' command is implemented. */
#include "tui/commands.h"

int gotv_cmd_snapshot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gotv_not_built("snapshot");
}

/* Placeholder: replaced when the 'explore' command is implemented. */
#include "tui/commands.h"

int gotv_cmd_explore(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gotv_not_built("explore");
}

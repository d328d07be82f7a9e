/* Placeholder: replaced when the 'dump' command is implemented. */
#include "tui/commands.h"

int gotv_cmd_dump(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gotv_not_built("dump");
}

/* Placeholder: replaced when the 'goroutines' command is implemented. */
#include "tui/commands.h"

int gotv_cmd_goroutines(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gotv_not_built("goroutines");
}

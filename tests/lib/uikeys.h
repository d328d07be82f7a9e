/* Helpers for explorer tests: typing into the search box and the ':' prompt
 * through ui_key, the way libtermkey hands keys to the explorer. */
#ifndef GOTV_TESTS_UIKEYS_H
#define GOTV_TESTS_UIKEYS_H

#include "tui/ui.h"

/* Each byte of text as a key (ASCII text: one byte, one code point). */
void uik_type(ui_state *st, const char *text);
/* The Enter key. */
void uik_enter(ui_state *st);
/* Open the line editor of mode (CMD_SEARCH, CMD_PROMPT), type text, press Enter. */
void uik_line(ui_state *st, enum ui_cmd mode, const char *text);

#endif

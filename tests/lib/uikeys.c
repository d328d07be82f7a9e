#include "tests/lib/uikeys.h"

#include <string.h>

void uik_type(ui_state *st, const char *text)
{
    TermKeyKey k;
    for (const char *c = text; *c; c++) {
        memset(&k, 0, sizeof k);
        k.type = TERMKEY_TYPE_UNICODE;
        k.code.codepoint = (unsigned char)*c;
        k.utf8[0] = *c;
        ui_key(st, &k);
    }
}

void uik_enter(ui_state *st)
{
    TermKeyKey k;
    memset(&k, 0, sizeof k);
    k.type = TERMKEY_TYPE_KEYSYM;
    k.code.sym = TERMKEY_SYM_ENTER;
    ui_key(st, &k);
}

void uik_line(ui_state *st, enum ui_cmd mode, const char *text)
{
    ui_dispatch(st, mode);
    uik_type(st, text);
    uik_enter(st);
}

/* Unit tests for the terminal-free core: cell grid, sanitizer, viewport maths,
 * time formatting/parsing, key map, and termkey decoding (abstract instance). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui/grid.h"
#include "tui/keymap.h"
#include "tui/viewport.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* ---- grid ---- */

static void test_grid_text_and_dump(void **st)
{
    (void)st;
    ui_grid g;
    assert_int_equal(ui_grid_init(&g, 3, 10), 0);
    ui_text(&g, 0, 0, -1, "hello world", UI_S_NORMAL);
    ui_text(&g, 1, 2, 3, "abcdef", UI_S_NORMAL);
    char *t = ui_grid_to_text(&g);
    assert_string_equal(t, "hello worl\n  abc\n\n");
    free(t);
    ui_grid_free(&g);
}

static void test_grid_wide_chars(void **st)
{
    (void)st;
    ui_grid g;
    ui_grid_init(&g, 1, 5);
    /* U+4E16 is wide: takes 2 columns */
    int w = ui_text(&g, 0, 0, -1, "\xe4\xb8\x96\xe4\xb8\x96\xe4\xb8\x96", UI_S_NORMAL);
    assert_int_equal(w, 4); /* third one does not fit in the fifth column */
    /* overwrite the right half of the first wide char: left half becomes blank */
    ui_put(&g, 0, 1, 'x', UI_S_NORMAL);
    char buf[64];
    ui_grid_row_text(&g, 0, buf, sizeof buf);
    assert_string_equal(buf, " x\xe4\xb8\x96");
    /* a wide char at the last column becomes a blank */
    ui_grid_clear(&g);
    ui_put(&g, 0, 4, 0x4e16, UI_S_NORMAL);
    ui_grid_row_text(&g, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    ui_grid_free(&g);
}

static void test_sanitize(void **st)
{
    (void)st;
    char out[256];
    ui_sanitize("a\x1b]0;pwned\x07z", 12, 0, out, sizeof out);
    assert_string_equal(out, "a\\x1b]0;pwned\\x07z");
    ui_sanitize("\xff\xc3(", 3, 0, out, sizeof out);
    assert_string_equal(out, "\\xff\\xc3(");
    /* RLO bidi override, zero-width space, C1 CSI, DEL */
    ui_sanitize("\xe2\x80\xae" "x\xe2\x80\x8b" "y\xc2\x9b\x7f", 11, 0, out, sizeof out);
    assert_string_equal(out, "\\u202ex\\u200by\\u009b\\x7f");
    /* printable UTF-8 kept, escaped in ascii mode */
    ui_sanitize("caf\xc3\xa9", 5, 0, out, sizeof out);
    assert_string_equal(out, "caf\xc3\xa9");
    ui_sanitize("caf\xc3\xa9", 5, 1, out, sizeof out);
    assert_string_equal(out, "caf\\u00e9");
    /* NUL inside */
    ui_sanitize("a\0b", 3, 0, out, sizeof out);
    assert_string_equal(out, "a\\x00b");
    /* truncation never splits an escape */
    ui_sanitize("\x1b\x1b\x1b", 3, 0, out, 9);
    assert_string_equal(out, "\\x1b\\x1b");
}

static void test_untrusted_never_reaches_grid_as_control(void **st)
{
    (void)st;
    ui_grid g;
    ui_grid_init(&g, 1, 40);
    ui_text_untrusted(&g, 0, 0, -1, "\x1b[2J\x1b]2;title\x07", 14, UI_S_NORMAL);
    for (int c = 0; c < g.cols; c++) {
        uint32_t cp = g.cells[c].cp;
        assert_true(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0));
    }
    char buf[128];
    ui_grid_row_text(&g, 0, buf, sizeof buf);
    assert_string_equal(buf, "\\x1b[2J\\x1b]2;title\\x07");
    ui_grid_free(&g);
}

/* ---- viewport ---- */

static void test_viewport_fit_and_zoom(void **st)
{
    (void)st;
    tl_viewport vp;
    tl_init(&vp, 1000, 1000 + 100000, 100);
    assert_int_equal(vp.t0, 1000);
    assert_true(vp.ns_per_col == 1000.0);
    /* zoom in x2 around column 50: time under column 50 stays */
    int64_t t50 = tl_col_time(&vp, 50);
    tl_zoom_at(&vp, 50, 0.5);
    assert_true(vp.ns_per_col == 500.0);
    assert_int_equal(tl_col_time(&vp, 50), t50);
    /* zoom out beyond the whole trace clamps to the whole trace */
    tl_zoom_at(&vp, 50, 100.0);
    assert_int_equal(vp.t0, 1000);
    assert_true(vp.ns_per_col == 1000.0);
    /* zoom in beyond 1 ns/col clamps */
    for (int i = 0; i < 40; i++) tl_zoom_at(&vp, 10, 0.5);
    assert_true(vp.ns_per_col == TL_MIN_NS_PER_COL);
    /* pan never leaves the bounds */
    tl_pan(&vp, -1e9);
    assert_int_equal(vp.t0, 1000);
    tl_pan(&vp, 1e12);
    assert_int_equal(vp.t0 + tl_span(&vp), 101000);
}

static void test_viewport_cols_and_reveal(void **st)
{
    (void)st;
    tl_viewport vp;
    tl_init(&vp, 0, 1000000, 100);
    tl_fit(&vp, 0, 1000);
    assert_int_equal(tl_time_col(&vp, 0), 0);
    assert_int_equal(tl_time_col(&vp, 999), 99);
    assert_int_equal(tl_time_col(&vp, 1000), 100);
    assert_true(tl_time_col(&vp, -5) < 0);
    tl_reveal(&vp, 5000, 5);
    int c = tl_time_col(&vp, 5000);
    assert_true(c >= 0 && c < 100);
    tl_set_cols(&vp, 50);
    assert_int_equal(vp.cols, 50);
}

static void test_tick_step(void **st)
{
    (void)st;
    assert_int_equal(tl_tick_step(1.0, 10), 10);
    assert_int_equal(tl_tick_step(3.0, 10), 50);
    assert_int_equal(tl_tick_step(1000.0, 12), 20000);
    assert_int_equal(tl_tick_step(1e6, 10), 10000000);
}

static void test_time_format(void **st)
{
    (void)st;
    char b[32];
    tl_fmt_dur(850, b, sizeof b);
    assert_string_equal(b, "850ns");
    tl_fmt_dur(12345, b, sizeof b);
    assert_string_equal(b, "12.3us");
    tl_fmt_dur(4560000, b, sizeof b);
    assert_string_equal(b, "4.56ms");
    tl_fmt_dur(1234000000, b, sizeof b);
    assert_string_equal(b, "1.23s");
    tl_fmt_dur(999999, b, sizeof b);
    assert_string_equal(b, "1.00ms");
    tl_fmt_tick(400000, 200000, b, sizeof b);
    assert_string_equal(b, "400us");
    tl_fmt_tick(1400000, 200000, b, sizeof b);
    assert_string_equal(b, "1.4ms");
    tl_fmt_tick(1450000, 50000, b, sizeof b);
    assert_string_equal(b, "1.45ms");
    tl_fmt_tick(300000000, 100000000, b, sizeof b);
    assert_string_equal(b, "300ms");
    tl_fmt_tick(150000, 50000, b, sizeof b);
    assert_string_equal(b, "150us");
    tl_fmt_tick(2000000000, 1000000000, b, sizeof b);
    assert_string_equal(b, "2s");
    tl_fmt_tick(0, 10, b, sizeof b);
    assert_string_equal(b, "0");
    tl_fmt_exact(1234567, b, sizeof b);
    assert_string_equal(b, "1.234567ms");
    tl_fmt_exact(3000000000, b, sizeof b);
    assert_string_equal(b, "3s");
    tl_fmt_exact(1500, b, sizeof b);
    assert_string_equal(b, "1.5us");
    tl_fmt_exact(0, b, sizeof b);
    assert_string_equal(b, "0s");
}

static void test_time_parse(void **st)
{
    (void)st;
    int64_t v;
    assert_int_equal(tl_parse_dur("1.5ms", &v), 0);
    assert_int_equal(v, 1500000);
    assert_int_equal(tl_parse_dur("200us", &v), 0);
    assert_int_equal(v, 200000);
    assert_int_equal(tl_parse_dur("3s", &v), 0);
    assert_int_equal(v, 3000000000);
    assert_int_equal(tl_parse_dur("850ns", &v), 0);
    assert_int_equal(v, 850);
    assert_int_equal(tl_parse_dur("0.000000001s", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(tl_parse_dur("2\xc2\xb5s", &v), 0);
    assert_int_equal(v, 2000);
    assert_int_equal(tl_parse_dur("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(tl_parse_dur("12", &v), -1);
    assert_int_equal(tl_parse_dur("ms", &v), -1);
    assert_int_equal(tl_parse_dur("1.5xs", &v), -1);
    assert_int_equal(tl_parse_dur("-1ms", &v), -1);
    assert_int_equal(tl_parse_dur("99999999999999999999s", &v), -1);
    /* round trip of the exact format */
    int64_t vals[] = {1, 999, 1000, 1001, 123456789, 5000000000, 987654321012};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char b[32];
        tl_fmt_exact(vals[i], b, sizeof b);
        assert_int_equal(tl_parse_dur(b, &v), 0);
        assert_int_equal(v, vals[i]);
    }
}

/* ---- keymap ---- */

static TermKeyKey uni(long cp, int mods)
{
    TermKeyKey k;
    memset(&k, 0, sizeof k);
    k.type = TERMKEY_TYPE_UNICODE;
    k.code.codepoint = cp;
    k.modifiers = mods;
    return k;
}

static void test_keymap_lookup(void **st)
{
    (void)st;
    TermKeyKey k = uni('h', 0);
    assert_int_equal(ui_keymap_lookup(&k), CMD_SCROLL_LEFT);
    k = uni('G', 0);
    assert_int_equal(ui_keymap_lookup(&k), CMD_LANE_LAST);
    k = uni('G', TERMKEY_KEYMOD_SHIFT);
    assert_int_equal(ui_keymap_lookup(&k), CMD_LANE_LAST);
    k = uni('c', TERMKEY_KEYMOD_CTRL);
    assert_int_equal(ui_keymap_lookup(&k), CMD_QUIT);
    k = uni('x', 0);
    assert_int_equal(ui_keymap_lookup(&k), CMD_NONE);
    k = uni('h', TERMKEY_KEYMOD_ALT);
    assert_int_equal(ui_keymap_lookup(&k), CMD_NONE);
}

static void test_keymap_every_command_has_a_key_and_help(void **st)
{
    (void)st;
    char buf[128];
    for (int c = 1; c < CMD__COUNT; c++) {
        assert_true(ui_cmd_keys((enum ui_cmd)c, buf, sizeof buf) > 0);
        assert_true(strlen(ui_cmd_help((enum ui_cmd)c)) > 0);
    }
    /* no key bound twice */
    unsigned n;
    const ui_keybind *t = ui_keymap_table(&n);
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = i + 1; j < n; j++)
            assert_false(t[i].kind == t[j].kind && t[i].code == t[j].code && t[i].mods == t[j].mods);
    /* help has one line per command plus extras, first is scroll left */
    assert_true(ui_help_count() >= CMD__COUNT - 1);
    ui_help_line(0, 12, buf, sizeof buf);
    assert_string_equal(buf, "h Left       scroll the timeline left (earlier)");
}

/* termkey decoding: raw bytes -> key -> command, without a terminal */
static enum ui_cmd decode(TermKey *tk, const char *bytes, size_t n)
{
    TermKeyKey key;
    termkey_push_bytes(tk, bytes, n);
    TermKeyResult r = termkey_getkey(tk, &key);
    if (r == TERMKEY_RES_AGAIN) r = termkey_getkey_force(tk, &key);
    assert_int_equal(r, TERMKEY_RES_KEY);
    return ui_keymap_lookup(&key);
}

static void test_termkey_decoding(void **st)
{
    (void)st;
    TermKey *tk = termkey_new_abstract("xterm-256color", TERMKEY_FLAG_UTF8);
    assert_non_null(tk);
    termkey_set_canonflags(tk, TERMKEY_CANON_DELBS);
    assert_int_equal(decode(tk, "\x1b[D", 3), CMD_SCROLL_LEFT);
    assert_int_equal(decode(tk, "\x1bOC", 3), CMD_SCROLL_RIGHT);
    assert_int_equal(decode(tk, "\x1b[1;2D", 6), CMD_CURSOR_LEFT);
    assert_int_equal(decode(tk, "\x1b[6~", 4), CMD_PAGE_DOWN);
    assert_int_equal(decode(tk, "\x1b[5~", 4), CMD_PAGE_UP);
    assert_int_equal(decode(tk, "\r", 1), CMD_OPEN);
    assert_int_equal(decode(tk, "\t", 1), CMD_NEXT_VIEW);
    assert_int_equal(decode(tk, "\x1b[Z", 3), CMD_PREV_VIEW);
    assert_int_equal(decode(tk, "G", 1), CMD_LANE_LAST);
    assert_int_equal(decode(tk, "{", 1), CMD_PREV_BLOCK);
    assert_int_equal(decode(tk, "\x03", 1), CMD_QUIT);
    assert_int_equal(decode(tk, " ", 1), CMD_PAGE_DOWN);
    assert_int_equal(decode(tk, "\x1bOP", 3), CMD_HELP);
    /* lone Esc: only resolved by getkey_force after the wait time */
    TermKeyKey key;
    termkey_push_bytes(tk, "\x1b", 1);
    assert_int_equal(termkey_getkey(tk, &key), TERMKEY_RES_AGAIN);
    assert_int_equal(termkey_getkey_force(tk, &key), TERMKEY_RES_KEY);
    assert_int_equal(ui_keymap_lookup(&key), CMD_CLOSE);
    termkey_destroy(tk);
    /* SGR mouse. xterm-256color's terminfo has kmous=\E[< which makes
     * libtermkey 0.22 read SGR reports as X10 ones; the explorer then creates
     * termkey without terminfo (CSI driver only), as here. */
    tk = termkey_new_abstract("gotv-csi-only", TERMKEY_FLAG_UTF8);
    assert_non_null(tk);
    /* wheel up at column 10, line 5 (1-based) */
    termkey_push_bytes(tk, "\x1b[<64;10;5M", 11);
    assert_int_equal(termkey_getkey(tk, &key), TERMKEY_RES_KEY);
    assert_int_equal(key.type, TERMKEY_TYPE_MOUSE);
    TermKeyMouseEvent ev;
    int button, line, col;
    termkey_interpret_mouse(tk, &key, &ev, &button, &line, &col);
    assert_int_equal(ev, TERMKEY_MOUSE_PRESS);
    assert_int_equal(button, 4);
    assert_int_equal(line, 5);
    assert_int_equal(col, 10);
    /* SGR mouse beyond column 223 */
    termkey_push_bytes(tk, "\x1b[<0;300;2M", 11);
    assert_int_equal(termkey_getkey(tk, &key), TERMKEY_RES_KEY);
    termkey_interpret_mouse(tk, &key, &ev, &button, &line, &col);
    assert_int_equal(button, 1);
    assert_int_equal(col, 300);
    /* UTF-8 character */
    termkey_push_bytes(tk, "\xc3\xa9", 2);
    assert_int_equal(termkey_getkey(tk, &key), TERMKEY_RES_KEY);
    assert_int_equal(key.code.codepoint, 0xe9);
    termkey_destroy(tk);
}

static void test_markdown_generation(void **st)
{
    (void)st;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ui_keymap_markdown(f);
    fclose(f);
    assert_non_null(strstr(buf, "| `h` `Left` | scroll the timeline left (earlier) |"));
    assert_non_null(strstr(buf, "| `?` `F1` | show all keys |"));
    free(buf);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_text_and_dump),
        cmocka_unit_test(test_grid_wide_chars),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_untrusted_never_reaches_grid_as_control),
        cmocka_unit_test(test_viewport_fit_and_zoom),
        cmocka_unit_test(test_viewport_cols_and_reveal),
        cmocka_unit_test(test_tick_step),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_keymap_lookup),
        cmocka_unit_test(test_keymap_every_command_has_a_key_and_help),
        cmocka_unit_test(test_termkey_decoding),
        cmocka_unit_test(test_markdown_generation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The in-memory cell grid (see grid.h). Pure: no curses, no terminal.
 * Widths come from wcwidth(), so the process locale matters (LC_CTYPE must be
 * UTF-8 for wide characters to be measured; the explorer checks it).
 */
#include "tui/grid.h"
#include "model/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int ui_grid_init(ui_grid *g, int rows, int cols)
{
    memset(g, 0, sizeof *g);
    return ui_grid_resize(g, rows, cols);
}

int ui_grid_resize(ui_grid *g, int rows, int cols)
{
    if (rows < 1) rows = 1;
    if (cols < 1) cols = 1;
    ui_cell *c = calloc((size_t)rows * (size_t)cols, sizeof *c);
    uint8_t *d = calloc((size_t)rows, 1);
    if (!c || !d) {
        free(c);
        free(d);
        return -1;
    }
    free(g->cells);
    free(g->dirty);
    g->cells = c;
    g->dirty = d;
    g->rows = rows;
    g->cols = cols;
    ui_grid_clear(g);
    return 0;
}

void ui_grid_free(ui_grid *g)
{
    free(g->cells);
    free(g->dirty);
    g->cells = NULL;
    g->dirty = NULL;
    g->rows = g->cols = 0;
}

void ui_grid_clear(ui_grid *g)
{
    size_t n = (size_t)g->rows * (size_t)g->cols;
    for (size_t i = 0; i < n; i++) {
        g->cells[i].cp = ' ';
        g->cells[i].width = 1;
        g->cells[i].style = UI_S_NORMAL;
    }
    memset(g->dirty, 1, (size_t)g->rows);
}

ui_cell *ui_grid_at(ui_grid *g, int row, int col)
{
    if (row < 0 || row >= g->rows || col < 0 || col >= g->cols) return NULL;
    return &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
}

int ui_cp_width(uint32_t cp)
{
    if (cp < 0x80) return 1;
    int w = wcwidth((wchar_t)cp);
    if (w < 0) return 1;
    return w > 2 ? 2 : w;
}

/* Blank out a wide character that a write to (row, col) would split. */
static void unsplit(ui_grid *g, int row, int col)
{
    ui_cell *c = ui_grid_at(g, row, col);
    if (!c) return;
    if (c->width == 0) { /* right half: blank the left half */
        ui_cell *l = ui_grid_at(g, row, col - 1);
        if (l) {
            l->cp = ' ';
            l->width = 1;
        }
    } else if (c->width == 2) { /* left half: blank the right half */
        ui_cell *r = ui_grid_at(g, row, col + 1);
        if (r) {
            r->cp = ' ';
            r->width = 1;
        }
    }
}

int ui_put(ui_grid *g, int row, int col, uint32_t cp, uint16_t style)
{
    if (row < 0 || row >= g->rows || col < 0 || col >= g->cols) return 0;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) cp = '?';
    if (g->ascii && cp >= 0x80) cp = '?';
    int w = ui_cp_width(cp);
    if (w == 0) return 0; /* combining marks are escaped before they get here */
    if (w == 2 && col + 1 >= g->cols) {
        cp = ' ';
        w = 1;
    }
    unsplit(g, row, col);
    if (w == 2) unsplit(g, row, col + 1);
    ui_cell *c = &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
    c->cp = cp;
    c->width = (uint8_t)w;
    c->style = style;
    if (w == 2) {
        ui_cell *r = c + 1;
        r->cp = ' ';
        r->width = 0;
        r->style = style;
    }
    g->dirty[row] = 1;
    return w;
}

void ui_fill(ui_grid *g, int row, int col, int n, uint32_t cp, uint16_t style)
{
    for (int i = 0; i < n;) {
        int w = ui_put(g, row, col + i, cp, style);
        if (w <= 0) break;
        i += w;
    }
}

void ui_restyle(ui_grid *g, int row, int col, int n, uint16_t style)
{
    for (int i = 0; i < n; i++) {
        ui_cell *c = ui_grid_at(g, row, col + i);
        if (!c) continue;
        c->style = style;
        g->dirty[row] = 1;
    }
}

void ui_or_style(ui_grid *g, int row, int col, int n, uint16_t flags)
{
    for (int i = 0; i < n; i++) {
        ui_cell *c = ui_grid_at(g, row, col + i);
        if (!c) continue;
        c->style |= flags;
        g->dirty[row] = 1;
    }
}

size_t ui_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    return model_utf8_decode(s, len, cp);
}

size_t ui_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Code points that must never be drawn as themselves. */
static int cp_unsafe(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7f) return 1;
    if (cp >= 0x80 && cp < 0xa0) return 1;                   /* C1 */
    if (cp == 0xad) return 1;                                 /* soft hyphen */
    if (cp == 0x061c || cp == 0x180e) return 1;               /* ALM, MVS */
    if (cp >= 0x200b && cp <= 0x200f) return 1;               /* ZW*, LRM, RLM */
    if (cp >= 0x2028 && cp <= 0x202e) return 1;               /* LS, PS, bidi embeddings */
    if (cp >= 0x2060 && cp <= 0x206f) return 1;               /* WJ, bidi isolates, ... */
    if (cp == 0xfeff) return 1;                               /* BOM / ZWNBSP */
    if (cp >= 0xfff9 && cp <= 0xfffb) return 1;               /* interlinear annotations */
    if (cp >= 0xe0000 && cp <= 0xe007f) return 1;             /* tags */
    if (cp >= 0xd800 && cp <= 0xdfff) return 1;
    int w = wcwidth((wchar_t)cp);
    if (w <= 0) return 1; /* non-printable or zero width (combining) in this locale */
    return 0;
}

size_t ui_sanitize(const char *in, size_t len, int ascii, char *out, size_t outsz)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (outsz == 0) return 0;
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        char buf[16];
        size_t bl = 0;
        uint32_t cp = 0;
        size_t n = ui_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            buf[bl++] = '\\';
            buf[bl++] = 'x';
            buf[bl++] = hex[s[i] >> 4];
            buf[bl++] = hex[s[i] & 15];
            n = 1;
        } else if (cp < 0x80 && cp_unsafe(cp)) {
            buf[bl++] = '\\';
            buf[bl++] = 'x';
            buf[bl++] = hex[cp >> 4];
            buf[bl++] = hex[cp & 15];
        } else if (cp >= 0x80 && (ascii || cp_unsafe(cp))) {
            bl = (size_t)snprintf(buf, sizeof buf, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
        } else {
            bl = ui_utf8_encode(cp, buf);
        }
        if (o + bl >= outsz) break;
        memcpy(out + o, buf, bl);
        o += bl;
        i += n;
    }
    out[o] = 0;
    return o;
}

int ui_str_width(const char *s)
{
    size_t len = strlen(s);
    int w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = ui_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (n == 0) {
            n = 1;
            cp = '?';
        }
        w += ui_cp_width(cp);
        i += n;
    }
    return w;
}

int ui_text(ui_grid *g, int row, int col, int maxw, const char *s, uint16_t style)
{
    if (!s) return 0;
    if (maxw < 0 || col + maxw > g->cols) maxw = g->cols - col;
    size_t len = strlen(s);
    int used = 0;
    for (size_t i = 0; i < len && used < maxw;) {
        uint32_t cp;
        size_t n = ui_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (n == 0) {
            n = 1;
            cp = '?';
        }
        i += n;
        int w = ui_cp_width(cp);
        if (w == 0) continue;
        if (used + w > maxw) break;
        int put = ui_put(g, row, col + used, cp, style);
        used += put ? put : w;
    }
    return used;
}

int ui_text_untrusted(ui_grid *g, int row, int col, int maxw, const char *s, size_t len,
                      uint16_t style)
{
    char buf[1024];
    if (!s) return 0;
    ui_sanitize(s, len, g->ascii, buf, sizeof buf);
    return ui_text(g, row, col, maxw, buf, style);
}

int ui_printf(ui_grid *g, int row, int col, int maxw, uint16_t style, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_text(g, row, col, maxw, buf, style);
}

size_t ui_grid_row_text(const ui_grid *g, int row, char *out, size_t outsz)
{
    size_t o = 0, keep = 0;
    if (outsz == 0) return 0;
    for (int c = 0; c < g->cols; c++) {
        const ui_cell *cell = &g->cells[(size_t)row * (size_t)g->cols + (size_t)c];
        if (cell->width == 0) continue;
        char b[4];
        size_t n = ui_utf8_encode(cell->cp, b);
        if (o + n >= outsz) break;
        memcpy(out + o, b, n);
        o += n;
        if (cell->cp != ' ') keep = o;
    }
    out[keep] = 0;
    return keep;
}

char *ui_grid_to_text(const ui_grid *g)
{
    size_t cap = (size_t)g->rows * ((size_t)g->cols * 4 + 1) + 1;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t o = 0;
    for (int r = 0; r < g->rows; r++) {
        o += ui_grid_row_text(g, r, out + o, cap - o);
        out[o++] = '\n';
    }
    out[o] = 0;
    return out;
}

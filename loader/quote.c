/* Go-compatible quoting: same escapes as strconv.Quote for any bytes. */
#include "loader/quote.h"

#include "loader/quote_tab.h"

int tt_isprint(uint32_t r)
{
    if (r < 0x80)
        return r >= 0x20 && r < 0x7f;
    size_t lo = 0, hi = sizeof tt_print_ranges / sizeof tt_print_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r < tt_print_ranges[mid][0])
            hi = mid;
        else if (r > tt_print_ranges[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Decode one UTF-8 rune like Go's utf8.DecodeRune; returns width, *r = -1 if invalid. */
static size_t decode(const unsigned char *p, size_t n, int32_t *r)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        *r = c;
        return 1;
    }
    *r = -1;
    if (c < 0xc2 || c > 0xf4)
        return 1;
    if (c < 0xe0) {
        if (n < 2 || (p[1] & 0xc0) != 0x80)
            return 1;
        *r = (int32_t)((c & 0x1f) << 6 | (p[1] & 0x3f));
        return 2;
    }
    unsigned char lo = 0x80, hi = 0xbf;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (n < 2 || p[1] < lo || p[1] > hi)
        return 1;
    if (c < 0xf0) {
        if (n < 3 || (p[2] & 0xc0) != 0x80)
            return 1;
        *r = (int32_t)((c & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f));
        return 3;
    }
    if (n < 4 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
        return 1;
    *r = (int32_t)((c & 0x07) << 18 | (p[1] & 0x3f) << 12 | (p[2] & 0x3f) << 6 | (p[3] & 0x3f));
    return 4;
}

static const char hexd[] = "0123456789abcdef";

size_t tt_quote(char *dst, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    char *o = dst;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f) { /* fast path: printable ASCII */
            if (c == '"' || c == '\\')
                *o++ = '\\';
            *o++ = (char)c;
            i++;
            continue;
        }
        int32_t r;
        size_t w = decode(p + i, n - i, &r);
        if (r < 0) {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hexd[c >> 4];
            *o++ = hexd[c & 15];
            i += w;
            continue;
        }
        if (r >= 0x80 && tt_isprint((uint32_t)r)) {
            for (size_t k = 0; k < w; k++)
                *o++ = (char)p[i + k];
            i += w;
            continue;
        }
        i += w;
        *o++ = '\\';
        switch (r) {
        case '\a': *o++ = 'a'; continue;
        case '\b': *o++ = 'b'; continue;
        case '\f': *o++ = 'f'; continue;
        case '\n': *o++ = 'n'; continue;
        case '\r': *o++ = 'r'; continue;
        case '\t': *o++ = 't'; continue;
        case '\v': *o++ = 'v'; continue;
        default: break;
        }
        if (r < ' ' || r == 0x7f) {
            *o++ = 'x';
            *o++ = hexd[(r >> 4) & 15];
            *o++ = hexd[r & 15];
        } else if (r < 0x10000) {
            *o++ = 'u';
            for (int sh = 12; sh >= 0; sh -= 4)
                *o++ = hexd[(r >> sh) & 15];
        } else {
            *o++ = 'U';
            for (int sh = 28; sh >= 0; sh -= 4)
                *o++ = hexd[(r >> sh) & 15];
        }
    }
    *o++ = '"';
    return (size_t)(o - dst);
}

/* model_safe_text: trace bytes -> printable, unambiguous UTF-8. */
#include "model/model.h"

#include "model/model_int.h"

#include <stdio.h>
#include <string.h>

size_t model_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        v = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        v = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

static int needs_u_escape(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

static const char hexd[] = "0123456789abcdef";

size_t model_safe_text(char *out, size_t cap, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t need = 0, w = 0;
    int full = (cap == 0);
    char tmp[8];
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = model_utf8_decode(p + i, n - i, &cp);
        size_t tl;
        if (k == 0) {
            tmp[0] = '\\';
            tmp[1] = 'x';
            tmp[2] = hexd[p[i] >> 4];
            tmp[3] = hexd[p[i] & 15];
            tl = 4;
            k = 1;
        } else if (cp < 0x20 || cp == 0x7f) {
            tmp[0] = '\\';
            tmp[1] = 'x';
            tmp[2] = hexd[cp >> 4];
            tmp[3] = hexd[cp & 15];
            tl = 4;
        } else if (cp == '\\') {
            tmp[0] = tmp[1] = '\\';
            tl = 2;
        } else if (needs_u_escape(cp)) {
            tmp[0] = '\\';
            tmp[1] = 'u';
            tmp[2] = hexd[(cp >> 12) & 15];
            tmp[3] = hexd[(cp >> 8) & 15];
            tmp[4] = hexd[(cp >> 4) & 15];
            tmp[5] = hexd[cp & 15];
            tl = 6;
        } else {
            memcpy(tmp, p + i, k);
            tl = k;
        }
        i += k;
        need += tl;
        if (!full) {
            if (w + tl + 1 <= cap) {
                memcpy(out + w, tmp, tl);
                w += tl;
            } else {
                full = 1;
            }
        }
    }
    if (cap)
        out[w] = '\0';
    return need;
}

static int is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
           (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
           (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
           (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
           (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

static int is_combining(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
           (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
           (cp >= 0xfe20 && cp <= 0xfe2f);
}

size_t model_safe_width(const char *safe)
{
    const unsigned char *p = (const unsigned char *)safe;
    size_t n = strlen(safe), w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = model_utf8_decode(p + i, n - i, &cp);
        if (!k) {
            k = 1;
            cp = '?';
        }
        i += k;
        w += is_wide(cp) ? 2 : is_combining(cp) ? 0 : 1;
    }
    return w;
}

int model_fmt_duration_printf;

/* The result of snprintf(buf, cap, "%s%.*f%s", sign, prec, a / div, unit)
 * from integers, where that is certain to be the same: a below 2^48 (so the
 * double a / div is within far less than the distance from the exact
 * quotient to the nearest rounding tie, which is at least 1 / (2 div 10^prec)
 * when it is not one), and not at a tie itself (where printf rounds the
 * double's exact binary value). 0: not done, use snprintf. */
static int fmt_fixed(char *buf, size_t cap, const char *sign, uint64_t a, uint64_t div, int prec,
                     const char *unit)
{
    static const uint64_t p10[] = {1, 10, 100, 1000};
    if (a >= (uint64_t)1 << 48 || prec < 1 || prec > 3)
        return 0;
    uint64_t sc = p10[prec], x = a * sc, n = x / div, r = x % div;
    if (2 * r == div)
        return 0;
    if (2 * r > div)
        n++;
    uint64_t ip = n / sc, fp = n % sc;
    char t[48], *e = t + sizeof t, *q = e;
    for (const char *u = unit + strlen(unit); u > unit;)
        *--q = *--u;
    for (int i = 0; i < prec; i++, fp /= 10)
        *--q = (char)('0' + fp % 10);
    *--q = '.';
    do
        *--q = (char)('0' + ip % 10);
    while (ip /= 10);
    if (*sign)
        *--q = '-';
    size_t len = (size_t)(e - q), k = len < cap - 1 ? len : cap - 1;
    memcpy(buf, q, k);
    buf[k] = 0;
    return 1;
}

char *model_fmt_duration(char *buf, size_t cap, int64_t ns)
{
    if (!cap)
        return buf;
    const char *sign = ns < 0 ? "-" : "";
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    static const struct {
        uint64_t div;
        const char *unit;
    } u[] = {{1000000000ull, "s"}, {1000000ull, "ms"}, {1000ull, "us"}};
    if (a == 0) {
        if (!model_fmt_duration_printf && cap >= 2) /* most columns of most goroutines */
            memcpy(buf, "0", 2);
        else
            snprintf(buf, cap, "0");
        return buf;
    }
    for (int i = 0; i < 3; i++) {
        if (a >= u[i].div) {
            double v = (double)a / (double)u[i].div;
            int prec = v >= 100 ? 1 : v >= 10 ? 2 : 3;
            if (i == 0 && v >= 1000)
                prec = 1;
            if (!model_fmt_duration_printf && fmt_fixed(buf, cap, sign, a, u[i].div, prec, u[i].unit))
                return buf;
            snprintf(buf, cap, "%s%.*f%s", sign, prec, v, u[i].unit);
            return buf;
        }
    }
    if (!model_fmt_duration_printf && cap >= 8) { /* "-999ns" */
        char *q = buf;
        if (*sign)
            *q++ = '-';
        if (a >= 100)
            *q++ = (char)('0' + a / 100);
        if (a >= 10)
            *q++ = (char)('0' + a / 10 % 10);
        *q++ = (char)('0' + a % 10);
        memcpy(q, "ns", 3);
        return buf;
    }
    snprintf(buf, cap, "%s%lluns", sign, (unsigned long long)a);
    return buf;
}

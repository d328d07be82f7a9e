/* Timeline maths (see viewport.h). */
#include "tui/viewport.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double max_npc(const tl_viewport *vp)
{
    double d = (double)(vp->tmax - vp->tmin) / (double)vp->cols;
    return d < TL_MIN_NS_PER_COL ? TL_MIN_NS_PER_COL : d;
}

void tl_clamp(tl_viewport *vp)
{
    if (vp->cols < 1) vp->cols = 1;
    if (vp->tmax <= vp->tmin) vp->tmax = vp->tmin + 1;
    double mx = max_npc(vp);
    if (!(vp->ns_per_col >= TL_MIN_NS_PER_COL)) vp->ns_per_col = TL_MIN_NS_PER_COL;
    if (vp->ns_per_col > mx) vp->ns_per_col = mx;
    double w = vp->ns_per_col * vp->cols;
    double hi = (double)vp->tmax - w;
    if ((double)vp->t0 > hi) vp->t0 = (int64_t)floor(hi);
    if (vp->t0 < vp->tmin) vp->t0 = vp->tmin;
}

void tl_init(tl_viewport *vp, int64_t tmin, int64_t tmax, int cols)
{
    vp->tmin = tmin;
    vp->tmax = tmax > tmin ? tmax : tmin + 1;
    vp->cols = cols < 1 ? 1 : cols;
    tl_fit(vp, vp->tmin, vp->tmax);
}

void tl_set_cols(tl_viewport *vp, int cols)
{
    vp->cols = cols < 1 ? 1 : cols;
    tl_clamp(vp);
}

void tl_fit(tl_viewport *vp, int64_t a, int64_t b)
{
    if (b <= a) {
        if (a == INT64_MAX) a--;
        b = a + 1;
    }
    vp->t0 = a;
    /* in double: b - a overflows int64 for hostile times (campaign G) */
    vp->ns_per_col = ((double)b - (double)a) / (double)vp->cols;
    tl_clamp(vp);
}

void tl_zoom_at(tl_viewport *vp, int col, double factor)
{
    if (col < 0) col = 0;
    if (col > vp->cols) col = vp->cols;
    double tc = (double)vp->t0 + vp->ns_per_col * col;
    vp->ns_per_col *= factor;
    double mx = max_npc(vp);
    if (vp->ns_per_col < TL_MIN_NS_PER_COL) vp->ns_per_col = TL_MIN_NS_PER_COL;
    if (vp->ns_per_col > mx) vp->ns_per_col = mx;
    vp->t0 = (int64_t)llround(tc - vp->ns_per_col * col);
    tl_clamp(vp);
}

void tl_pan(tl_viewport *vp, double cols)
{
    vp->t0 += (int64_t)llround(cols * vp->ns_per_col);
    tl_clamp(vp);
}

void tl_reveal(tl_viewport *vp, int64_t t, int margin)
{
    if (margin * 2 >= vp->cols) margin = vp->cols / 4;
    int c = tl_time_col(vp, t);
    if (c < margin)
        tl_pan(vp, c - margin);
    else if (c >= vp->cols - margin)
        tl_pan(vp, c - (vp->cols - margin) + 1);
}

int64_t tl_span(const tl_viewport *vp)
{
    return (int64_t)llround(vp->ns_per_col * vp->cols);
}

/* a + b, saturated to [INT64_MIN + 1, INT64_MAX] (hostile times can put a
 * column edge past the int64 range) */
static int64_t sat_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN + 1;
    return r;
}

int64_t tl_col_time(const tl_viewport *vp, int col)
{
    double d = vp->ns_per_col * col;
    if (d >= 9.2e18) return sat_add(vp->t0, INT64_MAX);
    if (d <= -9.2e18) return sat_add(vp->t0, INT64_MIN + 1);
    return sat_add(vp->t0, (int64_t)llround(d));
}

int tl_time_col(const tl_viewport *vp, int64_t t)
{
    int64_t dt;
    double c = __builtin_sub_overflow(t, vp->t0, &dt) ? floor(((double)t - (double)vp->t0) / vp->ns_per_col)
                                                       : floor((double)dt / vp->ns_per_col);
    if (c < -1e9) return -1000000000;
    if (c > 1e9) return 1000000000;
    return (int)c;
}

int64_t tl_tick_step(double ns_per_col, int min_cols)
{
    double want = ns_per_col * (min_cols < 1 ? 1 : min_cols);
    int64_t step = 1;
    for (;;) {
        static const int m[3] = {1, 2, 5};
        for (int i = 0; i < 3; i++)
            if ((double)(step * m[i]) >= want) return step * m[i];
        if (step > INT64_MAX / 100) return step;
        step *= 10;
    }
}

int tl_fmt_dur(int64_t ns, char *buf, size_t n)
{
    const char *sign = "";
    if (ns < 0) {
        sign = "-";
        ns = -ns;
    }
    double v = (double)ns;
    const char *u;
    if (ns < 1000) return snprintf(buf, n, "%s%lldns", sign, (long long)ns);
    if (ns < 1000000) {
        v /= 1e3;
        u = "us";
    } else if (ns < 1000000000) {
        v /= 1e6;
        u = "ms";
    } else {
        v /= 1e9;
        u = "s";
    }
    int prec = v >= 100 ? 0 : v >= 10 ? 1 : 2;
    /* rounding may produce 1000us: step up a unit */
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.*f", prec, v);
    if (strcmp(tmp, "1000") == 0 && u[0] != 's') {
        return snprintf(buf, n, "%s1.00%s", sign, u[0] == 'u' ? "ms" : "s");
    }
    return snprintf(buf, n, "%s%s%s", sign, tmp, u);
}

int tl_fmt_tick(int64_t t, int64_t step, char *buf, size_t n)
{
    static const int64_t units[4] = {1000000000, 1000000, 1000, 1};
    static const char *names[4] = {"s", "ms", "us", "ns"};
    if (step < 1) step = 1;
    const char *sign = t < 0 ? "-" : "";
    if (t < 0) t = -t;
    if (t == 0) return snprintf(buf, n, "0");
    int ui = 3;
    for (int i = 0; i < 4; i++)
        if (units[i] <= t) {
            ui = i;
            break;
        }
    int64_t u = units[ui];
    int dec = 0;
    for (int64_t s = step; s < u && dec < 3; dec++) s *= 10;
    if (dec == 0) return snprintf(buf, n, "%s%lld%s", sign, (long long)(t / u), names[ui]);
    return snprintf(buf, n, "%s%.*f%s", sign, dec, (double)t / (double)u, names[ui]);
}

int tl_fmt_exact(int64_t ns, char *buf, size_t n)
{
    const char *sign = "";
    uint64_t v = (uint64_t)ns;
    if (ns < 0) {
        sign = "-";
        v = (uint64_t)0 - v;
    }
    uint64_t u;
    const char *name;
    int digits;
    if (v == 0) return snprintf(buf, n, "0s");
    if (v % 1000000000u == 0) {
        u = 1000000000u, name = "s", digits = 9;
    } else if (v >= 1000000u) {
        u = 1000000u, name = "ms", digits = 6;
    } else if (v >= 1000u) {
        u = 1000u, name = "us", digits = 3;
    } else {
        return snprintf(buf, n, "%s%lluns", sign, (unsigned long long)v);
    }
    uint64_t ip = v / u, fp = v % u;
    if (fp == 0) return snprintf(buf, n, "%s%llu%s", sign, (unsigned long long)ip, name);
    char frac[16];
    snprintf(frac, sizeof frac, "%0*llu", digits, (unsigned long long)fp);
    size_t l = strlen(frac);
    while (l > 0 && frac[l - 1] == '0') frac[--l] = 0;
    return snprintf(buf, n, "%s%llu.%s%s", sign, (unsigned long long)ip, frac, name);
}

int tl_parse_dur(const char *s, int64_t *out)
{
    uint64_t ip = 0, fp = 0;
    int ndig = 0, nfrac = 0;
    const char *p = s;
    while (*p == ' ') p++;
    if (*p == '+') p++;
    for (; *p >= '0' && *p <= '9'; p++, ndig++) {
        if (ip > 1000000000000000ull) return -1;
        ip = ip * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (nfrac < 9) {
                fp = fp * 10 + (uint64_t)(*p - '0');
                nfrac++;
            }
            ndig++;
        }
    }
    if (ndig == 0) return -1;
    uint64_t unit;
    int udig;
    if (!strcmp(p, "ns")) {
        unit = 1, udig = 0;
    } else if (!strcmp(p, "us") || !strcmp(p, "\xc2\xb5s") || !strcmp(p, "\xce\xbcs")) {
        unit = 1000, udig = 3;
    } else if (!strcmp(p, "ms")) {
        unit = 1000000, udig = 6;
    } else if (!strcmp(p, "s")) {
        unit = 1000000000, udig = 9;
    } else if (*p == 0 && ip == 0 && fp == 0) {
        *out = 0;
        return 0;
    } else {
        return -1;
    }
    /* fraction fp has nfrac digits; keep only udig of them (ns resolution) */
    while (nfrac > udig) {
        fp /= 10;
        nfrac--;
    }
    while (nfrac < udig) {
        fp *= 10;
        nfrac++;
    }
    if (ip > (uint64_t)INT64_MAX / unit) return -1;
    uint64_t v = ip * unit + fp;
    if (v > (uint64_t)INT64_MAX) return -1;
    *out = (int64_t)v;
    return 0;
}

/* tt_load / tt_read_header: header parsing and dispatch by format version. */
#include <string.h>

#include "loader/trace.h"
#include "loader/v1.h"
#include "loader/v2.h"

tt_status tt_read_header(const uint8_t *buf, size_t len, int *minor, tt_err *err)
{
    /* "go 1.<N> trace\0\0\0" (Go scans it with fmt; we accept the same shapes). */
    if (len < 16 || memcmp(buf, "go 1.", 5) != 0)
        return tt_err_set(err, TT_ERR_FORMAT, 0, "bad file format: not a Go execution trace?");
    size_t i = 5;
    int v = 0, nd = 0;
    while (i < len && i < 9 && buf[i] >= '0' && buf[i] <= '9') {
        v = v * 10 + (buf[i] - '0');
        i++;
        nd++;
    }
    if (nd == 0 || len - i < 9 || memcmp(buf + i, " trace\0\0\0", 9) != 0)
        return tt_err_set(err, TT_ERR_FORMAT, 0, "bad file format: not a Go execution trace?");
    if (minor)
        *minor = v;
    switch (v) {
    case 11: case 19: case 21: case 22: case 23: case 25: case 26:
        return TT_OK;
    default:
        return tt_err_set(err, TT_ERR_VERSION, 5, "unknown or unsupported trace version go 1.%d", v);
    }
}

tt_status tt_load(const uint8_t *buf, size_t len, tt_syms *syms, const tt_sink *sink,
                  tt_load_result *res, tt_err *err)
{
    tt_load_result lres;
    if (!res)
        res = &lres;
    memset(res, 0, sizeof *res);
    int minor = 0;
    tt_status st = tt_read_header(buf, len, &minor, err);
    if (st)
        return st;
    res->go_minor = minor;
    if (minor < 22)
        return tt_load_v1(buf, len, minor, syms, sink, res, err);
    return tt_load_v2(buf, len, -1, minor, syms, sink, res, err);
}

tt_status tt_load_file(const tt_file *f, tt_syms *syms, const tt_sink *sink,
                       tt_load_result *res, tt_err *err)
{
    int minor = 0;
    if (f->mapped == 1 && f->fd >= 0 && tt_read_header(f->data, f->len, &minor, NULL) == TT_OK &&
        minor >= 22) {
        /* Go 1.22+: pread from the file, no pages mapped (loader/v2.c) */
        tt_load_result lres;
        if (!res)
            res = &lres;
        memset(res, 0, sizeof *res);
        res->go_minor = minor;
        return tt_load_v2(NULL, f->len, f->fd, minor, syms, sink, res, err);
    }
    tt_v2_release_pages = f->mapped == 1;
    tt_status st = tt_load(f->data, f->len, syms, sink, res, err);
    tt_v2_release_pages = 0;
    return st;
}

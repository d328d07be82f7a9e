/* tt_file_open + tt_load_file on a Go 1.22+ trace: read with pread (file
 * mode, loader/v2.c), not through the mapping. The same events as a load of
 * the bytes in memory, whatever the size of read_gen's window; a file that
 * becomes shorter after it was opened (in read_gen's scan or under a
 * cursor) and a descriptor that cannot be read give an error naming the
 * byte offset, after the complete generations (a warning), never a crash. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "loader/v2.h"

typedef struct sum {
    uint64_t n;
    uint64_t h;     /* order-dependent hash of the events' fields */
    int cut_fd;     /* >= 0: on event number cut_at, truncate this file to cut_len */
    uint64_t cut_at;
    off_t cut_len;
} sum;

static int on_ev(void *ctx, const tt_event *e)
{
    sum *s = ctx;
    uint64_t v[] = {(uint64_t)e->time, (uint64_t)e->m, (uint64_t)e->p, (uint64_t)e->g,
                    (uint64_t)e->id, e->arg[0], e->arg[1], e->arg[2], e->name, e->msg,
                    e->stack, e->tstack, e->kind, e->type, e->res, e->from, e->to, e->flags,
                    (uint64_t)e->sync.trace, e->sync.mono, e->ntext};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        s->h = (s->h ^ v[i]) * 0x100000001b3ULL;
    for (uint32_t i = 0; i < e->ntext; i++)
        s->h = (s->h ^ (uint8_t)e->text[i]) * 0x100000001b3ULL;
    if (s->cut_fd >= 0 && s->n == s->cut_at)
        assert_int_equal(ftruncate(s->cut_fd, s->cut_len), 0);
    s->n++;
    return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    uint8_t *b = malloc((size_t)n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* A private copy of bytes in a temporary file; returns its path (static). */
static const char *tmp_copy(const uint8_t *b, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/gotv-test-file-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b, len), (ssize_t)len);
    close(fd);
    return path;
}

typedef struct run {
    tt_status st;
    tt_load_result res;
    tt_err err;
    sum s;
    int mapped;
} run;

static void load_buf(const uint8_t *b, size_t len, unsigned flags, run *o)
{
    memset(o, 0, sizeof *o);
    o->s.cut_fd = -1;
    tt_syms *sy = tt_syms_new();
    assert_non_null(sy);
    tt_sink sink = {&o->s, on_ev, NULL, flags};
    o->st = tt_load(b, len, sy, &sink, &o->res, &o->err);
    tt_syms_free(sy);
}

/* Load path through tt_file_open; cut (if cut_len >= 0) shrinks the file to
 * cut_len before the load, or at event number cut_at (cut_at > 0). */
static void load_path(const char *path, unsigned flags, off_t cut_len, uint64_t cut_at, run *o)
{
    memset(o, 0, sizeof *o);
    o->s.cut_fd = -1;
    tt_file f;
    assert_int_equal(tt_file_open(path, &f, &o->err), TT_OK);
    o->mapped = f.mapped;
    int wfd = -1;
    if (cut_len >= 0) {
        wfd = open(path, O_WRONLY);
        assert_true(wfd >= 0);
        if (cut_at == 0) {
            assert_int_equal(ftruncate(wfd, cut_len), 0);
        } else {
            o->s.cut_fd = wfd;
            o->s.cut_at = cut_at;
            o->s.cut_len = cut_len;
        }
    }
    tt_syms *sy = tt_syms_new();
    assert_non_null(sy);
    tt_sink sink = {&o->s, on_ev, NULL, flags};
    o->st = tt_load_file(&f, sy, &sink, &o->res, &o->err);
    tt_syms_free(sy);
    tt_file_close(&f);
    if (wfd >= 0)
        close(wfd);
}

static int is_v2(const uint8_t *b, size_t len)
{
    int minor = 0;
    return tt_read_header(b, len, &minor, NULL) == TT_OK && minor >= 22;
}

/* Every Go 1.22+ sample: file mode (many window sizes and the default)
 * gives what the in-memory load gives, events and result. */
static void test_file_mode_same_events(void **state)
{
    (void)state;
    DIR *d = opendir("samples/traces");
    assert_non_null(d);
    struct dirent *de;
    int nfiles = 0;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 7 || strcmp(de->d_name + nl - 6, ".trace") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "samples/traces/%s", de->d_name);
        size_t len;
        uint8_t *b = slurp(path, &len);
        if (!is_v2(b, len)) {
            free(b);
            continue;
        }
        for (unsigned flags = 0; flags <= TT_SINK_LOG_TEXT; flags += TT_SINK_LOG_TEXT) {
            run a, f;
            load_buf(b, len, flags, &a);
            /* small files: every window size up to 96 bytes (a header, a
             * table batch ends anywhere in a window, or just past it) */
            static const size_t chunks[] = {1, 3, 64, 0};
            size_t nk = len < 65536 ? 97 : sizeof chunks / sizeof chunks[0];
            for (size_t k = 0; k < nk; k++) {
                tt_v2_scan_chunk = len < 65536 ? (k + 1) % 97 : chunks[k];
                load_path(path, flags, -1, 0, &f);
                tt_v2_scan_chunk = 0;
                assert_int_equal(f.mapped, 1);
                assert_int_equal(f.st, a.st);
                assert_true(f.s.n > 0);
                assert_int_equal(f.s.n, a.s.n);
                assert_true(f.s.h == a.s.h);
                assert_int_equal(f.res.truncated, a.res.truncated);
                assert_int_equal(f.res.events, a.res.events);
                assert_int_equal(f.res.generations, a.res.generations);
                if (a.res.truncated) {
                    assert_int_equal(f.res.warn.offset, a.res.warn.offset);
                    assert_string_equal(f.res.warn.msg, a.res.warn.msg);
                }
            }
        }
        free(b);
        nfiles++;
    }
    closedir(d);
    assert_true(nfiles >= 10);
}

/* A file that became shorter after it was opened, at every byte: the error
 * (or, after a complete generation, the warning) names the byte that could
 * not be read and the new size, and the valid part is what the in-memory
 * load of that prefix keeps. */
static void test_file_shrunk_before_load(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = slurp("samples/traces/cpubound.trace", &len); /* 2 generations */
    const char *path = tmp_copy(b, len);
    int warned = 0, failed = 0;
    /* (from 17: the header alone reads in memory as an empty trace) */
    for (size_t cut = 17; cut < len; cut++) {
        assert_int_equal(truncate(path, 0), 0); /* restore the whole file */
        int fd = open(path, O_WRONLY);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, b, len), (ssize_t)len);
        close(fd);
        tt_v2_scan_chunk = cut % 2 ? 0 : 5;
        run f, a;
        load_path(path, 0, (off_t)cut, 0, &f);
        tt_v2_scan_chunk = 0;
        load_buf(b, cut, 0, &a);
        const tt_err *e = f.st == TT_OK ? &f.res.warn : &f.err;
        if (f.st == TT_OK) {
            assert_int_equal(f.res.truncated, 1);
            warned++;
        } else {
            failed++;
        }
        assert_int_equal(e->code, TT_ERR_IO);
        /* the first byte a read missed: the cut, or the next header when
         * the scan skipped the rest of an event batch */
        assert_true(e->offset >= cut && e->offset < len);
        char want[160];
        snprintf(want, sizeof want,
                 "at byte %llu: the file is shorter than when it was opened (now %zu bytes, was %zu)",
                 (unsigned long long)e->offset, cut, len);
        assert_non_null(strstr(e->msg, want));
        /* the same complete generations as the prefix in memory (which may
         * read as a whole trace with none, e.g. cut after a batch's type) */
        if (f.st == TT_OK) {
            assert_int_equal(a.st, TT_OK);
            assert_int_equal(f.res.valid_events, a.res.valid_events);
            assert_int_equal(f.res.generations, a.res.generations);
        } else {
            assert_true(a.st != TT_OK || a.res.generations == 0);
        }
    }
    assert_true(warned > 100);
    assert_true(failed > 100);
    unlink(path);
    free(b);
}

/* The file shrinks while its only generation is being ordered: the scan has
 * read every header, so a cursor finds its next batch cut (cursor_fetch). */
static void test_file_shrunk_under_cursor(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = slurp("samples/traces/stress.trace", &len); /* 1 generation, 19 batches */
    const char *path = tmp_copy(b, len);
    run f;
    load_path(path, 0, 17, 1, &f);
    assert_int_equal(f.st, TT_ERR_IO);
    assert_true(f.err.offset > 17);
    assert_non_null(strstr(f.err.msg, "shorter than when it was opened"));
    char want[64];
    snprintf(want, sizeof want, "at byte %llu:", (unsigned long long)f.err.offset);
    assert_non_null(strstr(f.err.msg, want));
    unlink(path);
    free(b);
}

/* A descriptor that cannot be read (a directory): the read error and its
 * offset, no events. */
static void test_file_read_error(void **state)
{
    (void)state;
    tt_file f;
    tt_err err;
    assert_int_equal(tt_file_open("samples/traces/cpubound.trace", &f, &err), TT_OK);
    assert_int_equal(f.mapped, 1);
    assert_true(f.fd >= 0);
    int dfd = open("samples/traces", O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    assert_true(dup2(dfd, f.fd) == f.fd);
    close(dfd);
    tt_syms *sy = tt_syms_new();
    sum s = {0, 0, -1, 0, 0};
    tt_sink sink = {&s, on_ev, NULL, 0};
    tt_load_result res;
    assert_int_equal(tt_load_file(&f, sy, &sink, &res, &err), TT_ERR_IO);
    assert_int_equal(err.offset, 16);
    assert_non_null(strstr(err.msg, "error reading the trace at byte 16: "));
    assert_int_equal(s.n, 0);
    tt_syms_free(sy);
    tt_file_close(&f);
    assert_int_equal(f.fd, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_mode_same_events),
        cmocka_unit_test(test_file_shrunk_before_load),
        cmocka_unit_test(test_file_shrunk_under_cursor),
        cmocka_unit_test(test_file_read_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

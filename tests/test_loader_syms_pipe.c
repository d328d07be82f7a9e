/* tt_load_file on a pipe (the file is read into memory, no mapping) and on
 * the mapped file give the same strings under the same ids, the same stacks
 * and the same events: both for a Go 1.22+ trace and an old-format one.
 * Interned strings keep their NUL terminator and their bytes after the file
 * is closed (tt_syms owns copies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "loader/trace.h"

typedef struct sum {
    uint64_t n;
    uint64_t h; /* order-dependent hash of the events' fields that hold ids */
} sum;

static int on_ev(void *ctx, const tt_event *e)
{
    sum *s = ctx;
    uint64_t v[] = {(uint64_t)e->time, e->name, e->msg, e->stack, e->tstack, e->kind,
                    (uint64_t)e->g, (uint64_t)e->id};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        s->h = (s->h ^ v[i]) * 0x100000001b3ULL;
    s->n++;
    return 0;
}

/* Load path into a new syms through tt_file_open(open_path). */
static tt_syms *load(const char *open_path, sum *out, int *mapped)
{
    tt_file f;
    tt_err err;
    assert_int_equal(tt_file_open(open_path, &f, &err), TT_OK);
    *mapped = f.mapped;
    tt_syms *s = tt_syms_new();
    assert_non_null(s);
    tt_sink sink = {out, on_ev, NULL, 0};
    tt_load_result res;
    assert_int_equal(tt_load_file(&f, s, &sink, &res, &err), TT_OK);
    tt_file_close(&f);
    return s;
}

/* The same file through a pipe: a child writes it into the pipe. */
static tt_syms *load_pipe(const char *path, sum *out, int *mapped)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        FILE *in = fopen(path, "rb");
        if (!in)
            _exit(1);
        char buf[4096];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, in)) > 0)
            if (write(fds[1], buf, k) != (ssize_t)k)
                _exit(1);
        _exit(0);
    }
    close(fds[1]);
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", fds[0]);
    tt_syms *s = load(name, out, mapped);
    close(fds[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    return s;
}

static void same_file_both_ways(const char *path)
{
    sum a = {0, 0}, b = {0, 0};
    int ma = -1, mb = -1;
    tt_syms *sa = load(path, &a, &ma);
    tt_syms *sb = load_pipe(path, &b, &mb);
    assert_int_equal(ma, 1); /* really the two paths */
    assert_int_equal(mb, 0);
    assert_true(a.n > 0);
    assert_int_equal(a.n, b.n);
    assert_true(a.h == b.h);
    assert_true(tt_syms_nstrings(sa) > 1);
    assert_int_equal(tt_syms_nstrings(sa), tt_syms_nstrings(sb));
    for (uint32_t id = 0; id < tt_syms_nstrings(sa); id++) {
        size_t la, lb;
        const char *pa = tt_syms_str(sa, id, &la), *pb = tt_syms_str(sb, id, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(pa, pb, la);
        assert_int_equal(pa[la], 0);
        /* interning the bytes again finds the same id */
        assert_int_equal(tt_syms_intern(sa, pa, la), id);
    }
    assert_int_equal(tt_syms_nstacks(sa), tt_syms_nstacks(sb));
    for (uint32_t id = 0; id < tt_syms_nstacks(sa); id++) {
        const tt_frame *fa, *fb;
        uint32_t na = tt_syms_stack_frames(sa, id, &fa), nb = tt_syms_stack_frames(sb, id, &fb);
        assert_int_equal(na, nb);
        if (na)
            assert_memory_equal(fa, fb, na * sizeof *fa);
    }
    tt_syms_free(sa);
    tt_syms_free(sb);
}

static void test_pipe_v2(void **state)
{
    (void)state;
    same_file_both_ways("samples/traces/annotated.trace");
}

static void test_pipe_v1(void **state)
{
    (void)state;
    same_file_both_ways("samples/traces/annotated-go119.trace");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_v2),
        cmocka_unit_test(test_pipe_v1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tt_file: map a trace file read-only (falls back to reading it); a mapped
 * file's descriptor stays open for pread (tt_load_file, Go 1.22+). */
#include "loader/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t empty_buf[1];

#define HUGE_SZ ((size_t)2 << 20)

/*
 * Map a file read-only one page past a 2 MiB boundary. The page cache may
 * hold the file in 2 MiB folios, and a fault on a mapping whose addresses
 * line up with file offsets modulo 2 MiB can then map a whole folio at once,
 * which makes releasing consumed pages (tt_load_file) coarse: the mapping
 * reserves len + 2 MiB of address space, maps the file at the odd offset
 * inside it and gives the rest back. Plain mmap when that fails.
 */
static void *map_offset(int fd, size_t len)
{
    long ps = sysconf(_SC_PAGESIZE);
    if (ps > 0 && (size_t)ps < HUGE_SZ && len >= HUGE_SZ && len <= SIZE_MAX - 2 * HUGE_SZ) {
        size_t pg = (size_t)ps, span = (len + pg - 1) / pg * pg, rlen = span + 2 * HUGE_SZ;
        void *r = mmap(NULL, rlen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r != MAP_FAILED) {
            uintptr_t lo = (uintptr_t)r, end = lo + rlen;
            uintptr_t at = ((lo + HUGE_SZ - 1) & ~(uintptr_t)(HUGE_SZ - 1)) + pg;
            void *p = mmap((void *)at, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
            if (p != MAP_FAILED) {
                if (at > lo)
                    munmap(r, at - lo);
                if (end > at + span)
                    munmap((void *)(at + span), end - (at + span));
                return p;
            }
            munmap(r, rlen);
        }
    }
    return mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
}

tt_status tt_file_open(const char *path, tt_file *f, tt_err *err)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tt_err_set(err, TT_ERR_IO, 0, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return tt_err_set(err, TT_ERR_IO, 0, "%s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return tt_err_set(err, TT_ERR_IO, 0, "is a directory");
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= SIZE_MAX) {
        void *p = map_offset(fd, (size_t)st.st_size);
        if (p != MAP_FAILED) {
            (void)madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
            f->fd = fd;
            f->data = p;
            f->len = (size_t)st.st_size;
            f->mapped = 1;
            return TT_OK;
        }
    }
    /* Fall back: read everything (pipes, special files, mmap failure). */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 1 << 16;
    size_t n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return tt_err_set(err, TT_ERR_NOMEM, 0, "out of memory reading file");
    }
    for (;;) {
        if (n == cap) {
            if (cap > SIZE_MAX / 2) {
                free(buf);
                close(fd);
                return tt_err_set(err, TT_ERR_NOMEM, n, "file too large");
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return tt_err_set(err, TT_ERR_NOMEM, n, "out of memory reading file");
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return tt_err_set(err, TT_ERR_IO, n, "%s", strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n == 0) {
        free(buf);
        f->data = empty_buf;
        f->len = 0;
        f->mapped = 2; /* static empty buffer */
        return TT_OK;
    }
    f->data = buf;
    f->len = n;
    f->mapped = 0;
    return TT_OK;
}

void tt_file_close(tt_file *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (!f->data)
        return;
    if (f->mapped == 1)
        munmap((void *)(uintptr_t)f->data, f->len);
    else if (f->mapped == 0)
        free((void *)(uintptr_t)f->data);
    f->data = NULL;
    f->len = 0;
}

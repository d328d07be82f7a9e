/*
 * Replay driver: runs fuzz/harness.c over the files named on the command
 * line, one at a time, each read into a heap buffer of exactly its size (so
 * ASan sees over-reads). Built with gcc -fsanitize=address,undefined by
 * tests/suite_fuzzreplay.sh (and usable with any other build).
 *
 *   replay [-t SECONDS] FILE...
 *
 * Prints one line per input ("ok FILE ...") and exits 0; a broken invariant
 * or a sanitizer report aborts; an input that runs longer than SECONDS
 * (default 10) prints "TIMEOUT FILE" and exits 3. Exit 2: a file could not be
 * read.
 */
#include "fuzz/harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *volatile g_current = "";

static void on_alarm(int sig)
{
    (void)sig;
    const char *p = g_current;
    static const char pre[] = "TIMEOUT ";
    ssize_t r = write(2, pre, sizeof pre - 1);
    r = write(2, p, strlen(p));
    r = write(2, "\n", 1);
    (void)r;
    _exit(3);
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return -1;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    /* exact-size copy so that reading one byte past the end is caught */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    *out = exact;
    *len = n;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned timeout = 10;
    int i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "-t")) {
        timeout = (unsigned)atoi(argv[i + 1]);
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: replay [-t SECONDS] FILE...\n");
        return 2;
    }
    signal(SIGALRM, on_alarm);
    unsigned s = fz_stages();
    printf("stages:%s%s%s%s\n", (s & 1) ? " loader" : "", (s & 2) ? " model" : "",
           (s & 4) ? " strings" : "", (s & 8) ? " frame" : "");
    int rc = 0;
    for (; i < argc; i++) {
        uint8_t *buf = NULL;
        size_t len = 0;
        if (read_file(argv[i], &buf, &len) != 0) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            rc = 2;
            continue;
        }
        g_current = argv[i];
        alarm(timeout);
        fz_stats st;
        fz_one(buf, len, &st);
        alarm(0);
        printf("ok %s bytes=%zu load=%d events=%llu model=%d lanes=%u frame=%d\n", argv[i], len,
               st.loaded ? st.load_status : -1, (unsigned long long)st.events,
               st.modeled ? st.model_status : -1, st.lanes, st.frame);
        fflush(stdout);
        free(buf);
    }
    return rc;
}

/* Go-compatible pdqsort (see sort.h). Same steps as Go's slices package so
 * that ties land in the same places; written independently in C. */
#include "loader/sort.h"

#include <stdint.h>
#include <string.h>

typedef struct srt {
    unsigned char *d;
    size_t sz;
    int (*cmp)(const void *, const void *);
} srt;

#define EL(s, i) ((s)->d + (size_t)(i) * (s)->sz)

static inline int less(const srt *s, long i, long j) { return s->cmp(EL(s, i), EL(s, j)) < 0; }

static inline void swp(const srt *s, long i, long j)
{
    unsigned char t[64];
    if (i == j)
        return;
    memcpy(t, EL(s, i), s->sz);
    memcpy(EL(s, i), EL(s, j), s->sz);
    memcpy(EL(s, j), t, s->sz);
}

static void insertion(const srt *s, long a, long b)
{
    for (long i = a + 1; i < b; i++)
        for (long j = i; j > a && less(s, j, j - 1); j--)
            swp(s, j, j - 1);
}

static void sift_down(const srt *s, long lo, long hi, long first)
{
    long root = lo;
    for (;;) {
        long child = 2 * root + 1;
        if (child >= hi)
            return;
        if (child + 1 < hi && less(s, first + child, first + child + 1))
            child++;
        if (!less(s, first + root, first + child))
            return;
        swp(s, first + root, first + child);
        root = child;
    }
}

static void heapsort_range(const srt *s, long a, long b)
{
    long first = a, hi = b - a;
    for (long i = (hi - 1) / 2; i >= 0; i--)
        sift_down(s, i, hi, first);
    for (long i = hi - 1; i >= 0; i--) {
        swp(s, first, first + i);
        sift_down(s, 0, i, first);
    }
}

static int bitlen(unsigned long x)
{
    int n = 0;
    while (x) {
        n++;
        x >>= 1;
    }
    return n;
}

static void break_patterns(const srt *s, long a, long b)
{
    long length = b - a;
    if (length < 8)
        return;
    uint64_t rnd = (uint64_t)length;
    unsigned long modulus = 1ul << bitlen((unsigned long)length);
    for (long idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
        rnd ^= rnd << 13;
        rnd ^= rnd >> 7;
        rnd ^= rnd << 17;
        long other = (long)((unsigned long)rnd & (modulus - 1));
        if (other >= length)
            other -= length;
        swp(s, idx, a + other);
    }
}

static void order2(const srt *s, long *a, long *b, int *swaps)
{
    if (less(s, *b, *a)) {
        (*swaps)++;
        long t = *a;
        *a = *b;
        *b = t;
    }
}

static long median(const srt *s, long a, long b, long c, int *swaps)
{
    order2(s, &a, &b, swaps);
    order2(s, &b, &c, swaps);
    order2(s, &a, &b, swaps);
    return b;
}

enum { HINT_UNKNOWN, HINT_INC, HINT_DEC };

static long choose_pivot(const srt *s, long a, long b, int *hint)
{
    long l = b - a;
    int swaps = 0;
    long i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
        if (l >= 50) {
            i = median(s, i - 1, i, i + 1, &swaps);
            j = median(s, j - 1, j, j + 1, &swaps);
            k = median(s, k - 1, k, k + 1, &swaps);
        }
        j = median(s, i, j, k, &swaps);
    }
    *hint = swaps == 0 ? HINT_INC : swaps == 12 ? HINT_DEC : HINT_UNKNOWN;
    return j;
}

static int partial_insertion(const srt *s, long a, long b)
{
    long i = a + 1;
    for (int step = 0; step < 5; step++) {
        while (i < b && !less(s, i, i - 1))
            i++;
        if (i == b)
            return 1;
        if (b - a < 50)
            return 0;
        swp(s, i, i - 1);
        if (i - a >= 2)
            for (long j = i - 1; j >= 1; j--) {
                if (!less(s, j, j - 1))
                    break;
                swp(s, j, j - 1);
            }
        if (b - i >= 2)
            for (long j = i + 1; j < b; j++) {
                if (!less(s, j, j - 1))
                    break;
                swp(s, j, j - 1);
            }
    }
    return 0;
}

static long partition_equal(const srt *s, long a, long b, long pivot)
{
    swp(s, a, pivot);
    long i = a + 1, j = b - 1;
    for (;;) {
        while (i <= j && !less(s, a, i))
            i++;
        while (i <= j && less(s, a, j))
            j--;
        if (i > j)
            break;
        swp(s, i, j);
        i++;
        j--;
    }
    return i;
}

static long partition(const srt *s, long a, long b, long pivot, int *already)
{
    swp(s, a, pivot);
    long i = a + 1, j = b - 1;
    while (i <= j && less(s, i, a))
        i++;
    while (i <= j && !less(s, j, a))
        j--;
    if (i > j) {
        swp(s, j, a);
        *already = 1;
        return j;
    }
    swp(s, i, j);
    i++;
    j--;
    for (;;) {
        while (i <= j && less(s, i, a))
            i++;
        while (i <= j && !less(s, j, a))
            j--;
        if (i > j)
            break;
        swp(s, i, j);
        i++;
        j--;
    }
    swp(s, j, a);
    *already = 0;
    return j;
}

static void pdq(const srt *s, long a, long b, int limit)
{
    int balanced = 1, partitioned = 1;
    for (;;) {
        long length = b - a;
        if (length <= 12) {
            insertion(s, a, b);
            return;
        }
        if (limit == 0) {
            heapsort_range(s, a, b);
            return;
        }
        if (!balanced) {
            break_patterns(s, a, b);
            limit--;
        }
        int hint;
        long pivot = choose_pivot(s, a, b, &hint);
        if (hint == HINT_DEC) {
            for (long i = a, j = b - 1; i < j; i++, j--)
                swp(s, i, j);
            pivot = (b - 1) - (pivot - a);
            hint = HINT_INC;
        }
        if (balanced && partitioned && hint == HINT_INC && partial_insertion(s, a, b))
            return;
        if (a > 0 && !less(s, a - 1, pivot)) {
            a = partition_equal(s, a, b, pivot);
            continue;
        }
        int already;
        long mid = partition(s, a, b, pivot, &already);
        partitioned = already;
        long left = mid - a, right = b - mid, thr = length / 8;
        if (left < right) {
            balanced = left >= thr;
            pdq(s, a, mid, limit);
            a = mid + 1;
        } else {
            balanced = right >= thr;
            pdq(s, mid + 1, b, limit);
            b = mid;
        }
    }
}

void tt_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n < 2 || size > 64)
        return;
    srt s = {base, size, cmp};
    pdq(&s, 0, (long)n, bitlen((unsigned long)n));
}

/* The tests' pseudo-random numbers: xorshift64 (13, 7, 17) on a state the
 * caller keeps, so each test's sequence depends only on its own seed. */
#ifndef GOTV_TESTS_XORSHIFT_H
#define GOTV_TESTS_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

#endif

/*
 * tt_sort: an in-place unstable sort whose result, including the order of
 * equal elements, is identical to Go's slices.SortFunc (pattern-defeating
 * quicksort). The reader needs this to break ties exactly as Go's reader does.
 * Elements must be at most 64 bytes.
 */
#ifndef GOTV_LOADER_SORT_H
#define GOTV_LOADER_SORT_H

#include <stddef.h>

void tt_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif

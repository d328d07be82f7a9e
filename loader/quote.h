/* Go-compatible string quoting (strconv.Quote), for printing trace strings. */
#ifndef GOTV_LOADER_QUOTE_H
#define GOTV_LOADER_QUOTE_H

#include <stddef.h>
#include <stdint.h>

/* Upper bound of tt_quote's output for n input bytes. */
#define TT_QUOTE_MAX(n) (4 * (n) + 2)

/* Write the Go %q form of s[0..n) (with the surrounding double quotes) to dst,
 * which must hold TT_QUOTE_MAX(n) bytes; returns the bytes written (no NUL). */
size_t tt_quote(char *dst, const char *s, size_t n);

/* Go's strconv.IsPrint. */
int tt_isprint(uint32_t r);

#endif

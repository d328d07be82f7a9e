/*
 * Old-format traces (Go 1.11-1.21; header versions 11, 19, 21).
 * tt_load() calls this for those versions; it delivers the same public event
 * stream as Go's conversion of old traces (internal/trace tracev1.go).
 */
#ifndef GOTV_LOADER_V1_H
#define GOTV_LOADER_V1_H

#include "loader/trace.h"

/* buf/len is the whole file including the 16-byte header. */
tt_status tt_load_v1(const uint8_t *buf, size_t len, int minor, tt_syms *syms,
                     const tt_sink *sink, tt_load_result *res, tt_err *err);

/* While converting, the event array behind the cursor is given back to the
 * kernel in aligned blocks of this many bytes (a power of two; smaller values
 * are raised to the page size), so that a sink building its own store grows
 * while the reader shrinks. 0 = keep everything to the end. Default 2 MiB;
 * tests lower it to exercise many release steps on small traces. */
extern _Thread_local size_t tt_v1_release_step;
/* Bytes of the event array released by the last tt_load_v1 of this thread. */
extern _Thread_local size_t tt_v1_released;

/* Tests: make the loader take its slow paths for values the compact record
 * holds inline (the output must not change). TT_V1_WIDE_TS: every event
 * whose time is not exactly its record's base (a parsed event with a delta
 * from the one before, a merged one off its page's base) is a wide record;
 * TT_V1_WIDE_NOPACK: no packed forms (extension words for every
 * multi-value event); TT_V1_WIDE_PAIRS: a pair table of one entry;
 * TT_V1_WIDE_SORT: syscall exits moved to their real time by the general
 * sort, not by insertion; TT_V1_WIDE_G: every event of a goroutine other
 * than 0 is a wide record; TT_V1_WIDE_NOFAST: the general paths only (no
 * parse fast path for the common events). 0 = normal. */
enum {
    TT_V1_WIDE_TS = 1, TT_V1_WIDE_NOPACK = 2, TT_V1_WIDE_PAIRS = 4, TT_V1_WIDE_SORT = 8,
    TT_V1_WIDE_G = 16, TT_V1_WIDE_NOFAST = 32
};
extern _Thread_local unsigned tt_v1_test_wide;
/* Events the parse fast path stored in the last tt_load_v1 of this thread. */
extern _Thread_local size_t tt_v1_fast;

/* Parsing on a second thread while the merge runs (bench/profile-v1-s15.md):
 * 0 = never, 1 = for traces of 8 MiB and more (default), 2 = always (tests),
 * 3 = always, with the parse thread yielding after every batch so that the
 * merge waits for it (tests). With 1, tt_v1_set_thread_mode() decides. */
extern _Thread_local int tt_v1_threads;
/* How the last tt_load_v1 of this thread ran: 0 = one thread, 1 = parse on
 * a second thread beside the merge, 2 = the second thread parsed but the
 * merge waited for all of it (the trace's shape did not allow more). */
extern _Thread_local int tt_v1_par;
/* Times the merge of the last tt_load_v1 waited for the parse thread, and
 * the events of the batches parsed before that thread started (the first
 * batch of a P that appears late in the file). */
extern _Thread_local size_t tt_v1_par_waits, tt_v1_pre;
/* Whether the last tt_load_v1 of this thread took the second half of the
 * file's framing from the parse thread's scan (1) or read it all on its
 * own (0), and how many start bytes that scan tried. */
extern _Thread_local int tt_v1_split;
extern _Thread_local size_t tt_v1_split_tries;
/* With parse beside the merge, pass 4 (check) runs on the parse thread
 * behind the merge. How the last tt_load_v1 of this thread did it: 0 =
 * after the merge (no such thread), 1 = behind it, 2 = behind it and found
 * the error, 3 = behind it, dropped (the order it assumed was not the
 * final one), then after the merge. */
extern _Thread_local int tt_v1_ckres;
/* ... and how often its next event waited for a syscall exit (held). */
extern _Thread_local size_t tt_v1_ck_held;

#endif

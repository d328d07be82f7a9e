#!/usr/bin/env python3
"""Hostile traces for campaign F session 5 (today's changes: the string
table's 16-bit offset deltas per 64-string block and packed hash slots,
goroutine span records in chunks of 8 with per-lane heads of 2, regions and
logs with 16-bit lane indexes widened in place, compact metric series
written as events come):

    fuzz/tracegen_f.py DIR [SEED]

  strings-wide-block   blocks of 64 distinct 1024-byte strings (Go's maximum,
                       1025 bytes with the NUL), then blocks mixing short and
                       long ones, used as region names and logs. NB: a
                       block's 16-bit deltas cover its first 63 strings
                       (63 x 1025 < 65536), so v2 trace strings never make a
                       block wide; stw-names-wide does
  stw-names-wide       200 STW kinds of 1024 bytes: the loader interns
                       "stop-the-world (KIND)" (1042 bytes with the NUL) for
                       each, 63 of them in a row exceed 64 KiB: 64-bit deltas
  strings-wide-2       the first two blocks, 20 goroutines (a small seed:
                       the loader's 2nd block of 64 ids is all 1024-byte
                       strings, still narrow)
  strings-many-grow    300,000 distinct short strings with sparse ids (the
                       lookup table grows by 1.5 many times)
  strings-dup-content  the same bytes under many ids, and ids reused
  regions-70k          70,000 goroutines, each with a region and a log (lane
                       indexes past 65535: widened while loading); regions
                       of the first and last goroutines left open
  regions-70k-late     the same, but the regions/logs only on goroutines seen
                       after the 65536th (widened at the end)
  spans-k              goroutines with 1, 2, 3, 7, 8, 9, 10, 16, 17 spans,
                       rounds interleaved (chunks of 8, heads of 2)
  spans-k-jump         the same with time jumps of 2^54 ticks between rounds
  metrics-backwards    heap alloc/goal and GOMAXPROCS on 3 Ms whose batches
                       go back in time (out-of-order metric events), values
                       near 2^64, huge jumps
  metrics-interleaved  the same on 3 Ms with Ps (valid for Go), times
                       interleaved between the Ms
  metrics-many         300,000 heap-alloc events (many 128-point blocks),
                       values alternating tiny and huge
  mix-N                random mixes of the above (SEED)
"""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracegen as T

UserRegionEnd, HeapAlloc, HeapGoal, ProcsChange = 43, 37, 38, 9


def batches(gen, m, t0, evs, step=1):
    out, cur = bytearray(), bytearray()
    t = t0
    for e in evs:
        cur += e
        if len(cur) > 60000:
            out += T.batch(gen, m, t, bytes(cur)); t += step; cur = bytearray()
    if cur:
        out += T.batch(gen, m, t, bytes(cur))
    return bytes(out)


def strings_batches(gen, strs, time):
    out, cur, n = bytearray(), [], 0
    for s in strs:
        cur.append(s); n += len(s[1])
        if n > 50000 or len(cur) > 3000:
            out += T.strings_batch(gen, cur, time); cur, n = [], 0
    if cur:
        out += T.strings_batch(gen, cur, time)
    return bytes(out)


def trace(evs, strs, gen=1, m=7, t0=102, extra=b""):
    return (T.header(26) + T.sync_batch(gen) + batches(gen, m, t0, evs) + extra
            + strings_batches(gen, strs, t0 + 8) + b"\x34")


def cycles(gs_spans, region=None, log=None, dt=1, jump=None, open_last=()):
    """gs_spans: [(g, nspans)]; round-robin: unblock, start, [region begin,
    log, region end], block"""
    evs = [T.ev(T.ProcStatus, 1, 0, 1)] + [T.ev(T.GoStatus, 1, g, T.NONE, 4) for g, _ in gs_spans]
    rounds = max(k for _, k in gs_spans)
    for r in range(rounds):
        first = True
        for g, k in gs_spans:
            if r >= k:
                continue
            d = jump if (first and jump and r) else dt
            first = False
            evs += [T.ev(T.GoUnblock, d, g, 2 * r + 1, 0), T.ev(T.GoStart, dt, g, 2 * r + 2)]
            if region is not None:
                rn = region(g, r)
                if rn:
                    evs.append(T.ev(T.UserRegionBegin, dt, 0, rn, 0))
                    if log:
                        kk, vv = log(g, r)
                        evs.append(T.ev(T.UserLog, dt, 0, kk, vv, 0))
                    if not (g in open_last and r == k - 1):
                        evs.append(T.ev(UserRegionEnd, dt, 0, rn, 0))
            evs.append(T.ev(T.GoBlock, dt, 1, 0))
    return evs


def strings_wide_block(nblk=4, ng=200):
    strs = [(1, b"select")]
    sid = 2
    for blk in range(nblk):
        for i in range(64):
            if blk >= 2 and i % 5 == 4:
                s = b"s%d" % sid
            else:
                s = ((b"%06d-" % sid) * 171)[:1024]  # the longest string Go allows
            strs.append((sid, s)); sid += 1
    names = [i for i, _ in strs[1:]]
    gs = [(g, 2) for g in range(2, 2 + ng)]
    evs = cycles(gs, region=lambda g, r: names[(g * 7 + r) % len(names)],
                 log=lambda g, r: (names[(g + r) % len(names)], names[(g * 3) % len(names)]))
    return trace(evs, strs)


def stw_names_wide():
    strs = [(1, b"select")] + [(2 + i, ((b"%05d/" % i) * 200)[:1024]) for i in range(200)]
    evs = [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, 7, 2)]
    for r in range(2):
        for i in range(200):
            evs += [T.ev(26, 1, 2 + i, 0), T.ev(27, 1)]  # STWBegin kind, STWEnd
    evs.append(T.ev(T.GoBlock, 1, 1, 0))
    return trace(evs, strs)


def strings_many_grow(n=300000):
    strs = [(1, b"select")] + [(2 + 3 * i, b"k%x" % (i * 2654435761 % (1 << 32))) for i in range(n)]
    ids = [i for i, _ in strs[1:]]
    gs = [(g, 1) for g in range(2, 2 + 2000)]
    evs = cycles(gs, region=lambda g, r: ids[(g * 131) % len(ids)],
                 log=lambda g, r: (ids[(g * 17) % len(ids)], ids[-1 - g]))
    return trace(evs, strs)


def strings_dup_content():
    strs = [(1, b"select")] + [(i, b"same") for i in range(2, 5000)] + [(2, b"other"), (3, b"")]
    gs = [(g, 3) for g in range(2, 300)]
    evs = cycles(gs, region=lambda g, r: 2 + (g % 4000), log=lambda g, r: (2, 3))
    return trace(evs, strs)


def regions_70k(late=False, n=70000):
    strs = [(1, b"select"), (2, b"region"), (3, b"key"), (4, b"value")]
    gs = [(g, 1) for g in range(2, 2 + n)]
    cut = 2 + 65540
    rg = (lambda g, r: 2 if g >= cut else 0) if late else (lambda g, r: 2)
    opn = {2, 3, n, n + 1}
    evs = cycles(gs, region=rg, log=lambda g, r: (3, 4), open_last=opn)
    return trace(evs, strs)


def spans_k(jump=None):
    ks = [1, 2, 3, 7, 8, 9, 10, 16, 17, 1, 2, 9, 8, 3]
    gs = [(2 + i, ks[i % len(ks)]) for i in range(140)]
    strs = [(1, b"select"), (2, b"r")]
    evs = cycles(gs, region=lambda g, r: 2 if (g + r) % 3 == 0 else 0, jump=jump)
    return trace(evs, strs)


def metrics_backwards():
    strs = [(1, b"select")]
    out = T.header(26) + T.sync_batch(1)
    rnd = random.Random(5)
    # M 7: running goroutine 1 on P 0; batch times going back
    for m, t0 in ((7, 5000), (7, 300), (8, 4000), (9, 200), (8, 100)):
        evs = []
        if m == 7 and t0 == 5000:
            evs += [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, 7, 2)]
        for i in range(400):
            v = rnd.choice([0, 1, (1 << 64) - 1, (1 << 63), rnd.getrandbits(40)])
            typ = rnd.choice([HeapAlloc, HeapGoal, ProcsChange])
            dt = rnd.choice([0, 1, 1, 3, 1 << 54])
            if typ == ProcsChange:
                evs.append(T.ev(typ, dt, v & 0xffffffff, 0))
            else:
                evs.append(T.ev(typ, dt, v))
        out += T.batch(1, m, t0, b"".join(evs))
    out += T.batch(1, 7, 6000, T.ev(T.GoBlock, 1, 1, 0))
    return out + T.strings_batch(1, strs, 60) + b"\x34"


def metrics_interleaved():
    """3 Ms on 3 Ps writing metric events whose times interleave (the
    loader merges them: each series gets its points from all three)"""
    rnd = random.Random(6)
    out = T.header(26) + T.sync_batch(1)
    for k, m in enumerate((7, 8, 9)):
        evs = [T.ev(T.ProcStatus, 1, k, 1), T.ev(T.GoStatus, 1, 1 + k, m, 2)]
        for i in range(3000):
            typ = rnd.choice([HeapAlloc, HeapGoal, ProcsChange])
            dt = rnd.choice([1, 2, 3, 5, 1 << 40 if i % 997 == 0 else 1])
            v = rnd.choice([0, 1, (1 << 64) - 1, 1 << 63, rnd.getrandbits(40)])
            evs.append(T.ev(typ, dt, v & 0xffffffff, 0) if typ == ProcsChange else T.ev(typ, dt, v))
        evs.append(T.ev(T.GoBlock, 1, 1, 0))
        out += T.batch(1, m, 102 + k, b"".join(evs))
    return out + T.strings_batch(1, [(1, b"select")], 60) + b"\x34"


def metrics_many(n=300000):
    evs = [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, 7, 2)]
    for i in range(n):
        v = (1 << 62) + i if i % 2 else i
        evs.append(T.ev(HeapAlloc if i % 3 else HeapGoal, 1, v))
        if i % 1000 == 0:
            evs.append(T.ev(ProcsChange, 1, 1 + i % 7, 0))
    evs.append(T.ev(T.GoBlock, 1, 1, 0))
    return trace(evs, [(1, b"select")])


def mix(rnd):
    nstr = rnd.choice([10, 64, 65, 130, 2000])
    strs = [(1, b"select")]
    for i in range(nstr):
        ln = rnd.choice([0, 1, 5, 1000, 1024, 1023])
        strs.append((2 + i, (b"%d:" % i + bytes(rnd.randrange(32, 127) for _ in range(16)) * 64)[:ln]))
    ng = rnd.choice([3, 50, 500, 66000 if rnd.random() < 0.2 else 700])
    gs = [(2 + g if rnd.random() < 0.5 else 2 + ng - g, rnd.choice([1, 2, 3, 8, 9, 17])) for g in range(ng)]
    seen, gs2 = set(), []
    for g, k in gs:
        if g not in seen:
            seen.add(g); gs2.append((g, k))
    ids = [i for i, _ in strs]
    evs = cycles(gs2, region=lambda g, r: rnd.choice(ids) if rnd.random() < 0.5 else 0,
                 log=lambda g, r: (rnd.choice(ids), rnd.choice(ids)),
                 dt=rnd.choice([1, 3]), jump=rnd.choice([None, 1 << 30, 1 << 54]),
                 open_last=set(g for g, _ in gs2[:3]))
    # metric events sprinkled in
    out = []
    for e in evs:
        out.append(e)
        if rnd.random() < 0.05:
            out.append(T.ev(rnd.choice([HeapAlloc, HeapGoal]), rnd.choice([0, 1, 1 << 40]), rnd.getrandbits(64)))
    return trace(out, strs)


def main():
    d = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.makedirs(d, exist_ok=True)
    cases = {
        "strings-wide-block": strings_wide_block,
        "strings-wide-2": lambda: strings_wide_block(2, 20),
        "stw-names-wide": stw_names_wide,
        "strings-many-grow": strings_many_grow,
        "strings-dup-content": strings_dup_content,
        "regions-70k": regions_70k,
        "regions-70k-late": lambda: regions_70k(late=True),
        "spans-k": spans_k,
        "spans-k-jump": lambda: spans_k(jump=1 << 54),
        "metrics-backwards": metrics_backwards,
        "metrics-many": metrics_many,
        "metrics-interleaved": metrics_interleaved,
    }
    rnd = random.Random(seed)
    for i in range(6):
        cases["mix-%d-%d" % (seed, i)] = (lambda r=random.Random(rnd.random()): mix(r))
    for k, f in cases.items():
        v = f()
        open(os.path.join(d, k + ".trace"), "wb").write(v)
        print(k, len(v))


main()

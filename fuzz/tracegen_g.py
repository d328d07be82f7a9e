#!/usr/bin/env python3
"""Hostile traces for campaign G (compact span records, escape tables, page
release while loading, string table):

    fuzz/tracegen_g.py DIR [SEED]

  time-back-batches   two Ms whose batches start earlier than the previous
                      one's events (times go backwards between batches)
  time-back-gens      generations whose sync/batch times go backwards
  jump-2p32           goroutine and P spans longer than 2^32 ns (escapes)
  jump-2p60           event deltas of ~2^54 ticks (> 2^60 ns at 64 ns/tick)
  mixed-escapes       one goroutine lane alternating short spans and spans
                      > 2^32 ns (escape table entries between compact ones)
  mixed-escapes-big   the same with 250,000 spans (> 2 MiB: mapped, pages released)
  p-lane-many         one P started/stopped 200,000 times (a P lane with many
                      spans, some long)
  gens-mixed          30 generations of mixed-escapes lanes, times going back
                      every third generation (3 MB: cut it)
  strings-huge-ids    string ids near 2^63 and 2^64-2
  strings-many        150,000 distinct strings (used as log keys/values)
  rand-N              random mixes of the above knobs (SEED)
Big ones (> 2 MiB) go through the mapped path with page release; cut them
at random offsets to test truncated generations.
"""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracegen as T

ProcStart, ProcStop = 10, 11
NONE = T.NONE

def gen_batches(gen, m, t0, evs, chunk=60000):
    out, cur, t = bytearray(), bytearray(), t0
    for e in evs:
        cur += e
        if len(cur) > chunk:
            out += T.batch(gen, m, t, bytes(cur)); t += 1; cur = bytearray()
    if cur:
        out += T.batch(gen, m, t, bytes(cur))
    return bytes(out)

def head(g=1):
    return [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, g, 7, 2)]

def lane(dts, g=1, seq0=0):
    """goroutine g (running) blocks; then for each (run, wait): unblocked after
    wait ticks, runs run ticks, blocks"""
    evs = [T.ev(T.GoBlock, 1, 1, 0)]
    seq = seq0
    for run, wait in dts:
        evs += [T.ev(T.GoUnblock, wait, g, seq + 1, 0), T.ev(T.GoStart, 1, g, seq + 2),
                T.ev(T.GoBlock, run, 1, 0)]
        seq += 2
    return evs

def trace1(evs, strs=((1, b"select"),), sync=100, t0=102, m=7):
    return T.header(26) + T.sync_batch(1, time=sync) + gen_batches(1, m, t0, evs) \
        + T.strings_batch(1, list(strs), t0 + 1) + b"\x34"

def time_back_batches():
    # M 7: goroutine 1 lane; M 8: goroutine 2 lane whose batch starts before M7's events
    a = head(1) + lane([(5, 5)] * 50)
    b = [T.ev(T.ProcStatus, 1, 1, 1), T.ev(T.GoStatus, 1, 2, 8, 2)] + lane([(3, 7)] * 50, g=2)
    return T.header(26) + T.sync_batch(1, time=100) + T.batch(1, 7, 5000, b"".join(a)) \
        + T.batch(1, 8, 101, b"".join(b)) + T.strings_batch(1, [(1, b"select")], 50) + b"\x34"

def time_back_gens():
    out = bytearray(T.header(26))
    t = 1 << 40
    for gen in range(1, 6):
        evs = [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, NONE, 4)] + \
              [T.ev(T.GoUnblock, 1, 1, 1, 0), T.ev(T.GoStart, 1, 1, 2), T.ev(T.GoBlock, 1 << 20, 1, 0)]
        out += T.sync_batch(gen, time=t) + T.batch(gen, 7, t + 2, b"".join(evs)) \
            + T.strings_batch(gen, [(1, b"select")], t + 3) + b"\x34"
        t = t - (1 << 36) if gen % 2 else t + (1 << 38)
    return bytes(out)

def jump(bits):
    big = 1 << bits
    evs = head(1) + lane([(big, 3), (2, big), (big, big), (1, 1)])
    return trace1(evs)

def mixed_escapes(n=40000, rng=None):
    rng = rng or random.Random(1)
    dts = []
    for i in range(n):
        if i % 37 == 0:
            dts.append(((1 << 27) + rng.randrange(1 << 30), rng.randrange(4)))   # > 2^32 ns
        elif i % 101 == 0:
            dts.append((rng.randrange(1 << 40), 1))
        else:
            dts.append((rng.randrange(1, 50), rng.randrange(1, 50)))
    return trace1(head(1) + lane(dts))

def p_lane_many(n=200000):
    evs = [T.ev(T.ProcStatus, 1, 0, 1)]
    seq = 0
    for i in range(n):
        d = (1 << 30) if i % 1000 == 999 else 3
        evs += [T.ev(ProcStop, d), T.ev(ProcStart, 2, 0, seq + 1)]
        seq += 1
    return trace1(evs)

def strings_huge_ids():
    ids = [(1 << 63) - 1, (1 << 64) - 2, 1 << 62, 1 << 32]
    strs = [(i, b"s%d" % k) for k, i in enumerate(ids)]
    evs = head(1) + [T.ev(T.UserTaskBegin, 1, 1, 0, ids[0], 0)] + \
        [T.ev(T.UserLog, 1, 1, ids[1], ids[2], 0), T.ev(T.UserLog, 1, 1, ids[3], ids[1], 0),
         T.ev(T.GoBlock, 1, ids[2], 0)]
    return trace1(evs, strs=strs)

def strings_many(n=150000):
    strs = [(i + 1, b"k%07d\x1b[31m" % i) for i in range(n)]
    evs = head(1) + [T.ev(T.UserTaskBegin, 1, 1, 0, 1, 0)]
    evs += [T.ev(T.UserLog, 1, 1, 1 + (i * 7919) % n, 1 + (i * 104729) % n, 0) for i in range(n // 2)]
    evs += [T.ev(T.GoBlock, 1, 1, 0)]
    out = T.header(26) + T.sync_batch(1) + gen_batches(1, 7, 102, evs)
    for k in range(0, n, 3000):
        out += T.strings_batch(1, strs[k:k + 3000], 50)
    return out + b"\x34"

def gens_mixed(ngen, nspan, rng):
    """ngen generations (> 2 MiB in all); in each, goroutine 1 runs short
    spans and spans > 2^32 ns; every third generation starts 2^36 ticks
    before the previous one ended (cut it to test truncated generations
    read through the mapped path with page release)"""
    out = bytearray(T.header(26))
    t = 1 << 40
    for gen in range(1, ngen + 1):
        dts = [((1 << 27) + rng.randrange(1 << 20), 1) if i % 29 == 0 else (rng.randrange(1, 40), 2)
               for i in range(nspan)]
        evs = [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, NONE, 4),
               T.ev(T.GoUnblock, 1, 1, 1, 0), T.ev(T.GoStart, 1, 1, 2)] + lane(dts, seq0=2)
        out += T.sync_batch(gen, time=t) + gen_batches(gen, 7, t + 2, evs) \
            + T.strings_batch(gen, [(1, b"select")], t + 3) + b"\x34"
        t += sum(a + b for a, b in dts) + 100
        if gen % 3 == 0:
            t -= 1 << 36
    return bytes(out)

def rand_case(rng):
    gens = rng.randint(1, 4)
    out = bytearray(T.header(26))
    t = rng.choice([100, 1 << 33, 1 << 55, (1 << 62) - 10])
    for gen in range(1, gens + 1):
        ng = rng.choice([1, 3, 20])
        evs = [T.ev(T.ProcStatus, 1, 0, 1)] + [T.ev(T.GoStatus, 1, g, NONE, 4) for g in range(1, ng + 1)]
        seq = [0] * (ng + 1)
        sid = rng.choice([1, 1 << 40, (1 << 64) - 2])
        for _ in range(rng.choice([10, 500, 5000])):
            g = rng.randint(1, ng)
            seq[g] += 2
            big = rng.random() < 0.1
            dt = rng.choice([1 << 26, 1 << 33, 1 << 54, (1 << 64) - 1]) if big else rng.randrange(1, 30)
            evs += [T.ev(T.GoUnblock, 1, g, seq[g] - 1, 0), T.ev(T.GoStart, dt, g, seq[g]), T.ev(T.GoBlock, rng.randrange(1, 9), sid, 0)]
        out += T.sync_batch(gen, time=t) + gen_batches(gen, 7, t + 2, evs) \
            + T.strings_batch(gen, [(sid, b"select")] + ([(2, b"x")] if sid != 2 else []), t + 3) + b"\x34"
        t = max(1, t + rng.choice([-(1 << 34), 1 << 20, 1 << 50, -5]))
    return bytes(out)

def main():
    d = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.makedirs(d, exist_ok=True)
    rng = random.Random(seed)
    cases = {
        "time-back-batches": time_back_batches(),
        "time-back-gens": time_back_gens(),
        "jump-2p32": jump(27),
        "jump-2p60": jump(54),
        "jump-2p63": jump(63),
        "mixed-escapes": mixed_escapes(rng=rng),
        "p-lane-many": p_lane_many(),
        "mixed-escapes-big": mixed_escapes(250000, rng=rng),
        "strings-huge-ids": strings_huge_ids(),
        "gens-mixed": gens_mixed(30, 6000, rng),
        "strings-many": strings_many(),
    }
    for i in range(12):
        cases["rand-%d" % i] = rand_case(rng)
    for k, v in cases.items():
        open(os.path.join(d, k + ".trace"), "wb").write(v)
        print(k, len(v))

main()

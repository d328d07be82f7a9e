#!/usr/bin/env python3
"""Large traces aimed at the model's compact paths (fuzz campaign E):

    fuzz/tracegen_new.py DIR

  glanes-70k        70,000 goroutines that each run and block (goroutine
                    lanes past 65535 while building: the 16-bit lane index
                    is widened in place)
  glanes-70k-desc   the same with goroutine ids seen in descending order
                    (the remap puts the first-seen lanes last)
  glanes-remap-wide 70,000 goroutines declared waiting, only the first 100
                    seen (the largest ids) run: spans only on builder lanes
                    < 65536 whose model lanes are > 65535
  glane-long        one goroutine that blocks and runs 200,000 times (a
                    lane with a block index of span ends)
  glane-long-huge-t the same with times near 2^62
  logs-300          one goroutine with 300 user logs (> 256: the explorer
                    keeps their times in a compact cached array)
  logs-300-huge-dt  the same, the logs 2^50 ticks apart (times near the
                    int64 limit in ns)
  gens-rich         300 generations, 40 goroutines each woken, run and
                    blocked in every one (a base for the preview path:
                    every prefix ends in a complete generation soon)
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracegen as T

def batches(gen, m, t0, evs):
    out, cur = bytearray(), bytearray()
    t = t0
    for e in evs:
        cur += e
        if len(cur) > 60000:
            out += T.batch(gen, m, t, bytes(cur)); t += 1; cur = bytearray()
    if cur:
        out += T.batch(gen, m, t, bytes(cur))
    return bytes(out)

def run_block(gs, tick=1):
    """each goroutine in gs (declared waiting) is woken, runs, blocks"""
    evs = []
    for g in gs:
        evs += [T.ev(T.GoUnblock, tick, g, 1, 0), T.ev(T.GoStart, tick, g, 2), T.ev(T.GoBlock, tick, 1, 0)]
    return evs

def many(n, desc=False, nrun=None):
    ids = list(range(2, n + 2))
    if desc:
        ids.reverse()
    evs = [T.ev(T.ProcStatus, 1, 0, 1)]
    evs += [T.ev(T.GoStatus, 1, g, T.NONE, 4) for g in ids]
    evs += run_block(ids if nrun is None else ids[:nrun])
    return T.header(26) + T.sync_batch(1) + batches(1, 7, 102, evs) \
        + T.strings_batch(1, [(1, b"select")], 50) + b"\x34"

def long_lane(n, t0=102, sync=100):
    evs = [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, 7, 2), T.ev(T.GoBlock, 1, 1, 0)]
    seq = 0
    for i in range(n):
        evs += [T.ev(T.GoUnblock, 1, 1, seq + 1, 0), T.ev(T.GoStart, 1, 1, seq + 2), T.ev(T.GoBlock, 1, 1, 0)]
        seq += 2
    return T.header(26) + T.sync_batch(1, time=sync) + batches(1, 7, t0, evs) \
        + T.strings_batch(1, [(1, b"select")], t0 + 8 * n) + b"\x34"

def gens_rich(ngen, ng):
    out = bytearray(T.header(26))
    t = 100
    for gen in range(1, ngen + 1):
        gs = list(range(2, ng + 2))
        evs = [T.ev(T.ProcStatus, 1, 0, 1)] + [T.ev(T.GoStatus, 1, g, T.NONE, 4) for g in gs]
        evs += run_block(gs)
        body = b"".join(evs)
        out += T.sync_batch(gen, time=t) + T.batch(gen, 7, t + 2, body) \
            + T.strings_batch(gen, [(1, b"select")], t + 3 * len(evs) + 9) + b"\x34"
        t += 3 * len(evs) + 20
    return bytes(out)

def logs(n, dt):
    evs = [T.ev(T.ProcStatus, 1, 0, 1), T.ev(T.GoStatus, 1, 1, 7, 2),
           T.ev(T.UserTaskBegin, 1, 1, 0, 1, 0)]
    evs += [T.ev(T.UserLog, dt, 1, 2, 3, 0) for _ in range(n)]
    evs += [T.ev(T.GoBlock, 1, 4, 0)]
    return T.header(26) + T.sync_batch(1) + batches(1, 7, 102, evs) \
        + T.strings_batch(1, [(1, b"task"), (2, b"key"), (3, b"value"), (4, b"select")], 50) + b"\x34"

def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    cases = {
        "glanes-70k": many(70000),
        "glanes-70k-desc": many(70000, desc=True),
        "glanes-remap-wide": many(70000, desc=True, nrun=100),
        "glane-long": long_lane(200000),
        "glane-long-huge-t": long_lane(200000, t0=1 << 62, sync=(1 << 62) - 2),
        "gens-rich": gens_rich(300, 40),
        "logs-300": logs(300, 3),
        "logs-300-huge-dt": logs(300, 1 << 50),
    }
    for k, v in cases.items():
        open(os.path.join(d, k + ".trace"), "wb").write(v)
        print(k, len(v))

main()

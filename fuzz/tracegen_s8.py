#!/usr/bin/env python3
"""Hostile Go 1.22+ traces for campaign S8 (fuzz/FINDINGS.md): the loader's
reworked hot path (loader/v2.c: varints decoded inline when an event is at
least 64 bytes before its batch's end, 2-4 byte varints in 32 bits, the root
cursor's loop with the M's g and p in registers, NoThread cursors one event
at a time), 8-byte goroutine span records with the waker in the site table,
checkpoints as 32-bit offsets per group of 32 (wide groups), and the
explorer's preview of the first events.

    fuzz/tracegen_s8.py DIR [SEED]         the cases below
    fuzz/tracegen_s8.py big DIR            the large ones (resource bounds)

A simulation of 2-3 Ms (with Ps) and optionally a NoThread stream keeps
goroutine states and sequence numbers consistent across generations; each
M's events are cut into batches of random byte sizes (1 to 160 bytes, some
of 5000), so events sit at every distance from their batch's end, and
varints are written non-minimally (padded with 0x80 bytes up to 10 bytes,
as Go's reader accepts) with some probability.

  walk-N           3 Ms, 40 goroutines, 6 generations, random block /
                   unblock / start / stop, padded varints, batch cuts
  nothread-N       the same with GoUnblock and GoStatus events in NoThread
                   batches interleaved in time with the Ms' events
  jumps-N          the walk with time jumps of 2^27-2^33 ticks (cumulative
                   state times pass 2^32 ns inside checkpoint groups: wide
                   groups next to narrow ones)
  huge-ids-N       goroutine ids near 2^63 and 2^64-2, M ids near 2^64,
                   P ids 2^40; ids reused after GoDestroy
  wakers-N         one goroutine blocked and woken N times, each time by
                   another goroutine of a pool (distinct sites), distinct
                   stacks, some wakers with ids past 2^31 (other = -1)
  ckgroups         2000 goroutines with 31-97 spans each (lane edges inside
                   checkpoint groups), durations alternating 1 tick and
                   2^26-2^28 ticks
  bad-ovf-K        the walk with a 10-byte overflowing varint at event K
                   (its timestamp for odd K, its last argument for even K;
                   at every distance from a batch end over the K values)
  bad-trunc-K      a batch's declared size 1-9 bytes short (an event's last
                   varint runs past the batch)
  big: wakers-1m (1,000,000 cycles, 1,000,000 distinct wakers), spans-2m
       (one goroutine with 2,000,000 spans, 1000 wakers x 64 stacks),
       nothread-big (200,000 NoThread unblocks)
"""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracegen as T

NONE = T.NONE
ProcStatus, GoStatus, GoBlock, GoUnblock, GoStart, GoStop = 13, 25, 20, 21, 16, 19
GoCreate, GoDestroy = 14, 17


def uvp(x, n):
    """x as a LEB128 of exactly n bytes (n >= its minimal length, <= 10)"""
    out = bytearray()
    for i in range(n - 1):
        out.append((x & 0x7F) | 0x80)
        x >>= 7
    out.append(x & 0x7F)
    assert x < 0x80
    return bytes(out)


def minlen(x):
    return len(T.uv(x))


class Enc:
    def __init__(self, rng, pad):
        self.rng, self.pad = rng, pad

    def v(self, x):
        if self.pad and self.rng.random() < self.pad:
            return uvp(x, self.rng.randint(minlen(x), 10))
        return T.uv(x)

    def ev(self, typ, dt, *args):
        return bytes([typ]) + self.v(dt) + b"".join(self.v(a) for a in args)


def cut_batches(rng, gen, m, evs, big=False):
    """evs: [(time_ticks, typ, args)] in time order, one M: batches of random
    byte sizes; each batch's time is its first event's time (dt 0)"""
    out = bytearray()
    i = 0
    while i < len(evs):
        lim = rng.choice([rng.randint(1, 70), rng.randint(50, 160), 5000]) if not big else 60000
        t0 = evs[i][0]
        last = t0
        cur = bytearray()
        while i < len(evs) and (not cur or len(cur) < lim):
            t, enc = evs[i]
            cur += enc(t - last)
            last = t
            i += 1
        out += T.batch(gen, m, t0, bytes(cur))
    return bytes(out)


class Sim:
    def __init__(self, rng, nm=3, ng=40, gids=None, mids=None, pids=None, nothread=False,
                 pad=0.3, jumps=False, reuse=False, nstacks=50):
        self.rng, self.nothread, self.jumps, self.reuse = rng, nothread, jumps, reuse
        self.enc = Enc(rng, pad)
        self.mids = mids or [7 + i for i in range(nm)]
        self.pids = pids or list(range(len(self.mids)))
        self.gids = list(gids or range(1, ng + 1))
        self.st = {g: 1 for g in self.gids}   # 1 runnable 2 running 4 waiting
        self.seq = {g: 0 for g in self.gids}
        self.run = {m: None for m in self.mids}  # M -> running g
        self.t = 1000
        self.nstacks = nstacks
        self.dead = []

    def dt(self):
        r = self.rng.random()
        if self.jumps and r < 0.02:
            return self.rng.choice([1 << 27, (1 << 27) + 5, 1 << 30, 1 << 33])
        return self.rng.choice([1, 1, 1, 2, 3, 17, 200, 5000])

    def gen(self, gen, nev):
        rng, E = self.rng, self.enc
        per = {m: [] for m in self.mids}
        per[NONE] = []
        t = self.t
        # statuses first: Ps, running goroutines on their M, others anywhere
        for m, p in zip(self.mids, self.pids):
            per[m].append((t, lambda d, p=p: E.ev(ProcStatus, d, p, 1)))
            g = self.run[m]
            if g is not None:
                self.seq[g] = 0
                per[m].append((t, lambda d, g=g, m=m: E.ev(GoStatus, d, g, m, 2)))
        where = NONE if self.nothread else self.mids[0]
        for g in self.gids:
            if self.st[g] != 2:
                self.seq[g] = 0
                per[where].append((t, lambda d, g=g, s=self.st[g]: E.ev(GoStatus, d, g, NONE, s)))
        for _ in range(nev):
            t += self.dt()
            ms = self.mids + ([NONE] if self.nothread else [])
            m = rng.choice(ms)
            if m == NONE:
                w = [g for g in self.gids if self.st[g] == 4]
                if not w:
                    continue
                g = rng.choice(w)
                self.seq[g] += 1
                self.st[g] = 1
                per[NONE].append((t, lambda d, g=g, s=self.seq[g], k=rng.randrange(self.nstacks):
                                  E.ev(GoUnblock, d, g, s, k)))
                continue
            cur = self.run[m]
            if cur is None:
                r = [g for g in self.gids if self.st[g] == 1]
                if not r:
                    continue
                g = rng.choice(r)
                self.seq[g] += 1
                self.st[g] = 2
                self.run[m] = g
                per[m].append((t, lambda d, g=g, s=self.seq[g]: E.ev(GoStart, d, g, s)))
                continue
            x = rng.random()
            w = [g for g in self.gids if self.st[g] == 4]
            if x < 0.4 and w:
                g = rng.choice(w)
                self.seq[g] += 1
                self.st[g] = 1
                per[m].append((t, lambda d, g=g, s=self.seq[g], k=rng.randrange(self.nstacks):
                               E.ev(GoUnblock, d, g, s, k)))
            elif x < 0.75:
                self.st[cur] = 4
                self.run[m] = None
                per[m].append((t, lambda d, r=rng.randrange(1, 6), k=rng.randrange(self.nstacks):
                               E.ev(GoBlock, d, r, k)))
            elif x < 0.9 or not self.reuse:
                self.st[cur] = 1
                self.run[m] = None
                per[m].append((t, lambda d, r=rng.randrange(1, 6), k=rng.randrange(self.nstacks):
                               E.ev(GoStop, d, r, k)))
            else:
                # destroy the running goroutine; later create one with the same id
                self.run[m] = None
                del self.st[cur]
                self.gids.remove(cur)
                self.dead.append(cur)
                per[m].append((t, lambda d: E.ev(GoDestroy, d)))
                if len(self.dead) > 1 and rng.random() < 0.7:
                    # the current M has no goroutine now: create from another M's running g
                    ms2 = [mm for mm in self.mids if self.run[mm] is not None]
                    if ms2:
                        mm = rng.choice(ms2)
                        ng = self.dead.pop(0)
                        t += 1
                        self.gids.append(ng)
                        self.st[ng] = 1
                        self.seq[ng] = 0
                        per[mm].append((t, lambda d, g=ng, k=rng.randrange(self.nstacks):
                                        E.ev(GoCreate, d, g, k, k)))
        self.t = t + 10
        out = bytearray(T.sync_batch(gen, time=per_min(per, self.t)))
        for m in self.mids + [NONE]:
            if per[m]:
                out += cut_batches(rng, gen, m, per[m])
        out += T.stacks_batch(gen, [(k, [(0x1000 + k, 6 + k % 3, 9, k + 1), (0x2000, 6, 9, 1)])
                                    for k in range(1, self.nstacks)], self.t)
        out += T.strings_batch(gen, [(1, b"select"), (2, b"chan receive"), (3, b"sync.Mutex"),
                                     (4, b"sleep"), (5, b"GC assist"), (6, b"main.worker"),
                                     (7, b"main.main"), (8, b"runtime.gopark"), (9, b"/src/main.go")],
                                self.t)
        out += b"\x34"
        return bytes(out)


def per_min(per, t):
    ts = [e[0] for v in per.values() for e in v]
    return (min(ts) if ts else t) - 2


def walk(rng, ngen=6, nev=600, **kw):
    s = Sim(rng, **kw)
    out = bytearray(T.header(26))
    for g in range(1, ngen + 1):
        out += s.gen(g, nev)
    return bytes(out)


def wakers(n, npool=None, nstacks=None, huge_every=0, seed=1, batch_big=True):
    """G1 blocks and is woken n times, each time by waker w (pool of npool,
    default n: all distinct); the wakers are runnable, run, unblock G1,
    block; G1 starts and blocks again"""
    rng = random.Random(seed)
    npool = npool or n
    nstacks = nstacks or min(n, 4096)
    pool = []
    for i in range(npool):
        w = 2 + i
        if huge_every and i % huge_every == 0:
            w = (1 << 31) + i  # past int32: the span's other is -1
        pool.append(w)
    evs = []
    t = [1000]

    def add(typ, *args):
        t[0] += 1
        evs.append((t[0], lambda d, typ=typ, args=args: bytes([typ]) + T.uv(d) + b"".join(T.uv(a) for a in args)))
    add(ProcStatus, 0, 1)
    add(GoStatus, 1, 7, 2)
    for w in pool:
        add(GoStatus, w, NONE, 1)
    seq1 = 0
    wseq = {}
    for i in range(n):
        w = pool[i % npool]
        add(GoBlock, 1 + i % 5, 1 + i % nstacks)
        wseq[w] = wseq.get(w, 0) + 1
        add(GoStart, w, wseq[w])
        seq1 += 1
        add(GoUnblock, 1, seq1, 1 + (i * 7) % nstacks)
        if i + npool < n:  # the waker runs again later: it stops (runnable)
            add(GoStop, 1, 1 + i % nstacks)
        else:
            add(GoBlock, 2, 1 + i % nstacks)
        seq1 += 1
        add(GoStart, 1, seq1)
    out = bytearray(T.header(26))
    out += T.sync_batch(1, time=990)
    out += cut_batches(rng, 1, 7, evs, big=batch_big)
    out += T.stacks_batch(1, [(k, [(0x1000 + k, 6, 9, k)]) for k in range(1, nstacks + 1)], t[0])
    out += T.strings_batch(1, [(1, b"select"), (2, b"chan receive"), (3, b"sync.Mutex"), (4, b"sleep"),
                               (5, b"GC assist"), (6, b"main.f"), (9, b"/src/main.go")], t[0])
    out += b"\x34"
    return bytes(out)


def ckgroups(seed=3, ng=2000):
    rng = random.Random(seed)
    evs = []
    t = [1000]

    def add(dt, typ, *args):
        t[0] += dt
        evs.append((t[0], lambda d, typ=typ, args=args: bytes([typ]) + T.uv(d) + b"".join(T.uv(a) for a in args)))
    add(1, ProcStatus, 0, 1)
    add(1, GoStatus, 1, 7, 2)  # G1 the waker
    gs = list(range(2, ng + 2))
    for g in gs:
        add(0, GoStatus, g, NONE, 4)
    seq = {g: 0 for g in gs}
    s1 = 0
    for g in gs:
        k = rng.randint(31, 97)
        for j in range(k):
            long = rng.randint(1 << 26, 1 << 28) if j % 2 else 1
            seq[g] += 1
            add(1, GoUnblock, g, seq[g], 0)        # by G1
            add(1, GoBlock, 1, 0)                  # G1 waits
            seq[g] += 1
            add(long, GoStart, g, seq[g])
            add(rng.choice([1, long]), GoBlock, 2, 0)
            s1 += 1
            # G1 back: woken from NoThread? keep it simple: a NoThread unblock
            evs_nt.append((t[0] + 1, lambda d, s=s1: bytes([GoUnblock]) + T.uv(d) + T.uv(1) + T.uv(s) + T.uv(0)))
            t[0] += 1
            s1 += 1
            add(1, GoStart, 1, s1)
    out = bytearray(T.header(26))
    out += T.sync_batch(1, time=990)
    out += cut_batches(rng, 1, 7, evs, big=True)
    out += cut_batches(rng, 1, NONE, evs_nt, big=True)
    out += T.strings_batch(1, [(1, b"select"), (2, b"chan receive")], t[0])
    out += b"\x34"
    return bytes(out)


evs_nt = []


def bad_ovf(data_walk_seed, k):
    """the walk with its k-th event's first varint replaced by an overflowing
    10-byte one (same M, same batch cuts)"""
    rng = random.Random(data_walk_seed)
    s = Sim(rng, pad=0.2)
    orig = s.enc.ev
    cnt = [0]

    def ev(typ, dt, *args):
        cnt[0] += 1
        if cnt[0] == k and (k % 2 or not args):  # the timestamp
            return bytes([typ]) + b"\xff" * 9 + b"\x7f" + b"".join(T.uv(a) for a in args)
        if cnt[0] == k:  # the last argument
            return bytes([typ]) + T.uv(dt) + b"".join(T.uv(a) for a in args[:-1]) + b"\xff" * 9 + b"\x02"
        return orig(typ, dt, *args)
    s.enc.ev = ev
    out = bytearray(T.header(26))
    for g in range(1, 4):
        out += s.gen(g, 300)
    return bytes(out)


def bad_trunc(seed, short):
    """a walk whose second event batch declares `short` bytes fewer than it
    holds (its last event's varints run past the end)"""
    d = bytearray(walk(random.Random(seed), ngen=3, nev=300))
    # find the 2nd event batch header (0x01 gen m time size10)
    pos, found = 16, 0
    while pos < len(d):
        if d[pos] != 1:
            break
        p = pos + 1
        vals = []
        for _ in range(4):
            x, sh = 0, 0
            while True:
                b = d[p]; p += 1
                x |= (b & 0x7f) << sh; sh += 7
                if b < 0x80:
                    break
            vals.append(x)
        size_at = p - 10
        if vals[1] != NONE:
            found += 1
            if found == 2 and vals[3] > short:
                d[size_at:p] = T.uv(vals[3] - short, True)
                return bytes(d)
        pos = p + vals[3]
        if pos < len(d) and d[pos] == 0x34:
            pos += 1
    return bytes(d)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "big":
        out = sys.argv[2]
        os.makedirs(out, exist_ok=True)
        cases = {
            "wakers-1m": lambda: wakers(1_000_000, huge_every=1000),
            "spans-2m": lambda: wakers(2_000_000, npool=1000, nstacks=64),
            "nothread-big": lambda: walk(random.Random(9), ngen=4, nev=60000, nothread=True, pad=0.1),
        }
        for name, f in cases.items():
            open(os.path.join(out, name + ".trace"), "wb").write(f())
        return
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.makedirs(out, exist_ok=True)
    cases = {}
    for i in range(4):
        s = seed * 100 + i
        cases["walk-%d" % s] = lambda s=s: walk(random.Random(s))
        cases["nothread-%d" % s] = lambda s=s: walk(random.Random(s), nothread=True)
        cases["jumps-%d" % s] = lambda s=s: walk(random.Random(s), jumps=True, nothread=(s % 2 == 0))
        cases["huge-ids-%d" % s] = lambda s=s: walk(
            random.Random(s), gids=[(1 << 63) - 3, (1 << 63) - 2, (1 << 64) - 2, (1 << 62), 1 << 31,
                                    (1 << 31) - 1, 0, 5, 6, 7, 8, 9],
            mids=[(1 << 64) - 2, 1 << 40, 0], pids=[1 << 40, 0, (1 << 32) + 1], reuse=True,
            nothread=(s % 2 == 1))
        cases["reuse-%d" % s] = lambda s=s: walk(random.Random(s), reuse=True, ng=12)
    cases["wakers-3000"] = lambda: wakers(3000, huge_every=7, seed=seed, batch_big=False)
    cases["wakers-40k"] = lambda: wakers(40000, huge_every=101, seed=seed)
    cases["wakers-pool-40k"] = lambda: wakers(40000, npool=300, nstacks=17, seed=seed)
    cases["ckgroups"] = lambda: ckgroups(seed)
    for k in (1, 2, 3, 7, 20, 41, 99, 150, 333, 500, 777):
        cases["bad-ovf-%d" % k] = lambda k=k: bad_ovf(seed, k)
    for sh in (1, 2, 3, 5, 9):
        cases["bad-trunc-%d" % sh] = lambda sh=sh: bad_trunc(seed, sh)
    for name, f in cases.items():
        evs_nt.clear()
        open(os.path.join(out, name + ".trace"), "wb").write(f())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Multi-generation traces that stress the v2 loader's per-generation
strings (b4e1aa5: with TT_SINK_LOG_TEXT, as `gotv dump` loads, a generation's
strings live in one of two per-generation stores and are interned into
tt_syms at first use as an id; log messages reach the sink as text). Campaign
S6 (fuzz/FINDINGS.md).

    fuzz/tracegen_s6.py DIR [SEED]          the cases below (small: seeds)
    fuzz/tracegen_s6.py mem DIR NGENS       the memory-bound case with NGENS
                                            generations (see mem-N)

  resend-same-len     one id per role re-sent every generation with another
                      text of the same length (and every 3rd generation the
                      same text again: the forward path), as log messages
  resend-other-len    the same with texts of other lengths (0..1024 bytes)
  ids-swap-roles      an id that is a region/task/label/category/STW name in
                      one generation is a log message in the next, and the
                      reverse; a log whose message id is a name used by other
                      events of the same generation; a frame func/file that
                      is also a log message
  ids-gaps            sparse ids (dense and map ranges: 1, 3, 1000, 100000,
                      2^40) over generations, names and messages
  ids-huge            ids 2^63, 2^64-1, 2^64-2 as names and messages
  gen-no-strings      generations without a strings batch / with an empty
                      one between generations with strings under the same
                      ids (the store two generations back is reused)
  dup-content         the same bytes under many ids in a generation, some
                      used as names, some as messages, alternating per
                      generation
  forward-chain       one text forwarded (never interned) over 6
                      generations, interned as a name in the 4th, then a
                      new text; plus entries whose content moved to another id
  region-cross-gen    a region begun in generation k and ended in k+1 under
                      another id with the same text (and one with another text:
                      an error in both modes)
  split-batches       a generation's strings in 5 batches, some before the
                      events, one empty
  bad-msg-gap         a log message id in a gap of the table (error, the
                      same offset in both modes) in generation 3
  bad-msg-prev-gen    a log message id defined only in the previous
                      generation (error)
  bad-dup-id          a string id defined twice in generation 2 (error)
  go123-*             the resend/ids-swap/gaps cases in Go 1.23's format (no
                      end-of-generation event: generations spill)
  trunc-*             cuts of resend-other-len and ids-swap-roles inside a
                      string batch of a middle and of the last generation
  mix-N               random generations: ids, lengths, roles (SEED)
  mem-N               N generations of 4000 distinct 64-byte strings each,
                      all used as log messages (fuzz/FINDINGS.md S6: peak RSS of
                      `gotv dump --count` must stay flat as N grows)
"""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracegen as T

NONE = T.NONE
GoLabel, TaskBegin, TaskEnd, RegionBegin, RegionEnd, UserLog = 39, 40, 41, 42, 43, 44
STWBegin, STWEnd = 26, 27


def uv(x):
    return T.uv(x)


class Gen:
    def __init__(self):
        self.strs = []    # (id, bytes), in table order
        self.body = []    # events while goroutine 1 runs
        self.stacks = []  # (id, [(pc, func, file, line)])
        self.reason = 0   # GoBlock reason string id
        self.nbatches = 1  # strings batches
        self.strings_first = False
        self.empty_batch = False
        self.no_strings = False


def log(task, key, msg, stk=0):
    return T.ev(UserLog, 1, task, key, msg, stk)


def region(name, end=False, task=0):
    return T.ev(RegionEnd if end else RegionBegin, 1, task, name, 0)


def build(gens, ver=26, t0=1000):
    """gens: list of Gen; goroutine 1 runs on P 0 / M 7 in each generation,
    blocks at its end; the next generation unblocks and starts it again"""
    out = bytearray(T.header(ver))
    t = t0
    for gi, g in enumerate(gens):
        gen = gi + 1
        if ver >= 25:
            out += T.sync_batch(gen, t)
        else:
            out += T.freq_batch(gen, t)
        evs = [T.ev(T.ProcStatus, 1, 0, 1)]
        if gi == 0:
            evs.append(T.ev(T.GoStatus, 1, 1, 7, 2))
        else:
            evs += [T.ev(T.GoStatus, 1, 1, NONE, 4), T.ev(T.GoUnblock, 1, 1, 1, 0),
                    T.ev(T.GoStart, 1, 1, 2)]
        evs += g.body
        evs.append(T.ev(T.GoBlock, 1, g.reason, 0))
        sb = bytearray()
        if not g.no_strings:
            k = max(1, g.nbatches)
            parts = [g.strs[i::k] for i in range(k)] if k > 1 else [g.strs]
            for p in parts:
                cur, size = [], 0  # batches hold at most 64 KiB
                for e in p:
                    if cur and size + len(e[1]) + 24 > 60000:
                        sb += T.strings_batch(gen, cur, t + 9)
                        cur, size = [], 0
                    cur.append(e)
                    size += len(e[1]) + 24
                sb += T.strings_batch(gen, cur, t + 9)
            if g.empty_batch:
                sb += T.strings_batch(gen, [], t + 9)
        eb, cur = bytearray(), bytearray()
        for e in evs:
            if len(cur) + len(e) > 60000:
                eb += T.batch(gen, 7, t + 2, bytes(cur))
                cur = bytearray()
            cur += e
        eb += T.batch(gen, 7, t + 2, bytes(cur))
        if g.strings_first:
            out += sb + eb
        else:
            out += eb
        if g.stacks:
            out += T.stacks_batch(gen, g.stacks, t + 8)
        if not g.strings_first:
            out += sb
        if ver >= 26:
            out += b"\x34"
        t += 10 + 2 * len(evs)
    return bytes(out)


def txt(gen, i, n, tag=b"m"):
    base = tag + b"%d.%d:" % (gen, i)
    s = (base * (n // max(1, len(base)) + 1))[:n]
    return s


def resend(same_len, ngen=8, nid=40):
    gens = []
    for gi in range(ngen):
        g = Gen()
        g.strs.append((1, b"cat"))
        for i in range(nid):
            sid = 2 + i
            if gi % 3 == 2:
                s = txt(gi - 1, i, 20 if same_len else (i * 37) % 1025)  # same as before
            elif same_len:
                s = txt(gi, i, 20)
            else:
                s = txt(gi, i, (i * 37 + gi * 101) % 1025)
            g.strs.append((sid, s))
        for i in range(nid):
            g.body.append(log(0, 1, 2 + (i * 7 + gi) % nid))
        gens.append(g)
    return gens


def ids_swap_roles(ngen=6):
    gens = []
    for gi in range(ngen):
        g = Gen()
        a, b = (10, 11) if gi % 2 == 0 else (11, 10)
        g.strs = [(1, b"select"), (a, b"name-%d" % gi), (b, b"msg-%d" % gi), (12, b"shared"),
                  (13, b"main.f"), (14, b"/src/f.go"), (15, b"msg-%d" % (gi - 1)),
                  (16, b"key")]
        g.reason = 1
        g.stacks = [(1, [(0x1000 + gi, 13, 14, 7)])]
        g.body = [region(a), log(0, 16, b), log(0, a, b, 1), region(a, end=True),
                  T.ev(GoLabel, 1, b), log(0, 12, 12), log(0, 16, 13), log(0, 16, 14),
                  T.ev(TaskBegin, 1, 5 + gi, NONE, 12, 0), log(5 + gi, 12, 15),
                  T.ev(TaskEnd, 1, 5 + gi, 1), T.ev(STWBegin, 1, a, 0), T.ev(STWEnd, 1),
                  log(0, b, a)]
        gens.append(g)
    return gens


def ids_gaps(ngen=5):
    ids = [1, 3, 1000, 100000, 1 << 40, 7, 5000]
    gens = []
    for gi in range(ngen):
        g = Gen()
        use = ids[: 3 + gi % 5]
        g.strs = [(i, b"gap%d-%d" % (gi if k % 2 else 0, i)) for k, i in enumerate(use)]
        g.reason = use[0]
        for k, i in enumerate(use):
            g.body += [log(0, use[(k + 1) % len(use)], i), region(i), region(i, end=True)]
        gens.append(g)
    return gens


def ids_huge(ngen=4):
    ids = [(1 << 63), (1 << 64) - 1, (1 << 64) - 2, 2]
    gens = []
    for gi in range(ngen):
        g = Gen()
        g.strs = [(i, b"huge%d-%d" % (gi % 2, k)) for k, i in enumerate(ids)]
        g.body = [log(0, ids[gi % 4], ids[(gi + 1) % 4]), region(ids[(gi + 2) % 4]),
                  log(0, ids[3], ids[gi % 4]), region(ids[(gi + 2) % 4], end=True)]
        gens.append(g)
    return gens


def gen_no_strings(ngen=7):
    gens = []
    for gi in range(ngen):
        g = Gen()
        if gi % 3 == 1:
            g.no_strings = gi % 2 == 1
            g.empty_batch = not g.no_strings
            g.body = [log(0, 0, 0), region(0), region(0, end=True)]
        else:
            g.strs = [(1, b"k"), (2, b"v%d" % (gi // 2)), (3, b"r")]
            g.body = [log(0, 1, 2), region(3), log(0, 3, 2), region(3, end=True), log(0, 2, 1)]
        gens.append(g)
    return gens


def dup_content(ngen=5):
    gens = []
    for gi in range(ngen):
        g = Gen()
        g.strs = [(i, b"same" if i % 3 else b"same!") for i in range(1, 300)]
        for i in range(1, 300, 7):
            if (i + gi) % 2:
                g.body.append(log(0, i, i + 1))
            else:
                g.body += [region(i), log(0, i + 2, i), region(i + 3 if i % 3 == 0 else i, end=True)]
        gens.append(g)
    return gens


def forward_chain(ngen=8):
    gens = []
    for gi in range(ngen):
        g = Gen()
        t = b"fwd" if gi < 6 else b"new"
        other = b"moved-%d" % (gi // 2)
        g.strs = [(1, b"c"), (2, t), (3 + gi % 2, other), (5, b"x" * (gi % 3))]
        g.body = [log(0, 1, 2), log(0, 1, 3 + gi % 2), log(0, 5, 5)]
        if gi == 3:
            g.body += [region(2), region(2, end=True)]
        if gi >= 4:
            g.body += [T.ev(GoLabel, 1, 2)]
        gens.append(g)
    return gens


def region_cross_gen(bad=False):
    g1, g2, g3 = Gen(), Gen(), Gen()
    g1.strs = [(1, b"R"), (2, b"m1")]
    g1.body = [region(1), log(0, 1, 2)]
    g2.strs = [(5, b"m2"), (6, b"R" if not bad else b"Q")]
    g2.body = [log(0, 6, 5), region(6, end=True)]
    g3.strs = [(1, b"m3")]
    g3.body = [log(0, 0, 1)]
    return [g1, g2, g3]


def split_batches(ngen=4):
    gens = []
    for gi in range(ngen):
        g = Gen()
        g.strs = [(i, b"s%d-%d" % (gi % 2, i) * (1 + i % 4)) for i in range(1, 60)]
        g.nbatches = 5
        g.strings_first = gi % 2 == 0
        g.empty_batch = gi == 1
        g.body = [log(0, i, 60 - i) for i in range(1, 60, 3)] + [region(9), region(9, end=True)]
        gens.append(g)
    return gens


def bad_msg_gap():
    gens = ids_gaps(4)
    gens[2].body.insert(1, log(0, gens[2].strs[0][0], 2))  # id 2: never defined
    return gens


def bad_msg_prev_gen():
    gens = resend(True, 4, 10)
    gens[2].body.insert(3, log(0, 1, 99))
    gens[1].strs.append((99, b"only in gen 2"))
    return gens


def bad_dup_id():
    gens = resend(False, 3, 10)
    gens[1].strs.append((5, b"again"))
    return gens


def mix(seed, ngen=None):
    r = random.Random(seed)
    ngen = ngen or r.randint(2, 9)
    pool = [1, 2, 3, 4, 5, 63, 64, 65, 200, 4000, 1 << 33, (1 << 64) - 1]
    gens = []
    for gi in range(ngen):
        g = Gen()
        ids = sorted(set(r.sample(pool, r.randint(0, len(pool)))))
        if r.random() < 0.15:
            ids = []
            g.no_strings = r.random() < 0.5
        for i in ids:
            n = r.choice([0, 1, 3, 8, 9, 16, 64, 1024, r.randint(0, 200)])
            g.strs.append((i, txt(r.choice([gi, gi - 1, 0]), r.choice([i % 5, 0]), n, b"x")))
        r.shuffle(g.strs)
        g.nbatches = r.choice([1, 1, 2, 3])
        g.strings_first = r.random() < 0.3
        defined = [0] + ids
        task = 1000 * gi
        for _ in range(r.randint(0, 40)):
            k = r.random()
            a, b = r.choice(defined), r.choice(defined)
            if k < 0.5:
                g.body.append(log(task, a, b))
            elif k < 0.7:
                g.body += [region(a), log(task, b, a), region(a, end=True)]
            elif k < 0.8:
                g.body.append(T.ev(GoLabel, 1, a))
            elif k < 0.9:
                task += 1
                g.body.append(T.ev(TaskBegin, 1, task, NONE, a, 0))
            else:
                g.body += [T.ev(STWBegin, 1, a, 0), T.ev(STWEnd, 1)]
        g.reason = r.choice(defined)
        gens.append(g)
    return gens


def mem(ngen, per=4000, slen=64):
    gens = []
    for gi in range(ngen):
        g = Gen()
        g.strs = [(1, b"cat")] + [(2 + i, txt(gi, i, slen)) for i in range(per)]
        g.nbatches = 4
        g.body = [log(0, 1, 2 + i) for i in range(per)]
        gens.append(g)
    return gens


def bad_str_len(over):
    """the last string of generation 2's table claims `over` bytes more
    than its batch holds (a well-formed batch, a string cut inside it)"""
    gens = resend(False, 3, 6)
    d = bytearray(build(gens))
    strs = gens[1].strs
    payload = b"\x04" + b"".join(b"\x05" + uv(i) + uv(len(s)) + s for i, s in strs)
    i, n = strs[-1]
    bad = b"\x04" + b"".join(b"\x05" + uv(j) + uv(len(s)) + s for j, s in strs[:-1])
    bad += b"\x05" + uv(i) + uv(len(n) + over) + n
    k = d.find(payload)
    hdr_end = k
    # the batch header ends with the 10-byte padded size
    d[k - 10:k] = T.uv(len(bad), True)
    d[k:k + len(payload)] = bad
    return bytes(d)


def cuts(data, fracs):
    return [data[: int(len(data) * f)] for f in fracs]


def strings_cut_points(data, ngen_hint=None):
    """offsets inside each strings batch (0x04 after a batch header of m=NONE)"""
    pts = []
    i = data.find(b"\x04\x05")
    while i >= 0:
        pts.append(i + 5)
        i = data.find(b"\x04\x05", i + 1)
    return pts


def cases(seed):
    c = {
        "resend-same-len": build(resend(True)),
        "resend-other-len": build(resend(False)),
        "ids-swap-roles": build(ids_swap_roles()),
        "ids-gaps": build(ids_gaps()),
        "ids-huge": build(ids_huge()),
        "gen-no-strings": build(gen_no_strings()),
        "dup-content": build(dup_content()),
        "forward-chain": build(forward_chain()),
        "region-cross-gen": build(region_cross_gen()),
        "region-cross-gen-bad": build(region_cross_gen(True)),
        "split-batches": build(split_batches()),
        "bad-msg-gap": build(bad_msg_gap()),
        "bad-msg-prev-gen": build(bad_msg_prev_gen()),
        "bad-dup-id": build(bad_dup_id()),
        "bad-str-len-1": bad_str_len(1),
        "bad-str-len-huge": bad_str_len(1 << 40),
        "go123-resend": build(resend(False, 5, 20), ver=23),
        "go123-ids-swap-roles": build(ids_swap_roles(), ver=23),
        "go123-ids-gaps": build(ids_gaps(), ver=23),
        "go123-gen-no-strings": build(gen_no_strings(), ver=23),
    }
    for name in ("resend-other-len", "ids-swap-roles", "go123-resend", "split-batches"):
        d = c[name]
        pts = strings_cut_points(d)
        for k in sorted(set([0, len(pts) // 2, len(pts) - 1])):
            if pts:
                c["trunc-%s-s%d" % (name, k)] = d[: pts[k]]
    for k in range(12):
        c["mix-%d" % k] = build(mix(seed * 1000 + k), ver=26 if k % 3 else 23)
    return c


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "mem":
        d, n = sys.argv[2], int(sys.argv[3])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "mem-%d.trace" % n), "wb") as f:
            f.write(build(mem(n)))
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.makedirs(d, exist_ok=True)
    for name, data in cases(seed).items():
        with open(os.path.join(d, name + ".trace"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

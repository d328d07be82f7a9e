#!/usr/bin/env python3
"""Batch-level mutations of Go 1.22+ traces (session 13: the v2 loader's
merge heap padded with sentinels, the inline decoder's one-comparison guard
`p < c->fast` near a batch's end, advance returning done/queued).
    fuzz/v2mut.py OUTDIR SEED COUNT TRACE...
Splits each trace into its top-level records (EventBatch 0x01: gen, m, time,
size, payload; ExperimentalBatch 0x31 with its raw experiment byte;
EndOfGeneration 0x34) and applies 1-3 of: an event batch's payload split at
a random byte into two batches of the same M (events straddle the cut; the
decoder's guard then meets ends at every distance), a batch's size field
one byte short or long (the next record starts inside the payload), a
batch's time set near a wrap (0, 2^63-1, 2^63, 2^64-1, 2^64-1 - small,
another batch's time - 1), a batch at time 0 whose first event's dt
is 0 (time 0: the next event starts from the batch time again), two batches of a generation swapped, a batch
duplicated or dropped, its gen or m changed (to a neighbour's, 2^64-1), the
header's varints padded to 10 bytes, an EndOfGeneration inserted at a
boundary, the file cut at a batch boundary. Writes OUTDIR/NAME-SEED-I.trace;
the point is that gotv accepts exactly what Go accepts (fuzz/diff_go.sh).
"""
import os
import random
import sys

U64 = (1 << 64) - 1


def uv(b, i):
    x = s = 0
    while True:
        if i >= len(b):
            raise ValueError("truncated varint")
        c = b[i]
        i += 1
        x |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return x & U64, i


def enc(x, pad=False):
    out = bytearray()
    n = 0
    while True:
        c = x & 0x7F
        x >>= 7
        n += 1
        if x or (pad and n < 10):
            out.append(c | 0x80)
        else:
            out.append(c)
            return bytes(out)


def parse(b):
    hdr, i, recs = b[:16], 16, []
    while i < len(b):
        t = b[i]
        if t == 0x01 or t == 0x31:
            j = i + 1
            exp = None
            if t == 0x31:
                exp = b[j]
                j += 1
            gen, j = uv(b, j)
            m, j = uv(b, j)
            ts, j = uv(b, j)
            size, j = uv(b, j)
            if j + size > len(b):
                raise ValueError("truncated batch")
            recs.append({"t": t, "exp": exp, "gen": gen, "m": m, "ts": ts, "pl": b[j:j + size]})
            i = j + size
        elif t == 0x34:
            recs.append({"t": t})
            i += 1
        else:
            raise ValueError("unknown record %d at %d" % (t, i))
    return hdr, recs


def write(hdr, recs, pad):
    out = bytearray(hdr)
    for r in recs:
        out.append(r["t"])
        if r["t"] == 0x34:
            continue
        if r["t"] == 0x31:
            out.append(r["exp"])
        p = r.get("pad", pad)
        out += enc(r["gen"], p) + enc(r["m"], p) + enc(r["ts"], p)
        out += enc(len(r["pl"]) + r.get("dsize", 0), True)
        out += r["pl"]
    return bytes(out)


def events(recs):
    # ordinary event batches (not strings 0x00... classified by first byte)
    return [k for k, r in enumerate(recs) if r["t"] == 0x01 and len(r["pl"]) > 1
            and r["pl"][0] not in (0x00, 0x02, 0x03, 0x04, 0x08, 0x32)]


def mutate(rng, recs):
    ev = events(recs)
    what = rng.randrange(12)
    if not ev:
        what = 9
    k = rng.choice(ev) if ev else 0
    r = recs[k] if recs else None
    if what in (0, 1, 2):  # split a payload (most useful: weight 3)
        pl = r["pl"]
        cut = rng.randrange(1, len(pl))
        if rng.randrange(3) == 0:  # near the end: the decoder's guard
            cut = max(1, len(pl) - rng.randrange(1, 80))
        a = dict(r, pl=pl[:cut])
        c = dict(r, pl=pl[cut:])
        recs[k:k + 1] = [a, c]
        return "split@%d/%d" % (cut, len(pl))
    if what == 3:
        r["dsize"] = rng.choice((-1, 1))
        return "size%+d" % r["dsize"]
    if what == 4:
        other = recs[rng.choice(ev)]["ts"]
        r["ts"] = rng.choice((0, (1 << 63) - 1, 1 << 63, U64, U64 - rng.randrange(1, 1 << 20),
                              max(0, other - 1), r["ts"] + (1 << 62), (r["ts"] * 1000) & U64))
        return "time=%d" % r["ts"]
    if what == 5:
        j = rng.choice(ev)
        recs[k], recs[j] = recs[j], recs[k]
        return "swap %d %d" % (k, j)
    if what == 6:
        if rng.randrange(2):
            recs.insert(k, dict(r))
            return "dup %d" % k
        del recs[k]
        return "drop %d" % k
    if what == 7:
        if rng.randrange(2):
            r["gen"] = rng.choice((r["gen"] + 1, max(1, r["gen"] - 1), U64, 0))
            return "gen=%d" % r["gen"]
        r["m"] = rng.choice((recs[rng.choice(ev)]["m"], U64, r["m"] + 1))
        return "m=%d" % r["m"]
    if what == 11:  # the first event at time 0: the next one starts from the batch time
        pl = r["pl"]
        try:
            _, j = uv(pl, 1)
        except ValueError:
            return "dt0 (none)"
        r["pl"] = pl[:1] + b"\x00" + pl[j:]
        r["ts"] = 0
        return "dt0 %d" % k
    if what == 8:
        r["pad"] = True
        return "pad %d" % k
    if what == 9:
        j = rng.randrange(len(recs) + 1)
        recs.insert(j, {"t": 0x34})
        return "eog@%d" % j
    j = rng.randrange(1, len(recs)) if len(recs) > 1 else 1
    del recs[j:]
    return "cut@%d" % j


def main():
    out, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[4:]:
        b = open(path, "rb").read()
        try:
            hdr, recs0 = parse(b)
        except ValueError as e:
            print("skip %s: %s" % (path, e), file=sys.stderr)
            continue
        name = os.path.basename(path).rsplit(".", 1)[0]
        for i in range(count):
            rng = random.Random(seed * 1000003 + i * 7919 + sum(name.encode()) % 997)
            recs = [dict(r) for r in recs0]
            done = [mutate(rng, recs) for _ in range(1 + rng.randrange(3))]
            fn = os.path.join(out, "%s-%d-%d.trace" % (name, seed, i))
            open(fn, "wb").write(write(hdr, recs, False))
            print(fn, "; ".join(done))


if __name__ == "__main__":
    main()

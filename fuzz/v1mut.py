#!/usr/bin/env python3
"""Structure-aware mutations of old-format (Go 1.11-1.21) traces.

    fuzz/v1mut.py OUTDIR SEED COUNT TRACE...

Parses each trace into events (header byte type|nb<<6, nb+1 uvarints or a
length and the values; String and UserLog carry inline bytes), applies 1-4
mutations and writes it again with the runtime's framing: a value of an
event nudged (timestamp delta, goroutine id, sequence number, P of a batch,
CPU sample time/P/G), an event dropped or duplicated, two batches swapped,
a batch moved to the end, split in two, or its events moved into another
batch, a CPU sample copied into another batch, a cut at an event boundary.
Most outputs still load; the point is the merge (order, done bitmaps,
CPU samples done with twice) and the release behind it.
"""
import random
import sys

BATCH, STACK, STRING, LOG, CPU = 1, 3, 37, 48, 49


def uv(b, i):
    x = s = 0
    while True:
        c = b[i]
        i += 1
        x |= (c & 0x7f) << s
        s += 7
        if c < 0x80:
            return x, i


def put(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while v >= 0x80:
        out.append(v & 0x7f | 0x80)
        v >>= 7
    out.append(v)
    return out


def parse(d):
    evs, i = [], 16
    while i < len(d):
        h = d[i]
        i += 1
        t, nb = h & 0x3f, h >> 6
        args = []
        if nb < 3:
            for _ in range(nb + 1):
                x, i = uv(d, i)
                args.append(x)
        else:
            n, i = uv(d, i)
            e = i + n
            while i < e:
                x, i = uv(d, i)
                args.append(x)
        extra = None
        if t in (STRING, LOG):
            n, i = uv(d, i)
            extra = bytes(d[i:i + n])
            i += n
        evs.append([t, args, extra])
    return evs


def write(hdr, evs):
    out = bytearray(hdr)
    for t, args, extra in evs:
        if len(args) >= 4 or t == STACK or len(args) == 0:
            body = bytearray()
            for a in args:
                body += put(a)
            out.append(t | 3 << 6)
            out += put(len(body)) + body
        else:
            out.append(t | (len(args) - 1) << 6)
            for a in args:
                out += put(a)
        if extra is not None:
            out += put(len(extra)) + extra
    return bytes(out)


def batches(evs):
    """[start, end) index ranges of the batches (events after a Batch)."""
    r, s = [], None
    for k, e in enumerate(evs):
        if e[0] == BATCH:
            if s is not None:
                r.append((s, k))
            s = k
        elif e[0] in (STRING, STACK, 2) and s is not None:
            r.append((s, k))
            s = None
    if s is not None:
        r.append((s, len(evs)))
    return r


def nudge(rng, v):
    k = rng.randrange(8)
    if k == 0:
        return 0
    if k == 1:
        return v + 1
    if k == 2:
        return max(0, v - 1)
    if k == 3:
        return v + rng.randrange(1, 1000)
    if k == 4:
        return (1 << 64) - 1
    if k == 5:
        return rng.choice([1 << 31, (1 << 31) - 1, 1 << 32, 1 << 40, 1 << 62])
    if k == 6:
        return v * 2
    return rng.randrange(0, 64)


def mutate(rng, evs):
    br = batches(evs)
    timed = [k for k, e in enumerate(evs) if e[0] not in (BATCH, STACK, STRING, 2) and e[1]]
    k = rng.randrange(10)
    if k <= 2 and timed:  # a value
        e = evs[rng.choice(timed)]
        j = rng.randrange(len(e[1]))
        e[1][j] = nudge(rng, e[1][j])
    elif k == 3 and br:  # the P or time of a batch
        s, _ = rng.choice(br)
        j = rng.randrange(2)
        evs[s][1][j] = nudge(rng, evs[s][1][j])
    elif k == 4 and timed:  # drop / duplicate an event
        x = rng.choice(timed)
        if rng.randrange(2):
            del evs[x]
        else:
            evs.insert(x, [evs[x][0], list(evs[x][1]), evs[x][2]])
    elif k == 5 and len(br) > 1:  # swap two batches
        a, b = sorted(rng.sample(br, 2))
        evs[:] = evs[:a[0]] + evs[b[0]:b[1]] + evs[a[1]:b[0]] + evs[a[0]:a[1]] + evs[b[1]:]
    elif k == 6 and br:  # a batch to the end of the batches
        s, e = rng.choice(br)
        last = br[-1][1]
        if e < last:
            evs[:] = evs[:s] + evs[e:last] + evs[s:e] + evs[last:]
    elif k == 7 and br:  # split a batch
        s, e = rng.choice(br)
        if e - s > 2:
            m = rng.randrange(s + 1, e)
            evs.insert(m, [BATCH, list(evs[s][1]), None])
    elif k == 8 and br:  # CPU sample copied into another batch
        cpus = [x for x, e in enumerate(evs) if e[0] == CPU]
        s, e = rng.choice(br)
        if cpus:
            c = evs[rng.choice(cpus)]
            n = [CPU, list(c[1]), None]
            if len(n[1]) > 1 and rng.randrange(2):
                n[1][1] = nudge(rng, n[1][1])
            evs.insert(rng.randrange(s + 1, e + 1), n)
        elif timed:  # a new sample at a random time
            t = rng.randrange(0, 1 << 20)
            evs.insert(rng.randrange(s + 1, e + 1), [CPU, [0, t, rng.randrange(4), 1, 1], None])
    else:  # cut at an event boundary
        if len(evs) > 4 and rng.randrange(3) == 0:
            del evs[rng.randrange(len(evs) // 2, len(evs)):]


def main():
    out, seed, count, traces = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    src = []
    for t in traces:
        d = open(t, 'rb').read()
        try:
            src.append((t, d[:16], parse(d)))
        except IndexError:
            pass
    for n in range(count):
        t, hdr, evs = rng.choice(src)
        evs = [[e[0], list(e[1]), e[2]] for e in evs]
        for _ in range(rng.randint(1, 4)):
            mutate(rng, evs)
        name = t.rsplit('/', 1)[-1].replace('.trace', '')
        open(f'{out}/m{seed}-{n}-{name}.trace', 'wb').write(write(hdr, evs))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Hostile inputs for the explorer's preview path (tui/ui_load.c).

    fuzz/preview_check.py GOTV N [SEED] [TRACE...]

For N rounds: take a Go 1.22+ trace (default: samples/traces/*.trace that are
not go119), make a variant (cut at a random offset, bytes flipped after or
before a random preview size, a chunk duplicated or dropped, two traces
spliced), and run `GOTV_PREVIEW_BYTES=P GOTV --bench --size 200x60 VARIANT`
(preview of the first P bytes, with GOTV_PREVIEW_EVENTS=K of its first
events, K random, 0 = all, background load of the whole, swap, 300
key+redraw steps). GOTV should be an ASan/UBSan build. A failure is a
sanitizer report, a signal, an exit status other than 0/1, or more than
20 s; the variant is kept in build-fuzz/preview-fail/ and printed.
Last line: "N runs, N failures".
"""
import glob, os, random, subprocess, sys, time

def main():
    if len(sys.argv) < 3:
        print(__doc__); sys.exit(2)
    gotv, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
    traces = sys.argv[4:] or [t for t in sorted(glob.glob('samples/traces/*.trace'))
                              if 'go119' not in t and os.path.getsize(t) < 2_000_000]
    rng = random.Random(seed)
    datas = {t: open(t, 'rb').read() for t in traces}
    outdir = 'build-fuzz/preview-fail'
    os.makedirs(outdir, exist_ok=True)
    tmp = 'build-fuzz/preview-cur.trace'
    fails = 0
    env = dict(os.environ)
    env['ASAN_OPTIONS'] = 'detect_leaks=1:allocator_may_return_null=1'
    env['UBSAN_OPTIONS'] = 'halt_on_error=1:print_stacktrace=1'
    for r in range(n):
        t = rng.choice(traces)
        d = bytearray(datas[t])
        L = len(d)
        p = rng.randint(17, max(18, L - 1))
        kind = rng.choice(['cut', 'flip-after', 'flip-any', 'dup', 'drop', 'splice', 'cut-flip'])
        if kind in ('cut', 'cut-flip'):
            c = rng.randint(p + 1, L) if p + 1 < L else L
            d = d[:c]
        if kind in ('flip-after', 'cut-flip') and len(d) > p + 1:
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(p, len(d))
                d[i] = rng.randrange(256)
        if kind == 'flip-any':
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(16, len(d))
                d[i] ^= 1 << rng.randrange(8)
        if kind == 'dup':
            a = rng.randrange(16, L); b = min(L, a + rng.randint(1, 4096))
            d = d[:b] + d[a:b] + d[b:]
        if kind == 'drop':
            a = rng.randrange(p, L) if p < L else L - 1; b = min(L, a + rng.randint(1, 4096))
            d = d[:a] + d[b:]
        if kind == 'splice':
            o = datas[rng.choice(traces)]
            d = d[:p] + o[rng.randrange(16, len(o)):]
        if p >= len(d):
            p = max(17, len(d) - 1)
        open(tmp, 'wb').write(d)
        env['GOTV_PREVIEW_BYTES'] = str(p)
        # the preview keeps its first k events (ui_preview_events; 0: all)
        ev = rng.choice([0, 1, 2, rng.randint(3, 300), rng.randint(300, 60000)])
        env['GOTV_PREVIEW_EVENTS'] = str(ev)
        t0 = time.time()
        try:
            pr = subprocess.run([gotv, '--bench', '--size', '200x60', tmp], env=env,
                                capture_output=True, timeout=20)
            rc, err = pr.returncode, pr.stderr.decode('utf-8', 'replace')
        except subprocess.TimeoutExpired:
            rc, err = 'timeout', ''
        el = time.time() - t0
        bad = rc not in (0, 1) or 'Sanitizer' in err or 'runtime error' in err
        if bad:
            fails += 1
            name = '%s/%s-%s-p%d-%d.trace' % (outdir, os.path.basename(t)[:-6], kind, p, r)
            open(name, 'wb').write(d)
            print('FAIL %s rc=%s %.1fs GOTV_PREVIEW_BYTES=%d GOTV_PREVIEW_EVENTS=%d' % (name, rc, el, p, ev))
            for line in err.splitlines():
                if 'ERROR' in line or 'runtime error' in line or line.strip().startswith(('#0', '#1', '#2', '#3', '#4')):
                    print('   ', line)
            sys.stdout.flush()
    print('%d runs, %d failures (seed %d)' % (n, fails, seed))
    sys.exit(1 if fails else 0)

main()

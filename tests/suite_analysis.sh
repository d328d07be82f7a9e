#!/usr/bin/env bash
# Analysis oracle suite: on every samples/traces/*.trace that gotv can read,
#   * each blocking profile (gotv pprof net|sync|syscall|sched) against
#     `go tool trace -pprof=TYPE`: total delay within 0.5%, same total count,
#     and the same top stacks (function names) in the same order of delay;
#   * gotv stats counts (events, GC cycles, STW pauses, tasks, regions, logs)
#     against the events of `go tool trace -d=parsed`;
#   * the per-goroutine analysis (gotv goroutines --json) against the
#     goroutine pages of `go tool trace -http` (/goroutines and
#     /goroutine?name=...): every goroutine of every group, every column
#     (execution, sched wait, syscall execution, block time per reason,
#     unknown, total) and every special range time, to the nanosecond.
# Traces gotv cannot read yet are skipped (reported, not failed).
# Prints ok/FAIL per check and "N passed, N failed" last.
# Env: TRACES="a.trace b.trace" to choose traces; GOTV=path to the binary.
set -u
cd "$(dirname "$0")/.."
GOTV=${GOTV:-./gotv}
export BROWSER=/bin/true   # go tool trace -http must not open a browser
pass=0; fail=0; skip=0
tmp=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

if ! command -v go >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    echo "skip: go or python3 missing"
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -x "$GOTV" ]; then
    bad "gotv binary $GOTV not built"
    echo "$pass passed, $fail failed"
    exit 1
fi

# a private copy: other builds may relink ./gotv while the suite runs
cp "$GOTV" "$tmp/gotv" && GOTV="$tmp/gotv"

# ---- helpers (python) -------------------------------------------------------
cat >"$tmp/prof.py" <<'PY'
# Compare two pprof profiles (gzip or raw protobuf): prints a verdict line
# "ok <details>" or "FAIL <details>".
import gzip, sys

def varint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7f) << s; s += 7
        if c < 0x80: return v, i

def fields(b):
    i = 0
    while i < len(b):
        k, i = varint(b, i)
        f, wt = k >> 3, k & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        elif wt == 1:
            v = b[i:i + 8]; i += 8
        elif wt == 5:
            v = b[i:i + 4]; i += 4
        else:
            raise ValueError("wire type %d" % wt)
        yield f, wt, v

def packed(wt, v):
    if wt == 0: return [v]
    out, i = [], 0
    while i < len(v):
        x, i = varint(v, i); out.append(x)
    return out

def load(path):
    b = open(path, 'rb').read()
    if b[:2] == b'\x1f\x8b': b = gzip.decompress(b)
    strs, samples, locs, funcs, stypes = [], [], {}, {}, []
    for f, wt, v in fields(b):
        if f == 6: strs.append(v.decode('utf-8', 'replace'))
        elif f == 1:
            d = dict((ff, vv) for ff, _, vv in fields(v)); stypes.append((d.get(1, 0), d.get(2, 0)))
        elif f == 2:
            ls, vals = [], []
            for ff, w2, vv in fields(v):
                if ff == 1: ls += packed(w2, vv)
                elif ff == 2: vals += packed(w2, vv)
            samples.append((ls, vals))
        elif f == 4:
            lid, fid, line, addr = 0, 0, 0, 0
            for ff, w2, vv in fields(v):
                if ff == 1: lid = vv
                elif ff == 3: addr = vv
                elif ff == 4:
                    for f3, _, v3 in fields(vv):
                        if f3 == 1: fid = v3
                        elif f3 == 2: line = v3
            locs[lid] = (fid, line, addr)
        elif f == 5:
            d = dict((ff, vv) for ff, _, vv in fields(v)); funcs[d.get(1, 0)] = (d.get(2, 0), d.get(4, 0))
    st = [(strs[a], strs[u]) for a, u in stypes]
    agg = {}
    full = {}
    for ls, vals in samples:
        key = tuple(strs[funcs.get(locs.get(l, (0, 0, 0))[0], (0, 0))[0]] for l in ls)
        fk = tuple((strs[funcs.get(locs[l][0], (0, 0))[0]], strs[funcs.get(locs[l][0], (0, 0))[1]],
                    locs[l][1], locs[l][2]) for l in ls)
        c, d = full.get(fk, (0, 0))
        full[fk] = (c + vals[0], d + vals[1])
        c, d = agg.get(key, (0, 0))
        agg[key] = (c + vals[0], d + vals[1])
    return st, agg, full

sa, a, fa = load(sys.argv[1]); sb, b, fb = load(sys.argv[2])
ta = sum(d for _, d in a.values()); tb = sum(d for _, d in b.values())
ca = sum(c for c, _ in a.values()); cb = sum(c for c, _ in b.values())
msgs = []
if sa != sb: msgs.append("sample types %s vs %s" % (sa, sb))
if tb == 0:
    if ta != 0: msgs.append("total delay %d vs 0" % ta)
elif abs(ta - tb) > 0.005 * tb: msgs.append("total delay %d vs %d" % (ta, tb))
if ca != cb: msgs.append("total count %d vs %d" % (ca, cb))
def top(p):
    return [k for k, _ in sorted(p.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))[:5]]
if top(a) != top(b):
    msgs.append("top stacks differ: %s vs %s" % ([x[:2] for x in top(a)], [x[:2] for x in top(b)]))
exact = (a == b) and (fa == fb)  # per stack of (function, file, line, address)
if msgs: print("FAIL " + "; ".join(msgs))
else: print("ok delay=%d count=%d stacks=%d%s" % (ta, ca, len(a), ", every stack (func/file/line/pc) exact" if exact else " (per-stack values differ)"))
PY

cat >"$tmp/gor.py" <<'PY'
# Compare gotv goroutines --json with go tool trace's goroutine pages.
import html, json, re, sys, urllib.parse, urllib.request

base, jpath = sys.argv[1], sys.argv[2]
def get(path):
    with urllib.request.urlopen(base + path, timeout=120) as r:
        return r.read().decode('utf-8', 'replace')

UNITS = {'ns': 1, 'us': 1000, 'µs': 1000, 'μs': 1000, 'ms': 10**6, 's': 10**9, 'm': 60 * 10**9, 'h': 3600 * 10**9}
def dur(s):
    s = s.strip()
    if s in ('0s', '0', ''): return 0
    neg = s.startswith('-'); s = s.lstrip('-')
    total = 0
    for num, unit in re.findall(r'([0-9.]+)(ns|us|µs|μs|ms|s|m|h)', s):
        if '.' in num:
            ip, fp = num.split('.')
            scale = UNITS[unit]
            v = int(ip) * scale
            # exact decimal fraction
            v += (int(fp) * scale) // (10 ** len(fp))
        else:
            v = int(num) * UNITS[unit]
        total += v
    return -total if neg else total

doc = json.load(open(jpath))
mine = {g['id']: g for g in doc['goroutines']}
idx = get('/goroutines')
names = [urllib.parse.unquote(html.unescape(n)) for n in re.findall(r'<a href="/goroutine\?name=([^"]*)">', idx)]
seen = set(); problems = []; ncmp = 0
# groups: name, count, total execution time, in the page's order (exec desc)
grows = re.findall(r'<a href="/goroutine\?name=([^"]*)">[^<]*</a></code></td>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>', idx)
want_g = [(urllib.parse.unquote(html.unescape(n)), int(c), dur(html.unescape(e))) for n, c, e in grows]
have_g = [(g['function'], g['count'], g['execution_ns']) for g in doc.get('groups', [])]
if sorted(want_g) != sorted(have_g):
    problems.append('groups differ: %s' % sorted(set(want_g) ^ set(have_g))[:3])
elif [e for _, _, e in want_g] != [e for _, _, e in have_g]:
    problems.append('group order differs')
for name in names:
    page = get('/goroutine?name=' + urllib.parse.quote(name, safe=''))
    # breakdown table header
    heads = [html.unescape(h) for h in re.findall(r'<th class="link" onclick="[^"]*" style="[^"]*"> ([^<]*)</th>', page)]
    sec = page.split('id="ranges"')
    rows = re.findall(r'<tr>\s*<td> <a href="/trace\?goid=(\d+)">\d+</a> </td>\s*<td> ([^<]*) </td>\s*<td>.*?</td>(.*?)</tr>', sec[0], re.S)
    for gid, total, rest in rows:
        gid = int(gid); ncmp += 1; seen.add(gid)
        vals = [dur(html.unescape(v)) for v in re.findall(r'<td> ([^<]*)</td>', rest)]
        g = mine.get(gid)
        if g is None:
            problems.append('G%d missing in gotv' % gid); continue
        want = dict(zip(heads, vals)); want['Total'] = dur(total)
        have = {'Execution time': g['execution_ns'], 'Sched wait time': g['sched_wait_ns'],
                'Syscall execution time': g['syscall_ns'], 'Block time (syscall)': g['syscall_block_ns'],
                'Unknown time': g['unknown_ns'], 'Total': g['total_ns']}
        for r, ns in g['block_ns_by_reason'].items():
            have['Block time (' + r + ')'] = have.get('Block time (' + r + ')', 0) + ns
        fn = g['function'] if g['function'] else ''
        if fn != name:
            problems.append('G%d name %r vs %r' % (gid, fn, name))
        for k, v in want.items():
            if have.get(k, 0) != v:
                problems.append('G%d %s: gotv %d, go %d' % (gid, k, have.get(k, 0), v))
    # special ranges
    if len(sec) > 1:
        rh = [html.unescape(h) for h in re.findall(r'<th style="background-color: [^"]*;"> ([^<]*)</th>', sec[1])]
        rrows = re.findall(r'<tr>\s*<td> <a href="/trace\?goid=(\d+)">\d+</a> </td>\s*<td> ([^<]*) </td>(.*?)</tr>', sec[1], re.S)
        for gid, total, rest in rrows:
            gid = int(gid)
            vals = [dur(html.unescape(v)) for v in re.findall(r'<td> ([^<]*)</td>', rest)]
            g = mine.get(gid)
            if g is None: continue
            for k, v in zip(rh, vals):
                if g['range_ns'].get(k, 0) != v:
                    problems.append('G%d range %s: gotv %d, go %d' % (gid, k, g['range_ns'].get(k, 0), v))
extra = [gid for gid in mine if gid not in seen]
if extra: problems.append('%d goroutines only in gotv (e.g. G%s)' % (len(extra), extra[:3]))
if problems:
    print('FAIL %d goroutines compared; %d problems: %s' % (ncmp, len(problems), '; '.join(problems[:6])))
else:
    print('ok %d goroutines in %d groups (%d group rows checked), all columns exact' % (ncmp, len(names), len(want_g)))
PY

cat >"$tmp/stats.py" <<'PY'
# Compare gotv stats with counts taken from go tool trace -d=parsed.
import re, sys
st = open(sys.argv[1]).read(); parsed = open(sys.argv[2], errors='replace')
def num(label):
    m = re.search(r'^' + re.escape(label) + r':\s+(\d+)', st, re.M)
    return int(m.group(1)) if m else None
ev = gc = stw = logs = regions = 0; tasks = set(); depth = {}; gen = 0
# GC cycles and STW pauses as drawn: one per range, whether it began before
# the trace (RangeActive in the first generation, or an end without a
# begin) or is still open at its end
opened = set()
for line in parsed:
    if not line.startswith('M='): continue
    ev += 1
    f = line.split(' ', 4)
    kind = f[3] if len(f) > 3 else ''
    if kind == 'Sync': gen += 1
    if kind in ('RangeBegin', 'RangeActive', 'RangeEnd') and (
            'Name="GC concurrent mark phase"' in line or 'Name="stop-the-world' in line):
        key = re.search(r' (Name=".*" Scope=\S+)', line).group(1)
        new = (kind == 'RangeBegin' or (kind == 'RangeActive' and gen <= 1)) and key not in opened
        if new or (kind == 'RangeEnd' and key not in opened):
            if 'GC concurrent' in line: gc += 1
            else: stw += 1
        if kind == 'RangeEnd': opened.discard(key)
        elif kind == 'RangeBegin' or gen <= 1: opened.add(key)
    elif kind in ('TaskBegin', 'TaskEnd'):
        tasks.add(re.search(r' ID=(\d+)', line).group(1))
    elif kind == 'Log': logs += 1
    elif kind == 'RegionBegin':
        g = f[2]; depth[g] = depth.get(g, 0) + 1; regions += 1
    elif kind == 'RegionEnd':
        g = f[2]
        if depth.get(g, 0) > 0: depth[g] -= 1
        else: regions += 1
want = {'Events': ev, 'GC cycles': gc, 'STW pauses': stw, 'Tasks': len(tasks), 'Regions': regions, 'Logs': logs}
bad = ['%s: gotv %s, go %d' % (k, num(k), v) for k, v in want.items() if num(k) != v]
print(('FAIL ' + '; '.join(bad)) if bad else 'ok ' + ' '.join('%s=%d' % (k.split()[0].lower(), v) for k, v in want.items()))
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

traces=${TRACES:-$(ls samples/traces/*.trace 2>/dev/null)}
for t in $traces; do
    name=${t##*/}
    if ! "$GOTV" stats "$t" >"$tmp/stats" 2>"$tmp/err"; then
        echo "skip $name: gotv cannot read it yet ($(head -c 200 "$tmp/err" | tr '\n' ' '))"
        skip=$((skip + 1)); continue
    fi
    if ! go tool trace -pprof=sched "$t" >/dev/null 2>&1; then
        echo "skip $name: go tool trace cannot read it"
        skip=$((skip + 1)); continue
    fi
    go tool trace -d=parsed "$t" >"$tmp/parsed" 2>/dev/null
    v=$(python3 "$tmp/stats.py" "$tmp/stats" "$tmp/parsed" 2>&1 | tail -1)
    case "$v" in ok*) ok "$name stats: ${v#ok }" ;; *) bad "$name stats: ${v#FAIL }" ;; esac
    for p in net sync syscall sched; do
        if ! "$GOTV" pprof "$p" "$t" >"$tmp/g.pb" 2>"$tmp/err"; then
            bad "$name pprof $p: gotv failed: $(head -c 200 "$tmp/err")"; continue
        fi
        go tool trace -pprof="$p" "$t" >"$tmp/o.pb" 2>/dev/null
        v=$(python3 "$tmp/prof.py" "$tmp/g.pb" "$tmp/o.pb" 2>&1 | tail -1)
        case "$v" in ok*) ok "$name pprof $p: ${v#ok }" ;; *) bad "$name pprof $p: ${v#FAIL }" ;; esac
    done
    # goroutine pages
    if ! "$GOTV" goroutines --json "$t" >"$tmp/g.json" 2>"$tmp/err"; then
        bad "$name goroutines: gotv failed: $(head -c 200 "$tmp/err")"; continue
    fi
    port=$(free_port)
    go tool trace -http="127.0.0.1:$port" "$t" >"$tmp/srv.log" 2>&1 &
    server_pid=$!
    up=0
    for _ in $(seq 1 600); do
        if grep -q "listening" "$tmp/srv.log" 2>/dev/null; then up=1; break; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
        sleep 0.2
    done
    if [ "$up" = 1 ]; then
        v=$(timeout 300 python3 "$tmp/gor.py" "http://127.0.0.1:$port" "$tmp/g.json" 2>&1 | tail -1)
        case "$v" in ok*) ok "$name goroutines: ${v#ok }" ;; *) bad "$name goroutines: ${v#FAIL }" ;; esac
    else
        bad "$name goroutines: go tool trace -http did not start: $(tail -c 200 "$tmp/srv.log")"
    fi
    kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=
done
echo "($skip traces skipped)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

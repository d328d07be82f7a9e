# gotv dump --spans against gotv goroutines --json on one trace: every line
# well formed, spans of a lane sorted and non-overlapping, and per goroutine the
# running spans add up to its execution time (the model promises the span sums
# equal the goroutine analysis columns). The analysis is of a goroutine id's
# last life (a cgo callback's id comes back), whose spans start at its
# creation. Usage: spancheck.py GOTV TRACE
import json, subprocess, sys
g, sample = sys.argv[1], sys.argv[2]
spans = subprocess.run([g, "dump", "--spans", sample], capture_output=True, text=True, check=True).stdout.splitlines()
gj = json.loads(subprocess.run([g, "goroutines", "--json", sample], capture_output=True, text=True, check=True).stdout)
run, last, bad = {}, {}, []
for ln in spans:
    f = ln.split()
    if len(f) != 10 or [x.split("=")[0] for x in f[5:]] != ["cat", "flags", "stack", "reason", "other"]:
        bad.append("malformed: " + ln); continue
    kind, lane, s, e, st = f[0], int(f[1]), int(f[2]), int(f[3]), f[4]
    if not s < e: bad.append("empty span: " + ln)
    if (kind, lane) in last and last[(kind, lane)] > s: bad.append("overlap/unsorted: " + ln)
    last[(kind, lane)] = e
    if kind == "G" and st == "running": run.setdefault(lane, []).append((s, e))
n = 0
for r in gj["goroutines"]:
    n += 1
    got = sum(e - s for s, e in run.get(r["id"], []) if s >= r["creation_ns"])
    if got != r["execution_ns"]:
        bad.append("goroutine %d: running spans %d ns, execution %d ns" % (r["id"], got, r["execution_ns"]))
if n == 0 or not run: bad.append("nothing compared")
print("\n".join(bad[:5]) if bad else "%d spans, %d goroutines compared" % (len(spans), n))
sys.exit(1 if bad else 0)

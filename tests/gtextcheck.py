#!/usr/bin/env python3
"""`gotv goroutines` (the table) against `gotv goroutines --json`, for each
sort key: the same rows in the same order, each line rebuilt from the JSON
(the id right-aligned in 10 columns, the function padded to 40 columns or cut
to "~" and its last 39, the twelve durations as model_fmt_duration prints
them), and the order the key asks for (value descending, then id; id and
function ascending). tui/cmd_goroutines.c formats the lines by hand, keeps
the name column of the last function and sorts (key, id, row) records.

    tests/gtextcheck.py GOTV FILE...     exit 1 and a message on a mismatch
"""
import json, subprocess, sys

COLS = ["execution_ns", "sched_wait_ns", "sync_block_ns", "network_wait_ns", "syscall_ns",
        "syscall_block_ns", "gc_assist_ns", "gc_sweep_ns", "sleep_ns", "other_block_ns",
        "unknown_ns", "total_ns"]
KEYS = {"exec": "execution_ns", "sched": "sched_wait_ns", "sync": "sync_block_ns",
        "total": "total_ns", "sleep": "sleep_ns", "id": None, "function": None}


def dur(ns):
    if ns == 0:
        return "0"
    sign = "-" if ns < 0 else ""
    a = abs(ns)
    for i, (div, unit) in enumerate(((10**9, "s"), (10**6, "ms"), (10**3, "us"))):
        if a >= div:
            v = a / div
            prec = 1 if v >= 100 else 2 if v >= 10 else 3
            if i == 0 and v >= 1000:
                prec = 1
            return "%s%.*f%s" % (sign, prec, v, unit)
    return "%s%dns" % (sign, a)


def field(fn):
    """the name column for a printable ASCII name (None: not checked)"""
    if fn == "":
        fn = "(unknown)"
    if not all(" " <= c <= "~" for c in fn) or len(fn) > 255:
        return None
    if len(fn) > 40:
        return "~" + fn[-39:]
    return fn.ljust(40)


def run(gotv, args):
    return subprocess.run([gotv] + args, check=True, capture_output=True).stdout.decode("utf-8", "replace")


def check(gotv, path):
    for key, col in KEYS.items():
        rows = json.loads(run(gotv, ["goroutines", "--sort", key, "--json", path]))["goroutines"]
        lines = run(gotv, ["goroutines", "--sort", key, path]).split("\n")
        assert lines[-1] == "", "no final newline"
        lines = lines[1:-1]
        if len(lines) != len(rows):
            return "%s: %d lines, %d JSON rows" % (key, len(lines), len(rows))
        for i, (ln, r) in enumerate(zip(lines, rows)):
            head = "%10d  " % r["id"]
            if not ln.startswith(head):
                return "%s row %d: %r does not start with %r" % (key, i, ln[:30], head)
            tail = "".join(" %9s" % dur(r[c]) for c in COLS)
            if not ln.endswith(tail):
                return "%s row %d: %r does not end with %r" % (key, i, ln[-60:], tail)
            f = field(r["function"])
            if f is not None and ln != head + f + tail:
                return "%s row %d: %r, want %r" % (key, i, ln, head + f + tail)
        for i in range(1, len(rows)):
            a, b = rows[i - 1], rows[i]
            if key == "function":
                ka = (a["function"].encode(), a["id"])
                kb = (b["function"].encode(), b["id"])
            elif col is None:
                ka, kb = a["id"], b["id"]
            else:
                ka, kb = (-a[col], a["id"]), (-b[col], b["id"])
            if ka > kb:
                return "%s: rows %d and %d out of order (%r, %r)" % (key, i - 1, i, ka, kb)
    return None


def main():
    gotv, files = sys.argv[1], sys.argv[2:]
    bad = 0
    for f in files:
        err = check(gotv, f)
        if err:
            print("%s: %s" % (f, err))
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

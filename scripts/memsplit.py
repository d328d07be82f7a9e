#!/usr/bin/env python3
"""memsplit.py CMD...: run CMD, sample /proc/PID/status every few ms and print
wall time, VmHWM (peak RSS from the kernel) and the largest RssAnon / RssFile
seen, plus the values at the last sample. The split shows whether a peak is
file pages of a mapping (RssFile) or heap (RssAnon). Output goes to stderr as
one line: memsplit: <s> s hwm <MB> anon_max <MB> file_max <MB> anon_end <MB> file_end <MB>
"""
import os, subprocess, sys, time

def read_status(pid):
    d = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "RssAnon", "RssFile", "RssShmem"):
                    d[k] = int(v.split()[0])
    except OSError:
        return None
    return d

def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    period = float(os.environ.get("MEMSPLIT_PERIOD", "0.005"))
    t0 = time.monotonic()
    p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    peak = {"VmHWM": 0, "RssAnon": 0, "RssFile": 0}
    last = {}
    while p.poll() is None:
        d = read_status(p.pid)
        if d:
            last = d
            for k in peak:
                peak[k] = max(peak[k], d.get(k, 0))
        time.sleep(period)
    dt = time.monotonic() - t0
    mb = lambda kb: kb / 1024.0
    print(f"memsplit: {dt:.2f} s hwm {mb(peak['VmHWM']):.0f} MB anon_max {mb(peak['RssAnon']):.0f} MB "
          f"file_max {mb(peak['RssFile']):.0f} MB anon_end {mb(last.get('RssAnon', 0)):.0f} MB "
          f"file_end {mb(last.get('RssFile', 0)):.0f} MB rc {p.returncode}", file=sys.stderr)
    return p.returncode

if __name__ == "__main__":
    sys.exit(main())

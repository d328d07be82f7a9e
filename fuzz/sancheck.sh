#!/usr/bin/env bash
# Run a sanitizer build of gotv (make SAN=address,undefined) over traces:
# `dump` and `dump --count` (file and pipe, outputs compared), `dump --spans`, `stats`, `goroutines` and `snapshot` on the file and
# through a pipe (/dev/stdin), `--bench --size 200x60` on the file; a run
# fails on a sanitizer report, exit status > 1, or more than LIMIT seconds
# (default 60). `dump --spans` and `stats` outputs must be the same through
# the file and the pipe. One line per failure, then "N runs, N failed".
# SANCHECK_QUICK=1: only dump, dump --count, stats, snapshot --size 120x40
# (file and pipe).
#   fuzz/sancheck.sh GOTV FILE...
set -u
gotv=$1; shift
limit=${LIMIT:-60}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=0; bad=0
one() { # label outfile cmd...
    local label=$1 out=$2; shift 2
    runs=$((runs + 1))
    timeout -s KILL "$limit" "$@" >"$out" 2>"$tmp/err"; local rc=$?
    if [ "$rc" -gt 1 ] || grep -qE 'Sanitizer|runtime error' "$tmp/err"; then
        bad=$((bad + 1))
        echo "FAIL rc=$rc $label"
        grep -E 'ERROR|runtime error|SUMMARY|^ *#[0-6] ' "$tmp/err" | head -12 | sed 's/^/     /'
        cp "$tmp/err" "$tmp/../sancheck-fail-$runs.err" 2>/dev/null
    fi
}
for f in "$@"; do
    n=${f##*/}
    # dump and dump --count load with TT_SINK_LOG_TEXT (per-generation strings)
    one "dump $n" "$tmp/a" "$gotv" dump "$f"
    one "dump <$n" "$tmp/b" sh -c '"$0" dump /dev/stdin <"$1"' "$gotv" "$f"
    cmp -s "$tmp/a" "$tmp/b" || { bad=$((bad + 1)); echo "FAIL dump $n: file and pipe differ"; }
    one "dump --count $n" "$tmp/a" "$gotv" dump --count "$f"
    one "dump --count <$n" "$tmp/b" sh -c '"$0" dump --count /dev/stdin <"$1"' "$gotv" "$f"
    cmp -s "$tmp/a" "$tmp/b" || { bad=$((bad + 1)); echo "FAIL dump --count $n: file and pipe differ"; }
    [ -z "${SANCHECK_QUICK:-}" ] || {
        one "stats $n" /dev/null "$gotv" stats "$f"
        one "snapshot 120x40 $n" /dev/null "$gotv" snapshot --size 120x40 "$f"
        one "snapshot 120x40 <$n" /dev/null sh -c '"$0" snapshot --size 120x40 /dev/stdin <"$1"' "$gotv" "$f"
        continue
    }
    one "dump --spans $n" "$tmp/a" "$gotv" dump --spans "$f"
    one "dump --spans <$n" "$tmp/b" sh -c '"$0" dump --spans /dev/stdin <"$1"' "$gotv" "$f"
    cmp -s "$tmp/a" "$tmp/b" || { bad=$((bad + 1)); echo "FAIL dump --spans $n: file and pipe differ"; }
    one "stats $n" "$tmp/a" "$gotv" stats "$f"
    one "stats <$n" "$tmp/b" sh -c '"$0" stats /dev/stdin <"$1"' "$gotv" "$f"
    cmp -s <(grep -v '^File:' "$tmp/a") <(grep -v '^File:' "$tmp/b") ||
        { bad=$((bad + 1)); echo "FAIL stats $n: file and pipe differ"; }
    one "goroutines $n" /dev/null "$gotv" goroutines "$f"
    one "snapshot $n" /dev/null "$gotv" snapshot --size 200x60 "$f"
    one "snapshot <$n" /dev/null sh -c '"$0" snapshot --size 200x60 /dev/stdin <"$1"' "$gotv" "$f"
    one "--bench $n" /dev/null "$gotv" --bench --size 200x60 "$f"
done
echo "$runs runs, $bad failed"
[ "$bad" -eq 0 ]

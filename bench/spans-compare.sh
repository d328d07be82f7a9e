#!/bin/sh
# Compare the output of two gotv binaries on every small trace of the tree:
# bench/spans-compare.sh OLD NEW [ARGS...]   (ARGS default: dump --spans)
# Prints one line per differing trace and "differ: N of M" at the end.
old=$1 new=$2
shift 2
[ $# -eq 0 ] && set -- dump --spans
tmp=${TMPDIR:-/tmp}/spans-compare.$$
mkdir -p "$tmp"
n=0 bad=0
for f in samples/traces/*.trace tests/data/bad/*.trace tests/data/fuzz/*.trace fuzz/corpus/*.trace; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    "$old" "$@" "$f" >"$tmp/a" 2>&1; echo "rc $?" >>"$tmp/a"
    "$new" "$@" "$f" >"$tmp/b" 2>&1; echo "rc $?" >>"$tmp/b"
    if ! cmp -s "$tmp/a" "$tmp/b"; then
        echo "DIFF $f"
        bad=$((bad + 1))
    fi
done
rm -rf "$tmp"
echo "differ: $bad of $n"
[ $bad -eq 0 ]

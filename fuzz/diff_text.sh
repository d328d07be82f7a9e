#!/usr/bin/env bash
# Differential check of `gotv dump` (log messages as text, per-generation
# strings: TT_SINK_LOG_TEXT since b4e1aa5) against a gotv built before that
# change (every string interned; the same printing): stdout, stderr (the
# error and its byte offset, with the file name normalized) and the exit
# status must be the same, through the file and through a pipe. One line per
# difference, then "N files, N differ".
#   fuzz/diff_text.sh OLD_GOTV NEW_GOTV FILE...
set -u
old=$1 new=$2; shift 2
limit=${LIMIT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0; bad=0
for f in "$@"; do
    n=$((n + 1))
    timeout -s KILL "$limit" "$old" dump "$f" >"$tmp/o1" 2>"$tmp/e1"; r1=$?
    timeout -s KILL "$limit" "$new" dump "$f" >"$tmp/o2" 2>"$tmp/e2"; r2=$?
    timeout -s KILL "$limit" sh -c '"$0" dump /dev/stdin <"$1"' "$new" "$f" >"$tmp/o3" 2>"$tmp/e3"; r3=$?
    sed -i "s|$f|FILE|g; s|/dev/stdin|FILE|g" "$tmp/e1" "$tmp/e2" "$tmp/e3"
    why=
    [ "$r1" = "$r2" ] || why="$why exit $r1/$r2"
    [ "$r2" = "$r3" ] || why="$why pipe-exit $r2/$r3"
    cmp -s "$tmp/o1" "$tmp/o2" || why="$why stdout"
    cmp -s "$tmp/o2" "$tmp/o3" || why="$why pipe-stdout"
    cmp -s "$tmp/e1" "$tmp/e2" || why="$why stderr"
    cmp -s "$tmp/e2" "$tmp/e3" || why="$why pipe-stderr"
    if [ -n "$why" ]; then
        bad=$((bad + 1))
        echo "DIFF $f:$why"
    fi
done
echo "$n files, $bad differ"
[ "$bad" -eq 0 ]

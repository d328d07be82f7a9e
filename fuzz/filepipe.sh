#!/usr/bin/env bash
# File mode against buffer mode: each trace through `gotv dump F` (a mapped
# Go 1.22+ trace is read with pread) and `cat F | gotv dump /dev/stdin` (a
# pipe: read into memory), also `dump --count`; stdout, stderr (the path
# replaced) and the exit status must be identical, and no sanitizer report.
# (`gotv dump /dev/stdin <F` would map the file too: the pipe matters.)
#   fuzz/filepipe.sh GOTV FILE...     prints one line per failure, then a summary
set -u
gotv=$1; shift
limit=${LIMIT:-60}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=0; bad=0
for f in "$@"; do
    for mode in "" --count; do
        runs=$((runs + 1))
        # shellcheck disable=SC2086
        timeout -s KILL "$limit" "$gotv" dump $mode "$f" >"$tmp/a" 2>"$tmp/ae"; ra=$?
        # shellcheck disable=SC2086
        cat "$f" | timeout -s KILL "$limit" "$gotv" dump $mode /dev/stdin >"$tmp/b" 2>"$tmp/be"; rb=$?
        sed -i "s|$f|F|g" "$tmp/ae"; sed -i "s|/dev/stdin|F|g" "$tmp/be"
        why=
        grep -qE 'Sanitizer|runtime error' "$tmp/ae" "$tmp/be" && why="sanitizer"
        [ "$ra" -gt 1 ] || [ "$rb" -gt 1 ] && why="$why rc>1"
        [ "$ra" = "$rb" ] || why="$why rc $ra/$rb"
        cmp -s "$tmp/a" "$tmp/b" || why="$why stdout"
        cmp -s "$tmp/ae" "$tmp/be" || why="$why stderr"
        if [ -n "$why" ]; then
            bad=$((bad + 1))
            echo "FAIL dump $mode $f:$why"
            diff "$tmp/ae" "$tmp/be" | head -4 | sed 's/^/     /'
        fi
    done
done
echo "$runs runs, $bad failed"
[ "$bad" -eq 0 ]

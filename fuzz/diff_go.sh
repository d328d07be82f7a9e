#!/usr/bin/env bash
# Differential check of gotv's loader against Go's own reader:
#   fuzz/diff_go.sh FILE...        (e.g. build-fuzz/corpus/*)
# For each input, `gotv dump` must print a prefix of `go tool trace -d=parsed`
# (gotv stops at the last complete generation, Go prints up to the error), the
# whole of it when Go reads the file without error, and must not reject a file
# that Go reads. Prints one line per divergence and a count; exit 1 if any.
set -u
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C
command -v go >/dev/null || { echo "diff_go: go not found" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp ./gotv "$tmp/gotv" || exit 2
n=0; bad=0
for f in "$@"; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    timeout 20 "$tmp/gotv" dump "$f" >"$tmp/g" 2>"$tmp/ge"; grc=$?
    timeout 60 go tool trace -d=parsed "$f" >"$tmp/o" 2>"$tmp/oe"; orc=$?
    what=
    if [ "$grc" -eq 0 ]; then
        gl=$(wc -l <"$tmp/g")
        if ! head -n "$gl" "$tmp/o" | cmp -s - "$tmp/g"; then
            what="gotv output is not a prefix of Go's (go exit $orc$(grep -q '^panic' "$tmp/oe" && echo ', Go panicked'))"
        elif [ "$orc" -eq 0 ] && ! cmp -s "$tmp/g" "$tmp/o"; then
            what="gotv printed $gl lines, Go $(wc -l <"$tmp/o") without error"
        fi
    elif [ "$grc" -eq 1 ] && [ "$orc" -eq 0 ]; then
        what="gotv rejects a file Go reads: $(head -c 200 "$tmp/ge")"
    elif [ "$grc" -ne 1 ]; then
        what="gotv exit $grc"
    fi
    if [ -n "$what" ]; then echo "DIFF $f: $what"; bad=$((bad + 1)); fi
done
echo "$n inputs, $bad divergences"
[ "$bad" -eq 0 ]

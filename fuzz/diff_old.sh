#!/usr/bin/env bash
# Differential check of two gotv builds (e.g. before and after a rewrite of the
# loader/model): `gotv stats`, `gotv goroutines --json`, `gotv snapshot` (200x60)
# and `gotv pprof sync` must print the same bytes and exit the same way.
#   fuzz/diff_old.sh OLD_GOTV NEW_GOTV FILE...
# Extra snapshot views: SNAP_ARGS="--at 1ms --span 10us" (one view, optional).
# DIFF_IGNORE=REGEX: lines matching it are dropped from both outputs first
# (an intended change, e.g. the plot rows '^(G|Heap|Procs) ').
# DIFF_DUMP=1: also `gotv dump` and `gotv dump --spans` (the loader's event
# stream and every span record), error messages and offsets included.
# Prints one line per divergence; last line "N inputs, N divergences".
set -u
old=$1 new=$2; shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C
n=0; bad=0
for f in "$@"; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cmds=("stats" "goroutines --json" "snapshot --size 200x60 ${SNAP_ARGS:-}" "pprof sync")
    [ "${DIFF_DUMP:-0}" = 1 ] && cmds+=("dump" "dump --spans")
    for c in "${cmds[@]}"; do
        # shellcheck disable=SC2086
        timeout 60 nice -n 19 "$old" $c "$f" >"$tmp/o" 2>"$tmp/oe"; orc=$?
        # shellcheck disable=SC2086
        timeout 60 nice -n 19 "$new" $c "$f" >"$tmp/n" 2>"$tmp/ne"; nrc=$?
        if [ -n "${DIFF_IGNORE:-}" ]; then
            grep -aEv "$DIFF_IGNORE" "$tmp/o" >"$tmp/o2"; mv "$tmp/o2" "$tmp/o"
            grep -aEv "$DIFF_IGNORE" "$tmp/n" >"$tmp/n2"; mv "$tmp/n2" "$tmp/n"
        fi
        if [ "$orc" != "$nrc" ] || ! cmp -s "$tmp/o" "$tmp/n"; then
            echo "DIFF $f [$c]: exit $orc -> $nrc; $(diff "$tmp/o" "$tmp/n" | head -4 | tr '\n' ' ' | cut -c1-300)"
            bad=$((bad + 1))
        fi
    done
done
echo "$n inputs, $bad divergences"
[ "$bad" -eq 0 ]

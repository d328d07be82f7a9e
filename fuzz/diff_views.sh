#!/usr/bin/env bash
# Differential check of the explorer frame between two gotv builds at random
# views: `gotv snapshot --size WxH --at T --span D [--goroutine G]` must print
# the same text (drawing changes that should not change what is drawn, e.g.
# the in-place block-key searches of region strips, log markers and the GC
# row). VIEWS views per trace (default 12), SEED for the choice.
#   fuzz/diff_views.sh OLD_GOTV NEW_GOTV FILE...
set -u
old=$1 new=$2; shift 2
views=${VIEWS:-12}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RANDOM=${SEED:-1}
n=0; bad=0
for f in "$@"; do
    dur=$(timeout 60 "$new" stats "$f" 2>/dev/null | sed -n 's/^Duration:.*(\([0-9]*\) ns).*/\1/p')
    [ -n "$dur" ] && [ "$dur" -gt 0 ] || continue
    gids=($(timeout 60 "$new" goroutines "$f" 2>/dev/null | awk 'NR>1 && NR<400 {print $1}'))
    for ((v = 0; v < views; v++)); do
        r=$(( (RANDOM << 15 | RANDOM) ))
        at=$(python3 -c "import random; random.seed($r); d=$dur; print(random.choice([0, d - 1, random.randrange(d)]))")
        span=$(python3 -c "import random; random.seed($r + 1); d=$dur; print(max(1, random.choice([1, 7, d, 2 * d, random.randrange(d) + 1, random.randrange(1000) + 1])))")
        size=$(python3 -c "import random; random.seed($r + 2); print(random.choice(['120x40', '200x60', '80x24', '300x100']))")
        args=(--size "$size" --at "${at}ns" --span "${span}ns")
        if [ ${#gids[@]} -gt 0 ] && [ $((r % 2)) = 0 ]; then
            args+=(--goroutine "${gids[$((r % ${#gids[@]}))]}")
        fi
        n=$((n + 1))
        timeout 60 "$old" snapshot "${args[@]}" "$f" >"$tmp/a" 2>&1; r1=$?
        timeout 60 "$new" snapshot "${args[@]}" "$f" >"$tmp/b" 2>&1; r2=$?
        if [ "$r1" != "$r2" ] || ! cmp -s "$tmp/a" "$tmp/b"; then
            bad=$((bad + 1))
            echo "DIFF $f ${args[*]} (exit $r1/$r2)"
        fi
    done
done
echo "$n views, $bad differ"
[ "$bad" -eq 0 ]

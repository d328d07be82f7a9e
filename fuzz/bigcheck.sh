#!/usr/bin/env bash
# Resource bound check: `gotv stats` and `gotv goroutines` on each FILE must
# peak below 16 x file size + 64 MB RSS and take at most LIMIT seconds of CPU
# (user + system, default 5: wall time under nice 19 on a loaded machine says
# more about the other processes; it is printed too).
#   fuzz/bigcheck.sh GOTV FILE...     (e.g. the outputs of fuzz/tracegen.py big
#                                      and fuzz/tracegen_new.py)
# One line per run; exit 1 if any is over.
set -u
gotv=$1; shift
limit=${LIMIT:-5}
bad=0
for f in "$@"; do
    sz=$(stat -c %s "$f")
    bound=$(( (16 * sz + 64 * 1024 * 1024) / 1024 ))
    for cmd in stats goroutines; do
        out=$( { /usr/bin/time -f '%e %M %U %S' nice -n 19 "$gotv" $cmd "$f" >/dev/null 2>/tmp/bigcheck.$$; echo "rc=$?"; } 2>&1 )
        rc=$(echo "$out" | sed -n 's/^rc=//p')
        read -r wall kb us ss < <(tail -1 /tmp/bigcheck.$$)
        secs=$(awk -v u="$us" -v s="$ss" 'BEGIN { printf "%.2f", u + s }')
        verdict=
        if [ "$kb" -gt "$bound" ]; then verdict="OVER-RSS"; fi
        if awk -v s="$secs" -v l="$limit" 'BEGIN{exit !(s > l)}'; then verdict="$verdict SLOW"; fi
        [ "$rc" -gt 1 ] && verdict="$verdict rc=$rc"
        if [ -n "$verdict" ]; then bad=$((bad + 1)); verdict=${verdict# }; else verdict=ok; fi
        printf '%-8s %-11s %-32s %9d B  %7d KB (bound %7d)  %6.2f s cpu  %6.2f s wall  rc=%s\n' "$verdict" "$cmd" "${f##*/}" "$sz" "$kb" "$bound" "$secs" "$wall" "$rc"
    done
done
rm -f /tmp/bigcheck.$$
[ "$bad" -eq 0 ]

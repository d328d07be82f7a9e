#!/usr/bin/env bash
# Replay every fuzz regression input (tests/data/fuzz/), every seed of the
# fuzz corpus (fuzz/corpus/) and every hand-made bad trace (tests/data/bad/)
# through the whole pipeline (fuzz/harness.c: loader, model, queries,
# rendering) under ASan+UBSan (gcc), one process per input with a timeout.
# Then, when clang is available and GOTV_SHORT_FUZZ is not 0, a short
# libFuzzer run (fuzz/run.sh 60, or GOTV_SHORT_FUZZ seconds if a number > 1).
#
# Open findings (reported in fuzz/FINDINGS.md, not fixed yet by the owners)
# are listed in tests/data/fuzz/known-open.txt as "NAME FUNCTION": an input
# NAME that still fails is reported as "xfail" and not counted; a crash in the
# short fuzz run whose first project frame is a listed FUNCTION is "xfail" too.
# Remove the line when the owner fixes the bug.
# Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$PWD/fuzz/ubsan.supp
pass=0; fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
xfail() { echo "xfail $*"; }
known=tests/data/fuzz/known-open.txt
is_known_name() { [ -f "$known" ] && grep -v '^#' "$known" | awk '{print $1}' | grep -qxF "$1"; }
is_known_func() { [ -f "$known" ] && grep -v '^#' "$known" | awk '{print $2}' | grep -qxF "$1"; }
# first stack frame in project code of a sanitizer/abort report
first_frame() {
    grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in [A-Za-z_]' "$1" | grep -E '[ /](loader|model|tui)/' | head -1 |
        sed -E 's/.* in ([A-Za-z_0-9]+) .*/\1/'
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! bin=$(nice -n 5 fuzz/build.sh replay 2>"$tmp/build"); then
    cat "$tmp/build" | tail -20
    bad "build the replay driver (gcc, ASan+UBSan)"
    echo "$pass passed, $fail failed"; exit 1
fi
ok "build $bin"
head -1 <("$bin" /dev/null 2>/dev/null) | sed 's/^/     /'

for f in tests/data/fuzz/* fuzz/corpus/* tests/data/bad/*.trace; do
    [ -f "$f" ] || continue
    case "$f" in *.md|*.txt|*/EXPECT|*/README*) continue ;; esac
    name=${f##*/}
    start=$(date +%s.%N)
    timeout -s KILL 30 "$bin" -t 10 "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
    el=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    if [ "$rc" -eq 0 ] && ! grep -qE 'Sanitizer|runtime error|invariant broken' "$tmp/err"; then
        ok "$f ($(grep '^ok ' "$tmp/out" | sed 's/^ok [^ ]* //') ${el}s)"
    else
        why="rc=$rc"
        [ "$rc" -eq 3 ] && why="timeout (>10 s)"
        [ "$rc" -eq 137 ] && why="killed after 30 s"
        fr=$(first_frame "$tmp/err")
        if is_known_name "$name"; then
            xfail "$f: $why in ${fr:-?} (open finding, see fuzz/FINDINGS.md)"
        else
            bad "$f: $why in ${fr:-?}"
            grep -E 'ERROR|runtime error|invariant|SUMMARY|^ *#[0-4] ' "$tmp/err" | head -12 | sed 's/^/     /'
        fi
    fi
done

secs=${GOTV_SHORT_FUZZ:-60}
if [ "$secs" = 0 ]; then
    echo "skip short fuzz (GOTV_SHORT_FUZZ=0)"
elif ! command -v clang >/dev/null; then
    echo "skip short fuzz (no clang; scripts/deps.sh --fuzz)"
else
    [ "$secs" -gt 1 ] 2>/dev/null || secs=60
    # its own corpus (seeds only) and crash directory: a long campaign may be
    # using build-fuzz/corpus and build-fuzz/crashes at the same time
    mkdir -p "$tmp/corpus" "$tmp/crashes" build-fuzz/crashes
    FZ_QUIET=1 FUZZ_CORPUS=$tmp/corpus FUZZ_CRASHES=$tmp/crashes fuzz/run.sh "$secs" >"$tmp/fuzz" 2>&1; rc=$?
    cp "$tmp"/crashes/* build-fuzz/crashes/ 2>/dev/null
    runs=$(grep -E 'stat::number_of_executed_units' "$tmp/fuzz" | awk '{print $2}' | tail -1)
    if [ "$rc" -eq 0 ]; then
        ok "short fuzz: fuzz/run.sh $secs, ${runs:-?} executions, no crash"
    else
        fr=$(first_frame "$tmp/fuzz")
        art=$(ls -t "$tmp/crashes" 2>/dev/null | head -1)
        if [ -n "$fr" ] && is_known_func "$fr"; then
            xfail "short fuzz: crash in $fr (open finding, see fuzz/FINDINGS.md); build-fuzz/crashes/$art"
        else
            bad "short fuzz: fuzz/run.sh $secs exit $rc, crash in ${fr:-?}; build-fuzz/crashes/$art"
            grep -E 'ERROR|runtime error|invariant|SUMMARY|^ *#[0-5] ' "$tmp/fuzz" | head -14 | sed 's/^/     /'
        fi
    fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

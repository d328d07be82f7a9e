#!/usr/bin/env bash
# Run every test suite and print one summary line over all of them:
#   N passed, N failed
# Suites:
#   unit     build/tests/test_*        cmocka binaries (and the same under ASan+UBSan;
#            the threaded ones also under ThreadSanitizer: $TSAN_TESTS from make test)
#   shell    tests/suite_*.sh          each prints "N passed, N failed" as its last line
# A suite that crashes or prints no count counts as one failure.
set -u
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C.UTF-8
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
export TSAN_OPTIONS=halt_on_error=1
export CMOCKA_MESSAGE_OUTPUT=stdout
tp=0; tf=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

add() { # suite-name passed failed
    printf '%-40s %4d passed, %d failed\n' "$1" "$2" "$3"
    tp=$((tp + $2)); tf=$((tf + $3))
}

run_cmocka() { # binary label
    local out="$log/out" p f rc
    "$1" >"$out" 2>&1; rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$f" -ne 0 ]; then grep -E 'FAILED|ERROR|error|Error|runtime error|Sanitizer' "$out" | head -20; fi
    add "$2" "$p" "$f"
}

for b in build/tests/test_*; do
    [ -x "$b" ] || continue
    run_cmocka "$b" "unit: ${b##*/}"
done
for b in build-san/tests/test_*; do
    [ -x "$b" ] || continue
    run_cmocka "$b" "unit+asan: ${b##*/}"
done
for b in ${TSAN_TESTS-}; do # set by make test
    [ -x "$b" ] || continue
    run_cmocka "$b" "unit+tsan: ${b##*/}"
done

for s in tests/suite_*.sh; do
    [ -f "$s" ] || continue
    out="$log/out"
    bash "$s" >"$out" 2>&1; rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    if [ -z "$line" ]; then
        tail -20 "$out"; add "${s##*/} (no count, rc=$rc)" 0 1; continue
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$f" -ne 0 ]; then grep -E '^(FAIL|not ok)' "$out" | head -20; fi
    add "${s##*/}" "$p" "$f"
done

echo "$tp passed, $tf failed"
[ "$tf" -eq 0 ]

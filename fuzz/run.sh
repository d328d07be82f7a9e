#!/usr/bin/env bash
# Fuzz gotv's whole pipeline (loader -> model -> rendering) with libFuzzer.
#   fuzz/run.sh [SECONDS]        (make fuzz FUZZ_SECONDS=N)
# Builds build-fuzz/fuzz_trace (clang, -fsanitize=fuzzer,address,undefined),
# then runs it niced, one process, for SECONDS (default 60) over the working
# corpus build-fuzz/corpus (new inputs land there), the seeds fuzz/corpus and
# the regression inputs tests/data/fuzz (so every libFuzzer run, even a short
# one, replays them under clang's sanitizers first).
# Crashes, leaks, timeouts and OOMs are written to build-fuzz/crashes/.
# Exit status: 0 no crash, 1 a crash/timeout/leak was found (its file is
# printed), 2 build problem.
# Environment:
#   FUZZ_FORK=1       keep going after crashes (-fork=1 -ignore_crashes=1 ...)
#   FUZZ_MAX_LEN=N    -max_len (default 131072)
#   FUZZ_ARGS="..."   more libFuzzer flags
#   FUZZ_CORPUS=DIR   working corpus (default build-fuzz/corpus)
#   FUZZ_CRASHES=DIR  where artifacts go (default build-fuzz/crashes)
#   FUZZ_BUILD=DIR    build directory (default build-fuzz)
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-}
[ -n "$secs" ] || secs=60

if ! command -v clang >/dev/null; then
    scripts/deps.sh --fuzz || { echo "fuzz/run.sh: clang with libFuzzer is needed (scripts/deps.sh --fuzz)" >&2; exit 2; }
fi
bin=$(nice -n 10 fuzz/build.sh fuzzer) || { echo "fuzz/run.sh: build failed" >&2; exit 2; }

B=${FUZZ_BUILD:-build-fuzz}
CORPUS=${FUZZ_CORPUS:-$B/corpus}
CRASHES=${FUZZ_CRASHES:-$B/crashes}
mkdir -p "$CORPUS" "$CRASHES"
before=$(ls "$CRASHES" | wc -l)
flags=(-max_len="${FUZZ_MAX_LEN:-131072}" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048
       -max_total_time="$secs" -artifact_prefix="$CRASHES/" -print_final_stats=1
       -dict=fuzz/trace.dict -use_value_profile=1)
if [ "${FUZZ_FORK:-0}" = 1 ]; then
    flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
# shellcheck disable=SC2206
flags+=(${FUZZ_ARGS:-})
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}:suppressions=$PWD/fuzz/ubsan.supp"
echo "fuzz/run.sh: $bin ${flags[*]} $CORPUS fuzz/corpus tests/data/fuzz" >&2
nice -n 10 "$bin" "${flags[@]}" "$CORPUS" fuzz/corpus tests/data/fuzz
rc=$?
after=$(ls "$CRASHES" | wc -l)
if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "fuzz/run.sh: libFuzzer exit $rc; artifacts in $CRASHES:" >&2
    ls -t "$CRASHES" | head -20 >&2
    exit 1
fi
exit 0

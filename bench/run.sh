#!/usr/bin/env bash
# gotv benchmarks (make bench; not part of make test).
#
# Builds traces with samples/stress (cached outside the repo: ~1 MB, the main
# ~100 MB one, optionally ~1 GB, and ~100 MB of the old format), then for
# each trace prints a markdown table: size, events, load time, MB/s, events/s,
# peak RSS and bytes per event for gotv's loader (`gotv dump --count`), model
# build time and memory (`gotv stats`), time to the first frame (a preview of
# the first 8 MiB for traces above 32 MiB), time until the full model is
# shown, and redraw times (`gotv --bench`), snapshot times at several zoom levels (`gotv snapshot`,
# which includes loading), and the same trace read by Go's reader
# (bench/goreader, golang.org/x/exp/trace) with the gotv/Go ratios.
#
# Environment:
#   BENCH_CACHE=DIR   where traces and tools are kept (default $HOME/.cache/gotv-bench)
#   BENCH_MB=N        size of the main trace in MB (default 100)
#   BENCH_SMALL=0     skip the ~1 MB trace (issue #7's redraw goal: the same
#                     on 1 MB as on 1 GB)
#   BENCH_BIG=1       also a ~1 GB trace (loader and Go's reader only, unless
#   BENCH_BIG_MODEL=1 also the model and explorer: needs ~7 GB of RAM)
#   BENCH_OLD=0       skip the old-format (Go 1.19) trace
#   BENCH_GO119=PATH  Go 1.19 toolchain (default /usr/lib/go-1.19/bin/go)
#   BENCH_REPEAT=N    runs per measurement, the best is kept (default 2)
#   BENCH_LOAD_REPEAT=N  gotv's loader and Go's reader, alternating, N times
#                     each (default 5; at most 3 on traces over 500 MB)
#   BENCH_OUT=FILE    also write the report there
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${BENCH_CACHE:-$HOME/.cache/gotv-bench}
MB=${BENCH_MB:-100}
REPEAT=${BENCH_REPEAT:-2}
LOAD_REPEAT=${BENCH_LOAD_REPEAT:-5}
GO119=${BENCH_GO119:-/usr/lib/go-1.19/bin/go}
mkdir -p "$CACHE"
out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out"' EXIT

say() { echo "$*" >&2; }
emit() { echo "$*" | tee -a "$out"; }

TIME=$(command -v /usr/bin/time || true)
if [ -z "$TIME" ] && command -v apt-get >/dev/null; then
    say "bench: installing GNU time (for peak RSS)"
    apt-get install -y -qq time >/dev/null 2>&1 || true
    TIME=$(command -v /usr/bin/time || true)
fi
[ -n "$TIME" ] || { say "bench: /usr/bin/time (GNU time) is needed for peak RSS"; exit 1; }
[ -x ./gotv ] || make --no-print-directory -j2 all >&2 || exit 1
# a private copy: others may relink ./gotv while this runs
cp ./gotv "$tmp/gotv" || exit 1
gotv() { "$tmp/gotv" "$@"; }
command -v go >/dev/null || { say "bench: go is needed (stress traces, Go's reader)"; exit 1; }

# ---- tools ---------------------------------------------------------------
say "bench: building tools in $CACHE"
(cd samples && GOTOOLCHAIN=local GOFLAGS='-mod=mod -buildvcs=false' go build -o "$CACHE/stress" ./stress) || exit 1
(cd bench/goreader && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -o "$CACHE/goreader" .) || exit 1
have_old=0
if [ "${BENCH_OLD:-1}" != 0 ] && [ -x "$GO119" ]; then
    if (cd samples && GOTOOLCHAIN=local GOFLAGS='-mod=mod -buildvcs=false' "$GO119" build -o "$CACHE/stress-go119" ./stress) 2>"$tmp/go119"; then
        have_old=1
    else
        say "bench: stress does not build with $GO119:"; head -5 "$tmp/go119" >&2
    fi
fi

# ---- traces (cached) -------------------------------------------------------
make_trace() { # BIN MB FILE
    local bin=$1 mb=$2 f=$3
    if [ -s "$f" ]; then return 0; fi
    say "bench: writing $f (~$mb MB with $(basename "$bin"))"
    (cd "$tmp" && "$bin" -duration 10m -mb "$mb" -o "$f.tmp" >/dev/null) && mv "$f.tmp" "$f"
}
traces=()
if [ "${BENCH_SMALL:-1}" != 0 ] && [ "$MB" != 1 ]; then
    make_trace "$CACHE/stress" 1 "$CACHE/stress-1mb.trace" && traces+=("$CACHE/stress-1mb.trace")
fi
make_trace "$CACHE/stress" "$MB" "$CACHE/stress-${MB}mb.trace" && traces+=("$CACHE/stress-${MB}mb.trace")
if [ "${BENCH_BIG:-0}" = 1 ]; then
    make_trace "$CACHE/stress" 1000 "$CACHE/stress-1000mb.trace" && traces+=("$CACHE/stress-1000mb.trace")
fi
if [ "$have_old" = 1 ]; then
    make_trace "$CACHE/stress-go119" "$MB" "$CACHE/stress-go119-${MB}mb.trace" && traces+=("$CACHE/stress-go119-${MB}mb.trace")
fi

# ---- measuring ------------------------------------------------------------
# run_timed LABEL CMD... -> sets T (wall s) and RSS (KB), best of $REPEAT;
# stdout of the best run in $tmp/LABEL.out, stderr in $tmp/LABEL.err
T=0; RSS=0
run_timed() {
    local label=$1 i t r best_t= best_r=
    shift
    for ((i = 0; i < REPEAT; i++)); do
        local t0=${EPOCHREALTIME:-} t1
        "$TIME" -f '%e %M' -o "$tmp/time" "$@" >"$tmp/run.out" 2>"$tmp/run.err"
        t1=${EPOCHREALTIME:-}
        read -r t r <"$tmp/time" || true
        # GNU time's %e has 10 ms steps (6 % of a 0.17 s load): the wall
        # time is taken around it in microseconds when bash can (it then
        # includes GNU time's own fork and exec, the same for every command)
        if [ -n "$t0" ] && [ -n "$t1" ]; then
            t=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.4f", b - a }')
        fi
        if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
            best_t=$t; best_r=$r
            mv "$tmp/run.out" "$tmp/$label.out"; mv "$tmp/run.err" "$tmp/$label.err"
        fi
    done
    T=$best_t; RSS=$best_r
}
# stat_of min|median X...: the smallest or the median of the numbers
stat_of() {
    local how=$1
    shift
    printf '%s\n' "$@" | sort -g | awk -v h="$how" '{ v[NR] = $1 } END {
        if (h == "min") print v[1]; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
f2() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
f3() { awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }
# div A B [FMT] [SCALE]: A * SCALE / B, "-" if B is 0 or empty
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" -v k="${4:-1}" 'BEGIN { if (b + 0 == 0) print "-"; else printf f, a * k / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

# the loader against Go's reader: the rows every table starts with (the
# variables of the trace being measured)
emit_load_rows() {
    emit "| events | $events | $go_events | |"
    emit "| read all events (s, best of $lrep, alternating) | $(f3 "$g_t") | $(f3 "$go_t") (in-process $(f3 "$go_inner")) | $(div "$g_t" "$go_t") |"
    emit "| read all events, median (s) | $(f3 "$g_med") | $(f3 "$go_med") | $(div "$go_med" "$g_med") x faster |"
    emit "| MB/s | $(div "$smb" "$g_t" %.0f) | $(div "$smb" "$go_t" %.0f) | $(div "$go_t" "$g_t") x faster |"
    emit "| events/s (M) | $(div "$events" "$g_t" %.2f 1e-6) | $(div "$go_events" "$go_t" %.2f 1e-6) | |"
    emit "| peak RSS | $(mb "$g_rss") | $(mb "$go_rss") | $(div "$g_rss" "$go_rss") |"
}

nproc_=$(nproc)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
ram=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
emit "# gotv benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
emit ""
emit "Machine: $nproc_ cores ($cpu), $ram RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)."
emit "gotv $(gotv --version 2>/dev/null | cut -d' ' -f2) at commit $(git rev-parse --short HEAD 2>/dev/null); Go reader: golang.org/x/exp/trace ($(go version | cut -d' ' -f3)). Best of $REPEAT runs (loader and Go's reader: $LOAD_REPEAT runs each, alternating, at most 3 over 500 MB), wall time (microseconds, taken around GNU time, which gives the peak RSS)."
emit ""

for f in "${traces[@]}"; do
    size=$(stat -L -c %s "$f")
    smb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')
    head=$(head -c 13 "$f" | tr -d '\0')
    say "bench: $f"
    cat "$f" >/dev/null # page cache warm for everyone

    # gotv's loader and Go's reader alternate, so both see the same minutes
    # (the machine's speed drifts by tens of percent); best and median of each
    lrep=$LOAD_REPEAT
    [ "$size" -gt 500000000 ] && lrep=$(( LOAD_REPEAT < 3 ? LOAD_REPEAT : 3 ))
    lt=(); gt=(); gi=()
    for ((k = 0; k < lrep; k++)); do
        REPEAT=1 run_timed load "$tmp/gotv" dump --count "$f"; lt+=("$T"); [ "$k" = 0 ] && g_rss=$RSS
        [ "$RSS" -gt "$g_rss" ] && g_rss=$RSS
        REPEAT=1 run_timed go "$CACHE/goreader" "$f"; gt+=("$T"); [ "$k" = 0 ] && go_rss=$RSS
        gi+=("$(awk '{ print $6 }' "$tmp/go.out")")
        [ "$RSS" -gt "$go_rss" ] && go_rss=$RSS
    done
    g_t=$(stat_of min "${lt[@]}"); go_t=$(stat_of min "${gt[@]}")
    g_med=$(stat_of median "${lt[@]}"); go_med=$(stat_of median "${gt[@]}")
    events=$(tr -dc '0-9' <"$tmp/load.out")
    go_events=$(awk '{ print $2 }' "$tmp/go.out")
    go_inner=$(stat_of min "${gi[@]}")
    full=1
    if [ "$size" -gt 500000000 ] && [ "${BENCH_BIG_MODEL:-0}" != 1 ]; then
        full=0 # the model needs ~13 x the file size in RAM: loader and Go's reader only
    fi
    if [ "$full" = 0 ]; then
        emit "## $(basename "$f") ($smb MB, header \"$head\"): loader only (BENCH_BIG_MODEL=1 for the model and the explorer)"
        emit ""
        emit "| measure | gotv | Go (x/exp/trace) | gotv / Go |"
        emit "| --- | ---: | ---: | ---: |"
        emit_load_rows
        emit ""
        continue
    fi
    # the model as gotv builds it by default, then on one thread only and with
    # every second thread (GOTV_THREADS=1, 2: by default the finish's side
    # thread depends on the load average, which this script's own runs push up)
    run_timed stats "$tmp/gotv" stats "$f"; s_t=$T; s_rss=$RSS
    run_timed stats1 env GOTV_THREADS=1 "$tmp/gotv" stats "$f"; s1_t=$T; s1_rss=$RSS
    run_timed stats2 env GOTV_THREADS=2 "$tmp/gotv" stats "$f"; s2_t=$T; s2_rss=$RSS
    dur_ns=$(sed -n 's/^Duration:.*(\([0-9]*\) ns).*/\1/p' "$tmp/stats.out")
    run_timed benchui "$tmp/gotv" --bench --size 200x60 "$f"; b_rss=$RSS
    bline=$(head -1 "$tmp/benchui.out")
    first=$(echo "$bline" | sed -n 's/.*first frame \([0-9.]*\) ms.*/\1/p')
    fullms=$(echo "$bline" | sed -n 's/.*full model shown \([0-9.]*\) ms.*/\1/p')
    plotms=$(echo "$bline" | sed -n 's/.*goroutine plots \([0-9.]*\) ms.*/\1/p')
    preview=$(sed -n 's/^  preview: the first \([0-9]*\) bytes.*/\1/p' "$tmp/benchui.out")
    uload=$(echo "$bline" | sed -n 's/.*: load \([0-9.]*\) ms.*/\1/p')
    rmean=$(echo "$bline" | sed -n 's/.*mean \([0-9.]*\) ms.*/\1/p')
    rmed=$(echo "$bline" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
    rp95=$(echo "$bline" | sed -n 's/.*p95 \([0-9.]*\) ms.*/\1/p')
    rmax=$(echo "$bline" | sed -n 's/.*max \([0-9.]*\) ms.*/\1/p')

    emit "## $(basename "$f") ($smb MB, header \"$head\")"
    emit ""
    emit "| measure | gotv | Go (x/exp/trace) | gotv / Go |"
    emit "| --- | ---: | ---: | ---: |"
    emit_load_rows
    emit "| file bytes per event | $(div "$size" "$events" %.1f) | | |"
    emit "| peak RSS bytes per event | $(div "$g_rss" "$events" %.0f 1024) | $(div "$go_rss" "$go_events" %.0f 1024) | |"
    emit "| model build: gotv stats (s, incl. load) | $(f2 "$s_t") | | |"
    emit "| model build: peak RSS | $(mb "$s_rss") ($(div "$s_rss" "$events" %.1f 1024) B/event, $(div "$s_rss" "$size" %.1f 1024) x file) | | |"
    emit "| model build on one thread (GOTV_THREADS=1): s, peak RSS | $(f2 "$s1_t"), $(mb "$s1_rss") | | |"
    emit "| model build, loader beside builder (GOTV_THREADS=2): s, peak RSS | $(f2 "$s2_t"), $(mb "$s2_rss") | | |"
    emit "| explorer: load+model (ms) | $uload | | |"
    if [ -n "$preview" ]; then
        emit "| explorer: time to first frame 200x60 (ms; preview of the first $(div "$preview" 1048576 %.0f) MiB) | $first | | |"
    else
        emit "| explorer: time to first frame 200x60 (ms, incl. load) | $first | | |"
    fi
    emit "| explorer: full model shown 200x60 (ms, incl. load; goroutine plots computing) | $fullms | | |"
    emit "| explorer: goroutine plots drawn (ms, incl. load) | ${plotms:--} | | |"
    emit "| explorer: key + redraw, 300 steps (ms) | mean $rmean, median $rmed, p95 $rp95, max $rmax | | |"
    emit "| explorer: peak RSS | $(mb "$b_rss") | | |"
    if [ -n "$dur_ns" ]; then
        for div_ in 1 10 1000 100000; do
            span=$((dur_ns / div_))
            [ "$span" -lt 1000 ] && continue
            at=$(( (dur_ns - span) / 2 ))
            if [ "$div_" = 1 ]; then
                run_timed snap "$tmp/gotv" snapshot --size 200x60 "$f"
            else
                run_timed snap "$tmp/gotv" snapshot --size 200x60 --at "${at}ns" --span "${span}ns" "$f"
            fi
            if [ -s "$tmp/snap.out" ]; then
                emit "| snapshot 200x60, span 1/$div_ of the trace (s, incl. load) | $(f2 "$T") | | |"
            else
                emit "| snapshot 200x60, span 1/$div_ of the trace | failed: $(head -c 120 "$tmp/snap.err") | | |"
            fi
        done
    fi
    grep '^  slowest' "$tmp/benchui.out" | sed 's/^ *slowest //' >"$tmp/slow"
    emit ""
    if [ -s "$tmp/slow" ]; then
        emit "Slowest redraws (gotv --bench, > 5 ms):"
        emit ""
        while IFS= read -r l; do emit "- $l"; done <"$tmp/slow"
        emit ""
    fi
done
if [ -n "${BENCH_OUT:-}" ]; then cp "$out" "$BENCH_OUT"; fi

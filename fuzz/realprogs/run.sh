#!/usr/bin/env bash
# Differential run on real traces of runtime features the samples do not
# cover (session 21, fuzz/FINDINGS.md S21-1 and S21-2). First round: cgo
# calls and callbacks from C threads, LockOSThread, GOMAXPROCS changes, a
# trace started over goroutines already blocked, exec and signals, panics
# and 10k goroutines, sync primitives, CPU profiling during the trace, heavy
# GC, annotation edge cases, UDP/unix/HTTP networking, testing/synctest and
# the flight recorder. Second round: context trees and timer storms,
# Cond/Map/WaitGroup.Go, unique/weak/AddCleanup, GOGC=off with a memory
# limit, GOMAXPROCS 1 and 8 (procs: two traces), exec and file storms, TLS and HTTP/2, go test
# with parallel subtests and RunParallel, more annotation edge cases, Goexit
# in main, LockOSThread in init, traces started 3 and 6 times in a process.
#
#   fuzz/realprogs/run.sh [OUTDIR]     (default /tmp/gotv-realprogs)
#
# Each program under fuzz/realprogs/NAME writes a trace with Go on PATH,
# with GOTOOLCHAIN=go1.27.3 (fetched through the module proxy the first
# time; REAL_GO127=0 skips it) and with /usr/lib/go-1.19/bin/go (the old
# format; skipped if missing) into OUTDIR/NAME-goVER.trace; then
# tests/suite_oracle.sh (gotv dump against go tool trace -d=parsed) and
# tests/suite_analysis.sh (profiles, stats and goroutine analysis against
# go tool trace) run over them with ./gotv. Not part of make test: it
# builds ~80 programs and takes a few minutes.
#
# Left out for Go 1.19: flightrec, synctest, wggo and weakuniq (no API), cgo and longrun
# (Go 1.19's own tool cannot read C-thread callbacks: "no consistent
# ordering"), annot (Go 1.19 writes a broken trace for its ~64 KB log
# message). cpuprof-go119 is left out of the analysis suite: go tool trace
# -http panics on it (cmd/trace/gstate.go "startRunningTime != 0").
set -u
cd "$(dirname "$0")/../.."
root=$PWD
out=${1:-/tmp/gotv-realprogs}
mkdir -p "$out/bin"
export TZ=UTC GOFLAGS=-mod=mod CGO_ENABLED=1
progs=(cgo lockos gomaxprocs prestate execsig panics syncprims cpuprof heavygc annot netio
       longrun flightrec synctest
       ctxtimers syncmix wggo weakuniq memlimit procs execfiles tlsh2 gotest annot2 goexit
       lockinit restart3 restartgc)
no119=" flightrec synctest wggo weakuniq cgo longrun annot "

# gen TAG GO...: every program with this toolchain
gen() {
    local tag=$1 n t
    shift
    for n in "${progs[@]}"; do
        if [ "$tag" = go119 ] && [[ $no119 == *" $n "* ]]; then continue; fi
        t=$out/$n-$tag.trace
        rm -f "$t" "$t".[2-9]
        if [ "$n" = synctest ] || [ "$n" = gotest ]; then
            (cd "fuzz/realprogs/$n" && timeout 120 "$@" test -count=1 -run . -bench . -benchtime 100x -trace="$t" .) \
                >"$out/bin/$n-$tag.log" 2>&1 || echo "  $n $tag: go test failed (see $out/bin/$n-$tag.log)"
        else
            if ! (cd "fuzz/realprogs/$n" && "$@" build -o "$out/bin/$n-$tag" .) >"$out/bin/$n-$tag.log" 2>&1; then
                echo "  $n $tag: build failed (see $out/bin/$n-$tag.log)"
                continue
            fi
            (cd "$out" && timeout 60 "$out/bin/$n-$tag" -o "$t") >>"$out/bin/$n-$tag.log" 2>&1 ||
                echo "  $n $tag: run failed (see $out/bin/$n-$tag.log)"
        fi
        for k in 2 3 4 5 6; do
            [ -f "$t.$k" ] && mv -f "$t.$k" "$out/$n-$tag-$k.trace"
        done
        [ -f "$t" ] && echo "  $(basename "$t") $(wc -c <"$t") bytes"
    done
}

echo "Go on PATH ($(go version)):"
gen go126 env GOTOOLCHAIN=local go
if [ "${REAL_GO127:-1}" != 0 ]; then
    echo "go1.27.3:"
    gen go127 env GOTOOLCHAIN=go1.27.3 go
fi
if [ -x /usr/lib/go-1.19/bin/go ]; then
    echo "Go 1.19:"
    gen go119 env GOTOOLCHAIN=local /usr/lib/go-1.19/bin/go
fi

echo "oracle suite:"
GOTV_ORACLE_TRACES=$out bash tests/suite_oracle.sh | grep -v '^ok' | tail -20
traces=$(ls "$out"/*.trace | grep -v 'cpuprof-go119')
echo "analysis suite:"
TRACES="$traces" bash tests/suite_analysis.sh | grep -v '^ok' | tail -20

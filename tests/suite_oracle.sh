#!/usr/bin/env bash
# Oracle suite: `gotv dump F` must print exactly what `go tool trace -d=parsed F`
# prints (TZ=UTC), byte for byte, for
#   - every samples/traces/*.trace,
#   - every *.trace in the directory $GOTV_ORACLE_TRACES (if set),
#   - synthetic traces written by tests/data/loader/synth.c (built with $CC),
#   - every Go golden test /usr/local/go/src/internal/trace/testdata/tests/*.test
#     (or $GOROOT/...), converted to a binary trace at test time with
#     tests/data/loader/golden2bin.go (built against Go's internal/trace/raw
#     through a -overlay; skipped when go is missing).
# When Go fails on a trace, gotv must fail too, or succeed with a "trace
# truncated" warning and print a prefix of Go's output (gotv keeps only whole
# generations; see tui/cmd_dump.c).
# Old-format traces are skipped while `gotv dump` says the format is not supported.
# Go's outputs are cached in build/oracle-cache, keyed by the trace's SHA-256.
# Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export TZ=UTC
pass=0
fail=0
skip=0
cache=build/oracle-cache
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

have_go=0
if command -v go >/dev/null 2>&1; then
    have_go=1
    gover=$(go version 2>/dev/null | awk '{print $3}')
else
    gover=none
fi

if [ ! -x ./gotv ]; then
    echo "FAIL gotv (./gotv is not built)"
    echo "0 passed, 1 failed"
    exit 1
fi

# go_parsed FILE -> sets $gout (path) and $grc, using the cache.
go_parsed() {
    local f=$1 key
    key=$(sha256sum "$f" | cut -c1-64)-$gover
    gout=$cache/$key.out
    if [ -f "$gout" ] && [ -f "$cache/$key.rc" ]; then
        grc=$(cat "$cache/$key.rc")
        return 0
    fi
    if [ "$have_go" != 1 ]; then
        # no toolchain: accept an output cached by any Go version
        local any
        any=$(ls "$cache/$(sha256sum "$f" | cut -c1-64)"-*.rc 2>/dev/null | head -1)
        [ -n "$any" ] || return 1
        gout=${any%.rc}.out
        grc=$(cat "$any")
        return 0
    fi
    go tool trace -d=parsed "$f" >"$gout.tmp" 2>"$cache/$key.err"
    grc=$?
    mv "$gout.tmp" "$gout"
    echo "$grc" >"$cache/$key.rc"
    return 0
}

# Go's old-format converter (internal/trace/tracev1.go) emits the goroutines
# created before the trace as Undetermined->Runnable at consecutive made-up
# times in the order of a map's iteration, which changes from run to run;
# gotv's order is one of them. norm_preinit FILE puts the goroutine ids of
# each such run of lines in ascending order (times stay as they are).
norm_preinit() {
    awk '
    function flush(   i, j, t) {
        for (i = 1; i <= nb; i++) for (j = i + 1; j <= nb; j++)
            if (id[j] + 0 < id[i] + 0) { t = id[i]; id[i] = id[j]; id[j] = t }
        for (i = 1; i <= nb; i++) { l = pre[i]; sub(/GoID=[0-9]+/, "GoID=" id[i], l); print l }
        nb = 0
    }
    /^M=-1 P=-1 G=-1 StateTransition Time=[0-9]+ GoID=[0-9]+ Undetermined->Runnable Reason=""$/ {
        nb++; pre[nb] = $0; g = $0; sub(/.*GoID=/, "", g); sub(/ .*/, "", g); id[nb] = g; next
    }
    { if (nb) flush(); print }
    END { if (nb) flush() }' "$1"
}

# same_parsed GOTV_OUT GO_OUT: the same events (see norm_preinit)
same_parsed() {
    cmp -s "$1" "$2" && return 0
    grep -q 'Undetermined->Runnable' "$2" || return 1
    cmp -s <(norm_preinit "$1") <(norm_preinit "$2")
}

check() { # NAME FILE
    local name=$1 f=$2 rc out=$tmp/gotv.out err=$tmp/gotv.err
    ./gotv dump "$f" >"$out" 2>"$err"
    rc=$?
    if [ "$rc" -ne 0 ] && grep -qiE 'old trace format .*not supported|not supported yet' "$err"; then
        echo "skip $name (old format not supported yet)"
        skip=$((skip + 1))
        return
    fi
    if ! go_parsed "$f"; then
        echo "skip $name (no go toolchain and no cached output)"
        skip=$((skip + 1))
        return
    fi
    if [ "$grc" -eq 0 ]; then
        if [ "$rc" -eq 0 ] && same_parsed "$out" "$gout"; then
            echo "ok $name"
            pass=$((pass + 1))
        else
            echo "FAIL $name (gotv exit $rc, go exit 0)"
            head -3 "$err" | sed 's/^/    stderr: /'
            diff "$gout" "$out" | head -12 | sed 's/^/    /'
            fail=$((fail + 1))
        fi
        return
    fi
    # Go failed.
    local n g
    n=$(wc -c <"$out")
    g=$(wc -c <"$gout")
    if [ "$rc" -ne 0 ]; then
        echo "ok $name (both fail)"
        pass=$((pass + 1))
    elif grep -q 'trace truncated at byte' "$err" && [ "$n" -le "$g" ] && cmp -s -n "$n" "$out" "$gout"; then
        echo "ok $name (go fails; gotv keeps a prefix and warns)"
        pass=$((pass + 1))
    else
        echo "FAIL $name (go exit $grc, gotv exit $rc)"
        head -3 "$err" | sed 's/^/    stderr: /'
        diff "$gout" "$out" | head -12 | sed 's/^/    /'
        fail=$((fail + 1))
    fi
}

for f in samples/traces/*.trace; do
    [ -f "$f" ] || continue
    check "$(basename "$f")" "$f"
done

if [ -n "${GOTV_ORACLE_TRACES:-}" ] && [ -d "$GOTV_ORACLE_TRACES" ]; then
    for f in "$GOTV_ORACLE_TRACES"/*.trace; do
        [ -f "$f" ] || continue
        check "extra/$(basename "$f")" "$f"
    done
fi

# Synthetic traces (tests/data/loader/synth.c): every event kind, odd strings,
# empty stacks, big values, clock snapshot edge cases.
cc=${CC:-cc}
if command -v "$cc" >/dev/null 2>&1 &&
    "$cc" -std=c11 -I. -o "$tmp/synth" tests/data/loader/synth.c tests/lib/tracegen.c >"$tmp/synth.log" 2>&1; then
    mkdir -p "$tmp/synth-out"
    "$tmp/synth" "$tmp/synth-out"
    for f in "$tmp"/synth-out/*.trace; do
        [ -f "$f" ] || continue
        check "$(basename "$f" .trace)" "$f"
    done
else
    echo "skip synthetic traces (cannot build tests/data/loader/synth.c)"
fi

# Go's golden tests.
if [ "$have_go" = 1 ]; then
    goroot=$(go env GOROOT 2>/dev/null)
    tdir=$goroot/src/internal/trace/testdata/tests
    conv=$cache/golden2bin-$gover
    if [ -d "$tdir" ]; then
        if [ ! -x "$conv" ]; then
            ov=$tmp/overlay.json
            dst=$goroot/src/internal/trace/gotvtest/golden2bin/main.go
            printf '{"Replace":{"%s":"%s"}}\n' "$dst" "$PWD/tests/data/loader/golden2bin.go" >"$ov"
            (cd "$goroot/src" && go build -overlay="$ov" -o "$OLDPWD/$conv" ./internal/trace/gotvtest/golden2bin) \
                >"$tmp/build.log" 2>&1 || { echo "skip golden tests (cannot build golden2bin)"; sed 's/^/    /' "$tmp/build.log" | head -5; }
        fi
        if [ -x "$conv" ]; then
            mkdir -p "$cache/golden"
            for t in "$tdir"/*.test; do
                [ -f "$t" ] || continue
                name=$(basename "$t" .test)
                key=$(sha256sum "$t" | cut -c1-16)
                bin=$cache/golden/$name-$key.trace
                if [ ! -f "$bin" ]; then
                    if ! "$conv" "$t" >"$bin.tmp" 2>/dev/null; then
                        echo "skip golden/$name (conversion failed)"
                        rm -f "$bin.tmp"
                        skip=$((skip + 1))
                        continue
                    fi
                    mv "$bin.tmp" "$bin"
                fi
                check "golden/$name" "$bin"
            done
        fi
    fi
else
    echo "skip golden tests (go not found)"
fi

echo "$skip skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

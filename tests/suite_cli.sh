#!/usr/bin/env bash
# The command line and the project's own files: --help, --version, exit codes,
# README keys block in sync with the keymap, make install/uninstall into DESTDIR,
# the samples the README promises. Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
G=${GOTV_BIN:-./gotv}
pass=0; fail=0
ok()  { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1${2:+: $2}"; fail=$((fail + 1)); }
check() { # name expected-rc command...
    local name=$1 want=$2; shift 2
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want: $(echo "$out" | head -2)"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sample=samples/traces/annotated.trace

check "--help exits 0" 0 "$G" --help
"$G" --help | grep -q 'gotv dump FILE' && ok "--help lists the commands" || bad "--help lists the commands"
check "--version exits 0" 0 "$G" --version
"$G" --version | grep -Eq '^gotv [0-9]+\.[0-9]+\.[0-9]+' && ok "--version prints a version" || bad "--version prints a version"
# in a git checkout, the commit it was built from is HEAD (main.o is rebuilt when HEAD moves)
if rev=$(git rev-parse --short HEAD 2>/dev/null) && [ -z "${GOTV_BIN:-}" ]; then
    v=$("$G" --version)
    [ "$v" = "gotv $(cat VERSION) ($rev)" ] && ok "--version names HEAD" || bad "--version names HEAD" "$v, HEAD $rev"
fi
check "no arguments is a usage error" 2 "$G"
check "unknown pprof type is a usage error" 2 "$G" pprof bogus "$sample"
check "dump without FILE is a usage error" 2 "$G" dump
check "stats of a missing file exits 1" 1 "$G" stats "$tmp/nope.trace"
printf 'not a trace at all' > "$tmp/bad.trace"
check "dump of a non-trace exits 1" 1 "$G" dump "$tmp/bad.trace"
msg=$("$G" dump "$tmp/bad.trace" 2>&1 >/dev/null)
case "$msg" in
    "gotv: $tmp/bad.trace: "*" at byte "[0-9]*) ok "error names the file and the byte" ;;
    *) bad "error names the file and the byte" "$msg" ;;
esac
for c in dump stats goroutines; do
    check "$c of a sample exits 0" 0 "$G" $c "$sample"
done
# GOTV_THREADS: one thread or always two (the loader beside the builder, the
# finish's side thread) give the same outputs and exit codes, also for a
# truncated trace (built twice) and an old-format one
trunc="tests/data/bad/no-eog-second-gen.trace tests/data/bad/go119-batch-cut.trace"
for f in samples/traces/stress.trace samples/traces/workerpool-go119.trace $trunc; do
    for c in stats goroutines "pprof sync" "dump --spans"; do
        a=$(GOTV_THREADS=1 "$G" $c "$f" 2>&1 | md5sum; echo "${PIPESTATUS[0]}")
        b=$(GOTV_THREADS=2 "$G" $c "$f" 2>&1 | md5sum; echo "${PIPESTATUS[0]}")
        [ "$a" = "$b" ] && ok "GOTV_THREADS=1 and 2 agree: $c ${f##*/}" \
            || bad "GOTV_THREADS=1 and 2 agree: $c ${f##*/}"
    done
done
for f in samples/traces/*.trace; do
    out=$(python3 tests/spancheck.py "$G" "$f" 2>&1) && ok "dump --spans agrees with goroutines --json: ${f##*/}" \
        || bad "dump --spans agrees with goroutines --json: ${f##*/}" "$(echo "$out" | head -2)"
done
# the goroutines table line by line against --json, every sort key (ids past
# 2^31 and negative ones, names cut or padded, the order of ties)
out=$(python3 tests/gtextcheck.py "$G" samples/traces/*.trace fuzz/corpus/s8-huge-ids.trace \
      fuzz/corpus/edge-goid-huge.trace fuzz/corpus/s8-wakers.trace 2>&1) \
    && ok "goroutines table agrees with goroutines --json" \
    || bad "goroutines table agrees with goroutines --json" "$(echo "$out" | head -2)"
check "pprof sync to a file exits 0" 0 sh -c "'$G' pprof sync '$sample' > '$tmp/p.pb'"
check "snapshot of a sample exits 0" 0 "$G" snapshot --size 80x24 "$sample"
# stdout not a tty: every non-interactive command works in a pipe
"$G" goroutines --json "$sample" | head -c 1 | grep -q '{' && ok "goroutines --json in a pipe" || bad "goroutines --json in a pipe"

# README keys block equals the table generated from the keymap.
if scripts/readme_keys.sh "$G" | cmp -s - README.md; then ok "README keys block is current"
else bad "README keys block is current" "run scripts/readme_keys.sh > README.new && mv README.new README.md"; fi
grep -q 'make run' README.md && grep -q 'make test' README.md && ok "README gives make run and make test" || bad "README gives make run and make test"

# make install / uninstall into a staging directory.
if make -s install DESTDIR="$tmp/stage" PREFIX=/usr >/dev/null 2>&1 \
   && [ -x "$tmp/stage/usr/bin/gotv" ] && [ -f "$tmp/stage/usr/share/man/man1/gotv.1" ]; then
    ok "make install DESTDIR"
else bad "make install DESTDIR"; fi
if ! command -v man >/dev/null; then echo "skip man page renders (no man)"
elif MANWIDTH=80 man -l "$tmp/stage/usr/share/man/man1/gotv.1" 2>/dev/null | grep -q 'gotv dump'; then
    ok "man page renders"; else bad "man page renders"; fi
make -s uninstall DESTDIR="$tmp/stage" PREFIX=/usr >/dev/null 2>&1
[ ! -e "$tmp/stage/usr/bin/gotv" ] && ok "make uninstall" || bad "make uninstall"

# Samples: at least 10 programs, each with its committed trace; 3+ old-format traces.
n=0
for d in samples/*/; do
    name=$(basename "$d")
    [ -f "$d/main.go" ] || continue
    n=$((n + 1))
    ls samples/traces/"$name"*.trace >/dev/null 2>&1 || bad "sample $name has a trace"
done
[ "$n" -ge 10 ] && ok "$n sample programs" || bad "at least 10 sample programs" "$n"
o=$(ls samples/traces/*-go119.trace 2>/dev/null | wc -l)
[ "$o" -ge 3 ] && ok "$o old-format sample traces" || bad "at least 3 old-format traces"
big=$(find samples/traces -name '*.trace' -size +4M | head -1)
[ -z "$big" ] && ok "every sample trace under 4 MB" || bad "every sample trace under 4 MB" "$big"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# The explorer's preview-and-swap path in a real terminal (tmux), on hostile
# variants of multi-generation traces: keys that build view state while the
# preview is up (search, panel, fold, goroutine and task tables), then the
# swap to the full model (or the failed-load banner), more keys, Q. The
# preview keeps a random number of its first events (GOTV_PREVIEW_EVENTS).
#   fuzz/preview_tmux.sh GOTV ROUNDS SEED TRACE...
# GOTV should be an ASan/UBSan build; reports go to a log file per round. A
# failure (sanitizer report, no EXIT= line, exit status not 0/1) keeps the
# variant in build-fuzz/preview-fail/. Last line: "N rounds, N failures".
set -u
gotv=$1 rounds=$2 seed=$3; shift 3
SOCK=gotv-pvfuzz-$$
tmp=$(mktemp -d)
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
tm() { tmux -L "$SOCK" "$@"; }
mkdir -p build-fuzz/preview-fail
tm -f /dev/null new-session -d -s keeper -x 80 -y 24 "sleep 3600"
fails=0
for r in $(seq 1 "$rounds"); do
    p=$(python3 - "$seed" "$r" "$tmp/v.trace" "$@" <<'PY'
import random, sys
seed, r, out, traces = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
rng = random.Random(seed * 100003 + r)
t = rng.choice(traces); d = bytearray(open(t, 'rb').read()); L = len(d)
p = rng.randint(int(L * 0.3), int(L * 0.9))
k = rng.choice(['cut', 'flip', 'drop', 'dup', 'none'])
if k == 'cut': d = d[:rng.randint(p + 1, L)]
if k == 'flip':
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(p, L); d[i] = rng.randrange(256)
if k == 'drop':
    a = rng.randrange(p, L); d = d[:a] + d[a + rng.randint(1, 2000):]
if k == 'dup':
    a = rng.randrange(16, p); b = min(L, a + rng.randint(1, 3000)); d = d[:p] + d[a:b] + d[p:]
open(out, 'wb').write(d)
print(p, k, rng.choice([0, 1, rng.randint(2, 500), rng.randint(500, 50000)]), t)
PY
)
    read -r pb kind pe base <<<"$p"
    W=r$r
    rm -f "$tmp"/asan.*
    tm new-session -d -s "$W" -x 160 -y 45 \
        "env ASAN_OPTIONS=log_path=$tmp/asan:detect_leaks=1 UBSAN_OPTIONS=log_path=$tmp/asan:halt_on_error=1:print_stacktrace=1 GOTV_PREVIEW_BYTES=$pb GOTV_PREVIEW_EVENTS=$pe GOTV_PREVIEW_DELAY_MS=150 $gotv $tmp/v.trace; echo EXIT=\$?; sleep 600"
    sleep 0.8
    for k in / w o r k Enter j j j Enter '}' '}' Esc j Enter Tab j j Tab j Tab G Enter + + n; do
        tm send-keys -t "$W" "$k"; sleep 0.05
    done
    sleep 2.5
    for k in j Enter '}' Esc Tab Tab Tab 0 n N; do tm send-keys -t "$W" "$k"; sleep 0.05; done
    sleep 0.5
    tm send-keys -t "$W" Q
    ok=0
    for _ in $(seq 100); do
        s=$(tm capture-pane -p -t "$W" 2>/dev/null)
        if grep -qE '^EXIT=[01]$' <<<"$s"; then ok=1; break; fi
        if grep -qE '^EXIT=' <<<"$s"; then break; fi
        sleep 0.1
    done
    if [ "$ok" != 1 ] || ls "$tmp"/asan.* >/dev/null 2>&1; then
        fails=$((fails + 1))
        name=build-fuzz/preview-fail/tmux-$seed-$r-$kind-p$pb-e$pe.trace
        cp "$tmp/v.trace" "$name"
        echo "FAIL round $r ($kind of ${base##*/}, GOTV_PREVIEW_BYTES=$pb GOTV_PREVIEW_EVENTS=$pe): $name"
        tm capture-pane -p -t "$W" | grep -E '^EXIT=' | sed 's/^/    /'
        cat "$tmp"/asan.* 2>/dev/null | grep -E 'ERROR|runtime error|^ *#[0-6] ' | head -12 | sed 's/^/    /'
        cat "$tmp"/asan.* > "$name.log" 2>/dev/null
    fi
    tm kill-session -t "$W" 2>/dev/null
done
echo "$rounds rounds, $fails failures (seed $seed)"
[ "$fails" -eq 0 ]

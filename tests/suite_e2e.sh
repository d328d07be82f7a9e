#!/usr/bin/env bash
# End-to-end tests of the explorer: the real ./gotv in tmux (send-keys,
# capture-pane) on a private tmux server, plus snapshot and CLI checks.
# Every wait is bounded; the tmux server is always killed at the end.
# Last line: "N passed, N failed"; exit status non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C.UTF-8
GOTV=${GOTV:-./gotv}
T=samples/traces
SOCK=gotv-test-$$
pass=0; fail=0
tmp=$(mktemp -d)
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
no() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "     $2"; }
check() { # name, command...
    local name=$1; shift
    if "$@"; then ok "$name"; else no "$name"; fi
}

if ! command -v tmux >/dev/null; then echo "tmux missing"; echo "0 passed, 1 failed"; exit 1; fi
if [ ! -x "$GOTV" ]; then echo "build ./gotv first"; echo "0 passed, 1 failed"; exit 1; fi
# a private copy: other work in this tree may rebuild ./gotv while we run
cp "$GOTV" "$tmp/gotv" && GOTV=$tmp/gotv

tm() { tmux -L "$SOCK" "$@"; }
cap() { tm capture-pane -p -t "$1"; }
# wait_for WINDOW REGEX [SECONDS]: poll the screen until it matches
wait_for() {
    local w=$1 re=$2 limit=${3:-5} i=0
    while [ "$i" -lt $((limit * 10)) ]; do
        if cap "$w" | grep -qE -- "$re"; then return 0; fi
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
flag() { tm display -p -t "$1" "#{$2}"; }
# gotv_pid WINDOW: the explorer running in that pane (child of the pane's shell)
gotv_pid() { pgrep -P "$(tm display -p -t "$1" '#{pane_pid}')" | head -1; }
# start NAME WxH CMD...: run a command in a new window of a fresh session
start() {
    local name=$1 size=$2; shift 2
    local w=${size%x*} h=${size#*x}
    tm new-session -d -s "$name" -x "$w" -y "$h" \
        "$* ; echo EXIT=\$?; sleep 120"
}
# a keeper session holds the private server up between tests
tm -f /dev/null new-session -d -s keeper -x 80 -y 24 "sleep 600"
tm set -g default-terminal tmux-256color 2>/dev/null

# ---- CLI ----------------------------------------------------------------------
out=$("$GOTV" /nonexistent/x.trace 2>&1); rc=$?
check "unreadable trace: exit 1" [ "$rc" -eq 1 ]
check "unreadable trace: message" grep -q '^gotv: /nonexistent/x.trace: .* at byte 0$' <<<"$out"
printf 'not a trace at all, just text\n' >"$tmp/bad.trace"
out=$("$GOTV" "$tmp/bad.trace" 2>&1); rc=$?
check "malformed trace: exit 1 with offset" [ "$rc" -eq 1 -a -n "$(grep -E 'bad.trace: .* at byte [0-9]+' <<<"$out")" ]
"$GOTV" --at banana $T/workerpool.trace >/dev/null 2>&1; rc=$?
check "bad --at: usage exit 2" [ "$rc" -eq 2 ]
"$GOTV" snapshot --size 3x3 $T/workerpool.trace >/dev/null 2>&1; rc=$?
check "bad --size: usage exit 2" [ "$rc" -eq 2 ]
"$GOTV" snapshot --goroutine 999999 $T/workerpool.trace >/dev/null 2>&1; rc=$?
check "unknown --goroutine: exit 2" [ "$rc" -eq 2 ]
check "docs/keys.md is generated from the keymap" diff -q <("$GOTV" --keys) docs/keys.md
check "docs/gotv.1 key list is generated from the keymap" \
    diff -q <("$GOTV" --keys-roff) <(sed -n '/^\.\\" keys:begin/,/^\.\\" keys:end/p' docs/gotv.1 | sed '1d;$d')
if command -v man >/dev/null; then
    check "docs/gotv.1 renders without warnings" bash -c "[ -z \"\$(man --warnings -l docs/gotv.1 2>&1 >/dev/null)\" ]"
fi

# ---- snapshots of every sample: H lines, <= W columns, no escapes ------------------
snap_ok=1
for f in $T/*.trace; do
    for size in 80x24 200x60; do
        w=${size%x*}; h=${size#*x}
        s=$("$GOTV" snapshot --size "$size" "$f" 2>/dev/null) || { snap_ok=0; echo "     snapshot failed: $f"; continue; }
        n=$(printf '%s\n' "$s" | wc -l)
        maxw=$(printf '%s\n' "$s" | wc -L)
        if [ "$n" -ne "$h" ] || [ "$maxw" -gt "$w" ]; then snap_ok=0; echo "     $f $size: $n lines, width $maxw"; fi
        if printf '%s' "$s" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]'; then snap_ok=0; echo "     $f: control bytes"; fi
    done
done
check "snapshots: every sample, 80x24 and 200x60, exact size, no control bytes" [ "$snap_ok" -eq 1 ]
s=$("$GOTV" snapshot --size 100x30 --at 100ms --span 50ms --goroutine 9 $T/workerpool.trace)
check "snapshot view flags: axis starts at 100ms, span 50ms" grep -q '^@100ms /50.0ms' <<<"$s"
check "snapshot --goroutine opens the panel" grep -q 'blocking episodes' <<<"$s"

# ---- the explorer in tmux ---------------------------------------------------------
W=main
start $W 120x35 "$GOTV" $T/workerpool.trace
if wait_for $W 'Timeline' 5; then ok "open: first frame"; else no "open: first frame"; fi
"$GOTV" snapshot --size 120x35 $T/workerpool.trace >"$tmp/snap"
same=0
for i in $(seq 30); do
    cap $W | sed 's/ *$//' >"$tmp/cap"
    if cmp -s "$tmp/cap" "$tmp/snap"; then same=1; break; fi
    sleep 0.1
done
check "open: the screen is exactly the snapshot" [ "$same" -eq 1 ]
[ "$same" -eq 1 ] || diff "$tmp/cap" "$tmp/snap" | head -10
check "open: alternate screen on" [ "$(flag $W alternate_on)" = 1 ]
check "open: SGR mouse on" [ "$(flag $W mouse_sgr_flag)" = 1 ]

tm send-keys -t $W '?'
check "help: shows keys generated from the keymap" wait_for $W 'scroll the timeline left'
tm send-keys -t $W q
check "help: q closes it" wait_for $W '^@0ns /450ms'

tm send-keys -t $W +
check "zoom: + halves the span" wait_for $W '^@0ns /225ms'
tm send-keys -t $W -
check "zoom: - restores it" wait_for $W '^@0ns /450ms'
tm send-keys -t $W +
tm send-keys -t $W l
check "scroll: l moves the view" wait_for $W '^@28.1ms /225ms'
tm send-keys -t $W 0
check "fit: 0 shows the whole trace" wait_for $W '/450ms'
# wheel up at the pointer (SGR report typed into the pane)
tm send-keys -t $W -l $'\033[<64;60;10M'
check "mouse: wheel zooms" wait_for $W '/225ms'
tm send-keys -t $W 0

tm send-keys -t $W / w o r k e r Enter
check "search: /worker finds the workers" wait_for $W 'match 1 of 8: G9 main.worker'
tm send-keys -t $W n
check "search: n goes to the next match" wait_for $W 'match 2 of 8: G10 main.worker'
tm send-keys -t $W k
check "select: k moves to the previous lane" wait_for $W '^G9 main.worker: '
tm send-keys -t $W Enter
check "panel: Enter opens the goroutine panel" wait_for $W 'blocking episodes \([0-9]+, longest first\)'
check "panel: creation stack and breakdown" wait_for $W 'scheduler wait'
tm send-keys -t $W u
check "panel: u jumps to the unblocker" wait_for $W 'unblocker: G17 main.produce'
tm send-keys -t $W q
check "q goes back to where we were" wait_for $W '^ G9 main.worker '
tm send-keys -t $W Escape
check "Esc (lone) closes the panel" bash -c "for i in \$(seq 50); do tmux -L $SOCK capture-pane -p -t $W | grep -q 'blocking episodes' || exit 0; sleep 0.1; done; exit 1"
tm send-keys -t $W : t ' ' 1 0 0 m s Enter
check ":t 100ms moves the cursor" wait_for $W '^@100ms '
tm send-keys -t $W Tab
check "Tab: goroutine table" wait_for $W 'Sched wait'
tm send-keys -t $W Tab
check "Tab: regions/tasks table" wait_for $W 'Goroutines / task|no tasks or regions'
tm send-keys -t $W Tab
tm send-keys -t $W y
check "y shows the command line of this view" wait_for $W 'gotv --at [0-9.]+[mun]?s --span [0-9.]+[mun]?s .*workerpool.trace'

tm resize-window -t $W -x 80 -y 24 2>/dev/null || tm resize-pane -t $W -x 80 -y 24
for i in $(seq 30); do
    cap $W >"$tmp/small"
    sed -n 24p "$tmp/small" | grep -q 'q back' && break
    sleep 0.1
done
check "resize: 80x24 redraws (title and status line)" bash -c "head -1 '$tmp/small' | grep -q 'gotv workerpool' && sed -n 24p '$tmp/small' | grep -q 'q back'"
check "resize: nothing wider than 80 columns" [ "$(wc -L <"$tmp/small")" -le 80 ]

tm send-keys -t $W q q q q q
check "quit: exit status 0" wait_for $W '^EXIT=0$'
check "quit: alternate screen off" [ "$(flag $W alternate_on)" = 0 ]
check "quit: mouse reporting off" [ "$(flag $W mouse_any_flag)" = 0 ]
check "quit: cursor visible, keypad mode off" [ "$(flag $W cursor_flag)" = 1 -a "$(flag $W keypad_cursor_flag)" = 0 ]
tm kill-session -t $W

# ---- signals restore the terminal ------------------------------------------------------
for sig in TERM INT HUP; do
    W=sig$sig
    start $W 100x30 "$GOTV" $T/workerpool.trace
    if wait_for $W 'Timeline' 5; then
        pid=$(gotv_pid $W)
        kill -$sig "$pid" 2>/dev/null
        if wait_for $W '^EXIT=' 5; then
            code=$(cap $W | sed -n 's/^EXIT=//p')
            check "SIG$sig: exits ($code) with the terminal restored" \
                [ "$(flag $W alternate_on)" = 0 -a "$(flag $W mouse_any_flag)" = 0 -a "$code" -ne 0 ]
        else
            no "SIG$sig: exits"
        fi
    else
        no "SIG$sig: start"
    fi
    tm kill-session -t $W 2>/dev/null
done

# the terminal goes away: the pane is killed under the explorer
W=dead
start $W 100x30 "$GOTV" $T/workerpool.trace
wait_for $W 'Timeline' 5
pid=$(gotv_pid $W)
tm kill-session -t $W
gone=0
for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || { gone=1; break; }; sleep 0.1; done
check "dead terminal: the explorer exits" [ "$gone" -eq 1 ]

# ---- suspend and resume (C-z) -------------------------------------------------------
# A shell with job control: gotv stops, the shell goes on, then resumes it with fg.
W=susp
tm new-session -d -s $W -x 100 -y 30 \
    "bash -c 'set -m; $GOTV $T/workerpool.trace; echo STOPPED=\$?; sleep 2; fg; echo EXIT=\$?; sleep 120'"
if wait_for $W 'Timeline' 5; then
    pid=$(pgrep -f "^$GOTV $T/workerpool.trace" | head -1)
    tm send-keys -t $W C-z
    check "C-z: the shell sees the explorer stopped" wait_for $W '^STOPPED=148$'
    check "C-z: terminal restored while stopped" \
        [ "$(ps -o stat= -p "$pid" | cut -c1)" = T -a "$(flag $W alternate_on)" = 0 -a "$(flag $W mouse_any_flag)" = 0 ]
    check "fg: redraws the explorer" wait_for $W 'Timeline' 5
    check "fg: alternate screen and mouse back" bash -c "sleep 0.3; [ \"\$(tmux -L $SOCK display -p -t $W '#{alternate_on}#{mouse_sgr_flag}')\" = 11 ]"
    tm send-keys -t $W q
    check "fg: q still quits with 0" wait_for $W '^EXIT=0$'
else
    no "C-z: start"
fi
tm kill-session -t $W 2>/dev/null

# ---- colours, NO_COLOR, ASCII, 8-colour xterm ------------------------------------------
W=col
start $W 100x30 "$GOTV" $T/workerpool.trace
wait_for $W 'Timeline' 5
check "colour: 256-colour sequences on screen" bash -c "tmux -L $SOCK capture-pane -e -p -t $W | grep -q '38;5;'"
tm send-keys -t $W Q
tm kill-session -t $W
W=nocol
start $W 100x30 env NO_COLOR=1 "$GOTV" $T/workerpool.trace
wait_for $W 'Timeline' 5
check "NO_COLOR: no colour sequences, glyphs still there" bash -c "! tmux -L $SOCK capture-pane -e -p -t $W | grep -qE '\[(3[0-7]|38;5|4[0-7]|48;5)[;m]' && tmux -L $SOCK capture-pane -p -t $W | grep -q '─'"
tm send-keys -t $W Q
tm kill-session -t $W
W=ascii
start $W 100x30 env LC_ALL=C LANG=C "$GOTV" $T/workerpool.trace
wait_for $W 'Timeline' 5
check "ASCII locale: only ASCII on screen" bash -c "! tmux -L $SOCK capture-pane -p -t $W | LC_ALL=C grep -q '[^ -~]' && tmux -L $SOCK capture-pane -p -t $W | grep -q -- '---'"
tm send-keys -t $W Q
tm kill-session -t $W
W=xterm
start $W 100x30 env TERM=xterm "$GOTV" $T/workerpool.trace
wait_for $W 'Timeline' 5
check "TERM=xterm (8 colours, kmous=\\E[<): draws" wait_for $W '@0ns /450ms'
tm send-keys -t $W -l $'\033[<64;60;10M'
check "TERM=xterm: SGR wheel still decoded" wait_for $W '/225ms'
tm send-keys -t $W Down
check "TERM=xterm: arrow keys" wait_for $W '^G17 main.produce: '
tm send-keys -t $W Q
check "TERM=xterm: quits with 0" wait_for $W '^EXIT=0$'
tm kill-session -t $W

# ---- hostile strings never reach the terminal ---------------------------------------
W=hostile
start $W 160x40 "$GOTV" $T/hostile.trace
wait_for $W 'Timeline' 5
title0=$(flag $W pane_title)
tm send-keys -t $W Tab Tab
check "hostile: escapes shown as text (\\x1b)" wait_for $W '\\x1b'
tm send-keys -t $W j j j j Enter
sleep 0.5
tm send-keys -t $W Tab
tm send-keys -t $W / P W N E D Enter
wait_for $W 'PWNED' 3
check "hostile: window title unchanged" [ "$(flag $W pane_title)" = "$title0" ]
check "hostile: still in the alternate screen, nothing cleared it" wait_for $W 'gotv hostile.trace'
check "hostile: no bell, no OSC 52 from the trace" [ "$(flag $W window_bell_flag)" != 1 ]
tm send-keys -t $W Q
check "hostile: quits with 0" wait_for $W '^EXIT=0$'
tm kill-session -t $W

# ---- big traces open with a preview (forced on a small sample) -------------------------
# cpubound.trace has two generations: its first 5000 bytes hold the first one
# (1.01s of 1.57s). GOTV_PREVIEW_DELAY_MS slows the background load down so
# that the preview stays on screen long enough to be seen.
W=preview
start $W 120x35 env GOTV_PREVIEW_BYTES=5000 GOTV_PREVIEW_DELAY_MS=1000 "$GOTV" $T/cpubound.trace
check "preview: banner in the status line" wait_for $W '(loading [0-9]+%|indexing) - showing the first 1.01s of the trace$' 5
check "preview: the title has the preview's duration" bash -c "tmux -L $SOCK capture-pane -p -t $W | head -1 | grep -q 'cpubound.trace  go1.26  1.01s '"
tm send-keys -t $W + j j
check "preview: keys work while loading" wait_for $W '^@0ns /507ms'
sleep 0.2
sel=$(cap $W | tail -1 | grep -oE '^G[0-9]+ ')
check "preview: still loading after the keys" bash -c "tmux -L $SOCK capture-pane -p -t $W | tail -1 | grep -q 'showing the first 1.01s'"
check "preview: the full model replaces it" wait_for $W '^ gotv cpubound.trace  go1.26  1.57s ' 10
check "preview: the goroutine plots of the full model still computing" wait_for $W '^G running +computing\.\.\.' 2
check "preview: then drawn" wait_for $W '^G running [0-9]+ +[^ c]' 10
check "preview: banner gone, status line back" bash -c "sleep 0.2; s=\$(tmux -L $SOCK capture-pane -p -t $W); ! grep -q 'showing the first' <<<\"\$s\" && tail -1 <<<\"\$s\" | grep -q 'q back'"
check "preview: zoom and selected goroutine kept" bash -c "s=\$(tmux -L $SOCK capture-pane -p -t $W); grep -q '^@0ns /507ms' <<<\"\$s\" && [ -n '$sel' ] && tail -1 <<<\"\$s\" | grep -q '^$sel'"
tm send-keys -t $W 0
check "preview: 0 fits the whole (full) trace" wait_for $W '^@0ns /1.57s'
tm send-keys -t $W Q
check "preview: Q exits 0" wait_for $W '^EXIT=0$'
check "preview: terminal restored" [ "$(flag $W alternate_on)" = 0 -a "$(flag $W mouse_any_flag)" = 0 ]
tm kill-session -t $W

W=pvquit
start $W 120x35 env GOTV_PREVIEW_BYTES=5000 GOTV_PREVIEW_DELAY_MS=60000 "$GOTV" $T/cpubound.trace
if wait_for $W 'loading [0-9]+% - showing the first' 5; then
    t0=$(date +%s%N)
    tm send-keys -t $W q
    if wait_for $W '^EXIT=0$' 5; then
        ms=$((($(date +%s%N) - t0) / 1000000))
        check "preview: q while loading exits 0 at once (${ms} ms)" [ "$ms" -lt 1500 ]
        check "preview: q while loading restores the terminal" [ "$(flag $W alternate_on)" = 0 -a "$(flag $W mouse_any_flag)" = 0 ]
    else
        no "preview: q while loading exits"
    fi
else
    no "preview: q while loading: start"
fi
tm kill-session -t $W 2>/dev/null

# quit while the full model's goroutine plots are still computing: at once
W=pvplotq
start $W 120x35 env GOTV_PREVIEW_BYTES=5000 GOTV_PREVIEW_DELAY_MS=3000 "$GOTV" $T/cpubound.trace
if wait_for $W '^G running +computing\.\.\.' 30 && wait_for $W '^ gotv cpubound.trace  go1.26  1.57s ' 1; then
    t0=$(date +%s%N)
    tm send-keys -t $W Q
    if wait_for $W '^EXIT=0$' 5; then
        ms=$((($(date +%s%N) - t0) / 1000000))
        check "full model shown, plots computing: Q exits 0 at once (${ms} ms)" [ "$ms" -lt 1500 ]
    else
        no "full model shown, plots computing: Q exits"
    fi
else
    no "full model shown, plots computing: start"
fi
tm kill-session -t $W 2>/dev/null

# view options past the preview apply after the swap, or fail as without it
W=pvopts
start $W 120x35 env GOTV_PREVIEW_BYTES=5000 GOTV_PREVIEW_DELAY_MS=500 "$GOTV" --at 1.2s --span 100ms $T/cpubound.trace
check "preview: --at past the preview: said so while loading" wait_for $W '^the view options apply once the whole trace is loaded' 5
check "preview: --at past the preview: applied after the swap" wait_for $W '^@1.20s /100ms' 10
tm send-keys -t $W Q
check "preview: --at past the preview: Q exits 0" wait_for $W '^EXIT=0$'
tm kill-session -t $W
W=pvopts2
start $W 120x35 env GOTV_PREVIEW_BYTES=5000 GOTV_PREVIEW_DELAY_MS=300 "$GOTV" --at 5s $T/cpubound.trace
check "preview: --at past the whole trace: exit 2 with the usual message" \
    bash -c "for i in \$(seq 100); do s=\$(tmux -L $SOCK capture-pane -p -t $W); grep -q '^EXIT=2$' <<<\"\$s\" && grep -q '^gotv: --at is past the end of the trace' <<<\"\$s\" && exit 0; sleep 0.1; done; exit 1"
tm kill-session -t $W

# no complete generation in the prefix: the progress screen, then the explorer
W=pvnone
start $W 120x35 env GOTV_PREVIEW_BYTES=2000 GOTV_PREVIEW_DELAY_MS=700 "$GOTV" $T/cpubound.trace
check "no preview possible: progress screen" wait_for $W 'Loading .*cpubound.trace  [0-9]+%' 5
check "no preview possible: then the full trace" wait_for $W '^ gotv cpubound.trace  go1.26  1.57s ' 10
tm send-keys -t $W q
check "no preview possible: q exits 0" wait_for $W '^EXIT=0$'
tm kill-session -t $W
W=pvcancel
start $W 120x35 env GOTV_PREVIEW_BYTES=2000 GOTV_PREVIEW_DELAY_MS=60000 "$GOTV" $T/cpubound.trace
wait_for $W 'Loading .*cpubound.trace' 5
tm send-keys -t $W q
check "progress screen: q cancels (exit 130, message)" wait_for $W '^EXIT=130$' 5
check "progress screen: cancel message after the restored terminal" \
    bash -c "tmux -L $SOCK capture-pane -p -t $W | grep -q '^gotv: loading cancelled' && [ \"\$(tmux -L $SOCK display -p -t $W '#{alternate_on}')\" = 0 ]"
tm kill-session -t $W
# a broken trace on the preview path (no complete generation at all):
# reported exactly as without it
head -c 3000 $T/cpubound.trace >"$tmp/cut.trace"
want=$("$GOTV" stats "$tmp/cut.trace" 2>&1 | head -1)
W=pvbad
start $W 120x35 env GOTV_PREVIEW_BYTES=2000 "$GOTV" "$tmp/cut.trace"
check "preview path, broken trace: exit 1 with the usual message" \
    bash -c "for i in \$(seq 50); do s=\$(tmux -L $SOCK capture-pane -p -J -t $W); grep -q '^EXIT=1$' <<<\"\$s\" && grep -qF '$want' <<<\"\$s\" && grep -qE 'cut.trace: .* at byte [0-9]+$' <<<\"\$s\" && exit 0; sleep 0.1; done; exit 1"
tm kill-session -t $W

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# Build the fuzz harness against whatever loader/, model/ and tui/ sources
# exist right now (the harness refers to the library through weak symbols).
#   fuzz/build.sh fuzzer   build-fuzz/fuzz_trace  clang -fsanitize=fuzzer,address,undefined
#   fuzz/build.sh replay   build-fuzz/replay      gcc -fsanitize=address,undefined,float-cast-overflow
# Objects are kept in build-fuzz/obj-<mode>/ and rebuilt when a source or
# any header is newer. Prints the binary path on success.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-fuzzer}
# FUZZ_BUILD=DIR: build directory (default build-fuzz; lets two campaigns
# build side by side)
B=${FUZZ_BUILD:-build-fuzz}
mkdir -p "$B"

# Checks listed in fuzz/ubsan.supp (open findings that fire on almost every
# input) are made recoverable so the suppression file can silence them; all
# other UBSan checks stop at the first report. Run with
# UBSAN_OPTIONS=suppressions=fuzz/ubsan.supp:halt_on_error=1 (run.sh and the
# replay suite do).
RECOVER=
sup=$( (grep -v '^#' fuzz/ubsan.supp 2>/dev/null || true) | cut -d: -f1 | sort -u | paste -sd, -)
[ -n "$sup" ] && RECOVER="-fsanitize-recover=$sup"

case "$mode" in
fuzzer)
    CC=${FUZZ_CC:-clang}
    SAN_LIB="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all $RECOVER"
    SAN_LINK="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
    OPT="-O1 -g -fno-omit-frame-pointer"
    OUT=$B/fuzz_trace
    MAINSRC=fuzz/fuzz_trace.c
    ;;
replay)
    CC=${REPLAY_CC:-gcc}
    SAN_LIB="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all $RECOVER"
    SAN_LINK="$SAN_LIB"
    OPT="-O1 -g -fno-omit-frame-pointer"
    OUT=$B/replay
    MAINSRC=fuzz/replay.c
    ;;
*) echo "fuzz/build.sh: unknown mode $mode (fuzzer|replay)" >&2; exit 2 ;;
esac
command -v "$CC" >/dev/null || { echo "fuzz/build.sh: $CC not found (scripts/deps.sh --fuzz)" >&2; exit 1; }

O=$B/obj-$mode
mkdir -p "$O"
# one build per mode at a time (a fuzz campaign and a test run may both build)
if command -v flock >/dev/null; then
    exec 9>"$B/.lock-$mode"
    flock 9
fi
PKG_CFLAGS=$(pkg-config --cflags ncursesw termkey 2>/dev/null || true)
PKG_LIBS=$(pkg-config --libs ncursesw termkey 2>/dev/null || true)
CPP="-I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DGOTV_VERSION=\"fuzz\" -DGOTV_REV=\"fuzz\""
# Our own files build with the project's warnings; other people's code only
# needs to compile (clang warns differently from gcc).
OWNWARN="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Wno-unused-parameter"

newest_header=$(ls -t loader/*.h model/*.h tui/*.h fuzz/*.h 2>/dev/null | head -1)
objs=()
compile() { # src extra-flags
    local src=$1 obj=$O/${1%.c}.o
    shift
    mkdir -p "$(dirname "$obj")"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ] || [ "$0" -nt "$obj" ] || [ fuzz/ubsan.supp -nt "$obj" ]; then
        # shellcheck disable=SC2086
        $CC -std=c11 $OPT $CPP $SAN_LIB "$@" -c "$src" -o "$obj"
    fi
    objs+=("$obj")
}
for src in loader/*.c model/*.c; do
    [ -f "$src" ] && compile "$src" -w
done
for src in tui/*.c; do
    [ "$src" = tui/main.c ] && continue
    [ -f "$src" ] && compile "$src" -w $PKG_CFLAGS
done
compile tests/lib/uikeys.c $OWNWARN $PKG_CFLAGS
compile fuzz/harness.c $OWNWARN
compile "$MAINSRC" $OWNWARN
# shellcheck disable=SC2086
# --wrap=madvise: the harness makes released pages unreadable (harness.c)
$CC $SAN_LINK -Wl,--wrap=madvise -o "$OUT" "${objs[@]}" $PKG_LIBS -lm -lpthread
echo "$OUT"

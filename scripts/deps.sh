#!/usr/bin/env bash
# Install what gotv needs from Debian packages, only what is missing.
# Fast and silent when everything is already there.
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh --go119  also golang-1.19-go (writes old-format traces)
#   scripts/deps.sh --fuzz   also clang and its runtime (libFuzzer)
set -euo pipefail

pkgs=(build-essential pkg-config libncurses-dev libtermkey-dev libcmocka-dev tmux time)
for a in "$@"; do
    case "$a" in
        --go119) pkgs+=(golang-1.19-go) ;;
        --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
        *) echo "deps.sh: unknown option $a" >&2; exit 2 ;;
    esac
done

missing=()
for p in "${pkgs[@]}"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$st" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "deps.sh: missing packages: ${missing[*]} (no apt-get here; install them by hand)" >&2
    exit 1
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
        echo "deps.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
    fi
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# make_samples.sh: build and run the sample programs in samples/ and write
# their execution traces to samples/traces/.
#
#   scripts/make_samples.sh            regenerate every trace
#   scripts/make_samples.sh mutex leak regenerate only these samples
#
# For every sample NAME this writes samples/traces/NAME.trace with $GO (the
# current trace format; pipeline writes pipeline-seq.trace and
# pipeline-conc.trace), and for the samples in OLD_FORMAT also
# samples/traces/NAME-go119.trace with $GO119 (the old, pre-Go 1.22 format).
# Each trace is written to a temporary name, checked with
# "$GO tool trace -d=parsed" (must parse, and must show the sample's
# scenario, see check_patterns), and only then renamed into place. A sample
# whose scenario does not show is re-run (up to 3 tries) before giving up.
# samples/traces/MANIFEST is updated with size, toolchain and flags of each
# trace written.
#
# Environment:
#   GO          Go toolchain for current-format traces (default: go)
#   GO119       Go 1.19 toolchain for old-format traces
#               (default: /usr/lib/go-1.19/bin/go; skipped if missing)
#   WITH_GO127  if 1, also write NAME-go127.trace for the samples in
#               GO127_SAMPLES with GOTOOLCHAIN=$GO127_TOOLCHAIN $GO
#               (downloaded via the module proxy on first use)
#   GO127_TOOLCHAIN  default: go1.27.3
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
samples=$root/samples
traces=$samples/traces
manifest=$traces/MANIFEST

GO=${GO:-go}
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
WITH_GO127=${WITH_GO127:-0}
GO127_TOOLCHAIN=${GO127_TOOLCHAIN:-go1.27.3}

# Every sample, in the order they are generated.
ALL=(workerpool deadlock pipeline gcpressure annotated httpnet mutex leak
	cpubound fileio stress hostile iterpull syscallsleep flight cgocallback)
# Samples that also get an old-format copy written by Go 1.19.
OLD_FORMAT=(workerpool deadlock annotated gcpressure httpnet mutex leak stress hostile)
# Samples that also get a copy written by the newer Go (WITH_GO127=1).
GO127_SAMPLES=(stress cgocallback)

# Flags for the committed traces (the stress sample is kept small here).
sample_args() {
	case $1 in
	pipeline-seq) echo "-mode=seq" ;;
	pipeline-conc) echo "-mode=conc" ;;
	stress) echo "-goroutines 8 -duration 60ms" ;;
	*) echo "" ;;
	esac
}

# Fixed strings that the parsed trace (go tool trace -d=parsed) must contain,
# one per line, proving the scenario is visible.
check_patterns() {
	case $1 in
	workerpool) printf '%s\n' 'Reason="chan receive"' 'main.worker' ;;
	deadlock) printf '%s\n' 'Reason="sync"' 'main.transfer' ;;
	pipeline-seq) printf '%s\n' 'Reason="sleep"' 'main.runSeq' ;;
	pipeline-conc) printf '%s\n' 'Reason="sleep"' 'main.transformWorker' 'Reason="chan' ;;
	gcpressure) printf '%s\n' 'GC concurrent mark phase' 'GC mark assist' 'stop-the-world (GC' ;;
	annotated) printf '%s\n' 'TaskBegin' 'RegionBegin' ' Log ' 'Type="dbQuery"' 'Type="handleRequest"' ;;
	httpnet) printf '%s\n' 'Reason="network"' 'Reason="sleep"' ;;
	mutex) printf '%s\n' 'Reason="sync"' 'main.(*inventory).add' ;;
	leak) printf '%s\n' 'Reason="chan send"' 'Reason="chan receive"' 'main.waitForShutdown' 'Category="leak"' ;;
	cpubound) printf '%s\n' 'Reason="preempted"' 'Running->Runnable' ;;
	fileio) printf '%s\n' 'Running->Syscall' 'Type="fsync"' ;;
	stress) printf '%s\n' 'Reason="chan send"' 'Reason="sync"' 'Reason="sleep"' 'Running->Syscall' 'RegionBegin' 'TaskBegin' ;;
	hostile) printf '%s\n' 'Type="\x1b[2J"' 'Type="\x1b]0;PWNED\a"' '\x1b]52;c;SGVsbG8=\a' '\u009b31m' '\x9b31m' '\u202e' '\u200b' 'del\x7fdel' 'bad\xff\xfe' 'PWNED' ;;
	iterpull) printf '%s\n' 'NotExist->Waiting' 'main.consumeFib' ;;
	syscallsleep) printf '%s\n' 'Running->Syscall' 'Syscall->Runnable' 'syscall.Nanosleep' ;;
	flight) printf '%s\n' 'Category="anomaly"' 'Type="request"' ;;
	cgocallback) printf '%s\n' 'NotExist->Syscall' 'Syscall->NotExist' 'main.goHandle' 'main.main.func1' ;;
	esac
}

in_list() {
	local x=$1
	shift
	local y
	for y in "$@"; do
		[[ $x == "$y" ]] && return 0
	done
	return 1
}

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/gotv-samples.XXXXXX")
cleanup() {
	rm -rf "$tmpdir"
	rm -f "$traces"/.*.tmp
}
trap cleanup EXIT

mkdir -p "$traces"
touch "$manifest"

# build TOOLCHAIN_LABEL NAME: compile samples/NAME into $tmpdir/LABEL/NAME.
build() {
	local label=$1 name=$2
	mkdir -p "$tmpdir/$label"
	(cd "$samples" && "${gocmd[@]}" build -o "$tmpdir/$label/$name" "./$name")
}

# run_one BIN TRACE_NAME VERSION: run BIN with its flags, check the trace,
# and move it into place as samples/traces/TRACE_NAME.trace.
run_one() {
	local bin=$1 tname=$2 version=$3 base args tmp final try pat ok
	base=${tname%-go119}
	base=${base%-go127}
	args=$(sample_args "$base")
	final=$traces/$tname.trace
	tmp=$traces/.$tname.trace.tmp
	for try in 1 2 3; do
		rm -f "$tmp"
		# shellcheck disable=SC2086 # args are deliberately word-split
		(cd "$tmpdir" && "$bin" $args -o "$tmp") >"$tmpdir/$tname.stdout"
		if ! "$GO" tool trace -d=parsed "$tmp" >"$tmpdir/$tname.parsed" 2>"$tmpdir/$tname.err"; then
			echo "error: $tname: go tool trace -d=parsed failed:" >&2
			cat "$tmpdir/$tname.err" >&2
			exit 1
		fi
		ok=1
		while IFS= read -r pat; do
			if ! grep -qaF -- "$pat" "$tmpdir/$tname.parsed"; then
				echo "  $tname: try $try: scenario not visible (missing '$pat')" >&2
				ok=0
				break
			fi
		done < <(check_patterns "$base")
		[[ $ok == 1 ]] && break
	done
	if [[ $ok != 1 ]]; then
		echo "error: $tname: scenario not visible after 3 tries" >&2
		exit 1
	fi
	mv -f "$tmp" "$final"
	local size
	size=$(wc -c <"$final")
	printf '  %-24s %9d bytes  %s  (%s)\n' "$tname.trace" "$size" "$version" "$(head -n1 "$tmpdir/$tname.stdout")"
	# Update the manifest line for this trace.
	{
		grep -v -F -- "$tname.trace	" "$manifest" || true
		printf '%s\t%s\t%s\t%s\n' "$tname.trace" "$size" "$version" "${args:-(default flags)}"
	} | LC_ALL=C sort >"$manifest.tmp"
	mv -f "$manifest.tmp" "$manifest"
}

# generate LABEL SUFFIX NAME...: build and run the samples with "${gocmd[@]}".
generate() {
	local label=$1 suffix=$2 name version
	shift 2
	version=$(cd "$samples" && "${gocmd[@]}" version)
	for name in "$@"; do
		build "$label" "$name"
		if [[ $name == pipeline ]]; then
			run_one "$tmpdir/$label/$name" "pipeline-seq$suffix" "$version"
			run_one "$tmpdir/$label/$name" "pipeline-conc$suffix" "$version"
		else
			run_one "$tmpdir/$label/$name" "$name$suffix" "$version"
		fi
	done
}

if [[ $# -gt 0 ]]; then
	names=("$@")
	for n in "${names[@]}"; do
		if ! in_list "$n" "${ALL[@]}"; then
			echo "error: unknown sample '$n' (known: ${ALL[*]})" >&2
			exit 2
		fi
	done
else
	names=("${ALL[@]}")
fi

export GOFLAGS="-mod=mod -buildvcs=false"

echo "current format ($GO):"
gocmd=(env GOTOOLCHAIN=local "$GO")
generate cur "" "${names[@]}"

old=()
for n in "${names[@]}"; do
	if in_list "$n" "${OLD_FORMAT[@]}"; then
		old+=("$n")
	fi
done
if [[ ${#old[@]} -gt 0 ]]; then
	if command -v "$GO119" >/dev/null 2>&1; then
		echo "old format ($GO119):"
		gocmd=(env GOTOOLCHAIN=local "$GO119")
		generate go119 -go119 "${old[@]}"
	else
		echo "note: $GO119 not found; skipping old-format (-go119) traces" >&2
	fi
fi

new=()
for n in "${names[@]}"; do
	if in_list "$n" "${GO127_SAMPLES[@]}"; then
		new+=("$n")
	fi
done
if [[ $WITH_GO127 == 1 && ${#new[@]} -gt 0 ]]; then
	echo "$GO127_TOOLCHAIN:"
	gocmd=(env "GOTOOLCHAIN=$GO127_TOOLCHAIN" "$GO")
	generate go127 -go127 "${new[@]}"
fi

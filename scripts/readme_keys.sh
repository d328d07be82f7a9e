#!/usr/bin/env bash
# Print README.md with its keys block replaced by the table `gotv --keys` generates.
#   scripts/readme_keys.sh [GOTV] > README.new
set -euo pipefail
gotv=${1:-./gotv}
table=$("$gotv" --keys | sed -n '/^| Keys/,/^$/p')
awk -v table="$table" '
    /<!-- keys:begin/ { print; print ""; print table; skip = 1; next }
    /<!-- keys:end/   { skip = 0 }
    !skip { print }
' README.md

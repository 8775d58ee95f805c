#!/usr/bin/env bash
# Download the modules of eval/scale-modules.txt through the Go module
# proxy into a module cache of their own (about 1.5 GB, kept for later
# runs), and write the extracted module@version directories, one a line,
# to workdir/dirs.txt. A module the proxy refuses is reported and left out.
#
# Usage: scripts/scale-download.sh [workdir]   (default ~/.cache/snipscan-scale)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$HOME/.cache/snipscan-scale}
mkdir -p "$work"
mods="$work/mod"
list=$(grep -v '^#' eval/scale-modules.txt | grep -v '^$')
echo "== downloading $(echo "$list" | wc -l) module versions into $mods" >&2
proxy=$(go env GOPROXY)
(cd "$work" && echo "$list" | xargs -P 8 -n 8 env GOMODCACHE="$mods" GOFLAGS=-modcacherw GOPROXY="$proxy" \
	go mod download 2>"$work/download.err") || true
refused=$(grep -c 'not found\|refused\|403\|410\|error' "$work/download.err" || true)

# The extracted module trees: module@version directories.
: >"$work/dirs.txt"
while read -r mv; do
	m=${mv%@*} v=${mv#*@}
	# The module cache escapes capitals as !lower.
	esc=$(echo "$m" | sed -E 's/([A-Z])/!\L\1/g')
	d="$mods/$esc@$v"
	if [ -d "$d" ]; then echo "$d" >>"$work/dirs.txt"; fi
done <<<"$list"
echo "== $(wc -l <"$work/dirs.txt") module versions downloaded ($refused download errors)" >&2

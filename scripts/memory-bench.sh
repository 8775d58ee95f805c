#!/usr/bin/env bash
# Memory of scans against a GOROOT index (BENCHMARKS.md, "Scan memory"):
# the peak RSS and wall time of `snipscan scan --format json` on
#   modcache   this machine's Go module cache, $(go env GOMODCACHE), as the
#              README's first example scans it (what it holds varies);
#   half, all  the first half and all of the module versions of
#              eval/scale-modules.txt (scripts/scale-download.sh);
#   big, big4  the .go files of 200 KB to 2 MB of those modules (generated
#              code, mostly), and four copies of each.
# A scan whose RSS passes MEM_CAP_MB (default 8000) is killed, and said
# so. SNIPSCAN=path measures that binary instead of one built from this
# checkout (an earlier commit's, say); the findings are written to
# workdir/findings-TREE.json.
#
# Usage: scripts/memory-bench.sh [workdir]   (default ~/.cache/snipscan-scale)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$HOME/.cache/snipscan-scale}
cap=${MEM_CAP_MB:-8000}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }

bin=${SNIPSCAN:-}
if [ -z "$bin" ]; then
	bin="$work/snipscan"
	go build -o "$bin" ./cmd/snipscan
fi
groot="$work/goroot.db"
[ -f "$groot" ] || "$bin" index --progress never --db "$groot" "$(go env GOROOT)/src" >/dev/null

scripts/scale-download.sh "$work"
mapfile -t dirs <"$work/dirs.txt"
half=$((${#dirs[@]} / 2))
big="$work/big"
if [ ! -d "$big" ]; then
	mkdir -p "$big.tmp"
	find "${dirs[@]}" -name '*.go' -size +200k -size -2000k | sort | awk '{printf "%s\t%d.go\n", $0, NR}' |
		while IFS=$'\t' read -r f name; do cp "$f" "$big.tmp/$name"; done
	mv "$big.tmp" "$big"
fi
big4="$work/big4"
if [ ! -d "$big4" ]; then
	mkdir -p "$big4.tmp"
	for k in 1 2 3 4; do for f in "$big"/*.go; do cp "$f" "$big4.tmp/$k-${f##*/}"; done; done
	mv "$big4.tmp" "$big4"
fi

# measure NAME PATH...: scans PATHs, prints a table row.
measure() {
	local name=$1
	shift
	find "$@" -type f -print0 | xargs -0 cat >/dev/null # the page cache
	local files bytes gobytes
	files=$(find "$@" -type f | wc -l)
	bytes=$(find "$@" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
	gobytes=$(find "$@" -type f -name '*.go' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
	local json="$work/findings-$name.json"
	/usr/bin/time -f '%e %M' -o "$work/time" "$bin" scan --progress never --db "$groot" --format json --output "$json" "$@" \
		>/dev/null 2>"$work/scan.err" &
	local tpid=$! pid="" rss killed=""
	while kill -0 "$tpid" 2>/dev/null; do
		[ -n "$pid" ] || pid=$(pgrep -P "$tpid" || true)
		rss=$( [ -n "$pid" ] && awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
		if [ -n "$rss" ] && [ "$rss" -gt $((cap * 1024)) ]; then
			kill -9 "$pid" && killed=yes
		fi
		sleep 0.05
	done
	wait "$tpid" || true
	local secs kb
	read -r secs kb < <(tail -1 "$work/time")
	local scanned matches
	if [ -n "$killed" ]; then
		scanned="-" matches="killed above $cap MB"
	else
		read -r scanned matches < <(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["summary"]; print(s["files_scanned"], s["matches"])' "$json")
	fi
	echo "| $name | $files files, $((bytes / 1000000)) MB ($((gobytes / 1000000)) MB of Go) | $scanned | $matches | $secs s | $((kb / 1024)) MB |"
}

echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(go version | awk '{print $3}'), files in the page cache, with $bin."
echo
echo "| tree | files | scanned | findings | wall | peak RSS |"
echo "|---|---|---|---|---|---|"
measure modcache "$(go env GOMODCACHE)"
measure half "${dirs[@]:0:half}"
measure all "${dirs[@]}"
measure big "$big"
measure big4 "$big4"

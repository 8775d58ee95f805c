#!/usr/bin/env bash
# Benchmarks of BENCHMARKS.md: index the whole $(go env GOROOT)/src, scan
# 100 files against it, and time Debian's similarity-tester (sim_c) on the
# same scans, in the same run. Files are read once first so that every
# tool runs from the page cache.
#
# Usage: scripts/bench.sh [runs]     (default 5 runs of each measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

src="$(go env GOROOT)/src"
go build -o "$out/snipscan" ./cmd/snipscan
bin="$out/snipscan"

if ! command -v sim_c >/dev/null; then
	echo "sim_c not found: install Debian's similarity-tester (apt-get install similarity-tester) for the comparison" >&2
fi
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }

# Warm the page cache.
find "$src" -type f -print0 | xargs -0 cat >/dev/null

files=$(find "$src" -type f | wc -l)
bytes=$(find "$src" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
gofiles=$(find "$src" -name '*.go' | wc -l)
gobytes=$(find "$src" -name '*.go' -printf '%s\n' | awk '{s+=$1} END {print s}')

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# run_timed CMD...: prints "seconds maxrss_kb"
run_timed() {
	/usr/bin/time -f '%e %M' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || { cat "$out/stderr" >&2; return 1; }
	cat "$out/time"
}

echo "== index $src ($files files, $bytes bytes; $gofiles .go files, $gobytes bytes)" >&2
: >"$out/index.txt"
for i in $(seq "$runs"); do
	rm -f "$out/g.db"
	run_timed "$bin" index --db "$out/g.db" "$src" >>"$out/index.txt"
done
idx_s=$(awk '{print $1}' "$out/index.txt" | median)
idx_rss=$(awk '{print $2}' "$out/index.txt" | sort -n | tail -1)
dbsize=$(stat -c %s "$out/g.db")
reindex=$(run_timed "$bin" index --db "$out/g.db" "$src" | awk '{print $1}')

# Targets: 100 GOROOT files (every one is in the corpus: the worst case),
# and 100 files of golang.org/x/sys from the module cache (a dependency of
# snipscan, so present after go build; partly derived from GOROOT).
mkdir -p "$out/t_goroot" "$out/t_mod"
find "$src/net/http" "$src/strings" "$src/bufio" -name '*.go' | sort | sed -n 1,100p | while read -r f; do
	cp "$f" "$out/t_goroot/$(echo "$f" | md5sum | cut -c1-8)_$(basename "$f")"
done
xsys=$(find "$(go env GOMODCACHE)/golang.org/x" -maxdepth 1 -name 'sys@*' | sort | tail -1)
find "$xsys" -name '*.go' | sort | sed -n 1,100p | while read -r f; do
	cp "$f" "$out/t_mod/$(echo "$f" | md5sum | cut -c1-8)_$(basename "$f")"
done

scan_bench() { # name dir
	: >"$out/scan.txt"
	for i in $(seq "$runs"); do
		run_timed "$bin" scan --db "$out/g.db" "$2" >>"$out/scan.txt" || true
	done
	local s rss found
	s=$(awk '{print $1}' "$out/scan.txt" | median)
	rss=$(awk '{print $2}' "$out/scan.txt" | sort -n | tail -1)
	found=$("$bin" scan --db "$out/g.db" "$2" | head -1)
	echo "| snipscan scan, 100 files ($1) | $s s | $((rss / 1024)) MB | $found |"
}

sim_bench() { # name dir
	command -v sim_c >/dev/null || { echo "| sim_c -S, 100 files ($1) | not installed | | |"; return; }
	# sim_c keeps no index: every scan reads and compares the whole corpus
	# (the non-test .go files of GOROOT/src).
	find "$src" -name '*.go' ! -name '*_test.go' ! -path '*/testdata/*' | sort >"$out/corpus.list"
	: >"$out/sim.txt"
	for i in $(seq "$runs"); do
		(cd "$out" && /usr/bin/time -f '%e %M' -o "$out/time" sim_c -S -p "$2"/*.go / $(cat corpus.list) >"$out/sim.out" 2>/dev/null) || true
		cat "$out/time" >>"$out/sim.txt"
	done
	local s rss
	s=$(awk '{print $1}' "$out/sim.txt" | median)
	rss=$(awk '{print $2}' "$out/sim.txt" | sort -n | tail -1)
	echo "| sim_c -S -p, 100 files ($1) against $(wc -l <"$out/corpus.list") non-test GOROOT .go files | $s s | $((rss / 1024)) MB | $(grep -c 'consists for' "$out/sim.out" || true) file pairs reported |"
}

echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(go version | awk '{print $3}'), median of $runs runs, files in the page cache."
echo
echo "| measurement | wall | peak RSS | result |"
echo "|---|---|---|---|"
echo "| snipscan index GOROOT/src ($files files, $((bytes / 1000000)) MB; $gofiles .go files, $((gobytes / 1000000)) MB) | $idx_s s | $((idx_rss / 1024)) MB | database $((dbsize / 1000000)) MB = $(awk -v a="$dbsize" -v b="$gobytes" 'BEGIN {printf "%.2f", a/b}')x the .go bytes |"
echo "| snipscan index again, nothing changed | $reindex s | | |"
scan_bench "GOROOT files, all in the corpus" "$out/t_goroot"
scan_bench "golang.org/x/sys" "$out/t_mod"
sim_bench "GOROOT files" "$out/t_goroot"
sim_bench "golang.org/x/sys" "$out/t_mod"

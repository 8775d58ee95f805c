#!/usr/bin/env bash
# Scale benchmark: download the modules of eval/scale-modules.txt
# through the Go module proxy into a module cache of their own, index them
# whole (extracted trees, as a Go module cache holds them), and report
# files/s, MB/s (bytes of skipped files counted as input), peak RSS,
# database size, the dedup ratio, and the scan latency per file against
# this index and against a GOROOT-only one. Then the same modules indexed
# as two shards and merged: merge time and memory, and whether the merged
# database gives the findings of the single index.
#
# Usage: scripts/scale-bench.sh [workdir]   (default ~/.cache/snipscan-scale)
# The download (about 1.5 GB) is kept in workdir for later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$HOME/.cache/snipscan-scale}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }

bin="$work/snipscan"
go build -o "$bin" ./cmd/snipscan

# Download (kept in workdir), and read the extracted module trees.
scripts/scale-download.sh "$work"
mods="$work/mod"
mapfile -t dirs <"$work/dirs.txt"
refused=$(grep -c 'not found\|refused\|403\|410\|error' "$work/download.err" || true)
got=${#dirs[@]}
inbytes=$(du -sb "${dirs[@]}" | awk '{s+=$1} END {print s}')
infiles=$(find "${dirs[@]}" -type f | wc -l)
echo "== $got module versions downloaded ($refused download errors), $infiles files, $((inbytes / 1000000)) MB" >&2

# Warm the page cache, then index.
find "${dirs[@]}" -type f -print0 | xargs -0 cat >/dev/null
db="$work/scale.db"
rm -f "$db"
/usr/bin/time -f '%e %M' -o "$work/time" "$bin" index --progress never --db "$db" "${dirs[@]}" >"$work/index.out"
read -r secs rss <"$work/time"
dbsize=$(stat -c %s "$db")
"$bin" info --db "$db" >"$work/info.out"
contents=$(awk '/^files/ {gsub(",", "", $2); print $2; exit}' "$work/info.out")
locations=$(awk '/^files/ {for (i=1; i<=NF; i++) if ($i == "at") {gsub(",", "", $(i+1)); print $(i+1)}}' "$work/info.out")

# Scan latency: the same target files (this project's own, in neither
# corpus) against this index and against GOROOT/src alone.
groot="$work/goroot.db"
[ -f "$groot" ] || "$bin" index --progress never --db "$groot" "$(go env GOROOT)/src" >/dev/null
targets="$work/targets"
rm -rf "$targets" && mkdir -p "$targets"
git ls-files '*.go' | while read -r f; do cp "$f" "$targets/$(echo "$f" | tr / _)"; done
ntargets=$(ls "$targets" | wc -l)
scan() { # db -> median seconds of 5 scans
	for i in 1 2 3 4 5; do
		/usr/bin/time -f '%e' -o "$work/stime" "$bin" scan --db "$1" "$targets" >/dev/null || true
		cat "$work/stime"
	done | sort -n | sed -n 3p
}
s_scale=$(scan "$db")
s_goroot=$(scan "$groot")

# Shards: the same modules indexed by two jobs, half each, merged into one
# database; the merged database must pass its check and give the scan
# findings of the single index.
half=$((got / 2))
for i in 1 2; do rm -f "$work/shard$i.db"; done
/usr/bin/time -f '%e %M' -o "$work/time1" "$bin" index --progress never --db "$work/shard1.db" "${dirs[@]:0:half}" >/dev/null
/usr/bin/time -f '%e %M' -o "$work/time2" "$bin" index --progress never --db "$work/shard2.db" "${dirs[@]:half}" >/dev/null
rm -f "$work/merged.db"
/usr/bin/time -f '%e %M' -o "$work/timem" "$bin" merge --db "$work/merged.db" "$work/shard1.db" "$work/shard2.db" >"$work/merge.out"
read -r msecs mrss <"$work/timem"
mcheck=$("$bin" check --db "$work/merged.db" 2>&1 | head -1)
# Compared on a sample of the corpus's own files (every 100th .go file):
# each is found, whole or in parts, in one or more modules.
sample="$work/sample"
rm -rf "$sample" && mkdir -p "$sample"
find "${dirs[@]}" -name '*.go' | sort | awk 'NR % 100 == 0' | while read -r f; do
	cp "$f" "$sample/$(echo "${f#"$mods"/}" | tr / _)"
done
findings() { "$bin" scan --format json --db "$1" "$sample" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["files"]:
    for m in f.get("matches", []):
        s = m["source"]
        print(f["path"], m["lines"], s["root"], s["path"], s["lines"], s["license"], s["package"], s["version"])' | sort; }
if cmp -s <(findings "$db") <(findings "$work/merged.db"); then same=yes; else same=NO; fi
nfind=$(findings "$db" | wc -l)
minfo=$("$bin" info --db "$work/merged.db" | awk '/^files/')

echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(go version | awk '{print $3}'), files in the page cache."
echo
echo "| measurement | figure |"
echo "|---|---|"
echo "| input | $got module versions of eval/scale-modules.txt, $infiles files, $((inbytes / 1000000)) MB |"
echo "| index wall time | $secs s |"
awk -v f="$infiles" -v b="$inbytes" -v s="$secs" 'BEGIN {printf "| throughput | %.0f files/s, %.1f MB/s of input |\n", f/s, b/s/1e6}'
echo "| peak RSS | $((rss / 1024)) MB |"
echo "| database | $((dbsize / 1000000)) MB |"
awk -v c="$contents" -v l="$locations" 'BEGIN {printf "| dedup | %d distinct contents at %d locations: ratio %.2f |\n", c, l, l/c}'
echo "| index output | $(head -1 "$work/index.out") |"
awk -v a="$s_scale" -v b="$s_goroot" -v n="$ntargets" 'BEGIN {printf "| scan of snipscan'"'"'s own %d .go files (median of 5, process start included) | %.2f s against this index (%.1f ms per file), %.2f s against GOROOT alone (%.1f ms per file): %.2fx |\n", n, a, 1000*a/n, b, 1000*b/n, a/b}'
echo "| shards | two index jobs of $half and $((got - half)) module versions: $(cut -d' ' -f1 "$work/time1") s and $(cut -d' ' -f1 "$work/time2") s; merged in $msecs s, peak RSS $((mrss / 1024)) MB, database $(($(stat -c %s "$work/merged.db") / 1000000)) MB |"
echo "| merged database | ${minfo#files } |"
echo "| merged = single index | check: $mcheck; scan of $(ls "$sample" | wc -l) corpus files: the $nfind findings of the single index, same: $same |"

#!/usr/bin/env bash
# Benchmarks of the scan server (BENCHMARKS.md): index the whole
# $(go env GOROOT)/src, scan the 100 files of scripts/bench.sh against it
# locally (scan --db) and through snipscan serve on loopback (scan
# --server), then load the server with concurrent clients (cmd/scanload)
# and report their latency and the server's memory.
#
# Usage: scripts/serve-bench.sh [runs] [clients] [seconds]
#        (default 5 runs of each scan, 16 clients for 60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
clients=${2:-16}
seconds=${3:-60}
out=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$out"' EXIT

src="$(go env GOROOT)/src"
go build -o "$out/snipscan" ./cmd/snipscan
go build -o "$out/scanload" ./cmd/scanload
bin="$out/snipscan"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }
find "$src" -type f -print0 | xargs -0 cat >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

"$bin" index --db "$out/g.db" "$src" 2>/dev/null
mkdir -p "$out/t"
find "$src/net/http" "$src/strings" "$src/bufio" -name '*.go' | sort | sed -n 1,100p | while read -r f; do
	cp "$f" "$out/t/$(echo "$f" | md5sum | cut -c1-8)_$(basename "$f")"
done
bytes=$(du -sb "$out/t" | cut -f1)

"$bin" serve --db "$out/g.db" --listen 127.0.0.1:0 2>"$out/serve.log" &
server=$!
for _ in $(seq 100); do
	grep -q '"listening"' "$out/serve.log" && break
	sleep 0.1
done
url=$(grep -o '"url":"[^"]*"' "$out/serve.log" | head -1 | cut -d'"' -f4)
[ -n "$url" ] || { cat "$out/serve.log" >&2; exit 2; }
rss_server() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status"; }
echo "== 100 files ($bytes bytes), server $url (RSS $(rss_server) MB at start)" >&2

scan_bench() { # name args...
	local name=$1
	shift
	: >"$out/scan.txt"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$out/time" "$bin" scan "$@" --format json "$out/t" >"$out/$name.json" 2>/dev/null || true
		cat "$out/time" >>"$out/scan.txt"
	done
	local s rss
	s=$(awk '{print $1}' "$out/scan.txt" | median)
	rss=$(awk '{print $2}' "$out/scan.txt" | sort -n | tail -1)
	echo "| snipscan scan, 100 files, $name | $s s | $((rss / 1024)) MB (client) |"
}
scan_bench local --db "$out/g.db"
scan_bench "through serve" --server "$url"
echo "| snipscan serve, after $runs scans | | $(rss_server) MB (server) |"
if diff <(grep -v elapsed_ms "$out/local.json") <(grep -v elapsed_ms "$out/through serve.json") >/dev/null; then
	echo "same JSON report (but elapsed_ms)"
else
	echo "the JSON reports differ" >&2
fi
grep -o '"bytes_in":[0-9]*' "$out/serve.log" | tail -1 | sed 's/"bytes_in":/request bytes (gzip): /'

"$out/scanload" --server "$url" --clients "$clients" --duration "${seconds}s" --pid "$server" "$out/t"

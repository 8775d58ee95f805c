#!/usr/bin/env bash
# Benchmarks of the PostgreSQL store beside bbolt (BENCHMARKS.md,
# "PostgreSQL"). It starts a throwaway PostgreSQL cluster of its own, as
# internal/pgtest does (initdb and pg_ctl from the installed binaries, as
# the postgres user when run as root, on a free loopback port, removed at
# the end; unlike the tests' cluster it keeps PostgreSQL's durable
# defaults: fsync, synchronous_commit and full_page_writes on), then:
#
#  1. indexes the corpus of scripts/scale-bench.sh (192 module versions,
#     downloaded by scripts/scale-download.sh into workdir, or the roots
#     listed one a line in $ROOTS) into a new bbolt file, into a new
#     PostgreSQL database with one index process, and with two at once
#     (each on half of the roots): wall time, MB/s of input, peak RSS of
#     snipscan, peak memory of the PostgreSQL server (the sum over its
#     processes, sampled every 0.2 s: RSS, which counts shared buffers once
#     per process that touched them, and PSS, which shares them out), and
#     the database's size; the three runs alternate, `runs` rounds;
#  2. indexes $(go env GOROOT)/src into both stores, scans the 100 files
#     of scripts/bench.sh against each with scan --db, and through
#     snipscan serve over each (scan --server), alternated, and checks
#     that the four JSON reports are the same (but elapsed_ms and the
#     corpus's name); times the lookups of the 100 files' fingerprints
#     (cmd/lookupbench) against both, and against the big corpus of 1;
#  3. loads snipscan serve over each store with cmd/scanload (clients for
#     seconds), sampling the memory of snipscan serve and of the
#     PostgreSQL server.
#
# Usage: scripts/pg-bench.sh [runs] [clients] [seconds] [workdir]
#        (default 3 rounds, 16 clients for 60 s, ~/.cache/snipscan-scale)
# Environment: ROOTS=file (the roots to index in 1, one a line),
# PG_OPTS (more server settings, e.g. "-c shared_buffers=1GB").
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
clients=${2:-16}
seconds=${3:-60}
work=${4:-$HOME/.cache/snipscan-scale}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }
out=$(mktemp -d)
pgdir=
pgbin=
servers=()
sampler=

asuser() { # run a PostgreSQL binary as the cluster's user
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
	[ -n "$sampler" ] && kill "$sampler" 2>/dev/null
	for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ -n "$pgdir" ] && [ -f "$pgdir/data/postmaster.pid" ]; then
		asuser "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	[ -n "$pgdir" ] && rm -rf "$pgdir"
	rm -rf "$out"
}
trap cleanup EXIT

# --- the cluster
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
	if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pgbin=$d; break; fi
done
[ -n "$pgbin" ] || { echo "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)" >&2; exit 2; }
pgdir=$(mktemp -d /tmp/snipscan-pgbench-XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$pgdir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
asuser "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --no-locale >"$out/initdb.log" 2>&1 ||
	{ cat "$out/initdb.log" >&2; exit 2; }
asuser "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir ${PG_OPTS:-}" start >/dev/null ||
	{ cat "$pgdir/log" >&2; exit 2; }
postmaster=$(head -1 "$pgdir/data/postmaster.pid")
pgversion=$("$pgbin/postgres" --version | awk '{print $3}')
psql() { PGOPTIONS='-c client_min_messages=warning' "$pgbin/psql" -X -q -A -t -h 127.0.0.1 -p "$port" -U postgres "$@"; }
dsn() { echo "postgres://postgres@127.0.0.1:$port/$1?sslmode=disable"; }
newdb() { # name: a new empty database
	psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}
shared_buffers=$(psql -d postgres -c "SHOW shared_buffers")

# pgmem: "rss_kib pss_kib", summed over the PostgreSQL server's processes.
pgmem() {
	local pids
	pids="$postmaster $(ps -o pid= --ppid "$postmaster" | xargs)"
	for p in $pids; do
		awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} END {print r+0, p+0}' "/proc/$p/smaps_rollup" 2>/dev/null || true
	done | awk '{r+=$1; p+=$2} END {print r+0, p+0}'
}
# sample_start file: samples "seconds rss pss" every 0.2 s into file.
sample_start() {
	local f=$1
	: >"$f"
	(
		start=$(date +%s.%N)
		while :; do
			echo "$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN {printf "%.1f", n-s}') $(pgmem)" >>"$f"
			sleep 0.2
		done
	) &
	sampler=$!
}
sample_stop() { kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; sampler=; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.15g\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b/1e6}'; } # bytes -> MB

bin="$out/snipscan"
go build -o "$bin" ./cmd/snipscan
go build -o "$out/scanload" ./cmd/scanload
go build -o "$out/lookupbench" ./cmd/lookupbench
echo "== PostgreSQL $pgversion on 127.0.0.1:$port (shared_buffers $shared_buffers), $pgdir" >&2
load1=$(cut -d' ' -f1 /proc/loadavg)

# --- 1. index
if [ -n "${ROOTS:-}" ]; then
	mapfile -t dirs <"$ROOTS"
	input="the ${#dirs[@]} roots of $ROOTS"
else
	scripts/scale-download.sh "$work"
	mapfile -t dirs <"$work/dirs.txt"
	input="${#dirs[@]} module versions of eval/scale-modules.txt"
fi
half=$((${#dirs[@]} / 2))
inbytes=$(du -sbc "${dirs[@]}" | tail -1 | cut -f1)
infiles=$(find "${dirs[@]}" -type f | wc -l)
find "${dirs[@]}" -type f -print0 | xargs -0 cat >/dev/null
echo "== index $input: $infiles files, $((inbytes / 1000000)) MB, $runs rounds" >&2

# index_run kind: one index run into a new database; appends "wall
# rss_kib[,rss_kib] pg_rss_kib pg_pss_kib size_bytes database_bytes" to
# $out/index.kind: the size of a bbolt file twice, or the size of the
# snipscan schema's tables and indexes and pg_database_size (the schema
# plus PostgreSQL's catalogs, about 7.5 MB).
index_run() {
	local kind=$1 t0 t1 db
	case $kind in
	bbolt)
		db="$out/big.db"
		rm -f "$db"
		sample_start "$out/mem.bbolt"
		/usr/bin/time -f '%e %M' -o "$out/time" "$bin" index --progress never --db "$db" "${dirs[@]}" >"$out/index.out.bbolt"
		sample_stop
		read -r secs rss <"$out/time"
		echo "$secs $rss 0 0 $(stat -c %s "$db") $(stat -c %s "$db")" >>"$out/index.$kind"
		return
		;;
	pg1)
		newdb big
		sample_start "$out/mem.$kind"
		/usr/bin/time -f '%e %M' -o "$out/time" "$bin" index --progress never --db "$(dsn big)" "${dirs[@]}" >"$out/index.out.pg1"
		sample_stop
		read -r secs rss <"$out/time"
		;;
	pg2)
		newdb big
		sample_start "$out/mem.$kind"
		t0=$(date +%s.%N)
		/usr/bin/time -f '%e %M' -o "$out/time.a" "$bin" index --progress never --db "$(dsn big)" "${dirs[@]:0:half}" >"$out/index.a" &
		local a=$!
		/usr/bin/time -f '%e %M' -o "$out/time.b" "$bin" index --progress never --db "$(dsn big)" "${dirs[@]:half}" >"$out/index.b" &
		local b=$!
		wait "$a" && wait "$b"
		t1=$(date +%s.%N)
		sample_stop
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b-a}')
		rss="$(cut -d' ' -f2 "$out/time.a"),$(cut -d' ' -f2 "$out/time.b")"
		;;
	esac
	psql -d big -c "VACUUM ANALYZE" # what a database holds once autovacuum has passed
	local peak
	peak=$(awk 'BEGIN {r=0; p=0} $2>r {r=$2} $3>p {p=$3} END {print r, p}' "$out/mem.$kind")
	psql -d big -c "SELECT sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'postings'),
		sum(pg_total_relation_size(c.oid)), pg_database_size('big') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'snipscan' AND c.relkind = 'r'" | tr '|' ' ' >"$out/schema.$kind"
	echo "$secs $rss $peak $(cut -d' ' -f2,3 "$out/schema.$kind")" >>"$out/index.$kind"
}
for i in $(seq "$runs"); do
	for kind in bbolt pg1 pg2; do
		index_run "$kind"
		echo "   round $i $kind: $(tail -1 "$out/index.$kind")" >&2
	done
done
"$bin" info --db "$out/big.db" >"$out/info.bbolt"
"$bin" info --db "$(dsn big)" >"$out/info.pg"
"$bin" check --db "$(dsn big)" >"$out/check.pg" 2>&1 || true
postings=$(awk '/^postings/ {gsub(",", "", $2); print $2; exit}' "$out/info.bbolt")
bbolt_bytes=$(stat -c %s "$out/big.db")
read -r pg_postings_bytes pg_schema_bytes _ <"$out/schema.pg2"
pg_tables=$(psql -d big -c "SELECT string_agg(format('%s %s MB', c.relname, round(pg_total_relation_size(c.oid) / 1e6, 1)), ', '
	ORDER BY pg_total_relation_size(c.oid) DESC) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'snipscan' AND c.relkind = 'r'")
pg_routes=$(psql -d big -c "SELECT format('%s routes: %s to %s rows (mean %s), %s to %s KB of postings (mean %s)', count(*), min(n), max(n),
	round(avg(n)), round(min(b) / 1e3), round(max(b) / 1e3), round(avg(b) / 1e3))
	FROM (SELECT route, count(*) n, sum(length(data)) b FROM snipscan.postings GROUP BY route) r")
pg_postings=$(awk '/^postings/ {gsub(",", "", $2); print $2; exit}' "$out/info.pg")

index_row() { # kind label
	local f="$out/index.$1" secs size
	secs=$(awk '{print $1}' "$f" | median)
	size=$(awk '{print $5}' "$f" | median)
	awk -v s="$secs" -v b="$inbytes" 'BEGIN {printf "| %s | %.1f s | %.1f MB/s |", "'"$2"'", s, b/s/1e6}'
	printf ' %s |' "$(awk '{print $1}' "$f" | xargs | sed 's/ /, /g') s"
	printf ' %s MB |' "$(awk '{n=split($2, r, ","); m=0; for (i=1; i<=n; i++) if (r[i]>m) m=r[i]; print int(m/1024)}' "$f" | sort -n | tail -1)"
	if [ "$1" = bbolt ]; then
		printf ' | |'
	else
		printf ' %s MB | %s MB |' "$(awk '{print int($3/1024)}' "$f" | sort -n | tail -1)" "$(awk '{print int($4/1024)}' "$f" | sort -n | tail -1)"
	fi
	printf ' %s MB' "$(mb "$size")"
	[ "$1" = bbolt ] || printf ' (pg_database_size %s MB)' "$(mb "$(awk '{print $6}' "$f" | median)")"
	printf ' |\n'
}

# --- 2. scans of 100 files
src="$(go env GOROOT)/src"
find "$src" -type f -print0 | xargs -0 cat >/dev/null
rm -f "$out/g.db"
"$bin" index --progress never --db "$out/g.db" "$src" >/dev/null
newdb g
"$bin" index --progress never --db "$(dsn g)" "$src" >/dev/null
psql -d g -c "VACUUM ANALYZE"
mkdir -p "$out/t"
find "$src/net/http" "$src/strings" "$src/bufio" -name '*.go' | sort | sed -n 1,100p | while read -r f; do
	cp "$f" "$out/t/$(echo "$f" | md5sum | cut -c1-8)_$(basename "$f")"
done
tbytes=$(du -sb "$out/t" | cut -f1)

serve() { # db name: starts snipscan serve, sets url_NAME and pid_NAME
	"$bin" serve --db "$1" --listen 127.0.0.1:0 2>"$out/serve.$2.log" &
	local pid=$!
	servers+=("$pid")
	for _ in $(seq 100); do
		grep -q '"listening"' "$out/serve.$2.log" && break
		sleep 0.1
	done
	local url
	url=$(grep -o '"url":"[^"]*"' "$out/serve.$2.log" | head -1 | cut -d'"' -f4)
	[ -n "$url" ] || { cat "$out/serve.$2.log" >&2; exit 2; }
	printf -v "url_$2" %s "$url"
	printf -v "pid_$2" %s "$pid"
}
serve "$out/g.db" bbolt
serve "$(dsn g)" pg
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

scans=(local-bbolt local-pg serve-bbolt serve-pg)
scan_args() {
	case $1 in
	local-bbolt) echo "--db $out/g.db" ;;
	local-pg) echo "--db $(dsn g)" ;;
	serve-bbolt) echo "--server $url_bbolt" ;;
	serve-pg) echo "--server $url_pg" ;;
	esac
}
for i in $(seq $((runs + 1))); do # the first round warms the caches and is not counted
	for s in "${scans[@]}"; do
		# shellcheck disable=SC2046
		/usr/bin/time -f '%e %M' -o "$out/time" "$bin" scan $(scan_args "$s") --format json "$out/t" >"$out/scan.$s.json" 2>/dev/null || true
		[ "$i" = 1 ] || cat "$out/time" >>"$out/scan.$s"
	done
done
same=yes
for s in "${scans[@]}"; do
	grep -v '"elapsed_ms"\|"corpus"' "$out/scan.$s.json" >"$out/scan.$s.norm"
	cmp -s "$out/scan.local-bbolt.norm" "$out/scan.$s.norm" || same="NO ($s differs)"
done
lookups() { # db: lookupbench of the 100 files
	"$out/lookupbench" --db "$1" --runs 20 "$out/t"
}
lb_bbolt=$(lookups "$out/g.db")
lb_pg=$(lookups "$(dsn g)")
lbig_bbolt=$(lookups "$out/big.db")
lbig_pg=$(lookups "$(dsn big)")

# --- 3. load
load() { # name: scanload against the server over that store
	local pid_var="pid_$1" url_var="url_$1"
	sample_start "$out/mem.load.$1"
	"$out/scanload" --server "${!url_var}" --clients "$clients" --duration "${seconds}s" --pid "${!pid_var}" "$out/t" >"$out/load.$1"
	sample_stop
}
load bbolt
load pg
pg_load_mem() { # name: the PostgreSQL server's RSS and PSS over the load
	awk -v n="$(wc -l <"$out/mem.load.$1")" '{r[NR]=$2; p[NR]=$3}
		END {q=int(n/4); if (q<1) q=1; mr1=0; mp1=0; mr4=0; mp4=0
			for (i=1; i<=q; i++) {if (r[i]>mr1) mr1=r[i]; if (p[i]>mp1) mp1=p[i]}
			for (i=n-q+1; i<=n; i++) {if (r[i]>mr4) mr4=r[i]; if (p[i]>mp4) mp4=p[i]}
			printf "RSS %d, %d, %d MB; PSS %d, %d, %d MB (first sample, max of first quarter, max of last quarter)", r[1]/1024, mr1/1024, mr4/1024, p[1]/1024, mp1/1024, mp4/1024}' "$out/mem.load.$1"
}

# --- report
load2=$(cut -d' ' -f1 /proc/loadavg)
echo
echo "Measured $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1048576)) GiB, $(go version | awk '{print $3}'), PostgreSQL $pgversion (shared_buffers $shared_buffers${PG_OPTS:+, $PG_OPTS}), load average $load1 at the start and $load2 at the end; median of $runs rounds."
echo
echo "Index: $input, $infiles files, $((inbytes / 1000000)) MB (MB/s of these bytes)"
echo
echo "| store | wall (median) | throughput | every run | peak RSS snipscan | peak PostgreSQL RSS (sum) | peak PostgreSQL PSS (sum) | database |"
echo "|---|---|---|---|---|---|---|---|"
index_row bbolt "bbolt, one index process"
index_row pg1 "PostgreSQL, one index process"
index_row pg2 "PostgreSQL, two index processes at once (half of the roots each)"
echo
echo "bbolt: $(grep -m1 '^files' "$out/info.bbolt"); $(grep -m1 -i 'postings\|fingerprints' "$out/info.bbolt")"
echo "PostgreSQL (two processes): $(grep -m1 '^files' "$out/info.pg"); $(grep -m1 -i 'postings\|fingerprints' "$out/info.pg"); check: $(head -1 "$out/check.pg")"
echo "PostgreSQL schema snipscan: $((pg_schema_bytes / 1000000)) MB of tables and indexes, postings $((pg_postings_bytes / 1000000)) MB"
awk -v a="$bbolt_bytes" -v n="$postings" -v b="$pg_schema_bytes" -v p="$pg_postings_bytes" -v m="$pg_postings" 'BEGIN {
	printf "bytes per posting: bbolt %.1f (the whole file), PostgreSQL %.1f (the whole schema), %.1f (the postings table and its index)\n", a/n, b/m, p/m}'
echo "PostgreSQL tables (two processes): $pg_tables; $pg_routes"
echo "index output: bbolt: $(head -1 "$out/index.out.bbolt"); PostgreSQL, one process: $(head -1 "$out/index.out.pg1")"
awk 'FNR == 1 {k++} {w[k, FNR] = $1; n = FNR} END {printf "throughput of PostgreSQL / bbolt, round by round: one process"
	for (i = 1; i <= n; i++) printf " %.2f", w[1, i] / w[2, i]; printf "; two processes"
	for (i = 1; i <= n; i++) printf " %.2f", w[1, i] / w[3, i]; print ""}' "$out/index.bbolt" "$out/index.pg1" "$out/index.pg2"
echo
echo "Scan: the 100 files of scripts/bench.sh ($tbytes bytes) against GOROOT/src ($runs rounds and one to warm up)"
echo
echo "| scan | wall (median) | every run | peak RSS (client) |"
echo "|---|---|---|---|"
for s in "${scans[@]}"; do
	echo "| $s | $(awk '{print $1}' "$out/scan.$s" | median) s | $(awk '{print $1}' "$out/scan.$s" | xargs | sed 's/ /, /g') | $(awk '{print $2}' "$out/scan.$s" | sort -n | tail -1 | xargs -I{} awk 'BEGIN {print int({}/1024)}') MB |"
done
echo
echo "same JSON reports (but elapsed_ms and the corpus's name): $same"
echo "server RSS after the scans: bbolt $(rss "$pid_bbolt") MB, PostgreSQL $(rss "$pid_pg") MB"
echo "lookups of the 100 files' fingerprints, GOROOT corpus: bbolt: $lb_bbolt; PostgreSQL: $lb_pg"
echo "lookups of the 100 files' fingerprints, corpus of the index runs: bbolt: $lbig_bbolt; PostgreSQL: $lbig_pg"
echo
echo "Load: $clients clients for $seconds s, the 100 files as one request each"
echo
for s in bbolt pg; do
	echo "- serve over $s:"
	sed 's/^/  /' "$out/load.$s"
	[ "$s" = pg ] && echo "  PostgreSQL server: $(pg_load_mem pg)"
done
echo
echo "PostgreSQL memory during the load over PostgreSQL (seconds, RSS KiB, PSS KiB), every 5th sample:"
awk 'NR % 25 == 1' "$out/mem.load.pg" | tr '\n' ';'
echo

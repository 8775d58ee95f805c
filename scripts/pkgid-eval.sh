#!/usr/bin/env bash
# Package identity against the registries' own labels: index real Go
# modules (eval/scale-modules.txt, downloaded through the Go module proxy
# into a module cache of their own, as scripts/scale-bench.sh does) and
# real npm packages (installed with npm) through each spelling of their
# path, and compare every package record that `snipscan info` lists with
# the module path and version of the proxy's directory name and with
# `npm view NAME version`.
#
# For each spelling, one database: the Go module cache; each host's
# directory in it; each module's directory; a directory inside each
# module; each module's zip in cache/download. For npm: the application;
# its node_modules; each package's directory; a directory inside each
# package; each package's tarball (npm pack); each tarball unpacked into a
# directory named name@version, and the directory holding those. "Inside" is the directory of the first
# .go (.js) file below the top, in byte order, outside testdata
# (node_modules).
#
# A package is "exact" when a record has its name, version and purl
# (pkg:golang/MODULE@VERSION, pkg:npm/NAME@VERSION, the scope's @ and a
# version's + escaped). "spelled twice" counts records of one name and
# version beyond the first (not vendored); "no version" records without a
# version (a manifest may state none);
# "other type" npm records whose purl is not pkg:npm.
#
# Usage: scripts/pkgid-eval.sh [BINARY...]   (default: build this tree)
# Environment: WORK (default ~/.cache/snipscan-scale, shared with
# scripts/scale-bench.sh); PARTS (default "go npm": which to measure).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${WORK:-$HOME/.cache/snipscan-scale}
mods="$work/mod"
npmdir="$work/npm"
mkdir -p "$work"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
	go build -o "$out/snipscan" ./cmd/snipscan
	bins=("$out/snipscan")
fi

# Go modules: the module cache of scripts/scale-bench.sh.
list=$(grep -v '^#' eval/scale-modules.txt | grep -v '^$')
if [ ! -e "$work/download.done" ]; then
	echo "== downloading $(echo "$list" | wc -l) module versions into $mods" >&2
	(cd "$work" && echo "$list" | xargs -P 8 -n 8 env GOMODCACHE="$mods" GOFLAGS=-modcacherw GOPROXY="$(go env GOPROXY)" \
		go mod download 2>"$work/download.err") || true
	touch "$work/download.done"
fi
# The module versions the proxy served: their directory in the cache
# (capitals escaped as !lower).
: >"$out/go.truth"
while read -r mv; do
	dir="$mods/$(printf '%s' "$mv" | sed 's/[A-Z]/!\l&/g')"
	[ -d "$dir" ] && printf '%s\t%s\t%s\n' "${mv%@*}" "${mv##*@}" "$dir" >>"$out/go.truth"
done <<<"$list"
echo "== $(wc -l <"$out/go.truth") Go module versions in $mods" >&2

# Roots of each spelling, and the packages they hold (truth subsets).
cut -f3 "$out/go.truth" >"$out/go.modules"
find "$mods" -mindepth 1 -maxdepth 1 -type d ! -name cache | sort >"$out/go.hosts"
: >"$out/go.inside"
: >"$out/go.inside.truth"
: >"$out/go.zips"
: >"$out/go.zips.truth"
while IFS=$'\t' read -r m v dir; do
	sub=$(find "$dir" -mindepth 2 -name '*.go' ! -path '*/testdata/*' | sort | sed -n 1p)
	sub=${sub%/*}
	if [ -n "$sub" ]; then
		echo "$sub" >>"$out/go.inside"
		printf '%s\t%s\n' "$m" "$v" >>"$out/go.inside.truth"
	fi
	rel=${dir#"$mods"/}
	z="$mods/cache/download/${rel%@*}/@v/${rel##*@}.zip"
	if [ -f "$z" ]; then
		echo "$z" >>"$out/go.zips"
		printf '%s\t%s\n' "$m" "$v" >>"$out/go.zips.truth"
	fi
done <"$out/go.truth"
echo "$mods" >"$out/go.cache"

# npm packages: the latest version of each, as the registry says,
# installed at that version (the install is kept in $WORK/npm).
npmlist="lodash dompurify react chalk @babel/parser moment underscore jquery vue axios uuid minimist yargs
commander debug ms @vue/shared @jridgewell/sourcemap-codec semver @sindresorhus/is left-pad @types/trusted-types"
app="$npmdir/app"
: >"$out/npm.truth"
specs=()
for n in $npmlist; do
	v=$(npm view "$n" version)
	printf '%s\t%s\t%s\n' "$n" "$v" "$app/node_modules/$n" >>"$out/npm.truth"
	specs+=("$n@$v")
done
if [ ! -d "$app/node_modules" ]; then
	mkdir -p "$app"
	echo '{"name": "pkgid-eval-app", "version": "0.1.0", "private": true}' >"$app/package.json"
	npm install --no-audit --no-fund --ignore-scripts --prefix "$app" "${specs[@]}" >&2
fi
echo "$app" >"$out/npm.app"
echo "$app/node_modules" >"$out/npm.nm"
cut -f3 "$out/npm.truth" >"$out/npm.packages"
: >"$out/npm.inside"
: >"$out/npm.inside.truth"
: >"$out/npm.tarballs"
: >"$out/npm.unpacked"
mkdir -p "$npmdir/tgz" "$npmdir/store"
while IFS=$'\t' read -r n v dir; do
	sub=$(find "$dir" -mindepth 1 -name node_modules -prune -o -mindepth 2 -name '*.js' -print | sort | sed -n 1p)
	sub=${sub%/*}
	if [ -n "$sub" ]; then
		echo "$sub" >>"$out/npm.inside"
		printf '%s\t%s\n' "$n" "$v" >>"$out/npm.inside.truth"
	fi
	tgz="$npmdir/tgz/$(echo "${n#@}" | tr / -)-$v.tgz"
	[ -f "$tgz" ] || (cd "$npmdir/tgz" && npm pack --silent "$n@$v" >/dev/null) # npm names it scope-name-version.tgz
	echo "$tgz" >>"$out/npm.tarballs"
	un="$npmdir/store/$n@$v"
	[ -d "$un" ] || { mkdir -p "$un" && tar -xzf "$tgz" -C "$un" --strip-components=1; }
	echo "$un" >>"$out/npm.unpacked"
done <"$out/npm.truth"
echo "$npmdir/store" >"$out/npm.store"

# purl expected for a name and version: the scope's @ and a version's +
# escaped, as packageurl-go writes them.
jqexpect='def purl($t; $n; $v): "pkg:" + $t + "/" + ($n | sub("^@"; "%40")) + "@" + ($v | gsub("\\+"; "%2B"));'

report() { # binary ecosystem spelling rootsfile truthfile
	local bin=$1 eco=$2 spelling=$3 roots=$4 truth=$5 db="$out/eval.db" part=${2/golang/go}
	[[ " ${PARTS:-go npm} " == *" $part "* ]] || return 0
	rm -f "$db"
	[ -s "$roots" ] || return 0
	xargs -d '\n' "$bin" index --db "$db" --progress never <"$roots" >/dev/null 2>"$out/index.err" || true
	"$bin" info --db "$db" --packages --format json >"$out/info.json" 2>/dev/null
	jq -r --arg t "$eco" --arg s "$spelling" --rawfile truth "$truth" --argjson n "$(wc -l <"$roots")" "$jqexpect"'
		($truth | split("\n") | map(select(length > 0) | split("\t") | {name: .[0], version: .[1]})) as $want
		| [.packages[] | {name: (.name // ""), version: (.version // ""), purl: (.purl // ""), vendored: (.vendored // false)}] as $got
		| [$want[] | . as $w | select(any($got[]; .name == $w.name and .version == $w.version and .purl == purl($t; $w.name; $w.version)))] as $exact
		| ($got | map(select(.version != "" and (.vendored | not))) | group_by([.name, .version]) | map(length - 1) | add // 0) as $twice
		| [$s, ($n | tostring), ($want | length | tostring), ($exact | length | tostring), ($got | length | tostring),
		   ($twice | tostring),
		   ($got | map(select(.version == "")) | length | tostring),
		   ($got | map(select(.purl != "" and (.purl | startswith("pkg:" + $t + "/") | not))) | length | tostring)]
		| join("\t")' "$out/info.json"
}

for bin in "${bins[@]}"; do
	echo "== $bin"
	printf 'spelling\troots\tpackages\texact\trecords\tspelled twice\tno version\tother type\n'
	report "$bin" golang "Go: the module cache" "$out/go.cache" "$out/go.truth"
	report "$bin" golang "Go: each host's directory" "$out/go.hosts" "$out/go.truth"
	report "$bin" golang "Go: each module" "$out/go.modules" "$out/go.truth"
	report "$bin" golang "Go: a directory inside each module" "$out/go.inside" "$out/go.inside.truth"
	report "$bin" golang "Go: each module's zip" "$out/go.zips" "$out/go.zips.truth"
	report "$bin" npm "npm: the application" "$out/npm.app" "$out/npm.truth"
	report "$bin" npm "npm: node_modules" "$out/npm.nm" "$out/npm.truth"
	report "$bin" npm "npm: each package" "$out/npm.packages" "$out/npm.truth"
	report "$bin" npm "npm: a directory inside each package" "$out/npm.inside" "$out/npm.inside.truth"
	report "$bin" npm "npm: each tarball" "$out/npm.tarballs" "$out/npm.truth"
	report "$bin" npm "npm: each unpacked into name@version" "$out/npm.unpacked" "$out/npm.truth"
	report "$bin" npm "npm: the directory of the name@version ones" "$out/npm.store" "$out/npm.truth"
done

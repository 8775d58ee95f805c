#!/usr/bin/env bash
# Fetch the inputs of cmd/liceval into its cache (nothing is committed):
#
# - the npm packages of eval/license-npm.txt, with `npm pack`, keeping the
#   files at the top of each package (license files, README, manifests):
#   CACHE/npm/NAME@VERSION/package/ (a scope's "/" written %2f);
# - the Debian source packages of eval/license-debsrc.txt, with
#   `apt-get source` against Debian 12's source index (an apt state of its
#   own in the cache: the machine's apt configuration is not changed),
#   unpacked with dpkg-source: CACHE/debsrc/SOURCE/.
#
# A package already fetched is not fetched again. Failures are listed and
# counted, not fatal: cmd/liceval reports what is missing.
#
# Usage: scripts/liceval-fetch.sh [CACHE]   (default ~/.cache/snipscan-liceval)
# Needs npm; apt-get and dpkg-source (dpkg-dev) for the Debian sources.
set -uo pipefail
cd "$(dirname "$0")/.."
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/snipscan-liceval}
mkdir -p "$cache/npm" "$cache/debsrc"
failed=0

echo "== npm packages into $cache/npm" >&2
# fetch_npm CACHE SPEC: pack one package and keep the top of it.
fetch_npm() {
	local cache=$1 spec=$2 dir tmp tgz
	dir="$cache/npm/${spec//\//%2f}"
	[ -f "$dir/package/package.json" ] && return 0
	tmp=$(mktemp -d)
	if tgz=$(cd "$tmp" && timeout 300 npm pack --silent "$spec" 2>"$tmp/err") && [ -f "$tmp/$tgz" ]; then
		# The files at the top of the package only (what cmd/liceval
		# reads), from its single top directory ("package" most often,
		# the name of the package in @types tarballs).
		mkdir -p "$tmp/x" "$dir/package"
		tar -xzf "$tmp/$tgz" -C "$tmp/x" --no-same-owner 2>>"$tmp/err"
		find "$tmp"/x/* -maxdepth 1 -type f -exec cp {} "$dir/package/" \;
	else
		echo "npm pack $spec failed: $(head -c 300 "$tmp/err")" >&2
	fi
	rm -rf "$tmp"
}
export -f fetch_npm
grep -v '^#' eval/license-npm.txt | grep -v '^$' | xargs -P 4 -I{} bash -c 'fetch_npm "$0" "$1"' "$cache" {}
missing=0
while read -r spec; do
	case "$spec" in '' | '#'*) continue ;; esac
	[ -f "$cache/npm/${spec//\//%2f}/package/package.json" ] || missing=$((missing + 1))
done <eval/license-npm.txt
failed=$((failed + missing))

echo "== Debian sources into $cache/debsrc" >&2
apt="$cache/apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
echo 'deb-src http://deb.debian.org/debian bookworm main' >"$apt/sources.list"
aptopts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
if [ ! -e "$apt/updated" ]; then
	timeout 300 apt-get "${aptopts[@]}" update >&2 && touch "$apt/updated"
fi
while read -r spec; do
	case "$spec" in '' | '#'*) continue ;; esac
	src=${spec%%=*}
	[ -f "$cache/debsrc/$src/debian/copyright" ] && continue
	tmp=$(mktemp -d)
	if (cd "$tmp" && timeout 300 apt-get "${aptopts[@]}" source --download-only "$spec" >/dev/null 2>"$tmp/err") &&
		dpkg-source --no-check -x "$tmp"/*.dsc "$cache/debsrc/$src" >/dev/null 2>>"$tmp/err"; then
		:
	else
		echo "apt-get source $spec failed: $(tail -c 300 "$tmp/err")" >&2
		rm -rf "$cache/debsrc/$src"
		failed=$((failed + 1))
	fi
	rm -rf "$tmp"
	rm -f "$cache/debsrc/${src}_"* # the tarballs dpkg-source leaves beside the tree
done <eval/license-debsrc.txt
echo "== done; $failed failed" >&2

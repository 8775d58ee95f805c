#!/usr/bin/env bash
# Dual licenses, labelled by someone else: what snipscan infers from the
# files of real packages whose authors offer a choice of licenses, against
# the choice they declare.
#
# - npm packages whose package.json "license" (or legacy "licenses") is a
#   choice; the label is that field, written below in canonical SPDX form
#   (the script checks that the registry still says what the table says).
#   Each package is indexed twice: with the package.json "license" field
#   removed (what the files say) and as published (with the manifest).
# - Go modules whose README states a dual license (quoted below), and one
#   whose two license files cover different parts (a control: AND).
#
# A package counts as right when the license that most of its indexed
# files carry equals the label (alternatives compared as a set). The share
# of files carrying exactly the label is printed too.
#
# Usage: scripts/dual-licenses.sh [SNIPSCAN_BINARY]   (default: built from this tree)
# Needs npm, jq and the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${1:-}
if [ -z "$bin" ]; then
	go build -o "$work/snipscan" ./cmd/snipscan
	bin="$work/snipscan"
fi

# package@version | the registry's license field, verbatim (arrays joined with " OR ") | label
npm_packages='
dompurify@3.4.18|(MPL-2.0 OR Apache-2.0)|Apache-2.0 OR MPL-2.0
jszip@3.10.2|(MIT OR GPL-3.0-or-later)|GPL-3.0-or-later OR MIT
node-forge@1.4.3|(BSD-3-Clause OR GPL-2.0)|BSD-3-Clause OR GPL-2.0-only
type-fest@5.10.0|(MIT OR CC0-1.0)|CC0-1.0 OR MIT
rc@1.2.8|(BSD-2-Clause OR MIT OR Apache-2.0)|Apache-2.0 OR BSD-2-Clause OR MIT
JSONStream@1.3.5|(MIT OR Apache-2.0)|Apache-2.0 OR MIT
harmony-reflect@1.6.2|(Apache-2.0 OR MPL-1.1)|Apache-2.0 OR MPL-1.1
json-schema@0.4.0|(AFL-2.1 OR BSD-3-Clause)|AFL-2.1 OR BSD-3-Clause
expand-template@2.0.3|(MIT OR WTFPL)|MIT OR WTFPL
sjcl@1.0.9|(BSD-2-Clause OR GPL-2.0-only)|BSD-2-Clause OR GPL-2.0-only
pause-stream@0.0.11|MIT OR Apache2|Apache-2.0 OR MIT
@biomejs/biome@2.6.8|MIT OR Apache-2.0|Apache-2.0 OR MIT
@tauri-apps/api@2.12.5|Apache-2.0 OR MIT|Apache-2.0 OR MIT
@tauri-apps/cli@2.12.5|Apache-2.0 OR MIT|Apache-2.0 OR MIT
wasm-pack@0.15.0|MIT OR Apache-2.0|Apache-2.0 OR MIT
'

# module@version | label | the README's words
go_modules='
github.com/libp2p/go-libp2p-pubsub@v0.19.0|Apache-2.0 OR MIT|dual-licensed under Apache 2.0 and MIT terms
github.com/ipfs/go-ds-pebble@v0.5.13|Apache-2.0 OR MIT|Dual-licensed under MIT + Apache 2.0
github.com/multiformats/go-multicodec@v0.10.0|Apache-2.0 OR MIT|SPDX-License-Identifier: Apache-2.0 OR MIT
github.com/multiformats/go-base36@v0.2.0|Apache-2.0 OR MIT|SPDX-License-Identifier: Apache-2.0 OR MIT
github.com/libp2p/go-buffer-pool@v0.1.0|BSD-3-Clause AND MIT|MIT (c) Protocol Labs, BSD (c) The Go Authors (control: two parts)
'

# alternatives EXPR: the operands of a flat OR (or AND), sorted, to
# compare expressions whatever their order; anything nested as it is.
alternatives() {
	local e=$1
	e=${e#(}
	e=${e%)}
	case "$e" in
	*"("* | *" WITH "* | *" AND "*" OR "* | *" OR "*" AND "*) echo "$e" ;;
	*" AND "*) echo "$e" | sed 's/ AND /\n/g' | sort | paste -sd'&' - ;;
	*) echo "$e" | sed 's/ OR /\n/g' | sort | paste -sd'|' - ;;
	esac
}

# measure DIR LABEL: index DIR, print "most-common-license<TAB>share-with-label<TAB>files"
measure() {
	local dir=$1 label=$2 db
	db=$(mktemp -u "$work/db.XXXXXX")
	"$bin" index --db "$db" "$dir" >/dev/null 2>&1
	"$bin" info --db "$db" --format json | jq -r --arg want "$label" '
		(.licenses // {}) as $l
		| ([$l | to_entries[] | .value] | add // 0) as $n
		| (if $n == 0 then "(no files)" else ($l | to_entries | max_by(.value) | .key) end) as $top
		| [($top | if . == "" then "(none)" else . end), (($l[$want] // 0) | tostring) + "/" + ($n | tostring)] | @tsv'
	rm -f "$db"
}

right=0 right_manifest=0 total=0
printf '| package | label | from the files (license field removed) | files with the label | as published | files with the label |\n|---|---|---|---|---|---|\n'
while IFS='|' read -r spec registry label; do
	[ -n "$spec" ] || continue
	total=$((total + 1))
	dir="$work/npm/$total"
	mkdir -p "$dir"
	tgz=$(cd "$dir" && npm pack --silent "$spec" 2>/dev/null | tail -1)
	tar xzf "$dir/$tgz" -C "$dir"
	pj="$dir/package/package.json"
	got=$(jq -r 'if (.license|type)=="string" then .license
		elif (.license|type)=="object" then .license.type
		elif (.license|type)=="array" then [.license[]|if type=="string" then . else .type end]|join(" OR ")
		elif (.licenses|type)=="array" then [.licenses[]|if type=="string" then . else .type end]|join(" OR ")
		else "" end' "$pj")
	if [ "$got" != "$registry" ]; then
		echo "$spec: the registry now declares \"$got\", the table \"$registry\"" >&2
		exit 2
	fi
	IFS=$'\t' read -r full full_share < <(measure "$dir/package" "$label")
	jq 'del(.license, .licenses)' "$pj" >"$pj.new" && mv "$pj.new" "$pj"
	IFS=$'\t' read -r files files_share < <(measure "$dir/package" "$label")
	[ "$(alternatives "$files")" = "$(alternatives "$label")" ] && right=$((right + 1))
	[ "$(alternatives "$full")" = "$(alternatives "$label")" ] && right_manifest=$((right_manifest + 1))
	printf '| %s | `%s` | `%s` | %s | `%s` | %s |\n' "$spec" "$label" "$files" "$files_share" "$full" "$full_share"
done <<<"$npm_packages"
npm_total=$total

go_right=0 go_total=0
printf '\n| module | label | README | from the files | files with the label |\n|---|---|---|---|---|\n'
while IFS='|' read -r mod label words; do
	[ -n "$mod" ] || continue
	go_total=$((go_total + 1))
	dir=$(go mod download -json "$mod" | jq -r .Dir)
	IFS=$'\t' read -r files files_share < <(measure "$dir" "$label")
	[ "$(alternatives "$files")" = "$(alternatives "$label")" ] && go_right=$((go_right + 1))
	printf '| %s | `%s` | %s | `%s` | %s |\n' "$mod" "$label" "$words" "$files" "$files_share"
done <<<"$go_modules"

echo
echo "npm: $right of $npm_total right from the files alone, $right_manifest of $npm_total as published"
echo "Go: $go_right of $go_total right"

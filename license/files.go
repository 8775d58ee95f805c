package license

import (
	"strings"
)

// licenseStems are the base names (lower case, without extension) of
// license files. A name matches a stem exactly, or a stem followed by
// '-', '_' or '.' and a suffix ("LICENSE-MIT", "COPYING.LESSER",
// "LICENSE_APACHE"), or is "MIT-LICENSE"-like (a suffix "-license").
var licenseStems = []string{"license", "licence", "licenses", "licences", "copying", "copyright", "unlicense", "copyleft"}

// licenseExts are the extensions a license file may carry.
var licenseExts = []string{"", ".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".adoc", ".asciidoc", ".org", ".text", ".rtf"}

// IsLicenseFile reports whether a base name names a license file:
// LICENSE, LICENCE, COPYING, COPYING.LESSER, COPYRIGHT (Debian), UNLICENSE,
// MIT-LICENSE, LICENSE-MIT, LICENSE-APACHE, LICENSE_1_0.txt, LICENSE.txt,
// LICENSE.md, LICENSE.rst, license (any case), with the usual text
// extensions. Directory parts are not allowed.
func IsLicenseFile(name string) bool {
	if name == "" || strings.ContainsAny(name, "/\\") {
		return false
	}
	n := strings.ToLower(name)
	if i := strings.LastIndexByte(n, '.'); i >= 0 && codeExts[n[i+1:]] {
		return false // license.go, licenses.py: source files
	}
	for _, ext := range licenseExts[1:] {
		if strings.HasSuffix(n, ext) {
			n = strings.TrimSuffix(n, ext)
			break
		}
	}
	for _, s := range licenseStems {
		if n == s {
			return true
		}
		if rest, ok := strings.CutPrefix(n, s); ok && (rest[0] == '-' || rest[0] == '_' || rest[0] == '.') && len(rest) > 1 && len(rest) <= 20 {
			return true
		}
		if rest, ok := strings.CutSuffix(n, s); ok && len(rest) > 1 && (rest[len(rest)-1] == '-' || rest[len(rest)-1] == '_' || rest[len(rest)-1] == '.') && len(rest) <= 20 {
			return true
		}
	}
	return false
}

// codeExts are extensions of source files, which are never license files.
var codeExts = map[string]bool{
	"go": true, "py": true, "js": true, "mjs": true, "ts": true, "tsx": true, "jsx": true, "rs": true,
	"c": true, "h": true, "cc": true, "cpp": true, "hpp": true, "java": true, "kt": true, "rb": true,
	"php": true, "cs": true, "swift": true, "json": true, "yaml": true, "yml": true, "toml": true,
	"xml": true, "sh": true, "pl": true, "pm": true, "lua": true, "sql": true, "scala": true, "m": true,
	"dart": true, "ex": true, "exs": true, "hs": true, "ml": true, "clj": true, "vue": true, "css": true,
	"scss": true, "gradle": true, "cmake": true, "tmpl": true, "tpl": true, "erb": true, "r": true,
	"jl": true, "zig": true, "nim": true, "proto": true, "class": true, "jar": true, "o": true, "so": true,
}

// IsNoticeFile reports whether a base name names a notice file: NOTICE
// and NOTICES (with text extensions, any case) and THIRD-PARTY-NOTICES /
// ThirdPartyNotices. AUTHORS, CONTRIBUTORS and PATENTS files are not
// notice files: they list people or grant patents and state no license.
func IsNoticeFile(name string) bool {
	if name == "" || strings.ContainsAny(name, "/\\") {
		return false
	}
	n := strings.ToLower(name)
	for _, ext := range licenseExts[1:] {
		if strings.HasSuffix(n, ext) {
			n = strings.TrimSuffix(n, ext)
			break
		}
	}
	switch n {
	case "notice", "notices", "third-party-notices", "third_party_notices", "thirdpartynotices", "thirdpartynotices.txt", "third-party-licenses", "third_party_licenses":
		return true
	}
	return false
}

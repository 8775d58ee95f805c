package license

import (
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
)

// ParseDeclared converts a license string from a package manifest
// (package.json, Cargo.toml, setup.cfg, a POM, a PyPI classifier, ...)
// to a canonical SPDX expression, or "" if it names no known license.
//
// It accepts real SPDX expressions, validated by the SPDX expression
// library github.com/github/go-spdx, whose choices stay choices ("(MPL-2.0
// OR Apache-2.0)" is "Apache-2.0 OR MPL-2.0"; "GPL-2.0+" becomes
// "GPL-2.0-or-later"), the slash form ("MIT/Apache-2.0" means
// OR), and common names: "Apache 2.0", "The Apache Software License,
// Version 2.0", "GPLv3+", "GNU LGPL v2.1", "BSD", "new BSD", "MPL 2.0",
// "License :: OSI Approved :: MIT License". Unversioned GNU names mean
// "or later" from the oldest version ("GPL" is GPL-1.0-or-later, as the
// GPL itself says when no version is specified); a bare "BSD" is taken
// as BSD-3-Clause.
func ParseDeclared(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	// PyPI classifiers: "License :: OSI Approved :: MIT License".
	if i := strings.LastIndex(s, "::"); i >= 0 {
		s = strings.TrimSpace(s[i+2:])
	}
	if e, ok := parseSPDX(s); ok {
		return e.String()
	}
	lower := lowerASCII([]byte(s))
	if ambiguous[lower] {
		lower += " license" // a manifest's "Ruby" or "PHP" is a license name
	}
	ws := splitWords(lower)
	if len(ws) == 0 {
		return ""
	}
	e, _, next, _ := parseNameList(lower, ws, 0)
	if e == nil {
		return slashed(s)
	}
	// The whole string must be a license name, give or take filler.
	for ; next < len(ws); next++ {
		switch w := ws[next].w; {
		case isLicenseWord(w), w == "the", w == "version", w == "only", w == "osi", w == "approved",
			w == "software", w == "see", w == "file", w == "in", w == "terms", w == "agreement":
		default:
			return slashed(s)
		}
	}
	return e.String()
}

// slashed parses "MIT/Apache-2.0" as "MIT OR Apache-2.0".
func slashed(s string) string {
	if strings.Contains(s, "/") && !strings.Contains(s, "://") {
		if e, err := parseExpr(strings.ReplaceAll(s, "/", " OR "), false); err == nil {
			return e.String()
		}
	}
	return ""
}

// parseSPDX parses s when it is a valid SPDX license expression, as
// github.com/github/go-spdx decides (operators in upper case; license
// IDs and exceptions of the SPDX list, deprecated ones included, or
// LicenseRef-), keeping its structure: "(MPL-2.0 OR Apache-2.0)" stays a
// choice, "MIT AND (Apache-2.0 OR BSD-3-Clause)" an AND of a choice. IDs
// are then made canonical (GPL-2.0+ is GPL-2.0-or-later).
func parseSPDX(s string) (*expr, bool) {
	norm, invalid := spdxexp.ValidateAndNormalizeLicensesWithOptions([]string{s}, spdxexp.ValidateLicensesOptions{})
	if len(invalid) > 0 || len(norm) != 1 {
		return nil, false
	}
	e, err := parseExpr(norm[0], false)
	if err != nil {
		return nil, false
	}
	return e, true
}

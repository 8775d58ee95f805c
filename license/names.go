package license

import (
	"strings"
)

// nameParse is the result of recognizing one license name in words.
type nameParse struct {
	e    *expr   // the license; nil when only a hint was found
	hint string  // family named by "X-style" / "X-like" wording
	next int     // index of the first word after the name
	conf float64 // confidence: lower for guessed versions
}

// isLicenseWord reports whether w is "license" or a spelling of it.
func isLicenseWord(w string) bool {
	switch w {
	case "license", "licence", "licenses", "licences", "licensed", "licenced":
		return true
	}
	return false
}

// version is a parsed license version: num like "2.0", "2.1", "1.0".
type version struct {
	num   string
	plus  bool // "+", "or later", "or any later version"
	only  bool // "only"
	other string
}

// normVersion turns "2", "v2", "v2.0", "2.0", "ver2" into "2.0"-style
// numbers; it reports false if s is not a version.
func normVersion(s string) (string, bool) {
	s = strings.TrimPrefix(s, "version")
	s = strings.TrimPrefix(s, "ver")
	s = strings.TrimPrefix(s, "v")
	s = strings.TrimPrefix(s, ".")
	s = strings.TrimPrefix(s, "-")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			return "", false
		}
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s, true
}

// parseVersionAt parses a version at words[k:] ("version 2", "v2.0",
// "2 or later", "2+", "2.1 only", "3 or any later version", "2 of the
// License, or (at your option) any later version").
func parseVersionAt(ws []word, k int) (version, int, bool) {
	var v version
	for k < len(ws) && (ws[k].w == "version" || ws[k].w == "ver" || ws[k].w == "v" || ws[k].w == "either" || ws[k].w == "vers") {
		k++
	}
	if k >= len(ws) {
		return v, k, false
	}
	w := ws[k].w
	plus := strings.HasSuffix(w, "+")
	w = strings.TrimSuffix(w, "+")
	num, ok := normVersion(w)
	if !ok {
		return v, k, false
	}
	v.num, v.plus = num, plus
	k++
	return parseVersionSuffix(ws, k, v)
}

// parseVersionSuffix recognizes what follows a version number and
// qualifies it: "only", a range ("or later", "or any later version", "or
// (at your option) any later version", "or, at your opinion, any later
// version"), or a second version ("or version 3"). A notice's words
// between the number and its qualifier are skipped: "of the License" and
// the date of the version ("version 2 dated June, 1991", "version 2 (June
// 1991)").
func parseVersionSuffix(ws []word, k int, v version) (version, int, bool) {
	k = skipVersionDate(ws, k)
	// "of the License", as in GNU notices.
	if hasWords(ws, k, "of", "the", "license") || hasWords(ws, k, "of", "the", "licence") {
		k += 3
	}
	k = skipVersionDate(ws, k)
	if n := laterRange(ws, k); n > 0 {
		v.plus = true
		return v, k + n, true
	}
	switch {
	case hasWords(ws, k, "only"):
		v.only = true
		k++
	case k+1 < len(ws) && ws[k].w == "or" && !v.plus:
		// "v2 or v3", "2 or 3", "version 2 or version 3"
		j := k + 1
		if ws[j].w == "version" || ws[j].w == "v" {
			j++
		}
		if j < len(ws) {
			if n, ok := normVersion(strings.TrimSuffix(ws[j].w, "+")); ok && n != v.num {
				v.other = n
				k = j + 1
			}
		}
	}
	return v, k, true
}

// rangeFillers are the words that may stand between "or" and "later" in
// a range of versions: "or (at your option) any later version".
var rangeFillers = map[string]bool{
	"at": true, "your": true, "option": true, "opinion": true, "choice": true, "discretion": true,
	"any": true, "a": true, "the": true, "if": true, "you": true, "wish": true, "prefer": true,
}

// laterWords end a range of versions: "or later", "or newer", "and above".
var laterWords = map[string]bool{"later": true, "newer": true, "greater": true, "higher": true, "above": true}

// laterRange returns the number of words of a range of versions at ws[k]
// ("or later", "and later", "or (at your option) any later version", "or
// any later version"), or 0.
func laterRange(ws []word, k int) int {
	if k >= len(ws) || ws[k].w != "or" && ws[k].w != "and" {
		return 0
	}
	for j := k + 1; j < len(ws) && j <= k+6; j++ {
		switch w := ws[j].w; {
		case laterWords[w]:
			if j+1 < len(ws) && (ws[j+1].w == "version" || ws[j+1].w == "versions") {
				j++
			}
			return j + 1 - k
		case !rangeFillers[w]:
			return 0
		}
	}
	return 0
}

// months are the names of months, which date a license's version.
var months = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
}

// skipVersionDate skips the date of a version at ws[k] ("dated June,
// 1991", "June 1991", "29 June 2007") and returns the index after it.
func skipVersionDate(ws []word, k int) int {
	j := k
	if j < len(ws) && ws[j].w == "dated" {
		j++
	}
	if j < len(ws) && isDay(ws[j].w) {
		j++
	}
	if j >= len(ws) || !months[ws[j].w] {
		return k
	}
	j++
	if j < len(ws) && isDay(ws[j].w) {
		j++
	}
	if j < len(ws) && len(ws[j].w) == 4 && strings.Trim(ws[j].w, "0123456789") == "" {
		return j + 1
	}
	return k
}

// isDay reports whether w is a day of a month: one or two digits.
func isDay(w string) bool {
	return len(w) >= 1 && len(w) <= 2 && strings.Trim(w, "0123456789") == ""
}

// parseNoticeVersion parses the version that a GNU notice states after
// the license's name at ws[k]: parseVersionAt, also after "in" ("as
// published by the Free Software Foundation in version 2 of the
// License") and "only" ("; only version 2.1 of the License", which is
// -only).
func parseNoticeVersion(ws []word, k int) (version, int, bool) {
	only := false
	j := k
	for ; j < len(ws) && j < k+2 && (ws[j].w == "in" || ws[j].w == "only"); j++ {
		only = only || ws[j].w == "only"
	}
	v, next, ok := parseVersionAt(ws, j)
	if !ok {
		return v, k, false
	}
	v.only = v.only || only && !v.plus
	return v, next, true
}

// gnuFamily reports the GNU license family named by a token such as
// "gpl", "gplv2", "lgpl-2.1+", "agpl3": family and the rest of the token.
func gnuFamily(w string) (family, rest string, ok bool) {
	for _, f := range []string{"agpl", "lgpl", "gpl"} {
		if r, ok := strings.CutPrefix(w, f); ok {
			return strings.ToUpper(f), r, true
		}
	}
	return "", "", false
}

// gnuExpr builds the SPDX expression of a GNU license with version v.
func gnuExpr(family string, v version) *expr {
	num := v.num
	if num == "" {
		// An unversioned GNU license lets the licensee choose any version.
		switch family {
		case "GPL":
			num = "1.0"
		case "LGPL":
			num = "2.0"
		case "AGPL":
			num = "3.0"
		}
		v.plus = true
	}
	if family == "LGPL" && num == "2.0" && v.num == "" {
		num = "2.0"
	}
	suffix := "-only"
	if v.plus {
		suffix = "-or-later"
	}
	e, ok := canonicalID(family+"-"+num+suffix, false)
	if !ok {
		return nil
	}
	if v.other != "" {
		o, ok := canonicalID(family+"-"+v.other+suffix, false)
		if ok {
			return join(opOr, e, o)
		}
	}
	return e
}

// simpleFamilies maps single words to license families with a default
// version (used when no version follows) and the versions they accept.
type family struct {
	prefix   string // SPDX ID prefix, joined with "-" and the version
	def      string // default version when none is given ("" = ID is prefix alone)
	versions []string
}

// shippedVariant is the variant (id) of a license that the work named by
// the word work distributes, for the license's version num or none.
type shippedVariant struct{ work, num, id string }

// shippedVariants are, by family prefix, the variants of a license that a
// work distributes with its own text, as the SPDX list names them: "the
// Artistic License, which comes with Perl" is Perl's Artistic License,
// Artistic-1.0-Perl.
var shippedVariants = map[string][]shippedVariant{
	"Artistic": {{"perl", "1.0", "Artistic-1.0-Perl"}},
}

var families = map[string]family{
	"apache":   {"Apache", "2.0", []string{"1.0", "1.1", "2.0"}},
	"asl":      {"Apache", "2.0", []string{"1.0", "1.1", "2.0"}},
	"mpl":      {"MPL", "2.0", []string{"1.0", "1.1", "2.0"}},
	"epl":      {"EPL", "1.0", []string{"1.0", "2.0"}},
	"cddl":     {"CDDL", "1.0", []string{"1.0", "1.1"}},
	"eupl":     {"EUPL", "1.2", []string{"1.0", "1.1", "1.2"}},
	"artistic": {"Artistic", "2.0", []string{"1.0", "2.0"}},
	"bsl":      {"BSL", "1.0", []string{"1.0"}},
	"boost":    {"BSL", "1.0", []string{"1.0"}},
	"zpl":      {"ZPL", "2.1", []string{"1.1", "2.0", "2.1"}},
	"ofl":      {"OFL", "1.1", []string{"1.0", "1.1"}},
	"php":      {"PHP", "3.01", []string{"3.0", "3.01"}},
	"cpl":      {"CPL", "1.0", []string{"1.0"}},
	"osl":      {"OSL", "3.0", []string{"1.0", "1.1", "2.0", "2.1", "3.0"}},
	"afl":      {"AFL", "3.0", []string{"1.1", "1.2", "2.0", "2.1", "3.0"}},
	"upl":      {"UPL", "1.0", []string{"1.0"}},
}

// phrases maps multi-word names (after an optional "the") to a family key
// of families, or directly to an ID when the value starts with '='.
var phrases = []struct {
	words []string
	to    string
}{
	{[]string{"mozilla", "public"}, "mpl"},
	{[]string{"eclipse", "public"}, "epl"},
	{[]string{"common", "development", "and", "distribution"}, "cddl"},
	{[]string{"european", "union", "public"}, "eupl"},
	{[]string{"boost", "software"}, "boost"},
	{[]string{"zope", "public"}, "zpl"},
	{[]string{"sil", "open", "font"}, "ofl"},
	{[]string{"open", "font"}, "ofl"},
	{[]string{"common", "public"}, "cpl"},
	{[]string{"open", "software"}, "osl"},
	{[]string{"academic", "free"}, "afl"},
	{[]string{"universal", "permissive"}, "upl"},
	{[]string{"apache", "software"}, "apache"},
	{[]string{"python", "software", "foundation"}, "=PSF-2.0"},
	{[]string{"university", "of", "illinois", "ncsa", "open", "source"}, "=NCSA"},
	{[]string{"microsoft", "public"}, "=MS-PL"},
	{[]string{"microsoft", "reciprocal"}, "=MS-RL"},
	{[]string{"blue", "oak", "model"}, "=BlueOak-1.0.0"},
	{[]string{"do", "what", "the", "fuck", "you", "want", "to", "public"}, "=WTFPL"},
	{[]string{"public", "domain"}, "=LicenseRef-Public-Domain"},
	{[]string{"zlib", "libpng"}, "=Zlib"},
	{[]string{"creative", "commons", "zero"}, "=CC0-1.0"},
	{[]string{"cc", "zero"}, "=CC0-1.0"},
}

// single maps one word to an ID.
var single = map[string]string{
	"mit": "MIT", "expat": "MIT", "isc": "ISC", "x11": "X11", "zlib": "Zlib",
	"unlicense": "Unlicense", "cc0": "CC0-1.0", "wtfpl": "WTFPL", "0bsd": "0BSD",
	"openssl": "OpenSSL", "postgresql": "PostgreSQL", "ncsa": "NCSA", "json": "JSON",
	"ruby": "Ruby", "vim": "Vim", "psf": "PSF-2.0", "psfl": "PSF-2.0", "python": "Python-2.0",
	"libpng": "Libpng", "curl": "curl", "ms-pl": "MS-PL", "ms-rl": "MS-RL",
	"mit-0": "MIT-0", "bouncycastle": "MIT", "hippocratic": "Hippocratic-2.1",
}

// ambiguous are names of single that are also ordinary words or names of
// software: they name a license only when "license" follows ("the JSON
// License", "the Ruby license").
var ambiguous = map[string]bool{
	"json": true, "ruby": true, "python": true, "vim": true, "curl": true, "postgresql": true, "php": true,
}

// bsdVariant recognizes BSD naming ("new BSD", "3-clause BSD", "BSD
// 2-Clause", "simplified BSD", ...) at ws[k]; the returned ID is "" for
// an unqualified "BSD".
func bsdVariant(ws []word, k int) (id string, next int, ok bool) {
	qual := func(w string) string {
		switch w {
		case "new", "revised", "modified", "3-clause", "three-clause", "3", "bsd-3", "bsd3":
			return "BSD-3-Clause"
		case "simplified", "freebsd", "2-clause", "two-clause", "2", "bsd-2", "bsd2":
			return "BSD-2-Clause"
		case "original", "old", "4-clause", "four-clause", "4", "bsd-4", "bsd4":
			return "BSD-4-Clause"
		case "0-clause", "zero-clause", "0":
			return "0BSD"
		}
		return ""
	}
	w := ws[k].w
	// Qualifier first: "new BSD", "3-clause BSD".
	if q := qual(w); q != "" && k+1 < len(ws) && ws[k+1].w == "bsd" {
		return q, k + 2, true
	}
	if w == "bsd-3" || w == "bsd3" || w == "bsd-2" || w == "bsd2" || w == "bsd-4" || w == "bsd4" {
		k++
		if k < len(ws) && (ws[k].w == "clause" || ws[k].w == "-clause") {
			k++
		}
		return qual(w), k, true
	}
	if w != "bsd" {
		return "", k, false
	}
	k++
	if k < len(ws) {
		if q := qual(ws[k].w); q != "" {
			k++
			if k < len(ws) && ws[k].w == "clause" {
				k++
			}
			return q, k, true
		}
		if k+1 < len(ws) && ws[k+1].w == "clause" {
			if q := qual(ws[k].w); q != "" {
				return q, k + 2, true
			}
		}
	}
	return "", k, true
}

// parseName recognizes one license name starting at ws[k].
func parseName(ws []word, k int) (nameParse, bool) {
	start := k
	for k < len(ws) && (ws[k].w == "the" || ws[k].w == "a" || ws[k].w == "an") {
		k++
	}
	if k >= len(ws) {
		return nameParse{}, false
	}
	np, ok := parseNameCore(ws, k)
	if !ok {
		return nameParse{}, false
	}
	_ = start
	// Swallow a trailing "license" / "licence" and a style suffix.
	k = np.next
	if k < len(ws) && (ws[k].w == "style" || ws[k].w == "like" || ws[k].w == "-style") && np.e != nil {
		np.hint = np.e.String()
		np.e = nil
		k++
	}
	for k < len(ws) && isLicenseWord(ws[k].w) {
		k++
	}
	if v, n, ok := parseVersionAt(ws, k); ok && np.e != nil && np.e.op == 0 && v.other == "" && !v.plus && strings.HasSuffix(np.e.id, "-"+v.num) {
		k = n // the license's own version after its name: "the PSF License Version 2"
	}
	np.next = k
	return np, true
}

// parseNameCore recognizes one license name at ws[k]: the longest of
// the names of the SPDX License List (see nameIndex) and this package's
// common spellings ("GPLv2+", "new BSD", "Apache 2", "MIT-licensed").
// The common spellings win a tie: they read versions and ranges ("or
// later") that a title does not hold.
func parseNameCore(ws []word, k int) (nameParse, bool) {
	np, ok := parseSpelling(ws, k)
	if e, next, found := spdxNameIndex().match(ws, k); found && (!ok || next > np.next) {
		return nameParse{e: e, next: next, conf: 0.9}, true
	}
	return np, ok
}

// parseSpelling recognizes one common spelling of a license name at
// ws[k].
func parseSpelling(ws []word, k int) (nameParse, bool) {
	w := ws[k].w
	// Style words glued to the name: "BSD-style", "MIT-like".
	for _, suf := range []string{"-style", "-like", "-type"} {
		if base, ok := strings.CutSuffix(w, suf); ok {
			sub := []word{{lo: ws[k].lo, hi: ws[k].hi, w: base}}
			if np, ok := parseSpelling(sub, 0); ok {
				h := np.hint
				if np.e != nil {
					h = np.e.String()
				} else if h == "" && base == "bsd" {
					h = "BSD-3-Clause"
				}
				return nameParse{hint: h, next: k + 1}, true
			}
			return nameParse{}, false
		}
	}
	// "MIT-licensed", "MIT-license".
	for _, suf := range []string{"-licensed", "-licenced", "-license", "-licence"} {
		if base, ok := strings.CutSuffix(w, suf); ok {
			if id, ok := single[base]; ok {
				e, _ := canonicalID(id, false)
				return nameParse{e: e, next: k + 1, conf: 0.9}, true
			}
		}
	}
	// GNU family.
	gk := k
	if ws[gk].w == "gnu" {
		gk++
	}
	if gk < len(ws) {
		fam, rest, ok := "", "", false
		next := gk
		switch {
		case hasWords(ws, gk, "general", "public") && (gk > k || gk+2 < len(ws) && isLicenseWord(ws[gk+2].w)):
			// "the general public" alone is not a license.
			fam, next, ok = "GPL", gk+2, true
		case hasWords(ws, gk, "lesser", "general", "public"), hasWords(ws, gk, "library", "general", "public"):
			fam, next, ok = "LGPL", gk+3, true
		case hasWords(ws, gk, "affero", "general", "public"):
			fam, next, ok = "AGPL", gk+3, true
		case hasWords(ws, gk, "lesser", "gpl"), hasWords(ws, gk, "library", "gpl"):
			fam, next, ok = "LGPL", gk+2, true
		case hasWords(ws, gk, "affero", "gpl"):
			fam, next, ok = "AGPL", gk+2, true
		default:
			fam, rest, ok = gnuFamily(ws[gk].w)
			next = gk + 1
			if ok && rest != "" {
				// gplv2, gpl-2.0+, lgpl2.1, gpl-3.0-or-later, agpl-3.0-only
				r := strings.TrimPrefix(rest, "-")
				v := version{}
				if x, ok2 := strings.CutSuffix(r, "-or-later"); ok2 {
					r, v.plus = x, true
				} else if x, ok2 := strings.CutSuffix(r, "-only"); ok2 {
					r, v.only = x, true
				}
				if x, ok2 := strings.CutSuffix(r, "+"); ok2 {
					r, v.plus = x, true
				}
				num, ok2 := normVersion(r)
				if !ok2 {
					return nameParse{}, false
				}
				v.num = num
				if !v.plus && !v.only {
					v, next, _ = parseVersionSuffix(ws, next, v)
				}
				e := gnuExpr(fam, v)
				if e == nil {
					return nameParse{}, false
				}
				return nameParse{e: e, next: next, conf: 0.9}, true
			}
		}
		if ok {
			for next < len(ws) && (isLicenseWord(ws[next].w) || ws[next].w == "gpl" || ws[next].w == "lgpl" || ws[next].w == "agpl") {
				next++
			}
			if hasWords(ws, next, "as", "published", "by", "the", "free", "software", "foundation") {
				next += 7
			}
			v, n2, vok := parseNoticeVersion(ws, next)
			conf := 0.9
			if vok {
				next = n2
			} else {
				v, conf = version{}, 0.6
			}
			e := gnuExpr(fam, v)
			if e == nil {
				return nameParse{}, false
			}
			return nameParse{e: e, next: next, conf: conf}, true
		}
	}
	// BSD.
	if id, next, ok := bsdVariant(ws, k); ok {
		conf := 0.9
		if id == "" {
			if next < len(ws) && (ws[next].w == "style" || ws[next].w == "like") {
				return nameParse{hint: "BSD-3-Clause", next: next + 1}, true
			}
			id, conf = "BSD-3-Clause", 0.6
		}
		return nameParse{e: leaf(id), next: next, conf: conf}, true
	}
	// Creative Commons.
	if np, ok := parseCC(ws, k); ok {
		return np, true
	}
	// Multi-word phrases.
	for _, p := range phrases {
		if !hasWords(ws, k, p.words...) {
			continue
		}
		next := k + len(p.words)
		if id, ok := strings.CutPrefix(p.to, "="); ok {
			return nameParse{e: leaf(id), next: skipLicenseWords(ws, next), conf: 0.9}, true
		}
		return parseFamily(ws, next, families[p.to])
	}
	// Family words with versions: "Apache License, Version 2.0", "MPL 2.0", "apache-2.0".
	if f, ok := families[w]; ok {
		if ambiguous[w] && !(k+1 < len(ws) && (isLicenseWord(ws[k+1].w) || ws[k+1].w == "version")) {
			return nameParse{}, false
		}
		return parseFamily(ws, k+1, f)
	}
	for key, f := range families {
		if rest, ok := strings.CutPrefix(w, key); ok && rest != "" {
			if num, ok := normVersion(rest); ok {
				if e := familyExpr(f, num); e != nil {
					return nameParse{e: e, next: k + 1, conf: 0.9}, true
				}
			}
		}
	}
	if id, ok := single[w]; ok {
		if ambiguous[w] && !(k+1 < len(ws) && isLicenseWord(ws[k+1].w)) {
			return nameParse{}, false // "trace to json": a word, not the JSON license
		}
		e, _ := canonicalID(id, false)
		if e == nil {
			e = leaf(id)
		}
		return nameParse{e: e, next: k + 1, conf: 0.9}, true
	}
	// An SPDX ID spelled out ("Apache-2.0", "GPL-3.0-or-later", "MPL-2.0").
	// Only IDs with a digit or a hyphen, to keep ordinary words out.
	if strings.ContainsAny(w, "0123456789-") {
		if e, ok := canonicalID(w, false); ok {
			return nameParse{e: e, next: k + 1, conf: 0.9}, true
		}
	}
	return nameParse{}, false
}

func skipLicenseWords(ws []word, k int) int {
	for k < len(ws) && isLicenseWord(ws[k].w) {
		k++
	}
	return k
}

// parseFamily parses the version after a family name.
func parseFamily(ws []word, k int, f family) (nameParse, bool) {
	k = skipLicenseWords(ws, k)
	if k < len(ws) && families[ws[k].w].prefix == f.prefix {
		// The family's acronym after its name: "Mozilla Public License
		// (MPL) version 1.1".
		k = skipLicenseWords(ws, k+1)
	}
	if hasWords(ws, k, "software", "license") {
		k += 2
	}
	v, next, ok := parseVersionAt(ws, k)
	if np, ok := parseShipped(ws, k, next, f, v.num); ok {
		return np, true
	}
	if ok {
		if e := familyExpr(f, v.num); e != nil {
			if v.plus {
				e = leaf(e.id + "+")
				if c, ok := canonicalID(e.id, false); ok {
					e = c
				}
			}
			return nameParse{e: e, next: next, conf: 0.9}, true
		}
	}
	e := familyExpr(f, f.def)
	if e == nil {
		return nameParse{}, false
	}
	return nameParse{e: e, next: k, conf: 0.6}, true
}

// shippedWords are the words that may say, after a license's name, which
// work distributes it: "which comes with Perl", "as distributed with
// Perl", "that ships with Perl", "of Perl".
var shippedWords = map[string]bool{
	"which": true, "that": true, "as": true, "comes": true, "come": true, "came": true,
	"distributed": true, "shipped": true, "ships": true, "bundled": true, "included": true,
	"with": true, "of": true, "in": true, "the": true, "is": true,
}

// parseShipped reads, after the name of a license of family f (its
// words end at ws[k]; a version num, "" when none, ends at ws[next]), the
// work that distributes the license when f knows that work's variant:
// "the Artistic License, which comes with Perl" is Artistic-1.0-Perl.
func parseShipped(ws []word, k, next int, f family, num string) (nameParse, bool) {
	if num == "" {
		next = k
	}
	for _, s := range shippedVariants[f.prefix] {
		if num != "" && num != s.num {
			continue
		}
		for j := next; j < len(ws) && j < next+5; j++ {
			if ws[j].w == s.work || ws[j].w == s.work+"'s" {
				e, ok := canonicalID(s.id, false)
				if !ok {
					break
				}
				if j+1 < len(ws) && ws[j+1].w == "itself" {
					j++
				}
				return nameParse{e: e, next: j + 1, conf: 0.9}, true
			}
			if !shippedWords[ws[j].w] {
				break
			}
		}
	}
	return nameParse{}, false
}

func familyExpr(f family, num string) *expr {
	for _, v := range f.versions {
		if v == num {
			e, _ := canonicalID(f.prefix+"-"+v, false)
			return e
		}
	}
	return nil
}

// parseCC recognizes Creative Commons names: "CC BY-SA 4.0",
// "Creative Commons Attribution-NonCommercial 4.0 International",
// "cc-by-4.0".
func parseCC(ws []word, k int) (nameParse, bool) {
	// Single-token IDs are handled by canonicalID in parseNameCore.
	j := k
	switch {
	case hasWords(ws, j, "creative", "commons"):
		j += 2
	case ws[j].w == "cc":
		j++
	default:
		return nameParse{}, false
	}
	var by, sa, nc, nd bool
	for ; j < len(ws); j++ {
		done := false
		for _, part := range strings.Split(ws[j].w, "-") {
			switch part {
			case "by", "attribution":
				by = true
			case "sa", "sharealike", "share":
				sa = true
			case "alike":
			case "nc", "noncommercial", "non":
				nc = true
			case "commercial":
			case "nd", "noderivatives", "noderivs", "no", "derivatives", "derivs":
				nd = true
			case "license", "licence":
			default:
				done = true
			}
		}
		if done {
			break
		}
	}
	if !by {
		return nameParse{}, false
	}
	id := "CC-BY"
	if nc {
		id += "-NC"
	}
	if nd {
		id += "-ND"
	} else if sa {
		id += "-SA"
	}
	v, next, ok := parseVersionAt(ws, j)
	if !ok {
		return nameParse{}, false
	}
	for next < len(ws) && (ws[next].w == "international" || ws[next].w == "unported" || ws[next].w == "generic" || isLicenseWord(ws[next].w)) {
		next++
	}
	e, ok := canonicalID(id+"-"+v.num, false)
	if !ok {
		return nameParse{}, false
	}
	return nameParse{e: e, next: next, conf: 0.9}, true
}

func hasWords(ws []word, k int, s ...string) bool {
	if k+len(s) > len(ws) {
		return false
	}
	for i, x := range s {
		if ws[k+i].w != x {
			return false
		}
	}
	return true
}

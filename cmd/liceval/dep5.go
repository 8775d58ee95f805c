package main

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/snipscan/snipscan/license"
)

// paragraph is one paragraph of a Debian machine-readable copyright file
// (DEP-5): its fields, with continuation lines joined by "\n" and the
// lone "." of an empty line made empty.
type paragraph struct {
	fields map[string]string // lower-case field name -> value
	line   int               // first line of the paragraph, 1-based
}

// parseDEP5 splits a DEP-5 file into its paragraphs. It reports false
// when the file does not declare the machine-readable format.
func parseDEP5(text string) ([]paragraph, bool) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []paragraph
	var cur *paragraph
	key := ""
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			cur, key = nil, ""
		case l[0] == ' ' || l[0] == '\t':
			if cur == nil || key == "" {
				continue
			}
			v := l[1:]
			if strings.TrimSpace(v) == "." {
				v = ""
			}
			cur.fields[key] += "\n" + v
		case l[0] == '#':
		default:
			name, value, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			if cur == nil {
				out = append(out, paragraph{fields: map[string]string{}, line: i + 1})
				cur = &out[len(out)-1]
			}
			key = strings.ToLower(strings.TrimSpace(name))
			cur.fields[key] = strings.TrimSpace(value)
		}
	}
	if len(out) == 0 || !strings.Contains(out[0].fields["format"], "copyright-format") && !strings.Contains(out[0].fields["format"], "dep5") {
		return nil, false
	}
	return out, true
}

// licenseField splits a License field into its short name (the first
// line) and its body (the text after it).
func licenseField(v string) (name, body string) {
	name, body, _ = strings.Cut(v, "\n")
	return strings.TrimSpace(name), body
}

// debianNames maps Debian short license names that are not SPDX IDs to
// SPDX IDs (keys in lower case). Names whose meaning differs between
// packages (an unversioned "GPL", "BSD", "MIT/X11", "Python",
// "Unicode", "permissive") are left out: such cases are skipped.
var debianNames = map[string]string{
	"expat": "MIT", "mit": "MIT", "bsd-2": "BSD-2-Clause", "bsd-3": "BSD-3-Clause",
	"bsd-4": "BSD-4-Clause", "apache-2": "Apache-2.0", "apache2": "Apache-2.0",
	"artistic": "Artistic-1.0-Perl", "artistic-1": "Artistic-1.0-Perl",
	"openldap-2.8": "OLDAP-2.8", "libpng": "Libpng", "zlib": "Zlib",
	"zlib/libpng": "Zlib", "psf-2": "PSF-2.0", "wtfpl": "WTFPL", "wtfpl-2": "WTFPL",
	"mpl-2": "MPL-2.0", "bsl": "BSL-1.0", "boost-1.0": "BSL-1.0", "cc0": "CC0-1.0",
	"ssleay": "SSLeay-standalone", "tcl": "TCL", "x11": "X11", "sgi-b-2.0": "SGI-B-2.0",
	"gfdl-niv-1.3+": "GFDL-1.3-no-invariants-or-later", "gfdl-niv-1.2+": "GFDL-1.2-no-invariants-or-later",
	"gfdl-1.3+": "GFDL-1.3-or-later", "gfdl-1.2+": "GFDL-1.2-or-later",
}

// debianExceptions maps the exception words of "X with Y exception" to
// SPDX exception IDs. "autoconf" is left out: the SPDX list holds five
// Autoconf exceptions (the Free Software Foundation's 2.0 and 3.0 for
// configure scripts, the generic one for files a configure script
// includes, with or without its GPLv3 sentence, and the macro archive's),
// and Debian's name does not say which text the field holds.
var debianExceptions = map[string]string{
	"linux-syscall-note": "Linux-syscall-note", "classpath": "Classpath-exception-2.0",
	"bison": "Bison-exception-2.2", "gcc-runtime-library": "GCC-exception-3.1",
	"libtool": "Libtool-exception", "font": "Font-exception-2.0", "llvm": "LLVM-exception",
}

// gnuName matches the GNU license names of Debian: GPL-2, GPL-2+,
// LGPL-2.1+, GPLv3+, GPL-2.0+, AGPL-3, GFDL-1.3.
var gnuName = regexp.MustCompile(`^(a?gpl|lgpl|gfdl)[-_ ]?v?([0-9](?:\.[0-9])?)(\.0)?(\+| or later|-or-later|-only)?$`)

// debianToSPDX converts a Debian short license name or expression
// ("GPL-2+", "Expat", "GPL-1+ or Artistic", "GPL-2 with Linux-syscall-note
// exception", "BSL-1.0 and MIT") to a canonical SPDX expression. It
// returns the first name it cannot convert, with "" as the expression,
// when any part is unknown or ambiguous.
func debianToSPDX(s string) (expr, unknown string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", s
	}
	var out []string
	for _, tok := range splitDebianExpr(s) {
		switch tok {
		case "or", "and", "and/or":
			op := "OR"
			if tok == "and" {
				op = "AND"
			}
			out = append(out, op)
			continue
		}
		id, ok := debianLeaf(tok)
		if !ok {
			return "", tok
		}
		out = append(out, id)
	}
	e := license.Normalize(strings.Join(out, " "))
	if e == "" {
		return "", s
	}
	return e, ""
}

// splitDebianExpr splits a Debian license expression into leaves (a
// name, with its "with ... exception") and the operators between them;
// commas are ORs, as in "GPL-2+, LGPL-2.1+".
func splitDebianExpr(s string) []string {
	words := strings.Fields(strings.ReplaceAll(s, ",", " or "))
	var out []string
	var leaf []string
	flush := func() {
		if len(leaf) > 0 {
			out = append(out, strings.Join(leaf, " "))
			leaf = nil
		}
	}
	for _, w := range words {
		lw := strings.ToLower(w)
		if (lw == "or" || lw == "and" || lw == "and/or") && len(leaf) > 0 && !strings.EqualFold(leaf[len(leaf)-1], "with") {
			flush()
			if len(out) > 0 && (out[len(out)-1] == "or" || out[len(out)-1] == "and") {
				continue // ", or"
			}
			out = append(out, lw)
			continue
		}
		leaf = append(leaf, w)
	}
	flush()
	return out
}

// debianLeaf converts one Debian license name, with its exception, to an
// SPDX leaf.
func debianLeaf(s string) (string, bool) {
	name, exc, hasExc := strings.Cut(s, " with ")
	if !hasExc {
		name, exc, hasExc = strings.Cut(s, " WITH ")
	}
	id, ok := debianID(strings.TrimSpace(name))
	if !ok {
		return "", false
	}
	if !hasExc {
		return id, true
	}
	w := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(exc), "exception")))
	w = strings.TrimSpace(strings.TrimSuffix(w, "-"))
	e := debianExceptions[w]
	if e == "" {
		return "", false
	}
	return id + " WITH " + e, true
}

// debianID converts one Debian license name without exception.
func debianID(name string) (string, bool) {
	lower := strings.ToLower(name)
	if id, ok := debianNames[lower]; ok {
		return id, true
	}
	if m := gnuName.FindStringSubmatch(lower); m != nil {
		fam := strings.ToUpper(m[1])
		ver := m[2]
		if !strings.Contains(ver, ".") {
			ver += ".0"
		}
		suffix := "-only"
		if m[4] == "+" || m[4] == " or later" || m[4] == "-or-later" {
			suffix = "-or-later"
		}
		return canonical(fam + "-" + ver + suffix)
	}
	switch lower {
	case "public-domain", "pd", "public domain", "gpl", "lgpl", "bsd", "mit/x11", "python",
		"unicode", "permissive", "other", "unknown", "lgpl-2.1+ or gpl-2+":
		return "", false
	}
	return canonical(name)
}

// canonical returns the canonical SPDX form of an ID that the SPDX list
// holds, not a LicenseRef-.
func canonical(id string) (string, bool) {
	c, ok := license.CanonicalID(id)
	if !ok || strings.HasPrefix(c, "LicenseRef-") {
		return "", false
	}
	return c, true
}

// filesMatch reports whether the slash path p matches one of a Files
// field's patterns: "*" matches any string, "/" included, "?" one
// character, and a pattern is relative to the source tree's root.
func filesMatch(patterns []string, p string) bool {
	for _, pat := range patterns {
		pat = strings.TrimPrefix(pat, "./")
		if globMatch(pat, p) {
			return true
		}
	}
	return false
}

// globMatch matches DEP-5 glob pattern against name.
func globMatch(pattern, name string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return false
	}
	if re.MatchString(name) {
		return true
	}
	// A directory pattern without a star covers what lies below it.
	return !strings.ContainsAny(pattern, "*?") && strings.HasPrefix(name, strings.TrimSuffix(pattern, "/")+"/")
}

// holdersOfField extracts the holders of a DEP-5 Copyright field: one
// statement a line, without "Copyright", "(c)", years and e-mail
// addresses. It is the label side of the holder scores, written
// independently of package license's extraction.
func holdersOfField(v string) []string {
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if noCopyright.MatchString(l) {
			continue // "No copyright claimed", "No claimed copyright"
		}
		h := stripStatement(l)
		if h != "" && !strings.EqualFold(h, "none") && !strings.EqualFold(h, "no copyright") {
			out = append(out, h)
		}
	}
	return out
}

var (
	statementNoise = regexp.MustCompile(`(?i)\bcopyright\b|\(c\)|©|\ball rights reserved\b|<[^>]*>|\bhttps?://\S+|\S+@\S+`)
	yearsLead      = regexp.MustCompile(`^[\s,;:.\-–]*((1[89]|20|\?\?)[0-9?]{2}|[0-9]{2})?([\s,;:\-–]+((1[89]|20)[0-9]{2}|[0-9]{2}|present))*[\s,;:.\-–]*`)
	byLead         = regexp.MustCompile(`(?i)^by\s+`)
	noCopyright    = regexp.MustCompile(`(?i)^\s*no\b.*\bcopyright\b`)
)

// stripStatement reduces a copyright statement to its holder.
func stripStatement(l string) string {
	l = statementNoise.ReplaceAllString(l, " ")
	l = strings.TrimSpace(l)
	for i := 0; i < 3; i++ {
		l = strings.TrimSpace(yearsLead.ReplaceAllString(l, ""))
		l = byLead.ReplaceAllString(l, "")
	}
	l = strings.Trim(l, " \t,;:.-")
	if len(strings.Fields(l)) == 0 {
		return ""
	}
	return strings.Join(strings.Fields(l), " ")
}

// debianParagraphName names a case taken from a paragraph of a copyright
// file.
func debianParagraphName(file string, p paragraph) string {
	return fmt.Sprintf("%s:%d", path.Base(path.Dir(file)), p.line)
}

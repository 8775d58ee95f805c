package license

import (
	"bytes"
	"slices"
	"strings"
)

// File is one license file of a directory and its classification.
type File struct {
	Name   string // base name: "LICENSE-MIT", "COPYING.LESSER", "LICENSE.docs"
	Result Result
}

// CombineFiles decides the license of the code under a directory from
// its license files and from what its README says of the license (the
// Expression of each of ReadmeLicense's matches), as the package means
// it. It is CombineDeclared for a package that declares no license.
func CombineFiles(files []File, readme ...string) string {
	return CombineDeclared(files, "", readme...)
}

// CombineDeclared decides the license of the code under a directory from
// its license files, the license its package's manifest declares
// (declared, as ParseDeclared reads it; "" for none) and what its README
// says of the license (see CombineFiles):
//
//  1. A file that holds only a documentation, media or data license
//     (CC-BY-*, GFDL-*, OFL-*, ODbL-*, CDLA-*, ...), or whose name says it
//     covers documentation or data (LICENSE.docs, LICENSE-content), does
//     not apply to code, unless no file names a license for code.
//  2. A choice (an OR) covers the files whose licenses are all among its
//     alternatives: they are that choice. The choice is the manifest's
//     declared license, one of the files' own ("dual-licensed under MIT
//     or Apache-2.0"), or a README statement whose every alternative is
//     the license of some file or part of the declared license: a README
//     choice that offers a license no file holds and the manifest does not
//     declare is ignored, and so is one that speaks of a bundled part
//     (ReadmeLicense leaves those out).
//  3. Files named after the license they hold, LICENSE-APACHE and
//     LICENSE-MIT, license.mit and license.bsd, are alternatives (the
//     convention of dual licensing): OR; a file beside them that is not
//     named so still applies.
//  4. The GPL-3.0 text beside an LGPL-3.0 text (COPYING beside
//     COPYING.LESSER) is the text that LGPL-3.0 incorporates: LGPL-3.0.
//  5. Every other file applies too: AND.
//
// Statements that are not choices are ignored: they cannot say how files
// combine. The result is a canonical SPDX expression, "" when no file
// names a license.
func CombineDeclared(files []File, declared string, readme ...string) string {
	var code, docs []namedExpr
	for _, f := range files {
		e, err := parseExpr(f.Result.Expression, true)
		if err != nil {
			continue
		}
		ne := namedExpr{name: f.Name, e: e}
		if forDocs(ne) {
			docs = append(docs, ne)
		} else {
			code = append(code, ne)
		}
	}
	held := heldLicenses(append(slices.Clone(code), docs...), declared)
	if len(code) == 0 {
		code = docs
	}
	var choices []*expr
	for _, c := range statementChoices(readme) {
		if c.all(func(l *expr) bool { return held[licenseBase(l.id)] }) {
			choices = append(choices, c)
		}
	}
	choices = append(choices, statementChoices([]string{declared})...)
	for _, f := range code {
		if f.e.op == opOr {
			choices = append(choices, f.e)
		}
	}
	var parts []*expr
	rest := code
	for _, c := range choices {
		var left []namedExpr
		covered := false
		for _, f := range rest {
			if _, ok := alternativeOf(c, f.e, false); ok {
				covered = true
			} else {
				left = append(left, f)
			}
		}
		if covered {
			parts = append(parts, c)
			rest = left
		}
	}
	rest = dropIncorporated(rest)
	alts, rest := namedAlternatives(rest)
	if len(alts) > 0 {
		parts = append(parts, join(opOr, alts...))
	}
	for _, f := range rest {
		parts = append(parts, f.e)
	}
	return join(opAnd, parts...).String()
}

// heldLicenses returns the licenses, up to their version ranges (see
// licenseBase), that the files hold or the declared license names.
func heldLicenses(files []namedExpr, declared string) map[string]bool {
	held := map[string]bool{}
	add := func(e *expr) { e.leaves(func(l *expr) { held[licenseBase(l.id)] = true }) }
	for _, f := range files {
		add(f.e)
	}
	if e, err := parseExpr(ParseDeclared(declared), true); err == nil {
		add(e)
	}
	return held
}

// namedExpr is a license file's name and license.
type namedExpr struct {
	name string
	e    *expr
}

// statementChoices parses the statements that are choices (their top
// operator is OR), as expressions or as manifest license strings.
func statementChoices(statements []string) []*expr {
	var out []*expr
	for _, s := range statements {
		if strings.TrimSpace(s) == "" {
			continue
		}
		e, err := parseExpr(s, true)
		if err != nil {
			if d := ParseDeclared(s); d != "" {
				e, err = parseExpr(d, true)
			}
		}
		if err == nil && e != nil && e.op == opOr {
			out = append(out, e)
		}
	}
	return out
}

// contentLicenses are license families for documentation, media, fonts
// and data, which do not cover code beside other licenses.
var contentLicenses = []string{"CC-BY", "GFDL", "OFL", "ODbL", "ODC-By", "CDLA", "CC-PDDC", "FDK-AFL"}

// docNameParts are words of a license file's name that say it covers
// something other than code.
var docNameParts = map[string]bool{
	"doc": true, "docs": true, "documentation": true, "manual": true, "content": true, "contents": true,
	"assets": true, "fonts": true, "font": true, "images": true, "media": true, "art": true,
	"artwork": true, "data": true, "logo": true, "logos": true, "icons": true,
}

// codeNameParts are words of a license file's name that say it covers code.
var codeNameParts = map[string]bool{"code": true, "src": true, "source": true, "software": true, "program": true}

// forDocs reports whether a license file covers documentation or data
// rather than code: by its name, or by holding only content licenses.
func forDocs(f namedExpr) bool {
	for _, p := range nameParts(f.name) {
		switch {
		case codeNameParts[p]:
			return false
		case docNameParts[p]:
			return true
		}
	}
	return f.e.all(func(l *expr) bool {
		for _, c := range contentLicenses {
			if l.id == c || strings.HasPrefix(l.id, c+"-") {
				return true
			}
		}
		return false
	})
}

// nameParts splits a license file's name, without its stem and text
// extension, into lower-case words: "LICENSE-APACHE-2.0" gives
// ["apache", "2.0"], "LICENSE.docs.md" gives ["docs"].
func nameParts(name string) []string {
	n := strings.ToLower(name)
	for _, ext := range licenseExts[1:] {
		if strings.HasSuffix(n, ext) && len(n) > len(ext) {
			n = strings.TrimSuffix(n, ext)
			break
		}
	}
	for _, s := range licenseStems {
		if rest, ok := strings.CutPrefix(n, s); ok {
			n = rest
			break
		}
		if rest, ok := strings.CutSuffix(n, s); ok {
			n = rest
			break
		}
	}
	var parts []string
	start := 0
	for i := 0; i <= len(n); i++ {
		// '-', '_' and '.' separate words, except a '.' between digits
		// ("apache-2.0").
		if i == len(n) || n[i] == '-' || n[i] == '_' || n[i] == '.' && !(i > 0 && i+1 < len(n) && isDigit(n[i-1]) && isDigit(n[i+1])) {
			if i > start {
				parts = append(parts, n[start:i])
			}
			start = i + 1
		}
	}
	return parts
}

// namedAlternatives splits files into those named after the single
// license they hold (LICENSE-MIT holding MIT, LICENSE.APACHE2 holding
// Apache-2.0, license-cc0 holding CC0-1.0), which are alternatives by the
// convention of dual licensing, and the others. A copy of one of the
// alternatives under a plain name (LICENSE beside LICENSE-MIT, both MIT)
// is that alternative. Fewer than two distinct alternatives are none.
func namedAlternatives(files []namedExpr) (alts []*expr, rest []namedExpr) {
	named := map[string]bool{}
	for _, f := range files {
		if f.e.op == 0 && namedAfter(f.name, f.e.id) {
			named[f.e.String()] = true
		}
	}
	for _, f := range files {
		if s := f.e.String(); named[s] {
			alts = append(alts, f.e)
		} else {
			rest = append(rest, f)
		}
	}
	if len(named) < 2 {
		return nil, files
	}
	return alts, rest
}

// namedAfter reports whether a license file's name names license id:
// its name, stem aside, parses as a license of id's family.
func namedAfter(name, id string) bool {
	parts := nameParts(name)
	if len(parts) == 0 {
		return false
	}
	words := strings.Join(parts, " ")
	if d := ParseDeclared(words); d != "" {
		if e, err := parseExpr(d, true); err == nil && e.op == 0 {
			return licenseFamily(e.id) == licenseFamily(id)
		}
	}
	// "APACHE2", "apache-2", "BSD": the family word alone.
	fam := strings.ToLower(licenseFamily(id))
	return strings.HasPrefix(strings.ToLower(parts[0]), fam) || fam == "apache" && parts[0] == "asl"
}

// dropIncorporated drops a GPL-3.0 text that sits beside an LGPL-3.0
// text: LGPL-3.0 is GPL-3.0 plus additional permissions, and packages
// under it ship both texts (COPYING and COPYING.LESSER).
func dropIncorporated(files []namedExpr) []namedExpr {
	lgpl := false
	for _, f := range files {
		if f.e.op == 0 && licenseBase(f.e.id) == "LGPL-3.0" {
			lgpl = true
		}
	}
	if !lgpl {
		return files
	}
	var out []namedExpr
	for _, f := range files {
		if f.e.op == 0 && licenseBase(f.e.id) == "GPL-3.0" && f.e.exception == "" {
			continue
		}
		out = append(out, f)
	}
	return out
}

// IsReadme reports whether a base name names a README file (README,
// README.md, readme.markdown, README.rst, README.txt; not translations
// such as README.fr.md).
func IsReadme(name string) bool {
	n := strings.ToLower(name)
	rest, ok := strings.CutPrefix(n, "readme")
	if !ok {
		return false
	}
	switch rest {
	case "", ".md", ".markdown", ".rst", ".txt", ".adoc", ".asciidoc", ".org", ".text":
		return true
	}
	return false
}

// ReadmeLicense classifies what a README says about its package's
// license: the section under a heading that names the license ("##
// License", "Licensing", "License\n=======", "Copyright and license").
// Like Header, it reads statements, not whole license texts; statements
// that speak of a part or an origin the package mentions ("The bundled
// sizzle.js is available under ...", "libfoo, which is ..."; see
// Match.Part) are left out, since they say nothing of the package's own
// license. A README without such a heading says nothing.
func (c *Classifier) ReadmeLicense(text []byte) Result {
	sec := licenseSection(text)
	if len(sec) == 0 {
		return Result{}
	}
	r := c.Header(sec)
	own := r.Matches[:0:0]
	for _, m := range r.Matches {
		if !m.Part {
			own = append(own, m)
		}
	}
	r.Matches = own
	r.Expression = combine(own).String()
	return r
}

// licenseSection returns the license section of a README (see
// ReadmeLicense), at most MaxHeader bytes.
func licenseSection(text []byte) []byte {
	lines := bytes.SplitAfter(text, []byte("\n"))
	var out []byte
	level := 0 // the license heading's level; 0 outside its section
	fenced := false
	for i, l := range lines {
		fenced = fence(l, fenced)
		lv, title := 0, ""
		if !fenced {
			lv, title = heading(lines, i)
		}
		switch {
		case lv > 0 && level > 0 && lv <= level:
			level = 0 // the next section begins
		case lv > 0 && isLicenseTitle(title):
			level = lv
			continue
		}
		if level > 0 {
			out = append(out, l...)
		}
	}
	if len(out) > MaxHeader {
		out = out[:MaxHeader]
	}
	return out
}

// fence reports whether the line after l is inside a fenced code block
// of Markdown, fenced telling whether l is: a line of three backticks and
// an info string opens a block, a line of backticks alone closes it, and
// a line that holds more backticks after its first three is inline code
// ("```npm install frob```"), neither.
func fence(l []byte, fenced bool) bool {
	t := bytes.TrimSpace(l)
	if !bytes.HasPrefix(t, []byte("```")) {
		return fenced
	}
	if fenced {
		return len(bytes.Trim(t, "`")) != 0
	}
	return !bytes.Contains(bytes.TrimLeft(t, "`"), []byte("`"))
}

// heading reports the level (1 for the top) and title of a heading at
// lines[i]: Markdown "#" headings, and underlined (setext, reStructuredText)
// titles, where "=" is level 1 and other underlines level 2; 0 when
// lines[i] is no heading.
func heading(lines [][]byte, i int) (int, string) {
	l := bytes.TrimSpace(lines[i])
	if n := len(l) - len(bytes.TrimLeft(l, "#")); n > 0 && n <= 6 && (len(l) == n || l[n] == ' ') {
		return n, string(bytes.Trim(l, "# "))
	}
	if i+1 < len(lines) && len(l) > 0 {
		u := bytes.TrimSpace(lines[i+1])
		if len(u) >= 3 && len(bytes.Trim(u, string(u[0]))) == 0 && bytes.ContainsAny(u[:1], "=-~*^") {
			if u[0] == '=' {
				return 1, string(l)
			}
			return 2, string(l)
		}
	}
	return 0, ""
}

// isLicenseTitle reports whether a heading names the license section.
func isLicenseTitle(title string) bool {
	t := strings.ToLower(title)
	return len(t) < 60 && (strings.Contains(t, "licen") || strings.Contains(t, "copying") || strings.Contains(t, "copyright"))
}

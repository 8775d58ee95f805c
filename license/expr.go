package license

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// expr is a parsed SPDX license expression.
// A leaf has op == 0 and carries id (canonical SPDX ID or LicenseRef-...)
// and an optional exception; an interior node has op opAnd or opOr and
// two or more kids, flattened so that no kid has the same op as its parent.
type expr struct {
	op        byte
	id        string
	exception string
	kids      []*expr
}

const (
	opAnd = '&'
	opOr  = '|'
)

// errBadExpr reports a malformed SPDX expression.
var errBadExpr = errors.New("malformed SPDX expression")

// leaf returns a leaf expression for a canonical ID.
func leaf(id string) *expr { return &expr{id: id} }

// join combines expressions with op, flattening nested nodes of the same
// op and dropping duplicates; kids are sorted for a canonical form.
func join(op byte, list ...*expr) *expr {
	var kids []*expr
	seen := map[string]bool{}
	var add func(e *expr)
	add = func(e *expr) {
		if e == nil {
			return
		}
		if e.op == op {
			for _, k := range e.kids {
				add(k)
			}
			return
		}
		s := e.String()
		if seen[s] {
			return
		}
		seen[s] = true
		kids = append(kids, e)
	}
	for _, e := range list {
		add(e)
	}
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return kids[0]
	}
	slices.SortFunc(kids, func(a, b *expr) int { return strings.Compare(a.String(), b.String()) })
	return &expr{op: op, kids: kids}
}

// String renders e in canonical SPDX syntax: upper-case operators,
// parentheses only where precedence needs them (WITH > AND > OR).
func (e *expr) String() string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	e.write(&b, 0)
	return b.String()
}

func (e *expr) write(b *strings.Builder, parent byte) {
	if e.op == 0 {
		b.WriteString(e.id)
		if e.exception != "" {
			b.WriteString(" WITH ")
			b.WriteString(e.exception)
		}
		return
	}
	paren := parent == opAnd && e.op == opOr
	if paren {
		b.WriteByte('(')
	}
	sep := " AND "
	if e.op == opOr {
		sep = " OR "
	}
	for i, k := range e.kids {
		if i > 0 {
			b.WriteString(sep)
		}
		k.write(b, e.op)
	}
	if paren {
		b.WriteByte(')')
	}
}

// leaves calls fn for every leaf of e.
func (e *expr) leaves(fn func(*expr)) {
	if e == nil {
		return
	}
	if e.op == 0 {
		fn(e)
		return
	}
	for _, k := range e.kids {
		k.leaves(fn)
	}
}

// ids returns the set of distinct leaf renderings of e (ID plus exception).
func (e *expr) ids() []string {
	var out []string
	e.leaves(func(l *expr) {
		s := l.String()
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	})
	slices.Sort(out)
	return out
}

// parseExpr parses an SPDX license expression, normalising every
// identifier (see canonicalID). Operators are case-insensitive.
// Unknown identifiers are an error unless lenient is set, in which case
// they become LicenseRef-<id>.
func parseExpr(s string, lenient bool) (*expr, error) {
	p := exprParser{toks: tokenizeExpr(s), lenient: lenient}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("%w: empty", errBadExpr)
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("%w: unexpected %q", errBadExpr, p.toks[p.i])
	}
	return e, nil
}

// tokenizeExpr splits an SPDX expression into parentheses and words.
func tokenizeExpr(s string) []string {
	var toks []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, s[i:i+1])
			i++
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != '(' && s[j] != ')' {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type exprParser struct {
	toks    []string
	i       int
	lenient bool
}

func (p *exprParser) peekOp(op string) bool {
	return p.i < len(p.toks) && strings.EqualFold(p.toks[p.i], op)
}

func (p *exprParser) or() (*expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	list := []*expr{l}
	for p.peekOp("OR") {
		p.i++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return join(opOr, list...), nil
}

func (p *exprParser) and() (*expr, error) {
	l, err := p.with()
	if err != nil {
		return nil, err
	}
	list := []*expr{l}
	for p.peekOp("AND") {
		p.i++
		r, err := p.with()
		if err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return join(opAnd, list...), nil
}

func (p *exprParser) with() (*expr, error) {
	e, err := p.atom()
	if err != nil {
		return nil, err
	}
	if !p.peekOp("WITH") {
		return e, nil
	}
	p.i++
	if p.i >= len(p.toks) {
		return nil, fmt.Errorf("%w: missing exception after WITH", errBadExpr)
	}
	if e.op != 0 || e.exception != "" {
		return nil, fmt.Errorf("%w: WITH after a compound expression", errBadExpr)
	}
	ok, exc := spdxlicenses.IsException(p.toks[p.i])
	if !ok {
		if !p.lenient {
			return nil, fmt.Errorf("%w: unknown exception %q", errBadExpr, p.toks[p.i])
		}
		exc = "LicenseRef-" + sanitizeRef(p.toks[p.i])
		// A LicenseRef cannot follow WITH; keep the license and AND the ref.
		p.i++
		return join(opAnd, e, leaf(exc)), nil
	}
	p.i++
	return &expr{id: e.id, exception: exc}, nil
}

func (p *exprParser) atom() (*expr, error) {
	if p.i >= len(p.toks) {
		return nil, fmt.Errorf("%w: unexpected end", errBadExpr)
	}
	t := p.toks[p.i]
	p.i++
	switch {
	case t == "(":
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.toks) || p.toks[p.i] != ")" {
			return nil, fmt.Errorf("%w: missing )", errBadExpr)
		}
		p.i++
		return e, nil
	case t == ")" || strings.EqualFold(t, "AND") || strings.EqualFold(t, "OR") || strings.EqualFold(t, "WITH"):
		return nil, fmt.Errorf("%w: unexpected %q", errBadExpr, t)
	}
	plus := false
	if p.i < len(p.toks) && p.toks[p.i] == "+" { // "GPL-2.0 +"
		plus = true
		p.i++
	}
	e, ok := canonicalID(t, plus)
	if !ok {
		if !p.lenient {
			return nil, fmt.Errorf("%w: unknown license %q", errBadExpr, t)
		}
		return leaf("LicenseRef-" + sanitizeRef(t)), nil
	}
	return e, nil
}

// sanitizeRef turns s into the idstring of a LicenseRef (letters, digits, '.', '-').
func sanitizeRef(s string) string {
	s = strings.TrimPrefix(s, "LicenseRef-")
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "unknown"
	}
	return string(b)
}

// deprecatedWith maps deprecated SPDX IDs that fold an exception into the
// ID onto the license WITH exception form SPDX recommends.
func deprecatedWith(id string) (lic, exc string, ok bool) {
	switch strings.ToLower(id) {
	case "gpl-2.0-with-classpath-exception":
		return "GPL-2.0-only", "Classpath-exception-2.0", true
	case "gpl-2.0-with-gcc-exception":
		return "GPL-2.0-only", "GCC-exception-2.0", true
	case "gpl-3.0-with-gcc-exception":
		return "GPL-3.0-only", "GCC-exception-3.1", true
	case "gpl-2.0-with-autoconf-exception":
		return "GPL-2.0-only", "Autoconf-exception-2.0", true
	case "gpl-3.0-with-autoconf-exception":
		return "GPL-3.0-only", "Autoconf-exception-3.0", true
	case "gpl-2.0-with-bison-exception":
		return "GPL-2.0-only", "Bison-exception-2.2", true
	case "gpl-2.0-with-font-exception":
		return "GPL-2.0-only", "Font-exception-2.0", true
	case "ecos-2.0":
		return "GPL-2.0-or-later", "eCos-exception-2.0", true
	case "wxwindows":
		return "LGPL-2.0-or-later", "WxWindows-exception-3.1", true
	}
	return "", "", false
}

// renamed maps deprecated or non-SPDX IDs (including licensecheck's own
// IDs) onto their current SPDX spelling. GNU IDs without -only or
// -or-later (deprecated by SPDX) mean -only, as SPDX recommends.
func renamed(id string) (string, bool) {
	switch strings.ToLower(id) {
	case "bsd-2-clause-freebsd":
		return "BSD-2-Clause-Views", true
	case "bsd-2-clause-netbsd":
		return "BSD-2-Clause", true
	case "bzip2-1.0.5":
		return "bzip2-1.0.6", true
	case "standardml-nj":
		return "SMLNJ", true
	case "nunit":
		return "zlib-acknowledgement", true
	}
	return "", false
}

// canonicalID resolves one license identifier (as found in a tag, an
// expression or licensecheck's output) to a canonical expression.
// plus is set when the identifier was followed by "+".
// It reports false for identifiers unknown to SPDX.
func canonicalID(id string, plus bool) (*expr, bool) {
	if strings.HasSuffix(id, "+") {
		plus = true
		id = strings.TrimSuffix(id, "+")
	}
	if id == "" {
		return nil, false
	}
	if strings.HasPrefix(id, "LicenseRef-") || strings.HasPrefix(id, "DocumentRef-") {
		return leaf(id), true
	}
	if lic, exc, ok := deprecatedWith(id); ok {
		if plus {
			lic = strings.TrimSuffix(lic, "-only") + "-or-later"
		}
		return &expr{id: lic, exception: exc}, true
	}
	if r, ok := renamed(id); ok {
		id = r
	}
	lower := strings.ToLower(id)
	if plus {
		base := strings.TrimSuffix(strings.TrimSuffix(lower, "-only"), "-or-later")
		if ok, c := spdxlicenses.IsActiveLicense(base + "-or-later"); ok {
			return leaf(c), true
		}
	}
	if !strings.HasSuffix(lower, "-only") && !strings.HasSuffix(lower, "-or-later") {
		// GNU licenses (GPL-2.0, LGPL-2.1, AGPL-3.0, GFDL-1.3, ...) were
		// deprecated in favour of explicit -only forms.
		if ok, c := spdxlicenses.IsActiveLicense(id + "-only"); ok {
			if ok, _ := spdxlicenses.IsDeprecatedLicense(id); ok {
				return leaf(c), true
			}
		}
	}
	if ok, c := spdxlicenses.IsActiveLicense(id); ok {
		if plus && !strings.HasSuffix(lower, "-or-later") {
			return leaf(c + "+"), true
		}
		return leaf(c), true
	}
	if ok, c := spdxlicenses.IsDeprecatedLicense(id); ok {
		if plus {
			return leaf(c + "+"), true
		}
		return leaf(c), true
	}
	return nil, false
}

// normalizeExpr parses s leniently and renders it canonically;
// it returns "" when s is not an expression at all.
func normalizeExpr(s string) string {
	e, err := parseExpr(s, true)
	if err != nil {
		return ""
	}
	return e.String()
}

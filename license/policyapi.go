package license

import (
	"fmt"
	"strings"

	"github.com/google/licensecheck"
)

// ParseCategory returns the category whose String form is s
// (case-insensitive): "unrestricted", "permissive", "weak-copyleft",
// "strong-copyleft", "network-copyleft", "non-commercial" or "unknown".
func ParseCategory(s string) (Category, bool) {
	for c, name := range categoryNames {
		if strings.EqualFold(s, name) {
			return Category(c), true
		}
	}
	return Unknown, false
}

// Categories lists every category, from least to most restrictive, Unknown
// first.
func Categories() []Category {
	out := make([]Category, len(categoryNames))
	for i := range out {
		out[i] = Category(i)
	}
	return out
}

// CanonicalID returns the canonical SPDX form of one license identifier
// ("gpl-2.0+" -> "GPL-2.0-or-later", "Apache-2.0" unchanged, a
// LicenseRef- kept as is). It reports false for identifiers SPDX does not
// know, and for expressions.
func CanonicalID(id string) (string, bool) {
	e, ok := canonicalID(strings.TrimSpace(id), false)
	if !ok || e.op != 0 {
		return "", false
	}
	return e.String(), true
}

// Leaf is one license of an expression: an SPDX ID (or LicenseRef-) with
// an optional exception.
type Leaf struct {
	ID        string
	Exception string
}

// String renders l as in an expression ("GPL-2.0-only WITH Classpath-exception-2.0").
func (l Leaf) String() string { return (&expr{id: l.ID, exception: l.Exception}).String() }

// Category returns l's category.
func (l Leaf) Category() Category {
	return categoryOfExpr(&expr{id: l.ID, exception: l.Exception}, lcTypes())
}

// Reduce evaluates an SPDX expression to the score of its leaves: for OR
// the lowest score of its operands (the licensee may choose the license),
// for AND the highest (every license applies). Scores are the caller's
// (a verdict's severity, say). It is the score Choose returns.
// Identifiers SPDX does not know become LicenseRef- leaves; a malformed
// expression is an error.
func Reduce(expression string, score func(Leaf) int) (int, error) {
	_, worst, err := Choose(expression, score)
	return worst, err
}

// Normalize renders an SPDX expression canonically (IDs in their SPDX
// case, deprecated forms replaced, "+" as -or-later); unknown IDs become
// LicenseRef-. It returns "" when s is not an expression.
func Normalize(s string) string { return normalizeExpr(s) }

// Leaves returns the distinct licenses of an SPDX expression, in
// canonical order. Identifiers SPDX does not know become LicenseRef-
// leaves; a malformed expression is an error.
func Leaves(expression string) ([]Leaf, error) {
	e, err := parseExpr(expression, true)
	if err != nil {
		return nil, fmt.Errorf("license expression %q: %w", expression, err)
	}
	var out []Leaf
	seen := map[string]bool{}
	e.leaves(func(l *expr) {
		if s := l.String(); !seen[s] {
			seen[s] = true
			out = append(out, Leaf{ID: l.id, Exception: l.exception})
		}
	})
	return out, nil
}

// Choose makes the licensee's choice in an SPDX expression: in every OR
// it takes the operand with the lowest score (the caller's, say a
// verdict's severity), and among operands of equal score the least
// restrictive (see restrictiveness). It returns the licenses that then
// apply, joined with AND, and their score (the highest of them). An
// expression without OR is its own choice. Identifiers SPDX does not know
// become LicenseRef- leaves; a malformed expression is an error.
func Choose(expression string, score func(Leaf) int) (choice string, worst int, err error) {
	e, err := parseExpr(expression, true)
	if err != nil {
		return "", 0, fmt.Errorf("license expression %q: %w", expression, err)
	}
	c := choose(e, score, lcTypes())
	return c.e.String(), c.score, nil
}

// chosen is the outcome of choose on a subexpression.
type chosen struct {
	e     *expr
	score int
	rank  [2]int // restrictiveness of the worst license, then how many licenses
}

func choose(e *expr, score func(Leaf) int, types map[string]licensecheck.Type) chosen {
	switch e.op {
	case opOr:
		best := choose(e.kids[0], score, types)
		for _, k := range e.kids[1:] {
			c := choose(k, score, types)
			if c.score < best.score || c.score == best.score && (c.rank[0] < best.rank[0] || c.rank[0] == best.rank[0] && c.rank[1] < best.rank[1]) {
				best = c
			}
		}
		return best
	case opAnd:
		out := chosen{}
		var kids []*expr
		for i, k := range e.kids {
			c := choose(k, score, types)
			kids = append(kids, c.e)
			if i == 0 || c.score > out.score {
				out.score = c.score
			}
			out.rank[0] = max(out.rank[0], c.rank[0])
			out.rank[1] += c.rank[1]
		}
		out.e = join(opAnd, kids...)
		return out
	}
	l := Leaf{ID: e.id, Exception: e.exception}
	return chosen{e: e, score: score(l), rank: [2]int{restrictiveness(e, types), 1}}
}

// restrictiveness orders licenses for a choice among alternatives of the
// same verdict, least restrictive first: by category (unrestricted,
// permissive, weak-copyleft, strong-copyleft, network-copyleft,
// non-commercial, then unknown), and within the permissive ones, those
// with conditions beyond keeping the notice (Apache-2.0's notice of
// changes and NOTICE file, the BSD-4-Clause advertising clause, ...)
// after the others. Lower is less restrictive.
func restrictiveness(e *expr, types map[string]licensecheck.Type) int {
	c := categoryOfExpr(e, types)
	if c == Unknown {
		c = NonCommercial + 1
	}
	r := 2 * int(c)
	if c == Permissive && extraConditions(e.id) {
		r++
	}
	return r
}

// extraConditions reports permissive licenses whose conditions go beyond
// keeping the copyright and license notice.
func extraConditions(id string) bool {
	switch licenseFamily(id) {
	case "Apache", "BSD", "Artistic", "AFL", "OpenSSL", "PHP", "Zend", "W3C":
		return id != "BSD-2-Clause" && id != "BSD-3-Clause" && id != "0BSD"
	}
	return false
}

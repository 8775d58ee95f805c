package license

import (
	"fmt"
	"strings"
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
// (a verdict's severity, say). Identifiers SPDX does not know become
// LicenseRef- leaves; a malformed expression is an error.
func Reduce(expression string, score func(Leaf) int) (int, error) {
	e, err := parseExpr(expression, true)
	if err != nil {
		return 0, fmt.Errorf("license expression %q: %w", expression, err)
	}
	return reduce(e, score), nil
}

func reduce(e *expr, score func(Leaf) int) int {
	switch e.op {
	case opAnd, opOr:
		best := reduce(e.kids[0], score)
		for _, k := range e.kids[1:] {
			s := reduce(k, score)
			if e.op == opAnd {
				best = max(best, s)
			} else {
				best = min(best, s)
			}
		}
		return best
	}
	return score(Leaf{ID: e.id, Exception: e.exception})
}

// Normalize renders an SPDX expression canonically (IDs in their SPDX
// case, deprecated forms replaced, "+" as -or-later); unknown IDs become
// LicenseRef-. It returns "" when s is not an expression.
func Normalize(s string) string { return normalizeExpr(s) }

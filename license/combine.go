package license

import (
	"slices"
	"strings"
)

// combine joins the license statements of one text: every grant applies
// (AND), except where a statement only describes another one:
//
//   - a full text, URL or notice of a license that a choice statement of
//     the same text offers ("dual licensed under MIT or Apache-2.0",
//     then both texts, or their URLs) is that alternative's text: the
//     text's license is the choice, Apache-2.0 OR MIT; where the choice
//     named a license family without its version ("a BSD license or the
//     GPL"), the text of that family says which one (BSD-2-Clause);
//   - a full text or URL of a license that a notice grants (a notice
//     granting GPL-2.0-or-later above the GPL-2.0 text) is that
//     license's text, not a second grant.
func combine(ms []Match) *expr {
	type statement struct {
		e     *expr
		text  bool // a full text or URL
		conf  float64
		taken bool // described by a choice or a grant
	}
	var all []*statement
	var choices []*statement
	for _, m := range ms {
		e, err := parseExpr(m.Expression, true)
		if err != nil {
			continue
		}
		st := &statement{e: e, text: m.Evidence == EvidenceText || m.Evidence == EvidenceURL, conf: m.Confidence}
		all = append(all, st)
		if !st.text && e.op == opOr {
			choices = append(choices, st)
		}
	}
	for _, c := range choices {
		for _, st := range all {
			if st == c || st.taken || st.e.op == opOr {
				continue
			}
			if e, ok := alternativeOf(c.e, st.e, c.conf < 0.9); ok {
				c.e, st.taken = e, true
			}
		}
	}
	granted := map[string]bool{}
	for _, st := range all {
		if !st.text && !st.taken {
			st.e.leaves(func(l *expr) { granted[licenseBase(l.id)] = true })
		}
	}
	var out []*expr
	for _, st := range all {
		switch {
		case st.taken:
		case st.text && st.e.all(func(l *expr) bool { return granted[licenseBase(l.id)] }):
		default:
			out = append(out, st.e)
		}
	}
	return join(opAnd, out...)
}

// alternativeOf reports whether statement s describes alternatives of
// the choice c (every license of s is one of c's, version ranges aside),
// and returns c, its guessed alternatives made precise by s when guessed
// is set: a guessed BSD-3-Clause (from a bare "BSD") becomes the
// BSD-2-Clause whose text s is.
func alternativeOf(c, s *expr, guessed bool) (*expr, bool) {
	bases := map[string]bool{}
	c.leaves(func(l *expr) { bases[licenseBase(l.id)] = true })
	if s.all(func(l *expr) bool { return bases[licenseBase(l.id)] }) {
		return c, true
	}
	if !guessed || s.op != 0 {
		return c, false
	}
	fam := licenseFamily(s.id)
	var same []*expr
	c.leaves(func(l *expr) {
		if licenseFamily(l.id) == fam {
			same = append(same, l)
		}
	})
	if len(same) != 1 || c.op != opOr {
		return c, false
	}
	i := slices.Index(c.kids, same[0])
	if i < 0 {
		return c, false // inside an AND of the choice: leave it
	}
	kids := slices.Clone(c.kids)
	kids[i] = s
	return join(opOr, kids...), true
}

// licenseFamily is a license ID up to its version: "BSD" for
// BSD-3-Clause, "GPL" for GPL-2.0-only, "Apache" for Apache-2.0, "CC-BY"
// for CC-BY-4.0; an ID without a version is its own family.
func licenseFamily(id string) string {
	for i := 0; i+1 < len(id); i++ {
		if id[i] == '-' && id[i+1] >= '0' && id[i+1] <= '9' {
			return id[:i]
		}
	}
	return id
}

// licenseBase is a license ID without its version range: GPL-2.0-only,
// GPL-2.0-or-later and GPL-2.0+ are all GPL-2.0 (one text serves them
// all).
func licenseBase(id string) string {
	id = strings.TrimSuffix(id, "+")
	if b, ok := strings.CutSuffix(id, "-only"); ok {
		return b
	}
	if b, ok := strings.CutSuffix(id, "-or-later"); ok {
		return b
	}
	return id
}

// hasAll reports whether every license of o is one of e's.
func (e *expr) hasAll(o *expr) bool { return containsAll(e.ids(), o.ids()) }

// all reports whether fn holds for every leaf of e.
func (e *expr) all(fn func(*expr) bool) bool {
	ok := true
	e.leaves(func(l *expr) { ok = ok && fn(l) })
	return ok
}

// samplePlaceholders are the blanks of the sample notices that license
// texts carry in their "How to Apply" appendix ("Copyright (C) <year>
// <name of author>", "Copyright [yyyy] [name of copyright owner]").
var samplePlaceholders = []string{
	"<name of author>", "<one line to give", "<year>", "19yy", "[yyyy]", "{yyyy}",
	"[name of copyright owner]", "{name of copyright owner}", "<copyright holders>", "<owner>",
}

// dropSamples removes the sample notices of a license text's appendix:
// a notice or reference shortly after a placeholder line, below a full
// text of the same license, shows how to apply that license and grants
// nothing (the GPL's "either version 1, or (at your option) any later
// version" under the GPL-1.0 text is not a GPL-1.0-or-later grant).
func dropSamples(lower string, found []finding) []finding {
	out := found[:0:0]
	for _, f := range found {
		if f.evidence != EvidenceText && f.evidence != EvidenceTag && afterText(found, f) && placeholderNear(lower, f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// afterText reports whether a full text of a license of f ends before f
// begins.
func afterText(found []finding, f finding) bool {
	for _, t := range found {
		if t.evidence != EvidenceText || t.hi > f.lo || t.e.op != 0 {
			continue
		}
		base := licenseBase(t.e.id)
		if f.e.all(func(l *expr) bool { return licenseBase(l.id) == base }) {
			return true
		}
	}
	return false
}

// placeholderNear reports whether one of samplePlaceholders occurs in
// the 400 bytes before f or in its first 300 bytes.
func placeholderNear(lower string, f finding) bool {
	window := lower[max(0, f.lo-400):min(f.hi, f.lo+300)]
	for _, p := range samplePlaceholders {
		if strings.Contains(window, p) {
			return true
		}
	}
	return false
}

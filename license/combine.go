package license

import (
	"slices"
	"strings"
)

// ownExpression is the license a text states for itself: its SPDX tags
// when it has some (a tag decides over the text's other statements), else
// all its statements joined by combine. Result.Expression and Decide
// both use it, so that a file's license reads the same in snipscan
// license as in an index.
func ownExpression(ms []Match) *expr {
	var tags []Match
	for _, m := range ms {
		if m.Evidence == EvidenceTag {
			tags = append(tags, m)
		}
	}
	if len(tags) > 0 {
		return combine(tags)
	}
	return combine(ms)
}

// licStatement is one license statement of a text, as combine weighs it.
type licStatement struct {
	e     *expr
	text  bool // a full text or URL
	part  bool // no grant of the text's own license (Match.Part)
	lo    int  // where it starts in the text
	conf  float64
	taken bool // described by a choice or a grant
}

// combine joins the license statements of one text: every grant applies
// (AND), except where a statement only describes another one:
//
//   - a full text or URL of a license that a choice statement of the
//     same text offers ("dual licensed under MIT or Apache-2.0", then
//     both texts, or their URLs) is that alternative's text: the text's
//     license is the choice, Apache-2.0 OR MIT; where the choice named a
//     license family without its version ("a BSD license or the GPL"),
//     the text of that family says which one (BSD-2-Clause);
//   - a notice, reference or tag granting a license that a choice offers
//     is that alternative's notice only when every alternative of the
//     choice has a statement of its own in the text (a GPL notice, then
//     the MIT text, under "you can use it under either the GPL or the MIT
//     license"); a lone grant beside an "or" sentence stays a grant;
//   - a full text or URL of a license that a notice grants (a notice
//     granting GPL-2.0-or-later above the GPL-2.0 text) is that
//     license's text, not a second grant.
//
// A statement that grants nothing of the text's own license (Match.Part:
// it speaks of a part, an origin or another work, "derived from Bar,
// which may be used under either MIT or GPL-2.0", or is negated) is left
// out, and so is a full text or URL of its license that follows it (see
// partsText), except that the statements about parts that are not code
// (documentation, images, fonts, data) make the license of a text that
// grants nothing else; a choice that a grant settles is dropped,
// GPL-2.0-only AND (GPL-2.0-only OR MIT) being GPL-2.0-only (see absorb).
func combine(ms []Match) *expr {
	if e := combineGrants(ms, false); e != nil {
		return e
	}
	// A text that speaks only of parts that are not code ("The
	// documentation is licensed under CC-BY-4.0", a LICENSE.docs) states
	// their license: CombineDeclared keeps it away from code beside a
	// license for code.
	return combineGrants(ms, true)
}

// combineGrants is combine, where the statements about a part that is not
// code (Why WhyNonCode) are grants when nonCode is set.
func combineGrants(ms []Match, nonCode bool) *expr {
	var all, choices []*licStatement
	for _, m := range ms {
		e, err := parseExpr(m.Expression, true)
		if err != nil {
			continue
		}
		part := m.Part && !(nonCode && m.Why == WhyNonCode)
		st := &licStatement{e: e, text: m.Evidence == EvidenceText || m.Evidence == EvidenceURL, part: part, lo: m.Start, conf: m.Confidence}
		all = append(all, st)
		if !st.text && !st.part && e.op == opOr {
			choices = append(choices, st)
		}
	}
	settleGuessed(all)
	for _, c := range choices {
		grants := everyAlternativeStated(c, all)
		for _, st := range all {
			if st == c || st.taken || st.part || st.e.op == opOr || !st.text && !grants {
				continue
			}
			if e, ok := alternativeOf(c.e, st.e, c.conf < 0.9); ok {
				c.e, st.taken = e, true
			}
		}
	}
	granted := map[string]bool{}
	for _, st := range all {
		if !st.text && !st.taken && !st.part {
			st.e.leaves(func(l *expr) { granted[licenseBase(l.id)] = true })
		}
	}
	var out []*expr
	for _, st := range all {
		switch {
		case st.taken, st.part:
		case st.text && st.e.all(func(l *expr) bool { return granted[licenseBase(l.id)] }):
		case st.text && partsText(st, all):
		default:
			out = append(out, st.e)
		}
	}
	return absorb(join(opAnd, out...))
}

// settleGuessed gives the statements that guessed their licenses'
// versions ("released under the GPL", "a dual license: GPL and MPL")
// the versions that the text's definite statements of the same families
// grant: "the GPL" beside a notice granting GPL-2.0-or-later speaks of
// that license. A family granted in more than one version, or only in
// guessed ones, keeps its guess.
func settleGuessed(all []*licStatement) {
	definite := map[string]string{} // family -> ID, "" when several
	for _, st := range all {
		if st.text || st.part || st.conf < 0.9 {
			continue
		}
		st.e.leaves(func(l *expr) {
			f := licenseFamily(l.id)
			if prev, ok := definite[f]; ok && prev != l.id {
				definite[f] = ""
				return
			}
			definite[f] = l.id
		})
	}
	for _, st := range all {
		if st.text || st.part || st.conf >= 0.9 {
			continue
		}
		st.e = st.e.mapLeaves(func(l *expr) *expr {
			if id := definite[licenseFamily(l.id)]; id != "" {
				return &expr{id: id, exception: l.exception}
			}
			return l
		})
	}
}

// partsText reports whether the full text or URL t is the text of the
// licenses of statements that grant nothing of the text's own (Match.Part)
// and come before it: "libfoo, which is licensed under the Apache License
// 2.0:" then that license's text, or lodash's "sample code [is] waived via
// CC0" then the CC0 URL.
func partsText(t *licStatement, all []*licStatement) bool {
	return t.e.all(func(l *expr) bool {
		for _, st := range all {
			if !st.part || st.text || st.lo >= t.lo {
				continue
			}
			found := false
			st.e.leaves(func(s *expr) { found = found || licenseBase(s.id) == licenseBase(l.id) })
			if found {
				return true
			}
		}
		return false
	})
}

// everyAlternativeStated reports whether every license that the choice c
// offers has a statement of its own among all besides c (a text, URL,
// notice, tag or reference, not a choice nor a part's statement), of the
// same license up to its version range, or of the same family where c
// guessed the version ("the GPL").
func everyAlternativeStated(c *licStatement, all []*licStatement) bool {
	guessed := c.conf < 0.9
	return c.e.all(func(l *expr) bool {
		for _, st := range all {
			if st == c || st.part || st.e.op == opOr {
				continue
			}
			found := false
			st.e.leaves(func(s *expr) {
				found = found || licenseBase(s.id) == licenseBase(l.id) || guessed && licenseFamily(s.id) == licenseFamily(l.id)
			})
			if found {
				return true
			}
		}
		return false
	})
}

// absorb drops from an AND every choice that its other operands settle:
// A AND (A OR B) is A, and A AND B AND ((A AND B) OR C) is A AND B, since
// the licensee bound by A anyway gains nothing by the choice.
func absorb(e *expr) *expr {
	if e == nil || e.op != opAnd {
		return e
	}
	have := map[string]bool{}
	for _, k := range e.kids {
		if k.op != opOr {
			have[k.String()] = true
		}
	}
	settled := func(alt *expr) bool {
		if alt.op != opAnd {
			return have[alt.String()]
		}
		return alt.all(func(l *expr) bool { return have[l.String()] })
	}
	var kids []*expr
	for _, k := range e.kids {
		if k.op == opOr && slices.ContainsFunc(k.kids, settled) {
			continue
		}
		kids = append(kids, k)
	}
	return join(opAnd, kids...)
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

// mapLeaves returns e with each leaf replaced by fn's result.
func (e *expr) mapLeaves(fn func(*expr) *expr) *expr {
	if e.op == 0 {
		return fn(e)
	}
	kids := make([]*expr, len(e.kids))
	for i, k := range e.kids {
		kids[i] = k.mapLeaves(fn)
	}
	return join(e.op, kids...)
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

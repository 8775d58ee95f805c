package spdxindex

import (
	"github.com/snipscan/snipscan/internal/lcs"
)

// A text found inside a longer license's text is a part of it when the
// longer text has at least partRatio times its words and holds at least
// Threshold of them in order, as a license text holds a text it matches
// (OpenSSL-standalone inside OpenSSL, the University of California's BSD
// text inside Sendmail's).
const partRatio = 1.5

// Holds returns the largest share of the input words of text[lo:hi] that
// a full text accepted by keep holds when aligned in order with the whole
// of text: words the license has, and words in place of its replaceable
// text. It tells whether a statement inside or beside a license text is
// made of that license's own words (an "SPDX-License-Identifier" sample
// line, a filled-in exhibit). It is 0 when keep accepts no text or
// text[lo:hi] holds no word.
func (m *Matcher) Holds(text []byte, lo, hi int, keep func(ids []string, source string) bool) float64 {
	toks, codes := m.encode(text)
	from, to := len(toks), 0
	for i, t := range toks {
		if t.Lo >= lo && t.Hi <= hi {
			from, to = min(from, i), i+1
		}
	}
	if from >= to {
		return 0
	}
	best := 0.0
	for i := range m.c.entries {
		e := &m.c.entries[i]
		if e.Kind == KindText && keep(e.IDs, e.Source) {
			best = max(best, float64(held(e, codes, from, to))/float64(to-from))
		}
	}
	return best
}

// PartOf reports whether text, as a whole, is a part of the full text of
// a license that keep accepts: its text on the SPDX list has at least
// partRatio times as many required words as text has words, and holds
// Threshold of text's words in order. Other sources' texts of a license
// may hold more (an appendix, a variant's clauses) and do not count.
func (m *Matcher) PartOf(text []byte, keep func(ids []string, source string) bool) bool {
	_, codes := m.encode(text)
	n := len(codes)
	if n == 0 {
		return false
	}
	for i := range m.c.entries {
		e := &m.c.entries[i]
		if e.Kind != KindText || !fromList(e.Source) || float64(e.required) < partRatio*float64(n) || !keep(e.IDs, e.Source) {
			continue
		}
		if float64(held(e, codes, 0, n)) >= Threshold*float64(n) {
			return true
		}
	}
	return false
}

// held counts the input words from from to to that e's text, aligned with
// codes, pairs with its own words or has in place of its replaceable text
// (input words between two paired words that are consecutive in e with a
// slot between them), within one passage of e at most twice as long as
// them: a long text pairs many of a short text's common words ("the",
// "of", "any") scattered over its length, which does not make the short
// text a part of it.
func held(e *compiledEntry, codes []uint32, from, to int) int {
	in := func(j int) bool { return j >= from && j < to }
	var at []int // per held input word: its place in e
	pa, pb := -2, -2
	for _, p := range lcs.Align(e.codes, codes, len(e.codes)+len(codes)) {
		if p[0] == pa+1 && slotAt(e, p[0]) {
			for j := pb + 1; j < p[1]; j++ {
				if in(j) {
					at = append(at, p[0])
				}
			}
		}
		if in(p[1]) {
			at = append(at, p[0])
		}
		pa, pb = p[0], p[1]
	}
	width := passageSlack + 2*(to-from)
	best, lo := 0, 0
	for hi := range at {
		for at[hi]-at[lo] >= width {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// passageSlack is the words a passage of a license text may hold beyond
// twice the words it is compared with.
const passageSlack = 8

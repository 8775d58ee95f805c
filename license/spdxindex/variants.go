package spdxindex

import (
	"github.com/snipscan/snipscan/internal/lcs"
)

// minClause is the fewest required words of a license that make a clause
// its near variant lacks ("PATENT INFRINGEMENT;" in BSD-3-Clause-HP's
// disclaimer, which BSD-3-Clause does not have).
const minClause = 2

// nearVariant is the share of the shorter of two texts that their
// alignment must pair for the texts to be near variants of one another.
const nearVariant = 0.6

// dropLackingClauses applies the SPDX guidelines' rule that a license's
// required text must all be there to the choice between near variants
// (the BSD and MIT families, versions of one license): of two matches on
// the same input span, each text's clauses that the other text lacks
// are looked for in the input. A text that misses a clause of its own
// (BSD-3-Clause-HP's "PATENT INFRINGEMENT" on a BSD-3-Clause text) is
// not a match when the input holds less of its clauses, in words, than
// of the other's, found words less missing ones, and no more words of
// the clauses it holds: a long text may lack a paragraph and still be the better
// match for the clauses it has (the MPL-1.1 text lacking a few words of
// a sentence that CUA-OPL-1.0, the MPL-1.1 with other names, does not
// have, but holding another such sentence). Inputs that are neither
// leave both to the usual order.
func (m *Matcher) dropLackingClauses(all []Match) []Match {
	drop := make([]bool, len(all))
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if drop[i] || drop[j] || !sameSpan(all[i], all[j]) {
				continue
			}
			ci, cj := m.clauses(&all[i], &all[j])
			switch {
			case ci.lacking > 0 && ci.evidence < cj.evidence && ci.found <= cj.found:
				drop[i] = true
			case cj.lacking > 0 && cj.evidence < ci.evidence && cj.found <= ci.found:
				drop[j] = true
			}
		}
	}
	var out []Match
	for i, mt := range all {
		if !drop[i] {
			out = append(out, mt)
		}
	}
	return out
}

// sameSpan reports whether half of a's span or more lies in b's, or half
// of b's in a's: the two texts were found on the same words.
func sameSpan(a, b Match) bool { return overlapsMost([]Match{b}, a) }

// clauseCount counts the clauses a text holds that another lacks, and of
// those, the ones the input lacks; found is the words of the clauses the
// input holds, evidence the words of all found less the words missing.
type clauseCount struct {
	own, lacking, found, evidence int
}

// textDiff holds, for two texts, the word ranges of each that are
// clauses the other lacks: runs of at least minClause required words that
// their alignment leaves unpaired, not in place of replaceable text.
type textDiff struct {
	a, b [][2]int
}

// diff returns the clauses of entries a and b, computed once per pair.
// Texts that are not near variants have none.
func (m *Matcher) diff(a, b int) *textDiff {
	key := [2]int32{int32(a), int32(b)}
	if d, ok := m.diffs.Load(key); ok {
		return d.(*textDiff)
	}
	ea, eb := &m.c.entries[a], &m.c.entries[b]
	d := &textDiff{}
	// Near variants pair nearVariant of the shorter text's words: an
	// alignment that needs more edits is not worth finishing.
	least := int(nearVariant * float64(min(len(ea.codes), len(eb.codes))))
	pairs := lcs.Align(ea.codes, eb.codes, len(ea.codes)+len(eb.codes)-2*least)
	if len(pairs) >= least {
		pa, pb := -1, -1
		for k := 0; k <= len(pairs); k++ {
			na, nb := len(ea.codes), len(eb.codes)
			if k < len(pairs) {
				na, nb = pairs[k][0], pairs[k][1]
			}
			// Words in place of the other text's replaceable text are
			// not a clause.
			switch {
			case nb == pb+1 && !slotAt(eb, nb) && requiredIn(ea, pa+1, na) >= minClause:
				d.a = append(d.a, [2]int{pa + 1, na})
			case na == pa+1 && !slotAt(ea, na) && requiredIn(eb, pb+1, nb) >= minClause:
				d.b = append(d.b, [2]int{pb + 1, nb})
			}
			pa, pb = na, nb
		}
	}
	m.diffs.Store(key, d)
	return d
}

// clauses counts, for the matches a and b, the clauses of each text that
// the other lacks, and those of them of which the match found fewer than
// half the words in the input.
func (m *Matcher) clauses(a, b *Match) (ca, cb clauseCount) {
	d := m.diff(a.entry, b.entry)
	for _, r := range d.a {
		ca.add(clause(&m.c.entries[a.entry], a.found, r[0], r[1]))
	}
	for _, r := range d.b {
		cb.add(clause(&m.c.entries[b.entry], b.found, r[0], r[1]))
	}
	return ca, cb
}

// lacksClauseOf reports whether f's match lacks a clause that its text
// has and entry b's text does not.
func (m *Matcher) lacksClauseOf(f Match, b int) bool {
	var c clauseCount
	for _, r := range m.diff(f.entry, b).a {
		c.add(clause(&m.c.entries[f.entry], f.found, r[0], r[1]))
	}
	return c.lacking > 0
}

// requiredIn counts the required words of e from lo to hi.
func requiredIn(e *compiledEntry, lo, hi int) int {
	n := 0
	for i := lo; i < hi; i++ {
		if !e.optional[i] {
			n++
		}
	}
	return n
}

// add counts a clause of required words of which found were in the
// input.
func (c *clauseCount) add(required, found int) {
	c.own++
	c.evidence += 2*found - required
	if 2*found < required {
		c.lacking++
	} else {
		c.found += found
	}
}

// clause returns the required words of e from lo to hi, and how many of
// them found holds.
func clause(e *compiledEntry, found []bool, lo, hi int) (required, got int) {
	for i := lo; i < hi; i++ {
		if e.optional[i] {
			continue
		}
		required++
		if found[i] {
			got++
		}
	}
	return required, got
}

// slotAt reports whether replaceable text comes right before e's word i.
func slotAt(e *compiledEntry, i int) bool { return i < len(e.codes) && e.afterSlot[i] }

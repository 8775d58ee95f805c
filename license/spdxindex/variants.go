package spdxindex

import (
	"github.com/snipscan/snipscan/internal/lcs"
)

// minClause is the fewest required words of a license that make a clause
// its near variant lacks ("PATENT INFRINGEMENT;" in BSD-3-Clause-HP's
// disclaimer, which BSD-3-Clause does not have).
const minClause = 2

// anchorRun is the shortest run of words two texts share that anchors
// their alignment: a clause one text adds stays one clause, not words
// paired with stray words of the other.
const anchorRun = 4

// nearVariant is the share of the shorter of two texts that their
// alignment must pair for the texts to be near variants of one another.
const nearVariant = 0.6

// dropLackingClauses applies the SPDX guidelines' rule that a license's
// required text must all be there to the choice between near variants
// (the BSD and MIT families, versions of one license): of two matches on
// the same input span, each text's clauses that the other text lacks
// are looked for in the input. A text whose own clauses the input lacks
// (BSD-3-Clause-HP's "PATENT INFRINGEMENT" on a BSD-3-Clause text), or
// whose variant has a clause the input holds (Spencer-94's on a
// Spencer-94 text, which Spencer-86 lacks), is not a match when the
// other one fares better: each text scores its clauses found less those
// missing, and the lower score is dropped. Equal scores (an input that
// is neither) leave both to the usual order.
func (m *Matcher) dropLackingClauses(all []Match) []Match {
	drop := make([]bool, len(all))
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if drop[i] || drop[j] || !sameSpan(all[i], all[j]) {
				continue
			}
			ci, cj := m.clauses(&all[i], &all[j])
			switch si, sj := ci.score(), cj.score(); {
			case si < sj:
				drop[i] = true
			case sj < si:
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
// those, the ones the input lacks.
type clauseCount struct {
	own, lacking int
}

// score is the clauses found less the clauses missing.
func (c clauseCount) score() int { return -c.lacking }

// clauses aligns the texts of a's and b's entries and counts, for each
// side, the clauses (runs of at least minClause required words that the
// other text has nothing in place of) and those of them of which a
// match found fewer than half the words in the input. Texts that are not
// near variants have no clauses.
func (m *Matcher) clauses(a, b *Match) (ca, cb clauseCount) {
	ea, eb := &m.c.entries[a.entry], &m.c.entries[b.entry]
	pairs := lcs.Anchored(ea.codes, eb.codes, len(ea.codes)+len(eb.codes), anchorRun)
	if float64(len(pairs)) < nearVariant*float64(min(len(ea.codes), len(eb.codes))) {
		return ca, cb
	}
	pa, pb := -1, -1
	for k := 0; k <= len(pairs); k++ {
		na, nb := len(ea.codes), len(eb.codes)
		if k < len(pairs) {
			na, nb = pairs[k][0], pairs[k][1]
		}
		// Words in place of the other text's replaceable text are not
		// a clause.
		switch {
		case nb == pb+1 && !slotAt(eb, nb):
			ca.add(clause(ea, a.found, pa+1, na))
		case na == pa+1 && !slotAt(ea, na):
			cb.add(clause(eb, b.found, pb+1, nb))
		}
		pa, pb = na, nb
	}
	return ca, cb
}

// add counts a clause of required words of which found were in the
// input.
func (c *clauseCount) add(required, found int) {
	if required < minClause {
		return
	}
	c.own++
	if 2*found < required {
		c.lacking++
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

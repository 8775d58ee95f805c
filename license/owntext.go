package license

import (
	"slices"

	"github.com/snipscan/snipscan/license/spdxindex"
)

// A statement is a license text's own words when that text, aligned
// with the words from the statement to the text's end, holds at least
// ownWordsShare of the statement's words (its own, or words in place of
// its replaceable text).
const ownWordsShare = 0.6

// leadWords is the most words between a statement and the full text
// below it for the statement to be read as the text's first words (the
// Ruby license's opening choice, above the conditions it offers).
const leadWords = 12

// dropOwnWords drops the statements (tags, references, notices, URLs)
// that are words of a full license text found around them, of another
// license than theirs: the Ruby license's "under either the terms of the
// GPL (see the file GPL), or the conditions below", the
// "SPDX-License-Identifier:" lines with which the CAL-1.0 says how to mark
// a work, the MPL-1.1's "Alternatively, ..." exhibit filled in. They are
// the license's words, not a grant beside it. A statement is read with
// the text that holds it, or that starts at most leadWords words below
// it.
func (c *Classifier) dropOwnWords(text []byte, ws []word, found []finding) []finding {
	var texts []finding
	for _, f := range found {
		if f.evidence == EvidenceText {
			texts = append(texts, f)
		}
	}
	if len(texts) == 0 || len(texts) == len(found) {
		return found
	}
	mt, err := c.texts.get()
	if err != nil {
		return found
	}
	out := found[:0:0]
	for _, f := range found {
		if f.evidence == EvidenceText || !slices.ContainsFunc(texts, func(t finding) bool { return ownWordsOf(mt, text, ws, f, t) }) {
			out = append(out, f)
		}
	}
	return out
}

// ownWordsOf reports whether statement f is words of the full text t
// (see dropOwnWords).
func ownWordsOf(mt *spdxindex.Matcher, text []byte, ws []word, f, t finding) bool {
	if f.e.String() == t.e.String() || f.hi > t.hi {
		return false
	}
	if f.lo < t.lo && (f.hi > t.lo || wordsBetween(ws, f.hi, t.lo) > leadWords) {
		return false
	}
	lo := min(f.lo, t.lo)
	ids := t.e.ids()
	return mt.Holds(text[lo:t.hi], f.lo-lo, f.hi-lo, keepIDs(ids)) >= ownWordsShare
}

// wordsBetween counts the words from byte lo to byte hi.
func wordsBetween(ws []word, lo, hi int) int {
	n := 0
	for _, w := range ws {
		if w.lo >= lo && w.hi <= hi {
			n++
		}
	}
	return n
}

// keepIDs accepts the index texts filed under one of the canonical
// license IDs ids.
func keepIDs(ids []string) func(ids []string, source string) bool {
	return func(entry []string, _ string) bool {
		return slices.ContainsFunc(entry, func(id string) bool { return slices.Contains(ids, lcID(id).String()) })
	}
}

// dropTextParts drops a full text that is a part of the text of another
// license that the text names or holds (a statement that is no Part):
// OpenSSL-standalone under the title "OpenSSL License" and beside "the
// OpenSSL License" is the OpenSSL license's first part, not a license of
// its own, and the University of California's BSD-4-Clause text in a
// text titled "SENDMAIL LICENSE" is the part of the Sendmail license that
// quotes it. See spdxindex.Matcher.PartOf.
func (c *Classifier) dropTextParts(text []byte, found []finding) []finding {
	var names []string
	for _, f := range found {
		if f.why == "" {
			names = append(names, f.e.ids()...)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) < 2 {
		return found
	}
	mt, err := c.texts.get()
	if err != nil {
		return found
	}
	out := found[:0:0]
	for _, f := range found {
		if !isTextPart(mt, text, f, names, found) {
			out = append(out, f)
		}
	}
	return out
}

// isTextPart reports whether f is a full text that is a part of the text
// of one of the licenses names. A license whose own full text the text
// holds on other words does not count: its text is found there, and f is
// a text of its own beside it (BoringSSL's LICENSE holds the OpenSSL
// license, then Intel's BSD-3-Clause text, which the OpenSSL license's
// words also hold).
func isTextPart(mt *spdxindex.Matcher, text []byte, f finding, names []string, found []finding) bool {
	if f.evidence != EvidenceText || f.why != "" || f.e.op != 0 {
		return false
	}
	own := f.e.String()
	for _, id := range names {
		if id == own || slices.ContainsFunc(found, func(g finding) bool { return g.textOfElsewhere(id, f) }) {
			continue
		}
		if mt.PartOf(text[f.lo:f.hi], keepIDs([]string{id})) {
			return true
		}
	}
	return false
}

// textOfElsewhere reports whether g is a full text of license id on
// other words than f's.
func (g finding) textOfElsewhere(id string, f finding) bool {
	return g.evidence == EvidenceText && (g.hi <= f.lo || f.hi <= g.lo) && slices.Contains(g.e.ids(), id)
}

package license

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/snipscan/snipscan/license/spdxindex"
)

// longHeaderWords is the number of words from which a header is long
// enough to hold a full license text (a BSD or MIT text in a comment).
const longHeaderWords = 120

// lazyTexts loads the full-text matcher of the embedded SPDX index on
// first use.
type lazyTexts struct {
	once sync.Once
	m    *spdxindex.Matcher
	err  error
}

func (l *lazyTexts) get() (*spdxindex.Matcher, error) {
	l.once.Do(func() {
		l.m, l.err = spdxindex.NewMatcher(spdxindex.Embedded())
		if l.err != nil {
			l.err = fmt.Errorf("license: load the SPDX text index: %w", l.err)
		}
	})
	return l.m, l.err
}

// textFinding is a full license text found by the SPDX matcher.
type textFinding struct {
	finding
	coverage float64
}

// fullTexts finds the full license texts of the SPDX index in text: in
// license files and other texts, and in headers of at least
// longHeaderWords words.
func (c *Classifier) fullTexts(m mode, text []byte, words int) []textFinding {
	if m == modeHeader && words < longHeaderWords {
		return nil
	}
	mt, err := c.texts.get()
	if err != nil {
		return nil
	}
	var out []textFinding
	for _, x := range mt.Find(text, spdxindex.KindText, spdxindex.Threshold) {
		e := textExpr(x)
		if e.exception != "" {
			// The SPDX list's texts of deprecated "GPL-2.0-with-X-exception"
			// IDs are the exception's words alone: they say nothing of the
			// license it is added to, which the notice around names
			// (applyExceptions attaches the exception).
			continue
		}
		out = append(out, textFinding{
			finding:  finding{e: e, lo: x.Start, hi: x.End, evidence: EvidenceText, conf: x.Confidence},
			coverage: x.Coverage,
		})
	}
	return out
}

// yieldTo returns the texts of the SPDX matcher that stand beside
// licensecheck's findings lc. Where licensecheck found the full text of
// another license on a text's words, the two are told apart on the
// matcher's own scale: licensecheck's license is aligned with the words
// both cover, and its finding stands when it fits them as well as the
// text does (an identical text under another ID, a near variant the
// matcher cannot tell apart), when the text is not on the SPDX list, or
// when licensecheck's finding holds most of the text's words with a
// higher confidence than the text's own.
func (c *Classifier) yieldTo(text []byte, lc []finding, texts []textFinding) []textFinding {
	mt, err := c.texts.get()
	if err != nil {
		return texts
	}
	var out []textFinding
	for _, t := range texts {
		if !slices.ContainsFunc(lc, func(l finding) bool { return fitsAsWell(mt, text, l, t) }) {
			out = append(out, widen(t, lc))
		}
	}
	return out
}

// widen returns t with its span widened to that of a licensecheck full
// text of the same license that overlaps it: the two found one text, and
// its title or first lines, which licensecheck's pattern holds, belong
// to it.
func widen(t textFinding, lc []finding) textFinding {
	for _, l := range lc {
		if l.evidence == EvidenceText && l.lo < t.hi && t.lo < l.hi && l.e.String() == t.e.String() {
			t.lo, t.hi = min(t.lo, l.lo), max(t.hi, l.hi)
		}
	}
	return t
}

// fitsAsWell reports whether licensecheck's finding l is the full text
// of another license on the words of t that fits them as well as t.
func fitsAsWell(mt *spdxindex.Matcher, text []byte, l finding, t textFinding) bool {
	// licensecheck's match of a pattern with many optional parts may be
	// short of its pattern and read as a notice: on most of the text's
	// words, it is a full text all the same.
	ov := min(l.hi, t.hi) - max(l.lo, t.lo)
	switch {
	case l.evidence == EvidenceText && 2*ov >= min(l.hi-l.lo, t.hi-t.lo):
	case l.evidence == EvidenceNotice && 2*ov >= t.hi-t.lo:
	default:
		return false
	}
	want := l.e.String()
	if want == t.e.String() {
		return false
	}
	if isRef(t.e.String()) && !isRef(want) || 2*ov >= t.hi-t.lo && t.conf < l.conf {
		return true
	}
	words := text[min(l.lo, t.lo):max(l.hi, t.hi)]
	return hundredths(confidenceOf(mt, words, want)) >= hundredths(confidenceOf(mt, words, t.e.String()))
}

// confidenceOf returns how well the texts of the license expression
// want fit words (see spdxindex.Matcher.Confidence). licensecheck's own
// patterns make whole clauses optional (its BSD-2-Clause holds
// BSD-2-Clause-Views' clause): a license of the SPDX list is measured by
// the list's and licenseclassifier's texts.
func confidenceOf(mt *spdxindex.Matcher, words []byte, want string) float64 {
	return mt.Confidence(words, func(ids []string, source string) bool {
		return (source != "licensecheck" || isRef(want)) && slices.ContainsFunc(ids, func(id string) bool { return lcID(id).String() == want })
	})
}

func isRef(id string) bool { return strings.HasPrefix(id, "LicenseRef-") }

func hundredths(f float64) int { return int(f*100 + 0.5) }

// textExpr is the expression of a matched text: its SPDX ID in canonical
// form, or LicenseRef-<source>-<ID> for a text outside the SPDX list.
func textExpr(x spdxindex.Match) *expr {
	if e, ok := canonicalID(x.ID, false); ok {
		return e
	}
	src, _, _ := strings.Cut(x.Source, ",")
	return leaf("LicenseRef-" + src + "-" + sanitizeRef(x.ID))
}

// dropInside returns the findings not inside the span of one of texts: a
// sample notice in a license's "How to Apply" appendix, or a partial
// match of another license on the text's words.
func dropInside(found, texts []finding) []finding {
	var out []finding
	for _, f := range found {
		inside := false
		for _, t := range texts {
			inside = inside || f.lo >= t.lo && f.hi <= t.hi
		}
		if !inside {
			out = append(out, f)
		}
	}
	return out
}

// coverageOf returns the coverage of f when it is one of texts, else 0.
func coverageOf(texts []textFinding, f finding) float64 {
	for _, t := range texts {
		if t.lo == f.lo && t.hi == f.hi && f.evidence == EvidenceText && t.e.String() == f.e.String() {
			return t.coverage
		}
	}
	return 0
}

package license

import (
	"slices"

	"github.com/google/licensecheck"
	"sort"
	"strings"
	"sync"
)

// Sources of a file's license, in decreasing precedence. The strings are
// stable: they appear in JSON output as "license_source".
const (
	SourceTag         = "spdx_tag"
	SourceHeader      = "file_header"
	SourceLicenseFile = "license_file"
	SourcePackage     = "package_metadata"
)

// Evidence kinds of a Match.
const (
	EvidenceTag       = "tag"       // SPDX-License-Identifier
	EvidenceText      = "text"      // a full license text
	EvidenceNotice    = "notice"    // a standard notice (GNU, Apache, MPL boilerplate)
	EvidenceReference = "reference" // a short reference ("Released under the MIT license")
	EvidenceURL       = "url"       // a license URL
)

// MaxHeader is the number of leading bytes Header looks at.
const MaxHeader = 16 << 10

// Match is one license statement found in a text.
type Match struct {
	Expression string  // canonical SPDX expression of this statement
	Start, End int     // byte offsets: text[Start:End]
	Lines      [2]int  // first and last line, 1-based inclusive
	Evidence   string  // one of the Evidence* kinds
	Confidence float64 // 0..1
	// Coverage is, for a full text found by the SPDX matcher, the share
	// of the license's required words found in order in the text (0..1);
	// 0 for other evidence.
	Coverage float64
	// Part is set on a statement that grants nothing of the text's own
	// license: it speaks of a part or an origin the text mentions
	// ("Portions derived from Bar, which may be used under ...", "The
	// bundled sizzle.js is available under ...", "This product includes
	// libfoo, which is licensed under ..."), of another work ("Unlike our
	// SDK (released under the GPL) ..."), of a part that is not code
	// ("The documentation is licensed under CC-BY-4.0"), stands in a
	// section about other components (under a heading "THIRD-PARTY
	// COMPONENTS"), or says that the license does not apply ("It is not
	// licensed under MIT"). Such a statement is no grant and no choice of
	// the text's own license; a full text or URL of its license that
	// follows it is its license's text.
	Part bool
	// Why says why a Part statement grants nothing: WhyPart, WhyOtherWork,
	// WhyNonCode, WhyNegated or WhyComponents; "" when Part is not set.
	Why string
}

// Result is the classification of one text.
type Result struct {
	// Expression is the text's own license, in canonical SPDX form, ""
	// when there is none: its SPDX-License-Identifier tags when it has
	// some (they decide alone, as in Decide), else every match combined
	// with AND, except that a full text or URL of a license that another
	// match grants (a notice, or a choice such as "MIT OR Apache-2.0") is
	// that license's text and adds nothing, and a grant is one of a
	// choice's alternatives only when each of them has a statement of its
	// own (see combine).
	Expression string
	// Matches are the license statements, in text order.
	Matches []Match
	// Copyrights are the copyright statements, e.g. "Copyright 2009 The Go Authors".
	Copyrights []string
	// Holders are the copyright holders, e.g. "The Go Authors".
	Holders []string
	// RefersTo is set when the text defers to a license file instead of
	// stating a license, e.g. "LICENSE" for Go's "Use of this source code
	// is governed by a BSD-style license that can be found in the LICENSE
	// file."
	RefersTo string
	// Hint is the license family named by an "X-style license" reference,
	// as an SPDX ID: "BSD-style" gives "BSD-3-Clause" (Go's, and the most
	// common BSD), "MIT-style" gives "MIT". It is only a guess, which
	// Decide uses when neither a license file nor package metadata says more.
	Hint string
}

// Classifier classifies license texts, notices and file headers. It is
// safe for concurrent use; build one and share it. Construction is cheap:
// licensecheck scanners are built on first need, first the common
// licenses (tens of milliseconds), and the full set (seconds) only when a
// license-looking text stays mostly unexplained.
type Classifier struct {
	sub, full lazyScanner
	cands     candidateIndex
	texts     lazyTexts
	urlOnce   sync.Once
	urls      map[string]string

	mu    sync.Mutex
	cache [2]map[string]*Result // two generations: cache[0] is current
	size  int                   // bytes of keys in cache[0]
}

// cacheLimit bounds the bytes of texts held by one cache generation.
const cacheLimit = 4 << 20

// New returns a Classifier. It builds nothing until first needed.
func New() *Classifier { return &Classifier{} }

type mode byte

const (
	modeHeader mode = 'h'
	modeFile   mode = 'f'
	modeText   mode = 't'
)

// Header classifies the comment header of a source file: the bytes before
// the first code token (only the first MaxHeader bytes are read). It is
// built to run on every file of a corpus: texts without license words
// return at once, Go-style references are resolved without licensecheck,
// and results of identical headers are cached.
func (c *Classifier) Header(text []byte) Result {
	if len(text) > MaxHeader {
		text = text[:MaxHeader]
	}
	if !mayMentionLicense(text) {
		return Result{}
	}
	return c.cached(modeHeader, text)
}

// LicenseFile classifies the text of a LICENSE, COPYING, NOTICE or
// similar file.
func (c *Classifier) LicenseFile(text []byte) Result {
	return c.cached(modeFile, text)
}

// Text classifies any text with every method: tags, references, URLs,
// notices and full license texts, and copyrights.
func (c *Classifier) Text(text []byte) Result {
	return c.cached(modeText, text)
}

func (c *Classifier) cached(m mode, text []byte) Result {
	key := make([]byte, 0, len(text)+1)
	key = append(append(key, byte(m)), text...)
	c.mu.Lock()
	for _, gen := range c.cache {
		if r, ok := gen[string(key)]; ok {
			c.mu.Unlock()
			return r.clone()
		}
	}
	c.mu.Unlock()
	r := c.analyze(m, text)
	c.mu.Lock()
	if c.cache[0] == nil || c.size+len(key) > cacheLimit {
		c.cache[1], c.cache[0], c.size = c.cache[0], map[string]*Result{}, 0
	}
	c.cache[0][string(key)] = &r
	c.size += len(key)
	c.mu.Unlock()
	return r.clone()
}

func (r *Result) clone() Result {
	out := *r
	out.Matches = slices.Clone(r.Matches)
	out.Copyrights = slices.Clone(r.Copyrights)
	out.Holders = slices.Clone(r.Holders)
	return out
}

// prefilterWords are the lower-case needles of mayMentionLicense.
var prefilterWords = []string{"licen", "copyright", "spdx", "(c)", "gpl", "public domain", "copyleft", "unlicense", "&copy;", "terms as perl"}

// mayMentionLicense is a fast case-insensitive check that text contains
// a word any license statement or copyright needs.
func mayMentionLicense(text []byte) bool {
	for i := 0; i < len(text); i++ {
		c := text[i] | 0x20
		switch c {
		case 'l', 'c', 's', '(', 'g', 'p', 'u', '&', 't':
		default:
			if text[i] == 0xC2 && i+1 < len(text) && text[i+1] == 0xA9 { // ©
				return true
			}
			continue
		}
		for _, w := range prefilterWords {
			if w[0] == c && i+len(w) <= len(text) && asciiEqualFold(text[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// licenseVocab are word prefixes that make uncovered text license-looking.
var licenseVocab = []string{"licen", "gpl", "lgpl", "agpl", "copyleft", "warrant", "redistribut", "permission", "permitted", "sublicens", "merchantab", "liabil", "disclaim", "unencumbered", "royalty", "infring"}

func isVocab(w string) bool {
	for _, v := range licenseVocab {
		if strings.HasPrefix(w, v) {
			return true
		}
	}
	return false
}

// span is a covered byte range.
type span struct{ lo, hi int }

func covered(spans []span, w word) bool {
	for _, s := range spans {
		if w.lo >= s.lo && w.hi <= s.hi {
			return true
		}
	}
	return false
}

// coverage summarizes the words of a text not covered by spans.
type coverage struct {
	total     int    // all words
	uncovered int    // words outside every span
	vocab     uint32 // bit set of licenseVocab prefixes among uncovered words (bit 31: "public domain")
	lookRun   int    // longest license-looking run of uncovered words
	lookSum   int    // words in all license-looking runs
	lookBits  uint32 // vocabulary of the license-looking runs
	maxRun    int    // longest run of uncovered words
}

// License-looking runs have at least lookDistinct distinct vocabulary
// prefixes, one of them a grant word (grantBits): a bare warranty
// disclaimer is not a license.
const lookDistinct = 3

// grantBits marks the licenseVocab entries that grant or condition rights.
const grantBits = 1<<0 | 1<<1 | 1<<2 | 1<<3 | 1<<4 | 1<<6 | 1<<7 | 1<<8 | 1<<9 | 1<<14

func vocabBits(ws []word, i int) uint32 {
	w := ws[i].w
	for k, v := range licenseVocab {
		if strings.HasPrefix(w, v) {
			return 1 << k
		}
	}
	if w == "domain" && i > 0 && ws[i-1].w == "public" {
		return 1 << 31
	}
	return 0
}

func distinct(bits uint32) int {
	n := 0
	for ; bits != 0; bits &= bits - 1 {
		n++
	}
	return n
}

// uncoveredStats measures the words not covered by spans. A run of
// consecutive uncovered words is license-looking when it holds at least
// lookDistinct distinct vocabulary prefixes (or "public domain").
func uncoveredStats(ws []word, spans []span) coverage {
	var cv coverage
	run := 0
	var runBits uint32
	flush := func() {
		if distinct(runBits) >= lookDistinct && runBits&grantBits != 0 {
			cv.lookRun = max(cv.lookRun, run)
			cv.lookSum += run
			cv.lookBits |= runBits
		}
		cv.maxRun = max(cv.maxRun, run)
		run, runBits = 0, 0
	}
	for i, w := range ws {
		cv.total++
		if covered(spans, w) {
			flush()
			continue
		}
		cv.uncovered++
		run++
		b := vocabBits(ws, i)
		runBits |= b
		cv.vocab |= b
	}
	flush()
	return cv
}

// copyrightSpans covers the lines holding copyright statements (and
// "All rights reserved."), which never need licensecheck.
func copyrightSpans(lower string) []span {
	var out []span
	lo := 0
	for lo < len(lower) {
		hi := strings.IndexByte(lower[lo:], '\n')
		if hi < 0 {
			hi = len(lower)
		} else {
			hi += lo
		}
		line := cleanLine(lower[lo:hi])
		if strings.HasPrefix(line, "copyright") || strings.HasPrefix(line, "(c)") || strings.HasPrefix(line, "©") ||
			strings.HasPrefix(line, "spdx-filecopyrighttext") || strings.HasPrefix(line, "all rights reserved") {
			out = append(out, span{lo, hi})
		}
		lo = hi + 1
	}
	return out
}

func (c *Classifier) urlTable() map[string]string {
	c.urlOnce.Do(func() { c.urls = buildURLTable() })
	return c.urls
}

// analyze runs the whole classification of one text.
func (c *Classifier) analyze(m mode, text []byte) Result {
	var r Result
	r.Copyrights, r.Holders = Copyrights(text)
	lower := lowerASCII(text)
	ws := splitWords(lower)

	own := findTags(text, lower)
	refs, hint, hintSpans := findReferences(lower, ws)
	own = append(own, refs...)
	own = append(own, findURLs(lower, c.urlTable())...)
	own = append(own, findCommonLicensePaths(lower)...)
	r.Hint = hint
	refersTo, refSpan := findRefersToSpan(text, lower, ws)
	r.RefersTo = refersTo

	spans := copyrightSpans(lower)
	for _, f := range own {
		spans = append(spans, span{f.lo, f.hi})
	}
	if refSpan.hi > 0 {
		spans = append(spans, refSpan)
	}
	spans = append(spans, hintSpans...)

	cv := uncoveredStats(ws, spans)
	var lc []finding
	// licensecheck needs many license words; one stray "license" in a
	// package comment is not worth a scan, except in a license file.
	if distinct(cv.vocab) >= 2 || cv.vocab&(1<<31) != 0 || m != modeHeader && cv.vocab != 0 {
		lc = c.scan(&c.sub, false, text)
		all := slices.Clone(spans)
		for _, f := range lc {
			all = append(all, span{f.lo, f.hi})
		}
		cv2 := uncoveredStats(ws, all)
		// Fall back to the full license set when license-looking text is
		// mostly unexplained, or (outside headers) when a long license-
		// looking run is left, such as a clause appended to a known text.
		mostly := cv2.lookSum >= 20 && cv2.lookSum*2 >= cv2.total
		if m == modeHeader {
			mostly = mostly && cv2.lookSum >= 30 && distinct(cv2.lookBits) >= 4
		}
		// In a license file, also when the subset found nothing, or left
		// a long run of words unexplained (X11 is MIT plus a clause).
		appended := m != modeHeader && (cv2.maxRun >= 25 || len(lc) == 0 && len(own) == 0)
		switch {
		case m == modeHeader && mostly:
			if s, lens, err := c.cands.scanner(ws); err == nil && s != nil {
				lc = mergeScans(convert(s.Scan(text), lens), lc)
			}
		case mostly || appended:
			// A scanner of the candidate licenses (tens of milliseconds)
			// first; the full set (seconds, hundreds of MB) only if neither
			// it nor the subset explained anything.
			var cand []finding
			if s, lens, err := c.cands.scanner(ws); err == nil && s != nil {
				cand = convert(s.Scan(text), lens)
			}
			switch {
			case len(cand) > 0:
				// The candidates explain the rest; what the subset
				// found elsewhere stays (an MIT text followed by a
				// font's OFL text is both).
				lc = mergeScans(cand, lc)
			case len(lc) == 0:
				lc = c.scan(&c.full, true, text)
			}
		}
	}
	// Full texts of the SPDX index come first: where licensecheck finds
	// a part of them, or a "How to Apply" sample notice inside them, the
	// text decides; where it finds a full text that fits as well, its
	// own stands (see yieldTo).
	texts := c.yieldTo(text, lc, c.fullTexts(m, text, len(ws)))
	if len(texts) > 0 {
		textFound := make([]finding, len(texts))
		for i, t := range texts {
			textFound[i] = t.finding
		}
		lc = mergeScans(textFound, dropInside(lc, textFound))
	}
	found := resolve(own, qualifyNotices(ws, lc))
	found = dropExceptionWords(lower, ws, found)
	found = applyExceptions(lower, ws, found)
	found = c.dropOwnWords(text, ws, found)
	found = dropSamples(lower, found)
	markSections(text, lower, ws, found)
	found = c.dropTextParts(text, found)
	found = dropPointersBeside(lower, found)

	lines := newLineIndex(text)
	for _, f := range found {
		r.Matches = append(r.Matches, Match{
			Expression: f.e.String(),
			Start:      f.lo,
			End:        f.hi,
			Lines:      [2]int{lines.line(f.lo), lines.line(max(f.lo, f.hi-1))},
			Evidence:   f.evidence,
			Confidence: f.conf,
			Coverage:   coverageOf(texts, f),
			Part:       f.why != "",
			Why:        f.why,
		})
	}
	r.Expression = ownExpression(r.Matches).String()
	return r
}

// mergeScans returns the findings of a later, more specific scan with
// those of an earlier one that its findings do not mostly cover (a match
// may reach a few words into the text before it).
func mergeScans(later, earlier []finding) []finding {
	out := slices.Clone(later)
	for _, e := range earlier {
		covered := 0
		for _, l := range later {
			covered += max(0, min(l.hi, e.hi)-max(l.lo, e.lo))
		}
		if 2*covered < e.hi-e.lo {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].lo < out[j].lo })
	return out
}

// scan runs one licensecheck scanner and converts its matches.
func (c *Classifier) scan(l *lazyScanner, full bool, text []byte) []finding {
	s, err := l.get(full)
	if err != nil {
		return nil
	}
	return convert(s.Scan(text), l.lreLen)
}

// convert turns licensecheck's matches into findings; lreLen gives the
// LRE size of each license, to tell a notice from a full text.
func convert(cov licensecheck.Coverage, lreLen map[string]int) []finding {
	var out []finding
	for _, m := range cov.Match {
		f := finding{e: lcID(m.ID), lo: m.Start, hi: m.End, conf: 0.95, evidence: EvidenceText}
		switch {
		case m.IsURL:
			f.evidence, f.conf = EvidenceURL, 0.8
		case strings.HasSuffix(m.ID, "-only") || strings.HasSuffix(m.ID, "-or-later") || strings.HasPrefix(m.ID, "LicenseRef-"):
			f.evidence, f.conf = EvidenceNotice, 0.9
		case float64(m.End-m.Start) < 0.3*float64(lreLen[m.ID]):
			f.evidence, f.conf = EvidenceNotice, 0.9
		}
		out = append(out, f)
	}
	return out
}

// resolve merges own findings with licensecheck's. Tags always stay.
// Where a reference or URL overlaps a licensecheck match, the one whose
// licenses include the other's wins (so "Apache-2.0 OR MIT" from a dual
// reference beats licensecheck's "Apache-2.0" on its first words), and
// licensecheck wins ties; a match that mostly lies outside the reference
// it overlaps stays beside it.
func resolve(own, lc []finding) []finding {
	dropOwn := make([]bool, len(own))
	dropLC := make([]bool, len(lc))
	for i, o := range own {
		if o.evidence == EvidenceTag {
			continue
		}
		for j, l := range lc {
			if o.hi <= l.lo || l.hi <= o.lo {
				continue
			}
			ov := min(o.hi, l.hi) - max(o.lo, l.lo)
			if l.evidence == EvidenceText && o.why != "" && o.hi < l.hi && 4*(o.hi-l.lo) < l.hi-l.lo {
				// A full text whose match starts above or inside a
				// statement granting nothing of the text's own license
				// ("This product includes libfoo, which is licensed under
				// the GNU GPL version 3:" then the GPL's text; the
				// statement's "MIT license:" read as the text's title):
				// the text starts after the statement, whose part's text
				// it is (see partsText).
				lc[j].lo = max(lc[j].lo, o.hi)
				continue
			}
			if 2*ov < o.hi-o.lo && l.evidence == EvidenceText && !l.e.hasAll(o.e) {
				// A full text whose match reaches a few words back into
				// the statement above it ("... at your option." then
				// the text): both stay.
				continue
			}
			if o.e.op == opOr && 2*ov < l.hi-l.lo {
				// A notice that reaches back over a dual-license
				// reference to the line above it (licensecheck's Apache
				// notice from the copyright line, over "dual-licensed
				// under both the Apache License and the MPL"): it is one
				// of the alternatives' own notice, and both stay.
				continue
			}
			oi, li := o.e.ids(), l.e.ids()
			// A dual-license reference may override a notice that
			// licensecheck matched on its first words; a full text wins.
			if o.e.op == opOr && l.evidence != EvidenceText && containsAll(oi, li) && !containsAll(li, oi) {
				dropLC[j] = true
			} else {
				dropOwn[i] = true
				if lc[j].why == "" && 2*ov >= l.hi-l.lo && containsAll(oi, li) {
					// licensecheck's notice on the words of a reference
					// that grants nothing ("is NOT distributed under
					// the GNU GPL v3 or later") grants nothing either.
					lc[j].why = o.why
				}
			}
		}
	}
	// Among own findings, drop a URL or reference inside another own
	// finding that already names all its licenses.
	for i, a := range own {
		for j, b := range own {
			if i == j || dropOwn[i] || dropOwn[j] || a.evidence == EvidenceTag {
				continue
			}
			if a.lo >= b.lo && a.hi <= b.hi && containsAll(b.e.ids(), a.e.ids()) && (a.lo != b.lo || a.hi != b.hi || i > j) {
				dropOwn[i] = true
			}
		}
	}
	var out []finding
	for i, o := range own {
		if !dropOwn[i] {
			out = append(out, o)
		}
	}
	for j, l := range lc {
		if !dropLC[j] {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].lo < out[j].lo })
	return out
}

func containsAll(set, sub []string) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int

func newLineIndex(text []byte) lineIndex { return lineIndex(nil).build(text) }

func (lineIndex) build(text []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range text {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (l lineIndex) line(off int) int {
	return sort.Search(len(l), func(i int) bool { return l[i] > off })
}

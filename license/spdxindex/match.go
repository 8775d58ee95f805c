package spdxindex

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/snipscan/snipscan/internal/lcs"
)

// Matching parameters.
const (
	// shingle is the number of consecutive words of a candidate shingle.
	shingle = 5
	// sampleMod keeps one shingle in sampleMod of long texts in the
	// candidate index (by hash); texts of fewer than denseWords words
	// keep all theirs.
	sampleMod  = 8
	denseWords = 200
	// minContainment is the share of a text's indexed shingles an input
	// must hold for the text to be aligned; maxCandidates bounds how many
	// texts are aligned per input.
	minContainment = 0.6
	maxCandidates  = 16
	// maxGap is the most unmatched input words between two matched ones
	// within one match: a longer run ends the match.
	maxGap = 80
	// maxAdded is the longest run of words an input may add between two
	// required words of a license text, or one addedShare-th of the
	// text's required words when that is more: a longer run is a clause
	// of the input's own (a restriction added to an MIT or BSD text), and
	// the guidelines do not match a text with a clause added.
	maxAdded   = 15
	addedShare = 20
	// maxMissing and missingShare bound the same way the longest run of
	// a license's required words an input may lack: a longer run is a
	// clause of the license the input does not have. Long texts keep
	// matching without a paragraph.
	maxMissing   = 15
	missingShare = 8
	// Threshold is the coverage at or above which a full text matches.
	// Coverage is the share of a license's required words found in order
	// in the input. Chosen on the labelled sets of cmd/liceval (0.8 to
	// 0.95 tried; 0.85 and 0.9 do best, and 0.9 would lose the GPL,
	// Apache or MPL text without its longest paragraph).
	Threshold = 0.85
)

// Match is one license text found in an input.
type Match struct {
	ID         string   // the preferred ID of the text (Entry.IDs[0])
	IDs        []string // every ID whose text is identical
	Source     string   // the index source of the text
	Kind       Kind
	Start, End int // byte offsets of the matched span in the input
	// Coverage is the share of the license's required words (titles,
	// appendices and replaceable text excluded) found in order in the
	// span.
	Coverage float64
	// Extra counts the input words inside the span that the license text
	// does not have (names in replaceable places, added or changed
	// clauses).
	Extra int
	// Confidence combines both: matched required words over required
	// plus extra words, so a text that covers a near variant's words but
	// also holds a clause of its own scores lower than the variant with
	// that clause.
	Confidence float64

	entry   int // the index entry
	matched int // required words matched
	first   int // the first and last input words of the match
	last    int
	whole   float64  // the share of all the entry's words matched, optional ones too
	found   []bool   // per word of the entry: whether the match holds it
	added   int      // the longest run of input words inside the match that the text lacks
	run     [][2]int // the aligned (entry word, input word) pairs of the match
}

// Matcher finds the license texts of an index in inputs. It is safe for
// concurrent use; its index is immutable once built, and it remembers how
// the texts it compared differ.
type Matcher struct {
	c        *compiled
	postings []posting          // sorted by shingle hash
	buckets  []int32            // per top bucketBits of a hash: its first posting
	indexed  []int              // per entry: distinct shingles indexed
	diffs    sync.Map           // [2]int32{a, b} -> *textDiff of entries a and b
	terms    map[uint32]bool    // vocabulary codes of termWords
	listed   map[string][]int32 // per ID: the entries holding the SPDX list's text
	owners   sync.Map           // int32 entry -> owner (see ownID)
}

// posting says that an entry holds a shingle.
type posting struct {
	h     uint64 // the shingle's hash
	entry int32
}

// NewMatcher decodes an encoded index and builds its candidate index.
func NewMatcher(encoded []byte) (*Matcher, error) {
	c, err := decode(encoded, false)
	if err != nil {
		return nil, fmt.Errorf("spdxindex: load: %w", err)
	}
	n := 0
	for _, e := range c.entries {
		n += len(e.codes)/sampleMod + denseWords
	}
	m := &Matcher{c: c, postings: make([]posting, 0, n), indexed: make([]int, len(c.entries)), terms: map[uint32]bool{}, listed: listTexts(c.entries)}
	for _, w := range termWords {
		if code, ok := c.vocab[HashWord(w)]; ok {
			m.terms[code] = true
		}
	}
	for i, e := range c.entries {
		from := len(m.postings)
		dense := len(e.codes) < denseWords
		forShingles(e.codes, func(_ int, h uint64) {
			if dense || h%sampleMod == 0 {
				m.postings = append(m.postings, posting{h, int32(i)})
			}
		})
		// Each shingle once per entry.
		own := m.postings[from:]
		slices.SortFunc(own, func(a, b posting) int { return cmp.Compare(a.h, b.h) })
		own = slices.CompactFunc(own, func(a, b posting) bool { return a.h == b.h })
		m.postings = m.postings[:from+len(own)]
		m.indexed[i] = len(own)
	}
	slices.SortFunc(m.postings, func(a, b posting) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.entry, b.entry)) })
	m.buckets = make([]int32, 1<<bucketBits+1)
	for i, b := 0, 0; b <= 1<<bucketBits; b++ {
		for i < len(m.postings) && int(m.postings[i].h>>(64-bucketBits)) < b {
			i++
		}
		m.buckets[b] = int32(i)
	}
	return m, nil
}

// bucketBits is the number of a shingle hash's top bits that index the
// postings' buckets: a lookup searches one small bucket.
const bucketBits = 16

// entriesOf calls fn with each entry that holds shingle h.
func (m *Matcher) entriesOf(h uint64, fn func(e int32)) {
	b := h >> (64 - bucketBits)
	bucket := m.postings[m.buckets[b]:m.buckets[b+1]]
	i, _ := slices.BinarySearchFunc(bucket, h, func(p posting, h uint64) int { return cmp.Compare(p.h, h) })
	for ; i < len(bucket) && bucket[i].h == h; i++ {
		fn(bucket[i].entry)
	}
}

// Version returns the recorded version of the index's data.
func (m *Matcher) Version() string { return m.c.version }

// Len returns the number of texts in the index.
func (m *Matcher) Len() int { return len(m.c.entries) }

// forShingles calls fn with the start and hash of each run of shingle
// codes.
func forShingles(codes []uint32, fn func(i int, h uint64)) {
	for i := 0; i+shingle <= len(codes); i++ {
		h := uint64(14695981039346656037)
		for _, c := range codes[i : i+shingle] {
			h ^= uint64(c)
			h *= 1099511628211
		}
		h ^= h >> 29
		fn(i, h)
	}
}

// unknownCode stands for an input word that no indexed text has.
const unknownCode = ^uint32(0)

// Find returns the texts of kind k found in text, best first, whose
// coverage reaches minCoverage, without overlaps: a text inside the span
// of a better match is not reported.
func (m *Matcher) Find(text []byte, k Kind, minCoverage float64) []Match {
	toks, codes := m.encode(text)
	var all []Match
	tried := map[string]int{}
	for _, cand := range m.candidates(codes, k) {
		// Of the texts of one license (the SPDX list's, licensecheck's,
		// licenseclassifier's variants), the perID that share the most
		// shingles are aligned.
		id := m.c.entries[cand.entry].IDs[0]
		if tried[id] >= perID || m.outmatched(all, cand) {
			continue
		}
		tried[id]++
		if mt, ok := m.align(cand, codes, toks, minCoverage); ok && mt.Coverage >= minCoverage {
			all = append(all, mt)
		}
	}
	all = m.dropLackingClauses(all)
	all = slices.DeleteFunc(all, func(mt Match) bool {
		return m.addsClause(mt) || m.missesClause(mt) || m.changesTerms(mt, codes) || m.repeatsWords(mt, codes)
	})
	own := make(map[int]bool, len(all))
	for i := range all {
		all[i].ID, own[all[i].entry] = m.ownID(all[i].entry)
	}
	slices.SortStableFunc(all, func(a, b Match) int {
		// A text filed under a license whose text it is not (see ownID)
		// comes after every text that is its license's. Confidences
		// within a hundredth tie: the longer span (a text with its
		// appendix) wins, then a current SPDX ID.
		return cmp.Or(compareBool(own[b.entry], own[a.entry]),
			cmp.Compare(hundredths(b.Confidence), hundredths(a.Confidence)), cmp.Compare(hundredths(b.Coverage), hundredths(a.Coverage)),
			cmp.Compare(hundredths(b.whole), hundredths(a.whole)), cmp.Compare(b.End-b.Start, a.End-a.Start),
			cmp.Compare(idRank(a.ID), idRank(b.ID)), cmp.Compare(a.Start, b.Start), cmp.Compare(a.entry, b.entry))
	})
	var out []Match
	for _, mt := range all {
		if !overlapsMost(out, mt) {
			out = append(out, mt)
		}
	}
	out = preferWholes(all, out)
	slices.SortStableFunc(out, func(a, b Match) int { return cmp.Compare(a.Start, b.Start) })
	for i := range out {
		out[i].Start = statementsBefore(text, out[i].Start)
	}
	return out
}

// encode tokenizes text and gives each word its vocabulary code, or
// unknownCode.
func (m *Matcher) encode(text []byte) ([]Token, []uint32) {
	toks := Tokenize(text)
	codes := make([]uint32, len(toks))
	for i, t := range toks {
		if c, ok := m.c.vocab[t.Hash]; ok {
			codes[i] = c
		} else {
			codes[i] = unknownCode
		}
	}
	return toks, codes
}

// Confidence returns the best confidence (see Match) of the full texts
// whose IDs keep accepts, each aligned with text as a whole, every word
// of text outside the match counted as a word the license lacks: how
// well a license that another classifier names on those words fits
// them, on the scale of Find's matches. It is 0 when keep accepts no
// text.
func (m *Matcher) Confidence(text []byte, keep func(ids []string, source string) bool) float64 {
	toks, codes := m.encode(text)
	if len(codes) == 0 {
		return 0
	}
	every := make([]int, len(codes))
	for i := range every {
		every[i] = i
	}
	best := 0.0
	for i := range m.c.entries {
		e := &m.c.entries[i]
		if e.Kind != KindText || !keep(e.IDs, e.Source) {
			continue
		}
		if mt, ok := m.align(candidate{entry: i, hits: every}, codes, toks, 0); ok && e.required > 0 {
			// Words of text outside the match are words the license
			// lacks, as those inside it are.
			outside := mt.first + len(codes) - 1 - mt.last
			best = max(best, float64(mt.matched)/float64(e.required+mt.Extra+outside))
		}
	}
	return best
}

// preferWholes replaces kept matches by one text whose span holds them
// when it matches more required words than they do together and fits
// about as well as each: a license made of parts (Python-2.0 holds the
// PSF, BeOpen and CNRI licenses; SSH-OpenSSH holds SSH-short) is one
// text, not its parts.
func preferWholes(all, kept []Match) []Match {
	for _, a := range all {
		var inside []int
		sum := 0
		fits := true
		for i, k := range kept {
			if 2*(min(a.End, k.End)-max(a.Start, k.Start)) >= k.End-k.Start {
				inside = append(inside, i)
				sum += k.matched
				fits = fits && a.Confidence+wholeMargin >= k.Confidence
			}
		}
		if len(inside) == 0 || a.matched <= sum || len(inside) == 1 && !fits {
			continue
		}
		next := []Match{a}
		for i, k := range kept {
			if !slices.Contains(inside, i) {
				next = append(next, k)
			}
		}
		kept = next
	}
	return kept
}

// wholeMargin is how much lower a text's confidence may be than that of
// the one match it holds and replaces.
const wholeMargin = 0.02

func hundredths(f float64) int { return int(f*100 + 0.5) }

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// perID is the most texts of one license aligned with one input.
const perID = 2

// outmatched reports whether a match already found holds nine tenths of
// cand's shared shingles with a confidence that cand, which shares a
// smaller part of its shingles with the input, cannot reach, and, unless
// cand shares far fewer, holds every clause its text has that cand's
// lacks (else cand, a near variant whose names differ from the input's,
// may be the match once the clauses are compared): aligning cand would
// only cost time. A text filed under a license whose text it is not
// (see ownID) outmatches nothing.
func (m *Matcher) outmatched(found []Match, cand candidate) bool {
	for _, f := range found {
		if _, own := m.ownID(f.entry); !own {
			continue
		}
		in := 0
		for _, h := range cand.hits {
			if h >= f.first && h <= f.last {
				in++
			}
		}
		if 10*in < 9*len(cand.hits) || cand.score+outmatchMargin >= f.Confidence {
			continue
		}
		if cand.score+variantMargin < f.Confidence || !m.lacksClauseOf(f, cand.entry) {
			return true
		}
	}
	return false
}

// outmatchMargin is how far a candidate's share of shingles may fall below
// a found match's confidence before it is not aligned over that match;
// variantMargin, how far it may fall and still be a near variant whose
// clauses may decide (BSD-3-Clause, 0.77 of its shingles, against
// BSD-3-Clause-HP's 0.94 on a BSD-3-Clause text whose names differ).
const (
	outmatchMargin = 0.05
	variantMargin  = 0.25
)

// overlapsMost reports whether half of mt's span or more lies in the
// span of one of kept, or half of one of kept's in mt's.
func overlapsMost(kept []Match, mt Match) bool {
	for _, k := range kept {
		ov := min(k.End, mt.End) - max(k.Start, mt.Start)
		if 2*ov >= mt.End-mt.Start || 2*ov >= k.End-k.Start {
			return true
		}
	}
	return false
}

// candidate is an entry worth aligning and the input words where its
// shingles were seen.
type candidate struct {
	entry int
	score float64
	hits  []int // input word positions of the shared shingles
}

// candidates returns the entries of kind k that share at least
// minContainment of their indexed shingles with the input, best first.
// Each distinct shingle of the input is looked up once.
func (m *Matcher) candidates(codes []uint32, k Kind) []candidate {
	type shingleAt struct {
		h   uint64
		pos int
	}
	var sh []shingleAt
	forShingles(codes, func(i int, h uint64) { sh = append(sh, shingleAt{h, i}) })
	slices.SortFunc(sh, func(a, b shingleAt) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.pos, b.pos)) })
	shared := make([]int32, len(m.c.entries))
	type hit struct{ entry, from, to int32 } // sh[from:to] are in entry
	var hits []hit
	for i := 0; i < len(sh); {
		j := i + 1
		for j < len(sh) && sh[j].h == sh[i].h {
			j++
		}
		m.entriesOf(sh[i].h, func(e int32) {
			shared[e]++
			hits = append(hits, hit{e, int32(i), int32(j)})
		})
		i = j
	}
	var out []candidate
	for e, n := range shared {
		if n == 0 || m.c.entries[e].Kind != k || m.indexed[e] == 0 {
			continue
		}
		if score := float64(n) / float64(m.indexed[e]); score >= minContainment {
			out = append(out, candidate{entry: e, score: score})
		}
	}
	slices.SortFunc(out, func(a, b candidate) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.entry, b.entry)) })
	out = out[:min(len(out), maxCandidates)]
	at := make(map[int32]int, len(out))
	for i, c := range out {
		at[int32(c.entry)] = i
	}
	for _, h := range hits {
		if i, ok := at[h.entry]; ok {
			for _, s := range sh[h.from:h.to] {
				out[i].hits = append(out[i].hits, s.pos)
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].hits)
	}
	return out
}

// align aligns a candidate's words with the input around its shingles
// and measures the best run of the alignment.
func (m *Matcher) align(c candidate, codes []uint32, toks []Token, minCoverage float64) (Match, bool) {
	e := &m.c.entries[c.entry]
	lo, hi := densest(c.hits, len(e.codes)+len(e.codes)/4+2*sampleMod*shingle)
	// Widen the window by the words a sampled index may have missed at
	// either end, and by the license's optional title.
	lo = max(0, lo-2*sampleMod*shingle-len(e.codes)/10)
	hi = min(len(codes), hi+shingle+2*sampleMod*shingle+len(e.codes)/10)
	// A match of minCoverage pairs at least that share of the required
	// words: an alignment that needs more edits cannot reach it.
	least := int(minCoverage * float64(e.required))
	pairs := lcs.Align(e.codes, codes[lo:hi], max(0, len(e.codes)+hi-lo-2*least))
	if len(pairs) == 0 {
		return Match{}, false
	}
	best, bestReq := [2]int{}, -1
	for _, r := range runs(pairs) {
		req := 0
		for _, p := range pairs[r[0]:r[1]] {
			if !e.optional[p[0]] {
				req++
			}
		}
		if req > bestReq {
			best, bestReq = r, req
		}
	}
	run := trimEdges(pairs[best[0]:best[1]], e.optional)
	first, last := run[0][1]+lo, run[len(run)-1][1]+lo
	extra := extraWords(run, e.optional)
	found := make([]bool, len(e.codes))
	for _, p := range run {
		found[p[0]] = true
	}
	mt := Match{ID: e.IDs[0], IDs: e.IDs, Source: e.Source, Kind: e.Kind,
		Start: toks[first].Lo, End: toks[last].Hi, Extra: extra, entry: c.entry, first: first, last: last, found: found, added: addedRun(run, e.optional), run: shifted(run, lo)}
	if e.required > 0 {
		mt.matched = bestReq
		mt.Coverage = float64(bestReq) / float64(e.required)
		mt.Confidence = float64(bestReq) / float64(e.required+extra)
		mt.whole = float64(len(run)) / float64(len(e.codes))
	}
	return mt, true
}

// shifted returns the pairs with lo added to their input words.
func shifted(pairs [][2]int, lo int) [][2]int {
	out := make([][2]int, len(pairs))
	for i, p := range pairs {
		out[i] = [2]int{p[0], p[1] + lo}
	}
	return out
}

// densest returns the first and last of the sorted positions that fall
// in the window of width words holding the most of them.
func densest(pos []int, width int) (lo, hi int) {
	best, j := -1, 0
	for i := range pos {
		for pos[i]-pos[j] > width {
			j++
		}
		if i-j > best {
			best, lo, hi = i-j, pos[j], pos[i]
		}
	}
	return lo, hi
}

// Edge gaps: a title or appendix word matched at the edge of a match
// belongs to it only when at most maxLeadGap (before the text) or
// maxTailGap (after it) unmatched input words separate it from the next
// matched word; otherwise it is another text's (a notice above a license
// text that repeats the license's name).
const (
	maxLeadGap = 3
	maxTailGap = 12
)

// extraWords counts the input words between the first and the last
// required word of run that the license does not have. Words around an
// optional title or appendix do not count: a text with an appendix the
// input has in another version is as good a match as one without.
func extraWords(run [][2]int, optional []bool) int {
	fr, lr := -1, -1
	for i, p := range run {
		if !optional[p[0]] {
			if fr < 0 {
				fr = i
			}
			lr = i
		}
	}
	if fr < 0 {
		return 0
	}
	return run[lr][1] - run[fr][1] + 1 - (lr - fr + 1)
}

// addsClause reports whether the input adds a clause inside mt's span.
func (m *Matcher) addsClause(mt Match) bool {
	return mt.added > max(maxAdded, m.c.entries[mt.entry].required/addedShare)
}

// solidRun is the fewest words aligned in a row on both sides of a gap
// for changesTerms to compare the gap's words.
const solidRun = 3

// termWords are the words in which a license states its terms:
// obligation, permission, negation and condition. Replaceable text (a
// name, a year, an organisation) never holds them.
var termWords = []string{"must", "shall", "may", "can", "cannot", "not", "no", "never", "only",
	"except", "unless", "provided", "prohibited", "permitted", "forbidden", "required", "granted", "permission"}

// changesTerms reports whether, within a clause, the input adds or lacks
// a word of the license's terms (termWords) that the words in its place
// do not restore: the guidelines let replaceable text differ, but "may
// not be sold", "except as noted below" or a missing "Permission" change
// what the text grants. Runs longer than a clause are left to addsClause
// and missesClause; required words missing before the match's first
// required word count as missing too.
func (m *Matcher) changesTerms(mt Match, codes []uint32) bool {
	e := &m.c.entries[mt.entry]
	if len(mt.run) == 0 {
		return false
	}
	first := 0
	for first < len(mt.run)-1 && e.optional[mt.run[first][0]] {
		first++
	}
	if a := mt.run[first][0]; requiredIn(e, 0, a) <= maxMissing && m.termsDiffer(e.codes[:a], e.optional[:a], nil) {
		return true
	}
	return solidGaps(mt, e, func(a0, b0, a1, b1 int) bool {
		return b1-b0-1 <= maxAdded && requiredIn(e, a0+1, a1) <= maxMissing &&
			m.termsDiffer(e.codes[a0+1:a1], e.optional[a0+1:a1], codes[b0+1:b1])
	})
}

// solidGaps reports whether fn holds for a gap of mt's alignment between
// two required words a0 and a1 of the license and the input words b0 and
// b1 paired with them. A gap is checked between runs of at least solidRun
// words aligned in a row: next to a longer gap, the alignment pairs words
// by chance.
func solidGaps(mt Match, e *compiledEntry, fn func(a0, b0, a1, b1 int) bool) bool {
	before := 1 // words aligned in a row up to pair k-1
	for k := 1; k < len(mt.run); k++ {
		a0, b0, a1, b1 := mt.run[k-1][0], mt.run[k-1][1], mt.run[k][0], mt.run[k][1]
		if a1 == a0+1 && b1 == b0+1 {
			before++
			continue
		}
		after := 1
		for after < solidRun && k+after < len(mt.run) && mt.run[k+after][0] == a1+after && mt.run[k+after][1] == b1+after {
			after++
		}
		if before >= solidRun && after >= solidRun && !e.optional[a0] && !e.optional[a1] && fn(a0, b0, a1, b1) {
			return true
		}
		before = 1
	}
	return false
}

// repeatsWords reports whether the input repeats, between two
// consecutive words of the license's required text, a run of the
// license's words next to them (a line written twice): the guidelines let
// names and years differ in their places, and equivalent words and
// punctuation anywhere, but text the license has once, twice, is another
// text. Other insertions are left to the checks of clauses and terms:
// the index marks few of the places where a name may stand.
func (m *Matcher) repeatsWords(mt Match, codes []uint32) bool {
	e := &m.c.entries[mt.entry]
	return solidGaps(mt, e, func(a0, b0, a1, b1 int) bool {
		in := codes[b0+1 : b1]
		n := len(in)
		if a1 != a0+1 || n < minClause {
			return false
		}
		before := a0+1 >= n && slices.Equal(in, e.codes[a0+1-n:a0+1])
		after := a1+n <= len(e.codes) && slices.Equal(in, e.codes[a1:a1+n])
		return before || after
	})
}

// termsDiffer reports whether the required license words lic (optional
// marks which are not) and the input words in their place hold the
// terms' words a different number of times each.
func (m *Matcher) termsDiffer(lic []uint32, optional []bool, in []uint32) bool {
	var count map[uint32]int
	add := func(c uint32, n int) {
		if m.terms[c] {
			if count == nil {
				count = map[uint32]int{}
			}
			count[c] += n
		}
	}
	for i, c := range lic {
		if !optional[i] {
			add(c, -1)
		}
	}
	for _, c := range in {
		add(c, 1)
	}
	for _, n := range count {
		if n != 0 {
			return true
		}
	}
	return false
}

// missesClause reports whether the input lacks a clause of mt's text.
func (m *Matcher) missesClause(mt Match) bool {
	e := &m.c.entries[mt.entry]
	return missingRun(mt.found, e.optional) > max(maxMissing, e.required/missingShare)
}

// missingRun returns the longest run of required words that found
// lacks; optional words neither end nor extend a run.
func missingRun(found, optional []bool) int {
	longest, run := 0, 0
	for i, f := range found {
		switch {
		case optional[i]:
		case f:
			run = 0
		default:
			run++
			longest = max(longest, run)
		}
	}
	return longest
}

// addedRun returns the longest run of input words between two required
// words of run that the license does not have: a clause the input adds
// to the text.
func addedRun(run [][2]int, optional []bool) int {
	longest, prev := 0, -1
	for i, p := range run {
		if optional[p[0]] {
			continue
		}
		if prev >= 0 {
			longest = max(longest, p[1]-run[prev][1]-(i-prev))
		}
		prev = i
	}
	return longest
}

// trimEdges drops the optional words matched at the edges of run that
// stand apart from the rest of the match.
func trimEdges(run [][2]int, optional []bool) [][2]int {
	fr := 0
	for fr < len(run)-1 && optional[run[fr][0]] {
		fr++
	}
	for fr > 0 && run[fr][1]-run[fr-1][1] <= maxLeadGap+1 {
		fr--
	}
	lr := len(run) - 1
	for lr > fr && optional[run[lr][0]] {
		lr--
	}
	for lr < len(run)-1 && run[lr+1][1]-run[lr][1] <= maxTailGap+1 {
		lr++
	}
	return run[fr : lr+1]
}

// runs splits aligned pairs where more than maxGap input words separate
// two of them, and returns the [from, to) pair ranges.
func runs(pairs [][2]int) [][2]int {
	var out [][2]int
	from := 0
	for i := 1; i < len(pairs); i++ {
		if pairs[i][1]-pairs[i-1][1] > maxGap {
			out = append(out, [2]int{from, i})
			from = i
		}
	}
	return append(out, [2]int{from, len(pairs)})
}

// statementsBefore returns the start of the copyright statements and
// blank lines right above offset start (the tokenizer omits them, but
// they belong to the license text), or start.
func statementsBefore(text []byte, start int) int {
	ls := bytes.LastIndexByte(text[:start], '\n') + 1
	if len(bytes.TrimSpace(text[ls:start])) > 0 {
		return start
	}
	out := start
	for ls > 0 {
		prev := bytes.LastIndexByte(text[:ls-1], '\n') + 1
		line := text[prev : ls-1]
		switch {
		case len(bytes.TrimSpace(line)) == 0:
		case isCopyrightLine(line) || allRightsReserved(line):
			out = prev
		default:
			return out
		}
		ls = prev
	}
	return out
}

func allRightsReserved(line []byte) bool {
	return bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(line)), []byte("all rights reserved"))
}

package match

// Edge refinement with the source's text. Winnowed fingerprints leave the
// first and last K+W/2 tokens of a copy uncovered on average: the k-grams
// that straddle the copy's edges hold host code on one side and other
// source code on the other, so no hit marks where the copy starts and
// ends. When the corpus file's text can be read (Options.SourceText), each
// edge of a region is aligned token by token with the source around it,
// and moved outward as far as the alignment holds: an X-drop extension
// (as in BLAST) over the longest common subsequence of the normalized
// symbols (identifiers all alike), each aligned token scoring +1 and each
// token left unaligned on either side -refinePenalty, ending at the best
// score before it drops by refineXDrop. The alignment also gives the exact source line
// of each new edge.

import (
	"cmp"
	"slices"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/lcs"
)

const (
	// refineTokens is how far, in target tokens, an edge is looked at on
	// each side of it.
	refineTokens = 80
	// refineLines is how far, in source lines, the source is looked at on
	// each side of an edge's source line.
	refineLines = 16
	// refineXDrop ends an extension once its score falls this far below
	// the best.
	refineXDrop = 6
	// refinePenalty is the score of a token left unaligned.
	refinePenalty = 3
	// refineMaxEdits bounds the alignment's work per edge.
	refineMaxEdits = 600
	// sourceCacheTokens bounds the tokens of corpus files kept (24 bytes
	// each).
	sourceCacheTokens = 4 << 20
)

// sourceTokens reads and tokenizes corpus files for refinement, once per
// file for one Match call.
type sourceTokens struct {
	read   func(*corpus.FileInfo) []byte
	fp     *fingerprint.Fingerprinter // the corpus's parameters: literals abstracted or not, as the target's tokens
	cache  map[uint32][]fingerprint.Token
	tokens int // tokens held in cache
}

// get returns the tokens of a corpus file, or nil when its text cannot be
// read (or is not what was indexed: read checks it).
func (s *sourceTokens) get(f *corpus.FileInfo) []fingerprint.Token {
	if s == nil || s.read == nil || f == nil {
		return nil
	}
	if toks, ok := s.cache[f.ID]; ok {
		return toks
	}
	var toks []fingerprint.Token
	if data := s.read(f); data != nil {
		toks = slices.Clone(s.fp.Tokens(f.Lang, data))
	}
	if s.tokens+len(toks) > sourceCacheTokens {
		clear(s.cache)
		s.tokens = 0
	}
	s.cache[f.ID] = toks
	s.tokens += len(toks)
	return toks
}

// edge is a refined region edge: the target token index (first token for
// a head, one past the last for a tail) and its source line.
type edge struct {
	pos   int32
	sline int32
	ok    bool
	// path holds the aligned tokens of the extension, in target order:
	// each target token with its source token's line (its first line for
	// a head, its last for a tail), so that an edge extend moves can still
	// be mapped to the source.
	path []aligned
	// gaps are the target tokens its bridges skipped, [from, to): code
	// inserted into the copy, which the source does not have.
	gaps [][2]int32
}

// aligned is a target token and the line of the source token aligned
// with it.
type aligned struct{ t, sline int32 }

// headLine returns the source line where a region starting at target
// token first starts, from the first aligned token at or after first.
func (e edge) headLine(toks []fingerprint.Token, first int32) (int32, bool) {
	for _, p := range e.path {
		if p.t >= first {
			return p.sline - (toks[p.t].Line - toks[first].Line), true
		}
	}
	return 0, false
}

// tailLine returns the source line where a region ending before target
// token last ends, from the last aligned token before last.
func (e edge) tailLine(toks []fingerprint.Token, last int32) (int32, bool) {
	for i := len(e.path) - 1; i >= 0; i-- {
		if p := e.path[i]; p.t < last {
			return p.sline + (toks[last-1].EndLine - toks[p.t].EndLine), true
		}
	}
	return 0, false
}

// refine aligns the edges of the target tokens [first, last), copied from
// source lines smin..smax of src, and returns the extended edges. Only
// extensions are returned: an edge the alignment would move inward keeps
// its place (ok false). The mode says whether an extension goes on across
// code inserted into the copy (refineBridges, see bridge) and over a
// function extracted from its tail (refineExtracted, see extracted). k is
// the k-gram length of the region's hits, lang the language of src.
func refine(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax int32, k int32, lang fingerprint.Lang, mode int) (head, tail edge) {
	if len(src) == 0 || first >= last {
		return
	}
	nb := 0
	if mode&refineBridges != 0 {
		nb = bridgeMax
	}
	top := newTopLevel(src, firstToken(src, smin), last-k, lang)
	end, s, path := alignTail(tt, first, last, src, top, smin, smax, nil)
	var tailGaps [][2]int32
	for b := 0; end >= 0 && b < nb && !top.closes(s); b++ {
		t0, s0, n, ok := bridge(tt, src, end, s+1, +1, top)
		if !ok {
			break
		}
		if t0 > end {
			tailGaps = append(tailGaps, [2]int32{end, t0})
		}
		for i := range n {
			path = append(path, aligned{t0 + i, src[s0+int(i)].EndLine})
		}
		s1 := s0 + int(n) - 1
		var e2 int32
		if e2, s, path = alignTail(tt, t0, t0+n, src, top, src[s0].Line, src[s1].EndLine, path); e2 < t0+n {
			e2, s = t0+n, s1
		}
		end = e2
	}
	if mode&refineExtracted != 0 {
		// From the last source line the alignment reached: the
		// extracted body follows it. Where it reaches as far as the
		// alignment, it says better where the copy ends in the source.
		reached := smax
		if end >= 0 {
			reached = max(smax, src[s].EndLine)
		}
		if e, se, ok := extracted(tt, src, last, reached); ok && e >= end {
			end, s = e, se
			path = append(path, aligned{e - 1, src[se].EndLine})
		}
	}
	if end > last {
		tail = edge{pos: end, sline: src[s].EndLine, ok: true, path: path, gaps: tailGaps}
	}
	start, s, path := alignHead(tt, first, last, src, smin, smax, nil)
	var headGaps [][2]int32
	for b := 0; start >= 0 && b < nb; b++ {
		t1, s1, n, ok := bridge(tt, src, start-1, s-1, -1, top)
		if !ok {
			break
		}
		if start-1 > t1 {
			headGaps = append(headGaps, [2]int32{t1 + 1, start})
		}
		t0, s0 := t1-n+1, s1-int(n)+1
		run := make([]aligned, 0, int(n)+len(path))
		for i := range n {
			run = append(run, aligned{t0 + i, src[s0+int(i)].Line})
		}
		path = append(run, path...)
		var s2 int
		if start, s2, path = alignHead(tt, t0, t1+1, src, src[s0].Line, src[s1].EndLine, path); start < 0 || start > t0 {
			start, s2 = t0, s0
		}
		s = s2
	}
	if start >= 0 && start < first {
		head = edge{pos: start, sline: src[s].Line, ok: true, path: path, gaps: headGaps}
	}
	return head, tail
}

// topLevel tells where the declarations of a source file end: at the
// closing braces of fingerprint.Decls (the blocks at the top level of the
// file and those directly inside a class, a namespace or an impl, not
// inside parentheses). A language whose functions are not delimited by
// braces (Python) has no such ends, and no rule.
//
// from is the first target token of the region's last k-gram: the only
// one that may straddle the end of a declaration into the next one's
// header (the ends of declarations further in belong to the copy, or to
// a similar function before it that its first hits matched).
type topLevel struct {
	ends []int32 // source tokens that end a declaration, in order
	lo   int     // tokens before lo end nothing (before the region's source lines)
	from int32
}

// newTopLevel returns the topLevel of src for tokens from lo on, for a
// region whose last k-gram starts at target token from.
func newTopLevel(src []fingerprint.Token, lo int, from int32, lang fingerprint.Lang) topLevel {
	top := topLevel{lo: lo, from: from}
	for _, d := range fingerprint.Decls(lang, src, nil) {
		top.ends = append(top.ends, d.End)
	}
	return top
}

// closes reports whether source token s, where an extension stopped, ends
// a declaration (see topLevel): a bridge from there would carry the copy
// on into the next declaration (a method of the same shape, whose header
// is much like any other). Going back, no such rule: the start of a
// split's second function follows the closing brace of a block of its
// first part in the source, and holding the bridge there lost 5 to 8
// points of split copies (EVALUATION.md, tuning).
func (top topLevel) closes(s int) bool {
	if s < top.lo {
		return false
	}
	_, ok := slices.BinarySearch(top.ends, int32(s))
	return ok
}

// nextEnd returns the first source token from s on that ends a
// declaration, or -1.
func (top topLevel) nextEnd(s int) int {
	i, _ := slices.BinarySearch(top.ends, int32(max(s, top.lo)))
	if i == len(top.ends) {
		return -1
	}
	return int(top.ends[i])
}

// keysContext is how many tokens before a small copy are read to tell
// the keys of its literals (fingerprint.Keys).
const keysContext = 512

// crossTokens is how many tokens an extension must align past the end of
// a declaration to go on into the next one (a copy of both, the second
// without a fingerprint of its own): fewer are the next declaration's
// header and a small body of a common shape (20 let a method of a
// println through, after one of its own header).
const crossTokens = 40

// firstToken returns the index of the first token of src on line line or
// later.
func firstToken(src []fingerprint.Token, line int32) int {
	i, _ := slices.BinarySearchFunc(src, line, func(tk fingerprint.Token, l int32) int { return cmp.Compare(tk.Line, l) })
	return i
}

// realignHead looks for the start of the target range [first, last) in
// the source lines that end at smax and are as many as the target's
// (tlines+1) plus refineLines: the source token where the longest run of
// tokens equal to the target's from first begins (the latest of equal
// runs), at least bridgeRun tokens. It returns that token's line when it
// is after smin and its run is longer than any starting on line smin
// (and, unless the range was stretched, the range it leaves is at least
// 3/4 of the target's lines): the start of a copy whose source range
// reached back over a similar function before it.
func realignHead(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax, tlines int32) (int32, bool) {
	if len(src) == 0 || first >= last {
		return 0, false
	}
	lo := max(smin, smax-tlines-refineLines)
	best, bestRun, atStart := -1, bridgeRun, 0
	for p := range src {
		if src[p].Line < lo || src[p].EndLine > smax || src[p].Sym != tt[first].Sym {
			continue
		}
		n := 0
		for int(first)+n < int(last) && p+n < len(src) && src[p+n].EndLine <= smax && tt[int(first)+n].Sym == src[p+n].Sym {
			n++
		}
		if src[p].Line == smin {
			atStart = max(atStart, n)
		}
		if n >= bestRun {
			best, bestRun = p, n
		}
	}
	// Only a run longer than any at the current start moves it. A range
	// longer than the target's (stretched over the function before) may
	// shrink to any length; one that is not (a split copy is longer than
	// its source) to 3/4 of the target's lines at most: a line repeated
	// further down is not the start.
	stretched := smax-smin > tlines+stretchSlack
	if best >= 0 && src[best].Line > smin && bestRun > atStart &&
		(stretched || 4*(smax-src[best].Line+1) >= 3*(tlines+1)) {
		return src[best].Line, true
	}
	return 0, false
}

// stretchSlack is how many lines a finding's source range may exceed its
// target range by before realignHead takes it for stretched.
const stretchSlack = 3

// Modes of refine.
const (
	refineBridges = 1 << iota
	refineExtracted
)

// lineRange returns the source tokens within lines lo..hi, at most
// refineTokens on each side of the first token at line at or later: dense
// code (tables, generated code) keeps the alignment small.
func lineRange(src []fingerprint.Token, lo, hi, at int32) (int, int) {
	i, _ := slices.BinarySearchFunc(src, lo, func(tk fingerprint.Token, l int32) int { return cmp.Compare(tk.EndLine, l) })
	j := i
	for j < len(src) && src[j].Line <= hi {
		j++
	}
	p := i
	for p < j && src[p].Line < at {
		p++
	}
	return max(i, p-refineTokens), min(j, p+refineTokens)
}

func syms(ts []fingerprint.Token) []uint32 {
	out := make([]uint32, len(ts))
	for i, t := range ts {
		out[i] = t.Sym
	}
	return out
}

// alignTail aligns the target around last (one past the region's last
// token) with the source around line smax, and extends the region's end
// as far as the alignment holds. It returns one past the last target
// token of the extension (which may be inside the region), the index of
// its source token, and path with the extension's aligned tokens
// appended; -1 when nothing aligns. An extension past the end of a
// declaration (see closes) goes on only if crossTokens more tokens align
// after it.
func alignTail(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, top topLevel, smin, smax int32, path []aligned) (int32, int, []aligned) {
	ta, tb := max(first, last-refineTokens), min(int32(len(tt)), last+refineTokens)
	si, sj := lineRange(src, max(smin, smax-refineLines), smax+refineLines, smax+1)
	if ta >= tb || si >= sj {
		return -1, 0, path
	}
	pairs := lcs.Align(syms(tt[ta:tb]), syms(src[si:sj]), refineMaxEdits)
	// Start from the last aligned token inside the region.
	start := -1
	for k, p := range pairs {
		if ta+int32(p[0]) < last {
			start = k
		}
	}
	if start < 0 {
		return -1, 0, path
	}
	best := xdrop(pairs, start, +1)
	// The ends of declarations among the source tokens of the pairs, from
	// the region's last k-gram on (see topLevel).
	k0 := start
	for k0 > 0 && ta+int32(pairs[k0-1][0]) >= top.from {
		k0--
	}
	for k := k0; k < best; k++ {
		if top.closes(si + pairs[k][1]) {
			if best-k < crossTokens {
				best = k
				break
			}
			if k >= start {
				break // the extension goes on into a copy of the next declaration
			}
			// An end inside the region, crossed by the copy: look on.
		}
	}
	if best < start {
		return -1, 0, path // the region itself reached into the next declaration
	}
	for _, p := range pairs[start : best+1] {
		if t := ta + int32(p[0]); len(path) == 0 || t > path[len(path)-1].t {
			path = append(path, aligned{t, src[si+p[1]].EndLine})
		}
	}
	p := pairs[best]
	return ta + int32(p[0]) + 1, si + p[1], path
}

// alignHead is alignTail for the region's start: it returns the first
// target token of the extension, the index of its source token, and path
// with the extension's aligned tokens put before it; -1 when nothing
// aligns.
func alignHead(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax int32, path []aligned) (int32, int, []aligned) {
	ha, hb := max(0, first-refineTokens), min(last, first+refineTokens)
	si, sj := lineRange(src, smin-refineLines, min(smax, smin+refineLines), smin)
	if ha >= hb || si >= sj {
		return -1, 0, path
	}
	pairs := lcs.Align(syms(tt[ha:hb]), syms(src[si:sj]), refineMaxEdits)
	start := -1
	for k := len(pairs) - 1; k >= 0; k-- {
		if ha+int32(pairs[k][0]) >= first {
			start = k
		}
	}
	if start < 0 {
		return -1, 0, path
	}
	best := xdrop(pairs, start, -1)
	var ext []aligned
	for _, p := range pairs[best : start+1] {
		if t := ha + int32(p[0]); len(path) == 0 || t < path[0].t {
			ext = append(ext, aligned{t, src[si+p[1]].Line})
		}
	}
	p := pairs[best]
	return ha + int32(p[0]), si + p[1], append(ext, path...)
}

// xdrop extends an alignment from pairs[start] in direction dir (+1:
// toward the end, -1: toward the start): each aligned token scores +1,
// each token left unaligned on either side -refinePenalty, and the
// extension ends at the best score before it drops by refineXDrop. It
// returns the index of that pair.
func xdrop(pairs [][2]int, start, dir int) int {
	best, score, bestScore := start, 0, 0
	for k := start + dir; k >= 0 && k < len(pairs); k += dir {
		gap := dir*(pairs[k][0]-pairs[k-dir][0]) - 1 + dir*(pairs[k][1]-pairs[k-dir][1]) - 1
		score += 1 - refinePenalty*gap
		if score > bestScore {
			best, bestScore = k, score
		}
		if score < bestScore-refineXDrop {
			break
		}
	}
	return best
}

// Bridges: code inserted into a copy (the checks and logging around a
// body merged into a larger function, the call and the header that split
// a function in two) stops the extension, though the source goes on, with
// no gap, on the other side of the insertion. A bridge crosses at most
// bridgeTarget target tokens and bridgeSource source tokens to a run of
// at least bridgeRun tokens equal one after the other in both, most of
// them (bridgeExact) with identical text, and the extension goes on from
// there. Identical text matters: runs of the same shape are everywhere.
const (
	bridgeTarget    = 60
	bridgeSource    = 2
	bridgeSourceFwd = 8
	bridgeRun       = 8
	bridgeExact     = 0.75
	bridgeMax       = 2 // bridges per edge
	// maxBridgeRun bounds how far past its start a forward bridge's run is
	// checked for the end of a declaration.
	maxBridgeRun = 400
)

// bridge looks for a run from target token t and source token s onward
// in direction dir (+1 forward, -1 backward), each side skipping at most
// its bridge limit first. It returns where the run begins (in direction
// dir: for -1, its last tokens) and its length. Going forward, neither
// the source tokens skipped nor the run pass the end of a declaration
// (see closes; top says where brackets are counted from).
func bridge(tt, src []fingerprint.Token, t int32, s, dir int, top topLevel) (int32, int, int32, bool) {
	gs := bridgeSource
	if dir > 0 {
		gs = bridgeSourceFwd
	}
	// end is the first source token forward that ends a declaration.
	end := len(src)
	if e := top.nextEnd(s); dir > 0 && e >= 0 && e < s+gs+maxBridgeRun {
		end = e
	}
	for j := range int32(bridgeTarget + 1) {
		t0 := t + int32(dir)*j
		if t0 < 0 || int(t0) >= len(tt) {
			break
		}
		for g := range gs + 1 {
			s0 := s + dir*g
			if s0 < 0 || s0 >= len(src) || tt[t0].Sym != src[s0].Sym || dir > 0 && s0 >= end {
				continue
			}
			n, same := int32(0), 0
			for ti, si := t0, s0; ti >= 0 && int(ti) < len(tt) && si >= 0 && si < len(src) && tt[ti].Sym == src[si].Sym; ti, si = ti+int32(dir), si+dir {
				if dir > 0 && si >= end {
					break // the run would end a declaration: the alignment after it sees the end
				}
				n++
				if tt[ti].Exact == src[si].Exact {
					same++
				}
			}
			if n >= bridgeRun && float64(same) >= bridgeExact*float64(n) {
				return t0, s0, n, true
			}
		}
	}
	return 0, 0, 0, false
}

// extracted recognizes the tail of a copy whose last statements were
// extracted into a function of their own, written right after it: from
// target token t, within bridgeTarget tokens, the code calls a function
// as its last statement (its name followed by "(", on the line of the
// closing brace or the one above), then declares it ("func", the name, "{"),
// and the declared body, up to its closing brace, is a run of source
// tokens within extractedLines of line smax, followed in the source by a
// closing brace. A body too short for a bridge (a "return nil") is
// recognized this way. It returns one past the body's closing brace and
// the index of the source's closing brace.
func extracted(tt, src []fingerprint.Token, t int32, smax int32) (int32, int, bool) {
	symFunc, symParen, symBrace, symClose := fingerprint.SymOf("func"), fingerprint.SymOf("("), fingerprint.SymOf("{"), fingerprint.SymOf("}")
	n := int32(len(tt))
	for f := t; f < n && f-t <= bridgeTarget; f++ {
		if tt[f].Sym != symFunc {
			continue
		}
		// The name: after "func", or after the receiver's parentheses.
		name := f + 1
		if name < n && tt[name].Sym == symParen {
			if name = int32(fingerprint.Matching(tt, int(name))); name < 0 {
				continue
			}
			name++
		}
		if name >= n || tt[name].Sym != fingerprint.SymIdent {
			continue
		}
		// The call is the last statement of the function that ends right
		// before: on the line of its closing brace or the one above.
		if f == 0 || tt[f-1].Bracket() >= 0 {
			continue
		}
		called := false
		for c := max(0, t-refineTokens); c+1 < f; c++ {
			if tt[c].Sym == fingerprint.SymIdent && tt[c].Exact == tt[name].Exact && tt[c+1].Sym == symParen &&
				tt[c].Line >= tt[f-1].Line-1 {
				called = true
			}
		}
		if !called {
			continue
		}
		// The body: from the first "{" outside parentheses to its match.
		open, d := int32(-1), 0
		for j := name + 1; j < n; j++ {
			if d == 0 && tt[j].Sym == symBrace {
				open = j
				break
			}
			if d += tt[j].Bracket(); d < 0 {
				break
			}
		}
		if open < 0 {
			continue
		}
		closeAt := int32(fingerprint.Matching(tt, int(open)))
		if closeAt <= open+1 {
			continue // empty, or never closed
		}
		body := tt[open+1 : closeAt]
		// The nearest run of the source that is the body, then closes.
		best, bestDist := -1, int32(extractedLines+1)
		for s0 := range len(src) - len(body) {
			dist := src[s0].Line - smax
			if dist < 0 {
				dist = -dist
			}
			if dist > extractedLines || dist >= bestDist || src[s0+len(body)].Sym != symClose {
				continue
			}
			exact := 0
			for i, tk := range body {
				if tk.Sym != src[s0+i].Sym {
					exact = -1
					break
				}
				if tk.Exact == src[s0+i].Exact {
					exact++
				}
			}
			if exact >= 0 && float64(exact) >= bridgeExact*float64(len(body)) {
				best, bestDist = s0, dist
			}
		}
		if best < 0 {
			return 0, 0, false
		}
		return closeAt + 1, best + len(body), true
	}
	return 0, 0, false
}

// extractedLines is how far from the copy's last source line the body of
// an extracted function is looked for.
const extractedLines = 4

// Weak regions: a small copy (a function of 10 to 15 lines) keeps only two
// or three fingerprints, fewer after an edit, and falls below MinTokens
// of evidence. Such a region, if it holds at least weakHits hits with
// weakEvidence of the evidence needed, is kept as a candidate and reported
// only when the source's text confirms it: refined and extended like any
// region, it must span weakMinTokens tokens, weakMinLines lines (or
// weakMinLinesVerbatim, on stricter terms) and MinLines lines of code;
// weakAligned of its tokens must align with the source's (anchored on the
// longest run they share; the code its bridges skipped, inserted into the
// copy, left out of this share and the others), its local names must map
// one to one (weakConsistent), its selectors and keys be the source's
// (weakSelectors) and its predeclared names too, but for one pair. The values were tuned on the
// evaluation set (see EVALUATION.md): two hits or half the evidence let
// shared runs of common code in, 8 lines let an error-handling idiom in.
const (
	weakEvidence = 0.6
	weakHits     = 3
	// weakHitsVerbatim is weakHits for a region whose hits all match
	// verbatim: a small function copied as it is keeps one or two
	// fingerprints.
	weakHitsVerbatim = 2
	// A thin region: at least thinHits hits and thinEvidence of the
	// evidence, confirmed only when a run of thinRun of its tokens aligns
	// one after the other: a renamed small function keeps two normalized
	// fingerprints, which weigh less than verbatim ones. A region of a
	// single hit is thin too when the hit is verbatim and its k-gram rare
	// (its full weight, k tokens of evidence): winnowing guarantees one
	// shared fingerprint in a shared run of t = K+W-1 tokens, and a
	// function of t to 45 tokens copied as it is often keeps no more
	// (go-multierror's Flatten).
	thinHits     = 2
	thinEvidence = 0.15
	thinRun      = 0.9
	// weakMinLines is the fewest lines a weak region spans, in the target
	// or in the source, to be confirmed on the checks of any weak region:
	// a shared run of 8 to 10 lines of error checks around a call (open,
	// check, defer close, read, check) is an idiom, not a copy. Every
	// confirmed weak region also holds MinLines lines of code (blank and
	// comment lines not counted) on one side.
	weakMinLines = 11
	// weakMinLinesVerbatim is the fewest lines of a confirmed weak region
	// shorter than weakMinLines: it must be a copy of the source's text
	// all of a piece (weakVerbatimText of its tokens aligned with
	// identical text, in one run, see thinRun), or all its hits rare
	// k-grams (see region.rare).
	weakMinLinesVerbatim = 10
	// weakVerbatimText is the share of a region's tokens that must align
	// with identical text for it to count as the source's text.
	weakVerbatimText = 0.95
	weakAligned      = 0.9
	// anchorRun is the shortest run of tokens that anchors the alignment
	// of a weak region with its source (see lcs.Anchored).
	anchorRun = 8
	// weakMinTokens is the fewest tokens of a confirmed weak region (at
	// most MinTokens).
	weakMinTokens = 30
	// weakConsistent is the share of the aligned local names that must
	// map one to one between target and source.
	weakConsistent = 0.9
	// weakSelectors is the share of the aligned names after a dot that
	// must be equal.
	weakSelectors = 0.9
	// weakPerTarget bounds the weak regions verified for one target, the
	// strongest first.
	weakPerTarget = 32
	// weakMaxTokens is the widest weak region verified: weak regions stand
	// for copies of small functions, and the alignment of a wide one costs
	// time and memory quadratic in its width.
	weakMaxTokens = 400
)

// verifyWeak drops the weak regions of regs that the source's text does
// not confirm, and marks the others strong.
func verifyWeak(t *Target, regs []*region, files map[uint32]*corpus.FileInfo, opts Options) []*region {
	// A weak region beside a strong one adds nothing (it would be an
	// alternate at most): only weak regions on their own are verified.
	var weak, strong []*region
	for _, r := range regs {
		if !r.weak {
			strong = append(strong, r)
		}
	}
	for _, r := range regs {
		if r.weak && !slices.ContainsFunc(strong, func(x *region) bool { return x.first < r.last && r.first < x.last }) {
			weak = append(weak, r)
		}
	}
	slices.SortStableFunc(weak, func(a, b *region) int {
		switch {
		case a.weighted > b.weighted:
			return -1
		case a.weighted < b.weighted:
			return 1
		}
		return 0
	})
	for i, r := range weak {
		if r.last-r.first > weakMaxTokens {
			continue // not a small copy: its fingerprints are too sparse to be one
		}
		if i < weakPerTarget && len(t.Lexed) > 0 && confirmed(t, r, opts.sources.get(files[r.file]), langOf(files[r.file], t.Lang), opts) {
			r.weak = false
		}
	}
	return slices.DeleteFunc(regs, func(r *region) bool { return r.weak })
}

// langOf returns the language of corpus file f, or def if f is missing.
func langOf(f *corpus.FileInfo, def fingerprint.Lang) fingerprint.Lang {
	if f == nil {
		return def
	}
	return f.Lang
}

// confirmed reports whether the source's tokens (of language srcLang)
// confirm a weak region.
func confirmed(t *Target, r *region, src []fingerprint.Token, srcLang fingerprint.Lang, opts Options) bool {
	if len(src) == 0 {
		return false
	}
	// Not across an extracted function: its call and header would count
	// as tokens the source does not have (the finding's edges are refined
	// again, with it, once the region is confirmed).
	rf, rl := r.first, r.last
	head, tail := refine(t.Lexed, r.first, r.last, src, r.smin, r.smax, int32(opts.k), srcLang, opts.refineMode(refineBridges))
	if head.ok {
		rf = head.pos
	}
	tailS := int32(0) // the source line where the tail ends
	if tail.ok {
		rl, tailS = tail.pos, tail.sline
		// Going forward, the code past a gap must be at least as long as
		// the gap: a bridge to an error check after inserted lines
		// (if err != nil { t.Fatal(err) }, 12 tokens alike anywhere)
		// carried an idiom of pipes and closes into a confirmed copy.
		// (Going back, the code past the gap is a merged body's header,
		// short by nature.) The tail ends before the gap; the gaps stay
		// in the count, should extend widen the range over them again.
		for gi, g := range tail.gaps {
			next := tail.pos
			if gi+1 < len(tail.gaps) {
				next = tail.gaps[gi+1][0]
			}
			if next-g[1] < g[1]-g[0] {
				rl = max(g[0], r.last)
				if l, ok := tail.tailLine(t.Lexed, rl); ok {
					tailS = l
				}
				break
			}
		}
	}
	first, last := extend(t.Lexed, rf, rl, opts.k, opts.extendLimit, opts.snapLimit)
	// n tokens, of which the bridges skipped gap: code inserted into the
	// copy (the checks and logging around a merged body), which the
	// shares below do not count, nor the pairs the alignment makes in it
	// (m is what is left). At most half the copy may be inserted code.
	n := int(last - first)
	var gaps [][2]int32
	if head.ok {
		gaps = append(gaps, head.gaps...)
	}
	if tail.ok {
		gaps = append(gaps, tail.gaps...)
	}
	inGap := func(t int32) bool {
		for _, g := range gaps {
			if t >= g[0] && t < g[1] {
				return true
			}
		}
		return false
	}
	gap := 0
	for _, g := range gaps {
		gap += int(max(0, min(g[1], last)-max(g[0], first)))
	}
	m := n - gap
	if 2*gap > n {
		return false
	}
	// Lines on either side: a copy reformatted onto fewer lines keeps the
	// source's.
	tlines := t.Lexed[last-1].EndLine - t.Lexed[first].Line + 1
	slo, shi := r.sourceLines(first, last, int32(opts.k), t.Lexed[first].Line, t.Lexed[last-1].EndLine)
	if l, ok := head.headLine(t.Lexed, first); head.ok && ok {
		slo = l
	}
	if l, ok := tail.tailLine(t.Lexed, last); tail.ok && ok {
		shi = l
	}
	// Lines of code too, without blank and comment lines: MinLines of
	// them, the evaluation's definition of real reuse.
	lines, tcode := int(max(tlines, shi-slo+1)), codeLines(t.Lexed[first:last])
	if gap > 0 {
		// The target's lines hold the inserted code: the source's count.
		lines, tcode = int(shi-slo+1), 0
	}
	minTokens := min(opts.MinTokens, weakMinTokens)
	if r.endsDeclaration(last, int32(opts.k)) {
		// A whole declaration, too small for winnowing's guarantee, found
		// by the k-gram that ends it: as long as that k-gram, and the
		// source's text (below).
		minTokens = opts.k
	}
	if m < minTokens || int(tlines) < opts.MinLines || lines < weakMinLinesVerbatim ||
		max(tcode, sourceCodeLines(src, slo, shi)) < opts.MinLines {
		return false
	}
	lo, hi := r.smin-refineLines, r.smax+refineLines
	if head.ok {
		lo = head.sline - refineLines
	}
	if tail.ok {
		hi = tailS + refineLines
	}
	ta := t.Lexed[first:last]
	var sb []fingerprint.Token
	var sbAt []int // index in src of each token of sb
	for i := firstToken(src, lo); i < len(src) && src[i].Line <= hi; i++ {
		if src[i].EndLine <= hi {
			sb, sbAt = append(sb, src[i]), append(sbAt, i)
		}
	}
	a, b := make([]uint32, len(ta)), make([]uint32, len(sb))
	for i, tk := range ta {
		a[i] = tk.Sym
	}
	for i, tk := range sb {
		b[i] = tk.Sym
	}
	// At least weakAligned*n aligned tokens means at most this many
	// insertions and deletions: past it, the alignment cannot pass.
	need := int(weakAligned*float64(m) + 0.999)
	maxEdits := n + len(b) - 2*need
	if maxEdits < 0 || len(b) > 3*n+400 {
		return false
	}
	// Anchored on the longest shared run: a copy's tokens aligned in one
	// piece, not spread over a similar function beside its source (for
	// the thin run and the names below).
	pairs := lcs.Anchored(a, b, maxEdits, anchorRun)
	if gap > 0 {
		pairs = slices.DeleteFunc(pairs, func(p [2]int) bool { return inGap(first + int32(p[0])) })
	}
	if len(pairs) < need {
		return false
	}
	if r.thin || lines < weakMinLines {
		// A region of two fingerprints with little evidence is taken only
		// for a copy all of a piece: a run of tokens aligned one after the
		// other holding most of it.
		run, best := 1, 1
		for k := 1; k < len(pairs); k++ {
			if pairs[k][0] == pairs[k-1][0]+1 && pairs[k][1] == pairs[k-1][1]+1 {
				run++
				best = max(best, run)
			} else {
				run = 1
			}
		}
		if float64(best) < thinRun*float64(m) {
			return false
		}
	}
	if lines < weakMinLines || len(r.hits) == 1 {
		// Fewer lines than an idiom of error checks takes: only a copy
		// of the same text, names and all, or one whose k-grams are all
		// rare (idioms are found in many files). A region of one
		// verbatim hit must be the source's text however long.
		same := 0
		for _, p := range pairs {
			if ta[p[0]].Exact == sb[p[1]].Exact {
				same++
			}
		}
		if float64(same) < weakVerbatimText*float64(m) && !r.rare() {
			return false
		}
	}
	// Code of the same shape aligns too. A copy also maps its names
	// consistently (renaming is a bijection), and keeps the names after
	// a dot (fields, methods, imported functions) and the keys of keyed
	// elements (Hook{logger: logger}), which renaming local names leaves
	// alone: counted with the selectors, out of the bijection.
	fwd, rev := map[uint32]uint32{}, map[uint32]uint32{}
	names, consistent, sels, selsSame := 0, 0, 0, 0
	otherUniverse := map[[2]uint32]bool{} // pairs of different names, one of them predeclared
	universe := predeclared[t.Lang]
	// Keys from up to keysContext tokens before both sides: the copy may
	// start inside a literal.
	var keysT, keysS []bool
	t0, s0 := max(0, int(first)-keysContext), 0
	if len(sbAt) > 0 {
		s0 = max(0, sbAt[0]-keysContext)
		keysS = fingerprint.Keys(src[s0:sbAt[len(sbAt)-1]+1], nil)
	}
	keysT = fingerprint.Keys(t.Lexed[t0:last], nil)
	for _, p := range pairs {
		x, y := ta[p[0]], sb[p[1]]
		if x.Sym != fingerprint.SymIdent {
			continue
		}
		if fingerprint.IsSelector(ta, p[0]) && fingerprint.IsSelector(sb, p[1]) || keysT[int(first)+p[0]-t0] && keysS[sbAt[p[1]]-s0] {
			sels++
			if x.Exact == y.Exact {
				selsSame++
			}
			continue
		}
		// The language's own names (string, len, nil) are not renamed
		// either: code of the same shape declares other types. One pair
		// may differ (a split's extracted call aligned with a constant, a
		// local named max renamed), however often it occurs.
		if universe[x.Exact] || universe[y.Exact] {
			if x.Exact != y.Exact {
				otherUniverse[[2]uint32{x.Exact, y.Exact}] = true
			}
			continue
		}
		names++
		fx, okx := fwd[x.Exact]
		ry, oky := rev[y.Exact]
		switch {
		case !okx && !oky:
			fwd[x.Exact], rev[y.Exact] = y.Exact, x.Exact
			consistent++
		case okx && oky && fx == y.Exact && ry == x.Exact:
			consistent++
		}
	}
	if names > 0 && float64(consistent) < weakConsistent*float64(names) {
		return false
	}
	if len(otherUniverse) > 1 {
		return false
	}
	return sels == 0 || float64(selsSame) >= weakSelectors*float64(sels)
}

// predeclared holds, per language, the exact hashes of the names a
// program uses without declaring them (Go's universe block: its types,
// constants and built-in functions), which renaming a copy's names
// leaves alone. It is read only.
var predeclared = map[fingerprint.Lang]map[uint32]bool{
	fingerprint.Go: exactSet("any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32", "float64",
		"int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
		"true", "false", "iota", "nil",
		"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min", "new",
		"panic", "print", "println", "real", "recover"),
}

// exactSet returns the set of the Exact hashes of the identifiers names.
func exactSet(names ...string) map[uint32]bool {
	m := make(map[uint32]bool, len(names))
	for _, n := range names {
		m[fingerprint.Tokenize(fingerprint.Go, []byte(n), nil)[0].Exact] = true
	}
	return m
}

// Near-twins: platform variants of one file (stat_linux.go, stat_darwin.go)
// hold the same function with a few lines changed, and a renamed copy of
// one scores about the same against each. When the source's texts can be
// read, the candidate files within twinShare of the best score are
// compared token by token with the target range, and the one sharing the
// most tokens of identical text (the lines where the twins differ) becomes
// the origin.
const (
	twinShare  = 0.9
	twinMax    = 4    // candidates compared
	twinTokens = 1500 // widest target range compared
	// A source window compared holds at most twinWindow times the target
	// range's tokens plus twinSlack: room for regions stretched over code
	// of the same shape around the copy (5,800 tokens for a range of 200
	// in generated field arithmetic, where the comparison still picks the
	// twin of most verbatim text), not for a whole generated file, whose
	// alignment would take time with the square of its width.
	twinWindow = 4
	twinSlack  = 6000
)

// preferTextual reorders ids (sorted by score, best first) so that among
// the near-twins of the best the one whose text agrees most with the
// target comes first.
func preferTextual(t *Target, ids []uint32, score func(uint32) int, byFile map[uint32][]*region, files map[uint32]*corpus.FileInfo, opts Options) []uint32 {
	if len(ids) < 2 || opts.sources == nil || len(t.Lexed) == 0 {
		return ids
	}
	top := score(ids[0])
	n := 1
	for n < len(ids) && n < twinMax && float64(score(ids[n])) >= twinShare*float64(top) {
		n++
	}
	if n < 2 {
		return ids
	}
	best, bestAgree := 0, -1
	for i := range n {
		regs := byFile[ids[i]]
		first, last := regs[0].first, regs[0].last
		smin, smax := regs[0].smin, regs[0].smax
		for _, r := range regs[1:] {
			first, last = min(first, r.first), max(last, r.last)
			smin, smax = min(smin, r.smin), max(smax, r.smax)
		}
		agree := textAgreement(t, first, last, smin, smax, opts.sources.get(files[ids[i]]), opts)
		if agree < 0 {
			return ids // a text missing: no fair comparison
		}
		if agree > bestAgree {
			best, bestAgree = i, agree
		}
	}
	if best == 0 {
		return ids
	}
	out := append([]uint32{ids[best]}, ids[:best]...)
	return append(out, ids[best+1:]...)
}

// textAgreement counts the target tokens of [first, last) (and the last
// k-gram's) that align with identical text with the source's tokens of
// lines smin..smax; -1 when the source's text is missing or either range
// is too wide to compare (see twinTokens, twinWindow).
func textAgreement(t *Target, first, last, smin, smax int32, src []fingerprint.Token, opts Options) int {
	agree, _, _ := textDice(t, first, last, smin, smax, src, opts)
	return agree
}

// textDice is textAgreement that also returns the number of target and
// source tokens compared.
func textDice(t *Target, first, last, smin, smax int32, src []fingerprint.Token, opts Options) (agree, na, nb int) {
	last = min(last+int32(opts.k), int32(len(t.Lexed))) // the last k-gram's tokens
	if len(src) == 0 || last-first > twinTokens {
		return -1, 0, 0
	}
	// The source's tokens within lines smin..smax: a run of src (tokens
	// follow one another, their lines with them).
	ta := t.Lexed[first:last]
	wide := twinWindow*len(ta) + twinSlack
	i := firstToken(src, smin)
	j := i
	for j < len(src) && src[j].EndLine <= smax {
		if j-i == wide {
			return -1, 0, 0
		}
		j++
	}
	sb := src[i:j]
	for _, p := range lcs.Align(syms(ta), syms(sb), 2*len(ta)+len(sb)) {
		if ta[p[0]].Exact == sb[p[1]].Exact {
			agree++
		}
	}
	return agree, len(ta), len(sb)
}

// sameFileShare is the share of the best region's coverage a region of
// the same file needs for bestRegion to compare their texts.
const sameFileShare = 0.9

// elsewhere reports whether regions a and b map to different places of
// their file: their source lines overlap by at most a quarter of the
// shorter span (two similar functions, not pieces of one).
func elsewhere(a, b *region) bool {
	ov := min(a.smax, b.smax) - max(a.smin, b.smin) + 1
	return 4*ov <= min(a.smax-a.smin, b.smax-b.smin)+1
}

// bestRegion returns the region of rs (one corpus file's) that becomes
// the finding: the one of most verbatim and total coverage, unless the
// source's text says otherwise: among the regions within sameFileShare of it
// that cover mostly the same target lines (the copy of one of two similar
// functions of the file, matched to both), the one whose text agrees most
// with the target's.
func bestRegion(t *Target, rs []*region, files map[uint32]*corpus.FileInfo, opts Options) *region {
	best := mostCovered(rs)
	if len(rs) < 2 || opts.sources == nil || len(t.Lexed) == 0 {
		return best
	}
	top := float64(best.covered + best.exactCovered)
	var cands []*region
	for _, x := range rs {
		if x == best || float64(x.covered+x.exactCovered) >= sameFileShare*top && overlaps(x, best) && elsewhere(x, best) {
			cands = append(cands, x)
		}
	}
	if len(cands) < 2 {
		return best
	}
	// The same target tokens, all the candidates cover, against each
	// candidate's source lines widened to as many lines.
	first, last, tmin, tmax := best.first, best.last, best.tmin, best.tmax
	for _, x := range cands {
		first, last, tmin, tmax = min(first, x.first), max(last, x.last), min(tmin, x.tmin), max(tmax, x.tmax)
	}
	// The measure is the Dice coefficient of the tokens of identical text,
	// so that a wider source window does not win by its size.
	src := opts.sources.get(files[best.file])
	pick, bestDice := best, -1.0
	for _, x := range cands {
		agree, na, nb := textDice(t, first, last, x.smin-(x.tmin-tmin)-2, x.smax+(tmax-x.tmax)+2, src, opts)
		if agree < 0 {
			return best
		}
		dice := 2 * float64(agree) / float64(max(na+nb, 1))
		if dice > bestDice || dice == bestDice && x == best {
			pick, bestDice = x, dice
		}
	}
	return pick
}

// codeLines returns the number of lines on which toks has tokens: the
// lines of code of a range, without its blank and comment lines.
func codeLines(toks []fingerprint.Token) int {
	n, last := 0, int32(-1)
	for _, tk := range toks {
		if tk.Line != last {
			n++
			last = tk.Line
		}
	}
	return n
}

// sourceCodeLines returns the number of lines of lo..hi on which src has
// tokens.
func sourceCodeLines(src []fingerprint.Token, lo, hi int32) int {
	i := firstToken(src, lo)
	j := i
	for j < len(src) && src[j].Line <= hi {
		j++
	}
	return codeLines(src[i:j])
}

// rare reports whether r has two hits or more and all of them are of
// k-grams held by at most rareDF corpus files (verbatim or normalized, as
// each hit counts).
func (r *region) rare() bool {
	for _, h := range r.hits {
		if h.weight < 1 {
			return false
		}
	}
	return len(r.hits) >= 2
}

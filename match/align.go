package match

// Align edges, with the source's text. Winnowed fingerprints leave the
// first and last K+W/2 tokens of a copy uncovered on average: the k-grams
// that straddle the copy's edges hold host code on one side and other
// source code on the other, so no hit marks where the copy starts and
// ends. When the corpus file's text can be read (Options.SourceText), each
// edge of a region is aligned token by token with the source around it,
// and moved outward as far as the alignment holds: an X-drop extension (as
// in BLAST) over the longest common subsequence of the normalized symbols
// (identifiers all alike), each aligned token scoring +1 and each token
// left unaligned on either side -refinePenalty, ending at the best score
// before it drops by refineXDrop. The alignment also gives the exact
// source line of each new edge. Extensions cross code inserted into a copy
// (bridge.go); the edges are then fitted to the target's brackets
// (extend.go). Input: a region and its source's tokens; output: its edges
// (target tokens and source lines).

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
)

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
// the k-gram length of the region's hits; ends are the source tokens that
// end a declaration (see declEnds).
func refine(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, ends []int32, smin, smax int32, k int32, mode int) (head, tail edge) {
	if len(src) == 0 || first >= last {
		return
	}
	nb := 0
	if mode&refineBridges != 0 {
		nb = bridgeMax
	}
	top := newTopLevel(firstToken(src, smin), last-k, ends)
	tail = refineTail(tt, first, last, src, smin, smax, top, nb, mode&refineExtracted != 0)
	head = refineHead(tt, first, last, src, smin, smax, top, nb)
	return head, tail
}

// refineTail is refine's tail: aligned (alignTail), then carried across
// up to nb bridges, then over an extracted function if withExtracted.
func refineTail(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax int32, top topLevel, nb int, withExtracted bool) edge {
	end, s, path := alignTail(tt, first, last, src, top, smin, smax, nil)
	var gaps [][2]int32
	for b := 0; end >= 0 && b < nb && !top.closes(s); b++ {
		t0, s0, n, ok := bridge(tt, src, end, s+1, +1, top)
		if !ok {
			break
		}
		if t0 > end {
			gaps = append(gaps, [2]int32{end, t0})
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
	if withExtracted {
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
		return edge{pos: end, sline: src[s].EndLine, ok: true, path: path, gaps: gaps}
	}
	return edge{}
}

// refineHead is refine's head: aligned (alignHead), then carried back
// across up to nb bridges.
func refineHead(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax int32, top topLevel, nb int) edge {
	start, s, path := alignHead(tt, first, last, src, smin, smax, nil)
	var gaps [][2]int32
	for b := 0; start >= 0 && b < nb; b++ {
		t1, s1, n, ok := bridge(tt, src, start-1, s-1, -1, top)
		if !ok {
			break
		}
		if start-1 > t1 {
			gaps = append(gaps, [2]int32{t1 + 1, start})
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
		return edge{pos: start, sline: src[s].Line, ok: true, path: path, gaps: gaps}
	}
	return edge{}
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

// newTopLevel returns the topLevel of a source whose declarations end at
// ends (see declEnds), for tokens from lo on, for a region whose last
// k-gram starts at target token from.
func newTopLevel(lo int, from int32, ends []int32) topLevel {
	return topLevel{ends: ends, lo: lo, from: from}
}

// declEnds returns the tokens of src (of language lang) that end a
// declaration (fingerprint.Decls), in order.
func declEnds(lang fingerprint.Lang, src []fingerprint.Token) []int32 {
	var ends []int32
	for _, d := range fingerprint.Decls(lang, src, nil) {
		ends = append(ends, d.End)
	}
	return ends
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

// crossTokens is how many tokens an extension must align past the end of
// a declaration to go on into the next one (a copy of both, the second
// without a fingerprint of its own): fewer are the next declaration's
// header and a small body of a common shape (20 let a method of a
// println through, after one of its own header).
const crossTokens = 40

// realignHead looks for the start of the target range [first, last) in
// the source lines that end at smax and hold as many lines of code as the
// target's plus refineLines: the source token where the longest run of
// tokens equal to the target's from first begins (the latest of equal
// runs), at least bridgeRun tokens. It returns that token's line when it
// is after smin and its run is longer than any starting on line smin
// (and, unless the range was stretched, the range it leaves holds at
// least 3/4 of the target's lines of code): the start of a copy whose
// source range reached back over a similar function before it.
//
// Lines are counted as lines of code (lines holding tokens) on both
// sides: a copy without its source's comments (a bundle, a file stripped
// of them) spans fewer lines than its source, and its source range is
// not stretched for that; counted in lines, it was, and moved to the
// start of the copy's last blocks.
func realignHead(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax int32) (int32, bool) {
	if len(src) == 0 || first >= last {
		return 0, false
	}
	tcode := int32(codeLines(tt[first:last]))
	lo := max(smin, codeLinesBack(src, smax, tcode+refineLines))
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
	stretched := int32(sourceCodeLines(src, smin, smax)) > tcode+stretchSlack
	if best >= 0 && src[best].Line > smin && bestRun > atStart &&
		(stretched || 4*int32(sourceCodeLines(src, src[best].Line, smax)) >= 3*tcode) {
		return src[best].Line, true
	}
	return 0, false
}

// codeLinesBack returns the first of the n lines of code of src (lines
// holding tokens) that end with line smax, or the first line of src when
// it holds fewer.
func codeLinesBack(src []fingerprint.Token, smax, n int32) int32 {
	count, line := int32(0), int32(-1)
	for i := firstToken(src, smax+1) - 1; i >= 0; i-- {
		if src[i].Line != line {
			line = src[i].Line
			if count++; count == n {
				return line
			}
		}
	}
	return max(line, 1)
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

// extent is where a finding lies: its target lines and tokens, its
// source lines, and the target tokens its hits cover.
type extent struct {
	tmin, tmax, smin, smax int32
	first, last            int32 // the target tokens, when they are known
	span                   int
	covered, exactCovered  int
	bytes                  [2]int
	src                    []fingerprint.Token // the source's tokens, if read
}

// place returns the extent of the finding of region r, whose corpus file
// is fi: its edges aligned with the source's text (refine), fitted to the
// target's brackets (extend), and mapped to source lines; the region's
// own extent when the target's tokens are not known.
func place(t *Target, r *region, fi *corpus.FileInfo, opts Options) extent {
	e := extent{tmin: r.tmin, tmax: r.tmax, smin: r.smin, smax: r.smax, span: r.span(), covered: r.covered, exactCovered: r.exactCovered}
	if len(t.Lexed) == 0 {
		return e
	}
	rf, rl := r.first, r.last
	e.src = opts.sources.get(fi)
	head, tail := refine(t.Lexed, r.first, r.last, e.src, opts.sources.ends(fi, e.src), r.smin, r.smax, int32(opts.k), opts.refineMode(refineBridges|refineExtracted))
	snap := opts.snapLimit
	if len(e.src) == 0 {
		snap *= 2 // no alignment placed the edges: snap them further
	}
	if head.ok {
		rf = head.pos
	}
	if tail.ok {
		rl = tail.pos
	}
	first, last := extend(t.Lexed, rf, rl, opts.k, opts.extendLimit, snap)
	e.first, e.last = first, last
	dStart := t.Lexed[first].Line - t.Lexed[r.first].Line
	dEnd := t.Lexed[last-1].EndLine - t.Lexed[r.last-1].EndLine
	e.tmin, e.tmax = e.tmin+dStart, e.tmax+dEnd
	e.smin, e.smax = r.sourceLines(first, last, int32(opts.k), e.tmin, e.tmax)
	// An edge the alignment placed has its exact source line,
	// moved by the lines extend added or removed beside it.
	if l, ok := head.headLine(t.Lexed, first); head.ok && ok {
		e.smin = max(1, l)
	}
	if l, ok := tail.tailLine(t.Lexed, last); tail.ok && ok {
		e.smax = l
	}
	// A source range that took in a similar function before the
	// copy's source (its first hits matched it) starts again where
	// the target's first tokens match longest.
	if l, ok := realignHead(t.Lexed, first, last, e.src, e.smin, e.smax); ok {
		e.smin = l
	}
	if fi != nil && fi.Lines > 0 {
		e.smax = min(e.smax, int32(fi.Lines))
		e.smin = min(e.smin, e.smax)
	}
	e.span = int(last - first)
	e.covered, e.exactCovered = r.coverage(first, last, int32(opts.k))
	e.bytes = [2]int{int(t.Lexed[first].Off), int(t.Lexed[last-1].End)}
	return e
}

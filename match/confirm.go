package match

// Confirm: weak regions (too little evidence to report on their
// fingerprints alone) become regions like the others, or are dropped, by
// the source's text. Input: a target's regions, weak and strong; output:
// the strong ones and the weak ones the text confirms.

import (
	"slices"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/lcs"
)

// keysContext is how many tokens before a small copy are read to tell
// the keys of its literals (fingerprint.Keys).
const keysContext = 512

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
		if i < weakPerTarget && len(t.Lexed) > 0 && confirmed(t, r, files[r.file], opts) {
			r.weak = false
		}
	}
	return slices.DeleteFunc(regs, func(r *region) bool { return r.weak })
}

// confirmed reports whether the tokens of the source, corpus file fi,
// confirm a weak region: refined and extended, it is big enough (see
// weakCopy.bigEnough), aligns with the source (aligns), all of a piece
// when it is thin or short (inOnePiece), the source's text when it is
// shorter still or of one hit (sameText), and keeps the source's names
// (namesKept).
func confirmed(t *Target, r *region, fi *corpus.FileInfo, opts Options) bool {
	src := opts.sources.get(fi)
	if len(src) == 0 {
		return false
	}
	w := refineWeak(t, r, src, opts.sources.ends(fi, src), opts)
	if !w.bigEnough() || !w.aligns() {
		return false
	}
	if (r.thin || w.lines < weakMinLines) && !w.inOnePiece() {
		return false
	}
	if (w.lines < weakMinLines || len(r.hits) == 1) && !w.sameText() {
		return false
	}
	return w.namesKept()
}

// weakCopy is a weak region being confirmed: its edges refined with the
// source's text and extended, and, as the checks go, its alignment with
// the source.
type weakCopy struct {
	t          *Target
	r          *region
	src        []fingerprint.Token
	opts       Options
	head, tail edge
	tailS      int32 // the source line where the tail ends, if tail.ok
	// first and last are the copy's target tokens; n their number, of
	// which gap are code inserted into the copy (in gaps), m the rest.
	first, last int32
	gaps        [][2]int32
	n, gap, m   int
	lines       int // lines of the copy: the longer side, or the source's when code was inserted
	ta          []fingerprint.Token
	sb          []fingerprint.Token // the source's tokens around the copy's lines
	sbAt        []int               // index in src of each token of sb
	pairs       [][2]int            // aligned tokens of ta and sb, outside the gaps
}

// refineWeak refines the edges of weak region r with the source's
// tokens and extends them to the target's brackets. Not across an
// extracted function: its call and header would count as tokens the
// source does not have (the finding's edges are refined again, with it,
// once the region is confirmed).
func refineWeak(t *Target, r *region, src []fingerprint.Token, ends []int32, opts Options) *weakCopy {
	w := &weakCopy{t: t, r: r, src: src, opts: opts}
	rf, rl := r.first, r.last
	w.head, w.tail = refine(t.Lexed, r.first, r.last, src, ends, r.smin, r.smax, int32(opts.k), opts.refineMode(refineBridges))
	if w.head.ok {
		rf = w.head.pos
	}
	if w.tail.ok {
		rl, w.tailS = w.tail.pos, w.tail.sline
		rl = w.cutTail(rl)
	}
	w.first, w.last = extend(t.Lexed, rf, rl, opts.k, opts.extendLimit, opts.snapLimit)
	return w
}

// cutTail returns where the refined tail rl ends: going forward, the code
// past a gap must be at least as long as the gap: a bridge to an error
// check after inserted lines (if err != nil { t.Fatal(err) }, 12 tokens
// alike anywhere) carried an idiom of pipes and closes into a confirmed
// copy. (Going back, the code past the gap is a merged body's header,
// short by nature.) The tail ends before the gap; the gaps stay in the
// count, should extend widen the range over them again.
func (w *weakCopy) cutTail(rl int32) int32 {
	tail := w.tail
	for gi, g := range tail.gaps {
		next := tail.pos
		if gi+1 < len(tail.gaps) {
			next = tail.gaps[gi+1][0]
		}
		if next-g[1] < g[1]-g[0] {
			rl = max(g[0], w.r.last)
			if l, ok := tail.tailLine(w.t.Lexed, rl); ok {
				w.tailS = l
			}
			break
		}
	}
	return rl
}

// inGap reports whether target token t is code inserted into the copy.
func (w *weakCopy) inGap(t int32) bool {
	for _, g := range w.gaps {
		if t >= g[0] && t < g[1] {
			return true
		}
	}
	return false
}

// bigEnough reports whether the copy is as long as a confirmed weak
// region must be: n tokens, of which the bridges skipped gap: code
// inserted into the copy (the checks and logging around a merged body),
// which the shares of the later checks do not count, nor the pairs the
// alignment makes in it (m is what is left). At most half the copy may
// be inserted code. It must hold weakMinTokens tokens besides (K for a
// whole small declaration), MinLines target lines, weakMinLinesVerbatim
// lines on either side, and MinLines lines of code.
func (w *weakCopy) bigEnough() bool {
	t, first, last, opts := w.t, w.first, w.last, w.opts
	w.n = int(last - first)
	if w.head.ok {
		w.gaps = append(w.gaps, w.head.gaps...)
	}
	if w.tail.ok {
		w.gaps = append(w.gaps, w.tail.gaps...)
	}
	for _, g := range w.gaps {
		w.gap += int(max(0, min(g[1], last)-max(g[0], first)))
	}
	w.m = w.n - w.gap
	if 2*w.gap > w.n {
		return false
	}
	// Lines on either side: a copy reformatted onto fewer lines keeps the
	// source's.
	tlines := t.Lexed[last-1].EndLine - t.Lexed[first].Line + 1
	slo, shi := w.r.sourceLines(first, last, int32(opts.k), t.Lexed[first].Line, t.Lexed[last-1].EndLine)
	if l, ok := w.head.headLine(t.Lexed, first); w.head.ok && ok {
		slo = l
	}
	if l, ok := w.tail.tailLine(t.Lexed, last); w.tail.ok && ok {
		shi = l
	}
	// Lines of code too, without blank and comment lines: MinLines of
	// them, the evaluation's definition of real reuse.
	lines, tcode := int(max(tlines, shi-slo+1)), codeLines(t.Lexed[first:last])
	if w.gap > 0 {
		// The target's lines hold the inserted code: the source's count.
		lines, tcode = int(shi-slo+1), 0
	}
	w.lines = lines
	minTokens := min(opts.MinTokens, weakMinTokens)
	if w.r.endsDeclaration(last, int32(opts.k)) {
		// A whole declaration, too small for winnowing's guarantee, found
		// by the k-gram that ends it: as long as that k-gram, and the
		// source's text (below).
		minTokens = opts.k
	}
	return w.m >= minTokens && int(tlines) >= opts.MinLines && lines >= weakMinLinesVerbatim &&
		max(tcode, sourceCodeLines(w.src, slo, shi)) >= opts.MinLines
}

// aligns reports whether weakAligned of the copy's tokens (but the
// inserted code) align with the source's tokens around its lines,
// anchored on the longest shared run: a copy's tokens aligned in one
// piece, not spread over a similar function beside its source.
func (w *weakCopy) aligns() bool {
	lo, hi := w.r.smin-refineLines, w.r.smax+refineLines
	if w.head.ok {
		lo = w.head.sline - refineLines
	}
	if w.tail.ok {
		hi = w.tailS + refineLines
	}
	w.ta = w.t.Lexed[w.first:w.last]
	for i := firstToken(w.src, lo); i < len(w.src) && w.src[i].Line <= hi; i++ {
		if w.src[i].EndLine <= hi {
			w.sb, w.sbAt = append(w.sb, w.src[i]), append(w.sbAt, i)
		}
	}
	a, b := syms(w.ta), syms(w.sb)
	// At least weakAligned*n aligned tokens means at most this many
	// insertions and deletions: past it, the alignment cannot pass.
	need := int(weakAligned*float64(w.m) + 0.999)
	maxEdits := w.n + len(b) - 2*need
	if maxEdits < 0 || len(b) > 3*w.n+400 {
		return false
	}
	w.pairs = lcs.Anchored(a, b, maxEdits, anchorRun)
	if w.gap > 0 {
		w.pairs = slices.DeleteFunc(w.pairs, func(p [2]int) bool { return w.inGap(w.first + int32(p[0])) })
	}
	return len(w.pairs) >= need
}

// inOnePiece reports whether a run of tokens aligned one after the other
// holds thinRun of the copy: a region of two fingerprints with little
// evidence is taken only for a copy all of a piece.
func (w *weakCopy) inOnePiece() bool {
	pairs := w.pairs
	run, best := 1, 1
	for k := 1; k < len(pairs); k++ {
		if pairs[k][0] == pairs[k-1][0]+1 && pairs[k][1] == pairs[k-1][1]+1 {
			run++
			best = max(best, run)
		} else {
			run = 1
		}
	}
	return float64(best) >= thinRun*float64(w.m)
}

// sameText reports whether the copy is the source's text, names and all
// (weakVerbatimText of its tokens aligned with identical text), or its
// k-grams are all rare (idioms are found in many files): what a copy of
// fewer lines than an idiom of error checks takes, and a region of one
// verbatim hit however long.
func (w *weakCopy) sameText() bool {
	same := 0
	for _, p := range w.pairs {
		if w.ta[p[0]].Exact == w.sb[p[1]].Exact {
			same++
		}
	}
	return float64(same) >= weakVerbatimText*float64(w.m) || w.r.rare()
}

// namesKept reports whether the copy keeps the source's names as a copy
// does. Code of the same shape aligns too. A copy also maps its names
// consistently (renaming is a bijection), and keeps the names after a dot
// (fields, methods, imported functions) and the keys of keyed elements
// (Hook{logger: logger}), which renaming local names leaves alone:
// counted with the selectors, out of the bijection.
func (w *weakCopy) namesKept() bool {
	ta, sb := w.ta, w.sb
	fwd, rev := map[uint32]uint32{}, map[uint32]uint32{}
	names, consistent, sels, selsSame := 0, 0, 0, 0
	otherUniverse := map[[2]uint32]bool{} // pairs of different names, one of them predeclared
	universe := predeclared[w.t.Lang]
	isKey := w.keys()
	for _, p := range w.pairs {
		x, y := ta[p[0]], sb[p[1]]
		if x.Sym != fingerprint.SymIdent {
			continue
		}
		if fingerprint.IsSelector(ta, p[0]) && fingerprint.IsSelector(sb, p[1]) || isKey(p) {
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

// keys returns whether an aligned pair of tokens are keys of keyed
// elements on both sides (fingerprint.Keys), told from up to keysContext
// tokens before both sides: the copy may start inside a literal.
func (w *weakCopy) keys() func(p [2]int) bool {
	var keysT, keysS []bool
	t0, s0 := max(0, int(w.first)-keysContext), 0
	if len(w.sbAt) > 0 {
		s0 = max(0, w.sbAt[0]-keysContext)
		keysS = fingerprint.Keys(w.src[s0:w.sbAt[len(w.sbAt)-1]+1], nil)
	}
	keysT = fingerprint.Keys(w.t.Lexed[t0:w.last], nil)
	return func(p [2]int) bool {
		return keysT[int(w.first)+p[0]-t0] && keysS[w.sbAt[p[1]]-s0]
	}
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

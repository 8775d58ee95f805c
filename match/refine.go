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
// read (or is not what was indexed).
func (s *sourceTokens) get(f *corpus.FileInfo) []fingerprint.Token {
	if s == nil || s.read == nil || f == nil {
		return nil
	}
	if toks, ok := s.cache[f.ID]; ok {
		return toks
	}
	var toks []fingerprint.Token
	if data := s.read(f); data != nil && corpus.Sum(data) == f.Sum {
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
}

// refine aligns the edges of the target tokens [first, last), copied from
// source lines smin..smax of src, and returns the extended edges. Only
// extensions are returned: an edge the alignment would move inward keeps
// its place (ok false).
func refine(tt []fingerprint.Token, first, last int32, src []fingerprint.Token, smin, smax int32) (head, tail edge) {
	if len(src) == 0 || first >= last {
		return
	}
	// Source token ranges around each edge: the tokens within refineLines
	// of its line, and at most refineTokens on each side of it, so that
	// dense code (tables, generated code) keeps the alignment small.
	lineRange := func(lo, hi, at int32) (int, int) {
		i := 0
		for i < len(src) && src[i].EndLine < lo {
			i++
		}
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
	syms := func(ts []fingerprint.Token) []uint32 {
		out := make([]uint32, len(ts))
		for i, t := range ts {
			out[i] = t.Sym
		}
		return out
	}
	n := int32(len(tt))

	// Tail: target [last-R, last+R) against the source around smax.
	ta, tb := max(first, last-refineTokens), min(n, last+refineTokens)
	si, sj := lineRange(max(smin, smax-refineLines), smax+refineLines, smax+1)
	if ta < tb && si < sj {
		pairs := lcs.Align(syms(tt[ta:tb]), syms(src[si:sj]), refineMaxEdits)
		// Start from the last aligned token inside the region.
		start := -1
		for k, p := range pairs {
			if ta+int32(p[0]) < last {
				start = k
			}
		}
		if start >= 0 {
			best, score, bestScore := start, 0, 0
			for k := start + 1; k < len(pairs); k++ {
				gap := (pairs[k][0] - pairs[k-1][0] - 1) + (pairs[k][1] - pairs[k-1][1] - 1)
				score += 1 - refinePenalty*gap
				if score > bestScore {
					best, bestScore = k, score
				}
				if score < bestScore-refineXDrop {
					break
				}
			}
			if p := pairs[best]; ta+int32(p[0])+1 > last {
				tail = edge{pos: ta + int32(p[0]) + 1, sline: src[si+p[1]].EndLine, ok: true}
			}
		}
	}

	// Head: target [first-R, first+R) against the source around smin.
	ha, hb := max(0, first-refineTokens), min(last, first+refineTokens)
	si, sj = lineRange(smin-refineLines, min(smax, smin+refineLines), smin)
	if ha < hb && si < sj {
		pairs := lcs.Align(syms(tt[ha:hb]), syms(src[si:sj]), refineMaxEdits)
		start := -1
		for k := len(pairs) - 1; k >= 0; k-- {
			if ha+int32(pairs[k][0]) >= first {
				start = k
			}
		}
		if start >= 0 {
			best, score, bestScore := start, 0, 0
			for k := start - 1; k >= 0; k-- {
				gap := (pairs[k+1][0] - pairs[k][0] - 1) + (pairs[k+1][1] - pairs[k][1] - 1)
				score += 1 - refinePenalty*gap
				if score > bestScore {
					best, bestScore = k, score
				}
				if score < bestScore-refineXDrop {
					break
				}
			}
			if p := pairs[best]; ha+int32(p[0]) < first {
				head = edge{pos: ha + int32(p[0]), sline: src[si+p[1]].Line, ok: true}
			}
		}
	}
	return head, tail
}

// Weak regions: a small copy (a function of 10 to 15 lines) keeps only two
// or three fingerprints, fewer after an edit, and falls below MinTokens
// of evidence. Such a region, if it holds at least weakHits hits with
// weakEvidence of the evidence needed, is kept as a candidate and reported
// only when the source's text confirms it: refined and extended like any
// region, it must span MinTokens tokens and weakMinLines lines,
// weakAligned of its tokens must align with the source's, its local names
// must map one to one (weakConsistent) and its selectors be the source's
// (weakSelectors). The values were tuned on the evaluation set (see
// EVALUATION.md): two hits or half the evidence let shared runs of common
// code in, 8 lines let an error-handling idiom in.
const (
	weakEvidence = 0.6
	weakHits     = 3
	// weakMinLines is the fewest target lines a confirmed weak region
	// spans: a shared run of 8 to 10 lines of error checks around a call
	// (open, check, defer close, read, check) is an idiom, not a copy.
	weakMinLines = 11
	weakAligned  = 0.9
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
		if i < weakPerTarget && len(t.Lexed) > 0 && confirmed(t, r, opts.sources.get(files[r.file]), opts) {
			r.weak = false
		}
	}
	return slices.DeleteFunc(regs, func(r *region) bool { return r.weak })
}

// confirmed reports whether the source's tokens confirm a weak region.
func confirmed(t *Target, r *region, src []fingerprint.Token, opts Options) bool {
	if len(src) == 0 {
		return false
	}
	rf, rl := r.first, r.last
	head, tail := refine(t.Lexed, r.first, r.last, src, r.smin, r.smax)
	if head.ok {
		rf = head.pos
	}
	if tail.ok {
		rl = tail.pos
	}
	first, last := extend(t.Lexed, rf, rl, opts.k, opts.extendLimit, opts.snapLimit)
	n := int(last - first)
	if n < opts.MinTokens || int(t.Lexed[last-1].EndLine-t.Lexed[first].Line+1) < max(opts.MinLines, weakMinLines) {
		return false
	}
	lo, hi := r.smin-refineLines, r.smax+refineLines
	if head.ok {
		lo = head.sline - refineLines
	}
	if tail.ok {
		hi = tail.sline + refineLines
	}
	ta := t.Lexed[first:last]
	var sb []fingerprint.Token
	for _, tk := range src {
		if tk.Line >= lo && tk.EndLine <= hi {
			sb = append(sb, tk)
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
	need := int(weakAligned*float64(n) + 0.999)
	maxEdits := n + len(b) - 2*need
	if maxEdits < 0 || len(b) > 3*n+400 {
		return false
	}
	pairs := lcs.Align(a, b, maxEdits)
	if len(pairs) < need {
		return false
	}
	// Code of the same shape aligns too. A copy also maps its names
	// consistently (renaming is a bijection), and keeps the names after
	// a dot (fields, methods, imported functions), which renaming local
	// names leaves alone.
	fwd, rev := map[uint32]uint32{}, map[uint32]uint32{}
	names, consistent, sels, selsSame := 0, 0, 0, 0
	for _, p := range pairs {
		x, y := ta[p[0]], sb[p[1]]
		if x.Sym != fingerprint.SymIdent {
			continue
		}
		if fingerprint.IsSelector(ta, p[0]) && fingerprint.IsSelector(sb, p[1]) {
			sels++
			if x.Exact == y.Exact {
				selsSame++
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
	return sels == 0 || float64(selsSame) >= weakSelectors*float64(sels)
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
		last = min(last+int32(opts.k), int32(len(t.Lexed))) // the last k-gram's tokens
		src := opts.sources.get(files[ids[i]])
		if len(src) == 0 || last-first > twinTokens {
			return ids // a text missing: no fair comparison
		}
		a := make([]uint32, 0, last-first)
		for _, tk := range t.Lexed[first:last] {
			a = append(a, tk.Sym)
		}
		var b []uint32
		var bt []fingerprint.Token
		for _, tk := range src {
			if tk.Line >= smin && tk.EndLine <= smax {
				b = append(b, tk.Sym)
				bt = append(bt, tk)
			}
		}
		agree := 0
		for _, p := range lcs.Align(a, b, 2*len(a)+len(b)) {
			if t.Lexed[int(first)+p[0]].Exact == bt[p[1]].Exact {
				agree++
			}
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

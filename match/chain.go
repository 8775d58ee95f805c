package match

// Chain: from a target's hits to regions. The hits of one corpus file are
// chained in target order: a hit joins the open region whose source span
// it continues best, within GapLines source lines and GapTokens target
// tokens; a region maps each source k-gram once and counts a repeated
// k-gram's evidence once. Hits at a region's ends that stray from its
// diagonal are pruned. A region is kept when its evidence and hits reach
// the thresholds (Options), or, when the source's text can be read, as a
// weak candidate for confirm.go. Output: the target's regions, in
// corpus-file order.

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/snipscan/snipscan/corpus"
)

// region is a chain of hits of one corpus file.
type region struct {
	file         uint32
	hits         []hit
	tmin, tmax   int32 // target lines
	smin, smax   int32 // source lines
	lastPos      int32
	lastS        int32
	covered      int // target tokens covered by the hits' k-grams
	exactCovered int
	first, last  int32    // first and last token positions covered (last exclusive)
	id           int32    // index of the region within its corpus file's chaining
	seen         *seenSet // source k-grams chained and k-gram identities counted, shared by the file's regions
	weighted     float64  // evidence: covered tokens weighed by rarity, verbatim ones twice
	weak         bool     // below the thresholds: reported only once the source's text confirms it (verifyWeak)
	thin         bool     // weak by the thin rule only (see thinHits): confirmed on stricter terms
}

// srcKey is the key of h's source k-gram: its first and last lines.
func srcKey(h hit) int64 { return int64(h.sline)<<32 | int64(uint32(h.send)) }

// uses reports whether r already holds a hit of h's source k-gram: a
// region maps each source k-gram once, so that a target repeating one
// pattern cannot pile up coverage on a few source lines.
func (r *region) uses(h hit) bool { return r.seen.has(r.id, 0, uint64(srcKey(h))) }

// seenSet records, for the regions of one corpus file, which source
// k-grams they chained and which k-gram identities they counted: one map
// for all of them, reused from file to file.
type seenSet struct {
	m map[seenKey]struct{}
}

type seenKey struct {
	region int32
	kind   int32 // 0: source k-gram, 1: identity
	key    uint64
}

// has reports whether the region's set of kind holds key.
func (s *seenSet) has(region, kind int32, key uint64) bool {
	_, ok := s.m[seenKey{region, kind, key}]
	return ok
}

// add adds key to the region's set of kind.
func (s *seenSet) add(region, kind int32, key uint64) {
	s.m[seenKey{region, kind, key}] = struct{}{}
}

// maxOpen bounds the regions chained at once for one corpus file.
const maxOpen = 32

// chain groups a target's hits by corpus file and chains them into
// regions, keeping those big enough to report.
func chain(t *Target, postings map[uint64]corpus.Hit, k int32, opts Options) []*region {
	hits := hitsOf(t, postings, opts)
	var out []*region
	seen := &seenSet{m: map[seenKey]struct{}{}}
	for i := 0; i < len(hits); {
		j := i
		for j < len(hits) && hits[j].file == hits[i].file {
			j++
		}
		clear(seen.m)
		out = chainFile(hits[i:j], k, opts, seen, out)
		i = j
	}
	return out
}

// chainFile chains the hits of one corpus file (sorted by target
// position) and appends the regions worth reporting to out.
func chainFile(hits []hit, k int32, opts Options, seen *seenSet, out []*region) []*region {
	var open, done []*region
	var nextID int32
	gapT, gapS := int32(opts.GapTokens), int32(opts.GapLines)
	for _, h := range hits {
		open, done = closeBehind(open, done, h.tpos, gapT)
		best := joined(open, h, gapS)
		if best == nil {
			if len(open) >= maxOpen {
				open, done = retireOldest(open, done)
			}
			best = &region{file: h.file, tmin: h.tline, tmax: h.tend, smin: h.sline, smax: h.send, first: h.tpos, last: h.tpos,
				id: nextID, seen: seen}
			nextID++
			open = append(open, best)
		}
		best.add(h, k)
	}
	done = append(done, open...)
	for _, r := range done {
		if r = r.pruneEdges(k); r.kept(k, opts) {
			out = append(out, r)
		}
	}
	return out
}

// closeBehind moves the open regions whose last hit is more than gapT
// target tokens before tpos to done.
func closeBehind(open, done []*region, tpos, gapT int32) ([]*region, []*region) {
	kept := open[:0]
	for _, r := range open {
		if tpos-r.lastPos > gapT {
			done = append(done, r)
		} else {
			kept = append(kept, r)
		}
	}
	return kept, done
}

// joined returns the open region whose source span h continues best
// (within gapS lines of it, nearest its last source line), or nil.
func joined(open []*region, h hit, gapS int32) *region {
	var best *region
	bestDist := int32(1 << 30)
	for _, r := range open {
		if h.sline < r.smin-gapS || h.sline > r.smax+gapS {
			continue
		}
		if h.tpos == r.lastPos && h.sline != r.lastS || r.uses(h) {
			continue // one target k-gram in two source places, or a source k-gram twice
		}
		d := abs32(h.sline - r.lastS)
		if d < bestDist {
			best, bestDist = r, d
		}
	}
	return best
}

// retireOldest moves the open region idle the longest to done.
func retireOldest(open, done []*region) ([]*region, []*region) {
	oldest := 0
	for i, r := range open {
		if r.lastPos < open[oldest].lastPos {
			oldest = i
		}
	}
	done = append(done, open[oldest])
	return append(open[:oldest], open[oldest+1:]...), done
}

// kept reports whether r is worth keeping: a region whose evidence and
// hits reach the thresholds of Options, or, when the source's text can
// be read, a weak one (marked so, and thin too on the thin rules) that
// the text may confirm (see confirm.go).
func (r *region) kept(k int32, opts Options) bool {
	dense := float64(r.covered) >= opts.MinMatched*float64(r.span())
	switch {
	case r.evidence() >= float64(opts.MinTokens) && len(r.hits) >= opts.MinHits && dense:
		return true
	case opts.SourceText != nil && dense && r.evidence() >= weakEvidence*float64(opts.MinTokens) &&
		(len(r.hits) >= weakHits || len(r.hits) >= weakHitsVerbatim && r.allVerbatim()):
		r.weak = true
		return true
	case opts.SourceText != nil && dense && r.evidence() >= thinEvidence*float64(opts.MinTokens) && len(r.hits) >= thinHits:
		r.weak, r.thin = true, true
		return true
	case opts.SourceText != nil && dense && len(r.hits) == 1 && r.allVerbatim() && r.evidence() >= float64(k):
		// One rare verbatim k-gram: all that winnowing guarantees of
		// a copied function of t to 45 tokens (see thinHits), and
		// all that a function of K to t tokens keeps: the k-gram that
		// ends it (see region.endsDeclaration).
		r.weak, r.thin = true, true
		return true
	}
	return false
}

// reversed returns a reversed copy of hs: the neighbour nearest the edge
// first.
func reversed(hs []hit) []hit {
	out := slices.Clone(hs)
	slices.Reverse(out)
	return out
}

// edgeSlack is how far, in lines, an edge hit's source line may stray from
// the line its neighbours predict before it is dropped.
const edgeSlack = 4

// pruneEdges drops hits at either end of the region that do not follow
// the diagonal of their neighbours, or that match only after normalization
// next to verbatim ones: the first k-grams of a copied function often
// match a similar function just before its source as well, and would
// stretch the source range over it. The region is rebuilt from the hits
// it keeps.
func (r *region) pruneEdges(k int32) *region {
	hits := r.hits
	stray := func(h hit, next []hit) bool {
		allExact := true
		for _, n := range next {
			allExact = allExact && n.exact
		}
		// Predict h's source line from its neighbours' trend (a copy
		// reformatted with blank lines between statements drifts).
		a, b := next[0], next[len(next)-1]
		pred := float64(a.sline)
		if dt := b.tline - a.tline; dt != 0 {
			pred += float64(b.sline-a.sline) / float64(dt) * float64(h.tline-a.tline)
		} else {
			pred += float64(h.tline - a.tline)
		}
		off := float64(h.sline) - pred
		// Off the neighbours' line, or a normalized-only match at the edge
		// of verbatim text (a similar function next to the source).
		return off > edgeSlack || off < -edgeSlack || !h.exact && allExact
	}
	const neighbours = 4
	for len(hits) > neighbours+2 && stray(hits[0], hits[1:1+neighbours]) {
		hits = hits[1:]
	}
	for len(hits) > neighbours+2 && stray(hits[len(hits)-1], reversed(hits[len(hits)-1-neighbours:len(hits)-1])) {
		hits = hits[:len(hits)-1]
	}
	if len(hits) == len(r.hits) {
		return r
	}
	h0 := hits[0]
	nr := &region{file: r.file, tmin: h0.tline, tmax: h0.tend, smin: h0.sline, smax: h0.send, first: h0.tpos, last: h0.tpos,
		seen: &seenSet{m: map[seenKey]struct{}{}}}
	for _, h := range hits {
		nr.add(h, k)
	}
	return nr
}

// add appends h to r, updating spans and coverage. Hits arrive in target
// order, so coverage grows by the part of h's k-gram past r.last.
func (r *region) add(h hit, k int32) {
	if len(r.hits) > 0 && h.tpos == r.hits[len(r.hits)-1].tpos {
		return // the same target k-gram twice in this source: count it once
	}
	r.hits = append(r.hits, h)
	r.seen.add(r.id, 0, uint64(srcKey(h)))
	r.tmin, r.tmax = min(r.tmin, h.tline), max(r.tmax, h.tend)
	r.smin, r.smax = min(r.smin, h.sline), max(r.smax, h.send)
	end := h.tpos + k
	gain := end - max(h.tpos, r.last)
	if r.seen.has(r.id, 1, h.ident) {
		// The same k-gram again (a repeated pattern, not verbatim text):
		// it extends the region but adds no evidence of copying.
		gain = 0
		r.last = max(r.last, end)
	}
	r.seen.add(r.id, 1, h.ident)
	if gain > 0 {
		r.covered += int(gain)
		ev := normalizedWeight * float64(gain) * float64(h.weight)
		switch {
		case h.exact:
			r.exactCovered += int(gain)
			ev = float64(gain) * float64(h.weight)
		case h.anchor:
			ev = anchorWeight * float64(gain) * float64(h.weight)
		}
		r.weighted += ev
		r.last = end
	}
	r.lastPos, r.lastS = h.tpos, h.sline
}

// abs32 returns the absolute value of x.
func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// evidence weighs a region's coverage: verbatim tokens and tokens whose
// strings and selectors match count fully, tokens that match only after
// normalization count a quarter (see normalizedWeight), all weighed by the
// rarity of their k-grams.
func (r *region) evidence() float64 { return r.weighted }

// coverage returns how many tokens of [first, last) the region's k-grams
// cover, and how many its verbatim k-grams cover.
func (r *region) coverage(first, last, k int32) (covered, exact int) {
	var end, exactEnd int32 = first, first
	for _, h := range r.hits {
		lo, hi := max(h.tpos, first), min(h.tpos+k, last)
		if lo < max(end, lo) {
			lo = end
		}
		if hi > lo {
			covered += int(hi - lo)
			end = hi
		}
		if h.exact {
			elo := max(max(h.tpos, first), exactEnd)
			if hi > elo {
				exact += int(hi - elo)
				exactEnd = hi
			}
		}
	}
	return covered, exact
}

// sourceLines maps the region's final target range (tokens [first, last),
// lines tmin..tmax, after extend) to source lines: the source lines of the
// hits inside the range, widened at each end by the target lines between
// the edge and the nearest hit when that hit is at the source span's edge
// too (a copy whose order is kept). Hits the edges cut off do not count,
// so a range trimmed at one end cannot map to source lines beyond the
// other.
func (r *region) sourceLines(first, last, k, tmin, tmax int32) (smin, smax int32) {
	var in []hit
	for _, h := range r.hits {
		if h.tpos >= first && h.tpos+k <= last {
			in = append(in, h)
		}
	}
	if len(in) == 0 {
		for _, h := range r.hits {
			if h.tpos >= first && h.tpos < last {
				in = append(in, h)
			}
		}
	}
	if len(in) == 0 {
		return max(r.smin, 1), max(r.smax, r.smin)
	}
	smin, smax = in[0].sline, in[0].send
	for _, h := range in[1:] {
		smin, smax = min(smin, h.sline), max(smax, h.send)
	}
	if h := in[0]; h.sline == smin && h.tline > tmin {
		smin -= h.tline - tmin
	}
	if h := in[len(in)-1]; h.send == smax && h.tend < tmax {
		smax += tmax - h.tend
	}
	return max(smin, 1), max(smax, smin)
}

// span is the number of target tokens from the region's first to its last
// covered token.
func (r *region) span() int { return int(r.last - r.first) }

// endsDeclaration reports whether the region holds a verbatim hit whose
// k-gram ends a declaration in the target at token end: the copy of a
// whole small declaration ends there (see fingerprint.Fingerprint.End).
func (r *region) endsDeclaration(end, k int32) bool {
	for _, h := range r.hits {
		if h.end && h.exact && h.tpos+k == end {
			return true
		}
	}
	return false
}

// allVerbatim reports whether every hit of the region matches verbatim.
func (r *region) allVerbatim() bool {
	for _, h := range r.hits {
		if !h.exact {
			return false
		}
	}
	return true
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

// candidates are what chaining found for one target: its regions, and
// the corpus files of the same normalized content.
type candidates struct {
	regions []*region
	whole   []uint32
}

// batch holds the candidates of a batch of targets, in their order.
type batch []candidates

// files returns the corpus files the candidates of b name, sorted.
func (b batch) files() []uint32 {
	need := map[uint32]bool{}
	for _, c := range b {
		for _, r := range c.regions {
			need[r.file] = true
		}
		for _, id := range c.whole {
			need[id] = true
		}
	}
	ids := make([]uint32, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// chainAll chains the hits of every target, spread over the CPUs
// (chaining is pure), and returns the targets' results, yet without
// findings, and their candidates.
func chainAll(ctx context.Context, targets []Target, postings map[uint64]corpus.Hit, byNorm map[uint64][]uint32, opts Options) ([]Result, batch, error) {
	results := make([]Result, len(targets))
	all := make(batch, len(targets))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ti := int(next.Add(1) - 1)
				if ti >= len(targets) || ctx.Err() != nil {
					return
				}
				t := &targets[ti]
				results[ti] = Result{Path: t.Path, Lang: t.Lang, Lines: t.Lines, Tokens: t.Tokens}
				all[ti].regions = chain(t, postings, int32(opts.k), opts)
				if t.Tokens >= opts.MinTokens {
					all[ti].whole = byNorm[t.NormHash] // a tiny file ("package x") is like many others
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return results, all, nil
}

package match

// Findings: from a target's regions (and its whole-file candidates) to its
// findings. Weak regions are confirmed (confirm.go), regions grouped and
// given an origin (origin.go), the origin's edges aligned (align.go),
// idioms dropped (idiom.go), and the pieces of one copy folded into one
// finding. Output: the target's findings, sorted by target line.

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/snipscan/snipscan/corpus"
)

// findAll sets the findings of every target's result from its
// candidates, workers targets at a time: a target's findings depend on
// its own candidates only, so each result is what one goroutine finds.
func findAll(ctx context.Context, targets []Target, cands batch, files map[uint32]*corpus.FileInfo, opts Options, workers int, results []Result) error {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ti := int(next.Add(1) - 1)
				if ti >= len(targets) || ctx.Err() != nil {
					return
				}
				c := cands[ti]
				results[ti].Findings = findings(&targets[ti], c.regions, c.whole, files, opts)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// findings turns a target's regions into findings with one origin each.
func findings(t *Target, regs []*region, whole []uint32, files map[uint32]*corpus.FileInfo, opts Options) []Finding {
	var out []Finding
	if f, same, ok := wholeFile(t, regs, whole, files); ok {
		out = append(out, f)
		// Regions of the same content are the same finding.
		regs = slices.DeleteFunc(slices.Clone(regs), func(r *region) bool { return same[r.file] })
	}
	// Drop regions of files that vanished, and weak ones the source's text
	// does not confirm.
	regs = slices.DeleteFunc(regs, func(r *region) bool { return files[r.file] == nil })
	if len(out) > 0 {
		// A target matched whole has its finding: a small copy inside it
		// adds nothing, and verifying its candidates costs their
		// alignments; regions of other files are parts of it.
		regs = slices.DeleteFunc(regs, func(r *region) bool { return r.weak })
	} else {
		regs = verifyWeak(t, regs, files, opts)
		for _, g := range groupRegions(regs, files) {
			if f, ok := snippet(t, g.choose(t, files, opts), files, opts); ok {
				out = append(out, f)
			}
		}
	}
	out = foldOverlaps(out, int32(opts.k))
	for i := range out {
		out[i].span, out[i].hits = [2]int32{}, nil
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Lines[0] != out[j].Lines[0] {
			return out[i].Lines[0] < out[j].Lines[0]
		}
		return out[i].Lines[1] > out[j].Lines[1]
	})
	return out
}

// wholeFile returns the whole-file finding of t among the corpus files of
// its normalized content (whole), and those files; ok is false when none
// of them is in files.
func wholeFile(t *Target, regs []*region, whole []uint32, files map[uint32]*corpus.FileInfo) (f Finding, same map[uint32]bool, ok bool) {
	var cands []uint32
	for _, id := range whole {
		if files[id] != nil {
			cands = append(cands, id)
		}
	}
	if len(cands) == 0 {
		return Finding{}, nil, false
	}
	// The same tokens, normalized: platform twins that differ in
	// names (st.Atim, st.Atimespec) and build tags all have them.
	// The target's own bytes come first, then the most verbatim.
	exactness := func(id uint32) float64 {
		if files[id].Sum == t.Sum {
			return 2
		}
		if best := bestRegionOf(regs, id); best != nil && best.span() > 0 {
			return float64(best.exactCovered) / float64(best.span())
		}
		return 0
	}
	srcs := sourcesOf(cands, files)
	ex := map[uint32]float64{}
	for _, id := range cands {
		ex[id] = exactness(id)
	}
	sort.SliceStable(srcs, func(i, j int) bool { return ex[srcs[i].FileID] > ex[srcs[j].FileID] })
	for i := range srcs {
		srcs[i].Lines = [2]int{1, max(srcs[i].FileLines, 1)}
	}
	origin := srcs[0]
	exact := min(ex[origin.FileID], 1)
	f = Finding{Kind: KindFile, Lines: [2]int{1, max(t.Lines, 1)}, Bytes: [2]int{0, t.Size}, Tokens: t.Tokens,
		Matched: 1, Exact: exact, Source: origin, Alternates: len(srcs) - 1, AlternateSources: firstN(srcs[1:], 5)}
	same = map[uint32]bool{}
	for _, id := range cands {
		same[id] = true
	}
	return f, same, true
}

// snippet returns the finding of the origin c chose, its edges placed
// (see place); ok is false when it spans fewer than MinLines target
// lines or is an idiom (see idiom.go).
func snippet(t *Target, c choice, files map[uint32]*corpus.FileInfo, opts Options) (Finding, bool) {
	r := c.region
	e := place(t, r, files[r.file], opts)
	if e.tmax-e.tmin+1 < int32(opts.MinLines) {
		return Finding{}, false
	}
	if e.last > e.first && !distinctive(t, r, e.first, e.last, e.tmin, e.tmax, e.src, e.smin, e.smax, c.sources, opts) {
		return Finding{}, false // an idiom (see idiom.go)
	}
	origin := c.origin
	origin.Lines = [2]int{int(e.smin), int(e.smax)}
	span := max(e.span, 1)
	f := Finding{Kind: KindSnippet, Lines: [2]int{int(e.tmin), int(e.tmax)}, Bytes: e.bytes, Tokens: span,
		Matched: float64(e.covered) / float64(span), Exact: float64(e.exactCovered) / float64(span),
		Source: origin, Alternates: len(c.alternates), AlternateSources: firstN(c.alternates, 5), span: [2]int32{r.first, r.last}, hits: r.hits}
	if e.last > e.first {
		f.span = [2]int32{e.first, e.last}
	}
	fi := files[r.file]
	if float64(r.covered) >= opts.WholeFile*float64(t.Tokens) && fi != nil && float64(r.covered) >= opts.WholeFile*float64(fi.Tokens) {
		f.Kind = KindFile
	}
	for i := range f.AlternateSources {
		if f.AlternateSources[i].FileID == r.file {
			// Another location of the same content: the same lines.
			f.AlternateSources[i].Lines = origin.Lines
			continue
		}
		for _, o := range c.others {
			if o.file == f.AlternateSources[i].FileID {
				f.AlternateSources[i].Lines = [2]int{int(o.smin), int(o.smax)}
				break
			}
		}
	}
	return f, true
}

// foldSlack is how many lines a finding folded into another may stick
// out at each end (see foldOverlaps).
const foldSlack = 3

// foldOverlaps folds the findings of one target that are one finding.
// First, the pieces of one copy: findings of one corpus file whose ranges
// overlap or touch on both sides, in the same order (the second starts
// and ends no earlier than the first on both sides, or within it), become
// one over the union of their ranges (see joinable, absorb); the pieces
// of a reordered copy, whose order differs, stay apart. Then a finding
// whose target lines lie within a stronger one's, of another corpus file,
// becomes an alternate origin of that one. Regions are grouped by the
// target lines their hits cover, before their edges are aligned: two
// similar functions of two files (yggdrasil's listen of TCP and of TLS)
// can each cover a part of a copy, and both grow to the whole of it; the
// one that matches more of it is the origin. A finding that reaches
// further keeps its own lines (the runs of generated syscall wrappers that
// twins in other files cover in part). k is the corpus's k-gram length,
// for the shares of a union.
func foldOverlaps(fs []Finding, k int32) []Finding {
	fs = joinPieces(fs, k)
	if len(fs) < 2 {
		return fs
	}
	strength := func(f *Finding) float64 { return (f.Matched + f.Exact) * float64(f.Tokens) }
	sort.SliceStable(fs, func(i, j int) bool { return strength(&fs[i]) > strength(&fs[j]) })
	// within reports whether b lies within a, give or take foldSlack
	// lines at each end: b's lines are all a's.
	within := func(a, b [2]int) bool { return b[0] >= a[0]-foldSlack && b[1] <= a[1]+foldSlack }
	kept := fs[:0]
next:
	for _, f := range fs {
		for i := range kept {
			k := &kept[i]
			if f.Kind != KindSnippet || k.Kind != KindSnippet || !within(k.Lines, f.Lines) {
				continue
			}
			if f.Source.FileID == k.Source.FileID {
				continue
			}
			k.addAlternates(&f)
			continue next
		}
		kept = append(kept, f)
	}
	return kept
}

// addAlternates makes g's origin and alternates f's alternates, each place
// once (at most 5 listed, as in any finding).
func (f *Finding) addAlternates(g *Finding) {
	for _, src := range append([]Source{g.Source}, g.AlternateSources...) {
		if src.FileID == f.Source.FileID && src.Path == f.Source.Path || slices.ContainsFunc(f.AlternateSources, func(a Source) bool {
			return a.FileID == src.FileID && a.Path == src.Path
		}) {
			continue
		}
		f.Alternates++
		if len(f.AlternateSources) < 5 {
			f.AlternateSources = append(f.AlternateSources, src)
		}
	}
	f.Alternates += g.Alternates - len(g.AlternateSources) // those it did not list
}

// joinPieces merges the findings of fs that are pieces of one copy (see
// joinable), until no two are.
func joinPieces(fs []Finding, k int32) []Finding {
	for joined := true; joined; {
		joined = false
		for i := 0; i < len(fs) && !joined; i++ {
			for j := i + 1; j < len(fs); j++ {
				if joinable(&fs[i], &fs[j]) {
					fs[i].absorb(&fs[j], k)
					fs = slices.Delete(fs, j, j+1)
					joined = true
					break
				}
			}
		}
	}
	return fs
}

// joinable reports whether a and b are pieces of one copy: snippets of
// one corpus file whose target ranges and source ranges both overlap or
// touch, in the same order (neither starts nor ends before the other on
// one side and after it on the other).
func joinable(a, b *Finding) bool {
	touch := func(x, y [2]int) bool { return x[0] <= y[1]+1 && y[0] <= x[1]+1 }
	order := func(x, y int) int { return cmp.Compare(x, y) }
	return a.Kind == KindSnippet && b.Kind == KindSnippet && a.Source.FileID == b.Source.FileID && touch(a.Lines, b.Lines) && touch(a.Source.Lines, b.Source.Lines) &&
		order(a.Lines[0], b.Lines[0])*order(a.Source.Lines[0], b.Source.Lines[0]) >= 0 &&
		order(a.Lines[1], b.Lines[1])*order(a.Source.Lines[1], b.Source.Lines[1]) >= 0
}

// absorb makes f the union of f and g, pieces of one copy: their ranges
// on both sides, their hits, and the shares those cover of the union's
// tokens; g's alternates join f's.
func (f *Finding) absorb(g *Finding, k int32) {
	union := func(x, y [2]int) [2]int { return [2]int{min(x[0], y[0]), max(x[1], y[1])} }
	f.Lines, f.Source.Lines = union(f.Lines, g.Lines), union(f.Source.Lines, g.Source.Lines)
	if f.Bytes != [2]int{} && g.Bytes != [2]int{} {
		f.Bytes = union(f.Bytes, g.Bytes)
	}
	f.span = [2]int32{min(f.span[0], g.span[0]), max(f.span[1], g.span[1])}
	f.hits = append(slices.Clone(f.hits), g.hits...)
	slices.SortStableFunc(f.hits, func(a, b hit) int { return cmp.Compare(a.tpos, b.tpos) })
	covered, exact := (&region{hits: f.hits}).coverage(f.span[0], f.span[1], k)
	n := max(int(f.span[1]-f.span[0]), 1)
	f.Tokens, f.Matched, f.Exact = n, float64(covered)/float64(n), float64(exact)/float64(n)
	f.addAlternates(g)
}

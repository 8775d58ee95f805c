package match

// Findings: from a target's regions (and its whole-file candidates) to its
// findings. Weak regions are confirmed (confirm.go), regions grouped and
// given an origin (origin.go), the origin's edges aligned (align.go),
// idioms dropped (idiom.go), and the pieces of one copy folded into one
// finding. Output: the target's findings, sorted by target line.

import (
	"cmp"
	"slices"
	"sort"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// findings turns a target's regions into findings with one origin each.
func findings(t *Target, regs []*region, whole []uint32, files map[uint32]*corpus.FileInfo, opts Options) []Finding {
	var out []Finding
	// Whole-file matches by normalized content.
	if len(whole) > 0 {
		var cands []uint32
		for _, id := range whole {
			if files[id] != nil {
				cands = append(cands, id)
			}
		}
		if len(cands) > 0 {
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
			out = append(out, Finding{Kind: KindFile, Lines: [2]int{1, max(t.Lines, 1)}, Bytes: [2]int{0, t.Size}, Tokens: t.Tokens,
				Matched: 1, Exact: exact, Source: origin, Alternates: len(srcs) - 1, AlternateSources: firstN(srcs[1:], 5)})
			// Regions of the same content are the same finding.
			same := map[uint32]bool{}
			for _, id := range cands {
				same[id] = true
			}
			regs = slices.DeleteFunc(slices.Clone(regs), func(r *region) bool { return same[r.file] })
		}
	}
	// Drop regions of files that vanished, and weak ones the source's text
	// does not confirm.
	regs = slices.DeleteFunc(regs, func(r *region) bool { return files[r.file] == nil })
	// A target matched whole has its finding: a small copy inside it
	// adds nothing, and verifying its candidates costs their alignments.
	if len(out) > 0 {
		regs = slices.DeleteFunc(regs, func(r *region) bool { return r.weak })
	} else {
		regs = verifyWeak(t, regs, files, opts)
	}
	// Best regions first: they become origins. Verbatim coverage counts
	// twice, so that of two similar files (platform variants of one
	// function) the one the copy matches verbatim wins.
	sort.SliceStable(regs, func(i, j int) bool {
		a, b := regs[i], regs[j]
		if sa, sb := a.covered+a.exactCovered, b.covered+b.exactCovered; sa != sb {
			return sa > sb
		}
		return betterFile(files[a.file], files[b.file])
	})
	type group struct {
		origin *region
		others []*region
	}
	var groups []*group
	for _, r := range regs {
		var g *group
		for _, cand := range groups {
			if overlaps(cand.origin, r) {
				g = cand
				break
			}
		}
		if g == nil {
			groups = append(groups, &group{origin: r})
			continue
		}
		g.others = append(g.others, r)
	}
	if len(out) > 0 {
		// A whole-file finding covers every line: regions of other files
		// are parts of it.
		groups = nil
	}
	for _, g := range groups {
		// A file may hold several regions of the group (a copy with
		// reordered statements chains in pieces): merge them, and take as
		// origin the file whose regions score best together.
		byFile := map[uint32][]*region{}
		var ids []uint32
		for _, x := range append([]*region{g.origin}, g.others...) {
			if byFile[x.file] == nil {
				ids = append(ids, x.file)
			}
			byFile[x.file] = append(byFile[x.file], x)
		}
		score := func(id uint32) int {
			n := 0
			for _, x := range byFile[id] {
				n += x.covered + x.exactCovered
			}
			return n
		}
		sort.SliceStable(ids, func(i, j int) bool { return score(ids[i]) > score(ids[j]) })
		ids = preferTextual(t, ids, score, byFile, files, opts)
		r := mergeInto(byFile[ids[0]], bestRegion(t, byFile[ids[0]], files, opts), int32(opts.k), edgeSlack)
		g.others = g.others[:0]
		for _, id := range ids[1:] {
			g.others = append(g.others, mergeRegions(byFile[id], int32(opts.k), edgeSlack))
		}
		srcs := sourcesOf(ids, files)
		// The origin is the best region; among its file's locations the
		// preferred one. Other files' locations are alternates.
		var origin Source
		var alts []Source
		for _, s := range srcs {
			if s.FileID == r.file && origin.FileID == 0 {
				origin = s
			} else {
				alts = append(alts, s)
			}
		}
		tmin, tmax, smin, smax := r.tmin, r.tmax, r.smin, r.smax
		span, covered, exactCovered := r.span(), r.covered, r.exactCovered
		var bytes [2]int
		var first, last int32 // the finding's target tokens, when they are known
		var src []fingerprint.Token
		if len(t.Lexed) > 0 {
			rf, rl := r.first, r.last
			src = opts.sources.get(files[r.file])
			head, tail := refine(t.Lexed, r.first, r.last, src, r.smin, r.smax, int32(opts.k), langOf(files[r.file], t.Lang), opts.refineMode(refineBridges|refineExtracted))
			snap := opts.snapLimit
			if len(src) == 0 {
				snap *= 2 // no alignment placed the edges: snap them further
			}
			if head.ok {
				rf = head.pos
			}
			if tail.ok {
				rl = tail.pos
			}
			first, last = extend(t.Lexed, rf, rl, opts.k, opts.extendLimit, snap)
			dStart := t.Lexed[first].Line - t.Lexed[r.first].Line
			dEnd := t.Lexed[last-1].EndLine - t.Lexed[r.last-1].EndLine
			tmin, tmax = tmin+dStart, tmax+dEnd
			smin, smax = r.sourceLines(first, last, int32(opts.k), tmin, tmax)
			// An edge the alignment placed has its exact source line,
			// moved by the lines extend added or removed beside it.
			if l, ok := head.headLine(t.Lexed, first); head.ok && ok {
				smin = max(1, l)
			}
			if l, ok := tail.tailLine(t.Lexed, last); tail.ok && ok {
				smax = l
			}
			// A source range that took in a similar function before the
			// copy's source (its first hits matched it) starts again where
			// the target's first tokens match longest.
			if l, ok := realignHead(t.Lexed, first, last, src, smin, smax, tmax-tmin); ok {
				smin = l
			}
			if fi := files[r.file]; fi != nil && fi.Lines > 0 {
				smax = min(smax, int32(fi.Lines))
				smin = min(smin, smax)
			}
			span = int(last - first)
			covered, exactCovered = r.coverage(first, last, int32(opts.k))
			bytes = [2]int{int(t.Lexed[first].Off), int(t.Lexed[last-1].End)}
		}
		if tmax-tmin+1 < int32(opts.MinLines) {
			continue
		}
		if last > first && !distinctive(t, r, first, last, tmin, tmax, src, smin, smax, srcs, opts) {
			continue // an idiom (see idiom.go)
		}
		origin.Lines = [2]int{int(smin), int(smax)}
		span = max(span, 1)
		f := Finding{Kind: KindSnippet, Lines: [2]int{int(tmin), int(tmax)}, Bytes: bytes, Tokens: span,
			Matched: float64(covered) / float64(span), Exact: float64(exactCovered) / float64(span),
			Source: origin, Alternates: len(alts), AlternateSources: firstN(alts, 5), span: [2]int32{r.first, r.last}, hits: r.hits}
		if last > first {
			f.span = [2]int32{first, last}
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
			for _, o := range g.others {
				if o.file == f.AlternateSources[i].FileID {
					f.AlternateSources[i].Lines = [2]int{int(o.smin), int(o.smax)}
					break
				}
			}
		}
		out = append(out, f)
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

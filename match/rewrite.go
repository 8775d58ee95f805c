package match

// Rewrites: Go functions of a target that no finding explains are looked
// up in the corpus's rewrite index (package rewrite): a function whose
// algorithm was kept and whose every name, idiom and statement order was
// changed shares no run of tokens with its source. Input: the targets'
// rewrite units (Target.Units) and their findings so far. Output: one
// finding of KindRewrite per function found, from its doc comment to the
// last closing brace of its helpers, its origin the corpus function.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/rewrite"
)

// RewriteFinder finds the corpus functions that the units of each of
// several files were rewritten from (*rewrite.Finder implements it).
type RewriteFinder interface {
	FindFiles(ctx context.Context, files [][]rewrite.Unit) ([][]rewrite.Match, error)
}

// lookupUnits bounds the units whose features are looked up at once:
// the postings of their features are held until their matches are found.
const lookupUnits = 1024

// Rewrite describes the finding of a rewritten function.
type Rewrite struct {
	Function string   // the target's function (Recv.Name for a method)
	Helpers  []string // the target's functions it calls, included in the finding
	// Similarity is the weighted Jaccard similarity of all features,
	// Anchors of the APIs, literals and types alone; Channel is the one
	// that found it ("structure" or "anchors").
	Similarity, Anchors float64
	Channel             string
	// Confidence is how far the source stands out from the corpus
	// functions that look like it (1 - second best / best score).
	Confidence float64
	// Evidence names the rare APIs and literals both functions use.
	Evidence []string
}

// explained is the share of a function's lines a finding must cover for
// the function to count as found by winnowing already.
const explained = 0.5

// Rewrites appends to each result the rewrite findings of its target's
// units that its findings do not explain, and sorts its findings again.
// Match calls it when Options.Rewrites is set; a scan server calls it on
// its own with the units a client extracted, and the results it found
// before (see package remote).
func Rewrites(ctx context.Context, idx Index, targets []Target, results []Result, fd RewriteFinder) error {
	type found struct {
		ti int
		m  rewrite.Match
	}
	var all []found
	var tis []int // the targets of pending
	var pending [][]rewrite.Unit
	n := 0 // the units of pending
	lookUp := func() error {
		mss, err := fd.FindFiles(ctx, pending)
		if err != nil {
			return fmt.Errorf("match: rewrites of %d files from %s: %w", len(pending), targets[tis[0]].Path, err)
		}
		for i, ms := range mss {
			for _, m := range oneFindingPerSource(ms) {
				all = append(all, found{tis[i], m})
			}
		}
		tis, pending, n = tis[:0], pending[:0], 0
		return nil
	}
	for ti := range targets {
		units := unexplained(targets[ti].Units, results[ti].Findings)
		if len(units) == 0 {
			continue
		}
		tis, pending, n = append(tis, ti), append(pending, units), n+len(units)
		if n >= lookupUnits {
			if err := lookUp(); err != nil {
				return err
			}
		}
	}
	if len(pending) > 0 {
		if err := lookUp(); err != nil {
			return err
		}
	}
	if len(all) == 0 {
		return nil
	}
	var ids []uint32
	for _, f := range all {
		ids = append(ids, f.m.Source.File)
	}
	slices.Sort(ids)
	files, err := idx.Files(ctx, slices.Compact(ids))
	if err != nil {
		return err
	}
	for _, f := range all {
		if fnd, ok := rewriteFinding(&targets[f.ti], f.m, files); ok {
			results[f.ti].Findings = append(results[f.ti].Findings, fnd)
		}
	}
	for i := range results {
		slices.SortStableFunc(results[i].Findings, func(a, b Finding) int { return cmp.Compare(a.Lines[0], b.Lines[0]) })
	}
	return nil
}

// extractUnits sets the units of the targets that hold their text and
// whose findings leave a line uncovered (a function covered on every
// line is explained), on up to workers goroutines, and drops every
// target's text.
func extractUnits(targets []Target, results []Result, workers int) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t := &targets[i]
				t.Units = Units(t.Path, t.Text)
			}
		}()
	}
	for i := range targets {
		if targets[i].Text != nil && targets[i].Units == nil && !CoversAll(results[i].Findings, targets[i].Lines) {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	for i := range targets {
		targets[i].Text = nil
	}
}

// Units returns the rewrite units of the Go file named name holding
// text, as Match extracts them from Target.Text: with their helpers and
// the words of their evidence. A file go/parser cannot read has none:
// winnowing still scans it.
func Units(name string, text []byte) []rewrite.Unit {
	units, _ := rewrite.Extract(name, text, rewrite.Options{Helpers: true, Evidence: true})
	return units
}

// CoversAll reports whether the findings cover lines 1 to lines, each
// line by one finding at least: then every function of the file is
// explained, whatever its units.
func CoversAll(fs []Finding, lines int) bool {
	spans := make([][2]int, 0, len(fs))
	for _, f := range fs {
		spans = append(spans, f.Lines)
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	next := 1 // the first line not covered yet
	for _, s := range spans {
		if s[0] > next {
			return false
		}
		next = max(next, s[1]+1)
	}
	return next > lines
}

// unexplained returns the units of functions that findings cover on less
// than the share explained of their lines.
func unexplained(units []rewrite.Unit, fs []Finding) []rewrite.Unit {
	var out []rewrite.Unit
	for _, u := range units {
		lo, hi := u.FuncLine, u.FuncEndLine
		covered := 0
		for _, f := range fs {
			covered += max(0, min(hi, f.Lines[1])-max(lo, f.Lines[0])+1)
		}
		if float64(covered) < explained*float64(hi-lo+1) {
			out = append(out, u)
		}
	}
	return out
}

// oneFindingPerSource keeps, of the matches of one target that name the
// same corpus unit (a function and a helper of it, each with the other),
// the one with the highest similarity.
func oneFindingPerSource(ms []rewrite.Match) []rewrite.Match {
	best := map[uint32]int{}
	var out []rewrite.Match
	for _, m := range ms {
		i, ok := best[m.Source.ID]
		switch {
		case !ok:
			best[m.Source.ID] = len(out)
			out = append(out, m)
		case m.Similarity > out[i].Similarity:
			out[i] = m
		}
	}
	return out
}

// rewriteFinding builds the finding of match m in target t, its origin
// the preferred location of the corpus file (as for snippets); false
// when the corpus no longer holds the file.
func rewriteFinding(t *Target, m rewrite.Match, files map[uint32]*corpus.FileInfo) (Finding, bool) {
	srcs := sourcesOf([]uint32{m.Source.File}, files)
	if len(srcs) == 0 {
		return Finding{}, false
	}
	for i := range srcs {
		srcs[i].Lines = [2]int{m.Source.Line, m.Source.EndLine}
	}
	u := m.Unit
	f := Finding{Kind: KindRewrite, Lines: [2]int{u.Line, u.EndLine}, Bytes: [2]int{u.Off, u.End},
		Tokens: TokensIn(t, u.Off, u.End), Source: srcs[0], Alternates: len(srcs) - 1, AlternateSources: firstN(srcs[1:], 5),
		Rewrite: &Rewrite{Function: u.Name, Helpers: u.Helpers, Similarity: m.Similarity, Anchors: m.Anchors,
			Channel: m.Channel, Confidence: m.Confidence, Evidence: m.Evidence()}}
	return f, true
}

// TokensIn counts the target's tokens in the byte range [off, end).
func TokensIn(t *Target, off, end int) int {
	n := 0
	for _, tok := range t.Lexed {
		if int(tok.Off) >= off && int(tok.End) <= end {
			n++
		}
	}
	return n
}

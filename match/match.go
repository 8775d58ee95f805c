// Package match turns fingerprint hits into findings: regions of a target
// file reused from a corpus file, with exact line ranges on both sides, a
// score, and one origin per region.
//
// # Algorithm
//
// Every fingerprint of a target file is looked up; fingerprints held by
// more than MaxDF corpus files are boilerplate and ignored. The remaining
// hits are grouped by corpus file and chained in target order into
// regions: a hit joins the open region whose source lines it continues
// (within GapLines of the region's source span, and within GapTokens of
// its last target hit), so that a region follows target and source
// advancing together while tolerating edits, insertions and local
// reordering. A region is reported when its hits cover at least MinTokens
// target tokens with at least MinHits fingerprints: shorter shared runs are
// idioms, not copies.
//
// Regions of different corpus files that cover the same target lines are
// the same finding found in several places (forks, vendored copies, other
// versions): the best-covering region is the origin, preferring, at equal
// coverage, a location outside vendor trees, in a named package, and the
// oldest file; the others are counted as alternates.
//
// When the corpus file's text can be read (Options.SourceText), each
// finding's edges are aligned with it token by token, and regions too
// small to report on their fingerprints alone are reported once the
// alignment confirms them (see refine.go).
//
// Findings of the shapes people write anew without copying (a short
// finding from test code, a short single loop, an enumeration) are
// reported only when they keep the source's names too (see idiom.go).
//
// A target whose normalized token stream equals a corpus file's, or a
// region covering nearly all of both files, is a whole-file finding.
//
// The package knows nothing of output formats, and nothing of bbolt: it
// reads the corpus through the Index interface.
package match

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// Index is what the matcher needs from a corpus. *corpus.DB implements it.
type Index interface {
	Lookup(ctx context.Context, hashes []uint64, maxDF int, fn func(i int, hit corpus.Hit)) error
	Files(ctx context.Context, ids []uint32) (map[uint32]*corpus.FileInfo, error)
	FilesByNorm(ctx context.Context, norms []uint64) (map[uint64][]uint32, error)
	Params() corpus.Params
}

// Options tune the matcher. The zero value means the defaults.
type Options struct {
	// MaxDF: fingerprints held by more corpus files are ignored.
	MaxDF int
	// MinTokens is the minimum number of target tokens a region's hits
	// must cover.
	MinTokens int
	// MinHits is the minimum number of fingerprints in a region.
	MinHits int
	// MinLines is the minimum number of target lines a snippet finding
	// spans: fewer lines than a real shared run (8 lines, the
	// evaluation's definition of real reuse) are an idiom.
	MinLines int
	// GapTokens is the largest gap, in target tokens, between two hits of
	// one region.
	GapTokens int
	// GapLines is how far, in source lines, a hit may fall outside a
	// region's source span and still join it. A wide gap lets the k-grams
	// of a similar function near the source join the region and stretch
	// its source range; pieces of a copy that was split or reordered are
	// merged after chaining instead.
	GapLines int
	// WholeFile is the share of both files' tokens a region must cover to
	// count as a whole-file match.
	WholeFile float64
	// MinMatched is the smallest share of a region's target tokens its
	// hits must cover: a looser chain is scattered boilerplate.
	MinMatched float64

	// SourceText, if set, returns the text of a corpus file as it was
	// indexed, its hash checked against the file's Sum (or nil when it
	// cannot be read, or holds another content): the edges of a region
	// are then aligned with the source's tokens, which finds the first
	// and last statements of a copy that no fingerprint covers (see
	// refine.go). Match calls it once per corpus file, from one
	// goroutine.
	SourceText func(*corpus.FileInfo) []byte

	k           int // the corpus's k-gram length
	extendLimit int // tokens a region may be widened by at each end to close its brackets (K+W)
	snapLimit   int // tokens an edge may move to reach the inside of its block (W)
	sources     *sourceTokens
	noBridges   bool // tests: refine's extensions stop at code inserted into a copy or extracted from it
}

// refineMode returns the refine mode to use: mode, or none when the tests
// turned bridges off.
func (o Options) refineMode(mode int) int {
	if o.noBridges {
		return 0
	}
	return mode
}

// Defaults.
const (
	DefaultMaxDF     = 64
	DefaultMinTokens = 40
	DefaultMinHits   = 3
	DefaultMinLines  = 8
	DefaultGapTokens = 120
	DefaultGapLines  = 10
	DefaultWholeFile = 0.9
	DefaultMinMatch  = 0.5
)

func (o Options) withDefaults() Options {
	if o.MaxDF == 0 {
		o.MaxDF = DefaultMaxDF
	}
	if o.MinTokens == 0 {
		o.MinTokens = DefaultMinTokens
	}
	if o.MinHits == 0 {
		o.MinHits = DefaultMinHits
	}
	if o.MinLines == 0 {
		o.MinLines = DefaultMinLines
	}
	if o.GapTokens == 0 {
		o.GapTokens = DefaultGapTokens
	}
	if o.GapLines == 0 {
		o.GapLines = DefaultGapLines
	}
	if o.WholeFile == 0 {
		o.WholeFile = DefaultWholeFile
	}
	if o.MinMatched == 0 {
		o.MinMatched = DefaultMinMatch
	}
	return o
}

// Target is a fingerprinted target file.
type Target struct {
	Path         string
	Lang         fingerprint.Lang
	Lines        int
	Tokens       int
	Size         int      // bytes
	Sum          [16]byte // corpus.Sum of the text (the file's bytes, decoded to UTF-8 if they were not)
	NormHash     uint64
	Fingerprints []fingerprint.Fingerprint
	// Lexed, if set, holds the file's tokens: they let a region's edges be
	// widened to the brackets it cuts (see extend).
	Lexed []fingerprint.Token
}

// Kinds of findings.
const (
	KindSnippet = "snippet"
	KindFile    = "file"
)

// Source describes where a finding's code came from.
type Source struct {
	FileID        uint32
	Root          string // the indexed root (directory or archive)
	Path          string // slash path below the root
	Lines         [2]int
	FileLines     int
	Package       string
	Version       string
	PURL          string
	Ecosystem     string
	License       string // SPDX expression
	LicenseSource string
	LicenseFile   string // the license file that decided, below the root
	LicenseText   string // ID of the license text kept in the corpus (corpus.DB.LicenseText), or ""
	Copyrights    []string
	Holders       []string
	Vendored      bool
	// Test says that the location is test code (corpus.IsTest): decided
	// when it was indexed, from its path below its package's root.
	Test bool
	// Size and Sum are the size and corpus.Sum of the content indexed
	// at Root and Path: a reader of the file's text there now compares
	// them with what it reads.
	Size int64
	Sum  [16]byte
	// Changed says that the file at Root and Path was read back and
	// holds other content than was indexed; Gone, that it is no longer
	// there (the file, the archive member, the archive or the root).
	// Match leaves both false; the reader of the corpus files that checks
	// them (scanner.Sources.Mark) sets them, and reports then show no
	// code of the file.
	Changed, Gone bool
}

// Finding is one reused region of a target file.
type Finding struct {
	Kind  string
	Lines [2]int // target lines, 1-based inclusive
	// Bytes is the target byte range: the offset of the region's first
	// byte and of the byte after its last (the whole file for a whole-file
	// finding; zero when the target's tokens were not given).
	Bytes [2]int
	// Tokens is the number of target tokens in the region, Matched the
	// share covered by shared fingerprints, Exact the share covered by
	// fingerprints whose tokens are identical (not only after renaming).
	Tokens  int
	Matched float64
	Exact   float64
	Source  Source
	// Alternates counts the other corpus locations holding the region.
	Alternates int
	// AlternateSources lists a few of them (at most 5).
	AlternateSources []Source
	// Repeat is the rank of f, in target line order, among the findings
	// of its target file that copy the same source lines (the same kind,
	// source path and lines, which its ID hashes): 0 for the first, 1
	// for the second copy, and so on. NumberRepeats sets it.
	Repeat int

	span [2]int32 // target tokens, and the hits in them, while findings are folded (see foldOverlaps)
	hits []hit
}

// ID identifies f, found in the target file at path, across runs: a hash
// of the path, the kind, and the source's path and lines; a repeated copy
// of the same source lines in the same file (Repeat > 0) gets RepeatID of
// it. Edits elsewhere in the target move f's lines but keep its ID;
// baselines, acceptances and SARIF fingerprints use it.
func (f *Finding) ID(path string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d-%d", path, f.Kind, f.Source.Path, f.Source.Lines[0], f.Source.Lines[1])
	id := hex.EncodeToString(h.Sum(nil)[:8])
	if f.Repeat > 0 {
		return RepeatID(id, f.Repeat)
	}
	return id
}

// Result holds the findings of one target file.
type Result struct {
	Path     string
	Lang     fingerprint.Lang
	Lines    int
	Tokens   int
	Findings []Finding
}

// hit is one fingerprint of a target file found in one corpus file.
type hit struct {
	file   uint32
	tpos   int32 // target token position of the k-gram
	tline  int32
	tend   int32
	sline  int32
	send   int32
	exact  bool
	anchor bool    // not verbatim, but the strings and selectors are the same (names were changed)
	end    bool    // the target's k-gram ends a declaration (fingerprint.Fingerprint.End)
	ident  uint64  // the k-gram's identity: its exact hash if verbatim, else its normalized hash
	weight float32 // the k-gram's rarity in the corpus (see rarity)
}

// Evidence weights of a k-gram that matches verbatim (1), with only local
// names changed (its strings and selectors equal), or only after
// normalization. Code of the same shape with other names and other strings
// is common (declarations, tables, option lists); code of the same shape
// with the same strings and calls is a copy.
const (
	anchorWeight     = 1.0
	normalizedWeight = 0.25
)

// rareDF is the number of corpus files below which a k-gram counts fully
// as evidence of copying.
const rareDF = 8

// rarity weighs a k-gram held by df corpus files: fully when rare, in
// inverse proportion beyond rareDF. Idioms (a sort.Interface trio, error
// checks) are found in tens of files; copied code in a few.
func rarity(df int) float32 {
	if df <= rareDF {
		return 1
	}
	return float32(rareDF) / float32(df)
}

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

func (s *seenSet) has(region, kind int32, key uint64) bool {
	_, ok := s.m[seenKey{region, kind, key}]
	return ok
}

func (s *seenSet) add(region, kind int32, key uint64) {
	s.m[seenKey{region, kind, key}] = struct{}{}
}

// Match finds the reused regions of targets in idx. Results are in the
// order of targets; findings are sorted by target line.
func Match(ctx context.Context, idx Index, targets []Target, opts Options) ([]Result, error) {
	opts = opts.withDefaults()
	k := int32(idx.Params().K)
	opts.k = idx.Params().K
	opts.extendLimit = idx.Params().K + idx.Params().W
	// An edge up to a window short of its block is where winnowing lost
	// the copy's first or last statements; without the source's text to
	// align the edges with, two windows (EVALUATION.md, tuning: 2W finds
	// 1.2 to 2 points more than W without the alignment, W 0.5 to 0.7
	// more than 2W with it: 2W moves the edges of a body merged into a
	// larger function out to the host function's).
	opts.snapLimit = idx.Params().W

	// One lookup for the whole batch.
	var hashes []uint64
	for i := range targets {
		for _, fp := range targets[i].Fingerprints {
			hashes = append(hashes, fp.Hash)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	postings := make(map[uint64]corpus.Hit)
	// Postings of k-grams above MaxDF are decoded too (up to the corpus's
	// StopDF): their verbatim occurrences can still be rare.
	err := idx.Lookup(ctx, hashes, 0, func(i int, h corpus.Hit) {
		if len(h.Postings) > 0 && len(h.Postings) <= maxPostings {
			postings[hashes[i]] = corpus.Hit{DF: h.DF, Postings: slices.Clone(h.Postings)}
		}
	})
	if err != nil {
		return nil, err
	}
	norms := make([]uint64, 0, len(targets))
	for i := range targets {
		if targets[i].Tokens >= opts.MinTokens {
			norms = append(norms, targets[i].NormHash)
		}
	}
	slices.Sort(norms)
	byNorm, err := idx.FilesByNorm(ctx, slices.Compact(norms))
	if err != nil {
		return nil, err
	}

	results := make([]Result, len(targets))
	type pending struct {
		regions []*region
		whole   []uint32 // files with the same normalized content
	}
	all := make([]pending, len(targets))
	// Chaining is pure: spread the targets over the CPUs.
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
				all[ti].regions = chain(t, postings, k, opts)
				if t.Tokens >= opts.MinTokens {
					all[ti].whole = byNorm[t.NormHash] // a tiny file ("package x") is like many others
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	need := map[uint32]bool{}
	for _, p := range all {
		for _, r := range p.regions {
			need[r.file] = true
		}
		for _, id := range p.whole {
			need[id] = true
		}
	}
	ids := make([]uint32, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	files, err := idx.Files(ctx, ids)
	if err != nil {
		return nil, err
	}
	if opts.SourceText != nil {
		fp, err := fingerprint.New(idx.Params().Fingerprint())
		if err != nil {
			return nil, err
		}
		opts.sources = &sourceTokens{read: opts.SourceText, fp: fp, cache: map[uint32][]fingerprint.Token{}}
	}
	for ti, p := range all {
		results[ti].Findings = findings(&targets[ti], p.regions, p.whole, files, opts)
	}
	return results, nil
}

// maxPostings bounds the occurrences of one k-gram that are chained: a
// k-gram found more often (in few files, or the DF limit would drop it) is
// a repeated pattern, and chaining all its occurrences costs memory and
// time for nothing.
const maxPostings = 256

// maxPerFile is how many occurrences of one k-gram in one corpus file are
// chained; beyond it only verbatim occurrences are.
const maxPerFile = 4

// maxOpen bounds the regions chained at once for one corpus file.
const maxOpen = 32

// chain groups a target's hits by corpus file and chains them into
// regions, keeping those big enough to report.
func chain(t *Target, postings map[uint64]corpus.Hit, k int32, opts Options) []*region {
	n := 0
	for _, fp := range t.Fingerprints {
		n += len(postings[fp.Hash].Postings)
	}
	hits := make([]hit, 0, n)
	for _, fp := range t.Fingerprints {
		ps := postings[fp.Hash].Postings
		df := postings[fp.Hash].DF
		exact := uint16(fp.Exact >> 16)
		// A verbatim occurrence weighs by how many files hold the k-gram
		// verbatim: code of a common shape (a switch returning 1, 2, 3...)
		// is rare once its names are counted. An occurrence that matches
		// only after normalization weighs by the k-gram's document
		// frequency, and is ignored above MaxDF.
		exactDF, prev := 0, uint32(0)
		for _, p := range ps {
			if p.Exact == exact && (exactDF == 0 || p.File != prev) {
				exactDF++
				prev = p.File
			}
		}
		normWeight, exactWeight := rarity(df), rarity(exactDF)
		for i := 0; i < len(ps); {
			// Postings come sorted by file. A k-gram repeated many times in
			// one corpus file (rows of a table, say) is ambiguous: keep only
			// its verbatim occurrences there, if any.
			j := i
			for j < len(ps) && ps[j].File == ps[i].File {
				j++
			}
			repeated := j-i > maxPerFile
			// Where the file holds the k-gram verbatim, its other
			// occurrences (code of the same shape nearby, matching only
			// after normalization) would pull the region's source range
			// onto them: keep the verbatim ones.
			hasVerbatim := false
			for _, p := range ps[i:j] {
				hasVerbatim = hasVerbatim || p.Exact == exact
			}
			for _, p := range ps[i:j] {
				verbatim := p.Exact == exact
				if !verbatim && (repeated || hasVerbatim || df > opts.MaxDF) {
					continue
				}
				h := hit{file: p.File, tpos: fp.Pos, tline: fp.Line, tend: fp.EndLine,
					sline: p.Line, send: p.EndLine, exact: verbatim, ident: fp.Hash &^ (1 << 63), weight: normWeight,
					anchor: !verbatim && fp.Anchor != 0 && p.Anchor == fp.Anchor, end: fp.End}
				if verbatim {
					h.ident = uint64(fp.Exact) | 1<<63
					h.weight = exactWeight
				}
				hits = append(hits, h)
			}
			i = j
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.file, b.file); c != 0 {
			return c
		}
		if c := cmp.Compare(a.tpos, b.tpos); c != 0 {
			return c
		}
		return cmp.Compare(a.sline, b.sline)
	})
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
		// Close regions left behind.
		kept := open[:0]
		for _, r := range open {
			if h.tpos-r.lastPos > gapT {
				done = append(done, r)
			} else {
				kept = append(kept, r)
			}
		}
		open = kept
		// Join the region whose source span h continues best.
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
		if best == nil {
			if len(open) >= maxOpen {
				// Retire the region idle the longest.
				oldest := 0
				for i, r := range open {
					if r.lastPos < open[oldest].lastPos {
						oldest = i
					}
				}
				done = append(done, open[oldest])
				open = append(open[:oldest], open[oldest+1:]...)
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
		r = r.pruneEdges(k)
		dense := float64(r.covered) >= opts.MinMatched*float64(r.span())
		switch {
		case r.evidence() >= float64(opts.MinTokens) && len(r.hits) >= opts.MinHits && dense:
			out = append(out, r)
		case opts.SourceText != nil && dense && r.evidence() >= weakEvidence*float64(opts.MinTokens) &&
			(len(r.hits) >= weakHits || len(r.hits) >= weakHitsVerbatim && r.allVerbatim()):
			r.weak = true
			out = append(out, r)
		case opts.SourceText != nil && dense && r.evidence() >= thinEvidence*float64(opts.MinTokens) && len(r.hits) >= thinHits:
			r.weak, r.thin = true, true
			out = append(out, r)
		case opts.SourceText != nil && dense && len(r.hits) == 1 && r.allVerbatim() && r.evidence() >= float64(k):
			// One rare verbatim k-gram: all that winnowing guarantees of
			// a copied function of t to 45 tokens (see thinHits), and
			// all that a function of K to t tokens keeps: the k-gram that
			// ends it (see region.endsDeclaration).
			r.weak, r.thin = true, true
			out = append(out, r)
		}
	}
	return out
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

// extend fits the token range [first, last) of a region to the bracket
// structure of the code. Winnowing puts the first and last shared
// fingerprint of a copied run up to W-1 tokens inside it, so a copied
// function's signature or closing braces can fall outside the hits; and a
// shared run can spill over the copy's edges where the neighbouring code
// has the same shape (the "}" before a pasted function, the "func (" of the
// next one). So:
//   - closing brackets in the first k tokens, which close code before the
//     region, are dropped with what precedes them; a last line the region covers only in part (fewer than k
//     tokens of it) is dropped, and a first line covered in part is taken
//     whole;
//   - brackets the region closes but opened before it are included,
//     widening it backward;
//   - a short unbalanced tail after the region's last balanced point (less
//     than k tokens: a spill-over) is dropped; otherwise the brackets the
//     region leaves open are closed, widening it forward.
//
// Widening goes at most limit tokens each way (snap for whole blocks: W,
// what winnowing can miss at an edge); when the structure does not resolve
// within the limit the edge stays as it is.
func extend(toks []fingerprint.Token, first, last int32, k, limit, snap int) (int32, int32) {
	// A closer in the first k tokens that closes code before the region is
	// the tail of that code (the ")" of an import block, the "}" of the
	// function before), spilled into the shared run: start after it.
	d, cut := 0, int32(-1)
	for j := first; j < last && int(j-first) < k; j++ {
		d += toks[j].Bracket()
		if d < 0 {
			cut, d = j, 0
		}
	}
	if cut >= 0 && cut < last-1 {
		first = cut + 1
	}
	// A range that falls short of its enclosing block by what winnowing can
	// miss is the whole block. Failing that, each edge alone moves to the
	// inside of the block when it is that close to it: the copied body of
	// a function merged into a larger one ends where that body ends.
	if f, l := snapBlock(toks, first, last, snap); f != first || l != last {
		return f, l
	}
	first, last = snapEdges(toks, first, last, snap)
	// Copies are made of whole lines: a region ending a few tokens into a
	// line that goes on ("} func chain(" after a pasted function) ends
	// before that line; one starting inside a line starts at its
	// beginning.
	if int(last) < len(toks) && toks[last].Line == toks[last-1].EndLine {
		ls := last - 1
		for ls > first && toks[ls-1].EndLine == toks[last-1].Line {
			ls--
		}
		if ls > first && int(last-ls) < k {
			last = ls
		}
	}
	for first > 0 && toks[first-1].EndLine == toks[first].Line && limit > 0 {
		first--
		limit--
	}
	d, minD := 0, 0
	for j := first; j < last; j++ {
		d += toks[j].Bracket()
		minD = min(minD, d)
	}
	need := -minD // brackets closed in the range but opened before it
	for j := first - 1; need > 0 && j >= 0 && int(first-j) <= limit; j-- {
		need -= toks[j].Bracket()
		if need == 0 {
			first = j
		}
	}
	// Depth relative to the (possibly widened) start, and the last point
	// where the range is balanced.
	open, balanced := 0, first
	for j := first; j < last; j++ {
		open += toks[j].Bracket()
		if open == 0 && toks[j].Bracket() != 0 {
			balanced = j + 1
		}
	}
	if open == 0 {
		return snapBlock(toks, first, last, snap)
	}
	if balanced > first && int(last-balanced) < k {
		return snapBlock(toks, first, balanced, snap)
	}
	for j := last; open > 0 && int(j) < len(toks) && int(j-last) < limit; j++ {
		open += toks[j].Bracket()
		if open == 0 {
			last = j + 1
		}
	}
	return snapBlock(toks, first, last, snap)
}

// snapEdges moves each end of [first, last) to the inside of the innermost
// block holding the range, when it is at most limit tokens from it: the
// statements winnowing missed at either end.
func snapEdges(toks []fingerprint.Token, first, last int32, limit int) (int32, int32) {
	depth := 0
	for j := first - 1; j >= 0 && int(first-j) <= limit; j-- {
		depth -= toks[j].Bracket()
		if depth < 0 {
			if toks[j].Sym == symOpenBrace {
				first = j + 1
			}
			break
		}
	}
	depth = 0
	for j := last; int(j) < len(toks) && int(j-last) < limit; j++ {
		depth += toks[j].Bracket()
		if depth < 0 {
			if toks[j].Sym == symCloseBrace {
				last = j
			}
			break
		}
	}
	return first, last
}

// The symbols of braces: blocks, as opposed to argument lists.
var (
	symOpenBrace  = fingerprint.Tokenize(fingerprint.Go, []byte("{"), nil)[0].Sym
	symCloseBrace = fingerprint.Tokenize(fingerprint.Go, []byte("}"), nil)[0].Sym
)

// snapBlock widens [first, last) to the innermost bracketed block holding
// it, with the line of its opener, when the range falls short of the
// block by at most limit tokens at each end: a copied function whose first
// statement and last lines the fingerprints missed is the whole function.
func snapBlock(toks []fingerprint.Token, first, last int32, limit int) (int32, int32) {
	for range 8 { // nested blocks: a loop inside a function, ...
		f, l := snapOnce(toks, first, last, limit)
		if f == first && l == last {
			break
		}
		first, last = f, l
	}
	return first, last
}

func snapOnce(toks []fingerprint.Token, first, last int32, limit int) (int32, int32) {
	// The nearest unmatched opener before first...
	depth, open := 0, int32(-1)
	for j := first - 1; j >= 0 && int(first-j) <= limit; j-- {
		depth -= toks[j].Bracket()
		if depth < 0 {
			open = j
			break
		}
	}
	if open < 0 {
		return first, last
	}
	// ... and the closer that matches it, after last.
	depth = 1
	for j := open + 1; int(j) < len(toks); j++ {
		depth += toks[j].Bracket()
		if depth == 0 {
			if j < last-1 || int(j-last) >= limit {
				return first, last // the block ends inside the range, or far after it
			}
			start := open
			for start > 0 && toks[start-1].EndLine == toks[open].Line {
				start--
			}
			// Not beyond the previous statement: the header of the block
			// is on the opener's line.
			return min(first, start), j + 1
		}
		if j-open > int32(4*limit)+last-first {
			break
		}
	}
	return first, last
}

// mergeRegions merges regions of one corpus file into the best of them
// (mostCovered; see bestRegion for the finding's): those whose source
// lines lie within gap lines of it. Regions elsewhere in the file (a
// similar function) are left out.
func mergeRegions(rs []*region, k, gap int32) *region {
	return mergeInto(rs, mostCovered(rs), k, gap)
}

// mostCovered returns the region of rs of most verbatim and total
// coverage (the first of equals).
func mostCovered(rs []*region) *region {
	best := rs[0]
	for _, x := range rs[1:] {
		if x.covered+x.exactCovered > best.covered+best.exactCovered {
			best = x
		}
	}
	return best
}

// mergeInto is mergeRegions around the region best of rs.
func mergeInto(rs []*region, best *region, k, gap int32) *region {
	if len(rs) == 1 {
		return best
	}
	m := *best
	m.hits = slices.Clone(best.hits)
	merged := false
	for _, x := range rs {
		if x == best || x.smax < m.smin-gap || x.smin > m.smax+gap {
			continue
		}
		// A piece of the copy covers target lines the others do not; a
		// region within the same target lines maps them to a twin of the
		// source nearby (two similar functions), not to more of it.
		if ov := min(x.tmax, m.tmax) - max(x.tmin, m.tmin) + 1; 2*ov > x.tmax-x.tmin+1 {
			continue
		}
		merged = true
		m.tmin, m.tmax = min(m.tmin, x.tmin), max(m.tmax, x.tmax)
		m.smin, m.smax = min(m.smin, x.smin), max(m.smax, x.smax)
		m.first, m.last = min(m.first, x.first), max(m.last, x.last)
		m.weighted += x.weighted
		m.hits = append(m.hits, x.hits...)
	}
	if !merged {
		return best
	}
	slices.SortStableFunc(m.hits, func(a, b hit) int { return cmp.Compare(a.tpos, b.tpos) })
	m.covered, m.exactCovered = m.coverage(m.first, m.last, k)
	return &m
}

// overlaps reports whether two regions cover mostly the same target
// lines: their overlap is at least half of the shorter one.
func overlaps(a, b *region) bool {
	lo, hi := max(a.tmin, b.tmin), min(a.tmax, b.tmax)
	if hi < lo {
		return false
	}
	shorter := min(a.tmax-a.tmin, b.tmax-b.tmin) + 1
	return 2*(hi-lo+1) >= shorter
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

func bestRegionOf(regs []*region, file uint32) *region {
	var best *region
	for _, r := range regs {
		if r.file == file && (best == nil || r.covered > best.covered) {
			best = r
		}
	}
	return best
}

func firstN(s []Source, n int) []Source {
	if len(s) > n {
		s = s[:n]
	}
	return slices.Clone(s)
}

// sourcesOf returns one Source per location of the given files, the
// preferred first (see prefer).
func sourcesOf(ids []uint32, files map[uint32]*corpus.FileInfo) []Source {
	var out []Source
	for _, id := range ids {
		f := files[id]
		if f == nil {
			continue
		}
		for _, l := range f.Locations {
			out = append(out, sourceOf(f, l))
		}
		if len(f.Locations) == 0 {
			out = append(out, Source{FileID: id, FileLines: f.Lines, Size: f.Size, Sum: f.Sum})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return prefer(out[i], out[j]) })
	return out
}

func sourceOf(f *corpus.FileInfo, l corpus.LocationInfo) Source {
	s := Source{FileID: f.ID, Path: l.Path, FileLines: f.Lines, License: l.Attribution.License,
		LicenseSource: l.Attribution.Source, LicenseFile: l.Attribution.LicenseRef, LicenseText: l.Attribution.LicenseText,
		Copyrights: l.Attribution.Copyrights, Holders: l.Attribution.Holders,
		Vendored: l.Flags&corpus.FlagVendored != 0, Test: corpus.IsTest(l.Path, l.Flags), Size: f.Size, Sum: f.Sum}
	if l.Root != nil {
		s.Root = l.Root.Path
	}
	if p := l.Package; p != nil {
		s.Package, s.Version, s.PURL, s.Ecosystem = p.Name, p.Version, p.PURL, p.Ecosystem
		if p.Vendored {
			s.Vendored = true
		}
	}
	return s
}

// prefer orders candidate origins: outside vendor trees first, then in a
// package with a version, then with a known license, then library code
// before tests, then by root and path.
func prefer(a, b Source) bool {
	if a.Vendored != b.Vendored {
		return !a.Vendored
	}
	if (a.Version != "") != (b.Version != "") {
		return a.Version != ""
	}
	if (a.License != "") != (b.License != "") {
		return a.License != ""
	}
	// Code is copied from a library more often than from its tests.
	if a.Test != b.Test {
		return !a.Test
	}
	// The rest by name, not by file ID: IDs follow the order in which
	// parallel indexing finished, and reports must not depend on it.
	if a.Root != b.Root {
		return a.Root < b.Root
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.FileID < b.FileID
}

// betterFile orders two corpus files holding equally good regions.
func betterFile(a, b *corpus.FileInfo) bool {
	if a == nil || b == nil {
		return a != nil
	}
	sa, sb := sourcesOf([]uint32{a.ID}, map[uint32]*corpus.FileInfo{a.ID: a}), sourcesOf([]uint32{b.ID}, map[uint32]*corpus.FileInfo{b.ID: b})
	if len(sa) == 0 || len(sb) == 0 {
		return len(sa) > 0
	}
	return prefer(sa[0], sb[0])
}

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

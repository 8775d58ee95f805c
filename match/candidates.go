package match

import (
	"cmp"
	"context"
	"slices"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// Candidates: from a batch of targets' fingerprints to each target's hits.
// All the batch's fingerprints are looked up in one call (the corpus
// reader is batched by contract); a hit is one occurrence of a target's
// k-gram in a corpus file, with its lines on both sides, whether it
// matches verbatim, and its weight as evidence of copying (rarity).
// Targets whose normalized token stream equals a corpus file's are looked
// up here too: they are whole-file candidates. Output: per target, its
// hits sorted by corpus file and target position (chain.go), and the
// corpus files of the same normalized content (findings.go).

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

// maxPostings bounds the occurrences of one k-gram that are chained: a
// k-gram found more often (in few files, or the DF limit would drop it) is
// a repeated pattern, and chaining all its occurrences costs memory and
// time for nothing.
const maxPostings = 256

// maxPerFile is how many occurrences of one k-gram in one corpus file are
// chained; beyond it only verbatim occurrences are.
const maxPerFile = 4

// lookup returns the postings of every fingerprint of targets, in one
// lookup for the whole batch. Postings of k-grams above MaxDF are decoded
// too (up to the corpus's StopDF): their verbatim occurrences can still
// be rare.
func lookup(ctx context.Context, idx Index, targets []Target) (map[uint64]corpus.Hit, error) {
	var hashes []uint64
	for i := range targets {
		for _, fp := range targets[i].Fingerprints {
			hashes = append(hashes, fp.Hash)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	postings := make(map[uint64]corpus.Hit)
	err := idx.Lookup(ctx, hashes, 0, func(i int, h corpus.Hit) {
		if len(h.Postings) > 0 && len(h.Postings) <= maxPostings {
			postings[hashes[i]] = corpus.Hit{DF: h.DF, Postings: slices.Clone(h.Postings)}
		}
	})
	if err != nil {
		return nil, err
	}
	return postings, nil
}

// sameContent returns the corpus files of each normalized content of
// targets of at least MinTokens tokens: whole-file candidates.
func sameContent(ctx context.Context, idx Index, targets []Target, opts Options) (map[uint64][]uint32, error) {
	norms := make([]uint64, 0, len(targets))
	for i := range targets {
		if targets[i].Tokens >= opts.MinTokens {
			norms = append(norms, targets[i].NormHash)
		}
	}
	slices.Sort(norms)
	return idx.FilesByNorm(ctx, slices.Compact(norms))
}

// hitsOf returns the hits of t's fingerprints in postings, sorted by
// corpus file, target position and source line.
func hitsOf(t *Target, postings map[uint64]corpus.Hit, opts Options) []hit {
	n := 0
	for _, fp := range t.Fingerprints {
		n += len(postings[fp.Hash].Postings)
	}
	hits := make([]hit, 0, n)
	for _, fp := range t.Fingerprints {
		hits = appendHits(hits, fp, postings[fp.Hash], opts)
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
	return hits
}

// appendHits appends to hits those of fingerprint fp, whose postings
// (sorted by file) and document frequency ph holds.
//
// A verbatim occurrence weighs by how many files hold the k-gram
// verbatim: code of a common shape (a switch returning 1, 2, 3...) is
// rare once its names are counted. An occurrence that matches only after
// normalization weighs by the k-gram's document frequency, and is
// ignored above MaxDF.
func appendHits(hits []hit, fp fingerprint.Fingerprint, ph corpus.Hit, opts Options) []hit {
	ps, df := ph.Postings, ph.DF
	exact := uint16(fp.Exact >> 16)
	normWeight, exactWeight := rarity(df), rarity(exactDF(ps, exact))
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
			hits = append(hits, newHit(fp, p, verbatim, normWeight, exactWeight))
		}
		i = j
	}
	return hits
}

// exactDF returns the number of files among postings ps (sorted by file)
// that hold the k-gram whose exact hash has the top bits exact.
func exactDF(ps []corpus.Posting, exact uint16) int {
	n, prev := 0, uint32(0)
	for _, p := range ps {
		if p.Exact == exact && (n == 0 || p.File != prev) {
			n++
			prev = p.File
		}
	}
	return n
}

// newHit returns the hit of fingerprint fp at posting p, verbatim or
// not, weighed by the rarity of the k-gram's normalized or verbatim
// occurrences.
func newHit(fp fingerprint.Fingerprint, p corpus.Posting, verbatim bool, normWeight, exactWeight float32) hit {
	h := hit{file: p.File, tpos: fp.Pos, tline: fp.Line, tend: fp.EndLine,
		sline: p.Line, send: p.EndLine, exact: verbatim, ident: fp.Hash &^ (1 << 63), weight: normWeight,
		anchor: !verbatim && fp.Anchor != 0 && p.Anchor == fp.Anchor, end: fp.End}
	if verbatim {
		h.ident = uint64(fp.Exact) | 1<<63
		h.weight = exactWeight
	}
	return h
}

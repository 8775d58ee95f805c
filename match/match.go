// Package match turns fingerprint hits into findings: regions of a target
// file reused from a corpus file, with exact line ranges on both sides, a
// score, and one origin per region.
//
// # Pipeline
//
// Match runs these stages in order, each in its own file:
//
//   - candidates (candidates.go): every fingerprint of a batch of target
//     files is looked up at once; fingerprints held by more than MaxDF
//     corpus files are boilerplate, and count only where they match
//     verbatim. Each target gets its hits: one per corpus occurrence of
//     its fingerprints, weighed by rarity. Targets whose normalized token
//     stream equals a corpus file's are found here too.
//   - chain (chain.go): the hits of each corpus file are chained in target
//     order into regions: a hit joins the open region whose source lines
//     it continues (within GapLines of the region's source span, and
//     within GapTokens of its last target hit), so that a region follows
//     target and source advancing together while tolerating edits,
//     insertions and local reordering. A region is kept when its hits
//     cover at least MinTokens target tokens (weighed as evidence) with
//     at least MinHits fingerprints: shorter shared runs are idioms, not
//     copies. Smaller regions are kept as weak candidates when the
//     source's text can confirm them.
//   - confirm (confirm.go): a weak region is reported only once its edges
//     are aligned with the source's text and the alignment shows a copy
//     (most tokens aligned, names mapped one to one).
//   - choose origin (origin.go): regions of different corpus files that
//     cover the same target lines are the same finding found in several
//     places (forks, vendored copies, other versions): the best-covering
//     file is the origin, its text compared with the target's among
//     near-twins; a file within 10% of its score that holds the original
//     of its code (the Go distribution's, the earlier published package's,
//     the package a vendored copy came from) is the origin in its place;
//     at equal coverage, a location outside vendor trees, in a named
//     package; the others are counted as alternates.
//   - align edges (align.go, bridge.go, extend.go): the edges of a
//     region are aligned with the source's text token by token
//     (Options.SourceText), across code inserted into the copy, then
//     fitted to the brackets of the target's code; both line ranges come
//     from there. Confirm aligns a weak region's edges to judge it;
//     findings, the origin region's to report it.
//   - findings (findings.go): each group of regions becomes one finding
//     (a whole-file finding when it covers nearly all of both files),
//     findings of the shapes people write anew without copying are
//     dropped unless they keep the source's names (idiom.go), and the
//     pieces of one copy are folded into one.
//   - rewrites (rewrite.go): the Go functions of a target that no finding
//     explains are looked up in the corpus's rewrite index
//     (Options.Rewrites), and each one found becomes a finding of its
//     own kind, KindRewrite.
//
// The package knows nothing of output formats, and nothing of bbolt: it
// reads the corpus through the Index interface.
package match

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/rewrite"
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
	// align.go). Match calls it once per corpus file, from several
	// goroutines at once: it must be safe for concurrent use.
	SourceText func(*corpus.FileInfo) []byte

	// Rewrites, if set, finds the corpus functions that the targets'
	// rewrite units (Target.Units) were rewritten from (see rewrite.go).
	Rewrites RewriteFinder

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

// withDefaults returns o with its zero fields set to the defaults.
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
	// Units are the file's rewrite units (rewrite.Extract), looked up
	// when Options.Rewrites is set.
	Units []rewrite.Unit
	// Text, if set, is the text of a Go file whose Units have not been
	// extracted: when Options.Rewrites is set, Match extracts them after
	// winnowing, only if the file's findings leave some of its lines
	// uncovered (parsing is most of the rewrite stage's cost), and drops
	// the text.
	Text []byte
}

// Kinds of findings.
const (
	KindSnippet = "snippet"
	KindFile    = "file"
	// KindRewrite is a function rewritten from a corpus function: its
	// names, idioms and statement order changed, its APIs, literals and
	// structure kept (see Finding.Rewrite).
	KindRewrite = "rewrite"
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
	// Published is when the package version holding the location was
	// published (corpus.Package.Published), zero when unknown.
	Published time.Time
	// Closer marks an alternate that matches the target better than the
	// origin named in its place (the origin holds its original: see
	// preferOriginal): the target may hold what the copy changed, so a
	// policy judges the finding by both.
	Closer bool
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
	// Rewrite describes a finding of KindRewrite (nil for the others):
	// its Tokens are the function's, its Matched and Exact zero.
	Rewrite *Rewrite

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

// Match finds the reused regions of targets in idx. Results are in the
// order of targets; findings are sorted by target line.
func Match(ctx context.Context, idx Index, targets []Target, opts Options) ([]Result, error) {
	opts = opts.withDefaults().withParams(idx.Params())
	postings, err := lookup(ctx, idx, targets)
	if err != nil {
		return nil, err
	}
	byNorm, err := sameContent(ctx, idx, targets, opts)
	if err != nil {
		return nil, err
	}
	results, cands, err := chainAll(ctx, targets, postings, byNorm, opts)
	if err != nil {
		return nil, err
	}
	files, err := idx.Files(ctx, cands.files())
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	if opts.SourceText != nil {
		if opts.sources, err = newSourceTokens(opts.SourceText, idx.Params(), workers); err != nil {
			return nil, err
		}
	}
	if err := findAll(ctx, targets, cands, files, opts, workers, results); err != nil {
		return nil, err
	}
	if opts.Rewrites != nil {
		extractUnits(targets, results, workers)
		if err := Rewrites(ctx, idx, targets, results, opts.Rewrites); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// withParams returns o with the settings that follow from the corpus's
// fingerprint parameters.
func (o Options) withParams(p corpus.Params) Options {
	o.k = p.K
	o.extendLimit = p.K + p.W
	// An edge up to a window short of its block is where winnowing lost
	// the copy's first or last statements; without the source's text to
	// align the edges with, two windows (EVALUATION.md, tuning: 2W finds
	// 1.2 to 2 points more than W without the alignment, W 0.5 to 0.7
	// more than 2W with it: 2W moves the edges of a body merged into a
	// larger function out to the host function's).
	o.snapLimit = p.W
	return o
}

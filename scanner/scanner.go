// Package scanner scans target trees against a corpus: it walks the
// targets, fingerprints every source file with the corpus's parameters,
// and hands the fingerprints to the matcher in batches, so that one
// lookup serves many files.
package scanner

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/walk"
)

// Options configure Scan.
type Options struct {
	// Workers is the number of fingerprinting goroutines; zero means
	// GOMAXPROCS.
	Workers int
	// Walk configures the walk of the targets.
	Walk walk.Options
	// Match tunes the matcher.
	Match match.Options
	// Text scans plain-text files too.
	Text bool
	// BatchFiles is the number of files per lookup batch; zero means 256.
	BatchFiles int
	// BatchBytes bounds the bytes of a lookup batch's files; zero means
	// DefaultBatchBytes. A batch of large generated files ends there,
	// before BatchFiles. Files read and not yet matched hold twice as
	// many bytes at most (their tokens and fingerprints take about six
	// times as much memory, a Go file's text once more while the
	// matcher may extract its rewrite units), plus one file per worker.
	BatchBytes int64
	// FingerprintBytes bounds the bytes of the files the workers
	// fingerprint at once; zero means DefaultFingerprintBytes. A worker
	// takes 5 to 16 times its file's bytes while it fingerprints it (its
	// tokens and their copy, the hashes of its k-grams): a file that
	// passes the bound waits for the others, and they for it, so that
	// two generated tables of several megabytes are not fingerprinted
	// at once.
	FingerprintBytes int64
	// Progress, if set, is updated as files are scanned.
	Progress *Progress
	// NoSourceText keeps the matcher from reading corpus files to align
	// the edges of findings with them (match.Options.SourceText, which
	// Scan sets to Sources.Text unless this is set or it is already set).
	// The findings' sources are still read back, once, to say whether
	// they changed since they were indexed.
	NoSourceText bool
	// Sources reads the corpus files back at their locations: for the
	// matcher, and to mark the findings whose source changed or is gone
	// (Sources.Mark). A caller that reads sources after the scan (a
	// report's code views) passes its own, which remembers what it found;
	// nil means one of Walk.MaxFileSize bytes at most per file.
	Sources *Sources
	// NotCode, if set, tells the files of an unsupported type that hold
	// no code (manifests, license files, documentation) by their path:
	// they are counted in Stats.NotCode, not as skipped.
	NotCode func(path string) bool
	// GoText keeps the text of Go files in their targets (Target.Text),
	// as Match.Rewrites does, for a Corpus that matches elsewhere (a scan
	// server, which gets no text) to extract the rewrite units of those
	// that need them.
	GoText bool
	// SourcesElsewhere says that the corpus files are where the Corpus
	// matches, not here (a scan server): its Match marks the findings'
	// sources (Changed, Gone) and Scan reads none back.
	SourcesElsewhere bool
	// ListOtherLanguages lists in Stats.Skips the files of an unsupported
	// type whose name marks a programming language snipscan does not read
	// (filecheck.OtherLanguage; the skip's error says which): code the scan
	// did not look at. Otherwise they are only counted, as the other files
	// of unsupported types are, so that a scan keeps no list that grows
	// with the tree.
	ListOtherLanguages bool
}

// Progress holds counters another goroutine may read during a scan.
type Progress struct {
	Files atomic.Int64
	Bytes atomic.Int64
}

// Stats describes a finished scan.
type Stats struct {
	Files   int            `json:"files"` // source files fingerprinted and looked up
	Bytes   int64          `json:"bytes"`
	Skipped map[string]int `json:"skipped"` // by reason
	// Skips lists the skipped files but those of unsupported types (most
	// of a tree's files), which Skipped only counts, unless
	// Options.ListOtherLanguages lists those of other languages.
	Skips []walk.Skip `json:"-"`
	// Unscanned are the skips of files that are or may be source code
	// and were not read (filecheck.Unscanned), sorted by path: a scan
	// cannot tell whether they hold copied code.
	Unscanned []walk.Skip `json:"-"`
	// NotCode counts the files of an unsupported type that Options.NotCode
	// says are not code; they are not in Skipped.
	NotCode int           `json:"not_code"`
	Elapsed time.Duration `json:"elapsed_ns"`
	// MaxHeld is the most bytes of target files read and not yet matched
	// at once: below 2·Options.BatchBytes plus the largest file.
	MaxHeld int64 `json:"max_held_bytes"`
	// MaxFingerprinting is the most bytes of files fingerprinted at once:
	// below Options.FingerprintBytes plus the largest file.
	MaxFingerprinting int64 `json:"max_fingerprinting_bytes"`
}

// Report is the outcome of a scan.
type Report struct {
	// Results hold the scanned files that have findings, sorted by path
	// (Stats.Files counts them all): the memory a scan keeps per file
	// grows with its findings, not with the size of the tree.
	Results []match.Result
	Stats   Stats
}

// A Corpus matches batches of target files: an index read here (Local),
// or a scan server.
type Corpus interface {
	// Params are the corpus's parameters, which targets are fingerprinted
	// with.
	Params() corpus.Params
	// Match matches one batch of targets (match.Match).
	Match(ctx context.Context, targets []match.Target, opts match.Options) ([]match.Result, error)
}

// Local returns the Corpus that matches targets against idx here.
func Local(idx match.Index) Corpus { return local{idx} }

// local is the Corpus of an index read in this process.
type local struct{ idx match.Index }

func (l local) Params() corpus.Params { return l.idx.Params() }

func (l local) Match(ctx context.Context, targets []match.Target, opts match.Options) ([]match.Result, error) {
	return match.Match(ctx, l.idx, targets, opts)
}

// Scan scans the targets at paths against idx. The source of each
// finding is marked when it changed or is gone since it was indexed
// (match.Source.Changed, Gone).
func Scan(ctx context.Context, idx match.Index, paths []string, opts Options) (*Report, error) {
	return ScanCorpus(ctx, Local(idx), paths, opts)
}

// ScanCorpus scans the targets at paths against c, as Scan does.
func ScanCorpus(ctx context.Context, idx Corpus, paths []string, opts Options) (*Report, error) {
	start := time.Now()
	opts, err := opts.withDefaults(ctx, idx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	held := newInflight(ctx, 2*opts.BatchBytes)
	busy := newInflight(ctx, opts.FingerprintBytes)
	files := make(chan *walk.File, 256)
	items := make(chan item, 256)
	var walkErr error
	go func() {
		defer close(files)
		walkErr = walkTargets(ctx, paths, opts.Walk, held, files, items)
	}()
	var wg sync.WaitGroup
	for i := 0; i < opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prepareAll(ctx, idx.Params().Fingerprint(), opts, busy, files, items)
		}()
	}
	go func() {
		wg.Wait()
		close(items)
	}()

	c := &collector{ctx: ctx, cancel: cancel, idx: idx, opts: opts, held: held,
		rep: &Report{Stats: Stats{Skipped: map[string]int{}}}, decoded: map[string][]byte{}}
	for it := range items {
		c.add(it)
	}
	c.flush()
	err = c.err
	if err == nil {
		err = walkErr
	}
	if err == nil {
		err = ctx.Err()
	}
	rep := c.finish()
	if err == nil && !opts.SourcesElsewhere {
		opts.Sources.Mark(rep.Results)
	}
	rep.Stats.Elapsed = time.Since(start)
	rep.Stats.MaxHeld = held.max()
	rep.Stats.MaxFingerprinting = busy.max()
	return rep, err
}

// withDefaults returns opts with its zero values defaulted, the walk set
// to read the files worth reading and the matcher to read corpus texts
// (unless NoSourceText), checking the corpus's parameters.
func (opts Options) withDefaults(ctx context.Context, idx Corpus) (Options, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchFiles <= 0 {
		opts.BatchFiles = 256
	}
	if opts.BatchBytes <= 0 {
		opts.BatchBytes = DefaultBatchBytes
	}
	if opts.FingerprintBytes <= 0 {
		opts.FingerprintBytes = DefaultFingerprintBytes
	}
	if opts.Walk.MaxFileSize <= 0 {
		opts.Walk.MaxFileSize = walk.DefaultMaxFileSize
	}
	opts.Walk.Want = filecheck.Want(opts.Text)
	if opts.Sources == nil {
		opts.Sources = NewSources(ctx, opts.Walk.MaxFileSize)
	}
	if opts.Match.SourceText == nil && !opts.NoSourceText {
		opts.Match.SourceText = opts.Sources.Text
	}
	if err := idx.Params().Fingerprint().Validate(); err != nil {
		return opts, fmt.Errorf("scan: %w", err)
	}
	return opts, nil
}

// item is what a worker made of one target file, or a file the walk
// skipped.
type item struct {
	target *match.Target
	skip   *walk.Skip
	size   int64
	raw    []byte // the bytes of a target decoded from another encoding than UTF-8
}

// walkTargets walks paths, sending the files to read to files (once held
// has room for their bytes) and the files skipped to items.
func walkTargets(ctx context.Context, paths []string, opts walk.Options, held *inflight, files chan<- *walk.File, items chan<- item) error {
	for _, p := range paths {
		err := walk.Walk(ctx, p, opts, func(f *walk.File) error {
			held.acquire(f.Size)
			select {
			case files <- f:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, func(s walk.Skip) {
			s = filecheck.Classify(s)
			select {
			case items <- item{skip: &s}:
			case <-ctx.Done():
			}
		})
		if err != nil {
			return fmt.Errorf("scan %s: %w", p, err)
		}
	}
	return nil
}

// prepareAll reads and fingerprints the files until the channel closes,
// sending each to items. Each file's bytes are counted in busy while it
// is fingerprinted, and the buffers of a large one released after it.
func prepareAll(ctx context.Context, params fingerprint.Params, opts Options, busy *inflight, files <-chan *walk.File, items chan<- item) {
	fp, _ := fingerprint.New(params)
	rd := &filecheck.Reader{MaxSize: opts.Walk.MaxFileSize, Text: opts.Text}
	for f := range files {
		busy.acquire(f.Size)
		t, raw, s := prepare(fp, f, rd, opts.Match.Rewrites != nil || opts.GoText)
		fp.Trim() // prepare copied what it keeps
		busy.release(f.Size)
		select {
		case items <- item{target: t, skip: s, size: f.Size, raw: raw}:
		case <-ctx.Done():
		}
	}
}

// collector gathers the items of a scan: it counts the skipped files
// (not code, by reason, unscanned), and batches the targets, matching a
// batch once it holds Options.BatchFiles files or Options.BatchBytes
// bytes. It runs on one goroutine.
type collector struct {
	ctx    context.Context
	cancel context.CancelFunc // stops the scan when a match fails
	idx    Corpus
	opts   Options
	held   *inflight
	rep    *Report

	batch      []match.Target
	batchBytes int64
	decoded    map[string][]byte // the raw bytes of the batch's decoded targets, by path
	err        error             // the first match error
}

// add takes one item.
func (c *collector) add(it item) {
	if p := c.opts.Progress; p != nil {
		p.Files.Add(1)
		p.Bytes.Add(max(it.size, 0))
	}
	if it.skip != nil {
		c.held.release(it.size)
		c.skip(*it.skip)
		return
	}
	c.rep.Stats.Files++
	c.rep.Stats.Bytes += it.size
	c.batch = append(c.batch, *it.target)
	if it.raw != nil {
		c.decoded[it.target.Path] = it.raw
	}
	if c.batchBytes += it.size; len(c.batch) >= c.opts.BatchFiles || c.batchBytes >= c.opts.BatchBytes {
		c.flush()
	}
}

// skip counts a skipped file: as not code when Options.NotCode says a
// file of an unsupported type holds none, else by its reason, listing
// the skips of other reasons (and of other languages, when
// Options.ListOtherLanguages says so) and the unscanned files.
func (c *collector) skip(s walk.Skip) {
	st := &c.rep.Stats
	switch {
	case s.Reason == walk.ReasonUnsupported && c.opts.NotCode != nil && c.opts.NotCode(s.Path):
		st.NotCode++
		return
	case s.Reason != walk.ReasonUnsupported:
		st.Skips = append(st.Skips, s)
	case c.opts.ListOtherLanguages:
		if lang := filecheck.OtherLanguage(s.Path); lang != "" {
			s.Err = fmt.Errorf("%s, %w", lang, filecheck.ErrOtherLanguage)
			st.Skips = append(st.Skips, s)
		}
	}
	st.Skipped[s.Reason]++
	if filecheck.Unscanned(s) {
		st.Unscanned = append(st.Unscanned, s)
	}
}

// flush matches the batch, keeps the results with findings, and lets the
// walk read on.
func (c *collector) flush() {
	defer func() {
		clear(c.batch) // the targets' tokens, for the garbage collector
		c.held.release(c.batchBytes)
		c.batch, c.batchBytes = c.batch[:0], 0
	}()
	if len(c.batch) == 0 || c.err != nil {
		return
	}
	res, err := c.idx.Match(c.ctx, c.batch, c.opts.Match)
	if err != nil {
		c.err = err
		c.cancel()
		return
	}
	rawOffsets(res, c.decoded)
	clear(c.decoded)
	for _, r := range res {
		if len(r.Findings) > 0 {
			c.rep.Results = append(c.rep.Results, r)
		}
	}
}

// finish sorts the report's results, skips and unscanned files by path,
// and returns it.
func (c *collector) finish() *Report {
	rep := c.rep
	slices.SortFunc(rep.Results, func(a, b match.Result) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(rep.Stats.Skips, func(a, b walk.Skip) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(rep.Stats.Unscanned, func(a, b walk.Skip) int { return cmp.Compare(a.Path, b.Path) })
	return rep
}

// DefaultBatchBytes is Options.BatchBytes's default. Files of 16 KB and
// more on average (generated code) end a batch before BatchFiles does:
// the files it holds, tokenized, and the regions of their hits are most
// of a scan's memory.
const DefaultBatchBytes = 4 << 20

// DefaultFingerprintBytes is Options.FingerprintBytes's default: files
// of a hand-written size do not wait for each other, a generated one of
// several megabytes is fingerprinted alone.
const DefaultFingerprintBytes = 1 << 20

// inflight counts the bytes of the files in one stage of a scan, and
// holds those who would add to them while they reach its limit: the
// target files read and not yet matched, which the walk waits for, so
// that whatever the tree a scan holds the tokens of two lookup batches at
// most; and the files being fingerprinted, which the workers wait for.
type inflight struct {
	mu    sync.Mutex
	freed sync.Cond
	used  int64
	peak  int64 // the most used at once
	limit int64
	done  bool // the scan ended: nothing waits
}

// newInflight returns an inflight of the given limit, which stops holding
// anything once ctx is done.
func newInflight(ctx context.Context, limit int64) *inflight {
	in := &inflight{limit: limit}
	in.freed.L = &in.mu
	context.AfterFunc(ctx, func() {
		in.mu.Lock()
		in.done = true
		in.mu.Unlock()
		in.freed.Broadcast()
	})
	return in
}

// acquire waits until fewer bytes than the limit are in flight, then
// counts n more. A file larger than the limit passes too: its batch,
// matched, frees the way.
func (in *inflight) acquire(n int64) {
	in.mu.Lock()
	for in.used >= in.limit && !in.done {
		in.freed.Wait()
	}
	in.used += n
	in.peak = max(in.peak, in.used)
	in.mu.Unlock()
}

// release counts n bytes out of flight.
func (in *inflight) release(n int64) {
	in.mu.Lock()
	in.used -= n
	in.mu.Unlock()
	in.freed.Broadcast()
}

// max returns the most bytes that were in flight at once.
func (in *inflight) max() int64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.peak
}

// prepare reads, checks, decodes and fingerprints one target file, and
// keeps the text of a Go file when units is set, for the matcher to
// extract its rewrite units from. It returns
// the file's bytes too when they were decoded from another encoding than
// UTF-8 (nil otherwise).
func prepare(fp *fingerprint.Fingerprinter, f *walk.File, rd *filecheck.Reader, units bool) (*match.Target, []byte, *walk.Skip) {
	txt, skip := rd.Read(f)
	if skip != nil {
		return nil, nil, skip
	}
	data, lang := txt.Data, txt.Lang
	res := fp.File(lang, data)
	t := &match.Target{Path: f.Path(), Lang: lang, Lines: res.Lines, Tokens: len(res.Tokens), Size: len(data), Sum: corpus.Sum(data),
		NormHash: res.NormHash, Fingerprints: slices.Clone(res.Fingerprints), Lexed: slices.Clone(res.Tokens)}
	if units && lang == fingerprint.Go {
		// The matcher extracts the units of the files that winnowing
		// does not explain (match.Target.Text).
		t.Text = slices.Clone(data)
	}
	var raw []byte
	if txt.Encoding != filecheck.EncodingUTF8 {
		raw = slices.Clone(txt.Raw)
	}
	return t, raw, nil
}

// rawOffsets turns the byte ranges of the findings in decoded targets
// (offsets in their UTF-8 text) into offsets in the files' own bytes,
// given by path in raw. Line numbers need nothing: decoding keeps them.
func rawOffsets(results []match.Result, raw map[string][]byte) {
	for i := range results {
		data, ok := raw[results[i].Path]
		if !ok {
			continue
		}
		for j := range results[i].Findings {
			b := &results[i].Findings[j].Bytes
			if b[1] > b[0] {
				b[0], b[1] = filecheck.OriginalOffset(data, b[0]), filecheck.OriginalOffset(data, b[1])
			}
		}
	}
}

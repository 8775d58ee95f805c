// Package indexer builds a corpus: it walks directories and archives of
// licensed code, fingerprints every new file content, works out the
// package, license and copyright of every location, and hands the results
// to a corpus.Writer.
//
// The pipeline has three stages: one goroutine walks the roots and skips
// locations that did not change since the last run (same size and
// modification time); workers (one per CPU) read, check, hash, fingerprint
// and classify; the calling goroutine owns the writer, which buffers
// postings and flushes them into sorted segments. A content seen before
// (in this run or an earlier one) is never fingerprinted again: only its
// new location is recorded.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/rewrite"
	"github.com/snipscan/snipscan/walk"
)

// Options configure Index.
type Options struct {
	// Workers is the number of fingerprinting goroutines; zero means
	// GOMAXPROCS.
	Workers int
	// Walk configures the directory and archive walk.
	Walk walk.Options
	// Writer configures the corpus writer (batch sizes).
	Writer corpus.WriterOptions
	// Text indexes plain-text files (.txt, .md, .rst) too.
	Text bool
	// Logger receives notes; nil discards them.
	Logger *slog.Logger
	// Progress, if set, is updated as files are processed.
	Progress *Progress
	// Prune removes, after a complete walk of a root, the locations an
	// earlier run indexed below it that this walk did not find (deleted
	// files, and files now skipped or excluded).
	Prune bool
	// NotCode, if set, tells the files of an unsupported type that hold
	// no code (manifests, license files, documentation) by their path:
	// they are counted in Stats.NotCode, not as skipped.
	NotCode func(path string) bool
	// Published gives the publication time of packages fetched from a
	// registry, by package URL: a package detected with that URL (and not
	// vendored in another) records it (corpus.Package.Published).
	Published map[string]time.Time
	// Fetched holds, by path (as given to Index), the record of a package
	// fetched from its registry into that directory: once every file of
	// the path was handed to the writer, it is recorded
	// (corpus.Writer.Fetched), so that later runs need not fetch or index
	// it again.
	Fetched map[string]corpus.Fetched
}

// Progress holds counters that another goroutine may read while Index
// runs.
type Progress struct {
	Files atomic.Int64 // files processed (indexed, deduplicated, unchanged or skipped)
	Bytes atomic.Int64 // the bytes of those read (indexed, deduplicated, or ruled out by their content)
	// Path is the path (as given to Index) being walked: its files are
	// being read, or about to be.
	Path atomic.Pointer[string]
}

// Stats describes a finished run.
type Stats struct {
	Files        int            `json:"files"`   // files indexed, deduplicated or unchanged (skipped ones are in Skipped)
	Bytes        int64          `json:"bytes"`   // their bytes
	Indexed      int            `json:"indexed"` // new contents fingerprinted
	IndexedBytes int64          `json:"indexed_bytes"`
	Duplicates   int            `json:"duplicates"`              // locations of a content already known
	Unchanged    int            `json:"unchanged"`               // locations unchanged since the last run
	Removed      int            `json:"removed"`                 // locations removed by Prune
	PruneSkipped string         `json:"prune_skipped,omitempty"` // why Prune removed nothing, if it did not run
	Fingerprints int            `json:"fingerprints"`
	Units        int            `json:"rewrite_units"` // function units of the rewrite stage
	Skipped      map[string]int `json:"skipped"`       // by reason
	// Skips lists the skipped files but those of unsupported types (most
	// of a tree's files), which Skipped only counts.
	Skips []walk.Skip `json:"-"`
	// NotCode counts the files of an unsupported type that Options.NotCode
	// says are not code; they are not in Skipped.
	NotCode  int           `json:"not_code"`
	Segments int           `json:"segments"`
	Elapsed  time.Duration `json:"elapsed_ns"`
}

// skip counts a skipped file: as not code when notCode (may be nil) says
// a file of an unsupported type holds none, else by its reason; it lists
// the skips of other reasons.
func (s *Stats) skip(sk walk.Skip, notCode func(string) bool) {
	switch {
	case sk.Reason == walk.ReasonUnsupported && notCode != nil && notCode(sk.Path):
		s.NotCode++
		return
	case sk.Reason != walk.ReasonUnsupported:
		s.Skips = append(s.Skips, sk)
	}
	s.Skipped[sk.Reason]++
}

// Index indexes paths (directories or archives) into db. Until it
// returns without error, the database is marked unfinished
// (corpus.DB.Unfinished).
func Index(ctx context.Context, db corpus.Store, paths []string, opts Options) (*Stats, error) {
	start := time.Now()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Walk.MaxFileSize <= 0 {
		opts.Walk.MaxFileSize = walk.DefaultMaxFileSize
	}
	opts.Walk.Meta = isMetaFile
	opts.Walk.Want = filecheck.Want(opts.Text)
	if opts.Writer.RewriteVersion == 0 {
		opts.Writer.RewriteVersion = rewrite.FeatureVersion
	}
	w, err := db.OpenWriter(opts.Writer)
	if err != nil {
		return nil, err
	}
	ix := &indexer{db: db, w: w, opts: opts, cls: license.New(), stats: &Stats{Skipped: map[string]int{}},
		roots: map[*walk.Root]*rootState{}, above: map[*walk.Root]*dirLicense{}, vendors: map[*walk.Dir]map[string]string{}}
	err = ix.run(ctx, paths)
	if err == nil {
		err = w.Finish() // the run completed: the database is no longer marked unfinished
	} else {
		w.Close() // the error is the run's; the database stays marked unfinished
	}
	// After Close, which flushes the last segment.
	ix.stats.Segments = w.Stats().Segments
	ix.stats.Elapsed = time.Since(start)
	return ix.stats, err
}

// below reports whether p is one of paths or lies below one of them
// (paths made absolute, as walk.Root.Path is).
func below(p string, paths []string) bool {
	for _, q := range paths {
		abs, err := filepath.Abs(q)
		if err != nil {
			continue
		}
		if p == abs || strings.HasPrefix(p, abs+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// isMetaFile names the files the indexer reads besides source files.
func isMetaFile(base string) bool {
	return license.IsLicenseFile(base) || license.IsNoticeFile(base) || license.IsReadme(base) || isManifest(base)
}

type indexer struct {
	db    corpus.Store
	w     corpus.IndexWriter
	opts  Options
	cls   *license.Classifier
	stats *Stats

	rootsMu sync.Mutex
	roots   map[*walk.Root]*rootState
	dirs    sync.Map // *walk.Dir -> *dirState

	aboveMu sync.Mutex
	above   map[*walk.Root]*dirLicense      // license files above each root
	vendors map[*walk.Dir]map[string]string // modules.txt of vendor directories

	rootCtx    sync.Map // *walk.Root -> *rootContext
	cacheRoots sync.Map // slash path -> whether it is a Go module cache's root

	unreadable int // paths the walk could not read: pruning would drop what they hold

	// Per path given to Index (writer goroutine only): results written,
	// and once its walk ended, how many it produced and its root.
	written []int
	ends    []*pathEnd
}

// pathEnd is the end of the walk of one path: the results it produced
// (files sent to the workers, unchanged files, skips) and its root's ID
// (0 when it had no file).
type pathEnd struct {
	results int
	rootID  uint32
}

// rootState is what the indexer knows of one root.
type rootState struct {
	id   uint32
	err  error
	prev map[string]corpus.Location // locations indexed by an earlier run
	seen map[string]bool            // locations of this run (for Prune); written by the writer goroutine
}

// job is a file to process; result is what a worker made of it.
type job struct {
	f    *walk.File
	root *rootState
	pi   int // the index of the path it comes from
}

type result struct {
	job
	skip    *walk.Skip
	fresh   bool
	rec     corpus.FileRecord
	fps     []fingerprint.Fingerprint
	units   []corpus.RewriteUnit // rewrite units of a fresh Go file
	attr    corpus.Attribution
	licText []byte // the license file text the attribution refers to
	pkg     *pkgState
	flags   uint8 // the location's corpus flags
	size    int64
	end     *pathEnd // the end of the walk of path pi, not a file
}

func (ix *indexer) root(r *walk.Root) *rootState {
	ix.rootsMu.Lock()
	defer ix.rootsMu.Unlock()
	if rs, ok := ix.roots[r]; ok {
		return rs
	}
	id, prev, err := ix.w.Root(r.Path, r.Kind)
	rs := &rootState{id: id, prev: prev, err: err, seen: map[string]bool{}}
	ix.roots[r] = rs
	return rs
}

func (ix *indexer) run(ctx context.Context, paths []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, 256)
	results := make(chan result, 256)

	// Walk.
	var walkErr error
	ix.written, ix.ends = make([]int, len(paths)), make([]*pathEnd, len(paths))
	go func() {
		defer close(jobs)
		for pi, p := range paths {
			if ix.opts.Progress != nil {
				ix.opts.Progress.Path.Store(&paths[pi])
			}
			end := &pathEnd{}
			err := walk.Walk(ctx, p, ix.opts.Walk, func(f *walk.File) error {
				rs := ix.root(f.Root)
				if rs.err != nil {
					return rs.err
				}
				if end.rootID == 0 {
					end.rootID = rs.id
				}
				end.results++
				// An unchanged location keeps its record, unless it was
				// written before its flags said whether it is test code.
				if prev, ok := rs.prev[f.Rel]; ok && prev.Size == f.Size && prev.MTime == f.ModTime && f.ModTime != 0 &&
					prev.Flags&corpus.FlagTestKnown != 0 {
					results <- result{job: job{f: f, root: rs, pi: pi}, size: -1}
					return nil
				}
				select {
				case jobs <- job{f: f, root: rs, pi: pi}:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}, func(s walk.Skip) {
				s = filecheck.Classify(s)
				end.results++
				results <- result{job: job{pi: pi}, skip: &s}
			})
			if err != nil {
				walkErr = fmt.Errorf("index %s: %w", p, err)
				return
			}
			results <- result{job: job{pi: pi}, end: end}
		}
	}()

	// Work.
	var wg sync.WaitGroup
	for i := 0; i < ix.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix.worker(ctx, jobs, results)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Write.
	var err error
	for r := range results {
		if err != nil {
			continue // drain
		}
		err = ix.writeCounted(r, paths)
		if err != nil {
			cancel()
		}
	}
	if err == nil {
		err = walkErr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil && ix.opts.Prune {
		err = ix.prune(ctx, paths)
	}
	return err
}

// prune removes the locations of every root walked that the walk did not
// see. It runs only after every root was walked to its end.
//
// A path the walk could not read (an unreadable directory, a damaged
// archive) may hold files that are still there: then nothing is pruned,
// and Stats.PruneSkipped says why.
//
// Roots the walk did not reach at all (a directory left without files to
// index, a nested archive deleted or no longer read) lose every location
// when they lie at or below one of paths.
func (ix *indexer) prune(ctx context.Context, paths []string) error {
	if ix.unreadable > 0 {
		ix.stats.PruneSkipped = fmt.Sprintf("%d path(s) could not be read", ix.unreadable)
		return nil
	}
	visited := map[string]bool{}
	for r := range ix.roots {
		visited[r.Path] = true
	}
	info, err := ix.db.Info(ctx)
	if err != nil {
		return err
	}
	for _, root := range info.Roots {
		if visited[root.Path] || !below(root.Path, paths) {
			continue
		}
		id, prev, err := ix.w.Root(root.Path, root.Kind)
		if err != nil {
			return err
		}
		ix.roots[&walk.Root{Path: root.Path, Kind: root.Kind}] = &rootState{id: id, prev: prev, seen: map[string]bool{}}
	}
	for _, rs := range ix.roots {
		var gone []string
		for p := range rs.prev {
			if !rs.seen[p] {
				gone = append(gone, p)
			}
		}
		slices.Sort(gone)
		n, err := ix.w.RemoveLocations(rs.id, gone)
		ix.stats.Removed += n
		if err != nil {
			return err
		}
	}
	return nil
}

// writeCounted hands one result to the writer, and once the last result
// of its path is written, records the package fetched into that path, if
// any (Options.Fetched). It runs on the writer goroutine.
func (ix *indexer) writeCounted(r result, paths []string) error {
	if r.end != nil {
		ix.ends[r.pi] = r.end
	} else {
		if err := ix.write(r); err != nil {
			return err
		}
		ix.written[r.pi]++
	}
	end := ix.ends[r.pi]
	if end == nil || ix.written[r.pi] != end.results {
		return nil
	}
	if rec, ok := ix.opts.Fetched[paths[r.pi]]; ok {
		rec.Indexed = time.Now().UTC()
		ix.w.Fetched(end.rootID, rec)
	}
	return nil
}

// write hands one result to the writer. It runs on the writer goroutine.
func (ix *indexer) write(r result) error {
	st := ix.stats
	if r.skip != nil {
		// A path that could not be read may hold files that are still
		// there; a link that leads nowhere holds none.
		if r.skip.Reason == walk.ReasonUnreadable && !errors.Is(r.skip.Err, walk.ErrDanglingLink) || r.skip.Reason == walk.ReasonCorrupt {
			ix.unreadable++
		}
		st.skip(*r.skip, ix.opts.NotCode)
		if p := ix.opts.Progress; p != nil {
			p.Files.Add(1)
			if r.f != nil { // read, and ruled out by its content: its bytes were processed
				p.Bytes.Add(r.f.Size)
			}
		}
		return nil
	}
	f := r.f
	r.root.seen[f.Rel] = true
	st.Files++
	st.Bytes += f.Size
	if p := ix.opts.Progress; p != nil {
		p.Files.Add(1)
		p.Bytes.Add(f.Size)
	}
	if r.size == -1 {
		st.Unchanged++
		return nil
	}
	loc := corpus.Location{RootID: r.root.id, Path: f.Rel, FileID: r.rec.ID, Size: f.Size, MTime: f.ModTime}
	loc.Flags = r.flags
	if r.pkg != nil {
		id, err := ix.packageID(r.root.id, r.pkg)
		if err != nil {
			return err
		}
		loc.PkgID = id
	}
	if r.attr.LicenseText != "" {
		ix.w.LicenseText(r.licText)
	}
	loc.AttrID = ix.w.Attribution(r.attr)
	if r.fresh {
		st.Indexed++
		st.IndexedBytes += f.Size
		st.Fingerprints += len(r.fps)
		st.Units += len(r.units)
		ix.w.AddUnits(r.rec.ID, r.units)
		return ix.w.AddFile(r.rec, r.fps, loc)
	}
	st.Duplicates++
	return ix.w.AddLocation(loc)
}

// worker processes jobs until the channel closes.
func (ix *indexer) worker(ctx context.Context, jobs <-chan job, results chan<- result) {
	fp, err := fingerprint.New(ix.db.Params().Fingerprint())
	if err != nil {
		panic(err) // the database validated its parameters when it was opened
	}
	rd := &filecheck.Reader{MaxSize: ix.opts.Walk.MaxFileSize, Text: ix.opts.Text}
	for j := range jobs {
		if ctx.Err() != nil {
			continue
		}
		r := ix.process(fp, j, rd)
		fp.Trim() // process copied what it keeps
		select {
		case results <- r:
		case <-ctx.Done():
		}
	}
}

// maxHeader bounds the comment header handed to the license classifier.
const maxHeader = 16 << 10

// process reads, checks, fingerprints and classifies one file.
func (ix *indexer) process(fp *fingerprint.Fingerprinter, j job, rd *filecheck.Reader) result {
	f := j.f
	r := result{job: j}
	txt, skip := rd.Read(f)
	if skip != nil {
		r.skip = skip
		return r
	}
	data, lang := txt.Data, txt.Lang
	sum := corpus.Sum(data)
	id, fresh := ix.w.Claim(sum)
	r.rec = corpus.FileRecord{ID: id, Sum: sum, Size: int64(len(data)), Lang: lang}
	r.fresh = fresh
	var headerEnd int
	if fresh {
		res := fp.File(lang, data)
		r.rec.Lines, r.rec.Tokens, r.rec.NormHash = res.Lines, len(res.Tokens), res.NormHash
		r.fps = append([]fingerprint.Fingerprint(nil), res.Fingerprints...)
		headerEnd = res.HeaderEnd
	} else {
		// A known content: only its header is needed, for the license.
		headerEnd = fingerprint.HeaderEnd(lang, data[:min(len(data), maxHeader)])
	}
	r.attr, r.licText, r.pkg = ix.attribution(f, data[:min(headerEnd, maxHeader)])
	r.flags = ix.locationFlags(f, r.pkg)
	// Test code is left out of the rewrite stage: it is rarely what is
	// copied, and it holds a third of a Go corpus's functions. Test code
	// is what locationFlags says it is, whatever directory was indexed.
	if fresh && lang == fingerprint.Go && r.flags&corpus.FlagTest == 0 {
		r.units = rewriteUnits(f.Rel, data)
	}
	return r
}

// rewriteUnits extracts the rewrite units of a Go file; a file that does
// not parse has none (it is still fingerprinted).
func rewriteUnits(name string, data []byte) []corpus.RewriteUnit {
	units, err := rewrite.Extract(name, data, rewrite.Options{})
	if err != nil {
		return nil
	}
	out := make([]corpus.RewriteUnit, len(units))
	for i, u := range units {
		out[i] = corpus.RewriteUnit{Line: u.Line, EndLine: u.EndLine, FuncLine: u.FuncLine, FuncEndLine: u.FuncEndLine,
			Stmts: u.Stmts, Features: u.Bag}
	}
	return out
}

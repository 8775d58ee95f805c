package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/registry"
)

// packageArgs separates the package references among index's arguments
// (go:..., npm:...) from its paths, and adds those of the --packages and
// --deps files; it says on stderr which dependencies of a --deps file
// come from elsewhere than a registry, and so are not indexed. A
// malformed reference or an unreadable list is a usage error.
func packageArgs(e env, args []string, lists, deps []string) (paths []string, refs []registry.Ref, err error) {
	for _, a := range args {
		if !registry.IsRef(a) {
			paths = append(paths, a)
			continue
		}
		r, err := registry.ParseRef(a)
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		r.From = "the command line"
		refs = append(refs, r)
	}
	for _, l := range lists {
		data, err := os.ReadFile(l)
		if err != nil {
			return nil, nil, usagef("--packages %s: %v", l, unwrapPath(err))
		}
		more, err := registry.ReadList(l, data)
		if err != nil {
			return nil, nil, usagef("--packages %v", err)
		}
		refs = append(refs, more...)
	}
	for _, d := range deps {
		more, err := registry.ReadDeps(d)
		if err != nil {
			return nil, nil, usagef("--deps %v", unwrapPath(err))
		}
		refs = append(refs, more.Refs...)
		sayElsewhere(e, d, more.Elsewhere)
	}
	return paths, uniqueRefs(refs), nil
}

// sayElsewhere tells on stderr which dependencies of the --deps file at
// p no registry holds (at most ten by name).
func sayElsewhere(e env, p string, deps []registry.Elsewhere) {
	if len(deps) == 0 {
		return
	}
	fmt.Fprintf(e.stderr, "snipscan index: --deps %s: not indexed, from elsewhere than a registry (%d; index such code as a directory):\n", p, len(deps))
	for i, d := range deps {
		if i == 10 {
			fmt.Fprintf(e.stderr, "  and %d more\n", len(deps)-i)
			break
		}
		fmt.Fprintf(e.stderr, "  %s: %s\n", d.Name, d.Via)
	}
}

// uniqueRefs drops the references that repeat an earlier one.
func uniqueRefs(refs []registry.Ref) []registry.Ref {
	seen := map[string]bool{}
	var out []registry.Ref
	for _, r := range refs {
		if k := r.String(); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// listFlag is a repeatable flag of file names.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// fetchSettings are the flags of index that bear on fetches.
type fetchSettings struct {
	jobs            int  // --fetch-jobs
	allowUnverified bool // --allow-unverified
}

// fetchPackages fetches refs (set.jobs at a time) into the caches, with
// a progress bar on stderr when showBar, skipping those db already
// holds, and prints a summary on stderr. It returns the results and the
// directories to index with the records the indexer is to commit for
// them (by directory) and their publication times (by purl).
func fetchPackages(ctx context.Context, e env, db corpus.Reader, refs []registry.Ref, set fetchSettings, showBar bool) ([]*registry.Result, indexedPackages, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, indexedPackages{}, fmt.Errorf("no cache directory for packages: %w", err)
	}
	wd, _ := os.Getwd()
	var done, bytes atomic.Int64
	opts := registry.Options{Jobs: set.jobs, AllowUnverified: set.allowUnverified, CacheDir: filepath.Join(cache, "snipscan"), Getenv: e.getenv, WorkDir: wd,
		Bytes: &bytes, Known: func(purl string) (string, bool, error) {
			f, err := db.Fetched(purl)
			if err != nil || f == nil {
				return "", false, err
			}
			return f.Digest, true, nil
		}}
	var bar *progressbar.ProgressBar
	if showBar {
		bar = fetchBar(e, len(refs))
	}
	var mu sync.Mutex // orders the bar's updates
	opts.Done = func(r *registry.Result) {
		n := done.Add(1)
		if bar != nil {
			mu.Lock()
			bar.Describe(fmt.Sprintf("fetching %d/%d packages (%s %s)", n, len(refs), r.Ref, fetchState(r)))
			bar.Set64(bytes.Load())
			mu.Unlock()
		}
	}
	start := time.Now()
	results := registry.Fetch(ctx, refs, opts)
	if bar != nil {
		bar.Finish()
	}
	printFetchSummary(e, results, bytes.Load(), time.Since(start))
	return results, toIndex(results), nil
}

// fetchBar is a progress bar of the bytes downloaded, described by the
// packages done, drawn at once (before the first package is done).
func fetchBar(e env, n int) *progressbar.ProgressBar {
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionSetDescription(fmt.Sprintf("fetching 0/%d packages", n)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
}

// indexedPackages are the fetched packages an index run indexes.
type indexedPackages struct {
	dirs      []string
	fetched   map[string]corpus.Fetched // by directory
	published map[string]time.Time      // by purl
}

// current returns a function that names the fetched package whose
// directory the indexer is reading (its purl), or "" for other paths.
func (p indexedPackages) current(pr *indexer.Progress) func() string {
	return func() string {
		if path := pr.Path.Load(); path != nil {
			return p.fetched[*path].PURL
		}
		return ""
	}
}

// toIndex returns the packages of results to index: those fetched or
// found in a cache, not those the corpus holds or that failed.
func toIndex(results []*registry.Result) indexedPackages {
	p := indexedPackages{fetched: map[string]corpus.Fetched{}, published: map[string]time.Time{}}
	for _, r := range results {
		if r.Err != nil || r.Dir == "" || r.State == "indexed" {
			continue
		}
		if _, dup := p.fetched[r.Dir]; dup {
			continue
		}
		p.dirs = append(p.dirs, r.Dir)
		p.fetched[r.Dir] = corpus.Fetched{PURL: r.PURL, Digest: r.Digest, Root: r.Dir, Published: r.Published}
		if !r.Published.IsZero() {
			p.published[r.PURL] = r.Published
		}
	}
	return p
}

// fetchState says in a word what became of a reference, for the
// progress bar.
func fetchState(r *registry.Result) string {
	if r.Err != nil {
		return "failed"
	}
	return r.State
}

// printFetchSummary says on stderr what became of each reference: the
// counts of packages fetched, found in a cache, already indexed and
// failed, the bytes downloaded and the time the fetches took, and each
// failure with its reason.
func printFetchSummary(e env, results []*registry.Result, downloaded int64, elapsed time.Duration) {
	counts := map[string]int{}
	var failed []*registry.Result
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r)
			continue
		}
		counts[r.State]++
		if r.Verified == "" && r.State != "indexed" {
			fmt.Fprintf(e.stderr, "snipscan index: %s@%s indexed unverified (--allow-unverified): GONOSUMDB, GOPRIVATE or GOSUMDB=off exempt it from the checksum database and no go.sum line gives its hash\n", r.Name, r.Version)
		}
	}
	fmt.Fprintf(e.stderr, "packages: %d fetched, %d cached, %d already indexed, %d failed; %s downloaded in %s\n",
		counts["fetched"], counts["cached"], counts["indexed"], len(failed), bytesHuman(downloaded), elapsed.Round(time.Millisecond))
	for _, r := range failed {
		fmt.Fprintf(e.stderr, "failed %s (%s): %v\n", r.Ref, r.Ref.From, r.Err)
	}
}

// fetchFailures returns an error naming the references that failed, or
// nil.
func fetchFailures(results []*registry.Result) error {
	var names []string
	for _, r := range results {
		if r.Err != nil {
			names = append(names, r.Ref.String())
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("%d package%s could not be fetched or verified (%s): nothing was indexed; --keep-going indexes the others",
		len(names), plural(len(names)), strings.Join(names, ", "))
}

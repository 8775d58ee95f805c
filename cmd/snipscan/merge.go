package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/corpus/pgstore"
	"github.com/snipscan/snipscan/corpus/store"
	"github.com/snipscan/snipscan/report"
)

const mergeUsage = `
Usage: snipscan merge [flags] SHARD...

Merge corpus databases built by independent "snipscan index" jobs (one per
ecosystem, per machine, per slice of a module cache) into the database
--db, creating it if needed. Each SHARD is read, never changed. Nothing is
fingerprinted again: every file's fingerprints are copied with its
locations, packages (with their publication times), licenses and
copyright holders, and packages fetched from the registries stay known
as indexed whole (a shard that fetched a package with another digest
than the database's is refused). A content held by
several shards is stored once with all its locations; a path indexed
below the same root by two shards keeps the version of the shard merged
last.

The shards must share their fingerprint parameters (k, w, stop-df,
abstract-literals); a new --db takes them from the first shard. Running
the same merge again changes nothing, not even the file's size, so an
interrupted merge is completed by running it again (until then the
database is marked unfinished, and a scan refuses it); a shard that turns
out damaged stops the merge and commits nothing more of it, and a shard
an index run left unfinished is refused. A scan can also read shards
without merging them: snipscan scan --db A --db B.

Example:

	snipscan index --db go.db ~/go/pkg/mod
	snipscan index --db npm.db ./node_modules vendor/npm/*.tgz
	snipscan merge --db corpus.db go.db npm.db
`

func runMerge(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "merge", mergeUsage)
	dbPath := fs.String("db", "", "database `file` to merge into (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+")")
	verbose := fs.Bool("v", false, "log details on stderr")
	lockTimeout := lockTimeoutFlag(fs, "how long to wait (a `duration`) for another process holding a database")
	batch := intFlag(fs, "batch-postings", 0, 1, true, "`postings` buffered before a segment is committed (default 4194304, about 100 MB)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("no SHARD to merge")
	}
	path := *dbPath
	if path == "" {
		path = defaultDBPath(e.getenv)
	}
	for _, s := range fs.Args() {
		if same(s, path) {
			return usagef("%s is the database merged into: it cannot be one of the shards", s)
		}
	}
	for _, ref := range append([]string{path}, fs.Args()...) {
		if !store.IsFile(ref) {
			return usagef("merge reads and writes database files: %s is a PostgreSQL corpus (index into it directly)", pgstore.Redact(ref))
		}
	}
	// Open every shard before changing anything: a missing or foreign
	// shard fails the merge up front.
	var shards []*corpus.DB
	defer func() {
		for _, s := range shards {
			s.Close()
		}
	}()
	for _, s := range fs.Args() {
		db, err := corpus.Open(s, corpus.Options{ReadOnly: true, LockTimeout: *lockTimeout})
		if err != nil {
			return err
		}
		shards = append(shards, db)
		// A shard an index run left unfinished would pass its gaps on.
		if run, err := db.Unfinished(); err != nil {
			return err
		} else if run != nil {
			return fmt.Errorf("shard %s: %w: %s; run it again to complete the shard, then merge",
				s, corpus.ErrUnfinished, unfinishedRun(run.Started))
		}
	}
	log := logger(e, *verbose)
	p := shards[0].Params()
	dst, err := corpus.Open(path, corpus.Options{Params: p, LockTimeout: *lockTimeout, Logger: log})
	if err != nil {
		return err
	}
	defer dst.Close()
	for _, s := range shards {
		if s.Params() != dst.Params() {
			return fmt.Errorf("%s was built with %s, %s with %s: %w; shards must share their parameters",
				s.Path(), s.Params(), dst.Path(), dst.Params(), corpus.ErrParamsMismatch)
		}
	}
	w, err := dst.NewWriter(corpus.WriterOptions{BatchPostings: *batch, AfterTx: testHalt(ctx, e)})
	if err != nil {
		return err
	}
	var total corpus.MergeStats
	start := time.Now()
	for _, s := range shards {
		t0 := time.Now()
		st, err := w.Merge(ctx, s)
		if err != nil {
			w.Close()
			if ctx.Err() != nil {
				return &interruption{next: "what was committed is kept, run the same command again to complete it"}
			}
			return err
		}
		log.Debug("merged", "shard", s.Path(), "files", st.Files, "duplicates", st.Duplicates,
			"locations", st.Locations, "postings", st.Postings, "elapsed", time.Since(t0))
		total.Files += st.Files
		total.Duplicates += st.Duplicates
		total.Locations += st.Locations
		total.Postings += st.Postings
		total.Roots += st.Roots
		total.Packages += st.Packages
		total.Units += st.Units
	}
	if err := w.Finish(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "merged %s shard%s in %s: %s new files, %s duplicates; %s locations, %s roots, %s packages added or changed; %s fingerprints, %s functions for rewrites\n",
		report.Count(len(shards)), plural(len(shards)), time.Since(start).Round(time.Millisecond), report.Count(total.Files), report.Count(total.Duplicates),
		report.Count(total.Locations), report.Count(total.Roots), report.Count(total.Packages), report.Count(total.Postings), report.Count(total.Units))
	if fi, err := os.Stat(dst.Path()); err == nil {
		fmt.Fprintf(e.stdout, "database %s (%s)\n", dst.Path(), bytesHuman(fi.Size()))
	}
	return nil
}

// same reports whether paths a and b name the same file (or would, for a
// file that does not exist yet).
func same(a, b string) bool {
	fa, erra := os.Stat(a)
	fb, errb := os.Stat(b)
	if erra == nil && errb == nil {
		return os.SameFile(fa, fb)
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

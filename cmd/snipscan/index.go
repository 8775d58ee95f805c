package main

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/corpus/store"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/walk"
)

const indexUsage = `
Usage: snipscan index [flags] PATH|PACKAGE...

Index licensed source code into the corpus database. Each PATH is a
directory or an archive (.zip, .jar, .tar, .tar.gz, .tgz, .tar.bz2,
.tar.xz, read in place, never extracted). Every source file is tokenized and winnowed;
identical contents are stored once with all their locations; each location
records its package (go.mod, the Go module cache's module@version
directories and module zips, vendor/modules.txt, package.json, Cargo.toml,
pyproject.toml, setup.cfg, gemspec, pom.xml), its license as an SPDX
expression with the evidence that decided it, and its copyright holders.
A package is the same whichever directory is given: a PATH inside a
package (a directory of a module, of an npm package) belongs to the
package whose manifest lies above it, and a PATH in the Go module cache
(the cache, a host's directory, a module, a module's zip) gives the
module's path and version; a symbolic link is indexed as where it
leads. Whether a file is vendored (vendor/, node_modules/, third_party/
...) or test code (test/, testdata/, _test files) is read on its path
below its repository's or package's top, not below PATH. The helpers
Babel and TypeScript write into every JavaScript build (_createClass,
__awaiter, ...) are compiler output, not a package's code: they are not
indexed (a function of one's own merely named like one, _get or
ownKeys, is).

Indexing again is incremental: files whose size and modification time did
not change are not read again, changed ones are indexed again, and with
--prune the files that are gone are removed from the corpus. A run that is interrupted or killed keeps
what it committed and resumes where it stopped; until a run completes,
the database is marked unfinished (info and check say so) and a scan
refuses it unless --allow-incomplete. A run that fails (exit 2) without
indexing anything into a database it created removes that database.

A file in another encoding than UTF-8 is decoded, not skipped: UTF-16
when it starts with a byte order mark, or without one when every other
byte of its start is NUL, else Windows-1252 (Latin-1); its lines stay
those of the file. Binary files, files over --max-file-size,
unreadable files, symlink loops and damaged archives are skipped and
counted; -v lists them. Files that are not code (manifests and lock
files, license, notice and policy files, documentation, data) are
counted apart, as not code.

A PACKAGE is a package version of a registry, fetched, verified and
indexed: go:MODULE@VERSION (a Go module through GOPROXY, into the module
cache, its zip checked against go.sum when --deps gives one, else against
the checksum database GOSUMDB; VERSION may be latest: the highest one its
author did not retract), or npm:NAME@VERSION
(an npm package from the registry of npm's configuration, .npmrc's
credentials included, its tarball checked against the registry's
integrity, into snipscan's cache; VERSION
may be a dist-tag such as latest, or a range such as ^4.17.0, picked as
npm picks it). --packages and --deps name more.
Packages in a cache are not fetched again, and a package the corpus holds
whole is neither fetched nor indexed again. A package that cannot be
fetched or verified is reported, and nothing is indexed (exit 2), unless
--keep-going. A Go module that GONOSUMDB, GOPRIVATE or GOSUMDB=off
exempt from the checksum database, and that no go.sum line gives a hash
of, is not verified: it fails too, unless --allow-unverified. Each
package records its publication time.

Examples:

	snipscan index "$(go env GOROOT)/src"
	snipscan index go:golang.org/x/sync@v0.10.0 npm:@babel/core@latest
	snipscan index --deps go.mod --deps web/package-lock.json
	snipscan index --db corpus.db ~/src/some-gpl-project module.zip
`

func runIndex(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "index", indexUsage)
	dbPath := fs.String("db", "", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+")")
	verbose := fs.Bool("v", false, "list skipped files and log details on stderr")
	maxSize := sizeFlag(fs, "max-file-size", walk.DefaultMaxFileSize, 1, "skip files larger than this `size` in bytes (or with a k, M or G suffix: KiB, MiB, GiB)")
	archives := fs.Bool("archives", false, "also index archives found inside directories")
	noFollow := fs.Bool("no-follow", false, "do not follow symbolic links")
	text := fs.Bool("text", false, "also index plain-text files (.txt, .md, .rst)")
	workers := intRangeFlag(fs, "workers", 0, 1, 1024, true, "fingerprinting `goroutines` (default: one per CPU)")
	progress := fs.String("progress", "auto", "progress bar on stderr, over the bytes of the files to read, cleared at the end: auto (when stderr is a terminal), always, never")
	lockTimeout := lockTimeoutFlag(fs, "how long to wait (a `duration`) for another process holding the database")
	batch := intFlag(fs, "batch-postings", 0, 1, true, "`postings` buffered before a segment is committed (default 4194304, about 100 MB)")
	k := intRangeFlag(fs, "k", 0, 2, 200, true, "k-gram length in `tokens`, for a new database (default 20)")
	w := intRangeFlag(fs, "w", 0, 1, 1000, true, "winnowing window in `k-grams`, for a new database (default 16)")
	prune := fs.Bool("prune", false, "remove from the corpus the files an earlier run indexed below PATH that are gone (or now skipped)")
	absLit := fs.Bool("abstract-literals", false, "abstract string and number literals to classes, for a new database (see EVALUATION.md: lower precision on the evaluation set)")
	var lists, deps listFlag
	fs.Var(&lists, "packages", "index the packages that `file` lists, one reference (go:MODULE@VERSION, npm:NAME@VERSION) a line, # for comments (repeatable)")
	fs.Var(&deps, "deps", "index the dependencies a project declares in `file`: a go.mod (with the go.sum beside it), a package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, or yarn.lock of yarn 2 or later (repeatable)")
	keepGoing := fs.Bool("keep-going", false, "index the packages that could be fetched and verified even when others could not (which are reported)")
	allowUnverified := fs.Bool("allow-unverified", false, "also index the Go modules that GONOSUMDB, GOPRIVATE or GOSUMDB=off exempt from the checksum database and that no go.sum line (--deps) gives a hash of (by default they fail: nothing verified them)")
	fetchJobs := intRangeFlag(fs, "fetch-jobs", 8, 1, 256, false, "packages fetched at a time")
	prof := addProfileFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	stopProfile, err := prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	paths, refs, err := packageArgs(e, fs.Args(), lists, deps)
	if err != nil {
		return err
	}
	if len(paths) == 0 && len(refs) == 0 {
		if len(lists)+len(deps) > 0 {
			return usagef("no package in %s", strings.Join(append(lists, deps...), ", "))
		}
		return usagef("no PATH to index")
	}
	if err := checkPaths(paths); err != nil {
		return err
	}
	showBar, err := wantProgress(*progress, e)
	if err != nil {
		return err
	}
	var packages indexedPackages
	path := *dbPath
	if path == "" {
		path = defaultDBPath(e.getenv)
	}
	log := logger(e, *verbose)
	_, statErr := os.Lstat(path)
	created := store.IsFile(path) && errors.Is(statErr, iofs.ErrNotExist)
	db, err := store.Open(ctx, path, corpus.Options{Params: corpus.Params{K: *k, W: *w, AbstractLiterals: *absLit}, LockTimeout: *lockTimeout, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()

	if len(refs) > 0 {
		results, pkgs, err := fetchPackages(ctx, e, db, refs, fetchSettings{jobs: *fetchJobs, allowUnverified: *allowUnverified}, showBar)
		if err != nil {
			return err
		}
		if err := fetchFailures(results); err != nil && !*keepGoing {
			if created {
				removeEmpty(ctx, db)
			}
			return err
		}
		if ctx.Err() != nil {
			return &interruption{next: "run the same command again: what was fetched is not fetched again"}
		}
		paths = append(paths, pkgs.dirs...)
		packages = pkgs
	}
	opts := indexer.Options{Fetched: packages.fetched, Published: packages.published, Workers: *workers, Text: *text, Logger: log, Prune: *prune, NotCode: notCode,
		Walk:   walk.Options{MaxFileSize: *maxSize, Archives: *archives, NoFollow: *noFollow},
		Writer: corpus.WriterOptions{BatchPostings: *batch, AfterTx: testHalt(ctx, e)}}
	var bar *progressBar
	if showBar {
		opts.Progress = &indexer.Progress{}
		bar = startProgress(ctx, e, "indexing", paths, opts.Walk, *text, &opts.Progress.Files, &opts.Progress.Bytes,
			packages.current(opts.Progress))
	}
	st, err := indexer.Index(ctx, db, paths, opts)
	bar.stop()
	failed := err != nil
	if err == nil {
		err = unreadRoots(paths, st.Skips)
	}
	removed := err != nil && created && removeEmpty(ctx, db)
	if st != nil {
		printIndexStats(e, st, db.Path(), *verbose, failed, removed)
	}
	if failed && ctx.Err() != nil {
		return &interruption{next: "what was committed is kept, run the same command again to resume"}
	}
	return err
}

// removeEmpty closes and removes the database db, which this run created,
// if the run committed nothing to it (no file, no segment of postings a
// run again would resume from), so that a failed first run leaves no
// empty database behind; it reports whether it did.
func removeEmpty(ctx context.Context, db corpus.Store) bool {
	info, err := db.Info(context.WithoutCancel(ctx))
	if err != nil || info.Files > 0 || info.Locations > 0 || info.Segments > 0 {
		return false
	}
	if err := db.Close(); err != nil {
		return false
	}
	return os.Remove(db.Path()) == nil
}

// printIndexStats prints what a run did; failed says it stopped early, so
// that its counts are of files processed, not all committed; removed,
// that the database it created was removed, holding nothing.
func printIndexStats(e env, st *indexer.Stats, dbPath string, verbose, failed, removed bool) {
	skipped := 0
	var reasons []string
	for r, n := range st.Skipped {
		skipped += n
		reasons = append(reasons, fmt.Sprintf("%s %s", r, report.Count(n)))
	}
	sort.Strings(reasons)
	verb := "indexed"
	if failed {
		verb = "stopped after processing" // what the last commit holds is kept; see the error
	}
	fmt.Fprintf(e.stdout, "%s %s file%s (%s) in %s: %s new, %s duplicates, %s unchanged; %s fingerprints\n", verb,
		report.Count(st.Files), plural(st.Files), bytesHuman(st.Bytes), st.Elapsed.Round(time.Millisecond), report.Count(st.Indexed),
		report.Count(st.Duplicates), report.Count(st.Unchanged), report.Count(st.Fingerprints))
	if skipped > 0 {
		fmt.Fprintf(e.stdout, "skipped %s %s: %s\n", report.Count(skipped), "file"+plural(skipped), strings.Join(reasons, ", "))
	}
	if st.NotCode > 0 {
		fmt.Fprintf(e.stdout, "not code: %s %s (manifests, license and policy files, documentation, data)\n", report.Count(st.NotCode), "file"+plural(st.NotCode))
	}
	if st.Removed > 0 {
		fmt.Fprintf(e.stdout, "pruned %s %s no longer found\n", report.Count(st.Removed), "location"+plural(st.Removed))
	}
	if st.PruneSkipped != "" {
		fmt.Fprintf(e.stderr, "snipscan index: nothing pruned: %s (they may hold files that are still there)\n", st.PruneSkipped)
	}
	if removed {
		fmt.Fprintf(e.stdout, "database %s removed: this run created it and indexed nothing into it\n", dbPath)
	} else if fi, err := os.Stat(dbPath); err == nil {
		fmt.Fprintf(e.stdout, "database %s (%s)\n", dbPath, bytesHuman(fi.Size()))
	}
	if verbose {
		for _, s := range st.Skips {
			fmt.Fprintf(e.stderr, "skipped %s\n", skipLine(s))
		}
	}
}

// bytesHuman formats a byte count in decimal units, as the progress bar
// does (1.0 MB is 1,000,000 bytes). Sizes set by flags, whose suffixes are
// binary, are printed by binarySize.
func bytesHuman(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

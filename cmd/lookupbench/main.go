// Command lookupbench times the lookups a scan makes against a corpus,
// without the rest of the scan: it fingerprints the files at PATH as one
// batch (as snipscan scan does for up to 256 files or 4 MB), then looks
// up their distinct fingerprints (corpus.Reader.Lookup) and reads the
// records of the corpus files they hit (Files), --runs times, and prints
// the median and the fastest time of each call, per batch and per hash.
//
//	lookupbench --db corpus.db --runs 20 DIR
//	lookupbench --db postgres://user@host/db --runs 20 DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/corpus/store"
	"github.com/snipscan/snipscan/scanner"
)

func main() {
	db := flag.String("db", "", "the corpus: a bbolt `file` or a postgres:// URL")
	runs := flag.Int("runs", 20, "timed `runs` of each call, after one to warm the caches")
	flag.Parse()
	if *db == "" || flag.NArg() == 0 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: lookupbench --db CORPUS [--runs N] PATH...")
		os.Exit(2)
	}
	if err := run(*db, *runs, flag.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "lookupbench: %v\n", err)
		os.Exit(2)
	}
}

func run(ref string, runs int, paths []string) error {
	ctx := context.Background()
	s, err := store.Open(ctx, ref, corpus.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	targets, err := scanner.Targets(ctx, s.Params(), paths, scanner.Options{BatchFiles: 1 << 20, BatchBytes: 1 << 40})
	if err != nil {
		return err
	}
	var hashes []uint64
	for _, t := range targets {
		for _, fp := range t.Fingerprints {
			hashes = append(hashes, fp.Hash)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)

	var lookups, files []time.Duration
	var hits, postings int
	var ids []uint32
	for i := range runs + 1 {
		seen := map[uint32]bool{}
		hits, postings = 0, 0
		start := time.Now()
		err := s.Lookup(ctx, hashes, 0, func(_ int, h corpus.Hit) {
			if len(h.Postings) > 0 {
				hits++
			}
			postings += len(h.Postings)
			for _, p := range h.Postings {
				seen[p.File] = true
			}
		})
		d := time.Since(start)
		if err != nil {
			return err
		}
		ids = ids[:0]
		for id := range seen {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		start = time.Now()
		if _, err := s.Files(ctx, ids); err != nil {
			return err
		}
		if i > 0 {
			lookups, files = append(lookups, d), append(files, time.Since(start))
		}
	}
	fmt.Printf("%d files, %d distinct hashes, %d with postings (%d postings, %d corpus files); Lookup %s median (%s best, %.1f µs per hash), Files %s median (%s best); %d runs\n",
		len(targets), len(hashes), hits, postings, len(ids), ms(median(lookups)), ms(slices.Min(lookups)),
		float64(median(lookups).Microseconds())/float64(max(len(hashes), 1)), ms(median(files)), ms(slices.Min(files)), runs)
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

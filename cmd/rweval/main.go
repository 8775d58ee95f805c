// Command rweval measures the rewrite stage: how many AI-style rewrites
// (mutate.Rewrite) of corpus functions it finds, and how many functions of
// code outside the corpus it flags.
//
//	go run ./cmd/snipscan index --db go.db "$(go env GOROOT)/src"
//	go run ./cmd/rweval --db go.db --corpus "$(go env GOROOT)/src" --unrelated DIR...
//
// Recall: every --every'th non-test function of at least --min-stmts
// statements below --corpus (in walk order) is rewritten with seed 1 and
// scanned; it is found when a match's source is that function. False
// flags: every function of the Go files below the --unrelated directories
// (test files included) is scanned; a flagged function is a false flag.
// Figures go to stdout.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/eval/mutate"
	"github.com/snipscan/snipscan/rewrite"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rweval:", err)
		os.Exit(2)
	}
}

func run() error {
	dbPath := flag.String("db", "", "corpus database indexed from --corpus")
	root := flag.String("corpus", "", "the indexed directory")
	every := flag.Int("every", 20, "rewrite every N-th eligible function")
	minStmts := flag.Int("min-stmts", 10, "smallest function rewritten")
	ratio := flag.Float64("ratio", 0, "ratio test (0: default)")
	minSim := flag.Float64("min-sim", 0, "smallest structural similarity (0: default)")
	minAnch := flag.Float64("min-anchors", 0, "smallest anchor similarity (0: default)")
	flag.Parse()
	ctx := context.Background()
	db, err := corpus.Open(*dbPath, corpus.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	fd, err := rewrite.NewFinder(db, rewrite.FindOptions{Ratio: *ratio, MinSim: *minSim, MinAnchors: *minAnch})
	if err != nil {
		return err
	}
	if *root != "" {
		if err := recall(ctx, db, fd, *root, *every, *minStmts); err != nil {
			return err
		}
	}
	for _, dir := range flag.Args() {
		if err := falseFlags(ctx, fd, dir); err != nil {
			return err
		}
	}
	return nil
}

// goFiles calls fn for every Go file below root (test files too when
// tests is set), in walk order.
func goFiles(root string, tests bool, fn func(path string, src []byte) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || !tests && strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		return fn(p, src)
	})
}

// recall rewrites functions of the corpus and counts those found.
func recall(ctx context.Context, db *corpus.DB, fd *rewrite.Finder, root string, every, minStmts int) error {
	start := time.Now()
	var eligible, tried, found, wrong, notApplicable int
	err := goFiles(root, false, func(p string, src []byte) error {
		if rewrite.IsGenerated(src) {
			return nil
		}
		units, err := rewrite.Extract(p, src, rewrite.Options{MinStmts: minStmts})
		if err != nil {
			return nil
		}
		fns, err := mutate.Funcs(p, src)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		for _, u := range units {
			eligible++
			if eligible%every != 0 {
				continue
			}
			var f *mutate.Func
			for i := range fns {
				if fns[i].EndLine == u.FuncEndLine {
					f = &fns[i]
				}
			}
			if f == nil {
				continue
			}
			res, err := mutate.Rewrite(*f, uint64(eligible))
			if err != nil {
				notApplicable++
				continue
			}
			tried++
			code := []byte("package p\n\n" + res.Code + "\n")
			tu, err := rewrite.Extract("rewritten.go", code, rewrite.Options{Helpers: true})
			if err != nil || len(tu) == 0 {
				continue
			}
			ms, err := fd.Find(ctx, tu)
			if err != nil {
				return err
			}
			hit, miss := false, false
			for _, m := range ms {
				infos, err := db.Files(ctx, []uint32{m.Source.File})
				if err != nil {
					return err
				}
				ok := false
				if fi := infos[m.Source.File]; fi != nil {
					for _, l := range fi.Locations {
						if l.Path == filepath.ToSlash(rel) && m.Source.FuncLine <= f.Line && f.Line <= m.Source.FuncEndLine {
							ok = true
						}
					}
				}
				hit = hit || ok
				miss = miss || !ok
			}
			if hit {
				found++
			} else if miss {
				wrong++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("recall: %d rewritten functions (%d eligible, %d not rewritable), found %d (%.1f%%), attributed to another source %d; %v\n",
		tried, eligible/every, notApplicable, found, 100*float64(found)/float64(max(tried, 1)), wrong, time.Since(start).Round(time.Millisecond))
	return nil
}

// falseFlags scans every function below dir and counts the flagged ones.
func falseFlags(ctx context.Context, fd *rewrite.Finder, dir string) error {
	start := time.Now()
	var files, funcs, units, flagged int
	err := goFiles(dir, true, func(p string, src []byte) error {
		us, err := rewrite.Extract(p, src, rewrite.Options{Helpers: true, MinStmts: 1})
		if err != nil {
			return nil
		}
		files++
		seen := map[int]bool{}
		var big []rewrite.Unit
		for _, u := range us {
			if !seen[u.FuncLine] {
				seen[u.FuncLine] = true
				funcs++
			}
			if u.Stmts >= 10 {
				big = append(big, u)
			}
		}
		units += len(big)
		ms, err := fd.Find(ctx, big)
		if err != nil {
			return err
		}
		for _, m := range ms {
			flagged++
			fmt.Fprintf(os.Stderr, "flag: %s:%d-%d %s sim %.2f anchors %.2f second %.2f via %s\n", p, m.Unit.Line, m.Unit.EndLine, m.Unit.Name, m.Similarity, m.Anchors, m.Second, m.Channel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("false flags: %s: %d files, %d functions (%d units scanned), %d flagged (%.2f per 1,000 functions); %v\n",
		dir, files, funcs, units, flagged, 1000*float64(flagged)/float64(max(funcs, 1)), time.Since(start).Round(time.Millisecond))
	return nil
}

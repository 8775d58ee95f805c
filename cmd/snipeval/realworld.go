package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/eval"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/scanner"
)

// realWorld indexes GOROOT/src alone, scans the evaluation modules and
// snipscan's own dependencies from the Go module cache, and
// reports every finding with the aligner's verdict: the real copies of
// standard-library code in the modules a Go machine downloads.
func realWorld(ctx context.Context, c config, args []string, work string, mods []*module, stdout io.Writer) error {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	modcache := strings.TrimSpace(string(out))
	src := filepath.Join(runtime.GOROOT(), "src")
	dbPath := filepath.Join(work, "goroot.db")
	os.Remove(dbPath)
	db, err := corpus.Open(dbPath, corpus.Options{Params: corpus.Params{K: c.k, W: c.w}})
	if err != nil {
		return err
	}
	ist, err := indexer.Index(ctx, db, []string{src}, indexer.Options{})
	db.Close()
	if err != nil {
		return err
	}
	db, err = corpus.Open(dbPath, corpus.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	// What a fresh machine's module cache holds after the module list is
	// downloaded: those modules, and the ones snipscan itself is built
	// from.
	var paths []string
	for _, m := range mods {
		paths = append(paths, m.dir)
	}
	out, err = exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "all").Output()
	if err != nil {
		return fmt.Errorf("go list -m all: %w", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, modcache) {
			paths = append(paths, d)
		}
	}
	sort.Strings(paths)
	paths = slices.Compact(paths)
	log.Printf("scanning %d modules of %s", len(paths), modcache)
	rep, err := scanner.Scan(ctx, db, paths, scanner.Options{Match: c.matchOptions()})
	if err != nil {
		return err
	}
	type row struct {
		f   eval.Finding
		run eval.Run
		m   match.Finding
	}
	var rows []row
	for _, r := range rep.Results {
		for _, f := range r.Findings {
			ef := eval.Finding{Target: r.Path, TLines: f.Lines, Source: filepath.Join(f.Source.Root, filepath.FromSlash(f.Source.Path)), SLines: f.Source.Lines}
			a, _ := os.ReadFile(ef.Target)
			b, _ := os.ReadFile(ef.Source)
			run := eval.LongestRun(string(a), max(1, ef.TLines[0]-5), ef.TLines[1]+5, string(b), max(1, ef.SLines[0]-5), ef.SLines[1]+5)
			rows = append(rows, row{ef, run, f})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].run.Lines > rows[j].run.Lines })
	confirmed := 0
	for _, r := range rows {
		if r.run.Lines >= eval.ConfirmLines {
			confirmed++
		}
	}
	p := func(format string, a ...any) { fmt.Fprintf(stdout, format, a...) }
	p("Measured %s with `go run ./cmd/snipeval %s` (%s).\n\n", time.Now().UTC().Format("2006-01-02"), strings.Join(args, " "), runtime.Version())
	p("GOROOT/src indexed in %v (%d files); the modules of eval/modules.txt and snipscan's own dependencies (%d files of %d modules) scanned in %v: %d findings in %d files; the aligner confirms %d (a shared run of at least %d normalized lines), %d not.\n\n",
		ist.Elapsed.Round(time.Millisecond), ist.Files, rep.Stats.Files, len(paths), rep.Stats.Elapsed.Round(time.Millisecond),
		len(rows), countFiles(rep.Results), confirmed, eval.ConfirmLines, len(rows)-confirmed)
	p("| target (module cache) | lines | source (GOROOT/src) | lines | matched | verbatim | aligner: shared lines | |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		verdict := "confirmed"
		if r.run.Lines < eval.ConfirmLines {
			verdict = "**not confirmed**"
		} else if r.run.Normalized {
			verdict = "confirmed (after renaming)"
		}
		rel, _ := filepath.Rel(modcache, r.f.Target)
		p("| %s | %d-%d | %s | %d-%d | %.0f%% | %.0f%% | %d | %s |\n", rel, r.f.TLines[0], r.f.TLines[1], r.m.Source.Path,
			r.f.SLines[0], r.f.SLines[1], 100*r.m.Matched, 100*r.m.Exact, r.run.Lines, verdict)
	}
	return nil
}

func countFiles(rs []match.Result) int {
	n := 0
	for _, r := range rs {
		if len(r.Findings) > 0 {
			n++
		}
	}
	return n
}

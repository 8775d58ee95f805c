// Command snipeval measures snipscan's detection quality on real code and
// compares it, in the same run and on the same generated set, with Debian's
// similarity-tester (sim_c) and jscpd.
//
// It downloads the modules listed in eval/modules.txt through the Go module
// proxy, indexes GOROOT/src and the "corpus" modules, generates target files
// by pasting functions of the corpus, mutated in each class of
// internal/eval/mutate, into files that are in no corpus (this project's
// own files and the "heldout" modules), and scores every tool: recall per
// class (right source file, both line ranges within 3 lines), precision
// (findings outside the planted copies count as real only when an
// independent line aligner confirms 8 shared lines), line-range error,
// license attribution and time. It writes a Markdown report for
// EVALUATION.md.
//
// Usage:
//
//	go run ./cmd/snipeval [flags]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/eval"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/scanner"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("snipeval: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	modules   string
	perClass  int
	seed      uint64
	minLines  int
	maxLines  int
	k, w      int
	minTokens int
	maxDF     int
	minHits   int
	gapTokens int
	gapLines  int
	absLit    bool
	noSource  bool
	tools     string
	jscpdDir  string
	keep      string
	out       string
	heldout   bool
	realworld bool
	forks     string
	verbose   bool
	summary   bool
}

// matchOptions are the scanner's options the flags set; zero fields take
// match's defaults.
func (c config) matchOptions() match.Options {
	return match.Options{MinTokens: c.minTokens, MaxDF: c.maxDF, MinHits: c.minHits, GapTokens: c.gapTokens, GapLines: c.gapLines}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("snipeval", flag.ContinueOnError)
	fs.StringVar(&c.modules, "modules", "eval/modules.txt", "module list (module@version role license)")
	fs.IntVar(&c.perClass, "per-class", 100, "cases per class (100: the set of EVALUATION.md)")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed: the set is deterministic for a seed")
	fs.IntVar(&c.minLines, "min-lines", 10, "smallest function picked, in lines")
	fs.IntVar(&c.maxLines, "max-lines", 120, "largest function picked, in lines")
	fs.IntVar(&c.k, "k", 0, "snipscan k-gram length (0: default)")
	fs.IntVar(&c.w, "w", 0, "snipscan winnowing window (0: default)")
	fs.IntVar(&c.minTokens, "min-tokens", 0, "snipscan minimum region (0: default)")
	fs.IntVar(&c.maxDF, "max-df", 0, "snipscan document-frequency cut (0: default)")
	fs.IntVar(&c.minHits, "min-hits", 0, "snipscan minimum fingerprints per region (0: default)")
	fs.IntVar(&c.gapTokens, "gap-tokens", 0, "snipscan largest gap between two hits of a region, in target tokens (0: default)")
	fs.IntVar(&c.gapLines, "gap-lines", 0, "snipscan largest distance of a hit from a region's source span, in lines (0: default)")
	fs.BoolVar(&c.absLit, "abstract-literals", false, "snipscan abstracts literals to classes")
	fs.BoolVar(&c.noSource, "no-source-text", false, "snipscan does not read the corpus files of findings (scan --no-source-text)")
	fs.StringVar(&c.tools, "tools", "sim_c,jscpd", "peer tools to run side by side (comma-separated; empty for none)")
	fs.StringVar(&c.jscpdDir, "jscpd-dir", "", "directory with node_modules/.bin/jscpd (default: install jscpd@5.3.3 into a cache directory with npm)")
	fs.StringVar(&c.keep, "keep", "", "keep the work directory here instead of a temporary one")
	fs.StringVar(&c.out, "o", "", "write the report to this file (default stdout)")
	fs.BoolVar(&c.heldout, "heldout-scan", true, "also scan the held-out modules whole, as negatives")
	fs.BoolVar(&c.verbose, "v", false, "log every case snipscan missed")
	fs.BoolVar(&c.summary, "summary", false, "print one Markdown table row of snipscan's scores instead of the report (for parameter sweeps)")
	fs.BoolVar(&c.realworld, "realworld", false, "instead: index GOROOT/src alone, scan the evaluation modules and snipscan's dependencies, and list the copies found with the aligner's verdict")
	fs.StringVar(&c.forks, "forks", "", "instead: index GOROOT/src with the snipscan command, scan the fork modules of this list (module@version a line, e.g. eval/forks.txt) with it, and score the findings against the files their authors label as copied from the Go distribution")
	if err := fs.Parse(args); err != nil {
		return err
	}
	work := c.keep
	if work == "" {
		d, err := os.MkdirTemp("", "snipeval")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}

	if c.forks != "" {
		w, done, err := output(c.out, stdout)
		if err != nil {
			return err
		}
		defer done()
		return forks(ctx, c.forks, args, work, w)
	}
	mods, err := readModules(c.modules)
	if err != nil {
		return err
	}
	log.Printf("downloading %d modules through the Go module proxy", len(mods))
	if err := download(ctx, mods); err != nil {
		return err
	}
	if c.realworld {
		w, done, err := output(c.out, stdout)
		if err != nil {
			return err
		}
		defer done()
		return realWorld(ctx, c, args, work, mods, w)
	}
	goroot := runtime.GOROOT()
	roots := []*eval.Root{{Name: "std", Dir: filepath.Join(goroot, "src"), License: "BSD-3-Clause"}}
	var heldout []string
	for _, m := range mods {
		if m.role == "corpus" {
			roots = append(roots, &eval.Root{Name: m.path + "@" + m.version, Dir: m.dir, License: m.license})
		} else {
			heldout = append(heldout, m.dir)
		}
	}

	// Hosts: this project's own files and the held-out modules' files.
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	var ownDirs []string
	for _, d := range []string{"cmd", "corpus", "fingerprint", "match", "walk", "indexer", "scanner", "report", "policy", "pkgmeta", "license"} {
		ownDirs = append(ownDirs, filepath.Join(repo, d))
	}
	hosts := eval.Hosts(ownDirs, 60)
	held := eval.Hosts(heldout, 60)
	sort.Strings(held)
	if len(held) > 60 {
		step := len(held) / 60
		var pick []string
		for i := 0; i < len(held) && len(pick) < 60; i += step {
			pick = append(pick, held[i])
		}
		held = pick
	}
	hosts = append(hosts, held...)

	setDir := filepath.Join(work, "targets")
	os.RemoveAll(setDir)
	log.Printf("generating %d cases per class from %d roots into %s", c.perClass, len(roots), setDir)
	set, err := eval.Generate(setDir, roots, eval.GenOptions{PerClass: c.perClass, Seed: c.seed, MinLines: c.minLines,
		MaxLines: c.maxLines, Hosts: hosts, Idioms: eval.Idioms()})
	if err != nil {
		return err
	}

	// snipscan: index, then scan.
	dbPath := filepath.Join(work, "corpus.db")
	os.Remove(dbPath)
	db, err := corpus.Open(dbPath, corpus.Options{Params: corpus.Params{K: c.k, W: c.w, AbstractLiterals: c.absLit}})
	if err != nil {
		return err
	}
	var rootDirs []string
	for _, r := range roots {
		rootDirs = append(rootDirs, r.Dir)
	}
	log.Printf("indexing %d roots", len(rootDirs))
	ist, err := indexer.Index(ctx, db, rootDirs, indexer.Options{})
	if err != nil {
		db.Close()
		return err
	}
	db.Close()
	db, err = corpus.Open(dbPath, corpus.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	mopts := c.matchOptions()
	log.Printf("scanning %d cases and %d negatives", len(set.Cases), len(set.Negatives))
	rep, err := scanner.Scan(ctx, db, []string{setDir}, scanner.Options{Match: mopts, NoSourceText: c.noSource})
	if err != nil {
		return err
	}
	snip := findingsOf(rep.Results)
	var heldRep *scanner.Report
	var heldFindings []eval.Finding
	if c.heldout && len(heldout) > 0 {
		log.Printf("scanning %d held-out modules", len(heldout))
		heldRep, err = scanner.Scan(ctx, db, heldout, scanner.Options{Match: mopts, NoSourceText: c.noSource})
		if err != nil {
			return err
		}
		heldFindings = findingsOf(heldRep.Results)
		if c.verbose {
			for _, f := range heldFindings {
				log.Printf("held-out finding: %s:%d-%d <- %s:%d-%d", f.Target, f.TLines[0], f.TLines[1], f.Source, f.SLines[0], f.SLines[1])
			}
		}
	}
	scores := []*eval.Score{eval.Evaluate("snipscan", set, snip, true)}
	if c.verbose {
		for _, m := range scores[0].Missed {
			log.Printf("missed: %s", m)
		}
	}
	heldScore := eval.Evaluate("snipscan", &eval.Set{}, heldFindings, false)

	// Peer tools, on the same set.
	var toolRuns []*eval.ToolRun
	var toolErrs []string
	for _, t := range strings.Split(c.tools, ",") {
		switch strings.TrimSpace(t) {
		case "":
		case "sim_c":
			tr, err := runSim(ctx, set, roots)
			if err != nil {
				toolErrs = append(toolErrs, err.Error())
				continue
			}
			toolRuns = append(toolRuns, tr)
			scores = append(scores, eval.Evaluate(tr.Name, set, pairsToFindings(tr.Pairs), false))
		case "jscpd":
			bin, err := eval.Jscpd(ctx, c.jscpdDir)
			if err != nil {
				toolErrs = append(toolErrs, err.Error())
				continue
			}
			for _, mode := range []struct {
				name  string
				flags []string
			}{{"jscpd", nil}, {"jscpd --ignore-identifiers", []string{"--ignore-identifiers"}}} {
				tr, err := eval.RunJscpd(ctx, bin, setDir, rootDirs, 50, mode.flags...)
				if err != nil {
					toolErrs = append(toolErrs, err.Error())
					continue
				}
				tr.Name = mode.name
				toolRuns = append(toolRuns, tr)
				scores = append(scores, eval.Evaluate(tr.Name, set, pairsToFindings(tr.Pairs), false))
			}
		default:
			return fmt.Errorf("unknown tool %q", t)
		}
	}

	w, done, err := output(c.out, stdout)
	if err != nil {
		return err
	}
	defer done()
	params := db.Params()
	if c.summary {
		summaryRow(w, params, mopts, scores[0], heldScore, ist, rep)
		return nil
	}
	report(w, reportData{cfg: c, args: args, roots: roots, heldout: heldout, set: set, ist: ist, scan: rep,
		held: heldRep, heldScore: heldScore, scores: scores, tools: toolRuns, toolErrs: toolErrs, params: params,
		mopts: mopts})
	return nil
}

// module is one line of eval/modules.txt.
type module struct {
	path, version, role, license string
	dir                          string
}

func readModules(path string) ([]*module, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*module
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: want module@version role [license]", path, n)
		}
		mv := strings.SplitN(fields[0], "@", 2)
		if len(mv) != 2 || (fields[1] != "corpus" && fields[1] != "heldout") {
			return nil, fmt.Errorf("%s:%d: want module@version corpus|heldout [license]", path, n)
		}
		m := &module{path: mv[0], version: mv[1], role: fields[1]}
		if len(fields) > 2 {
			m.license = fields[2]
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// download fetches the modules through the Go module proxy and records
// their directories.
func download(ctx context.Context, mods []*module) error {
	args := []string{"mod", "download", "-json"}
	for _, m := range mods {
		args = append(args, m.path+"@"+m.version)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = os.TempDir() // outside any module
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	dec := json.NewDecoder(strings.NewReader(string(out)))
	dirs := map[string]string{}
	var errs []string
	for {
		var m struct{ Path, Version, Dir, Error string }
		if dec.Decode(&m) != nil {
			break
		}
		if m.Error != "" {
			errs = append(errs, m.Error)
		}
		dirs[m.Path+"@"+m.Version] = m.Dir
	}
	for _, m := range mods {
		m.dir = dirs[m.path+"@"+m.version]
		if m.dir == "" {
			errs = append(errs, m.path+"@"+m.version+": not downloaded")
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("go mod download: %v: %s", err, strings.Join(errs, "; "))
	}
	return nil
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// findingsOf turns scan results into the tools' common form, with absolute
// source paths.
func findingsOf(results []match.Result) []eval.Finding {
	var out []eval.Finding
	for _, r := range results {
		for _, f := range r.Findings {
			abs, _ := filepath.Abs(r.Path)
			ef := eval.Finding{Target: abs, TLines: f.Lines, Source: filepath.Join(f.Source.Root, filepath.FromSlash(f.Source.Path)),
				SLines: f.Source.Lines, License: f.Source.License}
			for _, a := range f.AlternateSources {
				ef.Alternates = append(ef.Alternates, eval.Finding{Source: filepath.Join(a.Root, filepath.FromSlash(a.Path)), SLines: a.Lines})
			}
			out = append(out, ef)
		}
	}
	return out
}

func pairsToFindings(ps []eval.Pair) []eval.Finding {
	out := make([]eval.Finding, len(ps))
	for i, p := range ps {
		out[i] = eval.Finding{Target: p.Target, TLines: p.TLines, Source: p.Source, SLines: p.SLines}
	}
	return out
}

// runSim runs sim_c with every target file as new and the corpus's Go
// files (tests and test data excluded, as it keeps no index and would
// otherwise compare everything) as old.
func runSim(ctx context.Context, set *eval.Set, roots []*eval.Root) (*eval.ToolRun, error) {
	var targets, corpusFiles []string
	filepath.Walk(set.Dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".go") {
			targets = append(targets, p)
		}
		return nil
	})
	for _, r := range roots {
		filepath.Walk(r.Dir, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return nil
			}
			if info.IsDir() && (info.Name() == "testdata" || info.Name() == "vendor") {
				return filepath.SkipDir
			}
			if !info.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
				corpusFiles = append(corpusFiles, p)
			}
			return nil
		})
	}
	tr, err := eval.RunSim(ctx, targets, corpusFiles, 24)
	if err != nil {
		return nil, err
	}
	tr.Note += fmt.Sprintf(" (targets: %d files; corpus: %d non-test .go files)", len(targets), len(corpusFiles))
	return tr, nil
}

var _ = time.Second

// output returns where a report goes: the file name (created), or stdout
// when name is empty; done closes the file.
func output(name string, stdout io.Writer) (w io.Writer, done func(), err error) {
	if name == "" {
		return stdout, func() {}, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

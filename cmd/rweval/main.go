// Command rweval measures the rewrite stage: how many AI-style rewrites
// (mutate.Rewrite) of corpus functions it finds, and how many functions of
// code outside the corpus it flags, over a grid of thresholds.
//
//	go run ./cmd/snipscan index --db go.db "$(go env GOROOT)/src"
//	go run ./cmd/rweval --db go.db --corpus "$(go env GOROOT)/src" \
//		--tune DIR --tune DIR ... HELDOUT-DIR ...
//
// Recall: every --every'th non-test function of at least --min-stmts
// statements below --corpus (in walk order) is rewritten and scanned; it
// is found when a match's source is that function. The rewritten
// functions fall into a tuning and a held-out half by a hash of their
// path and name (--split): thresholds are chosen on the tuning half.
//
// False flags: every function of the Go files below the --tune
// directories (tuning) and below the other directories (held-out), test
// files included, is scanned; a flagged function is a false flag unless
// it is a genuine copy, which only a reader can tell (--flags lists the
// flagged functions at the thresholds given by --ratio, --min-sim and
// --min-anchors).
//
// Independent reimplementations of corpus functions in the unrelated
// directories (--reimpl, eval/rewrite-reimplementations.txt) must not be
// flagged; flagged functions that a reader judged genuine copies
// (--copies, eval/rewrite-copies.txt, and any function of a file with a
// copyright line of the Go Authors) are counted apart from false flags.
//
// For every threshold of --grid, rweval prints recall and false flags per
// 1,000 functions on both halves, and picks the threshold with the best
// tuning recall whose tuning false flags stay within --max-flags and that
// flags no reimplementation of the tuning directories.
//
// Peer tools (--peers): Debian's similarity-tester (sim_c) and jscpd run
// on the same rewrites, each written as a file below its file's imports,
// and on the same unrelated files, against the corpus's non-test Go
// files, at each setting given. They report pairs of line ranges; a
// rewrite is found when a range of its lines is paired with a range of
// the rewritten function or of a copy of it, and an unrelated function
// with a unit of at least 10 statements (a scanned one) is flagged when
// a reported range overlaps it. Genuine copies and reimplementations are
// counted as for snipscan.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/rewrite"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rweval:", err)
		os.Exit(2)
	}
}

// config is what the flags say.
type config struct {
	db, root, flagsOut, grid string
	reimpls, copies          string
	peers, jscpdDir          string
	rewritesDir              string
	every, minStmts          int
	maxFlags                 float64
	tune                     dirList
	heldout                  []string
	opts                     rewrite.FindOptions
}

// dirList is a repeatable directory flag.
type dirList []string

func (d *dirList) String() string     { return strings.Join(*d, ",") }
func (d *dirList) Set(s string) error { *d = append(*d, s); return nil }

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("rweval", flag.ContinueOnError)
	fs.StringVar(&c.db, "db", "", "corpus database indexed from --corpus")
	fs.StringVar(&c.root, "corpus", "", "the indexed directory")
	fs.IntVar(&c.every, "every", 20, "rewrite every N-th eligible function")
	fs.IntVar(&c.minStmts, "min-stmts", 10, "smallest function rewritten")
	fs.Var(&c.tune, "tune", "a directory of unrelated code for tuning (repeatable)")
	fs.StringVar(&c.grid, "grid", "5/0.3/0.6/0.1/6,4/0.3/0.7/0.1/6,4/0.3/0.6/0.15/5/0.4/2.5,3/0.3/0.6/0.1/4/0.4/2.5,3/0.3/0.5/0.1/4/0.4/2.5",
		"thresholds ratio/min-sim/min-anchors[/anchors-min-sim/min-rare[/high-sim/high-ratio]], comma-separated")
	fs.Float64Var(&c.maxFlags, "max-flags", 3, "largest tuning false flags per 1,000 functions of the picked threshold")
	fs.StringVar(&c.reimpls, "reimpl", "", "a list of independent reimplementations of corpus functions in the unrelated directories (eval/rewrite-reimplementations.txt)")
	fs.StringVar(&c.copies, "copies", "", "a list of flagged functions judged genuine copies (eval/rewrite-copies.txt)")
	fs.StringVar(&c.peers, "peers", "", "also run peer tools on the rewrites and the unrelated code: settings such as \"sim_c -r 24,jscpd --min-tokens 50 --ignore-identifiers\", comma-separated, or \"default\" ("+defaultPeers+")")
	fs.StringVar(&c.jscpdDir, "jscpd-dir", "", "directory with node_modules/.bin/jscpd (default: install jscpd@5.3.3 into a cache directory with npm)")
	fs.StringVar(&c.rewritesDir, "rewrites-dir", "", "with --peers, write the rewrites to this directory and keep them (default: a temporary one)")
	fs.StringVar(&c.flagsOut, "flags", "", "write the flagged unrelated functions (at --ratio etc.) to this file")
	fs.Float64Var(&c.opts.Ratio, "ratio", 0, "ratio test for --flags (0: default, as for the flags below)")
	fs.Float64Var(&c.opts.MinSim, "min-sim", 0, "smallest structural similarity for --flags")
	fs.Float64Var(&c.opts.MinAnchors, "min-anchors", 0, "smallest anchor similarity for --flags")
	fs.Float64Var(&c.opts.AnchorsMinSim, "anchors-min-sim", 0, "smallest structural similarity of an anchor-channel match for --flags (negative: off)")
	fs.IntVar(&c.opts.MinRare, "min-rare", 0, "smallest number of shared rare features for --flags (negative: off)")
	fs.Float64Var(&c.opts.HighSim, "high-sim", 0, "score from which --high-ratio replaces --ratio for --flags (negative: off)")
	fs.Float64Var(&c.opts.HighRatio, "high-ratio", 0, "ratio test of scores from --high-sim for --flags")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.heldout = fs.Args()
	return c, nil
}

func run(ctx context.Context, args []string) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	grid, err := parseGrid(c.grid)
	if err != nil {
		return err
	}
	peers, err := parsePeers(c.peers)
	if err != nil {
		return err
	}
	if len(peers) > 0 && c.root == "" {
		return fmt.Errorf("--peers needs --corpus")
	}
	db, err := corpus.Open(c.db, corpus.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	fd, err := rewrite.NewFinder(db, rewrite.FindOptions{Ratio: 1, MinSim: 1e-9, MinAnchors: 1e-9})
	if err != nil {
		return err
	}
	var rw []rewritten
	if c.root != "" {
		if rw, err = rewrites(ctx, db, fd, c.root, c.every, c.minStmts); err != nil {
			return err
		}
	}
	var sets []unrelatedSet
	for _, d := range c.tune {
		s, err := scanUnrelated(ctx, fd, d, true)
		if err != nil {
			return err
		}
		sets = append(sets, s)
	}
	for _, d := range c.heldout {
		s, err := scanUnrelated(ctx, fd, d, false)
		if err != nil {
			return err
		}
		sets = append(sets, s)
	}
	k := &knownCopies{goFile: map[string]bool{}}
	if c.copies != "" {
		if k.listed, err = readReimpls(c.copies); err != nil {
			return err
		}
	}
	if c.flagsOut != "" {
		if err := writeFlags(ctx, db, c.flagsOut, rw, sets, c.opts, k); err != nil {
			return err
		}
	}
	var re reimpls
	if c.reimpls != "" {
		if re.list, err = readReimpls(c.reimpls); err != nil {
			return err
		}
		re.verdicts, re.tune = reimplVerdicts(re.list, sets)
	}
	printSweep(os.Stdout, grid, rw, sets, c.maxFlags, k, &re)
	printReimpls(os.Stdout, &re, grid)
	printByTransformation(os.Stdout, rw, rewrite.FindOptions{})
	if len(peers) > 0 {
		return runPeers(ctx, os.Stdout, c, peers, rw, sets, k, &re)
	}
	return nil
}

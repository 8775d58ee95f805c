package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/snipscan/snipscan/internal/eval"
	"github.com/snipscan/snipscan/rewrite"
)

// defaultPeers are the settings of the peer tools that --peers default
// runs: sim_c at its default run length (24 tokens, as cmd/snipeval runs
// it), shorter and longer ones; jscpd at its default (50 tokens), and
// with identifiers ignored at fewer and more tokens. sim_c -r 8 is left
// out: on the held-out files alone it ran over 8 minutes on 2 shared
// cores without an answer, and -r 12 already flags nearly every scanned
// function.
const defaultPeers = "sim_c -r 12,sim_c -r 16,sim_c -r 24,sim_c -r 32,sim_c -r 48,sim_c -r 64,sim_c -r 96,sim_c -r 128," +
	"jscpd --min-tokens 50,jscpd --min-tokens 20 --ignore-identifiers --ignore-literals," +
	"jscpd --min-tokens 30 --ignore-identifiers,jscpd --min-tokens 50 --ignore-identifiers," +
	"jscpd --min-tokens 50 --ignore-identifiers --skip-comments," +
	"jscpd --min-tokens 70 --ignore-identifiers,jscpd --min-tokens 100 --ignore-identifiers"

// peerSetting is one way to run a peer tool.
type peerSetting struct {
	tool  string   // sim_c or jscpd
	n     int      // sim_c's -r, jscpd's --min-tokens
	extra []string // further jscpd flags
}

func (p peerSetting) String() string {
	if p.tool == "sim_c" {
		return fmt.Sprintf("sim_c -r %d", p.n)
	}
	return strings.Join(append([]string{"jscpd --min-tokens", strconv.Itoa(p.n)}, p.extra...), " ")
}

// parsePeers parses settings such as "sim_c -r 24,jscpd --min-tokens 50
// --ignore-identifiers" ("default": defaultPeers).
func parsePeers(s string) ([]peerSetting, error) {
	if s == "" {
		return nil, nil
	}
	if s == "default" {
		s = defaultPeers
	}
	var out []peerSetting
	for _, t := range strings.Split(s, ",") {
		f := strings.Fields(t)
		if len(f) < 3 || !(f[0] == "sim_c" && f[1] == "-r" && len(f) == 3 || f[0] == "jscpd" && f[1] == "--min-tokens") {
			return nil, fmt.Errorf("rweval: peer setting %q: want \"sim_c -r N\" or \"jscpd --min-tokens N [FLAG...]\"", t)
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("rweval: peer setting %q: bad number %q", t, f[2])
		}
		out = append(out, peerSetting{tool: f[0], n: n, extra: f[3:]})
	}
	return out, nil
}

// peerFile is an unrelated file with scanned functions.
type peerFile struct {
	spans []span
	tune  bool
}

// peerScorer scores the line ranges a peer tool reports as snipscan's
// matches are scored: a rewrite is found when a reported range of its
// lines comes from the rewritten function or a copy of it (sameAs); an
// unrelated function is flagged when a reported range overlaps it.
type peerScorer struct {
	root   string // the corpus, absolute
	rw     []rewritten
	rwFile map[string]int // written rewrite -> index in rw
	files  map[string]*peerFile
	units  map[string][]rewrite.Unit // corpus file -> its functions

	pairs            int
	found, elsewhere []bool
	flagged          map[string]map[int]bool // unrelated file -> flagged spans
}

func newPeerScorer(root string, rw []rewritten, rwFile map[string]int, files map[string]*peerFile, units map[string][]rewrite.Unit) *peerScorer {
	return &peerScorer{root: root, rw: rw, rwFile: rwFile, files: files, units: units,
		found: make([]bool, len(rw)), elsewhere: make([]bool, len(rw)), flagged: map[string]map[int]bool{}}
}

// overlaps reports whether lines a-b and c-d share a line.
func overlaps(a, b, c, d int) bool { return a <= d && c <= b }

// add scores one reported pair.
func (s *peerScorer) add(p eval.Pair) {
	s.pairs++
	if i, ok := s.rwFile[p.Target]; ok {
		r := &s.rw[i]
		if !overlaps(p.TLines[0], p.TLines[1], r.codeLine, r.codeEnd) {
			return // the imports
		}
		if s.origin(r, p.Source, p.SLines) {
			s.found[i] = true
		} else {
			s.elsewhere[i] = true
		}
		return
	}
	f := s.files[p.Target]
	if f == nil {
		return
	}
	for j, sp := range f.spans {
		if overlaps(p.TLines[0], p.TLines[1], sp.line, sp.end) {
			if s.flagged[p.Target] == nil {
				s.flagged[p.Target] = map[int]bool{}
			}
			s.flagged[p.Target][j] = true
		}
	}
}

// origin reports whether lines of the corpus file src lie in the function
// that r rewrites, or in a copy of it.
func (s *peerScorer) origin(r *rewritten, src string, lines [2]int) bool {
	rel, err := filepath.Rel(s.root, src)
	if err != nil {
		return false
	}
	if filepath.ToSlash(rel) == r.rel && overlaps(lines[0], lines[1], r.funcLine, r.funcEndLine) {
		return true
	}
	us, ok := s.units[src]
	if !ok {
		if b, err := os.ReadFile(src); err == nil {
			us, _ = rewrite.Extract(src, b, rewrite.Options{MinStmts: 1})
		}
		s.units[src] = us
	}
	for _, u := range us {
		if overlaps(lines[0], lines[1], u.FuncLine, u.FuncEndLine) && near(u.Bag, r.bag) {
			return true
		}
	}
	return false
}

// peerPoint is the figures of one peer setting.
type peerPoint struct {
	setting                     peerSetting
	run                         *eval.ToolRun
	pairs                       int
	found, elsewhere, tried     [2]int // tuning, held-out
	only, snipOnly              [2]int // found by the tool only, by snipscan (defaults) only
	flags, copies, funcs, scans [2]int
	reimpls                     []string // flagged
	reScanned                   int
}

// point totals the scores.
func (s *peerScorer) point(sets []unrelatedSet, k *knownCopies, re *reimpls) peerPoint {
	var p peerPoint
	p.pairs = s.pairs
	for i, r := range s.rw {
		h := half(!r.heldOut)
		p.tried[h]++
		switch {
		case s.found[i]:
			p.found[h]++
		case s.elsewhere[i]:
			p.elsewhere[h]++
		}
		snip := false
		for _, m := range (rewrite.FindOptions{}).Matches(r.verdicts) {
			snip = snip || r.origin[m.Source.ID]
		}
		switch {
		case s.found[i] && !snip:
			p.only[h]++
		case snip && !s.found[i]:
			p.snipOnly[h]++
		}
	}
	for _, set := range sets {
		h := half(set.tune)
		p.funcs[h] += set.funcs
		p.scans[h] += set.scanned
	}
	paths := make([]string, 0, len(s.flagged))
	for path := range s.flagged {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		f := s.files[path]
		for j := range s.flagged[path] {
			if k.is(path, f.spans[j].name) {
				p.copies[half(f.tune)]++
			} else {
				p.flags[half(f.tune)]++
			}
		}
	}
	for _, r := range re.list {
		scanned, flagged := false, false
		for path, f := range s.files {
			if !strings.HasSuffix(filepath.ToSlash(path), "/"+r.suffix) {
				continue
			}
			for j, sp := range f.spans {
				if sp.name == r.name {
					scanned = true
					flagged = flagged || s.flagged[path][j]
				}
			}
		}
		if scanned {
			p.reScanned++
		}
		if flagged {
			p.reimpls = append(p.reimpls, r.suffix+" "+r.name)
		}
	}
	return p
}

// runPeers runs every peer setting on the rewrites and the unrelated
// sets, scores it and prints its figures.
func runPeers(ctx context.Context, w io.Writer, c config, settings []peerSetting, rw []rewritten, sets []unrelatedSet, k *knownCopies, re *reimpls) error {
	root, err := filepath.Abs(c.root)
	if err != nil {
		return err
	}
	var corpusFiles []string
	if err := goFiles(root, false, func(p string, _ []byte) error {
		corpusFiles = append(corpusFiles, p)
		return nil
	}); err != nil {
		return err
	}
	dir := c.rewritesDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "rweval-rewrites"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if dir, err = filepath.Abs(dir); err != nil {
		return err
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rwFile := map[string]int{}
	var targets []string
	for i, r := range rw {
		p := filepath.Join(dir, fmt.Sprintf("r%04d.go", i))
		if err := os.WriteFile(p, []byte(r.code), 0o644); err != nil {
			return err
		}
		rwFile[p] = i
		targets = append(targets, p)
		if c.rewritesDir != "" {
			fmt.Fprintf(w, "  %s: rewrite of %s (lines %d-%d)\n", p, r.desc, r.codeLine, r.codeEnd)
		}
	}
	files := map[string]*peerFile{}
	targetDirs := []string{dir}
	for _, s := range sets {
		d, err := filepath.Abs(s.dir)
		if err != nil {
			return err
		}
		targetDirs = append(targetDirs, d)
		for p, sp := range s.spans {
			files[p] = &peerFile{spans: sp, tune: s.tune}
		}
	}
	var unrelated []string
	for p := range files {
		unrelated = append(unrelated, p)
	}
	slices.Sort(unrelated)
	targets = append(targets, unrelated...)
	fmt.Fprintf(w, "peers: %d rewrites and %d unrelated files with a scanned function against %d corpus files\n", len(rw), len(unrelated), len(corpusFiles))
	units := map[string][]rewrite.Unit{}
	var bin string
	for _, st := range settings {
		sc := newPeerScorer(root, rw, rwFile, files, units)
		var run *eval.ToolRun
		start := time.Now()
		switch st.tool {
		case "sim_c":
			run, err = eval.SimPairs(ctx, targets, corpusFiles, st.n, sc.add)
		case "jscpd":
			if bin == "" {
				if bin, err = eval.Jscpd(ctx, c.jscpdDir); err != nil {
					return err
				}
			}
			run, err = eval.JscpdPairs(ctx, bin, []string{root}, targetDirs, st.n,
				[]string{filepath.Join(root, "**", "*_test.go")}, st.extra, sc.add)
		}
		if err != nil {
			return err
		}
		p := sc.point(sets, k, re)
		p.setting, p.run = st, run
		printPeer(w, p, time.Since(start))
	}
	return nil
}

// printPeer prints the figures of one peer setting as printSweep prints a
// threshold's.
func printPeer(w io.Writer, p peerPoint, wall time.Duration) {
	fmt.Fprintf(w, "%s | %d/%d (%.1f%%), %d, %d (+%d) in %d (%.2f; %.2f) | %d/%d (%.1f%%), %d, %d (+%d) in %d (%.2f; %.2f) | reimplementations flagged: %d of %d scanned %v | found by the tool only %d and %d, by snipscan only %d and %d | %d pairs, %s (%s; %s)\n",
		p.setting,
		p.found[0], p.tried[0], pct(p.found[0], p.tried[0]), p.elsewhere[0], p.flags[0], p.copies[0], p.funcs[0], perMille(p.flags[0], p.funcs[0]), perMille(p.flags[0], p.scans[0]),
		p.found[1], p.tried[1], pct(p.found[1], p.tried[1]), p.elsewhere[1], p.flags[1], p.copies[1], p.funcs[1], perMille(p.flags[1], p.funcs[1]), perMille(p.flags[1], p.scans[1]),
		len(p.reimpls), p.reScanned, p.reimpls, p.only[0], p.only[1], p.snipOnly[0], p.snipOnly[1], p.pairs, wall.Round(time.Second), p.run.Version, p.run.Note)
}

package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/eval"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/scanner"
)

type reportData struct {
	cfg       config
	args      []string
	roots     []*eval.Root
	heldout   []string
	set       *eval.Set
	ist       *indexer.Stats
	scan      *scanner.Report
	held      *scanner.Report
	heldScore *eval.Score
	scores    []*eval.Score
	tools     []*eval.ToolRun
	toolErrs  []string
	params    corpus.Params
	mopts     match.Options
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

func report(w io.Writer, d reportData) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Measured %s with `go run ./cmd/snipeval %s` (%s, %d cores).\n\n", time.Now().UTC().Format("2006-01-02"),
		strings.Join(d.args, " "), runtime.Version(), runtime.NumCPU())
	p("snipscan parameters: k=%d, w=%d, min-tokens=%d, max-df=%d.\n\n", d.params.K, d.params.W,
		orDefault(d.mopts.MinTokens, match.DefaultMinTokens), orDefault(d.mopts.MaxDF, match.DefaultMaxDF))
	p("Corpus: %d roots, %d files indexed (%d distinct) in %v:", len(d.roots), d.ist.Files, d.ist.Indexed, d.ist.Elapsed.Round(time.Millisecond))
	for _, r := range d.roots {
		p(" `%s` (%s);", r.Name, r.License)
	}
	p("\n\nSet: %d cases (%d per class), %d negative files (this project's and held-out modules' files on their own, %d idiom files), %d held-out modules scanned whole.\n\n",
		len(d.set.Cases), d.cfg.perClass, len(d.set.Negatives), countIdioms(d.set), len(d.heldout))

	// Recall per class.
	p("### Recall per class\n\n")
	p("A case is found when the tool names its source file (or, for snipscan, lists it among the alternate origins) with both line ranges within %d lines.\n\n", eval.Tolerance)
	p("| class | cases |")
	for _, s := range d.scores {
		p(" %s |", s.Tool)
	}
	p("\n|---|---|")
	for range d.scores {
		p("---|")
	}
	p("\n")
	for i, cls := range eval.Classes() {
		p("| %s | %d |", cls, d.scores[0].Classes[i].Cases)
		for _, s := range d.scores {
			p(" %s |", pct(s.Classes[i].Recall()))
		}
		p("\n")
	}
	p("| **all** | %d |", d.scores[0].Total.Cases)
	for _, s := range d.scores {
		p(" **%s** |", pct(s.Total.Recall()))
	}
	p("\n\n")

	// Precision, ranges, licenses, time.
	p("### Precision, line ranges, licenses, time\n\n")
	p("| tool | findings | on planted copies | other real reuse (aligner) | false positives | on idioms | precision | found with both ranges within 2 lines | mean range error | license right | wall time |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for i, s := range d.scores {
		wall := ""
		switch {
		case i == 0:
			wall = fmt.Sprintf("index %v + scan %v", d.ist.Elapsed.Round(time.Millisecond), d.scan.Stats.Elapsed.Round(time.Millisecond))
		case i-1 < len(d.tools):
			wall = d.tools[i-1].Wall.Round(time.Millisecond).String()
		}
		lic := "n/a"
		if i == 0 {
			lic = pct(ratioInt(s.Total.LicenseOK, s.Total.Found))
		}
		p("| %s | %d | %d | %d | %d | %d | %s | %s | %.2f | %s | %s |\n", s.Tool, s.Findings, s.Correct, s.Confirmed,
			s.FalsePositive, s.IdiomFindings, pct(s.Precision()), pct(ratioInt(s.Total.Within2, s.Total.Found)),
			float64(s.Total.ErrSum)/float64(max(s.Total.Found, 1)), lic, wall)
	}
	p("\n")
	if d.held != nil {
		hs := d.heldScore
		p("Held-out modules scanned whole with snipscan (%d files, %v): %d findings, %d confirmed by the aligner as real reuse, %d not confirmed (precision %s).\n\n",
			d.held.Stats.Files, d.held.Stats.Elapsed.Round(time.Millisecond), hs.Findings, hs.Confirmed, hs.FalsePositive, pct(hs.Precision()))
	}
	for _, t := range d.tools {
		p("- %s %s: `%s`\n", t.Name, t.Version, t.Note)
	}
	for _, e := range d.toolErrs {
		p("- not run: %s\n", e)
	}
	p("\n")
	for _, s := range d.scores[:1] {
		if len(s.FalsePositives) > 0 {
			p("snipscan false positives (first 20 of %d):\n\n", len(s.FalsePositives))
			for i, f := range s.FalsePositives {
				if i == 20 {
					break
				}
				p("- %s\n", f)
			}
			p("\n")
		}
		if len(s.Mismatched) > 0 {
			p("Found cases whose license differs from the module's (first 20 of %d):\n\n", len(s.Mismatched))
			for i, m := range s.Mismatched {
				if i == 20 {
					break
				}
				p("- %s\n", m)
			}
			p("\n")
		}
	}
	if d.held != nil && len(d.heldScore.FalsePositives) > 0 {
		p("Held-out findings the aligner does not confirm (first 20 of %d):\n\n", len(d.heldScore.FalsePositives))
		for i, f := range d.heldScore.FalsePositives {
			if i == 20 {
				break
			}
			p("- %s\n", f)
		}
		p("\n")
	}
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func ratioInt(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func countIdioms(s *eval.Set) int {
	n := 0
	for _, x := range s.Negatives {
		if x.Class == "idiom" {
			n++
		}
	}
	return n
}

// summaryRow prints one table row: parameters, recall per class, overall
// recall and precision, held-out precision, times.
func summaryRow(w io.Writer, p corpus.Params, m match.Options, s *eval.Score, held *eval.Score, ist *indexer.Stats, rep *scanner.Report) {
	lit := ""
	if p.AbstractLiterals {
		lit = " literals abstracted"
	}
	fmt.Fprintf(w, "| k=%d w=%d min-tokens=%d min-hits=%d max-df=%d gap=%d tokens/%d lines%s |", p.K, p.W, orDefault(m.MinTokens, match.DefaultMinTokens),
		orDefault(m.MinHits, match.DefaultMinHits), orDefault(m.MaxDF, match.DefaultMaxDF),
		orDefault(m.GapTokens, match.DefaultGapTokens), orDefault(m.GapLines, match.DefaultGapLines), lit)
	for _, c := range s.Classes {
		fmt.Fprintf(w, " %.0f |", 100*c.Recall())
	}
	fmt.Fprintf(w, " %.1f | %.1f%% (%d FP, %d on idioms) | %d/%d | %v | %v |\n", 100*s.Total.Recall(), 100*s.Precision(), s.FalsePositive,
		s.IdiomFindings, held.FalsePositive, held.Findings, ist.Elapsed.Round(time.Millisecond), rep.Stats.Elapsed.Round(time.Millisecond))
}

package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Text writes doc for people. It leads with the summary, then what the
// scan could not cover (files it could not read, a corpus left
// unfinished), then lists the failing findings, then the warnings, each
// grouped by target file; the passing and accepted findings are counted in
// the summary and listed only with Options.Verbose (a line under the
// summary says how many are not shown).
func Text(w io.Writer, doc *Document, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	textSummary(bw, doc, paint)
	textLimits(bw, doc, paint)
	hidden := doc.Summary.Matches - doc.Summary.Failing - doc.Summary.Warnings // passing and accepted
	if hidden > 0 && !opts.Verbose {
		fmt.Fprintf(bw, "%s passing or accepted finding%s not listed (-v lists %s)\n", Count(hidden), plural(hidden), pronoun(hidden))
	}
	sections := []struct {
		verdict, title string
	}{{"fail", "Failing findings"}, {"warn", "Warnings"}, {"pass", "Passing findings"}, {"accepted", "Accepted findings"}}
	for _, sec := range sections {
		if !opts.Verbose && (sec.verdict == "pass" || sec.verdict == "accepted") {
			continue
		}
		textSection(bw, doc, sec.verdict, sec.title, opts, paint)
	}
	return bw.Flush()
}

// pronoun is "it" or "them", for n things.
func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// textSection writes the findings of one verdict under a heading, grouped
// by target file; nothing when there are none.
func textSection(bw *bufio.Writer, doc *Document, verdict, title string, opts Options, paint func(code, s string) string) {
	n := 0
	for _, f := range doc.Files {
		for _, m := range f.Matches {
			if m.Policy.Verdict == verdict {
				n++
			}
		}
	}
	if n == 0 {
		return
	}
	fmt.Fprintf(bw, "\n%s\n", paint(verdictColor[verdict], fmt.Sprintf("%s (%s)", title, Count(n))))
	for _, f := range doc.Files {
		first := true
		for _, m := range f.Matches {
			if m.Policy.Verdict != verdict {
				continue
			}
			if first {
				fmt.Fprintf(bw, "\n%s\n", paint(bold, f.Path))
				first = false
			}
			textFinding(bw, m, opts, paint)
		}
	}
}

// textFinding writes one finding: its lines and shares, source, license,
// holders, alternates and the reasons for its verdict.
func textFinding(bw *bufio.Writer, m Match, opts Options, paint func(code, s string) string) {
	switch {
	case m.Kind == "rewrite":
		fmt.Fprintf(bw, "  lines %d-%d  rewrite of %s  similarity %.2f, confidence %.2f", m.Lines[0], m.Lines[1],
			strings.Join(append([]string{m.Function}, m.Helpers...), ", "), m.Similarity, m.Confidence)
	case m.Exact < m.Matched:
		fmt.Fprintf(bw, "  lines %d-%d  %s  %s matched (%s verbatim)", m.Lines[0], m.Lines[1], m.Kind, pct(m.Matched), pct(m.Exact))
	default:
		fmt.Fprintf(bw, "  lines %d-%d  %s  %s matched (verbatim)", m.Lines[0], m.Lines[1], m.Kind, pct(m.Matched))
	}
	fmt.Fprintf(bw, "  %s\n", paint(verdictColor[m.Policy.Verdict], "["+strings.ToUpper(m.Policy.Verdict)+"]"))
	s := m.Source
	fmt.Fprintf(bw, "    source   %s lines %d-%d", s.Path, s.Lines[0], s.Lines[1])
	if pkg := packageLabel(s); pkg != "" {
		fmt.Fprintf(bw, "  (%s)", pkg)
	}
	fmt.Fprintln(bw)
	if note := sourceNote(s); note != "" {
		fmt.Fprintf(bw, "    note     %s\n", note)
	}
	lic := s.License
	if lic == "" {
		lic = "unknown"
	}
	fmt.Fprintf(bw, "    license  %s", lic)
	if s.LicenseSource != "" {
		fmt.Fprintf(bw, " (from %s)", strings.ReplaceAll(s.LicenseSource, "_", " "))
	}
	fmt.Fprintln(bw)
	if len(s.Holders) > 0 {
		fmt.Fprintf(bw, "    holders  %s\n", strings.Join(s.Holders, "; "))
	} else if len(s.Copyrights) > 0 {
		fmt.Fprintf(bw, "    holders  %s\n", strings.Join(s.Copyrights, "; "))
	}
	if m.Alternates > 0 {
		fmt.Fprintf(bw, "    also in  %s other location%s", Count(m.Alternates), plural(m.Alternates))
		if opts.Verbose {
			for _, a := range m.AltSources {
				fmt.Fprintf(bw, "\n             %s lines %d-%d", a.Path, a.Lines[0], a.Lines[1])
			}
		}
		fmt.Fprintln(bw)
	}
	if len(m.Evidence) > 0 {
		fmt.Fprintf(bw, "    shares   %s\n", strings.Join(m.Evidence, " "))
	}
	if len(m.Policy.Reasons) > 0 {
		fmt.Fprintf(bw, "    why      %s\n", strings.Join(m.Policy.Reasons, "; "))
	}
}

// textSummary writes the summary line: files, findings by verdict, what
// was left out (skipped files, files that are not code, findings under
// the policy's minimum or outside --diff), and the policy applied.
func textSummary(bw *bufio.Writer, doc *Document, paint func(code, s string) string) {
	s := doc.Summary
	fmt.Fprintf(bw, "%s file%s scanned, %s with matches, %s match%s: %s, %s warn",
		Count(s.FilesScanned), plural(s.FilesScanned), Count(s.FilesMatched), Count(s.Matches), pluralES(s.Matches), failCount(s.Failing, paint), Count(s.Warnings))
	if pass := s.Matches - s.Failing - s.Warnings - s.Accepted; pass > 0 {
		fmt.Fprintf(bw, ", %s pass", Count(pass))
	}
	if s.Accepted > 0 {
		fmt.Fprintf(bw, ", %s accepted", Count(s.Accepted))
	}
	for _, part := range append(filesLeftOut(doc), findingsUnlisted(doc)...) {
		fmt.Fprintf(bw, "; %s", part)
	}
	fmt.Fprintf(bw, "; %s\n", policyLabel(s.Policy))
}

// policyLabel names the policy a scan applied: its file, or the built-in
// one.
func policyLabel(file string) string {
	if file == "" {
		return "built-in policy"
	}
	return "policy " + file
}

// ANSI styles of the text output (Options.Color).
const bold = "1"

var verdictColor = map[string]string{"fail": "1;31", "warn": "33", "pass": "32", "accepted": "36"}

func failCount(n int, paint func(code, s string) string) string {
	s := Count(n) + " fail"
	if n > 0 {
		return paint(verdictColor["fail"], s)
	}
	return s
}

func packageLabel(s Source) string {
	label := s.Package
	if s.Version != "" {
		label += "@" + s.Version
	}
	if s.Vendored {
		label += ", vendored"
	}
	return strings.TrimPrefix(label, ", ")
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Text writes doc for people: what the scan could not cover (files it
// could not read, a corpus left unfinished) first, then findings grouped
// by target file, each with its source, license and copyright holders,
// then a summary.
func Text(w io.Writer, doc *Document, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	textLimits(bw, doc, paint)
	for _, f := range doc.Files {
		fmt.Fprintf(bw, "%s\n", paint(bold, f.Path))
		for _, m := range f.Matches {
			fmt.Fprintf(bw, "  lines %d-%d  %s  %s matched", m.Lines[0], m.Lines[1], m.Kind, pct(m.Matched))
			if m.Exact < m.Matched {
				fmt.Fprintf(bw, " (%s verbatim)", pct(m.Exact))
			} else {
				fmt.Fprintf(bw, " (verbatim)")
			}
			fmt.Fprintf(bw, "  %s\n", paint(verdictColor[m.Policy.Verdict], "["+strings.ToUpper(m.Policy.Verdict)+"]"))
			s := m.Source
			fmt.Fprintf(bw, "    source   %s lines %d-%d", s.Path, s.Lines[0], s.Lines[1])
			if pkg := packageLabel(s); pkg != "" {
				fmt.Fprintf(bw, "  (%s)", pkg)
			}
			fmt.Fprintln(bw)
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
				fmt.Fprintf(bw, "    also in  %d other location%s", m.Alternates, plural(m.Alternates))
				if opts.Verbose {
					for _, a := range m.AltSources {
						fmt.Fprintf(bw, "\n             %s lines %d-%d", a.Path, a.Lines[0], a.Lines[1])
					}
				}
				fmt.Fprintln(bw)
			}
			if len(m.Policy.Reasons) > 0 && m.Policy.Verdict != "pass" {
				fmt.Fprintf(bw, "    why      %s\n", strings.Join(m.Policy.Reasons, "; "))
			}
		}
		fmt.Fprintln(bw)
	}
	s := doc.Summary
	fmt.Fprintf(bw, "%d file%s scanned, %d with matches, %d match%s: %s, %d warn",
		s.FilesScanned, plural(s.FilesScanned), s.FilesMatched, s.Matches, pluralES(s.Matches), failCount(s.Failing, paint), s.Warnings)
	if s.Accepted > 0 {
		fmt.Fprintf(bw, ", %d accepted", s.Accepted)
	}
	if s.FilesSkipped > 0 {
		var parts []string
		for reason, n := range doc.Skipped {
			parts = append(parts, fmt.Sprintf("%s %d", reason, n))
		}
		sort.Strings(parts)
		fmt.Fprintf(bw, "; %d skipped (%s)", s.FilesSkipped, strings.Join(parts, ", "))
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

// ANSI styles of the text output (Options.Color).
const bold = "1"

var verdictColor = map[string]string{"fail": "1;31", "warn": "33", "pass": "32", "accepted": "36"}

func failCount(n int, paint func(code, s string) string) string {
	s := fmt.Sprintf("%d fail", n)
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

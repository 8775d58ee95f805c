package report

// Facts of a scan that several formats state, each in its own
// convention, from the same words: what the scan left out, the license a
// finding was evaluated under, and the license category of its verdict.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/snipscan/snipscan/license"
)

// Count writes a count for people, with thousands separators (1,296):
// the one style of every count that the text, Markdown and HTML reports
// and the command's messages print.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// filesLeftOut lists, as "N what", the files and paths the scan did not
// scan, in the order of the text summary: skipped files (by reason),
// paths excluded, paths ignored by git, files that are not code. Empty
// when it left out none.
func filesLeftOut(doc *Document) []string {
	s := doc.Summary
	var out []string
	if s.FilesSkipped > 0 {
		var parts []string
		for reason, n := range doc.Skipped {
			parts = append(parts, fmt.Sprintf("%s %s", reason, Count(n)))
		}
		sort.Strings(parts)
		out = append(out, fmt.Sprintf("%s skipped (%s)", Count(s.FilesSkipped), strings.Join(parts, ", ")))
	}
	if s.Excluded > 0 {
		out = append(out, Count(s.Excluded)+" excluded")
	}
	if s.Ignored > 0 {
		out = append(out, Count(s.Ignored)+" ignored by git")
	}
	if s.FilesNotCode > 0 {
		out = append(out, Count(s.FilesNotCode)+" not code (manifests, license and policy files, documentation, data)")
	}
	return out
}

// findingsUnlisted lists, as "N what", the findings the report does not
// list: those below the policy's minimum size and those outside the lines
// changed (--diff). Empty when there are none.
func findingsUnlisted(doc *Document) []string {
	s := doc.Summary
	var out []string
	if s.BelowMinimum > 0 {
		out = append(out, Count(s.BelowMinimum)+" below the policy's minimum size")
	}
	if s.OutsideDiff > 0 {
		out = append(out, Count(s.OutsideDiff)+" outside the lines changed (--diff)")
	}
	return out
}

// namedCount is a count of the summary with its name in the JSON report.
type namedCount struct {
	name string
	n    int
}

// leftOutCounts returns the summary's counts of the files the scan left
// out and of the findings not listed, named as in the JSON report, for
// the formats that carry them as properties (SARIF, CycloneDX).
func leftOutCounts(doc *Document) []namedCount {
	s := doc.Summary
	return []namedCount{{"files_skipped", s.FilesSkipped}, {"excluded", s.Excluded}, {"ignored", s.Ignored},
		{"files_not_code", s.FilesNotCode}, {"below_minimum", s.BelowMinimum}, {"outside_diff", s.OutsideDiff}}
}

// licenseLabel names a finding's license for people: the source's
// license expression ("unknown" when there is none) and, when it offers a
// choice, the licenses the verdict was made on: "GPL-3.0-only OR MIT
// (evaluated as MIT)".
func licenseLabel(m *Match) string {
	lic := m.Source.License
	if lic == "" {
		lic = "unknown"
	}
	if c := m.Policy.LicenseChoice; c != "" {
		lic += " (evaluated as " + c + ")"
	}
	return lic
}

// categoryOf returns the license category of a finding's verdict: the
// policy's (that of the licenses chosen, for a choice), else that of the
// source's license.
func categoryOf(m *Match) license.Category {
	if m.Policy.Category != "" {
		if c, ok := license.ParseCategory(m.Policy.Category); ok {
			return c
		}
	}
	return license.CategoryOf(m.Source.License)
}

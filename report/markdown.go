package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/policy"
)

// MarkdownMaxFindings is how many findings the Markdown report lists; a
// line says how many more there are.
const MarkdownMaxFindings = 50

// Markdown writes doc as GitHub-flavoured Markdown for a pull-request
// comment: a heading, a summary table (findings by verdict), what the scan
// left out and the findings it does not list, the findings by license
// category, then the top findings (failing first, then the largest), at
// most MarkdownMaxFindings of them, each with its license (and the choice
// the verdict was made on), the policy's reasons, its alternates, and a
// note when its source changed or is gone since it was indexed; files the
// scan could not read and a corpus read unfinished are named after the
// heading. A scan without findings, that read everything, is one line.
// Every value from the scan is escaped, so that file names, holders and
// licenses cannot break a table or inject markup.
func Markdown(w io.Writer, doc *Document) error {
	bw := bufio.NewWriter(w)
	s := doc.Summary
	var all []mdFinding
	for _, f := range doc.Files {
		for i := range f.Matches {
			all = append(all, mdFinding{path: f.Path, m: &f.Matches[i]})
		}
	}
	if len(all) == 0 && len(doc.Unscanned) == 0 && len(doc.IncompleteCorpus) == 0 {
		fmt.Fprintf(bw, "**snipscan**: no reused code found (%s file%s scanned)", Count(s.FilesScanned), plural(s.FilesScanned))
		if left := filesLeftOut(doc); len(left) > 0 {
			fmt.Fprintf(bw, "; files left out: %s", mdEscape(strings.Join(left, "; ")))
		}
		if unlisted := findingsUnlisted(doc); len(unlisted) > 0 {
			fmt.Fprintf(bw, "; findings not listed: %s", mdEscape(strings.Join(unlisted, "; ")))
		}
		fmt.Fprintf(bw, ".\n")
		return flushMarkdown(bw)
	}
	if len(all) == 0 {
		fmt.Fprintf(bw, "## snipscan: no reused code found in the %s file%s scanned\n\n", Count(s.FilesScanned), plural(s.FilesScanned))
		markdownLimits(bw, doc)
		markdownLeftOut(bw, doc)
		return flushMarkdown(bw)
	}

	fmt.Fprintf(bw, "## snipscan: reused code found\n\n")
	markdownLimits(bw, doc)
	switch s.Failing {
	case 0:
		fmt.Fprintf(bw, "No finding fails the license policy.\n\n")
	case 1:
		fmt.Fprintf(bw, "**1 finding fails the license policy.**\n\n")
	default:
		fmt.Fprintf(bw, "**%s findings fail the license policy.**\n\n", Count(s.Failing))
	}
	pass := len(all) - s.Failing - s.Warnings - s.Accepted
	fmt.Fprintf(bw, "| files scanned | files with findings | findings | failing | warnings | accepted | passing |\n")
	fmt.Fprintf(bw, "|--:|--:|--:|--:|--:|--:|--:|\n")
	fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s |\n\n", Count(s.FilesScanned), Count(s.FilesMatched), Count(len(all)), Count(s.Failing), Count(s.Warnings), Count(s.Accepted), Count(pass))
	markdownLeftOut(bw, doc)

	writeCategories(bw, all)

	slices.SortStableFunc(all, func(a, b mdFinding) int {
		return cmp.Or(
			cmp.Compare(verdictRank(a.m.Policy.Verdict), verdictRank(b.m.Policy.Verdict)),
			cmp.Compare(b.m.Tokens, a.m.Tokens),
			cmp.Compare(b.m.Lines[1]-b.m.Lines[0], a.m.Lines[1]-a.m.Lines[0]),
			cmp.Compare(a.path, b.path),
			cmp.Compare(a.m.Lines[0], b.m.Lines[0]),
		)
	})
	shown := all[:min(len(all), MarkdownMaxFindings)]
	if len(shown) < len(all) {
		fmt.Fprintf(bw, "### Top %d findings\n\n", len(shown))
	} else {
		fmt.Fprintf(bw, "### Findings\n\n")
	}
	fmt.Fprintf(bw, "| verdict | target | source | package | license | holders | matched | exact | why |\n")
	fmt.Fprintf(bw, "|---|---|---|---|---|---|--:|--:|---|\n")
	for _, f := range shown {
		m, src := f.m, f.m.Source
		verdict := mdEscape(m.Policy.Verdict)
		if m.Policy.Verdict == policy.Fail {
			verdict = "**" + verdict + "**"
		}
		target := fmt.Sprintf("%s:%d-%d", f.path, m.Lines[0], m.Lines[1])
		matched, exact := pct(m.Matched), pct(m.Exact)
		switch m.Kind {
		case "file":
			target += " (whole file)"
		case "rewrite":
			target += " (rewrite of " + m.Function + ")"
			matched, exact = fmt.Sprintf("similarity %.2f", m.Similarity), fmt.Sprintf("confidence %.2f", m.Confidence)
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			verdict,
			mdEscape(target),
			mdSource(m),
			mdOrDash(packageLabel(src)),
			mdEscape(licenseLabel(m)),
			mdOrDash(strings.Join(holders(src), "; ")),
			matched, exact,
			mdOrDash(strings.Join(m.Policy.Reasons, "; ")))
	}
	if more := len(all) - len(shown); more > 0 {
		fmt.Fprintf(bw, "\n%s more finding%s not shown; the JSON and SARIF reports list them all.\n", Count(more), plural(more))
	}
	return flushMarkdown(bw)
}

// mdSource writes the source cell of a finding's row: the source file
// and lines, how many other locations hold the code, and a note when the
// source changed or is gone since it was indexed.
func mdSource(m *Match) string {
	s := m.Source
	cell := mdEscape(fmt.Sprintf("%s:%d-%d", s.Path, s.Lines[0], s.Lines[1]))
	if m.Alternates > 0 {
		cell += fmt.Sprintf(" (and %s other location%s)", Count(m.Alternates), plural(m.Alternates))
	}
	if note := sourceNote(s); note != "" {
		cell += " **note:** " + mdEscape(note)
	}
	return cell
}

// markdownLeftOut writes what the scan left out (skipped, excluded,
// ignored and not-code files) and the findings the report does not list
// (below the policy's minimum, outside --diff), a paragraph each; nothing
// when there are none.
func markdownLeftOut(w io.Writer, doc *Document) {
	if left := filesLeftOut(doc); len(left) > 0 {
		fmt.Fprintf(w, "Files left out: %s.\n\n", mdEscape(strings.Join(left, "; ")))
	}
	if unlisted := findingsUnlisted(doc); len(unlisted) > 0 {
		fmt.Fprintf(w, "Findings not listed: %s.\n\n", mdEscape(strings.Join(unlisted, "; ")))
	}
}

// mdFinding is a finding with the target file it is in.
type mdFinding struct {
	path string
	m    *Match
}

// writeCategories writes the table of findings by license category, the
// most restrictive category first and unknown last.
func writeCategories(w io.Writer, all []mdFinding) {
	type counts struct{ findings, failing, warnings int }
	by := map[license.Category]*counts{}
	for _, f := range all {
		c := categoryOf(f.m)
		if by[c] == nil {
			by[c] = &counts{}
		}
		by[c].findings++
		switch f.m.Policy.Verdict {
		case policy.Fail:
			by[c].failing++
		case policy.Warn:
			by[c].warnings++
		}
	}
	cats := categoryOrder(by)
	fmt.Fprintf(w, "| license category | findings | failing | warnings |\n")
	fmt.Fprintf(w, "|---|--:|--:|--:|\n")
	for _, c := range cats {
		n := by[c]
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdEscape(c.String()), Count(n.findings), Count(n.failing), Count(n.warnings))
	}
	fmt.Fprintln(w)
}

// verdictRank orders verdicts for the findings table: failing first.
func verdictRank(v string) int {
	switch v {
	case policy.Fail:
		return 0
	case policy.Warn:
		return 1
	case policy.Pass:
		return 3
	case policy.Accepted:
		return 4
	}
	return 2
}

// mdEscape makes s safe in a Markdown table cell: line breaks become
// spaces, and the characters that would end the cell or start markup
// (emphasis, links, code, HTML, entities, math) are escaped with a
// backslash, as are @ (mentions, and e-mail autolinks such as
// "pkg@1.2.3") and # at the start of a word (issue references). Bare URLs
// are left alone: GitHub links them, which is harmless.
func mdEscape(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		switch r {
		case '\r', '\n':
			r = ' '
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '$', '!', '@':
			b.WriteByte('\\')
		case '#':
			if !unicode.IsLetter(prev) && !unicode.IsDigit(prev) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// mdOrDash escapes s, or returns a dash for an empty value.
func mdOrDash(s string) string {
	if s == "" {
		return "–"
	}
	return mdEscape(s)
}

func flushMarkdown(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: markdown: %w", err)
	}
	return nil
}

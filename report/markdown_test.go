package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/report"
)

func renderMarkdown(t *testing.T, doc *report.Document) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Markdown(&buf, doc); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// cells splits a Markdown table row on its unescaped pipes, as GitHub
// does, and returns the cells between the outer pipes.
func cells(row string) []string {
	var out []string
	var cell strings.Builder
	escaped := false
	for _, r := range row {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '|':
			out = append(out, strings.TrimSpace(cell.String()))
			cell.Reset()
			continue
		}
		cell.WriteRune(r)
	}
	if len(out) < 2 {
		return nil
	}
	return out[1:]
}

// findingRows returns the rows of the findings table.
func findingRows(t *testing.T, md string) [][]string {
	t.Helper()
	_, table, ok := strings.Cut(md, "| verdict |")
	if !ok {
		t.Fatalf("no findings table:\n%s", md)
	}
	var rows [][]string
	for _, line := range strings.Split(table, "\n")[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		rows = append(rows, cells(line))
	}
	return rows
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	md := renderMarkdown(t, build(results(), map[string]int{"binary": 2}))
	tests := []struct {
		name string
		want []string
	}{
		{"heading", []string{"## snipscan: reused code found\n"}},
		{"failing stated", []string{"**1 finding fails the license policy.**\n"}},
		{"summary table", []string{"| files scanned | files with findings | findings | failing | warnings | accepted | passing |\n|--:|--:|--:|--:|--:|--:|--:|\n| 3 | 2 | 3 | 1 | 2 | 0 | 0 |\n"}},
		{"skipped files", []string{"Files left out: 2 skipped (binary 2).\n"}},
		{"by category, most restrictive first, unknown last", []string{
			"| strong-copyleft | 1 | 1 | 0 |\n| permissive | 1 | 0 | 1 |\n| unknown | 1 | 0 | 1 |\n"}},
		{"findings heading", []string{"### Findings\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.want {
				if !strings.Contains(md, w) {
					t.Errorf("markdown lacks %q:\n%s", w, md)
				}
			}
		})
	}
	t.Run("rows: failing first, then the largest", func(t *testing.T) {
		rows := findingRows(t, md)
		want := [][]string{
			{"**fail**", "src/z.go:1-30 (whole file)", "gpl/lib.go:1-30", "example.com/gpl\\@v1.0.0, vendored", "GPL-3.0-only", "–", "100%", "100%",
				"GPL-3.0-only is strong-copyleft; strong-copyleft is denied by the built-in policy"},
			{"warn", "src/z.go:12-58", "container/list/list.go:40-86 (and 2 other locations)", "stdlib\\@1.26.8", "BSD-3-Clause", "The Go Authors", "94%", "81%",
				"BSD-3-Clause requires attribution: keep the copyright and license notice; permissive is warned about by the built-in policy until attributed"},
			{"warn", "src/a.go:3-41", "misc/util.go:5-44", "–", "unknown", "–", "50%", "20%",
				"the source's license is unknown; an unknown license is warned about by the built-in policy"},
		}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Errorf("rows\n%q\nwant\n%q", rows, want)
		}
	})
}

func TestMarkdownEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		results []match.Result
		want    string
	}{
		{"no files", nil, "**snipscan**: no reused code found (0 files scanned).\n"},
		{"one clean file", []match.Result{{Path: "a.go", Lines: 3}}, "**snipscan**: no reused code found (1 file scanned).\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := renderMarkdown(t, build(tc.results, nil)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMarkdownEscaping checks that values from the scan cannot break the
// table or add markup.
func TestMarkdownEscaping(t *testing.T) {
	t.Parallel()
	res := results()
	f := &res[0].Findings[0]
	res[0].Path = "src/a|b_*c*.go"
	f.Source.Path = "lib/[x](http://e.com)`y`.go"
	f.Source.Holders = []string{"<script>alert(1)</script> & @octocat", "line\nbreak ~~struck~~ $x$ #12 \\"}
	f.Source.License = "MIT"
	md := renderMarkdown(t, build(res, nil))
	var row []string
	for _, r := range findingRows(t, md) {
		if strings.HasPrefix(r[1], `src/a\|`) {
			row = r
		}
	}
	if len(row) != 9 {
		t.Fatalf("the row has %d cells, want 9: %q\n%s", len(row), row, md)
	}
	want := []string{
		`src/a\|b\_\*c\*.go:12-58`,
		"lib/\\[x\\](http://e.com)\\`y\\`.go:40-86 (and 2 other locations)",
		`MIT`,
		`\<script\>alert(1)\</script\> \& \@octocat; line break \~\~struck\~\~ \$x\$ \#12 \\`,
	}
	got := []string{row[1], row[2], row[4], row[5]}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %q, want %q", got[i], want[i])
		}
	}
	if strings.Count(md, "\n|") != strings.Count(md, "|\n") {
		t.Errorf("a row was broken across lines:\n%s", md)
	}

	// What a GitHub-flavoured Markdown renderer makes of it: every row of
	// the findings table has its 9 cells, and the values added no markup.
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &html); err != nil {
		t.Fatal(err)
	}
	out := html.String()
	tables := strings.Split(out, "<table>")
	if len(tables) != 4 {
		t.Fatalf("%d tables, want 3:\n%s", len(tables)-1, out)
	}
	for _, row := range strings.Split(tables[3], "<tr>")[2:] {
		if n := strings.Count(row, "<td"); n != 9 {
			t.Errorf("a findings row has %d cells, want 9: %s", n, row)
		}
	}
	for _, markup := range []string{"<script", ">x</a>", "mailto:", "<code>", "<em>", "<del>", "<br"} {
		if strings.Contains(out, markup) {
			t.Errorf("the rendered HTML has %s:\n%s", markup, out)
		}
	}
	if n := strings.Count(out, "<strong>"); n != 2 {
		t.Errorf("%d bold texts, want 2 (the failing count and verdict):\n%s", n, out)
	}
	for _, text := range []string{"src/a|b_*c*.go:12-58", "lib/[x](", "`y`.go:40-86", "stdlib@1.26.8", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; @octocat",
		"line break ~~struck~~ $x$ #12 \\"} {
		if !strings.Contains(out, text) {
			t.Errorf("the rendered HTML lacks %q:\n%s", text, out)
		}
	}
}

// TestMarkdownTruncates checks that at most MarkdownMaxFindings findings
// are listed, the failing ones among them, with a line for the rest.
func TestMarkdownTruncates(t *testing.T) {
	t.Parallel()
	base := results()[0].Findings
	var res []match.Result
	for i := range 60 {
		f := base[0] // a warning
		if i == 59 {
			f = base[1] // the only failing finding, listed last by path
		}
		f.Source.Lines = [2]int{i + 1, i + 40}
		f.Tokens = 100 + i
		res = append(res, match.Result{Path: fmt.Sprintf("src/f%02d.go", i), Lines: 100, Findings: []match.Finding{f}})
	}
	md := renderMarkdown(t, build(res, nil))
	rows := findingRows(t, md)
	if len(rows) != report.MarkdownMaxFindings {
		t.Fatalf("%d rows, want %d", len(rows), report.MarkdownMaxFindings)
	}
	if rows[0][0] != "**fail**" || rows[0][1] != "src/f59.go:1-30 (whole file)" {
		t.Errorf("first row %q, want the failing finding", rows[0])
	}
	if rows[1][1] != "src/f58.go:12-58" || rows[49][1] != "src/f10.go:12-58" {
		t.Errorf("warnings not by size, largest first: %q ... %q", rows[1][1], rows[49][1])
	}
	if !strings.Contains(md, "### Top 50 findings\n") || !strings.HasSuffix(md, "\n10 more findings not shown; the JSON and SARIF reports list them all.\n") {
		t.Errorf("heading or the line for the rest missing:\n%s", md)
	}
}

func TestMarkdownGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  *report.Document
	}{
		{"report.md", build(results(), map[string]int{"binary": 2, "too large": 1})},
		{"empty.md", build(nil, nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := report.Render(&buf, "markdown", tc.doc, report.Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, buf.Bytes())
		})
	}
}

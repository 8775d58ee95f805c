package report_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/report"
)

// htmlSource is a corpus file of 20 lines; htmlTarget holds lines 5-13 of
// it at lines 3-11, with the local "total" renamed to "sum".
const htmlSource = `package stats

// Sum adds up xs.
//
func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		if x < 0 {
			continue
		}
		total += x
	}
	return total
}

// Mean is the arithmetic mean.
func Mean(xs []int) float64 {
	return float64(Sum(xs)) / float64(len(xs))
}
`

const htmlTarget = `package app

func Sum(xs []int) int {
	sum := 0
	for _, x := range xs {
		if x < 0 {
			continue
		}
		sum += x
	}
	return sum
}
`

// htmlDoc is a document with one finding: htmlTarget lines 3-11 copied
// from htmlSource lines 5-13.
func htmlDoc() *report.Document {
	src := match.Source{FileID: 1, Root: "/corpus", Path: "stats/sum.go", Lines: [2]int{5, 13}, FileLines: 20,
		License: "MIT", LicenseSource: "license_file", Copyrights: []string{"Copyright 2020 Jane Doe"}, Holders: []string{"Jane Doe"}}
	return build([]match.Result{{Path: "app/sum.go", Lines: 12, Findings: []match.Finding{
		{Kind: match.KindSnippet, Lines: [2]int{3, 11}, Tokens: 48, Matched: 1, Exact: 0.7, Source: src},
	}}}, nil)
}

func htmlOptions(target, source string) report.Options {
	return report.Options{
		ReadTarget: func(p string) ([]byte, error) {
			if p != "app/sum.go" {
				return nil, fmt.Errorf("unexpected target %q", p)
			}
			return []byte(target), nil
		},
		ReadSource: func(root, p string) ([]byte, error) {
			if root != "/corpus" || p != "stats/sum.go" {
				return nil, fmt.Errorf("unexpected source %q %q", root, p)
			}
			return []byte(source), nil
		},
	}
}

func renderHTML(t *testing.T, doc *report.Document, opts report.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Render(&buf, "html", doc, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// sides returns the target and source code views of a page's first
// finding.
func sides(t *testing.T, page string) (target, source string) {
	t.Helper()
	i := strings.Index(page, `<section class="side target">`)
	j := strings.Index(page, `<section class="side source">`)
	k := strings.Index(page[max(j, 0):], `</section>`)
	if i < 0 || j < i || k < 0 {
		t.Fatalf("no side-by-side view in\n%s", page)
	}
	return page[i:j], page[j : j+k]
}

func TestHTMLCodeView(t *testing.T) {
	page := renderHTML(t, htmlDoc(), htmlOptions(htmlTarget, htmlSource))
	target, source := sides(t, page)

	// Renamed identifiers are marked on both sides, each naming the other.
	if !strings.Contains(target, `<span class="r" title="total">sum</span>`) {
		t.Errorf("target view does not mark sum as renamed from total:\n%s", target)
	}
	if !strings.Contains(source, `<span class="r" title="sum">total</span>`) {
		t.Errorf("source view does not mark total as renamed to sum:\n%s", source)
	}
	// Identical tokens are marked matched, consecutive ones in one span.
	for _, side := range []string{target, source} {
		if !strings.Contains(side, `<span class="m">for _, x := range xs {</span>`) ||
			!strings.Contains(side, `<span class="m">continue</span>`) {
			t.Errorf("view lacks the matched loop:\n%s", side)
		}
	}
	// The source view shows 3 lines of context on each side, unmarked and
	// outside the finding (class x), with the file's own line numbers.
	for n, in := range map[int]bool{1: false, 2: true, 4: true, 5: true, 13: true, 16: true, 17: false} {
		row := fmt.Sprintf(`<td class="n">%d</td>`, n)
		if got := strings.Contains(source, row); got != in {
			t.Errorf("source line %d shown: %v, want %v", n, got, in)
		}
	}
	if !strings.Contains(source, `<tr class="x"><td class="n">4</td><td class="c">//</td></tr>`) {
		t.Errorf("context line 4 is not shown as context:\n%s", source)
	}
	if strings.Contains(source, `<tr class="x"><td class="n">5</td>`) {
		t.Errorf("line 5, the finding's first, is shown as context")
	}
	// Comments are never marked: they make no tokens.
	if strings.Contains(source, `<span class="m">// Mean`) {
		t.Errorf("a comment is marked as matched")
	}
	// Facts of the finding.
	for _, want := range []string{"MIT", "Jane Doe", "Copyright 2020 Jane Doe", "100% matched, 70% verbatim",
		"<code>app/sum.go:3-11</code> from <code>stats/sum.go:5-13</code>", `<details class="finding" open id="finding-1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestHTMLSelfContained checks that the page loads nothing and that its
// Content-Security-Policy admits exactly its own inline script.
func TestHTMLSelfContained(t *testing.T) {
	page := renderHTML(t, htmlDoc(), htmlOptions(htmlTarget, htmlSource))
	for _, re := range []string{`<link\b`, `\bsrc=`, `url\(`, `@import`, `https?://`} {
		if loc := regexp.MustCompile(re).FindStringIndex(page); loc != nil {
			t.Errorf("page refers to an outside resource (%s): %q", re, page[max(0, loc[0]-40):min(len(page), loc[1]+40)])
		}
	}
	m := regexp.MustCompile(`(?s)<script>(.*)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no inline script")
	}
	sum := sha256.Sum256([]byte(m[1]))
	want := `script-src 'sha256-` + base64.StdEncoding.EncodeToString(sum[:]) + `'`
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
	if csp == nil || !strings.Contains(html.UnescapeString(csp[1]), "default-src 'none'") || !strings.Contains(html.UnescapeString(csp[1]), want) {
		t.Errorf("Content-Security-Policy %q does not allow exactly the page's script (%s)", csp, want)
	}
}

func TestHTMLEscaping(t *testing.T) {
	doc := htmlDoc()
	f := &doc.Files[0]
	f.Path = `app/<script>alert(1)</script>.go`
	f.Matches[0].Source.Holders = []string{`"><img onerror=alert(2)>`}
	code := strings.Replace(htmlTarget, "return sum", "return sum /* </script><b>x</b> */", 1)
	opts := htmlOptions(code, htmlSource)
	opts.ReadTarget = func(string) ([]byte, error) { return []byte(code), nil }
	page := renderHTML(t, doc, opts)
	for _, bad := range []string{"<script>alert(1)", "<img onerror", "<b>x</b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, "&lt;b&gt;x&lt;/b&gt;") {
		t.Errorf("escaped path or code missing")
	}
	if n := strings.Count(page, "<script>"); n != 1 {
		t.Errorf("%d script elements, want 1", n)
	}
}

func TestHTMLCodeUnavailable(t *testing.T) {
	tests := []struct {
		name         string
		opts         report.Options
		target, want string // want: in the source view
	}{
		{"no readers", report.Options{}, "not given to the report", "not given to the report"},
		{"read error", report.Options{
			ReadTarget: func(string) ([]byte, error) { return nil, errors.New("permission denied") },
			ReadSource: func(string, string) ([]byte, error) { return nil, errors.New("no such file") },
		}, "not available: permission denied.", "not available: no such file."},
		{"file shrank", htmlOptions(htmlTarget, "package stats\n"), "<table class=\"code\">", "The file has 1 lines, fewer than the finding's last line 13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := renderHTML(t, htmlDoc(), tt.opts)
			target, source := sides(t, page)
			if !strings.Contains(target, tt.target) {
				t.Errorf("target view lacks %q:\n%s", tt.target, target)
			}
			if !strings.Contains(html.UnescapeString(source), tt.want) {
				t.Errorf("source view lacks %q:\n%s", tt.want, source)
			}
			// One side alone shows no marks: nothing to align with.
			if strings.Contains(target, `class="m"`) || strings.Contains(target, `class="r"`) {
				t.Errorf("target marked without a source:\n%s", target)
			}
		})
	}
}

func TestHTMLEmpty(t *testing.T) {
	page := renderHTML(t, build(nil, nil), report.Options{})
	if !strings.Contains(page, "No reused code found") || strings.Contains(page, "<details") {
		t.Errorf("empty report:\n%s", page)
	}
}

// manyFindings is a document of n findings in n/10 target files, every
// third one failing (GPL), each reading the same two texts.
func manyFindings(n int) *report.Document {
	var res []match.Result
	for i := range n {
		if i%10 == 0 {
			res = append(res, match.Result{Path: fmt.Sprintf("app/f%04d.go", i/10), Lines: 12})
		}
		src := match.Source{FileID: uint32(i + 1), Root: "/corpus", Path: "stats/sum.go", Lines: [2]int{5, 13}, FileLines: 20,
			License: "MIT", LicenseSource: "license_file", Holders: []string{"Jane Doe"}}
		if i%3 == 0 {
			src.License = "GPL-3.0-only"
		}
		r := &res[len(res)-1]
		r.Findings = append(r.Findings, match.Finding{Kind: match.KindSnippet, Lines: [2]int{3, 11}, Tokens: 48, Matched: 1, Exact: 0.7, Source: src})
	}
	return build(res, nil)
}

func manyOptions() report.Options {
	return report.Options{
		ReadTarget: func(string) ([]byte, error) { return []byte(htmlTarget), nil },
		ReadSource: func(string, string) ([]byte, error) { return []byte(htmlSource), nil },
	}
}

// TestHTMLMany renders 1,000 findings: failing first, each once, collapsed,
// every target file read once.
func TestHTMLMany(t *testing.T) {
	reads := map[string]int{}
	opts := manyOptions()
	opts.ReadTarget = func(p string) ([]byte, error) { reads[p]++; return []byte(htmlTarget), nil }
	page := renderHTML(t, manyFindings(1000), opts)
	if n := strings.Count(page, `<details class="finding" id="finding-`); n != 1000 {
		t.Errorf("%d collapsed findings, want 1000", n)
	}
	for p, n := range reads {
		if n != 1 {
			t.Errorf("target %s read %d times", p, n)
		}
	}
	if len(reads) != 100 {
		t.Errorf("%d targets read, want 100", len(reads))
	}
	verdicts := regexp.MustCompile(`data-verdict="(\w+)"`).FindAllStringSubmatch(page, -1)
	failing := 0
	for i, v := range verdicts {
		if v[1] == "fail" {
			if failing != i {
				t.Fatalf("finding %d fails after one that does not", i+1)
			}
			failing++
		}
	}
	if failing != 334 {
		t.Errorf("%d failing findings, want 334", failing)
	}
	if !strings.Contains(page, `<output id="shown">1000 of 1000 findings shown</output>`) {
		t.Errorf("no count of shown findings")
	}
	t.Logf("1000 findings: %d bytes", len(page))
}

// BenchmarkHTML1000 renders a report of 1,000 findings with their code.
func BenchmarkHTML1000(b *testing.B) {
	doc, opts := manyFindings(1000), manyOptions()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := report.HTML(&buf, doc, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}

// TestHTMLCodeBudget renders more findings than the page's code budget
// holds: the first ones in page order (failing first) keep their code,
// the rest say why they have none.
func TestHTMLCodeBudget(t *testing.T) {
	reads := 0
	opts := manyOptions()
	opts.ReadTarget = func(string) ([]byte, error) { reads++; return []byte(htmlTarget), nil }
	page := renderHTML(t, manyFindings(3000), opts)
	perFinding := 2 * (9 + 2*report.HTMLContextLines) // lines 3-11 and 5-13, with context
	withCode := report.HTMLMaxCodeLines / perFinding
	if n := strings.Count(page, "Code not shown"); n != 2*(3000-withCode) {
		t.Errorf("%d sides without code, want %d", n, 2*(3000-withCode))
	}
	first := page[strings.Index(page, `id="finding-1"`):]
	first = first[:strings.Index(first, "</details>")]
	if !strings.Contains(first, `data-verdict="fail"`) || !strings.Contains(first, `<table class="code">`) {
		t.Errorf("the first finding (failing) has no code")
	}
	if reads != 300 { // every file holds failing findings, shown first
		t.Errorf("%d target files read, want each of the 300 once", reads)
	}
}

// TestSourceChangedOrGone renders a finding whose source file changed, or
// is gone, since it was indexed: the JSON says so on the source, the text
// report adds a note, and the HTML report shows a notice in place of the
// source's code without reading the file, the target's code still shown.
func TestSourceChangedOrGone(t *testing.T) {
	for _, tt := range []struct {
		name          string
		changed, gone bool
		json, note    string
	}{
		{"changed", true, false, `"source_changed": true`, "the source file changed since it was indexed"},
		{"gone", false, true, `"source_gone": true`, "the source file is no longer where it was indexed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := htmlDoc()
			doc.Files[0].Matches[0].Source.SourceChanged = tt.changed
			doc.Files[0].Matches[0].Source.SourceGone = tt.gone
			var js, text bytes.Buffer
			if err := report.Render(&js, "json", doc, report.Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(js.String(), tt.json) {
				t.Errorf("JSON lacks %s:\n%s", tt.json, js.String())
			}
			if err := report.Render(&text, "text", doc, report.Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text.String(), "    note     "+tt.note+": the source lines are those indexed\n") {
				t.Errorf("text report lacks the note %q:\n%s", tt.note, text.String())
			}
			opts := htmlOptions(htmlTarget, htmlSource)
			opts.ReadSource = func(root, p string) ([]byte, error) {
				t.Errorf("the report read the source %s %s", root, p)
				return []byte(htmlSource), nil
			}
			target, source := sides(t, renderHTML(t, doc, opts))
			if !strings.Contains(target, `<table class="code">`) {
				t.Errorf("target view has no code:\n%s", target)
			}
			want := `<p class="unavailable">Code not shown: ` + tt.note + `; the lines given are those indexed.</p>`
			if strings.Contains(source, `<table class="code">`) || !strings.Contains(source, want) {
				t.Errorf("source view shows code, or lacks %q:\n%s", want, source)
			}
		})
	}
	// An unchanged source says nothing.
	var js, text bytes.Buffer
	report.Render(&js, "json", htmlDoc(), report.Options{})
	report.Render(&text, "text", htmlDoc(), report.Options{})
	if strings.Contains(js.String(), "source_changed") || strings.Contains(js.String(), "source_gone") || strings.Contains(text.String(), "note") {
		t.Errorf("an unchanged source is said to have changed:\n%s\n%s", js.String(), text.String())
	}
}

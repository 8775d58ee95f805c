package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var tool = report.Tool{Name: "snipscan", Version: "v0.0.0-test"}

// results are the hand-made scan results most tests render: a file with
// two findings (a snippet with alternates, a whole-file copy of GPL code),
// a file with an unknown-license finding, and one file without findings.
func results() []match.Result {
	bsd := match.Source{
		FileID: 7, Root: "/usr/local/go/src", Path: "container/list/list.go", Lines: [2]int{40, 86}, FileLines: 240,
		Package: "stdlib", Version: "1.26.8", PURL: "pkg:golang/stdlib@1.26.8", Ecosystem: "golang",
		License: "BSD-3-Clause", LicenseSource: "license_file", LicenseFile: "../LICENSE", LicenseText: "bsd-text",
		Copyrights: []string{"Copyright 2009 The Go Authors"}, Holders: []string{"The Go Authors"},
	}
	alt1 := bsd
	alt1.Root, alt1.Path, alt1.Lines, alt1.Vendored = "/home/me/go/pkg/mod", "example.com/fork@v1.0.0/list.go", [2]int{38, 84}, false
	alt2 := bsd
	alt2.Root, alt2.Path, alt2.Vendored, alt2.Copyrights, alt2.Holders = "/srv/app", "vendor/x/list.go", true, nil, nil
	gpl := match.Source{
		FileID: 9, Root: "/srv/corpus", Path: "gpl/lib.go", Lines: [2]int{1, 30}, FileLines: 30,
		Package: "example.com/gpl", Version: "v1.0.0", PURL: "pkg:golang/example.com/gpl@v1.0.0", Ecosystem: "golang",
		License: "GPL-3.0-only", LicenseSource: "spdx_tag", Vendored: true,
		// No copyright found: nil must render as [].
	}
	unknown := match.Source{FileID: 11, Root: "/srv/corpus", Path: "misc/util.go", Lines: [2]int{5, 44}}
	return []match.Result{
		{Path: "src/z.go", Lines: 120, Findings: []match.Finding{
			{Kind: match.KindSnippet, Lines: [2]int{12, 58}, Tokens: 412, Matched: 0.94444, Exact: 0.81249,
				Source: bsd, Alternates: 2, AlternateSources: []match.Source{alt1, alt2}},
			{Kind: match.KindFile, Lines: [2]int{1, 30}, Tokens: 150, Matched: 1, Exact: 1, Source: gpl},
		}},
		{Path: "src/clean.go", Lines: 80},
		{Path: "src/a.go", Lines: 50, Findings: []match.Finding{
			{Kind: match.KindSnippet, Lines: [2]int{3, 41}, Tokens: 230, Matched: 0.5, Exact: 0.2, Source: unknown},
		}},
	}
}

func build(res []match.Result, skipped map[string]int) *report.Document {
	return report.Build(res, len(res), policy.Default().Evaluator(policy.Context{}), tool, "/home/me/.local/share/snipscan/corpus.db", skipped, 61*time.Millisecond)
}

func TestBuild(t *testing.T) {
	t.Parallel()
	doc := build(results(), map[string]int{"binary": 2, "too large": 1})
	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"header", func(t *testing.T) {
			if doc.Schema != report.SchemaVersion || doc.Tool != tool || doc.Corpus == "" {
				t.Errorf("Schema %d Tool %+v Corpus %q", doc.Schema, doc.Tool, doc.Corpus)
			}
		}},
		{"summary", func(t *testing.T) {
			want := report.Summary{FilesScanned: 3, FilesMatched: 2, Matches: 3, Failing: 1, Warnings: 2, FilesSkipped: 3, ElapsedMS: 61}
			if doc.Summary != want {
				t.Errorf("Summary = %+v, want %+v", doc.Summary, want)
			}
		}},
		{"files without findings are left out, files sorted by path", func(t *testing.T) {
			var paths []string
			for _, f := range doc.Files {
				paths = append(paths, f.Path)
			}
			if want := []string{"src/a.go", "src/z.go"}; !slices.Equal(paths, want) {
				t.Errorf("files = %q, want %q", paths, want)
			}
		}},
		{"shares rounded to three decimals", func(t *testing.T) {
			m := doc.Files[1].Matches[0]
			if m.Matched != 0.944 || m.Exact != 0.812 {
				t.Errorf("Matched %v Exact %v, want 0.944 0.812", m.Matched, m.Exact)
			}
		}},
		{"policy on every finding", func(t *testing.T) {
			got := []string{doc.Files[0].Matches[0].Policy.Verdict, doc.Files[1].Matches[0].Policy.Verdict, doc.Files[1].Matches[1].Policy.Verdict}
			if want := []string{policy.Warn, policy.Warn, policy.Fail}; !slices.Equal(got, want) {
				t.Errorf("verdicts = %q, want %q", got, want)
			}
		}},
		{"alternates", func(t *testing.T) {
			m := doc.Files[1].Matches[0]
			if m.Alternates != 2 || len(m.AltSources) != 2 || m.AltSources[1].Path != "vendor/x/list.go" || !m.AltSources[1].Vendored {
				t.Errorf("Alternates %d AltSources %+v", m.Alternates, m.AltSources)
			}
			if m.AltSources[1].Copyrights == nil || m.AltSources[1].Holders == nil {
				t.Error("an alternate source's nil copyrights or holders were kept nil")
			}
		}},
		{"source fields", func(t *testing.T) {
			s := doc.Files[1].Matches[1].Source
			want := report.Source{Path: "gpl/lib.go", Lines: [2]int{1, 30}, Package: "example.com/gpl", Version: "v1.0.0",
				PURL: "pkg:golang/example.com/gpl@v1.0.0", License: "GPL-3.0-only", LicenseSource: "spdx_tag",
				Copyrights: []string{}, Holders: []string{}, Root: "/srv/corpus", Vendored: true}
			if !sourceEqual(s, want) {
				t.Errorf("Source = %+v\nwant %+v", s, want)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

func sourceEqual(a, b report.Source) bool {
	return a.Path == b.Path && a.Lines == b.Lines && a.Package == b.Package && a.Version == b.Version &&
		a.PURL == b.PURL && a.License == b.License && a.LicenseSource == b.LicenseSource &&
		slices.Equal(a.Copyrights, b.Copyrights) && (a.Copyrights == nil) == (b.Copyrights == nil) &&
		slices.Equal(a.Holders, b.Holders) && (a.Holders == nil) == (b.Holders == nil) &&
		a.Root == b.Root && a.LicenseFile == b.LicenseFile && a.Vendored == b.Vendored
}

// decode renders doc as JSON and decodes it generically, so that the
// checks below see the keys a consumer sees.
func decode(t *testing.T, doc *report.Document) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := report.JSON(&buf, doc); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.Bytes())
	}
	return m
}

// get follows a path of keys and indexes through decoded JSON; it fails
// the test if an element is missing or of another JSON type than want
// ("number", "string", "bool", "array", "object").
func get(t *testing.T, v any, want string, keys ...any) any {
	t.Helper()
	where := "$"
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			where += "." + k
			obj, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%s: parent is %T, not an object", where, v)
			}
			if v, ok = obj[k]; !ok {
				t.Fatalf("%s: missing key", where)
			}
		case int:
			where += "[" + strconv.Itoa(k) + "]"
			arr, ok := v.([]any)
			if !ok || k >= len(arr) {
				t.Fatalf("%s: parent is %T of length %d", where, v, len(arr))
			}
			v = arr[k]
		}
	}
	var got string
	switch v.(type) {
	case float64:
		got = "number"
	case string:
		got = "string"
	case bool:
		got = "bool"
	case []any:
		got = "array"
	case map[string]any:
		got = "object"
	case nil:
		got = "null"
	}
	if got != want {
		t.Fatalf("%s = %v: a JSON %s, want a %s", where, v, got, want)
	}
	return v
}

// TestJSONContract checks the keys and types of the documented JSON
// contract (README.md, "JSON output"): renaming or removing a field, or
// turning an array into null, fails here.
func TestJSONContract(t *testing.T) {
	t.Parallel()
	m := decode(t, build(results(), map[string]int{"binary": 2}))

	if got := get(t, m, "number", "schema"); got != float64(1) {
		t.Errorf("schema = %v, want 1", got)
	}
	get(t, m, "string", "tool", "name")
	get(t, m, "string", "tool", "version")
	get(t, m, "string", "corpus")
	summary := map[string]float64{"files_scanned": 3, "files_matched": 2, "matches": 3, "failing": 1, "warnings": 2, "files_skipped": 2, "elapsed_ms": 61}
	for k, want := range summary {
		if got := get(t, m, "number", "summary", k); got != want {
			t.Errorf("summary.%s = %v, want %v", k, got, want)
		}
	}
	if files := get(t, m, "array", "files").([]any); len(files) != 2 {
		t.Fatalf("%d files, want 2 (the file without findings left out)", len(files))
	}

	// Every finding has every field of the contract, with its type.
	for fi, nmatch := range []int{1, 2} {
		get(t, m, "string", "files", fi, "path")
		get(t, m, "number", "files", fi, "lines")
		if got := len(get(t, m, "array", "files", fi, "matches").([]any)); got != nmatch {
			t.Fatalf("files[%d] has %d matches, want %d", fi, got, nmatch)
		}
		for mi := range nmatch {
			at := []any{"files", fi, "matches", mi}
			field := func(want string, keys ...any) any {
				t.Helper()
				return get(t, m, want, append(slices.Clip(at), keys...)...)
			}
			kind := field("string", "kind")
			if kind != "snippet" && kind != "file" {
				t.Errorf("kind = %v", kind)
			}
			for _, lines := range [][]any{{"lines"}, {"source", "lines"}} {
				arr := field("array", lines...).([]any)
				if len(arr) != 2 {
					t.Errorf("%v = %v, want [first, last]", lines, arr)
				}
				for i := range arr {
					field("number", append(slices.Clip(lines), i)...)
				}
			}
			field("number", "matched")
			field("number", "exact")
			field("number", "tokens")
			field("number", "alternates")
			for _, k := range []string{"path", "package", "version", "purl", "license", "license_source"} {
				field("string", "source", k)
			}
			field("array", "source", "copyrights")
			field("array", "source", "holders")
			field("string", "policy", "verdict")
			field("array", "policy", "reasons")
		}
	}

	tests := []struct {
		name string
		want string // JSON type
		keys []any
		val  any // if not nil, the value wanted
	}{
		{"a snippet", "string", []any{"files", 1, "matches", 0, "kind"}, "snippet"},
		{"a whole-file copy", "string", []any{"files", 1, "matches", 1, "kind"}, "file"},
		{"matched rounded", "number", []any{"files", 1, "matches", 0, "matched"}, 0.944},
		{"alternates counted", "number", []any{"files", 1, "matches", 0, "alternates"}, float64(2)},
		{"alternate sources listed", "string", []any{"files", 1, "matches", 0, "alternate_sources", 0, "path"}, "example.com/fork@v1.0.0/list.go"},
		{"copyrights of a known source", "string", []any{"files", 1, "matches", 0, "source", "copyrights", 0}, "Copyright 2009 The Go Authors"},
		{"license file", "string", []any{"files", 1, "matches", 0, "source", "license_file"}, "../LICENSE"},
		{"root", "string", []any{"files", 1, "matches", 0, "source", "root"}, "/usr/local/go/src"},
		{"purl", "string", []any{"files", 1, "matches", 1, "source", "purl"}, "pkg:golang/example.com/gpl@v1.0.0"},
		{"vendored", "bool", []any{"files", 1, "matches", 1, "source", "vendored"}, true},
		{"failing verdict", "string", []any{"files", 1, "matches", 1, "policy", "verdict"}, "fail"},
		{"attribution reason", "string", []any{"files", 1, "matches", 0, "policy", "reasons", 0}, "BSD-3-Clause requires attribution: keep the copyright and license notice"},
		{"unknown license is an empty string", "string", []any{"files", 0, "matches", 0, "source", "license"}, ""},
		{"unknown license warns", "string", []any{"files", 0, "matches", 0, "policy", "reasons", 0}, "the source's license is unknown"},
		{"skipped by reason", "number", []any{"skipped", "binary"}, float64(2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := get(t, m, tc.want, tc.keys...)
			if tc.val != nil && got != tc.val {
				t.Errorf("%v = %#v, want %#v", tc.keys, got, tc.val)
			}
		})
	}

	t.Run("copyrights and holders never null", func(t *testing.T) {
		t.Parallel()
		for _, keys := range [][]any{
			{"files", 0, "matches", 0, "source"},               // unknown source, nothing known
			{"files", 1, "matches", 1, "source"},               // GPL source, no copyright
			{"files", 1, "matches", 0, "alternate_sources", 1}, // an alternate without copyright
		} {
			for _, k := range []string{"copyrights", "holders"} {
				if arr := get(t, m, "array", append(slices.Clip(keys), k)...).([]any); len(arr) != 0 {
					t.Errorf("%v.%s = %v, want []", keys, k, arr)
				}
			}
		}
	})
	t.Run("optional fields left out when empty", func(t *testing.T) {
		t.Parallel()
		src := get(t, m, "object", "files", 0, "matches", 0, "source").(map[string]any)
		for _, k := range []string{"license_file", "vendored"} {
			if _, ok := src[k]; ok {
				t.Errorf("source.%s present although empty", k)
			}
		}
		if _, ok := get(t, m, "object", "files", 0, "matches", 0).(map[string]any)["alternate_sources"]; ok {
			t.Error("alternate_sources present without alternates")
		}
	})
}

// TestEmptyReport checks a scan that found nothing: "files" is an empty
// array and both renderers work.
func TestEmptyReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		results []match.Result
		scanned float64
	}{
		{"no files", nil, 0},
		{"files without findings", []match.Result{{Path: "a.go", Lines: 3}, {Path: "b.go", Lines: 4}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := build(tc.results, nil)
			m := decode(t, doc)
			if files := get(t, m, "array", "files").([]any); len(files) != 0 {
				t.Errorf("files = %v, want []", files)
			}
			if got := get(t, m, "number", "summary", "files_scanned"); got != tc.scanned {
				t.Errorf("files_scanned = %v, want %v", got, tc.scanned)
			}
			for _, k := range []string{"files_matched", "matches", "failing", "warnings", "files_skipped"} {
				if got := get(t, m, "number", "summary", k); got != float64(0) {
					t.Errorf("summary.%s = %v, want 0", k, got)
				}
			}
			if _, ok := m["skipped"]; ok {
				t.Error("skipped present without skips")
			}
			var buf bytes.Buffer
			if err := report.Text(&buf, doc, report.Options{}); err != nil {
				t.Fatal(err)
			}
			want := strings.Replace("N files scanned, 0 with matches, 0 matches: 0 fail, 0 warn; built-in policy\n", "N", map[float64]string{0: "0", 2: "2"}[tc.scanned], 1)
			if buf.String() != want {
				t.Errorf("text = %q, want %q", buf.String(), want)
			}
		})
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	doc := build(results(), nil)
	var text, js bytes.Buffer
	if err := report.Text(&text, doc, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.JSON(&js, doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		format  string
		want    string
		wantErr bool
	}{
		{"text", "text", text.String(), false},
		{"default is text", "", text.String(), false},
		{"json", "json", js.String(), false},
		{"unknown format", "xml", "", true},
		{"format names are exact", "JSON", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := report.Render(&buf, tc.format, doc, report.Options{})
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), "unknown format") {
					t.Errorf("Render(%q) = %v, want an unknown format error", tc.format, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if buf.String() != tc.want {
				t.Errorf("Render(%q) differs from the renderer itself", tc.format)
			}
		})
	}
	t.Run("Formats lists what Render accepts", func(t *testing.T) {
		t.Parallel()
		for _, f := range report.Formats() {
			if err := report.Render(&bytes.Buffer{}, f, doc, report.Options{}); err != nil {
				t.Errorf("Render(%q): %v", f, err)
			}
		}
		got := report.Formats()
		for _, f := range []string{"text", "json", "sarif", "markdown", "spdx-json"} {
			if !slices.Contains(got, f) {
				t.Errorf("Formats() = %q lacks %q", got, f)
			}
		}
	})
}

// TestText checks the text renderer's lines that carry meaning, beyond
// the golden files.
func TestText(t *testing.T) {
	t.Parallel()
	doc := build(results(), map[string]int{"too large": 1, "binary": 2})
	render := func(opts report.Options) string {
		var buf bytes.Buffer
		if err := report.Text(&buf, doc, opts); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	plain, verbose := render(report.Options{}), render(report.Options{Verbose: true})
	doc.Summary.Excluded, doc.Summary.Ignored = 4, 1
	withExcluded := render(report.Options{})
	doc.Summary.Policy = "proj/snipscan.toml"
	withPolicy := render(report.Options{})
	tests := []struct {
		name    string
		text    string
		want    []string
		notWant []string
	}{
		{"snippet line", plain, []string{"  lines 12-58  snippet  94% matched (81% verbatim)  [WARN]\n"}, nil},
		{"whole-file copy, verbatim", plain, []string{"  lines 1-30  file  100% matched (verbatim)  [FAIL]\n"}, nil},
		{"source with package", plain, []string{"    source   container/list/list.go lines 40-86  (stdlib@1.26.8)\n"}, nil},
		{"vendored package", plain, []string{"(example.com/gpl@v1.0.0, vendored)"}, nil},
		{"license and its evidence", plain, []string{"    license  BSD-3-Clause (from license file)\n", "    license  GPL-3.0-only (from spdx tag)\n"}, nil},
		{"unknown license", plain, []string{"    license  unknown\n"}, nil},
		{"holders", plain, []string{"    holders  The Go Authors\n"}, nil},
		{"reasons", plain, []string{"    why      GPL-3.0-only is strong-copyleft; strong-copyleft is denied by the built-in policy\n", "    why      the source's license is unknown; an unknown license is warned about by the built-in policy\n"}, nil},
		{"alternates counted", plain, []string{"    also in  2 other locations\n"}, []string{"vendor/x/list.go"}},
		{"alternates listed with -v", verbose, []string{"    also in  2 other locations\n             example.com/fork@v1.0.0/list.go lines 38-84\n             vendor/x/list.go lines 40-86\n"}, nil},
		{"files sorted, clean file left out", plain, []string{"src/a.go\n"}, []string{"src/clean.go"}},
		{"summary with skips", plain, []string{"3 files scanned, 2 with matches, 3 matches: 1 fail, 2 warn; 3 skipped (binary 2, too large 1); built-in policy\n"}, nil},
		{"summary without exclusions", plain, nil, []string{"excluded", "ignored"}},
		{"summary with exclusions", withExcluded, []string{"3 skipped (binary 2, too large 1); 4 excluded; 1 ignored by git; built-in policy\n"}, nil},
		{"summary names the policy file", withPolicy, []string{"1 ignored by git; policy proj/snipscan.toml\n"}, []string{"; built-in policy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, w := range tc.want {
				if !strings.Contains(tc.text, w) {
					t.Errorf("text lacks %q:\n%s", w, tc.text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(tc.text, w) {
					t.Errorf("text has %q:\n%s", w, tc.text)
				}
			}
		})
	}
	warnings := plain[strings.Index(plain, "Warnings (2)"):]
	if strings.Index(warnings, "src/a.go") > strings.Index(warnings, "src/z.go") {
		t.Error("files not in path order")
	}
}

// TestTextLayout checks the order of the text report: the summary first,
// then the failing findings, then the warnings; passing and accepted
// findings are counted, and listed only with -v.
func TestTextLayout(t *testing.T) {
	t.Parallel()
	doc := build(results(), nil)
	// The BSD snippet attributed, the unknown-license one accepted.
	for i := range doc.Files {
		for j := range doc.Files[i].Matches {
			m := &doc.Files[i].Matches[j]
			switch m.Source.License {
			case "BSD-3-Clause":
				m.Policy = policy.Decision{Verdict: policy.Pass, Reasons: []string{"attributed in NOTICE"}}
			case "":
				m.Policy = policy.Decision{Verdict: policy.Accepted, Reasons: []string{"accepted: reviewed"}}
			}
		}
	}
	doc.Summary.Warnings, doc.Summary.Accepted = 0, 1
	doc.Summary.FilesNotCode = 4
	render := func(opts report.Options) string {
		var buf bytes.Buffer
		if err := report.Text(&buf, doc, opts); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	plain, verbose := render(report.Options{}), render(report.Options{Verbose: true})
	summary := "3 files scanned, 2 with matches, 3 matches: 1 fail, 0 warn, 1 pass, 1 accepted; 4 not code (manifests, license and policy files, documentation, data); built-in policy\n"
	if !strings.HasPrefix(plain, summary+"2 passing or accepted findings not listed (-v lists them)\n\nFailing findings (1)\n\nsrc/z.go\n  lines 1-30  file") {
		t.Errorf("the text report does not lead with the summary, the hidden count and the failing finding:\n%s", plain)
	}
	for _, hidden := range []string{"misc/util.go", "container/list/list.go", "Passing", "Accepted"} {
		if strings.Contains(plain, hidden) {
			t.Errorf("without -v, the text report shows %q:\n%s", hidden, plain)
		}
	}
	if !strings.HasPrefix(verbose, summary+"\nFailing findings (1)\n") {
		t.Errorf("with -v, the text report does not lead with the summary and the failing finding:\n%s", verbose)
	}
	pass, acc := strings.Index(verbose, "Passing findings (1)\n\nsrc/z.go\n  lines 12-58"), strings.Index(verbose, "Accepted findings (1)\n\nsrc/a.go\n  lines 3-41")
	if pass < 0 || acc < pass || !strings.Contains(verbose, "    why      attributed in NOTICE\n") {
		t.Errorf("with -v, the passing and then the accepted findings are not listed, with their reasons:\n%s", verbose)
	}
}

// TestGolden compares whole renderings with testdata/*.golden; run
// go test ./report -update to rewrite them after an intended change.
func TestGolden(t *testing.T) {
	t.Parallel()
	full := build(results(), map[string]int{"binary": 2, "too large": 1})
	empty := build(nil, nil)
	tests := []struct {
		name string
		doc  *report.Document
		fmt  string
		opts report.Options
	}{
		{"report.json", full, "json", report.Options{}},
		{"report.txt", full, "text", report.Options{}},
		{"report-verbose.txt", full, "text", report.Options{Verbose: true}},
		{"empty.json", empty, "json", report.Options{}},
		{"empty.txt", empty, "text", report.Options{}},
		{"report.notice", full, "notice", report.Options{LicenseText: licenseTexts}},
		{"report-no-texts.notice", full, "notice", report.Options{}},
		{"empty.notice", empty, "notice", report.Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := report.Render(&buf, tc.fmt, tc.doc, tc.opts); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from %s (run with -update if intended):\n got:\n%s\nwant:\n%s", tc.name, golden, buf.Bytes(), want)
			}
		})
	}
}

// TestSkippedOrderIsStable checks that the text summary lists skip reasons
// in a fixed order whatever the map's iteration order.
func TestSkippedOrderIsStable(t *testing.T) {
	t.Parallel()
	skipped := map[string]int{"unsupported type": 5, "binary": 1, "too large": 2, "invalid UTF-8": 3, "corrupt archive": 4}
	var first string
	for i := range 20 {
		var buf bytes.Buffer
		if err := report.Text(&buf, build(nil, skipped), report.Options{}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.String()
			continue
		}
		if buf.String() != first {
			t.Fatalf("text differs between renderings:\n%s\n%s", first, buf.String())
		}
	}
	if !strings.Contains(first, "15 skipped (binary 1, corrupt archive 4, invalid UTF-8 3, too large 2, unsupported type 5)") {
		t.Errorf("summary = %q", first)
	}
}

// licenseTexts stands for the corpus's kept license texts in the notice
// tests; the text is a placeholder of ours.
func licenseTexts(id string) (string, error) {
	if id == "bsd-text" {
		return "The full text of the BSD-3-Clause license file, as kept at index time.\r\n\r\n", nil
	}
	return "", nil
}

// TestNoticeTextError checks that a failure to read a kept license text
// fails the notice instead of leaving a license out.
func TestNoticeTextError(t *testing.T) {
	t.Parallel()
	doc := build(results(), nil)
	err := report.Render(io.Discard, "notice", doc, report.Options{LicenseText: func(string) (string, error) {
		return "", errors.New("disk on fire")
	}})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error %v", err)
	}
}

// TestTextColor checks the ANSI colours of the text output: only with
// Options.Color, on verdicts, file names and a non-zero fail count.
func TestTextColor(t *testing.T) {
	t.Parallel()
	doc := build(results(), nil)
	var plain, color bytes.Buffer
	if err := report.Text(&plain, doc, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.Text(&color, doc, report.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("colour without Options.Color:\n%q", plain.String())
	}
	for _, want := range []string{"\x1b[1msrc/z.go\x1b[0m", "\x1b[1;31m[FAIL]\x1b[0m", "\x1b[33m[WARN]\x1b[0m", "\x1b[1;31m1 fail\x1b[0m"} {
		if !strings.Contains(color.String(), want) {
			t.Errorf("coloured text lacks %q:\n%q", want, color.String())
		}
	}
	// Without the escapes, the text is the same.
	stripped := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(color.String(), "")
	if stripped != plain.String() {
		t.Errorf("coloured text differs beyond colours:\n%s\nvs\n%s", stripped, plain.String())
	}
}

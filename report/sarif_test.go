package report_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/report"
)

// sarifResults are the common test results, with the byte range of the
// BSD snippet.
func sarifResults() []match.Result {
	res := results()
	res[0].Findings[0].Bytes = [2]int{301, 1877}
	return res
}

// renderSARIF renders doc as SARIF and parses it back with go-sarif,
// strictly (arrays left as they were written).
func renderSARIF(t *testing.T, doc *report.Document) ([]byte, *sarif.Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := report.SARIF(&buf, doc); err != nil {
		t.Fatal(err)
	}
	log, err := sarif.FromBytes(buf.Bytes(), sarif.WithStrictValidation())
	if err != nil {
		t.Fatalf("go-sarif cannot read the output: %v\n%s", err, buf.Bytes())
	}
	return buf.Bytes(), log
}

// sarifSchema returns the official SARIF 2.1.0 JSON schema (errata 01),
// read from the go-sarif module in the module cache: the module embeds it
// as a Go raw string constant in pkg/report/v210/sarif/schema.go. It is
// read here rather than copied into the repository.
func sarifSchema(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
	if err != nil {
		t.Fatalf("go list go-sarif: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "pkg", "report", "v210", "sarif", "schema.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the SARIF schema is not in the module cache: %v", err)
	}
	s := string(src)
	start, end := strings.Index(s, "`"), strings.LastIndex(s, "`")
	if start < 0 || end <= start {
		t.Fatalf("%s: no raw string holding the schema", file)
	}
	schema := s[start+1 : end]
	if !strings.Contains(schema, `"id": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"`) {
		t.Fatalf("%s does not hold the official SARIF 2.1.0 schema", file)
	}
	return schema
}

// validateSARIF checks data, as written, against the SARIF 2.1.0 schema,
// and checks the parsed log with go-sarif's own validation.
func validateSARIF(t *testing.T, schema string, data []byte, log *sarif.Report) {
	t.Helper()
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema), gojsonschema.NewBytesLoader(data))
	if err != nil {
		t.Fatalf("schema validation: %v", err)
	}
	for _, e := range res.Errors() {
		t.Errorf("not valid SARIF 2.1.0: %s", e)
	}
	if err := log.Validate(); err != nil {
		t.Errorf("go-sarif Validate: %v", err)
	}
}

func TestSARIFSchema(t *testing.T) {
	t.Parallel()
	schema := sarifSchema(t)
	accepted := build(sarifResults(), map[string]int{"binary": 1})
	accepted.Files[1].Matches[0].Policy = policy.Decision{Verdict: policy.Accepted, Reasons: []string{"vendored on purpose"}}
	accepted.Files[0].Matches[0].Policy = policy.Decision{Verdict: policy.Pass, Reasons: []string{}}
	abs := build(sarifResults(), nil)
	abs.Files[0].Path = filepath.Join(t.TempDir(), "dir with space", "a#1.go")
	abs.Files[1].Matches[0].Bytes = [2]int{0, 0}
	tests := []struct {
		name string
		doc  *report.Document
	}{
		{"full", build(sarifResults(), map[string]int{"binary": 2})},
		{"empty", build(nil, nil)},
		{"accepted and passing", accepted},
		{"absolute path, no byte range", abs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data, log := renderSARIF(t, tc.doc)
			validateSARIF(t, schema, data, log)
		})
	}
	t.Run("the validator rejects invalid SARIF", func(t *testing.T) {
		t.Parallel()
		data, _ := renderSARIF(t, build(sarifResults(), nil))
		bad := bytes.Replace(data, []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
		if bytes.Equal(bad, data) {
			t.Fatal("no error level to break")
		}
		res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema), gojsonschema.NewBytesLoader(bad))
		if err != nil || res.Valid() {
			t.Errorf("a result with level fatal validated (err %v)", err)
		}
	})
}

// TestSARIF checks what GitHub code scanning reads from the log, on the
// parsed output.
func TestSARIF(t *testing.T) {
	t.Parallel()
	doc := build(sarifResults(), nil)
	_, log := renderSARIF(t, doc)
	if log.Version != "2.1.0" || log.Schema != report.SARIFSchemaURI || len(log.Runs) != 1 {
		t.Fatalf("version %q schema %q, %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if str(d.Name) != "snipscan" || str(d.Version) != tool.Version || str(d.InformationURI) != report.SARIFInformationURI {
		t.Errorf("driver %q %q %q", str(d.Name), str(d.Version), str(d.InformationURI))
	}

	t.Run("one rule per license category", func(t *testing.T) {
		var ids []string
		for _, r := range d.Rules {
			ids = append(ids, str(r.ID))
			if r.ShortDescription == nil || str(r.ShortDescription.Text) == "" || r.FullDescription == nil || str(r.FullDescription.Text) == "" ||
				r.Help == nil || str(r.Help.Text) == "" || str(r.Name) == "" {
				t.Errorf("rule %s lacks a name, description or help", str(r.ID))
			}
		}
		want := []string{"snipscan/unknown", "snipscan/unrestricted", "snipscan/permissive", "snipscan/weak-copyleft",
			"snipscan/strong-copyleft", "snipscan/network-copyleft", "snipscan/non-commercial"}
		if !slices.Equal(ids, want) {
			t.Errorf("rules %q, want %q", ids, want)
		}
	})

	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3 (one per finding)", len(run.Results))
	}
	// Results follow the document: src/a.go's unknown-license snippet,
	// then src/z.go's BSD snippet and GPL whole-file copy.
	tests := []struct {
		name                   string
		rule, level, uri       string
		lines, srcLines        [2]int
		srcPath, purl, verdict string
		message                []string
		match                  report.Match
		license, licenseSource string
	}{
		{name: "unknown license", rule: "snipscan/unknown", level: "warning", uri: "src/a.go", lines: [2]int{3, 41},
			srcPath: "misc/util.go", srcLines: [2]int{5, 44}, verdict: "warn", match: doc.Files[0].Matches[0],
			message: []string{"src/a.go lines 3-41 are reused from misc/util.go lines 5-44, license unknown.", "50% matched, 20% verbatim.", "The source's license is unknown."}},
		{name: "permissive", rule: "snipscan/permissive", level: "warning", uri: "src/z.go", lines: [2]int{12, 58},
			srcPath: "container/list/list.go", srcLines: [2]int{40, 86}, purl: "pkg:golang/stdlib@1.26.8", verdict: "warn",
			license: "BSD-3-Clause", licenseSource: "license_file", match: doc.Files[1].Matches[0],
			message: []string{"src/z.go lines 12-58 are reused from container/list/list.go lines 40-86 (stdlib@1.26.8), license BSD-3-Clause, copyright The Go Authors.",
				"94% matched, 81% verbatim."}},
		{name: "strong copyleft", rule: "snipscan/strong-copyleft", level: "error", uri: "src/z.go", lines: [2]int{1, 30},
			srcPath: "gpl/lib.go", srcLines: [2]int{1, 30}, purl: "pkg:golang/example.com/gpl@v1.0.0", verdict: "fail",
			license: "GPL-3.0-only", licenseSource: "spdx_tag", match: doc.Files[1].Matches[1],
			message: []string{"src/z.go is a copy of gpl/lib.go lines 1-30 (example.com/gpl@v1.0.0, vendored), license GPL-3.0-only.",
				"GPL-3.0-only is strong-copyleft."}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := run.Results[i]
			if str(res.RuleID) != tc.rule || res.RuleIndex < 0 || res.RuleIndex >= len(d.Rules) || str(d.Rules[res.RuleIndex].ID) != tc.rule {
				t.Errorf("ruleId %q ruleIndex %d, want %q", str(res.RuleID), res.RuleIndex, tc.rule)
			}
			if res.Level != tc.level {
				t.Errorf("level %q, want %q", res.Level, tc.level)
			}
			if len(res.Suppressions) != 0 {
				t.Errorf("suppressions %v on a finding that is not accepted", res.Suppressions)
			}
			msg := str(res.Message.Text)
			for _, w := range tc.message {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation == nil {
				t.Fatalf("locations %v, want one physical location", res.Locations)
			}
			pl := res.Locations[0].PhysicalLocation
			if str(pl.ArtifactLocation.URI) != tc.uri || str(pl.ArtifactLocation.URIBaseID) != "%SRCROOT%" {
				t.Errorf("location %q base %q, want %q base %%SRCROOT%%", str(pl.ArtifactLocation.URI), str(pl.ArtifactLocation.URIBaseID), tc.uri)
			}
			if r := pl.Region; r == nil || num(r.StartLine) != tc.lines[0] || num(r.EndLine) != tc.lines[1] {
				t.Errorf("region %+v, want lines %v", pl.Region, tc.lines)
			}
			if len(res.RelatedLocations) != 1 {
				t.Fatalf("%d related locations, want 1 (the source)", len(res.RelatedLocations))
			}
			rl := res.RelatedLocations[0]
			if str(rl.PhysicalLocation.ArtifactLocation.URI) != tc.srcPath || num(rl.PhysicalLocation.Region.StartLine) != tc.srcLines[0] ||
				num(rl.PhysicalLocation.Region.EndLine) != tc.srcLines[1] {
				t.Errorf("related location %q %+v, want %q lines %v", str(rl.PhysicalLocation.ArtifactLocation.URI), rl.PhysicalLocation.Region, tc.srcPath, tc.srcLines)
			}
			if rl.Properties == nil || rl.Properties.Properties["purl"] != tc.purl {
				t.Errorf("related location properties %+v, want purl %q", rl.Properties, tc.purl)
			}
			if fp := res.PartialFingerprints["snipscanFinding/v1"]; fp != tc.match.ID || fp == "" {
				t.Errorf("partial fingerprint %q, want the finding's id %q", fp, tc.match.ID)
			}
			props := res.Properties.Properties
			want := map[string]any{"matched": tc.match.Matched, "exact": tc.match.Exact, "license": tc.license,
				"license_source": tc.licenseSource, "purl": tc.purl, "verdict": tc.verdict}
			for k, v := range want {
				if props[k] != v {
					t.Errorf("properties[%q] = %#v, want %#v", k, props[k], v)
				}
			}
		})
	}
	t.Run("byte range", func(t *testing.T) {
		r := run.Results[1].Locations[0].PhysicalLocation.Region
		m := doc.Files[1].Matches[0]
		if r.ByteOffset != m.Bytes[0] || num(r.ByteLength) != m.Bytes[1]-m.Bytes[0] {
			t.Errorf("byteOffset %d byteLength %d, want %v", r.ByteOffset, num(r.ByteLength), m.Bytes)
		}
	})
}

// TestSARIFVerdicts checks levels and suppressions for every verdict, and
// target paths that are absolute or need escaping.
func TestSARIFVerdicts(t *testing.T) {
	t.Parallel()
	doc := build(sarifResults(), nil)
	doc.Files[0].Matches[0].Policy = policy.Decision{Verdict: policy.Pass, Reasons: []string{}}
	doc.Files[1].Matches[0].Policy = policy.Decision{Verdict: policy.Accepted, Reasons: []string{"reviewed by legal", "kept on purpose"}}
	abs := filepath.Join(t.TempDir(), "my dir", "z#.go")
	doc.Files[1].Path = abs
	doc.Files[0].Path = "./src/../src/a b.go"
	doc.Files[1].Matches[0].Bytes = [2]int{0, 0}
	_, log := renderSARIF(t, doc)
	res := log.Runs[0].Results

	if res[0].Level != "note" || len(res[0].Suppressions) != 0 {
		t.Errorf("pass: level %q suppressions %d, want note and none", res[0].Level, len(res[0].Suppressions))
	}
	if res[1].Level != "note" || len(res[1].Suppressions) != 1 {
		t.Fatalf("accepted: level %q suppressions %d, want note and one", res[1].Level, len(res[1].Suppressions))
	}
	s := res[1].Suppressions[0]
	if str(s.Kind) != "external" || str(s.Status) != "accepted" || str(s.Justification) != "reviewed by legal; kept on purpose" {
		t.Errorf("suppression kind %q status %q justification %q", str(s.Kind), str(s.Status), str(s.Justification))
	}
	if res[2].Level != "error" {
		t.Errorf("fail: level %q, want error", res[2].Level)
	}

	rel := res[0].Locations[0].PhysicalLocation.ArtifactLocation
	if str(rel.URI) != "src/a%20b.go" || str(rel.URIBaseID) != "%SRCROOT%" {
		t.Errorf("relative target: uri %q base %q, want src/a%%20b.go and %%SRCROOT%%", str(rel.URI), str(rel.URIBaseID))
	}
	loc := res[1].Locations[0].PhysicalLocation
	wantURI := "file://" + strings.ReplaceAll(strings.ReplaceAll(filepath.ToSlash(abs), " ", "%20"), "#", "%23")
	if !strings.HasPrefix(wantURI, "file:///") {
		wantURI = "file:///" + strings.TrimPrefix(wantURI, "file://")
	}
	if str(loc.ArtifactLocation.URI) != wantURI || loc.ArtifactLocation.URIBaseID != nil {
		t.Errorf("absolute target: uri %q base %v, want %q and no base", str(loc.ArtifactLocation.URI), loc.ArtifactLocation.URIBaseID, wantURI)
	}
	if loc.Region.ByteLength != nil || loc.Region.ByteOffset != -1 {
		t.Errorf("a finding without byte range has byteOffset %d byteLength %v", loc.Region.ByteOffset, loc.Region.ByteLength)
	}
}

// TestSARIFStable checks that the output depends only on the document:
// same document, same bytes; and that the fingerprint survives lines
// added above the copy.
func TestSARIFStable(t *testing.T) {
	t.Parallel()
	a, _ := renderSARIF(t, build(sarifResults(), nil))
	b, _ := renderSARIF(t, build(sarifResults(), nil))
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same document differ")
	}
	moved := sarifResults()
	moved[0].Findings[0].Lines = [2]int{22, 68}
	_, l1 := renderSARIF(t, build(sarifResults(), nil))
	_, l2 := renderSARIF(t, build(moved, nil))
	fp := func(l *sarif.Report) string {
		return l.Runs[0].Results[1].PartialFingerprints[report.SARIFFingerprintKey]
	}
	if fp(l1) != fp(l2) || fp(l1) == "" {
		t.Errorf("fingerprint changed when the copy moved: %q, %q", fp(l1), fp(l2))
	}
}

func TestSARIFGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  *report.Document
	}{
		{"report.sarif", build(sarifResults(), map[string]int{"binary": 2, "too large": 1})},
		{"empty.sarif", build(nil, nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := report.Render(&buf, "sarif", tc.doc, report.Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, buf.Bytes())
		})
	}
}

// checkGolden compares got with testdata/name.golden, or rewrites the
// file with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run with -update if intended):\n got:\n%s\nwant:\n%s", name, golden, got, want)
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/report"
)

// limitedDoc is the common report with three files the scan could not
// read, under the unscanned verdict given, and a corpus read unfinished.
func limitedDoc(verdict string) *report.Document {
	doc := build(results(), map[string]int{"too large": 1, "special file": 1, "corrupt archive": 1, "binary": 4})
	doc.Targets = []string{"src"}
	doc.SetUnscanned([]report.Unscanned{
		{Path: "src/gen/tables.go", Reason: "too large"},
		{Path: "src/pipe.go", Reason: "special file"},
		{Path: "src/vendor.zip/x/y.go", Reason: "corrupt archive", Error: "zip: checksum error"},
	}, verdict)
	doc.IncompleteCorpus = []report.IncompleteCorpus{{Path: "/data/corpus.db", Started: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}}
	return doc
}

func renderLimited(t *testing.T, format string, doc *report.Document) string {
	t.Helper()
	var buf bytes.Buffer
	opts := report.Options{Now: func() time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) },
		ReadFile: func(string) ([]byte, error) { return nil, fmt.Errorf("not read in this test") }}
	if err := report.Render(&buf, format, doc, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.String()
}

// TestUnscannedJSON checks the contract: summary.unscanned and its
// verdict, and the list of files with their reasons and errors.
func TestUnscannedJSON(t *testing.T) {
	t.Parallel()
	var got struct {
		Summary struct {
			Unscanned        int    `json:"unscanned"`
			UnscannedVerdict string `json:"unscanned_verdict"`
			FilesSkipped     int    `json:"files_skipped"`
		} `json:"summary"`
		Unscanned []struct {
			Path, Reason, Error string
		} `json:"unscanned"`
		IncompleteCorpus []struct {
			Path    string    `json:"path"`
			Started time.Time `json:"started"`
		} `json:"incomplete_corpus"`
	}
	if err := json.Unmarshal([]byte(renderLimited(t, "json", limitedDoc(policy.Fail))), &got); err != nil {
		t.Fatal(err)
	}
	if got.Summary.Unscanned != 3 || got.Summary.UnscannedVerdict != "fail" || got.Summary.FilesSkipped != 7 || len(got.Unscanned) != 3 ||
		got.Unscanned[2] != (struct{ Path, Reason, Error string }{"src/vendor.zip/x/y.go", "corrupt archive", "zip: checksum error"}) {
		t.Errorf("summary %+v, unscanned %+v", got.Summary, got.Unscanned)
	}
	if len(got.IncompleteCorpus) != 1 || got.IncompleteCorpus[0].Path != "/data/corpus.db" || got.IncompleteCorpus[0].Started.IsZero() {
		t.Errorf("incomplete corpus %+v", got.IncompleteCorpus)
	}
}

// TestUnscannedText checks that the text and Markdown reports say, right
// under the summary and before any finding, that the corpus is incomplete
// and that files were not scanned, and what that does to the scan.
func TestUnscannedText(t *testing.T) {
	t.Parallel()
	fail := renderLimited(t, "text", limitedDoc(policy.Fail))
	summary, rest, _ := strings.Cut(fail, "\n\n")
	if !strings.HasPrefix(summary, "3 files scanned") || !strings.HasPrefix(rest, "WARNING: the corpus /data/corpus.db is incomplete") {
		t.Errorf("text report starts with %q, then %q", summary, rest)
	}
	for _, want := range []string{
		`FAIL: 3 files could not be scanned: the policy fails the scan (unscanned = "fail")`,
		"  src/vendor.zip/x/y.go: corrupt archive: zip: checksum error\n",
	} {
		if !strings.Contains(fail, want) || strings.Index(fail, want) > strings.Index(fail, "src/a.go\n") {
			t.Errorf("text report lacks %q before the findings:\n%s", want, fail)
		}
	}
	if warn := renderLimited(t, "text", limitedDoc(policy.Warn)); !strings.Contains(warn, `WARNING: 3 files could not be scanned (the policy warns: unscanned = "warn")`) {
		t.Errorf("text report under warn:\n%s", warn)
	}
	md := renderLimited(t, "markdown", limitedDoc(policy.Fail))
	for _, want := range []string{"**Warning:** the corpus /data/corpus.db is incomplete",
		"**3 files could not be scanned: the policy fails the scan",
		"| src/pipe.go | special file |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	// Without findings, the Markdown report is more than its one line.
	empty := build(nil, nil)
	empty.SetUnscanned([]report.Unscanned{{Path: "big.go", Reason: "too large"}}, policy.Fail)
	if md := renderLimited(t, "markdown", empty); !strings.Contains(md, "| big.go | too large |") || strings.Contains(md, "no reused code found (") {
		t.Errorf("markdown of a scan without findings and an unscanned file:\n%s", md)
	}
}

// TestUnscannedSARIF checks the invocation: one tool execution
// notification per unscanned file (its location, level error when they
// fail the scan) and per incomplete corpus; execution not successful
// when they fail the scan; valid against the SARIF schema. A complete
// scan has no invocation.
func TestUnscannedSARIF(t *testing.T) {
	t.Parallel()
	schema := sarifSchema(t)
	for _, tc := range []struct {
		verdict, level string
		successful     bool
	}{{policy.Fail, sarif.LevelError, false}, {policy.Warn, sarif.LevelWarning, true}} {
		data, log := renderSARIF(t, limitedDoc(tc.verdict))
		validateSARIF(t, schema, data, log)
		invs := log.Runs[0].Invocations
		if len(invs) != 1 || invs[0].ExecutionSuccessful == nil || *invs[0].ExecutionSuccessful != tc.successful {
			t.Fatalf("%s: invocations %+v", tc.verdict, invs)
		}
		notes := invs[0].ToolExecutionNotifications
		if len(notes) != 4 || notes[0].Level != sarif.LevelWarning || !strings.Contains(*notes[0].Message.Text, "/data/corpus.db is incomplete") {
			t.Fatalf("%s: %d notifications", tc.verdict, len(notes))
		}
		n := notes[3]
		loc := n.Locations[0].PhysicalLocation.ArtifactLocation
		if n.Level != tc.level || str(loc.URI) != "src/vendor.zip/x/y.go" || str(loc.URIBaseID) != "%SRCROOT%" ||
			!strings.Contains(*n.Message.Text, "corrupt archive: zip: checksum error") || n.Properties.Properties["reason"] != "corrupt archive" {
			t.Errorf("%s: notification %+v at %s", tc.verdict, n, str(loc.URI))
		}
	}
	_, log := renderSARIF(t, build(results(), nil))
	if len(log.Runs[0].Invocations) != 0 {
		t.Errorf("a complete scan has %d invocations", len(log.Runs[0].Invocations))
	}
}

// TestUnscannedHTMLAndSBOMs checks that the HTML page shows the files not
// scanned, and that the SBOMs (valid as before) say that they make no
// claim about them.
func TestUnscannedHTMLAndSBOMs(t *testing.T) {
	t.Parallel()
	doc := limitedDoc(policy.Fail)
	page := renderLimited(t, "html", doc)
	for _, want := range []string{`<section id="unscanned">`, `<p class="gate fail">3 files could not be scanned`,
		"<tr><td><code>src/pipe.go</code></td><td>special file</td></tr>", `<p class="gate warn">Warning: the corpus /data/corpus.db is incomplete`} {
		if !strings.Contains(page, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	sd := parseSPDX(t, []byte(renderLimited(t, "spdx-json", doc)))
	if !strings.Contains(sd.DocumentComment, "3 file(s) were not scanned, so this document makes no claim about them: src/gen/tables.go: too large") {
		t.Errorf("SPDX document comment: %q", sd.DocumentComment)
	}
	if c := sd.Packages[0].PackageComment; sd.Packages[0].PackageName != "src" || !strings.Contains(c, "3 of its files could not be scanned") {
		t.Errorf("SPDX package %s comment: %q", sd.Packages[0].PackageName, c)
	}
	bom := decodeCDX(t, cdxSchema(t), []byte(renderLimited(t, "cyclonedx-json", doc)))
	props := map[string][]string{}
	for _, p := range *bom.Metadata.Properties {
		props[p.Name] = append(props[p.Name], p.Value)
	}
	if strings.Join(props["snipscan:unscanned"], ",") != "3" || len(props["snipscan:unscanned_file"]) != 3 ||
		props["snipscan:unscanned_file"][1] != "src/pipe.go: special file" || len(props["snipscan:incomplete_corpus"]) != 1 ||
		!strings.Contains(bom.Metadata.Component.Description, "makes no claim about them") {
		t.Errorf("CycloneDX metadata properties %v, description %q", props, bom.Metadata.Component.Description)
	}
}

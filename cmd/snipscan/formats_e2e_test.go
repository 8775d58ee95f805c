package main

// End-to-end test of the SARIF and Markdown reports: the real binary scans
// GOROOT code pasted into one of this project's files, against the real
// GOROOT index that e2e_test.go builds.

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

func TestScanSARIF(t *testing.T) {
	db := gorootCorpus(t)
	dir, target, t0, t1, s0, s1 := pastedCSV(t)

	scan := func() *sarif.Result {
		t.Helper()
		r := snipscan(t, nil, "scan", "--db", db, "--format", "sarif", dir)
		if r.code != 0 {
			t.Fatalf("exit code %d, want 0 (a BSD-3-Clause finding only warns)\n%s", r.code, r.stderr)
		}
		log, err := sarif.FromBytes([]byte(r.stdout), sarif.WithStrictValidation())
		if err != nil {
			t.Fatalf("scan output is not SARIF (%v):\n%s", err, r.stdout)
		}
		// Validate checks against the SARIF 2.1.0 schema go-sarif embeds.
		if err := log.Validate(); err != nil {
			t.Errorf("invalid SARIF: %v", err)
		}
		if log.Version != "2.1.0" || len(log.Runs) != 1 {
			t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
		}
		run := log.Runs[0]
		if d := run.Tool.Driver; d.Name == nil || *d.Name != "snipscan" || d.Version == nil || *d.Version == "" || len(d.Rules) != 7 {
			t.Errorf("driver %+v", d)
		}
		if len(run.Results) != 1 {
			t.Fatalf("%d results, want 1:\n%s", len(run.Results), r.stdout)
		}
		return run.Results[0]
	}

	res := scan()
	if res.RuleID == nil || *res.RuleID != "snipscan/permissive" || res.Level != "warning" {
		t.Errorf("rule %v level %q, want snipscan/permissive and warning", res.RuleID, res.Level)
	}
	pl := res.Locations[0].PhysicalLocation
	wantURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(target)}).String()
	if *pl.ArtifactLocation.URI != wantURI || pl.ArtifactLocation.URIBaseID != nil {
		t.Errorf("target uri %q base %v, want %q and no base (the path is absolute)", *pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID, wantURI)
	}
	if !near([2]int{*pl.Region.StartLine, *pl.Region.EndLine}, t0, t1) || pl.Region.ByteLength == nil || *pl.Region.ByteLength <= 0 {
		t.Errorf("target region %+v, want lines %d-%d (within 2) and a byte range", pl.Region, t0, t1)
	}
	src := res.RelatedLocations[0].PhysicalLocation
	if *src.ArtifactLocation.URI != "encoding/csv/reader.go" || !near([2]int{*src.Region.StartLine, *src.Region.EndLine}, s0, s1) {
		t.Errorf("source %q lines %d-%d, want encoding/csv/reader.go %d-%d", *src.ArtifactLocation.URI, *src.Region.StartLine, *src.Region.EndLine, s0, s1)
	}
	if purl, _ := res.RelatedLocations[0].Properties.Properties["purl"].(string); !strings.HasPrefix(purl, "pkg:golang/stdlib@") {
		t.Errorf("source purl %q", purl)
	}
	props := res.Properties.Properties
	if props["license"] != "BSD-3-Clause" || props["license_source"] != "license_file" || props["verdict"] != "warn" {
		t.Errorf("properties %v", props)
	}
	if m, _ := props["matched"].(float64); m < 0.9 {
		t.Errorf("matched %v, want at least 0.9 for a verbatim paste", props["matched"])
	}
	msg := *res.Message.Text
	for _, w := range []string{"encoding/csv/reader.go", "stdlib@", "BSD-3-Clause", "The Go Authors"} {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q lacks %q", msg, w)
		}
	}
	fp := res.PartialFingerprints["snipscanFinding/v1"]
	if len(fp) != 16 {
		t.Errorf("partial fingerprint %q, want the finding's 16-digit id", fp)
	}

	// Lines added above the copy move it, but its fingerprint stays.
	code, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, append([]byte("// one\n// two\n// three\n"), code...), 0o644); err != nil {
		t.Fatal(err)
	}
	moved := scan()
	if got := *moved.Locations[0].PhysicalLocation.Region.StartLine; got != *pl.Region.StartLine+3 {
		t.Errorf("moved copy starts at line %d, want %d", got, *pl.Region.StartLine+3)
	}
	if got := moved.PartialFingerprints["snipscanFinding/v1"]; got != fp {
		t.Errorf("fingerprint changed from %q to %q when the copy moved", fp, got)
	}

	// The Markdown report of the same scan, and the flag's help.
	md := snipscan(t, nil, "scan", "--db", db, "--format", "markdown", dir)
	if md.code != 0 || !strings.Contains(md.stdout, "## snipscan: reused code found") ||
		!strings.Contains(md.stdout, "| warn | "+mdPath(target)+":") || !strings.Contains(md.stdout, "| encoding/csv/reader.go:") {
		t.Errorf("markdown: exit %d\n%s%s", md.code, md.stdout, md.stderr)
	}
	help := snipscan(t, nil, "scan", "-h")
	if out := help.stdout + help.stderr; !strings.Contains(out, "sarif") || !strings.Contains(out, "markdown") {
		t.Errorf("scan -h does not list the formats:\n%s%s", help.stdout, help.stderr)
	}
}

// mdPath escapes the Markdown-significant characters a temporary path may
// hold, as the Markdown report does.
func mdPath(p string) string {
	return strings.NewReplacer(`\`, `\\`, "_", `\_`, "~", `\~`).Replace(p)
}

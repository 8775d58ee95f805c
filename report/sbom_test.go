package report_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/report"
)

// The SBOM tests render one document built from results() plus findings
// that exercise what only the SBOM formats care about: a target that is
// a file, a file outside every target, a LicenseRef, two licenses in one
// package, two findings with the same ID, and target files that can and
// cannot be read.

// clock is the fixed creation time of the SBOM tests.
var clock = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// sbomTargets are the PATH arguments of the SBOM document.
var sbomTargets = []string{"src", "extra.go"}

func sbomDoc() *report.Document {
	nc := match.Source{FileID: 21, Root: "/srv/corpus", Path: "nc/nc.go", Lines: [2]int{10, 60},
		Package: "example.com/nc", Version: "v2.0.0", PURL: "pkg:golang/example.com/nc@v2.0.0", Ecosystem: "golang",
		License: "LicenseRef-licensecheck-CommonsClause AND MIT", LicenseSource: "file_header",
		Copyrights: []string{"Copyright 2020 NC Corp <legal@nc.example>"}, Holders: []string{"NC Corp"}}
	mit := nc
	mit.Path, mit.License, mit.LicenseSource, mit.LicenseFile = "nc/util.go", "MIT", "license_file", "LICENSE"
	mit.Copyrights = []string{"Copyright 2020 NC Corp <legal@nc.example>", "Copyright 2021 Other Person"}
	res := results()
	// src/z.go's snippet has a byte range; its whole-file copy has none,
	// so the SPDX renderer derives one from the file's lines. extra.go's
	// finding starts at byte 0.
	res[0].Findings[0].Bytes = [2]int{301, 1877}
	res = append(res,
		match.Result{Path: "extra.go", Lines: 70, Findings: []match.Finding{
			{Kind: match.KindSnippet, Lines: [2]int{1, 55}, Bytes: [2]int{0, 900}, Tokens: 300, Matched: 0.9, Exact: 0.7, Source: nc},
		}},
		match.Result{Path: filepath.Join("other", "b.go"), Lines: 90, Findings: []match.Finding{
			{Kind: match.KindSnippet, Lines: [2]int{2, 20}, Bytes: [2]int{10, 400}, Tokens: 120, Matched: 1, Exact: 1, Source: mit},
			{Kind: match.KindSnippet, Lines: [2]int{40, 58}, Bytes: [2]int{800, 1190}, Tokens: 120, Matched: 1, Exact: 0.95, Source: mit},
		}},
	)
	doc := build(res, nil)
	doc.Targets = sbomTargets
	return doc
}

// sbomFiles are the target files the SBOM tests can read; src/a.go is
// left out, to be unreadable.
func sbomFiles() map[string][]byte {
	lines := func(n int) []byte {
		var b bytes.Buffer
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "line %d of the target\n", i)
		}
		return b.Bytes()
	}
	return map[string][]byte{
		filepath.Join("src", "z.go"):   lines(120),
		"extra.go":                     lines(70),
		filepath.Join("other", "b.go"): lines(90),
	}
}

// sbomOptions fixes the clock and reads the target files from files.
func sbomOptions(files map[string][]byte) report.Options {
	return report.Options{
		Now: func() time.Time { return clock },
		ReadFile: func(path string) ([]byte, error) {
			if data, ok := files[path]; ok {
				return data, nil
			}
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		},
	}
}

func render(t *testing.T, format string, doc *report.Document, opts report.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Render(&buf, format, doc, opts); err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	return buf.Bytes()
}

// TestSBOMGolden compares whole SBOM renderings with testdata/*.golden;
// run go test ./report -update to rewrite them after an intended change.
func TestSBOMGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		doc    *report.Document
		format string
	}{
		{"report.spdx.json", sbomDoc(), "spdx-json"},
		{"empty.spdx.json", build(nil, nil), "spdx-json"},
		{"report.cdx.json", sbomDoc(), "cyclonedx-json"},
		{"empty.cdx.json", build(nil, nil), "cyclonedx-json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := render(t, tc.format, tc.doc, sbomOptions(sbomFiles()))
			golden := filepath.Join("testdata", tc.name+".golden")
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
				t.Errorf("%s differs from %s (run with -update if intended):\n got:\n%s", tc.name, golden, got)
			}
		})
	}
}

// TestSBOMDefaults checks the zero Options: the current time, and target
// files read from the file system.
func TestSBOMDefaults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "copy.go")
	content := []byte("package copy\n\nfunc f() {}\n")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	res := []match.Result{{Path: path, Lines: 3, Findings: []match.Finding{{Kind: match.KindFile, Lines: [2]int{1, 3}, Bytes: [2]int{0, len(content)},
		Source: match.Source{Root: "/srv/corpus", Path: "copy.go", Lines: [2]int{1, 3}, License: "MIT"}}}}}
	doc := build(res, nil)
	doc.Targets = []string{dir}
	before := time.Now().UTC().Truncate(time.Second)
	sd := parseSPDX(t, render(t, "spdx-json", doc, report.Options{}))
	after := time.Now().UTC()
	for name, stamp := range map[string]string{"spdx created": sd.CreationInfo.Created} {
		got, err := time.Parse(time.RFC3339, stamp)
		if err != nil || got.Before(before) || got.After(after) || !strings.HasSuffix(stamp, "Z") {
			t.Errorf("%s = %q (%v), want a UTC time between %v and %v", name, stamp, err, before, after)
		}
	}
	if len(sd.Files) != 1 || len(sd.Files[0].Checksums) != 2 {
		t.Fatalf("files %+v, want one with two checksums read from disk", sd.Files)
	}
	if sd.Files[0].FileName != "./copy.go" {
		t.Errorf("file name %q, want ./copy.go", sd.Files[0].FileName)
	}
}

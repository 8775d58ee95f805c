package main

// End-to-end test of the SBOM reports: the real binary scans GOROOT code
// pasted into one of this project's files, against the real GOROOT index,
// and writes SPDX 2.3 and CycloneDX 1.6, which their own libraries read
// back (and, for CycloneDX, the official JSON schema validates).

import (
	"bytes"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdxlib"

	"github.com/snipscan/snipscan/internal/schemacheck"
)

func TestScanSBOM(t *testing.T) {
	db := gorootCorpus(t)
	dir, target, t0, t1, _, _ := pastedCSV(t)

	t.Run("spdx-json", func(t *testing.T) {
		r := snipscan(t, nil, "scan", "--db", db, "--format", "spdx-json", dir)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		doc, err := spdxjson.Read(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatalf("tools-golang cannot read the output: %v\n%s", err, r.stdout)
		}
		if doc.SPDXVersion != "SPDX-2.3" || len(doc.Snippets) != 1 || len(doc.Files) != 1 {
			t.Fatalf("version %q, %d snippets, %d files:\n%s", doc.SPDXVersion, len(doc.Snippets), len(doc.Files), r.stdout)
		}
		// ValidateDocument knows only packages and files as relationship
		// ends (see report/spdx_test.go): check it without the snippets'.
		checked := *doc
		checked.Relationships = nil
		for _, rel := range doc.Relationships {
			if !strings.HasPrefix(string(rel.RefA.ElementRefID), "Snippet-") {
				checked.Relationships = append(checked.Relationships, rel)
			}
		}
		if err := spdxlib.ValidateDocument(&checked); err != nil {
			t.Errorf("spdxlib.ValidateDocument: %v", err)
		}
		s := doc.Snippets[0]
		if s.SnippetLicenseConcluded != "BSD-3-Clause" || !strings.Contains(s.SnippetCopyrightText, "The Go Authors") {
			t.Errorf("snippet license %q copyright %q", s.SnippetLicenseConcluded, s.SnippetCopyrightText)
		}
		var lines [2]int
		for _, rg := range s.Ranges {
			if rg.StartPointer.LineNumber > 0 {
				lines = [2]int{rg.StartPointer.LineNumber, rg.EndPointer.LineNumber}
			}
		}
		if !near(lines, t0, t1) || !strings.Contains(s.SnippetComment, "encoding/csv/reader.go") {
			t.Errorf("snippet lines %v, want %d-%d; comment %q", lines, t0, t1, s.SnippetComment)
		}
		if len(doc.Files[0].Checksums) == 0 {
			t.Errorf("target file without checksums")
		}
	})

	t.Run("cyclonedx-json", func(t *testing.T) {
		r := snipscan(t, nil, "scan", "--db", db, "--format", "cyclonedx-json", dir)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		schema, err := schemacheck.CycloneDX16()
		if err != nil {
			t.Fatal(err)
		}
		if err := schemacheck.Validate(schema, []byte(r.stdout)); err != nil {
			t.Errorf("not valid CycloneDX 1.6: %v", err)
		}
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader([]byte(r.stdout)), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
			t.Fatalf("cyclonedx-go cannot decode the output: %v", err)
		}
		if bom.Components == nil || len(*bom.Components) != 1 {
			t.Fatalf("components %v, want the one origin:\n%s", bom.Components, r.stdout)
		}
		c := (*bom.Components)[0]
		if !strings.HasPrefix(c.PackageURL, "pkg:golang/stdlib@") || c.Licenses == nil || (*c.Licenses)[0].Expression != "BSD-3-Clause" ||
			!strings.Contains(c.Copyright, "The Go Authors") {
			t.Errorf("component %+v", c)
		}
		occ := *c.Evidence.Occurrences
		if len(occ) != 1 || occ[0].Location != target || occ[0].Line == nil || !near([2]int{*occ[0].Line, t1}, t0, t1) ||
			!strings.Contains(occ[0].AdditionalContext, "encoding/csv/reader.go lines") {
			t.Errorf("occurrences %+v, want %s line %d", occ, target, t0)
		}
	})
}

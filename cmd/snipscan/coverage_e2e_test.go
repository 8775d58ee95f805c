package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// licenseEntry is one entry of licenses[] in snipscan license --format
// json.
type licenseEntry struct {
	Expression string   `json:"expression"`
	Lines      [2]int   `json:"lines"`
	Evidence   string   `json:"evidence"`
	Confidence float64  `json:"confidence"`
	Coverage   *float64 `json:"coverage"`
}

// licensesOf runs snipscan license --format json on one file and returns
// its licenses[].
func licensesOf(t *testing.T, path string) []licenseEntry {
	t.Helper()
	r := snipscan(t, nil, "license", "--format", "json", path)
	var doc struct {
		Files []struct {
			Licenses []licenseEntry `json:"licenses"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Files) != 1 {
		t.Fatalf("snipscan license %s: %v (exit %d) %s %s", path, err, r.code, r.stdout, r.stderr)
	}
	return doc.Files[0].Licenses
}

// TestLicenseCoverageInJSON: a full license text found word by word is
// reported with its ID, lines, confidence and coverage (the share of the
// license's words found in order): 1 for Debian's copy of the Apache
// License 2.0, less than 1 but still a match without one of its
// paragraphs; a notice has no coverage.
func TestLicenseCoverageInJSON(t *testing.T) {
	text, err := os.ReadFile("/usr/share/common-licenses/Apache-2.0")
	if err != nil {
		t.Skipf("no Debian license texts: %v", err)
	}
	paras := bytes.Split(text, []byte("\n\n"))
	if len(paras) < 20 {
		t.Fatalf("Apache-2.0 has %d paragraphs", len(paras))
	}
	// Section 4(d), the NOTICE file, is one of the longest paragraphs.
	cut := 0
	for i, p := range paras[:len(paras)/2] {
		if len(p) > len(paras[cut]) {
			cut = i
		}
	}
	shorter := bytes.Join(append(append([][]byte{}, paras[:cut]...), paras[cut+1:]...), []byte("\n\n"))
	notice := []byte("// Licensed under the Apache License, Version 2.0 (the \"License\");\n// you may not use this file except in compliance with the License.\n")
	dir := t.TempDir()
	for name, b := range map[string][]byte{"LICENSE": text, "LICENSE.short": shorter, "notice.go": notice} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lines := bytes.Count(text, []byte("\n"))
	full := licensesOf(t, filepath.Join(dir, "LICENSE"))
	if len(full) != 1 || full[0].Expression != "Apache-2.0" || full[0].Evidence != "text" || full[0].Coverage == nil ||
		*full[0].Coverage < 0.99 || full[0].Confidence < 0.9 || full[0].Lines[0] > 3 || full[0].Lines[1] < lines-60 {
		t.Errorf("Apache-2.0 text (%d lines): %+v, want one text match of coverage ~1 over its lines", lines, full)
	}
	short := licensesOf(t, filepath.Join(dir, "LICENSE.short"))
	if len(short) != 1 || short[0].Expression != "Apache-2.0" || short[0].Coverage == nil ||
		*short[0].Coverage >= *full[0].Coverage || *short[0].Coverage < 0.85 {
		t.Errorf("Apache-2.0 without a paragraph: %+v, want a text match of lower coverage", short)
	}
	for _, l := range licensesOf(t, filepath.Join(dir, "notice.go")) {
		if l.Coverage != nil {
			t.Errorf("notice %+v has a coverage", l)
		}
	}
}

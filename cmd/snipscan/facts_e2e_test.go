package main

// End-to-end test that every format of one real scan tells the reader the
// same facts as the JSON report: what the scan left out, a source that
// changed since it was indexed, and the license chosen among alternatives.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/snipscan/snipscan/internal/schemacheck"
)

// factsDoc is the part of the JSON report TestFormatsTellTheSameFacts
// compares the other formats with.
type factsDoc struct {
	Summary struct {
		Excluded     int `json:"excluded"`
		Ignored      int `json:"ignored"`
		FilesNotCode int `json:"files_not_code"`
	} `json:"summary"`
	Files []struct {
		Path    string `json:"path"`
		Matches []struct {
			Source struct {
				Path          string `json:"path"`
				License       string `json:"license"`
				SourceChanged bool   `json:"source_changed"`
			} `json:"source"`
			Policy struct {
				Verdict       string `json:"verdict"`
				LicenseChoice string `json:"license_choice"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
}

// writeFile writes s to path, making its directory.
func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFormatsTellTheSameFacts indexes two projects made of GOROOT
// functions, one offered under GPL-3.0-only OR MIT, one under MIT (SPDX
// tags), then edits the MIT project's file. A git repository copies a
// function of each, and holds a copy git ignores, a directory --exclude
// leaves out, and files that are not code. One scan writes every format:
// each says what the JSON says: the paths excluded and ignored and the
// files that are not code (Markdown, HTML), that the MIT source changed
// since it was indexed (Markdown, SARIF, notice, SPDX, CycloneDX), and that
// the dual-licensed copy was evaluated as MIT (Markdown, HTML, SARIF,
// notice, SPDX's concluded license, a CycloneDX property beside the whole
// expression).
func TestFormatsTellTheSameFacts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	dualBody, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	mitBody, _, _ := goFunc(t, "bufio/scan.go", "Scan")
	dual, mit := filepath.Join(dir, "dual", "format.go"), filepath.Join(dir, "mit", "scan.go")
	writeFile(t, dual, "// Copyright (C) 2021 Dual Developer\n// SPDX-License-Identifier: GPL-3.0-only OR MIT\n\npackage dual\n\n"+dualBody+"\n")
	mitText := "// Copyright (c) 2020 Mit Author\n// SPDX-License-Identifier: MIT\n\npackage mit\n\n" + mitBody + "\n"
	writeFile(t, mit, mitText)
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Dir(dual), filepath.Dir(mit)); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	writeFile(t, mit, strings.Replace(mitText, "package mit\n", "package mit\n\n// A comment added after indexing.\n", 1))

	repo := filepath.Join(dir, "repo")
	dualCopy, _, _ := paste(t, "../../walk/walk.go", dualBody)
	mitCopy, _, _ := paste(t, "../../corpus/db.go", mitBody)
	writeFile(t, filepath.Join(repo, "dualcopy.go"), dualCopy)
	writeFile(t, filepath.Join(repo, "mitcopy.go"), mitCopy)
	writeFile(t, filepath.Join(repo, "generated.go"), dualCopy)
	writeFile(t, filepath.Join(repo, "third_party", "x.go"), mitCopy)
	writeFile(t, filepath.Join(repo, ".gitignore"), "generated.go\n")
	writeFile(t, filepath.Join(repo, "go.mod"), "module example.com/app\n\ngo 1.26\n")
	writeFile(t, filepath.Join(repo, "README.md"), "# app\n")
	if out, err := exec.Command("git", "-C", repo, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}

	out := filepath.Join(dir, "out")
	formats := []string{"markdown", "html", "sarif", "notice", "spdx-json", "cyclonedx-json"}
	args := []string{"scan", "--db", db, "--format", "json", "--exclude", "third_party"}
	for _, f := range formats {
		args = append(args, "--report", f+"="+filepath.Join(out, f))
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	r := snipscan(t, nil, append(args, repo)...)
	var doc factsDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("scan: exit %d, %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	reports := map[string]string{}
	for _, f := range formats {
		data, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		reports[f] = string(data)
	}

	// What the JSON says.
	s := doc.Summary
	if s.Excluded != 1 || s.Ignored != 1 || s.FilesNotCode < 2 {
		t.Fatalf("summary %+v, want 1 excluded, 1 ignored, at least 2 not code\n%s", s, r.stderr)
	}
	var choice, changed string // the source paths of the two findings
	for _, f := range doc.Files {
		for _, m := range f.Matches {
			switch base := filepath.Base(f.Path); {
			case base == "dualcopy.go" && m.Source.License == "GPL-3.0-only OR MIT" && m.Policy.LicenseChoice == "MIT" && !m.Source.SourceChanged:
				choice = m.Source.Path
			case base == "mitcopy.go" && m.Source.License == "MIT" && m.Source.SourceChanged && m.Policy.LicenseChoice == "":
				changed = m.Source.Path
			default:
				t.Errorf("unexpected finding in %s: %+v", f.Path, m)
			}
		}
	}
	if choice == "" || changed == "" {
		t.Fatalf("want a finding under GPL-3.0-only OR MIT evaluated as MIT, and one whose MIT source changed:\n%s", r.stdout)
	}

	leftOut := fmt.Sprintf("Files left out: 1 excluded; 1 ignored by git; %d not code (manifests, license and policy files, documentation, data).", s.FilesNotCode)
	const note = "the source file changed since it was indexed"
	t.Run("markdown", func(t *testing.T) {
		md := reports["markdown"]
		for _, want := range []string{leftOut, "| GPL-3.0-only OR MIT (evaluated as MIT) |", " **note:** " + note + ": the source lines are those indexed |"} {
			if !strings.Contains(md, want) {
				t.Errorf("markdown lacks %q:\n%s", want, md)
			}
		}
	})
	t.Run("html", func(t *testing.T) {
		page := reports["html"]
		for _, want := range []string{leftOut, "GPL-3.0-only OR MIT, evaluated as <strong>MIT</strong>", `<span class="stale">— ` + note} {
			if !strings.Contains(page, want) {
				t.Errorf("html lacks %q", want)
			}
		}
	})
	t.Run("sarif", func(t *testing.T) {
		log, err := sarif.FromBytes([]byte(reports["sarif"]), sarif.WithStrictValidation())
		if err != nil {
			t.Fatal(err)
		}
		if err := log.Validate(); err != nil {
			t.Errorf("invalid SARIF: %v", err)
		}
		props := map[string]map[string]any{}
		for _, res := range log.Runs[0].Results {
			src := *res.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI
			props[src] = res.Properties.Properties
			if src == changed && !strings.Contains(*res.Message.Text, " The source file changed since it was indexed") {
				t.Errorf("message %q does not say the source changed", *res.Message.Text)
			}
		}
		if props[choice]["license_choice"] != "MIT" || props[choice]["source_changed"] != nil ||
			props[changed]["source_changed"] != true || props[changed]["license_choice"] != nil {
			t.Errorf("result properties %v", props)
		}
	})
	t.Run("notice", func(t *testing.T) {
		notice := reports["notice"]
		for _, want := range []string{"License: GPL-3.0-only OR MIT, used here under MIT\n", "    Note: " + note + "; the lines are those indexed. Check this entry again.\n"} {
			if !strings.Contains(notice, want) {
				t.Errorf("notice lacks %q:\n%s", want, notice)
			}
		}
	})
	t.Run("spdx-json", func(t *testing.T) {
		sd, err := spdxjson.Read(strings.NewReader(reports["spdx-json"]))
		if err != nil {
			t.Fatal(err)
		}
		concluded := map[string]string{}
		for _, sn := range sd.Snippets {
			concluded[sn.SnippetComment] = sn.SnippetLicenseConcluded
		}
		var annotations []string
		for _, f := range sd.Files {
			for _, a := range f.Annotations {
				annotations = append(annotations, f.FileName+": "+a.AnnotationComment)
			}
		}
		if len(concluded) != 2 || len(annotations) != 1 || !strings.HasPrefix(annotations[0], "./mitcopy.go: SPDXRef-Snippet-") ||
			!strings.Contains(annotations[0], note) {
			t.Errorf("snippets %v, annotations %q; want one annotation on mitcopy.go", concluded, annotations)
		}
		// Both snippets conclude MIT: the dual-licensed one by its choice.
		for comment, lic := range concluded {
			fromChanged := strings.Contains(comment, "from "+changed+" lines")
			if lic != "MIT" || fromChanged != strings.Contains(comment, note) {
				t.Errorf("snippet %q concluded %q, want MIT, and a note only on the changed source's", comment, lic)
			}
		}
	})
	t.Run("cyclonedx-json", func(t *testing.T) {
		schema, err := schemacheck.CycloneDX16()
		if err != nil {
			t.Fatal(err)
		}
		if err := schemacheck.Validate(schema, []byte(reports["cyclonedx-json"])); err != nil {
			t.Errorf("not valid CycloneDX 1.6: %v", err)
		}
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader([]byte(reports["cyclonedx-json"])), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range *bom.Components {
			var facts []string
			if c.Licenses != nil {
				facts = append(facts, (*c.Licenses)[0].Expression)
			}
			for _, p := range *c.Properties {
				if p.Name == "snipscan:license_choice" || p.Name == "snipscan:source_changed" {
					facts = append(facts, p.Name+"="+p.Value)
				}
			}
			got[strings.Join(facts, " ")] = c.Name
		}
		for _, want := range []string{"GPL-3.0-only OR MIT snipscan:license_choice=MIT", "MIT snipscan:source_changed=" + changed} {
			if _, ok := got[want]; !ok {
				t.Errorf("components %v lack one with %s", got, want)
			}
		}
	})
}

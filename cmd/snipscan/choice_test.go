package main

// End-to-end tests of packages that offer a choice of licenses: the
// finding's license is the choice, the built-in policy evaluates the least
// restrictive alternative and says which, and a documentation license
// stays off code.

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// choiceDoc is the part of the JSON report these tests read.
type choiceDoc struct {
	Files []struct {
		Matches []struct {
			Source struct {
				Path          string `json:"path"`
				License       string `json:"license"`
				LicenseSource string `json:"license_source"`
			} `json:"source"`
			Policy struct {
				Verdict       string   `json:"verdict"`
				Reasons       []string `json:"reasons"`
				Category      string   `json:"category"`
				LicenseChoice string   `json:"license_choice"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
}

// scanChoice indexes corpus into a new database, scans target with the
// built-in policy and returns the report and the exit code.
func scanChoice(t *testing.T, corpus, target string) (choiceDoc, int) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "c.db")
	if r := snipscan(t, nil, "index", "--db", db, corpus); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	r := snipscan(t, nil, "scan", "--db", db, "--format", "json", target)
	var doc choiceDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("scan output is not JSON (%v): %s\n%s", err, r.stdout, r.stderr)
	}
	if len(doc.Files) == 0 || len(doc.Files[0].Matches) == 0 {
		t.Fatalf("no finding (exit %d): %s", r.code, r.stderr)
	}
	return doc, r.code
}

// pasteTarget writes a target directory holding one of this project's
// files with code pasted into it.
func pasteTarget(t *testing.T, code string) string {
	t.Helper()
	doc, _, _ := paste(t, "../../walk/walk.go", code)
	dir := filepath.Join(t.TempDir(), "targets")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.go"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// licensecheckText returns a license text of licensecheck's test data
// (name such as "MIT.t1"), without its header.
func licensecheckText(t *testing.T, name string) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/licensecheck").Output()
	if err != nil {
		t.Skipf("licensecheck module: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "testdata", name))
	if err != nil {
		t.Skipf("licensecheck test text: %v", err)
	}
	_, text, _ := bytes.Cut(b, []byte("\n\n"))
	return text
}

// TestDualLicensedModule indexes a real module that ships LICENSE-APACHE,
// LICENSE-MIT, a LICENSE and a README that offer the two as alternatives
// (github.com/ipfs/go-ds-pebble, from the Go module proxy), copies a
// function out of it, and scans: the finding's license is the choice, not
// an AND of the files, and the verdict names the alternative it took.
func TestDualLicensedModule(t *testing.T) {
	const mod = "github.com/ipfs/go-ds-pebble@v0.5.13"
	dir := testnet.ModuleDir(t, mod)
	fn, _, _ := fileFunc(t, filepath.Join(dir, "datastore.go"), "NewDatastore")
	target := pasteTarget(t, fn)
	doc, code := scanChoice(t, dir, target)
	f := doc.Files[0].Matches[0]
	if !strings.HasSuffix(f.Source.Path, "datastore.go") || f.Source.License != "Apache-2.0 OR MIT" || f.Source.LicenseSource != "license_file" {
		t.Errorf("source %+v, want datastore.go under Apache-2.0 OR MIT from the license files", f.Source)
	}
	if f.Policy.Verdict == "fail" || code != 0 || f.Policy.LicenseChoice != "MIT" || f.Policy.Category != "permissive" {
		t.Errorf("exit %d, policy %+v; want no failure, the choice MIT", code, f.Policy)
	}
	if len(f.Policy.Reasons) < 2 || f.Policy.Reasons[0] != "licensed Apache-2.0 OR MIT; evaluated as MIT, the least restrictive choice" ||
		f.Policy.Reasons[1] != "MIT requires attribution: keep the copyright and license notice" {
		t.Errorf("reasons %q", f.Policy.Reasons)
	}
}

// TestChoiceAvoidsCopyleft indexes a package whose LICENSE holds the GPL-3.0
// text (Debian's), LICENSE-MIT the MIT text, and whose README offers the
// two at the licensee's option. A copy of its code is under GPL-3.0-only OR
// MIT: the built-in policy takes MIT and does not fail the scan (it failed
// it as GPL-3.0-only AND MIT).
func TestChoiceAvoidsCopyleft(t *testing.T) {
	gpl3, err := os.ReadFile("/usr/share/common-licenses/GPL-3")
	if err != nil {
		t.Skipf("Debian common licenses: %v", err)
	}
	body, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	pkg := filepath.Join(t.TempDir(), "frob")
	for name, text := range map[string][]byte{
		"LICENSE":     gpl3,
		"LICENSE-MIT": licensecheckText(t, "MIT.t1"),
		"README.md":   []byte("# frob\n\nFormats columns.\n\n## License\n\nfrob is available under either the GNU General Public License version 3 or the MIT license, at your option.\n"),
		"format.go":   []byte("package frob\n\n" + body + "\n"),
	} {
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, name), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, code := scanChoice(t, pkg, pasteTarget(t, body))
	f := doc.Files[0].Matches[0]
	if f.Source.License != "GPL-3.0-only OR MIT" {
		t.Errorf("license %q, want GPL-3.0-only OR MIT", f.Source.License)
	}
	if code != 0 || f.Policy.Verdict != "warn" || f.Policy.LicenseChoice != "MIT" {
		t.Errorf("exit %d, policy %+v; want warn on MIT, exit 0", code, f.Policy)
	}
	if len(f.Policy.Reasons) == 0 || !strings.Contains(f.Policy.Reasons[0], "evaluated as MIT, the least restrictive choice") {
		t.Errorf("reasons %q", f.Policy.Reasons)
	}
}

// TestDocsLicenseNotOnCode indexes a package whose code is MIT (LICENSE)
// and whose documentation is CC-BY-4.0 (LICENSE.docs): code copied from it
// is MIT alone.
func TestDocsLicenseNotOnCode(t *testing.T) {
	body, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	pkg := filepath.Join(t.TempDir(), "frob")
	for name, text := range map[string][]byte{
		"LICENSE":      licensecheckText(t, "MIT.t1"),
		"LICENSE.docs": licensecheckText(t, "CC-BY-4.0.t1"),
		"format.go":    []byte("package frob\n\n" + body + "\n"),
	} {
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, name), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, _ := scanChoice(t, pkg, pasteTarget(t, body))
	f := doc.Files[0].Matches[0]
	if f.Source.License != "MIT" || f.Policy.LicenseChoice != "" || f.Policy.Category != "permissive" {
		t.Errorf("source %+v policy %+v; want MIT alone", f.Source, f.Policy)
	}
}

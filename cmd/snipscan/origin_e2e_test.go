package main

// End-to-end tests of the origin a finding names when the corpus holds
// both the original of the code and a third-party copy of it.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// originDoc is the part of a JSON report these tests read.
type originDoc struct {
	Files []struct {
		Path    string `json:"path"`
		Matches []struct {
			Lines      [2]int         `json:"lines"`
			Source     originSource   `json:"source"`
			Alternates int            `json:"alternates"`
			AltSources []originSource `json:"alternate_sources"`
			Policy     struct {
				Verdict string   `json:"verdict"`
				Reasons []string `json:"reasons"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
}

// originSource is a finding's source or alternate source.
type originSource struct {
	Path      string    `json:"path"`
	Lines     [2]int    `json:"lines"`
	Package   string    `json:"package"`
	Version   string    `json:"version"`
	Published time.Time `json:"published"`
	License   string    `json:"license"`
	Closer    bool      `json:"closer"`
}

// TestOriginIsGoroot indexes GOROOT's crypto/tls and sing-box v1.14.1's
// common/ktls (a GPL-3.0 module, in a module cache, whose
// ktls_handshake_messages.go copies crypto/tls's newSessionTicketMsgTLS13
// with a few lines changed), and scans a copy of sing-box's version: it
// matches sing-box's file verbatim and GOROOT's 92%, but the finding
// names the original, crypto/tls/handshake_messages.go, and lists
// sing-box's file as an alternate, closer to the copy than the original;
// each source carries its publication time (GOROOT/VERSION's, the module
// cache's .info file's). The policy weighs the closer copy too; here it
// kept Go's BSD notice, so the verdict stays the original's.
func TestOriginIsGoroot(t *testing.T) {
	root := goroot(t)
	cache := tempModCache(t, "github.com/sagernet/sing-box@v1.14.1")
	mod := filepath.Join(cache, "github.com", "sagernet", "sing-box@v1.14.1")
	db := filepath.Join(t.TempDir(), "corpus.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(root, "src", "crypto", "tls"), filepath.Join(mod, "common", "ktls")); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(mod, "common", "ktls", "ktls_handshake_messages.go"))
	if err != nil {
		t.Fatal(err)
	}
	_, copied, ok := strings.Cut(string(data), "\ntype newSessionTicketMsgTLS13 struct")
	if !ok {
		t.Fatal("sing-box's ktls_handshake_messages.go has no newSessionTicketMsgTLS13")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "ticket.go")
	if err := os.WriteFile(target, []byte("package ticket\n\ntype newSessionTicketMsgTLS13 struct"+copied), 0o644); err != nil {
		t.Fatal(err)
	}
	r := snipscan(t, nil, "scan", "--db", db, "--format", "json", dir)
	var doc originDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("scan output is not JSON: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
	if len(doc.Files) != 1 || len(doc.Files[0].Matches) != 1 {
		t.Fatalf("want one finding, got %+v\nstderr: %s", doc.Files, r.stderr)
	}
	m := doc.Files[0].Matches[0]
	if m.Source.Path != "handshake_messages.go" || m.Source.Package != "stdlib" {
		t.Errorf("source = %+v, want GOROOT's crypto/tls/handshake_messages.go", m.Source)
	}
	if m.Alternates != 1 || len(m.AltSources) != 1 || m.AltSources[0].Path != "ktls_handshake_messages.go" ||
		m.AltSources[0].Package != "github.com/sagernet/sing-box" {
		t.Errorf("alternates = %d %+v, want sing-box's common/ktls/ktls_handshake_messages.go", m.Alternates, m.AltSources)
	}
	if len(m.AltSources) == 1 && !m.AltSources[0].Published.Equal(infoTime(t, cache, "github.com/sagernet/sing-box", "v1.14.1")) {
		t.Errorf("sing-box published %v, want its .info time", m.AltSources[0].Published)
	}
	if want := versionTime(t, root); !want.IsZero() && !m.Source.Published.Equal(want) {
		t.Errorf("GOROOT published %v, want VERSION's time %v", m.Source.Published, want)
	}
	if len(m.AltSources) == 1 && (!m.AltSources[0].Closer || m.AltSources[0].License != "BSD-3-Clause") {
		t.Errorf("sing-box's alternate: closer %v, license %q; want closer, BSD-3-Clause (its file keeps Go's notice)", m.AltSources[0].Closer, m.AltSources[0].License)
	}
	if m.Policy.Verdict != "warn" {
		t.Errorf("verdict %q, reasons %q; want warn (BSD-3-Clause, unattributed)", m.Policy.Verdict, m.Policy.Reasons)
	}
}

// infoTime returns the Time of the .info file of a module version in the
// module cache at cache.
func infoTime(t *testing.T, cache, mod, version string) time.Time {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(cache, "cache", "download", filepath.FromSlash(mod), "@v", version+".info"))
	if err != nil {
		t.Fatal(err)
	}
	var info struct{ Time time.Time }
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatal(err)
	}
	return info.Time
}

// versionTime returns the time GOROOT/VERSION states, or the zero time.
func versionTime(t *testing.T, root string) time.Time {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return time.Time{}
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "time "); ok {
			tm, err := time.Parse(time.RFC3339, v)
			if err != nil {
				t.Fatalf("GOROOT/VERSION time %q: %v", v, err)
			}
			return tm
		}
	}
	return time.Time{}
}

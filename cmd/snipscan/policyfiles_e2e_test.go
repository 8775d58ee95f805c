package main

// End-to-end tests of which policy file a scan applies when its PATHs
// stand in different places.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snipscanIn runs the snipscan binary with args in the directory dir.
func snipscanIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, nil, args...)
}

// TestPolicyOfSeveralPaths scans a directory without a policy file beside
// a vendored tree whose own policy allows strong copyleft, each holding a
// copy of the GPL function: one PATH's policy must not decide the other's
// verdicts, so the scan refuses (in either order) and says to pass
// --policy or to scan them apart. Each alone gets its own policy, which
// the text summary names; PATHs that find the same policy file (the
// repository's) are scanned together.
func TestPolicyOfSeveralPaths(t *testing.T) {
	fx := newGateFixture(t)
	gpl, err := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"netcheck", "third_party/upstream"} {
		os.MkdirAll(filepath.Join(fx.repo, dir), 0o755)
		fx.write(t, filepath.Join(dir, "copy.go"), string(gpl))
	}
	fx.write(t, "third_party/upstream/snipscan.toml", "[licenses]\nallow = [\"strong-copyleft\"]\n")
	for _, paths := range [][]string{{"netcheck", "third_party/upstream"}, {"third_party/upstream", "netcheck"}} {
		r := snipscanIn(t, fx.repo, append([]string{"scan", "--db", fx.db}, paths...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "different policy files") || !strings.Contains(r.stderr, "--policy") ||
			!strings.Contains(r.stderr, "netcheck: no policy file (the built-in policy)") ||
			!strings.Contains(r.stderr, "third_party/upstream: third_party/upstream/snipscan.toml") {
			t.Errorf("scan %v: exit %d, want 2 and a message naming both policies\n%s%s", paths, r.code, r.stdout, r.stderr)
		}
	}
	r := snipscanIn(t, fx.repo, "scan", "--db", fx.db, "netcheck")
	if summary, _, _ := strings.Cut(r.stdout, "\n"); r.code != 1 || !strings.HasSuffix(summary, "; built-in policy") {
		t.Errorf("netcheck alone: exit %d, summary %q; want 1 under the built-in policy", r.code, summary)
	}
	r = snipscanIn(t, fx.repo, "scan", "--db", fx.db, "third_party/upstream")
	if summary, _, _ := strings.Cut(r.stdout, "\n"); r.code != 0 || !strings.HasSuffix(summary, "; policy third_party/upstream/snipscan.toml") {
		t.Errorf("third_party/upstream alone: exit %d, summary %q; want 0 under its policy", r.code, summary)
	}
	// --policy decides for both.
	r = snipscanIn(t, fx.repo, "scan", "--db", fx.db, "--policy", "third_party/upstream/snipscan.toml", "netcheck", "third_party/upstream")
	if r.code != 0 {
		t.Errorf("--policy for both: exit %d\n%s", r.code, r.stderr)
	}
	// Both find the repository's policy file.
	os.Rename(filepath.Join(fx.repo, "third_party/upstream/snipscan.toml"), filepath.Join(fx.repo, "snipscan.toml"))
	r = snipscanIn(t, fx.repo, "scan", "--db", fx.db, "netcheck", "third_party/upstream")
	if summary, _, _ := strings.Cut(r.stdout, "\n"); r.code != 0 || !strings.HasSuffix(summary, "; policy snipscan.toml") {
		t.Errorf("both under the repository's policy: exit %d, summary %q\n%s", r.code, summary, r.stderr)
	}
}

// TestFilePathContext scans one file of a directory that holds a policy
// file and a LICENSE, outside git: the file gets the verdicts of its
// directory (it got the built-in policy and no project license), and a
// file PATH beside a directory PATH under another license is refused as
// two directories would be.
func TestFilePathContext(t *testing.T) {
	fx := newGateFixture(t)
	gpl, err := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	for dir, files := range map[string]map[string]string{
		"allowed": {"copy.go": string(gpl), "snipscan.toml": "[licenses]\nallow = [\"strong-copyleft\"]\n"},
		"gplapp":  {"copy.go": string(gpl), "LICENSE": "Copyright (C) 2024 Ada Example\n\nThis program is licensed under the GNU General Public License version 3\nor (at your option) any later version.\n"},
		"closed":  {"copy.go": string(gpl), "LICENSE": "Copyright (c) 2024 Ada Example. All rights reserved.\n"},
	} {
		for name, text := range files {
			p := filepath.Join(base, dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, path := range []string{"allowed", "allowed/copy.go"} {
		if r := snipscanIn(t, base, "scan", "--db", fx.db, path); r.code != 0 || !strings.Contains(r.stdout, "policy allowed/snipscan.toml") {
			t.Errorf("scan %s: exit %d, want 0 under allowed/snipscan.toml\n%s%s", path, r.code, r.stdout, r.stderr)
		}
	}
	if r := snipscanIn(t, base, "scan", "--db", fx.db, "gplapp", "closed/copy.go"); r.code != 2 || !strings.Contains(r.stderr, "different project licenses") {
		t.Errorf("scan gplapp closed/copy.go: exit %d, want 2 (different project licenses)\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := snipscanIn(t, base, "scan", "--db", fx.db, "closed/copy.go"); r.code != 1 {
		t.Errorf("scan closed/copy.go: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
}

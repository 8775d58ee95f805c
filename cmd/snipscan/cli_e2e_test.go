package main

// End-to-end tests of the command line itself: where flags may stand.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagsAfterPaths gives flags after the PATHs, for every command that
// takes PATHs, as most command-line tools accept: they are flags, not
// paths; "--" ends the flags, so that a path that starts with a dash can
// be named.
func TestFlagsAfterPaths(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(goroot(t), "src", "container", "ring")
	db := filepath.Join(dir, "ring.db")
	if r := snipscan(t, nil, "index", src, "--db", db, "--prune", "-v"); r.code != 0 || !strings.Contains(r.stdout, "database "+db) {
		t.Fatalf("index PATH --db DB --prune -v: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	fn, _, _ := goFunc(t, "container/ring/ring.go", "Move")
	code, _, _ := paste(t, "../../walk/walk.go", fn)
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "moved.go"), []byte(code), 0o644)

	r := snipscan(t, nil, "scan", target, "--db", db, "--format", "json", "--fail-on", "never")
	var doc jsonDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 || doc.Summary.Matches != 1 {
		t.Errorf("scan PATH --db DB --format json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	r = snipscan(t, nil, "scan", target, "-v", "--db", db)
	if !strings.Contains(r.stdout, "Warnings (1)") || !strings.Contains(r.stdout, "ring.go") {
		t.Errorf("scan PATH -v: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = snipscan(t, nil, "license", filepath.Join(goroot(t), "LICENSE"), "--format", "json")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), "[") && !strings.HasPrefix(strings.TrimSpace(r.stdout), "{") {
		t.Errorf("license PATH --format json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// After "--", an argument is a PATH, whatever it looks like.
	dashed := filepath.Join(dir, "-v")
	os.MkdirAll(dashed, 0o755)
	os.WriteFile(filepath.Join(dashed, "moved.go"), []byte(code), 0o644)
	r = snipscanIn(t, dir, "scan", "--db", db, "--format", "json", "--", "-v", "target")
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Summary.FilesScanned != 2 {
		t.Errorf("scan -- -v target: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	r = snipscan(t, nil, "scan", "--db", db, "--", target, "--format", "json")
	if r.code != 2 || !strings.Contains(r.stderr, "--format: no such file or directory") {
		t.Errorf("scan -- PATH --format json: exit %d, want 2 naming --format as a PATH\n%s", r.code, r.stderr)
	}
}

package main

// End-to-end tests of the files a run leaves out: files that are not
// code, counted apart by index and scan alike.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexNotCode indexes a copy of GOROOT's container/list with its
// LICENSE, a README, a go.sum and a PNG beside it: the files that hold no
// code are counted as not code, not as skipped, and -v lists only the
// skips of other reasons.
func TestIndexNotCode(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "list")
	copyTree(t, filepath.Join(goroot(t), "src", "container", "list"), tree)
	lic, err := os.ReadFile(filepath.Join(goroot(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tree, "LICENSE"), lic, 0o644)
	os.WriteFile(filepath.Join(tree, "README.md"), []byte("# list\n\nA doubly linked list.\n"), 0o644)
	os.WriteFile(filepath.Join(tree, "go.sum"), []byte(""), 0o644)
	os.WriteFile(filepath.Join(tree, "logo.png"), []byte("\x89PNG\r\n\x1a\n"), 0o644)
	os.WriteFile(filepath.Join(tree, "blob.go"), []byte("package blob\x00\x01"), 0o644)
	r := snipscan(t, nil, "index", "-v", "--progress", "never", "--db", filepath.Join(dir, "c.db"), tree)
	if r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "\nskipped 1 file: binary 1\n") || !strings.Contains(r.stdout, "\nnot code: 4 files ") {
		t.Errorf("index output:\n%s", r.stdout)
	}
	if strings.Count(r.stderr, "skipped ") != 1 || !strings.Contains(r.stderr, "blob.go: binary") {
		t.Errorf("-v lists:\n%s", r.stderr)
	}
}

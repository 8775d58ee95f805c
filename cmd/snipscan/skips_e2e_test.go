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

// TestDanglingLinks scans a tree holding a GOROOT file and a symbolic
// link named result that leads nowhere, as nix-build leaves one: the link
// is skipped, not unscanned, and the scan passes. A link with a source
// file's name that leads nowhere is unscanned, and fails the scan. Index
// runs with --prune prune past such links.
func TestDanglingLinks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(goroot(t), "src", "container")); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	tree := filepath.Join(dir, "tree")
	copyTree(t, filepath.Join(goroot(t), "src", "sort"), tree)
	if err := os.Symlink(filepath.Join(dir, "nix", "store", "missing"), filepath.Join(tree, "result")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	doc, r := gateScan(t, "--db", db, tree)
	if r.code != 0 || doc.Summary.Unscanned != 0 || doc.Summary.FilesSkipped != 1 || len(doc.Unscanned) != 0 {
		t.Errorf("a link named result that leads nowhere: exit %d, summary %+v\n%s", r.code, doc.Summary, r.stderr)
	}
	os.Symlink("missing.go", filepath.Join(tree, "gen.go"))
	doc, r = gateScan(t, "--db", db, tree)
	if r.code != 1 || doc.Summary.Unscanned != 1 || len(doc.Unscanned) != 1 || doc.Unscanned[0].Path != filepath.Join(tree, "gen.go") {
		t.Errorf("a link named gen.go that leads nowhere: exit %d, summary %+v, unscanned %+v", r.code, doc.Summary, doc.Unscanned)
	}

	// An index run prunes the files that are gone though a link leads
	// nowhere.
	os.Remove(filepath.Join(tree, "gen.go"))
	if r := snipscan(t, nil, "index", "--db", db, tree); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	os.Remove(filepath.Join(tree, "slice.go"))
	r = snipscan(t, nil, "index", "--prune", "--db", db, tree)
	if r.code != 0 || !strings.Contains(r.stdout, "pruned 1 location no longer found") || strings.Contains(r.stderr, "nothing pruned") {
		t.Errorf("index --prune: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

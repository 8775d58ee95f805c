package main

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// TestFoldedPieces scans, against the whole GOROOT/src, files of
// golang.org/x/sys (a dependency of snipscan) whose copies GOROOT vendors
// in an older version: each came back as a dozen findings of one source,
// ranges within ranges. In the JSON, no two findings of one file and one
// source overlap or touch on both sides in the same order, the summary
// counts the findings listed, and the ids, unique, are the same in a
// second run (an id hashes the target path, the kind, and the source's
// path and lines: a folded finding's are those of the union).
func TestFoldedPieces(t *testing.T) {
	db := gorootCorpus(t)
	sys := testnet.ModuleDir(t, "golang.org/x/sys")
	dir := t.TempDir()
	for _, name := range []string{"zsyscall_darwin_amd64.go", "syscall_solaris.go", "xattr_bsd.go"} {
		data, err := os.ReadFile(filepath.Join(sys, "unix", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	doc, _ := scanJSON(t, db, dir)
	var ids []string
	matches := 0
	for _, f := range doc.Files {
		ms := f.Matches
		matches += len(ms)
		for i := range ms {
			ids = append(ids, ms[i].ID)
			for j := i + 1; j < len(ms); j++ {
				a, b := ms[i], ms[j]
				touch := func(x, y [2]int) bool { return x[0] <= y[1]+1 && y[0] <= x[1]+1 }
				if a.Source.Path == b.Source.Path && touch(a.Lines, b.Lines) && touch(a.Source.Lines, b.Source.Lines) &&
					cmp.Compare(a.Lines[0], b.Lines[0])*cmp.Compare(a.Source.Lines[0], b.Source.Lines[0]) >= 0 &&
					cmp.Compare(a.Lines[1], b.Lines[1])*cmp.Compare(a.Source.Lines[1], b.Source.Lines[1]) >= 0 {
					t.Errorf("%s: pieces of one copy apart: %v <- %s %v and %v <- %v", filepath.Base(f.Path), a.Lines, a.Source.Path, a.Source.Lines, b.Lines, b.Source.Lines)
				}
			}
		}
	}
	if len(doc.Files) != 3 || matches == 0 || doc.Summary.Matches != matches || doc.Summary.FilesMatched != len(doc.Files) {
		t.Errorf("%d files with %d findings; summary: %d files matched, %d matches", len(doc.Files), matches, doc.Summary.FilesMatched, doc.Summary.Matches)
	}
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("ids not unique: %v", ids)
	}
	again, _ := scanJSON(t, db, dir)
	var ids2 []string
	for _, f := range again.Files {
		for _, m := range f.Matches {
			ids2 = append(ids2, m.ID)
		}
	}
	slices.Sort(ids2)
	if !slices.Equal(ids, ids2) {
		t.Errorf("ids of a second run differ:\n%v\n%v", ids, ids2)
	}
}

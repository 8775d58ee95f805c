package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/match"
)

// TestCheckSources reads back sources in a directory against the size
// and hash indexed: unchanged, changed (in size, or in place), grown past
// the read cap, gone, and indexed larger than the cap (unknown: left
// unmarked). A text that changes after the check is refused by source.
func TestCheckSources(t *testing.T) {
	root := t.TempDir()
	indexed := []byte("package a\n\nfunc A() int { return 1 }\n")
	const max = 1 << 10
	tests := []struct {
		name          string
		now           []byte // nil: no file
		size          int64  // indexed size; 0 means len(indexed)
		changed, gone bool
	}{
		{"unchanged", indexed, 0, false, false},
		{"lines added", append([]byte("// new\n"), indexed...), 0, true, false},
		{"same size", []byte(strings.Replace(string(indexed), "1", "2", 1)), 0, true, false},
		{"grown past the cap", []byte(strings.Repeat("x", 2*max)), 0, true, false},
		{"gone", nil, 0, false, true},
		{"indexed past the cap", []byte(strings.Repeat("x", 2*max)), 2 * max, false, false},
	}
	var res []match.Result
	for _, tt := range tests {
		if tt.now != nil {
			if err := os.WriteFile(filepath.Join(root, tt.name+".go"), tt.now, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		size := tt.size
		if size == 0 {
			size = int64(len(indexed))
		}
		res = append(res, match.Result{Path: tt.name, Findings: []match.Finding{{
			Source: match.Source{Root: root, Path: tt.name + ".go", Size: size, Sum: corpus.Sum(indexed)}}}})
	}
	texts := newFileTexts(context.Background(), res, max)
	texts.checkSources(res)
	for i, tt := range tests {
		s := res[i].Findings[0].Source
		if s.Changed != tt.changed || s.Gone != tt.gone {
			t.Errorf("%s: changed %v gone %v, want %v and %v", tt.name, s.Changed, s.Gone, tt.changed, tt.gone)
		}
	}
	if data, err := texts.source(root, "unchanged.go"); err != nil || string(data) != string(indexed) {
		t.Errorf("source of the unchanged file: %q, %v", data, err)
	}
	os.WriteFile(filepath.Join(root, "unchanged.go"), []byte("package b\n"), 0o644)
	if _, err := texts.source(root, "unchanged.go"); !errors.Is(err, errSourceChanged) {
		t.Errorf("source of a file changed after the check: %v, want %v", err, errSourceChanged)
	}
}

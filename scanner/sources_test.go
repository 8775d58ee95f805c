package scanner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/match"
)

// TestCheckSources reads back sources in a directory against the size
// and hash indexed (Sources.Mark): unchanged, changed (in size, or in
// place), grown past the read cap, gone, and indexed larger than the cap
// (unknown: left unmarked). A text that changes after the check is
// refused by Read.
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
	texts := NewSources(context.Background(), max)
	texts.Mark(res)
	for i, tt := range tests {
		s := res[i].Findings[0].Source
		if s.Changed != tt.changed || s.Gone != tt.gone {
			t.Errorf("%s: changed %v gone %v, want %v and %v", tt.name, s.Changed, s.Gone, tt.changed, tt.gone)
		}
	}
	if data, err := texts.Read(root, "unchanged.go"); err != nil || string(data) != string(indexed) {
		t.Errorf("source of the unchanged file: %q, %v", data, err)
	}
	os.WriteFile(filepath.Join(root, "unchanged.go"), []byte("package b\n"), 0o644)
	if _, err := texts.Read(root, "unchanged.go"); !errors.Is(err, ErrSourceChanged) {
		t.Errorf("source of a file changed after the check: %v, want %v", err, ErrSourceChanged)
	}
}

// TestSourcesReadOnce indexes a copy of GOROOT's encoding/csv and scans a
// copy of its reader.go: the scan reads the source for the matcher and
// marks it unchanged without reading it again, so that, changed after the
// scan, it is still the content the scan saw for the run (Mark), while a
// report's reader refuses its new text. Without the source's text
// (NoSourceText), the scan still reads it once to mark it changed, or
// gone.
func TestSourcesReadOnce(t *testing.T) {
	dir := t.TempDir()
	corpusDir := filepath.Join(dir, "corpus", "csv")
	reader := filepath.Join(corpusDir, "reader.go")
	copyFile(t, filepath.Join(runtime.GOROOT(), "src", "encoding", "csv", "reader.go"), reader)
	copyFile(t, filepath.Join(runtime.GOROOT(), "src", "encoding", "csv", "writer.go"), filepath.Join(corpusDir, "writer.go"))
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(context.Background(), db, []string{corpusDir}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target", "reader.go")
	copyFile(t, reader, target)
	scan := func(opts Options) match.Source {
		t.Helper()
		rep, err := Scan(context.Background(), db, []string{target}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Results) != 1 || len(rep.Results[0].Findings) == 0 || rep.Results[0].Findings[0].Source.Path != "reader.go" {
			t.Fatalf("want findings from reader.go, got %+v", rep.Results)
		}
		return rep.Results[0].Findings[0].Source
	}
	sources := NewSources(context.Background(), 1<<20)
	src := scan(Options{Sources: sources})
	if src.Changed || src.Gone {
		t.Fatalf("the unchanged source marked changed %v, gone %v", src.Changed, src.Gone)
	}
	if _, err := sources.Read(src.Root, src.Path); err != nil {
		t.Fatalf("Read of the unchanged source: %v", err)
	}

	original, _ := os.ReadFile(reader)
	os.WriteFile(reader, append(original, "\n// A line added after the scan.\n"...), 0o644)
	res := []match.Result{{Findings: []match.Finding{{Source: match.Source{Root: src.Root, Path: src.Path, Size: src.Size, Sum: src.Sum}}}}}
	sources.Mark(res)
	if s := res[0].Findings[0].Source; s.Changed || s.Gone {
		t.Errorf("marked again after a change: changed %v, gone %v; want the state the run found", s.Changed, s.Gone)
	}
	if _, err := sources.Read(src.Root, src.Path); !errors.Is(err, ErrSourceChanged) {
		t.Errorf("Read of a source changed since the scan: %v, want %v", err, ErrSourceChanged)
	}

	if s := scan(Options{NoSourceText: true}); !s.Changed || s.Gone {
		t.Errorf("without the source's text, a changed source: changed %v, gone %v", s.Changed, s.Gone)
	}
	os.Remove(reader)
	if s := scan(Options{NoSourceText: true}); s.Changed || !s.Gone {
		t.Errorf("without the source's text, a removed source: changed %v, gone %v", s.Changed, s.Gone)
	}
}

package scanner

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
)

// TestTargets fingerprints GOROOT's encoding/csv as a scan does, without
// a corpus: one target per .go file, each with its fingerprints.
func TestTargets(t *testing.T) {
	dir := filepath.Join(runtime.GOROOT(), "src", "encoding", "csv")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") {
			want++
		}
	}
	targets, err := Targets(context.Background(), corpus.Params{}.WithDefaults(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != want || want == 0 {
		t.Fatalf("%d targets; want the %d .go files of %s", len(targets), want, dir)
	}
	for _, tg := range targets {
		if len(tg.Fingerprints) == 0 {
			t.Errorf("%s: no fingerprints", tg.Path)
		}
	}
}

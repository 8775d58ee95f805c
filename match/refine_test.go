package match

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/eval/mutate"
)

// gorootText reads corpus files from GOROOT/src, as scanner.SourceText
// does from an indexed directory.
func gorootText(f *corpus.FileInfo) []byte {
	for _, l := range f.Locations {
		if data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(l.Path))); err == nil {
			return data
		}
	}
	return nil
}

// smallFuncs returns the functions of 11 to 16 lines of the test
// corpus's non-test files, in a fixed order.
func smallFuncs(t *testing.T) []mutate.Func {
	t.Helper()
	var out []mutate.Func
	for _, d := range corpusDirs {
		paths, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", d, "*.go"))
		sort.Strings(paths)
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := mutate.Funcs(d+"/"+filepath.Base(p), data)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if n := f.EndLine - f.Line + 1; n >= 11 && n <= 16 {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// TestSourceTextSmallCopies pastes renamed and reformatted copies of small
// functions into a host file and matches them with and without the
// source's text: with it, the weak regions these copies leave are
// confirmed and their edges aligned, so more copies are found, each with
// both line ranges within 2 lines.
func TestSourceTextSmallCopies(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	funcs := smallFuncs(t)
	if len(funcs) > 60 {
		funcs = funcs[:60]
	}
	var targets []Target
	type want struct {
		rel           string
		lines, slines [2]int
	}
	var wants []want
	for i, sf := range funcs {
		// Every local name renamed, as the evaluation's renamed class does.
		m, err := mutate.Apply(sf, mutate.Renamed, uint64(i))
		if err != nil {
			continue
		}
		fn := m.Code
		doc := head + "\n" + fn + "\n" + tail
		start := lineOf(doc, len(head)+1)
		end := start + strings.Count(strings.TrimRight(fn, "\n"), "\n")
		targets = append(targets, target(sf.File+"."+sf.Name+".go", []byte(doc)))
		wants = append(wants, want{sf.File, [2]int{start, end}, m.SrcLines})
	}
	found := func(opts Options) (n int, res []Result) {
		res, err := Match(context.Background(), db, targets, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			for _, f := range r.Findings {
				if f.Source.Path == wants[i].rel && within(f.Lines, wants[i].lines[0], wants[i].lines[1], 2) &&
					within(f.Source.Lines, wants[i].slines[0], wants[i].slines[1], 2) {
					n++
					break
				}
			}
		}
		return n, res
	}
	without, _ := found(Options{})
	if again, _ := found(Options{}); again != without {
		t.Fatalf("nondeterministic: %d then %d", without, again)
	}
	with, res := found(Options{SourceText: gorootText})
	t.Logf("%d small renamed copies: %d found without the source's text, %d with it", len(targets), without, with)
	if with <= without || with < len(targets)/2 {
		t.Errorf("the source's text found %d of %d copies, %d without it", with, len(targets), without)
	}
	// No finding elsewhere in the host file.
	for i, r := range res {
		for _, f := range r.Findings {
			if f.Lines[1] < wants[i].lines[0]-2 || f.Lines[0] > wants[i].lines[1]+2 {
				t.Errorf("%s: a finding outside the copy: lines %v from %s %v", r.Path, f.Lines, f.Source.Path, f.Source.Lines)
			}
		}
	}

	// A source that changed since indexing is not used.
	changed := func(f *corpus.FileInfo) []byte { return append(gorootText(f), "\n// changed\n"...) }
	if n, _ := found(Options{SourceText: changed}); n != without {
		t.Errorf("a changed source's text was used: %d found, %d without text", n, without)
	}
}

// TestSourceTextNoFindings repeats TestNoFindings with the source's text:
// the weak regions of the project's own files and of idioms stay
// unconfirmed.
func TestSourceTextNoFindings(t *testing.T) {
	noFindings(t, Options{SourceText: gorootText})
}

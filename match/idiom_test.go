package match

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/eval/mutate"
)

// funcOf returns the named function of a GOROOT file as mutate sees it.
func funcOf(t *testing.T, rel, name string) mutate.Func {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", rel))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := mutate.Funcs(rel, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("%s has no function %s", rel, name)
	return mutate.Func{}
}

// pasted matches code pasted into the host file against db with the
// source's text and returns the findings that overlap it.
func pasted(t *testing.T, db Index, name, code string) []Finding {
	t.Helper()
	head, tail := host(t)
	code = strings.TrimRight(code, "\n")
	doc := head + "\n" + code + "\n" + tail
	start := lineOf(doc, len(head)+1)
	end := start + strings.Count(code, "\n")
	res, err := Match(context.Background(), db, []Target{target(name, []byte(doc))}, Options{SourceText: gorootText})
	if err != nil {
		t.Fatal(err)
	}
	var out []Finding
	for _, f := range res[0].Findings {
		if f.Lines[0] <= end && f.Lines[1] >= start {
			out = append(out, f)
		}
	}
	return out
}

// mutated returns mutation kind of f's code.
func mutated(t *testing.T, f mutate.Func, kind string) string {
	t.Helper()
	m, err := mutate.Apply(f, kind, 1)
	if err != nil {
		t.Fatalf("%s %s: %v", kind, f.Name, err)
	}
	return m.Code
}

// TestSingleLoops pastes copies of GOROOT's single-loop functions of
// fewer than weakMinLinesVerbatim lines (a loop and a return, say): a
// renamed copy keeps nothing of its source but the shape, which is
// everybody's way to write the loop, and gives no finding; the verbatim
// copy is found.
func TestSingleLoops(t *testing.T) {
	db := testCorpus(t)
	fp, err := fingerprint.New(fingerprint.Params{})
	if err != nil {
		t.Fatal(err)
	}
	var loops []mutate.Func
	for _, f := range funcsOf(t, corpusDirs, 8, weakMinLinesVerbatim-1) {
		toks := fp.Tokens(fingerprint.Go, f.Src[f.Start:f.End])
		if codeLines(toks) >= DefaultMinLines && singleLoop(toks, splitLines(toks), fingerprint.Go) {
			loops = append(loops, f)
		}
	}
	if len(loops) < 5 {
		t.Fatalf("%d single-loop functions of 8 to %d lines in the test corpus", len(loops), weakMinLinesVerbatim-1)
	}
	renamed, verbatim := 0, 0
	for _, f := range loops {
		if fs := pasted(t, db, "loop.go", mutated(t, f, mutate.Verbatim)); slices.ContainsFunc(fs, func(x Finding) bool { return x.Source.Path == f.File }) {
			verbatim++
		}
		for _, x := range pasted(t, db, "loop.go", mutated(t, f, mutate.Renamed)) {
			renamed++
			t.Errorf("renamed %s (%s): a finding from %s %v", f.Name, f.File, x.Source.Path, x.Source.Lines)
		}
	}
	// Small copies of fewer than weakMinLinesVerbatim lines are found on
	// their fingerprints alone or not at all: 15 of 26 verbatim copies
	// (the same before the rule).
	t.Logf("%d single-loop functions: %d verbatim copies found, %d findings on renamed ones", len(loops), verbatim, renamed)
	if verbatim < len(loops)/2 {
		t.Errorf("%d of %d verbatim copies found", verbatim, len(loops))
	}
}

// TestEnumerations pastes, with names of our own, enumerations of GOROOT:
// the check function stringer wrote into cmd/compile/internal/syntax
// (_ = x[Def-1], _ = x[Not-2], ...: lines told apart by their names) and
// internal/byteorder's LEPutUint64 (b[0] = byte(v), b[1] = byte(v >> 8),
// ...: lines told apart by their literals alone, as ulikunitz/xz's
// putUint64LE writes them too). They have the source's shape and values,
// and give no finding; as they are, they are found.
func TestEnumerations(t *testing.T) {
	db, err := buildCorpus(filepath.Join(t.TempDir(), "enum.db"), []string{"internal/byteorder", "cmd/compile/internal/syntax"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stringer := funcOf(t, "cmd/compile/internal/syntax/operator_string.go", "_")
	for _, tc := range []struct {
		name, rel, code, ours string
	}{
		{"stringer's check", stringer.File, mutated(t, stringer, mutate.Verbatim),
			regexp.MustCompile(`x\[(\w+)-`).ReplaceAllString(mutated(t, stringer, mutate.Verbatim), "x[Our$1-")},
		{"LEPutUint64", "internal/byteorder/byteorder.go", mutated(t, funcOf(t, "internal/byteorder/byteorder.go", "LEPutUint64"), mutate.Verbatim),
			mutated(t, funcOf(t, "internal/byteorder/byteorder.go", "LEPutUint64"), mutate.Renamed)},
	} {
		for _, f := range pasted(t, db, "enum.go", tc.ours) {
			t.Errorf("%s with names of our own: a finding from %s %v (matched %.2f, exact %.2f)", tc.name, f.Source.Path, f.Source.Lines, f.Matched, f.Exact)
		}
		if fs := pasted(t, db, "enum.go", tc.code); !slices.ContainsFunc(fs, func(f Finding) bool { return f.Source.Path == tc.rel }) {
			t.Errorf("%s as it is: not found (%+v)", tc.name, fs)
		}
	}
}

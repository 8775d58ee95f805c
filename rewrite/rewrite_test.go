package rewrite_test

import (
	"bytes"
	"context"
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/eval/mutate"
	"github.com/snipscan/snipscan/rewrite"
)

func goroot(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(build.Default.GOROOT, "src", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("GOROOT sources missing: %v", err)
	}
	return p
}

func TestExtractSpansAndDoc(t *testing.T) {
	p := goroot(t, "strings/replace.go")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	units, err := rewrite.Extract(p, src, rewrite.Options{Helpers: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(units) == 0 {
		t.Fatal("no units in strings/replace.go")
	}
	for _, u := range units {
		if u.Stmts < rewrite.DefaultMinStmts || len(u.Bag) == 0 || u.Line > u.FuncLine || u.EndLine < u.FuncEndLine {
			t.Errorf("%s: bad unit %+v", u.Name, u)
		}
		if b := src[u.Off:u.End]; b[len(b)-1] != '}' || bytes.Count(b, []byte("\n"))+1 != u.EndLine-u.Line+1 || u.Off > 0 && src[u.Off-1] != '\n' {
			t.Errorf("%s: bytes %d-%d do not span lines %d-%d", u.Name, u.Off, u.End, u.Line, u.EndLine)
		}
		if u.FuncLine > 1 && len(u.Helpers) == 0 {
			// The line above a unit is not a // comment: the doc comment is included.
			lines := splitLines(src)
			if prev := lines[u.FuncLine-2]; len(prev) >= 2 && prev[:2] == "//" {
				t.Errorf("%s: starts at %d below its doc comment", u.Name, u.FuncLine)
			}
		}
	}
}

func splitLines(b []byte) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == '\n' {
			out = append(out, string(b[start:i]))
			start = i + 1
		}
	}
	return append(out, string(b[start:]))
}

// TestRenamingKeepsFeatures: renaming locals changes no feature.
func TestRenamingKeepsFeatures(t *testing.T) {
	p := goroot(t, "strings/strings.go")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fns, err := mutate.Funcs(p, src)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range fns {
		res, err := mutate.Apply(f, mutate.Renamed, 1)
		if err != nil {
			continue
		}
		orig := unitOf(t, string(src[f.Start:f.End]))
		ren := unitOf(t, res.Code)
		if orig == nil || ren == nil {
			continue
		}
		checked++
		if !equal(orig.Bag, ren.Bag) {
			t.Errorf("%s: renaming changed the features (%d -> %d)", f.Name, len(orig.Bag), len(ren.Bag))
		}
	}
	if checked < 10 {
		t.Fatalf("only %d functions checked", checked)
	}
}

func unitOf(t *testing.T, code string) *rewrite.Unit {
	t.Helper()
	us, err := rewrite.Extract("x.go", []byte("package strings\n\nimport (\n\"unicode\"\n\"unicode/utf8\"\n\"internal/bytealg\"\n\"internal/stringslite\"\n\"math/bits\"\n)\n\n"+code+"\n"), rewrite.Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, code)
	}
	if len(us) != 1 {
		return nil
	}
	return &us[0]
}

func equal(a, b rewrite.Bag) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFindRewrite indexes GOROOT's strings and bytes packages and finds
// rewrites of their functions, attributed to the right function.
func TestFindRewrite(t *testing.T) {
	dir := goroot(t, "strings")
	ctx := context.Background()
	db, err := corpus.Open(filepath.Join(t.TempDir(), "c.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(ctx, db, []string{dir, goroot(t, "bytes")}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	fd, err := rewrite.NewFinder(db, rewrite.FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "replace.go")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fns, err := mutate.Funcs(p, src)
	if err != nil {
		t.Fatal(err)
	}
	tried, found, named := 0, 0, 0
	for i, f := range fns {
		if f.EndLine-f.Line < 12 {
			continue
		}
		res, err := mutate.Rewrite(f, uint64(i))
		if err != nil {
			continue
		}
		tried++
		us, err := rewrite.Extract("t.go", []byte("package p\n\n"+res.Code+"\n"), rewrite.Options{Helpers: true, Evidence: true})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		ms, err := fd.Find(ctx, us)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Source.FuncLine <= f.Line && f.Line <= m.Source.FuncEndLine {
				found++
				if m.Confidence <= 0 || m.Similarity <= 0 {
					t.Errorf("%s: similarity %.2f confidence %.2f", f.Name, m.Similarity, m.Confidence)
				}
				// The evidence is in the words of both functions' code.
				ev := m.Evidence()
				if len(ev) > len(m.Shared) {
					t.Errorf("%s: evidence %q of %d shared features", f.Name, ev, len(m.Shared))
				}
				named += len(ev)
				for _, w := range ev {
					if word := strings.Trim(w, ".()"); !strings.Contains(res.Code, lastPart(word)) {
						t.Errorf("%s: evidence %q not in the rewrite", f.Name, w)
					}
				}
				break
			}
		}
	}
	if tried < 3 || found*2 < tried {
		t.Errorf("found %d of %d rewrites of strings/replace.go's functions", found, tried)
	}
	if named == 0 {
		t.Error("no evidence named")
	}
	t.Logf("found %d of %d, %d pieces of evidence named", found, tried, named)
}

// lastPart is what follows the last dot of an evidence word
// ("strings.Cut" gives "Cut"), or the word.
func lastPart(w string) string {
	if i := strings.LastIndexByte(w, '.'); i >= 0 && !strings.HasPrefix(w, "\"") {
		return w[i+1:]
	}
	return w
}

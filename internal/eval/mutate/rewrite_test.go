package mutate

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestRewrite rewrites GOROOT functions: the result is deterministic by
// seed, parses, and differs from the original.
func TestRewrite(t *testing.T) {
	p := filepath.Join(runtime.GOROOT(), "src", "strings", "replace.go")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("GOROOT sources missing: %v", err)
	}
	fns, err := Funcs(p, src)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for i, f := range fns {
		res, err := Rewrite(f, uint64(i))
		if errors.Is(err, ErrNotApplicable) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		again, _ := Rewrite(f, uint64(i))
		if again.Code != res.Code {
			t.Errorf("%s: not deterministic", f.Name)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+res.Code, 0); err != nil {
			t.Errorf("%s: %v\n%s", f.Name, err, res.Code)
		}
		if res.Applied == "" {
			t.Errorf("%s: no transformation named", f.Name)
		}
		if res.Code == string(src[f.Start:f.End]) {
			t.Errorf("%s: unchanged", f.Name)
		}
		done++
	}
	if done < 5 {
		t.Errorf("only %d functions rewritten", done)
	}
}

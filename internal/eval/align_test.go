package eval

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestNormLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"\tif err != nil { // check", "if I != I { "},
		{`x := "a // b" + y`, "I := S + I "},
		{"for i := range xs {", "for I := range I { "},
		{"   ", ""},
	} {
		if got, _ := NormLine(tt.in); got != tt.want {
			t.Errorf("NormLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLongestRun(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "bufio", "scan.go"))
	if err != nil {
		t.Skip(err)
	}
	src := string(data)
	// A renamed, re-indented copy of the whole file aligns line for line.
	renamed := strings.NewReplacer("\t", "    ", "token", "tk", "advance", "adv", "buf", "b0").Replace(src)
	run := LongestRun("package x\n\nvar pad = 1\n"+renamed, 0, 0, src, 0, 0)
	if run.Lines < 100 || !run.Normalized {
		t.Errorf("renamed copy: run %+v, want a long normalized run", run)
	}
	if run.A[0] != run.B[0]+3 {
		t.Errorf("run starts at %d in the copy and %d in the original; want an offset of 3", run.A[0], run.B[0])
	}
	// Verbatim text is not marked normalized.
	if v := LongestRun(src, 0, 0, src, 0, 0); v.Normalized || v.Lines < 100 {
		t.Errorf("identical texts: %+v", v)
	}
	// Two unrelated files share only short runs.
	other, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "container", "list", "list.go"))
	if err != nil {
		t.Skip(err)
	}
	if u := LongestRun(src, 0, 0, string(other), 0, 0); u.Lines >= ConfirmLines {
		t.Errorf("unrelated files share %d lines: %+v", u.Lines, u)
	}
}

package eval

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/eval/mutate"
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

// TestTwinScored scores a copy of encoding/json's v2_indent.go
// appendHTMLEscape (lines 26-45) reported from its twin in indent.go
// (lines 21-39, without the const line): the twin holds the code, and its
// reported lines are judged against where it holds it. Named as an
// alternate beside the right file, the right file is judged.
func TestTwinScored(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(runtime.GOROOT(), "src", "encoding", "json")
	v2, twin := filepath.Join(dir, "v2_indent.go"), filepath.Join(dir, "indent.go")
	for _, p := range []string{v2, twin} {
		if _, err := os.Stat(p); err != nil {
			t.Skip(err)
		}
	}
	c := &Case{ID: "x", Class: mutate.Verbatim, Target: "/t/x.go", TLines: [2]int{741, 760}, Source: v2, SLines: [2]int{26, 45}}
	set := &Set{Cases: []*Case{c}}
	for name, f := range map[string]Finding{
		"twin as origin":    {Target: c.Target, TLines: c.TLines, Source: twin, SLines: [2]int{21, 39}},
		"twin, then source": {Target: c.Target, TLines: c.TLines, Source: twin, SLines: [2]int{21, 39}, Alternates: []Finding{{Source: v2, SLines: [2]int{26, 45}}}},
	} {
		if s := Evaluate("t", set, []Finding{f}, false); s.Total.Found != 1 {
			t.Errorf("%s: not found (missed %v)", name, s.Missed)
		}
	}
	// The twin's lines off by 6 are off.
	off := Finding{Target: c.Target, TLines: c.TLines, Source: twin, SLines: [2]int{27, 45}}
	if s := Evaluate("t", set, []Finding{off}, false); s.Total.Found != 0 {
		t.Errorf("a twin range 6 lines off counts as found")
	}
}

// TestRegions aligns a real file with a copy of it whose middle code line
// is replaced by another: the regions are the two unchanged parts, each
// at the same lines on both sides.
func TestRegions(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "bufio", "scan.go"))
	if err != nil {
		t.Skip(err)
	}
	src := strings.Split(string(data), "\n")
	mid := len(src) / 2
	for strings.TrimSpace(src[mid]) == "" || strings.HasPrefix(strings.TrimSpace(src[mid]), "//") {
		mid++
	}
	cp := append([]string{}, src[:mid]...)
	cp = append(cp, "\tpanic(0x7e57) + unrelated(1, 2, 3)")
	cp = append(cp, src[mid+1:]...)
	regs := Regions(strings.Join(cp, "\n"), string(data), 8)
	if len(regs) != 2 {
		t.Fatalf("%d regions %+v, want 2", len(regs), regs)
	}
	if regs[0].A != regs[0].B || regs[1].A != regs[1].B {
		t.Errorf("regions %+v: want the same lines on both sides", regs)
	}
	if regs[0].A[1] >= mid+1 || regs[1].A[0] <= mid+1 || regs[0].Normalized || regs[1].Normalized {
		t.Errorf("regions %+v: want them on either side of line %d, verbatim", regs, mid+1)
	}
	code := CodeLines(string(data))
	if got := regs[0].Lines + regs[1].Lines; got != len(code)-1 {
		t.Errorf("regions hold %d lines, want every code line but the edited one (%d)", got, len(code)-1)
	}
	if none := Regions("package a\n\nvar x = 1\n", string(data), 8); len(none) != 0 {
		t.Errorf("unrelated text: regions %+v", none)
	}
	// Imports, and lists of names (abstracted alike), are no region.
	imports := "package a\n\nimport (\n" + strings.Repeat("\t\"x/y\"\n", 12) + ")\n"
	names := "package a\n\nconst (\n" + strings.Repeat("\tA\n", 12) + ")\n"
	other := "package b\n\nimport (\n" + strings.Repeat("\t\"z\"\n", 12) + ")\n\nconst (\n" + strings.Repeat("\tB\n", 12) + ")\n"
	if none := Regions(imports+names[len("package a\n"):], other, 8); len(none) != 0 {
		t.Errorf("imports and names: regions %+v", none)
	}
}

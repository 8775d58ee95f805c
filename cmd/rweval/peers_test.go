package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/eval"
	"github.com/snipscan/snipscan/rewrite"
)

func TestParsePeers(t *testing.T) {
	ps, err := parsePeers("default")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	if want := defaultPeers; slices.Compare(got, strings.Split(want, ",")) != 0 {
		t.Errorf("parsePeers(default) = %q, want %q", got, want)
	}
	for _, bad := range []string{"sim_c 24", "sim_c -r x", "jscpd -r 50", "nicad -r 8", "sim_c -r 8 -e"} {
		if _, err := parsePeers(bad); err == nil {
			t.Errorf("parsePeers(%q): no error", bad)
		}
	}
}

// TestPeerScorer scores pairs of line ranges, as a peer tool reports
// them, on copies of GOROOT's strings.go: a rewrite is found through its
// function or a copy of it, not through the imports or another function;
// an unrelated function is flagged when a range overlaps it, as a
// genuine copy when its file names the Go Authors.
func TestPeerScorer(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "strings", "strings.go"))
	if err != nil {
		t.Fatal(err)
	}
	us, err := rewrite.Extract("strings.go", src, rewrite.Options{MinStmts: 1})
	if err != nil {
		t.Fatal(err)
	}
	unit := func(name string) rewrite.Unit {
		for _, u := range us {
			if u.Name == name {
				return u
			}
		}
		t.Fatalf("no function %s in strings.go", name)
		return rewrite.Unit{}
	}
	fields, join := unit("Fields"), unit("Join")
	if fields.Stmts < minQueryStmts {
		t.Fatalf("Fields has %d statements, want a scanned function", fields.Stmts)
	}

	dir := t.TempDir()
	root := filepath.Join(dir, "corpus")
	mod := filepath.Join(dir, "mod", "example.com", "m@v1.0.0")
	notGo := bytes.ReplaceAll(src, []byte("The Go Authors"), []byte("Someone Else"))
	for p, b := range map[string][]byte{
		filepath.Join(root, "a", "strings.go"): src,
		filepath.Join(root, "b", "strings.go"): src, // a copy in the corpus
		filepath.Join(mod, "x.go"):             notGo,
		filepath.Join(mod, "y.go"):             src, // names the Go Authors
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rw := []rewritten{
		{rel: "a/strings.go", funcLine: fields.FuncLine, funcEndLine: fields.FuncEndLine, bag: fields.Bag, codeLine: 10, codeEnd: 60},
		{rel: "a/strings.go", funcLine: join.FuncLine, funcEndLine: join.FuncEndLine, bag: join.Bag, codeLine: 10, codeEnd: 40, heldOut: true},
		{rel: "a/strings.go", funcLine: join.FuncLine, funcEndLine: join.FuncEndLine, bag: join.Bag, codeLine: 10, codeEnd: 40, heldOut: true},
	}
	rwFile := map[string]int{"/rw/r0000.go": 0, "/rw/r0001.go": 1, "/rw/r0002.go": 2}
	sp := span{fields.FuncLine, fields.FuncEndLine, "Fields"}
	files := map[string]*peerFile{
		filepath.Join(mod, "x.go"): {spans: []span{sp}},
		filepath.Join(mod, "y.go"): {spans: []span{sp}},
	}
	s := newPeerScorer(root, rw, rwFile, files, map[string][]rewrite.Unit{})
	a, b := filepath.Join(root, "a", "strings.go"), filepath.Join(root, "b", "strings.go")
	in := func(u rewrite.Unit) [2]int { return [2]int{u.FuncLine + 1, u.FuncLine + 5} }
	for _, p := range []eval.Pair{
		{Target: "/rw/r0000.go", TLines: [2]int{1, 9}, Source: a, SLines: in(fields)},   // the imports: neither
		{Target: "/rw/r0001.go", TLines: [2]int{12, 20}, Source: a, SLines: in(fields)}, // another function
		{Target: "/rw/r0002.go", TLines: [2]int{12, 20}, Source: b, SLines: in(join)},   // a copy of the function
		{Target: "/rw/r0000.go", TLines: [2]int{30, 40}, Source: a, SLines: in(fields)}, // the function
		{Target: filepath.Join(mod, "x.go"), TLines: [2]int{fields.FuncEndLine - 2, fields.FuncEndLine + 8}, Source: a, SLines: [2]int{1, 10}},
		{Target: filepath.Join(mod, "y.go"), TLines: [2]int{fields.FuncLine - 9, fields.FuncLine}, Source: a, SLines: [2]int{1, 10}},
		{Target: filepath.Join(mod, "y.go"), TLines: [2]int{1, 5}, Source: a, SLines: [2]int{1, 5}}, // no function
	} {
		s.add(p)
	}
	if !s.found[0] || s.found[1] || !s.elsewhere[1] || !s.found[2] {
		t.Errorf("found %v, elsewhere %v; want [true false true], [false true false]", s.found, s.elsewhere)
	}
	if s.origin(&s.rw[2], b, in(fields)) {
		t.Error("Fields of a copy of strings.go taken for Join")
	}
	sets := []unrelatedSet{{dir: filepath.Join(dir, "mod"), funcs: 200, scanned: 40}}
	re := &reimpls{list: []reimpl{{suffix: "example.com/m@v1.0.0/x.go", name: "Fields"}, {suffix: "example.com/m@v1.0.0/z.go", name: "Fields"}}}
	p := s.point(sets, &knownCopies{goFile: map[string]bool{}}, re)
	if p.found != [2]int{1, 1} || p.elsewhere != [2]int{0, 1} || p.tried != [2]int{1, 2} {
		t.Errorf("found %v, elsewhere %v, tried %v; want [1 1], [0 1], [1 2]", p.found, p.elsewhere, p.tried)
	}
	if p.only != [2]int{1, 1} || p.snipOnly != [2]int{0, 0} {
		t.Errorf("found by the tool only %v, by snipscan only %v; want [1 1], [0 0]", p.only, p.snipOnly)
	}
	if p.flags != [2]int{0, 1} || p.copies != [2]int{0, 1} || p.funcs != [2]int{0, 200} || p.scans != [2]int{0, 40} {
		t.Errorf("flags %v, copies %v, funcs %v, scanned %v; want [0 1], [0 1], [0 200], [0 40]", p.flags, p.copies, p.funcs, p.scans)
	}
	if len(p.reimpls) != 1 || p.reScanned != 1 {
		t.Errorf("reimplementations flagged %v of %d scanned, want x.go's Fields of 1", p.reimpls, p.reScanned)
	}
	if p.pairs != 7 {
		t.Errorf("%d pairs, want 7", p.pairs)
	}
}

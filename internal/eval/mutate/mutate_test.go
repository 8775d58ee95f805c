package mutate

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// corpusPkgs are the GOROOT packages the tests mutate.
var corpusPkgs = []string{
	"bufio", "strings", "sort", "container/list", "encoding/csv",
	"text/tabwriter", "net/url", "go/scanner",
}

// pkgFiles returns the non-test Go files of a GOROOT package for this
// platform.
func pkgFiles(t testing.TB, pkg string) []string {
	t.Helper()
	dir := filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(pkg))
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		t.Skipf("GOROOT package %s: %v", pkg, err)
	}
	var out []string
	for _, f := range bp.GoFiles {
		out = append(out, filepath.Join(dir, f))
	}
	return out
}

// loadFuncs returns the functions of at least minLines lines in pkgs.
func loadFuncs(t testing.TB, pkgs []string, minLines int) []Func {
	t.Helper()
	var out []Func
	for _, pkg := range pkgs {
		for _, file := range pkgFiles(t, pkg) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := Funcs(file, src)
			if err != nil {
				t.Fatalf("Funcs(%s): %v", file, err)
			}
			for _, f := range fs {
				if f.EndLine-f.Line+1 >= minLines {
					out = append(out, f)
				}
			}
		}
	}
	if len(out) == 0 {
		t.Skip("no GOROOT functions found")
	}
	return out
}

type stok struct {
	tok token.Token
	lit string
}

// scanCode returns the tokens of src without semicolons and comments.
func scanCode(t testing.TB, src string) []stok {
	t.Helper()
	var s scanner.Scanner
	fset := token.NewFileSet()
	var errs []string
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), func(pos token.Position, msg string) {
		errs = append(errs, pos.String()+": "+msg)
	}, 0)
	var out []stok
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON {
			continue
		}
		if lit == "" {
			lit = tok.String()
		}
		out = append(out, stok{tok, lit})
	}
	if len(errs) > 0 {
		t.Fatalf("scanning: %v", errs)
	}
	return out
}

func parseCode(code string) (*token.FileSet, *ast.File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package p\n"+code, parser.ParseComments)
	return fset, f, err
}

func orig(f Func) string { return string(f.Src[f.Start:f.End]) }

// leafStmts returns the printed simple statements (those containing no
// other statement) of n.
func leafStmts(fset *token.FileSet, n ast.Node) []string {
	var out []string
	ast.Inspect(n, func(x ast.Node) bool {
		s, ok := x.(ast.Stmt)
		if !ok {
			return true
		}
		leaf := true
		ast.Inspect(s, func(y ast.Node) bool {
			if _, isStmt := y.(ast.Stmt); isStmt && y != s {
				leaf = false
			}
			return leaf
		})
		if leaf {
			if ds, ok := s.(*ast.DeclStmt); ok {
				ds.Decl.(*ast.GenDecl).Doc = nil // printed with the declaration otherwise
			}
			var b bytes.Buffer
			printer.Fprint(&b, fset, s)
			out = append(out, b.String())
		}
		return true
	})
	slices.Sort(out)
	return out
}

// commentTexts returns the comments of a file, trimmed of markers.
func commentTexts(f *ast.File) []string {
	var out []string
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			s := strings.TrimPrefix(c.Text, "//")
			s = strings.TrimSuffix(strings.TrimPrefix(s, "/*"), "*/")
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// checkResult checks what every result of kind must satisfy.
func checkResult(t *testing.T, f Func, kind string, seed uint64, r Result) {
	t.Helper()
	where := fmt.Sprintf("%s:%d %s %s seed %d", filepath.Base(f.File), f.Line, f.Name, kind, seed)
	fset, file, err := parseCode(r.Code)
	if err != nil {
		t.Errorf("%s: result does not parse: %v\n%s", where, err, r.Code)
		return
	}
	if r.SrcLines[0] < f.Line || r.SrcLines[1] > f.EndLine || r.SrcLines[0] > r.SrcLines[1] {
		t.Errorf("%s: SrcLines %v outside [%d,%d]", where, r.SrcLines, f.Line, f.EndLine)
	}
	if kind == Verbatim {
		if r.Code != orig(f) {
			t.Errorf("%s: verbatim changed the code", where)
		}
		return
	}
	if strings.TrimSpace(r.Code) == strings.TrimSpace(orig(f)) {
		t.Errorf("%s: result equals the original", where)
	}
	_, ofile, err := parseCode(orig(f))
	if err != nil {
		t.Fatalf("%s: original does not parse: %v", where, err)
	}
	switch kind {
	case Renamed:
		a, b := scanCode(t, orig(f)), scanCode(t, r.Code)
		if len(a) != len(b) {
			t.Errorf("%s: %d tokens, want %d", where, len(b), len(a))
			return
		}
		fileIdents := map[string]bool{}
		for _, tk := range scanCode(t, string(f.Src)) {
			if tk.tok == token.IDENT {
				fileIdents[tk.lit] = true
			}
		}
		fwd, back := map[string]string{}, map[string]string{}
		changed := 0
		for i := range a {
			if a[i].tok != b[i].tok || a[i].tok != token.IDENT && a[i].lit != b[i].lit {
				t.Errorf("%s: token %d is %v, want %v", where, i, b[i], a[i])
				return
			}
			if a[i].tok != token.IDENT || a[i].lit == b[i].lit {
				continue
			}
			changed++
			if fileIdents[b[i].lit] {
				t.Errorf("%s: new name %s is not fresh", where, b[i].lit)
			}
			if n, ok := fwd[a[i].lit]; ok && n != b[i].lit {
				t.Errorf("%s: %s renamed to both %s and %s", where, a[i].lit, n, b[i].lit)
			}
			if o, ok := back[b[i].lit]; ok && o != a[i].lit {
				t.Errorf("%s: %s and %s both renamed to %s", where, o, a[i].lit, b[i].lit)
			}
			fwd[a[i].lit], back[b[i].lit] = b[i].lit, a[i].lit
		}
		if changed == 0 {
			t.Errorf("%s: nothing renamed", where)
		}
	case Comments:
		mine := map[string]bool{"nothing to do here": true}
		for _, ps := range phrases {
			for _, p := range ps {
				mine[p] = true
			}
		}
		got := commentTexts(file)
		if len(got) == 0 {
			t.Errorf("%s: no comment inserted", where)
		}
		for _, c := range got {
			if !mine[c] {
				t.Errorf("%s: comment %q is not ours", where, c)
			}
		}
		for _, oc := range commentTexts(ofile) {
			if oc != "" && slices.Contains(got, oc) {
				t.Errorf("%s: original comment %q left", where, oc)
			}
		}
		if !slices.Equal(scanCode(t, orig(f)), scanCode(t, r.Code)) {
			t.Errorf("%s: tokens changed", where)
		}
	case Reformatted:
		if !slices.Equal(scanCode(t, orig(f)), scanCode(t, r.Code)) {
			t.Errorf("%s: tokens changed\n%s", where, r.Code)
		}
		if !strings.Contains(r.Code, "\n  ") {
			t.Errorf("%s: not indented with spaces", where)
		}
	case Reordered:
		ofset, ofile, _ := parseCode(orig(f))
		if !slices.Equal(leafStmts(ofset, ofile), leafStmts(fset, file)) {
			t.Errorf("%s: statements changed\n%s", where, r.Code)
		}
		a, b := scanCode(t, orig(f)), scanCode(t, r.Code)
		cmp := func(x, y stok) int { return strings.Compare(x.tok.String()+x.lit, y.tok.String()+y.lit) }
		slices.SortFunc(a, cmp)
		slices.SortFunc(b, cmp)
		if !slices.Equal(a, b) {
			t.Errorf("%s: tokens changed", where)
		}
	case Partial:
		if len(file.Decls) != 1 {
			t.Errorf("%s: %d declarations", where, len(file.Decls))
		}
	case Split:
		if len(file.Decls) != 2 {
			t.Errorf("%s: %d declarations, want 2", where, len(file.Decls))
			return
		}
		second := file.Decls[1].(*ast.FuncDecl).Name.Name
		calls := false
		ast.Inspect(file.Decls[0], func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == second {
				calls = true
			}
			return true
		})
		if !calls {
			t.Errorf("%s: first function does not call %s", where, second)
		}
	case Merged:
		ofset, ofile, _ := parseCode(orig(f))
		want := leafStmts(ofset, ofile.Decls[0].(*ast.FuncDecl).Body)
		got := leafStmts(fset, file)
		for _, s := range want {
			if !slices.Contains(got, s) {
				t.Errorf("%s: statement %q lost", where, s)
				break
			}
		}
		if len(got) <= len(want) {
			t.Errorf("%s: no statements of its own", where)
		}
	case LoopForm:
		if !strings.Contains(r.Code, "range") && !strings.Contains(r.Code, "++") {
			t.Errorf("%s: no loop", where)
		}
	}
}

// TestKinds applies every kind with three seeds to every function of at
// least 8 lines in corpusPkgs.
func TestKinds(t *testing.T) {
	funcs := loadFuncs(t, corpusPkgs, 8)
	applied := map[string]int{}
	for _, f := range funcs {
		for _, kind := range Kinds() {
			ok := false
			for seed := uint64(1); seed <= 3; seed++ {
				r, err := Apply(f, kind, seed)
				if errors.Is(err, ErrNotApplicable) {
					continue
				}
				if err != nil {
					t.Errorf("%s:%d %s %s: %v", filepath.Base(f.File), f.Line, f.Name, kind, err)
					continue
				}
				ok = true
				checkResult(t, f, kind, seed, r)
			}
			if ok {
				applied[kind]++
			}
		}
	}
	t.Logf("%d functions of 8+ lines in %v", len(funcs), corpusPkgs)
	for _, kind := range Kinds() {
		t.Logf("%-12s applies to %4d (%3.0f%%)", kind, applied[kind], 100*float64(applied[kind])/float64(len(funcs)))
	}
	for _, kind := range []string{Verbatim, Renamed, Comments, Reformatted, Reordered, Partial, Split, Merged} {
		if rate := float64(applied[kind]) / float64(len(funcs)); rate < 0.3 {
			t.Errorf("%s applies to only %.0f%% of functions", kind, 100*rate)
		}
	}
}

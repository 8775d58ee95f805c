package mutate

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
		ofset, ofile, _ := parseCode(orig(f))
		all := leafStmts(ofset, ofile)
		for _, s := range leafStmts(fset, file) {
			if !slices.Contains(all, s) {
				t.Errorf("%s: statement %q is not from the original", where, s)
			}
		}
		// The first half also counts from the original's header.
		switch first := r.SrcLines[0] == firstStmtLine(f); {
		case first && (r.BodySrcLines != [2]int{f.Line, r.SrcLines[1]} || r.BodyLines != [2]int{1, strings.Count(strings.TrimRight(r.Code, "\n"), "\n") + 1}):
			t.Errorf("%s: first half from %v, the other answer %v from %v, want all of the code from %d-%d", where, r.SrcLines, r.BodyLines, r.BodySrcLines, f.Line, r.SrcLines[1])
		case !first && r.BodySrcLines != [2]int{}:
			t.Errorf("%s: second half from %v, the other answer %v, want none", where, r.SrcLines, r.BodySrcLines)
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
		ofset, ofile, _ := parseCode(orig(f))
		got := leafStmts(fset, file)
		for _, s := range leafStmts(ofset, ofile) {
			if !slices.Contains(got, s) {
				t.Errorf("%s: statement %q lost", where, s)
			}
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

// replaceIdent replaces every identifier old in code with new.
func replaceIdent(t testing.TB, code, old, new string) string {
	t.Helper()
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	s.Init(file, []byte(code), nil, scanner.ScanComments)
	var edits []edit
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.IDENT && lit == old {
			o := file.Offset(pos)
			edits = append(edits, edit{o, o + len(old), new})
		}
	}
	out, err := applyEdits([]byte(code), edits)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mutateFile replaces every function of a file with its mutation of
// kind, renamed so that the file still compiles: Renamed gets the
// function's name back and the second halves from Split get unique names.
func mutateFile(t *testing.T, file string, src []byte, kind string, seed uint64, unique *int) []byte {
	t.Helper()
	funcs, err := Funcs(file, src)
	if err != nil {
		t.Fatal(err)
	}
	var edits []edit
	for _, f := range funcs {
		r, err := Apply(f, kind, seed)
		if errors.Is(err, ErrNotApplicable) {
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", f.Name, kind, err)
			continue
		}
		code := r.Code
		_, pf, err := parseCode(code)
		if err != nil {
			t.Errorf("%s %s: %v", f.Name, kind, err)
			continue
		}
		switch kind {
		case Renamed:
			code = replaceIdent(t, code, pf.Decls[0].(*ast.FuncDecl).Name.Name, f.Name)
		case Split:
			*unique++
			second := pf.Decls[1].(*ast.FuncDecl).Name.Name
			code = replaceIdent(t, code, second, fmt.Sprintf("%s_%d", second, *unique))
		}
		edits = append(edits, edit{f.Start, f.End, code})
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// TestTypeCheck puts the result of every kind that should keep code
// compiling in place of every function of a few GOROOT packages and
// type-checks the packages.
func TestTypeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks GOROOT packages")
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	kinds := []string{Verbatim, Renamed, Comments, Reformatted, Reordered, Split, LoopForm}
	pkgs := corpusPkgs
	if extra := os.Getenv("MUTATE_TYPECHECK"); extra != "" {
		pkgs = strings.Fields(extra)
	}
	for _, pkg := range pkgs {
		files := pkgFiles(t, pkg)
		for _, kind := range kinds {
			for seed := uint64(1); seed <= 2; seed++ {
				var parsed []*ast.File
				unique := 0
				for _, file := range files {
					src, err := os.ReadFile(file)
					if err != nil {
						t.Fatal(err)
					}
					out := mutateFile(t, file, src, kind, seed, &unique)
					pf, err := parser.ParseFile(fset, file, out, parser.ParseComments)
					if err != nil {
						t.Errorf("%s %s: %v", pkg, kind, err)
						continue
					}
					parsed = append(parsed, pf)
				}
				var errs []string
				conf := types.Config{Importer: imp, Error: func(err error) { errs = append(errs, err.Error()) }}
				conf.Check(pkg, fset, parsed, nil)
				for _, e := range errs {
					t.Errorf("%s %s seed %d: %s", pkg, kind, seed, e)
				}
			}
		}
	}
}

const sample = `package p

import "strings"

// Sum adds up xs.
func Sum(xs []int) int {
	s := 0 // the total
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}

func show(xs []string) {
	for i, x := range xs {
		println(i, strings.ToUpper(x))
	}
}

func chain(a int) int {
	b := a + 1
	c := b * 2
	return c
}

func pair(a, b int) int {
	x := a * 2
	y := b * 3
	return x + y
}

func one() {
	panic("unreachable")
}
`

func sampleFunc(t *testing.T, name string) Func {
	t.Helper()
	fs, err := Funcs("sample.go", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no function %s", name)
	return Func{}
}

func TestFuncs(t *testing.T) {
	fs, err := Funcs("sample.go", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	if want := []string{"Sum", "show", "chain", "pair", "one"}; !slices.Equal(names, want) {
		t.Fatalf("names %v, want %v", names, want)
	}
	f := fs[0]
	if !strings.HasPrefix(orig(f), "func Sum(") || !strings.HasSuffix(orig(f), "return s\n}") {
		t.Errorf("Sum is %q", orig(f))
	}
	if f.Line != 6 || f.EndLine != 12 {
		t.Errorf("Sum at lines %d-%d, want 6-12", f.Line, f.EndLine)
	}
	if _, err := Funcs("bad.go", []byte("package p\nfunc {")); err == nil {
		t.Error("Funcs accepted a bad file")
	}
}

func TestSamples(t *testing.T) {
	for _, tc := range []struct {
		fn, kind string
		want     []string // substrings of the result
	}{
		{"Sum", LoopForm, []string{"for i := range xs {"}},
		{"show", LoopForm, []string{"for i := 0; i < len(xs); i++ {\n\t\tx := xs[i]\n"}},
		{"pair", Reordered, []string{"y := b * 3\n\tx := a * 2\n"}},
		{"chain", Partial, []string{"b := a + 1\n\tc := b * 2\n}"}},
		{"Sum", Merged, []string{"s := 0 // the total", "\treturn s\n}"}},
		{"Sum", Split, []string{"return sumRest(xs, s)", "func sumRest(xs []int, s int) int {"}},
	} {
		f := sampleFunc(t, tc.fn)
		r, err := Apply(f, tc.kind, 1)
		if tc.kind == Split && errors.Is(err, ErrNotApplicable) {
			continue // s is declared before every cut
		}
		if err != nil {
			t.Errorf("%s %s: %v", tc.fn, tc.kind, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.Code, w) {
				t.Errorf("%s %s: result lacks %q:\n%s", tc.fn, tc.kind, w, r.Code)
			}
		}
		checkResult(t, f, tc.kind, 1, r)
	}
}

func TestNotApplicable(t *testing.T) {
	for _, tc := range []struct{ fn, kind string }{
		{"chain", LoopForm},
		{"chain", Split},
		{"chain", Reordered},
		{"Sum", Split},
		{"one", Partial},
		{"one", Split},
		{"one", Reordered},
		{"one", LoopForm},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			_, err := Apply(sampleFunc(t, tc.fn), tc.kind, seed)
			if !errors.Is(err, ErrNotApplicable) {
				t.Errorf("%s %s seed %d: err %v, want ErrNotApplicable", tc.fn, tc.kind, seed, err)
			}
		}
	}
	if _, err := Apply(sampleFunc(t, "one"), "shuffled", 1); err == nil || errors.Is(err, ErrNotApplicable) {
		t.Errorf("unknown kind: err %v", err)
	}
	bad := sampleFunc(t, "one")
	bad.End = len(bad.Src) + 1
	if _, err := Apply(bad, Verbatim, 1); err == nil {
		t.Error("Apply accepted bad offsets")
	}
}

// TestByHand checks that a Func built without Funcs mutates the same.
func TestByHand(t *testing.T) {
	f := sampleFunc(t, "pair")
	g := Func{File: f.File, Src: f.Src, Start: f.Start, End: f.End, Line: f.Line, EndLine: f.EndLine, Name: f.Name}
	for _, kind := range Kinds() {
		r1, err1 := Apply(f, kind, 5)
		r2, err2 := Apply(g, kind, 5)
		if r1 != r2 || (err1 == nil) != (err2 == nil) {
			t.Errorf("%s: %v %v / %v %v", kind, r1, err1, r2, err2)
		}
	}
}

func TestDeterministic(t *testing.T) {
	funcs := loadFuncs(t, []string{"bufio"}, 8)
	differs := map[string]bool{}
	for _, f := range funcs {
		for _, kind := range Kinds() {
			first, err1 := Apply(f, kind, 1)
			again, err2 := Apply(f, kind, 1)
			if first != again || (err1 == nil) != (err2 == nil) {
				t.Errorf("%s %s: two results for one seed", f.Name, kind)
			}
			for seed := uint64(2); seed <= 4; seed++ {
				if r, err := Apply(f, kind, seed); err == nil && err1 == nil && r.Code != first.Code {
					differs[kind] = true
				}
			}
		}
	}
	for _, kind := range []string{Renamed, Comments, Reformatted, Partial, Merged} {
		if !differs[kind] {
			t.Errorf("%s: seeds never change the result", kind)
		}
	}
}

// TestLoopFormGOROOT finds counting loops over len(x) in GOROOT and
// checks that LoopForm turns some into range loops.
func TestLoopFormGOROOT(t *testing.T) {
	funcs := loadFuncs(t, append([]string{"bytes", "strconv", "path/filepath"}, corpusPkgs...), 1)
	counting := regexp.MustCompile(`for (\w+) := 0; (\w+) < len\(([\w.]+)\); (\w+)\+\+ \{`)
	rangeLoop := regexp.MustCompile(`for (\w+) := range `)
	found, rewritten := 0, 0
	for _, f := range funcs {
		m := counting.FindStringSubmatch(orig(f))
		if m == nil || m[1] != m[2] || m[1] != m[4] {
			continue
		}
		found++
		r, err := Apply(f, LoopForm, 1)
		if errors.Is(err, ErrNotApplicable) {
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		if len(counting.FindAllString(r.Code, -1)) < len(counting.FindAllString(orig(f), -1)) &&
			(rangeLoop.MatchString(r.Code) || strings.Contains(r.Code, "for range ")) {
			rewritten++
		}
	}
	t.Logf("%d functions with a counting loop over len(x), %d rewritten to range", found, rewritten)
	if found == 0 {
		t.Skip("no counting loop in GOROOT")
	}
	if rewritten == 0 {
		t.Error("no counting loop rewritten")
	}
}

// TestRobustness applies every kind to every function of 200 GOROOT
// files: nothing may panic and every result must parse.
func TestRobustness(t *testing.T) {
	root := filepath.Join(runtime.GOROOT(), "src")
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("no GOROOT sources")
	}
	want := 200
	if n, err := strconv.Atoi(os.Getenv("MUTATE_FILES")); err == nil {
		want = n // more GOROOT files, for a long run
	}
	step := max(1, len(files)/want)
	var picked []string
	for i := 0; i < len(files) && len(picked) < want; i += step {
		picked = append(picked, files[i])
	}
	var mu sync.Mutex
	count := map[string]int{}
	nfuncs := 0
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for file := range work {
				src, err := os.ReadFile(file)
				if err != nil {
					continue
				}
				funcs, err := Funcs(file, src)
				if err != nil {
					continue // testdata holds files that do not parse
				}
				for _, f := range funcs {
					for _, kind := range Kinds() {
						r, err := applySafely(f, kind, 7)
						if err != nil && !errors.Is(err, ErrNotApplicable) {
							t.Errorf("%s:%d %s %s: %v", file, f.Line, f.Name, kind, err)
							continue
						}
						if err == nil {
							if _, _, perr := parseCode(r.Code); perr != nil {
								t.Errorf("%s:%d %s %s: result does not parse: %v", file, f.Line, f.Name, kind, perr)
							}
							mu.Lock()
							count[kind]++
							mu.Unlock()
						}
					}
					mu.Lock()
					nfuncs++
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range picked {
		work <- f
	}
	close(work)
	wg.Wait()
	t.Logf("%d files, %d functions; applied: %v", len(picked), nfuncs, count)
}

func applySafely(f Func, kind string, seed uint64) (r Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return Apply(f, kind, seed)
}

// semanticsPkgs are GOROOT packages that, with their tests, import no
// internal package, so a copy of them builds outside GOROOT.
var semanticsPkgs = []string{"text/tabwriter", "encoding/csv", "container/list", "container/ring", "html", "encoding/hex"}

// TestSemantics copies semanticsPkgs to a temporary module, replaces
// every function with its mutation of each kind that should keep the
// behaviour, and runs the packages' own tests. It runs go test, which
// takes a while: set MUTATE_GOTEST=1 to run it.
func TestSemantics(t *testing.T) {
	if os.Getenv("MUTATE_GOTEST") == "" {
		t.Skip("set MUTATE_GOTEST=1 to run the GOROOT packages' tests on mutated copies")
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, kind := range []string{Verbatim, Renamed, Comments, Reformatted, Reordered, Split, LoopForm} {
		for seed := uint64(1); seed <= 2; seed++ {
			tmp := t.TempDir()
			if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module mut\n\ngo 1.26\n"), 0o666); err != nil {
				t.Fatal(err)
			}
			unique := 0
			for _, pkg := range semanticsPkgs {
				dir := filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(pkg))
				bp, err := build.Default.ImportDir(dir, 0)
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(tmp, filepath.FromSlash(pkg))
				if err := os.MkdirAll(out, 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(filepath.Join(out, "testdata"), os.DirFS(filepath.Join(dir, "testdata"))); err != nil && !errors.Is(err, fs.ErrNotExist) {
					t.Fatal(err)
				}
				for _, name := range slices.Concat(bp.GoFiles, bp.TestGoFiles, bp.XTestGoFiles) {
					src, err := os.ReadFile(filepath.Join(dir, name))
					if err != nil {
						t.Fatal(err)
					}
					if slices.Contains(bp.GoFiles, name) {
						src = mutateFile(t, filepath.Join(dir, name), src, kind, seed, &unique)
					}
					for _, p := range semanticsPkgs {
						src = bytes.ReplaceAll(src, []byte(`"`+p+`"`), []byte(`"mut/`+p+`"`))
					}
					if err := os.WriteFile(filepath.Join(out, name), src, 0o666); err != nil {
						t.Fatal(err)
					}
				}
			}
			cmd := exec.Command(goCmd, "test", "-count=1", "./...")
			cmd.Dir = tmp
			cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s seed %d: go test: %v\n%s", kind, seed, err, out)
			}
		}
	}
}

// TestMergedLines checks what Merged reports as copied: the whole
// function it writes, from the original's lines: its header is the
// original's with another name, it ends with the original's closing
// brace, and the original body's lines follow one another inside it
// (gofmt may re-indent them), where its other answer, the body alone,
// says.
func TestMergedLines(t *testing.T) {
	t.Parallel()
	path := filepath.Join(runtime.GOROOT(), "src", "bufio", "scan.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	fns, err := Funcs(path, src)
	if err != nil {
		t.Fatal(err)
	}
	orig := strings.Split(string(src), "\n")
	checked := 0
	for _, f := range fns {
		if f.EndLine-f.Line < 8 {
			continue
		}
		res, err := Apply(f, Merged, 1)
		if err != nil {
			continue
		}
		if res.SrcLines != [2]int{f.Line, f.EndLine} {
			t.Fatalf("%s: source lines %v, want the function's %d-%d", f.Name, res.SrcLines, f.Line, f.EndLine)
		}
		code := strings.Split(strings.TrimRight(res.Code, "\n"), "\n")
		header := strings.TrimSpace(orig[f.Line-1])
		name := strings.Index(header, " "+f.Name+"(") + 1 // no generic function in scan.go
		if name == 0 || code[0] == header || !strings.HasPrefix(code[0], header[:name]) ||
			!strings.HasSuffix(code[0], header[name+len(f.Name):]) {
			t.Fatalf("%s: header %q, original %q", f.Name, code[0], header)
		}
		if code[len(code)-1] != "}" {
			t.Fatalf("%s: last line %q", f.Name, code[len(code)-1])
		}
		// The body, in one piece, where BodyLines says, from where
		// BodySrcLines says.
		body := orig[f.Line : f.EndLine-1]
		at := slices.IndexFunc(code, func(l string) bool { return strings.TrimSpace(l) == strings.TrimSpace(body[0]) })
		if at < 0 || at+len(body) > len(code) {
			t.Fatalf("%s: body's first line %q not found in\n%s", f.Name, body[0], res.Code)
		}
		if res.BodyLines != [2]int{at + 1, at + len(body)} || res.BodySrcLines != [2]int{f.Line + 1, f.EndLine - 1} {
			t.Fatalf("%s: body at %v from %v, want %d-%d from %d-%d", f.Name, res.BodyLines, res.BodySrcLines,
				at+1, at+len(body), f.Line+1, f.EndLine-1)
		}
		for i, l := range body {
			if strings.TrimSpace(code[at+i]) != strings.TrimSpace(l) {
				t.Fatalf("%s: code line %d %q, source line %d %q", f.Name, at+i+1, code[at+i], f.Line+1+i, l)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no function merged")
	}
}

// firstStmtLine returns the line of f's first top-level statement.
func firstStmtLine(f Func) int {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "x.go", f.Src, 0)
	if err != nil {
		return 0
	}
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fset.Position(fd.Pos()).Line == f.Line && fd.Body != nil && len(fd.Body.List) > 0 {
			return fset.Position(fd.Body.List[0].Pos()).Line
		}
	}
	return 0
}

package fingerprint

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// goroot returns the directory of the Go distribution the tests run with.
func goroot(t testing.TB) string {
	t.Helper()
	root := runtime.GOROOT()
	if _, err := os.Stat(filepath.Join(root, "src", "container", "list", "list.go")); err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	return root
}

func readGoroot(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goroot(t), "src", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParams(t *testing.T) {
	t.Parallel()
	if got := (Params{}).Threshold(); got != DefaultK+DefaultW-1 {
		t.Errorf("default threshold = %d", got)
	}
	for _, p := range []Params{{K: 1}, {K: 500}, {W: -1}, {W: 5000}} {
		if err := p.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want error", p)
		}
		if _, err := New(p); err == nil {
			t.Errorf("New(%+v) = nil error", p)
		}
	}
}

// randomTokens returns n tokens whose symbols come from a small alphabet,
// so that equal k-grams and equal hashes within a window do occur; about a
// third are identifiers drawn from a few names.
func randomTokens(r *rand.Rand, n, alphabet int) []Token {
	toks := make([]Token, n)
	for i := range toks {
		s := uint32(r.IntN(alphabet))
		toks[i] = Token{Sym: s, Exact: s, Line: int32(i/7 + 1), EndLine: int32(i/7 + 1)}
		if r.IntN(3) == 0 {
			toks[i].Sym, toks[i].Exact = SymIdent, uint32(r.IntN(alphabet))+1000
		}
	}
	return toks
}

// fingerprints runs the hashing and winnowing stages on tokens.
func (f *Fingerprinter) fingerprints(toks []Token) []Fingerprint {
	f.links(toks)
	return f.winnow(toks, nil)
}

// TestRollingPString checks the rolling hash against a direct computation
// of every k-gram, with identifiers encoded by their distance back to the
// previous occurrence inside the k-gram.
func TestRollingPString(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	p := Params{K: 7, W: 1}
	f, _ := New(p)
	toks := randomTokens(r, 500, 4)
	f.links(toks)
	f.winnow(toks, nil)
	for s := 0; s+p.K <= len(toks); s++ {
		var h uint64
		for j := s; j < s+p.K; j++ {
			v := symValue(toks[j].Sym)
			if toks[j].Sym == SymIdent {
				d := 0
				for q := j - 1; q >= s; q-- {
					if toks[q].Sym == SymIdent && toks[q].Exact == toks[j].Exact {
						d = j - q
						break
					}
				}
				v = symValue(SymIdent + uint32(d))
			}
			h = h*rollBase + v
		}
		if got := f.norm[s]; got != fmix64(h) {
			t.Fatalf("k-gram %d: rolling hash %x, direct %x", s, got, fmix64(h))
		}
	}
}

// TestPatternOfNames checks that renaming keeps fingerprints while another
// pattern of names (same shape) changes them.
func TestPatternOfNames(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{})
	a := f.File(Go, []byte("x.a = y.b; x.c = y.d; x.e = y.f; x.g = y.h; x.i = y.j; x.k = y.l; x.m = y.n; x.o = y.p"))
	ha := hashes(a)
	fa := slices.Clone(a.Fingerprints)
	if len(fa) == 0 {
		t.Fatal("no fingerprints")
	}
	b := f.File(Go, []byte("p.q = r.s; p.t = r.u; p.v = r.w; p.z = r.o; p.l = r.m; p.a = r.b; p.c = r.d; p.e = r.f"))
	if !equalSlices(ha, hashes(b)) {
		t.Error("consistent renaming changed the fingerprints")
	}
	c := f.File(Go, []byte("p.q = r.s; m.t = n.u; k.v = j.w; i.z = h.o; g.l = e.m; a.b = c.d; e.f = g.h; i.j = k.l"))
	if shareHash(fa, c.Fingerprints) {
		t.Error("code with another pattern of names shares a fingerprint")
	}
}

// TestWinnowGuarantee checks the winnowing guarantee as a property: two
// token streams that share a run of at least t = W+K-1 tokens, anywhere,
// share a fingerprint hash whose k-gram lies inside the run in both.
func TestWinnowGuarantee(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range []Params{{K: 5, W: 4}, {K: 20, W: 16}, {K: 12, W: 1}, {K: 2, W: 30}, {}} {
		p := p.WithDefaults()
		f, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		th := p.Threshold()
		for trial := 0; trial < 300; trial++ {
			alphabet := []int{2, 5, 50, 1 << 20}[trial%4]
			run := randomTokens(r, th+r.IntN(3*th), alphabet)
			a := append(randomTokens(r, r.IntN(200), alphabet), run...)
			offA := len(a) - len(run)
			a = append(a, randomTokens(r, r.IntN(200), alphabet)...)
			b := append(randomTokens(r, r.IntN(200), alphabet), run...)
			offB := len(b) - len(run)
			b = append(b, randomTokens(r, r.IntN(200), alphabet)...)

			fa := inside(f.fingerprints(a), offA, len(run), p.K)
			fb := inside(f.fingerprints(b), offB, len(run), p.K)
			if !shareHash(fa, fb) {
				t.Fatalf("params %+v alphabet %d: a shared run of %d tokens (threshold %d) has no shared fingerprint", p, alphabet, len(run), th)
			}
		}
	}
}

// inside returns the fingerprints whose k-gram lies within [off, off+n).
func inside(fps []Fingerprint, off, n, k int) []Fingerprint {
	var out []Fingerprint
	for _, fp := range fps {
		if int(fp.Pos) >= off && int(fp.Pos)+k <= off+n {
			out = append(out, fp)
		}
	}
	return out
}

func shareHash(a, b []Fingerprint) bool {
	seen := make(map[uint64]bool, len(a))
	for _, fp := range a {
		seen[fp.Hash] = true
	}
	for _, fp := range b {
		if seen[fp.Hash] {
			return true
		}
	}
	return false
}

// TestWinnowDensity checks that winnowing keeps about 2/(W+1) of the
// k-grams of real code, and that low-entropy input (one repeated token)
// does not select a fingerprint at every position.
func TestWinnowDensity(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{})
	src := readGoroot(t, "sort/sort.go")
	res := f.File(Go, src)
	kgrams := len(res.Tokens) - DefaultK + 1
	density := float64(len(res.Fingerprints)) / float64(kgrams)
	want := 2.0 / float64(DefaultW+1)
	if density < want*0.7 || density > want*1.3 {
		t.Errorf("density %.3f, want about %.3f", density, want)
	}
	same := make([]Token, 1000)
	for i := range same {
		same[i] = Token{Sym: 7, Exact: 7, Line: 1, EndLine: 1}
	}
	fps := f.fingerprints(same)
	if max := len(same)/DefaultW + 2; len(fps) > max {
		t.Errorf("repeated token: %d fingerprints, want at most %d (robust winnowing)", len(fps), max)
	}
}

func TestFingerprintLines(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{})
	src := readGoroot(t, "container/list/list.go")
	res := f.File(Go, src)
	if len(res.Fingerprints) == 0 {
		t.Fatal("no fingerprints")
	}
	lines := bytes.Split(src, []byte("\n"))
	for _, fp := range res.Fingerprints {
		if fp.Line < 1 || fp.EndLine < fp.Line || int(fp.EndLine) > res.Lines {
			t.Fatalf("fingerprint lines %d-%d out of range (file has %d)", fp.Line, fp.EndLine, res.Lines)
		}
		first := res.Tokens[fp.Pos]
		if int(first.Line) != int(fp.Line) {
			t.Fatalf("fingerprint line %d, first token on line %d", fp.Line, first.Line)
		}
		// The first token's text must be on the line the fingerprint names.
		off := int(first.Off)
		lineText := lines[fp.Line-1]
		tokText := src[off : off+1]
		if !bytes.Contains(lineText, tokText) {
			t.Fatalf("line %d %q does not hold token %q", fp.Line, lineText, tokText)
		}
	}
	if want := bytes.Count(src, []byte("\n")); res.Lines != want {
		t.Errorf("Lines = %d, want %d", res.Lines, want)
	}
	if !bytes.HasPrefix(src[res.HeaderEnd:], []byte("package list")) {
		t.Errorf("HeaderEnd = %d points at %q", res.HeaderEnd, src[res.HeaderEnd:res.HeaderEnd+20])
	}
}

// transform rewrites a Go file with go/ast: it can drop comments, rename
// every identifier, and print with another layout.
func transform(t *testing.T, src []byte, rename, dropComments bool, cfg printer.Config) []byte {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if rename {
		names := map[string]string{}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name != "_" {
				nn, ok := names[id.Name]
				if !ok {
					nn = fmt.Sprintf("renamed%d", len(names))
					names[id.Name] = nn
				}
				id.Name = nn
			}
			return true
		})
	}
	if dropComments {
		file.Comments = nil
		file.Doc = nil
		ast.Inspect(file, func(n ast.Node) bool {
			switch d := n.(type) {
			case *ast.FuncDecl:
				d.Doc = nil
			case *ast.GenDecl:
				d.Doc = nil
			case *ast.Field:
				d.Doc, d.Comment = nil, nil
			case *ast.ValueSpec:
				d.Doc, d.Comment = nil, nil
			case *ast.TypeSpec:
				d.Doc, d.Comment = nil, nil
			}
			return true
		})
	}
	var buf bytes.Buffer
	if err := cfg.Fprint(&buf, fset, file); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func hashes(res *File) []uint64 {
	out := make([]uint64, len(res.Fingerprints))
	for i, fp := range res.Fingerprints {
		out[i] = fp.Hash
	}
	return out
}

func exacts(res *File) []uint32 {
	out := make([]uint32, len(res.Fingerprints))
	for i, fp := range res.Fingerprints {
		out[i] = fp.Exact
	}
	return out
}

// TestInvariance checks that reformatting, comment changes and renaming
// leave the fingerprints unchanged, on real standard-library files, and
// that renaming (only) changes the exact hashes.
func TestInvariance(t *testing.T) {
	t.Parallel()
	files := []string{"container/list/list.go", "sort/sort.go", "strings/builder.go", "bufio/scan.go", "encoding/csv/reader.go"}
	gofmtCfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	layouts := map[string]printer.Config{
		"spaces2": {Mode: printer.UseSpaces, Tabwidth: 2},
		"raw":     {Mode: printer.RawFormat, Tabwidth: 4},
	}
	for _, rel := range files {
		src := readGoroot(t, rel)
		f, _ := New(Params{})
		base := f.File(Go, transform(t, src, false, false, gofmtCfg))
		wantHashes, wantExact := hashes(base), exacts(base)
		if len(wantHashes) < 10 {
			t.Fatalf("%s: only %d fingerprints", rel, len(wantHashes))
		}
		check := func(name string, got []byte, sameExact bool) {
			res := f.File(Go, got)
			if !equalSlices(hashes(res), wantHashes) {
				t.Errorf("%s, %s: fingerprints changed (%d vs %d)", rel, name, len(res.Fingerprints), len(wantHashes))
			}
			if sameExact != equalSlices(exacts(res), wantExact) {
				t.Errorf("%s, %s: exact hashes equal = %v, want %v", rel, name, !sameExact, sameExact)
			}
		}
		check("original file", src, true)
		check("comments removed", transform(t, src, false, true, gofmtCfg), true)
		check("comments rewritten", rewriteComments(src), true)
		for name, cfg := range layouts {
			check("layout "+name, transform(t, src, false, false, cfg), true)
		}
		check("renamed", transform(t, src, true, false, gofmtCfg), false)
		check("renamed, no comments, 2 spaces", transform(t, src, true, true, layouts["spaces2"]), false)
	}
}

// rewriteComments replaces the text of every // comment.
func rewriteComments(src []byte) []byte {
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		if j := strings.Index(l, "// "); j >= 0 && !strings.Contains(l[:j], "\"") && !strings.Contains(l[:j], "`") {
			lines[i] = l[:j] + "// a different remark entirely, with more words in it"
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func equalSlices[T comparable](a, b []T) bool {
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

func TestNormHash(t *testing.T) {
	t.Parallel()
	src := readGoroot(t, "sort/sort.go")
	f, _ := New(Params{})
	a := f.File(Go, src).NormHash
	b := f.File(Go, transform(t, src, true, true, printer.Config{Mode: printer.UseSpaces, Tabwidth: 3})).NormHash
	if a != b {
		t.Error("normalized hash differs after renaming and reformatting")
	}
	c := f.File(Go, append(append([]byte{}, src...), []byte("\nvar extra = 1\n")...)).NormHash
	if a == c {
		t.Error("normalized hash unchanged after adding a declaration")
	}
}

// BenchmarkFingerprintGoroot measures tokenizing and winnowing throughput
// on the Go files of GOROOT/src (the first 40 MB, read before timing),
// trimmed after each as the indexer and the scanner do.
func BenchmarkFingerprintGoroot(b *testing.B) {
	total := 0
	benchFiles(b, gorootGoFiles(b, func(size int64) bool {
		total += int(size)
		return total <= 40<<20
	}))
}

// BenchmarkFingerprintLarge measures the files of GOROOT/src of over 1 MB
// (generated tables and rewrite rules) fingerprinted as the indexer and
// the scanner do, trimmed after each: their buffers are allocated anew for
// every file.
func BenchmarkFingerprintLarge(b *testing.B) {
	files := gorootGoFiles(b, func(size int64) bool { return size >= 1<<20 })
	if len(files) == 0 {
		b.Skip("no file of GOROOT/src is over 1 MB")
	}
	benchFiles(b, files)
}

// gorootGoFiles reads the Go files of GOROOT/src whose size keep accepts.
func gorootGoFiles(b *testing.B, keep func(size int64) bool) [][]byte {
	var files [][]byte
	filepath.WalkDir(filepath.Join(goroot(b), "src"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		if info, err := d.Info(); err != nil || !keep(info.Size()) {
			return nil
		}
		if src, err := os.ReadFile(path); err == nil {
			files = append(files, src)
		}
		return nil
	})
	return files
}

// benchFiles fingerprints files b.N times, trimming the fingerprinter
// after each file.
func benchFiles(b *testing.B, files [][]byte) {
	total := 0
	for _, src := range files {
		total += len(src)
	}
	f, _ := New(Params{})
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, src := range files {
			f.File(Go, src)
			f.Trim()
		}
	}
}

// TestLiteralsAndAnchors checks that literals are part of the normalized
// hash, and that the anchor hash follows selectors: equal when only local
// names change, different when a called function changes.
func TestLiteralsAndAnchors(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{K: 8, W: 4})
	get := func(src string) []Fingerprint {
		return slices.Clone(f.File(Go, []byte(src)).Fingerprints)
	}
	base := get(`x := strings.Join(parts, ","); y := fmt.Sprintf("%d items", len(x)); return y`)
	renamed := get(`a := strings.Join(bits, ","); b := fmt.Sprintf("%d items", len(a)); return b`)
	otherString := get(`x := strings.Join(parts, ";"); y := fmt.Sprintf("%d things", len(x)); return y`)
	otherCall := get(`x := strings.Split(parts, ","); y := fmt.Errorf("%d items", len(x)); return y`)
	if !equalSlices(hashesOf(base), hashesOf(renamed)) {
		t.Error("renaming locals changed the normalized hashes")
	}
	anchored := 0
	for i := range base {
		if base[i].Anchor != renamed[i].Anchor {
			t.Errorf("k-gram %d: anchor %d vs %d after renaming locals", i, base[i].Anchor, renamed[i].Anchor)
		}
		if base[i].Anchor != 0 {
			anchored++
		}
	}
	if anchored == 0 {
		t.Error("no k-gram has an anchor")
	}
	if shareHash(base, otherString) {
		t.Error("changed string literals still share a normalized hash")
	}
	if equalSlices(hashesOf(base), hashesOf(otherCall)) && equalSlices(anchorsOf(base), anchorsOf(otherCall)) {
		t.Error("changed selectors left both hashes equal")
	}
}

func hashesOf(fps []Fingerprint) []uint64 {
	out := make([]uint64, len(fps))
	for i, fp := range fps {
		out[i] = fp.Hash
	}
	return out
}

func anchorsOf(fps []Fingerprint) []uint8 {
	out := make([]uint8, len(fps))
	for i, fp := range fps {
		out[i] = fp.Anchor
	}
	return out
}

// TestAbstractLiterals checks the option: with literals abstracted, code
// that differs only in its strings and numbers has the same normalized
// hashes, and the anchor hash tells the literals apart.
func TestAbstractLiterals(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{K: 8, W: 4, AbstractLiterals: true})
	get := func(src string) []Fingerprint {
		return slices.Clone(f.File(Go, []byte(src)).Fingerprints)
	}
	a := get(`x := strings.Join(parts, ","); y := fmt.Sprintf("%d items", len(x) + 1); return y`)
	b := get(`x := strings.Join(parts, ";"); y := fmt.Sprintf("%d things", len(x) + 2); return y`)
	if !equalSlices(hashesOf(a), hashesOf(b)) {
		t.Error("with literals abstracted, changed literals changed the normalized hashes")
	}
	if equalSlices(anchorsOf(a), anchorsOf(b)) {
		t.Error("the anchor hashes do not see the changed literals")
	}
}

// TestTokensAsFile checks that Tokens makes the tokens File makes, with and
// without abstracted literals.
func TestTokensAsFile(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "bufio", "scan.go"))
	if err != nil {
		t.Skip(err)
	}
	for _, abstract := range []bool{false, true} {
		f, _ := New(Params{AbstractLiterals: abstract})
		want := slices.Clone(f.File(Go, src).Tokens)
		if got := f.Tokens(Go, src); !slices.Equal(got, want) {
			t.Errorf("abstract=%v: Tokens differs from File's tokens (%d vs %d)", abstract, len(got), len(want))
		}
	}
}

// TestDeclEnds checks the guarantee of declaration ends: a top-level Go
// function of K to t-1 tokens, too short for winnowing's, copied into
// another file shares the k-gram that ends it with its source, marked End
// in both. Fingerprints stay in order of position, without duplicates.
func TestDeclEnds(t *testing.T) {
	t.Parallel()
	f, _ := New(Params{})
	p := f.Params()
	host := readGoroot(t, "sort/sort.go")
	tested, withoutEnds := 0, 0
	for _, dir := range []string{"strings", "bytes", "net/http", "go/ast", "go/types"} {
		paths, _ := filepath.Glob(filepath.Join(goroot(t), "src", dir, "*.go"))
		for _, path := range paths {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			res := f.File(Go, src)
			checkOrder(t, path, res.Fingerprints)
			srcEnds := map[[2]uint64]bool{} // hash and exact hash of the End k-grams
			for _, fp := range res.Fingerprints {
				if fp.End {
					srcEnds[[2]uint64{fp.Hash, uint64(fp.Exact)}] = true
				}
			}
			srcAll := slices.Clone(res.Fingerprints)
			winnowed := map[int32]bool{} // positions winnowing alone selects
			for _, fp := range f.fingerprints(f.Tokens(Go, src)) {
				winnowed[fp.Pos] = true
			}
			for _, d := range file.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				start, end := fset.Position(fd.Pos()).Offset, fset.Position(fd.End()).Offset
				code := src[start:end]
				if n := len(f.Tokens(Go, code)); n < p.K || n >= p.Threshold() {
					continue
				}
				tested++
				// Where the function lies in its source, in tokens.
				first := len(f.Tokens(Go, src[:start]))
				last := first + len(f.Tokens(Go, code))
				inSource := inside(srcAll, first, last-first, p.K)
				doc := slices.Concat(host, []byte("\n"), code, []byte("\n\n"), host[bytes.Index(host, []byte("\nfunc ")):])
				first = len(f.Tokens(Go, doc[:len(host)+1]))
				copied := inside(f.File(Go, doc).Fingerprints, first, len(f.Tokens(Go, code)), p.K)
				if !shareHash(inSource, copied) {
					t.Errorf("%s: %s (%d lines) shares no fingerprint with its copy", path, fd.Name.Name, bytes.Count(code, []byte("\n"))+1)
					continue
				}
				shared := false
				for _, fp := range copied {
					shared = shared || fp.End && srcEnds[[2]uint64{fp.Hash, uint64(fp.Exact)}]
				}
				if !shared {
					t.Errorf("%s: %s shares no End k-gram with its copy", path, fd.Name.Name)
				}
				// Would winnowing alone have found it?
				var plain []Fingerprint
				for _, fp := range inSource {
					if winnowed[fp.Pos] {
						plain = append(plain, fp)
					}
				}
				if !shareHash(plain, copied) {
					withoutEnds++
				}
			}
		}
	}
	t.Logf("%d functions of %d to %d tokens; %d would share no fingerprint without declaration ends", tested, p.K, p.Threshold()-1, withoutEnds)
	if tested < 100 || withoutEnds == 0 {
		t.Errorf("%d functions tested, %d needing declaration ends: the test corpus lacks small functions", tested, withoutEnds)
	}
	// Python ends nothing with a brace.
	for _, fp := range f.File(Python, []byte("d = {\n  'a': 1,\n  'b': [1, 2, 3],\n  'c': {'x': 1, 'y': 2, 'z': 3},\n}\n")).Fingerprints {
		if fp.End {
			t.Errorf("a Python dictionary ends a declaration at line %d", fp.EndLine)
		}
	}
}

// checkOrder fails the test unless fps are in strictly increasing order
// of position.
func checkOrder(t *testing.T, name string, fps []Fingerprint) {
	t.Helper()
	for i := 1; i < len(fps); i++ {
		if fps[i].Pos <= fps[i-1].Pos {
			t.Fatalf("%s: fingerprint %d at token %d after one at %d", name, i, fps[i].Pos, fps[i-1].Pos)
		}
	}
}

// TestDecls checks which blocks end declarations: Go's top-level
// functions (all of sort.go's, from go/ast), the methods of the class of
// GOROOT's wasm_exec.js (inside the function wrapping the file), and in
// Java of our own writing, methods and nested classes but not the blocks
// in a method, an anonymous class's or a lambda's.
func TestDecls(t *testing.T) {
	t.Parallel()
	ends := func(lang Lang, src []byte) (map[int32]bool, []Token) {
		toks := Tokenize(lang, src, nil)
		m := map[int32]bool{}
		for _, d := range Decls(lang, toks, nil) {
			if d.Start > d.End || toks[d.End].Sym != symClose[2] {
				t.Fatalf("declaration %+v does not end at a closing brace", d)
			}
			m[toks[d.End].Line] = true
		}
		return m, toks
	}

	src := readGoroot(t, "sort/sort.go")
	got, _ := ends(Go, src)
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "sort.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	funcs := 0
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			funcs++
			if line := int32(fset.Position(fd.Body.Rbrace).Line); !got[line] {
				t.Errorf("sort.go: %s, ending at line %d, is not a declaration", fd.Name.Name, line)
			}
		}
	}
	if funcs < 10 {
		t.Fatalf("sort.go: %d functions", funcs)
	}

	js, err := os.ReadFile(filepath.Join(goroot(t), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Skip(err)
	}
	got, toks := ends(JavaScript, js)
	methods := 0 // declarations starting at a method header of the class
	header := regexp.MustCompile(`^\t\t(async )?[A-Za-z_]+\(.*\) \{$`)
	lines := strings.Split(string(js), "\n")
	for _, d := range Decls(JavaScript, toks, nil) {
		if l := toks[d.Start].Line; header.MatchString(lines[l-1]) {
			methods++
		}
	}
	if methods < 4 {
		t.Errorf("wasm_exec.js: %d methods of class Go are declarations, want 4 or more (%d declarations)", methods, len(got))
	}

	java := []byte(`package p;

public class Outer {
    private int count;

    public Outer(int count) {
        this.count = count;
    }

    int twice() {
        if (count > 0) {
            return 2 * count;
        }
        Runnable r = new Runnable() {
            public void run() {
                System.out.println(count);
            }
        };
        list.forEach(x -> {
            System.out.println(x);
        });
        return 0;
    }

    static class Inner {
        void noop() {
            log();
        }
    }
}
`)
	got, _ = ends(Java, java)
	want := map[int32]bool{8: true, 23: true, 28: true, 29: true, 30: true}
	if !maps.Equal(got, want) {
		t.Errorf("Java declarations end at lines %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
}

// TestKeys checks which names before ":" are keys of keyed elements:
// fields of literals and properties of objects, not parameters (Rust,
// Python), cases of a switch or labels.
func TestKeys(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang Lang
		src  string
		want []string // the keys, in order
	}{
		{Go, "h := &Hook{logger: logger, opts: *opts}", []string{"logger", "opts"}},
		{Go, "x := []T{{a: 1, b: 2}, {a: 3}}", []string{"a", "b", "a"}},
		{Go, "switch x { case a, b: f() default: g() }", nil},
		{Go, "func f() { loop: for { break loop } }", nil},
		{Go, "m := map[string]int{k: 1}", []string{"k"}},
		{Rust, "fn f(a: i32, b: i32) -> P { P { x: a, y: b } }", []string{"x", "y"}},
		{Python, "def f(self, x: int, y: int):\n    return {x: y}\n", []string{"x"}},
		{JavaScript, "const o = {a: 1, b: {c: f(x ? y : z)}};", []string{"a", "b", "c"}},
		{JavaScript, "switch (v) { case a: break; }", nil},
	} {
		toks := Tokenize(tt.lang, []byte(tt.src), nil)
		keys := Keys(toks, nil)
		var got []string
		for i, k := range keys {
			if k {
				got = append(got, tt.src[toks[i].Off:toks[i].End])
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%v %q: keys %q, want %q", tt.lang, tt.src, got, tt.want)
		}
	}
}

// TestDeclsOddInput checks the declarations of inputs that once misled
// them: a statement before a loop is not a class header (C), a stray
// parenthesis (a Perl regular expression taken for code) hides the end of
// the block after it only, not all the ends after it, an empty body ends its declaration but the braces of
// chan struct{} do not (Go); and that input made to defeat the header
// scan (unbalanced parentheses before every brace) stays linear
// (BenchmarkDeclsUnbalanced).
func TestDeclsOddInput(t *testing.T) {
	t.Parallel()
	endLines := func(lang Lang, src string) []int32 {
		toks := Tokenize(lang, []byte(src), nil)
		var out []int32
		for _, d := range Decls(lang, toks, nil) {
			out = append(out, toks[d.End].Line)
		}
		return out
	}
	for _, tt := range []struct {
		lang Lang
		src  string
		want []int32
	}{
		{C, "void f(struct list *l) {\n\tstruct node *pos;\n\tfor (pos = l->head; pos; pos = pos->next) {\n\t\tif (pos->v) {\n\t\t\tg();\n\t\t}\n\t}\n}\n", []int32{8}},
		// The block right after the stray parenthesis is taken for an
		// argument; the parenthesis is dropped at its end.
		{Perl, "my $re = qr/x/; $s =~ m/\\(/;\nsub a {\n\treturn 1;\n}\nsub b {\n\treturn 2;\n}\n", []int32{7}},
		{Go, "func (T) A() {}\n\nfunc B() chan struct{} {\n\treturn nil\n}\n", []int32{1, 5}},
		{CSharp, "namespace N\n{\n    class A\n    {\n        public object Get(int i)\n        {\n            if (i > 0) { return i; }\n            return null;\n        }\n    }\n}\n", []int32{9, 10, 11}},
		{Kotlin, "class A(\n    val x: Int,\n) : B() {\n    fun f(): Int {\n        return x\n    }\n}\n", []int32{6, 7}},
		{Java, "public class A\n    extends B {\n    void f() {\n        g();\n    }\n}\n", []int32{5, 6}},
		// Headers with a container word that are not a class's.
		{C, "static struct foo *alloc(int n) {\n\tif (n) {\n\t\treturn 0;\n\t}\n\treturn 0;\n}\n", []int32{6}},
		{CSharp, "class A {\n    void M<T>() where T : class {\n        if (x) { y(); }\n    }\n}\n", []int32{4, 5}},
		{Rust, "fn f() -> impl Fn(i32) -> i32 {\n    if a { b } else { c }\n}\n", []int32{3}},
		{Java, "class A {\n    void f() {\n        records.forEach(record -> {\n            g();\n        });\n    }\n}\n", []int32{6, 7}},
		// Headers over several lines.
		{Java, "class A implements B,\n    C {\n    void f() {\n        g();\n    }\n}\n", []int32{5, 6}},
		{Rust, "impl<T> X for Y\nwhere\n    T: Clone,\n{\n    fn f() {\n        g();\n    }\n}\n", []int32{7, 8}},
		{Kotlin, "data class P(\n" + strings.Repeat("    val a: Int,\n", 14) + ") {\n    fun f(): Int {\n        return a\n    }\n}\n", []int32{19, 20}},
		// A block in parentheses followed by else or ":" is an argument.
		{Kotlin, "class A {\n    val x = f(if (a) { 1 } else { 2 })\n    fun g() {\n        h()\n    }\n}\n", []int32{5, 6}},
	} {
		if got := endLines(tt.lang, tt.src); !slices.Equal(got, tt.want) {
			t.Errorf("%v:\n%s\ndeclarations end at lines %v, want %v", tt.lang, tt.src, got, tt.want)
		}
	}
	// Unbalanced input: no panic, and every function still found.
	src := []byte(strings.Repeat("if ($s =~ /\\)/) { x(); }\nsub f { g(); }\n", 2000))
	if n := len(Decls(Perl, Tokenize(Perl, src, nil), nil)); n < 2000 {
		t.Errorf("%d declarations in 2000 Perl functions among stray parentheses", n)
	}
}

// BenchmarkDeclsUnbalanced measures Decls on 20,000 lines whose every
// brace follows an unmatched ")": the header scan must stay within its
// budget (an unbounded skip back to "(" made this quadratic: 8 to 19 s).
func BenchmarkDeclsUnbalanced(b *testing.B) {
	for _, c := range []struct {
		lang Lang
		line string
	}{{Perl, "if ($s =~ /\\)/) { x(); }\n"}, {Java, ") ) {\n"}, {Shell, "case $x in a) { echo; } ;; esac\n"}} {
		toks := Tokenize(c.lang, []byte(strings.Repeat(c.line, 20000)), nil)
		b.Run(c.lang.String(), func(b *testing.B) {
			var dst []Decl
			for b.Loop() {
				dst = Decls(c.lang, toks, dst[:0])
			}
		})
	}
}

// TestHeaderAfterIncludeGuard reads real C headers of Linux's user API
// (linux-libc-dev) whose copyright comment follows the include guard:
// the header (HeaderEnd, and File's) holds that comment.
func TestHeaderAfterIncludeGuard(t *testing.T) {
	t.Parallel()
	const name = "/usr/include/linux/nl80211.h"
	src, err := os.ReadFile(name)
	if err != nil {
		t.Skipf("%s is not installed (linux-libc-dev): %v", name, err)
	}
	if !bytes.HasPrefix(src, []byte("#ifndef")) {
		t.Skipf("%s does not start with its include guard", name)
	}
	end := HeaderEnd(C, src)
	if !bytes.Contains(src[:end], []byte("Copyright")) {
		t.Errorf("%s: header %q holds no copyright statement", name, src[:min(end, 200)])
	}
	f, _ := New(Params{})
	if res := f.File(C, src); res.HeaderEnd != end {
		t.Errorf("%s: File's HeaderEnd %d, HeaderEnd %d", name, res.HeaderEnd, end)
	}
}

// TestExactKeysShared copies pieces of a real list of names (s390x's
// opcodes in GOROOT's cmd/internal/obj/s390x/a.out.go) into other
// contexts: every copy of 40 names shares fingerprints keyed by exact
// tokens with the original, whatever the text around it (the normalized
// hashes of such a list are those of every list, which the corpus's
// document-frequency cut drops).
func TestExactKeysShared(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(goroot(t), "src", "cmd", "internal", "obj", "s390x", "a.out.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range strings.Split(string(src), "\n") {
		if l = strings.TrimSpace(l); len(l) > 1 && l[0] == 'A' && !strings.ContainsAny(l, " =/") {
			names = append(names, l)
		}
	}
	if len(names) < 200 {
		t.Fatalf("%d opcode names in s390x's a.out.go; want hundreds", len(names))
	}
	f, _ := New(Params{})
	exactKeyed := func(src string) map[uint64]bool {
		file := f.File(Go, []byte(src))
		out := map[uint64]bool{}
		for _, fp := range file.Fingerprints {
			if fp.Hash != fmix64(f.norm[fp.Pos]^0x5bd1e9955bd1e995) {
				out[fp.Hash] = true
			}
		}
		return out
	}
	orig := exactKeyed("package s390x\n\nconst (\n\tAADD = iota\n\t" + strings.Join(names, "\n\t") + "\n)\n")
	contexts := []string{"package x\n\nconst (\n\t", "package x\n\nconst (\n\tFirst = iota\n\t",
		"package x\n\nfunc f() { g(1, 2) }\n\nconst (\n\tX Op = 1 << iota\n\t", "package x\n\nvar a, b = 1, 2\n\nconst (\n\tzz\n\t"}
	for lo := 0; lo+40 <= len(names); lo += 37 {
		for _, pre := range contexts {
			copied := exactKeyed(pre + strings.Join(names[lo:lo+40], "\n\t") + "\n)\n\nfunc h() int { return 3 }\n")
			shared := 0
			for h := range copied {
				if orig[h] {
					shared++
				}
			}
			if shared == 0 {
				t.Errorf("names %d-%d after %q: no fingerprint keyed by exact tokens shared with the original", lo, lo+40, pre)
			}
		}
	}
}

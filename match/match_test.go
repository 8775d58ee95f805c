package match

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/eval"
	"github.com/snipscan/snipscan/internal/testnet"
)

// corpusDirs are the GOROOT/src packages the test corpus holds.
var corpusDirs = []string{"sort", "container/list", "container/ring", "strings", "bufio", "encoding/csv",
	"text/tabwriter", "net/http", "errors", "path", "io", "bytes"}

var (
	corpusOnce sync.Once
	corpusDB   *corpus.DB
	corpusErr  error
)

// testCorpus indexes corpusDirs into a real bbolt file once for all tests.
func testCorpus(t *testing.T) *corpus.DB {
	t.Helper()
	corpusOnce.Do(func() {
		dir, err := os.MkdirTemp("", "snipscan-match-test")
		if err != nil {
			corpusErr = err
			return
		}
		corpusDB, corpusErr = buildCorpus(filepath.Join(dir, "c.db"), corpusDirs)
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusDB
}

// buildCorpus indexes the Go files of dirs, directories of GOROOT/src,
// into a database at path.
func buildCorpus(path string, dirs []string) (*corpus.DB, error) {
	db, err := corpus.Open(path, corpus.Options{})
	if err != nil {
		return nil, err
	}
	w, err := db.NewWriter(corpus.WriterOptions{})
	if err != nil {
		return nil, err
	}
	src := filepath.Join(runtime.GOROOT(), "src")
	rootID, _, err := w.Root(src, "dir")
	if err != nil {
		return nil, err
	}
	attr := w.Attribution(corpus.Attribution{License: "BSD-3-Clause", Source: "license_file",
		Copyrights: []string{"Copyright 2009 The Go Authors"}, Holders: []string{"The Go Authors"}})
	fp, _ := fingerprint.New(fingerprint.Params{})
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(src, d))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			rel := d + "/" + e.Name()
			data, err := os.ReadFile(filepath.Join(src, rel))
			if err != nil {
				return nil, err
			}
			sum := corpus.Sum(data)
			id, fresh := w.Claim(sum)
			loc := corpus.Location{RootID: rootID, Path: rel, FileID: id, AttrID: attr}
			if !fresh {
				w.AddLocation(loc)
				continue
			}
			res := fp.File(fingerprint.Go, data)
			rec := corpus.FileRecord{ID: id, Sum: sum, Size: int64(len(data)), Lines: res.Lines, Tokens: len(res.Tokens),
				Lang: fingerprint.Go, NormHash: res.NormHash}
			if err := w.AddFile(rec, res.Fingerprints, loc); err != nil {
				return nil, err
			}
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return db, nil
}

// target fingerprints src as a target file.
func target(path string, src []byte) Target {
	fp, _ := fingerprint.New(fingerprint.Params{})
	res := fp.File(fingerprint.Go, src)
	return Target{Path: path, Lang: fingerprint.Go, Lines: res.Lines, Tokens: len(res.Tokens), Size: len(src), Sum: corpus.Sum(src),
		NormHash: res.NormHash, Fingerprints: slices.Clone(res.Fingerprints), Lexed: slices.Clone(res.Tokens)}
}

// function returns the source of the named function (or method) of a
// GOROOT file, with its first and last line.
func function(t *testing.T, rel, name string) (string, int, int) {
	t.Helper()
	path := filepath.Join(runtime.GOROOT(), "src", rel)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, data, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
			start, end := fset.Position(fd.Pos()), fset.Position(fd.End())
			return string(data[start.Offset:end.Offset]), start.Line, end.Line
		}
	}
	t.Fatalf("%s has no function %s", rel, name)
	return "", 0, 0
}

// host returns one of this project's own source files, which are in no
// corpus, split at a line boundary in its middle.
func host(t *testing.T) (head, tail string) {
	t.Helper()
	data, err := os.ReadFile("chain.go")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\n// chain groups")
	if i < 0 {
		t.Fatal("host split point not found")
	}
	return s[:i+1], s[i:]
}

// rename renames every identifier of a Go function and reprints it with
// another layout.
func rename(t *testing.T, fn string) string {
	t.Helper()
	src := "package p\n" + fn
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name != "_" && id.Name != "p" {
			if _, ok := names[id.Name]; !ok {
				names[id.Name] = fmt.Sprintf("v%dx", len(names))
			}
			id.Name = names[id.Name]
		}
		return true
	})
	var buf bytes.Buffer
	(&printer.Config{Mode: printer.UseSpaces, Tabwidth: 2}).Fprint(&buf, fset, f.Decls[0])
	return buf.String() + "\n"
}

func lineOf(s string, i int) int { return strings.Count(s[:i], "\n") + 1 }

func within(got [2]int, lo, hi, tol int) bool {
	return abs(got[0]-lo) <= tol && abs(got[1]-hi) <= tol
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestSnippets(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	cases := []struct {
		name, rel, fn string
		renamed       bool
	}{
		{"verbatim method", "bufio/scan.go", "Scan", false},
		{"verbatim function", "encoding/csv/reader.go", "readRecord", false},
		{"verbatim small function", "container/ring/ring.go", "Move", false},
		{"renamed and reformatted", "bufio/scan.go", "Scan", true},
		{"renamed function", "text/tabwriter/tabwriter.go", "format", true},
		{"renamed helper", "strings/replace.go", "makeGenericReplacer", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fn, srcStart, srcEnd := function(t, tc.rel, tc.fn)
			if tc.renamed {
				fn = rename(t, fn)
			}
			doc := head + "\n" + fn + "\n" + tail
			start := lineOf(doc, len(head)+1)
			end := start + strings.Count(strings.TrimRight(fn, "\n"), "\n")
			res, err := Match(context.Background(), db, []Target{target("host.go", []byte(doc))}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			fs := res[0].Findings
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
			}
			f := fs[0]
			if f.Source.Path != tc.rel {
				t.Errorf("source %s, want %s", f.Source.Path, tc.rel)
			}
			// The pasted function's own layout decides the target lines;
			// renamed code was reprinted, so only the source side is exact.
			if !within(f.Lines, start, end, 2) {
				t.Errorf("target lines %v, want %d-%d", f.Lines, start, end)
			}
			if b := f.Bytes; b[0] >= b[1] || b[1] > len(doc) ||
				lineOf(doc, b[0]) != f.Lines[0] || lineOf(doc, b[1]-1) != f.Lines[1] {
				t.Errorf("bytes %v do not span lines %v", f.Bytes, f.Lines)
			}
			if !within(f.Source.Lines, srcStart, srcEnd, 2) {
				t.Errorf("source lines %v, want %d-%d", f.Source.Lines, srcStart, srcEnd)
			}
			if f.Source.License != "BSD-3-Clause" || len(f.Source.Holders) == 0 || f.Source.Holders[0] != "The Go Authors" {
				t.Errorf("license %q holders %v", f.Source.License, f.Source.Holders)
			}
			if tc.renamed && f.Exact > 0.2 || !tc.renamed && f.Exact < 0.85 {
				t.Errorf("exact %.2f for renamed=%v", f.Exact, tc.renamed)
			}
			if f.Matched < 0.9 {
				t.Errorf("matched %.2f", f.Matched)
			}
		})
	}
}

func TestWholeFile(t *testing.T) {
	db := testCorpus(t)
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "container/list/list.go"))
	if err != nil {
		t.Fatal(err)
	}
	reformatted := strings.ReplaceAll(string(data), "\t", "    ")
	for name, src := range map[string]string{"verbatim": string(data), "reindented": reformatted} {
		res, err := Match(context.Background(), db, []Target{target("list.go", []byte(src))}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		fs := res[0].Findings
		if len(fs) != 1 || fs[0].Kind != KindFile || fs[0].Source.Path != "container/list/list.go" {
			t.Fatalf("%s: findings %+v, want one whole-file match of container/list/list.go", name, fs)
		}
		if want := strings.Count(src, "\n"); fs[0].Lines != [2]int{1, want} {
			t.Errorf("%s: lines %v, want 1-%d", name, fs[0].Lines, want)
		}
		if fs[0].Bytes != [2]int{0, len(src)} {
			t.Errorf("%s: bytes %v, want 0-%d", name, fs[0].Bytes, len(src))
		}
		if name == "verbatim" && fs[0].Exact != 1 {
			t.Errorf("verbatim copy: exact %.2f", fs[0].Exact)
		}
	}
}

// TestWholeFileTwins scans both of sort's generated files, the same
// tokens normalized (one takes a lessSwap, the other a data Interface):
// each is the origin of its own bytes, the other an alternate with its
// whole line range.
func TestWholeFileTwins(t *testing.T) {
	db := testCorpus(t)
	twins := []string{"sort/zsortfunc.go", "sort/zsortinterface.go"}
	for i, rel := range twins {
		data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", rel))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Match(context.Background(), db, []Target{target(filepath.Base(rel), data)}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		fs := res[0].Findings
		if len(fs) != 1 || fs[0].Kind != KindFile {
			t.Fatalf("%s: findings %+v, want one whole-file match", rel, fs)
		}
		if fs[0].Source.Path != rel || fs[0].Exact != 1 {
			t.Errorf("%s: origin %s (exact %.2f), want its own bytes", rel, fs[0].Source.Path, fs[0].Exact)
		}
		other := twins[1-i]
		j := slices.IndexFunc(fs[0].AlternateSources, func(s Source) bool { return s.Path == other })
		if j < 0 {
			t.Fatalf("%s: %s not among the alternates %+v", rel, other, fs[0].AlternateSources)
		}
		if alt := fs[0].AlternateSources[j]; alt.Lines[0] != 1 || alt.Lines[1] != alt.FileLines {
			t.Errorf("%s: alternate %s lines %v, want 1-%d", rel, other, alt.Lines, alt.FileLines)
		}
	}
}

// TestNoFindings checks that the project's own files and short common
// idioms produce nothing.
func TestNoFindings(t *testing.T) { noFindings(t, Options{}) }

// noFindings matches the project's own files and the evaluation's idioms
// with opts and fails on any finding.
func noFindings(t *testing.T, opts Options) {
	t.Helper()
	db := testCorpus(t)
	var targets []Target
	own, _ := filepath.Glob("../*/*.go")
	for _, p := range own {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, target(p, data))
	}
	idioms := eval.Idioms()
	for name, src := range idioms {
		targets = append(targets, target(name, []byte(src)))
	}
	res, err := Match(context.Background(), db, targets, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		for _, f := range r.Findings {
			t.Errorf("%s lines %v: unexpected finding from %s lines %v (matched %.2f, exact %.2f)",
				r.Path, f.Lines, f.Source.Path, f.Source.Lines, f.Matched, f.Exact)
		}
	}
}

// TestSourceLines checks the mapping of a region's final target range to
// source lines: hits cut off by the edges do not count, edges beyond the
// hits widen the source range by as many lines, and the range is never
// reversed.
func TestSourceLines(t *testing.T) {
	const k = 20
	mk := func(tpos, tline, tend, sline, send int32) hit {
		return hit{tpos: tpos, tline: tline, tend: tend, sline: sline, send: send}
	}
	r := &region{hits: []hit{
		mk(0, 1, 3, 400, 402),    // cut off by the range's start
		mk(40, 10, 12, 100, 102), // first hit inside
		mk(60, 12, 14, 102, 104),
		mk(80, 14, 16, 104, 106), // last hit inside
		mk(100, 16, 30, 90, 95),  // its k-gram runs past the range's end
	}}
	r.smin, r.smax = 90, 402
	// Target range: tokens [38, 102), lines 9-17.
	smin, smax := r.sourceLines(38, 102, k, 9, 17)
	if smin != 99 || smax != 107 {
		t.Errorf("source lines %d-%d, want 99-107", smin, smax)
	}
	// A range holding only the stray last hit, whose k-gram it cuts.
	smin, smax = r.sourceLines(100, 110, k, 16, 18)
	if smin > smax || smin != 90 {
		t.Errorf("source lines %d-%d, want 90-95", smin, smax)
	}
	// Hits out of order in the source: the span covers them all, not
	// reversed.
	r2 := &region{hits: []hit{mk(0, 1, 2, 50, 51), mk(20, 3, 4, 20, 21), mk(40, 5, 6, 35, 36)}}
	smin, smax = r2.sourceLines(0, 60, k, 1, 8)
	if smin != 20 || smax != 51 {
		t.Errorf("source lines %d-%d, want 20-51", smin, smax)
	}
}

// TestPrefer checks the order of equally good origins: outside vendor
// trees, versioned, licensed, library code before tests, then by name,
// never by file ID (which follows the order parallel indexing finished in).
func TestPrefer(t *testing.T) {
	lib := Source{FileID: 9, Root: "/go/src", Path: "sort/sort.go", Version: "1.26", License: "BSD-3-Clause"}
	test := Source{FileID: 1, Root: "/go/src", Path: "cmd/compile/internal/test/issue50182_test.go", Version: "1.26", License: "BSD-3-Clause", Test: true}
	testdata := Source{FileID: 2, Root: "/go/src", Path: "go/doc/testdata/sort.go", Version: "1.26", License: "BSD-3-Clause", Test: true}
	vendored := Source{FileID: 0, Root: "/go/src", Path: "vendor/x/sort.go", Version: "1.26", License: "BSD-3-Clause", Vendored: true}
	other := Source{FileID: 3, Root: "/go/src", Path: "slices/sort.go", Version: "1.26", License: "BSD-3-Clause"}
	for _, tc := range []struct {
		a, b Source
	}{{lib, test}, {lib, testdata}, {lib, vendored}, {other, lib}} {
		if !prefer(tc.a, tc.b) || prefer(tc.b, tc.a) {
			t.Errorf("prefer(%s, %s) = %v, prefer(%s, %s) = %v", tc.a.Path, tc.b.Path, prefer(tc.a, tc.b), tc.b.Path, tc.a.Path, prefer(tc.b, tc.a))
		}
	}
}

// TestFoldOverlaps checks which findings over the same target lines
// become alternates, with the figures of the evaluation's cases: a merged
// copy of yggdrasil's TLS listen, found from its TCP twin too (or
// further); a strong small finding inside a weak large one of another
// file, which it must not swallow. Findings of one file that overlap or
// touch on both sides in the same order are one (see TestJoinPieces);
// the pieces of a reordered copy are not.
func TestFoldOverlaps(t *testing.T) {
	src := func(id uint32, path string, lo, hi int) Source {
		return Source{FileID: id, Path: path, Lines: [2]int{lo, hi}}
	}
	snippet := func(lo, hi, tokens int, matched, exact float64, s Source) Finding {
		return Finding{Kind: KindSnippet, Lines: [2]int{lo, hi}, Tokens: tokens, Matched: matched, Exact: exact, Source: s}
	}
	tls, tcp := src(1, "core/link_tls.go", 59, 72), src(2, "core/link_tcp.go", 44, 57)
	got := foldOverlaps([]Finding{snippet(8, 25, 133, 0.361, 0.211, tcp), snippet(8, 25, 133, 0.586, 0.586, tls)}, 20)
	if len(got) != 1 || got[0].Source.Path != tls.Path || got[0].Alternates != 1 || len(got[0].AlternateSources) != 1 ||
		got[0].AlternateSources[0].Path != tcp.Path || got[0].AlternateSources[0].Lines != tcp.Lines {
		t.Errorf("twins: %+v, want the TLS listen with the TCP one as alternate", got)
	}
	// Folded twice over: each place once, the weaker one's alternates
	// carried over (listed or counted).
	other := src(6, "core/link_unix.go", 30, 43)
	strong := snippet(8, 25, 133, 0.586, 0.586, tls)
	strong.Alternates, strong.AlternateSources = 1, []Source{tcp}
	weak := snippet(8, 25, 133, 0.361, 0.211, tcp)
	weak.Alternates, weak.AlternateSources = 3, []Source{tls, other}
	got = foldOverlaps([]Finding{weak, strong}, 20)
	if len(got) != 1 || got[0].Alternates != 3 || len(got[0].AlternateSources) != 2 || got[0].AlternateSources[1].Path != other.Path {
		t.Errorf("folded twice over: %+v, want 3 alternates, %s and %s listed", got, tcp.Path, other.Path)
	}
	// A weaker finding that reaches 10 lines further keeps them.
	if got := foldOverlaps([]Finding{snippet(8, 35, 180, 0.3, 0.2, tcp), snippet(8, 25, 133, 0.586, 0.586, tls)}, 20); len(got) != 2 {
		t.Errorf("a weaker finding reaching further: %d findings, want both", len(got))
	}
	// A reordered copy: its second part comes first in the source.
	reordered := []Finding{snippet(563, 590, 200, 0.5, 0.5, src(3, "doc/pkgsite.go", 64, 91)),
		snippet(591, 621, 200, 0.5, 0.5, src(3, "doc/pkgsite.go", 33, 63))}
	if got := foldOverlaps(slices.Clone(reordered), 20); len(got) != 2 {
		t.Errorf("pieces of a reordered copy: %d findings, want both", len(got))
	}
	small := snippet(30, 43, 90, 0.81, 0.67, src(4, "multicast/admin.go", 50, 63))
	large := snippet(29, 128, 648, 0.09, 0.09, src(5, "admin/admin.go", 158, 257))
	if got := foldOverlaps([]Finding{large, small}, 20); len(got) != 2 {
		t.Errorf("small inside large: %+v, want both (the large one's lines are its own)", got)
	}
}

// TestJoinPieces folds the pieces of one copy, findings of one corpus
// file whose ranges overlap or touch on both sides in the same order (a
// range within another's, as the edges of a copy's pieces aligned with
// its source reach its start; a piece right after another), into one:
// the union of their ranges, its shares those of all their hits over the
// union's tokens, their alternates each once.
func TestJoinPieces(t *testing.T) {
	const k = 20
	src := func(id uint32, path string, lo, hi int) Source {
		return Source{FileID: id, Path: path, Lines: [2]int{lo, hi}}
	}
	// piece is a finding of target tokens [first, last), ten lines per 100
	// tokens, with verbatim hits every 10 tokens from from to to.
	piece := func(first, last, from, to int32, s Source) Finding {
		f := Finding{Kind: KindSnippet, Lines: [2]int{int(first/10 + 1), int(last / 10)}, Bytes: [2]int{int(first) * 4, int(last) * 4},
			Source: s, span: [2]int32{first, last}}
		for p := from; p+k <= to; p += 10 {
			f.hits = append(f.hits, hit{tpos: p, exact: true})
		}
		covered, exact := (&region{hits: f.hits}).coverage(first, last, k)
		f.Tokens, f.Matched, f.Exact = int(last-first), float64(covered)/float64(last-first), float64(exact)/float64(last-first)
		return f
	}
	other := src(9, "vendor/x/sys.go", 1, 90)
	whole := piece(0, 900, 0, 300, src(1, "sys.go", 11, 100)) // hits in its first third, aligned to the end
	whole.Alternates, whole.AlternateSources = 1, []Source{other}
	inner := piece(0, 500, 250, 500, src(1, "sys.go", 11, 60))
	inner.Alternates, inner.AlternateSources = 1, []Source{other}
	next := piece(900, 1200, 900, 1200, src(1, "sys.go", 101, 130))
	got := foldOverlaps([]Finding{inner, whole, next}, k)
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.Lines != [2]int{1, 120} || f.Source.Lines != [2]int{11, 130} || f.Bytes != [2]int{0, 4800} || f.Tokens != 1200 {
		t.Errorf("lines %v, source lines %v, bytes %v, tokens %d; want 1-120, 11-130, 0-4800, 1200", f.Lines, f.Source.Lines, f.Bytes, f.Tokens)
	}
	if f.Matched != 800.0/1200 || f.Exact != f.Matched { // tokens 0-500 and 900-1200 covered
		t.Errorf("matched %.3f exact %.3f, want 2/3", f.Matched, f.Exact)
	}
	if f.Alternates != 1 || len(f.AlternateSources) != 1 || f.AlternateSources[0].Path != other.Path {
		t.Errorf("alternates %d %+v, want %s once", f.Alternates, f.AlternateSources, other.Path)
	}
	// Apart on one side, or in another order, or of another file: apart.
	for _, tc := range []struct {
		name string
		a, b Finding
	}{
		{"a gap in the source", piece(0, 300, 0, 300, src(1, "sys.go", 11, 40)), piece(300, 600, 300, 600, src(1, "sys.go", 60, 90))},
		{"another order", piece(0, 300, 0, 300, src(1, "sys.go", 41, 70)), piece(300, 600, 300, 600, src(1, "sys.go", 11, 40))},
		{"another file", piece(0, 300, 0, 300, src(1, "sys.go", 11, 40)), piece(300, 600, 300, 600, src(2, "sys2.go", 41, 70))},
	} {
		if got := foldOverlaps([]Finding{tc.a, tc.b}, k); len(got) != 2 {
			t.Errorf("%s: %d findings, want 2", tc.name, len(got))
		}
	}
}

// TestJoinPiecesOfSys matches the copy of golang.org/x/sys's
// zsyscall_darwin_amd64.go the module cache holds (a dependency of
// snipscan) against the older copy GOROOT vendors, which has other
// functions here and there: the copy came back as over a dozen findings
// of that one source, each range within the next on both sides, and is
// now one, with no two findings of one source file overlapping or
// touching on both sides in the same order.
func TestJoinPiecesOfSys(t *testing.T) {
	sys := testnet.ModuleDir(t, "golang.org/x/sys")
	db, err := buildCorpus(filepath.Join(t.TempDir(), "sys.db"), []string{"cmd/vendor/golang.org/x/sys/unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data, err := os.ReadFile(filepath.Join(sys, "unix", "zsyscall_darwin_amd64.go"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Match(context.Background(), db, []Target{target("zsyscall_darwin_amd64.go", data)}, Options{SourceText: gorootText})
	if err != nil {
		t.Fatal(err)
	}
	fs := res[0].Findings
	same := 0
	for i := range fs {
		if fs[i].Source.Path == "cmd/vendor/golang.org/x/sys/unix/zsyscall_darwin_amd64.go" {
			same++
		}
		for j := i + 1; j < len(fs); j++ {
			if joinable(&fs[i], &fs[j]) {
				t.Errorf("pieces of one copy apart: %v <- %s %v and %v <- %v", fs[i].Lines, fs[i].Source.Path, fs[i].Source.Lines, fs[j].Lines, fs[j].Source.Lines)
			}
		}
	}
	t.Logf("%d findings, %d of them from the vendored zsyscall_darwin_amd64.go", len(fs), same)
	if same == 0 {
		t.Errorf("the copy of zsyscall_darwin_amd64.go is not found")
	}
}

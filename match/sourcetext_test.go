package match

import (
	"context"
	"fmt"
	"go/parser"
	"go/printer"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/eval/mutate"
)

// gorootText reads corpus files from GOROOT/src, as scanner.Sources.Text
// does from an indexed directory (the tests index GOROOT's files as they
// are: the texts are those indexed, which Sources.Text checks).
func gorootText(f *corpus.FileInfo) []byte {
	for _, l := range f.Locations {
		if data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(l.Path))); err == nil {
			return data
		}
	}
	return nil
}

// corpusFuncs returns the functions of lo to hi lines of the test
// corpus's non-test files, in a fixed order.
func corpusFuncs(t *testing.T, lo, hi int) []mutate.Func {
	t.Helper()
	return funcsOf(t, corpusDirs, lo, hi)
}

// funcsOf returns the functions of lo to hi lines of the non-test files
// of GOROOT's dirs, in a fixed order.
func funcsOf(t *testing.T, dirs []string, lo, hi int) []mutate.Func {
	t.Helper()
	var out []mutate.Func
	for _, d := range dirs {
		paths, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", d, "*.go"))
		sort.Strings(paths)
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := mutate.Funcs(d+"/"+filepath.Base(p), data)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if n := f.EndLine - f.Line + 1; n >= lo && n <= hi {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// copies are mutated functions pasted into the host, one target each,
// with where each copy lies.
type copies struct {
	targets       []Target
	lines, slines [][2]int // the copy's lines in its target and in its source
	alt, altS     [][2]int // another right answer (mutate.Result.BodyLines); zero if none
	rels          []string // the source's slash path
}

// add pastes m, a mutation of sf, between head and tail.
func (c *copies) add(sf mutate.Func, m mutate.Result, head, tail string) {
	code := strings.TrimRight(m.Code, "\n")
	doc := head + "\n" + code + "\n" + tail
	start := lineOf(doc, len(head)+1)
	c.targets = append(c.targets, target(sf.File+"."+sf.Name+".go", []byte(doc)))
	c.lines = append(c.lines, [2]int{start, start + strings.Count(code, "\n")})
	c.slines, c.rels = append(c.slines, m.SrcLines), append(c.rels, sf.File)
	var alt [2]int
	if m.BodyLines[0] > 0 {
		alt = [2]int{start + m.BodyLines[0] - 1, start + m.BodyLines[1] - 1}
	}
	c.alt, c.altS = append(c.alt, alt), append(c.altS, m.BodySrcLines)
}

// found reports whether f names copy i's source with both ranges within
// 2 lines of the copy's, or of its other right answer if orAlt.
func (c *copies) found(i int, f Finding, orAlt bool) bool {
	if f.Source.Path != c.rels[i] {
		return false
	}
	if within(f.Lines, c.lines[i][0], c.lines[i][1], 2) && within(f.Source.Lines, c.slines[i][0], c.slines[i][1], 2) {
		return true
	}
	return orAlt && c.alt[i][0] > 0 && within(f.Lines, c.alt[i][0], c.alt[i][1], 2) && within(f.Source.Lines, c.altS[i][0], c.altS[i][1], 2)
}

// outside reports whether f lies outside copy i, in the host's code.
func (c *copies) outside(i int, f Finding) bool {
	return f.Lines[1] < c.lines[i][0]-2 || f.Lines[0] > c.lines[i][1]+2
}

// TestSourceTextSmallCopies pastes renamed and reformatted copies of small
// functions into a host file and matches them with and without the
// source's text: with it, the weak regions these copies leave are
// confirmed and their edges aligned, so more copies are found, each with
// both line ranges within 2 lines.
func TestSourceTextSmallCopies(t *testing.T) {
	for _, kind := range []string{mutate.Renamed, mutate.Verbatim, mutate.Reformatted} {
		t.Run(kind, func(t *testing.T) { smallCopies(t, kind) })
	}
}

func smallCopies(t *testing.T, kind string) {
	db := testCorpus(t)
	head, tail := host(t)
	funcs := corpusFuncs(t, 11, 16)
	if len(funcs) > 60 {
		funcs = funcs[:60]
	}
	var targets []Target
	type want struct {
		rel           string
		lines, slines [2]int
	}
	var wants []want
	for i, sf := range funcs {
		// Verbatim, or every local name renamed, as the evaluation's
		// renamed class does.
		m, err := mutate.Apply(sf, kind, uint64(i))
		if err != nil {
			continue
		}
		fn := m.Code
		doc := head + "\n" + fn + "\n" + tail
		start := lineOf(doc, len(head)+1)
		end := start + strings.Count(strings.TrimRight(fn, "\n"), "\n")
		targets = append(targets, target(sf.File+"."+sf.Name+".go", []byte(doc)))
		wants = append(wants, want{sf.File, [2]int{start, end}, m.SrcLines})
	}
	found := func(opts Options) (n int, res []Result) {
		res, err := Match(context.Background(), db, targets, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			for _, f := range r.Findings {
				if f.Source.Path == wants[i].rel && within(f.Lines, wants[i].lines[0], wants[i].lines[1], 2) &&
					within(f.Source.Lines, wants[i].slines[0], wants[i].slines[1], 2) {
					n++
					break
				}
			}
		}
		return n, res
	}
	without, _ := found(Options{})
	if again, _ := found(Options{}); again != without {
		t.Fatalf("nondeterministic: %d then %d", without, again)
	}
	with, res := found(Options{SourceText: gorootText})
	t.Logf("%d small %s copies: %d found without the source's text, %d with it", len(targets), kind, without, with)
	// Renamed: two normalized fingerprints make a (thin) candidate, which
	// a run aligned one after the other confirms; verbatim: two verbatim
	// fingerprints are enough for a candidate.
	need := len(targets) * 4 / 5
	if kind == mutate.Verbatim {
		need = len(targets) * 9 / 10
	}
	if with <= without || with < need {
		t.Errorf("the source's text found %d of %d copies, %d without it", with, len(targets), without)
	}
	// No finding elsewhere in the host file.
	for i, r := range res {
		for _, f := range r.Findings {
			if f.Lines[1] < wants[i].lines[0]-2 || f.Lines[0] > wants[i].lines[1]+2 {
				t.Errorf("%s: a finding outside the copy: lines %v from %s %v", r.Path, f.Lines, f.Source.Path, f.Source.Lines)
			}
		}
	}
}

// TestSourceTextNoFindings repeats TestNoFindings with the source's text:
// the weak regions of the project's own files and of idioms stay
// unconfirmed.
func TestSourceTextNoFindings(t *testing.T) {
	noFindings(t, Options{SourceText: gorootText})
}

// twinSource is a function written for this test in two platform
// variants that differ in two lines; a renamed copy of one must be traced
// to it, though the other sorts first.
const twinSource = `package disk

// Usage reports the space of the file system at path.
func Usage(path string) (total, free uint64, err error) {
	var st statfs
	if err = statfsCall(path, &st); err != nil {
		return 0, 0, err
	}
	blockSize := uint64(st.Bsize)
	total = uint64(st.Blocks) * blockSize
	free = uint64(st.Bavail) * blockSize
	if free > total {
		return 0, 0, errInconsistent(path, total, free)
	}
	reserved := uint64(st.Bfree-st.Bavail) * blockSize
	logUsage(path, total, free, reserved)
	return total, free, nil
}
`

func TestNearTwins(t *testing.T) {
	linux := twinSource
	// The variants differ in names only, which a renamed copy's
	// fingerprints cannot tell apart: a field and two functions.
	darwin := strings.NewReplacer("st.Bsize", "st.Iosize", "statfsCall", "statfsDarwin", "logUsage", "traceUsage").Replace(twinSource)
	db, read := textCorpus(t, map[string]string{"disk/stat_linux.go": linux, "disk/stat_darwin.go": darwin})
	// A copy of the linux variant with its local names renamed.
	cp := strings.NewReplacer("path", "p", "total", "all", "free", "avail", "st ", "fs ", "st.", "fs.", "&st", "&fs", "blockSize", "bs", "reserved", "res").Replace(linux)
	head, tail := host(t)
	doc := head + "\n" + strings.TrimPrefix(cp, "package disk\n") + "\n" + tail
	res, err := Match(context.Background(), db, []Target{target("copy.go", []byte(doc))}, Options{SourceText: read, MinTokens: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0].Findings) == 0 {
		t.Fatal("no finding")
	}
	if got := res[0].Findings[0].Source.Path; got != "disk/stat_linux.go" {
		t.Errorf("origin %s, want disk/stat_linux.go (the variant the copy's text agrees with)", got)
	}
}

// TestBridges pastes merged, split and loop-form copies of the test
// corpus's functions (the body inside a function of its own with checks
// and logging before it; the body cut in two functions; counting loops
// and range loops exchanged) and matches them with the source's text: the
// extension crosses the inserted code, the function extracted from the
// copy's tail and a changed loop header (a forward bridge skips a range
// clause of the source), so the finding spans the whole pasted code and
// starts at the source function's first line, for more copies than
// without bridges, and nothing is reported outside the copies.
func TestBridges(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	funcs := corpusFuncs(t, 15, 60)
	for _, kind := range []string{mutate.Merged, mutate.Split, mutate.LoopForm} {
		var c copies
		for i, sf := range funcs {
			if len(c.targets) == 30 {
				break
			}
			m, err := mutate.Apply(sf, kind, uint64(i))
			if err != nil {
				continue
			}
			c.add(sf, m, head, tail)
		}
		targets := c.targets
		found := func(opts Options) int {
			res, err := Match(context.Background(), db, targets, opts)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for i, r := range res {
				for _, f := range r.Findings {
					if c.found(i, f, false) {
						n++
					}
					if c.outside(i, f) {
						t.Errorf("%s %s: a finding outside the copy: lines %v from %s %v", kind, r.Path, f.Lines, f.Source.Path, f.Source.Lines)
					}
				}
			}
			return n
		}
		with := found(Options{SourceText: gorootText})
		without := found(Options{SourceText: gorootText, noBridges: true})
		t.Logf("%d %s copies: %d found with both ranges within 2 lines, %d without bridges", len(targets), kind, with, without)
		need := len(targets) * 2 / 3
		if kind == mutate.Split {
			need = len(targets) * 4 / 5 // the second function of most splits is recognized (extracted)
		}
		if len(targets) < 20 || with <= without || with < need {
			t.Errorf("%s: %d of %d copies found, %d without bridges", kind, with, len(targets), without)
		}
	}
}

// TestSmallMergedCopies pastes the bodies of small functions (10 to 14
// lines) into larger ones, between checks and logging (mutate.Merged):
// too few fingerprints to report on their own, they are confirmed by the
// source's text once the code the bridges skipped is left out of the
// shares (edge.gap).
func TestSmallMergedCopies(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	fp, err := fingerprint.New(fingerprint.Params{})
	if err != nil {
		t.Fatal(err)
	}
	var c copies
	for i, sf := range corpusFuncs(t, 10, 14) {
		if codeLines(fp.Tokens(fingerprint.Go, sf.Src[sf.Start:sf.End])) < 10 {
			continue // a body of 8 lines of code at least
		}
		m, err := mutate.Apply(sf, mutate.Merged, uint64(i))
		if err != nil {
			continue
		}
		c.add(sf, m, head, tail)
	}
	targets := c.targets
	if len(targets) < 20 {
		t.Fatalf("%d small functions to merge: too few", len(targets))
	}
	res, err := Match(context.Background(), db, targets, Options{SourceText: gorootText})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i, r := range res {
		if slices.ContainsFunc(r.Findings, func(f Finding) bool { return c.found(i, f, true) }) {
			found++
		}
		for _, f := range r.Findings {
			if c.outside(i, f) {
				t.Errorf("%s: a finding outside the copy: lines %v from %s %v", r.Path, f.Lines, f.Source.Path, f.Source.Lines)
			}
		}
	}
	t.Logf("%d of %d small merged copies found", found, len(targets))
	// 152 of 187; 136 (73%) when the shares counted the skipped code.
	if float64(found) < 0.78*float64(len(targets)) {
		t.Errorf("%d of %d small merged copies found, want 78%%", found, len(targets))
	}
}

// textCorpus indexes files (slash path -> Go source) into a new database
// and returns it with a SourceText that reads them back.
func textCorpus(t *testing.T, files map[string]string) (*corpus.DB, func(*corpus.FileInfo) []byte) {
	t.Helper()
	dir := t.TempDir()
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w, err := db.NewWriter(corpus.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rootID, _, err := w.Root(dir, "dir")
	if err != nil {
		t.Fatal(err)
	}
	fp, _ := fingerprint.New(fingerprint.Params{})
	for rel, src := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644)
		sum := corpus.Sum([]byte(src))
		id, _ := w.Claim(sum)
		res := fp.File(fingerprint.Go, []byte(src))
		rec := corpus.FileRecord{ID: id, Sum: sum, Size: int64(len(src)), Lines: res.Lines, Tokens: len(res.Tokens), Lang: fingerprint.Go, NormHash: res.NormHash}
		if err := w.AddFile(rec, slices.Clone(res.Fingerprints), corpus.Location{RootID: rootID, Path: rel, Size: rec.Size}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	read := func(f *corpus.FileInfo) []byte {
		data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Locations[0].Path)))
		return data
	}
	return db, read
}

// ledgerSource, written for this test, holds two methods of one shape
// that differ in their middle lines.
const ledgerSource = `package ledger

// Ledger is a list of amounts with a cursor.
type Ledger struct {
	entries []int64
	pos     int
}

// Credit writes amounts at the cursor, growing the ledger.
func (l *Ledger) Credit(amounts []int64) (n int, err error) {
	count := len(amounts)
	room := l.entries[l.pos:]
	if len(room) < count {
		l.entries = append(l.entries, make([]int64, count-len(room))...)
		room = l.entries[l.pos:]
	}
	copy(room, amounts)
	l.pos += count
	return count, nil
}

// Debit reads amounts from the cursor.
func (l *Ledger) Debit(amounts []int64) (n int, err error) {
	count := len(amounts)
	left := l.entries[l.pos:]
	if len(left) < count {
		count = len(left)
	}
	copy(amounts, left)
	l.pos += count
	return count, nil
}
`

// TestSimilarFunctionsOfOneFile gives bestRegion the two regions a
// renamed copy of Debit leaves in ledgerSource, one on Credit with a
// little more coverage (the k-grams across the copy's end match Credit's
// end and Debit's header), one on Debit: the source's text traces the copy
// to Debit; without it, the coverage decides.
func TestSimilarFunctionsOfOneFile(t *testing.T) {
	lineOfFunc := func(name string) (int32, int32) {
		at := strings.Index(ledgerSource, "func (l *Ledger) "+name)
		start := strings.Count(ledgerSource[:at], "\n") + 1
		end := start + strings.Count(ledgerSource[at:at+strings.Index(ledgerSource[at:], "\n}\n")+2], "\n")
		return int32(start), int32(end)
	}
	cs, ce := lineOfFunc("Credit")
	ds, de := lineOfFunc("Debit")
	debit := ledgerSource[strings.Index(ledgerSource, "func (l *Ledger) Debit"):]
	cp := strings.NewReplacer("(l *Ledger)", "(lg *Ledger)", "l.", "lg.", "amounts", "vals", "count", "k", "left", "rest", "Debit", "Take").Replace(debit)
	head, tail := host(t)
	doc := head + "\n" + cp + "\n" + tail
	tg := target("copy.go", []byte(doc))
	tstart := int32(lineOf(doc, len(head)+1))
	tend := tstart + int32(strings.Count(strings.TrimRight(cp, "\n"), "\n"))
	first := int32(slices.IndexFunc(tg.Lexed, func(tk fingerprint.Token) bool { return tk.Line >= tstart }))
	last := int32(slices.IndexFunc(tg.Lexed, func(tk fingerprint.Token) bool { return tk.Line > tend }))
	onCredit := &region{file: 1, tmin: tstart, tmax: tend, smin: cs, smax: ce + 2, first: first, last: last - 20, covered: 63}
	onDebit := &region{file: 1, tmin: tstart, tmax: tend - 2, smin: ds, smax: de - 2, first: first, last: last - 30, covered: 60}

	src := []byte(ledgerSource)
	fi := &corpus.FileInfo{FileRecord: corpus.FileRecord{ID: 1, Sum: corpus.Sum(src), Lang: fingerprint.Go}}
	files := map[uint32]*corpus.FileInfo{1: fi}
	opts := Options{k: 20}
	if got := bestRegion(&tg, []*region{onCredit, onDebit}, files, opts); got != onCredit {
		t.Errorf("without the source's text: the region on lines %d-%d, want Credit's (more coverage)", got.smin, got.smax)
	}
	sources, err := newSourceTokens(func(*corpus.FileInfo) []byte { return src }, corpus.Params{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	opts.sources = sources
	if got := bestRegion(&tg, []*region{onCredit, onDebit}, files, opts); got != onDebit {
		t.Errorf("with the source's text: the region on lines %d-%d, want Debit's %d-%d", got.smin, got.smax, ds, de)
	}
	// Two pieces of one function are not two functions: no text decides.
	piece := &region{file: 1, tmin: tstart + 2, tmax: tend, smin: ds + 2, smax: de, first: first + 10, last: last - 20, covered: 60}
	whole := &region{file: 1, tmin: tstart, tmax: tend, smin: ds, smax: de, first: first, last: last - 20, covered: 63}
	if got := bestRegion(&tg, []*region{whole, piece}, files, opts); got != whole {
		t.Errorf("two regions on Debit: got lines %d-%d, want the one of most coverage", got.smin, got.smax)
	}
}

// TestExtracted checks the recognition of a function extracted from a
// copy's tail, on code written for this test: the copy's last statement
// calls the function declared right after it, whose body is the source's
// last statement. A helper called elsewhere than in the last statement is
// not taken for one.
func TestExtracted(t *testing.T) {
	const source = `package ledger

func Balance(entries []int64, limit int64) (int64, error) {
	var sum int64
	for _, e := range entries {
		sum += e
	}
	if sum > limit {
		return 0, errOverLimit
	}
	return sum, nil
}
`
	const split = `package ledger

func Balance(entries []int64, limit int64) (int64, error) {
	var sum int64
	for _, e := range entries {
		sum += e
	}
	if sum > limit {
		return 0, errOverLimit
	}
	return balanceRest(sum)
}

func balanceRest(sum int64) (int64, error) {
	return sum, nil
}

func unrelated() {}
`
	const helper = `package ledger

func Balance(entries []int64, limit int64) (int64, error) {
	var sum int64
	for _, e := range entries {
		sum += e
	}
	check(sum)
	if sum > limit {
		return 0, errOverLimit
	}
	return sum, nil
}

func check(sum int64) (int64, error) {
	return sum, nil
}
`
	fp, _ := fingerprint.New(fingerprint.Params{})
	src := slices.Clone(fp.File(fingerprint.Go, []byte(source)).Tokens)
	// The copy's end: the closing brace of the last if, source line 10.
	endOf := func(toks []fingerprint.Token, line int32) int32 {
		return int32(slices.IndexFunc(toks, func(tk fingerprint.Token) bool { return tk.Line > line }))
	}
	tt := slices.Clone(fp.File(fingerprint.Go, []byte(split)).Tokens)
	e, s, ok := extracted(tt, src, endOf(tt, 10), 10)
	if !ok || tt[e-1].Line != 16 || src[s].Line != 12 {
		t.Errorf("split: ok %v, target end line %d, source line %d; want 16 and 12", ok, tt[max(e-1, 0)].Line, src[s].Line)
	}
	tt = slices.Clone(fp.File(fingerprint.Go, []byte(helper)).Tokens)
	if _, _, ok := extracted(tt, src, endOf(tt, 11), 10); ok {
		t.Error("a helper called in the middle of the copy was taken for its extracted tail")
	}
}

// TestRealignHead: a finding on a copy of Debit whose source range
// reached back to Credit, the method of the same shape before it, starts
// again at Debit's first line; one that starts there already, or one on a
// copy of both, keeps its start.
func TestRealignHead(t *testing.T) {
	fp, _ := fingerprint.New(fingerprint.Params{})
	src := slices.Clone(fp.File(fingerprint.Go, []byte(ledgerSource)).Tokens)
	lineAt := func(s string) int32 {
		return int32(strings.Count(ledgerSource[:strings.Index(ledgerSource, s)], "\n") + 1)
	}
	credit, debit := lineAt("func (l *Ledger) Credit"), lineAt("func (l *Ledger) Debit")
	end := int32(strings.Count(strings.TrimRight(ledgerSource, "\n"), "\n") + 1)
	for _, tc := range []struct {
		name string
		code string
		want int32
		ok   bool
	}{
		{"Debit", ledgerSource[strings.Index(ledgerSource, "func (l *Ledger) Debit"):], debit, true},
		{"both", ledgerSource[strings.Index(ledgerSource, "func (l *Ledger) Credit"):], 0, false},
	} {
		tt := slices.Clone(fp.File(fingerprint.Go, []byte("package p\n\n"+tc.code)).Tokens)
		first := int32(2) // after the package clause
		got, ok := realignHead(tt, first, int32(len(tt)), src, credit, end)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("%s: realignHead = %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
		// A range that already starts right stays.
		if tc.ok {
			if got, ok := realignHead(tt, first, int32(len(tt)), src, tc.want, end); ok {
				t.Errorf("%s, starting right: moved to %d", tc.name, got)
			}
		}
	}
}

// withoutComments returns the middle half of the top-level declarations
// of GOROOT file rel printed without their comments, as a bundler or a
// copy stripped of comments holds them, and the source lines they span.
func withoutComments(t *testing.T, rel string) (code string, first, last int) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(runtime.GOROOT(), "src", rel), nil, 0) // no comments
	if err != nil {
		t.Fatal(err)
	}
	a, b := len(f.Decls)/4, 3*len(f.Decls)/4
	var sb strings.Builder
	for _, d := range f.Decls[a:b] {
		if err := printer.Fprint(&sb, fset, d); err != nil {
			t.Fatal(err)
		}
		sb.WriteString("\n\n")
	}
	return sb.String(), fset.Position(f.Decls[a].Pos()).Line, fset.Position(f.Decls[b-1].End()).Line
}

// TestCopyWithoutComments pastes runs of declarations of corpus files
// without their comments into a host file: each is one finding whose
// source range spans all of the run, from its first declaration to its
// last (its source spans more lines than the copy by the comments; taken
// for a range stretched over a similar function before the copy, it
// lost all but the run's last declarations).
func TestCopyWithoutComments(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	for _, rel := range []string{"net/http/client.go", "strings/strings.go", "bufio/bufio.go", "text/tabwriter/tabwriter.go"} {
		t.Run(rel, func(t *testing.T) {
			code, first, last := withoutComments(t, rel)
			res, err := Match(context.Background(), db, []Target{target("host.go", []byte(head+"\n"+code+tail))}, Options{SourceText: gorootText})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range res[0].Findings {
				if f.Source.Path == rel {
					got = append(got, f)
				}
			}
			if len(got) != 1 || !within(got[0].Source.Lines, first, last, 3) {
				var ranges [][2]int
				for _, f := range got {
					ranges = append(ranges, f.Source.Lines)
				}
				t.Errorf("findings of %s with source lines %v, want one with %d-%d", rel, ranges, first, last)
			}
		})
	}
}

// TestTinyCopies pastes copies of the corpus's smallest functions worth
// reporting (10 to 12 lines, at least 8 of them code, at least t tokens:
// winnowing guarantees such a copy a single shared fingerprint) into a
// host file. With the source's text, a single rare verbatim hit is a
// candidate, and the alignment, anchored on the longest shared run,
// confirms it; a renamed copy of 10 lines is confirmed when its k-grams
// are rare.
func TestTinyCopies(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	fp, err := fingerprint.New(fingerprint.Params{})
	if err != nil {
		t.Fatal(err)
	}
	tokens := func(code string) []fingerprint.Token { return fp.Tokens(fingerprint.Go, []byte(code)) }
	// need is the share of copies to find: fewer renamed ones keep a
	// fingerprint. Functions shorter than winnowing's guarantee t may
	// keep only the k-gram that ends them (fingerprint.Fingerprint.End);
	// only their verbatim copies are confirmed: renamed, 25 tokens have
	// the shape of an idiom.
	guarantee := fingerprint.DefaultK + fingerprint.DefaultW - 1
	for _, c := range []struct {
		kind             string
		maxLines         int
		minToks, maxToks int
		need             float64
		minCases         int
	}{
		{mutate.Verbatim, 12, guarantee, 1 << 30, 0.9, 50},
		{mutate.Renamed, 12, guarantee, 1 << 30, 0.8, 50},
		// Short in tokens, long in lines (comments, one call per line):
		// all keep a single fingerprint.
		{mutate.Verbatim, 40, fingerprint.DefaultK, guarantee - 1, 0.9, 3},
	} {
		kind, need := c.kind, c.need
		var targets []Target
		var lines, slines [][2]int
		var rels []string
		var single []bool // the copy shares one fingerprint with its source
		for i, sf := range corpusFuncs(t, 10, c.maxLines) {
			if toks := tokens(string(sf.Src[sf.Start:sf.End])); len(toks) < c.minToks || len(toks) > c.maxToks || codeLines(toks) < DefaultMinLines {
				continue
			}
			m, err := mutate.Apply(sf, kind, uint64(i))
			if err != nil {
				continue
			}
			code := strings.TrimRight(m.Code, "\n")
			doc := head + "\n" + code + "\n" + tail
			start := lineOf(doc, len(head)+1)
			tg := target(sf.File+"."+sf.Name+".go", []byte(doc))
			end := start + strings.Count(code, "\n")
			srcHashes := map[uint64]bool{}
			for _, f := range fp.File(fingerprint.Go, sf.Src).Fingerprints {
				if int(f.Line) >= sf.Line && int(f.EndLine) <= sf.EndLine {
					srcHashes[f.Hash] = true
				}
			}
			shared := 0
			for _, f := range tg.Fingerprints {
				if int(f.Line) >= start && int(f.EndLine) <= end && srcHashes[f.Hash] {
					shared++
				}
			}
			targets = append(targets, tg)
			lines = append(lines, [2]int{start, end})
			slines, rels, single = append(slines, m.SrcLines), append(rels, sf.File), append(single, shared == 1)
		}
		if len(targets) < c.minCases {
			t.Fatalf("%d tiny functions of %d to %d tokens in the test corpus: too few", len(targets), c.minToks, c.maxToks)
		}
		res, err := Match(context.Background(), db, targets, Options{SourceText: gorootText})
		if err != nil {
			t.Fatal(err)
		}
		found, singles, singlesFound := 0, 0, 0
		for i, r := range res {
			if single[i] {
				singles++
			}
			for _, f := range r.Findings {
				// A twin elsewhere (bytes and strings share functions) is
				// named as an alternate origin.
				origin := f.Source.Path == rels[i] || slices.ContainsFunc(f.AlternateSources, func(s Source) bool { return s.Path == rels[i] })
				if origin && within(f.Lines, lines[i][0], lines[i][1], 2) && within(f.Source.Lines, slines[i][0], slines[i][1], 2) {
					found++
					if single[i] {
						singlesFound++
					}
					break
				}
			}
			// No finding elsewhere in the host file.
			for _, f := range r.Findings {
				if f.Lines[1] < lines[i][0]-2 || f.Lines[0] > lines[i][1]+2 {
					t.Errorf("%s: a finding outside the copy: lines %v from %s %v", r.Path, f.Lines, f.Source.Path, f.Source.Lines)
				}
			}
		}
		t.Logf("%d of %d tiny %s copies of %d to %d tokens found; of the %d with a single fingerprint, %d",
			found, len(targets), kind, c.minToks, c.maxToks, singles, singlesFound)
		// Copies of a single fingerprint: its k-gram ends the function
		// (above t tokens, the end's k-gram adds a second one).
		if c.maxToks < guarantee && (singles < 1 || float64(singlesFound) < need*float64(singles)) {
			t.Errorf("%d of %d verbatim copies of a single fingerprint found", singlesFound, singles)
		}
		if float64(found) < need*float64(len(targets)) {
			t.Errorf("%d of %d tiny %s copies found, want %.0f%%", found, len(targets), kind, 100*need)
		}
	}
}

// TestRenamedKeyedLiterals pastes renamed copies of small functions that
// build struct literals from variables of the fields' names
// (Hook{logger: logger}): renaming changes the values, not the keys, and
// the names must still map one to one. The functions are those of GOROOT
// where such pairs are a fifth of the names or more (rare in GOROOT, common
// in constructors elsewhere: sing-box's SendResize, logrus's NewHook).
func TestRenamedKeyedLiterals(t *testing.T) {
	dirs := []string{"go/types", "net", "runtime/pprof", "testing", "compress/gzip", "compress/zlib", "internal/trace"}
	db, err := buildCorpus(filepath.Join(t.TempDir(), "keyed.db"), dirs)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	head, tail := host(t)
	fp, err := fingerprint.New(fingerprint.Params{})
	if err != nil {
		t.Fatal(err)
	}
	var c copies
	for i, sf := range funcsOf(t, dirs, 10, 20) {
		toks := fp.Tokens(fingerprint.Go, sf.Src[sf.Start:sf.End])
		keyed, names := 0, 0 // keys followed by a value of the same name; identifiers
		keys := fingerprint.Keys(toks, nil)
		for j := range toks {
			if toks[j].Sym == fingerprint.SymIdent {
				names++
			}
			if keys[j] && j+2 < len(toks) && toks[j+2].Exact == toks[j].Exact {
				keyed++
			}
		}
		if keyed < 3 || 10*keyed < names {
			continue
		}
		m, err := mutate.Apply(sf, mutate.Renamed, uint64(i))
		if err != nil {
			continue
		}
		c.add(sf, m, head, tail)
	}
	targets := c.targets
	if len(targets) < 5 {
		t.Fatalf("%d small functions with keyed literals in %v: too few", len(targets), dirs)
	}
	res, err := Match(context.Background(), db, targets, Options{SourceText: gorootText})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i, r := range res {
		if slices.ContainsFunc(r.Findings, func(f Finding) bool { return c.found(i, f, false) }) {
			found++
		} else {
			t.Logf("missed: %s %v <- %v: %+v", c.rels[i], c.lines[i], c.slines[i], r.Findings)
		}
	}
	t.Logf("%d of %d renamed copies of functions with keyed literals found", found, len(targets))
	if float64(found) < 0.8*float64(len(targets)) {
		t.Errorf("%d of %d renamed copies of functions with keyed literals found, want 80%%", found, len(targets))
	}
}

// TestNoBridgeIntoNextDeclaration pastes copies (verbatim and renamed) of
// methods that the source follows with another method of the same
// receiver, and follows each in the host with a method of that
// receiver's name, after other code or right after a comment: the
// headers' first tokens agree as a bridge run would, and an extension
// would go on over them, but the copy ends where its method does.
func TestNoBridgeIntoNextDeclaration(t *testing.T) {
	db := testCorpus(t)
	head, tail := host(t)
	funcs := corpusFuncs(t, 12, 40)
	for _, kind := range []string{mutate.Verbatim, mutate.Renamed} {
		for _, between := range []string{"\nconst (\n\thostA%[1]d = \"a\"\n\thostB%[1]d = \"b\"\n)\n", "// hostMethod%[1]d prints x.\n"} {
			var targets []Target
			var lines [][2]int
			for i, sf := range funcs {
				next := string(sf.Src[sf.End:])
				if code := string(sf.Src[sf.Start:sf.End]); !strings.HasPrefix(code, "func (") ||
					!strings.HasPrefix(strings.TrimLeft(next, "\n"), "func ("+strings.Fields(code[len("func ("):])[0]+" ") {
					continue // not a method followed by a method of the same receiver
				}
				m, err := mutate.Apply(sf, kind, uint64(i))
				if err != nil {
					continue
				}
				code := strings.TrimRight(m.Code, "\n")
				recv := strings.Fields(code[len("func ("):])[0]
				other := fmt.Sprintf("\n"+between+"func (%s *hostType%d) hostMethod(x int) {\n\tprintln(x)\n}\n", i, recv, i)
				doc := head + "\n" + code + "\n" + other + tail
				start := lineOf(doc, len(head)+1)
				targets = append(targets, target(sf.File+"."+sf.Name+".go", []byte(doc)))
				lines = append(lines, [2]int{start, start + strings.Count(code, "\n")})
			}
			if len(targets) < 20 {
				t.Fatalf("%d methods followed by a method of the same receiver: too few", len(targets))
			}
			res, err := Match(context.Background(), db, targets, Options{SourceText: gorootText})
			if err != nil {
				t.Fatal(err)
			}
			found, over := 0, 0
			for i, r := range res {
				if slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Lines[0] <= lines[i][1] && f.Lines[1] >= lines[i][0] }) {
					found++
				}
				for _, f := range r.Findings {
					if f.Lines[0] > lines[i][1] || f.Lines[1] < lines[i][0] {
						continue
					}
					if f.Lines[1] > lines[i][1]+2 {
						over++
						t.Errorf("%s %s: copy at lines %v reported as %v (source %v)", kind, r.Path, lines[i], f.Lines, f.Source.Lines)
					}
				}
			}
			t.Logf("%s, host method after %q: %d copies, %d found, %d reported past their end", kind, between[:8], len(targets), found, over)
			if found < len(targets)*4/5 {
				t.Errorf("%s: %d of %d copies found", kind, found, len(targets))
			}
		}
	}
}

// TestSameShapeOtherTypes matches, against GOROOT's cmd/link/internal/ld
// (whose shlibRelocs is a struct, a slice type of it and sort methods),
// host code of the same shape declared with other types: its names map
// one to one, as a renamed copy's do, but renaming keeps the language's
// own names (string, uint64), and these differ. Nothing is confirmed;
// the same code with the types of the source is.
func TestSameShapeOtherTypes(t *testing.T) {
	db, err := buildCorpus(filepath.Join(t.TempDir(), "ld.db"), []string{"cmd/link/internal/ld"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	head, tail := host(t)
	const shape = `// entry is a word of the model with its weights.
type entry struct {
	s  %s
	wP %s
	wQ %s
}

// entries is the model: its words and their weights, to be sorted by
// word.
type entries []entry

func (s entries) Len() int           { return len(s) }
func (s entries) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s entries) Less(i, j int) bool { return s[i].s < s[j].s }
`
	count := func(code string) int {
		doc := head + "\n" + code + "\n" + tail
		res, err := Match(context.Background(), db, []Target{target("entries.go", []byte(doc))}, Options{SourceText: gorootText})
		if err != nil {
			t.Fatal(err)
		}
		start := lineOf(doc, len(head)+1)
		n := 0
		for _, f := range res[0].Findings {
			if f.Lines[1] >= start && f.Lines[0] <= start+strings.Count(code, "\n") {
				t.Logf("lines %v from %s %v", f.Lines, f.Source.Path, f.Source.Lines)
				n++
			}
		}
		return n
	}
	if n := count(fmt.Sprintf(shape, "string", "float64", "float64")); n != 0 {
		t.Errorf("%d findings on code of the source's shape with other types", n)
	}
	if n := count(fmt.Sprintf(strings.ReplaceAll(shape, "].s", "].addr"), "uint64", "string", "string")); n == 0 {
		t.Errorf("no finding on a renamed copy with the source's types")
	}
}

// TestTailInPython aligns the tail of a copy of a Python function
// (GOROOT's runtime-gdb.py) whose last lines no fingerprint covered: the
// extension reaches the function's end. Python's declarations are not
// delimited by braces, so the ends of declarations (see topLevel) do not
// apply: counted on every bracket, the call of each line ended one.
func TestTailInPython(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "runtime", "runtime-gdb.py"))
	if err != nil {
		t.Fatal(err)
	}
	fp, err := fingerprint.New(fingerprint.Params{})
	if err != nil {
		t.Fatal(err)
	}
	src := slices.Clone(fp.Tokens(fingerprint.Python, data))
	lines := strings.Split(string(data), "\n")
	// find_goroutine: from its def to the line before the next def.
	start, end := 0, 0
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "def find_goroutine("):
			start = i + 1
		case start > 0 && end == 0 && i+1 > start && (strings.HasPrefix(l, "def ") || strings.HasPrefix(l, "class ")):
			end = i // the last line before it, 1-based
		}
	}
	for end > start && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	if start == 0 || end-start < 30 {
		t.Fatalf("find_goroutine not found in runtime-gdb.py (%d-%d)", start, end)
	}
	copied := strings.Join(lines[start-1:end], "\n") + "\n"
	tt := slices.Clone(fp.Tokens(fingerprint.Python, []byte(copied)))
	// The region's hits stop 2 lines before the function's end.
	cut := int32(end - start + 1 - 2)
	last := int32(slices.IndexFunc(tt, func(tk fingerprint.Token) bool { return tk.Line > cut }))
	_, tail := refine(tt, 0, last, src, declEnds(fingerprint.Python, src), int32(start), int32(start)+cut-1, fingerprint.DefaultK, refineBridges)
	if !tail.ok || tail.sline < int32(end)-1 {
		t.Errorf("tail of find_goroutine (lines %d-%d, region to %d): ok %v, source line %d", start, end, int32(start)+cut-1, tail.ok, tail.sline)
	}
}

// TestTailPastSecondEnd aligns the tail of a region that straddles the end
// of a first copied function into a second one, itself copied whole and
// followed, in the source and in the target, by different one-line
// methods of the same shape: the first end is crossed (the second
// function aligns on), the second one ends the copy.
func TestTailPastSecondEnd(t *testing.T) {
	const first = "func scale(n int) int {\n\tm := n * 3\n\tif m > 99 {\n\t\tm -= 7\n\t}\n\treturn m\n}\n"
	const second = "func total(xs []int) int {\n\tsum := 0\n\tfor _, x := range xs {\n\t\tif x > 0 {\n\t\t\tsum += x\n\t\t}\n\t}\n\treturn sum\n}\n"
	srcText := "package p\n\n" + first + "\n" + second + "\nfunc (s *Set) Name() string { return s.name }\n\nvar count = 1\n"
	tgtText := "package q\n\n" + first + "\n" + second + "\nfunc (b *Box) Label() string { return b.label }\n\nconst mode = \"x\"\n"
	src := fingerprint.Tokenize(fingerprint.Go, []byte(srcText), nil)
	tt := fingerprint.Tokenize(fingerprint.Go, []byte(tgtText), nil)
	firstEnd := int32(3 + strings.Count(first, "\n") - 1)          // the line of first's closing brace
	secondEnd := firstEnd + 1 + int32(strings.Count(second, "\n")) // the line of second's
	close1 := slices.IndexFunc(tt, func(tk fingerprint.Token) bool { return tk.Sym == symCloseBrace && tk.Line == firstEnd })
	if close1 < 0 {
		t.Fatalf("no closing brace on line %d", firstEnd)
	}
	for _, into := range []int{3, 10} {
		last := int32(close1 + 1 + into) // the region's last k-gram reaches into the second function
		_, tail := refine(tt, 2, last, src, declEnds(fingerprint.Go, src), 3, tt[last-1].Line, fingerprint.DefaultK, refineBridges)
		if !tail.ok || tt[tail.pos-1].Line != secondEnd {
			got := int32(0)
			if tail.ok {
				got = tt[tail.pos-1].Line
			}
			t.Errorf("region %d tokens into the second function: tail ok %v, ends on line %d, want line %d", into, tail.ok, got, secondEnd)
		}
	}
}

// TestTopLevelInClass checks that the ends of declarations the extensions
// stop at are those of fingerprint.Decls, methods in a class included: in
// Java (our own), the closing brace of a method ends one, that of a block
// in it does not.
func TestTopLevelInClass(t *testing.T) {
	src := []byte("class A {\n    int f(int x) {\n        if (x > 0) {\n            return x;\n        }\n        return 0;\n    }\n    int g() {\n        return 1;\n    }\n}\n")
	toks := fingerprint.Tokenize(fingerprint.Java, src, nil)
	top := newTopLevel(0, 0, declEnds(fingerprint.Java, toks))
	ends := map[int32]bool{}
	for i := range toks {
		if top.closes(i) {
			ends[toks[i].Line] = true
		}
	}
	if want := map[int32]bool{7: true, 10: true, 11: true}; !maps.Equal(ends, want) {
		t.Errorf("declarations end at lines %v, want %v", slices.Sorted(maps.Keys(ends)), slices.Sorted(maps.Keys(want)))
	}
	if e := top.nextEnd(0); e < 0 || toks[e].Line != 7 {
		t.Errorf("first end at token %d, want the brace of line 7", e)
	}
	// Python: no braces end anything.
	py := fingerprint.Tokenize(fingerprint.Python, []byte("d = {\n    'a': 1,\n}\n"), nil)
	if e := newTopLevel(0, 0, declEnds(fingerprint.Python, py)).nextEnd(0); e >= 0 {
		t.Errorf("a Python dictionary ends a declaration at token %d", e)
	}
}

// TestNoBridgeToAnIdiom pastes, into a test function of our own, the
// opening that os/rawconn_test.go shares with many tests (a pipe, an
// error check, two deferred closes), then lines of its own and another
// error check: a forward bridge over those lines reaches the check, and
// with the skipped code left out of the shares it made a small copy of
// the idiom. The code past a forward gap must be as long as the gap.
func TestNoBridgeToAnIdiom(t *testing.T) {
	db, err := buildCorpus(filepath.Join(t.TempDir(), "os.db"), []string{"os"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := `package p

import (
	"os"
	"testing"
)

func TestPipeMessage(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()

	message := []byte("a message of our own, longer than the other lines here")
	count, err := w.Write(append(message, '\n'))
	if err != nil {
		t.Fatal(err)
	}
	if count != len(message)+1 {
		t.Errorf("wrote %d bytes", count)
	}
}
`
	res, err := Match(context.Background(), db, []Target{target("pipe_test.go", []byte(src))}, Options{SourceText: gorootText})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res[0].Findings {
		t.Errorf("a finding on an idiom: lines %v from %s %v", f.Lines, f.Source.Path, f.Source.Lines)
	}
}

// TestTextDiceBoundsTheSource compares a piece of a real table file (the
// first 1,000 tokens of GOROOT's unicode/tables.go) with source lines
// that hold many times as many tokens, as the widened lines of a table
// whose lines are long do: textDice declines (-1) past its window
// (twinWindow times the target's tokens plus twinSlack) instead of
// aligning them (x/text's width/tables15.0.0.go against GOROOT's copy
// took gigabytes before the window and the linear-space alignment).
// Source lines of about as many tokens are still compared.
func TestTextDiceBoundsTheSource(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "unicode", "tables.go"))
	if err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	tg := target("tables.go", data)
	src := tg.Lexed
	opts := Options{k: 20}
	first, last := int32(0), int32(1000)
	wide := twinWindow*(1000+opts.k) + twinSlack
	if len(src) < 2*wide {
		t.Fatalf("unicode/tables.go has %d tokens, want at least %d", len(src), 2*wide)
	}
	// Source lines 1 up to the line of the n-th token.
	lines := func(n int) int32 { return src[n].Line }
	if agree, _, nb := textDice(&tg, first, last, 1, lines(1200), src, opts); agree < 1000 || nb > 2*twinTokens {
		t.Errorf("source lines of %d tokens: agreement %d, want the 1,000 tokens compared", nb, agree)
	}
	if agree, na, nb := textDice(&tg, first, last, 1, lines(2*wide), src, opts); agree != -1 {
		t.Errorf("source lines of %d tokens against %d: agreement %d, want -1 (not compared)", nb, na, agree)
	}
}

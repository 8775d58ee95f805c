// Package mutate rewrites Go functions the ways people and AI assistants
// launder copied code: renaming, re-commenting, reformatting, reordering
// independent statements, taking part of a function, splitting it in two,
// merging it into a function of one's own, and changing the form of loops.
//
// The evaluation harness takes functions from a corpus with [Funcs],
// mutates them with [Apply] and pastes the [Result] into other files to
// measure whether snipscan still finds the copied code.
//
// Every mutation works on the text of the original function and the
// syntax tree of that text: edits are made to the source bytes and the
// result is passed through gofmt (except [Reformatted], which lays the
// tokens out itself). Comments inside the function therefore survive in
// every kind except [Comments] (Partial keeps those among the statements
// it takes). Output is deterministic for a given function, kind and seed.
//
// What is local to a function is decided by a scope walk over the
// function, which needs no type information; facts about the rest of the
// file (its identifiers, imports, package-level types and constants) come
// from the file, parsed once by [Funcs]. Without types, a few things are
// judged from the syntax: keys of composite literals whose type is not
// declared in the file are taken to be field names, so Renamed leaves a
// local variable used as a key of a map literal of such a type unrenamed
// there (the result then does not compile); an embedded field whose type
// is a type declared in the function is renamed with the type; LoopForm
// only treats a variable as a slice when its declaration says so.
//
// The kinds that should keep a function compiling (all but Partial and
// Merged) are tested by type-checking GOROOT packages with every function
// replaced, and (opt-in) by running those packages' tests.
package mutate

import (
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/snipscan/snipscan/rewrite"
)

// Func is one function (or method) declaration taken from a Go source file.
type Func struct {
	File          string // path, for messages
	Src           []byte // the whole file
	Start, End    int    // byte offsets of the FuncDecl in Src, doc comment excluded (ast.FuncDecl.Pos()/End())
	Line, EndLine int    // 1-based lines of Start and End-1
	Name          string

	// info holds facts about the whole file, shared (read-only) by the
	// Funcs that [Funcs] returns for one file. It is nil when the caller
	// built the Func itself; Apply then derives it from Src.
	info *fileInfo
}

// The mutation kinds. The strings are stable: they appear in reports.
const (
	// Verbatim is the function unchanged.
	Verbatim = "verbatim"
	// Renamed renames consistently, to fresh names, every identifier local
	// to the function: parameters, results, receiver, locals, local types
	// and constants, type parameters, labels and the function's own name
	// (and, for a method, recursive calls recv.Name). Package-level and
	// imported names, fields and selectors are kept. One old name always
	// maps to one new name, and new names appear nowhere in the file.
	Renamed = "renamed"
	// Comments removes every comment and inserts comments of its own
	// wording before some statements (at least one).
	Comments = "comments"
	// Reformatted changes the layout only: indentation with 2 or 4 spaces,
	// blank lines between statements, long argument lists and composite
	// literals broken over lines or short multi-line ones joined. The
	// token sequence is unchanged (apart from automatic semicolons).
	Reformatted = "reformatted"
	// Reordered swaps at least one pair of adjacent statements that are
	// independent (see [Apply] for the rules).
	Reordered = "reordered"
	// Partial takes a contiguous half of the body's top-level statements
	// (first or second half, by seed) and wraps it in a function of its
	// own whose parameters are the receiver and the parameters of the
	// original; it need not type-check. It needs two statements.
	Partial = "partial"
	// Split cuts the body at a top-level statement boundary into two
	// functions, the first calling the second, where no local variable
	// declared before the cut is used after it, no label is used across it
	// and named results are not used before it. The second function takes
	// the parameters it uses; it is a method when the original is a
	// method with a named receiver.
	Split = "split"
	// Merged places the body inside a larger function of its own (the
	// original's signature under a new name), with a parameter check, a
	// log call, a timing or a deferred log call before it and, when the
	// end of the body is reachable, a log call after it. It calls log and
	// time without importing them.
	Merged = "merged"
	// LoopForm rewrites three-clause counting loops as range loops and
	// range loops over slices as three-clause loops (see [Apply]).
	LoopForm = "loopform"
)

// Kinds lists every Kind, in the order of their declaration.
func Kinds() []string {
	return []string{Verbatim, Renamed, Comments, Reformatted, Reordered, Partial, Split, Merged, LoopForm}
}

// ErrNotApplicable is returned when a mutation cannot apply to a function
// (no legal reorder, no loop, no cut point, body too short).
var ErrNotApplicable = errors.New("mutation not applicable")

// Result is a mutated function.
type Result struct {
	// Code is Go source of one or more top-level declarations, without a
	// package clause; "package p\n"+Code parses. Every kind but
	// Reformatted and Verbatim is gofmt-formatted.
	Code string
	// SrcLines are the lines of the original file (inclusive) that the
	// copied code comes from: the whole function, or the first and last
	// line of the statements taken for Partial. All of Code is the copy:
	// a merged function's header and closing brace are the original's
	// (renamed), the lines it adds sit inside the copy, as a split
	// function's call and second header do.
	SrcLines [2]int
	// Applied names the transformations a Rewrite applied, in order and
	// comma-separated (a string keeps Result comparable).
	Applied string
	// BodyLines and BodySrcLines, when set, are another answer as right.
	// For Merged: the lines of Code that hold the original body, and the
	// body's lines in the original file (a tool may report the whole
	// function or the copied statements alone). For Partial of the first
	// half: all of Code, and the original's lines from its header to the
	// last statement taken (the new header is the original's, renamed).
	BodyLines, BodySrcLines [2]int
}

// Funcs parses a Go file and returns its function declarations with a
// body (methods included), in source order.
func Funcs(path string, src []byte) ([]Func, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	info := newFileInfo(file)
	var out []Func
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		start := fset.PositionFor(fd.Pos(), false)
		end := fset.PositionFor(fd.End(), false)
		last := fset.PositionFor(fd.End()-1, false)
		out = append(out, Func{
			File:    path,
			Src:     src,
			Start:   start.Offset,
			End:     end.Offset,
			Line:    start.Line,
			EndLine: last.Line,
			Name:    fd.Name.Name,
			info:    info,
		})
	}
	return out, nil
}

// Apply applies mutation kind to f with the given seed. It returns an
// error wrapping [ErrNotApplicable] when the mutation cannot change f.
//
// Reordered only swaps two adjacent statements that are simple
// (assignments, declarations, increments, expression statements) or
// compound (if, for, switch, blocks) with no return, goto, defer, go,
// labeled statement or break and continue leaving them; whose sets of
// identifiers are disjoint apart from package and predeclared names; and
// of which neither writes memory (through a pointer, field, element or
// package-level variable, or by calling a function or receiving) while
// the other reads or writes memory. Two statements with calls are thus
// never swapped. Non-overlapping pairs are swapped by seed.
//
// LoopForm rewrites `for i := 0; i < len(x); i++` to `for i := range x`
// when x is known (from its declaration) to be a slice or array, else to
// `for i := range len(x)`; `for i := 0; i < n; i++` (n built from
// literals, variables and len) to `for i := range n` (`for range n` when
// the body ignores i); `for i, v := range x` over a known slice, and
// `for i := range x` over a known array or an integer, to the
// three-clause form with `v := x[i]` first in the body. It only does so
// when the body assigns neither the index nor x (nor, when x is a field
// or package-level variable, calls anything). A subset of the eligible
// loops, by seed, is rewritten.
//
// Partial and Merged need not type-check; the other kinds keep a
// function that compiled compiling.
func Apply(f Func, kind string, seed uint64) (Result, error) {
	if !slices.Contains(Kinds(), kind) {
		return Result{}, fmt.Errorf("mutate: unknown kind %q", kind)
	}
	c, err := newCtx(f, kind, seed)
	if err != nil {
		return Result{}, err
	}
	var code string
	lines := [2]int{f.Line, f.EndLine}
	switch kind {
	case Verbatim:
		code := string(c.text)
		return Result{Code: code, SrcLines: lines}, nil
	case Renamed:
		code, err = c.renamed()
	case Comments:
		code, err = c.comments()
	case Reformatted:
		code, err = c.reformatted()
	case Reordered:
		code, err = c.reordered()
	case Partial:
		var header [2]int
		if code, lines, header, err = c.partial(); err == nil && header[0] > 0 {
			n := strings.Count(strings.TrimRight(code, "\n"), "\n") + 1
			return Result{Code: code, SrcLines: lines, BodyLines: [2]int{1, n}, BodySrcLines: header}, nil
		}
	case Split:
		code, err = c.split()
	case Merged:
		var body, bodySrc [2]int
		if code, body, bodySrc, err = c.merged(); err == nil {
			return Result{Code: code, SrcLines: lines, BodyLines: body, BodySrcLines: bodySrc}, nil
		}
	case LoopForm:
		code, err = c.loopForm()
	}
	if err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(code) == strings.TrimSpace(string(c.text)) {
		return Result{}, fmt.Errorf("%s: %s left %s unchanged: %w", f.File, kind, f.Name, ErrNotApplicable)
	}
	return Result{Code: code, SrcLines: lines}, nil
}

// notApplicable returns an error wrapping ErrNotApplicable.
func (c *ctx) notApplicable(why string) error {
	return fmt.Errorf("%s: %s on %s: %s: %w", c.f.File, c.kind, c.f.Name, why, ErrNotApplicable)
}

// prefix is put before the function's text to parse it on its own.
const prefix = "package p\n"

// ctx holds what one Apply call works on.
type ctx struct {
	f    Func
	kind string
	info *fileInfo
	text []byte // f.Src[f.Start:f.End]
	fset *token.FileSet
	tf   *token.File
	file *ast.File // prefix + text
	decl *ast.FuncDecl
	rng  *rand.Rand
	res  *resolution // nil until resolve is called
}

func newCtx(f Func, kind string, seed uint64) (*ctx, error) {
	if f.Start < 0 || f.End > len(f.Src) || f.Start >= f.End {
		return nil, fmt.Errorf("mutate: %s: bad offsets [%d,%d) for %s", f.File, f.Start, f.End, f.Name)
	}
	c := &ctx{f: f, kind: kind, text: f.Src[f.Start:f.End], info: f.info}
	c.fset = token.NewFileSet()
	file, err := parser.ParseFile(c.fset, f.File, prefix+string(c.text), parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("mutate: %s: %s: %v", f.File, f.Name, err)
	}
	if len(file.Decls) != 1 {
		return nil, fmt.Errorf("mutate: %s: [%d,%d) holds %d declarations, want one function", f.File, f.Start, f.End, len(file.Decls))
	}
	fd, ok := file.Decls[0].(*ast.FuncDecl)
	if !ok || fd.Body == nil {
		return nil, fmt.Errorf("mutate: %s: [%d,%d) is not a function with a body", f.File, f.Start, f.End)
	}
	c.file, c.decl = file, fd
	c.tf = c.fset.File(file.Pos())
	if c.info == nil {
		c.info = fileInfoFromSrc(f.Src)
	}
	h := fnv.New64a()
	h.Write([]byte(kind))
	c.rng = rand.New(rand.NewPCG(seed, h.Sum64()))
	return c, nil
}

// off returns the offset of p in c.text.
func (c *ctx) off(p token.Pos) int { return c.tf.Offset(p) - len(prefix) }

// line returns the line of p in the original file.
func (c *ctx) line(p token.Pos) int {
	return c.f.Line + c.fset.PositionFor(p, false).Line - 2
}

// src returns the text of n.
func (c *ctx) src(n ast.Node) string { return string(c.text[c.off(n.Pos()):c.off(n.End())]) }

// span returns the text between two positions.
func (c *ctx) span(from, to token.Pos) string { return string(c.text[c.off(from):c.off(to)]) }

// edit replaces text[start:end] (offsets in ctx.text) with text.
type edit struct {
	start, end int
	text       string
}

// applyEdits applies non-overlapping edits to text. Insertions at one
// offset keep their order.
func applyEdits(text []byte, edits []edit) (string, error) {
	slices.SortStableFunc(edits, func(a, b edit) int { return a.start - b.start })
	var b strings.Builder
	at := 0
	for _, e := range edits {
		if e.start < at || e.end < e.start || e.end > len(text) {
			return "", fmt.Errorf("mutate: overlapping edits at %d", e.start)
		}
		b.Write(text[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.Write(text[at:])
	return b.String(), nil
}

// gofmt formats top-level declarations.
func gofmt(code string) (string, error) {
	const pkg = "package p\n\n"
	out, err := format.Source([]byte(pkg + code))
	if err != nil {
		return "", fmt.Errorf("mutate: formatting the result: %v", err)
	}
	s, ok := strings.CutPrefix(string(out), pkg)
	if !ok {
		return "", fmt.Errorf("mutate: formatting the result: unexpected output")
	}
	return strings.TrimRight(s, "\n"), nil
}

// fileInfo holds facts about a whole file.
type fileInfo struct {
	idents  map[string]bool                // every identifier spelled in the file
	imports map[string]bool                // names under which packages are imported
	types   map[string]ast.Expr            // package-level types: name -> type expression
	fields  map[string]map[string]ast.Expr // package-level struct types: name -> field -> type
	consts  map[string]bool                // package-level constants
}

func newFileInfo(file *ast.File) *fileInfo {
	fi := &fileInfo{
		idents:  map[string]bool{},
		imports: map[string]bool{},
		types:   map[string]ast.Expr{},
		fields:  map[string]map[string]ast.Expr{},
		consts:  map[string]bool{},
	}
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			fi.idents[id.Name] = true
		}
		return true
	})
	for _, imp := range file.Imports {
		if imp.Name != nil {
			if imp.Name.Name != "_" && imp.Name.Name != "." {
				fi.imports[imp.Name.Name] = true
			}
			continue
		}
		if p, err := strconv.Unquote(imp.Path.Value); err == nil {
			fi.imports[rewrite.ImportName(p)] = true
		}
	}
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if ok && gd.Tok == token.CONST {
			for _, s := range gd.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					fi.consts[n.Name] = true
				}
			}
		}
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			fi.types[ts.Name.Name] = ts.Type
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			m := map[string]ast.Expr{}
			for _, fl := range st.Fields.List {
				for _, n := range fl.Names {
					m[n.Name] = fl.Type
				}
			}
			fi.fields[ts.Name.Name] = m
		}
	}
	return fi
}

// fileInfoFromSrc derives a fileInfo from a file's source; when the file
// does not parse it falls back to the identifiers the scanner sees.
func fileInfoFromSrc(src []byte) *fileInfo {
	fset := token.NewFileSet()
	if file, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution); err == nil {
		return newFileInfo(file)
	}
	fi := &fileInfo{idents: map[string]bool{}, imports: map[string]bool{}, types: map[string]ast.Expr{},
		fields: map[string]map[string]ast.Expr{}, consts: map[string]bool{}}
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.IDENT {
			fi.idents[lit] = true
		}
	}
	return fi
}

// namer hands out identifiers that collide with nothing in the file.
type namer struct {
	file  map[string]bool // the file's identifiers, shared and read-only
	taken map[string]bool // the function's identifiers and names handed out
}

func (c *ctx) newNamer() *namer {
	n := &namer{file: c.info.idents, taken: map[string]bool{}}
	// The function's own identifiers (the file's are a superset, unless
	// the caller built Func by hand).
	ast.Inspect(c.decl, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			n.taken[id.Name] = true
		}
		return true
	})
	return n
}

func (n *namer) ok(s string) bool {
	return s != "" && s != "_" && !n.taken[s] && !n.file[s] && !rewrite.Predeclared(s) && !token.IsKeyword(s) && token.IsIdentifier(s)
}

// fresh returns the first candidate not taken, else the first candidate
// with a number appended, and marks it taken.
func (n *namer) fresh(cands ...string) string {
	for _, s := range cands {
		if n.ok(s) {
			n.taken[s] = true
			return s
		}
	}
	base := "v"
	if len(cands) > 0 && token.IsIdentifier(cands[0]) {
		base = cands[0]
	}
	for i := 2; ; i++ {
		s := base + strconv.Itoa(i)
		if n.ok(s) {
			n.taken[s] = true
			return s
		}
	}
}

// upperFirst and lowerFirst change the case of the first letter.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// withCase gives name the exportedness of like.
func withCase(name, like string) string {
	if ast.IsExported(like) {
		return upperFirst(name)
	}
	return lowerFirst(name)
}

// baseName returns the function's name without a leading capital, for
// building names of one's own from it.
func (c *ctx) baseName() string {
	n := c.decl.Name.Name
	if n == "_" || n == "init" || n == "main" {
		return "step"
	}
	return strings.TrimLeft(n, "_")
}

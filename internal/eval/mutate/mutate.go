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
// every kind except [Comments]. Output is deterministic for a given
// function, kind and seed.
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
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
	// and constants, type parameters, labels and the function's own name.
	// Package-level and imported names, fields and selectors are kept.
	// One old name always maps to one new name.
	Renamed = "renamed"
	// Comments removes every comment and inserts comments of its own
	// wording before some statements (at least one).
	Comments = "comments"
	// Reformatted changes the layout only: indentation with 2 or 4 spaces,
	// blank lines between statements, long argument lists and composite
	// literals broken over lines or short multi-line ones joined. The
	// token sequence is unchanged (apart from automatic semicolons).
	Reformatted = "reformatted"
	// Reordered swaps at least one pair of adjacent independent simple
	// statements (see [Apply] for the rules).
	Reordered = "reordered"
	// Partial takes a contiguous half of the body's top-level statements
	// (first or second half, by seed) and wraps it in a new signature.
	Partial = "partial"
	// Split cuts the body at a top-level statement boundary into two
	// functions, the first calling the second.
	Split = "split"
	// Merged places the body inside a larger function of its own, with a
	// few statements of its own before and after.
	Merged = "merged"
	// LoopForm rewrites three-clause counting loops as range loops and
	// range loops over slices as three-clause loops.
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
	// copied code comes from: the whole function for most kinds, the
	// first and last line of the statements taken for Partial.
	SrcLines [2]int
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
// Reordered only swaps two adjacent simple statements (assignments,
// declarations, increments, expression statements; never return, break,
// continue, goto, defer, go, labeled or compound statements) whose sets of
// identifiers are disjoint apart from package and predeclared names, and
// of which at most one touches memory other than plain local variables
// when the other writes memory or calls a function: calls count as
// writing memory, so two statements with calls are never swapped.
//
// LoopForm rewrites `for i := 0; i < len(x); i++` to `for i := range x`
// when x is known (from its declaration) to be a slice or array, else to
// `for i := range len(x)`, and `for i := 0; i < n; i++` to
// `for i := range n`; it rewrites `for i, v := range x` over a known slice
// (and `for i := range n`) to the three-clause form. It only does so when
// the body assigns neither the index nor x. Types are judged from the
// syntax, without type checking.
//
// Partial and Merged need not type-check (Merged calls log and time
// without importing them); the other kinds keep a function that compiled
// compiling, as far as the checks from syntax alone allow.
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
		return Result{Code: string(c.text), SrcLines: lines}, nil
	case Renamed:
		code, err = c.renamed()
	case Comments:
		code, err = c.comments()
	case Reformatted:
		code, err = c.reformatted()
	case Reordered:
		code, err = c.reordered()
	case Partial:
		code, lines, err = c.partial()
	case Split:
		code, err = c.split()
	case Merged:
		code, err = c.merged()
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
			fi.imports[importName(p)] = true
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

// importName guesses the name a package is imported under from its path.
func importName(p string) string {
	elems := strings.Split(p, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && isDigits(name[1:]) {
		name = elems[len(elems)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 && isDigits(name[i+2:]) {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "go-")
	if i := strings.LastIndexAny(name, "-."); i >= 0 {
		name = name[i+1:]
	}
	return path.Base(name)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// predeclared are Go's predeclared identifiers.
var predeclared = map[string]bool{
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true, "complex128": true,
	"error": true, "float32": true, "float64": true, "int": true, "int8": true, "int16": true,
	"int32": true, "int64": true, "rune": true, "string": true, "uint": true, "uint8": true,
	"uint16": true, "uint32": true, "uint64": true, "uintptr": true, "true": true, "false": true,
	"iota": true, "nil": true, "append": true, "cap": true, "clear": true, "close": true,
	"complex": true, "copy": true, "delete": true, "imag": true, "len": true, "make": true,
	"max": true, "min": true, "new": true, "panic": true, "print": true, "println": true,
	"real": true, "recover": true,
}

// namer hands out identifiers that collide with nothing in the file.
type namer struct{ taken map[string]bool }

func (c *ctx) newNamer() *namer {
	n := &namer{taken: map[string]bool{}}
	for id := range c.info.idents {
		n.taken[id] = true
	}
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
	return s != "" && s != "_" && !n.taken[s] && !predeclared[s] && !token.IsKeyword(s) && token.IsIdentifier(s)
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

package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
)

// Unit is a function, or a function together with the same-file helpers
// it calls, described by its features.
type Unit struct {
	Name    string   // the function's name (Recv.Name for a method)
	Helpers []string // the names of the helpers included, if any
	// Line and EndLine span the unit: from the doc comment of its first
	// function to the closing brace of its last (helpers included).
	Line, EndLine int
	// FuncLine and FuncEndLine span the function alone, doc comment
	// included.
	FuncLine, FuncEndLine int
	Stmts                 int // statements, helpers included
	Bag                   Bag
	// Off and End are the byte range of Line to EndLine: the offset of
	// the first byte of Line and of the byte after the last closing brace.
	Off, End int
	// Evidence names the anchor features of the file's functions (an API
	// call, a literal, a type shape) in the words of the code; set with
	// Options.Evidence, shared by the units of one file.
	Evidence map[uint32]string
}

// Options configure Extract.
type Options struct {
	// MinStmts is the smallest unit kept, in statements; zero means
	// DefaultMinStmts.
	MinStmts int
	// Helpers adds, for every function that calls functions declared in
	// the same file, a unit of the function with those helpers.
	Helpers bool
	// Evidence names the anchor features in Unit.Evidence, so that a
	// match can say what it shares ([Match.Evidence]).
	Evidence bool
}

// DefaultMinStmts is the default smallest unit: smaller functions hold
// too little to tell a copy from an idiom.
const DefaultMinStmts = 8

// maxHelpers bounds the helpers added to one unit.
const maxHelpers = 4

// generated is the marker of generated Go files.
var generated = []byte("// Code generated ")

// IsGenerated reports whether a Go source file says it was generated.
func IsGenerated(src []byte) bool {
	for line := range bytes.Lines(src) {
		if bytes.HasPrefix(line, generated) && bytes.Contains(line, []byte("DO NOT EDIT")) {
			return true
		}
		if bytes.HasPrefix(line, []byte("package ")) {
			return false
		}
	}
	return false
}

// Extract parses a Go source file and returns its units, in source order
// (each function before its unit with helpers). A generated file has none.
func Extract(name string, src []byte, opts Options) ([]Unit, error) {
	if opts.MinStmts <= 0 {
		opts.MinStmts = DefaultMinStmts
	}
	if IsGenerated(src) {
		return nil, nil
	}
	fset := token.NewFileSet()
	// Without ParseComments: parsing comments costs a fifth of the
	// parse, and docLine finds doc comments from the text.
	file, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("rewrite: parse %s: %w", name, err)
	}
	return fileUnits(fset, file, src, opts), nil
}

// fn is one function of a file, with its features.
type fn struct {
	decl          *ast.FuncDecl
	key           string
	line, endLine int
	off, end      int // bytes: the start of line, the end of the declaration
	bag           Bag
	stmts         int
}

// fileUnits builds the units of a parsed file.
func fileUnits(fset *token.FileSet, file *ast.File, src []byte, opts Options) []Unit {
	ff := newFileFacts(file)
	var names map[uint32]string
	if opts.Evidence {
		names = map[uint32]string{}
	}
	tf := fset.File(file.Pos())
	w := newWalker(ff, names)
	var fns []*fn
	byKey := map[string]*fn{}
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Name.Name == "_" {
			continue
		}
		pos := fset.Position(fd.Pos())
		f := &fn{decl: fd, key: funcKey(fd), line: docLine(src, pos.Offset, pos.Line), endLine: fset.Position(fd.End()).Line}
		f.off, f.end = tf.Offset(tf.LineStart(f.line)), fset.Position(fd.End()).Offset
		f.bag, f.stmts = w.funcFeatures(fd)
		fns = append(fns, f)
		byKey[f.key] = f
	}
	var units []Unit
	for _, f := range fns {
		if f.stmts >= opts.MinStmts {
			units = append(units, Unit{Name: f.key, Line: f.line, EndLine: f.endLine,
				FuncLine: f.line, FuncEndLine: f.endLine, Stmts: f.stmts, Bag: f.bag, Off: f.off, End: f.end, Evidence: names})
		}
		if !opts.Helpers {
			continue
		}
		helpers := calledHelpers(f, byKey)
		if len(helpers) == 0 {
			continue
		}
		u := Unit{Name: f.key, Line: f.line, EndLine: f.endLine, FuncLine: f.line, FuncEndLine: f.endLine, Stmts: f.stmts,
			Off: f.off, End: f.end, Evidence: names}
		bags := []Bag{f.bag}
		for _, h := range helpers {
			u.Helpers = append(u.Helpers, h.key)
			u.Line, u.EndLine = min(u.Line, h.line), max(u.EndLine, h.endLine)
			u.Off, u.End = min(u.Off, h.off), max(u.End, h.end)
			u.Stmts += h.stmts
			bags = append(bags, h.bag)
		}
		if u.Stmts < opts.MinStmts {
			continue
		}
		u.Bag = Union(bags...)
		units = append(units, u)
	}
	return units
}

// funcKey names a function: Name, or Recv.Name for a method.
func funcKey(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// calledHelpers returns the functions of the file that f calls, directly
// or through another helper (breadth first, at most maxHelpers), f
// excluded. A method call x.m() counts as a call of a method m of the
// file when one receiver type of the file has it.
func calledHelpers(f *fn, byKey map[string]*fn) []*fn {
	methods := map[string][]*fn{}
	for _, g := range byKey {
		if g.decl.Recv != nil {
			methods[g.decl.Name.Name] = append(methods[g.decl.Name.Name], g)
		}
	}
	seen := map[string]bool{f.key: true}
	var out []*fn
	queue := []*fn{f}
	for len(queue) > 0 && len(out) < maxHelpers {
		cur := queue[0]
		queue = queue[1:]
		var found []*fn
		ast.Inspect(cur.decl.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				if g := byKey[fun.Name]; g != nil {
					found = append(found, g)
				}
			case *ast.SelectorExpr:
				if ms := methods[fun.Sel.Name]; len(ms) == 1 {
					found = append(found, ms[0])
				}
			}
			return true
		})
		for _, g := range found {
			if !seen[g.key] && len(out) < maxHelpers {
				seen[g.key] = true
				out = append(out, g)
				queue = append(queue, g)
			}
		}
	}
	slices.SortFunc(out, func(a, b *fn) int { return a.line - b.line })
	return out
}

// docLine returns the first line of the // comment lines right above the
// line at offset off (line line), or line when there are none.
func docLine(src []byte, off, line int) int {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	for start > 0 {
		prev := bytes.LastIndexByte(src[:start-1], '\n') + 1
		if !bytes.HasPrefix(bytes.TrimLeft(src[prev:start-1], " \t"), []byte("//")) {
			break
		}
		start = prev
		line--
	}
	return line
}

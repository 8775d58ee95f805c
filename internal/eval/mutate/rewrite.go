package mutate

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"github.com/snipscan/snipscan/rewrite"
)

// Rewritten is the kind of an AI-style rewrite: every transformation at
// once (see [Rewrite]). It is not among [Kinds]: a rewrite renames the
// package-level names it uses, so it does not compile in its package.
const Rewritten = "rewritten"

// Rewrite rewrites f the way an AI assistant reproduces a function in its
// own words, applying together, each where it can: loops changed between
// the index and the range form; switches turned into if-chains and
// if-chains into switches; APIs swapped for others that do the same
// ([apiSwaps]: strings.Index and a slice for strings.Cut, sort.Slice for
// slices.SortFunc, and back); small helpers of the same file inlined
// ([inlineHelpers]); independent statements reordered; every name
// renamed, the function's own, its locals and the package-level
// functions, types, variables and constants it refers to (fields and
// methods are kept); and, by seed, part of the body extracted into a
// helper. It fails with [ErrNotApplicable] unless at least the renaming
// and one other transformation applied.
func Rewrite(f Func, seed uint64) (Result, error) {
	if f.info == nil {
		f.info = fileInfoFromSrc(f.Src)
	}
	lines := [2]int{f.Line, f.EndLine}
	cur := f
	var applied []string
	step := func(name string, apply func(Func) (string, error)) error {
		code, err := apply(cur)
		if errors.Is(err, ErrNotApplicable) {
			return nil
		}
		if err != nil {
			return err
		}
		applied = append(applied, name)
		cur = Func{File: f.File, Src: []byte(code), Start: 0, End: len(code), Line: f.Line, EndLine: f.EndLine, Name: f.Name, info: f.info}
		return nil
	}
	kind := func(k string) func(Func) (string, error) {
		return func(g Func) (string, error) {
			r, err := Apply(g, k, seed)
			return r.Code, err
		}
	}
	steps := []struct {
		name  string
		apply func(Func) (string, error)
	}{
		{LoopForm, kind(LoopForm)},
		{"idioms", func(g Func) (string, error) { return idioms(g, seed) }},
		{"apis", func(g Func) (string, error) { return apiSwaps(g, seed) }},
		// Helpers are looked up in the original file: after a first
		// step, cur.Src holds the function alone.
		{"inlined", func(g Func) (string, error) { return inlineHelpers(g, f.Src, seed) }},
		{Reordered, kind(Reordered)},
	}
	for _, s := range steps {
		if err := step(s.name, s.apply); err != nil {
			return Result{}, err
		}
	}
	others := len(applied)
	if err := step(Renamed, kind(Renamed)); err != nil {
		return Result{}, err
	}
	if err := step("renamed-package", func(g Func) (string, error) { return renamePackageNames(g, seed) }); err != nil {
		return Result{}, err
	}
	if others == 0 || len(applied) == others {
		return Result{}, fmt.Errorf("%s: rewrite of %s: %w", f.File, f.Name, ErrNotApplicable)
	}
	if seed%2 == 0 {
		if err := step(Split, kind(Split)); err != nil {
			return Result{}, err
		}
	}
	return Result{Code: string(cur.Src), SrcLines: lines, Applied: strings.Join(applied, ",")}, nil
}

// renamePackageNames renames, consistently, the names the function uses
// that are declared at package level (not local, predeclared or
// imported), and the function's receiver type.
func renamePackageNames(f Func, seed uint64) (string, error) {
	c, err := newCtx(f, Rewritten, seed)
	if err != nil {
		return "", err
	}
	res := c.resolve()
	skip := map[*ast.Ident]bool{}
	ast.Inspect(c.decl, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
			if id, ok := n.X.(*ast.Ident); ok && c.info.imports[id.Name] && res.uses[id] == nil {
				skip[id] = true
			}
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok {
				skip[id] = true // a field name, or a key we cannot tell from one
			}
		case *ast.Field:
			for _, id := range n.Names {
				skip[id] = true // declared names: locals, or fields of a literal type
			}
		}
		return true
	})
	skip[c.decl.Name] = true // a method's name is kept: its callers are elsewhere
	nm := c.newNamer()
	words := slices.Clone(vocabulary)
	c.rng.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
	mapping := map[string]string{}
	var edits []edit
	ast.Inspect(c.decl, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || skip[id] || res.uses[id] != nil || rewrite.Predeclared(id.Name) || id.Name == "_" {
			return true
		}
		nw, ok := mapping[id.Name]
		if !ok {
			w := words[len(mapping)%len(words)]
			nw = nm.fresh(withCase(w+"Impl", id.Name), withCase("my"+upperFirst(w), id.Name))
			mapping[id.Name] = nw
		}
		edits = append(edits, edit{c.off(id.Pos()), c.off(id.End()), nw})
		return true
	})
	if len(edits) == 0 {
		return "", c.notApplicable("no package-level names")
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

// idioms swaps, by seed, switches with if-chains and if-chains with
// switches.
func idioms(f Func, seed uint64) (string, error) {
	c, err := newCtx(f, Rewritten+"-idioms", seed)
	if err != nil {
		return "", err
	}
	var edits []edit
	var taken [][2]int
	free := func(s, e int) bool {
		for _, t := range taken {
			if s < t[1] && t[0] < e {
				return false
			}
		}
		return true
	}
	stmtLists(c.decl.Body, func(list []ast.Stmt, _ bool) {
		for _, s := range list {
			var text string
			var ok bool
			switch s := s.(type) {
			case *ast.SwitchStmt:
				text, ok = c.switchToIf(s)
			case *ast.IfStmt:
				text, ok = c.ifToSwitch(s)
			}
			start, end := c.off(s.Pos()), c.off(s.End())
			if ok && c.rng.IntN(4) != 0 && free(start, end) {
				taken = append(taken, [2]int{start, end})
				edits = append(edits, edit{start, end, text})
			}
		}
	})
	if len(edits) == 0 {
		return "", c.notApplicable("no switch or if-chain to swap")
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

// breaks reports whether stmts hold a break that is not inside a loop,
// switch or select of their own (it would bind to another statement after
// the swap), or a fallthrough.
func breaks(stmts []ast.Stmt) bool {
	found := false
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				if n.Tok == token.FALLTHROUGH || n.Tok == token.BREAK && n.Label == nil {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// pure reports whether e can be evaluated several times: names and
// selectors of names.
func pure(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return pure(e.X)
	case *ast.ParenExpr:
		return pure(e.X)
	}
	return false
}

// switchToIf turns a switch without init into an if-chain.
func (c *ctx) switchToIf(s *ast.SwitchStmt) (string, bool) {
	if s.Init != nil || s.Tag != nil && !pure(s.Tag) || len(s.Body.List) < 2 {
		return "", false
	}
	var b strings.Builder
	var def *ast.CaseClause
	n := 0
	for _, cl := range s.Body.List {
		cc := cl.(*ast.CaseClause)
		if breaks(cc.Body) {
			return "", false
		}
		if cc.List == nil {
			def = cc
			continue
		}
		conds := make([]string, len(cc.List))
		for i, v := range cc.List {
			if s.Tag != nil {
				conds[i] = c.src(s.Tag) + " == " + c.src(v)
			} else {
				conds[i] = "(" + c.src(v) + ")"
			}
		}
		if n > 0 {
			b.WriteString(" else ")
		}
		b.WriteString("if " + strings.Join(conds, " || ") + " {\n" + c.clauseBody(cc) + "\n}")
		n++
	}
	if n == 0 {
		return "", false
	}
	if def != nil && len(def.Body) > 0 {
		b.WriteString(" else {\n" + c.clauseBody(def) + "\n}")
	}
	return b.String(), true
}

// clauseBody returns the text of a case clause's statements.
func (c *ctx) clauseBody(cc *ast.CaseClause) string {
	if len(cc.Body) == 0 {
		return ""
	}
	return c.span(cc.Body[0].Pos(), cc.Body[len(cc.Body)-1].End())
}

// ifToSwitch turns an if-else-if chain of at least two conditions, none
// with an init statement, into a switch without tag.
func (c *ctx) ifToSwitch(s *ast.IfStmt) (string, bool) {
	var b strings.Builder
	b.WriteString("switch {\n")
	n := 0
	var cur ast.Stmt = s
	for cur != nil {
		switch x := cur.(type) {
		case *ast.IfStmt:
			if x.Init != nil || breaks(x.Body.List) {
				return "", false
			}
			b.WriteString("case " + c.src(x.Cond) + ":\n" + c.blockBody(x.Body) + "\n")
			n++
			cur = x.Else
		case *ast.BlockStmt:
			if breaks(x.List) {
				return "", false
			}
			b.WriteString("default:\n" + c.blockBody(x) + "\n")
			cur = nil
		}
	}
	if n < 2 {
		return "", false
	}
	b.WriteString("}")
	return b.String(), true
}

// blockBody returns the text inside a block's braces.
func (c *ctx) blockBody(bl *ast.BlockStmt) string {
	return string(c.text[c.off(bl.Lbrace)+1 : c.off(bl.Rbrace)])
}

package mutate

import (
	"go/ast"
	"go/token"
	"strings"
)

// selPath returns the text of e if it is an identifier or a chain of field
// selections on one (a.b.c), else "".
func selPath(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if p := selPath(e.X); p != "" {
			return p + "." + e.Sel.Name
		}
	case *ast.ParenExpr:
		return selPath(e.X)
	}
	return ""
}

// mutates reports whether n may change the variable at path p: by
// assigning p or a prefix of it, or taking its address.
func mutates(n ast.Node, p string) bool {
	hits := func(e ast.Expr) bool {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.StarExpr:
				e = x.X
				continue
			}
			break
		}
		q := selPath(e)
		return q != "" && (q == p || strings.HasPrefix(p, q+"."))
	}
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				found = found || hits(l)
			}
		case *ast.IncDecStmt:
			found = found || hits(x.X)
		case *ast.UnaryExpr:
			found = found || x.Op == token.AND && hits(x.X)
		case *ast.RangeStmt:
			found = found || x.Key != nil && hits(x.Key) || x.Value != nil && hits(x.Value)
		}
		return !found
	})
	return found
}

// hasCalls reports whether n calls anything but a pure builtin.
func (c *ctx) hasCalls(n ast.Node) bool {
	res := c.resolve()
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if call, ok := x.(*ast.CallExpr); ok {
			id, isIdent := call.Fun.(*ast.Ident)
			if !isIdent || res.uses[id] != nil || !pureBuiltins[id.Name] && !basicTypes[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// stable reports whether the loop body leaves the variable at path p
// (the x of len(x) or range x) alone.
func (c *ctx) stable(body *ast.BlockStmt, p string, e ast.Expr) bool {
	if p == "" || mutates(body, p) {
		return false
	}
	root := p
	if i := strings.IndexByte(p, '.'); i >= 0 {
		root = p[:i]
	}
	// Closures anywhere in the function could change it too.
	closures := false
	ast.Inspect(c.decl.Body, func(x ast.Node) bool {
		if fl, ok := x.(*ast.FuncLit); ok && mutates(fl.Body, p) {
			closures = true
		}
		return !closures
	})
	if closures {
		return false
	}
	id, _ := e.(*ast.Ident)
	local := id != nil && c.resolve().uses[id] != nil
	if id != nil && !local && c.info.consts[id.Name] {
		return true
	}
	if root != p || !local {
		// A field or a package-level variable: any call might change it.
		return !c.hasCalls(body)
	}
	return true
}

// pureBound reports whether e is an integer expression built from
// literals, variables the loop body leaves alone and len of them, so
// that evaluating it once (as range does) gives the same bound as
// evaluating it before every iteration.
func (c *ctx) pureBound(body *ast.BlockStmt, e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.INT
	case *ast.ParenExpr:
		return c.pureBound(body, e.X)
	case *ast.UnaryExpr:
		return e.Op == token.SUB && c.pureBound(body, e.X)
	case *ast.BinaryExpr:
		switch e.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.SHL, token.SHR, token.AND, token.OR:
			return c.pureBound(body, e.X) && c.pureBound(body, e.Y)
		}
		return false
	case *ast.Ident, *ast.SelectorExpr:
		return c.stable(body, selPath(e), e)
	case *ast.CallExpr:
		x, ok := c.isLen(e)
		return ok && c.stable(body, selPath(x), x)
	}
	return false
}

// typeOf returns the declared type of e when the syntax shows it.
func (c *ctx) typeOf(e ast.Expr) ast.Expr {
	res := c.resolve()
	switch e := e.(type) {
	case *ast.ParenExpr:
		return c.typeOf(e.X)
	case *ast.Ident:
		o := res.uses[e]
		if o == nil {
			return nil
		}
		if o.typ != nil {
			return c.underlying(o.typ)
		}
		if o.value != nil && o.kind == objVar {
			return c.valueType(o.value)
		}
	case *ast.SelectorExpr:
		t := c.typeOf(e.X)
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		if id, ok := t.(*ast.Ident); ok && res.uses[id] == nil {
			if ft := c.info.fields[id.Name][e.Sel.Name]; ft != nil {
				return c.underlying(ft)
			}
		}
	}
	return nil
}

// valueType returns the type of an initial value when the syntax shows it.
func (c *ctx) valueType(v ast.Expr) ast.Expr {
	switch v := v.(type) {
	case *ast.CompositeLit:
		return c.underlying(v.Type)
	case *ast.CallExpr:
		if id, ok := v.Fun.(*ast.Ident); ok && c.resolve().uses[id] == nil && len(v.Args) > 0 {
			switch id.Name {
			case "make":
				return c.underlying(v.Args[0])
			case "append":
				return c.typeOf(v.Args[0])
			}
		}
		if at, ok := v.Fun.(*ast.ArrayType); ok {
			return at
		}
	case *ast.UnaryExpr:
		if v.Op == token.AND {
			if cl, ok := v.X.(*ast.CompositeLit); ok {
				return &ast.StarExpr{X: cl.Type}
			}
		}
	}
	return nil
}

// underlying follows local and package-level type names to a type
// literal; it returns t itself when it cannot.
func (c *ctx) underlying(t ast.Expr) ast.Expr {
	res := c.resolve()
	for range 10 {
		id, ok := t.(*ast.Ident)
		if !ok {
			if p, ok := t.(*ast.ParenExpr); ok {
				t = p.X
				continue
			}
			return t
		}
		if o := res.uses[id]; o != nil {
			if o.kind != objType || o.typ == nil {
				return t
			}
			t = o.typ
		} else if u := c.info.types[id.Name]; u != nil {
			t = u
		} else {
			return t
		}
	}
	return t
}

// sliceKind tells slices (1) and arrays (2) from other types (0).
func sliceKind(t ast.Expr) int {
	switch t := t.(type) {
	case *ast.Ellipsis:
		return 1
	case *ast.ArrayType:
		if t.Len == nil {
			return 1
		}
		return 2
	}
	return 0
}

// isLen reports whether e is a call of the builtin len with one argument.
func (c *ctx) isLen(e ast.Expr) (ast.Expr, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || call.Ellipsis.IsValid() {
		return nil, false
	}
	id, ok := call.Fun.(*ast.Ident)
	if !ok || id.Name != "len" || c.resolve().uses[id] != nil {
		return nil, false
	}
	return call.Args[0], true
}

// uses reports whether n refers to the object id declares.
func (c *ctx) uses(n ast.Node, id *ast.Ident) bool {
	res := c.resolve()
	o := res.uses[id]
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if y, ok := x.(*ast.Ident); ok && o != nil && res.uses[y] == o {
			found = true
		}
		return !found
	})
	return found
}

// declaresAtTop reports whether a statement of block b declares name.
func declaresAtTop(b *ast.BlockStmt, name string) bool {
	for _, s := range b.List {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == name {
						return true
					}
				}
			}
		case *ast.DeclStmt:
			gd, _ := s.Decl.(*ast.GenDecl)
			if gd == nil {
				continue
			}
			for _, sp := range gd.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for _, id := range sp.Names {
						if id.Name == name {
							return true
						}
					}
				case *ast.TypeSpec:
					if sp.Name.Name == name {
						return true
					}
				}
			}
		}
	}
	return false
}

// loopEdit is the rewrite of one loop.
type loopEdit struct {
	from, to int // the span of the loop header
	edits    []edit
}

// forToRange rewrites `for i := 0; i < len(x); i++` and `for i := 0; i < n; i++`.
func (c *ctx) forToRange(s *ast.ForStmt) (loopEdit, bool) {
	init, ok := s.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
		return loopEdit{}, false
	}
	i, ok := init.Lhs[0].(*ast.Ident)
	if lit, isLit := init.Rhs[0].(*ast.BasicLit); !ok || i.Name == "_" || !isLit || lit.Value != "0" {
		return loopEdit{}, false
	}
	cond, ok := s.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.LSS || selPath(cond.X) != i.Name {
		return loopEdit{}, false
	}
	post, ok := s.Post.(*ast.IncDecStmt)
	if !ok || post.Tok != token.INC || selPath(post.X) != i.Name {
		return loopEdit{}, false
	}
	if mutates(s.Body, i.Name) {
		return loopEdit{}, false
	}
	var over string
	if x, ok := c.isLen(cond.Y); ok {
		p := selPath(x)
		if !c.stable(s.Body, p, x) {
			return loopEdit{}, false
		}
		over = "len(" + c.src(x) + ")"
		if sliceKind(c.typeOf(x)) != 0 {
			over = c.src(x)
		}
	} else if c.pureBound(s.Body, cond.Y) {
		over = c.src(cond.Y)
	} else {
		return loopEdit{}, false
	}
	head := "for " + i.Name + " := range " + over + " "
	if !c.uses(s.Body, i) {
		head = "for range " + over + " " // else: declared and not used
	}
	from, to := c.off(s.For), c.off(s.Body.Lbrace)
	return loopEdit{from, to, []edit{{from, to, head}}}, true
}

// rangeToFor rewrites `for i, v := range x` over a slice (or an array
// without v) and `for i := range n` to the three-clause form.
func (c *ctx) rangeToFor(s *ast.RangeStmt, n *namer) (loopEdit, bool) {
	if s.Tok != token.DEFINE && (s.Key != nil || s.Value != nil) {
		return loopEdit{}, false
	}
	key, _ := s.Key.(*ast.Ident)
	val, _ := s.Value.(*ast.Ident)
	if s.Key != nil && key == nil || s.Value != nil && val == nil {
		return loopEdit{}, false
	}
	if val != nil && val.Name == "_" {
		val = nil
	}
	if val != nil && declaresAtTop(s.Body, val.Name) {
		return loopEdit{}, false // v := x[i] would clash with it
	}
	var bound string
	if x, ok := c.isLen(s.X); ok || func() bool { l, isLit := s.X.(*ast.BasicLit); return isLit && l.Kind == token.INT }() {
		if val != nil || (ok && selPath(x) != "" && !c.stable(s.Body, selPath(x), x)) {
			return loopEdit{}, false
		}
		bound = c.src(s.X)
	} else {
		p := selPath(s.X)
		if p == "" || !c.stable(s.Body, p, s.X) {
			return loopEdit{}, false
		}
		switch t := c.typeOf(s.X); {
		case sliceKind(t) == 1, sliceKind(t) == 2 && val == nil:
			bound = "len(" + c.src(s.X) + ")"
		case val == nil && selPath(t) == "int":
			bound = c.src(s.X)
		default:
			return loopEdit{}, false
		}
	}
	var idx string
	if key != nil && key.Name != "_" {
		if mutates(s.Body, key.Name) {
			return loopEdit{}, false
		}
		idx = key.Name
	} else {
		idx = n.fresh("i", "j", "k", "idx", "n", "pos")
	}
	from, to := c.off(s.For), c.off(s.Body.Lbrace)
	le := loopEdit{from: from, to: to}
	le.edits = append(le.edits, edit{from, to, "for " + idx + " := 0; " + idx + " < " + bound + "; " + idx + "++ "})
	if val != nil {
		at := c.off(s.Body.Lbrace) + 1
		le.edits = append(le.edits, edit{at, at, "\n" + val.Name + " := " + c.src(s.X) + "[" + idx + "]\n"})
	}
	return le, true
}

// loopForm rewrites loops between the three-clause and the range form.
func (c *ctx) loopForm() (string, error) {
	n := c.newNamer()
	var cands []loopEdit
	ast.Inspect(c.decl.Body, func(x ast.Node) bool {
		var le loopEdit
		ok := false
		switch s := x.(type) {
		case *ast.ForStmt:
			le, ok = c.forToRange(s)
		case *ast.RangeStmt:
			le, ok = c.rangeToFor(s, n)
		}
		if ok {
			cands = append(cands, le)
		}
		return true
	})
	if len(cands) == 0 {
		return "", c.notApplicable("no loop to rewrite")
	}
	var chosen []loopEdit
	for _, le := range cands {
		if c.rng.Float64() < 0.6 {
			chosen = append(chosen, le)
		}
	}
	if len(chosen) == 0 {
		chosen = append(chosen, cands[c.rng.IntN(len(cands))])
	}
	var edits []edit
	var taken []loopEdit
	for _, le := range chosen {
		clash := false
		for _, t := range taken {
			clash = clash || le.from < t.to && t.from < le.to
		}
		if !clash {
			taken = append(taken, le)
			edits = append(edits, le.edits...)
		}
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

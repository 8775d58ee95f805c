package mutate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// apiSwaps swaps, where the syntax allows it, APIs that do the same work
// in other words, as a rewrite does: strings.Index (or IndexByte) with
// slices of its result for strings.Cut and back (bytes alike), and
// sort.Slice with a comparison for slices.SortFunc with cmp.Compare and
// back (sort.Strings, sort.Ints and sort.Float64s become slices.Sort).
//
// The swaps need no types: Index to Cut applies only when every use of
// the index is a slice at it or a test of its sign; Cut to Index keeps
// the text of the values, so where the separator is missing the result
// slices at -1 (a rewrite's bug, not the detector's concern); the element
// type that slices.SortFunc needs is read from the slice's declaration.
func apiSwaps(f Func, seed uint64) (string, error) {
	c, err := newCtx(f, Rewritten+"-apis", seed)
	if err != nil {
		return "", err
	}
	var edits []edit
	nm := c.newNamer()
	stmtLists(c.decl.Body, func(list []ast.Stmt, _ bool) {
		for _, s := range list {
			var es []edit
			switch s := s.(type) {
			case *ast.AssignStmt:
				if es = c.indexToCut(s, nm); es == nil {
					es = c.cutToIndex(s, nm)
				}
			case *ast.ExprStmt:
				es = c.sortSwap(s, nm)
			}
			if es != nil && c.rng.IntN(5) != 0 && !overlaps(edits, es) {
				edits = append(edits, es...)
			}
		}
	})
	if len(edits) == 0 {
		return "", c.notApplicable("no API to swap")
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

// overlaps reports whether an edit of b overlaps one of a.
func overlaps(a, b []edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.start < y.end && y.start < x.end || x.start == y.start {
				return true
			}
		}
	}
	return false
}

// pkgCall returns the package and function of a call pkg.Fn(...) to an
// imported package (not shadowed by a local).
func (c *ctx) pkgCall(e ast.Expr) (pkg, fn string, call *ast.CallExpr, ok bool) {
	call, ok = e.(*ast.CallExpr)
	if !ok {
		return "", "", nil, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", "", nil, false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || !c.info.imports[id.Name] || c.resolve().uses[id] != nil {
		return "", "", nil, false
	}
	return id.Name, sel.Sel.Name, call, true
}

// usesOf returns the identifiers in the function that resolve to the
// object declared by decl, the declaration itself excluded.
func (c *ctx) usesOf(decl *ast.Ident) []*ast.Ident {
	res := c.resolve()
	o := res.uses[decl]
	if o == nil {
		return nil
	}
	var out []*ast.Ident
	ast.Inspect(c.decl.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id != decl && res.uses[id] == o {
			out = append(out, id)
		}
		return true
	})
	return out
}

// parents maps every node of the function body to its parent.
func (c *ctx) parents() map[ast.Node]ast.Node {
	par := map[ast.Node]ast.Node{}
	var stack []ast.Node
	ast.Inspect(c.decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			par[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	return par
}

// indexToCut turns i := strings.Index(s, sep) whose every use is s[:i],
// s[i+len(sep):] (s[i+1:] for IndexByte) or a test of i's sign into
// before, after, found := strings.Cut(s, sep).
func (c *ctx) indexToCut(s *ast.AssignStmt, nm *namer) []edit {
	if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 {
		return nil
	}
	id, ok := s.Lhs[0].(*ast.Ident)
	pkg, fn, call, ok2 := c.pkgCall(s.Rhs[0])
	if !ok || !ok2 || id.Name == "_" || pkg != "strings" && pkg != "bytes" || len(call.Args) != 2 ||
		fn != "Index" && fn != "IndexByte" || !pure(call.Args[0]) || !simple(call.Args[1]) {
		return nil
	}
	str, sep := c.src(call.Args[0]), c.src(call.Args[1])
	par := c.parents()
	var uses []edit
	var before, after, found string
	name := func(p *string, cands ...string) string {
		if *p == "" {
			*p = nm.fresh(cands...)
		}
		return *p
	}
	for _, u := range c.usesOf(id) {
		if sl, ok := par[par[u]].(*ast.SliceExpr); ok && sl.Low == par[u] {
			if c.src(sl.X) != str || sl.Slice3 || sl.High != nil || !c.isAfter(sl.Low, u, fn, sep) {
				return nil
			}
			uses = append(uses, edit{c.off(sl.Pos()), c.off(sl.End()), name(&after, "after", "tail", "rest")})
			continue
		}
		switch p := par[u].(type) {
		case *ast.SliceExpr:
			if c.src(p.X) != str || p.Slice3 || p.Low != nil || p.High != u {
				return nil
			}
			uses = append(uses, edit{c.off(p.Pos()), c.off(p.End()), name(&before, "before", "head", "left")})
		case *ast.BinaryExpr:
			neg, ok := signTest(p, u)
			if !ok {
				return nil
			}
			text := name(&found, "found", "ok", "hasSep")
			if neg {
				text = "!" + text
			}
			uses = append(uses, edit{c.off(p.Pos()), c.off(p.End()), text})
		default:
			return nil
		}
	}
	if before == "" && after == "" {
		return nil
	}
	if fn == "IndexByte" {
		sep = byteSep(pkg, sep)
	}
	lhs := []string{or(before, "_"), or(after, "_"), or(found, "_")}
	return append(uses, edit{c.off(s.Pos()), c.off(s.End()), strings.Join(lhs, ", ") + " := " + pkg + ".Cut(" + str + ", " + sep + ")"})
}

// simple reports whether e can be evaluated several times and copied:
// a name, a selector of names or a literal.
func simple(e ast.Expr) bool {
	_, lit := e.(*ast.BasicLit)
	return lit || pure(e)
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// byteSep turns the separator of IndexByte into one Cut takes.
func byteSep(pkg, sep string) string {
	if pkg == "bytes" {
		return "[]byte{" + sep + "}"
	}
	if strings.HasPrefix(sep, "'") && !strings.HasPrefix(sep, `'\`) && !strings.Contains(sep, `"`) {
		return `"` + strings.Trim(sep, "'") + `"`
	}
	return "string(rune(" + sep + "))"
}

// isAfter reports whether low is i+len(sep) (i+1 for IndexByte).
func (c *ctx) isAfter(low ast.Expr, i *ast.Ident, fn, sep string) bool {
	b, ok := low.(*ast.BinaryExpr)
	if !ok || b.Op != token.ADD || b.X != i {
		return false
	}
	if fn == "IndexByte" {
		lit, ok := b.Y.(*ast.BasicLit)
		return ok && lit.Value == "1"
	}
	return c.src(b.Y) == "len("+sep+")"
}

// signTest reports whether b tests the sign of i (i < 0, i == -1, i >= 0,
// i != -1, i > -1) and whether it tests for a missing separator.
func signTest(b *ast.BinaryExpr, i *ast.Ident) (neg, ok bool) {
	if b.X != i {
		return false, false
	}
	switch v := types.ExprString(b.Y); {
	case v == "0" && b.Op == token.LSS, v == "-1" && b.Op == token.EQL:
		return true, true
	case v == "0" && b.Op == token.GEQ, v == "-1" && (b.Op == token.NEQ || b.Op == token.GTR):
		return false, true
	}
	return false, false
}

// cutToIndex turns before, after, found := strings.Cut(s, sep) into
// i := strings.Index(s, sep), with before as s[:i], after as
// s[i+len(sep):] and found as i >= 0.
func (c *ctx) cutToIndex(s *ast.AssignStmt, nm *namer) []edit {
	if s.Tok != token.DEFINE || len(s.Lhs) != 3 || len(s.Rhs) != 1 {
		return nil
	}
	pkg, fn, call, ok := c.pkgCall(s.Rhs[0])
	if !ok || pkg != "strings" && pkg != "bytes" || fn != "Cut" || len(call.Args) != 2 ||
		!pure(call.Args[0]) || !simple(call.Args[1]) {
		return nil
	}
	str, sep := c.src(call.Args[0]), c.src(call.Args[1])
	i := nm.fresh("idx", "pos", "at")
	repl := []string{str + "[:" + i + "]", str + "[" + i + "+len(" + sep + "):]", "(" + i + " >= 0)"}
	var edits []edit
	for k, l := range s.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			return nil
		}
		if id.Name == "_" {
			continue
		}
		for _, u := range c.usesOf(id) {
			if c.assigned(u) {
				return nil
			}
			edits = append(edits, edit{c.off(u.Pos()), c.off(u.End()), repl[k]})
		}
	}
	return append(edits, edit{c.off(s.Pos()), c.off(s.End()), i + " := " + pkg + ".Index(" + str + ", " + sep + ")"})
}

// assigned reports whether identifier u is assigned to or has its
// address taken.
func (c *ctx) assigned(u *ast.Ident) bool {
	switch p := c.parents()[u].(type) {
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == u {
				return true
			}
		}
	case *ast.UnaryExpr:
		return p.Op == token.AND
	case *ast.IncDecStmt:
		return true
	}
	return false
}

// sortSwap swaps sort.Slice with a one-comparison less function and
// slices.SortFunc with a cmp.Compare comparison, and turns sort.Strings,
// sort.Ints and sort.Float64s into slices.Sort.
func (c *ctx) sortSwap(s *ast.ExprStmt, nm *namer) []edit {
	pkg, fn, call, ok := c.pkgCall(s.X)
	if !ok {
		return nil
	}
	var text string
	switch {
	case pkg == "sort" && (fn == "Strings" || fn == "Ints" || fn == "Float64s") && len(call.Args) == 1:
		text = "slices.Sort(" + c.src(call.Args[0]) + ")"
	case pkg == "sort" && (fn == "Slice" || fn == "SliceStable") && len(call.Args) == 2:
		text = c.sliceToSortFunc(call, fn == "SliceStable", nm)
	case pkg == "slices" && (fn == "SortFunc" || fn == "SortStableFunc") && len(call.Args) == 2:
		text = c.sortFuncToSlice(call, fn == "SortStableFunc", nm)
	}
	if text == "" {
		return nil
	}
	return []edit{{c.off(s.Pos()), c.off(s.End()), text}}
}

// oneReturn returns the expression of a function literal whose body is a
// single return of one value, with its two parameters.
func oneReturn(e ast.Expr) (x, y *ast.Ident, ret ast.Expr, ok bool) {
	fl, ok := e.(*ast.FuncLit)
	if !ok || len(fl.Body.List) != 1 || fl.Type.Params == nil {
		return nil, nil, nil, false
	}
	var params []*ast.Ident
	for _, f := range fl.Type.Params.List {
		params = append(params, f.Names...)
	}
	r, ok := fl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(params) != 2 || len(r.Results) != 1 {
		return nil, nil, nil, false
	}
	return params[0], params[1], r.Results[0], true
}

// sliceToSortFunc rewrites sort.Slice(xs, func(i, j int) bool { return
// xs[i].k < xs[j].k }) as slices.SortFunc(xs, func(a, b T) int { return
// cmp.Compare(a.k, b.k) }), when the element type T shows.
func (c *ctx) sliceToSortFunc(call *ast.CallExpr, stable bool, nm *namer) string {
	xs := call.Args[0]
	i, j, ret, ok := oneReturn(call.Args[1])
	b, ok2 := ret.(*ast.BinaryExpr)
	at, ok3 := c.typeOf(xs).(*ast.ArrayType)
	if !ok || !ok2 || !ok3 || !pure(xs) || b.Op != token.LSS && b.Op != token.GTR {
		return ""
	}
	a, bb := nm.fresh("a", "x", "lhs"), nm.fresh("b", "y", "rhs")
	sub := map[string]string{i.Name: a, j.Name: bb}
	l, okL := c.substIndex(b.X, xs, sub)
	r, okR := c.substIndex(b.Y, xs, sub)
	if !okL || !okR {
		return ""
	}
	if b.Op == token.GTR {
		l, r = r, l
	}
	name := "slices.SortFunc"
	if stable {
		name = "slices.SortStableFunc"
	}
	return name + "(" + c.src(xs) + ", func(" + a + ", " + bb + " " + types.ExprString(at.Elt) + ") int {\nreturn cmp.Compare(" + l + ", " + r + ")\n})"
}

// substIndex returns the text of e with every xs[i] (i a key of sub)
// replaced by sub[i]; false when a key is used otherwise.
func (c *ctx) substIndex(e, xs ast.Expr, sub map[string]string) (string, bool) {
	var edits []edit
	ok := true
	base := c.off(e.Pos())
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IndexExpr:
			if id, isID := n.Index.(*ast.Ident); isID && sub[id.Name] != "" && c.src(n.X) == c.src(xs) {
				edits = append(edits, edit{c.off(n.Pos()) - base, c.off(n.End()) - base, sub[id.Name]})
				return false
			}
		case *ast.Ident:
			if sub[n.Name] != "" {
				ok = false
			}
		}
		return true
	})
	if !ok || len(edits) == 0 {
		return "", false
	}
	s, err := applyEdits([]byte(c.src(e)), edits)
	return s, err == nil
}

// sortFuncToSlice rewrites slices.SortFunc(xs, func(a, b T) int { return
// cmp.Compare(a.k, b.k) }) (or strings.Compare) as sort.Slice(xs,
// func(i, j int) bool { return xs[i].k < xs[j].k }).
func (c *ctx) sortFuncToSlice(call *ast.CallExpr, stable bool, nm *namer) string {
	xs := call.Args[0]
	a, b, ret, ok := oneReturn(call.Args[1])
	if !ok || !pure(xs) {
		return ""
	}
	pkg, fn, cc, ok := c.pkgCall(ret)
	if !ok || len(cc.Args) != 2 || !(pkg == "cmp" && fn == "Compare" || pkg == "strings" && fn == "Compare") {
		return ""
	}
	i, j := nm.fresh("i", "p", "m"), nm.fresh("j", "q", "n")
	l, okL := c.substIdent(cc.Args[0], map[string]string{a.Name: c.src(xs) + "[" + i + "]", b.Name: c.src(xs) + "[" + j + "]"})
	r, okR := c.substIdent(cc.Args[1], map[string]string{a.Name: c.src(xs) + "[" + i + "]", b.Name: c.src(xs) + "[" + j + "]"})
	if !okL || !okR {
		return ""
	}
	name := "sort.Slice"
	if stable {
		name = "sort.SliceStable"
	}
	return name + "(" + c.src(xs) + ", func(" + i + ", " + j + " int) bool {\nreturn " + l + " < " + r + "\n})"
}

// substIdent returns the text of e with identifiers that are keys of sub
// replaced; false when none was.
func (c *ctx) substIdent(e ast.Expr, sub map[string]string) (string, bool) {
	var edits []edit
	base := c.off(e.Pos())
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			ast.Inspect(sel.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && sub[id.Name] != "" {
					edits = append(edits, edit{c.off(id.Pos()) - base, c.off(id.End()) - base, sub[id.Name]})
				}
				return true
			})
			return false
		}
		if id, ok := n.(*ast.Ident); ok && sub[id.Name] != "" {
			edits = append(edits, edit{c.off(id.Pos()) - base, c.off(id.End()) - base, sub[id.Name]})
		}
		return true
	})
	if len(edits) == 0 {
		return "", false
	}
	s, err := applyEdits([]byte(c.src(e)), edits)
	return s, err == nil
}

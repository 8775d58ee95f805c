package mutate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"github.com/snipscan/snipscan/rewrite"
)

// maxInlineStmts bounds the statements of a helper that inlineHelpers
// pastes into a caller: an assistant inlines small helpers, not large
// ones.
const maxInlineStmts = 6

// helper is a function of the file that a call can be replaced by.
type helper struct {
	params []string // parameter names, in order
	expr   string   // the returned expression, for a one-return helper
	body   string   // the statements, for a helper without results
	free   map[string]bool
}

// inlineHelpers replaces calls of small functions declared in file (the
// source file of f) by their bodies: a call of a function whose body is one return of
// one value becomes that value, with the arguments put in place of the
// parameters; a call statement of a function without results becomes a
// block that binds the parameters and runs the function's statements.
// It skips a helper whose free names the caller declares (the pasted
// text would bind to the caller's locals) and arguments with side
// effects that the helper would evaluate twice.
func inlineHelpers(f Func, file []byte, seed uint64) (string, error) {
	c, err := newCtx(f, Rewritten+"-inline", seed)
	if err != nil {
		return "", err
	}
	helpers := fileHelpers(file)
	declared := map[string]bool{}
	for _, o := range c.resolve().objs {
		declared[o.name] = true
	}
	res := c.resolve()
	var edits []edit
	ast.Inspect(c.decl.Body, func(n ast.Node) bool {
		var call *ast.CallExpr
		stmt := false
		switch n := n.(type) {
		case *ast.ExprStmt:
			call, _ = n.X.(*ast.CallExpr)
			stmt = true
		case *ast.CallExpr:
			call = n
		}
		if call == nil {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || res.uses[id] != nil || id.Name == c.decl.Name.Name {
			return true
		}
		h := helpers[id.Name]
		if h == nil || len(h.params) != len(call.Args) || clash(h.free, declared) || call.Ellipsis.IsValid() {
			return true
		}
		text, ok := c.inlineCall(h, call, stmt)
		if !ok || c.rng.IntN(4) == 0 {
			return true
		}
		edits = append(edits, edit{c.off(n.Pos()), c.off(n.End()), text})
		return false
	})
	if len(edits) == 0 {
		return "", c.notApplicable("no small helper to inline")
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

// clash reports whether a name of free is declared in the caller.
func clash(free, declared map[string]bool) bool {
	for n := range free {
		if declared[n] {
			return true
		}
	}
	return false
}

// inlineCall returns the text that replaces call of h.
func (c *ctx) inlineCall(h *helper, call *ast.CallExpr, stmt bool) (string, bool) {
	args := make([]string, len(call.Args))
	for i, a := range call.Args {
		args[i] = c.src(a)
	}
	switch {
	case h.expr != "" && !stmt:
		out, ok := substParams(h.expr, h.params, args, call.Args)
		return "(" + out + ")", ok
	case stmt && h.body != "":
		var b strings.Builder
		b.WriteString("{\n")
		if len(h.params) > 0 {
			b.WriteString(strings.Join(h.params, ", ") + " := " + strings.Join(args, ", ") + "\n")
		}
		b.WriteString(h.body + "\n}")
		return b.String(), true
	}
	return "", false
}

// substParams puts the arguments in place of the parameters in expr;
// false when an argument that is not a plain name would be evaluated
// more than once or not at all.
func substParams(expr string, params, args []string, argExprs []ast.Expr) (string, bool) {
	e, err := parser.ParseExpr(expr)
	if err != nil {
		return "", false
	}
	idx := map[string]int{}
	for i, p := range params {
		idx[p] = i
	}
	count := make([]int, len(params))
	var edits []edit
	base := int(e.Pos())
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			ast.Inspect(sel.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok {
					if i, ok := idx[id.Name]; ok {
						count[i]++
						edits = append(edits, edit{int(id.Pos()) - base, int(id.End()) - base, "(" + args[i] + ")"})
					}
				}
				return true
			})
			return false
		}
		if id, ok := n.(*ast.Ident); ok {
			if i, ok := idx[id.Name]; ok {
				count[i]++
				edits = append(edits, edit{int(id.Pos()) - base, int(id.End()) - base, "(" + args[i] + ")"})
			}
		}
		return true
	})
	for i, n := range count {
		if n != 1 && !pure(argExprs[i]) {
			return "", false
		}
	}
	out, err := applyEdits([]byte(expr), edits)
	return out, err == nil
}

// fileHelpers returns the functions of a file that can be inlined: not
// methods, not generic, not variadic, with named parameters, and either
// one return of one value or no results and no return, defer, recover or
// label, at most maxInlineStmts statements.
func fileHelpers(src []byte) map[string]*helper {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	out := map[string]*helper{}
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || fd.Body == nil || fd.Type.TypeParams != nil || len(fd.Body.List) == 0 {
			continue
		}
		h := &helper{}
		ok = true
		for _, p := range fd.Type.Params.List {
			if _, v := p.Type.(*ast.Ellipsis); v || len(p.Names) == 0 {
				ok = false
			}
			for _, n := range p.Names {
				h.params = append(h.params, n.Name)
			}
		}
		text := func(n ast.Node) string {
			return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
		}
		results := fd.Type.Results.NumFields()
		switch {
		case !ok:
			continue
		case results == 1 && len(fd.Body.List) == 1:
			r, isRet := fd.Body.List[0].(*ast.ReturnStmt)
			if !isRet || len(r.Results) != 1 {
				continue
			}
			h.expr = text(r.Results[0])
		case results == 0 && len(fd.Body.List) <= maxInlineStmts && !escapes(fd.Body):
			h.body = text(fd.Body)[1 : len(text(fd.Body))-1]
		default:
			continue
		}
		h.free = freeNames(fd)
		out[fd.Name.Name] = h
	}
	return out
}

// escapes reports whether a body holds what cannot be pasted into a
// block of another function: a return, defer, recover call, label or
// goto.
func escapes(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.DeferStmt, *ast.LabeledStmt:
			found = true
		case *ast.BranchStmt:
			found = found || n.Tok == token.GOTO
		case *ast.Ident:
			found = found || n.Name == "recover"
		}
		return !found
	})
	return found
}

// freeNames returns the names a function's body refers to that it does
// not declare (approximated: every name used that is not a parameter or
// declared by := or var inside it, selectors' names excluded).
func freeNames(fd *ast.FuncDecl) map[string]bool {
	own := map[string]bool{}
	for _, p := range fd.Type.Params.List {
		for _, n := range p.Names {
			own[n.Name] = true
		}
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						own[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				own[id.Name] = true
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					own[id.Name] = true
				}
			}
		}
		return true
	})
	free := map[string]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			ast.Inspect(sel.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && !own[id.Name] {
					free[id.Name] = true
				}
				return true
			})
			return false
		}
		if id, ok := n.(*ast.Ident); ok && !own[id.Name] && !rewrite.Predeclared(id.Name) {
			free[id.Name] = true
		}
		return true
	})
	return free
}

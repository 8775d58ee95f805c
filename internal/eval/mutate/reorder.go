package mutate

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/snipscan/snipscan/rewrite"
)

// Memory effects of a statement, from none to writing.
const (
	effNone = iota
	effRead
	effWrite
)

// pureBuiltins are builtins without side effects.
var pureBuiltins = map[string]bool{
	"len": true, "cap": true, "min": true, "max": true, "make": true, "new": true,
	"complex": true, "real": true, "imag": true,
}

// basicTypes are the predeclared types, for conversions.
var basicTypes = map[string]bool{
	"bool": true, "byte": true, "complex64": true, "complex128": true, "float32": true,
	"float64": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"rune": true, "string": true, "uint": true, "uint8": true, "uint16": true, "uint32": true,
	"uint64": true, "uintptr": true,
}

// moveInfo describes a statement for Reordered.
type moveInfo struct {
	ok    bool            // a simple statement that may move
	names map[string]bool // identifiers, apart from package and predeclared names
	eff   int             // memory effect
}

// moveInfo classifies s; locals holds the names of every local object.
func (c *ctx) moveInfo(s ast.Stmt, locals map[string]bool) moveInfo {
	res := c.resolve()
	mi := moveInfo{names: map[string]bool{}}
	switch s := s.(type) {
	case *ast.AssignStmt, *ast.IncDecStmt, *ast.ExprStmt:
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); !ok || gd.Tok == token.IMPORT {
			return mi
		}
	case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.BlockStmt:
		if !contained(s) {
			return mi
		}
	default:
		return mi
	}
	mi.ok = true
	effect := func(e int) { mi.eff = max(mi.eff, e) }
	skippable := func(id *ast.Ident) bool {
		return res.uses[id] == nil && !locals[id.Name] && (rewrite.Predeclared(id.Name) || c.info.imports[id.Name])
	}
	writes := func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); !ok || id.Name != "_" && res.uses[id] == nil {
			effect(effWrite) // through memory, or a package-level variable
		}
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				writes(l)
			}
		case *ast.IncDecStmt:
			writes(n.X)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil {
						writes(e)
					}
				}
			}
		case *ast.SendStmt:
			effect(effWrite)
		case *ast.Ident:
			if n.Name == "_" || skippable(n) {
				return false
			}
			mi.names[n.Name] = true
			if res.uses[n] == nil {
				effect(effRead) // a package-level variable, perhaps
			}
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && skippable(x) {
				effect(effRead) // pkg.Name: a package-level variable, perhaps
				return false
			}
			effect(effRead)
			ast.Inspect(n.X, visit)
			return false
		case *ast.CallExpr:
			switch fun := n.Fun.(type) {
			case *ast.Ident:
				if res.uses[fun] == nil && !locals[fun.Name] && (pureBuiltins[fun.Name] || basicTypes[fun.Name]) {
					effect(effRead)
				} else {
					effect(effWrite)
				}
			case *ast.ArrayType:
				effect(effRead) // a conversion
			default:
				effect(effWrite)
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				effect(effWrite)
			}
		case *ast.IndexExpr, *ast.IndexListExpr, *ast.StarExpr, *ast.SliceExpr:
			effect(effRead)
		}
		return true
	}
	ast.Inspect(s, visit)
	return mi
}

// contained reports whether control cannot leave the compound statement
// s other than by finishing it (or panicking): it holds no return, goto,
// labeled statement, defer or go, and every break and continue in it
// targets a loop or switch inside it.
func contained(s ast.Stmt) bool {
	ok := true
	var walk func(n ast.Node, loops, breaks int)
	walk = func(n ast.Node, loops, breaks int) {
		ast.Inspect(n, func(x ast.Node) bool {
			if !ok {
				return false
			}
			if x == n {
				return true
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt, *ast.DeferStmt, *ast.GoStmt, *ast.LabeledStmt:
				ok = false
			case *ast.BranchStmt:
				switch {
				case x.Label != nil, x.Tok == token.GOTO:
					ok = false
				case x.Tok == token.BREAK && breaks == 0, x.Tok == token.CONTINUE && loops == 0:
					ok = false
				}
			case *ast.ForStmt, *ast.RangeStmt:
				walk(x, loops+1, breaks+1)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(x, loops, breaks+1)
				return false
			}
			return true
		})
	}
	switch s.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		walk(s, 1, 1)
	case *ast.SwitchStmt, *ast.TypeSwitchStmt:
		walk(s, 0, 1)
	default:
		walk(s, 0, 0)
	}
	return ok
}

// canSwap reports whether two adjacent statements may trade places.
func canSwap(a, b moveInfo) bool {
	if !a.ok || !b.ok {
		return false
	}
	if a.eff == effWrite && b.eff != effNone || b.eff == effWrite && a.eff != effNone {
		return false
	}
	for n := range a.names {
		if b.names[n] {
			return false
		}
	}
	return true
}

// stmtSpan returns the offsets of s in c.text, with a comment that
// follows it on its line.
func (c *ctx) stmtSpan(s ast.Stmt) (int, int) {
	start, end := c.off(s.Pos()), c.off(s.End())
	for _, cg := range c.file.Comments {
		for _, cm := range cg.List {
			cs := c.off(cm.Pos())
			if cs < end || strings.TrimLeft(string(c.text[end:cs]), " \t") != "" {
				continue
			}
			ce := c.off(cm.End())
			rest := string(c.text[ce:])
			if i := strings.IndexByte(rest, '\n'); i >= 0 {
				rest = rest[:i]
			}
			if strings.TrimSpace(rest) == "" {
				end = ce
			}
		}
	}
	return start, end
}

// reordered swaps adjacent independent statements.
func (c *ctx) reordered() (string, error) {
	res := c.resolve()
	locals := map[string]bool{}
	for _, o := range res.objs {
		locals[o.name] = true
	}
	type pair struct{ a, b ast.Stmt }
	var pairs []pair
	stmtLists(c.decl.Body, func(list []ast.Stmt, _ bool) {
		infos := make([]moveInfo, len(list))
		for i, s := range list {
			infos[i] = c.moveInfo(s, locals)
		}
		for i := 0; i+1 < len(list); i++ {
			if canSwap(infos[i], infos[i+1]) {
				pairs = append(pairs, pair{list[i], list[i+1]})
			}
		}
	})
	if len(pairs) == 0 {
		return "", c.notApplicable("no independent adjacent statements")
	}
	c.rng.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	type span struct{ s, e int }
	var taken []span
	var edits []edit
	for i, p := range pairs {
		if i > 0 && c.rng.IntN(3) != 0 {
			continue
		}
		as, ae := c.stmtSpan(p.a)
		bs, be := c.stmtSpan(p.b)
		clash := false
		for _, t := range taken {
			if as < t.e && t.s < be {
				clash = true
			}
		}
		if clash {
			continue
		}
		taken = append(taken, span{as, be})
		edits = append(edits,
			edit{as, ae, string(c.text[bs:be])},
			edit{bs, be, string(c.text[as:ae])})
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

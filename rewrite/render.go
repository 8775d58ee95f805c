package rewrite

import (
	"go/ast"
	"go/token"
	"strings"
)

// Labels of abstracted names in rendered expressions.
const (
	labelLocal = "v" // a local variable, parameter or result
	labelPkg   = "P" // a name declared in the unit's own package
	labelSel   = "s" // a field or method the file declares (renameable)
)

// maxLit bounds the length of a literal kept verbatim in an expression.
const maxLit = 24

// renderer turns expressions into strings that survive renaming.
type renderer struct {
	ff       *fileFacts
	locals   map[string]bool
	inline   map[string]ast.Expr // locals assigned once: their value
	elems    map[string]bool     // range values: read as elements, x[i]
	active   map[string]bool     // locals being inlined (against cycles)
	plainSel bool                // abstract every selector that is not qualified
}

// ident renders a name that is not a selector.
func (r *renderer) ident(id *ast.Ident, d int) string {
	name := id.Name
	switch {
	case name == "_":
		return "_"
	case r.locals[name]:
		if r.elems[name] {
			return "v[v]"
		}
		if def := r.inline[name]; def != nil && d > 0 && !r.active[name] {
			r.active[name] = true
			s := r.expr(def, d)
			delete(r.active, name)
			return s
		}
		return labelLocal
	case Predeclared(name):
		return name
	}
	return labelPkg
}

// qualifiedSel returns the grouped qualified name of sel when its
// operand is an import name not shadowed by a local.
func (r *renderer) qualifiedSel(sel *ast.SelectorExpr) (string, bool) {
	x, ok := sel.X.(*ast.Ident)
	if !ok || r.locals[x.Name] {
		return "", false
	}
	path, ok := r.ff.imports[x.Name]
	if !ok {
		return "", false
	}
	return qualified(path, sel.Sel.Name), true
}

// selName renders the selected name of a selector that is not qualified.
func (r *renderer) selName(name string) string {
	if r.plainSel || r.ff.members[name] {
		return labelSel
	}
	return name
}

// commutative operators: their operands are rendered in sorted order.
var commutative = map[token.Token]bool{
	token.EQL: true, token.NEQ: true, token.ADD: true, token.MUL: true,
	token.LAND: true, token.LOR: true, token.AND: true, token.OR: true, token.XOR: true,
}

// expr renders e down to depth d: at depth 0 only the kind of node.
func (r *renderer) expr(e ast.Expr, d int) string {
	switch e := e.(type) {
	case nil:
		return ""
	case *ast.Ident:
		return r.ident(e, d)
	case *ast.BasicLit:
		if d > 0 && len(e.Value) <= maxLit {
			return e.Value
		}
		return "L" + e.Kind.String()
	case *ast.ParenExpr:
		return r.expr(e.X, d)
	case *ast.SelectorExpr:
		if q, ok := r.qualifiedSel(e); ok {
			return q
		}
		if d == 0 {
			return "." + r.selName(e.Sel.Name)
		}
		return r.expr(e.X, d-1) + "." + r.selName(e.Sel.Name)
	}
	if d == 0 {
		return nodeKind(e)
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		var b strings.Builder
		b.WriteString(r.expr(e.Fun, d))
		b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(r.expr(a, d-1))
		}
		b.WriteByte(')')
		return b.String()
	case *ast.BinaryExpr:
		op := e.Op
		x, y := r.expr(e.X, d-1), r.expr(e.Y, d-1)
		switch op {
		case token.GTR:
			op, x, y = token.LSS, y, x
		case token.GEQ:
			op, x, y = token.LEQ, y, x
		}
		if commutative[op] && y < x {
			x, y = y, x
		}
		return "(" + x + op.String() + y + ")"
	case *ast.UnaryExpr:
		return e.Op.String() + r.expr(e.X, d-1)
	case *ast.StarExpr:
		return "*" + r.expr(e.X, d-1)
	case *ast.IndexExpr:
		return r.expr(e.X, d-1) + "[" + r.expr(e.Index, d-1) + "]"
	case *ast.IndexListExpr:
		return r.expr(e.X, d-1) + "[...]"
	case *ast.SliceExpr:
		return r.expr(e.X, d-1) + "[" + r.expr(e.Low, d-1) + ":" + r.expr(e.High, d-1) + "]"
	case *ast.CompositeLit:
		return r.typ(e.Type) + "{" + itoa(len(e.Elts)) + "}"
	case *ast.TypeAssertExpr:
		return r.expr(e.X, d-1) + ".(" + r.typ(e.Type) + ")"
	case *ast.KeyValueExpr:
		return r.expr(e.Key, d-1) + ":" + r.expr(e.Value, d-1)
	case *ast.FuncLit:
		return "func" + itoa(len(e.Type.Params.List))
	}
	return r.typ(e)
}

// nodeKind names the kind of an expression node.
func nodeKind(e ast.Expr) string {
	switch e.(type) {
	case *ast.CallExpr:
		return "C"
	case *ast.BinaryExpr:
		return "B"
	case *ast.UnaryExpr, *ast.StarExpr:
		return "U"
	case *ast.IndexExpr, *ast.IndexListExpr:
		return "I"
	case *ast.SliceExpr:
		return "S"
	case *ast.CompositeLit:
		return "K"
	case *ast.FuncLit:
		return "F"
	case *ast.TypeAssertExpr:
		return "A"
	}
	return "E"
}

// typ renders a type expression: predeclared and qualified names kept,
// names of the unit's own package abstracted.
func (r *renderer) typ(e ast.Expr) string {
	switch t := e.(type) {
	case nil:
		return ""
	case *ast.Ident:
		if Predeclared(t.Name) {
			return t.Name
		}
		return "T"
	case *ast.SelectorExpr:
		if q, ok := r.qualifiedSel(t); ok {
			return q
		}
		return "T"
	case *ast.StarExpr:
		return "*" + r.typ(t.X)
	case *ast.ArrayType:
		if t.Len == nil {
			return "[]" + r.typ(t.Elt)
		}
		if l, ok := t.Len.(*ast.BasicLit); ok {
			return "[" + l.Value + "]" + r.typ(t.Elt)
		}
		return "[N]" + r.typ(t.Elt)
	case *ast.MapType:
		return "map[" + r.typ(t.Key) + "]" + r.typ(t.Value)
	case *ast.ChanType:
		return "chan " + r.typ(t.Value)
	case *ast.FuncType:
		n, m := 0, 0
		if t.Params != nil {
			n = t.Params.NumFields()
		}
		if t.Results != nil {
			m = t.Results.NumFields()
		}
		return "func" + itoa(n) + "_" + itoa(m)
	case *ast.InterfaceType:
		return "interface"
	case *ast.StructType:
		return "struct"
	case *ast.Ellipsis:
		return "..." + r.typ(t.Elt)
	case *ast.IndexExpr:
		return r.typ(t.X) + "[" + r.typ(t.Index) + "]"
	case *ast.IndexListExpr:
		return r.typ(t.X) + "[...]"
	case *ast.ParenExpr:
		return r.typ(t.X)
	}
	return "?"
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return "n"
}

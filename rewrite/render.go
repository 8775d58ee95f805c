package rewrite

import (
	"bytes"
	"go/ast"
	"go/token"
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
	scratch  []byte              // appendBinary's copy of its operands
}

// appendIdent renders a name that is not a selector.
func (r *renderer) appendIdent(b []byte, id *ast.Ident, d int) []byte {
	name := id.Name
	switch {
	case name == "_":
		return append(b, '_')
	case r.locals[name]:
		if r.elems[name] {
			return append(b, "v[v]"...)
		}
		if def := r.inline[name]; def != nil && d > 0 && !r.active[name] {
			r.active[name] = true
			b = r.appendExpr(b, def, d)
			delete(r.active, name)
			return b
		}
		return append(b, labelLocal...)
	case Predeclared(name):
		return append(b, name...)
	}
	return append(b, labelPkg...)
}

// selPath returns the import path of sel's operand when it is an import
// name not shadowed by a local.
func (r *renderer) selPath(sel *ast.SelectorExpr) (string, bool) {
	x, ok := sel.X.(*ast.Ident)
	if !ok || r.locals[x.Name] {
		return "", false
	}
	path, ok := r.ff.imports[x.Name]
	return path, ok
}

// qualifiedSel returns the grouped qualified name of sel when its
// operand is an import name not shadowed by a local.
func (r *renderer) qualifiedSel(sel *ast.SelectorExpr) (string, bool) {
	path, ok := r.selPath(sel)
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
func (r *renderer) expr(e ast.Expr, d int) string { return string(r.appendExpr(nil, e, d)) }

// appendExpr appends the rendering of e down to depth d to b.
func (r *renderer) appendExpr(b []byte, e ast.Expr, d int) []byte {
	switch e := e.(type) {
	case nil:
		return b
	case *ast.Ident:
		return r.appendIdent(b, e, d)
	case *ast.BasicLit:
		if d > 0 && len(e.Value) <= maxLit {
			return append(b, e.Value...)
		}
		return append(append(b, 'L'), e.Kind.String()...)
	case *ast.ParenExpr:
		return r.appendExpr(b, e.X, d)
	case *ast.SelectorExpr:
		if path, ok := r.selPath(e); ok {
			return appendQualified(b, path, e.Sel.Name)
		}
		if d > 0 {
			b = r.appendExpr(b, e.X, d-1)
		}
		return append(append(b, '.'), r.selName(e.Sel.Name)...)
	}
	if d == 0 {
		return append(b, nodeKind(e)...)
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		b = append(r.appendExpr(b, e.Fun, d), '(')
		for i, a := range e.Args {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.appendExpr(b, a, d-1)
		}
		return append(b, ')')
	case *ast.BinaryExpr:
		return r.appendBinary(b, e, d)
	case *ast.UnaryExpr:
		return r.appendExpr(append(b, e.Op.String()...), e.X, d-1)
	case *ast.StarExpr:
		return r.appendExpr(append(b, '*'), e.X, d-1)
	case *ast.IndexExpr:
		b = append(r.appendExpr(b, e.X, d-1), '[')
		return append(r.appendExpr(b, e.Index, d-1), ']')
	case *ast.IndexListExpr:
		return append(r.appendExpr(b, e.X, d-1), "[...]"...)
	case *ast.SliceExpr:
		b = append(r.appendExpr(b, e.X, d-1), '[')
		b = append(r.appendExpr(b, e.Low, d-1), ':')
		return append(r.appendExpr(b, e.High, d-1), ']')
	case *ast.CompositeLit:
		b = append(r.appendTyp(b, e.Type), '{')
		return append(append(b, itoa(len(e.Elts))...), '}')
	case *ast.TypeAssertExpr:
		b = append(r.appendExpr(b, e.X, d-1), ".("...)
		return append(r.appendTyp(b, e.Type), ')')
	case *ast.KeyValueExpr:
		b = append(r.appendExpr(b, e.Key, d-1), ':')
		return r.appendExpr(b, e.Value, d-1)
	case *ast.FuncLit:
		return append(append(b, "func"...), itoa(len(e.Type.Params.List))...)
	}
	return r.appendTyp(b, e)
}

// appendBinary renders a binary operation "(x op y)": x > y as y < x,
// x >= y as y <= x, and the operands of a commutative operator in sorted
// order.
func (r *renderer) appendBinary(b []byte, e *ast.BinaryExpr, d int) []byte {
	start := len(b)
	b = r.appendExpr(b, e.X, d-1)
	mid := len(b)
	b = r.appendExpr(b, e.Y, d-1)
	op := e.Op
	first, second := b[start:mid], b[mid:]
	switch op {
	case token.GTR:
		op, first, second = token.LSS, second, first
	case token.GEQ:
		op, first, second = token.LEQ, second, first
	}
	if commutative[op] && bytes.Compare(second, first) < 0 {
		first, second = second, first
	}
	// The operands are rewritten in place from a copy (the children are
	// done with the scratch buffer).
	r.scratch = append(append(append(append(r.scratch[:0], '('), first...), op.String()...), second...)
	return append(append(b[:start], r.scratch...), ')')
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
func (r *renderer) typ(e ast.Expr) string { return string(r.appendTyp(nil, e)) }

// appendTyp appends the rendering of type expression e to b.
func (r *renderer) appendTyp(b []byte, e ast.Expr) []byte {
	switch t := e.(type) {
	case nil:
		return b
	case *ast.Ident:
		if Predeclared(t.Name) {
			return append(b, t.Name...)
		}
		return append(b, 'T')
	case *ast.SelectorExpr:
		if path, ok := r.selPath(t); ok {
			return appendQualified(b, path, t.Sel.Name)
		}
		return append(b, 'T')
	case *ast.StarExpr:
		return r.appendTyp(append(b, '*'), t.X)
	case *ast.ArrayType:
		if t.Len == nil {
			return r.appendTyp(append(b, "[]"...), t.Elt)
		}
		if l, ok := t.Len.(*ast.BasicLit); ok {
			return r.appendTyp(append(append(append(b, '['), l.Value...), ']'), t.Elt)
		}
		return r.appendTyp(append(b, "[N]"...), t.Elt)
	case *ast.MapType:
		b = append(r.appendTyp(append(b, "map["...), t.Key), ']')
		return r.appendTyp(b, t.Value)
	case *ast.ChanType:
		return r.appendTyp(append(b, "chan "...), t.Value)
	case *ast.FuncType:
		n, m := 0, 0
		if t.Params != nil {
			n = t.Params.NumFields()
		}
		if t.Results != nil {
			m = t.Results.NumFields()
		}
		return append(append(append(append(b, "func"...), itoa(n)...), '_'), itoa(m)...)
	case *ast.InterfaceType:
		return append(b, "interface"...)
	case *ast.StructType:
		return append(b, "struct"...)
	case *ast.Ellipsis:
		return r.appendTyp(append(b, "..."...), t.Elt)
	case *ast.IndexExpr:
		b = append(r.appendTyp(b, t.X), '[')
		return append(r.appendTyp(b, t.Index), ']')
	case *ast.IndexListExpr:
		return append(r.appendTyp(b, t.X), "[...]"...)
	case *ast.ParenExpr:
		return r.appendTyp(b, t.X)
	}
	return append(b, '?')
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return "n"
}

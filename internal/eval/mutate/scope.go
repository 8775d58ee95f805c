package mutate

import (
	"go/ast"
	"go/token"
)

// objKind classifies local objects.
type objKind int

const (
	objVar objKind = iota
	objParam
	objResult
	objRecv
	objFunc // the function's own name
	objLabel
	objType
	objConst
	objTypeParam
)

// object is something declared inside the function (or its signature).
type object struct {
	name  string
	kind  objKind
	ident *ast.Ident // the declaring identifier
	typ   ast.Expr   // declared type, when written in the source
	value ast.Expr   // initial value, when declared with one
	top   bool       // declared in the function's outermost scope
}

// resolution binds the identifiers of a function to its local objects.
type resolution struct {
	uses map[*ast.Ident]*object // declarations and uses of local objects
	objs []*object              // in order of declaration
}

type scope struct {
	parent *scope
	names  map[string]*object
}

func (s *scope) lookup(name string) *object {
	for ; s != nil; s = s.parent {
		if o := s.names[name]; o != nil {
			return o
		}
	}
	return nil
}

// resolver is a simple scope walk over one function. It knows Go's
// scoping rules but not types: keys of composite literals whose type it
// cannot see are taken to be field names.
type resolver struct {
	info   *fileInfo
	res    *resolution
	sc     *scope
	top    *scope
	labels *scope
	recv   *object
	method *object // the method's own name, for recursive calls recv.M()
}

// resolve binds the identifiers of c.decl (once).
func (c *ctx) resolve() *resolution {
	if c.res != nil {
		return c.res
	}
	r := &resolver{info: c.info, res: &resolution{uses: map[*ast.Ident]*object{}}}
	fd := c.decl
	r.open()
	if fd.Recv == nil {
		r.declare(fd.Name, objFunc, nil, nil)
	} else if fd.Name.Name != "_" {
		r.method = &object{name: fd.Name.Name, kind: objFunc, ident: fd.Name}
		r.res.objs = append(r.res.objs, r.method)
		r.res.uses[fd.Name] = r.method
	}
	r.open()
	r.top = r.sc
	if fd.Recv != nil {
		for _, f := range fd.Recv.List {
			r.recvTypeParams(f.Type)
		}
		for _, f := range fd.Recv.List {
			r.expr(f.Type)
			for _, n := range f.Names {
				if o := r.declare(n, objRecv, f.Type, nil); o != nil {
					r.recv = o
				}
			}
		}
	}
	if tp := fd.Type.TypeParams; tp != nil {
		for _, f := range tp.List {
			for _, n := range f.Names {
				r.declare(n, objTypeParam, f.Type, nil)
			}
		}
		for _, f := range tp.List {
			r.expr(f.Type)
		}
	}
	r.fields(fd.Type.Params, objParam)
	r.fields(fd.Type.Results, objResult)
	r.body(fd.Body)
	return r.res
}

// recvTypeParams declares the type parameters of a generic receiver
// type such as *List[T].
func (r *resolver) recvTypeParams(t ast.Expr) {
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if p, ok := t.(*ast.ParenExpr); ok {
		r.recvTypeParams(p.X)
		return
	}
	var idx []ast.Expr
	switch t := t.(type) {
	case *ast.IndexExpr:
		idx = []ast.Expr{t.Index}
	case *ast.IndexListExpr:
		idx = t.Indices
	}
	for _, e := range idx {
		if id, ok := e.(*ast.Ident); ok {
			r.declare(id, objTypeParam, nil, nil)
		}
	}
}

func (r *resolver) open()  { r.sc = &scope{parent: r.sc, names: map[string]*object{}} }
func (r *resolver) close() { r.sc = r.sc.parent }

// declare declares id in the current scope.
func (r *resolver) declare(id *ast.Ident, kind objKind, typ, value ast.Expr) *object {
	if id == nil || id.Name == "_" {
		return nil
	}
	o := &object{name: id.Name, kind: kind, ident: id, typ: typ, value: value, top: r.sc == r.top && r.top != nil}
	r.sc.names[id.Name] = o
	r.res.objs = append(r.res.objs, o)
	r.res.uses[id] = o
	return o
}

// fields declares the names of a parameter list after resolving its types.
func (r *resolver) fields(fl *ast.FieldList, kind objKind) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		r.expr(f.Type)
	}
	for _, f := range fl.List {
		for _, n := range f.Names {
			r.declare(n, kind, f.Type, nil)
		}
	}
}

// body walks a function body: its statements share the scope of the
// parameters, and it has its own labels.
func (r *resolver) body(b *ast.BlockStmt) {
	saved := r.labels
	r.labels = &scope{names: map[string]*object{}}
	ast.Inspect(b, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.LabeledStmt:
			if n.Label.Name != "_" {
				o := &object{name: n.Label.Name, kind: objLabel, ident: n.Label}
				r.labels.names[n.Label.Name] = o
				r.res.objs = append(r.res.objs, o)
			}
		}
		return true
	})
	r.stmts(b.List)
	r.labels = saved
}

func (r *resolver) stmts(list []ast.Stmt) {
	for _, s := range list {
		r.stmt(s)
	}
}

func (r *resolver) label(id *ast.Ident) {
	if id == nil || r.labels == nil {
		return
	}
	if o := r.labels.names[id.Name]; o != nil {
		r.res.uses[id] = o
	}
}

func (r *resolver) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case nil:
	case *ast.BlockStmt:
		r.open()
		r.stmts(s.List)
		r.close()
	case *ast.ExprStmt:
		r.expr(s.X)
	case *ast.SendStmt:
		r.expr(s.Chan)
		r.expr(s.Value)
	case *ast.IncDecStmt:
		r.expr(s.X)
	case *ast.AssignStmt:
		r.exprs(s.Rhs)
		if s.Tok != token.DEFINE {
			r.exprs(s.Lhs)
			return
		}
		for i, l := range s.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok {
				r.expr(l)
				continue
			}
			if o := r.sc.names[id.Name]; o != nil {
				r.res.uses[id] = o // redeclaration: assignment
				continue
			}
			var v ast.Expr
			if len(s.Rhs) == len(s.Lhs) {
				v = s.Rhs[i]
			}
			r.declare(id, objVar, nil, v)
		}
	case *ast.GoStmt:
		r.expr(s.Call)
	case *ast.DeferStmt:
		r.expr(s.Call)
	case *ast.ReturnStmt:
		r.exprs(s.Results)
	case *ast.BranchStmt:
		r.label(s.Label)
	case *ast.LabeledStmt:
		r.label(s.Label)
		r.stmt(s.Stmt)
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return
		}
		for _, sp := range gd.Specs {
			switch sp := sp.(type) {
			case *ast.ValueSpec:
				r.expr(sp.Type)
				r.exprs(sp.Values)
				kind := objVar
				if gd.Tok == token.CONST {
					kind = objConst
				}
				for i, n := range sp.Names {
					var v ast.Expr
					if len(sp.Values) == len(sp.Names) {
						v = sp.Values[i]
					}
					r.declare(n, kind, sp.Type, v)
				}
			case *ast.TypeSpec:
				r.declare(sp.Name, objType, sp.Type, nil)
				if sp.TypeParams != nil {
					r.open()
					r.fields(sp.TypeParams, objTypeParam)
				}
				r.expr(sp.Type)
				if sp.TypeParams != nil {
					r.close()
				}
			}
		}
	case *ast.IfStmt:
		r.open()
		r.stmt(s.Init)
		r.expr(s.Cond)
		r.stmt(s.Body)
		r.stmt(s.Else)
		r.close()
	case *ast.SwitchStmt:
		r.open()
		r.stmt(s.Init)
		r.expr(s.Tag)
		for _, cl := range s.Body.List {
			cc := cl.(*ast.CaseClause)
			r.open()
			r.exprs(cc.List)
			r.stmts(cc.Body)
			r.close()
		}
		r.close()
	case *ast.TypeSwitchStmt:
		r.open()
		r.stmt(s.Init)
		var sym *object
		switch a := s.Assign.(type) {
		case *ast.AssignStmt:
			r.exprs(a.Rhs)
			if id, ok := a.Lhs[0].(*ast.Ident); ok && id.Name != "_" {
				sym = &object{name: id.Name, kind: objVar, ident: id}
				r.res.objs = append(r.res.objs, sym)
				r.res.uses[id] = sym
			}
		case *ast.ExprStmt:
			r.expr(a.X)
		}
		for _, cl := range s.Body.List {
			cc := cl.(*ast.CaseClause)
			r.open()
			r.exprs(cc.List)
			if sym != nil {
				r.sc.names[sym.name] = sym
			}
			r.stmts(cc.Body)
			r.close()
		}
		r.close()
	case *ast.SelectStmt:
		for _, cl := range s.Body.List {
			cc := cl.(*ast.CommClause)
			r.open()
			r.stmt(cc.Comm)
			r.stmts(cc.Body)
			r.close()
		}
	case *ast.ForStmt:
		r.open()
		r.stmt(s.Init)
		r.expr(s.Cond)
		r.stmt(s.Post)
		r.stmt(s.Body)
		r.close()
	case *ast.RangeStmt:
		r.expr(s.X)
		r.open()
		if s.Tok == token.DEFINE {
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if id, ok := e.(*ast.Ident); ok {
					r.declare(id, objVar, nil, nil)
				}
			}
		} else {
			r.expr(s.Key)
			r.expr(s.Value)
		}
		r.stmt(s.Body)
		r.close()
	}
}

func (r *resolver) exprs(list []ast.Expr) {
	for _, e := range list {
		r.expr(e)
	}
}

func (r *resolver) expr(e ast.Expr) {
	switch e := e.(type) {
	case nil:
	case *ast.Ident:
		if o := r.sc.lookup(e.Name); o != nil {
			r.res.uses[e] = o
		}
	case *ast.BasicLit, *ast.BadExpr:
	case *ast.Ellipsis:
		r.expr(e.Elt)
	case *ast.FuncLit:
		r.open()
		r.fields(e.Type.Params, objParam)
		r.fields(e.Type.Results, objResult)
		r.body(e.Body)
		r.close()
	case *ast.CompositeLit:
		r.compositeLit(e, nil)
	case *ast.ParenExpr:
		r.expr(e.X)
	case *ast.SelectorExpr:
		r.expr(e.X)
		if x, ok := e.X.(*ast.Ident); ok && r.method != nil && r.recv != nil &&
			r.res.uses[x] == r.recv && e.Sel.Name == r.method.name {
			r.res.uses[e.Sel] = r.method
		}
	case *ast.IndexExpr:
		r.expr(e.X)
		r.expr(e.Index)
	case *ast.IndexListExpr:
		r.expr(e.X)
		r.exprs(e.Indices)
	case *ast.SliceExpr:
		r.expr(e.X)
		r.expr(e.Low)
		r.expr(e.High)
		r.expr(e.Max)
	case *ast.TypeAssertExpr:
		r.expr(e.X)
		r.expr(e.Type)
	case *ast.CallExpr:
		r.expr(e.Fun)
		r.exprs(e.Args)
	case *ast.StarExpr:
		r.expr(e.X)
	case *ast.UnaryExpr:
		r.expr(e.X)
	case *ast.BinaryExpr:
		r.expr(e.X)
		r.expr(e.Y)
	case *ast.KeyValueExpr:
		r.expr(e.Key)
		r.expr(e.Value)
	case *ast.ArrayType:
		r.expr(e.Len)
		r.expr(e.Elt)
	case *ast.StructType:
		r.typeFields(e.Fields)
	case *ast.FuncType:
		r.typeFields(e.TypeParams)
		r.typeFields(e.Params)
		r.typeFields(e.Results)
	case *ast.InterfaceType:
		r.typeFields(e.Methods)
	case *ast.MapType:
		r.expr(e.Key)
		r.expr(e.Value)
	case *ast.ChanType:
		r.expr(e.Value)
	}
}

// typeFields resolves the types of a field list in a type expression; the
// field, parameter and method names there are not variables of ours.
func (r *resolver) typeFields(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		r.expr(f.Type)
	}
}

// compositeLit resolves a composite literal; elided is the type an
// elided literal type stands for.
func (r *resolver) compositeLit(cl *ast.CompositeLit, elided ast.Expr) {
	t := cl.Type
	if t == nil {
		t = elided
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
	} else {
		r.expr(t)
	}
	var keyT, eltT ast.Expr
	keysAreExprs := false
	switch u := r.underlying(t).(type) {
	case *ast.MapType:
		keyT, eltT, keysAreExprs = u.Key, u.Value, true
	case *ast.ArrayType:
		eltT, keysAreExprs = u.Elt, true
	}
	for _, el := range cl.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.CompositeLit); ok && k.Type == nil {
				r.compositeLit(k, keyT)
			} else if _, isIdent := kv.Key.(*ast.Ident); keysAreExprs || !isIdent {
				r.expr(kv.Key)
			}
			el = kv.Value
		}
		if v, ok := el.(*ast.CompositeLit); ok && v.Type == nil {
			r.compositeLit(v, eltT)
			continue
		}
		if u, ok := el.(*ast.UnaryExpr); ok && u.Op == token.AND {
			if v, ok := u.X.(*ast.CompositeLit); ok && v.Type == nil {
				r.compositeLit(v, eltT)
				continue
			}
		}
		r.expr(el)
	}
}

// underlying follows type names declared in the function or at package
// level in the file to a type literal; it returns t itself (or nil) when
// it cannot.
func (r *resolver) underlying(t ast.Expr) ast.Expr {
	for range 10 {
		switch x := t.(type) {
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			if o := r.sc.lookup(x.Name); o != nil {
				if o.kind != objType {
					return nil
				}
				t = o.typ
			} else if u := r.info.types[x.Name]; u != nil {
				t = u
			} else {
				return t
			}
		default:
			return t
		}
	}
	return t
}

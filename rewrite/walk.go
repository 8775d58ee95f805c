package rewrite

import (
	"bytes"
	"go/ast"
	"go/token"
	"strings"
)

// exprDepth is the depth of the expression subtrees that become features:
// deeper trees are rarer but break at the first changed idiom.
const exprDepth = 2

// pathDepth is the number of enclosing control statements a control-path
// feature keeps.
const pathDepth = 3

// newWalker returns a walker of the functions of a file: its maps and
// buffers serve each function in turn.
func newWalker(ff *fileFacts, names map[uint32]string) *walker {
	return &walker{defs: map[string][]string{}, assigned: map[string]int{}, names: names,
		r: &renderer{ff: ff, locals: map[string]bool{}, inline: map[string]ast.Expr{},
			elems: map[string]bool{}, active: map[string]bool{}}}
}

// funcFeatures returns the feature bag of one function declaration and the
// number of its statements.
func (w *walker) funcFeatures(fd *ast.FuncDecl) (Bag, int) {
	w.reset()
	w.declare(fd)
	w.signature(fd)
	w.stmts(fd.Body.List, nil)
	w.defUse(fd.Body)
	return bagOf(w.feats), w.nstmts
}

// reset forgets the last function walked.
func (w *walker) reset() {
	w.feats, w.stack, w.nstmts = w.feats[:0], w.stack[:0], 0
	clear(w.defs)
	clear(w.assigned)
	r := w.r
	clear(r.locals)
	clear(r.inline)
	clear(r.elems)
	clear(r.active)
	r.plainSel = false
}

// walker collects the features of one function.
type walker struct {
	r        *renderer
	feats    []uint32            // with repeats
	defs     map[string][]string // local -> how it is defined
	assigned map[string]int      // local -> its assignments (two for those never inlined)
	stack    []ast.Node          // defUse's path to the node visited
	buf      []byte              // the text of a feature being added
	plain    []byte              // expr's second rendering
	nstmts   int
	names    map[uint32]string // if set, API and literal features -> their words (Options.Evidence)
}

// add adds the feature s of family fam, naming it in w.names when it is
// an API or a literal and names are kept (type shapes and builtins name
// the package's own types T, which a rewrite renames).
func (w *walker) add(fam Family, s string) {
	w.addHash(fam, fnvAdd(fnvOffset, s), s)
}

// addBytes adds the feature b of family fam, as add does.
func (w *walker) addBytes(fam Family, b []byte) {
	h := fnvAddBytes(fnvOffset, b)
	if w.names != nil && (fam == FamCall || fam == FamLit) {
		w.addHash(fam, h, string(b))
		return
	}
	w.addHash(fam, h, "")
}

// addExpr adds the feature prefix+(e rendered to depth d)+suffix of
// family fam, with no string built.
func (w *walker) addExpr(fam Family, prefix string, e ast.Expr, d int, suffix string) {
	w.buf = append(w.r.appendExpr(append(w.buf[:0], prefix...), e, d), suffix...)
	w.addBytes(fam, w.buf)
}

// addHash adds the feature of family fam whose text s has FNV-1a hash h
// (s is needed only for the names of evidence).
func (w *walker) addHash(fam Family, h uint64, s string) {
	f := featureHash(fam, h)
	w.feats = append(w.feats, f)
	if w.names != nil && (fam == FamCall || fam == FamLit) {
		w.names[f] = evidenceWords(fam, s)
	}
}

// declare finds the function's locals, those assigned once (inlined into
// the expressions that use them) and range values.
func (w *walker) declare(fd *ast.FuncDecl) {
	r := w.r
	assigned := w.assigned
	fields := func(fl *ast.FieldList, how string) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				r.locals[n.Name] = true
				assigned[n.Name] += 2 // never inlined
				w.defs[n.Name] = append(w.defs[n.Name], how+":"+r.typ(f.Type))
			}
		}
	}
	fields(fd.Recv, "recv")
	fields(fd.Type.TypeParams, "tparam")
	fields(fd.Type.Params, "param")
	fields(fd.Type.Results, "result")
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, ok := l.(*ast.Ident)
				if !ok {
					continue
				}
				if n.Tok == token.DEFINE {
					r.locals[id.Name] = true
				}
				assigned[id.Name]++
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					if _, lit := n.Rhs[i].(*ast.FuncLit); !lit && assigned[id.Name] == 1 {
						r.inline[id.Name] = n.Rhs[i]
					}
				}
				if len(n.Lhs) == len(n.Rhs) {
					w.defs[id.Name] = append(w.defs[id.Name], "def:"+r.expr(n.Rhs[i], 1))
				} else if len(n.Rhs) == 1 {
					w.defs[id.Name] = append(w.defs[id.Name], "def"+itoa(i)+":"+r.expr(n.Rhs[0], 1))
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				r.locals[id.Name] = true
				assigned[id.Name] += 2
				how := "var:" + r.typ(n.Type)
				if i < len(n.Values) {
					how = "def:" + r.expr(n.Values[i], 1)
				}
				w.defs[id.Name] = append(w.defs[id.Name], how)
			}
		case *ast.TypeSpec:
			r.locals[n.Name.Name] = true
		case *ast.RangeStmt:
			for i, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					r.locals[id.Name] = true
					assigned[id.Name] += 2
					if i == 1 && n.Tok == token.DEFINE {
						r.elems[id.Name] = true
					}
					w.defs[id.Name] = append(w.defs[id.Name], "range"+itoa(i))
				}
			}
		case *ast.IncDecStmt:
			if id, ok := n.X.(*ast.Ident); ok {
				assigned[id.Name] += 2
			}
		case *ast.UnaryExpr:
			if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND {
				assigned[id.Name] += 2
			}
		case *ast.FuncLit:
			for _, fl := range []*ast.FieldList{n.Type.Params, n.Type.Results} {
				if fl == nil {
					continue
				}
				for _, f := range fl.List {
					for _, id := range f.Names {
						r.locals[id.Name] = true
						assigned[id.Name] += 2
					}
				}
			}
		}
		return true
	})
	for name := range r.inline {
		if assigned[name] != 1 {
			delete(r.inline, name)
		}
	}
}

// signature adds the types of the function's parameters and results.
func (w *walker) signature(fd *ast.FuncDecl) {
	for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params, fd.Type.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			w.typeFeature(f.Type)
		}
	}
}

// typeFeature adds a type shape unless it is a bare name of the package.
func (w *walker) typeFeature(t ast.Expr) {
	w.buf = w.r.appendTyp(w.buf[:0], t)
	if s := w.buf; len(s) > 0 && !(len(s) == 1 && s[0] == 'T') {
		w.addBytes(FamType, s)
	}
}

// stmts walks a statement list under the control path path.
func (w *walker) stmts(list []ast.Stmt, path []string) {
	for _, s := range list {
		w.stmt(s, path)
	}
}

// control returns the control-path feature of a statement of kind kind.
func control(path []string, kind string) string {
	if len(path) > pathDepth {
		path = path[len(path)-pathDepth:]
	}
	return strings.Join(path, "/") + "/" + kind
}

// push returns path with kind appended, as a new slice.
func push(path []string, kind string) []string {
	return append(path[:len(path):len(path)], kind)
}

// stmt adds the features of one statement and the statements it holds.
func (w *walker) stmt(s ast.Stmt, path []string) {
	r := w.r
	if _, ok := s.(*ast.BlockStmt); !ok {
		w.nstmts++
	}
	switch s := s.(type) {
	case *ast.BlockStmt:
		w.stmts(s.List, path)
	case *ast.LabeledStmt:
		w.stmt(s.Stmt, path)
	case *ast.ExprStmt:
		w.exprs(s.X)
		w.addExpr(FamCond, "x:", s.X, exprDepth, "")
		w.add(FamPath, control(path, "call"))
	case *ast.AssignStmt:
		w.exprs(append(append([]ast.Expr{}, s.Lhs...), s.Rhs...)...)
		op := s.Tok.String()
		if s.Tok == token.DEFINE {
			op = "="
		}
		for i, l := range s.Lhs {
			if len(s.Lhs) == len(s.Rhs) {
				w.buf = r.appendExpr(append(w.buf[:0], "a:"...), l, 1)
				w.addExpr(FamCond, string(append(w.buf, op...)), s.Rhs[i], exprDepth, "")
			}
		}
		if len(s.Rhs) == 1 && len(s.Lhs) > 1 {
			w.addExpr(FamCond, "a"+itoa(len(s.Lhs))+op, s.Rhs[0], exprDepth, "")
		}
		w.add(FamPath, control(path, "assign"))
	case *ast.IncDecStmt:
		w.exprs(s.X)
		w.addExpr(FamCond, "inc:", s.X, 1, s.Tok.String())
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return
		}
		for _, sp := range gd.Specs {
			if vs, ok := sp.(*ast.ValueSpec); ok {
				if vs.Type != nil {
					w.typeFeature(vs.Type)
				}
				w.exprs(vs.Values...)
			}
		}
	case *ast.ReturnStmt:
		w.exprs(s.Results...)
		w.buf = append(w.buf[:0], "r:"...)
		for i, e := range s.Results {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.buf = r.appendExpr(w.buf, e, 1)
		}
		w.addBytes(FamCond, w.buf)
		w.add(FamPath, control(path, "return"))
	case *ast.BranchStmt:
		w.add(FamPath, control(path, s.Tok.String()))
	case *ast.DeferStmt:
		w.exprs(s.Call)
		w.addExpr(FamCond, "defer:", s.Call, 1, "")
	case *ast.GoStmt:
		w.exprs(s.Call)
		w.addExpr(FamCond, "go:", s.Call, 1, "")
	case *ast.SendStmt:
		w.exprs(s.Chan, s.Value)
		w.add(FamPath, control(path, "send"))
	case *ast.IfStmt:
		w.ifStmt(s, path)
	case *ast.ForStmt:
		if s.Init != nil {
			w.stmt(s.Init, path)
		}
		if s.Cond != nil {
			w.exprs(s.Cond)
		}
		if s.Post != nil {
			w.stmt(s.Post, path)
		}
		w.add(FamPath, control(path, "loop"))
		w.stmts(s.Body.List, push(path, "loop"))
	case *ast.RangeStmt:
		w.exprs(s.X)
		w.addExpr(FamCond, "range:", s.X, exprDepth, "")
		w.add(FamPath, control(path, "loop"))
		w.stmts(s.Body.List, push(path, "loop"))
	case *ast.SwitchStmt:
		w.switchStmt(s, path)
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			w.stmt(s.Init, path)
		}
		w.stmt(s.Assign, path)
		w.add(FamPath, control(path, "if"))
		for _, c := range s.Body.List {
			cc := c.(*ast.CaseClause)
			for _, t := range cc.List {
				w.typeFeature(t)
			}
			w.stmts(cc.Body, push(path, "if"))
		}
	case *ast.SelectStmt:
		w.add(FamPath, control(path, "select"))
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm != nil {
				w.stmt(cc.Comm, path)
			}
			w.stmts(cc.Body, push(path, "select"))
		}
	}
}

// ifStmt walks an if statement: conditions split at && and ||.
func (w *walker) ifStmt(s *ast.IfStmt, path []string) {
	if s.Init != nil {
		w.stmt(s.Init, path)
	}
	w.exprs(s.Cond)
	w.cond(s.Cond)
	w.add(FamPath, control(path, "if"))
	w.stmts(s.Body.List, push(path, "if"))
	switch e := s.Else.(type) {
	case *ast.IfStmt:
		w.ifStmt(e, path) // an else-if chain reads as a switch's cases
	case *ast.BlockStmt:
		w.stmts(e.List, push(path, "if"))
	}
}

// switchStmt walks a switch: a case with a tag is the condition tag == v.
func (w *walker) switchStmt(s *ast.SwitchStmt, path []string) {
	if s.Init != nil {
		w.stmt(s.Init, path)
	}
	if s.Tag != nil {
		w.exprs(s.Tag)
	}
	for _, c := range s.Body.List {
		cc := c.(*ast.CaseClause)
		w.exprs(cc.List...)
		for _, v := range cc.List {
			if s.Tag != nil {
				w.cond(&ast.BinaryExpr{X: s.Tag, Op: token.EQL, Y: v})
			} else {
				w.cond(v)
			}
		}
		w.add(FamPath, control(path, "if"))
		w.stmts(cc.Body, push(path, "if"))
	}
}

// cond adds a condition's conjuncts and disjuncts.
func (w *walker) cond(e ast.Expr) {
	if p, ok := e.(*ast.ParenExpr); ok {
		w.cond(p.X)
		return
	}
	if b, ok := e.(*ast.BinaryExpr); ok && (b.Op == token.LAND || b.Op == token.LOR) {
		w.cond(b.X)
		w.cond(b.Y)
		return
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		w.cond(u.X)
		return
	}
	w.addExpr(FamCond, "c:", e, exprDepth, "")
}

// exprs adds the anchors and expression subtrees of expressions (function
// literals included: their bodies are walked as statements).
func (w *walker) exprs(list ...ast.Expr) {
	for _, e := range list {
		if e == nil {
			continue
		}
		ast.Inspect(e, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				w.stmts(n.Body.List, []string{"func"})
				return false
			case ast.Expr:
				w.expr(n)
			}
			return true
		})
	}
}

// expr adds the features of one expression node (not of its children).
func (w *walker) expr(e ast.Expr) {
	r := w.r
	switch e := e.(type) {
	case *ast.BasicLit:
		w.add(FamLit, e.Kind.String()+":"+e.Value)
		return
	case *ast.CallExpr:
		switch f := e.Fun.(type) {
		case *ast.Ident:
			if Predeclared(f.Name) && !r.locals[f.Name] {
				arg := ""
				if len(e.Args) > 0 && (f.Name == "make" || f.Name == "new") {
					arg = r.typ(e.Args[0])
				}
				w.add(FamBuiltin, f.Name+"("+arg)
			}
		case *ast.SelectorExpr:
			if q, ok := r.qualifiedSel(f); ok {
				w.add(FamCall, "call:"+q)
			} else if !r.ff.members[f.Sel.Name] {
				w.add(FamCall, "m:"+f.Sel.Name)
			}
		}
	case *ast.SelectorExpr:
		if q, ok := r.qualifiedSel(e); ok {
			w.add(FamCall, "ref:"+q)
			return
		}
		if !r.ff.members[e.Sel.Name] {
			w.add(FamCall, "f:"+e.Sel.Name)
		}
	case *ast.CompositeLit:
		if e.Type != nil {
			w.typeFeature(e.Type)
		}
	case *ast.TypeAssertExpr:
		if e.Type != nil {
			w.typeFeature(e.Type)
		}
	case *ast.Ident, *ast.ParenExpr, *ast.KeyValueExpr, *ast.FuncLit:
		return
	}
	if !isExprNode(e) {
		return
	}
	w.buf = r.appendExpr(w.buf[:0], e, exprDepth)
	w.addBytes(FamExpr, w.buf)
	r.plainSel = true
	w.plain = r.appendExpr(w.plain[:0], e, exprDepth)
	if !bytes.Equal(w.plain, w.buf) {
		w.addBytes(FamExpr, w.plain)
	}
	r.plainSel = false
}

// isExprNode reports whether e is an operation worth a subtree feature.
func isExprNode(e ast.Expr) bool {
	switch e.(type) {
	case *ast.CallExpr, *ast.BinaryExpr, *ast.UnaryExpr, *ast.IndexExpr, *ast.SliceExpr,
		*ast.CompositeLit, *ast.StarExpr, *ast.TypeAssertExpr, *ast.SelectorExpr:
		return true
	}
	return false
}

// defUse adds, for every use of a local, the pair of how the local is
// defined and where it is used.
func (w *walker) defUse(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		stack := w.stack
		if n == nil {
			w.stack = stack[:len(stack)-1]
			return true
		}
		if id, ok := n.(*ast.Ident); ok && w.r.locals[id.Name] && len(stack) > 0 {
			if use := w.useContext(stack[len(stack)-1], id); use != "" {
				for _, def := range w.defs[id.Name] {
					// The feature of def+"|"+use, hashed without the string.
					h := fnvAdd(fnvAdd(fnvAdd(fnvOffset, def), "|"), use)
					w.feats = append(w.feats, featureHash(FamDefUse, h))
				}
			}
		}
		w.stack = append(stack, n)
		return true
	})
}

// useContext says where identifier id is used in its parent node; "" for
// its definitions.
func (w *walker) useContext(parent ast.Node, id *ast.Ident) string {
	r := w.r
	switch p := parent.(type) {
	case *ast.CallExpr:
		if p.Fun == id {
			return "callee"
		}
		return "arg:" + r.expr(p.Fun, 0)
	case *ast.SelectorExpr:
		if p.X == id {
			return "sel:" + r.selName(p.Sel.Name)
		}
		return ""
	case *ast.IndexExpr:
		if p.X == id {
			return "base[]"
		}
		return "index"
	case *ast.SliceExpr:
		if p.X == id {
			return "base[:]"
		}
		return "bound"
	case *ast.BinaryExpr:
		return "op" + p.Op.String()
	case *ast.UnaryExpr:
		return "un" + p.Op.String()
	case *ast.RangeStmt:
		if p.X == id {
			return "range"
		}
		return ""
	case *ast.ReturnStmt:
		return "return"
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == id {
				if p.Tok == token.DEFINE {
					return ""
				}
				return "assigned"
			}
		}
		return "rhs"
	case *ast.IncDecStmt:
		return "incdec"
	case *ast.KeyValueExpr:
		return "kv"
	case *ast.CompositeLit:
		return "elt"
	case *ast.SendStmt:
		return "send"
	case *ast.SwitchStmt:
		return "tag"
	}
	return ""
}

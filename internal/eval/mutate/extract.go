package mutate

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// nameLike builds a name of one's own from base with a random pattern.
func (c *ctx) nameLike(n *namer, patterns []string, like string) string {
	base := c.baseName()
	p := pick(c.rng, patterns)
	name := strings.ReplaceAll(strings.ReplaceAll(p, "%U", upperFirst(base)), "%l", lowerFirst(base))
	return n.fresh(withCase(name, like))
}

// typeParams returns the type parameter list the function's own helpers
// need (with brackets) and the names for instantiating them.
func (c *ctx) typeParams() (decl, inst string) {
	if tp := c.decl.Type.TypeParams; tp != nil {
		var names []string
		for _, f := range tp.List {
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
		}
		return c.src(tp), "[" + strings.Join(names, ", ") + "]"
	}
	var names []string
	for _, o := range c.resolve().objs {
		if o.kind == objTypeParam && c.decl.Recv != nil && o.ident.Pos() < c.decl.Recv.End() {
			names = append(names, o.name)
		}
	}
	if len(names) == 0 {
		return "", ""
	}
	return "[" + strings.Join(names, ", ") + " any]", "[" + strings.Join(names, ", ") + "]"
}

// results returns the text of the result list.
func (c *ctx) results() string {
	if c.decl.Type.Results == nil {
		return ""
	}
	return c.src(c.decl.Type.Results)
}

// paramFields returns the named receiver and parameters.
func (c *ctx) paramFields() []*ast.Field {
	var all []*ast.Field
	if c.decl.Recv != nil {
		all = append(all, c.decl.Recv.List...)
	}
	var fs []*ast.Field
	for _, f := range append(all, c.decl.Type.Params.List...) {
		if len(f.Names) > 0 {
			fs = append(fs, f)
		}
	}
	return fs
}

// partial wraps a contiguous half of the top-level statements in a
// signature of its own: the receiver becomes the first parameter. It
// returns the code, the source lines of the statements and, for the first
// half, the source lines from the original's header to the last
// statement: the new header is the original's with another name (and the
// receiver among the parameters), and a tool may align it with it.
func (c *ctx) partial() (string, [2]int, [2]int, error) {
	list := c.decl.Body.List
	n := len(list)
	if n < 2 {
		return "", [2]int{}, [2]int{}, c.notApplicable("fewer than two top-level statements")
	}
	h := (n + 1) / 2
	a, b := 0, h
	if c.rng.IntN(2) == 1 {
		a, b = n-h, n
	}
	var params []string
	for _, f := range c.paramFields() {
		params = append(params, c.src(f))
	}
	tp, _ := c.typeParams()
	name := c.nameLike(c.newNamer(), []string{"%lPart", "do%U", "%lHelper", "inner%U", "%lStep", "partial%U"}, "x")
	code := fmt.Sprintf("func %s%s(%s) %s {\n%s\n}", name, tp, strings.Join(params, ", "), c.results(),
		c.span(list[a].Pos(), list[b-1].End()))
	code, err := gofmt(code)
	if err != nil {
		return "", [2]int{}, [2]int{}, err
	}
	stmts := [2]int{c.line(list[a].Pos()), c.line(list[b-1].End() - 1)}
	var withHeader [2]int
	if a == 0 {
		withHeader = [2]int{c.line(c.decl.Pos()), stmts[1]}
	}
	return code, stmts, withHeader, nil
}

// split cuts the body in two at a top-level statement boundary that no
// local variable crosses; the first function calls the second.
func (c *ctx) split() (string, error) {
	res := c.resolve()
	list := c.decl.Body.List
	n := len(list)
	if n < 2 {
		return "", c.notApplicable("fewer than two top-level statements")
	}
	stmtOf := func(p token.Pos) int {
		for i, s := range list {
			if s.Pos() <= p && p < s.End() {
				return i
			}
		}
		return -1
	}
	bad := make([]bool, n+1) // bad[k]: cannot cut before list[k]
	bad[0], bad[n] = true, true
	usedAfter := map[*object]int{} // parameter -> first statement using it
	for id, o := range res.uses {
		u := stmtOf(id.Pos())
		if u < 0 || id == o.ident {
			continue
		}
		d := stmtOf(o.ident.Pos())
		switch {
		case o.kind == objLabel:
			for k := min(d, u) + 1; k <= max(d, u); k++ {
				bad[k] = true
			}
		case o.kind == objResult:
			for k := u + 1; k < n; k++ {
				bad[k] = true
			}
		case o.top && d >= 0:
			for k := d + 1; k <= u; k++ {
				bad[k] = true
			}
		case o.kind == objParam || o.kind == objRecv:
			if v, ok := usedAfter[o]; !ok || u > v {
				usedAfter[o] = u
			}
		}
	}
	// Named results used anywhere before the cut, including by a bare
	// return, are handled above; labels with no use need no care.
	var cuts []int
	for k := 1; k < n; k++ {
		if !bad[k] {
			cuts = append(cuts, k)
		}
	}
	if len(cuts) == 0 {
		return "", c.notApplicable("no cut point")
	}
	k := pick(c.rng, cuts)

	// A method with a named receiver gets a method as its second half (so
	// the receiver's type parameters keep their constraints); anything
	// else gets a function.
	var recv *ast.Field
	if c.decl.Recv != nil && len(c.decl.Recv.List) == 1 && len(c.decl.Recv.List[0].Names) == 1 &&
		c.decl.Recv.List[0].Names[0].Name != "_" {
		recv = c.decl.Recv.List[0]
	}
	var params, args []string
	for _, f := range c.paramFields() {
		if f == recv {
			continue
		}
		for _, id := range f.Names {
			o := res.uses[id]
			if o == nil || usedAfter[o] < k {
				continue
			}
			typ := c.src(f.Type)
			params = append(params, id.Name+" "+typ)
			if _, variadic := f.Type.(*ast.Ellipsis); variadic {
				args = append(args, id.Name+"...")
			} else {
				args = append(args, id.Name)
			}
		}
	}
	name := c.nameLike(c.newNamer(), []string{"%lRest", "finish%U", "%lTail", "continue%U", "%lPart2", "complete%U"}, "x")
	var head, call string
	if recv != nil {
		head = "func (" + c.src(recv) + ") " + name
		call = recv.Names[0].Name + "." + name + "(" + strings.Join(args, ", ") + ")"
	} else {
		tp, inst := c.typeParams()
		head = "func " + name + tp
		call = name + inst + "(" + strings.Join(args, ", ") + ")"
	}
	if c.decl.Type.Results != nil {
		call = "return " + call
	}
	_, cut := c.stmtSpan(list[k-1])
	cutPos := c.decl.Pos() + token.Pos(cut-c.off(c.decl.Pos()))
	first := c.span(c.decl.Pos(), cutPos) + "\n" + call + "\n}"
	second := fmt.Sprintf("%s(%s) %s {%s}", head, strings.Join(params, ", "), c.results(),
		c.span(cutPos, c.decl.Body.Rbrace))
	return gofmt(first + "\n\n" + second)
}

// terminates reports whether s certainly ends the function.
func terminates(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.GOTO
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	case *ast.ForStmt:
		return s.Cond == nil
	case *ast.LabeledStmt:
		return terminates(s.Stmt)
	}
	return false
}

// paramCheck returns a check of one parameter, if one can be written
// from the parameter's type.
func paramCheck(fn, name string, typ ast.Expr, usePanic bool) string {
	report := func(what string) string {
		if usePanic {
			return fmt.Sprintf("panic(%q)", fn+": "+what+" "+name)
		}
		return fmt.Sprintf("log.Printf(%q)", fn+": "+what+" "+name)
	}
	switch t := typ.(type) {
	case *ast.StarExpr, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType:
		return fmt.Sprintf("if %s == nil {\n%s\n}", name, report("nil"))
	case *ast.ArrayType:
		if t.Len == nil {
			return fmt.Sprintf("if len(%s) == 0 {\n%s\n}", name, report("empty"))
		}
	case *ast.Ellipsis:
		return fmt.Sprintf("if len(%s) == 0 {\n%s\n}", name, report("no"))
	case *ast.Ident:
		switch t.Name {
		case "error", "any":
			return fmt.Sprintf("if %s == nil {\n%s\n}", name, report("nil"))
		case "string":
			return fmt.Sprintf("if %s == \"\" {\n%s\n}", name, report("empty"))
		case "int", "int64", "int32", "int16", "int8", "float64", "float32":
			return fmt.Sprintf("if %s < 0 {\n%s\n}", name, report("negative"))
		}
	}
	return ""
}

// merged places the body inside a larger function of its own.
func (c *ctx) merged() (string, [2]int, [2]int, error) {
	nm := c.newNamer()
	name := c.nameLike(nm, []string{"process%U", "handle%U", "run%U", "%lWithLogging", "safe%U", "checked%U", "%lWrapped"}, c.decl.Name.Name)
	header := c.span(c.decl.Pos(), c.decl.Name.Pos()) + name + c.span(c.decl.Name.End(), c.decl.Body.Lbrace)
	body := c.span(c.decl.Body.Lbrace+1, c.decl.Body.Rbrace)

	var checks []string
	usePanic := c.rng.IntN(2) == 0
	for _, f := range c.paramFields() {
		for _, id := range f.Names {
			if id.Name == "_" {
				continue
			}
			if s := paramCheck(name, id.Name, f.Type, usePanic); s != "" {
				checks = append(checks, s)
			}
		}
	}
	list := c.decl.Body.List
	canAppend := c.decl.Type.Results == nil && (len(list) == 0 || !terminates(list[len(list)-1]))

	start := nm.fresh(pick(c.rng, []string{"start", "began", "t0", "startTime", "begin"}))
	timing := fmt.Sprintf("%s := time.Now()\ndefer func() {\nlog.Printf(%q, time.Since(%s))\n}()", start, name+" took %v", start)
	enter := fmt.Sprintf("log.Printf(%q)", name+": start")
	deferDone := fmt.Sprintf("defer log.Println(%q)", name+": done")

	var pre []string
	if len(checks) > 0 && c.rng.IntN(4) != 0 {
		pre = append(pre, pick(c.rng, checks))
	}
	if c.rng.IntN(2) == 0 {
		pre = append(pre, enter)
	}
	switch {
	case canAppend && c.rng.IntN(2) == 0:
	case c.rng.IntN(2) == 0:
		pre = append(pre, timing)
	default:
		pre = append(pre, deferDone)
	}
	if len(pre) == 0 {
		pre = append(pre, enter)
	}
	var post string
	if canAppend {
		post = pick(c.rng, []string{
			fmt.Sprintf("log.Printf(%q)", name+": finished"),
			fmt.Sprintf("log.Println(%q)", name+" complete"),
		})
	}
	// Markers around the original body find its lines after gofmt.
	code := header + "{\n" + strings.Join(pre, "\n") + "\n" + bodyBegin + "\n" + strings.Trim(body, " \t\n") + "\n" + bodyEnd + "\n"
	if post != "" {
		code += post + "\n"
	}
	code += "}"
	out, err := gofmt(code)
	if err != nil {
		return "", [2]int{}, [2]int{}, err
	}
	// The body's lines in the original file: after the lines of the
	// header, up to the line before the closing brace.
	headerLines := strings.Count(c.span(c.decl.Pos(), c.decl.Body.Lbrace), "\n")
	src := [2]int{c.f.Line + headerLines + 1, c.f.EndLine - 1}
	var kept []string
	lines := [2]int{}
	for _, l := range strings.Split(out, "\n") {
		switch strings.TrimSpace(l) {
		case bodyBegin:
			lines[0] = len(kept) + 1
			continue
		case bodyEnd:
			lines[1] = len(kept)
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n"), lines, src, nil
}

// Markers of the original body in merged's output.
const (
	bodyBegin = "// snipeval:body-begin"
	bodyEnd   = "// snipeval:body-end"
)

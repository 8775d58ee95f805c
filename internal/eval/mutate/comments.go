package mutate

import (
	"go/ast"
	"strings"
)

// phrases are the comments Comments inserts, by statement kind.
var phrases = map[string][]string{
	"if": {
		"handle the special case first",
		"bail out early when the input is not usable",
		"check the condition before going on",
		"guard against unexpected state",
		"deal with the corner case here",
	},
	"for": {
		"walk over every element",
		"keep going until there is nothing left",
		"main loop",
		"iterate over the input",
		"process the items one at a time",
	},
	"return": {
		"hand the result back to the caller",
		"all done",
		"report what we found",
		"finish up",
	},
	"assign": {
		"set up the working state",
		"compute the next value",
		"remember the intermediate result",
		"update the bookkeeping",
		"prepare the values used below",
	},
	"switch": {
		"dispatch on the kind of input",
		"pick the right branch",
		"choose what to do next",
	},
	"call": {
		"delegate to the helper",
		"do the actual work",
		"perform the operation",
	},
	"decl": {
		"declare the working variables",
		"local declarations",
	},
	"defer": {
		"make sure cleanup always runs",
		"release resources on the way out",
	},
	"other": {
		"next step",
		"continue processing",
		"move on to the next stage",
	},
}

// stmtClass names the kind of a statement for choosing a phrase.
func stmtClass(s ast.Stmt) string {
	switch s := s.(type) {
	case *ast.IfStmt:
		return "if"
	case *ast.ForStmt, *ast.RangeStmt:
		return "for"
	case *ast.ReturnStmt:
		return "return"
	case *ast.AssignStmt, *ast.IncDecStmt:
		return "assign"
	case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		return "switch"
	case *ast.ExprStmt:
		return "call"
	case *ast.DeclStmt:
		return "decl"
	case *ast.DeferStmt:
		return "defer"
	case *ast.LabeledStmt:
		return stmtClass(s.Stmt)
	}
	return "other"
}

// stmtLists calls fn for every statement list in body (blocks, case and
// select clauses, function literals included); top is true for the
// function body itself.
func stmtLists(body *ast.BlockStmt, fn func(list []ast.Stmt, top bool)) {
	ast.Inspect(body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.BlockStmt:
			fn(x.List, x == body)
		case *ast.CaseClause:
			fn(x.Body, false)
		case *ast.CommClause:
			fn(x.Body, false)
		}
		return true
	})
}

// startsLine reports whether only blanks precede offset off on its line.
func startsLine(text []byte, off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch text[i] {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// comments removes every comment and inserts comments of its own.
func (c *ctx) comments() (string, error) {
	var edits []edit
	for _, cg := range c.file.Comments {
		for _, cm := range cg.List {
			repl := ""
			if strings.HasPrefix(cm.Text, "/*") {
				repl = " "
				if strings.Contains(cm.Text, "\n") {
					repl = "\n"
				}
			}
			edits = append(edits, edit{c.off(cm.Pos()), c.off(cm.End()), repl})
		}
	}
	type cand struct {
		s   ast.Stmt
		top bool
	}
	var cands []cand
	stmtLists(c.decl.Body, func(list []ast.Stmt, top bool) {
		for _, s := range list {
			if _, empty := s.(*ast.EmptyStmt); !empty && startsLine(c.text, c.off(s.Pos())) {
				cands = append(cands, cand{s, top})
			}
		}
	})
	var chosen []cand
	for _, cd := range cands {
		p := 0.12
		if cd.top {
			p = 0.35
		}
		if c.rng.Float64() < p {
			chosen = append(chosen, cd)
		}
	}
	if len(chosen) == 0 && len(cands) > 0 {
		chosen = append(chosen, cands[c.rng.IntN(len(cands))])
	}
	for _, cd := range chosen {
		text := "// " + pick(c.rng, phrases[stmtClass(cd.s)]) + "\n"
		edits = append(edits, edit{c.off(cd.s.Pos()), c.off(cd.s.Pos()), text})
	}
	if len(chosen) == 0 {
		at := c.off(c.decl.Body.Lbrace) + 1
		edits = append(edits, edit{at, at, "\n// nothing to do here\n"})
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

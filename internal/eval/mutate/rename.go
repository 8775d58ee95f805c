package mutate

import (
	"cmp"
	"go/ast"
	"slices"
)

// vocabulary holds neutral names for renamed identifiers.
var vocabulary = []string{
	"acc", "aux", "cur", "elem", "item", "tmp", "val", "res", "cnt", "pos",
	"ref", "cand", "piece", "node", "entry", "slot", "mark", "head", "tail",
	"lhs", "rhs", "lo", "hi", "mid", "step", "span", "unit", "chunk", "frame",
	"cell", "probe", "seg", "blob", "datum", "token", "part", "tally", "sum",
	"delta", "width", "depth", "level", "cursor", "anchor", "pivot", "limit",
	"bound", "origin", "target", "holder", "input", "output", "scratch",
	"marker", "handle", "state", "ctxt", "subject", "object", "record", "field",
	"member", "payload", "sample", "stash", "batch", "bucket", "carry", "digit",
	"glyph", "letter", "word", "phrase", "line", "row", "column", "grid", "pair",
	"triple", "hook", "agent", "actor", "owner", "peer", "sink", "source", "pipe",
	"stream", "store", "cache", "pool", "queue", "stack", "heap", "tree", "leaf",
	"root", "branch", "trail", "path", "route", "hop", "jump", "lap", "turn",
}

// prefixes decorate old names in the second naming scheme.
var prefixes = []string{"my", "the", "local", "cur", "tmp", "in", "x"}

// renamed renames every local identifier consistently.
func (c *ctx) renamed() (string, error) {
	res := c.resolve()
	ids := make([]*ast.Ident, 0, len(res.uses))
	for id := range res.uses {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b *ast.Ident) int { return cmp.Compare(a.Pos(), b.Pos()) })
	if len(ids) == 0 {
		return "", c.notApplicable("no local identifiers")
	}
	n := c.newNamer()
	words := slices.Clone(vocabulary)
	c.rng.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
	decorate := c.rng.IntN(2) == 0
	pre := pick(c.rng, prefixes)
	next := 0
	mapping := map[string]string{}
	var edits []edit
	for _, id := range ids {
		old := res.uses[id].name
		nw, ok := mapping[old]
		if !ok {
			if decorate {
				nw = n.fresh(withCase(pre+upperFirst(old), old))
			} else {
				for next < len(words) && !n.ok(withCase(words[next], old)) {
					next++
				}
				if next < len(words) {
					nw = n.fresh(withCase(words[next], old))
				} else {
					nw = n.fresh(withCase("v", old))
				}
			}
			mapping[old] = nw
		}
		edits = append(edits, edit{c.off(id.Pos()), c.off(id.End()), nw})
	}
	code, err := applyEdits(c.text, edits)
	if err != nil {
		return "", err
	}
	return gofmt(code)
}

package mutate

import (
	"errors"
	"strings"
	"testing"
)

// funcOf returns the Func named name of a source file.
func funcOf(t *testing.T, src, name string) Func {
	t.Helper()
	fns, err := Funcs("x.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fns {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no function %s", name)
	return Func{}
}

func TestAPISwaps(t *testing.T) {
	const src = `package p

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

type pair struct{ k string; v int }

func split(s string) (string, string) {
	i := strings.Index(s, "=")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+len("="):]
}

func field(s string) string {
	k, v, ok := strings.Cut(s, ":")
	if !ok {
		return k
	}
	return v
}

func order(ps []pair, names []string) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].k < ps[j].k })
	sort.Strings(names)
}

func order2(ps []pair) {
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.v, b.v) })
}
`
	tests := []struct {
		name       string
		want, gone []string
	}{
		{"split", []string{"strings.Cut(s, \"=\")", "!found"}, []string{"strings.Index"}},
		{"field", []string{"strings.Index(s, \":\")", "s[:idx]", "s[idx+len(\":\"):]", "(idx >= 0)"}, []string{"strings.Cut"}},
		{"order", []string{"slices.SortFunc(ps, func(x, y pair) int", "cmp.Compare(x.k, y.k)", "slices.Sort(names)"}, []string{"sort."}},
		{"order2", []string{"sort.Slice(ps, func(m, q int) bool", "ps[m].v < ps[q].v"}, []string{"SortFunc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := funcOf(t, src, tt.name)
			var code string
			for seed := uint64(0); seed < 20 && code == ""; seed++ {
				c, err := apiSwaps(f, seed)
				if errors.Is(err, ErrNotApplicable) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(c, "sort.") || tt.name != "order" {
					code = c
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(code, w) {
					t.Errorf("want %q in\n%s", w, code)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(code, g) {
					t.Errorf("%q left in\n%s", g, code)
				}
			}
		})
	}
}

func TestAPISwapsNotApplicable(t *testing.T) {
	const src = `package p

import "strings"

func pos(s string) int {
	i := strings.Index(s, "=")
	return i * 2
}
`
	if _, err := apiSwaps(funcOf(t, src, "pos"), 1); !errors.Is(err, ErrNotApplicable) {
		t.Errorf("an index used as a number swapped: err %v", err)
	}
}

func TestInlineHelpers(t *testing.T) {
	const src = `package p

var total int

func twice(n int) int { return n * 2 }

func add(n int) {
	total += n
	total++
}

func run(xs []int) int {
	s := 0
	for _, x := range xs {
		s += twice(x)
		add(x)
	}
	return s
}
`
	f := funcOf(t, src, "run")
	var code string
	for seed := uint64(0); seed < 20; seed++ {
		c, err := inlineHelpers(f, f.Src, seed)
		if errors.Is(err, ErrNotApplicable) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c, "twice(") && !strings.Contains(c, "add(") {
			code = c
			break
		}
	}
	for _, w := range []string{"s += ((x) * 2)", "n := x", "total += n"} {
		if !strings.Contains(code, w) {
			t.Errorf("want %q in\n%s", w, code)
		}
	}
}

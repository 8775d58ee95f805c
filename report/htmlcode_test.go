package report

import (
	"strings"
	"testing"
)

// marks aligns the single-line Go texts target and source and returns
// each side's tokens as "text" (unmarked), "=text" (matched) or
// "~text<other" (renamed from or to other).
func marks(t *testing.T, target, source string) (tm, sm []string) {
	t.Helper()
	x := newCodeFile("t.go", []byte(target)).excerpt(1, 1)
	y := newCodeFile("s.go", []byte(source)).excerpt(1, 1)
	markAligned(x, y)
	show := func(e *excerpt) []string {
		var out []string
		for _, tk := range e.toks {
			s := e.tokenText(tk)
			switch tk.mark {
			case markMatched:
				s = "=" + s
			case markRenamed:
				s = "~" + s + "<" + tk.other
			}
			out = append(out, s)
		}
		return out
	}
	return show(x), show(y)
}

func TestMarkAligned(t *testing.T) {
	for _, tc := range []struct {
		target, source string
		tm, sm         string
	}{
		// A name copied unchanged pairs with itself, not with the name
		// that was dropped before it.
		{"foo(b)", "foo(a, b)", "=foo =( =b =)", "=foo =( a , =b =)"},
		// A renamed name pairs with its original.
		{"x := f(y)", "a := f(b)", "~x<a =:= =f =( ~y<b =)", "~a<x =:= =f =( ~b<y =)"},
		// Other tokens never pair when their texts differ.
		{"return 1", "return 2", "=return 1", "=return 2"},
	} {
		tm, sm := marks(t, tc.target, tc.source)
		if got := strings.Join(tm, " "); got != tc.tm {
			t.Errorf("%q vs %q: target marks %q, want %q", tc.target, tc.source, got, tc.tm)
		}
		if got := strings.Join(sm, " "); got != tc.sm {
			t.Errorf("%q vs %q: source marks %q, want %q", tc.target, tc.source, got, tc.sm)
		}
	}
}

package policy_test

import (
	"testing"

	"github.com/snipscan/snipscan/policy"
)

// TestGlobs checks the matching rules of the policy's exclude and of
// --exclude: a pattern matches a path, or what lies below a directory it
// names; "./" and a trailing slash change nothing.
func TestGlobs(t *testing.T) {
	t.Parallel()
	var g policy.Globs
	for _, p := range []string{"./third_party", "gen/", "**/*_test.go", "docs/*.md"} {
		if err := g.Add(p); err != nil {
			t.Fatalf("Add(%q): %v", p, err)
		}
	}
	for rel, want := range map[string]bool{
		"third_party":             true,
		"third_party/x/y.go":      true,
		"gen":                     true,
		"gen/a/b.go":              true,
		"a/gen/b.go":              false,
		"a/b_test.go":             true,
		"b_test.go":               true,
		"docs/x.md":               true,
		"docs/sub/x.md":           false,
		"third_party_notes/x.go":  false,
		"internal/third_party.go": false,
	} {
		if got := g.Match(rel); got != want {
			t.Errorf("Match(%q) = %v, want %v", rel, got, want)
		}
	}
	for _, bad := range []string{"", "  ", "a/[b"} {
		if err := g.Add(bad); err == nil {
			t.Errorf("Add(%q): no error", bad)
		}
	}
	if g.Len() != 4 {
		t.Errorf("%d patterns, want 4", g.Len())
	}
}

package license

import "testing"

func TestReduce(t *testing.T) {
	// Severity by category: the higher, the worse.
	score := func(l Leaf) int { return int(l.Category()) }
	for _, tc := range []struct {
		expr string
		want Category
	}{
		{"MIT", Permissive},
		{"MIT OR GPL-3.0-only", Permissive},
		{"MIT AND GPL-3.0-only", StrongCopyleft},
		{"(MIT OR GPL-2.0-or-later) AND AGPL-3.0-only", NetworkCopyleft},
		{"GPL-2.0-only WITH Classpath-exception-2.0", WeakCopyleft},
		{"gpl-2.0+ OR Apache-2.0", Permissive},
	} {
		got, err := Reduce(tc.expr, score)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if Category(got) != tc.want {
			t.Errorf("%s: %v, want %v", tc.expr, Category(got), tc.want)
		}
	}
	if _, err := Reduce("MIT AND (", score); err == nil {
		t.Error("malformed expression: no error")
	}
	var leaves []string
	Reduce("GPL-2.0-only WITH Classpath-exception-2.0 OR MIT", func(l Leaf) int { leaves = append(leaves, l.String()); return 0 })
	if len(leaves) != 2 || leaves[0] != "GPL-2.0-only WITH Classpath-exception-2.0" && leaves[1] != "GPL-2.0-only WITH Classpath-exception-2.0" {
		t.Errorf("leaves %q", leaves)
	}
}

func TestCanonicalIDAndCategory(t *testing.T) {
	for in, want := range map[string]string{"gpl-2.0+": "GPL-2.0-or-later", "Apache-2.0": "Apache-2.0", "mit": "MIT", "LicenseRef-Acme": "LicenseRef-Acme"} {
		if got, ok := CanonicalID(in); !ok || got != want {
			t.Errorf("CanonicalID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "not-a-license", "MIT OR Apache-2.0"} {
		if got, ok := CanonicalID(bad); ok {
			t.Errorf("CanonicalID(%q) = %q, want not ok", bad, got)
		}
	}
	for _, c := range Categories() {
		if got, ok := ParseCategory(c.String()); !ok || got != c {
			t.Errorf("ParseCategory(%q) = %v, %v", c, got, ok)
		}
	}
	if _, ok := ParseCategory("copyleft"); ok {
		t.Error(`ParseCategory("copyleft") ok`)
	}
}

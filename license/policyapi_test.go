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

// TestChoose picks the licensee's choice in every OR: the lowest score,
// then the least restrictive license.
func TestChoose(t *testing.T) {
	// Severity by category, with copyleft and worse as 1.
	score := func(l Leaf) int {
		if c := l.Category(); c >= StrongCopyleft || c == Unknown {
			return 1
		}
		return 0
	}
	for _, tc := range []struct {
		expr, choice string
		worst        int
	}{
		{"MIT", "MIT", 0},
		{"MIT OR GPL-3.0-only", "MIT", 0},
		{"GPL-3.0-only OR AGPL-3.0-only", "GPL-3.0-only", 1},
		{"Apache-2.0 OR MIT", "MIT", 0},
		{"MPL-2.0 OR Apache-2.0", "Apache-2.0", 0},
		{"CC0-1.0 OR MIT", "CC0-1.0", 0},
		{"LicenseRef-x OR GPL-2.0-only", "GPL-2.0-only", 1},
		{"(MIT OR GPL-2.0-only) AND (BSD-3-Clause OR AGPL-3.0-only)", "BSD-3-Clause AND MIT", 0},
		{"MIT AND GPL-2.0-only", "GPL-2.0-only AND MIT", 1},
		{"(MIT AND Apache-2.0) OR ISC", "ISC", 0},
	} {
		got, worst, err := Choose(tc.expr, score)
		if err != nil || got != tc.choice || worst != tc.worst {
			t.Errorf("Choose(%q) = %q, %d, %v; want %q, %d", tc.expr, got, worst, err, tc.choice, tc.worst)
		}
	}
	if _, _, err := Choose("MIT OR (", score); err == nil {
		t.Error("malformed expression: no error")
	}
	r := func(id string) int { return restrictiveness(leaf(id), lcTypes()) }
	if r("MIT") >= r("Apache-2.0") || r("Apache-2.0") >= r("MPL-2.0") || r("CC-BY-NC-4.0") >= r("LicenseRef-x") {
		t.Error("restrictiveness out of order")
	}
}

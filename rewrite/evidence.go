package rewrite

import (
	"slices"
	"strings"
)

// evidenceWords renders an API or literal feature s of family fam in the
// words of the code: "strings.Cut()", ".MatchString()", ".Pos",
// "\"nolint:\"". APIs that rewrites swap are named by their group
// ("strings.Cut()" for strings.Index).
func evidenceWords(fam Family, s string) string {
	switch fam {
	case FamCall:
		kind, name, _ := strings.Cut(s, ":")
		switch kind {
		case "call":
			return name + "()"
		case "m":
			return "." + name + "()"
		case "f":
			return "." + name
		}
		return name // a reference: io.SeekEnd
	case FamLit:
		_, v, _ := strings.Cut(s, ":")
		return v
	}
	return s
}

// Evidence names the rare APIs and literals m's units share (among
// Match.Shared, which holds type shapes and builtins too), most weight
// first, when its scanned unit was extracted with
// Options.Evidence; nil otherwise.
func (m Match) Evidence() []string {
	if m.Unit.Evidence == nil {
		return nil
	}
	out := make([]string, 0, len(m.Shared))
	for _, f := range m.Shared {
		// A call and a reference of one API read the same.
		if w, ok := m.Unit.Evidence[f]; ok && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

package pkgmeta

import (
	"regexp"
	"strings"
)

// rubyString matches a Ruby string literal that a gemspec uses for names,
// versions and licenses: "...", '...' or %q / %Q with (), [], {} or <>.
const rubyString = `(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|%[qQ]?\(([^()\n]*)\)|%[qQ]?\[([^\[\]\n]*)\]|%[qQ]?\{([^{}\n]*)\}|%[qQ]?<([^<>\n]*)>)`

// Regular expressions for the assignments of a gem specification. Any
// receiver name is accepted ("s.name", "spec.name", "gem.name"); the
// assignment must start its line. They are compiled once and never
// modified.
var (
	gemStringRE   = regexp.MustCompile(rubyString)
	gemNameRE     = regexp.MustCompile(`(?m)^[ \t]*\w+\.name[ \t]*=[ \t]*` + rubyString)
	gemVersionRE  = regexp.MustCompile(`(?m)^[ \t]*\w+\.version[ \t]*=[ \t]*` + rubyString)
	gemNewRE      = regexp.MustCompile(`Gem::Specification\.new[ \t]*\(?[ \t]*` + rubyString + `(?:[ \t]*,[ \t]*` + rubyString + `)?`)
	gemLicenseRE  = regexp.MustCompile(`(?m)^[ \t]*\w+\.licenses?[ \t]*=[ \t]*(\[[^\]]*\]|%[wW](?:\([^)]*\)|\[[^\]]*\]|\{[^}]*\})|` + rubyString + `)`)
	gemCommentsRE = regexp.MustCompile(`(?m)^[ \t]*#.*$`)
)

// parseGemspec reads a Ruby gem specification heuristically, since it is
// Ruby code: the first literal `x.name = "..."`, `x.version = "..."` (or
// `Gem::Specification.new "name", "version"`) and `x.license = "..."` or
// `x.licenses = [...]` / `%w[...]` assignments, outside comment lines. A
// version that is not a literal (`Foo::VERSION`) is left empty; a name that
// is not a literal is taken from the file name ("foo.gemspec" -> "foo").
// Strings with interpolation ("#{...}") are not literals. Being heuristic,
// it never reports a syntax error.
func parseGemspec(file string, data []byte) *Package {
	text := gemCommentsRE.ReplaceAllLiteralString(string(data), "")
	name := gemFirst(gemNameRE, text)
	version := gemFirst(gemVersionRE, text)
	if m := gemNewRE.FindStringSubmatch(text); m != nil {
		if name == "" {
			name = rubyLiteral(m[1:7])
		}
		if version == "" {
			version = rubyLiteral(m[7:13])
		}
	}
	if name == "" {
		name = strings.TrimSuffix(file, GemspecSuffix)
	}
	var ls []string
	if m := gemLicenseRE.FindStringSubmatch(text); m != nil {
		switch v := m[1]; {
		case strings.HasPrefix(v, "%w"), strings.HasPrefix(v, "%W"):
			ls = strings.Fields(v[3 : len(v)-1])
		case strings.HasPrefix(v, "["):
			for _, s := range gemStringRE.FindAllStringSubmatch(v, -1) {
				ls = append(ls, rubyLiteral(s[1:]))
			}
		default:
			ls = append(ls, rubyLiteral(m[2:]))
		}
	}
	return newPackage(EcosystemGem, name, version, joinLicenses(ls))
}

// gemFirst returns the literal of the first match of re in text, whose
// string literal's groups start at group 1.
func gemFirst(re *regexp.Regexp, text string) string {
	m := re.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return rubyLiteral(m[1:])
}

// rubyLiteral returns the value of the string literal whose alternative
// groups are given, or "" if it is interpolated or blank. Backslash escapes
// are kept as written except for escaped quotes and backslashes.
func rubyLiteral(groups []string) string {
	for i, g := range groups {
		if i >= 6 {
			break
		}
		if g == "" {
			continue
		}
		if i != 1 && strings.Contains(g, "#{") {
			return ""
		}
		if i <= 1 {
			g = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\'`, `'`).Replace(g)
		}
		return strings.TrimSpace(g)
	}
	return ""
}

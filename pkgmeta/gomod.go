package pkgmeta

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Names of the Go distribution's own modules and the names Detect gives
// them. "stdlib" is the OSV convention for the standard library.
const (
	goStdModule = "std"
	goCmdModule = "cmd"
	// GoStdlibName is the package name of the Go standard library
	// (GOROOT/src/go.mod, "module std").
	GoStdlibName = "stdlib"
	// GoCmdName is the package name of the Go commands
	// (GOROOT/src/cmd/go.mod, "module cmd").
	GoCmdName = "cmd"
)

// parseGoModPackage turns a go.mod into a package. The Go distribution's
// "std" and "cmd" modules take their version from GOROOT/VERSION, read
// relative to the directory.
func parseGoModPackage(data []byte, read func(string) ([]byte, error)) (*Package, error) {
	mod, err := parseGoMod(data)
	if err != nil {
		return nil, err
	}
	switch mod {
	case "":
		return nil, nil
	case goStdModule, goCmdModule:
		rel, name := "../VERSION", GoStdlibName
		if mod == goCmdModule {
			rel, name = "../../VERSION", GoCmdName
		}
		v, err := read(rel)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading Go distribution version %s: %w", rel, err)
		}
		return &Package{Ecosystem: EcosystemGo, Name: name, Version: goDistVersion(v), Published: goDistTime(v)}, nil
	}
	return &Package{Ecosystem: EcosystemGo, Name: mod}, nil
}

// goDistVersion returns the version in a Go distribution's VERSION file,
// whose first line is like "go1.26.8", without the "go" prefix. A
// development version ("devel ...") or an unreadable file gives "".
func goDistVersion(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	line = bytes.TrimSpace(line)
	v, ok := bytes.CutPrefix(line, []byte("go"))
	if !ok || len(v) == 0 || v[0] < '0' || v[0] > '9' || !utf8.Valid(v) {
		return ""
	}
	for _, c := range v {
		if c <= ' ' || c == 0x7f {
			return ""
		}
	}
	return string(v)
}

// goDistTime returns the release time a Go distribution's VERSION file
// states on its "time" line (RFC 3339), or the zero time.
func goDistTime(data []byte) time.Time {
	for line := range bytes.Lines(data) {
		v, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("time "))
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339, string(bytes.TrimSpace(v)))
		if err != nil {
			return time.Time{}
		}
		return t.UTC()
	}
	return time.Time{}
}

// parseGoMod returns the module path declared by a go.mod file, or "" if it
// has no module directive. It implements the go.mod lexical syntax (tokens,
// "//" comments, interpreted and raw quoted strings, parenthesised blocks)
// well enough to find the module directive at top level or in a
// "module ( ... )" block, and reports a syntax error where the go command
// would.
func parseGoMod(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var (
		module  string
		found   bool
		inBlock bool
		verb    string
	)
	for lineNo := 1; len(data) > 0; lineNo++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		toks, err := goModTokens(line)
		if err != nil {
			return "", fmt.Errorf("line %d: %w", lineNo, err)
		}
		if len(toks) == 0 {
			continue
		}
		var args []string
		switch {
		case inBlock:
			if toks[0] == ")" {
				if len(toks) != 1 {
					return "", fmt.Errorf("line %d: unexpected text after )", lineNo)
				}
				inBlock = false
				continue
			}
			if slices.Contains(toks, "(") || slices.Contains(toks, ")") {
				return "", fmt.Errorf("line %d: unexpected parenthesis in %s block", lineNo, verb)
			}
			if verb != "module" {
				continue
			}
			args = toks
		default:
			if toks[0] == "(" || toks[0] == ")" {
				return "", fmt.Errorf("line %d: unexpected %s", lineNo, toks[0])
			}
			if toks[len(toks)-1] == "(" {
				if len(toks) != 2 {
					return "", fmt.Errorf("line %d: malformed block start", lineNo)
				}
				inBlock, verb = true, toks[0]
				continue
			}
			if toks[0] != "module" {
				continue
			}
			args = toks[1:]
		}
		if found {
			return "", fmt.Errorf("line %d: repeated module statement", lineNo)
		}
		if len(args) != 1 {
			return "", fmt.Errorf("line %d: usage: module module/path", lineNo)
		}
		p, err := goModString(args[0])
		if err != nil {
			return "", fmt.Errorf("line %d: module path: %w", lineNo, err)
		}
		if err := checkModulePath(p); err != nil {
			return "", fmt.Errorf("line %d: %w", lineNo, err)
		}
		module, found = p, true
	}
	if inBlock {
		return "", fmt.Errorf("unclosed %s block", verb)
	}
	return module, nil
}

// goModTokens splits one line of a go.mod into tokens. Quoted strings keep
// their quotes; "(" and ")" and the other punctuation of the go.mod syntax
// are tokens of their own; a "//" comment ends the line.
func goModTokens(line []byte) ([]string, error) {
	var toks []string
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '/' && i+1 < len(line) && line[i+1] == '/':
			return toks, nil
		case c == '/' && i+1 < len(line) && line[i+1] == '*':
			return nil, errors.New("go.mod files must use // comments, not /* comments")
		case strings.IndexByte("()[]{},", c) >= 0:
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '`':
			j := i + 1
			for ; j < len(line) && line[j] != c; j++ {
				if c == '"' && line[j] == '\\' {
					j++
				}
			}
			if j >= len(line) {
				return nil, errors.New("unterminated quoted string")
			}
			toks = append(toks, string(line[i:j+1]))
			i = j + 1
		default:
			j := i
			for j < len(line) {
				r, size := utf8.DecodeRune(line[j:])
				if !goModIdent(r) || (r == '/' && j+1 < len(line) && (line[j+1] == '/' || line[j+1] == '*')) {
					break
				}
				j += size
			}
			if j == i {
				r, _ := utf8.DecodeRune(line[i:])
				return nil, fmt.Errorf("unexpected input character %q", r)
			}
			toks = append(toks, string(line[i:j]))
			i = j
		}
	}
	return toks, nil
}

// goModIdent reports whether r may be part of an unquoted go.mod token.
func goModIdent(r rune) bool {
	switch r {
	case ' ', '(', ')', '[', ']', '{', '}', ',', '"', '`':
		return false
	}
	return r != utf8.RuneError && !unicode.IsSpace(r) && unicode.IsPrint(r)
}

// goModString returns the value of a go.mod token, unquoting it if quoted.
func goModString(tok string) (string, error) {
	if tok == "" || (tok[0] != '"' && tok[0] != '`') {
		return tok, nil
	}
	s, err := strconv.Unquote(tok)
	if err != nil {
		return "", fmt.Errorf("invalid quoted string %s: %w", tok, err)
	}
	return s, nil
}

// checkModulePath rejects module paths no go.mod could declare: empty ones
// and ones with spaces, control characters, quotes or invalid UTF-8.
// It is deliberately looser than golang.org/x/mod/module.CheckPath.
func checkModulePath(p string) error {
	if p == "" {
		return errors.New("empty module path")
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("module path %q is not valid UTF-8", p)
	}
	for _, r := range p {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '"' || r == '`' || r == '\\' {
			return fmt.Errorf("invalid character %q in module path %q", r, p)
		}
	}
	if p[0] == '/' || p[len(p)-1] == '/' || strings.Contains(p, "//") {
		return fmt.Errorf("malformed module path %q", p)
	}
	return nil
}

// VendorModules parses a Go vendor/modules.txt and returns module path ->
// version for each "# module version" line. Replacement lines are handled:
// for "# a v1 => b v2" and "# a v1 => ./dir" the result maps a to v1 (the
// directory vendor/a holds the replacement's files; the replacement itself
// is not reported), and for "# a => ./dir" (a replaced without a version)
// it maps a to "". Package lines and "## " annotation lines are ignored.
// A "# " line that is not one of these forms is an error.
func VendorModules(data []byte) (map[string]string, error) {
	mods := make(map[string]string)
	for lineNo := 1; len(data) > 0; lineNo++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		rest, ok := bytes.CutPrefix(line, []byte("# "))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) < 2 {
			return nil, fmt.Errorf("modules.txt line %d: malformed module line %q", lineNo, line)
		}
		path, version := f[0], ""
		f = f[1:]
		if f[0] != "=>" {
			if !isModuleVersion(f[0]) {
				return nil, fmt.Errorf("modules.txt line %d: invalid version %q for %s", lineNo, f[0], path)
			}
			version = f[0]
			f = f[1:]
		}
		switch len(f) {
		case 0:
		case 2, 3:
			if f[0] != "=>" || (len(f) == 3 && !isModuleVersion(f[2])) {
				return nil, fmt.Errorf("modules.txt line %d: malformed replacement %q", lineNo, line)
			}
		default:
			return nil, fmt.Errorf("modules.txt line %d: malformed module line %q", lineNo, line)
		}
		if err := checkModulePath(path); err != nil {
			return nil, fmt.Errorf("modules.txt line %d: %w", lineNo, err)
		}
		if old, dup := mods[path]; dup && old != version {
			return nil, fmt.Errorf("modules.txt line %d: module %s listed with versions %s and %s", lineNo, path, old, version)
		}
		mods[path] = version
	}
	return mods, nil
}

// isModuleVersion reports whether v looks like a Go module version: "v"
// followed by a digit, with no spaces or control characters. It does not
// check the full semantic version syntax.
func isModuleVersion(v string) bool {
	if len(v) < 2 || v[0] != 'v' || v[1] < '0' || v[1] > '9' || !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

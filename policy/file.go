package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"github.com/snipscan/snipscan/license"
)

// FileNames are the names a policy file is looked for under, in order, at
// a scanned root.
var FileNames = []string{"snipscan.toml", ".snipscan.toml", "snipscan.yaml", ".snipscan.yaml", "snipscan.yml", ".snipscan.yml"}

// Find returns the policy file at directory root, or "" when there is
// none.
func Find(root string) string {
	for _, n := range FileNames {
		p := filepath.Join(root, n)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// file is a policy file as written. The TOML and YAML forms have the same
// keys.
type file struct {
	ProjectLicense expression `toml:"project_license" yaml:"project_license"`
	FailOnUnknown  *bool      `toml:"fail_on_unknown" yaml:"fail_on_unknown"`
	Attribution    *bool      `toml:"attribution" yaml:"attribution"`
	Exclude        []glob     `toml:"exclude" yaml:"exclude"`
	Unscanned      gateRule   `toml:"unscanned" yaml:"unscanned"`
	Rewrites       gateRule   `toml:"rewrites" yaml:"rewrites"`
	Licenses       struct {
		Deny  []rule `toml:"deny" yaml:"deny"`
		Warn  []rule `toml:"warn" yaml:"warn"`
		Allow []rule `toml:"allow" yaml:"allow"`
	} `toml:"licenses" yaml:"licenses"`
	Minimum struct {
		Lines   int     `toml:"lines" yaml:"lines"`
		Tokens  int     `toml:"tokens" yaml:"tokens"`
		Matched float64 `toml:"matched" yaml:"matched"`
	} `toml:"minimum" yaml:"minimum"`
	Accept []struct {
		Path    glob       `toml:"path" yaml:"path"`
		Source  glob       `toml:"source" yaml:"source"`
		License expression `toml:"license" yaml:"license"`
		ID      string     `toml:"id" yaml:"id"`
		Reason  string     `toml:"reason" yaml:"reason"`
		Expires date       `toml:"expires" yaml:"expires"`
	} `toml:"accept" yaml:"accept"`
}

// Load reads the policy file at path: TOML, or YAML when its name ends in
// .yaml or .yml. Errors name the file, and the line and column where the
// parser knows them.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // the path once, not the system call
			err = pe.Err
		}
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse parses a policy file's content; name decides the format (as for
// Load) and appears in errors.
func Parse(name string, data []byte) (*Policy, error) {
	var f file
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" {
		var doc yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) { // an empty file: the default policy
				return f.compile(name)
			}
			return nil, fmt.Errorf("policy %s", yamlMessage(name, err))
		}
		// Checked against the keys' types first, so that a mistake is
		// said with its key and in the documentation's words.
		if err := checkYAML(&doc, reflect.TypeFor[file](), ""); err != nil {
			return nil, fmt.Errorf("policy %s:%v", name, err)
		}
		if err := doc.Decode(&f); err != nil {
			return nil, fmt.Errorf("policy %s", yamlMessage(name, err))
		}
	} else {
		md, err := toml.Decode(string(data), &f)
		if err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("policy %s:%d:%d: %s", name, pe.Position.Line, pe.Position.Col, tomlMessage(pe))
			}
			// Type errors: "toml: line N (last key "k"): message".
			var line int
			var key string
			if n, _ := fmt.Sscanf(err.Error(), "toml: line %d (last key %q): ", &line, &key); n == 2 {
				return nil, fmt.Errorf("policy %s:%d: %s: %s", name, line, key, tomlTypeMessage(key, err.Error()))
			}
			return nil, fmt.Errorf("policy %s: %w", name, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			k := und[0]
			line := lineOfKey(data, k[len(k)-1])
			return nil, fmt.Errorf("policy %s:%d: %s", name, line, unknownKey(k.String()))
		}
	}
	return f.compile(name)
}

// compile checks the policy file and builds the Policy.
func (f *file) compile(name string) (*Policy, error) {
	p := Default()
	p.File = name
	p.ProjectLicense = string(f.ProjectLicense)
	if f.FailOnUnknown != nil {
		p.UnknownFails = *f.FailOnUnknown
	}
	if f.Attribution != nil {
		p.Attribution = *f.Attribution
	}
	for _, g := range f.Exclude {
		if err := p.Exclude.Add(string(g)); err != nil {
			return nil, fmt.Errorf("policy %s: exclude: %w", name, err)
		}
	}
	if f.Unscanned != "" {
		p.Unscanned = string(f.Unscanned)
	}
	if f.Rewrites != "" {
		p.Rewrites = string(f.Rewrites)
	}
	seen := map[string]string{}
	for _, l := range []struct {
		verdict string
		rules   []rule
	}{{Fail, f.Licenses.Deny}, {Warn, f.Licenses.Warn}, {Pass, f.Licenses.Allow}} {
		for _, r := range l.rules {
			if prev, dup := seen[string(r)]; dup && prev != l.verdict {
				return nil, fmt.Errorf("policy %s: %q is listed under both %s and %s", name, string(r), listName(prev), listName(l.verdict))
			}
			seen[string(r)] = l.verdict
			p.Origins[string(r)] = "licenses." + listName(l.verdict) + " in " + name
			if c, ok := license.ParseCategory(string(r)); ok {
				p.Categories[c] = l.verdict
			} else {
				p.Licenses[string(r)] = l.verdict
			}
		}
	}
	if f.Minimum.Lines < 0 || f.Minimum.Tokens < 0 || f.Minimum.Matched < 0 || f.Minimum.Matched > 1 {
		return nil, fmt.Errorf("policy %s: [minimum] lines and tokens must be >= 0 and matched between 0 and 1", name)
	}
	p.MinLines, p.MinTokens, p.MinMatched = f.Minimum.Lines, f.Minimum.Tokens, f.Minimum.Matched
	for i, a := range f.Accept {
		if a.Path == "" && a.ID == "" {
			return nil, fmt.Errorf("policy %s: accept entry %d: needs a path (a glob of target files) or an id", name, i+1)
		}
		if strings.TrimSpace(a.Reason) == "" {
			return nil, fmt.Errorf("policy %s: accept entry %d (%s): needs a reason", name, i+1, firstNonEmpty(string(a.Path), a.ID))
		}
		p.Accept = append(p.Accept, Acceptance{Path: string(a.Path), Source: string(a.Source), License: string(a.License),
			ID: a.ID, Reason: a.Reason, Expires: time.Time(a.Expires)})
	}
	return p, nil
}

func listName(verdict string) string {
	switch verdict {
	case Fail:
		return "deny"
	case Warn:
		return "warn"
	}
	return "allow"
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// rule is a license category name or an SPDX ID, canonicalised.
type rule string

func (r *rule) UnmarshalText(b []byte) error {
	s, err := ParseRule(string(b))
	*r = rule(s)
	return err
}

// ParseRule reads what a license rule applies to, as the policy file's
// [licenses] lists and --fail-on take it: a license category (its name)
// or an SPDX ID (canonical: a deprecated GPL-3.0 is GPL-3.0-only). Its
// error lists the categories.
func ParseRule(s string) (string, error) {
	s = strings.TrimSpace(s)
	if c, ok := license.ParseCategory(s); ok {
		return c.String(), nil
	}
	if id, ok := license.CanonicalID(s); ok {
		return id, nil
	}
	var names []string
	for _, c := range license.Categories() {
		names = append(names, c.String())
	}
	return "", fmt.Errorf("%q is neither a license category (%s) nor an SPDX license ID", s, strings.Join(names, ", "))
}

func (r *rule) UnmarshalYAML(n *yaml.Node) error { return yamlText(n, r.UnmarshalText) }

// gateRule is what unscanned files, or rewrites of failing code, do to a
// scan: Fail or Warn.
type gateRule string

func (g *gateRule) UnmarshalText(b []byte) error {
	switch s := strings.TrimSpace(string(b)); s {
	case Fail, Warn:
		*g = gateRule(s)
		return nil
	default:
		return fmt.Errorf("%q is neither %q nor %q", s, Fail, Warn)
	}
}

func (g *gateRule) UnmarshalYAML(n *yaml.Node) error { return yamlText(n, g.UnmarshalText) }

// expression is an SPDX license expression, canonicalised.
type expression string

func (e *expression) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return nil
	}
	if _, err := license.Reduce(s, func(license.Leaf) int { return 0 }); err != nil {
		return err
	}
	canon := license.Normalize(s)
	if canon == "" {
		return fmt.Errorf("%q is not an SPDX license expression", s)
	}
	*e = expression(canon)
	return nil
}

func (e *expression) UnmarshalYAML(n *yaml.Node) error { return yamlText(n, e.UnmarshalText) }

// glob is a doublestar pattern, checked.
type glob string

func (g *glob) UnmarshalText(b []byte) error {
	s, err := CleanGlob(string(b))
	if err != nil {
		return err
	}
	*g = glob(s)
	return nil
}

func (g *glob) UnmarshalYAML(n *yaml.Node) error { return yamlText(n, g.UnmarshalText) }

// date is a calendar day (2006-01-02), or a TOML date.
type date time.Time

func (d *date) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			*d = date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
			return nil
		}
	}
	return fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
}

func (d *date) UnmarshalYAML(n *yaml.Node) error { return yamlText(n, d.UnmarshalText) }

// yamlText decodes a scalar node with fn, placing errors at the node.
func yamlText(n *yaml.Node, fn func([]byte) error) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d, column %d: want a string", n.Line, n.Column)
	}
	if err := fn([]byte(n.Value)); err != nil {
		return fmt.Errorf("line %d, column %d: %v", n.Line, n.Column, err)
	}
	return nil
}

// yamlMessage turns an error of the YAML parser into "file:line:col: what"
// (or "file:line: what"), the form of the TOML errors. Mistakes of type
// are found by checkYAML before the decoder, which names Go types, sees
// them.
func yamlMessage(name string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	msg = yamlUnknown.ReplaceAllString(msg, `unknown key "$1"`)
	if m := yamlPos.FindStringSubmatch(msg); m != nil {
		pos := m[1]
		if m[2] != "" {
			pos += ":" + m[2]
		}
		return name + ":" + pos + ": " + msg[len(m[0]):]
	}
	return name + ": " + msg
}

// yamlUnknown finds the decoder's words for an unknown key.
var yamlUnknown = regexp.MustCompile(`field (\S+) not found in type .*`)

// yamlPos finds the position a YAML error starts with.
var yamlPos = regexp.MustCompile(`^line (\d+)(?:, column (\d+))?: `)

// tomlMessage returns a TOML error's message without the library's
// "toml:" prefix and key context (the position says where).
func tomlMessage(pe toml.ParseError) string {
	msg := pe.Message
	if pe.LastKey != "" {
		msg = fmt.Sprintf("%s: %s", pe.LastKey, msg)
	}
	return msg
}

// lineOfKey returns the first line of data that assigns key (for unknown
// keys, which the TOML decoder reports without a position), or 0.
func lineOfKey(data []byte, key string) int {
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, key) {
			rest := strings.TrimSpace(l[len(key):])
			if strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
		if l == "["+key+"]" || l == "[["+key+"]]" {
			return i + 1
		}
	}
	return 0
}

package policy

import (
	"encoding"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The keys of a policy file and the values they take are those of the
// fields of type file (their yaml tags; the toml tags are the same). The
// functions here describe them in the documentation's words, for the
// errors: never a Go type name.

// Types whose values are checked scalars, and their words (one, many).
var valueWords = map[reflect.Type][2]string{
	reflect.TypeFor[glob]():       {"a glob", "globs"},
	reflect.TypeFor[rule]():       {"a license category or SPDX ID", "license categories or SPDX IDs"},
	reflect.TypeFor[expression](): {"an SPDX license expression", "SPDX license expressions"},
	reflect.TypeFor[date]():       {"a date (YYYY-MM-DD)", "dates"},
}

// want says what a key of Go type t takes.
func want(t reflect.Type) string {
	if w, ok := valueWords[t]; ok {
		return w[0]
	}
	switch t.Kind() {
	case reflect.Pointer:
		return want(t.Elem())
	case reflect.Bool:
		return "true or false"
	case reflect.Int:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list of " + wantMany(t.Elem())
	case reflect.Struct:
		return "a table of " + strings.Join(keysOf(t), ", ")
	}
	return "a value"
}

// wantMany says what a list of values of Go type t holds.
func wantMany(t reflect.Type) string {
	if w, ok := valueWords[t]; ok {
		return w[1]
	}
	switch t.Kind() {
	case reflect.Struct:
		return "tables of " + strings.Join(keysOf(t), ", ")
	case reflect.String:
		return "strings"
	}
	return "values"
}

// keysOf lists the keys of a table of Go type t.
func keysOf(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if k := keyOf(t.Field(i)); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// keyOf is the key of a field.
func keyOf(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return k
}

// field returns the field of the table of Go type t that key names.
func field(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); keyOf(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// typeAt returns the Go type of the dotted key path ("minimum.lines",
// "accept.path"; a list of tables stands for its tables).
func typeAt(path string) (reflect.Type, bool) {
	t := reflect.TypeFor[file]()
	for _, k := range strings.Split(path, ".") {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil, false
		}
		f, ok := field(t, k)
		if !ok {
			return nil, false
		}
		t = f.Type
	}
	return t, true
}

// unknownKey says that the dotted key path is not a key of the policy
// file, and which keys its table has.
func unknownKey(path string) string {
	parent := ""
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent = path[:i]
	}
	t := reflect.TypeFor[file]()
	if parent != "" {
		if pt, ok := typeAt(parent); ok {
			t = pt
		}
	}
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	where := "the policy file"
	if parent != "" {
		where = parent
	}
	return fmt.Sprintf("unknown key %q (the keys of %s: %s)", path, where, strings.Join(keysOf(t), ", "))
}

// checkYAML checks the YAML node n against the Go type t of the key path
// key: the kind of every value, the keys of every table, and every value
// with a checker of its own (globs, rules, expressions, dates). It
// returns "line:col: key: what is wrong".
func checkYAML(n *yaml.Node, t reflect.Type, key string) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return checkYAML(n.Content[0], t, key)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // no value: the default
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fail := func(format string, args ...any) error {
		prefix := fmt.Sprintf("%d:%d: ", n.Line, n.Column)
		if key != "" {
			prefix += key + ": "
		}
		return fmt.Errorf(prefix+format, args...)
	}
	wrong := func() error { return fail("want %s, not %s", want(t), yamlValue(n)) }
	if u, ok := reflect.New(t).Interface().(encoding.TextUnmarshaler); ok {
		if n.Kind != yaml.ScalarNode {
			return wrong()
		}
		if err := u.UnmarshalText([]byte(n.Value)); err != nil {
			return fail("%v", err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return wrong()
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return wrong()
		}
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			return wrong()
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" && n.Tag != "!!float" {
			return wrong()
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return wrong()
		}
		for _, c := range n.Content {
			if err := checkYAML(c, t.Elem(), key); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return wrong()
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := k.Value
			if key != "" {
				path = key + "." + k.Value
			}
			f, ok := field(t, k.Value)
			if !ok {
				return fmt.Errorf("%d:%d: %s", k.Line, k.Column, unknownKey(path))
			}
			if err := checkYAML(v, f.Type, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlValue describes a YAML value for an error.
func yamlValue(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a table"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return n.Value
	case "!!timestamp":
		return "the date " + n.Value
	}
	return fmt.Sprintf("%q", n.Value)
}

// tomlTypes find the TOML decoder's words for the type of a value.
var tomlTypes = regexp.MustCompile(`(?:TOML value has type|expected table but found) (\S+?);?(?: |$)`)

// tomlTypeMessage rewords the TOML decoder's error for a value of the
// wrong type at the dotted key path: what the key takes, and what it got.
func tomlTypeMessage(path, msg string) string {
	t, ok := typeAt(path)
	if !ok {
		return msg
	}
	got := "a value of another kind"
	if m := tomlTypes.FindStringSubmatch(msg); m != nil {
		switch typ := m[1]; {
		case typ == "int64":
			got = "a whole number"
		case typ == "float64":
			got = "a number"
		case typ == "string":
			got = "a string"
		case typ == "bool":
			got = "true or false"
		case strings.HasPrefix(typ, "[]"):
			got = "a list"
		case strings.HasPrefix(typ, "map["):
			got = "a table"
		case strings.HasPrefix(typ, "time.") || strings.HasPrefix(typ, "toml.Local"):
			got = "a date or time"
		}
	}
	return fmt.Sprintf("want %s, not %s", want(t), got)
}

package pkgmeta

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// pyMetadata holds the fields of a Python project table ([project] or
// [tool.poetry]) that Detect uses, as decoded by the TOML library.
type pyMetadata struct {
	Name        any `toml:"name"`
	Version     any `toml:"version"`
	License     any `toml:"license"`
	Classifiers any `toml:"classifiers"`
}

// pyproject holds the tables of a pyproject.toml that Detect uses.
type pyproject struct {
	Project *pyMetadata `toml:"project"`
	Tool    struct {
		Poetry *pyMetadata `toml:"poetry"`
	} `toml:"tool"`
}

// parsePyproject reads a pyproject.toml: [project] (PEP 621) name, version
// and license, the license being a string (PEP 639 expression), {text =
// "..."} or {file = "..."} (declared as "SEE LICENSE IN <file>"). Without a
// license, "License :: ..." trove classifiers declare it by their last
// segment ("License :: OSI Approved :: MIT License" -> "MIT License").
// Fields missing from [project] are taken from [tool.poetry]. A file with
// neither a name nor a license (tool settings only) is not a package root.
func parsePyproject(data []byte) (*Package, error) {
	var pp pyproject
	if err := unmarshalTOML(data, &pp); err != nil {
		return nil, err
	}
	var name, version, declared string
	for _, t := range []struct {
		table string
		m     *pyMetadata
	}{{"project", pp.Project}, {"tool.poetry", pp.Tool.Poetry}} {
		if t.m == nil {
			continue
		}
		n, v, d, err := t.m.fields()
		if err != nil {
			return nil, fmt.Errorf("[%s] %w", t.table, err)
		}
		name = cmp.Or(name, n)
		version = cmp.Or(version, v)
		declared = cmp.Or(declared, d)
	}
	return newPackage(EcosystemPyPI, name, version, declared), nil
}

// fields returns the name, version and declared license of a project table.
func (m *pyMetadata) fields() (name, version, declared string, err error) {
	if name, err = tomlString(m.Name, false); err != nil {
		return "", "", "", fmt.Errorf("name: %w", err)
	}
	if version, err = tomlString(m.Version, false); err != nil {
		return "", "", "", fmt.Errorf("version: %w", err)
	}
	switch l := m.License.(type) {
	case map[string]any:
		text, err1 := tomlString(l["text"], false)
		file, err2 := tomlString(l["file"], false)
		if err := errors.Join(err1, err2); err != nil {
			return "", "", "", fmt.Errorf("license: %w", err)
		}
		declared = cmp.Or(text, seeLicenseIn(file))
	default:
		if declared, err = tomlString(l, false); err != nil {
			return "", "", "", fmt.Errorf("license: %w", err)
		}
	}
	if declared == "" && m.Classifiers != nil {
		list, ok := m.Classifiers.([]any)
		if !ok {
			return "", "", "", fmt.Errorf("classifiers: expected an array, got %T", m.Classifiers)
		}
		cs := make([]string, 0, len(list))
		for _, c := range list {
			s, ok := c.(string)
			if !ok {
				return "", "", "", fmt.Errorf("classifiers: expected strings, got %T", c)
			}
			cs = append(cs, s)
		}
		declared = classifierLicenses(cs)
	}
	return name, version, declared, nil
}

// classifierLicenses returns the licenses named by "License :: ..." trove
// classifiers, joined with " OR ": the last segment of each, except the
// bare categories "License :: OSI Approved" and "License :: DFSG approved".
func classifierLicenses(cs []string) string {
	var ls []string
	for _, c := range cs {
		parts := strings.Split(c, "::")
		if len(parts) < 2 || strings.TrimSpace(parts[0]) != "License" {
			continue
		}
		last := strings.TrimSpace(parts[len(parts)-1])
		if len(parts) == 2 && (last == "OSI Approved" || last == "DFSG approved") {
			continue
		}
		ls = append(ls, last)
	}
	return joinLicenses(ls)
}

// parseSetupCfg reads a setuptools setup.cfg: [metadata] name, version and
// license, else license_files/license_file (as "SEE LICENSE IN <file>"),
// else license classifiers. Versions given as "attr:" or "file:"
// directives are not literal and are left empty. The INI dialect is
// Python's configparser's: "key = value" or "key: value", "#" and ";"
// comment lines, indented continuation lines, case-insensitive keys.
// A setup.cfg without name and license (tool settings only) is not a
// package root.
func parseSetupCfg(data []byte) (*Package, error) {
	meta, err := iniSection(data, "metadata")
	if err != nil {
		return nil, err
	}
	name := meta["name"]
	version := meta["version"]
	if strings.HasPrefix(version, "attr:") || strings.HasPrefix(version, "file:") {
		version = ""
	}
	declared := meta["license"]
	if declared == "" {
		files := meta["license_files"]
		if files == "" {
			files = meta["license_file"]
		}
		var fs []string
		for f := range strings.FieldsFuncSeq(files, func(r rune) bool { return r == ',' || r == '\n' }) {
			if f = strings.TrimSpace(f); f != "" {
				fs = append(fs, f)
			}
		}
		declared = seeLicenseIn(strings.Join(fs, ", "))
	}
	if declared == "" {
		declared = classifierLicenses(strings.Split(meta["classifiers"], "\n"))
	}
	return newPackage(EcosystemPyPI, strings.TrimSpace(name), strings.TrimSpace(version), strings.TrimSpace(declared)), nil
}

// iniSection parses an INI file as Python's configparser does (without
// interpolation) and returns the keys of one section, lowercased, with
// continuation lines joined by "\n". Keys with "-" are stored with "_", as
// setuptools accepts both. Lines outside any section, unterminated section
// headers and lines that are neither comments, keys nor continuations are
// errors.
func iniSection(data []byte, want string) (map[string]string, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not valid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	out := make(map[string]string)
	var (
		section string
		inAny   bool
		key     string // last key in the wanted section, for continuations
	)
	for lineNo := 1; len(data) > 0; lineNo++ {
		var raw []byte
		raw, data, _ = bytes.Cut(data, []byte("\n"))
		line := strings.TrimRight(string(raw), " \t\r")
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if len(trimmed) < len(line) && key != "" {
			// An indented line continues the previous value.
			if out[key] == "" {
				out[key] = trimmed
			} else {
				out[key] += "\n" + trimmed
			}
			continue
		}
		if len(trimmed) < len(line) && inAny && section != want {
			continue // a continuation in another section
		}
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated section header", lineNo)
			}
			section, inAny, key = trimmed[1:end], true, ""
			continue
		}
		if !inAny {
			return nil, fmt.Errorf("line %d: key outside any section", lineNo)
		}
		i := strings.IndexAny(trimmed, "=:")
		if i <= 0 {
			return nil, fmt.Errorf("line %d: expected key = value", lineNo)
		}
		if section != want {
			key = ""
			continue
		}
		key = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(trimmed[:i])), "-", "_")
		out[key] = strings.TrimSpace(trimmed[i+1:])
	}
	return out, nil
}

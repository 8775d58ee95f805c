package pkgmeta

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// parsePackageJSON reads an npm package.json: name, version, and the
// license as a string, an object {"type": ...} (deprecated), or the legacy
// "licenses" array of objects or strings. "license" wins over "licenses".
// Keys are matched exactly, as npm does (encoding/json's struct decoding
// would also accept "Name"). A package.json with no name is a package only
// if it declares a license. A name that is not a string, or not of the
// form "name" or "@scope/name", is an error.
func parsePackageJSON(data []byte) (*Package, error) {
	var pj map[string]json.RawMessage
	if err := json.Unmarshal(data, &pj); err != nil {
		return nil, fmt.Errorf("parsing JSON: %w", err)
	}
	name, err := jsonString(pj["name"])
	if err != nil {
		return nil, fmt.Errorf("name: %w", err)
	}
	if err := checkNPMName(name); err != nil {
		return nil, err
	}
	version, err := jsonScalarString(pj["version"])
	if err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	declared, err := npmLicense(pj["license"])
	if err != nil {
		return nil, fmt.Errorf("license: %w", err)
	}
	if declared == "" {
		declared, err = npmLicense(pj["licenses"])
		if err != nil {
			return nil, fmt.Errorf("licenses: %w", err)
		}
	}
	return newPackage(EcosystemNPM, name, version, declared), nil
}

// checkNPMName checks the shape of an npm package name: "" (absent),
// "name" or "@scope/name" with non-empty parts and no other slash, and no
// spaces or control characters. It does not enforce npm's full rules
// (lowercase, URL-safe characters) that old packages predate.
func checkNPMName(name string) error {
	if name == "" {
		return nil
	}
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return fmt.Errorf("invalid package name %q", name)
	}
	bare := name
	if scope, rest, ok := strings.Cut(name, "/"); ok {
		if len(scope) < 2 || scope[0] != '@' || rest == "" || strings.Contains(rest, "/") {
			return fmt.Errorf("invalid package name %q", name)
		}
		bare = rest
	}
	if bare[0] == '@' {
		return fmt.Errorf("invalid package name %q", name)
	}
	return nil
}

// jsonString returns a JSON string's value, "" for an absent value or
// null, and an error for other values.
func jsonString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

// jsonScalarString returns a JSON string's value, "" for an absent value or
// null, and the literal text of a number (some old manifests write
// "version": 1). Other values are an error.
func jsonScalarString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case float64:
		return string(raw), nil
	}
	return "", fmt.Errorf("unexpected JSON value %.40s", raw)
}

// npmLicense decodes a "license" or "licenses" value: a string, an object
// with a "type" string, or an array of either. Several licenses are joined
// with " OR ".
func npmLicense(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	var ls []string
	var add func(v any, depth int) error
	add = func(v any, depth int) error {
		switch v := v.(type) {
		case nil:
		case string:
			ls = append(ls, v)
		case map[string]any:
			switch t := v["type"].(type) {
			case string:
				ls = append(ls, t)
			case nil:
				if n, ok := v["name"].(string); ok {
					ls = append(ls, n)
				}
			default:
				return errors.New(`"type" is not a string`)
			}
		case []any:
			if depth > 0 {
				return errors.New("nested license arrays")
			}
			for _, e := range v {
				if err := add(e, depth+1); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("unexpected JSON value %.40s", raw)
		}
		return nil
	}
	if err := add(v, 0); err != nil {
		return "", err
	}
	return joinLicenses(ls), nil
}

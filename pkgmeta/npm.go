package pkgmeta

import (
	"encoding/json"
	"errors"
	"fmt"
)

// packageJSON holds the fields of an npm package.json that Detect uses.
type packageJSON struct {
	Name     *string         `json:"name"`
	Version  json.RawMessage `json:"version"`
	License  json.RawMessage `json:"license"`
	Licenses json.RawMessage `json:"licenses"`
}

// parsePackageJSON reads an npm package.json: name, version, and the
// license as a string, an object {"type": ...} (deprecated), or the legacy
// "licenses" array of objects or strings. "license" wins over "licenses".
// A package.json with no name is a package only if it declares a license.
func parsePackageJSON(data []byte) (*Package, error) {
	var pj packageJSON
	if err := json.Unmarshal(data, &pj); err != nil {
		return nil, fmt.Errorf("parsing JSON: %w", err)
	}
	var name string
	if pj.Name != nil {
		name = *pj.Name
	}
	version, err := jsonScalarString(pj.Version)
	if err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	declared, err := npmLicense(pj.License)
	if err != nil {
		return nil, fmt.Errorf("license: %w", err)
	}
	if declared == "" {
		declared, err = npmLicense(pj.Licenses)
		if err != nil {
			return nil, fmt.Errorf("licenses: %w", err)
		}
	}
	return newPackage(EcosystemNPM, name, version, declared), nil
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

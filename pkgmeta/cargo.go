package pkgmeta

import (
	"fmt"
)

// cargoManifest holds the fields of a Cargo.toml that Detect uses. Fields
// that a workspace member may inherit (`version.workspace = true`) decode
// as tables, so they are kept as any.
type cargoManifest struct {
	Package *struct {
		Name        any `toml:"name"`
		Version     any `toml:"version"`
		License     any `toml:"license"`
		LicenseFile any `toml:"license-file"`
	} `toml:"package"`
}

// parseCargo reads a Cargo.toml's [package] table: name, version, and
// license, or license-file as "SEE LICENSE IN <file>" when there is no
// license expression. A version or license inherited from the workspace
// (`version.workspace = true`) is left empty. A manifest without a
// [package] table (a virtual workspace) is not a package root.
func parseCargo(data []byte) (*Package, error) {
	var m cargoManifest
	if err := unmarshalTOML(data, &m); err != nil {
		return nil, err
	}
	if m.Package == nil {
		return nil, nil
	}
	p := m.Package
	name, err := tomlString(p.Name, false)
	if err != nil {
		return nil, fmt.Errorf("package.name: %w", err)
	}
	version, err := tomlString(p.Version, true)
	if err != nil {
		return nil, fmt.Errorf("package.version: %w", err)
	}
	declared, err := tomlString(p.License, true)
	if err != nil {
		return nil, fmt.Errorf("package.license: %w", err)
	}
	if declared == "" {
		file, err := tomlString(p.LicenseFile, true)
		if err != nil {
			return nil, fmt.Errorf("package.license-file: %w", err)
		}
		declared = seeLicenseIn(file)
	}
	return newPackage(EcosystemCargo, name, version, declared), nil
}

// tomlString returns a TOML string value, "" for an absent one, and, if
// inheritable, "" for a workspace-inherited value ({workspace = true}).
// Any other type is an error.
func tomlString(v any, inheritable bool) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case map[string]any:
		if w, ok := v["workspace"].(bool); inheritable && ok && w {
			return "", nil
		}
	}
	return "", fmt.Errorf("expected a string, got %T", v)
}

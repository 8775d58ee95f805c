// Package pkgmeta detects software packages from their manifests.
//
// The indexer calls [Detect] for each directory it walks. Detect looks at
// the base names of the directory's entries, reads the manifest that
// identifies the package (go.mod, package.json, Cargo.toml, pyproject.toml,
// setup.cfg, *.gemspec or pom.xml) and returns the package's ecosystem,
// name, version, package URL and declared license. [ModuleRootDir]
// recognises the "module@version" directories of the Go module cache and
// of module zip files, and [VendorModules] reads a Go vendor/modules.txt,
// so that the version of a Go module, which its go.mod does not record,
// can be filled in by the caller.
//
// Declared licenses are returned verbatim; normalising them to SPDX is the
// job of another package. Nothing here touches the file system directly:
// all reads go through the function the caller passes to Detect.
package pkgmeta

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// Ecosystem names used in [Package.Ecosystem]. They are also the purl types.
const (
	// EcosystemGo is the Go module ecosystem.
	EcosystemGo = "golang"
	// EcosystemNPM is the npm (JavaScript) ecosystem.
	EcosystemNPM = "npm"
	// EcosystemCargo is the Cargo (Rust) ecosystem.
	EcosystemCargo = "cargo"
	// EcosystemPyPI is the Python Package Index ecosystem.
	EcosystemPyPI = "pypi"
	// EcosystemGem is the RubyGems ecosystem.
	EcosystemGem = "gem"
	// EcosystemMaven is the Maven (Java) ecosystem.
	EcosystemMaven = "maven"
)

// Manifest base names recognised by [Detect], in order of precedence.
// Ruby gem specifications are matched by their ".gemspec" suffix and sit
// between setup.cfg and pom.xml.
const (
	// ManifestGoMod is the Go module file.
	ManifestGoMod = "go.mod"
	// ManifestPackageJSON is the npm package manifest.
	ManifestPackageJSON = "package.json"
	// ManifestCargo is the Cargo package manifest.
	ManifestCargo = "Cargo.toml"
	// ManifestPyproject is the Python project file (PEP 621, Poetry).
	ManifestPyproject = "pyproject.toml"
	// ManifestSetupCfg is the setuptools declarative configuration.
	ManifestSetupCfg = "setup.cfg"
	// GemspecSuffix is the suffix of a Ruby gem specification's name.
	GemspecSuffix = ".gemspec"
	// ManifestPOM is the Maven project object model.
	ManifestPOM = "pom.xml"
)

// Package is a software package whose files are indexed.
type Package struct {
	// Ecosystem is one of the Ecosystem constants ("golang", "npm", "cargo",
	// "pypi", "gem", "maven"), or "" for a plain directory.
	Ecosystem string
	// Name is the package's name in its ecosystem: a Go module path
	// ("stdlib" and "cmd" for the Go distribution), an npm name with its
	// scope ("@scope/name"), a crate, a Python distribution or a gem name as
	// declared, or "groupId:artifactId" for Maven. It may be empty when a
	// manifest declares only a license.
	Name string
	// Version is the declared version, "" when the manifest does not state
	// a literal one (Go modules, workspace-inherited or dynamic versions).
	Version string
	// PURL is the package URL built with packageurl-go, "" when Name is
	// empty. See [BuildPURL].
	PURL string
	// Declared is the license as declared by the manifest, verbatim, or ""
	// if none. Several declared licenses are joined with " OR ", and a
	// license given only as a file is "SEE LICENSE IN <file>" (npm's
	// convention).
	Declared string
	// Manifest is the base name of the manifest that defined the package
	// ("go.mod", "package.json", "foo.gemspec", ...).
	Manifest string
	// Published is when this version was published, where the files
	// beside the package say it: the release time a Go distribution's
	// VERSION file states ("time 2026-08-28T16:20:06Z"), or the Time of
	// a module cache's .info file for the module version (see
	// ModuleInfoTime). Zero when unknown.
	Published time.Time
}

// parser reads one manifest, given its base name, its content and the
// directory's read function. It returns nil, nil when the manifest is well
// formed but does not make its directory a package root.
type parser func(file string, data []byte, read func(rel string) ([]byte, error)) (*Package, error)

// manifests lists the manifests in order of precedence. The entry with an
// empty name stands for *.gemspec. The table is never modified.
var manifests = [...]struct {
	name  string
	parse parser
}{
	{ManifestGoMod, func(_ string, data []byte, read func(string) ([]byte, error)) (*Package, error) {
		return parseGoModPackage(data, read)
	}},
	{ManifestPackageJSON, dataOnly(parsePackageJSON)},
	{ManifestCargo, dataOnly(parseCargo)},
	{ManifestPyproject, dataOnly(parsePyproject)},
	{ManifestSetupCfg, dataOnly(parseSetupCfg)},
	{"", func(file string, data []byte, _ func(string) ([]byte, error)) (*Package, error) {
		return parseGemspec(file, data), nil
	}},
	{ManifestPOM, dataOnly(parsePOM)},
}

// dataOnly adapts a parser that needs only the manifest's content.
func dataOnly(f func([]byte) (*Package, error)) parser {
	return func(_ string, data []byte, _ func(string) ([]byte, error)) (*Package, error) {
		return f(data)
	}
}

// Detect inspects one directory: names are the base names of its entries,
// read returns the content of a file given a path relative to the directory
// (it may be asked for "../VERSION"; it returns an error satisfying
// errors.Is(err, fs.ErrNotExist) if absent). It returns nil, nil if the
// directory is not a package root.
//
// Precedence when several manifests are present: go.mod, package.json,
// Cargo.toml, pyproject.toml, setup.cfg, *.gemspec (the first in byte
// order if several), pom.xml. A manifest that is well formed but does not
// define a package (a go.mod without a module directive, a package.json
// with neither name nor license, a virtual Cargo workspace, a pyproject.toml
// or setup.cfg holding only tool settings) gives way to the next one. A
// manifest that cannot be parsed stops the search with an error naming it;
// a listed manifest that read reports as absent is skipped. TOML manifests
// larger than 256 KiB, nested deeper than 16 levels or with key paths
// longer than 16 segments are rejected with an error before parsing, as
// the TOML library's time grows steeply with them.
func Detect(names []string, read func(rel string) ([]byte, error)) (*Package, error) {
	if read == nil {
		return nil, errors.New("pkgmeta: Detect called with a nil read function")
	}
	var have [len(manifests)]string
	for _, n := range names {
		for i, m := range manifests {
			switch {
			case m.name != "":
				if n == m.name {
					have[i] = n
				}
			case len(n) > len(GemspecSuffix) && strings.HasSuffix(n, GemspecSuffix):
				if have[i] == "" || n < have[i] {
					have[i] = n
				}
			}
		}
	}
	for i, m := range manifests {
		name := have[i]
		if name == "" {
			continue
		}
		data, err := read(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("pkgmeta: reading %s: %w", name, err)
		}
		p, err := m.parse(name, data, read)
		if err != nil {
			return nil, fmt.Errorf("pkgmeta: %s: %w", name, err)
		}
		if p == nil {
			continue
		}
		p.Manifest = name
		p.PURL = BuildPURL(p.Ecosystem, p.Name, p.Version)
		return p, nil
	}
	return nil, nil
}

// newPackage returns the package for a parsed manifest, or nil when the
// manifest names no package and declares no license.
func newPackage(ecosystem, name, version, declared string) *Package {
	if name == "" && declared == "" {
		return nil
	}
	return &Package{Ecosystem: ecosystem, Name: name, Version: version, Declared: declared}
}

// joinLicenses joins several declared licenses with " OR ", dropping empty
// and repeated entries. Package managers that list several licenses (npm's
// legacy "licenses", Maven's <licenses>, gemspec's licenses, Python license
// classifiers) mean a choice among them.
func joinLicenses(ls []string) string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		l = strings.TrimSpace(l)
		if l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, " OR ")
}

// seeLicenseIn is how a license given only as a file is declared.
func seeLicenseIn(file string) string {
	file = strings.TrimSpace(file)
	if file == "" {
		return ""
	}
	return "SEE LICENSE IN " + file
}

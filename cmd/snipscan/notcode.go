package main

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/pkgmeta"
	"github.com/snipscan/snipscan/policy"
)

// notCodeNames are base names (lower case) of files that hold no code:
// package manifests and lock files, and the documentation a project keeps
// beside its code.
var notCodeNames = map[string]bool{
	strings.ToLower(pkgmeta.ManifestGoMod): true, strings.ToLower(pkgmeta.ManifestPackageJSON): true,
	strings.ToLower(pkgmeta.ManifestCargo): true, strings.ToLower(pkgmeta.ManifestPyproject): true,
	strings.ToLower(pkgmeta.ManifestSetupCfg): true, strings.ToLower(pkgmeta.ManifestPOM): true,
	"go.sum": true, "go.work": true, "go.work.sum": true, "modules.txt": true,
	"package-lock.json": true, "npm-shrinkwrap.json": true, "yarn.lock": true, "pnpm-lock.yaml": true,
	"cargo.lock": true, "poetry.lock": true, "pipfile": true, "pipfile.lock": true, "gemfile.lock": true,
	"composer.json": true, "composer.lock": true,
	"readme": true, "changelog": true, "changes": true, "authors": true, "contributors": true,
	"maintainers": true, "owners": true, "codeowners": true, "patents": true, "version": true,
	".gitignore": true, ".gitattributes": true, ".gitmodules": true, ".editorconfig": true, ".npmignore": true,
}

// notCodeExts are extensions (lower case) of documentation and data.
var notCodeExts = map[string]bool{
	".md": true, ".markdown": true, ".rst": true, ".txt": true, ".adoc": true,
	".json": true, ".yaml": true, ".yml": true, ".toml": true, ".xml": true, ".csv": true, ".tsv": true,
	".ini": true, ".cfg": true, ".conf": true, ".lock": true, ".sum": true, ".mod": true,
	".svg": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".webp": true, ".pdf": true,
}

// notCode reports whether the file at p (a display path, "/" or the
// system's separators) holds no code: a package manifest or lock file; a
// license, notice or attribution file; a policy file; documentation or
// data by its name or extension. Such files are left out of a scan or an
// index as of an unsupported type, but they are not code that was
// skipped. A file of an unsupported type that is none of these (code in a
// language snipscan does not read) is.
func notCode(p string) bool {
	base := path.Base(filepath.ToSlash(p))
	lower := strings.ToLower(base)
	switch {
	case notCodeNames[lower], notCodeExts[path.Ext(lower)]:
		return true
	case license.IsLicenseFile(base), policy.IsAttributionFile(base), slices.Contains(policy.FileNames, base):
		return true
	}
	return false
}

package pkgmeta

import (
	"encoding/json"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// parseModuleVersion unescapes a module path and version as the module
// cache spells them and checks that they name a module version: a valid
// module path, and a canonical version that agrees with the path's major
// version suffix. If verbatim is set, a path spelled as module zip files
// spell it ("github.com/BurntSushi/toml@v1.6.0/...") is accepted too: the
// two spellings cannot be confused, since an escaped path holds no
// upper-case letter.
func parseModuleVersion(escPath, escVersion string, verbatim bool) (mod, version string, ok bool) {
	version, err := module.UnescapeVersion(escVersion)
	if err != nil || module.CanonicalVersion(version) != version {
		return "", "", false
	}
	mod, err = module.UnescapePath(escPath)
	if err != nil {
		if !verbatim || module.CheckPath(escPath) != nil {
			return "", "", false
		}
		mod = escPath
	}
	if module.Check(mod, version) != nil {
		return "", "", false
	}
	return mod, version, true
}

// ModuleRootDir reports the Go module version whose root is dir, a slash
// path whose last element has the form "name@version": a directory of the
// Go module cache ("/home/me/go/pkg/mod/github.com/!burnt!sushi/
// toml@v1.6.0"), or the top of a module zip file ("github.com/BurntSushi/
// toml@v1.6.0"). Where the module path starts is learnt, in this order:
//
//   - from isCacheRoot (may be nil), asked about the directories above dir
//     where the rest of the path would be a valid module path: it reports
//     whether that directory is the root of a module cache. A prefix of
//     dir ending before a "/" names a directory; "" (for a relative dir)
//     names the top of dir's path, such as the root of a zip file. The
//     caller may look for the directory's "cache/download", or know that a
//     module zip file's entries start at the cache root;
//   - from goMod, the content of dir's go.mod (nil if none): a module path
//     that the path before "@" ends with, element by element, as the cache
//     escapes it or verbatim.
//
// ok is false when neither tells, or when the path and version do not name
// a module version that the go command could download.
func ModuleRootDir(dir string, goMod []byte, isCacheRoot func(prefix string) bool) (mod, version string, ok bool) {
	slash := strings.LastIndexByte(dir, '/')
	at := strings.IndexByte(dir[slash+1:], '@')
	if at <= 0 {
		return "", "", false
	}
	at += slash + 1
	escPath, escVersion := dir[:at], dir[at+1:]
	if v, err := module.UnescapeVersion(escVersion); err != nil || !semver.IsValid(v) {
		return "", "", false // not a version the cache could hold: no look-ups
	}
	if isCacheRoot != nil {
		for i := -1; i < len(escPath); i++ {
			if (i < 0 && strings.HasPrefix(escPath, "/")) || (i >= 0 && escPath[i] != '/') {
				continue
			}
			mod, version, ok := parseModuleVersion(escPath[i+1:], escVersion, true)
			if ok && isCacheRoot(escPath[:max(i, 0)]) {
				return mod, version, true
			}
		}
	}
	if goMod == nil {
		return "", "", false
	}
	declared, err := parseGoMod(goMod)
	if err != nil || declared == "" {
		return "", "", false
	}
	esc, err := module.EscapePath(declared)
	if err != nil {
		return "", "", false
	}
	for _, p := range []string{esc, declared} {
		if escPath == p || strings.HasSuffix(escPath, "/"+p) {
			return parseModuleVersion(p, escVersion, true)
		}
	}
	return "", "", false
}

// ModuleInfoPath returns the slash path, below a module cache's root, of
// the .info file the go command keeps for a module version
// ("cache/download/github.com/!burnt!sushi/toml/@v/v1.6.0.info"); ok is
// false when the path or version cannot be escaped.
func ModuleInfoPath(mod, version string) (p string, ok bool) {
	escPath, err := module.EscapePath(mod)
	if err != nil {
		return "", false
	}
	escVersion, err := module.EscapeVersion(version)
	if err != nil {
		return "", false
	}
	return "cache/download/" + escPath + "/@v/" + escVersion + ".info", true
}

// ModuleInfoTime returns the Time of a module cache's .info file (the
// proxy's {"Version": ..., "Time": ...}): when the version was published.
// It is the zero time when data holds none.
func ModuleInfoTime(data []byte) time.Time {
	var info struct{ Time time.Time }
	if json.Unmarshal(data, &info) != nil {
		return time.Time{}
	}
	return info.Time.UTC()
}

// ModuleCacheRoot returns the module cache root above dir, the slash path
// of the directory of a module version as the cache spells it
// (".../pkg/mod/github.com/!burnt!sushi/toml@v1.6.0" for
// github.com/BurntSushi/toml v1.6.0); ok is false when dir does not end
// with that spelling.
func ModuleCacheRoot(dir, mod, version string) (root string, ok bool) {
	escPath, err := module.EscapePath(mod)
	if err != nil {
		return "", false
	}
	escVersion, err := module.EscapeVersion(version)
	if err != nil {
		return "", false
	}
	return strings.CutSuffix(dir, "/"+escPath+"@"+escVersion)
}

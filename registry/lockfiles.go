package registry

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/snipscan/snipscan/registry/npm"
	"go.yaml.in/yaml/v3"
)

// pnpmResolution is where pnpm resolved a package: a registry (its
// integrity, and a tarball URL for registries other than the default),
// a tarball elsewhere, a git repository or a directory.
type pnpmResolution struct {
	Integrity string `yaml:"integrity"`
	Tarball   string `yaml:"tarball"`
	Type      string `yaml:"type"` // "git", "directory"
	Repo      string `yaml:"repo"`
	Directory string `yaml:"directory"`
}

// elsewhere says where a package comes from when that is not a registry,
// "" when it is, or for a directory (the project's own code).
func (r pnpmResolution) elsewhere() string {
	switch {
	case r.Type == "directory" || r.Directory != "":
		return ""
	case r.Type == "git" || r.Repo != "":
		return "the git repository " + r.Repo
	case r.Tarball != "" && notRegistry(r.Tarball) != "":
		return notRegistry(r.Tarball)
	case r.Integrity == "" && r.Tarball != "":
		return "the tarball " + r.Tarball + ", without integrity"
	case r.Integrity == "":
		return "no registry: the lock file gives no integrity"
	}
	return ""
}

// pnpmLockDeps reads the packages of a pnpm-lock.yaml (lockfileVersion 5
// to 9): those resolved from a registry, with their integrity; packages
// from a git repository or a tarball that is not a registry's are
// elsewhere; directories are the project's own.
func pnpmLockDeps(p string, data []byte) (Deps, error) {
	var lock struct {
		LockfileVersion string `yaml:"lockfileVersion"`
		Packages        map[string]struct {
			Name       string         `yaml:"name"`
			Version    string         `yaml:"version"`
			Resolution pnpmResolution `yaml:"resolution"`
		} `yaml:"packages"`
	}
	if err := yaml.Unmarshal(data, &lock); err != nil {
		return Deps{}, fmt.Errorf("%s: %w", p, err)
	}
	major, err := strconv.ParseFloat(lock.LockfileVersion, 64)
	if err != nil || major < 5 {
		return Deps{}, fmt.Errorf("%s: lockfileVersion %q: only versions 5 to 9 (pnpm 7 and later) are read", p, lock.LockfileVersion)
	}
	var deps Deps
	seen := map[string]bool{}
	for _, k := range sortedKeys(lock.Packages) {
		e := lock.Packages[k]
		res := e.Resolution
		if res.Type == "directory" || res.Directory != "" {
			continue
		}
		name, version, ok := pnpmKey(k, major < 6)
		if e.Name != "" && e.Version != "" {
			name, version, ok = e.Name, e.Version, true
		}
		if via := res.elsewhere(); via != "" {
			if !ok {
				name = k
			}
			deps.Elsewhere = append(deps.Elsewhere, Elsewhere{Name: name, From: p + ": " + k, Via: via})
			continue
		}
		if !ok {
			return Deps{}, fmt.Errorf("%s: package %q: not NAME@VERSION", p, k)
		}
		if err := npm.CheckName(name); err != nil {
			return Deps{}, fmt.Errorf("%s: %q: %w", p, k, err)
		}
		if !seen[name+"@"+version] {
			seen[name+"@"+version] = true
			deps.Refs = append(deps.Refs, Ref{Ecosystem: NPM, Name: name, Query: version, Want: res.Integrity, From: p + ": " + k})
		}
	}
	return deps, nil
}

// pnpmKey reads a key of a pnpm lock file's packages: "name@1.0.0" (v9),
// "/name@1.0.0(peer@2.0.0)" (v6), "/name/1.0.0_peer@2.0.0" (v5, slash).
func pnpmKey(k string, slash bool) (name, version string, ok bool) {
	k = strings.TrimPrefix(k, "/")
	if i := strings.IndexByte(k, '('); i >= 0 {
		k = k[:i]
	}
	sep := byte('@')
	if slash {
		sep = '/'
		if i := strings.IndexByte(k, '_'); i >= 0 {
			k = k[:i]
		}
	}
	i := strings.LastIndexByte(k, sep)
	if i <= 0 || i == len(k)-1 {
		return "", "", false
	}
	return k[:i], k[i+1:], true
}

// yarnLockDeps reads the packages of a yarn.lock written by yarn 2 or
// later (YAML): those resolved from the npm registry ("name@npm:1.0.0"),
// without a hash to check (yarn's checksum is of its own archive, not of
// the registry's tarball, which the registry's integrity still checks).
// Patches, git repositories and tarballs are elsewhere; workspaces and
// directories are the project's own. The lock files of yarn 1, in a
// format of their own, are refused: no maintained Go parser reads them.
func yarnLockDeps(p string, data []byte) (Deps, error) {
	if bytes.Contains(data[:min(len(data), 512)], []byte("yarn lockfile v1")) {
		return Deps{}, fmt.Errorf("%s: a yarn 1 lock file, which is not read (no maintained Go parser of its format): `npm install --package-lock-only` writes a package-lock.json that --deps reads", p)
	}
	var lock map[string]yaml.Node
	if err := yaml.Unmarshal(data, &lock); err != nil {
		return Deps{}, fmt.Errorf("%s: not a lock file of yarn 2 or later: %w", p, err)
	}
	if _, ok := lock["__metadata"]; !ok {
		return Deps{}, fmt.Errorf("%s: no __metadata: not a lock file of yarn 2 or later", p)
	}
	var deps Deps
	seen := map[string]bool{}
	for _, k := range sortedKeys(lock) {
		var e struct {
			Resolution string `yaml:"resolution"`
		}
		node := lock[k]
		if k == "__metadata" || node.Decode(&e) != nil {
			continue
		}
		name, version, ok := yarnResolution(e.Resolution)
		if !ok {
			if name, via := yarnElsewhere(e.Resolution); via != "" {
				deps.Elsewhere = append(deps.Elsewhere, Elsewhere{Name: name, From: p + ": " + k, Via: via})
			}
			continue
		}
		if err := npm.CheckName(name); err != nil {
			return Deps{}, fmt.Errorf("%s: %q: %w", p, k, err)
		}
		if !seen[name+"@"+version] {
			seen[name+"@"+version] = true
			deps.Refs = append(deps.Refs, Ref{Ecosystem: NPM, Name: name, Query: version, From: p + ": " + k})
		}
	}
	return deps, nil
}

// yarnElsewhere reads a resolution that is not the npm registry's: the
// package's name and where it comes from, via "" for the project's own
// workspaces and directories (workspace:, file: or link: to a
// directory, portal:).
func yarnElsewhere(r string) (name, via string) {
	i := strings.IndexByte(r[min(len(r), 1):], '@') + 1
	if i <= 0 {
		return r, "the resolution " + r
	}
	name, spec := r[:i], r[i+1:]
	proto, rest, _ := strings.Cut(spec, ":")
	switch proto {
	case "workspace", "link", "portal":
		return name, ""
	case "file":
		if loc, _, _ := strings.Cut(rest, "::"); strings.HasSuffix(loc, ".tgz") || strings.HasSuffix(loc, ".tar.gz") {
			return name, "the local tarball " + loc
		}
		return name, ""
	case "patch":
		return name, "a patched copy (" + spec + ")"
	}
	return name, spec
}

// yarnResolution reads a yarn resolution "name@npm:1.0.0"; ok is false
// for other protocols (workspace:, patch:, git, file:, link:).
func yarnResolution(r string) (name, version string, ok bool) {
	i := strings.IndexByte(r[min(len(r), 1):], '@') + 1 // after a scope's "@"
	if i <= 0 {
		return "", "", false
	}
	version, ok = strings.CutPrefix(r[i+1:], "npm:")
	if !ok || version == "" || strings.ContainsAny(version, "#:") {
		return "", "", false
	}
	return r[:i], version, true
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

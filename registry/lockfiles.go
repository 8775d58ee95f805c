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

// pnpmLockDeps reads the packages of a pnpm-lock.yaml (lockfileVersion 5
// to 9): those resolved from a registry, with their integrity; packages
// from a tarball URL, a git repository or a directory, which have no
// integrity, are left out (they are not in the registry).
func pnpmLockDeps(p string, data []byte) ([]Ref, error) {
	var lock struct {
		LockfileVersion string `yaml:"lockfileVersion"`
		Packages        map[string]struct {
			Name       string `yaml:"name"`
			Version    string `yaml:"version"`
			Resolution struct {
				Integrity string `yaml:"integrity"`
			} `yaml:"resolution"`
		} `yaml:"packages"`
	}
	if err := yaml.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	major, err := strconv.ParseFloat(lock.LockfileVersion, 64)
	if err != nil || major < 5 {
		return nil, fmt.Errorf("%s: lockfileVersion %q: only versions 5 to 9 (pnpm 7 and later) are read", p, lock.LockfileVersion)
	}
	var refs []Ref
	seen := map[string]bool{}
	for _, k := range sortedKeys(lock.Packages) {
		e := lock.Packages[k]
		if e.Resolution.Integrity == "" {
			continue
		}
		name, version, ok := pnpmKey(k, major < 6)
		if e.Name != "" && e.Version != "" {
			name, version, ok = e.Name, e.Version, true
		}
		if !ok {
			return nil, fmt.Errorf("%s: package %q: not NAME@VERSION", p, k)
		}
		if err := npm.CheckName(name); err != nil {
			return nil, fmt.Errorf("%s: %q: %w", p, k, err)
		}
		if !seen[name+"@"+version] {
			seen[name+"@"+version] = true
			refs = append(refs, Ref{Ecosystem: NPM, Name: name, Query: version, Want: e.Resolution.Integrity, From: p + ": " + k})
		}
	}
	return refs, nil
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
// Workspaces, patches, git and file dependencies are left out. The
// lock files of yarn 1, in a format of their own, are refused: no
// maintained Go parser reads them.
func yarnLockDeps(p string, data []byte) ([]Ref, error) {
	if bytes.Contains(data[:min(len(data), 512)], []byte("yarn lockfile v1")) {
		return nil, fmt.Errorf("%s: a yarn 1 lock file, which is not read (no maintained Go parser of its format): `npm install --package-lock-only` writes a package-lock.json that --deps reads", p)
	}
	var lock map[string]yaml.Node
	if err := yaml.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("%s: not a lock file of yarn 2 or later: %w", p, err)
	}
	if _, ok := lock["__metadata"]; !ok {
		return nil, fmt.Errorf("%s: no __metadata: not a lock file of yarn 2 or later", p)
	}
	var refs []Ref
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
			continue
		}
		if err := npm.CheckName(name); err != nil {
			return nil, fmt.Errorf("%s: %q: %w", p, k, err)
		}
		if !seen[name+"@"+version] {
			seen[name+"@"+version] = true
			refs = append(refs, Ref{Ecosystem: NPM, Name: name, Query: version, From: p + ": " + k})
		}
	}
	return refs, nil
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

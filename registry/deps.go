package registry

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/snipscan/snipscan/registry/npm"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// Deps are the packages a dependency file names.
type Deps struct {
	// Refs are the packages of a registry, to fetch.
	Refs []Ref
	// Elsewhere are those that come from somewhere else: a git
	// repository, a tarball that is not a registry's, a patched copy.
	// No registry holds their code, so they are not fetched. Directories
	// (the project's own workspaces, local paths, modules replaced by a
	// directory) are neither: their code is the project's.
	Elsewhere []Elsewhere
}

// Elsewhere is a dependency that does not come from a registry.
type Elsewhere struct {
	Name string // the package
	From string // where the file names it ("package-lock.json: node_modules/x")
	Via  string // where it comes from instead ("the git repository ...")
}

// ReadDeps returns the packages a project declares in the file at p: a
// go.mod (its requirements, after its replacements by other module
// versions, with the hashes of the go.sum beside it), an npm
// package-lock.json or npm-shrinkwrap.json (lockfileVersion 2 or 3: the
// packages of its "packages", with their integrity), a pnpm-lock.yaml, or
// a yarn.lock of yarn 2 or later.
func ReadDeps(p string) (Deps, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return Deps{}, err
	}
	switch filepath.Base(p) {
	case "go.mod":
		return goModDeps(p, data)
	case "package-lock.json", "npm-shrinkwrap.json":
		return packageLockDeps(p, data)
	case "pnpm-lock.yaml":
		return pnpmLockDeps(p, data)
	case "yarn.lock":
		return yarnLockDeps(p, data)
	}
	return Deps{}, fmt.Errorf("%s: want a go.mod, package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml or yarn.lock", p)
}

// goModDeps reads the requirements of a go.mod and the go.sum beside it.
func goModDeps(p string, data []byte) (Deps, error) {
	f, err := modfile.Parse(p, data, nil)
	if err != nil {
		return Deps{}, err
	}
	replaced := map[module.Version]module.Version{}
	for _, r := range f.Replace {
		replaced[r.Old] = r.New
	}
	sums, err := readGoSum(filepath.Join(filepath.Dir(p), "go.sum"))
	if err != nil {
		return Deps{}, err
	}
	var refs []Ref
	for _, req := range f.Require {
		m := req.Mod
		if n, ok := replaced[m]; ok {
			m = n
		} else if n, ok := replaced[module.Version{Path: m.Path}]; ok {
			m = n
		}
		if m.Version == "" {
			continue // replaced by a directory: nothing to fetch
		}
		refs = append(refs, Ref{Ecosystem: Go, Name: m.Path, Query: m.Version,
			Want: sums[m.Path+" "+m.Version], WantMod: sums[m.Path+" "+m.Version+"/go.mod"],
			From: fmt.Sprintf("%s:%d", p, req.Syntax.Start.Line)})
	}
	return Deps{Refs: refs}, nil
}

// readGoSum reads a go.sum: "path version hash" -> hash, by "path
// version" and "path version/go.mod". A missing go.sum gives none.
func readGoSum(p string) (map[string]string, error) {
	sums := map[string]string{}
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return sums, nil
	}
	if err != nil {
		return nil, err
	}
	for n, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: malformed line", p, n+1)
		}
		sums[f[0]+" "+f[1]] = f[2]
	}
	return sums, nil
}

// packageLockDeps reads the packages of an npm lock file.
func packageLockDeps(p string, data []byte) (Deps, error) {
	var lock struct {
		LockfileVersion int `json:"lockfileVersion"`
		Packages        map[string]struct {
			Name      string `json:"name"`
			Version   string `json:"version"`
			Resolved  string `json:"resolved"`
			Integrity string `json:"integrity"`
			Link      bool   `json:"link"`
			InBundle  bool   `json:"inBundle"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return Deps{}, fmt.Errorf("%s: %w", p, err)
	}
	if lock.LockfileVersion < 2 || lock.Packages == nil {
		return Deps{}, fmt.Errorf("%s: lockfileVersion %d: only versions 2 and 3 (npm 7 and later) are read", p, lock.LockfileVersion)
	}
	keys := make([]string, 0, len(lock.Packages))
	for k := range lock.Packages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var deps Deps
	seen := map[string]bool{}
	for _, k := range keys {
		e := lock.Packages[k]
		i := strings.LastIndex(k, "node_modules/")
		if k == "" || i < 0 || e.Link || e.InBundle || e.Version == "" {
			continue // the project itself, a workspace link, a bundled copy
		}
		name := e.Name
		if name == "" {
			name = k[i+len("node_modules/"):]
		}
		if err := npm.CheckName(name); err != nil {
			return Deps{}, fmt.Errorf("%s: %q: %w", p, k, err)
		}
		if via := notRegistry(e.Resolved); via != "" {
			deps.Elsewhere = append(deps.Elsewhere, Elsewhere{Name: name, From: p + ": " + k, Via: via})
			continue
		}
		if seen[name+"@"+e.Version] {
			continue
		}
		seen[name+"@"+e.Version] = true
		deps.Refs = append(deps.Refs, Ref{Ecosystem: NPM, Name: name, Query: e.Version, Want: e.Integrity, From: p + ": " + k})
	}
	return deps, nil
}

// notRegistry says where a package resolved at url comes from when that
// is not a registry: a git repository, a local tarball; "" for a
// registry's tarball (any http or https URL: a private registry's too)
// or no URL.
func notRegistry(url string) string {
	switch {
	case url == "", strings.HasPrefix(url, "https://"), strings.HasPrefix(url, "http://"):
		return ""
	case strings.HasPrefix(url, "git"):
		return "the git repository " + url
	case strings.HasPrefix(url, "file:"):
		return "the local tarball " + strings.TrimPrefix(url, "file:")
	}
	return url
}

// Package npm fetches npm packages as npm does: their metadata (the
// packument) from the registry of the user's npm configuration, their
// tarballs verified against the integrity the registry publishes, into a
// cache keyed by that integrity, extracted without links and with no path
// leaving the package.
package npm

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// DefaultRegistry is npm's default registry.
const DefaultRegistry = "https://registry.npmjs.org/"

// Registries are the registries of an npm configuration: the default one
// and those of scopes ("@scope:registry").
type Registries struct {
	Default string
	Scoped  map[string]string // "@scope" -> URL
}

// For returns the registry of the package name, ending in "/".
func (r Registries) For(name string) string {
	reg := r.Default
	if scope, _, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(scope, "@") {
		if s, ok := r.Scoped[scope]; ok {
			reg = s
		}
	}
	if !strings.HasSuffix(reg, "/") {
		reg += "/"
	}
	return reg
}

// LoadRegistries reads the registries as npm does, later sources winning:
// npm's default, the user's .npmrc ($NPM_CONFIG_USERCONFIG, else
// ~/.npmrc), the project's .npmrc (in dir), then the environment
// (npm_config_registry, npm_config_@scope:registry, any case). Variables
// in .npmrc values (${VAR}) are not expanded.
func LoadRegistries(getenv func(string) string, dir string) Registries {
	r := Registries{Default: DefaultRegistry, Scoped: map[string]string{}}
	user := getenv("NPM_CONFIG_USERCONFIG")
	if user == "" {
		user = getenv("npm_config_userconfig")
	}
	if user == "" && getenv("HOME") != "" {
		user = filepath.Join(getenv("HOME"), ".npmrc")
	}
	for _, f := range []string{user, filepath.Join(dir, ".npmrc")} {
		if f == "" {
			continue
		}
		if data, err := os.ReadFile(f); err == nil {
			r.apply(parseNpmrc(data))
		}
	}
	env := map[string]string{}
	for _, k := range []string{"npm_config_registry", "NPM_CONFIG_REGISTRY"} {
		if v := getenv(k); v != "" {
			env["registry"] = v
		}
	}
	r.apply(env)
	return r
}

// apply takes the registry settings of kv.
func (r *Registries) apply(kv map[string]string) {
	for k, v := range kv {
		if k == "registry" {
			r.Default = v
		} else if scope, ok := strings.CutSuffix(k, ":registry"); ok && strings.HasPrefix(scope, "@") {
			r.Scoped[scope] = v
		}
	}
}

// parseNpmrc reads the key=value lines of an .npmrc (ini syntax, # and ;
// comments, optional quotes).
func parseNpmrc(data []byte) map[string]string {
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		kv[k] = v
	}
	return kv
}

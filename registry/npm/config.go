// Package npm fetches npm packages as npm does: their metadata (the
// packument) from the registry of the user's npm configuration, their
// tarballs verified against the integrity the registry publishes, into a
// cache keyed by that integrity, extracted without links and with no path
// leaving the package.
package npm

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// DefaultRegistry is npm's default registry.
const DefaultRegistry = "https://registry.npmjs.org/"

// Registries are the registries of an npm configuration: the default one
// and those of scopes ("@scope:registry"), and the credentials given for
// registries.
type Registries struct {
	Default string
	Scoped  map[string]string // "@scope" -> URL
	// Auth holds the credentials of registries, by the key npm gives
	// them in .npmrc: the registry's URL without its scheme
	// ("//npm.corp.example/api/"), to the Authorization header value they
	// make ("Bearer ..." or "Basic ...").
	Auth map[string]string
}

// Header returns the header that carries the credentials of a request
// for rawURL, as npm sends them: those of the registry whose URL (without
// the scheme) is the longest prefix of rawURL's; nil when none is.
func (r Registries) Header(rawURL string) http.Header {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil
	}
	dart := "//" + u.Host + u.EscapedPath()
	best, value := "", ""
	for k, v := range r.Auth {
		if len(k) > len(best) && strings.HasPrefix(dart, k) {
			best, value = k, v
		}
	}
	if value == "" {
		return nil
	}
	return http.Header{"Authorization": {value}}
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
// (npm_config_registry, npm_config_@scope:registry, any case).
// Environment variables in .npmrc values (${VAR}) are expanded, as npm
// does, so that a token can stay out of the file.
func LoadRegistries(getenv func(string) string, dir string) Registries {
	r := Registries{Default: DefaultRegistry, Scoped: map[string]string{}, Auth: map[string]string{}}
	user := getenv("NPM_CONFIG_USERCONFIG")
	if user == "" {
		user = getenv("npm_config_userconfig")
	}
	if user == "" && getenv("HOME") != "" {
		user = filepath.Join(getenv("HOME"), ".npmrc")
	}
	kv := map[string]string{} // the settings of both files, the project's winning
	for _, f := range []string{user, filepath.Join(dir, ".npmrc")} {
		if f == "" {
			continue
		}
		if data, err := os.ReadFile(f); err == nil {
			for k, v := range parseNpmrc(data) {
				kv[k] = expandEnv(v, getenv)
			}
		}
	}
	for _, k := range []string{"npm_config_registry", "NPM_CONFIG_REGISTRY"} {
		if v := getenv(k); v != "" {
			kv["registry"] = v
		}
	}
	r.apply(kv)
	return r
}

// apply takes the registry settings of kv, and the credentials of
// registries, in npm's order of preference: "//HOST/PATH/:_authToken" (a
// bearer token), else ":_auth" (base64 of user:password), else
// ":username" with ":_password" (base64 of the password).
func (r *Registries) apply(kv map[string]string) {
	for k, v := range kv {
		if k == "registry" {
			r.Default = v
		} else if scope, ok := strings.CutSuffix(k, ":registry"); ok && strings.HasPrefix(scope, "@") {
			r.Scoped[scope] = v
		}
	}
	for k := range kv {
		dart, _, ok := strings.Cut(k, "/:")
		if !ok || !strings.HasPrefix(k, "//") {
			continue
		}
		dart += "/"
		pw, err := base64.StdEncoding.DecodeString(kv[dart+":_password"])
		switch user := kv[dart+":username"]; {
		case kv[dart+":_authToken"] != "":
			r.Auth[dart] = "Bearer " + kv[dart+":_authToken"]
		case kv[dart+":_auth"] != "":
			r.Auth[dart] = "Basic " + kv[dart+":_auth"]
		case user != "" && len(pw) > 0 && err == nil:
			r.Auth[dart] = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+string(pw)))
		}
	}
}

// expandEnv replaces ${VAR} in an .npmrc value by the variable's value,
// as npm does (an unset variable is left as written, and npm would fail
// on it; ${VAR?} is empty when VAR is unset); \${VAR} stays literal.
func expandEnv(v string, getenv func(string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			b.WriteString(v)
			return b.String()
		}
		name := v[i+2 : i+j]
		switch {
		case i > 0 && v[i-1] == '\\':
			b.WriteString(v[:i-1])
			b.WriteString(v[i : i+j+1])
		default:
			b.WriteString(v[:i])
			optional := strings.HasSuffix(name, "?")
			if val := getenv(strings.TrimSuffix(name, "?")); val != "" || optional {
				b.WriteString(val)
			} else {
				b.WriteString(v[i : i+j+1])
			}
		}
		v = v[i+j+1:]
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

package npm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	nodesemver "github.com/Masterminds/semver/v3"
	"github.com/snipscan/snipscan/registry/httpget"
)

// Version is one published version of a package, as its packument says.
type Version struct {
	Name, Version string
	Tarball       string    // the tarball's URL
	Integrity     string    // the tarball's Subresource Integrity (sha512-...), or "sha1-..." from its shasum for old packages
	License       string    // as declared, verbatim ("" if not a string)
	Time          time.Time // when it was published
	// Header is sent with the tarball's request: the credentials of its
	// registry, if any.
	Header http.Header
}

// packument is the part of a registry's package document read here.
type packument struct {
	Name     string            `json:"name"`
	DistTags map[string]string `json:"dist-tags"`
	Versions map[string]struct {
		License    json.RawMessage `json:"license"`
		Deprecated json.RawMessage `json:"deprecated"`
		Dist       struct {
			Tarball   string `json:"tarball"`
			Integrity string `json:"integrity"`
			Shasum    string `json:"shasum"`
		} `json:"dist"`
	} `json:"versions"`
	Time map[string]string `json:"time"`
}

// maxPackument bounds a package document (the largest hold thousands of
// versions).
const maxPackument = 256 << 20

// Resolve reads the packument of name from registry (ending in "/") and
// returns the version that query names: a version, a dist-tag ("latest",
// "next") or a range (see pick). auth gives the header of a request's credentials
// (Registries.Header), or is nil.
func Resolve(ctx context.Context, c *httpget.Client, registry, name, query string, auth func(string) http.Header) (*Version, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if auth == nil {
		auth = func(string) http.Header { return nil }
	}
	u := registry + strings.Replace(url.PathEscape(name), "%40", "@", 1)
	header := auth(u)
	if header == nil {
		header = http.Header{}
	}
	header.Set("Accept", "application/json")
	data, err := c.Get(ctx, u, maxPackument, header)
	if httpget.NotFound(err) {
		return nil, fmt.Errorf("no package %s in %s", name, registry)
	}
	if err != nil {
		return nil, refused(err, registry)
	}
	var p packument
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	version, err := p.pick(query)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	v := p.Versions[version]
	out := &Version{Name: name, Version: version, Tarball: v.Dist.Tarball, Integrity: v.Dist.Integrity, Header: auth(v.Dist.Tarball)}
	if out.Integrity == "" && v.Dist.Shasum != "" {
		out.Integrity = "sha1-" + hexToBase64(v.Dist.Shasum)
	}
	if out.Integrity == "" {
		return nil, fmt.Errorf("%s@%s: the registry gives no integrity for its tarball: nothing to verify it with", name, version)
	}
	_ = json.Unmarshal(v.License, &out.License)
	if t, err := time.Parse(time.RFC3339, p.Time[version]); err == nil {
		out.Time = t.UTC()
	}
	return out, nil
}

// pick returns the version query names, as npm picks it: a dist-tag's
// version, the version itself, or the best of a range's (node-semver's
// syntax: ^1.2.0, ~1.2, 1.x, >=1.2 <2, 1 || 2): the "latest" dist-tag's
// version if it satisfies the range and is not deprecated, else the
// highest satisfying version, not deprecated if one is. (npm also avoids
// versions whose engines exclude the running Node.js; no Node.js runs
// here. A range naming a pre-release admits the pre-releases of any
// version here, while node-semver admits only those of the version it
// names.)
func (p *packument) pick(query string) (string, error) {
	if tagged, ok := p.DistTags[query]; ok {
		query = tagged
	}
	if _, ok := p.Versions[query]; ok {
		return query, nil
	}
	if IsVersion(query) {
		return "", fmt.Errorf("no version %s", query)
	}
	if latest, ok := p.DistTags["latest"]; ok && (query == "*" || query == "x" || query == "") {
		return latest, nil // npm's short cut: any version is the latest
	}
	c, err := nodesemver.NewConstraint(query)
	if err != nil {
		return "", fmt.Errorf("%q is neither a version, a dist-tag nor a range: %v", query, err)
	}
	deprecated := func(v string) bool {
		d := p.Versions[v].Deprecated
		return len(d) > 0 && string(d) != "false" && string(d) != `""` && string(d) != "null"
	}
	if latest, ok := p.DistTags["latest"]; ok && !deprecated(latest) {
		if v, err := nodesemver.StrictNewVersion(latest); err == nil && c.Check(v) {
			return latest, nil
		}
	}
	best, bestVer, bestDeprecated := "", (*nodesemver.Version)(nil), true
	for s := range p.Versions {
		v, err := nodesemver.StrictNewVersion(s)
		if err != nil || !c.Check(v) {
			continue
		}
		dep := deprecated(s)
		if best == "" || bestDeprecated && !dep || dep == bestDeprecated && v.GreaterThan(bestVer) {
			best, bestVer, bestDeprecated = s, v, dep
		}
	}
	if best == "" {
		return "", fmt.Errorf("no version satisfies %q", query)
	}
	return best, nil
}

// IsVersion reports whether s is a whole version (1.2.3, 1.0.0-rc.1), as
// opposed to a range (4, 4.17, ^4.17.0) or a dist-tag.
func IsVersion(s string) bool {
	_, err := nodesemver.StrictNewVersion(s)
	return err == nil
}

// refused adds to a registry's refusal (401, 403) where npm's
// configuration gives credentials.
func refused(err error, registry string) error {
	var se *httpget.StatusError
	if errors.As(err, &se) && (se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden) {
		host := registry
		if u, perr := url.Parse(registry); perr == nil {
			host = "//" + u.Host + u.EscapedPath()
		}
		return fmt.Errorf("%w: the registry wants credentials, read as npm reads them from .npmrc (%s:_authToken=${TOKEN})", err, host)
	}
	return err
}

// CheckName checks the form of an npm package name: "name" or
// "@scope/name", URL-safe. New names are lower case, but the registry
// still serves older ones with capitals (JSONStream), so those pass.
func CheckName(name string) error {
	bare := name
	if scope, rest, ok := strings.Cut(name, "/"); ok {
		if len(scope) < 2 || scope[0] != '@' || !safeName(scope[1:]) {
			return fmt.Errorf("invalid npm package name %q", name)
		}
		bare = rest
	}
	if !safeName(bare) || bare[0] == '.' || bare[0] == '_' {
		return fmt.Errorf("invalid npm package name %q", name)
	}
	return nil
}

// safeName reports whether s is a non-empty name of the characters npm
// allows in package names (capitals only in older ones).
func safeName(s string) bool {
	if s == "" || len(s) > 214 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-._~", r)) {
			return false
		}
	}
	return true
}

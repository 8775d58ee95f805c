package main

// End-to-end tests of package identity: the same real files, indexed
// through each spelling of their path (the Go module cache, one host's
// directory in it, a module, a directory inside a module, the module's
// zip; an npm application, its node_modules, one package, a directory
// inside it, the package's tarball), are one package with one name,
// version and purl, in `snipscan info` and in every report.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/snipscan/snipscan/internal/testnet"
)

// infoPackages returns the package records of a corpus, as `snipscan info
// --packages --format json` lists them.
func infoPackages(t *testing.T, db string) []map[string]any {
	t.Helper()
	r := snipscan(t, nil, "info", "--packages", "--format", "json", "--db", db)
	if r.code != 0 {
		t.Fatalf("info: exit %d\n%s", r.code, r.stderr)
	}
	var info struct {
		Packages []map[string]any `json:"packages"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &info); err != nil {
		t.Fatalf("info output is not JSON: %v\n%s", err, r.stdout)
	}
	return info.Packages
}

// identity is what a package record says the package is.
type identity struct{ Ecosystem, Name, Version, PURL string }

func identityOf(p map[string]any) identity {
	s := func(k string) string { v, _ := p[k].(string); return v }
	return identity{s("ecosystem"), s("name"), s("version"), s("purl")}
}

// tempModCache downloads module versions into a module cache of its own,
// from the module cache of the go command (where building snipscan put
// its dependencies), else through the configured proxy. Its path does not
// end in pkg/mod, as GOMODCACHE may not.
func tempModCache(t *testing.T, mods ...string) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOPROXY").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	env := strings.Split(strings.TrimSpace(string(out)), "\n")
	cache := filepath.Join(t.TempDir(), "modcache")
	outside := t.TempDir() // outside any module
	testnet.GoModDownload(t, outside, []string{"GOMODCACHE=" + cache, "GOFLAGS=-modcacherw", "GOWORK=off", "GOSUMDB=off",
		"GOPROXY=file://" + filepath.ToSlash(filepath.Join(env[0], "cache", "download")) + "," + env[len(env)-1]}, mods...)
	return cache
}

// TestPackageIdentityModuleCache indexes github.com/BurntSushi/toml@v1.6.0
// (a dependency of snipscan; its path has capitals, which the module
// cache escapes) through every spelling of its path, each into a
// database of its own and all into one: every package record, and the
// source of every finding in a scan of a copy of one of its files, is the
// module at its version, with one purl; the shared database holds one
// package record.
func TestPackageIdentityModuleCache(t *testing.T) {
	cache := tempModCache(t, "github.com/BurntSushi/toml@v1.6.0")
	mod := filepath.Join(cache, "github.com", "!burnt!sushi", "toml@v1.6.0")
	want := identity{"golang", "github.com/BurntSushi/toml", "v1.6.0", "pkg:golang/github.com/BurntSushi/toml@v1.6.0"}
	roots := []string{
		cache,
		filepath.Join(cache, "github.com"),
		filepath.Join(cache, "github.com", "!burnt!sushi"),
		mod,
		filepath.Join(mod, "internal"),
		filepath.Join(cache, "cache", "download", "github.com", "!burnt!sushi", "toml", "@v", "v1.6.0.zip"),
	}
	src, err := os.ReadFile(filepath.Join(mod, "internal", "tz.go"))
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "zones.go")
	if err := os.WriteFile(target, src, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	all := filepath.Join(dir, "all.db")
	for i, root := range roots {
		rel, _ := filepath.Rel(cache, root)
		db := filepath.Join(dir, filepath.Base(root)+".db")
		for _, d := range []string{db, all} {
			if r := snipscan(t, nil, "index", "--db", d, root); r.code != 0 {
				t.Fatalf("index %s: exit %d\n%s", rel, r.code, r.stderr)
			}
		}
		for _, p := range infoPackages(t, db) {
			if got := identityOf(p); got != want {
				t.Errorf("root %s: package %+v, want %+v", rel, got, want)
			}
		}
		doc, r := scanJSON(t, db, target)
		if len(doc.Files) != 1 || len(doc.Files[0].Matches) == 0 {
			t.Errorf("root %s: no finding in a copy of internal/tz.go\n%s", rel, r.stdout)
			continue
		}
		for _, m := range doc.Files[0].Matches {
			s := m.Source
			if got := (identity{"golang", s.Package, s.Version, s.PURL}); got != want {
				t.Errorf("root %s: finding's source %+v, want %+v", rel, got, want)
			}
			t.Logf("root %d (%s): source.path %s", i, rel, s.Path)
		}
	}
	if ps := infoPackages(t, all); len(ps) != 1 {
		t.Errorf("%d package records after indexing the module through %d spellings of its path, want 1: %v", len(ps), len(roots), ps)
	}
}

// npmApp installs the npm packages specs (name@version) into a new
// application directory with a package.json of its own, and returns it.
func npmApp(t *testing.T, specs ...string) string {
	t.Helper()
	app := filepath.Join(t.TempDir(), "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := `{"name": "pkgid-app", "version": "0.1.0", "private": true, "license": "Apache-2.0"}`
	if err := os.WriteFile(filepath.Join(app, "package.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	testnet.NPMInstall(t, app, specs...)
	return app
}

// installed returns the identity of every package of an npm application
// (itself included) by name, as its package.json states it; the purl is
// left out, to be checked apart.
func installed(t *testing.T, app string) map[string]identity {
	t.Helper()
	manifests, _ := filepath.Glob(filepath.Join(app, "node_modules", "*", "package.json"))
	scoped, _ := filepath.Glob(filepath.Join(app, "node_modules", "@*", "*", "package.json"))
	out := map[string]identity{}
	for _, m := range append(append(manifests, scoped...), filepath.Join(app, "package.json")) {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var pj struct{ Name, Version string }
		if err := json.Unmarshal(data, &pj); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		out[pj.Name] = identity{Ecosystem: "npm", Name: pj.Name, Version: pj.Version}
	}
	return out
}

// TestPackageIdentityNPM indexes real npm packages (lodash, the scoped
// @jridgewell/sourcemap-codec, dompurify and its dual license) through
// every spelling of their path: the application, its node_modules, one
// package, a directory inside a package, a scope's directory, the
// package's tarball, and the package unpacked into a directory named
// name@version. Every package record is an npm package with its
// package.json's name and version and a pkg:npm purl (never pkg:golang),
// and so are the sources of the findings in the JSON, SPDX and CycloneDX
// reports.
func TestPackageIdentityNPM(t *testing.T) {
	app := npmApp(t, "lodash@4.17.21", "@jridgewell/sourcemap-codec@1.5.0", "dompurify@3.2.4")
	nm := filepath.Join(app, "node_modules")
	dir := t.TempDir()
	tgz := testnet.NPMPack(t, dir, "lodash@4.17.21")
	unpacked := filepath.Join(dir, "store", "lodash@4.17.21")
	copyTree(t, filepath.Join(nm, "lodash"), unpacked)

	known := installed(t, app)
	purls := map[string]string{ // written out: the scope's "@" is escaped
		"lodash":                      "pkg:npm/lodash@4.17.21",
		"@jridgewell/sourcemap-codec": "pkg:npm/%40jridgewell/sourcemap-codec@1.5.0",
		"dompurify":                   "pkg:npm/dompurify@3.2.4",
	}
	if known["lodash"].Version != "4.17.21" || known["@jridgewell/sourcemap-codec"].Version != "1.5.0" {
		t.Fatalf("npm installed %+v", known)
	}
	check := func(where string, got identity) {
		t.Helper()
		w, ok := known[got.Name]
		purl := got.PURL
		got.PURL = ""
		if !ok || got != w {
			t.Errorf("%s: package %+v, want %+v", where, got, w)
		}
		want := purls[got.Name]
		if want == "" {
			want = "pkg:npm/" + strings.Replace(got.Name, "@", "%40", 1) + "@" + got.Version
		}
		if purl != want {
			t.Errorf("%s: %s purl %q, want %q", where, got.Name, purl, want)
		}
	}

	// The target: copies of lodash's _baseClone.js and fp/_baseConvert.js,
	// and of the codec's UMD build.
	target := t.TempDir()
	for _, f := range []struct{ from, to string }{
		{filepath.Join(nm, "lodash", "_baseClone.js"), "clone.js"},
		{filepath.Join(nm, "lodash", "fp", "_baseConvert.js"), "convert.js"},
		{filepath.Join(nm, "@jridgewell", "sourcemap-codec", "dist", "sourcemap-codec.umd.js"), "codec.js"},
	} {
		data, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(target, f.to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	all := filepath.Join(dir, "all.db")
	base := filepath.Dir(filepath.Dir(app))
	for _, root := range []string{app, nm, filepath.Join(nm, "lodash"), filepath.Join(nm, "lodash", "fp"),
		filepath.Join(nm, "@jridgewell"), tgz, filepath.Join(dir, "store"), unpacked} {
		name, err := filepath.Rel(base, root)
		if err != nil || strings.HasPrefix(name, "..") {
			name, _ = filepath.Rel(dir, root)
		}
		db := filepath.Join(t.TempDir(), "corpus.db")
		for _, d := range []string{db, all} {
			if r := snipscan(t, nil, "index", "--db", d, root); r.code != 0 {
				t.Fatalf("index %s: exit %d\n%s", name, r.code, r.stderr)
			}
		}
		for _, p := range infoPackages(t, db) {
			got := identityOf(p)
			check("info, root "+name, got)
			if got.Name == "dompurify" && (p["declared"] != "(MPL-2.0 OR Apache-2.0)" || !strings.Contains(p["license"].(string), " OR ")) {
				t.Errorf("root %s: dompurify declared %q, license %q: want the OR of its package.json", name, p["declared"], p["license"])
			}
		}
		doc, r := scanJSON(t, db, target)
		found := 0
		for _, f := range doc.Files {
			for _, m := range f.Matches {
				s := m.Source
				check("scan, root "+name+", "+f.Path, identity{"npm", s.Package, s.Version, s.PURL})
				found++
			}
		}
		if found == 0 {
			t.Errorf("root %s: no finding\n%s", name, r.stdout)
		}
	}

	// The SBOMs of a scan against everything name both packages by their
	// purls, and no other kind of purl.
	spdx := snipscan(t, nil, "scan", "--db", all, "--format", "spdx-json", target)
	sdoc, err := spdxjson.Read(strings.NewReader(spdx.stdout))
	if err != nil {
		t.Fatalf("spdx-json: %v\n%s", err, spdx.stderr)
	}
	var spdxPURLs []string
	for _, p := range sdoc.Packages {
		for _, ref := range p.PackageExternalReferences {
			spdxPURLs = append(spdxPURLs, ref.Locator)
		}
	}
	cyclone := snipscan(t, nil, "scan", "--db", all, "--format", "cyclonedx-json", target)
	var bom cdx.BOM
	if err := json.Unmarshal([]byte(cyclone.stdout), &bom); err != nil {
		t.Fatalf("cyclonedx-json: %v\n%s", err, cyclone.stderr)
	}
	var cdxPURLs []string
	if bom.Components != nil {
		for _, c := range *bom.Components {
			cdxPURLs = append(cdxPURLs, c.PackageURL)
		}
	}
	for _, name := range []string{"lodash", "@jridgewell/sourcemap-codec"} {
		if !slices.Contains(spdxPURLs, purls[name]) {
			t.Errorf("spdx-json: no package with purl %s: %v", purls[name], spdxPURLs)
		}
		if !slices.Contains(cdxPURLs, purls[name]) {
			t.Errorf("cyclonedx-json: no component with purl %s: %v", purls[name], cdxPURLs)
		}
	}
	for _, p := range append(spdxPURLs, cdxPURLs...) {
		if !strings.HasPrefix(p, "pkg:npm/") {
			t.Errorf("purl %q in an SBOM of npm code", p)
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/creack/pty"
	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/testnet"
)

// registryEnv returns an environment whose module cache and user cache
// are directories of the test (writable, so that they can be removed),
// after checking that the registries answer (the test is skipped when
// they do not).
func registryEnv(t *testing.T, goProxy, npm bool) (dir string, env []string) {
	t.Helper()
	if goProxy {
		testnet.Answers(t, "the Go module proxy", testnet.GoProxy(t)+"/rsc.io/quote/@v/v1.5.2.info")
	}
	if npm {
		testnet.Answers(t, "the npm registry", "https://registry.npmjs.org/is-number")
	}
	dir = t.TempDir()
	return dir, []string{"GOMODCACHE=" + filepath.Join(dir, "mod"), "XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"GOFLAGS=-modcacherw", "npm_config_registry=https://registry.npmjs.org/"}
}

// fetchedPackages returns the packages of a corpus by name@version.
func fetchedPackages(t *testing.T, db string) map[string]corpus.PackageStats {
	t.Helper()
	r := snipscan(t, nil, "info", "--packages", "--db", db, "--format", "json")
	var info corpus.Info
	if err := json.Unmarshal([]byte(r.stdout), &info); err != nil {
		t.Fatalf("info: %v\n%s%s", err, r.stdout, r.stderr)
	}
	out := map[string]corpus.PackageStats{}
	for _, p := range info.Packages {
		out[p.Name+"@"+p.Version] = p
	}
	return out
}

// TestIndexPackages fetches real packages of both registries (a module
// whose path has capital letters, a scoped npm package), checks their
// identity, license and publication time, that a module fetched into the
// module cache is the package indexing its directory gives, and that a
// second run neither fetches nor indexes them again.
func TestIndexPackages(t *testing.T) {
	dir, env := registryEnv(t, true, true)
	db := filepath.Join(dir, "pkgs.db")
	refs := []string{"go:rsc.io/quote@v1.5.2", "go:github.com/BurntSushi/toml@v1.4.0", "npm:is-number@7.0.0", "npm:@sindresorhus/is@4.6.0"}
	r := snipscan(t, env, append([]string{"index", "--db", db}, refs...)...)
	if r.code != 0 || !strings.Contains(r.stderr, "packages: 4 fetched, 0 cached, 0 already indexed, 0 failed") {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	pkgs := fetchedPackages(t, db)
	// Publication times are what the registry says (mirrors may say
	// other times than the public registries): some time after npm and
	// Go modules began.
	want := map[string]struct{ purl, license string }{
		"rsc.io/quote@v1.5.2":               {"pkg:golang/rsc.io/quote@v1.5.2", "BSD-3-Clause"},
		"github.com/BurntSushi/toml@v1.4.0": {"pkg:golang/github.com/BurntSushi/toml@v1.4.0", "MIT"},
		"is-number@7.0.0":                   {"pkg:npm/is-number@7.0.0", "MIT"},
		"@sindresorhus/is@4.6.0":            {"pkg:npm/%40sindresorhus/is@4.6.0", "MIT"},
	}
	for name, w := range want {
		p, ok := pkgs[name]
		if !ok {
			t.Errorf("no package %s in %v", name, pkgs)
			continue
		}
		if p.PURL != w.purl || p.License != w.license || p.Published.Year() < 2010 || p.Files == 0 {
			t.Errorf("%s: purl %s license %s published %v files %d; want %s %s, published", name, p.PURL, p.License, p.Published, p.Files, w.purl, w.license)
		}
	}
	// The module's directory in the module cache, indexed as a path,
	// is the same package.
	modDir := filepath.Join(dir, "mod", "github.com", "!burnt!sushi", "toml@v1.4.0")
	db2 := filepath.Join(dir, "dir.db")
	if r := snipscan(t, env, "index", "--db", db2, modDir); r.code != 0 {
		t.Fatalf("index %s: %s", modDir, r.stderr)
	}
	if p := fetchedPackages(t, db2)["github.com/BurntSushi/toml@v1.4.0"]; p.PURL != want["github.com/BurntSushi/toml@v1.4.0"].purl {
		t.Errorf("the module's directory gives package %+v", p)
	}

	again := snipscan(t, env, append([]string{"index", "--db", db}, refs...)...)
	if again.code != 0 || !strings.Contains(again.stderr, "packages: 0 fetched, 0 cached, 4 already indexed, 0 failed; 0 B downloaded") ||
		!strings.HasPrefix(again.stdout, "indexed 0 files") {
		t.Errorf("second run: exit %d\n%s%s", again.code, again.stdout, again.stderr)
	}
	// Another database: the packages come from the caches.
	db3 := filepath.Join(dir, "cached.db")
	cached := snipscan(t, env, append([]string{"index", "--db", db3}, refs...)...)
	if cached.code != 0 || !strings.Contains(cached.stderr, "packages: 0 fetched, 4 cached") {
		t.Errorf("run on another database: exit %d\n%s%s", cached.code, cached.stdout, cached.stderr)
	}
}

// TestIndexPackageFailures: a package or a version that does not exist
// fails the run, which indexes nothing (the database it would have
// created is not left behind), unless --keep-going, which indexes the
// others. References that are not references are usage errors.
func TestIndexPackageFailures(t *testing.T) {
	dir, env := registryEnv(t, true, true)
	db := filepath.Join(dir, "f.db")
	bad := []string{"npm:snipscan-test-no-such-package-3f9a1c@1.0.0", "npm:is-number@99.0.0", "go:rsc.io/quote@v9.9.9",
		"go:github.com/snipscan/no-such-module-3f9a1c@v1.0.0"}
	r := snipscan(t, env, append([]string{"index", "--db", db, "npm:is-number@7.0.0"}, bad...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "4 failed") || !strings.Contains(r.stderr, "nothing was indexed") {
		t.Fatalf("exit %d, want 2 and 4 failures:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, b := range bad {
		if !strings.Contains(r.stderr, "failed "+b) {
			t.Errorf("no failure reported for %s:\n%s", b, r.stderr)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("the failed run left a database")
	}
	k := snipscan(t, env, append([]string{"index", "--db", db, "--keep-going", "npm:is-number@7.0.0"}, bad...)...)
	if k.code != 0 || !strings.Contains(k.stderr, "4 failed") {
		t.Fatalf("--keep-going: exit %d\n%s%s", k.code, k.stdout, k.stderr)
	}
	if _, ok := fetchedPackages(t, db)["is-number@7.0.0"]; !ok {
		t.Errorf("--keep-going did not index is-number")
	}
	for _, arg := range []string{"go:Not A Path@v1.0.0", "npm:@", "go:rsc.io/quote@"} {
		if u := snipscan(t, env, "index", "--db", db, arg); u.code != 2 || !strings.Contains(u.stderr, "Run \"snipscan index -h\"") {
			t.Errorf("%s: exit %d, want a usage error:\n%s", arg, u.code, u.stderr)
		}
	}
}

// TestIndexTamperedPackages: a go.sum whose hash is not the module's
// refuses it (nothing indexed, nothing kept in the module cache); an npm
// tarball altered in the cache is not trusted but fetched again.
func TestIndexTamperedPackages(t *testing.T) {
	dir, env := registryEnv(t, true, true)
	proj := filepath.Join(dir, "proj")
	os.MkdirAll(proj, 0o755)
	os.WriteFile(filepath.Join(proj, "go.mod"), []byte("module example.com/proj\n\ngo 1.22\n\nrequire rsc.io/quote v1.5.2\n"), 0o644)
	os.WriteFile(filepath.Join(proj, "go.sum"), []byte("rsc.io/quote v1.5.2 h1:AAAAcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n"), 0o644)
	db := filepath.Join(dir, "t.db")
	r := snipscan(t, env, "index", "--db", db, "--deps", filepath.Join(proj, "go.mod"))
	if r.code != 2 || !strings.Contains(r.stderr, "SECURITY: checksum mismatch") {
		t.Fatalf("tampered go.sum: exit %d, want 2 and a checksum mismatch:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("the refused module left a database")
	}
	if _, err := os.Stat(filepath.Join(dir, "mod", "rsc.io", "quote@v1.5.2")); err == nil {
		t.Errorf("the refused module was extracted into the module cache")
	}
	// The right hash: indexed.
	os.WriteFile(filepath.Join(proj, "go.sum"), []byte("rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n"), 0o644)
	if r := snipscan(t, env, "index", "--db", db, "--deps", filepath.Join(proj, "go.mod")); r.code != 0 {
		t.Fatalf("go.sum with the module's hash: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	if r := snipscan(t, env, "index", "--db", filepath.Join(dir, "n1.db"), "npm:is-number@7.0.0"); r.code != 0 {
		t.Fatalf("npm: %s", r.stderr)
	}
	tgzs, _ := filepath.Glob(filepath.Join(dir, "cache", "snipscan", "npm", "tarballs", "*.tgz"))
	if len(tgzs) != 1 {
		t.Fatalf("cached tarballs %v, want one", tgzs)
	}
	os.WriteFile(tgzs[0], []byte("not the package"), 0o644)
	again := snipscan(t, env, "index", "--db", filepath.Join(dir, "n2.db"), "npm:is-number@7.0.0")
	if again.code != 0 || !strings.Contains(again.stderr, "packages: 1 fetched, 0 cached") {
		t.Errorf("altered cached tarball: exit %d, want it fetched again:\n%s%s", again.code, again.stdout, again.stderr)
	}
}

// TestKilledPackageIndexResumes kills an index run of packages after its
// second commit, in the middle of its last package (the test hook halts it there; a small batch makes
// commits frequent) and runs it again: the packages the killed run
// committed whole are neither fetched nor indexed again, and the corpus
// ends with every package.
func TestKilledPackageIndexResumes(t *testing.T) {
	dir, env := registryEnv(t, true, true)
	db := filepath.Join(dir, "k.db")
	args := []string{"index", "--db", db, "--batch-postings", "1000", "--workers", "1",
		"go:rsc.io/quote@v1.5.2", "npm:is-number@7.0.0", "go:github.com/BurntSushi/toml@v1.4.0"}
	cmd, wait := startHaltedEnv(t, binary(t), args, haltPoint{corpus.TxCommit, 2}, env)
	cmd.Process.Kill()
	wait()
	// quote and is-number were handed to the writer whole before toml's
	// first segment, and recorded with it; toml was not.
	resumed := snipscan(t, env, args...)
	if resumed.code != 0 || !strings.Contains(resumed.stderr, "packages: 0 fetched, 1 cached, 2 already indexed, 0 failed") {
		t.Fatalf("resumed: exit %d, want toml from the cache and the others already indexed\n%s%s", resumed.code, resumed.stdout, resumed.stderr)
	}
	pkgs := fetchedPackages(t, db)
	for _, p := range []string{"rsc.io/quote@v1.5.2", "is-number@7.0.0", "github.com/BurntSushi/toml@v1.4.0"} {
		if _, ok := pkgs[p]; !ok {
			t.Errorf("after the resumed run, no package %s", p)
		}
	}
	if c := snipscan(t, env, "check", "--db", db); c.code != 0 {
		t.Errorf("check: %s%s", c.stdout, c.stderr)
	}
	last := snipscan(t, env, args...)
	if !strings.Contains(last.stderr, "3 already indexed") {
		t.Errorf("a third run: %s", last.stderr)
	}
}

// TestIndexUnverifiedModules: under GOSUMDB=off a module without a go.sum
// hash is verified by nothing: it fails the run (nothing indexed) unless
// --allow-unverified, which indexes it and says so; with a go.sum line
// (--deps) it is verified against it.
func TestIndexUnverifiedModules(t *testing.T) {
	dir, env := registryEnv(t, true, false)
	env = append(env, "GOSUMDB=off")
	db := filepath.Join(dir, "u.db")
	r := snipscan(t, env, "index", "--db", db, "go:rsc.io/quote@v1.5.2")
	if r.code != 2 || !strings.Contains(r.stderr, "not verified") || !strings.Contains(r.stderr, "--allow-unverified") {
		t.Fatalf("GOSUMDB=off: exit %d, want 2 and the module refused as unverified:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("the refused module left a database")
	}
	a := snipscan(t, env, "index", "--db", db, "--allow-unverified", "go:rsc.io/quote@v1.5.2")
	if a.code != 0 || !strings.Contains(a.stderr, "rsc.io/quote@v1.5.2 indexed unverified") {
		t.Fatalf("--allow-unverified: exit %d, want it indexed and said unverified:\n%s%s", a.code, a.stdout, a.stderr)
	}
	if _, ok := fetchedPackages(t, db)["rsc.io/quote@v1.5.2"]; !ok {
		t.Errorf("--allow-unverified did not index rsc.io/quote")
	}
	proj := filepath.Join(dir, "proj")
	os.MkdirAll(proj, 0o755)
	os.WriteFile(filepath.Join(proj, "go.mod"), []byte("module example.com/proj\n\ngo 1.22\n\nrequire rsc.io/quote v1.5.2\n"), 0o644)
	os.WriteFile(filepath.Join(proj, "go.sum"), []byte("rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n"), 0o644)
	g := snipscan(t, env, "index", "--db", filepath.Join(dir, "g.db"), "--deps", filepath.Join(proj, "go.mod"))
	if g.code != 0 || strings.Contains(g.stderr, "unverified") {
		t.Errorf("GOSUMDB=off with a go.sum line: exit %d, want it verified against go.sum:\n%s%s", g.code, g.stdout, g.stderr)
	}
}

// TestMergePrunePackages: a merge carries the records of packages fetched
// whole and their publication times (an index run on the merged database
// neither fetches nor indexes them again); --prune, once a package's
// directory is gone, drops its record with its files, so that the next
// run fetches and indexes it again.
func TestMergePrunePackages(t *testing.T) {
	dir, env := registryEnv(t, true, true)
	refs := []string{"go:rsc.io/quote@v1.5.2", "npm:is-number@7.0.0"}
	shard, merged := filepath.Join(dir, "shard.db"), filepath.Join(dir, "merged.db")
	if r := snipscan(t, env, append([]string{"index", "--db", shard}, refs...)...); r.code != 0 {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := snipscan(t, env, "merge", "--db", merged, shard); r.code != 0 {
		t.Fatalf("merge: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for name, p := range fetchedPackages(t, merged) {
		if p.Published.Year() < 2010 {
			t.Errorf("merged %s: published %v", name, p.Published)
		}
	}
	again := snipscan(t, env, append([]string{"index", "--db", merged}, refs...)...)
	if again.code != 0 || !strings.Contains(again.stderr, "packages: 0 fetched, 0 cached, 2 already indexed") {
		t.Errorf("index on the merged database: exit %d, want both already indexed\n%s%s", again.code, again.stdout, again.stderr)
	}

	modCache := filepath.Join(dir, "mod")
	if err := os.RemoveAll(filepath.Join(modCache, "rsc.io", "quote@v1.5.2")); err != nil {
		t.Fatal(err)
	}
	if r := snipscan(t, env, "index", "--db", merged, "--prune", modCache); r.code != 0 || !strings.Contains(r.stdout, "pruned") {
		t.Fatalf("--prune: exit %d, want the module's files pruned\n%s%s", r.code, r.stdout, r.stderr)
	}
	after := snipscan(t, env, append([]string{"index", "--db", merged}, refs...)...)
	if after.code != 0 || !strings.Contains(after.stderr, "packages: 0 fetched, 1 cached, 1 already indexed") {
		t.Errorf("index after --prune: exit %d, want rsc.io/quote indexed again (from the module cache's zip)\n%s%s", after.code, after.stdout, after.stderr)
	}
	if p, ok := fetchedPackages(t, merged)["rsc.io/quote@v1.5.2"]; !ok || p.Files == 0 {
		t.Errorf("after the new run, rsc.io/quote: %+v", p)
	}
}

// TestIndexDepsElsewhere indexes the dependencies of a package-lock.json
// that names a registry package and a local tarball: the registry's is
// indexed; the tarball, which no registry holds, is not fetched by its
// name, and stderr names it.
func TestIndexDepsElsewhere(t *testing.T) {
	dir, env := registryEnv(t, false, true)
	lock := filepath.Join(dir, "package-lock.json")
	os.WriteFile(lock, []byte(`{"name": "app", "lockfileVersion": 3, "packages": {
		"": {"name": "app", "dependencies": {"is-number": "7.0.0", "vendored-lib": "file:vendored-lib-1.0.0.tgz"}},
		"node_modules/is-number": {"version": "7.0.0", "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz"},
		"node_modules/vendored-lib": {"version": "1.0.0", "resolved": "file:vendored-lib-1.0.0.tgz"}}}`), 0o644)
	db := filepath.Join(dir, "c.db")
	r := snipscan(t, env, "index", "--db", db, "--deps", lock)
	if r.code != 0 || !strings.Contains(r.stderr, "not indexed, from elsewhere than a registry (1;") ||
		!strings.Contains(r.stderr, "vendored-lib: the local tarball vendored-lib-1.0.0.tgz") {
		t.Fatalf("exit %d, want 0 and the tarball named on stderr:\n%s", r.code, r.stderr)
	}
	pkgs := fetchedPackages(t, db)
	if _, ok := pkgs["is-number@7.0.0"]; !ok || len(pkgs) != 1 {
		t.Errorf("packages %v, want is-number@7.0.0 alone", pkgs)
	}
}

// TestFetchProgressOnTerminal fetches a package with stderr on a
// pseudo-terminal: the bar is drawn at once with the count of packages,
// cleared when the fetch ends, and the summary follows it.
func TestFetchProgressOnTerminal(t *testing.T) {
	dir, env := registryEnv(t, false, true)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(binary(t), "index", "--db", filepath.Join(dir, "c.db"), "npm:is-number@7.0.0")
	cmd.Env = append(append(os.Environ(), "TERM=xterm"), env...)
	cmd.Stderr = tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var term bytes.Buffer
	io.Copy(&term, ptmx) // ends when the process closes the terminal
	if err := cmd.Wait(); err != nil {
		t.Fatalf("index: %v\n%q", err, term.String())
	}
	out := term.String()
	bar := strings.Index(out, "fetching 0/1 packages")
	summary := strings.Index(out, "packages: 1 fetched")
	if bar < 0 || summary < bar || !regexp.MustCompile(`(\r +\r|\x1b\[2K\r)packages: 1 fetched`).MatchString(out) {
		t.Errorf("the terminal shows no bar cleared before the summary:\n%q", out)
	}
}

package registry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// copyProject copies this repository's go.mod and go.sum into a
// temporary directory and returns the go.mod's path there.
func copyProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "go.mod")
}

// goModEdit runs go mod edit with args on the go.mod at p and returns its
// output; without the go command, t is skipped.
func goModEdit(t *testing.T, p string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed: the test reads go.mod files with it")
	}
	cmd := exec.Command("go", append([]string{"mod", "edit"}, append(args, p)...)...)
	var out, msg bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &msg
	if err := cmd.Run(); err != nil {
		t.Fatalf("go mod edit %s: %v\n%s", strings.Join(args, " "), err, msg.String())
	}
	return out.Bytes()
}

// goSumLines returns the go.sum beside the go.mod p as "path version" ->
// hash.
func goSumLines(t *testing.T, p string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(p), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 3 {
			sums[f[0]+" "+f[1]] = f[2]
		}
	}
	return sums
}

// TestGoModDeps reads this repository's go.mod and go.sum: every
// requirement the go command lists (go mod edit -json) is a reference,
// with the go.sum's hashes of its zip and its go.mod, and the line it is
// required on.
func TestGoModDeps(t *testing.T) {
	p := copyProject(t)
	var mod struct {
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(goModEdit(t, p, "-json"), &mod); err != nil {
		t.Fatal(err)
	}
	sums := goSumLines(t, p)
	refs, err := readRefs(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != len(mod.Require) || len(refs) == 0 {
		t.Fatalf("%d references; the go.mod requires %d modules", len(refs), len(mod.Require))
	}
	for i, r := range refs {
		req := mod.Require[i]
		if r.Ecosystem != Go || r.Name != req.Path || r.Query != req.Version {
			t.Errorf("reference %d: %s; want go:%s@%s", i, r, req.Path, req.Version)
		}
		if r.Want == "" || r.Want != sums[req.Path+" "+req.Version] || r.WantMod != sums[req.Path+" "+req.Version+"/go.mod"] {
			t.Errorf("%s: hashes %q %q; want the go.sum's %q %q", r, r.Want, r.WantMod,
				sums[req.Path+" "+req.Version], sums[req.Path+" "+req.Version+"/go.mod"])
		}
		if !strings.HasPrefix(r.From, p+":") {
			t.Errorf("%s: from %q; want %s:LINE", r, r.From, p)
		}
	}
}

// TestGoModReplace reads requirements replaced by another module version
// (fetched in their stead, without a go.sum hash when the go.sum has
// none) and by a directory (nothing to fetch).
func TestGoModReplace(t *testing.T) {
	p := copyProject(t)
	refs, err := readRefs(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) < 2 {
		t.Fatalf("the go.mod requires %d modules; the test needs two", len(refs))
	}
	byVersion, byDir := refs[0], refs[1]
	goModEdit(t, p, "-replace", byVersion.Name+"="+byVersion.Name+"@v0.0.1",
		"-replace", byDir.Name+"@"+byDir.Query+"=../elsewhere")
	got, err := readRefs(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(refs)-1 {
		t.Fatalf("%d references; want %d (one replaced by a directory)", len(got), len(refs)-1)
	}
	for _, r := range got {
		switch r.Name {
		case byVersion.Name:
			if r.Query != "v0.0.1" || r.Want != "" {
				t.Errorf("replaced by v0.0.1: %s with hash %q; want v0.0.1 without a hash", r, r.Want)
			}
		case byDir.Name:
			t.Errorf("%s replaced by a directory: want no reference", r)
		}
	}
}

// TestGoSum reads a go.mod without a go.sum (references without hashes)
// and refuses a malformed go.sum.
func TestGoSum(t *testing.T) {
	p := copyProject(t)
	sum := filepath.Join(filepath.Dir(p), "go.sum")
	if err := os.Remove(sum); err != nil {
		t.Fatal(err)
	}
	refs, err := readRefs(p)
	if err != nil || len(refs) == 0 {
		t.Fatalf("without a go.sum: %d references, %v", len(refs), err)
	}
	for _, r := range refs {
		if r.Want != "" || r.WantMod != "" {
			t.Errorf("%s: hashes %q %q without a go.sum", r, r.Want, r.WantMod)
		}
	}
	if err := os.WriteFile(sum, []byte("golang.org/x/mod v0.20.0 h1:x= extra\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := readRefs(p); err == nil || !strings.Contains(err.Error(), "go.sum:1") {
		t.Errorf("a malformed go.sum: %v; want an error at go.sum:1", err)
	}
}

// TestReadDepsFileNames refuses files it does not read.
func TestReadDepsFileNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"yarn.lock", "requirements.txt", "package.json"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("{}\n"), 0o666); err != nil {
			t.Fatal(err)
		}
		if _, err := readRefs(p); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := readRefs(filepath.Join(dir, "go.mod")); err == nil {
		t.Error("a missing go.mod: want an error")
	}
}

// npmLock writes a package.json needing specs into a temporary directory
// and has npm write its lock file (lockfileVersion version), without
// installing anything; it returns the lock file's path. Without npm or
// its registry, t is skipped.
func npmLock(t *testing.T, version string, specs ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"lock-test","version":"1.0.0","private":true}`), 0o666); err != nil {
		t.Fatal(err)
	}
	testnet.NPM(t, dir, append([]string{"install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund",
		"--lockfile-version", version}, specs...)...)
	return filepath.Join(dir, "package-lock.json")
}

// lockEntries returns the "packages" of a lock file, as npm wrote them.
func lockEntries(t *testing.T, p string) map[string]struct{ Version, Integrity string } {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct{ Version, Integrity string }
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		t.Fatal(err)
	}
	return lock.Packages
}

// TestPackageLockDeps reads the lock files (versions 2 and 3) npm writes
// for real packages: a scoped one, and two versions of one package (ms,
// at the top and nested below debug), each with its integrity; the
// project itself is not a reference.
func TestPackageLockDeps(t *testing.T) {
	for _, version := range []string{"3", "2"} {
		t.Run("v"+version, func(t *testing.T) {
			p := npmLock(t, version, "debug@2.6.9", "ms@2.1.3", "@sindresorhus/is@4.6.0")
			entries := lockEntries(t, p)
			refs, err := readRefs(p)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{ // reference -> its key in the lock file
				"npm:debug@2.6.9":            "node_modules/debug",
				"npm:ms@2.1.3":               "node_modules/ms",
				"npm:ms@2.0.0":               "node_modules/debug/node_modules/ms",
				"npm:@sindresorhus/is@4.6.0": "node_modules/@sindresorhus/is",
			}
			got := map[string]bool{}
			for _, r := range refs {
				got[r.String()] = true
				key, ok := want[r.String()]
				if !ok {
					t.Errorf("unexpected reference %s (%s)", r, r.From)
					continue
				}
				if e := entries[key]; r.Want == "" || r.Want != e.Integrity || !strings.HasPrefix(r.Want, "sha512-") {
					t.Errorf("%s: integrity %q; the lock file says %q", r, r.Want, e.Integrity)
				}
				if r.From != p+": "+key {
					t.Errorf("%s: from %q; want %q", r, r.From, p+": "+key)
				}
			}
			for w := range want {
				if !got[w] {
					t.Errorf("no reference %s among %v", w, got)
				}
			}
		})
	}
}

// TestPackageLockVersions refuses lock files npm 6 wrote (version 1,
// without "packages") and files that are not JSON, and skips links and
// bundled copies.
func TestPackageLockVersions(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		`{"lockfileVersion": 1, "dependencies": {"ms": {"version": "2.1.3"}}}`: "lockfileVersion 1",
		`{"lockfileVersion": 3`: "unexpected end of JSON input",
	}
	for data, msg := range cases {
		p := filepath.Join(dir, "package-lock.json")
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
		if _, err := readRefs(p); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v; want an error saying %q", data, err, msg)
		}
	}
	p := filepath.Join(dir, "npm-shrinkwrap.json")
	data := `{"lockfileVersion": 3, "packages": {
		"": {"name": "app", "version": "1.0.0"},
		"node_modules/ws": {"version": "8.18.0", "integrity": "sha512-x"},
		"node_modules/local": {"resolved": "packages/local", "link": true},
		"packages/local": {"name": "local", "version": "0.1.0"},
		"node_modules/ws/node_modules/bundled": {"version": "1.0.0", "inBundle": true},
		"node_modules/alias": {"name": "real-name", "version": "2.0.0", "integrity": "sha512-y"}}}`
	if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
	refs, err := readRefs(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range refs {
		got = append(got, r.String()+" "+r.Want)
	}
	if want := "npm:real-name@2.0.0 sha512-y\nnpm:ws@8.18.0 sha512-x"; strings.Join(got, "\n") != want {
		t.Errorf("npm-shrinkwrap.json: %q; want %q", strings.Join(got, "\n"), want)
	}
	// A name that is no package name (a path leaving node_modules) is an
	// error, not a package to fetch.
	for _, key := range []string{"node_modules/..", "node_modules/@scope/../../etc"} {
		bad := `{"lockfileVersion": 3, "packages": {"` + key + `": {"version": "1.0.0", "integrity": "sha512-z"}}}`
		if err := os.WriteFile(p, []byte(bad), 0o666); err != nil {
			t.Fatal(err)
		}
		if refs, err := readRefs(p); err == nil {
			t.Errorf("%s: %v; want an error", key, refs)
		}
	}
}

// toolLock writes a package.json needing the packages deps (name ->
// version) into a temporary directory and has a package manager, run
// through npm exec (pkg names it and its version), write its lock file
// without installing anything; it returns the directory. Without npm or
// its registry, t is skipped.
func toolLock(t *testing.T, pkg string, deps map[string]string, cmd ...string) string {
	t.Helper()
	dir := t.TempDir()
	manifest, err := json.Marshal(map[string]any{"name": "lock-test", "version": "1.0.0", "private": true, "dependencies": deps})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), manifest, 0o666); err != nil {
		t.Fatal(err)
	}
	testnet.NPM(t, dir, append([]string{"exec", "--yes", "--package=" + pkg, "--"}, cmd...)...)
	return dir
}

// lockDeps are the dependencies of the lock files written for the tests:
// a scoped package, and two versions of ms (one required by debug).
var lockDeps = map[string]string{"debug": "2.6.9", "ms": "2.1.3", "@sindresorhus/is": "4.6.0"}

// wantLockRefs are the references lockDeps lock.
var wantLockRefs = []string{"npm:@sindresorhus/is@4.6.0", "npm:debug@2.6.9", "npm:ms@2.0.0", "npm:ms@2.1.3"}

// checkLockRefs compares refs with wantLockRefs, and their integrity with
// the one npm's lock file gives each (withHash), or none.
func checkLockRefs(t *testing.T, refs []Ref, withHash bool) {
	t.Helper()
	npmRefs, err := readRefs(npmLock(t, "3", "debug@2.6.9", "ms@2.1.3", "@sindresorhus/is@4.6.0"))
	if err != nil {
		t.Fatal(err)
	}
	integrity := map[string]string{}
	for _, r := range npmRefs {
		integrity[r.String()] = r.Want
	}
	var got []string
	for _, r := range refs {
		got = append(got, r.String())
		want := ""
		if withHash {
			want = integrity[r.String()]
		}
		if r.Want != want {
			t.Errorf("%s: hash %q; want %q", r, r.Want, want)
		}
	}
	if strings.Join(got, " ") != strings.Join(wantLockRefs, " ") {
		t.Errorf("references %v; want %v", got, wantLockRefs)
	}
}

// TestPnpmLockDeps reads the pnpm-lock.yaml files that pnpm 9, 8 and 7
// write (lockfileVersion 9.0, 6.0, 5.4) for real packages.
func TestPnpmLockDeps(t *testing.T) {
	for _, version := range []string{"9", "8", "7"} {
		t.Run("pnpm"+version, func(t *testing.T) {
			dir := toolLock(t, "pnpm@"+version, lockDeps, "pnpm", "install", "--lockfile-only", "--ignore-scripts")
			refs, err := readRefs(filepath.Join(dir, "pnpm-lock.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			checkLockRefs(t, refs, true)
		})
	}
}

// TestYarnLockDeps reads the yarn.lock that yarn 4 writes for real
// packages (the project's workspace is not a reference), and refuses a
// yarn 1 lock file.
func TestYarnLockDeps(t *testing.T) {
	dir := toolLock(t, "@yarnpkg/cli-dist@4", lockDeps, "yarn", "install", "--mode=update-lockfile")
	refs, err := readRefs(filepath.Join(dir, "yarn.lock"))
	if err != nil {
		t.Fatal(err)
	}
	checkLockRefs(t, refs, false)

	v1 := filepath.Join(t.TempDir(), "yarn.lock")
	data := "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\nms@2.1.3:\n  version \"2.1.3\"\n"
	if err := os.WriteFile(v1, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := readRefs(v1); err == nil || !strings.Contains(err.Error(), "yarn 1") {
		t.Errorf("a yarn 1 lock file: %v; want it refused", err)
	}
}

// TestLockKeys reads the package keys and resolutions of pnpm and yarn
// lock files, of every form, and refuses malformed ones.
func TestLockKeys(t *testing.T) {
	for k, want := range map[string]string{
		"ms@2.1.3": "ms 2.1.3", "@babel/core@7.26.0": "@babel/core 7.26.0",
		"/react-dom@18.2.0(react@18.2.0)": "react-dom 18.2.0", "/@types/node@20.1.0": "@types/node 20.1.0",
		"ms@": "", "@babel/core": "",
	} {
		name, version, ok := pnpmKey(k, false)
		if got := name + " " + version; ok != (want != "") || ok && got != want {
			t.Errorf("pnpmKey(%q) = %q %v; want %q", k, got, ok, want)
		}
	}
	for k, want := range map[string]string{
		"/ms/2.1.3": "ms 2.1.3", "/@babel/core/7.26.0": "@babel/core 7.26.0", "/react-dom/18.2.0_react@18.2.0": "react-dom 18.2.0",
	} {
		if name, version, ok := pnpmKey(k, true); !ok || name+" "+version != want {
			t.Errorf("pnpmKey(%q, v5) = %q %q %v; want %q", k, name, version, ok, want)
		}
	}
	for r, want := range map[string]string{
		"ms@npm:2.1.3": "ms 2.1.3", "@types/node@npm:20.1.0": "@types/node 20.1.0",
		"app@workspace:.": "", "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8": "",
		"x@https://example.com/x.tgz": "", "": "", "@scope": "",
	} {
		name, version, ok := yarnResolution(r)
		if got := name + " " + version; ok != (want != "") || ok && got != want {
			t.Errorf("yarnResolution(%q) = %q %v; want %q", r, got, ok, want)
		}
	}
}

// readRefs returns the registry packages of the dependency file at p.
func readRefs(p string) ([]Ref, error) {
	d, err := ReadDeps(p)
	return d.Refs, err
}

// localProject writes a project that depends on a registry package (ms),
// a directory of its own and a tarball beside it, and returns its
// directory.
func localProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(p string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "package.json"), []byte(`{"name":"lock-test","version":"1.0.0","private":true,"dependencies":`+
		`{"ms":"2.1.3","local-dir-fixture":"file:./local","local-tgz-fixture":"file:./local-tgz-fixture-1.0.0.tgz"}}`))
	write(filepath.Join(dir, "local", "package.json"), []byte(`{"name":"local-dir-fixture","version":"1.0.0"}`))
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	manifest := []byte(`{"name":"local-tgz-fixture","version":"1.0.0"}`)
	if err := tw.WriteHeader(&tar.Header{Name: "package/package.json", Mode: 0o644, Size: int64(len(manifest))}); err != nil {
		t.Fatal(err)
	}
	tw.Write(manifest)
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	write(filepath.Join(dir, "local-tgz-fixture-1.0.0.tgz"), buf.Bytes())
	return dir
}

// TestDepsElsewhere reads the lock files npm, pnpm and yarn write for a
// project with a local directory and a local tarball among its
// dependencies: the registry package is a reference; the tarball, which
// no registry holds, is named as coming from elsewhere (not fetched by
// its name from the registry, which would index other code); the
// directory is the project's own code, neither.
func TestDepsElsewhere(t *testing.T) {
	for tool, c := range map[string]struct {
		file string
		args []string
	}{
		"npm":  {"package-lock.json", []string{"install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"}},
		"pnpm": {"pnpm-lock.yaml", []string{"exec", "--yes", "--package=pnpm@9", "--", "pnpm", "install", "--lockfile-only", "--ignore-scripts"}},
		"yarn": {"yarn.lock", []string{"exec", "--yes", "--package=@yarnpkg/cli-dist@4", "--", "yarn", "install", "--mode=update-lockfile"}},
	} {
		t.Run(tool, func(t *testing.T) {
			dir := localProject(t)
			testnet.NPM(t, dir, c.args...)
			d, err := ReadDeps(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Refs) != 1 || d.Refs[0].String() != "npm:ms@2.1.3" {
				t.Errorf("references %v; want ms@2.1.3 alone", d.Refs)
			}
			if len(d.Elsewhere) != 1 || d.Elsewhere[0].Name != "local-tgz-fixture" || !strings.Contains(d.Elsewhere[0].Via, "local tarball") ||
				!strings.Contains(d.Elsewhere[0].Via, "local-tgz-fixture-1.0.0.tgz") {
				t.Errorf("elsewhere %+v; want the local tarball alone", d.Elsewhere)
			}
		})
	}
}

package pkgmeta

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseGoMod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "plain", in: "module example.com/a\n\ngo 1.22\n", want: "example.com/a"},
		{name: "comment", in: "// hello\nmodule example.com/a // trailing\n", want: "example.com/a"},
		{name: "deprecated comment", in: "// Deprecated: use b\nmodule example.com/a\n", want: "example.com/a"},
		{name: "quoted", in: "module \"example.com/a b\"\n", wantErr: true},
		{name: "quoted ok", in: "module \"example.com/a\"\n", want: "example.com/a"},
		{name: "raw quoted", in: "module `example.com/a`\n", want: "example.com/a"},
		{name: "quoted escape", in: "module \"example.com/\\x61\"\n", want: "example.com/a"},
		{name: "crlf", in: "module example.com/a\r\ngo 1.21\r\n", want: "example.com/a"},
		{name: "bom", in: "\xef\xbb\xbfmodule example.com/a\n", want: "example.com/a"},
		{name: "no newline", in: "module x", want: "x"},
		{name: "block", in: "module (\n\texample.com/blk\n)\n", want: "example.com/blk"},
		{name: "after require block", in: "go 1.21\nrequire (\n\tmodule v1.0.0\n)\nmodule example.com/c\n", want: "example.com/c"},
		{name: "module word in require line", in: "require module v1.0.0\nmodule m\n", want: "m"},
		{name: "no module", in: "go 1.21\n", want: ""},
		{name: "empty", in: "", want: ""},
		{name: "commented out", in: "// module example.com/a\n", want: ""},
		{name: "missing path", in: "module\n", wantErr: true},
		{name: "two args", in: "module a b\n", wantErr: true},
		{name: "repeated", in: "module a\nmodule b\n", wantErr: true},
		{name: "unterminated quote", in: "module \"a\n", wantErr: true},
		{name: "bad escape", in: "module \"a\\q\"\n", wantErr: true},
		{name: "empty quoted", in: "module \"\"\n", wantErr: true},
		{name: "block comment", in: "/* x */\nmodule a\n", wantErr: true},
		{name: "unclosed block", in: "require (\n\tx v1\n", wantErr: true},
		{name: "stray paren", in: ")\nmodule a\n", wantErr: true},
		{name: "control char", in: "module a\x01b\n", wantErr: true},
		{name: "invalid utf8", in: "module a\xffb\n", wantErr: true},
		{name: "double slash path", in: "module \"a//b\"\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseGoMod([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseGoMod(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("parseGoMod(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestGoDistTime reads the release time of a Go distribution's VERSION
// file, as Go releases write it, and of the installed GOROOT's.
func TestGoDistTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{"go1.26.8\ntime 2026-08-28T16:20:06Z\n", time.Date(2026, 8, 28, 16, 20, 6, 0, time.UTC)},
		{"go1.22.0\r\ntime 2024-02-06T17:30:00Z\r\n", time.Date(2024, 2, 6, 17, 30, 0, 0, time.UTC)},
		{"go1.26.8\n", time.Time{}},
		{"go1.26.8\ntime yesterday\n", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := goDistTime([]byte(tt.in)); !got.Equal(tt.want) {
			t.Errorf("goDistTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	data, err := os.ReadFile(filepath.Join(goEnv(t, "GOROOT"), "VERSION"))
	if err != nil {
		t.Skipf("no GOROOT/VERSION: %v", err)
	}
	if strings.Contains(string(data), "\ntime ") && goDistTime(data).IsZero() {
		t.Errorf("GOROOT/VERSION %q: no time read", data)
	}
}

func TestGoDistVersion(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"go1.26.8\ntime 2026-01-01T00:00:00Z\n", "1.26.8"},
		{"go1.22rc1", "1.22rc1"},
		{"  go1.21.0  \r\n", "1.21.0"},
		{"devel go1.27-abcdef Mon Jan 1", ""},
		{"go", ""},
		{"gox", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := goDistVersion([]byte(tt.in)); got != tt.want {
			t.Errorf("goDistVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDetectGoroot detects the Go distribution's std and cmd modules with
// the version and release time of the installed GOROOT/VERSION.
func TestDetectGoroot(t *testing.T) {
	t.Parallel()
	goroot := goEnv(t, "GOROOT")
	vdata, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err != nil {
		t.Skipf("no GOROOT/VERSION: %v", err)
	}
	first, _, _ := strings.Cut(string(vdata), "\n")
	version := strings.TrimPrefix(strings.TrimSpace(first), "go")
	if version == strings.TrimSpace(first) {
		t.Skipf("GOROOT/VERSION %q is not a release", first)
	}
	tests := []struct {
		dir, name string
	}{
		{filepath.Join(goroot, "src"), "stdlib"},
		{filepath.Join(goroot, "src", "cmd"), "cmd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Detect(dirNames(t, tt.dir), dirReader(tt.dir))
			if err != nil {
				t.Fatal(err)
			}
			want := Package{
				Ecosystem: "golang", Name: tt.name, Version: version,
				PURL: "pkg:golang/" + tt.name + "@" + version, Manifest: "go.mod", Published: goDistTime(vdata),
			}
			if p == nil || *p != want {
				t.Fatalf("Detect(%s) = %+v, want %+v", tt.dir, p, want)
			}
		})
	}
}

func TestDetectStdWithoutVersion(t *testing.T) {
	t.Parallel()
	p, err := detectMap(mapDir{"go.mod": "module std\n"})
	if err != nil {
		t.Fatal(err)
	}
	want := Package{Ecosystem: "golang", Name: "stdlib", PURL: "pkg:golang/stdlib", Manifest: "go.mod"}
	if p == nil || *p != want {
		t.Fatalf("got %+v, want %+v", p, want)
	}
	// A read error other than "not exist" is reported.
	boom := errors.New("boom")
	_, err = Detect([]string{"go.mod"}, func(rel string) ([]byte, error) {
		if rel == "go.mod" {
			return []byte("module cmd\n"), nil
		}
		return nil, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Detect with failing VERSION read: err = %v, want %v", err, boom)
	}
}

// TestVendorModulesGoroot parses the Go distribution's own
// src/vendor/modules.txt.
func TestVendorModulesGoroot(t *testing.T) {
	t.Parallel()
	goroot := goEnv(t, "GOROOT")
	data, err := os.ReadFile(filepath.Join(goroot, "src", "vendor", "modules.txt"))
	if err != nil {
		t.Skipf("no GOROOT/src/vendor/modules.txt: %v", err)
	}
	mods, err := VendorModules(data)
	if err != nil {
		t.Fatal(err)
	}
	// Cross-check against the "# " lines read independently.
	var want int
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(line, "# ") {
			want++
			f := strings.Fields(line)
			if got, ok := mods[f[1]]; !ok || got != f[2] {
				t.Errorf("mods[%q] = %q, %v; want %q", f[1], got, ok, f[2])
			}
		}
	}
	if want == 0 || len(mods) != want {
		t.Fatalf("VendorModules returned %d modules, file lists %d", len(mods), want)
	}
	for m, v := range mods {
		if !strings.HasPrefix(m, "golang.org/x/") || !strings.HasPrefix(v, "v") {
			t.Errorf("unexpected vendored module %q %q", m, v)
		}
	}
}

func TestVendorModules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr bool
	}{
		{name: "empty", in: "", want: map[string]string{}},
		{
			name: "plain",
			in:   "# example.com/a v1.2.3\n## explicit; go 1.21\nexample.com/a\nexample.com/a/sub\n# example.com/b v0.0.0-20240101000000-abcdefabcdef\n## explicit\nexample.com/b\n",
			want: map[string]string{"example.com/a": "v1.2.3", "example.com/b": "v0.0.0-20240101000000-abcdefabcdef"},
		},
		{
			name: "replacements",
			in:   "# example.com/a v1.0.0 => example.com/fork v1.1.0\nexample.com/a\n# example.com/b v1.0.0 => ../b\n# example.com/c => ./c\n## explicit; go 1.20\n# example.com/a v1.0.0 => example.com/fork v1.1.0\n",
			want: map[string]string{"example.com/a": "v1.0.0", "example.com/b": "v1.0.0", "example.com/c": ""},
		},
		{name: "crlf", in: "# example.com/a v1.0.0\r\n", want: map[string]string{"example.com/a": "v1.0.0"}},
		{name: "missing version", in: "# example.com/a\n", wantErr: true},
		{name: "bad version", in: "# example.com/a 1.0.0\n", wantErr: true},
		{name: "dangling arrow", in: "# example.com/a v1.0.0 =>\n", wantErr: true},
		{name: "bad replacement version", in: "# example.com/a v1.0.0 => b x\n", wantErr: true},
		{name: "extra fields", in: "# example.com/a v1.0.0 => b v1 c\n", wantErr: true},
		{name: "junk after version", in: "# example.com/a v1.0.0 junk\n", wantErr: true},
		{name: "conflicting versions", in: "# a v1.0.0\n# a v2.0.0\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := VendorModules([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("VendorModules error = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("VendorModules = %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("VendorModules[%q] = %q, %v; want %q", k, g, ok, v)
				}
			}
		})
	}
}

func FuzzParseGoMod(f *testing.F) {
	f.Add([]byte("module example.com/a\n\ngo 1.22\n"))
	f.Add([]byte("module (\n\t\"example.com/a\"\n)\nrequire (\n\tx v1 // c\n)\n"))
	f.Add([]byte("module `a`\nretract [v1.0.0, v1.1.0]\n"))
	f.Add([]byte("module std\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mod, err := parseGoMod(data)
		if err != nil && mod != "" {
			t.Fatalf("error %v with module %q", err, mod)
		}
		if err == nil && mod != "" {
			if cerr := checkModulePath(mod); cerr != nil {
				t.Fatalf("accepted invalid module path: %v", cerr)
			}
		}
		// The same bytes also serve as GOROOT/VERSION for std and cmd.
		p, err := Detect([]string{"go.mod"}, func(string) ([]byte, error) { return data, nil })
		if err == nil && p != nil && p.Name != "" && p.PURL == "" {
			t.Fatalf("package %+v has no PURL", p)
		}
	})
}

func FuzzVendorModules(f *testing.F) {
	f.Add([]byte("# example.com/a v1.2.3\n## explicit; go 1.21\nexample.com/a\n"))
	f.Add([]byte("# a v1.0.0 => b v1.1.0\n# c => ./c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mods, err := VendorModules(data)
		if err != nil {
			if mods != nil {
				t.Fatal("error with non-nil map")
			}
			return
		}
		for m, v := range mods {
			if m == "" || (v != "" && !isModuleVersion(v)) {
				t.Fatalf("bad entry %q %q", m, v)
			}
		}
	})
}

// TestModuleRootDir finds where a module path starts in the path of a
// module@version directory: at a module cache's root, or where the
// module's go.mod says; nowhere, for a directory named like an npm
// package at a version.
func TestModuleRootDir(t *testing.T) {
	t.Parallel()
	cacheAt := func(roots ...string) func(string) bool {
		return func(p string) bool { return slices.Contains(roots, p) }
	}
	tomlMod := []byte("module github.com/BurntSushi/toml\n\ngo 1.18\n")
	tests := []struct {
		name, dir   string
		goMod       []byte
		isCacheRoot func(string) bool
		mod, ver    string
	}{
		{"cache with cache/download", "/srv/gocache/github.com/!burnt!sushi/toml@v1.6.0", nil, cacheAt("/srv/gocache"),
			"github.com/BurntSushi/toml", "v1.6.0"},
		{"a dot in a directory above the cache", "/home/j.doe/mc/github.com/!burnt!sushi/toml@v1.6.0", nil, cacheAt("/home/j.doe/mc"),
			"github.com/BurntSushi/toml", "v1.6.0"},
		{"go.mod, no cache root", "/copy/github.com/!burnt!sushi/toml@v1.6.0", tomlMod, nil,
			"github.com/BurntSushi/toml", "v1.6.0"},
		{"a module zip's entries", "github.com/BurntSushi/toml@v1.6.0", nil, cacheAt(""),
			"github.com/BurntSushi/toml", "v1.6.0"},
		{"a module zip, go.mod", "github.com/BurntSushi/toml@v1.6.0", tomlMod, nil,
			"github.com/BurntSushi/toml", "v1.6.0"},
		{"a major version suffix", "/c/gopkg.in/yaml.v3@v3.0.1", nil, cacheAt("/c"), "gopkg.in/yaml.v3", "v3.0.1"},
		{"incompatible", "/c/example.com/m@v2.1.0+incompatible", nil, cacheAt("/c"), "example.com/m", "v2.1.0+incompatible"},
		{"go.mod of another module", "/copy/toml@v1.6.0", tomlMod, nil, "", ""},
		{"no evidence", "/copy/github.com/!burnt!sushi/toml@v1.6.0", nil, cacheAt(), "", ""},
		{"npm version", "/store/lodash@4.17.21", nil, cacheAt("/store", ""), "", ""},
		{"pnpm store", "/app/node_modules/.pnpm/lodash@4.17.21", nil, cacheAt("/app/node_modules"), "", ""},
		{"npm scope", "/app/node_modules/@babel", nil, cacheAt("/app/node_modules"), "", ""},
		{"major version mismatch", "/c/example.com/m/v2@v1.0.0", nil, cacheAt("/c"), "", ""},
		{"not the last element", "/c/example.com/m@v1.0.0/sub", nil, cacheAt("/c"), "", ""},
	}
	for _, tt := range tests {
		mod, ver, ok := ModuleRootDir(tt.dir, tt.goMod, tt.isCacheRoot)
		if mod != tt.mod || ver != tt.ver || ok != (tt.mod != "") {
			t.Errorf("%s: ModuleRootDir(%q) = %q, %q, %v; want %q, %q", tt.name, tt.dir, mod, ver, ok, tt.mod, tt.ver)
		}
	}
}

// TestModuleCacheInfo finds the .info file of a module version from the
// directory the module cache extracts it to, and reads its time, for a
// module the go command downloaded to build this project.
func TestModuleCacheInfo(t *testing.T) {
	t.Parallel()
	root, ok := ModuleCacheRoot("/home/me/go/pkg/mod/github.com/!burnt!sushi/toml@v1.6.0", "github.com/BurntSushi/toml", "v1.6.0")
	if !ok || root != "/home/me/go/pkg/mod" {
		t.Errorf("ModuleCacheRoot = %q, %v", root, ok)
	}
	if _, ok := ModuleCacheRoot("/src/toml", "github.com/BurntSushi/toml", "v1.6.0"); ok {
		t.Error("ModuleCacheRoot of a checkout: ok")
	}
	rel, ok := ModuleInfoPath("github.com/BurntSushi/toml", "v1.6.0")
	if !ok || rel != "cache/download/github.com/!burnt!sushi/toml/@v/v1.6.0.info" {
		t.Errorf("ModuleInfoPath = %q, %v", rel, ok)
	}
	if got := ModuleInfoTime([]byte(`{"Version":"v1.6.0","Time":"2025-12-18T12:15:22Z"}`)); !got.Equal(time.Date(2025, 12, 18, 12, 15, 22, 0, time.UTC)) {
		t.Errorf("ModuleInfoTime = %v", got)
	}
	if got := ModuleInfoTime([]byte(`not json`)); !got.IsZero() {
		t.Errorf("ModuleInfoTime(not json) = %v", got)
	}
	cache := goEnv(t, "GOMODCACHE")
	data, err := os.ReadFile(filepath.Join(cache, filepath.FromSlash(rel)))
	if err != nil {
		t.Skipf("toml v1.6.0 not in the module cache: %v", err)
	}
	if ModuleInfoTime(data).IsZero() {
		t.Errorf("%s: no time read from %s", rel, data)
	}
}

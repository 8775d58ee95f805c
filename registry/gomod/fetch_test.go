package gomod

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/registry/httpget"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
)

// realModule is a small module this repository requires, found in the
// module cache or fetched by the go command.
const realModule = "github.com/creack/pty@v1.1.24"

// downloaded is what go mod download -json says of a module version.
type downloaded struct {
	Path, Version, Info, GoMod, Zip, Sum, GoModSum string
}

// download has the go command fetch mod (skipping t without the
// network) and returns where its files are.
func download(t *testing.T, mod string) downloaded {
	t.Helper()
	var d downloaded
	if err := json.Unmarshal(testnet.GoModDownload(t, "", nil, "-json", mod), &d); err != nil || d.Zip == "" {
		t.Fatalf("go mod download %s: %v", mod, err)
	}
	return d
}

// fileProxy lays out a module proxy in a directory (GOPROXY's file://
// protocol) serving one version of path: its .info, .mod and .zip from
// the files given, and returns its URL.
func fileProxy(t *testing.T, path, version, info, goMod, zipFile string) string {
	t.Helper()
	root := t.TempDir()
	esc, err := module.EscapePath(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	for ext, src := range map[string]string{".info": info, ".mod": goMod, ".zip": zipFile} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, version+ext), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "list"), []byte(version+"\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(root)}).String()
}

// newFetcher returns a fetcher through proxy (a GOPROXY value) into a
// new module cache, without a checksum database unless sumdb is set.
func newFetcher(t *testing.T, proxy, sumdb string) *Fetcher {
	t.Helper()
	if sumdb == "" {
		sumdb = "off"
	}
	env := Env{Proxy: proxy, ModCache: t.TempDir(), SumDB: sumdb, ModCacheRW: true}
	f, err := NewFetcher(context.Background(), env, httpget.New(1, 0), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFetchFileProxy fetches a real module through a chain of file://
// proxies (the first lacks it: a 404 falls through to the next), checks
// it against its go.sum hashes, extracts it where the go command does,
// and finds it in the module cache the second time.
func TestFetchFileProxy(t *testing.T) {
	d := download(t, realModule)
	empty := (&url.URL{Scheme: "file", Path: filepath.ToSlash(t.TempDir())}).String()
	proxy := fileProxy(t, d.Path, d.Version, d.Info, d.GoMod, d.Zip)
	f := newFetcher(t, empty+","+proxy, "")
	ctx := context.Background()
	want := Want{Zip: d.Sum, Mod: d.GoModSum}
	m, err := f.Fetch(ctx, d.Path, "latest", want)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != d.Version || m.Sum != d.Sum || m.Verified != "go.sum" || m.Cached || m.Time.IsZero() {
		t.Errorf("fetched %+v; want version %s, sum %s, verified against go.sum, downloaded, with a time", m, d.Version, d.Sum)
	}
	if _, err := os.Stat(filepath.Join(m.Dir, "go.mod")); err != nil {
		t.Errorf("not extracted: %v", err)
	}
	if !strings.HasPrefix(m.Dir, f.env.ModCache) {
		t.Errorf("extracted to %s, outside the module cache %s", m.Dir, f.env.ModCache)
	}
	again, err := f.Fetch(ctx, d.Path, d.Version, want)
	if err != nil || !again.Cached || again.Dir != m.Dir {
		t.Errorf("fetched again: %+v, %v; want it from the module cache", again, err)
	}
	// A go.mod whose hash is not the go.sum's is refused.
	f = newFetcher(t, proxy, "")
	if _, err := f.Fetch(ctx, d.Path, d.Version, Want{Zip: d.Sum, Mod: strings.Replace(d.GoModSum, "h1:", "h1:A", 1)}); err == nil || !strings.Contains(err.Error(), "SECURITY") {
		t.Errorf("a go.mod with another hash: %v; want a refusal", err)
	}
}

// TestFetchTampered refuses a zip whose hash is not the go.sum's, whether
// the proxy serves it or the module cache holds it, and extracts nothing.
func TestFetchTampered(t *testing.T) {
	d := download(t, realModule)
	other := rezip(t, d.Zip, map[string]string{d.Path + "@" + d.Version + "/extra.go": "package pty\n"})
	ctx := context.Background()
	want := Want{Zip: d.Sum, Mod: d.GoModSum}

	f := newFetcher(t, fileProxy(t, d.Path, d.Version, d.Info, d.GoMod, other), "")
	_, err := f.Fetch(ctx, d.Path, d.Version, want)
	if err == nil || !strings.Contains(err.Error(), "SECURITY: checksum mismatch") {
		t.Fatalf("a tampered download: %v; want a checksum mismatch", err)
	}
	c, _ := f.cachePaths(module.Version{Path: d.Path, Version: d.Version})
	for _, p := range []string{c.base + ".zip", c.dir} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is there after a refused download (%v)", p, err)
		}
	}

	// The genuine zip, fetched; then the cache's copy altered.
	f = newFetcher(t, fileProxy(t, d.Path, d.Version, d.Info, d.GoMod, d.Zip), "")
	if _, err := f.Fetch(ctx, d.Path, d.Version, want); err != nil {
		t.Fatal(err)
	}
	c, _ = f.cachePaths(module.Version{Path: d.Path, Version: d.Version})
	data, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.base+".zip", data, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(ctx, d.Path, d.Version, want); err == nil || !strings.Contains(err.Error(), "SECURITY: the module cache's") {
		t.Errorf("a tampered module cache: %v; want a refusal", err)
	}
}

// rezip copies the zip src with the files extra added, into a new file.
func rezip(t *testing.T, src string, extra map[string]string) string {
	t.Helper()
	r, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := filepath.Join(t.TempDir(), "module.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	for _, zf := range r.File {
		if err := w.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	writeZipFiles(t, w, extra)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeZipFiles adds files (name -> content) to w.
func writeZipFiles(t *testing.T, w *zip.Writer, files map[string]string) {
	t.Helper()
	for name, content := range files {
		fw, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFetchBadZip refuses to extract a module zip with a path that leaves
// the module, or one of another module, though its hash is the one
// wanted: the zip's hash says nothing of its paths.
func TestFetchBadZip(t *testing.T) {
	const path, version = "example.com/crafted", "v1.0.0"
	dir := t.TempDir()
	info := filepath.Join(dir, "info")
	goMod := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(info, []byte(`{"Version":"v1.0.0","Time":"2020-01-02T03:04:05Z"}`), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goMod, []byte("module "+path+"\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	prefix := path + "@" + version + "/"
	cases := map[string]map[string]string{
		"a path leaving the module": {prefix + "go.mod": "module " + path + "\n", prefix + "../escaped.go": "package x\n"},
		"another module's path":     {prefix + "go.mod": "module " + path + "\n", "example.com/other@v1.0.0/x.go": "package x\n"},
		"a path with a backslash":   {prefix + "go.mod": "module " + path + "\n", prefix + `a\..\..\x.go`: "package x\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			zipFile := filepath.Join(t.TempDir(), "m.zip")
			zf, err := os.Create(zipFile)
			if err != nil {
				t.Fatal(err)
			}
			w := zip.NewWriter(zf)
			writeZipFiles(t, w, files)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			zf.Close()
			sum, err := dirhash.HashZip(zipFile, dirhash.DefaultHash)
			if err != nil {
				t.Fatal(err)
			}
			f := newFetcher(t, fileProxy(t, path, version, info, goMod, zipFile), "")
			_, err = f.Fetch(context.Background(), path, version, Want{Zip: sum})
			if err == nil || !strings.Contains(err.Error(), "extract") {
				t.Fatalf("Fetch: %v; want the extraction refused", err)
			}
			c, _ := f.cachePaths(module.Version{Path: path, Version: version})
			if _, err := os.Stat(c.dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s is there after a refused extraction (%v)", c.dir, err)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(c.dir), "escaped.go")); err == nil {
				t.Error("a file was written outside the module")
			}
		})
	}
}

// TestProxySettings honours GONOPROXY (the module is left to the go
// command, which fetches it from its origin), GOPROXY=off, and "|" after
// which any error falls through to the next proxy.
func TestProxySettings(t *testing.T) {
	ctx := context.Background()
	f := newFetcher(t, "off", "")
	if _, err := f.Fetch(ctx, "example.com/m", "v1.0.0", Want{}); err == nil || !strings.Contains(err.Error(), "GOPROXY=off") {
		t.Errorf("GOPROXY=off: %v; want downloads disabled", err)
	}
	f.env.NoProxy = "example.com/private,*.corp.example"
	for path, direct := range map[string]bool{"example.com/private/m": true, "git.corp.example/m": true, "example.com/m": false} {
		err := f.tryProxies(path, func(string) error { return nil })
		if errors.Is(err, errDirect) != direct {
			t.Errorf("GONOPROXY=%s: %s: %v; want direct %v", f.env.NoProxy, path, err, direct)
		}
	}
	if v, err := f.Resolve(ctx, "example.com/private/m", "latest"); err != nil || v != "latest" {
		t.Errorf("Resolve of a GONOPROXY module: %q %v; want the query left to the go command", v, err)
	}

	// A proxy that fails (not with a 404) stops at ",", falls through at "|".
	d := download(t, realModule)
	proxy := fileProxy(t, d.Path, d.Version, d.Info, d.GoMod, d.Zip)
	broken := "http://127.0.0.1:1" // nothing listens on port 1
	for sep, ok := range map[string]bool{",": false, "|": true} {
		f := newFetcher(t, broken+sep+proxy, "")
		_, err := f.Fetch(ctx, d.Path, d.Version, Want{Zip: d.Sum})
		if (err == nil) != ok {
			t.Errorf("GOPROXY=%s%s...: %v; want success %v", broken, sep, err, ok)
		}
	}
}

// TestResolveRetracted resolves "latest" of real modules whose authors
// retracted versions (among them their highest tags) through the Go
// module proxy, and checks each against the go command's own answer.
func TestResolveRetracted(t *testing.T) {
	proxy := testnet.GoProxy(t)
	f := newFetcher(t, proxy, "")
	for _, path := range []string{
		"github.com/prometheus/common", // v1.20.99 and v1.20.0-3, tagged by mistake, are retracted
		"github.com/fsnotify/fsnotify",
		"github.com/github/go-spdx/v2",
	} {
		want := download(t, path+"@latest").Version
		got, err := f.resolve(context.Background(), path, "latest")
		if err != nil || got != want {
			t.Errorf("%s@latest: %q, %v; the go command says %s", path, got, err, want)
		}
	}
}

package registry

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
	"golang.org/x/mod/module"
)

// moduleProxy has the go command fetch the real module mod (skipping t
// without the network), lays out a file:// module proxy serving it, and
// sets the environment for fetches through that proxy alone into a new
// module cache. It returns the module's path, version and go.sum hashes.
func moduleProxy(t *testing.T, mod string) (path, version, sum, modSum string) {
	t.Helper()
	var d struct{ Path, Version, Info, GoMod, Zip, Sum, GoModSum string }
	if err := json.Unmarshal(testnet.GoModDownload(t, "", nil, "-json", mod), &d); err != nil || d.Zip == "" {
		t.Fatalf("go mod download %s: %v", mod, err)
	}
	root := t.TempDir()
	esc, err := module.EscapePath(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	for ext, src := range map[string]string{".info": d.Info, ".mod": d.GoMod, ".zip": d.Zip} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, d.Version+ext), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GOPROXY", (&url.URL{Scheme: "file", Path: filepath.ToSlash(root)}).String())
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOFLAGS", "-modcacherw")
	t.Setenv("GOPRIVATE", "")
	t.Setenv("GONOPROXY", "")
	return d.Path, d.Version, d.Sum, d.GoModSum
}

// TestUnverifiedModules: a module that GOSUMDB=off or GONOSUMDB exempt
// from the checksum database, without a go.sum hash, fails (ErrUnverified)
// unless AllowUnverified, and is then marked unverified; with a go.sum
// hash it is verified against it.
func TestUnverifiedModules(t *testing.T) {
	path, version, sum, modSum := moduleProxy(t, "github.com/creack/pty@v1.1.24")
	for _, exempt := range []struct{ sumdb, nosumdb string }{{"off", ""}, {"sum.golang.org", path}} {
		t.Setenv("GOSUMDB", exempt.sumdb)
		t.Setenv("GONOSUMDB", exempt.nosumdb)
		fetch := func(r Ref, allow bool) *Result {
			t.Helper()
			opts := Options{Jobs: 1, CacheDir: t.TempDir(), Getenv: os.Getenv, WorkDir: t.TempDir(), AllowUnverified: allow}
			return Fetch(context.Background(), []Ref{r}, opts)[0]
		}
		ref := Ref{Ecosystem: Go, Name: path, Query: version, From: "the test"}
		if res := fetch(ref, false); !errors.Is(res.Err, ErrUnverified) || res.State != "" {
			t.Errorf("GOSUMDB=%s GONOSUMDB=%s: %+v; want it refused as unverified", exempt.sumdb, exempt.nosumdb, res)
		}
		if res := fetch(ref, true); res.Err != nil || res.Verified != "" || res.Dir == "" || res.Digest != sum {
			t.Errorf("GOSUMDB=%s GONOSUMDB=%s, allowed: %+v; want it fetched, unverified", exempt.sumdb, exempt.nosumdb, res)
		}
		ref.Want, ref.WantMod = sum, modSum
		if res := fetch(ref, false); res.Err != nil || res.Verified != "go.sum" {
			t.Errorf("GOSUMDB=%s GONOSUMDB=%s, with a go.sum hash: %+v; want it verified against go.sum", exempt.sumdb, exempt.nosumdb, res)
		}
	}
}

package gomod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// cachePaths are a module version's places in the module cache.
type cachePaths struct {
	dl   string // GOMODCACHE/cache/download/<escaped path>/@v
	base string // dl/<escaped version>: + ".zip", ".ziphash", ".info", ".mod", ".lock", ".partial"
	esc  string // the escaped module path, for proxy URLs
	ver  string // the escaped version
	dir  string // GOMODCACHE/<escaped path>@<escaped version>: the extracted module
}

// cachePaths returns where the go command keeps m.
func (f *Fetcher) cachePaths(m module.Version) (cachePaths, error) {
	esc, err := module.EscapePath(m.Path)
	if err != nil {
		return cachePaths{}, err
	}
	ver, err := module.EscapeVersion(m.Version)
	if err != nil {
		return cachePaths{}, err
	}
	dl := filepath.Join(f.env.ModCache, "cache", "download", filepath.FromSlash(esc), "@v")
	return cachePaths{dl: dl, base: filepath.Join(dl, ver), esc: esc, ver: ver,
		dir: filepath.Join(f.env.ModCache, filepath.FromSlash(esc)+"@"+ver)}, nil
}

// zip makes sure the module's zip is in the cache with the hash want
// ("" when nothing is to be checked): a cached zip is hashed again, a
// missing one downloaded. A zip whose hash is not want is refused; one
// downloaded is not kept.
func (f *Fetcher) zip(ctx context.Context, m module.Version, c cachePaths, want string, mod *Module) error {
	zipFile := c.base + ".zip"
	if _, err := os.Stat(zipFile); err == nil {
		sum, err := dirhash.HashZip(zipFile, dirhash.DefaultHash)
		if err != nil {
			return fmt.Errorf("module cache: %s: %w", zipFile, err)
		}
		if want != "" && sum != want {
			return fmt.Errorf("SECURITY: the module cache's %s has hash %s, want %s (from %s): refused", zipFile, sum, want, mod.Verified)
		}
		mod.Sum, mod.Cached = sum, true
		if _, err := os.Stat(c.base + ".ziphash"); err != nil {
			return writeAtomic(c.base+".ziphash", []byte(sum))
		}
		return nil
	}
	tmp, err := os.CreateTemp(c.dl, c.ver+".zip.tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = f.tryProxies(m.Path, func(base string) error {
		return f.http.Download(ctx, base+"/"+c.esc+"/@v/"+c.ver+".zip", maxZip, nil, tmp)
	})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	sum, err := dirhash.HashZip(tmp.Name(), dirhash.DefaultHash)
	if err != nil {
		return fmt.Errorf("downloaded zip: %w", err)
	}
	if want != "" && sum != want {
		return fmt.Errorf("SECURITY: checksum mismatch: the downloaded zip has hash %s, %s says %s: refused", sum, mod.Verified, want)
	}
	mod.Sum = sum
	if err := os.Rename(tmp.Name(), zipFile); err != nil {
		return err
	}
	return writeAtomic(c.base+".ziphash", []byte(sum))
}

// meta makes sure the module's .info and .mod are in the cache, the .mod
// checked against wantMod when it is known, and reads its time.
func (f *Fetcher) meta(ctx context.Context, m module.Version, c cachePaths, wantMod string, mod *Module) error {
	info, err := f.cached(ctx, m, c, ".info", 1<<20)
	if err != nil {
		return err
	}
	var in struct{ Time time.Time }
	if err := json.Unmarshal(info, &in); err != nil {
		return fmt.Errorf("%s.info: %w", c.base, err)
	}
	mod.Time = in.Time
	goMod, err := f.cached(ctx, m, c, ".mod", 16<<20)
	if err != nil {
		return err
	}
	if wantMod != "" {
		sum, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(string(goMod))), nil
		})
		if err != nil {
			return err
		}
		if sum != wantMod {
			os.Remove(c.base + ".mod")
			return fmt.Errorf("SECURITY: checksum mismatch: go.mod has hash %s, want %s: refused", sum, wantMod)
		}
	}
	return nil
}

// cached returns the cache file c.base+ext, downloading it if missing.
func (f *Fetcher) cached(ctx context.Context, m module.Version, c cachePaths, ext string, limit int64) ([]byte, error) {
	if data, err := os.ReadFile(c.base + ext); err == nil {
		return data, nil
	}
	var data []byte
	err := f.tryProxies(m.Path, func(base string) error {
		var err error
		data, err = f.http.Get(ctx, base+"/"+c.esc+"/@v/"+c.ver+ext, limit, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return data, writeAtomic(c.base+ext, data)
}

// extract extracts the cached zip into c.dir as the go command does: a
// ".partial" file marks the extraction until it is done (a directory
// without one is complete), and the tree is made read-only unless
// GOFLAGS has -modcacherw. modzip.Unzip checks every path and size.
func (f *Fetcher) extract(m module.Version, c cachePaths) error {
	partial := c.base + ".partial"
	if _, err := os.Stat(c.dir); err == nil {
		if _, err := os.Stat(partial); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err := removeAll(c.dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(c.dir), 0o777); err != nil {
		return err
	}
	if err := os.WriteFile(partial, nil, 0o666); err != nil {
		return err
	}
	if err := modzip.Unzip(c.dir, m, c.base+".zip"); err != nil {
		if removeAll(c.dir) == nil {
			os.Remove(partial)
		}
		return fmt.Errorf("extract: %w", err)
	}
	if err := os.Remove(partial); err != nil {
		return err
	}
	if !f.env.ModCacheRW {
		readOnly(c.dir)
	}
	return nil
}

// readOnly removes the write permissions of the directories below dir,
// as the go command does (best effort).
func readOnly(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if fi, err := d.Info(); err == nil {
				os.Chmod(p, fi.Mode()&^0o222)
			}
		}
		return nil
	})
}

// removeAll removes dir, making its directories writable first.
func removeAll(dir string) error {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o777)
		}
		return nil
	})
	return os.RemoveAll(dir)
}

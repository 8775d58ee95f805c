package gomod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/snipscan/snipscan/registry/httpget"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb"
	modzip "golang.org/x/mod/zip"
)

// Fetcher downloads module versions into the module cache. Its methods
// may be called from several goroutines.
type Fetcher struct {
	env     Env
	proxies []proxy
	http    *httpget.Client
	sum     *sumdb.Client // nil when GOSUMDB=off
	ops     *sumOps
}

// NewFetcher returns a fetcher for env that makes its requests with
// client; configDir is where it keeps the latest signed tree head of the
// checksum database it verified. ctx bounds the checksum database's
// requests, whose interface takes no context.
func NewFetcher(ctx context.Context, env Env, client *httpget.Client, configDir string) (*Fetcher, error) {
	proxies, err := parseProxies(env.Proxy)
	if err != nil {
		return nil, err
	}
	f := &Fetcher{env: env, proxies: proxies, http: client}
	key, direct, err := sumDBConfig(env.SumDB)
	if err != nil {
		return nil, err
	}
	if key != "" {
		name, _, _ := strings.Cut(key, "+")
		f.ops = &sumOps{ctx: ctx, http: client, key: key, name: name, direct: direct, proxies: proxies,
			cache: filepath.Join(env.ModCache, "cache", "download", "sumdb"), config: configDir}
		f.sum = sumdb.NewClient(f.ops)
		f.sum.SetGONOSUMDB(env.NoSumDB)
	}
	return f, nil
}

// Module is a module version in the module cache.
type Module struct {
	Path, Version string
	Dir           string    // where it is extracted
	Sum           string    // the h1: hash of its zip
	Time          time.Time // when it was published (its .info's Time)
	Cached        bool      // its zip was in the module cache: nothing was downloaded
	// Verified says against what its hash was checked: "go.sum", "the
	// checksum database", or "go mod download" (fetched by the go
	// command from its origin); "" when GONOSUMDB, GOPRIVATE or
	// GOSUMDB=off exempt it, as they exempt it from the go command's
	// checks.
	Verified string
}

// Want is what a module's hashes must be, from a go.sum; empty fields
// are looked up in the checksum database.
type Want struct {
	Zip, Mod string // h1: hashes of the zip and of the go.mod
}

// Fetch downloads the module path at query (a canonical version, or
// "latest") into the module cache, unless it is there, verifies it, and
// extracts it where the go command would.
func (f *Fetcher) Fetch(ctx context.Context, path, query string, want Want) (*Module, error) {
	if err := module.CheckPath(path); err != nil {
		return nil, err
	}
	version, err := f.resolve(ctx, path, query)
	if errors.Is(err, errDirect) {
		return f.direct(ctx, path, query, want)
	}
	if err != nil {
		return nil, err
	}
	m := module.Version{Path: path, Version: version}
	if err := module.Check(path, version); err != nil {
		return nil, err
	}
	c, err := f.cachePaths(m)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.dl, 0o777); err != nil {
		return nil, err
	}
	unlock, err := lockFile(c.base + ".lock")
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", c.base+".lock", err)
	}
	defer unlock()
	mod := &Module{Path: path, Version: version, Dir: c.dir}
	if err := f.expect(m, &want, mod); err != nil {
		return nil, err
	}
	if err := f.zip(ctx, m, c, want.Zip, mod); err != nil {
		return nil, err
	}
	if err := f.meta(ctx, m, c, want.Mod, mod); err != nil {
		return nil, err
	}
	return mod, f.extract(m, c)
}

// Resolve turns query into a version, as Fetch would (see resolve); a
// module fetched from its origin keeps query, which the go command
// resolves.
func (f *Fetcher) Resolve(ctx context.Context, path, query string) (string, error) {
	v, err := f.resolve(ctx, path, query)
	if errors.Is(err, errDirect) {
		return query, nil
	}
	return v, err
}

// resolve turns query into a version: "latest" is the highest release
// version the proxy lists (else its highest pre-release, else its
// @latest) that its author has not retracted, as the go command picks it:
// the retractions are those of the go.mod of the highest version listed.
func (f *Fetcher) resolve(ctx context.Context, path, query string) (string, error) {
	if query != "latest" {
		if !semver.IsValid(query) || semver.Canonical(query) != query && module.CanonicalVersion(query) != query {
			return "", fmt.Errorf("version %q: want a canonical version (v1.2.3) or latest", query)
		}
		if module.MatchPrefixPatterns(f.env.NoProxy, path) {
			return "", errDirect
		}
		return query, nil
	}
	esc, err := module.EscapePath(path)
	if err != nil {
		return "", err
	}
	var version string
	err = f.tryProxies(path, func(base string) error {
		list, err := f.http.Get(ctx, base+"/"+esc+"/@v/list", 16<<20, nil)
		if err != nil {
			return err
		}
		versions := strings.Fields(string(list))
		if top := highest(versions); top != "" {
			retracted, err := f.retractions(ctx, base, module.Version{Path: path, Version: top})
			if err != nil {
				// As the go command does: retractions that cannot be
				// read retract nothing.
				retracted = func(string) bool { return false }
			}
			if version = highest(slices.DeleteFunc(versions, retracted)); version == "" {
				return fmt.Errorf("every version of %s is retracted by its author (go.mod of %s): name one", path, top)
			}
			return nil
		}
		data, err := f.http.Get(ctx, base+"/"+esc+"/@latest", 1<<20, nil)
		if err != nil {
			return err
		}
		var info struct{ Version string }
		if err := json.Unmarshal(data, &info); err != nil || info.Version == "" {
			return fmt.Errorf("%s/@latest: not a version's information", base)
		}
		version = info.Version
		return nil
	})
	if err != nil {
		return "", err
	}
	return version, nil
}

// retractions returns whether a version is retracted by the go.mod of
// m, read from the module cache or from the proxy at base (not kept:
// nothing checked its hash).
func (f *Fetcher) retractions(ctx context.Context, base string, m module.Version) (func(string) bool, error) {
	c, err := f.cachePaths(m)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(c.base + ".mod")
	if err != nil {
		if data, err = f.http.Get(ctx, base+"/"+c.esc+"/@v/"+c.ver+".mod", 16<<20, nil); err != nil {
			return nil, err
		}
	}
	mf, err := modfile.ParseLax(m.Path+"@"+m.Version+"/go.mod", data, nil)
	if err != nil {
		return nil, fmt.Errorf("the go.mod of %s@%s, for its retractions: %w", m.Path, m.Version, err)
	}
	return func(v string) bool {
		for _, r := range mf.Retract {
			if semver.Compare(r.Low, v) <= 0 && semver.Compare(v, r.High) <= 0 {
				return true
			}
		}
		return false
	}, nil
}

// highest returns the highest release version of list, else its highest
// pre-release, else "".
func highest(list []string) string {
	best, bestPre := "", ""
	for _, v := range list {
		if !semver.IsValid(v) {
			continue
		}
		if semver.Prerelease(v) == "" {
			if best == "" || semver.Compare(v, best) > 0 {
				best = v
			}
		} else if bestPre == "" || semver.Compare(v, bestPre) > 0 {
			bestPre = v
		}
	}
	if best != "" {
		return best
	}
	return bestPre
}

// expect fills in from the checksum database the hashes want does not
// give, and says in mod.Verified against what the zip will be checked.
func (f *Fetcher) expect(m module.Version, want *Want, mod *Module) error {
	if want.Zip != "" {
		mod.Verified = "go.sum"
		return nil
	}
	if f.sum == nil {
		return nil
	}
	lines, err := f.sum.Lookup(m.Path, m.Version)
	if errors.Is(err, sumdb.ErrGONOSUMDB) {
		return nil
	}
	if err != nil {
		if errors.Is(err, sumdb.ErrSecurity) {
			f.ops.mu.Lock()
			err = fmt.Errorf("%w: %s", err, strings.Join(f.ops.security, "; "))
			f.ops.mu.Unlock()
		}
		return fmt.Errorf("checksum database: %w", err)
	}
	prefix := m.Path + " " + m.Version + " "
	modPrefix := m.Path + " " + m.Version + "/go.mod "
	for _, l := range lines {
		if h, ok := strings.CutPrefix(l, prefix); ok {
			want.Zip = h
		} else if h, ok := strings.CutPrefix(l, modPrefix); ok && want.Mod == "" {
			want.Mod = h
		}
	}
	if want.Zip == "" {
		return fmt.Errorf("checksum database: no hash of %s@%s", m.Path, m.Version)
	}
	mod.Verified = "the checksum database"
	return nil
}

// maxZip bounds a module zip, as the module zip format does.
const maxZip = modzip.MaxZipFile

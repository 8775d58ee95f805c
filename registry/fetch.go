package registry

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snipscan/snipscan/pkgmeta"
	"github.com/snipscan/snipscan/registry/gomod"
	"github.com/snipscan/snipscan/registry/httpget"
	"github.com/snipscan/snipscan/registry/npm"
	"golang.org/x/mod/module"
)

// Result is what became of one reference.
type Result struct {
	Ref       Ref
	Name      string
	Version   string // resolved
	PURL      string
	Dir       string // the extracted package, to index
	Digest    string // the verified hash: a module zip's h1:, an npm tarball's integrity
	Published time.Time
	// State is "fetched" (downloaded), "cached" (found in the cache) or
	// "indexed" (already in the corpus: neither fetched nor indexed
	// again); "" when Err is set.
	State string
	// Verified says against what the hash was checked; "" when the
	// user's configuration exempts the package (GONOSUMDB, GOSUMDB=off).
	Verified string
	Err      error
}

// Known says whether the corpus already holds the package purl, fetched
// and indexed to its end, and the digest it had then.
type Known func(purl string) (digest string, ok bool, err error)

// Options configure Fetch.
type Options struct {
	Jobs     int    // concurrent fetches (at least 1)
	CacheDir string // snipscan's cache: npm packages, the checksum database's tree head
	Getenv   func(string) string
	WorkDir  string        // where the project's .npmrc is looked for
	Known    Known         // may be nil
	Bytes    *atomic.Int64 // counts the bytes downloaded, if set
	Done     func(*Result) // called as each reference is done (from several goroutines)
	// AllowUnverified accepts the Go modules that the user's
	// configuration exempts from the checksum database (GONOSUMDB,
	// GOPRIVATE, GOSUMDB=off) and for which no go.sum line gives a hash:
	// nothing but the proxy vouches for their content. Without it, such a
	// module fails (ErrUnverified), and is not indexed.
	AllowUnverified bool
}

// ErrUnverified is the failure of a module whose content nothing
// verified: the user's configuration exempts it from the checksum
// database and no go.sum line gives its hash.
var ErrUnverified = errors.New("not verified")

// fetcher holds what the fetches of one run share.
type fetcher struct {
	opts  Options
	http  *httpget.Client
	goEnv func() (*gomod.Fetcher, error)
	npm   npm.Registries
}

// Fetch fetches refs, at most opts.Jobs at a time, and returns a result
// for each, in order. A failure of one does not stop the others.
func Fetch(ctx context.Context, refs []Ref, opts Options) []*Result {
	f := &fetcher{opts: opts, http: httpget.New(4, 500*time.Millisecond)}
	f.npm = npm.LoadRegistries(opts.Getenv, opts.WorkDir)
	f.goEnv = sync.OnceValues(func() (*gomod.Fetcher, error) {
		env, err := gomod.LoadEnv(ctx, opts.Getenv)
		if err != nil {
			return nil, err
		}
		return gomod.NewFetcher(ctx, env, f.http, filepath.Join(opts.CacheDir, "sumdb"))
	})
	results := make([]*Result, len(refs))
	sem := make(chan struct{}, max(opts.Jobs, 1))
	var wg sync.WaitGroup
	for i, r := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res := f.one(ctx, r)
			if opts.Bytes != nil {
				opts.Bytes.Store(f.http.Bytes.Load())
			}
			results[i] = res
			if opts.Done != nil {
				opts.Done(res)
			}
		}()
	}
	wg.Wait()
	return results
}

// one fetches one reference.
func (f *fetcher) one(ctx context.Context, r Ref) *Result {
	res := &Result{Ref: r, Name: r.Name}
	var err error
	switch r.Ecosystem {
	case Go:
		err = f.goModule(ctx, res)
	case NPM:
		err = f.npmPackage(ctx, res)
	default:
		err = fmt.Errorf("unknown ecosystem %q", r.Ecosystem)
	}
	if err != nil {
		res.Err, res.State = err, ""
	}
	return res
}

// known reports whether the corpus holds res's package (res.PURL) already:
// then res is marked so. A corpus record whose digest is not the one
// wanted is an error.
func (f *fetcher) known(res *Result, want string) (bool, error) {
	if f.opts.Known == nil {
		return false, nil
	}
	digest, ok, err := f.opts.Known(res.PURL)
	if err != nil || !ok {
		return false, err
	}
	if want != "" && digest != want {
		return false, fmt.Errorf("SECURITY: the corpus indexed %s with hash %s, but %s says %s", res.PURL, digest, res.Ref.From, want)
	}
	res.State, res.Digest = "indexed", digest
	return true, nil
}

// goModule fetches a Go module version into the module cache.
func (f *fetcher) goModule(ctx context.Context, res *Result) error {
	gf, err := f.goEnv()
	if err != nil {
		return err
	}
	r := res.Ref
	version, err := gf.Resolve(ctx, r.Name, r.Query)
	if err != nil {
		return err
	}
	if module.CanonicalVersion(version) == version {
		res.Version, res.PURL = version, pkgmeta.BuildPURL(pkgmeta.EcosystemGo, r.Name, version)
		if ok, err := f.known(res, r.Want); ok || err != nil {
			return err
		}
	}
	m, err := gf.Fetch(ctx, r.Name, version, gomod.Want{Zip: r.Want, Mod: r.WantMod})
	if err != nil {
		return err
	}
	res.Version, res.Dir, res.Digest, res.Published, res.Verified = m.Version, m.Dir, m.Sum, m.Time, m.Verified
	res.PURL = pkgmeta.BuildPURL(pkgmeta.EcosystemGo, r.Name, m.Version)
	if m.Verified == "" && !f.opts.AllowUnverified {
		return fmt.Errorf("%w: GONOSUMDB, GOPRIVATE or GOSUMDB=off exempt %s@%s from the checksum database and no go.sum line (--deps) gives its hash, so nothing but the proxy vouches for its content; --allow-unverified indexes it anyway",
			ErrUnverified, r.Name, m.Version)
	}
	res.State = "fetched"
	if m.Cached {
		res.State = "cached"
	}
	return nil
}

// npmPackage fetches an npm package version into snipscan's cache.
func (f *fetcher) npmPackage(ctx context.Context, res *Result) error {
	r := res.Ref
	reg := f.npm.For(r.Name)
	if npm.IsVersion(r.Query) {
		// An exact version (published versions never change): the
		// corpus may answer without asking the registry, checking a lock
		// file's integrity if there is one.
		res.Version, res.PURL = r.Query, pkgmeta.BuildPURL(pkgmeta.EcosystemNPM, r.Name, r.Query)
		if ok, err := f.known(res, r.Want); ok || err != nil {
			return err
		}
	}
	v, err := npm.Resolve(ctx, f.http, reg, r.Name, r.Query, f.npm.Header)
	if err != nil {
		return err
	}
	res.Version, res.PURL = v.Version, pkgmeta.BuildPURL(pkgmeta.EcosystemNPM, r.Name, v.Version)
	if r.Want != "" && r.Want != v.Integrity && sameAlg(r.Want, v.Integrity) {
		return fmt.Errorf("SECURITY: %s says integrity %s, the registry %s", r.From, r.Want, v.Integrity)
	}
	if ok, err := f.known(res, v.Integrity); ok || err != nil {
		return err
	}
	p, err := npm.Fetch(ctx, f.http, v, filepath.Join(f.opts.CacheDir, "npm"))
	if err != nil {
		return err
	}
	res.Dir, res.Digest, res.Published, res.Verified = p.Dir, v.Integrity, v.Time, "the registry's integrity"
	res.State = "fetched"
	if p.Cached {
		res.State = "cached"
	}
	return nil
}

// sameAlg reports whether two integrity strings start with the same
// algorithm, so that they must be equal (a lock file may record an old
// package's sha1 where the registry now also gives its sha512).
func sameAlg(a, b string) bool {
	ai, bi := strings.IndexByte(a, '-'), strings.IndexByte(b, '-')
	return ai > 0 && bi > 0 && a[:ai] == b[:bi]
}

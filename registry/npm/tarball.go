package npm

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/snipscan/snipscan/registry/httpget"
)

// Package is a package version fetched and extracted.
type Package struct {
	Version
	Dir    string // the extracted package (its package.json at the top)
	Cached bool   // its tarball was in the cache: nothing was downloaded
}

// sriAlgs are the Subresource Integrity algorithms, strongest first.
var sriAlgs = []struct {
	name string
	new  func() hash.Hash
}{{"sha512", sha512.New}, {"sha384", sha512.New384}, {"sha256", sha256.New}, {"sha1", sha1.New}}

// strongest returns the algorithm and the hex digest of the strongest
// hash of the SRI string integrity (several may be given, space
// separated).
func strongest(integrity string) (alg string, newHash func() hash.Hash, digest string, err error) {
	for _, a := range sriAlgs {
		for _, f := range strings.Fields(integrity) {
			b64, ok := strings.CutPrefix(f, a.name+"-")
			if !ok {
				continue
			}
			b64, _, _ = strings.Cut(b64, "?") // options
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || len(raw) != a.new().Size() {
				return "", nil, "", fmt.Errorf("integrity %q: not a %s digest", f, a.name)
			}
			return a.name, a.new, hex.EncodeToString(raw), nil
		}
	}
	return "", nil, "", fmt.Errorf("integrity %q: no sha512, sha384, sha256 or sha1 digest", integrity)
}

// hexToBase64 turns a hex digest (npm's shasum) into base64, as SRI
// spells it ("" if it is not hex).
func hexToBase64(h string) string {
	raw, err := hex.DecodeString(h)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// maxTarball bounds a package tarball.
const maxTarball = 512 << 20

// Fetch makes sure the tarball of v is in cacheDir, verified against its
// integrity (a cached tarball that fails is removed and downloaded again;
// a download that fails is refused), and extracted, and returns where.
// The tarball is kept as cacheDir/tarballs/<alg>-<hex>.tgz, the package
// as cacheDir/packages/<name>@<version>-<alg>-<hex prefix>.
func Fetch(ctx context.Context, c *httpget.Client, v *Version, cacheDir string) (*Package, error) {
	alg, newHash, digest, err := strongest(v.Integrity)
	if err != nil {
		return nil, err
	}
	key := alg + "-" + digest
	tgz := filepath.Join(cacheDir, "tarballs", key+".tgz")
	dir := filepath.Join(cacheDir, "packages", filepath.FromSlash(v.Name)+"@"+v.Version+"-"+alg+"-"+digest[:16])
	p := &Package{Version: *v, Dir: dir}
	if sum, err := hashFile(tgz, newHash); err == nil && sum == digest {
		p.Cached = true
	} else {
		// Missing, or altered since it was verified: not to be trusted,
		// nor what was extracted from it.
		os.Remove(tgz)
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		if err := download(ctx, c, v, tgz, newHash, digest); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(dir); err == nil {
		return p, nil // extracted by an earlier run: only complete trees are renamed into place
	}
	return p, extract(tgz, dir)
}

// download fetches v's tarball into tgz if its hash is digest.
func download(ctx context.Context, c *httpget.Client, v *Version, tgz string, newHash func() hash.Hash, digest string) error {
	if err := os.MkdirAll(filepath.Dir(tgz), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(tgz), filepath.Base(tgz)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = c.Download(ctx, v.Tarball, maxTarball, v.Header, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	sum, err := hashFile(tmp.Name(), newHash)
	if err != nil {
		return err
	}
	if sum != digest {
		return fmt.Errorf("SECURITY: integrity mismatch: the tarball %s has a digest other than the registry's %s: refused", v.Tarball, v.Integrity)
	}
	return os.Rename(tmp.Name(), tgz)
}

// hashFile returns the hex digest of the file at path.
func hashFile(path string, newHash func() hash.Hash) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := newHash()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

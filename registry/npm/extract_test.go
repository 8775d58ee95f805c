package npm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/registry/httpget"
)

// entry is one member of a tarball crafted by a test.
type entry struct {
	name, body, link string
	typ              byte
	size             int64 // declared size, when not the body's; the body is then not written
}

// craft writes a gzipped tarball of entries into dir and returns its
// path. An entry whose declared size is not its body's ends the tarball
// after its header (the reader must refuse it before reading its body).
func craft(t *testing.T, dir string, entries []entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Linkname: e.link}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
			if e.size != 0 {
				h.Size = e.size
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.size != 0 {
			break // the header alone
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	tw.Flush()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "crafted.tgz")
	if err := os.WriteFile(p, buf.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

// files lists the paths below dir (slash separated, directories with a
// trailing slash).
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			rel += "/"
		} else if !d.Type().IsRegular() {
			rel += " (not a regular file)"
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExtractRefused refuses tarballs with a path leaving the package, an
// absolute path, an entry past the size limit, or too many entries, and
// leaves nothing behind.
func TestExtractRefused(t *testing.T) {
	ok := entry{name: "package/package.json", body: `{"name":"x","version":"1.0.0"}`}
	cases := map[string]struct {
		entries []entry
		msg     string
	}{
		"a path leaving the package":         {[]entry{ok, {name: "package/../../escaped.js", body: "evil()"}}, "outside the package"},
		"a path leaving through a directory": {[]entry{ok, {name: "package/lib/../../../escaped.js", body: "evil()"}}, "outside the package"},
		"an absolute path":                   {[]entry{ok, {name: "/package/escaped.js", body: "evil()"}}, "outside the package"},
		"a backslashed path":                 {[]entry{ok, {name: `package\..\..\escaped.js`, body: "evil()"}}, "outside the package"},
		"a huge entry":                       {[]entry{ok, {name: "package/huge.js", size: maxUnpacked + 1}}, "bytes unpacked"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tgz := craft(t, dir, c.entries)
			dest := filepath.Join(dir, "out", "pkg")
			err := extract(tgz, dest)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("extract: %v; want an error saying %q", err, c.msg)
			}
			if got := files(t, filepath.Join(dir, "out")); len(got) != 0 {
				t.Errorf("left behind: %v", got)
			}
			if _, err := os.Stat(filepath.Join(dir, "escaped.js")); err == nil {
				t.Error("a file was written outside the package")
			}
		})
	}
}

// TestExtractTooMany refuses a tarball of more entries than the limit
// (links, which are not written, so that the test writes nothing).
func TestExtractTooMany(t *testing.T) {
	entries := make([]entry, maxEntries+1)
	for i := range entries {
		entries[i] = entry{name: "package/l", typ: tar.TypeSymlink, link: "x"}
	}
	dir := t.TempDir()
	err := extract(craft(t, dir, entries), filepath.Join(dir, "out", "pkg"))
	if err == nil || !strings.Contains(err.Error(), "entries") {
		t.Fatalf("extract: %v; want too many entries refused", err)
	}
	if got := files(t, filepath.Join(dir, "out")); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// TestExtractSkipsLinks extracts regular files and directories, drops the
// first element of each name, and skips symbolic links, hard links and
// special files, wherever they point.
func TestExtractSkipsLinks(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	tgz := craft(t, dir, []entry{
		{name: "package/", typ: tar.TypeDir},
		{name: "package/package.json", body: `{"name":"x","version":"1.0.0"}`},
		{name: "package/lib/index.js", body: "module.exports = 1\n"},
		{name: "package/symlink.js", typ: tar.TypeSymlink, link: secret},
		{name: "package/lib/up.js", typ: tar.TypeSymlink, link: "../../secret"},
		{name: "package/hardlink.js", typ: tar.TypeLink, link: secret},
		{name: "package/fifo", typ: tar.TypeFifo},
		{name: "package/./lib//other.js", body: "x\n"},
		{name: "other-top/readme.md", body: "# x\n"},
	})
	dest := filepath.Join(dir, "out", "pkg")
	if err := extract(tgz, dest); err != nil {
		t.Fatal(err)
	}
	want := "lib/ lib/index.js lib/other.js package.json readme.md"
	if got := strings.Join(files(t, dest), " "); got != want {
		t.Errorf("extracted %s; want %s", got, want)
	}
}

// sri returns the sha512 Subresource Integrity of the file at p.
func sri(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// fileURL returns the file:// URL of p.
func fileURL(p string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}

// TestFetchTarball fetches a real npm tarball (packed by npm) from a
// file:// URL: checked against its integrity, cached, extracted; a
// tarball whose digest is not the integrity is refused and not cached; a
// cached tarball altered since is downloaded again.
func TestFetchTarball(t *testing.T) {
	src := testnet.NPMPack(t, t.TempDir(), "is-number@7.0.0")
	cache := t.TempDir()
	c := httpget.New(1, 0)
	ctx := context.Background()
	v := &Version{Name: "is-number", Version: "7.0.0", Tarball: fileURL(src), Integrity: sri(t, src)}
	p, err := Fetch(ctx, c, v, cache)
	if err != nil {
		t.Fatal(err)
	}
	if p.Cached {
		t.Error("first fetch: cached")
	}
	if _, err := os.Stat(filepath.Join(p.Dir, "package.json")); err != nil {
		t.Errorf("not extracted: %v", err)
	}
	if p, err := Fetch(ctx, c, v, cache); err != nil || !p.Cached {
		t.Errorf("second fetch: %+v, %v; want it from the cache", p, err)
	}

	// Another package's tarball under this one's integrity.
	other := craft(t, t.TempDir(), []entry{{name: "package/index.js", body: "evil()\n"}})
	bad := &Version{Name: "is-number", Version: "7.0.1", Tarball: fileURL(other), Integrity: v.Integrity}
	if _, err := Fetch(ctx, c, bad, t.TempDir()); err == nil || !strings.Contains(err.Error(), "SECURITY: integrity mismatch") {
		t.Errorf("a tarball with another digest: %v; want a refusal", err)
	}
	// A weaker algorithm is checked too.
	sha1 := &Version{Name: "is-number", Version: "7.0.0", Tarball: fileURL(other), Integrity: "sha1-" + hexToBase64("0000000000000000000000000000000000000000")}
	if _, err := Fetch(ctx, c, sha1, t.TempDir()); err == nil || !strings.Contains(err.Error(), "SECURITY") {
		t.Errorf("a tarball with another sha1: %v; want a refusal", err)
	}

	// The cached tarball altered: not trusted, fetched again.
	entries, err := os.ReadDir(filepath.Join(cache, "tarballs"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache: %v %v", entries, err)
	}
	cached := filepath.Join(cache, "tarballs", entries[0].Name())
	if err := os.WriteFile(cached, []byte("altered"), 0o666); err != nil {
		t.Fatal(err)
	}
	if p, err := Fetch(ctx, c, v, cache); err != nil || p.Cached {
		t.Errorf("an altered cache: %+v, %v; want a new download", p, err)
	}
	if sri(t, cached) != v.Integrity {
		t.Error("the altered tarball is still cached")
	}
}

// TestStrongest picks the strongest digest of an integrity string and
// refuses malformed ones.
func TestStrongest(t *testing.T) {
	sum := sha512.Sum512([]byte("x"))
	b64 := base64.StdEncoding.EncodeToString(sum[:])
	alg, _, digest, err := strongest("sha1-" + hexToBase64("11f6ad8ec52a2984abaafd7c3b516503785c2072") + " sha512-" + b64)
	if err != nil || alg != "sha512" || len(digest) != 128 {
		t.Errorf("strongest: %s %s %v; want sha512", alg, digest, err)
	}
	for _, bad := range []string{"", "md5-abc", "sha512-short", "sha512-!!!"} {
		if _, _, _, err := strongest(bad); err == nil {
			t.Errorf("strongest(%q): want an error", bad)
		}
	}
}

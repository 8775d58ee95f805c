package npm

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Extraction limits: a tarball past them is refused.
const (
	maxUnpacked = 1 << 30 // bytes of all files
	maxEntries  = 200_000
)

// extract unpacks the npm tarball tgz into dir, through a temporary
// directory renamed into place once complete. As npm does, it drops the
// first element of each name ("package/"), and keeps only regular files
// and directories (no links, devices or FIFOs); a name that would leave
// the package, or a tarball past the limits, is refused.
func extract(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := os.MkdirAll(filepath.Dir(dir), 0o777); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := unpack(f, tmp); err != nil {
		return fmt.Errorf("extract %s: %w", tgz, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return nil // another run extracted it meanwhile
		}
		return err
	}
	return nil
}

// unpack writes the entries of the gzipped tar r below dir.
func unpack(r io.Reader, dir string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	var total int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if n >= maxEntries {
			return fmt.Errorf("more than %d entries", maxEntries)
		}
		rel, ok := entryPath(h.Name)
		if !ok {
			return fmt.Errorf("entry %q: a path outside the package", h.Name)
		}
		if rel == "" {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse:
			total += h.Size
			if h.Size < 0 || total > maxUnpacked {
				return fmt.Errorf("more than %d bytes unpacked", maxUnpacked)
			}
			if err := writeEntry(target, tr, h); err != nil {
				return err
			}
		}
	}
}

// entryPath returns the slash path of a tar entry below the package, its
// first element dropped; ok is false for a path that would leave it.
func entryPath(name string) (string, bool) {
	name = strings.ReplaceAll(name, "\\", "/")
	_, rest, found := strings.Cut(strings.TrimLeft(name, "/"), "/")
	if !found || rest == "" || strings.Trim(rest, "/") == "" {
		return "", true
	}
	clean := path.Clean(rest)
	if !filepath.IsLocal(filepath.FromSlash(clean)) || strings.HasPrefix(name, "/") {
		return "", false
	}
	return clean, true
}

// writeEntry writes one regular file, executable if the entry is.
func writeEntry(target string, r io.Reader, h *tar.Header) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if h.Mode&0o111 != 0 {
		mode = 0o755
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	_, err = io.CopyN(out, r, h.Size)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

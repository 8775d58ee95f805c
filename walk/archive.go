package walk

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/ulikunitz/xz"
)

// archive walks the archive at abs. Errors inside the archive (corrupt or
// truncated data) are reported as a skip of the archive; files visited
// before the damage stay visited.
func (w *walker) archive(root *Root, abs string, size int64) error {
	w.exclDirs = map[string]bool{}
	var err error
	switch root.Kind {
	case "zip":
		err = w.zip(root, abs, size)
	default:
		err = w.tar(root)
	}
	var ae *archiveError
	if errors.As(err, &ae) {
		w.skipf(root.Display, ae.reason, ae.err)
		return nil
	}
	return err
}

// archiveError is a problem with the archive itself.
type archiveError struct {
	reason string
	err    error
}

func (e *archiveError) Error() string { return e.reason + ": " + e.err.Error() }

// excluded reports whether Options.Exclude rules out the archive member
// rel or a directory above it: directories of an archive are asked about
// like those of a tree, once each.
func (w *walker) excluded(root *Root, rel string) bool {
	if w.opts.Exclude == nil {
		return false
	}
	for i := 0; i < len(rel); i++ {
		if rel[i] != '/' {
			continue
		}
		dir := rel[:i]
		ex, ok := w.exclDirs[dir]
		if !ok {
			ex = w.opts.Exclude(root, dir, true)
			w.exclDirs[dir] = ex
		}
		if ex {
			return true
		}
	}
	return w.opts.Exclude(root, rel, false)
}

// cleanName validates an archive member name and returns it as a clean
// slash path, or false for names that would escape the root (../x, /x,
// C:\x) or are otherwise unusable.
func cleanName(name string) (string, bool) {
	if name == "" || strings.ContainsRune(name, 0) || strings.Contains(name, "\\") {
		return "", false
	}
	if strings.HasPrefix(name, "/") || len(name) > 1 && name[1] == ':' {
		return "", false
	}
	clean := path.Clean(name)
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", false
	}
	return clean, true
}

// tree builds Dir nodes for member paths of an archive.
type tree struct {
	root *Root
	dirs map[string]*Dir
	meta map[string][]byte // cached metadata files, by slash path
	zipf map[string]*zip.File
}

func newTree(root *Root) *tree {
	t := &tree{root: root, dirs: map[string]*Dir{}, meta: map[string][]byte{}, zipf: map[string]*zip.File{}}
	t.dirs[""] = t.newDir(nil, "")
	return t
}

func (t *tree) newDir(parent *Dir, rel string) *Dir {
	d := &Dir{Parent: parent, Rel: rel, Root: t.root}
	d.read = func(name string) ([]byte, error) {
		p := path.Join(rel, name)
		if b, ok := t.meta[p]; ok {
			return b, nil
		}
		if zf := t.zipf[p]; zf != nil {
			if zf.UncompressedSize64 > maxMetaFile {
				return nil, fmt.Errorf("%s: %w", p, ErrTooLarge)
			}
			rc, err := zf.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(io.LimitReader(rc, maxMetaFile))
		}
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	return d
}

// dir returns the Dir for slash path rel, creating it and its ancestors.
func (t *tree) dir(rel string) *Dir {
	if d, ok := t.dirs[rel]; ok {
		return d
	}
	parent := t.dir(parentDir(rel))
	d := t.newDir(parent, rel)
	t.dirs[rel] = d
	return d
}

func parentDir(rel string) string {
	p := path.Dir(rel)
	if p == "." {
		return ""
	}
	return p
}

// limits tracks the bytes read from one archive.
type limits struct {
	w    *walker
	read int64
}

func (l *limits) add(n int64) error {
	l.read += n
	if l.read > l.w.opts.MaxArchiveBytes {
		return &archiveError{ReasonArchiveLimit, fmt.Errorf("more than %d bytes uncompressed", l.w.opts.MaxArchiveBytes)}
	}
	return nil
}

func (w *walker) zip(root *Root, abs string, size int64) error {
	f, err := os.Open(abs)
	if err != nil {
		return &archiveError{ReasonUnreadable, err}
	}
	defer f.Close()
	zr, err := zip.NewReader(f, size)
	if errors.Is(err, zip.ErrInsecurePath) && zr != nil {
		// GODEBUG=zipinsecurepath=0: the names are checked one by one
		// below, an unsafe one is a skip of that member only.
		err = nil
	}
	if err != nil {
		return &archiveError{ReasonCorrupt, err}
	}
	t := newTree(root)
	type member struct {
		rel string
		zf  *zip.File
	}
	var members []member
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		rel, ok := cleanName(zf.Name)
		if !ok {
			w.skipFile(DisplayPath(root.Display, zf.Name), zf.Name, ReasonUnsafePath, nil)
			continue
		}
		if w.excluded(root, rel) {
			continue
		}
		if zf.Mode()&fs.ModeSymlink != 0 {
			continue // as in a tar stream: its target is a member of its own, or outside the archive
		}
		if !zf.Mode().IsRegular() {
			w.skipFile(DisplayPath(root.Display, rel), rel, ReasonSpecial, nil)
			continue
		}
		if _, dup := t.zipf[rel]; dup {
			w.skipFile(DisplayPath(root.Display, rel), rel, ReasonUnsafePath, errors.New("duplicate member name"))
			continue
		}
		t.zipf[rel] = zf
		if w.opts.Meta != nil && w.opts.Meta(path.Base(rel)) && zf.UncompressedSize64 <= maxMetaFile &&
			!(zf.CompressedSize64 > 0 && zf.UncompressedSize64/zf.CompressedSize64 > uint64(w.opts.MaxRatio)) {
			// Kept in memory, as in a tar stream: Dir.ReadFile must serve
			// it after the archive is closed too (an indexer's workers
			// look at a file's license and manifest after its visit).
			if b, err := readMember(zf, maxMetaFile); err == nil {
				t.meta[rel] = b
			}
		}
		d := t.dir(parentDir(rel))
		d.Names = append(d.Names, path.Base(rel))
		members = append(members, member{rel, zf})
	}
	sort.Slice(members, func(i, j int) bool { return members[i].rel < members[j].rel })
	lim := &limits{w: w}
	for _, m := range members {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		zf := m.zf
		file := &File{Root: root, Dir: t.dir(parentDir(m.rel)), Rel: m.rel, Size: int64(zf.UncompressedSize64),
			ModTime: zf.Modified.UnixNano()}
		if zf.Modified.IsZero() {
			file.ModTime = 0
		}
		if !w.wanted(file) {
			continue
		}
		if zf.UncompressedSize64 > uint64(w.opts.MaxFileSize) {
			w.tooLarge(file, zipHead(zf))
			continue
		}
		if zf.CompressedSize64 > 0 && zf.UncompressedSize64/zf.CompressedSize64 > uint64(w.opts.MaxRatio) {
			w.skipf(file.Path(), ReasonArchiveLimit, fmt.Errorf("compression ratio over %d", w.opts.MaxRatio))
			continue
		}
		if err := lim.add(int64(zf.UncompressedSize64)); err != nil {
			return err
		}
		// The member is read here, while the archive is open; the
		// header's sizes are not trusted.
		data, err := readMember(zf, w.opts.MaxFileSize)
		if errors.Is(err, ErrTooLarge) {
			w.tooLarge(file, zipHead(zf))
			continue
		}
		if err != nil {
			w.skipf(file.Path(), ReasonCorrupt, err)
			continue
		}
		file.data = data
		file.open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		if err := w.visit(file); err != nil {
			return err
		}
	}
	return nil
}

// ReadZipMember reads the member of the zip archive at path that Walk
// reports as rel (its cleaned name), if it is a regular file of exactly
// size bytes: the text of a corpus file indexed from an archive. The
// first member of that name is read, as Walk reads it. A member of
// another size is an error that wraps ErrOtherSize; a missing archive or
// member, one that wraps fs.ErrNotExist.
func ReadZipMember(path, rel string, size int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, fi.Size())
	if errors.Is(err, zip.ErrInsecurePath) && zr != nil {
		err = nil // names are checked one by one, as Walk does
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, zf := range zr.File {
		if name, ok := cleanName(zf.Name); !ok || name != rel || zf.FileInfo().IsDir() {
			continue
		}
		if !zf.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: %s is not a regular file", path, rel)
		}
		if zf.UncompressedSize64 != uint64(size) {
			return nil, fmt.Errorf("%s: %s is not of %d bytes: %w", path, rel, size, ErrOtherSize)
		}
		data, err := readMember(zf, size)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, rel, err)
		}
		if int64(len(data)) != size {
			return nil, fmt.Errorf("%s: %s: %d bytes, not %d", path, rel, len(data), size)
		}
		return data, nil
	}
	return nil, fmt.Errorf("%s: no member %s: %w", path, rel, fs.ErrNotExist)
}

// ReadTarMember is ReadZipMember for a tar archive (plain, gzip, bzip2
// or xz), which is read from its start up to the member: archives over
// maxArchive bytes are not read (ErrTooLarge), and at most 16 times as
// many bytes are decompressed. The first member of that name and size
// is read.
func ReadTarMember(path, rel string, size, maxArchive int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxArchive {
		return nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	r, c, err := openTar(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer c.Close()
	tr := tar.NewReader(io.LimitReader(r, 16*maxArchive))
	other := false // a member of that name and another size
	for {
		hdr, err := tr.Next()
		if err == io.EOF && other {
			return nil, fmt.Errorf("%s: %s is not of %d bytes: %w", path, rel, size, ErrOtherSize)
		}
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no member %s: %w", path, rel, fs.ErrNotExist)
		}
		if errors.Is(err, tar.ErrInsecurePath) && hdr != nil {
			err = nil // names are checked one by one, as Walk does
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != '\x00' {
			continue
		}
		if name, ok := cleanName(hdr.Name); !ok || name != rel {
			continue
		}
		if hdr.Size != size {
			other = true
			continue
		}
		data := make([]byte, size)
		if _, err := io.ReadFull(tr, data); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, rel, err)
		}
		return data, nil
	}
}

// zipHead returns a reader of the first HeadSize bytes of a zip member.
func zipHead(zf *zip.File) func() ([]byte, error) {
	return func() ([]byte, error) {
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return readHead(rc)
	}
}

// readMember reads a zip member, at most max bytes.
func readMember(zf *zip.File, max int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, ErrTooLarge
	}
	return data, nil
}

// openTar opens a tar stream, decompressing by the name's suffix, or by the
// gzip magic number.
func openTar(abs string) (io.Reader, io.Closer, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	n := strings.ToLower(abs)
	switch {
	case strings.HasSuffix(n, ".bz2") || strings.HasSuffix(n, ".tbz2"):
		return bzip2.NewReader(br), f, nil
	case strings.HasSuffix(n, ".xz") || strings.HasSuffix(n, ".txz"):
		xr, err := xz.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return xr, f, nil
	}
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return zr, f, nil
	}
	return br, f, nil
}

// tar walks a tar archive in two passes: the first lists the members and
// keeps the small metadata files (Options.Meta), so that every directory
// knows its siblings before any file is visited; the second reads the
// members in order and hands their content to visit.
func (w *walker) tar(root *Root) error {
	t := newTree(root)
	seen := map[string]bool{}
	err := w.tarPass(root, func(hdr *tar.Header, rel string, r io.Reader) error {
		if seen[rel] {
			return nil
		}
		seen[rel] = true
		d := t.dir(parentDir(rel))
		d.Names = append(d.Names, path.Base(rel))
		if w.opts.Meta != nil && w.opts.Meta(path.Base(rel)) && hdr.Size <= maxMetaFile {
			b, err := io.ReadAll(io.LimitReader(r, maxMetaFile))
			if err != nil {
				return &archiveError{ReasonCorrupt, err}
			}
			t.meta[rel] = b
		}
		return nil
	}, false)
	var damaged *archiveError
	if err != nil && !errors.As(err, &damaged) {
		return err
	}
	// A damaged stream still has its files before the damage visited:
	// the second pass reads them, then stops at the same place and
	// reports the archive once.
	lim := &limits{w: w}
	visited := map[string]bool{}
	err = w.tarPass(root, func(hdr *tar.Header, rel string, r io.Reader) error {
		if visited[rel] {
			w.skipFile(DisplayPath(root.Display, rel), rel, ReasonUnsafePath, errors.New("duplicate member name"))
			return nil
		}
		visited[rel] = true
		file := &File{Root: root, Dir: t.dir(parentDir(rel)), Rel: rel, Size: hdr.Size, ModTime: hdr.ModTime.UnixNano()}
		if hdr.ModTime.IsZero() {
			file.ModTime = 0
		}
		if !w.wanted(file) {
			return nil
		}
		if hdr.Size > w.opts.MaxFileSize {
			w.tooLarge(file, func() ([]byte, error) { return readHead(r) })
			return nil
		}
		if err := lim.add(hdr.Size); err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(r, w.opts.MaxFileSize+1))
		if err != nil {
			return &archiveError{ReasonCorrupt, fmt.Errorf("%s: %w", rel, err)}
		}
		file.data = data
		file.open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		return w.visit(file)
	}, true)
	if err == nil && damaged != nil {
		return damaged
	}
	return err
}

// tarPass reads the tar archive of root and calls fn for every regular member with
// a usable name. Skips are reported only when report is set (the second
// pass), so that each is reported once.
func (w *walker) tarPass(root *Root, fn func(*tar.Header, string, io.Reader) error, report bool) error {
	r, c, err := openTar(root.Path)
	if err != nil {
		return &archiveError{ReasonCorrupt, err}
	}
	defer c.Close()
	tr := tar.NewReader(r)
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, tar.ErrInsecurePath) && hdr != nil {
			// GODEBUG=tarinsecurepath=0: the name is checked below, an
			// unsafe one is a skip of that member only.
			err = nil
		}
		if err != nil {
			return &archiveError{ReasonCorrupt, err}
		}
		if hdr.Typeflag == tar.TypeDir || hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		rel, ok := cleanName(hdr.Name)
		if !ok {
			if report {
				w.skipFile(DisplayPath(root.Display, hdr.Name), hdr.Name, ReasonUnsafePath, nil)
			}
			continue
		}
		if w.excluded(root, rel) {
			continue
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != '\x00' {
			if report && hdr.Typeflag != tar.TypeSymlink && hdr.Typeflag != tar.TypeLink {
				w.skipFile(DisplayPath(root.Display, rel), rel, ReasonSpecial, nil)
			}
			continue
		}
		if err := fn(hdr, rel, tr); err != nil {
			return err
		}
	}
}

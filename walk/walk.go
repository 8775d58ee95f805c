// Package walk enumerates the files below a root: a directory tree, an
// archive (.zip, .jar, .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz), or a single file. It
// never extracts anything to disk. Files that cannot be used are reported
// to a skip callback with a reason, never as an error: one bad file must
// not stop a run.
package walk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// Skip reasons. They are stable strings, shown to users and counted in
// reports.
const (
	ReasonTooLarge     = "too large"
	ReasonBinary       = "binary"
	ReasonUnreadable   = "unreadable"
	ReasonSymlinkLoop  = "symlink loop"
	ReasonUnsafePath   = "unsafe archive path"
	ReasonCorrupt      = "corrupt archive"
	ReasonArchiveLimit = "archive limit"
	ReasonSpecial      = "special file"
	ReasonUnsupported  = "unsupported type"
)

// Default limits.
const (
	DefaultMaxFileSize     = 16 << 20 // larger files are data; generated source (tables, bundles) stays below
	DefaultMaxArchiveBytes = 16 << 30 // total bytes read from one archive
	DefaultMaxRatio        = 200      // compression ratio of one archive entry
	maxMetaFile            = 1 << 20  // largest file served by Dir.ReadFile
)

// Options configure Walk.
type Options struct {
	// MaxFileSize: larger files are skipped as ReasonTooLarge, with their
	// first HeadSize bytes in Skip.Head. Zero means DefaultMaxFileSize.
	MaxFileSize int64
	// NoFollow leaves symbolic links alone; by default they are followed,
	// with loop detection.
	NoFollow bool
	// Archives makes Walk descend into archives found inside directories
	// (an archive given as the root is always read).
	Archives bool
	// MaxArchiveBytes bounds the bytes read from one archive; zero means
	// DefaultMaxArchiveBytes.
	MaxArchiveBytes int64
	// MaxRatio bounds the compression ratio of one archive entry; zero
	// means DefaultMaxRatio.
	MaxRatio int64
	// Exclude, if set, is asked about every path below a root (rel, slash
	// separated; root is the one walked, or an archive read inside it);
	// excluded directories are not entered.
	Exclude func(root *Root, rel string, isDir bool) bool
	// Meta, if set, names the files (by base name) that Dir.ReadFile must
	// be able to serve inside archives (license files, manifests).
	Meta func(base string) bool
	// Want, if set, is asked about every file (its slash path below the
	// root) before it is read; unwanted files are skipped as
	// ReasonUnsupported without reading them, whatever else would rule
	// them out (their size, their type), so that the other reasons name
	// only files that would have been read.
	Want func(name string) bool
}

func (o *Options) defaults() {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxArchiveBytes <= 0 {
		o.MaxArchiveBytes = DefaultMaxArchiveBytes
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
}

// Root is what Walk was given.
type Root struct {
	// Path is the absolute path of the directory, archive or file.
	Path string
	// Display is the path as the user gave it, used to print file paths.
	Display string
	// Kind is "dir", "zip", "tar" or "file".
	Kind string
}

// Dir is a directory below a root. It lets callers look at a file's
// siblings (license files, manifests) and ancestors.
type Dir struct {
	Parent *Dir
	// Rel is the slash path below the root; "" for the root.
	Rel string
	// Names are the base names of the regular files in the directory.
	Names []string
	// Root is the root the directory belongs to.
	Root *Root

	read func(name string) ([]byte, error)
}

// ReadFile returns the content of the file name in d (at most 1 MiB).
func (d *Dir) ReadFile(name string) ([]byte, error) {
	if d.read == nil {
		return nil, fmt.Errorf("walk: %s: %w", path.Join(d.Rel, name), fs.ErrNotExist)
	}
	return d.read(name)
}

// Has reports whether d holds a file named name.
func (d *Dir) Has(name string) bool {
	for _, n := range d.Names {
		if n == name {
			return true
		}
	}
	return false
}

// File is a regular file below a root.
type File struct {
	Root *Root
	Dir  *Dir
	// Rel is the slash path below the root; "" when the root is the file.
	Rel     string
	Size    int64
	ModTime int64 // Unix nanoseconds; 0 when unknown

	data []byte                        // content read by the walker (stream archives)
	open func() (io.ReadCloser, error) // opens the content
}

// Name returns the file's slash path below the root, or the root's base
// name when the root is the file itself: what language detection needs.
func (f *File) Name() string {
	if f.Rel != "" {
		return f.Rel
	}
	return filepath.Base(f.Root.Path)
}

// Path returns the file's path for display: the root as given by the user
// joined with the path below it, as grep -r prints it.
func (f *File) Path() string {
	return DisplayPath(f.Root.Display, f.Rel)
}

// DisplayPath joins a root as given by the user with a slash path below it.
func DisplayPath(display, rel string) string {
	if rel == "" {
		return display
	}
	if strings.HasSuffix(display, "/") || strings.HasSuffix(display, string(filepath.Separator)) {
		return display + filepath.FromSlash(rel)
	}
	return display + string(filepath.Separator) + filepath.FromSlash(rel)
}

// ErrTooLarge is returned by ReadAll for a file larger than its limit.
var ErrTooLarge = errors.New("file too large")

// SizeError is the Err of a ReasonTooLarge skip: the file's size and the
// limit (Options.MaxFileSize) it is over, in bytes.
type SizeError struct {
	Size, Limit int64
}

// Error says the size and the limit in bytes.
func (e *SizeError) Error() string {
	return fmt.Sprintf("%d bytes, over the limit of %d bytes", e.Size, e.Limit)
}

// ErrOtherSize is returned by ReadZipMember and ReadTarMember for a member
// that is there but has another size than the one asked for.
var ErrOtherSize = errors.New("another size")

// ReadAll returns the file's content, reusing buf when it is large enough.
// It fails with ErrTooLarge if the file holds more than max bytes (whatever
// its declared size).
func (f *File) ReadAll(buf []byte, max int64) ([]byte, error) {
	if f.data != nil {
		return f.data, nil
	}
	rc, err := f.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	want := f.Size + 1
	if want > max+1 {
		want = max + 1
	}
	if int64(cap(buf)) < want {
		buf = make([]byte, 0, want)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > max {
				return nil, ErrTooLarge
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Skip is a file or directory that was left out.
type Skip struct {
	Path   string // display path
	Reason string
	Err    error // the underlying error, if any
	// Head holds the first bytes (at most HeadSize) of a file skipped as
	// ReasonTooLarge, when they could be read: enough to tell source code
	// from data without reading the file.
	Head []byte
}

// HeadSize is how much of a file too large to read is kept in Skip.Head.
const HeadSize = 8 << 10

// ErrCycle is the error of a ReasonSymlinkLoop skip of a symbolic link to
// a directory above it: nothing is lost, the directory's files are walked
// at their own path.
var ErrCycle = errors.New("a link to a directory above it, walked there")

// ErrDanglingLink is the error of a ReasonUnreadable skip of a symbolic
// link that leads nowhere (its target, or a directory on the way to it,
// does not exist): it holds nothing. It wraps the error of the attempt.
var ErrDanglingLink = errors.New("a symbolic link that leads nowhere")

func (s Skip) String() string {
	if s.Err != nil {
		return fmt.Sprintf("%s: %s: %v", s.Path, s.Reason, s.Err)
	}
	return fmt.Sprintf("%s: %s", s.Path, s.Reason)
}

// ArchiveKind returns "zip" or "tar" if name looks like an archive Walk
// can read, else "".
func ArchiveKind(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".zip"), strings.HasSuffix(n, ".jar"):
		return "zip"
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"), strings.HasSuffix(n, ".tar"),
		strings.HasSuffix(n, ".tar.bz2"), strings.HasSuffix(n, ".tbz2"), strings.HasSuffix(n, ".crate"),
		strings.HasSuffix(n, ".tar.xz"), strings.HasSuffix(n, ".txz"):
		return "tar"
	}
	return ""
}

// Walk enumerates the files below the root at p (a directory, an archive
// or a single file) and calls visit for each, in a deterministic order.
// Unusable files are reported to skip. Walk returns the first error from
// visit, a context error, or an error if p itself cannot be opened.
func Walk(ctx context.Context, p string, opts Options, visit func(*File) error, skip func(Skip)) error {
	opts.defaults()
	if err := ctx.Err(); err != nil {
		return err
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return fmt.Errorf("walk: %s: %w", p, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("walk: %w", err)
	}
	w := &walker{ctx: ctx, opts: opts, visit: visit, skip: skip}
	switch {
	case st.IsDir():
		root := &Root{Path: abs, Display: p, Kind: "dir"}
		return w.dir(root, nil, abs, "", []fileID{idOf(st)})
	case !st.Mode().IsRegular():
		return fmt.Errorf("walk: %s is not a regular file or directory", p)
	}
	if kind := ArchiveKind(abs); kind != "" {
		root := &Root{Path: abs, Display: p, Kind: kind}
		return w.archive(root, abs, st.Size())
	}
	root := &Root{Path: abs, Display: p, Kind: "file"}
	dir := fsDir(root, nil, filepath.Dir(abs), "")
	f := &File{Root: root, Dir: dir, Size: st.Size(), ModTime: st.ModTime().UnixNano(), open: func() (io.ReadCloser, error) { return os.Open(abs) }}
	return w.emit(f)
}

// wanted reports whether f passes Options.Want, reporting it as skipped
// if not.
func (w *walker) wanted(f *File) bool {
	if w.opts.Want == nil || w.opts.Want(f.Name()) {
		return true
	}
	w.skipf(f.Path(), ReasonUnsupported, nil)
	return false
}

// emit hands a file on disk to visit if it is wanted and not too large.
func (w *walker) emit(f *File) error {
	if !w.wanted(f) {
		return nil
	}
	if f.Size > w.opts.MaxFileSize {
		w.tooLarge(f, func() ([]byte, error) {
			rc, err := f.open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return readHead(rc)
		})
		return nil
	}
	return w.visit(f)
}

// tooLarge reports a wanted file over MaxFileSize, with its first bytes
// from head, and its size and the limit (SizeError) when its size is
// known to be over it.
func (w *walker) tooLarge(f *File, head func() ([]byte, error)) {
	s := Skip{Path: f.Path(), Reason: ReasonTooLarge}
	if f.Size > w.opts.MaxFileSize {
		s.Err = &SizeError{Size: f.Size, Limit: w.opts.MaxFileSize}
	}
	if b, err := head(); err == nil {
		s.Head = b
	}
	if w.skip != nil {
		w.skip(s)
	}
}

// readHead reads the first HeadSize bytes of r, or all of a shorter r.
func readHead(r io.Reader) ([]byte, error) {
	b := make([]byte, HeadSize)
	n, err := io.ReadFull(r, b)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return b[:n], err
}

// skipFile reports a file below the root that cannot be used, as
// ReasonUnsupported when Options.Want rules it out by its slash path rel
// (it would not have been read anyway), else for reason.
func (w *walker) skipFile(display, rel, reason string, err error) {
	if w.opts.Want != nil && !w.opts.Want(rel) {
		reason, err = ReasonUnsupported, nil
	}
	w.skipf(display, reason, err)
}

type walker struct {
	ctx   context.Context
	opts  Options
	visit func(*File) error
	skip  func(Skip)

	exclDirs map[string]bool // Exclude's answers for the directories of the current archive
}

func (w *walker) skipf(p, reason string, err error) {
	if w.skip != nil {
		w.skip(Skip{Path: p, Reason: reason, Err: err})
	}
}

// fileID identifies a directory for symlink loop detection.
type fileID struct{ dev, ino uint64 }

func idOf(st fs.FileInfo) fileID {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return fileID{uint64(s.Dev), uint64(s.Ino)}
	}
	return fileID{}
}

func fsDir(root *Root, parent *Dir, abs, rel string) *Dir {
	return &Dir{Parent: parent, Rel: rel, Root: root, read: func(name string) ([]byte, error) {
		return readLimited(filepath.Join(abs, filepath.FromSlash(name)))
	}}
}

func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMetaFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxMetaFile {
		return nil, fmt.Errorf("%s: %w", p, ErrTooLarge)
	}
	return b, nil
}

// vcsDirs are never entered.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".bzr": true, "_darcs": true, "CVS": true}

// dir walks the directory abs (rel below root). ancestors holds the
// identities of the directories on the path, to detect symlink loops.
func (w *walker) dir(root *Root, parent *Dir, abs, rel string, ancestors []fileID) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	d := fsDir(root, parent, abs, rel)
	entries, err := os.ReadDir(abs)
	if err != nil && len(entries) == 0 {
		w.skipf(DisplayPath(root.Display, rel), ReasonUnreadable, err)
		return nil
	}
	type sub struct {
		abs, rel string
		id       fileID
	}
	var files []*File
	var subdirs []sub
	var archives []*File
	for _, e := range entries {
		name := e.Name()
		erel := path.Join(rel, name)
		eabs := filepath.Join(abs, name)
		mode := e.Type()
		var info fs.FileInfo
		if mode&fs.ModeSymlink != 0 {
			if w.opts.NoFollow {
				continue
			}
			info, err = os.Stat(eabs)
			if err != nil {
				if w.opts.Exclude != nil && w.opts.Exclude(root, erel, false) {
					continue
				}
				reason := ReasonUnreadable
				switch {
				case errors.Is(err, syscall.ELOOP):
					reason = ReasonSymlinkLoop // a link to itself, or a cycle of links
				case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
					err = fmt.Errorf("%w: %w", ErrDanglingLink, err)
				}
				w.skipFile(DisplayPath(root.Display, erel), erel, reason, err)
				continue
			}
			mode = info.Mode().Type()
		}
		if mode.IsDir() {
			if vcsDirs[name] || w.opts.Exclude != nil && w.opts.Exclude(root, erel, true) {
				continue
			}
			if info == nil {
				if info, err = e.Info(); err != nil {
					w.skipf(DisplayPath(root.Display, erel), ReasonUnreadable, err)
					continue
				}
			}
			subdirs = append(subdirs, sub{eabs, erel, idOf(info)})
			continue
		}
		if w.opts.Exclude != nil && w.opts.Exclude(root, erel, false) {
			continue
		}
		if !mode.IsRegular() {
			w.skipFile(DisplayPath(root.Display, erel), erel, ReasonSpecial, nil)
			continue
		}
		if info == nil {
			if info, err = e.Info(); err != nil {
				w.skipFile(DisplayPath(root.Display, erel), erel, ReasonUnreadable, err)
				continue
			}
		}
		d.Names = append(d.Names, name)
		f := &File{Root: root, Dir: d, Rel: erel, Size: info.Size(), ModTime: info.ModTime().UnixNano(),
			open: func() (io.ReadCloser, error) { return os.Open(eabs) }}
		if w.opts.Archives && ArchiveKind(name) != "" {
			archives = append(archives, f)
			continue
		}
		files = append(files, f)
	}
	for _, f := range files {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := w.emit(f); err != nil {
			return err
		}
	}
	for _, a := range archives {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		aroot := &Root{Path: filepath.Join(root.Path, filepath.FromSlash(a.Rel)), Display: a.Path(), Kind: ArchiveKind(a.Rel)}
		if err := w.archive(aroot, aroot.Path, a.Size); err != nil {
			return err
		}
	}
	for _, s := range subdirs {
		loop := false
		for _, a := range ancestors {
			if a == s.id && s.id != (fileID{}) {
				loop = true
			}
		}
		if loop {
			w.skipf(DisplayPath(root.Display, s.rel), ReasonSymlinkLoop, ErrCycle)
			continue
		}
		if err := w.dir(root, d, s.abs, s.rel, append(ancestors[:len(ancestors):len(ancestors)], s.id)); err != nil {
			return err
		}
	}
	return nil
}

package scanner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/walk"
)

// A SourceState is what reading a corpus file back where it was indexed
// found.
type SourceState uint8

// Source states.
const (
	// SourceUnknown: the file could not be read for another reason than
	// its absence (permissions, a damaged archive, a content indexed
	// larger than the cap): nothing is known of it.
	SourceUnknown SourceState = iota
	// SourceUnchanged: the file holds the content indexed.
	SourceUnchanged
	// SourceChanged: the file holds another content (another size or
	// hash).
	SourceChanged
	// SourceGone: the file is no longer there: the file, the archive
	// member, the archive or the indexed root.
	SourceGone
)

// ErrSourceChanged is the error of Sources.Read for a file that no longer
// holds the content indexed.
var ErrSourceChanged = errors.New("it changed since it was indexed")

// MaxTarText is the largest tar archive a member of which Sources.Text
// reads: a member of a compressed stream is reached only by reading all
// before it (an npm package or a library's source release is well
// below).
const MaxTarText = 16 << 20

// Sources reads corpus files back at their locations, in an indexed
// directory, a zip or tar archive, or as the single file indexed, for one
// scan: the texts the matcher aligns findings with (Text), the state of
// every finding's source for the reports (Mark), and the texts of the
// HTML report (Read). It remembers the state it found at each location
// (root, path and the content indexed there), so that a file read for the
// matcher is not read again for the state, and the HTML report reads only
// the sources found unchanged. Every read is capped at max bytes.
//
// Archives read whole (Mark, Read, ReadFile) are read in one pass, every
// member wanted at once (Want), and held until a member of another
// archive is asked for: readers ask file by file, grouped by archive.
//
// A Sources is safe for concurrent use.
type Sources struct {
	ctx context.Context // bounds the reading of archives
	max int64

	mu   sync.Mutex
	seen map[location][]checked // the states found at each location
	need map[string]map[string]bool

	archive string            // the archive whose members are held (absolute path)
	members map[string][]byte // its members read, by slash path
	skipped map[string]error  // its members that could not be read: why
	failed  error             // the archive could not be read
}

// location is a file's place: the indexed root and the slash path below
// it.
type location struct{ root, path string }

// checked is the state of a location with respect to a content indexed
// there (its sum).
type checked struct {
	sum   [16]byte
	state SourceState
}

// NewSources returns a reader of corpus files capped at max bytes, whose
// archive reads ctx bounds.
func NewSources(ctx context.Context, max int64) *Sources {
	return &Sources{ctx: ctx, max: max, seen: map[location][]checked{}, need: map[string]map[string]bool{}}
}

// state returns the state recorded at l for the content of sum.
func (s *Sources) state(l location, sum [16]byte) SourceState {
	for _, c := range s.seen[l] {
		if c.sum == sum {
			return c.state
		}
	}
	return SourceUnknown
}

// record records the state found at l for the content of sum; an unknown
// one is not recorded: a later reader may tell.
func (s *Sources) record(l location, sum [16]byte, st SourceState) {
	if st == SourceUnknown {
		return
	}
	for i, c := range s.seen[l] {
		if c.sum == sum {
			s.seen[l][i].state = st
			return
		}
	}
	s.seen[l] = append(s.seen[l], checked{sum, st})
}

// Text returns the text of corpus file f as it was indexed, decoded as
// indexing decoded it (filecheck.Decode), so that its lines and tokens
// are those fingerprinted: from the first of its locations that still
// holds it (the same size at the location, the same hash), or nil. It
// suits match.Options.SourceText. Zip members are read alone, tar members
// of archives up to MaxTarText bytes from the archive's start.
func (s *Sources) Text(f *corpus.FileInfo) []byte {
	for _, l := range f.Locations {
		if l.Root == nil || l.Size > s.max {
			continue
		}
		loc := location{l.Root.Path, l.Path}
		s.mu.Lock()
		st := s.state(loc, f.Sum)
		s.mu.Unlock()
		if st == SourceChanged || st == SourceGone {
			continue
		}
		data, err := locationBytes(l)
		st = SourceUnknown
		var text []byte
		switch {
		case errors.Is(err, fs.ErrNotExist):
			st = SourceGone
		case errors.Is(err, walk.ErrOtherSize):
			st = SourceChanged
		case err == nil:
			text, _ = filecheck.Decode(data)
			if st = SourceUnchanged; corpus.Sum(text) != f.Sum {
				st, text = SourceChanged, nil
			}
		}
		s.mu.Lock()
		s.record(loc, f.Sum, st)
		s.mu.Unlock()
		if text != nil {
			return text
		}
	}
	return nil
}

// locationBytes reads the bytes of a corpus file at location l if it
// still has the size it had when it was indexed: an error that wraps
// walk.ErrOtherSize if not,
// an error wrapping fs.ErrNotExist if it is not there.
func locationBytes(l corpus.LocationInfo) ([]byte, error) {
	switch {
	case l.Root.Kind == "zip" && l.Path != "":
		return walk.ReadZipMember(l.Root.Path, l.Path, l.Size)
	case l.Root.Kind == "tar" && l.Path != "":
		return walk.ReadTarMember(l.Root.Path, l.Path, l.Size, MaxTarText)
	case l.Root.Kind != "dir" && l.Path != "":
		return nil, fmt.Errorf("indexed root %s: unknown kind %q", l.Root.Path, l.Root.Kind)
	}
	p := l.Root.Path
	if l.Path != "" {
		local := filepath.FromSlash(l.Path)
		if !filepath.IsLocal(local) {
			return nil, fmt.Errorf("%q is not a path below the indexed root %s", l.Path, p)
		}
		p = filepath.Join(p, local)
	}
	return readIfSize(p, l.Size)
}

// readIfSize reads the regular file at p if it holds exactly size bytes.
func readIfSize(p string, size int64) ([]byte, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	switch {
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", p)
	case fi.Size() != size:
		return nil, fmt.Errorf("%s: %w", p, walk.ErrOtherSize)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(fh, data); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return data, nil
}

// Mark sets the Changed and Gone fields of the source of every finding of
// results (see SourceState): from the state found before at its location,
// else by reading the file there once (the members of an archive in one
// pass). A file that cannot be read for another reason is left unmarked.
func (s *Sources) Mark(results []match.Result) {
	var srcs []*match.Source
	for i := range results {
		for j := range results[i].Findings {
			if src := &results[i].Findings[j].Source; src.Root != "" {
				srcs = append(srcs, src)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, src := range srcs {
		if walk.ArchiveKind(src.Root) != "" {
			s.want(src.Root, src.Path)
		}
	}
	slices.SortStableFunc(srcs, func(a, b *match.Source) int {
		return cmp.Or(cmp.Compare(a.Root, b.Root), cmp.Compare(a.Path, b.Path))
	})
	for _, src := range srcs {
		loc := location{src.Root, src.Path}
		st := s.state(loc, src.Sum)
		if st == SourceUnknown {
			st = s.check(loc, src.Size, src.Sum)
			s.record(loc, src.Sum, st)
		}
		src.Changed, src.Gone = st == SourceChanged, st == SourceGone
	}
}

// check reads the file at l and compares it with the content indexed
// there, of size bytes and sum (of its text, decoded as indexing decoded
// it).
func (s *Sources) check(l location, size int64, sum [16]byte) SourceState {
	data, err := s.read(l.root, l.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return SourceGone
	case errors.Is(err, walk.ErrTooLarge):
		if size <= s.max {
			return SourceChanged // grown past the cap
		}
		return SourceUnknown
	case err != nil:
		return SourceUnknown
	}
	text, _ := filecheck.Decode(data)
	if int64(len(text)) != size || corpus.Sum(text) != sum {
		return SourceChanged
	}
	return SourceUnchanged
}

// Read returns the text of the corpus file at root and rel, decoded as
// indexing decoded it, for a report: ErrSourceChanged when Mark found it
// changed or gone, or it changed since.
func (s *Sources) Read(root, rel string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := location{root, rel}
	var unchanged [][16]byte
	for _, c := range s.seen[l] {
		if c.state == SourceUnchanged {
			unchanged = append(unchanged, c.sum)
		}
	}
	if len(s.seen[l]) > 0 && len(unchanged) == 0 {
		return nil, ErrSourceChanged
	}
	data, err := s.read(root, rel)
	if err != nil {
		return nil, err
	}
	text, _ := filecheck.Decode(data)
	if len(unchanged) > 0 && !slices.Contains(unchanged, corpus.Sum(text)) {
		return nil, ErrSourceChanged
	}
	return text, nil
}

// ReadFile returns the bytes of the file rel below root, a directory or
// an archive, or of root itself when rel is "" (a single file), as they
// are now: a scanned file inside an archive ("a.zip/x/y.go" is x/y.go
// below a.zip) as well as a corpus file. A file that is not there is an
// error that wraps fs.ErrNotExist; one over the cap, walk.ErrTooLarge.
func (s *Sources) ReadFile(root, rel string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.read(root, rel)
}

// Want records that the member rel of the archive at path will be read:
// the first read of a member of that archive reads them all at once.
func (s *Sources) Want(archive, rel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.want(archive, rel)
}

func (s *Sources) want(archive, rel string) {
	abs, err := filepath.Abs(archive)
	if err != nil {
		return
	}
	if s.need[abs] == nil {
		s.need[abs] = map[string]bool{}
	}
	s.need[abs][rel] = true
}

// read reads the bytes of the file rel below root as it is now (see
// ReadFile).
func (s *Sources) read(root, rel string) ([]byte, error) {
	if root == "" {
		return nil, errors.New("the corpus does not record the indexed root")
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("indexed root: %w", err)
	}
	switch {
	case fi.IsDir():
		local := filepath.FromSlash(rel)
		if !filepath.IsLocal(local) {
			return nil, fmt.Errorf("%q is not a path below the indexed root %s", rel, root)
		}
		return readCapped(filepath.Join(root, local), s.max)
	case rel == "": // a single file
		return readCapped(root, s.max)
	case walk.ArchiveKind(root) != "":
		return s.member(root, rel)
	}
	return nil, fmt.Errorf("indexed root %s is a file, not a directory or an archive", root)
}

// member returns a member of an archive, reading the archive if it is not
// the one held.
func (s *Sources) member(archive, member string) ([]byte, error) {
	abs, err := filepath.Abs(archive)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", archive, err)
	}
	if abs != s.archive {
		s.load(abs, member)
	}
	if s.failed != nil {
		return nil, fmt.Errorf("archive %s: %w", archive, s.failed)
	}
	if data, ok := s.members[member]; ok {
		return data, nil
	}
	if why, ok := s.skipped[member]; ok {
		return nil, fmt.Errorf("%s in archive %s: %w", member, archive, why)
	}
	return nil, fmt.Errorf("%s: no such member in archive %s: %w", member, archive, fs.ErrNotExist)
}

// load reads the members of the archive at abs that are wanted, and
// member, dropping those of the archive held before.
func (s *Sources) load(abs, member string) {
	want := s.need[abs]
	if !want[member] {
		want = map[string]bool{member: true}
	}
	s.archive, s.members, s.skipped, s.failed = abs, map[string][]byte{}, map[string]error{}, nil
	err := walk.Walk(s.ctx, abs, walk.Options{MaxFileSize: s.max, Want: func(name string) bool { return want[name] }},
		func(f *walk.File) error {
			data, err := f.ReadAll(nil, s.max)
			if err != nil {
				s.skipped[f.Rel] = err
				return nil
			}
			s.members[f.Rel] = data
			return nil
		},
		func(sk walk.Skip) {
			if sk.Path == abs { // the archive itself; member names it
				s.failed = errors.New(sk.Reason)
				if sk.Err != nil {
					s.failed = fmt.Errorf("%s: %w", sk.Reason, sk.Err)
				}
				return
			}
			rel := filepath.ToSlash(strings.TrimPrefix(sk.Path, abs+string(filepath.Separator)))
			if want[rel] {
				s.skipped[rel] = errors.New(sk.Reason)
				if sk.Reason == walk.ReasonTooLarge {
					s.skipped[rel] = fmt.Errorf("%s: %w", sk.Reason, walk.ErrTooLarge)
				}
			}
		})
	if err != nil && s.failed == nil {
		s.failed = err
	}
}

// readCapped reads a regular file of at most max bytes.
func readCapped(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes: %w", p, max, walk.ErrTooLarge)
	}
	return data, nil
}

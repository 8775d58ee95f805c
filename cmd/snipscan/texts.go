package main

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

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/walk"
)

// fileTexts reads the texts of target and source files for the code views
// of the HTML report (report.Options.ReadTarget and ReadSource). A target
// is a file on disk, or a member of an archive that was scanned, named
// "archive.zip/inner/path"; a source is a file below its indexed root, a
// directory or an archive. Every read is capped at max bytes.
//
// A source's text is given only while it is the content indexed at that
// place (its hash is one of those the findings' sources record there):
// checkSources marks the sources that changed or are gone, and source
// refuses a text that changed since.
//
// Archive members are read through package walk: the first request for a
// member of an archive reads, in one pass, every member of it that the
// report needs, and keeps them until a member of another archive is asked
// for (the HTML renderer asks file by file, grouped by archive).
type fileTexts struct {
	ctx     context.Context // bounds the reading of archives
	max     int64
	need    map[string]map[string]bool // absolute archive path: the members the report needs
	indexed map[[2]string][][16]byte   // a source's root and path: the sums of the contents indexed there

	archive string            // the archive whose members are held
	members map[string][]byte // its members read, by slash path
	skipped map[string]error  // its members that could not be read: why
	failed  error             // the archive could not be read
}

// errSourceChanged is a source's text that is not the content indexed.
var errSourceChanged = errors.New("it changed since it was indexed")

// newFileTexts returns the readers for the files of a scan's results:
// the targets with findings and their sources.
func newFileTexts(ctx context.Context, results []match.Result, max int64) *fileTexts {
	t := &fileTexts{ctx: ctx, max: max, need: map[string]map[string]bool{}, indexed: map[[2]string][][16]byte{}}
	want := func(archive, member string) {
		abs, err := filepath.Abs(archive)
		if err != nil {
			return
		}
		if t.need[abs] == nil {
			t.need[abs] = map[string]bool{}
		}
		t.need[abs][member] = true
	}
	for _, f := range results {
		if len(f.Findings) == 0 {
			continue
		}
		if archive, member, ok := splitArchive(f.Path); ok {
			want(archive, member)
		}
		for _, m := range f.Findings {
			if walk.ArchiveKind(m.Source.Root) != "" {
				want(m.Source.Root, m.Source.Path)
			}
			k := [2]string{m.Source.Root, m.Source.Path}
			if !slices.Contains(t.indexed[k], m.Source.Sum) {
				t.indexed[k] = append(t.indexed[k], m.Source.Sum)
			}
		}
	}
	return t
}

// checkSources reads back the source file of every finding where it was
// indexed, and marks the source Changed when the file there holds other
// content (another size or hash), Gone when it is not there: the file,
// the archive member, the archive or the indexed root. A file that cannot
// be read for another reason (permissions, a damaged archive, a content
// indexed larger than the cap) is left unmarked: nothing is known of it.
// Each file is read once, archives in one pass each.
func (t *fileTexts) checkSources(results []match.Result) {
	var srcs []*match.Source
	for i := range results {
		for j := range results[i].Findings {
			if s := &results[i].Findings[j].Source; s.Root != "" {
				srcs = append(srcs, s)
			}
		}
	}
	slices.SortStableFunc(srcs, func(a, b *match.Source) int {
		return cmp.Or(cmp.Compare(a.Root, b.Root), cmp.Compare(a.Path, b.Path))
	})
	var (
		cur  [2]string
		size int64
		sum  [16]byte
		err  error
	)
	for i, s := range srcs {
		if k := [2]string{s.Root, s.Path}; i == 0 || k != cur {
			var data []byte
			cur = k
			data, err = t.read(s.Root, s.Path)
			// The corpus holds the size and hash of the text indexing
			// decoded (filecheck.Decode).
			data, _ = filecheck.Decode(data)
			size, sum = int64(len(data)), corpus.Sum(data)
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			s.Gone = true
		case errors.Is(err, walk.ErrTooLarge):
			s.Changed = s.Size <= t.max
		case err != nil:
		case size != s.Size || sum != s.Sum:
			s.Changed = true
		}
	}
}

// target reads a scanned file by its path in the report, decoded as the
// scan decoded it (filecheck.Decode), so that its lines are those of the
// findings.
func (t *fileTexts) target(p string) ([]byte, error) {
	return decoded(t.rawTarget(p))
}

// decoded returns the text of a file's bytes in UTF-8.
func decoded(data []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	text, _ := filecheck.Decode(data)
	return text, nil
}

// rawTarget reads the bytes of a scanned file by its path in the report.
func (t *fileTexts) rawTarget(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err == nil {
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file", p)
		}
		return readCapped(p, t.max)
	}
	if archive, member, ok := splitArchive(p); ok {
		return t.member(archive, member)
	}
	return nil, err
}

// source reads a corpus file by its indexed root and its slash path below
// it, decoded as indexing decoded it, and refuses a text that is not a
// content indexed there by the findings' sources.
func (t *fileTexts) source(root, rel string) ([]byte, error) {
	text, err := decoded(t.read(root, rel))
	if err != nil {
		return nil, err
	}
	if sums := t.indexed[[2]string{root, rel}]; len(sums) > 0 && !slices.Contains(sums, corpus.Sum(text)) {
		return nil, errSourceChanged
	}
	return text, nil
}

// read reads the bytes of a corpus file by its indexed root and its slash
// path below it, as it is now. A file that is not there is an error that
// wraps fs.ErrNotExist; one over the cap, walk.ErrTooLarge.
func (t *fileTexts) read(root, rel string) ([]byte, error) {
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
		return readCapped(filepath.Join(root, local), t.max)
	case walk.ArchiveKind(root) != "":
		return t.member(root, rel)
	case rel == "": // a single file was indexed
		return readCapped(root, t.max)
	}
	return nil, fmt.Errorf("indexed root %s is a file, not a directory or an archive", root)
}

// member returns a member of an archive, reading the archive if it is not
// the one held.
func (t *fileTexts) member(archive, member string) ([]byte, error) {
	abs, err := filepath.Abs(archive)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", archive, err)
	}
	if abs != t.archive {
		t.load(abs, member)
	}
	if t.failed != nil {
		return nil, fmt.Errorf("archive %s: %w", archive, t.failed)
	}
	if data, ok := t.members[member]; ok {
		return data, nil
	}
	if why, ok := t.skipped[member]; ok {
		return nil, fmt.Errorf("%s in archive %s: %w", member, archive, why)
	}
	return nil, fmt.Errorf("%s: no such member in archive %s: %w", member, archive, fs.ErrNotExist)
}

// load reads the members of the archive at abs that the report needs, and
// member, dropping those of the archive held before.
func (t *fileTexts) load(abs, member string) {
	want := t.need[abs]
	if !want[member] {
		want = map[string]bool{member: true}
	}
	t.archive, t.members, t.skipped, t.failed = abs, map[string][]byte{}, map[string]error{}, nil
	err := walk.Walk(t.ctx, abs, walk.Options{MaxFileSize: t.max, Want: func(name string) bool { return want[name] }},
		func(f *walk.File) error {
			data, err := f.ReadAll(nil, t.max)
			if err != nil {
				t.skipped[f.Rel] = err
				return nil
			}
			t.members[f.Rel] = data
			return nil
		},
		func(s walk.Skip) {
			if s.Path == abs { // the archive itself; member names it
				t.failed = errors.New(s.Reason)
				if s.Err != nil {
					t.failed = fmt.Errorf("%s: %w", s.Reason, s.Err)
				}
				return
			}
			rel := filepath.ToSlash(strings.TrimPrefix(s.Path, abs+string(filepath.Separator)))
			if want[rel] {
				t.skipped[rel] = errors.New(s.Reason)
				if s.Reason == walk.ReasonTooLarge {
					t.skipped[rel] = fmt.Errorf("%s: %w", s.Reason, walk.ErrTooLarge)
				}
			}
		})
	if err != nil && t.failed == nil {
		t.failed = err
	}
}

// splitArchive splits a target path below an archive that was scanned into
// the archive's path and the member's slash path: "a/b.zip/c/d.go" gives
// "a/b.zip" and "c/d.go". It reports false unless some prefix of p with an
// archive's name is a regular file.
func splitArchive(p string) (archive, member string, ok bool) {
	for i := 0; i < len(p); i++ {
		if !os.IsPathSeparator(p[i]) || i == 0 || walk.ArchiveKind(p[:i]) == "" {
			continue
		}
		if fi, err := os.Stat(p[:i]); err == nil && fi.Mode().IsRegular() {
			return p[:i], filepath.ToSlash(p[i+1:]), true
		}
	}
	return "", "", false
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

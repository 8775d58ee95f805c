package walk_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ulikunitz/xz"

	"github.com/snipscan/snipscan/walk"
)

// entry is an archive member to build.
type entry struct {
	name string
	body string
	// tar only: the member's type (0: a regular file) and link target.
	typeflag byte
	linkname string
	// zip only: the member's mode (0: a regular file).
	mode fs.FileMode
	// modified is the member's modification time (zero: none).
	modified time.Time
}

// zipBytes builds a zip archive of entries, deflated.
func zipBytes(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: e.modified}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeZip(t testing.TB, dir, name string, entries ...entry) string {
	t.Helper()
	return writeArchive(t, dir, name, zipBytes(t, entries...))
}

// tarBytes builds an uncompressed tar archive of entries.
func tarBytes(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typeflag, Linkname: e.linkname, Mode: 0o644, ModTime: e.modified}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bzip2Bytes compresses data with the bzip2 program (Go has no bzip2
// writer); the test is skipped where it is missing.
// xzBytes compresses data with xz (the library walk reads it with).
func xzBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	xw, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func bzip2Bytes(t testing.TB, data []byte) []byte {
	t.Helper()
	bin, err := exec.LookPath("bzip2")
	if err != nil {
		t.Skip("no bzip2 program to build a .tar.bz2")
	}
	cmd := exec.Command(bin, "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bzip2: %v", err)
	}
	return out
}

func writeArchive(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// randomText returns n bytes of incompressible printable text, the same
// for the same seed.
func randomText(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(' ' + r.IntN(95))
	}
	return string(b)
}

// isMeta is the Options.Meta of the archive tests.
func isMeta(base string) bool { return base == "LICENSE" || base == "go.mod" }

func TestWalkZip(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	mtime := time.Date(2024, 5, 6, 7, 8, 10, 0, time.UTC)
	z := writeZip(t, base, "z.zip",
		entry{name: "pkg/"}, // a directory entry
		entry{name: "pkg/sub/b.go", body: "package sub\n"},
		entry{name: "pkg/a.go", body: "package pkg\n", modified: mtime},
		entry{name: "../evil.go", body: "package evil\n"},
		entry{name: "/abs.go", body: "package abs\n"},
		entry{name: "pkg/../../up.go", body: "package up\n"},
		entry{name: `pkg\win.go`, body: "package win\n"},
		entry{name: "pkg/LICENSE", body: "the license\n"},
		entry{name: "pkg/a.go", body: "package second\n"}, // a duplicate name
		entry{name: "pkg/link.go", body: "a.go", mode: fs.ModeSymlink | 0o777},
		entry{name: "./dot/./x.go", body: "package x\n"},
		entry{name: "go.mod", body: "module example.com/z\n"},
	)

	res := walkAll(t, context.Background(), base, z, walk.Options{})
	if res.err != nil {
		t.Fatalf("Walk: %v", res.err)
	}
	want := []event{
		// Unusable members, in archive order, while the archive is listed.
		"skip unsafe archive path z.zip/../evil.go",
		"skip unsafe archive path z.zip//abs.go",
		"skip unsafe archive path z.zip/pkg/../../up.go",
		`skip unsafe archive path z.zip/pkg\win.go`,
		"skip unsafe archive path z.zip/pkg/a.go",
		// pkg/link.go, a symbolic link, is left alone as in a tar
		// stream: its target is a member of its own.
		// Then the members, sorted by path.
		"file dot/x.go",
		"file go.mod",
		"file pkg/LICENSE",
		"file pkg/a.go",
		"file pkg/sub/b.go",
	}
	if !slices.Equal(res.events, want) {
		t.Errorf("events:\n got %q\nwant %q", res.events, want)
	}

	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"first of duplicate names wins", func(t *testing.T) {
			if got := res.data["pkg/a.go"]; got != "package pkg\n" {
				t.Errorf("pkg/a.go = %q", got)
			}
		}},
		{"fields", func(t *testing.T) {
			a := res.files["pkg/a.go"]
			if a.Root.Kind != "zip" || a.Root.Path != z || a.Size != int64(len("package pkg\n")) {
				t.Errorf("Root %+v Size %d", a.Root, a.Size)
			}
			if a.Name() != "pkg/a.go" || a.Path() != filepath.Join(z, "pkg", "a.go") {
				t.Errorf("Name %q Path %q", a.Name(), a.Path())
			}
			if a.ModTime != mtime.UnixNano() {
				t.Errorf("ModTime = %v, want %v", time.Unix(0, a.ModTime).UTC(), mtime)
			}
		}},
		{"directory listing", func(t *testing.T) {
			d := res.files["pkg/sub/b.go"].Dir
			if d.Rel != "pkg/sub" || !slices.Equal(d.Names, []string{"b.go"}) {
				t.Errorf("Dir %q Names %q", d.Rel, d.Names)
			}
			p := d.Parent
			if p.Rel != "pkg" || !slices.Equal(p.Names, []string{"a.go", "LICENSE"}) {
				t.Errorf("parent %q Names %q (want a.go once, LICENSE; no symlink)", p.Rel, p.Names)
			}
			top := p.Parent
			if top.Rel != "" || top.Parent != nil || !top.Has("go.mod") || top.Root != res.files["go.mod"].Root {
				t.Errorf("root Dir %q Names %q", top.Rel, top.Names)
			}
			if res.files["pkg/a.go"].Dir != p {
				t.Error("files of one directory do not share its Dir")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

// TestWalkZipDirReadFile checks that, during a visit, Dir.ReadFile serves
// the member's siblings and ancestors' files (license files, manifests)
// whatever their order in the archive.
func TestWalkZipDirReadFile(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	z := writeZip(t, base, "m.zip",
		entry{name: "m/a/a.go", body: "package a\n"},
		entry{name: "m/go.mod", body: "module example.com/m\n"},
		entry{name: "m/a/LICENSE", body: "MIT License\n"},
	)
	tests := []struct {
		name     string
		from     string // the visited file
		up       int    // how many directories up
		file     string
		want     string
		wantErr  error
		withMeta bool
	}{
		{name: "sibling license after the file", from: "m/a/a.go", file: "LICENSE", want: "MIT License\n"},
		{name: "manifest in the parent", from: "m/a/a.go", up: 1, file: "go.mod", want: "module example.com/m\n"},
		{name: "missing file", from: "m/a/a.go", file: "COPYING", wantErr: fs.ErrNotExist},
		{name: "a file of another directory", from: "m/a/a.go", up: 2, file: "go.mod", wantErr: fs.ErrNotExist},
		{name: "with Meta too", from: "m/a/a.go", file: "LICENSE", want: "MIT License\n", withMeta: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := walk.Options{}
			if tc.withMeta {
				opts.Meta = isMeta
			}
			found := false
			err := walk.Walk(context.Background(), z, opts, func(f *walk.File) error {
				if f.Rel != tc.from {
					return nil
				}
				found = true
				d := f.Dir
				for range tc.up {
					d = d.Parent
				}
				b, err := d.ReadFile(tc.file)
				if !errors.Is(err, tc.wantErr) || string(b) != tc.want {
					t.Errorf("ReadFile(%q) in %q = %q, %v; want %q, %v", tc.file, d.Rel, b, err, tc.want, tc.wantErr)
				}
				return nil
			}, nil)
			if err != nil || !found {
				t.Fatalf("Walk: %v (visited %s: %v)", err, tc.from, found)
			}
		})
	}
}

// rawZip builds a zip whose one member "liar.go" holds data but whose
// header declares size bytes: a zip bomb's trick.
func rawZip(t *testing.T, data []byte, declared uint64, then ...entry) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "liar.go", Method: zip.Deflate,
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared, CRC32: crc32.ChecksumIEEE(data)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	for _, e := range then {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWalkZipLimits checks the limits that protect a run from hostile
// archives: member size (declared or real), compression ratio and total
// bytes.
func TestWalkZipLimits(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	next := entry{name: "next.go", body: "package next\n"}
	hundred := strings.Repeat("y", 99) + "\n"
	tests := []struct {
		name string
		data []byte
		opts walk.Options
		want []event
		// alt, if set, is another acceptable outcome.
		alt []event
	}{
		{
			name: "member over MaxFileSize",
			data: zipBytes(t, entry{name: "big.go", body: randomText(1, 2000)}, next),
			opts: walk.Options{MaxFileSize: 1000},
			want: []event{"skip too large member over MaxFileSize.zip/big.go", "file next.go"},
		},
		{
			name: "declared large, actually small",
			data: rawZip(t, []byte("package small\n"), 5000, next),
			opts: walk.Options{MaxFileSize: 1000},
			want: []event{"skip too large declared large, actually small.zip/liar.go", "file next.go"},
		},
		{
			// The header says 50 bytes, the data inflates to 100 KB:
			// reading stops at the declared size or the limit, and the
			// member is not visited.
			name: "declared small, actually large",
			data: rawZip(t, []byte(randomText(2, 100_000)), 50, next),
			opts: walk.Options{MaxFileSize: 1000},
			want: []event{"skip corrupt archive declared small, actually large.zip/liar.go", "file next.go"},
			alt:  []event{"skip too large declared small, actually large.zip/liar.go", "file next.go"},
		},
		{
			name: "declared small, actually under the limit",
			data: rawZip(t, []byte(randomText(3, 500)), 50, next),
			opts: walk.Options{MaxFileSize: 1000},
			want: []event{"skip corrupt archive declared small, actually under the limit.zip/liar.go", "file next.go"},
		},
		{
			name: "compression ratio over MaxRatio",
			data: zipBytes(t, entry{name: "bomb.go", body: strings.Repeat("a", 1<<20)}, next),
			want: []event{"skip archive limit compression ratio over MaxRatio.zip/bomb.go", "file next.go"},
		},
		{
			name: "compression ratio under a raised MaxRatio",
			data: zipBytes(t, entry{name: "bomb.go", body: strings.Repeat("a", 1<<20)}, next),
			opts: walk.Options{MaxRatio: 1 << 20},
			want: []event{"file bomb.go", "file next.go"},
		},
		{
			// The archive stops at the limit; what came before stays
			// visited.
			name: "MaxArchiveBytes",
			data: zipBytes(t, entry{name: "a.go", body: hundred}, entry{name: "b.go", body: hundred}, entry{name: "c.go", body: hundred}),
			opts: walk.Options{MaxArchiveBytes: 250},
			want: []event{"file a.go", "file b.go", "skip archive limit MaxArchiveBytes.zip"},
		},
		{
			name: "MaxArchiveBytes counts only wanted members",
			data: zipBytes(t, entry{name: "a.go", body: hundred}, entry{name: "b.txt", body: hundred}, entry{name: "c.go", body: hundred}),
			opts: walk.Options{MaxArchiveBytes: 250, Want: func(n string) bool { return strings.HasSuffix(n, ".go") }},
			want: []event{"file a.go", "skip unsupported type MaxArchiveBytes counts only wanted members.zip/b.txt", "file c.go"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := writeArchive(t, base, tc.name+".zip", tc.data)
			res := walkAll(t, context.Background(), base, p, tc.opts)
			if res.err != nil {
				t.Fatalf("Walk: %v", res.err)
			}
			if !slices.Equal(res.events, tc.want) && (tc.alt == nil || !slices.Equal(res.events, tc.alt)) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
		})
	}
}

// TestWalkCorruptZip checks that a damaged archive is a skip, never an
// error, and that what could be read before the damage is kept.
func TestWalkCorruptZip(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	good := zipBytes(t,
		entry{name: "a.go", body: "package a\n"},
		entry{name: "b.go", body: "package b // MARKER\n"},
		entry{name: "c.go", body: "package c\n"},
	)
	// b.go's deflated bytes damaged: its checksum fails, the others
	// read.
	stored := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range []entry{{name: "a.go", body: "package a\n"}, {name: "b.go", body: "package b // MARKER\n"}, {name: "c.go", body: "package c\n"}} {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(e.body))
		}
		zw.Close()
		b := buf.Bytes()
		i := bytes.Index(b, []byte("MARKER"))
		if i < 0 {
			t.Fatal("marker not found")
		}
		b[i] = 'm'
		return b
	}()
	tests := []struct {
		name string
		data []byte
		want []event
	}{
		{"empty file", nil, []event{"skip corrupt archive empty file.zip"}},
		{"not a zip", []byte(randomText(4, 5000)), []event{"skip corrupt archive not a zip.zip"}},
		{"truncated", good[:len(good)/2], []event{"skip corrupt archive truncated.zip"}},
		{"central directory cut", good[:len(good)-10], []event{"skip corrupt archive central directory cut.zip"}},
		{"damaged member", stored, []event{"file a.go", "skip corrupt archive damaged member.zip/b.go", "file c.go"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := writeArchive(t, base, tc.name+".zip", tc.data)
			res := walkAll(t, context.Background(), base, p, walk.Options{})
			if res.err != nil {
				t.Fatalf("Walk returned %v; a damaged archive must be a skip", res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
		})
	}
}

// tarMembers is the stream of the tar tests: the license file and the
// manifest come after the source files that need them.
func tarMembers() []entry {
	return []entry{
		{name: "pkg/", typeflag: tar.TypeDir},
		{name: "pkg/a.go", body: "package pkg\n", modified: time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)},
		{name: "pkg/sub/b.go", body: "package sub\n"},
		{name: "pkg/link.go", typeflag: tar.TypeSymlink, linkname: "a.go"},
		{name: "pkg/hard.go", typeflag: tar.TypeLink, linkname: "pkg/a.go"},
		{name: "pkg/fifo", typeflag: tar.TypeFifo},
		{name: "../evil.go", body: "package evil\n"},
		{name: "pkg/a.go", body: "package second\n"},
		{name: "pkg/LICENSE", body: "the license\n"},
		{name: "go.mod", body: "module example.com/t\n"},
	}
}

func TestWalkTar(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	raw := tarBytes(t, tarMembers()...)
	tests := []struct {
		name string
		file string
		data func(t *testing.T) []byte
	}{
		{"tar", "t.tar", func(*testing.T) []byte { return raw }},
		{"tar.gz", "t.tar.gz", func(t *testing.T) []byte { return gzipBytes(t, raw) }},
		{"tgz", "t.tgz", func(t *testing.T) []byte { return gzipBytes(t, raw) }},
		{"gzip found by its magic number", "gz.tar", func(t *testing.T) []byte { return gzipBytes(t, raw) }},
		{"crate", "t.crate", func(t *testing.T) []byte { return gzipBytes(t, raw) }},
		{"tar.bz2", "t.tar.bz2", func(t *testing.T) []byte { return bzip2Bytes(t, raw) }},
		{"tbz2", "t.tbz2", func(t *testing.T) []byte { return bzip2Bytes(t, raw) }},
		{"tar.xz", "t.tar.xz", func(t *testing.T) []byte { return xzBytes(t, raw) }},
		{"txz", "t.txz", func(t *testing.T) []byte { return xzBytes(t, raw) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(base, tc.name)
			p := writeArchive(t, dir, tc.file, tc.data(t))
			var checked bool
			var events []event
			err := walk.Walk(context.Background(), p, walk.Options{Meta: isMeta}, func(f *walk.File) error {
				events = append(events, "file "+f.Rel)
				if f.Rel != "pkg/a.go" {
					return nil
				}
				checked = true
				// The first member visited already sees the license
				// file and the manifest that follow it in the stream.
				if !slices.Equal(f.Dir.Names, []string{"a.go", "LICENSE"}) {
					t.Errorf("pkg Names = %q, want [a.go LICENSE] (no links, no duplicate)", f.Dir.Names)
				}
				if b, err := f.Dir.ReadFile("LICENSE"); err != nil || string(b) != "the license\n" {
					t.Errorf("ReadFile(LICENSE) = %q, %v", b, err)
				}
				if b, err := f.Dir.Parent.ReadFile("go.mod"); err != nil || string(b) != "module example.com/t\n" {
					t.Errorf("ReadFile(go.mod) = %q, %v", b, err)
				}
				if _, err := f.Dir.ReadFile("a.go"); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("ReadFile of a file Meta does not name: %v, want fs.ErrNotExist", err)
				}
				if b, err := f.ReadAll(nil, 100); err != nil || string(b) != "package pkg\n" {
					t.Errorf("content = %q, %v", b, err)
				}
				if want := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano(); f.ModTime != want {
					t.Errorf("ModTime = %d, want %d", f.ModTime, want)
				}
				if f.Root.Kind != "tar" || f.Path() != filepath.Join(p, "pkg", "a.go") {
					t.Errorf("Kind %q Path %q", f.Root.Kind, f.Path())
				}
				return nil
			}, func(s walk.Skip) {
				events = append(events, "skip "+s.Reason+" "+strings.TrimPrefix(s.Path, dir+"/"))
			})
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			if !checked {
				t.Fatal("pkg/a.go not visited")
			}
			// Stream order; links ignored without a skip; each skip
			// reported once though the stream is read twice.
			want := []event{
				"file pkg/a.go",
				"file pkg/sub/b.go",
				"skip special file " + tc.file + "/pkg/fifo",
				"skip unsafe archive path " + tc.file + "/../evil.go",
				"skip unsafe archive path " + tc.file + "/pkg/a.go",
				"file pkg/LICENSE",
				"file go.mod",
			}
			if !slices.Equal(events, want) {
				t.Errorf("events:\n got %q\nwant %q", events, want)
			}
		})
	}
}

// TestWalkTarOptions checks the size limits, Want and Exclude on a tar
// stream, and ReadFile without Meta.
func TestWalkTarOptions(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	hundred := strings.Repeat("y", 99) + "\n"
	data := tarBytes(t,
		entry{name: "a.go", body: hundred},
		entry{name: "big.go", body: randomText(5, 2000)},
		entry{name: "notes.txt", body: hundred},
		entry{name: "testdata/t.go", body: hundred},
		entry{name: "x/testdata/u.go", body: hundred},
		entry{name: "c.go", body: hundred},
		entry{name: "LICENSE", body: "the license\n"},
	)
	p := writeArchive(t, base, "o.tar", data)
	tests := []struct {
		name string
		opts walk.Options
		want []event
	}{
		{
			name: "MaxFileSize",
			opts: walk.Options{MaxFileSize: 1000},
			want: []event{"file a.go", "skip too large o.tar/big.go", "file notes.txt", "file testdata/t.go", "file x/testdata/u.go", "file c.go", "file LICENSE"},
		},
		{
			name: "Want",
			opts: walk.Options{Want: func(n string) bool { return path.Ext(n) == ".go" }},
			want: []event{"file a.go", "file big.go", "skip unsupported type o.tar/notes.txt", "file testdata/t.go", "file x/testdata/u.go", "file c.go", "skip unsupported type o.tar/LICENSE"},
		},
		{
			name: "Exclude files",
			opts: walk.Options{Exclude: func(_ *walk.Root, rel string, isDir bool) bool { return !isDir && path.Ext(rel) != ".go" }},
			want: []event{"file a.go", "file big.go", "file testdata/t.go", "file x/testdata/u.go", "file c.go"},
		},
		{
			// Exclude is asked about every path below the root:
			// directories of an archive as well as those of a tree.
			name: "Exclude directories",
			opts: walk.Options{Exclude: func(_ *walk.Root, rel string, isDir bool) bool { return isDir && path.Base(rel) == "testdata" }},
			want: []event{"file a.go", "file big.go", "file notes.txt", "file c.go", "file LICENSE"},
		},
		{
			name: "MaxArchiveBytes",
			opts: walk.Options{MaxArchiveBytes: 1000},
			want: []event{"file a.go", "skip archive limit o.tar"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := walkAll(t, context.Background(), base, p, tc.opts)
			if res.err != nil {
				t.Fatalf("Walk: %v", res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
		})
	}

	t.Run("ReadFile without Meta", func(t *testing.T) {
		t.Parallel()
		// A tar stream cannot be reread for one file: only what Meta
		// names is kept.
		err := walk.Walk(context.Background(), p, walk.Options{}, func(f *walk.File) error {
			if _, err := f.Dir.ReadFile("LICENSE"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("ReadFile(LICENSE) without Meta: %v, want fs.ErrNotExist", err)
			}
			return nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestWalkZipExcludeDirectories is the zip side of the "Exclude
// directories" case above.
func TestWalkZipExcludeDirectories(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	p := writeZip(t, base, "x.zip",
		entry{name: "a.go", body: "package a\n"},
		entry{name: "testdata/t.go", body: "package t\n"},
		entry{name: "x/testdata/deep/u.go", body: "package u\n"},
		entry{name: "x/v.go", body: "package v\n"},
	)
	var asked []string
	res := walkAll(t, context.Background(), base, p, walk.Options{Exclude: func(_ *walk.Root, rel string, isDir bool) bool {
		if isDir {
			asked = append(asked, rel+"/")
		}
		return isDir && path.Base(rel) == "testdata"
	}})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if want := []event{"file a.go", "file x/v.go"}; !slices.Equal(res.events, want) {
		t.Errorf("events:\n got %q\nwant %q", res.events, want)
	}
	if len(asked) == 0 {
		t.Error("Exclude was never asked about a directory")
	}
}

// TestWalkTruncatedTar checks that a stream damaged in the middle keeps the
// files before the damage, then reports the archive once as corrupt.
func TestWalkTruncatedTar(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	raw := tarBytes(t,
		entry{name: "a.go", body: "package a\n"},
		entry{name: "b.go", body: "package b\n"},
		entry{name: "c.go", body: randomText(6, 256<<10)}, // incompressible: the cut falls inside it
		entry{name: "d.go", body: "package d\n"},
		entry{name: "LICENSE", body: "the license\n"},
	)
	gz := gzipBytes(t, raw)
	tests := []struct {
		name string
		file string
		data []byte
	}{
		{"tgz cut in the middle", "cut.tgz", gz[:len(gz)/2]},
		{"tar cut in the middle", "cut.tar", raw[:len(raw)/2]},
		{"tgz without its trailer", "trailer.tgz", gz[:len(gz)-4]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := writeArchive(t, base, tc.file, tc.data)
			res := walkAll(t, context.Background(), base, p, walk.Options{Meta: isMeta})
			if res.err != nil {
				t.Fatalf("Walk returned %v; a damaged archive must be a skip", res.err)
			}
			want := []event{"file a.go", "file b.go", "skip corrupt archive " + tc.file}
			if tc.file == "trailer.tgz" {
				// Every member is whole; only the gzip trailer (CRC and
				// size) is gone. The tar reader stops at the end-of-archive
				// blocks and never reaches it: nothing to report.
				want = []event{"file a.go", "file b.go", "file c.go", "file d.go", "file LICENSE"}
			}
			if !slices.Equal(res.events, want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, want)
			}
		})
	}

	t.Run("not compressed data", func(t *testing.T) {
		t.Parallel()
		for _, name := range []string{"junk.tgz", "junk.tar", "junk.tar.bz2", "junk.tar.xz", "empty.tar.gz"} {
			data := []byte(randomText(7, 3000))
			if strings.HasPrefix(name, "empty") {
				data = nil
			}
			p := writeArchive(t, base, name, data)
			res := walkAll(t, context.Background(), base, p, walk.Options{Meta: isMeta})
			if res.err != nil {
				t.Errorf("%s: Walk returned %v", name, res.err)
			}
			want := []event{"skip corrupt archive " + name}
			if name == "empty.tar.gz" {
				// An empty file is an empty tar stream.
				want = nil
			}
			if !slices.Equal(res.events, want) {
				t.Errorf("%s: events %q, want %q", name, res.events, want)
			}
		}
	})
}

// TestWalkInsecurePathGODEBUG checks that the walker's own name checks
// apply whatever GODEBUG says: with zipinsecurepath=0 and
// tarinsecurepath=0 the standard readers flag archives holding "../" names,
// and an archive with one bad name must still have its good members read.
func TestWalkInsecurePathGODEBUG(t *testing.T) {
	base := t.TempDir()
	members := []entry{{name: "a.go", body: "package a\n"}, {name: "../evil.go", body: "package evil\n"}, {name: "b.go", body: "package b\n"}}
	z := writeZip(t, base, "i.zip", members...)
	tr := writeArchive(t, base, "i.tar", tarBytes(t, members...))
	t.Setenv("GODEBUG", "zipinsecurepath=0,tarinsecurepath=0")
	tests := []struct {
		name, path string
		want       []event
	}{
		{"zip", z, []event{"skip unsafe archive path i.zip/../evil.go", "file a.go", "file b.go"}},
		{"tar", tr, []event{"file a.go", "skip unsafe archive path i.tar/../evil.go", "file b.go"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := walkAll(t, context.Background(), base, tc.path, walk.Options{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
		})
	}
}

// fuzzWalk walks data saved as an archive named name, using every API a
// caller would, and fails on any error: a damaged archive must be a skip.
// fuzzDir is one directory per fuzzing process for fuzzWalk's archives:
// a t.TempDir per input made the fuzzer spend its time creating and
// removing directories.
var fuzzDir = sync.OnceValues(func() (string, error) { return os.MkdirTemp("", "snipscan-fuzz-walk") })

func fuzzWalk(t *testing.T, name string, data []byte) {
	dir, err := fuzzDir()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := walk.Options{MaxFileSize: 64 << 10, MaxArchiveBytes: 1 << 20, Meta: isMeta}
	err = walk.Walk(context.Background(), p, opts, func(f *walk.File) error {
		b, err := f.ReadAll(nil, opts.MaxFileSize)
		if err != nil {
			t.Errorf("ReadAll(%q): %v", f.Rel, err)
		}
		if int64(len(b)) > opts.MaxFileSize {
			t.Errorf("%q: %d bytes visited, over the limit", f.Rel, len(b))
		}
		if f.Rel == "" || strings.HasPrefix(f.Rel, "/") || f.Rel == ".." || strings.HasPrefix(f.Rel, "../") || strings.Contains(f.Rel, "/../") {
			t.Errorf("unsafe Rel %q visited", f.Rel)
		}
		for d := f.Dir; d != nil; d = d.Parent {
			for _, n := range d.Names {
				d.ReadFile(n)
			}
		}
		return nil
	}, func(walk.Skip) {})
	if err != nil {
		t.Fatalf("Walk returned %v", err)
	}
}

func FuzzZip(f *testing.F) {
	good := zipBytes(f,
		entry{name: "a/a.go", body: "package a\n"},
		entry{name: "a/LICENSE", body: "license\n"},
		entry{name: "../x.go", body: "x"},
		entry{name: "b.go", body: strings.Repeat("b", 5000)},
	)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[len(good)/3:])
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzWalk(t, "f.zip", data)
	})
}

func FuzzTar(f *testing.F) {
	raw := tarBytes(f,
		entry{name: "a/a.go", body: "package a\n"},
		entry{name: "a/LICENSE", body: "license\n"},
		entry{name: "a/l", typeflag: tar.TypeSymlink, linkname: "../../etc"},
		entry{name: "../x.go", body: "x"},
		entry{name: "b.go", body: strings.Repeat("b", 5000)},
	)
	gz := gzipBytes(f, raw)
	for _, d := range [][]byte{raw, raw[:700], gz, gz[:len(gz)/2], {}, {0x1f, 0x8b}} {
		f.Add(d, uint8(0))
		f.Add(d, uint8(1))
	}
	xzd := xzBytes(f, raw)
	f.Add(xzd, uint8(3))
	f.Add(xzd[:len(xzd)/2], uint8(3))
	if _, err := exec.LookPath("bzip2"); err == nil {
		bz := bzip2Bytes(f, raw)
		f.Add(bz, uint8(2))
		f.Add(bz[:len(bz)/2], uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		name := [...]string{"f.tar", "f.tgz", "f.tar.bz2", "f.tar.xz"}[int(kind)%4]
		fuzzWalk(t, name, data)
	})
}

// TestWalkMetaAfterWalk checks that the files Options.Meta names are
// served by Dir.ReadFile after Walk has returned and closed the archive:
// a pipeline looks at a file's license and manifest in other goroutines,
// after the visit.
func TestWalkMetaAfterWalk(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	members := []entry{
		{name: "m/a.go", body: "package a\n"},
		{name: "m/LICENSE", body: "the license\n"},
		{name: "go.mod", body: "module example.com/m\n"},
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"after.zip", zipBytes(t, members...)},
		{"after.tgz", gzipBytes(t, tarBytes(t, members...))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := writeArchive(t, base, tc.name, tc.data)
			var dir *walk.Dir
			err := walk.Walk(context.Background(), p, walk.Options{Meta: isMeta}, func(f *walk.File) error {
				if f.Rel == "m/a.go" {
					dir = f.Dir
				}
				return nil
			}, nil)
			if err != nil || dir == nil {
				t.Fatalf("Walk: %v (m/a.go visited: %v)", err, dir != nil)
			}
			if b, err := dir.ReadFile("LICENSE"); err != nil || string(b) != "the license\n" {
				t.Errorf("ReadFile(LICENSE) after the walk = %q, %v", b, err)
			}
			if b, err := dir.Parent.ReadFile("go.mod"); err != nil || string(b) != "module example.com/m\n" {
				t.Errorf("ReadFile(go.mod) after the walk = %q, %v", b, err)
			}
		})
	}
}

// TestReadMember reads members back by the names Walk reports: cleaned
// ("./a/../b.go" is "b.go"), of the indexed size only (another size is
// ErrOtherSize, a missing member fs.ErrNotExist), never an unsafe name,
// and not from a tar archive over the size limit.
func TestReadMember(t *testing.T) {
	dir := t.TempDir()
	entries := []entry{
		{name: "./pkg/../b.go", body: "package b\n"},
		{name: "../evil.go", body: "package evil\n"},
		{name: "mod/c.go", body: "package c\n"},
	}
	zipPath := writeZip(t, dir, "m.zip", entries...)
	tgzPath := writeArchive(t, dir, "m.tgz", gzipBytes(t, tarBytes(t, entries...)))
	read := map[string]func(rel string, size int64) ([]byte, error){
		"zip": func(rel string, size int64) ([]byte, error) { return walk.ReadZipMember(zipPath, rel, size) },
		"tar": func(rel string, size int64) ([]byte, error) { return walk.ReadTarMember(tgzPath, rel, size, 1<<20) },
	}
	for kind, rd := range read {
		if got, err := rd("b.go", 10); err != nil || string(got) != "package b\n" {
			t.Errorf("%s: b.go = %q, %v", kind, got, err)
		}
		if got, err := rd("mod/c.go", 10); err != nil || string(got) != "package c\n" {
			t.Errorf("%s: mod/c.go = %q, %v", kind, got, err)
		}
		if _, err := rd("mod/c.go", 11); !errors.Is(err, walk.ErrOtherSize) {
			t.Errorf("%s: mod/c.go read at another size: %v, want %v", kind, err, walk.ErrOtherSize)
		}
		if _, err := rd("missing.go", 11); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: a missing member: %v, want %v", kind, err, fs.ErrNotExist)
		}
		for _, rel := range []string{"../evil.go", "evil.go", "missing.go"} {
			if got, err := rd(rel, 13); err == nil {
				t.Errorf("%s: %s read: %q", kind, rel, got)
			}
		}
	}
	if _, err := walk.ReadTarMember(tgzPath, "b.go", 10, 16); !errors.Is(err, walk.ErrTooLarge) {
		t.Errorf("tar over the limit: %v", err)
	}
}

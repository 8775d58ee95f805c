package walk_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/snipscan/snipscan/walk"
)

// event is what one Walk callback saw, in a form tests compare: "file REL"
// or "skip REASON PATH", PATH relative to the directory the test built.
type event = string

// result is everything one Walk call reported.
type result struct {
	events []event
	data   map[string]string // content by Rel, as File.ReadAll returned it
	files  map[string]*walk.File
	err    error
}

// walkAll walks p and records every visit and skip. Skip paths are made
// relative to base (the test's temporary directory) so that expectations
// do not depend on where it lies.
func walkAll(t *testing.T, ctx context.Context, base, p string, opts walk.Options) result {
	t.Helper()
	res := result{data: map[string]string{}, files: map[string]*walk.File{}}
	rel := func(s string) string {
		if r, ok := strings.CutPrefix(s, base+string(filepath.Separator)); ok {
			return filepath.ToSlash(r)
		}
		return s
	}
	res.err = walk.Walk(ctx, p, opts, func(f *walk.File) error {
		b, err := f.ReadAll(nil, 64<<20)
		if err != nil {
			t.Errorf("ReadAll(%s): %v", f.Rel, err)
		}
		res.events = append(res.events, "file "+f.Rel)
		res.data[f.Rel] = string(b)
		res.files[f.Rel] = f
		return nil
	}, func(s walk.Skip) {
		res.events = append(res.events, "skip "+s.Reason+" "+rel(s.Path))
	})
	return res
}

// writeFile writes content to the slash path rel below dir, creating
// parent directories.
func writeFile(t *testing.T, dir, rel, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks not supported: %v", err)
	}
}

// buildTree makes the directory tree most directory tests walk:
//
//	tree/a.go, tree/b.go
//	tree/sub/c.go, tree/sub/deeper/d.go
//	tree/.git/config.go, tree/.hg/x.go, tree/sub/.svn/y.go, tree/CVS/z.go  (VCS: never entered)
//	tree/fifo                      (special file)
//	tree/sub/loop -> ..            (symlink loop)
//	tree/sub/link.go -> ../a.go    (symlink to a file)
//	tree/dangling.go -> missing.go (broken symlink)
//	tree/linkdir -> sub/deeper     (symlink to a directory)
//	tree/self -> self              (a link to itself)
func buildTree(t *testing.T) (base, root string) {
	t.Helper()
	base = t.TempDir()
	root = filepath.Join(base, "tree")
	for rel, content := range map[string]string{
		"a.go":            "package a\n",
		"b.go":            "package b\n",
		"sub/c.go":        "package c\n",
		"sub/deeper/d.go": "package d\n",
		".git/config.go":  "package git\n",
		".hg/x.go":        "package hg\n",
		"sub/.svn/y.go":   "package svn\n",
		"CVS/z.go":        "package cvs\n",
	} {
		writeFile(t, root, rel, content)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	symlink(t, "..", filepath.Join(root, "sub", "loop"))
	symlink(t, "../a.go", filepath.Join(root, "sub", "link.go"))
	symlink(t, "missing.go", filepath.Join(root, "dangling.go"))
	symlink(t, "sub/deeper", filepath.Join(root, "linkdir"))
	symlink(t, "self", filepath.Join(root, "self"))
	return base, root
}

func TestWalkDirectoryTree(t *testing.T) {
	t.Parallel()
	base, root := buildTree(t)
	tests := []struct {
		name string
		opts walk.Options
		want []event
	}{
		{
			name: "follow symlinks",
			want: []event{
				// A directory's skips as its entries are listed, then
				// its files (sorted), then its subdirectories (sorted),
				// depth first.
				"skip unreadable tree/dangling.go",
				"skip special file tree/fifo",
				"skip symlink loop tree/self",
				"file a.go",
				"file b.go",
				"file linkdir/d.go",
				"file sub/c.go",
				"file sub/link.go",
				"file sub/deeper/d.go",
				"skip symlink loop tree/sub/loop",
			},
		},
		{
			name: "NoFollow",
			opts: walk.Options{NoFollow: true},
			want: []event{
				"skip special file tree/fifo",
				"file a.go",
				"file b.go",
				"file sub/c.go",
				"file sub/deeper/d.go",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := walkAll(t, context.Background(), base, root, tc.opts)
			if res.err != nil {
				t.Fatalf("Walk: %v", res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
			// Deterministic: a second walk reports the same sequence.
			again := walkAll(t, context.Background(), base, root, tc.opts)
			if !slices.Equal(again.events, res.events) {
				t.Errorf("second walk differs:\n got %q\nwant %q", again.events, res.events)
			}
		})
	}

	t.Run("symlinked file is read through the link", func(t *testing.T) {
		t.Parallel()
		res := walkAll(t, context.Background(), base, root, walk.Options{})
		if got := res.data["sub/link.go"]; got != "package a\n" {
			t.Errorf("sub/link.go = %q, want the content of a.go", got)
		}
		f := res.files["sub/link.go"]
		if f == nil || f.Size != int64(len("package a\n")) {
			t.Errorf("sub/link.go Size: got %+v", f)
		}
	})
}

func TestWalkFileFields(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "proj")
	writeFile(t, root, "go.mod", "module example.com/proj\n")
	writeFile(t, root, "LICENSE", "license text\n")
	writeFile(t, root, "pkg/x/x.go", "package x\n")
	mtime := mustStat(t, filepath.Join(root, "pkg/x/x.go")).ModTime().UnixNano()

	for _, display := range []string{root, root + "/"} {
		t.Run("display "+strings.TrimPrefix(display, base), func(t *testing.T) {
			t.Parallel()
			var got *walk.File
			err := walk.Walk(context.Background(), display, walk.Options{}, func(f *walk.File) error {
				if f.Rel == "pkg/x/x.go" {
					got = f
					// Dir is usable during the visit: siblings and
					// ancestors.
					if f.Dir.Rel != "pkg/x" || !f.Dir.Has("x.go") || f.Dir.Has("go.mod") {
						t.Errorf("Dir: Rel %q Names %q", f.Dir.Rel, f.Dir.Names)
					}
					top := f.Dir.Parent.Parent
					if top == nil || top.Rel != "" || top.Parent != nil {
						t.Fatalf("root Dir: %+v", top)
					}
					if !top.Has("LICENSE") || !top.Has("go.mod") {
						t.Errorf("root Names = %q", top.Names)
					}
					b, err := top.ReadFile("go.mod")
					if err != nil || string(b) != "module example.com/proj\n" {
						t.Errorf("ReadFile(go.mod) = %q, %v", b, err)
					}
					if _, err := f.Dir.ReadFile("LICENSE"); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
					}
				}
				return nil
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("pkg/x/x.go not visited")
			}
			if got.Name() != "pkg/x/x.go" {
				t.Errorf("Name() = %q", got.Name())
			}
			if want := filepath.Join(root, "pkg", "x", "x.go"); got.Path() != want {
				t.Errorf("Path() = %q, want %q", got.Path(), want)
			}
			if got.Root.Kind != "dir" || got.Root.Path != root || got.Root.Display != display {
				t.Errorf("Root = %+v", got.Root)
			}
			if got.Size != int64(len("package x\n")) || got.ModTime != mtime {
				t.Errorf("Size %d ModTime %d, want %d %d", got.Size, got.ModTime, len("package x\n"), mtime)
			}
		})
	}

	t.Run("single file root", func(t *testing.T) {
		t.Parallel()
		p := filepath.Join(root, "pkg", "x", "x.go")
		var got []*walk.File
		if err := walk.Walk(context.Background(), p, walk.Options{}, func(f *walk.File) error {
			got = append(got, f)
			return nil
		}, nil); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("visited %d files, want 1", len(got))
		}
		f := got[0]
		if f.Rel != "" || f.Name() != "x.go" || f.Path() != p || f.Root.Kind != "file" {
			t.Errorf("Rel %q Name %q Path %q Kind %q", f.Rel, f.Name(), f.Path(), f.Root.Kind)
		}
		if b, err := f.ReadAll(nil, 100); err != nil || string(b) != "package x\n" {
			t.Errorf("ReadAll = %q, %v", b, err)
		}
	})

	t.Run("relative root is displayed as given", func(t *testing.T) {
		t.Parallel()
		// Walk resolves a relative path against the working directory;
		// the display path keeps the user's spelling.
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		relRoot, err := filepath.Rel(wd, root)
		if err != nil {
			t.Skip(err)
		}
		var paths []string
		if err := walk.Walk(context.Background(), relRoot, walk.Options{}, func(f *walk.File) error {
			paths = append(paths, f.Path())
			if f.Root.Path != root {
				t.Errorf("Root.Path = %q, want absolute %q", f.Root.Path, root)
			}
			return nil
		}, nil); err != nil {
			t.Fatal(err)
		}
		want := []string{
			filepath.Join(relRoot, "LICENSE"),
			filepath.Join(relRoot, "go.mod"),
			filepath.Join(relRoot, "pkg", "x", "x.go"),
		}
		if !slices.Equal(paths, want) {
			t.Errorf("paths = %q, want %q", paths, want)
		}
	})
}

func mustStat(t *testing.T, p string) fs.FileInfo {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDisplayPath(t *testing.T) {
	t.Parallel()
	sep := string(filepath.Separator)
	tests := []struct {
		name, display, rel, want string
	}{
		{"root itself", "src", "", "src"},
		{"plain", "src", "a/b.go", "src" + sep + "a" + sep + "b.go"},
		{"trailing slash kept once", "src/", "a.go", "src/a.go"},
		{"dot", ".", "a.go", "." + sep + "a.go"},
		{"absolute", "/x/y", "z.go", "/x/y" + sep + "z.go"},
		{"archive member", "dist/p.zip", "p/q.go", "dist/p.zip" + sep + "p" + sep + "q.go"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := walk.DisplayPath(tc.display, tc.rel); got != tc.want {
				t.Errorf("DisplayPath(%q, %q) = %q, want %q", tc.display, tc.rel, got, tc.want)
			}
		})
	}
}

func TestArchiveKind(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"a.zip", "zip"}, {"A.JAR", "zip"}, {"x.tar", "tar"}, {"x.tar.gz", "tar"}, {"x.TGZ", "tar"},
		{"x.tar.bz2", "tar"}, {"x.tbz2", "tar"}, {"x.crate", "tar"},
		{"x.gz", ""}, {"x.go", ""}, {"zip", ""}, {"x.bz2", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := walk.ArchiveKind(tc.name); got != tc.want {
				t.Errorf("ArchiveKind(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

// TestWalkSizeLimit checks that a file over MaxFileSize is skipped from
// its size alone: the files are sparse and far larger than the test could
// read in its time budget.
func TestWalkSizeLimit(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "big")
	writeFile(t, root, "small.go", strings.Repeat("x", 100))
	writeFile(t, root, "limit.go", strings.Repeat("x", 1000))
	huge := writeFile(t, root, "huge.go", "")
	if err := os.Truncate(huge, 1<<36); err != nil { // 64 GiB, sparse
		t.Skipf("sparse file: %v", err)
	}
	defaultLimit := writeFile(t, root, "over-default.go", "")
	if err := os.Truncate(defaultLimit, walk.DefaultMaxFileSize+1); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		path string
		opts walk.Options
		want []event
	}{
		{
			name: "explicit limit",
			path: root,
			opts: walk.Options{MaxFileSize: 1000},
			want: []event{"skip too large big/huge.go", "file limit.go", "skip too large big/over-default.go", "file small.go"},
		},
		{
			name: "default limit",
			path: root,
			want: []event{"skip too large big/huge.go", "file limit.go", "skip too large big/over-default.go", "file small.go"},
		},
		{
			name: "tight limit",
			path: root,
			opts: walk.Options{MaxFileSize: 999},
			want: []event{"skip too large big/huge.go", "skip too large big/limit.go", "skip too large big/over-default.go", "file small.go"},
		},
		{
			name: "single file root",
			path: huge,
			want: []event{"skip too large big/huge.go"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := walkAll(t, context.Background(), base, tc.path, tc.opts)
			if res.err != nil {
				t.Fatal(res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
		})
	}
}

// TestReadAll checks File.ReadAll's own limit, which holds whatever size
// the walk saw, and its reuse of the caller's buffer.
func TestReadAll(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "r")
	writeFile(t, root, "a.go", strings.Repeat("a", 300))
	writeFile(t, root, "empty.go", "")

	tests := []struct {
		name    string
		rel     string
		buf     []byte
		max     int64
		want    int
		wantErr error
	}{
		{name: "fits", rel: "a.go", max: 300, want: 300},
		{name: "over the limit", rel: "a.go", max: 299, wantErr: walk.ErrTooLarge},
		{name: "reuses a large buffer", rel: "a.go", buf: make([]byte, 0, 4096), max: 1 << 20, want: 300},
		{name: "small buffer grows", rel: "a.go", buf: make([]byte, 0, 3), max: 1 << 20, want: 300},
		{name: "empty file", rel: "empty.go", max: 10, want: 0},
		{name: "empty file zero limit", rel: "empty.go", max: 0, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var f *walk.File
			err := walk.Walk(context.Background(), root, walk.Options{}, func(v *walk.File) error {
				if v.Rel == tc.rel {
					f = v
				}
				return nil
			}, nil)
			if err != nil || f == nil {
				t.Fatalf("Walk: %v, file %v", err, f)
			}
			b, err := f.ReadAll(tc.buf, tc.max)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ReadAll err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if len(b) != tc.want {
				t.Errorf("len = %d, want %d", len(b), tc.want)
			}
			if tc.buf != nil && cap(tc.buf) >= tc.want+1 && &b[:1][0] != &tc.buf[:1][0] {
				t.Errorf("buffer of cap %d was not reused", cap(tc.buf))
			}
		})
	}

	t.Run("file grown after the walk", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(base, "grow")
		p := writeFile(t, dir, "g.go", "small")
		err := walk.Walk(context.Background(), dir, walk.Options{MaxFileSize: 10}, func(f *walk.File) error {
			// The file grows past the limit between the walk's stat and
			// the read: the declared size must not be trusted.
			if err := os.WriteFile(p, []byte(strings.Repeat("x", 100)), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := f.ReadAll(nil, 10); !errors.Is(err, walk.ErrTooLarge) {
				t.Errorf("ReadAll of a grown file: %v, want ErrTooLarge", err)
			}
			return nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestWalkFilters(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "f")
	for _, rel := range []string{"a.go", "a.txt", "README", "gen/g.go", "gen/h.txt", "keep/k.go", "keep/testdata/t.go"} {
		writeFile(t, root, rel, "content of "+rel+"\n")
	}

	var asked []string
	tests := []struct {
		name  string
		opts  walk.Options
		want  []event
		check func(t *testing.T)
	}{
		{
			name: "Want filters by slash path without reading",
			opts: walk.Options{Want: func(name string) bool { return path.Ext(name) == ".go" }},
			want: []event{
				"skip unsupported type f/README", "file a.go", "skip unsupported type f/a.txt",
				"file gen/g.go", "skip unsupported type f/gen/h.txt",
				"file keep/k.go", "file keep/testdata/t.go",
			},
		},
		{
			name: "Exclude a directory and a file",
			opts: walk.Options{Exclude: func(_ *walk.Root, rel string, isDir bool) bool {
				return isDir && (rel == "gen" || path.Base(rel) == "testdata") || !isDir && rel == "a.txt"
			}},
			want: []event{"file README", "file a.go", "file keep/k.go"},
		},
		{
			name: "Exclude is asked about every path with its root, directories not entered",
			opts: walk.Options{Exclude: func(r *walk.Root, rel string, isDir bool) bool {
				if r.Path != root || r.Display != root {
					t.Errorf("Exclude asked about %s with root %+v, want %s", rel, r, root)
				}
				asked = append(asked, rel+map[bool]string{true: "/", false: ""}[isDir])
				return rel == "gen"
			}},
			want: []event{"file README", "file a.go", "file a.txt", "file keep/k.go", "file keep/testdata/t.go"},
			check: func(t *testing.T) {
				want := []string{"README", "a.go", "a.txt", "gen/", "keep/", "keep/k.go", "keep/testdata/", "keep/testdata/t.go"}
				if !slices.Equal(asked, want) {
					t.Errorf("Exclude asked about %q, want %q", asked, want)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Not parallel: one case records into asked.
			res := walkAll(t, context.Background(), base, root, tc.opts)
			if res.err != nil {
				t.Fatal(res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
			if tc.check != nil {
				tc.check(t)
			}
		})
	}
}

func TestWalkErrors(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "e")
	writeFile(t, root, "a.go", "package a\n")
	writeFile(t, root, "b.go", "package b\n")
	fifo := filepath.Join(base, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	stop := errors.New("stop")

	tests := []struct {
		name  string
		path  string
		visit func(*walk.File) error
		want  error // nil: any non-nil error
	}{
		{name: "missing root", path: filepath.Join(base, "nope")},
		{name: "special file root", path: fifo},
		{name: "visit error stops the walk", path: root, visit: func(*walk.File) error { return stop }, want: stop},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			visit := func(f *walk.File) error {
				n++
				if tc.visit != nil {
					return tc.visit(f)
				}
				return nil
			}
			err := walk.Walk(context.Background(), tc.path, walk.Options{}, visit, nil)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Walk = %v, want %v", err, tc.want)
			}
			if tc.want == stop && n != 1 {
				t.Errorf("visited %d files after the error, want 1", n)
			}
		})
	}
}

// TestWalkCancel checks that a cancelled context stops every kind of walk:
// no file is visited after the cancellation and Walk reports it.
func TestWalkCancel(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	flat := filepath.Join(base, "flat")
	nested := filepath.Join(base, "nested")
	var members []entry
	for _, n := range []string{"a.go", "b.go", "c.go", "d.go"} {
		writeFile(t, flat, n, "package x\n")
		writeFile(t, nested, "p/"+n, "package x\n")
		members = append(members, entry{name: "p/" + n, body: "package x\n"})
	}
	zipPath := writeZip(t, base, "c.zip", members...)
	tarPath := writeArchive(t, base, "c.tar", tarBytes(t, members...))
	tgzPath := writeArchive(t, base, "c.tgz", gzipBytes(t, tarBytes(t, members...)))

	single := filepath.Join(flat, "a.go")
	t.Run("single file/cancelled before", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := walk.Walk(ctx, single, walk.Options{}, func(*walk.File) error {
			t.Error("visited a file after the cancellation")
			return nil
		}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Walk = %v, want context.Canceled", err)
		}
	})
	for _, p := range []string{flat, nested, zipPath, tarPath, tgzPath} {
		t.Run(filepath.Base(p)+"/cancelled during the walk", func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			err := walk.Walk(ctx, p, walk.Options{}, func(*walk.File) error {
				n++
				cancel()
				return nil
			}, nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Walk = %v, want context.Canceled", err)
			}
			if n != 1 {
				t.Errorf("visited %d files, want 1 (none after the cancellation)", n)
			}
		})
		t.Run(filepath.Base(p)+"/cancelled before", func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			n := 0
			err := walk.Walk(ctx, p, walk.Options{}, func(*walk.File) error { n++; return nil }, nil)
			if !errors.Is(err, context.Canceled) || n != 0 {
				t.Errorf("Walk = %v after %d visits, want context.Canceled and none", err, n)
			}
		})
	}
}

// TestWalkArchivesInDirectories checks Options.Archives: archives inside a
// directory are files like any other unless it is set.
func TestWalkArchivesInDirectories(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "d")
	writeFile(t, root, "a.go", "package a\n")
	writeFile(t, root, "z/last.go", "package z\n")
	writeZip(t, root, "lib.zip", entry{name: "m/x.go", body: "package x\n"})
	writeArchive(t, root, "lib.tar.gz", gzipBytes(t, tarBytes(t, entry{name: "y.go", body: "package y\n"})))

	tests := []struct {
		name string
		opts walk.Options
		want []event
	}{
		{
			name: "archives are plain files",
			want: []event{"file a.go", "file lib.tar.gz", "file lib.zip", "file z/last.go"},
		},
		{
			name: "Archives descends after the directory's files",
			opts: walk.Options{Archives: true},
			want: []event{"file a.go", "file y.go", "file m/x.go", "file z/last.go"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := walkAll(t, context.Background(), base, root, tc.opts)
			if res.err != nil {
				t.Fatal(res.err)
			}
			if !slices.Equal(res.events, tc.want) {
				t.Errorf("events:\n got %q\nwant %q", res.events, tc.want)
			}
			if tc.opts.Archives {
				f := res.files["m/x.go"]
				if f == nil {
					t.Fatal("m/x.go not visited")
				}
				if f.Root.Kind != "zip" || f.Root.Path != filepath.Join(root, "lib.zip") {
					t.Errorf("Root = %+v", f.Root)
				}
				if want := filepath.Join(root, "lib.zip", "m", "x.go"); f.Path() != want {
					t.Errorf("Path() = %q, want %q", f.Path(), want)
				}
			}
		})
	}
}

// TestSkipsOfUnwantedFiles checks that a file Options.Want rules out is
// skipped as an unsupported type whatever else is wrong with it (too
// large, special, unreadable), so that the other reasons name only files
// that would have been read; and that an excluded file is not reported.
func TestSkipsOfUnwantedFiles(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "t")
	writeFile(t, root, "big.go", strings.Repeat("x", 200))
	writeFile(t, root, "big.png", strings.Repeat("x", 200))
	writeFile(t, root, "ok.go", "package ok\n")
	for _, name := range []string{"fifo.go", "fifo.png", "excluded.go"} {
		if err := syscall.Mkfifo(filepath.Join(root, name), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	symlink(t, "missing.go", filepath.Join(root, "dangling.go"))
	symlink(t, "missing.png", filepath.Join(root, "dangling.png"))
	symlink(t, "ok.go/x", filepath.Join(root, "notdir.go"))
	opts := walk.Options{
		MaxFileSize: 100,
		Want:        func(name string) bool { return strings.HasSuffix(name, ".go") },
		Exclude:     func(_ *walk.Root, rel string, isDir bool) bool { return rel == "excluded.go" },
	}
	res := walkAll(t, context.Background(), base, root, opts)
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := []event{
		"skip unreadable t/dangling.go",
		"skip unsupported type t/dangling.png",
		"skip special file t/fifo.go",
		"skip unsupported type t/fifo.png",
		"skip unreadable t/notdir.go",
		"skip too large t/big.go",
		"skip unsupported type t/big.png",
		"file ok.go",
	}
	if !slices.Equal(res.events, want) {
		t.Errorf("events:\n got %q\nwant %q", res.events, want)
	}
}

// TestTooLargeHead checks that a file skipped as too large carries its
// first HeadSize bytes, in a directory, a zip and a tar archive, so that
// source code can be told from data without reading it all.
func TestTooLargeHead(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	big := "#!/bin/sh\n" + strings.Repeat("echo filler line\n", 1000) // 17,010 bytes
	short := "#!/bin/sh\n" + strings.Repeat("echo x\n", 20)           // 150 bytes
	dir := filepath.Join(base, "d")
	writeFile(t, dir, "big", big)
	writeFile(t, dir, "short", short)
	z := writeZip(t, base, "z.zip", entry{name: "big", body: big}, entry{name: "short", body: short})
	tr := writeArchive(t, base, "t.tar", tarBytes(t, entry{name: "big", body: big}, entry{name: "short", body: short}))
	for _, p := range []string{dir, z, tr} {
		heads := map[string]string{}
		err := walk.Walk(context.Background(), p, walk.Options{MaxFileSize: 100}, func(f *walk.File) error {
			t.Errorf("%s visited", f.Path())
			return nil
		}, func(s walk.Skip) {
			if s.Reason != walk.ReasonTooLarge {
				t.Errorf("skip %v", s)
			}
			heads[filepath.Base(s.Path)] = string(s.Head)
		})
		if err != nil {
			t.Fatal(err)
		}
		if heads["big"] != big[:walk.HeadSize] || heads["short"] != short {
			t.Errorf("%s: heads of %d and %d bytes, want %d and %d", p, len(heads["big"]), len(heads["short"]), walk.HeadSize, len(short))
		}
	}
}

// TestCycleLosesNothing checks that a link to a directory above it is
// reported with ErrCycle (its files are walked at their own path), and a
// link that resolves nowhere (a link to itself) is not.
func TestCycleLosesNothing(t *testing.T) {
	t.Parallel()
	_, root := buildTree(t)
	errs := map[string]error{}
	err := walk.Walk(context.Background(), root, walk.Options{}, func(*walk.File) error { return nil }, func(s walk.Skip) {
		if s.Reason == walk.ReasonSymlinkLoop {
			errs[strings.TrimPrefix(s.Path, root+string(filepath.Separator))] = s.Err
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || !errors.Is(errs["sub/loop"], walk.ErrCycle) || errs["self"] == nil || errors.Is(errs["self"], walk.ErrCycle) {
		t.Errorf("symlink loops: %v; want sub/loop with ErrCycle and self with another error", errs)
	}
}

// TestDanglingLinks checks that a symbolic link that leads nowhere (to a
// file that does not exist, or through a file as if it were a directory)
// is skipped as unreadable with ErrDanglingLink, with or without a source
// file's name, and that a link to itself is not one.
func TestDanglingLinks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFile(t, root, "a.go", "package a\n")
	symlink(t, filepath.Join(root, "nonexistent", "out"), filepath.Join(root, "result"))
	symlink(t, "missing.go", filepath.Join(root, "b.go"))
	symlink(t, "a.go/x", filepath.Join(root, "c.go"))
	symlink(t, "self", filepath.Join(root, "self"))
	errs := map[string]error{}
	reasons := map[string]string{}
	err := walk.Walk(context.Background(), root, walk.Options{}, func(*walk.File) error { return nil }, func(s walk.Skip) {
		rel := strings.TrimPrefix(s.Path, root+string(filepath.Separator))
		errs[rel], reasons[rel] = s.Err, s.Reason
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"result", "b.go", "c.go"} {
		if reasons[name] != walk.ReasonUnreadable || !errors.Is(errs[name], walk.ErrDanglingLink) {
			t.Errorf("%s: %s, %v; want unreadable, a link that leads nowhere", name, reasons[name], errs[name])
		}
	}
	if reasons["self"] != walk.ReasonSymlinkLoop || errors.Is(errs["self"], walk.ErrDanglingLink) {
		t.Errorf("self: %s, %v; want a symlink loop", reasons["self"], errs["self"])
	}
}

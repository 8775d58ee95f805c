package indexer_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/pkgmeta"
	"github.com/snipscan/snipscan/walk"
)

// The fixtures are built at test time from GOROOT files (real, licensed
// code: BSD-3-Clause, The Go Authors); nothing third-party is kept in the
// repository.

var gorootDir = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	return strings.TrimSpace(string(out)), err
})

// goroot returns GOROOT, skipping the test if its sources are missing.
func goroot(t *testing.T) string {
	t.Helper()
	root, err := gorootDir()
	if err != nil || root == "" {
		t.Skipf("go env GOROOT: %v", err)
	}
	for _, p := range []string{"LICENSE", "src/container/list/list.go"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Skipf("GOROOT sources not available: %v", err)
		}
	}
	return root
}

// gorootFile returns the content of a file below GOROOT.
func gorootFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goroot(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withoutHeader returns a Go file without its leading comment lines (its
// copyright and license header).
func withoutHeader(src []byte) []byte {
	for len(src) > 0 && bytes.HasPrefix(src, []byte("//")) {
		_, src, _ = bytes.Cut(src, []byte("\n"))
	}
	return src
}

// put writes data at the slash path rel below dir.
func put(t *testing.T, dir, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies the regular files below src into dst and returns their
// slash paths below dst, sorted.
func copyTree(t *testing.T, src, dst string) []string {
	t.Helper()
	var rels []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		put(t, dst, filepath.ToSlash(rel), data)
		rels = append(rels, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rels)
	return rels
}

// apacheText returns the text of the Apache License 2.0, from
// licensecheck's test data or Debian's common licenses, skipping the test
// if neither is on the machine.
func apacheText(t *testing.T) []byte {
	t.Helper()
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/licensecheck").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if b, err := os.ReadFile(filepath.Join(dir, "testdata", "Apache-2.0.t1")); err == nil {
			// A test case: a header (expected result) before the first
			// blank line, then the text.
			if _, text, ok := bytes.Cut(b, []byte("\n\n")); ok && bytes.Contains(text, []byte("Apache License")) {
				return text
			}
		}
	}
	if b, err := os.ReadFile("/usr/share/common-licenses/Apache-2.0"); err == nil {
		return b
	}
	t.Skip("no Apache-2.0 license text on this machine")
	return nil
}

func openDB(t *testing.T) *corpus.DB {
	t.Helper()
	db, err := corpus.Open(filepath.Join(t.TempDir(), "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// index runs indexer.Index with two workers and checks the database
// afterwards.
func index(t *testing.T, db *corpus.DB, opts indexer.Options, paths ...string) *indexer.Stats {
	t.Helper()
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	st, err := indexer.Index(context.Background(), db, paths, opts)
	if err != nil {
		t.Fatalf("Index: %v", err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("Check after Index: %v", err)
	}
	// Every file the run saw is new, a duplicate or unchanged; skips
	// are counted apart.
	if st.Files != st.Indexed+st.Duplicates+st.Unchanged {
		t.Errorf("Stats: Files %d != Indexed %d + Duplicates %d + Unchanged %d", st.Files, st.Indexed, st.Duplicates, st.Unchanged)
	}
	return st
}

// loc is one location of the corpus with its file record.
type loc struct {
	corpus.LocationInfo
	File corpus.FileRecord
}

// locations returns every location in db, keyed by the root's base name
// joined with the path below it ("src/container/list/list.go").
func locations(t *testing.T, db *corpus.DB) map[string]loc {
	t.Helper()
	info, err := db.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// File IDs are allocated from 1 in increasing order.
	var ids []uint32
	for id := uint32(1); id <= uint32(info.Files+info.DeadFiles+64); id++ {
		ids = append(ids, id)
	}
	files, err := db.Files(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]loc{}
	for _, f := range files {
		for _, l := range f.Locations {
			key := path.Join(filepath.Base(l.Root.Path), l.Path)
			if _, dup := out[key]; dup {
				t.Fatalf("location %s listed twice", key)
			}
			out[key] = loc{LocationInfo: l, File: f.FileRecord}
		}
	}
	if len(out) != info.Locations {
		t.Fatalf("found %d locations through Files, Info says %d", len(out), info.Locations)
	}
	return out
}

func info(t *testing.T, db *corpus.DB) *corpus.Info {
	t.Helper()
	in, err := db.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestLicenseAboveRoot indexes a copy of GOROOT's container/ directory
// whose LICENSE lies two directories above the indexed root, as
// GOROOT/LICENSE lies above GOROOT/src/... : every file gets BSD-3-Clause
// from that file.
func TestLicenseAboveRoot(t *testing.T) {
	t.Parallel()
	gr := goroot(t)
	base := t.TempDir()
	put(t, base, "LICENSE", gorootFile(t, "LICENSE"))
	root := filepath.Join(base, "go", "src")
	rels := copyTree(t, filepath.Join(gr, "src", "container"), filepath.Join(root, "container"))
	db := openDB(t)
	st := index(t, db, indexer.Options{}, root)

	if st.Files != len(rels) || st.Indexed != len(rels) || st.Duplicates != 0 || st.Unchanged != 0 {
		t.Errorf("Stats: Files %d Indexed %d Duplicates %d Unchanged %d; want %d files, all indexed",
			st.Files, st.Indexed, st.Duplicates, st.Unchanged, len(rels))
	}
	if st.Fingerprints == 0 || st.Segments == 0 || st.IndexedBytes == 0 || st.Bytes != st.IndexedBytes {
		t.Errorf("Stats: Fingerprints %d Segments %d Bytes %d IndexedBytes %d", st.Fingerprints, st.Segments, st.Bytes, st.IndexedBytes)
	}
	locs := locations(t, db)
	if len(locs) != len(rels) {
		t.Fatalf("%d locations, want %d", len(locs), len(rels))
	}
	for _, rel := range rels {
		t.Run(rel, func(t *testing.T) {
			l, ok := locs["src/container/"+rel]
			if !ok {
				t.Fatal("not indexed")
			}
			a := l.Attribution
			if a.License != "BSD-3-Clause" || a.Source != "license_file" || a.LicenseRef != "../../LICENSE" {
				t.Errorf("Attribution = %+v; want BSD-3-Clause from license_file ../../LICENSE", a)
			}
			if !slices.Contains(a.Holders, "The Go Authors") {
				t.Errorf("Holders = %q, want The Go Authors", a.Holders)
			}
			if l.Root.Path != root || l.Root.Kind != "dir" {
				t.Errorf("Root = %+v", l.Root)
			}
			if l.Flags&corpus.FlagVendored != 0 {
				t.Error("marked vendored")
			}
			if l.File.Lines == 0 || l.File.Tokens == 0 || l.File.Size != l.Size {
				t.Errorf("file record %+v, location size %d", l.File, l.Size)
			}
			// A plain directory is a package named after it, licensed
			// as its nearest license file says.
			if p := l.Package; p == nil || p.Name != "src" || p.Dir != "" || p.License != "BSD-3-Clause" {
				t.Errorf("Package = %+v", p)
			}
		})
	}
	in := info(t, db)
	if in.Licenses["BSD-3-Clause"] != len(rels) || len(in.Licenses) != 1 {
		t.Errorf("Info.Licenses = %v", in.Licenses)
	}
	if len(in.Roots) != 1 || in.Roots[0].Path != root || in.Files != len(rels) || in.Locations != len(rels) {
		t.Errorf("Info: roots %+v files %d locations %d", in.Roots, in.Files, in.Locations)
	}
}

// TestVendoredModule indexes a project whose vendor/ tree holds a module
// listed in vendor/modules.txt, with its own Apache-2.0 LICENSE and no
// go.mod: its files get the vendored module's package and license, the
// project's files keep theirs.
func TestVendoredModule(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "app")
	put(t, root, "go.mod", []byte("module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.4.0\n"))
	put(t, root, "LICENSE", gorootFile(t, "LICENSE"))
	put(t, root, "list.go", gorootFile(t, "src/container/list/list.go"))
	put(t, root, "vendor/modules.txt", []byte("# example.com/dep v1.4.0\n## explicit; go 1.20\nexample.com/dep\nexample.com/dep/inner\n# example.com/other v0.1.0\n## explicit\nexample.com/other\n"))
	put(t, root, "vendor/example.com/dep/LICENSE", apacheText(t))
	// The module's own files: GOROOT's code without its header, which
	// would name the Go Authors' BSD license over the module's Apache one.
	put(t, root, "vendor/example.com/dep/ring.go", withoutHeader(gorootFile(t, "src/container/ring/ring.go")))
	put(t, root, "vendor/example.com/dep/inner/heap.go", withoutHeader(gorootFile(t, "src/container/heap/heap.go")))
	db := openDB(t)
	index(t, db, indexer.Options{}, root)
	locs := locations(t, db)

	tests := []struct {
		name       string
		key        string
		license    string
		licenseRef string
		pkg        corpus.Package // ID and RootID not compared
		vendored   bool
	}{
		{
			name: "project file", key: "app/list.go", license: "BSD-3-Clause", licenseRef: "LICENSE",
			pkg: corpus.Package{Dir: "", Ecosystem: "golang", Name: "example.com/app", PURL: "pkg:golang/example.com/app", License: "BSD-3-Clause"},
		},
		{
			name: "vendored file", key: "app/vendor/example.com/dep/ring.go", license: "Apache-2.0", licenseRef: "vendor/example.com/dep/LICENSE",
			pkg: corpus.Package{Dir: "vendor/example.com/dep", Ecosystem: "golang", Name: "example.com/dep", Version: "v1.4.0",
				PURL: "pkg:golang/example.com/dep@v1.4.0", License: "Apache-2.0", Vendored: true},
			vendored: true,
		},
		{
			name: "vendored package of the module", key: "app/vendor/example.com/dep/inner/heap.go", license: "Apache-2.0", licenseRef: "vendor/example.com/dep/LICENSE",
			pkg: corpus.Package{Dir: "vendor/example.com/dep", Ecosystem: "golang", Name: "example.com/dep", Version: "v1.4.0",
				PURL: "pkg:golang/example.com/dep@v1.4.0", License: "Apache-2.0", Vendored: true},
			vendored: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, ok := locs[tc.key]
			if !ok {
				t.Fatalf("%s not indexed", tc.key)
			}
			a := l.Attribution
			if a.License != tc.license || a.Source != "license_file" || a.LicenseRef != tc.licenseRef {
				t.Errorf("Attribution = %+v; want %s from license_file %s", a, tc.license, tc.licenseRef)
			}
			if got := l.Flags&corpus.FlagVendored != 0; got != tc.vendored {
				t.Errorf("vendored flag = %v, want %v", got, tc.vendored)
			}
			if l.Package == nil {
				t.Fatal("no package")
			}
			got := *l.Package
			got.ID, got.RootID, got.Declared = 0, 0, ""
			if got != tc.pkg {
				t.Errorf("Package = %+v\nwant %+v", got, tc.pkg)
			}
		})
	}
}

// TestModuleCache indexes a Go module cache layout: every module@version
// directory is a package with its version and purl, whether the root is
// the cache itself or one module in it.
func TestModuleCache(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	cache := filepath.Join(base, "gopath", "pkg", "mod")
	put(t, cache, "example.com/m@v1.2.3/go.mod", []byte("module example.com/m\n"))
	put(t, cache, "example.com/m@v1.2.3/LICENSE", gorootFile(t, "LICENSE"))
	put(t, cache, "example.com/m@v1.2.3/list.go", gorootFile(t, "src/container/list/list.go"))
	put(t, cache, "example.com/m@v1.2.3/inner/ring.go", gorootFile(t, "src/container/ring/ring.go"))
	// An upper-case letter is escaped as !lower in the cache.
	put(t, cache, "github.com/!upper!case/mod@v0.0.0-20240101000000-abcdefabcdef/heap.go", gorootFile(t, "src/container/heap/heap.go"))
	put(t, cache, "cache/download/example.com/m/@v/v1.2.3.mod", []byte("module example.com/m\n"))

	type want struct {
		key, name, version, purl, licenseRef string
	}
	m := func(key, licenseRef string) want {
		return want{key, "example.com/m", "v1.2.3", "pkg:golang/example.com/m@v1.2.3", licenseRef}
	}
	tests := []struct {
		name string
		root string
		want []want
	}{
		{
			name: "the whole cache",
			root: cache,
			want: []want{
				m("mod/example.com/m@v1.2.3/list.go", "example.com/m@v1.2.3/LICENSE"),
				m("mod/example.com/m@v1.2.3/inner/ring.go", "example.com/m@v1.2.3/LICENSE"),
				{key: "mod/github.com/!upper!case/mod@v0.0.0-20240101000000-abcdefabcdef/heap.go",
					name: "github.com/UpperCase/mod", version: "v0.0.0-20240101000000-abcdefabcdef"},
			},
		},
		{
			name: "one module",
			root: filepath.Join(cache, "example.com", "m@v1.2.3"),
			want: []want{
				m("m@v1.2.3/list.go", "LICENSE"),
				m("m@v1.2.3/inner/ring.go", "LICENSE"),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			index(t, db, indexer.Options{}, tc.root)
			locs := locations(t, db)
			if len(locs) != len(tc.want) {
				t.Errorf("%d locations, want %d", len(locs), len(tc.want))
			}
			for _, w := range tc.want {
				l, ok := locs[w.key]
				if !ok {
					t.Errorf("%s not indexed (have %v)", w.key, keys(locs))
					continue
				}
				p := l.Package
				if p == nil || p.Name != w.name || p.Version != w.version || p.Ecosystem != "golang" {
					t.Errorf("%s: Package = %+v, want %s %s", w.key, p, w.name, w.version)
					continue
				}
				if w.purl != "" && p.PURL != w.purl {
					t.Errorf("%s: PURL = %q, want %q", w.key, p.PURL, w.purl)
				}
				if w.licenseRef != "" {
					if a := l.Attribution; a.License != "BSD-3-Clause" || a.LicenseRef != w.licenseRef {
						t.Errorf("%s: Attribution = %+v, want BSD-3-Clause from %s", w.key, a, w.licenseRef)
					}
				}
				if l.Flags&corpus.FlagVendored != 0 || p.Vendored {
					t.Errorf("%s: a module of the cache marked vendored", w.key)
				}
			}
		})
	}
}

func keys(m map[string]loc) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestDuplicates checks that one content found at several paths is stored
// once with all its locations, and fingerprinted once.
func TestDuplicates(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "dups")
	list := gorootFile(t, "src/container/list/list.go")
	put(t, root, "a/list.go", list)
	put(t, root, "b/list.go", list)
	put(t, root, "ring.go", gorootFile(t, "src/container/ring/ring.go"))
	db := openDB(t)
	st := index(t, db, indexer.Options{}, root)
	if st.Files != 3 || st.Indexed != 2 || st.Duplicates != 1 {
		t.Errorf("Stats: Files %d Indexed %d Duplicates %d, want 3 2 1", st.Files, st.Indexed, st.Duplicates)
	}
	if st.Bytes != int64(2*len(list))+st.IndexedBytes-int64(len(list)) {
		t.Errorf("Stats: Bytes %d IndexedBytes %d", st.Bytes, st.IndexedBytes)
	}
	in := info(t, db)
	if in.Files != 2 || in.Locations != 3 {
		t.Errorf("Info: %d files, %d locations; want 2, 3", in.Files, in.Locations)
	}
	locs := locations(t, db)
	a, b := locs["dups/a/list.go"], locs["dups/b/list.go"]
	if a.FileID == 0 || a.FileID != b.FileID || a.File.Sum != corpus.Sum(list) {
		t.Errorf("the two copies: file IDs %d and %d", a.FileID, b.FileID)
	}
	if a.FileID == locs["dups/ring.go"].FileID {
		t.Error("different contents share a file ID")
	}
	files, err := db.Files(context.Background(), []uint32{a.FileID})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, l := range files[a.FileID].Locations {
		paths = append(paths, l.Path)
	}
	sort.Strings(paths)
	if want := []string{"a/list.go", "b/list.go"}; !slices.Equal(paths, want) {
		t.Errorf("locations of the shared file = %q, want %q", paths, want)
	}
}

// TestIncremental indexes a tree twice: the second run finds every
// location unchanged; then one file changes and only it is indexed again.
func TestIncremental(t *testing.T) {
	t.Parallel()
	gr := goroot(t)
	base := t.TempDir()
	root := filepath.Join(base, "inc")
	rels := copyTree(t, filepath.Join(gr, "src", "container"), root)
	put(t, root, "LICENSE", gorootFile(t, "LICENSE"))
	db := openDB(t)
	first := index(t, db, indexer.Options{}, root)
	if first.Indexed != len(rels) {
		t.Fatalf("first run indexed %d files, want %d", first.Indexed, len(rels))
	}
	before := info(t, db)

	second := index(t, db, indexer.Options{}, root)
	if second.Unchanged != first.Files || second.Indexed != 0 || second.Duplicates != 0 || second.Files != first.Files {
		t.Errorf("second run: Files %d Unchanged %d Indexed %d Duplicates %d; want %d unchanged, nothing indexed",
			second.Files, second.Unchanged, second.Indexed, second.Duplicates, first.Files)
	}
	after := info(t, db)
	if after.Files != before.Files || after.Locations != before.Locations || after.Postings != before.Postings || len(after.Roots) != 1 {
		t.Errorf("second run changed the corpus: files %d→%d locations %d→%d postings %d→%d roots %d",
			before.Files, after.Files, before.Locations, after.Locations, before.Postings, after.Postings, len(after.Roots))
	}

	// One file changes (content and time): it alone is indexed again.
	changed := filepath.Join(root, "list", "list.go")
	data, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, []byte("\n// Len2 is Len again.\nfunc (l *List) Len2() int { return l.len }\n")...)
	if err := os.WriteFile(changed, data, 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(changed, future, future); err != nil {
		t.Fatal(err)
	}
	third := index(t, db, indexer.Options{}, root)
	if third.Indexed != 1 || third.Unchanged != first.Files-1 {
		t.Errorf("after one change: Indexed %d Unchanged %d, want 1 and %d", third.Indexed, third.Unchanged, first.Files-1)
	}
	final := info(t, db)
	if final.Locations != before.Locations || final.Files != before.Files || final.DeadFiles != 1 {
		t.Errorf("after one change: %d files, %d locations, %d dead; want %d, %d, 1 (the old content)",
			final.Files, final.Locations, final.DeadFiles, before.Files, before.Locations)
	}
	l := locations(t, db)["inc/list/list.go"]
	if l.File.Sum != corpus.Sum(data) || l.MTime != future.UnixNano() {
		t.Errorf("list/list.go points at the old content or time")
	}
}

// TestSPDXTagWins checks that a file's own SPDX-License-Identifier decides
// its license over the nearest license file, while its siblings keep the
// license file's.
func TestSPDXTagWins(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "spdx")
	put(t, root, "LICENSE", gorootFile(t, "LICENSE"))
	ring := gorootFile(t, "src/container/ring/ring.go")
	_, body, ok := bytes.Cut(ring, []byte("package ring"))
	if !ok {
		t.Fatal("ring.go has no package clause")
	}
	put(t, root, "tagged.go", append([]byte("// Copyright 2024 Example Corp.\n// SPDX-License-Identifier: MIT\n\npackage ring"), body...))
	put(t, root, "list.go", gorootFile(t, "src/container/list/list.go"))
	db := openDB(t)
	index(t, db, indexer.Options{}, root)
	locs := locations(t, db)
	tests := []struct {
		name, key, license, source, ref, holder string
	}{
		{"tag", "spdx/tagged.go", "MIT", "spdx_tag", "", "Example Corp."},
		{"license file", "spdx/list.go", "BSD-3-Clause", "license_file", "LICENSE", "The Go Authors"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := locs[tc.key].Attribution
			if a.License != tc.license || a.Source != tc.source || a.LicenseRef != tc.ref {
				t.Errorf("Attribution = %+v; want %s from %s %q", a, tc.license, tc.source, tc.ref)
			}
			if !slices.ContainsFunc(a.Holders, func(h string) bool { return strings.HasPrefix(h, strings.TrimSuffix(tc.holder, ".")) }) {
				t.Errorf("Holders = %q, want %s", a.Holders, tc.holder)
			}
		})
	}
}

// TestSkips checks that unusable files are counted by reason and listed,
// and never indexed; a file in Latin-1 is decoded and indexed.
func TestSkips(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "skips")
	list := gorootFile(t, "src/container/list/list.go")
	put(t, root, "ok.go", list)
	put(t, root, "blob.go", append([]byte("package blob\x00\x01\x02"), make([]byte, 200)...))
	put(t, root, "latin1.go", []byte("package latin1 // caf\xe9\n"))
	put(t, root, "big.go", bytes.Repeat([]byte("// filler line of a generated file\n"), 200)) // 7,000 bytes
	put(t, root, "notes.txt", []byte("plain text is not indexed unless asked\n"))
	put(t, root, "image.png", []byte("\x89PNG\r\n\x1a\n"))
	put(t, root, "LICENSE", gorootFile(t, "LICENSE"))

	tests := []struct {
		name    string
		opts    indexer.Options
		skipped map[string]int
		notCode int
		indexed int
	}{
		{
			name: "default",
			opts: indexer.Options{Walk: walk.Options{MaxFileSize: 4096 * 2}},
			skipped: map[string]int{
				walk.ReasonBinary: 1, walk.ReasonUnsupported: 3, // notes.txt, image.png, LICENSE
			},
			indexed: 3, // ok.go, latin1.go, big.go
		},
		{
			name: "size limit",
			opts: indexer.Options{Walk: walk.Options{MaxFileSize: 4096}},
			skipped: map[string]int{
				walk.ReasonBinary: 1, walk.ReasonTooLarge: 2, walk.ReasonUnsupported: 3,
			},
			indexed: 1, // latin1.go; ok.go is larger than 4 KiB too
		},
		{
			name: "text",
			opts: indexer.Options{Text: true, Walk: walk.Options{MaxFileSize: 4096 * 2}},
			skipped: map[string]int{
				walk.ReasonBinary: 1, walk.ReasonUnsupported: 2, // image.png, LICENSE
			},
			indexed: 4,
		},
		{
			name: "not code",
			opts: indexer.Options{Walk: walk.Options{MaxFileSize: 4096 * 2},
				NotCode: func(p string) bool { return filepath.Ext(p) == ".txt" || filepath.Base(p) == "LICENSE" }},
			skipped: map[string]int{
				walk.ReasonBinary: 1, walk.ReasonUnsupported: 1, // image.png
			},
			notCode: 2, // notes.txt, LICENSE
			indexed: 3,
		},
	}
	if len(list) <= 4096 || len(list) > 8192 {
		t.Fatalf("list.go is %d bytes; the cases assume 4 KiB < size <= 8 KiB", len(list))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			var prog indexer.Progress
			tc.opts.Progress = &prog
			st := index(t, db, tc.opts, root)
			if !mapsEqual(st.Skipped, tc.skipped) {
				t.Errorf("Skipped = %v, want %v", st.Skipped, tc.skipped)
			}
			if st.NotCode != tc.notCode {
				t.Errorf("NotCode = %d, want %d", st.NotCode, tc.notCode)
			}
			// Skips of unsupported types, most of a tree's files, are
			// counted, not listed.
			nskips := tc.notCode
			for _, n := range tc.skipped {
				nskips += n
			}
			if len(st.Skips) != nskips-tc.notCode-tc.skipped[walk.ReasonUnsupported] {
				t.Errorf("%d skips listed, %d counted: %v", len(st.Skips), nskips, st.Skips)
			}
			for _, s := range st.Skips {
				if !strings.HasPrefix(s.Path, root+string(filepath.Separator)) || s.Reason == "" || s.Reason == walk.ReasonUnsupported {
					t.Errorf("skip %+v: want a display path below the root and a reason other than an unsupported type", s)
				}
			}
			if st.Indexed != tc.indexed || st.Files != tc.indexed {
				t.Errorf("Indexed %d Files %d, want %d", st.Indexed, st.Files, tc.indexed)
			}
			if got := prog.Files.Load(); got != int64(st.Files+nskips) {
				t.Errorf("Progress.Files = %d, want %d", got, st.Files+nskips)
			}
			if in := info(t, db); in.Locations != tc.indexed {
				t.Errorf("%d locations, want %d", in.Locations, tc.indexed)
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestArchives indexes a zip and a tar.gz: packages and licenses come from
// the files inside them, also when the license follows the source in a
// tar stream.
func TestArchives(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	lic := gorootFile(t, "LICENSE")
	list := gorootFile(t, "src/container/list/list.go")
	ring := gorootFile(t, "src/container/ring/ring.go")

	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, m := range []struct {
		name string
		data []byte
	}{{"lists-1.0/list/list.go", list}, {"lists-1.0/go.mod", []byte("module example.com/lists\n")}, {"lists-1.0/LICENSE", lic}} {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	put(t, base, "lists.zip", zbuf.Bytes())

	var tbuf bytes.Buffer
	gz := gzip.NewWriter(&tbuf)
	tw := tar.NewWriter(gz)
	for _, m := range []struct {
		name string
		data []byte
	}{{"ring/ring.go", ring}, {"ring/LICENSE", lic}} {
		tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)})
		tw.Write(m.data)
	}
	tw.Close()
	gz.Close()
	put(t, base, "rings.tar.gz", tbuf.Bytes())

	db := openDB(t)
	index(t, db, indexer.Options{}, filepath.Join(base, "lists.zip"), filepath.Join(base, "rings.tar.gz"))
	locs := locations(t, db)
	tests := []struct {
		name, key, kind, ref, pkg string
	}{
		{"zip", "lists.zip/lists-1.0/list/list.go", "zip", "lists-1.0/LICENSE", "example.com/lists"},
		{"tar.gz, license after the source", "rings.tar.gz/ring/ring.go", "tar", "ring/LICENSE", "rings"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, ok := locs[tc.key]
			if !ok {
				t.Fatalf("%s not indexed (have %v)", tc.key, keys(locs))
			}
			if l.Root.Kind != tc.kind {
				t.Errorf("root kind %q, want %q", l.Root.Kind, tc.kind)
			}
			if a := l.Attribution; a.License != "BSD-3-Clause" || a.Source != "license_file" || a.LicenseRef != tc.ref {
				t.Errorf("Attribution = %+v, want BSD-3-Clause from %s", a, tc.ref)
			}
			if l.Package == nil || l.Package.Name != tc.pkg {
				t.Errorf("Package = %+v, want %s", l.Package, tc.pkg)
			}
		})
	}
}

// TestCancel checks that a cancelled context stops Index with its error
// and leaves a database that passes its check.
func TestCancel(t *testing.T) {
	t.Parallel()
	gr := goroot(t)
	root := filepath.Join(t.TempDir(), "c")
	copyTree(t, filepath.Join(gr, "src", "container"), root)
	db := openDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := indexer.Index(ctx, db, []string{root}, indexer.Options{Workers: 2})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Index = %v, want context.Canceled", err)
	}
	if err := db.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}

	t.Run("missing root", func(t *testing.T) {
		t.Parallel()
		db := openDB(t)
		if _, err := indexer.Index(context.Background(), db, []string{filepath.Join(root, "nope")}, indexer.Options{}); err == nil {
			t.Error("Index of a missing path succeeded")
		}
	})
}

// TestPackageAboveRoot indexes directories inside packages of the real
// GOROOT: the package a root lies in is found above it (the standard
// library's go.mod and VERSION, the nested cmd module's, a module listed
// in vendor/modules.txt), with the name, version, purl and publication
// time (VERSION's "time" line; none for a vendored module) that indexing
// the whole tree gives. A go.mod in a git checkout names its module but
// no version, and the search stops at the checkout's top.
func TestPackageAboveRoot(t *testing.T) {
	t.Parallel()
	gr := goroot(t)
	version, _, _ := strings.Cut(string(gorootFile(t, "VERSION")), "\n")
	version = strings.TrimPrefix(strings.TrimSpace(version), "go")
	if version == "" || !strings.Contains(version, ".") {
		t.Skipf("GOROOT/VERSION holds no release version: %q", version)
	}
	mods, err := pkgmeta.VendorModules(gorootFile(t, "src/vendor/modules.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := mods["golang.org/x/text"]
	if text == "" {
		t.Skip("GOROOT vendors no golang.org/x/text")
	}
	base := t.TempDir()
	// A git checkout: a module without a version, below a package.json
	// that is no part of it.
	put(t, base, "outer/package.json", []byte(`{"name": "outer", "version": "1.0.0"}`))
	put(t, base, "outer/repo/go.mod", []byte("module example.com/repo\n"))
	put(t, base, "outer/repo/.git/HEAD", []byte("ref: refs/heads/main\n"))
	put(t, base, "outer/repo/sub/list.go", gorootFile(t, "src/container/list/list.go"))
	put(t, base, "outer/repo2/.git/HEAD", []byte("ref: refs/heads/main\n"))
	put(t, base, "outer/repo2/sub/list.go", gorootFile(t, "src/container/list/list.go"))

	var released time.Time
	for line := range strings.Lines(string(gorootFile(t, "VERSION"))) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "time "); ok {
			if released, err = time.Parse(time.RFC3339, v); err != nil {
				t.Fatalf("GOROOT/VERSION time: %v", err)
			}
		}
	}
	std := corpus.Package{Ecosystem: "golang", Name: "stdlib", Version: version, PURL: "pkg:golang/stdlib@" + version, License: "BSD-3-Clause",
		Published: released}
	xtext := corpus.Package{Ecosystem: "golang", Name: "golang.org/x/text", Version: text, PURL: "pkg:golang/golang.org/x/text@" + text,
		License: "BSD-3-Clause", Vendored: true}
	at := func(p corpus.Package, dir string) corpus.Package { p.Dir = dir; return p }
	tests := []struct {
		root string // slash path below GOROOT or the temporary directory
		key  string // a location
		want corpus.Package
	}{
		{"src/container", "container/list/list.go", at(std, "..")},
		{"src/container/list", "list/list.go", at(std, "../..")},
		{"src/cmd/go/internal/str", "str/str.go", corpus.Package{Dir: "../../..", Ecosystem: "golang", Name: "cmd",
			Version: version, PURL: "pkg:golang/cmd@" + version, License: "BSD-3-Clause", Published: released}},
		{"src/vendor", "vendor/golang.org/x/text/unicode/bidi/bidi.go", at(xtext, "golang.org/x/text")},
		{"src/vendor/golang.org/x/text", "text/unicode/bidi/bidi.go", at(xtext, "")},
		{"src/vendor/golang.org/x/text/unicode", "unicode/bidi/bidi.go", at(xtext, "..")},
		{"tmp:outer/repo/sub", "sub/list.go", corpus.Package{Dir: "..", Ecosystem: "golang", Name: "example.com/repo",
			PURL: "pkg:golang/example.com/repo", License: "BSD-3-Clause"}},
		{"tmp:outer/repo2/sub", "sub/list.go", corpus.Package{Dir: "", Name: "sub", License: "BSD-3-Clause"}},
	}
	for _, tc := range tests {
		t.Run(tc.root, func(t *testing.T) {
			t.Parallel()
			root := filepath.Join(gr, filepath.FromSlash(tc.root))
			if rel, ok := strings.CutPrefix(tc.root, "tmp:"); ok {
				root = filepath.Join(base, filepath.FromSlash(rel))
				// The checkout's license file, beside its go.mod.
				put(t, filepath.Dir(root), "LICENSE", gorootFile(t, "LICENSE"))
			}
			db := openDB(t)
			index(t, db, indexer.Options{}, root)
			l, ok := locations(t, db)[tc.key]
			if !ok {
				t.Fatalf("%s not indexed", tc.key)
			}
			if l.Package == nil {
				t.Fatal("no package")
			}
			got := *l.Package
			got.ID, got.RootID, got.Declared = 0, 0, ""
			if got != tc.want {
				t.Errorf("Package = %+v\nwant      %+v", got, tc.want)
			}
		})
	}
}

// TestRootSpelling indexes the same files through different roots: a
// project and the package it vendors in third_party/, a directory of
// test programs and its parent, a module and its testdata, a module of a
// module cache and a symbolic link to it, one library below directories
// of different names. A location's package (and so
// its identity), its vendored flag and whether it is test code are the
// same whichever root was indexed: they are read on the path below the
// top of the code (or the package's root), not below the root, and a
// link is followed to where it leads.
func TestRootSpelling(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	put(t, base, "proj/third_party/frob/package.json", []byte(`{"name": "frob", "version": "1.0.0", "license": "MIT"}`))
	put(t, base, "proj/third_party/frob/list.go", gorootFile(t, "src/container/list/list.go"))
	put(t, base, "proj/main.go", gorootFile(t, "src/sort/sort.go"))
	put(t, base, "x/test/ring.go", gorootFile(t, "src/container/ring/ring.go"))
	// proj and x are the tops of git work trees; plain and external hold
	// the same library in no repository and no package: the name of a
	// directory above a root that nothing marks as a project's top makes
	// its files neither vendored nor test code.
	put(t, base, "proj/.git/HEAD", []byte("ref: refs/heads/main\n"))
	put(t, base, "x/.git/HEAD", []byte("ref: refs/heads/main\n"))
	put(t, base, "plain/lib/zsort.go", gorootFile(t, "src/sort/zsortinterface.go"))
	put(t, base, "external/lib/zsort.go", gorootFile(t, "src/sort/zsortinterface.go"))
	put(t, base, "tests/lib/zsort.go", gorootFile(t, "src/sort/zsortinterface.go"))
	put(t, base, "m/go.mod", []byte("module example.com/m\n"))
	put(t, base, "m/heap.go", gorootFile(t, "src/container/heap/heap.go"))
	put(t, base, "m/internal/testdata/search.go", gorootFile(t, "src/sort/search.go"))
	put(t, base, "test/mod/go.mod", []byte("module example.com/mod\n"))
	put(t, base, "test/mod/slice.go", gorootFile(t, "src/sort/slice.go"))
	cached := filepath.Join(base, "gopath", "pkg", "mod", "example.com", "c@v1.2.3")
	put(t, cached, "go.mod", []byte("module example.com/c\n"))
	put(t, cached, "zsort.go", gorootFile(t, "src/sort/zsortfunc.go"))
	put(t, base, "gopath/pkg/mod/cache/download/example.com/c/@v/v1.2.3.mod", []byte("module example.com/c\n"))
	if err := os.Symlink(cached, filepath.Join(base, "link")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}

	frob := corpus.Package{Ecosystem: "npm", Name: "frob", Version: "1.0.0", PURL: "pkg:npm/frob@1.0.0", License: "MIT", Vendored: true}
	c := corpus.Package{Ecosystem: "golang", Name: "example.com/c", Version: "v1.2.3", PURL: "pkg:golang/example.com/c@v1.2.3"}
	type want struct {
		vendored, test bool
		pkg            *corpus.Package // compared without ID, RootID, Dir, Declared and License when set
	}
	tests := []struct {
		roots []string // the same files through each
		keys  []string // the location below each root
		want  want
	}{
		{[]string{"proj", "proj/third_party/frob"}, []string{"proj/third_party/frob/list.go", "frob/list.go"}, want{vendored: true, pkg: &frob}},
		{[]string{"proj"}, []string{"proj/main.go"}, want{}},
		{[]string{"x", "x/test"}, []string{"x/test/ring.go", "test/ring.go"}, want{test: true}},
		{[]string{"m", "m/internal/testdata", "m/internal"}, []string{"m/internal/testdata/search.go", "testdata/search.go", "internal/testdata/search.go"}, want{test: true}},
		{[]string{"m"}, []string{"m/heap.go"}, want{}},
		{[]string{"plain/lib", "external/lib", "tests/lib"}, []string{"lib/zsort.go", "lib/zsort.go", "lib/zsort.go"}, want{}},
		// A directory named test above a module's root is no test of it.
		{[]string{"test/mod", "test"}, []string{"mod/slice.go", "test/mod/slice.go"}, want{}},
		{[]string{"gopath/pkg/mod/example.com/c@v1.2.3", "link"}, []string{"c@v1.2.3/zsort.go", "link/zsort.go"}, want{pkg: &c}},
	}
	for _, tc := range tests {
		for i, root := range tc.roots {
			t.Run(root, func(t *testing.T) {
				t.Parallel()
				db := openDB(t)
				index(t, db, indexer.Options{}, filepath.Join(base, filepath.FromSlash(root)))
				l, ok := locations(t, db)[tc.keys[i]]
				if !ok {
					t.Fatalf("%s not indexed", tc.keys[i])
				}
				if got := l.Flags&corpus.FlagVendored != 0; got != tc.want.vendored {
					t.Errorf("%s: vendored %v, want %v", tc.keys[i], got, tc.want.vendored)
				}
				if got := corpus.IsTest(l.Path, l.Flags); got != tc.want.test || l.Flags&corpus.FlagTestKnown == 0 {
					t.Errorf("%s: test code %v (flags %b), want %v", tc.keys[i], got, l.Flags, tc.want.test)
				}
				if tc.want.pkg == nil {
					return
				}
				if l.Package == nil {
					t.Fatal("no package")
				}
				got := *l.Package
				got.ID, got.RootID, got.Dir, got.Declared = 0, 0, "", ""
				if tc.want.pkg.License == "" {
					got.License = ""
				}
				if got != *tc.want.pkg {
					t.Errorf("Package = %+v\nwant      %+v", got, *tc.want.pkg)
				}
			})
		}
	}
	// Indexed through both roots, the vendored package is recorded once.
	db := openDB(t)
	index(t, db, indexer.Options{}, filepath.Join(base, "proj"), filepath.Join(base, "proj", "third_party", "frob"))
	n := 0
	for _, p := range info(t, db).Packages {
		if p.Name == "frob" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("frob recorded %d times", n)
	}
}

// TestLocationsWithoutTestFlag indexes a directory of test programs, then
// takes the flags of a location back to what a database indexed before
// FlagTest existed holds: the next run records that unchanged location
// again, with its flags, where it leaves the others alone.
func TestLocationsWithoutTestFlag(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "x", "test")
	put(t, root, "../.git/HEAD", []byte("ref: refs/heads/main\n")) // x is the top of a work tree
	put(t, root, "ring.go", gorootFile(t, "src/container/ring/ring.go"))
	put(t, root, "list.go", gorootFile(t, "src/container/list/list.go"))
	db := openDB(t)
	index(t, db, indexer.Options{}, root)
	w, err := db.NewWriter(corpus.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, prev, err := w.Root(root, "dir")
	if err != nil {
		t.Fatal(err)
	}
	old := prev["ring.go"]
	old.Flags = 0
	if err := w.AddLocation(old); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	// As an older database has it: test code unknown, and ring.go, below
	// the root, not test code by its path.
	if l := locations(t, db)["test/ring.go"]; l.Flags != 0 || corpus.IsTest(l.Path, l.Flags) {
		t.Fatalf("flags %b after the rewrite", l.Flags)
	}
	st := index(t, db, indexer.Options{}, root)
	if st.Unchanged != 1 || st.Duplicates != 1 {
		t.Errorf("Stats: %d unchanged, %d duplicates; want list.go unchanged, ring.go recorded again", st.Unchanged, st.Duplicates)
	}
	if l := locations(t, db)["test/ring.go"]; l.Flags != corpus.FlagTestKnown|corpus.FlagTest {
		t.Errorf("flags %b, want test code, decided", l.Flags)
	}
}

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/corpustest"
	"github.com/snipscan/snipscan/internal/pgtest"
)

var cluster pgtest.Shared

func TestMain(m *testing.M) { os.Exit(cluster.Main(m)) }

// kinds are the stores every case runs on: each returns a fresh
// corpus's reference.
var kinds = []struct {
	name string
	ref  func(t *testing.T) string
}{
	{"bbolt", func(t *testing.T) string { return filepath.Join(t.TempDir(), "c.db") }},
	{"postgres", func(t *testing.T) string { return cluster.DSN(t) }},
}

// cases run on every store.
var cases = []struct {
	name string
	run  func(t *testing.T, ref string)
}{
	{"write and read", testWriteRead},
	{"locations removed", testRemove},
	{"unfinished run", testUnfinished},
	{"parameters", testParams},
	{"missing corpus", testMissing},
}

// TestConformance runs every case on every store.
func TestConformance(t *testing.T) {
	for _, k := range kinds {
		for _, c := range cases {
			t.Run(k.name+"/"+c.name, func(t *testing.T) { c.run(t, k.ref(t)) })
		}
	}
}

// source is a real Go file of GOROOT, fingerprinted.
type source = corpustest.Source

// sources fingerprints GOROOT files.
var sources = corpustest.Sources

func open(t *testing.T, ref string, opts corpus.Options) corpus.Store {
	t.Helper()
	s, err := Open(context.Background(), ref, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// index writes srcs under one root, each at its path and, for the first,
// at a second path too, in a package with an attribution and a license
// text; it finishes the run and returns the root's ID.
func index(t *testing.T, s corpus.Store, srcs []source) uint32 {
	t.Helper()
	w, err := s.OpenWriter(corpus.WriterOptions{BatchPostings: 2000})
	if err != nil {
		t.Fatal(err)
	}
	root, prev, err := w.Root("/src", "dir")
	if err != nil || len(prev) != 0 {
		t.Fatalf("root: %v, %d earlier locations", err, len(prev))
	}
	pkg, err := w.Package(corpus.Package{RootID: root, Dir: ".", Ecosystem: "golang", Name: "stdlib", Version: "1.0", License: "BSD-3-Clause"})
	if err != nil {
		t.Fatal(err)
	}
	text := w.LicenseText([]byte("Redistribution and use in source and binary forms are permitted."))
	attr := w.Attribution(corpus.Attribution{License: "BSD-3-Clause", Holders: []string{"The Go Authors"}, LicenseText: text})
	for i, src := range srcs {
		sum := corpus.Sum(src.Data)
		id, fresh := w.Claim(sum)
		if !fresh {
			t.Fatalf("%s claimed twice", src.Rel)
		}
		rec := src.Record(id)
		loc := corpus.Location{RootID: root, Path: src.Rel, Size: rec.Size, PkgID: pkg, AttrID: attr}
		if err := w.AddFile(rec, src.Res.Fingerprints, loc); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if again, fresh := w.Claim(sum); fresh || again != id {
				t.Fatalf("a known content claimed again: %d, %v", again, fresh)
			}
			loc.Path, loc.FileID = "copy/"+src.Rel, id
			if err := w.AddLocation(loc); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.Fetched(root, corpus.Fetched{PURL: "pkg:golang/stdlib@1.0", Digest: "h1:x", Root: "/src", Indexed: time.Unix(1, 0).UTC()})
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	return root
}

// lookupFile looks up the hashes of src and returns, per hash found, the
// files of its postings.
func lookupFile(t *testing.T, r corpus.Reader, src source) map[uint64][]uint32 {
	t.Helper()
	var hashes []uint64
	for _, f := range src.Res.Fingerprints {
		hashes = append(hashes, f.Hash)
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	out := map[uint64][]uint32{}
	err := r.Lookup(context.Background(), hashes, 0, func(i int, h corpus.Hit) {
		out[hashes[i]] = []uint32{}
		for _, p := range h.Postings {
			out[hashes[i]] = append(out[hashes[i]], p.File)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func testWriteRead(t *testing.T, ref string) {
	srcs := sources(t, "bufio/scan.go", "bufio/bufio.go", "strings/reader.go")
	w := open(t, ref, corpus.Options{})
	index(t, w, srcs)
	w.Close() // a bbolt file opens read-only once its writer is closed
	r := open(t, ref, corpus.Options{ReadOnly: true})
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		hits := lookupFile(t, r, src)
		if len(hits) == 0 {
			t.Fatalf("%s: no hash found", src.Rel)
		}
		var id uint32
		for _, files := range hits {
			if len(files) == 1 {
				id = files[0]
			}
		}
		fs, err := r.Files(context.Background(), []uint32{id})
		if err != nil || fs[id] == nil {
			t.Fatalf("file %d: %v", id, err)
		}
		f := fs[id]
		if f.Sum != corpus.Sum(src.Data) || f.Lines != src.Res.Lines || f.Fingerprints != len(src.Res.Fingerprints) {
			t.Errorf("%s: record %+v", src.Rel, f.FileRecord)
		}
		want := []string{src.Rel}
		if src.Rel == srcs[0].Rel {
			want = []string{src.Rel, "copy/" + src.Rel} // in byte order
		}
		var got []string
		for _, l := range f.Locations {
			got = append(got, l.Path)
			if l.Package == nil || l.Package.Name != "stdlib" || l.Attribution.License != "BSD-3-Clause" || l.Root.Path != "/src" {
				t.Errorf("%s: location %+v", l.Path, l)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: locations %q, want %q", src.Rel, got, want)
		}
		byNorm, err := r.FilesByNorm(context.Background(), []uint64{src.Res.NormHash})
		if err != nil || !slices.Contains(byNorm[src.Res.NormHash], id) {
			t.Errorf("%s: by normalized hash %v, %v", src.Rel, byNorm, err)
		}
		text, err := r.LicenseText(f.Locations[0].Attribution.LicenseText)
		if err != nil || text == "" {
			t.Errorf("license text %q, %v", text, err)
		}
	}
	info, err := r.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Files != 3 || info.Locations != 4 || info.DeadFiles != 0 || len(info.Packages) != 1 || info.Packages[0].Files != 4 ||
		info.Licenses["BSD-3-Clause"] != 4 || info.Postings == 0 || info.Unfinished != nil || len(info.Roots) != 1 {
		t.Errorf("info %+v", info)
	}
	if f, err := r.Fetched("pkg:golang/stdlib@1.0"); err != nil || f == nil || f.Digest != "h1:x" {
		t.Errorf("fetched %+v, %v", f, err)
	}
	if f, err := r.Fetched("pkg:golang/other@1.0"); err != nil || f != nil {
		t.Errorf("fetched an unknown package: %+v, %v", f, err)
	}
}

func testRemove(t *testing.T, ref string) {
	srcs := sources(t, "bufio/scan.go", "strings/reader.go")
	s := open(t, ref, corpus.Options{})
	root := index(t, s, srcs)
	w, err := s.OpenWriter(corpus.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := w.RemoveLocations(root, []string{srcs[1].Rel, "no/such/file.go"})
	if err != nil || n != 1 {
		t.Fatalf("removed %d, %v", n, err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Fetched("pkg:golang/stdlib@1.0"); err != nil || f != nil {
		t.Errorf("the package lost a file, its fetched record stays: %+v, %v", f, err)
	}
	s.Close()
	r := open(t, ref, corpus.Options{ReadOnly: true})
	for _, files := range lookupFile(t, r, srcs[1]) {
		if len(files) > 0 {
			if fs, _ := r.Files(context.Background(), files); len(fs[files[0]].Locations) == 0 {
				t.Fatalf("a removed file's postings are found: %v", files)
			}
		}
	}
	info, err := r.Info(context.Background())
	if err != nil || info.DeadFiles != 1 || info.Files != 1 || info.Locations != 2 {
		t.Errorf("info %+v, %v", info, err)
	}
}

func testUnfinished(t *testing.T, ref string) {
	s := open(t, ref, corpus.Options{Now: func() time.Time { return time.Unix(100, 0) }})
	w, err := s.OpenWriter(corpus.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.Root("/src", "dir"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	run, err := s.Unfinished()
	if err != nil || run == nil || !run.Started.Equal(time.Unix(100, 0)) {
		t.Fatalf("a run closed without finishing: %+v, %v", run, err)
	}
	index(t, s, sources(t, "bufio/scan.go"))
	if run, err := s.Unfinished(); err != nil || run != nil {
		t.Errorf("a run finished after it: %+v, %v", run, err)
	}
}

func testParams(t *testing.T, ref string) {
	s := open(t, ref, corpus.Options{Params: corpus.Params{K: 25}})
	if p := s.Params(); p.K != 25 || p.W != fingerprint.DefaultW || p.StopDF != corpus.DefaultStopDF {
		t.Errorf("params %+v", p)
	}
	s.Close()
	if s, err := Open(context.Background(), ref, corpus.Options{Params: corpus.Params{K: 30}}); !errors.Is(err, corpus.ErrParamsMismatch) {
		t.Errorf("opened with other parameters: %v", err)
		s.Close()
	}
	r := open(t, ref, corpus.Options{ReadOnly: true})
	if r.Params().K != 25 {
		t.Errorf("read-only params %+v", r.Params())
	}
}

func testMissing(t *testing.T, ref string) {
	if _, err := Open(context.Background(), ref, corpus.Options{ReadOnly: true}); !errors.Is(err, corpus.ErrNotExist) {
		t.Errorf("a read-only open of an empty store: %v, want ErrNotExist", err)
	}
}

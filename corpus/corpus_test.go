package corpus

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
	bolt "go.etcd.io/bbolt"
)

// testFile is a real GOROOT file with its fingerprints.
type testFile struct {
	rel  string
	data []byte
	res  fingerprint.File
	fps  []fingerprint.Fingerprint
}

func gorootFiles(t testing.TB, n int) []testFile {
	t.Helper()
	root := filepath.Join(runtime.GOROOT(), "src")
	var out []testFile
	fp, _ := fingerprint.New(fingerprint.Params{})
	for _, dir := range []string{"sort", "container/list", "strings", "bufio", "encoding/csv", "text/tabwriter"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Skipf("GOROOT sources not available: %v", err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || len(out) >= n {
				continue
			}
			rel := dir + "/" + e.Name()
			data, err := os.ReadFile(filepath.Join(root, rel))
			if err != nil {
				t.Fatal(err)
			}
			res := fp.File(fingerprint.Go, data)
			out = append(out, testFile{rel: rel, data: data, res: *res, fps: slices.Clone(res.Fingerprints)})
		}
	}
	return out
}

func create(t *testing.T, p Params) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corpus.db")
	db, err := Open(path, Options{Params: p})
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

// load indexes files at root "/goroot/src", each content once, and a second
// location for the first file.
func load(t *testing.T, db *DB, files []testFile, opts WriterOptions) {
	t.Helper()
	loadAt(t, db, "/goroot/src", files, opts)
}

// loadAt is load at another root.
func loadAt(t *testing.T, db *DB, root string, files []testFile, opts WriterOptions) {
	t.Helper()
	w, err := db.NewWriter(opts)
	if err != nil {
		t.Fatal(err)
	}
	rootID, _, err := w.Root(root, "dir")
	if err != nil {
		t.Fatal(err)
	}
	attr := w.Attribution(Attribution{License: "BSD-3-Clause", Source: "license_file", Copyrights: []string{"Copyright 2009 The Go Authors"}, Holders: []string{"The Go Authors"}})
	pkg, err := w.Package(Package{RootID: rootID, Dir: "", Name: "stdlib", Version: "1.26.0"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		sum := Sum(f.data)
		id, fresh := w.Claim(sum)
		rec := FileRecord{ID: id, Sum: sum, Size: int64(len(f.data)), Lines: f.res.Lines, Tokens: len(f.res.Tokens), Lang: fingerprint.Go, NormHash: f.res.NormHash}
		loc := Location{RootID: rootID, Path: f.rel, Size: rec.Size, MTime: 1, PkgID: pkg, AttrID: attr}
		if !fresh { // indexed at another root before
			loc.FileID = id
			if err := w.AddLocation(loc); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := w.AddFile(rec, f.fps, loc); err != nil {
			t.Fatal(err)
		}
	}
	// The same content again elsewhere: a location, no new file.
	id, fresh := w.Claim(Sum(files[0].data))
	if fresh {
		t.Fatal("duplicate content claimed as fresh")
	}
	if err := w.AddLocation(Location{RootID: rootID, Path: "vendor/copy/" + files[0].rel, FileID: id, PkgID: pkg, AttrID: attr, Flags: FlagVendored}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriteAndLookup(t *testing.T) {
	t.Parallel()
	files := gorootFiles(t, 40)
	for _, tc := range []struct {
		name string
		opts WriterOptions
	}{
		{"one segment", WriterOptions{}},
		{"many segments", WriterOptions{BatchPostings: 500, TxBytes: 4096}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, path := create(t, Params{})
			load(t, db, files, tc.opts)
			if err := db.Check(); err != nil {
				t.Fatalf("Check: %v", err)
			}
			db.Close()

			ro, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			ctx := context.Background()
			for fi, f := range files {
				hashes := make([]uint64, 0, len(f.fps))
				for _, fp := range f.fps {
					hashes = append(hashes, fp.Hash)
				}
				slices.Sort(hashes)
				hashes = slices.Compact(hashes)
				found := 0
				err := ro.Lookup(ctx, hashes, 0, func(i int, h Hit) {
					if h.DF < 1 {
						t.Errorf("hash with df %d", h.DF)
					}
					for _, p := range h.Postings {
						if p.File == uint32(fi+1) {
							found++
							return
						}
					}
				})
				if err != nil {
					t.Fatal(err)
				}
				if found != len(hashes) {
					t.Errorf("%s: %d of %d hashes found with a posting of the file", f.rel, found, len(hashes))
				}
			}
			// Lines of the postings are the fingerprints' lines.
			f := files[3]
			want := map[uint64][2]int32{}
			for _, fp := range f.fps {
				if _, dup := want[fp.Hash]; !dup {
					want[fp.Hash] = [2]int32{fp.Line, fp.EndLine}
				}
			}
			hashes := make([]uint64, 0, len(want))
			for h := range want {
				hashes = append(hashes, h)
			}
			slices.Sort(hashes)
			ro.Lookup(ctx, hashes, 0, func(i int, h Hit) {
				for _, p := range h.Postings {
					if p.File == 4 {
						w := want[hashes[i]]
						if p.Line > w[0] || p.EndLine < w[0] {
							t.Errorf("posting lines %d-%d, fingerprint lines %d-%d", p.Line, p.EndLine, w[0], w[1])
						}
						return
					}
				}
			})

			infos, err := ro.Files(ctx, []uint32{1, 2, 999})
			if err != nil {
				t.Fatal(err)
			}
			if len(infos) != 2 {
				t.Fatalf("Files returned %d records, want 2", len(infos))
			}
			if got := len(infos[1].Locations); got != 2 {
				t.Errorf("file 1 has %d locations, want 2 (deduplicated)", got)
			}
			l := infos[2].Locations[0]
			if l.Path != files[1].rel || l.Root.Path != "/goroot/src" || l.Package.Name != "stdlib" ||
				l.Attribution.License != "BSD-3-Clause" || l.Attribution.Holders[0] != "The Go Authors" {
				t.Errorf("location = %+v, package %+v", l, l.Package)
			}
			byNorm, err := ro.FilesByNorm(ctx, []uint64{files[2].res.NormHash})
			if err != nil || !slices.Equal(byNorm[files[2].res.NormHash], []uint32{3}) {
				t.Errorf("FilesByNorm = %v, %v", byNorm, err)
			}
			info, err := ro.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.Files != len(files) || info.Locations != len(files)+1 || len(info.Packages) != 1 || info.Licenses["BSD-3-Clause"] != len(files)+1 {
				t.Errorf("Info = files %d locations %d packages %d licenses %v", info.Files, info.Locations, len(info.Packages), info.Licenses)
			}
		})
	}
}

func TestStopDF(t *testing.T) {
	t.Parallel()
	files := gorootFiles(t, 10)
	// Ten copies of one content under different sums is not possible, so
	// use ten files sharing many hashes: the same file with a changed tail.
	base := files[0]
	var variants []testFile
	fp, _ := fingerprint.New(fingerprint.Params{})
	for i := 0; i < 10; i++ {
		data := append(slices.Clone(base.data), []byte("\nvar extra"+string(rune('a'+i))+" = 1\n")...)
		res := fp.File(fingerprint.Go, data)
		variants = append(variants, testFile{rel: base.rel + string(rune('a'+i)), data: data, res: *res, fps: slices.Clone(res.Fingerprints)})
	}
	db, _ := create(t, Params{StopDF: 4})
	load(t, db, variants, WriterOptions{})
	hashes := []uint64{base.fps[0].Hash}
	var got Hit
	err := db.Lookup(context.Background(), hashes, 0, func(i int, h Hit) { got = Hit{DF: h.DF, Postings: slices.Clone(h.Postings)} })
	if err != nil {
		t.Fatal(err)
	}
	if got.DF != 10 || got.Postings != nil {
		t.Errorf("stopped hash: df %d, %d postings; want df 10, none", got.DF, len(got.Postings))
	}
	db.Close()
}

func TestResumeAfterKill(t *testing.T) {
	t.Parallel()
	files := gorootFiles(t, 20)
	db, path := create(t, Params{})
	load(t, db, files[:10], WriterOptions{})
	// A second run writes a segment's postings, then dies before the
	// commit: simulate by writing the postings and closing bbolt directly.
	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rootID, prev, err := w.Root("/goroot/src", "dir")
	if err != nil {
		t.Fatal(err)
	}
	if len(prev) != 11 {
		t.Fatalf("root has %d previous locations, want 11", len(prev))
	}
	for _, f := range files[10:] {
		id, _ := w.Claim(Sum(f.data))
		w.AddFile(FileRecord{ID: id, Sum: Sum(f.data)}, f.fps, Location{RootID: rootID, Path: f.rel})
	}
	seg := segment{ID: w.st.NextSeg, State: "pending"}
	if err := w.writePostings(&seg, u32(seg.ID)); err != nil {
		t.Fatal(err)
	}
	db.bolt.Close() // killed: no commit, no Close

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("Check after kill: %v", err)
	}
	info, _ := db.Info(context.Background())
	if info.Files != 10 || info.Segments != 1 {
		t.Errorf("after kill: %d files in %d segments, want 10 in 1", info.Files, info.Segments)
	}
	// Resume: the pending segment is dropped, the files are indexed again.
	load2 := func() {
		w, err := db.NewWriter(WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rootID, _, _ := w.Root("/goroot/src", "dir")
		for _, f := range files[10:] {
			id, fresh := w.Claim(Sum(f.data))
			if !fresh {
				t.Fatalf("%s: content from the killed run counted as indexed", f.rel)
			}
			w.AddFile(FileRecord{ID: id, Sum: Sum(f.data)}, f.fps, Location{RootID: rootID, Path: f.rel})
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	load2()
	if err := db.Check(); err != nil {
		t.Fatalf("Check after resume: %v", err)
	}
	info, _ = db.Info(context.Background())
	if info.Files != 20 || info.Segments != 2 {
		t.Errorf("after resume: %d files in %d segments, want 20 in 2", info.Files, info.Segments)
	}
	db.Close()
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := Open(filepath.Join(dir, "missing.db"), Options{ReadOnly: true}); !errors.Is(err, ErrNotExist) {
		t.Errorf("missing read-only: %v, want ErrNotExist", err)
	}
	if _, err := Open(write("text.db", []byte(strings.Repeat("not a database\n", 2000))), Options{}); !errors.Is(err, ErrNotCorpus) {
		t.Errorf("text file: %v, want ErrNotCorpus", err)
	}
	if _, err := Open(write("short.db", []byte("tiny")), Options{ReadOnly: true}); !errors.Is(err, ErrNotCorpus) {
		t.Errorf("short file: %v, want ErrNotCorpus", err)
	}
	if _, err := Open(write("empty.db", nil), Options{ReadOnly: true}); !errors.Is(err, ErrNotCorpus) || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty file, read-only: %v, want ErrNotCorpus", err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNotCorpus) {
		t.Errorf("directory: %v, want ErrNotCorpus", err)
	}

	// A bbolt file of another application.
	foreign := filepath.Join(dir, "foreign.db")
	bdb, err := bolt.Open(foreign, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	bdb.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket([]byte("users"))
		return b.Put([]byte("alice"), []byte("1"))
	})
	bdb.Close()
	if _, err := Open(foreign, Options{}); !errors.Is(err, ErrNotCorpus) {
		t.Errorf("foreign bbolt: %v, want ErrNotCorpus", err)
	}

	// Another schema version, and other parameters.
	db, path := create(t, Params{K: 12, W: 8})
	db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put(kSchema, binary.BigEndian.AppendUint32(nil, 99))
	})
	db.Close()
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrSchemaMismatch) {
		t.Errorf("schema 99: %v, want ErrSchemaMismatch", err)
	}
	db, path = create(t, Params{K: 12, W: 8})
	db.Close()
	if _, err := Open(path, Options{Params: Params{K: 20}}); !errors.Is(err, ErrParamsMismatch) {
		t.Errorf("k mismatch: %v, want ErrParamsMismatch", err)
	}
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := db.Params(); p.K != 12 || p.W != 8 {
		t.Errorf("params = %+v", p)
	}
	db.Close()

	// A truncated database: the meta pages and one more only.
	db, path = create(t, Params{})
	load(t, db, gorootFiles(t, 30), WriterOptions{})
	db.Close()
	data, _ := os.ReadFile(path)
	trunc := write("trunc.db", data[:3*4096])
	if db, err := Open(trunc, Options{ReadOnly: true}); err == nil {
		// bbolt may open it; reading must then fail cleanly, not panic.
		_, ierr := db.Info(context.Background())
		cerr := db.Check()
		db.Close()
		if ierr == nil && cerr == nil {
			t.Error("truncated database: Info and Check both succeeded")
		}
	}
}

func TestLocked(t *testing.T) {
	t.Parallel()
	db, path := create(t, Params{})
	defer db.Close()
	// bbolt's flock is per open file description: a second open in the same
	// process waits like another process would.
	_, err := Open(path, Options{LockTimeout: 100e6})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second writer: %v, want ErrLocked", err)
	}
}

func BenchmarkLookup(b *testing.B) {
	files := gorootFiles(b, 60)
	path := filepath.Join(b.TempDir(), "c.db")
	db, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	w, _ := db.NewWriter(WriterOptions{})
	rootID, _, _ := w.Root("/r", "dir")
	for _, f := range files {
		id, _ := w.Claim(Sum(f.data))
		w.AddFile(FileRecord{ID: id, Sum: Sum(f.data)}, f.fps, Location{RootID: rootID, Path: f.rel})
	}
	w.Close()
	var hashes []uint64
	for _, f := range files {
		for _, fp := range f.fps {
			hashes = append(hashes, fp.Hash)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db.Lookup(context.Background(), hashes, 0, func(int, Hit) {})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hashes)), "ns/hash")
}

// TestLicenseTexts checks that license texts are kept once per distinct
// text, survive reopening, and that a database without the texts bucket
// (written before texts were kept) reads as having none.
func TestLicenseTexts(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "LICENSE"))
	if err != nil {
		t.Skipf("GOROOT/LICENSE: %v", err)
	}
	db, path := create(t, Params{})
	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := w.LicenseText(text)
	if again := w.LicenseText(bytes.Clone(text)); again != id || id != LicenseTextID(text) || len(id) != 32 {
		t.Errorf("ids %q, %q, want %q", id, again, LicenseTextID(text))
	}
	if w.LicenseText(nil) != "" || w.LicenseText(make([]byte, MaxLicenseText+1)) != "" {
		t.Error("an empty or oversized text got an id")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ro.LicenseText(id); err != nil || got != string(text) {
		t.Errorf("LicenseText: %d bytes, %v; want the %d bytes written", len(got), err, len(text))
	}
	if got, err := ro.LicenseText("0123"); err != nil || got != "" {
		t.Errorf("unknown id: %q, %v", got, err)
	}
	ro.Close()
	// Drop the bucket, as in a database from before texts were kept.
	bdb, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bTexts) }); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	old, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if got, err := old.LicenseText(id); err != nil || got != "" {
		t.Errorf("database without texts: %q, %v", got, err)
	}
}

// TestAfterTx records the writer's transactions through the AfterTx hook
// while it loads real files in small segments: the root first, then per
// segment its pending record, its batches of postings and its commit, each
// kind counted from 1, as many commits as segments.
func TestAfterTx(t *testing.T) {
	t.Parallel()
	db, _ := create(t, Params{})
	defer db.Close()
	var log []string
	counts := map[string]int{}
	load(t, db, gorootFiles(t, 60), WriterOptions{BatchPostings: 5000, TxBytes: 16 << 10, AfterTx: func(kind string, n int) {
		counts[kind]++
		if n != counts[kind] {
			t.Errorf("%s transaction counted %d, want %d", kind, n, counts[kind])
		}
		log = append(log, kind)
	}})
	info, err := db.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0] != TxRoot || counts[TxCommit] != info.Segments || counts[TxSegment] != info.Segments || info.Segments < 3 {
		t.Fatalf("transactions %v for %d segments", counts, info.Segments)
	}
	// segment, postings..., commit, segment, ...
	want := TxSegment
	for i, kind := range log[1:] {
		switch {
		case kind == want:
		case want == TxPostings && kind == TxCommit && log[i] == TxPostings:
		default:
			t.Fatalf("transaction %d is a %s after a %s: %v", i+2, kind, log[i], log)
		}
		want = map[string]string{TxSegment: TxPostings, TxPostings: TxPostings, TxCommit: TxSegment}[kind]
	}
	if log[len(log)-1] != TxCommit {
		t.Errorf("the last transaction is a %s, want a commit", log[len(log)-1])
	}
}

// TestPackageIdentity records packages found under several roots: a
// package with a version is recorded once, whatever root or directory it
// was found at, in this run or a later one; packages without a version,
// and vendored copies, are told apart.
func TestPackageIdentity(t *testing.T) {
	db, _ := create(t, Params{})
	defer db.Close()
	toml := Package{Ecosystem: "golang", Name: "github.com/BurntSushi/toml", Version: "v1.6.0", PURL: "pkg:golang/github.com/BurntSushi/toml@v1.6.0"}
	at := func(p Package, root uint32, dir string) Package { p.RootID, p.Dir = root, dir; return p }
	pkgID := func(w *Writer, p Package) uint32 {
		t.Helper()
		id, err := w.Package(p)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var roots [3]uint32
	for i, p := range []string{"/cache", "/cache/github.com", "/cache/github.com/!burnt!sushi/toml@v1.6.0"} {
		if roots[i], _, err = w.Root(p, "dir"); err != nil {
			t.Fatal(err)
		}
	}
	first := pkgID(w, at(toml, roots[0], "github.com/!burnt!sushi/toml@v1.6.0"))
	if id := pkgID(w, at(toml, roots[1], "!burnt!sushi/toml@v1.6.0")); id != first {
		t.Errorf("the same module version under another root: package %d, want %d", id, first)
	}
	newer := toml
	newer.Version, newer.PURL = "v1.7.0", "pkg:golang/github.com/BurntSushi/toml@v1.7.0"
	vendored := toml
	vendored.Vendored = true
	unversioned := Package{Ecosystem: "golang", Name: "example.com/repo", PURL: "pkg:golang/example.com/repo"}
	others := map[uint32]string{first: "v1.6.0"}
	for name, p := range map[string]Package{
		"another version":            at(newer, roots[1], "!burnt!sushi/toml@v1.7.0"),
		"a vendored copy":            at(vendored, roots[0], "app/vendor/github.com/BurntSushi/toml"),
		"a module without a version": at(unversioned, roots[0], "a"),
		"the same, elsewhere":        at(unversioned, roots[0], "b"),
	} {
		id := pkgID(w, p)
		if prev, dup := others[id]; dup {
			t.Errorf("%s: package %d, already given to %s", name, id, prev)
		}
		others[id] = name
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, err = db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if id := pkgID(w, at(toml, roots[2], "")); id != first {
		t.Errorf("the same module version in a later run: package %d, want %d", id, first)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := db.tables()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.pkgs) != 5 {
		t.Errorf("%d package records, want 5", len(c.pkgs))
	}
	if err := db.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snipscan/snipscan/fingerprint"
)

// fetchedPkg is a package indexed below a root, recorded as fetched
// whole (rec) when rec.PURL is set.
type fetchedPkg struct {
	root, dir string // the root, and the package's directory below it
	pkg       Package
	rec       Fetched
}

// loadFetched indexes files into each package's directory below its root
// in one run, records the fetched ones, and finishes the run.
func loadFetched(t *testing.T, db *DB, files []testFile, pkgs ...fetchedPkg) {
	t.Helper()
	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		rootID, _, err := w.Root(p.root, "dir")
		if err != nil {
			t.Fatal(err)
		}
		p.pkg.RootID, p.pkg.Dir = rootID, p.dir
		pkgID, err := w.Package(p.pkg)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			sum := Sum(f.data)
			id, fresh := w.Claim(sum)
			loc := Location{RootID: rootID, Path: strings.TrimPrefix(p.dir+"/"+f.rel, "/"), Size: int64(len(f.data)), MTime: 1, PkgID: pkgID}
			if !fresh {
				loc.FileID = id
				err = w.AddLocation(loc)
			} else {
				rec := FileRecord{ID: id, Sum: sum, Size: int64(len(f.data)), Lines: f.res.Lines, Tokens: len(f.res.Tokens), Lang: fingerprint.Go, NormHash: f.res.NormHash}
				err = w.AddFile(rec, f.fps, loc)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if p.rec.PURL != "" {
			w.Fetched(rootID, p.rec)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
}

// published returns the publication time the database records for the
// package purl.
func published(t *testing.T, db *DB, purl string) time.Time {
	t.Helper()
	c, err := db.tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.pkgs {
		if p.PURL == purl {
			return p.Published
		}
	}
	t.Fatalf("no package %s", purl)
	return time.Time{}
}

// merge merges src into dst in one writer run.
func merge(t *testing.T, dst, src *DB) error {
	t.Helper()
	w, err := dst.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Merge(t.Context(), src); err != nil {
		w.Close()
		return err
	}
	return w.Finish()
}

// TestMergeFetched: a merge carries the records of packages fetched
// whole and their publication times, also to a package the database found
// on disk without one; merging again changes nothing; a shard that
// fetched the same package with another digest is refused, and the
// database keeps its record.
func TestMergeFetched(t *testing.T) {
	files := gorootFiles(t, 6)
	when := time.Date(2018, 2, 14, 0, 4, 45, 0, time.UTC)
	quote := Package{Ecosystem: "golang", Name: "rsc.io/quote", Version: "v1.5.2", PURL: "pkg:golang/rsc.io/quote@v1.5.2"}
	fetched := quote
	fetched.Published = when
	rec := Fetched{PURL: quote.PURL, Digest: "h1:first", Root: "/shard/mod/rsc.io/quote@v1.5.2", Published: when, Indexed: when.Add(time.Hour)}

	src, _ := create(t, Params{})
	defer src.Close()
	loadFetched(t, src, files, fetchedPkg{root: rec.Root, pkg: fetched, rec: rec})
	dst, dstPath := create(t, Params{})
	defer dst.Close()
	loadFetched(t, dst, files[:2], fetchedPkg{root: "/src/quote", pkg: quote})
	if published(t, dst, quote.PURL) != (time.Time{}) {
		t.Fatal("the package found on disk has a publication time")
	}

	if err := merge(t, dst, src); err != nil {
		t.Fatal(err)
	}
	got, err := dst.Fetched(quote.PURL)
	if err != nil || got == nil || *got != rec {
		t.Fatalf("after the merge: %+v, %v; want %+v", got, err, rec)
	}
	if p := published(t, dst, quote.PURL); !p.Equal(when) {
		t.Errorf("after the merge, published %v; want %v", p, when)
	}
	before, err := os.Stat(dstPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := merge(t, dst, src); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(dstPath); after.Size() != before.Size() {
		t.Errorf("merging again grew the database from %d to %d bytes", before.Size(), after.Size())
	}

	other, _ := create(t, Params{})
	defer other.Close()
	tampered := rec
	tampered.Digest, tampered.Root = "h1:second", "/other/quote"
	loadFetched(t, other, files[3:], fetchedPkg{root: tampered.Root, pkg: fetched, rec: tampered})
	if err := merge(t, dst, other); err == nil || !strings.Contains(err.Error(), "SECURITY") {
		t.Errorf("a shard with another digest: %v; want a refusal", err)
	}
	if got, _ := dst.Fetched(quote.PURL); got == nil || got.Digest != "h1:first" {
		t.Errorf("after the refused merge: %+v; want the first record kept", got)
	}
}

// TestRemoveLocationsDropsFetched: removing a location of a fetched
// package drops its record (the corpus no longer holds it whole), and only
// its record, whether the package is a root or a directory below one.
func TestRemoveLocationsDropsFetched(t *testing.T) {
	files := gorootFiles(t, 3)
	db, _ := create(t, Params{})
	defer db.Close()
	pkg := func(name, version string) (Package, Fetched) {
		p := Package{Ecosystem: "npm", Name: name, Version: version, PURL: "pkg:npm/" + name + "@" + version}
		return p, Fetched{PURL: p.PURL, Digest: "sha512-" + name + version}
	}
	a, aRec := pkg("a", "1.0.10")
	a1, a1Rec := pkg("a", "1.0.1") // its directory's name starts that of a@1.0.10
	b, bRec := pkg("b", "1.0.0")
	cache := filepath.FromSlash("/cache/packages")
	aRec.Root, a1Rec.Root, bRec.Root = filepath.Join(cache, "a@1.0.10"), filepath.Join(cache, "a@1.0.1"), filepath.FromSlash("/other/b@1.0.0")
	loadFetched(t, db, files,
		fetchedPkg{root: cache, dir: "a@1.0.10", pkg: a, rec: aRec},
		fetchedPkg{root: cache, dir: "a@1.0.1", pkg: a1, rec: a1Rec},
		fetchedPkg{root: bRec.Root, pkg: b, rec: bRec})

	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cacheID, _, err := w.Root(cache, "dir")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.RemoveLocations(cacheID, []string{"a@1.0.10/" + files[1].rel}); err != nil || n != 1 {
		t.Fatalf("RemoveLocations: %d, %v", n, err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	for purl, want := range map[string]bool{aRec.PURL: false, a1Rec.PURL: true, bRec.PURL: true} {
		if got, err := db.Fetched(purl); err != nil || (got != nil) != want {
			t.Errorf("%s: record %+v, %v; want kept %v", purl, got, err, want)
		}
	}
}

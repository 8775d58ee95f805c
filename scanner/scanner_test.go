package scanner

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/walk"
)

// csvArchive writes GOROOT's encoding/csv sources into a zip or .tar.gz
// archive at path (by its name), under a module-like prefix, with their
// contents possibly changed by edit, and returns the contents by member
// name.
func csvArchive(t *testing.T, path string, edit func(name string, data []byte) []byte) map[string][]byte {
	t.Helper()
	dir := filepath.Join(runtime.GOROOT(), "src", "encoding", "csv")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	isZip := strings.HasSuffix(path, ".zip")
	out := map[string][]byte{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		name := "example.com/csv@v1.0.0/" + e.Name()
		if edit != nil {
			data = edit(name, data)
		}
		if isZip {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		} else {
			tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
			tw.Write(data)
		}
		out[name] = data
	}
	if isZip {
		err = zw.Close()
	} else if err = tw.Close(); err == nil {
		err = gz.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSourceTextArchives indexes a zip and a .tar.gz archive into a real
// database and reads every indexed file's text back from the archive; a
// member changed since indexing is not read, and neither is a missing
// archive.
func TestSourceTextArchives(t *testing.T) {
	for _, name := range []string{"csv.zip", "csv.tar.gz"} {
		t.Run(name, func(t *testing.T) { sourceTextArchive(t, name) })
	}
}

func sourceTextArchive(t *testing.T, name string) {
	dir := t.TempDir()
	archive := filepath.Join(dir, name)
	want := csvArchive(t, archive, nil)
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(context.Background(), db, []string{archive}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	ids := make([]uint32, 0, 64)
	for id := uint32(1); id <= 64; id++ {
		ids = append(ids, id)
	}
	files, err := db.Files(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(want) {
		t.Fatalf("%d files indexed, %d in the archive", len(files), len(want))
	}
	read := NewSources(context.Background(), 1<<20).Text
	for _, f := range files {
		name := f.Locations[0].Path
		if got := read(f); !bytes.Equal(got, want[name]) {
			t.Errorf("%s: read %d bytes, want the %d indexed", name, len(got), len(want[name]))
		}
	}
	// The same archive with one file changed (same size): that file is
	// not read, the others are.
	changed := "example.com/csv@v1.0.0/reader.go"
	csvArchive(t, archive, func(name string, data []byte) []byte {
		if name == changed {
			return bytes.Replace(data, []byte("func "), []byte("func_"), 1)
		}
		return data
	})
	for _, f := range files {
		got := read(f)
		if name := f.Locations[0].Path; name == changed && got != nil || name != changed && got == nil {
			t.Errorf("%s after the change: read %d bytes", name, len(got))
		}
	}
	os.Remove(archive)
	for _, f := range files {
		if got := read(f); got != nil {
			t.Errorf("%s of a removed archive: read %d bytes", f.Locations[0].Path, len(got))
		}
	}
}

// gorootFile returns a real GOROOT source file.
func gorootFile(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(rel)))
	if err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	return data
}

// TestSourceTextDecodes indexes GOROOT's encoding/csv/reader.go written in
// Latin-1 (with one ü added) and in UTF-16, and reads both back as the
// UTF-8 text that was indexed.
func TestSourceTextDecodes(t *testing.T) {
	dir := t.TempDir()
	text := strings.Replace(string(gorootFile(t, "encoding/csv/reader.go")), "// Package csv", "// Package csv (über)", 1)
	latin1 := make([]byte, 0, len(text))
	for _, r := range text {
		latin1 = append(latin1, byte(r))
	}
	utf16 := []byte{0xff, 0xfe}
	for _, r := range text {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	tree := filepath.Join(dir, "tree")
	os.MkdirAll(tree, 0o755)
	os.WriteFile(filepath.Join(tree, "latin1.go"), latin1, 0o644)
	os.WriteFile(filepath.Join(tree, "utf16.go"), utf16, 0o644)
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(context.Background(), db, []string{tree}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	files, err := db.Files(context.Background(), []uint32{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	// Both encode the same text: one content, at two locations.
	if len(files) != 1 || len(files[1].Locations) != 2 {
		t.Fatalf("%d files indexed, want 1 with two locations", len(files))
	}
	if got := NewSources(context.Background(), 1<<20).Text(files[1]); string(got) != text {
		t.Errorf("read back %d bytes, want the %d of the UTF-8 text", len(got), len(text))
	}
}

// TestUnscanned scans a tree holding files a scan cannot read: a source
// file over the size limit, a FIFO with a source file's name, and a link
// to itself; beside them files that are not source code (a large binary,
// a large data file without extension) and a link back to a directory
// above. Only the first three are unscanned.
func TestUnscanned(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	os.MkdirAll(filepath.Join(tree, "sub"), 0o755)
	reader := gorootFile(t, "encoding/csv/reader.go")
	os.WriteFile(filepath.Join(tree, "small.go"), gorootFile(t, "encoding/csv/writer.go"), 0o644)
	os.WriteFile(filepath.Join(tree, "big.go"), reader, 0o644)
	os.WriteFile(filepath.Join(tree, "blob.go"), append([]byte("package blob\x00"), reader...), 0o644)
	os.WriteFile(filepath.Join(tree, "words"), bytes.Repeat([]byte("just words\n"), 2000), 0o644)
	if err := syscall.Mkfifo(filepath.Join(tree, "fifo.go"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.Symlink("self.go", filepath.Join(tree, "self.go"))
	os.Symlink("..", filepath.Join(tree, "sub", "up"))
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	limit := int64(len(reader) - 1)
	rep, err := Scan(context.Background(), db, []string{tree}, Options{Walk: walk.Options{MaxFileSize: limit}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range rep.Stats.Unscanned {
		got = append(got, strings.TrimPrefix(s.Path, tree+"/")+": "+s.Reason)
	}
	want := []string{"big.go: too large", "fifo.go: special file", "self.go: symlink loop"}
	if !slices.Equal(got, want) {
		t.Errorf("unscanned %q, want %q", got, want)
	}
	if rep.Stats.Files != 1 || rep.Stats.Skipped[walk.ReasonBinary] != 1 || rep.Stats.Skipped[walk.ReasonUnsupported] != 1 {
		t.Errorf("%d files scanned, skipped %v; want small.go scanned, blob.go binary and words unsupported", rep.Stats.Files, rep.Stats.Skipped)
	}
}

// TestResultsWithFindings scans a tree of real files against a real
// database of GOROOT's encoding/csv: copies of two of its files, the
// sources of container/list and container/ring (no findings), and the GIF
// images of image/testdata (unsupported). The report keeps the two files
// with findings, counts every scanned file, and counts the images without
// listing them; lookup batches cut after each file's tokens give the same
// findings.
func TestResultsWithFindings(t *testing.T) {
	src := filepath.Join(runtime.GOROOT(), "src")
	dir := t.TempDir()
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(context.Background(), db, []string{filepath.Join(src, "encoding", "csv")}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(dir, "tree")
	copied := map[string]bool{}
	for _, rel := range []string{"encoding/csv/reader.go", "encoding/csv/writer.go"} {
		copyFile(t, filepath.Join(src, rel), filepath.Join(tree, "csv", filepath.Base(rel)))
		copied[filepath.Join(tree, "csv", filepath.Base(rel))] = true
	}
	code, images := len(copied), 0
	for _, d := range []string{"container/list", "container/ring", "image/testdata"} {
		entries, err := os.ReadDir(filepath.Join(src, d))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			switch filepath.Ext(e.Name()) {
			case ".go":
				code++
			case ".gif":
				images++
			default:
				continue
			}
			copyFile(t, filepath.Join(src, d, e.Name()), filepath.Join(tree, d, e.Name()))
		}
	}
	if images == 0 {
		t.Fatal("no GIF images in image/testdata")
	}
	rep, err := Scan(context.Background(), db, []string{tree}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Files != code {
		t.Errorf("%d files scanned, want %d", rep.Stats.Files, code)
	}
	for _, r := range rep.Results {
		if len(r.Findings) == 0 || !copied[r.Path] {
			t.Errorf("result for %s (%d findings): only the copies of encoding/csv have findings", r.Path, len(r.Findings))
		}
	}
	if len(rep.Results) != len(copied) {
		t.Errorf("%d results, want %d (the copies of encoding/csv)", len(rep.Results), len(copied))
	}
	if n := rep.Stats.Skipped[walk.ReasonUnsupported]; n != images {
		t.Errorf("%d files of unsupported types counted, want %d", n, images)
	}
	for _, s := range rep.Stats.Skips {
		if s.Reason == walk.ReasonUnsupported {
			t.Errorf("skip of an unsupported type listed: %s", s)
		}
	}
	one, err := Scan(context.Background(), db, []string{tree}, Options{BatchBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one.Results, rep.Results) {
		t.Errorf("batches of one file: results differ:\n%+v\nwant\n%+v", one.Results, rep.Results)
	}
}

// copyFile copies the file at from to to, creating its directory.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHeldBytes scans GOROOT's encoding packages against a real database
// of encoding/csv with lookup batches of 32 KB: the walk waits while
// twice as many bytes are read and not yet matched, so that at most that
// plus one file's are held at once, whatever the size of the tree; and
// the findings are those of the default batches.
func TestHeldBytes(t *testing.T) {
	src := filepath.Join(runtime.GOROOT(), "src")
	tree := filepath.Join(src, "encoding")
	db, err := corpus.Open(filepath.Join(t.TempDir(), "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(context.Background(), db, []string{filepath.Join(tree, "csv")}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	var total, largest int64
	filepath.WalkDir(tree, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
				largest = max(largest, fi.Size())
			}
		}
		return nil
	})
	const batch = 32 << 10
	if total < 8*batch {
		t.Fatalf("GOROOT's encoding packages hold %d bytes: the fixture needs a tree of many batches", total)
	}
	small, err := Scan(context.Background(), db, []string{tree}, Options{BatchBytes: batch})
	if err != nil {
		t.Fatal(err)
	}
	if held := small.Stats.MaxHeld; held <= 0 || held >= 2*batch+largest {
		t.Errorf("%d bytes held at once, want fewer than %d (twice the batch, plus the largest file, %d); the tree holds %d", held, 2*batch+largest, largest, total)
	}
	whole, err := Scan(context.Background(), db, []string{tree}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Results) == 0 || !reflect.DeepEqual(small.Results, whole.Results) {
		t.Errorf("batches of 32 KB: %d results, want the %d of the default batches, the same", len(small.Results), len(whole.Results))
	}
}

// TestFingerprintingBytes scans large generated files of GOROOT (the
// compiler's SSA tables, up to 3 MB) beside small ones, against a real
// database of one of them: the files fingerprinted at once hold fewer
// bytes than Options.FingerprintBytes plus the largest file, a bound of
// one byte fingerprints them one at a time, and the findings are the
// same.
func TestFingerprintingBytes(t *testing.T) {
	src := filepath.Join(runtime.GOROOT(), "src")
	tree := t.TempDir()
	var largest int64
	for _, rel := range []string{"cmd/compile/internal/ssa/opGen.go", "cmd/compile/internal/ssa/rewriteAMD64.go",
		"cmd/compile/internal/ssa/rewriteARM64.go", "crypto/internal/fips140/nistec/p256_table.go", "sort/sort.go", "strings/builder.go"} {
		copyFile(t, filepath.Join(src, rel), filepath.Join(tree, filepath.Base(rel)))
		fi, err := os.Stat(filepath.Join(tree, filepath.Base(rel)))
		if err != nil {
			t.Fatal(err)
		}
		largest = max(largest, fi.Size())
	}
	if largest < 2*DefaultFingerprintBytes {
		t.Fatalf("the largest file holds %d bytes: the fixture needs files above the bound", largest)
	}
	db, err := corpus.Open(filepath.Join(t.TempDir(), "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := indexer.Index(context.Background(), db, []string{filepath.Join(src, "cmd/compile/internal/ssa/rewriteARM64.go")}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	def, err := Scan(context.Background(), db, []string{tree}, Options{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := def.Stats.MaxFingerprinting; got <= 0 || got >= DefaultFingerprintBytes+largest {
		t.Errorf("%d bytes fingerprinted at once, want fewer than %d (the bound, plus the largest file, %d)", got, DefaultFingerprintBytes+largest, largest)
	}
	alone, err := Scan(context.Background(), db, []string{tree}, Options{Workers: 4, FingerprintBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := alone.Stats.MaxFingerprinting; got != largest {
		t.Errorf("a bound of one byte: %d bytes fingerprinted at once, want the largest file's %d", got, largest)
	}
	if len(def.Results) == 0 || !reflect.DeepEqual(alone.Results, def.Results) {
		t.Errorf("files fingerprinted one at a time: %d results, want the %d of the default bound, the same", len(alone.Results), len(def.Results))
	}
}

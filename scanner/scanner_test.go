package scanner

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
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
	read := SourceText(1 << 20)
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

package corpus

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
)

// flushReps is how many variants of each GOROOT test file are written:
// enough postings to outgrow the database's first megabyte.
const flushReps = 30

// addVariants adds flushReps variants of files (distinct contents, the
// same fingerprints) below root, skipping the paths in done, and returns
// the first error of AddFile.
func addVariants(w *Writer, rootID uint32, files []testFile, done map[string]Location) error {
	for rep := range flushReps {
		for _, f := range files {
			rel := fmt.Sprintf("v%d/%s", rep, f.rel)
			if _, ok := done[rel]; ok {
				continue
			}
			data := append([]byte(fmt.Sprintf("// variant %d\n", rep)), f.data...)
			sum := Sum(data)
			id, fresh := w.Claim(sum)
			if !fresh {
				continue
			}
			rec := FileRecord{ID: id, Sum: sum, Size: int64(len(data)), Lines: f.res.Lines, Tokens: len(f.res.Tokens), Lang: fingerprint.Go, NormHash: f.res.NormHash}
			if err := w.AddFile(rec, f.fps, Location{RootID: rootID, Path: rel, Size: rec.Size, MTime: 1}); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestFlushFailure writes a database in a child process whose database
// file may not grow (RLIMIT_FSIZE, as a full disk would stop it): the
// writer fails part way, and the database must then pass Check, hold only
// whole segments, say that its run did not finish, and take the rest in a
// later run, which finishes it.
func TestFlushFailure(t *testing.T) {
	if os.Getenv("SNIPSCAN_FLUSH_CHILD") != "" {
		return
	}
	path := filepath.Join(t.TempDir(), "full.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestFlushFailureChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SNIPSCAN_FLUSH_CHILD="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open after the failure: %v\n%s", err, out)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("Check after a failed write: %v\n%s", err, out)
	}
	files := gorootFiles(t, 200)
	total := flushReps * len(files)
	info, err := db.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Files == 0 || info.Files >= total {
		t.Fatalf("%d of %d files committed: the limit did not stop the writer part way\n%s", info.Files, total, out)
	}
	t.Logf("%d of %d files committed before the write failed", info.Files, total)
	if info.Unfinished == nil {
		t.Error("the database of the failed run is not marked unfinished")
	}
	// A later run, without the limit, completes the corpus.
	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rootID, prev, err := w.Root("/goroot/src", "dir")
	if err != nil {
		t.Fatal(err)
	}
	if err := addVariants(w, rootID, files, prev); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("Check after completing: %v", err)
	}
	if info, _ := db.Info(context.Background()); info.Files != total || info.Unfinished != nil {
		t.Errorf("%d files after completing, want %d; unfinished run %+v", info.Files, total, info.Unfinished)
	}
}

// TestFlushFailureChild is TestFlushFailure's child: it writes under the
// file size limit and expects an error from AddFile or Finish.
func TestFlushFailureChild(t *testing.T) {
	path := os.Getenv("SNIPSCAN_FLUSH_CHILD")
	if path == "" {
		t.Skip("run by TestFlushFailure")
	}
	signalIgnoreXFSZ()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, err := db.NewWriter(WriterOptions{BatchPostings: 20000, TxBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	rootID, _, err := w.Root("/goroot/src", "dir")
	if err != nil {
		t.Fatal(err)
	}
	// The database file may not grow past its size now plus 1 MiB.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	limit := uint64(fi.Size()) + 1<<20
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	failed := addVariants(w, rootID, gorootFiles(t, 200), nil)
	cerr := w.Finish()
	t.Logf("AddFile: %v; Finish: %v", failed, cerr)
	if failed == nil && cerr == nil {
		t.Fatal("no write failed under the file size limit")
	}
	if failed != nil && cerr == nil {
		t.Errorf("Finish after a failed write returned nil")
	}
}

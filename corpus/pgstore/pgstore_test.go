package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/corpustest"
	"github.com/snipscan/snipscan/internal/pgtest"
)

var cluster pgtest.Shared

func TestMain(m *testing.M) { os.Exit(cluster.Main(m)) }

func exec(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

// TestForeignSchema: a database whose schema "snipscan" is another
// program's is refused, and left as it was.
func TestForeignSchema(t *testing.T) {
	for _, setup := range []string{
		"CREATE SCHEMA snipscan; CREATE TABLE snipscan.accounts (id int)",
		`CREATE SCHEMA snipscan; CREATE TABLE snipscan.meta (key text PRIMARY KEY, value jsonb NOT NULL);
		 INSERT INTO snipscan.meta VALUES ('schema', '{"product": "other", "version": 1}')`,
	} {
		dsn := cluster.DSN(t)
		exec(t, dsn, setup)
		for _, ro := range []bool{false, true} {
			s, err := Open(context.Background(), dsn, corpus.Options{ReadOnly: ro})
			if !errors.Is(err, corpus.ErrNotCorpus) || !strings.Contains(err.Error(), "not snipscan's") {
				t.Errorf("%s (read-only %v): %v, want ErrNotCorpus", setup, ro, err)
			}
			if err == nil {
				s.Close()
			}
		}
	}
}

// TestNewerSchema: a corpus of a newer schema is refused, for reading
// and for writing.
func TestNewerSchema(t *testing.T) {
	dsn := cluster.DSN(t)
	s, err := Open(context.Background(), dsn, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	exec(t, dsn, `UPDATE snipscan.meta SET value = '{"product": "snipscan", "version": 99}' WHERE key = 'schema'`)
	for _, ro := range []bool{false, true} {
		s, err := Open(context.Background(), dsn, corpus.Options{ReadOnly: ro})
		if !errors.Is(err, corpus.ErrSchemaMismatch) || !strings.Contains(err.Error(), "99") {
			t.Errorf("read-only %v: %v, want ErrSchemaMismatch", ro, err)
		}
		if err == nil {
			s.Close()
		}
	}
}

// TestPasswordNotShown: an unreachable server's error names it without
// the URL's password.
func TestPasswordNotShown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	dsn := fmt.Sprintf("postgres://alice:s3cr3t-pw@127.0.0.1:%d/corpus?connect_timeout=5", port)
	_, err = Open(context.Background(), dsn, corpus.Options{ReadOnly: true})
	if err == nil || strings.Contains(err.Error(), "s3cr3t-pw") || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("error %v: want one that says the server cannot be reached, without the password", err)
	}
	if got := Redact(dsn); strings.Contains(got, "s3cr3t-pw") || !strings.Contains(got, "alice") {
		t.Errorf("Redact gives %s", got)
	}
}

// TestConcurrentWriters: two writers on one database, each in its own
// connection pool as two processes would be, add a content both hold and
// one each, interleaving their flushes: the shared content is stored
// once, under the first committer's ID, with the locations of both, and
// its postings once.
func TestConcurrentWriters(t *testing.T) {
	dsn := cluster.DSN(t)
	ctx := context.Background()
	srcs := map[string]corpustest.Source{}
	for _, src := range corpustest.Sources(t, "bufio/scan.go", "strings/reader.go", "sort/sort.go") {
		srcs[src.Rel] = src
	}
	var ws [2]corpus.IndexWriter
	for i := range ws {
		s, err := Open(ctx, dsn, corpus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if ws[i], err = s.OpenWriter(corpus.WriterOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	add := func(w corpus.IndexWriter, root, rel string) {
		t.Helper()
		src := srcs[rel]
		rid, _, err := w.Root(root, "dir")
		if err != nil {
			t.Fatal(err)
		}
		id, fresh := w.Claim(corpus.Sum(src.Data))
		if !fresh {
			t.Fatalf("%s: not fresh", rel)
		}
		if err := w.AddFile(src.Record(id), src.Res.Fingerprints, corpus.Location{RootID: rid, Path: rel}); err != nil {
			t.Fatal(err)
		}
	}
	add(ws[0], "/a", "bufio/scan.go")
	add(ws[1], "/b", "bufio/scan.go")
	add(ws[1], "/b", "strings/reader.go")
	add(ws[0], "/a", "sort/sort.go")
	if err := ws[0].Flush(); err != nil {
		t.Fatal(err)
	}
	for _, w := range []corpus.IndexWriter{ws[1], ws[0]} {
		if err := w.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Open(ctx, dsn, corpus.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	info, err := r.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Files != 3 || info.Locations != 4 || info.DeadFiles != 0 || info.Unfinished != nil {
		t.Errorf("%d files at %d locations (%d dead, unfinished %v), want 3 at 4", info.Files, info.Locations, info.DeadFiles, info.Unfinished)
	}
	hashes := []uint64{srcs["bufio/scan.go"].Res.Fingerprints[0].Hash}
	err = r.Lookup(ctx, hashes, 0, func(_ int, h corpus.Hit) {
		fs, err := r.Files(ctx, []uint32{h.Postings[0].File})
		if err != nil || len(fs) != 1 {
			t.Fatalf("files: %v", err)
		}
		for _, f := range fs {
			if len(f.Locations) != 2 {
				t.Errorf("the shared content has %d locations, want 2", len(f.Locations))
			}
		}
		seen := map[uint32]bool{}
		for _, p := range h.Postings {
			seen[p.File] = true
		}
		if len(seen) != 1 {
			t.Errorf("the shared content's postings name %d files, want 1", len(seen))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

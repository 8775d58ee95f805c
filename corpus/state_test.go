package corpus

import (
	"testing"
	"time"
)

// TestUnfinishedRun checks the record of an unfinished run: written by the
// first transaction of a writer, kept by Close (a run that stopped early,
// its committed files still there), kept across a reopen read-only as a
// scan opens it, and cleared by Finish; a database no run wrote into has
// no files.
func TestUnfinishedRun(t *testing.T) {
	files := gorootFiles(t, 6)
	start := time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)
	path := t.TempDir() + "/corpus.db"
	db, err := Open(path, Options{Now: func() time.Time { return start }})
	if err != nil {
		t.Fatal(err)
	}
	state := func(step string, wantRun bool, wantFiles bool) {
		t.Helper()
		run, err := db.Unfinished()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if (run != nil) != wantRun || run != nil && !run.Started.Equal(start) {
			t.Errorf("%s: unfinished run %+v, want one: %v", step, run, wantRun)
		}
		has, err := db.HasFiles()
		if err != nil || has != wantFiles {
			t.Errorf("%s: has files %v (%v), want %v", step, has, err, wantFiles)
		}
		info, err := db.Info(t.Context())
		if err != nil || (info.Unfinished != nil) != wantRun {
			t.Errorf("%s: Info.Unfinished %+v (%v)", step, info.Unfinished, err)
		}
	}
	state("a new database", false, false)

	w, err := db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	state("a writer started", true, false)
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	state("a run that added nothing finished", false, false)

	load(t, db, files, WriterOptions{}) // ends with Close: a run that stopped early
	state("a run closed without Finish", true, true)
	if err := db.Check(); err != nil {
		t.Errorf("the unfinished database fails its check: %v", err)
	}
	db.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if run, err := ro.Unfinished(); err != nil || run == nil {
		t.Errorf("read-only: unfinished run %+v (%v), want the run", run, err)
	}
	ro.Close()

	if db, err = Open(path, Options{Now: func() time.Time { return start }}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, err = db.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	state("the run again, finished", false, true)
	if err := w.Finish(); err == nil {
		t.Error("Finish of a closed writer succeeded")
	}
}

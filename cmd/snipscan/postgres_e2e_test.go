package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/pgtest"
)

// pgCluster is the throwaway PostgreSQL cluster of the tests that need
// one, started by the first of them.
var pgCluster pgtest.Shared

func TestMain(m *testing.M) { os.Exit(pgCluster.Main(m)) }

// TestPostgresSameFindings indexes the same GOROOT directories into a
// bbolt file and into PostgreSQL with the real command, and checks that a
// scan gives the same JSON report, byte for byte, from both: copies,
// pasted functions, a renamed and reformatted one, and a rewrite.
func TestPostgresSameFindings(t *testing.T) {
	dsn := pgCluster.DSN(t)
	src := filepath.Join(goroot(t), "src")
	var roots []string
	for _, d := range []string{"encoding/csv", "bufio", "strings", "text/tabwriter", "strconv"} {
		roots = append(roots, filepath.Join(src, d))
	}
	file := filepath.Join(t.TempDir(), "corpus.db")
	for _, db := range []string{file, dsn} {
		if r := snipscan(t, nil, append([]string{"index", "--db", db}, roots...)...); r.code != 0 {
			t.Fatalf("index --db %s: exit %d\n%s", db, r.code, r.stderr)
		}
	}
	target := t.TempDir()
	_, pasted, _, _, _, _ := pastedCSV(t)
	data, err := os.ReadFile(pasted)
	if err != nil {
		t.Fatal(err)
	}
	fn, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	rw, _, _ := rewritten(t, filepath.Join(src, "strings", "reader.go"), "Seek", 1)
	files := map[string]string{
		"pasted.go":    string(data),
		"renamed.go":   "package p\n\n" + renameAndReformat(t, fn),
		"rewritten.go": rw,
	}
	for _, f := range []string{"bufio/scan.go", "strconv/quote.go"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		files[strings.ReplaceAll(f, "/", "_")] = string(b)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(target, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := snipscan(t, nil, "scan", "--db", file, "--format", "json", target)
	got := snipscan(t, nil, "scan", "--db", dsn, "--format", "json", target)
	if want.code != got.code {
		t.Errorf("exit %d on bbolt, %d on PostgreSQL\nbbolt: %s\nPostgreSQL: %s", want.code, got.code, want.stderr, got.stderr)
	}
	for _, kind := range []string{"file", "snippet", "rewrite"} {
		if !strings.Contains(want.stdout, `"kind": "`+kind+`"`) {
			t.Fatalf("the bbolt scan found no %s finding:\n%s\n%s", kind, want.stdout, want.stderr)
		}
	}
	// The corpus's name and the time taken are all that may differ.
	elapsed := regexp.MustCompile(`"elapsed_ms": [0-9]+`)
	same := func(out, db string) string {
		out = strings.Replace(out, `"corpus": `+strconv.Quote(db), `"corpus": "CORPUS"`, 1)
		return elapsed.ReplaceAllString(out, `"elapsed_ms": 0`)
	}
	if same(got.stdout, dsn) != same(want.stdout, file) {
		t.Errorf("the reports differ\nbbolt:\n%s\nPostgreSQL:\n%s\nstderr: %s", want.stdout, got.stdout, got.stderr)
	}
}

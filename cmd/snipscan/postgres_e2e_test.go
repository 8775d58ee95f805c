package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
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
	want := sameScan(t, file, dsn, target)
	for _, kind := range []string{"file", "snippet", "rewrite"} {
		if !strings.Contains(want, `"kind": "`+kind+`"`) {
			t.Errorf("the bbolt scan found no %s finding:\n%s", kind, want)
		}
	}
}

// pgTrees writes two trees of real GOROOT code for the tests that index
// into PostgreSQL: a holds bufio and encoding/csv, b strings,
// text/tabwriter and a copy of bufio/scan.go (a content both hold).
func pgTrees(t *testing.T) (a, b string) {
	t.Helper()
	src := filepath.Join(goroot(t), "src")
	dir := t.TempDir()
	a, b = filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for root, pkgs := range map[string][]string{a: {"bufio", "encoding/csv"}, b: {"strings", "text/tabwriter"}} {
		for _, p := range pkgs {
			copyTree(t, filepath.Join(src, p), filepath.Join(root, p))
		}
	}
	data, err := os.ReadFile(filepath.Join(src, "bufio", "scan.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, "scan.go"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// pgTarget writes files to scan against the trees of pgTrees.
func pgTarget(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	_, pasted, _, _, _, _ := pastedCSV(t)
	for name, from := range map[string]string{"pasted.go": pasted,
		"scan.go": filepath.Join(goroot(t), "src", "bufio", "scan.go"), "replace.go": filepath.Join(goroot(t), "src", "strings", "replace.go")} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sameScan checks that scanning target against db gives the report a
// scan against ref gives, but for the corpus's name and the time taken,
// and returns that report.
func sameScan(t *testing.T, ref, db, target string) string {
	t.Helper()
	elapsed := regexp.MustCompile(`"elapsed_ms": [0-9]+`)
	norm := func(out, db string) string {
		out = strings.Replace(out, `"corpus": `+strconv.Quote(db), `"corpus": "CORPUS"`, 1)
		return elapsed.ReplaceAllString(out, `"elapsed_ms": 0`)
	}
	want := snipscan(t, nil, "scan", "--db", ref, "--format", "json", target)
	got := snipscan(t, nil, "scan", "--db", db, "--format", "json", target)
	if !strings.Contains(want.stdout, `"kind"`) {
		t.Fatalf("the reference scan found nothing:\n%s\n%s", want.stdout, want.stderr)
	}
	if got.code != want.code || norm(got.stdout, db) != norm(want.stdout, ref) {
		t.Errorf("the reports differ (exit %d, want %d)\nwant:\n%s\ngot:\n%s\nstderr: %s", got.code, want.code, want.stdout, got.stdout, got.stderr)
	}
	return want.stdout
}

// TestPostgresConcurrentIndex runs two snipscan index processes at once on
// different roots into one PostgreSQL database: no file is lost or stored
// twice (the content both roots hold is stored once, at both
// locations), the database passes its check, and a scan gives what it
// gives against one bbolt file that one process indexed both roots into.
func TestPostgresConcurrentIndex(t *testing.T) {
	dsn := pgCluster.DSN(t)
	a, b := pgTrees(t)
	ref := filepath.Join(t.TempDir(), "ref.db")
	if r := snipscan(t, nil, "index", "--db", ref, a, b); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for _, root := range []string{a, b} {
		cmd := exec.Command(binary(t), "index", "--db", dsn, "--batch-postings", "2000", root)
		out := &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("index %d: %v\n%s", i, err, outs[i])
		}
	}
	if r := snipscan(t, nil, "check", "--db", dsn); r.code != 0 {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameInfo(t, "two runs at once", snipscan(t, nil, "info", "--db", dsn).stdout, snipscan(t, nil, "info", "--db", ref).stdout)
	sameScan(t, ref, dsn, pgTarget(t))
}

// TestPostgresKilledIndexResumes kills snipscan index into PostgreSQL
// (SIGKILL, right after its second commit, where the test hook halts it):
// the database passes its check and says a run did not finish, and
// running the same command again completes it into what an uninterrupted
// run gives.
func TestPostgresKilledIndexResumes(t *testing.T) {
	dsn := pgCluster.DSN(t)
	a, b := pgTrees(t)
	args := []string{"index", "--db", dsn, "--batch-postings", "2000", "--workers", "1", "--progress", "never", a, b}
	cmd, wait := startHalted(t, binary(t), args, haltPoint{corpus.TxCommit, 2})
	cmd.Process.Kill()
	wait()
	if r := snipscan(t, nil, "check", "--db", dsn); r.code != 0 || !strings.Contains(r.stdout, "unfinished") {
		t.Fatalf("check after the kill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := snipscan(t, nil, "scan", "--db", dsn, pgTarget(t)); r.code != 2 || !strings.Contains(r.stderr, "did not finish") {
		t.Errorf("a scan of the unfinished corpus: exit %d\n%s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, args...); r.code != 0 {
		t.Fatalf("index again: %s", r.stderr)
	}
	ref := filepath.Join(t.TempDir(), "ref.db")
	if r := snipscan(t, nil, "index", "--db", ref, a, b); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	want, got := snipscan(t, nil, "info", "--db", ref), snipscan(t, nil, "info", "--check", "--db", dsn)
	if got.code != 0 {
		t.Fatalf("info --check: %s", got.stderr)
	}
	sameInfo(t, "after the kill and a second run", got.stdout, want.stdout)
	sameScan(t, ref, dsn, pgTarget(t))
}

// TestServePostgres serves a PostgreSQL corpus with snipscan serve --db
// postgres://... and scans through it: the JSON report is the one a local
// scan of a bbolt file indexed from the same tree gives, byte for byte
// (but elapsed_ms and the corpus's name), a rewrite finding and a pasted
// snippet included, with and without the rewrite stage.
func TestServePostgres(t *testing.T) {
	dsn := pgCluster.DSN(t)
	file, pkg, target := serveTree(t)
	if r := snipscan(t, nil, "index", "--db", dsn, pkg); r.code != 0 {
		t.Fatalf("index --db %s: exit %d\n%s", dsn, r.code, r.stderr)
	}
	srv := startServe(t, "--db", dsn)
	corpusName := regexp.MustCompile(`(?m)^(\s*"corpus": ).*$`)
	norm := func(out string) string { return corpusName.ReplaceAllString(withoutElapsed(out), `${1}"CORPUS",`) }
	for _, args := range [][]string{{"--format", "json"}, {"--format", "json", "--no-rewrites"}} {
		local := snipscan(t, nil, append(append([]string{"scan", "--db", file}, args...), target)...)
		remote := snipscan(t, nil, append(append([]string{"scan", "--server", srv.url}, args...), target)...)
		if local.code == 2 || remote.code != local.code {
			t.Fatalf("%v: exit %d locally, %d through the server\n%s\n%s", args, local.code, remote.code, local.stderr, remote.stderr)
		}
		if !strings.Contains(local.stdout, `"kind": "snippet"`) {
			t.Fatalf("%v: the local scan lacks a snippet finding:\n%s", args, local.stdout)
		}
		if len(args) == 2 && !strings.Contains(local.stdout, `"kind": "rewrite"`) {
			t.Fatalf("the local scan lacks a rewrite finding:\n%s", local.stdout)
		}
		if a, b := norm(local.stdout), norm(remote.stdout); a != b {
			t.Errorf("%v: reports differ:\nlocal, bbolt:\n%s\nthrough the server, PostgreSQL:\n%s", args, a, b)
		}
	}
}

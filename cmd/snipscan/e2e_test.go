package main

// End-to-end tests: they build the snipscan binary, index the real
// GOROOT/src into a real bbolt file, and scan targets generated at test
// time from GOROOT code pasted into this project's own source files.

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/eval"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error

	gorootOnce sync.Once
	gorootDB   string
	gorootErr  error
	gorootOut  string
)

// binary builds the snipscan command once.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "snipscan-e2e")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "snipscan")
		args := []string{"build", "-o", binPath}
		if raceEnabled { // a race in the command shows in its tests too
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func goroot(t *testing.T) string {
	t.Helper()
	root := runtime.GOROOT()
	if _, err := os.Stat(filepath.Join(root, "src", "bufio", "scan.go")); err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	return root
}

// gorootCorpus indexes the whole of GOROOT/src once, as a user would.
func gorootCorpus(t *testing.T) string {
	t.Helper()
	src := filepath.Join(goroot(t), "src")
	bin := binary(t)
	gorootOnce.Do(func() {
		dir, err := os.MkdirTemp("", "snipscan-e2e-db")
		if err != nil {
			gorootErr = err
			return
		}
		gorootDB = filepath.Join(dir, "goroot.db")
		out, err := exec.Command(bin, "index", "--db", gorootDB, src).CombinedOutput()
		gorootOut = string(out)
		if err != nil {
			gorootErr = fmt.Errorf("index: %v\n%s", err, out)
		}
	})
	if gorootErr != nil {
		t.Fatal(gorootErr)
	}
	return gorootDB
}

// result is a finished command.
type result struct {
	stdout, stderr string
	code           int
}

// snipscan runs the snipscan binary with args, its environment extended
// by env.
func snipscan(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runIn(t, "", env, args...)
}

// runIn runs the snipscan binary with args in the directory dir (the
// test's when ""), its environment extended by env.
func runIn(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// jsonDoc mirrors the JSON contract (DESIGN.md) field by field, so that a
// renamed field fails the test.
type jsonDoc struct {
	Schema  int `json:"schema"`
	Tool    struct{ Name, Version string }
	Summary struct {
		FilesScanned int    `json:"files_scanned"`
		FilesMatched int    `json:"files_matched"`
		Matches      int    `json:"matches"`
		Failing      int    `json:"failing"`
		Accepted     int    `json:"accepted"`
		BelowMinimum int    `json:"below_minimum"`
		OutsideDiff  int    `json:"outside_diff"`
		Policy       string `json:"policy"`
	} `json:"summary"`
	Files []struct {
		Path    string `json:"path"`
		Matches []struct {
			ID      string  `json:"id"`
			Kind    string  `json:"kind"`
			Lines   [2]int  `json:"lines"`
			Matched float64 `json:"matched"`
			Exact   float64 `json:"exact"`
			Source  struct {
				Path          string   `json:"path"`
				Lines         [2]int   `json:"lines"`
				Package       string   `json:"package"`
				Version       string   `json:"version"`
				PURL          string   `json:"purl"`
				License       string   `json:"license"`
				LicenseSource string   `json:"license_source"`
				Copyrights    []string `json:"copyrights"`
				SourceChanged bool     `json:"source_changed"`
				SourceGone    bool     `json:"source_gone"`
			} `json:"source"`
			Alternates int `json:"alternates"`
			Policy     struct {
				Verdict    string   `json:"verdict"`
				Reasons    []string `json:"reasons"`
				Category   string   `json:"category"`
				InBaseline bool     `json:"in_baseline"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
}

func scanJSON(t *testing.T, db string, paths ...string) (jsonDoc, result) {
	t.Helper()
	r := snipscan(t, nil, append([]string{"scan", "--db", db, "--format", "json"}, paths...)...)
	var doc jsonDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("scan output is not JSON (%v):\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
	if doc.Schema != 1 || doc.Tool.Name != "snipscan" {
		t.Errorf("schema %d tool %q", doc.Schema, doc.Tool.Name)
	}
	return doc, r
}

// goFunc returns the source of a function of a GOROOT file and its lines.
func goFunc(t *testing.T, rel, name string) (string, int, int) {
	t.Helper()
	return fileFunc(t, filepath.Join(goroot(t), "src", rel), name)
}

// fileFunc returns the source of the function (or method) name in the Go
// file at path, and its lines.
func fileFunc(t *testing.T, path, name string) (string, int, int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, data, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
			s, e := fset.Position(fd.Pos()), fset.Position(fd.End())
			return string(data[s.Offset:e.Offset]), s.Line, e.Line
		}
	}
	t.Fatalf("no function %s in %s", name, path)
	return "", 0, 0
}

// renameAndReformat renames every identifier of a function consistently
// and prints it with two-space indentation.
func renameAndReformat(t *testing.T, fn string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", "package p\n"+fn, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name != "_" && id.Name != "p" {
			if _, ok := names[id.Name]; !ok {
				names[id.Name] = fmt.Sprintf("q%d", len(names))
			}
			id.Name = names[id.Name]
		}
		return true
	})
	var buf bytes.Buffer
	(&printer.Config{Mode: printer.UseSpaces, Tabwidth: 2}).Fprint(&buf, fset, f.Decls[0])
	return buf.String()
}

// pastedCSV writes, in a new directory, pasted.go: one of this project's
// files with encoding/csv's readRecord pasted into it. It returns the
// directory, the file, the pasted lines and the function's lines in
// GOROOT.
func pastedCSV(t *testing.T) (dir, target string, t0, t1, s0, s1 int) {
	t.Helper()
	dir = t.TempDir()
	fn, s0, s1 := goFunc(t, "encoding/csv/reader.go", "readRecord")
	code, t0, t1 := paste(t, "../../walk/walk.go", fn)
	target = filepath.Join(dir, "pasted.go")
	if err := os.WriteFile(target, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, target, t0, t1, s0, s1
}

// paste inserts code into one of this project's own source files, before
// its first top-level func, and returns the new file and the pasted lines.
func paste(t *testing.T, host, code string) (string, int, int) {
	t.Helper()
	data, err := os.ReadFile(host)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\nfunc ")
	if i < 0 {
		t.Fatalf("%s has no top-level func", host)
	}
	head := s[:i+1] + "\n"
	start := strings.Count(head, "\n") + 1
	code = strings.TrimRight(code, "\n") + "\n"
	end := start + strings.Count(code, "\n") - 1
	return head + code + s[i:], start, end
}

func near(got [2]int, lo, hi int) bool {
	d := func(a, b int) int {
		if a > b {
			return a - b
		}
		return b - a
	}
	return d(got[0], lo) <= 2 && d(got[1], hi) <= 2
}

func TestScanFindsCopies(t *testing.T) {
	db := gorootCorpus(t)
	dir := t.TempDir()
	type want struct {
		file               string
		kind               string
		source             string
		lines, sourceLines [2]int
	}
	var wants []want
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// A function pasted verbatim into one of this project's files.
	fn, s0, s1 := goFunc(t, "encoding/csv/reader.go", "readRecord")
	doc, t0, t1 := paste(t, "../../walk/walk.go", fn)
	wants = append(wants, want{write("verbatim.go", doc), "snippet", "encoding/csv/reader.go", [2]int{t0, t1}, [2]int{s0, s1}})

	// The same kind of paste with every identifier renamed and reformatted.
	fn, s0, s1 = goFunc(t, "text/tabwriter/tabwriter.go", "format")
	doc, t0, t1 = paste(t, "../../corpus/reader.go", renameAndReformat(t, fn))
	wants = append(wants, want{write("renamed.go", doc), "snippet", "text/tabwriter/tabwriter.go", [2]int{t0, t1}, [2]int{s0, s1}})

	// A whole copied file.
	whole, err := os.ReadFile(filepath.Join(goroot(t), "src", "container/list/list.go"))
	if err != nil {
		t.Fatal(err)
	}
	n := strings.Count(string(whole), "\n")
	wants = append(wants, want{write("list_copy.go", string(whole)), "file", "container/list/list.go", [2]int{1, n}, [2]int{1, n}})

	// The project's own untouched files.
	own := filepath.Join(dir, "own")
	for _, p := range []string{"../../match/match.go", "../../corpus/writer.go", "../../walk/archive.go", "run.go", "scan.go"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(own, 0o755)
		os.WriteFile(filepath.Join(own, filepath.Base(p)), data, 0o644)
	}

	out, r := scanJSON(t, db, dir)
	if r.code != 0 {
		t.Errorf("exit code %d, want 0 (BSD-3-Clause findings only warn)\n%s", r.code, r.stderr)
	}
	if out.Summary.FilesScanned != 8 {
		t.Errorf("files scanned %d, want 8", out.Summary.FilesScanned)
	}
	byPath := map[string]int{}
	for i, f := range out.Files {
		byPath[f.Path] = i
		if strings.Contains(f.Path, string(filepath.Separator)+"own"+string(filepath.Separator)) {
			t.Errorf("untouched project file %s has findings: %+v", f.Path, f.Matches)
		}
	}
	for _, w := range wants {
		i, ok := byPath[w.file]
		if !ok {
			t.Errorf("%s: no findings", filepath.Base(w.file))
			continue
		}
		ms := out.Files[i].Matches
		if len(ms) != 1 {
			t.Errorf("%s: %d findings, want 1: %+v", filepath.Base(w.file), len(ms), ms)
			continue
		}
		m := ms[0]
		if m.Kind != w.kind || m.Source.Path != w.source {
			t.Errorf("%s: %s from %s, want %s from %s", filepath.Base(w.file), m.Kind, m.Source.Path, w.kind, w.source)
		}
		if !near(m.Lines, w.lines[0], w.lines[1]) {
			t.Errorf("%s: target lines %v, want %v (within 2)", filepath.Base(w.file), m.Lines, w.lines)
		}
		if !near(m.Source.Lines, w.sourceLines[0], w.sourceLines[1]) {
			t.Errorf("%s: source lines %v, want %v (within 2)", filepath.Base(w.file), m.Source.Lines, w.sourceLines)
		}
		if m.Source.License != "BSD-3-Clause" || m.Source.LicenseSource != "license_file" {
			t.Errorf("%s: license %q from %q, want BSD-3-Clause from license_file", filepath.Base(w.file), m.Source.License, m.Source.LicenseSource)
		}
		holder := false
		for _, c := range m.Source.Copyrights {
			holder = holder || strings.Contains(c, "The Go Authors")
		}
		if !holder {
			t.Errorf("%s: copyrights %v lack The Go Authors", filepath.Base(w.file), m.Source.Copyrights)
		}
		if m.Source.Package != "stdlib" || !strings.HasPrefix(m.Source.PURL, "pkg:golang/stdlib@") {
			t.Errorf("%s: package %q purl %q", filepath.Base(w.file), m.Source.Package, m.Source.PURL)
		}
		// BSD-3-Clause needs attribution: the whole-file copy keeps the
		// Go Authors' copyright line and passes, the snippets warn.
		wantVerdict := "warn"
		if w.kind == "file" {
			wantVerdict = "pass"
		}
		if m.Policy.Verdict != wantVerdict || len(m.Policy.Reasons) == 0 || m.Policy.Category != "permissive" {
			t.Errorf("%s: policy %+v, want %s with a reason", filepath.Base(w.file), m.Policy, wantVerdict)
		}
	}

	// The text output names the same sources (with -v, those of passing
	// findings too).
	txt := snipscan(t, nil, "scan", "-v", "--db", db, dir)
	for _, w := range wants {
		if !strings.Contains(txt.stdout, w.source) {
			t.Errorf("text output lacks %s:\n%s", w.source, txt.stdout)
		}
	}
}

// TestIdioms checks that short common idioms (the evaluation's idiom
// files) are never reported against the whole standard library.
func TestIdioms(t *testing.T) {
	db := gorootCorpus(t)
	dir := t.TempDir()
	idioms := eval.Idioms()
	for name, src := range idioms {
		os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
	}
	out, r := scanJSON(t, db, dir)
	if r.code != 0 || out.Summary.Matches != 0 {
		t.Errorf("idioms: exit %d, %d matches: %+v", r.code, out.Summary.Matches, out.Files)
	}
}

// TestArchivesAndBadInput indexes a zip and a tar.gz built at test time,
// with bad files among them, and checks that bad input is skipped and
// counted, never fatal.
func TestArchivesAndBadInput(t *testing.T) {
	src := filepath.Join(goroot(t), "src")
	dir := t.TempDir()
	list, _ := os.ReadFile(filepath.Join(src, "container/list/list.go"))
	ring, _ := os.ReadFile(filepath.Join(src, "container/ring/ring.go"))
	license, _ := os.ReadFile(filepath.Join(goroot(t), "LICENSE"))

	// A zip with a Go module layout.
	zf, _ := os.Create(filepath.Join(dir, "mod.zip"))
	zw := zip.NewWriter(zf)
	for name, data := range map[string][]byte{
		"example.com/lists@v1.2.0/go.mod":        []byte("module example.com/lists\n"),
		"example.com/lists@v1.2.0/LICENSE":       license,
		"example.com/lists@v1.2.0/list/list.go":  list,
		"example.com/lists@v1.2.0/bin/blob.go":   append([]byte("package x\x00\x01"), make([]byte, 100)...),
		"example.com/lists@v1.2.0/bad/latin1.go": []byte("package x // caf\xe9\n"),
		"../escape.go":                           list,
	} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	zf.Close()

	// A tar.gz of the ring package, and a truncated copy of it.
	var tgz bytes.Buffer
	gz := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(gz)
	for name, data := range map[string][]byte{"ring/LICENSE": license, "ring/ring.go": ring} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	gz.Close()
	os.WriteFile(filepath.Join(dir, "ring.tar.gz"), tgz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "cut.tgz"), tgz.Bytes()[:tgz.Len()/2], 0o644)

	// A directory with a symlink loop and an unreadable file.
	tree := filepath.Join(dir, "tree")
	os.MkdirAll(filepath.Join(tree, "sub"), 0o755)
	os.WriteFile(filepath.Join(tree, "sub", "list.go"), list, 0o644)
	os.Symlink("..", filepath.Join(tree, "sub", "loop"))

	db := filepath.Join(dir, "c.db")
	r := snipscan(t, nil, "index", "-v", "--db", db, filepath.Join(dir, "mod.zip"), filepath.Join(dir, "ring.tar.gz"),
		filepath.Join(dir, "cut.tgz"), tree)
	// The truncated archive was named on the command line: an error
	// (exit 2) that names it, after the other paths were indexed.
	if r.code != 2 || !strings.Contains(r.stderr, "could not read "+filepath.Join(dir, "cut.tgz")+": corrupt archive") ||
		!strings.Contains(r.stderr, "the other paths were processed") {
		t.Fatalf("index: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// bad/latin1.go is decoded from Latin-1 and indexed, not skipped.
	for _, reason := range []string{"binary", "unsafe archive path", "corrupt archive", "symlink loop"} {
		if !strings.Contains(r.stdout, reason) || !strings.Contains(r.stderr, reason) {
			t.Errorf("index output does not count or list %q:\nstdout: %s\nstderr: %s", reason, r.stdout, r.stderr)
		}
	}
	info := snipscan(t, nil, "info", "--check", "--db", db)
	if info.code != 0 || !strings.Contains(info.stdout, "example.com/lists@v1.2.0") || !strings.Contains(info.stdout, "check      ok") {
		t.Errorf("info: exit %d\n%s%s", info.code, info.stdout, info.stderr)
	}

	// Scan copies of both files: each comes from its archive, with its
	// module and its license.
	targets := filepath.Join(dir, "targets")
	os.MkdirAll(targets, 0o755)
	os.WriteFile(filepath.Join(targets, "a.go"), list, 0o644)
	os.WriteFile(filepath.Join(targets, "b.go"), ring, 0o644)
	out, sr := scanJSON(t, db, targets)
	if sr.code != 0 || len(out.Files) != 2 {
		t.Fatalf("scan: exit %d, %d files with findings\n%s", sr.code, len(out.Files), sr.stderr)
	}
	// A scan of the truncated archive fails the same way, and still
	// writes its report.
	cut := snipscan(t, nil, "scan", "--db", db, "--format", "json", filepath.Join(dir, "cut.tgz"))
	if cut.code != 2 || !strings.Contains(cut.stderr, "corrupt archive") || !strings.Contains(cut.stdout, `"files_scanned"`) {
		t.Errorf("scan of a truncated archive: exit %d\n%s\n%s", cut.code, cut.stdout, cut.stderr)
	}
	a, b := out.Files[0].Matches[0], out.Files[1].Matches[0]
	if a.Source.Package != "example.com/lists" || a.Source.Version != "v1.2.0" || a.Source.PURL != "pkg:golang/example.com/lists@v1.2.0" ||
		a.Source.License != "BSD-3-Clause" || a.Alternates != 1 {
		t.Errorf("list.go source %+v alternates %d", a.Source, a.Alternates)
	}
	if b.Source.Path != "ring/ring.go" || b.Source.License != "BSD-3-Clause" {
		t.Errorf("ring.go source %+v", b.Source)
	}
}

func TestExitCodesAndErrors(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign.db")
	os.WriteFile(foreign, bytes.Repeat([]byte("not a database "), 1000), 0o644)
	target := filepath.Join(dir, "t.go")
	os.WriteFile(target, []byte("package t\n"), 0o644)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		msg  string
	}{
		{"no command", nil, nil, 2, "Usage"},
		{"unknown command", nil, []string{"frobnicate"}, 2, "unknown command"},
		{"help", nil, []string{"scan", "-h"}, 0, "Usage: snipscan scan"},
		{"index help", nil, []string{"help", "index"}, 0, "Usage: snipscan index"},
		{"bad flag", nil, []string{"scan", "--nope", target}, 2, "unknown flag --nope"},
		{"no path", nil, []string{"index", "--db", filepath.Join(dir, "x.db")}, 2, "no PATH"},
		{"missing path", nil, []string{"scan", "--db", foreign, filepath.Join(dir, "missing")}, 2, "no such file"},
		{"missing database", nil, []string{"scan", "--db", filepath.Join(dir, "none.db"), target}, 2, "Index some licensed code first"},
		{"default database from env", []string{"SNIPSCAN_DB=" + filepath.Join(dir, "env.db")}, []string{"info"}, 2, filepath.Join(dir, "env.db")},
		{"foreign database", nil, []string{"scan", "--db", foreign, target}, 2, "not a snipscan database"},
		{"bad format", nil, []string{"scan", "--format", "xml", target}, 2, "unknown --format"},
		{"empty database", nil, []string{"scan", "--db", empty, target}, 2, "is empty"},
		{"output in a missing directory", nil, []string{"scan", "--db", foreign, "--output", filepath.Join(dir, "no", "r.json"), target}, 2,
			"--output " + filepath.Join(dir, "no", "r.json") + ": no such file or directory"},
		{"version", nil, []string{"version"}, 0, "snipscan"},
	}
	// Help goes to stdout (it was asked for), errors to stderr.
	for _, args := range [][]string{{"-h"}, {"help"}, {"scan", "-h"}, {"help", "index"}} {
		if r := snipscan(t, nil, args...); r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "snipscan") || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := snipscan(t, nil, "scan", "--nope", target); r.stdout != "" || !strings.Contains(r.stderr, "unknown flag --nope") {
		t.Errorf("bad flag: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := snipscan(t, tt.env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.msg) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", r.code, tt.code, tt.msg, r.stdout, r.stderr)
			}
		})
	}
}

// TestPolicyFailure indexes a file that carries a GPL notice (written
// here, around the GPL's own words from Debian's common-licenses when
// present) and checks that a copy of it fails the scan with exit code 1.
func TestPolicyFailure(t *testing.T) {
	dir := t.TempDir()
	body, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	notice := "// Copyright (C) 2021 Example Developer\n// SPDX-License-Identifier: GPL-3.0-or-later\n\npackage gpl\n\n"
	corpusDir := filepath.Join(dir, "gplproject")
	os.MkdirAll(corpusDir, 0o755)
	os.WriteFile(filepath.Join(corpusDir, "format.go"), []byte(notice+body+"\n"), 0o644)
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, corpusDir); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	doc, _, _ := paste(t, "../../walk/walk.go", body)
	targets := filepath.Join(dir, "targets")
	os.MkdirAll(targets, 0o755)
	os.WriteFile(filepath.Join(targets, "mine.go"), []byte(doc), 0o644)
	out, r := scanJSON(t, db, targets)
	if r.code != 1 || out.Summary.Failing != 1 {
		t.Fatalf("exit %d failing %d, want 1 and 1\n%s", r.code, out.Summary.Failing, r.stderr)
	}
	m := out.Files[0].Matches[0]
	if m.Source.License != "GPL-3.0-or-later" || m.Source.LicenseSource != "spdx_tag" || m.Policy.Verdict != "fail" {
		t.Errorf("source %+v policy %+v", m.Source, m.Policy)
	}
	if len(m.Source.Copyrights) != 1 || m.Source.Copyrights[0] != "Copyright (C) 2021 Example Developer" {
		t.Errorf("copyrights %q", m.Source.Copyrights)
	}
}

// TestIncremental checks that a second index of the same tree does almost
// no work, and that a changed file is indexed again.
func TestIncremental(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	src := filepath.Join(goroot(t), "src", "container")
	copyTree(t, src, tree)
	db := filepath.Join(dir, "c.db")
	first := snipscan(t, nil, "index", "--db", db, tree)
	if first.code != 0 || !strings.Contains(first.stdout, "0 unchanged") {
		t.Fatalf("first index: %s %s", first.stdout, first.stderr)
	}
	second := snipscan(t, nil, "index", "--db", db, tree)
	if second.code != 0 || !strings.Contains(second.stdout, " 0 new, 0 duplicates") {
		t.Errorf("second index did work: %s", second.stdout)
	}
	os.WriteFile(filepath.Join(tree, "list", "list.go"), []byte("package list\n\nvar changed = 1\n"), 0o644)
	third := snipscan(t, nil, "index", "--db", db, tree)
	if third.code != 0 || !strings.Contains(third.stdout, " 1 new, 0 duplicates") {
		t.Errorf("third index: %s", third.stdout)
	}
	info := snipscan(t, nil, "info", "--check", "--db", db)
	if info.code != 0 || !strings.Contains(info.stdout, "1 no longer present") {
		t.Errorf("info: %s %s", info.stdout, info.stderr)
	}

	// A file deleted: without --prune it stays; with it, it goes, and a
	// scan no longer names it as a source.
	ring := filepath.Join(tree, "ring", "ring.go")
	ringSrc, err := os.ReadFile(ring)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(ring)
	kept := snipscan(t, nil, "index", "--db", db, tree)
	if kept.code != 0 || strings.Contains(kept.stdout, "pruned") {
		t.Errorf("index without --prune: %s", kept.stdout)
	}
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "ring.go"), ringSrc, 0o644)
	fromRing := func() bool {
		doc, _ := scanJSON(t, db, target)
		for _, f := range doc.Files {
			for _, m := range f.Matches {
				if strings.HasSuffix(m.Source.Path, "ring/ring.go") {
					return true
				}
			}
		}
		return false
	}
	if !fromRing() {
		t.Fatalf("before --prune, a copy of ring.go is not found")
	}
	pruned := snipscan(t, nil, "index", "--prune", "--db", db, tree)
	if pruned.code != 0 || !strings.Contains(pruned.stdout, "pruned 1 location no longer found") {
		t.Errorf("index --prune: %s %s", pruned.stdout, pruned.stderr)
	}
	if c := snipscan(t, nil, "check", "--db", db); c.code != 0 {
		t.Errorf("check after prune: %s", c.stderr)
	}
	if fromRing() {
		t.Errorf("after --prune, the removed ring.go is still a source")
	}
	again := snipscan(t, nil, "index", "--prune", "--db", db, tree)
	if again.code != 0 || strings.Contains(again.stdout, "pruned") {
		t.Errorf("a second --prune pruned again: %s", again.stdout)
	}

	// A root left with nothing to index is pruned too.
	lone := filepath.Join(dir, "lone")
	os.MkdirAll(lone, 0o755)
	os.WriteFile(filepath.Join(lone, "ring.go"), ringSrc, 0o644)
	if r := snipscan(t, nil, "index", "--db", db, lone); r.code != 0 {
		t.Fatalf("index lone: %s", r.stderr)
	}
	os.Remove(filepath.Join(lone, "ring.go"))
	if r := snipscan(t, nil, "index", "--prune", "--db", db, lone); r.code != 0 || !strings.Contains(r.stdout, "pruned 1 location") {
		t.Errorf("index --prune of an emptied root: %s %s", r.stdout, r.stderr)
	}
	if fromRing() {
		t.Errorf("after pruning the emptied root, ring.go is still a source")
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// haltPoint is a transaction of the corpus writer at which the test hook
// (testHaltEnv) halts a run: the nth of its kind.
type haltPoint struct {
	kind string
	n    int
}

func (p haltPoint) String() string { return fmt.Sprintf("%s:%d", p.kind, p.n) }

// txLog returns, in order, the corpus writer's transactions that a run
// with testHaltEnv set logged on stderr.
func txLog(stderr string) []haltPoint {
	var out []haltPoint
	for _, l := range strings.Split(stderr, "\n") {
		f := strings.Fields(strings.TrimPrefix(l, "snipscan-test: "))
		if len(f) != 2 || !strings.HasPrefix(l, "snipscan-test: ") {
			continue
		}
		if n, err := strconv.Atoi(f[1]); err == nil {
			out = append(out, haltPoint{f[0], n})
		}
	}
	return out
}

// countTx counts the transactions of a kind in a log.
func countTx(log []haltPoint, kind string) int {
	n := 0
	for _, p := range log {
		if p.kind == kind {
			n++
		}
	}
	return n
}

// startHalted starts bin with args, to be halted by the test hook right
// after the transaction p, and returns once it is halted there (failing
// the test if the run ends first). The run waits there until it is
// killed or interrupted; wait then waits for its end and returns it.
func startHalted(t *testing.T, bin string, args []string, p haltPoint) (cmd *exec.Cmd, wait func() result) {
	t.Helper()
	return startHaltedEnv(t, bin, args, p, nil)
}

// startHaltedEnv is startHalted with the environment extended by env.
func startHaltedEnv(t *testing.T, bin string, args []string, p haltPoint, env []string) (cmd *exec.Cmd, wait func() result) {
	t.Helper()
	cmd = exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), env...), testHaltEnv+"="+p.String())
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	sc := bufio.NewScanner(pipe)
	halted := false
	for !halted && sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
		halted = sc.Text() == "snipscan-test: halted"
	}
	done := make(chan struct{})
	go func() { // the rest of stderr, until the process ends
		defer close(done)
		for sc.Scan() {
			stderr.WriteString(sc.Text() + "\n")
		}
	}()
	wait = func() result {
		<-done
		err := cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return result{stdout.String(), stderr.String(), code}
	}
	if !halted {
		r := wait()
		t.Fatalf("%v ended (exit %d) before halting at %s:\n%s%s", args, r.code, p, r.stdout, r.stderr)
	}
	return cmd, wait
}

// referenceIndex indexes GOROOT/src/cmd/compile uninterrupted, for the
// tests that stop the same run: the tree, the binary, a work directory,
// the index arguments (small batches: many segments, so that a run can be
// stopped between commits; one worker, so that the writer gets the files
// in the walk's order and every run makes the same transactions, where
// the order in which workers finish moves the ends of segments and makes
// 7 or 8 commits), the reference database and the writer's transactions,
// in order (logged by the test hook).
func referenceIndex(t *testing.T) (src, bin, dir string, args []string, ref string, txs []haltPoint) {
	t.Helper()
	src = filepath.Join(goroot(t), "src", "cmd", "compile")
	bin = binary(t)
	dir = t.TempDir()
	args = []string{"index", "--batch-postings", "50000", "--workers", "1", "--progress", "never"}
	ref = filepath.Join(dir, "ref.db")
	r := snipscan(t, []string{testHaltEnv + "=log"}, append(args, "--db", ref, src)...)
	if r.code != 0 {
		t.Fatalf("reference index: %s", r.stderr)
	}
	return src, bin, dir, args, ref, txLog(r.stderr)
}

// killPoints returns where the crash tests stop a run whose uninterrupted
// twin made the transactions txs: right after its first commit, amid the
// postings of a later segment (written, not yet committed), and right
// after the commit before the last; each leaves part of the files
// committed. SNIPSCAN_CRASH_POINTS=N draws N points among all of txs
// instead (seed logged): scripts/crash.sh runs 25.
func killPoints(t *testing.T, txs []haltPoint) (points []haltPoint, partial bool) {
	t.Helper()
	if n, err := strconv.Atoi(os.Getenv("SNIPSCAN_CRASH_POINTS")); err == nil && n > 0 {
		seed := uint64(time.Now().UnixNano())
		t.Logf("%d kill points, seed %d", n, seed)
		r := rand.New(rand.NewPCG(seed, 1))
		for range n {
			points = append(points, txs[r.IntN(len(txs))])
		}
		return points, false
	}
	commits, postings := countTx(txs, corpus.TxCommit), countTx(txs, corpus.TxPostings)
	if commits < 3 || postings < 2 {
		t.Fatalf("the uninterrupted run made %d commits and %d batches of postings: too few to stop it between them", commits, postings)
	}
	return []haltPoint{{corpus.TxCommit, 1}, {corpus.TxPostings, postings/2 + 1}, {corpus.TxCommit, commits - 1}}, true
}

// TestKilledIndexResumes kills snipscan index with SIGKILL at several
// points of a run over a real tree (the test hook halts it there first),
// checks that the database then opens and passes its consistency check,
// and that re-running completes the same index as an uninterrupted run.
func TestKilledIndexResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and re-runs the indexer several times")
	}
	src, bin, dir, args, ref, txs := referenceIndex(t)
	want := snipscan(t, nil, "info", "--db", ref)
	wantFiles := countAfter(lineWith(want.stdout, "files "), "files")
	points, partial := killPoints(t, txs)
	for i, p := range points {
		db := filepath.Join(dir, fmt.Sprintf("killed%d.db", i))
		cmd, wait := startHalted(t, bin, append(args, "--db", db, src), p)
		cmd.Process.Kill()
		if got := txLog(wait().stderr); len(got) == 0 || len(got) > len(txs) || !slices.Equal(got, txs[:len(got)]) || got[len(got)-1] != p {
			t.Fatalf("killed after %s: the run's transactions are not the reference run's:\n%v\nwant a prefix of\n%v", p, got, txs)
		}
		r := snipscan(t, nil, "info", "--check", "--db", db)
		if r.code != 0 && !strings.Contains(r.stderr, "no corpus database") {
			t.Fatalf("killed after %s: info --check exit %d\n%s%s", p, r.code, r.stdout, r.stderr)
		}
		if c := snipscan(t, nil, "check", "--db", db); r.code == 0 && (c.code != 0 || !strings.HasPrefix(c.stdout, "ok: ")) {
			t.Fatalf("killed after %s: check exit %d\n%s%s", p, c.code, c.stdout, c.stderr)
		}
		n := countAfter(lineWith(r.stdout, "files "), "files")
		t.Logf("killed after %s: %d of %d files committed", p, n, wantFiles)
		if partial && (n == 0 || n >= wantFiles) {
			t.Errorf("killed after %s: %d of %d files committed, want some but not all", p, n, wantFiles)
		}
		resumed := snipscan(t, nil, append(args, "--db", db, src)...)
		if resumed.code != 0 {
			t.Fatalf("resumed index: %s", resumed.stderr)
		}
		if n > 0 && strings.Contains(resumed.stdout, " 0 unchanged") {
			t.Errorf("the resumed run redid committed files: %s", resumed.stdout)
		}
		got := snipscan(t, nil, "info", "--check", "--db", db)
		if got.code != 0 {
			t.Fatalf("info --check after resume: %s", got.stderr)
		}
		sameInfo(t, "after resume", got.stdout, want.stdout)
		target := filepath.Join(src, "main.go")
		a, _ := scanJSON(t, ref, target)
		b, _ := scanJSON(t, db, target)
		if len(a.Files) != 1 || len(b.Files) != 1 || a.Files[0].Matches[0].Source.Path != b.Files[0].Matches[0].Source.Path {
			t.Errorf("scan after resume differs: %+v vs %+v", a.Files, b.Files)
		}
	}
}

// TestKilledMergeResumes kills snipscan merge with SIGKILL at three
// points (halted there by the test hook), checks that the database then
// passes its consistency check, and that running the merge again gives
// what an uninterrupted merge gives.
func TestKilledMergeResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and re-runs merge several times")
	}
	_, bin, dir, args, shardA, _ := referenceIndex(t)
	shardB := filepath.Join(dir, "b.db")
	if r := snipscan(t, nil, append(args, "--db", shardB, filepath.Join(goroot(t), "src", "go"))...); r.code != 0 {
		t.Fatalf("index of shard b: %s", r.stderr)
	}
	merge := []string{"merge", "--batch-postings", "50000"}
	whole := filepath.Join(dir, "whole.db")
	r := snipscan(t, []string{testHaltEnv + "=log"}, append(merge, "--db", whole, shardA, shardB)...)
	if r.code != 0 {
		t.Fatalf("merge: %s", r.stderr)
	}
	want := snipscan(t, nil, "info", "--db", whole).stdout
	wantFiles := countAfter(lineWith(want, "files "), "files")
	points, partial := killPoints(t, txLog(r.stderr))
	for i, p := range points {
		db := filepath.Join(dir, fmt.Sprintf("killed%d.db", i))
		cmd, wait := startHalted(t, bin, append(merge, "--db", db, shardA, shardB), p)
		cmd.Process.Kill()
		wait()
		if c := snipscan(t, nil, "check", "--db", db); c.code != 0 {
			t.Fatalf("killed after %s: check exit %d\n%s%s", p, c.code, c.stdout, c.stderr)
		}
		line := lineWith(snipscan(t, nil, "info", "--db", db).stdout, "files ")
		t.Logf("killed after %s: %s", p, line)
		if n := countAfter(line, "files"); partial && (n == 0 || n >= wantFiles) {
			t.Errorf("killed after %s: %d of %d files committed, want some but not all", p, n, wantFiles)
		}
		if r := snipscan(t, nil, append(merge, "--db", db, shardA, shardB)...); r.code != 0 {
			t.Fatalf("merge again: %s", r.stderr)
		}
		got := snipscan(t, nil, "info", "--check", "--db", db)
		if got.code != 0 {
			t.Fatalf("info --check after the second merge: %s", got.stderr)
		}
		for _, key := range []string{"files ", "licenses ", "packages "} {
			if lineWith(got.stdout, key) != lineWith(want, key) {
				t.Errorf("killed after %s, merged again: %q\n got: %s\nwant: %s", p, key, lineWith(got.stdout, key), lineWith(want, key))
			}
		}
	}
}

// countAfter returns the number after word in line ("files      388 ...").
func countAfter(line, word string) int {
	f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), word))
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(f[0], ",", ""))
	return n
}

func lineWith(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// postings returns the count of postings of info's output (hashes are
// counted per segment, so they depend on how the run was cut).
func postings(info string) string {
	l := lineWith(info, "postings ")
	if i := strings.Index(l, " in "); i >= 0 {
		return l[:i]
	}
	return l
}

// sameInfo checks that two outputs of snipscan info describe the same
// corpus: the same files, locations, licenses, packages and postings
// (segments, and hashes counted per segment, depend on how runs were
// cut).
func sameInfo(t *testing.T, what, got, want string) {
	t.Helper()
	for _, key := range []string{"files ", "licenses ", "packages "} {
		if lineWith(got, key) != lineWith(want, key) {
			t.Errorf("%s %q\n got: %s\nwant: %s", what, key, lineWith(got, key), lineWith(want, key))
		}
	}
	if postings(got) != postings(want) {
		t.Errorf("%s: postings %s, want %s", what, postings(got), postings(want))
	}
}

// TestLicenseCommand runs snipscan license on real GOROOT files and checks
// its JSON contract.
func TestLicenseCommand(t *testing.T) {
	root := goroot(t)
	files := []string{filepath.Join(root, "LICENSE"), filepath.Join(root, "src", "container", "list", "list.go"),
		filepath.Join(root, "src", "cmd", "link", "internal", "ld", "link.go")}
	r := snipscan(t, nil, append([]string{"license", "--format", "json"}, files...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// A missing PATH among them: the others are still classified, exit 2.
	missing := snipscan(t, nil, "license", "--format", "json", filepath.Join(t.TempDir(), "gone"), files[0])
	if missing.code != 2 || !strings.Contains(missing.stderr, "could not read") || !strings.Contains(missing.stdout, `"BSD-3-Clause"`) {
		t.Errorf("license with a missing PATH: exit %d, stderr %q, stdout %.200q", missing.code, missing.stderr, missing.stdout)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if doc["schema"] != float64(1) {
		t.Errorf("schema %v", doc["schema"])
	}
	fs, _ := doc["files"].([]any)
	if len(fs) != 3 {
		t.Fatalf("%d files, want 3", len(fs))
	}
	get := func(i int) map[string]any { return fs[i].(map[string]any) }
	for i := range fs {
		for _, key := range []string{"path", "license", "license_source", "licenses", "copyrights", "holders"} {
			if _, ok := get(i)[key]; !ok {
				t.Errorf("file %d lacks %q", i, key)
			}
		}
	}
	if l := get(0); l["license"] != "BSD-3-Clause" || l["license_source"] != "license_file" {
		t.Errorf("GOROOT LICENSE: %v from %v", l["license"], l["license_source"])
	}
	if l := get(1); l["license"] != "" || l["refers_to"] != "LICENSE" || fmt.Sprint(l["holders"]) != "[The Go Authors]" {
		t.Errorf("list.go: license %v refers_to %v holders %v", l["license"], l["refers_to"], l["holders"])
	}
	l := get(2)
	if l["license"] != "MIT" || l["license_source"] != "file_header" || !strings.Contains(fmt.Sprint(l["holders"]), "Lucent Technologies Inc.") {
		t.Errorf("link.go: %v from %v, holders %v", l["license"], l["license_source"], l["holders"])
	}
	m := l["licenses"].([]any)[0].(map[string]any)
	if m["evidence"] != "text" || m["lines"] == nil || m["confidence"].(float64) <= 0 {
		t.Errorf("link.go match %v", m)
	}
	txt := snipscan(t, nil, "license", files[0])
	if !strings.Contains(txt.stdout, "BSD-3-Clause") || !strings.Contains(txt.stdout, "The Go Authors") {
		t.Errorf("text output: %s", txt.stdout)
	}
}

// TestLicenseWorkers classifies a real tree on several goroutines and on
// one: the output is the same, files in the same order.
func TestLicenseWorkers(t *testing.T) {
	dir := filepath.Join(goroot(t), "src", "crypto")
	one := snipscan(t, nil, "license", "--format", "json", "--workers", "1", dir)
	many := snipscan(t, nil, "license", "--format", "json", "--workers", "4", dir)
	if one.code != 0 || many.code != 0 {
		t.Fatalf("exit %d and %d: %s%s", one.code, many.code, one.stderr, many.stderr)
	}
	var doc struct {
		Files []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(one.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) < 100 {
		t.Fatalf("%d files classified", len(doc.Files))
	}
	if one.stdout != many.stdout {
		t.Errorf("--workers 4 differs from --workers 1")
	}
}

// TestScanSeveralDatabases indexes two GOROOT packages into two databases,
// as two independent jobs would, and scans copies from both against both
// at once, then against the two merged into one: each copy is found with
// its own source, and the findings equal those of one database that
// indexed both packages.
func TestScanSeveralDatabases(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(goroot(t), "src")
	a, b, both := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "both.db")
	for _, job := range []struct {
		db    string
		paths []string
	}{
		{a, []string{filepath.Join(src, "encoding", "csv")}},
		{b, []string{filepath.Join(src, "text", "tabwriter")}},
		{both, []string{filepath.Join(src, "encoding", "csv"), filepath.Join(src, "text", "tabwriter")}},
	} {
		if r := snipscan(t, nil, append([]string{"index", "--db", job.db}, job.paths...)...); r.code != 0 {
			t.Fatalf("index %s: %s", job.db, r.stderr)
		}
	}
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	for _, c := range []struct{ rel, fn, name string }{
		{"encoding/csv/reader.go", "readRecord", "one.go"},
		{"text/tabwriter/tabwriter.go", "format", "two.go"},
	} {
		fn, _, _ := goFunc(t, c.rel, c.fn)
		code, _, _ := paste(t, "../../walk/walk.go", fn)
		os.WriteFile(filepath.Join(target, c.name), []byte(code), 0o644)
	}
	sources := func(args ...string) []string {
		t.Helper()
		r := snipscan(t, nil, append(append([]string{"scan", "--format", "json"}, args...), target)...)
		if r.code != 0 {
			t.Fatalf("scan %v: exit %d\n%s", args, r.code, r.stderr)
		}
		var doc jsonDoc
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range doc.Files {
			for _, m := range f.Matches {
				out = append(out, fmt.Sprintf("%s:%v <- %s:%v %s", filepath.Base(f.Path), m.Lines, m.Source.Path, m.Source.Lines, m.Source.License))
			}
		}
		return out
	}
	got, want := sources("--db", a, "--db", b), sources("--db", both)
	if len(got) != 2 || !slices.Equal(got, want) {
		t.Errorf("two databases: %v\none database: %v", got, want)
	}
	if one := sources("--db", a); len(one) != 1 || !strings.Contains(one[0], "<- reader.go:") {
		t.Errorf("database a alone: %v", one)
	}

	// Merged into one database: the same findings, a database that passes
	// its check and holds what the single index holds; merging again
	// changes nothing.
	merged := filepath.Join(dir, "merged.db")
	r := snipscan(t, nil, "merge", "--db", merged, a, b)
	if r.code != 0 || !strings.Contains(r.stdout, "merged 2 shards") {
		t.Fatalf("merge: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := sources("--db", merged); !slices.Equal(got, want) {
		t.Errorf("merged database: %v\none database: %v", got, want)
	}
	if r := snipscan(t, nil, "check", "--db", merged); r.code != 0 {
		t.Errorf("check of the merged database: %s", r.stderr)
	}
	info := func(db string) string {
		t.Helper()
		out := snipscan(t, nil, "info", "--db", db).stdout
		return lineWith(out, "files") + lineWith(out, "licenses") + lineWith(out, "packages")
	}
	before := info(merged)
	if got, want := before, info(both); got != want {
		t.Errorf("merged database holds\n%s\nthe single index\n%s", got, want)
	}
	if r := snipscan(t, nil, "merge", "--db", merged, b); r.code != 0 || !strings.Contains(r.stdout, " 0 new files") {
		t.Errorf("merging b again: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	if after := info(merged); after != before {
		t.Errorf("merging b again changed the database:\n%s\nwas\n%s", after, before)
	}
	if r := snipscan(t, nil, "merge", "--db", a, a); r.code != 2 || !strings.Contains(r.stderr, "cannot be one of the shards") {
		t.Errorf("merging a database into itself: exit %d, %s", r.code, r.stderr)
	}

	// Databases of other parameters cannot be scanned together, nor merged.
	other := filepath.Join(dir, "k16.db")
	snipscan(t, nil, "index", "--k", "16", "--db", other, filepath.Join(src, "errors"))
	if r := snipscan(t, nil, "scan", "--db", a, "--db", other, target); r.code != 2 || !strings.Contains(r.stderr, "other fingerprint parameters") {
		t.Errorf("mixed parameters: exit %d, %s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "merge", "--db", merged, other); r.code != 2 || !strings.Contains(r.stderr, "k=16") {
		t.Errorf("merging a k=16 shard: exit %d, %s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "merge", "--db", merged, filepath.Join(dir, "missing.db")); r.code != 2 || !strings.Contains(r.stderr, "no corpus database") {
		t.Errorf("merging a missing shard: exit %d, %s", r.code, r.stderr)
	}
}

// TestInterruptedIndex sends SIGINT to an index run halted by the test
// hook after its first commit: it stops cleanly (exit 2, a message that
// says how to resume), the database passes its check, and the next run
// resumes without redoing committed files.
func TestInterruptedIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("interrupts an index run")
	}
	src, bin, dir, args, ref, _ := referenceIndex(t)
	db := filepath.Join(dir, "int.db")
	cmd, wait := startHalted(t, bin, append(args, "--db", db, src), haltPoint{corpus.TxCommit, 1})
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	r := wait()
	if r.code != 2 || !strings.Contains(r.stderr, "interrupted; what was committed is kept") || strings.Count(r.stderr, "interrupted") != 1 {
		t.Fatalf("interrupted run: exit %d, stderr %q; want 2 and one message", r.code, r.stderr)
	}
	if c := snipscan(t, nil, "check", "--db", db); c.code != 0 {
		t.Fatalf("check after SIGINT: %s", c.stderr)
	}
	resumed := snipscan(t, nil, append(args, "--db", db, src)...)
	if resumed.code != 0 {
		t.Fatalf("resumed: %s", resumed.stderr)
	}
	if strings.Contains(resumed.stdout, " 0 unchanged") {
		t.Errorf("the resumed run redid committed files: %s", resumed.stdout)
	}
	want := snipscan(t, nil, "info", "--db", ref)
	got := snipscan(t, nil, "info", "--db", db)
	if a, b := lineWith(want.stdout, "files "), lineWith(got.stdout, "files "); a != b {
		t.Errorf("after resuming: %q, want %q", b, a)
	}
	t.Logf("interrupted after the first commit; resumed: %s", strings.TrimSpace(resumed.stdout))
}

// TestIndexWriteFails runs an index whose database cannot grow past 4 MiB
// (RLIMIT_FSIZE, as a full disk would stop it), committing small segments
// so that some are committed first: the run fails with exit 2 and the
// write error, does not claim to have indexed everything, leaves a
// database that passes its check, and a run without the limit completes
// it.
func TestIndexWriteFails(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is needed to set the file size limit")
	}
	src := filepath.Join(goroot(t), "src", "cmd", "compile")
	db := filepath.Join(t.TempDir(), "full.db")
	cmd := exec.Command("bash", "-c", `ulimit -f 4096 && exec "$0" index --progress never --batch-postings 50000 --db "$1" "$2"`, binary(t), db, src)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "file too large") {
		t.Fatalf("index with a full disk: %v\nstdout %s\nstderr %s", err, stdout.String(), stderr.String())
	}
	if strings.HasPrefix(stdout.String(), "indexed ") || !strings.HasPrefix(stdout.String(), "stopped after processing") {
		t.Errorf("stdout claims the run completed: %s", stdout.String())
	}
	if c := snipscan(t, nil, "check", "--db", db); c.code != 0 {
		t.Fatalf("check after the failed write: %s", c.stderr)
	}
	// 700 files, ssa/opGen.go (3 MB) among them.
	if r := snipscan(t, nil, "index", "--db", db, src); r.code != 0 || !strings.HasPrefix(r.stdout, "indexed 700 files") {
		t.Errorf("index again without the limit: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if c := snipscan(t, nil, "check", "--db", db); c.code != 0 {
		t.Errorf("check at the end: %s", c.stderr)
	}
}

// TestConcurrentRuns starts an index run, halted by the test hook after
// its first commit while it holds the database, and runs a scan and a
// second index on it: both wait for --lock-timeout, then fail with exit 2
// and a message naming the lock, and leave the database untouched; once
// the run ends (interrupted), the scan refuses the unfinished corpus
// unless --allow-incomplete is given.
func TestConcurrentRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an index in the background")
	}
	src := filepath.Join(goroot(t), "src", "cmd", "compile")
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	cmd, wait := startHalted(t, binary(t), []string{"index", "--progress", "never", "--batch-postings", "50000", "--db", db, src},
		haltPoint{corpus.TxCommit, 1})
	target := filepath.Join(dir, "t.go")
	os.WriteFile(target, []byte("package t\n"), 0o644)
	for _, args := range [][]string{
		{"scan", "--lock-timeout", "100ms", "--db", db, target},
		{"index", "--lock-timeout", "100ms", "--db", db, target},
	} {
		r := snipscan(t, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "locked by another snipscan process") || r.stdout != "" {
			t.Errorf("%s while an index runs: exit %d, stdout %q, stderr %q", args[0], r.code, r.stdout, r.stderr)
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if r := wait(); r.code != 2 || !strings.Contains(r.stderr, "interrupted") {
		t.Fatalf("the index run, interrupted: exit %d %s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "check", "--db", db); r.code != 0 {
		t.Errorf("check after the run: %s", r.stderr)
	}
	// The interrupted run left the corpus unfinished: a scan refuses it,
	// unless told to read it as it is.
	if r := snipscan(t, nil, "scan", "--db", db, target); r.code != 2 || !strings.Contains(r.stderr, "did not finish") {
		t.Errorf("scan after the run: exit %d %s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "scan", "--allow-incomplete", "--db", db, target); r.code != 0 {
		t.Errorf("scan --allow-incomplete after the run: exit %d %s", r.code, r.stderr)
	}
}

// npmSource is JavaScript written for this test: a small module of list
// helpers, long enough to be reported when copied.
const npmSource = `'use strict';

function chunk(items, size) {
  if (!Array.isArray(items) || size <= 0) {
    throw new TypeError('chunk expects an array and a positive size');
  }
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function partition(items, predicate) {
  const yes = [];
  const no = [];
  for (const item of items) {
    if (predicate(item)) {
      yes.push(item);
    } else {
      no.push(item);
    }
  }
  return [yes, no];
}

function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key) || [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}

module.exports = { chunk, partition, groupBy };
`

// TestNpmSources indexes an npm package tarball (package/ prefix, as npm
// pack writes it) and a node_modules tree, both made at test time, and
// checks that copies of their code name the npm package, version, purl
// and license of their package.json.
func TestNpmSources(t *testing.T) {
	dir := t.TempDir()
	pkgJSON := func(name, version, lic string) string {
		return fmt.Sprintf(`{"name": %q, "version": %q, "license": %q, "main": "index.js"}`, name, version, lic)
	}
	// A tarball as npm pack writes it.
	var tgz bytes.Buffer
	gz := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(gz)
	for name, body := range map[string]string{
		"package/package.json": pkgJSON("@acme/lists", "2.1.0", "MIT"),
		"package/index.js":     npmSource,
	} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	tarball := filepath.Join(dir, "acme-lists-2.1.0.tgz")
	os.WriteFile(tarball, tgz.Bytes(), 0o644)
	// A node_modules tree, with the same code under another license, in
	// an application of its own license: the package's declared license
	// governs its files, not the application's license file above it.
	nm := filepath.Join(dir, "app", "node_modules", "lists-mpl")
	os.MkdirAll(nm, 0o755)
	os.WriteFile(filepath.Join(dir, "app", "LICENSE"), []byte("This application is licensed under the Apache License, Version 2.0.\n"), 0o644)
	os.WriteFile(filepath.Join(nm, "package.json"), []byte(pkgJSON("lists-mpl", "0.3.0", "MPL-2.0")), 0o644)
	os.WriteFile(filepath.Join(nm, "lib.js"), []byte(strings.Replace(npmSource, "'use strict';", "'use strict';\n// lists-mpl", 1)), 0o644)

	for _, tc := range []struct {
		corpus, purl, lic string
	}{
		{tarball, "pkg:npm/%40acme/lists@2.1.0", "MIT"},
		{filepath.Join(dir, "app"), "pkg:npm/lists-mpl@0.3.0", "MPL-2.0"},
	} {
		db := filepath.Join(dir, filepath.Base(tc.corpus)+".db")
		if r := snipscan(t, nil, "index", "--db", db, tc.corpus); r.code != 0 {
			t.Fatalf("index %s: %s", tc.corpus, r.stderr)
		}
		target := filepath.Join(dir, "target-"+filepath.Base(tc.corpus))
		os.MkdirAll(target, 0o755)
		os.WriteFile(filepath.Join(target, "util.js"), []byte("// our helpers\n"+npmSource), 0o644)
		doc, r := scanJSON(t, db, target)
		if len(doc.Files) != 1 || len(doc.Files[0].Matches) != 1 {
			t.Fatalf("%s: %d files with findings\n%s", tc.corpus, len(doc.Files), r.stdout)
		}
		s := doc.Files[0].Matches[0].Source
		if s.PURL != tc.purl || s.License != tc.lic || s.LicenseSource != "package_metadata" {
			t.Errorf("%s: source %+v, want purl %s, license %s from package metadata", tc.corpus, s, tc.purl, tc.lic)
		}
	}
}

// TestModuleCacheZips indexes the module cache's download directory of
// bbolt (a dependency of snipscan, so present wherever it was built) with
// --archives: the module zip is read in place, and its files belong to the
// module's package, at its version, under its license file's license.
func TestModuleCacheZips(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	dl := filepath.Join(strings.TrimSpace(string(out)), "cache", "download", "go.etcd.io", "bbolt")
	zips, _ := filepath.Glob(filepath.Join(dl, "@v", "*.zip"))
	if len(zips) == 0 {
		t.Skipf("no bbolt module zip in %s", dl)
	}
	version := strings.TrimSuffix(filepath.Base(zips[0]), ".zip")
	db := filepath.Join(t.TempDir(), "zips.db")
	if r := snipscan(t, nil, "index", "--archives", "--db", db, dl); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	info := snipscan(t, nil, "info", "--packages", "--db", db)
	if !strings.Contains(info.stdout, "go.etcd.io/bbolt@"+version) || !strings.Contains(info.stdout, "MIT") {
		t.Errorf("info does not show the module go.etcd.io/bbolt@%s under MIT:\n%s", version, info.stdout)
	}
	// A copy of one of its files names the module's purl.
	zr, err := zip.OpenReader(zips[0])
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("go.etcd.io/bbolt@" + version + "/bucket.go")
	if err != nil {
		t.Fatal(err)
	}
	src, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "bucket.go")
	os.WriteFile(target, src, 0o644)
	doc, _ := scanJSON(t, db, target)
	if len(doc.Files) != 1 || len(doc.Files[0].Matches) == 0 || doc.Files[0].Matches[0].Source.PURL != "pkg:golang/go.etcd.io/bbolt@"+version {
		t.Errorf("scan of a copy: %+v", doc.Files)
	}
}

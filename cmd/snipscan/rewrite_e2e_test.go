package main

// End-to-end tests of the rewrite stage: a Go function rewritten by
// internal/eval/mutate's rewrite class (every name changed, idioms
// swapped, statements reordered) is found by the real binary, with its
// source function, and judged by the policy as a rewrite.

import (
	"bytes"
	be "encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/snipscan/snipscan/internal/eval/mutate"
)

// gplNotice replaces the three lines of the Go authors' notice at the top
// of a GOROOT file: the same number of lines, so that the file's lines
// stay GOROOT's.
const gplNotice = "// Copyright (C) 2021 Example Developer\n// SPDX-License-Identifier: GPL-3.0-or-later\n//\n"

// rewriteDoc mirrors the JSON contract of a rewrite finding, the fields
// that only rewrites have included.
type rewriteDoc struct {
	Summary struct {
		Matches  int `json:"matches"`
		Failing  int `json:"failing"`
		Warnings int `json:"warnings"`
	} `json:"summary"`
	Files []struct {
		Path    string `json:"path"`
		Matches []struct {
			ID     string `json:"id"`
			Kind   string `json:"kind"`
			Lines  [2]int `json:"lines"`
			Bytes  [2]int `json:"bytes"`
			Tokens int    `json:"tokens"`
			Source struct {
				Path    string `json:"path"`
				Lines   [2]int `json:"lines"`
				License string `json:"license"`
			} `json:"source"`
			Function   string   `json:"function"`
			Similarity float64  `json:"similarity"`
			Confidence float64  `json:"confidence"`
			Channel    string   `json:"channel"`
			Evidence   []string `json:"evidence"`
			Policy     struct {
				Verdict string   `json:"verdict"`
				Reasons []string `json:"reasons"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
}

// rewriteCorpus copies GOROOT's strings package (its non-test files) to
// dir, each file under a GPL notice instead of the Go authors', and
// indexes it; it returns the database and the copy's directory.
func rewriteCorpus(t *testing.T, dir string) (db, pkg string) {
	t.Helper()
	src := filepath.Join(goroot(t), "src", "strings")
	pkg = filepath.Join(dir, "corpus", "strings")
	os.MkdirAll(pkg, 0o755)
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("// Copyright")) {
			t.Fatalf("%s: no notice in its first lines", name)
		}
		lines := bytes.SplitAfterN(b, []byte("\n"), 4)
		b = append([]byte(gplNotice), lines[3]...)
		if err := os.WriteFile(filepath.Join(pkg, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db = filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, pkg); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	return db, pkg
}

// rewritten returns the rewrite of function name of the Go file at path
// with seed, pasted below the file's package clause and imports (a file
// that rewrites a function imports what it calls), with the function's
// lines in path (its doc comment excluded) and the line of code the
// rewrite starts at.
func rewritten(t *testing.T, path, name string, seed uint64) (code string, lines [2]int, start int) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fns, err := mutate.Funcs(path, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fns {
		if f.Name != name {
			continue
		}
		res, err := mutate.Rewrite(f, seed)
		if err != nil {
			t.Fatalf("rewrite %s: %v", name, err)
		}
		imports := src[bytes.Index(src, []byte("\nimport (")):]
		imports = imports[:bytes.Index(imports, []byte("\n)\n"))+3]
		head := "package textutil\n" + string(imports) + "\n"
		return head + res.Code + "\n", [2]int{f.Line, f.EndLine}, strings.Count(head, "\n") + 1
	}
	t.Fatalf("no function %s in %s", name, path)
	return "", [2]int{}, 0
}

// TestRewriteFound scans a rewrite of strings.Reader.Seek (GPL here) and
// an unrelated file of this repository: the rewrite is one finding of
// kind rewrite whose source is Seek, which warns under the built-in
// policy (exit 0) and fails under rewrites = "fail" (exit 1); the other
// file has no finding. A policy that does not fail rewrites still fails
// a copy of the same function.
func TestRewriteFound(t *testing.T) {
	dir := t.TempDir()
	db, pkg := rewriteCorpus(t, dir)
	code, lines, start := rewritten(t, filepath.Join(pkg, "reader.go"), "Seek", 1)
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "seek.go"), []byte(code), 0o644)
	unrelated, err := os.ReadFile(filepath.Join("..", "..", "walk", "walk.go"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(target, "walk.go"), unrelated, 0o644)

	r := snipscan(t, nil, "scan", "--db", db, "--format", "json", target)
	var doc rewriteDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("exit %d: %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != 0 || doc.Summary.Matches != 1 || doc.Summary.Warnings != 1 || len(doc.Files) != 1 || !strings.HasSuffix(doc.Files[0].Path, "seek.go") {
		t.Fatalf("exit %d, %d matches, %d warnings, want 0, one finding in seek.go, warning\n%s%s", r.code, doc.Summary.Matches, doc.Summary.Warnings, r.stdout, r.stderr)
	}
	m := doc.Files[0].Matches[0]
	if m.Kind != "rewrite" || m.Source.Path != "reader.go" || m.Source.Lines[0] > lines[0] || m.Source.Lines[1] != lines[1] ||
		m.Lines != [2]int{start, strings.Count(code, "\n")} || m.Source.License != "GPL-3.0-or-later" {
		t.Errorf("finding %+v, want a rewrite at lines %d-%d of reader.go lines %v (GPL-3.0-or-later)", m, start, strings.Count(code, "\n"), lines)
	}
	if m.Bytes[1] != len(code)-1 || m.Tokens < 50 || m.Function == "" || m.Similarity <= 0 || m.Confidence <= 0 || m.Channel == "" {
		t.Errorf("finding %+v: bytes, tokens, function or scores missing", m)
	}
	for _, w := range []string{"io.SeekStart", `"strings.Reader.Seek: negative position"`} {
		if !slices.Contains(m.Evidence, w) {
			t.Errorf("evidence %q lacks %s", m.Evidence, w)
		}
	}
	if m.Policy.Verdict != "warn" || !strings.Contains(strings.Join(m.Policy.Reasons, "; "), "probable derivation") {
		t.Errorf("policy %+v, want a warning that says why", m.Policy)
	}

	if !strings.Contains(r.stdout, `"rewrites_searched": true`) {
		t.Errorf("the JSON report does not say rewrites were searched")
	}
	// --no-rewrites: copies only, and the report says so.
	off := snipscan(t, nil, "scan", "--db", db, "--format", "json", "--no-rewrites", target)
	if off.code != 0 || strings.Contains(off.stdout, `"kind": "rewrite"`) || !strings.Contains(off.stdout, `"rewrites_searched": false`) {
		t.Errorf("--no-rewrites: exit %d, want 0, no rewrite and rewrites_searched false\n%s", off.code, off.stdout)
	}

	// The text output says what the rewrite shares.
	r = snipscan(t, nil, "scan", "--db", db, target)
	if r.code != 0 || !strings.Contains(r.stdout, "rewrite of "+m.Function) || !strings.Contains(r.stdout, "shares   ") {
		t.Errorf("text: exit %d\n%s", r.code, r.stdout)
	}

	// Every format carries it, naming the source file, as a rewrite with
	// its similarity, not as a copy of which 0% matched.
	for format, want := range map[string]string{"sarif": "probable rewrite of", "markdown": "rewrite of " + m.Function,
		"html": "probable rewrite, similarity", "spdx-json": "probable rewrite, as " + m.Function + ", of reader.go",
		"cyclonedx-json": "probably rewritten, as " + m.Function + ", from reader.go"} {
		r = snipscan(t, nil, "scan", "--db", db, "--format", format, target)
		if r.code != 0 || !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "matched 0") || strings.Contains(r.stdout, "0% matched") {
			t.Errorf("--format %s: exit %d, no %q in the output, or a match of 0\n%s", format, r.code, want, r.stderr)
		}
	}

	// rewrites = "fail" makes it fail.
	pol := filepath.Join(dir, "strict.toml")
	os.WriteFile(pol, []byte("rewrites = \"fail\"\n"), 0o644)
	r = snipscan(t, nil, "scan", "--db", db, "--format", "json", "--policy", pol, target)
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 1 || doc.Summary.Failing != 1 {
		t.Errorf("rewrites = fail: exit %d, %v, failing %d, want 1 and 1\n%s", r.code, err, doc.Summary.Failing, r.stderr)
	}
}

// TestRewriteSchema1 scans against a database of schema 1 (committed in
// testdata): copies are found as before, and stderr says once that
// rewrites are not searched.
func TestRewriteSchema1(t *testing.T) {
	dir := t.TempDir()
	db, pkg := rewriteCorpus(t, dir)
	// Made a database of schema 1, as indexed before the rewrite stage:
	// marked so, without the rewrite buckets and record.
	bdb, err := bolt.Open(db, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		var v [4]byte
		be.BigEndian.PutUint32(v[:], 1)
		for _, b := range []string{"rwUnits", "rwPost", "rwNorm"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		if err := tx.Bucket([]byte("meta")).Delete([]byte("rewrite")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), v[:])
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	code, _, _ := rewritten(t, filepath.Join(pkg, "reader.go"), "Seek", 1)
	fn, _, _ := fileFunc(t, filepath.Join(pkg, "replace.go"), "makeGenericReplacer")
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "seek.go"), []byte(code), 0o644)
	os.WriteFile(filepath.Join(target, "copy.go"), []byte("package textutil\n\n"+fn+"\n"), 0o644)
	r := snipscan(t, nil, "scan", "--db", db, "--format", "json", target)
	var doc rewriteDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("exit %d: %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != 1 || doc.Summary.Matches != 1 || doc.Files[0].Matches[0].Kind != "snippet" || !strings.HasSuffix(doc.Files[0].Path, "copy.go") {
		t.Errorf("schema 1: exit %d, %d matches, want the copy alone failing\n%s", r.code, doc.Summary.Matches, r.stdout)
	}
	if n := strings.Count(r.stderr, "rewrites are not searched"); n != 1 || !strings.Contains(r.stderr, "schema version 1") {
		t.Errorf("schema 1: stderr says %d times that rewrites are not searched, want once:\n%s", n, r.stderr)
	}
}

// runFree blanks what a JSON report says of the run rather than of the
// findings: the databases read and the time taken.
func runFree(report string) string {
	return runFields.ReplaceAllString(report, `"$1": null`)
}

var runFields = regexp.MustCompile(`"(corpus|elapsed_ms)": ("[^"]*"|[0-9]+)`)

// TestRewriteMerged merges two shards of a corpus (GOROOT's strings
// package, split in two) and scans a rewrite against the merged database:
// its rewrite index holds the shards' units, so the report is the same,
// byte for byte, as against one database that indexed both halves.
func TestRewriteMerged(t *testing.T) {
	dir := t.TempDir()
	_, pkg := rewriteCorpus(t, dir)
	ents, err := os.ReadDir(pkg)
	if err != nil {
		t.Fatal(err)
	}
	halves := [2]string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}
	for i, e := range ents {
		half := halves[i%2]
		if e.Name() == "reader.go" {
			half = halves[0]
		}
		os.MkdirAll(half, 0o755)
		b, err := os.ReadFile(filepath.Join(pkg, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(half, e.Name()), b, 0o644)
	}
	one, shardA, shardB, merged := filepath.Join(dir, "one.db"), filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "m.db")
	for _, args := range [][]string{{"index", "--db", one, halves[0], halves[1]}, {"index", "--db", shardA, halves[0]},
		{"index", "--db", shardB, halves[1]}, {"merge", "--db", merged, shardA, shardB}} {
		r := snipscan(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", args[0], r.code, r.stderr)
		}
		if args[0] == "merge" && !regexp.MustCompile(`; [0-9,]+ fingerprints, [1-9][0-9,]* functions for rewrites`).MatchString(r.stdout) {
			t.Errorf("merge says no function for rewrites was added:\n%s", r.stdout)
		}
	}
	code, _, _ := rewritten(t, filepath.Join(pkg, "reader.go"), "Seek", 1)
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "seek.go"), []byte(code), 0o644)
	want := snipscan(t, nil, "scan", "--db", one, "--format", "json", target)
	got := snipscan(t, nil, "scan", "--db", merged, "--format", "json", target)
	if !strings.Contains(want.stdout, `"kind": "rewrite"`) {
		t.Fatalf("one database: no rewrite found (exit %d)\n%s%s", want.code, want.stdout, want.stderr)
	}
	if got.code != want.code || runFree(got.stdout) != runFree(want.stdout) {
		t.Errorf("merged shards: exit %d, want %d; report differs from one database's:\n%s\nwant:\n%s\n%s", got.code, want.code, got.stdout, want.stdout, got.stderr)
	}
	// The shards scanned together, unmerged: copies are searched, not
	// rewrites, and stderr says so once, with the way out.
	both := snipscan(t, nil, "scan", "--db", shardA, "--db", shardB, "--format", "json", target)
	if both.code != 0 || strings.Contains(both.stdout, `"kind": "rewrite"`) || !strings.Contains(both.stdout, `"rewrites_searched": false`) ||
		strings.Count(both.stderr, "not searched across several corpora") != 1 ||
		!strings.Contains(both.stderr, "snipscan merge") {
		t.Errorf("two shards: exit %d, want 0, no rewrite, and stderr saying once why:\n%s", both.code, both.stderr)
	}
}

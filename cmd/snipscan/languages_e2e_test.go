package main

// End-to-end tests of the languages a scan reads, and of the code it
// does not read.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptsInMarkup indexes GOROOT's lib/wasm and scans GOROOT's
// wasm_exec.js pasted into the script element of a Vue and a Svelte
// component and of an HTML page: each is a finding of wasm_exec.js, at
// the lines of the script in the file. Beside them, F# and OCaml files
// (a language snipscan does not read) are listed by -v, as skipped of an
// unsupported type, and a README and JSON data are not.
func TestScriptsInMarkup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "wasm.db")
	wasm := filepath.Join(goroot(t), "lib", "wasm")
	if r := snipscan(t, nil, "index", "--progress", "never", "--db", db, wasm); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	js, err := os.ReadFile(filepath.Join(wasm, "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	jsLines := strings.Count(string(js), "\n")
	tree := filepath.Join(dir, "app")
	os.MkdirAll(tree, 0o755)
	wrappers := map[string][2]string{
		"App.vue":     {"<template>\n  <div>{{ label }}</div>\n</template>\n\n<script>\n", "</script>\n\n<style>\ndiv { color: red; }\n</style>\n"},
		"Card.svelte": {"<script>\n", "</script>\n\n{#if ready}\n  <p>go</p>\n{/if}\n"},
		"index.html":  {"<!doctype html>\n<html>\n<head>\n<title>app</title>\n<script type=\"text/javascript\">\n", "</script>\n</head>\n</html>\n"},
	}
	for name, w := range wrappers {
		os.WriteFile(filepath.Join(tree, name), []byte(w[0]+string(js)+w[1]), 0o644)
	}
	os.WriteFile(filepath.Join(tree, "solver.fs"), []byte("let square x = x * x\nprintfn \"%d\" (square 3)\n"), 0o644)
	os.WriteFile(filepath.Join(tree, "sort.ml"), []byte("let rec sum = function [] -> 0 | x :: r -> x + sum r\n"), 0o644)
	os.WriteFile(filepath.Join(tree, "README.md"), []byte("# app\n"), 0o644)
	os.WriteFile(filepath.Join(tree, "data.json"), []byte("{}\n"), 0o644)

	doc, r := scanJSON(t, db, tree)
	if r.code != 0 || doc.Summary.FilesScanned != 3 || len(doc.Files) != 3 {
		t.Fatalf("scan: exit %d, %d files scanned, %d with findings, want 3 and 3\n%s", r.code, doc.Summary.FilesScanned, len(doc.Files), r.stderr)
	}
	for _, f := range doc.Files {
		first := strings.Count(wrappers[filepath.Base(f.Path)][0], "\n") + 1
		m := f.Matches[0]
		if len(f.Matches) != 1 || filepath.Base(m.Source.Path) != "wasm_exec.js" || m.Lines[0] > first+20 || m.Lines[1] < first+jsLines-20 {
			t.Errorf("%s: %d findings, the first of %s at lines %v, want one of wasm_exec.js over lines %d-%d", filepath.Base(f.Path),
				len(f.Matches), m.Source.Path, m.Lines, first, first+jsLines-1)
		}
	}
	if strings.Contains(r.stderr, "solver.fs") {
		t.Errorf("without -v, the F# file is listed:\n%s", r.stderr)
	}
	v := snipscan(t, nil, "scan", "-v", "--db", db, tree)
	for _, want := range []string{"skipped " + filepath.Join(tree, "solver.fs") + ": unsupported type: F#, a programming language snipscan does not read\n",
		"skipped " + filepath.Join(tree, "sort.ml") + ": unsupported type: OCaml, "} {
		if !strings.Contains(v.stderr, want) {
			t.Errorf("scan -v: stderr lacks %q:\n%s", want, v.stderr)
		}
	}
	if strings.Contains(v.stderr, "README.md") || strings.Contains(v.stderr, "data.json") {
		t.Errorf("scan -v lists files that are not code:\n%s", v.stderr)
	}
}

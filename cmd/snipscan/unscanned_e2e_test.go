package main

// End-to-end tests of what a scan could not read: files in other
// encodings than UTF-8 (decoded, never skipped), files left unscanned
// (the policy's unscanned key), and corpora that are empty or that an
// index run left unfinished.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// gateDoc is the part of the JSON report these tests read, field by field
// as the contract names them.
type gateDoc struct {
	Summary struct {
		FilesScanned     int    `json:"files_scanned"`
		Failing          int    `json:"failing"`
		FilesSkipped     int    `json:"files_skipped"`
		Unscanned        int    `json:"unscanned"`
		UnscannedVerdict string `json:"unscanned_verdict"`
	} `json:"summary"`
	Files []struct {
		Path    string `json:"path"`
		Matches []struct {
			Lines  [2]int `json:"lines"`
			Bytes  [2]int `json:"bytes"`
			Source struct {
				Lines      [2]int   `json:"lines"`
				License    string   `json:"license"`
				Copyrights []string `json:"copyrights"`
			} `json:"source"`
			Policy struct {
				Verdict string `json:"verdict"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
	Unscanned []struct {
		Path   string `json:"path"`
		Reason string `json:"reason"`
		Error  string `json:"error"`
	} `json:"unscanned"`
	IncompleteCorpus []struct {
		Path    string `json:"path"`
		Started string `json:"started"`
	} `json:"incomplete_corpus"`
}

// gateScan scans with --format json and the flags given.
func gateScan(t *testing.T, args ...string) (gateDoc, result) {
	t.Helper()
	r := snipscan(t, nil, append([]string{"scan", "--format", "json"}, args...)...)
	var doc gateDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("scan %v: output is not JSON (%v):\n%s\nstderr: %s", args, err, r.stdout, r.stderr)
	}
	return doc, r
}

// toLatin1 encodes s, whose characters are all below U+0100, in Latin-1.
func toLatin1(t *testing.T, s string) []byte {
	t.Helper()
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			t.Fatalf("%q is not in Latin-1", r)
		}
		out = append(out, byte(r))
	}
	return out
}

// toUTF16LE encodes s in UTF-16, little endian, after a byte order mark.
func toUTF16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// TestEncodedCopies indexes a GPL-licensed file written in Latin-1 (a
// GOROOT function under a GPL notice whose author has an umlaut) and
// scans three copies of the function pasted into one of this project's
// files: in UTF-8, in Latin-1 with one ü in a comment, and in UTF-16 with
// a byte order mark. All three are found, with the same lines, and fail
// the built-in policy; byte offsets are those of each file's own bytes,
// and the holder's name is read right.
func TestEncodedCopies(t *testing.T) {
	dir := t.TempDir()
	body, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	notice := "// Copyright (C) 2021 Jürgen Müller\n// SPDX-License-Identifier: GPL-3.0-or-later\n\npackage gpl\n\n"
	corpusDir := filepath.Join(dir, "gplproject")
	os.MkdirAll(corpusDir, 0o755)
	if err := os.WriteFile(filepath.Join(corpusDir, "format.go"), toLatin1(t, notice+body+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, corpusDir); r.code != 0 || !strings.HasPrefix(r.stdout, "indexed 1 file") {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	doc, t0, t1 := paste(t, "../../walk/walk.go", "// Grüße: pasted here.\n"+body)
	targets := filepath.Join(dir, "targets")
	os.MkdirAll(targets, 0o755)
	files := map[string][]byte{"utf8.go": []byte(doc), "latin1.go": toLatin1(t, doc), "utf16.go": toUTF16LE(doc)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(targets, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, r := gateScan(t, "--db", db, targets)
	if r.code != 1 || out.Summary.FilesScanned != 3 || len(out.Files) != 3 || out.Summary.Failing != 3 {
		t.Fatalf("exit %d, %d files scanned, %d with findings, %d failing; want 1, 3, 3, 3\n%s", r.code,
			out.Summary.FilesScanned, len(out.Files), out.Summary.Failing, r.stderr)
	}
	type finding struct {
		lines, bytes, source [2]int
	}
	got := map[string]finding{}
	for _, f := range out.Files {
		if len(f.Matches) != 1 {
			t.Fatalf("%s: %d findings, want 1", f.Path, len(f.Matches))
		}
		m := f.Matches[0]
		if m.Policy.Verdict != "fail" || m.Source.License != "GPL-3.0-or-later" ||
			len(m.Source.Copyrights) != 1 || m.Source.Copyrights[0] != "Copyright (C) 2021 Jürgen Müller" {
			t.Errorf("%s: verdict %s, source %+v", f.Path, m.Policy.Verdict, m.Source)
		}
		got[filepath.Base(f.Path)] = finding{m.Lines, m.Bytes, m.Source.Lines}
	}
	ref := got["utf8.go"]
	if !near(ref.lines, t0+1, t1) {
		t.Errorf("utf8.go: lines %v, want about %d-%d", ref.lines, t0+1, t1)
	}
	// The same lines in every encoding, at the offsets of each file's own
	// bytes: the UTF-8 text before the region, encoded.
	want := map[string][2]int{
		"latin1.go": {len(toLatin1(t, doc[:ref.bytes[0]])), len(toLatin1(t, doc[:ref.bytes[1]]))},
		"utf16.go":  {len(toUTF16LE(doc[:ref.bytes[0]])), len(toUTF16LE(doc[:ref.bytes[1]]))},
	}
	for name, b := range want {
		g := got[name]
		if g.lines != ref.lines || g.source != ref.source || g.bytes != b {
			t.Errorf("%s: lines %v source %v bytes %v; want %v, %v, %v", name, g.lines, g.source, g.bytes, ref.lines, ref.source, b)
		}
	}
}

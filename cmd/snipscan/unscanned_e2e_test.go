package main

// End-to-end tests of what a scan could not read: files in other
// encodings than UTF-8 (decoded, never skipped), files left unscanned
// (the policy's unscanned key), and corpora that are empty or that an
// index run left unfinished.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"hash/crc32"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf16"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
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

// unscannedTargets builds targets holding files a scan cannot read, whose
// content is real code: a directory with a GOROOT file over the size
// limit the tests pass (--max-file-size 40000), a FIFO named like a
// source file (unreadable whoever runs the test, root included), a file
// of this project that reads fine and a PNG that is not code; and a zip
// archive whose member x/bad.go is damaged (its checksum is wrong) beside
// a sound one. It returns the directory and the archive.
func unscannedTargets(t *testing.T, dir string) (tree, archive string) {
	t.Helper()
	tree = filepath.Join(dir, "tree")
	os.MkdirAll(tree, 0o755)
	big, err := os.ReadFile(filepath.Join(goroot(t), "src", "go", "parser", "parser.go"))
	if err != nil || len(big) <= 40000 {
		t.Fatalf("go/parser/parser.go: %d bytes (%v), want more than 40000", len(big), err)
	}
	mine, err := os.ReadFile("../../scanner/scanner.go")
	if err != nil || len(mine) > 40000 {
		t.Fatalf("scanner.go: %d bytes (%v), want at most 40000", len(mine), err)
	}
	os.WriteFile(filepath.Join(tree, "big.go"), big, 0o644)
	os.WriteFile(filepath.Join(tree, "clean.go"), mine, 0o644)
	os.WriteFile(filepath.Join(tree, "image.png"), append([]byte("\x89PNG\r\n\x1a\n"), big...), 0o644)
	if err := syscall.Mkfifo(filepath.Join(tree, "fifo.go"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	archive = filepath.Join(dir, "vendor.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("x/ok.go")
	w.Write(mine)
	raw, err := zw.CreateRaw(&zip.FileHeader{Name: "x/bad.go", Method: zip.Store, CRC32: crc32.ChecksumIEEE(mine) ^ 1,
		CompressedSize64: uint64(len(mine)), UncompressedSize64: uint64(len(mine))})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write(mine)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(archive, buf.Bytes(), 0o644)
	return tree, archive
}

// TestUnscannedFiles scans files it cannot read: a file too large, a
// FIFO and a damaged archive member. Under the built-in policy they fail
// the scan (exit 1), every format lists them, the text report first; a
// policy with unscanned = "warn" lists them and exits 0.
func TestUnscannedFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(goroot(t), "src", "container")); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	tree, archive := unscannedTargets(t, dir)
	base := []string{"--db", db, "--max-file-size", "40000"}
	fi, err := os.Stat(filepath.Join(tree, "big.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ // sorted by path; a file too large gives its size and the limit
		tree + "/big.go: too large: " + binarySize(fi.Size()) + ", over --max-file-size 39.1 KiB",
		tree + "/fifo.go: special file",
		archive + "/x/bad.go: corrupt archive: zip: checksum error",
	}
	check := func(name string, doc gateDoc, r result, code int, verdict string) {
		t.Helper()
		var got []string
		for _, u := range doc.Unscanned {
			s := u.Path + ": " + u.Reason
			if u.Error != "" {
				s += ": " + u.Error
			}
			got = append(got, s)
		}
		if r.code != code || doc.Summary.Unscanned != 3 || doc.Summary.UnscannedVerdict != verdict || doc.Summary.Failing != 0 ||
			strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: exit %d (want %d), summary %+v, unscanned:\n%s\nwant:\n%s\nstderr: %s", name, r.code, code, doc.Summary,
				strings.Join(got, "\n"), strings.Join(want, "\n"), r.stderr)
		}
		if !strings.Contains(r.stderr, "3 files could not be scanned") {
			t.Errorf("%s: stderr does not say so: %s", name, r.stderr)
		}
	}
	doc, r := gateScan(t, append(base, tree, archive)...)
	check("built-in policy", doc, r, 1, "fail")

	text := snipscan(t, nil, append(append([]string{"scan"}, base...), tree, archive)...)
	_, underSummary, _ := strings.Cut(text.stdout, "\n\n")
	if text.code != 1 || !strings.HasPrefix(underSummary, `FAIL: 3 files could not be scanned: the policy fails the scan (unscanned = "fail")`) ||
		!strings.Contains(text.stdout, "\n  "+tree+"/fifo.go: special file\n") {
		t.Errorf("text report: exit %d\n%s", text.code, text.stdout)
	}

	sarifScan := func(flags ...string) *sarif.Invocation {
		t.Helper()
		r := snipscan(t, nil, append(append(append([]string{"scan", "--format", "sarif"}, base...), flags...), tree, archive)...)
		log, err := sarif.FromBytes([]byte(r.stdout), sarif.WithStrictValidation())
		if err != nil {
			t.Fatalf("scan output is not SARIF (%v):\n%s", err, r.stdout)
		}
		if err := log.Validate(); err != nil {
			t.Errorf("invalid SARIF: %v", err)
		}
		if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
			t.Fatalf("SARIF runs %d, invocations: %s", len(log.Runs), r.stdout)
		}
		inv := log.Runs[0].Invocations[0]
		var uris []string
		for _, n := range inv.ToolExecutionNotifications {
			uris = append(uris, *n.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		}
		if len(uris) != 3 || uris[0] != (&url.URL{Scheme: "file", Path: tree + "/big.go"}).String() {
			t.Errorf("notifications at %q", uris)
		}
		return inv
	}
	if inv := sarifScan(); *inv.ExecutionSuccessful || inv.ToolExecutionNotifications[0].Level != "error" {
		t.Errorf("SARIF under the built-in policy: execution successful %v, level %s", *inv.ExecutionSuccessful, inv.ToolExecutionNotifications[0].Level)
	}

	pol := filepath.Join(dir, "warn.toml")
	os.WriteFile(pol, []byte("unscanned = \"warn\"\n"), 0o644)
	doc, r = gateScan(t, append(base, "--policy", pol, tree, archive)...)
	check(`unscanned = "warn"`, doc, r, 0, "warn")
	if inv := sarifScan("--policy", pol); !*inv.ExecutionSuccessful || inv.ToolExecutionNotifications[0].Level != "warning" {
		t.Errorf(`SARIF under unscanned = "warn": execution successful %v, level %s`, *inv.ExecutionSuccessful, inv.ToolExecutionNotifications[0].Level)
	}
	// Excluded files are not unscanned.
	os.WriteFile(pol, []byte("exclude = [\"big.go\", \"fifo.go\"]\n"), 0o644)
	if doc, r := gateScan(t, append(base, "--policy", pol, tree)...); r.code != 0 || doc.Summary.Unscanned != 0 {
		t.Errorf("excluded files: exit %d, %d unscanned", r.code, doc.Summary.Unscanned)
	}
}

// TestEmptyCorpus scans against a database into which nothing was
// indexed: an error (exit 2) that says how to index, not a clean scan.
func TestEmptyCorpus(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "empty.db")
	os.MkdirAll(filepath.Join(dir, "nothing"), 0o755)
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(dir, "nothing")); r.code != 0 {
		t.Fatalf("index of an empty directory: exit %d\n%s", r.code, r.stderr)
	}
	target := filepath.Join(dir, "t.go")
	os.WriteFile(target, []byte("package t\n"), 0o644)
	r := snipscan(t, nil, "scan", "--db", db, target)
	if r.code != 2 || !strings.Contains(r.stderr, "holds no indexed file") || !strings.Contains(r.stderr, "snipscan index --db") {
		t.Errorf("scan against an empty corpus: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestUnfinishedCorpus writes a database whose index run fails after
// committing part of its files (its file may not grow past 2 MiB,
// RLIMIT_FSIZE, as a full disk would stop it). check passes and, like
// info, says the database is unfinished; a scan refuses it (exit 2) with
// what to do, and scans it with --allow-incomplete, saying so in the
// report and on stderr; merge refuses it as a shard. Indexing again
// completes it.
func TestUnfinishedCorpus(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is needed to set the file size limit")
	}
	src := filepath.Join(goroot(t), "src", "net")
	dir := t.TempDir()
	db := filepath.Join(dir, "unfinished.db")
	cmd := exec.Command("bash", "-c", `ulimit -f 2048 && exec "$0" index --progress never --batch-postings 20000 --db "$1" "$2"`, binary(t), db, src)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "file too large") {
		t.Fatalf("index with a full disk: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"check", "--db", db}, {"info", "--db", db}} {
		if r := snipscan(t, nil, args...); r.code != 0 || !strings.Contains(r.stdout, "unfinished: an index or merge run that started") {
			t.Errorf("%s: exit %d\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
	}
	target := filepath.Join(dir, "t.go")
	os.WriteFile(target, []byte("package t\n"), 0o644)
	r := snipscan(t, nil, "scan", "--db", db, target)
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "did not finish") || !strings.Contains(r.stderr, "Run the same index or merge command again") ||
		!strings.Contains(r.stderr, "--allow-incomplete") {
		t.Errorf("scan of an unfinished corpus: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	doc, r := gateScan(t, "--db", db, "--allow-incomplete", target)
	if r.code != 0 || len(doc.IncompleteCorpus) != 1 || doc.IncompleteCorpus[0].Path != db || !strings.Contains(r.stderr, "is incomplete") {
		t.Errorf("scan --allow-incomplete: exit %d, incomplete %+v\n%s", r.code, doc.IncompleteCorpus, r.stderr)
	}
	text := snipscan(t, nil, "scan", "--db", db, "--allow-incomplete", target)
	if _, rest, _ := strings.Cut(text.stdout, "\n\n"); !strings.HasPrefix(rest, "WARNING: the corpus "+db+" is incomplete") {
		t.Errorf("text report of an incomplete corpus:\n%s", text.stdout)
	}
	if m := snipscan(t, nil, "merge", "--db", filepath.Join(dir, "merged.db"), db); m.code != 2 || !strings.Contains(m.stderr, "did not finish") {
		t.Errorf("merge of an unfinished shard: exit %d\n%s", m.code, m.stderr)
	}
	if r := snipscan(t, nil, "index", "--db", db, src); r.code != 0 {
		t.Fatalf("index again: exit %d\n%s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "info", "--db", db); !strings.Contains(r.stdout, "state      complete") {
		t.Errorf("info after completing:\n%s", r.stdout)
	}
	if r := snipscan(t, nil, "scan", "--db", db, target); r.code != 0 {
		t.Errorf("scan of the completed corpus: exit %d\n%s", r.code, r.stderr)
	}
}

package main

// End-to-end tests of the command line itself: where flags may stand.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFlagsAfterPaths gives flags after the PATHs, for every command that
// takes PATHs, as most command-line tools accept: they are flags, not
// paths; "--" ends the flags, so that a path that starts with a dash can
// be named.
func TestFlagsAfterPaths(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(goroot(t), "src", "container", "ring")
	db := filepath.Join(dir, "ring.db")
	if r := snipscan(t, nil, "index", src, "--db", db, "--prune", "-v"); r.code != 0 || !strings.Contains(r.stdout, "database "+db) {
		t.Fatalf("index PATH --db DB --prune -v: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	fn, _, _ := goFunc(t, "container/ring/ring.go", "Move")
	code, _, _ := paste(t, "../../walk/walk.go", fn)
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "moved.go"), []byte(code), 0o644)

	r := snipscan(t, nil, "scan", target, "--db", db, "--format", "json", "--fail-on", "never")
	var doc jsonDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 || doc.Summary.Matches != 1 {
		t.Errorf("scan PATH --db DB --format json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	r = snipscan(t, nil, "scan", target, "-v", "--db", db)
	if !strings.Contains(r.stdout, "Warnings (1)") || !strings.Contains(r.stdout, "ring.go") {
		t.Errorf("scan PATH -v: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = snipscan(t, nil, "license", filepath.Join(goroot(t), "LICENSE"), "--format", "json")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), "[") && !strings.HasPrefix(strings.TrimSpace(r.stdout), "{") {
		t.Errorf("license PATH --format json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// After "--", an argument is a PATH, whatever it looks like.
	dashed := filepath.Join(dir, "-v")
	os.MkdirAll(dashed, 0o755)
	os.WriteFile(filepath.Join(dashed, "moved.go"), []byte(code), 0o644)
	r = snipscanIn(t, dir, "scan", "--db", db, "--format", "json", "--", "-v", "target")
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Summary.FilesScanned != 2 {
		t.Errorf("scan -- -v target: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	r = snipscan(t, nil, "scan", "--db", db, "--", target, "--format", "json")
	if r.code != 2 || !strings.Contains(r.stderr, "--format: no such file or directory") {
		t.Errorf("scan -- PATH --format json: exit %d, want 2 naming --format as a PATH\n%s", r.code, r.stderr)
	}
}

// TestMessages checks what the command says where a trial found it
// unclear: a file too large gives its size and the limit; --max-file-size
// takes k, M and G; the note on unscanned files names --fail-on never when
// that decided; --fail-on with a wrong category lists the categories; a
// failed first index leaves no empty database; and every count of a
// thousand or more has separators.
func TestMessages(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ring.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(goroot(t), "src", "container", "ring")); r.code != 0 {
		t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
	}
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "big.go"), []byte("package big\n\n// "+strings.Repeat("x", 3000)+"\n"), 0o644)

	r := snipscan(t, nil, "scan", "--db", db, "--max-file-size", "2048", "-v", target)
	const tooLarge = "too large: 2.9 KiB, over --max-file-size 2 KiB"
	if r.code != 1 || !strings.Contains(r.stdout, "big.go: "+tooLarge) || !strings.Contains(r.stderr, "skipped "+filepath.Join(target, "big.go")+": "+tooLarge) {
		t.Errorf("a file over --max-file-size 2048: exit %d, want 1 and %q in the report and on stderr\n%s%s", r.code, tooLarge, r.stdout, r.stderr)
	}
	var doc struct {
		Unscanned []struct{ Reason, Error string } `json:"unscanned"`
	}
	r = snipscan(t, nil, "scan", "--db", db, "--max-file-size", "2048", "--format", "json", target)
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Unscanned) != 1 || doc.Unscanned[0].Error != "2.9 KiB, over --max-file-size 2 KiB" {
		t.Errorf("JSON unscanned: %+v, %v", doc.Unscanned, err)
	}
	if r := snipscan(t, nil, "scan", "--db", db, "--max-file-size", "2k", target); r.code != 1 || !strings.Contains(r.stdout, tooLarge) {
		t.Errorf("--max-file-size 2k: exit %d, want 1 and %q\n%s%s", r.code, tooLarge, r.stdout, r.stderr)
	}
	if r := snipscan(t, nil, "scan", "--db", db, "--max-file-size", "1M", target); r.code != 0 {
		t.Errorf("--max-file-size 1M: exit %d\n%s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "scan", "--db", db, "--max-file-size", "1x", target); r.code != 2 || !strings.Contains(r.stderr, "want a number of bytes, such as 1048576, 1024k or 16M") {
		t.Errorf("--max-file-size 1x: exit %d\n%s", r.code, r.stderr)
	}

	r = snipscan(t, nil, "scan", "--db", db, "--max-file-size", "2048", "--fail-on", "never", target)
	if r.code != 0 || !strings.Contains(r.stderr, "--fail-on never") || strings.Contains(r.stderr, `unscanned = "warn"`) ||
		!strings.Contains(r.stdout, "--fail-on never") || strings.Contains(r.stdout, `unscanned = "warn"`) {
		t.Errorf("--fail-on never: exit %d; the note must name --fail-on never, not a policy key\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = snipscan(t, nil, "scan", "--db", db, "--fail-on", "copyleft", target)
	if r.code != 2 || !strings.Contains(r.stderr, "weak-copyleft, strong-copyleft, network-copyleft") {
		t.Errorf("--fail-on copyleft: exit %d, want 2 listing the categories\n%s", r.code, r.stderr)
	}

	bad := filepath.Join(dir, "bad.zip")
	os.WriteFile(bad, []byte("this is not a zip archive, only a file named like one\n"), 0o644)
	fresh := filepath.Join(dir, "fresh.db")
	if r := snipscan(t, nil, "index", "--db", fresh, bad); r.code != 2 {
		t.Errorf("index of a damaged archive into a new database: exit %d, want 2\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("a failed first index left the database %s behind", fresh)
	}
	if r := snipscan(t, nil, "index", "--db", db, bad); r.code != 2 {
		t.Errorf("index of a damaged archive into a database: exit %d, want 2", r.code)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("a failed index removed the database it did not create: %v", err)
	}

	many := filepath.Join(dir, "many")
	os.MkdirAll(many, 0o755)
	for i := range 1001 {
		os.WriteFile(filepath.Join(many, fmt.Sprintf("f%d.go", i)), []byte("package many\n"), 0o644)
		os.WriteFile(filepath.Join(many, fmt.Sprintf("f%d.dat", i)), []byte("data\n"), 0o644)
	}
	r = snipscan(t, nil, "scan", "--db", db, many)
	if summary, _, _ := strings.Cut(r.stdout, "\n"); !strings.HasPrefix(summary, "1,001 files scanned") {
		t.Errorf("scan summary %q, want 1,001 files", summary)
	}
	r = snipscan(t, nil, "index", "--db", db, many)
	if !strings.Contains(r.stdout, "indexed 1,001 files") || regexp.MustCompile(`\d{4}`).MatchString(strings.ReplaceAll(r.stdout, db, "")) {
		t.Errorf("index output has a count of a thousand or more without separators:\n%s", r.stdout)
	}
}

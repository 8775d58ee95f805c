package main

// End-to-end tests of the CI gate: policy files, attribution, baselines,
// --diff on a real git repository, --fail-on, acceptances that expire.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// gateFixture is a corpus of two projects (GPL and MIT, by SPDX tags over
// real GOROOT functions) and a git repository of targets that copies one
// function of each.
type gateFixture struct {
	db      string
	repo    string
	gplBody string // tabwriter's format, as the GPL project has it
	mitBody string // ring's Move, as the MIT project has it
}

func newGateFixture(t *testing.T) *gateFixture {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	fx := &gateFixture{db: filepath.Join(dir, "c.db"), repo: filepath.Join(dir, "repo")}
	fx.gplBody, _, _ = goFunc(t, "text/tabwriter/tabwriter.go", "format")
	fx.mitBody, _, _ = goFunc(t, "bufio/scan.go", "Scan")
	write := func(path, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "gplproject", "format.go"),
		"// Copyright (C) 2021 Gpl Developer\n// SPDX-License-Identifier: GPL-3.0-or-later\n\npackage gpl\n\n"+fx.gplBody+"\n")
	write(filepath.Join(dir, "mitproject", "scan.go"),
		"// Copyright (c) 2020 Mit Author\n// SPDX-License-Identifier: MIT\n\npackage mit\n\n"+fx.mitBody+"\n")
	if r := snipscan(t, nil, "index", "--db", fx.db, filepath.Join(dir, "gplproject"), filepath.Join(dir, "mitproject")); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	gpl, _, _ := paste(t, "../../walk/walk.go", fx.gplBody)
	mit, _, _ := paste(t, "../../corpus/db.go", fx.mitBody)
	write(filepath.Join(fx.repo, "gplcopy.go"), gpl)
	write(filepath.Join(fx.repo, "mitcopy.go"), mit)
	fx.git(t, "init", "-q")
	fx.git(t, "add", ".")
	fx.git(t, "commit", "-q", "-m", "base")
	return fx
}

func (fx *gateFixture) git(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", fx.repo, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// scan runs scan --format json with extra flags on the repository.
func (fx *gateFixture) scan(t *testing.T, flags ...string) (jsonDoc, result) {
	t.Helper()
	args := append([]string{"scan", "--db", fx.db, "--format", "json"}, flags...)
	r := snipscan(t, nil, append(args, fx.repo)...)
	var doc jsonDoc
	if r.code != 2 {
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("scan %v: %v\n%s\n%s", flags, err, r.stdout, r.stderr)
		}
	}
	return doc, r
}

// verdicts maps each target file's base name to its first finding's
// verdict.
func verdicts(doc jsonDoc) map[string]string {
	out := map[string]string{}
	for _, f := range doc.Files {
		if len(f.Matches) > 0 {
			out[filepath.Base(f.Path)] = f.Matches[0].Policy.Verdict
		}
	}
	return out
}

func (fx *gateFixture) write(t *testing.T, name, s string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(fx.repo, name), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGateDefaultPolicyAndAttribution(t *testing.T) {
	fx := newGateFixture(t)
	doc, r := fx.scan(t)
	v := verdicts(doc)
	if r.code != 1 || v["gplcopy.go"] != "fail" || v["mitcopy.go"] != "warn" || doc.Summary.Failing != 1 {
		t.Fatalf("default policy: exit %d verdicts %v\n%s", r.code, v, r.stderr)
	}
	// A NOTICE naming the MIT code's holder makes it pass.
	fx.write(t, "NOTICE", "This product includes software by Mit Author (MIT license).\n")
	doc, _ = fx.scan(t)
	if v := verdicts(doc); v["mitcopy.go"] != "pass" {
		t.Errorf("with a NOTICE: verdicts %v", v)
	}
	// --fail-on never: nothing fails; --fail-on warn: the MIT warning
	// fails once the NOTICE is gone; a list: only those fail.
	if _, r := fx.scan(t, "--fail-on", "never"); r.code != 0 {
		t.Errorf("--fail-on never: exit %d", r.code)
	}
	os.Remove(filepath.Join(fx.repo, "NOTICE"))
	doc, r = fx.scan(t, "--fail-on", "warn")
	if v := verdicts(doc); r.code != 1 || v["mitcopy.go"] != "fail" {
		t.Errorf("--fail-on warn: exit %d verdicts %v", r.code, v)
	}
	doc, r = fx.scan(t, "--fail-on", "MIT")
	if v := verdicts(doc); r.code != 1 || v["mitcopy.go"] != "fail" || v["gplcopy.go"] != "warn" {
		t.Errorf("--fail-on MIT: exit %d verdicts %v", r.code, v)
	}
	// A listed category fails even where the policy has a rule for the
	// ID (here: MIT only warned about).
	fx.write(t, "snipscan.toml", "[licenses]\nwarn = [\"MIT\"]\n")
	doc, r = fx.scan(t, "--fail-on", "permissive")
	if v := verdicts(doc); r.code != 1 || v["mitcopy.go"] != "fail" || v["gplcopy.go"] != "warn" {
		t.Errorf("--fail-on permissive with MIT warned about by the policy: exit %d verdicts %v", r.code, v)
	}
	os.Remove(filepath.Join(fx.repo, "snipscan.toml"))
	if _, r := fx.scan(t, "--fail-on", "sometimes"); r.code != 2 || !strings.Contains(r.stderr, "--fail-on") {
		t.Errorf("--fail-on sometimes: exit %d %s", r.code, r.stderr)
	}
}

func TestGateBaseline(t *testing.T) {
	fx := newGateFixture(t)
	_, r := fx.scan(t)
	base := filepath.Join(t.TempDir(), "base.json")
	if err := os.WriteFile(base, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	// Lines added above the copy move it but keep its id.
	data, _ := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	fx.write(t, "gplcopy.go", strings.Replace(string(data), "\nimport", "\n// A new comment.\n// Another.\n\nimport", 1))
	doc, r := fx.scan(t, "--baseline", base)
	if r.code != 0 || verdicts(doc)["gplcopy.go"] != "accepted" || !doc.Files[0].Matches[0].Policy.InBaseline || doc.Summary.Accepted != 2 {
		t.Fatalf("baseline: exit %d verdicts %v\n%s", r.code, verdicts(doc), r.stdout)
	}
	// A new copy fails.
	fx.write(t, "again.go", "package again\n\n"+fx.gplBody+"\n")
	doc, r = fx.scan(t, "--baseline", base)
	if v := verdicts(doc); r.code != 1 || v["again.go"] != "fail" || v["gplcopy.go"] != "accepted" {
		t.Errorf("new finding: exit %d verdicts %v", r.code, v)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"not": "a report"}`), 0o644)
	if _, r := fx.scan(t, "--baseline", bad); r.code != 2 || !strings.Contains(r.stderr, "not a snipscan JSON report") {
		t.Errorf("bad baseline: exit %d %s", r.code, r.stderr)
	}
}

// TestGateBaselineRepeatedCopy appends a second copy of the GPL function
// (renamed) to the file whose first copy the baseline recorded: both copy
// the same source lines, yet each finding has an ID of its own, so the
// baseline accepts the copy it recorded and the new one fails, with
// --diff too; an acceptance by ID and the SARIF fingerprints tell them
// apart as well. Lines added above both keep both IDs.
func TestGateBaselineRepeatedCopy(t *testing.T) {
	fx := newGateFixture(t)
	_, r := fx.scan(t)
	baseJSON := r.stdout
	base := filepath.Join(t.TempDir(), "base.json")
	if err := os.WriteFile(base, []byte(baseJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	second := strings.Replace(fx.gplBody, ") format(", ") format2(", 1)
	fx.write(t, "gplcopy.go", string(data)+"\n"+second)
	gplFindings := func(doc jsonDoc) (ids []string, verdicts []string) {
		for _, f := range doc.Files {
			if filepath.Base(f.Path) == "gplcopy.go" {
				for _, m := range f.Matches {
					ids, verdicts = append(ids, m.ID), append(verdicts, m.Policy.Verdict)
				}
			}
		}
		return ids, verdicts
	}
	doc, r := fx.scan(t, "--baseline", base)
	ids, v := gplFindings(doc)
	if r.code != 1 || !slices.Equal(v, []string{"accepted", "fail"}) || ids[0] == ids[1] {
		t.Fatalf("a second copy with a baseline: exit %d, ids %q verdicts %q, want the first accepted and the second failing\n%s", r.code, ids, v, r.stderr)
	}
	// A report of an older snipscan gave both copies the ID of the first:
	// as a baseline, it accepts both, as many as it recorded.
	_, r = fx.scan(t)
	older := filepath.Join(t.TempDir(), "older.json")
	os.WriteFile(older, []byte(strings.ReplaceAll(r.stdout, ids[1], ids[0])), 0o644)
	doc, r = fx.scan(t, "--baseline", older)
	if _, v := gplFindings(doc); r.code != 0 || !slices.Equal(v, []string{"accepted", "accepted"}) {
		t.Errorf("a baseline holding the first copy's ID twice: exit %d verdicts %q, want both accepted", r.code, v)
	}
	// The first copy keeps the ID it had; lines added above both keep
	// both IDs.
	var baseDoc jsonDoc
	json.Unmarshal([]byte(baseJSON), &baseDoc)
	if first, _ := gplFindings(baseDoc); len(first) != 1 || first[0] != ids[0] {
		t.Errorf("first copy's id %q, baseline's %q", ids[0], first)
	}
	data, _ = os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	fx.write(t, "gplcopy.go", strings.Replace(string(data), "\nimport", "\n// A new comment.\n\nimport", 1))
	doc, _ = fx.scan(t, "--baseline", base)
	if moved, _ := gplFindings(doc); !slices.Equal(moved, ids) {
		t.Errorf("ids after lines moved: %q, want %q", moved, ids)
	}
	// HEAD holds the first copy only: with --diff the second copy alone
	// is listed, and still fails against the baseline.
	doc, r = fx.scan(t, "--baseline", base, "--diff", "HEAD")
	if _, v := gplFindings(doc); r.code != 1 || !slices.Equal(v, []string{"fail"}) {
		t.Errorf("--diff HEAD --baseline: exit %d verdicts %q, want the second copy failing\n%s", r.code, v, r.stdout)
	}
	// An acceptance by the first copy's ID accepts that copy only.
	fx.write(t, "snipscan.toml", "[[accept]]\nid = \""+ids[0]+"\"\nreason = \"reviewed\"\n")
	doc, r = fx.scan(t)
	if _, v := gplFindings(doc); r.code != 1 || !slices.Equal(v, []string{"accepted", "fail"}) {
		t.Errorf("[[accept]] id of the first copy: exit %d verdicts %q", r.code, v)
	}
	os.Remove(filepath.Join(fx.repo, "snipscan.toml"))
	r = snipscan(t, nil, "scan", "--db", fx.db, "--format", "sarif", fx.repo)
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif: %v\n%s", err, r.stdout)
	}
	seen := map[string]bool{}
	for _, res := range log.Runs[0].Results {
		fp := res.PartialFingerprints["snipscanFinding/v1"]
		if seen[fp] {
			t.Errorf("SARIF fingerprint %s given to two results", fp)
		}
		seen[fp] = true
	}
}

func TestGateDiff(t *testing.T) {
	fx := newGateFixture(t)
	// Nothing changed since HEAD: nothing is reported.
	doc, r := fx.scan(t, "--diff", "HEAD")
	if r.code != 0 || doc.Summary.Matches != 0 || doc.Summary.OutsideDiff != 2 {
		t.Fatalf("no change: exit %d matches %d outside %d", r.code, doc.Summary.Matches, doc.Summary.OutsideDiff)
	}
	// A change inside the GPL copy, and a new untracked file with a copy.
	data, _ := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	fx.write(t, "gplcopy.go", strings.Replace(string(data), "\tcolumn := len(b.widths)", "\tcolumn := len(b.widths) // widths so far", 1))
	fx.write(t, "new.go", "package again\n\n"+fx.mitBody+"\n")
	doc, r = fx.scan(t, "--diff", "HEAD")
	v := verdicts(doc)
	if r.code != 1 || len(v) != 2 || v["gplcopy.go"] != "fail" || v["new.go"] != "warn" || doc.Summary.OutsideDiff != 1 {
		t.Errorf("changed: exit %d verdicts %v outside %d", r.code, v, doc.Summary.OutsideDiff)
	}
	if _, r := fx.scan(t, "--diff", "no-such-ref"); r.code != 2 || !strings.Contains(r.stderr, "not a revision") {
		t.Errorf("bad revision: exit %d %s", r.code, r.stderr)
	}
}

func TestGatePolicyFile(t *testing.T) {
	fx := newGateFixture(t)
	// Dates a week away in UTC, as the policy reads them: a run that
	// crosses midnight, or a local time zone ahead of UTC, changes nothing.
	now := time.Now().UTC()
	yesterday := now.AddDate(0, 0, -7).Format(time.DateOnly)
	tomorrow := now.AddDate(0, 0, 7).Format(time.DateOnly)
	policy := func(expires string) string {
		return `
[licenses]
allow = ["MIT"]

[[accept]]
path = "gplcopy.go"
reason = "relicensed by its author, see ticket 42"
expires = ` + expires + "\n"
	}
	fx.write(t, "snipscan.toml", policy(tomorrow))
	doc, r := fx.scan(t)
	v := verdicts(doc)
	if r.code != 0 || v["gplcopy.go"] != "accepted" || v["mitcopy.go"] != "pass" {
		t.Fatalf("accepted: exit %d verdicts %v\n%s", r.code, v, r.stderr)
	}
	if !strings.HasSuffix(doc.Summary.Policy, "snipscan.toml") {
		t.Errorf("summary.policy %q", doc.Summary.Policy)
	}
	// The acceptance expired: the finding fails again and says why.
	fx.write(t, "snipscan.toml", policy(yesterday))
	doc, r = fx.scan(t)
	if r.code != 1 || verdicts(doc)["gplcopy.go"] != "fail" {
		t.Fatalf("expired: exit %d verdicts %v", r.code, verdicts(doc))
	}
	for _, f := range doc.Files {
		if filepath.Base(f.Path) == "gplcopy.go" && !strings.Contains(f.Matches[0].Policy.Reasons[0], "acceptance expired on "+yesterday) {
			t.Errorf("expired reasons %q", f.Matches[0].Policy.Reasons)
		}
	}
	// The project's own license makes GPL code compatible; exclusions
	// and a minimum size remove findings; --policy overrides the file.
	other := filepath.Join(t.TempDir(), "other.yaml")
	os.WriteFile(other, []byte("project_license: GPL-3.0-only\nexclude: [mitcopy.go]\nminimum: {lines: 1000}\n"), 0o644)
	doc, r = fx.scan(t, "--policy", other)
	if r.code != 0 || doc.Summary.Matches != 0 || doc.Summary.BelowMinimum != 1 {
		t.Errorf("--policy other.yaml: exit %d matches %d below %d", r.code, doc.Summary.Matches, doc.Summary.BelowMinimum)
	}
	os.WriteFile(other, []byte("project_license: GPL-3.0-only\n"), 0o644)
	doc, r = fx.scan(t, "--policy", other)
	if v := verdicts(doc); r.code != 0 || v["gplcopy.go"] != "warn" {
		t.Errorf("GPL project: exit %d verdicts %v", r.code, v)
	}
	// A malformed policy is a usage error that points at the line.
	fx.write(t, "snipscan.toml", "[licenses]\ndeny = [\"copyleft\"]\n")
	if _, r := fx.scan(t); r.code != 2 || !strings.Contains(r.stderr, "snipscan.toml:2:9") {
		t.Errorf("malformed policy: exit %d %s", r.code, r.stderr)
	}
}

// TestNoticeFormat checks --format notice on the GOROOT corpus: the
// origin package, where its code is used, its copyright and the full
// license text that indexing kept (compared with GOROOT/LICENSE itself).
func TestNoticeFormat(t *testing.T) {
	db := gorootCorpus(t)
	root := goroot(t)
	license, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Skipf("GOROOT/LICENSE: %v", err)
	}
	list, err := os.ReadFile(filepath.Join(root, "src", "container", "list", "list.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "list.go"), list, 0o644)
	r := snipscan(t, nil, "scan", "--db", db, "--format", "notice", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"THIRD-PARTY SOFTWARE NOTICES", "pkg:golang/stdlib@", "License: BSD-3-Clause",
		"Copyright 2009 The Go Authors", filepath.Join(dir, "list.go") + " lines 1-", "(from container/list/list.go lines 1-",
		strings.TrimSpace(string(license))} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("notice lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestColor checks the text report's colours: on a terminal (a pty made by
// util-linux script) by default, never with NO_COLOR set or into a pipe,
// and as --color says.
func TestColor(t *testing.T) {
	fx := newGateFixture(t)
	const esc = "\x1b["
	if r := snipscan(t, nil, "scan", "--db", fx.db, fx.repo); strings.Contains(r.stdout, esc) {
		t.Errorf("colour into a pipe:\n%q", r.stdout)
	}
	if r := snipscan(t, nil, "scan", "--db", fx.db, "--color", "always", fx.repo); !strings.Contains(r.stdout, esc+"1;31m[FAIL]") {
		t.Errorf("--color always: no red FAIL:\n%q", r.stdout)
	}
	if r := snipscan(t, nil, "scan", "--db", fx.db, "--color", "sometimes", fx.repo); r.code != 2 || !strings.Contains(r.stderr, "--color") {
		t.Errorf("--color sometimes: exit %d %s", r.code, r.stderr)
	}
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("util-linux script not installed: no pty to test the terminal case")
	}
	onTTY := func(env ...string) string {
		t.Helper()
		cmd := exec.Command(scriptBin, "-qec", binary(t)+" scan --db "+fx.db+" "+fx.repo, "/dev/null")
		cmd.Env = append(append(os.Environ(), "TERM=xterm"), env...)
		out, _ := cmd.Output() // exit 1: the GPL copy fails
		return string(out)
	}
	if out := onTTY("NO_COLOR="); !strings.Contains(out, esc) {
		t.Errorf("terminal: no colour:\n%q", out)
	}
	if out := onTTY("NO_COLOR=1"); strings.Contains(out, esc) || !strings.Contains(out, "[FAIL]") {
		t.Errorf("terminal with NO_COLOR=1: colour or no report:\n%q", out)
	}
}

// drainFIFO returns what the reader of fifo got, once its writers are
// gone: a reader still waiting for a writer (none came) is released by
// opening the pipe for writing, without blocking, and closing it, as
// often as it takes the reader to get there.
func drainFIFO(fifo string, got <-chan []byte) []byte {
	for {
		select {
		case data := <-got:
			return data
		default:
		}
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		select {
		case data := <-got:
			return data
		case <-time.After(10 * time.Millisecond): // then try again: no outcome depends on this delay
		}
	}
}

// TestAttributionInArchive scans a zip holding a whole copy of a GOROOT
// file, its copyright header included: the attribution check reads the
// member inside the archive, as it reads a file on disk, and passes the
// finding.
func TestAttributionInArchive(t *testing.T) {
	db := gorootCorpus(t)
	data, err := os.ReadFile(filepath.Join(goroot(t), "src", "container", "ring", "ring.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("vendor/ring/ring.go")
	w.Write(data)
	zw.Close()
	arch := filepath.Join(dir, "app.zip")
	os.WriteFile(arch, buf.Bytes(), 0o644)
	doc, r := scanJSON(t, db, arch)
	if r.code != 0 || len(doc.Files) != 1 || len(doc.Files[0].Matches) == 0 {
		t.Fatalf("exit %d, files %+v\n%s", r.code, doc.Files, r.stderr)
	}
	m := doc.Files[0].Matches[0]
	if m.Policy.Verdict != "pass" || !strings.Contains(strings.Join(m.Policy.Reasons, "; "), "attributed in the target file") {
		t.Errorf("%s: verdict %q reasons %q, want pass, attributed in the target file", doc.Files[0].Path, m.Policy.Verdict, m.Policy.Reasons)
	}
}

// TestOutputSpecialFiles writes --output into a named pipe and through a
// symbolic link: the pipe must stay a pipe and get the report (a rename
// over /dev/null had replaced the device with a file), the link stay a
// link with its target replaced. A report replaced keeps its mode, a link
// loop is refused, and /dev/stdout redirected to a file is the stream.
func TestOutputSpecialFiles(t *testing.T) {
	fx := newGateFixture(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan []byte, 1)
	go func() {
		data, _ := os.ReadFile(fifo) // blocks until a writer opens it, reads until the last one closes it
		got <- data
	}()
	r := snipscan(t, nil, "scan", "--db", fx.db, "--format", "json", "--output", fifo, fx.repo)
	// The scan has ended: if it wrote into the pipe, the reader has (or
	// will have) all of it. If it did not, the reader still waits for a
	// writer: open and close the pipe as one until it gives up, with
	// nothing. Either way the outcome does not depend on timing.
	data := drainFIFO(fifo, got)
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("scan into a pipe: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	var doc struct{ Schema int }
	if json.Unmarshal(data, &doc) != nil || doc.Schema == 0 {
		t.Errorf("the pipe got %q, want the JSON report: the report went elsewhere", data)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe is no longer one: %v %v", fi.Mode(), err)
	}

	target, link := filepath.Join(dir, "real.json"), filepath.Join(dir, "link.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if r := snipscan(t, nil, "scan", "--db", fx.db, "--format", "json", "--output", link, fx.repo); r.code != 1 {
		t.Fatalf("scan through a link: exit %d\n%s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer one: %v", err)
	}
	if data, err := os.ReadFile(target); err != nil || json.Unmarshal(data, &doc) != nil {
		t.Errorf("the link's target holds %q (%v), want the JSON report", data, err)
	}

	// A report replaced keeps its mode (a private one stays private).
	private := filepath.Join(dir, "private.json")
	if err := os.WriteFile(private, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := snipscan(t, nil, "scan", "--db", fx.db, "--format", "json", "--output", private, fx.repo); r.code != 1 {
		t.Fatalf("scan over a private report: exit %d\n%s", r.code, r.stderr)
	}
	if fi, err := os.Stat(private); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the private report's mode is now %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	// A link that cannot be followed is refused, and stays.
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink(filepath.Join(dir, "loop.json"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dangling, filepath.Join(dir, "loop.json")); err != nil {
		t.Fatal(err)
	}
	if r := snipscan(t, nil, "scan", "--db", fx.db, "--format", "json", "--output", dangling, fx.repo); r.code == 0 || r.code == 1 || !strings.Contains(r.stderr, "symbolic link") {
		t.Errorf("scan into a link loop: exit %d, %s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(dangling); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the looping link is no longer one: %v", err)
	}

	// /dev/stdout when stdout is a file being appended to: the report is
	// appended to the stream, what was there before stays.
	logPath := filepath.Join(dir, "log.txt")
	if err := os.WriteFile(logPath, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), "scan", "--db", fx.db, "--format", "json", "--output", "/dev/stdout", fx.repo)
	cmd.Stdout = logFile
	err = cmd.Run()
	logFile.Close()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("scan into /dev/stdout: %v", err)
	}
	if data, _ := os.ReadFile(logPath); !strings.HasPrefix(string(data), "before\n{") {
		t.Errorf("stdout's file holds %.40q..., want what was there, then the report", data)
	}
}

// commonLicense returns a license text of Debian's common-licenses.
func commonLicense(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("/usr/share/common-licenses", name))
	if err != nil {
		t.Skipf("no %s text to use as the project's license: %v", name, err)
	}
	return string(data)
}

// TestProjectLicenseOfSeveralFiles: an LGPL-3.0 project holds the GPL-3.0
// text (COPYING) beside the LGPL-3.0 one (COPYING.LESSER), which
// incorporates it. Its license is LGPL-3.0, read from both files as
// indexing reads them, not GPL-3.0 from the first: GPL-3.0-or-later code
// is not compatible with it and fails.
func TestProjectLicenseOfSeveralFiles(t *testing.T) {
	fx := newGateFixture(t)
	fx.write(t, "COPYING", commonLicense(t, "GPL-3"))
	doc, r := fx.scan(t)
	if v := verdicts(doc); v["gplcopy.go"] != "warn" {
		t.Fatalf("GPL-3.0 project: exit %d verdicts %v\n%s", r.code, v, r.stderr)
	}
	fx.write(t, "COPYING.LESSER", commonLicense(t, "LGPL-3"))
	doc, r = fx.scan(t)
	if v := verdicts(doc); r.code != 1 || v["gplcopy.go"] != "fail" {
		t.Errorf("LGPL-3.0 project (COPYING and COPYING.LESSER): exit %d verdicts %v, want gplcopy.go to fail\n%s", r.code, v, r.stdout)
	}
}

// TestProjectLicenseChoiceOrCombination: a project offered under a
// choice (LICENSE-BSD and LICENSE-GPL, files named after their license:
// BSD-3-Clause OR GPL-3.0-only) cannot take GPL code, which would take
// the BSD choice away: it fails. A project under both at once (LICENSE
// and COPYING: BSD-3-Clause AND GPL-3.0-only) is GPL as a whole: the
// same code is compatible and warns.
func TestProjectLicenseChoiceOrCombination(t *testing.T) {
	fx := newGateFixture(t)
	bsd, err := os.ReadFile(filepath.Join(goroot(t), "LICENSE"))
	if err != nil {
		t.Skipf("GOROOT/LICENSE: %v", err)
	}
	gpl := commonLicense(t, "GPL-3")
	fx.write(t, "LICENSE-BSD", string(bsd))
	fx.write(t, "LICENSE-GPL", gpl)
	doc, r := fx.scan(t)
	if v := verdicts(doc); r.code != 1 || v["gplcopy.go"] != "fail" {
		t.Errorf("BSD-3-Clause OR GPL-3.0-only project: exit %d verdicts %v, want gplcopy.go to fail\n%s", r.code, v, r.stdout)
	}
	os.Remove(filepath.Join(fx.repo, "LICENSE-BSD"))
	os.Remove(filepath.Join(fx.repo, "LICENSE-GPL"))
	fx.write(t, "LICENSE", string(bsd))
	fx.write(t, "COPYING", gpl)
	doc, r = fx.scan(t)
	if v := verdicts(doc); v["gplcopy.go"] != "warn" {
		t.Errorf("BSD-3-Clause AND GPL-3.0-only project: exit %d verdicts %v, want gplcopy.go to warn\n%s", r.code, v, r.stdout)
	}
}

// TestFailOnOnlyCoversOrLater: --fail-on GPL-3.0-only, or the deprecated
// GPL-3.0, fails GPL-3.0-or-later code (the licensee may take it as
// GPL-3.0-only), and says which rule decided; so does a policy file's
// list, even where the file allows strong copyleft.
func TestFailOnOnlyCoversOrLater(t *testing.T) {
	fx := newGateFixture(t)
	for _, id := range []string{"GPL-3.0-only", "GPL-3.0"} {
		doc, r := fx.scan(t, "--fail-on", id)
		if v := verdicts(doc); r.code != 1 || v["gplcopy.go"] != "fail" {
			t.Errorf("--fail-on %s on GPL-3.0-or-later code: exit %d verdicts %v, want it to fail", id, r.code, v)
			continue
		}
		want := "GPL-3.0-or-later is denied by --fail-on " + id + " (a rule on GPL-3.0-only covers GPL-3.0-or-later)"
		for _, f := range doc.Files {
			if filepath.Base(f.Path) == "gplcopy.go" && !slices.Contains(f.Matches[0].Policy.Reasons, want) {
				t.Errorf("--fail-on %s: reasons %q, want %q", id, f.Matches[0].Policy.Reasons, want)
			}
		}
	}
	fx.write(t, "snipscan.toml", "[licenses]\nallow = [\"strong-copyleft\"]\ndeny = [\"GPL-3.0\"]\n")
	if doc, r := fx.scan(t); r.code != 1 || verdicts(doc)["gplcopy.go"] != "fail" {
		t.Errorf("deny = [\"GPL-3.0\"]: exit %d verdicts %v, want gplcopy.go to fail", r.code, verdicts(doc))
	}
	// --fail-on's list says exactly what fails: the policy's allow rule
	// on the -or-later ID gives way to a listed -only ID.
	fx.write(t, "snipscan.toml", "[licenses]\nallow = [\"GPL-3.0-or-later\"]\n")
	if doc, r := fx.scan(t, "--fail-on", "GPL-3.0-only"); r.code != 1 || verdicts(doc)["gplcopy.go"] != "fail" {
		t.Errorf("--fail-on GPL-3.0-only over allow = [\"GPL-3.0-or-later\"]: exit %d verdicts %v, want gplcopy.go to fail", r.code, verdicts(doc))
	}
}

// TestFailOnListOverridesUnknown: --fail-on LIST fails exactly the listed
// categories and IDs, so a policy's fail_on_unknown gives way; an
// unknown license fails when "unknown" is listed.
func TestFailOnListOverridesUnknown(t *testing.T) {
	fx := newGateFixture(t)
	body, _, _ := goFunc(t, "strings/strings.go", "Fields")
	src := filepath.Join(t.TempDir(), "unlicensed", "fields.go")
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, []byte("package unlicensed\n\n"+body+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := snipscan(t, nil, "index", "--db", fx.db, filepath.Dir(src)); r.code != 0 {
		t.Fatalf("index: %d %s", r.code, r.stderr)
	}
	code, _, _ := paste(t, "../../walk/walk.go", body)
	fx.write(t, "unknown.go", code)
	fx.write(t, "snipscan.toml", "fail_on_unknown = true\n")
	doc, r := fx.scan(t)
	if v := verdicts(doc); r.code != 1 || v["unknown.go"] != "fail" {
		t.Fatalf("fail_on_unknown: exit %d verdicts %v\n%s", r.code, v, r.stderr)
	}
	doc, r = fx.scan(t, "--fail-on", "network-copyleft")
	if v := verdicts(doc); r.code != 0 || v["unknown.go"] != "warn" || v["gplcopy.go"] != "warn" {
		t.Errorf("fail_on_unknown with --fail-on network-copyleft: exit %d verdicts %v, want nothing to fail", r.code, v)
	}
	doc, r = fx.scan(t, "--fail-on", "unknown")
	if v := verdicts(doc); r.code != 1 || v["unknown.go"] != "fail" || v["gplcopy.go"] != "warn" {
		t.Errorf("--fail-on unknown: exit %d verdicts %v", r.code, v)
	}
	for _, f := range doc.Files {
		if filepath.Base(f.Path) == "unknown.go" && !slices.Contains(f.Matches[0].Policy.Reasons, "an unknown license is denied by --fail-on unknown") {
			t.Errorf("--fail-on unknown: reasons %q", f.Matches[0].Policy.Reasons)
		}
	}
}

// TestNoticeAttributesItsOwnPath: a NOTICE in one scanned PATH attributes
// the findings below that PATH, not those of another PATH scanned beside
// it.
func TestNoticeAttributesItsOwnPath(t *testing.T) {
	fx := newGateFixture(t)
	fx.copyTo(t, "a/a.go", false)
	fx.copyTo(t, "b/b.go", false)
	fx.write(t, "b/NOTICE", "This product includes software by Mit Author (MIT license).\n")
	a, b := filepath.Join(fx.repo, "a"), filepath.Join(fx.repo, "b")
	for _, args := range [][]string{{a}, {a, b}, {b, a}} {
		doc, r := scanJSON(t, fx.db, args...)
		v := verdicts(doc)
		if v["a.go"] != "warn" || len(args) > 1 && v["b.go"] != "pass" {
			t.Errorf("scan %v: verdicts %v, want a.go to warn (not attributed) and b.go to pass (b/NOTICE)\n%s", args, v, r.stderr)
		}
	}
}

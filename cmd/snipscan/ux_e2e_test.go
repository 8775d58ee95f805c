package main

// End-to-end tests of what the user reads: flags, messages, the text
// report's layout, progress, info and merge.

import (
	"bufio"
	"bytes"
	"context"
	encbin "encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/walk"
)

// TestNonsenseFlags gives every numeric flag of every command a value
// that means nothing (a negative count, a zero size, a window past the
// fingerprint's range): each is a usage error, exit 2, that names the
// flag and the values it takes, before any work: no database is created.
func TestNonsenseFlags(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "t.go")
	if err := os.WriteFile(target, []byte("package t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "new.db")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"scan", "--min-tokens", "-5"}, "--min-tokens -5: want at least 1"},
		{[]string{"scan", "--min-tokens", "0"}, "--min-tokens 0: want at least 1"},
		{[]string{"scan", "--max-df", "-1"}, "--max-df -1: want at least 1"},
		{[]string{"scan", "--max-file-size", "-1"}, "--max-file-size -1: want at least 1"},
		{[]string{"scan", "--lock-timeout", "-1s"}, "--lock-timeout -1s: want a duration of 0 or more"},
		{[]string{"scan", "--min-tokens", "many"}, "--min-tokens many: want a whole number"},
		{[]string{"index", "--workers", "-3"}, "--workers -3: want 1 to 1024, or 0 for the default"},
		{[]string{"index", "--k", "1"}, "-k 1: want 2 to 200, or 0 for the default"},
		{[]string{"index", "--w", "100000"}, "-w 100000: want 1 to 1000, or 0 for the default"},
		{[]string{"index", "--batch-postings", "-1"}, "--batch-postings -1: want at least 1, or 0 for the default"},
		{[]string{"index", "--max-file-size", "0"}, "--max-file-size 0: want at least 1"},
		{[]string{"index", "--lock-timeout", "-5s"}, "--lock-timeout -5s: want a duration of 0 or more"},
		{[]string{"merge", "--batch-postings", "-4"}, "--batch-postings -4: want at least 1"},
		{[]string{"merge", "--lock-timeout", "-1m"}, "--lock-timeout -1m: want a duration of 0 or more"},
		{[]string{"info", "--lock-timeout", "-1ms"}, "--lock-timeout -1ms: want a duration of 0 or more"},
		{[]string{"check", "--lock-timeout", "-1ms"}, "--lock-timeout -1ms: want a duration of 0 or more"},
		{[]string{"license", "--max-file-size", "-1"}, "--max-file-size -1: want at least 1"},
	} {
		args := append([]string{tc.args[0], "--db", db}, tc.args[1:]...)
		switch tc.args[0] {
		case "license":
			args = tc.args
		case "info", "check":
		default:
			args = append(args, target)
		}
		r := snipscan(t, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) || r.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and %q", args, r.code, r.stderr, r.stdout, tc.msg)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v: created the database %s", args, db)
		}
	}
}

// TestMergeTwiceSameSize merges two shards of GOROOT code into a database,
// then runs the same merge again: the second run adds nothing, says so,
// and leaves the file the same size (bbolt keeps the pages a rewrite
// frees, so records written again grew the file).
func TestMergeTwiceSameSize(t *testing.T) {
	src := filepath.Join(goroot(t), "src")
	dir := t.TempDir()
	a, b, merged := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "merged.db")
	for db, roots := range map[string][]string{a: {"net/http", "crypto"}, b: {"go", "crypto/tls"}} {
		args := []string{"index", "--db", db}
		for _, r := range roots {
			args = append(args, filepath.Join(src, r))
		}
		if r := snipscan(t, nil, args...); r.code != 0 {
			t.Fatalf("index %v: %s", roots, r.stderr)
		}
	}
	size := func() int64 {
		fi, err := os.Stat(merged)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	first := snipscan(t, nil, "merge", "--db", merged, a, b)
	if first.code != 0 {
		t.Fatalf("merge: %s", first.stderr)
	}
	size1 := size()
	second := snipscan(t, nil, "merge", "--db", merged, a, b)
	if second.code != 0 {
		t.Fatalf("merge again: %s", second.stderr)
	}
	if size2 := size(); size2 != size1 {
		t.Errorf("the same merge run twice: %d bytes after the first, %d after the second", size1, size2)
	}
	if !strings.Contains(second.stdout, " 0 new files") || !strings.Contains(second.stdout, "0 locations, 0 roots, 0 packages added or changed") {
		t.Errorf("the second merge does not say it added nothing:\n%s", second.stdout)
	}
	if r := snipscan(t, nil, "check", "--db", merged); r.code != 0 {
		t.Errorf("check after the second merge: %s", r.stderr)
	}
}

// TestInfoPackages indexes two Go modules of GOROOT code, one with a long
// module path, and checks that info lists each package with its root, in
// columns that line up whatever the length of the names.
func TestInfoPackages(t *testing.T) {
	src := filepath.Join(goroot(t), "src")
	dir := t.TempDir()
	mods := map[string]string{
		"short":                                  "example.com/a",
		filepath.Join("nested", "deeper", "mod"): "example.com/a/module/with/a/much/longer/path/than/the/other",
	}
	for sub, path := range mods {
		root := filepath.Join(dir, "tree", sub)
		copyTree(t, filepath.Join(src, "container", "list"), root)
		if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+path+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		license, err := os.ReadFile(filepath.Join(goroot(t), "LICENSE"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "LICENSE"), license, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(dir, "tree")); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	r := snipscan(t, nil, "info", "--db", db)
	if r.code != 0 {
		t.Fatalf("info: %s", r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	head := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "PACKAGE") })
	if head < 0 {
		t.Fatalf("info has no package table:\n%s", r.stdout)
	}
	col := func(l, word string) int { return strings.Index(l, word) }
	licCol, rootCol := col(lines[head], "LICENSE"), col(lines[head], "ROOT")
	rows := 0
	for sub, path := range mods {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), path+" ") })
		if i < 0 {
			t.Errorf("info does not list %s:\n%s", path, r.stdout)
			continue
		}
		rows++
		l := lines[i]
		if !strings.HasSuffix(l, filepath.Join(dir, "tree", sub)) {
			t.Errorf("the line of %s does not end with its root %s:\n%s", path, filepath.Join(dir, "tree", sub), l)
		}
		if col(l, "BSD-3-Clause") != licCol || col(l, filepath.Join(dir, "tree")) != rootCol {
			t.Errorf("columns do not line up:\n%s\n%s", lines[head], l)
		}
	}
	if rows != len(mods) {
		t.Errorf("%d of %d packages listed", rows, len(mods))
	}
}

// TestSeveralReports writes the JSON, HTML and SARIF reports of one scan
// beside the text on stdout, and refuses, before any work and writing no
// report, an unknown format, a missing directory and two reports to one
// file.
func TestSeveralReports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(goroot(t), "src", "container")); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	target := filepath.Join(dir, "target")
	copyTree(t, filepath.Join(goroot(t), "src", "container", "ring"), target)
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	in := func(name string) string { return filepath.Join(out, name) }
	r := snipscan(t, nil, "scan", "-v", "--db", db, "--report", "json="+in("r.json"), "--report", "html="+in("r.html"),
		"--report", "sarif="+in("r.sarif"), target)
	if r.code != 0 || !strings.Contains(r.stdout, "ring.go") || !strings.Contains(r.stdout, "files scanned") {
		t.Fatalf("scan: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	var doc jsonDoc
	if data, err := os.ReadFile(in("r.json")); err != nil || json.Unmarshal(data, &doc) != nil || len(doc.Files) == 0 {
		t.Errorf("--report json: %v, %d files\n%s", err, len(doc.Files), data)
	}
	if data, err := os.ReadFile(in("r.html")); err != nil || !bytes.HasPrefix(data, []byte("<!DOCTYPE html>")) || !bytes.Contains(data, []byte("ring.go")) {
		t.Errorf("--report html: %v, %.200s", err, data)
	}
	var sarif struct{ Version string }
	if data, err := os.ReadFile(in("r.sarif")); err != nil || json.Unmarshal(data, &sarif) != nil || sarif.Version != "2.1.0" {
		t.Errorf("--report sarif: %v, %.200s", err, data)
	}

	good := "json=" + in("good.json")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--report", good, "--report", "xml=" + in("x")}, `--report xml=` + in("x") + `: unknown format "xml"`},
		{[]string{"--report", good, "--report", "json"}, "--report json: want FORMAT=FILE"},
		{[]string{"--report", good, "--report", "html=" + filepath.Join(dir, "missing", "r.html")}, "no such file or directory"},
		{[]string{"--report", good, "--report", "html=" + in("good.json")}, "writes that file already"},
		{[]string{"--output", in("good.json"), "--report", good}, "--output " + in("good.json") + " writes that file already"},
	} {
		// A database that does not exist: a refusal comes before it is opened.
		args := append(append([]string{"scan", "--db", filepath.Join(dir, "none.db")}, tc.args...), target)
		r := snipscan(t, nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.stderr, tc.msg)
		}
		if _, err := os.Stat(in("good.json")); err == nil {
			t.Fatalf("%v: the report %s was written", tc.args, in("good.json"))
		}
	}
}

// TestTextReportLayout scans a repository with a failing copy (GPL), an
// attributed one (MIT, named in NOTICE) and the files a project keeps
// beside its code: the text report leads with the summary and the failing
// finding; the passing one is counted, and listed only with -v; the
// manifests, license, notice, policy file and README are not counted as
// skipped code but as not code, in the text and in the JSON.
func TestTextReportLayout(t *testing.T) {
	fx := newGateFixture(t)
	license, err := os.ReadFile(filepath.Join(goroot(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"go.mod":        "module example.com/app\n\ngo 1.26\n",
		"package.json":  `{"name": "app", "version": "1.0.0"}` + "\n",
		"LICENSE":       string(license),
		"NOTICE":        "This product includes code by Mit Author.\n",
		"snipscan.toml": "attribution = true\n",
		"README.md":     "# app\n",
	} {
		fx.write(t, name, content)
	}
	r := snipscan(t, nil, "scan", "--db", fx.db, fx.repo)
	lines := strings.Split(r.stdout, "\n")
	if r.code != 1 || len(lines) < 4 {
		t.Fatalf("scan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	summary := lines[0]
	if !strings.HasPrefix(summary, "2 files scanned, 2 with matches, 2 matches: 1 fail, 0 warn, 1 pass") ||
		strings.Contains(summary, "skipped") || !strings.Contains(summary, "6 not code") {
		t.Errorf("summary line: %q", summary)
	}
	if lines[1] != "1 passing or accepted finding not listed (-v lists it)" || lines[3] != "Failing findings (1)" {
		t.Errorf("the summary is not followed by the count of hidden findings and the failing ones:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "gplcopy.go") || strings.Contains(r.stdout, "mitcopy.go") {
		t.Errorf("without -v: the failing copy is not listed, or the passing one is:\n%s", r.stdout)
	}
	v := snipscan(t, nil, "scan", "-v", "--db", fx.db, fx.repo)
	if i, j := strings.Index(v.stdout, "Failing findings (1)"), strings.Index(v.stdout, "Passing findings (1)"); i < 0 || j < i ||
		!strings.Contains(v.stdout[j:], "mitcopy.go") || !strings.Contains(v.stdout[j:], "attributed in") {
		t.Errorf("with -v, the passing finding is not listed after the failing one, with its reason:\n%s", v.stdout)
	}
	var doc struct {
		Summary struct {
			FilesSkipped int `json:"files_skipped"`
			FilesNotCode int `json:"files_not_code"`
		} `json:"summary"`
	}
	j := snipscan(t, nil, "scan", "--format", "json", "--db", fx.db, fx.repo)
	if err := json.Unmarshal([]byte(j.stdout), &doc); err != nil || doc.Summary.FilesSkipped != 0 || doc.Summary.FilesNotCode != 6 {
		t.Errorf("JSON summary: %+v, %v", doc.Summary, err)
	}
}

// TestProgressOnTerminal scans two GOROOT directories with stderr on a
// pseudo-terminal, so that the progress bar is drawn (the test hook makes
// the scan wait until the bar has shown its total), and holds the
// process after the scan, its report half written to a full pipe: the
// terminal's output must end with the bar's line cleared, and nothing
// drawn after it.
func TestProgressOnTerminal(t *testing.T) {
	db := gorootCorpus(t)
	src := filepath.Join(goroot(t), "src")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(binary(t), "scan", "--db", db, "--format", "json", filepath.Join(src, "net"), filepath.Join(src, "go"))
	cmd.Env = append(os.Environ(), "TERM=xterm", testProgressEnv+"=1")
	cmd.Stderr = tty
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	term := &terminal{wrote: make(chan struct{}, 1)}
	copied := make(chan struct{})
	go func() {
		io.Copy(term, ptmx) // ends when the process closes the terminal
		close(copied)
	}()
	// The report is written once the scan is done and the bar stopped; it
	// is larger than a pipe holds, so the process waits for it to be read.
	report := bufio.NewReader(stdout)
	if _, err := report.Peek(1); err != nil {
		t.Fatalf("no report: %v", err)
	}
	// A bar drawn again after its stop would show now.
	select {
	case <-term.wrote:
	case <-time.After(500 * time.Millisecond):
	}
	if _, err := io.Copy(io.Discard, report); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("scan: %v", err)
	}
	<-copied
	out := term.String()
	if !regexp.MustCompile(`(\r +\r|\x1b\[2K\r)$`).MatchString(out) {
		t.Errorf("the terminal's output does not end with the bar's line cleared:\n%q", out[max(0, len(out)-400):])
	}
	// Once known, the bar's total is the bytes of the files the scan
	// reads: source files by their names (and files without an
	// extension, which may be scripts), no larger than the size limit.
	var want int64
	for _, dir := range []string{"net", "go"} {
		err := filepath.WalkDir(filepath.Join(src, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			fi, err := d.Info()
			if _, ok := filecheck.ByName(p, false); ok && err == nil && fi.Size() <= walk.DefaultMaxFileSize {
				want += fi.Size()
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	wantMB := fmt.Sprintf("%.1f MB", float64(want)/1e6)
	totals := regexp.MustCompile(`/([0-9.]+ MB)[,)]`).FindAllStringSubmatch(out, -1)
	if len(totals) == 0 {
		t.Errorf("the bar never showed its total:\n%q", out[max(0, len(out)-400):])
	}
	for _, m := range totals {
		if m[1] != wantMB {
			t.Errorf("the bar's total is %s, not the %s (%d bytes) of the files the scan reads", m[1], wantMB, want)
			break
		}
	}
}

// terminal collects what a process writes to a pseudo-terminal, and
// signals each write.
type terminal struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case t.wrote <- struct{}{}:
	default:
	}
	return t.buf.Write(p)
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// jargon finds, in what snipscan prints, the words of Go's runtime, of
// bbolt's assertions and of decoders, which mean nothing to a user.
var jargon = regexp.MustCompile(`panic|assertion failed|runtime error|goroutine|self identifies|out of range|invalid memory|\bpolicy\.(glob|rule|expression|date|file)\b|struct \{|!!|unmarshal|interface \{|\bwalk: |\bstat |\bopen /`)

// TestCheckDamaged damages a real database (GOROOT code) page by page,
// at each page's header and inside it, and runs check on each copy: a
// damage found is exit 2 and said in snipscan's words, never with a
// panic's text or bbolt's assertions. The binary checks the damages of
// bbolt's meta page and of the first page of the tree; the other pages
// run the same command in-process.
func TestCheckDamaged(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if r := snipscan(t, nil, "index", "--db", good, filepath.Join(goroot(t), "src", "container")); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(encbin.LittleEndian.Uint32(data[24:]))
	damaged := filepath.Join(dir, "damaged.db")
	damage := func(page, off int) {
		t.Helper()
		bad := bytes.Clone(data)
		copy(bad[page*pageSize+off:], bytes.Repeat([]byte{0xff}, 64))
		if err := os.WriteFile(damaged, bad, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, page := range []int{1, 2} {
		damage(page, 0)
		r := snipscan(t, nil, "check", "--db", damaged)
		if r.code != 2 || !strings.Contains(r.stderr, "damaged") || jargon.MatchString(r.stderr) {
			t.Errorf("check of a database whose page %d is damaged: exit %d, stderr %q", page, r.code, r.stderr)
		}
	}
	found := 0
	for page := 1; page < len(data)/pageSize; page++ {
		for _, off := range []int{0, 100} {
			damage(page, off)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"check", "--db", damaged}, env{stdout: &stdout, stderr: &stderr, getenv: os.Getenv})
			switch {
			case code == 0 && strings.HasPrefix(stdout.String(), "ok: "):
			case code == 2 && stdout.Len() == 0 && !jargon.MatchString(stderr.String()):
				found++
			default:
				t.Errorf("check with page %d damaged at byte %d: exit %d\nstdout: %s\nstderr: %s", page, off, code, stdout.String(), stderr.String())
			}
		}
	}
	if found == 0 {
		t.Error("no damage was found")
	}
}

// TestReasonsNameTheRule scans a GPL copy and an MIT copy under the
// built-in policy, under --fail-on lists and under a policy file: each
// finding's reasons name the rule that decided its verdict, and an
// attributed copy is not said to require attribution.
func TestReasonsNameTheRule(t *testing.T) {
	fx := newGateFixture(t)
	reasons := func(doc jsonDoc) map[string]string {
		out := map[string]string{}
		for _, f := range doc.Files {
			if len(f.Matches) > 0 {
				m := f.Matches[0]
				out[filepath.Base(f.Path)] = m.Policy.Verdict + ": " + strings.Join(m.Policy.Reasons, "; ")
			}
		}
		return out
	}
	check := func(what string, doc jsonDoc, want map[string][]string, notWant map[string]string) {
		t.Helper()
		got := reasons(doc)
		for file, words := range want {
			for _, w := range words {
				if !strings.Contains(got[file], w) {
					t.Errorf("%s: %s: %q lacks %q", what, file, got[file], w)
				}
			}
		}
		for file, w := range notWant {
			if strings.Contains(got[file], w) {
				t.Errorf("%s: %s: %q says %q", what, file, got[file], w)
			}
		}
	}
	doc, _ := fx.scan(t)
	check("built-in policy", doc, map[string][]string{
		"gplcopy.go": {"fail: ", "strong-copyleft is denied by the built-in policy"},
		"mitcopy.go": {"warn: ", "MIT requires attribution", "permissive is warned about by the built-in policy until attributed"},
	}, nil)
	doc, _ = fx.scan(t, "--fail-on", "MIT")
	check("--fail-on MIT", doc, map[string][]string{
		"gplcopy.go": {"warn: ", "strong-copyleft is warned about by --fail-on MIT"},
		"mitcopy.go": {"fail: ", "MIT is denied by --fail-on MIT"},
	}, nil)
	fx.write(t, "snipscan.toml", "[licenses]\ndeny = [\"strong-copyleft\"]\nallow = [\"permissive\"]\n")
	doc, _ = fx.scan(t)
	policyFile := filepath.Join(fx.repo, "snipscan.toml")
	check("policy file", doc, map[string][]string{
		"gplcopy.go": {"fail: ", "strong-copyleft is denied by licenses.deny in " + policyFile},
		"mitcopy.go": {"pass: ", "permissive is allowed by licenses.allow in " + policyFile},
	}, nil)
	os.Remove(policyFile)
	fx.write(t, "NOTICE", "This product includes software by Mit Author (MIT license).\n")
	doc, _ = fx.scan(t)
	check("attributed", doc, map[string][]string{
		"mitcopy.go": {"pass: ", "attributed in " + filepath.Join(fx.repo, "NOTICE"), "permissive is allowed by the built-in policy once attributed"},
	}, map[string]string{"mitcopy.go": "requires attribution"})
}

// TestOwnWords runs commands on bad input and reads what they print: a
// policy of the wrong type, PATHs that do not exist or are not files, a
// corrupt archive, license on paths of which some could not be read. Each
// is exit 2 with a message in snipscan's words (no Go type, no system
// call, no "walk:"), and says "the other paths" only when there were some.
func TestOwnWords(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if r := snipscan(t, nil, "index", "--db", db, filepath.Join(goroot(t), "src", "container", "list")); r.code != 0 {
		t.Fatalf("index: %s", r.stderr)
	}
	target := filepath.Join(dir, "target")
	copyTree(t, filepath.Join(goroot(t), "src", "container", "list"), target)
	license := filepath.Join(dir, "LICENSE")
	gpl, err := os.ReadFile(filepath.Join(goroot(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("LICENSE", string(gpl))
	corrupt := write("broken.zip", "PK\x03\x04 this is not really a zip archive, only its first bytes")
	yamlPolicy := write("policy.yaml", "exclude: 3\n")
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	for _, tc := range []struct {
		args        []string
		msg         string
		others      bool   // the message says the other paths were read
		stdoutHolds string // what the paths read give
	}{
		{[]string{"scan", "--db", db, "--policy", yamlPolicy, target}, yamlPolicy + ":1:10: exclude: want a list of globs, not the number 3", false, ""},
		{[]string{"scan", "--db", db, missing}, missing + ": no such file or directory", false, ""},
		{[]string{"index", "--db", db, fifo}, fifo + ": not a directory, an archive or a file", false, ""},
		{[]string{"scan", "--db", db, "--policy", missing, target}, "policy " + missing + ": no such file or directory", false, ""},
		{[]string{"scan", "--db", db, "--baseline", missing, target}, "--baseline " + missing + ": no such file or directory", false, ""},
		{[]string{"license", missing}, missing + ": no such file or directory", false, ""},
		{[]string{"license", fifo}, fifo + ": not a directory, an archive or a file", false, ""},
		{[]string{"license", corrupt}, "could not read " + corrupt + ": corrupt archive", false, ""},
		{[]string{"license", corrupt, license}, "could not read " + corrupt + ": corrupt archive", true, "BSD-3-Clause"},
	} {
		r := snipscan(t, nil, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) || jargon.MatchString(r.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q, in snipscan's words", tc.args, r.code, r.stderr, tc.msg)
		}
		if got := strings.Contains(r.stderr, "the other paths"); got != tc.others {
			t.Errorf("%v: says the other paths were read: %v, want %v:\n%s", tc.args, got, tc.others, r.stderr)
		}
		if !strings.Contains(r.stdout, tc.stdoutHolds) {
			t.Errorf("%v: stdout lacks %q:\n%s", tc.args, tc.stdoutHolds, r.stdout)
		}
	}
}

// TestReadmeInstall runs the install command of README.md's Install
// section from the root of this clone, into a directory of its own, and
// runs the binary it installs.
func TestReadmeInstall(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Install\n")
	if !ok {
		t.Fatal("README.md has no Install section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || strings.TrimSpace(block) == "" {
		t.Fatalf("the Install section has no sh block:\n%s", section)
	}
	bin := t.TempDir()
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOBIN="+bin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s (in %s): %v\n%s", line, root, err, out)
		}
	}
	out, err := exec.Command(filepath.Join(bin, "snipscan"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "snipscan ") {
		t.Errorf("the installed snipscan: %v\n%s", err, out)
	}
}

// TestBinaryRaceDetector: under go test -race, the command the end-to-end
// tests build and run has the race detector too, so that a data race in
// it fails them; without -race it has not.
func TestBinaryRaceDetector(t *testing.T) {
	out, err := exec.Command("go", "version", "-m", binary(t)).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	if got := strings.Contains(string(out), "-race=true"); got != raceEnabled {
		t.Errorf("the command is built with the race detector: %v, the tests: %v\n%s", got, raceEnabled, out)
	}
}

// TestPolicyFileNamesDocumented: every name a policy file is looked for
// under is in README.md and in scan -h.
func TestPolicyFileNamesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	help := snipscan(t, nil, "scan", "-h")
	for _, name := range policy.FileNames {
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("README.md does not name the policy file %s", name)
		}
		if !regexp.MustCompile(`(^|[\s(])` + regexp.QuoteMeta(name) + `\b`).MatchString(help.stdout + help.stderr) {
			t.Errorf("scan -h does not name the policy file %s", name)
		}
	}
}

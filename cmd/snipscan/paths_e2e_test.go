package main

// End-to-end tests of where a scan stands: finding IDs and baselines that
// do not depend on how PATH is spelled, LICENSE/NOTICE/policy files at
// the repository's top applying to a scan of a subdirectory, files git
// ignores, and --exclude.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/match"
)

// pathsDoc is the part of the JSON report these tests read.
type pathsDoc struct {
	IDVersion int `json:"id_version"`
	Summary   struct {
		FilesScanned int `json:"files_scanned"`
		Matches      int `json:"matches"`
		Failing      int `json:"failing"`
		Excluded     int `json:"excluded"`
		Ignored      int `json:"ignored"`
	} `json:"summary"`
	Files []struct {
		Path    string `json:"path"`
		Matches []struct {
			ID     string `json:"id"`
			Kind   string `json:"kind"`
			Source struct {
				Path  string `json:"path"`
				Lines [2]int `json:"lines"`
			} `json:"source"`
			Policy struct {
				Verdict    string   `json:"verdict"`
				Reasons    []string `json:"reasons"`
				InBaseline bool     `json:"in_baseline"`
			} `json:"policy"`
		} `json:"matches"`
	} `json:"files"`
}

// scanIn runs snipscan scan --format json in the directory dir.
func (fx *gateFixture) scanIn(t *testing.T, dir string, args ...string) (pathsDoc, result) {
	t.Helper()
	r := runIn(t, dir, nil, append([]string{"scan", "--db", fx.db, "--format", "json"}, args...)...)
	var doc pathsDoc
	if r.code != 2 {
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("scan %v in %s: %v\n%s\n%s", args, dir, err, r.stdout, r.stderr)
		}
	}
	return doc, r
}

// byRepoPath maps each reported file, by its path relative to the
// repository (the scan ran in dir), to a summary of its findings: id and
// verdict of each.
func (fx *gateFixture) byRepoPath(t *testing.T, dir string, doc pathsDoc) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range doc.Files {
		p := f.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		rel, err := filepath.Rel(fx.repo, p)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, m := range f.Matches {
			s = append(s, m.ID+" "+m.Policy.Verdict)
		}
		out[filepath.ToSlash(rel)] = strings.Join(s, ", ")
	}
	return out
}

// copyTo writes a copy of the fixture's GPL (gpl true) or MIT function,
// pasted into one of this project's files, at rel in the repository.
func (fx *gateFixture) copyTo(t *testing.T, rel string, gpl bool) {
	t.Helper()
	body := fx.mitBody
	if gpl {
		body = fx.gplBody
	}
	code, _, _ := paste(t, "../../walk/archive.go", body)
	p := filepath.Join(fx.repo, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFindingIDsAnyPathSpelling scans one repository as ".", as its
// absolute path, as "internal/.." and as ".." from a subdirectory, and the
// subdirectory alone: every finding keeps one ID.
func TestFindingIDsAnyPathSpelling(t *testing.T) {
	fx := newGateFixture(t)
	fx.copyTo(t, "internal/deep/gpl.go", true)
	internal := filepath.Join(fx.repo, "internal")
	want, r := fx.scanIn(t, fx.repo, ".")
	if r.code != 1 || len(want.Files) != 3 {
		t.Fatalf("scan .: exit %d, %d files\n%s", r.code, len(want.Files), r.stderr)
	}
	if want.IDVersion != 2 {
		t.Errorf("id_version %d, want 2", want.IDVersion)
	}
	wantIDs := fx.byRepoPath(t, fx.repo, want)
	for _, tc := range []struct{ dir, arg string }{
		{fx.repo, fx.repo},
		{fx.repo, "internal/.."},
		{internal, ".."},
		{fx.repo, "./"},
	} {
		doc, _ := fx.scanIn(t, tc.dir, tc.arg)
		if got := fx.byRepoPath(t, tc.dir, doc); !mapsEqual(got, wantIDs) {
			t.Errorf("scan %s in %s: findings\n%v\nwant (scan . at the top)\n%v", tc.arg, tc.dir, got, wantIDs)
		}
	}
	// The subdirectory alone: its findings, with the same IDs.
	doc, _ := fx.scanIn(t, internal, ".")
	got := fx.byRepoPath(t, internal, doc)
	if len(got) != 1 || got["internal/deep/gpl.go"] != wantIDs["internal/deep/gpl.go"] {
		t.Errorf("scan . in internal: %v, want internal/deep/gpl.go: %s", got, wantIDs["internal/deep/gpl.go"])
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestBaselineAnyPathSpelling records a baseline with "scan ." at the
// top and uses it from a subdirectory and with an absolute path: its
// findings stay accepted. A baseline written before IDs were made
// relative to the repository (no id_version, IDs hashing the displayed
// path) still accepts the findings of a scan with the spelling it was
// recorded with, and says so when it matches nothing.
func TestBaselineAnyPathSpelling(t *testing.T) {
	fx := newGateFixture(t)
	fx.copyTo(t, "internal/gpl.go", true)
	_, r := fx.scanIn(t, fx.repo, ".")
	if r.code != 1 {
		t.Fatalf("scan .: exit %d\n%s", r.code, r.stderr)
	}
	base := filepath.Join(t.TempDir(), "base.json")
	if err := os.WriteFile(base, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, arg string }{
		{filepath.Join(fx.repo, "internal"), ".."},
		{fx.repo, fx.repo},
		{t.TempDir(), fx.repo},
	} {
		doc, r := fx.scanIn(t, tc.dir, "--baseline", base, tc.arg)
		if r.code != 0 || doc.Summary.Matches != 3 || doc.Summary.Failing != 0 || strings.Contains(r.stderr, "baseline") {
			t.Errorf("scan --baseline %s in %s: exit %d, %d matches, %d failing\n%s", tc.arg, tc.dir, r.code, doc.Summary.Matches, doc.Summary.Failing, r.stderr)
		}
		for _, f := range doc.Files {
			if !f.Matches[0].Policy.InBaseline && f.Matches[0].Policy.Verdict != "pass" {
				t.Errorf("scan --baseline %s in %s: %s not in the baseline: %+v", tc.arg, tc.dir, f.Path, f.Matches[0].Policy)
			}
		}
	}

	// The same report as an older snipscan wrote it: no id_version, ids
	// hashing the path as displayed ("./gplcopy.go").
	var old map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &old); err != nil {
		t.Fatal(err)
	}
	delete(old, "id_version")
	var doc pathsDoc
	json.Unmarshal([]byte(r.stdout), &doc)
	for i, f := range old["files"].([]any) {
		for j, m := range f.(map[string]any)["matches"].([]any) {
			dm := doc.Files[i].Matches[j]
			fd := match.Finding{Kind: dm.Kind, Source: match.Source{Path: dm.Source.Path, Lines: dm.Source.Lines}}
			m.(map[string]any)["id"] = fd.ID(doc.Files[i].Path)
		}
	}
	data, _ := json.Marshal(old)
	legacy := filepath.Join(t.TempDir(), "legacy.json")
	if err := os.WriteFile(legacy, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if doc, r := fx.scanIn(t, fx.repo, "--baseline", legacy, "."); r.code != 0 || doc.Summary.Failing != 0 || strings.Contains(r.stderr, "baseline") {
		t.Errorf("older baseline, same spelling: exit %d, %d failing\n%s", r.code, doc.Summary.Failing, r.stderr)
	}
	if _, r := fx.scanIn(t, fx.repo, "--baseline", legacy, fx.repo); r.code != 1 || !strings.Contains(r.stderr, "matches none") || !strings.Contains(r.stderr, "older snipscan") {
		t.Errorf("older baseline, another spelling: exit %d, want 1 and a warning\n%s", r.code, r.stderr)
	}
}

// TestBaselineMatchingNothingWarns: a baseline whose findings are all
// gone while the scan has findings (recorded on another tree, or before
// the files moved) is reported on stderr; the verdicts are the scan's.
func TestBaselineMatchingNothingWarns(t *testing.T) {
	fx := newGateFixture(t)
	_, r := fx.scanIn(t, fx.repo, ".")
	base := filepath.Join(t.TempDir(), "base.json")
	if err := os.WriteFile(base, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, r := fx.scanIn(t, fx.repo, "--baseline", base, "."); r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Fatalf("matching baseline: exit %d\n%s", r.code, r.stderr)
	}
	fx.git(t, "mv", "gplcopy.go", "moved_gpl.go")
	fx.git(t, "mv", "mitcopy.go", "moved_mit.go")
	_, r = fx.scanIn(t, fx.repo, "--baseline", base, ".")
	if r.code != 1 || !strings.Contains(r.stderr, "warning: the baseline "+base+" (2 findings) matches none of the 2 findings") {
		t.Errorf("baseline matching nothing: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// A scan without findings says nothing about the baseline.
	empty := t.TempDir()
	if _, r := fx.scanIn(t, empty, "--baseline", base, "."); r.code != 0 || strings.Contains(r.stderr, "baseline") {
		t.Errorf("no findings: exit %d\n%s", r.code, r.stderr)
	}
}

// TestContextAtRepositoryTop: LICENSE, NOTICE and the policy file at the
// top of the repository apply to a scan of a subdirectory, so that
// "cd internal && snipscan scan --diff base ." gives the verdicts of the
// same scan at the top: the policy accepts a file by its path from the
// top, the GPL-3.0 LICENSE makes GPL code compatible (warn, not fail),
// and the NOTICE naming the MIT code's holder makes its copy pass.
func TestContextAtRepositoryTop(t *testing.T) {
	gpl3, err := os.ReadFile("/usr/share/common-licenses/GPL-3")
	if err != nil {
		t.Skipf("no GPL-3 text to use as the project's LICENSE: %v", err)
	}
	fx := newGateFixture(t)
	fx.write(t, "LICENSE", string(gpl3))
	fx.write(t, "NOTICE", "This product includes software by Mit Author (MIT license).\n")
	fx.write(t, "snipscan.toml", "[[accept]]\npath = \"internal/accepted.go\"\nreason = \"reviewed\"\n")
	fx.git(t, "add", ".")
	fx.git(t, "commit", "-q", "-m", "project files")
	fx.git(t, "tag", "base")
	fx.copyTo(t, "internal/accepted.go", true)
	fx.copyTo(t, "internal/gpl.go", true)
	fx.copyTo(t, "internal/mit.go", false)

	top, r := fx.scanIn(t, fx.repo, "--diff", "base", ".")
	want := map[string]string{}
	for p, s := range fx.byRepoPath(t, fx.repo, top) {
		want[p] = s[strings.IndexByte(s, ' ')+1:]
	}
	if r.code != 0 || !mapsEqual(want, map[string]string{"internal/accepted.go": "accepted", "internal/gpl.go": "warn", "internal/mit.go": "pass"}) {
		t.Fatalf("scan --diff base . at the top: exit %d, verdicts %v\n%s", r.code, want, r.stderr)
	}
	internal := filepath.Join(fx.repo, "internal")
	doc, r := fx.scanIn(t, internal, "--diff", "base", ".")
	got := fx.byRepoPath(t, internal, doc)
	if wantAll := fx.byRepoPath(t, fx.repo, top); r.code != 0 || !mapsEqual(got, wantAll) {
		t.Errorf("scan --diff base . in internal: exit %d, findings\n%v\nwant (at the top)\n%v\n%s", r.code, got, wantAll, r.stderr)
	}
	for _, f := range doc.Files {
		if m := f.Matches[0]; filepath.Base(f.Path) == "mit.go" && !slices.Contains(m.Policy.Reasons, "attributed in "+filepath.Join("..", "NOTICE")) {
			t.Errorf("mit.go: reasons %q, want attributed in ../NOTICE", m.Policy.Reasons)
		}
	}
}

// TestGitignore: files git ignores (a pattern of the top .gitignore, one
// of a nested .gitignore, one of a repository cloned inside) are not
// scanned, and are counted as ignored;
// a negated pattern and a tracked file that a pattern matches are
// scanned, as git sees them; --no-gitignore scans everything.
func TestGitignore(t *testing.T) {
	fx := newGateFixture(t)
	fx.write(t, ".gitignore", "*.gen.go\n!keep.gen.go\n")
	if err := os.MkdirAll(filepath.Join(fx.repo, "internal"), 0o755); err != nil {
		t.Fatal(err)
	}
	fx.write(t, "internal/.gitignore", "vendored/\n")
	fx.copyTo(t, "tracked.gen.go", true)
	fx.git(t, "add", "-f", ".gitignore", "internal/.gitignore", "tracked.gen.go")
	fx.git(t, "commit", "-q", "-m", "ignores")
	fx.copyTo(t, "ignored.gen.go", true)
	fx.copyTo(t, "keep.gen.go", true)
	fx.copyTo(t, "internal/vendored/v.go", true)
	fx.copyTo(t, "internal/own.go", false)
	// A repository cloned inside, which the outer one does not track:
	// its own ignore rules apply below it.
	fx.copyTo(t, "internal/nested/skip.go", true)
	fx.copyTo(t, "internal/nested/kept.go", false)
	fx.write(t, "internal/nested/.gitignore", "skip.go\n")
	fx.git(t, "-C", "internal/nested", "init", "-q")

	files := func(doc pathsDoc, dir string) []string {
		var out []string
		for p := range fx.byRepoPath(t, dir, doc) {
			out = append(out, p)
		}
		slices.Sort(out)
		return out
	}
	doc, r := fx.scanIn(t, fx.repo, ".")
	want := []string{"gplcopy.go", "internal/nested/kept.go", "internal/own.go", "keep.gen.go", "mitcopy.go", "tracked.gen.go"}
	if got := files(doc, fx.repo); !slices.Equal(got, want) || doc.Summary.Ignored != 3 || doc.Summary.Excluded != 0 {
		t.Errorf("scan .: files %v, ignored %d, excluded %d; want %v, 3 ignored\n%s", got, doc.Summary.Ignored, doc.Summary.Excluded, want, r.stderr)
	}
	// From the subdirectory, its .gitignore and the top one apply.
	internal := filepath.Join(fx.repo, "internal")
	if doc, _ := fx.scanIn(t, internal, "."); !slices.Equal(files(doc, internal), []string{"internal/nested/kept.go", "internal/own.go"}) || doc.Summary.Ignored != 2 {
		t.Errorf("scan . in internal: files %v, ignored %d", files(doc, internal), doc.Summary.Ignored)
	}
	// -v lists what git ignored.
	if _, r := fx.scanIn(t, fx.repo, "-v", "."); !strings.Contains(r.stderr, "excluded ."+string(filepath.Separator)+"ignored.gen.go: ignored by git") {
		t.Errorf("-v does not list ignored.gen.go:\n%s", r.stderr)
	}
	doc, _ = fx.scanIn(t, fx.repo, "--no-gitignore", ".")
	want = []string{"gplcopy.go", "ignored.gen.go", "internal/nested/kept.go", "internal/nested/skip.go", "internal/own.go", "internal/vendored/v.go", "keep.gen.go", "mitcopy.go", "tracked.gen.go"}
	if got := files(doc, fx.repo); !slices.Equal(got, want) || doc.Summary.Ignored != 0 {
		t.Errorf("--no-gitignore: files %v, ignored %d; want %v", got, doc.Summary.Ignored, want)
	}
}

// TestExcludeFlag: --exclude, given twice, leaves out what each glob
// matches (relative to the scanned PATH), counted as excluded.
func TestExcludeFlag(t *testing.T) {
	fx := newGateFixture(t)
	fx.copyTo(t, "internal/gen/g.go", true)
	fx.copyTo(t, "internal/own.go", false)
	doc, r := fx.scanIn(t, t.TempDir(), "--exclude", "gplcopy.go", "--exclude", "**/gen", fx.repo)
	got := fx.byRepoPath(t, fx.repo, doc)
	if _, ok := got["gplcopy.go"]; ok || len(got) != 2 || got["mitcopy.go"] == "" || got["internal/own.go"] == "" || doc.Summary.Excluded != 2 {
		t.Errorf("two --exclude: exit %d, files %v, excluded %d; want mitcopy.go and internal/own.go, 2 excluded\n%s", r.code, got, doc.Summary.Excluded, r.stderr)
	}
	// Relative to the scanned PATH: from internal, "gen" is its gen.
	internal := filepath.Join(fx.repo, "internal")
	doc, _ = fx.scanIn(t, internal, "--exclude", "gen", ".")
	if got := fx.byRepoPath(t, internal, doc); len(got) != 1 || got["internal/own.go"] == "" {
		t.Errorf("--exclude gen in internal: files %v", got)
	}
	if _, r := fx.scanIn(t, fx.repo, "--exclude", "[", "."); r.code != 2 || !strings.Contains(r.stderr, "not a valid glob") {
		t.Errorf("--exclude [: exit %d\n%s", r.code, r.stderr)
	}
}

// TestGitignoreNamedPaths: a PATH inside a directory git ignores is
// scanned, as it was named, and the ignore rules still apply to the
// other PATHs, whatever their order.
func TestGitignoreNamedPaths(t *testing.T) {
	fx := newGateFixture(t)
	fx.write(t, ".gitignore", "gen/\nign/\n")
	fx.git(t, "add", ".gitignore")
	fx.git(t, "commit", "-q", "-m", "ignores")
	fx.copyTo(t, "a/gen/g.go", true)
	fx.copyTo(t, "a/own.go", false)
	fx.copyTo(t, "ign/x/x.go", true)
	want := []string{"a/own.go", "ign/x/x.go"}
	for _, args := range [][]string{{"ign/x", "a"}, {"a", "ign/x"}} {
		doc, r := fx.scanIn(t, fx.repo, args...)
		var got []string
		for p := range fx.byRepoPath(t, fx.repo, doc) {
			got = append(got, p)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) || doc.Summary.Ignored != 1 || strings.Contains(r.stderr, "git") {
			t.Errorf("scan %v: files %v, ignored %d; want %v, 1 ignored (a/gen)\n%s", args, got, doc.Summary.Ignored, want, r.stderr)
		}
	}
}

// TestGitFailsInOneWorkTree: when git fails in a work tree found inside
// the scanned one (here a .git file pointing nowhere), that tree's
// files are scanned with a warning, and the ignore rules of the others
// still apply to what is walked after it.
func TestGitFailsInOneWorkTree(t *testing.T) {
	fx := newGateFixture(t)
	fx.write(t, ".gitignore", "*.gen.go\n")
	fx.copyTo(t, "broken/b.gen.go", false)
	fx.copyTo(t, "broken/own.go", false)
	fx.write(t, "broken/.git", "gitdir: "+filepath.Join(t.TempDir(), "nowhere")+"\n")
	fx.copyTo(t, "zz/ignored.gen.go", true)
	doc, r := fx.scanIn(t, fx.repo, ".")
	got := fx.byRepoPath(t, fx.repo, doc)
	if _, ok := got["zz/ignored.gen.go"]; ok || got["broken/b.gen.go"] == "" || got["broken/own.go"] == "" || doc.Summary.Ignored != 1 {
		t.Errorf("files %v, ignored %d; want broken/b.gen.go and broken/own.go scanned, zz/ignored.gen.go ignored\n%s", got, doc.Summary.Ignored, r.stderr)
	}
	if !strings.Contains(r.stderr, "broken") {
		t.Errorf("no warning names the work tree git failed in:\n%s", r.stderr)
	}
}

// TestGitAskedOnce: git is asked once per directory and work tree
// (GIT_TRACE logs every git command): the progress bar's walk shares the
// scan's answers about ignored files, and --diff with two PATHs of one
// repository diffs it once.
func TestGitAskedOnce(t *testing.T) {
	fx := newGateFixture(t)
	fx.write(t, ".gitignore", "*.gen.go\n")
	fx.copyTo(t, "a/a.go", true)
	fx.copyTo(t, "a/a.gen.go", true)
	fx.copyTo(t, "b/b.go", false)
	trace := filepath.Join(t.TempDir(), "trace")
	r := snipscan(t, []string{"GIT_TRACE=" + trace}, "scan", "--db", fx.db, "--format", "json", "--progress", "always",
		"--diff", "HEAD", filepath.Join(fx.repo, "a"), filepath.Join(fx.repo, "b"))
	if r.code != 1 || !strings.Contains(r.stdout, "a.go") || strings.Contains(r.stdout, "a.gen.go") {
		t.Fatalf("scan: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	runs := func(cmd string) int { return strings.Count(string(data), "built-in: git "+cmd) }
	if n := runs("ls-files -z --others --ignored"); n != 2 {
		t.Errorf("git ls-files --ignored ran %d times, want 2 (a and b, each once)", n)
	}
	if n := runs("diff "); n != 1 {
		t.Errorf("git diff ran %d times, want once for the repository of both PATHs", n)
	}
}

// TestSamePathTwice scans one directory named three ways: its files are
// scanned once (they were scanned, and their findings reported, three
// times), and stderr says so.
func TestSamePathTwice(t *testing.T) {
	fx := newGateFixture(t)
	once := runIn(t, fx.repo, nil, "scan", "--db", fx.db, "--format", "json", ".")
	thrice := runIn(t, fx.repo, nil, "scan", "--db", fx.db, "--format", "json", ".", "../"+filepath.Base(fx.repo), fx.repo)
	count := func(r result) int {
		return strings.Count(r.stdout, `"fingerprint_id"`) + strings.Count(r.stdout, `"id":`)
	}
	if count(once) == 0 {
		t.Fatalf("no finding in the fixture:\n%s", once.stdout)
	}
	if thrice.code != once.code || count(thrice) != count(once) || !strings.Contains(thrice.stderr, "scanned once") {
		t.Errorf("one directory named three ways: exit %d, %d ids; named once: exit %d, %d ids\n%s", thrice.code, count(thrice), once.code, count(once), thrice.stderr)
	}
}

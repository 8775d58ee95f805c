package main

// End-to-end tests that run README.md's CI recipes as written, with the
// snipscan binary on PATH and the corpus in $SNIPSCAN_DB.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeBlock returns the lines of the first sh block of README.md after
// the line that starts with intro.
func readmeBlock(t *testing.T, intro string) []string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "\n"+intro)
	if !ok {
		t.Fatalf("README.md has no paragraph starting %q", intro)
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || strings.TrimSpace(block) == "" {
		t.Fatalf("no sh block after %q", intro)
	}
	return strings.Split(strings.TrimSpace(block), "\n")
}

// recipeEnv is the environment a recipe's commands run in: the binary
// on PATH, the corpus db, a git identity.
func recipeEnv(t *testing.T, db string) []string {
	return append(os.Environ(), "PATH="+filepath.Dir(binary(t))+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SNIPSCAN_DB="+db, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
}

// sh runs a shell command line in dir and returns its exit code and output.
func sh(t *testing.T, dir string, env []string, line string) (int, string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestReadmePullRequestRecipe runs the three commands of README.md's
// pull-request recipe in a clone whose main holds a failing finding:
// recording the baseline on main succeeds (a CI step that fails there
// records nothing), the diff against origin/main and the baseline pass
// the branch while it adds nothing, and the baseline fails it once it
// adds a copy.
func TestReadmePullRequestRecipe(t *testing.T) {
	fx := newGateFixture(t)
	fx.git(t, "branch", "-M", "main")
	work := filepath.Join(t.TempDir(), "work")
	if out, err := exec.Command("git", "clone", "-q", fx.repo, work).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	env := recipeEnv(t, fx.db)
	lines := readmeBlock(t, "For a pull request, gate on what it changes:")
	if len(lines) != 3 {
		t.Fatalf("the recipe has %d commands, the test knows 3:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	diff, record, baseline := lines[0], lines[1], lines[2]
	if code, out := sh(t, work, env, record); code != 0 {
		t.Fatalf("%s on main (a failing finding): exit %d, want 0\n%s", record, code, out)
	}
	sh(t, work, env, "git checkout -q -b feature")
	for _, line := range []string{diff, baseline} {
		if code, out := sh(t, work, env, line); code != 0 {
			t.Errorf("%s on a branch that adds nothing: exit %d, want 0\n%s", line, code, out)
		}
	}
	os.WriteFile(filepath.Join(work, "again.go"), []byte("package again\n\n"+fx.gplBody+"\n"), 0o644)
	for _, line := range []string{diff, baseline} {
		if code, out := sh(t, work, env, line); code != 1 || !strings.Contains(out, "again.go") {
			t.Errorf("%s on a branch that adds a GPL copy: exit %d, want 1 naming again.go\n%s", line, code, out)
		}
	}
}

// TestReadmePreCommitHook installs README.md's pre-commit hook in a
// repository without a commit yet: the first commit, which holds a GPL
// copy, is refused with the finding named; without it, the commit is
// made; the next commit is checked on its changes.
func TestReadmePreCommitHook(t *testing.T) {
	fx := newGateFixture(t)
	env := recipeEnv(t, fx.db)
	repo := filepath.Join(t.TempDir(), "new")
	if code, out := sh(t, t.TempDir(), env, "git init -q "+repo); code != 0 {
		t.Fatalf("git init: %s", out)
	}
	hook := strings.Join(readmeBlock(t, "A pre-commit hook"), "\n") + "\n"
	if err := os.WriteFile(filepath.Join(repo, ".git", "hooks", "pre-commit"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	gpl, _ := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	mit, _ := os.ReadFile(filepath.Join(fx.repo, "mitcopy.go"))
	os.WriteFile(filepath.Join(repo, "gplcopy.go"), gpl, 0o644)
	os.WriteFile(filepath.Join(repo, "mitcopy.go"), mit, 0o644)
	sh(t, repo, env, "git add .")
	if code, out := sh(t, repo, env, "git commit -q -m first"); code == 0 || !strings.Contains(out, "gplcopy.go") || strings.Contains(out, "not a revision") {
		t.Errorf("first commit with a GPL copy: exit %d, want it refused by the hook naming gplcopy.go\n%s", code, out)
	}
	sh(t, repo, env, "git rm -q --cached gplcopy.go && rm gplcopy.go")
	if code, out := sh(t, repo, env, "git commit -q -m first"); code != 0 {
		t.Errorf("first commit with a permissive copy only: exit %d, want it made\n%s", code, out)
	}
	os.WriteFile(filepath.Join(repo, "gplcopy.go"), gpl, 0o644)
	sh(t, repo, env, "git add gplcopy.go")
	if code, out := sh(t, repo, env, "git commit -q -m second"); code == 0 || !strings.Contains(out, "gplcopy.go") {
		t.Errorf("second commit with a GPL copy: exit %d, want it refused\n%s", code, out)
	}
}

// TestReadmeAuditRecipe runs README.md's pre-release review commands as
// written in a new project with a GPL copy: every report is written
// (the scan exits 1 for the failing finding, not 2).
func TestReadmeAuditRecipe(t *testing.T) {
	fx := newGateFixture(t)
	env := recipeEnv(t, fx.db)
	script := strings.Join(readmeBlock(t, "For a pre-release review"), "\n")
	if code, out := sh(t, fx.repo, env, script); code != 1 {
		t.Errorf("the audit recipe: exit %d, want 1 (a failing finding)\n%s", code, out)
	}
	for _, f := range []string{"report.html", "snippets.spdx.json", "origins.cdx.json", "THIRD_PARTY_NOTICES"} {
		if fi, err := os.Stat(filepath.Join(fx.repo, "audit", f)); err != nil || fi.Size() == 0 {
			t.Errorf("audit/%s: %v", f, err)
		}
	}
}

package gitdiff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestWorkTree(t *testing.T) {
	dir := repo(t)
	sub := filepath.Join(dir, "sub dir")
	if got := WorkTree(sub); got != dir {
		t.Errorf("WorkTree(%s) = %q, want %q", sub, got, dir)
	}
	if got := WorkTree(dir); got != dir {
		t.Errorf("WorkTree(top) = %q, want %q", got, dir)
	}
	if got := WorkTree(t.TempDir()); got != "" {
		t.Errorf("WorkTree(outside) = %q, want none", got)
	}
	// A linked work tree has a .git file: its top is its own directory.
	linked := filepath.Join(t.TempDir(), "linked")
	gitIn(t, dir, "worktree", "add", "-q", linked)
	if got := WorkTree(filepath.Join(linked, "sub dir")); got != linked {
		t.Errorf("WorkTree(linked work tree) = %q, want %q", got, linked)
	}
	// A stray empty .git directory is not a repository.
	stray := t.TempDir()
	os.Mkdir(filepath.Join(stray, ".git"), 0o755)
	if got := WorkTree(stray); got == stray {
		t.Errorf("WorkTree(empty .git) = %q", got)
	}
}

// TestIgnoredBelow checks that the ignored set is git's: nested
// .gitignore files, negations, .git/info/exclude, the global excludes
// file, tracked files never ignored, whole directories, and a directory
// asked about that is itself ignored.
func TestIgnoredBelow(t *testing.T) {
	dir := repo(t) // its .gitignore ignores ignored.go
	global := filepath.Join(t.TempDir(), "global-ignore")
	write(t, global, "*.global\n")
	config := filepath.Join(t.TempDir(), "gitconfig")
	write(t, config, "[core]\n\texcludesFile = "+global+"\n")
	t.Setenv("GIT_CONFIG_GLOBAL", config)

	write(t, filepath.Join(dir, ".gitignore"), "ignored.go\n*.log\n!keep.log\nbuild/\n")
	write(t, filepath.Join(dir, "lib", ".gitignore"), "gen_*.go\n!gen_keep.go\n")
	write(t, filepath.Join(dir, ".git", "info", "exclude"), "local.go\n")
	for _, f := range []string{"ignored.go", "x.log", "keep.log", "build/out.go", "lib/gen_a.go", "lib/gen_keep.go",
		"lib/ok.go", "local.go", "notes.global", "tracked.log", "lib/deep/gen_b.go"} {
		write(t, filepath.Join(dir, filepath.FromSlash(f)), "package x\n")
	}
	gitIn(t, dir, "add", "-f", "tracked.log")

	ig, err := IgnoredBelow(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rel   string
		isDir bool
		want  bool
	}{
		{"ignored.go", false, true},
		{"x.log", false, true},
		{"keep.log", false, false}, // negated
		{"tracked.log", false, false},
		{"build", true, true},
		{"lib", true, false},
		{"lib/gen_a.go", false, true}, // nested .gitignore
		{"lib/gen_keep.go", false, false},
		{"lib/deep/gen_b.go", false, true}, // a nested pattern without a slash applies below
		{"lib/ok.go", false, false},
		{"local.go", false, true},     // .git/info/exclude
		{"notes.global", false, true}, // core.excludesFile
		{"a.go", false, false},
	} {
		if got := ig.Has(tc.rel, tc.isDir); got != tc.want {
			t.Errorf("Has(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}

	// Asked from a directory below the top, paths are relative to it.
	lib, err := IgnoredBelow(context.Background(), filepath.Join(dir, "lib"))
	if err != nil {
		t.Fatal(err)
	}
	if !lib.Has("gen_a.go", false) || lib.Has("ok.go", false) || lib.Has("x.log", false) {
		t.Errorf("below lib: gen_a.go %v ok.go %v", lib.Has("gen_a.go", false), lib.Has("ok.go", false))
	}
	// An ignored directory named on purpose: nothing below it is ignored.
	build, err := IgnoredBelow(context.Background(), filepath.Join(dir, "build"))
	if err != nil {
		t.Fatal(err)
	}
	if build.Has("out.go", false) {
		t.Error("below an ignored directory asked about: out.go ignored")
	}
	// A directory inside an ignored one, named on purpose: git ls-files
	// alone fails there.
	write(t, filepath.Join(dir, "build", "sub", "deep.go"), "package x\n")
	sub, err := IgnoredBelow(context.Background(), filepath.Join(dir, "build", "sub"))
	if err != nil {
		t.Fatalf("below an ignored directory: %v", err)
	}
	if sub.Has("deep.go", false) {
		t.Error("below an ignored directory asked about: deep.go ignored")
	}
	if _, err := IgnoredBelow(context.Background(), t.TempDir()); err == nil {
		t.Error("outside a work tree: no error")
	}
}

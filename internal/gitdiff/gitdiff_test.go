package gitdiff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo makes a git work tree with one commit and returns its directory.
func repo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	write(t, filepath.Join(dir, "a.go"), lines(1, 20))
	write(t, filepath.Join(dir, "sub dir", "b.go"), lines(1, 10))
	write(t, filepath.Join(dir, ".gitignore"), "ignored.go\n")
	run("add", ".")
	run("commit", "-q", "-m", "base")
	return dir
}

func lines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		b.WriteString("line ")
		b.WriteString(strings.Repeat("x", i))
		b.WriteByte('\n')
	}
	return b.String()
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSince(t *testing.T) {
	dir := repo(t)
	// a.go: lines 5-6 replaced, 3 lines inserted after line 15 (new 16-18).
	a := strings.Split(lines(1, 20), "\n")
	a[4], a[5] = "changed 5", "changed 6"
	a = append(a[:15], append([]string{"new 1", "new 2", "new 3"}, a[15:]...)...)
	write(t, filepath.Join(dir, "a.go"), strings.Join(a, "\n"))
	// sub dir/b.go: line 3 deleted only.
	b := strings.Split(lines(1, 10), "\n")
	write(t, filepath.Join(dir, "sub dir", "b.go"), strings.Join(append(b[:2:2], b[3:]...), "\n"))
	write(t, filepath.Join(dir, "new.go"), "package x\n")
	write(t, filepath.Join(dir, "ignored.go"), "package x\n")

	c, err := Since(context.Background(), dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file  string
		lines [2]int
		want  bool
	}{
		{"a.go", [2]int{1, 4}, false},
		{"a.go", [2]int{4, 5}, true},
		{"a.go", [2]int{6, 6}, true},
		{"a.go", [2]int{7, 15}, false},
		{"a.go", [2]int{18, 30}, true},
		{"a.go", [2]int{19, 30}, false},
		{"sub dir/b.go", [2]int{1, 10}, false}, // a deletion changes no remaining line
		{"new.go", [2]int{1, 1}, true},
		{"ignored.go", [2]int{1, 1}, false},
	} {
		if got := c.Touches(filepath.Join(dir, tc.file), tc.lines); got != tc.want {
			t.Errorf("%s %v: %v, want %v", tc.file, tc.lines, got, tc.want)
		}
	}
	if c.Files() != 2 {
		t.Errorf("%d files changed, want 2 (a.go, new.go)", c.Files())
	}
}

// TestSinceUnborn: in a repository without a commit yet (git init, files
// staged or not), every file but the ignored ones changed since HEAD; a
// branch name is still not a revision there.
func TestSinceUnborn(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	write(t, filepath.Join(dir, "staged.go"), lines(1, 5))
	write(t, filepath.Join(dir, "sub", "new.go"), lines(1, 3))
	write(t, filepath.Join(dir, "ignored.go"), "package x\n")
	write(t, filepath.Join(dir, ".gitignore"), "ignored.go\n")
	if out, err := exec.Command("git", "-C", dir, "add", "staged.go").CombinedOutput(); err != nil {
		t.Fatalf("git add: %v\n%s", err, out)
	}
	for _, ref := range []string{"HEAD", "@"} {
		c, err := Since(context.Background(), filepath.Join(dir, "sub"), ref)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if !c.Touches(filepath.Join(dir, "staged.go"), [2]int{3, 3}) || !c.Touches(filepath.Join(dir, "sub", "new.go"), [2]int{1, 1}) ||
			c.Touches(filepath.Join(dir, "ignored.go"), [2]int{1, 1}) || c.Files() != 3 {
			t.Errorf("%s: %d files changed, want staged.go, sub/new.go and .gitignore, not ignored.go", ref, c.Files())
		}
	}
	if _, err := Since(context.Background(), dir, "main"); err == nil || !strings.Contains(err.Error(), "not a revision") {
		t.Errorf("a branch name without commits: %v", err)
	}
}

func TestErrors(t *testing.T) {
	dir := repo(t)
	if _, err := Since(context.Background(), dir, "no-such-branch"); err == nil || !strings.Contains(err.Error(), "not a revision") {
		t.Errorf("unknown revision: %v", err)
	}
	if _, err := Since(context.Background(), dir, "--output=/tmp/x"); err == nil {
		t.Error("option as revision: no error")
	}
	if _, err := Since(context.Background(), t.TempDir(), "HEAD"); err == nil || !strings.Contains(err.Error(), "not in a git work tree") {
		t.Errorf("outside a work tree: %v", err)
	}
}

func TestHunk(t *testing.T) {
	for in, want := range map[string][2]int{
		"@@ -1,2 +3,4 @@":        {3, 6},
		"@@ -5 +5 @@ func x() {": {5, 5},
		"@@ -10,3 +9,0 @@":       {9, 8},
	} {
		got, err := hunk(in)
		if err != nil || got != want {
			t.Errorf("hunk(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := hunk("@@ garbage"); err == nil {
		t.Error("malformed hunk: no error")
	}
}

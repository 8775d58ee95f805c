// Package gitdiff asks about git work trees: the lines that changed since
// a revision, for scans that gate a pull request on the code it changes;
// the top of the work tree holding a directory; and the paths its ignore
// rules leave out.
package gitdiff

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Changes holds the changed lines of the files of one or more work trees,
// by absolute path.
type Changes struct {
	lines map[string][][2]int // added or modified lines, 1-based inclusive
	whole map[string]bool     // new untracked files: every line
}

// Touches reports whether the file at path (absolute or relative to the
// current directory) changed on any of lines (1-based, inclusive).
func (c *Changes) Touches(path string, lines [2]int) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // git names files below the work tree's real path
	}
	if c.whole[abs] {
		return true
	}
	for _, r := range c.lines[abs] {
		if r[0] <= lines[1] && lines[0] <= r[1] {
			return true
		}
	}
	return false
}

// Files returns the number of files with changes.
func (c *Changes) Files() int { return len(c.lines) + len(c.whole) }

// Since returns the lines changed in the work tree that holds dir since
// revision ref (a commit, branch or tag: what `git diff ref` compares
// with), plus the untracked files that are not ignored. Several
// directories may be added to one Changes with Add.
func Since(ctx context.Context, dir, ref string) (*Changes, error) {
	c := &Changes{lines: map[string][][2]int{}, whole: map[string]bool{}}
	if err := c.Add(ctx, dir, ref); err != nil {
		return nil, err
	}
	return c, nil
}

// Add adds the changes of the work tree that holds dir.
func (c *Changes) Add(ctx context.Context, dir, ref string) error {
	if strings.HasPrefix(ref, "-") {
		return fmt.Errorf("--diff %q: not a revision", ref)
	}
	if isDir, err := filepathStat(dir); err == nil && !isDir {
		dir = filepath.Dir(dir)
	}
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return fmt.Errorf("--diff: %s is not in a git work tree: %w", dir, err)
	}
	root := strings.TrimSpace(string(top))
	if _, err := git(ctx, root, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		if unborn(ctx, root, ref) {
			// No commit yet: every file, staged or not, is new.
			return c.addWhole(ctx, root, "--cached", "--others")
		}
		return fmt.Errorf("--diff: %q is not a revision of %s", ref, root)
	}
	out, err := git(ctx, root, "diff", "--no-color", "--no-ext-diff", "--unified=0", "--diff-filter=ACMR", ref, "--")
	if err != nil {
		return fmt.Errorf("--diff: git diff %s: %w", ref, err)
	}
	if err := c.parse(root, out); err != nil {
		return err
	}
	return c.addWhole(ctx, root, "--others")
}

// unborn reports whether ref names the HEAD of the work tree at root
// while its branch has no commit yet (a repository just made by git
// init).
func unborn(ctx context.Context, root, ref string) bool {
	if ref != "HEAD" && ref != "@" {
		return false
	}
	_, err := git(ctx, root, "symbolic-ref", "--quiet", "HEAD")
	return err == nil // HEAD names a branch, and does not resolve
}

// addWhole marks as changed on every line the files that git ls-files
// lists with the selection flags (--others: the untracked files;
// --cached: the tracked ones), leaving out what git ignores.
func (c *Changes) addWhole(ctx context.Context, root string, selection ...string) error {
	args := append(append([]string{"ls-files"}, selection...), "--exclude-standard", "-z")
	out, err := git(ctx, root, args...)
	if err != nil {
		return fmt.Errorf("--diff: git ls-files: %w", err)
	}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			c.whole[filepath.Join(root, filepath.FromSlash(string(p)))] = true
		}
	}
	return nil
}

// parse reads unified diff output with zero context: "+++ b/PATH" starts a
// file, "@@ -a,b +c,d @@" adds lines c..c+d-1.
func (c *Changes) parse(root string, diff []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(diff))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var file string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			name := strings.TrimPrefix(line, "+++ ")
			if name == "/dev/null" {
				file = ""
				continue
			}
			name = strings.TrimPrefix(unquote(name), "b/")
			file = filepath.Join(root, filepath.FromSlash(name))
		case strings.HasPrefix(line, "@@ ") && file != "":
			r, err := hunk(line)
			if err != nil {
				return fmt.Errorf("--diff: %w", err)
			}
			if r[1] >= r[0] {
				c.lines[file] = append(c.lines[file], r)
			}
		}
	}
	return sc.Err()
}

// hunk parses a hunk header's new-file range.
func hunk(line string) ([2]int, error) {
	f := strings.Fields(line)
	if len(f) < 3 || !strings.HasPrefix(f[2], "+") {
		return [2]int{}, fmt.Errorf("malformed hunk header %q", line)
	}
	start, count := f[2][1:], "1"
	if i := strings.IndexByte(start, ','); i >= 0 {
		start, count = start[:i], start[i+1:]
	}
	s, err1 := strconv.Atoi(start)
	n, err2 := strconv.Atoi(count)
	if err1 != nil || err2 != nil {
		return [2]int{}, fmt.Errorf("malformed hunk header %q", line)
	}
	return [2]int{s, s + n - 1}, nil
}

// unquote undoes git's C-style quoting of unusual path names.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir, "-c", "core.quotepath=off"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && stderr.Len() > 0 {
			return nil, errors.New(strings.TrimSpace(stderr.String()))
		}
		return nil, err
	}
	return out, nil
}

// filepathStat reports whether path is a directory.
func filepathStat(path string) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return fi.IsDir(), nil
}

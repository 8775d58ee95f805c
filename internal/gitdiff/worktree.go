package gitdiff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WorkTree returns the top directory of the git work tree that holds dir
// (an absolute path, symbolic links resolved), or "" when dir is in none.
// It looks for a .git entry in dir and its parents, as git does: a
// directory holding HEAD, or a file starting with "gitdir:" (a linked
// work tree or a submodule, whose top is the directory holding that
// file). It does not run git.
func WorkTree(dir string) string {
	for d := filepath.Clean(dir); ; {
		if IsWorkTree(d) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// IsWorkTree reports whether dir is the top of a git work tree: it holds
// a .git directory with a HEAD, or a .git file naming one ("gitdir: ...").
func IsWorkTree(dir string) bool {
	dotGit := filepath.Join(dir, ".git")
	fi, err := os.Stat(dotGit)
	switch {
	case err != nil:
		return false
	case fi.IsDir():
		_, err := os.Stat(filepath.Join(dotGit, "HEAD"))
		return err == nil
	case fi.Mode().IsRegular():
		data, err := os.ReadFile(dotGit)
		return err == nil && bytes.HasPrefix(data, []byte("gitdir:"))
	}
	return false
}

// Ignored is the set of untracked paths that git's ignore rules leave out
// below a directory of a work tree: the .gitignore files of the tree
// (nested ones and negations included), .git/info/exclude and the global
// excludes file (core.excludesFile), exactly as git applies them. Tracked
// files are never in it, whatever the patterns say, as git does not
// ignore them.
type Ignored struct {
	paths map[string]bool // slash paths below the directory; directories end with "/"
}

// IgnoredBelow asks git for the ignored paths below dir, a directory of a
// work tree. When dir itself is ignored, or lies in an ignored directory,
// nothing below it is reported: it was named on purpose.
func IgnoredBelow(ctx context.Context, dir string) (*Ignored, error) {
	// git ls-files fails in a directory below an ignored one ("directory
	// entry not superset of prefix"): ask first whether dir is ignored.
	if _, err := git(ctx, dir, "check-ignore", "-q", "."); err == nil {
		return &Ignored{paths: map[string]bool{}}, nil
	}
	out, err := git(ctx, dir, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
	if err != nil {
		return nil, fmt.Errorf("git ls-files --ignored in %s: %w", dir, err)
	}
	ig := &Ignored{paths: map[string]bool{}}
	for _, p := range bytes.Split(out, []byte{0}) {
		s := string(p)
		if s == "" {
			continue
		}
		if s == "./" {
			return &Ignored{paths: map[string]bool{}}, nil
		}
		ig.paths[s] = true
	}
	return ig, nil
}

// Has reports whether the path rel (slash separated, below the directory
// asked about) is ignored. A directory is ignored when git ignores it
// whole (or every file in it); a symbolic link to a directory, which git
// sees as a file, by its own name.
func (ig *Ignored) Has(rel string, isDir bool) bool {
	if ig == nil {
		return false
	}
	rel = strings.TrimSuffix(rel, "/")
	if isDir && ig.paths[rel+"/"] {
		return true
	}
	return ig.paths[rel]
}

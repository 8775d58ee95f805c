package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/snipscan/snipscan/internal/gitdiff"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/walk"
)

// globFlag is the --exclude flag: doublestar globs, given once each.
type globFlag struct{ policy.Globs }

// Set adds a glob (policy.CleanGlob).
func (f *globFlag) Set(v string) error { return f.Add(filepath.ToSlash(v)) }

// exclusions decides which paths below the scanned roots a scan leaves
// out (walk.Options.Exclude): those matching --exclude (relative to the
// scanned root), the policy's exclude (relative to the policy's
// directory, see project.policyPathOf), and those git ignores in every
// work tree met. It counts them, and lists them when verbose. The walk
// calls it one path at a time; its counts are read once the scan is done.
type exclusions struct {
	proj    *project
	pol     *policy.Policy
	globs   *globFlag
	git     bool        // apply git's ignore rules
	ignores *gitIgnores // git's answers, shared with the other exclusions of the scan
	stderr  io.Writer   // where a failure of git is reported
	verbose bool

	trees    map[string][]workTree // by walk root: the work trees met below it
	excluded int                   // by --exclude or the policy
	ignored  int                   // by git
	list     []string              // when verbose: "path: why"
}

// workTree is a git work tree at prefix (a slash path below a walk root;
// "" for the root itself) and the paths its ignore rules leave out.
type workTree struct {
	prefix  string
	ignored *gitdiff.Ignored
}

// exclude is the walk.Options.Exclude of a scan.
func (x *exclusions) exclude(root *walk.Root, rel string, isDir bool) bool {
	r := x.proj.root(root)
	switch {
	case x.globs.Match(rel):
		return x.count(&x.excluded, root, rel, isDir, "--exclude")
	case r != nil && x.pol.Exclude.Len() > 0 && x.pol.Exclude.Match(x.proj.policyPathOf(r, rel)):
		return x.count(&x.excluded, root, rel, isDir, "excluded by the policy")
	case x.git && root.Kind == "dir" && x.gitIgnored(root, r, rel, isDir):
		return x.count(&x.ignored, root, rel, isDir, "ignored by git")
	}
	return false
}

// count counts an excluded path in n, listing it when verbose.
func (x *exclusions) count(n *int, root *walk.Root, rel string, isDir bool, why string) bool {
	*n++
	if x.verbose {
		p := walk.DisplayPath(root.Display, rel)
		if isDir {
			p += string(filepath.Separator)
		}
		x.list = append(x.list, p+": "+why)
	}
	return true
}

// gitIgnored reports whether git ignores rel below the directory root. It
// asks git about the work tree holding the root the first time, and
// about each work tree found below it (a submodule, a repository cloned
// inside) when the walk is about to enter it.
func (x *exclusions) gitIgnored(root *walk.Root, r *scanRoot, rel string, isDir bool) bool {
	if x.trees == nil {
		x.trees = map[string][]workTree{}
	}
	trees, seen := x.trees[root.Path]
	if !seen {
		if r != nil && r.repo != "" {
			trees = x.ask(nil, root.Path, "")
		}
		x.trees[root.Path] = trees
	}
	if t := innermost(trees, rel); t != nil {
		sub := rel
		if t.prefix != "" {
			sub = strings.TrimPrefix(rel, t.prefix+"/")
		}
		if t.ignored.Has(sub, isDir) {
			return true
		}
	}
	if isDir && gitdiff.IsWorkTree(filepath.Join(root.Path, filepath.FromSlash(rel))) {
		x.trees[root.Path] = x.ask(trees, root.Path, rel)
	}
	return false
}

// ask adds the work tree at prefix below the walk root dir to trees. A
// failure of git turns git's rules off for that work tree only, and says
// so; git that cannot be run at all turns them off for the scan.
func (x *exclusions) ask(trees []workTree, dir, prefix string) []workTree {
	if !x.git {
		return trees
	}
	ig, err := x.ignores.below(filepath.Join(dir, filepath.FromSlash(prefix)))
	switch {
	case errors.Is(err, exec.ErrNotFound):
		fmt.Fprintf(x.stderr, "snipscan scan: %v; files ignored by git are scanned (--no-gitignore silences this)\n", err)
		x.git = false
		return trees
	case err != nil:
		fmt.Fprintf(x.stderr, "snipscan scan: %v; the files git ignores there are scanned (--no-gitignore silences this)\n", err)
		ig = nil // no rules of an outer work tree reach into it either
	}
	return append(trees, workTree{prefix, ig})
}

// gitIgnores asks git, once per directory, which paths below it the
// ignore rules of its work tree leave out. The exclusions of a scan and
// those of its progress bar's walk share it; they run at the same time.
type gitIgnores struct {
	ctx  context.Context
	mu   sync.Mutex
	dirs map[string]*gitAnswer
}

// gitAnswer is git's answer about one directory, asked once.
type gitAnswer struct {
	once sync.Once
	ig   *gitdiff.Ignored
	err  error
}

// newGitIgnores returns an empty cache whose git runs end with ctx.
func newGitIgnores(ctx context.Context) *gitIgnores {
	return &gitIgnores{ctx: ctx, dirs: map[string]*gitAnswer{}}
}

// below returns gitdiff.IgnoredBelow(dir), asking git the first time.
func (g *gitIgnores) below(dir string) (*gitdiff.Ignored, error) {
	g.mu.Lock()
	a, ok := g.dirs[dir]
	if !ok {
		a = &gitAnswer{}
		g.dirs[dir] = a
	}
	g.mu.Unlock()
	a.once.Do(func() { a.ig, a.err = gitdiff.IgnoredBelow(g.ctx, dir) })
	return a.ig, a.err
}

// innermost returns the work tree of trees that holds rel most closely.
func innermost(trees []workTree, rel string) *workTree {
	var best *workTree
	for i := range trees {
		t := &trees[i]
		if t.prefix != "" && !strings.HasPrefix(rel, t.prefix+"/") {
			continue // not below it (its own directory is the outer tree's)
		}
		if best == nil || len(t.prefix) > len(best.prefix) {
			best = t
		}
	}
	return best
}

// report lists the excluded paths on w, sorted as the walk met them.
func (x *exclusions) report(w io.Writer) {
	for _, s := range x.list {
		fmt.Fprintf(w, "excluded %s\n", s)
	}
}

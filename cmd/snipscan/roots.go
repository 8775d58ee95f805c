package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/snipscan/snipscan/internal/gitdiff"
	"github.com/snipscan/snipscan/walk"
)

// unreadRoots returns an error naming the PATH arguments that could not be
// read, or read only in part (a corrupt or truncated archive, an
// unreadable file): the user asked for them, so this is not a skip to
// count but an error (exit 2), reported after the work on the other paths
// is done and kept. Files skipped inside a PATH stay skips.
func unreadRoots(args []string, skips []walk.Skip) error {
	roots := map[string]string{}
	for _, a := range args {
		roots[filepath.Clean(a)] = a
	}
	var msgs []string
	for _, s := range skips {
		arg, ok := roots[filepath.Clean(s.Path)]
		if !ok {
			continue
		}
		switch s.Reason {
		case walk.ReasonCorrupt, walk.ReasonUnreadable, walk.ReasonArchiveLimit:
			msg := fmt.Sprintf("%s: %s", arg, s.Reason)
			if s.Err != nil {
				msg += ": " + s.Err.Error()
			}
			msgs = append(msgs, msg)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	err := fmt.Errorf("could not read %s", strings.Join(msgs, "; "))
	if len(msgs) < len(args) {
		err = fmt.Errorf("%w (the other paths were processed)", err)
	}
	return err
}

// scanRoot is a scanned PATH argument and where it stands.
type scanRoot struct {
	arg  string // as given: the paths of the targets below it begin with it
	abs  string // absolute, as walk.Root.Path
	real string // abs with symbolic links resolved
	dir  bool   // a directory; else a file or an archive
	repo string // the top of the git work tree holding it (links resolved); "" outside one
}

// join returns the real path of the target rel (slash separated) below r.
func (r *scanRoot) join(rel string) string {
	if rel == "" {
		return r.real
	}
	return filepath.Join(r.real, filepath.FromSlash(rel))
}

// contextDir is a directory whose LICENSE, notice and policy files apply
// to a scan: a scanned directory, or the top of the repository holding a
// scanned PATH.
type contextDir struct {
	shown string // spelled from the PATH argument, for messages and reasons
	real  string
}

// contextDirs returns r's context directories, nearest first: r itself
// when it is a directory, else the directory holding it (a file or an
// archive PATH gets the verdicts of its directory), then its repository's
// top.
func (r *scanRoot) contextDirs() []contextDir {
	argDir, realDir := r.arg, r.real
	if !r.dir {
		argDir, realDir = filepath.Dir(r.arg), filepath.Dir(r.real)
	}
	dirs := []contextDir{{argDir, realDir}}
	if r.repo == "" || r.repo == realDir {
		return dirs
	}
	shown := r.repo
	if up, err := filepath.Rel(realDir, r.repo); err == nil {
		// The repository spelled from the argument ("." in internal gives
		// ".."), unless a symbolic link in the way makes that another
		// directory.
		if s := filepath.Join(argDir, up); sameDir(s, r.repo) {
			shown = s
		}
	}
	return append(dirs, contextDir{shown, r.repo})
}

// sameDir reports whether path p resolves to the directory real.
func sameDir(p, real string) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	res, err := filepath.EvalSymlinks(abs)
	return err == nil && res == real
}

// project places the targets of a scan: the PATH argument each comes
// from and the repository holding it. It gives each target the path its
// finding IDs are computed from (key) and the path the policy's globs
// are matched against (policyPath).
type project struct {
	roots []scanRoot
	// policyDir is the directory holding the policy file found at a
	// scanned root or a repository's top (links resolved): the policy's
	// paths are relative to it. "" for a policy given with --policy or
	// the built-in one.
	policyDir string
}

// uniquePaths returns paths without those that name the same file or
// directory as one before them ("a", "a/../a", "$PWD/a"), which would be
// scanned, and their findings reported, twice; it says so on stderr.
// Paths that cannot be resolved are kept, for newProject to report.
func uniquePaths(e env, paths []string) []string {
	seen := map[string]string{}
	var out []string
	for _, a := range paths {
		real, err := filepath.Abs(a)
		if err == nil {
			if r, err := filepath.EvalSymlinks(real); err == nil {
				real = r
			}
			if first, ok := seen[real]; ok {
				fmt.Fprintf(e.stderr, "snipscan scan: %s is %s, scanned once\n", a, first)
				continue
			}
			seen[real] = a
		}
		out = append(out, a)
	}
	return out
}

// newProject resolves the PATH arguments of a scan.
func newProject(args []string) (*project, error) {
	p := &project{}
	for _, a := range args {
		abs, err := filepath.Abs(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		fi, err := os.Stat(real)
		if err != nil {
			return nil, err
		}
		r := scanRoot{arg: a, abs: abs, real: real, dir: fi.IsDir()}
		if r.dir {
			r.repo = gitdiff.WorkTree(real)
		} else {
			r.repo = gitdiff.WorkTree(filepath.Dir(real))
		}
		p.roots = append(p.roots, r)
	}
	return p, nil
}

// root returns the root a walk.Root stands for (by its absolute path), or
// nil for an archive read inside a scanned directory.
func (p *project) root(w *walk.Root) *scanRoot {
	for i := range p.roots {
		if p.roots[i].abs == w.Path {
			return &p.roots[i]
		}
	}
	return nil
}

// locate returns the root a target path (as the scan displays it: the
// argument joined with the path below it) comes from, and its slash path
// below that root.
func (p *project) locate(target string) (*scanRoot, string, bool) {
	for i := range p.roots {
		r := &p.roots[i]
		if target == r.arg {
			return r, "", true
		}
		prefix := r.arg
		if !strings.HasSuffix(prefix, "/") && !strings.HasSuffix(prefix, string(filepath.Separator)) {
			prefix += string(filepath.Separator)
		}
		if strings.HasPrefix(target, prefix) {
			return r, filepath.ToSlash(target[len(prefix):]), true
		}
	}
	return nil, "", false
}

// keyOf returns the path finding IDs are computed from for the target
// rel below r: relative to the top of r's repository; outside git,
// relative to r (a file's base name when r is a file).
func (p *project) keyOf(r *scanRoot, rel string) string {
	if r.repo != "" {
		if s, ok := below(r.repo, r.join(rel)); ok {
			return s
		}
	}
	if rel == "" {
		return filepath.Base(r.real)
	}
	return rel
}

// policyPathOf returns the path the policy's globs are matched against
// for the target rel below r: relative to the directory holding the
// policy file when it was found in one that holds the target, else as
// keyOf.
func (p *project) policyPathOf(r *scanRoot, rel string) string {
	if p.policyDir != "" {
		if s, ok := below(p.policyDir, r.join(rel)); ok {
			return s
		}
	}
	return p.keyOf(r, rel)
}

// key is keyOf for a target by its displayed path (policy.Context.Key).
func (p *project) key(target string) string {
	if r, rel, ok := p.locate(target); ok {
		return p.keyOf(r, rel)
	}
	return target
}

// policyPath is policyPathOf for a target by its displayed path
// (policy.Context.Rel).
func (p *project) policyPath(target string) string {
	if r, rel, ok := p.locate(target); ok {
		return p.policyPathOf(r, rel)
	}
	return strings.TrimPrefix(filepath.ToSlash(target), "./")
}

// below returns path p relative to dir, slash separated, if p is dir or
// below it.
func below(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return "", false
	}
	if rel == "." {
		return filepath.Base(p), true
	}
	return filepath.ToSlash(rel), true
}

// checkPaths refuses, before any work, a PATH argument that does not
// exist or is neither a directory nor a regular file (a device, a named
// pipe): a usage error that names it.
func checkPaths(paths []string) error {
	for _, p := range paths {
		if err := checkPath(p); err != nil {
			return err
		}
	}
	return nil
}

// checkPath returns a usage error naming p if it does not exist or is
// neither a directory nor a regular file.
func checkPath(p string) error {
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return usagef("%s: %v", p, unwrapPath(err))
	case !fi.IsDir() && !fi.Mode().IsRegular():
		return usagef("%s: not a directory, an archive or a file", p)
	}
	return nil
}

package indexer

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/snipscan/snipscan/pkgmeta"
	"github.com/snipscan/snipscan/walk"
)

// rootContext is what lies above a root on disk and bears on the packages
// below it: the same files get the same package whatever directory the
// index run was given (the Go module cache, one host's directory in it, a
// module, a directory inside a module).
type rootContext struct {
	once sync.Once
	// abs is the slash path of a directory root, symbolic links resolved;
	// "" for an archive, whose entries are read as they are named inside
	// it.
	abs string
	// top is the slash path of the directory at or above the root where
	// the code it lies in starts: the top of its repository (a directory
	// holding .git below the home directory, the temporary directory or
	// the file system's root; see stopsClimb), else the project holding
	// the Go vendor tree it lies in, else the root of the package it lies
	// in (above), else the root itself; "" for an
	// archive. Whether a file is vendored is read on its path below top,
	// so that the names of directories above a project do not make it
	// vendored or test code.
	top string
	// vendor is the nearest Go vendor directory at or above the root that
	// has a modules.txt, nil if none.
	vendor *vendorTree
	// above is the package whose root lies above the root (the root is a
	// directory inside it), nil if none; aboveDir is that package root's
	// path relative to the root ("..", "../..", ...).
	above    *pkgmeta.Package
	aboveDir string
}

// vendorTree is a Go vendor directory at or above a root.
type vendorTree struct {
	dir  string            // slash path of the vendor directory
	mods map[string]string // vendor/modules.txt: module path -> version
}

// rootContext returns what lies above root, worked out once per root.
func (ix *indexer) rootContext(root *walk.Root) *rootContext {
	v, _ := ix.rootCtx.LoadOrStore(root, &rootContext{})
	rc := v.(*rootContext)
	rc.once.Do(func() {
		if root.Kind != "dir" {
			return
		}
		rc.abs = filepath.ToSlash(resolved(root.Path))
		rc.vendor = vendorAbove(rc.abs)
		rc.above, rc.aboveDir = ix.packageAbove(rc)
		rc.top = topAbove(rc.abs, rc.vendor, rc.aboveDir)
	})
	return rc
}

// resolved returns the absolute path of the directory p, symbolic links
// resolved (p itself when that fails): a root reached through a link
// lies where the link leads, in a module cache or a package.
func resolved(p string) string {
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p
}

// belowTop returns the slash path below rc.top of the path rel below the
// root ("." for top itself).
func (rc *rootContext) belowTop(rel string) string {
	return path.Join(relBelow(rc.abs, rc.top), rel)
}

// stopsClimb returns the directories a climb from a root stops below:
// the file system's root, the home directory and the temporary
// directory, which hold no package's or project's files themselves.
func stopsClimb() map[string]bool {
	home, _ := os.UserHomeDir()
	return map[string]bool{"/": true, filepath.ToSlash(home): true, filepath.ToSlash(filepath.Clean(os.TempDir())): true}
}

// isRepoTop reports whether the directory at the slash path dir holds
// .git (a directory, or the file of a linked work tree or submodule).
func isRepoTop(dir string) bool {
	_, err := os.Stat(filepath.Join(filepath.FromSlash(dir), ".git"))
	return err == nil
}

// topAbove returns the top of the code the directory abs lies in (see
// rootContext.top): the top of its repository, else the project that
// holds the Go vendor tree it lies in (vendor, nil for none), else the
// root of the package it lies in (aboveDir, relative to abs: "..",
// "../.."; "" for none), else abs itself.
func topAbove(abs string, vendor *vendorTree, aboveDir string) string {
	stops := stopsClimb()
	for dir := abs; !stops[dir]; {
		if isRepoTop(dir) {
			return dir
		}
		parent := path.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	switch {
	case vendor != nil:
		return path.Dir(vendor.dir)
	case aboveDir != "":
		return path.Join(abs, aboveDir)
	}
	return abs
}

// vendorAbove finds the nearest directory named "vendor" with a
// modules.txt at or above the directory abs.
func vendorAbove(abs string) *vendorTree {
	for dir := abs; dir != "/" && dir != "."; dir = path.Dir(dir) {
		if path.Base(dir) != "vendor" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(filepath.FromSlash(dir), "modules.txt"))
		if err != nil {
			continue
		}
		mods, err := pkgmeta.VendorModules(data)
		if err != nil {
			return nil
		}
		return &vendorTree{dir: dir, mods: mods}
	}
	return nil
}

// packageAbove looks for the package a directory root lies in, climbing
// the directories above it: a module version of the Go module cache
// (module@version), a module listed in a vendor/modules.txt, or a
// manifest that pkgmeta.Detect recognises (go.mod, package.json, ...; a
// package.json in node_modules/<name> takes its name from the directory
// when it states none). The climb ends at a repository's top (a directory
// holding .git), at the home directory, the temporary directory and the
// file system's root, which hold no package's files.
func (ix *indexer) packageAbove(rc *rootContext) (*pkgmeta.Package, string) {
	stops := stopsClimb()
	up := ""
	for dir := rc.abs; ; {
		if isRepoTop(dir) {
			return nil, ""
		}
		parent := path.Dir(dir)
		if parent == dir || stops[parent] {
			return nil, ""
		}
		dir, up = parent, path.Join(up, "..")
		if p := ix.packageAtDisk(rc, dir); p != nil {
			return p, up
		}
	}
}

// packageAtDisk reports the package whose root is the directory dir (a
// slash path) on disk, or nil.
func (ix *indexer) packageAtDisk(rc *rootContext, dir string) *pkgmeta.Package {
	osDir := filepath.FromSlash(dir)
	read := func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(osDir, filepath.FromSlash(rel)))
	}
	if strings.Contains(path.Base(dir), "@") {
		goMod, err := read("go.mod")
		if errors.Is(err, fs.ErrNotExist) {
			goMod = nil
		}
		if p := goModulePackage(dir, goMod, ix.isModCacheRoot); p != nil {
			p.Published = ix.cachePublished(dir, p)
			return p
		}
	}
	if v := rc.vendor; v != nil {
		if strings.HasPrefix(dir, v.dir+"/") {
			if p := vendoredPackage(v.mods, relBelow(dir, v.dir)); p != nil {
				return p
			}
		}
	}
	entries, err := os.ReadDir(osDir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	p, err := pkgmeta.Detect(names, read)
	if err != nil {
		ix.opts.Logger.Debug("package manifest not understood", "dir", osDir, "err", err)
		return nil
	}
	return npmNameHint(p, dir)
}

// goModulePackage returns the Go module version whose root is the
// directory dir (see pkgmeta.ModuleRootDir), or nil.
func goModulePackage(dir string, goMod []byte, isCacheRoot func(string) bool) *pkgmeta.Package {
	mod, ver, ok := pkgmeta.ModuleRootDir(dir, goMod, isCacheRoot)
	if !ok {
		return nil
	}
	return &pkgmeta.Package{Ecosystem: pkgmeta.EcosystemGo, Name: mod, Version: ver,
		PURL: pkgmeta.BuildPURL(pkgmeta.EcosystemGo, mod, ver), Manifest: "go.mod"}
}

// vendoredPackage returns the module that a Go vendor directory's
// modules.txt lists at rel, the slash path of a directory below vendor/.
func vendoredPackage(mods map[string]string, rel string) *pkgmeta.Package {
	ver, ok := mods[rel]
	if !ok {
		return nil
	}
	return &pkgmeta.Package{Ecosystem: pkgmeta.EcosystemGo, Name: rel, Version: ver,
		PURL: pkgmeta.BuildPURL(pkgmeta.EcosystemGo, rel, ver), Manifest: "modules.txt"}
}

// isModCacheRoot reports whether the directory at the slash path dir is
// the root of a Go module cache: it holds cache/download, or it is the
// default GOPATH/pkg/mod. Answers are kept for the run.
func (ix *indexer) isModCacheRoot(dir string) bool {
	if dir == "" {
		dir = "/"
	}
	if v, ok := ix.cacheRoots.Load(dir); ok {
		return v.(bool)
	}
	fi, err := os.Stat(filepath.Join(filepath.FromSlash(dir), "cache", "download"))
	is := err == nil && fi.IsDir() || strings.HasSuffix(dir, "/pkg/mod")
	ix.cacheRoots.Store(dir, is)
	return is
}

// goModuleAt reports the Go module version whose root is d, from the
// module cache's layout (module@version) or a module zip file's, or nil.
func (ix *indexer) goModuleAt(d *walk.Dir) *pkgmeta.Package {
	full, isCacheRoot := d.Rel, func(prefix string) bool { return prefix == "" }
	if d.Root.Kind == "dir" {
		full, isCacheRoot = path.Join(ix.rootContext(d.Root).abs, d.Rel), ix.isModCacheRoot
	}
	if !strings.Contains(path.Base(full), "@") {
		return nil
	}
	var goMod []byte
	if d.Has("go.mod") {
		goMod, _ = d.ReadFile("go.mod")
	}
	p := goModulePackage(full, goMod, isCacheRoot)
	if p != nil && d.Root.Kind == "dir" {
		p.Published = ix.cachePublished(full, p)
	}
	return p
}

// cachePublished returns when the module version p, found at the slash
// path dir, was published, as the .info file of the module cache that
// holds dir says; the zero time when dir is not in a module cache or
// the file cannot be read.
func (ix *indexer) cachePublished(dir string, p *pkgmeta.Package) time.Time {
	root, ok := pkgmeta.ModuleCacheRoot(dir, p.Name, p.Version)
	if !ok || !ix.isModCacheRoot(root) {
		return time.Time{}
	}
	rel, ok := pkgmeta.ModuleInfoPath(p.Name, p.Version)
	if !ok {
		return time.Time{}
	}
	if root == "" {
		root = "/"
	}
	data, err := os.ReadFile(filepath.Join(filepath.FromSlash(root), filepath.FromSlash(rel)))
	if err != nil {
		return time.Time{}
	}
	return pkgmeta.ModuleInfoTime(data)
}

// npmNameHint names a package.json that states a license but no name
// after its directory, when that directory is node_modules/<name> or
// node_modules/@scope/<name>: npm installs a package there under its
// name. It returns p.
func npmNameHint(p *pkgmeta.Package, dir string) *pkgmeta.Package {
	if p == nil || p.Ecosystem != pkgmeta.EcosystemNPM || p.Name != "" {
		return p
	}
	name, parent := path.Base(dir), path.Dir(dir)
	if strings.HasPrefix(path.Base(parent), "@") {
		name, parent = path.Base(parent)+"/"+name, path.Dir(parent)
	}
	if path.Base(parent) != "node_modules" || strings.HasPrefix(name, ".") {
		return p
	}
	p.Name = name
	p.PURL = pkgmeta.BuildPURL(p.Ecosystem, p.Name, p.Version)
	return p
}

// relBelow returns the slash path of the directory abs below its ancestor
// dir: "" for dir itself.
func relBelow(abs, dir string) string {
	if abs == dir {
		return ""
	}
	return strings.TrimPrefix(abs, dir+"/")
}

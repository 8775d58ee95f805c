package indexer

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/pkgmeta"
	"github.com/snipscan/snipscan/walk"
)

// dirState caches what the indexer learned about one directory. Workers
// share it; each part is computed once.
type dirState struct {
	licOnce sync.Once
	lic     *dirLicense // this directory's license files, nil if none

	pkgOnce sync.Once
	pkg     *pkgState // nearest enclosing package, nil if none
}

// dirLicense is the combined result of the license files of a directory.
type dirLicense struct {
	result license.Result
	path   string // slash path of the (first) license file below the root; "../LICENSE" above it
	text   []byte // the license files' text, for attribution notices
	textID string // corpus.LicenseTextID(text)

	files      []license.File // each license file, classified
	statements []string       // what the directory's README says of the package's license
	declared   sync.Map       // a package's declared license -> the files combined with it
}

// expression returns the license of code under the directory when its
// package declares the license declared: the manifest may present the
// license files as alternatives ("MIT OR Apache-2.0"), and back a README's
// choice of a license no file holds.
func (l *dirLicense) expression(declared string) string {
	if declared == "" {
		return l.result.Expression
	}
	if v, ok := l.declared.Load(declared); ok {
		return v.(string)
	}
	e := license.CombineDeclared(l.files, declared, l.statements...)
	l.declared.Store(declared, e)
	return e
}

// pkgState is a detected package, shared by every file below its root.
type pkgState struct {
	pkg corpus.Package // without ID and RootID
	dir *walk.Dir      // the package's root directory
	// plain is set for a plain directory given as a root, a package only
	// by its name: no manifest says where its code starts.
	plain bool
}

func (ix *indexer) dirState(d *walk.Dir) *dirState {
	if v, ok := ix.dirs.Load(d); ok {
		return v.(*dirState)
	}
	v, _ := ix.dirs.LoadOrStore(d, &dirState{})
	return v.(*dirState)
}

// attribution works out the license and copyright of file f from its
// comment header, the nearest license file and its package. It returns
// the license file's text when the attribution refers to it.
func (ix *indexer) attribution(f *walk.File, header []byte) (corpus.Attribution, []byte, *pkgState) {
	hdr := ix.cls.Header(header)
	pkg := ix.packageOf(f.Dir)
	// A package that declares its license is not governed by license
	// files above its own root (a node_modules package inside an
	// application, a vendored module without a LICENSE of its own).
	var stop *walk.Dir
	if pkg != nil && pkg.pkg.Declared != "" {
		stop = pkg.dir
	}
	nearest := ix.nearestLicense(f.Dir, stop)
	var declared string
	if pkg != nil {
		declared = pkg.pkg.Declared
	}
	var near *license.Result
	if nearest != nil {
		r := nearest.result
		r.Expression = nearest.expression(declared)
		near = &r
	}
	expr, source := license.Decide(hdr, near, declared)
	a := corpus.Attribution{License: expr, Source: source}
	if source == license.SourceLicenseFile && nearest != nil {
		a.LicenseRef = nearest.path
	}
	// The license file's text goes with the attribution when it is the
	// license that applies (an origin with only a tag or header notice
	// and no matching file gets none: a notice then names the SPDX ID).
	var text []byte
	if nearest != nil && nearest.textID != "" && (source == license.SourceLicenseFile || near.Expression == expr) {
		a.LicenseText, text = nearest.textID, nearest.text
	}
	switch {
	case len(hdr.Copyrights) > 0:
		a.Copyrights, a.Holders = hdr.Copyrights, hdr.Holders
	case nearest != nil:
		a.Copyrights, a.Holders = nearest.result.Copyrights, nearest.result.Holders
	}
	return a, text, pkg
}

// locationFlags returns the corpus flags of file f of package pkg:
// vendored when its path below the top of its code (rootContext.top)
// passes through a vendor tree, test code when its path below its
// package's root names a test (corpus.IsTestPath). Neither depends on the
// directory that was indexed.
func (ix *indexer) locationFlags(f *walk.File, pkg *pkgState) uint8 {
	flags := corpus.FlagTestKnown
	if pkg != nil && pkg.pkg.Vendored || isVendoredPath(ix.rootContext(f.Root).belowTop(f.Rel)) {
		flags |= corpus.FlagVendored
	}
	if corpus.IsTestPath(ix.pathInPackage(f, pkg)) {
		flags |= corpus.FlagTest
	}
	return flags
}

// pathInPackage returns the slash path of file f below the root of its
// package pkg, or, outside a package of its own (a plain directory given
// as a root), below the top of its code (rootContext.top).
func (ix *indexer) pathInPackage(f *walk.File, pkg *pkgState) string {
	rc := ix.rootContext(f.Root)
	switch {
	case pkg == nil || pkg.plain:
		return rc.belowTop(f.Rel)
	case pkg.pkg.Dir == ".." || strings.HasPrefix(pkg.pkg.Dir, "../"): // the package's root lies above the root
		return path.Join(relBelow(rc.abs, path.Join(rc.abs, pkg.pkg.Dir)), f.Rel)
	}
	return relBelow(f.Rel, pkg.dir.Rel)
}

// nearestLicense returns the license files nearest to d: in d or its
// ancestors up to stop (a package's root), else up to the root and then
// (for a directory root) in up to three directories above it, counted
// from the root of the package the root lies in when that is above it
// (see rootContext), so that $(go env GOROOT)/src finds
// $(go env GOROOT)/LICENSE, and so does $(go env GOROOT)/src/cmd/go/internal/str.
func (ix *indexer) nearestLicense(d, stop *walk.Dir) *dirLicense {
	for ; d != nil; d = d.Parent {
		if l := ix.dirLicense(d); l != nil {
			return l
		}
		if d.Parent == nil {
			return ix.aboveRoot(d)
		}
		if d == stop {
			return nil
		}
	}
	return nil
}

// dirLicense classifies the license files of d, once.
func (ix *indexer) dirLicense(d *walk.Dir) *dirLicense {
	ds := ix.dirState(d)
	ds.licOnce.Do(func() {
		ds.lic = classifyDir(ix.cls, d.Names, d.ReadFile, func(name string) string { return path.Join(d.Rel, name) })
	})
	return ds.lic
}

// DirLicense returns the license of the code in a directory as an index
// run reads it: its license files combined as the package means them
// (license.CombineFiles, with the license section of its README: COPYING
// and COPYING.LESSER make LGPL-3.0), and whether the directory holds a
// license file at all. names are the directory's files; read returns the
// content of one.
func DirLicense(cls *license.Classifier, names []string, read func(name string) ([]byte, error)) (string, bool) {
	l := classifyDir(cls, names, read, path.Base)
	if l == nil {
		return "", false
	}
	return l.result.Expression, true
}

// classifyDir classifies the license and notice files among names with
// cls, and the license section of a README beside them;
// license.CombineFiles decides how several license files combine.
func classifyDir(cls *license.Classifier, names []string, read func(string) ([]byte, error), rel func(string) string) *dirLicense {
	var lics, notices, readmes []string
	for _, n := range names {
		switch {
		case license.IsLicenseFile(n):
			lics = append(lics, n)
		case license.IsNoticeFile(n):
			notices = append(notices, n)
		case license.IsReadme(n):
			readmes = append(readmes, n)
		}
	}
	if len(lics) == 0 {
		return nil
	}
	slices.SortFunc(lics, func(a, b string) int { return licenseFileRank(a) - licenseFileRank(b) })
	out := &dirLicense{path: rel(lics[0])}
	for _, n := range lics {
		data, err := read(n)
		if err != nil {
			continue
		}
		r := cls.LicenseFile(data)
		if len(out.text) > 0 {
			out.text = append(out.text, "\n\n"...)
		}
		out.text = append(out.text, data...)
		out.files = append(out.files, license.File{Name: n, Result: r})
		out.result.Copyrights = appendNew(out.result.Copyrights, r.Copyrights...)
		out.result.Holders = appendNew(out.result.Holders, r.Holders...)
		out.result.Matches = append(out.result.Matches, r.Matches...)
	}
	for _, n := range notices {
		if data, err := read(n); err == nil {
			st, holders := license.Copyrights(data)
			out.result.Copyrights = appendNew(out.result.Copyrights, st...)
			out.result.Holders = appendNew(out.result.Holders, holders...)
		}
	}
	slices.Sort(readmes)
	for _, n := range readmes {
		if data, err := read(n); err == nil {
			for _, m := range cls.ReadmeLicense(data).Matches {
				out.statements = append(out.statements, m.Expression)
			}
			break
		}
	}
	out.result.Expression = license.CombineFiles(out.files, out.statements...)
	if len(out.text) > corpus.MaxLicenseText {
		out.text = nil
	} else if len(out.text) > 0 {
		out.textID = corpus.LicenseTextID(out.text)
	}
	return out
}

// licenseFileRank orders license files: LICENSE before COPYING before the rest.
func licenseFileRank(name string) int {
	n := strings.ToUpper(name)
	switch {
	case strings.HasPrefix(n, "LICENSE") || strings.HasPrefix(n, "LICENCE"):
		return 0
	case strings.HasPrefix(n, "COPYING"):
		return 1
	}
	return 2
}

func appendNew(dst []string, src ...string) []string {
	for _, s := range src {
		if !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}

// aboveRoot looks for license files above a directory root, once per root.
func (ix *indexer) aboveRoot(root *walk.Dir) *dirLicense {
	ix.aboveMu.Lock()
	defer ix.aboveMu.Unlock()
	if l, ok := ix.above[root.Root]; ok {
		return l
	}
	var found *dirLicense
	if root.Root.Kind == "dir" {
		home, _ := os.UserHomeDir()
		tmp := filepath.Clean(os.TempDir())
		rc := ix.rootContext(root.Root)
		dir := filepath.FromSlash(rc.abs)
		limit := 3 + strings.Count(rc.aboveDir, "..")
		for up := 1; up <= limit; up++ {
			if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
				break // the repository ends here
			}
			parent := filepath.Dir(dir)
			if parent == dir || parent == home || parent == "/" || parent == tmp {
				break // shared directories hold no project's license
			}
			dir = parent
			entries, err := os.ReadDir(dir)
			if err != nil {
				break
			}
			var names []string
			for _, e := range entries {
				if e.Type().IsRegular() {
					names = append(names, e.Name())
				}
			}
			prefix := strings.Repeat("../", up)
			d := dir
			found = classifyDir(ix.cls, names, func(n string) ([]byte, error) {
				return os.ReadFile(filepath.Join(d, n))
			}, func(n string) string { return prefix + n })
			if found != nil {
				break
			}
		}
	}
	ix.above[root.Root] = found
	return found
}

// isVendoredPath reports whether a slash path lies in a tree of
// third-party code copied into a project: a directory named so. It is
// read on paths below the top of the code (rootContext.top), so that a
// directory above a project does not make it vendored.
func isVendoredPath(rel string) bool {
	for _, el := range strings.Split(rel, "/") {
		switch el {
		case "vendor", "third_party", "third-party", "thirdparty", "node_modules", "external", "3rdparty":
			return true
		}
	}
	return false
}

// manifests are the files pkgmeta reads.
func isManifest(base string) bool {
	switch base {
	case "go.mod", "package.json", "Cargo.toml", "pyproject.toml", "setup.cfg", "pom.xml", "modules.txt", "VERSION":
		return true
	}
	return strings.HasSuffix(base, ".gemspec")
}

// packageOf returns the package enclosing d, detected once per directory.
func (ix *indexer) packageOf(d *walk.Dir) *pkgState {
	if d == nil {
		return nil
	}
	ds := ix.dirState(d)
	ds.pkgOnce.Do(func() {
		if p := ix.detectPackage(d); p != nil {
			ds.pkg = p
			return
		}
		if d.Parent != nil {
			ds.pkg = ix.packageOf(d.Parent)
		}
	})
	return ds.pkg
}

// detectPackage reports the package whose root is d, or nil. The root
// directory of a walk that holds no package of its own lies in the
// package found above it, if any (see rootContext), else is a package
// named after it.
func (ix *indexer) detectPackage(d *walk.Dir) *pkgState {
	var p *pkgmeta.Package
	var err error
	rc := ix.rootContext(d.Root)
	dir := d.Rel
	vendored := isVendoredPath(rc.belowTop(d.Rel))
	// A module in the Go module cache, or a module zip file: module@version.
	p = ix.goModuleAt(d)
	// A module vendored by Go: vendor/<module path>, listed in modules.txt.
	if p == nil && vendored {
		p = ix.vendoredModule(d)
	}
	if p == nil {
		p, err = pkgmeta.Detect(d.Names, d.ReadFile)
		if err != nil {
			ix.opts.Logger.Debug("package manifest not understood", "dir", walk.DisplayPath(d.Root.Display, d.Rel), "err", err)
			p = nil
		}
		p = npmNameHint(p, path.Join(rc.abs, d.Rel))
	}
	if p == nil && d.Parent == nil && rc.above != nil {
		p, dir = rc.above, rc.aboveDir
		vendored = isVendoredPath(rc.belowTop(rc.aboveDir))
	}
	plain := false
	if p == nil && d.Parent == nil {
		// A plain directory given as a root: a package named after it.
		name := filepath.Base(d.Root.Path)
		if d.Root.Kind != "dir" {
			name = trimArchiveExt(name)
		}
		p, plain = &pkgmeta.Package{Name: name}, true
	}
	if p == nil {
		return nil
	}
	ps := &pkgState{dir: d, plain: plain, pkg: corpus.Package{Dir: dir, Ecosystem: p.Ecosystem, Name: p.Name,
		Version: p.Version, PURL: p.PURL, Declared: p.Declared, Vendored: vendored}}
	if !vendored {
		ps.pkg.Published = ix.opts.Published[p.PURL]
	}
	ps.pkg.License = license.ParseDeclared(p.Declared)
	if ps.pkg.License == "" {
		if l := ix.nearestLicense(d, nil); l != nil {
			ps.pkg.License = l.result.Expression
		}
	}
	return ps
}

// trimArchiveExt removes an archive suffix (".tar.gz", ".zip", ...).
func trimArchiveExt(name string) string {
	lower := strings.ToLower(name)
	for _, ext := range []string{".tar.gz", ".tar.bz2", ".tgz", ".tbz2", ".tar", ".zip", ".jar", ".crate"} {
		if strings.HasSuffix(lower, ext) {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

// vendoredModule recognises d as vendor/<module> of a Go vendor tree whose
// modules.txt lists the module. The vendor directory may lie below the
// root or above it.
func (ix *indexer) vendoredModule(d *walk.Dir) *pkgmeta.Package {
	// Find the nearest ancestor named "vendor".
	for a := d.Parent; a != nil; a = a.Parent {
		if path.Base(a.Rel) == "vendor" {
			if !a.Has("modules.txt") {
				return nil
			}
			return vendoredPackage(ix.vendorModules(a), strings.TrimPrefix(d.Rel, a.Rel+"/"))
		}
	}
	if rc := ix.rootContext(d.Root); rc.vendor != nil {
		return vendoredPackage(rc.vendor.mods, path.Join(relBelow(rc.abs, rc.vendor.dir), d.Rel))
	}
	return nil
}

func (ix *indexer) vendorModules(vendor *walk.Dir) map[string]string {
	ix.aboveMu.Lock()
	defer ix.aboveMu.Unlock()
	if m, ok := ix.vendors[vendor]; ok {
		return m
	}
	var mods map[string]string
	if data, err := vendor.ReadFile("modules.txt"); err == nil {
		mods, _ = pkgmeta.VendorModules(data)
	}
	ix.vendors[vendor] = mods
	return mods
}

// packageID returns the corpus ID of a package (writer goroutine only).
func (ix *indexer) packageID(rootID uint32, ps *pkgState) (uint32, error) {
	p := ps.pkg
	p.RootID = rootID
	return ix.w.Package(p)
}

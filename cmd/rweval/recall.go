package main

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/internal/eval/mutate"
	"github.com/snipscan/snipscan/rewrite"
)

// rewritten is one rewritten corpus function and the verdicts on its
// units.
type rewritten struct {
	desc     string // path:line name of the rewritten function
	applied  string // the transformations applied (mutate.Result.Applied)
	heldOut  bool
	verdicts []rewrite.Verdict
	// origin tells whether a corpus unit is the rewritten function, or a
	// copy of it elsewhere in the corpus (see sameFunc).
	origin map[uint32]bool
	bag    rewrite.Bag // the original function's features
	// rel, funcLine and funcEndLine place the original function in the
	// corpus (doc comment included); code is the file scanned, the
	// rewrite below its file's imports, whose lines codeLine to codeEnd
	// are the rewrite's.
	rel                   string
	funcLine, funcEndLine int
	code                  string
	codeLine, codeEnd     int
}

// heldOut puts a function in the held-out half by a hash of its path and
// name.
func heldOut(rel, name string) bool {
	h := fnv.New32a()
	h.Write([]byte(rel + "\x00" + name))
	return h.Sum32()%2 == 1
}

// goFiles calls fn for every Go file below root (test files too when
// tests is set), in walk order; testdata directories are skipped.
func goFiles(root string, tests bool, fn func(path string, src []byte) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || !tests && strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		return fn(p, src)
	})
}

// rewriteStats counts what happened to the sampled functions.
type rewriteStats struct {
	sampled, notApplicable, failed, noUnit int
}

// rewrites rewrites every every'th eligible function of the corpus and
// scores the rewrites.
func rewrites(ctx context.Context, db *corpus.DB, fd *rewrite.Finder, root string, every, minStmts int) ([]rewritten, error) {
	var out []rewritten
	var st rewriteStats
	eligible := 0
	files := map[uint32][]string{}
	err := goFiles(root, false, func(p string, src []byte) error {
		units, err := rewrite.Extract(p, src, rewrite.Options{MinStmts: minStmts})
		if err != nil || len(units) == 0 {
			return nil
		}
		fns, err := mutate.Funcs(p, src)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		imports := importDecl(src)
		for _, u := range units {
			eligible++
			if eligible%every != 0 {
				continue
			}
			st.sampled++
			r, err := rewriteOne(ctx, fd, fns, u, uint64(eligible), imports, &st)
			if err != nil {
				return err
			}
			if r == nil {
				continue
			}
			r.heldOut = heldOut(rel, u.Name)
			r.bag = u.Bag
			r.rel, r.funcLine, r.funcEndLine = rel, u.FuncLine, u.FuncEndLine
			r.desc = fmt.Sprintf("%s:%d %s", rel, u.FuncLine, u.Name)
			if err := r.origins(ctx, db, files, root, rel, u.FuncLine); err != nil {
				return err
			}
			out = append(out, *r)
		}
		return nil
	})
	fmt.Printf("rewrites: %d eligible functions, %d sampled, %d not rewritable (no transformation besides renaming applies), %d failed, %d without a unit; %d scored\n",
		eligible, st.sampled, st.notApplicable, st.failed, st.noUnit, len(out))
	return out, err
}

// rewriteOne rewrites the function of unit u and scores its units; nil
// when it could not be rewritten.
func rewriteOne(ctx context.Context, fd *rewrite.Finder, fns []mutate.Func, u rewrite.Unit, seed uint64, imports string, st *rewriteStats) (*rewritten, error) {
	var f *mutate.Func
	for i := range fns {
		if fns[i].EndLine == u.FuncEndLine {
			f = &fns[i]
		}
	}
	if f == nil {
		st.noUnit++
		return nil, nil
	}
	res, err := mutate.Rewrite(*f, seed)
	if errors.Is(err, mutate.ErrNotApplicable) {
		st.notApplicable++
		return nil, nil
	}
	if err != nil {
		st.failed++
		fmt.Fprintf(os.Stderr, "rewrite failed: %v\n", err)
		return nil, nil
	}
	head := "package p\n\n" + imports
	code := []byte(head + res.Code + "\n")
	tu, err := rewrite.Extract("rewritten.go", code, rewrite.Options{Helpers: true})
	if err != nil || len(tu) == 0 {
		st.noUnit++
		return nil, nil
	}
	vs, err := fd.Verdicts(ctx, tu)
	if err != nil {
		return nil, err
	}
	first := strings.Count(head, "\n") + 1
	return &rewritten{verdicts: strip(vs), applied: res.Applied, code: string(code),
		codeLine: first, codeEnd: first + strings.Count(strings.TrimRight(res.Code, "\n"), "\n")}, nil
}

// strip drops the feature bags of verdicts' units (not needed after
// scoring).
func strip(vs []rewrite.Verdict) []rewrite.Verdict {
	for i := range vs {
		vs[i].Unit.Bag = nil
	}
	return vs
}

// origins marks the candidate units that are the rewritten function: a
// unit of a file at rel that spans line, or a copy of the function at
// another path (sameFunc).
func (r *rewritten) origins(ctx context.Context, db *corpus.DB, files map[uint32][]string, root, rel string, line int) error {
	r.origin = map[uint32]bool{}
	for _, v := range r.verdicts {
		for _, b := range []rewrite.Best{v.Structure, v.Anchors} {
			if b.Source == nil || r.origin[b.Source.ID] {
				continue
			}
			paths, err := filePaths(ctx, db, files, b.Source.File)
			if err != nil {
				return err
			}
			for _, p := range paths {
				if p == rel && b.Source.FuncLine <= line && line <= b.Source.FuncEndLine ||
					p != rel && sameFunc(r.bag, filepath.Join(root, filepath.FromSlash(p)), b.Source.FuncLine) {
					r.origin[b.Source.ID] = true
				}
			}
		}
	}
	return nil
}

// sameAs is the share of features (unweighted Jaccard) above which a
// corpus function counts as a copy of the rewritten one: the corpus holds
// copies of some of its functions (vendored packages, internal/profile
// and pprof's profile, syscall and x/sys/unix, go/types generated from
// types2), and a match of a copy finds the rewrite as well.
const sameAs = 0.8

// sameFunc reports whether the function at line of the Go file at path
// has nearly the features bag has.
func sameFunc(bag rewrite.Bag, path string, line int) bool {
	src, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	us, err := rewrite.Extract(path, src, rewrite.Options{MinStmts: 1})
	if err != nil {
		return false
	}
	for _, u := range us {
		if u.FuncLine == line {
			return near(u.Bag, bag)
		}
	}
	return false
}

// near reports whether two functions' features are nearly the same: an
// unweighted Jaccard of at least sameAs.
func near(a, b rewrite.Bag) bool {
	shared := len(rewrite.Union(a, b))
	inter := len(a) + len(b) - shared
	return float64(inter) >= sameAs*float64(shared)
}

// filePaths returns the paths of corpus file id, cached in files.
func filePaths(ctx context.Context, db *corpus.DB, files map[uint32][]string, id uint32) ([]string, error) {
	if ps, ok := files[id]; ok {
		return ps, nil
	}
	infos, err := db.Files(ctx, []uint32{id})
	if err != nil {
		return nil, err
	}
	var ps []string
	if fi := infos[id]; fi != nil {
		for _, l := range fi.Locations {
			ps = append(ps, l.Path)
		}
	}
	files[id] = ps
	return ps, nil
}

// importDecl returns the imports of a Go file as a declaration to put
// above a rewrite of one of its functions (a rewrite pasted into a file
// imports what it calls), with cmp and slices added, which rewrites may
// introduce.
func importDecl(src []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("import (\n")
	seen := map[string]bool{}
	for _, imp := range f.Imports {
		if imp.Name != nil {
			b.WriteString(imp.Name.Name + " ")
		}
		b.WriteString(imp.Path.Value + "\n")
		seen[imp.Path.Value] = true
	}
	for _, p := range []string{`"cmp"`, `"slices"`} {
		if !seen[p] {
			b.WriteString(p + "\n")
		}
	}
	b.WriteString(")\n\n")
	return b.String()
}

package eval

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/snipscan/snipscan/internal/eval/mutate"
)

// WholeFile is the class of cases that copy a whole corpus file.
const WholeFile = "wholefile"

// Classes lists every case class: the mutation kinds, then WholeFile.
func Classes() []string { return append(mutate.Kinds(), WholeFile) }

// Root is an indexed corpus root with the license its files carry.
type Root struct {
	Name    string // module path, or "std"
	Dir     string // absolute directory
	License string // expected SPDX expression of its files
}

// Case is one target file holding code copied from the corpus.
type Case struct {
	ID        string
	Class     string
	Target    string // absolute path of the target file
	TLines    [2]int // lines of the pasted code in the target
	Root      *Root
	Source    string // absolute path of the corpus file
	SourceRel string // slash path below the root, as snipscan reports it
	SLines    [2]int // lines of the corpus file the pasted code comes from
	// AltTLines and AltSLines, when set, are another answer as right: for
	// a merged copy, the original body alone, without the header and
	// closing brace that the copy renamed and kept; for a partial copy of
	// a function's first half, the source from the original's header.
	AltTLines, AltSLines [2]int
	Func                 string // function name, for reports
}

// Negative is a target file that holds no code from the corpus, unless an
// aligner confirms a finding in it.
type Negative struct {
	Class  string // "host", "heldout", "idiom"
	Target string
}

// Set is a generated evaluation set.
type Set struct {
	Dir       string // where the target files are
	Cases     []*Case
	Negatives []*Negative
}

// Source files the generator does not pick functions from: generated code,
// tests, test data and vendored code are not what people copy and label.
func pickable(rel string) bool {
	if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
		return false
	}
	for _, el := range strings.Split(rel, "/") {
		switch el {
		case "testdata", "vendor", "third_party", "internal_test", "_gen", "_asm":
			return false
		}
	}
	return true
}

// isGenerated reports whether src carries the "Code generated ... DO NOT
// EDIT." line.
func isGenerated(src []byte) bool {
	head := src[:min(len(src), 2048)]
	return bytes.Contains(head, []byte("Code generated")) && bytes.Contains(head, []byte("DO NOT EDIT"))
}

// GenOptions configure Generate.
type GenOptions struct {
	PerClass int    // cases per class
	Seed     uint64 // everything is deterministic for a seed
	MinLines int    // smallest function picked (lines)
	MaxLines int    // largest function picked
	Hosts    []string
	Idioms   map[string]string // name -> Go source
}

// Generate builds the evaluation set in dir: per class, PerClass functions
// picked at random from the corpus roots, mutated, and pasted between two
// top-level declarations of a host file (a file that is in no corpus), plus
// whole-file copies, the host files on their own, and idioms.
func Generate(dir string, roots []*Root, opts GenOptions) (*Set, error) {
	r := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	type srcFile struct {
		root *Root
		path string
		rel  string
	}
	var files []srcFile
	for _, root := range roots {
		err := filepath.WalkDir(root.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(root.Dir, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if d.Name() == "testdata" || d.Name() == "vendor" || strings.HasPrefix(d.Name(), ".") && rel != "." {
					return filepath.SkipDir
				}
				// A directory with a license file of its own below the
				// root holds third-party code under another license: its
				// files are not labelled with the root's license.
				if rel != "." && hasLicenseFile(p) {
					return filepath.SkipDir
				}
				return nil
			}
			if pickable(rel) {
				files = append(files, srcFile{root, p, rel})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("eval: no corpus files")
	}
	// Balance the roots: the standard library is far larger than any
	// module, and the license classes should all be represented. Draw a
	// root first, then a file of it.
	byRoot := map[*Root][]srcFile{}
	for _, f := range files {
		byRoot[f.root] = append(byRoot[f.root], f)
	}
	var rootList []*Root
	for _, root := range roots {
		if len(byRoot[root]) > 0 {
			rootList = append(rootList, root)
		}
	}
	hosts, err := loadHosts(opts.Hosts)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 {
		return nil, fmt.Errorf("eval: no host files")
	}
	set := &Set{Dir: dir}
	used := map[string]bool{} // function identity, so no function is used twice in a class
	for _, class := range Classes() {
		cdir := filepath.Join(dir, class)
		if err := os.MkdirAll(cdir, 0o755); err != nil {
			return nil, err
		}
		made := 0
		for attempt := 0; made < opts.PerClass && attempt < opts.PerClass*200; attempt++ {
			root := rootList[r.IntN(len(rootList))]
			sf := byRoot[root][r.IntN(len(byRoot[root]))]
			src, err := os.ReadFile(sf.path)
			if err != nil || isGenerated(src) || !utf8Valid(src) {
				continue
			}
			id := fmt.Sprintf("%s-%03d", class, made)
			if class == WholeFile {
				n := bytes.Count(src, []byte("\n"))
				if n > 800 || codeLines(src) < 30 || used[class+sf.path] {
					continue
				}
				used[class+sf.path] = true
				target := filepath.Join(cdir, fmt.Sprintf("%03d_%s", made, filepath.Base(sf.path)))
				if err := os.WriteFile(target, src, 0o644); err != nil {
					return nil, err
				}
				set.Cases = append(set.Cases, &Case{ID: id, Class: class, Target: target, TLines: [2]int{1, n},
					Root: root, Source: sf.path, SourceRel: sf.rel, SLines: [2]int{1, n}})
				made++
				continue
			}
			fns, err := mutate.Funcs(sf.path, src)
			if err != nil || len(fns) == 0 {
				continue
			}
			fn := fns[r.IntN(len(fns))]
			if n := fn.EndLine - fn.Line + 1; n < opts.MinLines || n > opts.MaxLines || used[class+sf.path+fn.Name] {
				continue
			}
			res, err := mutate.Apply(fn, class, r.Uint64())
			if err != nil || res.SrcLines[1]-res.SrcLines[0]+1 < ConfirmLines {
				continue // a copy shorter than the aligner's real reuse is an idiom
			}
			h := hosts[r.IntN(len(hosts))]
			doc, tl, ok := paste(h, res.Code, r)
			if !ok {
				continue
			}
			used[class+sf.path+fn.Name] = true
			target := filepath.Join(cdir, fmt.Sprintf("%03d_%s", made, filepath.Base(h.path)))
			if err := os.WriteFile(target, doc, 0o644); err != nil {
				return nil, err
			}
			c := &Case{ID: id, Class: class, Target: target, TLines: tl, Root: root,
				Source: sf.path, SourceRel: sf.rel, SLines: res.SrcLines, Func: fn.Name}
			if res.BodyLines[0] > 0 {
				c.AltTLines = [2]int{tl[0] + res.BodyLines[0] - 1, tl[0] + res.BodyLines[1] - 1}
				c.AltSLines = res.BodySrcLines
			}
			set.Cases = append(set.Cases, c)
			made++
		}
		if made < opts.PerClass {
			return nil, fmt.Errorf("eval: class %s: only %d of %d cases could be made", class, made, opts.PerClass)
		}
	}
	// Negatives: every host on its own, and the idioms.
	ndir := filepath.Join(dir, "negative")
	os.MkdirAll(ndir, 0o755)
	for i, h := range hosts {
		target := filepath.Join(ndir, fmt.Sprintf("host%03d_%s", i, filepath.Base(h.path)))
		if err := os.WriteFile(target, h.src, 0o644); err != nil {
			return nil, err
		}
		set.Negatives = append(set.Negatives, &Negative{Class: "host", Target: target})
	}
	idir := filepath.Join(dir, "idiom")
	os.MkdirAll(idir, 0o755)
	names := make([]string, 0, len(opts.Idioms))
	for n := range opts.Idioms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		target := filepath.Join(idir, n)
		if err := os.WriteFile(target, []byte(opts.Idioms[n]), 0o644); err != nil {
			return nil, err
		}
		set.Negatives = append(set.Negatives, &Negative{Class: "idiom", Target: target})
	}
	return set, nil
}

// hasLicenseFile reports whether dir holds a LICENSE or COPYING file.
func hasLicenseFile(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		n := strings.ToUpper(e.Name())
		if strings.HasPrefix(n, "LICENSE") || strings.HasPrefix(n, "LICENCE") || strings.HasPrefix(n, "COPYING") {
			return true
		}
	}
	return false
}

// codeLines counts the lines of src that hold code: not blank, not a
// comment.
func codeLines(src []byte) int {
	n, inBlock := 0, false
	for _, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case inBlock:
			if strings.Contains(l, "*/") {
				inBlock = false
			}
		case strings.HasPrefix(l, "/*"):
			inBlock = !strings.Contains(l, "*/")
		case l == "" || strings.HasPrefix(l, "//"):
		default:
			n++
		}
	}
	return n
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

// host is a file that holds no corpus code, to paste copies into.
type host struct {
	path string
	src  []byte
	cuts []int // byte offsets between top-level declarations
}

func loadHosts(paths []string) ([]*host, error) {
	var out []*host
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, parser.ParseComments)
		if err != nil || len(f.Decls) < 2 {
			continue
		}
		h := &host{path: p, src: src}
		for _, d := range f.Decls[1:] {
			off := fset.Position(d.Pos()).Offset
			// Cut before the declaration's doc comment, at a line start.
			if doc := docOf(d); doc != nil {
				off = fset.Position(doc.Pos()).Offset
			}
			for off > 0 && src[off-1] != '\n' {
				off--
			}
			h.cuts = append(h.cuts, off)
		}
		if len(h.cuts) > 0 {
			out = append(out, h)
		}
	}
	return out, nil
}

// paste inserts code into h at a random declaration boundary and returns
// the new file and the lines the code occupies.
func paste(h *host, code string, r *rand.Rand) ([]byte, [2]int, bool) {
	cut := h.cuts[r.IntN(len(h.cuts))]
	head := h.src[:cut]
	code = strings.TrimRight(code, "\n") + "\n"
	start := bytes.Count(head, []byte("\n")) + 2 // one blank line before
	end := start + strings.Count(code, "\n") - 1
	var doc bytes.Buffer
	doc.Write(head)
	doc.WriteString("\n")
	doc.WriteString(code)
	doc.WriteString("\n")
	doc.Write(h.src[cut:])
	return doc.Bytes(), [2]int{start, end}, true
}

// Hosts returns the Go files of the given directories that can host pasted
// code: non-test files of at least minLines lines.
func Hosts(dirs []string, minLines int) []string {
	var out []string
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if d.Name() == "testdata" || d.Name() == "vendor" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil || isGenerated(src) || bytes.Count(src, []byte("\n")) < minLines {
				return nil
			}
			out = append(out, p)
			return nil
		})
	}
	slices.Sort(out)
	return out
}

// docOf returns the doc comment of a declaration.
func docOf(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}

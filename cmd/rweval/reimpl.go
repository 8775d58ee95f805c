package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/snipscan/snipscan/rewrite"
)

// reimpl is a function outside the corpus that does what a corpus
// function does, written independently.
type reimpl struct {
	suffix string // module-cache path: escaped module@version/path
	name   string // function, Recv.Name for a method
	of     string // the corpus function it reimplements
}

// readReimpls reads a list of reimplementations: module@version, path,
// function and corpus function, tab-separated, # comments.
func readReimpls(path string) ([]reimpl, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rweval: %w", err)
	}
	defer f.Close()
	var out []reimpl
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 4 {
			return nil, fmt.Errorf("rweval: %s: want 4 tab-separated fields: %q", path, line)
		}
		out = append(out, reimpl{suffix: escapeModule(parts[0]) + "/" + parts[1], name: parts[2], of: parts[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("rweval: %s: %w", path, err)
	}
	return out, nil
}

// escapeModule spells a module path the way the module cache does: an
// upper-case letter becomes ! and the letter in lower case.
func escapeModule(m string) string {
	var b strings.Builder
	for _, r := range m {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// knownCopies tells genuine copies among flagged functions: those listed
// (eval/rewrite-copies.txt; the name * stands for every function of a
// file, or of a directory when the path ends with /) and those in files
// that name the Go Authors in a copyright notice.
type knownCopies struct {
	listed []reimpl
	goFile map[string]bool // path -> carries the Go Authors' copyright
}

// is reports whether the function name of the file at path is a genuine
// copy.
func (k *knownCopies) is(path, name string) bool {
	if k == nil {
		return false
	}
	p := filepath.ToSlash(path)
	for _, r := range k.listed {
		if r.name == "*" && strings.HasSuffix(r.suffix, "/") && strings.Contains(p, "/"+r.suffix) ||
			(r.name == name || r.name == "*") && strings.HasSuffix(p, "/"+r.suffix) {
			return true
		}
	}
	v, ok := k.goFile[path]
	if !ok {
		src, err := os.ReadFile(path)
		low := strings.ToLower(string(src))
		v = err == nil && strings.Contains(low, "copyright") && strings.Contains(low, "the go authors")
		k.goFile[path] = v
	}
	return v
}

// reimpls are the reimplementations with the verdicts on their units.
type reimpls struct {
	list     []reimpl
	verdicts [][]rewrite.Verdict // per reimplementation (none: not scanned)
	tune     []bool              // per reimplementation: in a tuning directory
}

// reimplVerdicts returns, per reimplementation, the verdicts on its
// units (none when it has no unit large enough to be scanned), and
// whether it lies in a tuning directory.
func reimplVerdicts(rs []reimpl, sets []unrelatedSet) ([][]rewrite.Verdict, []bool) {
	out := make([][]rewrite.Verdict, len(rs))
	tune := make([]bool, len(rs))
	for _, s := range sets {
		for _, f := range s.byFile {
			p := filepath.ToSlash(f.path)
			for i, r := range rs {
				if !strings.HasSuffix(p, "/"+r.suffix) {
					continue
				}
				tune[i] = s.tune
				for _, v := range f.verdicts {
					if v.Unit.Name == r.name {
						out[i] = append(out[i], v)
					}
				}
			}
		}
	}
	return out, tune
}

// flagged returns the reimplementations flagged at thresholds o, and how
// many of them lie in tuning directories.
func (re *reimpls) flagged(o rewrite.FindOptions) (names []string, tune int) {
	for i, r := range re.list {
		if len(o.Matches(re.verdicts[i])) > 0 {
			names = append(names, r.suffix+" "+r.name)
			if re.tune[i] {
				tune++
			}
		}
	}
	return names, tune
}

// printReimpls prints how many reimplementations were scanned and which
// are flagged at each threshold of grid.
func printReimpls(w io.Writer, re *reimpls, grid []rewrite.FindOptions) {
	if len(re.list) == 0 {
		return
	}
	scanned := 0
	for i, r := range re.list {
		if len(re.verdicts[i]) > 0 {
			scanned++
		} else {
			fmt.Fprintf(w, "  reimplementation not scanned (no unit of %d statements, or absent): %s %s\n", minQueryStmts, r.suffix, r.name)
		}
	}
	for _, o := range grid {
		names, _ := re.flagged(o)
		fmt.Fprintf(w, "%s | reimplementations flagged: %d of %d scanned %v\n", thr(o), len(names), scanned, names)
	}
}

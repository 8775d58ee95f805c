package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/rewrite"
)

// minQueryStmts is the smallest unrelated unit scanned, as in recall
// (--min-stmts defaults to it).
const minQueryStmts = 10

// unrelatedSet is the code of one directory outside the corpus, scored.
type unrelatedSet struct {
	dir          string
	tune         bool
	files, funcs int // functions with at least one statement
	scanned      int // functions with a unit of at least minQueryStmts
	byFile       []fileVerdicts
	// spans are the scanned functions of each file with one, by absolute
	// path, for the peer tools (whose matches are line ranges).
	spans map[string][]span
}

// span is a scanned function: its lines, doc comment included, and name.
type span struct {
	line, end int
	name      string
}

// fileVerdicts are the verdicts on the units of one file.
type fileVerdicts struct {
	path     string
	verdicts []rewrite.Verdict
}

// scanUnrelated scores every function below dir.
func scanUnrelated(ctx context.Context, fd *rewrite.Finder, dir string, tune bool) (unrelatedSet, error) {
	s := unrelatedSet{dir: dir, tune: tune, spans: map[string][]span{}}
	err := goFiles(dir, true, func(p string, src []byte) error {
		us, err := rewrite.Extract(p, src, rewrite.Options{Helpers: true, MinStmts: 1})
		if err != nil {
			return nil
		}
		s.files++
		seen, big := map[int]bool{}, map[int]bool{}
		var query []rewrite.Unit
		for _, u := range us {
			if !seen[u.FuncLine] {
				seen[u.FuncLine] = true
				s.funcs++
			}
			if u.Stmts >= minQueryStmts {
				big[u.FuncLine] = true
				query = append(query, u)
			}
		}
		s.scanned += len(big)
		if len(big) > 0 {
			abs, err := filepath.Abs(p)
			if err != nil {
				return err
			}
			for _, u := range us {
				if big[u.FuncLine] {
					delete(big, u.FuncLine)
					s.spans[abs] = append(s.spans[abs], span{u.FuncLine, u.FuncEndLine, u.Name})
				}
			}
		}
		vs, err := fd.Verdicts(ctx, query)
		if err != nil {
			return err
		}
		if len(vs) > 0 {
			s.byFile = append(s.byFile, fileVerdicts{path: p, verdicts: strip(vs)})
		}
		return nil
	})
	return s, err
}

// flagged counts the functions of s flagged at thresholds o, and those
// of them that are genuine copies.
func (s *unrelatedSet) flagged(o rewrite.FindOptions, k *knownCopies) (flags, copies int) {
	for _, f := range s.byFile {
		for _, m := range o.Matches(f.verdicts) {
			flags++
			if k.is(f.path, m.Unit.Name) {
				copies++
			}
		}
	}
	return flags, copies
}

// writeFlags lists the functions flagged at thresholds o, with their
// supposed sources, one a line.
// Rewrites attributed to another source than their own follow, one a
// line.
func writeFlags(ctx context.Context, db *corpus.DB, path string, rw []rewritten, sets []unrelatedSet, o rewrite.FindOptions, k *knownCopies) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("rweval: %w", err)
	}
	w := bufio.NewWriter(out)
	files := map[uint32][]string{}
	for _, s := range sets {
		for _, f := range s.byFile {
			for _, m := range o.Matches(f.verdicts) {
				ps, err := filePaths(ctx, db, files, m.Source.File)
				if err != nil {
					out.Close()
					return err
				}
				src := "?"
				if len(ps) > 0 {
					src = ps[0]
				}
				rel, _ := filepath.Rel(s.dir, f.path)
				kind := "flag"
				if k.is(f.path, m.Unit.Name) {
					kind = "copy"
				}
				fmt.Fprintf(w, "%s\t%s:%d-%d\t%s\t%s:%d-%d\tsim %.2f anchors %.2f second %.2f rare %d via %s\t%s\n",
					s.dir, rel, m.Unit.Line, m.Unit.EndLine, m.Unit.Name, src, m.Source.FuncLine, m.Source.FuncEndLine,
					m.Similarity, m.Anchors, m.Second, m.Rare, m.Channel, kind)
			}
		}
	}
	for _, r := range rw {
		ms := o.Matches(r.verdicts)
		hit := false
		for _, m := range ms {
			hit = hit || r.origin[m.Source.ID]
		}
		if hit {
			continue
		}
		if len(ms) == 0 {
			writeMissed(w, r)
			continue
		}
		for _, m := range ms {
			ps, err := filePaths(ctx, db, files, m.Source.File)
			if err != nil {
				out.Close()
				return err
			}
			fmt.Fprintf(w, "wrong source\t%s\t%v:%d-%d\tsim %.2f anchors %.2f second %.2f rare %d via %s\n",
				r.desc, ps, m.Source.FuncLine, m.Source.FuncEndLine, m.Similarity, m.Anchors, m.Second, m.Rare, m.Channel)
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("rweval: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("rweval: %w", err)
	}
	return nil
}

// writeMissed describes a rewrite that no match found: the best unit's
// best candidate on each channel, and whether it is the rewritten
// function.
func writeMissed(w io.Writer, r rewritten) {
	var bs, ba rewrite.Best
	for _, v := range r.verdicts {
		if v.Structure.Source != nil && v.Structure.Score > bs.Score {
			bs = v.Structure
		}
		if v.Anchors.Source != nil && v.Anchors.Score > ba.Score {
			ba = v.Anchors
		}
	}
	desc := func(b rewrite.Best) string {
		if b.Source == nil {
			return "none"
		}
		return fmt.Sprintf("own %v sim %.2f anchors %.2f second %.2f rare %d", r.origin[b.Source.ID], b.Similarity, b.Anchors, b.Second, b.Rare)
	}
	fmt.Fprintf(w, "missed\t%s\t%d units\tstructure: %s\tanchors: %s\n", r.desc, len(r.verdicts), desc(bs), desc(ba))
}

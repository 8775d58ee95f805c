package main

// End-to-end test of sources that changed since they were indexed: the
// reports say so, show none of their code, and give the indexed lines.

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// zipTree writes the regular files below from into a new zip archive at
// path, named prefix/relative path; skip leaves files out by their
// relative slash path.
func zipTree(t *testing.T, from, path, prefix string, replace map[string][]byte, skip map[string]bool) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if skip[rel] {
			return nil
		}
		data, ok := replace[rel]
		if !ok {
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		w, err := zw.Create(prefix + "/" + rel)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// sourceSides returns the source halves of the HTML report's code views.
func sourceSides(html string) []string {
	var out []string
	for _, part := range strings.Split(html, `<section class="side source">`)[1:] {
		end := strings.Index(part, "</section>")
		if end < 0 {
			end = len(part)
		}
		out = append(out, part[:end])
	}
	return out
}

// TestStaleSources indexes a copy of GOROOT's encoding/csv, as a directory
// and as a zip archive, and scans a file into which its readRecord was
// pasted. Then the corpus file changes: lines inserted above the function,
// the function edited in place (same size, other bytes), the file removed,
// the archive's member changed or removed. Each time the JSON report says
// source_changed or source_gone, the text report says so, the HTML report
// shows no source code for the finding but a notice, and the finding's
// source lines are the indexed ones (those of a scan of the unchanged
// corpus without source text).
func TestStaleSources(t *testing.T) {
	csv := filepath.Join(goroot(t), "src", "encoding", "csv")
	dir := t.TempDir()
	tree := filepath.Join(dir, "corpus", "csv")
	copyTree(t, csv, tree)
	archive := filepath.Join(dir, "csv.zip")
	zipTree(t, tree, archive, "csv", nil, nil)
	dirDB, zipDB := filepath.Join(dir, "dir.db"), filepath.Join(dir, "zip.db")
	for db, root := range map[string]string{dirDB: filepath.Dir(tree), zipDB: archive} {
		if r := snipscan(t, nil, "index", "--progress", "never", "--db", db, root); r.code != 0 {
			t.Fatalf("index %s: %s", root, r.stderr)
		}
	}
	targets, _, t0, _, s0, s1 := pastedCSV(t)
	reader := filepath.Join(tree, "reader.go")
	original, err := os.ReadFile(reader)
	if err != nil {
		t.Fatal(err)
	}

	type finding struct {
		lines         [2]int
		changed, gone bool
		text, html    string
		sides         []string
	}
	scan := func(db string, flags ...string) finding {
		t.Helper()
		doc, r := scanJSON(t, db, append(flags, targets)...)
		if len(doc.Files) != 1 || len(doc.Files[0].Matches) != 1 {
			t.Fatalf("want one finding, got %+v\n%s", doc.Files, r.stderr)
		}
		m := doc.Files[0].Matches[0]
		if !strings.HasSuffix(m.Source.Path, "csv/reader.go") {
			t.Fatalf("finding from %s, want csv/reader.go", m.Source.Path)
		}
		f := finding{lines: m.Source.Lines, changed: m.Source.SourceChanged, gone: m.Source.SourceGone}
		f.text = snipscan(t, nil, append(append([]string{"scan", "--db", db}, flags...), targets)...).stdout
		page := filepath.Join(t.TempDir(), "report.html")
		if r := snipscan(t, nil, append(append([]string{"scan", "--db", db, "--format", "html", "--output", page}, flags...), targets)...); r.code != 0 {
			t.Fatalf("html: exit %d %s", r.code, r.stderr)
		}
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		f.html, f.sides = string(data), sourceSides(string(data))
		return f
	}
	codeRow := func(n int) string { return `<td class="n">` + strconv.Itoa(n) + `</td>` }

	for _, db := range []string{dirDB, zipDB} {
		// The unchanged corpus: its code is shown, nothing is said.
		before := scan(db)
		if before.changed || before.gone || strings.Contains(before.text, "note ") || strings.Contains(before.html, `class="stale"`) {
			t.Errorf("%s: the unchanged source is said to have changed:\n%s", filepath.Base(db), before.text)
		}
		if len(before.sides) != 1 || !strings.Contains(before.sides[0], codeRow(s0)) || !strings.Contains(before.sides[0], codeRow(s1)) {
			t.Fatalf("%s: the unchanged source's code is not shown: %v", filepath.Base(db), before.sides)
		}
		if !near(before.lines, s0, s1) {
			t.Errorf("%s: source lines %v, want about %d-%d", filepath.Base(db), before.lines, s0, s1)
		}
		indexed := scan(db, "--no-source-text").lines
		if !near(indexed, s0, s1) {
			t.Errorf("%s --no-source-text: source lines %v, want about %d-%d", filepath.Base(db), indexed, s0, s1)
		}

		fn := strings.Index(string(original), "\nfunc (r *Reader) readRecord(") + 1
		inserted := string(original[:fn]) + "// A comment added after indexing.\n//\n// And another paragraph.\n" + string(original[fn:])
		inPlace := []byte(string(original))
		at := fn + strings.Index(string(original[fn:]), "recLine")
		inPlace[at+len("recLine")-1] = 'X' // recLinX: same size, other content
		cases := []struct {
			name   string
			change func()
			gone   bool
		}{
			{"lines inserted above the function", func() { os.WriteFile(reader, []byte(inserted), 0o644) }, false},
			{"the function edited in place", func() { os.WriteFile(reader, inPlace, 0o644) }, false},
			{"the file removed", func() { os.Remove(reader) }, true},
		}
		if db == zipDB {
			cases = []struct {
				name   string
				change func()
				gone   bool
			}{
				{"the member changed", func() {
					zipTree(t, tree, archive, "csv", map[string][]byte{"reader.go": []byte(inserted)}, nil)
				}, false},
				{"the member edited in place", func() {
					zipTree(t, tree, archive, "csv", map[string][]byte{"reader.go": inPlace}, nil)
				}, false},
				{"the member removed", func() { zipTree(t, tree, archive, "csv", nil, map[string]bool{"reader.go": true}) }, true},
				{"the archive removed", func() { os.Remove(archive) }, true},
			}
		}
		for _, c := range cases {
			c.change()
			got := scan(db)
			what, flag, other := "changed", got.changed, got.gone
			if c.gone {
				what, flag, other = "is no longer where it was indexed", got.gone, got.changed
			}
			if !flag || other {
				t.Errorf("%s, %s: source_changed %v, source_gone %v", filepath.Base(db), c.name, got.changed, got.gone)
			}
			if got.lines != indexed {
				t.Errorf("%s, %s: source lines %v, want the indexed %v", filepath.Base(db), c.name, got.lines, indexed)
			}
			if !strings.Contains(got.text, "    note     the source file "+what) {
				t.Errorf("%s, %s: the text report does not say the source %s:\n%s", filepath.Base(db), c.name, what, got.text)
			}
			if len(got.sides) != 1 || strings.Contains(got.sides[0], `<td class="n">`) ||
				!strings.Contains(got.sides[0], `<p class="unavailable">Code not shown: the source file `+what) {
				t.Errorf("%s, %s: the HTML report shows the source's code or no notice: %v", filepath.Base(db), c.name, got.sides)
			}
			if !strings.Contains(got.html, `<span class="stale">`) || !strings.Contains(got.html, codeRow(t0)) {
				t.Errorf("%s, %s: the HTML report lacks the stale mark, or the target's code", filepath.Base(db), c.name)
			}
			// Back to the indexed state.
			if err := os.WriteFile(reader, original, 0o644); err != nil {
				t.Fatal(err)
			}
			zipTree(t, tree, archive, "csv", nil, nil)
		}
	}
}

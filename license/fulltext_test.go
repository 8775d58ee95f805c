package license

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/license/spdxindex"
)

// classifierAsset reads assets/License/<id>/<file> of
// github.com/google/licenseclassifier/v2 from the module cache.
func classifierAsset(t *testing.T, dir, id, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "assets", "License", id, file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// paragraphs splits text at blank lines.
func paragraphs(text []byte) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// reflow joins the lines of each paragraph and wraps them at width
// columns.
func reflow(text []byte, width int) []byte {
	var b bytes.Buffer
	for _, p := range paragraphs(text) {
		col := 0
		for _, w := range strings.Fields(p) {
			if col > 0 && col+1+len(w) > width {
				b.WriteByte('\n')
				col = 0
			} else if col > 0 {
				b.WriteByte(' ')
				col++
			}
			b.WriteString(w)
			col += len(w)
		}
		b.WriteString("\n\n")
	}
	return b.Bytes()
}

// dropParagraphs removes the n longest paragraphs after the first.
func dropParagraphs(text []byte, n int) []byte {
	ps := paragraphs(text)
	for range n {
		longest := 1
		for i := 1; i < len(ps); i++ {
			if len(ps[i]) > len(ps[longest]) {
				longest = i
			}
		}
		ps = append(ps[:longest], ps[longest+1:]...)
	}
	return []byte(strings.Join(ps, "\n\n") + "\n")
}

// fullTextOf returns the expression and the coverage of the only full-text
// match of r, or "" and 0 when r has none or several.
func fullTextOf(r Result) (string, float64) {
	var expr string
	var cov float64
	n := 0
	for _, m := range r.Matches {
		if m.Evidence == EvidenceText && m.Coverage > 0 {
			expr, cov = m.Expression, m.Coverage
			n++
		}
	}
	if n != 1 {
		return "", 0
	}
	return expr, cov
}

// TestFullTextsInTheWild classifies real license texts as they appear in
// projects: with other line breaks, with their heading removed or
// another heading added, with another year and holder, and with one long
// paragraph missing. Near variants (MIT and X11, the BSD family, GPL-2.0
// and LGPL-2.1, Apache-1.1 and 2.0) must each be told apart.
func TestFullTextsInTheWild(t *testing.T) {
	t.Parallel()
	dir := testnet.ModuleDir(t, "github.com/google/licenseclassifier/v2@v2.0.0")
	cases := []struct {
		name, want string
		text       []byte
	}{
		{"MIT", "MIT", classifierAsset(t, dir, "MIT", "pristine.txt")},
		{"X11", "X11", classifierAsset(t, dir, "X11", "license.txt")},
		{"ISC", "ISC", classifierAsset(t, dir, "ISC", "pristine.txt")},
		{"BSD-2-Clause", "BSD-2-Clause", classifierAsset(t, dir, "BSD-2-Clause", "pristine.txt")},
		{"BSD-3-Clause", "BSD-3-Clause", classifierAsset(t, dir, "BSD-3-Clause", "pristine.txt")},
		{"BSD-3-Clause-Clear", "BSD-3-Clause-Clear", classifierAsset(t, dir, "BSD-3-Clause-Clear", "pristine.txt")},
		{"BSD-4-Clause", "BSD-4-Clause", classifierAsset(t, dir, "BSD-4-Clause", "pristine.txt")},
		{"Apache-1.1", "Apache-1.1", classifierAsset(t, dir, "Apache-1.1", "license.txt")},
		{"Zlib", "Zlib", classifierAsset(t, dir, "Zlib", "pristine.txt")},
		{"Unlicense", "Unlicense", classifierAsset(t, dir, "Unlicense", "license.txt")},
		{"CC-BY-4.0", "CC-BY-4.0", classifierAsset(t, dir, "CC-BY-4.0", "license.txt")},
		{"AGPL-3.0", "AGPL-3.0-only", classifierAsset(t, dir, "AGPL-3.0", "license.txt")},
		{"EPL-2.0", "EPL-2.0", classifierAsset(t, dir, "EPL-2.0", "license.txt")},
		{"NCSA", "NCSA", classifierAsset(t, dir, "NCSA", "license.txt")},
		{"PostgreSQL", "PostgreSQL", classifierAsset(t, dir, "PostgreSQL", "license.txt")},
		{"common Apache-2.0", "Apache-2.0", commonLicense(t, "Apache-2.0")},
		{"common GPL-2", "GPL-2.0-only", commonLicense(t, "GPL-2")},
		{"common LGPL-2.1", "LGPL-2.1-only", commonLicense(t, "LGPL-2.1")},
		{"common MPL-2.0", "MPL-2.0", commonLicense(t, "MPL-2.0")},
		{"common Artistic", "Artistic-1.0-Perl", commonLicense(t, "Artistic")},
	}
	variants := []struct {
		name string
		f    func([]byte) []byte
	}{
		{"as is", func(b []byte) []byte { return b }},
		{"reflowed", func(b []byte) []byte { return reflow(b, 52) }},
		{"one line per paragraph", func(b []byte) []byte { return reflow(b, 1<<20) }},
		{"heading removed", removeHeading},
		{"heading added", func(b []byte) []byte { return append([]byte("# License\n\nLicense terms\n=============\n\n"), b...) }},
		{"another holder", func(b []byte) []byte {
			return append([]byte("Copyright (c) 2019-2023 Zhang Wei and contributors\nAll rights reserved.\n\n"), b...)
		}},
	}
	c := New()
	for _, tc := range cases {
		for _, v := range variants {
			text := v.f(tc.text)
			got, cov := fullTextOf(c.LicenseFile(text))
			if got != tc.want || cov < spdxindex.Threshold {
				t.Errorf("%s, %s: full text %q coverage %.3f, want %s", tc.name, v.name, got, cov, tc.want)
			}
		}
	}
}

// TestFullTextWithParagraphsMissing drops paragraphs from long license
// texts: one missing paragraph lowers the coverage but the text still
// matches; without most of its paragraphs it is no longer the text.
func TestFullTextWithParagraphsMissing(t *testing.T) {
	t.Parallel()
	c := New()
	for _, tc := range []struct{ file, want string }{
		{"GPL-3", "GPL-3.0-only"}, {"Apache-2.0", "Apache-2.0"}, {"MPL-2.0", "MPL-2.0"}, {"LGPL-2.1", "LGPL-2.1-only"},
	} {
		text := commonLicense(t, tc.file)
		_, full := fullTextOf(c.LicenseFile(text))
		got, cov := fullTextOf(c.LicenseFile(dropParagraphs(text, 1)))
		if got != tc.want || cov >= full || cov < spdxindex.Threshold {
			t.Errorf("%s without its longest paragraph: %q coverage %.3f (whole text %.3f), want %s above %.2f",
				tc.file, got, cov, full, tc.want, spdxindex.Threshold)
		}
		half := len(paragraphs(text)) / 2
		if got, cov := fullTextOf(c.LicenseFile(dropParagraphs(text, half))); got != "" {
			t.Errorf("%s without %d paragraphs: full text %q coverage %.3f, want none", tc.file, half, got, cov)
		}
	}
}

// TestConcatenatedTexts finds each of several texts in one file, each with
// its own lines, and reads no second license into a GPL text's "How to
// Apply" sample notice.
func TestConcatenatedTexts(t *testing.T) {
	t.Parallel()
	c := New()
	mit := []byte("Copyright (c) 2020 Ada Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n")
	text := append(append(slicesConcat(commonLicense(t, "Apache-2.0"), []byte("\n\n")), mit...), []byte("\n\n")...)
	text = append(text, commonLicense(t, "GPL-3")...)
	r := c.LicenseFile(text)
	var got []string
	for _, m := range r.Matches {
		if m.Evidence == EvidenceText {
			got = append(got, m.Expression)
		}
	}
	if strings.Join(got, " ") != "Apache-2.0 MIT GPL-3.0-only" || len(r.Matches) != 3 {
		t.Errorf("matches %+v, want the texts of Apache-2.0, MIT and GPL-3.0-only alone", r.Matches)
	}
	if r.Expression != "Apache-2.0 AND GPL-3.0-only AND MIT" {
		t.Errorf("Expression = %q", r.Expression)
	}
	for i := 1; i < len(r.Matches); i++ {
		if r.Matches[i].Lines[0] <= r.Matches[i-1].Lines[1] {
			t.Errorf("match %d (lines %v) overlaps match %d (lines %v)", i, r.Matches[i].Lines, i-1, r.Matches[i-1].Lines)
		}
	}
}

// removeHeading drops the first paragraph of a text when it is a heading
// (at most 8 words).
func removeHeading(b []byte) []byte {
	ps := paragraphs(b)
	if len(strings.Fields(ps[0])) > 8 {
		return b
	}
	return []byte(strings.Join(ps[1:], "\n\n"))
}

func slicesConcat(a, b []byte) []byte { return append(append([]byte{}, a...), b...) }

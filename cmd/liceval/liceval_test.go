package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// debianDocs links the copyright files of the named packages of this
// machine into a directory laid out as /usr/share/doc; it skips the test
// on a machine without them.
func debianDocs(t *testing.T, pkgs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range pkgs {
		src := filepath.Join("/usr/share/doc", p, "copyright")
		if _, err := os.Stat(src); err != nil {
			t.Skipf("no %s: not a Debian machine with %s", src, p)
		}
		if err := os.Mkdir(filepath.Join(dir, p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, filepath.Join(dir, p, "copyright")); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDebianCases reads real DEP-5 files: every License field with a body
// is a case labelled with its name in SPDX, the "On Debian systems"
// pointer kept in the text; names without an SPDX meaning are skipped and
// counted.
func TestDebianCases(t *testing.T) {
	cases, pkgs, sk, err := debianSet(debianDocs(t, "zlib1g", "gzip", "dpkg"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pkgs, []string{"dpkg", "gzip", "zlib1g"}) {
		t.Errorf("packages read: %q", pkgs)
	}
	labels := map[string]evalCase{}
	for _, c := range cases {
		if !c.labelled || len(c.want) == 0 {
			t.Errorf("%s: no label", c.name)
		}
		labels[c.wantExpr] = c
	}
	zlib, ok := labels["Zlib"]
	if !ok || !strings.HasPrefix(string(zlib.text), "This software is provided 'as-is'") || strings.Contains(string(zlib.text), "\n.\n") {
		t.Errorf("zlib1g's Zlib paragraph: %+v", zlib)
	}
	gpl, ok := labels["GPL-3.0-or-later"]
	if !ok || !strings.Contains(string(gpl.text), "/usr/share/common-licenses/GPL-3") {
		t.Errorf("gzip's GPL-3+ paragraph, with its pointer to common-licenses: %q", gpl.text)
	}
	if _, ok := labels["GPL-2.0-only"]; !ok {
		t.Errorf("dpkg's GPL-2 paragraph missing: labels %v", keys(labels))
	}
	if sk["public domain"] == 0 {
		t.Errorf("dpkg's public-domain paragraphs are not skipped as public domain: %v", sk)
	}
	// Debian releases differ in gzip's paragraphs: what is expected
	// follows the file itself.
	gz, err := os.ReadFile("/usr/share/doc/gzip/copyright")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(gz), "\nLicense: FSF-manpages\n") && sk["unmapped name \"FSF-manpages\""] == 0 {
		t.Errorf("gzip's FSF-manpages paragraph is not counted as unmapped: %v", sk)
	}
}

func keys(m map[string]evalCase) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestScoresOnDebianCases scores predictions on the real cases: the
// labels themselves score 1 everywhere; an extra license lowers the exact
// set and precision, not recall; a missing one lowers recall too.
func TestScoresOnDebianCases(t *testing.T) {
	cases, _, _, err := debianSet(debianDocs(t, "zlib1g", "gzip", "dpkg"))
	if err != nil {
		t.Fatal(err)
	}
	perfect, extra, none := newScores("labels", false), newScores("extra", false), newScores("none", false)
	for _, c := range cases {
		perfect.add(c, prediction{expr: c.wantExpr, ids: c.want})
		extra.add(c, prediction{ids: append(slices.Clone(c.want), "MIT")})
		none.add(c, prediction{})
	}
	n := len(cases)
	if perfect.exact != n || perfect.goodIDs != perfect.predIDs || perfect.goodIDs != perfect.wantIDs || perfect.exactExpr != n {
		t.Errorf("labels as predictions: %+v", perfect)
	}
	mit := 0
	for _, c := range cases {
		if slices.Contains(c.want, "MIT") {
			mit++
		}
	}
	if extra.exact != mit || extra.goodIDs != extra.wantIDs || extra.predIDs != extra.wantIDs+n-mit {
		t.Errorf("an extra MIT: exact %d (want %d), ids %d/%d of %d", extra.exact, mit, extra.goodIDs, extra.predIDs, extra.wantIDs)
	}
	if none.exact != 0 || none.goodIDs != 0 || none.predIDs != 0 || none.wantIDs != perfect.wantIDs {
		t.Errorf("nothing predicted: %+v", none)
	}
	if got := ratio(none.goodIDs, none.predIDs); got != "n/a" {
		t.Errorf("precision of no prediction = %s, want n/a", got)
	}
	if top := extra.topMisses(1); len(top) != 1 || !strings.Contains(top[0], ", MIT}") {
		t.Errorf("most frequent miss: %q", top)
	}
}

// TestHolderLabels reads the holders of real Copyright fields and matches
// holders loosely: equal word sets, or a set of two words or more inside
// the other, legal forms and years aside.
func TestHolderLabels(t *testing.T) {
	b, err := os.ReadFile("/usr/share/doc/zlib1g/copyright")
	if err != nil {
		t.Skip("no zlib1g copyright file")
	}
	paras, ok := parseDEP5(string(b))
	if !ok {
		t.Fatal("zlib1g's copyright file is not read as DEP-5")
	}
	var minizip []string
	for _, p := range paras {
		if p.fields["files"] == "contrib/minizip/*" {
			minizip = holdersOfField(p.fields["copyright"])
		}
	}
	if want := []string{"Gilles Vollant", "Even Rouault", "Mathias Svensson"}; !slices.Equal(minizip, want) {
		t.Errorf("minizip holders %q, want %q", minizip, want)
	}
	star := -1
	for i, p := range paras {
		if filesMatch(strings.Fields(p.fields["files"]), "contrib/minizip/unzip.c") {
			star = i
		}
	}
	if star < 0 || paras[star].fields["files"] != "contrib/minizip/*" {
		t.Errorf("contrib/minizip/unzip.c matched paragraph %d, not contrib/minizip/*", star)
	}
	labels := holdersOfField("1995-2013 Jean-loup Gailly and Mark Adler\n1999-2022 Free Software Foundation, Inc. http://fsf.org/")
	for h, want := range map[string]int{
		"Jean-loup Gailly":                       0,
		"Mark Adler":                             0,
		"Free Software Foundation":               1,
		"the Free Software Foundation, Inc.":     1,
		"Mark":                                   -1, // one word inside a longer holder is not enough
		"Software":                               -1,
		"Jean-loup Gailly and Mark Adler, 1995.": 0,
		"Adler Industries":                       -1,
	} {
		if got := matchHolder(h, labels); got != want {
			t.Errorf("matchHolder(%q, %q) = %d, want %d", h, labels, got, want)
		}
	}
}

// TestHolderNormalization checks what both sides of a holder comparison
// share: "Portions" is a word of the statement, accents are not told
// apart; and a Copyright field line that claims no copyright names no
// holder.
func TestHolderNormalization(t *testing.T) {
	labels := holdersOfField("Portions 1999, 2000 Acme, Inc.\n2006 Jane Petteno\nNo copyright claimed")
	for h, want := range map[string]int{
		"Acme, Inc.":          0,
		"Portions Acme, Inc.": 0,
		"Jane Pettenò":        1,
		"Jane Pettena":        -1,
	} {
		if got := matchHolder(h, labels); got != want {
			t.Errorf("matchHolder(%q, %q) = %d, want %d", h, labels, got, want)
		}
	}
	if len(labels) != 2 {
		t.Errorf("labels %q: want 2, the last field line claims none", labels)
	}
}

// TestDebianNames converts Debian short names, as DEP-5 files and Debian's
// licensecheck write them.
func TestDebianNames(t *testing.T) {
	for in, want := range map[string]string{
		"GPL-2+":             "GPL-2.0-or-later",
		"GPL-2":              "GPL-2.0-only",
		"LGPL-2.1+":          "LGPL-2.1-or-later",
		"GPLv3+":             "GPL-3.0-or-later",
		"Expat":              "MIT",
		"BSD-3-clause":       "BSD-3-Clause",
		"GPL-1+ or Artistic": "Artistic-1.0-Perl OR GPL-1.0-or-later",
		"BSL-1.0 and Zlib":   "BSL-1.0 AND Zlib",
		"GPL-2 with Linux-syscall-note exception": "GPL-2.0-only WITH Linux-syscall-note",
		"GPL-3+ with Autoconf exception":          "",
		"zlib":                                    "Zlib",
		"GPL":                                     "",
		"public-domain":                           "",
	} {
		if got, _ := debianToSPDX(in); got != want {
			t.Errorf("debianToSPDX(%q) = %q, want %q", in, got, want)
		}
	}
	if got := debianPrediction("Apache-2.0 and/or Expat~unspecified"); !slices.Equal(sortedSet(got), []string{"Apache-2.0", "MIT"}) {
		t.Errorf("debianPrediction = %q", got)
	}
	if got := debianPrediction("FSF-manpages"); !slices.Equal(got, []string{"LicenseRef-debian-FSF-manpages"}) {
		t.Errorf("an unmapped prediction = %q, want a LicenseRef that counts as wrong", got)
	}
}

// TestLicensecheckLabels reads the expected matches of licensecheck's own
// testdata files.
func TestLicensecheckLabels(t *testing.T) {
	dir := filepath.Join(testnet.ModuleDir(t, "github.com/google/licensecheck@v0.3.1"), "testdata")
	cases, sk, err := licensecheckSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(sk) > 0 || len(cases) < 600 {
		t.Errorf("%d cases, skipped %v", len(cases), sk)
	}
	byName := map[string]evalCase{}
	for _, c := range cases {
		byName[c.name] = c
	}
	for name, want := range map[string][]string{
		"MIT.t1":        {"MIT"},
		"mixed.t1":      {"BSD-3-Clause", "CC-BY-4.0", "MIT"},
		"BSD-Broken.t1": {"BSD-Source-Code"}, // not BSD-3-Clause: a clause is missing
		"GPL-Header.t1": {"GPL-2.0-or-later"},
	} {
		c, ok := byName[name]
		if !ok || !slices.Equal(c.want, want) {
			t.Errorf("%s: label %q, want %q", name, c.want, want)
		}
		if ok && strings.HasPrefix(string(c.text), "100%") {
			t.Errorf("%s: the header is left in the text", name)
		}
	}
}

// unpackTop writes the files at the top of an npm tarball into the
// cache's layout for spec, as scripts/liceval-fetch.sh does.
func unpackTop(t *testing.T, tgz, cache, spec string) {
	t.Helper()
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := npmDir(cache, spec)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(strings.TrimPrefix(h.Name, "./"), "/")
		if h.Typeflag != tar.TypeReg || len(parts) != 2 {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, parts[1]), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNPMCases builds the npm cases from real packages: the label is
// package.json's license field, the manifests are hidden from the tools,
// a package not fetched is counted, and snipscan's package-level answer
// comes from the files left.
func TestNPMCases(t *testing.T) {
	tmp := t.TempDir()
	cache := filepath.Join(tmp, "cache")
	specs := []string{"ms@2.1.3", "left-pad@1.3.0"}
	for _, s := range specs {
		unpackTop(t, testnet.NPMPack(t, tmp, s), cache, s)
	}
	list := filepath.Join(tmp, "list.txt")
	if err := os.WriteFile(list, []byte("# pinned\nms@2.1.3\nleft-pad@1.3.0\nabsent-package-for-liceval@0.0.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs, files, sk, err := npmSets(list, cache)
	if err != nil {
		t.Fatal(err)
	}
	if sk["not fetched (run scripts/liceval-fetch.sh)"] != 1 || len(pkgs) != 2 {
		t.Fatalf("%d packages, skipped %v", len(pkgs), sk)
	}
	want := map[string]string{"ms@2.1.3": "MIT", "left-pad@1.3.0": "WTFPL"}
	for _, p := range pkgs {
		if p.wantExpr != want[p.name] {
			t.Errorf("%s: label %q, want %q", p.name, p.wantExpr, want[p.name])
		}
		if slices.Contains(p.names, "package.json") || len(licenseFiles(p.names)) == 0 {
			t.Errorf("%s: files given to the tools %q", p.name, p.names)
		}
	}
	if len(files) != 2 {
		t.Errorf("license-file cases: %d, want one a package", len(files))
	}
	preds, err := snipscanTool().run(context.Background(), pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range preds {
		if p.expr == "" {
			t.Errorf("%s: snipscan derived nothing from %q", pkgs[i].name, pkgs[i].names)
		}
	}
}

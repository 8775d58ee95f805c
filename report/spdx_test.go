package report_test

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdxlib"

	"github.com/snipscan/snipscan/report"
)

// parseSPDX reads an SPDX JSON document with tools-golang and validates
// it: spdxlib.ValidateDocument, then what it leaves out. ValidateDocument
// only knows packages and files as relationship ends (tools-golang issue
// 231), so it runs on the document without the snippets' relationships,
// which are checked here against the snippets and packages instead.
func parseSPDX(t *testing.T, data []byte) *spdx.Document {
	t.Helper()
	doc, err := spdxjson.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("tools-golang cannot read the document: %v\n%s", err, data)
	}
	ids := map[common.ElementID]string{"DOCUMENT": "document"}
	add := func(id common.ElementID, kind string) {
		if prev, ok := ids[id]; ok {
			t.Errorf("SPDX ID %s of a %s already names a %s", id, kind, prev)
		}
		ids[id] = kind
	}
	for _, p := range doc.Packages {
		add(p.PackageSPDXIdentifier, "package")
	}
	for _, f := range doc.Files {
		add(f.FileSPDXIdentifier, "file")
	}
	for _, s := range doc.Snippets {
		add(s.SnippetSPDXIdentifier, "snippet")
		if ids[s.SnippetFromFileSPDXIdentifier] != "file" {
			t.Errorf("snippet %s: snippetFromFile %s is no file", s.SnippetSPDXIdentifier, s.SnippetFromFileSPDXIdentifier)
		}
		if len(s.Ranges) == 0 {
			t.Errorf("snippet %s has no range", s.SnippetSPDXIdentifier)
		}
		for _, r := range s.Ranges {
			if r.StartPointer.FileSPDXIdentifier != s.SnippetFromFileSPDXIdentifier || r.EndPointer.FileSPDXIdentifier != s.SnippetFromFileSPDXIdentifier {
				t.Errorf("snippet %s: range %+v points to another file", s.SnippetSPDXIdentifier, r)
			}
		}
	}
	checked := *doc
	checked.Relationships = nil
	for _, r := range doc.Relationships {
		if ids[r.RefA.ElementRefID] != "snippet" {
			checked.Relationships = append(checked.Relationships, r)
			continue
		}
		if ids[r.RefB.ElementRefID] != "package" || r.RefA.DocumentRefID != "" || r.RefB.DocumentRefID != "" {
			t.Errorf("relationship %s %s %s: not from a snippet to a package of this document", r.RefA.ElementRefID, r.Relationship, r.RefB.ElementRefID)
		}
	}
	if err := spdxlib.ValidateDocument(&checked); err != nil {
		t.Errorf("spdxlib.ValidateDocument: %v", err)
	}
	return doc
}

// licenseRefRE finds the LicenseRef- identifiers of an expression.
var licenseRefRE = regexp.MustCompile(`LicenseRef-[A-Za-z0-9.-]+`)

func TestSPDX(t *testing.T) {
	t.Parallel()
	files := sbomFiles()
	doc := sbomDoc()
	sd := parseSPDX(t, render(t, "spdx-json", doc, sbomOptions(files)))

	pkgs := map[common.ElementID]*spdx.Package{}
	pkgByName := map[string]*spdx.Package{}
	for _, p := range sd.Packages {
		pkgs[p.PackageSPDXIdentifier] = p
		pkgByName[p.PackageName] = p
	}
	fileByID := map[common.ElementID]*spdx.File{}
	for _, f := range sd.Files {
		fileByID[f.FileSPDXIdentifier] = f
	}
	related := func(typ string) map[common.ElementID][]common.ElementID {
		out := map[common.ElementID][]common.ElementID{}
		for _, r := range sd.Relationships {
			if r.Relationship == typ {
				out[r.RefA.ElementRefID] = append(out[r.RefA.ElementRefID], r.RefB.ElementRefID)
			}
		}
		return out
	}
	// snippets pairs every finding with its snippet, in order.
	type pair struct {
		path string
		m    report.Match
		s    spdx.Snippet
	}
	var snippets []pair
	for _, f := range doc.Files {
		for _, m := range f.Matches {
			snippets = append(snippets, pair{f.Path, m, sd.Snippets[len(snippets)]})
		}
	}
	if len(sd.Snippets) != len(snippets) {
		t.Fatalf("%d snippets, want one per finding (%d)", len(sd.Snippets), len(snippets))
	}
	fileOf := func(s spdx.Snippet) *spdx.File { return fileByID[s.SnippetFromFileSPDXIdentifier] }

	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"header", func(t *testing.T) {
			if sd.SPDXVersion != "SPDX-2.3" || sd.DataLicense != "CC0-1.0" || sd.SPDXIdentifier != "DOCUMENT" || sd.DocumentName != "snipscan scan src extra.go" {
				t.Errorf("version %q license %q id %q name %q", sd.SPDXVersion, sd.DataLicense, sd.SPDXIdentifier, sd.DocumentName)
			}
			ci := sd.CreationInfo
			if len(ci.Creators) != 1 || ci.Creators[0] != (common.Creator{CreatorType: "Tool", Creator: "snipscan-v0.0.0-test"}) {
				t.Errorf("creators %+v", ci.Creators)
			}
			if ci.Created != "2026-03-14T15:09:26Z" {
				t.Errorf("created %q, want the fixed clock", ci.Created)
			}
			ns := regexp.MustCompile(`^https://github\.com/snipscan/snipscan/spdx/scan-[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
			if !ns.MatchString(sd.DocumentNamespace) {
				t.Errorf("namespace %q", sd.DocumentNamespace)
			}
		}},
		{"the document describes a package per target, and one for files outside them", func(t *testing.T) {
			var names []string
			for _, id := range related(common.TypeRelationshipDescribe)["DOCUMENT"] {
				names = append(names, pkgs[id].PackageName)
			}
			if want := []string{"src", "extra.go", "scanned files"}; !slices.Equal(names, want) {
				t.Errorf("described %q, want %q", names, want)
			}
			for _, name := range names {
				if p := pkgByName[name]; !p.FilesAnalyzed || p.PackageDownloadLocation != "NOASSERTION" {
					t.Errorf("target package %s: filesAnalyzed %v, downloadLocation %q", name, p.FilesAnalyzed, p.PackageDownloadLocation)
				}
			}
		}},
		{"files belong to the target they are under", func(t *testing.T) {
			contains := related(common.TypeRelationshipContains)
			got := map[string][]string{}
			for pkg, files := range contains {
				for _, f := range files {
					got[pkgs[pkg].PackageName] = append(got[pkgs[pkg].PackageName], fileByID[f].FileName)
				}
			}
			want := map[string][]string{"src": {"./a.go", "./z.go"}, "extra.go": {"./extra.go"}, "scanned files": {"./other/b.go"}}
			for name, w := range want {
				if !slices.Equal(got[name], w) {
					t.Errorf("%s contains %q, want %q", name, got[name], w)
				}
			}
			if len(sd.Files) != 4 {
				t.Errorf("%d files, want the 4 with findings", len(sd.Files))
			}
		}},
		{"checksums of the files that could be read", func(t *testing.T) {
			for _, p := range snippets {
				f := fileOf(p.s)
				data, ok := files[p.path]
				if !ok {
					if len(f.Checksums) != 0 || !strings.Contains(f.FileComment, "could not read") {
						t.Errorf("%s is unreadable, yet checksums %+v comment %q", p.path, f.Checksums, f.FileComment)
					}
					continue
				}
				s1, s256 := sha1.Sum(data), sha256.Sum256(data)
				want := []common.Checksum{{Algorithm: common.SHA1, Value: hex.EncodeToString(s1[:])}, {Algorithm: common.SHA256, Value: hex.EncodeToString(s256[:])}}
				if !slices.Equal(f.Checksums, want) {
					t.Errorf("%s checksums %+v, want %+v", p.path, f.Checksums, want)
				}
			}
		}},
		{"byte ranges count from 1 and end inclusively", func(t *testing.T) {
			for _, p := range snippets {
				r, ok := byteRange(p.s)
				data := files[p.path]
				switch {
				case p.m.Bytes[1] > 0:
					if !ok || r != [2]int{p.m.Bytes[0] + 1, p.m.Bytes[1]} {
						t.Errorf("%s lines %v: byte range %v, want %v from Match.Bytes %v", p.path, p.m.Lines, r, [2]int{p.m.Bytes[0] + 1, p.m.Bytes[1]}, p.m.Bytes)
					}
				case data != nil:
					// Derived from the lines: the first byte of the first
					// line to the last byte of the last, newline left out.
					lines := strings.SplitAfter(string(data), "\n")
					want := strings.Join(lines[p.m.Lines[0]-1:p.m.Lines[1]], "")
					want = strings.TrimSuffix(want, "\n")
					if !ok || string(data[r[0]-1:r[1]]) != want {
						t.Errorf("%s lines %v: byte range %v does not hold the lines", p.path, p.m.Lines, r)
					}
				default:
					if ok {
						t.Errorf("%s lines %v: byte range %v from nowhere", p.path, p.m.Lines, r)
					}
				}
			}
		}},
		{"line ranges", func(t *testing.T) {
			for _, p := range snippets {
				if r, ok := lineRange(p.s); !ok || r != p.m.Lines {
					t.Errorf("%s: line range %v, want %v", p.path, r, p.m.Lines)
				}
			}
		}},
		{"license, copyright and comment of every snippet", func(t *testing.T) {
			for _, p := range snippets {
				wantLic := p.m.Source.License
				if wantLic == "" {
					wantLic = "NOASSERTION"
				}
				wantCopy := strings.Join(p.m.Source.Copyrights, "\n")
				if wantCopy == "" {
					wantCopy = "NOASSERTION"
				}
				if p.s.SnippetLicenseConcluded != wantLic || p.s.SnippetCopyrightText != wantCopy {
					t.Errorf("%s: license %q copyright %q, want %q %q", p.path, p.s.SnippetLicenseConcluded, p.s.SnippetCopyrightText, wantLic, wantCopy)
				}
				for _, want := range []string{p.m.Source.Path, fmt.Sprintf("lines %d-%d", p.m.Source.Lines[0], p.m.Source.Lines[1]),
					fmt.Sprintf("matched %g", p.m.Matched), fmt.Sprintf("exact %g", p.m.Exact)} {
					if !strings.Contains(p.s.SnippetComment, want) {
						t.Errorf("%s: comment %q lacks %q", p.path, p.s.SnippetComment, want)
					}
				}
			}
		}},
		{"snippet IDs stay unique when finding IDs repeat", func(t *testing.T) {
			var b2 []pair
			for _, p := range snippets {
				if p.path == filepath.Join("other", "b.go") {
					b2 = append(b2, p)
				}
			}
			if len(b2) != 2 || b2[0].m.ID != b2[1].m.ID {
				t.Fatalf("test data: the two findings of other/b.go should share an ID")
			}
			if b2[0].s.SnippetSPDXIdentifier == b2[1].s.SnippetSPDXIdentifier {
				t.Errorf("both snippets are %s", b2[0].s.SnippetSPDXIdentifier)
			}
		}},
		{"every LicenseRef is declared", func(t *testing.T) {
			declared := map[string]bool{}
			for _, l := range sd.OtherLicenses {
				declared[l.LicenseIdentifier] = l.ExtractedText != "" && l.LicenseName != ""
			}
			var used []string
			for _, s := range sd.Snippets {
				used = append(used, licenseRefRE.FindAllString(s.SnippetLicenseConcluded, -1)...)
			}
			for _, p := range sd.Packages {
				used = append(used, licenseRefRE.FindAllString(p.PackageLicenseDeclared+" "+p.PackageLicenseConcluded, -1)...)
			}
			if !slices.Contains(used, "LicenseRef-licensecheck-CommonsClause") {
				t.Errorf("LicenseRefs used %q lack the test's", used)
			}
			for _, u := range used {
				if !declared[u] {
					t.Errorf("%s used but not declared in hasExtractedLicensingInfos (%+v)", u, sd.OtherLicenses)
				}
			}
		}},
		{"origin packages", func(t *testing.T) {
			type want struct{ version, purl, declared, copyright string }
			wants := map[string]want{
				"stdlib":          {"1.26.8", "pkg:golang/stdlib@1.26.8", "BSD-3-Clause", "Copyright 2009 The Go Authors"},
				"example.com/gpl": {"v1.0.0", "pkg:golang/example.com/gpl@v1.0.0", "GPL-3.0-only", "NOASSERTION"},
				// Two licenses among the findings: none declared.
				"example.com/nc": {"v2.0.0", "pkg:golang/example.com/nc@v2.0.0", "NOASSERTION",
					"Copyright 2020 NC Corp <legal@nc.example>\nCopyright 2021 Other Person"},
				// No package: named after the indexed root.
				"/srv/corpus": {"", "", "NOASSERTION", "NOASSERTION"},
			}
			for name, w := range wants {
				p := pkgByName[name]
				if p == nil {
					t.Errorf("no package %s", name)
					continue
				}
				var purl string
				for _, r := range p.PackageExternalReferences {
					if r.Category == "PACKAGE-MANAGER" && r.RefType == "purl" {
						purl = r.Locator
					}
				}
				if p.PackageVersion != w.version || purl != w.purl || p.PackageLicenseDeclared != w.declared || p.PackageCopyrightText != w.copyright || p.FilesAnalyzed {
					t.Errorf("%s: version %q purl %q declared %q copyright %q filesAnalyzed %v, want %+v",
						name, p.PackageVersion, purl, p.PackageLicenseDeclared, p.PackageCopyrightText, p.FilesAnalyzed, w)
				}
			}
			if c := pkgByName["example.com/nc"].PackageLicenseComments; !strings.Contains(c, "MIT") || !strings.Contains(c, "CommonsClause") {
				t.Errorf("example.com/nc license comment %q does not list its licenses", c)
			}
		}},
		{"each snippet descends from its origin", func(t *testing.T) {
			descends := related(common.TypeRelationshipDescendantOf)
			for _, p := range snippets {
				to := descends[p.s.SnippetSPDXIdentifier]
				name := p.m.Source.Package
				if name == "" {
					name = p.m.Source.Root
				}
				if len(to) != 1 || pkgs[to[0]].PackageName != name {
					t.Errorf("%s: DESCENDANT_OF %v, want the package %s", p.s.SnippetSPDXIdentifier, to, name)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

// TestSPDXNamespace checks that the namespace is reproducible with a fixed
// clock and changes with the time and the content.
func TestSPDXNamespace(t *testing.T) {
	t.Parallel()
	namespace := func(doc *report.Document, opts report.Options) string {
		return parseSPDX(t, render(t, "spdx-json", doc, opts)).DocumentNamespace
	}
	base := namespace(sbomDoc(), sbomOptions(sbomFiles()))
	later := sbomOptions(sbomFiles())
	later.Now = func() time.Time { return clock.Add(time.Second) }
	changed := sbomFiles()
	changed["extra.go"] = append(changed["extra.go"], "one more line\n"...)
	fewer := sbomDoc()
	fewer.Files = fewer.Files[1:]
	tests := []struct {
		name string
		ns   string
		same bool
	}{
		{"same document, same clock", namespace(sbomDoc(), sbomOptions(sbomFiles())), true},
		{"another time", namespace(sbomDoc(), later), false},
		{"another file content", namespace(sbomDoc(), sbomOptions(changed)), false},
		{"other findings", namespace(fewer, sbomOptions(sbomFiles())), false},
	}
	for _, tc := range tests {
		if (tc.ns == base) != tc.same {
			t.Errorf("%s: namespace %s, base %s", tc.name, tc.ns, base)
		}
	}
}

// TestSPDXLicenses checks how a source's license becomes a snippet's
// concluded license.
func TestSPDXLicenses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		license, want, comment string
		refs                   []string
	}{
		{"BSD-3-Clause", "BSD-3-Clause", "from", nil},
		{"", "NOASSERTION", "no license", nil},
		{"gpl-2.0+", "GPL-2.0-or-later", "from", nil},
		// A choice: the licenses the policy evaluated the copy under.
		{"GPL-2.0-only WITH Classpath-exception-2.0 OR MIT", "MIT",
			"container/list/list.go is licensed GPL-2.0-only WITH Classpath-exception-2.0 OR MIT, from the license file ../LICENSE, a choice of licenses; concluded MIT", nil},
		{"LicenseRef-Public-Domain", "LicenseRef-Public-Domain", "from", []string{"LicenseRef-Public-Domain"}},
		{"Not A License!", "NOASSERTION", "not an SPDX expression", nil},
		{"DocumentRef-other:LicenseRef-x", "NOASSERTION", "another SPDX document", nil},
	}
	for _, tc := range tests {
		t.Run(tc.license, func(t *testing.T) {
			t.Parallel()
			res := results()[:1]
			res[0].Findings = res[0].Findings[:1]
			res[0].Findings[0].Source.License = tc.license
			sd := parseSPDX(t, render(t, "spdx-json", build(res, nil), sbomOptions(nil)))
			s := sd.Snippets[0]
			if s.SnippetLicenseConcluded != tc.want || !strings.Contains(s.SnippetLicenseComments, tc.comment) {
				t.Errorf("licenseConcluded %q comment %q, want %q and a comment with %q", s.SnippetLicenseConcluded, s.SnippetLicenseComments, tc.want, tc.comment)
			}
			var refs []string
			for _, l := range sd.OtherLicenses {
				refs = append(refs, l.LicenseIdentifier)
			}
			if !slices.Equal(refs, tc.refs) {
				t.Errorf("hasExtractedLicensingInfos %q, want %q", refs, tc.refs)
			}
		})
	}
}

func byteRange(s spdx.Snippet) ([2]int, bool) {
	for _, r := range s.Ranges {
		if r.StartPointer.Offset > 0 {
			return [2]int{r.StartPointer.Offset, r.EndPointer.Offset}, true
		}
	}
	return [2]int{}, false
}

func lineRange(s spdx.Snippet) ([2]int, bool) {
	for _, r := range s.Ranges {
		if r.StartPointer.LineNumber > 0 {
			return [2]int{r.StartPointer.LineNumber, r.EndPointer.LineNumber}, true
		}
	}
	return [2]int{}, false
}

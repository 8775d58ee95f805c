package indexer_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/indexer"
)

// licenseText returns a real license text: a Debian common license
// ("GPL-3") or a licensecheck test text ("MIT.t1", its header cut off),
// skipping the test when it is not on the machine.
func licenseText(t *testing.T, name string) []byte {
	t.Helper()
	if strings.Contains(name, ".t") {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/licensecheck").Output()
		if err != nil {
			t.Skipf("licensecheck module: %v", err)
		}
		b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "testdata", name))
		if err != nil {
			t.Skipf("licensecheck test text: %v", err)
		}
		_, text, _ := bytes.Cut(b, []byte("\n\n"))
		return text
	}
	b, err := os.ReadFile(filepath.Join("/usr/share/common-licenses", name))
	if err != nil {
		t.Skipf("Debian common licenses: %v", err)
	}
	return b
}

// code is a small source file of this project's own words, without a
// license header, so that the license files decide.
const code = `package frob

// Frob counts the widgets in ws that are ready.
func Frob(ws []int) int {
	n := 0
	for _, w := range ws {
		if w > 0 {
			n++
		}
	}
	return n
}
`

// TestLicenseFileCombinations indexes packages with several license
// files, built from real license texts, and checks the license their code
// gets: files that a README, the manifest or their names present as
// alternatives are OR, a documentation license does not cover code,
// the GPL-3.0 text beside the LGPL-3.0 one is LGPL-3.0, a README choice
// of a license that no file holds and the manifest does not declare, or of
// a bundled file's licenses, changes nothing, a header that
// names a package's alternatives with "and" restates the choice, and
// license files for separate parts are AND.
func TestLicenseFileCombinations(t *testing.T) {
	t.Parallel()
	apache, mpl, mit := licenseText(t, "Apache-2.0"), licenseText(t, "MPL-2.0"), licenseText(t, "MIT.t1")
	gpl3, lgpl3, ccby := licenseText(t, "GPL-3"), licenseText(t, "LGPL-3"), licenseText(t, "CC-BY-4.0.t1")
	type file struct{ name, text string }
	tests := []struct {
		name  string
		files []file
		want  string
	}{
		{"a README offers the files as alternatives", []file{
			{"LICENSE", string(apache)}, {"LICENSE-MPL", string(mpl)},
			{"README.md", "# frob\n\nCounts widgets (see the json output).\n\n## License\n\nfrob is licensed under either the Apache License 2.0 or the Mozilla Public License 2.0, at your option.\n\n## Logo\n\nThe logo is CC-BY-NC-ND 4.0.\n"},
			{"frob.go", code}}, "Apache-2.0 OR MPL-2.0"},
		{"Rust's README convention", []file{
			{"LICENSE-APACHE", string(apache)}, {"LICENSE-MIT", string(mit)}, {"COPYRIGHT", "Copyright 2024 Ada Example.\n\nLicensed under the Apache License, Version 2.0 <LICENSE-APACHE> or the MIT license <LICENSE-MIT>, at your option.\n"},
			{"frob.go", code}}, "Apache-2.0 OR MIT"},
		{"a README choice wider than the files is ignored", []file{
			{"LICENSE", string(mit)},
			{"README.md", "frob\n====\n\nLicense\n-------\n\nAll code is dual-licensed under [WTFPL](http://www.wtfpl.net/) and [MIT](https://opensource.org/licenses/MIT).\n"},
			{"frob.go", code}}, "MIT"},
		{"a README choice wider than the files, the manifest declaring it", []file{
			{"LICENSE", string(mit)},
			{"README.md", "frob\n====\n\nLicense\n-------\n\nAll code is dual-licensed under [WTFPL](http://www.wtfpl.net/) and [MIT](https://opensource.org/licenses/MIT).\n"},
			{"package.json", `{"name": "frob", "version": "1.0.0", "license": "(MIT OR WTFPL)"}`},
			{"frob.go", code}}, "MIT OR WTFPL"},
		{"a README on a bundled file's choice", []file{
			{"LICENSE", string(gpl3)},
			{"README.md", "# frob\n\n## License\n\nfrob is licensed under the GNU General Public License v3.0.\n\nThe bundled sizzle.js is available under either the MIT license or the GPL-3.0, at your option.\n"},
			{"frob.go", code}}, "GPL-3.0-only"},
		{"the manifest offers the files as alternatives", []file{
			{"LICENSE", string(apache)}, {"LICENSE-MPL", string(mpl)},
			{"package.json", `{"name": "frob", "version": "1.0.0", "license": "(MPL-2.0 OR Apache-2.0)"}`},
			{"frob.go", code}}, "Apache-2.0 OR MPL-2.0"},
		{"a header naming the manifest's alternatives with and", []file{
			{"LICENSE", string(apache)}, {"LICENSE-MPL", string(mpl)},
			{"package.json", `{"name": "frob", "version": "1.0.0", "license": "(MPL-2.0 OR Apache-2.0)"}`},
			{"frob.go", "/*! frob 1.0.0 | (c) Ada Example | Released under the Apache license 2.0 and Mozilla Public License 2.0 */\n" + code}}, "Apache-2.0 OR MPL-2.0"},
		{"two SPDX tag lines naming the files' alternatives", []file{
			{"LICENSE-APACHE-2.0", string(apache)}, {"LICENSE_MIT", string(mit)},
			{"frob.go", "// Copyright 2024 Ada Example\n// SPDX-License-Identifier: Apache-2.0\n// SPDX-License-Identifier: MIT\n\n" + code}}, "Apache-2.0 OR MIT"},
		{"documentation under CC-BY-4.0", []file{
			{"LICENSE", string(mit)}, {"LICENSE.docs", string(ccby)},
			{"frob.go", code}}, "MIT"},
		{"LGPL-3.0 with the GPL-3.0 it incorporates", []file{
			{"COPYING", string(gpl3)}, {"COPYING.LESSER", string(lgpl3)},
			{"frob.go", code}}, "LGPL-3.0-only"},
		{"files for separate parts", []file{
			{"LICENSE", string(mit)}, {"LICENSE-BSD", "### Applies to frob_pool.go ###\n\n" + string(licenseText(t, "BSD"))},
			{"frob.go", code}}, "BSD-3-Clause AND MIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := filepath.Join(t.TempDir(), "frob")
			for _, f := range tt.files {
				put(t, root, f.name, []byte(f.text))
			}
			db := openDB(t)
			index(t, db, indexer.Options{}, root)
			l, ok := locations(t, db)["frob/frob.go"]
			if !ok {
				t.Fatal("frob.go not indexed")
			}
			if l.Attribution.License != tt.want {
				t.Errorf("license %q (from %s), want %q", l.Attribution.License, l.Attribution.Source, tt.want)
			}
		})
	}
}

// TestCodeAndDocsLicenseFiles indexes github.com/spdx/tools-golang (a
// dependency of snipscan, so in the module cache), whose LICENSE.code
// offers Apache-2.0 OR GPL-2.0-or-later and whose LICENSE.docs is
// CC-BY-4.0: its untagged code file is under the code license's choice
// (it was "(Apache-2.0 AND GPL-2.0-only) AND CC-BY-4.0", strong copyleft),
// and so is the package.
func TestCodeAndDocsLicenseFiles(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/spdx/tools-golang").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("github.com/spdx/tools-golang not in the module cache: %v", err)
	}
	db := openDB(t)
	index(t, db, indexer.Options{}, dir)
	l, ok := locations(t, db)[filepath.Base(dir)+"/json/marshal/json.go"]
	if !ok {
		t.Fatal("json/marshal/json.go not indexed")
	}
	const want = "Apache-2.0 OR GPL-2.0-or-later"
	if l.Attribution.License != want || l.Attribution.Source != "license_file" {
		t.Errorf("json.go: %q from %s, want %q from the license file", l.Attribution.License, l.Attribution.Source, want)
	}
	if l.Package == nil || l.Package.License != want {
		t.Errorf("package %+v, want license %q", l.Package, want)
	}
}

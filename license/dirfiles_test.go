package license

import (
	"testing"
)

// TestCombineFiles combines classified license files of real texts as
// CombineFiles documents.
func TestCombineFiles(t *testing.T) {
	t.Parallel()
	c := New()
	file := func(name string, text []byte) File { return File{Name: name, Result: c.LicenseFile(text)} }
	mit := file("LICENSE-MIT", licensecheckCase(t, "MIT.t1").text)
	apache := file("LICENSE-APACHE", commonLicense(t, "Apache-2.0"))
	ccby := licensecheckCase(t, "CC-BY-4.0.t1").text
	gpl2 := commonLicense(t, "GPL-2")
	gpl3 := file("LICENSE", commonLicense(t, "GPL-3"))
	tests := []struct {
		name       string
		files      []File
		declared   string
		statements []string
		want       string
	}{
		{"named alternatives", []File{apache, mit}, "", nil, "Apache-2.0 OR MIT"},
		{"a plain copy beside named alternatives", []File{file("LICENSE", licensecheckCase(t, "MIT.t1").text), apache, mit}, "", nil, "Apache-2.0 OR MIT"},
		{"named alternatives and a file for a part", []File{apache, mit, file("LICENSE-THIRD-PARTY", commonLicense(t, "BSD"))}, "", nil, "(Apache-2.0 OR MIT) AND BSD-3-Clause"},
		{"plain names without a statement", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, "", nil, "Apache-2.0 AND GPL-2.0-only"},
		{"a README's choice of the files", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, "", []string{"Apache-2.0 OR GPL-2.0"}, "Apache-2.0 OR GPL-2.0-only"},
		{"a manifest's choice of the files", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, "(GPL-2.0 OR Apache-2.0)", nil, "Apache-2.0 OR GPL-2.0-only"},
		{"a manifest's plain name is no choice", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, "Apache-2.0", nil, "Apache-2.0 AND GPL-2.0-only"},
		{"a choice covers some files, the rest applies too", []File{apache, mit, file("LICENSE-BSD", commonLicense(t, "BSD"))}, "", []string{"MIT OR Apache-2.0"}, "(Apache-2.0 OR MIT) AND BSD-3-Clause"},
		{"a README choice of a license no file holds", []File{gpl3}, "", []string{"GPL-3.0-only OR MIT"}, "GPL-3.0-only"},
		{"a README choice wider than the files, the manifest declaring it", []File{mit}, "MIT OR WTFPL", []string{"MIT OR WTFPL"}, "MIT OR WTFPL"},
		{"a README choice wider than the files, the manifest declaring its own license", []File{mit}, "MIT", []string{"MIT OR WTFPL"}, "MIT"},
		{"code and docs by name", []File{file("LICENSE.code", licensecheckCase(t, "MIT.t1").text), file("LICENSE.docs", gpl2)}, "", nil, "MIT"},
		{"docs by license", []File{file("LICENSE", gpl2), file("LICENSE-CC", ccby)}, "", nil, "GPL-2.0-only"},
		{"only a docs license", []File{file("LICENSE", ccby)}, "", nil, "CC-BY-4.0"},
		{"GPL-2.0 beside LGPL-2.1 stays", []File{file("COPYING", gpl2), file("COPYING.LIB", commonLicense(t, "LGPL-2.1"))}, "", nil, "GPL-2.0-only AND LGPL-2.1-only"},
		{"nothing", nil, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := CombineDeclared(tt.files, tt.declared, tt.statements...); got != tt.want {
				t.Errorf("CombineDeclared = %q, want %q", got, tt.want)
			}
			if tt.declared == "" {
				if got := CombineFiles(tt.files, tt.statements...); got != tt.want {
					t.Errorf("CombineFiles = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

// TestReadmeLicense reads the license section of READMEs and nothing
// else of them.
func TestReadmeLicense(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"markdown section", "# frob\n\nWrites its report to json; licensed software inventories use it.\n\n```sh\n# License check\nfrob --all\n```\n\n## License\n\nLicensed under either of\n\n * Apache License, Version 2.0 ([LICENSE-APACHE](LICENSE-APACHE))\n * MIT license ([LICENSE-MIT](LICENSE-MIT))\n\nat your option.\n\n## Contributing\n\nContributions are released under the GPL.\n", "Apache-2.0 OR MIT"},
		{"underlined section", "frob\n====\n\nSee the json docs.\n\nLicensing\n---------\n\nfrob may be used under the terms of either the MIT license or the Unlicense.\n\nThanks\n------\n\nTo the GPL people.\n", "MIT OR Unlicense"},
		{"inline code between backticks is no fence", "# frob\n\n```npm install frob```\n\n## Use\n\n```js\nfrob()\n```\n\n## license\n\nDual-licensed under the MIT License or the Apache License, version 2.0\n", "Apache-2.0 OR MIT"},
		{"an SPDX tag on the README itself is one statement among the others", "# frob\n\n## Licenses\n\nfrob's code may be used, at your option, under either the Apache License 2.0 or the MIT license.\n\nIts documentation, this README included, is under the CC-BY-4.0 license.\n\n`SPDX-License-Identifier: CC-BY-4.0`\n", "(Apache-2.0 OR MIT) AND CC-BY-4.0"},
		{"no license heading: nothing, whatever a paragraph says", "frob counts widgets.\n\nCode is licensed under the AFL or BSD 3-Clause license.\n\nIt writes json.\n", ""},
		{"no license heading: nothing from a section on dependencies", "# frob\n\nfrob counts widgets under the GNU GPL v3.\n\n## Dependencies\n\nfrob vendors libfoo, which may be used under either the MIT license or the GPL-3.0, at your option.\n", ""},
		{"a bundled file's choice in the license section", "# frob\n\n## License\n\nCopyright (C) 2020 Ada Example. frob is licensed under the GNU General Public License v3.0.\n\nThe bundled sizzle.js is available under either the MIT license or the GPL-3.0, at your option.\n", "GPL-3.0-only"},
		{"no license at all", "frob counts widgets. It writes json.\n", ""},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.ReadmeLicense([]byte(tt.text)).Expression; got != tt.want {
				t.Errorf("ReadmeLicense = %q, want %q", got, tt.want)
			}
		})
	}
	for _, n := range []string{"README", "README.md", "readme.markdown", "Readme.rst", "README.txt"} {
		if !IsReadme(n) {
			t.Errorf("IsReadme(%q) = false", n)
		}
	}
	for _, n := range []string{"README.fr.md", "readme.go", "READ.md", "LICENSE"} {
		if IsReadme(n) {
			t.Errorf("IsReadme(%q) = true", n)
		}
	}
}

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
	tests := []struct {
		name       string
		files      []File
		statements []string
		want       string
	}{
		{"named alternatives", []File{apache, mit}, nil, "Apache-2.0 OR MIT"},
		{"a plain copy beside named alternatives", []File{file("LICENSE", licensecheckCase(t, "MIT.t1").text), apache, mit}, nil, "Apache-2.0 OR MIT"},
		{"named alternatives and a file for a part", []File{apache, mit, file("LICENSE-THIRD-PARTY", commonLicense(t, "BSD"))}, nil, "(Apache-2.0 OR MIT) AND BSD-3-Clause"},
		{"plain names without a statement", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, nil, "Apache-2.0 AND GPL-2.0-only"},
		{"a manifest's choice", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, []string{"Apache-2.0 OR GPL-2.0"}, "Apache-2.0 OR GPL-2.0-only"},
		{"a manifest's plain name is no choice", []File{file("LICENSE", commonLicense(t, "Apache-2.0")), file("COPYING", gpl2)}, []string{"Apache-2.0"}, "Apache-2.0 AND GPL-2.0-only"},
		{"a choice covers some files, the rest applies too", []File{apache, mit, file("LICENSE-BSD", commonLicense(t, "BSD"))}, []string{"MIT OR Apache-2.0"}, "(Apache-2.0 OR MIT) AND BSD-3-Clause"},
		{"code and docs by name", []File{file("LICENSE.code", licensecheckCase(t, "MIT.t1").text), file("LICENSE.docs", gpl2)}, nil, "MIT"},
		{"docs by license", []File{file("LICENSE", gpl2), file("LICENSE-CC", ccby)}, nil, "GPL-2.0-only"},
		{"only a docs license", []File{file("LICENSE", ccby)}, nil, "CC-BY-4.0"},
		{"GPL-2.0 beside LGPL-2.1 stays", []File{file("COPYING", gpl2), file("COPYING.LIB", commonLicense(t, "LGPL-2.1"))}, nil, "GPL-2.0-only AND LGPL-2.1-only"},
		{"nothing", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := CombineFiles(tt.files, tt.statements...); got != tt.want {
				t.Errorf("CombineFiles = %q, want %q", got, tt.want)
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
		{"no section: the paragraphs that mention a license", "frob counts widgets.\n\nCode is licensed under the AFL or BSD 3-Clause license.\n\nIt writes json.\n", "AFL-3.0 OR BSD-3-Clause"},
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

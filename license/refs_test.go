package license

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// TestReferencePositions checks the positions and phrasings in which a
// notice names its license: grant verbs ("can be redistributed under"),
// "under the same terms as" a project, a license file's first line
// holding nothing but a definite title, and -only / -or-later read from
// the notice's own words.
func TestReferencePositions(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct{ name, text, want string }{
		{"redistributed", "This library can be redistributed under the terms of the GNU Library General Public License.", "LGPL-2.0-or-later"},
		{"same terms as Ruby", "You can redistribute it and/or modify it under the same terms as Ruby.", "Ruby"},
		{"same terms as Python", "This module is free software, and you may redistribute it and/or modify\nit under the same terms as Python itself, so long as this copyright message\nand disclaimer are retained in their original form.", "Python-2.0"},
		{"same terms as Perl", "This program is free software; you can redistribute it and/or modify it under the same terms as Perl itself.", "Artistic-1.0-Perl OR GPL-1.0-or-later"},
		{"same terms as a license", "It may be used under the same terms as the ISC license.", "ISC"},
		{"title zlib", "zlib License\n\nCopyright (c) 2024 Jane Doe\n\nThe terms are those of the zlib project.", "Zlib"},
		{"title Unlicense", "The Unlicense\n\nSee https://example.org for the project.", "Unlicense"},
		{"title with version", "Apache License, Version 2.0\n\nCopyright 2024 Jane Doe", "Apache-2.0"},
		{"no title: a sentence", "MIT and BSD projects are welcome here.\n", ""},
		{"no title: not the first line", "Frobnicator\nzlib License\n", ""},
		{"version alone is -only", "This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 2 as published by the Free Software Foundation.", "GPL-2.0-only"},
		{"or any later version", "This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.", "GPL-2.0-or-later"},
		{"no version: any version", "This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation.", "GPL-1.0-or-later"},
		{"alternatively", "The contents of this file are subject to the Mozilla Public License Version 1.1.\n\nAlternatively, the contents of this file may be used under the terms of either the GNU General Public License Version 2 or later (the \"GPL\"), or the GNU Lesser General Public License Version 2.1 or later (the \"LGPL\").", "GPL-2.0-or-later OR LGPL-2.1-or-later OR MPL-1.1"},
	}
	for _, tt := range tests {
		if got := c.Text([]byte(tt.text)).Expression; got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestTitleOverRealTexts checks that a title on a real license text's
// first line names that text's license and adds no second one, and that
// a title without its version ("GNU GENERAL PUBLIC LICENSE", whose
// version is on the next line) leaves the license to the text.
func TestTitleOverRealTexts(t *testing.T) {
	t.Parallel()
	c := New()
	zlib := licensecheckCase(t, "Zlib.t1")
	if got := c.LicenseFile(append([]byte("zlib License\n\n"), zlib.text...)).Expression; got != "Zlib" {
		t.Errorf("zlib License + Zlib text: got %q, want Zlib", got)
	}
	mit := licensecheckCase(t, "MIT.t1")
	if got := c.LicenseFile(append([]byte("MIT License\n\n"), mit.text...)).Expression; got != "MIT" {
		t.Errorf("MIT License + MIT text: got %q, want MIT", got)
	}
	gpl := commonLicense(t, "GPL-2")
	if got := c.LicenseFile(gpl).Expression; got != "GPL-2.0-only" {
		t.Errorf("GPL-2 text: got %q, want GPL-2.0-only", got)
	}
}

// TestGFDLVariants checks that a GFDL notice's own words on invariant
// sections choose SPDX's variant of the license.
func TestGFDLVariants(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct{ text, want string }{
		{"Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free Documentation License, Version 1.3 or any later version published by the Free Software Foundation; with no Invariant Sections, no Front-Cover Texts, and no Back-Cover Texts.", "GFDL-1.3-no-invariants-or-later"},
		{"Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free Documentation License, Version 1.2 published by the Free Software Foundation; with the Invariant Sections being Foo, with the Front-Cover Texts being Bar.", "GFDL-1.2-invariants-only"},
		{"Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free Documentation License, Version 1.3.", "GFDL-1.3-only"},
	}
	for _, tt := range tests {
		if got := c.Text([]byte(tt.text)).Expression; got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// TestNoticeVersionRange checks that a GNU notice's own words say
// whether it grants later versions, wherever they sit after the version:
// after a date, after a line break, with "opinion" for "option", after
// "in" or "only" before the version. The notices are real paragraphs of
// Debian copyright files, read where the packages are installed.
func TestNoticeVersionRange(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct{ pkg, name, phrase, want string }{
		// licensecheck's notice ends at the version; the range follows.
		{"findutils", "GPL-2+", "version 2 dated June, 1991, or (at your option) any later version", "GPL-2.0-or-later"},
		{"findutils", "GPL-3+", "version 3 dated June, 2007, or (at your option) any later version", "GPL-3.0-or-later"},
		{"findutils", "LGPL-2.1+", "Foundation; version 2.1 of the License, or (at your option) any later version", "LGPL-2.1-or-later"},
		{"libgraphite2-3", "GPL-2+", "version 2 of the license, or (at your opinion) any later version", "GPL-2.0-or-later"},
		{"libevent-2.1-7", "GPL-3+", "version 3 of the License, or (at your option) any later version", "GPL-3.0-or-later"},
		{"libsvtav1enc1", "LGPL-2.1+", "Foundation version 2.1 of the License, or (at your option)", "LGPL-2.1-or-later"},
		// The version after "in" or "only", and no range: -only.
		{"libnsl-dev", "LGPL-2.1", "License in version 2.1 as published", "LGPL-2.1-only"},
		{"libbabeltrace1", "LGPL-2.1", "only version 2.1 of the License", "LGPL-2.1-only"},
		{"libpam-modules-bin", "GPL-2", "Foundation in version 2 of the License", "GPL-2.0-only"},
		// A date without a range stays -only.
		{"ucf", "GPL-2", "version 2 dated June, 1991.", "GPL-2.0-only"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg+"/"+tt.name, func(t *testing.T) {
			text := debianLicense(t, tt.pkg, tt.name, tt.phrase)
			r := c.Text(text)
			if len(r.Matches) == 0 || r.Matches[0].Expression != tt.want {
				t.Errorf("notice: got %+v, want %q\n%s", r.Matches, tt.want, text)
			}
		})
	}
}

// TestShippedVariant checks that a license named with the work that
// distributes it is that work's variant: "the Artistic License, which
// comes with Perl" is Artistic-1.0-Perl, alone or as one alternative of a
// choice. The notices are real paragraphs of Debian copyright files.
func TestShippedVariant(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct{ pkg, name, phrase, want string }{
		{"libalgorithm-diff-perl", "Artistic", "the Artistic License, which comes with Perl", "Artistic-1.0-Perl"},
		{"git", "GPL-1+ or Artistic-1", "the \"Artistic License\" which comes with Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			text := debianLicense(t, tt.pkg, tt.name, tt.phrase)
			if got := c.Text(text).Expression; got != tt.want {
				t.Errorf("got %q, want %q\n%s", got, tt.want, text)
			}
		})
	}
}

// TestCompatibleIsNoGrant checks that a license named after "compatible
// with" is compared with, not granted: the Business Source License's
// text, from licenseclassifier's assets, grants no GPL.
func TestCompatibleIsNoGrant(t *testing.T) {
	t.Parallel()
	dir := testnet.ModuleDir(t, "github.com/google/licenseclassifier/v2@v2.0.0")
	text := readFile(t, filepath.Join(dir, "assets", "License", "Business-Source-License-1.1", "license.txt"))
	r := New().LicenseFile(text)
	if strings.Contains(r.Expression, "GPL-") {
		t.Errorf("got %q from %+v", r.Expression, r.Matches)
	}
}

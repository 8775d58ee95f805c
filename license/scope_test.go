package license

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eula is the start of a proprietary license agreement, in this
// project's own words.
const eula = "ACME END USER LICENSE AGREEMENT\n\nCopyright (c) 2024 ACME Corporation. All rights reserved.\n\n" +
	"This software is the confidential and proprietary information of ACME Corporation.\n" +
	"You may not use, copy, modify or distribute it except under the terms of a written\nagreement with ACME Corporation.\n\n"

// TestStatementsThatGrantNothing reads license statements that mention a
// license without granting it for the text's own work: about a third-party
// component or another product, negated, in a section about other
// components, or about a part that is not code. They grant nothing, and
// the text's license is what else it grants (nothing for a proprietary
// agreement); statements that speak of the work itself still grant. The
// sentences are this project's own.
func TestStatementsThatGrantNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
		why              string // Why of the statement that grants nothing, "" when all grant
	}{
		{"a proprietary agreement naming a component's GPL",
			eula + "THIRD-PARTY COMPONENTS\n\nThis product includes libfoo, which is licensed under the GNU General\nPublic License version 3 or (at your option) any later version.\n",
			"", WhyPart},
		{"a proprietary agreement denying the GPL",
			eula + "This software is NOT distributed under the GNU General Public License v3 or later.\n",
			"", WhyNegated},
		{"a proprietary agreement contrasting another product",
			eula + "Unlike our open-source SDK (released under the GNU GPL v3 or later), this product is closed source.\n",
			"", WhyOtherWork},
		{"a negated choice",
			"Copyright 2024 Ada Example.\n\nFrob is proprietary. It is not licensed under MIT or Apache-2.0.\n",
			"", WhyNegated},
		{"a contraction",
			"Copyright 2024 Ada Example.\n\nThis build isn't released under the GPL-2.0 license.\n",
			"", WhyNegated},
		{"the work's grant, then a section of components",
			"Copyright 2024 Ada Example\n\nThis software is licensed under the Apache License, Version 2.0.\n\nTHIRD-PARTY COMPONENTS\n\nlibfoo 1.2 is released under the GNU GPL v2.\n",
			"Apache-2.0", WhyComponents},
		{"a list that a sentence introduces",
			"Copyright 2024 Ada Example\nLicensed under the MIT license.\n\nFrob bundles the following libraries:\n\n- libbar, licensed under the GNU GPL v2 or later\n",
			"MIT", WhyComponents},
		{"a Markdown section of dependencies",
			"## License\n\nFrob is released under the MIT license.\n\n### Dependencies\n\nThe widget parser is licensed under the GPL-3.0.\n",
			"MIT", WhyComponents},
		{"an introduction two paragraphs up introduces nothing",
			"Dependencies:\nsee go.mod.\n\nCopyright 2024 Ada Example\n\nThis software is licensed under the MIT license.\n",
			"MIT", ""},
		{"the documentation's license beside the code's",
			"Copyright 2024 Ada Example\n\nThe documentation is licensed under CC-BY-4.0. The code is licensed under the MIT license.\n",
			"MIT", WhyNonCode},
		{"a heading for fonts",
			"# Fonts: SIL OFL 1.1\n\nThe fonts are available under the SIL Open Font License 1.1.\n\n# Code\n\nThe code is released under the MIT license.\n",
			"MIT", WhyNonCode},
		{"only the documentation's license",
			"The frob documentation is provided under the Creative Commons Attribution 4.0 International license (CC-BY-4.0).\n",
			"CC-BY-4.0", WhyNonCode},
		{"code and its documentation",
			"Frob's code and its documentation are licensed under the MIT license.\n",
			"MIT", ""},
		{"the work includes another and is licensed",
			"This program includes code from bar and is licensed under the GPL-3.0.\n",
			"GPL-3.0-only", ""},
		{"the work, with a parenthetical about its origin",
			"This library, which is based on zlib, is licensed under the GNU General Public License version 3.\n",
			"GPL-3.0-only", ""},
		{"the original version of the file",
			"The original version of this file is licensed under the GNU GPL v3.\n",
			"GPL-3.0-only", ""},
		{"a relative clause about the included work",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThis product bundles libfoo, which is licensed under the GPL-3.0.\n",
			"", WhyPart},
		{"a participle after the included work",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThis product includes software developed by Bar Inc, licensed under the GPL-3.0.\n",
			"", WhyPart},
		{"a relative clause that goes on with and",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThis product bundles libfoo, which includes bar and is licensed under the GPL-3.0.\n",
			"", WhyPart},
		{"the work contains another, licensed under",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThis product contains libfoo, licensed under the GNU General Public License version 3 or (at your option) any later version.\n",
			"", WhyPart},
		{"the work uses another, in parentheses",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThis product uses libfoo (licensed under the GNU General Public License version 3 or any later version).\n",
			"", WhyPart},
		{"another work used by the work",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThe libfoo library used by this software is licensed under the GNU General Public License version 3 or (at your option) any later version.\n",
			"", WhyPart},
		{"a negation further before the verb",
			"Copyright 2024 Ada Example. All rights reserved.\n\nThis software is not open source, and it is not in any way distributed under the GNU General Public License version 3 or any later version.\n",
			"", WhyNegated},
		{"a negation in the sentence above",
			"// Code generated by a tool. DO NOT EDIT.\n// Licensed under the MIT License.\n",
			"MIT", ""},
		{"no warranty in the sentence above",
			" * Provided as is, with no warranty.\n * Released under the MIT license.\n",
			"MIT", ""},
		{"the code of the file",
			"The code in this file is licensed under the MIT license.\n",
			"MIT", ""},
		{"the work is free software that you can redistribute",
			"This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 3.\n",
			"GPL-3.0-only", ""},
		{"portions of the file",
			"Copyright 2024 Ada Example. All rights reserved.\n\nPortions of this file are licensed under the GPL-3.0.\n",
			"", WhyPart},
		{"contributors on the copyright line",
			"/**\n * Frob <https://example.org/>\n * Copyright Ada Example and other contributors <https://example.org/>\n * Released under MIT license <https://example.org/license>\n */\n",
			"MIT", ""},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for mode, r := range map[string]Result{"LicenseFile": c.LicenseFile([]byte(tt.text)), "Header": c.Header([]byte(tt.text))} {
				if r.Expression != tt.want {
					t.Errorf("%s: Expression = %q, want %q (matches %+v)", mode, r.Expression, tt.want, r.Matches)
				}
				var whys []string
				for _, m := range r.Matches {
					if m.Part != (m.Why != "") {
						t.Errorf("%s: match %+v: Part and Why disagree", mode, m)
					}
					if m.Why != "" {
						whys = append(whys, m.Why)
					}
				}
				if tt.why == "" && len(whys) > 0 || tt.why != "" && !strings.Contains(strings.Join(whys, " "), tt.why) {
					t.Errorf("%s: statements granting nothing %q, want %q (matches %+v)", mode, whys, tt.why, r.Matches)
				}
			}
		})
	}
}

// TestTextsOfComponents reads license files built from real license texts
// (Debian's common licenses, licensecheck's test texts): a text that
// follows a component's statement, or stands under a heading of
// components, is the component's license; a text before it, the work's.
func TestTextsOfComponents(t *testing.T) {
	t.Parallel()
	mit := string(licensecheckCase(t, "MIT.t1").text)
	apache, gpl3 := string(commonLicense(t, "Apache-2.0")), string(commonLicense(t, "GPL-3"))
	tests := []struct{ name, text, want string }{
		{"a component's text after its statement",
			eula + "This product includes libfoo, which is licensed under the Apache License 2.0:\n\n" + apache, ""},
		{"a component's texts after a short agreement",
			"ACME END USER LICENSE AGREEMENT\n\nCopyright (c) 2024 ACME Corporation. All rights reserved.\n\nThis software is the confidential and proprietary information of ACME Corporation.\n\n" +
				"This product includes libfoo, which is licensed under the GNU General Public License version 3:\n\n" + gpl3, ""},
		{"a component's MIT text after a short agreement",
			"ACME END USER LICENSE AGREEMENT\n\nCopyright (c) 2024 ACME Corporation. All rights reserved.\n\nThis software is the confidential and proprietary information of ACME Corporation.\n\n" +
				"This product includes libfoo, which is licensed under the MIT license:\n\n" + mit, ""},
		{"a component's GPL text after its statement",
			eula + "This product includes libfoo, which is licensed under the GNU General Public License version 3:\n\n" + gpl3, ""},
		{"a component's GPL text after its statement, or any later version",
			eula + "This product includes libfoo, which is licensed under the GNU General Public License version 3 or (at your option) any later version:\n\n" + gpl3, ""},
		{"the work's text, then a component of the same license",
			"Copyright 2024 Ada Example\n\n" + mit + "\n\nFrob bundles libbar, which is also licensed under the MIT license.\n", "MIT"},
		{"the work's text, then third-party texts",
			"Copyright 2024 Ada Example\n\n" + mit + "\n\n=====\n\nTHIRD-PARTY LICENSES\n\nlibfoo\n\n" + gpl3 + "\n\nlibbar\n\n" + apache, "MIT"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if r := c.LicenseFile([]byte(tt.text)); r.Expression != tt.want {
				t.Errorf("Expression = %q, want %q (matches %+v)", r.Expression, tt.want, r.Matches)
			}
		})
	}
}

// TestDecideStyleAgainstLicenseFile: a header that points at its license
// file and names the license's family ("a BSD-style license that can be
// found in the LICENSE file") keeps that family when the license file
// found is of another one (The Go Authors' header on a file copied into a
// GPL project), and defers to a file of the same family, or of a license
// the classifier does not know.
func TestDecideStyleAgainstLicenseFile(t *testing.T) {
	t.Parallel()
	c := New()
	goHeader := c.Header([]byte("// Copyright 2009 The Go Authors. All rights reserved.\n// Use of this source code is governed by a BSD-style\n// license that can be found in the LICENSE file.\n"))
	mitStyle := c.Header([]byte("// Copyright 2020 Ada Example.\n// Use of this source code is governed by an MIT-style\n// license that can be found in the LICENSE file.\n"))
	file := func(text string) *Result {
		r := c.LicenseFile([]byte(text))
		return &r
	}
	gpl3 := file(string(commonLicense(t, "GPL-3")))
	bsd2 := file(string(licensecheckCase(t, "BSD-2-Clause.t1").text))
	isc := file(string(licensecheckCase(t, "ISC.t1").text))
	tests := []struct {
		name           string
		header         Result
		nearest        *Result
		expr, sourceOf string
	}{
		{"a BSD-style header in a GPL project", goHeader, gpl3, "BSD-3-Clause", SourceHeader},
		{"a BSD-style header over a BSD-2-Clause file", goHeader, bsd2, "BSD-2-Clause", SourceLicenseFile},
		{"an MIT-style header over an ISC file", mitStyle, isc, "ISC", SourceLicenseFile},
		{"an MIT-style header in a GPL project", mitStyle, gpl3, "MIT", SourceHeader},
		{"a BSD-style header over an unknown license", goHeader, &Result{Expression: "LicenseRef-Frob"}, "LicenseRef-Frob", SourceLicenseFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.nearest.Expression == "" {
				t.Fatal("the license file names no license")
			}
			e, s := Decide(tt.header, tt.nearest, "")
			if e != tt.expr || s != tt.sourceOf {
				t.Errorf("Decide = %q, %q; want %q, %q", e, s, tt.expr, tt.sourceOf)
			}
		})
	}
}

// TestDecidePartStatementsLeaveTheFile: a header whose only statements
// speak of a part ("Portions derived from Bar, which is licensed under
// the Apache License 2.0" and that license's URL) states no license of
// its own, so the license file decides (it was "", from the header: a
// copy of GPL code then scanned as license unknown).
func TestDecidePartStatementsLeaveTheFile(t *testing.T) {
	t.Parallel()
	c := New()
	hdr := c.Header([]byte("// Copyright 2024 Ada Example\n// Portions derived from Bar, which is licensed under the Apache License 2.0.\n// https://www.apache.org/licenses/LICENSE-2.0\n\npackage frob\n"))
	file := c.LicenseFile(commonLicense(t, "GPL-3"))
	if file.Expression == "" {
		t.Fatal("GPL-3 not recognized")
	}
	if expr, src := Decide(hdr, &file, ""); expr != file.Expression || src != SourceLicenseFile {
		t.Errorf("Decide = %q from %s, want %q from the license file (header matches %+v)", expr, src, file.Expression, hdr.Matches)
	}
}

// TestReservedRights reads proprietary agreements, in this project's own
// words, that reserve the rights to their work and then name a license of
// something else: a library in lib/, an executable, some files, a
// dependency's URL, a component's full text (Debian's GPL-3) under a
// heading or after a sentence that does not name its license. None
// grants the project its license; a grant to the work itself still does.
func TestReservedRights(t *testing.T) {
	t.Parallel()
	gpl3 := string(commonLicense(t, "GPL-3"))
	const head = "ACME PROPRIETARY LICENSE\n\nCopyright 2026 Acme Corp. All rights reserved.\n\n"
	tests := []struct{ name, text, want string }{
		{"a library in a directory", head + "You may not copy, modify or distribute this software.\n\nThe libbar library in lib/ is licensed under the GPL-3.0-or-later.\n", ""},
		{"an executable", head + "You may not copy, modify or distribute this software.\n\nNOTICE: the bin/ffmpeg executable is covered by the GNU General Public License, version 3.\n", ""},
		{"some files", head + "This software may not be copied or distributed.\n\nSome files in this distribution are licensed under the GPL-3.0-or-later; see each file.\n", ""},
		{"a dependency's URL", head + "Unauthorized copying of this software, via any medium, is strictly prohibited.\n\nDependencies\n\nlibbar: https://www.gnu.org/licenses/gpl-3.0.html\n", ""},
		{"a short word", "Copyright (c) 2026 Acme Corp. All rights reserved. Proprietary.\n\nThe ffmpeg binary shipped in the bin/ directory is licensed under the GPL-3.0-or-later.\n", ""},
		{"a component's text under a heading", head + "Unauthorized copying of this software is strictly prohibited.\n\nTHIRD-PARTY COMPONENTS\n\nlibbar is distributed under the GNU General Public License v3.0:\n\n" + gpl3, ""},
		{"a component's text after a sentence", head + "This software is the confidential and proprietary information of Acme Corp.\n\nlibfoo is distributed with this product. Its license follows.\n\n" + gpl3, ""},
		{"redistribution prohibited", head + "Redistribution of this software is strictly prohibited.\n\nThe ffmpeg binary in bin/ is licensed under the GPL-3.0-or-later.\n", ""},
		{"a GPL notice, then an API's rule", "This program is free software: you can redistribute it and/or modify\nit under the terms of the GNU General Public License as published by\nthe Free Software Foundation, either version 3 of the License, or\n(at your option) any later version.\n\nOnce closed, it must not be used again.\n", "GPL-3.0-or-later"},
		{"a grant to the work itself", head + "You may not distribute this software in binary form.\n\nThis software is also licensed under the MIT license.\n", "MIT"},
		{"a license's own condition", "Copyright 2026 Ada Example\n\nLicensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file except in compliance with the License.\n", "Apache-2.0"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if r := c.LicenseFile([]byte(tt.text)); r.Expression != tt.want {
				t.Errorf("Expression = %q, want %q (matches %+v)", r.Expression, tt.want, r.Matches)
			}
		})
	}
}

// TestLicenseTextsReserveNothing: no real license text (Debian's common
// licenses, licensecheck's texts and test files) reads as a reservation
// of rights, even taken whole as if no full text had been matched in it.
func TestLicenseTextsReserveNothing(t *testing.T) {
	t.Parallel()
	var files []string
	for _, g := range []string{"/usr/share/common-licenses/*", filepath.Join(licensecheckDir(t), "testdata", "*"), filepath.Join(licensecheckDir(t), "licenses", "*")} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 500 {
		t.Skipf("%d license texts found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lower := lowerASCII(data)
		if reserves(lower, splitWords(lower), nil) {
			t.Errorf("%s reads as a reservation of rights", f)
		}
	}
}

// TestCommonLicensePaths: a path into Debian's /usr/share/common-licenses
// names a license as a URL does when nothing else in the text does; beside
// a notice it only says where the notice's license text lies (its version
// range is the notice's; the LGPL-3.0 points to the GPL-3.0's text).
func TestCommonLicensePaths(t *testing.T) {
	t.Parallel()
	const gpl2Notice = "This program is free software; you can redistribute it and/or modify\nit under the terms of the GNU General Public License as published by\nthe Free Software Foundation; either version 2 of the License, or\n(at your option) any later version.\n"
	const lgpl3Notice = "This library is free software; you can redistribute it and/or modify\nit under the terms of the GNU Lesser General Public License as published by\nthe Free Software Foundation; either version 3 of the License, or\n(at your option) any later version.\n"
	tests := []struct{ name, text, want string }{
		{"a path alone", "See /usr/share/common-licenses/Apache-2.0.\n", "Apache-2.0"},
		{"a path to a versioned GPL", "On Debian systems, the complete text of the GNU General Public License\nversion 3 can be found in `/usr/share/common-licenses/GPL-3'.\n", "GPL-3.0-only"},
		{"a path below a notice", gpl2Notice + "\nOn Debian systems, the complete text of the GNU General Public License\nversion 2 can be found in /usr/share/common-licenses/GPL-2.\n", "GPL-2.0-or-later"},
		{"the LGPL's pointer to the GPL", lgpl3Notice + "\nOn Debian systems, the complete texts of the GNU Lesser General Public\nLicense and of the GNU General Public License version 3 can be found in\n/usr/share/common-licenses/LGPL-3 and /usr/share/common-licenses/GPL-3.\n", "LGPL-3.0-or-later"},
		{"an unversioned link", "See /usr/share/common-licenses/GPL.\n", ""},
		{"a path beside a statement that grants nothing", "Distributed under the terms of /usr/share/common-licenses/GPL-2.\nThe documentation is licensed under CC-BY-4.0.\n", "GPL-2.0-only"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if r := c.Header([]byte(tt.text)); r.Expression != tt.want {
				t.Errorf("Expression = %q, want %q (matches %+v)", r.Expression, tt.want, r.Matches)
			}
		})
	}
}

// TestUnwrappedBSDVariant classifies licensecheck's BSD-3-Clause.t20 (a
// variant whose third clause reads "The names of the contributors to
// this software may not be used to endorse or promote products derived
// from this software") with one paragraph per line: a license's
// condition on names, not a reservation of rights (it read as one, and
// the text granted nothing).
func TestUnwrappedBSDVariant(t *testing.T) {
	t.Parallel()
	text := string(licensecheckCase(t, "BSD-3-Clause.t20").text)
	var paras []string
	for _, p := range strings.Split(text, "\n\n") {
		paras = append(paras, strings.Join(strings.Fields(p), " "))
	}
	r := New().LicenseFile([]byte(strings.Join(paras, "\n")))
	if r.Expression != "BSD-3-Clause" {
		t.Errorf("Expression = %q, want BSD-3-Clause (matches %+v)", r.Expression, r.Matches)
	}
}

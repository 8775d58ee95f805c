package license

import (
	"strings"
	"testing"
)

// TestGrantStatements reads license statements as grants: a choice
// ("either", "at your option", "alternatively", "dual licensed", "choose
// between") is an OR, whatever words surround it; a version range ("or
// (at your option) any later version") stays one license; a sentence that
// only mentions a license (an example, a compatibility table, "the
// general public") grants nothing. The sentences are this project's own.
func TestGrantStatements(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"option between verb and preposition",
			"// You may use this library, at your option, under the MIT license or the Apache License 2.0.\n", "Apache-2.0 OR MIT"},
		{"alternatively in the next sentence",
			"// Copyright 2021 Ada Example\n// This file is available under the MIT license. Alternatively, it may be used\n// under the terms of the GNU General Public License, version 2.\n", "GPL-2.0-only OR MIT"},
		{"alternatively inside the list",
			"/* It is licensed under the terms of the MIT license, or alternatively under the terms of the Apache License, Version 2.0. */\n", "Apache-2.0 OR MIT"},
		{"at your choice inside the list",
			"# This software is released under the MIT license or, at your choice, under the GNU General Public License version 2 or later.\n", "GPL-2.0-or-later OR MIT"},
		{"choose between",
			"// You can choose between the MIT license and the Apache License 2.0.\n", "Apache-2.0 OR MIT"},
		{"dual licensed without a preposition",
			"Dual Licensed MIT and Apache 2\n", "Apache-2.0 OR MIT"},
		{"either in a bulleted list, then at your option",
			"## License\n\nLicensed under either of\n\n * Apache License, Version 2.0\n   ([LICENSE-APACHE](LICENSE-APACHE) or http://www.apache.org/licenses/LICENSE-2.0)\n * MIT license\n   ([LICENSE-MIT](LICENSE-MIT) or http://opensource.org/licenses/MIT)\n\nat your option.\n",
			"Apache-2.0 OR MIT"},
		{"numbered list",
			"Frobnicator may be distributed under the terms of either:\n\n1. the Mozilla Public License 2.0, or\n2. the GNU Lesser General Public License 2.1 or later.\n", "LGPL-2.1-or-later OR MPL-2.0"},
		{"markdown links joined by a plus",
			"## License\n\nDual-licensed under [MIT](https://example.org/frob/LICENSE-MIT) + [Apache 2.0](https://example.org/frob/LICENSE-APACHE)\n", "Apache-2.0 OR MIT"},
		{"quoted nickname and emphasis",
			"Frob is available under *either* the terms of the BSD 3-Clause \"New\" License *or* the Academic Free License version 2.1.\n", "AFL-2.1 OR BSD-3-Clause"},
		{"or-later stays one license",
			"This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.\n", "GPL-2.0-or-later"},
		{"a choice of versions",
			"// Licensed under the GNU GPL version 2 or version 3.\n", "GPL-2.0-only OR GPL-3.0-only"},
		{"an example is no grant",
			"We recommend releasing examples under a free software license, such as the GNU General Public License, to permit their use.\n", ""},
		{"the general public is no license",
			"The purpose of this License is to make the manual available to the general public at no cost.\n", ""},
		{"a compatibility table grants nothing",
			"| License | GPL-compatible |\n|---|---|\n| MIT | yes |\n| Apache-2.0 | GPLv3 only |\n", ""},
		{"a word that is also a license name",
			"Every report is available converted to json; see the license notes.\n", ""},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if r := c.Header([]byte(tt.text)); r.Expression != tt.want {
				t.Errorf("Header(%q).Expression = %q, want %q (matches %+v)", tt.text, r.Expression, tt.want, r.Matches)
			}
		})
	}
}

// TestLicenseFileChoices classifies license files built from real license
// texts (Debian's common licenses, licensecheck's test texts) under
// statements of this project's own words: a choice statement makes the
// texts below it alternatives; a notice above a text grants what it says;
// the sample notice in a license's own appendix grants nothing.
func TestLicenseFileChoices(t *testing.T) {
	t.Parallel()
	apache := string(commonLicense(t, "Apache-2.0"))
	gpl2 := string(commonLicense(t, "GPL-2"))
	bsd2 := string(licensecheckCase(t, "BSD-2-Clause.t1").text)
	mit := string(licensecheckCase(t, "MIT.t1").text)
	tests := []struct{ name, text, want string }{
		{"a choice above both texts",
			"Frobnicator is available under either the Apache License 2.0 or the GNU General Public License version 2, at your option.\n\n" + apache + "\n\n" + gpl2,
			"Apache-2.0 OR GPL-2.0-only"},
		{"a choice above the texts' URLs",
			"Dual-licensed under MIT and ASLv2.\n\nApache-2.0: https://www.apache.org/licenses/license-2.0\nMIT: https://www.opensource.org/licenses/mit\n",
			"Apache-2.0 OR MIT"},
		{"an unversioned family made precise by its text",
			"You can use, modify and redistribute Frob under a BSD license or under the GNU GPL, version 2.0.\n\n" + bsd2 + "\n\n" + gpl2,
			"BSD-2-Clause OR GPL-2.0-only"},
		{"a notice above the text it grants",
			"Frobnicator - frobnicates widgets\nCopyright (C) 2001 Ada Example\n\nThis program is free software; you can redistribute it and/or modify\nit under the terms of the GNU General Public License as published by\nthe Free Software Foundation; either version 2 of the License, or\n(at your option) any later version.\n\n" + gpl2,
			"GPL-2.0-or-later"},
		{"the GPL-1.0 text with its appendix", string(commonLicense(t, "GPL-1")), "GPL-1.0-only"},
		{"two texts without a statement", mit + "\n\n" + apache, "Apache-2.0 AND MIT"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if r := c.LicenseFile([]byte(tt.text)); r.Expression != tt.want {
				t.Errorf("LicenseFile(%.80q...).Expression = %q, want %q (matches %+v)", tt.text, r.Expression, tt.want, r.Matches)
			}
		})
	}
}

// TestClasspathWording attaches the Classpath exception to a GPL notice
// that states it in its own words rather than by name.
func TestClasspathWording(t *testing.T) {
	t.Parallel()
	text := "This library is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 2.\n\n" +
		"Linking this library statically or dynamically with other modules is making a combined work based on this library. " +
		"As a special exception, the copyright holders of this library give you permission to link this library with independent modules to produce an executable, " +
		"regardless of the license terms of these independent modules.\n"
	r := New().Header([]byte(text))
	if want := "GPL-2.0-only WITH Classpath-exception-2.0"; r.Expression != want {
		t.Errorf("Expression = %q, want %q", r.Expression, want)
	}
	if got := CategoryOf(r.Expression); got != WeakCopyleft {
		t.Errorf("category %s, want weak-copyleft", got)
	}
}

// TestGrantBesideAChoice reads a file's own grant beside an "or"
// sentence that mentions the same license: the sentence describes the
// file's licensing only when every alternative it offers has a statement
// of its own in the file, and only when it speaks of the file rather than
// of a part or an origin it mentions; otherwise the grant stands (GPL-2.0
// AND (GPL-2.0 OR MIT) is GPL-2.0). The sentences are this project's own.
func TestGrantBesideAChoice(t *testing.T) {
	t.Parallel()
	gnu2 := "/*\n * frob.c - counts widgets\n *\n * Copyright (C) 2019 Ada Example\n *\n" +
		" * This program is free software; you can redistribute it and/or modify\n" +
		" * it under the terms of the GNU General Public License version 2 as\n" +
		" * published by the Free Software Foundation.\n *\n"
	mit := string(licensecheckCase(t, "MIT.t1").text)
	comment := func(text string) string {
		return "// " + strings.ReplaceAll(strings.TrimSpace(text), "\n", "\n// ") + "\n"
	}
	_, apacheNotice, _ := strings.Cut(string(licensecheckCase(t, "Apache-2.0-Header.t1").text), "\n\n")
	tests := []struct{ name, text, want string }{
		{"a dual statement, then each alternative's notice in a paragraph of its own",
			"// Copyright (C) 2012 Ada Example\n// Frob is dual-licensed under both the Apache License and the MPL\n\n" +
				comment(apacheNotice) + "\n" + comment(string(licensecheckCase(t, "MPL-2.0-Header.t1").text)),
			"Apache-2.0 OR MPL-2.0"},
		{"a GNU notice, then the origin of a part",
			gnu2 + " * Based on the widget code of libfoo, which is dual licensed under the\n * GPL-2.0 or the MIT license.\n */\n",
			"GPL-2.0-only"},
		{"a reference, then where portions come from",
			"// Copyright 2020 Ada Example\n// Frob is licensed under the GNU GPL v2.0. Portions derived from Bar, which may be used\n// under either the MIT license or the GPL-2.0, at your option.\n",
			"GPL-2.0-only"},
		{"an SPDX tag, then the original version's licensing",
			"// Copyright 2020 Ada Example\n// SPDX-License-Identifier: GPL-2.0-only\n// The original version of this file was available under the MIT or GPL-2.0 license.\n",
			"GPL-2.0-only"},
		{"a grant, then a choice for some of the file's contents",
			"# Copyright 2020 Ada Example\n# This file is licensed under the GPL v2.\n#\n# The widget tables are available under either the MIT license or the GPL v2.\n",
			"GPL-2.0-only"},
		{"a part's choice beside the text of one alternative",
			gnu2 + " * Portions come from libfoo, which is dual licensed under the GPL-2.0 or the MIT license:\n *\n" + mit + "\n */\n",
			"GPL-2.0-only"},
		{"a choice whose every alternative has its statement",
			"/*\n * This file is dual-licensed: you can use it either under the terms\n * of the GPL, or the MIT license, at your option.\n *\n" +
				" * a) This program is free software; you can redistribute it and/or modify\n" +
				" *    it under the terms of the GNU General Public License as published by\n" +
				" *    the Free Software Foundation; either version 2 of the License, or\n *    (at your option) any later version.\n *\n" +
				" * Alternatively,\n *\n * b) " + mit + "\n */\n",
			"GPL-2.0-or-later OR MIT"},
		{"a choice above both texts", "Frob is dual licensed under the MIT license or the Apache License 2.0, at your option.\n\n" + mit + "\n\n" +
			string(commonLicense(t, "Apache-2.0")), "Apache-2.0 OR MIT"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for mode, r := range map[string]Result{"Header": c.Header([]byte(tt.text)), "Text": c.Text([]byte(tt.text))} {
				if r.Expression != tt.want {
					t.Errorf("%s(%.60q...).Expression = %q, want %q (matches %+v)", mode, tt.text, r.Expression, tt.want, r.Matches)
				}
			}
		})
	}
}

// TestTextAgreesWithDecide checks that a file's own license, as Text
// and Header report it (snipscan license prints it), is what Decide
// records for the file in an index when no license file or manifest
// says more: an SPDX tag decides alone.
func TestTextAgreesWithDecide(t *testing.T) {
	t.Parallel()
	texts := []string{
		"// Copyright 2020 Ada Example\n// SPDX-License-Identifier: GPL-2.0-only\n// The original version of this file was available under the MIT or GPL-2.0 license.\n",
		"// Copyright 2020 Ada Example\n// SPDX-License-Identifier: MIT\n// Portions of the parser are licensed under the Apache License, Version 2.0.\n",
		"// SPDX-License-Identifier: Apache-2.0\n// SPDX-License-Identifier: MIT\n",
		"// Licensed under the MIT license. Alternatively, you may use it under the Apache License 2.0.\n",
	}
	c := New()
	for _, text := range texts {
		h := c.Header([]byte(text))
		want, _ := Decide(h, nil, "")
		if h.Expression != want {
			t.Errorf("Header(%q).Expression = %q, Decide = %q", text, h.Expression, want)
		}
		if got := c.Text([]byte(text)).Expression; got != want {
			t.Errorf("Text(%q).Expression = %q, Decide = %q", text, got, want)
		}
	}
}

// TestGuessedVersionSettled checks that a statement that names a license
// without its version ("released under the GPL", "a dual license: GPL
// and MPL") speaks of the version the same text grants definitely, and
// keeps its guess when the text grants that family in several versions.
// The sentences are this project's own.
func TestGuessedVersionSettled(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"lone grant",
			"Frob is licensed under the GNU General Public License version 2 or later.\n\nThe command-line tool is released under the GPL as well.\n", "GPL-2.0-or-later"},
		{"guessed choice beside its definite one",
			"Contributions are dual-licensed, and released under both the GNU General Public License version 2 or later and the Mozilla Public License 2.0.\n\nWe moved from the GPL to a dual license: GPL and MPL.\n", "GPL-2.0-or-later OR MPL-2.0"},
		{"several versions keep the guess",
			"Frob is licensed under the GNU General Public License version 2.\n\nFrobd is licensed under the GNU General Public License version 3.\n\nThe rest is released under the GPL.\n", "GPL-1.0-or-later AND GPL-2.0-only AND GPL-3.0-only"},
	}
	c := New()
	for _, tt := range tests {
		if got := c.Text([]byte(tt.text)).Expression; got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

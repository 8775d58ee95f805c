package license

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestGorootLicenseFile(t *testing.T) {
	t.Parallel()
	c := New()
	r := c.LicenseFile(readFile(t, filepath.Join(goroot(t), "LICENSE")))
	if r.Expression != "BSD-3-Clause" {
		t.Errorf("Expression = %q, want BSD-3-Clause", r.Expression)
	}
	if want := []string{"Copyright 2009 The Go Authors"}; !slices.Equal(r.Copyrights, want) {
		t.Errorf("Copyrights = %q, want %q", r.Copyrights, want)
	}
	if want := []string{"The Go Authors"}; !slices.Equal(r.Holders, want) {
		t.Errorf("Holders = %q, want %q", r.Holders, want)
	}
	if len(r.Matches) != 1 || r.Matches[0].Evidence != EvidenceText || r.Matches[0].Lines[0] != 1 {
		t.Errorf("Matches = %+v, want one full-text match from line 1", r.Matches)
	}
}

func TestGoHeaderWithoutLicensecheck(t *testing.T) {
	t.Parallel()
	c := New()
	src := readFile(t, filepath.Join(goroot(t), "src", "container", "list", "list.go"))
	r := c.Header(leadingComments(src))
	if r.RefersTo != "LICENSE" || r.Hint != "BSD-3-Clause" || r.Expression != "" {
		t.Errorf("got RefersTo=%q Hint=%q Expression=%q, want LICENSE, BSD-3-Clause, empty", r.RefersTo, r.Hint, r.Expression)
	}
	if !slices.Equal(r.Holders, []string{"The Go Authors"}) || len(r.Copyrights) != 1 || !strings.HasSuffix(r.Copyrights[0], " The Go Authors") {
		t.Errorf("got Copyrights=%q Holders=%q", r.Copyrights, r.Holders)
	}
	if c.sub.s != nil || c.full.s != nil || c.cands.lics != nil {
		t.Errorf("licensecheck was used for Go's standard header")
	}
	// Decide falls back to the license file, then to the hint.
	lic := c.LicenseFile(readFile(t, filepath.Join(goroot(t), "LICENSE")))
	if e, s := Decide(r, &lic, ""); e != "BSD-3-Clause" || s != SourceLicenseFile {
		t.Errorf("Decide with LICENSE = %q, %q", e, s)
	}
	if e, s := Decide(r, nil, ""); e != "BSD-3-Clause" || s != SourceHeader {
		t.Errorf("Decide without LICENSE = %q, %q", e, s)
	}
}

func TestHeaderNoLicenseWords(t *testing.T) {
	t.Parallel()
	c := New()
	for _, h := range []string{"", "// Package foo does bar.\n", "#!/bin/sh\n# build the thing\n"} {
		if r := c.Header([]byte(h)); r.Expression != "" || len(r.Copyrights) != 0 || r.RefersTo != "" {
			t.Errorf("Header(%q) = %+v, want empty", h, r)
		}
	}
}

func TestSPDXTags(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"// SPDX-License-Identifier: MIT", "MIT"},
		{"# SPDX-License-Identifier: Apache-2.0", "Apache-2.0"},
		{"/* SPDX-License-Identifier: GPL-2.0+ */", "GPL-2.0-or-later"},
		{"// SPDX-License-Identifier: GPL-2.0", "GPL-2.0-only"},
		{"// SPDX-License-Identifier: LGPL-2.1-or-later", "LGPL-2.1-or-later"},
		{"// SPDX-License-Identifier: MIT OR Apache-2.0", "Apache-2.0 OR MIT"},
		{"// SPDX-License-Identifier: (MIT OR Apache-2.0) AND BSD-3-Clause", "(Apache-2.0 OR MIT) AND BSD-3-Clause"},
		{"// SPDX-License-Identifier: GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"},
		{"/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */", "GPL-2.0-only WITH Linux-syscall-note"},
		{"// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception"},
		{"// spdx-license-identifier: mit or apache-2.0", "Apache-2.0 OR MIT"},
		{"<!-- SPDX-License-Identifier: CC-BY-4.0 -->", "CC-BY-4.0"},
		{"-- SPDX-License-Identifier: GPL-3.0+", "GPL-3.0-or-later"},
		{"// SPDX-License-Identifier: Apache-2.0+", "Apache-2.0+"},
		{"// SPDX-License-Identifier: GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"},
		{"// SPDX-License-Identifier: LicenseRef-Proprietary", "LicenseRef-Proprietary"},
		{"// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: BSD-2-Clause", "BSD-2-Clause AND MIT"},
		{"// SPDX-License-Identifier: ((MIT))", "MIT"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			r := c.Header([]byte(tt.in + "\n"))
			if r.Expression != tt.want {
				t.Errorf("Expression = %q, want %q", r.Expression, tt.want)
			}
			for _, m := range r.Matches {
				if m.Evidence != EvidenceTag {
					t.Errorf("match %+v: evidence %q, want tag", m, m.Evidence)
				}
			}
			if e, s := Decide(r, nil, "MIT"); e != tt.want || s != SourceTag {
				t.Errorf("Decide = %q, %q; want %q, %q", e, s, tt.want, SourceTag)
			}
		})
	}
	// An unknown identifier is kept as a LicenseRef with lower confidence.
	r := c.Header([]byte("// SPDX-License-Identifier: Proprietary\n"))
	if r.Expression != "LicenseRef-Proprietary" || len(r.Matches) != 1 || r.Matches[0].Confidence >= 1 {
		t.Errorf("unknown tag: %+v", r)
	}
}

// comment wraps text in a comment style.
func comment(style, text string) string {
	var b strings.Builder
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	switch style {
	case "//", "#", ";;", "--":
		for _, l := range lines {
			b.WriteString(strings.TrimRight(style+" "+l, " ") + "\n")
		}
	case "/*":
		b.WriteString("/*\n")
		for _, l := range lines {
			b.WriteString(strings.TrimRight(" * "+l, " ") + "\n")
		}
		b.WriteString(" */\n")
	default:
		b.WriteString(text)
	}
	return b.String()
}

// realText returns the license text of a licensecheck testdata file
// without its placeholder copyright lines ("Copyright <YEAR> <HOLDER>").
func realText(t *testing.T, name string) string {
	t.Helper()
	c := licensecheckCase(t, name)
	var out []string
	for _, l := range strings.Split(string(c.text), "\n") {
		if isPlaceholderCopyright(l) {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

func TestNoticesAroundRealTexts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		style   string
		text    func(t *testing.T) string
		want    string
		holders []string
	}{
		{"MIT text in // header", "//", func(t *testing.T) string {
			return "Copyright (c) 2019-2024 Jane Doe <jane@example.org>\n\n" + realText(t, "MIT.t1")
		}, "MIT", []string{"Jane Doe"}},
		{"BSD-3 text in /* header", "/*", func(t *testing.T) string {
			return "Copyright © 2011, 2013 Example Widgets Ltd. All rights reserved.\n\n" + realText(t, "BSD-3-Clause.t1")
		}, "BSD-3-Clause", []string{"Example Widgets Ltd."}},
		{"ISC text in # header", "#", func(t *testing.T) string {
			return "Copyright (C) 2020 by Ada Lovelace\n\n" + realText(t, "ISC.t1")
		}, "ISC", []string{"Ada Lovelace"}},
		{"Apache notice", "//", func(t *testing.T) string {
			return "Copyright 2016 Example Corp.\n\n" + realText(t, "Apache-2.0-Header.t1")
		}, "Apache-2.0", []string{"Example Corp."}},
		{"GPL-2.0-or-later notice", "/*", func(t *testing.T) string {
			return "Copyright (C) 1999-2003 Grace Hopper\n\n" + realText(t, "GPL-Header.t1")
		}, "GPL-2.0-or-later", []string{"Grace Hopper"}},
		{"GPL-3.0-only notice", "/*", func(t *testing.T) string {
			return "Copyright (c) 2005 Alan Turing\n\n" + realText(t, "GPL-NotLater-Header.t1")
		}, "GPL-3.0-only", []string{"Alan Turing"}},
		{"MPL-2.0 notice", "//", func(t *testing.T) string {
			return realText(t, "MPL-2.0-Header.t1")
		}, "MPL-2.0", nil},
		{"Unlicense text", "", func(t *testing.T) string { return realText(t, "Unlicense.t1") }, "Unlicense", nil},
		{"Released under MIT", "#", func(t *testing.T) string {
			return "Copyright (c) 2019-2024 Jane Doe\nReleased under the MIT license.\n"
		}, "MIT", []string{"Jane Doe"}},
		{"Licensed under GPL v2", "//", func(t *testing.T) string {
			return "(c) 2012 Linus Example\nLicensed under the GPL v2.\n"
		}, "GPL-2.0-only", []string{"Linus Example"}},
		{"GPLv3+ reference", "#", func(t *testing.T) string {
			return "This file is distributed under the GNU GPL, version 3 or later.\n"
		}, "GPL-3.0-or-later", nil},
		{"Boost reference", "//", func(t *testing.T) string {
			return "Copyright Jane Roe 2015.\nDistributed under the Boost Software License, Version 1.0.\n(See accompanying file LICENSE_1_0.txt or copy at\nhttp://www.boost.org/LICENSE_1_0.txt)\n"
		}, "BSL-1.0", []string{"Jane Roe"}},
		{"EPL reference", "/*", func(t *testing.T) string {
			return "All rights reserved. This program and the accompanying materials\nare made available under the terms of the Eclipse Public License v1.0\nwhich accompanies this distribution, and is available at\nhttp://www.eclipse.org/legal/epl-v10.html\n"
		}, "EPL-1.0", nil},
		{"license URL only", "//", func(t *testing.T) string {
			return "License: https://opensource.org/licenses/BSD-2-Clause\n"
		}, "BSD-2-Clause", nil},
		{"SPDX URL", "#", func(t *testing.T) string {
			return "See https://spdx.org/licenses/MPL-2.0.html for the license.\n"
		}, "MPL-2.0", nil},
		{"public domain", "//", func(t *testing.T) string {
			return "Written in 2015 by Jane Doe. This file has been placed in the public domain.\n"
		}, "LicenseRef-Public-Domain", nil},
		{"Classpath exception", "/*", func(t *testing.T) string {
			return "Copyright (c) 2007, 2013, Example and/or its affiliates. All rights reserved.\n\n" +
				"This code is free software; you can redistribute it and/or modify it\nunder the terms of the GNU General Public License version 2 only, as\npublished by the Free Software Foundation.  Example designates this\nparticular file as subject to the \"Classpath\" exception as provided\nby Example in the LICENSE file that accompanied this code.\n"
		}, "GPL-2.0-only WITH Classpath-exception-2.0", []string{"Example and/or its affiliates"}},
		{"@license JSDoc", "/*", func(t *testing.T) string {
			return "@license MIT\n@copyright 2018 Jane Doe\n"
		}, "MIT", nil},
		{"MIT-style hint", "//", func(t *testing.T) string {
			return "Copyright Google LLC All Rights Reserved.\n\nUse of this source code is governed by an MIT-style license that can be\nfound in the LICENSE file at https://angular.io/license\n"
		}, "", []string{"Google LLC"}},
		{"perl terms", "#", func(t *testing.T) string {
			return "This library is free software; you can redistribute it and/or modify\nit under the same terms as Perl itself.\n"
		}, "Artistic-1.0-Perl OR GPL-1.0-or-later", nil},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text := comment(tt.style, tt.text(t))
			r := c.Header([]byte(text))
			if r.Expression != tt.want {
				t.Errorf("Header Expression = %q, want %q\n%s\nmatches: %+v", r.Expression, tt.want, text, r.Matches)
			}
			if tt.holders != nil && !slices.Equal(r.Holders, tt.holders) {
				t.Errorf("Holders = %q, want %q (statements %q)", r.Holders, tt.holders, r.Copyrights)
			}
			for _, m := range r.Matches {
				if m.Start < 0 || m.End > len(text) || m.Start >= m.End || m.Lines[0] < 1 || m.Lines[1] < m.Lines[0] {
					t.Errorf("bad match bounds %+v", m)
				}
			}
			if tt.want != "" {
				if e, s := Decide(r, nil, ""); e != tt.want || s != SourceHeader {
					t.Errorf("Decide = %q, %q", e, s)
				}
			}
		})
	}
}

func TestCommonLicenses(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, want string }{
		{"Apache-2.0", "Apache-2.0"},
		{"BSD", "BSD-3-Clause"},
		{"CC0-1.0", "CC0-1.0"},
		{"GPL-2", "GPL-2.0-only"},
		{"GPL-3", "GPL-3.0-only"},
		{"LGPL-2.1", "LGPL-2.1-only"},
		{"LGPL-3", "LGPL-3.0-only"},
		{"MPL-2.0", "MPL-2.0"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			text := commonLicense(t, tt.file)
			r := c.LicenseFile(text)
			if r.Expression != tt.want {
				t.Errorf("Expression = %q, want %q (matches %+v)", r.Expression, tt.want, r.Matches)
			}
			// The license document's own copyright is not a holder.
			for _, h := range r.Holders {
				if strings.Contains(h, "Free Software Foundation") {
					t.Errorf("license document copyright reported as holder %q", h)
				}
			}
		})
	}
	// A notice of our own in front of the Debian GPL-2 text, as a COPYING
	// file would have it.
	t.Run("notice+GPL-2", func(t *testing.T) {
		t.Parallel()
		text := "Frobnicator - frobnicates widgets\nCopyright (C) 2001-2004 Jane Doe\n\n" +
			"This program is free software; you can redistribute it and/or modify\nit under the terms of the GNU General Public License as published by\nthe Free Software Foundation; either version 2 of the License, or\n(at your option) any later version.\n\n" +
			string(commonLicense(t, "GPL-2"))
		r := c.LicenseFile([]byte(text))
		if !strings.Contains(r.Expression, "GPL-2.0-or-later") {
			t.Errorf("Expression = %q, want GPL-2.0-or-later", r.Expression)
		}
		if !slices.Equal(r.Holders, []string{"Jane Doe"}) {
			t.Errorf("Holders = %q", r.Holders)
		}
	})
}

func TestDualLicenses(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, want string }{
		{"// Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or\n// http://www.apache.org/licenses/LICENSE-2.0> or the MIT license\n// <LICENSE-MIT or http://opensource.org/licenses/MIT>, at your\n// option. This file may not be copied, modified, or distributed\n// except according to those terms.\n", "Apache-2.0 OR MIT"},
		{"# Dual licensed under the MIT and GPL licenses.\n", "GPL-1.0-or-later OR MIT"},
		{"/* Dual-licensed under the BSD 2-Clause and GPL v2 licenses. */\n", "BSD-2-Clause OR GPL-2.0-only"},
		{"// This project is licensed under either of MIT or Apache-2.0 at your option.\n", "Apache-2.0 OR MIT"},
		{"// Released under the MIT/X11 license.\n", "MIT OR X11"},
		{"// Licensed under the MIT license and the Apache License 2.0.\n", "Apache-2.0 AND MIT"},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if r := c.Header([]byte(tt.text)); r.Expression != tt.want {
				t.Errorf("Header(%q).Expression = %q, want %q", tt.text, r.Expression, tt.want)
			}
		})
	}
}

func TestCopyrights(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		text       string
		statements []string
		holders    []string
	}{
		{"go", "// Copyright 2009 The Go Authors. All rights reserved.\n", []string{"Copyright 2009 The Go Authors"}, []string{"The Go Authors"}},
		{"c range", "Copyright (c) 2019-2024 Jane Doe", []string{"Copyright (c) 2019-2024 Jane Doe"}, []string{"Jane Doe"}},
		{"C upper", " * Copyright (C) 2001, 2002, 2005 Free Widgets, Inc.\n", []string{"Copyright (C) 2001, 2002, 2005 Free Widgets, Inc."}, []string{"Free Widgets, Inc."}},
		{"symbol", "# © 2020 Émilie Durand\n", []string{"© 2020 Émilie Durand"}, []string{"Émilie Durand"}},
		{"html entity", "<!-- Copyright &copy; 2014 Example Org -->", []string{"Copyright &copy; 2014 Example Org"}, []string{"Example Org"}},
		{"email", "Copyright 2015 John Smith <john@example.com>", []string{"Copyright 2015 John Smith <john@example.com>"}, []string{"John Smith"}},
		{"by", "Copyright (C) 1998 by Jane Roe", []string{"Copyright (C) 1998 by Jane Roe"}, []string{"Jane Roe"}},
		{"multi-line holder", "/*\n * Copyright (c) 2003-2010\n *      The Regents of the Example University.\n */", []string{"Copyright (c) 2003-2010 The Regents of the Example University"}, []string{"The Regents of the Example University"}},
		{"two statements", "Copyright 2010 Alice Example\nCopyright 2012 Bob Example\n", []string{"Copyright 2010 Alice Example", "Copyright 2012 Bob Example"}, []string{"Alice Example", "Bob Example"}},
		{"portions", "Portions Copyright © 1995-1997 C H Forsyth (forsyth@example.net)", []string{"Copyright © 1995-1997 C H Forsyth (forsyth@example.net)"}, []string{"C H Forsyth"}},
		{"no year", "Copyright The Kubernetes Authors.", []string{"Copyright The Kubernetes Authors"}, []string{"The Kubernetes Authors"}},
		{"present", "Copyright (c) 2015-present, Example, Inc.", []string{"Copyright (c) 2015-present, Example, Inc."}, []string{"Example, Inc."}},
		{"spdx text", "// SPDX-FileCopyrightText: 2021 Jane Doe <jane@example.org>", []string{"Copyright 2021 Jane Doe <jane@example.org>"}, []string{"Jane Doe"}},
		{"holder(s) prose", "Changed copies need the consent of each\nCopyright Holder(s) named in this file, given in writing.\n", nil, nil},
		{"inc period kept", "Copyright 2014 Google Inc. All rights reserved.", []string{"Copyright 2014 Google Inc."}, []string{"Google Inc."}},
		// Prose and templates: nothing.
		{"law", "This work is protected by copyright law.", nil, nil},
		{"holders", "THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\"", nil, nil},
		{"notice", "The above copyright notice and this permission notice shall be included", nil, nil},
		{"notice line start", "   copyright notice, this list of conditions and the following disclaimer.", nil, nil},
		{"Notice heading", "Copyright Notice\n", nil, nil},
		{"gpl template", "    Copyright (C) <year>  <name of author>\n", nil, nil},
		{"gpl2 template", "    Gnomovision version 69, Copyright (C) year name of author\n", nil, nil},
		{"gpl 19yy", "    Copyright (C) 19yy  <name of author>\n", nil, nil},
		{"apache template", "   Copyright [yyyy] [name of copyright owner]\n", nil, nil},
		{"disclaim", "  Yoyodyne, Inc., hereby disclaims all copyright interest in the program\n", nil, nil},
		{"copyrighted", "This software is copyrighted by the Example Project.", []string{"copyrighted by the Example Project"}, []string{"Example Project"}},
		{"copyrighted in prose", "For software which is copyrighted by the Example Project, write to the Example Project.", nil, nil},
		{"owner", "Copyright owner shall not be liable", nil, nil},
		{"bare c", "(c) any later version", nil, nil},
		{"license doc", "Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>\nEveryone is permitted to copy and distribute verbatim copies\nof this license document, but changing it is not allowed.\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, h := Copyrights([]byte(tt.text))
			if !slices.Equal(st, tt.statements) {
				t.Errorf("statements = %q, want %q", st, tt.statements)
			}
			if !slices.Equal(h, tt.holders) {
				t.Errorf("holders = %q, want %q", h, tt.holders)
			}
		})
	}
}

// Placeholder copyrights of licensecheck's test texts and of the Debian
// license documents never yield holders.
func TestNoHoldersFromLicenseTexts(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"MIT.t1", "BSD-3-Clause.t1", "ISC.t1", "Apache-2.0.t1", "GPL-2.0.t1", "GPL-3.0.t1", "LGPL-2.1.t1", "AGPL-3.0.t1", "MPL-2.0.t1"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := licensecheckCase(t, name)
			if _, h := Copyrights(c.text); len(h) > 0 {
				t.Errorf("holders %q from %s", h, name)
			}
		})
	}
	for _, name := range []string{"GPL-1", "GPL-2", "GPL-3", "LGPL-2", "LGPL-2.1", "LGPL-3", "Apache-2.0", "MPL-2.0", "GFDL-1.3"} {
		t.Run("common/"+name, func(t *testing.T) {
			t.Parallel()
			if _, h := Copyrights(commonLicense(t, name)); len(h) > 0 {
				t.Errorf("holders %q from %s", h, name)
			}
		})
	}
}

func TestParseDeclared(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"MIT", "MIT"},
		{"mit", "MIT"},
		{"Apache 2.0", "Apache-2.0"},
		{"Apache-2", "Apache-2.0"},
		{"Apache License 2.0", "Apache-2.0"},
		{"The Apache Software License, Version 2.0", "Apache-2.0"},
		{"ASL 2.0", "Apache-2.0"},
		{"(MIT OR Apache-2.0)", "Apache-2.0 OR MIT"},
		{"MIT/Apache-2.0", "Apache-2.0 OR MIT"},
		{"MIT OR Apache-2.0 OR Zlib", "Apache-2.0 OR MIT OR Zlib"},
		{"(MPL-2.0 OR Apache-2.0)", "Apache-2.0 OR MPL-2.0"},
		{"(BSD-3-Clause OR GPL-2.0)", "BSD-3-Clause OR GPL-2.0-only"},
		{"MIT AND (Apache-2.0 OR BSD-3-Clause)", "(Apache-2.0 OR BSD-3-Clause) AND MIT"},
		{"mit or apache-2.0", "Apache-2.0 OR MIT"},
		{"MIT OR Apache2", "Apache-2.0 OR MIT"},
		{"GPLv3+", "GPL-3.0-or-later"},
		{"GPLv2", "GPL-2.0-only"},
		{"GPL-2.0+", "GPL-2.0-or-later"},
		{"GPL", "GPL-1.0-or-later"},
		{"GNU GPL v3", "GPL-3.0-only"},
		{"GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"},
		{"GNU Lesser General Public License v2.1", "LGPL-2.1-only"},
		{"LGPL-2.1+", "LGPL-2.1-or-later"},
		{"LGPLv3", "LGPL-3.0-only"},
		{"AGPL-3.0", "AGPL-3.0-only"},
		{"GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later"},
		{"BSD", "BSD-3-Clause"},
		{"BSD License", "BSD-3-Clause"},
		{"New BSD License", "BSD-3-Clause"},
		{"Simplified BSD", "BSD-2-Clause"},
		{"BSD 2-Clause", "BSD-2-Clause"},
		{"3-clause BSD", "BSD-3-Clause"},
		{"BSD-3-Clause", "BSD-3-Clause"},
		{"MPL 2.0", "MPL-2.0"},
		{"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"},
		{"EPL-1.0", "EPL-1.0"},
		{"Eclipse Public License - v 2.0", "EPL-2.0"},
		{"ISC License (ISCL)", "ISC"},
		{"License :: OSI Approved :: MIT License", "MIT"},
		{"License :: OSI Approved :: Apache Software License", "Apache-2.0"},
		{"Public Domain", "LicenseRef-Public-Domain"},
		{"CC0", "CC0-1.0"},
		{"Unlicense", "Unlicense"},
		{"The Unlicense", "Unlicense"},
		{"Boost Software License 1.0", "BSL-1.0"},
		{"zlib/libpng", "Zlib"},
		{"CC BY-SA 4.0", "CC-BY-SA-4.0"},
		{"Creative Commons Attribution 4.0 International", "CC-BY-4.0"},
		{"Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception"},
		{"Python Software Foundation License", "PSF-2.0"},
		{"Artistic-2.0", "Artistic-2.0"},
		{"WTFPL", "WTFPL"},
		{"Python", "Python-2.0"},
		{"PHP", "PHP-3.01"},
		{"", ""},
		{"Proprietary", ""},
		{"UNLICENSED", ""},
		{"see LICENSE", ""},
		{"Other/Proprietary License", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := ParseDeclared(tt.in); got != tt.want {
				t.Errorf("ParseDeclared(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCategoryOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Category
	}{
		{"MIT", Permissive},
		{"BSD-3-Clause", Permissive},
		{"Apache-2.0", Permissive},
		{"CC0-1.0", Unrestricted},
		{"Unlicense", Unrestricted},
		{"0BSD", Unrestricted},
		{"LicenseRef-Public-Domain", Unrestricted},
		{"WTFPL", Unrestricted},
		{"LGPL-2.1-only", WeakCopyleft},
		{"MPL-2.0", WeakCopyleft},
		{"EPL-2.0", WeakCopyleft},
		{"GPL-2.0-only", StrongCopyleft},
		{"GPL-3.0-or-later", StrongCopyleft},
		{"AGPL-3.0-only", NetworkCopyleft},
		{"SSPL-1.0", NetworkCopyleft},
		{"CC-BY-NC-4.0", NonCommercial},
		{"PolyForm-Noncommercial-1.0.0", NonCommercial},
		{"MIT OR GPL-2.0-only", Permissive},
		{"MIT AND GPL-2.0-only", StrongCopyleft},
		{"(MIT OR GPL-3.0-only) AND AGPL-3.0-only", NetworkCopyleft},
		{"GPL-2.0-only WITH Classpath-exception-2.0", WeakCopyleft},
		{"LicenseRef-Proprietary", Unknown},
		{"MIT AND LicenseRef-Proprietary", Unknown},
		{"MIT OR LicenseRef-Proprietary", Permissive},
		{"", Unknown},
		{"((", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := CategoryOf(tt.in); got != tt.want {
				t.Errorf("CategoryOf(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for c := Unknown; c <= NonCommercial; c++ {
		b, err := c.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%d): %v", c, err)
		}
		var back Category
		if err := back.UnmarshalText(b); err != nil || back != c || string(b) != c.String() {
			t.Errorf("round trip %v: %q %v %v", c, b, back, err)
		}
	}
}

func TestIsLicenseFile(t *testing.T) {
	t.Parallel()
	yes := []string{"LICENSE", "LICENCE", "COPYING", "COPYING.LESSER", "UNLICENSE", "MIT-LICENSE", "LICENSE-MIT", "LICENSE-APACHE", "LICENSE.txt", "LICENSE.md", "LICENSE.rst", "license", "License.txt", "LICENSE_1_0.txt", "COPYRIGHT", "copying.txt", "LICENSES"}
	no := []string{"", "README", "main.go", "license.go", "licenses.go", "NOTICE", "AUTHORS", "src/LICENSE", "LICENSEE", "unlicensed.txt"}
	for _, n := range yes {
		if !IsLicenseFile(n) {
			t.Errorf("IsLicenseFile(%q) = false", n)
		}
	}
	for _, n := range no {
		if IsLicenseFile(n) {
			t.Errorf("IsLicenseFile(%q) = true", n)
		}
	}
	for _, n := range []string{"NOTICE", "NOTICE.txt", "notice.md", "THIRD-PARTY-NOTICES", "ThirdPartyNotices.txt"} {
		if !IsNoticeFile(n) {
			t.Errorf("IsNoticeFile(%q) = false", n)
		}
	}
	for _, n := range []string{"AUTHORS", "LICENSE", "notices.go", "PATENTS"} {
		if IsNoticeFile(n) {
			t.Errorf("IsNoticeFile(%q) = true", n)
		}
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	c := New()
	tag := c.Header([]byte("// SPDX-License-Identifier: MIT\n// Licensed under the Apache License, Version 2.0\n"))
	notice := c.Header([]byte("// Released under the ISC license.\n"))
	provenance := c.Header([]byte("// Copyright 2017 The Go Authors. All rights reserved.\n" +
		"// Use of this source code is governed by a BSD-style\n// license that can be found in the LICENSE file.\n\n" +
		"// Derived from code whose original is dual licensed under GPL and Apache 2.\n"))
	lic := c.LicenseFile(readFile(t, filepath.Join(goroot(t), "LICENSE")))
	empty := Result{}
	tests := []struct {
		name           string
		header         Result
		nearest        *Result
		declared       string
		expr, sourceOf string
	}{
		{"tag beats all", tag, &lic, "GPL-2.0", "MIT", SourceTag},
		{"notice beats file", notice, &lic, "GPL-2.0", "ISC", SourceHeader},
		{"file beats package", empty, &lic, "GPL-2.0", "BSD-3-Clause", SourceLicenseFile},
		{"a header pointing at its license file beats provenance references", provenance, &lic, "", "BSD-3-Clause", SourceLicenseFile},
		{"package", empty, nil, "GPLv2+", "GPL-2.0-or-later", SourcePackage},
		{"unknown file falls through", empty, &Result{}, "MIT", "MIT", SourcePackage},
		{"nothing", empty, nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, s := Decide(tt.header, tt.nearest, tt.declared)
			if e != tt.expr || s != tt.sourceOf {
				t.Errorf("Decide = %q, %q; want %q, %q", e, s, tt.expr, tt.sourceOf)
			}
		})
	}
}

// TestScannersBuild checks that snipscan's own LRE patterns parse in
// both licensecheck scanners.
func TestScannersBuild(t *testing.T) {
	t.Parallel()
	var sub lazyScanner
	if _, err := sub.get(false); err != nil {
		t.Fatal(err)
	}
	if sub.n < 30 {
		t.Errorf("subset has %d licenses", sub.n)
	}
	if testing.Short() {
		return
	}
	var full lazyScanner
	if _, err := full.get(true); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrent shares one Classifier among goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	t.Parallel()
	c := New()
	lic := readFile(t, filepath.Join(goroot(t), "LICENSE"))
	hdr := leadingComments(readFile(t, filepath.Join(goroot(t), "src", "container", "list", "list.go")))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				text := fmt.Appendf(nil, "// Copyright %d Worker %d\n// Released under the MIT license.\n", 2000+j, i)
				if r := c.Header(text); r.Expression != "MIT" {
					t.Errorf("Header = %q", r.Expression)
				}
				if r := c.Header(hdr); r.RefersTo != "LICENSE" {
					t.Errorf("RefersTo = %q", r.RefersTo)
				}
				r := c.LicenseFile(lic)
				if r.Expression != "BSD-3-Clause" {
					t.Errorf("LicenseFile = %q", r.Expression)
				}
				r.Holders[0] = "mutated" // results are copies
			}
		}()
	}
	wg.Wait()
}

func FuzzHeader(f *testing.F) {
	for _, s := range []string{
		"// Copyright 2009 The Go Authors. All rights reserved.\n// Use of this source code is governed by a BSD-style\n// license that can be found in the LICENSE file.\n",
		"// SPDX-License-Identifier: (MIT OR Apache-2.0) AND GPL-2.0+ WITH Classpath-exception-2.0",
		"# Licensed under the Apache License, Version 2.0 <http://www.apache.org/licenses/LICENSE-2.0> or the MIT license",
		"Copyright (c) 2019-2024 Jane Doe\n\nPermission is hereby granted, free of charge",
		"version 2 of the GNU General Public License, or (at your option) any later version",
		"(c) ©  copyright  spdx-license-identifier: ( ) AND OR WITH",
	} {
		f.Add([]byte(s))
	}
	c := New()
	f.Fuzz(func(t *testing.T, b []byte) {
		r := c.Header(b)
		for _, m := range r.Matches {
			if m.Start < 0 || m.End > len(b) || m.Start > m.End {
				t.Fatalf("match out of range: %+v (len %d)", m, len(b))
			}
		}
		if r.Expression != "" && normalizeExpr(r.Expression) != r.Expression {
			t.Fatalf("non-canonical expression %q", r.Expression)
		}
		ParseDeclared(string(b))
		CategoryOf(string(b))
	})
}

func FuzzCopyrights(f *testing.F) {
	for _, s := range []string{
		"Copyright (c) 2019-2024 Jane Doe <jane@example.com>. All rights reserved.",
		"/*\n * Copyright (c) 2003-2010\n *      The Regents\n */",
		"© 2020–21 X\n(c) 1999 Y,\n  and Z",
		"Copyright Copyright (C) <year> <name of author>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, h := Copyrights(b)
		if len(h) > len(st) {
			t.Fatalf("%d holders for %d statements", len(h), len(st))
		}
		for _, s := range st {
			if s == "" || !bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(strings.Fields(s)[0]))) && !strings.HasPrefix(s, "Copyright ") {
				t.Fatalf("statement %q not from input", s)
			}
		}
	})
}

// TestConcatenatedLicenseTexts classifies license files holding two full
// texts, one of the common set and one beyond it (as a project's COPYING
// with the MIT text and a bundled font's OFL): both are found, though the
// second one's match reaches into the first text's last lines.
func TestConcatenatedLicenseTexts(t *testing.T) {
	t.Parallel()
	mit := licensecheckCase(t, "MIT.t1").text
	c := New()
	for _, tt := range []struct{ file, want string }{
		{"Artistic", "Artistic-1.0-Perl AND MIT"},
		{"MPL-2.0", "MIT AND MPL-2.0"},
	} {
		text := append(append(bytes.Clone(mit), '\n'), commonLicense(t, tt.file)...)
		if got := c.LicenseFile(text).Expression; got != tt.want {
			t.Errorf("MIT then %s: %q, want %q", tt.file, got, tt.want)
		}
	}
}

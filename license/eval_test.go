package license

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/licensecheck"

	"github.com/snipscan/snipscan/internal/debianlc"
)

// An evalCase is one labelled text of the evaluation set: a license file
// or a source file header, written around real license texts (from
// licensecheck's testdata and Debian's common-licenses) with copyright
// lines and notices written for this set.
type evalCase struct {
	name    string
	file    string // file name given to tools that look at extensions
	header  bool   // classify with Header (else LicenseFile)
	text    []byte
	want    []string // expected license IDs (canonical SPDX leaves)
	holders []string // expected copyright holders
}

// Invented holders in varied shapes, and statement formats around them.
var (
	evalHolders = []string{
		"Jane Doe", "Example Widgets Ltd.", "The Frobnicator Authors", "Ada Lovelace",
		"Grace Hopper", "Acme Corporation", "Émilie Durand", "Zhang Wei",
		"The Regents of the Example University", "Example Foundation, Inc.",
		"Kofi Mensah", "Oyelaran Software GmbH", "María José García", "Tanaka Hiroshi",
	}
	evalStatements = []string{
		"Copyright (c) 2019-2024 %s",
		"Copyright 2011 %s. All rights reserved.",
		"© 2020 %s",
		"Copyright (C) 2001, 2002, 2005 %s <dev@example.org>",
		"Copyright 2015-present %s",
		"Copyright (c) 2003-2010\n    %s",
		"(c) 2012 %s",
		"Copyright (C) 1998 by %s",
		"SPDX-FileCopyrightText: 2021 %s",
		"Copyright %s 2016",
	}
	evalStyles = []string{"//", "/*", "#", "--", ";;", ""}
	evalExts   = map[string]string{"//": ".go", "/*": ".c", "#": ".py", "--": ".sql", ";;": ".el", "": ".txt"}
)

// evalLicenseFiles are full license texts of licensecheck's testdata with
// the license they hold (as licensecheck's test header labels them).
var evalLicenseFiles = []string{
	"0BSD.t1", "AGPL-3.0.t1", "Apache-1.1.t1", "Apache-2.0.t1", "Apache-2.0.t2", "Artistic-2.0.t1",
	"BSD-2-Clause.t1", "BSD-2-Clause.t2", "BSD-2-Clause-Patent.t1", "BSD-3-Clause.t1", "BSD-3-Clause.t2",
	"BSD-3-Clause.t5", "BSD-3-Clause-Clear.t1", "BSD-4-Clause.t1", "BSL-1.0.t1", "BlueOak-1.0.0.t1",
	"CC-BY-4.0.t1", "CC-BY-SA-4.0.t1", "CC-BY-NC-4.0.t1", "CC0-1.0.t1", "CDDL-1.0.t1", "ECL-2.0.t1",
	"EPL-1.0.t1", "EPL-2.0.t1", "EUPL-1.2.t1", "GPL-2.0.t1", "GPL-3.0.t1", "ISC.t1", "ISC.t2",
	"LGPL-2.1.t1", "LGPL-3.0.t1", "MIT.t1", "MIT.t2", "MIT.t3", "MIT-0.t1", "MPL-1.1.t1", "MPL-2.0.t1",
	"MS-PL.t1", "NCSA.t1", "OFL-1.1.t1", "OpenSSL.t1", "PHP-3.01.t1", "PostgreSQL.t1", "Python-2.0.t1",
	"Ruby.t1", "UPL-1.0.t1", "Unlicense.t1", "Vim.t1", "WTFPL.t1", "X11.t1", "Zlib.t1", "ZPL-2.1.t1",
	"curl.t1", "JSON.t1", "Libpng.t1", "SSPL-1.0.t1", "PolyForm-Noncommercial-1.0.0.t1", "HPND.t1",
	"GPL2-Short.t1", "GPL3-Short.t1", "LGPL-2.1-Short.t1",
}

// textHolders are the holders of the copyright statements that some of
// licensecheck's test texts carry themselves, labelled by hand.
var textHolders = map[string][]string{
	"0BSD.t1":                         {"Rob Landley"},
	"Apache-1.1.t1":                   {"The Apache Software Foundation"},
	"BSD-3-Clause.t2":                 {"The Project Authors"},
	"ISC.t2":                          {"The btcsuite developers", "The Decred developers", "The Lightning Network Developers"},
	"MIT.t2":                          {"Lucent Technologies Inc.", "Vita Nuova Holdings Limited", "The Go Authors"},
	"NCSA.t1":                         {"University of Illinois at Urbana-Champaign"},
	"OpenSSL.t1":                      {"The OpenSSL Project", "Eric Young"},
	"PHP-3.01.t1":                     {"The PHP Group"},
	"PostgreSQL.t1":                   {"The PostgreSQL Global Development Group", "The Regents of the University of California"},
	"Python-2.0.t1":                   {"Python Software Foundation", "Stichting Mathematisch Centrum Amsterdam, The Netherlands"},
	"X11.t1":                          {"X Consortium"},
	"curl.t1":                         {"Daniel Stenberg"},
	"Libpng.t1":                       {"Glenn Randers-Pehrson", "Andreas Digger", "Guy Eric Schalnat, Group 42, Inc."},
	"PolyForm-Noncommercial-1.0.0.t1": {"Yoyodyne, Inc."},
}

// evalHeaders are license notices of licensecheck's testdata.
var evalHeaders = []string{
	"AGPL-3.0-Header.t1", "AGPL-3.0-Header.t5", "Apache-2.0-Header.t1", "Apache-2.0-Header.t2",
	"Apache-2.0-Header.t3", "Apache-2.0-Header.t5", "Apache-2.0-Header.t8", "Apache-2.0-Header.t12",
	"Apache-2.0-Header.t17", "GPL-Header.t1", "GPL-Header.t2", "GPL-Header.t3", "GPL-Header.t5",
	"GPL-Header.t8", "GPL-NotLater-Header.t1", "LGPL-Header.t1", "LGPL-Header.t2", "LGPL-Header.t3",
	"MPL-2.0-Header.t1", "MPL-2.0-Header.t2",
}

// evalDebian are Debian's license documents with their licenses.
var evalDebian = []struct{ file, id string }{
	{"Apache-2.0", "Apache-2.0"}, {"CC0-1.0", "CC0-1.0"}, {"GPL-1", "GPL-1.0-only"},
	{"GPL-2", "GPL-2.0-only"}, {"GPL-3", "GPL-3.0-only"}, {"LGPL-2", "LGPL-2.0-only"},
	{"LGPL-2.1", "LGPL-2.1-only"}, {"LGPL-3", "LGPL-3.0-only"}, {"MPL-1.1", "MPL-1.1"},
	{"MPL-2.0", "MPL-2.0"}, {"Artistic", "Artistic-1.0-Perl"},
}

// evalNotices are notices and references written for this set, with the
// licenses they state (nil: none).
var evalNotices = []struct {
	text string
	want []string
}{
	{"Released under the MIT license.", []string{"MIT"}},
	{"This file is licensed under the MIT License. See LICENSE for details.", []string{"MIT"}},
	{"Licensed under the Apache License, Version 2.0. See LICENSE.txt in the project root.", []string{"Apache-2.0"}},
	{"Use of this file is governed by the Apache 2.0 license.", []string{"Apache-2.0"}},
	{"This program is distributed under the GNU GPL v2.", []string{"GPL-2.0-only"}},
	{"Licensed under the GPL v3 or later.", []string{"GPL-3.0-or-later"}},
	{"This library is released under the GNU Lesser General Public License, version 2.1 or later.", []string{"LGPL-2.1-or-later"}},
	{"Distributed under the terms of the GNU Affero General Public License v3.", []string{"AGPL-3.0-only"}},
	{"This code is available under the BSD 3-Clause license.", []string{"BSD-3-Clause"}},
	{"Licensed under the Simplified BSD License.", []string{"BSD-2-Clause"}},
	{"Distributed under the Boost Software License, Version 1.0.\n(See accompanying file LICENSE_1_0.txt or copy at\nhttp://www.boost.org/LICENSE_1_0.txt)", []string{"BSL-1.0"}},
	{"This Source Code Form is subject to the terms of the Mozilla Public\nLicense, v. 2.0. If a copy of the MPL was not distributed with this\nfile, You can obtain one at http://mozilla.org/MPL/2.0/.", []string{"MPL-2.0"}},
	{"This program and the accompanying materials are made available under the\nterms of the Eclipse Public License 2.0 which is available at\nhttps://www.eclipse.org/legal/epl-2.0/", []string{"EPL-2.0"}},
	{"Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or\nhttp://www.apache.org/licenses/LICENSE-2.0> or the MIT license\n<LICENSE-MIT or http://opensource.org/licenses/MIT>, at your\noption. This file may not be copied, modified, or distributed\nexcept according to those terms.", []string{"Apache-2.0", "MIT"}},
	{"Dual licensed under the MIT and GPL version 2 licenses.", []string{"MIT", "GPL-2.0-only"}},
	{"You may use this file under either the MIT license or the Apache License 2.0, at your option.", []string{"MIT", "Apache-2.0"}},
	{"@license MIT", []string{"MIT"}},
	{"License: BSD-3-Clause", []string{"BSD-3-Clause"}},
	{"License: ISC", []string{"ISC"}},
	{"SPDX-License-Identifier: MIT", []string{"MIT"}},
	{"SPDX-License-Identifier: Apache-2.0", []string{"Apache-2.0"}},
	{"SPDX-License-Identifier: GPL-2.0-or-later", []string{"GPL-2.0-or-later"}},
	{"SPDX-License-Identifier: GPL-2.0+", []string{"GPL-2.0-or-later"}},
	{"SPDX-License-Identifier: LGPL-2.1", []string{"LGPL-2.1-only"}},
	{"SPDX-License-Identifier: (MIT OR Apache-2.0)", []string{"MIT", "Apache-2.0"}},
	{"SPDX-License-Identifier: MPL-2.0 AND BSD-2-Clause", []string{"MPL-2.0", "BSD-2-Clause"}},
	{"SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note", []string{"GPL-2.0-only WITH Linux-syscall-note"}},
	{"SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception", []string{"Apache-2.0 WITH LLVM-exception"}},
	{"SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0", []string{"BSD-3-Clause", "GPL-2.0-only"}},
	{"This file is in the public domain.", []string{"LicenseRef-Public-Domain"}},
	{"The author hereby places this code in the public domain.", []string{"LicenseRef-Public-Domain"}},
	{"To the extent possible under law, the author has dedicated all copyright\nand related and neighboring rights to this software to the public domain\nworldwide. See https://creativecommons.org/publicdomain/zero/1.0/", []string{"CC0-1.0"}},
	{"License: https://opensource.org/licenses/MIT", []string{"MIT"}},
	{"For licensing terms see https://www.gnu.org/licenses/gpl-3.0.html", []string{"GPL-3.0-only"}},
	{"This is free software; you can redistribute it and/or modify it under\nthe same terms as Perl itself.", []string{"Artistic-1.0-Perl", "GPL-1.0-or-later"}},
	{"This code is free software; you can redistribute it and/or modify it\nunder the terms of the GNU General Public License version 2 only, as\npublished by the Free Software Foundation.  Example designates this\nparticular file as subject to the \"Classpath\" exception as provided\nby Example in the LICENSE file that accompanied this code.", []string{"GPL-2.0-only WITH Classpath-exception-2.0"}},
	{"Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.\nSee https://llvm.org/LICENSE.txt for license information.", []string{"Apache-2.0 WITH LLVM-exception"}},
	{"This software is provided under the zlib license.", []string{"Zlib"}},
	{"Licensed under the Unlicense.", []string{"Unlicense"}},
	{"Licensed under the Creative Commons Attribution-ShareAlike 4.0 International License.", []string{"CC-BY-SA-4.0"}},
	{"This program is free software: you can redistribute it and/or modify\nit under the terms of the GNU General Public License as published by\nthe Free Software Foundation, either version 3 of the License, or\n(at your option) any later version.", []string{"GPL-3.0-or-later"}},
	{"This library is free software; you can redistribute it and/or\nmodify it under the terms of the GNU Lesser General Public\nLicense version 2.1 as published by the Free Software Foundation.", []string{"LGPL-2.1-only"}},
	// References to a license file only, and prose: no license.
	{"Use of this source code is governed by a BSD-style\nlicense that can be found in the LICENSE file.", nil},
	{"See the LICENSE file in the project root for license information.", nil},
	{"Please refer to the COPYING file for licensing terms.", nil},
	{"parseLicense reads the license key from the configuration file.", nil},
	{"The checker reports files whose copyright headers are missing.", nil},
	{"This package implements a parser for software license expressions.", nil},
	{"Do not edit: generated by mkerrors.sh. Copyright law applies to the generator, not its output.", nil},
	{"TODO: ask the copyright holders whether the license allows this.", nil},
}

// buildEvalCases builds the labelled evaluation set.
func buildEvalCases(t testing.TB) []evalCase {
	t.Helper()
	var cases []evalCase
	n := 0
	next := func() (stmt string, holders []string) {
		h := evalHolders[n%len(evalHolders)]
		s := evalStatements[n%len(evalStatements)]
		n++
		return fmt.Sprintf(s, h), []string{strings.TrimSuffix(h, ".")}
	}
	fixHolder := func(h []string) []string {
		// "Example Widgets Ltd." keeps its abbreviation's period.
		for i, x := range h {
			for _, full := range evalHolders {
				if strings.TrimSuffix(full, ".") == x {
					h[i] = full
				}
			}
		}
		return h
	}
	for _, name := range evalLicenseFiles {
		c := licensecheckCase(t, name)
		if len(c.ids) != 1 {
			t.Fatalf("%s: want one labelled license, have %q", name, c.ids)
		}
		stmt, holders := next()
		text := stmt + "\n\n" + stripPlaceholders(string(c.text))
		cases = append(cases, evalCase{
			name: "file/" + name, file: "LICENSE", text: []byte(text),
			want: lcID(c.ids[0]).ids(), holders: append(fixHolder(holders), textHolders[name]...),
		})
	}
	for i, name := range evalHeaders {
		c := licensecheckCase(t, name)
		stmt, holders := next()
		style := evalStyles[i%len(evalStyles)]
		text := comment(style, stmt+"\n\n"+stripPlaceholders(string(c.text)))
		var want []string
		for _, id := range c.ids {
			want = append(want, lcID(id).ids()...)
		}
		cases = append(cases, evalCase{
			name: "header/" + name, file: "hdr" + evalExts[style], header: true, text: []byte(text),
			want: want, holders: fixHolder(holders),
		})
	}
	for _, d := range evalDebian {
		b, err := os.ReadFile(filepath.Join("/usr/share/common-licenses", d.file))
		if err != nil {
			continue // not a Debian system
		}
		stmt, holders := next()
		text := "Frobnicator, a tool for frobnicating widgets.\n" + stmt + "\n\n" + string(b)
		cases = append(cases, evalCase{
			name: "debian/" + d.file, file: "COPYING", text: []byte(text),
			want: []string{d.id}, holders: fixHolder(holders),
		})
	}
	for i, nt := range evalNotices {
		style := evalStyles[(i+1)%len(evalStyles)]
		var body string
		var holders []string
		if i%3 != 2 { // most notices come with a copyright line
			var stmt string
			stmt, holders = next()
			body = stmt + "\n"
		}
		body += nt.text + "\n"
		var want []string
		for _, w := range nt.want {
			e, err := parseExpr(w, false)
			if err != nil {
				t.Fatalf("label %q: %v", w, err)
			}
			want = append(want, e.ids()...)
		}
		slices.Sort(want)
		cases = append(cases, evalCase{
			name: fmt.Sprintf("notice/%02d", i), file: "src" + evalExts[style], header: true,
			text: []byte(comment(style, body)), want: want, holders: fixHolder(holders),
		})
	}
	return cases
}

// stripPlaceholders removes the placeholder and sample copyright lines
// of licensecheck's test texts, so that the set's holders are its own.
func stripPlaceholders(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if isPlaceholderCopyright(l) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// scores accumulates the evaluation metrics.
type scores struct {
	cases, exact              int
	predIDs, goodIDs, wantIDs int
	predHolders, goodHolders  int
	wantHolders               int
	holdersSupported          bool
	failures                  []string
}

func (s *scores) add(c evalCase, got, holders []string) {
	s.cases++
	got = slices.Compact(slices.Sorted(slices.Values(got)))
	want := slices.Compact(slices.Sorted(slices.Values(c.want)))
	if slices.Equal(got, want) {
		s.exact++
	} else {
		s.failures = append(s.failures, fmt.Sprintf("%s: got %q want %q", c.name, got, want))
	}
	s.wantIDs += len(want)
	for _, g := range got {
		s.predIDs++
		if slices.Contains(want, g) {
			s.goodIDs++
		}
	}
	s.wantHolders += len(c.holders)
	norm := func(h string) string {
		return strings.ToLower(strings.TrimRight(strings.Join(strings.Fields(h), " "), ".,;"))
	}
	var wantH []string
	for _, h := range c.holders {
		wantH = append(wantH, norm(h))
	}
	for _, w := range c.holders {
		found := false
		for _, h := range holders {
			found = found || norm(h) == norm(w)
		}
		if !found && s.holdersSupported {
			s.failures = append(s.failures, fmt.Sprintf("%s: missed holder %q (got %q)", c.name, w, holders))
		}
	}
	for _, h := range holders {
		s.predHolders++
		if slices.Contains(wantH, norm(h)) {
			s.goodHolders++
		} else if s.holdersSupported {
			s.failures = append(s.failures, fmt.Sprintf("%s: extra holder %q (want %q)", c.name, h, c.holders))
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s *scores) row(name string) string {
	hp, hr := "n/a", "n/a"
	if s.holdersSupported {
		hp = fmt.Sprintf("%.3f", ratio(s.goodHolders, s.predHolders))
		hr = fmt.Sprintf("%.3f", ratio(s.goodHolders, s.wantHolders))
	}
	return fmt.Sprintf("| %s | %d | %.1f%% | %.3f | %.3f | %s | %s |", name, s.cases,
		100*ratio(s.exact, s.cases), ratio(s.goodIDs, s.predIDs), ratio(s.goodIDs, s.wantIDs), hp, hr)
}

// evalSnipscan scores this package on the set.
func evalSnipscan(cases []evalCase) *scores {
	c := New()
	s := &scores{holdersSupported: true}
	for _, ec := range cases {
		var r Result
		if ec.header {
			r = c.Header(ec.text)
		} else {
			r = c.LicenseFile(ec.text)
		}
		var got []string
		if e, err := parseExpr(r.Expression, true); err == nil {
			got = e.ids()
		}
		s.add(ec, got, r.Holders)
	}
	return s
}

// TestAccuracy checks the accuracy targets on the labelled set.
func TestAccuracy(t *testing.T) {
	t.Parallel()
	cases := buildEvalCases(t)
	s := evalSnipscan(cases)
	t.Log(s.row("snipscan license"))
	for _, f := range s.failures {
		t.Log(f)
	}
	if got := ratio(s.exact, s.cases); got < 0.85 {
		t.Errorf("exact license-set match %.3f < 0.85", got)
	}
	if got := ratio(s.goodIDs, s.predIDs); got < 0.97 {
		t.Errorf("license precision %.3f < 0.97", got)
	}
	if got := ratio(s.goodHolders, s.predHolders); got < 0.92 {
		t.Errorf("holder precision %.3f < 0.92", got)
	}
	if got := ratio(s.goodHolders, s.wantHolders); got < 0.92 {
		t.Errorf("holder recall %.3f < 0.92", got)
	}
}

// TestEvaluation compares this package with google/licensecheck alone
// and with Debian's licensecheck (Perl) on the same set, and prints the
// Markdown table of EVALUATION.md. It is slow (licensecheck's full
// scanner) and needs `licensecheck` on PATH for the Debian row:
//
//	SNIPSCAN_EVAL=1 go test ./license -run TestEvaluation -v
func TestEvaluation(t *testing.T) {
	if os.Getenv("SNIPSCAN_EVAL") == "" {
		t.Skip("set SNIPSCAN_EVAL=1 to run the comparison")
	}
	cases := buildEvalCases(t)
	rows := []string{
		"| tool | cases | exact license set | license precision | license recall | holder precision | holder recall |",
		"|---|---|---|---|---|---|---|",
		evalSnipscan(cases).row("snipscan `license`"),
	}

	lc := &scores{}
	for _, ec := range cases {
		var got []string
		for _, m := range licensecheck.Scan(ec.text).Match {
			got = append(got, lcID(m.ID).ids()...)
		}
		lc.add(ec, got, nil)
	}
	rows = append(rows, lc.row("google/licensecheck v0.3.1 `Scan`"))

	if deb, err := evalDebianTool(t, cases); err != nil {
		t.Logf("Debian licensecheck: %v", err)
	} else {
		rows = append(rows, deb.row("Debian `licensecheck` "+debianlc.Version()))
		for _, f := range deb.failures {
			t.Log("debian: " + f)
		}
	}
	t.Log("\n" + strings.Join(rows, "\n"))
}

// evalDebianTool runs Debian's licensecheck on the set, written to files.
func evalDebianTool(t *testing.T, cases []evalCase) (*scores, error) {
	if err := debianlc.Installed(); err != nil {
		return nil, err
	}
	dir := t.TempDir()
	var files []string
	for i, ec := range cases {
		d := filepath.Join(dir, fmt.Sprint(i))
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, fmt.Errorf("mkdir: %w", err)
		}
		p := filepath.Join(d, ec.file)
		if err := os.WriteFile(p, ec.text, 0o644); err != nil {
			return nil, fmt.Errorf("write case: %w", err)
		}
		files = append(files, p)
	}
	byFile, err := debianlc.Run(t.Context(), files, []string{"--lines", "0"})
	if err != nil {
		return nil, err
	}
	s := &scores{holdersSupported: true}
	for i, ec := range cases {
		r := byFile[files[i]]
		s.add(ec, debianLicenses(r.License), debianHolders(r.Copyright))
	}
	return s, nil
}

// debianLicenses maps Debian short license names ("Expat", "GPL-2+",
// "BSD-3-clause", "Apache-2.0 or MIT~unspecified") to SPDX IDs.
func debianLicenses(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" || s == "UNKNOWN" || strings.HasPrefix(s, "*") {
		return nil
	}
	var out []string
	s = strings.NewReplacer(" and/or ", " or ", " and ", " or ", ", ", " or ").Replace(s)
	for _, part := range strings.Split(s, " or ") {
		part = strings.TrimSpace(part)
		if i := strings.IndexByte(part, '~'); i >= 0 {
			part = part[:i]
		}
		id := ""
		switch part {
		case "Expat", "MIT":
			id = "MIT"
		case "public-domain":
			id = "LicenseRef-Public-Domain"
		case "Perl":
			out = append(out, "Artistic-1.0-Perl", "GPL-1.0-or-later")
			continue
		case "Artistic":
			id = "Artistic-1.0-Perl"
		}
		if id == "" {
			p := part
			for _, fam := range []string{"AGPL", "LGPL", "GPL", "GFDL"} {
				if rest, ok := strings.CutPrefix(p, fam+"-"); ok {
					plus := strings.HasSuffix(rest, "+")
					rest = strings.TrimSuffix(rest, "+")
					if !strings.Contains(rest, ".") {
						rest += ".0"
					}
					p = fam + "-" + rest + "-only"
					if plus {
						p = fam + "-" + rest + "-or-later"
					}
				}
			}
			p = strings.Replace(p, "-clause", "-Clause", 1)
			if e, ok := canonicalID(p, false); ok {
				id = e.String()
			} else if d := ParseDeclared(part); d != "" {
				id = d
			} else {
				id = "LicenseRef-debian-" + sanitizeRef(part)
			}
		}
		out = append(out, id)
	}
	return out
}

// debianHolders extracts holders from Debian licensecheck's copyright
// field ("2019-2024 Jane Doe / 2020, Bob"): statements without years.
func debianHolders(s string) []string {
	if s == "" || strings.HasPrefix(s, "*") {
		return nil
	}
	var out []string
	for _, part := range strings.Split(s, " / ") {
		part = strings.TrimSpace(part)
		for {
			t := strings.TrimLeft(part, "0123456789-–, ")
			if t == part {
				break
			}
			part = t
		}
		// Normalize as this package does (e-mail addresses, URLs and
		// trailing years dropped), so only the holder itself is compared.
		part = cleanHolder(part)
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

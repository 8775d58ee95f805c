package license

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestCopyrightForms checks the odd forms of copyright statements, in
// minimal lines of our own, read as of 2026.
func TestCopyrightForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		holders    []string
	}{
		{"copyrighted by", "This file is copyrighted by Jane Roe.", []string{"Jane Roe"}},
		{"copyrighted by the", "These files are copyrighted by the Free Software Foundation, Inc.", []string{"Free Software Foundation, Inc."}},
		{"copyrighted by, in a relative clause", "For software which is copyrighted by Jane Roe, write to Jane Roe.", nil},
		{"name before the marker", "Rusty Russell (C) 2000", []string{"Rusty Russell"}},
		{"year list wrapped", " * Copyright (C) 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005,\n *   2006, 2007, 2008 Free Software Foundation, Inc.", []string{"Free Software Foundation, Inc."}},
		{"unknown year", "Copyright (C) ???? Mark Adler", []string{"Mark Adler"}},
		{"two-digit years", "Copyright (C) 1996,97,98 Jim Smith", []string{"Jim Smith"}},
		{"ranges and years", "Copyright 2001-2003,2005 Acme Corp.", []string{"Acme Corp."}},
		{"mistyped range", "Copyright (c) 1995-8, Graham Barr", []string{"Graham Barr"}},
		{"portions (c)", "Portions (C) 2005 Sun Microsystems, Inc.", []string{"Sun Microsystems, Inc."}},
		{"portions copyright", "Portions Copyright 1999 Netscape Communications Corporation.", []string{"Netscape Communications Corporation"}},
		{"lower-case holder", "copyright 2010 the foo authors", []string{"the foo authors"}},
		{"DEP-5 lines", "Copyright: 2008-2010, Torsten Werner <tw@example.org>,\n           2009, Ludovic Claude <lc@example.org>", []string{"Torsten Werner", "Ludovic Claude"}},
		{"date after an address", "Copyright: 2003, Clint Adams <ca@example.org>  Mon, 10 Mar 2003 02:10:32 -0500", []string{"Clint Adams"}},
		{"warranty in capitals", "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND", nil},
		{"template", "Copyright (C) <year>  <name of author>", nil},
		{"template 19yy", "Copyright (C) 19yy  name of author", nil},
		{"Go string", "\tfmt.Println(\"Copyright 2011 The Go Authors.\\n\\n\" +", []string{"The Go Authors"}},
		{"C string", "\tprintf(\"Copyright (c) 2003 Foo Bar\\n\");", []string{"Foo Bar"}},
		{"symbol in a table", "\t{\"\u00a9\ufe0f\", \") copyright\"},", nil},
		{"future year", "(c) 2090 Far Future", nil},
		{"written by, as the statement", "COPYRIGHT: Written by Jane Roe, 2011.", []string{"Jane Roe"}},
		{"written by, alone", "Written by Jane Roe, 2011.", nil},
		{"TeX-quoted nickname", "/* (C) 1999 Jane ``JR'' Roe - Placed under the GNU GPL (See", []string{"Jane ``JR'' Roe"}},
		{"quoted nickname", " *  Copyright (C) 1999 Jane `JR' Roe & John Doe", []string{"Jane `JR' Roe & John Doe"}},
		{"open year range", "Copyright (c) 2003+ Jane Roe <jr@example.org>", []string{"Jane Roe"}},
		{"names and addresses under a statement", "/* Copyright (C) 2000-2002 Jane Roe <jr@example.org>\n *                         John Doe <jd@example.org>\n *\n * Richard Roe <rr@example.org>", []string{"Jane Roe", "John Doe"}},
		{"name, address and years under a statement", "Copyright © Jane Roe <jr [at] example.org>, 2007\n  John Doe <jd [at] example org>, 2007 - 2010", []string{"Jane Roe", "John Doe"}},
		{"author under a company's statement", " *	Copyright © Acme GmbH, 2007 - 2008\n *	John Doe <jd@example.org>\n", []string{"Acme GmbH"}},
		{"author under a statement", "Copyright 2010 Jane Roe <jr@example.org>\n Author: John Doe <jd@example.org>", []string{"Jane Roe"}},
		{"holder filled over two lines", "   Copyright (C) 1993, 1995, 1998, 2001-2002, 2006, 2009-2013, 2015-2021 Free\n   Software Foundation, Inc.\n", []string{"Free Software Foundation, Inc."}},
		{"filled line ending with an address", " Copyright 1999-2001, 2008, 2010, 2012, 2014-2016, 2018-2019 Jane Roe <jr@example.org>\n Substantial contributions by John Doe <jd@example.org>\n", []string{"Jane Roe"}},
		{"filled line, then a sentence in a paragraph", " *  Copyright (c) 1992,1993,1995,1996, Jane Roe, Acme Software Company GmbH\n *  Not derived from licensed software.\n", []string{"Jane Roe, Acme Software Company GmbH"}},
		{"short line, then a title", "Copyright (c) 2015 Jane Roe\nMIT License\n", []string{"Jane Roe"}},
		{"filled line, then a sentence", "   Copyright (C) 1993, 1995, 1998, 2001-2002, 2006, 2009-2013, 2015-2021 Jane\n   Roe. GNU Foo is free software; you can redistribute it\n", []string{"Jane"}},
		{"parenthesized name on the next line", "   Copyright (C) 2006,2007 NTT\n   (Nippon Telegraph and Telephone Corporation).\n", []string{"NTT (Nippon Telegraph and Telephone Corporation)"}},
		{"lower-case holder after by", "/*  Copyright (C) 1996-2022 by                                              */\n/*  jane roe, J. Doe, and R. Roe                    */", []string{"jane roe, J. Doe, and R. Roe"}},
		{"address before a comma", "  Copyright 2012 Jane Roe <jr@example.org>, Acme Ltd.", []string{"Jane Roe, Acme Ltd."}},
		{"address between commas", "Copyright (C) Jane Roe, <jr@example.org>, et al.", []string{"Jane Roe, et al."}},
		{"backquote ending a literal", "echo `Copyright 2011 Jane Roe`", []string{"Jane Roe"}},
	}
	for _, tt := range tests {
		_, holders := CopyrightsAsOf([]byte(tt.text), 2026)
		if !slices.Equal(holders, tt.holders) {
			t.Errorf("%s: holders %q, want %q", tt.name, holders, tt.holders)
		}
	}
	// The same line read in 2090 has a year.
	if _, h := CopyrightsAsOf([]byte("(c) 2090 Far Future"), 2090); !slices.Equal(h, []string{"Far Future"}) {
		t.Errorf("(c) 2090 Far Future as of 2090: holders %q", h)
	}
}

// TestCopyrightsInRealFiles reads real statements: Debian's base-files
// copyright ("copyrighted by the Free Software Foundation"), and those of
// other packages where installed (unknown years, two-digit year lists,
// DEP-5 continuation lines, TeX-quoted nicknames, "2003+", lists of names
// and addresses, a parenthesized line and a filled line that complete a
// name).
func TestCopyrightsInRealFiles(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, holder string }{
		{"/usr/share/doc/base-files/copyright", "Free Software Foundation, Inc."},
		{"/usr/share/doc/procps/copyright", "David Engel"},
		{"/usr/share/doc/pinentry-curses/copyright", "Stephan Kulow"},
		{"/usr/share/doc/python3-pip/copyright", "Jonathan Hartley and Arnon Yaari"},
		{"/usr/lib/python3.11/LICENSE.txt", "Python Software Foundation"},
		{"/usr/share/doc/libip4tc2/copyright", "Paul ``Rusty'' Russell"},
		{"/usr/share/doc/libip4tc2/copyright", "Evgeniy Polyakov"},
		{"/usr/share/doc/libip4tc2/copyright", "Martin Josefsson"},
		{"/usr/share/doc/libtdb1/copyright", "Paul `Rusty' Russell"},
		{"/usr/share/doc/gcc-12-base/copyright", "Kungliga Tekniska Hgskolan (Royal Institute of Technology, Stockholm, Sweden)"},
		{"/usr/share/doc/at-spi2-common/copyright", "Akira TAGOH"},
		{"/usr/share/doc/perl-base/copyright", "Tim Jenness and the UK Particle Physics and Astronomy Research Council"},
	}
	read := 0
	for _, tt := range tests {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			continue
		}
		read++
		if _, h := CopyrightsAsOf(b, 2026); !slices.Contains(h, tt.holder) {
			t.Errorf("%s: holders %q, want %q among them", tt.file, h, tt.holder)
		}
	}
	if read == 0 {
		t.Skip("none of the files is installed")
	}
}

// TestNoJunkHolders reads every Go file of GOROOT/src and every Debian
// copyright file on the machine: no holder starts with anything but a
// letter or a digit, ends a string literal (a quote, a backslash escape,
// a backquote other than one opening a TeX-style quote, as in "Paul
// “Rusty” Russell"), or is a bare number.
func TestNoJunkHolders(t *testing.T) {
	t.Parallel()
	texQuote := regexp.MustCompile("`{1,2}[\\w.-]+'{1,2}") // a nickname quoted TeX-style
	var files []string
	filepath.WalkDir(filepath.Join(goroot(t), "src"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	debian, _ := filepath.Glob("/usr/share/doc/*/copyright")
	files = append(files, debian...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		_, holders := CopyrightsAsOf(b, 2026)
		for _, h := range holders {
			r, _ := utf8.DecodeRuneInString(h)
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) || strings.ContainsAny(texQuote.ReplaceAllString(h, ""), "\\`") || strings.Count(h, "\"")%2 == 1 ||
				strings.Trim(h, "0123456789-, ") == "" {
				t.Errorf("%s: junk holder %q", f, h)
			}
		}
	}
}

// TestCopyrightsWrappedAndCut reads real statements whose holder is
// wrapped over lines, led by "by", cut by a second statement, or
// followed by words that are not part of it, in Debian copyright files
// and in the license texts of licenseclassifier's assets and other
// modules of the module cache, where present. Each file is read whole;
// want must be among its holders, and no holder may contain notWant.
func TestCopyrightsWrappedAndCut(t *testing.T) {
	t.Parallel()
	mod := modCache(t)
	lc := filepath.Join(mod, "github.com/google/licenseclassifier/v2@v2.0.0/assets/License")
	tests := []struct {
		name, file    string
		want, notWant string
	}{
		{"holder after 'by' at the end of the line", "/usr/share/doc/libfreetype6/copyright", "David Turner, Robert Wilhelm, and Werner Lemberg", ""},
		{"'by the' at the end of the line", "/usr/share/doc/libperl5.36/copyright", "Regents of the University of California", ""},
		{"open year range then 'by'", "/usr/share/doc/libperl5.36/copyright", "Andreas Koenig", "by Andreas"},
		{"dotted initials", "/usr/share/doc/dash/copyright", "Erik Baalbergen, Eric Gisin, Arnold Robbins, J.T. Conklin", ""},
		{"'All Rights' wrapped before 'Reserved'", "/usr/share/doc/krb5-locales/copyright", "OpenVision Technologies, Inc.", "All Rights"},
		{"'(see the AUTHORS' after the holder", "/usr/share/doc/krb5-locales/copyright", "the fiat-crypto authors", "authors ("},
		{"'1997 to 1999'", "/usr/share/doc/libpopt0/copyright", "Joey Hess", ""},
		{"'Portions Copyright' after a field", "/usr/share/doc/libpq5/copyright", "PostgreSQL Global Development Group", "Portions"},
		{"holder ending in a comma before a statement", "/usr/share/doc/libxrandr2/copyright", "Compaq Computer Corporation", "Copyright"},
		{"'PD' is no holder", "/usr/share/doc/base-passwd/copyright", "Joey Hess", "PD"},
		{"rights beside copyright in capitals", "/usr/share/doc/libharfbuzz0b/copyright", "", "TRADEMARK"},
		{"holder over three lines", filepath.Join(lc, "W3C-19980720/license.txt"), "World Wide Web Consortium, (Massachusetts Institute of Technology, Institut National de Recherche en Informatique et en Automatique, Keio University)", ""},
		{"'or Copyright (c)' ends a holder", filepath.Join(lc, "zlib-acknowledgement/license.txt"), "James W. Newkirk, Michael C. Two, Alexei A. Vorontsov", "Copyright"},
		{"rights listed in capitals", filepath.Join(lc, "geant4/license.txt"), "", "SECRET"},
		{"'Copyright Licenses' heading", filepath.Join(lc, "TPM-2/license.txt"), "", "Licenses"},
		{"the license's own copyright", filepath.Join(lc, "AFL-2.0/license.txt"), "", "Rosen"},
		{"the License's own copyright, wrapped", filepath.Join(lc, "OSL-3.0/license.txt"), "", "Lawrence"},
		{"'unless otherwise specified'", filepath.Join(mod, "github.com/juju/ansiterm@v1.0.0/LICENSE"), "Canonical Ltd.", "unless"},
	}
	read := 0
	for _, tt := range tests {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			continue
		}
		read++
		_, holders := CopyrightsAsOf(b, 2026)
		if tt.want != "" && !slices.Contains(holders, tt.want) {
			t.Errorf("%s: %s: holders %q, want %q among them", tt.name, tt.file, holders, tt.want)
		}
		for _, h := range holders {
			if tt.notWant != "" && strings.Contains(h, tt.notWant) {
				t.Errorf("%s: %s: holder %q holds %q", tt.name, tt.file, h, tt.notWant)
			}
		}
	}
	if read == 0 {
		t.Skip("none of the files is present")
	}
}

// modCache returns the Go module cache directory.
func modCache(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	return strings.TrimSpace(string(out))
}

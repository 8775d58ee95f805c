package license

import (
	"strings"
	"testing"
)

// TestSPDXNames checks that references name licenses by the full names of
// the SPDX License List, compared as the SPDX matching guidelines compare
// titles (case, punctuation, "the", "license", "version", "v"), in
// every position: after a grant verb, in a manifest's license name, and
// that the longest name wins over a shorter spelling it starts with.
func TestSPDXNames(t *testing.T) {
	t.Parallel()
	c := New()
	refs := []struct{ text, want string }{
		// A shorter spelling ("Common Public", "BSD") used to win.
		{"This software is licensed under the terms of the Common Public Attribution License Version 1.0.", "CPAL-1.0"},
		{"Licensed under the BSD Zero Clause License.", "0BSD"},
		// Names no hand-written spelling knew.
		{"This file is licensed under the Educational Community License, Version 2.0.", "ECL-2.0"},
		{"Licensed under the LaTeX Project Public License, version 1.3c.", "LPPL-1.3c"},
		{"This software is made available under the terms of the Server Side Public License, version 1.", "SSPL-1.0"},
		{"Licensed under the Do What The F*ck You Want To Public License.", "WTFPL"},
		{"Distributed under the terms of the Q Public License version 1.0.", "QPL-1.0"},
		{"This software is released under the Mulan Permissive Software License, Version 2.", "MulanPSL-2.0"},
		// -only and -or-later from the notice's own words.
		{"Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free Documentation License, Version 1.3 or any later version published by the Free Software Foundation.", "GFDL-1.3-or-later"},
		{"Licensed under the GNU Free Documentation License, Version 1.2.", "GFDL-1.2-only"},
		// The family's acronym between its name and its version.
		{"Every file is available under the terms of the Mozilla Public License (MPL) version 1.1.", "MPL-1.1"},
		// A single-word name is a name only with "license" after it.
		{"Released under the Fair License.", "Fair"},
		{"Released under fair terms.", ""},
	}
	for _, tt := range refs {
		if got := c.Text([]byte(tt.text)).Expression; got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
	declared := []struct{ in, want string }{
		{"Educational Community License, Version 2.0", "ECL-2.0"},
		{"zlib License", "Zlib"},
		{"The Unlicense", "Unlicense"},
		{"BSD Zero Clause License", "0BSD"},
		{"Eclipse Public License - v 2.0", "EPL-2.0"},
		{"Common Public Attribution License 1.0", "CPAL-1.0"},
	}
	for _, tt := range declared {
		if got := ParseDeclared(tt.in); got != tt.want {
			t.Errorf("ParseDeclared(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSPDXNameIndex checks the index itself: every current SPDX license
// whose name no other license shares is found by its own name.
func TestSPDXNameIndex(t *testing.T) {
	t.Parallel()
	x := spdxNameIndex()
	shared := map[string]int{}
	for _, n := range spdxNames {
		shared[strings.Join(nameTokensOf(n.name), " ")]++
	}
	found := 0
	for _, n := range spdxNames {
		toks := nameTokensOf(n.name)
		if shared[strings.Join(toks, " ")] > 1 || len(toks) < 2 {
			continue
		}
		text := lowerASCII([]byte(n.name + " license"))
		e, _, ok := x.match(splitWords(text), 0)
		if !ok {
			t.Errorf("%s: its name %q is not found", n.id, n.name)
			continue
		}
		if want, _ := canonicalID(n.id, false); e.String() != want.String() {
			t.Errorf("%s: its name %q is read as %s", n.id, n.name, e)
			continue
		}
		found++
	}
	if found < 500 {
		t.Errorf("only %d of %d names found", found, len(spdxNames))
	}
}

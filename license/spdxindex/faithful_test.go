package spdxindex

import (
	"strings"
	"testing"
)

// TestTextFiledUnderAnotherLicense: a text that another source files under
// a license whose SPDX text it does not match names the license whose
// text it is. licenseclassifier files the SPDX list's X11-swapped under
// MIT, and a bzip2 text under BSD-4-Clause.
func TestTextFiledUnderAnotherLicense(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	// bzip2's license as packages copy it, without the first sentence
	// naming the program.
	bzip2 := list["bzip2-1.0.6"]
	_, rest, ok := strings.Cut(bzip2, "All rights reserved.")
	if !ok {
		t.Fatal("the bzip2-1.0.6 text lacks its first sentence")
	}
	for _, tc := range []struct{ name, text, want string }{
		{"X11-swapped", list["X11-swapped"], "X11-swapped"},
		{"bzip2-1.0.6 without its first sentence", rest, "bzip2"},
		{"MIT", list["MIT"], "MIT"},
		{"BSD-4-Clause", list["BSD-4-Clause"], "BSD-4-Clause"},
	} {
		// licenseclassifier's bzip2 texts are filed under "bzip2".
		if got := best(m, tc.text); got != tc.want && !strings.HasPrefix(got, tc.want+"-") {
			t.Errorf("%s: best match %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVariantHoldingAClauseOfItsOwn: a long text missing a few words of a
// clause that its near variant lacks, but holding another such clause,
// stays the better fit. MPL-1.1 is CUA-OPL-1.0 with other names and two
// phrases of its own; a copy that writes one of them in other words
// ("Sections 3.1, 3.2, 3.3, 3.4 and 3.5" as "Section 3.1-3.5", as
// Debian's copy of MPL-1.1 does) is still MPL-1.1.
func TestVariantHoldingAClauseOfItsOwn(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	mpl := replaceOnce(t, list["MPL-1.1"], "Sections 3.1, 3.2, 3.3, 3.4 and 3.5", "Section 3.1-3.5")
	if got := best(m, mpl); got != "MPL-1.1" {
		t.Errorf("MPL-1.1 with a phrase in other words: best match %q, want MPL-1.1", got)
	}
	if got := best(m, list["CUA-OPL-1.0"]); got != "CUA-OPL-1.0" {
		t.Errorf("CUA-OPL-1.0: best match %q, want CUA-OPL-1.0", got)
	}
}

// TestRepeatedLine: a line of a license written twice is text the license
// does not have; the same text with it once matches.
func TestRepeatedLine(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	line := "notice, this list of conditions and the following disclaimer."
	bsd := list["BSD-3-Clause"]
	twice := replaceOnce(t, bsd, line, line+"\n"+line)
	if got := best(m, bsd); got != "BSD-3-Clause" {
		t.Errorf("BSD-3-Clause: best match %q", got)
	}
	if got := best(m, twice); got != "" {
		t.Errorf("BSD-3-Clause with a line twice: best match %q, want none", got)
	}
}

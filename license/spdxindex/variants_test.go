package spdxindex

import (
	"strings"
	"testing"
)

// best returns the ID of the first match of text, or "".
func best(m *Matcher, text string) string {
	got := m.Find([]byte(text), KindText, Threshold)
	if len(got) == 0 {
		return ""
	}
	return got[0].ID
}

// replaceOnce replaces old in s, failing when s lacks it.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("text lacks %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestNearVariantsByTheirClauses tells near variants of the SPDX list
// apart by the clauses one has and the other lacks: a BSD-3-Clause text
// whose holders are "the author" (as BSD-3-Clause-HP's are) is still
// BSD-3-Clause, since it lacks BSD-3-Clause-HP's "PATENT INFRINGEMENT";
// BSD-3-Clause-HP's own text is BSD-3-Clause-HP.
func TestNearVariantsByTheirClauses(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	bsd3 := list["BSD-3-Clause"]
	bsd3 = replaceOnce(t, bsd3, "PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS", "PROVIDED BY THE AUTHOR")
	bsd3 = replaceOnce(t, bsd3, "SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE", "SHALL THE AUTHOR BE")
	for _, tc := range []struct{ name, text, want string }{
		{"BSD-3-Clause by the author", bsd3, "BSD-3-Clause"},
		{"BSD-3-Clause-HP", list["BSD-3-Clause-HP"], "BSD-3-Clause-HP"},
		{"BSD-3-Clause", list["BSD-3-Clause"], "BSD-3-Clause"},
	} {
		if got := best(m, tc.text); got != tc.want {
			t.Errorf("%s: best match %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestClauseAddedOrMissing: the guidelines match no text with a clause
// added or a clause of the license missing, whatever the coverage of
// the other words. An MIT text with a restriction added is not MIT; a
// BSD-3-Clause text without its third condition is BSD-2-Clause; a few
// words more (a name) or less still match.
func TestClauseAddedOrMissing(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	const conditions = "following conditions:"
	restricted := replaceOnce(t, list["MIT"], conditions, conditions+
		"\n\nRedistribution in any application store, for free or for a fee, is not permitted without the prior written consent of the authors.\n")
	named := replaceOnce(t, list["MIT"], conditions, conditions+" (Example Org)")
	bsd3 := list["BSD-3-Clause"]
	third := bsd3[strings.Index(bsd3, "3. Neither"):strings.Index(bsd3, "THIS SOFTWARE")]
	for _, tc := range []struct{ name, text, want string }{
		{"MIT with a restriction added", restricted, ""},
		{"MIT with a name added", named, "MIT"},
		{"BSD-3-Clause without its third condition", strings.Replace(bsd3, third, "", 1), "BSD-2-Clause"},
	} {
		got := m.Find([]byte(tc.text), KindText, Threshold)
		var ids []string
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) != 1 || got[0].ID != tc.want) {
			t.Errorf("%s: matches %q, want %q", tc.name, ids, tc.want)
		}
	}
}

// TestWholeTextOverItsPart finds SSH-OpenSSH's text as SSH-OpenSSH, not
// as SSH-short, the part of its words that SSH-short is.
func TestWholeTextOverItsPart(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Find([]byte(list["SSH-OpenSSH"]), KindText, Threshold); len(got) != 1 || got[0].ID != "SSH-OpenSSH" {
		t.Errorf("SSH-OpenSSH's text: %+v, want one match, SSH-OpenSSH", got)
	}
}

// TestTermsChanged: replaceable text is names and years; a text whose
// few words differ from the license's in its terms (a restriction
// "except as noted below", a missing "Permission", "shall" misspelt)
// is not the license, while other words may differ (names in place of
// "the authors or copyright holders") and a list item "(c) the
// licenses granted" is text, not a copyright line.
func TestTermsChanged(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	mit := list["MIT"]
	for _, tc := range []struct{ name, text, want string }{
		{"MIT", mit, "MIT"},
		{"MIT with other holders", replaceOnce(t, mit, "AUTHORS OR COPYRIGHT HOLDERS", "EXAMPLE ORG AND ITS MEMBERS"), "MIT"},
		{"MIT with an exception", replaceOnce(t, mit, "without restriction,", "without restriction except as noted below,"), ""},
		{"MIT without its grant's first word", replaceOnce(t, mit, "Permission is hereby", "is hereby"), ""},
		{"MIT with a typo in its terms", replaceOnce(t, mit, "SHALL THE", "SHAL THE"), ""},
		{"MPL-1.1", list["MPL-1.1"], "MPL-1.1"},
	} {
		if got := best(m, tc.text); got != tc.want {
			t.Errorf("%s: best match %q, want %q", tc.name, got, tc.want)
		}
	}
	if !isCopyrightLine([]byte("(c) 2001 Example Org")) || isCopyrightLine([]byte("  (c) the licenses granted in this Section 2.1(a) and (b) are")) {
		t.Error("a (c) line with a year is a copyright statement, a list item (c) is not")
	}
}

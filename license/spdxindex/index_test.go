package spdxindex

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"

	"github.com/snipscan/snipscan/internal/testnet"
)

// commonLicenses reads Debian's /usr/share/common-licenses texts, or skips.
func commonLicenses(t testing.TB) map[string][]byte {
	t.Helper()
	paths, _ := filepath.Glob("/usr/share/common-licenses/*")
	out := map[string][]byte{}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out[filepath.Base(p)] = b
		}
	}
	if len(out) == 0 {
		t.Skip("no /usr/share/common-licenses")
	}
	return out
}

func TestEncodeIsDeterministic(t *testing.T) {
	texts := commonLicenses(t)
	var entries []Entry
	for name, b := range texts {
		entries = append(entries, Entry{IDs: []string{name}, Name: name, Source: "debian", Kind: KindText, Words: Prepare(b)})
	}
	a := Encode(&Index{Version: "v1", Entries: entries})
	slices.Reverse(entries)
	b := Encode(&Index{Version: "v1", Entries: entries})
	if !bytes.Equal(a, b) {
		t.Fatal("Encode depends on the order of the entries")
	}
	x, err := Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Entries) != len(entries) || x.Version != "v1" {
		t.Fatalf("decoded %d entries, version %q", len(x.Entries), x.Version)
	}
	if c := Encode(x); !bytes.Equal(a, c) {
		t.Fatal("Encode(Decode(b)) differs from b")
	}
	for _, w := range []string{"Redistribution", "warranty", "licence"} {
		if bytes.Contains(a, []byte(w)) {
			t.Errorf("the index holds the readable word %q", w)
		}
	}
}

func TestEmbeddedIndex(t *testing.T) {
	x, err := Decode(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x.Version, "spdx-license-list@6.12.0") {
		t.Errorf("Version = %q", x.Version)
	}
	ids := map[string]bool{}
	for _, e := range x.Entries {
		for _, id := range e.IDs {
			ids[id] = true
		}
	}
	if len(ids) < 727 {
		t.Errorf("%d IDs, want >= 727", len(ids))
	}
	for _, id := range []string{"MIT", "MIT-0", "X11", "Apache-2.0", "GPL-3.0-only", "BSD-3-Clause-Clear", "HPND",
		"X11-distribute-modifications-variant", "DL-DE-ZERO-2.0", "Unlicense", "CC-BY-4.0"} {
		if !ids[id] {
			t.Errorf("no text of %s", id)
		}
	}
	t.Logf("%d entries, %d IDs, %d bytes, %s", len(x.Entries), len(ids), len(Embedded()), x.Version)
}

func TestTokenizeFollowsTheGuidelines(t *testing.T) {
	same := [][2]string{
		{"The Licence is licenced to you.", "the license is LICENSED to you"},
		{"“Software” -- as-is", `"software" - as is`},
		{"1. Grant.\n(a) You may copy.\n  iv) or not", "Grant.\nYou may copy.\nor not"},
		{"Copyright (c) 2024 Ada Example\nPermission is granted", "Permission is granted"},
		{"© 1999 Someone\nSee https://example.org", "see http://example.org"},
		{"Acknowledgement of the organisation's sub-licence", "acknowledgment of the organization's sublicense"},
		{"copyright owner", "copyright holder"},
	}
	for _, p := range same {
		if a, b := hashes(Tokenize([]byte(p[0]))), hashes(Tokenize([]byte(p[1]))); !slices.Equal(a, b) {
			t.Errorf("%q and %q tokenize differently: %v vs %v", p[0], p[1], a, b)
		}
	}
	if got := len(Tokenize([]byte("Copyright notices must be kept."))); got != 5 {
		t.Errorf("a sentence that begins with Copyright kept %d words, want 5", got)
	}
}

func hashes(ts []Token) []uint32 {
	out := make([]uint32, len(ts))
	for i, t := range ts {
		out[i] = t.Hash
	}
	return out
}

// spdxList fetches the pinned spdx-license-list with npm (skipping when
// the registry cannot be reached) and returns its texts by ID.
func spdxList(t testing.TB) map[string]string {
	t.Helper()
	var list map[string]struct{ LicenseText string }
	if err := json.Unmarshal(testnet.NPMPackFile(t, "spdx-license-list@6.12.0", "spdx-full.json"), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for id, l := range list {
		out[id] = l.LicenseText
	}
	return out
}

// TestEverySPDXText matches each text of the SPDX License List against the
// index. A text is identified exactly when the best match names its ID;
// texts identical word for word share an entry and name each other's IDs
// (GPL-2.0-only, GPL-2.0-or-later, GPL-2.0); a deprecated "+" or
// "-or-later" ID's text is the "-only" text. Confusions with another
// license are listed.
func TestEverySPDXText(t *testing.T) {
	list := spdxList(t)
	m, err := NewMatcher(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	exact, tied, none := 0, 0, 0
	var confused []string
	for id, text := range list {
		got := m.Find([]byte(text), KindText, Threshold)
		switch {
		case len(got) == 0:
			none++
			confused = append(confused, id+" -> nothing")
		case got[0].ID == id || got[0].ID == textIDOf(id):
			exact++
		case slices.Contains(got[0].IDs, id) || slices.Contains(got[0].IDs, textIDOf(id)):
			tied++
		default:
			confused = append(confused, id+" -> "+got[0].ID)
		}
	}
	slices.Sort(confused)
	t.Logf("%d SPDX texts: %d identified exactly, %d as an identical text's ID, %d confused, %d not matched",
		len(list), exact, tied, len(confused)-none, none)
	for _, c := range confused {
		t.Logf("  %s", c)
	}
	if len(list) < 727 {
		t.Errorf("%d texts, want 727", len(list))
	}
	if float64(exact+tied) < 0.97*float64(len(list)) {
		t.Errorf("only %d of %d SPDX texts identified", exact+tied, len(list))
	}
}

// textIDOf is the ID the index gives the text of a deprecated "+" or an
// "-or-later" ID, or of a deprecated bare GNU ID.
func textIDOf(id string) string {
	if b, ok := strings.CutSuffix(id, "+"); ok {
		return b + "-only"
	}
	if b, ok := strings.CutSuffix(id, "-or-later"); ok {
		return b + "-only"
	}
	if ok, _ := spdxlicenses.IsDeprecatedLicense(id); ok {
		if ok, _ := spdxlicenses.IsActiveLicense(id + "-only"); ok {
			return id + "-only" // GPL-2.0
		}
	}
	return id
}

// BenchmarkLoad measures loading the embedded index: decoding it and
// building the candidate index (B/op is the memory it takes).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := NewMatcher(Embedded()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBlanksAreReplaceable: the blanks to be filled in of the SPDX list's
// texts ("The Original Code is ______.", "the [___] License") are
// replaceable text, one slot each, as placeholders are; a line of
// underscores alone (the W3C-19980720's rule) is no blank.
func TestBlanksAreReplaceable(t *testing.T) {
	list := spdxList(t)
	slots := func(text string) int {
		n := 0
		for _, w := range Prepare([]byte(text)) {
			if w.Slot {
				n++
			}
		}
		return n
	}
	mpl := list["MPL-1.1"]
	if got, want := slots(mpl), len(regexp.MustCompile(`_{3,}`).FindAllString(mpl, -1)); got != want || want == 0 {
		t.Errorf("MPL-1.1: %d slots, want one per blank (%d)", got, want)
	}
	w3c := list["W3C-19980720"]
	rule := regexp.MustCompile(`(?m)^\s*_{3,}\s*$`)
	if !rule.MatchString(w3c) {
		t.Fatal("W3C-19980720: no line of underscores")
	}
	if a, b := Prepare([]byte(w3c)), Prepare([]byte(rule.ReplaceAllString(w3c, ""))); !slices.Equal(a, b) {
		t.Errorf("W3C-19980720: its rule changes its words (%d vs %d)", len(a), len(b))
	}
}

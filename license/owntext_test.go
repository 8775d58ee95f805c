package license

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// leafIDs returns the distinct licenses of a result's own expression.
func leafIDs(t *testing.T, r Result) []string {
	t.Helper()
	if r.Expression == "" {
		return nil
	}
	e, err := parseExpr(r.Expression, true)
	if err != nil {
		t.Fatalf("parse %q: %v", r.Expression, err)
	}
	ids := e.ids()
	slices.Sort(ids)
	return slices.Compact(ids)
}

// TestTextPartOfNamedLicense: a full text that is a part of the text of a
// license the text names is that license's, not a second license; a text
// beside the named license's own full text stays.
func TestTextPartOfNamedLicense(t *testing.T) {
	t.Parallel()
	dir := testnet.ModuleDir(t, "github.com/google/licenseclassifier/v2@v2.0.0")
	openssl := classifierAsset(t, dir, "OpenSSL", "license.txt")
	// The OpenSSL license's first part, under its title, without the
	// original SSLeay license that follows it: OpenSSL-standalone's words.
	first, _, ok := bytes.Cut(openssl, []byte("Original SSLeay License"))
	if !ok {
		t.Fatal("no SSLeay part in the OpenSSL asset")
	}
	c := New()
	for _, tc := range []struct {
		name string
		text []byte
		want []string
	}{
		{"OpenSSL's first part under its title", first, []string{"OpenSSL"}},
		// BoringSSL's LICENSE holds the OpenSSL license's full text, then
		// Intel's BSD-3-Clause text, whose words the OpenSSL text holds too.
		{"Go's boring LICENSE", readFile(t, filepath.Join(goroot(t), "src/crypto/internal/boring/LICENSE")), []string{"BSD-3-Clause", "ISC", "OpenSSL"}},
	} {
		r := c.LicenseFile(tc.text)
		if got := leafIDs(t, r); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q (%v), want %v", tc.name, r.Expression, got, tc.want)
		}
	}
}

// TestSendmailQuotesBSD: Debian's copy of the Sendmail license, titled
// "SENDMAIL LICENSE", quotes the University of California's BSD-4-Clause
// text as its paragraph 5: that text is the Sendmail license's.
func TestSendmailQuotesBSD(t *testing.T) {
	t.Parallel()
	text := debianLicense(t, "lsof", "Sendmail", "SENDMAIL LICENSE")
	r := New().Text(text)
	if got := leafIDs(t, r); !slices.Equal(got, []string{"Sendmail"}) {
		t.Errorf("got %q, want Sendmail", r.Expression)
	}
}

// TestLicenseTextOwnWords: statements made of a license's or an
// exception's own words grant nothing beside it.
func TestLicenseTextOwnWords(t *testing.T) {
	t.Parallel()
	dir := testnet.ModuleDir(t, "github.com/google/licenseclassifier/v2@v2.0.0")
	llvm := classifierAsset(t, dir, "Apache-with-LLVM-Exception", "license.txt")
	_, exc, ok := bytes.Cut(llvm, []byte("LLVM Exceptions to the Apache 2.0 License ----"))
	if !ok {
		t.Fatal("no exception in the Apache-with-LLVM-Exception asset")
	}
	// A Debian copyright file's paragraph: a pointer to the Apache
	// License's text, then the exception's text, which speaks of
	// "software that is licensed under the GPLv2".
	pointer := append([]byte("See /usr/share/common-licenses/Apache-2.0 on a Debian system for the text\nof the Apache-2.0 license.\n"), exc...)
	c := New()
	for _, tc := range []struct {
		name string
		text []byte
		want []string
	}{
		{"LLVM exception after a pointer", pointer, []string{"Apache-2.0 WITH LLVM-exception"}},
		{"Apache-2.0 with the LLVM exception", llvm, []string{"Apache-2.0 WITH LLVM-exception"}},
		// The CAL-1.0 shows the "SPDX-License-Identifier:" lines that
		// apply it, with and without its Combined Work Exception.
		{"CAL-1.0", classifierAsset(t, dir, "CAL-1.0", "license.txt"), []string{"CAL-1.0"}},
		// The Bison exception says the skeleton may be "licensed under
		// the GNU General Public License without this special exception".
		{"GPL-3.0 with the Bison exception", classifierAsset(t, dir, "GPL-3.0-with-bison-exception", "license.txt"), []string{"GPL-3.0-only WITH Bison-exception-2.2"}},
	} {
		r := c.LicenseFile(tc.text)
		var stated []string
		for _, m := range r.Matches {
			if !m.Part {
				stated = append(stated, m.Expression)
			}
		}
		slices.Sort(stated)
		if got := leafIDs(t, r); !slices.Equal(got, tc.want) || len(slices.Compact(stated)) != len(tc.want) {
			t.Errorf("%s: got %q, statements %s, want %v", tc.name, r.Expression, strings.Join(stated, "; "), tc.want)
		}
	}
}

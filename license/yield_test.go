package license

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// listTexts fetches the pinned spdx-license-list with npm (skipping when
// the registry cannot be reached) and returns the texts of ids.
func listTexts(t *testing.T, ids ...string) map[string][]byte {
	t.Helper()
	f, err := os.Open(testnet.NPMPack(t, t.TempDir(), "spdx-license-list@6.12.0"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatal("no spdx-full.json in the package")
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "package/spdx-full.json" {
			continue
		}
		var list map[string]struct{ LicenseText string }
		if err := json.NewDecoder(tr).Decode(&list); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, id := range ids {
			out[id] = []byte(list[id].LicenseText)
		}
		return out
	}
}

// TestLicensecheckAndTheSPDXMatcherOnOneText: where licensecheck and the
// SPDX matcher name different licenses on the same words, the license
// whose texts fit those words better wins, measured on the same scale:
// licensecheck's BSD-2-Clause pattern also holds BSD-2-Clause-Views'
// clause, yet the Views text is BSD-2-Clause-Views; the texts of
// OLDAP-1.1 and NBPL-1.0 differ only in the names the matcher skips, and
// licensecheck, which tells them apart, names OLDAP-1.1's.
func TestLicensecheckAndTheSPDXMatcherOnOneText(t *testing.T) {
	t.Parallel()
	ids := []string{"BSD-2-Clause-Views", "OLDAP-1.1"}
	texts := listTexts(t, ids...)
	c := New()
	for _, id := range ids {
		if got := c.LicenseFile(texts[id]).Expression; got != id {
			t.Errorf("%s's text: %q, want %s", id, got, id)
		}
	}
}

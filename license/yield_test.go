package license

import (
	"encoding/json"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// listTexts fetches the pinned spdx-license-list with npm (skipping when
// the registry cannot be reached) and returns the texts of ids.
func listTexts(t *testing.T, ids ...string) map[string][]byte {
	t.Helper()
	var list map[string]struct{ LicenseText string }
	if err := json.Unmarshal(testnet.NPMPackFile(t, "spdx-license-list@6.12.0", "spdx-full.json"), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, id := range ids {
		out[id] = []byte(list[id].LicenseText)
	}
	return out
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

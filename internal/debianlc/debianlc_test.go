package debianlc

import (
	"os"
	"strings"
	"testing"
)

// TestRun runs Debian's licensecheck on Debian's own Apache-2.0 and GPL-3
// texts, in one batch: each file gets its own result, by its path.
func TestRun(t *testing.T) {
	if err := Installed(); err != nil {
		t.Skip(err)
	}
	files := []string{"/usr/share/common-licenses/Apache-2.0", "/usr/share/common-licenses/GPL-3"}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("no %s", f)
		}
	}
	res, err := Run(t.Context(), files, []string{"--lines", "0"})
	if err != nil {
		t.Fatal(err)
	}
	if l := res[files[0]].License; !strings.Contains(l, "Apache-2.0") {
		t.Errorf("%s: license %q", files[0], l)
	}
	if l := res[files[1]].License; !strings.Contains(l, "GPL-3") {
		t.Errorf("%s: license %q", files[1], l)
	}
	if v := Version(); !strings.HasPrefix(v, "v") {
		t.Errorf("Version() = %q", v)
	}
}

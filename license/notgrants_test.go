package license

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPythonLicense classifies CPython's LICENSE as installed by the
// system's Python (Debian's /usr/lib/python3.X/LICENSE.txt). Its history
// table's "GPL-compatible" column, its footnote on "other software that
// is released under the GPL" and the CNRI agreement's "previously
// distributed under the GNU General Public License" grant nothing, and
// the Zero-Clause BSD license of the code in its documentation is a part
// that is not code. What the file grants is "the Python Software
// Foundation License Version 2": PSF-2.0. SPDX's Python-2.0 and
// Python-2.0.1 name the whole stack of agreements (PSF, BeOpen, CNRI,
// CWI) this file holds, so they are right too when the stack is
// recognized as a full text (today the grant and the stack both stay:
// "PSF-2.0 AND Python-2.0.1", redundant but permissive either way).
func TestPythonLicense(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("/usr/lib/python3*/LICENSE.txt")
	if len(paths) == 0 {
		t.Skip("no CPython LICENSE.txt on this machine (/usr/lib/python3*/LICENSE.txt)")
	}
	r := New().LicenseFile(readFile(t, paths[0]))
	python := []string{"PSF-2.0", "Python-2.0", "Python-2.0.1"}
	ids := strings.Split(r.Expression, " AND ")
	if r.Expression == "" || slices.ContainsFunc(ids, func(id string) bool { return !slices.Contains(python, id) }) {
		t.Errorf("%s: Expression = %q, want PSF-2.0, Python-2.0 or Python-2.0.1", paths[0], r.Expression)
		for _, m := range r.Matches {
			t.Logf("  lines %v %s %s part=%v %s", m.Lines, m.Expression, m.Evidence, m.Part, m.Why)
		}
	}
	if !slices.Contains(r.Holders, "Python Software Foundation") {
		t.Errorf("%s: Holders = %q, want Python Software Foundation among them", paths[0], r.Holders)
	}
}

// TestNotGrants checks statements that name a license without granting
// it for the text's own work: other software, and code that is part of
// the documentation.
func TestNotGrants(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct{ name, text, want, why string }{
		{"other software", "Python is released under the MIT license.\n\nThe MIT license makes it possible to combine Python with other software that is released under the GPL.", "MIT", WhyOtherWork},
		{"code in the documentation", "Foo is licensed under the Apache License 2.0.\n\nThe code in the documentation is licensed under the BSD Zero Clause License.", "Apache-2.0", WhyNonCode},
		{"heading: code in the documentation", "Foo is licensed under the Apache License 2.0.\n\nZERO-CLAUSE BSD LICENSE FOR CODE IN THE FOO DOCUMENTATION\n-----------------------------------------------------------\n\n" +
			string(licensecheckCase(t, "0BSD.t1").text), "Apache-2.0", WhyNonCode},
		{"code and documentation", "The code and documentation are licensed under the MIT license.", "MIT", ""},
	}
	for _, tt := range tests {
		r := c.Text([]byte(tt.text))
		if r.Expression != tt.want {
			t.Errorf("%s: Expression = %q, want %q (matches %+v)", tt.name, r.Expression, tt.want, r.Matches)
			continue
		}
		if tt.why == "" {
			continue
		}
		found := false
		for _, m := range r.Matches {
			found = found || m.Part && m.Why == tt.why
		}
		if !found {
			t.Errorf("%s: no statement marked %q (matches %+v)", tt.name, tt.why, r.Matches)
		}
	}
}

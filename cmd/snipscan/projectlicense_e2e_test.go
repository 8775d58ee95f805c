package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProprietaryProjectLicenseMentioningTheGPL scans a repository whose
// LICENSE is a proprietary agreement that mentions the GPL without
// granting it (a third-party component's license, a negation, another
// product's license): the project has no license snipscan knows, so a
// verbatim copy of GPL-3.0-or-later code fails (it warned, "compatible
// with the project's license GPL-3.0-or-later", exit 0), and snipscan
// license says the file grants nothing, and why; so does an agreement
// that reserves the rights to its work, then holds a component's full
// GPL text. A LICENSE that grants the GPL to
// the project still makes the copy compatible. The agreements are this
// project's own words.
func TestProprietaryProjectLicenseMentioningTheGPL(t *testing.T) {
	const eula = "ACME END USER LICENSE AGREEMENT\n\nCopyright (c) 2024 ACME Corporation. All rights reserved.\n\n" +
		"This software is the confidential and proprietary information of ACME\nCorporation. You may not use, copy, modify or distribute it except under\nthe terms of a written agreement with ACME Corporation.\n\n"
	tests := []struct{ name, text, verdict, why string }{
		{"a third-party component", eula + "THIRD-PARTY COMPONENTS: This product includes libfoo, which is licensed\nunder the GNU General Public License version 3 or (at your option) any\nlater version.\n", "fail", "part"},
		{"a negation", eula + "This software is NOT distributed under the GNU General Public License v3 or later.\n", "fail", "negated"},
		{"another product", eula + "Unlike our open-source SDK (released under the GNU GPL v3 or later), this\nproduct is closed source.\n", "fail", "other-work"},
		{"a reservation of rights, then a component's text", "ACME PROPRIETARY LICENSE\n\nCopyright 2026 Acme Corp. All rights reserved.\n\nUnauthorized copying of this software is strictly prohibited.\n\n" +
			"THIRD-PARTY COMPONENTS\n\nlibbar is distributed under the GNU General Public License v3.0:\n\n" + commonLicense(t, "GPL-3"), "fail", "reserved"},
		{"a grant to the project", "Copyright (C) 2024 Ada Example\n\nThis program is licensed under the GNU General Public License version 3\nor (at your option) any later version.\n", "warn", ""},
	}
	fx := newGateFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx.write(t, "LICENSE", tt.text)
			doc, r := fx.scan(t)
			v := verdicts(doc)
			wantCode := map[string]int{"fail": 1, "warn": 0}[tt.verdict]
			if v["gplcopy.go"] != tt.verdict || r.code != wantCode {
				t.Errorf("exit %d, verdicts %v; want gplcopy.go to %s, exit %d\n%s", r.code, v, tt.verdict, wantCode, r.stdout)
			}
			for _, f := range doc.Files {
				compatible := strings.Contains(strings.Join(f.Matches[0].Policy.Reasons, "; "), "compatible with the project's license")
				if filepath.Base(f.Path) == "gplcopy.go" && compatible != (tt.verdict == "warn") {
					t.Errorf("reasons %q", f.Matches[0].Policy.Reasons)
				}
			}
			lic, _ := licenseCommandSays(t, filepath.Join(fx.repo, "LICENSE"))
			if want := map[string]string{"fail": "", "warn": "GPL-3.0-or-later"}[tt.verdict]; lic != want {
				t.Errorf("snipscan license LICENSE: %q, want %q", lic, want)
			}
			out := snipscan(t, nil, "license", filepath.Join(fx.repo, "LICENSE")).stdout
			if marked := strings.Contains(out, "(not granted: "+tt.why+")"); marked != (tt.why != "") {
				t.Errorf("snipscan license LICENSE says:\n%s\nwant the GPL statement marked %q", out, tt.why)
			}
		})
	}
}

// TestPathsUnderDifferentProjectLicenses scans two directories, one with
// a GPL-3.0 LICENSE and one with an MIT LICENSE, each holding a copy of
// GPL-3.0-or-later code. The first PATH's license decided for both: in
// one order the MIT project's copy was "compatible" (a silent pass), in
// the other the GPL project's copy failed. Such PATHs are now refused
// (exit 2, naming each PATH's license) unless a policy names the
// project's license; each alone keeps its own verdict.
func TestPathsUnderDifferentProjectLicenses(t *testing.T) {
	fx := newGateFixture(t)
	gpl, err := os.ReadFile(filepath.Join(fx.repo, "gplcopy.go"))
	if err != nil {
		t.Fatal(err)
	}
	lic := map[string]string{
		"gplapp": "Copyright (C) 2024 Ada Example\n\nThis program is licensed under the GNU General Public License version 3\nor (at your option) any later version.\n",
		"mitapp": "Copyright (c) 2024 Ada Example\n\nThis software is released under the MIT license.\n",
	}
	for dir, text := range lic {
		if err := os.MkdirAll(filepath.Join(fx.repo, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		fx.write(t, filepath.Join(dir, "LICENSE"), text)
		fx.write(t, filepath.Join(dir, "copy.go"), string(gpl))
	}
	for _, paths := range [][]string{{"gplapp", "mitapp"}, {"mitapp", "gplapp"}} {
		r := snipscanIn(t, fx.repo, append([]string{"scan", "--db", fx.db}, paths...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "different project licenses") ||
			!strings.Contains(r.stderr, "gplapp: GPL-3.0-or-later") || !strings.Contains(r.stderr, "mitapp: MIT") {
			t.Errorf("scan %v: exit %d, want 2 and a message naming both licenses\n%s%s", paths, r.code, r.stdout, r.stderr)
		}
	}
	for dir, want := range map[string]int{"gplapp": 0, "mitapp": 1} {
		if r := snipscanIn(t, fx.repo, "scan", "--db", fx.db, dir); r.code != want {
			t.Errorf("%s alone: exit %d, want %d\n%s%s", dir, r.code, want, r.stdout, r.stderr)
		}
	}
	fx.write(t, "policy.toml", "project_license = \"MIT\"\n")
	if r := snipscanIn(t, fx.repo, "scan", "--db", fx.db, "--policy", "policy.toml", "gplapp", "mitapp"); r.code != 1 {
		t.Errorf("with project_license = MIT: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
}

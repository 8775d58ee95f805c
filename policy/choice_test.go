package policy_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
)

// TestChoice evaluates sources licensed under a choice of licenses: the
// verdict is the licensee's best choice under the policy (the least
// restrictive license among alternatives of equal verdict), the decision
// names it in license_choice, in its category and in the reasons, and the
// chosen license's own obligations apply.
func TestChoice(t *testing.T) {
	t.Parallel()
	choice := func(lic, chosen string) string {
		return "licensed " + lic + "; evaluated as " + chosen + ", the least restrictive choice"
	}
	attribution := func(lic string) string {
		return lic + " requires attribution: keep the copyright and license notice"
	}
	// A policy built in code has no file: its rules are named as the
	// built-in policy's.
	const untilAttributed = "permissive is warned about by the built-in policy until attributed"
	gplProject := policy.Default()
	gplProject.ProjectLicense = "GPL-3.0-or-later"
	denyMIT := policy.Default()
	denyMIT.Licenses["MIT"] = policy.Fail
	allowGPL := policy.Default()
	allowGPL.Licenses["GPL-2.0-only"] = policy.Pass
	tests := []struct {
		name     string
		pol      *policy.Policy
		license  string
		verdict  string
		chosen   string
		category string
		reasons  []string
	}{
		{"copyleft or permissive", nil, "MIT OR GPL-3.0-only", policy.Warn, "MIT", "permissive",
			[]string{choice("MIT OR GPL-3.0-only", "MIT"), attribution("MIT"), untilAttributed}},
		{"copyleft or unrestricted", nil, "GPL-3.0-only OR CC0-1.0", policy.Pass, "CC0-1.0", "unrestricted",
			[]string{choice("GPL-3.0-only OR CC0-1.0", "CC0-1.0"), "CC0-1.0 is unrestricted", "unrestricted is allowed by the built-in policy"}},
		{"two permissive licenses: the one with fewer conditions", nil, "Apache-2.0 OR MIT", policy.Warn, "MIT", "permissive",
			[]string{choice("Apache-2.0 OR MIT", "MIT"), attribution("MIT"), untilAttributed}},
		{"weak copyleft or permissive", nil, "MPL-2.0 OR Apache-2.0", policy.Warn, "Apache-2.0", "permissive",
			[]string{choice("MPL-2.0 OR Apache-2.0", "Apache-2.0"), attribution("Apache-2.0"), untilAttributed}},
		{"an unknown license or a known one", nil, "LicenseRef-acme OR BSD-3-Clause", policy.Warn, "BSD-3-Clause", "permissive",
			[]string{choice("LicenseRef-acme OR BSD-3-Clause", "BSD-3-Clause"), attribution("BSD-3-Clause"), untilAttributed}},
		{"a choice inside an AND", nil, "(MIT OR GPL-2.0-only) AND BSD-3-Clause", policy.Warn, "BSD-3-Clause AND MIT", "permissive",
			[]string{choice("(MIT OR GPL-2.0-only) AND BSD-3-Clause", "BSD-3-Clause AND MIT"), attribution("BSD-3-Clause AND MIT"), untilAttributed}},
		{"only copyleft to choose from", nil, "GPL-2.0-only OR AGPL-3.0-only", policy.Fail, "GPL-2.0-only", "strong-copyleft",
			[]string{choice("GPL-2.0-only OR AGPL-3.0-only", "GPL-2.0-only"), "GPL-2.0-only is strong-copyleft", "strong-copyleft is denied by the built-in policy"}},
		{"or-later is no choice", nil, "GPL-2.0-or-later", policy.Fail, "", "strong-copyleft",
			[]string{"GPL-2.0-or-later is strong-copyleft", "strong-copyleft is denied by the built-in policy"}},
		{"the policy's own rule decides", allowGPL, "MIT OR GPL-2.0-only", policy.Pass, "GPL-2.0-only", "strong-copyleft",
			[]string{choice("MIT OR GPL-2.0-only", "GPL-2.0-only"), "GPL-2.0-only is strong-copyleft", "GPL-2.0-only is allowed by the built-in policy"}},
		{"equal verdicts: the least restrictive", denyMIT, "MIT OR GPL-2.0-only", policy.Fail, "MIT", "permissive",
			[]string{choice("MIT OR GPL-2.0-only", "MIT"), attribution("MIT"), "MIT is denied by the built-in policy"}},
		{"compatible copyleft ties with permissive", gplProject, "GPL-3.0-only OR MIT", policy.Warn, "MIT", "permissive",
			[]string{choice("GPL-3.0-only OR MIT", "MIT"), attribution("MIT"), untilAttributed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pol := tc.pol
			if pol == nil {
				pol = policy.Default()
			}
			d := pol.Evaluate(finding(tc.license))
			if d.Verdict != tc.verdict || d.LicenseChoice != tc.chosen || d.Category != tc.category {
				t.Errorf("Evaluate(%q) = %s, choice %q, category %s; want %s, %q, %s", tc.license, d.Verdict, d.LicenseChoice, d.Category, tc.verdict, tc.chosen, tc.category)
			}
			if !slices.Equal(d.Reasons, tc.reasons) {
				t.Errorf("Reasons = %q, want %q", d.Reasons, tc.reasons)
			}
		})
	}
}

// TestChoiceAttributed passes a permissive choice whose holder the target
// file names, and puts the choice in the decision's JSON.
func TestChoiceAttributed(t *testing.T) {
	t.Parallel()
	f := &match.Finding{Kind: match.KindSnippet, Lines: [2]int{1, 10},
		Source: match.Source{Path: "x.go", License: "MIT OR GPL-3.0-only", Holders: []string{"Ada Example"}}}
	ev := policy.Default().Evaluator(policy.Context{ReadTarget: func(string) ([]byte, error) {
		return []byte("// Portions copyright Ada Example, under the MIT license.\n"), nil
	}})
	d := ev.Evaluate("t.go", f)
	if d.Verdict != policy.Pass || d.LicenseChoice != "MIT" || !slices.Contains(d.Reasons, "attributed in the target file") {
		t.Errorf("decision %+v; want pass on MIT, attributed in the target file", d)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"license_choice":"MIT"`) {
		t.Errorf("JSON %s lacks license_choice", b)
	}
	// No choice, no field.
	b, _ = json.Marshal(policy.Default().Evaluate(finding("MIT")))
	if strings.Contains(string(b), "license_choice") {
		t.Errorf("JSON %s has license_choice without a choice", b)
	}
	if license.CategoryOf("MIT OR GPL-3.0-only") != license.Permissive {
		t.Error("CategoryOf an OR is not its least restrictive operand's")
	}
}

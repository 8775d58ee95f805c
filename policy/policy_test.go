package policy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
)

func finding(lic string) *match.Finding {
	return &match.Finding{Kind: match.KindSnippet, Lines: [2]int{1, 10}, Source: match.Source{Path: "x.go", License: lic}}
}

func TestDefaultVerdicts(t *testing.T) {
	t.Parallel()
	attribution := func(lic string) string {
		return lic + " requires attribution: keep the copyright and license notice"
	}
	tests := []struct {
		name    string
		license string
		verdict string
		reason  string
	}{
		// Permissive: warn that attribution is required.
		{"MIT", "MIT", policy.Warn, attribution("MIT")},
		{"Apache-2.0", "Apache-2.0", policy.Warn, attribution("Apache-2.0")},
		{"BSD-3-Clause", "BSD-3-Clause", policy.Warn, attribution("BSD-3-Clause")},
		// Strong and network copyleft fail.
		{"GPL-3.0-only", "GPL-3.0-only", policy.Fail, "GPL-3.0-only is strong-copyleft"},
		{"GPL-2.0-or-later", "GPL-2.0-or-later", policy.Fail, "GPL-2.0-or-later is strong-copyleft"},
		{"AGPL-3.0-or-later", "AGPL-3.0-or-later", policy.Fail, "AGPL-3.0-or-later is network-copyleft"},
		// Non-commercial fails.
		{"CC-BY-NC-4.0", "CC-BY-NC-4.0", policy.Fail, "CC-BY-NC-4.0 is non-commercial"},
		// Weak copyleft warns.
		{"LGPL-2.1-only", "LGPL-2.1-only", policy.Warn, "LGPL-2.1-only is weak-copyleft"},
		{"MPL-2.0", "MPL-2.0", policy.Warn, "MPL-2.0 is weak-copyleft"},
		// A linking exception lowers a strong copyleft to weak.
		{"GPL with Classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0", policy.Warn,
			"GPL-2.0-only WITH Classpath-exception-2.0 is weak-copyleft"},
		// Public-domain-like licenses pass.
		{"CC0-1.0", "CC0-1.0", policy.Pass, "CC0-1.0 is unrestricted"},
		{"Unlicense", "Unlicense", policy.Pass, "Unlicense is unrestricted"},
		// Unknown licenses warn.
		{"no license", "", policy.Warn, "the source's license is unknown"},
		{"unrecognized reference", "LicenseRef-acme-proprietary", policy.Warn, "LicenseRef-acme-proprietary is unknown"},
		{"unparsable expression", "MIT AND (", policy.Warn, "MIT AND ( is unknown"},
		// OR: see TestChoice.
		// AND: every license applies, the most restrictive wins.
		{"MIT AND GPL-2.0-only", "MIT AND GPL-2.0-only", policy.Fail, "MIT AND GPL-2.0-only is strong-copyleft"},
		{"MIT AND Apache-2.0", "MIT AND Apache-2.0", policy.Warn, attribution("MIT AND Apache-2.0")},
		{"AND with an unknown operand", "MIT AND LicenseRef-x", policy.Warn, "MIT AND LicenseRef-x is unknown"},
	}
	pol := policy.Default()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := pol.Evaluate(finding(tc.license))
			if d.Verdict != tc.verdict {
				t.Errorf("Evaluate(%q).Verdict = %q, want %q", tc.license, d.Verdict, tc.verdict)
			}
			if len(d.Reasons) != 2 || d.Reasons[0] != tc.reason {
				t.Errorf("Evaluate(%q).Reasons = %q, want %q and the rule that decided", tc.license, d.Reasons, tc.reason)
			}
			// The last reason names the rule that decided.
			if n := len(d.Reasons); n == 0 || !strings.HasSuffix(d.Reasons[n-1], " by the built-in policy") &&
				!strings.HasSuffix(d.Reasons[n-1], " by the built-in policy until attributed") {
				t.Errorf("Evaluate(%q).Reasons = %q do not end with the rule that decided", tc.license, d.Reasons)
			}
		})
	}
}

// TestCustomPolicy checks a policy other than the default: a category it
// does not list warns.
func TestCustomPolicy(t *testing.T) {
	t.Parallel()
	pol := &policy.Policy{Categories: map[license.Category]string{
		license.Permissive:     policy.Pass,
		license.StrongCopyleft: policy.Warn,
	}}
	tests := []struct {
		name, license, verdict string
	}{
		{"listed permissive", "MIT", policy.Pass},
		{"listed copyleft", "GPL-3.0-only", policy.Warn},
		{"not listed", "AGPL-3.0-only", policy.Warn},
		{"unknown, not listed", "", policy.Warn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := pol.Evaluate(finding(tc.license)).Verdict; got != tc.verdict {
				t.Errorf("Evaluate(%q) = %q, want %q", tc.license, got, tc.verdict)
			}
		})
	}
}

// TestDefaultIsFresh checks that Default returns a policy the caller may
// change without changing the next one.
func TestDefaultIsFresh(t *testing.T) {
	t.Parallel()
	a := policy.Default()
	a.Categories[license.StrongCopyleft] = policy.Pass
	if got := policy.Default().Evaluate(finding("GPL-3.0-only")).Verdict; got != policy.Fail {
		t.Errorf("after changing one Default(), another says %q for GPL-3.0-only, want fail", got)
	}
}

// TestDecisionJSON checks the JSON form of a decision: both keys, reasons
// an array even when the policy gives none.
func TestDecisionJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    policy.Decision
		want string
	}{
		{"from Evaluate", policy.Default().Evaluate(finding("CC0-1.0")), `{"verdict":"pass","reasons":["CC0-1.0 is unrestricted","unrestricted is allowed by the built-in policy"],"category":"unrestricted","in_baseline":false}`},
		{"empty reasons", policy.Decision{Verdict: policy.Pass, Reasons: []string{}}, `{"verdict":"pass","reasons":[],"in_baseline":false}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("JSON = %s, want %s", b, tc.want)
			}
		})
	}
	// Evaluate never leaves Reasons nil, whatever the license.
	for _, lic := range []string{"", "MIT", "GPL-3.0-only", "CC0-1.0", "nonsense"} {
		if d := policy.Default().Evaluate(finding(lic)); d.Reasons == nil {
			t.Errorf("Evaluate(%q).Reasons is nil", lic)
		}
	}
}

// TestCloserAlternate: a finding that names an original (BSD-3-Clause)
// in place of a copy that matches the code better is judged by the copy
// too, when its verdict is worse (a GPL-3.0 copy fails, and says why);
// an alternate that is not closer changes nothing.
func TestCloserAlternate(t *testing.T) {
	t.Parallel()
	gpl := match.Source{Path: "fork/x.go", License: "GPL-3.0-or-later", Closer: true}
	f := finding("BSD-3-Clause")
	f.Alternates, f.AlternateSources = 1, []match.Source{gpl}
	d := policy.Default().Evaluate(f)
	if d.Verdict != policy.Fail || d.Category != "strong-copyleft" || !strings.Contains(strings.Join(d.Reasons, "; "), "fork/x.go matches this code better than x.go") {
		t.Errorf("closer GPL copy: %+v", d)
	}
	gpl.Closer = false
	f.AlternateSources = []match.Source{gpl}
	if d := policy.Default().Evaluate(f); d.Verdict != policy.Warn || d.Category != "permissive" {
		t.Errorf("GPL alternate that is not closer: %+v", d)
	}
}

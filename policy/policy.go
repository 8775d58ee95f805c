// Package policy decides which findings fail a scan. A finding's verdict
// is fail, warn, pass or accepted, with the reasons that led to it; a scan
// fails when any finding's verdict is fail.
//
// The built-in default suits a proprietary product: strong and network
// copyleft and non-commercial licenses fail, weak copyleft and unknown
// licenses warn, permissive licenses warn that attribution is required,
// and unrestricted licenses pass.
package policy

import (
	"fmt"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/match"
)

// Verdicts.
const (
	Pass     = "pass"
	Warn     = "warn"
	Fail     = "fail"
	Accepted = "accepted"
)

// Decision is the verdict on one finding.
type Decision struct {
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons"`
}

// Policy maps license categories to verdicts.
type Policy struct {
	// Categories gives the verdict for each license category.
	Categories map[license.Category]string
}

// Default returns the built-in policy.
func Default() *Policy {
	return &Policy{Categories: map[license.Category]string{
		license.Unrestricted:    Pass,
		license.Permissive:      Warn,
		license.WeakCopyleft:    Warn,
		license.StrongCopyleft:  Fail,
		license.NetworkCopyleft: Fail,
		license.NonCommercial:   Fail,
		license.Unknown:         Warn,
	}}
}

// Evaluate returns the verdict on f.
func (p *Policy) Evaluate(f *match.Finding) Decision {
	cat := license.CategoryOf(f.Source.License)
	v, ok := p.Categories[cat]
	if !ok {
		v = Warn
	}
	d := Decision{Verdict: v, Reasons: []string{}}
	lic := f.Source.License
	switch {
	case lic == "":
		d.Reasons = append(d.Reasons, "the source's license is unknown")
	case cat == license.Permissive:
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s requires attribution: keep the copyright and license notice", lic))
	default:
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s is %s", lic, cat))
	}
	return d
}

package policy

import (
	"fmt"

	"github.com/snipscan/snipscan/license"
)

// builtIn names the built-in policy in reasons.
const builtIn = "the built-in policy"

// origin names the rule that set the verdict of key (a category's name
// or an SPDX ID).
func (p *Policy) origin(key string) string {
	if o := p.Origins[key]; o != "" {
		return o
	}
	return builtIn
}

// rule says that what (a category or a license, as the reason names it)
// gets verdict v, and from which rule: "GPL-2.0-or-later is denied by
// licenses.deny in snipscan.toml". key finds the rule in Origins.
func (p *Policy) rule(key, what, v string) string {
	return fmt.Sprintf("%s is %s by %s", what, ruleWord(v), p.origin(key))
}

// idRule says which SPDX ID rule gave the license l the verdict v: its
// own, or that of the -only ID that covers an -or-later one
// ("GPL-3.0-or-later is denied by --fail-on GPL-3.0-only (a rule on
// GPL-3.0-only covers GPL-3.0-or-later)").
func (p *Policy) idRule(l license.Leaf, v string) string {
	key, _, _ := p.licenseRule(l.ID)
	r := p.rule(key, l.String(), v)
	if key != l.ID {
		r += fmt.Sprintf(" (a rule on %s covers %s)", key, l.ID)
	}
	return r
}

// categoryRule says which rule gave category c the verdict v. Permissive
// code that the rule warns about, where attribution is checked, passes
// once attributed: the reason says so, and whether it is.
func (p *Policy) categoryRule(c license.Category, v string, attributed bool) string {
	switch {
	case c != license.Permissive || v != Warn || !p.Attribution:
		return p.rule(c.String(), c.String(), v)
	case attributed:
		return p.rule(c.String(), c.String(), Pass) + " once attributed"
	}
	return p.rule(c.String(), c.String(), v) + " until attributed"
}

// unknownRule says which rule gave a source of unknown license the
// verdict v.
func (p *Policy) unknownRule(v string) string {
	if p.UnknownFails && v == Fail {
		o := "fail_on_unknown"
		if p.File != "" {
			o += " in " + p.File
		}
		return "an unknown license is denied by " + o
	}
	return p.rule(license.Unknown.String(), "an unknown license", v)
}

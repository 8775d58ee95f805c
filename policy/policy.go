// Package policy decides which findings fail a scan. A finding's verdict
// is fail, warn, pass or accepted, with the reasons that led to it; a scan
// fails when any finding's verdict is fail.
//
// The built-in default suits a proprietary product: strong and network
// copyleft and non-commercial licenses fail, weak copyleft and unknown
// licenses warn, permissive licenses warn that attribution is required
// (and pass when the target file or a notice file names the holders),
// and unrestricted licenses pass. A policy file (see Load) changes any of
// this: verdicts per category or per SPDX ID, the project's own license,
// a minimum finding size, excluded paths, accepted findings, and whether
// files a scan could not read fail it (they do by default).
//
// A source under a choice of licenses ("MIT OR GPL-3.0-only") is judged
// on the licensee's best choice: in every OR the alternative with the
// mildest verdict, and among equal verdicts the least restrictive
// (license.Choose); the decision names it (Decision.LicenseChoice).
package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

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

// severity orders verdicts from harmless to failing.
func severity(v string) int {
	switch v {
	case Pass:
		return 0
	case Warn:
		return 1
	case Fail:
		return 2
	}
	return 1
}

var verdictOf = [...]string{Pass, Warn, Fail}

// Decision is the verdict on one finding.
type Decision struct {
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons"`
	// Category is the license category of the finding's source.
	Category string `json:"category,omitempty"`
	// InBaseline is set when the finding was in the baseline report.
	InBaseline bool `json:"in_baseline"`
	// LicenseChoice is, for a source licensed under a choice of licenses
	// ("MIT OR GPL-3.0-only"), the choice the verdict was made on: in
	// every OR the alternative the policy treats best, and among equals
	// the least restrictive (license.Choose). Their obligations apply
	// (MIT still needs its notice). Empty when there is no choice.
	LicenseChoice string `json:"license_choice,omitempty"`
}

// Acceptance accepts findings: those in target files matching Path (a
// glob of the path Context.Rel gives; ** for any directories), and, when
// set, with a source path matching Source, a license equal to License, or
// the finding ID. It lapses after Expires (zero: never).
type Acceptance struct {
	Path    string
	Source  string
	License string
	ID      string
	Reason  string
	Expires time.Time
}

// Policy is a compiled policy.
type Policy struct {
	// Categories gives the verdict for each license category.
	Categories map[license.Category]string
	// Licenses gives verdicts for SPDX IDs (canonical), overriding their
	// category.
	Licenses map[string]string
	// Origins names the rule that set a verdict of Categories (by the
	// category's name) or Licenses, for the reasons of verdicts: a list of
	// the policy file ("licenses.deny in snipscan.toml") or a flag
	// ("--fail-on permissive"). A verdict without one is the built-in
	// policy's.
	Origins map[string]string
	// ProjectLicense is the SPDX expression of the scanned project, if
	// known: copyleft code under a license compatible with it warns (keep
	// the notices) instead of failing.
	ProjectLicense string
	// UnknownFails makes findings whose license is unknown fail.
	UnknownFails bool
	// Attribution checks permissive findings for attribution: they pass
	// when the target file or a notice file names a holder (or, with no
	// holder known, the license).
	Attribution bool
	// MinLines, MinTokens and MinMatched drop smaller findings (see Counts).
	MinLines, MinTokens int
	MinMatched          float64
	// Exclude holds the globs of target paths that are not scanned: slash
	// paths relative to the directory the policy's paths are relative to
	// (the policy file's, or one the caller decides).
	Exclude Globs
	// Unscanned is the verdict on a scan that left out files that are or
	// may be source code, because it could not read them (too large,
	// unreadable, in a damaged archive...): Fail (the default: the scan
	// cannot vouch for them) or Warn (they are listed, findings decide).
	Unscanned string
	// Rewrites is the most a rewrite finding (match.KindRewrite) of
	// failing code does: Warn (the default: a rewrite is a probable
	// derivation, not proof, and a person decides) or Fail.
	Rewrites string
	// Accept lists accepted findings.
	Accept []Acceptance
	// File is the policy file the policy came from; "" for the built-in one.
	File string
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
	}, Licenses: map[string]string{}, Origins: map[string]string{}, Attribution: true, Unscanned: Fail, Rewrites: Warn}
}

// UnscannedVerdict returns the verdict on unscanned files under
// --fail-on failOn: the policy's Unscanned, made Fail by "warn" (warnings
// fail too) and Warn by "never" (nothing fails).
func (p *Policy) UnscannedVerdict(failOn string) string {
	switch {
	case failOn == "never":
		return Warn
	case failOn == "warn" || p.Unscanned != Warn:
		return Fail
	}
	return Warn
}

// UnscannedOverride returns the --fail-on flag that decided the verdict
// on unscanned files instead of the policy's Unscanned ("--fail-on never",
// which makes them warn, or "--fail-on warn", which makes the policy's
// warning fail), or "" when the policy's Unscanned decided.
func (p *Policy) UnscannedOverride(failOn string) string {
	switch {
	case failOn == "never" && p.Unscanned != Warn:
		return "--fail-on never"
	case failOn == "warn" && p.Unscanned == Warn:
		return "--fail-on warn"
	}
	return ""
}

// Counts reports whether f is large enough to count under the policy's
// minimum size. A rewrite shares no tokens with its source: the minimum
// share matched does not apply to it.
func (p *Policy) Counts(f *match.Finding) bool {
	return f.Lines[1]-f.Lines[0]+1 >= p.MinLines && f.Tokens >= p.MinTokens && (f.Matched >= p.MinMatched || f.Kind == match.KindRewrite)
}

// Context is what an Evaluator needs besides the policy.
type Context struct {
	// Now decides which acceptances expired.
	Now time.Time
	// Rel, if set, returns the path of a target that the policy's path
	// globs (accept's path) are matched against; nil: the target path
	// itself.
	Rel func(target string) string
	// Key, if set, returns the path of a target that its findings' IDs
	// are computed from (match.Finding.ID), so that they do not depend on
	// how the scanned PATH was spelled; nil: the target path itself.
	Key func(target string) string
	// Baseline holds the IDs of the findings of a previous report; they
	// are accepted. BaselineFile names it in reasons. LegacyBaseline
	// says its IDs were computed from the target paths as displayed (a
	// report written before IDs used Key).
	Baseline       map[string]bool
	BaselineFile   string
	LegacyBaseline bool
	// ReadTarget returns a target file's content for attribution checks;
	// nil skips them.
	ReadTarget func(path string) ([]byte, error)
	// Notices returns the texts of the notice files (NOTICE,
	// THIRD_PARTY...) that may attribute the code of a target, by path:
	// those of its own scanned root and repository, not another's. nil:
	// no notice file attributes anything.
	Notices func(target string) map[string]string
	// FailOn moves the line between warn and fail: "fail" (default),
	// "warn" (warnings fail too) or "never" (nothing fails).
	FailOn string
}

// Evaluator evaluates a policy on findings.
type Evaluator struct {
	p       *Policy
	c       Context
	targets map[string]string // target path -> lower-case content, for attribution
	notices map[string]string // notice path -> lower-case content
	inBase  int               // findings evaluated whose ID is in the baseline
}

// Evaluator returns an evaluator of p in context c.
func (p *Policy) Evaluator(c Context) *Evaluator {
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	return &Evaluator{p: p, c: c, targets: map[string]string{}, notices: map[string]string{}}
}

// Evaluate returns the verdict on f with the built-in context (no
// baseline, no attribution check).
func (p *Policy) Evaluate(f *match.Finding) Decision {
	return p.Evaluator(Context{}).Evaluate("", f)
}

// ID returns the ID of f, found in the target file at path target: the
// hash of its Key (see Context.Key).
func (e *Evaluator) ID(target string, f *match.Finding) string {
	if e.c.Key != nil {
		return f.ID(e.c.Key(target))
	}
	return f.ID(target)
}

// BaselineMatches returns how many of the findings evaluated so far are
// in the baseline, whatever their verdict.
func (e *Evaluator) BaselineMatches() int { return e.inBase }

// rel returns the path of target that the policy's globs match
// (Context.Rel).
func (e *Evaluator) rel(target string) string {
	if e.c.Rel != nil {
		return e.c.Rel(target)
	}
	return target
}

// Evaluate returns the verdict on f, found in the target file at path
// target.
func (e *Evaluator) Evaluate(target string, f *match.Finding) Decision {
	p := e.p
	lic := f.Source.License
	cat := license.CategoryOf(lic)
	d := Decision{Reasons: []string{}, Category: cat.String()}
	// IDs written before Context.Key (the target path as displayed) still
	// name their findings: in a baseline that says so, and in acceptances.
	id, shown := e.ID(target, f), f.ID(target)
	baseID := id
	if e.c.LegacyBaseline {
		baseID = shown
	}
	inBase := e.c.Baseline[baseID]
	if inBase {
		e.inBase++
	}
	var lapsed []string
	for _, a := range p.Accept {
		if !e.accepts(a, target, id, shown, f) {
			continue
		}
		if !a.Expires.IsZero() && e.c.Now.After(a.Expires.Add(24*time.Hour-time.Nanosecond)) {
			lapsed = append(lapsed, fmt.Sprintf("acceptance expired on %s (%s)", a.Expires.Format(time.DateOnly), a.Reason))
			continue
		}
		d.Verdict = Accepted
		d.Reasons = append(d.Reasons, "accepted: "+a.Reason)
		if !a.Expires.IsZero() {
			d.Reasons = append(d.Reasons, "until "+a.Expires.Format(time.DateOnly))
		}
		return d
	}
	lv, lic := e.closestVerdict(target, f)
	d.Verdict, d.Reasons, d.LicenseChoice = lv.verdict, lv.reasons, lv.choice
	d.Category = license.CategoryOf(lic).String()
	if lv.choice != "" {
		d.Category = license.CategoryOf(lv.choice).String()
	}
	d.Reasons = append(lapsed, d.Reasons...)
	if f.Kind == match.KindRewrite && d.Verdict == Fail && p.Rewrites != Fail {
		d.Verdict = Warn
		d.Reasons = append(d.Reasons, "a rewrite is a probable derivation, not proof: review it (rewrites = \"fail\" in a policy file makes it fail)")
	}
	if inBase && d.Verdict != Pass {
		d.InBaseline = true
		d.Verdict = Accepted
		d.Reasons = append(d.Reasons, "in the baseline "+e.c.BaselineFile)
		return d
	}
	switch {
	case e.c.FailOn == "warn" && d.Verdict == Warn:
		d.Verdict = Fail
		d.Reasons = append(d.Reasons, "warnings fail (--fail-on warn)")
	case e.c.FailOn == "never" && d.Verdict == Fail:
		d.Verdict = Warn
		d.Reasons = append(d.Reasons, "nothing fails (--fail-on never)")
	}
	return d
}

// accepts reports whether acceptance a covers f, whose ID is id (or,
// computed the way older reports did, shown).
func (e *Evaluator) accepts(a Acceptance, target, id, shown string, f *match.Finding) bool {
	if a.ID != "" && a.ID != id && a.ID != shown {
		return false
	}
	if a.Path != "" {
		if ok, _ := doublestar.Match(a.Path, e.rel(target)); !ok {
			return false
		}
	}
	if a.Source != "" {
		if ok, _ := doublestar.Match(a.Source, f.Source.Path); !ok {
			return false
		}
	}
	if a.License != "" && !strings.EqualFold(a.License, f.Source.License) {
		return false
	}
	return true
}

// licenseOutcome is the verdict licenseVerdict reaches.
type licenseOutcome struct {
	verdict string
	reasons []string
	choice  string // the licenses chosen among alternatives; "" without a choice
}

// licenseVerdict decides by the source's license: every license of the
// expression gets a verdict (an SPDX ID rule, else compatibility with the
// project's license, else its category's); of an OR the licensee's
// choice counts (the mildest verdict, the least restrictive license among
// equals: license.Choose), of an AND the worst. The reasons name the
// choice and speak of the chosen licenses only.
// closestVerdict returns the license verdict on f's source, or on an
// alternate closer to the target than that source (match.Source.Closer:
// the source is the original of a copy that matches better, and the
// target may hold what the copy changed) when that verdict is worse, with
// the license it was made on.
func (e *Evaluator) closestVerdict(target string, f *match.Finding) (licenseOutcome, string) {
	lv, lic := e.licenseVerdict(target, f), f.Source.License
	for _, alt := range f.AlternateSources {
		if !alt.Closer {
			continue
		}
		g := *f
		g.Source = alt
		av := e.licenseVerdict(target, &g)
		if severity(av.verdict) > severity(lv.verdict) {
			av.reasons = append(av.reasons, fmt.Sprintf("%s matches this code better than %s, its original", alt.Path, f.Source.Path))
			lv, lic = av, alt.License
		}
	}
	return lv, lic
}

func (e *Evaluator) licenseVerdict(target string, f *match.Finding) licenseOutcome {
	p := e.p
	lic := f.Source.License
	if lic == "" {
		v := e.unknown()
		return licenseOutcome{verdict: v, reasons: []string{"the source's license is unknown", p.unknownRule(v)}}
	}
	choice, sev, err := license.Choose(lic, func(l license.Leaf) int {
		v, _ := e.leafVerdict(l)
		return severity(v)
	})
	if err != nil {
		v := e.unknown()
		return licenseOutcome{verdict: v, reasons: []string{fmt.Sprintf("%s is unknown", lic), p.unknownRule(v)}}
	}
	out := licenseOutcome{verdict: verdictOf[sev]}
	named := lic
	if strings.Contains(license.Normalize(lic), " OR ") {
		out.choice, named = choice, choice
		out.reasons = append(out.reasons, fmt.Sprintf("licensed %s; evaluated as %s, the least restrictive choice", lic, choice))
	}
	cat := license.CategoryOf(named)
	var ruled, compatible, narrows []string
	leaves, _ := license.Leaves(named)
	for _, l := range leaves {
		switch v, why := e.leafVerdict(l); why {
		case whyRule:
			ruled = append(ruled, p.idRule(l, v))
		case whyCompatible:
			compatible = append(compatible, fmt.Sprintf("%s is compatible with the project's license %s: keep the notices", l.String(), p.ProjectLicense))
		case whyNarrows:
			narrows = append(narrows, fmt.Sprintf("%s is compatible with some of the licenses the project offers (%s), not with all: it would take the choice away", l.String(), p.ProjectLicense))
		}
	}
	where := "" // where the source is attributed, when it is
	if len(ruled) == 0 && (cat == license.Permissive || len(compatible) > 0) && out.verdict != Fail {
		where = e.attributed(target, f)
	}
	if cat == license.Permissive && where == "" {
		out.reasons = append(out.reasons, fmt.Sprintf("%s requires attribution: keep the copyright and license notice", named))
	} else {
		out.reasons = append(out.reasons, fmt.Sprintf("%s is %s", named, cat))
	}
	out.reasons = append(out.reasons, ruled...)
	out.reasons = append(out.reasons, compatible...)
	out.reasons = append(out.reasons, narrows...)
	if len(ruled) == 0 && len(compatible) == 0 && p.category(cat) == out.verdict {
		// The category's rule decided: name it.
		out.reasons = append(out.reasons, p.categoryRule(cat, out.verdict, where != ""))
	}
	if where != "" {
		if out.verdict == Warn {
			out.verdict = Pass
		}
		out.reasons = append(out.reasons, "attributed in "+where)
	}
	return out
}

// Why a license got its verdict.
const (
	whyCategory   = iota // its category's verdict
	whyRule              // an SPDX ID rule of the policy
	whyCompatible        // compatible with the project's license
	whyNarrows           // its category's verdict: compatible with some of the project's choice of licenses only
)

// leafVerdict returns the verdict on one license and why.
func (e *Evaluator) leafVerdict(l license.Leaf) (string, int) {
	p := e.p
	if _, v, ok := p.licenseRule(l.ID); ok {
		return v, whyRule
	}
	c := l.Category()
	copyleft := c >= license.WeakCopyleft && c <= license.NetworkCopyleft
	if copyleft && compatibleWith(p.ProjectLicense, l) {
		return Warn, whyCompatible
	}
	if c == license.Unknown && p.UnknownFails {
		return Fail, whyCategory
	}
	if copyleft && p.ProjectLicense != "" && compatibleWithSome(p.ProjectLicense, l) {
		return p.category(c), whyNarrows
	}
	return p.category(c), whyCategory
}

// licenseRule returns the policy's rule for the license id (canonical):
// the rule on id itself, else, for an -or-later ID, the rule on the same
// license's -only ID (see Covering). key is the ID the rule is set on.
func (p *Policy) licenseRule(id string) (key, verdict string, ok bool) {
	if v, ok := p.Licenses[id]; ok {
		return id, v, true
	}
	if only := Covering(id); only != "" {
		if v, ok := p.Licenses[only]; ok {
			return only, v, true
		}
	}
	return "", "", false
}

// Covering returns the ID whose rule also covers the license id, when
// id has no rule of its own: for an -or-later ID, the same license's
// -only ID (GPL-3.0-only for GPL-3.0-or-later), since the licensee may
// take the code under that version; a deprecated bare ID (GPL-3.0) is
// read as its -only ID, so it covers both. "" for other IDs.
func Covering(id string) string {
	if base, ok := strings.CutSuffix(id, "-or-later"); ok {
		return base + "-only"
	}
	return ""
}

// unknown is the verdict on a source whose license is unknown.
func (e *Evaluator) unknown() string {
	if e.p.UnknownFails {
		return Fail
	}
	return e.p.category(license.Unknown)
}

func ruleWord(v string) string {
	switch v {
	case Fail:
		return "denied"
	case Warn:
		return "warned about"
	}
	return "allowed"
}

// category returns the verdict for category c.
func (p *Policy) category(c license.Category) string {
	if v, ok := p.Categories[c]; ok {
		return v
	}
	return Warn
}

// attributed returns where f's source is attributed (the target file or a
// notice file), or "".
func (e *Evaluator) attributed(target string, f *match.Finding) string {
	if !e.p.Attribution || e.c.ReadTarget == nil {
		return ""
	}
	names := slices.Clone(f.Source.Holders)
	if len(names) == 0 {
		names = append(names, f.Source.License)
	}
	text, ok := e.targets[target]
	if !ok {
		data, err := e.c.ReadTarget(target)
		if err == nil {
			text = strings.ToLower(string(data))
		}
		e.targets[target] = text
	}
	if mentions(text, names) {
		return "the target file"
	}
	if e.c.Notices == nil {
		return ""
	}
	texts := e.c.Notices(target)
	for _, p := range slices.Sorted(maps.Keys(texts)) {
		lower, ok := e.notices[p]
		if !ok {
			lower = strings.ToLower(texts[p])
			e.notices[p] = lower
		}
		if mentions(lower, names) {
			return p
		}
	}
	return ""
}

// mentions reports whether the lower-case text names any of names.
func mentions(text string, names []string) bool {
	for _, n := range names {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" && strings.Contains(text, n) {
			return true
		}
	}
	return false
}

// IsAttributionFile reports whether a base name names a file that carries
// third-party attributions: a notice file (license.IsNoticeFile), or
// CREDITS, ATTRIBUTION(S), ACKNOWLEDGEMENTS, THIRD_PARTY / THIRD-PARTY
// files, with or without a text extension.
func IsAttributionFile(name string) bool {
	if license.IsNoticeFile(name) {
		return true
	}
	n := strings.ToLower(name)
	if i := strings.LastIndexByte(n, '.'); i > 0 {
		switch n[i:] {
		case ".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".adoc":
			n = n[:i]
		}
	}
	n = strings.NewReplacer("-", "_", " ", "_").Replace(n)
	switch n {
	case "credits", "attribution", "attributions", "acknowledgements", "acknowledgments",
		"third_party", "thirdparty", "third_party_notice", "third_party_licenses", "third_party_notices", "licenses_third_party":
		return true
	}
	return false
}

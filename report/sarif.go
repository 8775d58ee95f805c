package report

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/policy"
)

// SARIF constants. The rule ids and the fingerprint key are part of the
// output's contract: code-scanning services match results across runs by
// them, so they never change.
const (
	// SARIFSchemaURI is the official SARIF 2.1.0 schema (with errata 01),
	// written as the document's $schema.
	SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// SARIFInformationURI is the tool's home, written as the driver's
	// informationUri.
	SARIFInformationURI = "https://github.com/snipscan/snipscan"
	// SARIFRulePrefix starts every rule id; the license category follows
	// ("snipscan/strong-copyleft").
	SARIFRulePrefix = "snipscan/"
	// SARIFFingerprintKey names the partial fingerprint that carries a
	// finding's stable id (Match.ID).
	SARIFFingerprintKey = "snipscanFinding/v1"
	// SARIFSourceRoot is the uriBaseId of the source locations: a source
	// path is relative to the root it was indexed from (Source.Root, in the
	// location's properties), not to the scanned project.
	SARIFSourceRoot = "SNIPSCAN_CORPUS"
	// sarifSrcRoot is the well-known base of relative target paths: the
	// directory the scan ran in, which is the repository's root in CI.
	sarifSrcRoot = "%SRCROOT%"
)

// SARIF writes doc as a SARIF 2.1.0 log for code-scanning services such as
// GitHub code scanning. It has one run, one rule per license category
// (SARIFRulePrefix + the category's name) and one result per finding:
// level error, warning or note for the verdicts fail, warn and pass or
// accepted (an accepted finding also carries an accepted suppression); the
// target file and lines as location; the source file and lines as related
// location; the finding's id as partial fingerprint (SARIFFingerprintKey);
// and the finding's shares, license (and license_choice, the licenses the
// verdict was made on), verdict, in_baseline and alternates as properties.
// The run's properties count, as the JSON summary does, the files left out
// (files_skipped, excluded, ignored, files_not_code) and the findings not
// listed (below_minimum, outside_diff).
// The rule is that of the license category the verdict was made on. A
// source that changed or is gone since it was indexed has the property
// source_changed or source_gone, on the result and its related location,
// and the message says so; its region is the lines indexed, without any
// text of the file as it is now. Files the scan could not read, and
// corpora it read unfinished, are the invocation's tool execution
// notifications.
func SARIF(w io.Writer, doc *Document) error {
	log := sarif.NewReport()
	log.Schema = SARIFSchemaURI
	log.AddRun(sarifRun(doc))
	if err := log.PrettyWrite(w); err != nil {
		return fmt.Errorf("report: sarif: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("report: sarif: %w", err)
	}
	return nil
}

func sarifRun(doc *Document) *sarif.Run {
	name := doc.Tool.Name
	if name == "" {
		name = "snipscan"
	}
	run := sarif.NewRunWithInformationURI(name, SARIFInformationURI)
	if doc.Tool.Version != "" {
		run.Tool.Driver.WithVersion(doc.Tool.Version)
	}
	for _, c := range categories() {
		short, full, help := ruleText(c)
		run.AddRule(SARIFRulePrefix + c.String()).
			WithName(ruleName(c)).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(short)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(full)).
			WithHelp(sarif.NewMultiformatMessageString().WithText(help)).
			WithProperties(sarif.NewPropertyBag().WithTags([]string{"license", "reuse", c.String()}))
	}
	for _, f := range doc.Files {
		for i := range f.Matches {
			sarifResult(run, f.Path, &f.Matches[i])
		}
	}
	if inv := sarifInvocation(doc); inv != nil {
		run.AddInvocation(inv)
	}
	props := sarif.NewPropertyBag()
	for _, c := range leftOutCounts(doc) {
		props.Add(c.name, c.n)
	}
	run.WithProperties(props)
	return run
}

// sarifInvocation returns the run's invocation when the scan did not
// cover everything, else nil: a tool execution notification for every
// file it could not read (with the file as location; level error when
// they fail the scan, else warning) and for every corpus read unfinished;
// execution is not successful when unscanned files fail the scan.
func sarifInvocation(doc *Document) *sarif.Invocation {
	if len(doc.Unscanned) == 0 && len(doc.IncompleteCorpus) == 0 {
		return nil
	}
	inv := sarif.NewInvocation().WithExecutionSuccessful(!doc.UnscannedFails())
	for _, c := range doc.IncompleteCorpus {
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(sarif.LevelWarning).
			WithMessage(sarif.NewTextMessage(capitalize(incompleteLine(c)) + ".")).
			WithProperties(sarif.NewPropertyBag().Add("corpus", c.Path)))
	}
	level := sarif.LevelWarning
	if doc.UnscannedFails() {
		level = sarif.LevelError
	}
	for _, u := range doc.Unscanned {
		uri, base := targetURI(u.Path)
		loc := sarif.NewArtifactLocation().WithURI(uri)
		if base != "" {
			loc.WithURIBaseID(base)
		}
		props := sarif.NewPropertyBag().Add("reason", u.Reason).Add("verdict", doc.Summary.UnscannedVerdict)
		if u.Error != "" {
			props.Add("error", u.Error)
		}
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(level).
			WithMessage(sarif.NewTextMessage("Not scanned: " + unscannedLine(u) + ". It may hold copied code.")).
			AddLocation(sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(loc))).
			WithProperties(props))
	}
	return inv
}

// sarifResult adds the result for finding m in the target file at target.
func sarifResult(run *sarif.Run, target string, m *Match) {
	s := m.Source
	cat := categoryOf(m)
	res := run.CreateResultForRule(SARIFRulePrefix + cat.String()).
		WithLevel(sarifLevel(m.Policy.Verdict)).
		WithMessage(sarif.NewTextMessage(sarifMessage(target, m))).
		WithPartialFingerprints(map[string]string{SARIFFingerprintKey: m.ID})

	uri, base := targetURI(target)
	loc := sarif.NewArtifactLocation().WithURI(uri)
	if base != "" {
		loc.WithURIBaseID(base)
	}
	region := sarif.NewSimpleRegion(m.Lines[0], m.Lines[1])
	if m.Bytes[1] > m.Bytes[0] {
		region.WithByteOffset(m.Bytes[0]).WithByteLength(m.Bytes[1] - m.Bytes[0])
	}
	res.AddLocation(sarif.NewLocationWithPhysicalLocation(
		sarif.NewPhysicalLocation().WithArtifactLocation(loc).WithRegion(region)))

	srcProps := sarif.NewPropertyBag().Add("purl", s.PURL).Add("package", s.Package).Add("version", s.Version)
	if s.Root != "" {
		srcProps.Add("root", s.Root)
	}
	sarifSourceState(srcProps, s)
	srcMsg := sourceLabel(s)
	if note := sourceNote(s); note != "" {
		srcMsg += "; " + note
	}
	srcLoc := sarif.NewArtifactLocation().WithURI(relativeURI(s.Path)).WithURIBaseID(SARIFSourceRoot)
	res.AddRelatedLocation(sarif.NewLocationWithPhysicalLocation(
		sarif.NewPhysicalLocation().WithArtifactLocation(srcLoc).WithRegion(sarif.NewSimpleRegion(s.Lines[0], s.Lines[1]))).
		WithMessage(sarif.NewTextMessage(srcMsg)).
		WithProperties(srcProps))

	props := sarif.NewPropertyBag().
		Add("kind", m.Kind).
		Add("matched", m.Matched).
		Add("exact", m.Exact).
		Add("tokens", m.Tokens).
		Add("license", s.License).
		Add("license_source", s.LicenseSource).
		Add("category", cat.String()).
		Add("purl", s.PURL).
		Add("holders", holders(s)).
		Add("verdict", m.Policy.Verdict).
		Add("reasons", nonNil(m.Policy.Reasons)).
		Add("in_baseline", m.Policy.InBaseline).
		Add("alternates", m.Alternates)
	if m.Policy.LicenseChoice != "" {
		props.Add("license_choice", m.Policy.LicenseChoice)
	}
	if m.Kind == "rewrite" {
		props.Add("function", m.Function).Add("similarity", m.Similarity).Add("confidence", m.Confidence).Add("evidence", nonNil(m.Evidence))
	}
	sarifSourceState(props, s)
	res.WithProperties(props)

	if m.Policy.Verdict == policy.Accepted {
		just := "accepted by the policy"
		if len(m.Policy.Reasons) > 0 {
			just = strings.Join(m.Policy.Reasons, "; ")
		}
		res.AddSuppression(sarif.NewSuppression().WithKind("external").WithStatus("accepted").WithJustification(just))
	}
}

// sarifSourceState adds to props the source_changed or source_gone
// property of a source that changed or is gone since it was indexed, as
// the JSON report has them.
func sarifSourceState(props *sarif.PropertyBag, s Source) {
	if s.SourceChanged {
		props.Add("source_changed", true)
	}
	if s.SourceGone {
		props.Add("source_gone", true)
	}
}

// categories lists every license category, in their order.
func categories() []license.Category {
	var out []license.Category
	for c := license.Category(0); ; c++ {
		if _, err := c.MarshalText(); err != nil {
			return out
		}
		out = append(out, c)
	}
}

// ruleName turns a category's name into a rule name: "strong-copyleft"
// becomes "StrongCopyleftCode".
func ruleName(c license.Category) string {
	var b strings.Builder
	for _, part := range strings.Split(c.String(), "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String() + "Code"
}

// ruleText returns the short and full description of a category's rule,
// and the help text saying what to do about a finding.
func ruleText(c license.Category) (short, full, help string) {
	switch c {
	case license.Unknown:
		return "Code reused from a source whose license is unknown",
			"The reused code comes from a file whose license snipscan could not determine, or whose license expression it does not classify. Code without a license grants no right to copy it.",
			"Find the code's origin and its license (the package's repository, its license file, the file's header). Keep the code only if that license allows it, with the obligations it brings; otherwise remove or rewrite it."
	case license.Unrestricted:
		return "Code reused from a source without license conditions",
			"The reused code is in the public domain or under a license without conditions (CC0-1.0, Unlicense, 0BSD, MIT-0, ...).",
			"Nothing is required. A comment naming the origin helps later readers and future license reviews."
	case license.Permissive:
		return "Code reused from a permissively licensed source: attribution required",
			"The reused code is under a permissive license (MIT, BSD, Apache-2.0, ISC, ...): it may be reused, also in proprietary products, provided its copyright and license notice are kept.",
			"Keep the source's copyright and license notice: in the file's header, or in the product's third-party notices. Apache-2.0 also asks to keep its NOTICE file and to mark changed files."
	case license.WeakCopyleft:
		return "Code reused from a weak-copyleft source",
			"The reused code is under a weak copyleft license (LGPL, MPL, EPL, CDDL, ...): changes to the licensed files or library must be shared under the same license, while the rest of the program may keep its own.",
			"Keep the reused code in its own files or library under its original license and notices, and publish the changes made to it; or replace it. Check with whoever approves licenses how the product is distributed."
	case license.StrongCopyleft:
		return "Code reused from a strong-copyleft source",
			"The reused code is under a strong copyleft license (GPL, ...): a program that contains it may be distributed only as a whole under the same license, with its source code.",
			"Remove the reused code, or have it rewritten by someone who has not read the original, unless the product is itself distributed under a compatible license. Ask whoever approves licenses before releasing."
	case license.NetworkCopyleft:
		return "Code reused from a network-copyleft source",
			"The reused code is under a network copyleft license (AGPL, SSPL, EUPL, ...): a program that contains it must be offered with its source code under the same license, even to users who only reach it over a network.",
			"Remove the reused code, or have it rewritten by someone who has not read the original, unless the product and the service that runs it are themselves offered under a compatible license. Ask whoever approves licenses before deploying."
	case license.NonCommercial:
		return "Code reused from a non-commercial or source-available source",
			"The reused code is under a license that forbids commercial use or modification, or only makes the source available (CC-BY-NC, CC-BY-ND, PolyForm Noncommercial, Commons Clause, BUSL-1.1, ...).",
			"Remove the reused code, or obtain a commercial license from its copyright holders."
	}
	return "Code reused from a " + c.String() + " source",
		"The reused code is under a license of category " + c.String() + ".",
		"Check the source's license and what it requires before keeping the code."
}

// sarifLevel maps a policy verdict onto a SARIF level.
func sarifLevel(verdict string) string {
	switch verdict {
	case policy.Fail:
		return sarif.LevelError
	case policy.Pass, policy.Accepted:
		return sarif.LevelNote
	}
	return sarif.LevelWarning
}

// sarifMessage says what finding m in the target file is: its first
// sentence names the source, the rest the shares and the policy's reasons.
func sarifMessage(target string, m *Match) string {
	s := m.Source
	var b strings.Builder
	switch m.Kind {
	case "file":
		fmt.Fprintf(&b, "%s is a copy of %s", target, sourceLabel(s))
	case "rewrite":
		fmt.Fprintf(&b, "%s lines %d-%d (%s) are a probable rewrite of %s", target, m.Lines[0], m.Lines[1], m.Function, sourceLabel(s))
	default:
		fmt.Fprintf(&b, "%s lines %d-%d are reused from %s", target, m.Lines[0], m.Lines[1], sourceLabel(s))
	}
	lic := s.License
	if lic == "" {
		lic = "unknown"
	}
	fmt.Fprintf(&b, ", license %s", lic)
	if h := holders(s); len(h) > 0 {
		fmt.Fprintf(&b, ", copyright %s", strings.Join(h, "; "))
	}
	if m.Kind == "rewrite" {
		fmt.Fprintf(&b, ". Similarity %.2f, confidence %.2f; both use %s.", m.Similarity, m.Confidence, strings.Join(m.Evidence, " "))
	} else {
		fmt.Fprintf(&b, ". %s matched, %s verbatim.", pct(m.Matched), pct(m.Exact))
	}
	if note := sourceNote(s); note != "" {
		fmt.Fprintf(&b, " %s.", capitalize(note))
	}
	for _, r := range m.Policy.Reasons {
		fmt.Fprintf(&b, " %s.", capitalize(strings.TrimSuffix(r, ".")))
	}
	return b.String()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// sourceLabel names a source: its path and lines, and its package.
func sourceLabel(s Source) string {
	label := fmt.Sprintf("%s lines %d-%d", s.Path, s.Lines[0], s.Lines[1])
	if pkg := packageLabel(s); pkg != "" {
		label += " (" + pkg + ")"
	}
	return label
}

// holders returns a source's copyright holders, else its copyright lines.
func holders(s Source) []string {
	if len(s.Holders) > 0 {
		return s.Holders
	}
	return nonNil(s.Copyrights)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// targetURI turns a target path into an artifact location's uri and
// uriBaseId: a relative path stays relative, to %SRCROOT% (where the scan
// ran); an absolute path becomes a file URI without a base.
func targetURI(p string) (uri, base string) {
	if filepath.IsAbs(p) {
		slashed := filepath.ToSlash(p)
		if !strings.HasPrefix(slashed, "/") {
			slashed = "/" + slashed // a Windows drive letter: file:///C:/...
		}
		return (&url.URL{Scheme: "file", Path: slashed}).String(), ""
	}
	return relativeURI(p), sarifSrcRoot
}

// relativeURI turns a relative path into a relative URI reference, with
// forward slashes and the characters a URI cannot hold percent-encoded.
func relativeURI(p string) string {
	return (&url.URL{Path: path.Clean(filepath.ToSlash(p))}).String()
}

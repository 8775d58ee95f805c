package report

// What every format says about the limits of a scan: the files it could
// not read (Document.Unscanned) and a corpus it read unfinished
// (Document.IncompleteCorpus).

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/snipscan/snipscan/policy"
)

// Unscanned is a file that is, or may be, source code and that the scan
// could not read: it may hold copied code the report cannot show.
type Unscanned struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`          // a skip reason: "too large", "unreadable", "special file", "corrupt archive"...
	Error  string `json:"error,omitempty"` // the underlying error, when there is one
}

// IncompleteCorpus is a corpus database that an index or merge run began
// to write and did not finish, scanned as it was (scan
// --allow-incomplete): findings of the code it misses are missing.
type IncompleteCorpus struct {
	Path    string    `json:"path"`
	Started time.Time `json:"started"` // when the unfinished run started
}

// UnscannedFails reports whether the unscanned files fail the scan (the
// policy's unscanned = "fail").
func (d *Document) UnscannedFails() bool {
	return len(d.Unscanned) > 0 && d.Summary.UnscannedVerdict == policy.Fail
}

// SetUnscanned records the files the scan could not read and the
// policy's verdict on them (policy.Fail or policy.Warn).
func (d *Document) SetUnscanned(files []Unscanned, verdict string) {
	d.Unscanned = files
	d.Summary.Unscanned = len(files)
	d.Summary.UnscannedVerdict = ""
	if len(files) > 0 {
		d.Summary.UnscannedVerdict = verdict
	}
}

// maxUnscannedListed is how many unscanned files the text and Markdown
// reports list; the others are counted (JSON and SARIF list them all).
const maxUnscannedListed = 20

// unscannedHeadline says how many files could not be scanned and what
// that does to the scan.
func unscannedHeadline(d *Document) string {
	n := len(d.Unscanned)
	s := fmt.Sprintf("%s file%s could not be scanned", Count(n), plural(n))
	they := "they"
	if n == 1 {
		they = "it"
	}
	if d.UnscannedFails() {
		return s + UnscannedRule(true, d.Summary.UnscannedBy, "") + ", since " + they + " may hold copied code"
	}
	return s + UnscannedRule(false, d.Summary.UnscannedBy, "") + "; " + they + " may hold copied code"
}

// UnscannedRule says what unscanned files do to the scan and which rule
// decided: the policy's unscanned key, or the flag by (see
// Summary.UnscannedBy). fix, if set, is said after a policy that fails
// the scan (how to only list them). The clause follows the count of the
// files: ": the policy fails the scan (unscanned = "fail")".
func UnscannedRule(fails bool, by, fix string) string {
	if fix != "" {
		fix = "; " + fix
	}
	switch {
	case fails && by != "":
		return ": " + by + ` fails the scan (warnings fail, and the policy warns on them: unscanned = "warn")`
	case fails:
		return `: the policy fails the scan (unscanned = "fail"` + fix + ")"
	case by != "":
		return " (they only warn: " + by + " fails nothing)"
	}
	return ` (the policy warns: unscanned = "warn")`
}

// incompleteLine says that a corpus was read unfinished.
func incompleteLine(c IncompleteCorpus) string {
	return fmt.Sprintf("the corpus %s is incomplete: an index or merge run that started %s did not finish, "+
		"so findings of the code it was still to add are missing; run it again to complete the corpus",
		c.Path, c.Started.UTC().Format(time.RFC3339))
}

// unscannedLine describes one unscanned file.
func unscannedLine(u Unscanned) string {
	if u.Error != "" {
		return u.Path + ": " + u.Reason + ": " + u.Error
	}
	return u.Path + ": " + u.Reason
}

// textLimits writes, under the summary of the text report, the corpora
// read unfinished and the files that could not be scanned, each after a
// blank line.
func textLimits(w io.Writer, d *Document, paint func(code, s string) string) {
	for _, c := range d.IncompleteCorpus {
		fmt.Fprintf(w, "\n%s %s\n", paint(verdictColor[policy.Warn], "WARNING:"), incompleteLine(c))
	}
	if len(d.Unscanned) == 0 {
		return
	}
	label, code := "WARNING:", verdictColor[policy.Warn]
	if d.UnscannedFails() {
		label, code = "FAIL:", verdictColor[policy.Fail]
	}
	fmt.Fprintf(w, "\n%s %s:\n", paint(code, label), unscannedHeadline(d))
	for i, u := range d.Unscanned {
		if i == maxUnscannedListed {
			fmt.Fprintf(w, "  ... %s more (--format json lists them all)\n", Count(len(d.Unscanned)-i))
			break
		}
		fmt.Fprintf(w, "  %s\n", unscannedLine(u))
	}
}

// markdownLimits writes the corpora read unfinished and the files that
// could not be scanned, as Markdown.
func markdownLimits(w io.Writer, d *Document) {
	for _, c := range d.IncompleteCorpus {
		fmt.Fprintf(w, "**Warning:** %s.\n\n", mdEscape(incompleteLine(c)))
	}
	if len(d.Unscanned) == 0 {
		return
	}
	head := mdEscape(unscannedHeadline(d)) + "."
	if d.UnscannedFails() {
		head = "**" + head + "**"
	}
	fmt.Fprintf(w, "%s\n\n| file | reason |\n|---|---|\n", head)
	for i, u := range d.Unscanned {
		if i == maxUnscannedListed {
			fmt.Fprintf(w, "\n%s more not shown; the JSON and SARIF reports list them all.\n", Count(len(d.Unscanned)-i))
			break
		}
		reason := u.Reason
		if u.Error != "" {
			reason += ": " + u.Error
		}
		fmt.Fprintf(w, "| %s | %s |\n", mdEscape(u.Path), mdEscape(reason))
	}
	fmt.Fprintln(w)
}

// sbomLimits says, for the comments of SBOM documents, what the scan did
// not cover (corpora read unfinished, files not scanned) and the findings
// it does not list; "" when it covered and lists everything.
func sbomLimits(d *Document) string {
	var parts []string
	for _, c := range d.IncompleteCorpus {
		parts = append(parts, "Warning: "+incompleteLine(c)+".")
	}
	if len(d.Unscanned) > 0 {
		var files []string
		for _, u := range d.Unscanned {
			files = append(files, unscannedLine(u))
		}
		parts = append(parts, fmt.Sprintf("%d file(s) were not scanned, so this document makes no claim about them: %s.",
			len(d.Unscanned), strings.Join(files, "; ")))
	}
	if unlisted := findingsUnlisted(d); len(unlisted) > 0 {
		parts = append(parts, "Findings the scan does not list are not in this document: "+strings.Join(unlisted, "; ")+".")
	}
	return strings.Join(parts, " ")
}

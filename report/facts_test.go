package report_test

// Every format tells the reader the same facts of a scan, each in its own
// convention: what the scan left out, the findings it does not list,
// sources that changed or are gone since they were indexed, the license
// chosen among alternatives, and a finding's reasons, baseline and
// alternates.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/spdx/tools-golang/spdx"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/report"
)

// leftOutDoc is the common report of a scan that left out files (skipped,
// excluded, ignored by git, not code) and did not list findings (below
// the policy's minimum, outside --diff).
func leftOutDoc() *report.Document {
	doc := build(results(), map[string]int{"binary": 2, "too large": 1})
	doc.Summary.Excluded, doc.Summary.Ignored, doc.Summary.FilesNotCode = 2, 3, 4
	doc.Summary.BelowMinimum, doc.Summary.OutsideDiff = 5, 1
	return doc
}

const (
	wantFilesLeftOut = "3 skipped (binary 2, too large 1); 2 excluded; 3 ignored by git; " +
		"4 not code (manifests, license and policy files, documentation, data)"
	wantUnlisted = "5 below the policy's minimum size; 1 outside the lines changed (--diff)"
)

// TestLeftOutEveryFormat: the Markdown and HTML summaries say what the
// text summary says about the files left out and the findings not listed;
// SARIF and CycloneDX carry the counts as properties, and the SBOMs and
// the notice say that the findings not listed are not in them.
func TestLeftOutEveryFormat(t *testing.T) {
	t.Parallel()
	doc := leftOutDoc()
	text := renderLimited(t, "text", doc)
	if !strings.Contains(text, "; "+wantFilesLeftOut+"; "+wantUnlisted+"; built-in policy\n") {
		t.Errorf("text summary:\n%s", text)
	}
	md := renderMarkdown(t, doc)
	for _, want := range []string{
		"Files left out: 3 skipped (binary 2, too large 1); 2 excluded; 3 ignored by git; 4 not code (manifests, license and policy files, documentation, data).\n",
		"Findings not listed: 5 below the policy's minimum size; 1 outside the lines changed (--diff).\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	page := renderLimited(t, "html", doc)
	for _, want := range []string{
		`<p class="note" id="left-out">Files left out: ` + strings.ReplaceAll(wantFilesLeftOut, "'", "&#39;") + ".</p>",
		`<p class="note" id="unlisted">Findings not listed: ` + strings.ReplaceAll(wantUnlisted, "'", "&#39;") + ".</p>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("html lacks %q", want)
		}
	}

	// SARIF and CycloneDX count them as the JSON summary does; the SBOMs'
	// comments and the notice say which findings they leave out.
	doc.Targets = []string{"src"}
	counts := map[string]int{"files_skipped": 3, "excluded": 2, "ignored": 3, "files_not_code": 4, "below_minimum": 5, "outside_diff": 1}
	data, log := renderSARIF(t, doc)
	validateSARIF(t, sarifSchema(t), data, log)
	got := map[string]int{}
	for k, v := range log.Runs[0].Properties.Properties {
		if n, ok := v.(float64); ok {
			got[k] = int(n)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(counts) {
		t.Errorf("SARIF run properties %v, want %v", log.Runs[0].Properties.Properties, counts)
	}
	bom := decodeCDX(t, cdxSchema(t), []byte(renderLimited(t, "cyclonedx-json", doc)))
	got = map[string]int{}
	for _, p := range *bom.Metadata.Properties {
		if name, ok := strings.CutPrefix(p.Name, "snipscan:"); ok && counts[name] > 0 {
			n, _ := strconv.Atoi(p.Value)
			got[name] = n
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(counts) {
		t.Errorf("CycloneDX metadata properties %v, want %v", *bom.Metadata.Properties, counts)
	}
	unlisted := "Findings the scan does not list are not in this document: " + wantUnlisted + "."
	if d := bom.Metadata.Component.Description; !strings.HasSuffix(d, " "+unlisted) {
		t.Errorf("CycloneDX project description %q", d)
	}
	if sd := parseSPDX(t, []byte(renderLimited(t, "spdx-json", doc))); !strings.HasSuffix(sd.DocumentComment, " "+unlisted) {
		t.Errorf("SPDX document comment %q", sd.DocumentComment)
	}
	if notice := renderLimited(t, "notice", doc); !strings.Contains(notice, "\nWarning: findings the scan does not list are not attributed here: "+wantUnlisted+".\n") {
		t.Errorf("notice does not say which findings it leaves out:\n%s", notice)
	}

	// A scan without findings is still one line in Markdown, which says
	// what it left out.
	clean := build([]match.Result{{Path: "a.go", Lines: 3}}, nil)
	clean.Summary.Ignored, clean.Summary.FilesNotCode, clean.Summary.BelowMinimum = 7, 2, 1
	want := "**snipscan**: no reused code found (1 file scanned); files left out: 7 ignored by git; " +
		"2 not code (manifests, license and policy files, documentation, data); findings not listed: 1 below the policy's minimum size.\n"
	if got := renderMarkdown(t, clean); got != want {
		t.Errorf("markdown of a clean scan:\n%q\nwant\n%q", got, want)
	}
	if page := renderLimited(t, "html", clean); !strings.Contains(page, `id="left-out">Files left out: 7 ignored by git; 2 not code`) ||
		!strings.Contains(page, `id="unlisted">Findings not listed: 1 below the policy&#39;s minimum size.`) {
		t.Errorf("html of a clean scan does not say what it left out")
	}
}

// staleDoc is the common report in which the BSD snippet's source file
// changed since it was indexed and the unknown-license one's is gone.
func staleDoc() *report.Document {
	res := sarifResults()
	res[0].Findings[0].Source.Changed = true
	res[2].Findings[0].Source.Gone = true
	doc := build(res, nil)
	doc.Targets = []string{"src"}
	return doc
}

// sarifResultFrom returns the SARIF result whose related location is the
// source path.
func sarifResultFrom(t *testing.T, log *sarif.Report, path string) *sarif.Result {
	t.Helper()
	for _, r := range log.Runs[0].Results {
		if len(r.RelatedLocations) > 0 && str(r.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI) == path {
			return r
		}
	}
	t.Fatalf("no SARIF result from %s", path)
	return nil
}

// TestChangedSourceEveryFormat: a finding whose source changed or is gone
// since it was indexed says so in every format, in its convention, and
// no format shows the source file's code as it is now.
func TestChangedSourceEveryFormat(t *testing.T) {
	t.Parallel()
	doc := staleDoc()
	const (
		changed = "the source file changed since it was indexed: the source lines are those indexed"
		gone    = "the source file is no longer where it was indexed: the source lines are those indexed"
	)

	t.Run("markdown", func(t *testing.T) {
		rows := findingRows(t, renderMarkdown(t, doc))
		want := map[string]string{
			"src/z.go:12-58":             "container/list/list.go:40-86 (and 2 other locations) **note:** " + changed,
			"src/a.go:3-41":              "misc/util.go:5-44 **note:** " + gone,
			"src/z.go:1-30 (whole file)": "gpl/lib.go:1-30",
		}
		for _, r := range rows {
			if w, ok := want[r[1]]; ok && r[2] != w {
				t.Errorf("source cell of %s: %q, want %q", r[1], r[2], w)
			}
		}
	})

	t.Run("sarif", func(t *testing.T) {
		data, log := renderSARIF(t, doc)
		validateSARIF(t, sarifSchema(t), data, log)
		for _, tc := range []struct {
			path, prop, other, note string
		}{
			{"container/list/list.go", "source_changed", "source_gone", changed},
			{"misc/util.go", "source_gone", "source_changed", gone},
		} {
			r := sarifResultFrom(t, log, tc.path)
			rel := r.RelatedLocations[0]
			if r.Properties.Properties[tc.prop] != true || rel.Properties.Properties[tc.prop] != true {
				t.Errorf("%s: result properties %v, related location's %v; want %s true", tc.path, r.Properties.Properties, rel.Properties.Properties, tc.prop)
			}
			if _, ok := r.Properties.Properties[tc.other]; ok {
				t.Errorf("%s: %s set too", tc.path, tc.other)
			}
			if msg := str(r.Message.Text); !strings.Contains(msg, " T"+tc.note[1:]+".") {
				t.Errorf("%s: message %q does not say %q", tc.path, msg, tc.note)
			}
			if msg := str(rel.Message.Text); !strings.HasSuffix(msg, "; "+tc.note) {
				t.Errorf("%s: related location's message %q does not say %q", tc.path, msg, tc.note)
			}
			if reg := rel.PhysicalLocation.Region; reg.Snippet != nil || reg.SourceLanguage != nil {
				t.Errorf("%s: the source region shows text: %+v", tc.path, reg)
			}
		}
		unchanged := sarifResultFrom(t, log, "gpl/lib.go")
		if _, ok := unchanged.Properties.Properties["source_changed"]; ok || strings.Contains(str(unchanged.Message.Text), "indexed") {
			t.Errorf("an unchanged source is said to have changed: %v", unchanged.Properties.Properties)
		}
		if strings.Contains(string(data), `"snippet": {`) {
			t.Errorf("the SARIF log holds a snippet of code")
		}
	})

	t.Run("notice", func(t *testing.T) {
		notice := renderLimited(t, "notice", doc)
		for _, want := range []string{
			"  src/z.go lines 12-58 (from container/list/list.go lines 40-86)\n    Note: the source file changed since it was indexed; the lines are those indexed. Check this entry again.\n",
			"  src/a.go lines 3-41 (from misc/util.go lines 5-44)\n    Note: the source file is no longer where it was indexed; the lines are those indexed. Check this entry again.\n",
			"  src/z.go lines 1-30 (from gpl/lib.go lines 1-30)\n\n",
		} {
			if !strings.Contains(notice, want) {
				t.Errorf("notice lacks %q:\n%s", want, notice)
			}
		}
	})

	t.Run("spdx", func(t *testing.T) {
		sd := parseSPDX(t, []byte(renderLimited(t, "spdx-json", doc)))
		bySnippet := map[string]spdx.Snippet{}
		for _, s := range sd.Snippets {
			bySnippet[string(s.SnippetSPDXIdentifier)] = s
		}
		notes := map[string]string{}
		for _, f := range sd.Files {
			for _, a := range f.Annotations {
				if a.Annotator.AnnotatorType != "Tool" || a.Annotator.Annotator != "snipscan-v0.0.0-test" || a.AnnotationType != "OTHER" ||
					a.AnnotationDate != "2026-03-02T00:00:00Z" {
					t.Errorf("file %s: annotation %+v", f.FileName, a)
				}
				notes[f.FileName] += a.AnnotationComment + "\n"
			}
		}
		for _, tc := range []struct {
			file, source, note string
		}{
			{"./z.go", "container/list/list.go lines 40-86", changed},
			{"./a.go", "misc/util.go lines 5-44", gone},
		} {
			got := notes[tc.file]
			id, _, _ := strings.Cut(got, " ")
			s, ok := bySnippet[strings.TrimPrefix(id, "SPDXRef-")]
			if strings.Count(got, "\n") != 1 || !ok || !strings.Contains(got, "from "+tc.source+"): "+tc.note+"; check this snippet's origin again") {
				t.Errorf("file %s: annotations %q, want one naming its snippet and saying %q", tc.file, got, tc.note)
				continue
			}
			if !strings.HasSuffix(s.SnippetComment, "; "+tc.note) {
				t.Errorf("snippet %s comment %q does not say %q", id, s.SnippetComment, tc.note)
			}
		}
	})

	t.Run("cyclonedx", func(t *testing.T) {
		bom := decodeCDX(t, cdxSchema(t), []byte(renderLimited(t, "cyclonedx-json", doc)))
		props := map[string]map[string][]string{}
		contexts := map[string]string{}
		for _, c := range *bom.Components {
			props[c.Name] = map[string][]string{}
			for _, p := range *c.Properties {
				props[c.Name][p.Name] = append(props[c.Name][p.Name], p.Value)
			}
			for _, o := range *c.Evidence.Occurrences {
				contexts[c.Name] += o.AdditionalContext + "\n"
			}
		}
		if got := props["stdlib"]; strings.Join(got["snipscan:source_changed"], ",") != "container/list/list.go" || got["snipscan:source_gone"] != nil {
			t.Errorf("stdlib properties %v", got)
		}
		if got := props["/srv/corpus"]; strings.Join(got["snipscan:source_gone"], ",") != "misc/util.go" || got["snipscan:source_changed"] != nil {
			t.Errorf("/srv/corpus properties %v", got)
		}
		if got := props["example.com/gpl"]; got["snipscan:source_changed"] != nil || got["snipscan:source_gone"] != nil {
			t.Errorf("example.com/gpl properties %v", got)
		}
		if !strings.Contains(contexts["stdlib"], ", verdict warn, "+changed+", id ") || !strings.Contains(contexts["/srv/corpus"], ", verdict warn, "+gone+", id ") ||
			strings.Contains(contexts["example.com/gpl"], "indexed") {
			t.Errorf("occurrence contexts %q", contexts)
		}
	})
}

// choiceResults are findings of code offered under GPL-3.0-only OR MIT
// (the license files of a package that offers both) and of GPL code.
func choiceResults() []match.Result {
	dual := match.Source{FileID: 31, Root: "/srv/corpus", Path: "frob/format.go", Lines: [2]int{10, 70}, FileLines: 90,
		Package: "example.com/frob", Version: "v1.2.0", PURL: "pkg:golang/example.com/frob@v1.2.0", Ecosystem: "golang",
		License: "GPL-3.0-only OR MIT", LicenseSource: "license_file", LicenseFile: "LICENSE-MIT",
		Copyrights: []string{"Copyright 2024 Frob Authors"}, Holders: []string{"Frob Authors"}}
	return []match.Result{{Path: "src/cols.go", Lines: 100, Findings: []match.Finding{
		{Kind: match.KindSnippet, Lines: [2]int{5, 65}, Bytes: [2]int{80, 1900}, Tokens: 400, Matched: 0.97, Exact: 0.9, Source: dual},
	}}}
}

// choiceDoc builds the report of choiceResults under pol.
func choiceDoc(pol *policy.Policy) *report.Document {
	doc := report.Build(choiceResults(), len(choiceResults()), pol.Evaluator(policy.Context{}), tool, "/srv/corpus.db", nil, time.Millisecond)
	doc.Targets = []string{"src"}
	return doc
}

// TestLicenseChoiceEveryFormat: a finding under a choice of licenses is
// reported under the category of the licenses the verdict was made on, and
// every format names that choice beside the whole expression.
func TestLicenseChoiceEveryFormat(t *testing.T) {
	t.Parallel()
	// The built-in policy takes MIT; a policy that allows GPL-3.0-only and
	// denies MIT takes GPL-3.0-only, a strong-copyleft choice whose
	// category is not that of the expression (permissive, its mildest).
	gplPolicy := policy.Default()
	gplPolicy.Licenses = map[string]string{"GPL-3.0-only": policy.Pass, "MIT": policy.Fail}
	for _, tc := range []struct {
		name            string
		pol             *policy.Policy
		choice, cat     string
		verdict, levels string
	}{
		{"built-in policy", policy.Default(), "MIT", "permissive", policy.Warn, "warning"},
		{"GPL allowed, MIT denied", gplPolicy, "GPL-3.0-only", "strong-copyleft", policy.Pass, "note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := choiceDoc(tc.pol)
			m := doc.Files[0].Matches[0]
			if m.Policy.LicenseChoice != tc.choice || m.Policy.Category != tc.cat || m.Policy.Verdict != tc.verdict {
				t.Fatalf("policy %+v, want the choice %s (%s), %s", m.Policy, tc.choice, tc.cat, tc.verdict)
			}
			label := "GPL-3.0-only OR MIT (evaluated as " + tc.choice + ")"

			md := renderMarkdown(t, doc)
			if rows := findingRows(t, md); len(rows) != 1 || rows[0][4] != label {
				t.Errorf("markdown rows %q, want the license %q", rows, label)
			}
			if !strings.Contains(md, "| "+tc.cat+" | 1 |") {
				t.Errorf("markdown does not count the finding as %s:\n%s", tc.cat, md)
			}

			data, log := renderSARIF(t, doc)
			validateSARIF(t, sarifSchema(t), data, log)
			r := log.Runs[0].Results[0]
			props := r.Properties.Properties
			if str(r.RuleID) != "snipscan/"+tc.cat || props["license_choice"] != tc.choice || props["category"] != tc.cat ||
				props["license"] != "GPL-3.0-only OR MIT" || r.Level != tc.levels {
				t.Errorf("SARIF rule %s level %s properties %v; want snipscan/%s, license_choice %s", str(r.RuleID), r.Level, props, tc.cat, tc.choice)
			}

			page := renderLimited(t, "html", doc)
			for _, want := range []string{
				`<span class="license">GPL-3.0-only OR MIT (evaluated as ` + tc.choice + `)</span>`,
				`<dt>license</dt><dd>GPL-3.0-only OR MIT, evaluated as <strong>` + tc.choice + `</strong> <span class="dim">(` + tc.cat + `, from license_file`,
				`data-category="` + tc.cat + `"`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("html lacks %q", want)
				}
			}

			if notice := renderLimited(t, "notice", doc); !strings.Contains(notice, "\nLicense: GPL-3.0-only OR MIT, used here under "+tc.choice+"\n") {
				t.Errorf("notice does not name the choice:\n%s", notice)
			}

			sd := parseSPDX(t, []byte(renderLimited(t, "spdx-json", doc)))
			s := sd.Snippets[0]
			if s.SnippetLicenseConcluded != tc.choice || !strings.Contains(s.SnippetLicenseComments, "frob/format.go is licensed GPL-3.0-only OR MIT, from the license file LICENSE-MIT, a choice of licenses; concluded "+tc.choice) {
				t.Errorf("SPDX snippet concluded %q, comments %q", s.SnippetLicenseConcluded, s.SnippetLicenseComments)
			}
			for _, p := range sd.Packages {
				if p.PackageName == "example.com/frob" && p.PackageLicenseDeclared != "GPL-3.0-only OR MIT" {
					t.Errorf("SPDX origin package declares %q, want the whole expression", p.PackageLicenseDeclared)
				}
			}

			bom := decodeCDX(t, cdxSchema(t), []byte(renderLimited(t, "cyclonedx-json", doc)))
			c := (*bom.Components)[0]
			var choices []string
			for _, p := range *c.Properties {
				if p.Name == "snipscan:license_choice" {
					choices = append(choices, p.Value)
				}
			}
			occ := (*c.Evidence.Occurrences)[0]
			if c.Licenses == nil || (*c.Licenses)[0].Expression != "GPL-3.0-only OR MIT" || strings.Join(choices, ",") != tc.choice ||
				!strings.Contains(occ.AdditionalContext, "licensed GPL-3.0-only OR MIT evaluated as "+tc.choice) {
				t.Errorf("CycloneDX licenses %+v, choices %q, context %q", c.Licenses, choices, occ.AdditionalContext)
			}
		})
	}
}

// TestReasonsBaselineAlternates: the Markdown findings table gives each
// finding's reasons (an acceptance's reason, the baseline) and its
// alternates; SARIF has them as properties.
func TestReasonsBaselineAlternates(t *testing.T) {
	t.Parallel()
	doc := build(sarifResults(), nil)
	doc.Files[0].Matches[0].Policy = policy.Decision{Verdict: policy.Accepted, Reasons: []string{"accepted: vendored on purpose, ticket 7"}, Category: "unknown"}
	doc.Files[1].Matches[1].Policy = policy.Decision{Verdict: policy.Accepted, Category: "strong-copyleft", InBaseline: true,
		Reasons: []string{"GPL-3.0-only is strong-copyleft", "in the baseline base.json"}}
	doc.Summary.Failing, doc.Summary.Warnings, doc.Summary.Accepted = 0, 1, 2

	md := renderMarkdown(t, doc)
	if !strings.Contains(md, "| 3 | 2 | 3 | 0 | 1 | 2 | 0 |\n") {
		t.Errorf("markdown summary does not count 2 accepted:\n%s", md)
	}
	why := map[string]string{}
	for _, r := range findingRows(t, md) {
		why[r[1]] = r[len(r)-1]
		if r[1] == "src/z.go:12-58" && !strings.HasSuffix(r[2], " (and 2 other locations)") {
			t.Errorf("source cell %q does not count the alternates", r[2])
		}
	}
	if why["src/a.go:3-41"] != "accepted: vendored on purpose, ticket 7" || why["src/z.go:1-30 (whole file)"] != "GPL-3.0-only is strong-copyleft; in the baseline base.json" {
		t.Errorf("markdown reasons %q", why)
	}

	_, log := renderSARIF(t, doc)
	var got []string
	for _, r := range log.Runs[0].Results {
		p := r.Properties.Properties
		b, _ := json.Marshal([]any{p["in_baseline"], p["alternates"]})
		got = append(got, string(b))
	}
	if want := `[false,0] [false,2] [true,0]`; strings.Join(got, " ") != want {
		t.Errorf("SARIF in_baseline and alternates %v, want %s", got, want)
	}
}

// TestNoticeEveryLicense: a package whose reused files carry different
// licenses gets a notice entry per license, each with its uses.
func TestNoticeEveryLicense(t *testing.T) {
	t.Parallel()
	notice := renderLimited(t, "notice", sbomDoc())
	for _, want := range []string{
		"This software includes code from the 4 works below.",
		"example.com/nc v2.0.0 (pkg:golang/example.com/nc@v2.0.0)\nLicense: LicenseRef-licensecheck-CommonsClause AND MIT\n\nCopyright 2020 NC Corp <legal@nc.example>\n\nUsed in:\n  extra.go lines 1-55 (from nc/nc.go lines 10-60)\n",
		"example.com/nc v2.0.0 (pkg:golang/example.com/nc@v2.0.0)\nLicense: MIT\n\nCopyright 2020 NC Corp <legal@nc.example>\nCopyright 2021 Other Person\n\nUsed in:\n  other/b.go lines 2-20 (from nc/util.go lines 10-60)\n",
	} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice lacks %q:\n%s", want, notice)
		}
	}
}

// TestNoticeLimits: an attribution file from a scan that could not read
// some files, or read a corpus unfinished, says that their code is not
// attributed.
func TestNoticeLimits(t *testing.T) {
	t.Parallel()
	for _, doc := range []*report.Document{limitedDoc(policy.Fail), func() *report.Document {
		d := limitedDoc(policy.Warn)
		d.Files, d.Summary.Matches = []report.File{}, 0
		return d
	}()} {
		notice := renderLimited(t, "notice", doc)
		for _, want := range []string{
			"\nWarning: the corpus /data/corpus.db is incomplete: an index or merge run that started 2026-03-01T12:00:00Z did not finish",
			"\nWarning: 3 files could not be scanned",
			"; code reused in them is not attributed here:\n  src/gen/tables.go: too large\n  src/pipe.go: special file\n  src/vendor.zip/x/y.go: corrupt archive: zip: checksum error\n",
		} {
			if !strings.Contains(notice, want) {
				t.Errorf("notice lacks %q:\n%s", want, notice)
			}
		}
	}
}

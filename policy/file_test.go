package policy_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
)

const tomlPolicy = `# A policy for an Apache-2.0 project.
project_license = "apache-2.0"
fail_on_unknown = true
exclude = ["third_party/**", "**/*_test.go"]

[licenses]
deny = ["weak-copyleft", "gpl-2.0+"]
warn = ["non-commercial"]
allow = ["BSD-3-Clause"]

[minimum]
lines = 10
tokens = 50
matched = 0.6

[[accept]]
path = "internal/sortutil/*.go"
source = "sort/**"
reason = "reviewed by legal in 2026-11"
expires = 2027-06-30

[[accept]]
id = "0123456789abcdef"
reason = "vendored on purpose"
`

const yamlPolicy = `# The same policy in YAML.
project_license: apache-2.0
fail_on_unknown: true
exclude: ["third_party/**", "**/*_test.go"]
licenses:
  deny: [weak-copyleft, gpl-2.0+]
  warn: [non-commercial]
  allow: [BSD-3-Clause]
minimum: {lines: 10, tokens: 50, matched: 0.6}
accept:
  - path: internal/sortutil/*.go
    source: sort/**
    reason: reviewed by legal in 2026-11
    expires: 2027-06-30
  - id: 0123456789abcdef
    reason: vendored on purpose
`

func TestParse(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{"snipscan.toml": tomlPolicy, ".snipscan.yaml": yamlPolicy} {
		p, err := policy.Parse(name, []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.File != name || p.ProjectLicense != "Apache-2.0" || !p.UnknownFails || !p.Attribution {
			t.Errorf("%s: file %q project %q unknown-fails %v attribution %v", name, p.File, p.ProjectLicense, p.UnknownFails, p.Attribution)
		}
		if p.Categories[license.WeakCopyleft] != policy.Fail || p.Categories[license.NonCommercial] != policy.Warn ||
			p.Categories[license.StrongCopyleft] != policy.Fail || p.Licenses["GPL-2.0-or-later"] != policy.Fail ||
			p.Licenses["BSD-3-Clause"] != policy.Pass {
			t.Errorf("%s: categories %v licenses %v", name, p.Categories, p.Licenses)
		}
		if p.MinLines != 10 || p.MinTokens != 50 || p.MinMatched != 0.6 {
			t.Errorf("%s: minimum %d %d %v", name, p.MinLines, p.MinTokens, p.MinMatched)
		}
		if !p.Exclude.Match("third_party/x/y.go") || !p.Exclude.Match("a/b_test.go") || p.Exclude.Match("a/b.go") || !p.Exclude.Match("third_party") {
			t.Errorf("%s: exclusions %v", name, p.Exclude.String())
		}
		if len(p.Accept) != 2 || p.Accept[0].Expires != time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC) ||
			p.Accept[0].Source != "sort/**" || p.Accept[1].ID != "0123456789abcdef" || !p.Accept[1].Expires.IsZero() {
			t.Errorf("%s: accept %+v", name, p.Accept)
		}
	}
	// An empty file is the default policy.
	for _, name := range []string{"snipscan.toml", ".snipscan.yaml"} {
		p, err := policy.Parse(name, nil)
		if err != nil || p.Categories[license.StrongCopyleft] != policy.Fail {
			t.Errorf("empty %s: %v", name, err)
		}
	}
}

// TestParseErrors checks that every mistake is reported with the file and,
// where the parser knows it, the line and column.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src, want string
	}{
		{"snipscan.toml", "project_license = \"MIT\nx", "snipscan.toml:1:"},
		{"snipscan.toml", "[licenses]\ndeny = [\"copyleft\"]\n", `snipscan.toml:2:9: licenses.deny: "copyleft" is neither a license category`},
		{"snipscan.toml", "\n\nproject_licence = \"MIT\"\n", `snipscan.toml:3: unknown key "project_licence"`},
		{"snipscan.toml", "project_license = \"MIT AND (\"\n", "snipscan.toml:1:20: project_license: license expression"},
		{"snipscan.toml", "exclude = [\"a/[b\"]\n", `"a/[b" is not a valid glob`},
		{"snipscan.toml", "exclude = [\"third_party\", \" \"]\n", `snipscan.toml:1:12: exclude: " " is not a valid glob`},
		{"snipscan.toml", "[[accept]]\npath = \"x\"\nexpires = \"next year\"\n", `"next year" is not a date`},
		{"snipscan.toml", "[[accept]]\npath = \"x\"\n", "accept entry 1 (x): needs a reason"},
		{"snipscan.toml", "[[accept]]\nreason = \"why\"\n", "accept entry 1: needs a path"},
		{"snipscan.toml", "[licenses]\ndeny = [\"MIT\"]\nallow = [\"mit\"]\n", `"MIT" is listed under both deny and allow`},
		{"snipscan.toml", "[minimum]\nmatched = 2.0\n", "matched between 0 and 1"},
		{"snipscan.toml", "fail_on_unknown = \"yes\"\n", `snipscan.toml:1: fail_on_unknown: want true or false, not a string`},
		{"snipscan.toml", "exclude = 3\n", `snipscan.toml:1: exclude: want a list of globs, not a whole number`},
		{"snipscan.toml", "minimum = 3\n", `snipscan.toml:1: minimum: want a table of lines, tokens, matched, not a whole number`},
		{"snipscan.toml", "[minimum]\nlines = \"ten\"\n", `snipscan.toml:2: minimum.lines: want a whole number, not a string`},
		{"snipscan.toml", "[licenses]\ndeny = \"GPL-2.0-only\"\n", `snipscan.toml:2: licenses.deny: want a list of license categories or SPDX IDs, not a string`},
		{"snipscan.toml", "accept = 3\n", `accept: want a list of tables of path, source, license, id, reason, expires, not a whole number`},
		{"snipscan.toml", "[minimum]\nlinez = 3\n", `snipscan.toml:2: unknown key "minimum.linez" (the keys of minimum: lines, tokens, matched)`},
		{".snipscan.yaml", "licenses:\n  deny:\n    - copyleft\n", `.snipscan.yaml:3:7: licenses.deny: "copyleft" is neither`},
		{".snipscan.yaml", "project_licence: MIT\n", `.snipscan.yaml:1:1: unknown key "project_licence"`},
		{".snipscan.yaml", "exclude: 3\n", `.snipscan.yaml:1:10: exclude: want a list of globs, not the number 3`},
		{".snipscan.yaml", "minimum: 3\n", `.snipscan.yaml:1:10: minimum: want a table of lines, tokens, matched, not the number 3`},
		{".snipscan.yaml", "minimum:\n  lines: ten\n", `.snipscan.yaml:2:10: minimum.lines: want a whole number, not "ten"`},
		{".snipscan.yaml", "minimum:\n  linez: 3\n", `.snipscan.yaml:2:3: unknown key "minimum.linez" (the keys of minimum: lines, tokens, matched)`},
		{".snipscan.yaml", "fail_on_unknown: maybe\n", `.snipscan.yaml:1:18: fail_on_unknown: want true or false, not "maybe"`},
		{".snipscan.yaml", "accept: {path: x, reason: y}\n", `.snipscan.yaml:1:9: accept: want a list of tables of path, source, license, id, reason, expires, not a table`},
		{".snipscan.yaml", "accept:\n  - path: x\n    reasn: y\n", `.snipscan.yaml:3:5: unknown key "accept.reasn"`},
		{".snipscan.yaml", "exclude: [\n", ".snipscan.yaml:1: did not find expected node content"},
		{".snipscan.yaml", "accept:\n  - path: x\n    expires: soon\n    reason: r\n", `.snipscan.yaml:3:14: accept.expires: "soon" is not a date`},
		{".snipscan.yaml", "exclude: pkg/**\n", `.snipscan.yaml:1:10: exclude: want a list of globs, not "pkg/**"`},
	} {
		_, err := policy.Parse(tc.name, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: error %v, want one containing %q", tc.name, tc.src, err, tc.want)
		}
		// snipscan's own words: no Go type, no decoder's jargon.
		if err != nil && goWords.MatchString(err.Error()) {
			t.Errorf("%s %q: error %q speaks of Go types", tc.name, tc.src, err)
		}
	}
}

// goWords find Go type names and decoders' jargon in a message.
var goWords = regexp.MustCompile(`policy\.[a-z]|struct \{|\[\]|!!|int64|float64|interface|unmarshal|destination|incompatible types`)

func TestFindAndLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if got := policy.Find(dir); got != "" {
		t.Errorf("Find in an empty directory = %q", got)
	}
	path := filepath.Join(dir, ".snipscan.yaml")
	if err := os.WriteFile(path, []byte(yamlPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := policy.Find(dir); got != path {
		t.Errorf("Find = %q, want %q", got, path)
	}
	if _, err := policy.Load(path); err != nil {
		t.Error(err)
	}
	if _, err := policy.Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("missing file: no error")
	}
}

func snippet(path, lic string, holders ...string) *match.Finding {
	return &match.Finding{Kind: match.KindSnippet, Lines: [2]int{10, 30}, Tokens: 120, Matched: 0.9,
		Source: match.Source{Path: path, Lines: [2]int{5, 25}, License: lic, Holders: holders}}
}

// belowProj is the Context.Rel of targets scanned as PATH proj: the
// policy's paths are relative to it.
func belowProj(target string) string { return strings.TrimPrefix(target, "proj/") }

func TestEvaluator(t *testing.T) {
	t.Parallel()
	p, err := policy.Parse("snipscan.toml", []byte(tomlPolicy))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ev := p.Evaluator(policy.Context{Now: now, Rel: belowProj})
	for _, tc := range []struct {
		name, target string
		f            *match.Finding
		verdict      string
		reason       string
	}{
		{"accepted by path and source", "proj/internal/sortutil/a.go", snippet("sort/sort.go", "BSD-3-Clause"), policy.Accepted, "accepted: reviewed by legal in 2026-11"},
		{"source glob does not match", "proj/internal/sortutil/a.go", snippet("strings/x.go", "MPL-2.0"), policy.Fail, "MPL-2.0 is weak-copyleft"},
		{"SPDX ID rule over category", "proj/a.go", snippet("x.go", "GPL-2.0-or-later"), policy.Fail, "GPL-2.0-or-later is denied by licenses.deny in snipscan.toml"},
		{"allowed ID", "proj/a.go", snippet("x.go", "BSD-3-Clause"), policy.Pass, "BSD-3-Clause is allowed by licenses.allow in snipscan.toml"},
		{"OR: the allowed one", "proj/a.go", snippet("x.go", "GPL-2.0-or-later OR BSD-3-Clause"), policy.Pass, ""},
		{"unknown fails", "proj/a.go", snippet("x.go", ""), policy.Fail, "the source's license is unknown"},
		{"non-commercial warns", "proj/a.go", snippet("x.go", "CC-BY-NC-4.0"), policy.Warn, ""},
		{"strong copyleft still fails", "proj/a.go", snippet("x.go", "GPL-3.0-only"), policy.Fail, ""},
	} {
		d := ev.Evaluate(tc.target, tc.f)
		if d.Verdict != tc.verdict || tc.reason != "" && !strings.Contains(strings.Join(d.Reasons, "; "), tc.reason) {
			t.Errorf("%s: %+v, want %s with %q", tc.name, d, tc.verdict, tc.reason)
		}
	}
	// After the expiry the acceptance lapses, and says so.
	later := p.Evaluator(policy.Context{Now: time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC), Rel: belowProj})
	d := later.Evaluate("proj/internal/sortutil/a.go", snippet("sort/sort.go", "GPL-3.0-only"))
	if d.Verdict != policy.Fail || !strings.Contains(d.Reasons[0], "acceptance expired on 2027-06-30") {
		t.Errorf("expired acceptance: %+v", d)
	}
	// On its last day it still holds.
	last := p.Evaluator(policy.Context{Now: time.Date(2027, 6, 30, 23, 0, 0, 0, time.UTC), Rel: belowProj})
	if d := last.Evaluate("proj/internal/sortutil/a.go", snippet("sort/sort.go", "GPL-3.0-only")); d.Verdict != policy.Accepted {
		t.Errorf("acceptance on its last day: %+v", d)
	}
	// Acceptance by finding ID.
	f := snippet("x.go", "GPL-3.0-only")
	p.Accept[1].ID = f.ID("proj/b.go")
	if d := ev.Evaluate("proj/b.go", f); d.Verdict != policy.Accepted {
		t.Errorf("accepted by id: %+v", d)
	}
}

func TestProjectLicense(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		project, source, verdict string
	}{
		{"", "GPL-3.0-only", policy.Fail},
		{"GPL-3.0-or-later", "GPL-3.0-only", policy.Warn},
		{"GPL-3.0-only", "GPL-2.0-or-later", policy.Warn},
		{"GPL-2.0-only", "GPL-3.0-only", policy.Fail},
		{"AGPL-3.0-only", "GPL-3.0-or-later", policy.Warn},
		{"GPL-3.0-only", "AGPL-3.0-only", policy.Fail},
		{"GPL-2.0-or-later", "LGPL-2.1-only", policy.Warn},
		{"Apache-2.0", "GPL-3.0-only", policy.Fail},
		// A choice: compatible only with every license the project
		// offers (GPL code would take MIT away).
		{"MIT OR GPL-3.0-only", "GPL-3.0-only", policy.Fail},
		{"MIT OR GPL-3.0-or-later", "GPL-3.0-only", policy.Fail},
		{"GPL-2.0-only OR GPL-3.0-only", "GPL-3.0-only", policy.Fail},
		{"GPL-2.0-or-later OR GPL-3.0-only", "GPL-2.0-or-later", policy.Warn},
		{"GPL-3.0-only OR Apache-2.0", "MPL-2.0", policy.Warn}, // weak copyleft warns anyway
		// A combination: the project as a whole is under its copyleft
		// part, which may take the code.
		{"MIT AND GPL-3.0-or-later", "GPL-3.0-only", policy.Warn},
		{"Apache-2.0 AND LGPL-2.1-only", "LGPL-2.1-only", policy.Warn},
		{"Apache-2.0 AND MIT", "GPL-3.0-only", policy.Fail},
		{"(MIT OR Apache-2.0) AND GPL-3.0-only", "GPL-3.0-or-later", policy.Warn},
		{"MIT OR (Apache-2.0 AND GPL-3.0-only)", "GPL-3.0-or-later", policy.Fail},
	} {
		p := policy.Default()
		p.ProjectLicense = tc.project
		d := p.Evaluate(snippet("x.go", tc.source))
		if d.Verdict != tc.verdict {
			t.Errorf("project %q, source %q: %+v, want %s", tc.project, tc.source, d, tc.verdict)
		}
		if tc.verdict == policy.Warn && license.CategoryOf(tc.source) == license.StrongCopyleft &&
			!strings.Contains(strings.Join(d.Reasons, "; "), "compatible with the project's license") {
			t.Errorf("project %q, source %q: reasons %q", tc.project, tc.source, d.Reasons)
		}
	}
	// Code that would narrow the project's choice says so.
	p := policy.Default()
	p.ProjectLicense = "MIT OR GPL-3.0-or-later"
	d := p.Evaluate(snippet("x.go", "GPL-3.0-only"))
	want := []string{"GPL-3.0-only is strong-copyleft",
		"GPL-3.0-only is compatible with some of the licenses the project offers (MIT OR GPL-3.0-or-later), not with all: it would take the choice away",
		"strong-copyleft is denied by the built-in policy"}
	if !slices.Equal(d.Reasons, want) {
		t.Errorf("reasons %q, want %q", d.Reasons, want)
	}
}

func TestAttributionBaselineFailOn(t *testing.T) {
	t.Parallel()
	p := policy.Default()
	files := map[string]string{
		"proj/credited.go": "// Portions Copyright 2009 The Go Authors. BSD-3-Clause.\npackage x\n",
		"proj/plain.go":    "package x\n",
	}
	read := func(path string) ([]byte, error) {
		s, ok := files[path]
		if !ok {
			return nil, os.ErrNotExist
		}
		return []byte(s), nil
	}
	ev := p.Evaluator(policy.Context{ReadTarget: read})
	bsd := snippet("sort/sort.go", "BSD-3-Clause", "The Go Authors")
	if d := ev.Evaluate("proj/credited.go", bsd); d.Verdict != policy.Pass || !strings.Contains(strings.Join(d.Reasons, "; "), "attributed in the target file") ||
		strings.Contains(strings.Join(d.Reasons, "; "), "requires attribution") {
		t.Errorf("attributed in the target: %+v", d)
	}
	if d := ev.Evaluate("proj/plain.go", bsd); d.Verdict != policy.Warn {
		t.Errorf("not attributed: %+v", d)
	}
	withNotice := p.Evaluator(policy.Context{ReadTarget: read, Notices: func(string) map[string]string {
		return map[string]string{"proj/NOTICE": "This product includes code by THE GO AUTHORS."}
	}})
	if d := withNotice.Evaluate("proj/plain.go", bsd); d.Verdict != policy.Pass || !strings.Contains(strings.Join(d.Reasons, "; "), "proj/NOTICE") ||
		strings.Contains(strings.Join(d.Reasons, "; "), "requires attribution") {
		t.Errorf("attributed in NOTICE: %+v", d)
	}
	gpl := snippet("x.go", "GPL-3.0-only", "The Go Authors")
	if d := withNotice.Evaluate("proj/plain.go", gpl); d.Verdict != policy.Fail {
		t.Errorf("a notice does not make GPL code pass: %+v", d)
	}
	// Baseline: known findings are accepted, new ones keep their verdict.
	base := p.Evaluator(policy.Context{Baseline: map[string]bool{gpl.ID("proj/plain.go"): true}, BaselineFile: "old.json"})
	if d := base.Evaluate("proj/plain.go", gpl); d.Verdict != policy.Accepted || !d.InBaseline {
		t.Errorf("in the baseline: %+v", d)
	}
	if d := base.Evaluate("proj/other.go", gpl); d.Verdict != policy.Fail || d.InBaseline {
		t.Errorf("not in the baseline: %+v", d)
	}
	// --fail-on warn and never.
	if d := p.Evaluator(policy.Context{FailOn: "warn"}).Evaluate("proj/plain.go", bsd); d.Verdict != policy.Fail {
		t.Errorf("fail-on warn: %+v", d)
	}
	if d := p.Evaluator(policy.Context{FailOn: "never"}).Evaluate("proj/plain.go", gpl); d.Verdict != policy.Warn {
		t.Errorf("fail-on never: %+v", d)
	}
}

// TestReasonsNameTheRule checks that a verdict's reasons name the rule
// that decided it: the built-in policy, a list of the policy file, or
// fail_on_unknown.
func TestReasonsNameTheRule(t *testing.T) {
	t.Parallel()
	p, err := policy.Parse("snipscan.toml", []byte(tomlPolicy))
	if err != nil {
		t.Fatal(err)
	}
	ev := p.Evaluator(policy.Context{Rel: belowProj})
	for _, tc := range []struct {
		lic, verdict, rule string
	}{
		{"MPL-2.0", policy.Fail, "weak-copyleft is denied by licenses.deny in snipscan.toml"},
		{"GPL-2.0-or-later", policy.Fail, "GPL-2.0-or-later is denied by licenses.deny in snipscan.toml"},
		{"CC-BY-NC-4.0", policy.Warn, "non-commercial is warned about by licenses.warn in snipscan.toml"},
		{"BSD-3-Clause", policy.Pass, "BSD-3-Clause is allowed by licenses.allow in snipscan.toml"},
		{"GPL-3.0-only", policy.Fail, "strong-copyleft is denied by the built-in policy"},
		{"MIT", policy.Warn, "permissive is warned about by the built-in policy until attributed"},
		{"", policy.Fail, "an unknown license is denied by fail_on_unknown in snipscan.toml"},
	} {
		d := ev.Evaluate("proj/a.go", snippet("x.go", tc.lic))
		if d.Verdict != tc.verdict || !slices.Contains(d.Reasons, tc.rule) {
			t.Errorf("%q: %+v, want %s with %q", tc.lic, d, tc.verdict, tc.rule)
		}
	}
}

func TestCountsAndAttributionFiles(t *testing.T) {
	t.Parallel()
	p := policy.Default()
	p.MinLines, p.MinTokens, p.MinMatched = 21, 100, 0.9
	f := snippet("x.go", "MIT") // 21 lines, 120 tokens, 0.9 matched
	if !p.Counts(f) {
		t.Error("a finding at the minimum does not count")
	}
	p.MinLines = 22
	if p.Counts(f) {
		t.Error("a finding below the minimum counts")
	}
	for name, want := range map[string]bool{"NOTICE": true, "THIRD_PARTY_NOTICES.txt": true, "CREDITS.md": true,
		"third-party.txt": true, "Acknowledgements": true, "README.md": false, "LICENSE": false, "notice.go": false} {
		if got := policy.IsAttributionFile(name); got != want {
			t.Errorf("IsAttributionFile(%q) = %v", name, got)
		}
	}
}

// TestEvaluatorKeys checks the context's paths: IDs are computed from
// Key (so that two spellings of a scanned PATH give one ID), accept globs
// match Rel, acceptances and legacy baselines written with the IDs of the
// displayed path still hold, and baseline matches are counted whatever
// the verdict.
func TestEvaluatorKeys(t *testing.T) {
	t.Parallel()
	p, err := policy.Parse("snipscan.toml", []byte("[[accept]]\npath = \"internal/vendored/*.go\"\nreason = \"reviewed\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	key := func(target string) string {
		return strings.TrimPrefix(strings.TrimPrefix(target, "/home/me/repo/"), "./")
	}
	gpl := snippet("x.go", "GPL-3.0-only")
	ctx := policy.Context{Key: key, Rel: key}
	ev := p.Evaluator(ctx)
	if a, b := ev.ID("./internal/a.go", gpl), ev.ID("/home/me/repo/internal/a.go", gpl); a != b || a != gpl.ID("internal/a.go") {
		t.Errorf("IDs of two spellings: %s and %s, want both %s", a, b, gpl.ID("internal/a.go"))
	}
	if d := ev.Evaluate("/home/me/repo/internal/vendored/v.go", gpl); d.Verdict != policy.Accepted {
		t.Errorf("accept path matched against Rel: %+v", d)
	}

	// An acceptance by the ID of the displayed path (older reports).
	p.Accept = append(p.Accept, policy.Acceptance{ID: gpl.ID("./b.go"), Reason: "old id"})
	if d := p.Evaluator(ctx).Evaluate("./b.go", gpl); d.Verdict != policy.Accepted {
		t.Errorf("accepted by the displayed path's id: %+v", d)
	}

	// A baseline of new IDs holds for any spelling; one of legacy IDs for
	// the spelling it was recorded with.
	ctx.Baseline, ctx.BaselineFile = map[string]bool{gpl.ID("c.go"): true}, "new.json"
	base := p.Evaluator(ctx)
	if d := base.Evaluate("/home/me/repo/c.go", gpl); !d.InBaseline {
		t.Errorf("new baseline, other spelling: %+v", d)
	}
	ctx.Baseline, ctx.LegacyBaseline = map[string]bool{gpl.ID("./c.go"): true}, true
	legacy := p.Evaluator(ctx)
	if d := legacy.Evaluate("./c.go", gpl); !d.InBaseline {
		t.Errorf("legacy baseline, same spelling: %+v", d)
	}
	if d := legacy.Evaluate("/home/me/repo/c.go", gpl); d.InBaseline {
		t.Errorf("legacy baseline, other spelling: %+v", d)
	}
	// A passing finding in the baseline counts as matched.
	cc0 := snippet("y.go", "CC0-1.0")
	ctx.Baseline, ctx.LegacyBaseline = map[string]bool{cc0.ID("d.go"): true}, false
	counted := p.Evaluator(ctx)
	if d := counted.Evaluate("./d.go", cc0); d.Verdict != policy.Pass || counted.BaselineMatches() != 1 {
		t.Errorf("passing finding in the baseline: %+v, %d matches", d, counted.BaselineMatches())
	}
}

// TestUnscannedKey checks the unscanned key in both forms: fail by
// default, warn when set, anything else an error with its position; and
// how --fail-on moves it.
func TestUnscannedKey(t *testing.T) {
	t.Parallel()
	if got := policy.Default().Unscanned; got != policy.Fail {
		t.Errorf("built-in policy: unscanned %q, want fail", got)
	}
	for name, src := range map[string]string{
		"snipscan.toml": "unscanned = \"warn\"\n", ".snipscan.yaml": "unscanned: warn\n",
		"a.toml": "unscanned = \"fail\"\n", "a.yaml": "attribution: true\n",
	} {
		p, err := policy.Parse(name, []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := policy.Fail
		if strings.Contains(src, "warn") {
			want = policy.Warn
		}
		if p.Unscanned != want {
			t.Errorf("%s %q: unscanned %q, want %q", name, src, p.Unscanned, want)
		}
	}
	for _, tc := range []struct{ name, src, want string }{
		{"snipscan.toml", "\nunscanned = \"pass\"\n", `snipscan.toml:2:14: unscanned: "pass" is neither "fail" nor "warn"`},
		{"snipscan.toml", "unscanned = true\n", `snipscan.toml:1:13: unscanned: "true" is neither "fail" nor "warn"`},
		{".snipscan.yaml", "unscanned: ignore\n", `.snipscan.yaml:1:12: unscanned: "ignore" is neither "fail" nor "warn"`},
		{".snipscan.yaml", "unscanned: [fail]\n", ".snipscan.yaml:1:12: unscanned: want a string"},
	} {
		_, err := policy.Parse(tc.name, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: error %v, want one containing %q", tc.name, tc.src, err, tc.want)
		}
	}
	warn := policy.Default()
	warn.Unscanned = policy.Warn
	for _, tc := range []struct {
		p            *policy.Policy
		failOn, want string
	}{
		{policy.Default(), "fail", policy.Fail},
		{policy.Default(), "never", policy.Warn},
		{warn, "fail", policy.Warn},
		{warn, "warn", policy.Fail},
		{warn, "never", policy.Warn},
	} {
		if got := tc.p.UnscannedVerdict(tc.failOn); got != tc.want {
			t.Errorf("unscanned %s, --fail-on %s: %s, want %s", tc.p.Unscanned, tc.failOn, got, tc.want)
		}
	}
}

// TestOnlyRuleCoversOrLater: a rule on an -only ID covers the same
// license's -or-later ID, which the licensee may take as that version; a
// deprecated bare ID (GPL-3.0, LGPL-2.1, AGPL-3.0) is read as -only and
// covers both; a rule on the -or-later ID itself wins; and the reason
// names the rule that decided.
func TestOnlyRuleCoversOrLater(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		policy, source, verdict, reason string
	}{
		{"[licenses]\nallow = [\"strong-copyleft\"]\ndeny = [\"GPL-3.0-only\"]\n", "GPL-3.0-or-later", policy.Fail,
			"GPL-3.0-or-later is denied by licenses.deny in p.toml (a rule on GPL-3.0-only covers GPL-3.0-or-later)"},
		{"[licenses]\nallow = [\"strong-copyleft\"]\ndeny = [\"GPL-3.0\"]\n", "GPL-3.0-or-later", policy.Fail,
			"GPL-3.0-or-later is denied by licenses.deny in p.toml (a rule on GPL-3.0-only covers GPL-3.0-or-later)"},
		{"[licenses]\nallow = [\"strong-copyleft\"]\ndeny = [\"GPL-3.0\"]\n", "GPL-3.0-only", policy.Fail,
			"GPL-3.0-only is denied by licenses.deny in p.toml"},
		{"[licenses]\nallow = [\"LGPL-2.1\"]\n", "LGPL-2.1-or-later", policy.Pass,
			"LGPL-2.1-or-later is allowed by licenses.allow in p.toml (a rule on LGPL-2.1-only covers LGPL-2.1-or-later)"},
		{"[licenses]\nallow = [\"AGPL-3.0\"]\n", "AGPL-3.0-or-later WITH Classpath-exception-2.0", policy.Pass,
			"AGPL-3.0-or-later WITH Classpath-exception-2.0 is allowed by licenses.allow in p.toml (a rule on AGPL-3.0-only covers AGPL-3.0-or-later)"},
		{"[licenses]\ndeny = [\"GPL-2.0-only\"]\nallow = [\"GPL-2.0-or-later\"]\n", "GPL-2.0-or-later", policy.Pass,
			"GPL-2.0-or-later is allowed by licenses.allow in p.toml"},
		// An -or-later rule does not cover the -only ID.
		{"[licenses]\nallow = [\"GPL-2.0-or-later\"]\n", "GPL-2.0-only", policy.Fail,
			"strong-copyleft is denied by the built-in policy"},
	} {
		p, err := policy.Parse("p.toml", []byte(tc.policy))
		if err != nil {
			t.Fatal(err)
		}
		d := p.Evaluate(snippet("x.go", tc.source))
		if d.Verdict != tc.verdict || !slices.Contains(d.Reasons, tc.reason) {
			t.Errorf("policy %q, source %s: %s %q; want %s with %q", tc.policy, tc.source, d.Verdict, d.Reasons, tc.verdict, tc.reason)
		}
	}
}

// TestRewritesKey checks the rewrites key: a rewrite of code whose
// license fails warns under the built-in policy and fails with
// rewrites = "fail" (or --fail-on warn); a copy of the same code fails
// either way, and a rewrite of code that passes passes.
func TestRewritesKey(t *testing.T) {
	t.Parallel()
	gpl := match.Source{Path: "a/b.go", License: "GPL-3.0-only"}
	mit := match.Source{Path: "a/b.go", License: "0BSD"}
	rw := &match.Finding{Kind: match.KindRewrite, Lines: [2]int{3, 30}, Tokens: 200, Source: gpl}
	copied := &match.Finding{Kind: match.KindSnippet, Lines: [2]int{3, 30}, Tokens: 200, Matched: 1, Exact: 1, Source: gpl}
	free := &match.Finding{Kind: match.KindRewrite, Lines: [2]int{3, 30}, Tokens: 200, Source: mit}
	failing, err := policy.Parse("snipscan.toml", []byte("rewrites = \"fail\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	yamlFailing, err := policy.Parse(".snipscan.yaml", []byte("rewrites: fail\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		p      *policy.Policy
		failOn string
		f      *match.Finding
		want   string
	}{
		{"built-in, rewrite", policy.Default(), "", rw, policy.Warn},
		{"built-in, copy", policy.Default(), "", copied, policy.Fail},
		{"built-in, rewrite of unrestricted code", policy.Default(), "", free, policy.Pass},
		{"rewrites = fail", failing, "", rw, policy.Fail},
		{"rewrites: fail", yamlFailing, "", rw, policy.Fail},
		{"--fail-on warn", policy.Default(), "warn", rw, policy.Fail},
		{"rewrites = fail, --fail-on never", failing, "never", rw, policy.Warn},
	} {
		d := tc.p.Evaluator(policy.Context{FailOn: tc.failOn}).Evaluate("x.go", tc.f)
		if d.Verdict != tc.want {
			t.Errorf("%s: %s (%q), want %s", tc.name, d.Verdict, d.Reasons, tc.want)
		}
	}
	if !policy.Default().Counts(rw) {
		t.Error("a rewrite (nothing matched verbatim) is under the built-in minimum")
	}
	if _, err := policy.Parse("snipscan.toml", []byte("rewrites = \"pass\"\n")); err == nil || !strings.Contains(err.Error(), `rewrites: "pass" is neither "fail" nor "warn"`) {
		t.Errorf("rewrites = pass: %v", err)
	}
}

package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/gitdiff"
	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/report"
)

// gateFlags are scan's policy and gating options.
type gateFlags struct {
	policy   string
	baseline string
	diff     string
	failOn   string
}

// loadPolicy returns the policy: the file given with --policy, else the
// policy file the scanned PATHs find (see findPolicy), else the built-in
// one. A policy file found there has its paths relative to its directory
// (proj.policyDir). The project's license, when the policy does not name
// it, is read from the license files of the scanned PATHs (see
// projectLicense).
func loadPolicy(e env, flagPath string, proj *project) (*policy.Policy, error) {
	path := flagPath
	if path == "" {
		found, err := findPolicy(e, proj)
		if err != nil {
			return nil, err
		}
		path, proj.policyDir = found.shown, found.dir
	}
	p := policy.Default()
	if path != "" {
		var err error
		if p, err = policy.Load(path); err != nil {
			return nil, err
		}
	}
	if p.ProjectLicense == "" {
		lic, err := projectLicense(proj)
		if err != nil {
			return nil, err
		}
		p.ProjectLicense = lic
	}
	return p, nil
}

// policyFile is the policy file a scanned PATH finds.
type policyFile struct {
	shown string // spelled from the PATH argument; "" for none
	dir   string // the directory holding it, links resolved
}

// findPolicy returns the policy file that every scanned PATH finds in its
// context directories (the nearest that has one: the PATH itself, then
// the top of its repository), or none. PATHs that find different files,
// or a file and none, are a usage error that names them: one PATH's
// policy must not decide the verdicts of another's code. Other policy
// files beside the one found are not read: it says so on stderr.
func findPolicy(e env, proj *project) (policyFile, error) {
	var first policyFile
	var each []string // "PATH: its policy", for the error
	differ := false
	for i := range proj.roots {
		r := &proj.roots[i]
		pf := rootPolicy(r)
		if i == 0 {
			first = pf
		} else if pf.dir != first.dir { // a directory has one policy file: the first of policy.FileNames
			differ = true
		}
		name := pf.shown
		if name == "" {
			name = "no policy file (the built-in policy)"
		}
		each = append(each, r.arg+": "+name)
	}
	if differ {
		return policyFile{}, usagef("the PATHs find different policy files (%s): pass --policy FILE to apply one policy to all of them, or scan them separately", strings.Join(each, "; "))
	}
	warnUnread(e, first)
	return first, nil
}

// rootPolicy returns the policy file that the scanned PATH r finds: in
// the nearest of its context directories that has one.
func rootPolicy(r *scanRoot) policyFile {
	for _, d := range r.contextDirs() {
		if p := policy.Find(d.shown); p != "" {
			return policyFile{shown: p, dir: d.real}
		}
	}
	return policyFile{}
}

// warnUnread says on stderr which other policy files beside the one in
// use are not read.
func warnUnread(e env, pf policyFile) {
	if pf.shown == "" {
		return
	}
	dir := filepath.Dir(pf.shown)
	for _, n := range policy.FileNames {
		if o := filepath.Join(dir, n); o != pf.shown {
			if fi, err := os.Stat(o); err == nil && fi.Mode().IsRegular() {
				fmt.Fprintf(e.stderr, "snipscan scan: using the policy %s; %s is not read\n", pf.shown, o)
			}
		}
	}
}

// projectLicense returns the scanned project's license, read from the
// license files of each PATH's nearest context directory that has one
// (the scanned directory, else the repository's top; "" when there is
// none or it is not recognized). PATHs under different licenses are a
// usage error that names them, as different policy files are: one
// project's license must not make another project's copies compatible.
func projectLicense(proj *project) (string, error) {
	var first string
	var each []string // "PATH: its license", for the error
	differ := false
	read := map[string]dirLicense{} // each directory read once
	for i := range proj.roots {
		r := &proj.roots[i]
		expr := rootLicense(r.contextDirs(), read)
		if i == 0 {
			first = expr
		} else if expr != first {
			differ = true
		}
		each = append(each, r.arg+": "+cmp.Or(expr, "no license recognized"))
	}
	if differ {
		return "", usagef("the PATHs are under different project licenses (%s): set project_license in a policy file (--policy FILE) to apply one to all of them, or scan them separately", strings.Join(each, "; "))
	}
	return first, nil
}

// dirLicense is what licenseIn found in a directory.
type dirLicense struct {
	expr  string
	found bool
}

// rootLicense returns the license of the nearest of dirs that holds a
// license file; read keeps what each directory gave.
func rootLicense(dirs []contextDir, read map[string]dirLicense) string {
	for _, d := range dirs {
		l, ok := read[d.real]
		if !ok {
			l.expr, l.found = licenseIn(d.real)
			read[d.real] = l
		}
		if l.found {
			return l.expr
		}
	}
	return ""
}

// maxProjectFile bounds what is read of one license or README file of the
// scanned project, as of its attribution files.
const maxProjectFile = 16 << 20

// licenseIn returns the license of the project whose license files are
// in dir, read as an index run reads a directory's (indexer.DirLicense:
// every license file combined, so that COPYING beside COPYING.LESSER is
// LGPL-3.0, and a README's license section), and whether dir holds a
// license file at all. Notice files are not read: they name holders, not
// the project's license.
func licenseIn(dir string) (string, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && !license.IsNoticeFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return indexer.DirLicense(license.New(), names, func(name string) ([]byte, error) {
		return readBounded(filepath.Join(dir, name), maxProjectFile)
	})
}

// readBounded reads the file at path, or fails when it holds more than
// limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

// applyFailOn moves the line between warn and fail: "fail" (the policy as
// is), "warn", "never", or a comma-separated list of license categories
// and SPDX IDs that fail instead of the policy's denied ones. It returns
// the Context.FailOn value.
func applyFailOn(p *policy.Policy, s string) (string, error) {
	switch s {
	case "", "fail":
		return "fail", nil
	case "warn", "never":
		return s, nil
	}
	cats := map[license.Category]bool{}
	ids := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		r, err := policy.ParseRule(item)
		if err != nil {
			return "", usagef("--fail-on %s: %v (nor fail, warn or never)", s, err)
		}
		if c, ok := license.ParseCategory(r); ok {
			cats[c] = true
		} else {
			ids[r] = true
		}
	}
	origin := "--fail-on " + s // the reasons of the verdicts it sets name it
	// The list says exactly what fails: fail_on_unknown gives way too (an
	// unknown license fails when "unknown" is listed).
	p.UnknownFails = false
	for c, v := range p.Categories {
		if v == policy.Fail && !cats[c] {
			p.Categories[c] = policy.Warn
			p.Origins[c.String()] = origin
		}
	}
	for c := range cats {
		p.Categories[c] = policy.Fail
		p.Origins[c.String()] = origin
	}
	for id, v := range p.Licenses {
		switch {
		case (cats[license.CategoryOf(id)] || ids[policy.Covering(id)]) && !ids[id]:
			// Its category is listed, or the -only ID that covers it:
			// the policy's rule for the ID (warn, allow, deny) gives
			// way, and the listed rule fails it.
			delete(p.Licenses, id)
		case v == policy.Fail && !ids[id]:
			p.Licenses[id] = policy.Warn
			p.Origins[id] = origin
		}
	}
	for id := range ids {
		p.Licenses[id] = policy.Fail
		p.Origins[id] = origin
	}
	return "fail", nil
}

// loadBaseline reads the finding IDs of a previous JSON report, and
// whether they were computed from the target paths as displayed (a report
// without id_version, written before IDs were made relative to the
// repository root).
func loadBaseline(path string) (ids map[string]bool, legacy bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("--baseline %s: %w", path, unwrapPath(err))
	}
	var doc report.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, false, fmt.Errorf("--baseline %s: not a snipscan JSON report: %w", path, err)
	}
	if doc.Schema != report.SchemaVersion {
		return nil, false, fmt.Errorf("--baseline %s: not a snipscan JSON report (schema %d, want %d; write one with scan --format json)", path, doc.Schema, report.SchemaVersion)
	}
	ids = map[string]bool{}
	for _, f := range doc.Files {
		for _, m := range f.Matches {
			if m.ID == "" {
				return nil, false, fmt.Errorf("--baseline %s: a finding has no id (written by an older snipscan: scan again with --format json)", path)
			}
			ids[baselineID(ids, m.ID)] = true
		}
	}
	return ids, doc.IDVersion < report.IDVersion, nil
}

// baselineID returns the ID under which a baseline holds a finding of ID
// id, given the IDs it holds so far: id itself, or, when an older report
// gave several copies of the same source lines in one file the same ID,
// the ID of the next copy (match.RepeatID), so that the baseline accepts
// as many copies as it recorded, and no more.
func baselineID(ids map[string]bool, id string) string {
	for n, next := 1, id; ; n++ {
		if !ids[next] {
			return next
		}
		next = match.RepeatID(id, n)
	}
}

// warnBaseline says on stderr when a baseline with findings matches none
// of a scan's findings: it was likely recorded on another tree, or (an
// older report) with another spelling of the PATH.
func warnBaseline(e env, pctx policy.Context, ev *policy.Evaluator, doc *report.Document) {
	if len(pctx.Baseline) == 0 || doc.Summary.Matches == 0 || ev.BaselineMatches() > 0 {
		return
	}
	msg := fmt.Sprintf("snipscan scan: warning: the baseline %s (%s findings) matches none of the %s findings of this scan", pctx.BaselineFile, report.Count(len(pctx.Baseline)), report.Count(doc.Summary.Matches))
	if pctx.LegacyBaseline {
		msg += "; it was written by an older snipscan, whose ids depend on how PATH is spelled: scan with the same PATH, or record the baseline again"
	} else {
		msg += "; was it recorded on another tree?"
	}
	fmt.Fprintln(e.stderr, msg)
}

// noticeTexts holds the attribution files (NOTICE, THIRD_PARTY...) of
// each scanned PATH's context directories: the PATH itself and the top of
// its repository. A notice attributes the findings of its own PATH, not
// those of another one scanned beside it.
type noticeTexts struct {
	proj   *project
	byRoot map[*scanRoot]map[string]string // notice path, spelled from the root's argument -> text
}

// readNotices reads the attribution files of every root's context
// directories, each directory once.
func readNotices(proj *project) *noticeTexts {
	n := &noticeTexts{proj: proj, byRoot: map[*scanRoot]map[string]string{}}
	byDir := map[string]map[string]string{} // real directory -> file name -> text
	for i := range proj.roots {
		r := &proj.roots[i]
		texts := map[string]string{}
		for _, d := range r.contextDirs() {
			files, ok := byDir[d.real]
			if !ok {
				files = attributionFiles(d.real)
				byDir[d.real] = files
			}
			for name, text := range files {
				texts[filepath.Join(d.shown, name)] = text
			}
		}
		n.byRoot[r] = texts
	}
	return n
}

// attributionFiles reads the attribution files in dir, by name.
func attributionFiles(dir string) map[string]string {
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !policy.IsAttributionFile(e.Name()) {
			continue
		}
		if data, err := readBounded(filepath.Join(dir, e.Name()), maxProjectFile); err == nil {
			out[e.Name()] = string(data)
		}
	}
	return out
}

// of returns the attribution files that apply to the target at path
// target (policy.Context.Notices): those of the PATH it was found in.
func (n *noticeTexts) of(target string) map[string]string {
	if r, _, ok := n.proj.locate(target); ok {
		return n.byRoot[r]
	}
	return nil
}

// gate filters scan results by the policy's minimum size and, with --diff,
// by the lines changed since the revision; it returns how many findings
// each filter dropped.
func gate(ctx context.Context, results []match.Result, p *policy.Policy, proj *project, diffRef string) (below, outside int, err error) {
	var changes *gitdiff.Changes
	if diffRef != "" {
		if changes, err = diffChanges(ctx, proj, diffRef); err != nil {
			return 0, 0, err
		}
	}
	for i := range results {
		r := &results[i]
		r.Findings = slices.DeleteFunc(r.Findings, func(f match.Finding) bool {
			if !p.Counts(&f) {
				below++
				return true
			}
			if changes != nil && !changes.Touches(r.Path, f.Lines) {
				outside++
				return true
			}
			return false
		})
	}
	return below, outside, nil
}

// diffChanges returns the lines changed since revision ref in the work
// trees of the scanned roots, asking git once per work tree however many
// roots it holds. A root in no work tree is an error.
func diffChanges(ctx context.Context, proj *project, ref string) (*gitdiff.Changes, error) {
	var changes *gitdiff.Changes
	seen := map[string]bool{}
	for i := range proj.roots {
		dir := proj.roots[i].repo
		if dir == "" {
			dir = proj.roots[i].arg // gitdiff says it is in no work tree
		}
		if seen[dir] {
			continue
		}
		seen[dir] = true
		var err error
		if changes == nil {
			changes, err = gitdiff.Since(ctx, dir, ref)
		} else {
			err = changes.Add(ctx, dir, ref)
		}
		if err != nil {
			return nil, err
		}
	}
	return changes, nil
}

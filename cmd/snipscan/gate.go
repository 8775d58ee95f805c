package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

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
// first policy file found at a scanned root, else the built-in one. The
// project's license, when the policy does not name it, is read from the
// license file at the first scanned directory.
func loadPolicy(e env, flagPath string, roots []string) (*policy.Policy, error) {
	path := flagPath
	if path == "" {
		for _, r := range roots {
			if p := policy.Find(r); p != "" {
				path = p
				// Another policy file beside it is not read: say so.
				for _, n := range policy.FileNames {
					if o := filepath.Join(r, n); o != p {
						if fi, err := os.Stat(o); err == nil && fi.Mode().IsRegular() {
							fmt.Fprintf(e.stderr, "snipscan scan: using the policy %s; %s is not read\n", p, o)
						}
					}
				}
				break
			}
		}
	}
	p := policy.Default()
	if path != "" {
		var err error
		if p, err = policy.Load(path); err != nil {
			return nil, err
		}
	}
	if p.ProjectLicense == "" {
		p.ProjectLicense = projectLicense(roots)
	}
	return p, nil
}

// projectLicense classifies the license file at the first scanned
// directory; "" when there is none or it is not recognized.
func projectLicense(roots []string) string {
	for _, r := range roots {
		entries, err := os.ReadDir(r)
		if err != nil {
			continue
		}
		cls := license.New()
		for _, e := range entries {
			if e.Type().IsRegular() && license.IsLicenseFile(e.Name()) {
				data, err := os.ReadFile(filepath.Join(r, e.Name()))
				if err != nil {
					continue
				}
				if res := cls.LicenseFile(data); res.Expression != "" {
					return res.Expression
				}
			}
		}
		return ""
	}
	return ""
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
		item = strings.TrimSpace(item)
		if c, ok := license.ParseCategory(item); ok {
			cats[c] = true
			continue
		}
		id, ok := license.CanonicalID(item)
		if !ok {
			return "", usagef("--fail-on %q: %q is not fail, warn, never, a license category or an SPDX ID", s, item)
		}
		ids[id] = true
	}
	origin := "--fail-on " + s // the reasons of the verdicts it sets name it
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
		case cats[license.CategoryOf(id)] && !ids[id]:
			// Its category is listed: the policy's rule for the ID
			// (warn, allow, deny) gives way, and the category fails.
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

// loadBaseline reads the finding IDs of a previous JSON report.
func loadBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", path, unwrapPath(err))
	}
	var doc report.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("--baseline %s: not a snipscan JSON report: %w", path, err)
	}
	if doc.Schema != report.SchemaVersion {
		return nil, fmt.Errorf("--baseline %s: not a snipscan JSON report (schema %d, want %d; write one with scan --format json)", path, doc.Schema, report.SchemaVersion)
	}
	ids := map[string]bool{}
	for _, f := range doc.Files {
		for _, m := range f.Matches {
			if m.ID == "" {
				return nil, fmt.Errorf("--baseline %s: a finding has no id (written by an older snipscan: scan again with --format json)", path)
			}
			ids[m.ID] = true
		}
	}
	return ids, nil
}

// noticeFiles reads the attribution files at the scanned directories.
func noticeFiles(roots []string) map[string]string {
	out := map[string]string{}
	for _, r := range roots {
		entries, err := os.ReadDir(r)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !policy.IsAttributionFile(e.Name()) {
				continue
			}
			p := filepath.Join(r, e.Name())
			if data, err := os.ReadFile(p); err == nil && len(data) <= 16<<20 {
				out[p] = string(data)
			}
		}
	}
	return out
}

// gate filters scan results by the policy's minimum size and, with --diff,
// by the lines changed since the revision; it returns how many findings
// each filter dropped.
func gate(ctx context.Context, results []match.Result, p *policy.Policy, roots []string, diffRef string) (below, outside int, err error) {
	var changes *gitdiff.Changes
	if diffRef != "" {
		for _, r := range roots {
			if changes == nil {
				changes, err = gitdiff.Since(ctx, r, diffRef)
			} else {
				err = changes.Add(ctx, r, diffRef)
			}
			if err != nil {
				return 0, 0, err
			}
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

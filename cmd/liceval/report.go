package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
)

// evaluation runs the tools on the sets and writes the report.
type evaluation struct {
	cfg   config
	tools []tool
	notes []string
	tsv   io.Writer
}

// setResult is every tool's figures on one set.
type setResult struct {
	scores []*scores
	preds  [][]prediction
}

func (ev *evaluation) run(ctx context.Context, stdout io.Writer) error {
	w := bufio.NewWriter(stdout)
	ev.preamble(w)
	for _, set := range strings.Split(ev.cfg.sets, ",") {
		var err error
		switch strings.TrimSpace(set) {
		case "npm":
			err = ev.npm(ctx, w)
		case "debian":
			err = ev.debian(ctx, w)
		case "licensecheck":
			err = ev.licensecheck(ctx, w)
		case "debsrc":
			err = ev.debsrc(ctx, w)
		case "":
		default:
			err = fmt.Errorf("unknown set %q (want npm, debian, licensecheck, debsrc)", set)
		}
		if err != nil {
			return err
		}
	}
	return w.Flush()
}

func (ev *evaluation) preamble(w io.Writer) {
	commit := "unknown"
	if out, err := exec.Command("git", "describe", "--always", "--dirty", "--abbrev=12").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
	}
	fmt.Fprintf(w, "Measured %s at commit %s on %s/%s, %d cores, %s, with `%s`.\n\n", time.Now().UTC().Format("2006-01-02"),
		commit, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), strings.TrimSpace(ev.cfg.describeRun))
	for _, n := range ev.notes {
		fmt.Fprintf(w, "Note: %s\n\n", n)
	}
}

// score runs every tool on cases.
func (ev *evaluation) score(ctx context.Context, cases []evalCase) (*setResult, error) {
	res := &setResult{}
	for _, t := range ev.tools {
		start := time.Now()
		preds, err := t.run(ctx, cases)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		log.Printf("%s: %d cases in %v", t.name, len(cases), time.Since(start).Round(time.Millisecond))
		s := newScores(t.name, t.holders)
		for i, c := range cases {
			s.add(c, preds[i])
			ev.writeTSV(c, t.name, preds[i])
		}
		s.finish()
		res.scores = append(res.scores, s)
		res.preds = append(res.preds, preds)
	}
	return res, nil
}

func (ev *evaluation) writeTSV(c evalCase, toolName string, p prediction) {
	if ev.tsv == nil {
		return
	}
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
	fmt.Fprintf(ev.tsv, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.set, clean(c.name), toolName, setString(c.want), setString(sortedSet(p.ids)),
		clean(p.expr), clean(strings.Join(c.holders, "; ")), clean(strings.Join(p.holders, "; ")), clean(c.holderGroup))
}

// licenseTable writes the license table of a set and snipscan's most
// frequent misses.
func (ev *evaluation) licenseTable(w io.Writer, res *setResult) {
	fmt.Fprintln(w, "| tool | cases | exact license set | exact expression | license precision | license recall |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, s := range res.scores {
		fmt.Fprintln(w, s.licenseRow())
	}
	fmt.Fprintln(w)
	if top := res.scores[0].topMisses(ev.cfg.top); len(top) > 0 {
		fmt.Fprintf(w, "snipscan's most frequent misses (of %d):\n\n", res.scores[0].cases-res.scores[0].exact)
		fmt.Fprintln(w, "| cases | expected vs got | first case |")
		fmt.Fprintln(w, "|---|---|---|")
		for _, l := range top {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintln(w)
	}
}

// labelNoise lists the cases where every tool that ran agrees on one
// non-empty set of licenses that differs from the label: probable label
// noise, counted and shown, not corrected.
func (ev *evaluation) labelNoise(w io.Writer, cases []evalCase, res *setResult, show int) {
	if len(res.preds) < 2 {
		return
	}
	var lines []string
	for i, c := range cases {
		got := sortedSet(res.preds[0][i].ids)
		if len(got) == 0 || slices.Equal(got, c.want) {
			continue
		}
		agree := true
		for _, p := range res.preds[1:] {
			agree = agree && slices.Equal(sortedSet(p[i].ids), got)
		}
		if agree {
			lines = append(lines, fmt.Sprintf("%s: label %s, every tool %s", c.name, setString(c.want), setString(got)))
		}
	}
	fmt.Fprintf(w, "Probable label noise: %d of %d cases, where all %d tools agree on one set of licenses that is not the label", len(lines), len(cases), len(res.preds))
	if len(lines) == 0 {
		fmt.Fprint(w, ".\n\n")
		return
	}
	fmt.Fprint(w, "; the first ones:\n\n")
	for i, l := range lines {
		if i == show {
			break
		}
		fmt.Fprintf(w, "- %s\n", l)
	}
	fmt.Fprintln(w)
}

func (ev *evaluation) npm(ctx context.Context, w io.Writer) error {
	pkgs, files, sk, err := npmSets(ev.cfg.npmList, ev.cfg.cache)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "### npm packages\n\n")
	fmt.Fprintf(w, "%d packages of %s with a usable `license` field; skipped: %s.\n", len(pkgs), ev.cfg.npmList, orNone(sk.list(10)))
	noLic := 0
	for _, p := range pkgs {
		if len(licenseFiles(p.names)) == 0 {
			noLic++
		}
	}
	fmt.Fprintf(w, "%d of them have no license or notice file at their top (snipscan then derives nothing: a miss for every tool).\n\n", noLic)
	if len(pkgs) == 0 {
		return nil
	}
	res, err := ev.score(ctx, pkgs)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Package level (snipscan: `indexer.DirLicense` of the package's directory, manifests hidden; the other tools: the union of what they find in its license and notice files):")
	fmt.Fprintln(w)
	ev.licenseTable(w, res)
	ev.labelNoise(w, pkgs, res, 8)
	ev.withLicenseFile(w, pkgs, res)
	fmt.Fprintf(w, "#### npm license files\n\nThe only license file of %d of those packages, classified alone (`LicenseFile`), against the package's label.\n\n", len(files))
	if len(files) == 0 {
		return nil
	}
	res, err = ev.score(ctx, files)
	if err != nil {
		return err
	}
	ev.licenseTable(w, res)
	ev.labelNoise(w, files, res, 8)
	return nil
}

// withLicenseFile writes the package-level rows again for the packages
// that hold a license or notice file at their top: the others give every
// tool nothing to read.
func (ev *evaluation) withLicenseFile(w io.Writer, pkgs []evalCase, res *setResult) {
	fmt.Fprintln(w, "The same, on the packages with a license or notice file at their top:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| tool | cases | exact license set | exact expression | license precision | license recall |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for t, all := range res.scores {
		s := newScores(all.tool, false)
		for i, c := range pkgs {
			if len(licenseFiles(c.names)) > 0 {
				s.add(c, res.preds[t][i])
			}
		}
		fmt.Fprintln(w, s.licenseRow())
	}
	fmt.Fprintln(w)
}

func (ev *evaluation) debian(ctx context.Context, w io.Writer) error {
	cases, pkgs, sk, err := debianSet(ev.cfg.docDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "### Debian copyright files\n\n")
	versions := debianVersions(pkgs)
	listFile := filepath.Join(ev.cfg.out, "debian-packages.txt")
	data := []byte(strings.Join(versions, "\n") + "\n")
	if err := os.WriteFile(listFile, data, 0o644); err != nil {
		return fmt.Errorf("debian package list: %w", err)
	}
	fmt.Fprintf(w, "%d License fields with a text, from the machine-readable copyright files of %d packages in %s (%d package versions listed in %s, sha256 %x); skipped: %s.\n\n",
		len(cases), len(pkgs), ev.cfg.docDir, len(versions), listFile, sha256.Sum256(data), orNone(sk.list(12)))
	pointers := 0
	for _, c := range cases {
		if len(c.text) < 300 && strings.Contains(string(c.text), "common-licenses") {
			pointers++
		}
	}
	fmt.Fprintf(w, "%d of the cases are a short text (under 300 bytes) that points to /usr/share/common-licenses: the license is named only by that pointer (\"See /usr/share/common-licenses/Apache-2.0.\").\n\n", pointers)
	if len(cases) == 0 {
		return nil
	}
	res, err := ev.score(ctx, cases)
	if err != nil {
		return err
	}
	ev.licenseTable(w, res)
	ev.junkHolders(w, cases, res)
	return nil
}

// statesCopyright matches a line that may state a copyright.
var statesCopyright = regexp.MustCompile(`(?i)copyright|\(c\)|©|spdx-filecopyrighttext`)

// junkHolders counts, for each tool that reports holders, the texts
// without any copyright statement (no "Copyright", "(c)" or "©") in which
// it still finds a holder: a holder there is a false one (warranty text
// in capitals, names in the license's own words).
func (ev *evaluation) junkHolders(w io.Writer, cases []evalCase, res *setResult) {
	var none []int
	for i, c := range cases {
		if !statesCopyright.Match(c.text) {
			none = append(none, i)
		}
	}
	for t, tl := range ev.tools {
		if !tl.holders {
			continue
		}
		n, first := 0, ""
		for _, i := range none {
			if hs := res.preds[t][i].holders; len(hs) > 0 {
				n++
				if first == "" {
					first = fmt.Sprintf(" (first: %s, %q)", cases[i].name, hs[0])
				}
			}
		}
		fmt.Fprintf(w, "Holders on texts that state no copyright: %s finds some in %d of the %d cases without \"Copyright\", \"(c)\" or \"©\"%s.\n\n", tl.name, n, len(none), first)
	}
}

func (ev *evaluation) licensecheck(ctx context.Context, w io.Writer) error {
	dir := ev.cfg.lcDir
	if dir == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/licensecheck").Output()
		if err != nil {
			return fmt.Errorf("locate licensecheck in the module cache: %w", err)
		}
		dir = filepath.Join(strings.TrimSpace(string(out)), "testdata")
	}
	cases, sk, err := licensecheckSet(dir)
	if err != nil {
		return err
	}
	empty := 0
	for _, c := range cases {
		if len(c.want) == 0 {
			empty++
		}
	}
	fmt.Fprintf(w, "### google/licensecheck testdata\n\n%d files of %s (%d expected to match nothing); skipped: %s. Labels are licensecheck's own, so its row is close to its test suite; licensecheck names that SPDX lacks are LicenseRef-licensecheck-NAME.\n\n",
		len(cases), dir, empty, orNone(sk.list(5)))
	res, err := ev.score(ctx, cases)
	if err != nil {
		return err
	}
	ev.licenseTable(w, res)
	ev.junkHolders(w, cases, res)
	return nil
}

func (ev *evaluation) debsrc(ctx context.Context, w io.Writer) error {
	cases, sk, err := debsrcSet(ev.cfg.debsrcList, ev.cfg.cache, ev.cfg.perPackage, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "### Holders: Debian source packages\n\n%d source files of the packages of %s (at most %d a package), in %d Files paragraphs of their debian/copyright; skipped: %s.\n\n",
		len(cases), ev.cfg.debsrcList, ev.cfg.perPackage, holderGroups(cases), orNone(sk.list(5)))
	if len(cases) == 0 {
		return nil
	}
	res, err := ev.holderTable(ctx, w, cases)
	if err != nil {
		return err
	}
	ev.holderMisses(w, cases, res)
	named, _, err := debsrcSet(ev.cfg.debsrcList, ev.cfg.cache, ev.cfg.perPackage, true)
	if err != nil || len(named) == 0 {
		return err
	}
	fmt.Fprintf(w, "#### Files named one by one\n\nThe %d source files (in %d paragraphs) whose Files paragraph names its files without wildcards: a label written for these files, not for a tree.\n\n",
		len(named), holderGroups(named))
	res, err = ev.holderTable(ctx, w, named)
	if err != nil || !ev.cfg.verbose {
		return err
	}
	return ev.writeHolderErrors(named, res)
}

// writeHolderErrors writes snipscan's holder errors on cases to
// holders.tsv in -out: each holder found that matches no label (false),
// and each labelled holder that no case of its group yields (missed),
// with the group's files and the holders found in them.
func (ev *evaluation) writeHolderErrors(cases []evalCase, res *setResult) error {
	f, err := os.Create(filepath.Join(ev.cfg.out, "holders.tsv"))
	if err != nil {
		return fmt.Errorf("holders.tsv: %w", err)
	}
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
	fmt.Fprintln(f, "error\tholder\tcase or group\tholders labelled\tholders found")
	files, found := map[string][]string{}, map[string][]string{}
	var groups []string
	for i, c := range cases {
		got := res.preds[0][i].holders
		if _, ok := files[c.holderGroup]; !ok {
			groups = append(groups, c.holderGroup)
		}
		files[c.holderGroup] = append(files[c.holderGroup], c.name)
		found[c.holderGroup] = append(found[c.holderGroup], got...)
		for _, h := range got {
			if matchHolder(h, c.holders) < 0 {
				fmt.Fprintf(f, "false\t%s\t%s\t%s\t%s\n", clean(h), clean(c.name), clean(strings.Join(c.holders, "; ")), clean(strings.Join(got, "; ")))
			}
		}
	}
	for _, g := range groups {
		want := cases[slices.IndexFunc(cases, func(c evalCase) bool { return c.holderGroup == g })].holders
		for _, h := range want {
			if matchHolder(h, found[g]) < 0 {
				fmt.Fprintf(f, "missed\t%s\t%s %s\t%s\t%s\n", clean(h), g, strings.Join(files[g], " "), clean(strings.Join(want, "; ")), clean(strings.Join(sortedSet(found[g]), "; ")))
			}
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("holders.tsv: %w", err)
	}
	return nil
}

// holderGroups counts the paragraphs that label cases.
func holderGroups(cases []evalCase) int {
	groups := map[string]bool{}
	for _, c := range cases {
		groups[c.holderGroup] = true
	}
	return len(groups)
}

// holderTable scores cases and writes the holder table.
func (ev *evaluation) holderTable(ctx context.Context, w io.Writer, cases []evalCase) (*setResult, error) {
	res, err := ev.score(ctx, cases)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "| tool | files | holders found | holder precision | holders labelled | holder recall |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, s := range res.scores {
		fmt.Fprintln(w, s.holderRow())
	}
	fmt.Fprintln(w)
	return res, nil
}

// holderMisses lists the first holders snipscan found that match no label.
func (ev *evaluation) holderMisses(w io.Writer, cases []evalCase, res *setResult) {
	var extra []string
	// A holder outside the label that another tool reporting holders also
	// finds in the same file is more likely a gap of the label.
	others, seconded := 0, 0
	for t := 1; t < len(ev.tools); t++ {
		if ev.tools[t].holders {
			others = t
			break
		}
	}
	for i, c := range cases {
		for _, h := range res.preds[0][i].holders {
			if matchHolder(h, c.holders) < 0 {
				extra = append(extra, fmt.Sprintf("%s: %q (labels: %s)", c.name, h, strings.Join(c.holders, "; ")))
				if others > 0 && matchHolder(h, res.preds[others][i].holders) >= 0 {
					seconded++
				}
			}
		}
	}
	if len(extra) == 0 {
		return
	}
	if others > 0 {
		fmt.Fprintf(w, "Of snipscan's %d holders that match no label, %s also finds %d in the same file: the label (the holders Debian lists for a group of files) lacks many of the holders the files name.\n\n",
			len(extra), ev.tools[others].name, seconded)
	}
	fmt.Fprintf(w, "snipscan's holders that match no label (%d; the first ones):\n\n", len(extra))
	for i, e := range extra {
		if i == ev.cfg.top {
			break
		}
		fmt.Fprintf(w, "- %s\n", e)
	}
	fmt.Fprintln(w)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

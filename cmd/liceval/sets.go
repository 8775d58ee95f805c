package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/license"
)

// skips counts the inputs a set left out, by reason.
type skips map[string]int

// list renders the reasons, most frequent first.
func (s skips) list(n int) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s[keys[i]] != s[keys[j]] {
			return s[keys[i]] > s[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for i, k := range keys {
		if i == n {
			parts = append(parts, fmt.Sprintf("%d other reasons", len(keys)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s: %d", k, s[k]))
	}
	return strings.Join(parts, "; ")
}

// readList reads a pinned list: one entry a line, "#" comments and blank
// lines ignored.
func readList(file string) ([]string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read list: %w", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

// npmDir is where scripts/liceval-fetch.sh unpacks name@version: the
// tarball's "package" directory below the escaped name.
func npmDir(cache, spec string) string {
	return filepath.Join(cache, "npm", strings.ReplaceAll(spec, "/", "%2f"), "package")
}

// npmManifests are the files that would give the label away: the
// package's manifests and lock files.
func isNPMManifest(name string) bool {
	switch name {
	case "package.json", "package-lock.json", "npm-shrinkwrap.json", "bower.json", "component.json",
		"yarn.lock", "pnpm-lock.yaml", "jsr.json", "deno.json", "go.mod", "Cargo.toml", "pyproject.toml",
		"setup.cfg", "pom.xml", "VERSION":
		return true
	}
	return strings.HasSuffix(name, ".gemspec")
}

// npmLabel reads the license label of a package.json: its "license"
// field when it is a valid SPDX expression. It returns the skip reason
// otherwise.
func npmLabel(manifest []byte) (expr, skip string) {
	var m struct {
		License  json.RawMessage `json:"license"`
		Licenses json.RawMessage `json:"licenses"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return "", "package.json unreadable"
	}
	var s string
	switch {
	case len(m.License) == 0 && len(m.Licenses) > 0:
		return "", "legacy \"licenses\" array only"
	case len(m.License) == 0:
		return "", "no license field"
	case json.Unmarshal(m.License, &s) != nil:
		var obj struct{ Type string }
		if json.Unmarshal(m.License, &obj) != nil || obj.Type == "" {
			return "", "license field not a string"
		}
		s = obj.Type
	}
	s = strings.TrimSpace(s)
	switch {
	case strings.EqualFold(s, "UNLICENSED"):
		return "", "UNLICENSED"
	case strings.HasPrefix(strings.ToUpper(s), "SEE LICENSE"):
		return "", "SEE LICENSE IN"
	}
	if ok, _ := spdxexp.ValidateLicenses([]string{s}); !ok {
		return "", "not an SPDX expression"
	}
	e := license.Normalize(s)
	if e == "" {
		return "", "not an SPDX expression"
	}
	return e, ""
}

// npmSets builds the npm sets from the packages of list unpacked in
// cache: one case a package (its top directory, manifests hidden), and
// one a license file of the packages that hold exactly one.
func npmSets(list, cache string) (pkgs, files []evalCase, sk skips, err error) {
	specs, err := readList(list)
	if err != nil {
		return nil, nil, nil, err
	}
	sk = skips{}
	for _, spec := range specs {
		dir := npmDir(cache, spec)
		manifest, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			sk["not fetched (run scripts/liceval-fetch.sh)"]++
			continue
		}
		expr, why := npmLabel(manifest)
		if why != "" {
			sk[why]++
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("npm %s: %w", spec, err)
		}
		var names []string
		for _, e := range entries {
			if e.Type().IsRegular() && !isNPMManifest(e.Name()) {
				names = append(names, e.Name())
			}
		}
		c := evalCase{set: "npm", name: spec, dir: dir, names: names, kind: kindPackage,
			labelled: true, wantExpr: expr, want: leaves(expr)}
		pkgs = append(pkgs, c)
		var lics []string
		for _, n := range names {
			if license.IsLicenseFile(n) {
				lics = append(lics, n)
			}
		}
		if len(lics) == 1 {
			text, err := os.ReadFile(filepath.Join(dir, lics[0]))
			if err != nil {
				return nil, nil, nil, fmt.Errorf("npm %s: %w", spec, err)
			}
			files = append(files, evalCase{set: "npm-files", name: spec + "/" + lics[0], file: lics[0], text: text,
				kind: kindFile, labelled: true, wantExpr: expr, want: leaves(expr)})
		}
	}
	return pkgs, files, sk, nil
}

// debianSet builds the Debian set from the machine-readable copyright
// files under docDir: one case a License field with a body, in a
// standalone License paragraph or a Files paragraph, labelled with its
// short name converted to SPDX. Identical texts with the same label are
// one case. It returns the packages read.
func debianSet(docDir string) (cases []evalCase, pkgs []string, sk skips, err error) {
	files, err := filepath.Glob(filepath.Join(docDir, "*", "copyright"))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("debian: %w", err)
	}
	sort.Strings(files)
	sk = skips{}
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		paras, ok := parseDEP5(string(b))
		if !ok {
			sk["copyright file not machine-readable (files)"]++
			continue
		}
		pkgs = append(pkgs, filepath.Base(filepath.Dir(f)))
		for _, p := range paras {
			v, ok := p.fields["license"]
			if !ok {
				continue
			}
			name, body := licenseField(v)
			if strings.TrimSpace(body) == "" {
				continue
			}
			expr, unknown := debianToSPDX(name)
			switch {
			case unknown != "" && isPublicDomain(name):
				sk["public domain"]++
				continue
			case unknown != "":
				sk["unmapped name \""+unknown+"\""]++
				continue
			}
			key := expr + "\x00" + body
			if seen[key] {
				sk["duplicate text"]++
				continue
			}
			seen[key] = true
			cases = append(cases, evalCase{set: "debian", name: debianParagraphName(f, p), file: "copyright-paragraph.txt",
				text: []byte(strings.TrimLeft(body, "\n") + "\n"), kind: kindText, labelled: true, wantExpr: expr, want: leaves(expr)})
		}
	}
	return cases, pkgs, sk, nil
}

func isPublicDomain(name string) bool {
	n := strings.ToLower(name)
	return n == "pd" || strings.Contains(n, "public-domain") || strings.Contains(n, "public domain")
}

// debianVersions returns "package version" lines for the installed
// packages among pkgs, from dpkg.
func debianVersions(pkgs []string) []string {
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Package} ${Version}\n").Output()
	if err != nil {
		return nil
	}
	want := map[string]bool{}
	for _, p := range pkgs {
		want[p] = true
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, _, _ := strings.Cut(sc.Text(), " ")
		if want[strings.SplitN(name, ":", 2)[0]] {
			lines = append(lines, sc.Text())
		}
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

// licensecheckSet builds the set of google/licensecheck's testdata: each
// file's text after its header, labelled with the licenses of its
// expected coverage (licensecheck's names, converted to SPDX where SPDX
// knows them).
func licensecheckSet(dir string) ([]evalCase, skips, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.t*"))
	if err != nil {
		return nil, nil, fmt.Errorf("licensecheck testdata: %w", err)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("licensecheck testdata: no files in %s", dir)
	}
	sort.Strings(files)
	sk := skips{}
	var cases []evalCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("licensecheck testdata: %w", err)
		}
		ids, text, ok := parseTestdata(b)
		if !ok {
			sk["header not understood"]++
			continue
		}
		var want []string
		for _, id := range ids {
			want = append(want, googleID(id))
		}
		want = sortedSet(want)
		cases = append(cases, evalCase{set: "licensecheck", name: filepath.Base(f), file: filepath.Base(f) + ".txt",
			text: text, kind: kindText, labelled: true, wantExpr: strings.Join(want, " AND "), want: want})
	}
	return cases, sk, nil
}

// parseTestdata reads a licensecheck testdata file (its README): "#"
// comments, the coverage percent, one line a match ("MIT 0,$" or "MIT
// 98.9% 12,345 URL"), then optional "scan" stanzas, up to a blank line.
// It returns the license names of the first stanza and the text.
func parseTestdata(b []byte) (ids []string, text []byte, ok bool) {
	i := bytes.Index(b, []byte("\n\n"))
	if i < 0 {
		return nil, nil, false
	}
	hdr, text := strings.Split(string(b[:i]), "\n"), b[i+2:]
	for len(hdr) > 0 && strings.HasPrefix(hdr[0], "#") {
		hdr = hdr[1:]
	}
	if len(hdr) > 0 && hdr[0] == "cover+scan" {
		hdr = hdr[1:]
	}
	if len(hdr) == 0 || !strings.HasSuffix(hdr[0], "%") {
		return nil, nil, false
	}
	for _, l := range hdr[1:] {
		if l == "scan" {
			break
		}
		f := strings.Fields(l)
		if len(f) < 2 {
			return nil, nil, false
		}
		ids = append(ids, f[0])
	}
	return ids, text, true
}

// debsrcSet builds the holder set from the Debian source packages
// unpacked under cache/debsrc: each source file (a language snipscan
// reads, outside debian/) whose Files paragraph in debian/copyright names
// holders is a case, labelled with that paragraph's holders; at most
// perPackage files a package, chosen by a hash of their path. With named,
// only files whose paragraph names its files one by one (no wildcard in
// its Files field) are cases: there the maintainer listed the holders of
// these files, not of a whole tree.
func debsrcSet(list, cache string, perPackage int, named bool) ([]evalCase, skips, error) {
	specs, err := readList(list)
	if err != nil {
		return nil, nil, err
	}
	sk := skips{}
	var cases []evalCase
	for _, spec := range specs {
		src, _, _ := strings.Cut(spec, "=")
		root := filepath.Join(cache, "debsrc", src)
		b, err := os.ReadFile(filepath.Join(root, "debian", "copyright"))
		if err != nil {
			sk["not fetched (run scripts/liceval-fetch.sh)"]++
			continue
		}
		paras, ok := parseDEP5(string(b))
		if !ok {
			sk["debian/copyright not machine-readable"]++
			continue
		}
		cs, err := sourceCases(src, root, paras, perPackage, named)
		if err != nil {
			return nil, nil, err
		}
		cases = append(cases, cs...)
	}
	return cases, sk, nil
}

// sourceCases returns the labelled source files of one unpacked source
// package (with named, only those of paragraphs without wildcards).
func sourceCases(src, root string, paras []paragraph, perPackage int, named bool) ([]evalCase, error) {
	type cand struct {
		rel  string
		hash uint64
	}
	var cands []cand
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "debian" || rel == ".pc" || rel == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		lang := fingerprint.DetectLang(rel, nil)
		if lang == fingerprint.Unknown || lang == fingerprint.Text {
			return nil
		}
		h := fnv.New64a()
		h.Write([]byte(src + "/" + rel))
		cands = append(cands, cand{rel, h.Sum64()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("debian source %s: %w", src, err)
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].hash < cands[j].hash })
	var out []evalCase
	for _, c := range cands {
		if len(out) == perPackage {
			break
		}
		para := -1
		for i, p := range paras {
			if files, ok := p.fields["files"]; ok && filesMatch(strings.Fields(files), c.rel) {
				para = i // the last paragraph that matches wins
			}
		}
		if para < 0 || named && strings.ContainsAny(paras[para].fields["files"], "*?") {
			continue
		}
		holders := holdersOfField(paras[para].fields["copyright"])
		if len(holders) == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, c.rel))
		if err != nil || len(data) > 1<<20 || filecheck.IsBinary(data) {
			continue
		}
		text, _ := filecheck.Decode(data)
		set := "debsrc"
		if named {
			set = "debsrc-named" // a case of the subset, in cases.tsv
		}
		out = append(out, evalCase{set: set, name: src + "/" + c.rel, file: filepath.Base(c.rel), text: text,
			kind: kindHeader, holderLabel: true, holders: holders,
			holderGroup: fmt.Sprintf("%s:%d", src, paras[para].line)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

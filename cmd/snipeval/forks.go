package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/snipscan/snipscan/internal/eval"
	jsonreport "github.com/snipscan/snipscan/report"
)

// forkModule is a module of the fork list: a fork or partial copy of
// standard-library packages.
type forkModule struct {
	path, version string
	what          string // the list's comment line above it: what it forks
	dir           string
}

// readForks reads a fork list: one module@version a line, the comment
// line just above it saying what it forks.
func readForks(file string) ([]*forkModule, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*forkModule
	what := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			what = ""
		case strings.HasPrefix(line, "#"):
			what = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		default:
			mv := strings.SplitN(line, "@", 2)
			if len(mv) != 2 || strings.ContainsAny(mv[1], " \t") {
				return nil, fmt.Errorf("%s:%d: want module@version", file, n)
			}
			out = append(out, &forkModule{path: mv[0], version: mv[1], what: what})
			what = ""
		}
	}
	return out, sc.Err()
}

// Labels: a fork's own authors mark the files they copied from the Go
// distribution by keeping The Go Authors' copyright in the header, or by
// saying there where the file was copied from.
var (
	goAuthorsRe  = regexp.MustCompile(`(?i)copyright\b.{0,60}\bthe go authors`)
	copiedFromRe = regexp.MustCompile(`(?i)\b(?:copied|forked|derived|adapted|ported|taken)\s+from\s+(.{0,160})`)
	stdWordsRe   = regexp.MustCompile(`(?i)standard library|\bstdlib\b|go distribution|\bgoroot\b|golang/go\b|\bgo/src\b|go's\s|the go (?:source|repository|project|tree)`)
	pathTokenRe  = regexp.MustCompile(`[A-Za-z0-9_./]+`)
)

// header returns the comments above a Go file's package clause.
func header(src []byte) string {
	var b strings.Builder
	inBlock := false
	for _, line := range strings.Split(string(src), "\n") {
		s := strings.TrimSpace(line)
		switch {
		case inBlock:
			if i := strings.Index(s, "*/"); i >= 0 {
				inBlock = false
				s = s[:i]
			}
			b.WriteString(s + " ")
		case strings.HasPrefix(s, "//"):
			b.WriteString(strings.TrimPrefix(s, "//") + " ")
		case strings.HasPrefix(s, "/*"):
			s = strings.TrimPrefix(s, "/*")
			if i := strings.Index(s, "*/"); i >= 0 {
				s = s[:i]
			} else {
				inBlock = true
			}
			b.WriteString(s + " ")
		case s == "":
		default: // the package clause, or code: the header is over
			return b.String()
		}
	}
	return b.String()
}

// forkLabel is the fork authors' label of one file: copied from the Go
// distribution, and why the header says so ("go-authors", "copied-from").
func forkLabel(src []byte, stdDirs map[string]bool) (bool, string) {
	h := header(src)
	var why []string
	if goAuthorsRe.MatchString(h) {
		why = append(why, "go-authors")
	}
	for _, m := range copiedFromRe.FindAllStringSubmatch(h, -1) {
		if namesStd(m[1], stdDirs) {
			why = append(why, "copied-from")
			break
		}
	}
	return len(why) > 0, strings.Join(why, "+")
}

// namesStd reports whether the text after "copied from" names the Go
// distribution or a standard-library path (crypto/tls, src/go/build/read.go,
// "the flag package").
func namesStd(s string, stdDirs map[string]bool) bool {
	if stdWordsRe.MatchString(s) {
		return true
	}
	toks := pathTokenRe.FindAllString(s, -1)
	for i, t := range toks {
		t = strings.TrimPrefix(strings.Trim(t, "./"), "src/")
		if strings.HasSuffix(t, ".go") {
			t = path.Dir(t)
		}
		if !stdDirs[t] {
			continue
		}
		if strings.Contains(t, "/") || i+1 < len(toks) && strings.EqualFold(toks[i+1], "package") || i > 0 && strings.EqualFold(toks[i-1], "package") {
			return true
		}
	}
	return false
}

// forkFile is one .go file of a fork module with its scores.
type forkFile struct {
	rel          string
	test, copied bool
	why          string
	code         int // code lines (aligner's count)
	covered      int // code lines inside a finding whose source is in GOROOT
	findings     []jsonreport.Match
	counterpart  string     // GOROOT/src-relative path of the best-aligned file of the same name
	regions      []eval.Run // shared runs of >= eval.ConfirmLines lines with it
	pairs        [][2]int   // the lines the alignment with it pairs
	regionCover  []float64  // share of each region's code lines covered by findings
	confirmed    []eval.Run // per finding: the aligner's longest run around it
	consistent   []bool     // per finding: its source is the namesake, and the files' alignment pairs most of its lines into its source lines
	srcPaths     []string   // per finding: its source, GOROOT/src-relative
}

func (f *forkFile) found() bool { return len(f.findings) > 0 }

type forkStats struct {
	mod                           *forkModule
	files                         []*forkFile
	scanTime                      time.Duration
	otherFindings, otherConfirmed int // findings in files that are not labelled (.s, .c, testdata)
	otherSample                   []string
}

// forks runs the fork evaluation: GOROOT/src is indexed with the snipscan
// command, each fork module of the list is scanned with it, and the
// findings are scored against the forks' own labels, against the regions
// an aligner finds between each copied file and its GOROOT namesake, and
// against the aligner's verdict on each finding.
func forks(ctx context.Context, list string, args []string, work string, stdout io.Writer) error {
	mods, err := readForks(list)
	if err != nil {
		return err
	}
	var ms []*module
	for _, m := range mods {
		ms = append(ms, &module{path: m.path, version: m.version})
	}
	log.Printf("downloading %d fork modules through the Go module proxy", len(ms))
	if err := download(ctx, ms); err != nil {
		return err
	}
	for i, m := range ms {
		mods[i].dir = m.dir
	}
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	bin := filepath.Join(work, "snipscan")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/snipscan")
	build.Dir, build.Stderr = repo, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/snipscan: %w", err)
	}
	src := filepath.Join(runtime.GOROOT(), "src")
	if s, err := filepath.EvalSymlinks(src); err == nil {
		src = s
	}
	db := filepath.Join(work, "goroot.db")
	os.Remove(db)
	log.Printf("snipscan index --db %s %s", db, src)
	start := time.Now()
	idx := exec.CommandContext(ctx, bin, "index", "--db", db, src)
	idx.Stderr = os.Stderr
	if err := idx.Run(); err != nil {
		return fmt.Errorf("snipscan index: %w", err)
	}
	indexTime := time.Since(start)

	// GOROOT's .go files by name, for the counterparts; its directories,
	// for the labels.
	byName := map[string][]string{}
	stdDirs := map[string]bool{}
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			stdDirs[rel] = true
			return nil
		}
		if strings.HasSuffix(p, ".go") {
			byName[d.Name()] = append(byName[d.Name()], rel)
		}
		return nil
	})
	cache := map[string]string{}
	read := func(p string) string {
		s, ok := cache[p]
		if !ok {
			b, _ := os.ReadFile(p)
			s = string(b)
			cache[p] = s
		}
		return s
	}

	var all []*forkStats
	for _, m := range mods {
		st, err := scanFork(ctx, bin, db, src, m, work, byName, stdDirs, read)
		if err != nil {
			return err
		}
		all = append(all, st)
	}
	writeForks(stdout, list, args, repo, indexTime, all)
	return nil
}

func scanFork(ctx context.Context, bin, db, src string, m *forkModule, work string, byName map[string][]string, stdDirs map[string]bool, read func(string) string) (*forkStats, error) {
	st := &forkStats{mod: m}
	out := filepath.Join(work, strings.NewReplacer("/", "_", "@", "_").Replace(m.path+"@"+m.version)+".json")
	log.Printf("snipscan scan --db %s --format json %s", db, m.dir)
	start := time.Now()
	cmd := exec.CommandContext(ctx, bin, "scan", "--db", db, "--format", "json", "--progress", "never", "--output", out, m.dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	st.scanTime = time.Since(start)
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		return nil, fmt.Errorf("snipscan scan %s: %v: %s", m.dir, err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var doc jsonreport.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", out, err)
	}
	found := map[string][]jsonreport.Match{}
	for _, f := range doc.Files {
		rel, err := filepath.Rel(m.dir, f.Path)
		if err != nil {
			rel = f.Path
		}
		found[filepath.ToSlash(rel)] = f.Matches
	}
	confirm := func(target string, tl [2]int, s jsonreport.Source) (eval.Run, string) {
		srcPath := filepath.Join(s.Root, filepath.FromSlash(s.Path))
		run := eval.LongestRun(read(target), max(1, tl[0]-5), tl[1]+5, read(srcPath), max(1, s.Lines[0]-5), s.Lines[1]+5)
		rel := s.Path
		if r, err := filepath.Rel(src, srcPath); err == nil && !strings.HasPrefix(r, "..") {
			rel = filepath.ToSlash(r)
		} else {
			rel = srcPath // not GOROOT's: cannot happen with GOROOT alone indexed
		}
		return run, rel
	}
	labelled := map[string]bool{}
	err = filepath.WalkDir(m.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != m.dir && (n == "testdata" || n == "vendor" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(m.dir, p)
		rel = filepath.ToSlash(rel)
		labelled[rel] = true
		text := read(p)
		f := &forkFile{rel: rel, test: strings.HasSuffix(p, "_test.go")}
		f.copied, f.why = forkLabel([]byte(text), stdDirs)
		code := eval.CodeLines(text)
		f.code = len(code)
		var ranges [][2]int
		for _, fd := range found[rel] {
			run, sp := confirm(p, fd.Lines, fd.Source)
			if strings.HasPrefix(sp, "/") {
				continue
			}
			f.findings = append(f.findings, fd)
			f.confirmed = append(f.confirmed, run)
			f.srcPaths = append(f.srcPaths, sp)
			ranges = append(ranges, fd.Lines)
		}
		in := func(ln int) bool {
			for _, r := range ranges {
				if r[0] <= ln && ln <= r[1] {
					return true
				}
			}
			return false
		}
		for _, ln := range code {
			if in(ln) {
				f.covered++
			}
		}
		if f.copied {
			f.counterpart, f.regions, f.pairs = counterpart(text, rel, byName[path.Base(rel)], src, read)
			for _, r := range f.regions {
				n, c := 0, 0
				for _, ln := range code {
					if r.A[0] <= ln && ln <= r.A[1] {
						n++
						if in(ln) {
							c++
						}
					}
				}
				f.regionCover = append(f.regionCover, float64(c)/float64(max(1, n)))
			}
		}
		for i, fd := range f.findings {
			ok := false
			if f.counterpart != "" && f.srcPaths[i] == f.counterpart {
				n, paired := 0, 0
				for _, ln := range code {
					if fd.Lines[0] <= ln && ln <= fd.Lines[1] {
						n++
					}
				}
				for _, p := range f.pairs {
					if fd.Lines[0] <= p[0] && p[0] <= fd.Lines[1] && fd.Source.Lines[0] <= p[1] && p[1] <= fd.Source.Lines[1] {
						paired++
					}
				}
				ok = n > 0 && 2*paired >= n
			}
			f.consistent = append(f.consistent, ok)
		}
		st.files = append(st.files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for rel, ms := range found {
		if labelled[rel] {
			continue
		}
		for _, fd := range ms {
			st.otherFindings++
			run, _ := confirm(filepath.Join(m.dir, rel), fd.Lines, fd.Source)
			if run.Lines >= eval.ConfirmLines {
				st.otherConfirmed++
			}
			st.otherSample = append(st.otherSample, rel)
		}
	}
	sort.Strings(st.otherSample)
	return st, nil
}

// counterpart picks, among GOROOT's files of the same name, the one
// sharing the most lines in regions of at least eval.ConfirmLines lines
// with text (ties: the longer common directory suffix, then the path),
// and returns it with those regions; none when no file of that name
// shares a region.
func counterpart(text, rel string, cands []string, src string, read func(string) string) (string, []eval.Run, [][2]int) {
	best, bestLines, bestSuffix := "", 0, -1
	var bestRegs []eval.Run
	var bestPairs [][2]int
	dirs := strings.Split(path.Dir(rel), "/")
	for _, c := range cands {
		regs, pairs := eval.Align(text, read(filepath.Join(src, filepath.FromSlash(c))), eval.ConfirmLines)
		n := 0
		for _, r := range regs {
			n += r.Lines
		}
		if n == 0 {
			continue
		}
		cd := strings.Split(path.Dir(c), "/")
		suf := 0
		for suf < len(dirs) && suf < len(cd) && dirs[len(dirs)-1-suf] == cd[len(cd)-1-suf] {
			suf++
		}
		if n > bestLines || n == bestLines && (suf > bestSuffix || suf == bestSuffix && c < best) {
			best, bestLines, bestSuffix, bestRegs, bestPairs = c, n, suf, regs, pairs
		}
	}
	return best, bestRegs, bestPairs
}

// regionFound is the share of a region's lines a finding must cover.
const regionFound = 0.5

type forkTotals struct {
	copied, copiedFound, copiedTest, copiedTestFound int
	withRegions, withRegionsFound                    int // non-test copied files sharing a region with their counterpart
	code, covered                                    int // non-test copied files' code lines
	regions, regionsFound                            int // non-test
	regionsTest, regionsTestFound                    int
	own, ownFlagged, ownTest, ownTestFlagged         int
	findings, confirmed                              int
	consistent                                       int // not confirmed, but in a copied file, from its namesake, the lines paired by the files' alignment
	rewrites, rewritesConfirmed, rewritesConsistent  int // the findings of kind rewrite among them
}

func (t *forkTotals) add(st *forkStats) {
	for _, f := range st.files {
		for i, r := range f.confirmed {
			t.findings++
			rw := f.findings[i].Kind == "rewrite"
			if rw {
				t.rewrites++
			}
			if r.Lines >= eval.ConfirmLines {
				t.confirmed++
				if rw {
					t.rewritesConfirmed++
				}
			} else if f.consistent[i] {
				t.consistent++
				if rw {
					t.rewritesConsistent++
				}
			}
		}
		switch {
		case f.copied && !f.test:
			t.copied++
			t.code += f.code
			t.covered += f.covered
			if f.found() {
				t.copiedFound++
			}
			if len(f.regions) > 0 {
				t.withRegions++
				if f.found() {
					t.withRegionsFound++
				}
			}
			for _, c := range f.regionCover {
				t.regions++
				if c > regionFound {
					t.regionsFound++
				}
			}
		case f.copied:
			t.copiedTest++
			if f.found() {
				t.copiedTestFound++
			}
			for _, c := range f.regionCover {
				t.regionsTest++
				if c > regionFound {
					t.regionsTestFound++
				}
			}
		case !f.test:
			t.own++
			if f.found() {
				t.ownFlagged++
			}
		default:
			t.ownTest++
			if f.found() {
				t.ownTestFlagged++
			}
		}
	}
	t.findings += st.otherFindings
	t.confirmed += st.otherConfirmed
}

func ratioPct(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func frac(a, b int) string { return fmt.Sprintf("%d/%d (%s)", a, b, ratioPct(a, b)) }

func gitHead(repo string) string {
	cmd := exec.Command("git", "rev-parse", "--short", "HEAD")
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func writeForks(w io.Writer, list string, args []string, repo string, indexTime time.Duration, all []*forkStats) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	var scan time.Duration
	var tot forkTotals
	for _, st := range all {
		scan += st.scanTime
		tot.add(st)
	}
	p("Measured %s at commit %s with `go run ./cmd/snipeval %s` (%s, %s/%s): GOROOT/src indexed with `snipscan index` in %v, %d fork modules of %s scanned with `snipscan scan --format json` in %v.\n\n",
		time.Now().UTC().Format("2006-01-02"), gitHead(repo), strings.Join(args, " "), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		indexTime.Round(100*time.Millisecond), len(all), list, scan.Round(100*time.Millisecond))
	p("| module | forks | copied files found | copied test files found | copied files' code lines covered | regions found | copied test files' regions found | own files flagged | own test files flagged | findings confirmed |\n")
	p("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range all {
		var t forkTotals
		t.add(st)
		p("| %s@%s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", st.mod.path, st.mod.version, st.mod.what,
			frac(t.copiedFound, t.copied), frac(t.copiedTestFound, t.copiedTest), ratioPct(t.covered, t.code),
			frac(t.regionsFound, t.regions), frac(t.regionsTestFound, t.regionsTest),
			frac(t.ownFlagged, t.own), frac(t.ownTestFlagged, t.ownTest), frac(t.confirmed, t.findings))
	}
	p("| **all** | | **%s** | %s | %s | **%s** | %s | %s | %s | **%s** |\n\n",
		frac(tot.copiedFound, tot.copied), frac(tot.copiedTestFound, tot.copiedTest), ratioPct(tot.covered, tot.code),
		frac(tot.regionsFound, tot.regions), frac(tot.regionsTestFound, tot.regionsTest),
		frac(tot.ownFlagged, tot.own), frac(tot.ownTestFlagged, tot.ownTest), frac(tot.confirmed, tot.findings))
	p("| measure | target | result |\n|---|---|---|\n")
	p("| copied files found (non-test, labelled by the forks' authors) | >= 98%% | %s |\n", frac(tot.copiedFound, tot.copied))
	p("| copied files found, of those sharing a region with their GOROOT namesake | >= 98%% | %s |\n", frac(tot.withRegionsFound, tot.withRegions))
	p("| copied regions found (non-test; runs of >= %d aligned lines, more than half covered) | >= 93.5%% | %s |\n", eval.ConfirmLines, frac(tot.regionsFound, tot.regions))
	p("| copied test files found | | %s |\n", frac(tot.copiedTestFound, tot.copiedTest))
	p("| copied test regions found | | %s |\n", frac(tot.regionsTestFound, tot.regionsTest))
	p("| precision (findings the aligner confirms, all files) | >= 0.99 | %s |\n", frac(tot.confirmed, tot.findings))
	p("| precision, also counting a finding in a copied file whose source is the file's GOROOT namesake and whose lines the two files' alignment pairs (at least half of them) with its source lines | >= 0.99 | %s |\n", frac(tot.confirmed+tot.consistent, tot.findings))
	p("| precision of copies (findings of kind snippet and file): confirmed; also counting the namesake's paired lines | | %s; %s |\n",
		frac(tot.confirmed-tot.rewritesConfirmed, tot.findings-tot.rewrites), frac(tot.confirmed+tot.consistent-tot.rewritesConfirmed-tot.rewritesConsistent, tot.findings-tot.rewrites))
	p("| precision of rewrites (kind rewrite: names, idioms and order changed, which the line aligner cannot follow): confirmed; also counting the namesake's paired lines | | %s; %s |\n",
		frac(tot.rewritesConfirmed, tot.rewrites), frac(tot.rewritesConfirmed+tot.rewritesConsistent, tot.rewrites))
	p("| own files flagged (non-test) | | %s |\n", frac(tot.ownFlagged, tot.own))
	p("| own test files flagged | | %s |\n\n", frac(tot.ownTestFlagged, tot.ownTest))

	p("#### Copied files without a finding\n\n| file | label | code lines | GOROOT namesake | regions: lines |\n|---|---|---|---|---|\n")
	for _, st := range all {
		for _, f := range st.files {
			if f.copied && !f.found() {
				n := 0
				for _, r := range f.regions {
					n += r.Lines
				}
				test := ""
				if f.test {
					test = " (test)"
				}
				p("| %s@%s/%s%s | %s | %d | %s | %d: %d |\n", st.mod.path, st.mod.version, f.rel, test, f.why, f.code, f.counterpart, len(f.regions), n)
			}
		}
	}
	p("\n#### Regions not found (non-test)\n\n| file | lines | GOROOT namesake | lines | aligned lines | covered |\n|---|---|---|---|---|---|\n")
	for _, st := range all {
		for _, f := range st.files {
			if f.test {
				continue
			}
			for i, r := range f.regions {
				if f.regionCover[i] > regionFound {
					continue
				}
				p("| %s/%s | %d-%d | %s | %d-%d | %d | %.0f%% |\n", st.mod.path, f.rel, r.A[0], r.A[1], f.counterpart, r.B[0], r.B[1], r.Lines, 100*f.regionCover[i])
			}
		}
	}
	p("\n#### Own files flagged\n\n| file | lines | source (GOROOT/src) | lines | matched | aligner: shared lines |\n|---|---|---|---|---|---|\n")
	for _, st := range all {
		for _, f := range st.files {
			if f.copied {
				continue
			}
			for i, fd := range f.findings {
				p("| %s/%s | %d-%d | %s | %d-%d | %.0f%% | %d |\n", st.mod.path, f.rel, fd.Lines[0], fd.Lines[1], f.srcPaths[i], fd.Source.Lines[0], fd.Source.Lines[1], 100*fd.Matched, f.confirmed[i].Lines)
			}
		}
	}
	p("\n#### Findings the aligner does not confirm\n\n| file | label | lines | source (GOROOT/src) | lines | kind | matched | aligner: shared lines | lines paired by the files' alignment |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range all {
		for _, f := range st.files {
			for i, fd := range f.findings {
				if f.confirmed[i].Lines >= eval.ConfirmLines {
					continue
				}
				label := "own"
				if f.copied {
					label = f.why
				}
				pairing := ""
				if f.consistent[i] {
					pairing = "yes"
				}
				p("| %s/%s | %s | %d-%d | %s | %d-%d | %s | %.0f%% | %d | %s |\n", st.mod.path, f.rel, label, fd.Lines[0], fd.Lines[1], f.srcPaths[i], fd.Source.Lines[0], fd.Source.Lines[1], fd.Kind, 100*fd.Matched, f.confirmed[i].Lines, pairing)
			}
		}
		if st.otherFindings > 0 {
			p("| %s: %d findings in files not labelled (%s) | | | | | | | %d confirmed |\n", st.mod.path, st.otherFindings, strings.Join(st.otherSample, ", "), st.otherConfirmed)
		}
	}
}

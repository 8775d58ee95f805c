package report

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"slices"

	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/policy"
)

//go:embed html.tmpl
var htmlTemplateText string

//go:embed html.js
var htmlScript string

//go:embed html.css
var htmlStyle string

// HTML writes doc as one self-contained HTML page for legal review: the
// scan's summary (with the files it left out and the findings it does not
// list), what it could not cover (files it could not read, a corpus read
// unfinished), the findings by license category, then every finding
// (collapsed when there are more than HTMLOpenFindings) with its source
// (and whether it changed since it was indexed), license (and the choice
// the verdict was made on), holders, package, shares, verdict and reasons,
// alternates, and its code side by side: the target's lines and the source's, tokens that match marked,
// identifiers renamed between the two marked differently. The page loads
// nothing: its style and its small script (filters by verdict and license
// category) are inline, and its Content-Security-Policy forbids any other
// resource.
//
// The code comes from opts.ReadTarget (by File.Path) and opts.ReadSource
// (by Source.Root and Source.Path); each file is read once. When a reader
// is nil or fails, or the text no longer holds the finding's lines, the
// finding is shown without that side's code and says why. Each side shows
// at most HTMLMaxLines of the finding's lines and HTMLContextLines around
// them, lines cut at HTMLMaxLineBytes, so that the page stays small.
func HTML(w io.Writer, doc *Document, opts Options) error {
	tmpl, err := template.New("page").Parse(htmlTemplateText)
	if err != nil {
		return fmt.Errorf("report: html: template: %w", err)
	}
	page := htmlPageOf(doc, opts)
	bw := bufio.NewWriter(w)
	if err := tmpl.Execute(bw, page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

// HTMLOpenFindings is the largest number of findings that the HTML report
// shows open, code views included; a larger report shows them collapsed,
// to be opened one by one or with "Expand shown".
const HTMLOpenFindings = 10

// htmlPage is what the template shows.
type htmlPage struct {
	Doc    *Document
	CSP    string
	Style  template.CSS
	Script template.JS
	Counts htmlCounts
	// LeftOut says what files the scan left out, Unlisted what findings
	// the page does not list (filesLeftOut, findingsUnlisted).
	LeftOut    []string
	Unlisted   []string
	Categories []htmlCategory
	Verdicts   []string // the verdicts present, for the filter
	Findings   []*htmlFinding
	Open       bool // the findings are shown open (there are few)
	// Incomplete says which corpora were read unfinished;
	// UnscannedHeadline what the files not scanned do to the scan.
	Incomplete        []string
	UnscannedHeadline string
}

// htmlCounts counts findings by verdict.
type htmlCounts struct {
	Findings, Fail, Warn, Pass, Accepted int
}

func (c *htmlCounts) add(verdict string) {
	c.Findings++
	switch verdict {
	case policy.Fail:
		c.Fail++
	case policy.Warn:
		c.Warn++
	case policy.Pass:
		c.Pass++
	case policy.Accepted:
		c.Accepted++
	}
}

// htmlCategory is a row of the table by license category.
type htmlCategory struct {
	Name     string
	Licenses []string
	htmlCounts
}

// htmlFinding is one finding as shown.
type htmlFinding struct {
	N        int // 1-based, in the page's order
	Target   string
	Source   string // the source's path, or for a file indexed alone its name
	M        *Match
	Category string
	License  string // "unknown" when not known
	Choice   string // the licenses the verdict was made on, when the license offers a choice
	Package  string
	Matched  string
	Exact    string
	Stale    string      // what happened to the source file since it was indexed, if it changed or is gone
	Code     [2]htmlSide // target, source
}

// htmlSide is one side of a finding's code view.
type htmlSide struct {
	Label       string // the file and lines
	Unavailable string // why no code is shown
	Rows        []codeLine
	More        int // the finding's lines not shown
}

// htmlPageOf assembles the page: counts, categories, findings in order
// (failing first, then by target path and line), and their code.
func htmlPageOf(doc *Document, opts Options) *htmlPage {
	sum := sha256.Sum256([]byte(htmlScript))
	p := &htmlPage{
		Doc:    doc,
		CSP:    "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'",
		Style:  template.CSS(htmlStyle),
		Script: template.JS(htmlScript),
	}
	p.LeftOut, p.Unlisted = filesLeftOut(doc), findingsUnlisted(doc)
	for _, c := range doc.IncompleteCorpus {
		p.Incomplete = append(p.Incomplete, incompleteLine(c))
	}
	if len(doc.Unscanned) > 0 {
		p.UnscannedHeadline = capitalize(unscannedHeadline(doc))
	}

	byCat := map[license.Category]*htmlCategory{}
	verdicts := map[string]bool{}
	for _, f := range doc.Files {
		for i := range f.Matches {
			m := &f.Matches[i]
			cat := categoryOf(m)
			hf := &htmlFinding{Target: f.Path, Source: cmp.Or(m.Source.Path, filepath.Base(m.Source.Root)), M: m, Category: cat.String(), License: cmp.Or(m.Source.License, "unknown"),
				Package: packageLabel(m.Source), Matched: pct(m.Matched), Exact: pct(m.Exact), Stale: sourceState(m.Source), Choice: m.Policy.LicenseChoice}
			hf.Code[0].Label = fmt.Sprintf("%s lines %d-%d", f.Path, m.Lines[0], m.Lines[1])
			hf.Code[1].Label = fmt.Sprintf("%s lines %d-%d", hf.Source, m.Source.Lines[0], m.Source.Lines[1])
			p.Findings = append(p.Findings, hf)
			p.Counts.add(m.Policy.Verdict)
			verdicts[m.Policy.Verdict] = true
			c := byCat[cat]
			if c == nil {
				c = &htmlCategory{Name: cat.String()}
				byCat[cat] = c
			}
			c.add(m.Policy.Verdict)
			if !slices.Contains(c.Licenses, hf.License) {
				c.Licenses = append(c.Licenses, hf.License)
			}
		}
	}
	for _, c := range categoryOrder(byCat) {
		slices.Sort(byCat[c].Licenses)
		p.Categories = append(p.Categories, *byCat[c])
	}
	for _, v := range []string{policy.Fail, policy.Warn, policy.Pass, policy.Accepted} {
		if verdicts[v] {
			p.Verdicts = append(p.Verdicts, v)
			delete(verdicts, v)
		}
	}
	var other []string // verdicts this renderer does not know
	for v := range verdicts {
		other = append(other, v)
	}
	slices.Sort(other)
	p.Verdicts = append(p.Verdicts, other...)

	slices.SortStableFunc(p.Findings, func(a, b *htmlFinding) int {
		return cmp.Or(
			cmp.Compare(verdictRank(a.M.Policy.Verdict), verdictRank(b.M.Policy.Verdict)),
			cmp.Compare(a.Target, b.Target),
			cmp.Compare(a.M.Lines[0], b.M.Lines[0]),
		)
	})
	for i, f := range p.Findings {
		f.N = i + 1
	}
	htmlCode(p.Findings, opts)
	p.Open = len(p.Findings) <= HTMLOpenFindings
	return p
}

// categoryOrder returns the keys of by from the most restrictive license
// category to the least, unknown last: the order of the reports' tables.
func categoryOrder[V any](by map[license.Category]V) []license.Category {
	cats := make([]license.Category, 0, len(by))
	for c := range by {
		cats = append(cats, c)
	}
	slices.SortFunc(cats, func(a, b license.Category) int {
		if (a == license.Unknown) != (b == license.Unknown) {
			if a == license.Unknown {
				return 1
			}
			return -1
		}
		return cmp.Compare(b, a)
	})
	return cats
}

// htmlCode fills in the code views of the findings. Each target and each
// source file is read once, the findings grouped by file (sources in order
// of root and path, so that a reader of archives can keep one open), and
// only the excerpts are kept.
func htmlCode(findings []*htmlFinding, opts Options) {
	sides := [2]htmlReader{
		{
			key:   func(f *htmlFinding) [2]string { return [2]string{"", f.Target} },
			lines: func(f *htmlFinding) [2]int { return f.M.Lines },
			read: func(f *htmlFinding) ([]byte, error) {
				if opts.ReadTarget == nil {
					return nil, nil
				}
				return opts.ReadTarget(f.Target)
			},
		},
		{
			key:   func(f *htmlFinding) [2]string { return [2]string{f.M.Source.Root, f.M.Source.Path} },
			lines: func(f *htmlFinding) [2]int { return f.M.Source.Lines },
			stale: func(f *htmlFinding) string {
				if st := sourceState(f.M.Source); st != "" {
					return "Code not shown: " + st + "; the lines given are those indexed."
				}
				return ""
			},
			read: func(f *htmlFinding) ([]byte, error) {
				if opts.ReadSource == nil {
					return nil, nil
				}
				return opts.ReadSource(f.M.Source.Root, f.M.Source.Path)
			},
		},
	}
	// The findings whose code fits the page's budget, in page order.
	budget, shown := HTMLMaxCodeLines, make([]bool, len(findings))
	for i, f := range findings {
		need := 0
		for _, r := range sides {
			l := r.lines(f)
			need += min(max(l[1]-l[0]+1, 1), HTMLMaxLines) + 2*HTMLContextLines
		}
		if need <= budget {
			shown[i], budget = true, budget-need
		} else {
			budget = 0 // keep the page's order: no later, smaller finding jumps in
		}
	}
	excerpts := make([][2]*excerpt, len(findings))
	for side, r := range sides {
		idx := make([]int, len(findings))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			ka, kb := r.key(findings[a]), r.key(findings[b])
			return cmp.Or(cmp.Compare(ka[0], kb[0]), cmp.Compare(ka[1], kb[1]))
		})
		var (
			cur     [2]string
			file    *codeFile
			why     string
			started bool
		)
		for _, i := range idx {
			f := findings[i]
			if r.stale != nil {
				if why := r.stale(f); why != "" {
					f.Code[side].Unavailable = why
					continue
				}
			}
			if !shown[i] {
				f.Code[side].Unavailable = fmt.Sprintf("Code not shown: the page shows the code of its first findings only (%d lines in all); "+
					"scan a narrower PATH for the code of the others.", HTMLMaxCodeLines)
				continue
			}
			if k := r.key(f); !started || k != cur {
				cur, started, file, why = k, true, nil, ""
				src, err := r.read(f)
				switch {
				case err != nil:
					why = "The file's text is not available: " + err.Error() + "."
				case src == nil:
					why = "The file's text was not given to the report."
				default:
					file = newCodeFile(cmp.Or(k[1], k[0]), src)
				}
			}
			lines := r.lines(f)
			s := &f.Code[side]
			switch {
			case file == nil:
				s.Unavailable = why
			case lines[0] < 1 || lines[1] < lines[0]:
				s.Unavailable = fmt.Sprintf("The finding has no valid line range (%d-%d).", lines[0], lines[1])
			case lines[1] > file.lines():
				s.Unavailable = fmt.Sprintf("The file has %d lines, fewer than the finding's last line %d: it changed since it was scanned or indexed.",
					file.lines(), lines[1])
			default:
				excerpts[i][side] = file.excerpt(lines[0], lines[1])
			}
		}
	}
	for i, f := range findings {
		t, s := excerpts[i][0], excerpts[i][1]
		if t != nil && s != nil {
			markAligned(t, s)
		}
		for side, x := range excerpts[i] {
			if x != nil {
				f.Code[side].Rows = x.rows()
				f.Code[side].More = x.more
			}
		}
	}
}

// htmlReader reads one side's files for htmlCode: key names the file,
// lines are the finding's lines in it, stale (if set) says why the file
// must not be read for a finding, and read returns its text, or nil
// without a reader.
type htmlReader struct {
	key   func(*htmlFinding) [2]string
	lines func(*htmlFinding) [2]int
	stale func(*htmlFinding) string
	read  func(*htmlFinding) ([]byte, error)
}

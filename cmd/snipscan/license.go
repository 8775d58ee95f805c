package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/license"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/walk"
)

const licenseUsage = `
Usage: snipscan license [flags] PATH...

Print what snipscan's license classifier decides for each file: the SPDX
expression of every license found in it, with its lines, the kind of
evidence (tag, text, notice, reference, url) and a confidence (and, for
a full license text, its coverage: the share of the license's words found
in order); the license
source; and the copyright statements and holders. For audits of a
classification, and for debugging one. Any file is accepted, whatever its
name or extension; a directory is read whole.

The license of a file is its SPDX-License-Identifier tags when it has
some; else it combines every license found in it with AND, except that a
choice ("either A or B", "at your option", "dual licensed",
"alternatively") is an OR, the full text or URL of a license that another
statement of the file grants or offers adds nothing, and a notice is one
of a choice's alternatives only when every alternative has its own text or
notice in the file. A statement that grants nothing to the file's own
work is listed with "not granted" and why, and adds nothing: it speaks
of a part, an origin or a component ("This product includes libfoo,
which is ...": part) or of another work ("Unlike our SDK, released under
...": other-work), it is negated ("is not licensed under MIT": negated),
it stands in a section about other components ("THIRD-PARTY
COMPONENTS": components), it is about documentation, images, fonts or
data (non-code; such licenses are the file's only when it states no
other), or the file reserves the rights to its own work ("You may not
copy, modify or distribute this software": reserved). An index records the same license for a file's header. Its
source is spdx_tag when an SPDX-License-Identifier decided, license_file
for a license file or a full license text, file_header otherwise.

Examples:

	snipscan license LICENSE
	snipscan license --format json vendor/github.com/some/module
`

// licenseDoc is the JSON contract of snipscan license --format json.
type licenseDoc struct {
	Schema int           `json:"schema"`
	Files  []licenseFile `json:"files"`
}

type licenseFile struct {
	Path          string         `json:"path"`
	License       string         `json:"license"`
	LicenseSource string         `json:"license_source"`
	Licenses      []licenseMatch `json:"licenses"`
	Copyrights    []string       `json:"copyrights"`
	Holders       []string       `json:"holders"`
	Category      string         `json:"category"`
	RefersTo      string         `json:"refers_to,omitempty"` // a license file the text defers to ("LICENSE")
	Hint          string         `json:"hint,omitempty"`      // the license family such a reference names
}

type licenseMatch struct {
	Expression string  `json:"expression"`
	Lines      [2]int  `json:"lines"`
	Evidence   string  `json:"evidence"`
	Confidence float64 `json:"confidence"`
	// Coverage is, for a full license text matched word by word, the
	// share of the license's required words found in order (0..1, see
	// license.Match.Coverage); absent for other evidence.
	Coverage float64 `json:"coverage,omitempty"`
	// NotGranted says why the statement grants nothing of the file's own
	// license (license.Match.Why: part, other-work, non-code, negated,
	// components, reserved); absent for a grant.
	NotGranted string `json:"not_granted,omitempty"`
}

func runLicense(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "license", licenseUsage)
	format := fs.String("format", "text", "output `format`: text or json")
	verbose := fs.Bool("v", false, "list skipped files on stderr")
	maxSize := sizeFlag(fs, "max-file-size", walk.DefaultMaxFileSize, 1, "skip files larger than this `size` in bytes (or with a k, M or G suffix: KiB, MiB, GiB)")
	workers := intRangeFlag(fs, "workers", 0, 1, 1024, true, "classifying `goroutines` (default: one per CPU)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("no PATH to classify")
	}
	if *format != "text" && *format != "json" {
		return usagef("unknown --format %q (want text or json)", *format)
	}
	pool := newClassifyPool(license.New(), *workers)
	skipped := 0
	var failed []string
	var skips []walk.Skip
	for _, p := range fs.Args() {
		if err := checkPath(p); err != nil {
			// Reported at the end; the others are still classified, and
			// the run exits 2.
			failed = append(failed, err.Error())
			continue
		}
		err := walk.Walk(ctx, p, walk.Options{MaxFileSize: *maxSize}, func(f *walk.File) error {
			data, err := f.ReadAll(nil, *maxSize)
			switch {
			case errors.Is(err, walk.ErrTooLarge):
				skipped++
				if *verbose {
					fmt.Fprintf(e.stderr, "skipped %s: %s\n", f.Path(), walk.ReasonTooLarge)
				}
				return nil
			case err != nil:
				skipped++
				if *verbose {
					fmt.Fprintf(e.stderr, "skipped %s: %s: %v\n", f.Path(), walk.ReasonUnreadable, err)
				}
				return nil
			}
			// A file in another encoding than UTF-8 is read as indexing
			// reads it.
			if filecheck.IsBinary(data) {
				skipped++
				if *verbose {
					fmt.Fprintf(e.stderr, "skipped %s: %s\n", f.Path(), walk.ReasonBinary)
				}
				return nil
			}
			text, _ := filecheck.Decode(data)
			pool.add(f.Path(), f.Name(), text)
			return nil
		}, func(s walk.Skip) {
			skipped++
			skips = append(skips, s)
			if *verbose {
				fmt.Fprintf(e.stderr, "skipped %s\n", s)
			}
		})
		if err != nil {
			if ctx.Err() != nil {
				pool.wait()
				return err
			}
			// A PATH that cannot be read is reported at the end; the
			// others are still classified, and the run exits 2.
			failed = append(failed, fmt.Sprintf("%s: %v", p, unwrapPath(err)))
		}
	}
	doc := licenseDoc{Schema: 1, Files: pool.wait()}
	var err error
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(doc)
	} else {
		err = licenseText(e.stdout, doc, skipped, *verbose)
	}
	if err == nil && len(failed) > 0 {
		err = fmt.Errorf("could not read %s", strings.Join(failed, "; "))
		if len(failed) < fs.NArg() {
			err = fmt.Errorf("%w (the other paths were classified)", err)
		}
	}
	if err == nil {
		// A PATH read in part, such as a corrupt archive.
		err = unreadRoots(fs.Args(), skips)
	}
	return err
}

// classifyPool classifies files on several goroutines and keeps them in
// the order they were added. At most a few texts per worker wait in it, so
// memory does not grow with the number of files beyond their results.
type classifyPool struct {
	cls   *license.Classifier
	jobs  chan classifyJob
	files []*licenseFile
	wg    sync.WaitGroup
}

type classifyJob struct {
	out           *licenseFile
	display, name string
	text          []byte
}

// newClassifyPool starts workers goroutines (one per CPU when zero).
func newClassifyPool(cls *license.Classifier, workers int) *classifyPool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &classifyPool{cls: cls, jobs: make(chan classifyJob, 2*workers)}
	for range workers {
		p.wg.Go(func() {
			for j := range p.jobs {
				*j.out = classifyFile(p.cls, j.display, j.name, j.text)
			}
		})
	}
	return p
}

// add queues one file; it blocks while every worker is busy.
func (p *classifyPool) add(display, name string, text []byte) {
	out := new(licenseFile)
	p.files = append(p.files, out)
	p.jobs <- classifyJob{out: out, display: display, name: name, text: text}
}

// wait stops the workers once the queued files are classified and returns
// the results in the order the files were added.
func (p *classifyPool) wait() []licenseFile {
	close(p.jobs)
	p.wg.Wait()
	out := make([]licenseFile, 0, len(p.files))
	for _, f := range p.files {
		out = append(out, *f)
	}
	return out
}

// classifyFile classifies one file: as a license file by its name, else as
// any text.
func classifyFile(cls *license.Classifier, display, name string, data []byte) licenseFile {
	base := path.Base(name)
	var r license.Result
	isFile := license.IsLicenseFile(base) || license.IsNoticeFile(base)
	if isFile {
		r = cls.LicenseFile(data)
	} else {
		r = cls.Text(data)
	}
	out := licenseFile{Path: display, License: r.Expression, Licenses: []licenseMatch{},
		Copyrights: nonNil(r.Copyrights), Holders: nonNil(r.Holders)}
	tag := false
	for _, m := range r.Matches {
		out.Licenses = append(out.Licenses, licenseMatch{Expression: m.Expression, Lines: m.Lines, Evidence: m.Evidence, Confidence: m.Confidence, Coverage: m.Coverage, NotGranted: m.Why})
		tag = tag || m.Evidence == license.EvidenceTag
	}
	out.RefersTo, out.Hint = r.RefersTo, r.Hint
	switch {
	case r.Expression == "":
	case tag:
		out.LicenseSource = license.SourceTag
	case isFile:
		out.LicenseSource = license.SourceLicenseFile
	default:
		out.LicenseSource = license.SourceHeader
	}
	out.Category = license.CategoryOf(r.Expression).String()
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func licenseText(w io.Writer, doc licenseDoc, skipped int, verbose bool) error {
	bw := bufio.NewWriter(w)
	for _, f := range doc.Files {
		lic := f.License
		switch {
		case lic == "" && f.RefersTo != "":
			lic = fmt.Sprintf("refers to its %s file", f.RefersTo)
			if f.Hint != "" {
				lic += fmt.Sprintf(" (hint: %s)", f.Hint)
			}
		case lic == "":
			lic = "no license found"
		default:
			lic += fmt.Sprintf(" (%s, from %s)", f.Category, strings.ReplaceAll(f.LicenseSource, "_", " "))
		}
		fmt.Fprintf(bw, "%s: %s\n", f.Path, lic)
		for _, m := range f.Licenses {
			fmt.Fprintf(bw, "  lines %d-%d  %s  %s, confidence %.2f", m.Lines[0], m.Lines[1], m.Expression, m.Evidence, m.Confidence)
			if m.Coverage > 0 {
				fmt.Fprintf(bw, ", coverage %.2f", m.Coverage)
			}
			if m.NotGranted != "" {
				fmt.Fprintf(bw, "  (not granted: %s)", m.NotGranted)
			}
			fmt.Fprintln(bw)
		}
		for _, c := range f.Copyrights {
			fmt.Fprintf(bw, "  %s\n", c)
		}
		if len(f.Holders) > 0 {
			fmt.Fprintf(bw, "  holders: %s\n", strings.Join(f.Holders, "; "))
		}
	}
	switch {
	case skipped > 0 && verbose:
		fmt.Fprintf(bw, "%s file%s skipped\n", report.Count(skipped), plural(skipped))
	case skipped > 0:
		fmt.Fprintf(bw, "%s file%s skipped (-v lists them)\n", report.Count(skipped), plural(skipped))
	}
	return bw.Flush()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Package report renders scan results. The JSON document (Document) is a
// contract: fields may be added, never renamed or removed. Every renderer
// writes to an io.Writer and takes the same Document.
package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
)

// SchemaVersion is the version of the JSON document.
const SchemaVersion = 1

// IDVersion is the Document.IDVersion of reports whose finding IDs hash
// the target's path relative to its repository root (or, outside git,
// its scanned root): the same whatever the spelling of the scanned PATH.
// Reports without it hashed the target path as displayed.
const IDVersion = 2

// Document is the JSON contract of snipscan scan --format json.
type Document struct {
	Schema  int      `json:"schema"`
	Tool    Tool     `json:"tool"`
	Corpus  string   `json:"corpus,omitempty"`  // the database scanned against
	Targets []string `json:"targets,omitempty"` // the PATH arguments scanned
	// IDVersion says how the finding IDs were computed (see IDVersion);
	// zero for reports written before.
	IDVersion int            `json:"id_version,omitempty"`
	Summary   Summary        `json:"summary"`
	Files     []File         `json:"files"` // files with at least one match
	Skipped   map[string]int `json:"skipped,omitempty"`
	// Unscanned lists the files that are or may be source code and could
	// not be read (SetUnscanned), sorted by path.
	Unscanned []Unscanned `json:"unscanned,omitempty"`
	// IncompleteCorpus lists the corpus databases scanned although an
	// index or merge run left them unfinished.
	IncompleteCorpus []IncompleteCorpus `json:"incomplete_corpus,omitempty"`
	// RewritesSearched says whether the Go functions of the targets were
	// looked up as rewrites of corpus functions (the rewrite stage): not
	// with --no-rewrites, nor against a corpus without a rewrite index
	// (schema 1) or several corpora at once, where only copies are found.
	RewritesSearched bool `json:"rewrites_searched"`
}

// Tool names the program.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts what the scan saw.
type Summary struct {
	FilesScanned int `json:"files_scanned"`
	FilesMatched int `json:"files_matched"`
	Matches      int `json:"matches"`
	Failing      int `json:"failing"`
	Warnings     int `json:"warnings"`
	FilesSkipped int `json:"files_skipped"`
	Accepted     int `json:"accepted"`                // findings accepted by the policy or the baseline
	BelowMinimum int `json:"below_minimum,omitempty"` // findings smaller than the policy's minimum, not listed
	OutsideDiff  int `json:"outside_diff,omitempty"`  // findings on no changed line (--diff), not listed
	// Excluded counts the files and directories below the scanned roots
	// left out by the policy's exclude or --exclude, Ignored those left
	// out by git's ignore rules; a directory counts once, what is below
	// it is not looked at. Neither counts as skipped.
	Excluded  int    `json:"excluded,omitempty"`
	Ignored   int    `json:"ignored,omitempty"`
	Policy    string `json:"policy,omitempty"` // the policy file applied; empty for the built-in policy
	ElapsedMS int64  `json:"elapsed_ms"`
	// FilesNotCode counts the files left out as not code: manifests and
	// lock files, license, notice and policy files, documentation, data.
	FilesNotCode int `json:"files_not_code,omitempty"`
	// Unscanned counts the files that are or may be source code and could
	// not be read (they are among FilesSkipped); UnscannedVerdict is the
	// policy's verdict on them, fail or warn, when there are some.
	Unscanned        int    `json:"unscanned"`
	UnscannedVerdict string `json:"unscanned_verdict,omitempty"`
	// UnscannedBy names the flag that decided UnscannedVerdict instead
	// of the policy's unscanned key ("--fail-on never", "--fail-on
	// warn"); empty when the policy decided.
	UnscannedBy string `json:"unscanned_by,omitempty"`
}

// File is a target file with matches.
type File struct {
	Path    string  `json:"path"`
	Lines   int     `json:"lines"`
	Matches []Match `json:"matches"`
}

// Match is one finding.
type Match struct {
	// ID identifies the finding across runs: a hash of the target's path
	// relative to its repository root (see IDVersion), the kind, and the
	// source's path and lines, so that edits elsewhere in the target file
	// (which move its lines) keep it. Baselines and SARIF fingerprints use
	// it.
	ID         string          `json:"id"`
	Kind       string          `json:"kind"`    // "snippet", "file" or "rewrite"
	Lines      [2]int          `json:"lines"`   // target lines, 1-based inclusive
	Bytes      [2]int          `json:"bytes"`   // target byte range: offset of the first byte, and of the byte after the last
	Matched    float64         `json:"matched"` // share of the region's tokens matched
	Exact      float64         `json:"exact"`   // share matched verbatim
	Tokens     int             `json:"tokens"`  // tokens in the target region
	Source     Source          `json:"source"`
	Alternates int             `json:"alternates"`
	AltSources []Source        `json:"alternate_sources,omitempty"`
	Policy     policy.Decision `json:"policy"`
	// The fields of a rewrite (kind "rewrite": a function rewritten
	// from the source's, its names and idioms changed; matched and exact
	// are zero): the target's function and the helpers included in
	// Lines, the similarity of the two functions' features (weighted
	// Jaccard, 0 to 1), the confidence that the source, and not one of
	// the corpus functions that look like it, is the origin (0 to 1), the
	// channel that found it ("structure" or "anchors"), and the evidence:
	// the rare APIs and literals both functions use.
	Function   string   `json:"function,omitempty"`
	Helpers    []string `json:"helpers,omitempty"`
	Similarity float64  `json:"similarity,omitempty"`
	Confidence float64  `json:"confidence,omitempty"`
	Channel    string   `json:"channel,omitempty"`
	Evidence   []string `json:"evidence,omitempty"`
}

// Source is where a finding's code came from.
type Source struct {
	Path          string   `json:"path"` // below the indexed root
	Lines         [2]int   `json:"lines"`
	Package       string   `json:"package"`
	Version       string   `json:"version"`
	PURL          string   `json:"purl"`
	License       string   `json:"license"`
	LicenseSource string   `json:"license_source"`
	Copyrights    []string `json:"copyrights"`
	Holders       []string `json:"holders"`
	Root          string   `json:"root,omitempty"`            // the indexed directory or archive
	LicenseFile   string   `json:"license_file,omitempty"`    // the license file that decided
	LicenseTextID string   `json:"license_text_id,omitempty"` // the license text kept in the corpus, for --format notice
	Vendored      bool     `json:"vendored,omitempty"`
	// SourceChanged says that the file at Root and Path holds other
	// content than was indexed (its size or hash differs), SourceGone
	// that it is no longer there. Either way reports show none of its
	// code, and Lines are the lines of the content indexed. Both are
	// false when the file is unchanged or was not read back.
	SourceChanged bool `json:"source_changed,omitempty"`
	SourceGone    bool `json:"source_gone,omitempty"`
	// Published is when the source's package version was published (its
	// registry's time, a module cache's .info time, a Go release's time),
	// when known: among several corpus places holding the same code, the
	// earliest published is the origin (see match's origin stage).
	Published time.Time `json:"published,omitzero"`
	// Closer marks an alternate that matches the target better than the
	// original named as the source (match.Source.Closer); the verdict
	// weighs it too.
	Closer bool `json:"closer,omitempty"`
}

// Build assembles a Document from scan results, evaluating the policy on
// every finding. results hold the files with findings; filesScanned counts
// every file the scan read.
func Build(results []match.Result, filesScanned int, pol *policy.Evaluator, tool Tool, corpus string, skipped map[string]int, elapsed time.Duration) *Document {
	doc := &Document{Schema: SchemaVersion, Tool: tool, Corpus: corpus, Files: []File{}, Skipped: skipped}
	doc.Summary.FilesScanned = filesScanned
	for _, n := range skipped {
		doc.Summary.FilesSkipped += n
	}
	doc.Summary.ElapsedMS = elapsed.Milliseconds()
	for _, r := range results {
		if len(r.Findings) == 0 {
			continue
		}
		f := File{Path: r.Path, Lines: r.Lines}
		for i := range r.Findings {
			fd := &r.Findings[i]
			m := Match{ID: pol.ID(r.Path, fd), Kind: fd.Kind, Lines: fd.Lines, Bytes: fd.Bytes, Matched: round3(fd.Matched), Exact: round3(fd.Exact),
				Tokens: fd.Tokens, Source: source(fd.Source), Alternates: fd.Alternates, Policy: pol.Evaluate(r.Path, fd)}
			for _, a := range fd.AlternateSources {
				m.AltSources = append(m.AltSources, source(a))
			}
			if rw := fd.Rewrite; rw != nil {
				m.Function, m.Helpers, m.Channel, m.Evidence = rw.Function, rw.Helpers, rw.Channel, rw.Evidence
				m.Similarity, m.Confidence = round3(rw.Similarity), round3(rw.Confidence)
			}
			switch m.Policy.Verdict {
			case policy.Fail:
				doc.Summary.Failing++
			case policy.Warn:
				doc.Summary.Warnings++
			case policy.Accepted:
				doc.Summary.Accepted++
			}
			f.Matches = append(f.Matches, m)
		}
		doc.Summary.FilesMatched++
		doc.Summary.Matches += len(f.Matches)
		doc.Files = append(doc.Files, f)
	}
	sort.SliceStable(doc.Files, func(i, j int) bool { return doc.Files[i].Path < doc.Files[j].Path })
	return doc
}

func source(s match.Source) Source {
	out := Source{Path: s.Path, Lines: s.Lines, Package: s.Package, Version: s.Version, PURL: s.PURL,
		License: s.License, LicenseSource: s.LicenseSource, Copyrights: s.Copyrights, Holders: s.Holders,
		Root: s.Root, LicenseFile: s.LicenseFile, LicenseTextID: s.LicenseText, Vendored: s.Vendored,
		SourceChanged: s.Changed, SourceGone: s.Gone, Published: s.Published, Closer: s.Closer}
	if out.Copyrights == nil {
		out.Copyrights = []string{}
	}
	if out.Holders == nil {
		out.Holders = []string{}
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// Formats lists the output formats, for flag help and validation.
func Formats() []string {
	return []string{"text", "json", "sarif", "markdown", "notice", "spdx-json", "cyclonedx-json", "html"}
}

// Options tune rendering.
type Options struct {
	// Verbose adds alternate sources to the text output.
	Verbose bool
	// Color adds ANSI colours to the text output (verdicts, file names).
	Color bool
	// Now returns the creation time stamped on SBOM documents; nil means
	// time.Now. Tests fix it.
	Now func() time.Time
	// ReadFile reads a target file, for the checksums of spdx-json; nil
	// means os.ReadFile. A file it cannot read gets no checksums.
	ReadFile func(path string) ([]byte, error)
	// LicenseText returns a license text kept in the corpus by its ID
	// (Source.LicenseTextID), for the notice format; nil names licenses
	// by SPDX ID only.
	LicenseText func(id string) (string, error)
	// ReadTarget returns the text of a scanned file by its path in the
	// report (File.Path), for the code views of html; nil shows no target
	// code. It should cap what it reads.
	ReadTarget func(path string) ([]byte, error)
	// ReadSource returns the text of a corpus file by its Source.Root (an
	// indexed directory or archive) and Source.Path, for the code views of
	// html; nil shows no source code. It should cap what it reads.
	ReadSource func(root, path string) ([]byte, error)
}

// Render writes doc in format to w.
func Render(w io.Writer, format string, doc *Document, opts Options) error {
	switch format {
	case "text", "":
		return Text(w, doc, opts)
	case "json":
		return JSON(w, doc)
	case "sarif":
		return SARIF(w, doc)
	case "markdown":
		return Markdown(w, doc)
	case "notice":
		return Notice(w, doc, opts)
	case "spdx-json":
		return SPDX(w, doc, opts)
	case "cyclonedx-json":
		return CycloneDX(w, doc, opts)
	case "html":
		return HTML(w, doc, opts)
	}
	return fmt.Errorf("report: unknown format %q (want one of %v)", format, Formats())
}

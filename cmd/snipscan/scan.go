package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/scanner"
	"github.com/snipscan/snipscan/walk"
)

const scanUsage = `
Usage: snipscan scan [flags] PATH...

Scan source code for snippets reused from the indexed corpus. Each PATH
is a directory, an archive or a file. For every reused region snipscan
reports the target file and lines, the source file, package and lines, how
much of the region matched (and how much verbatim, not only after renaming
and reformatting), the source's license and copyright holders, and the
policy's verdict.

The policy decides each finding's verdict: fail, warn, pass or accepted.
The built-in policy suits a proprietary product: strong and network
copyleft and non-commercial licenses fail; weak copyleft and unknown
licenses warn; permissive licenses warn that attribution is required, and
pass when the target file or a NOTICE/THIRD_PARTY/CREDITS file at the
scanned root names the copyright holder. Copyleft code under a license
compatible with the project's own (read from the LICENSE file at the
scanned root, or the policy's project_license) warns instead of failing.
A policy file (snipscan.toml or .snipscan.yaml at the scanned root, or
--policy FILE) changes verdicts per license category or SPDX ID, sets a
minimum finding size, excludes paths, and accepts findings with a reason
and an expiry date; see README.md for its keys.

Formats (--format): text for people; json, the stable contract for
tools; sarif for code scanning; markdown for pull-request comments;
notice, an attribution file with the origins' license texts; spdx-json
(SPDX 2.3, a snippet per finding) and cyclonedx-json (CycloneDX 1.6, the
origin packages as components, each finding an occurrence) for SBOMs;
html, one self-contained page with each finding's code side by side.

Exit codes: 0 no finding fails the policy; 1 some finding fails; 2 usage
or runtime error.

Examples:

	snipscan scan ./myproject
	snipscan scan --format json --output findings.json ./myproject
	snipscan scan --baseline findings.json ./myproject    # fail only on new findings
	snipscan scan --diff origin/main .                     # only lines changed since origin/main
	snipscan scan --fail-on warn ./myproject               # warnings fail too
	snipscan scan --format html --output report.html .     # for a legal review
`

func runScan(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "scan", scanUsage)
	var dbPaths fileList
	fs.Var(&dbPaths, "db", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+"); repeat it to scan against several databases at once")
	format := fs.String("format", "text", "output `format`: "+strings.Join(report.Formats(), ", "))
	output := fs.String("output", "", "write the report to `file` instead of stdout")
	verbose := fs.Bool("v", false, "list skipped files and alternate sources")
	maxSize := fs.Int64("max-file-size", walk.DefaultMaxFileSize, "skip files larger than this many `bytes`")
	text := fs.Bool("text", false, "also scan plain-text files (.txt, .md, .rst)")
	minTokens := fs.Int("min-tokens", match.DefaultMinTokens, "smallest reported region, in matched tokens")
	maxDF := fs.Int("max-df", match.DefaultMaxDF, "ignore fingerprints found in more than this many corpus files")
	noSource := fs.Bool("no-source-text", false, "do not read the corpus files of findings (where they were indexed, in a directory or archive, if unchanged) to align their edges and confirm small copies")
	progress := fs.String("progress", "auto", "progress bar on stderr: auto, always, never")
	colorFlag := fs.String("color", "auto", "colour in the text report: auto (on a terminal, unless NO_COLOR is set), always, never")
	lockTimeout := fs.Duration("lock-timeout", 5*time.Second, "how long to wait while an index run holds the database")
	var g gateFlags
	fs.StringVar(&g.policy, "policy", "", "policy `file` (default: snipscan.toml or .snipscan.yaml at the scanned root, else the built-in policy)")
	fs.StringVar(&g.baseline, "baseline", "", "a previous JSON report `file`: its findings are accepted, only new ones fail")
	fs.StringVar(&g.diff, "diff", "", "report only findings on lines changed since git `revision` (and untracked files)")
	fs.StringVar(&g.failOn, "fail-on", "fail", "what fails: fail (the policy), warn (warnings too), never, or a comma-separated `list` of license categories and SPDX IDs")
	prof := addProfileFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	stopProfile, err := prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	if fs.NArg() == 0 {
		return usagef("no PATH to scan")
	}
	if !validFormat(*format) {
		return usagef("unknown --format %q (want one of %s)", *format, strings.Join(report.Formats(), ", "))
	}
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			return usagef("%v", err)
		}
	}
	if err := checkOutput(*output); err != nil {
		return err
	}
	showBar, err := wantProgress(*progress, e)
	if err != nil {
		return err
	}
	color, err := wantColor(*colorFlag, *output, e)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(e, g.policy, fs.Args())
	if err != nil {
		return err
	}
	failOn, err := applyFailOn(pol, g.failOn)
	if err != nil {
		return err
	}
	pctx := policy.Context{Roots: fs.Args(), FailOn: failOn, Notices: noticeFiles(fs.Args())}
	if g.baseline != "" {
		if pctx.Baseline, err = loadBaseline(g.baseline); err != nil {
			return err
		}
		pctx.BaselineFile = g.baseline
	}
	if len(dbPaths) == 0 {
		dbPaths = fileList{defaultDBPath(e.getenv)}
	}
	db, closeDB, err := openCorpora(dbPaths, *lockTimeout)
	if err != nil {
		return err
	}
	defer closeDB()

	opts := scanner.Options{Text: *text, Walk: walk.Options{MaxFileSize: *maxSize},
		Match: match.Options{MinTokens: *minTokens, MaxDF: *maxDF}, NoSourceText: *noSource}
	if len(pol.Exclude) > 0 {
		opts.Walk.Exclude = func(rel string, isDir bool) bool { return pol.Excluded(rel) }
	}
	var bar *progressBar
	if showBar {
		opts.Progress = &scanner.Progress{}
		bar = startProgress(ctx, e, "scanning", fs.Args(), &opts.Progress.Files, &opts.Progress.Bytes)
	}
	rep, err := scanner.Scan(ctx, db, fs.Args(), opts)
	bar.stop()
	if err != nil {
		return err
	}
	below, outside, err := gate(ctx, rep.Results, pol, fs.Args(), g.diff)
	if err != nil {
		return err
	}
	// The texts of the targets with findings and of their sources, read
	// once: by the attribution check (targets inside archives included)
	// and by the code views of the HTML report.
	texts := newFileTexts(ctx, rep.Results, max(*maxSize, walk.DefaultMaxFileSize))
	pctx.ReadTarget = texts.target
	doc := report.Build(rep.Results, pol.Evaluator(pctx), report.Tool{Name: "snipscan", Version: version()},
		db.Path(), rep.Stats.Skipped, rep.Stats.Elapsed)
	doc.Targets = fs.Args()
	doc.Summary.FilesScanned = rep.Stats.Files // rep.Results holds the files with findings only
	doc.Summary.BelowMinimum, doc.Summary.OutsideDiff, doc.Summary.Policy = below, outside, pol.File
	if err := writeReport(e, *output, *format, doc, report.Options{Verbose: *verbose, Color: color, LicenseText: db.LicenseText,
		ReadTarget: texts.target, ReadSource: texts.source}); err != nil {
		return err
	}
	if *verbose {
		for _, s := range rep.Stats.Skips {
			if s.Reason != walk.ReasonUnsupported {
				fmt.Fprintf(e.stderr, "skipped %s\n", s)
			}
		}
	}
	if err := unreadRoots(fs.Args(), rep.Stats.Skips); err != nil {
		return err
	}
	if doc.Summary.Failing > 0 {
		return errPolicy
	}
	return nil
}

func validFormat(f string) bool {
	for _, v := range report.Formats() {
		if v == f {
			return true
		}
	}
	return false
}

// writeReport renders doc to stdout, or to a temporary file renamed over
// output once complete, so that a failed run never leaves half a report.
// An output that is the process's own stdout or stderr (/dev/stdout
// redirected to a file) is written to that stream; one that is not a
// regular file (/dev/null, a terminal, a named pipe) is written in place:
// a rename would replace the device with a file. An output that is a
// symbolic link is replaced where it points, the link kept, and one that
// cannot be followed is refused. A file replaced keeps its permissions; a
// new one gets those the umask gives.
func writeReport(e env, output, format string, doc *report.Document, opts report.Options) error {
	if output == "" || output == "-" {
		return report.Render(e.stdout, format, doc, opts)
	}
	if fi, err := os.Stat(output); err == nil {
		for _, w := range []io.Writer{e.stdout, e.stderr} {
			if f, ok := w.(*os.File); ok {
				if sfi, err := f.Stat(); err == nil && os.SameFile(fi, sfi) {
					return report.Render(w, format, doc, opts)
				}
			}
		}
		if !fi.Mode().IsRegular() {
			f, err := os.OpenFile(output, os.O_WRONLY, 0)
			if err != nil {
				return fmt.Errorf("write report %s: %w", output, unwrapPath(err))
			}
			return renderClose(f, output, format, doc, opts)
		}
	}
	path := output // where the report goes: output, or where its link points
	if li, err := os.Lstat(output); err == nil && li.Mode()&os.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(output)
		if err != nil {
			return fmt.Errorf("write report %s: a symbolic link that cannot be followed: %w", output, unwrapPath(err))
		}
		path = real
	}
	mode := os.FileMode(0o666) // less the umask, on creation
	keep := false
	if fi, err := os.Stat(path); err == nil {
		mode, keep = fi.Mode().Perm(), true
	}
	tmp, err := createTemp(filepath.Dir(path), mode)
	if err != nil {
		return fmt.Errorf("write report %s: %w", output, unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	if keep {
		// The umask does not narrow the mode of the file replaced.
		if err := tmp.Chmod(mode); err != nil {
			tmp.Close()
			return fmt.Errorf("write report %s: %w", output, err)
		}
	}
	if err := renderClose(tmp, output, format, doc, opts); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report %s: %w", output, unwrapPath(err))
	}
	return nil
}

// renderClose renders doc into f and closes it; output names it in errors.
func renderClose(f *os.File, output, format string, doc *report.Document, opts report.Options) error {
	if err := report.Render(f, format, doc, opts); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", output, err)
	}
	return nil
}

// createTemp creates a new file in dir for a report, with mode less the
// umask (os.CreateTemp's files are 0600 whatever the umask).
func createTemp(dir string, mode os.FileMode) (*os.File, error) {
	var b [8]byte
	for range 100 {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(filepath.Join(dir, ".snipscan-report-"+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

// checkOutput refuses an --output whose directory does not exist, before
// any work is done.
func checkOutput(output string) error {
	if output == "" || output == "-" {
		return nil
	}
	dir := filepath.Dir(output)
	fi, err := os.Stat(dir)
	if err != nil {
		return usagef("--output %s: %v", output, unwrapPath(err))
	}
	if !fi.IsDir() {
		return usagef("--output %s: %s is not a directory", output, dir)
	}
	if fi, err := os.Stat(output); err == nil && fi.IsDir() {
		return usagef("--output %s is a directory", output)
	}
	return nil
}

// unwrapPath drops the path of a *PathError (a temporary file's name means
// nothing to the user).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileList is a flag that may be given several times.
type fileList []string

func (l *fileList) String() string { return strings.Join(*l, ", ") }

func (l *fileList) Set(v string) error {
	if v == "" {
		return errors.New("empty file name")
	}
	*l = append(*l, v)
	return nil
}

// corpusIndex is what a scan reads: one database, or several as one.
type corpusIndex interface {
	match.Index
	Path() string
	LicenseText(id string) (string, error)
}

// openCorpora opens the databases at paths read-only, as one index when
// there are several (corpus.Union: shards built by independent index
// runs), and returns a function that closes them.
func openCorpora(paths []string, lockTimeout time.Duration) (corpusIndex, func(), error) {
	var dbs []*corpus.DB
	closeAll := func() {
		for _, db := range dbs {
			db.Close()
		}
	}
	var seen []os.FileInfo
	for _, p := range paths {
		// The same database named twice (another path, a link) is read once.
		if fi, err := os.Stat(p); err == nil {
			if slices.ContainsFunc(seen, func(x os.FileInfo) bool { return os.SameFile(x, fi) }) {
				continue
			}
			seen = append(seen, fi)
		}
		db, err := corpus.Open(p, corpus.Options{ReadOnly: true, LockTimeout: lockTimeout})
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		dbs = append(dbs, db)
	}
	if len(dbs) == 1 {
		return dbs[0], closeAll, nil
	}
	u, err := corpus.NewUnion(dbs...)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return u, closeAll, nil
}

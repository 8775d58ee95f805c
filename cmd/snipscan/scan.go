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
policy's verdict. A copy found in pieces is one finding. Code of a shape
people write anew (a short test opening, a short single loop, a table of
numbered constants) is reported only when it keeps the source's names;
the helpers Babel and TypeScript write into JavaScript builds are
compiler output and are not reported.

The policy decides each finding's verdict: fail, warn, pass or accepted.
The built-in policy suits a proprietary product: strong and network
copyleft and non-commercial licenses fail; weak copyleft and unknown
licenses warn; permissive licenses warn that attribution is required,
and pass when the target file or a NOTICE/THIRD_PARTY/CREDITS file at
the scanned root or the repository root names the copyright holder.
Copyleft code under a license compatible with the project's own (read
from the LICENSE file at the scanned root, else the repository root, or
the policy's project_license) warns instead of failing. Code under a
choice of licenses (MIT OR GPL-3.0-only) is judged on the alternative
with the mildest verdict, the least restrictive one among equals, and
the verdict names it (license_choice in the JSON report). A policy file
(snipscan.toml or .snipscan.yaml at the scanned root, else the
repository root, or --policy FILE) changes verdicts per license category
or SPDX ID, sets a minimum finding size, excludes paths (relative to the
policy file's directory; with --policy, to the repository root), and
accepts findings with a reason and an expiry date, and says what files
the scan could not read do to it; see README.md for its keys. A
verdict's reasons name the rule that decided it: the built-in policy, a
list of the policy file, fail_on_unknown, or --fail-on.

The repository root is the top of the git work tree holding PATH (found
by its .git directory or file), else PATH itself. Finding IDs hash the
target's path relative to it, so "scan .", "scan $PWD" and a scan from a
subdirectory give the same IDs; a --baseline that matches none of the
findings is reported on stderr. In a git work tree, the files git
ignores (.gitignore files, .git/info/exclude, core.excludesFile; tracked
files are never ignored) are not scanned (--no-gitignore scans them);
--exclude GLOB leaves out more. Both are counted in the summary as
excluded and ignored, and listed with -v.

The text report leads with the summary, then lists the failing findings,
then the warnings, each grouped by file; passing and accepted findings
are counted, and listed with -v. Files that are not code (manifests and
lock files, license, notice and policy files, documentation, data) are
counted apart from skipped files.

A file that is or may be source code and could not be read is unscanned:
too large (--max-file-size), unreadable, a special file, a symbolic link
with a source file's name that leads nowhere (one without, such as
nix-build's result, is only skipped), a damaged archive or member, a
member past an archive limit. Every format lists them. The built-in
policy fails the scan on them (unscanned = "fail"): it cannot vouch for
code it did not read; a policy with unscanned = "warn" lists them and
lets findings decide.
Binary files and files of unsupported types are not unscanned, nor are
excluded files. Files in another encoding than UTF-8 are decoded (UTF-16
with a byte order mark, else Windows-1252/Latin-1), not skipped.

The corpus must be complete: an empty database, or one that an index or
merge run began to write and did not finish (it was killed, interrupted
or failed), is an error; run that command again to complete it, or pass
--allow-incomplete to scan it as it is, which the report then says. A
scan waits (--lock-timeout) while an index or merge run writes the
database.

Formats (--format): text for people; json, the stable contract for
tools; sarif for code scanning; markdown for pull-request comments;
notice, an attribution file with the origins' license texts; spdx-json
(SPDX 2.3, a snippet per finding) and cyclonedx-json (CycloneDX 1.6, the
origin packages as components, each finding an occurrence) for SBOMs;
html, one self-contained page with each finding's code side by side.
--report FORMAT=FILE (repeatable) writes more reports of the same scan,
each to its file, beside the one on stdout or --output; each file is
written whole or not at all.

Every report reads each finding's source file back where it was indexed:
one whose content changed since (its size or hash differs) or that is
gone is said to be so (JSON source_changed and source_gone, a note in the
text report, a notice in place of its code in the HTML report), and its
lines are those of the content indexed.

Exit codes: 0 no finding fails the policy, and no file left unscanned
fails it; 1 some finding fails the policy, or unscanned files do (the
default); 2 usage or runtime error, such as a PATH that cannot be read at
all, a missing, empty or unfinished corpus.

Examples:

	snipscan scan ./myproject
	snipscan scan --format json --output findings.json ./myproject
	snipscan scan --baseline findings.json ./myproject    # fail only on new findings
	snipscan scan --exclude 'third_party/**' --exclude '**/*.pb.go' .
	snipscan scan --diff origin/main .                     # only lines changed since origin/main
	snipscan scan --fail-on warn ./myproject               # warnings fail too
	snipscan scan --format html --output report.html .     # for a legal review
	snipscan scan --report json=scan.json --report sarif=scan.sarif .   # text on stdout, and two files
`

func runScan(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "scan", scanUsage)
	var dbPaths fileList
	fs.Var(&dbPaths, "db", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+"); repeat it to scan against several databases at once")
	format := fs.String("format", "text", "output `format`: "+strings.Join(report.Formats(), ", "))
	output := fs.String("output", "", "write the report to `file` instead of stdout")
	var reports reportList
	fs.Var(&reports, "report", "also write the report in another format to a file: `FORMAT=FILE`, such as json=snipscan.json (repeatable)")
	verbose := fs.Bool("v", false, "list skipped files, excluded and ignored paths (on stderr), and passing and accepted findings and alternate sources in the text report")
	maxSize := int64Flag(fs, "max-file-size", walk.DefaultMaxFileSize, 1, "do not read files larger than this many `bytes`: such a file of source code is unscanned, which fails the built-in policy")
	text := fs.Bool("text", false, "also scan plain-text files (.txt, .md, .rst)")
	minTokens := intFlag(fs, "min-tokens", match.DefaultMinTokens, 1, false, "smallest reported region, in matched `tokens`")
	maxDF := intFlag(fs, "max-df", match.DefaultMaxDF, 1, false, "ignore fingerprints found in more than this many corpus `files`")
	noSource := fs.Bool("no-source-text", false, "do not read the corpus files of findings (where they were indexed, in a directory or archive, if unchanged) to align their edges and confirm small copies; reports still check whether they changed")
	progress := fs.String("progress", "auto", "progress bar on stderr, over the bytes of the files to read, cleared at the end: auto (when stderr is a terminal), always, never")
	colorFlag := fs.String("color", "auto", "colour in the text report: auto (on a terminal, unless NO_COLOR is set), always, never")
	lockTimeout := lockTimeoutFlag(fs, "how long to wait (a `duration`) while an index run holds the database")
	var corpora corpusChecker
	fs.BoolVar(&corpora.allowIncomplete, "allow-incomplete", false, "scan a database that an index or merge run left unfinished (killed, interrupted, failed) as it is; the report says it is incomplete")
	var g gateFlags
	fs.StringVar(&g.policy, "policy", "", "policy `file` (default: snipscan.toml or .snipscan.yaml at the scanned root or the repository root, else the built-in policy)")
	fs.StringVar(&g.baseline, "baseline", "", "a previous JSON report `file`: its findings are accepted, only new ones fail")
	fs.StringVar(&g.diff, "diff", "", "report only findings on lines changed since git `revision` (and untracked files)")
	fs.StringVar(&g.failOn, "fail-on", "fail", "what fails: fail (the policy), warn (warnings too), never, or a comma-separated `list` of license categories and SPDX IDs")
	var excludes globList
	fs.Var(&excludes, "exclude", "leave out the paths matching `glob` (doublestar syntax, relative to the scanned PATH; a directory with what is below it), besides the policy's exclude; repeatable")
	noGitignore := fs.Bool("no-gitignore", false, "scan the files git ignores (.gitignore, .git/info/exclude, core.excludesFile) too")
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
	if err := checkPaths(fs.Args()); err != nil {
		return err
	}
	if err := checkOutput("--output "+*output, *output); err != nil {
		return err
	}
	if err := reports.check(*output); err != nil {
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
	proj, err := newProject(fs.Args())
	if err != nil {
		return err
	}
	pol, err := loadPolicy(e, g.policy, proj)
	if err != nil {
		return err
	}
	failOn, err := applyFailOn(pol, g.failOn)
	if err != nil {
		return err
	}
	pctx := policy.Context{Roots: fs.Args(), FailOn: failOn, Notices: noticeFiles(proj), Key: proj.key, Rel: proj.policyPath}
	if g.baseline != "" {
		if pctx.Baseline, pctx.LegacyBaseline, err = loadBaseline(g.baseline); err != nil {
			return err
		}
		pctx.BaselineFile = g.baseline
	}
	if len(dbPaths) == 0 {
		dbPaths = fileList{defaultDBPath(e.getenv)}
	}
	db, closeDB, err := openCorpora(dbPaths, *lockTimeout, corpora.check)
	if err != nil {
		return err
	}
	defer closeDB()

	// The corpus files read back: for the matcher, for the state of the
	// findings' sources, and for the HTML report's code views.
	sources := scanner.NewSources(ctx, max(*maxSize, walk.DefaultMaxFileSize))
	opts := scanner.Options{Text: *text, Walk: walk.Options{MaxFileSize: *maxSize},
		Match: match.Options{MinTokens: *minTokens, MaxDF: *maxDF}, NoSourceText: *noSource, NotCode: notCode, Sources: sources}
	excl := &exclusions{ctx: ctx, proj: proj, pol: pol, globs: excludes, git: !*noGitignore, stderr: e.stderr, verbose: *verbose}
	opts.Walk.Exclude = excl.exclude
	var bar *progressBar
	if showBar {
		opts.Progress = &scanner.Progress{}
		// The bar's total walks the paths again, in its own goroutine:
		// it gets exclusions of its own, whose counts are not used.
		barWalk := opts.Walk
		barWalk.Exclude = (&exclusions{ctx: ctx, proj: proj, pol: pol, globs: excludes, git: !*noGitignore, stderr: io.Discard}).exclude
		bar = startProgress(ctx, e, "scanning", fs.Args(), barWalk, *text, &opts.Progress.Files, &opts.Progress.Bytes)
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
	// The scan marked the sources that changed since they were indexed.
	// The targets with findings are read again by the attribution check
	// (targets inside archives included) and by the HTML report, which
	// reads the sources found unchanged.
	texts := newFileTexts(rep.Results, sources)
	pctx.ReadTarget = texts.target
	ev := pol.Evaluator(pctx)
	doc := report.Build(rep.Results, ev, report.Tool{Name: "snipscan", Version: version()},
		db.Path(), rep.Stats.Skipped, rep.Stats.Elapsed)
	doc.Targets, doc.IDVersion = fs.Args(), report.IDVersion
	doc.Summary.FilesScanned = rep.Stats.Files // rep.Results holds the files with findings only
	doc.Summary.FilesNotCode = rep.Stats.NotCode
	doc.Summary.BelowMinimum, doc.Summary.OutsideDiff, doc.Summary.Policy = below, outside, pol.File
	doc.Summary.Excluded, doc.Summary.Ignored = excl.excluded, excl.ignored
	warnBaseline(e, pctx, ev, doc)
	doc.SetUnscanned(unscannedFiles(rep.Stats.Unscanned), pol.UnscannedVerdict(failOn))
	doc.IncompleteCorpus = corpora.incomplete
	ropts := report.Options{Verbose: *verbose, Color: color, LicenseText: db.LicenseText, ReadTarget: texts.target, ReadSource: sources.Read}
	if err := writeReport(e, *output, *format, doc, ropts); err != nil {
		return err
	}
	if err := reports.write(e, doc, ropts); err != nil {
		return err
	}
	if *verbose {
		for _, s := range rep.Stats.Skips {
			fmt.Fprintf(e.stderr, "skipped %s\n", s)
		}
		excl.report(e.stderr)
	}
	noteLimits(e, doc)
	if err := unreadRoots(fs.Args(), rep.Stats.Skips); err != nil {
		return err
	}
	if doc.Summary.Failing > 0 || doc.UnscannedFails() {
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

// checkOutput refuses a report file whose directory does not exist,
// before any work is done; flag names it in the message ("--output
// FILE").
func checkOutput(flag, output string) error {
	if output == "" || output == "-" {
		return nil
	}
	dir := filepath.Dir(output)
	fi, err := os.Stat(dir)
	if err != nil {
		return usagef("%s: %v", flag, unwrapPath(err))
	}
	if !fi.IsDir() {
		return usagef("%s: %s is not a directory", flag, dir)
	}
	if fi, err := os.Stat(output); err == nil && fi.IsDir() {
		return usagef("%s is a directory", flag)
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

// openCorpora opens the databases at paths read-only, checks each with
// check, and returns them as one index when there are several
// (corpus.Union: shards built by independent index runs), with a
// function that closes them.
func openCorpora(paths []string, lockTimeout time.Duration, check func(*corpus.DB) error) (corpusIndex, func(), error) {
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
		if err := check(db); err != nil {
			closeAll()
			return nil, nil, err
		}
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

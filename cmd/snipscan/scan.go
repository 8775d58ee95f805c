package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/corpus/store"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/policy"
	"github.com/snipscan/snipscan/remote"
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
the scanned root holding it, or that root's repository root, names the
copyright holder.
Copyleft code under a license compatible with the project's own (read
from the LICENSE file at the scanned root, or the directory of a scanned
file, else the repository root, or the policy's project_license) warns
instead of failing its category (a rule or --fail-on on its SPDX ID
still fails it): for a project
under a choice (MIT OR GPL-3.0-or-later), compatible with every license
it offers; for one under several at once (MIT AND GPL-3.0-or-later),
with one of them. Code under a choice of licenses (MIT OR GPL-3.0-only)
is judged on the alternative with the mildest verdict, the least
restrictive one among equals, and the verdict names it (license_choice
in the JSON report). A policy file (snipscan.toml, .snipscan.toml,
snipscan.yaml, .snipscan.yaml, snipscan.yml or .snipscan.yml at the
scanned root, else the repository root, or --policy FILE) changes verdicts per license
category or SPDX ID (a rule on an -only ID, or a deprecated bare one
such as GPL-3.0, covers the -or-later ID too), sets a minimum finding
size, excludes paths (relative to the policy file's directory; with
--policy, to the repository root), and accepts findings with a reason
and an expiry date, and says what files the scan could not read do to
it; see README.md for its keys. PATHs that find different policy files
(or a file and none), or whose LICENSE files name different licenses,
are a usage error: pass --policy (with project_license), or scan them
separately. The text summary names the policy applied (its file, or the
built-in policy). A verdict's reasons name the rule that decided it: the
built-in policy, a list of the policy file, fail_on_unknown, or
--fail-on.

The repository root is the top of the git work tree holding PATH (found
by its .git directory or file), else PATH itself. Finding IDs hash the
target's path relative to it, so "scan .", "scan $PWD" and a scan from a
subdirectory give the same IDs; a --baseline that matches none of the
findings is reported on stderr. In a git work tree, the files git
ignores (.gitignore files, .git/info/exclude, core.excludesFile; tracked
files are never ignored) are not scanned (--no-gitignore scans them);
--exclude GLOB leaves out more. Both are counted in the summary as
excluded and ignored, and listed with -v.

The text report leads with the summary (ending with the policy applied),
then lists the failing findings, then the warnings, each grouped by
file; passing and accepted findings are counted, and listed with -v.
Files that are not code (manifests and lock files, license, notice and
policy files, documentation, data) are counted apart from skipped files.

A file that is or may be source code and could not be read is unscanned:
too large (--max-file-size), unreadable, a special file, a symbolic link
with a source file's name that leads nowhere (one without, such as
nix-build's result, is only skipped), a damaged archive or member, a
member past an archive limit. Every format lists them. The built-in
policy fails the scan on them (unscanned = "fail"): it cannot vouch for
code it did not read; a policy with unscanned = "warn" lists them and
lets findings decide.
Binary files and files of unsupported types are not unscanned, nor are
excluded files. HTML, Vue and Svelte files are code (their scripts are
scanned): a generated HTML page over --max-file-size is unscanned;
exclude it or raise the limit. Files in another encoding than UTF-8 are decoded (UTF-16
with a byte order mark, or without one when every other byte of its
start is NUL, else Windows-1252/Latin-1), not skipped.

The corpus must be complete: an empty database, or one that an index or
merge run began to write and did not finish (it was killed, interrupted
or failed), is an error; run that command again to complete it, or pass
--allow-incomplete to scan it as it is, which the report then says. A
scan waits (--lock-timeout) while an index or merge run writes the
database.

With --server URL, the scan goes through a scan server (snipscan serve)
instead of a database: the files are read and fingerprinted here, and
only their fingerprints, token hashes and function features are sent
(with $SNIPSCAN_TOKEN as the bearer token); the server matches them and
aligns the findings with the corpus files it holds, and the report is
made here, the same as a local scan of the server's corpus. An
unreachable server, a refused token (401), a request over the server's
limit (413) or another protocol version is an error (exit 2).

Formats (--format): text for people; json, the stable contract for
tools; sarif for code scanning; markdown for pull-request comments;
notice, an attribution file with the origins' license texts; spdx-json
(SPDX 2.3, a snippet per finding) and cyclonedx-json (CycloneDX 1.6, the
origin packages as components, each finding an occurrence) for SBOMs;
html, one self-contained page with each finding's code side by side.
--report FORMAT=FILE (repeatable) writes more reports of the same scan,
each to its file, beside the one on stdout or --output; each file is
written whole or not at all. Every format says what the JSON says, in
its own convention: the files not scanned; the files left out (skipped,
excluded, ignored by git, not code) and the findings not listed (in the
text, Markdown and HTML summaries, as SARIF and CycloneDX properties);
and for a source licensed under a choice (MIT OR GPL-3.0-only) the
licenses the verdict was made on (SPDX concludes them; CycloneDX keeps
the expression and adds a snipscan:license_choice property).

Every report reads each finding's source file back where it was indexed:
one whose content changed since (its size or hash differs) or that is
gone is said to be so, and its lines are those of the content indexed:
JSON source_changed and source_gone, a note in the text, Markdown and
notice reports, SARIF properties and message, an annotation in SPDX, a
property in CycloneDX, and a notice in place of its code in the HTML
report; no report shows its code as it is now.

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

// scanFlags are the flags of snipscan scan.
type scanFlags struct {
	dbPaths     fileList
	format      *string
	output      *string
	reports     reportList
	verbose     *bool
	maxSize     *int64
	text        *bool
	minTokens   *int
	maxDF       *int
	noSource    *bool
	noRewrites  *bool
	progress    *string
	color       *string
	lockTimeout *time.Duration
	corpora     corpusChecker
	gate        gateFlags
	excludes    globFlag
	noGitignore *bool
	prof        profileFlags
	server      *string
}

// newScanFlags defines the flags of snipscan scan.
func newScanFlags(e env) (*flag.FlagSet, *scanFlags) {
	fs := newFlagSet(e, "scan", scanUsage)
	f := &scanFlags{}
	fs.Var(&f.dbPaths, "db", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+"); repeat it to scan against several databases at once")
	f.format = fs.String("format", "text", "output `format`: "+strings.Join(report.Formats(), ", "))
	f.output = fs.String("output", "", "write the report to `file` instead of stdout")
	fs.Var(&f.reports, "report", "also write the report in another format to a file: `FORMAT=FILE`, such as json=snipscan.json (repeatable)")
	f.verbose = fs.Bool("v", false, "list skipped files (of unsupported types, those of a programming language snipscan does not read), excluded and ignored paths (on stderr), and passing and accepted findings and alternate sources in the text report")
	f.maxSize = sizeFlag(fs, "max-file-size", walk.DefaultMaxFileSize, 1, "do not read files larger than this `size` in bytes (or with a k, M or G suffix: KiB, MiB, GiB): such a file of source code is unscanned, which fails the built-in policy")
	f.text = fs.Bool("text", false, "also scan plain-text files (.txt, .md, .rst)")
	f.minTokens = intFlag(fs, "min-tokens", match.DefaultMinTokens, 1, false, "smallest reported region, in matched `tokens`")
	f.maxDF = intFlag(fs, "max-df", match.DefaultMaxDF, 1, false, "ignore fingerprints found in more than this many corpus `files`")
	f.noSource = fs.Bool("no-source-text", false, "do not read the corpus files of findings (where they were indexed, in a directory or archive, if unchanged) to align their edges and confirm small copies; reports still check whether they changed")
	f.noRewrites = fs.Bool("no-rewrites", false, "do not search Go functions rewritten from corpus functions (names, idioms and statement order changed), only copies: faster on large trees; the JSON report says rewrites_searched false")
	f.progress = fs.String("progress", "auto", "progress bar on stderr, over the bytes of the files to read, cleared at the end: auto (when stderr is a terminal), always, never")
	f.color = fs.String("color", "auto", "colour in the text report: auto (on a terminal, unless NO_COLOR is set), always, never")
	f.lockTimeout = lockTimeoutFlag(fs, "how long to wait (a `duration`) while an index run holds the database")
	fs.BoolVar(&f.corpora.allowIncomplete, "allow-incomplete", false, "scan a database that an index or merge run left unfinished (killed, interrupted, failed) as it is; the report says it is incomplete")
	fs.StringVar(&f.gate.policy, "policy", "", "policy `file` for every PATH (default: snipscan.toml, .snipscan.toml, snipscan.yaml, .snipscan.yaml, snipscan.yml or .snipscan.yml at the scanned root, else the repository root, else the built-in policy; PATHs that find different ones are an error)")
	fs.StringVar(&f.gate.baseline, "baseline", "", "a previous JSON report `file`: its findings are accepted, only new ones fail")
	fs.StringVar(&f.gate.diff, "diff", "", "report only findings on lines changed since git `revision` (and untracked files)")
	fs.StringVar(&f.gate.failOn, "fail-on", "fail", "what fails: fail (the policy), warn (warnings too), never, or a comma-separated `list` of exactly the license categories and SPDX IDs that fail (an -only ID also fails its -or-later one, a deprecated bare ID such as GPL-3.0 both; the policy's denials and fail_on_unknown then warn; copyleft code compatible with the project's license fails by its SPDX ID, not by its category)")
	fs.Var(&f.excludes, "exclude", "leave out the paths matching `glob` (doublestar syntax, relative to the scanned PATH; a directory with what is below it), besides the policy's exclude; repeatable")
	f.noGitignore = fs.Bool("no-gitignore", false, "scan the files git ignores (.gitignore, .git/info/exclude, core.excludesFile) too")
	f.prof = addProfileFlags(fs)
	f.server = fs.String("server", "", "scan through the scan server at `URL` (snipscan serve) instead of a database: only fingerprints and token hashes are sent, the token is $SNIPSCAN_TOKEN")
	return fs, f
}

// check refuses, before any work, a scan of no PATH, an unknown format,
// a PATH that does not exist and a report file that cannot be written.
func (f *scanFlags) check(paths []string) error {
	if len(paths) == 0 {
		return usagef("no PATH to scan")
	}
	if !validFormat(*f.format) {
		return usagef("unknown --format %q (want one of %s)", *f.format, strings.Join(report.Formats(), ", "))
	}
	if *f.server != "" && len(f.dbPaths) > 0 {
		return usagef("--server and --db go apart: the server reads its own corpus")
	}
	if err := checkPaths(paths); err != nil {
		return err
	}
	if err := checkOutput("--output "+*f.output, *f.output); err != nil {
		return err
	}
	return f.reports.check(*f.output)
}

// scanJob is a scan whose flags are read: what it scans, under which
// policy, against which corpus.
type scanJob struct {
	f      *scanFlags
	paths  []string
	proj   *project
	pol    *policy.Policy
	failOn string // policy.Context.FailOn
	pctx   policy.Context
	db     scanCorpus
	excl   *exclusions
	// sources reads the corpus files back: for the matcher, for the
	// state of the findings' sources, and for the HTML report's code.
	sources *scanner.Sources
	// rewrites finds rewritten Go functions; nil when the corpus cannot.
	rewrites match.RewriteFinder
	// server is the scan server scanned through (db), or nil.
	server *remote.Client
}

func runScan(ctx context.Context, e env, args []string) error {
	fs, f := newScanFlags(e)
	if err := parse(fs, args); err != nil {
		return err
	}
	stopProfile, err := f.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	if err := f.check(fs.Args()); err != nil {
		return err
	}
	showBar, err := wantProgress(*f.progress, e)
	if err != nil {
		return err
	}
	color, err := wantColor(*f.color, *f.output, e)
	if err != nil {
		return err
	}
	job, closeDB, err := newScanJob(ctx, e, f, fs.Args())
	if err != nil {
		return err
	}
	defer closeDB()
	rep, err := job.scan(ctx, e, showBar)
	if err != nil {
		return err
	}
	doc, ropts, err := job.document(ctx, e, rep, color)
	if err != nil {
		return err
	}
	if err := job.write(e, rep, doc, ropts); err != nil {
		return err
	}
	if doc.Summary.Failing > 0 || doc.UnscannedFails() {
		return errPolicy
	}
	return nil
}

// newScanJob places the PATHs, loads the policy and the baseline, and
// opens the corpus, which the returned function closes.
func newScanJob(ctx context.Context, e env, f *scanFlags, paths []string) (*scanJob, func(), error) {
	paths = uniquePaths(e, paths)
	proj, err := newProject(paths)
	if err != nil {
		return nil, nil, err
	}
	pol, err := loadPolicy(e, f.gate.policy, proj)
	if err != nil {
		return nil, nil, err
	}
	failOn, err := applyFailOn(pol, f.gate.failOn)
	if err != nil {
		return nil, nil, err
	}
	pctx := policy.Context{FailOn: failOn, Notices: readNotices(proj).of, Key: proj.key, Rel: proj.policyPath}
	if f.gate.baseline != "" {
		if pctx.Baseline, pctx.LegacyBaseline, err = loadBaseline(f.gate.baseline); err != nil {
			return nil, nil, err
		}
		pctx.BaselineFile = f.gate.baseline
	}
	job := &scanJob{f: f, paths: paths, proj: proj, pol: pol, failOn: failOn, pctx: pctx}
	if *f.server != "" {
		c, err := dialServer(ctx, e, *f.server)
		if err != nil {
			return nil, nil, err
		}
		if *f.noRewrites {
			c.SkipRewrites()
		}
		job.db, job.server, f.corpora.incomplete = c, c, c.Info().Incomplete
		return job, func() {}, nil
	}
	db, closeDB, err := openScanCorpus(e, f.dbPaths, *f.lockTimeout, &f.corpora)
	if err != nil {
		return nil, nil, err
	}
	job.db = localCorpus{db}
	if !*f.noRewrites {
		job.rewrites = rewriteFinder(e, db)
	}
	return job, closeDB, nil
}

// openScanCorpus opens the corpus that scans read: the databases at
// paths (default: defaultDBPath), checked by checker.
func openScanCorpus(e env, paths fileList, lockTimeout time.Duration, checker *corpusChecker) (corpusIndex, func(), error) {
	if len(paths) == 0 {
		paths = fileList{defaultDBPath(e.getenv)}
	}
	return openCorpora(paths, lockTimeout, checker.check)
}

// scan walks the PATHs and matches their files against the corpus,
// showing the progress bar when showBar is set.
func (j *scanJob) scan(ctx context.Context, e env, showBar bool) (*scanner.Report, error) {
	f := j.f
	opts := scanner.Options{Text: *f.text, Walk: walk.Options{MaxFileSize: *f.maxSize},
		Match: match.Options{MinTokens: *f.minTokens, MaxDF: *f.maxDF, Rewrites: j.rewrites}, NoSourceText: *f.noSource, NotCode: notCode,
		ListOtherLanguages: *f.verbose}
	j.sources = scanner.NewSources(ctx, max(*f.maxSize, walk.DefaultMaxFileSize))
	opts.Sources = j.sources
	if j.server != nil {
		opts.SourcesElsewhere, opts.GoText = true, j.server.Rewrites()
	}
	ignores := newGitIgnores(ctx)
	j.excl = &exclusions{proj: j.proj, pol: j.pol, globs: &f.excludes, git: !*f.noGitignore, ignores: ignores, stderr: e.stderr, verbose: *f.verbose}
	opts.Walk.Exclude = j.excl.exclude
	var bar *progressBar
	if showBar {
		opts.Progress = &scanner.Progress{}
		// The bar's total walks the paths again, in its own goroutine:
		// it gets exclusions of its own, whose counts are not used, and
		// shares git's answers.
		barWalk := opts.Walk
		barWalk.Exclude = (&exclusions{proj: j.proj, pol: j.pol, globs: &f.excludes, git: !*f.noGitignore, ignores: ignores, stderr: io.Discard}).exclude
		bar = startProgress(ctx, e, "scanning", j.paths, barWalk, *f.text, &opts.Progress.Files, &opts.Progress.Bytes, nil)
		if e.getenv(testProgressEnv) != "" {
			bar.drawCounted()
		}
	}
	rep, err := scanner.ScanCorpus(ctx, j.db, j.paths, opts)
	bar.stop()
	return rep, err
}

// document gates the scan's findings (minimum size, --diff), evaluates
// the policy on them and builds the report's document, with the options
// its formats are rendered with.
func (j *scanJob) document(ctx context.Context, e env, rep *scanner.Report, color bool) (*report.Document, report.Options, error) {
	// Repeated copies are ranked before any finding is dropped, so that
	// each keeps its own ID whichever of them the report lists.
	for i := range rep.Results {
		match.NumberRepeats(rep.Results[i].Findings)
	}
	below, outside, err := gate(ctx, rep.Results, j.pol, j.proj, j.f.gate.diff)
	if err != nil {
		return nil, report.Options{}, err
	}
	// The scan marked the sources that changed since they were indexed.
	// The targets with findings are read again by the attribution check
	// (targets inside archives included) and by the HTML report, which
	// reads the sources found unchanged.
	texts := newFileTexts(rep.Results, j.sources)
	j.pctx.ReadTarget = texts.target
	ev := j.pol.Evaluator(j.pctx)
	doc := report.Build(rep.Results, rep.Stats.Files, ev, report.Tool{Name: "snipscan", Version: version()},
		j.db.Path(), rep.Stats.Skipped, rep.Stats.Elapsed)
	doc.Targets, doc.IDVersion = j.paths, report.IDVersion
	doc.Summary.FilesNotCode = rep.Stats.NotCode
	doc.Summary.BelowMinimum, doc.Summary.OutsideDiff, doc.Summary.Policy = below, outside, j.pol.File
	doc.Summary.Excluded, doc.Summary.Ignored = j.excl.excluded, j.excl.ignored
	warnBaseline(e, j.pctx, ev, doc)
	doc.SetUnscanned(unscannedFiles(rep.Stats.Unscanned), j.pol.UnscannedVerdict(j.failOn))
	if doc.Summary.Unscanned > 0 {
		doc.Summary.UnscannedBy = j.pol.UnscannedOverride(j.failOn)
	}
	doc.IncompleteCorpus = j.f.corpora.incomplete
	doc.RewritesSearched = j.rewrites != nil || j.server != nil && j.server.Rewrites()
	ropts := report.Options{Verbose: *j.f.verbose, Color: color, LicenseText: j.db.LicenseText, ReadTarget: texts.target, ReadSource: j.sources.Read}
	if j.server != nil {
		ropts.ReadSource = nil // the corpus files are on the server
	}
	return doc, ropts, nil
}

// write writes the report to stdout or --output and to each --report
// file, then what stderr tells: with -v the skipped and excluded paths,
// and what the scan did not cover. A PATH that could not be read is an
// error, once the reports are written.
func (j *scanJob) write(e env, rep *scanner.Report, doc *report.Document, ropts report.Options) error {
	if err := writeReport(e, *j.f.output, *j.f.format, doc, ropts); err != nil {
		return err
	}
	if err := j.f.reports.write(e, doc, ropts); err != nil {
		return err
	}
	if *j.f.verbose {
		for _, s := range rep.Stats.Skips {
			fmt.Fprintf(e.stderr, "skipped %s\n", skipLine(s))
		}
		j.excl.report(e.stderr)
	}
	noteLimits(e, doc)
	return unreadRoots(j.paths, rep.Stats.Skips)
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

// scanCorpus is what a scan matches against and reports on: a local
// corpus, or a scan server (*remote.Client).
type scanCorpus interface {
	scanner.Corpus
	Path() string
	LicenseText(id string) (string, error)
}

// localCorpus is a corpus read by this process.
type localCorpus struct{ corpusIndex }

func (l localCorpus) Match(ctx context.Context, targets []match.Target, opts match.Options) ([]match.Result, error) {
	return scanner.Local(l.corpusIndex).Match(ctx, targets, opts)
}

// openCorpora opens the databases at paths read-only, checks each with
// check, and returns them as one index when there are several
// (corpus.Union: shards built by independent index runs), with a
// function that closes them.
func openCorpora(paths []string, lockTimeout time.Duration, check func(corpus.Reader) error) (corpusIndex, func(), error) {
	var dbs []corpus.Reader
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
		db, err := store.Open(context.Background(), p, corpus.Options{ReadOnly: true, LockTimeout: lockTimeout})
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
	u, err := union(dbs)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return u, closeAll, nil
}

// union returns the union of several bbolt databases; a corpus of
// another store is scanned alone.
func union(dbs []corpus.Reader) (*corpus.Union, error) {
	files := make([]*corpus.DB, len(dbs))
	for i, r := range dbs {
		db, ok := r.(*corpus.DB)
		if !ok {
			return nil, fmt.Errorf("%s: a PostgreSQL corpus is scanned alone, not with other --db corpora", r.Path())
		}
		files[i] = db
	}
	return corpus.NewUnion(files...)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/corpus/store"
	"github.com/snipscan/snipscan/report"
)

const infoUsage = `
Usage: snipscan info [flags]

Describe what the corpus database holds: its parameters, the indexed
roots, the number of files, locations and fingerprints, the licenses found
and the packages, in columns: name and version, files, license, and the
package's root (its directory, or its directory inside an indexed
archive); and whether the corpus is complete or an index or merge run
began to write it and did not finish. With --check, also verify the
database's structure and cross references.
`

func runInfo(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "info", infoUsage)
	dbPath := fs.String("db", "", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+")")
	format := fs.String("format", "text", "output `format`: text or json")
	check := fs.Bool("check", false, "verify the database's pages and cross references")
	all := fs.Bool("packages", false, "list every package (text output lists the first 20)")
	lockTimeout := lockTimeoutFlag(fs, "how long to wait (a `duration`) while an index run holds the database")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("info takes no arguments")
	}
	if *format != "text" && *format != "json" {
		return usagef("unknown --format %q (want text or json)", *format)
	}
	db, err := openReadOnly(e, *dbPath, *lockTimeout)
	if err != nil {
		return err
	}
	defer db.Close()
	if *check {
		if err := db.Check(); err != nil {
			return err
		}
	}
	info, err := db.Info(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	w := e.stdout
	fmt.Fprintf(w, "database   %s (%s)\n", info.Path, bytesHuman(info.SizeBytes))
	lit := ""
	if info.Params.AbstractLiterals {
		lit = ", literals abstracted"
	}
	fmt.Fprintf(w, "schema     %d; k=%d w=%d fingerprint version %d, stop-df %d%s\n", info.Schema,
		info.Params.K, info.Params.W, info.Params.FPVersion, info.Params.StopDF, lit)
	fmt.Fprintf(w, "state      %s\n", stateLine(info.Unfinished))
	if *check {
		fmt.Fprintf(w, "check      ok\n")
	}
	for _, r := range info.Roots {
		fmt.Fprintf(w, "root       %s (%s, indexed %s)\n", r.Path, r.Kind, r.Indexed.Local().Format(time.DateTime))
	}
	fmt.Fprintf(w, "files      %s distinct contents (%s) at %s locations", report.Count(info.Files), bytesHuman(info.Bytes), report.Count(info.Locations))
	if info.Files > 0 {
		fmt.Fprintf(w, " (dedup %.2f locations per content)", float64(info.Locations)/float64(info.Files))
	}
	if info.DeadFiles > 0 {
		fmt.Fprintf(w, "; %s no longer present", report.Count(info.DeadFiles))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "postings   %s in %s segment(s); %s hashes (distinct within each segment), %s boilerplate hashes not stored\n",
		report.Count(info.Postings), report.Count(int(info.Segments)), report.Count(info.Hashes), report.Count(info.StoppedHashes))
	type lc struct {
		lic string
		n   int
	}
	var lics []lc
	for l, n := range info.Licenses {
		if l == "" {
			l = "(unknown)"
		}
		lics = append(lics, lc{l, n})
	}
	sort.Slice(lics, func(i, j int) bool {
		return lics[i].n > lics[j].n || lics[i].n == lics[j].n && lics[i].lic < lics[j].lic
	})
	var parts []string
	for _, l := range lics {
		parts = append(parts, fmt.Sprintf("%s %s", l.lic, report.Count(l.n)))
	}
	fmt.Fprintf(w, "licenses   %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "packages   %s\n", report.Count(len(info.Packages)))
	shown := info.Packages
	if len(shown) > 20 && !*all {
		shown = shown[:20]
	}
	if err := packageTable(w, shown, info.Roots); err != nil {
		return err
	}
	if len(shown) < len(info.Packages) {
		fmt.Fprintf(w, "  ... %s more (--packages lists them all)\n", report.Count(len(info.Packages)-len(shown)))
	}
	return nil
}

// packageTable writes one line per package, in aligned columns: its name
// and version, its number of files, its license, and its root: the
// directory (or the directory inside an indexed archive) its manifest or
// module path was found at.
func packageTable(w io.Writer, pkgs []corpus.PackageStats, roots []corpus.Root) error {
	if len(pkgs) == 0 {
		return nil
	}
	rootPath := map[uint32]corpus.Root{}
	for _, r := range roots {
		rootPath[r.ID] = r
	}
	width := len("FILES")
	for _, p := range pkgs {
		width = max(width, len(report.Count(p.Files)))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  PACKAGE\t%*s\tLICENSE\tROOT\n", width, "FILES")
	for _, p := range pkgs {
		name := p.Name
		if name == "" {
			name = "(unnamed)"
		}
		if p.Version != "" {
			name += "@" + p.Version
		}
		lic := p.License
		if lic == "" {
			lic = "unknown"
		}
		if p.Vendored {
			lic += ", vendored"
		}
		fmt.Fprintf(tw, "  %s\t%*s\t%s\t%s\n", name, width, report.Count(p.Files), lic, packageRoot(rootPath[p.RootID], p.Dir))
	}
	return tw.Flush()
}

// packageRoot is the path of a package's directory: below an indexed
// directory, or inside an indexed archive (archive.zip/dir, as scans name
// archive members).
func packageRoot(r corpus.Root, dir string) string {
	switch {
	case r.Path == "":
		return dir
	case dir == "" || dir == ".":
		return r.Path
	case r.Kind == "dir":
		return filepath.Join(r.Path, filepath.FromSlash(dir))
	}
	return r.Path + "/" + dir
}

const checkUsage = `
Usage: snipscan check [flags]

Verify the corpus database: bbolt's page structure, and the cross
references between its records: every location points at a file, every
file at a committed segment of fingerprints, every fingerprint posting at
a file that exists (or was removed), and the counts of every segment agree
with its record. Prints what was checked; a damaged database exits 2 with
what is wrong. A database that an index or merge run began to write and
did not finish passes the check when its structure is sound, and its
state line says it is unfinished: re-running the same command resumes and
completes it. A database that fails this check should be rebuilt.
`

func runCheck(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "check", checkUsage)
	dbPath := fs.String("db", "", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+")")
	lockTimeout := lockTimeoutFlag(fs, "how long to wait (a `duration`) while an index run holds the database")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("check takes no arguments")
	}
	db, err := openReadOnly(e, *dbPath, *lockTimeout)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Check(); err != nil {
		return err
	}
	info, err := db.Info(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s (%s): %s files at %s locations, %s postings in %s segment(s), checked in %v\n",
		info.Path, bytesHuman(info.SizeBytes), report.Count(info.Files), report.Count(info.Locations), report.Count(info.Postings), report.Count(int(info.Segments)),
		time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "state: %s\n", stateLine(info.Unfinished))
	return nil
}

// stateLine says whether the database is complete, or which run left it
// unfinished.
func stateLine(run *corpus.Run) string {
	if run == nil {
		return "complete"
	}
	return "unfinished: " + unfinishedRun(run.Started) + "; run it again to complete the corpus (a scan refuses it until then, unless --allow-incomplete)"
}

// openReadOnly opens the database at path, or the default one, for
// reading.
func openReadOnly(e env, path string, lockTimeout time.Duration) (corpus.Reader, error) {
	if path == "" {
		path = defaultDBPath(e.getenv)
	}
	return store.Open(context.Background(), path, corpus.Options{ReadOnly: true, LockTimeout: lockTimeout})
}

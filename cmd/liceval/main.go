// Command liceval measures snipscan's license classification and
// copyright extraction on files labelled by someone else, beside
// google/licensecheck v0.3.1 alone and Debian's licensecheck (when
// installed). It writes Markdown tables for EVALUATION.md to stdout.
//
// Sets, each scored on its own:
//
//   - npm: the packages of eval/license-npm.txt (name@version, unpacked
//     by scripts/liceval-fetch.sh into the cache), labelled with their
//     package.json "license" field. The tools see the package's files
//     without its manifests: the package case is the license snipscan
//     derives for the package's directory (indexer.DirLicense: license
//     files and README), the file case each package's only license file.
//   - debian: every License field with a body in the machine-readable
//     /usr/share/doc/*/copyright files, labelled with its short name
//     converted to SPDX.
//   - licensecheck: google/licensecheck v0.3.1's testdata, labelled with
//     its own expected matches.
//   - debsrc (holders): source files of the Debian source packages of
//     eval/license-debsrc.txt, labelled with the holders of their Files
//     paragraph in debian/copyright.
//
// Usage:
//
//	scripts/liceval-fetch.sh            # fetch the npm packages and Debian sources into the cache
//	go run ./cmd/liceval [flags]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("liceval: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// config holds the command's flags.
type config struct {
	sets        string
	cache       string
	npmList     string
	debsrcList  string
	docDir      string
	lcDir       string
	out         string
	perPackage  int
	verbose     bool
	debianTool  bool
	sampleNPM   string
	perBand     int
	seed        string
	top         int
	describeRun string
}

func defaultCache() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "snipscan-liceval")
	}
	return filepath.Join(os.TempDir(), "snipscan-liceval")
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("liceval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.sets, "sets", "npm,debian,licensecheck,debsrc", "comma-separated `sets` to score")
	fs.StringVar(&c.cache, "cache", defaultCache(), "`dir` where scripts/liceval-fetch.sh put the npm packages and Debian sources")
	fs.StringVar(&c.npmList, "npm-list", "eval/license-npm.txt", "pinned npm packages (name@version)")
	fs.StringVar(&c.debsrcList, "debsrc-list", "eval/license-debsrc.txt", "pinned Debian source packages (source=version)")
	fs.StringVar(&c.docDir, "doc-dir", "/usr/share/doc", "`dir` of Debian's copyright files")
	fs.StringVar(&c.lcDir, "licensecheck-testdata", "", "google/licensecheck's testdata `dir` (default: from the module cache)")
	fs.StringVar(&c.out, "out", "", "`dir` for the per-case TSV (with -v) and the list of Debian packages read (default: the cache)")
	fs.IntVar(&c.perPackage, "per-package", 150, "at most `n` source files of each Debian source package")
	fs.BoolVar(&c.verbose, "v", false, "write every case's labels and predictions to cases.tsv in -out")
	fs.BoolVar(&c.debianTool, "debian-tool", true, "also run Debian's licensecheck when installed")
	fs.StringVar(&c.sampleNPM, "sample-npm", "", "print a sample of the npm packages of this `tsv` (name, version, downloads a month) by popularity band, and exit")
	fs.IntVar(&c.perBand, "per-band", 60, "packages per popularity band with -sample-npm")
	fs.StringVar(&c.seed, "seed", "1", "seed of -sample-npm")
	fs.IntVar(&c.top, "top", 15, "most frequent misses listed per set")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.out == "" {
		c.out = c.cache
	}
	c.describeRun = "go run ./cmd/liceval " + strings.Join(args, " ")
	return c, nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	c, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	if c.sampleNPM != "" {
		return sampleNPM(c.sampleNPM, c.perBand, c.seed, stdout)
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return fmt.Errorf("output dir: %w", err)
	}
	tools := []tool{snipscanTool(), googleTool()}
	var notes []string
	if c.debianTool {
		if t, err := debianTool(); err != nil {
			notes = append(notes, err.Error()+": its rows are omitted.")
		} else {
			tools = append(tools, t)
		}
	}
	ev := &evaluation{cfg: c, tools: tools, notes: notes}
	if c.verbose {
		f, err := os.Create(filepath.Join(c.out, "cases.tsv"))
		if err != nil {
			return fmt.Errorf("cases.tsv: %w", err)
		}
		defer f.Close()
		ev.tsv = f
		fmt.Fprintln(f, "set\tcase\ttool\twant\tgot\tgot expression\tholders wanted\tholders got\tholder group")
	}
	return ev.run(ctx, stdout)
}

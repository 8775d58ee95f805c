package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/snipscan/snipscan/corpus"
	"golang.org/x/term"
)

// Exit codes. They are documented in README.md and stable.
const (
	exitOK     = 0 // done, and no finding fails the policy
	exitFailed = 1 // findings fail the policy
	exitError  = 2 // usage or runtime error
)

// errPolicy reports that findings failed the policy (exit 1).
var errPolicy = errors.New("findings fail the policy")

// interruption is the error of a run stopped by a signal (it wraps
// context.Canceled), with what the user may do next, if anything.
type interruption struct{ next string }

func (i *interruption) Error() string {
	if i.next == "" {
		return "interrupted"
	}
	return "interrupted; " + i.next
}

func (i *interruption) Unwrap() error { return context.Canceled }

// usageError is a command-line mistake (exit 2, with a hint).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// env is the process environment a command runs in, so that tests can run
// the whole CLI in-process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

const mainUsage = `snipscan finds code copied from licensed open-source software.

Usage:

	snipscan index [flags] PATH...   index directories and archives of licensed code
	snipscan scan  [flags] PATH...   report code in PATH reused from the indexed corpus
	snipscan info  [flags]           describe what the corpus holds
	snipscan check [flags]           verify the corpus database
	snipscan merge [flags] SHARD...  merge databases built by separate index jobs
	snipscan license [flags] PATH... show how the license classifier reads files
	snipscan serve [flags]           serve scans over the corpus (scan --server URL)
	snipscan version                 print the version

Run "snipscan COMMAND -h" for the flags of a command. Flags may come
before or after the PATHs; "--" ends them.

The corpus database is --db, else $SNIPSCAN_DB, else
%s.

Exit codes: 0 done and no finding fails the policy; 1 findings fail the
policy; 2 usage or runtime error.
`

type command struct {
	name string
	run  func(ctx context.Context, e env, args []string) error
}

var commands = []command{
	{"index", runIndex},
	{"scan", runScan},
	{"info", runInfo},
	{"check", runCheck},
	{"merge", runMerge},
	{"license", runLicense},
	{"serve", runServe},
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "help" && len(args) == 1 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) == 0 {
			fmt.Fprintf(e.stderr, mainUsage, defaultDBPath(e.getenv))
			return exitError
		}
		fmt.Fprintf(e.stdout, mainUsage, defaultDBPath(e.getenv))
		return exitOK
	}
	name, rest := args[0], args[1:]
	if name == "help" {
		name, rest = args[1], []string{"-h"}
	}
	if name == "version" || name == "--version" {
		fmt.Fprintf(e.stdout, "snipscan %s %s/%s\n", version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, rest)
		return exitCode(e, name, err)
	}
	fmt.Fprintf(e.stderr, "snipscan: unknown command %q\n\n", name)
	fmt.Fprintf(e.stderr, mainUsage, defaultDBPath(e.getenv))
	return exitError
}

// exitCode maps a command's error to the exit code, printing it.
func exitCode(e env, name string, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errPolicy):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "snipscan %s: %s\nRun \"snipscan %s -h\" for usage.\n", name, ue.msg, name)
		return exitError
	case errors.Is(err, corpus.ErrEmpty):
		fmt.Fprintf(e.stderr, "snipscan %s: %v\nIndex some licensed code into it first, for example:\n\tsnipscan index --db DATABASE \"$(go env GOROOT)/src\"\n", name, err)
		return exitError
	case errors.Is(err, corpus.ErrNotExist):
		fmt.Fprintf(e.stderr, "snipscan %s: %v\nIndex some licensed code first, for example:\n\tsnipscan index \"$(go env GOROOT)/src\"\n", name, err)
		return exitError
	case errors.Is(err, corpus.ErrNotCorpus):
		fmt.Fprintf(e.stderr, "snipscan %s: %v\nThe file is not a snipscan database, or it is damaged: point --db at another file, or delete it and index again.\n", name, err)
		return exitError
	case errors.Is(err, corpus.ErrSchemaMismatch), errors.Is(err, corpus.ErrParamsMismatch):
		fmt.Fprintf(e.stderr, "snipscan %s: %v\n", name, err)
		return exitError
	case errors.Is(err, corpus.ErrLocked):
		fmt.Fprintf(e.stderr, "snipscan %s: %v\nAnother snipscan index is writing this database; wait for it to finish, or raise --lock-timeout.\n", name, err)
		return exitError
	case errors.Is(err, context.Canceled):
		in := &interruption{}
		errors.As(err, &in)
		fmt.Fprintf(e.stderr, "snipscan %s: %v\n", name, in)
		return exitError
	}
	fmt.Fprintf(e.stderr, "snipscan %s: %v\n", name, err)
	return exitError
}

// newFlagSet returns a flag set whose usage prints text, a man-page style
// description, then the flags.
func newFlagSet(e env, name, text string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// -h prints the usage to stdout (it is what was asked for); parse
	// silences the flag package's own messages, and a bad flag is
	// reported on stderr as a usage error.
	fs.SetOutput(e.stdout)
	fs.Usage = func() {
		fmt.Fprint(e.stdout, strings.TrimLeft(text, "\n"))
		fmt.Fprintln(e.stdout, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning flag errors into usage errors (exit 2) and
// -h into flag.ErrHelp (exit 0). Flags may follow the positional
// arguments, as in most command-line tools (scan . --format json); "--"
// ends the flags. fs.Args() then returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := parseInterspersed(fs, args)
	fs.Usage = usage
	fs.SetOutput(out)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return err
		}
		return &usageError{flagMessage(err)}
	}
	return nil
}

// parseInterspersed parses the flags among args, wherever they stand,
// up to a "--" that ends them, and leaves the other arguments, in order,
// as fs.Args().
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if endedFlags(fs, args[:len(args)-len(rest)]) {
			positional = append(positional, rest...)
			break
		}
		// The flag package stops at the first positional argument: keep
		// it, and parse what follows.
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parsing a lone "--" sets the positional arguments, and no flag.
	return fs.Parse(append([]string{"--"}, positional...))
}

// endedFlags reports whether the arguments one Parse consumed end with
// a "--" that ends the flags, not with the value "--" of a flag that
// takes one (--output --).
func endedFlags(fs *flag.FlagSet, parsed []string) bool {
	n := len(parsed)
	if n == 0 || parsed[n-1] != "--" {
		return false
	}
	return n < 2 || !takesValue(fs, parsed[n-2])
}

// takesValue reports whether arg is a flag, without "=value", whose value
// is the next argument (any flag but a boolean one).
func takesValue(fs *flag.FlagSet, arg string) bool {
	name, ok := strings.CutPrefix(arg, "-")
	if !ok || strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimPrefix(name, "-"))
	if f == nil {
		return false
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return !isBool || !b.IsBoolFlag()
}

// flagMessages match the flag package's errors, to say them the way the
// documentation spells flags (--name, or -v for a one-letter name): each
// pattern captures the flag's name, then the value if any.
var flagMessages = []struct {
	re     *regexp.Regexp
	format string // of the flag, then the value
}{
	{regexp.MustCompile(`^invalid value "(.*)" for flag -(\S+): (.*)$`), "%[2]s %[1]s: %[3]s"},
	{regexp.MustCompile(`^invalid boolean value "(.*)" for -(\S+): .*$`), "%[2]s=%[1]s: want true or false"},
	{regexp.MustCompile(`^flag provided but not defined: -+(\S+)$`), "unknown flag %[1]s"},
	{regexp.MustCompile(`^flag needs an argument: -+(\S+)$`), "%[1]s needs a value"},
}

// flagMessage rewords an error of the flag package.
func flagMessage(err error) string {
	msg := err.Error()
	for _, m := range flagMessages {
		sub := m.re.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		args := make([]any, len(sub)-1)
		for i, a := range sub[1:] {
			args[i] = a
		}
		name := 1 // the group holding the flag's name
		if len(sub) > 2 {
			name = 2
		}
		args[name-1] = dashed(sub[name])
		return fmt.Sprintf(m.format, args...)
	}
	return msg
}

// dashed spells a flag's name as the documentation does.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// defaultDBPath is $SNIPSCAN_DB, else corpus.db in snipscan's directory
// under the user's data directory.
func defaultDBPath(getenv func(string) string) string {
	if p := getenv("SNIPSCAN_DB"); p != "" {
		return p
	}
	return filepath.Join(dataDir(getenv), "snipscan", "corpus.db")
}

// dataDir is the user's data directory: $XDG_DATA_HOME or ~/.local/share on
// Unix, ~/Library/Application Support on macOS, %LocalAppData% on Windows.
func dataDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return d
		}
	case "darwin":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" {
			return d
		}
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, ".local", "share")
		}
	}
	return os.TempDir()
}

// version returns the module version the binary was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// logger returns a logger on stderr: debug level when verbose, warnings
// otherwise.
func logger(e env, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

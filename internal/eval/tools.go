package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Pair is one reuse a tool reported: a range of a target file taken from a
// range of a corpus file.
type Pair struct {
	Target string // absolute path
	TLines [2]int
	Source string // absolute path
	SLines [2]int
}

// ErrToolMissing: the peer tool is not installed.
var ErrToolMissing = errors.New("tool not installed")

// ToolRun is the outcome of running a peer tool.
type ToolRun struct {
	Name    string
	Version string
	Pairs   []Pair
	Wall    time.Duration
	Note    string // how it was run
}

var simLine = regexp.MustCompile(`^(.+): line (\d+)-(\d+)\s*\|(.+): line (\d+)-(\d+)\[(\d+)\]$`)

// RunSim runs Debian's similarity-tester, sim_c -S (compare the new files
// to the old ones only), with the targets as new files and the corpus as
// old ones. minRun is its minimum run size in tokens (-r).
func RunSim(ctx context.Context, targets, corpus []string, minRun int) (*ToolRun, error) {
	var pairs []Pair
	run, err := SimPairs(ctx, targets, corpus, minRun, func(p Pair) { pairs = append(pairs, p) })
	if err != nil {
		return nil, err
	}
	run.Pairs = pairs
	return run, nil
}

// SimPairs runs sim_c as RunSim does and calls fn with every pair it
// reports, as it reports them (at short runs sim_c reports millions),
// instead of keeping them in the ToolRun.
func SimPairs(ctx context.Context, targets, corpus []string, minRun int, fn func(Pair)) (*ToolRun, error) {
	bin, err := exec.LookPath("sim_c")
	if err != nil {
		return nil, fmt.Errorf("sim_c (Debian package similarity-tester): %w", ErrToolMissing)
	}
	var in bytes.Buffer
	for _, f := range targets {
		fmt.Fprintln(&in, f)
	}
	fmt.Fprintln(&in, "/")
	for _, f := range corpus {
		fmt.Fprintln(&in, f)
	}
	args := []string{"-S", "-n", "-T", "-i", "-r", strconv.Itoa(minRun)}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = &in
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("sim_c: %w", err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("sim_c: %w", err)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := simLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		p := Pair{Target: strings.TrimSpace(m[1]), Source: strings.TrimSpace(m[4])}
		p.TLines[0], _ = strconv.Atoi(m[2])
		p.TLines[1], _ = strconv.Atoi(m[3])
		p.SLines[0], _ = strconv.Atoi(m[5])
		p.SLines[1], _ = strconv.Atoi(m[6])
		fn(p)
	}
	if err := sc.Err(); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("sim_c: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("sim_c: %w", err)
	}
	run := &ToolRun{Name: "sim_c", Wall: time.Since(start), Note: "sim_c " + strings.Join(args, " ")}
	if v, err := exec.Command(bin, "-v").CombinedOutput(); err == nil {
		run.Version = strings.TrimSpace(string(v))
	}
	return run, nil
}

// JscpdBin returns the jscpd command: $JSCPD, else jscpd on $PATH, else
// node_modules/.bin/jscpd under dir.
func JscpdBin(dir string) (string, error) {
	if b := os.Getenv("JSCPD"); b != "" {
		return b, nil
	}
	if b, err := exec.LookPath("jscpd"); err == nil {
		return b, nil
	}
	b := filepath.Join(dir, "node_modules", ".bin", "jscpd")
	if _, err := os.Stat(b); err == nil {
		return b, nil
	}
	return "", fmt.Errorf("jscpd (npm install jscpd@5.3.3): %w", ErrToolMissing)
}

// Jscpd returns the jscpd command as JscpdBin does, installing jscpd
// 5.3.3 with npm into dir (default: snipscan-eval-jscpd in the user's
// cache directory) when it is missing.
func Jscpd(ctx context.Context, dir string) (string, error) {
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "snipscan-eval-jscpd")
	}
	if bin, err := JscpdBin(dir); err == nil {
		return bin, nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", fmt.Errorf("jscpd not found and npm missing: %w", ErrToolMissing)
	}
	fmt.Fprintf(os.Stderr, "installing jscpd@5.3.3 into %s\n", dir)
	os.MkdirAll(dir, 0o755)
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, "jscpd@5.3.3")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm install jscpd@5.3.3: %w", err)
	}
	return JscpdBin(dir)
}

// RunJscpd runs jscpd over the targets and the corpus directories together
// (it finds clones within one set of files) and keeps the clones between a
// target file and a corpus file. extra are additional flags, such as
// --ignore-identifiers.
func RunJscpd(ctx context.Context, bin string, targetDir string, corpusDirs []string, minTokens int, extra ...string) (*ToolRun, error) {
	out, err := os.MkdirTemp("", "snipeval-jscpd")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	args := []string{"--format", "go", "--min-tokens", strconv.Itoa(minTokens), "--absolute", "--reporters", "json",
		"--output", out, "--silent", "--no-gitignore", "--ignore", "**/testdata/**"}
	args = append(args, extra...)
	args = append(args, targetDir)
	args = append(args, corpusDirs...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("jscpd: %w: %s", err, stderr.String())
	}
	run := &ToolRun{Name: "jscpd", Wall: time.Since(start), Note: "jscpd " + strings.Join(append(args[:len(args)-1-len(corpusDirs)], "TARGETS", "CORPUS..."), " ")}
	if v, err := exec.Command(bin, "--version").Output(); err == nil {
		run.Version = strings.TrimSpace(string(v))
	}
	data, err := os.ReadFile(filepath.Join(out, "jscpd-report.json"))
	if err != nil {
		return nil, fmt.Errorf("jscpd report: %w", err)
	}
	var rep struct {
		Duplicates []struct {
			FirstFile struct {
				Name  string `json:"name"`
				Start int    `json:"start"`
				End   int    `json:"end"`
			} `json:"firstFile"`
			SecondFile struct {
				Name  string `json:"name"`
				Start int    `json:"start"`
				End   int    `json:"end"`
			} `json:"secondFile"`
		} `json:"duplicates"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("jscpd report: %w", err)
	}
	tdir := filepath.Clean(targetDir) + string(filepath.Separator)
	for _, d := range rep.Duplicates {
		a, b := d.FirstFile, d.SecondFile
		aT, bT := strings.HasPrefix(a.Name, tdir), strings.HasPrefix(b.Name, tdir)
		if aT == bT {
			continue // both targets or both corpus
		}
		if bT {
			a, b = b, a
		}
		run.Pairs = append(run.Pairs, Pair{Target: a.Name, TLines: [2]int{a.Start, a.End}, Source: b.Name, SLines: [2]int{b.Start, b.End}})
	}
	return run, nil
}

// JscpdPairs runs jscpd once over the corpus directories and the target
// directories, the corpus first, and calls fn with every clone it reports
// between a file below a target directory and a corpus file below none.
// ignore are --ignore globs besides testdata directories (such as a
// corpus's test files); extra are additional flags, such as
// --ignore-identifiers. The report is read one clone at a time: at small
// --min-tokens it holds millions of clones within the corpus.
func JscpdPairs(ctx context.Context, bin string, corpusDirs, targetDirs []string, minTokens int, ignore, extra []string, fn func(Pair)) (*ToolRun, error) {
	out, err := os.MkdirTemp("", "snipscan-jscpd")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	args := []string{"--format", "go", "--min-tokens", strconv.Itoa(minTokens), "--absolute", "--reporters", "json",
		"--output", out, "--silent", "--no-gitignore", "--ignore", strings.Join(append([]string{"**/testdata/**"}, ignore...), ",")}
	args = append(args, extra...)
	note := "jscpd " + strings.Join(args, " ") + " CORPUS... TARGETS..."
	args = append(args, corpusDirs...)
	args = append(args, targetDirs...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("jscpd: %w: %s", err, stderr.String())
	}
	run := &ToolRun{Name: "jscpd", Wall: time.Since(start), Note: note}
	if v, err := exec.Command(bin, "--version").Output(); err == nil {
		run.Version = strings.TrimSpace(string(v))
	}
	below := func(name string, dirs []string) bool {
		for _, d := range dirs {
			if strings.HasPrefix(name, filepath.Clean(d)+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
	err = jscpdReport(filepath.Join(out, "jscpd-report.json"), func(a, b jscpdFile) {
		aT, bT := below(a.Name, targetDirs), below(b.Name, targetDirs)
		if aT == bT {
			return // both targets or both corpus
		}
		if bT {
			a, b = b, a
		}
		if below(b.Name, corpusDirs) {
			fn(Pair{Target: a.Name, TLines: [2]int{a.Start, a.End}, Source: b.Name, SLines: [2]int{b.Start, b.End}})
		}
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}

// jscpdFile is one side of a clone of jscpd's JSON report.
type jscpdFile struct {
	Name  string `json:"name"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// jscpdReport calls fn with both sides of every clone of the JSON report
// at path, decoding one clone at a time.
func jscpdReport(path string, fn func(a, b jscpdFile)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("jscpd report: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("jscpd report: not an object (%v)", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("jscpd report: %w", err)
		}
		if t != "duplicates" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fmt.Errorf("jscpd report: %w", err)
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return fmt.Errorf("jscpd report: duplicates is not an array (%v)", err)
		}
		for dec.More() {
			var d struct {
				FirstFile  jscpdFile `json:"firstFile"`
				SecondFile jscpdFile `json:"secondFile"`
			}
			if err := dec.Decode(&d); err != nil {
				return fmt.Errorf("jscpd report: %w", err)
			}
			fn(d.FirstFile, d.SecondFile)
		}
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("jscpd report: %w", err)
		}
	}
	return nil
}

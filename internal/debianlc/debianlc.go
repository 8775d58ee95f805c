// Package debianlc runs Debian's licensecheck (the Perl tool of the
// licensecheck package), the yardstick the license evaluations compare
// snipscan with, and reads its machine output.
package debianlc

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Result is what licensecheck says of one file: its license field
// ("GPL-2+", "Apache-2.0 and/or Expat") and its copyright field
// ("2019-2024 Jane Doe / 2020, Bob").
type Result struct {
	License, Copyright string
}

// batch is how many files one licensecheck process reads.
const batch = 200

// Installed returns an error when licensecheck is not on PATH.
func Installed() error {
	if _, err := exec.LookPath("licensecheck"); err != nil {
		return fmt.Errorf("Debian licensecheck is not installed (apt-get install licensecheck): %w", err)
	}
	return nil
}

// Version returns licensecheck's version ("v3.3.5"), or "" when it cannot
// be read.
func Version() string {
	out, err := exec.Command("licensecheck", "--version").Output()
	if err != nil {
		return ""
	}
	for _, f := range strings.Fields(string(out)) {
		if len(f) > 1 && f[0] == 'v' && f[1] >= '0' && f[1] <= '9' {
			return f
		}
	}
	return ""
}

// Run runs licensecheck on files (with the extra arguments, such as
// "--lines", "0" to read whole files), batch files a process, and
// returns each file's result by its path.
func Run(ctx context.Context, files, extra []string) (map[string]Result, error) {
	res := map[string]Result{}
	for len(files) > 0 {
		n := min(len(files), batch)
		args := append([]string{"--check", ".*", "--copyright", "--deb-fmt", "--machine", "--encoding", "utf8"}, extra...)
		cmd := exec.CommandContext(ctx, "licensecheck", append(args, files[:n]...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			first, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
			return nil, fmt.Errorf("debian licensecheck: %w: %s", err, first)
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if f := strings.SplitN(sc.Text(), "\t", 3); len(f) == 3 {
				res[f[0]] = Result{License: f[1], Copyright: f[2]}
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("debian licensecheck output: %w", err)
		}
		files = files[n:]
	}
	return res, nil
}

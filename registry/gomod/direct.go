package gomod

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"golang.org/x/mod/module"
)

// direct has the go command fetch a module that GOPROXY ("direct") or
// GONOPROXY sends to its origin (a version control repository), with its
// own checks (the checksum database, unless GONOSUMDB exempts the
// module: then it is not verified), and compares the hash it reports
// with want's.
func (f *Fetcher) direct(ctx context.Context, path, query string, want Want) (*Module, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("%s is fetched from its origin (GOPROXY direct or GONOPROXY), which needs the go command: %w", path, err)
	}
	tmp, err := os.MkdirTemp("", "snipscan-gomod")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var out, msg bytes.Buffer
	cmd := exec.CommandContext(ctx, goBin, "mod", "download", "-json", path+"@"+query)
	cmd.Dir, cmd.Stdout, cmd.Stderr = tmp, &out, &msg // outside any module: no go.mod applies
	runErr := cmd.Run()
	var d struct{ Path, Version, Dir, Sum, GoModSum, Info, Error string }
	if err := json.Unmarshal(out.Bytes(), &d); err != nil || d.Error != "" || runErr != nil {
		if d.Error != "" {
			return nil, fmt.Errorf("go mod download: %s", d.Error)
		}
		return nil, fmt.Errorf("go mod download: %v: %s", runErr, strings.TrimSpace(msg.String()))
	}
	if want.Zip != "" && d.Sum != want.Zip {
		return nil, fmt.Errorf("SECURITY: checksum mismatch: the go command reports hash %s, go.sum says %s: refused", d.Sum, want.Zip)
	}
	m := &Module{Path: d.Path, Version: d.Version, Dir: d.Dir, Sum: d.Sum, Verified: "go mod download"}
	switch {
	case want.Zip != "":
		m.Verified = "go.sum"
	case f.sum == nil || module.MatchPrefixPatterns(f.env.NoSumDB, path):
		m.Verified = "" // the go command did not check it either
	}
	if data, err := os.ReadFile(d.Info); err == nil {
		var in struct{ Time time.Time }
		if json.Unmarshal(data, &in) == nil {
			m.Time = in.Time
		}
	}
	return m, nil
}

// Package gomod fetches Go modules as the go command does: through the
// proxies GOPROXY lists, into the module cache (GOMODCACHE), verified
// against go.sum lines or the checksum database (GOSUMDB), and extracted
// where the go command extracts them, so that both share the cache.
package gomod

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// Env is the go command's configuration that bears on downloads.
type Env struct {
	Proxy      string // GOPROXY
	ModCache   string // GOMODCACHE
	NoProxy    string // GONOPROXY (GOPRIVATE when unset)
	NoSumDB    string // GONOSUMDB (GOPRIVATE when unset)
	SumDB      string // GOSUMDB
	ModCacheRW bool   // GOFLAGS holds -modcacherw: extracted modules stay writable
}

// goEnvVars are the variables LoadEnv reads.
var goEnvVars = []string{"GOPROXY", "GOMODCACHE", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOSUMDB", "GOFLAGS", "GOPATH"}

// LoadEnv reads the configuration as the go command resolves it (`go env`,
// which adds its defaults and go.env's settings to the environment's);
// without the go command, from getenv with the go command's defaults.
func LoadEnv(ctx context.Context, getenv func(string) string) (Env, error) {
	vals := map[string]string{}
	if goBin, err := exec.LookPath("go"); err == nil {
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, goBin, append([]string{"env", "-json"}, goEnvVars...)...)
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			return Env{}, fmt.Errorf("go env: %w", err)
		}
		if err := json.Unmarshal(out.Bytes(), &vals); err != nil {
			return Env{}, fmt.Errorf("go env: %w", err)
		}
	} else {
		for _, v := range goEnvVars {
			vals[v] = getenv(v)
		}
		defaults(vals, getenv)
	}
	e := Env{Proxy: vals["GOPROXY"], ModCache: vals["GOMODCACHE"], NoProxy: vals["GONOPROXY"],
		NoSumDB: vals["GONOSUMDB"], SumDB: vals["GOSUMDB"]}
	for _, f := range strings.Fields(vals["GOFLAGS"]) {
		if f == "-modcacherw" || f == "--modcacherw" || f == "-modcacherw=true" || f == "--modcacherw=true" {
			e.ModCacheRW = true
		}
	}
	if e.ModCache == "" {
		return Env{}, fmt.Errorf("no module cache: GOMODCACHE and GOPATH are unset")
	}
	return e, nil
}

// defaults fills in what the go command would for unset variables.
func defaults(vals map[string]string, getenv func(string) string) {
	if vals["GOPROXY"] == "" {
		vals["GOPROXY"] = "https://proxy.golang.org,direct"
	}
	if vals["GOSUMDB"] == "" {
		vals["GOSUMDB"] = "sum.golang.org"
	}
	if vals["GONOPROXY"] == "" {
		vals["GONOPROXY"] = vals["GOPRIVATE"]
	}
	if vals["GONOSUMDB"] == "" {
		vals["GONOSUMDB"] = vals["GOPRIVATE"]
	}
	if vals["GOMODCACHE"] == "" {
		gopath := vals["GOPATH"]
		if gopath == "" && getenv("HOME") != "" {
			gopath = filepath.Join(getenv("HOME"), "go")
		}
		if first, _, _ := strings.Cut(gopath, string(filepath.ListSeparator)); first != "" {
			vals["GOMODCACHE"] = filepath.Join(first, "pkg", "mod")
		}
	}
}

// Package testnet runs the commands by which tests fetch real material
// from the network, for tests: npm, which installs and packs packages
// from the npm registry, and go mod download, which reads the module
// cache or the Go module proxy. Every command is bounded in time, and a
// test whose registry or proxy cannot be reached is skipped, saying so,
// instead of failing after minutes of retries: npm retries a registry
// that refuses connections for over a minute per command.
package testnet

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Time limits.
const (
	// CommandTimeout bounds one npm or go command.
	CommandTimeout = 5 * time.Minute
	// probeTimeout bounds the check that the npm registry answers.
	probeTimeout = 30 * time.Second
)

// NPM runs npm with args in dir (the current directory when dir is "")
// and returns its standard output. It skips t when npm is not installed
// or its registry does not answer `npm ping` (once, without retries,
// within probeTimeout), and fails t when the command fails or passes
// CommandTimeout.
func NPM(t testing.TB, dir string, args ...string) []byte {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not available: the test needs packages from the npm registry")
	}
	if err := pings.ping(npm, dir); err != nil {
		t.Skipf("the npm registry cannot be reached (%v): the test needs packages from it", err)
	}
	out, msg, err := run(CommandTimeout, dir, nil, npm, args...)
	if err != nil {
		t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, firstLines(msg, 20))
	}
	return out
}

// pingCache remembers, for the test process, whether each npm registry
// answered `npm ping`, so that a package of tests pings a registry once
// and not before every command. It is keyed by the registry setting of
// the environment, which a test may change (t.Setenv).
type pingCache struct {
	mu   sync.Mutex
	errs map[string]error
}

// pings is the test process's pingCache: test helpers have no other
// place to keep what they learnt between tests.
var pings = &pingCache{errs: map[string]error{}}

// ping runs npm ping against the registry the environment names (once,
// without retries, within probeTimeout), or returns what an earlier ping
// of that registry found.
func (c *pingCache) ping(npm, dir string) error {
	registry := os.Getenv("npm_config_registry") + "|" + os.Getenv("NPM_CONFIG_REGISTRY")
	c.mu.Lock()
	defer c.mu.Unlock()
	if err, ok := c.errs[registry]; ok {
		return err
	}
	_, msg, err := run(probeTimeout, dir, nil, npm, "ping", "--fetch-retries", "0", "--fetch-timeout", "10000")
	if err != nil {
		err = fmt.Errorf("npm ping: %w\n%s", err, firstLines(msg, 5))
	}
	c.errs[registry] = err
	return err
}

// NPMInstall installs the npm packages specs (name@version) into
// dir/node_modules, without scripts, lock file or audit (see NPM).
func NPMInstall(t testing.TB, dir string, specs ...string) {
	t.Helper()
	NPM(t, "", append([]string{"install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts",
		"--no-package-lock", "--no-save"}, specs...)...)
}

// NPMPack fetches the tarball of the npm package spec into dir and returns
// its path (see NPM).
func NPMPack(t testing.TB, dir, spec string) string {
	t.Helper()
	out := NPM(t, "", "pack", "--silent", "--pack-destination", dir, spec)
	names := strings.Fields(string(out))
	if len(names) == 0 {
		t.Fatalf("npm pack %s wrote no file name", spec)
	}
	return filepath.Join(dir, names[len(names)-1])
}

// NPMPackFile packs spec with npm into a temporary directory (skipping t
// as NPMPack does) and returns the file name of the package (a path
// below its top, such as "spdx-full.json"); it fails t when the package
// has no such file.
func NPMPackFile(t testing.TB, spec, name string) []byte {
	t.Helper()
	f, err := os.Open(NPMPack(t, t.TempDir(), spec))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", spec, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatalf("%s has no %s", spec, name)
		}
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if h.Name == "package/"+name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatalf("%s: %s: %v", spec, name, err)
			}
			return b
		}
	}
}

// GoModDownload runs go mod download with args in dir (the current
// directory when dir is ""), the environment extended by env, and returns
// its standard output. It skips t when the command fails for want of the
// network (the module is not in the module cache and the proxy cannot be
// reached) or passes CommandTimeout, and fails t on any other error.
func GoModDownload(t testing.TB, dir string, env []string, args ...string) []byte {
	t.Helper()
	out, msg, err := run(CommandTimeout, dir, env, "go", append([]string{"mod", "download"}, args...)...)
	switch {
	case err == nil:
		return out
	case errors.Is(err, context.DeadlineExceeded) || networkError.Match(msg) || networkError.Match(out):
		t.Skipf("go mod download %s: the Go module proxy cannot be reached (%v): the test needs modules from it\n%s",
			strings.Join(args, " "), err, lastLines(append(out, msg...), 5))
	default:
		t.Fatalf("go mod download %s: %v\n%s", strings.Join(args, " "), err, lastLines(append(out, msg...), 20))
	}
	return nil
}

// ModuleDir returns the directory of module mod (path@version, or a path
// the calling module's go.mod requires) in the module cache, downloading
// it if need be (see GoModDownload).
func ModuleDir(t testing.TB, mod string) string {
	t.Helper()
	out := GoModDownload(t, "", nil, "-json", mod)
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %v %s %s", mod, err, m.Error, out)
	}
	return m.Dir
}

// networkError matches what the go command says when it cannot reach a
// proxy or a server (in its error text or in -json's Error field).
var networkError = regexp.MustCompile(`dial tcp|no such host|connection refused|connection reset|i/o timeout|` +
	`network is unreachable|TLS handshake timeout|proxyconnect|Temporary failure in name resolution|unexpected EOF`)

// run runs name with args in dir, its environment extended by env, killed
// after timeout, and returns its standard output and standard error.
func run(timeout time.Duration, dir string, env []string, name string, args ...string) (stdout, stderr []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.WaitDelay = 5 * time.Second // a child that keeps the pipes open
	var out, msg bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &msg
	err = cmd.Run()
	if ctx.Err() != nil {
		err = errors.Join(err, ctx.Err())
	}
	return out.Bytes(), msg.Bytes(), err
}

// firstLines returns the first n lines of out (npm says what failed
// first, then its stack).
func firstLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// lastLines returns the last n lines of out.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Answers skips t unless the registry at url answers a request for it
// (any HTTP response but a server error) within probeTimeout; what is
// the registry is said in the skip message.
func Answers(t testing.TB, what, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode < 500 {
			return
		}
		err = fmt.Errorf("%s", resp.Status)
	}
	t.Skipf("%s (%s) does not answer (%v): the test needs packages from it", what, url, err)
}

// GoProxy returns the first proxy of `go env GOPROXY` (the module
// proxy the go command would use), skipping t when there is none.
func GoProxy(t testing.TB) string {
	t.Helper()
	out, msg, err := run(probeTimeout, "", nil, "go", "env", "GOPROXY")
	if err != nil {
		t.Skipf("go env GOPROXY: %v %s", err, msg)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), ",")
	first, _, _ = strings.Cut(first, "|")
	if first == "" || first == "direct" || first == "off" {
		t.Skipf("GOPROXY names no module proxy (%q): the test needs one", out)
	}
	return first
}

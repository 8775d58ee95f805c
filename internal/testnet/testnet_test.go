package testnet

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// closedPort returns the address of a local TCP port that nothing listens
// on: connections to it are refused, as to a registry that is down.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// skipped runs f in a subtest and reports whether the subtest was
// skipped (failing t if it failed instead).
func skipped(t *testing.T, name string, f func(t *testing.T)) bool {
	t.Helper()
	var sub *testing.T
	t.Run(name, func(t *testing.T) {
		sub = t
		f(t)
	})
	return sub.Skipped()
}

// TestNPMRegistryDown points npm at a registry that refuses connections:
// installing and packing skip the test, saying why, where they failed it
// after npm's retries (over a minute per command).
func TestNPMRegistryDown(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not available")
	}
	t.Setenv("npm_config_registry", "http://"+closedPort(t)+"/")
	dir := t.TempDir()
	if !skipped(t, "install", func(t *testing.T) { NPMInstall(t, dir, "left-pad@1.3.0") }) {
		t.Error("npm install from a registry that is down: not skipped")
	}
	if !skipped(t, "pack", func(t *testing.T) { NPMPack(t, dir, "left-pad@1.3.0") }) {
		t.Error("npm pack from a registry that is down: not skipped")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
		t.Error("node_modules written from a registry that is down")
	}
}

// TestGoProxyDown downloads a module that is not in the (empty) module
// cache through a proxy that refuses connections: the test is skipped,
// saying why.
func TestGoProxyDown(t *testing.T) {
	env := []string{"GOPROXY=http://" + closedPort(t), "GOMODCACHE=" + t.TempDir(), "GOFLAGS=-modcacherw",
		"GOSUMDB=off", "GOWORK=off"}
	dir := t.TempDir() // outside any module
	if !skipped(t, "download", func(t *testing.T) { GoModDownload(t, dir, env, "-json", "golang.org/x/text@v0.3.0") }) {
		t.Error("go mod download through a proxy that is down: not skipped")
	}
}

// TestModuleDir finds a module snipscan requires in the module cache,
// where building the tests put it.
func TestModuleDir(t *testing.T) {
	dir := ModuleDir(t, "github.com/BurntSushi/toml")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Errorf("module directory %s: %v", dir, err)
	}
}

package pkgmeta

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// goEnv returns the value of a go env variable, skipping the test when the
// go command is unavailable.
func goEnv(t testing.TB, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Skipf("go env %s: %v", name, err)
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		t.Skipf("go env %s is empty", name)
	}
	return v
}

// dirReader returns a read function for Detect over a real directory.
func dirReader(dir string) func(string) ([]byte, error) {
	return func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	}
}

// dirNames returns the base names of a directory's entries.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return names
}

// mapDir is an in-memory directory: relative path -> content.
type mapDir map[string]string

// names returns the base names of the entries at the top of the directory.
func (d mapDir) names() []string {
	var names []string
	for k := range d {
		if !strings.Contains(k, "/") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// read returns a file's content or an error wrapping fs.ErrNotExist.
func (d mapDir) read(rel string) ([]byte, error) {
	s, ok := d[rel]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", rel, fs.ErrNotExist)
	}
	return []byte(s), nil
}

// detectMap runs Detect on an in-memory directory.
func detectMap(d mapDir) (*Package, error) {
	return Detect(d.names(), d.read)
}

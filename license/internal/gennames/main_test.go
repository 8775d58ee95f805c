package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/snipscan/snipscan/internal/testnet"
)

// TestGeneratedTableIsCurrent rebuilds the table from the go-spdx module
// that go.mod requires and compares it with the committed one, byte for
// byte.
func TestGeneratedTableIsCurrent(t *testing.T) {
	out := testnet.GoModDownload(t, "", nil, "-json", module)
	var m struct{ Dir, Version string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %v %s", module, err, out)
	}
	got, err := generate(filepath.Join(m.Dir, "cmd", "licenses.json"), m.Version)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "spdxnames.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("license/spdxnames.go is not what go generate writes from %s %s: run go generate ./license", module, m.Version)
	}
}

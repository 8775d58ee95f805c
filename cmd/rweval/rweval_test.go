package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseGrid(t *testing.T) {
	tests := []struct {
		in      string
		want    []string // thr of each threshold
		wantErr bool
	}{
		{"3/0.3/0.6", []string{"3/0.3/0.6/0/0/0/0"}, false},
		{"3/0.3/0.6/0.1/4/0.4/2.5,5/0.3/0.6/0.1/6", []string{"3/0.3/0.6/0.1/4/0.4/2.5", "5/0.3/0.6/0.1/6/0/0"}, false},
		{"3/0.3", nil, true},
		{"3/x/0.6", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			g, err := parseGrid(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if len(g) != len(tt.want) {
				t.Fatalf("%d thresholds, want %d", len(g), len(tt.want))
			}
			for i, o := range g {
				if got := thr(o); got != tt.want[i] {
					t.Errorf("threshold %d = %s, want %s", i, got, tt.want[i])
				}
			}
		})
	}
}

// TestParseGridOff checks that a zero in the grid turns a rule off rather
// than asking for its default.
func TestParseGridOff(t *testing.T) {
	g, err := parseGrid("3/0.3/0.6/0/0/0/0")
	if err != nil {
		t.Fatal(err)
	}
	if o := g[0]; o.AnchorsMinSim >= 0 || o.MinRare >= 0 || o.HighSim >= 0 {
		t.Errorf("zero rules not off: %+v", o)
	}
}

func TestEscapeModule(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/Masterminds/semver/v3@v3.5.0": "github.com/!masterminds/semver/v3@v3.5.0",
		"github.com/BurntSushi/toml@v1.6.0":       "github.com/!burnt!sushi/toml@v1.6.0",
		"go.uber.org/zap@v1.28.0":                 "go.uber.org/zap@v1.28.0",
	} {
		if got := escapeModule(in); got != want {
			t.Errorf("escapeModule(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKnownCopies(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "copies.txt")
	err := os.WriteFile(list, []byte("# comment\n"+
		"example.com/m@v1.0.0\tport/\t*\tsome/pkg\n"+
		"example.com/m@v1.0.0\tx.go\tT.f\tsome/pkg f\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	listed, err := readReimpls(list)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "example.com", "m@v1.0.0")
	if err := os.MkdirAll(filepath.Join(root, "port"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"x.go":      "package m\n",
		"y.go":      "// Copyright 2009 The Go Authors. All rights reserved.\npackage m\n",
		"z.go":      "package m\n",
		"port/a.go": "package port\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k := &knownCopies{listed: listed, goFile: map[string]bool{}}
	tests := []struct {
		file, name string
		want       bool
	}{
		{"x.go", "T.f", true},
		{"x.go", "T.g", false},
		{"y.go", "anything", true},
		{"z.go", "T.f", false},
		{"port/a.go", "g", true},
	}
	for _, tt := range tests {
		if got := k.is(filepath.Join(root, tt.file), tt.name); got != tt.want {
			t.Errorf("is(%s, %s) = %v, want %v", tt.file, tt.name, got, tt.want)
		}
	}
}

package match

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestIsOriginal orders places holding the same code by which holds its
// original: the Go distribution before a module that copies it (whatever
// their times), the earlier published of two modules, the package a
// vendored copy was vendored from, and never a vendored copy or another
// package than the vendored one's.
func TestIsOriginal(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	std := Source{Ecosystem: "golang", Package: "stdlib", Version: "1.26.8", Published: day(2026, 8, 28)}
	toml := Source{Ecosystem: "golang", Package: "github.com/BurntSushi/toml", Version: "v1.6.0", Published: day(2025, 12, 18)}
	singbox := Source{Ecosystem: "golang", Package: "github.com/sagernet/sing-box", Version: "v1.14.1", Published: day(2026, 9, 14)}
	xsys := Source{Ecosystem: "golang", Package: "golang.org/x/sys", Version: "v0.49.0", Published: day(2026, 10, 1)}
	vendoredSys := Source{Ecosystem: "golang", Package: "golang.org/x/sys", Version: "v0.40.0", Vendored: true}
	undated := Source{Ecosystem: "golang", Package: "example.com/fork"}
	tests := []struct {
		name     string
		orig, cp Source
		want     bool
	}{
		{"GOROOT before a later module", std, singbox, true},
		{"GOROOT before an earlier module", std, toml, true},
		{"a module after GOROOT", toml, std, false},
		{"the earlier published module", toml, singbox, true},
		{"the later published module", singbox, toml, false},
		{"no time: nothing tells", undated, singbox, false},
		{"the package a copy was vendored from", xsys, vendoredSys, true},
		{"another package than the vendored one", std, vendoredSys, false},
		{"a vendored copy is no original", vendoredSys, xsys, false},
		{"the same place", toml, toml, false},
	}
	for _, tt := range tests {
		if got := isOriginal(tt.orig, tt.cp); got != tt.want {
			t.Errorf("%s: isOriginal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSameShapeSiblings copies, names kept, functions of GOROOT files
// that hold siblings of the same shape (in the same file, or in another
// file of the corpus): net's Accept and WriteTo methods, one per kind of
// connection; sort's generated partialInsertionSort, one per interface;
// math/big's nat.xor beside nat.or and nat.and. Each finding points at
// the function copied: its fingerprints match the siblings as well, but
// the names and operators the copy keeps agree with it alone.
func TestSameShapeSiblings(t *testing.T) {
	t.Parallel()
	rels := []string{"net/unixsock.go", "net/tcpsock.go", "net/udpsock.go", "net/iprawsock.go", "net/net.go",
		"sort/zsortinterface.go", "sort/zsortfunc.go", "math/big/nat.go"}
	db, read := textCorpus(t, gorootFiles(t, rels...))
	head, tail := host(t)
	cases := []struct{ rel, name string }{
		{"net/unixsock.go", "AcceptUnix"},
		{"net/unixsock.go", "WriteToUnix"},
		{"net/iprawsock.go", "WriteToIP"},
		{"sort/zsortinterface.go", "partialInsertionSort"},
		{"sort/zsortfunc.go", "partialInsertionSort_func"},
		{"math/big/nat.go", "xor"},
		{"math/big/nat.go", "or"},
	}
	for _, c := range cases {
		code, first, last := function(t, c.rel, c.name)
		doc := head + "\n" + code + "\n" + tail
		res, err := Match(context.Background(), db, []Target{target("copy.go", []byte(doc))}, Options{SourceText: read})
		if err != nil {
			t.Fatal(err)
		}
		var got *Finding
		for i, f := range res[0].Findings {
			if got == nil || f.Lines[1]-f.Lines[0] > got.Lines[1]-got.Lines[0] {
				got = &res[0].Findings[i]
			}
		}
		if got == nil {
			t.Errorf("%s %s: no finding", c.rel, c.name)
			continue
		}
		if got.Source.Path != c.rel || got.Source.Lines[0] > first+2 || got.Source.Lines[1] < last-2 || got.Source.Lines[0] < first-3 {
			t.Errorf("%s %s (lines %d-%d): source %s lines %v", c.rel, c.name, first, last, got.Source.Path, got.Source.Lines)
		}
	}
}

// gorootFiles reads files of GOROOT/src by their paths below it (skipping
// t when GOROOT's sources are not there).
func gorootFiles(t *testing.T, rels ...string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, rel := range rels {
		data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", rel))
		if err != nil {
			t.Skipf("GOROOT sources not available: %v", err)
		}
		files[rel] = string(data)
	}
	return files
}

package rewrite_test

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/rewrite"
)

// gorootGoFiles reads the non-test Go files of GOROOT/src (outside
// testdata), as the indexer gives them to the rewrite stage.
func gorootGoFiles(tb testing.TB) (names []string, srcs [][]byte) {
	tb.Helper()
	root := filepath.Join(build.Default.GOROOT, "src")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		names, srcs = append(names, p), append(srcs, b)
		return nil
	})
	if err != nil || len(srcs) == 0 {
		tb.Skipf("GOROOT sources missing: %v", err)
	}
	return names, srcs
}

// BenchmarkExtractGoroot extracts the units of every non-test Go file of
// GOROOT/src, as indexing does (bytes/s are of source read).
func BenchmarkExtractGoroot(b *testing.B) {
	names, srcs := gorootGoFiles(b)
	var size int64
	for _, s := range srcs {
		size += int64(len(s))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range srcs {
			rewrite.Extract(names[i], s, rewrite.Options{})
		}
	}
}

package license

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// gorootHeaders reads the header of every file under GOROOT/src.
func gorootHeaders(tb testing.TB) [][]byte {
	tb.Helper()
	return treeHeaders(tb, filepath.Join(runtime.GOROOT(), "src"), -1)
}

// modcacheHeaders reads the header of every text file of the extracted
// modules of the module cache (at most limit files), as an index of the
// cache reads them.
func modcacheHeaders(tb testing.TB, limit int) [][]byte {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		tb.Skip("no module cache")
	}
	return treeHeaders(tb, dir, limit)
}

// treeHeaders reads the header of every regular text file under root,
// skipping the module cache's download dir and binary files; at most limit
// files when limit >= 0.
func treeHeaders(tb testing.TB, root string, limit int) [][]byte {
	tb.Helper()
	var headers [][]byte
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path == filepath.Join(root, "cache"):
			return filepath.SkipDir
		case limit >= 0 && len(headers) >= limit:
			return filepath.SkipAll
		case d.IsDir() || !d.Type().IsRegular():
			return nil
		}
		data := readFile(tb, path)
		if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			return nil
		}
		h := leadingComments(data)
		if len(h) > MaxHeader {
			h = h[:MaxHeader]
		}
		headers = append(headers, append([]byte(nil), h...))
		return nil
	})
	if err != nil {
		tb.Fatalf("walk %s: %v", root, err)
	}
	return headers
}

func headerBytes(headers [][]byte) int64 {
	var n int64
	for _, h := range headers {
		n += int64(len(h))
	}
	return n
}

// BenchmarkGorootHeaders classifies the header of every GOROOT/src file
// with a fresh Classifier per iteration: the cold cost an indexer pays,
// including building licensecheck scanners on demand.
func BenchmarkGorootHeaders(b *testing.B) {
	headers := gorootHeaders(b)
	b.SetBytes(headerBytes(headers))
	for b.Loop() {
		c := New()
		for _, h := range headers {
			c.Header(h)
		}
	}
	b.ReportMetric(float64(len(headers)), "files")
	b.ReportMetric(float64(len(headers))*float64(b.N)/b.Elapsed().Seconds(), "headers/s")
}

// BenchmarkModcacheHeaders is BenchmarkGorootHeaders on the first 20,000
// text files of the module cache: third-party headers, with far more
// licenses and copyright forms than Go's own.
func BenchmarkModcacheHeaders(b *testing.B) {
	headers := modcacheHeaders(b, 20000)
	b.SetBytes(headerBytes(headers))
	for b.Loop() {
		c := New()
		for _, h := range headers {
			c.Header(h)
		}
	}
	b.ReportMetric(float64(len(headers)), "files")
	b.ReportMetric(float64(len(headers))*float64(b.N)/b.Elapsed().Seconds(), "headers/s")
}

// BenchmarkGorootHeadersWarm reuses one Classifier: scanners are built
// and identical headers hit the cache.
func BenchmarkGorootHeadersWarm(b *testing.B) {
	headers := gorootHeaders(b)
	b.SetBytes(headerBytes(headers))
	c := New()
	for _, h := range headers {
		c.Header(h)
	}
	for b.Loop() {
		for _, h := range headers {
			c.Header(h)
		}
	}
}

// BenchmarkHeaderGoStyle is the uncached cost of one Go-style header.
func BenchmarkHeaderGoStyle(b *testing.B) {
	h := []byte("// Copyright 2009 The Go Authors. All rights reserved.\n// Use of this source code is governed by a BSD-style\n// license that can be found in the LICENSE file.\n\n// Package list implements a doubly linked list.\n")
	b.SetBytes(int64(len(h)))
	c := New()
	for b.Loop() {
		c.analyze(modeHeader, h)
	}
}

// BenchmarkBuildSubset builds the scanner of common licenses.
func BenchmarkBuildSubset(b *testing.B) {
	for b.Loop() {
		var l lazyScanner
		if _, err := l.get(false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildFull builds the scanner of every licensecheck license.
func BenchmarkBuildFull(b *testing.B) {
	for b.Loop() {
		var l lazyScanner
		if _, err := l.get(true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLicenseFiles classifies the texts of /usr/share/common-licenses
// as license files with one Classifier whose scanners and text index are
// already loaded (a line that changes with the iteration defeats the
// result cache).
func BenchmarkLicenseFiles(b *testing.B) {
	texts := commonLicenseTexts(b)
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n)
	c := New()
	for _, t := range texts {
		c.LicenseFile(t)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			c.LicenseFile(append(t[:len(t):len(t)], fmt.Sprintf("\n%d\n", i)...))
		}
	}
}

// commonLicenseTexts reads every text of /usr/share/common-licenses.
func commonLicenseTexts(b *testing.B) [][]byte {
	paths, _ := filepath.Glob("/usr/share/common-licenses/*")
	var out [][]byte
	for _, p := range paths {
		if t, err := os.ReadFile(p); err == nil {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		b.Skip("no /usr/share/common-licenses")
	}
	return out
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/internal/eval/mutate"
	"github.com/snipscan/snipscan/internal/testnet"
)

// globTest, written for this test, opens a test the way many tests do:
// glob the testdata, check the error, run a subtest per file, read it,
// check the error. GOROOT's cmd/internal/test2json does the same.
const globTest = `package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoldenFiles(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.in")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".in")
		t.Run(name, func(t *testing.T) {
			input, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(path, ".in") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ToUpper(string(input)); got != string(want) {
				t.Errorf("%s: got %q, want %q", name, got, want)
			}
		})
	}
}
`

// TestShortIdioms scans, against the whole GOROOT/src, files of
// snipscan's own dependencies in which the README's scan reported idioms
// as reuse, and a test of our own: short findings whose sources are only
// test files (xz's allZeros from runtime/string_test.go, x/sys's
// socketpair opening from syscall's tests, cyclonedx-go's UnmarshalXML
// from encoding/xml's example test, our glob loop from test2json's test)
// and enumerations with other names (xz's putUint64LE and internal/
// byteorder's LEPutUint64, stringer's checks) are gone; an enumeration
// with the source's names (x/sys/cpu's feature bits), a renamed small
// function (xz's putUvarint from encoding/binary, or from runtime/trace's
// copy of the same name), a short verbatim copy
// of a test and a long copy of another are still found.
func TestShortIdioms(t *testing.T) {
	db := gorootCorpus(t)
	xz, sys, cdx := testnet.ModuleDir(t, "github.com/ulikunitz/xz"), testnet.ModuleDir(t, "golang.org/x/sys"), testnet.ModuleDir(t, "github.com/CycloneDX/cyclonedx-go")
	dir := t.TempDir()
	copyFile := func(from, name string) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	copyFile(filepath.Join(xz, "format.go"), "xz_format.go")
	copyFile(filepath.Join(xz, "bits.go"), "xz_bits.go")
	copyFile(filepath.Join(sys, "unix", "syscall_darwin_test.go"), "sys_darwin_test.go")
	copyFile(filepath.Join(sys, "unix", "getvfsstat_test.go"), "sys_getvfsstat_test.go")
	copyFile(filepath.Join(sys, "unix", "creds_test.go"), "sys_creds_test.go")
	copyFile(filepath.Join(sys, "cpu", "cpu_x86.go"), "sys_cpu_x86.go")
	copyFile(filepath.Join(cdx, "cyclonedx_xml.go"), "cdx_xml.go")
	copyFile(filepath.Join(cdx, "cyclonedx_string.go"), "cdx_string.go")
	os.WriteFile(filepath.Join(dir, "golden_test.go"), []byte(globTest), 0o644)

	doc, r := scanJSON(t, db, dir)
	found := map[[2]string]int{} // (target file, source path) -> findings
	for _, f := range doc.Files {
		for _, m := range f.Matches {
			found[[2]string{filepath.Base(f.Path), m.Source.Path}]++
		}
	}
	for _, idiom := range [][2]string{
		{"xz_format.go", "runtime/string_test.go"},
		{"xz_bits.go", "internal/byteorder/byteorder.go"},
		{"sys_darwin_test.go", "syscall/syscall_unix_test.go"},
		{"cdx_xml.go", "encoding/xml/example_marshaling_test.go"},
		{"cdx_string.go", "cmd/compile/internal/syntax/operator_string.go"},
		{"golden_test.go", "cmd/internal/test2json/test2json_test.go"},
	} {
		if found[idiom] > 0 {
			t.Errorf("%s: an idiom reported as reuse from %s", idiom[0], idiom[1])
		}
	}
	// xz's putUvarint is encoding/binary's PutUvarint, renamed to the
	// name of runtime/trace's copy of it: either is its source.
	found[[2]string{"xz_bits.go", "encoding/binary/varint.go"}] += found[[2]string{"xz_bits.go", "runtime/trace/encoding.go"}]
	for _, copied := range [][2]string{
		{"xz_bits.go", "encoding/binary/varint.go"},
		{"sys_cpu_x86.go", "internal/cpu/cpu_x86.go"},
		{"sys_getvfsstat_test.go", "syscall/syscall_bsd_test.go"},
		{"sys_creds_test.go", "syscall/creds_test.go"},
	} {
		if found[copied] == 0 {
			t.Errorf("%s: the copy from %s is not found", copied[0], copied[1])
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", r.stdout)
	}
}

// TestTestCodeWhateverTheRoot copies the Go distribution's test/*.go
// (test programs: test code) into x/test, pastes renamed copies of their
// short functions (8 to 14 lines) into files of their own, and indexes
// x (the top of a git work tree), then x/test: the rule for short findings from test code applies
// alike, for a file's test-ness is decided from its path below its
// package's or repository's top, not below the indexed root. (Before, the
// test/ element vanished when x/test was indexed, and the findings went
// from tens to hundreds.)
func TestTestCodeWhateverTheRoot(t *testing.T) {
	dir := t.TempDir()
	tests := filepath.Join(dir, "x", "test")
	files, _ := filepath.Glob(filepath.Join(goroot(t), "test", "*.go"))
	if len(files) < 100 {
		t.Skipf("%d files in GOROOT/test", len(files))
	}
	targets := filepath.Join(dir, "targets")
	os.MkdirAll(tests, 0o755)
	os.MkdirAll(targets, 0o755)
	os.MkdirAll(filepath.Join(dir, "x", ".git"), 0o755) // x is the top of a work tree
	n := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(tests, filepath.Base(p)), data, 0o644)
		fs, err := mutate.Funcs(p, data)
		if err != nil {
			continue
		}
		for _, f := range fs {
			if l := f.EndLine - f.Line + 1; l < 8 || l > 14 {
				continue
			}
			m, err := mutate.Apply(f, mutate.Renamed, 1)
			if err != nil {
				continue
			}
			n++
			host := "package host\n\nimport \"strings\"\n\n// Upper upper-cases s.\nfunc Upper(s string) string { return strings.ToUpper(s) }\n\n" +
				strings.TrimSpace(m.Code) + "\n\n// Lower lower-cases s.\nfunc Lower(s string) string { return strings.ToLower(s) }\n"
			os.WriteFile(filepath.Join(targets, fmt.Sprintf("t%04d.go", n)), []byte(host), 0o644)
		}
	}
	if n < 100 {
		t.Fatalf("%d short functions pasted", n)
	}
	findings := map[string]int{}
	for _, root := range []string{filepath.Join(dir, "x"), tests} {
		db := filepath.Join(dir, filepath.Base(root)+".db")
		if r := snipscan(t, nil, "index", "--db", db, root); r.code != 0 {
			t.Fatalf("index %s: %s", root, r.stderr)
		}
		doc, _ := scanJSON(t, db, targets)
		for _, f := range doc.Files {
			findings[root] += len(f.Matches)
		}
	}
	t.Logf("%d pasted: %v", n, findings)
	if a, b := findings[filepath.Join(dir, "x")], findings[tests]; a != b || a > n/4 {
		t.Errorf("%d renamed short functions of test code: %d findings indexing x, %d indexing x/test; want as many, few", n, a, b)
	}
}

package license

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goroot returns the Go installation the tests read real files from.
func goroot(t testing.TB) string {
	t.Helper()
	return runtime.GOROOT()
}

// readFile reads a file or fails the test.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// licensecheckDir returns the module directory of github.com/google/licensecheck.
func licensecheckDir(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/licensecheck").Output()
	if err != nil {
		t.Fatalf("go list licensecheck: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Skip("licensecheck module not downloaded")
	}
	return dir
}

// lcCase is one licensecheck testdata file: the expected IDs (from its
// header) and the input text.
type lcCase struct {
	name string
	ids  []string
	text []byte
}

// licensecheckCase reads testdata/<name> of licensecheck (see its
// testdata/README: a header of expected matches, a blank line, the text).
func licensecheckCase(t testing.TB, name string) lcCase {
	t.Helper()
	data := readFile(t, filepath.Join(licensecheckDir(t), "testdata", name))
	i := bytes.Index(data, []byte("\n\n"))
	if i < 0 {
		t.Fatalf("%s: no blank line after header", name)
	}
	c := lcCase{name: name, text: data[i+2:]}
	for _, line := range strings.Split(string(data[:i]), "\n") {
		if strings.HasPrefix(line, "#") || strings.HasSuffix(line, "%") || line == "scan" || line == "cover+scan" {
			continue
		}
		if f := strings.Fields(line); len(f) >= 2 {
			c.ids = append(c.ids, f[0])
		}
	}
	return c
}

// commonLicense reads /usr/share/common-licenses/<name>, skipping the
// test when the Debian directory is absent.
func commonLicense(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/usr/share/common-licenses", name))
	if err != nil {
		t.Skipf("Debian common licenses unavailable: %v", err)
	}
	return b
}

// leadingComments returns the bytes of a source file before its first
// code token: the leading comments and blank lines (// and /* */ for
// C-like languages, # for scripts), as the indexer passes to Header.
func leadingComments(src []byte) []byte {
	i := 0
	for i < len(src) {
		// skip white space
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
			i++
		}
		switch {
		case bytes.HasPrefix(src[i:], []byte("//")), bytes.HasPrefix(src[i:], []byte("#")):
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				return src
			}
			i += j + 1
		case bytes.HasPrefix(src[i:], []byte("/*")):
			j := bytes.Index(src[i+2:], []byte("*/"))
			if j < 0 {
				return src
			}
			i += 2 + j + 2
		default:
			return src[:i]
		}
	}
	return src
}

// isCopyrightLine reports whether a line starts with a copyright marker
// (the placeholder lines of licensecheck's test texts do).
func isCopyrightLine(l string) bool {
	l = strings.ToLower(strings.TrimLeft(l, " \t*/#"))
	return strings.HasPrefix(l, "copyright") || strings.HasPrefix(l, "(c)") || strings.HasPrefix(l, "©")
}

// isPlaceholderCopyright reports the placeholder and sample copyright
// lines of licensecheck's test texts ("Copyright <YEAR> <HOLDER>",
// "Copyright Go Gopher").
func isPlaceholderCopyright(l string) bool {
	if !isCopyrightLine(l) {
		return false
	}
	for _, p := range []string{"<YEAR>", "<OWNER>", "<HOLDER>", "<COPYRIGHT HOLDER>", "<AUTHOR>", "Go Gopher"} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// debianLicense returns the body of a License field of
// /usr/share/doc/<pkg>/copyright (a Debian machine-readable copyright
// file) whose short name is name and whose words hold phrase (compared
// with case and white space folded): the text after the short name, with
// the one-space indent and the "." of empty lines removed. It skips the
// test when the package's file or such a field is absent.
func debianLicense(t testing.TB, pkg, name, phrase string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/usr/share/doc", pkg, "copyright"))
	if err != nil {
		t.Skipf("Debian package %s not installed: %v", pkg, err)
	}
	fold := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		short, ok := strings.CutPrefix(l, "License:")
		if !ok || !strings.EqualFold(strings.TrimSpace(short), name) {
			continue
		}
		var body []string
		for _, c := range lines[i+1:] {
			if c == "" || c[0] != ' ' && c[0] != '\t' {
				break
			}
			if c = c[1:]; strings.TrimSpace(c) == "." {
				c = ""
			}
			body = append(body, c)
		}
		text := strings.Join(body, "\n") + "\n"
		if strings.Contains(fold(text), fold(phrase)) {
			return []byte(text)
		}
	}
	t.Skipf("%s: no License %q field with %q", pkg, name, phrase)
	return nil
}

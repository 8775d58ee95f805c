package match

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// rawString returns the raw string literal of a GOROOT file that follows
// the text after, and the lines it spans.
func rawString(t *testing.T, rel, after string) (lit string, first, last int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", rel))
	if err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	s := string(data)
	i := strings.Index(s, after)
	if i < 0 {
		t.Fatalf("%s has no %q", rel, after)
	}
	open := i + strings.IndexByte(s[i:], '`')
	end := open + 1 + strings.IndexByte(s[open+1:], '`') + 1
	first = strings.Count(s[:open], "\n") + 1
	return s[open:end], first, first + strings.Count(s[open:end], "\n")
}

// TestCopiedLiterals pastes, into a file of this project, long raw string
// literals of GOROOT copied alone: the go command's help on package lists
// (cmd/go/internal/help/helpdoc.go) and a PEM certificate of crypto/tls's
// tests. Their code is one declaration; their text is the copy, and the
// finding spans it, from the source's literal.
func TestCopiedLiterals(t *testing.T) {
	t.Parallel()
	db, read := textCorpus(t, gorootFiles(t, "cmd/go/internal/help/helpdoc.go", "crypto/tls/tls_test.go"))
	head, tail := host(t)
	cases := []struct{ rel, after string }{
		{"cmd/go/internal/help/helpdoc.go", "var HelpPackages = "},
		{"crypto/tls/tls_test.go", "var rsaCertPEM = "},
	}
	for _, c := range cases {
		lit, first, last := rawString(t, c.rel, c.after)
		doc := head + "\n// pasted is a text.\nvar pasted = " + lit + "\n" + tail
		res, err := Match(context.Background(), db, []Target{target("copy.go", []byte(doc))}, Options{SourceText: read})
		if err != nil {
			t.Fatal(err)
		}
		tfirst := strings.Count(head, "\n") + 3
		tlast := tfirst + last - first
		found := false
		for _, f := range res[0].Findings {
			if f.Source.Path == c.rel && f.Source.Lines[0] <= first+2 && f.Source.Lines[1] >= last-2 && f.Lines[0] <= tfirst+2 && f.Lines[1] >= tlast-2 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s literal (lines %d-%d, pasted at %d-%d): findings %+v", c.rel, first, last, tfirst, tlast, res[0].Findings)
		}
	}
}

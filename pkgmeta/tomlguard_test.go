package pkgmeta

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCheckTOMLShape(t *testing.T) {
	t.Parallel()
	deepKey := strings.Repeat("a.", maxTOMLKeyPath) + "a = 1\n"
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "cargo", in: "[package]\nname = \"x\"\nversion.workspace = true\n\n[target.'cfg(unix)'.dependencies]\nlibc = { version = \"0.2\", features = [\"std\"] }\n"},
		{name: "array of tables", in: "[[bin]]\nname = \"a\"\n[[bin]]\nname = \"b\"\n"},
		{name: "brackets in strings", in: "a = \"[[[[{{{{\"\nb = '''\n]]]] [[[[ \"\"\" a.b.c.d\n'''\nc = \"\"\"x\\\"\"\"\"\n"},
		{name: "brackets in comments", in: "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\na = 1 # {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n"},
		{name: "floats are not key segments", in: "a = [" + strings.Repeat("1.5, ", 100) + "]\nb = 1.0\n"},
		{name: "multi-line array", in: "a = [\n  1,\n  2,\n]\nb.c = 3\n"},
		{name: "quoted dotted key", in: "\"" + strings.Repeat("a.", 100) + "\" = 1\n"},
		{name: "inline tables", in: "a = { b.c = 1, d = { e.f = [ { g.h = 2 } ] } }\n"},
		{name: "deep arrays", in: "a = " + strings.Repeat("[", maxTOMLDepth+1) + strings.Repeat("]", maxTOMLDepth+1), wantErr: true},
		{name: "deep inline tables", in: "a = " + strings.Repeat("{b=", maxTOMLDepth+1) + "1" + strings.Repeat("}", maxTOMLDepth+1), wantErr: true},
		{name: "long dotted key", in: deepKey, wantErr: true},
		{name: "long table header", in: "[" + strings.Repeat("a.", maxTOMLKeyPath) + "a]\n", wantErr: true},
		{name: "long path through inline tables", in: "[a.b.c.d]\nx = " + strings.Repeat("{b.c.d=", 6) + "1" + strings.Repeat("}", 6), wantErr: true},
		{name: "long key in inline table", in: "x = {y = 1, " + strings.Repeat("a.", maxTOMLKeyPath) + "a = 1}\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkTOMLShape([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("checkTOMLShape error = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr {
				var v map[string]any
				if err := unmarshalTOML([]byte(tt.in), &v); err != nil {
					t.Fatalf("valid TOML rejected: %v", err)
				}
			}
		})
	}
}

// TestTOMLWorstCase checks that manifests at the limits parse quickly.
func TestTOMLWorstCase(t *testing.T) {
	t.Parallel()
	// largest returns the longest line(i, n) that passes the checks.
	largest := func(line func(i, n int) string) func(i int) string {
		n := 1
		for checkTOMLShape([]byte(line(0, n+1))) == nil && n < 1000 {
			n++
		}
		return func(i int) string { return line(i, n) }
	}
	fill := func(line func(i int) string) []byte {
		var b strings.Builder
		for i := 0; ; i++ {
			l := line(i)
			if b.Len()+len(l) > maxTOMLSize {
				return []byte(b.String())
			}
			b.WriteString(l)
		}
	}
	tests := []struct {
		name string
		line func(i, n int) string
	}{
		{"dotted keys", func(i, n int) string {
			return fmt.Sprintf("%sv%d = 1\n", strings.Repeat("k.", n), i)
		}},
		{"inline tables", func(i, n int) string {
			return fmt.Sprintf("v%d = %s1%s\n", i, strings.Repeat("{a=", n), strings.Repeat("}", n))
		}},
		{"dotted keys in inline tables", func(i, n int) string {
			return fmt.Sprintf("[t%d.t.t.t]\n%sv = %s1%s\n", i, strings.Repeat("k.", 4),
				strings.Repeat("{"+strings.Repeat("a.", n)+"a=", 2), "}}")
		}},
		{"arrays", func(i, n int) string {
			return fmt.Sprintf("v%d = %s1%s\n", i, strings.Repeat("[", n), strings.Repeat("]", n))
		}},
		{"flat", func(i, _ int) string { return fmt.Sprintf("v%d = 1\n", i) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := fill(largest(tt.line))
			start := time.Now()
			var v map[string]any
			if err := unmarshalTOML(data, &v); err != nil {
				t.Fatal(err)
			}
			d := time.Since(start)
			t.Logf("%d bytes in %v", len(data), d)
			if d > 5*time.Second {
				t.Errorf("parsing %d bytes of TOML took %v", len(data), d)
			}
		})
	}
}

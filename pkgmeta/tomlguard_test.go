package pkgmeta

import (
	"fmt"
	"runtime"
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

// TestTOMLWorstCase checks that manifests at the limits parse in work
// linear in their size: the allocations (a count the machine's load does
// not change, unlike a time) of the largest input of each shape are about
// twice those of one half as large, and stay under tomlMaxAllocPerByte
// bytes per input byte. It runs alone (no t.Parallel): the allocation
// counters are the process's. The times are logged, not checked.
func TestTOMLWorstCase(t *testing.T) {
	// largest returns the longest line(i, n) that passes the checks.
	largest := func(line func(i, n int) string) func(i int) string {
		n := 1
		for checkTOMLShape([]byte(line(0, n+1))) == nil && n < 1000 {
			n++
		}
		return func(i int) string { return line(i, n) }
	}
	fill := func(line func(i int) string, size int) []byte {
		var b strings.Builder
		for i := 0; ; i++ {
			l := line(i)
			if b.Len()+len(l) > size {
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
			line := largest(tt.line)
			half, full := fill(line, maxTOMLSize/2), fill(line, maxTOMLSize)
			hm, hb, _ := tomlAllocs(t, half)
			fm, fb, d := tomlAllocs(t, full)
			t.Logf("%d bytes: %d allocations, %d bytes allocated, in %v; %d bytes: %d allocations", len(full), fm, fb, d, len(half), hm)
			ratio := float64(fm) / float64(hm) * float64(len(half)) / float64(len(full))
			if ratio > 1.25 {
				t.Errorf("parsing %d bytes of TOML makes %d allocations, %d bytes %d: %.2f times as many per byte (superlinear)", len(full), fm, len(half), hm, ratio)
			}
			if perByte := float64(fb) / float64(len(full)); perByte > tomlMaxAllocPerByte {
				t.Errorf("parsing %d bytes of TOML allocates %d bytes, %.0f per input byte (%d bytes for %d)", len(full), fb, perByte, hb, len(half))
			}
		})
	}
}

// tomlMaxAllocPerByte bounds the bytes that parsing a manifest at the
// limits may allocate per byte of input: about 570 for the worst shape
// with BurntSushi/toml 1.6, and the work grows with the nesting the limits
// allow (limits of 32 instead of 16 give 1,250 to 1,300, and twice the
// time).
const tomlMaxAllocPerByte = 1024

// tomlAllocs parses data and returns the allocations it made (count and
// bytes) and the time it took.
func tomlAllocs(t *testing.T, data []byte) (mallocs, bytes uint64, d time.Duration) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var v map[string]any
	if err := unmarshalTOML(data, &v); err != nil {
		t.Fatal(err)
	}
	d = time.Since(start)
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc, d
}

package remote

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/match"
)

// gorootTargets fingerprints GOROOT files (paths relative to GOROOT/src)
// as a scan does, their rewrite units extracted.
func gorootTargets(t testing.TB, rels ...string) []match.Target {
	t.Helper()
	fp, err := fingerprint.New(fingerprint.Params{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var targets []match.Target
	for _, rel := range rels {
		path := filepath.Join(runtime.GOROOT(), "src", rel)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Skipf("GOROOT sources not available: %v", err)
		}
		lang := fingerprint.DetectLang(path, data)
		res := fp.File(lang, data)
		tg := match.Target{Path: path, Lang: lang, Lines: res.Lines, Tokens: len(res.Tokens), Size: len(data), Sum: corpus.Sum(data),
			NormHash: res.NormHash, Fingerprints: slices.Clone(res.Fingerprints), Lexed: slices.Clone(res.Tokens)}
		if lang == fingerprint.Go {
			tg.Units = match.Units(path, data)
		}
		targets = append(targets, tg)
	}
	return targets
}

func testRequest(targets []match.Target) *Request {
	return &Request{Params: corpus.Params{K: fingerprint.DefaultK, W: fingerprint.DefaultW, FPVersion: fingerprint.Version},
		MinTokens: match.DefaultMinTokens, MaxDF: match.DefaultMaxDF, SourceText: true, Targets: targets}
}

// TestRoundTrip encodes real targets (Go with rewrite units, C, a script)
// and decodes them: everything matching reads comes back, but the paths
// (numbers) and the units' words (references into Names).
func TestRoundTrip(t *testing.T) {
	targets := gorootTargets(t, "strings/strings.go", "encoding/csv/reader.go", "runtime/cgo/gcc_linux_amd64.c", "make.bash")
	req := testRequest(targets)
	data, names, err := Encode(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for i := range targets {
		size += targets[i].Size
		want, g := targets[i], got.Targets[i]
		if g.Path != strconv.Itoa(i) {
			t.Errorf("file %d: path %q", i, g.Path)
		}
		for j := range g.Units {
			u, w := &g.Units[j], &want.Units[j]
			if n, err := names.word(i, u.Name); err != nil || n != w.Name {
				t.Errorf("file %d unit %d: name %q is %q (%v), want %q", i, j, u.Name, n, err, w.Name)
			}
			for f, ref := range u.Evidence {
				if n, err := names.word(i, ref); err != nil || n != w.Evidence[f] {
					t.Errorf("file %d unit %d: evidence %x is %q, want %q", i, j, f, n, w.Evidence[f])
				}
			}
			if len(u.Evidence) != len(w.Evidence) || len(u.Helpers) != len(w.Helpers) {
				t.Errorf("file %d unit %d: %d words of evidence, %d helpers; want %d, %d", i, j, len(u.Evidence), len(u.Helpers), len(w.Evidence), len(w.Helpers))
			}
			u.Name, u.Helpers, u.Evidence = w.Name, w.Helpers, w.Evidence
		}
		g.Path = want.Path
		if !reflect.DeepEqual(g, want) {
			t.Errorf("file %d (%s) differs after a round trip", i, want.Path)
		}
	}
	if got.Params != req.Params || got.MinTokens != req.MinTokens || got.MaxDF != req.MaxDF || !got.SourceText {
		t.Errorf("header %+v, want %+v", got, req)
	}
	if len(targets[0].Units) == 0 {
		t.Error("strings.go has no rewrite units")
	}
	t.Logf("%d bytes of source, %d bytes of request: %.2f bytes per source byte", size, len(data), float64(len(data))/float64(size))
	for _, n := range names {
		for _, w := range n {
			if strings.Contains(string(data), w) && len(w) >= 4 {
				t.Errorf("the request holds the word %q", w)
			}
		}
	}
}

// TestDecodeRefuses checks that truncated requests, trailing bytes,
// another version and counts past the bytes left are errors.
func TestDecodeRefuses(t *testing.T) {
	data, _, err := Encode(testRequest(gorootTargets(t, "encoding/csv/reader.go")))
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(data); n += 1 + n/8 {
		if _, err := Decode(data[:n], Limits{}); err == nil {
			t.Fatalf("a request cut at %d of %d bytes decodes", n, len(data))
		}
	}
	if _, err := Decode(append(slices.Clone(data), 0), Limits{}); err == nil {
		t.Error("a trailing byte decodes")
	}
	other := slices.Clone(data)
	other[len(magic)] = Version + 1
	if _, err := Decode(other, Limits{}); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("another version: %v", err)
	}
	huge := []byte(magic + "\x01\x14\x10\x06\x00\x28\x40\x00\xff\xff\xff\xff\x0f")
	if _, err := Decode(huge, Limits{}); err == nil {
		t.Error("a count of 4 G files in a few bytes decodes")
	}
	if _, err := Decode(data, Limits{MaxFiles: 0}); err != nil {
		t.Error(err)
	}
}

// FuzzDecodeRequest decodes arbitrary bytes, seeded with real requests:
// it never panics, and what it accepts encodes back to the same bytes.
func FuzzDecodeRequest(f *testing.F) {
	// Small files: the fuzzer minimizes each new input it finds, which
	// takes long on large ones.
	for _, rels := range [][]string{{"cmp/cmp.go"}, {"strings/clone.go", "runtime/cgo/gcc_linux_amd64.c"}, {"clean.bash"}} {
		data, _, err := Encode(testRequest(gorootTargets(f, rels...)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(magic + "\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := Decode(data, Limits{MaxFiles: 64})
		if err != nil {
			return
		}
		// Words come back as references: encoding numbers them anew,
		// in order of first use, as the client did.
		again, _, err := Encode(req)
		if err != nil {
			t.Fatalf("a decoded request does not encode: %v", err)
		}
		if _, err := Decode(again, Limits{MaxFiles: 64}); err != nil {
			t.Fatalf("a request encoded again does not decode: %v", err)
		}
	})
}

// TestRoundTripRewritesOnly encodes the second request of a scan: units
// without tokens, with the lines of the findings so far.
func TestRoundTripRewritesOnly(t *testing.T) {
	tg := gorootTargets(t, "strings/strings.go")[0]
	req := testRequest([]match.Target{{Lang: tg.Lang, Lines: tg.Lines, Size: tg.Size, Units: tg.Units}})
	req.SourceText, req.RewritesOnly, req.Found = false, true, [][][2]int{{{1, 20}, {30, 30}}}
	data, _, err := Encode(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !got.RewritesOnly || got.UnitsLater || got.SourceText || !reflect.DeepEqual(got.Found, req.Found) || len(got.Targets[0].Units) != len(tg.Units) {
		t.Errorf("got %+v", got)
	}
	data[len(magic)+7] = flagUnitsLater | flagRewritesOnly // version k w fingerprint-version abstract min-tokens max-df: one byte each
	if _, err := Decode(data, Limits{}); err == nil {
		t.Error("a request both of units later and rewrites only decodes")
	}
}

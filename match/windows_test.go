package match

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/lcs"
)

// TestAlignmentWindows compares a small region, a copy of a function of
// GOROOT's generated P-256 field arithmetic (p256Add), with long windows
// of its source file (the 4,500 tokens of the functions before it, and
// the whole file of 10,000), as the comparison of twins' text meets them
// for regions stretched over code of the same shape. The bytes it
// allocates are bounded by the region's size, whatever the window's
// (they grew with the square of the window's width). The alignments of a
// region's edges take windows of refineTokens on each side.
func TestAlignmentWindows(t *testing.T) {
	rel := filepath.Join("crypto", "internal", "fips140", "nistec", "fiat", "p256_fiat64.go")
	fn, from, _ := function(t, rel, "p256Add")
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", rel))
	if err != nil {
		t.Fatal(err)
	}
	fp, err := fingerprint.New(fingerprint.Params{})
	if err != nil {
		t.Fatal(err)
	}
	src := slices.Clone(fp.Tokens(fingerprint.Go, data))
	tgt := target("add.go", []byte(fn))
	opts := Options{}.withDefaults()
	opts.k = fingerprint.DefaultK
	n := int32(len(tgt.Lexed))
	// The comparison of twins: the target's tokens and a window of at
	// most twinWindow·n + twinSlack source tokens, each copied once as
	// symbols, and their alignment.
	wide := twinWindow*int(n) + twinSlack
	twinBound := 4*(int(n)+wide) + lcs.Bound(int(n), wide)
	for _, w := range []struct {
		name       string
		smin, smax int32
	}{
		{"the functions before it", 1, int32(from - 1)},
		{"the whole file", 1, src[len(src)-1].EndLine},
	} {
		agree := -2
		got := allocated(func() { agree, _, _ = textDice(&tgt, 0, n, w.smin, w.smax, src, opts) })
		if got > twinBound {
			t.Errorf("comparison of %d target tokens with %s (lines %d-%d): %d bytes allocated, above the bound of %d", n, w.name, w.smin, w.smax, got, twinBound)
		}
		if int(w.smax) < from && agree < int(n)/2 {
			t.Errorf("comparison with %s: %d of %d tokens agree, want the half that code of the same shape shares", w.name, agree, n)
		}
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) int {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return int(after.TotalAlloc - before.TotalAlloc)
}

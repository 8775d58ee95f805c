package lcs

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
)

// lcsLen is the textbook dynamic program.
func lcsLen(a, b []uint32) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] > cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// TestAlign checks on random sequences that the pairs are increasing,
// pair equal symbols, and are as many as a longest common subsequence
// has; and that past maxEdits only the common start and end are paired.
func TestAlign(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 3000; n++ {
		a, b := random(r, 30, 4), random(r, 30, 4)
		pairs := Align(a, b, 1000)
		checkPairs(t, a, b, pairs)
		if want := lcsLen(a, b); len(pairs) != want {
			t.Fatalf("%v %v: %d pairs, want %d", a, b, len(pairs), want)
		}
	}
	a := []uint32{1, 2, 3, 4, 5, 6, 9}
	b := []uint32{1, 2, 6, 5, 4, 3, 9}
	if got := Align(a, b, 1); len(got) != 3 {
		t.Errorf("maxEdits 1: %v, want the common start and end only", got)
	}
}

// TestAlignSplit checks the split at middle snakes on random sequences:
// an aligner whose greedy trace holds only a few edits splits every part
// of more, and still pairs as many symbols as a longest common
// subsequence has, or, past maxEdits, only the common start and end.
func TestAlignSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for n := 0; n < 5000; n++ {
		a, b := random(r, 60, 2+n%4), random(r, 60, 2+n%4)
		maxEdits := r.IntN(len(a) + len(b) + 1)
		al := aligner{maxD: n % 4}
		al.align(a, b, 0, 0, maxEdits)
		checkPairs(t, a, b, al.out)
		l := lcsLen(a, b)
		want := l
		if len(a)+len(b)-2*l > maxEdits {
			want = commonEnds(a, b)
		}
		if len(al.out) != want {
			t.Fatalf("%v %v maxEdits %d, trace of %d edits: %d pairs, want %d", a, b, maxEdits, n%4, len(al.out), want)
		}
	}
}

// commonEnds returns the length of the common start and end of a and b.
func commonEnds(a, b []uint32) int {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	return pre + suf
}

// TestAlignBound aligns a function of GOROOT's generated P-256 field
// arithmetic (p256Add) with the 6,000 tokens of the functions before it
// in its file: a small region against a long source window, as the
// matcher's comparison of twin files met them in generated code. Align
// must allocate within Bound, linear in the lengths (the greedy trace,
// quadratic in the edits, took 153 MB here), and still pair a longest
// common subsequence.
func TestAlignBound(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "crypto", "internal", "fips140", "nistec", "fiat", "p256_fiat64.go"))
	if err != nil {
		t.Skipf("GOROOT's P-256 field arithmetic: %v", err)
	}
	from, to := lineOf(data, "func p256Add("), lineOf(data, "func p256Sub(")
	if from == 0 || to <= from {
		t.Skipf("p256Add not found in p256_fiat64.go")
	}
	var a, b []uint32
	for _, tk := range fingerprint.Tokenize(fingerprint.Go, data, nil) {
		switch {
		case tk.Line < from:
			b = append(b, tk.Sym)
		case tk.Line < to:
			a = append(a, tk.Sym)
		}
	}
	if len(b) < 4000 {
		t.Fatalf("%d source tokens before p256Add: the fixture needs a long window", len(b))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	pairs := Align(a, b, len(a)+len(b))
	runtime.ReadMemStats(&after)
	if got, bound := after.TotalAlloc-before.TotalAlloc, Bound(len(a), len(b)); got > uint64(bound) {
		t.Errorf("Align of %d tokens against %d allocated %d bytes, above its bound of %d", len(a), len(b), got, bound)
	}
	checkPairs(t, a, b, pairs)
	if want := lcsLen(a, b); len(pairs) != want {
		t.Errorf("%d pairs, want %d", len(pairs), want)
	}
}

// lineOf returns the 1-based line of the first occurrence of s in data,
// or 0.
func lineOf(data []byte, s string) int32 {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return int32(bytes.Count(data[:i], []byte("\n")) + 1)
}

// TestAnchored checks that Anchored's pairs are increasing and pair equal
// symbols, on random sequences, and that a block copied whole stays in
// one piece when similar code precedes it, where Align spreads it.
func TestAnchored(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 2000; n++ {
		a, b := random(r, 40, 3), random(r, 40, 3)
		pairs := Anchored(a, b, 1000, 3)
		checkPairs(t, a, b, pairs)
		if run, _, _ := runDP(a, b); run >= 3 && longest(pairs) < run {
			t.Fatalf("%v %v: longest aligned run %d, the sequences share %d", a, b, longest(pairs), run)
		}
	}
	// b: a similar block (the block's start, then other symbols), then the
	// block itself.
	block := []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	b := append([]uint32{1, 2, 3, 4, 20, 21, 6, 22, 23, 24, 25, 26, 27, 28, 29, 30}, block...)
	if got := longest(Align(block, b, 100)); got == len(block) {
		t.Fatalf("Align keeps the block whole: the fixture shows nothing")
	}
	if got := longest(Anchored(block, b, 100, 4)); got != len(block) {
		t.Errorf("Anchored: longest aligned run %d, want the whole block (%d)", got, len(block))
	}
}

// runDP is the textbook dynamic program for the longest run two
// sequences share: its length and where it starts in a and b, the first
// in a and then in b among runs as long.
func runDP(a, b []uint32) (best, ai, bi int) {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	ai, bi = len(a), len(b)
	for i := range a {
		for j := range b {
			cur[j+1] = 0
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				l := cur[j+1]
				si, sj := i+1-l, j+1-l
				if l > best || l == best && (si < ai || si == ai && sj < bi) {
					best, ai, bi = l, si, sj
				}
			}
		}
		prev, cur = cur, prev
	}
	return best, ai, bi
}

// TestLongestRun compares longestRun with the dynamic program.
func TestLongestRun(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 3000; n++ {
		a, b := random(r, 50, 2+n%3), random(r, 50, 2+n%3)
		minRun := 1 + n%4
		ai, bi, got := longestRun(a, b, minRun)
		want, wai, wbi := runDP(a, b)
		if want < minRun {
			want, wai, wbi = 0, 0, 0
		}
		if got != want || got > 0 && (ai != wai || bi != wbi) {
			t.Fatalf("%v %v minRun %d: run %d at %d, %d; want %d at %d, %d (the first in a, then in b)", a, b, minRun, got, ai, bi, want, wai, wbi)
		}
	}
}

// longest returns the longest run of pairs one after the other on both
// sides.
func longest(pairs [][2]int) int {
	best, run := 0, 0
	for k, p := range pairs {
		if k > 0 && p[0] == pairs[k-1][0]+1 && p[1] == pairs[k-1][1]+1 {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
	}
	return best
}

// random returns a sequence of up to n-1 symbols below k.
func random(r *rand.Rand, n, k int) []uint32 {
	s := make([]uint32, r.IntN(n))
	for i := range s {
		s[i] = uint32(r.IntN(k))
	}
	return s
}

// checkPairs fails t unless pairs are increasing on both sides and pair
// equal symbols of a and b.
func checkPairs(t *testing.T, a, b []uint32, pairs [][2]int) {
	t.Helper()
	for k, p := range pairs {
		if a[p[0]] != b[p[1]] || k > 0 && (p[0] <= pairs[k-1][0] || p[1] <= pairs[k-1][1]) {
			t.Fatalf("%v %v: bad pairs %v", a, b, pairs)
		}
	}
}

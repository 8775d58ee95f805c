package lcs

import (
	"math/rand/v2"
	"testing"
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

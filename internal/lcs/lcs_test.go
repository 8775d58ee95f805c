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
		a := make([]uint32, r.IntN(30))
		b := make([]uint32, r.IntN(30))
		for i := range a {
			a[i] = uint32(r.IntN(4))
		}
		for i := range b {
			b[i] = uint32(r.IntN(4))
		}
		pairs := Align(a, b, 1000)
		for k, p := range pairs {
			if a[p[0]] != b[p[1]] || k > 0 && (p[0] <= pairs[k-1][0] || p[1] <= pairs[k-1][1]) {
				t.Fatalf("%v %v: bad pairs %v", a, b, pairs)
			}
		}
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

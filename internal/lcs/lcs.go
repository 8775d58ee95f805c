// Package lcs aligns two sequences of symbols: Align pairs a longest
// common subsequence, found with Myers' O((N+M)D) diff algorithm ("An
// O(ND) Difference Algorithm and Its Variations", 1986); Anchored pairs
// the longest shared runs first, as difflib's SequenceMatcher does. The
// HTML report aligns a finding's two sides with Align, the matcher the
// edges of a region with its source, and confirms small copies with
// Anchored.
package lcs

import (
	"cmp"
	"slices"
)

// Align returns the index pairs (i, j) of a longest common subsequence of
// a and b, in order, found with Myers' O((N+M)D) greedy algorithm ("An
// O(ND) Difference Algorithm and Its Variations", 1986) after stripping
// the common start and end. When the middle parts need more than maxEdits
// insertions and deletions, only the common start and end are aligned.
func Align(a, b []uint32, maxEdits int) [][2]int {
	var pairs [][2]int
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pairs = append(pairs, [2]int{pre, pre})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	for _, p := range myers(ma, mb, maxEdits) {
		pairs = append(pairs, [2]int{p[0] + pre, p[1] + pre})
	}
	for k := suf; k > 0; k-- {
		pairs = append(pairs, [2]int{len(a) - k, len(b) - k})
	}
	return pairs
}

// myers returns the diagonal moves of a shortest edit script from a to b,
// as index pairs in order, or nil if the script needs more than maxEdits
// insertions and deletions.
func myers(a, b []uint32, maxEdits int) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	limit := min(n+m, maxEdits)
	// v[off+k] is the furthest x reached on diagonal k = x-y. trace[d]
	// keeps v[off-d .. off+d] as it was before step d, for the walk back.
	off := limit + 1
	v := make([]int, 2*off+1)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1] // down: an insertion
			} else {
				x = v[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m)
			}
		}
	}
	return nil
}

// backtrack walks a Myers trace back from (n, m) and returns the diagonal
// moves in order.
func backtrack(trace [][]int, n, m int) [][2]int {
	var rev [][2]int
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		vd := trace[d] // v before step d, indexed by k+d
		at := func(k int) int {
			if k+d < 0 || k+d >= len(vd) {
				return 0
			}
			return vd[k+d]
		}
		k := x - y
		var pk int
		if k == -d || k != d && at(k-1) < at(k+1) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		if d == 0 {
			px, py = 0, 0
		}
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, [2]int{x, y})
		}
		x, y = px, py
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// Anchored aligns a and b as difflib's SequenceMatcher does: their longest
// common run (a substring of both) of at least minRun symbols is paired as
// it is, and the parts before and after it are aligned the same way, down
// to parts without such a run, which Align pairs within maxEdits. The
// result may be a little shorter than a longest common subsequence, but a
// block that a holds in one piece stays in one piece, where Align, which
// takes the first longest subsequence it meets, may pair its first
// symbols with similar code before the block in b.
func Anchored(a, b []uint32, maxEdits, minRun int) [][2]int {
	return anchored(a, b, 0, 0, maxEdits, max(minRun, 1), nil)
}

// anchored appends the pairs of Anchored(a, b), offset by (ai, bi), to out.
func anchored(a, b []uint32, ai, bi, maxEdits, minRun int, out [][2]int) [][2]int {
	i, j, n := longestRun(a, b, minRun)
	if n < minRun {
		for _, p := range Align(a, b, maxEdits) {
			out = append(out, [2]int{p[0] + ai, p[1] + bi})
		}
		return out
	}
	out = anchored(a[:i], b[:j], ai, bi, maxEdits, minRun, out)
	for k := range n {
		out = append(out, [2]int{ai + i + k, bi + j + k})
	}
	return anchored(a[i+n:], b[j+n:], ai+i+n, bi+j+n, maxEdits, minRun, out)
}

// longestRun returns the start in a, the start in b and the length of the
// longest run of symbols that a and b share (the first one in a, if
// several are as long, the first in b among those), or a length of 0 if
// no run reaches minRun. Runs are found from their first minRun symbols,
// looked up by hash among b's, and extended: about linear time on code,
// where the textbook dynamic program always takes len(a)·len(b); on
// repetitive input (a symbol repeated throughout both) the lookups cost
// len(a)·len(b) too, so callers bound the lengths.
func longestRun(a, b []uint32, minRun int) (ai, bi, n int) {
	if len(a) < minRun || len(b) < minRun {
		return 0, 0, 0
	}
	hb := gramHashes(b, minRun)
	order := make([]int32, len(hb))
	for j := range order {
		order[j] = int32(j)
	}
	slices.SortFunc(order, func(x, y int32) int { return cmp.Or(cmp.Compare(hb[x], hb[y]), cmp.Compare(x, y)) })
	for i, h := range gramHashes(a, minRun) {
		k, _ := slices.BinarySearchFunc(order, h, func(j int32, h uint64) int { return cmp.Compare(hb[j], h) })
		for ; k < len(order) && hb[order[k]] == h; k++ {
			j := int(order[k])
			if i > 0 && j > 0 && a[i-1] == b[j-1] {
				continue // inside a run found from an earlier start
			}
			l := 0
			for i+l < len(a) && j+l < len(b) && a[i+l] == b[j+l] {
				l++
			}
			if l >= minRun && l > n {
				ai, bi, n = i, j, l
			}
		}
	}
	return ai, bi, n
}

// gramHashes returns a polynomial hash of each run of r symbols of s.
func gramHashes(s []uint32, r int) []uint64 {
	const base = 0x100000001b3
	pow := uint64(1)
	for range r {
		pow *= base
	}
	out := make([]uint64, 0, len(s)-r+1)
	var h uint64
	for i, x := range s {
		h = h*base + uint64(x) + 1
		if i >= r {
			h -= pow * (uint64(s[i-r]) + 1)
		}
		if i >= r-1 {
			out = append(out, h)
		}
	}
	return out
}

// Package lcs aligns two sequences of symbols: the index pairs of a
// longest common subsequence, found with Myers' O((N+M)D) diff algorithm
// ("An O(ND) Difference Algorithm and Its Variations", 1986). The HTML
// report aligns a finding's two sides with it, and the matcher the edges
// of a region with its source.
package lcs

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

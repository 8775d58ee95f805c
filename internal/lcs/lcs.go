// Package lcs aligns two sequences of symbols: Align pairs a longest
// common subsequence, found with Myers' O((N+M)D) diff algorithm ("An
// O(ND) Difference Algorithm and Its Variations", 1986), in memory linear
// in the sequences' lengths (Bound); Anchored pairs the longest shared
// runs first, as difflib's SequenceMatcher does. The HTML report aligns a
// finding's two sides with Align, the matcher the edges of a region with
// its source, and confirms small copies with Anchored.
package lcs

import (
	"cmp"
	"slices"
)

// traceCells bounds the trace of Myers' greedy algorithm, (D+1)² cells
// for D insertions and deletions: alignments of up to 511 edits (the
// matcher's edge windows need up to 320) keep it, larger ones are split
// at a middle snake first (see Bound).
const traceCells = 1 << 18

// Bound returns the most bytes Align allocates for sequences of n and m
// symbols, the pairs it returns included: linear in n+m, whatever the
// edits between them (a greedy trace of D edits would take D² cells).
func Bound(n, m int) int {
	return 48*(n+m) + 8*traceCells + 16<<10
}

// Align returns the index pairs (i, j) of a longest common subsequence of
// a and b, in order, found with Myers' O((N+M)D) greedy algorithm ("An
// O(ND) Difference Algorithm and Its Variations", 1986) after stripping
// the common start and end. When the middle parts need more than maxEdits
// insertions and deletions, only the common start and end are aligned.
// Alignments of many edits are split first at a middle snake, the
// linear-space refinement of the same paper (section 4b): memory stays
// within Bound(len(a), len(b)).
func Align(a, b []uint32, maxEdits int) [][2]int {
	al := aligner{out: make([][2]int, 0, min(len(a), len(b))), maxD: greedyMaxD}
	al.align(a, b, 0, 0, maxEdits)
	return al.out
}

// aligner holds the buffers of one Align call, reused by the parts the
// middle snakes split it into.
type aligner struct {
	out    [][2]int
	maxD   int     // the most edits greedy's trace holds
	v      []int32 // the greedy search's furthest x per diagonal
	trace  []int32 // v step after step
	vf, vb []int   // the middle snake's forward and backward furthest x per diagonal
}

// align appends the pairs of Align(a, b, maxEdits), offset by (ai, bi), to
// al.out.
func (al *aligner) align(a, b []uint32, ai, bi, maxEdits int) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		al.out = append(al.out, [2]int{ai + pre, bi + pre})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	al.middle(a[pre:len(a)-suf], b[pre:len(b)-suf], ai+pre, bi+pre, maxEdits)
	for k := suf; k > 0; k-- {
		al.out = append(al.out, [2]int{ai + len(a) - k, bi + len(b) - k})
	}
}

// middle appends the diagonal moves of a shortest edit script from a to b
// (which share neither their first nor their last symbol), offset by (ai,
// bi), to al.out; nothing if the script needs more than maxEdits
// insertions and deletions. A script whose greedy trace would outgrow
// traceCells is split at its middle snake, and its two sides aligned the
// same way.
func (al *aligner) middle(a, b []uint32, ai, bi, maxEdits int) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return
	}
	if al.greedy(a, b, ai, bi, maxEdits) {
		return
	}
	x, y, u, v, d := al.middleSnake(a, b, maxEdits)
	if d > maxEdits {
		return
	}
	// The parts before and after the snake need at most d edits: within
	// maxEdits.
	al.align(a[:x], b[:y], ai, bi, n+m)
	for k := range u - x {
		al.out = append(al.out, [2]int{ai + x + k, bi + y + k})
	}
	al.align(a[u:], b[v:], ai+u, bi+v, n+m)
}

// greedy runs Myers' greedy algorithm from a to b while its trace fits in
// traceCells, and appends the diagonal moves of the shortest edit script
// it finds, offset by (ai, bi), to al.out. It reports whether it decided:
// true when it appended them, or found that the script needs more than
// maxEdits edits (appending nothing); false when the trace would outgrow
// traceCells first.
func (al *aligner) greedy(a, b []uint32, ai, bi, maxEdits int) bool {
	n, m := len(a), len(b)
	limit := min(n+m, maxEdits)
	dmax := min(limit, al.maxD)
	// v[off+k] is the furthest x reached on diagonal k = x-y. The trace
	// keeps v[off-d .. off+d] as it was before step d (2d+1 cells from
	// d² on), for the walk back.
	off := dmax + 1
	if cap(al.v) < 2*off+1 {
		al.v = make([]int32, 2*off+1)
	}
	v := al.v[:2*off+1]
	clear(v)
	al.trace = al.trace[:0]
	for d := 0; d <= dmax; d++ {
		al.keep(v[off-d : off+d+1])
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = int(v[off+k+1]) // down: an insertion
			} else {
				x = int(v[off+k-1]) + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				al.backtrack(d, n, m, ai, bi)
				return true
			}
		}
	}
	return dmax == limit // more than maxEdits, or more than the trace holds
}

// keep appends the cells of one step to the trace, doubling its capacity
// when it is full (append's smaller steps would allocate five times the
// trace's final size in all), up to traceCells.
func (al *aligner) keep(cells []int32) {
	if n := len(al.trace) + len(cells); n > cap(al.trace) {
		grown := make([]int32, len(al.trace), min(max(n, 2*cap(al.trace), 64), max(n, traceCells)))
		copy(grown, al.trace)
		al.trace = grown
	}
	al.trace = append(al.trace, cells...)
}

// greedyMaxD is the most edits greedy's trace holds: (D+1)² ≤ traceCells.
const greedyMaxD = 511

// backtrack walks greedy's trace back from (n, m), reached at step dEnd,
// and appends the diagonal moves, offset by (ai, bi), to al.out in order.
func (al *aligner) backtrack(dEnd, n, m, ai, bi int) {
	from := len(al.out)
	x, y := n, m
	for d := dEnd; d >= 0; d-- {
		vd := al.trace[d*d : d*d+2*d+1] // v before step d, indexed by k+d
		at := func(k int) int {
			if k+d < 0 || k+d >= len(vd) {
				return 0
			}
			return int(vd[k+d])
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
			al.out = append(al.out, [2]int{ai + x, bi + y})
		}
		x, y = px, py
	}
	slices.Reverse(al.out[from:])
}

// middleSnake returns the middle snake of a shortest edit script from a to
// b, from (x, y) to (u, v), and the script's length d: Myers' forward and
// backward searches, run until they overlap, in space linear in n+m. It
// stops once the script is known to need more than maxEdits edits,
// returning a d above maxEdits.
func (al *aligner) middleSnake(a, b []uint32, maxEdits int) (x, y, u, v, d int) {
	n, m := len(a), len(b)
	delta := n - m
	odd := delta&1 != 0
	dmax := (n + m + 1) / 2
	// vf[off+k]: the furthest x of a forward path on diagonal k = x-y;
	// vb[off+c]: the furthest x of a backward path on diagonal c, counted
	// from the ends of a and b (diagonal c backward is k = delta-c
	// forward).
	off := dmax + 1
	if len(al.vf) < 2*off+1 {
		al.vf, al.vb = make([]int, 2*off+1), make([]int, 2*off+1)
	}
	vf, vb := al.vf[:2*off+1], al.vb[:2*off+1]
	vf[off+1], vb[off+1] = 0, 0
	for d := 0; d <= dmax; d++ {
		if 2*d-1 > maxEdits {
			return 0, 0, 0, 0, 2*d - 1
		}
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && vf[off+k-1] < vf[off+k+1] {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			x0, y0 := x, y
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			vf[off+k] = x
			if c := delta - k; odd && c >= -(d-1) && c <= d-1 && x+vb[off+c] >= n {
				return x0, y0, x, y, 2*d - 1
			}
		}
		for c := -d; c <= d; c += 2 {
			var x int
			if c == -d || c != d && vb[off+c-1] < vb[off+c+1] {
				x = vb[off+c+1]
			} else {
				x = vb[off+c-1] + 1
			}
			y := x - c
			x0, y0 := x, y
			for x < n && y < m && a[n-1-x] == b[m-1-y] {
				x, y = x+1, y+1
			}
			vb[off+c] = x
			if k := delta - c; !odd && k >= -d && k <= d && vf[off+k]+x >= n {
				return n - x, m - y, n - x0, m - y0, 2 * d
			}
		}
	}
	return 0, 0, 0, 0, n + m // not reached: the paths meet by step (n+m+1)/2
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

package corpus

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortPostings checks both paths of SortPostings (comparison sort for
// small partitions, radix sort for large ones) against a stable sort by
// hash, file and line, on hashes that share their top byte as a
// partition's do, with runs of equal hashes.
func TestSortPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tmp []RawPosting
	for _, n := range []int{0, 1, 7, 255, 256, 1000, 20000} {
		ps := make([]RawPosting, n)
		for i := range ps {
			h := 0x5a<<56 | r.Uint64()>>8
			if i > 0 && r.IntN(4) == 0 {
				h = ps[r.IntN(i)].Hash // a repeated hash
			}
			ps[i] = RawPosting{Hash: h, File: uint32(r.IntN(50)), Line: uint32(r.IntN(1000)), Span: uint16(i)}
		}
		want := slices.Clone(ps)
		slices.SortStableFunc(want, func(a, b RawPosting) int {
			return cmp.Or(cmp.Compare(a.Hash, b.Hash), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
		tmp = SortPostings(ps, tmp)
		for i := range ps {
			if ps[i].Hash != want[i].Hash || ps[i].File != want[i].File || ps[i].Line != want[i].Line {
				t.Fatalf("n=%d: position %d holds %+v, want %+v", n, i, ps[i], want[i])
			}
		}
	}
}

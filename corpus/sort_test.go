package corpus

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortPostings checks both paths of sortPostings (comparison sort for
// small partitions, radix sort for large ones) against a stable sort by
// hash, file and line, on hashes that share their top byte as a
// partition's do, with runs of equal hashes.
func TestSortPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tmp []bufPosting
	for _, n := range []int{0, 1, 7, 255, 256, 1000, 20000} {
		ps := make([]bufPosting, n)
		for i := range ps {
			h := 0x5a<<56 | r.Uint64()>>8
			if i > 0 && r.IntN(4) == 0 {
				h = ps[r.IntN(i)].hash // a repeated hash
			}
			ps[i] = bufPosting{hash: h, file: uint32(r.IntN(50)), line: uint32(r.IntN(1000)), span: uint16(i)}
		}
		want := slices.Clone(ps)
		slices.SortStableFunc(want, func(a, b bufPosting) int {
			return cmp.Or(cmp.Compare(a.hash, b.hash), cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
		})
		tmp = sortPostings(ps, tmp)
		for i := range ps {
			if ps[i].hash != want[i].hash || ps[i].file != want[i].file || ps[i].line != want[i].line {
				t.Fatalf("n=%d: position %d holds %+v, want %+v", n, i, ps[i], want[i])
			}
		}
	}
}

package match

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
)

// RepeatID returns the ID of the copy of rank n (n >= 1, see
// Finding.Repeat) of the source lines whose first copy in the same target
// file has the ID base. It depends on the rank, not on the lines, so that
// edits elsewhere in the file keep it.
func RepeatID(base string, n int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00repeat\x00%d", base, n))
	return hex.EncodeToString(sum[:8])
}

// repeatKey is what a finding's ID hashes besides its target path.
type repeatKey struct {
	kind, path string
	lines      [2]int
}

// NumberRepeats sets the Repeat of the findings of one target file: the
// findings that copy the same source lines are ranked in target line
// order, so that each gets an ID of its own (Finding.ID). It must run
// before findings are dropped (by size, by a diff), so that a copy keeps
// its rank whichever of them a report lists.
func NumberRepeats(fs []Finding) {
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(fs[a].Lines[0], fs[b].Lines[0]), cmp.Compare(fs[a].Lines[1], fs[b].Lines[1]))
	})
	seen := map[repeatKey]int{}
	for _, i := range order {
		k := repeatKey{fs[i].Kind, fs[i].Source.Path, fs[i].Source.Lines}
		fs[i].Repeat = seen[k]
		seen[k]++
	}
}

package eval

import (
	"strings"

	"github.com/snipscan/snipscan/internal/lcs"
)

// CodeLines returns the numbers (1-based) of the lines of Go text that
// Regions aligns: neither blank nor only a comment, nor the package
// clause or an import declaration.
func CodeLines(text string) []int {
	return dropDecls(normalize(text, 0, 0)).nums
}

// dropDecls removes the package clause and the import declarations: every
// Go file has them, and a list of imported paths, each a string to the
// aligner, would align with any other.
func dropDecls(t normText) normText {
	var out normText
	inImport := false
	for i, raw := range t.raw {
		switch {
		case inImport:
			if strings.HasPrefix(raw, ")") {
				inImport = false
			}
			continue
		case strings.HasPrefix(raw, "package "):
			continue
		case strings.HasPrefix(raw, "import (") || raw == "import(":
			inImport = !strings.HasSuffix(raw, ")")
			continue
		case strings.HasPrefix(raw, "import "):
			continue
		}
		out.lines = append(out.lines, t.lines[i])
		out.raw = append(out.raw, raw)
		out.nums = append(out.nums, t.nums[i])
		out.toks = append(out.toks, t.toks[i])
	}
	return out
}

// ShortLineTokens: a normalized line of fewer tokens ("I ,", "return I",
// "} ,") pairs with another in Regions only when both are written the
// same: abstracted, a list of names or a run of closing lines would align
// with any other.
const ShortLineTokens = 3

// Regions aligns two texts line by line after the aligner's
// normalization (NormLine: comments and blank lines dropped, identifiers
// and strings abstracted), pairing a longest common subsequence of their
// normalized lines, and returns the runs of at least minLines paired
// lines that follow each other on both sides: the regions of a that b
// holds, in order. Lines of fewer than ShortLineTokens tokens pair only
// when they are written the same; the package clause and imports are
// left out (CodeLines). Each Run's Lines counts its normalized lines, A
// and B are its line ranges in each text. Like LongestRun it shares nothing
// with snipscan's fingerprints; unlike it, it finds every shared region
// of two whole files, not the longest one.
func Regions(a, b string, minLines int) []Run {
	regs, _ := Align(a, b, minLines)
	return regs
}

// Align is Regions, and also returns every pair of lines (line numbers in
// a and b) of the longest common subsequence, in runs or not.
func Align(a, b string, minLines int) ([]Run, [][2]int) {
	na, nb := dropDecls(normalize(a, 0, 0)), dropDecls(normalize(b, 0, 0))
	ids := map[string]uint32{}
	ha, hb := lineIDs(ids, na), lineIDs(ids, nb)
	pairs := lcs.Align(ha, hb, len(ha)+len(hb))
	var out []Run
	for i := 0; i < len(pairs); {
		j := i + 1
		for j < len(pairs) && pairs[j][0] == pairs[j-1][0]+1 && pairs[j][1] == pairs[j-1][1]+1 {
			j++
		}
		if n := j - i; n >= minLines {
			first, last := pairs[i], pairs[j-1]
			r := Run{Lines: n, A: [2]int{na.nums[first[0]], na.nums[last[0]]}, B: [2]int{nb.nums[first[1]], nb.nums[last[1]]}}
			for q := i; q < j; q++ {
				if na.raw[pairs[q][0]] != nb.raw[pairs[q][1]] {
					r.Normalized = true
					break
				}
			}
			out = append(out, r)
		}
		i = j
	}
	lines := make([][2]int, len(pairs))
	for i, p := range pairs {
		lines[i] = [2]int{na.nums[p[0]], nb.nums[p[1]]}
	}
	return out, lines
}

// lineIDs numbers each distinct line, the same line the same number in
// both texts.
func lineIDs(ids map[string]uint32, t normText) []uint32 {
	out := make([]uint32, len(t.lines))
	for i, l := range t.lines {
		if t.toks[i] < ShortLineTokens {
			l = "\x00" + t.raw[i]
		}
		id, ok := ids[l]
		if !ok {
			id = uint32(len(ids))
			ids[l] = id
		}
		out[i] = id
	}
	return out
}

// Package eval builds snipscan's evaluation: cases of real code copied
// and mutated into other files, the ground truth, an aligner independent of
// snipscan's fingerprints, runners for peer tools (sim_c, jscpd), and the
// scores. cmd/snipeval drives it.
package eval

import (
	"strings"
	"unicode"
)

// goKeywords are kept by the aligner's normalization.
var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true,
	"goto": true, "if": true, "import": true, "interface": true, "map": true, "package": true,
	"range": true, "return": true, "select": true, "struct": true, "switch": true, "type": true, "var": true,
}

// NormLine normalizes one line of code for the aligner: comments and white
// space are dropped, identifiers become "I" and string literals "S", so a
// renamed or reformatted copy still aligns line by line. It returns the
// normalized line and its number of tokens. It is deliberately simple and
// shares nothing with snipscan's tokenizer.
func NormLine(line string) (string, int) {
	if i := strings.Index(line, "//"); i >= 0 && !strings.ContainsAny(line[:i], "\"`'") {
		line = line[:i]
	}
	var b strings.Builder
	n := 0
	rs := []rune(strings.TrimSpace(line))
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '"' || r == '`' || r == '\'':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				if rs[j] == '\\' && r != '`' {
					j++
				}
				j++
			}
			b.WriteString("S ")
			n++
			i = j + 1
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			w := string(rs[i:j])
			if goKeywords[w] {
				b.WriteString(w + " ")
			} else {
				b.WriteString("I ")
			}
			n++
			i = j
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !unicode.IsLetter(rs[j]) && rs[j] != '_' && rs[j] != '"' && rs[j] != '`' && rs[j] != '\'' {
				j++
			}
			if j == i {
				j++
			}
			b.WriteString(string(rs[i:j]) + " ")
			n++
			i = j
		}
	}
	return b.String(), n
}

// Run is a run of normalized lines shared by two texts.
type Run struct {
	Lines      int    // lines in the run with at least MinLineTokens tokens
	A, B       [2]int // 1-based inclusive line ranges in each text
	Normalized bool   // the run holds only after identifiers and strings are abstracted
}

// MinLineTokens is the smallest line that counts in a run. Every
// non-blank normalized line counts: the issue defines real reuse as a run
// of 8 normalized lines, and a copy's "}" and "return false" lines are
// part of it.
const MinLineTokens = 1

type normText struct {
	lines []string // normalized, blank and comment-only lines removed
	raw   []string // the lines as written (trimmed), for the verbatim check
	nums  []int    // original line numbers
	toks  []int
}

func normalize(text string, lo, hi int) normText {
	var t normText
	all := strings.Split(text, "\n")
	inBlock := false
	for i, l := range all {
		ln := i + 1
		if ln < lo || hi > 0 && ln > hi {
			continue
		}
		s := strings.TrimSpace(l)
		if inBlock {
			if j := strings.Index(s, "*/"); j >= 0 {
				s = strings.TrimSpace(s[j+2:])
				inBlock = false
			} else {
				continue
			}
		}
		if strings.HasPrefix(s, "/*") {
			if j := strings.Index(s, "*/"); j >= 0 {
				s = strings.TrimSpace(s[j+2:])
			} else {
				inBlock = true
				continue
			}
		}
		n, k := NormLine(s)
		if k == 0 {
			continue
		}
		t.lines = append(t.lines, n)
		t.raw = append(t.raw, strings.Join(strings.Fields(s), " "))
		t.nums = append(t.nums, ln)
		t.toks = append(t.toks, k)
	}
	return t
}

// LongestRun returns the longest run of consecutive non-blank lines of a
// (lines alo..ahi, 0 for no bound) that equals, after normalization, a run
// of b (lines blo..bhi). Only lines with MinLineTokens tokens count towards
// Run.Lines. It is quadratic in the number of lines: give it regions, not
// whole corpora.
func LongestRun(a string, alo, ahi int, b string, blo, bhi int) Run {
	na, nb := normalize(a, alo, ahi), normalize(b, blo, bhi)
	prev := make([]int, len(nb.lines)+1)
	cur := make([]int, len(nb.lines)+1)
	prevW := make([]int, len(nb.lines)+1)
	curW := make([]int, len(nb.lines)+1)
	var best Run
	bestW := 0
	for i := 1; i <= len(na.lines); i++ {
		for j := 1; j <= len(nb.lines); j++ {
			if na.lines[i-1] != nb.lines[j-1] {
				cur[j], curW[j] = 0, 0
				continue
			}
			cur[j] = prev[j-1] + 1
			w := 0
			if na.toks[i-1] >= MinLineTokens {
				w = 1
			}
			curW[j] = prevW[j-1] + w
			if curW[j] > bestW {
				bestW = curW[j]
				n := cur[j]
				best = Run{Lines: bestW,
					A: [2]int{na.nums[i-n], na.nums[i-1]},
					B: [2]int{nb.nums[j-n], nb.nums[j-1]}}
				best.Normalized = false
				for q := 0; q < n; q++ {
					if na.raw[i-n+q] != nb.raw[j-n+q] {
						best.Normalized = true
						break
					}
				}
			}
		}
		prev, cur = cur, prev
		prevW, curW = curW, prevW
	}
	return best
}

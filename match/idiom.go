package match

// Idioms. Fingerprints see code's shape (names abstracted, literals kept),
// and some shapes are written again and again by people who never saw
// each other's code: a loop that checks every byte is zero, a table of
// constants numbered 1, 2, 3, the opening of a test that globs its
// testdata. A finding of such a shape is reported only when more than its
// shape is the source's: its names, the one thing such code does not
// share by necessity. A name is kept when the source's lines of the
// finding hold it too (renaming is a bijection, so a copy's names are
// all the source's or none of them is; code written anew shares the
// language's and the libraries' names, which it cannot help, and few of
// its own). The rules:
//
//   - a short finding whose every source is test code (test files and
//     testdata, see Source.Test), which is full of such openings and
//     checks, must keep sameNames of the occurrences of its names: be the
//     source's text, give or take a name (x/sync's copy of sync's
//     map_reference_test.go returns other values, 2 names of 26);
//   - a finding of fewer than weakMinLinesVerbatim lines that is a single
//     loop (its loop holds at least loopShare of its lines of code) must
//     keep weakNames of them (from 10 lines on, the evaluation's renamed
//     copies of small single-loop functions are copies: applied at any
//     length, the rule lost 6 of its 300 renamed cases over three seeds,
//     of 10 to 23 lines);
//   - a finding of any length that is an enumeration (a run of at least
//     enumMinLines lines of one shape, which differ in their literals and
//     names, holding at least enumShare of its lines of code: A = 1,
//     B = 2, ...) must keep weakNames of the names that tell its lines
//     apart; when only literals tell them apart (p[0] = byte(x),
//     p[1] = byte(x >> 8), ...), and literals always match (they keep
//     their text), sameNames of all its names.
//
// Short is what the small-copy rules of confirm.go govern: a region below
// the thresholds of evidence on its fingerprints alone (confirmed by the
// source's text, see verifyWeak), or a finding of fewer than weakMinLines
// target lines (an idiom of error checks takes 8 to 10). The language's
// own names (Go's predeclared ones) are no names of the code's. Without
// the source's text, the verbatim k-grams stand for it: a finding that
// must keep sameNames must have only verbatim hits, one that must keep
// weakNames half of its tokens covered by verbatim k-grams.

import (
	"slices"

	"github.com/snipscan/snipscan/fingerprint"
)

const (
	// sameNames is the share of its names a finding must keep to be the
	// source's text (but for a name or two).
	sameNames = 0.9
	// weakNames is the share of a finding's names (occurrences) its
	// source's lines must hold.
	weakNames = 0.5
	// loopShare is the share of a finding's lines of code its one loop
	// must hold for the finding to be a single loop.
	loopShare = 0.5
	// enumMinLines is the shortest run of lines of one shape that makes
	// an enumeration, and enumShare the share of a finding's lines of
	// code it must hold.
	enumMinLines = 4
	enumShare    = 0.5
	// lineDiffs is how many tokens of two lines of one shape may differ
	// in their symbols (literals: A = 1 and B = 2 differ in one).
	lineDiffs = 2
)

// small reports whether r is a small copy: below the evidence, or
// the fingerprints, that a region needs to be reported on them alone.
func (r *region) small(opts Options) bool {
	return r.evidence() < float64(opts.MinTokens) || len(r.hits) < opts.MinHits
}

// idiom is what a finding's code is made of, as far as the rules above
// care.
type idiom struct {
	loop bool // a single loop
	enum bool // an enumeration
	// enumNames are the target tokens whose names an enumeration must
	// keep: those that tell its lines apart, or all of its names when only
	// literals do (verbatim).
	enumNames []int32
	verbatim  bool
}

// distinctive reports whether a finding of region r, target tokens
// [first, last) on lines tmin..tmax, source lines smin..smax of src
// (nil when the source's text is missing), with sources srcs, is more than
// an idiom (see the rules above).
func distinctive(t *Target, r *region, first, last, tmin, tmax int32, src []fingerprint.Token, smin, smax int32, srcs []Source, opts Options) bool {
	short := r.small(opts) || tmax-tmin+1 < weakMinLines
	tests := short && len(srcs) > 0 && !slices.ContainsFunc(srcs, func(s Source) bool { return !s.Test })
	id := shapeOf(t.Lexed[first:last], first, t.Lang, tmax-tmin+1 < weakMinLinesVerbatim)
	if !tests && !id.loop && !id.enum {
		return true
	}
	if len(src) == 0 {
		if tests || id.enum && id.verbatim {
			return r.allVerbatim()
		}
		_, exact := r.coverage(first, last, int32(opts.k))
		return float64(exact) >= weakNames*float64(last-first)
	}
	held := sourceNames(src, smin, smax)
	if tests || id.loop {
		names := namesOf(t.Lexed, first, last, t.Lang)
		need := weakNames
		if tests {
			need = sameNames
		}
		if !keeps(t.Lexed, names, held, need) {
			return false
		}
	}
	if id.enum {
		need := weakNames
		if id.verbatim {
			need = sameNames
		}
		return keeps(t.Lexed, id.enumNames, held, need)
	}
	return true
}

// shapeOf tells whether toks (the target's tokens from index first on,
// of language lang) are an enumeration, or, if loops, a single loop.
func shapeOf(toks []fingerprint.Token, first int32, lang fingerprint.Lang, loops bool) idiom {
	var id idiom
	lines := splitLines(toks)
	if lo, hi := longestRun(toks, lines); hi-lo >= enumMinLines && float64(hi-lo) >= enumShare*float64(len(lines)-1) {
		id.enum = true
		id.enumNames, id.verbatim = enumNames(toks, lines[lo:hi+1], first, lang)
		return id
	}
	id.loop = loops && singleLoop(toks, lines, lang)
	return id
}

// namesOf returns the indexes of the names in toks[first:last] (the
// language's own aside).
func namesOf(toks []fingerprint.Token, first, last int32, lang fingerprint.Lang) []int32 {
	var out []int32
	for i := first; i < last; i++ {
		if toks[i].Sym == fingerprint.SymIdent && !predeclared[lang][toks[i].Exact] {
			out = append(out, i)
		}
	}
	return out
}

// splitLines returns the start of each line of toks (a line is the tokens
// that start on it), and len(toks) last.
func splitLines(toks []fingerprint.Token) []int {
	var out []int
	for i, tk := range toks {
		if i == 0 || tk.Line != toks[i-1].Line {
			out = append(out, i)
		}
	}
	return append(out, len(toks))
}

// longestRun returns the longest run [lo, hi) of consecutive lines (indexes
// into lines, whose last entry ends the last line) each of one shape with
// the line before it (see alike).
func longestRun(toks []fingerprint.Token, lines []int) (lo, hi int) {
	start := 0
	for l := 1; l < len(lines); l++ {
		if l == len(lines)-1 || !alike(toks[lines[l-1]:lines[l]], toks[lines[l]:lines[l+1]]) {
			if l-start > hi-lo {
				lo, hi = start, l
			}
			start = l
		}
	}
	return lo, hi
}

// alike reports whether two lines have one shape: as many tokens, the
// same symbols but for at most lineDiffs of them (literals: names have
// one symbol), and not only brackets.
func alike(a, b []fingerprint.Token) bool {
	if len(a) != len(b) {
		return false
	}
	diffs, brackets := 0, 0
	for i := range a {
		if a[i].Sym != b[i].Sym {
			diffs++
		}
		if a[i].Bracket() != 0 {
			brackets++
		}
	}
	return diffs <= lineDiffs && brackets < len(a)
}

// enumNames returns the names that tell the lines of an enumeration
// apart (target token indexes, from first on), or all its names and
// verbatim when only literals do. lines holds the start of each line of
// the run and the end of its last.
func enumNames(toks []fingerprint.Token, lines []int, first int32, lang fingerprint.Lang) (names []int32, verbatim bool) {
	n := lines[1] - lines[0] // every line of the run has n tokens
	var varying []int
	for p := 0; p < n; p++ {
		if toks[lines[0]+p].Sym != fingerprint.SymIdent {
			continue
		}
		for _, l := range lines[1 : len(lines)-1] {
			if toks[l+p].Exact != toks[lines[0]+p].Exact {
				varying = append(varying, p)
				break
			}
		}
	}
	verbatim = len(varying) == 0
	for _, l := range lines[:len(lines)-1] {
		for p := 0; p < n; p++ {
			tk := toks[l+p]
			if tk.Sym == fingerprint.SymIdent && !predeclared[lang][tk.Exact] && (verbatim || slices.Contains(varying, p)) {
				names = append(names, first+int32(l+p))
			}
		}
	}
	return names, verbatim
}

// singleLoop reports whether toks are a single loop: one loop statement,
// whose lines (from its keyword to the end of its block) hold at least
// loopShare of the lines of toks (the rest: its function's header, a
// statement or two before or after it).
func singleLoop(toks []fingerprint.Token, lines []int, lang fingerprint.Lang) bool {
	at := -1
	for i, tk := range toks {
		if !fingerprint.IsLoop(lang, tk) || i > 0 && toks[i-1].Sym == symCloseBrace {
			continue // not a loop, or the while of a do-while
		}
		if at >= 0 {
			return false
		}
		at = i
	}
	if at < 0 {
		return false
	}
	// The loop's block: the first brace at its level after the keyword.
	end, depth := len(toks)-1, 0
	for j := at; j < len(toks); j++ {
		if toks[j].Sym == symOpenBrace && depth == 0 {
			if k := fingerprint.Matching(toks, j); k >= 0 {
				end = k
			}
			break
		}
		depth += toks[j].Bracket()
	}
	loopLines := int(toks[end].Line - toks[at].Line + 1)
	return float64(loopLines) >= loopShare*float64(len(lines)-1)
}

// sourceNames returns the names the source's tokens on lines smin..smax
// hold.
func sourceNames(src []fingerprint.Token, smin, smax int32) map[uint32]bool {
	held := map[uint32]bool{}
	for i := firstToken(src, smin); i < len(src) && src[i].Line <= smax; i++ {
		if src[i].Sym == fingerprint.SymIdent {
			held[src[i].Exact] = true
		}
	}
	return held
}

// keeps reports whether at least share of the names of toks at the
// indexes names are held. Code without names (assembly, whose words keep
// their text, so that its matches are verbatim) keeps them all.
func keeps(toks []fingerprint.Token, names []int32, held map[uint32]bool, share float64) bool {
	n := 0
	for _, i := range names {
		if held[toks[i].Exact] {
			n++
		}
	}
	return float64(n) >= share*float64(len(names))
}

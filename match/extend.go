package match

// Align edges, part: a region's target token range fitted to the bracket
// structure of the target's code (extend), with or without the source's
// text.

import "github.com/snipscan/snipscan/fingerprint"

// extend fits the token range [first, last) of a region to the bracket
// structure of the code. Winnowing puts the first and last shared
// fingerprint of a copied run up to W-1 tokens inside it, so a copied
// function's signature or closing braces can fall outside the hits; and a
// shared run can spill over the copy's edges where the neighbouring code
// has the same shape (the "}" before a pasted function, the "func (" of the
// next one). So:
//   - closing brackets in the first k tokens, which close code before the
//     region, are dropped with what precedes them; a last line the region covers only in part (fewer than k
//     tokens of it) is dropped, and a first line covered in part is taken
//     whole;
//   - brackets the region closes but opened before it are included,
//     widening it backward;
//   - a short unbalanced tail after the region's last balanced point (less
//     than k tokens: a spill-over) is dropped; otherwise the brackets the
//     region leaves open are closed, widening it forward.
//
// Widening goes at most limit tokens each way (snap for whole blocks: W,
// what winnowing can miss at an edge); when the structure does not resolve
// within the limit the edge stays as it is.
func extend(toks []fingerprint.Token, first, last int32, k, limit, snap int) (int32, int32) {
	first = afterSpill(toks, first, last, k)
	// A range that falls short of its enclosing block by what winnowing can
	// miss is the whole block. Failing that, each edge alone moves to the
	// inside of the block when it is that close to it: the copied body of
	// a function merged into a larger one ends where that body ends.
	if f, l := snapBlock(toks, first, last, snap); f != first || l != last {
		return f, l
	}
	first, last = snapEdges(toks, first, last, snap)
	first, last, limit = wholeLines(toks, first, last, k, limit)
	first = openedBefore(toks, first, last, limit)
	// Depth relative to the (possibly widened) start, and the last point
	// where the range is balanced.
	open, balanced := 0, first
	for j := first; j < last; j++ {
		open += toks[j].Bracket()
		if open == 0 && toks[j].Bracket() != 0 {
			balanced = j + 1
		}
	}
	if open == 0 {
		return snapBlock(toks, first, last, snap)
	}
	if balanced > first && int(last-balanced) < k {
		return snapBlock(toks, first, balanced, snap)
	}
	for j := last; open > 0 && int(j) < len(toks) && int(j-last) < limit; j++ {
		open += toks[j].Bracket()
		if open == 0 {
			last = j + 1
		}
	}
	return snapBlock(toks, first, last, snap)
}

// afterSpill returns where [first, last) starts once a closer in its
// first k tokens that closes code before the range is dropped: the tail
// of that code (the ")" of an import block, the "}" of the function
// before), spilled into the shared run; the range starts after it.
func afterSpill(toks []fingerprint.Token, first, last int32, k int) int32 {
	d, cut := 0, int32(-1)
	for j := first; j < last && int(j-first) < k; j++ {
		d += toks[j].Bracket()
		if d < 0 {
			cut, d = j, 0
		}
	}
	if cut >= 0 && cut < last-1 {
		return cut + 1
	}
	return first
}

// wholeLines fits [first, last) to whole lines: copies are made of whole
// lines, so a range ending a few tokens (fewer than k) into a line that
// goes on ("} func chain(" after a pasted function) ends before that
// line, and one starting inside a line starts at its beginning, widening
// by at most limit tokens. It returns the range and what is left of
// limit.
func wholeLines(toks []fingerprint.Token, first, last int32, k, limit int) (int32, int32, int) {
	if int(last) < len(toks) && toks[last].Line == toks[last-1].EndLine {
		ls := last - 1
		for ls > first && toks[ls-1].EndLine == toks[last-1].Line {
			ls--
		}
		if ls > first && int(last-ls) < k {
			last = ls
		}
	}
	for first > 0 && toks[first-1].EndLine == toks[first].Line && limit > 0 {
		first--
		limit--
	}
	return first, last, limit
}

// openedBefore returns where [first, last) starts once widened backward,
// by at most limit tokens, over the openers of the brackets it closes.
func openedBefore(toks []fingerprint.Token, first, last int32, limit int) int32 {
	d, minD := 0, 0
	for j := first; j < last; j++ {
		d += toks[j].Bracket()
		minD = min(minD, d)
	}
	need := -minD // brackets closed in the range but opened before it
	for j := first - 1; need > 0 && j >= 0 && int(first-j) <= limit; j-- {
		need -= toks[j].Bracket()
		if need == 0 {
			first = j
		}
	}
	return first
}

// snapEdges moves each end of [first, last) to the inside of the innermost
// block holding the range, when it is at most limit tokens from it: the
// statements winnowing missed at either end.
func snapEdges(toks []fingerprint.Token, first, last int32, limit int) (int32, int32) {
	depth := 0
	for j := first - 1; j >= 0 && int(first-j) <= limit; j-- {
		depth -= toks[j].Bracket()
		if depth < 0 {
			if toks[j].Sym == symOpenBrace {
				first = j + 1
			}
			break
		}
	}
	depth = 0
	for j := last; int(j) < len(toks) && int(j-last) < limit; j++ {
		depth += toks[j].Bracket()
		if depth < 0 {
			if toks[j].Sym == symCloseBrace {
				last = j
			}
			break
		}
	}
	return first, last
}

// The symbols of braces: blocks, as opposed to argument lists.
var (
	symOpenBrace  = fingerprint.Tokenize(fingerprint.Go, []byte("{"), nil)[0].Sym
	symCloseBrace = fingerprint.Tokenize(fingerprint.Go, []byte("}"), nil)[0].Sym
)

// snapBlock widens [first, last) to the innermost bracketed block holding
// it, with the line of its opener, when the range falls short of the
// block by at most limit tokens at each end: a copied function whose first
// statement and last lines the fingerprints missed is the whole function.
func snapBlock(toks []fingerprint.Token, first, last int32, limit int) (int32, int32) {
	for range 8 { // nested blocks: a loop inside a function, ...
		f, l := snapOnce(toks, first, last, limit)
		if f == first && l == last {
			break
		}
		first, last = f, l
	}
	return first, last
}

// snapOnce is one step of snapBlock: the block around [first, last) when
// the range falls short of it by at most limit tokens at each end.
func snapOnce(toks []fingerprint.Token, first, last int32, limit int) (int32, int32) {
	// The nearest unmatched opener before first...
	depth, open := 0, int32(-1)
	for j := first - 1; j >= 0 && int(first-j) <= limit; j-- {
		depth -= toks[j].Bracket()
		if depth < 0 {
			open = j
			break
		}
	}
	if open < 0 {
		return first, last
	}
	// ... and the closer that matches it, after last.
	depth = 1
	for j := open + 1; int(j) < len(toks); j++ {
		depth += toks[j].Bracket()
		if depth == 0 {
			if j < last-1 || int(j-last) >= limit {
				return first, last // the block ends inside the range, or far after it
			}
			start := open
			for start > 0 && toks[start-1].EndLine == toks[open].Line {
				start--
			}
			// Not beyond the previous statement: the header of the block
			// is on the opener's line.
			return min(first, start), j + 1
		}
		if j-open > int32(4*limit)+last-first {
			break
		}
	}
	return first, last
}

package match

// Align edges, part: the code inserted into a copy that an extension
// crosses (bridge), and the function extracted from a copy's tail
// (extracted).

import "github.com/snipscan/snipscan/fingerprint"

// Bridges: code inserted into a copy (the checks and logging around a
// body merged into a larger function, the call and the header that split
// a function in two) stops the extension, though the source goes on, with
// no gap, on the other side of the insertion. A bridge crosses at most
// bridgeTarget target tokens and bridgeSource source tokens to a run of
// at least bridgeRun tokens equal one after the other in both, most of
// them (bridgeExact) with identical text, and the extension goes on from
// there. Identical text matters: runs of the same shape are everywhere.
const (
	bridgeTarget    = 60
	bridgeSource    = 2
	bridgeSourceFwd = 8
	bridgeRun       = 8
	bridgeExact     = 0.75
	bridgeMax       = 2 // bridges per edge
	// maxBridgeRun bounds how far past its start a forward bridge's run is
	// checked for the end of a declaration.
	maxBridgeRun = 400
)

// bridge looks for a run from target token t and source token s onward
// in direction dir (+1 forward, -1 backward), each side skipping at most
// its bridge limit first. It returns where the run begins (in direction
// dir: for -1, its last tokens) and its length. Going forward, neither
// the source tokens skipped nor the run pass the end of a declaration
// (see closes; top says where brackets are counted from).
func bridge(tt, src []fingerprint.Token, t int32, s, dir int, top topLevel) (int32, int, int32, bool) {
	gs := bridgeSource
	if dir > 0 {
		gs = bridgeSourceFwd
	}
	// end is the first source token forward that ends a declaration.
	end := len(src)
	if e := top.nextEnd(s); dir > 0 && e >= 0 && e < s+gs+maxBridgeRun {
		end = e
	}
	for j := range int32(bridgeTarget + 1) {
		t0 := t + int32(dir)*j
		if t0 < 0 || int(t0) >= len(tt) {
			break
		}
		for g := range gs + 1 {
			s0 := s + dir*g
			if s0 < 0 || s0 >= len(src) || tt[t0].Sym != src[s0].Sym || dir > 0 && s0 >= end {
				continue
			}
			n, same := int32(0), 0
			for ti, si := t0, s0; ti >= 0 && int(ti) < len(tt) && si >= 0 && si < len(src) && tt[ti].Sym == src[si].Sym; ti, si = ti+int32(dir), si+dir {
				if dir > 0 && si >= end {
					break // the run would end a declaration: the alignment after it sees the end
				}
				n++
				if tt[ti].Exact == src[si].Exact {
					same++
				}
			}
			if n >= bridgeRun && float64(same) >= bridgeExact*float64(n) {
				return t0, s0, n, true
			}
		}
	}
	return 0, 0, 0, false
}

// extracted recognizes the tail of a copy whose last statements were
// extracted into a function of their own, written right after it: from
// target token t, within bridgeTarget tokens, the code calls a function
// as its last statement (its name followed by "(", on the line of the
// closing brace or the one above), then declares it ("func", the name, "{"),
// and the declared body, up to its closing brace, is a run of source
// tokens within extractedLines of line smax, followed in the source by a
// closing brace. A body too short for a bridge (a "return nil") is
// recognized this way. It returns one past the body's closing brace and
// the index of the source's closing brace.
func extracted(tt, src []fingerprint.Token, t int32, smax int32) (int32, int, bool) {
	n := int32(len(tt))
	for f := t; f < n && f-t <= bridgeTarget; f++ {
		open, closeAt, ok := extractedBody(tt, t, f)
		if !ok {
			continue
		}
		body := tt[open+1 : closeAt]
		best := bodyInSource(body, src, smax)
		if best < 0 {
			return 0, 0, false
		}
		return closeAt + 1, best + len(body), true
	}
	return 0, 0, false
}

// extractedBody reports whether target token f starts the declaration of
// a function ("func", the name, "{") that the function ending right
// before f calls as its last statement (from refineTokens before t on),
// and returns its body's braces.
func extractedBody(tt []fingerprint.Token, t, f int32) (open, closeAt int32, ok bool) {
	symFunc, symParen := fingerprint.SymOf("func"), fingerprint.SymOf("(")
	n := int32(len(tt))
	if tt[f].Sym != symFunc {
		return 0, 0, false
	}
	// The name: after "func", or after the receiver's parentheses.
	name := f + 1
	if name < n && tt[name].Sym == symParen {
		if name = int32(fingerprint.Matching(tt, int(name))); name < 0 {
			return 0, 0, false
		}
		name++
	}
	if name >= n || tt[name].Sym != fingerprint.SymIdent {
		return 0, 0, false
	}
	// The call is the last statement of the function that ends right
	// before: on the line of its closing brace or the one above.
	if f == 0 || tt[f-1].Bracket() >= 0 {
		return 0, 0, false
	}
	called := false
	for c := max(0, t-refineTokens); c+1 < f; c++ {
		if tt[c].Sym == fingerprint.SymIdent && tt[c].Exact == tt[name].Exact && tt[c+1].Sym == symParen &&
			tt[c].Line >= tt[f-1].Line-1 {
			called = true
		}
	}
	if !called {
		return 0, 0, false
	}
	if open = bodyOpen(tt, name); open < 0 {
		return 0, 0, false
	}
	closeAt = int32(fingerprint.Matching(tt, int(open)))
	if closeAt <= open+1 {
		return 0, 0, false // empty, or never closed
	}
	return open, closeAt, true
}

// bodyOpen returns the first "{" after the function name at token name
// outside parentheses: the opening of its body; -1 if none.
func bodyOpen(tt []fingerprint.Token, name int32) int32 {
	symBrace := fingerprint.SymOf("{")
	d := 0
	for j := name + 1; j < int32(len(tt)); j++ {
		if d == 0 && tt[j].Sym == symBrace {
			return j
		}
		if d += tt[j].Bracket(); d < 0 {
			break
		}
	}
	return -1
}

// bodyInSource returns the start of the run of source tokens nearest
// line smax (within extractedLines) that is body (bridgeExact of it with
// identical text) followed by a closing brace; -1 if none.
func bodyInSource(body, src []fingerprint.Token, smax int32) int {
	symClose := fingerprint.SymOf("}")
	best, bestDist := -1, int32(extractedLines+1)
	for s0 := range len(src) - len(body) {
		dist := src[s0].Line - smax
		if dist < 0 {
			dist = -dist
		}
		if dist > extractedLines || dist >= bestDist || src[s0+len(body)].Sym != symClose {
			continue
		}
		exact := 0
		for i, tk := range body {
			if tk.Sym != src[s0+i].Sym {
				exact = -1
				break
			}
			if tk.Exact == src[s0+i].Exact {
				exact++
			}
		}
		if exact >= 0 && float64(exact) >= bridgeExact*float64(len(body)) {
			best, bestDist = s0, dist
		}
	}
	return best
}

// extractedLines is how far from the copy's last source line the body of
// an extracted function is looked for.
const extractedLines = 4

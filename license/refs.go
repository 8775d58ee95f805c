package license

import (
	"strings"
)

// A finding is a license statement located in a text by this package's
// own patterns (tags, short references, URLs) or by licensecheck.
type finding struct {
	e        *expr
	lo, hi   int // byte offsets
	evidence string
	conf     float64
}

// refVerbs are words that introduce a short license reference when
// followed (within a few words) by a preposition and a license name.
var refVerbs = map[string]bool{
	"licensed": true, "licenced": true, "released": true, "distributed": true,
	"available": true, "published": true, "provided": true, "governed": true,
	"covered": true, "subject": true, "offered": true, "placed": true,
	"dedicated": true, "relicensed": true, "dual-licensed": true, "redistribute": true,
	"modify": true, "licensable": true, "distributable": true, "license": true,
	"licence": true, "put": true, "use": true, "part": true,
}

var refPreps = map[string]bool{
	"under": true, "by": true, "to": true, "as": true, "with": true, "into": true,
	"in": true, "via": true,
}

// fillers may appear between the preposition and the license name.
var fillers = map[string]bool{
	"the": true, "terms": true, "of": true, "and": true, "conditions": true, "a": true,
	"an": true, "either": true, "both": true, "one": true, "following": true,
	"its": true, "your": true, "choice": true, "any": true, "same": true,
}

// findReferences locates short license references ("Released under the
// MIT license", "Licensed under the Apache License, Version 2.0",
// "dual licensed under MIT or Apache-2.0", "License: BSD-3-Clause",
// GNU-style "under the terms of the GNU GPL ... version 2 or later").
// It also returns the hint of an "X-style license" wording.
// hintSpans cover the sentences of references that named no definite
// license, so they do not send the text to licensecheck.
func findReferences(lower string, ws []word) (out []finding, hint string, hintSpans []span) {
	used := -1 // words before this index were consumed by a reference
	for i := 0; i < len(ws); i++ {
		if i <= used {
			continue
		}
		w := ws[i].w
		start := -1
		switch {
		case (isLicenseWord(w) || w == "copying") && followedByColon(lower, ws[i].hi):
			start = i + 1
		case isLicenseWord(w) && ws[i].lo > 0 && lower[ws[i].lo-1] == '@':
			start = i + 1
		case refVerbs[w]:
			for j := i + 1; j < len(ws) && j <= i+5; j++ {
				if refPreps[ws[j].w] {
					start = j + 1
					break
				}
				if ws[j].lo-ws[j-1].hi > 4 && strings.ContainsAny(lower[ws[j-1].hi:ws[j].lo], ".;") {
					break // crossed a sentence boundary
				}
			}
		case (w == "in" || w == "into" || w == "to") && hasWords(ws, i+1, "the", "public", "domain") && dedication(ws, i):
			out = append(out, finding{e: leaf("LicenseRef-Public-Domain"), lo: ws[i].lo, hi: sentenceEnd(lower, ws[i+3].hi), evidence: "reference", conf: 0.8})
			used = i + 3
			continue
		case hasWords(ws, i, "same", "terms", "as", "perl"):
			e := join(opOr, leaf("Artistic-1.0-Perl"), leaf("GPL-1.0-or-later"))
			end := i + 4
			if end < len(ws) && ws[end].w == "itself" {
				end++
			}
			out = append(out, finding{e: e, lo: ws[i].lo, hi: ws[end-1].hi, evidence: "reference", conf: 0.9})
			used = end - 1
			continue
		}
		if start < 0 || start >= len(ws) {
			continue
		}
		e, h, next, conf := parseNameList(lower, ws, start)
		if e == nil {
			if h != "" {
				if hint == "" {
					hint = h
				}
				hintSpans = append(hintSpans, span{sentenceStart(lower, ws[i].lo), sentenceEnd(lower, ws[max(next-1, i)].hi)})
			}
			continue
		}
		if dualContext(ws, i, next) && e.op == opAnd {
			e = &expr{op: opOr, kids: e.kids}
		}
		hi := ws[next-1].hi
		out = append(out, finding{e: e, lo: ws[i].lo, hi: sentenceEnd(lower, hi), evidence: "reference", conf: conf})
		used = next - 1
	}
	return out, hint, hintSpans
}

// dedication reports whether "in the public domain" at ws[i] follows a
// dedication verb ("placed", "released", "is", ...) within six words,
// without a negation.
func dedication(ws []word, i int) bool {
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		switch ws[k].w {
		case "not", "no", "never", "nor":
			return false
		case "placed", "place", "places", "released", "release", "releases", "dedicated",
			"dedicate", "dedicates", "put", "is", "are", "committed", "given", "donated", "remains":
			return true
		}
	}
	return false
}

func followedByColon(lower string, i int) bool {
	for ; i < len(lower); i++ {
		switch lower[i] {
		case ' ', '\t':
			continue
		case ':':
			return true
		}
		return false
	}
	return false
}

// dualContext reports whether the words around a reference say the
// licensee may choose ("dual licensed", "either ... or", "at your option").
func dualContext(ws []word, from, to int) bool {
	lo := max(0, from-4)
	for k := lo; k < to && k < len(ws); k++ {
		switch ws[k].w {
		case "dual", "dual-licensed", "either", "multi-licensed", "dually":
			return true
		}
	}
	for k := to; k < len(ws) && k < to+10; k++ {
		if hasWords(ws, k, "your", "option") || hasWords(ws, k, "your", "choice") || hasWords(ws, k, "your", "discretion") {
			return true
		}
	}
	return false
}

// sentenceEnd extends a reference ending at hi to the end of its sentence
// (a '.' followed by white space, a blank line, or 300 bytes at most).
func sentenceEnd(lower string, hi int) int {
	limit := min(len(lower), hi+300)
	for i := hi; i < limit; i++ {
		switch lower[i] {
		case '.':
			if i+1 >= len(lower) || lower[i+1] == ' ' || lower[i+1] == '\n' || lower[i+1] == '\r' || lower[i+1] == '\t' {
				return i + 1
			}
		case '\n':
			// blank line (possibly with comment markers) ends the sentence
			j := i + 1
			for j < len(lower) && (lower[j] == ' ' || lower[j] == '\t' || lower[j] == '*' || lower[j] == '/' || lower[j] == '#' || lower[j] == '\r') {
				j++
			}
			if j >= len(lower) || lower[j] == '\n' {
				return i
			}
		}
	}
	return hi
}

// skipBracket skips a bracketed aside after word k-1 ("(the "License")",
// "<LICENSE-MIT or http://...>", "[MIT]") and returns the index of the
// first word after it.
func skipBracket(lower string, ws []word, k int) int {
	if k <= 0 || k > len(ws) {
		return k
	}
	i := ws[k-1].hi
	for i < len(lower) && (lower[i] == ' ' || lower[i] == '\t' || lower[i] == ',' || lower[i] == '\n' || lower[i] == '*' || lower[i] == '/' || lower[i] == '#') {
		if lower[i] == '/' && i+1 < len(lower) && lower[i+1] != '/' && lower[i+1] != '*' {
			break
		}
		i++
	}
	if i >= len(lower) {
		return k
	}
	var closer byte
	switch lower[i] {
	case '(':
		closer = ')'
	case '<':
		closer = '>'
	case '[':
		closer = ']'
	default:
		return k
	}
	end := strings.IndexByte(lower[i:min(len(lower), i+200)], closer)
	if end < 0 {
		return k
	}
	end += i
	for k < len(ws) && ws[k].lo < end {
		k++
	}
	return k
}

// parseNameList parses "X", "X or Y", "X and Y", "X/Y", "either X or Y"
// starting at ws[k] (after fillers). It returns the expression (nil if
// no definite license), a hint, the index after the list and a confidence.
func parseNameList(lower string, ws []word, k int) (*expr, string, int, float64) {
	// "version 2 of the GNU General Public License"
	var pre version
	havePre := false
	for k < len(ws) && fillers[ws[k].w] {
		k++
	}
	if k < len(ws) && ws[k].w == "version" {
		if v, n, ok := parseVersionAt(ws, k); ok && n < len(ws) && ws[n].w == "of" {
			pre, havePre = v, true
			k = n + 1
			for k < len(ws) && fillers[ws[k].w] {
				k++
			}
		}
	}
	np, ok := parseName(ws, k)
	if !ok {
		return nil, "", k, 0
	}
	if havePre && np.e != nil && np.conf < 0.9 {
		if fam := gnuFamilyOf(np.e); fam != "" {
			v, n2, _ := parseVersionSuffix(ws, skipBracket(lower, ws, np.next), pre)
			if e := gnuExpr(fam, v); e != nil {
				np.e, np.conf, np.next = e, 0.9, n2
			}
		}
	}
	if np.e == nil {
		return nil, np.hint, np.next, 0
	}
	items := []*expr{np.e}
	conf := np.conf
	op := byte(0)
	k = np.next
	for {
		k = skipBracket(lower, ws, k)
		if k >= len(ws) {
			break
		}
		j := k
		thisOp := byte(0)
		switch {
		case ws[k].w == "or":
			thisOp, j = opOr, k+1
		case ws[k].w == "and" && !hasWords(ws, k, "and", "conditions"):
			thisOp, j = opAnd, k+1
		case k > 0 && strings.TrimSpace(lower[ws[k-1].hi:ws[k].lo]) == "/":
			thisOp = opOr
		case k > 0 && strings.TrimSpace(lower[ws[k-1].hi:ws[k].lo]) == ",":
			thisOp = op
		default:
		}
		if thisOp == 0 && j == k && !(k > 0 && strings.TrimSpace(lower[ws[k-1].hi:ws[k].lo]) == ",") {
			break
		}
		for j < len(ws) && (ws[j].w == "the" || ws[j].w == "under" || ws[j].w == "a") {
			j++
		}
		n2, ok := parseName(ws, j)
		if !ok || n2.e == nil {
			break
		}
		if thisOp != 0 {
			op = thisOp
		}
		items = append(items, n2.e)
		conf = min(conf, n2.conf)
		k = n2.next
	}
	if op == 0 {
		op = opAnd
	}
	return join(op, items...), "", k, conf
}

// gnuFamilyOf returns "GPL", "LGPL" or "AGPL" for a single GNU leaf.
func gnuFamilyOf(e *expr) string {
	if e.op != 0 {
		return ""
	}
	for _, f := range []string{"AGPL", "LGPL", "GPL"} {
		if strings.HasPrefix(e.id, f+"-") {
			return f
		}
	}
	return ""
}

// sentenceStart finds the start of the sentence holding lo (after a '.'
// followed by white space, a blank line, or 300 bytes back at most).
func sentenceStart(lower string, lo int) int {
	limit := max(0, lo-300)
	for i := lo - 1; i >= limit; i-- {
		switch lower[i] {
		case '.':
			if i+1 < len(lower) && (lower[i+1] == ' ' || lower[i+1] == '\n' || lower[i+1] == '\t' || lower[i+1] == '\r') {
				return i + 1
			}
		case '\n':
			j := i - 1
			for j >= 0 && (lower[j] == ' ' || lower[j] == '\t' || lower[j] == '*' || lower[j] == '/' || lower[j] == '#' || lower[j] == '\r') {
				j--
			}
			if j < 0 || lower[j] == '\n' {
				return i
			}
		}
	}
	return limit
}

// findRefersToSpan is findRefersTo plus the span of the sentence that
// holds the reference.
func findRefersToSpan(text []byte, lower string, ws []word) (string, span) {
	name, i := findRefersTo(text, ws)
	if name == "" {
		return "", span{}
	}
	return name, span{sentenceStart(lower, ws[i].lo), sentenceEnd(lower, ws[i].hi)}
}

// findRefersTo returns the license file a text defers to ("... that can
// be found in the LICENSE file", "See LICENSE.txt", "see the file
// COPYING") and the index of its word.
func findRefersTo(text []byte, ws []word) (string, int) {
	for i, w := range ws {
		if !strings.Contains(w.w, "licen") && !strings.HasPrefix(w.w, "cop") && !strings.HasPrefix(w.w, "notice") && !strings.HasPrefix(w.w, "third") {
			continue
		}
		orig := string(text[w.lo:w.hi])
		if !IsLicenseFile(orig) && !IsNoticeFile(orig) {
			continue
		}
		nextFile := i+1 < len(ws) && (ws[i+1].w == "file" || ws[i+1].w == "files")
		prev := ""
		if i > 0 {
			prev = ws[i-1].w
		}
		prevFile := prev == "file" || prev == "see" || prev == "accompanying"
		hasExt := strings.Contains(orig, ".") || strings.ContainsAny(orig, "_-")
		prevIn := prev == "in" || prev == "at" || prev == "the" || prev == "to"
		if !(nextFile || prevFile || hasExt && prevIn) {
			continue
		}
		if orig == strings.ToLower(orig) && !strings.ContainsAny(orig, "._-") {
			orig = strings.ToUpper(orig)
		}
		return orig, i
	}
	return "", -1
}

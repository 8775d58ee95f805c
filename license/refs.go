package license

import (
	"cmp"
	"strings"
)

// A finding is a license statement located in a text by this package's
// own patterns (tags, short references, URLs) or by licensecheck.
type finding struct {
	e        *expr
	lo, hi   int // byte offsets
	evidence string
	conf     float64
	// why is set when the statement grants nothing of the text's own
	// license: one of the Why* reasons (see referenceScope, sectionScope).
	why string
}

// refVerbs are words that introduce a short license reference when
// followed (within a few words) by a preposition and a license name.
var refVerbs = map[string]bool{
	"licensed": true, "licenced": true, "released": true, "distributed": true,
	"available": true, "published": true, "provided": true, "governed": true,
	"covered": true, "subject": true, "offered": true, "placed": true,
	"dedicated": true, "relicensed": true, "dual-licensed": true, "redistribute": true,
	"modify": true, "redistributed": true, "licensable": true, "distributable": true, "license": true,
	"licence": true, "put": true, "use": true, "part": true,
	"used": true, "usable": true, "choose": true, "waived": true,
}

var refPreps = map[string]bool{
	"under": true, "by": true, "to": true, "as": true, "with": true, "into": true,
	"in": true, "via": true, "between": true,
}

// fillers may appear between the preposition and the license name.
var fillers = map[string]bool{
	"the": true, "terms": true, "of": true, "and": true, "conditions": true, "a": true,
	"an": true, "either": true, "both": true, "one": true, "following": true,
	"its": true, "your": true, "choice": true, "any": true, "same": true,
	"dual": true,
}

// findReferences locates short license references ("Released under the
// MIT license", "Licensed under the Apache License, Version 2.0",
// "dual licensed under MIT or Apache-2.0", "License: BSD-3-Clause",
// GNU-style "under the terms of the GNU GPL ... version 2 or later").
// It also returns the hint of an "X-style license" wording.
// hintSpans cover the sentences of references that named no definite
// license, so they do not send the text to licensecheck.
func findReferences(lower string, ws []word) (out []finding, hint string, hintSpans []span) {
	used := -1    // words before this index were consumed by a reference
	lastRef := -1 // index of the word after the last reference
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
			start = prepAfterVerb(lower, ws, i)
		case (w == "in" || w == "into" || w == "to") && hasWords(ws, i+1, "the", "public", "domain") && dedication(ws, i):
			out = append(out, finding{e: leaf("LicenseRef-Public-Domain"), lo: ws[i].lo, hi: sentenceEnd(lower, ws[i+3].hi), evidence: "reference", conf: 0.8, why: referenceScope(lower, ws, i)})
			used = i + 3
			continue
		case hasWords(ws, i, "same", "terms", "as"):
			if e, end := sameTermsAs(lower, ws, i+3); e != nil {
				out = append(out, finding{e: e, lo: ws[i].lo, hi: ws[end-1].hi, evidence: "reference", conf: 0.9, why: referenceScope(lower, ws, i)})
				used = end - 1
			}
			continue
		case i == 0:
			if f, end, ok := titleReference(lower, ws); ok {
				out = append(out, f)
				used, lastRef = end-1, end
				continue
			}
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
		hi := sentenceEnd(lower, ws[next-1].hi)
		e = gfdlVariant(e, lower[ws[next-1].hi:max(hi, ws[next-1].hi)])
		if n := len(out); n > 0 && out[n-1].evidence == EvidenceReference && alternative(ws, lastRef, i) {
			// "... under the MIT license. Alternatively, it may be used
			// under the GPL": the second grant is a choice beside the first.
			out[n-1].e = join(opOr, out[n-1].e, e)
			out[n-1].hi = max(out[n-1].hi, hi)
			out[n-1].conf = min(out[n-1].conf, conf)
			out[n-1].why = cmp.Or(out[n-1].why, referenceScope(lower, ws, i))
		} else {
			out = append(out, finding{e: e, lo: ws[i].lo, hi: hi, evidence: EvidenceReference, conf: conf, why: referenceScope(lower, ws, i)})
		}
		used = next - 1
		lastRef = next
	}
	return out, hint, hintSpans
}

// sameTermsAs reads the work or license named after "under the same
// terms as" at ws[k]: a license name, or a project that names its own
// license ("same terms as Ruby", "as Python"), and Perl, whose terms are
// a choice ("same terms as Perl itself": Artistic-1.0-Perl OR
// GPL-1.0-or-later). It returns the license and the index after its
// words ("itself" included), or nil.
func sameTermsAs(lower string, ws []word, k int) (*expr, int) {
	if k >= len(ws) {
		return nil, k
	}
	var e *expr
	next := k + 1
	switch w := ws[k].w; {
	case w == "perl":
		e = join(opOr, leaf("Artistic-1.0-Perl"), leaf("GPL-1.0-or-later"))
	case ambiguous[w] && single[w] != "":
		e, _ = canonicalID(single[w], false)
	default:
		e, _, next, _ = parseNameList(lower, ws, k)
	}
	if e == nil {
		return nil, k
	}
	next = skipLicenseWords(ws, next)
	if next < len(ws) && ws[next].w == "itself" {
		next++
	}
	return e, next
}

// titleReference reads the first line of a text when it is nothing but
// a definite license's title ("zlib License", "The Unlicense", "MIT
// License", "Apache License, Version 2.0"): a license file's title names
// its license. A title without a definite version ("GNU GENERAL PUBLIC
// LICENSE", whose version is on the next line) names nothing here. It
// returns the reference and the index of the word after the title.
func titleReference(lower string, ws []word) (finding, int, bool) {
	if len(ws) == 0 {
		return finding{}, 0, false
	}
	eol := strings.IndexByte(lower[ws[0].lo:], '\n')
	if eol < 0 {
		eol = len(lower)
	} else {
		eol += ws[0].lo
	}
	n := 0 // words on the first line
	for n < len(ws) && ws[n].lo < eol {
		n++
	}
	e, _, next, conf := parseNameList(lower, ws[:n], 0)
	if e == nil || conf < 0.9 {
		return finding{}, 0, false
	}
	for ; next < n; next++ {
		if w := ws[next].w; !isLicenseWord(w) && w != "agreement" && w != "terms" {
			return finding{}, 0, false
		}
	}
	return finding{e: e, lo: ws[0].lo, hi: ws[n-1].hi, evidence: EvidenceReference, conf: 0.8}, n, true
}

// gfdlVariant returns the variant of a GNU Free Documentation License
// that the rest of its notice's sentence (after) states: "with no
// Invariant Sections" is GFDL-1.3-no-invariants-or-later, "with the
// Invariant Sections being ..." GFDL-1.3-invariants-or-later, as the
// SPDX list names them; e itself when it is no GFDL or says neither.
func gfdlVariant(e *expr, after string) *expr {
	if e.op != 0 || !strings.HasPrefix(e.id, "GFDL-") || strings.Contains(e.id, "invariants") {
		return e
	}
	variant := ""
	switch rest := strings.Join(strings.Fields(after), " "); {
	case strings.Contains(rest, "no invariant sections"):
		variant = "-no-invariants"
	case strings.Contains(rest, "invariant sections being"), strings.Contains(rest, "with the invariant sections"):
		variant = "-invariants"
	default:
		return e
	}
	base, suffix := e.id, ""
	for _, s := range []string{"-only", "-or-later"} {
		if b, ok := strings.CutSuffix(e.id, s); ok {
			base, suffix = b, s
		}
	}
	if v, ok := canonicalID(base+variant+suffix, false); ok {
		return &expr{id: v.id, exception: e.exception}
	}
	return e
}

// prepAfterVerb returns the index of the first word of the license name
// list after a reference verb at ws[i] ("licensed under", "released
// under the terms of", "use it, at your option, under"): the word after a
// preposition found within five words, not counting a choice phrase ("at
// your option"), or -1. A preposition after "such" ("a license such as
// the GPL") introduces an example, and one after "compatible" ("a
// license that is compatible with GPL Version 2.0") a comparison, not a
// grant.
func prepAfterVerb(lower string, ws []word, i int) int {
	if dualVerb(ws, i) {
		if _, ok := parseName(ws, i+1); ok {
			return i + 1 // "Dual licensed MIT and Apache 2"
		}
	}
	limit := i + 5
	for j := i + 1; j < len(ws) && j <= limit; j++ {
		if n := choicePhrase(ws, j); n > 0 {
			j += n - 1
			limit += n
			continue
		}
		if refPreps[ws[j].w] {
			if ws[j-1].w == "such" || ws[j-1].w == "compatible" {
				return -1
			}
			return j + 1
		}
		if ws[j].lo-ws[j-1].hi > 4 && strings.ContainsAny(lower[ws[j-1].hi:ws[j].lo], ".;") {
			return -1 // crossed a sentence boundary
		}
	}
	return -1
}

// dualVerb reports whether ws[i] says that a licensee may choose
// between the licenses named right after it: "dual-licensed", "dual
// licensed", "multi licensed".
func dualVerb(ws []word, i int) bool {
	switch ws[i].w {
	case "dual-licensed", "dual-licenced", "multi-licensed":
		return i+1 < len(ws)
	case "licensed", "licenced":
		return i > 0 && i+1 < len(ws) && (ws[i-1].w == "dual" || ws[i-1].w == "dually" || ws[i-1].w == "multi")
	}
	return false
}

// choicePhrase returns the number of words of a phrase at ws[j] that
// leaves the choice of license to the licensee ("at your option", "at
// your choice", "at your discretion", "alternatively", "if you
// prefer"), or 0.
func choicePhrase(ws []word, j int) int {
	switch {
	case hasWords(ws, j, "at", "your", "option"), hasWords(ws, j, "at", "your", "choice"), hasWords(ws, j, "at", "your", "discretion"),
		hasWords(ws, j, "if", "you", "prefer"):
		return 3
	case ws[j].w == "alternatively" || ws[j].w == "alternately":
		return 1
	}
	return 0
}

// alternative reports whether the words from ws[from] up to the
// reference verb at ws[verb] present that reference as an alternative to
// the previous one: "Alternatively, ...", "Or, at your option, ...",
// with no more than a dozen words in between.
func alternative(ws []word, from, verb int) bool {
	if from < 0 || verb-from > 12 {
		return false
	}
	for k := from; k < verb; k++ {
		if ws[k].w == "alternatively" || ws[k].w == "alternately" {
			return true
		}
	}
	return false
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
		case "dual", "dual-licensed", "dual-licenced", "either", "multi-licensed", "dually", "choose", "choice", "alternatively":
			return true
		}
	}
	for k := to; k < len(ws) && k < to+10; k++ {
		if hasWords(ws, k, "your", "option") || hasWords(ws, k, "your", "choice") || hasWords(ws, k, "your", "discretion") ||
			hasWords(ws, k, "you", "prefer") {
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
// "<LICENSE-MIT or http://...>", "[MIT]", a Markdown link's target
// "](https://...)", nested brackets such as "([LICENSE-MIT](LICENSE-MIT)
// or http://...)") and returns the index of the first word after it.
func skipBracket(lower string, ws []word, k int) int {
	k, _ = skipBracketAt(lower, ws, k)
	return k
}

// skipBracketAt is skipBracket that also returns the byte offset where
// the text after word k-1 and its asides continues.
func skipBracketAt(lower string, ws []word, k int) (int, int) {
	if k <= 0 || k > len(ws) {
		return k, 0
	}
	i := ws[k-1].hi
	for {
		j := i
		for j < len(lower) && (lower[j] == ' ' || lower[j] == '\t' || lower[j] == ',' || lower[j] == '\n' || lower[j] == '*' || lower[j] == '/' || lower[j] == '#' || lower[j] == '`' || lower[j] == ']') {
			if lower[j] == '/' && j+1 < len(lower) && lower[j+1] != '/' && lower[j+1] != '*' {
				break
			}
			if lower[j] == ']' && (j+1 >= len(lower) || lower[j+1] != '(') {
				break
			}
			j++
		}
		end := closeBracket(lower, j)
		if end < 0 {
			end = closeQuote(lower, j)
		}
		if end < 0 {
			break
		}
		i = end + 1
	}
	for k < len(ws) && ws[k].lo < i {
		k++
	}
	return k, i
}

// closeQuote returns the offset of the double quote closing a short
// nickname that opens at lower[i] (the "New" of 'BSD 3-Clause "New"
// License'), or -1.
func closeQuote(lower string, i int) int {
	if i >= len(lower) || lower[i] != '"' {
		return -1
	}
	end := strings.IndexByte(lower[i+1:min(len(lower), i+40)], '"')
	if end < 0 || strings.ContainsAny(lower[i+1:i+1+end], "\n.;") {
		return -1
	}
	return i + 1 + end
}

// closeBracket returns the offset of the bracket closing the one that
// opens at lower[i] ('(', '<' or '['), within 300 bytes, or -1.
func closeBracket(lower string, i int) int {
	if i >= len(lower) || lower[i] != '(' && lower[i] != '<' && lower[i] != '[' {
		return -1
	}
	var stack []byte
	for j := i; j < len(lower) && j < i+300; j++ {
		switch c := lower[j]; c {
		case '(', '[', '<':
			stack = append(stack, c)
		case ')', ']', '>':
			if len(stack) == 0 || stack[len(stack)-1] != map[byte]byte{')': '(', ']': '[', '>': '<'}[c] {
				return -1
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return j
			}
		}
	}
	return -1
}

// parseNameList parses "X", "X or Y", "X and Y", "X/Y", "either X or Y"
// starting at ws[k] (after fillers). It returns the expression (nil if
// no definite license), a hint, the index after the list and a confidence.
func parseNameList(lower string, ws []word, k int) (*expr, string, int, float64) {
	// "version 2 of the GNU General Public License"
	var pre version
	havePre := false
	for k < len(ws) && (fillers[ws[k].w] || isListNumber(lower, ws, k)) {
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
	np.next = withinParagraph(lower, ws, k, np.next)
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
		var gapLo int
		k, gapLo = skipBracketAt(lower, ws, k)
		for k < len(ws) && isLicenseWord(ws[k].w) && ws[k].lo >= gapLo && !paragraphBreak(lower[ws[k-1].hi:ws[k].lo]) {
			// 'the BSD 3-Clause "New" License': the name's last word
			// after its aside.
			gapLo = ws[k].hi
			k++
		}
		if k >= len(ws) {
			break
		}
		thisOp, sep := listSeparator(lower, ws, k, gapLo)
		if !sep {
			break
		}
		j := k
		if thisOp != 0 && (ws[k].w == "or" || ws[k].w == "and") {
			j++
		}
		j = skipListFillers(lower, ws, j)
		if j >= len(ws) || crossesSentence(lower, ws, gapLo, k, j) {
			break
		}
		n2, ok := parseName(ws, j)
		if !ok || n2.e == nil {
			break
		}
		n2.next = withinParagraph(lower, ws, j, n2.next)
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

// withinParagraph returns next, the index after a name that starts at
// ws[from], or the index of the first of its words that begins a new
// paragraph: a name's trailing "license" or "licensed" is not the first
// word of the next paragraph ("... under both the Apache License and the
// MPL\n\n// Licensed under the Apache License, Version 2.0").
func withinParagraph(lower string, ws []word, from, next int) int {
	for k := from + 1; k < next; k++ {
		if paragraphBreak(lower[ws[k-1].hi:ws[k].lo]) {
			return k
		}
	}
	return next
}

// paragraphBreak reports whether the text between two words holds a
// blank line (one with nothing but comment markers).
func paragraphBreak(gap string) bool {
	lines := strings.Split(gap, "\n")
	for _, l := range lines[1:max(1, len(lines)-1)] {
		if strings.Trim(l, " \t\r*/#;-") == "" {
			return true
		}
	}
	return false
}

// listSeparator reads what joins the name before ws[k] (whose text,
// asides skipped, ends at byte gapLo) to the next one: "or" (OR), "and"
// (AND, not "and conditions"), "/" (OR), "+" or "&" (AND), a comma or a
// new list item ("\n * ", "\n- ", "\n1. ") (the list's operator so far,
// 0 if none yet). sep is false when nothing joins them.
func listSeparator(lower string, ws []word, k, gapLo int) (op byte, sep bool) {
	switch {
	case ws[k].w == "or":
		return opOr, true
	case ws[k].w == "and" && !hasWords(ws, k, "and", "conditions"):
		return opAnd, true
	}
	gap := ""
	if gapLo <= ws[k].lo {
		gap = lower[gapLo:ws[k].lo]
	}
	switch strings.Trim(gap, " \t\r`*_[") {
	case "/":
		return opOr, true
	case "+", "&":
		return opAnd, true
	case ",":
		return 0, true
	}
	if isListItem(gap) {
		return 0, true
	}
	return 0, false
}

// isListItem reports whether the text between two words starts a new
// item of a bulleted or numbered list: a line break, then a bullet.
func isListItem(gap string) bool {
	nl := strings.LastIndexByte(gap, '\n')
	if nl < 0 {
		return false
	}
	if strings.Trim(gap[:nl], " \t\r\n,;") != "" {
		return false // something other than blank space before the break
	}
	item := strings.Trim(gap[nl+1:], " \t\r[`")
	switch item {
	case "*", "-", "+", "•":
		return true
	}
	if n := len(item); n >= 2 && (item[n-1] == '.' || item[n-1] == ')') {
		for _, c := range item[:n-1] {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// crossesSentence reports whether a sentence ends ('.' then white space,
// or ';') between byte gapLo and word ws[to], through the words from
// ws[from]; the dot of a list number ("2.") ends nothing.
func crossesSentence(lower string, ws []word, gapLo, from, to int) bool {
	ends := func(gap string) bool {
		if strings.IndexByte(gap, ';') >= 0 {
			return true
		}
		for i := 0; i+1 < len(gap); i++ {
			if gap[i] == '.' && (gap[i+1] == ' ' || gap[i+1] == '\n' || gap[i+1] == '\r' || gap[i+1] == '\t') {
				return true
			}
		}
		return false
	}
	if gapLo <= ws[from].lo && ends(lower[gapLo:ws[from].lo]) {
		return true
	}
	for m := from + 1; m <= to && m < len(ws); m++ {
		if !isListNumber(lower, ws, m-1) && ends(lower[ws[m-1].hi:ws[m].lo]) {
			return true
		}
	}
	return false
}

// isListNumber reports whether ws[j] numbers an item of a list: digits
// (or one letter) followed by '.' or ')' at the start of a line ("1.",
// "2)", "a)").
func isListNumber(lower string, ws []word, j int) bool {
	w := ws[j]
	if w.hi >= len(lower) || lower[w.hi] != '.' && lower[w.hi] != ')' || len(w.w) > 2 {
		return false
	}
	if len(w.w) == 1 && w.w[0] >= 'a' && w.w[0] <= 'h' {
		// "a)" and "b." as list letters
	} else if strings.Trim(w.w, "0123456789") != "" {
		return false
	}
	for i := w.lo - 1; i >= 0; i-- {
		switch lower[i] {
		case ' ', '\t', '\r', '*', '/', '#', '(':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// skipListFillers skips the words that may come between a list's
// separator and the next name: "the", "a", "under", "the terms of", a
// choice phrase ("or, at your option, under the GPL", "or alternatively
// under the terms of the Apache License").
func skipListFillers(lower string, ws []word, j int) int {
	for j < len(ws) {
		if isListNumber(lower, ws, j) {
			j++
			continue
		}
		if n := choicePhrase(ws, j); n > 0 {
			j += n
			continue
		}
		switch ws[j].w {
		case "the", "under", "a", "an", "terms", "of", "by":
			j++
			continue
		}
		return j
	}
	return j
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

// qualifyNotices reads the range of versions that follows a notice
// licensecheck matched: its notice patterns end at the version ("as
// published by the Free Software Foundation; version 2 of the License")
// and name the -only license, but the words after it may extend the
// grant to later versions ("..., or (at your option) any later version",
// "version 2 dated June, 1991, or (at your option) any later version").
// Whether a notice grants later versions comes from its own words,
// wherever they sit; such a notice becomes -or-later and covers them.
func qualifyNotices(ws []word, lc []finding) []finding {
	for i, f := range lc {
		if f.evidence != EvidenceNotice || f.e.op != 0 || !strings.HasSuffix(f.e.id, "-only") {
			continue
		}
		k := wordAt(ws, f.hi)
		if k >= len(ws) || k > 0 && ws[k-1].hi > f.hi {
			continue // the match ends inside a word
		}
		v, next, _ := parseVersionSuffix(ws, k, version{})
		if !v.plus {
			continue
		}
		e, ok := canonicalID(strings.TrimSuffix(f.e.id, "-only")+"-or-later", false)
		if !ok {
			continue
		}
		lc[i].e = &expr{id: e.id, exception: f.e.exception}
		lc[i].hi = ws[next-1].hi
	}
	return lc
}

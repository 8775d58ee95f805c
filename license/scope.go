package license

import (
	"slices"
	"sort"
	"strings"
)

// Reasons a statement grants nothing of the text's own license (Match.Why).
// The strings are stable: snipscan license --format json prints them.
const (
	// WhyPart: it speaks of a part or an origin the text mentions
	// ("Portions derived from Bar, which ...", "The bundled sizzle.js
	// is ...", "This product includes libfoo, which is ...").
	WhyPart = "part"
	// WhyOtherWork: it speaks of another work ("Unlike our SDK (released
	// under the GPL) ...", "Another edition is licensed under ...").
	WhyOtherWork = "other-work"
	// WhyNonCode: it speaks of a part that is not code: documentation,
	// sample code of the documentation, images, fonts, data ("The
	// documentation is licensed under CC-BY-4.0", "Copyright and related
	// rights for sample code are waived via CC0").
	WhyNonCode = "non-code"
	// WhyNegated: it says that the license does not apply ("This
	// software is NOT distributed under the GPL").
	WhyNegated = "negated"
	// WhyComponents: it stands in a section about other components (a
	// heading "THIRD-PARTY COMPONENTS", "Dependencies:", "This product
	// bundles the following libraries:").
	WhyComponents = "components"
	// WhyReserved: the text reserves the rights to its own work (a
	// proprietary agreement: "You may not copy, modify or distribute
	// this software", "Unauthorized copying of this file is strictly
	// prohibited", "Proprietary and confidential"), so the licenses it
	// names are other works' unless it grants one to the work itself
	// ("This software is also licensed under ...").
	WhyReserved = "reserved"
)

// partWords are words that, before a reference's verb in its sentence,
// make another work its subject: a relative clause on something named
// before ("libfoo, which is dual licensed"), an origin ("derived from",
// "based on", "the original version"), or a part ("portions", "the
// bundled sizzle.js", "vendored", "third-party code").
var partWords = map[string]bool{
	"which": true, "whose": true,
	"derived": true, "based": true, "adapted": true, "copied": true, "taken": true, "ported": true,
	"borrowed": true, "forked": true, "original": true, "originally": true, "upstream": true,
	"portion": true, "portions": true, "bundled": true, "bundles": true, "vendored": true,
	"vendors": true, "embedded": true, "embeds": true, "includes": true, "included": true,
	"third-party": true, "dependency": true, "dependencies": true,
}

// otherWorkWords are words that, before a reference's verb in its
// sentence, set its subject apart from the text's own work ("Unlike our
// SDK, released under ...", "Separate components are ..."). "Other" is
// not one of them: "Copyright Foo and other contributors" is a holder.
var otherWorkWords = map[string]bool{
	"unlike": true, "another": true, "separate": true, "separately": true,
}

// nonCodeNouns name parts of a work that are not code. "sample" and
// "samples" stand for sample code, which lodash's and other license files
// define as the code shown in the documentation.
var nonCodeNouns = map[string]bool{
	"documentation": true, "docs": true, "doc": true, "document": true, "documents": true, "manual": true,
	"manuals": true, "sample": true, "samples": true, "image": true, "images": true, "icon": true,
	"icons": true, "logo": true, "logos": true, "artwork": true, "artworks": true, "font": true,
	"fonts": true, "typeface": true, "typefaces": true, "data": true, "dataset": true, "datasets": true,
	"media": true, "graphics": true, "illustrations": true, "screenshots": true, "photos": true,
	"sounds": true, "audio": true, "video": true, "videos": true, "translations": true,
}

// codeNouns name code. "code" after a non-code noun ("sample code")
// names that part, not code.
var codeNouns = map[string]bool{
	"code": true, "software": true, "source": true, "sources": true, "program": true, "programs": true,
	"library": true, "libraries": true, "project": true, "package": true, "module": true, "crate": true,
	"file": true, "files": true, "implementation": true, "application": true, "binaries": true, "scripts": true,
	"header": true, "headers": true,
}

// negations are words that, right before a reference's verb, deny it.
var negations = map[string]bool{
	"not": true, "never": true, "neither": true, "nor": true, "no": true, "cannot": true,
}

// contractions are the words before "'t" that negate ("isn't", "can't").
var contractions = map[string]bool{
	"isn": true, "aren": true, "wasn": true, "weren": true, "doesn": true, "don": true, "didn": true,
	"hasn": true, "haven": true, "can": true, "won": true, "shouldn": true, "mustn": true, "ain": true,
}

// referenceScope returns why the reference whose verb (or first word) is
// ws[i] grants nothing of the text's own license (one of the Why*
// reasons), or "" when it does. It reads the words of its clause before
// ws[i]: from the start of the sentence, or from the copyright statement
// on the way ("Copyright Foo and other contributors, licensed under
// MIT" speaks of the text's own work).
func referenceScope(lower string, ws []word, i int) string {
	if negated(lower, ws, i) {
		return WhyNegated
	}
	start := clauseStart(lower, ws[i].lo)
	if label(lower, ws, i) {
		// "License: X", "@license X": the label's own line says what it
		// is about ("Documentation license: CC-BY-4.0").
		start = max(start, strings.LastIndexByte(lower[:ws[i].lo], '\n')+1)
	}
	from := i
	for from > 0 && ws[from-1].lo >= start && !isCopyrightWord(lower, ws[from-1]) {
		from--
	}
	subject := ws[from:i]
	if p := ownPhrase(subject); p >= 0 {
		if why := ownPhraseScope(lower, subject, p); why != "-" {
			return why
		}
	}
	for k, w := range subject {
		switch {
		case partWords[w.w] || w.w == "party" && k > 0 && subject[k-1].w == "third":
			return WhyPart
		case otherWorkWords[w.w]:
			return WhyOtherWork
		}
	}
	if nonCodeSubject(subject) {
		return WhyNonCode
	}
	if otherCode(subject) {
		return WhyOtherWork
	}
	return ""
}

// otherCode reports whether the words before a reference's verb speak of
// other code than the text's own: "other" or "another" right before a
// code noun ("combine Python with other software that is released under
// the GPL"). "Copyright Foo and other contributors" names no code.
func otherCode(subject []word) bool {
	for k := 1; k < len(subject); k++ {
		if codeNouns[subject[k].w] && (subject[k-1].w == "other" || subject[k-1].w == "another") {
			return true
		}
	}
	return false
}

// label reports whether ws[i] is the label of a license field: "License:
// X", "@license X".
func label(lower string, ws []word, i int) bool {
	return isLicenseWord(ws[i].w) && (followedByColon(lower, ws[i].hi) || ws[i].lo > 0 && lower[ws[i].lo-1] == '@')
}

// clauseStart returns where the clause that holds byte lo starts: the
// start of its sentence (sentenceStart), or the line after the last
// copyright statement between the two ("Copyright OpenJS Foundation and
// other contributors\n * Released under MIT license": the statement's
// subject is not the contributors).
func clauseStart(lower string, lo int) int {
	start := sentenceStart(lower, lo)
	for end := strings.LastIndexByte(lower[:lo], '\n'); end > start; {
		begin := strings.LastIndexByte(lower[:end], '\n') + 1
		if l := cleanLine(lower[begin:end]); strings.HasPrefix(l, "copyright") || strings.HasPrefix(l, "(c)") || strings.HasPrefix(l, "©") {
			return end + 1
		}
		end = begin - 1
	}
	return start
}

// isCopyrightWord reports whether w opens a copyright statement:
// "Copyright", "(c)".
func isCopyrightWord(lower string, w word) bool {
	return w.w == "copyright" || w.w == "copyrighted" || w.w == "c" && w.lo > 0 && lower[w.lo-1] == '('
}

// negated reports whether the words of its clause before the verb at
// ws[i] deny it: a negation among the six words before it ("is not
// licensed", "is NOT distributed", "isn't released", "is not in any way
// distributed"), or "no" among the three ("no part of it is licensed").
// Words of an earlier sentence ("DO NOT EDIT." above "Licensed under
// MIT") do not count.
func negated(lower string, ws []word, i int) bool {
	start := sentenceStart(lower, ws[i].lo)
	for k := i - 1; k >= 0 && k >= i-6 && ws[k].lo >= start; k-- {
		w := ws[k].w
		if w == "no" && k < i-3 {
			continue
		}
		if negations[w] || w == "t" && k > 0 && contractions[ws[k-1].w] {
			return true
		}
	}
	return false
}

// nonCodeSubject reports whether the words before a reference's verb
// name a part that is not code (documentation, sample code, images,
// fonts, data) and no code ("The documentation is licensed under ...",
// but not "The code and its documentation are ...").
func nonCodeSubject(subject []word) bool {
	nonCode := false
	for k, w := range subject {
		switch {
		case nonCodeNouns[w.w]:
			nonCode = true
		case codeNouns[w.w] && !(k > 0 && (nonCodeNouns[subject[k-1].w] || subject[k-1].w == "example")) && !codeOfNonCode(subject, k):
			return false
		}
	}
	return nonCode
}

// codeOfNonCode reports whether the code noun subject[k] names code that
// is part of a part that is not code: "code in the documentation", "code
// from the Python documentation", "examples of the manual".
func codeOfNonCode(subject []word, k int) bool {
	if k+1 >= len(subject) {
		return false
	}
	switch subject[k+1].w {
	case "in", "of", "from", "within", "inside":
	default:
		return false
	}
	for j := k + 2; j < len(subject) && j <= k+4; j++ {
		if nonCodeNouns[subject[j].w] {
			return true
		}
	}
	return false
}

// ownSubject reports whether the clause of the reference at ws[i] names
// the text's own work as its subject: "this software", "this program",
// "this file", "this project" (and the like) whose predicate is the
// reference's verb (see ownPredicate).
func ownSubject(lower string, ws []word, i int) bool {
	if i >= len(ws) {
		return false
	}
	start := clauseStart(lower, ws[i].lo)
	from := i
	for from > 0 && ws[from-1].lo >= start && !isCopyrightWord(lower, ws[from-1]) {
		from--
	}
	subject := ws[from:i]
	p := ownPhrase(subject)
	return p >= 0 && ownPredicate(lower, subject, p)
}

// ownPhrase returns the index in subject of the first "this" or "these"
// followed by a word naming code, a work or a product ("this program",
// "these files"), or -1.
func ownPhrase(subject []word) int {
	for k := 0; k+1 < len(subject); k++ {
		n := subject[k+1].w
		if (subject[k].w == "this" || subject[k].w == "these") && (codeNouns[n] || n == "work" || n == "product") {
			return k
		}
	}
	return -1
}

// ownPhraseScope returns why the reference after subject, whose words
// name the text's own work at subject[p] ("this program"), grants nothing
// of its license (a Why* reason), "" when it grants, or "-" when the
// own-work phrase decides nothing (the other rules of referenceScope
// apply).
//
//   - The work uses, contains or ships another work whose license the
//     reference states ("This product contains libfoo, licensed under
//     ..."), or the subject is another work used by or shipped with it
//     ("The libfoo library used by this software is ..."): WhyPart.
//   - The reference's verb is the work's own predicate ("This program
//     includes bar and is licensed under ...", "This library, which is
//     based on zlib, is licensed ..."): it grants, unless a portion or
//     another work comes before the work's name ("Portions of this file
//     are ...").
func ownPhraseScope(lower string, subject []word, p int) string {
	if p > 0 && attachWords[subject[p-1].w] && p > 1 && strings.HasSuffix(subject[p-2].w, "ed") {
		return WhyPart // "used by this software", "shipped with this product"
	}
	if !ownPredicate(lower, subject, p) {
		if rest := subject[p+2:]; len(rest) > 1 && inclusionVerbs[rest[0].w] {
			return WhyPart
		}
		return "-"
	}
	for _, w := range subject[:p] {
		switch {
		case w.w == "portion" || w.w == "portions":
			return WhyPart
		case otherWorkWords[w.w]:
			return WhyOtherWork
		}
	}
	return ""
}

// inclusionVerbs are verbs by which a work holds or uses another ("This
// product contains libfoo, ...").
var inclusionVerbs = map[string]bool{
	"contains": true, "contain": true, "includes": true, "include": true, "uses": true, "use": true,
	"bundles": true, "bundle": true, "embeds": true, "embed": true, "incorporates": true, "incorporate": true,
	"ships": true, "ship": true, "vendors": true, "links": true, "requires": true, "depends": true, "wraps": true,
}

// attachWords are the prepositions by which a participle ties another
// work to the text's own ("used by this software", "shipped with this
// product", "included in this package").
var attachWords = map[string]bool{"by": true, "with": true, "in": true, "into": true, "within": true, "inside": true}

// auxWords are the auxiliaries and adverbs that may stand between a
// subject and a reference's verb ("is", "may be", "has also been").
var auxWords = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true,
	"has": true, "have": true, "had": true, "may": true, "can": true, "will": true, "shall": true,
	"must": true, "also": true, "hereby": true, "now": true, "currently": true, "itself": true, "all": true,
}

// ownPredicate reports whether the reference's verb, right after subject,
// is the predicate of the own-work phrase at subject[p:p+2] rather than
// of another work named after it. The words between the two must be
// nothing but auxiliaries ("this program is licensed", "this program,
// licensed"), or end with "and" before an auxiliary ("this program
// includes code from bar and is licensed"), or be a parenthetical closed
// by a comma ("this library, which is based on zlib, is licensed"). A
// relative clause still open at the verb ("this product bundles libfoo,
// which is licensed") or a participle after another noun ("includes code
// from bar licensed under") speaks of the other work.
func ownPredicate(lower string, subject []word, p int) bool {
	rest := subject[p+2:]
	n := len(rest)
	for n > 0 && auxWords[rest[n-1].w] {
		n--
	}
	if n == 0 {
		return true
	}
	if n == len(rest) {
		return false // no auxiliary: a participle of the last noun
	}
	if rest[n-1].w == "and" {
		return !openRelative(lower, rest[:n-1])
	}
	return commaAfter(lower, subject[p+1]) && commaAfter(lower, rest[n-1])
}

// openRelative reports whether ws hold a relative clause ("which ...",
// "who ...", "that ...") not closed by a comma after it.
func openRelative(lower string, ws []word) bool {
	open := false
	for _, w := range ws {
		switch {
		case w.w == "which" || w.w == "who" || w.w == "whose" || w.w == "that":
			open = true
		case open && commaAfter(lower, w):
			open = false
		}
	}
	return open
}

// commaAfter reports whether a comma follows w, spaces aside.
func commaAfter(lower string, w word) bool {
	rest := strings.TrimLeft(lower[w.hi:], " \t")
	return strings.HasPrefix(rest, ",")
}

// componentHeadingWords are words of a heading that introduce other
// components: the statements below it are theirs.
var componentHeadingWords = map[string]bool{
	"third-party": true, "thirdparty": true, "components": true, "dependencies": true, "bundled": true,
	"bundles": true, "vendored": true, "includes": true, "included": true, "acknowledgements": true,
	"acknowledgments": true, "credits": true, "libraries": true, "external": true,
}

// governor is a line that governs the lines below it (see sections).
type governor struct {
	line  int    // its line index, -1 for none
	scope string // what it introduces: WhyComponents, WhyNonCode or ""
}

// sections tells, for any line of a text, which heading above it governs
// it, read in one pass over the text (a license file may hold thousands
// of statements):
//
//   - a title (a Markdown heading, a line in capitals, a line underlined
//     with "====" or "----") governs its section, down to the next title
//     or separator line ("====", "----");
//   - a line that ends with a colon ("This product bundles the following
//     libraries:") introduces only the rest of its paragraph, and the
//     paragraph after it when it ends its own, and not a license field
//     ("License: MIT", a field of its own);
//   - the lines of the full license texts found are no headings: a
//     license text's own titles do not end the section.
type sections struct {
	text   []byte
	starts []int      // where each line starts
	skip   []bool     // the line overlaps a full license text
	title  []governor // the nearest title or separator at or above each line
	intro  []governor // the introduction above each line that governs it
}

// newSections reads the headings of text, whose full license texts are
// texts (sorted by offset).
func newSections(text []byte, texts []span) *sections {
	s := &sections{text: text, starts: []int{0}}
	for i, c := range text {
		if c == '\n' {
			s.starts = append(s.starts, i+1)
		}
	}
	n := len(s.starts)
	s.skip, s.title, s.intro = make([]bool, n), make([]governor, n), make([]governor, n)
	none := governor{line: -1}
	title, intro := none, none
	introPara, introLast, introDone := 0, false, false
	para, blank, seen := 0, false, false
	k := 0
	for i := range n {
		begin, end := s.line(i)
		for k < len(texts) && texts[k].hi <= begin {
			k++
		}
		s.skip[i] = k < len(texts) && texts[k].lo < end
		// The paragraph a statement on this line would be in.
		p := para
		if blank && seen {
			p++
		}
		s.intro[i] = none
		if intro.line >= 0 && (introPara == p || introPara == p-1 && introLast) {
			s.intro[i] = intro
		}
		line := string(text[begin:end])
		switch {
		case s.skip[i]:
		case isSeparator(line):
			title, intro = governor{line: i}, none
			if i > 0 {
				b, e := s.line(i - 1)
				if above := string(text[b:e]); cleanLine(above) != "" && !isSeparator(above) {
					title.scope = headingScope(above) // a title underlined
				}
			}
		case cleanLine(line) == "":
			blank = true
			if intro.line >= 0 && !introDone {
				introLast = true
			}
		default:
			para, blank, seen = p, false, true
			if intro.line >= 0 && intro.line != i {
				introDone = true
			}
			switch {
			case !isHeading(line):
			case introduction(line):
				intro = governor{line: i, scope: headingScope(introducedBy(text, begin, end))}
				introPara, introLast, introDone = para, false, false
			default:
				title, intro = governor{line: i, scope: headingScope(line)}, none
			}
		}
		s.title[i] = title
	}
	return s
}

// line returns the bounds of line i, without its line break.
func (s *sections) line(i int) (begin, end int) {
	begin, end = s.starts[i], len(s.text)
	if i+1 < len(s.starts) {
		end = s.starts[i+1] - 1
	}
	return begin, end
}

// scope returns WhyComponents, or WhyNonCode, when the heading that
// governs the statement at byte lo introduces other components
// ("THIRD-PARTY COMPONENTS", "# Dependencies") or a part that is not code
// ("# Fonts: SIL OFL 1.1"), else "". The statement's own line is its
// heading only when words come before it on the line ("# Fonts: SIL OFL
// 1.1"): a license text's title ("GNU GENERAL PUBLIC LICENSE") is the
// text's.
func (s *sections) scope(lo int) string {
	i := sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > lo }) - 1
	begin, end := s.line(i)
	line := string(s.text[begin:end])
	l := cleanLine(lowerASCII(s.text[begin:end]))
	field := strings.HasPrefix(l, "license:") || strings.HasPrefix(l, "licence:")
	if !s.skip[i] && cleanLine(string(s.text[begin:lo])) != "" && isHeading(line) {
		switch {
		case !introduction(line):
			return headingScope(line)
		case !field:
			return headingScope(introducedBy(s.text, begin, end))
		}
	}
	h := governor{line: -1}
	if i > 0 {
		h = s.title[i-1]
	}
	if in := s.intro[i]; !field && in.line > h.line {
		h = in
	}
	return h.scope
}

// introducedBy returns the sentence that a line ending with a colon
// (text[begin:end]) ends: the lines of its paragraph up to it ("All the
// public headers and\nsample code are:").
func introducedBy(text []byte, begin, end int) string {
	for begin > 0 {
		b, e := lineAround(text, begin-1)
		prev := cleanLine(string(text[b:e]))
		if prev == "" || strings.HasSuffix(prev, ".") || strings.HasSuffix(prev, ":") {
			break
		}
		begin = b
	}
	return strings.ReplaceAll(string(text[begin:end]), "\n", " ")
}

// introduction reports whether a heading line is an introduction that
// ends with a colon, rather than a title.
func introduction(line string) bool {
	return strings.HasSuffix(cleanLine(line), ":") && !strings.HasPrefix(strings.TrimLeft(line, " \t"), "#")
}

// lineAround returns the bounds of the line that holds byte off, without
// its line break.
func lineAround(text []byte, off int) (begin, end int) {
	begin, end = off, off
	for begin > 0 && text[begin-1] != '\n' {
		begin--
	}
	for end < len(text) && text[end] != '\n' {
		end++
	}
	return begin, end
}

// headingScope reads one heading: WhyComponents when it introduces other
// components, WhyNonCode when it names a part that is not code, else "".
func headingScope(line string) string {
	ws := splitWords(lowerASCII([]byte(cleanLine(line))))
	for k, w := range ws {
		if componentHeadingWords[w.w] || w.w == "party" && k > 0 && ws[k-1].w == "third" {
			return WhyComponents
		}
	}
	if nonCodeSubject(ws) {
		return WhyNonCode
	}
	return ""
}

// isSeparator reports whether a line only separates sections or
// underlines a title: "====", "----", "****", "~~~~", in a comment or not.
func isSeparator(line string) bool {
	t := strings.Trim(line, " \t\r/#;")
	return len(t) >= 3 && strings.Trim(t, "=-*_~") == ""
}

// isHeading reports whether a line is a heading: short, with no
// sentence in it, and a Markdown heading, a line in capitals, or a line
// that ends with a colon to introduce what follows.
func isHeading(line string) bool {
	t := cleanLine(line)
	words := strings.Fields(t)
	if len(words) == 0 || strings.Contains(t, ". ") || strings.HasSuffix(t, ".") {
		return false
	}
	switch {
	case strings.HasPrefix(strings.TrimLeft(line, " \t"), "#") && len(words) <= 8:
		return true
	case strings.HasSuffix(t, ":") && len(words) <= 10:
		return true
	case len(words) <= 8 && strings.ToUpper(t) == t && strings.ToLower(t) != t:
		return true
	}
	return false
}

// markSections sets why on the statements (not SPDX tags) that stand in
// a section about other components or a part that is not code (see
// sections), unless a reference's own words name the text's own work
// ("This software is licensed under ..."). The full license texts found
// are not searched for headings.
func markSections(text []byte, lower string, ws []word, found []finding) {
	var texts []span
	for _, f := range found {
		if f.evidence == EvidenceText {
			texts = append(texts, span{f.lo, f.hi})
		}
	}
	var secs *sections
	reserved := -1 // unknown until a statement needs it: most headers have none
	for i := range found {
		f := &found[i]
		if f.why != "" || f.evidence == EvidenceTag {
			continue
		}
		if f.evidence == EvidenceReference && ownSubject(lower, ws, wordAt(ws, f.lo)) {
			continue
		}
		if reserved < 0 {
			reserved = 0
			if reserves(lower, ws, texts) {
				reserved = 1
			}
		}
		if reserved == 1 {
			f.why = WhyReserved
			continue
		}
		if secs == nil {
			secs = newSections(text, texts)
		}
		f.why = secs.scope(f.lo)
	}
}

// restrictedActs are what a reservation of rights forbids.
var restrictedActs = map[string]bool{
	"use": true, "copy": true, "modify": true, "distribute": true, "redistribute": true, "reproduce": true,
	"sublicense": true, "sell": true, "copying": true, "distribution": true, "reproduction": true,
	"modification": true, "disclosure": true, "disclose": true, "publish": true, "redistribution": true,
}

// reserves reports whether text, outside its full license texts (but in
// their first lines, which a match may take from above the license's
// title), reserves the rights to its own work (see WhyReserved):
//
//   - a sentence whose reader or own work may not use, copy, modify or
//     distribute it ("You may not copy, modify or distribute this
//     software", "This software may not be copied"), or that prohibits
//     doing so ("Unauthorized copying of this file is strictly
//     prohibited"), and that names no license: "You may not use this
//     file except in compliance with the License" is a license's
//     condition, and "Products derived from this software may not be
//     called ..." a condition on other works;
//   - a sentence that calls the work proprietary ("Proprietary and
//     confidential", "This software is proprietary", "Proprietary.").
func reserves(lower string, ws []word, texts []span) bool {
	for i, w := range ws {
		if covered(texts, w) && !inHead(lower, texts, w) {
			continue
		}
		switch w.w {
		case "may", "must", "shall":
			if forbidsOwnWork(lower, ws, i) {
				return true
			}
		case "prohibited", "forbidden":
			sent := sentenceWords(lower, ws, i)
			if slices.ContainsFunc(sent, func(x word) bool { return restrictedActs[x.w] }) && speaksOfOwnWork(sent) {
				return true
			}
		case "proprietary":
			sent := sentenceWords(lower, ws, i)
			if len(sent) <= 3 || hasWord(sent, "confidential") || i >= 3 && (ws[i-1].w == "is" || ws[i-1].w == "are") && ownPhrase(ws[i-3:i-1]) == 0 {
				return true
			}
		}
	}
	return false
}

// forbidsOwnWork reports whether "may/must/shall not" at ws[i] forbids the
// reader an act on the text's own work ("You may not copy this software",
// "it may not be distributed") in a sentence that names no license.
func forbidsOwnWork(lower string, ws []word, i int) bool {
	if i == 0 || i+2 >= len(ws) || ws[i+1].w != "not" {
		return false
	}
	act := restrictedActs[ws[i+2].w] || ws[i+2].w == "be" && i+3 < len(ws) && forbiddenParticiples[ws[i+3].w]
	who := ws[i-1].w
	reader := who == "you" || who == "licensee" || who == "user" || i >= 2 && ws[i-2].w == "this" && ownPhrase(ws[i-2:i]) == 0
	if !act || !reader {
		return false
	}
	sent := sentenceWords(lower, ws, i)
	if (hasWord(sent, "except") || hasWord(sent, "unless")) && !slices.ContainsFunc(sent, func(x word) bool { return agreementWords[x.w] }) {
		return false // "may not be copied ... except according to those terms": the grant's condition
	}
	return speaksOfOwnWork(sent)
}

// agreementWords name a separate agreement or permission, which a
// reservation of rights leaves as the only way to use the work ("except
// under the terms of a written agreement", "unless you have the prior
// written permission").
var agreementWords = map[string]bool{
	"agreement": true, "agreements": true, "permission": true, "consent": true, "authorization": true,
	"authorisation": true, "written": true, "contract": true,
}

// forbiddenParticiples are the acts a passive reservation forbids ("may
// not be copied").
var forbiddenParticiples = map[string]bool{
	"used": true, "copied": true, "modified": true, "distributed": true, "redistributed": true,
	"reproduced": true, "disclosed": true, "sold": true, "published": true, "sublicensed": true,
}

// speaksOfOwnWork reports whether the sentence sent names the text's own
// work ("this software", "this file") other than as the origin of other
// works ("products derived from this software"), and names no license.
func speaksOfOwnWork(sent []word) bool {
	if p := ownPhrase(sent); p < 0 || sent[p].w != "this" {
		return false // "these files may not be modified": a license's rule on some files
	}
	return !slices.ContainsFunc(sent, func(x word) bool { return isLicenseWord(x.w) || conditionWords[x.w] })
}

// conditionWords mark a license's condition on other works or names, not
// a reservation of the work's rights ("Products derived from this
// software may not be called ...", "The names of the contributors to this
// software may not be used to endorse or promote ...").
var conditionWords = map[string]bool{"derived": true, "endorse": true, "promote": true, "called": true, "trademark": true, "trademarks": true}

// headLines is how many lines at the start of a full text's match are
// read as possibly not the text's: a match may reach back over the
// lines above the license's title (a copyright line, an agreement's
// first sentences).
const headLines = 6

// inHead reports whether the word w lies in the first headLines lines of
// one of texts.
func inHead(lower string, texts []span, w word) bool {
	for _, t := range texts {
		if w.lo >= t.lo && w.hi <= t.hi {
			return strings.Count(lower[t.lo:w.lo], "\n") < headLines
		}
	}
	return false
}

// sentenceWords returns the words of the sentence that holds ws[i].
func sentenceWords(lower string, ws []word, i int) []word {
	lo, hi := sentenceStart(lower, ws[i].lo), sentenceEnd(lower, ws[i].hi)
	from, to := i, i+1
	for from > 0 && ws[from-1].lo >= lo {
		from--
	}
	for to < len(ws) && ws[to].hi <= hi {
		to++
	}
	return ws[from:to]
}

// hasWord reports whether ws hold the word w.
func hasWord(ws []word, w string) bool {
	return slices.ContainsFunc(ws, func(x word) bool { return x.w == w })
}

// wordAt returns the index of the first word that starts at or after
// byte off.
func wordAt(ws []word, off int) int {
	return sort.Search(len(ws), func(i int) bool { return ws[i].lo >= off })
}

package license

import (
	"bytes"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Copyrights extracts copyright statements and their holders from text
// (a file header, a license file, any text), in order of appearance and
// without duplicates.
//
// A statement starts at "Copyright", "©", "&copy;" or "(C)" and runs
// through its years to the holder; "All rights reserved." and a trailing
// period are trimmed (the period of an abbreviation such as "Inc." is
// kept), white space is collapsed, comment markers are dropped, and a
// holder on the following line ("Copyright (c) 2019-2024\n *   Jane Doe")
// is joined. "SPDX-FileCopyrightText:" values count as statements.
//
// Prose and templates yield nothing: "copyright law", "the copyright
// holders", "Copyright notice", "Copyright (C) <year> <name of author>",
// "Copyright [yyyy] [name of copyright owner]"; nor does the copyright of
// a license document itself (the line followed by "Everyone is permitted
// to copy and distribute verbatim copies of this license document").
// Holders drop e-mail addresses and URLs.
//
// Years are read as they are written: lists and ranges ("1996,97,98",
// "2001-2003,2005", "2003+"), lists wrapped over lines, and "????" for an
// unknown year; a year after next year is no year (see CopyrightsAsOf).
// A holder may come before the marker ("Rusty Russell (C) 2000") or after
// "copyrighted by". A statement in a string literal ends with the
// literal ("\"Copyright 2011 The Go Authors.\\n\""), and a holder starts
// with a letter or a digit, not with a bare number.
//
// A holder may be led by "by" or "Written by" ("COPYRIGHT: Written by
// Jane Roe, 2011"; "Written by" alone names an author, not a holder),
// wrapped over up to three lines (after "by", "by the", a comma, "of" or
// an open parenthesis; before a parenthesized line; after a line filled
// to its wrap width that ends inside a name: "... 2015-2021 Free\n
// Software Foundation, Inc."), may hold a nickname quoted TeX-style
// ("Paul `Rusty' Russell", also with doubled quotes), and ends before a
// second statement on its line ("Foo or Copyright (c) 2004 Bar"), "unless otherwise", "(see ..." and
// a wrapped "All Rights". Lines of a name and an address under a
// statement of that form ("Jane Roe <jr@example.org>") are further
// holders of it. Other rights listed beside copyright ("PATENT,
// COPYRIGHT, TRADE SECRET OR OTHER ...") and the copyright of a license
// document ("This License is Copyright (c) 2005 ...") are no statements.
func Copyrights(text []byte) (statements, holders []string) {
	return CopyrightsAsOf(text, time.Now().Year())
}

// CopyrightsAsOf is Copyrights for a text read in the given year: a
// year later than the next one is not a year, so that "(c) 2090 ..."
// (a "(c)" needs a year) is no statement; "Copyright 2099 Foo" (the
// word, or "©") still names its holder.
func CopyrightsAsOf(text []byte, year int) (statements, holders []string) {
	if !hasCopyrightMarker(text) {
		return nil, nil
	}
	lines := splitLines(text)
	held := false      // the line above ended with a statement that has a holder
	addressed := false // and an address after that holder
	for i := 0; i < len(lines); i++ {
		line := cleanLine(lines[i])
		if line == "" {
			held = false
			continue
		}
		if held && (startsWithYear(line) || addressed && nameAddressLine(line)) && !hasCopyrightMarker([]byte(line)) {
			// "Copyright: 2008-2010, Torsten Werner,\n  2009, Ludovic
			// Claude": each line of years is a statement of its own; so
			// is each line of a name and an address under a statement of
			// that form ("Copyright (C) 2000 Jane Roe <jr@example.org>\n
			// John Doe <jd@example.org>"), where under a company's
			// statement such a line names its author.
			line = "Copyright " + line
		}
		held = false
		for _, st := range statementsInLine(line, lines, i, year+1) {
			if licenseDocumentCopyright(lines, i) {
				continue
			}
			statements = appendUnique(statements, st.statement)
			if st.holder != "" {
				holders = appendUnique(holders, st.holder)
			}
			held = st.holder != "" && !st.joined
			addressed = held && hasAddress(st.statement)
		}
	}
	return statements, holders
}

// nameAddressLine reports whether a cleaned line is a name and an e-mail
// address in angle brackets alone, years may follow ("John Doe
// <jd@example.org>", "Jane Roe <jr [at] example.org>, 2007 - 2010"): a
// line of a list of holders.
func nameAddressLine(line string) bool {
	i := strings.IndexByte(line, '<')
	j := strings.IndexByte(line, '>')
	if i <= 0 || j < i || !hasAddress(line) {
		return false
	}
	if after := strings.TrimLeft(line[j+1:], " ,"); after != "" && !startsWithYear(after) {
		return false
	}
	words := strings.Fields(line[:i])
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !nameConnectors[w] || strings.ContainsAny(w, ":;\"()[]{}=/\\") {
			return false
		}
	}
	return true
}

// hasAddress reports whether s holds an e-mail address in angle brackets
// ("<jd@example.org>", "<jd [at] example.org>").
func hasAddress(s string) bool {
	i := strings.IndexByte(s, '<')
	if i < 0 {
		return false
	}
	j := strings.IndexByte(s[i:], '>')
	if j < 0 {
		return false
	}
	addr := strings.ToLower(s[i : i+j])
	return strings.Contains(addr, "@") || strings.Contains(addr, "[at]") || strings.Contains(addr, " at ")
}

// startsWithYear reports whether a cleaned line starts with a year.
func startsWithYear(line string) bool {
	_, n := yearAt(line, 0)
	return n > 0 || strings.HasPrefix(line, "????")
}

// authorLeads introduce the holder of a statement: "Copyright 2002 by
// Jane Roe", "COPYRIGHT: Written by Jane Roe, 2011". Written alone,
// "Written by" names an author, not a holder, and starts no statement.
var authorLeads = []string{"written by ", "by "}

// authorLead returns the length of an author lead ("by ", "Written by
// ") at the start of s, 0 if there is none.
func authorLead(s string) int {
	for _, l := range authorLeads {
		if _, ok := cutPrefixFold(s, l); ok {
			return len(l)
		}
	}
	return 0
}

// onlyConnectors reports whether a holder is nothing but words that lead
// to one ("by", "by the", "the"): a line ending before its holder.
func onlyConnectors(h string) bool {
	f := strings.Fields(strings.ToLower(h))
	for _, w := range f {
		if w != "by" && w != "the" && w != "written" {
			return false
		}
	}
	return len(f) > 0
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// hasCopyrightMarker is a fast check for any statement marker.
func hasCopyrightMarker(text []byte) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case 'c', 'C':
			if i+9 <= len(text) && asciiEqualFold(text[i:i+9], "copyright") {
				return true
			}
		case '(':
			if i+3 <= len(text) && (text[i+1] == 'c' || text[i+1] == 'C') && text[i+2] == ')' {
				return true
			}
		case 0xC2:
			if i+1 < len(text) && text[i+1] == 0xA9 {
				return true
			}
		case '&':
			if i+6 <= len(text) && asciiEqualFold(text[i:i+6], "&copy;") {
				return true
			}
		}
	}
	return false
}

func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func splitLines(text []byte) []string {
	s := string(text)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(s, "\n")
}

// cleanLine drops comment markers and surrounding white space.
func cleanLine(s string) string {
	for {
		n := len(s)
		i := 0
		for i < len(s) && strings.IndexByte(" \t\r/*#;!%|>-'\"", s[i]) >= 0 {
			i++
		}
		s = s[i:]
		for _, p := range []string{"<!--", "(*", "{-", "dnl ", "REM ", "rem ", "::"} {
			s = strings.TrimPrefix(s, p)
		}
		s = strings.TrimSuffix(s, "-->")
		j := len(s)
		for j > 0 && strings.IndexByte(" \t\r*/#-\"", s[j-1]) >= 0 {
			j--
		}
		if j < len(s) && j > 0 && s[j-1] == ')' && s[j] == '*' {
			j-- // "*)" closer
		}
		s = s[:j]
		if len(s) == n {
			return s
		}
	}
}

type statement struct {
	statement, holder string
	joined            bool // the statement goes on over the next line
}

// markerAt reports the length of a copyright marker at s[i:], and whether
// it is the word "copyright" (as opposed to a symbol).
func markerAt(s string, i int) (n int, word bool) {
	rest := s[i:]
	switch {
	case len(rest) >= 9 && strings.EqualFold(rest[:9], "copyright"):
		if len(rest) > 9 && (unicode.IsLetter(rune(rest[9])) && rest[9] < 0x80) {
			if by, ok := cutPrefixFold(rest[9:], "ed by "); ok && by != "" && (i == 0 || !isWordByte(s[i-1])) {
				return len("copyrighted"), true // "copyrighted by Jane Roe"
			}
			if len(rest) >= 10 && (rest[9] == 's' || rest[9] == 'S') && (len(rest) == 10 || !isWordByte(rest[10])) {
				return 0, false // "copyrights"
			}
			return 0, false // "copyrighted"
		}
		if i > 0 && isWordByte(s[i-1]) {
			return 0, false // "SPDX-FileCopyrightText" is handled elsewhere
		}
		return 9, true
	case strings.HasPrefix(rest, "©"):
		return len("©"), false
	case len(rest) >= 3 && rest[0] == '(' && (rest[1] == 'c' || rest[1] == 'C') && rest[2] == ')':
		return 3, false
	case len(rest) >= 6 && strings.EqualFold(rest[:6], "&copy;"):
		return 6, false
	}
	return 0, false
}

// statementsInLine finds the statements starting on a cleaned line.
// lines and i give access to following lines for multi-line holders.
func statementsInLine(line string, lines []string, i, maxYear int) []statement {
	var out []statement
	if v, ok := cutPrefixFold(line, "spdx-filecopyrighttext:"); ok {
		v = strings.TrimSpace(v)
		if n, _ := markerAt(v, 0); n == 0 {
			v = "Copyright " + v
		}
		line = v
	}
	pos := 0
	for pos < len(line) {
		m := -1
		var n int
		var isWord bool
		for j := pos; j < len(line); j++ {
			if c := line[j]; c != 'c' && c != 'C' && c != '(' && c != 0xC2 && c != '&' {
				continue // no marker starts here (see markerAt)
			}
			if n, isWord = markerAt(line, j); n > 0 {
				m = j
				break
			}
		}
		if m < 0 {
			break
		}
		st, end, ok := parseStatement(line, m, lines, i, maxYear)
		_ = isWord
		if ok {
			out = append(out, st)
			pos = max(end, m+n)
		} else {
			pos = m + n
		}
	}
	return out
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// holderStopWords cannot start a holder: they show prose ("Copyright
// notice", "copyright holders", "Copyright law").
var holderStopWords = map[string]bool{
	"notice": true, "notices": true, "holder": true, "holders": true, "owner": true,
	"owners": true, "law": true, "laws": true, "act": true, "license": true, "licence": true,
	"statement": true, "statements": true, "protection": true, "policy": true,
	"information": true, "disclaimer": true, "agreement": true, "office": true,
	"claim": true, "claims": true, "infringement": true, "terms": true, "page": true,
	"and": true, "or": true, "for": true, "to": true, "in": true, "on": true, "of": true,
	"is": true, "are": true, "rights": true, "year": true, "years": true, "yyyy": true,
	"name": true, "your": true, "our": true, "this": true, "that": true, "these": true,
	"those": true, "see": true, "may": true, "must": true, "shall": true, "will": true,
	"has": true, "have": true, "not": true, "no": true, "as": true, "interest": true,
	"status": true, "permission": true, "and/or": true, "date": true, "text": true,
	"line": true, "lines": true, "header": true, "headers": true, "message": true,
	"symbol": true, "sign": true, "file": true, "files": true, "string": true,
	"assignment": true, "assignments": true, "ownership": true, "holder's": true,
	"holders'": true, "owner's": true, "was": true, "were": true, "be": true, "if": true,
	"it": true, "its": true, "with": true, "from": true, "at": true, "all": true,
	"any": true, "each": true, "such": true, "other": true, "under": true, "over": true,
	"applies": true, "does": true, "do": true, "can": true, "cannot": true, "law.": true,
	"treaties": true, "treaty": true, "registration": true, "violation": true,
	"description": true, "details": true, "attribution": true, "and/": true,
	"the": true, "a": true, "an": true, "by": true, "here": true, "below": true,
	"above": true, "years.": true, "placeholder": true, "template": true, "field": true,
	"fields": true, "waiver": true, "only": true, "remains": true, "retained": true,
	// other rights listed beside copyright ("ANY PATENT, COPYRIGHT, TRADE
	// SECRET OR OTHER PROPRIETARY RIGHT"), and "Copyright Licenses"
	"patent": true, "patents": true, "trademark": true, "trademarks": true, "trade": true,
	"moral": true, "database": true, "licenses": true, "licences": true,
	"pd": true, "none": true, // "Copyright: PD; Originally written by ..."
}

// parseStatement parses a statement whose marker starts at line[m].
// It returns the statement, the end offset in line, and whether it is one.
func parseStatement(line string, m int, lines []string, li, maxYear int) (statement, int, bool) {
	prefix := strings.TrimSpace(line[:m])
	if licenseSubject(prefix) {
		return statement{}, 0, false
	}
	k := m
	hasWord, hasSymbol := false, false
	byHolder := false // "copyrighted by": a holder follows
	var years []string
	for {
		for k < len(line) && (line[k] == ' ' || line[k] == '\t' || line[k] == ',' || line[k] == ':') {
			k++
		}
		if n, w := markerAt(line, k); n > 0 {
			if w {
				hasWord = true
				if n == len("copyrighted") {
					if !ownWorkCopyrighted(lines, li, prefix) {
						return statement{}, 0, false
					}
					byHolder = true
				}
			} else {
				hasSymbol = true
			}
			k += n
			continue
		}
		if y, n := yearAt(line, k); n > 0 {
			if yearValue(y) <= maxYear {
				years = append(years, y)
			} // else a number where a year goes, but no year
			k += n
			continue
		}
		if n := shortYearAt(line, k, years); n > 0 {
			years = append(years, line[k:k+n])
			k += n
			continue
		}
		break
	}
	// A statement starts a line or a sentence; in the middle of prose it
	// needs a year ("... portions copyright 2010 Foo").
	if prefix != "" && len(years) == 0 && !byHolder {
		last := prefix[len(prefix)-1]
		if !strings.ContainsRune(".:;,([", rune(last)) && !startsStatementPrefix(prefix) {
			return statement{}, 0, false
		}
	}
	if !hasWord && len(years) == 0 && !strings.Contains(line[m:min(len(line), m+3)], "©") {
		return statement{}, 0, false // a bare "(c)" needs a year
	}
	k += authorLead(line[k:])
	rest := line[k:]
	holder, used := cutHolder(rest)
	afterBy := onlyConnectors(holder)
	if afterBy {
		// "copyright (c) 1994 by the\n Regents of ...": the holder is
		// on the next line.
		holder = ""
	}
	end := k + used
	stmt := strings.TrimSpace(line[m:end])
	joined := false
	// Multi-line holders: after years alone, after a trailing comma or
	// "and", or when the next line ends the statement ("... All rights
	// reserved.").
	if holder == "" && len(years) > 0 {
		if name := holderBefore(prefix); name != "" {
			// "Rusty Russell (C) 2000": the holder before the marker.
			holder = name
			stmt = name + " " + stmt
		}
	}
	// A holder wrapped over several lines ("World Wide Web Consortium,
	// (Massachusetts Institute of\nTechnology, ...,\nKeio University)")
	// is joined a line at a time, at most maxHolderLines.
	for j := li; j < li+maxHolderLines; j++ {
		endsLine := j == li && used == len(rest) && holder != ""
		wraps := holder == "" && len(years) > 0 || endsContinued(holder) ||
			endsLine && (nextEndsStatement(lines, j) || parenthesizedNext(lines, j))
		filled := !wraps && endsLine && filledLine(lines[li]) && endsWithLetter(holder)
		if !wraps && !filled {
			break
		}
		next, ok := continuationLine(lines, j, afterBy)
		if !ok || holder != "" && startsWithYear(next) {
			break
		}
		rest := skipYears(next, maxYear)
		h2, u2 := cutHolder(rest)
		if h2 == "" || filled && (u2 < len(rest) || !nameWords(h2)) {
			// A line filled to its width goes on with the rest of its
			// name, not with a sentence.
			break
		}
		joined = true
		if holder == "" {
			holder = h2
		} else {
			holder = holder + " " + h2
		}
		stmt = stmt + " " + strings.TrimSpace(next[:len(next)-len(rest)]+" "+h2)
	}
	holder = cleanHolder(holder)
	stmt = trimStatement(collapseSpace(stmt))
	if holder == "" && len(years) == 0 {
		return statement{}, 0, false
	}
	if isTemplate(holder) || isTemplate(stmt[min(len(stmt), 9):]) {
		return statement{}, 0, false
	}
	holder = trimHolderStart(holder)
	holder = holder[authorLead(holder):]
	if startsStatementPrefix(holder) && !strings.Contains(holder, " ") {
		holder = "" // "Copyright: Portions Copyright (c) 1996 ...": the statement follows
	}
	if byHolder {
		holder = strings.TrimPrefix(holder, "the ") // "copyrighted by the Free Software Foundation"
	}
	if holder != "" {
		if !validHolderStart(holder) {
			return statement{}, 0, false
		}
		first, _, _ := strings.Cut(holder, " ")
		first = strings.ToLower(strings.Trim(first, ",.;:()\"'`"))
		first = strings.TrimSuffix(first, "(s") // "Copyright Holder(s)", license prose
		r, _ := utf8.DecodeRuneInString(holder)
		if len(years) == 0 {
			if holderStopWords[first] && !(first == "the" && unicode.IsUpper(r)) {
				return statement{}, 0, false
			}
			if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !hasSymbol {
				return statement{}, 0, false
			}
			if !unicode.IsUpper(r) && !unicode.IsDigit(r) && r < 0x80 && !unicode.IsLetter(r) {
				return statement{}, 0, false
			}
		} else if holderStopWords[first] && first != "the" && first != "by" && first != "a" && first != "an" {
			return statement{}, 0, false
		}
	}
	return statement{statement: stmt, holder: holder, joined: joined}, end, true
}

// maxHolderLines is the most lines a holder is joined from.
const maxHolderLines = 3

// relativeWords, before "copyrighted by" in its sentence, make it speak
// of some work, not of the text's own ("For software which is
// copyrighted by the Free Software Foundation, write to ...").
var relativeWords = map[string]bool{
	"which": true, "that": true, "whose": true, "if": true, "for": true, "when": true,
	"where": true, "unless": true, "any": true, "other": true, "not": true,
}

// ownWorkCopyrighted reports whether "copyrighted by" after prefix (the
// words before it on line li) states who holds the text's own work
// ("This software is copyrighted by ..."): no relative or conditional
// word comes before it in its sentence, read back over the line above.
func ownWorkCopyrighted(lines []string, li int, prefix string) bool {
	before := prefix
	if li > 0 && !strings.ContainsAny(prefix, ".;:") {
		before = cleanLine(lines[li-1]) + " " + prefix
	}
	if i := strings.LastIndexAny(before, ".;:"); i >= 0 {
		before = before[i+1:]
	}
	for _, w := range strings.Fields(strings.ToLower(before)) {
		if relativeWords[strings.Trim(w, ",()\"'")] {
			return false
		}
	}
	return true
}

// yearValue returns the first year of a year or range ("2019-2024":
// 2019), 0 for "????".
func yearValue(y string) int {
	n := 0
	for i := 0; i < len(y) && i < 4 && isDigit(y[i]); i++ {
		n = n*10 + int(y[i]-'0')
	}
	return n
}

// shortYearAt returns the length of a year written with its last two
// digits in a list after a full year ("1996,97,98"), or of "????" (an
// unknown year), at s[i:]; 0 if there is none.
func shortYearAt(s string, i int, years []string) int {
	if strings.HasPrefix(s[i:], "????") {
		return 4
	}
	if len(years) == 0 || i == 0 || s[i-1] != ',' && s[i-1] != ' ' {
		return 0
	}
	if i+2 <= len(s) && isDigit(s[i]) && isDigit(s[i+1]) && (i+2 == len(s) || !isWordByte(s[i+2])) {
		return 2
	}
	return 0
}

// skipYears drops the years (and their commas) that start a line: the
// rest of a year list wrapped over lines ("2006, 2007, 2008 Free
// Software Foundation, Inc.").
func skipYears(line string, maxYear int) string {
	k := 0
	for {
		for k < len(line) && (line[k] == ' ' || line[k] == '\t' || line[k] == ',') {
			k++
		}
		y, n := yearAt(line, k)
		if n == 0 || yearValue(y) > maxYear {
			return line[k:]
		}
		k += n
	}
}

// holderBefore returns the holder written before the marker of a
// statement ("Rusty Russell (C) 2000"): a short run of capitalized
// words, or "".
func holderBefore(prefix string) string {
	prefix = strings.TrimRight(prefix, " ,")
	words := strings.Fields(prefix)
	if len(words) == 0 || len(words) > 6 || startsStatementPrefix(prefix) || holderStopWords[strings.ToLower(words[0])] {
		return ""
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !nameConnectors[w] || strings.ContainsAny(w, ":;\"'`()[]{}<>=/\\") {
			return ""
		}
	}
	return prefix
}

// nameConnectors are lower-case words inside names ("Bank of America",
// "Guido van Rossum").
var nameConnectors = map[string]bool{
	"of": true, "and": true, "&": true, "the": true, "de": true, "van": true, "von": true,
	"der": true, "den": true, "da": true, "du": true, "la": true, "le": true, "y": true,
}

// validHolderStart reports whether a holder starts as a name does: with
// a letter or a digit, and not with a number alone ("2087 Future Corp":
// a year too far ahead to be one).
func validHolderStart(h string) bool {
	r, _ := utf8.DecodeRuneInString(h)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	first, _, _ := strings.Cut(h, " ")
	return strings.Trim(first, "0123456789,") != ""
}

// trimHolderStart drops what comes before a holder's name: dashes and
// numbers left of a mistyped year range ("-8, Graham Barr", "- Paolo
// Maggi", "20109 The Chromium Authors").
func trimHolderStart(h string) string {
	for {
		t := strings.TrimLeft(h, "-–—,;: ")
		if first, rest, ok := strings.Cut(t, " "); ok && strings.Trim(first, "0123456789,-") == "" {
			t = rest
		}
		if t == h {
			return h
		}
		h = t
	}
}

// startsStatementPrefix allows words that introduce statements, as in
// "Portions Copyright 2010 ...", "Original code copyright ...".
func startsStatementPrefix(prefix string) bool {
	p := strings.ToLower(prefix)
	for _, s := range []string{"portions", "portions are", "parts", "some parts", "original", "modifications", "modified work", "original work", "changes"} {
		if p == s || strings.HasSuffix(p, " "+s) {
			return true
		}
	}
	return false
}

// yearAt parses a year, a year range or a two-digit range end at s[i:]:
// "2019", "2019-2024", "2019 - 2024", "2019–24", "2019-present", "2019+".
func yearAt(s string, i int) (string, int) {
	if !isYear(s, i) {
		return "", 0
	}
	j := i + 4
	// range
	k := j
	for k < len(s) && s[k] == ' ' {
		k++
	}
	dash := 0
	switch {
	case k < len(s) && (s[k] == '-' || s[k] == '~' || s[k] == '/'):
		dash = 1
	case strings.HasPrefix(s[k:], "to ") && isYear(s, k+3):
		dash = 2 // "1997 to 1999"
	case strings.HasPrefix(s[k:], "–"), strings.HasPrefix(s[k:], "—"):
		dash = len("–")
	}
	if dash > 0 {
		e := k + dash
		for e < len(s) && s[e] == ' ' {
			e++
		}
		switch {
		case isYear(s, e):
			j = e + 4
		case e+2 <= len(s) && isDigit(s[e]) && isDigit(s[e+1]) && (e+2 == len(s) || !isDigit(s[e+2])):
			j = e + 2
		default:
			for _, w := range []string{"present", "now", "today", "current"} {
				if r, ok := cutPrefixFold(s[e:], w); ok && (r == "" || !isWordByte(r[0])) {
					j = e + len(w)
					break
				}
			}
		}
	}
	if dash == 0 && j < len(s) && s[j] == '+' {
		j++ // "2003+": that year and the following ones
	}
	return s[i:j], j - i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isYear(s string, i int) bool {
	if i+4 > len(s) || !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') {
		return false
	}
	if !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return false
	}
	if i+4 < len(s) && (isWordByte(s[i+4]) && !(s[i+4] >= 'a' && s[i+4] <= 'z' && false)) {
		return false
	}
	return i == 0 || !isWordByte(s[i-1])
}

// abbreviations keep their period at the end of a holder.
var abbreviations = map[string]bool{
	"inc": true, "ltd": true, "co": true, "corp": true, "llc": true, "jr": true, "sr": true,
	"gmbh": true, "plc": true, "pty": true, "lp": true, "sa": true, "bv": true, "nv": true,
	"ag": true, "ev": true, "srl": true, "sl": true, "kk": true, "ab": true, "oy": true,
	"s.a": true, "b.v": true, "n.v": true, "e.v": true, "l.p": true, "l.l.c": true, "st": true,
	"dr": true, "mr": true, "mrs": true, "ms": true, "prof": true, "al": true, "etc": true,
}

// endsWithAbbrev reports whether s (ending just before a '.') ends with
// an abbreviation or an initial.
func endsWithAbbrev(s string) bool {
	i := strings.LastIndexAny(s, " \t,(")
	w := strings.ToLower(s[i+1:])
	if abbreviations[w] {
		return true
	}
	return isInitials(w) // initials "J." and "J.T."
}

// isInitials reports whether w is one letter or letters joined by dots
// ("j", "j.t"), the last dot excluded.
func isInitials(w string) bool {
	for _, part := range strings.Split(w, ".") {
		r, n := utf8.DecodeRuneInString(part)
		if n == 0 || n != len(part) || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// cutHolder returns the holder at the start of s and the bytes used:
// it stops at "All rights reserved", at a sentence end, at "Licensed"
// and similar license wording.
func cutHolder(s string) (string, int) {
	end := len(s)
	lower := strings.ToLower(s)
	for _, stop := range []string{"all rights reserved", " under the ", ", and are ", " and are distributed", " and is distributed", "some rights reserved", "licensed under", "released under", "distributed under", "placed under", "placed in the public domain", "use of this", "see the ", "this program", "this file", "this software", "this library", "spdx-license-identifier", "permission is hereby", "redistribution and use", "unless otherwise", ", see ", "(see "} {
		if i := strings.Index(lower, stop); i >= 0 && i < end {
			end = i
		}
	}
	// the end of a string literal: an escape ("\\n", "\\\"", "\\251"),
	// a quote that no quote before it opens, a backquote, "]]>"
	open := false // inside a quoted nickname ('Foo "Bar" Baz')
	for i := 0; i < end; i++ {
		c := s[i]
		switch {
		case c == '`' && quotedNickname(s, i) > 0:
			i += quotedNickname(s, i) - 1 // "Paul ``Rusty'' Russell"
		case c == '\\' && i+1 < len(s) && (isWordByte(s[i+1]) || s[i+1] == '"' || s[i+1] == '\\'),
			c == '`', c == ']' && strings.HasPrefix(s[i:], "]]>"):
			end = i
		case c == '"' && (i == 0 || s[i-1] == ' ') && i+1 < len(s) && isWordByte(s[i+1]):
			open = true
		case c == '"' && open:
			open = false
		case c == '"':
			end = i
		}
	}
	end = min(end, afterAddress(s), nextMarker(s))
	// sentence end
	for i := 0; i < end; i++ {
		if s[i] == '.' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') && i+1 < end {
			if !endsWithAbbrev(s[:i]) {
				end = i + 1
				break
			}
		}
		if s[i] == ';' {
			end = i
			break
		}
	}
	h := strings.TrimSpace(s[:end])
	return h, end
}

// quotedNickname returns the length of a nickname quoted TeX-style
// inside a name at s[i:] ("“Rusty”" in "Paul “Rusty” Russell",
// "`Rusty'"): backquotes after a space, one word, as many closing
// apostrophes, then a space and the rest of the name; 0 if there is none
// (a backquote that ends a string literal).
func quotedNickname(s string, i int) int {
	if i == 0 || s[i-1] != ' ' {
		return 0
	}
	q := 0
	for i+q < len(s) && s[i+q] == '`' {
		q++
	}
	j := i + q
	for j < len(s) && (isWordByte(s[j]) || s[j] == '-' || s[j] == '.') {
		j++
	}
	if j == i+q || q > 2 || !strings.HasPrefix(s[j:], strings.Repeat("'", q)+" ") {
		return 0
	}
	j += q + 1
	if r, _ := utf8.DecodeRuneInString(s[j:]); !unicode.IsUpper(r) {
		return 0
	}
	return j - i
}

// nextMarker returns where the next statement of a line starts inside a
// holder ("Charlie Poole or Copyright (c) 2002-2004 James W. Newkirk",
// "Foo, Portions Copyright 1996 Bar"), or len(s): a "Copyright" or "©"
// that a year or another marker follows, not the word in prose ("the
// adduser's copyright holder").
func nextMarker(s string) int {
	for i := 1; i < len(s); i++ {
		n, word := markerAt(s, i)
		if n == 0 || !word && s[i] == '(' || !isWordBreak(s, i) {
			continue
		}
		k := i + n
		for k < len(s) && strings.IndexByte(" \t,:", s[k]) >= 0 {
			k++
		}
		if m, _ := markerAt(s, k); m > 0 || startsWithYear(s[k:]) {
			return i
		}
	}
	return len(s)
}

// isWordBreak reports whether s[i] starts a word: s[i-1] is not a word
// byte.
func isWordBreak(s string, i int) bool {
	return i == 0 || !isWordByte(s[i-1])
}

// afterAddress returns where a holder ends after an e-mail address in
// angle brackets that words other than another holder follow ("Clint
// Adams <schizo@debian.org>  Mon, 10 Mar 2003"), or len(s).
func afterAddress(s string) int {
	off := 0
	for {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return len(s)
		}
		i += off
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return len(s)
		}
		j += i + 1
		if !strings.Contains(s[i:j], "@") {
			off = j
			continue
		}
		rest := strings.TrimLeft(s[j:], " \t")
		r, _ := utf8.DecodeRuneInString(rest)
		if rest == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r) || rest == "and" || strings.HasPrefix(rest, "and ") {
			off = j
			continue
		}
		return j
	}
}

// endsContinued reports whether a holder continues on the next line.
func endsContinued(h string) bool {
	h = strings.TrimSpace(h)
	return strings.HasSuffix(h, ",") || strings.HasSuffix(h, " and") || strings.HasSuffix(h, "&") ||
		strings.HasSuffix(h, " of") || strings.Count(h, "(") > strings.Count(h, ")")
}

// nextEndsStatement reports whether the line after li ends with "All
// rights reserved", as a wrapped holder does.
func nextEndsStatement(lines []string, li int) bool {
	if li+1 >= len(lines) {
		return false
	}
	l := strings.ToLower(cleanLine(lines[li+1]))
	return strings.HasSuffix(strings.TrimRight(l, ". "), "all rights reserved")
}

// filledLine reports whether a line is filled to a usual wrap width, so
// that a statement at its end may go on over the next line
// ("Copyright (C) 1993, ..., 2015-2021 Free\n   Software Foundation,
// Inc.").
func filledLine(line string) bool {
	return utf8.RuneCountInString(strings.TrimRight(line, " \t\r")) >= minFilledWidth
}

// nameWords reports whether every word of s is written as in a name: a
// capital or a digit first, or a connector ("Software Foundation, Inc.",
// "Physics and Astronomy Research Council"; not "Not derived from
// licensed software").
func nameWords(s string) bool {
	for _, w := range strings.Fields(s) {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "(\"'"))
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !nameConnectors[w] {
			return false
		}
	}
	return true
}

// endsWithLetter reports whether s ends with a letter: a name cut at a
// line's end, not one closed by a period or an address.
func endsWithLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r)
}

// minFilledWidth is the least width of a line filled by a text editor
// (their wrap widths are 72 to 80 columns).
const minFilledWidth = 70

// parenthesizedNext reports whether the line after li is a parenthesized
// text alone, which adds to a holder that ends line li ("Copyright (C)
// 2006 NTT\n(Nippon Telegraph and Telephone Corporation).").
func parenthesizedNext(lines []string, li int) bool {
	if li+1 >= len(lines) {
		return false
	}
	l := strings.TrimRight(cleanLine(lines[li+1]), ".,")
	return strings.HasPrefix(l, "(") && strings.HasSuffix(l, ")") && strings.Count(l, "(") == strings.Count(l, ")")
}

// continuationLine returns the next line when it can hold the rest of a
// holder: short, no marker, not license prose; it starts with a capital,
// a digit or an opening parenthesis, or with any letter after a line that
// ends with "by" (lower).
func continuationLine(lines []string, i int, lower bool) (string, bool) {
	if i+1 >= len(lines) {
		return "", false
	}
	next := cleanLine(lines[i+1])
	if next == "" || len(skipYears(next, 9999)) > 100 {
		return "", false
	}
	if hasCopyrightMarker([]byte(next)) {
		// "James W. Newkirk, Michael C. Two or Copyright (c)": the rest
		// of a holder, then a statement of its own.
		m := nextMarker(next)
		if n, _ := markerAt(next, 0); n > 0 || m == len(next) {
			return "", false
		}
		next = strings.TrimSpace(next[:m])
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(next, "("))
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !(lower && unicode.IsLetter(r)) {
		return "", false
	}
	low := strings.ToLower(strings.TrimPrefix(next, "("))
	for _, p := range []string{"all rights", "licensed", "license", "licence", "permission", "this ", "use ", "redistribution", "see ", "spdx", "released", "distributed", "you ", "the above", "the software", "the program", "unless", "author", "written by", "http", "version", "synopsis", "package", "module", "file", "contains", "includes", "implements", "provides", "description", "note", "all ", "in ", "it ", "if ", "for ", "a ", "an "} {
		if strings.HasPrefix(low, p) {
			return "", false
		}
	}
	return next, true
}

// cleanHolder drops e-mail addresses, URLs and trailing punctuation.
func cleanHolder(h string) string {
	h = removeBracketed(h, '<', '>')
	h = removeBracketedIf(h, '(', ')', func(s string) bool {
		return strings.Contains(s, "@") || strings.Contains(s, "://") || strings.HasPrefix(strings.ToLower(s), "www.")
	})
	var keep []string
	for _, f := range strings.Fields(h) {
		if strings.Contains(f, "@") || strings.Contains(f, "://") || strings.HasPrefix(strings.ToLower(f), "www.") {
			continue
		}
		keep = append(keep, f)
	}
	// "Jane Roe <jr@example.org>, Acme", "Jane Roe, <jr@example.org>, et al."
	h = strings.ReplaceAll(strings.Join(keep, " "), " ,", ",")
	for strings.Contains(h, ",,") {
		h = strings.ReplaceAll(h, ",,", ",")
	}
	for {
		t := strings.TrimSpace(strings.TrimRight(h, ",;:-–—/|*(["))
		t = trimLastWord(t, "and", "or", "portions", "all rights") // before a statement, or "All Rights\nReserved"
		for _, verb := range []string{" is", " are", " was", " were"} {
			t = strings.TrimSpace(strings.TrimSuffix(t, verb)) // "copyrighted by Foo is licensed ..."
		}
		if strings.HasSuffix(t, ")") && !strings.Contains(t, "(") {
			t = strings.TrimSpace(strings.TrimSuffix(t, ")"))
		}
		if strings.HasSuffix(t, ".") && !endsWithAbbrev(t[:len(t)-1]) {
			t = strings.TrimSuffix(t, ".")
		}
		t = strings.TrimSpace(t)
		if t == h {
			break
		}
		h = t
	}
	if r, ok := cutPrefixFold(h, "by "); ok {
		h = r
	}
	// Trailing years: "Copyright Jane Roe 2015", "Jane Roe, 2014-2016".
	for {
		i := strings.LastIndexAny(h, " ,")
		if i < 0 {
			break
		}
		if y, n := yearAt(h, i+1); n == 0 || i+1+n != len(h) || y == "" {
			break
		}
		h = strings.TrimRight(h[:i], " ,-–") // "John Doe, 2007 - 2010"
	}
	return h
}

// trimLastWord drops the last words of h when they are one of words
// (lower case).
func trimLastWord(h string, words ...string) string {
	for _, w := range words {
		if len(h) > len(w) && h[len(h)-len(w)-1] == ' ' && strings.EqualFold(h[len(h)-len(w):], w) {
			return strings.TrimSpace(h[:len(h)-len(w)])
		}
	}
	return h
}

func removeBracketed(s string, open, close byte) string {
	for {
		i := strings.IndexByte(s, open)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], close)
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+1:]
	}
}

func removeBracketedIf(s string, open, close byte, drop func(string) bool) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], close)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if !drop(s[i+1 : i+j]) {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// trimStatement drops "All rights reserved." and trailing punctuation
// (keeping an abbreviation's period).
func trimStatement(s string) string {
	for {
		t := strings.TrimSpace(s)
		if i := strings.Index(strings.ToLower(t), "all rights reserved"); i >= 0 {
			t = strings.TrimSpace(t[:i])
		}
		t = trimLastWord(strings.TrimSpace(strings.TrimRight(t, ",;:-–—/|*")), "or")
		if strings.HasSuffix(t, ".") && !endsWithAbbrev(t[:len(t)-1]) {
			t = strings.TrimSuffix(t, ".")
		}
		if t == s {
			return t
		}
		s = t
	}
}

// isTemplate reports placeholder text such as "<year> <name of author>",
// "[yyyy] [name of copyright owner]", "{year} {fullname}", "19yy".
func isTemplate(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"<year>", "<name", "[yyyy]", "[year]", "{year}", "{yyyy}", "[name", "{name", "{fullname", "<owner", "[owner", "yyyy ", "19yy", "20xx", "<copyright", "[copyright", "name of author", "name of copyright", "<author", "[author", "{author", "$year", "${year", "%year", "{{year", "<insert", "[insert"} {
		if strings.Contains(l, p) {
			return true
		}
	}
	if strings.HasPrefix(l, "year ") || l == "year" || strings.HasPrefix(l, "yyyy") {
		return true
	}
	return false
}

// licenseSubject reports whether the words before a statement make a
// license document its subject ("This License is Copyright (c) 2005
// Lawrence Rosen"): the copyright of the license's text, not of the work.
func licenseSubject(prefix string) bool {
	p := strings.TrimSpace(strings.TrimSuffix(strings.ToLower(prefix), "copyright")) // before "(c)" of "Copyright (c)"
	for _, s := range []string{"license is", "licence is", "license document is"} {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

// licenseDocumentCopyright reports whether the statement on line i is the
// copyright of a license document (GNU licenses, for instance).
func licenseDocumentCopyright(lines []string, i int) bool {
	for j := i; j < len(lines) && j <= i+4; j++ {
		l := strings.ToLower(lines[j])
		if strings.Contains(l, "everyone is permitted to copy and distribute verbatim") ||
			strings.Contains(l, "of this license document") {
			return true
		}
	}
	return false
}

var _ = bytes.MinRead

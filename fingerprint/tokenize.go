package fingerprint

import (
	"bytes"
	"strings"
)

// Token is one lexical token of a source file. Comments and white space
// produce no tokens.
type Token struct {
	// Sym is the normalized symbol: SymIdent for identifiers, the hash of
	// the text for everything else (keywords, operators, literals). Two
	// copies of a program that differ only in names, layout and comments
	// have the same Syms.
	Sym uint32
	// Exact is the hash of the token's exact text, kept to tell a verbatim
	// copy from a modified one.
	Exact uint32
	// Off and End are the byte offsets of the token's first byte and of
	// the byte after its last.
	Off, End int32
	// Line and EndLine are the 1-based lines of the token's first and last
	// byte (they differ for multi-line string literals).
	Line, EndLine int32
}

// Symbols of the abstracted token classes, part of the fingerprint format
// (see Version). Identifiers are always abstracted. Literals are abstracted
// only with Params.AbstractLiterals: by default they keep their text, since
// renaming leaves them alone, tables of numbers or strings abstracted to
// one class all look alike, and code of a common shape is told apart by
// its strings.
const (
	SymIdent  uint32 = 0x49444e54 // "IDNT"
	SymString uint32 = 0x53545247 // "STRG"
	SymNumber uint32 = 0x4e554d42 // "NUMB"
)

// Character classes of the lexer's first-byte dispatch.
const (
	cOther = iota
	cSpace
	cNewline
	cIdent
	cDigit
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			t[c] = cSpace
		case c == '\n':
			t[c] = cNewline
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80:
			t[c] = cIdent
		case c >= '0' && c <= '9':
			t[c] = cDigit
		}
	}
	return t
}()

func isIdentByte(c byte) bool {
	k := charClass[c]
	return k == cIdent || k == cDigit
}

// Kinds of the previous token, used to tell a regular expression literal
// from a division.
const (
	kindNone = iota
	kindOperand
	kindClose
	kindOperator
	kindKeyword
)

// FNV-1a, 32 bits: cheap enough to run over every byte of every token.
const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

func hashBytes(b []byte) uint32 {
	h := uint32(fnvOffset32)
	for _, c := range b {
		h ^= uint32(c)
		h *= fnvPrime32
	}
	return h
}

func hashString(s string) uint32 {
	h := uint32(fnvOffset32)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime32
	}
	return h
}

func hashLower(b []byte) uint32 {
	h := uint32(fnvOffset32)
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint32(c)
		h *= fnvPrime32
	}
	return h
}

// Operators longer than one byte. opTable is indexed by the first two
// bytes: bit 1 marks a two-byte operator, bit 2 a longer one starting with
// those bytes.
var (
	longOps = []string{">>>=", "<<=", ">>=", "...", "**=", "//=", "===", "!==", "<=>", "&&=",
		"||=", "??=", ">>>", "&^=", "..="}
	shortOps = []string{"::", "->", "=>", "<-", ":=", "==", "!=", "<=", ">=", "&&", "||", "++",
		"--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**", "&^", "?.", "??",
		"..", "!~", "=~", "<>", "//", "|>"}
	opTable = func() *[65536]uint8 {
		var t [65536]uint8
		for _, op := range shortOps {
			t[int(op[0])<<8|int(op[1])] |= 1
		}
		for _, op := range longOps {
			t[int(op[0])<<8|int(op[1])] |= 2
		}
		return &t
	}()
)

// lexer holds the state of one tokenization.
type lexer struct {
	syn    *syntax
	src    []byte
	toks   []Token
	line   int32
	last   int  // kind of the previous token
	limit  int  // stop after this many tokens; 0 for no limit
	absLit bool // abstract literals to SymString and SymNumber
}

// Tokenize appends the tokens of src, read with the rules of lang, to dst
// and returns the extended slice. It never fails: malformed input (an
// unterminated string or comment, invalid UTF-8, NUL bytes) is tokenized
// as well as it can be.
func Tokenize(lang Lang, src []byte, dst []Token) []Token {
	return tokenize(syntaxTable[langOrText(lang)], src, dst, false)
}

// HeaderEnd returns the offset of the first token of src, past the
// preprocessor directives that open the file in languages that have them
// (the include guard and the includes of a C header, before its
// copyright comment): what precedes it is white space, comments and those
// directives. Directives after a comment end the header, as code does. It
// is len(src) if src has no such token. It costs a scan of the header
// only.
func HeaderEnd(lang Lang, src []byte) int {
	syn := syntaxTable[langOrText(lang)]
	return headerEnd(syn, src, firstToken(syn, src, 0))
}

// firstToken returns the offset of the first token of src at or after
// from, which starts a line or the file, or len(src).
func firstToken(syn *syntax, src []byte, from int) int {
	var one [1]Token
	lx := lexer{syn: syn, src: src[from:], toks: one[:0], line: 1, limit: 1}
	lx.run()
	if len(lx.toks) == 0 {
		return len(src)
	}
	return from + int(lx.toks[0].Off)
}

// headerEnd returns where the header of src ends, given the offset of its
// first token: past the preprocessor directives that open the file, up to
// the first comment.
func headerEnd(syn *syntax, src []byte, first int) int {
	from := 0
	for syn.directives && first < len(src) && src[first] == '#' && lineStartAt(src, first) && blank(src[from:first]) {
		from = directiveEnd(src, first)
		if from >= len(src) {
			return len(src)
		}
		first = firstToken(syn, src, from)
	}
	return first
}

// blank reports whether b is white space only.
func blank(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}

// lineStartAt reports whether only blanks precede src[i] on its line.
func lineStartAt(src []byte, i int) bool {
	for j := i - 1; j >= 0 && src[j] != '\n'; j-- {
		if src[j] != ' ' && src[j] != '\t' {
			return false
		}
	}
	return true
}

// directiveEnd returns the offset after the line break that ends the
// directive at src[i], lines continued by a backslash included.
func directiveEnd(src []byte, i int) int {
	for i < len(src) {
		if src[i] == '\n' && (i == 0 || src[i-1] != '\\') {
			return i + 1
		}
		i++
	}
	return len(src)
}

func langOrText(l Lang) Lang {
	if l >= numLangs {
		return Unknown
	}
	return l
}

func tokenize(syn *syntax, src []byte, dst []Token, absLit bool) []Token {
	lx := lexer{syn: syn, src: src, toks: dst, line: 1, absLit: absLit && syn.abstract}
	lx.run()
	return lx.toks
}

// run tokenizes the whole source with the rules of its syntax.
func (lx *lexer) run() {
	switch {
	case lx.syn.text:
		lx.words()
	case lx.syn.script != nil:
		lx.markup()
	default:
		lx.code(0)
	}
}

// emit appends a token. It applies the two structural normalizations that
// keep formatting out of the token stream: semicolons are dropped (they are
// optional in Go, JavaScript, Kotlin, Swift, Scala and Python), and a comma
// right before a closing bracket is dropped (trailing commas come and go
// with line breaks).
func (lx *lexer) emit(sym, exact uint32, start, end int, startLine int32, kind int) {
	if kind == kindClose && len(lx.toks) > 0 && lx.toks[len(lx.toks)-1].Sym == symComma {
		lx.toks = lx.toks[:len(lx.toks)-1]
	}
	lx.toks = append(lx.toks, Token{Sym: sym, Exact: exact, Off: int32(start), End: int32(end), Line: startLine, EndLine: lx.line})
	lx.last = kind
}

var (
	symComma = hashString(",")
	symOpen  = [3]uint32{hashString("("), hashString("["), hashString("{")}
	symClose = [3]uint32{hashString(")"), hashString("]"), hashString("}")}
)

// SymOf returns the Sym of a token whose text is s: a keyword or an
// operator ("func", "(").
func SymOf(s string) uint32 { return hashString(s) }

// Bracket reports whether the token opens (+1) or closes (-1) a bracket,
// or neither (0).
func (t Token) Bracket() int {
	for i := range symOpen {
		switch t.Sym {
		case symOpen[i]:
			return 1
		case symClose[i]:
			return -1
		}
	}
	return 0
}

// Matching returns the index of the bracket that closes the one at
// toks[i] (brackets of any kind counted alike), or -1 when it is not
// closed.
func Matching(toks []Token, i int) int {
	d := 0
	for j := i; j < len(toks); j++ {
		d += toks[j].Bracket()
		if d == 0 {
			return j
		}
	}
	return -1
}

// words tokenizes plain text: every run of letters and digits is a token,
// compared without case; punctuation and white space are ignored.
func (lx *lexer) words() {
	src := lx.src
	for i := 0; i < len(src); {
		if lx.limit > 0 && len(lx.toks) >= lx.limit {
			return
		}
		c := src[i]
		switch charClass[c] {
		case cNewline:
			lx.line++
			i++
		case cIdent, cDigit:
			start := i
			for i < len(src) && isIdentByte(src[i]) {
				i++
			}
			w := src[start:i]
			lx.emit(hashLower(w), hashBytes(w), start, i, lx.line, kindOperand)
		default:
			i++
		}
	}
}

// code tokenizes program text from offset i to the end of the source.
func (lx *lexer) code(i int) {
	src := lx.src
	n := len(src)
	lineStart := true // only white space since the last newline
	for i < n {
		if lx.limit > 0 && len(lx.toks) >= lx.limit {
			return
		}
		c := src[i]
		switch charClass[c] {
		case cSpace:
			i++
			continue
		case cNewline:
			lx.line++
			i++
			lineStart = true
			continue
		case cIdent:
			i = lx.ident(i)
		case cDigit:
			i = lx.number(i)
		default:
			i = lx.other(i, lineStart)
		}
		lineStart = false
	}
}

// ident lexes an identifier or keyword starting at i (or a prefixed string
// literal such as r"..." or u8"...").
func (lx *lexer) ident(i int) int {
	src, syn := lx.src, lx.syn
	start := i
	i++
	for i < len(src) {
		c := src[i]
		if isIdentByte(c) || (c == '$' && syn.dollarIdent) || (c == '\'' && syn.primeIdent) {
			i++
			continue
		}
		break
	}
	word := src[start:i]
	if syn.stringPrefix && i < len(src) && isStringPrefix(word) {
		q := src[i]
		if q == '"' || q == '\'' && !syn.lifetimes || q == '#' && syn.rawHash {
			if end, ok := lx.prefixedString(start, i); ok {
				lx.literal(start, end, lx.line, kindOperand)
				return end
			}
		}
	}
	var h uint32
	if syn.foldCase {
		h = hashLower(word)
	} else {
		h = hashBytes(word)
	}
	switch {
	case lx.isKeyword(h, word):
		lx.emit(h, h, start, i, lx.line, kindKeyword)
	case syn.abstract:
		lx.emit(SymIdent, hashBytes(word), start, i, lx.line, kindOperand)
	default:
		lx.emit(h, h, start, i, lx.line, kindOperand)
	}
	return i
}

func (lx *lexer) isKeyword(h uint32, word []byte) bool {
	if !lx.syn.foldCase {
		return lx.syn.keywords.has(h, word)
	}
	if len(word) > 32 {
		return false
	}
	var buf [32]byte
	for j, c := range word {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[j] = c
	}
	return lx.syn.keywords.has(h, buf[:len(word)])
}

// isStringPrefix reports whether word is a string-literal prefix in one of
// the languages that use stringPrefix (Python, C/C++, Rust, C#).
func isStringPrefix(word []byte) bool {
	if len(word) > 3 {
		return false
	}
	for _, c := range word {
		switch c {
		case 'r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', 'L', '8':
		default:
			return false
		}
	}
	return true
}

// prefixedString lexes a string literal whose prefix spans src[start:q]
// and returns the offset after it. It reports false if what follows the
// prefix is not a string after all (Rust's r#ident).
func (lx *lexer) prefixedString(start, q int) (int, bool) {
	src, syn := lx.src, lx.syn
	raw := false
	for _, c := range src[start:q] {
		if c == 'r' || c == 'R' {
			raw = true
		}
	}
	switch {
	case raw && syn.rawHash:
		// Rust raw string: r"..." or r#"..."# with any number of '#'.
		hashes := 0
		for q < len(src) && src[q] == '#' {
			hashes++
			q++
		}
		if q >= len(src) || src[q] != '"' {
			return 0, false
		}
		closer := "\"" + strings.Repeat("#", hashes)
		return lx.until(q+1, func(i int) int {
			if src[i] == '"' && hasPrefixAt(src, i, closer) {
				return len(closer)
			}
			return 0
		}), true
	case raw && syn.rawDelim && src[q] == '"':
		// C++ raw string: R"delim( ... )delim".
		d := q + 1
		for d < len(src) && d-q <= 17 && src[d] != '(' && src[d] != '\n' {
			d++
		}
		if d >= len(src) || src[d] != '(' {
			return lx.quoted(q, '"', false, false), true
		}
		closer := ")" + string(src[q+1:d]) + "\""
		return lx.until(d+1, func(i int) int {
			if src[i] == ')' && hasPrefixAt(src, i, closer) {
				return len(closer)
			}
			return 0
		}), true
	}
	return lx.stringAt(q, raw), true
}

// stringAt lexes the string literal whose opening quote is at q and
// returns the offset after it. raw disables backslash escapes.
func (lx *lexer) stringAt(q int, raw bool) int {
	src, syn := lx.src, lx.syn
	c := src[q]
	if syn.tripleQuote && q+2 < len(src) && src[q+1] == c && src[q+2] == c && (c == '"' || syn.singleQuote) {
		closer := string([]byte{c, c, c})
		return lx.until(q+3, func(i int) int {
			if src[i] == '\\' && !raw {
				return -2
			}
			if src[i] == c && hasPrefixAt(src, i, closer) {
				return 3
			}
			return 0
		})
	}
	return lx.quoted(q, c, raw, syn.multilineStr)
}

// quoted lexes a string delimited by quote starting at q. Unless multiline
// is set, an unescaped newline ends an unterminated literal, so one stray
// quote cannot swallow the rest of the file. With raw set, backslash is an
// ordinary byte.
func (lx *lexer) quoted(q int, quote byte, raw, multiline bool) int {
	src := lx.src
	for i := q + 1; i < len(src); i++ {
		switch c := src[i]; {
		case c == quote:
			return i + 1
		case c == '\\' && !raw:
			if i+1 < len(src) && src[i+1] == '\n' {
				lx.line++
			}
			i++
		case c == '\n':
			if !multiline {
				return i
			}
			lx.line++
		}
	}
	return len(src)
}

// verbatimString lexes a C# verbatim string (@"...", where "" is a quote)
// whose opening quote is at q.
func (lx *lexer) verbatimString(q int) int {
	src := lx.src
	for i := q + 1; i < len(src); i++ {
		switch src[i] {
		case '"':
			if i+1 < len(src) && src[i+1] == '"' {
				i++
				continue
			}
			return i + 1
		case '\n':
			lx.line++
		}
	}
	return len(src)
}

// until scans from i until stop reports a closing delimiter (returning its
// length), counting lines. A negative result skips that many bytes (an
// escape). It returns the offset after the delimiter, or len(src).
func (lx *lexer) until(i int, stop func(i int) int) int {
	src := lx.src
	for i < len(src) {
		if src[i] == '\n' {
			lx.line++
			i++
			continue
		}
		if k := stop(i); k > 0 {
			return i + k
		} else if k < 0 {
			if i+1 < len(src) && src[i+1] == '\n' {
				lx.line++
			}
			i += -k
			continue
		}
		i++
	}
	return len(src)
}

// number lexes a numeric literal starting at i (a digit, or a '.'
// followed by a digit): digits, letters (hex digits, suffixes, exponent
// markers), '_' separators, a decimal point, and a sign after an exponent.
func (lx *lexer) number(i int) int {
	src := lx.src
	start := i
	hex := i+1 < len(src) && src[i] == '0' && (src[i+1] == 'x' || src[i+1] == 'X')
	for i < len(src) {
		c := src[i]
		switch {
		case c < 0x80 && isIdentByte(c):
		case c == '.':
			// 1.5 and 1. continue the number; 1..2 and x.0.method do not.
			if i+1 < len(src) && (src[i+1] == '.' || charClass[src[i+1]] == cIdent) {
				goto done
			}
		case c == '+' || c == '-':
			p := src[i-1] | 0x20
			if !(p == 'e' && !hex || p == 'p' && hex) {
				goto done
			}
		default:
			goto done
		}
		i++
	}
done:
	h := hashBytes(src[start:i])
	if lx.absLit {
		lx.emit(SymNumber, h, start, i, lx.line, kindOperand)
		return i
	}
	lx.emit(h, h, start, i, lx.line, kindOperand)
	return i
}

// skipLine returns the offset of the newline ending the line at i.
func (lx *lexer) skipLine(i int) int {
	for i < len(lx.src) && lx.src[i] != '\n' {
		i++
	}
	return i
}

// blockComment skips a block comment whose opener (of length len(open))
// starts at i.
func (lx *lexer) blockComment(i int, open, close string, nested bool) int {
	src := lx.src
	depth := 1
	i += len(open)
	for i < len(src) {
		c := src[i]
		if c == '\n' {
			lx.line++
			i++
			continue
		}
		if c == close[0] && hasPrefixAt(src, i, close) {
			depth--
			i += len(close)
			if depth == 0 || !nested {
				return i
			}
			continue
		}
		if nested && c == open[0] && hasPrefixAt(src, i, open) {
			depth++
			i += len(open)
			continue
		}
		i++
	}
	return len(src)
}

func hasPrefixAt(src []byte, i int, s string) bool {
	return len(src)-i >= len(s) && string(src[i:i+len(s)]) == s
}

// other lexes comments, strings, and operators: everything that starts
// with a byte that is not a letter, digit or white space.
func (lx *lexer) other(i int, lineStart bool) int {
	src, syn := lx.src, lx.syn
	n := len(src)
	c := src[i]
	var next byte
	if i+1 < n {
		next = src[i+1]
	}
	switch c {
	case '/':
		if syn.slashComments && next == '/' {
			return lx.skipLine(i)
		}
		if syn.slashComments && next == '*' {
			return lx.blockComment(i, "/*", "*/", syn.nestedBlock)
		}
		if syn.regexLiteral && (lx.last == kindNone || lx.last == kindOperator || lx.last == kindKeyword) {
			if end, ok := lx.regex(i); ok {
				lx.literal(i, end, lx.line, kindOperand)
				return end
			}
		}
	case '#':
		if syn.hashComment && (!syn.hashWordStart || i == 0 || charClass[src[i-1]] == cSpace || charClass[src[i-1]] == cNewline || src[i-1] == ';') {
			return lx.skipLine(i)
		}
	case '-':
		if syn.dashComment && next == '-' {
			if syn.luaLong && i+2 < n && src[i+2] == '[' {
				if end, ok := lx.luaLongBracket(i + 2); ok {
					return end
				}
			}
			return lx.skipLine(i)
		}
	case '{':
		if syn.haskellBlock && next == '-' {
			return lx.blockComment(i, "{-", "-}", true)
		}
	case '<':
		if syn.angleHash && next == '#' {
			return lx.blockComment(i, "<#", "#>", false)
		}
	case '\\':
		if syn.lineStrings && next == '\\' {
			end := lx.skipLine(i)
			lx.literal(i, end, lx.line, kindOperand)
			return end
		}
	case ';':
		if syn.semiComment {
			return lx.skipLine(i)
		}
		// Semicolons carry no information once line breaks are ignored.
		lx.last = kindOperator
		return i + 1
	case '=':
		if syn.podBlocks && lineStart && charClass[next] == cIdent {
			return lx.podBlock(i)
		}
	case '[':
		if syn.luaLong && (next == '[' || next == '=') {
			line := lx.line
			if end, ok := lx.luaLongBracket(i); ok {
				lx.literal(i, end, line, kindOperand)
				return end
			}
		}
	case '"':
		line := lx.line
		end := lx.stringAt(i, false)
		lx.literal(i, end, line, kindOperand)
		return end
	case '\'':
		if syn.singleQuote {
			line := lx.line
			end := lx.stringAt(i, false)
			lx.literal(i, end, line, kindOperand)
			return end
		}
		if syn.charLiteral {
			if end, ok := lx.charLit(i); ok {
				lx.literal(i, end, lx.line, kindOperand)
				return end
			}
			if syn.lifetimes && charClass[next] == cIdent {
				// A Rust lifetime or label: 'a, 'static.
				j := i + 1
				for j < n && isIdentByte(src[j]) {
					j++
				}
				lx.emit(SymIdent, hashBytes(src[i:j]), i, j, lx.line, kindOperand)
				return j
			}
		}
	case '`':
		if syn.backtick {
			line := lx.line
			end := lx.quoted(i, '`', syn.backtickRaw, true)
			lx.literal(i, end, line, kindOperand)
			return end
		}
		if syn.backtickIdent {
			line := lx.line
			end := lx.quoted(i, '`', true, false)
			lx.emit(SymIdent, hashBytes(src[i:end]), i, end, line, kindOperand)
			return end
		}
	case '@':
		if syn.verbatim && next == '"' {
			line := lx.line
			end := lx.verbatimString(i + 1)
			lx.literal(i, end, line, kindOperand)
			return end
		}
		if syn.atIdent && (charClass[next] == cIdent || next == '@') {
			j := i + 1
			for j < n && (isIdentByte(src[j]) || src[j] == '@') {
				j++
			}
			lx.identToken(i, j)
			return j
		}
	case '$':
		if syn.dollarIdent {
			// '$' alone or followed by identifier bytes is a variable.
			j := i + 1
			for j < n && (isIdentByte(src[j]) || src[j] == '$') {
				j++
			}
			lx.identToken(i, j)
			return j
		}
		if syn.verbatim && (next == '"' || next == '@' && i+2 < n && src[i+2] == '"') {
			// C# interpolated string: $"..." or $@"...".
			line := lx.line
			var end int
			if next == '@' {
				end = lx.verbatimString(i + 2)
			} else {
				end = lx.quoted(i+1, '"', false, false)
			}
			lx.literal(i, end, line, kindOperand)
			return end
		}
	case '.':
		if charClass[next] == cDigit {
			return lx.number(i)
		}
	}
	return lx.operator(i)
}

// literal emits the string or character literal src[start:end], which
// began on line.
func (lx *lexer) literal(start, end int, line int32, kind int) {
	h := hashBytes(lx.src[start:end])
	if lx.absLit {
		lx.emit(SymString, h, start, end, line, kind)
		return
	}
	lx.emit(h, h, start, end, line, kind)
}

// identToken emits src[start:end] as an identifier or keyword.
func (lx *lexer) identToken(start, end int) {
	word := lx.src[start:end]
	h := hashBytes(word)
	switch {
	case lx.syn.keywords.has(h, word):
		lx.emit(h, h, start, end, lx.line, kindKeyword)
	case lx.syn.abstract:
		lx.emit(SymIdent, h, start, end, lx.line, kindOperand)
	default:
		lx.emit(h, h, start, end, lx.line, kindOperand)
	}
}

// operator lexes the longest operator at i.
func (lx *lexer) operator(i int) int {
	src := lx.src
	l := 1
	if i+1 < len(src) {
		bits := opTable[int(src[i])<<8|int(src[i+1])]
		if bits&2 != 0 {
			for _, op := range longOps {
				if hasPrefixAt(src, i, op) && len(op) > l {
					l = len(op)
				}
			}
		}
		if l == 1 && bits&1 != 0 {
			l = 2
		}
	}
	text := src[i : i+l]
	h := hashBytes(text)
	kind := kindOperator
	if l == 1 && (text[0] == ')' || text[0] == ']' || text[0] == '}') {
		kind = kindClose
	}
	lx.emit(h, h, i, i+l, lx.line, kind)
	return i + l
}

// charLit lexes a character literal at i ('a', '\n', '\u00e9', 'é'). In
// Rust a quote followed by more than one character is a lifetime, not a
// literal; elsewhere short multi-character constants ('ab') are accepted.
func (lx *lexer) charLit(i int) (int, bool) {
	src := lx.src
	if i+1 >= len(src) {
		return 0, false
	}
	if src[i+1] != '\\' {
		// One character, possibly multi-byte UTF-8.
		j := i + 2
		for j < len(src) && src[j]&0xC0 == 0x80 {
			j++
		}
		if j < len(src) && src[j] == '\'' && src[i+1] != '\'' && src[i+1] != '\n' {
			return j + 1, true
		}
		if lx.syn.lifetimes {
			return 0, false
		}
	}
	for j := i + 1; j < len(src) && j < i+12; j++ {
		switch src[j] {
		case '\\':
			j++
		case '\'':
			if j == i+1 {
				return 0, false
			}
			return j + 1, true
		case '\n':
			return 0, false
		}
	}
	return 0, false
}

// regex lexes a regular expression literal at i, or reports false if the
// slash is not followed by one on the same line.
func (lx *lexer) regex(i int) (int, bool) {
	src := lx.src
	inClass := false
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '\n':
			return 0, false
		case '/':
			if inClass {
				continue
			}
			if j == i+1 {
				return 0, false
			}
			j++
			for j < len(src) && charClass[src[j]] == cIdent && src[j] < 0x80 {
				j++
			}
			return j, true
		}
	}
	return 0, false
}

// luaLongBracket skips a Lua long bracket [[...]] or [==[...]==] at i.
func (lx *lexer) luaLongBracket(i int) (int, bool) {
	src := lx.src
	j := i + 1
	for j < len(src) && src[j] == '=' {
		j++
	}
	if j >= len(src) || src[j] != '[' {
		return 0, false
	}
	closer := "]" + strings.Repeat("=", j-i-1) + "]"
	return lx.until(j+1, func(k int) int {
		if src[k] == ']' && hasPrefixAt(src, k, closer) {
			return len(closer)
		}
		return 0
	}), true
}

// podBlock skips a Perl POD block (=head1 ... =cut) or a Ruby
// =begin ... =end block starting at a line start.
func (lx *lexer) podBlock(i int) int {
	src := lx.src
	end := "=cut"
	if hasPrefixAt(src, i, "=begin") {
		end = "=end"
	}
	for {
		i = lx.skipLine(i)
		if i >= len(src) {
			return i
		}
		lx.line++
		i++
		if hasPrefixAt(src, i, end) {
			return lx.skipLine(i)
		}
	}
}

package mutate

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"slices"
	"strings"
)

// rtok is one token of the function, as Reformatted lays them out.
type rtok struct {
	off, end      int // in ctx.text
	tok           token.Token
	text          string
	line, endLine int  // 1-based lines in ctx.text
	semi          bool // the scanner inserted a semicolon after this token
}

// scanToks returns the tokens and comments of text, without automatic
// semicolons (marked on the token they follow instead).
func scanToks(text []byte) ([]rtok, error) {
	var nl []int // offsets of newlines
	for i, ch := range text {
		if ch == '\n' {
			nl = append(nl, i)
		}
	}
	lineOf := func(off int) int {
		i, _ := slices.BinarySearch(nl, off)
		return i + 1
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(text))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, text, func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
	var toks []rtok
	lastCode := -1
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		if tok == token.SEMICOLON && lit != ";" {
			if lastCode >= 0 {
				toks[lastCode].semi = true
			}
			continue
		}
		end := off + len(lit)
		switch {
		case tok == token.COMMENT && strings.HasPrefix(lit, "//"):
			end = off + bytes.IndexByte(append(text[off:len(text):len(text)], '\n'), '\n')
			for end > off && text[end-1] == '\r' {
				end--
			}
		case tok == token.COMMENT:
			end = off + bytes.Index(text[off:], []byte("*/")) + 2
		case tok == token.STRING && lit != "" && lit[0] == '`':
			end = off + 1 + bytes.IndexByte(text[off+1:], '`') + 1
		case lit == "":
			end = off + len(tok.String())
		}
		if end <= off || end > len(text) {
			return nil, fmt.Errorf("mutate: cannot scan token at %d", off)
		}
		t := rtok{off: off, end: end, tok: tok, text: string(text[off:end]), line: lineOf(off), endLine: lineOf(end - 1)}
		if tok != token.COMMENT {
			lastCode = len(toks)
		}
		toks = append(toks, t)
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	return toks, nil
}

func isOpen(t token.Token) bool  { return t == token.LPAREN || t == token.LBRACK || t == token.LBRACE }
func isClose(t token.Token) bool { return t == token.RPAREN || t == token.RBRACK || t == token.RBRACE }

// reformatted lays the function's tokens out anew.
func (c *ctx) reformatted() (string, error) {
	toks, err := scanToks(c.text)
	if err != nil {
		return "", err
	}
	n := len(toks)
	match := make([]int, n)
	var st []int
	for i, t := range toks {
		match[i] = -1
		switch {
		case isOpen(t.tok):
			st = append(st, i)
		case isClose(t.tok) && len(st) > 0:
			o := st[len(st)-1]
			st = st[:len(st)-1]
			match[o], match[i] = i, o
		}
	}

	join := make([]bool, n)  // remove the line break before token k
	brk := make([]bool, n)   // break the line after token k
	blank := make([]bool, n) // put a blank line before token k
	joinedUntil := -1
	for i, t := range toks {
		j := match[i]
		if !isOpen(t.tok) || j < i || i <= joinedUntil || toks[j].line == t.endLine {
			continue
		}
		ok, width := true, 0
		for k := i; k < j && ok; k++ {
			tk := toks[k]
			ok = !tk.semi && (k == i || tk.tok != token.COMMENT && tk.line == tk.endLine)
			width += len(tk.text) + 1
		}
		if ok && width <= 80 && c.rng.Float64() < 0.7 {
			for k := i + 1; k <= j; k++ {
				join[k] = true
			}
			joinedUntil = j
		}
	}
	lines := strings.Split(string(c.text), "\n")
	lineLen := func(line int) int { return len(strings.ReplaceAll(lines[line-1], "\t", "    ")) }
	for i, t := range toks {
		j := match[i]
		if (t.tok != token.LPAREN && t.tok != token.LBRACE) || j < i || toks[j].line != t.line {
			continue
		}
		var commas []int
		depth := 0
		for k := i + 1; k < j; k++ {
			switch {
			case isOpen(toks[k].tok):
				depth++
			case isClose(toks[k].tok):
				depth--
			case toks[k].tok == token.COMMA && depth == 0:
				commas = append(commas, k)
			}
		}
		if len(commas) < 2 {
			continue
		}
		p := 0.1
		if lineLen(t.line) > 70 {
			p = 0.8
		}
		if c.rng.Float64() < p {
			for _, k := range commas {
				brk[k] = true
			}
		}
	}
	var blanks []int
	lastCode := -1
	for k, t := range toks {
		if k > 0 && lastCode >= 0 && toks[lastCode].semi && t.line > toks[k-1].endLine &&
			t.tok != token.RBRACE && t.tok != token.CASE && t.tok != token.DEFAULT && t.line-toks[k-1].endLine == 1 {
			blanks = append(blanks, k)
		}
		if t.tok != token.COMMENT {
			lastCode = k
		}
	}
	for _, k := range blanks {
		blank[k] = c.rng.Float64() < 0.25
	}
	if len(blanks) > 0 && !slices.Contains(blank, true) {
		blank[blanks[c.rng.IntN(len(blanks))]] = true
	}

	unit := strings.Repeat(" ", 2+2*c.rng.IntN(2))
	type open struct {
		line    int
		switchy bool
	}
	var stack []open
	var b strings.Builder
	outLine := 0
	write := func(s string) {
		b.WriteString(s)
		outLine += strings.Count(s, "\n")
	}
	pendingSwitch := -1
	lastCode = -1
	level := func(t rtok) int {
		entries := stack
		if isClose(t.tok) && len(entries) > 0 {
			top := entries[len(entries)-1]
			var keep []open
			for _, e := range entries {
				if e.line != top.line {
					keep = append(keep, e)
				}
			}
			entries = keep
		} else if (t.tok == token.CASE || t.tok == token.DEFAULT) && len(entries) > 0 && entries[len(entries)-1].switchy {
			entries = entries[:len(entries)-1]
		}
		lv := 0
		for i, e := range entries {
			if i == 0 || e.line != entries[i-1].line {
				lv++
			}
		}
		if lastCode >= 0 && !isClose(t.tok) {
			switch lt := toks[lastCode]; {
			case lt.semi, isOpen(lt.tok), lt.tok == token.COMMA, lt.tok == token.COLON, lt.tok == token.SEMICOLON:
			default:
				lv++
			}
		}
		return lv
	}
	for k, t := range toks {
		if k > 0 {
			prev := toks[k-1]
			origNL := t.line > prev.endLine
			switch {
			case origNL && !join[k], brk[k-1]:
				write("\n")
				if origNL && !join[k] && (t.line-prev.endLine > 1 || blank[k]) {
					write("\n")
				}
				write(strings.Repeat(unit, level(t)))
			case origNL:
				if !isOpen(prev.tok) && !isClose(t.tok) && prev.tok != token.PERIOD {
					write(" ")
				}
			default:
				write(string(c.text[prev.end:t.off]))
			}
		}
		write(t.text)
		switch {
		case t.tok == token.SWITCH || t.tok == token.SELECT:
			pendingSwitch = len(stack)
		case isOpen(t.tok):
			sw := t.tok == token.LBRACE && pendingSwitch == len(stack)
			if sw {
				pendingSwitch = -1
			}
			stack = append(stack, open{line: outLine, switchy: sw})
		case isClose(t.tok) && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
		if t.semi && pendingSwitch == len(stack) {
			pendingSwitch = -1
		}
		if t.tok != token.COMMENT {
			lastCode = k
		}
	}
	code := b.String()
	if _, err := parser.ParseFile(token.NewFileSet(), "", prefix+code, parser.ParseComments|parser.SkipObjectResolution); err != nil {
		return "", fmt.Errorf("mutate: reformatted %s does not parse: %v", c.f.Name, err)
	}
	return code, nil
}

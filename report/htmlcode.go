package report

// The code views of the HTML report. A finding's two sides are excerpts:
// the finding's lines (at most HTMLMaxLines of them) and HTMLContextLines
// lines around them, cut from the target and source texts. Both texts are
// tokenized whole with package fingerprint (so that an excerpt starting
// inside a comment or a raw string is read correctly), the tokens on the
// finding's lines are kept, and the two token sequences are aligned on
// their exact texts, then their normalized symbols (identifiers all alike,
// every other token by its text) with Myers' diff algorithm. An aligned pair of tokens is
// marked matched when its texts are equal, renamed when they differ (only
// identifiers can: any other token's symbol is its text).

import (
	"bytes"
	"path"
	"unicode/utf8"

	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/lcs"
)

// Limits of the code views, which keep a report of many findings small.
const (
	// HTMLContextLines is how many lines are shown before and after a
	// finding's lines.
	HTMLContextLines = 3
	// HTMLMaxLines is how many of a finding's lines are shown on each
	// side; the excerpt says how many more there are.
	HTMLMaxLines = 200
	// HTMLMaxLineBytes is how many bytes of a line are shown; a longer
	// line (minified code, data) is cut and marked.
	HTMLMaxLineBytes = 400
	// HTMLMaxCodeLines bounds the code lines of a whole page, both sides
	// of every finding counted: findings past it, in the page's order
	// (failing first), are shown without code, so that a report of
	// thousands of findings stays a page a browser opens quickly.
	HTMLMaxCodeLines = 60000
	// htmlMaxEdits bounds the alignment's work: two sides more than this
	// many token insertions and deletions apart are aligned on their
	// common start and end only.
	htmlMaxEdits = 2000
)

// Token marks.
const (
	markNone    = iota
	markMatched // aligned with a token of the same text
	markRenamed // aligned with an identifier of another name
)

// excerpt is one side of a finding's code view: the shown lines of a text
// and the tokens on the finding's lines.
type excerpt struct {
	from        int    // line number of the first shown line
	first, last int    // the finding's lines that are shown
	more        int    // the finding's lines left out (HTMLMaxLines)
	text        []byte // the shown lines, from the start of the first to the end of the last
	lineOff     []int  // offset in text of each shown line's start; one more for the end
	toks        []codeToken
}

// codeToken is a token of an excerpt, its offsets relative to the
// excerpt's text.
type codeToken struct {
	sym      uint32
	off, end int
	mark     int
	other    string // the aligned token's text, for a renamed one
}

// lineStarts returns the offset of the start of every line of src, and
// len(src) (plus one if src ends without a newline) as a last element, so
// that line n (1-based) spans starts[n-1] to starts[n].
func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+2)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		starts = append(starts, len(src)+1)
	}
	return starts
}

// codeLang is the language a file is tokenized with: the one its name
// says, else plain text.
func codeLang(name string, src []byte) fingerprint.Lang {
	head := src[:min(len(src), 256)]
	if l := fingerprint.DetectLang(path.Base(name), head); l != fingerprint.Unknown {
		return l
	}
	return fingerprint.Text
}

// codeFile is a whole text, tokenized, from which excerpts are cut.
type codeFile struct {
	src    []byte
	starts []int
	toks   []fingerprint.Token
}

func newCodeFile(name string, src []byte) *codeFile {
	return &codeFile{src: src, starts: lineStarts(src), toks: fingerprint.Tokenize(codeLang(name, src), src, nil)}
}

// lines is the number of lines of the text.
func (c *codeFile) lines() int { return len(c.starts) - 1 }

// excerpt cuts the view of lines first to last (1-based, inclusive), which
// must be within the text.
func (c *codeFile) excerpt(first, last int) *excerpt {
	x := &excerpt{first: first, last: last}
	if n := last - first + 1; n > HTMLMaxLines {
		x.last = first + HTMLMaxLines - 1
		x.more = n - HTMLMaxLines
	}
	x.from = max(1, first-HTMLContextLines)
	to := min(c.lines(), x.last+HTMLContextLines)
	if x.more > 0 {
		to = x.last
	}
	base, end := c.starts[x.from-1], min(c.starts[to], len(c.src))
	x.text = bytes.Clone(c.src[base:end]) // the file's text is not kept
	for n := x.from; n <= to+1; n++ {
		x.lineOff = append(x.lineOff, min(c.starts[n-1], len(c.src))-base)
	}
	for _, t := range c.toks {
		if int(t.Line) < x.first || int(t.Line) > x.last {
			continue
		}
		x.toks = append(x.toks, codeToken{sym: t.Sym, off: int(t.Off) - base, end: min(int(t.End), end) - base})
	}
	return x
}

// shownLines is the number of lines an excerpt shows.
func (x *excerpt) shownLines() int { return len(x.lineOff) - 1 }

// tokenText returns the text of an excerpt's token.
func (x *excerpt) tokenText(t codeToken) string { return string(x.text[t.off:t.end]) }

// markAligned aligns the tokens of a target and a source excerpt and marks
// them: matched when the aligned texts are equal, renamed when they differ.
// Tokens are aligned on their exact texts first, so that a name copied
// unchanged pairs with itself; the gaps between those pairs are then
// aligned on normalized symbols (identifiers all alike), which pairs a
// renamed identifier with its original.
func markAligned(target, source *excerpt) {
	texts := map[string]uint32{}
	exactOf := func(x *excerpt) []uint32 {
		out := make([]uint32, len(x.toks))
		for i, t := range x.toks {
			s := x.tokenText(t)
			id, ok := texts[s]
			if !ok {
				id = uint32(len(texts))
				texts[s] = id
			}
			out[i] = id
		}
		return out
	}
	symOf := func(x *excerpt, from, to int) []uint32 {
		out := make([]uint32, 0, to-from)
		for _, t := range x.toks[from:to] {
			out = append(out, t.sym)
		}
		return out
	}
	mark := func(i, j int) {
		ta, sb := &target.toks[i], &source.toks[j]
		at, bt := target.tokenText(*ta), source.tokenText(*sb)
		if at == bt {
			ta.mark, sb.mark = markMatched, markMatched
			return
		}
		ta.mark, sb.mark = markRenamed, markRenamed
		ta.other, sb.other = bt, at
	}
	pairs := lcs.Align(exactOf(target), exactOf(source), htmlMaxEdits)
	// The gaps before, between and after the exact pairs.
	pi, pj := 0, 0
	gap := func(ei, ej int) {
		if ei > pi && ej > pj {
			for _, p := range lcs.Align(symOf(target, pi, ei), symOf(source, pj, ej), htmlMaxEdits) {
				mark(pi+p[0], pj+p[1])
			}
		}
	}
	for _, p := range pairs {
		gap(p[0], p[1])
		mark(p[0], p[1])
		pi, pj = p[0]+1, p[1]+1
	}
	gap(len(target.toks), len(source.toks))
}

// codeSeg is a run of a line's text with one mark.
type codeSeg struct {
	Text  string
	Class string // "m" matched, "r" renamed, "cut" for the mark of a cut line, "" unmarked
	Title string // for a renamed token, the other side's name
}

// codeLine is one shown line.
type codeLine struct {
	N    int
	In   bool // one of the finding's lines
	Segs []codeSeg
}

// rows turns an excerpt into its shown lines: each line's text cut into
// segments by the marks of the tokens on it. Consecutive matched tokens
// separated by spaces or tabs only make one segment.
func (x *excerpt) rows() []codeLine {
	out := make([]codeLine, 0, x.shownLines())
	ti := 0
	for i := range x.shownLines() {
		n := x.from + i
		start, end := x.lineOff[i], x.lineOff[i+1]
		if end > start && x.text[end-1] == '\n' {
			end--
		}
		if end > start && x.text[end-1] == '\r' {
			end--
		}
		cut := false
		if end-start > HTMLMaxLineBytes {
			end = start + HTMLMaxLineBytes
			for end > start && !utf8.RuneStart(x.text[end]) {
				end--
			}
			cut = true
		}
		line := codeLine{N: n, In: n >= x.first && n <= x.last}
		pos := start // next byte of the line to emit
		for ti < len(x.toks) && x.toks[ti].end <= start {
			ti++
		}
		for j := ti; j < len(x.toks) && x.toks[j].off < end; j++ {
			t := x.toks[j]
			if t.mark == markNone {
				continue
			}
			from, to := max(t.off, start), min(t.end, end)
			gap := x.text[pos:from]
			k := len(line.Segs) - 1
			if t.mark == markMatched && k >= 0 && line.Segs[k].Class == "m" && isBlank(gap) {
				// Consecutive matched tokens make one segment.
				line.Segs[k].Text += string(x.text[pos:to])
				pos = to
				continue
			}
			if len(gap) > 0 {
				line.Segs = append(line.Segs, codeSeg{Text: string(gap)})
			}
			seg := codeSeg{Text: string(x.text[from:to]), Class: markClass(t.mark)}
			if t.mark == markRenamed {
				seg.Title = t.other
			}
			line.Segs = append(line.Segs, seg)
			pos = to
		}
		if end > pos {
			line.Segs = append(line.Segs, codeSeg{Text: string(x.text[pos:end])})
		}
		if cut {
			line.Segs = append(line.Segs, codeSeg{Text: "…", Class: "cut"})
		}
		out = append(out, line)
	}
	return out
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

func markClass(mark int) string {
	switch mark {
	case markMatched:
		return "m"
	case markRenamed:
		return "r"
	}
	return ""
}

package match

// The source's text: corpus files read back (Options.SourceText) and
// tokenized once per Match call, and helpers over their tokens, for the
// stages that align a region with its source (confirm.go, origin.go,
// align.go).

import (
	"cmp"
	"slices"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// sourceCacheTokens bounds the tokens of corpus files kept (24 bytes
// each).
const sourceCacheTokens = 4 << 20

// sourceTokens reads and tokenizes corpus files for refinement, once per
// file for one Match call.
type sourceTokens struct {
	read   func(*corpus.FileInfo) []byte
	fp     *fingerprint.Fingerprinter // the corpus's parameters: literals abstracted or not, as the target's tokens
	cache  map[uint32][]fingerprint.Token
	tokens int // tokens held in cache
}

// newSourceTokens returns a reader of corpus files' tokens, tokenized
// with the corpus's parameters p.
func newSourceTokens(read func(*corpus.FileInfo) []byte, p corpus.Params) (*sourceTokens, error) {
	fp, err := fingerprint.New(p.Fingerprint())
	if err != nil {
		return nil, err
	}
	return &sourceTokens{read: read, fp: fp, cache: map[uint32][]fingerprint.Token{}}, nil
}

// get returns the tokens of a corpus file, or nil when its text cannot be
// read (or is not what was indexed: read checks it).
func (s *sourceTokens) get(f *corpus.FileInfo) []fingerprint.Token {
	if s == nil || s.read == nil || f == nil {
		return nil
	}
	if toks, ok := s.cache[f.ID]; ok {
		return toks
	}
	var toks []fingerprint.Token
	if data := s.read(f); data != nil {
		toks = slices.Clone(s.fp.Tokens(f.Lang, data))
	}
	if s.tokens+len(toks) > sourceCacheTokens {
		clear(s.cache)
		s.tokens = 0
	}
	s.cache[f.ID] = toks
	s.tokens += len(toks)
	return toks
}

// firstToken returns the index of the first token of src on line line or
// later.
func firstToken(src []fingerprint.Token, line int32) int {
	i, _ := slices.BinarySearchFunc(src, line, func(tk fingerprint.Token, l int32) int { return cmp.Compare(tk.Line, l) })
	return i
}

func syms(ts []fingerprint.Token) []uint32 {
	out := make([]uint32, len(ts))
	for i, t := range ts {
		out[i] = t.Sym
	}
	return out
}

// langOf returns the language of corpus file f, or def if f is missing.
func langOf(f *corpus.FileInfo, def fingerprint.Lang) fingerprint.Lang {
	if f == nil {
		return def
	}
	return f.Lang
}

// codeLines returns the number of lines on which toks has tokens: the
// lines of code of a range, without its blank and comment lines.
func codeLines(toks []fingerprint.Token) int {
	n, last := 0, int32(-1)
	for _, tk := range toks {
		if tk.Line != last {
			n++
			last = tk.Line
		}
	}
	return n
}

// sourceCodeLines returns the number of lines of lo..hi on which src has
// tokens.
func sourceCodeLines(src []fingerprint.Token, lo, hi int32) int {
	i := firstToken(src, lo)
	j := i
	for j < len(src) && src[j].Line <= hi {
		j++
	}
	return codeLines(src[i:j])
}

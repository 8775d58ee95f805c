package match

// The source's text: corpus files read back (Options.SourceText) and
// tokenized once per Match call, and helpers over their tokens, for the
// stages that align a region with its source (confirm.go, origin.go,
// align.go).

import (
	"cmp"
	"slices"
	"sync"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// sourceCacheTokens bounds the tokens of corpus files kept (24 bytes
// each).
const sourceCacheTokens = 4 << 20

// sourceTokens reads and tokenizes corpus files for refinement, once per
// file for one Match call. It is safe for concurrent use: a file asked
// for while another goroutine reads it is waited for, not read again.
type sourceTokens struct {
	read func(*corpus.FileInfo) []byte
	// fps holds the fingerprinters (the corpus's parameters: literals
	// abstracted or not, as the target's tokens), one per goroutine at
	// work at once.
	fps    chan *fingerprint.Fingerprinter
	mu     sync.Mutex
	cache  map[uint32]*sourceText
	tokens int // tokens held in cache
}

// sourceText is a corpus file's tokens, ready once done is closed, and
// the ends of its declarations, found once asked for.
type sourceText struct {
	done     chan struct{}
	toks     []fingerprint.Token
	endsOnce sync.Once
	ends     []int32
}

// newSourceTokens returns a reader of corpus files' tokens, tokenized
// with the corpus's parameters p, for up to workers goroutines at once.
func newSourceTokens(read func(*corpus.FileInfo) []byte, p corpus.Params, workers int) (*sourceTokens, error) {
	s := &sourceTokens{read: read, fps: make(chan *fingerprint.Fingerprinter, workers), cache: map[uint32]*sourceText{}}
	for range workers {
		fp, err := fingerprint.New(p.Fingerprint())
		if err != nil {
			return nil, err
		}
		s.fps <- fp
	}
	return s, nil
}

// get returns the tokens of a corpus file, or nil when its text cannot be
// read (or is not what was indexed: read checks it).
func (s *sourceTokens) get(f *corpus.FileInfo) []fingerprint.Token {
	if s == nil || s.read == nil || f == nil {
		return nil
	}
	s.mu.Lock()
	if e, ok := s.cache[f.ID]; ok {
		s.mu.Unlock()
		<-e.done
		return e.toks
	}
	e := &sourceText{done: make(chan struct{})}
	s.cache[f.ID] = e
	s.mu.Unlock()
	e.toks = s.tokenize(f)
	close(e.done)
	s.mu.Lock()
	if s.tokens+len(e.toks) > sourceCacheTokens {
		clear(s.cache)
		s.tokens = 0
	}
	s.cache[f.ID] = e
	s.tokens += len(e.toks)
	s.mu.Unlock()
	return e.toks
}

// ends returns the tokens that end a declaration (declEnds) of corpus
// file f, whose tokens src are (as get returned them): found once per
// file while the cache holds it.
func (s *sourceTokens) ends(f *corpus.FileInfo, src []fingerprint.Token) []int32 {
	if len(src) == 0 {
		return nil
	}
	s.mu.Lock()
	e := s.cache[f.ID]
	s.mu.Unlock()
	if e == nil {
		return declEnds(f.Lang, src) // evicted since
	}
	<-e.done
	e.endsOnce.Do(func() { e.ends = declEnds(f.Lang, e.toks) })
	return e.ends
}

// tokenize reads corpus file f and returns its tokens (nil when it cannot
// be read).
func (s *sourceTokens) tokenize(f *corpus.FileInfo) []fingerprint.Token {
	data := s.read(f)
	if data == nil {
		return nil
	}
	fp := <-s.fps
	defer func() { s.fps <- fp }()
	return slices.Clone(fp.Tokens(f.Lang, data))
}

// firstToken returns the index of the first token of src on line line or
// later.
func firstToken(src []fingerprint.Token, line int32) int {
	i, _ := slices.BinarySearchFunc(src, line, func(tk fingerprint.Token, l int32) int { return cmp.Compare(tk.Line, l) })
	return i
}

// syms returns the symbols of ts.
func syms(ts []fingerprint.Token) []uint32 {
	out := make([]uint32, len(ts))
	for i, t := range ts {
		out[i] = t.Sym
	}
	return out
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

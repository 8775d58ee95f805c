package fingerprint

import (
	"fmt"
)

// Version is the version of the token normalization and hashing. A corpus
// built with another version cannot be compared with today's fingerprints.
const Version = 1

// Default winnowing parameters. A shared run of DefaultK+DefaultW-1 = 35
// normalized tokens (about five lines of Go) is always detected.
const (
	DefaultK = 20
	DefaultW = 16
)

// Params are the winnowing parameters. The zero value means the defaults.
type Params struct {
	// K is the length of a k-gram in tokens.
	K int
	// W is the winnowing window: the number of consecutive k-grams of which
	// the minimum hash is selected.
	W int
}

// WithDefaults returns p with zero fields replaced by the defaults.
func (p Params) WithDefaults() Params {
	if p.K == 0 {
		p.K = DefaultK
	}
	if p.W == 0 {
		p.W = DefaultW
	}
	return p
}

// Validate reports whether the parameters are usable.
func (p Params) Validate() error {
	p = p.WithDefaults()
	if p.K < 2 || p.K > 200 {
		return fmt.Errorf("fingerprint: k-gram length %d out of range [2, 200]", p.K)
	}
	if p.W < 1 || p.W > 1000 {
		return fmt.Errorf("fingerprint: window %d out of range [1, 1000]", p.W)
	}
	return nil
}

// Threshold is the guarantee threshold t = W + K - 1: any run of at least
// t normalized tokens shared by two files yields a shared fingerprint.
func (p Params) Threshold() int {
	p = p.WithDefaults()
	return p.W + p.K - 1
}

// Fingerprint is one selected k-gram.
type Fingerprint struct {
	// Hash identifies the normalized k-gram. It is a mixed hash, spread
	// evenly over the 64-bit range.
	Hash uint64
	// Exact is a hash of the exact texts of the k-gram's tokens: equal in
	// two files when the k-gram was copied verbatim.
	Exact uint32
	// Pos is the index of the k-gram's first token.
	Pos int32
	// Line and EndLine are the first and last lines of the k-gram.
	Line, EndLine int32
}

// File is the fingerprinting result of one file.
type File struct {
	Lang Lang
	// Tokens are the file's tokens.
	Tokens []Token
	// Fingerprints are the winnowed k-grams, in order of position.
	Fingerprints []Fingerprint
	// Lines is the number of lines of the file.
	Lines int
	// NormHash is a hash of the whole normalized token stream: equal for
	// two files that differ only in layout, comments and names.
	NormHash uint64
	// HeaderEnd is the byte offset of the first token: what precedes it is
	// white space and comments (the license header, usually).
	HeaderEnd int
}

// Fingerprinter tokenizes and fingerprints files. It reuses its buffers
// from one call to the next, so a Fingerprinter must not be used by several
// goroutines at once; create one per worker.
type Fingerprinter struct {
	p       Params
	basePow uint64 // base^K, to roll the oldest token out of the hash
	file    File
	norm    []uint64 // normalized k-gram hashes (winnowing input)
	exact   []uint64 // exact k-gram hashes
	dq      []int32  // winnowing deque
}

// New returns a Fingerprinter with parameters p.
func New(p Params) (*Fingerprinter, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.WithDefaults()
	f := &Fingerprinter{p: p, basePow: 1}
	for i := 0; i < p.K; i++ {
		f.basePow *= rollBase
	}
	return f, nil
}

// Params returns the parameters of f, with defaults filled in.
func (f *Fingerprinter) Params() Params { return f.p }

// rollBase is the multiplier of the polynomial rolling hash (odd, so that
// multiplication is invertible modulo 2^64).
const rollBase = 0x100000001b3

// fmix64 is MurmurHash3's 64-bit finalizer: a bijection that spreads every
// input bit over the whole output.
func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// symValue spreads a 32-bit token hash over 64 bits for the rolling hash
// (one multiplication: the k-gram hash is finalized by fmix64 anyway).
func symValue(s uint32) uint64 {
	return (uint64(s) + 1) * 0x9e3779b97f4a7c15
}

// File tokenizes src with the rules of lang and returns its fingerprints.
// The result, including its slices, is valid only until the next call.
func (f *Fingerprinter) File(lang Lang, src []byte) *File {
	out := &f.file
	toks := tokenize(syntaxTable[langOrText(lang)], src, out.Tokens[:0])
	*out = File{Lang: lang, Tokens: toks, Fingerprints: out.Fingerprints[:0], HeaderEnd: len(src)}
	out.Lines = countLines(src)
	if len(toks) > 0 {
		out.HeaderEnd = int(toks[0].Off)
	}
	out.NormHash = normHash(toks)
	out.Fingerprints = f.winnow(toks, out.Fingerprints)
	return out
}

// countLines returns the number of lines of src: the number of newlines,
// plus one if the last line has no newline.
func countLines(src []byte) int {
	n := 0
	for _, c := range src {
		if c == '\n' {
			n++
		}
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}

// normHash hashes the whole normalized token stream.
func normHash(toks []Token) uint64 {
	h := uint64(len(toks))
	for i := range toks {
		h = (h ^ uint64(toks[i].Sym)) * 0x100000001b3
	}
	return fmix64(h)
}

// winnow computes the k-gram hashes of toks and appends the fingerprints
// selected by robust winnowing: in every window of W consecutive k-grams the
// minimum hash is selected; among equal minima the one selected for the
// previous window is kept while it stays in the window, else the rightmost.
// A file with fewer than W k-grams yields the minimum of those it has; a
// file with fewer than K tokens yields nothing.
func (f *Fingerprinter) winnow(toks []Token, out []Fingerprint) []Fingerprint {
	k, w := f.p.K, f.p.W
	m := len(toks) - k + 1 // number of k-grams
	if m <= 0 {
		return out
	}
	norm, exact := f.norm[:0], f.exact[:0]
	var hn, he uint64
	for i := range toks {
		hn = hn*rollBase + symValue(toks[i].Sym)
		he = he*rollBase + symValue(toks[i].Exact)
		if i >= k {
			hn -= f.basePow * symValue(toks[i-k].Sym)
			he -= f.basePow * symValue(toks[i-k].Exact)
		}
		if i >= k-1 {
			norm = append(norm, fmix64(hn))
			exact = append(exact, he)
		}
	}
	f.norm, f.exact = norm, exact

	dq := f.dq[:0]
	head := 0 // dq[head:] is the live deque
	last := int32(-1)
	for i := 0; i < m; i++ {
		x := norm[i]
		// Keep equal values: the earlier one stays selected (robustness).
		for len(dq) > head && norm[dq[len(dq)-1]] > x {
			dq = dq[:len(dq)-1]
		}
		dq = append(dq, int32(i))
		if i < w-1 && i < m-1 {
			continue // no full window yet
		}
		lo := int32(i - w + 1)
		expired := false
		for dq[head] < lo {
			head++
			expired = true
		}
		if expired || last < 0 {
			// A new selection: take the rightmost of equal minima.
			for len(dq)-head > 1 && norm[dq[head+1]] == norm[dq[head]] {
				head++
			}
		}
		if sel := dq[head]; sel != last {
			last = sel
			out = append(out, Fingerprint{
				Hash:    fmix64(norm[sel] ^ 0x5bd1e9955bd1e995),
				Exact:   uint32(fmix64(exact[sel]) >> 32),
				Pos:     sel,
				Line:    toks[sel].Line,
				EndLine: toks[int(sel)+k-1].EndLine,
			})
		}
		if head > 1024 && head > len(dq)/2 {
			n := copy(dq, dq[head:])
			dq = dq[:n]
			head = 0
		}
	}
	f.dq = dq
	return out
}

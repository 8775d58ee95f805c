package fingerprint

import (
	"fmt"
	"slices"
)

// Version is the version of the token normalization and hashing. A corpus
// built with another version cannot be compared with today's fingerprints.
// Version 6: long string literals are tokenized as text (see textWords).
// Version 7: runs of k-grams whose symbols have period 1 or 2 are
// winnowed again on their exact tokens (see winnow).
const Version = 7

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
	// AbstractLiterals maps string and number literals to classes, as
	// identifiers are (MOSS and JPlag do so); literals then count in the
	// anchor hash. By default they keep their text.
	AbstractLiterals bool
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
	// Anchor hashes the identifiers renaming leaves alone: selectors (the
	// name after a dot: a field, a method, a package's function) and keys
	// (a field named in a literal, see Keys), with the literals. Equal in
	// two files when the k-gram was copied with only its local names
	// changed; 0 when the k-gram has none of them.
	Anchor uint8
	// Pos is the index of the k-gram's first token.
	Pos int32
	// Line and EndLine are the first and last lines of the k-gram.
	Line, EndLine int32
	// End reports that the k-gram ends a declaration: its last token is
	// the closing brace of a function, a method or a type (see Decls).
	// Such a k-gram is always selected, so a copied declaration of K
	// tokens or more, too short for winnowing's guarantee, still shares a
	// fingerprint with its source.
	End bool
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
	// HeaderEnd is the byte offset of the first token, past the
	// preprocessor directives that start the file (see HeaderEnd): what
	// precedes it is white space, comments and such directives (the
	// license header, usually).
	HeaderEnd int
}

// Fingerprinter tokenizes and fingerprints files. It reuses its buffers
// from one call to the next, so a Fingerprinter must not be used by several
// goroutines at once; create one per worker.
type Fingerprinter struct {
	p       Params
	basePow uint64   // base^K, to roll the oldest token out of the hash
	pow     []uint64 // base^e for e < K
	idVal   []uint64 // rolling-hash value of an identifier whose previous occurrence is d tokens back (0: none in the k-gram)
	file    File
	norm    []uint64      // normalized k-gram hashes (winnowing input)
	runs    []int32       // runs of k-grams of period 1 or 2: start, end pairs
	exact   []uint64      // exact-token keys of one run's k-grams
	extra   []exactSel    // k-grams selected among those of exact keys
	adds    []Fingerprint // fingerprints to insert among those selected
	dq      []int32       // winnowing deque
	ends    []int32       // k-grams ending declarations
	decls   []Decl        // declarations, for ends
	back    []int32       // per token: distance to the previous occurrence of the same identifier, 0 if none; -1 for other tokens
	next    []int32       // per token: index of the next occurrence of the same identifier, -1 if none
	keys    []bool        // per token: a key of a keyed element (Keys)
	ids     idTable

	helpers [][2]int32 // compiler-emitted helpers, whose k-grams are dropped
}

// New returns a Fingerprinter with parameters p.
func New(p Params) (*Fingerprinter, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.WithDefaults()
	f := &Fingerprinter{p: p, basePow: 1}
	for i := 0; i < p.K; i++ {
		f.pow = append(f.pow, f.basePow)
		f.basePow *= rollBase
	}
	for d := 0; d < p.K; d++ {
		f.idVal = append(f.idVal, symValue(SymIdent+uint32(d)))
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
	// The buffers are sized before they are filled, from the source's
	// length and then the number of tokens: grown by appending, a large
	// file's (a generated table) are copied over and over, which made
	// its fingerprinting four times slower per byte.
	toks := tokenize(syntaxTable[langOrText(lang)], src, slices.Grow(out.Tokens[:0], len(src)/tokenBytes), f.p.AbstractLiterals)
	fps := slices.Grow(out.Fingerprints[:0], 2*len(toks)/(f.p.W+1)+1) // the density of winnowing
	*out = File{Lang: lang, Tokens: toks, Fingerprints: fps, HeaderEnd: len(src)}
	out.Lines = countLines(src)
	if len(toks) > 0 {
		syn := syntaxTable[langOrText(lang)]
		out.HeaderEnd = headerEnd(syn, src, int(toks[0].Off))
	}
	f.links(toks)
	out.NormHash = f.normHash(toks)
	out.Fingerprints = f.winnow(toks, out.Fingerprints)
	if lang.BraceDeclarations() {
		out.Fingerprints = f.addDeclEnds(lang, toks, out.Fingerprints)
	}
	out.Fingerprints = f.dropHelpers(lang, src, toks, out.Fingerprints)
	return out
}

// dropHelpers removes from fps the k-grams that lie within a
// compiler-emitted helper (see Helpers): neither the corpus nor a scanned
// file holds them.
func (f *Fingerprinter) dropHelpers(lang Lang, src []byte, toks []Token, fps []Fingerprint) []Fingerprint {
	f.helpers = Helpers(lang, src, toks, f.helpers[:0])
	if len(f.helpers) == 0 {
		return fps
	}
	at, k := 0, int32(f.p.K)
	out := fps[:0]
	for _, fp := range fps {
		if !inSpans(f.helpers, &at, fp.Pos, k) {
			out = append(out, fp)
		}
	}
	return out
}

// Tokens returns the tokens of src as File makes them (literals abstracted
// or not, as the parameters say), without fingerprinting them. The result
// is valid only until the next call.
func (f *Fingerprinter) Tokens(lang Lang, src []byte) []Token {
	f.file.Tokens = tokenize(syntaxTable[langOrText(lang)], src, f.file.Tokens[:0], f.p.AbstractLiterals)
	return f.file.Tokens
}

// KeepTokens is the size, in tokens, of the largest file whose buffers a
// Fingerprinter keeps after Trim. A file's buffers take about 50 bytes a
// token (its tokens, a hash of each k-gram, the links between names), so
// those of a generated table of 16 MB, millions of tokens, would hold
// hundreds of megabytes for the rest of a run; those of any hand-written
// file fit (1 << 18 tokens are about 1.5 MB of Go).
const KeepTokens = 1 << 18

// tokenBytes is the bytes of source per token of Go, on average, which
// sizes a file's token buffer: a denser file (a table, minified
// JavaScript) grows it once or twice more, a sparser one leaves room
// unused (and zeroed: an estimate too low costs less than one too high).
const tokenBytes = 5

// Trim releases the buffers that a file of more than KeepTokens tokens
// grew, so that a Fingerprinter used for many files holds the memory of a
// large one only while it works on it. The result of the last File or
// Tokens call is invalid afterwards.
func (f *Fingerprinter) Trim() {
	f.file.Tokens = trimmed(f.file.Tokens)
	f.file.Fingerprints = trimmed(f.file.Fingerprints)
	f.norm, f.runs, f.exact, f.extra, f.adds = trimmed(f.norm), trimmed(f.runs), trimmed(f.exact), trimmed(f.extra), trimmed(f.adds)
	f.dq, f.ends, f.decls = trimmed(f.dq), trimmed(f.ends), trimmed(f.decls)
	f.back, f.next, f.keys = trimmed(f.back), trimmed(f.next), trimmed(f.keys)
	f.helpers = trimmed(f.helpers)
	f.ids.slots = trimmed(f.ids.slots)
}

// trimmed returns buf, or nil if it holds room for more than KeepTokens
// elements.
func trimmed[T any](buf []T) []T {
	if cap(buf) > KeepTokens {
		return nil
	}
	return buf
}

// links records, for every identifier, the distance back to the previous
// occurrence of the same name and the index of the next one. Identifiers
// are encoded by these distances (parameterized matching, Baker 1993): a
// consistent renaming keeps every distance, while two unrelated pieces of
// code with the same shape but another pattern of names do not match.
func (f *Fingerprinter) links(toks []Token) {
	back, next := slices.Grow(f.back[:0], len(toks)), slices.Grow(f.next[:0], len(toks))
	f.keys = Keys(toks, f.keys[:0])
	f.ids.reset()
	for i := range toks {
		next = append(next, -1)
		if toks[i].Sym != SymIdent || f.keys[i] {
			// A key names a field, as a selector does, but is often
			// spelled as the variable that gives its value (Point{x: x}),
			// which renaming changes: linked, it would change every
			// k-gram over the pair.
			back = append(back, -1)
			continue
		}
		prev := f.ids.swap(toks[i].Exact, int32(i))
		if prev < 0 {
			back = append(back, 0)
			continue
		}
		back = append(back, int32(i)-prev)
		next[prev] = int32(i)
	}
	f.back, f.next = back, next
}

// idTable maps identifier hashes to their last token index: open
// addressing, kept at most half full, so that its size follows the
// distinct names of a file, not its tokens (a generated table of a
// million tokens has a few hundred names). Entries of earlier files are
// told apart by a generation stamp, so it is never cleared.
type idTable struct {
	slots []idSlot
	gen   uint32
	used  int // entries of the current generation
}

type idSlot struct {
	key, gen uint32
	idx      int32
}

// minIDSlots is the size of a new idTable.
const minIDSlots = 1024

// reset empties the table for the next file.
func (t *idTable) reset() {
	if len(t.slots) == 0 {
		t.slots = make([]idSlot, minIDSlots)
		t.gen = 0
	}
	t.used = 0
	t.gen++
	if t.gen == 0 {
		clear(t.slots)
		t.gen = 1
	}
}

// swap stores idx for key and returns the index stored before, or -1.
func (t *idTable) swap(key uint32, idx int32) int32 {
	mask := uint32(len(t.slots) - 1)
	for i := idHome(key, mask); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.gen != t.gen {
			*s = idSlot{key: key, gen: t.gen, idx: idx}
			if t.used++; 2*t.used > len(t.slots) {
				t.grow()
			}
			return -1
		}
		if s.key == key {
			prev := s.idx
			s.idx = idx
			return prev
		}
	}
}

// grow doubles the table, moving the current generation's entries.
func (t *idTable) grow() {
	old := t.slots
	t.slots = make([]idSlot, 2*len(old))
	mask := uint32(len(t.slots) - 1)
	for _, s := range old {
		if s.gen != t.gen {
			continue
		}
		i := idHome(s.key, mask)
		for t.slots[i].gen == t.gen {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// idHome is the first slot tried for key in a table of mask+1 slots.
func idHome(key, mask uint32) uint32 {
	return uint32(uint64(key)*0x9e3779b97f4a7c15>>32) & mask
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

// normHash hashes the whole normalized token stream, identifiers encoded
// by the distance to their previous occurrence (see links).
func (f *Fingerprinter) normHash(toks []Token) uint64 {
	h := uint64(len(toks))
	for i := range toks {
		s := toks[i].Sym
		if f.back[i] > 0 {
			s += uint32(f.back[i])
		}
		h = (h ^ uint64(s)) * 0x100000001b3
	}
	return fmix64(h)
}

// symAt returns the rolling-hash value of token i as the last token of a
// k-gram: an identifier refers back to its previous occurrence only if
// that lies inside the k-gram.
func (f *Fingerprinter) symAt(toks []Token, i int) uint64 {
	if b := f.back[i]; b >= 0 {
		if int(b) < f.p.K {
			return f.idVal[b]
		}
		return f.idVal[0]
	}
	return symValue(toks[i].Sym)
}

// symDot is the symbol of ".", before a selector.
var symDot = hashString(".")

// IsSelector reports whether toks[i] is a selector: an identifier after a
// dot (a field, a method, a package's function), a name that renaming a
// copy's local names leaves alone.
func IsSelector(toks []Token, i int) bool {
	return toks[i].Sym == SymIdent && i > 0 && toks[i-1].Sym == symDot
}

// symColon is the symbol of ":", after a key.
var symColon = hashString(":")

// Words that tell a key from a name before ":" that is not one: a case of
// a switch (case a, b:), and the statements a label names (loop: for).
var (
	wordCase   = hashString("case")
	labeledFor = map[uint32]bool{hashString("for"): true, hashString("switch"): true, hashString("select"): true,
		hashString("while"): true, hashString("do"): true}
)

// Keys appends to dst, for each token of toks, whether it is the key of a
// keyed element: an identifier right after "{" or ",", inside braces, and
// before ":" (a field of a struct literal, a property of an object
// literal), not in a case list nor a label. Like a selector, a key names a
// field, which renaming a copy's local names leaves alone: Point{x: x}
// renamed is Point{x: px}. Parameters (fn f(a: i32, b: i32)) are inside
// parentheses, not keys. Brackets opened before toks count as none.
func Keys(toks []Token, dst []bool) []bool {
	n0 := len(dst)
	dst = slices.Grow(dst, len(toks))[:n0+len(toks)]
	out := dst[n0:]
	clear(out)
	type frame struct{ brace, inCase bool }
	var stack []frame
	for i := range toks {
		switch tk := toks[i]; {
		case tk.Sym == symOpen[0] || tk.Sym == symOpen[1] || tk.Sym == symOpen[2]:
			stack = append(stack, frame{brace: tk.Sym == symOpen[2]})
		case tk.Sym == symClose[0] || tk.Sym == symClose[1] || tk.Sym == symClose[2]:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case len(stack) == 0:
		case tk.Exact == wordCase && tk.Sym != SymIdent:
			stack[len(stack)-1].inCase = true
		case tk.Sym == symColon:
			stack[len(stack)-1].inCase = false
		case tk.Sym == SymIdent:
			top := stack[len(stack)-1]
			out[i] = top.brace && !top.inCase && i > 0 && i+1 < len(toks) && toks[i+1].Sym == symColon &&
				(toks[i-1].Sym == symOpen[2] || toks[i-1].Sym == symComma) &&
				(i+2 >= len(toks) || !labeledFor[toks[i+2].Exact])
		}
	}
	return dst
}

// anchorValue is token i's contribution to the anchor hash: its exact text
// if it is a selector, a key (see Keys) or an abstracted literal, else
// nothing.
func (f *Fingerprinter) anchorValue(toks []Token, i int) uint64 {
	t := &toks[i]
	if t.Sym == SymIdent && (i > 0 && toks[i-1].Sym == symDot || f.keys[i]) || t.Sym == SymString || t.Sym == SymNumber {
		return symValue(t.Exact)
	}
	return 0
}

// anchor8 folds an anchor k-gram hash to 8 bits, keeping 0 for a k-gram
// without anchor tokens.
func anchor8(h uint64) uint8 {
	if h == 0 {
		return 0
	}
	if a := uint8(fmix64(h) >> 56); a != 0 {
		return a
	}
	return 1
}

// minExactK is the shortest k-gram given the exact pass: with a shorter
// one, much of any file is of period 2.
const minExactK = 8

// exactKey sets the hashes of k-grams keyed by their exact tokens apart
// from normalized ones.
const exactKey = 0x9e3779b97f4a7c15

// winnow computes the k-gram hashes of toks and appends the fingerprints
// selected by robust winnowing: in every window of W consecutive k-grams the
// minimum hash is selected; among equal minima the one selected for the
// previous window is kept while it stays in the window, else the rightmost.
// A file with fewer than W k-grams yields the minimum of those it has; a
// file with fewer than K tokens yields nothing.
//
// A k-gram whose symbols have period 1 or 2 (a list of names or of
// fields: AADD, AADDC, ...; identifiers are one symbol, and so are
// strings and numbers when literals are abstracted)
// has the normalized hash of every list of its shape, which the corpus
// often holds too many times to look up. Such runs are winnowed a second
// time, on hashes of their exact tokens, and the k-grams selected there
// (of varied tokens) are fingerprints keyed by their exact tokens, in
// place of a normalized one the first pass selected at the same position
// (see mergeExact): a copied list is found (a renamed one keeps its
// normalized fingerprints only).
func (f *Fingerprinter) winnow(toks []Token, out []Fingerprint) []Fingerprint {
	k := f.p.K
	m := len(toks) - k + 1 // number of k-grams
	if m <= 0 {
		return out
	}
	f.hashes(toks, m)
	start := len(out)
	f.selectWindows(f.norm, func(sel int32) { out = append(out, f.kgram(toks, sel, f.norm[sel])) })
	f.extra = f.extra[:0]
	if k < minExactK {
		return out // short k-grams are of period 2 too often
	}
	for r := 0; r+1 < len(f.runs); r += 2 {
		a, b := f.runs[r], f.runs[r+1]
		ex := f.exactKeys(toks, a, b)
		f.selectWindows(ex, func(sel int32) { f.extra = append(f.extra, exactSel{a + sel, ex[sel]}) })
	}
	return f.mergeExact(toks, out, start)
}

// hashes computes the normalized hash of each of the m k-grams of toks
// into f.norm, and lists in f.runs (start, end pairs of k-gram indexes)
// the runs of k-grams whose symbols have period 1 or 2.
func (f *Fingerprinter) hashes(toks []Token, m int) {
	k := f.p.K
	norm, runs := slices.Grow(f.norm[:0], m), f.runs[:0]
	var hn uint64 // the k-gram's normalized rolling hash
	run := 0      // the tokens up to i whose symbol is that of the token two before
	for i := range toks {
		hn = hn*rollBase + f.symAt(toks, i)
		if i >= 2 && toks[i].Sym == toks[i-2].Sym {
			run++
		} else {
			run = 0
		}
		if i >= k {
			// Token out leaves the k-gram: as its first token it counted as
			// a new name (or its own symbol). The next occurrence of its
			// name, if still inside, no longer refers back to it.
			out := i - k
			vout := symValue(toks[out].Sym)
			if f.back[out] >= 0 {
				vout = f.idVal[0]
			}
			hn -= f.basePow * vout
			if nx := int(f.next[out]); nx >= 0 && nx < i {
				hn += (f.idVal[0] - f.idVal[nx-out]) * f.pow[i-nx]
			}
		}
		if i >= k-1 {
			norm = append(norm, fmix64(hn))
			if j := int32(i - k + 1); run >= k-2 {
				if n := len(runs); n > 0 && runs[n-1] == j {
					runs[n-1] = j + 1 // the run goes on
				} else {
					runs = append(runs, j, j+1)
				}
			}
		}
	}
	f.norm, f.runs = norm, runs
}

// exactKeys returns the keys of the exact tokens of the k-grams a to b
// (exclusive), in f.exact.
func (f *Fingerprinter) exactKeys(toks []Token, a, b int32) []uint64 {
	k := int32(f.p.K)
	ex := f.exact[:0]
	var he uint64
	for i := a; i < b+k-1; i++ {
		he = he*rollBase + symValue(toks[i].Exact)
		if i-a >= k {
			he -= f.basePow * symValue(toks[i-k].Exact)
		}
		if i-a >= k-1 {
			ex = append(ex, fmix64(he^exactKey))
		}
	}
	f.exact = ex
	return ex
}

// selectWindows runs robust winnowing over hs (W k-grams a window) and
// calls fn with the index of each k-gram selected, in increasing order.
func (f *Fingerprinter) selectWindows(hs []uint64, fn func(int32)) {
	w, m := f.p.W, len(hs)
	dq := f.dq[:0]
	head := 0 // dq[head:] is the live deque
	last := int32(-1)
	for i := 0; i < m; i++ {
		x := hs[i]
		// Keep equal values: the earlier one stays selected (robustness).
		for len(dq) > head && hs[dq[len(dq)-1]] > x {
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
			for len(dq)-head > 1 && hs[dq[head+1]] == hs[dq[head]] {
				head++
			}
		}
		if sel := dq[head]; sel != last {
			last = sel
			fn(sel)
		}
		if head > 1024 && head > len(dq)/2 {
			n := copy(dq, dq[head:])
			dq = dq[:n]
			head = 0
		}
	}
	f.dq = dq
}

// varied reports whether at least half of the tokens of a k-gram are
// distinct: a list of names or fields is, while a run of the same few
// values (a, b, a, b, ...; with literals abstracted, 0x00, 0x01, 0x00,
// ...) is not, and would match unrelated code by chance.
func varied(kgram []Token) bool {
	distinct := 0
	for i, t := range kgram {
		seen := false
		for _, u := range kgram[:i] {
			if u.Exact == t.Exact {
				seen = true
				break
			}
		}
		if !seen {
			distinct++
		}
	}
	return 2*distinct >= len(kgram)
}

// exactSel is a k-gram selected among those of exact keys: its index and
// its key.
type exactSel struct {
	pos int32
	key uint64
}

// mergeExact merges into out[start:] (in position order) the k-grams of
// f.extra whose tokens are varied, keyed by their exact tokens. A k-gram
// the first pass selected too is keyed by its exact tokens instead:
// whether the first pass selects it depends on the text around the run,
// which a copy changes, while the exact pass depends on the run alone, so
// a run and its copy always share their exact keys.
func (f *Fingerprinter) mergeExact(toks []Token, out []Fingerprint, start int) []Fingerprint {
	sel := out[start:]
	adds := f.adds[:0]
	j := 0
	for _, x := range f.extra {
		if !varied(toks[x.pos : int(x.pos)+f.p.K]) {
			continue
		}
		for j < len(sel) && sel[j].Pos < x.pos {
			j++
		}
		if j < len(sel) && sel[j].Pos == x.pos {
			sel[j] = f.kgram(toks, x.pos, x.key)
			continue
		}
		adds = append(adds, f.kgram(toks, x.pos, x.key))
	}
	f.adds = adds
	return insertSorted(out, start, adds)
}

// kgram returns the fingerprint of the k-gram at token i, keyed by h, the
// hash winnow selected it by (its normalized hash, or the key of its exact
// tokens). Its exact and anchor hashes are those
// of the k-gram's tokens alone, polynomials in rollBase as the normalized
// one is: only the selected k-grams need them.
func (f *Fingerprinter) kgram(toks []Token, i int32, h uint64) Fingerprint {
	var exact, anchor uint64
	for j := int(i); j < int(i)+f.p.K; j++ {
		exact = exact*rollBase + symValue(toks[j].Exact)
		anchor = anchor*rollBase + f.anchorValue(toks, j)
	}
	return Fingerprint{
		Hash:    fmix64(h ^ 0x5bd1e9955bd1e995),
		Exact:   uint32(fmix64(exact) >> 32),
		Anchor:  anchor8(anchor),
		Pos:     i,
		Line:    toks[i].Line,
		EndLine: toks[int(i)+f.p.K-1].EndLine,
	}
}

// addDeclEnds marks, or adds in order of position, the k-gram ending at
// the closing brace of every declaration that holds it whole (see Decls).
// Winnowing guarantees nothing to a run shorter than t = W + K - 1 tokens:
// a small function copied on its own shares no fingerprint with its source
// when the minima of the windows around it fall outside it. Its last
// k-gram depends on its own tokens only, so source and copy both select
// it. It costs one fingerprint per declaration at most.
func (f *Fingerprinter) addDeclEnds(lang Lang, toks []Token, fps []Fingerprint) []Fingerprint {
	k := int32(f.p.K)
	f.decls = Decls(lang, toks, f.decls[:0])
	ends := f.ends[:0]
	for _, d := range f.decls {
		if g := d.End - k + 1; g >= d.Start {
			ends = append(ends, g)
		}
	}
	// Decls are in order of their ends, and so are the k-grams.
	f.ends = ends
	if len(ends) == 0 {
		return fps
	}
	// Mark the ends winnowing selected; add the others.
	adds := f.adds[:0]
	j := 0
	for _, g := range ends {
		for j < len(fps) && fps[j].Pos < g {
			j++
		}
		if j < len(fps) && fps[j].Pos == g {
			fps[j].End = true
			continue
		}
		fp := f.kgram(toks, g, f.norm[g])
		fp.End = true
		adds = append(adds, fp)
	}
	f.adds = adds
	return insertSorted(fps, 0, adds)
}

// insertSorted merges adds (sorted by Pos, at positions fps does not
// hold) into fps[start:] (sorted by Pos), in place from the back.
func insertSorted(fps []Fingerprint, start int, adds []Fingerprint) []Fingerprint {
	if len(adds) == 0 {
		return fps
	}
	n := len(fps)
	fps = slices.Grow(fps, len(adds))[:n+len(adds)]
	w, j := n+len(adds)-1, n-1
	for e := len(adds) - 1; e >= 0; e-- {
		for j >= start && fps[j].Pos > adds[e].Pos {
			fps[w] = fps[j]
			w, j = w-1, j-1
		}
		fps[w] = adds[e]
		w--
	}
	return fps
}

// A Decl is a declaration delimited by braces (see Decls).
type Decl struct {
	// Start is the index of its first token: the token after the end of
	// the declaration before it at its level, or after the opening brace
	// of the class holding it. Comments are not tokens, and semicolons
	// are dropped, so a declaration without braces before it (a field,
	// a const) is part of it.
	Start int32
	// End is the index of its closing brace.
	End int32
}

// Decls appends to dst the declarations of toks, in a language whose
// declarations braces delimit (Lang.BraceDeclarations; none otherwise),
// in order of their ends: the blocks at the top level of the file and
// those directly inside a container, a block whose header holds one of
// the language's containerWords (a Java or C# class, a C++ namespace, a
// Rust impl), at any depth (a class in a function, in JavaScript's
// wrapping function). Go has no containers: a struct type is one
// declaration. Braces inside parentheses or brackets (interface{} in a
// parameter list, a lambda passed to a call) end nothing, nor empty ones
// after struct or interface (a result of type chan struct{}). Semicolons
// are dropped and #ifdef branches are not followed: a C file whose
// branches each open a brace loses its ends after them.
func Decls(lang Lang, toks []Token, dst []Decl) []Decl {
	if !lang.BraceDeclarations() {
		return dst
	}
	type frame struct {
		container bool  // a class body: the blocks in it are declarations
		decl      bool  // the block is a declaration's
		start     int32 // where the next declaration inside starts
		parens    int   // parentheses open around the block, in the block holding it
	}
	var stack []frame
	// parens counts the parentheses and brackets open in the current
	// block; top is where the next top-level declaration starts.
	parens, top := 0, int32(0)
	for i := range toks {
		switch toks[i].Sym {
		case symOpen[0], symOpen[1]:
			parens++
		case symClose[0], symClose[1]:
			parens = max(parens-1, 0)
		case symOpen[2]:
			decl := parens == 0 && (len(stack) == 0 || stack[len(stack)-1].container)
			stack = append(stack, frame{container: opensContainer(lang, toks, i), decl: decl, start: int32(i) + 1, parens: parens})
			parens = 0
		case symClose[2]:
			if len(stack) == 0 {
				continue // unbalanced
			}
			fr := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			parens = fr.parens
			if parens > 0 && i+1 < len(toks) && !continuesCall[toks[i+1].Sym] {
				// A block inside parentheses ends a call's argument
				// (f(function() {...})) or an expression; followed by
				// anything else, the parenthesis was stray (a regular
				// expression Perl's lexing took for code) and would
				// hide every end after it.
				parens = 0
			}
			if !fr.decl || i > 1 && toks[i-1].Sym == symOpen[2] && typeWords[toks[i-2].Exact] {
				continue
			}
			start := &top
			if len(stack) > 0 {
				start = &stack[len(stack)-1].start
			}
			dst = append(dst, Decl{Start: *start, End: int32(i)})
			*start = int32(i) + 1
		}
	}
	return dst
}

// continuesCall are the tokens that may follow a block inside parentheses.
var continuesCall = map[uint32]bool{symClose[0]: true, symClose[1]: true, symComma: true, symDot: true, symOpen[0]: true,
	symOpen[1]: true, symColon: true, hashString("?"): true, hashString("else"): true}

// typeWords precede empty braces that are a type, not a body.
var typeWords = map[uint32]bool{hashString("struct"): true, hashString("interface"): true}

// containerWords are, per language, the words that open a block of
// declarations (a class body).
var containerWords = func() [numLangs]map[uint32]bool {
	var out [numLangs]map[uint32]bool
	for lang, words := range map[Lang][]string{
		C:          {"class", "struct", "union", "namespace", "extern"},
		Java:       {"class", "interface", "enum", "record"},
		JavaScript: {"class", "interface", "namespace", "enum"},
		Rust:       {"impl", "trait", "mod"},
		CSharp:     {"class", "interface", "enum", "struct", "record", "namespace"},
		PHP:        {"class", "interface", "trait", "enum"},
		Kotlin:     {"class", "interface", "object", "enum"},
		Swift:      {"class", "struct", "enum", "protocol", "extension", "actor"},
		Scala:      {"class", "object", "trait", "enum"},
		Perl:       {"package"},
		Dart:       {"class", "mixin", "extension", "enum"},
		Solidity:   {"contract", "interface", "library"},
		Groovy:     {"class", "interface", "enum", "trait"},
		PowerShell: {"class"},
		Markup:     {"class", "interface", "namespace", "enum"},
	} {
		out[lang] = map[uint32]bool{}
		for _, w := range words {
			out[lang][hashString(w)] = true
		}
	}
	return out
}()

// continuation words start or end a line of a header that goes on
// (class A\n extends B {, implements A,\n B {, where\n T: Clone,\n{).
var continuation = map[uint32]bool{hashString("extends"): true, hashString("implements"): true,
	hashString("where"): true, hashString("with"): true, hashString(":"): true, hashString(","): true}

// symAssign is the symbol of "=": a header never has one before its
// block (class C = ... is a value).
var symAssign = hashString("=")

// opensContainer reports whether the brace at toks[i] opens a container:
// its header holds a container word of lang (not after a dot: Java's
// Foo.class is a value). The header is the brace's line back to the
// previous brace, "=" or an unmatched "(" (a lambda's body in a call),
// and the line before when the brace starts its line (C#'s class A\n{)
// or a line ends or starts with a continuation word (implements A,\n
// B {); parenthesized groups are skipped (Kotlin's class A(\n val x:
// Int,\n) {). Semicolons are dropped, so a header cannot run back over
// the statements before it: "struct node *n;" before "for (...) {" in C
// would make the loop a class. A header with an arrow is a function's or
// a lambda's (Rust's -> impl Fn, Java's record -> {), words after
// "where" are constraints (C#'s where T : class), and in C a word before
// a parameter list is a result type (struct foo *alloc(int n) {). At
// most 64 tokens are looked at, and 256 in parentheses.
func opensContainer(lang Lang, toks []Token, i int) bool {
	words := containerWords[lang]
	if len(words) == 0 {
		return false
	}
	line := toks[i].Line
	if i > 0 && toks[i-1].EndLine < line {
		line = toks[i-1].Line // the brace starts its line
	}
	found, params := false, false
	for j, n := i-1, 0; j >= 0 && n < 64; j, n = j-1, n+1 {
		tk := toks[j]
		if tk.EndLine < line {
			// The line before: part of the header only if one of the
			// two lines continues it.
			if !continuation[toks[j+1].Exact] && !continuation[tk.Exact] {
				return found
			}
			line = tk.Line
		}
		switch {
		case tk.Sym == symOpen[2] || tk.Sym == symClose[2] || tk.Sym == symAssign ||
			tk.Sym == symOpen[0] || tk.Sym == symOpen[1]:
			return found
		case arrows[tk.Sym]:
			return false
		case tk.Exact == wordWhere:
			found = false
		case tk.Sym == symClose[0] || tk.Sym == symClose[1]:
			// Skip to the matching opener.
			d := 0
			for m := 0; j >= 0 && m < 256; j, m = j-1, m+1 {
				d += toks[j].Bracket()
				if d == 0 {
					break
				}
			}
			if j < 0 || d != 0 {
				return false
			}
			line, params = toks[j].Line, true
		case words[tk.Exact] && (j == 0 || toks[j-1].Sym != symDot):
			found = !(lang == C && params)
		}
	}
	return found
}

// Tokens of function headers: arrows (Rust's and Java's ->, JavaScript's
// =>), and where, before a clause of constraints.
var (
	arrows    = map[uint32]bool{hashString("->"): true, hashString("=>"): true}
	wordWhere = hashString("where")
)

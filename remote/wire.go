// Package remote is the protocol between snipscan scan --server and a
// scan server (snipscan serve): the request that carries what matching
// needs of the scanned files and nothing of their text, the server's
// answer, and the client that sends one and reads the other.
//
// # Request
//
// POST /v1/scan carries a binary request (Content-Type RequestType),
// gzip-compressed (Content-Encoding gzip: a third of the size). Each
// target file is described by its fingerprints, its tokens (the hashes of
// their normalized and exact texts, their byte offsets and lines) and its
// rewrite units (their features, hashes too). No text leaves the client:
// a file is named by its number in the request, and the names a unit
// carries (its function, helpers, the words of its evidence) by their
// number in a table of the file's words that the client keeps, to put
// them back into the findings (Names.Restore). All integers are
// unsigned varints (encoding/binary) unless marked: fixed-size ones are
// big-endian; deltas are from the previous element's value.
//
//	"SNSQ" version
//	k w fingerprint-version flags(1: 1 abstract literals)
//	min-tokens max-df flags(1: 1 align with the sources' text, 2 units
//	  later, 4 rewrites only)
//	files, each:
//	  lang(1) lines tokens size sum[16] norm-hash[8]
//	  tokens, in order, each: sym[4] exact[4] off-delta end-off
//	    line-delta end-line-line
//	  fingerprints, each: hash[8] exact[4] anchor(1) flags(1: 1 ends a
//	    declaration) pos-delta (a fingerprint's lines are those of its
//	    first and last tokens)
//	  units, each: line end-line-line func-line func-end-line-func-line
//	    stmts off end-off
//	    features (increasing: deltas) name-word
//	    helpers (words) evidence (feature deltas, increasing; word)
//	  findings so far: count, each line end-line-line
//
// A scan takes one request, or two when the server finds rewrites: the
// first, "units later", carries no units, and the server leaves the
// rewrite stage out; the client then extracts the units of the files
// whose findings leave lines uncovered (parsing is most of that stage's
// cost: files the findings cover whole are not parsed, as in a local
// scan), and sends them in a second request, "rewrites only", without
// tokens or fingerprints, with the lines of each file's findings. Its
// answer holds the rewrite findings alone, their Tokens left for the
// client to count (it has the tokens).
//
// Decoding is strict: every count is checked against the bytes left
// before anything is allocated, every offset and line against the file's
// size and lines, and trailing bytes are an error.
//
// # Answer
//
// The server answers with JSON (Response): the match results of the
// files in request order (match.Result as encoding/json writes it, its
// Path the file's number), the findings' sources marked as read back on
// the server. Errors are JSON too ({"error": "..."}), with a 4xx status
// for a bad request.
package remote

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/rewrite"
)

// Version is the version of the protocol: of the request's encoding, the
// answer and the paths served.
const Version = 1

// RequestType is the content type of an encoded request.
const RequestType = "application/x-snipscan-scan"

const magic = "SNSQ"

// Request is a scan request: what matching needs of a batch of target
// files.
type Request struct {
	// Params are the fingerprint parameters the targets were made with
	// (K, W, FPVersion, AbstractLiterals; StopDF is not sent).
	Params corpus.Params
	// MinTokens and MaxDF are the matcher's options the client sets.
	MinTokens, MaxDF int
	// SourceText asks the server to align findings with the corpus files'
	// text.
	SourceText bool
	// UnitsLater asks the server to leave the rewrite stage out: the
	// units follow in a request of RewritesOnly.
	UnitsLater bool
	// RewritesOnly asks for the rewrite stage alone, of the targets'
	// units, with the findings of Found.
	RewritesOnly bool
	// Found holds, for each target of a request of RewritesOnly, the
	// line ranges of its findings so far.
	Found [][][2]int
	// Targets are the files. Encoding reads neither their Path nor their
	// Text; decoding sets Path to the file's number, and the names of
	// Units to references into the client's words (see Names).
	Targets []match.Target
}

// Info is what a server says of itself and its corpus (GET /v1/info).
type Info struct {
	Version    int                       `json:"version"`
	Corpus     string                    `json:"corpus"`
	Params     corpus.Params             `json:"params"`
	Rewrites   bool                      `json:"rewrites"`
	Incomplete []report.IncompleteCorpus `json:"incomplete,omitempty"`
}

// Response is the server's answer to a scan request.
type Response struct {
	Version int            `json:"version"`
	Results []match.Result `json:"results"`
}

// ErrorBody is the body of an error answer.
type ErrorBody struct {
	Error string `json:"error"`
}

// Names are the words of each target of a request that the request does
// not carry (the units' function and helper names, the words of their
// evidence), by target and number.
type Names [][]string

// ref is the reference to word n that decoding puts in a unit's place.
func ref(n int) string { return "@" + strconv.Itoa(n) }

// Encode encodes req, returning the words it left out.
func Encode(req *Request) ([]byte, Names, error) {
	e := &encoder{}
	e.b = append(e.b, magic...)
	e.uint(Version)
	p := req.Params
	e.uint(uint64(p.K))
	e.uint(uint64(p.W))
	e.uint(uint64(p.FPVersion))
	e.flag(p.AbstractLiterals)
	e.uint(uint64(req.MinTokens))
	e.uint(uint64(req.MaxDF))
	e.b = append(e.b, bit(req.SourceText, flagSourceText)|bit(req.UnitsLater, flagUnitsLater)|bit(req.RewritesOnly, flagRewritesOnly))
	e.uint(uint64(len(req.Targets)))
	names := make(Names, len(req.Targets))
	for i := range req.Targets {
		names[i] = e.target(&req.Targets[i])
		var found [][2]int
		if i < len(req.Found) {
			found = req.Found[i]
		}
		e.uint(uint64(len(found)))
		for _, f := range found {
			e.nat(f[0], "finding line")
			e.nat(f[1]-f[0], "finding line span")
		}
	}
	return e.b, names, e.err
}

// encoder appends the request's encoding to b; err is the first value
// that could not be encoded.
type encoder struct {
	b   []byte
	err error
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }

// nat encodes a count or an offset, which cannot be negative.
func (e *encoder) nat(v int, what string) {
	if v < 0 && e.err == nil {
		e.err = fmt.Errorf("remote: negative %s %d", what, v)
	}
	e.uint(uint64(max(v, 0)))
}

// The flags of a request.
const (
	flagSourceText = 1 << iota
	flagUnitsLater
	flagRewritesOnly
	flagsAll = flagSourceText | flagUnitsLater | flagRewritesOnly
)

// bit returns b if v is set, else 0.
func bit(v bool, b byte) byte {
	if v {
		return b
	}
	return 0
}

func (e *encoder) flag(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// target encodes t and returns the words of its units.
func (e *encoder) target(t *match.Target) []string {
	e.b = append(e.b, byte(t.Lang))
	e.nat(t.Lines, "lines")
	e.nat(t.Tokens, "tokens")
	e.nat(t.Size, "size")
	e.b = append(e.b, t.Sum[:]...)
	e.b = binary.BigEndian.AppendUint64(e.b, t.NormHash)
	e.uint(uint64(len(t.Lexed)))
	var off, line int32 = 0, 1
	for _, tok := range t.Lexed {
		e.b = binary.BigEndian.AppendUint32(e.b, tok.Sym)
		e.b = binary.BigEndian.AppendUint32(e.b, tok.Exact)
		e.nat(int(tok.Off-off), "token offset delta")
		e.nat(int(tok.End-tok.Off), "token length")
		e.nat(int(tok.Line-line), "token line delta")
		e.nat(int(tok.EndLine-tok.Line), "token line span")
		off, line = tok.Off, tok.Line
	}
	e.uint(uint64(len(t.Fingerprints)))
	var pos int32
	for _, f := range t.Fingerprints {
		e.b = binary.BigEndian.AppendUint64(e.b, f.Hash)
		e.b = binary.BigEndian.AppendUint32(e.b, f.Exact)
		e.b = append(e.b, f.Anchor)
		e.flag(f.End)
		e.nat(int(f.Pos-pos), "fingerprint position delta")
		pos = f.Pos
	}
	w := &words{at: map[string]int{}}
	e.uint(uint64(len(t.Units)))
	for i := range t.Units {
		e.unit(&t.Units[i], w)
	}
	return w.list
}

// words numbers the words of one target.
type words struct {
	list []string
	at   map[string]int
}

func (w *words) of(s string) uint64 {
	n, ok := w.at[s]
	if !ok {
		n = len(w.list)
		w.at[s] = n
		w.list = append(w.list, s)
	}
	return uint64(n)
}

// unit encodes u, its words numbered in w.
func (e *encoder) unit(u *rewrite.Unit, w *words) {
	e.nat(u.Line, "unit line")
	e.nat(u.EndLine-u.Line, "unit line span")
	e.nat(u.FuncLine, "function line")
	e.nat(u.FuncEndLine-u.FuncLine, "function line span")
	e.nat(u.Stmts, "statements")
	e.nat(u.Off, "unit offset")
	e.nat(u.End-u.Off, "unit length")
	e.features(u.Bag)
	e.uint(w.of(u.Name))
	e.uint(uint64(len(u.Helpers)))
	for _, h := range u.Helpers {
		e.uint(w.of(h))
	}
	feats := make([]uint32, 0, len(u.Evidence))
	for f := range u.Evidence {
		feats = append(feats, f)
	}
	slices.Sort(feats)
	e.features(feats)
	for _, f := range feats {
		e.uint(w.of(u.Evidence[f]))
	}
}

// features encodes a set of features, which must be increasing.
func (e *encoder) features(fs []uint32) {
	e.uint(uint64(len(fs)))
	var prev uint32
	for i, f := range fs {
		if i > 0 && f <= prev && e.err == nil {
			e.err = errors.New("remote: features not in increasing order")
		}
		e.uint(uint64(f - prev))
		prev = f
	}
}

// Limits bound what a request may hold beyond what its size allows.
type Limits struct {
	// MaxFiles is the most target files; zero means DefaultMaxFiles.
	MaxFiles int
}

// DefaultMaxFiles is Limits.MaxFiles's default: the files of a scanner
// batch several times over.
const DefaultMaxFiles = 4096

// maxInt32 bounds the decoded sizes, offsets and lines: a target's
// tokens hold them as int32.
const maxInt32 = math.MaxInt32

// Decode decodes a request, checking it whole.
func Decode(data []byte, lim Limits) (*Request, error) {
	if lim.MaxFiles <= 0 {
		lim.MaxFiles = DefaultMaxFiles
	}
	d := &decoder{b: data}
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		return nil, errors.New("not a snipscan scan request")
	}
	d.b = d.b[len(magic):]
	if v := d.uint(); d.err == nil && v != Version {
		return nil, fmt.Errorf("request version %d, this server reads version %d: %w", v, Version, ErrVersion)
	}
	req := &Request{}
	req.Params.K = d.small("k", 1, 1<<10)
	req.Params.W = d.small("w", 1, 1<<10)
	d.k = req.Params.K
	req.Params.FPVersion = d.small("fingerprint version", 0, 1<<10)
	req.Params.AbstractLiterals = d.flag()
	req.MinTokens = d.small("min-tokens", 0, maxInt32)
	req.MaxDF = d.small("max-df", 0, maxInt32)
	flags := d.bytes(1)[0]
	if flags&^flagsAll != 0 || flags&flagUnitsLater != 0 && flags&flagRewritesOnly != 0 {
		d.fail("flags %#x", flags)
	}
	req.SourceText, req.UnitsLater, req.RewritesOnly = flags&flagSourceText != 0, flags&flagUnitsLater != 0, flags&flagRewritesOnly != 0
	n := d.count("files", 1+16+8+6, lim.MaxFiles)
	if d.err == nil {
		req.Targets = make([]match.Target, n)
		req.Found = make([][][2]int, n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		d.target(&req.Targets[i], i)
		req.Found[i] = d.found(int64(req.Targets[i].Lines))
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes after the last file", len(d.b))
	}
	if d.err != nil {
		return nil, d.err
	}
	return req, nil
}

// ErrVersion is the error of a request of another version.
var ErrVersion = errors.New("protocol version mismatch")

// decoder reads a request from b; err is the first error.
type decoder struct {
	b    []byte
	err  error
	k    int // the k-gram length
	file int // the file being decoded, for errors
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("bad request: file %d: %s", d.file, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated or overlong number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return make([]byte, n)
	}
	if len(d.b) < n {
		d.fail("truncated")
		return make([]byte, n)
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) flag() bool {
	switch v := d.bytes(1)[0]; v {
	case 0, 1:
		return v == 1
	default:
		d.fail("flag byte %d", v)
		return false
	}
}

// small reads a number in [lo, hi].
func (d *decoder) small(what string, lo, hi int) int {
	v := d.uint()
	if d.err == nil && (v < uint64(lo) || v > uint64(hi)) {
		d.fail("%s %d out of range [%d, %d]", what, v, lo, hi)
		return 0
	}
	return int(v)
}

// count reads a count of elements of at least size bytes each: at most
// limit, and no more than the bytes left hold.
func (d *decoder) count(what string, size, limit int) int {
	v := d.uint()
	if d.err == nil && (v > uint64(limit) || v > uint64(len(d.b)/size)) {
		d.fail("%d %s: more than the limit (%d) or the request holds", v, what, limit)
		return 0
	}
	return int(v)
}

// span reads a non-negative delta from base and returns base plus it, at
// most hi.
func (d *decoder) span(what string, base, hi int64) int32 {
	v := d.uint()
	if d.err == nil && (v > uint64(hi-base) || base > hi) {
		d.fail("%s %d past %d", what, base+int64(min(v, maxInt32)), hi)
		return 0
	}
	return int32(base + int64(v))
}

// target decodes file i into t.
func (d *decoder) target(t *match.Target, i int) {
	d.file = i
	t.Path = strconv.Itoa(i)
	t.Lang = fingerprint.Lang(d.bytes(1)[0])
	if t.Lang.String() == "unknown" && t.Lang != fingerprint.Unknown {
		d.fail("unknown language %d", t.Lang)
	}
	t.Lines = d.small("lines", 0, maxInt32)
	t.Tokens = d.small("tokens", 0, maxInt32)
	t.Size = d.small("size", 0, maxInt32)
	copy(t.Sum[:], d.bytes(16))
	t.NormHash = binary.BigEndian.Uint64(d.bytes(8))
	lines, size := int64(t.Lines), int64(t.Size)
	n := d.count("tokens", 4+4+4, maxInt32)
	if d.err == nil && n != t.Tokens {
		d.fail("%d tokens listed, %d counted", n, t.Tokens)
		return
	}
	t.Lexed = make([]fingerprint.Token, n)
	var off, line int64 = 0, 1
	for j := 0; j < n && d.err == nil; j++ {
		tok := &t.Lexed[j]
		tok.Sym = binary.BigEndian.Uint32(d.bytes(4))
		tok.Exact = binary.BigEndian.Uint32(d.bytes(4))
		tok.Off = d.span("token offset", off, size)
		tok.End = d.span("token end", int64(tok.Off), size)
		tok.Line = d.span("token line", line, lines)
		tok.EndLine = d.span("token end line", int64(tok.Line), lines)
		off, line = int64(tok.Off), int64(tok.Line)
	}
	n = d.count("fingerprints", 8+4+1+1+1, maxInt32)
	t.Fingerprints = make([]fingerprint.Fingerprint, n)
	var pos int64
	last := int64(t.Tokens) - int64(d.k) // the last position a k-gram starts at
	for j := 0; j < n && d.err == nil; j++ {
		f := &t.Fingerprints[j]
		f.Hash = binary.BigEndian.Uint64(d.bytes(8))
		f.Exact = binary.BigEndian.Uint32(d.bytes(4))
		f.Anchor = d.bytes(1)[0]
		f.End = d.flag()
		f.Pos = d.span("fingerprint position", pos, last)
		if d.err == nil {
			f.Line, f.EndLine = t.Lexed[f.Pos].Line, t.Lexed[int(f.Pos)+d.k-1].EndLine
		}
		pos = int64(f.Pos)
	}
	if n = d.count("units", 10, maxInt32); n > 0 {
		t.Units = make([]rewrite.Unit, n)
	}
	for j := 0; j < n && d.err == nil; j++ {
		d.unit(&t.Units[j], lines, size)
	}
}

// found decodes the line ranges of a file's findings, in a file of lines
// lines.
func (d *decoder) found(lines int64) [][2]int {
	n := d.count("findings", 2, maxInt32)
	if n == 0 {
		return nil
	}
	fs := make([][2]int, n)
	for i := 0; i < n && d.err == nil; i++ {
		fs[i][0] = d.small("finding line", 1, int(lines))
		fs[i][1] = int(d.span("finding end line", int64(fs[i][0]), lines))
	}
	return fs
}

// unit decodes one rewrite unit of a file of lines lines and size bytes.
func (d *decoder) unit(u *rewrite.Unit, lines, size int64) {
	u.Line = d.small("unit line", 1, int(lines))
	u.EndLine = int(d.span("unit end line", int64(u.Line), lines))
	u.FuncLine = d.small("function line", 1, int(lines))
	u.FuncEndLine = int(d.span("function end line", int64(u.FuncLine), lines))
	u.Stmts = d.small("statements", 0, maxInt32)
	u.Off = d.small("unit offset", 0, int(size))
	u.End = int(d.span("unit end", int64(u.Off), size))
	u.Bag = d.features()
	u.Name = ref(d.small("word", 0, maxInt32))
	n := d.count("helpers", 1, maxInt32)
	for range n {
		u.Helpers = append(u.Helpers, ref(d.small("word", 0, maxInt32)))
	}
	feats := d.features()
	if len(feats) > 0 {
		u.Evidence = make(map[uint32]string, len(feats))
	}
	for _, f := range feats {
		u.Evidence[f] = ref(d.small("word", 0, maxInt32))
	}
}

// features decodes an increasing set of features.
func (d *decoder) features() []uint32 {
	n := d.count("features", 1, maxInt32)
	if n == 0 {
		return nil
	}
	fs := make([]uint32, n)
	var prev uint64
	for i := 0; i < n && d.err == nil; i++ {
		v := prev + d.uint()
		if i > 0 && v == prev || v > math.MaxUint32 {
			d.fail("features not increasing 32-bit numbers")
		}
		fs[i], prev = uint32(v), v
	}
	return fs
}

// Restore puts the words of the targets back into the rewrite findings of
// results, which are in the order of the request's targets: the
// function, the helpers, the words of the evidence (of which a word is
// listed once, as Match lists them).
func (n Names) Restore(results []match.Result) error {
	if len(results) != len(n) {
		return fmt.Errorf("remote: %d results for %d files", len(results), len(n))
	}
	for i := range results {
		for j := range results[i].Findings {
			rw := results[i].Findings[j].Rewrite
			if rw == nil {
				continue
			}
			var err error
			if rw.Function, err = n.word(i, rw.Function); err != nil {
				return err
			}
			for k := range rw.Helpers {
				if rw.Helpers[k], err = n.word(i, rw.Helpers[k]); err != nil {
					return err
				}
			}
			var ev []string
			for _, r := range rw.Evidence {
				w, err := n.word(i, r)
				if err != nil {
					return err
				}
				if !slices.Contains(ev, w) {
					ev = append(ev, w)
				}
			}
			rw.Evidence = ev
		}
	}
	return nil
}

// word returns the word of target i that r refers to.
func (n Names) word(i int, r string) (string, error) {
	k, err := strconv.Atoi(r[min(1, len(r)):])
	if len(r) == 0 || r[0] != '@' || err != nil || k < 0 || k >= len(n[i]) {
		return "", fmt.Errorf("remote: the server's answer refers to %q, not a word of file %d", r, i)
	}
	return n[i][k], nil
}

package corpus

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/snipscan/snipscan/fingerprint"
)

// The postings codec: the encoding of a group of hashes (see the package
// documentation, Postings), shared by every store, so that all keep the
// same bytes for the same postings.

// RawPosting is a posting as a writer buffers it before encoding: 24
// bytes. File 0 (no file has ID 0) marks a hash that a merged segment
// stored as stopped: Line holds the number of files it counted.
type RawPosting struct {
	Hash   uint64
	File   uint32
	Line   uint32
	Span   uint16
	Exact  uint16
	Anchor uint8
}

// PrefixBits returns how many top bits of a hash key a segment of npost
// postings: about 24 postings (some 16 hashes) per key. A lookup decodes
// the group of its key up to its hash, so the groups must not grow with
// the corpus; each key costs some 20 bytes of bbolt's, so they must not be
// tiny either. 16 bits (GOROOT/src's 1.8 M postings) to 24.
func PrefixBits(npost int) int {
	b := int(math.Round(math.Log2(float64(max(npost, 1)) / 24)))
	return min(max(b, 16), 24)
}

// SortPostings sorts ps by hash, then file, then line, using tmp (grown as
// needed and returned) as scratch space. Most hashes have one or two
// postings, so it sorts by hash alone and then orders the short runs of
// equal hashes. A large partition is sorted by hash with a least
// significant digit radix sort, a byte per pass, skipping the bytes every
// hash shares (the partition's prefix): about a third of the CPU time of a
// comparison sort on GOROOT/src.
func SortPostings(ps, tmp []RawPosting) []RawPosting {
	if len(ps) < 256 {
		slices.SortFunc(ps, func(a, b RawPosting) int { return cmp.Compare(a.Hash, b.Hash) })
	} else {
		tmp = radixSortByHash(ps, tmp)
	}
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].Hash == ps[i].Hash {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(ps[i:j], func(a, b RawPosting) int {
				if c := cmp.Compare(a.File, b.File); c != 0 {
					return c
				}
				return cmp.Compare(a.Line, b.Line)
			})
		}
		i = j
	}
	return tmp
}

// radixSortByHash sorts ps by hash (stably) in place, with tmp as scratch
// space; it returns tmp, grown to len(ps).
func radixSortByHash(ps, tmp []RawPosting) []RawPosting {
	if cap(tmp) < len(ps) {
		tmp = make([]RawPosting, len(ps))
	}
	tmp = tmp[:len(ps)]
	src, dst := ps, tmp
	var count [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		clear(count[:])
		for i := range src {
			count[byte(src[i].Hash>>shift)]++
		}
		if count[byte(src[0].Hash>>shift)] == len(src) {
			continue // every hash has this byte
		}
		pos := 0
		for d, n := range count {
			count[d] = pos
			pos += n
		}
		for i := range src {
			d := byte(src[i].Hash >> shift)
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ps[0] {
		copy(ps, src)
	}
	return tmp
}

// GroupStats counts what AppendGroup encoded.
type GroupStats struct {
	Hashes  int // distinct hashes
	Stopped int // hashes held by more than StopDF files: their postings are not stored
}

// AppendGroup appends to buf the group of the hashes of ps (sorted by
// SortPostings) that share ps[0]'s top 64-shift bits, and returns buf
// and the number of postings of ps it encoded. A hash of more than
// stopDF files (marker postings of file 0 count their Line) is stored
// as stopped; of the others, at most MaxPerFile postings per file are
// kept.
func AppendGroup(buf []byte, ps []RawPosting, shift uint, stopDF int, st *GroupStats) ([]byte, int) {
	prefix := ps[0].Hash >> shift
	var prevSuffix uint64
	i := 0
	for i < len(ps) && ps[i].Hash>>shift == prefix {
		h := ps[i].Hash
		j, df := i, 0
		for j < len(ps) && ps[j].Hash == h {
			switch {
			case ps[j].File == 0: // a hash stopped in a merged segment
				df += int(ps[j].Line)
			case j == i || ps[j].File != ps[j-1].File:
				df++
			}
			j++
		}
		suffix := h & (1<<shift - 1)
		buf = binary.AppendUvarint(buf, suffix-prevSuffix)
		prevSuffix = suffix
		st.Hashes++
		if df > stopDF {
			buf = binary.AppendUvarint(buf, uint64(j-i)<<1|1)
			buf = binary.AppendUvarint(buf, uint64(df))
			st.Stopped++
		} else {
			buf = appendPostings(buf, ps[i:j])
		}
		i = j
	}
	return buf, i
}

// appendPostings appends the header and the postings of one hash, at
// most MaxPerFile of one file: a k-gram repeated all over a file (rows
// of a table) says no more with its thousandth occurrence than with its
// tenth. Markers (file 0) are left out.
func appendPostings(buf []byte, ps []RawPosting) []byte {
	kept, run := 0, 0
	for k := range ps {
		if k > 0 && ps[k].File != ps[k-1].File {
			run = 0
		}
		if ps[k].File == 0 {
			continue
		}
		if run++; run <= MaxPerFile {
			kept++
		}
	}
	buf = binary.AppendUvarint(buf, uint64(kept)<<1)
	prevFile := uint32(0)
	run = 0
	for k := range ps {
		p := &ps[k]
		if k > 0 && p.File != ps[k-1].File {
			run = 0
		}
		if p.File == 0 {
			continue
		}
		if run++; run > MaxPerFile {
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(p.File-prevFile))
		prevFile = p.File
		buf = binary.AppendUvarint(buf, uint64(p.Line))
		buf = binary.AppendUvarint(buf, uint64(p.Span))
		buf = binary.LittleEndian.AppendUint16(buf, p.Exact)
		buf = append(buf, p.Anchor)
	}
	return buf
}

// GroupReader reads the hashes of an encoded group in increasing order:
//
//	g := NewGroupReader(prefix, shift, data)
//	for g.Next() { ... g.Hash, g.DF, g.Stopped, g.Postings ... }
//	if err := g.Err(); err != nil { ... }
type GroupReader struct {
	r      reader
	high   uint64 // the group's prefix, in place
	suffix uint64

	Hash     uint64 // the current hash
	DF       int    // the number of files holding it
	Stopped  bool   // its postings were not stored
	Count    int    // its postings (a stopped hash: as many as were buffered)
	Postings []byte // its encoded postings (DecodePostings), nil when stopped
}

// NewGroupReader returns a reader of the group data of the hashes whose
// top 64-shift bits are prefix.
func NewGroupReader(prefix uint64, shift uint, data []byte) *GroupReader {
	return &GroupReader{r: reader{b: data}, high: prefix << shift}
}

// Next moves to the next hash of the group: false at its end or on an
// error (Err).
func (g *GroupReader) Next() bool {
	if len(g.r.b) == 0 {
		return false
	}
	g.suffix += g.r.uvarint()
	g.Hash = g.high | g.suffix
	hdr := g.r.uvarint()
	g.Count, g.Stopped, g.Postings = int(hdr>>1), hdr&1 == 1, nil
	if g.Stopped {
		g.DF = int(g.r.uvarint())
	} else {
		start := g.r.b
		g.DF = skipPostings(&g.r, g.Count)
		g.Postings = start[:len(start)-len(g.r.b)]
	}
	return g.r.err == nil
}

// Err returns the error that ended Next: the group is corrupt.
func (g *GroupReader) Err() error { return g.r.err }

// skipPostings advances r over n postings and returns how many distinct
// files they name.
func skipPostings(r *reader, n int) int {
	df := 0
	for k := 0; k < n; k++ {
		if d := r.uvarint(); d != 0 || k == 0 {
			df++
		}
		r.uvarint()
		r.uvarint()
		r.bytes(3)
	}
	return df
}

// DecodePostings appends to out the postings encoded in data (a
// GroupReader's Postings), but those of the files in dead.
func DecodePostings(data []byte, out []Posting, dead map[uint32]bool) ([]Posting, error) {
	r := reader{b: data}
	var file uint32
	for len(r.b) > 0 {
		file += uint32(r.uvarint())
		line := int32(r.uvarint())
		span := int32(r.uvarint())
		exact := r.bytes(3)
		if r.err != nil {
			return out, r.err
		}
		if dead[file] {
			continue
		}
		out = append(out, Posting{File: file, Line: line, EndLine: line + span, Exact: binary.LittleEndian.Uint16(exact), Anchor: exact[2]})
	}
	return out, nil
}

// HitSet gathers a lookup's hits over the segments of a store, in
// segment order (see DB.Lookup).
type HitSet struct {
	res   []hitAcc
	maxDF int
	dead  map[uint32]bool
}

type hitAcc struct {
	df      int
	ps      []Posting
	stopped bool // stopped in some segment: no postings, whatever the others hold
}

// NewHitSet returns the set of the hits of n hashes, leaving out the
// postings of hashes of more than maxDF files (maxDF <= 0: no limit)
// and of the files in dead.
func NewHitSet(n, maxDF int, dead map[uint32]bool) *HitSet {
	return &HitSet{res: make([]hitAcc, n), maxDF: maxDF, dead: dead}
}

// Add adds what a segment holds of the i-th hash: the hash g is at.
func (s *HitSet) Add(i int, g *GroupReader) error {
	r := &s.res[i]
	r.df += g.DF
	r.stopped = r.stopped || g.Stopped
	if r.stopped || s.maxDF > 0 && r.df > s.maxDF {
		r.ps = nil
		return nil
	}
	var err error
	r.ps, err = DecodePostings(g.Postings, r.ps, s.dead)
	return err
}

// Report calls fn for every hash some segment holds, in order.
func (s *HitSet) Report(fn func(i int, hit Hit)) {
	for i := range s.res {
		if s.res[i].df > 0 {
			ps := s.res[i].ps
			if s.maxDF > 0 && s.res[i].df > s.maxDF {
				ps = nil
			}
			fn(i, Hit{DF: s.res[i].df, Postings: ps, Stopped: s.res[i].stopped})
		}
	}
}

// SegmentCounts counts what the groups of one segment hold, for checks.
type SegmentCounts struct {
	Hashes, Stopped, Postings int
	Files                     map[uint32]int // postings per file
	ps                        []Posting
}

// AddGroup decodes the whole group of the hashes whose top 64-shift bits
// are prefix and counts what it holds. It fails on a corrupt group and
// on hashes out of order.
func (c *SegmentCounts) AddGroup(prefix uint64, shift uint, data []byte) error {
	if c.Files == nil {
		c.Files = map[uint32]int{}
	}
	g := NewGroupReader(prefix, shift, data)
	var prev uint64
	for first := true; g.Next(); first = false {
		if !first && g.Hash == prev {
			return errors.New("hashes out of order")
		}
		prev = g.Hash
		c.Hashes++
		if g.Stopped {
			c.Stopped++
			continue
		}
		c.ps, _ = DecodePostings(g.Postings, c.ps[:0], nil) // skipped whole by Next: no error
		for _, p := range c.ps {
			c.Postings++
			c.Files[p.File]++
		}
	}
	return g.Err()
}

// Check compares the counts with those a segment's record gives: the
// same hashes and stopped hashes, at most the postings buffered.
func (c *SegmentCounts) Check(hashes, stopped, postings int) error {
	if c.Hashes != hashes || c.Stopped != stopped || c.Postings > postings {
		return fmt.Errorf("holds %d hashes (%d stopped) and %d postings; its record says %d (%d), at most %d",
			c.Hashes, c.Stopped, c.Postings, hashes, stopped, postings)
	}
	return nil
}

// CopyGroup decodes a group (see NewGroupReader) and hands fn the
// postings of the files in ids, renumbered; a stopped hash becomes one
// marker posting (file 0) carrying its document frequency. It returns
// the number of postings handed over.
func CopyGroup(prefix uint64, shift uint, data []byte, ids map[uint32]uint32, fn func(RawPosting)) (int, error) {
	n := 0
	g := NewGroupReader(prefix, shift, data)
	var ps []Posting
	for g.Next() {
		if g.Stopped {
			fn(RawPosting{Hash: g.Hash, Line: uint32(min(g.DF, 1<<32-1))})
			n++
			continue
		}
		ps, _ = DecodePostings(g.Postings, ps[:0], nil) // skipped whole by Next: no error
		for _, p := range ps {
			if id, ok := ids[p.File]; ok {
				fn(RawPosting{Hash: g.Hash, File: id, Line: uint32(p.Line), Span: uint16(min(p.EndLine-p.Line, 0xffff)),
					Exact: p.Exact, Anchor: p.Anchor})
				n++
			}
		}
	}
	return n, g.Err()
}

// keyPrefix is the prefix a bbolt key of a group holds (big-endian).
func keyPrefix(key []byte) uint64 {
	var prefix uint64
	for _, c := range key {
		prefix = prefix<<8 | uint64(c)
	}
	return prefix
}

// NewRawPosting returns the posting of fingerprint fp of file.
func NewRawPosting(file uint32, fp *fingerprint.Fingerprint) RawPosting {
	return RawPosting{Hash: fp.Hash, File: file, Line: uint32(fp.Line), Span: uint16(min(fp.EndLine-fp.Line, 0xffff)),
		Exact: uint16(fp.Exact >> 16), Anchor: fp.Anchor}
}

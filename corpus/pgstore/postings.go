package pgstore

import (
	"cmp"
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"github.com/snipscan/snipscan/corpus"
)

// A row of postings holds every hash of one segment that shares the
// row's prefix (the top bits of the hash, bits chosen per segment so that
// a row holds some 16 hashes), in increasing order:
//
//	repeat: suffix delta (varint)
//	        header (varint): postings<<1 | stopped
//	        if stopped: df (varint)
//	        else postings times: file delta (varint) line (varint)
//	                              line span (varint) exact (2 bytes LE)
//	                              anchor (1 byte)
//
// the encoding of a group of the bbolt store (see package corpus), so
// that both stores keep the same postings of a hash: at most
// corpus.MaxPerFile per file, none above StopDF files.

// posting is a buffered posting.
type posting struct {
	hash   uint64
	file   uint32
	line   uint32
	span   uint16
	exact  uint16
	anchor uint8
}

// row is an encoded row of postings.
type row struct {
	route int16
	bkey  int64
	data  []byte
}

// segStats counts what a segment holds.
type segStats struct {
	bits, keys, hashes, postings, stopped int
}

// prefixBits returns how many top bits of a hash key a segment of npost
// postings: about 24 postings per row, 16 to 24 bits.
func prefixBits(npost int) int {
	b := int(math.Round(math.Log2(float64(max(npost, 1)) / 24)))
	return min(max(b, 16), 24)
}

// bkey is the key of the row of a hash's prefix in a segment of bits.
func bkey(bits int, h uint64) int64 { return int64(bits)<<32 | int64(h>>(64-bits)) }

// route is the routing value of a hash.
func route(h uint64) int16 { return int16(h >> (64 - RouteBits)) }

// encodeSegment sorts ps and encodes them in rows.
func encodeSegment(ps []posting, stopDF int) ([]row, segStats) {
	slices.SortFunc(ps, func(a, b posting) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		if c := cmp.Compare(a.file, b.file); c != 0 {
			return c
		}
		return cmp.Compare(a.line, b.line)
	})
	st := segStats{bits: prefixBits(len(ps)), postings: len(ps)}
	shift := 64 - st.bits
	var rows []row
	for i := 0; i < len(ps); {
		prefix := ps[i].hash >> shift
		r := row{route: route(ps[i].hash), bkey: bkey(st.bits, ps[i].hash)}
		var prev uint64
		for i < len(ps) && ps[i].hash>>shift == prefix {
			j := i
			for j < len(ps) && ps[j].hash == ps[i].hash {
				j++
			}
			suffix := ps[i].hash & (1<<shift - 1)
			r.data = binary.AppendUvarint(r.data, suffix-prev)
			prev = suffix
			var stopped bool
			r.data, stopped = appendHash(r.data, ps[i:j], stopDF)
			st.hashes++
			if stopped {
				st.stopped++
			}
			i = j
		}
		rows = append(rows, r)
	}
	st.keys = len(rows)
	return rows, st
}

// appendHash appends the header and postings of one hash (ps, sorted by
// file and line) and reports whether it was stopped.
func appendHash(b []byte, ps []posting, stopDF int) ([]byte, bool) {
	df := 0
	for k := range ps {
		if k == 0 || ps[k].file != ps[k-1].file {
			df++
		}
	}
	if df > stopDF {
		b = binary.AppendUvarint(b, uint64(len(ps))<<1|1)
		return binary.AppendUvarint(b, uint64(df)), true
	}
	keep := make([]bool, len(ps))
	kept, run := 0, 0
	for k := range ps {
		if k > 0 && ps[k].file != ps[k-1].file {
			run = 0
		}
		if run++; run <= corpus.MaxPerFile {
			keep[k] = true
			kept++
		}
	}
	b = binary.AppendUvarint(b, uint64(kept)<<1)
	var prevFile uint32
	for k, p := range ps {
		if !keep[k] {
			continue
		}
		b = binary.AppendUvarint(b, uint64(p.file-prevFile))
		prevFile = p.file
		b = binary.AppendUvarint(b, uint64(p.line))
		b = binary.AppendUvarint(b, uint64(p.span))
		b = binary.LittleEndian.AppendUint16(b, p.exact)
		b = append(b, p.anchor)
	}
	return b, false
}

var errCorrupt = errors.New("corrupt postings row")

// decoder reads varints and remembers the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errCorrupt, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if len(d.b) < n {
		d.err, d.b = errCorrupt, nil
		return make([]byte, n)
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// hashEntry is one hash of a row, decoded.
type hashEntry struct {
	hash     uint64
	df       int
	stopped  bool
	postings []corpus.Posting // live postings (files not dead)
}

// decodeRow calls fn for every hash of a row of a segment of bits.
func decodeRow(bits int, key int64, data []byte, dead map[uint32]bool, fn func(e *hashEntry)) error {
	shift := 64 - bits
	prefix := uint64(key&(1<<32-1)) << shift
	d := decoder{b: data}
	var suffix uint64
	var e hashEntry
	for len(d.b) > 0 {
		suffix += d.uvarint()
		hdr := d.uvarint()
		e = hashEntry{hash: prefix | suffix, stopped: hdr&1 == 1, postings: e.postings[:0]}
		if e.stopped {
			e.df = int(d.uvarint())
		} else {
			var file uint32
			for k := 0; k < int(hdr>>1); k++ {
				delta := uint32(d.uvarint())
				if delta != 0 || k == 0 {
					e.df++
				}
				file += delta
				line := int32(d.uvarint())
				span := int32(d.uvarint())
				x := d.bytes(3)
				if !dead[file] {
					e.postings = append(e.postings, corpus.Posting{File: file, Line: line, EndLine: line + span,
						Exact: binary.LittleEndian.Uint16(x), Anchor: x[2]})
				}
			}
		}
		if d.err != nil {
			return d.err
		}
		fn(&e)
	}
	return nil
}

package pgstore

import (
	"github.com/snipscan/snipscan/corpus"
)

// A row of postings holds every hash of one segment that shares the
// row's prefix (the top bits of the hash, bits chosen per segment so that
// a row holds some 16 hashes), encoded as a group of the bbolt store
// (corpus.AppendGroup, corpus.GroupReader), so that both stores keep the
// same postings of a hash: at most corpus.MaxPerFile per file, none above
// StopDF files.

// row is an encoded row of postings.
type row struct {
	route int16
	bkey  int64
	data  []byte
}

// segStats counts what a segment holds.
type segStats struct {
	corpus.GroupStats
	bits, keys, postings int
}

// bkey is the key of the row of a hash's prefix in a segment of bits.
func bkey(bits int, h uint64) int64 { return int64(bits)<<32 | int64(h>>(64-bits)) }

// keyBits and keyPrefix split a row's key.
func keyBits(key int64) int      { return int(key >> 32) }
func keyPrefix(key int64) uint64 { return uint64(key & (1<<32 - 1)) }

// route is the routing value of a hash.
func route(h uint64) int16 { return int16(h >> (64 - RouteBits)) }

// encodeSegment sorts ps and encodes them in rows.
func encodeSegment(ps []corpus.RawPosting, stopDF int) ([]row, segStats) {
	corpus.SortPostings(ps, nil)
	st := segStats{bits: corpus.PrefixBits(len(ps)), postings: len(ps)}
	shift := uint(64 - st.bits)
	var rows []row
	for i := 0; i < len(ps); {
		r := row{route: route(ps[i].Hash), bkey: bkey(st.bits, ps[i].Hash)}
		var n int
		r.data, n = corpus.AppendGroup(nil, ps[i:], shift, stopDF, &st.GroupStats)
		rows = append(rows, r)
		i += n
	}
	st.keys = len(rows)
	return rows, st
}

// groupReader returns a reader of the row of key.
func groupReader(key int64, data []byte) *corpus.GroupReader {
	return corpus.NewGroupReader(keyPrefix(key), uint(64-keyBits(key)), data)
}

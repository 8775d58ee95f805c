package spdxindex

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Kind says what a text of the index is.
type Kind byte

// Kinds of texts.
const (
	KindText   Kind = 't' // a full license text
	KindHeader Kind = 'h' // a standard header or notice that applies a license
)

// Entry is one license text of the index.
type Entry struct {
	// IDs are the licenses whose text this is: several when texts are
	// identical word for word (GPL-2.0-only and GPL-2.0-or-later), the
	// preferred one first (see PreferID).
	IDs        []string
	Name       string // the license's full name, from the SPDX list when it has one
	Source     string // where the text comes from: "spdx", "licensecheck", "licenseclassifier"
	Kind       Kind
	OSI        bool // approved by the Open Source Initiative
	Deprecated bool // the first ID is deprecated in the SPDX list
	Words      []Word
}

// Index is the compiled knowledge of license texts.
type Index struct {
	// Version records the data the index was built from, such as
	// "spdx-license-list@6.12.0 licensecheck@v0.3.1 licenseclassifier/v2@v2.0.0".
	Version string
	Entries []Entry
}

// magic opens an encoded index; formatVersion is its layout.
const (
	magic         = "SNIPSPDX"
	formatVersion = 1
)

// Encode writes x in the compact binary form Decode reads: a vocabulary
// of word hashes (most frequent first), then each entry's metadata and
// its words as varints of vocabulary positions. Entries are sorted by ID,
// kind, source and words, so the output depends on x's content alone.
func Encode(x *Index) []byte {
	entries := slices.Clone(x.Entries)
	slices.SortFunc(entries, compareEntries)
	vocab := vocabulary(entries)
	pos := make(map[uint32]uint64, len(vocab))
	for i, h := range vocab {
		pos[h] = uint64(i)
	}
	var b bytes.Buffer
	b.WriteString(magic)
	b.WriteByte(formatVersion)
	putString(&b, x.Version)
	putUvarint(&b, uint64(len(vocab)))
	for _, h := range vocab {
		var w [4]byte
		binary.LittleEndian.PutUint32(w[:], h)
		b.Write(w[:])
	}
	putUvarint(&b, uint64(len(entries)))
	for _, e := range entries {
		putUvarint(&b, uint64(len(e.IDs)))
		for _, id := range e.IDs {
			putString(&b, id)
		}
		putString(&b, e.Name)
		putString(&b, e.Source)
		b.WriteByte(byte(e.Kind))
		b.WriteByte(flagByte(e))
		putUvarint(&b, uint64(len(e.Words)))
		for _, w := range e.Words {
			code := uint64(0) // a slot
			if !w.Slot {
				code = pos[w.Hash] + 1
			}
			code <<= 1
			if w.Optional {
				code |= 1
			}
			putUvarint(&b, code)
		}
	}
	return b.Bytes()
}

func flagByte(e Entry) byte {
	var f byte
	if e.OSI {
		f |= 1
	}
	if e.Deprecated {
		f |= 2
	}
	return f
}

func compareEntries(a, b Entry) int {
	return cmp.Or(slices.Compare(a.IDs, b.IDs), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Source, b.Source),
		slices.CompareFunc(a.Words, b.Words, compareWords), cmp.Compare(a.Name, b.Name))
}

func compareWords(a, b Word) int {
	return cmp.Or(cmp.Compare(a.Hash, b.Hash), boolCmp(a.Slot, b.Slot), boolCmp(a.Optional, b.Optional))
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// vocabulary returns the distinct word hashes of entries, most frequent
// first (ties by hash), so that frequent words take one byte.
func vocabulary(entries []Entry) []uint32 {
	freq := map[uint32]int{}
	for _, e := range entries {
		for _, w := range e.Words {
			if !w.Slot {
				freq[w.Hash]++
			}
		}
	}
	vocab := make([]uint32, 0, len(freq))
	for h := range freq {
		vocab = append(vocab, h)
	}
	slices.SortFunc(vocab, func(a, b uint32) int { return cmp.Or(cmp.Compare(freq[b], freq[a]), cmp.Compare(a, b)) })
	return vocab
}

func putUvarint(b *bytes.Buffer, v uint64) {
	var buf [binary.MaxVarintLen64]byte
	b.Write(buf[:binary.PutUvarint(buf[:], v)])
}

func putString(b *bytes.Buffer, s string) {
	putUvarint(b, uint64(len(s)))
	b.WriteString(s)
}

// errCorrupt is wrapped by every decoding error.
var errCorrupt = errors.New("spdxindex: corrupt index")

// decoder reads an encoded index.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = fmt.Errorf("%w: bad varint", errCorrupt)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = fmt.Errorf("%w: truncated", errCorrupt)
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) string() string { return string(d.bytes(d.uvarint())) }

// compiled is a decoded index: entries with their words as vocabulary
// codes, the form the matcher aligns.
type compiled struct {
	version string
	vocab   map[uint32]uint32 // word hash -> code (1-based vocabulary position)
	entries []compiledEntry
}

type compiledEntry struct {
	Entry
	codes     []uint32 // words without slots: vocabulary codes
	optional  []bool   // per code
	afterSlot []bool   // per code: whether replaceable text comes before it
	required  int      // codes not optional
}

// decode reads an encoded index into its compiled form; the entries'
// Words are kept only when words is set (the matcher needs their codes
// alone).
func decode(b []byte, words bool) (*compiled, error) {
	d := &decoder{b: b}
	if string(d.bytes(uint64(len(magic)))) != magic {
		return nil, fmt.Errorf("%w: no magic", errCorrupt)
	}
	if v := d.bytes(1); d.err == nil && v[0] != formatVersion {
		return nil, fmt.Errorf("%w: format %d, want %d", errCorrupt, v[0], formatVersion)
	}
	c := &compiled{version: d.string()}
	nv := d.uvarint()
	raw := d.bytes(4 * nv)
	if d.err != nil {
		return nil, d.err
	}
	vocab := make([]uint32, nv)
	c.vocab = make(map[uint32]uint32, nv)
	for i := range vocab {
		vocab[i] = binary.LittleEndian.Uint32(raw[4*i:])
		c.vocab[vocab[i]] = uint32(i + 1)
	}
	ne := d.uvarint()
	if ne > uint64(len(d.b)) {
		return nil, fmt.Errorf("%w: %d entries", errCorrupt, ne)
	}
	c.entries = make([]compiledEntry, 0, ne)
	for range ne {
		e, err := d.entry(vocab, words)
		if err != nil {
			return nil, err
		}
		c.entries = append(c.entries, e)
	}
	return c, d.err
}

// entry reads one entry.
func (d *decoder) entry(vocab []uint32, words bool) (compiledEntry, error) {
	var e compiledEntry
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return e, fmt.Errorf("%w: %d IDs", errCorrupt, n)
	}
	for range n {
		e.IDs = append(e.IDs, d.string())
	}
	e.Name, e.Source = d.string(), d.string()
	kf := d.bytes(2)
	nw := d.uvarint()
	if d.err != nil || nw > uint64(len(d.b)) {
		return e, cmp.Or(d.err, fmt.Errorf("%w: %d words", errCorrupt, nw))
	}
	e.Kind, e.OSI, e.Deprecated = Kind(kf[0]), kf[1]&1 != 0, kf[1]&2 != 0
	if words {
		e.Words = make([]Word, 0, nw)
	}
	e.codes = make([]uint32, 0, nw)
	e.optional = make([]bool, 0, nw)
	e.afterSlot = make([]bool, 0, nw)
	slot := false
	for range nw {
		code := d.uvarint()
		w := Word{Optional: code&1 != 0, Slot: code>>1 == 0}
		if !w.Slot {
			i := code>>1 - 1
			if i >= uint64(len(vocab)) {
				return e, fmt.Errorf("%w: word %d of %d", errCorrupt, i, len(vocab))
			}
			w.Hash = vocab[i]
			e.codes = append(e.codes, uint32(i+1))
			e.optional = append(e.optional, w.Optional)
			e.afterSlot = append(e.afterSlot, slot)
			if !w.Optional {
				e.required++
			}
		}
		slot = w.Slot
		if words {
			e.Words = append(e.Words, w)
		}
	}
	return e, d.err
}

// Decode reads an index written by Encode.
func Decode(b []byte) (*Index, error) {
	c, err := decode(b, true)
	if err != nil {
		return nil, err
	}
	x := &Index{Version: c.version, Entries: make([]Entry, len(c.entries))}
	for i, e := range c.entries {
		x.Entries[i] = e.Entry
	}
	return x, nil
}

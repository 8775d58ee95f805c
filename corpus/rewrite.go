package corpus

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Buckets of the rewrite stage (schema 2; see the package documentation).
var (
	bRWUnits = []byte("rwUnits") // unitID -> unit record
	bRWPost  = []byte("rwPost")  // feature prefix(2) -> block of features and their units
	bRWNorm  = []byte("rwNorm")  // unitID -> total weight, anchor weight (float32 each)
	kRewrite = []byte("rewrite") // meta: JSON RewriteInfo
)

// RewriteUnit is a function unit of the rewrite stage (see package
// rewrite): the file and lines it spans, its statements and its feature
// bag (sorted 32-bit feature hashes).
type RewriteUnit struct {
	ID                    uint32
	File                  uint32
	Line, EndLine         int // the unit, helpers included
	FuncLine, FuncEndLine int // the function alone
	Stmts                 int
	// Features is the unit's feature bag as added (AddUnits); units read
	// back (RewriteUnits) do not carry it: the postings hold it.
	Features    []uint32
	NumFeatures int // the size of the bag
	// Total and Anchors are the sums of the weights (inverse document
	// frequency) of the unit's features, of all and of the anchor
	// families, as of the last rebuild of the rewrite index.
	Total, Anchors float64
}

// RewriteInfo describes the rewrite index of a database.
type RewriteInfo struct {
	FeatureVersion int    `json:"feature_version"` // the features' version (rewrite.FeatureVersion)
	NextUnit       uint32 `json:"next_unit"`       // units below this ID are in the postings
	Units          int    `json:"units"`           // units of live files
	RareMax        int    `json:"rare_max"`        // features in at most this many units have postings
	Features       int    `json:"features"`        // distinct features
	Rare           int    `json:"rare"`            // of which rare
}

// rareMaxFor is the largest document frequency of a rare feature in a
// corpus of n units: 30, or 0.05% of the units when that is more.
func rareMaxFor(n int) int { return max(30, n/2000) }

// anchorFamilies is the top-bits test of the rewrite package's anchor
// families (calls, literals, types, builtins: families 0 to 3).
func isAnchor(f uint32) bool { return f>>29 <= 3 }

func encodeUnit(u *RewriteUnit) []byte {
	b := make([]byte, 0, 16)
	b = binary.BigEndian.AppendUint32(b, u.File)
	for _, v := range []int{u.Line, u.EndLine - u.Line, u.FuncLine - u.Line, u.FuncEndLine - u.FuncLine, u.Stmts, len(u.Features)} {
		b = binary.AppendUvarint(b, uint64(max(v, 0)))
	}
	return b
}

func decodeUnit(id uint32, v []byte) (RewriteUnit, error) {
	r := reader{b: v}
	u := RewriteUnit{ID: id, File: binary.BigEndian.Uint32(r.bytes(4))}
	u.Line = int(r.uvarint())
	u.EndLine = u.Line + int(r.uvarint())
	u.FuncLine = u.Line + int(r.uvarint())
	u.FuncEndLine = u.FuncLine + int(r.uvarint())
	u.Stmts = int(r.uvarint())
	u.NumFeatures = int(r.uvarint())
	if r.err != nil {
		return u, fmt.Errorf("corpus: unit %d: %w", id, r.err)
	}
	return u, nil
}

// AddUnits buffers the rewrite units of a file about to be added with
// AddFile; they are committed with it and given IDs then. The rewrite
// index (postings of rare features, frequencies of common ones) is
// rebuilt by Finish.
func (w *Writer) AddUnits(fileID uint32, units []RewriteUnit) {
	for _, u := range units {
		u.File = fileID
		w.units = append(w.units, u)
	}
}

// commitUnits writes the buffered units (in the commit transaction of
// their files).
func (w *Writer) commitUnits(tx *bolt.Tx) error {
	if len(w.units) == 0 {
		return nil
	}
	b := tx.Bucket(bRWUnits)
	b.FillPercent = 1.0
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.st.NextUnit == 0 {
		w.st.NextUnit = 1
	}
	for i := range w.units {
		id := w.st.NextUnit
		w.st.NextUnit++
		if err := b.Put(u32(id), encodeUnit(&w.units[i])); err != nil {
			return fmt.Errorf("corpus: unit %d: %w", id, err)
		}
		for _, f := range w.units[i].Features {
			w.pending = append(w.pending, uint64(f)<<32|uint64(id))
		}
	}
	w.stats.Units += len(w.units)
	w.units = w.units[:0]
	w.unitsChanged = true
	return nil
}

// rebuildRewrite merges the features of the units committed by this
// writer (held in memory until Finish) into the postings, drops the units of removed
// files, and recomputes every unit's weights. It reads and rewrites the
// whole rewrite index: its cost grows with the corpus, not with the run
// (an incremental merge of the touched blocks is left for later).
func (w *Writer) rebuildRewrite(tx *bolt.Tx) error {
	dead := map[uint32]bool{}
	units := tx.Bucket(bRWUnits)
	if err := tx.Bucket(bDead).ForEach(func(k, _ []byte) error {
		if len(k) == 4 {
			dead[binary.BigEndian.Uint32(k)] = true
		}
		return nil
	}); err != nil {
		return err
	}
	live := map[uint32]bool{} // units of live files
	if err := units.ForEach(func(k, v []byte) error {
		if len(k) == 4 && len(v) >= 4 && !dead[binary.BigEndian.Uint32(v)] {
			live[binary.BigEndian.Uint32(k)] = true
		}
		return nil
	}); err != nil {
		return err
	}
	var pairs []uint64 // feature<<32 | unit
	if post := tx.Bucket(bRWPost); post != nil {
		if err := post.ForEach(func(k, v []byte) error {
			return decodeBlock(k, v, func(f uint32, ids []uint32) {
				for _, id := range ids {
					if live[id] {
						pairs = append(pairs, uint64(f)<<32|uint64(id))
					}
				}
			})
		}); err != nil {
			return err
		}
	}
	for _, p := range w.pending {
		if live[uint32(p)] {
			pairs = append(pairs, p)
		}
	}
	w.pending = nil
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	for _, name := range [][]byte{bRWPost, bRWNorm} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	ix := BuildRewriteIndex(pairs, live, w.opts.RewriteVersion, w.st.NextUnit)
	post := tx.Bucket(bRWPost)
	post.FillPercent = 1.0
	for _, b := range ix.Blocks {
		var k [2]byte
		binary.BigEndian.PutUint16(k[:], b.Prefix)
		if err := post.Put(k[:], b.Data); err != nil {
			return err
		}
	}
	norm := tx.Bucket(bRWNorm)
	norm.FillPercent = 1.0
	for _, u := range ix.Weights {
		var v [8]byte
		binary.BigEndian.PutUint32(v[:], math.Float32bits(u.Total))
		binary.BigEndian.PutUint32(v[4:], math.Float32bits(u.Anchors))
		if err := norm.Put(u32(u.Unit), v[:]); err != nil {
			return err
		}
	}
	iv, _ := json.Marshal(ix.Info)
	return tx.Bucket(bMeta).Put(kRewrite, iv)
}

// RewriteIndex is the rewrite index built from the features of a
// corpus's live units (BuildRewriteIndex), as every store keeps it.
type RewriteIndex struct {
	// Blocks hold the features sharing their top 16 bits (Prefix), in
	// increasing order, each: low-bits delta (varint), df (varint), df
	// unit-ID deltas (varint).
	Blocks []RewriteBlock
	// Weights are the units' sums of the IDF of their features, of all
	// and of the anchor families, in increasing unit order.
	Weights []UnitWeights
	Info    RewriteInfo
}

// RewriteBlock is one block of a RewriteIndex.
type RewriteBlock struct {
	Prefix uint16
	Data   []byte
}

// UnitWeights are the weights of one unit (RewriteUnit.Total, Anchors).
type UnitWeights struct {
	Unit           uint32
	Total, Anchors float32
}

// BuildRewriteIndex builds the rewrite index from pairs (feature<<32 |
// unit, sorted, without duplicates) of the live units, recording the
// feature version and the next unit ID in its Info.
func BuildRewriteIndex(pairs []uint64, live map[uint32]bool, version int, nextUnit uint32) *RewriteIndex {
	n := len(live)
	ix := &RewriteIndex{Info: RewriteInfo{FeatureVersion: version, Units: n, RareMax: rareMaxFor(n), NextUnit: nextUnit}}
	weights := make(map[uint32]*UnitWeights, n)
	for id := range live {
		weights[id] = &UnitWeights{Unit: id}
	}
	var block []byte
	var prev uint32
	curPrefix := uint32(1 << 16) // none
	flush := func() {
		if len(block) > 0 {
			ix.Blocks = append(ix.Blocks, RewriteBlock{Prefix: uint16(curPrefix), Data: slices.Clone(block)})
			block = block[:0]
		}
	}
	for i := 0; i < len(pairs); {
		f := uint32(pairs[i] >> 32)
		j := i
		for j < len(pairs) && uint32(pairs[j]>>32) == f {
			j++
		}
		if p := f >> 16; p != curPrefix {
			flush()
			curPrefix, prev = p, p<<16
		}
		df := j - i
		wt := float32(math.Log(float64(n+1) / float64(df)))
		anchor := isAnchor(f)
		block = binary.AppendUvarint(block, uint64(f-prev))
		block = binary.AppendUvarint(block, uint64(df))
		prevID := uint32(0)
		for _, pr := range pairs[i:j] {
			id := uint32(pr)
			if uw := weights[id]; uw != nil {
				uw.Total += wt
				if anchor {
					uw.Anchors += wt
				}
			}
			block = binary.AppendUvarint(block, uint64(id-prevID))
			prevID = id
		}
		prev = f
		ix.Info.Features++
		if df <= ix.Info.RareMax {
			ix.Info.Rare++
		}
		i = j
	}
	flush()
	for _, uw := range weights {
		ix.Weights = append(ix.Weights, *uw)
	}
	slices.SortFunc(ix.Weights, func(a, b UnitWeights) int { return cmp.Compare(a.Unit, b.Unit) })
	return ix
}

// decodeBlock calls fn for each feature of a postings block, with the
// units that hold it (valid during the call only).
func decodeBlock(k, v []byte, fn func(f uint32, ids []uint32)) error {
	if len(k) != 2 {
		return fmt.Errorf("corpus: rewrite postings key %x: %w", k, errCorrupt)
	}
	r := reader{b: v}
	f := uint32(binary.BigEndian.Uint16(k)) << 16
	var ids []uint32
	for len(r.b) > 0 {
		f += uint32(r.uvarint())
		df := int(r.uvarint())
		if r.err != nil || df > len(r.b) {
			return fmt.Errorf("corpus: rewrite postings %x: %w", k, errCorrupt)
		}
		ids = ids[:0]
		id := uint32(0)
		for range df {
			id += uint32(r.uvarint())
			ids = append(ids, id)
		}
		if r.err != nil {
			return fmt.Errorf("corpus: rewrite postings %x: %w", k, r.err)
		}
		fn(f, ids)
	}
	return nil
}

// RewriteInfo returns the database's rewrite index description, or nil
// when it has none (a database of schema 1, or no rewrite index built).
func (db *DB) RewriteInfo() (*RewriteInfo, error) {
	var info *RewriteInfo
	if db.schema < 2 {
		return nil, nil // before the rewrite stage, whatever the file holds
	}
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bMeta).Get(kRewrite)
		if v == nil {
			return nil
		}
		info = &RewriteInfo{}
		if err := json.Unmarshal(v, info); err != nil {
			return fmt.Errorf("corpus: %s: %w (bad rewrite record: %v)", db.path, ErrNotCorpus, err)
		}
		return nil
	})
	return info, err
}

// RewriteLookup looks up features (sorted or not) in the rewrite index
// and calls fn for each one the corpus holds, with its document frequency
// and, for a rare feature, the units that hold it (valid during the call
// only).
func (db *DB) RewriteLookup(ctx context.Context, feats []uint32, fn func(i, df int, units []uint32)) error {
	return db.view(func(tx *bolt.Tx) error {
		post := tx.Bucket(bRWPost)
		if post == nil {
			return nil
		}
		err := LookupRewriteBlocks(ctx, feats, func(prefix uint16) []byte {
			var k [2]byte
			binary.BigEndian.PutUint16(k[:], prefix)
			return post.Get(k[:])
		}, fn)
		if err != nil {
			return fmt.Errorf("corpus: %s: %w", db.path, err)
		}
		return nil
	})
}

// LookupRewriteBlocks is RewriteLookup over the blocks of a RewriteIndex
// that block returns by prefix (nil for none).
func LookupRewriteBlocks(ctx context.Context, feats []uint32, block func(prefix uint16) []byte, fn func(i, df int, units []uint32)) error {
	order := make([]int, len(feats))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(int64(feats[a]) - int64(feats[b])) })
	var units []uint32
	for s := 0; s < len(order); {
		if err := ctx.Err(); err != nil {
			return err
		}
		prefix := feats[order[s]] >> 16
		e := s
		for e < len(order) && feats[order[e]]>>16 == prefix {
			e++
		}
		if blk := block(uint16(prefix)); blk != nil {
			if err := scanBlock(blk, prefix, feats, order[s:e], &units, fn); err != nil {
				return fmt.Errorf("rewrite postings %04x: %w", prefix, err)
			}
		}
		s = e
	}
	return nil
}

// scanBlock walks one block of features sharing prefix and calls fn for
// the wanted ones (indexes into feats, sorted by feature).
func scanBlock(blk []byte, prefix uint32, feats []uint32, want []int, units *[]uint32, fn func(i, df int, units []uint32)) error {
	r := reader{b: blk}
	f := prefix << 16
	w := 0
	for len(r.b) > 0 && w < len(want) {
		f += uint32(r.uvarint())
		df := int(r.uvarint())
		if r.err != nil {
			return r.err
		}
		for w < len(want) && feats[want[w]] < f {
			w++
		}
		if w >= len(want) || feats[want[w]] != f {
			r.skipUvarints(df)
			if r.err != nil {
				return r.err
			}
			continue
		}
		*units = (*units)[:0]
		id := uint32(0)
		for range df {
			id += uint32(r.uvarint())
			*units = append(*units, id)
		}
		if r.err != nil {
			return r.err
		}
		for w < len(want) && feats[want[w]] == f {
			fn(want[w], df, *units)
			w++
		}
	}
	return nil
}

// RewriteUnits loads units by ID (with their weights) and calls fn for
// each one found.
func (db *DB) RewriteUnits(ctx context.Context, ids []uint32, fn func(u RewriteUnit)) error {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	return db.view(func(tx *bolt.Tx) error {
		ub, nb := tx.Bucket(bRWUnits), tx.Bucket(bRWNorm)
		if ub == nil || nb == nil {
			return nil
		}
		for _, id := range sorted {
			if err := ctx.Err(); err != nil {
				return err
			}
			v := ub.Get(u32(id))
			if v == nil {
				continue
			}
			u, err := decodeUnit(id, v)
			if err != nil {
				return fmt.Errorf("corpus: %s: %w", db.path, err)
			}
			if nv := nb.Get(u32(id)); len(nv) == 8 {
				u.Total = float64(math.Float32frombits(binary.BigEndian.Uint32(nv)))
				u.Anchors = float64(math.Float32frombits(binary.BigEndian.Uint32(nv[4:])))
			} else {
				continue // a unit of a removed file
			}
			fn(u)
		}
		return nil
	})
}

// dropUnmergedUnits removes the units a killed run committed but never
// merged into the postings (it merges them at Finish): they could never be
// found. Their files keep their fingerprints; their rewrites are found
// again once the database is re-created.
func dropUnmergedUnits(tx *bolt.Tx, db *DB) error {
	units := tx.Bucket(bRWUnits)
	if units == nil {
		return nil
	}
	next := uint32(1)
	if v := tx.Bucket(bMeta).Get(kRewrite); v != nil {
		var info RewriteInfo
		if err := json.Unmarshal(v, &info); err != nil {
			return fmt.Errorf("corpus: rewrite record: %w", err)
		}
		next = max(info.NextUnit, 1)
	}
	var drop [][]byte
	c := units.Cursor()
	for k, _ := c.Seek(u32(next)); k != nil; k, _ = c.Next() {
		drop = append(drop, slices.Clone(k))
	}
	if len(drop) > 0 {
		db.log.Info("removing rewrite units an interrupted run did not merge", "units", len(drop))
	}
	for _, k := range drop {
		if err := units.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

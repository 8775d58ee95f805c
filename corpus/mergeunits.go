package corpus

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// unitMerge carries a shard's rewrite units into a Merge: the units of
// src's live files, each with its feature bag, and the database's files
// that hold units already.
type unitMerge struct {
	byFile map[uint32][]RewriteUnit // src file -> its units, features included
	held   map[uint32]bool          // database files with units
}

// srcUnits reads src's rewrite units for a merge into the writer's
// database. A unit's feature bag is not stored with it: it is rebuilt
// from src's postings, which hold every feature of every unit of a live
// file (src is a finished database: a run left unfinished is refused
// before a merge). It fails when src's features are of another version
// than the database's or the writer's, as a shard of other fingerprint
// parameters does. It returns nil when src has no rewrite index.
//
// Memory grows with src's units, as the rebuild of the rewrite index at
// Finish does with the database's.
func (m *merger) srcUnits() (*unitMerge, error) {
	info, err := m.src.RewriteInfo()
	if err != nil || info == nil || info.Units == 0 {
		return nil, err
	}
	if err := m.w.adoptRewriteVersion(info.FeatureVersion, m.src.path); err != nil {
		return nil, err
	}
	um := &unitMerge{byFile: map[uint32][]RewriteUnit{}}
	if um.held, err = m.w.filesWithUnits(); err != nil {
		return nil, err
	}
	feats := map[uint32][]uint32{}
	err = m.src.view(func(tx *bolt.Tx) error {
		units, post := tx.Bucket(bRWUnits), tx.Bucket(bRWPost)
		if units == nil || post == nil {
			return nil
		}
		// Blocks and the features inside them come in increasing order,
		// so each bag is built sorted.
		if err := post.ForEach(func(k, v []byte) error {
			return decodeBlock(k, v, func(f uint32, ids []uint32) {
				for _, id := range ids {
					feats[id] = append(feats[id], f)
				}
			})
		}); err != nil {
			return err
		}
		return units.ForEach(func(k, v []byte) error {
			if len(k) != 4 {
				return fmt.Errorf("rewrite unit key %x: %w", k, ErrNotCorpus)
			}
			id := binary.BigEndian.Uint32(k)
			fs, ok := feats[id]
			if !ok {
				return nil // a unit of a removed file: the postings dropped it
			}
			u, err := decodeUnit(id, v)
			if err != nil {
				return err
			}
			if m.t.dead[u.File] {
				return nil
			}
			u.ID, u.Features, u.NumFeatures = 0, fs, len(fs)
			um.byFile[u.File] = append(um.byFile[u.File], u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("rewrite units: %w", err)
	}
	return um, nil
}

// add buffers the units of src's file srcID as those of the database's
// file id, unless the database holds units of that file already (a
// content merged before, or indexed). So a content whose units a
// database lacks (merged by a run that was killed before it finished,
// whose units were dropped as unmerged) gets them from the next merge.
// It returns the number of units added.
func (um *unitMerge) add(w *Writer, srcID, id uint32) int {
	if um == nil || um.held[id] {
		return 0
	}
	us := um.byFile[srcID]
	if len(us) > 0 {
		w.AddUnits(id, us)
		um.held[id] = true
	}
	return len(us)
}

// adoptRewriteVersion makes the writer record units of feature version v
// (from the shard at path): a writer that adds none yet takes it, one
// that adds another version, or a database holding units of another
// version, refuses it.
func (w *Writer) adoptRewriteVersion(v int, path string) error {
	if w.opts.RewriteVersion == 0 {
		info, err := w.db.RewriteInfo()
		if err != nil {
			return err
		}
		if info != nil && info.Units > 0 && info.FeatureVersion != v {
			return fmt.Errorf("%s holds rewrite units of feature version %d, %s of version %d: %w",
				w.db.path, info.FeatureVersion, path, v, ErrParamsMismatch)
		}
		w.opts.RewriteVersion = v
	}
	if w.opts.RewriteVersion != v {
		return fmt.Errorf("%s holds rewrite units of feature version %d, this writer adds version %d: %w",
			path, v, w.opts.RewriteVersion, ErrParamsMismatch)
	}
	return nil
}

// filesWithUnits returns the database's files that hold committed
// rewrite units.
func (w *Writer) filesWithUnits() (map[uint32]bool, error) {
	held := map[uint32]bool{}
	err := w.db.view(func(tx *bolt.Tx) error {
		units := tx.Bucket(bRWUnits)
		if units == nil {
			return nil
		}
		return units.ForEach(func(_, v []byte) error {
			if len(v) >= 4 {
				held[binary.BigEndian.Uint32(v)] = true
			}
			return nil
		})
	})
	return held, err
}

package corpus

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// MergeStats counts what Merge added.
type MergeStats struct {
	Files      int // contents new to the database, with their fingerprints
	Duplicates int // contents the database already held: only their locations were added
	Locations  int // locations new to the database, or changed (another content at a path)
	Postings   int // postings copied (hashes stopped in src count once)
	Roots      int // roots new to the database
	Packages   int // packages new to the database
	Units      int // functions of the rewrite stage added (see RewriteUnit)
}

// Merge adds everything src holds to the writer's database: its roots,
// packages (with their publication times), attributions and license
// texts, every live file with its fingerprints and rewrite units (the
// rewrite index is rebuilt by Finish), every location, and the
// records of packages fetched and indexed whole (committed with the last
// of the shard's locations; one the database holds already is kept, and
// one with another digest for the same package is refused up front). src must have the same parameters as
// the database. Nothing is fingerprinted again: postings are copied, with
// their file IDs renumbered.
//
// A content the database already holds (from another shard, or an earlier
// merge of src) keeps its record and fingerprints; only its locations are
// added. A location at a path the database already holds below the same
// root is replaced by src's: the shard merged last wins. A record the
// database already holds unchanged is not written again. So merging a
// shard again right after changes nothing, not even the file's size, and
// a merge that was interrupted is completed by running it again. A merge
// that fails on a damaged shard leaves the writer broken, as a failed
// Flush does: what was committed before stays, nothing more is.
//
// Memory is bounded by the larger of the writer's batch and one segment
// of src: each segment of src is buffered whole, with its files and
// their locations, so that no commit holds a file without all its
// postings.
func (w *Writer) Merge(ctx context.Context, src *DB) (st MergeStats, err error) {
	if w.closed {
		return st, fmt.Errorf("corpus: writer is closed")
	}
	if src.params != w.db.params {
		return st, fmt.Errorf("corpus: %s was built with %s, %s with %s: %w",
			src.path, src.params, w.db.path, w.db.params, ErrParamsMismatch)
	}
	if err := w.Flush(); err != nil {
		return st, err
	}
	locs := w.stats.Locations // the writer counts the locations it writes
	defer func() { st.Locations = w.stats.Locations - locs }()
	t, err := src.tables()
	if err != nil {
		return st, err
	}
	m := &merger{w: w, src: src, t: t, st: &st,
		roots: map[uint32]uint32{}, pkgs: map[uint32]uint32{0: 0}, attrs: map[uint32]uint32{0: 0}}
	fetched, err := m.fetchedRecords()
	if err != nil {
		return st, err
	}
	if err := m.records(); err != nil {
		return st, err
	}
	if m.units, err = m.srcUnits(); err != nil {
		return st, fmt.Errorf("corpus: merge %s: %w", src.path, err)
	}
	err = src.view(func(tx *bolt.Tx) error {
		if err := m.texts(tx); err != nil {
			return err
		}
		groups, err := m.filesBySegment(tx)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := m.segment(tx, g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("corpus: merge %s: %w", src.path, err)
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			// A group may have failed halfway (an error, or a damaged
			// page's panic), with some of its postings buffered but not
			// its files: nothing more may be committed, as after a failed
			// Flush. Cancellation is only seen between groups, when what
			// is buffered is whole.
			w.failed = err
		}
		return st, err
	}
	// The records of packages fetched whole, in the commit of the
	// shard's last locations.
	w.fetched = append(w.fetched, fetched...)
	if err := w.Flush(); err != nil {
		return st, err
	}
	return st, nil
}

// merger holds the state of one Merge: the maps from src's IDs to the
// database's.
type merger struct {
	w     *Writer
	src   *DB
	t     *cache
	st    *MergeStats
	roots map[uint32]uint32
	pkgs  map[uint32]uint32
	attrs map[uint32]uint32
	units *unitMerge // src's rewrite units; nil when it has none
}

// records maps src's roots, packages and attributions, recording those
// the database lacks.
func (m *merger) records() error {
	for _, id := range sortedIDs(m.t.roots) {
		r := m.t.roots[id]
		next := m.w.st.NextRoot // a new root gets this ID or a later one
		nid, _, err := m.w.root(r.Path, r.Kind, r.Indexed)
		if err != nil {
			return err
		}
		m.roots[id] = nid
		if nid >= next {
			m.st.Roots++
		}
	}
	for _, id := range sortedIDs(m.t.pkgs) {
		p := *m.t.pkgs[id]
		nroot, ok := m.roots[p.RootID]
		if !ok {
			return fmt.Errorf("corpus: merge %s: package %d names root %d, which is not there: %w", m.src.path, id, p.RootID, ErrNotCorpus)
		}
		p.RootID, p.ID = nroot, 0
		next := m.w.st.NextPkg // a new package gets this ID or a later one
		nid, err := m.w.Package(p)
		if err != nil {
			return err
		}
		m.pkgs[id] = nid
		if nid >= next {
			m.st.Packages++
		}
	}
	for _, id := range sortedIDs(m.t.attrs) {
		m.attrs[id] = m.w.Attribution(*m.t.attrs[id])
	}
	return nil
}

func sortedIDs[V any](m map[uint32]V) []uint32 {
	ids := make([]uint32, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// texts copies src's license texts.
func (m *merger) texts(tx *bolt.Tx) error {
	b := tx.Bucket(bTexts)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		if id := m.w.LicenseText(v); id != string(k) {
			return fmt.Errorf("license text %s: its content has ID %q: %w", k, id, ErrNotCorpus)
		}
		return nil
	})
}

// segGroup is a segment of src and the live files it holds.
type segGroup struct {
	seg   *segment // nil: files without fingerprints, whose segment has none
	files []FileRecord
}

// filesBySegment reads src's live files, grouped by the segment that
// holds their postings, in segment order.
func (m *merger) filesBySegment(tx *bolt.Tx) ([]segGroup, error) {
	segs := map[uint32]*segment{}
	for i := range m.t.segs {
		segs[m.t.segs[i].ID] = &m.t.segs[i]
	}
	bySeg := map[uint32][]FileRecord{}
	err := tx.Bucket(bFiles).ForEach(func(k, v []byte) error {
		if len(k) != 4 {
			return fmt.Errorf("file key %x: %w", k, ErrNotCorpus)
		}
		f, err := decodeFile(binary.BigEndian.Uint32(k), v)
		if err != nil {
			return err
		}
		if m.t.dead[f.ID] {
			return nil
		}
		if segs[f.Segment] == nil {
			if f.Fingerprints > 0 {
				return fmt.Errorf("file %d points at segment %d, which is not committed: %w", f.ID, f.Segment, ErrNotCorpus)
			}
			f.Segment = 0
		}
		bySeg[f.Segment] = append(bySeg[f.Segment], f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	groups := make([]segGroup, 0, len(bySeg))
	for id, files := range bySeg {
		groups = append(groups, segGroup{seg: segs[id], files: files})
	}
	slices.SortFunc(groups, func(a, b segGroup) int { return cmp.Compare(a.files[0].Segment, b.files[0].Segment) })
	return groups, nil
}

// segment adds one group: it claims the group's contents, buffers the
// postings of those new to the database, then the file records and all
// their locations; the writer flushes when its batch is full, never
// inside a group.
func (m *merger) segment(tx *bolt.Tx, g segGroup) error {
	w := m.w
	ids := make(map[uint32]uint32, len(g.files)) // src file -> database file
	fresh := map[uint32]uint32{}                 // the same, for contents new to the database
	for _, f := range g.files {
		id, isNew := w.Claim(f.Sum)
		ids[f.ID] = id
		if isNew {
			fresh[f.ID] = id
		}
	}
	if g.seg != nil && len(fresh) > 0 {
		b := tx.Bucket(bFP).Bucket(u32(g.seg.ID))
		if b == nil {
			return fmt.Errorf("segment %d has no postings bucket: %w", g.seg.ID, ErrNotCorpus)
		}
		n, err := copyPostings(b, g.seg.bits(), fresh, w.buffer)
		if err != nil {
			return fmt.Errorf("segment %d: %w", g.seg.ID, err)
		}
		m.st.Postings += n
	}
	for _, f := range g.files {
		id := ids[f.ID]
		m.st.Units += m.units.add(w, f.ID, id)
		if _, ok := fresh[f.ID]; !ok {
			m.st.Duplicates++
			continue
		}
		f.ID = id
		w.files = append(w.files, f)
		w.added[id] = true
		w.stats.Files++
		m.st.Files++
	}
	locs, fileLocs := tx.Bucket(bLocs), tx.Bucket(bFileLocs)
	for _, f := range g.files {
		prefix := u32(f.ID)
		c := fileLocs.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if len(k) < 8 {
				return fmt.Errorf("reverse location key %x: %w", k, ErrNotCorpus)
			}
			key := k[4:]
			v := locs.Get(key)
			if v == nil {
				return fmt.Errorf("file %d: location %q is missing: %w", f.ID, key[4:], ErrNotCorpus)
			}
			l, err := decodeLoc(key, v)
			if err != nil {
				return err
			}
			var ok1, ok2, ok3 bool
			l.FileID = ids[f.ID]
			l.RootID, ok1 = m.roots[l.RootID]
			l.PkgID, ok2 = m.pkgs[l.PkgID]
			l.AttrID, ok3 = m.attrs[l.AttrID]
			if !ok1 || !ok2 || !ok3 {
				return fmt.Errorf("location %s names a root, package or attribution that is not there: %w", l.Path, ErrNotCorpus)
			}
			// Straight into the batch, not through AddLocation: the
			// group must not be split by a flush.
			w.locs = append(w.locs, l)
		}
	}
	if w.npost >= w.opts.BatchPostings || len(w.locs) >= 1<<16 {
		return w.Flush()
	}
	return nil
}

// copyPostings decodes every group of a segment's bucket and hands fn the
// postings of the files in ids, renumbered; a stopped hash becomes one
// marker posting (file 0) carrying its document frequency. It returns the
// number of postings handed over.
func copyPostings(b *bolt.Bucket, bits int, ids map[uint32]uint32, fn func(RawPosting)) (int, error) {
	n := 0
	err := b.ForEach(func(key, group []byte) error {
		if len(key) != (bits+7)/8 {
			return fmt.Errorf("key %x is not a %d-bit prefix: %w", key, bits, ErrNotCorpus)
		}
		k, err := CopyGroup(keyPrefix(key), uint(64-bits), group, ids, fn)
		if err != nil {
			return fmt.Errorf("group %x: %w", key, err)
		}
		n += k
		return nil
	})
	return n, err
}

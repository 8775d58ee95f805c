package corpus

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/snipscan/snipscan/fingerprint"
	bolt "go.etcd.io/bbolt"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// BatchPostings is the number of buffered postings that triggers a
	// flush into a new segment (memory: 24 bytes each). Zero means 4 M.
	BatchPostings int
	// TxBytes is the amount of posting data written per transaction during
	// a flush. Zero means 2 MiB.
	TxBytes int
	// AfterTx, if set, is called after each transaction the writer
	// commits, with its kind (TxRoot, TxSegment, TxPostings, TxCommit or
	// TxRemove) and how many transactions of that kind the writer has
	// committed, this one included. It is called between transactions,
	// from the goroutine that committed it (Root's caller, or the
	// writer's), so a process stopped there leaves the database as a kill
	// at that point would: the crash tests use it to stop runs at known
	// points.
	AfterTx func(kind string, n int)
	// RewriteVersion is the version of the rewrite features of the units
	// the writer adds (rewrite.FeatureVersion), recorded with the rewrite
	// index; zero when the writer adds none. A database whose units have
	// another version is refused (ErrParamsMismatch).
	RewriteVersion int
}

// Kinds of the writer's transactions, for WriterOptions.AfterTx.
const (
	TxRoot     = "root"     // a root recorded (Root)
	TxSegment  = "segment"  // a segment created, pending, before its postings
	TxPostings = "postings" // a batch of a pending segment's postings
	TxCommit   = "commit"   // a segment committed with its files, locations, packages and attributions (Flush)
	TxRemove   = "remove"   // locations removed (RemoveLocations)
)

// MaxPerFile is the number of postings of one hash kept for one file.
const MaxPerFile = 16

// Partitions and chunks of the posting buffer.
const (
	numParts  = 256
	chunkLen  = 4096
	partShift = 56
)

// WriteStats counts what a writer did.
type WriteStats struct {
	Files     int // distinct contents added
	Locations int // locations added or updated
	Postings  int
	Segments  int
	Dead      int // files left with no location
	Units     int // rewrite units added
}

// Writer adds files to a database. Claim may be called from several
// goroutines; every other method must be called from one goroutine.
// Close must be called, also after an error.
type Writer struct {
	db   *DB
	opts WriterOptions

	failed error // the error of a failed Flush: the writer commits nothing more

	mu       sync.Mutex
	content  map[[16]byte]uint32 // committed and claimed contents
	st       state
	firstNew uint32 // IDs below were committed before this writer

	added  map[uint32]bool       // files added by this writer (buffered or flushed)
	parked map[uint32][]Location // locations waiting for their file
	// Buffered postings, partitioned by the top byte of the hash as they
	// arrive, in fixed-size chunks: no large slice is ever grown or
	// copied, and a flush sorts one small partition at a time.
	parts     [numParts][][]RawPosting
	npost     int
	free      [][]RawPosting // chunks for reuse
	scratch   []RawPosting   // one partition, gathered for sorting
	recycle   chan *encBatch // written batches, for reuse
	files     []FileRecord
	locs      []Location
	pkgs      map[pkgKey]uint32
	pkgIdents map[string]uint32 // Package.identityKey -> ID, for packages not yet committed
	newPkgs   []Package
	attrs     map[string]uint32
	newAttrs  []Attribution
	texts     map[string]bool   // license text IDs recorded by this writer
	newTexts  map[string][]byte // not yet committed
	fetched   []pendingFetched  // not yet committed
	stats     WriteStats
	closed    bool
	txs       map[string]int // transactions committed, by kind (under mu)

	units        []RewriteUnit // buffered rewrite units (AddUnits)
	unitsChanged bool          // units were committed: Finish rebuilds the rewrite index
	pending      []uint64      // feature<<32 | unit of the committed units, merged by Finish
}

type pkgKey struct {
	root uint32
	dir  string
}

// NewWriter returns the database's writer. It removes segments left
// pending by a run that was killed, so that their files are indexed again.
func (db *DB) NewWriter(opts WriterOptions) (*Writer, error) {
	if db.ro {
		return nil, fmt.Errorf("corpus: %s is open read-only", db.path)
	}
	if opts.BatchPostings <= 0 {
		opts.BatchPostings = 4 << 20
	}
	if opts.TxBytes <= 0 {
		opts.TxBytes = 2 << 20
	}
	w := &Writer{db: db, opts: opts, content: map[[16]byte]uint32{}, added: map[uint32]bool{},
		parked: map[uint32][]Location{}, pkgs: map[pkgKey]uint32{}, pkgIdents: map[string]uint32{}, attrs: map[string]uint32{},
		texts: map[string]bool{}, newTexts: map[string][]byte{}, recycle: make(chan *encBatch, 4), txs: map[string]int{}}
	// Bulk load: no fsync per transaction (one sync at Close).
	db.bolt.NoSync = true
	db.bolt.NoGrowSync = true
	err := db.update(func(tx *bolt.Tx) error {
		if err := json.Unmarshal(orEmptyJSON(tx.Bucket(bMeta).Get(kState)), &w.st); err != nil {
			return fmt.Errorf("corpus: state: %w", err)
		}
		if w.st.NextFile == 0 {
			w.st = state{NextFile: 1, NextSeg: 1, NextRoot: 1, NextPkg: 1, NextAttr: 1}
		}
		// The run is unfinished until Finish says otherwise: a reader
		// that finds this record knows the database may lack part of
		// what the run was adding, even after a kill.
		run, _ := json.Marshal(Run{Started: db.now().UTC()})
		if err := tx.Bucket(bMeta).Put(kRun, run); err != nil {
			return fmt.Errorf("corpus: mark the run: %w", err)
		}
		// Drop pending segments.
		segs, fp := tx.Bucket(bSegs), tx.Bucket(bFP)
		var pending [][]byte
		segs.ForEach(func(k, v []byte) error {
			var s segment
			if json.Unmarshal(v, &s) != nil || s.State != "committed" {
				pending = append(pending, slices.Clone(k))
			}
			return nil
		})
		for _, k := range pending {
			db.log.Info("removing a segment left pending by an interrupted run", "segment", binary.BigEndian.Uint32(k))
			if fp.Bucket(k) != nil {
				if err := fp.DeleteBucket(k); err != nil {
					return fmt.Errorf("corpus: drop pending segment: %w", err)
				}
			}
			if err := segs.Delete(k); err != nil {
				return err
			}
		}
		if v := tx.Bucket(bMeta).Get(kRewrite); v != nil && opts.RewriteVersion != 0 {
			var info RewriteInfo
			if json.Unmarshal(v, &info) == nil && info.FeatureVersion != opts.RewriteVersion && info.Units > 0 {
				return fmt.Errorf("corpus: %s holds rewrite units of feature version %d, this snipscan extracts version %d: %w; re-create it with snipscan index",
					db.path, info.FeatureVersion, opts.RewriteVersion, ErrParamsMismatch)
			}
		}
		if err := dropUnmergedUnits(tx, db); err != nil {
			return err
		}
		c := tx.Bucket(bContent).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(k) == 16 && len(v) == 4 {
				w.content[[16]byte(k)] = binary.BigEndian.Uint32(v)
			}
		}
		return tx.Bucket(bAttrKeys).ForEach(func(k, v []byte) error {
			if len(v) == 4 {
				w.attrs[string(k)] = binary.BigEndian.Uint32(v)
			}
			return nil
		})
	})
	if err != nil {
		db.bolt.NoSync, db.bolt.NoGrowSync = false, false
		return nil, err
	}
	w.firstNew = w.st.NextFile
	return w, nil
}

// update runs fn in a write transaction of the given kind and, once it is
// committed, calls the AfterTx hook.
func (w *Writer) update(kind string, fn func(*bolt.Tx) error) error {
	if err := w.db.update(fn); err != nil {
		return err
	}
	if w.opts.AfterTx != nil {
		w.mu.Lock()
		w.txs[kind]++
		n := w.txs[kind]
		w.mu.Unlock()
		w.opts.AfterTx(kind, n)
	}
	return nil
}

func orEmptyJSON(b []byte) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// Sum returns the content sum the writer uses: of a file's text in UTF-8
// (its bytes, when they are UTF-8 already).
func Sum(data []byte) [16]byte {
	s := sha256.Sum256(data)
	return [16]byte(s[:16])
}

// Claim returns the file ID for content sum. If the content is new, the
// caller must fingerprint it and call AddFile with the returned ID: fresh
// is true exactly once per content. Claim is safe for concurrent use.
func (w *Writer) Claim(sum [16]byte) (id uint32, fresh bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.content[sum]; ok {
		return id, false
	}
	id = w.st.NextFile
	w.st.NextFile++
	w.content[sum] = id
	return id, true
}

// Root returns the ID of the root at path, creating its record, and the
// locations already indexed below it (for incremental indexing).
func (w *Writer) Root(path, kind string) (uint32, map[string]Location, error) {
	return w.root(path, kind, w.db.now().UTC())
}

// root is Root with the time the root is recorded as indexed.
func (w *Writer) root(path, kind string, indexed time.Time) (uint32, map[string]Location, error) {
	var root Root
	locs := map[string]Location{}
	err := w.update(TxRoot, func(tx *bolt.Tx) error {
		found := false
		tx.Bucket(bRoots).ForEach(func(k, v []byte) error {
			var r Root
			if !found && json.Unmarshal(v, &r) == nil && r.Path == path {
				root, found = r, true
			}
			return nil
		})
		if !found {
			w.mu.Lock()
			root = Root{ID: w.st.NextRoot, Path: path, Kind: kind}
			w.st.NextRoot++
			w.mu.Unlock()
		}
		root.Kind = kind
		root.Indexed = indexed
		v, _ := json.Marshal(root)
		if !found || !bytes.Equal(v, tx.Bucket(bRoots).Get(u32(root.ID))) {
			// An unchanged record (a merge run again) is not written again.
			if err := tx.Bucket(bRoots).Put(u32(root.ID), v); err != nil {
				return err
			}
			if err := w.putState(tx); err != nil {
				return err
			}
		}
		prefix := u32(root.ID)
		c := tx.Bucket(bLocs).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			l, err := decodeLoc(k, v)
			if err != nil {
				return err
			}
			locs[l.Path] = l
		}
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("corpus: root %s: %w", path, err)
	}
	return root.ID, locs, nil
}

// Package returns the ID of the package rooted at p.Dir below p.RootID,
// recording p if it is new. A package with a version is one package
// wherever it was found: a package of the same ecosystem, name, version
// and vendored flag recorded before, under another root or directory (the
// same module indexed through another spelling of its path, or from its
// zip file), gives its ID, and p is not recorded again.
func (w *Writer) Package(p Package) (uint32, error) {
	key := pkgKey{p.RootID, p.Dir}
	if id, ok := w.pkgs[key]; ok {
		return id, nil
	}
	ident := p.identityKey()
	var id uint32
	err := w.db.view(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bPkgKeys)
		if v := keys.Get(append(u32(p.RootID), p.Dir...)); len(v) == 4 {
			id = binary.BigEndian.Uint32(v)
		} else if v := keys.Get(ident); ident != nil && len(v) == 4 {
			id = binary.BigEndian.Uint32(v)
		}
		if id != 0 {
			w.addPublished(tx, id, p.Published)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("corpus: package %s: %w", p.Dir, err)
	}
	if id == 0 && ident != nil {
		id = w.pkgIdents[string(ident)]
	}
	if id == 0 {
		w.mu.Lock()
		id = w.st.NextPkg
		w.st.NextPkg++
		w.mu.Unlock()
		p.ID = id
		w.newPkgs = append(w.newPkgs, p)
		if ident != nil {
			w.pkgIdents[string(ident)] = id
		}
	}
	w.pkgs[key] = id
	return id, nil
}

// identityKey returns the pkgKeys key that identifies a package by what
// it is rather than where it was found: root ID 0, which no root has,
// then the ecosystem, name, version and vendored flag. It is nil for a
// package without a name or version, which several different packages
// may share (two checkouts of one module at different commits).
func (p *Package) identityKey() []byte {
	if p.Name == "" || p.Version == "" {
		return nil
	}
	k := append(u32(0), "id\x00"...)
	for _, s := range []string{p.Ecosystem, p.Name, p.Version} {
		k = append(append(k, s...), 0)
	}
	if p.Vendored {
		return append(k, 'v')
	}
	return append(k, '-')
}

// Attribution returns the ID of attribution a, recording it if new.
func (w *Writer) Attribution(a Attribution) uint32 {
	v, _ := json.Marshal(a)
	key := sha256.Sum256(v)
	if id, ok := w.attrs[string(key[:16])]; ok {
		return id
	}
	w.mu.Lock()
	id := w.st.NextAttr
	w.st.NextAttr++
	w.mu.Unlock()
	w.attrs[string(key[:16])] = id
	w.newAttrs = append(w.newAttrs, a)
	return id
}

// MaxLicenseText bounds the license texts the corpus keeps.
const MaxLicenseText = 1 << 20

// LicenseText records a license file's text, once per distinct text, and
// returns its ID for Attribution.LicenseText; "" for an empty or too
// large text.
func (w *Writer) LicenseText(text []byte) string {
	if len(text) == 0 || len(text) > MaxLicenseText {
		return ""
	}
	id := LicenseTextID(text)
	if !w.texts[id] {
		w.texts[id] = true
		w.newTexts[id] = bytes.Clone(text)
	}
	return id
}

// LicenseTextID returns the ID under which Writer.LicenseText records
// text.
func LicenseTextID(text []byte) string {
	sum := sha256.Sum256(text)
	return hex.EncodeToString(sum[:16])
}

// AddFile buffers the fingerprints of a content claimed with Claim and its
// first location. It flushes a segment when the buffer is full.
func (w *Writer) AddFile(f FileRecord, fps []fingerprint.Fingerprint, loc Location) error {
	if w.closed {
		return errors.New("corpus: writer is closed")
	}
	f.Fingerprints = len(fps)
	w.files = append(w.files, f)
	w.added[f.ID] = true
	for i := range fps {
		w.buffer(NewRawPosting(f.ID, &fps[i]))
	}
	w.stats.Files++
	loc.FileID = f.ID
	w.locs = append(w.locs, loc)
	if p := w.parked[f.ID]; p != nil {
		w.locs = append(w.locs, p...)
		delete(w.parked, f.ID)
	}
	if w.npost >= w.opts.BatchPostings {
		return w.Flush()
	}
	return nil
}

// buffer appends p to its partition of the posting buffer.
func (w *Writer) buffer(p RawPosting) {
	part := &w.parts[p.Hash>>partShift]
	n := len(*part)
	if n == 0 || len((*part)[n-1]) == chunkLen {
		*part = append(*part, w.chunk())
		n++
	}
	(*part)[n-1] = append((*part)[n-1], p)
	w.npost++
}

// chunk returns an empty chunk of the posting buffer.
func (w *Writer) chunk() []RawPosting {
	if n := len(w.free); n > 0 {
		c := w.free[n-1]
		w.free = w.free[:n-1]
		return c[:0]
	}
	return make([]RawPosting, 0, chunkLen)
}

// AddLocation records a location of a content that is already known
// (committed, buffered, or claimed by another goroutine).
func (w *Writer) AddLocation(loc Location) error {
	if w.closed {
		return errors.New("corpus: writer is closed")
	}
	if loc.FileID < w.firstNew || w.added[loc.FileID] {
		w.locs = append(w.locs, loc)
	} else {
		w.parked[loc.FileID] = append(w.parked[loc.FileID], loc)
	}
	if len(w.locs) >= 1<<16 {
		return w.Flush()
	}
	return nil
}

// Stats returns what the writer has done so far.
func (w *Writer) Stats() WriteStats { return w.stats }

func (w *Writer) putState(tx *bolt.Tx) error {
	w.mu.Lock()
	w.st.Updated = w.db.now().UTC()
	v, _ := json.Marshal(w.st)
	w.mu.Unlock()
	return tx.Bucket(bMeta).Put(kState, v)
}

// Flush writes the buffered postings as a new segment and commits the
// buffered files, locations, packages and attributions with it.
//
// A failed Flush (a write error: a full disk) leaves the writer broken:
// later calls return the same error and commit nothing, since the
// buffered files would point at postings that were not written. The
// pending segment is dropped when the database is next opened for
// writing, and the next run indexes those files again.
func (w *Writer) Flush() error {
	if w.failed != nil {
		return w.failed
	}
	err := w.flush()
	if err != nil {
		w.failed = err
	}
	return err
}

func (w *Writer) flush() error {
	if w.npost == 0 && len(w.files) == 0 && len(w.locs) == 0 && len(w.newPkgs) == 0 && len(w.newAttrs) == 0 && len(w.newTexts) == 0 && len(w.fetched) == 0 && len(w.units) == 0 {
		return nil
	}
	w.mu.Lock()
	seg := segment{ID: w.st.NextSeg, State: "pending"}
	w.st.NextSeg++
	w.mu.Unlock()
	segKey := u32(seg.ID)
	hasPostings := w.npost > 0
	if hasPostings {
		if err := w.writePostings(&seg, segKey); err != nil {
			return err
		}
	}
	seg.State = "committed"
	seg.Files = len(w.files)
	keep := w.readyFetched()
	err := w.update(TxCommit, func(tx *bolt.Tx) error {
		if err := putFetched(tx, w.fetched[:keep]); err != nil {
			return err
		}
		if hasPostings {
			v, _ := json.Marshal(seg)
			if err := tx.Bucket(bSegs).Put(segKey, v); err != nil {
				return err
			}
		}
		if err := w.commitRecords(tx, seg.ID); err != nil {
			return err
		}
		if err := w.commitUnits(tx); err != nil {
			return err
		}
		return w.putState(tx)
	})
	w.db.invalidate()
	if err != nil {
		return fmt.Errorf("corpus: commit segment %d: %w", seg.ID, err)
	}
	if hasPostings {
		w.stats.Segments++
		w.stats.Postings += seg.Postings
	}
	w.files = w.files[:0]
	w.locs = w.locs[:0]
	w.newPkgs = w.newPkgs[:0]
	w.newAttrs = w.newAttrs[:0]
	clear(w.newTexts)
	w.fetched = w.fetched[keep:]
	return nil
}

// writePostings writes the buffered postings as segment seg: first a
// pending record, then the groups in key order over several transactions,
// sorting one partition at a time. It empties the buffer.
func (w *Writer) writePostings(seg *segment, segKey []byte) error {
	seg.PrefixBits = PrefixBits(w.npost)
	seg.PrefixBytes = (seg.PrefixBits + 7) / 8
	seg.Postings = w.npost
	v, _ := json.Marshal(seg)
	err := w.update(TxSegment, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bSegs).Put(segKey, v); err != nil {
			return err
		}
		_, err := tx.Bucket(bFP).CreateBucket(segKey)
		return err
	})
	if err != nil {
		return fmt.Errorf("corpus: create segment %d: %w", seg.ID, err)
	}

	// Encoders sort and encode ranges of partitions into batches of about
	// TxBytes while this goroutine writes them in key order: sorting
	// overlaps bbolt's work, and with several CPUs the encoders share it.
	n := max(1, min(runtime.GOMAXPROCS(0), 4))
	outs := make([]chan *encBatch, n)
	encs := make([]*encoder, n)
	for i := range n {
		outs[i] = make(chan *encBatch, 64)
		encs[i] = &encoder{w: w, lo: i * numParts / n, hi: (i + 1) * numParts / n}
		if i == 0 {
			encs[i].scratch = w.scratch
		}
		go encs[i].run(seg.PrefixBits, outs[i])
	}
	batches := make(chan *encBatch)
	go func() {
		for _, out := range outs {
			for b := range out {
				batches <- b
			}
		}
		close(batches)
	}()
	defer func() {
		for _, e := range encs {
			seg.Hashes += e.st.Hashes
			seg.Stopped += e.st.Stopped
			w.free = append(w.free, e.free...)
		}
		w.scratch = encs[0].scratch
	}()
	for b := range batches {
		if err != nil {
			continue // drain: the encoder owns the buffer until it ends
		}
		err = w.update(TxPostings, func(tx *bolt.Tx) error {
			bk := tx.Bucket(bFP).Bucket(segKey)
			bk.FillPercent = 1.0
			for _, e := range b.kvs {
				if err := bk.Put(e[0], e[1]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			err = fmt.Errorf("corpus: write segment %d: %w", seg.ID, err)
			continue
		}
		seg.Keys += len(b.kvs)
		select {
		case w.recycle <- b:
		default:
		}
	}
	w.npost = 0
	return err
}

// encBatch is a run of encoded groups, written in one transaction.
type encBatch struct {
	buf []byte
	kvs [][2][]byte // key and value, slices of buf
}

// encoder sorts the buffered partitions [lo, hi) one at a time and sends
// their encoded groups in batches. It counts hashes and stopped hashes and
// keeps the chunks it frees, for the writer to collect when all are done.
type encoder struct {
	w       *Writer
	lo, hi  int
	scratch []RawPosting
	sortTmp []RawPosting // scratch space of SortPostings
	free    [][]RawPosting
	st      GroupStats
}

func (e *encoder) run(bits int, out chan<- *encBatch) {
	defer close(out)
	w := e.w
	shift := uint(64 - bits)
	prefixBytes := (bits + 7) / 8
	stopDF := w.db.params.StopDF
	next := func() *encBatch {
		select {
		case b := <-w.recycle:
			b.buf, b.kvs = b.buf[:0], b.kvs[:0]
			return b
		default:
			return &encBatch{buf: make([]byte, 0, w.opts.TxBytes+w.opts.TxBytes/4)}
		}
	}
	b := next()
	send := func() {
		out <- b
		b = next()
	}
	for part := e.lo; part < e.hi; part++ {
		ps := e.scratch[:0]
		for _, c := range w.parts[part] {
			ps = append(ps, c...)
			e.free = append(e.free, c)
		}
		w.parts[part] = w.parts[part][:0]
		e.scratch = ps
		e.sortTmp = SortPostings(ps, e.sortTmp)
		for i := 0; i < len(ps); {
			prefix := ps[i].Hash >> shift
			buf := b.buf
			kstart := len(buf)
			for k := 0; k < prefixBytes; k++ {
				buf = append(buf, byte(prefix>>(8*(prefixBytes-1-k))))
			}
			vstart := len(buf)
			var n int
			buf, n = AppendGroup(buf, ps[i:], shift, stopDF, &e.st)
			i += n
			// If buf grew into a new array, the slices already in kvs keep
			// the old one alive: they stay valid.
			b.buf = buf
			b.kvs = append(b.kvs, [2][]byte{buf[kstart:vstart:vstart], buf[vstart:len(buf):len(buf)]})
			if len(buf) >= w.opts.TxBytes {
				send()
			}
		}
	}
	if len(b.kvs) > 0 {
		send()
	}
}

// commitRecords writes the buffered file records and locations.
func (w *Writer) commitRecords(tx *bolt.Tx, segID uint32) error {
	files, content, norm := tx.Bucket(bFiles), tx.Bucket(bContent), tx.Bucket(bNorm)
	for i := range w.files {
		f := &w.files[i]
		f.Segment = segID
		key := u32(f.ID)
		if err := files.Put(key, encodeFile(f)); err != nil {
			return err
		}
		if err := content.Put(f.Sum[:], key); err != nil {
			return err
		}
		nk := binary.BigEndian.AppendUint64(nil, f.NormHash)
		if err := norm.Put(append(nk, key...), nil); err != nil {
			return err
		}
	}
	pkgs, pkgKeys := tx.Bucket(bPkgs), tx.Bucket(bPkgKeys)
	for _, p := range w.newPkgs {
		v, _ := json.Marshal(p)
		if err := pkgs.Put(u32(p.ID), v); err != nil {
			return err
		}
		if err := pkgKeys.Put(append(u32(p.RootID), p.Dir...), u32(p.ID)); err != nil {
			return err
		}
		if k := p.identityKey(); k != nil {
			if err := pkgKeys.Put(k, u32(p.ID)); err != nil {
				return err
			}
		}
	}
	if len(w.newTexts) > 0 {
		texts, err := tx.CreateBucketIfNotExists(bTexts)
		if err != nil {
			return err
		}
		for id, text := range w.newTexts {
			if texts.Get([]byte(id)) == nil {
				if err := texts.Put([]byte(id), text); err != nil {
					return err
				}
			}
		}
	}
	attrs, attrKeys := tx.Bucket(bAttrs), tx.Bucket(bAttrKeys)
	for _, a := range w.newAttrs {
		v, _ := json.Marshal(a)
		key := sha256.Sum256(v)
		id := w.attrs[string(key[:16])]
		if err := attrs.Put(u32(id), v); err != nil {
			return err
		}
		if err := attrKeys.Put(key[:16], u32(id)); err != nil {
			return err
		}
	}
	locs, fileLocs, dead := tx.Bucket(bLocs), tx.Bucket(bFileLocs), tx.Bucket(bDead)
	for i := range w.locs {
		l := &w.locs[i]
		key := locKey(l.RootID, l.Path)
		v := encodeLoc(l)
		if old := locs.Get(key); old != nil {
			if bytes.Equal(old, v) {
				// Unchanged (a merge run again): writing it again would
				// only copy its pages, and grow the file.
				continue
			}
			prev, err := decodeLoc(key, old)
			if err != nil {
				return err
			}
			if prev.FileID != l.FileID {
				if err := w.unlink(fileLocs, dead, prev.FileID, l.RootID, l.Path); err != nil {
					return err
				}
			}
		}
		if err := locs.Put(key, v); err != nil {
			return err
		}
		if err := fileLocs.Put(fileLocKey(l.FileID, l.RootID, l.Path), nil); err != nil {
			return err
		}
		if dead.Get(u32(l.FileID)) != nil {
			if err := dead.Delete(u32(l.FileID)); err != nil {
				return err
			}
		}
		w.stats.Locations++
	}
	return nil
}

// pendingFetched is a Fetched record waiting to be committed, with the
// root its locations lie below.
type pendingFetched struct {
	rootID uint32
	rec    Fetched
}

// readyFetched moves to the front of w.fetched the records whose root has
// no location parked, waiting for a content another root's file claimed
// (those records wait for a later commit), and returns how many they are.
func (w *Writer) readyFetched() int {
	if len(w.fetched) == 0 {
		return 0
	}
	waiting := map[uint32]bool{}
	for _, locs := range w.parked {
		for _, l := range locs {
			waiting[l.RootID] = true
		}
	}
	slices.SortStableFunc(w.fetched, func(a, b pendingFetched) int {
		return cmp.Compare(b2i(waiting[a.rootID]), b2i(waiting[b.rootID]))
	})
	n := 0
	for n < len(w.fetched) && !waiting[w.fetched[n].rootID] {
		n++
	}
	return n
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// putFetched writes the records of fetched packages.
func putFetched(tx *bolt.Tx, fetched []pendingFetched) error {
	if len(fetched) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bFetched)
	if err != nil {
		return err
	}
	for _, f := range fetched {
		v, _ := json.Marshal(f.rec)
		if err := b.Put([]byte(f.rec.PURL), v); err != nil {
			return err
		}
	}
	return nil
}

// Fetched records that the package f.PURL was fetched and that every
// location of it, below the root rootID, was handed to the writer. The
// record is committed with the next segment (or by Finish), in the same
// transaction as the last of those locations or after it (a location
// waiting for a content that another root's file claimed holds it back),
// so that a record never stands for a package whose files are not all
// committed.
func (w *Writer) Fetched(rootID uint32, f Fetched) {
	w.fetched = append(w.fetched, pendingFetched{rootID, f})
}

// RemoveLocations removes the locations at paths below the root rootID
// (files that disappeared from it), after committing what is buffered. A
// file left without locations is marked removed: lookups skip its
// postings, which stay in their segment. The records of fetched packages
// that held any of those files are dropped: the corpus no longer holds
// them whole. It returns how many locations were removed.
func (w *Writer) RemoveLocations(rootID uint32, paths []string) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	removed := 0
	err := w.update(TxRemove, func(tx *bolt.Tx) error {
		if err := dropFetched(tx, rootID, paths); err != nil {
			return err
		}
		locs, fileLocs, dead := tx.Bucket(bLocs), tx.Bucket(bFileLocs), tx.Bucket(bDead)
		for _, p := range paths {
			key := locKey(rootID, p)
			v := locs.Get(key)
			if v == nil {
				continue
			}
			l, err := decodeLoc(key, v)
			if err != nil {
				return err
			}
			if err := locs.Delete(key); err != nil {
				return err
			}
			if err := w.unlink(fileLocs, dead, l.FileID, rootID, p); err != nil {
				return err
			}
			removed++
		}
		return w.putState(tx)
	})
	w.db.invalidate()
	if err != nil {
		return 0, fmt.Errorf("corpus: remove locations: %w", err)
	}
	return removed, nil
}

// unlink removes the reverse index entry of file fileID at path below
// root rootID, and marks the file removed when no location is left.
func (w *Writer) unlink(fileLocs, dead *bolt.Bucket, fileID, rootID uint32, path string) error {
	if err := fileLocs.Delete(fileLocKey(fileID, rootID, path)); err != nil {
		return err
	}
	if hasLocations(fileLocs, fileID) {
		return nil
	}
	w.stats.Dead++
	return dead.Put(u32(fileID), nil)
}

func hasLocations(fileLocs *bolt.Bucket, fileID uint32) bool {
	prefix := u32(fileID)
	k, _ := fileLocs.Cursor().Seek(prefix)
	return k != nil && bytes.HasPrefix(k, prefix)
}

// Finish ends a run that completed: it flushes what is buffered, records
// in a last transaction that the run finished (see DB.Unfinished), and
// closes the writer. A run that stops early (an error, an interrupt)
// calls Close instead, and the database stays marked unfinished until a
// run finishes.
func (w *Writer) Finish() error {
	if w.closed {
		return fmt.Errorf("corpus: %s: finish a closed writer", w.db.path)
	}
	if err := w.Flush(); err != nil {
		w.Close()
		return err
	}
	err := w.db.update(func(tx *bolt.Tx) error {
		if w.unitsChanged || w.stats.Dead > 0 && tx.Bucket(bMeta).Get(kRewrite) != nil {
			if err := w.rebuildRewrite(tx); err != nil {
				return fmt.Errorf("rebuild the rewrite index: %w", err)
			}
		}
		if err := tx.Bucket(bMeta).Delete(kRun); err != nil {
			return err
		}
		return w.putState(tx)
	})
	w.db.invalidate()
	if err != nil {
		w.failed = fmt.Errorf("corpus: record the end of the run: %w", err)
		w.Close()
		return w.failed
	}
	return w.Close()
}

// Close flushes what is buffered, syncs the database to disk and ends the
// writer, leaving the database marked unfinished (see Finish). Locations
// whose content was claimed but never added (an interrupted run) are
// dropped.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	err := w.Flush()
	w.closed = true
	w.db.bolt.NoSync = false
	w.db.bolt.NoGrowSync = false
	if serr := w.db.bolt.Sync(); serr != nil && err == nil {
		err = fmt.Errorf("corpus: sync %s: %w", w.db.path, serr)
	}
	return err
}

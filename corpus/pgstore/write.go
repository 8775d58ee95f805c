package pgstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// Writer adds files to a PostgreSQL corpus (corpus.IndexWriter). Claim
// may be called from several goroutines; every other method from one.
type Writer struct {
	s    *Store
	opts corpus.WriterOptions
	ctx  context.Context
	run  int64 // this run's row in runs
	lock *pgx.Conn

	failed error // the first error: the writer commits nothing more

	mu       sync.Mutex
	content  map[[16]byte]uint32 // committed (when the writer began) and claimed contents
	fileIDs  idBlock
	claimed  map[uint32]bool // IDs this writer claimed
	added    map[uint32]bool // files added (buffered or flushed)
	parked   map[uint32][]corpus.Location
	postings []corpus.RawPosting
	files    []corpus.FileRecord
	locs     []corpus.Location
	pkgs     map[pkgKey]uint32
	idents   map[string]uint32
	newPkgs  []corpus.Package
	attrs    map[[16]byte]uint32
	newAttrs map[uint32]attrRec
	texts    map[string][]byte // not yet committed
	fetched  []pendingFetched
	units    []corpus.RewriteUnit
	unitIDs  idBlock
	unitsNew bool // units were committed: Finish rebuilds the rewrite index
	stats    corpus.WriteStats
	closed   bool
	txs      map[string]int
}

type pkgKey struct {
	root uint32
	dir  string
}

type attrRec struct {
	key [16]byte
	rec []byte
}

type pendingFetched struct {
	root uint32
	rec  corpus.Fetched
}

// idBlock hands out IDs from blocks of a sequence that increments by
// 1024: one round trip per 1024 IDs, unique across concurrent writers.
type idBlock struct {
	seq       string
	next, end int64
}

func (b *idBlock) take(ctx context.Context, s *Store) (uint32, error) {
	if b.next == b.end {
		if err := s.pool.QueryRow(ctx, "SELECT nextval($1)", b.seq).Scan(&b.next); err != nil {
			return 0, fmt.Errorf("corpus: %s: allocate IDs: %w", s.name, err)
		}
		b.end = b.next + 1024
	}
	if b.next >= 1<<32 {
		return 0, fmt.Errorf("corpus: %s: IDs of %s exhausted", s.name, b.seq)
	}
	id := uint32(b.next)
	b.next++
	return id, nil
}

// OpenWriter returns a writer. The run is recorded as unfinished until
// Finish; a session advisory lock held on a connection of its own tells
// other writers that it is alive.
func (s *Store) OpenWriter(opts corpus.WriterOptions) (corpus.IndexWriter, error) {
	if s.ro {
		return nil, fmt.Errorf("corpus: %s is open read-only", s.name)
	}
	ctx := context.Background()
	w := &Writer{s: s, opts: opts, ctx: ctx, content: map[[16]byte]uint32{}, claimed: map[uint32]bool{}, added: map[uint32]bool{},
		parked: map[uint32][]corpus.Location{}, pkgs: map[pkgKey]uint32{}, idents: map[string]uint32{}, attrs: map[[16]byte]uint32{},
		newAttrs: map[uint32]attrRec{}, texts: map[string][]byte{}, txs: map[string]int{},
		fileIDs: idBlock{seq: "snipscan.file_ids"}, unitIDs: idBlock{seq: "snipscan.unit_ids"}}
	if err := w.begin(ctx); err != nil {
		if w.lock != nil {
			w.lock.Close(ctx)
		}
		return nil, err
	}
	return w, nil
}

// begin records the run, takes its lock and loads the known contents
// and attributions.
func (w *Writer) begin(ctx context.Context) error {
	s := w.s
	if err := s.pool.QueryRow(ctx, "INSERT INTO snipscan.runs (started) VALUES ($1) RETURNING id", s.now().UTC()).Scan(&w.run); err != nil {
		return fmt.Errorf("corpus: %s: record the run: %w", s.name, err)
	}
	var err error
	if w.lock, err = pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy()); err != nil {
		return fmt.Errorf("corpus: %s: %w", s.name, err)
	}
	if _, err := w.lock.Exec(ctx, "SELECT pg_advisory_lock($1, $2)", runLockSpace, int32(w.run)); err != nil {
		return fmt.Errorf("corpus: %s: lock the run: %w", s.name, err)
	}
	if opts := w.opts; opts.RewriteVersion != 0 {
		var info corpus.RewriteInfo
		if err := getMeta(ctx, s.pool, "rewrite", &info); err == nil && info.FeatureVersion != opts.RewriteVersion && info.Units > 0 {
			return fmt.Errorf("corpus: %s holds rewrite units of feature version %d, this snipscan extracts version %d: %w; re-create it with snipscan index",
				s.name, info.FeatureVersion, opts.RewriteVersion, corpus.ErrParamsMismatch)
		}
	}
	rows, _ := s.pool.Query(ctx, "SELECT sum, id FROM snipscan.files")
	var sum []byte
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&sum, &id}, func() error {
		w.content[[16]byte(sum)] = uint32(id)
		return nil
	}); err != nil {
		return fmt.Errorf("corpus: %s: contents: %w", s.name, err)
	}
	rows, _ = s.pool.Query(ctx, "SELECT key, id FROM snipscan.attributions")
	if _, err := pgx.ForEachRow(rows, []any{&sum, &id}, func() error {
		w.attrs[[16]byte(sum)] = uint32(id)
		return nil
	}); err != nil {
		return fmt.Errorf("corpus: %s: attributions: %w", s.name, err)
	}
	return nil
}

// runLockSpace is the first key of the runs' advisory locks.
const runLockSpace = 0x736e6970 // "snip"

// fail records the writer's first error and returns it.
func (w *Writer) fail(err error) error {
	if w.failed == nil {
		w.failed = err
	}
	return w.failed
}

// Claim is corpus.Writer.Claim. A failure to allocate an ID is returned
// by the next AddFile, AddLocation or Flush.
func (w *Writer) Claim(sum [16]byte) (uint32, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.content[sum]; ok {
		return id, false
	}
	id, err := w.fileIDs.take(w.ctx, w.s)
	if err != nil {
		w.fail(err)
		return 0, false
	}
	w.content[sum] = id
	w.claimed[id] = true
	return id, true
}

// Root is corpus.Writer.Root.
func (w *Writer) Root(path, kind string) (uint32, map[string]corpus.Location, error) {
	s, ctx := w.s, w.ctx
	var id int64
	locs := map[string]corpus.Location{}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, "SELECT id FROM snipscan.roots WHERE path = $1", path).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, "SELECT nextval('snipscan.root_ids')").Scan(&id)
		}
		if err != nil {
			return err
		}
		rec, _ := json.Marshal(corpus.Root{ID: uint32(id), Path: path, Kind: kind, Indexed: s.now().UTC()})
		if _, err := tx.Exec(ctx, `INSERT INTO snipscan.roots (id, path, rec) VALUES ($1, $2, $3)
			ON CONFLICT (path) DO UPDATE SET rec = jsonb_set(EXCLUDED.rec, '{id}', to_jsonb(snipscan.roots.id))`, id, path, rec); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT id FROM snipscan.roots WHERE path = $1", path).Scan(&id); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT root, path, file, size, mtime, pkg, attr, flags FROM snipscan.locations WHERE root = $1", id)
		var l locRow
		_, err = pgx.ForEachRow(rows, l.dest(), func() error {
			locs[l.path] = l.location()
			return nil
		})
		return err
	})
	s.invalidate()
	if err != nil {
		return 0, nil, fmt.Errorf("corpus: root %s: %w", path, err)
	}
	w.after(corpus.TxRoot)
	return uint32(id), locs, nil
}

// after calls the AfterTx hook for a committed transaction of kind.
func (w *Writer) after(kind string) {
	if w.opts.AfterTx != nil {
		w.txs[kind]++
		w.opts.AfterTx(kind, w.txs[kind])
	}
}

// Package is corpus.Writer.Package.
func (w *Writer) Package(p corpus.Package) (uint32, error) {
	key := pkgKey{p.RootID, p.Dir}
	if id, ok := w.pkgs[key]; ok {
		return id, nil
	}
	ident := identity(&p)
	var id int64
	err := w.s.pool.QueryRow(w.ctx, `SELECT id FROM snipscan.packages WHERE (root = $1 AND dir = $2) OR ident = $3
		ORDER BY (root = $1 AND dir = $2) DESC LIMIT 1`, int64(p.RootID), p.Dir, ident).Scan(&id)
	switch {
	case err == nil:
		if !p.Published.IsZero() {
			_, err = w.s.pool.Exec(w.ctx, `UPDATE snipscan.packages SET rec = jsonb_set(rec, '{published}', to_jsonb($2::text))
				WHERE id = $1 AND NOT rec ? 'published'`, id, p.Published.UTC().Format(time.RFC3339Nano))
		}
	case errors.Is(err, pgx.ErrNoRows):
		err = nil
		if ident != nil {
			id = int64(w.idents[string(ident)])
		}
		if id == 0 {
			err = w.s.pool.QueryRow(w.ctx, "SELECT nextval('snipscan.package_ids')").Scan(&id)
			p.ID = uint32(id)
			w.newPkgs = append(w.newPkgs, p)
			if ident != nil {
				w.idents[string(ident)] = uint32(id)
			}
		}
	}
	if err != nil {
		return 0, fmt.Errorf("corpus: package %s: %w", p.Dir, err)
	}
	w.pkgs[key] = uint32(id)
	return uint32(id), nil
}

// identity is the key that identifies a package by what it is (see
// corpus.Writer.Package), nil for one without a name or version.
func identity(p *corpus.Package) []byte {
	if p.Name == "" || p.Version == "" {
		return nil
	}
	v := "-"
	if p.Vendored {
		v = "v"
	}
	return []byte(p.Ecosystem + "\x00" + p.Name + "\x00" + p.Version + "\x00" + v)
}

// Attribution is corpus.Writer.Attribution.
func (w *Writer) Attribution(a corpus.Attribution) uint32 {
	v, _ := json.Marshal(a)
	sum := sha256.Sum256(v)
	key := [16]byte(sum[:16])
	if id, ok := w.attrs[key]; ok {
		return id
	}
	var id int64
	if err := w.s.pool.QueryRow(w.ctx, "SELECT nextval('snipscan.attribution_ids')").Scan(&id); err != nil {
		w.fail(fmt.Errorf("corpus: %s: attribution: %w", w.s.name, err))
		return 0
	}
	w.attrs[key] = uint32(id)
	w.newAttrs[uint32(id)] = attrRec{key: key, rec: v}
	return uint32(id)
}

// LicenseText is corpus.Writer.LicenseText.
func (w *Writer) LicenseText(text []byte) string {
	if len(text) == 0 || len(text) > corpus.MaxLicenseText {
		return ""
	}
	id := corpus.LicenseTextID(text)
	w.texts[id] = bytes.Clone(text)
	return id
}

// AddUnits is corpus.Writer.AddUnits.
func (w *Writer) AddUnits(fileID uint32, units []corpus.RewriteUnit) {
	for _, u := range units {
		u.File = fileID
		w.units = append(w.units, u)
	}
}

// AddFile is corpus.Writer.AddFile.
func (w *Writer) AddFile(f corpus.FileRecord, fps []fingerprint.Fingerprint, loc corpus.Location) error {
	if w.closed {
		return errors.New("corpus: writer is closed")
	}
	if w.failed != nil {
		return w.failed
	}
	f.Fingerprints = len(fps)
	w.files = append(w.files, f)
	w.added[f.ID] = true
	for i := range fps {
		w.postings = append(w.postings, corpus.NewRawPosting(f.ID, &fps[i]))
	}
	w.stats.Files++
	loc.FileID = f.ID
	w.locs = append(w.locs, loc)
	if p := w.parked[f.ID]; p != nil {
		w.locs = append(w.locs, p...)
		delete(w.parked, f.ID)
	}
	if len(w.postings) >= w.batch() {
		return w.Flush()
	}
	return nil
}

// batch is the number of buffered postings that triggers a flush.
func (w *Writer) batch() int {
	if w.opts.BatchPostings > 0 {
		return w.opts.BatchPostings
	}
	return 4 << 20
}

// AddLocation is corpus.Writer.AddLocation.
func (w *Writer) AddLocation(loc corpus.Location) error {
	if w.closed {
		return errors.New("corpus: writer is closed")
	}
	if w.failed != nil {
		return w.failed
	}
	w.mu.Lock()
	claimedHere := w.claimed[loc.FileID]
	w.mu.Unlock()
	if !claimedHere || w.added[loc.FileID] {
		w.locs = append(w.locs, loc)
	} else {
		w.parked[loc.FileID] = append(w.parked[loc.FileID], loc)
	}
	if len(w.locs) >= 1<<16 {
		return w.Flush()
	}
	return nil
}

// Fetched is corpus.Writer.Fetched.
func (w *Writer) Fetched(rootID uint32, f corpus.Fetched) {
	w.fetched = append(w.fetched, pendingFetched{rootID, f})
}

// Stats returns what the writer has done so far.
func (w *Writer) Stats() corpus.WriteStats { return w.stats }

package corpus

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/snipscan/snipscan/fingerprint"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the database layout (see the package
// documentation).
const SchemaVersion = 2

// oldestReadable is the oldest schema version a read-only open accepts:
// a database of schema 1 has no rewrite units, and scans read it without
// the rewrite stage; writing to it is refused (its files would have no
// units while new ones had).
const oldestReadable = 1

// DefaultStopDF is the default number of files above which a fingerprint's
// postings are not stored: it is boilerplate.
const DefaultStopDF = 256

// Errors the command line tells apart.
var (
	// ErrNotExist: there is no database at the path.
	ErrNotExist = errors.New("no corpus database")
	// ErrNotCorpus: the file is not a snipscan database (or is corrupt).
	ErrNotCorpus = errors.New("not a snipscan corpus database")
	// ErrSchemaMismatch: the database has another schema version.
	ErrSchemaMismatch = errors.New("corpus schema version mismatch")
	// ErrParamsMismatch: the database was built with other fingerprint parameters.
	ErrParamsMismatch = errors.New("corpus fingerprint parameters mismatch")
	// ErrLocked: another process holds the database.
	ErrLocked = errors.New("corpus database is locked by another snipscan process")
	// ErrEmpty: the database holds no file (DB.HasFiles).
	ErrEmpty = errors.New("corpus database holds no indexed file")
	// ErrUnfinished: an index or merge run began to write the database
	// and did not finish (DB.Unfinished).
	ErrUnfinished = errors.New("corpus database was left unfinished by an index or merge run")
)

// Params are the parameters fixed when a database is created. Every
// fingerprint in it was computed with them.
type Params struct {
	K         int `json:"k"`
	W         int `json:"w"`
	FPVersion int `json:"fingerprint_version"`
	StopDF    int `json:"stop_df"`
	// AbstractLiterals: literals were abstracted to classes
	// (fingerprint.Params.AbstractLiterals). Fixed at creation.
	AbstractLiterals bool `json:"abstract_literals,omitempty"`
}

// String describes p as the index flags would: "k=20 w=16 stop-df=256",
// and "abstract-literals" when set.
func (p Params) String() string {
	s := fmt.Sprintf("k=%d w=%d stop-df=%d", p.K, p.W, p.StopDF)
	if p.AbstractLiterals {
		s += " abstract-literals"
	}
	return s
}

// WithDefaults returns p with its zero K, W and StopDF set to the
// defaults, and FPVersion to this snipscan's: the parameters of a new
// corpus.
func (p Params) WithDefaults() Params {
	p = p.or(Params{K: fingerprint.DefaultK, W: fingerprint.DefaultW, StopDF: DefaultStopDF})
	p.FPVersion = fingerprint.Version
	return p
}

// or returns p with its zero K, W and StopDF taken from d.
func (p Params) or(d Params) Params {
	p.K, p.W, p.StopDF = cmp.Or(p.K, d.K), cmp.Or(p.W, d.W), cmp.Or(p.StopDF, d.StopDF)
	return p
}

// Fingerprint returns the fingerprint parameters.
func (p Params) Fingerprint() fingerprint.Params {
	return fingerprint.Params{K: p.K, W: p.W, AbstractLiterals: p.AbstractLiterals}
}

// Options configure Open.
type Options struct {
	// ReadOnly opens the database for reading: several readers may share
	// it. A missing database is ErrNotExist.
	ReadOnly bool
	// Params are used when the database is created (zero fields mean the
	// defaults). When opening an existing database for writing, non-zero
	// fields must match what it holds.
	Params Params
	// LockTimeout bounds the wait for another process's lock; zero means 5s.
	LockTimeout time.Duration
	// Logger receives notes; nil discards them.
	Logger *slog.Logger
	// Now returns the current time (for reproducible tests); nil is time.Now.
	Now func() time.Time
}

// DB is an open corpus database.
type DB struct {
	bolt   *bolt.DB
	path   string
	params Params
	log    *slog.Logger
	now    func() time.Time
	ro     bool
	schema uint32 // the schema version of the file

	cacheMu sync.Mutex
	cache   *cache // nil until first read; reset by every commit
}

// invalidate drops the cached tables after a commit.
func (db *DB) invalidate() {
	db.cacheMu.Lock()
	db.cache = nil
	db.cacheMu.Unlock()
}

// Bucket names.
var (
	bMeta     = []byte("meta")
	bSegs     = []byte("segs")
	bFP       = []byte("fp")
	bFiles    = []byte("files")
	bContent  = []byte("content")
	bNorm     = []byte("norm")
	bLocs     = []byte("locs")
	bFileLocs = []byte("fileLocs")
	bRoots    = []byte("roots")
	bPkgs     = []byte("pkgs")
	bPkgKeys  = []byte("pkgKeys")
	bAttrs    = []byte("attrs")
	bAttrKeys = []byte("attrKeys")
	bDead     = []byte("dead")
	bTexts    = []byte("texts")   // added after schema 1 was released: absent from older files
	bFetched  = []byte("fetched") // added after schema 1 was released: absent from older files

	allBuckets = [][]byte{bMeta, bSegs, bFP, bFiles, bContent, bNorm, bLocs, bFileLocs, bRoots,
		bPkgs, bPkgKeys, bAttrs, bAttrKeys, bDead, bTexts, bFetched, bRWUnits}

	kSchema = []byte("schema")
	kParams = []byte("params")
	kState  = []byte("state")
	kRun    = []byte("run") // added after schema 1 was released: absent from older files, as from finished ones
)

// Open opens the database at path, creating it unless opts.ReadOnly.
func Open(path string, opts Options) (*DB, error) {
	if opts.LockTimeout == 0 {
		opts.LockTimeout = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opts.ReadOnly {
			return nil, fmt.Errorf("corpus: %s: %w", path, ErrNotExist)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("corpus: create %s: %w", filepath.Dir(path), err)
		}
	case err != nil:
		return nil, fmt.Errorf("corpus: %w", err)
	case st.IsDir():
		return nil, fmt.Errorf("corpus: %s is a directory: %w", path, ErrNotCorpus)
	case st.Size() == 0 && opts.ReadOnly:
		// An empty file (a failed download, a touch): bbolt would try to
		// write its header into a read-only handle.
		return nil, fmt.Errorf("corpus: %s is empty: %w", path, ErrNotCorpus)
	case st.Size() > 0 && st.Size() < 2*4096:
		// bbolt's two meta pages alone take 8 KiB: anything shorter is not
		// a database (and bbolt may not say so cleanly).
		return nil, fmt.Errorf("corpus: %s (%d bytes): %w", path, st.Size(), ErrNotCorpus)
	}
	if err == nil && st.Size() > 0 {
		if err := checkMagic(path, st.Size()); err != nil {
			return nil, err
		}
	}
	bopts := &bolt.Options{Timeout: opts.LockTimeout, ReadOnly: opts.ReadOnly, NoFreelistSync: true,
		FreelistType: bolt.FreelistMapType}
	if !opts.ReadOnly {
		// Reserve address space up front: every remap as the file grows
		// costs a full munmap/mmap.
		bopts.InitialMmapSize = 256 << 20
	}
	bdb, err := bolt.Open(path, 0o644, bopts)
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("corpus: %s: %w (waited %v)", path, ErrLocked, opts.LockTimeout)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
			return nil, fmt.Errorf("corpus: %s: %w: %v", path, ErrNotCorpus, err)
		}
		return nil, fmt.Errorf("corpus: open %s: %w", path, err)
	}
	// Grow the file in small steps (bbolt's default is 16 MiB), so that a
	// small corpus is not left mostly empty.
	bdb.AllocSize = 1 << 20
	db := &DB{bolt: bdb, path: path, log: opts.Logger, now: opts.Now, ro: opts.ReadOnly}
	if err := db.init(opts); err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// checkMagic reads bbolt's two meta pages and verifies the magic number
// and that the file holds every page the newest meta page counts, so that
// a foreign or truncated file is refused before bbolt maps it (bbolt
// panics on pages past the end of the file).
func checkMagic(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	// Page header: id u64, flags u16, count u16, overflow u32 (16 bytes).
	// Meta: magic u32, version u32, page size u32, flags u32, root bucket
	// (16 bytes), freelist u64, pgid u64, txid u64, checksum u64.
	type meta struct {
		magic, pageSize uint32
		pgid, txid      uint64
	}
	read := func(off int64) (meta, error) {
		var buf [80]byte
		if _, err := f.ReadAt(buf[:], off); err != nil {
			return meta{}, err
		}
		le := binary.LittleEndian
		return meta{magic: le.Uint32(buf[16:]), pageSize: le.Uint32(buf[24:]), pgid: le.Uint64(buf[56:]), txid: le.Uint64(buf[64:])}, nil
	}
	m0, err := read(0)
	if err != nil || m0.magic != 0xED0CDAED || m0.pageSize < 512 || m0.pageSize > 1<<20 {
		return fmt.Errorf("corpus: %s: %w (no bbolt header)", path, ErrNotCorpus)
	}
	newest := m0
	if m1, err := read(int64(m0.pageSize)); err == nil && m1.magic == 0xED0CDAED && m1.txid > m0.txid {
		newest = m1
	}
	if need := int64(newest.pgid) * int64(newest.pageSize); size < need {
		return fmt.Errorf("corpus: %s: %w (truncated: %d bytes, its pages need %d)", path, ErrNotCorpus, size, need)
	}
	return nil
}

// guard turns a panic inside bbolt (which panics on some corrupt pages)
// into an ErrNotCorpus error.
func (db *DB) guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("corpus: %s: %w (%s)", db.path, ErrNotCorpus, damage(fmt.Sprint(r)))
	}
}

// Words of bbolt and of the Go runtime about a damaged page.
var (
	pageMismatch = regexp.MustCompile(`Page expected to be: (\d+), but self identifies as (\d+)`)
	leafOrder    = regexp.MustCompile(`on leaf page\((\d+)\) needs to be`)
	outOfRange   = regexp.MustCompile(`out of range|invalid memory address|nil pointer|non-zero page access`)
)

// damage says what a panic of bbolt on a damaged page, or a finding of
// its page check, means, in words that do not name bbolt's assertions or
// Go's runtime errors.
func damage(msg string) string {
	msg = strings.TrimPrefix(msg, "panic: ")
	switch {
	case pageMismatch.MatchString(msg):
		return "damaged: page " + pageMismatch.FindStringSubmatch(msg)[1] + " does not hold what the page tree says it holds"
	case leafOrder.MatchString(msg):
		return "damaged: the keys of page " + leafOrder.FindStringSubmatch(msg)[1] + " are out of order"
	case outOfRange.MatchString(msg):
		return "damaged: a page's records run past its end"
	}
	return "damaged: " + msg
}

// view runs fn in a read transaction, recovering from bbolt panics.
func (db *DB) view(fn func(*bolt.Tx) error) (err error) {
	defer db.guard(&err)
	return db.bolt.View(fn)
}

// update runs fn in a write transaction, recovering from bbolt panics.
func (db *DB) update(fn func(*bolt.Tx) error) (err error) {
	defer db.guard(&err)
	return db.bolt.Update(fn)
}

// init checks or writes the meta bucket.
func (db *DB) init(opts Options) error {
	want := opts.Params
	var fresh bool
	err := db.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			if tx.Bucket(bFP) == nil && isEmpty(tx) {
				fresh = true
				return nil
			}
			return fmt.Errorf("corpus: %s: %w (a bbolt database without snipscan metadata)", db.path, ErrNotCorpus)
		}
		v := meta.Get(kSchema)
		if len(v) != 4 {
			return fmt.Errorf("corpus: %s: %w (no schema version)", db.path, ErrNotCorpus)
		}
		got := binary.BigEndian.Uint32(v)
		switch {
		case got == SchemaVersion:
		case got >= oldestReadable && got < SchemaVersion && db.ro:
			db.log.Info("the database predates the rewrite stage: rewrites of its functions are not found; re-create it with snipscan index to find them",
				"schema", got)
		case got >= oldestReadable && got < SchemaVersion:
			return fmt.Errorf("corpus: %s has schema version %d, this snipscan writes version %d (with the units of the rewrite stage): %w; re-create it with snipscan index (scans still read it, without the rewrite stage)",
				db.path, got, SchemaVersion, ErrSchemaMismatch)
		default:
			return fmt.Errorf("corpus: %s has schema version %d, this snipscan reads versions %d to %d: %w; re-create it with snipscan index",
				db.path, got, oldestReadable, SchemaVersion, ErrSchemaMismatch)
		}
		db.schema = got
		if err := json.Unmarshal(meta.Get(kParams), &db.params); err != nil {
			return fmt.Errorf("corpus: %s: %w (bad parameters: %v)", db.path, ErrNotCorpus, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if fresh {
		if db.ro {
			return fmt.Errorf("corpus: %s: %w (empty file)", db.path, ErrNotCorpus)
		}
		p := want.WithDefaults()
		if err := p.Fingerprint().Validate(); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		db.params = p
		db.schema = SchemaVersion
		return db.update(func(tx *bolt.Tx) error {
			for _, name := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return fmt.Errorf("corpus: create bucket %s: %w", name, err)
				}
			}
			meta := tx.Bucket(bMeta)
			var v [4]byte
			binary.BigEndian.PutUint32(v[:], SchemaVersion)
			pj, _ := json.Marshal(p)
			if err := meta.Put(kSchema, v[:]); err != nil {
				return err
			}
			return meta.Put(kParams, pj)
		})
	}
	p := db.params
	if err := CheckParams(db.path, p, want); err != nil {
		return err
	}
	if err := p.Fingerprint().Validate(); err != nil {
		return fmt.Errorf("corpus: %s: %w (%v)", db.path, ErrNotCorpus, err)
	}
	return nil
}

// CheckParams checks that the parameters a corpus named name was built
// with (have) are those of this snipscan's fingerprints and, for the
// non-zero fields of want, those asked for.
func CheckParams(name string, have, want Params) error {
	p := have
	if p.FPVersion != fingerprint.Version {
		return fmt.Errorf("corpus: %s was built with fingerprint version %d, this snipscan computes version %d: %w; re-create it with snipscan index",
			name, p.FPVersion, fingerprint.Version, ErrParamsMismatch)
	}
	if want.K != 0 && want.K != p.K || want.W != 0 && want.W != p.W || want.StopDF != 0 && want.StopDF != p.StopDF ||
		want.AbstractLiterals && !p.AbstractLiterals {
		asked := want.or(p)
		return fmt.Errorf("corpus: %s was built with %s, not %s: %w; use another database",
			name, p, asked, ErrParamsMismatch)
	}
	return nil
}

func isEmpty(tx *bolt.Tx) bool {
	empty := true
	tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		empty = false
		return nil
	})
	return empty
}

// Run describes an index or merge run that began to write the database
// (Writer) and did not finish (Writer.Finish): it was killed, interrupted
// or failed, and the database may lack part of what it was adding.
type Run struct {
	Started time.Time `json:"started"`
}

// Unfinished returns the run that began to write the database and did not
// finish, or nil when every run that wrote it finished.
func (db *DB) Unfinished() (*Run, error) {
	var run *Run
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bMeta).Get(kRun)
		if v == nil {
			return nil
		}
		run = &Run{}
		if err := json.Unmarshal(v, run); err != nil {
			return fmt.Errorf("corpus: %s: %w (bad run record: %v)", db.path, ErrNotCorpus, err)
		}
		return nil
	})
	return run, err
}

// HasFiles reports whether the database holds a file at some location:
// false for a database no run indexed anything into, or whose every
// location was pruned.
func (db *DB) HasFiles() (bool, error) {
	var found bool
	err := db.view(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bLocs).Cursor().First()
		found = k != nil
		return nil
	})
	return found, err
}

// Schema returns the schema version of the database file.
func (db *DB) Schema() int { return int(db.schema) }

// Params returns the parameters the database was built with.
func (db *DB) Params() Params { return db.params }

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("corpus: close %s: %w", db.path, err)
	}
	return nil
}

// Check verifies the database's page structure (bbolt's Tx.Check) and the
// cross references between buckets: every location's file exists, every
// file has its segment committed, counts agree.
func (db *DB) Check() error {
	return db.view(func(tx *bolt.Tx) error {
		// bbolt's Check reads pages in a goroutine of its own, where a
		// damaged page panics out of reach: walk every bucket here first,
		// where such a panic is recovered and reported.
		if err := walkAll(tx); err != nil {
			return fmt.Errorf("corpus: %s: %w (%v)", db.path, ErrNotCorpus, err)
		}
		var msgs []string
		for err := range tx.Check() {
			if len(msgs) < 10 { // keep draining: Check's goroutine must finish
				msgs = append(msgs, damage(err.Error()))
			}
		}
		if len(msgs) > 0 {
			return fmt.Errorf("corpus: %s: %w (page check: %s)", db.path, ErrNotCorpus, strings.Join(msgs, "; "))
		}
		return checkRefs(tx)
	})
}

// walkAll reads every key and value of every bucket of tx, turning a panic
// of bbolt on a damaged page into an error.
func walkAll(tx *bolt.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(damage(fmt.Sprint(r)))
		}
	}()
	var walk func(b *bolt.Bucket) error
	walk = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					return walk(nb)
				}
			}
			return nil
		})
	}
	return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
}

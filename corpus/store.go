package corpus

import (
	"context"

	"github.com/snipscan/snipscan/fingerprint"
)

// Reader is what reads a corpus, whichever store holds it: a bbolt file
// (*DB) or a PostgreSQL database (package corpus/pgstore). Lookups are
// batched: a scan hands over all its hashes (or file IDs, features) at
// once, so that a store that answers over a network pays one round trip
// per batch rather than one per key.
type Reader interface {
	// Lookup is DB.Lookup.
	Lookup(ctx context.Context, hashes []uint64, maxDF int, fn func(i int, hit Hit)) error
	// Files is DB.Files.
	Files(ctx context.Context, ids []uint32) (map[uint32]*FileInfo, error)
	// FilesByNorm is DB.FilesByNorm.
	FilesByNorm(ctx context.Context, norms []uint64) (map[uint64][]uint32, error)
	// Params is DB.Params.
	Params() Params
	// Path names the corpus in messages: a file's path, a URL without
	// its password.
	Path() string
	// Schema is the store's schema version.
	Schema() int
	// LicenseText is DB.LicenseText.
	LicenseText(id string) (string, error)
	// Fetched is DB.Fetched.
	Fetched(purl string) (*Fetched, error)
	// Info is DB.Info.
	Info(ctx context.Context) (*Info, error)
	// Unfinished is DB.Unfinished.
	Unfinished() (*Run, error)
	// HasFiles is DB.HasFiles.
	HasFiles() (bool, error)
	// Check verifies the store's cross references and postings.
	Check() error
	// RewriteInfo is DB.RewriteInfo.
	RewriteInfo() (*RewriteInfo, error)
	// RewriteLookup is DB.RewriteLookup.
	RewriteLookup(ctx context.Context, feats []uint32, fn func(i, df int, units []uint32)) error
	// RewriteUnits is DB.RewriteUnits.
	RewriteUnits(ctx context.Context, ids []uint32, fn func(u RewriteUnit)) error
	// Close closes the store.
	Close() error
}

// Store is a corpus that can be written as well as read.
type Store interface {
	Reader
	// OpenWriter returns the store's writer (DB.NewWriter).
	OpenWriter(opts WriterOptions) (IndexWriter, error)
}

// IndexWriter adds files to a store: what an index run needs (see Writer
// for the contract of each method). Claim may be called from several
// goroutines; every other method from one goroutine.
type IndexWriter interface {
	Claim(sum [16]byte) (id uint32, fresh bool)
	Root(path, kind string) (uint32, map[string]Location, error)
	Package(p Package) (uint32, error)
	Attribution(a Attribution) uint32
	LicenseText(text []byte) string
	AddUnits(fileID uint32, units []RewriteUnit)
	AddFile(f FileRecord, fps []fingerprint.Fingerprint, loc Location) error
	AddLocation(loc Location) error
	Fetched(rootID uint32, f Fetched)
	RemoveLocations(rootID uint32, paths []string) (int, error)
	Flush() error
	Finish() error
	Close() error
	Stats() WriteStats
}

// OpenWriter is NewWriter, as an IndexWriter.
func (db *DB) OpenWriter(opts WriterOptions) (IndexWriter, error) {
	w, err := db.NewWriter(opts)
	if err != nil {
		return nil, err
	}
	return w, nil
}

var (
	_ Store       = (*DB)(nil)
	_ IndexWriter = (*Writer)(nil)
)

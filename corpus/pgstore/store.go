// Package pgstore is the PostgreSQL store of a snipscan corpus: the
// corpus.Store interface over a database reached with pgx. Its tables live
// in the schema "snipscan" of the database, created and migrated by Open
// with the schema version recorded in snipscan.meta; a database whose
// "snipscan" schema holds other tables, or a newer version, is refused.
//
// # Layout
//
//	meta(key, value jsonb)      "schema" -> {"product":"snipscan","version":N},
//	                            "params" -> corpus.Params, "rewrite" -> corpus.RewriteInfo
//	runs(id, started)           index runs that began and have not finished
//	segments(id, bits, ...)     one per committed flush of postings
//	postings(route, bkey, seg, data)
//	                            bkey = bits<<32 | the top bits of the hash;
//	                            data: every hash of the segment under that
//	                            prefix, packed (see postings.go); route = the
//	                            top RouteBits of the hash (the distribution
//	                            column under Citus)
//	files(id, sum UNIQUE, ...)  one per distinct content (dedup by sum)
//	locations(root, path, file, ...)
//	roots, packages, attributions, texts, fetched
//	rw_units, rw_post           the rewrite stage's units with their
//	                            features (sorted, varint deltas), and the
//	                            index rebuilt from them (blocks of
//	                            corpus.BuildRewriteIndex)
//
// # Writes
//
// Each flush of a writer is one transaction: the postings of its segment
// are copied (COPY) in packed rows, its files, packages, attributions and
// locations are copied into temporary staging tables and merged with
// INSERT ... SELECT ... ON CONFLICT. IDs come from sequences, so several
// writers (processes, machines) can write one database at once; a content
// that another writer committed first keeps that writer's ID, and this
// writer's postings of it are dropped. A writer killed midway loses only
// its uncommitted flush, and a run again indexes what is missing.
//
// # Citus
//
// postings can be distributed by route (the top bits of the mixed 64-bit
// fingerprint: every lookup statement names one route) and the other
// tables made reference tables: files and locations cannot be
// distributed by the file id as they are, since Citus wants every unique
// constraint of a distributed table to hold its distribution column
// (files has UNIQUE (sum), locations the key (root, path)).
// docs/postgres.md describes the placement, and what is untested: the
// tests run on plain PostgreSQL only.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/snipscan/snipscan/corpus"
)

// SchemaVersion is the version of the layout this package writes.
const SchemaVersion = 1

// RouteBits is the number of top bits of a hash in the routing column.
const RouteBits = 8

// IsURL reports whether ref names a PostgreSQL database
// (postgres:// or postgresql://).
func IsURL(ref string) bool {
	return strings.HasPrefix(ref, "postgres://") || strings.HasPrefix(ref, "postgresql://")
}

// Redact returns dsn with its password replaced by "xxxxx", for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Store is an open PostgreSQL corpus.
type Store struct {
	pool   *pgxpool.Pool
	name   string // the URL without its password
	params corpus.Params
	log    *slog.Logger
	now    func() time.Time
	ro     bool

	cacheMu sync.Mutex
	cache   *tables
}

var _ corpus.Store = (*Store)(nil)

// Open connects to the database at dsn and checks, creates or migrates
// its snipscan schema (not when opts.ReadOnly).
func Open(ctx context.Context, dsn string, opts corpus.Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Store{name: Redact(dsn), log: opts.Logger, now: opts.Now, ro: opts.ReadOnly}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", s.name, errors.New("bad PostgreSQL URL"))
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", s.name, err)
	}
	if err := s.pool.Ping(ctx); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("corpus: %s: cannot reach the PostgreSQL server: %w", s.name, scrub(err, dsn))
	}
	if err := s.init(ctx, opts); err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// scrub removes the URL's password from an error's text.
func scrub(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(err.Error(), pw) {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
}

// Path names the store: its URL without the password.
func (s *Store) Path() string { return s.name }

// Params returns the parameters the corpus was built with.
func (s *Store) Params() corpus.Params { return s.params }

// Schema returns the schema version of the database.
func (s *Store) Schema() int { return SchemaVersion }

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// invalidate drops the cached tables after a commit.
func (s *Store) invalidate() {
	s.cacheMu.Lock()
	s.cache = nil
	s.cacheMu.Unlock()
}

// tx runs fn in a transaction.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

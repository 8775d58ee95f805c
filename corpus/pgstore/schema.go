package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
)

// product marks the meta table as snipscan's.
const product = "snipscan"

// migrations[v-1] creates schema version v from version v-1.
var migrations = []string{`
CREATE SCHEMA IF NOT EXISTS snipscan;
CREATE TABLE snipscan.meta (key text PRIMARY KEY, value jsonb NOT NULL);
CREATE TABLE snipscan.runs (id bigserial PRIMARY KEY, started timestamptz NOT NULL);
CREATE SEQUENCE snipscan.file_ids INCREMENT 1024;
CREATE SEQUENCE snipscan.root_ids;
CREATE SEQUENCE snipscan.package_ids;
CREATE SEQUENCE snipscan.attribution_ids;
CREATE SEQUENCE snipscan.segment_ids;
CREATE SEQUENCE snipscan.unit_ids INCREMENT 1024;
CREATE TABLE snipscan.segments (id int PRIMARY KEY, bits int NOT NULL, keys int NOT NULL, hashes int NOT NULL,
	postings int NOT NULL, stopped int NOT NULL, files int NOT NULL);
CREATE TABLE snipscan.postings (route smallint NOT NULL, bkey bigint NOT NULL, seg int NOT NULL, data bytea NOT NULL,
	PRIMARY KEY (route, bkey, seg));
CREATE TABLE snipscan.files (id bigint PRIMARY KEY, sum bytea NOT NULL UNIQUE, size bigint NOT NULL, lines int NOT NULL,
	tokens int NOT NULL, fingerprints int NOT NULL, lang smallint NOT NULL, norm bigint NOT NULL, seg int NOT NULL);
CREATE INDEX files_norm ON snipscan.files (norm);
CREATE TABLE snipscan.locations (root bigint NOT NULL, path text NOT NULL, file bigint NOT NULL, size bigint NOT NULL,
	mtime bigint NOT NULL, pkg bigint NOT NULL, attr bigint NOT NULL, flags smallint NOT NULL, PRIMARY KEY (root, path));
CREATE INDEX locations_file ON snipscan.locations (file);
CREATE TABLE snipscan.roots (id bigint PRIMARY KEY, path text NOT NULL UNIQUE, rec jsonb NOT NULL);
CREATE TABLE snipscan.packages (id bigint PRIMARY KEY, root bigint NOT NULL, dir text NOT NULL, ident bytea UNIQUE,
	rec jsonb NOT NULL, UNIQUE (root, dir));
CREATE TABLE snipscan.attributions (id bigint PRIMARY KEY, key bytea NOT NULL UNIQUE, rec jsonb NOT NULL);
CREATE TABLE snipscan.texts (id text PRIMARY KEY, text text NOT NULL);
CREATE TABLE snipscan.fetched (purl text PRIMARY KEY, root bigint NOT NULL, rec jsonb NOT NULL);
CREATE TABLE snipscan.rw_units (id bigint PRIMARY KEY, file bigint NOT NULL, line int NOT NULL, end_line int NOT NULL,
	func_line int NOT NULL, func_end_line int NOT NULL, stmts int NOT NULL, features int NOT NULL,
	feats bytea NOT NULL, total real, anchors real);
CREATE TABLE snipscan.rw_post (prefix int PRIMARY KEY, block bytea NOT NULL);
`}

// schemaRecord is the meta "schema" value.
type schemaRecord struct {
	Product string `json:"product"`
	Version int    `json:"version"`
}

// init checks the database's snipscan schema, creating or migrating it
// for a writer, and reads or records the parameters. An advisory lock
// serialises concurrent creations.
func (s *Store) init(ctx context.Context, opts corpus.Options) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if !s.ro {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('snipscan.schema'))"); err != nil {
				return fmt.Errorf("corpus: %s: %w", s.name, err)
			}
		}
		version, err := s.version(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case version > SchemaVersion:
			return fmt.Errorf("corpus: %s has schema version %d, this snipscan reads versions 1 to %d: %w; use a newer snipscan",
				s.name, version, SchemaVersion, corpus.ErrSchemaMismatch)
		case version == 0 && s.ro:
			return fmt.Errorf("corpus: %s: %w (no snipscan schema in the database)", s.name, corpus.ErrNotExist)
		case version < SchemaVersion && s.ro:
			return fmt.Errorf("corpus: %s has schema version %d, older than this snipscan's %d: %w; run snipscan index on it to migrate it",
				s.name, version, SchemaVersion, corpus.ErrSchemaMismatch)
		}
		for v := version; v < SchemaVersion; v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("corpus: %s: migrate to schema version %d: %w", s.name, v+1, err)
			}
		}
		if version < SchemaVersion {
			if err := putMeta(ctx, tx, "schema", schemaRecord{Product: product, Version: SchemaVersion}); err != nil {
				return err
			}
		}
		return s.loadParams(ctx, tx, opts.Params, version == 0)
	})
}

// version returns the snipscan schema version of the database: 0 when it
// has no snipscan schema. A "snipscan" schema without our meta record is
// another program's, and refused.
func (s *Store) version(ctx context.Context, tx pgx.Tx) (int, error) {
	var hasSchema, hasMeta bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'snipscan'),
		EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'snipscan' AND tablename = 'meta')`).Scan(&hasSchema, &hasMeta)
	if err != nil {
		return 0, fmt.Errorf("corpus: %s: %w", s.name, err)
	}
	if !hasSchema {
		return 0, nil
	}
	foreign := fmt.Errorf("corpus: %s: %w (its schema \"snipscan\" holds tables that are not snipscan's)", s.name, corpus.ErrNotCorpus)
	if !hasMeta {
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'snipscan'").Scan(&n); err != nil {
			return 0, fmt.Errorf("corpus: %s: %w", s.name, err)
		}
		if n > 0 {
			return 0, foreign
		}
		return 0, nil
	}
	var rec schemaRecord
	if err := getMeta(ctx, tx, "schema", &rec); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, foreign
		}
		return 0, fmt.Errorf("corpus: %s: %w (%v)", s.name, corpus.ErrNotCorpus, err)
	}
	if rec.Product != product || rec.Version < 1 {
		return 0, foreign
	}
	return rec.Version, nil
}

// params reads the corpus's parameters, or records them in a new one.
func (s *Store) loadParams(ctx context.Context, tx pgx.Tx, want corpus.Params, fresh bool) error {
	if fresh {
		p := want.WithDefaults()
		if err := p.Fingerprint().Validate(); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		s.params = p
		return putMeta(ctx, tx, "params", p)
	}
	if err := getMeta(ctx, tx, "params", &s.params); err != nil {
		return fmt.Errorf("corpus: %s: %w (no parameters: %v)", s.name, corpus.ErrNotCorpus, err)
	}
	return corpus.CheckParams(s.name, s.params, want)
}

func putMeta(ctx context.Context, tx pgx.Tx, key string, v any) error {
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "INSERT INTO snipscan.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", key, j)
	if err != nil {
		return fmt.Errorf("corpus: write meta %s: %w", key, err)
	}
	return nil
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func getMeta(ctx context.Context, q rowQuerier, key string, v any) error {
	var j []byte
	if err := q.QueryRow(ctx, "SELECT value FROM snipscan.meta WHERE key = $1", key).Scan(&j); err != nil {
		return err
	}
	return json.Unmarshal(j, v)
}

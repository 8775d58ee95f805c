package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
)

// Info is corpus.DB.Info, from aggregates computed by the server.
// SizeBytes is the size of the snipscan schema's tables and indexes.
func (s *Store) Info(ctx context.Context) (*corpus.Info, error) {
	c, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	info := &corpus.Info{Path: s.name, Schema: SchemaVersion, Params: s.params, Licenses: map[string]int{}}
	if info.Unfinished, err = s.Unfinished(); err != nil {
		return nil, err
	}
	for _, r := range c.roots {
		info.Roots = append(info.Roots, *r)
	}
	info.DeadFiles = len(c.dead)
	err = errors.Join(
		s.pool.QueryRow(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'snipscan' AND c.relkind = 'r'`).Scan(&info.SizeBytes),
		s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(hashes), 0), coalesce(sum(postings), 0), coalesce(sum(stopped), 0)
			FROM snipscan.segments`).Scan(&info.Segments, &info.Hashes, &info.Postings, &info.StoppedHashes),
		s.pool.QueryRow(ctx, "SELECT count(*), coalesce(sum(size), 0) FROM snipscan.files").Scan(&info.Files, &info.Bytes),
		s.pool.QueryRow(ctx, "SELECT count(*) FROM snipscan.locations").Scan(&info.Locations))
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: info: %w", s.name, err)
	}
	for id := range c.dead {
		if f, err := s.Files(ctx, []uint32{id}); err == nil && f[id] != nil {
			info.Bytes -= f[id].Size
		}
	}
	info.Files -= len(c.dead)
	if err := s.licenseCounts(ctx, c, info); err != nil {
		return nil, err
	}
	if err := s.packageStats(ctx, c, info); err != nil {
		return nil, err
	}
	info.Sort()
	return info, nil
}

// licenseCounts counts the locations per license expression.
func (s *Store) licenseCounts(ctx context.Context, c *tables, info *corpus.Info) error {
	rows, _ := s.pool.Query(ctx, "SELECT attr, count(*) FROM snipscan.locations GROUP BY attr")
	var attr, n int64
	_, err := pgx.ForEachRow(rows, []any{&attr, &n}, func() error {
		if a := c.attrs[uint32(attr)]; a != nil && a.License != "" {
			info.Licenses[a.License] += int(n)
		} else {
			info.Licenses[""] += int(n)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("corpus: %s: info: %w", s.name, err)
	}
	return nil
}

// packageStats counts the files and bytes of every package.
func (s *Store) packageStats(ctx context.Context, c *tables, info *corpus.Info) error {
	rows, _ := s.pool.Query(ctx, `SELECT l.pkg, count(*), sum(f.size) FROM snipscan.locations l
		JOIN snipscan.files f ON f.id = l.file GROUP BY l.pkg`)
	var pkg, n, size int64
	_, err := pgx.ForEachRow(rows, []any{&pkg, &n, &size}, func() error {
		if p := c.pkgs[uint32(pkg)]; p != nil {
			info.Packages = append(info.Packages, corpus.PackageStats{Package: *p, Files: int(n), Bytes: size})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("corpus: %s: info: %w", s.name, err)
	}
	return nil
}

// Check verifies the cross references: every location's file exists,
// every file with fingerprints has its segment, and every row of
// postings decodes to the counts its segment records.
func (s *Store) Check() error {
	ctx := context.Background()
	var bad int
	checks := []struct{ sql, what string }{
		{"SELECT count(*) FROM snipscan.locations l WHERE NOT EXISTS (SELECT 1 FROM snipscan.files f WHERE f.id = l.file)",
			"locations point at missing files"},
		{`SELECT count(*) FROM snipscan.files f WHERE f.fingerprints > 0
			AND NOT EXISTS (SELECT 1 FROM snipscan.segments s WHERE s.id = f.seg)`, "files point at missing segments"},
		{"SELECT count(*) FROM snipscan.postings p WHERE NOT EXISTS (SELECT 1 FROM snipscan.segments s WHERE s.id = p.seg)",
			"rows of postings belong to no segment"},
	}
	for _, c := range checks {
		if err := s.pool.QueryRow(ctx, c.sql).Scan(&bad); err != nil {
			return fmt.Errorf("corpus: %s: check: %w", s.name, err)
		}
		if bad > 0 {
			return fmt.Errorf("corpus: %s: %w (%d %s)", s.name, corpus.ErrNotCorpus, bad, c.what)
		}
	}
	return s.checkPostings(ctx)
}

// checkPostings decodes every row of postings and compares the counts
// of each segment with its record.
func (s *Store) checkPostings(ctx context.Context) error {
	got := map[int32]*corpus.SegmentCounts{}
	rows, _ := s.pool.Query(ctx, "SELECT seg, bkey, data FROM snipscan.postings")
	var r fetchedRow
	_, err := pgx.ForEachRow(rows, []any{&r.seg, &r.key, &r.data}, func() error {
		c := got[r.seg]
		if c == nil {
			c = &corpus.SegmentCounts{}
			got[r.seg] = c
		}
		return c.AddGroup(keyPrefix(r.key), uint(64-keyBits(r.key)), r.data)
	})
	if err != nil {
		return fmt.Errorf("corpus: %s: %w (postings: %v)", s.name, corpus.ErrNotCorpus, err)
	}
	rows, _ = s.pool.Query(ctx, "SELECT id, hashes, stopped, postings FROM snipscan.segments")
	var id int32
	var hashes, stopped, postings int
	return forEach(rows, []any{&id, &hashes, &stopped, &postings}, func() error {
		c := got[id]
		if c == nil {
			c = &corpus.SegmentCounts{}
		}
		if err := c.Check(hashes, stopped, postings); err != nil {
			return fmt.Errorf("corpus: %s: %w (segment %d %v)", s.name, corpus.ErrNotCorpus, id, err)
		}
		return nil
	})
}

// forEach is pgx.ForEachRow without the command tag.
func forEach(rows pgx.Rows, dest []any, fn func() error) error {
	_, err := pgx.ForEachRow(rows, dest, fn)
	return err
}

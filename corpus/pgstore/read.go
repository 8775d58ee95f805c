package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
)

// tables holds the small, read-mostly tables, loaded on first use.
type tables struct {
	roots map[uint32]*corpus.Root
	pkgs  map[uint32]*corpus.Package
	attrs map[uint32]*corpus.Attribution
	bits  []int // the prefix widths of the committed segments
	dead  map[uint32]bool
}

// tables returns the cached small tables, loading them if need be.
func (s *Store) tables(ctx context.Context) (*tables, error) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.cache != nil {
		return s.cache, nil
	}
	c := &tables{roots: map[uint32]*corpus.Root{}, pkgs: map[uint32]*corpus.Package{}, attrs: map[uint32]*corpus.Attribution{}, dead: map[uint32]bool{}}
	load := func(sql string, fn func(id uint32, rec []byte) error) error {
		rows, _ := s.pool.Query(ctx, sql)
		var id int64
		var rec []byte
		_, err := pgx.ForEachRow(rows, []any{&id, &rec}, func() error { return fn(uint32(id), rec) })
		return err
	}
	err := errors.Join(
		load("SELECT id, rec FROM snipscan.roots", func(id uint32, rec []byte) error {
			r := &corpus.Root{}
			c.roots[id] = r
			return json.Unmarshal(rec, r)
		}),
		load("SELECT id, rec FROM snipscan.packages", func(id uint32, rec []byte) error {
			p := &corpus.Package{}
			c.pkgs[id] = p
			return json.Unmarshal(rec, p)
		}),
		load("SELECT id, rec FROM snipscan.attributions", func(id uint32, rec []byte) error {
			a := &corpus.Attribution{}
			c.attrs[id] = a
			return json.Unmarshal(rec, a)
		}),
		load("SELECT DISTINCT bits::bigint, NULL::bytea FROM snipscan.segments ORDER BY 1", func(bits uint32, _ []byte) error {
			c.bits = append(c.bits, int(bits))
			return nil
		}),
		load(deadFiles, func(id uint32, _ []byte) error {
			c.dead[id] = true
			return nil
		}))
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w: %v", s.name, corpus.ErrNotCorpus, err)
	}
	s.cache = c
	return c, nil
}

// deadFiles selects the files no location holds any more.
const deadFiles = `SELECT f.id, NULL::bytea FROM snipscan.files f
	WHERE NOT EXISTS (SELECT 1 FROM snipscan.locations l WHERE l.file = f.id)`

// fetchedRow is a row of postings as read.
type fetchedRow struct {
	seg  int32
	key  int64
	data []byte
}

// Lookup is corpus.DB.Lookup: it reads the rows of every hash's prefix in
// every segment width, one statement per routing value, all pipelined in
// one batch.
func (s *Store) Lookup(ctx context.Context, hashes []uint64, maxDF int, fn func(i int, hit corpus.Hit)) error {
	if !slices.IsSorted(hashes) {
		return fmt.Errorf("corpus: Lookup: hashes not sorted")
	}
	c, err := s.tables(ctx)
	if err != nil {
		return err
	}
	byRoute := map[int16][]int64{}
	for _, h := range hashes {
		r := route(h)
		for _, b := range c.bits {
			k := bkey(b, h)
			if ks := byRoute[r]; len(ks) == 0 || ks[len(ks)-1] != k {
				byRoute[r] = append(ks, k) // hashes are sorted: equal keys are adjacent
			}
		}
	}
	rows, err := s.readRows(ctx, byRoute)
	if err != nil {
		return err
	}
	index := make(map[uint64]int, len(hashes))
	for i, h := range hashes {
		index[h] = i
	}
	hits := corpus.NewHitSet(len(hashes), maxDF, c.dead)
	for _, row := range rows {
		g := groupReader(row.key, row.data)
		for g.Next() {
			if i, ok := index[g.Hash]; ok {
				if err := hits.Add(i, g); err != nil {
					return fmt.Errorf("corpus: %s: lookup in segment %d: %w", s.name, row.seg, err)
				}
			}
		}
		if err := g.Err(); err != nil {
			return fmt.Errorf("corpus: %s: lookup in segment %d: %w", s.name, row.seg, err)
		}
	}
	hits.Report(fn)
	return nil
}

// readRows reads the rows of the keys, grouped by routing value, in
// segment order.
func (s *Store) readRows(ctx context.Context, byRoute map[int16][]int64) ([]fetchedRow, error) {
	batch := &pgx.Batch{}
	var out []fetchedRow
	for r, keys := range byRoute {
		batch.Queue("SELECT seg, bkey, data FROM snipscan.postings WHERE route = $1 AND bkey = ANY($2)", r, keys).
			Query(func(rows pgx.Rows) error {
				var fr fetchedRow
				_, err := pgx.ForEachRow(rows, []any{&fr.seg, &fr.key, &fr.data}, func() error {
					out = append(out, fr)
					return nil
				})
				return err
			})
	}
	if batch.Len() > 0 {
		if err := s.pool.SendBatch(ctx, batch).Close(); err != nil {
			return nil, fmt.Errorf("corpus: %s: lookup: %w", s.name, err)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].seg != out[j].seg {
			return out[i].seg < out[j].seg
		}
		return out[i].key < out[j].key
	})
	return out, nil
}

// Files is corpus.DB.Files.
func (s *Store) Files(ctx context.Context, ids []uint32) (map[uint32]*corpus.FileInfo, error) {
	c, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint32]*corpus.FileInfo, len(ids))
	keys := make([]int64, len(ids))
	for i, id := range ids {
		keys[i] = int64(id)
	}
	rows, _ := s.pool.Query(ctx, `SELECT id, sum, size, lines, tokens, fingerprints, lang, norm, seg
		FROM snipscan.files WHERE id = ANY($1)`, keys)
	var id, size, norm int64
	var sum []byte
	var lines, tokens, fps, seg int32
	var lang int16
	_, err = pgx.ForEachRow(rows, []any{&id, &sum, &size, &lines, &tokens, &fps, &lang, &norm, &seg}, func() error {
		f := &corpus.FileInfo{FileRecord: corpus.FileRecord{ID: uint32(id), Size: size, Lines: int(lines), Tokens: int(tokens),
			Fingerprints: int(fps), Lang: fingerprint.Lang(lang), NormHash: uint64(norm), Segment: uint32(seg)}}
		copy(f.Sum[:], sum)
		out[uint32(id)] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: files: %w", s.name, err)
	}
	rows, _ = s.pool.Query(ctx, `SELECT root, path, file, size, mtime, pkg, attr, flags FROM snipscan.locations
		WHERE file = ANY($1) ORDER BY file, root, path COLLATE "C"`, keys)
	var l locRow
	_, err = pgx.ForEachRow(rows, l.dest(), func() error {
		f := out[uint32(l.file)]
		if f == nil {
			return nil
		}
		loc := l.location()
		li := corpus.LocationInfo{Location: loc, Root: c.roots[loc.RootID], Package: c.pkgs[loc.PkgID]}
		if a := c.attrs[loc.AttrID]; a != nil {
			li.Attribution = *a
		}
		if li.Root == nil {
			li.Root = &corpus.Root{ID: loc.RootID}
		}
		f.Locations = append(f.Locations, li)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: files: %w", s.name, err)
	}
	return out, nil
}

// locRow is a row of locations as scanned.
type locRow struct {
	root, file, size, mtime, pkg, attr int64
	path                               string
	flags                              int16
}

func (l *locRow) dest() []any {
	return []any{&l.root, &l.path, &l.file, &l.size, &l.mtime, &l.pkg, &l.attr, &l.flags}
}

func (l *locRow) location() corpus.Location {
	return corpus.Location{RootID: uint32(l.root), Path: l.path, FileID: uint32(l.file), Size: l.size, MTime: l.mtime,
		PkgID: uint32(l.pkg), AttrID: uint32(l.attr), Flags: uint8(l.flags)}
}

// FilesByNorm is corpus.DB.FilesByNorm.
func (s *Store) FilesByNorm(ctx context.Context, norms []uint64) (map[uint64][]uint32, error) {
	c, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]int64, len(norms))
	for i, n := range norms {
		keys[i] = int64(n)
	}
	out := map[uint64][]uint32{}
	rows, _ := s.pool.Query(ctx, "SELECT norm, id FROM snipscan.files WHERE norm = ANY($1) ORDER BY norm, id", keys)
	var norm, id int64
	_, err = pgx.ForEachRow(rows, []any{&norm, &id}, func() error {
		if !c.dead[uint32(id)] {
			out[uint64(norm)] = append(out[uint64(norm)], uint32(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", s.name, err)
	}
	return out, nil
}

// LicenseText is corpus.DB.LicenseText.
func (s *Store) LicenseText(id string) (string, error) {
	var text string
	err := s.pool.QueryRow(context.Background(), "SELECT text FROM snipscan.texts WHERE id = $1", id).Scan(&text)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("corpus: license text %s: %w", id, err)
	}
	return text, nil
}

// Fetched is corpus.DB.Fetched.
func (s *Store) Fetched(purl string) (*corpus.Fetched, error) {
	var rec []byte
	err := s.pool.QueryRow(context.Background(), "SELECT rec FROM snipscan.fetched WHERE purl = $1", purl).Scan(&rec)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	f := &corpus.Fetched{}
	if err == nil {
		err = json.Unmarshal(rec, f)
	}
	if err != nil {
		return nil, fmt.Errorf("corpus: fetched package %s: %w", purl, err)
	}
	return f, nil
}

// Unfinished is corpus.DB.Unfinished: the oldest run that began and did
// not finish.
func (s *Store) Unfinished() (*corpus.Run, error) {
	run := &corpus.Run{}
	err := s.pool.QueryRow(context.Background(), "SELECT started FROM snipscan.runs ORDER BY started, id LIMIT 1").Scan(&run.Started)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: runs: %w", s.name, err)
	}
	run.Started = run.Started.UTC()
	return run, nil
}

// HasFiles is corpus.DB.HasFiles.
func (s *Store) HasFiles() (bool, error) {
	var has bool
	if err := s.pool.QueryRow(context.Background(), "SELECT EXISTS (SELECT 1 FROM snipscan.locations)").Scan(&has); err != nil {
		return false, fmt.Errorf("corpus: %s: %w", s.name, err)
	}
	return has, nil
}

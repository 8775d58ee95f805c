package pgstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
)

// rebuildRewrite rebuilds the rewrite index from the features of every
// unit of a live file (corpus.BuildRewriteIndex), in one transaction that
// holds a lock against concurrent rebuilds. Units a killed run committed
// are merged too: their features are stored with them.
func (w *Writer) rebuildRewrite(ctx context.Context) error {
	return w.s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('snipscan.rewrite'))"); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM snipscan.meta WHERE key = 'rewrite')").Scan(&exists); err != nil {
			return err
		}
		if !w.unitsNew && !exists {
			return nil
		}
		live := map[uint32]bool{}
		var next int64
		var pairs []uint64
		rows, _ := tx.Query(ctx, `SELECT u.id, u.feats FROM snipscan.rw_units u
			WHERE EXISTS (SELECT 1 FROM snipscan.locations l WHERE l.file = u.file)`)
		var id int64
		var feats []byte
		if _, err := pgx.ForEachRow(rows, []any{&id, &feats}, func() error {
			live[uint32(id)] = true
			next = max(next, id+1)
			return unpackFeatures(feats, func(f uint32) { pairs = append(pairs, uint64(f)<<32|uint64(id)) })
		}); err != nil {
			return err
		}
		slices.Sort(pairs)
		pairs = slices.Compact(pairs)
		ix := corpus.BuildRewriteIndex(pairs, live, w.opts.RewriteVersion, uint32(next))
		return writeRewrite(ctx, tx, ix)
	})
}

// packFeatures encodes a unit's features, sorted, as varint deltas.
func packFeatures(feats []uint32) []byte {
	sorted := slices.Clone(feats)
	slices.Sort(sorted)
	b := make([]byte, 0, 3*len(sorted))
	var prev uint32
	for _, f := range sorted {
		b = binary.AppendUvarint(b, uint64(f-prev))
		prev = f
	}
	return b
}

// unpackFeatures calls fn for each feature packFeatures encoded in b.
func unpackFeatures(b []byte, fn func(f uint32)) error {
	var f uint32
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("corrupt rewrite unit features")
		}
		f += uint32(d)
		b = b[n:]
		fn(f)
	}
	return nil
}

// writeRewrite replaces the rewrite index with ix.
func writeRewrite(ctx context.Context, tx pgx.Tx, ix *corpus.RewriteIndex) error {
	if _, err := tx.Exec(ctx, "DELETE FROM snipscan.rw_post"); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"snipscan", "rw_post"}, []string{"prefix", "block"},
		pgx.CopyFromSlice(len(ix.Blocks), func(i int) ([]any, error) {
			return []any{int32(ix.Blocks[i].Prefix), ix.Blocks[i].Data}, nil
		})); err != nil {
		return fmt.Errorf("copy rewrite postings: %w", err)
	}
	ids := make([]int64, len(ix.Weights))
	total := make([]float32, len(ix.Weights))
	anchors := make([]float32, len(ix.Weights))
	for i, u := range ix.Weights {
		ids[i], total[i], anchors[i] = int64(u.Unit), u.Total, u.Anchors
	}
	if _, err := tx.Exec(ctx, "UPDATE snipscan.rw_units SET total = NULL, anchors = NULL WHERE total IS NOT NULL"); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE snipscan.rw_units u SET total = w.total, anchors = w.anchors
		FROM unnest($1::bigint[], $2::real[], $3::real[]) w(id, total, anchors) WHERE u.id = w.id`, ids, total, anchors); err != nil {
		return fmt.Errorf("unit weights: %w", err)
	}
	return putMeta(ctx, tx, "rewrite", ix.Info)
}

// RewriteInfo is corpus.DB.RewriteInfo.
func (s *Store) RewriteInfo() (*corpus.RewriteInfo, error) {
	info := &corpus.RewriteInfo{}
	err := getMeta(context.Background(), s.pool, "rewrite", info)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w (bad rewrite record: %v)", s.name, corpus.ErrNotCorpus, err)
	}
	return info, nil
}

// RewriteLookup is corpus.DB.RewriteLookup: the blocks of all the
// features' prefixes are read in one statement.
func (s *Store) RewriteLookup(ctx context.Context, feats []uint32, fn func(i, df int, units []uint32)) error {
	var prefixes []int32
	seen := map[int32]bool{}
	for _, f := range feats {
		if p := int32(f >> 16); !seen[p] {
			seen[p] = true
			prefixes = append(prefixes, p)
		}
	}
	blocks := map[uint16][]byte{}
	rows, _ := s.pool.Query(ctx, "SELECT prefix, block FROM snipscan.rw_post WHERE prefix = ANY($1)", prefixes)
	var p int32
	var b []byte
	if _, err := pgx.ForEachRow(rows, []any{&p, &b}, func() error {
		blocks[uint16(p)] = b
		return nil
	}); err != nil {
		return fmt.Errorf("corpus: %s: rewrite lookup: %w", s.name, err)
	}
	err := corpus.LookupRewriteBlocks(ctx, feats, func(prefix uint16) []byte { return blocks[prefix] }, fn)
	if err != nil {
		return fmt.Errorf("corpus: %s: %w", s.name, err)
	}
	return nil
}

// RewriteUnits is corpus.DB.RewriteUnits: units of removed files (without
// weights) are left out.
func (s *Store) RewriteUnits(ctx context.Context, ids []uint32, fn func(u corpus.RewriteUnit)) error {
	keys := make([]int64, len(ids))
	for i, id := range ids {
		keys[i] = int64(id)
	}
	rows, _ := s.pool.Query(ctx, `SELECT id, file, line, end_line, func_line, func_end_line, stmts, features, total, anchors
		FROM snipscan.rw_units WHERE id = ANY($1) AND total IS NOT NULL ORDER BY id`, keys)
	var id, file int64
	var line, end, fline, fend, stmts, nf int32
	var total, anchors float32
	_, err := pgx.ForEachRow(rows, []any{&id, &file, &line, &end, &fline, &fend, &stmts, &nf, &total, &anchors}, func() error {
		fn(corpus.RewriteUnit{ID: uint32(id), File: uint32(file), Line: int(line), EndLine: int(end), FuncLine: int(fline),
			FuncEndLine: int(fend), Stmts: int(stmts), NumFeatures: int(nf), Total: float64(total), Anchors: float64(anchors)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("corpus: %s: rewrite units: %w", s.name, err)
	}
	return nil
}

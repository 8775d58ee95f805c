package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/snipscan/snipscan/corpus"
)

// Flush commits what is buffered in one transaction: the postings as a
// new segment, the files, packages, attributions, license texts,
// locations, rewrite units and fetched records. A failed Flush leaves the
// writer broken: later calls return its error and commit nothing.
func (w *Writer) Flush() error {
	if w.failed != nil {
		return w.failed
	}
	if err := w.flush(); err != nil {
		return w.fail(err)
	}
	return nil
}

func (w *Writer) flush() error {
	if len(w.postings) == 0 && len(w.files) == 0 && len(w.locs) == 0 && len(w.newPkgs) == 0 && len(w.newAttrs) == 0 &&
		len(w.texts) == 0 && len(w.fetched) == 0 && len(w.units) == 0 {
		return nil
	}
	ready := w.readyFetched()
	ctx := w.ctx
	var seg int64
	err := w.s.tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT nextval('snipscan.segment_ids')").Scan(&seg); err != nil {
			return err
		}
		steps := []func(context.Context, pgx.Tx, int64) error{w.commitFiles, w.commitPostings, w.commitPackages,
			w.commitAttributions, w.commitTexts, w.commitLocations, w.commitUnits}
		for _, step := range steps {
			if err := step(ctx, tx, seg); err != nil {
				return err
			}
		}
		return putFetched(ctx, tx, w.fetched[:ready])
	})
	w.s.invalidate()
	if err != nil {
		return fmt.Errorf("corpus: %s: commit segment %d: %w", w.s.name, seg, err)
	}
	w.after(corpus.TxCommit)
	w.postings, w.files, w.locs, w.newPkgs, w.units = w.postings[:0], w.files[:0], w.locs[:0], w.newPkgs[:0], w.units[:0]
	clear(w.newAttrs)
	clear(w.texts)
	w.fetched = w.fetched[ready:]
	return nil
}

// commitFiles merges the buffered file records. A content another writer
// committed first keeps its ID: this writer's postings and units of it
// are dropped and its locations moved to that ID.
func (w *Writer) commitFiles(ctx context.Context, tx pgx.Tx, seg int64) error {
	if len(w.files) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, "CREATE TEMP TABLE stage_files (LIKE snipscan.files) ON COMMIT DROP"); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_files"}, []string{"id", "sum", "size", "lines", "tokens", "fingerprints", "lang", "norm", "seg"},
		pgx.CopyFromSlice(len(w.files), func(i int) ([]any, error) {
			f := &w.files[i]
			return []any{int64(f.ID), f.Sum[:], f.Size, int32(f.Lines), int32(f.Tokens), int32(f.Fingerprints), int16(f.Lang), int64(f.NormHash), int32(seg)}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy files: %w", err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO snipscan.files SELECT * FROM stage_files ON CONFLICT (sum) DO NOTHING"); err != nil {
		return fmt.Errorf("merge files: %w", err)
	}
	rows, _ := tx.Query(ctx, "SELECT s.id, f.id FROM stage_files s JOIN snipscan.files f ON f.sum = s.sum WHERE f.id <> s.id")
	lost := map[uint32]uint32{}
	var ours, theirs int64
	if _, err := pgx.ForEachRow(rows, []any{&ours, &theirs}, func() error {
		lost[uint32(ours)] = uint32(theirs)
		return nil
	}); err != nil {
		return err
	}
	if len(lost) == 0 {
		return nil
	}
	w.postings = dropFiles(w.postings, func(p corpus.RawPosting) bool { _, ok := lost[p.File]; return ok })
	w.units = dropFiles(w.units, func(u corpus.RewriteUnit) bool { _, ok := lost[u.File]; return ok })
	w.mu.Lock()
	for sum, id := range w.content {
		if to, ok := lost[id]; ok {
			w.content[sum] = to
		}
	}
	w.mu.Unlock()
	for i := range w.locs {
		if to, ok := lost[w.locs[i].FileID]; ok {
			w.locs[i].FileID = to
		}
	}
	for id, to := range lost {
		for _, l := range w.parked[id] {
			l.FileID = to
			w.locs = append(w.locs, l)
		}
		delete(w.parked, id)
	}
	w.stats.Files -= len(lost)
	return nil
}

// dropFiles removes the elements for which drop is true.
func dropFiles[T any](s []T, drop func(T) bool) []T {
	out := s[:0]
	for _, v := range s {
		if !drop(v) {
			out = append(out, v)
		}
	}
	return out
}

// commitPostings writes the buffered postings as segment seg.
func (w *Writer) commitPostings(ctx context.Context, tx pgx.Tx, seg int64) error {
	if len(w.postings) == 0 {
		return nil
	}
	rows, st := encodeSegment(w.postings, w.s.params.StopDF)
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"snipscan", "postings"}, []string{"route", "bkey", "seg", "data"},
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			return []any{rows[i].route, rows[i].bkey, int32(seg), rows[i].data}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy postings: %w", err)
	}
	_, err = tx.Exec(ctx, "INSERT INTO snipscan.segments VALUES ($1, $2, $3, $4, $5, $6, $7)",
		seg, st.bits, st.keys, st.Hashes, st.postings, st.Stopped, len(w.files))
	w.stats.Segments++
	w.stats.Postings += st.postings
	return err
}

// commitPackages merges the new packages. A package with a version that
// another writer recorded first keeps that writer's ID.
func (w *Writer) commitPackages(ctx context.Context, tx pgx.Tx, _ int64) error {
	moved := map[uint32]uint32{}
	for _, p := range w.newPkgs {
		rec, _ := json.Marshal(p)
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO snipscan.packages (id, root, dir, ident, rec) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING RETURNING id`, int64(p.ID), int64(p.RootID), p.Dir, identity(&p), rec).Scan(&id)
		if err == pgx.ErrNoRows {
			err = tx.QueryRow(ctx, "SELECT id FROM snipscan.packages WHERE ident = $1 OR (root = $2 AND dir = $3) LIMIT 1",
				identity(&p), int64(p.RootID), p.Dir).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("package %s: %w", p.Dir, err)
		}
		if uint32(id) != p.ID {
			moved[p.ID] = uint32(id)
		}
	}
	for k, id := range w.pkgs {
		if to, ok := moved[id]; ok {
			w.pkgs[k] = to
		}
	}
	for i := range w.locs {
		if to, ok := moved[w.locs[i].PkgID]; ok {
			w.locs[i].PkgID = to
		}
	}
	return nil
}

// commitAttributions merges the new attributions (deduplicated by the
// hash of their record).
func (w *Writer) commitAttributions(ctx context.Context, tx pgx.Tx, _ int64) error {
	moved := map[uint32]uint32{}
	for id, a := range w.newAttrs {
		var got int64
		err := tx.QueryRow(ctx, `INSERT INTO snipscan.attributions (id, key, rec) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`, int64(id), a.key[:], a.rec).Scan(&got)
		if err != nil {
			return fmt.Errorf("attribution: %w", err)
		}
		if uint32(got) != id {
			moved[id] = uint32(got)
			w.attrs[a.key] = uint32(got)
		}
	}
	for i := range w.locs {
		if to, ok := moved[w.locs[i].AttrID]; ok {
			w.locs[i].AttrID = to
		}
	}
	return nil
}

// commitTexts records the new license texts.
func (w *Writer) commitTexts(ctx context.Context, tx pgx.Tx, _ int64) error {
	for id, text := range w.texts {
		if _, err := tx.Exec(ctx, "INSERT INTO snipscan.texts VALUES ($1, $2) ON CONFLICT DO NOTHING", id, string(text)); err != nil {
			return fmt.Errorf("license text: %w", err)
		}
	}
	return nil
}

// commitLocations merges the buffered locations (the last of a path
// wins), counting the files left without a location.
func (w *Writer) commitLocations(ctx context.Context, tx pgx.Tx, _ int64) error {
	if len(w.locs) == 0 {
		return nil
	}
	last := map[pkgKey]int{}
	for i, l := range w.locs {
		last[pkgKey{l.RootID, l.Path}] = i
	}
	var locs []corpus.Location
	for i, l := range w.locs {
		if last[pkgKey{l.RootID, l.Path}] == i {
			locs = append(locs, l)
		}
	}
	if _, err := tx.Exec(ctx, "CREATE TEMP TABLE stage_locs (LIKE snipscan.locations) ON COMMIT DROP"); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_locs"}, []string{"root", "path", "file", "size", "mtime", "pkg", "attr", "flags"},
		pgx.CopyFromSlice(len(locs), func(i int) ([]any, error) {
			l := &locs[i]
			return []any{int64(l.RootID), l.Path, int64(l.FileID), l.Size, l.MTime, int64(l.PkgID), int64(l.AttrID), int16(l.Flags)}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy locations: %w", err)
	}
	var old []int64
	rows, _ := tx.Query(ctx, `SELECT DISTINCT l.file FROM snipscan.locations l JOIN stage_locs s USING (root, path) WHERE l.file <> s.file`)
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { old = append(old, id); return nil }); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO snipscan.locations SELECT * FROM stage_locs ON CONFLICT (root, path) DO UPDATE
		SET file = EXCLUDED.file, size = EXCLUDED.size, mtime = EXCLUDED.mtime, pkg = EXCLUDED.pkg, attr = EXCLUDED.attr, flags = EXCLUDED.flags
		WHERE (snipscan.locations.file, snipscan.locations.size, snipscan.locations.mtime, snipscan.locations.pkg, snipscan.locations.attr, snipscan.locations.flags)
			IS DISTINCT FROM (EXCLUDED.file, EXCLUDED.size, EXCLUDED.mtime, EXCLUDED.pkg, EXCLUDED.attr, EXCLUDED.flags)`)
	if err != nil {
		return fmt.Errorf("merge locations: %w", err)
	}
	w.stats.Locations += int(tag.RowsAffected())
	return w.countDead(ctx, tx, old)
}

// countDead adds to the stats how many of files have no location left.
func (w *Writer) countDead(ctx context.Context, tx pgx.Tx, files []int64) error {
	if len(files) == 0 {
		return nil
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM unnest($1::bigint[]) f(id)
		WHERE NOT EXISTS (SELECT 1 FROM snipscan.locations l WHERE l.file = f.id)`, files).Scan(&n)
	w.stats.Dead += n
	return err
}

// commitUnits records the buffered rewrite units and their features.
func (w *Writer) commitUnits(ctx context.Context, tx pgx.Tx, _ int64) error {
	if len(w.units) == 0 {
		return nil
	}
	unitRows := make([][]any, len(w.units))
	for i := range w.units {
		u := &w.units[i]
		id, err := w.unitIDs.take(ctx, w.s)
		if err != nil {
			return err
		}
		// Spans clamped at 0, as the bbolt store's unit records keep them.
		line := max(u.Line, 0)
		end := line + max(u.EndLine-u.Line, 0)
		fline := line + max(u.FuncLine-u.Line, 0)
		fend := fline + max(u.FuncEndLine-u.FuncLine, 0)
		unitRows[i] = []any{int64(id), int64(u.File), int32(line), int32(end), int32(fline), int32(fend), int32(max(u.Stmts, 0)),
			int32(len(u.Features)), packFeatures(u.Features)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"snipscan", "rw_units"},
		[]string{"id", "file", "line", "end_line", "func_line", "func_end_line", "stmts", "features", "feats"}, pgx.CopyFromRows(unitRows)); err != nil {
		return fmt.Errorf("copy rewrite units: %w", err)
	}
	w.stats.Units += len(w.units)
	w.unitsNew = true
	return nil
}

// readyFetched moves to the front of w.fetched the records whose root has
// no location parked, and returns how many they are (see
// corpus.Writer.Fetched).
func (w *Writer) readyFetched() int {
	waiting := map[uint32]bool{}
	for _, locs := range w.parked {
		for _, l := range locs {
			waiting[l.RootID] = true
		}
	}
	var ready, wait []pendingFetched
	for _, f := range w.fetched {
		if waiting[f.root] {
			wait = append(wait, f)
		} else {
			ready = append(ready, f)
		}
	}
	w.fetched = append(ready, wait...)
	return len(ready)
}

// putFetched upserts the records of fetched packages.
func putFetched(ctx context.Context, tx pgx.Tx, fetched []pendingFetched) error {
	for _, f := range fetched {
		rec, _ := json.Marshal(f.rec)
		if _, err := tx.Exec(ctx, `INSERT INTO snipscan.fetched VALUES ($1, $2, $3) ON CONFLICT (purl) DO UPDATE
			SET root = EXCLUDED.root, rec = EXCLUDED.rec`, f.rec.PURL, int64(f.root), rec); err != nil {
			return fmt.Errorf("fetched package %s: %w", f.rec.PURL, err)
		}
	}
	return nil
}

// RemoveLocations is corpus.Writer.RemoveLocations.
func (w *Writer) RemoveLocations(rootID uint32, paths []string) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	ctx := w.ctx
	var removed int
	err := w.s.tx(ctx, func(tx pgx.Tx) error {
		var rootPath string
		if err := tx.QueryRow(ctx, "SELECT path FROM snipscan.roots WHERE id = $1", int64(rootID)).Scan(&rootPath); err != nil {
			return fmt.Errorf("root %d: %w", rootID, err)
		}
		if err := dropFetched(ctx, tx, rootPath, paths); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "DELETE FROM snipscan.locations WHERE root = $1 AND path = ANY($2) RETURNING file", int64(rootID), paths)
		var files []int64
		var id int64
		if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { files = append(files, id); return nil }); err != nil {
			return err
		}
		removed = len(files)
		return w.countDead(ctx, tx, files)
	})
	w.s.invalidate()
	if err != nil {
		return 0, w.fail(fmt.Errorf("corpus: %s: remove locations: %w", w.s.name, err))
	}
	w.after(corpus.TxRemove)
	return removed, nil
}

// dropFetched deletes the records of fetched packages whose directory
// holds one of paths below the root at rootPath.
func dropFetched(ctx context.Context, tx pgx.Tx, rootPath string, paths []string) error {
	rows, _ := tx.Query(ctx, "SELECT purl, rec->>'root' FROM snipscan.fetched")
	var stale []string
	var purl, dir string
	if _, err := pgx.ForEachRow(rows, []any{&purl, &dir}, func() error {
		for _, p := range paths {
			if within(filepath.Join(rootPath, filepath.FromSlash(p)), dir) {
				stale = append(stale, purl)
				break
			}
		}
		return nil
	}); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "DELETE FROM snipscan.fetched WHERE purl = ANY($1)", stale)
	return err
}

// within reports whether the file path p lies in the directory dir.
func within(p, dir string) bool {
	return dir != "" && (p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator)))
}

// Finish ends a run that completed: it flushes, rebuilds the rewrite
// index if units were added or files removed, and removes the run's
// record (and those of runs that were killed: their lock is free).
func (w *Writer) Finish() error {
	if w.closed {
		return fmt.Errorf("corpus: %s: finish a closed writer", w.s.name)
	}
	if err := w.Flush(); err != nil {
		w.Close()
		return err
	}
	if w.unitsNew || w.stats.Dead > 0 {
		if err := w.rebuildRewrite(w.ctx); err != nil {
			w.Close()
			return w.fail(fmt.Errorf("corpus: %s: rebuild the rewrite index: %w", w.s.name, err))
		}
	}
	if err := w.endRuns(w.ctx); err != nil {
		w.Close()
		return w.fail(fmt.Errorf("corpus: %s: record the end of the run: %w", w.s.name, err))
	}
	w.s.invalidate()
	return w.Close()
}

// endRuns deletes this run's record and those of runs no process holds.
func (w *Writer) endRuns(ctx context.Context) error {
	rows, _ := w.lock.Query(ctx, "SELECT id FROM snipscan.runs WHERE id <> $1", w.run)
	var others []int64
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { others = append(others, id); return nil }); err != nil {
		return err
	}
	done := []int64{w.run}
	for _, id := range others {
		var free bool
		if err := w.lock.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, $2)", runLockSpace, int32(id)).Scan(&free); err != nil {
			return err
		}
		if free {
			done = append(done, id)
			if _, err := w.lock.Exec(ctx, "SELECT pg_advisory_unlock($1, $2)", runLockSpace, int32(id)); err != nil {
				return err
			}
		}
	}
	_, err := w.lock.Exec(ctx, "DELETE FROM snipscan.runs WHERE id = ANY($1)", done)
	return err
}

// Close flushes what is buffered and ends the writer, leaving the run
// recorded as unfinished (see Finish).
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	err := w.Flush()
	w.closed = true
	if w.lock != nil {
		w.lock.Close(w.ctx)
	}
	return err
}

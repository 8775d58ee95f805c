package corpus

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
	bolt "go.etcd.io/bbolt"
)

// postingsByPath looks up every fingerprint of files in db and returns
// each posting as a string naming the file by its locations, not its ID,
// so that databases numbered differently compare equal.
func postingsByPath(t *testing.T, db *DB, files []testFile) []string {
	t.Helper()
	ctx := context.Background()
	var hashes []uint64
	for _, f := range files {
		for _, fp := range f.fps {
			hashes = append(hashes, fp.Hash)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	type hit struct {
		hash uint64
		df   int
		p    Posting
	}
	var hits []hit
	ids := map[uint32]bool{}
	err := db.Lookup(ctx, hashes, 0, func(i int, h Hit) {
		if h.Postings == nil {
			hits = append(hits, hit{hash: hashes[i], df: h.DF})
		}
		for _, p := range h.Postings {
			hits = append(hits, hit{hashes[i], h.DF, p})
			ids[p.File] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	infos, err := db.Files(ctx, slices.Collect(func(yield func(uint32) bool) {
		for id := range ids {
			if !yield(id) {
				return
			}
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	name := func(id uint32) string {
		if id == 0 {
			return "(stopped)"
		}
		var ps []string
		for _, l := range infos[id].Locations {
			ps = append(ps, l.Root.Path+"/"+l.Path+" "+l.Attribution.License+" "+l.Package.Name)
		}
		slices.Sort(ps)
		return fmt.Sprint(ps)
	}
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%x df=%d %s %d-%d %x %x", h.hash, h.df, name(h.p.File), h.p.Line, h.p.EndLine, h.p.Exact, h.p.Anchor))
	}
	slices.Sort(out)
	return out
}

// TestMerge merges two shards that share some contents and checks that
// the result holds what one database indexing both holds: the same
// files, locations, packages, licenses and postings; that it passes its
// check; that merging again adds nothing; and that a cancelled merge is
// completed by the next.
func TestMerge(t *testing.T) {
	t.Parallel()
	files := gorootFiles(t, 40)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts WriterOptions
	}{
		{"one segment", WriterOptions{}},
		{"many segments", WriterOptions{BatchPostings: 700, TxBytes: 4096}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, _ := create(t, Params{})
			loadAt(t, a, "/a", files[:25], tc.opts)
			b, _ := create(t, Params{})
			loadAt(t, b, "/b", files[15:], tc.opts)
			ref, _ := create(t, Params{})
			loadAt(t, ref, "/a", files[:25], tc.opts)
			loadAt(t, ref, "/b", files[15:], tc.opts)

			dst, _ := create(t, Params{})
			w, err := dst.NewWriter(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			stA, err := w.Merge(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			// A merge cancelled before it starts adds nothing; the next one
			// completes it.
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := w.Merge(cancelled, b); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled merge: %v", err)
			}
			stB, err := w.Merge(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if stA.Files != 25 || stA.Duplicates != 0 || stB.Files != 15 || stB.Duplicates != 10 || stB.Locations != 26 {
				t.Errorf("merge stats: a %+v, b %+v", stA, stB)
			}
			if err := dst.Check(); err != nil {
				t.Fatalf("Check of the merged database: %v", err)
			}
			got, want := postingsByPath(t, dst, files), postingsByPath(t, ref, files)
			if !slices.Equal(got, want) {
				t.Errorf("postings differ: %d merged, %d in the single database", len(got), len(want))
			}
			infoOf := func(db *DB) *Info {
				info, err := db.Info(ctx)
				if err != nil {
					t.Fatal(err)
				}
				info.Path, info.SizeBytes, info.Segments, info.Hashes = "", 0, 0, 0
				for i := range info.Roots {
					info.Roots[i].Indexed = info.Roots[i].Indexed.UTC()
				}
				return info
			}
			wantInfo := infoOf(ref)
			if got := infoOf(dst); !reflect.DeepEqual(got.Packages, wantInfo.Packages) || got.Files != wantInfo.Files ||
				got.Locations != wantInfo.Locations || !reflect.DeepEqual(got.Licenses, wantInfo.Licenses) || len(got.Roots) != 2 {
				t.Errorf("merged Info %+v\nsingle database %+v", got, wantInfo)
			}

			// Merging again adds no content and changes no count.
			before := infoOf(dst)
			w, err = dst.NewWriter(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			st, err := w.Merge(ctx, b)
			if err != nil || st.Files != 0 || st.Postings != 0 {
				t.Errorf("second merge of b: %+v, %v", st, err)
			}
			w.Close()
			if after := infoOf(dst); after.Files != before.Files || after.Locations != before.Locations || after.Postings != before.Postings {
				t.Errorf("second merge changed the database: %+v, was %+v", after, before)
			}
		})
	}
}

// TestMergeStopped merges a shard in whose first segment a hash is
// boilerplate (more than StopDF files) and whose second segment holds it
// in fewer files: in the result it is stopped with the sum of their
// document frequencies, whether the two segments are merged into one
// (the writer's encoder adds them) or stay two (Lookup does).
func TestMergeStopped(t *testing.T) {
	t.Parallel()
	base := gorootFiles(t, 1)[0]
	fp, _ := fingerprint.New(fingerprint.Params{})
	var variants []testFile
	for i := range 10 {
		data := append(slices.Clone(base.data), fmt.Sprintf("\nvar extra%c = 1\n", 'a'+i)...)
		res := fp.File(fingerprint.Go, data)
		variants = append(variants, testFile{rel: fmt.Sprint(base.rel, i), data: data, res: *res, fps: slices.Clone(res.Fingerprints)})
	}
	src, _ := create(t, Params{StopDF: 4})
	loadAt(t, src, "/a", variants[:6], WriterOptions{})
	loadAt(t, src, "/b", variants[6:], WriterOptions{})
	for _, tc := range []struct {
		opts     WriterOptions
		segments int
	}{{WriterOptions{}, 1}, {WriterOptions{BatchPostings: 10}, 2}} {
		dst, _ := create(t, Params{StopDF: 4})
		w, err := dst.NewWriter(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Merge(context.Background(), src); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := dst.Check(); err != nil {
			t.Fatal(err)
		}
		info, err := dst.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got Hit
		err = dst.Lookup(context.Background(), []uint64{base.fps[0].Hash}, 0, func(i int, h Hit) { got = h })
		if err != nil {
			t.Fatal(err)
		}
		if info.Segments != tc.segments || got.DF != 10 || got.Postings != nil || !got.Stopped {
			t.Errorf("%d segments (want %d): stopped hash: df %d, %d postings, stopped %v; want df 10, none, stopped",
				info.Segments, tc.segments, got.DF, len(got.Postings), got.Stopped)
		}
	}
}

// TestMergeParams refuses a shard built with other parameters.
func TestMergeParams(t *testing.T) {
	t.Parallel()
	files := gorootFiles(t, 3)
	src, _ := create(t, Params{K: 16})
	load(t, src, files, WriterOptions{})
	dst, _ := create(t, Params{})
	w, err := dst.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Merge(context.Background(), src); !errors.Is(err, ErrParamsMismatch) {
		t.Errorf("merge of a k=16 shard into k=20: %v", err)
	}
}

// damageLastGroup appends a cut-off varint to the last posting group of
// db's only segment, and returns a function that restores it.
func damageLastGroup(t *testing.T, db *DB) (restore func()) {
	t.Helper()
	var key, saved []byte
	put := func(v func([]byte) []byte) {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			var b *bolt.Bucket
			tx.Bucket(bFP).ForEach(func(k, _ []byte) error { b = tx.Bucket(bFP).Bucket(k); return nil })
			k, old := b.Cursor().Last()
			if key == nil {
				key, saved = slices.Clone(k), slices.Clone(old)
			}
			return b.Put(key, v(old))
		})
		if err != nil {
			t.Fatal(err)
		}
		db.invalidate()
	}
	put(func(old []byte) []byte { return append(slices.Clone(old), 0x80) })
	return func() { put(func([]byte) []byte { return saved }) }
}

// TestMergeDamagedShard merges a shard whose last posting group is cut
// off: the merge fails, closing the writer commits nothing of the
// half-read group (the database passes its check), and merging the
// repaired shard completes it.
func TestMergeDamagedShard(t *testing.T) {
	t.Parallel()
	files := gorootFiles(t, 10)
	src, _ := create(t, Params{})
	loadAt(t, src, "/a", files, WriterOptions{})
	restore := damageLastGroup(t, src)
	dst, _ := create(t, Params{})
	w, err := dst.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Merge(context.Background(), src); err == nil {
		t.Fatal("the merge of a damaged shard succeeded")
	}
	w.Close()
	if err := dst.Check(); err != nil {
		t.Fatalf("Check after a failed merge: %v", err)
	}
	restore()
	w, err = dst.NewWriter(WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.Merge(context.Background(), src)
	if err != nil || st.Files != len(files) {
		t.Fatalf("merge of the repaired shard: %+v, %v", st, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := dst.Check(); err != nil {
		t.Errorf("Check after the second merge: %v", err)
	}
}

package corpus

import (
	"encoding/binary"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestCheckPostings damages the postings of a real database in three ways
// and checks that Check names each damage.
func TestCheckPostings(t *testing.T) {
	files := gorootFiles(t, 20)
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, tx *bolt.Tx, seg []byte)
		want   string
	}{
		{"posting of a missing file", func(t *testing.T, tx *bolt.Tx, seg []byte) {
			// One hash (suffix 1) with one posting of file 999999.
			g := binary.AppendUvarint(nil, 1)
			g = binary.AppendUvarint(g, 1<<1)
			g = binary.AppendUvarint(g, 999999)
			g = binary.AppendUvarint(g, 3)
			g = binary.AppendUvarint(g, 0)
			g = append(g, 0, 0, 0)
			put(t, tx, seg, []byte{0xff, 0xfe}, g)
		}, "names file 999999"},
		{"a count that disagrees", func(t *testing.T, tx *bolt.Tx, seg []byte) {
			g := binary.AppendUvarint(nil, 1)
			g = binary.AppendUvarint(g, 1)  // stopped
			g = binary.AppendUvarint(g, 99) // its DF
			put(t, tx, seg, []byte{0xff, 0xfd}, g)
		}, "its record says"},
		{"a truncated group", func(t *testing.T, tx *bolt.Tx, seg []byte) {
			g := binary.AppendUvarint(nil, 1)
			g = binary.AppendUvarint(g, 3<<1) // three postings, none there
			put(t, tx, seg, []byte{0xff, 0xfc}, g)
		}, "group fffc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := create(t, Params{})
			load(t, db, files, WriterOptions{})
			if err := db.Check(); err != nil {
				t.Fatalf("Check before the damage: %v", err)
			}
			err := db.bolt.Update(func(tx *bolt.Tx) error {
				c := tx.Bucket(bFP).Cursor()
				seg, _ := c.First()
				if seg == nil {
					t.Fatal("no segment")
				}
				tc.damage(t, tx, seg)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			db.invalidate()
			if err := db.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func put(t *testing.T, tx *bolt.Tx, seg, key, val []byte) {
	t.Helper()
	if err := tx.Bucket(bFP).Bucket(seg).Put(key, val); err != nil {
		t.Fatal(err)
	}
}

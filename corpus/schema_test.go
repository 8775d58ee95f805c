package corpus

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestSchema1 opens a database marked schema 1 (before the rewrite units):
// read-only it opens, with no rewrite index; for writing it is refused.
func TestSchema1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.update(func(tx *bolt.Tx) error {
		var v [4]byte
		binary.BigEndian.PutUint32(v[:], 1)
		return tx.Bucket(bMeta).Put(kSchema, v[:])
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of schema 1: %v", err)
	}
	if info, err := ro.RewriteInfo(); err != nil || info != nil || ro.Schema() != 1 {
		t.Errorf("schema 1: rewrite info %v, %v, schema %d", info, err, ro.Schema())
	}
	ro.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrSchemaMismatch) {
		t.Errorf("writing schema 1: %v, want ErrSchemaMismatch", err)
	}
}

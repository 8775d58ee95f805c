package corpus

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
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

// TestCheckDamagedPages overwrites the header of one page of a real
// database with noise, page after page: Open or Check reports each damage
// as an error, without the panic bbolt raises on such pages, and Check
// does see some of them.
func TestCheckDamagedPages(t *testing.T) {
	db, path := create(t, Params{})
	load(t, db, gorootFiles(t, 60), WriterOptions{})
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	dir := t.TempDir()
	checked := 0
	for p := 4; p*4096+16 <= len(data) && checked < 5; p += 3 {
		damaged := slices.Clone(data)
		for i := p * 4096; i < p*4096+16; i++ {
			damaged[i] = byte(r.Uint32())
		}
		file := filepath.Join(dir, fmt.Sprintf("p%d.db", p))
		if err := os.WriteFile(file, damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		ro, err := Open(file, Options{ReadOnly: true})
		if err != nil {
			continue // refused at open, with an error: as good
		}
		cerr := ro.Check()
		ro.Close()
		if cerr == nil {
			continue // a free page: nothing to see
		}
		checked++
		t.Logf("page %d: %v", p, cerr)
	}
	if checked == 0 {
		t.Errorf("no damaged page was found by Check")
	}
}

// TestIsTest checks the test-code rule of locations: the indexer's
// decision when it recorded one (FlagTestKnown), else, for a location of
// a database indexed before it did, the path below the indexed root.
func TestIsTest(t *testing.T) {
	for _, tc := range []struct {
		path  string
		flags uint8
		want  bool
	}{
		{"ring.go", FlagTestKnown | FlagTest, true}, // indexed as x/test: decided from test/ring.go
		{"test/ring.go", FlagTestKnown, false},      // test/ lies above the package's root
		{"test/ring.go", 0, true},                   // an older database: the path decides
		{"sort/sort_test.go", 0, true},
		{"a/testdata/b.go", FlagVendored, true},
		{"src/attest/x.js", 0, false},
		{"lib/x.spec.ts", 0, true},
		{"lib/x.js", 0, false},
	} {
		if got := IsTest(tc.path, tc.flags); got != tc.want {
			t.Errorf("IsTest(%q, %b) = %v, want %v", tc.path, tc.flags, got, tc.want)
		}
	}
}

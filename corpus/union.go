package corpus

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Union is several corpus databases read as one, as shards: independent
// index jobs (one per ecosystem, per team, per machine) each build a
// database, and a scan reads them together without merging them. File IDs
// of the i-th database are mapped to i<<UnionShift | id, so that results
// name each file once; lookups go to every database and add their
// document frequencies. The databases must share their fingerprint
// parameters. Shards are meant to hold different code: content held by
// several of them counts once per shard in document frequencies (one
// database would count it once), and each copy is an alternate origin.
type Union struct {
	dbs []*DB
}

// UnionShift is the bit position of a database's index in the file IDs of
// a Union: each database may hold up to 2^26 (67 million) distinct
// contents, and a Union up to 64 databases.
const UnionShift = 26

// NewUnion returns the union of dbs (at least one, at most 64), which
// must have the same parameters. Closing the databases is the caller's.
func NewUnion(dbs ...*DB) (*Union, error) {
	if len(dbs) == 0 || len(dbs) > 1<<(32-UnionShift) {
		return nil, fmt.Errorf("corpus: a union holds 1 to %d databases, not %d", 1<<(32-UnionShift), len(dbs))
	}
	for _, db := range dbs[1:] {
		if db.params != dbs[0].params {
			return nil, fmt.Errorf("corpus: %s was built with other fingerprint parameters (%s) than %s (%s): it cannot be scanned with it",
				db.path, db.params, dbs[0].path, dbs[0].params)
		}
	}
	for _, db := range dbs {
		var st state
		err := db.view(func(tx *bolt.Tx) error {
			return json.Unmarshal(orEmptyJSON(tx.Bucket(bMeta).Get(kState)), &st)
		})
		if err != nil {
			return nil, fmt.Errorf("corpus: %s: state: %w", db.path, err)
		}
		if st.NextFile > 1<<UnionShift { // IDs 1 to NextFile-1 must fit below the shift
			return nil, fmt.Errorf("corpus: %s holds more than %d files: it cannot be part of a union", db.path, 1<<UnionShift)
		}
	}
	return &Union{dbs: dbs}, nil
}

func (u *Union) global(i int, id uint32) uint32 { return uint32(i)<<UnionShift | id }

func (u *Union) local(id uint32) (int, uint32) {
	return int(id >> UnionShift), id & (1<<UnionShift - 1)
}

// Params returns the databases' parameters.
func (u *Union) Params() Params { return u.dbs[0].params }

// Path names the databases, separated by commas.
func (u *Union) Path() string {
	paths := make([]string, len(u.dbs))
	for i, db := range u.dbs {
		paths[i] = db.path
	}
	return strings.Join(paths, ", ")
}

// Lookup is DB.Lookup over every database: a hash's document frequency is
// the sum of its frequencies, its postings (file IDs mapped, in file
// order) those of all databases; none when the sum passes maxDF or a
// database stopped the hash.
func (u *Union) Lookup(ctx context.Context, hashes []uint64, maxDF int, fn func(i int, hit Hit)) error {
	if len(u.dbs) == 1 {
		return u.dbs[0].Lookup(ctx, hashes, maxDF, fn)
	}
	type acc struct {
		df      int
		ps      []Posting
		stopped bool // stopped in some database
	}
	res := make([]acc, len(hashes))
	for d, db := range u.dbs {
		err := db.Lookup(ctx, hashes, 0, func(i int, h Hit) {
			r := &res[i]
			r.df += h.DF
			r.stopped = r.stopped || h.Stopped
			for _, p := range h.Postings {
				p.File = u.global(d, p.File)
				r.ps = append(r.ps, p)
			}
		})
		if err != nil {
			return err
		}
	}
	for i := range res {
		if res[i].df == 0 {
			continue
		}
		ps := res[i].ps
		if res[i].stopped || maxDF > 0 && res[i].df > maxDF {
			ps = nil
		}
		fn(i, Hit{DF: res[i].df, Postings: ps, Stopped: res[i].stopped})
	}
	return nil
}

// Files is DB.Files over the databases, by mapped file ID.
func (u *Union) Files(ctx context.Context, ids []uint32) (map[uint32]*FileInfo, error) {
	byDB := make([][]uint32, len(u.dbs))
	for _, id := range ids {
		if d, l := u.local(id); d < len(u.dbs) {
			byDB[d] = append(byDB[d], l)
		}
	}
	out := make(map[uint32]*FileInfo, len(ids))
	for d, local := range byDB {
		if len(local) == 0 {
			continue
		}
		fs, err := u.dbs[d].Files(ctx, local)
		if err != nil {
			return nil, err
		}
		for id, f := range fs {
			g := u.global(d, id)
			f.ID = g
			for i := range f.Locations {
				f.Locations[i].FileID = g
			}
			out[g] = f
		}
	}
	return out, nil
}

// FilesByNorm is DB.FilesByNorm over the databases, by mapped file ID.
func (u *Union) FilesByNorm(ctx context.Context, norms []uint64) (map[uint64][]uint32, error) {
	out := map[uint64][]uint32{}
	for d, db := range u.dbs {
		m, err := db.FilesByNorm(ctx, norms)
		if err != nil {
			return nil, err
		}
		for h, ids := range m {
			for _, id := range ids {
				out[h] = append(out[h], u.global(d, id))
			}
		}
	}
	return out, nil
}

// LicenseText returns the license text recorded under id in the first
// database that has it (IDs are content hashes, the same in every
// database).
func (u *Union) LicenseText(id string) (string, error) {
	for _, db := range u.dbs {
		text, err := db.LicenseText(id)
		if err != nil || text != "" {
			return text, err
		}
	}
	return "", nil
}

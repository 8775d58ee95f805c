package corpus

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// cache holds the small, read-mostly tables: roots, packages,
// attributions, segments and dead files. It is loaded on first use.
type cache struct {
	once  sync.Once
	err   error
	roots map[uint32]*Root
	pkgs  map[uint32]*Package
	attrs map[uint32]*Attribution
	segs  []segment
	dead  map[uint32]bool
}

func (db *DB) tables() (*cache, error) {
	db.cacheMu.Lock()
	c := db.cache
	if c == nil {
		c = &cache{}
		db.cache = c
	}
	db.cacheMu.Unlock()
	c.once.Do(func() {
		c.roots, c.pkgs, c.attrs, c.dead = map[uint32]*Root{}, map[uint32]*Package{}, map[uint32]*Attribution{}, map[uint32]bool{}
		c.err = db.view(func(tx *bolt.Tx) error {
			if err := tx.Bucket(bRoots).ForEach(func(k, v []byte) error {
				var r Root
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("root %x: %w", k, err)
				}
				c.roots[r.ID] = &r
				return nil
			}); err != nil {
				return err
			}
			if err := tx.Bucket(bPkgs).ForEach(func(k, v []byte) error {
				var p Package
				if err := json.Unmarshal(v, &p); err != nil {
					return fmt.Errorf("package %x: %w", k, err)
				}
				c.pkgs[p.ID] = &p
				return nil
			}); err != nil {
				return err
			}
			if err := tx.Bucket(bAttrs).ForEach(func(k, v []byte) error {
				var a Attribution
				if err := json.Unmarshal(v, &a); err != nil || len(k) != 4 {
					return fmt.Errorf("attribution %x: %v", k, err)
				}
				c.attrs[binary.BigEndian.Uint32(k)] = &a
				return nil
			}); err != nil {
				return err
			}
			if err := tx.Bucket(bSegs).ForEach(func(k, v []byte) error {
				var s segment
				if err := json.Unmarshal(v, &s); err != nil {
					return fmt.Errorf("segment %x: %w", k, err)
				}
				if s.State == "committed" {
					c.segs = append(c.segs, s)
				}
				return nil
			}); err != nil {
				return err
			}
			return tx.Bucket(bDead).ForEach(func(k, _ []byte) error {
				if len(k) == 4 {
					c.dead[binary.BigEndian.Uint32(k)] = true
				}
				return nil
			})
		})
		if c.err != nil {
			c.err = fmt.Errorf("corpus: %s: %w: %v", db.path, ErrNotCorpus, c.err)
		}
	})
	return c, c.err
}

// Hit is what Lookup reports for one hash.
type Hit struct {
	// DF is the number of distinct files holding the hash.
	DF int
	// Postings are the occurrences, nil when DF is above the lookup's
	// limit or the database's StopDF.
	Postings []Posting
	// Stopped: the database did not store the hash's postings (more than
	// StopDF files hold it).
	Stopped bool
}

// Lookup looks up a batch of fingerprint hashes, sorted in increasing
// order without duplicates, and calls fn for every hash the corpus holds,
// with its index in hashes. Postings of hashes held by more than maxDF
// files are not decoded (maxDF <= 0 means no limit). The Hit is valid only
// during the call. One read transaction is used per segment per batch.
func (db *DB) Lookup(ctx context.Context, hashes []uint64, maxDF int, fn func(i int, hit Hit)) error {
	if !slices.IsSorted(hashes) {
		return fmt.Errorf("corpus: Lookup: hashes not sorted")
	}
	c, err := db.tables()
	if err != nil {
		return err
	}
	hits := NewHitSet(len(hashes), maxDF, c.dead)
	for _, seg := range c.segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bFP).Bucket(u32(seg.ID))
			if b == nil {
				return fmt.Errorf("segment %d has no postings bucket", seg.ID)
			}
			return lookupSegment(b, seg.bits(), hashes, hits.Add)
		})
		if err != nil {
			return fmt.Errorf("corpus: %s: lookup in segment %d: %w", db.path, seg.ID, err)
		}
	}
	hits.Report(fn)
	return nil
}

// lookupSegment finds hashes in one segment's bucket and calls found
// with the index of each and the group reader at it.
func lookupSegment(b *bolt.Bucket, bits int, hashes []uint64, found func(i int, g *GroupReader) error) error {
	shift := uint(64 - bits)
	prefixBytes := (bits + 7) / 8
	c := b.Cursor()
	key := make([]byte, prefixBytes)
	for i := 0; i < len(hashes); {
		prefix := hashes[i] >> shift
		for k := 0; k < prefixBytes; k++ {
			key[k] = byte(prefix >> (8 * (prefixBytes - 1 - k)))
		}
		j := i
		for j < len(hashes) && hashes[j]>>shift == prefix {
			j++
		}
		k, v := c.Seek(key)
		if k == nil || !bytes.Equal(k, key) {
			i = j
			continue
		}
		// Walk the group and the wanted hashes together.
		g := NewGroupReader(prefix, shift, v)
		for i < j && g.Next() {
			for i < j && hashes[i] < g.Hash {
				i++
			}
			if i < j && hashes[i] == g.Hash {
				if err := found(i, g); err != nil {
					return err
				}
				i++
			}
		}
		if err := g.Err(); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// LocationInfo is a location with its root, package and attribution
// resolved.
type LocationInfo struct {
	Location
	Root        *Root
	Package     *Package // nil if the location is in no package
	Attribution Attribution
}

// FileInfo is a file record with all its locations.
type FileInfo struct {
	FileRecord
	Locations []LocationInfo
}

// Files returns the records and locations of the given files. Unknown IDs
// are left out of the map.
func (db *DB) Files(ctx context.Context, ids []uint32) (map[uint32]*FileInfo, error) {
	c, err := db.tables()
	if err != nil {
		return nil, err
	}
	out := make(map[uint32]*FileInfo, len(ids))
	err = db.view(func(tx *bolt.Tx) error {
		files, fileLocs, locs := tx.Bucket(bFiles), tx.Bucket(bFileLocs).Cursor(), tx.Bucket(bLocs)
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, ok := out[id]; ok {
				continue
			}
			v := files.Get(u32(id))
			if v == nil {
				continue
			}
			rec, err := decodeFile(id, v)
			if err != nil {
				return err
			}
			fi := &FileInfo{FileRecord: rec}
			prefix := u32(id)
			for k, _ := fileLocs.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = fileLocs.Next() {
				lk := k[4:]
				lv := locs.Get(lk)
				if lv == nil {
					continue
				}
				l, err := decodeLoc(lk, lv)
				if err != nil {
					return err
				}
				li := LocationInfo{Location: l, Root: c.roots[l.RootID], Package: c.pkgs[l.PkgID]}
				if a := c.attrs[l.AttrID]; a != nil {
					li.Attribution = *a
				}
				if li.Root == nil {
					li.Root = &Root{ID: l.RootID}
				}
				fi.Locations = append(fi.Locations, li)
			}
			out[id] = fi
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: files: %w", db.path, err)
	}
	return out, nil
}

// FilesByNorm returns, for each normalized whole-file hash, the live files
// that have it.
func (db *DB) FilesByNorm(ctx context.Context, norms []uint64) (map[uint64][]uint32, error) {
	c, err := db.tables()
	if err != nil {
		return nil, err
	}
	out := map[uint64][]uint32{}
	err = db.view(func(tx *bolt.Tx) error {
		cur := tx.Bucket(bNorm).Cursor()
		for _, h := range norms {
			prefix := binary.BigEndian.AppendUint64(nil, h)
			for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
				if len(k) == 12 {
					id := binary.BigEndian.Uint32(k[8:])
					if !c.dead[id] {
						out[h] = append(out[h], id)
					}
				}
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", db.path, err)
	}
	return out, nil
}

// PackageStats summarises one package in Info.
type PackageStats struct {
	Package
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

// Info describes what a corpus holds.
type Info struct {
	Path          string         `json:"path"`
	SizeBytes     int64          `json:"size_bytes"`
	Schema        int            `json:"schema"`
	Params        Params         `json:"params"`
	Roots         []Root         `json:"roots"`
	Files         int            `json:"files"`     // distinct contents
	Locations     int            `json:"locations"` // paths holding them
	DeadFiles     int            `json:"dead_files"`
	Bytes         int64          `json:"bytes"` // bytes of distinct contents
	Segments      int            `json:"segments"`
	Hashes        int            `json:"hashes"` // distinct per segment, summed
	Postings      int            `json:"postings"`
	StoppedHashes int            `json:"stopped_hashes"`
	Packages      []PackageStats `json:"packages"`
	Licenses      map[string]int `json:"licenses"` // locations per license expression
	// Unfinished is the index or merge run that began to write the
	// database and did not finish; nil when the database is complete.
	Unfinished *Run `json:"unfinished,omitempty"`
}

// Sort puts the roots in the order of their IDs and the packages in the
// order of their names, versions and IDs, as Info reports them.
func (info *Info) Sort() {
	sort.Slice(info.Roots, func(i, j int) bool { return info.Roots[i].ID < info.Roots[j].ID })
	sort.Slice(info.Packages, func(i, j int) bool {
		a, b := info.Packages[i], info.Packages[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.ID < b.ID
	})
}

// Info reports what the corpus holds. It reads every location.
func (db *DB) Info(ctx context.Context) (*Info, error) {
	c, err := db.tables()
	if err != nil {
		return nil, err
	}
	info := &Info{Path: db.path, Schema: int(db.schema), Params: db.params, Licenses: map[string]int{}}
	if info.Unfinished, err = db.Unfinished(); err != nil {
		return nil, err
	}
	if st, err := os.Stat(db.path); err == nil {
		info.SizeBytes = st.Size()
	}
	for _, r := range c.roots {
		info.Roots = append(info.Roots, *r)
	}
	for _, s := range c.segs {
		info.Segments++
		info.Hashes += s.Hashes
		info.Postings += s.Postings
		info.StoppedHashes += s.Stopped
	}
	info.DeadFiles = len(c.dead)
	pkgStats := map[uint32]*PackageStats{}
	err = db.view(func(tx *bolt.Tx) error {
		info.Files = tx.Bucket(bFiles).Stats().KeyN - len(c.dead)
		sizes := map[uint32]int64{}
		if err := tx.Bucket(bFiles).ForEach(func(k, v []byte) error {
			f, err := decodeFile(binary.BigEndian.Uint32(k), v)
			if err != nil {
				return err
			}
			if !c.dead[f.ID] {
				info.Bytes += f.Size
				sizes[f.ID] = f.Size
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bLocs).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			l, err := decodeLoc(k, v)
			if err != nil {
				return err
			}
			info.Locations++
			if a := c.attrs[l.AttrID]; a != nil && a.License != "" {
				info.Licenses[a.License]++
			} else {
				info.Licenses[""]++
			}
			if p := c.pkgs[l.PkgID]; p != nil {
				ps := pkgStats[p.ID]
				if ps == nil {
					ps = &PackageStats{Package: *p}
					pkgStats[p.ID] = ps
				}
				ps.Files++
				ps.Bytes += sizes[l.FileID]
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: info: %w", db.path, err)
	}
	for _, ps := range pkgStats {
		info.Packages = append(info.Packages, *ps)
	}
	info.Sort()
	return info, nil
}

// checkRefs verifies the cross references between buckets.
func checkRefs(tx *bolt.Tx) error {
	committed := map[uint32]bool{}
	tx.Bucket(bSegs).ForEach(func(k, v []byte) error {
		var s segment
		if json.Unmarshal(v, &s) == nil && s.State == "committed" {
			committed[s.ID] = true
			if tx.Bucket(bFP).Bucket(k) == nil {
				committed[s.ID] = false
			}
		}
		return nil
	})
	files := tx.Bucket(bFiles)
	nfiles := 0
	err := files.ForEach(func(k, v []byte) error {
		nfiles++
		f, err := decodeFile(binary.BigEndian.Uint32(k), v)
		if err != nil {
			return err
		}
		if f.Fingerprints > 0 && !committed[f.Segment] {
			return fmt.Errorf("file %d points at segment %d, which is not committed", f.ID, f.Segment)
		}
		if got := tx.Bucket(bContent).Get(f.Sum[:]); !bytes.Equal(got, k) {
			return fmt.Errorf("file %d is missing from the content index", f.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n := tx.Bucket(bContent).Stats().KeyN; n != nfiles {
		return fmt.Errorf("content index has %d entries for %d files", n, nfiles)
	}
	nlocs := 0
	err = tx.Bucket(bLocs).ForEach(func(k, v []byte) error {
		nlocs++
		l, err := decodeLoc(k, v)
		if err != nil {
			return err
		}
		if files.Get(u32(l.FileID)) == nil {
			return fmt.Errorf("location %s points at missing file %d", l.Path, l.FileID)
		}
		if tx.Bucket(bFileLocs).Get(fileLocKey(l.FileID, l.RootID, l.Path)) == nil {
			return fmt.Errorf("location %s is missing from the reverse index", l.Path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n := tx.Bucket(bFileLocs).Stats().KeyN; n != nlocs {
		return fmt.Errorf("reverse location index has %d entries for %d locations", n, nlocs)
	}
	return checkPostings(tx)
}

// checkPostings decodes every committed segment and checks that its
// groups and counts agree with its record (hashes, stopped hashes, at most
// the postings buffered), that hashes ascend within a group and files
// within a hash, that every posting names a file that exists or was
// removed (dead), and that no file has more postings than fingerprints.
func checkPostings(tx *bolt.Tx) error {
	files, dead := tx.Bucket(bFiles), tx.Bucket(bDead)
	known := map[uint32]bool{} // present or removed files, read once
	for _, b := range []*bolt.Bucket{files, dead} {
		b.ForEach(func(k, _ []byte) error {
			if len(k) == 4 {
				known[binary.BigEndian.Uint32(k)] = true
			}
			return nil
		})
	}
	perFile := map[uint32]int{}
	err := tx.Bucket(bSegs).ForEach(func(k, v []byte) error {
		var seg segment
		if json.Unmarshal(v, &seg) != nil || seg.State != "committed" {
			return nil
		}
		b := tx.Bucket(bFP).Bucket(k)
		if b == nil {
			return nil // reported by checkRefs
		}
		var counts SegmentCounts
		err := b.ForEach(func(key, group []byte) error {
			if len(key) != seg.PrefixBytes {
				return fmt.Errorf("segment %d: key %x is not a %d-byte prefix", seg.ID, key, seg.PrefixBytes)
			}
			if err := counts.AddGroup(keyPrefix(key), uint(64-seg.bits()), group); err != nil {
				return fmt.Errorf("segment %d, group %x: %w", seg.ID, key, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for file, n := range counts.Files {
			if !known[file] {
				return fmt.Errorf("segment %d: a posting names file %d, which is neither present nor removed", seg.ID, file)
			}
			perFile[file] += n
		}
		if err := counts.Check(seg.Hashes, seg.Stopped, seg.Postings); err != nil {
			return fmt.Errorf("segment %d %w", seg.ID, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for id, n := range perFile {
		v := files.Get(u32(id))
		if v == nil {
			continue // a removed file
		}
		f, err := decodeFile(id, v)
		if err != nil {
			return err
		}
		if n > f.Fingerprints {
			return fmt.Errorf("file %d has %d postings for %d fingerprints", id, n, f.Fingerprints)
		}
	}
	return nil
}

// LicenseText returns the license text recorded under id (see
// Attribution.LicenseText); "" when there is none (a database written
// before texts were kept, or an unknown ID).
func (db *DB) LicenseText(id string) (string, error) {
	var text string
	err := db.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bTexts); b != nil {
			text = string(b.Get([]byte(id)))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("corpus: license text %s: %w", id, err)
	}
	return text, nil
}

// Fetched returns the record of the package purl that an index run
// fetched from its registry and indexed to its end (see Writer.Fetched),
// or nil when there is none (never fetched, its run stopped before it was
// indexed whole, or a database written before such records were kept).
func (db *DB) Fetched(purl string) (*Fetched, error) {
	var f *Fetched
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFetched)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(purl))
		if v == nil {
			return nil
		}
		f = &Fetched{}
		return json.Unmarshal(v, f)
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: fetched package %s: %w", purl, err)
	}
	return f, nil
}

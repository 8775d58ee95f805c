package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// addPublished queues the package id's record, read in tx, to be written
// again with the publication time published when it has none (a package
// found on disk before it was fetched, or merged from a shard that
// fetched it): a time once known is never replaced.
func (w *Writer) addPublished(tx *bolt.Tx, id uint32, published time.Time) {
	if published.IsZero() {
		return
	}
	var p Package
	if v := tx.Bucket(bPkgs).Get(u32(id)); v == nil || json.Unmarshal(v, &p) != nil || !p.Published.IsZero() {
		return
	}
	p.Published = published
	w.newPkgs = append(w.newPkgs, p)
}

// dropFetched deletes, in tx, the records of fetched packages whose
// directory holds one of the locations paths below the root rootID,
// which are being removed.
func dropFetched(tx *bolt.Tx, rootID uint32, paths []string) error {
	b := tx.Bucket(bFetched)
	if b == nil {
		return nil
	}
	var root Root
	if v := tx.Bucket(bRoots).Get(u32(rootID)); v == nil || json.Unmarshal(v, &root) != nil {
		return fmt.Errorf("root %d: %w", rootID, ErrNotCorpus)
	}
	var stale [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var f Fetched
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("fetched package %s: %w", k, err)
		}
		for _, p := range paths {
			if within(filepath.Join(root.Path, filepath.FromSlash(p)), f.Root) {
				stale = append(stale, bytes.Clone(k))
				break
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// within reports whether the file path p lies in the directory dir.
func within(p, dir string) bool {
	return dir != "" && (p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator)))
}

// fetchedRecords returns the records of fetched packages src holds and
// the database lacks, to be committed once src's files are; a package
// the database records with another digest is an error (the same
// version of a package cannot have two contents).
func (m *merger) fetchedRecords() ([]pendingFetched, error) {
	var out []pendingFetched
	err := m.src.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFetched)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var f Fetched
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("fetched package %s: %w", k, ErrNotCorpus)
			}
			have, err := m.w.db.Fetched(f.PURL)
			if err != nil {
				return err
			}
			if have != nil && have.Digest != f.Digest {
				return fmt.Errorf("SECURITY: %s was fetched with digest %s, %s holds it with digest %s", f.PURL, f.Digest, m.w.db.path, have.Digest)
			}
			if have == nil {
				out = append(out, pendingFetched{rec: f})
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: merge %s: %w", m.src.path, err)
	}
	return out, nil
}

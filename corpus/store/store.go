// Package store opens a corpus by its reference: a PostgreSQL URL
// (postgres:// or postgresql://) opens the PostgreSQL store (package
// corpus/pgstore), anything else names a bbolt file (corpus.Open).
package store

import (
	"context"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/corpus/pgstore"
)

// Open opens the corpus that ref names.
func Open(ctx context.Context, ref string, opts corpus.Options) (corpus.Store, error) {
	if pgstore.IsURL(ref) {
		return pgstore.Open(ctx, ref, opts)
	}
	return corpus.Open(ref, opts)
}

// IsFile reports whether ref names a bbolt file rather than a server.
func IsFile(ref string) bool { return !pgstore.IsURL(ref) }

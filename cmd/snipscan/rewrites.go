package main

import (
	"errors"
	"fmt"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/rewrite"
)

// rewriteFinder returns the finder of rewritten Go functions over the
// scanned corpus, or nil, saying once on stderr why rewrites are not
// searched: the corpus predates the rewrite stage (schema 1), was built
// with other features, or is several databases at once. A corpus that
// holds no Go function says nothing: there is nothing to search.
func rewriteFinder(e env, db corpusIndex) match.RewriteFinder {
	d, ok := db.(corpus.Reader)
	if !ok {
		fmt.Fprintf(e.stderr, "snipscan scan: rewritten functions are not searched across several corpora at once, only copies are (snipscan merge makes them one corpus, whose rewrites are searched)\n")
		return nil
	}
	fd, err := rewrite.NewFinder(d, rewrite.FindOptions{})
	switch {
	case err == nil:
		return fd
	case d.Schema() < corpus.SchemaVersion:
		fmt.Fprintf(e.stderr, "snipscan scan: the corpus %s has schema version %d, without the index of rewritten functions: rewrites are not searched (re-create it with snipscan index to search them)\n",
			d.Path(), d.Schema())
	case !errors.Is(err, rewrite.ErrNoIndex):
		fmt.Fprintf(e.stderr, "snipscan scan: rewrites are not searched: %v\n", err)
	}
	return nil
}

package scanner

import (
	"context"
	"sync"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/match"
)

// Targets reads and fingerprints the files at paths with the corpus
// parameters params, as a scan does with opts, and returns their targets
// without matching them: for tools that time or send a scan's requests.
func Targets(ctx context.Context, params corpus.Params, paths []string, opts Options) ([]match.Target, error) {
	c := &capture{params: params}
	if _, err := ScanCorpus(ctx, c, paths, opts); err != nil {
		return nil, err
	}
	return c.targets, nil
}

// capture is a Corpus that keeps the targets it is given and finds
// nothing in them.
type capture struct {
	params  corpus.Params
	mu      sync.Mutex
	targets []match.Target
}

func (c *capture) Params() corpus.Params { return c.params }

func (c *capture) Match(ctx context.Context, targets []match.Target, opts match.Options) ([]match.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.targets = append(c.targets, targets...)
	return make([]match.Result, len(targets)), nil
}

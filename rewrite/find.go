package rewrite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/snipscan/snipscan/corpus"
)

// Index is what a Finder reads of a corpus (corpus.DB satisfies it).
type Index interface {
	RewriteInfo() (*corpus.RewriteInfo, error)
	RewriteLookup(ctx context.Context, feats []uint32, fn func(i, df int, units []uint32)) error
	RewriteUnits(ctx context.Context, ids []uint32, fn func(u corpus.RewriteUnit)) error
}

// ErrNoIndex: the corpus has no rewrite index (a database of schema 1, or
// one that indexed no Go function).
var ErrNoIndex = errors.New("the corpus has no rewrite index")

// FindOptions configure a Finder; zero fields mean the defaults, and a
// negative AnchorsMinSim, MinRare or HighSim turns that rule off.
type FindOptions struct {
	// Candidates is the number of candidates verified per unit, the
	// units that share the most rare-feature weight with it.
	Candidates int
	// MinSim and MinAnchors are the smallest similarity reported on the
	// structural and the anchor channel.
	MinSim, MinAnchors float64
	// Ratio is how many times its score the best candidate must have over
	// the best other candidate that is not a near-copy of it.
	Ratio float64
	// AnchorsMinSim is the smallest structural similarity of a match
	// reported on the anchor channel: a candidate that shares APIs and
	// literals but no structure at all is a look-alike.
	AnchorsMinSim float64
	// HighSim is the score on a channel at and above which HighRatio
	// replaces Ratio: a candidate that shares most of a unit's weight
	// needs to stand out less from its look-alikes.
	HighSim, HighRatio float64
	// MinRare is the smallest number of rare features (held by at most
	// RewriteInfo.RareMax units) a match must share: idioms (locking
	// around a field read, error classification, map-to-slice loops)
	// share only common ones.
	MinRare int
}

// Defaults of FindOptions, picked with cmd/rweval (corpus GOROOT/src) on
// its tuning half: the best recall of rewrites with at most 3 false flags
// per 1,000 unrelated functions and no independent reimplementation
// flagged (90.3% of 155 rewrites, 1.45 false flags per 1,000 of 29,597
// functions). On the held-out half they found 87.5% of 144 rewrites (one
// attributed to another function) and flagged 1.92 per 1,000 of 55,266
// functions of other modules (2.42 counting the flags read as genuine
// copies); EVALUATION.md has the curve. The round
// before, without the rare-feature rules, ratio 2.5 with minima 0.30 and
// 0.50 flagged about 6 per 1,000.
const (
	DefaultCandidates    = 100
	DefaultMinSim        = 0.30
	DefaultMinAnchors    = 0.60
	DefaultRatio         = 3
	DefaultAnchorsMinSim = 0.10
	DefaultMinRare       = 4
	DefaultHighSim       = 0.40
	DefaultHighRatio     = 2.5
)

// nearCopy is the feature overlap above which two candidates count as
// copies of one function (forks, vendored copies, a function and itself
// with its helpers) rather than look-alikes.
const nearCopy = 0.6

// Match is a corpus unit that a scanned unit was rewritten from.
type Match struct {
	Unit   Unit               // the scanned unit
	Source corpus.RewriteUnit // the corpus unit (features not kept)
	// Similarity is the weighted Jaccard similarity over all features,
	// Anchors over the anchors alone.
	Similarity, Anchors float64
	// Second is the score, on the channel that reported, of the best
	// other candidate that is not a near-copy of the source.
	Second float64
	// Channel is the channel that reported: "structure" or "anchors".
	Channel string
	// Confidence is 1 - Second/score on that channel: how far the source
	// stands out from its look-alikes.
	Confidence float64
	// Shared are the anchor features the two units share (most
	// weight first); Match.Evidence names them when the scanned unit
	// was extracted with Options.Evidence.
	Shared []uint32
	// Rare is the number of rare features the two units share.
	Rare int
}

// Finder finds the corpus units that scanned units were rewritten from.
type Finder struct {
	ix   Index
	info corpus.RewriteInfo
	opts FindOptions
}

// NewFinder returns a Finder over ix, or ErrNoIndex.
func NewFinder(ix Index, opts FindOptions) (*Finder, error) {
	info, err := ix.RewriteInfo()
	if err != nil {
		return nil, err
	}
	if info == nil || info.Units == 0 {
		return nil, ErrNoIndex
	}
	if info.FeatureVersion != FeatureVersion {
		return nil, fmt.Errorf("rewrite: the corpus holds features of version %d, this snipscan extracts version %d: re-create it with snipscan index", info.FeatureVersion, FeatureVersion)
	}
	return &Finder{ix: ix, info: *info, opts: opts.withDefaults()}, nil
}

// withDefaults returns o with its zero fields set to the defaults.
func (o FindOptions) withDefaults() FindOptions {
	if o.Candidates <= 0 {
		o.Candidates = DefaultCandidates
	}
	if o.MinSim <= 0 {
		o.MinSim = DefaultMinSim
	}
	if o.MinAnchors <= 0 {
		o.MinAnchors = DefaultMinAnchors
	}
	if o.Ratio <= 0 {
		o.Ratio = DefaultRatio
	}
	if o.AnchorsMinSim == 0 {
		o.AnchorsMinSim = DefaultAnchorsMinSim
	}
	if o.MinRare == 0 {
		o.MinRare = DefaultMinRare
	}
	if o.HighSim == 0 {
		o.HighSim, o.HighRatio = DefaultHighSim, DefaultHighRatio
	}
	if o.HighRatio <= 0 {
		o.HighRatio = DefaultHighRatio
	}
	return o
}

// Info returns the corpus's rewrite index description.
func (f *Finder) Info() corpus.RewriteInfo { return f.info }

// looked is what the corpus holds of one feature.
type looked struct {
	df    int
	units []uint32 // the units that hold it
	// set has bit id set for each unit of units, when units is long and
	// dense enough for the set to take at most twice its memory: the
	// posting of a common feature is asked for every candidate of every
	// unit that holds the feature.
	set []uint64
}

// setMin is the shortest posting given a set.
const setMin = 256

// newLooked returns what the corpus holds of a feature of document
// frequency df, held by units (sorted).
func newLooked(df int, units []uint32) looked {
	l := looked{df: df, units: units}
	if n := len(units); n >= setMin && int(units[n-1]/64) < n {
		l.set = make([]uint64, units[n-1]/64+1)
		for _, id := range units {
			l.set[id/64] |= 1 << (id % 64)
		}
	}
	return l
}

// Find returns the matches of units (of one file, or a few), at most one
// per scanned function (the best of its units), in the order of units.
func (f *Finder) Find(ctx context.Context, units []Unit) ([]Match, error) {
	vs, err := f.verdicts(ctx, units, f.opts.MinRare)
	if err != nil {
		return nil, err
	}
	return f.opts.Matches(vs), nil
}

// FindFiles returns the matches of the units of each of several files,
// as Find returns those of one, looking the features of all of them up
// at once: the postings of the features the files share are read once.
func (f *Finder) FindFiles(ctx context.Context, files [][]Unit) ([][]Match, error) {
	var all []Unit
	for _, us := range files {
		all = append(all, us...)
	}
	vs, err := f.verdicts(ctx, all, f.opts.MinRare)
	if err != nil {
		return nil, err
	}
	out := make([][]Match, len(files))
	for i, us := range files {
		out[i], vs = f.opts.Matches(vs[:len(us)]), vs[len(us):]
	}
	return out, nil
}

// Matches applies the thresholds of o to verdicts and keeps the best
// match of each scanned function, in the order of the verdicts.
func (o FindOptions) Matches(vs []Verdict) []Match {
	var out []Match
	for _, v := range vs {
		if m, ok := o.Accept(v); ok {
			out = append(out, m)
		}
	}
	return bestPerFunc(out)
}

// Verdicts scores the candidates of each unit and returns, per unit, the
// best candidate on each channel with the best other candidate that is
// not a near-copy of it, before any threshold: [FindOptions.Accept]
// decides. An evaluation sweeps thresholds over verdicts computed once.
func (f *Finder) Verdicts(ctx context.Context, units []Unit) ([]Verdict, error) {
	return f.verdicts(ctx, units, 0)
}

// verdicts returns the verdicts of units, as Verdicts does, except that a
// unit none of whose candidates shares minRare rare features with it is
// not verified (its verdict has no candidate): [FindOptions.Accept]
// refuses a best candidate that shares fewer, on either channel, so
// with the options' MinRare the matches are the same, for less work.
func (f *Finder) verdicts(ctx context.Context, units []Unit, minRare int) ([]Verdict, error) {
	if len(units) == 0 {
		return nil, nil
	}
	feats := Union(bagsOf(units)...)
	found := make([]looked, len(feats))
	err := f.ix.RewriteLookup(ctx, feats, func(i, df int, us []uint32) {
		found[i] = newLooked(df, slices.Clone(us))
	})
	if err != nil {
		return nil, fmt.Errorf("rewrite: look up features: %w", err)
	}
	cands := make([][]uint32, len(units))
	eachUnit(len(units), func(i int) {
		cands[i] = f.candidates(units[i].Bag, feats, found, minRare)
	})
	var all []uint32
	for _, c := range cands {
		all = append(all, c...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	loaded := map[uint32]*corpus.RewriteUnit{}
	err = f.ix.RewriteUnits(ctx, all, func(u corpus.RewriteUnit) { loaded[u.ID] = &u })
	if err != nil {
		return nil, fmt.Errorf("rewrite: load candidates: %w", err)
	}
	out := make([]Verdict, len(units))
	eachUnit(len(units), func(i int) {
		u := units[i]
		out[i] = f.verify(u, f.weights(u.Bag, feats, found), cands[i], loaded, feats, found)
	})
	return out, nil
}

// eachUnit calls fn for 0..n-1 on every core: the scoring of one unit
// only reads what the units share (the postings and candidates looked
// up), so units are scored independently, in any order.
func eachUnit(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

func bagsOf(units []Unit) []Bag {
	bags := make([]Bag, len(units))
	for i, u := range units {
		bags[i] = u.Bag
	}
	return bags
}

// weights returns the IDF of each feature of bag; feats is the sorted
// union of features looked up and found what the corpus holds of each.
func (f *Finder) weights(bag Bag, feats []uint32, found []looked) Weights {
	w := make(Weights, len(bag))
	for i, ft := range bag {
		j, _ := slices.BinarySearch(feats, ft)
		w[i] = IDF(found[j].df, f.info.Units)
	}
	return w
}

// candidates returns the units sharing the most rare-feature weight with
// bag, at most Options.Candidates; none when no unit shares minRare rare
// features with it.
func (f *Finder) candidates(bag Bag, feats []uint32, found []looked, minRare int) []uint32 {
	type shared struct {
		score float64 // the weight of the rare features it shares
		n     int     // their number
	}
	score := map[uint32]shared{}
	for _, ft := range bag {
		j, _ := slices.BinarySearch(feats, ft)
		l := found[j]
		if l.df == 0 || l.df > f.info.RareMax {
			continue
		}
		w := IDF(l.df, f.info.Units)
		for _, id := range l.units {
			s := score[id]
			score[id] = shared{s.score + w, s.n + 1}
		}
	}
	type idScore struct {
		id    uint32
		score float64
	}
	ranked := make([]idScore, 0, len(score))
	mostRare := 0
	for _, sc := range score {
		mostRare = max(mostRare, sc.n)
	}
	if mostRare < minRare {
		return nil
	}
	for id, sc := range score {
		ranked = append(ranked, idScore{id, sc.score})
	}
	slices.SortFunc(ranked, func(a, b idScore) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ids := make([]uint32, min(len(ranked), f.opts.Candidates))
	for i := range ids {
		ids[i] = ranked[i].id
	}
	return ids
}

// scored is a candidate with its scores on both channels.
type scored struct {
	u                  *corpus.RewriteUnit
	shared, sharedAnch float64 // the weights of the features it shares with the unit, of all and of anchors
	sim, anch          float64
	heldAnch           []int // indexes into the scanned bag of the anchor features it holds
	rare               []int // those of the features it holds that are rare
}

// Verdict is what verification found for one scanned unit, before any
// threshold.
type Verdict struct {
	Unit Unit
	// Structure and Anchors are the best candidates on the structural
	// and on the anchor channel (Source nil when the unit had none).
	Structure, Anchors Best
}

// Best is the best candidate of a unit on one channel.
type Best struct {
	Source *corpus.RewriteUnit
	// Similarity and Anchors are the candidate's scores on both channels.
	Similarity, Anchors float64
	// Score is its score on this channel, Second the score of the best
	// other candidate that is not a near-copy of it.
	Score, Second float64
	// Shared are the anchor features it shares with the unit, most
	// weight (the rarest) first.
	Shared []uint32
	// Rare is the number of rare features it shares with the unit.
	Rare int
}

// verify scores the candidates of unit u (the weights of whose features
// are w) and finds the best one on each channel. The features a
// candidate shares with u are read from the postings of u's features.
func (f *Finder) verify(u Unit, w Weights, ids []uint32, loaded map[uint32]*corpus.RewriteUnit, feats []uint32, found []looked) Verdict {
	v := Verdict{Unit: u}
	totAll, totAnch := Totals(u.Bag, w)
	cs := make([]*scored, 0, len(ids)) // in the order of ids (their rank)
	for _, id := range ids {
		if c := loaded[id]; c != nil {
			cs = append(cs, &scored{u: c})
		}
	}
	if len(cs) == 0 {
		return v
	}
	byID := slices.SortedFunc(slices.Values(cs), func(a, b *scored) int { return cmp.Compare(a.u.ID, b.u.ID) })
	cids := make([]uint32, len(byID))
	for i, c := range byID {
		cids[i] = c.u.ID
	}
	var in []*scored // the candidates that hold the feature
	for i, ft := range u.Bag {
		j, _ := slices.BinarySearch(feats, ft)
		anchor := FamilyOf(ft).Anchor()
		in = holders(in[:0], found[j], cids, byID)
		for _, c := range in {
			c.shared += w[i]
			if anchor {
				c.sharedAnch += w[i]
				c.heldAnch = append(c.heldAnch, i)
			}
			if found[j].df <= f.info.RareMax {
				c.rare = append(c.rare, i)
			}
		}
	}
	for _, c := range cs {
		c.sim = Jaccard(c.shared, totAll, c.u.Total)
		c.anch = Jaccard(c.sharedAnch, totAnch, c.u.Anchors)
	}
	v.Structure = bestOf(cs, u.Bag, w, func(c *scored) float64 { return c.sim })
	v.Anchors = bestOf(cs, u.Bag, w, func(c *scored) float64 { return c.anch })
	return v
}

// holders appends to dst the candidates cs (sorted by ID; ids are
// their IDs) that a feature's sorted posting holds: by testing each in
// the posting's set when it has one, by merging the two lists when the
// posting is short, else by searching the posting for each candidate
// (the posting of a common feature holds thousands of units).
func holders(dst []*scored, l looked, ids []uint32, cs []*scored) []*scored {
	posting := l.units
	if l.set != nil {
		for j, id := range ids {
			if k := int(id / 64); k < len(l.set) && l.set[k]&(1<<(id%64)) != 0 {
				dst = append(dst, cs[j])
			}
		}
		return dst
	}
	if len(posting) <= 4*len(ids) {
		for i, j := 0, 0; i < len(posting) && j < len(ids); {
			switch {
			case posting[i] < ids[j]:
				i++
			case posting[i] > ids[j]:
				j++
			default:
				dst = append(dst, cs[j])
				i, j = i+1, j+1
			}
		}
		return dst
	}
	lo := 0 // ids are sorted: each is searched after the last one's place
	for j, id := range ids {
		k, ok := slices.BinarySearch(posting[lo:], id)
		lo += k
		if ok {
			dst = append(dst, cs[j])
		}
	}
	return dst
}

// bestOf returns the best of candidates cs by score, with the best score
// of the others that are not near-copies of it.
func bestOf(cs []*scored, bag Bag, w Weights, score func(*scored) float64) Best {
	b := slices.MaxFunc(cs, func(x, y *scored) int { return cmp.Compare(score(x), score(y)) })
	s2 := 0.0
	for _, c := range cs {
		if c != b && score(c) > s2 && !nearCopies(b, c) {
			s2 = score(c)
		}
	}
	return Best{Source: b.u, Similarity: b.sim, Anchors: b.anch, Score: score(b), Second: s2,
		Shared: sharedAnchors(bag, w, b.heldAnch), Rare: len(b.rare)}
}

// Accept applies the thresholds of o (zero fields: the defaults) to a
// verdict: the structural channel first, then the anchor channel.
func (o FindOptions) Accept(v Verdict) (Match, bool) {
	o = o.withDefaults()
	try := func(b Best, least float64, channel string) (Match, bool) {
		ratio := o.Ratio
		if o.HighSim > 0 && b.Score >= o.HighSim {
			ratio = min(ratio, o.HighRatio)
		}
		if b.Source == nil || b.Score < least || b.Score < ratio*b.Second || b.Rare < o.MinRare ||
			channel == "anchors" && b.Similarity < o.AnchorsMinSim {
			return Match{}, false
		}
		return Match{Unit: v.Unit, Source: *b.Source, Similarity: b.Similarity, Anchors: b.Anchors,
			Second: b.Second, Channel: channel, Confidence: 1 - b.Second/b.Score, Shared: b.Shared, Rare: b.Rare}, true
	}
	if m, ok := try(v.Structure, o.MinSim, "structure"); ok {
		return m, true
	}
	return try(v.Anchors, o.MinAnchors, "anchors")
}

// nearCopies reports whether two candidates look like copies of one
// function (forks, vendored copies, a function and itself with its
// helpers) rather than look-alikes: they share most of the rare features
// they share with the scanned unit. Common features do not count: two
// look-alikes share the idiom's common features with the unit, so by
// them every look-alike would pass for a copy and the ratio test would
// compare the best candidate with nothing.
func nearCopies(a, b *scored) bool {
	return len(a.rare) > 0 && len(b.rare) > 0 && overlap(a.rare, b.rare) >= nearCopy
}

// overlap returns the share of the smaller of two sorted index sets that
// the other holds.
func overlap(a, b []int) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return float64(n) / float64(min(len(a), len(b)))
}

// maxShared bounds the evidence kept per match.
const maxShared = 12

// sharedAnchors returns the anchor features of bag a (weighted by w) at
// the indexes held, most weight first.
func sharedAnchors(a Bag, w Weights, held []int) []uint32 {
	type fw struct {
		f uint32
		w float64
	}
	var out []fw
	for _, i := range held {
		if FamilyOf(a[i]).Anchor() {
			out = append(out, fw{a[i], w[i]})
		}
	}
	slices.SortFunc(out, func(x, y fw) int {
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		return cmp.Compare(x.f, y.f)
	})
	fs := make([]uint32, 0, min(len(out), maxShared))
	for _, x := range out[:min(len(out), maxShared)] {
		fs = append(fs, x.f)
	}
	return fs
}

// bestPerFunc keeps the best match of each scanned function (a function
// alone and with its helpers are two units).
func bestPerFunc(ms []Match) []Match {
	var out []Match
	idx := map[int]int{}
	for _, m := range ms {
		k := m.Unit.FuncLine
		if i, ok := idx[k]; ok {
			if m.Similarity > out[i].Similarity {
				out[i] = m
			}
			continue
		}
		idx[k] = len(out)
		out = append(out, m)
	}
	return out
}

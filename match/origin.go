package match

// Choose origin: regions of several corpus files (and several regions of
// one file) that cover the same target lines are one finding. Input: a
// target's confirmed regions; output: groups, each with the region that
// becomes the finding (the pieces of its file merged), its file's
// locations (the preferred one is the origin) and the other files as
// alternates. The best-covering file wins; among near-twins (platform
// variants of one file, two similar functions of one file) the source's
// text decides; a file nearly as good that holds the original of the
// winner's code replaces it (see preferOriginal); among equals, the
// preferred location (see prefer).

import (
	"cmp"
	"slices"
	"sort"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/lcs"
)

// mergeRegions merges regions of one corpus file into the best of them
// (mostCovered; see bestRegion for the finding's): those whose source
// lines lie within gap lines of it. Regions elsewhere in the file (a
// similar function) are left out.
func mergeRegions(rs []*region, k, gap int32) *region {
	return mergeInto(rs, mostCovered(rs), k, gap)
}

// mostCovered returns the region of rs of most verbatim and total
// coverage (the first of equals).
func mostCovered(rs []*region) *region {
	best := rs[0]
	for _, x := range rs[1:] {
		if x.covered+x.exactCovered > best.covered+best.exactCovered {
			best = x
		}
	}
	return best
}

// mergeInto is mergeRegions around the region best of rs.
func mergeInto(rs []*region, best *region, k, gap int32) *region {
	if len(rs) == 1 {
		return best
	}
	m := *best
	m.hits = slices.Clone(best.hits)
	merged := false
	for _, x := range rs {
		if x == best || x.smax < m.smin-gap || x.smin > m.smax+gap {
			continue
		}
		// A piece of the copy covers target lines the others do not; a
		// region within the same target lines maps them to a twin of the
		// source nearby (two similar functions), not to more of it.
		if ov := min(x.tmax, m.tmax) - max(x.tmin, m.tmin) + 1; 2*ov > x.tmax-x.tmin+1 {
			continue
		}
		merged = true
		m.tmin, m.tmax = min(m.tmin, x.tmin), max(m.tmax, x.tmax)
		m.smin, m.smax = min(m.smin, x.smin), max(m.smax, x.smax)
		m.first, m.last = min(m.first, x.first), max(m.last, x.last)
		m.weighted += x.weighted
		m.hits = append(m.hits, x.hits...)
	}
	if !merged {
		return best
	}
	slices.SortStableFunc(m.hits, func(a, b hit) int { return cmp.Compare(a.tpos, b.tpos) })
	m.covered, m.exactCovered = m.coverage(m.first, m.last, k)
	return &m
}

// overlaps reports whether two regions cover mostly the same target
// lines: their overlap is at least half of the shorter one.
func overlaps(a, b *region) bool {
	lo, hi := max(a.tmin, b.tmin), min(a.tmax, b.tmax)
	if hi < lo {
		return false
	}
	shorter := min(a.tmax-a.tmin, b.tmax-b.tmin) + 1
	return 2*(hi-lo+1) >= shorter
}

// bestRegionOf returns the region of regs of corpus file file that covers
// the most target tokens, or nil.
func bestRegionOf(regs []*region, file uint32) *region {
	var best *region
	for _, r := range regs {
		if r.file == file && (best == nil || r.covered > best.covered) {
			best = r
		}
	}
	return best
}

// firstN returns a copy of the first n elements of s at most.
func firstN(s []Source, n int) []Source {
	if len(s) > n {
		s = s[:n]
	}
	return slices.Clone(s)
}

// sourcesOf returns one Source per location of the given files, the
// preferred first (see prefer).
func sourcesOf(ids []uint32, files map[uint32]*corpus.FileInfo) []Source {
	var out []Source
	for _, id := range ids {
		f := files[id]
		if f == nil {
			continue
		}
		for _, l := range f.Locations {
			out = append(out, sourceOf(f, l))
		}
		if len(f.Locations) == 0 {
			out = append(out, Source{FileID: id, FileLines: f.Lines, Size: f.Size, Sum: f.Sum})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return prefer(out[i], out[j]) })
	return out
}

// sourceOf returns the Source of corpus file f at location l.
func sourceOf(f *corpus.FileInfo, l corpus.LocationInfo) Source {
	s := Source{FileID: f.ID, Path: l.Path, FileLines: f.Lines, License: l.Attribution.License,
		LicenseSource: l.Attribution.Source, LicenseFile: l.Attribution.LicenseRef, LicenseText: l.Attribution.LicenseText,
		Copyrights: l.Attribution.Copyrights, Holders: l.Attribution.Holders,
		Vendored: l.Flags&corpus.FlagVendored != 0, Test: corpus.IsTest(l.Path, l.Flags), Size: f.Size, Sum: f.Sum}
	if l.Root != nil {
		s.Root = l.Root.Path
	}
	if p := l.Package; p != nil {
		s.Package, s.Version, s.PURL, s.Ecosystem = p.Name, p.Version, p.PURL, p.Ecosystem
		s.Published = p.Published
		if p.Vendored {
			s.Vendored = true
		}
	}
	return s
}

// prefer orders candidate origins: upstream first (see upstream), then
// in a package with a version, then with a known license, then library
// code before tests, then by root and path.
func prefer(a, b Source) bool {
	if c := upstream(a, b); c != 0 {
		return c < 0
	}
	if (a.Version != "") != (b.Version != "") {
		return a.Version != ""
	}
	if (a.License != "") != (b.License != "") {
		return a.License != ""
	}
	// Code is copied from a library more often than from its tests.
	if a.Test != b.Test {
		return !a.Test
	}
	// The rest by name, not by file ID: IDs follow the order in which
	// parallel indexing finished, and reports must not depend on it.
	if a.Root != b.Root {
		return a.Root < b.Root
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.FileID < b.FileID
}

// upstream compares two places holding the same code by which is more
// likely its original: negative when a is, positive when b is, 0 when
// nothing tells. In order:
//
//   - outside vendor trees before inside: a vendored copy is a copy;
//   - the Go distribution (std and cmd) before any other package: Go
//     takes code from modules only into its vendor trees, and a Go
//     release's time dates the release, not its code, which earlier
//     releases published years before (go1.26.8's August 2026 would make
//     github.com/BurntSushi/toml v1.6.0, of December 2025, the origin of
//     its copy of encoding/json's typeFields);
//   - the earlier published, when both times are known (corpus.Package's
//     Published: a registry's or a module cache's time).
func upstream(a, b Source) int {
	if a.Vendored != b.Vendored {
		if a.Vendored {
			return 1
		}
		return -1
	}
	if da, db := goDistribution(a), goDistribution(b); da != db {
		if da {
			return -1
		}
		return 1
	}
	if a.Published.IsZero() || b.Published.IsZero() {
		return 0
	}
	return a.Published.Compare(b.Published)
}

// originalShare is the share of the best file's score another file's
// regions need for that file to be the origin in its place, when it holds
// the original of the best file's code (see isOriginal): the same code,
// give or take what the copy changed.
const originalShare = 0.9

// preferOriginal moves to the front of ids (the group's files, the origin
// first) the file that holds the original of the origin's code, among
// those within originalShare of the best score: a third-party copy of
// GOROOT code, or a vendored copy of a package the corpus holds, matches
// a copy of it as well as the original does, or better, when the copy is
// what was copied, but the finding names the original and lists the copy
// as an alternate. Of several originals, the first in upstream order.
func preferOriginal(ids []uint32, score func(uint32) int, files map[uint32]*corpus.FileInfo) []uint32 {
	if len(ids) < 2 {
		return ids
	}
	top := 0
	for _, id := range ids {
		top = max(top, score(id))
	}
	lead, ok := preferredSource(ids[0], files)
	if !ok {
		return ids
	}
	best, bestSrc := 0, lead
	for i, id := range ids[1:] {
		if float64(score(id)) < originalShare*float64(top) {
			continue
		}
		s, ok := preferredSource(id, files)
		if ok && isOriginal(s, lead) && (best == 0 || upstream(s, bestSrc) < 0) {
			best, bestSrc = i+1, s
		}
	}
	if best == 0 {
		return ids
	}
	out := append([]uint32{ids[best]}, ids[:best]...)
	return append(out, ids[best+1:]...)
}

// rankedAbove reports whether file a came before file b in ranked, the
// group's files in the order of how well they match the target, before
// preferOriginal put an original first: a copy the original was
// preferred to.
func rankedAbove(ranked []uint32, a, b uint32) bool {
	ia, ib := slices.Index(ranked, a), slices.Index(ranked, b)
	return ia >= 0 && ib >= 0 && ia < ib
}

// preferredSource returns the preferred location of corpus file id.
func preferredSource(id uint32, files map[uint32]*corpus.FileInfo) (Source, bool) {
	ss := sourcesOf([]uint32{id}, files)
	if len(ss) == 0 {
		return Source{}, false
	}
	return ss[0], true
}

// isOriginal reports whether the place orig holds the original of the
// code that the place cp holds too: cp is a vendored copy of orig's
// package (another version of it); or neither is vendored and orig is
// upstream of cp (see upstream: the Go distribution, then the earlier
// published). A vendored copy of one package is not taken for a copy of
// another (x/sys's zerrors files, vendored in GOROOT, are not copies of
// package syscall's).
func isOriginal(orig, cp Source) bool {
	if cp.Vendored {
		return !orig.Vendored && orig.Package != "" && orig.Package == cp.Package && orig.Ecosystem == cp.Ecosystem
	}
	return !orig.Vendored && upstream(orig, cp) < 0
}

// goDistribution reports whether s is in the Go distribution's own
// modules, std or cmd (package "stdlib" or "cmd" of the Go ecosystem, as
// pkgmeta names them).
func goDistribution(s Source) bool {
	return s.Ecosystem == "golang" && (s.Package == "stdlib" || s.Package == "cmd")
}

// betterFile orders two corpus files holding equally good regions.
func betterFile(a, b *corpus.FileInfo) bool {
	if a == nil || b == nil {
		return a != nil
	}
	sa, sb := sourcesOf([]uint32{a.ID}, map[uint32]*corpus.FileInfo{a.ID: a}), sourcesOf([]uint32{b.ID}, map[uint32]*corpus.FileInfo{b.ID: b})
	if len(sa) == 0 || len(sb) == 0 {
		return len(sa) > 0
	}
	return prefer(sa[0], sb[0])
}

// Near-twins: platform variants of one file (stat_linux.go, stat_darwin.go)
// hold the same function with a few lines changed, and a renamed copy of
// one scores about the same against each. When the source's texts can be
// read, the candidate files within twinShare of the best score are
// compared token by token with the target range, and the one sharing the
// most tokens of identical text (the lines where the twins differ) becomes
// the origin.
const (
	twinShare  = 0.9
	twinMax    = 4    // candidates compared
	twinTokens = 1500 // widest target range compared
	// A source window compared holds at most twinWindow times the target
	// range's tokens plus twinSlack: room for regions stretched over code
	// of the same shape around the copy (5,800 tokens for a range of 200
	// in generated field arithmetic, where the comparison still picks the
	// twin of most verbatim text), not for a whole generated file, whose
	// alignment would take time with the square of its width.
	twinWindow = 4
	twinSlack  = 6000
)

// preferTextual reorders ids (sorted by score, best first) so that among
// the near-twins of the best the one whose text agrees most with the
// target comes first.
func preferTextual(t *Target, ids []uint32, score func(uint32) int, byFile map[uint32][]*region, files map[uint32]*corpus.FileInfo, opts Options) []uint32 {
	if len(ids) < 2 || opts.sources == nil || len(t.Lexed) == 0 {
		return ids
	}
	top := score(ids[0])
	n := 1
	for n < len(ids) && n < twinMax && float64(score(ids[n])) >= twinShare*float64(top) {
		n++
	}
	if n < 2 {
		return ids
	}
	// The same target tokens for every candidate: the whole lines all
	// their regions cover. The first fingerprint of a copy may start
	// past its first line's names (the function's and its types', where
	// same-shaped siblings differ), and the lines have them.
	tmin, tmax := byFile[ids[0]][0].tmin, byFile[ids[0]][0].tmax
	first, last := byFile[ids[0]][0].first, byFile[ids[0]][0].last
	for i := range n {
		for _, r := range byFile[ids[i]] {
			tmin, tmax = min(tmin, r.tmin), max(tmax, r.tmax)
			first, last = min(first, r.first), max(last, r.last)
		}
	}
	first, last = lineTokens(t.Lexed, tmin, tmax, first, last, int32(opts.k))
	best, bestAgree := 0, -1
	for i := range n {
		regs := byFile[ids[i]]
		smin, smax := regs[0].smin, regs[0].smax
		for _, r := range regs[1:] {
			smin, smax = min(smin, r.smin), max(smax, r.smax)
		}
		agree := textAgreement(t, first, last, smin, smax, opts.sources.get(files[ids[i]]), opts)
		if agree < 0 {
			return ids // a text missing: no fair comparison
		}
		if agree > bestAgree {
			best, bestAgree = i, agree
		}
	}
	if best == 0 {
		return ids
	}
	out := append([]uint32{ids[best]}, ids[:best]...)
	return append(out, ids[best+1:]...)
}

// lineTokens widens the token range [first, last) (last the start of the
// last k-gram) to the tokens of the target lines tmin..tmax.
func lineTokens(ts []fingerprint.Token, tmin, tmax, first, last, k int32) (int32, int32) {
	lo := int32(firstToken(ts, tmin))
	hi := int32(firstToken(ts, tmax+1)) // past the tokens of line tmax
	return min(first, lo), max(last, hi-k)
}

// textAgreement counts the target tokens of [first, last) (and the last
// k-gram's) that align with identical text with the source's tokens of
// lines smin..smax; -1 when the source's text is missing or either range
// is too wide to compare (see twinTokens, twinWindow).
func textAgreement(t *Target, first, last, smin, smax int32, src []fingerprint.Token, opts Options) int {
	agree, _, _ := textDice(t, first, last, smin, smax, src, opts)
	return agree
}

// textDice is textAgreement that also returns the number of target and
// source tokens compared.
func textDice(t *Target, first, last, smin, smax int32, src []fingerprint.Token, opts Options) (agree, na, nb int) {
	last = min(last+int32(opts.k), int32(len(t.Lexed))) // the last k-gram's tokens
	if len(src) == 0 || last-first > twinTokens {
		return -1, 0, 0
	}
	// The source's tokens within lines smin..smax: a run of src (tokens
	// follow one another, their lines with them).
	ta := t.Lexed[first:last]
	wide := twinWindow*len(ta) + twinSlack
	i := firstToken(src, smin)
	j := i
	for j < len(src) && src[j].EndLine <= smax {
		if j-i == wide {
			return -1, 0, 0
		}
		j++
	}
	sb := src[i:j]
	for _, p := range lcs.Align(syms(ta), syms(sb), 2*len(ta)+len(sb)) {
		if ta[p[0]].Exact == sb[p[1]].Exact {
			agree++
		}
	}
	return agree, len(ta), len(sb)
}

// sameFileShare is the share of the best region's coverage a region of
// the same file needs for bestRegion to compare their texts.
const sameFileShare = 0.9

// elsewhere reports whether regions a and b map to different places of
// their file: their source lines overlap by at most half of the shorter
// span (two similar functions, not pieces of one; regions of adjacent
// siblings, such as math/big's nat.or and nat.xor, each stretch over a
// part of the other).
func elsewhere(a, b *region) bool {
	ov := min(a.smax, b.smax) - max(a.smin, b.smin) + 1
	return 2*ov <= min(a.smax-a.smin, b.smax-b.smin)+1
}

// bestRegion returns the region of rs (one corpus file's) that becomes
// the finding: the one of most verbatim and total coverage, unless the
// source's text says otherwise: among the regions within sameFileShare of it
// that cover mostly the same target lines (the copy of one of two similar
// functions of the file, matched to both), the one whose text agrees most
// with the target's.
func bestRegion(t *Target, rs []*region, files map[uint32]*corpus.FileInfo, opts Options) *region {
	best := mostCovered(rs)
	if len(rs) < 2 || opts.sources == nil || len(t.Lexed) == 0 {
		return best
	}
	top := float64(best.covered + best.exactCovered)
	var cands []*region
	for _, x := range rs {
		if x == best || float64(x.covered+x.exactCovered) >= sameFileShare*top && overlaps(x, best) && elsewhere(x, best) {
			cands = append(cands, x)
		}
	}
	if len(cands) < 2 {
		return best
	}
	// The same target tokens, all the candidates cover, against each
	// candidate's source lines widened to as many lines.
	first, last, tmin, tmax := best.first, best.last, best.tmin, best.tmax
	for _, x := range cands {
		first, last, tmin, tmax = min(first, x.first), max(last, x.last), min(tmin, x.tmin), max(tmax, x.tmax)
	}
	first, last = lineTokens(t.Lexed, tmin, tmax, first, last, int32(opts.k))
	// The measure is the Dice coefficient of the tokens of identical text,
	// so that a wider source window does not win by its size.
	src := opts.sources.get(files[best.file])
	pick, bestDice := best, -1.0
	for _, x := range cands {
		agree, na, nb := textDice(t, first, last, x.smin-(x.tmin-tmin)-2, x.smax+(tmax-x.tmax)+2, src, opts)
		if agree < 0 {
			return best
		}
		dice := 2 * float64(agree) / float64(max(na+nb, 1))
		if dice > bestDice || dice == bestDice && x == best {
			pick, bestDice = x, dice
		}
	}
	return pick
}

// group is the regions of one finding: the best (origin) and the others
// that cover mostly the same target lines.
type group struct {
	origin *region
	others []*region
}

// groupRegions sorts regs, best first, and groups them: each region joins
// the first group whose best region it overlaps (see overlaps). Verbatim
// coverage counts twice, so that of two similar files (platform variants
// of one function) the one the copy matches verbatim wins.
func groupRegions(regs []*region, files map[uint32]*corpus.FileInfo) []*group {
	sort.SliceStable(regs, func(i, j int) bool {
		a, b := regs[i], regs[j]
		if sa, sb := a.covered+a.exactCovered, b.covered+b.exactCovered; sa != sb {
			return sa > sb
		}
		return betterFile(files[a.file], files[b.file])
	})
	var groups []*group
	for _, r := range regs {
		var g *group
		for _, cand := range groups {
			if overlaps(cand.origin, r) {
				g = cand
				break
			}
		}
		if g == nil {
			groups = append(groups, &group{origin: r})
			continue
		}
		g.others = append(g.others, r)
	}
	return groups
}

// fileScore is the score of one corpus file's regions of a group: their
// verbatim and total coverage, summed over the pieces of a copy (regions
// of distinct target lines: a reordered copy chains in pieces), each
// target line counted once: a region that covers mostly the same target
// lines as a better one of the file maps them to a sibling of the same
// shape (net/udpsock.go's WriteToUDP and WriteMsgUDP), and adds no
// evidence that the file holds the copy.
func fileScore(rs []*region) int {
	sorted := slices.Clone(rs)
	slices.SortStableFunc(sorted, func(a, b *region) int {
		return cmp.Compare(b.covered+b.exactCovered, a.covered+a.exactCovered)
	})
	n := 0
	var counted []*region
	for _, x := range sorted {
		if slices.ContainsFunc(counted, func(c *region) bool { return overlaps(c, x) }) {
			continue
		}
		counted = append(counted, x)
		n += x.covered + x.exactCovered
	}
	return n
}

// choice is the origin chosen for a group.
type choice struct {
	region     *region   // the origin file's regions of the group, merged: what the finding reports
	others     []*region // each other file's, merged
	sources    []Source  // the locations of all the group's files, preferred first
	origin     Source    // the origin file's preferred location
	alternates []Source  // the others
}

// choose picks the group's origin. A file may hold several regions of
// the group (a copy with reordered statements chains in pieces): they are
// merged, and the origin is the file whose regions score best together
// (near-twins compared by their text, see preferTextual).
func (g *group) choose(t *Target, files map[uint32]*corpus.FileInfo, opts Options) choice {
	byFile := map[uint32][]*region{}
	var ids []uint32
	for _, x := range append([]*region{g.origin}, g.others...) {
		if byFile[x.file] == nil {
			ids = append(ids, x.file)
		}
		byFile[x.file] = append(byFile[x.file], x)
	}
	scores := make(map[uint32]int, len(ids))
	for _, id := range ids {
		scores[id] = fileScore(byFile[id])
	}
	score := func(id uint32) int { return scores[id] }
	sort.SliceStable(ids, func(i, j int) bool { return score(ids[i]) > score(ids[j]) })
	ids = preferTextual(t, ids, score, byFile, files, opts)
	ranked := ids
	ids = preferOriginal(ids, score, files)
	c := choice{region: mergeInto(byFile[ids[0]], bestRegion(t, byFile[ids[0]], files, opts), int32(opts.k), edgeSlack)}
	for _, id := range ids[1:] {
		c.others = append(c.others, mergeRegions(byFile[id], int32(opts.k), edgeSlack))
	}
	c.sources = sourcesOf(ids, files)
	// The origin is the best region; among its file's locations the
	// preferred one. Other files' locations are alternates.
	for _, s := range c.sources {
		if s.FileID == c.region.file && c.origin.FileID == 0 {
			c.origin = s
		} else {
			s.Closer = rankedAbove(ranked, s.FileID, c.region.file)
			c.alternates = append(c.alternates, s)
		}
	}
	return c
}

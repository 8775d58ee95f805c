package match

// Candidates: from a batch of targets' fingerprints to each target's hits.
// All the batch's fingerprints are looked up in one call (the corpus
// reader is batched by contract); a hit is one occurrence of a target's
// k-gram in a corpus file, with its lines on both sides, whether it
// matches verbatim, and its weight as evidence of copying (rarity).
// Targets whose normalized token stream equals a corpus file's are looked
// up here too: they are whole-file candidates. Output: per target, its
// hits sorted by corpus file and target position (chain.go), and the
// corpus files of the same normalized content (findings.go).

// hit is one fingerprint of a target file found in one corpus file.
type hit struct {
	file   uint32
	tpos   int32 // target token position of the k-gram
	tline  int32
	tend   int32
	sline  int32
	send   int32
	exact  bool
	anchor bool    // not verbatim, but the strings and selectors are the same (names were changed)
	end    bool    // the target's k-gram ends a declaration (fingerprint.Fingerprint.End)
	ident  uint64  // the k-gram's identity: its exact hash if verbatim, else its normalized hash
	weight float32 // the k-gram's rarity in the corpus (see rarity)
}

// Evidence weights of a k-gram that matches verbatim (1), with only local
// names changed (its strings and selectors equal), or only after
// normalization. Code of the same shape with other names and other strings
// is common (declarations, tables, option lists); code of the same shape
// with the same strings and calls is a copy.
const (
	anchorWeight     = 1.0
	normalizedWeight = 0.25
)

// rareDF is the number of corpus files below which a k-gram counts fully
// as evidence of copying.
const rareDF = 8

// rarity weighs a k-gram held by df corpus files: fully when rare, in
// inverse proportion beyond rareDF. Idioms (a sort.Interface trio, error
// checks) are found in tens of files; copied code in a few.
func rarity(df int) float32 {
	if df <= rareDF {
		return 1
	}
	return float32(rareDF) / float32(df)
}

// maxPostings bounds the occurrences of one k-gram that are chained: a
// k-gram found more often (in few files, or the DF limit would drop it) is
// a repeated pattern, and chaining all its occurrences costs memory and
// time for nothing.
const maxPostings = 256

// maxPerFile is how many occurrences of one k-gram in one corpus file are
// chained; beyond it only verbatim occurrences are.
const maxPerFile = 4

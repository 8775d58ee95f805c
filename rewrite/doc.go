// Package rewrite finds Go functions that were rewritten from a corpus
// function: the same algorithm with every name changed, independent
// statements reordered, idioms swapped (an index loop for a range loop, a
// switch for an if-chain, strings.Cut for strings.Index and a slice) and
// helpers inlined or extracted. Token winnowing cannot see such a copy: no
// run of normalized tokens survives. The package works beside it, on the
// syntax tree (go/parser, go/ast; no type checking).
//
// # Units
//
// A unit is a function declaration with a body ([Extract]), and, when it
// calls functions declared in the same file, the function together with
// those helpers (a rewrite inlines and extracts helpers). Small functions
// are left out (Options.MinStmts): they hold too little to tell a copy
// from an idiom. Generated files and functions named _ are skipped.
//
// # Features
//
// A unit is described by a bag (a sorted set) of 32-bit feature hashes,
// order-insensitive and unchanged by renaming; the top three bits of a
// hash name its [Family]:
//
//   - calls and references to external APIs (import-path qualified:
//     "strings.TrimLeft"), and selectors of fields and methods that no type
//     of the file declares (".MatchString");
//   - literals, builtins and type shapes ("map[string][]int");
//   - expression subtrees of depth two with names of the unit's own package
//     abstracted (and once more with selectors abstracted);
//   - conditions, split at && and ||, where a switch case is the condition
//     "tag == value" so that a switch and an if-chain agree; statement
//     shapes;
//   - control paths (the if and loop nesting above each statement);
//   - def-use pairs of local variables (how a variable is defined, and
//     where it is used).
//
// The first three families are the anchors: what a function talks to and
// what it says. A few normalisations let idioms that rewrites swap agree: a
// range value reads as an element (x[i]); locals assigned once are inlined
// into the expressions that use them; APIs that do the same are grouped
// (strings and bytes; Index, IndexByte and Cut; sort.Slice and
// slices.SortFunc).
//
// # Scoring
//
// Features are weighted by their rarity over the corpus (inverse document
// frequency) and bags compared by weighted Jaccard on two channels, all
// families and anchors only ([Similarity]). Candidates come from the rare
// features only ([Finder]); a candidate is reported only when it stands out
// from its look-alikes (a ratio test against the best other candidate):
// idioms have many look-alikes in a corpus, a copy stands out.
//
// Verification ([Finder.Verdicts]) keeps, per unit and channel, the best
// candidate and the best other one that is not a near-copy of it; the
// thresholds apply afterwards ([FindOptions.Accept]), so that an
// evaluation can sweep them over verdicts computed once. Two candidates
// are near-copies when they share most of the rare features they share
// with the unit: by common features every look-alike of an idiom would
// pass for a copy of the best one, and the ratio test would compare it
// with nothing. A match must also share a few rare features (idioms such
// as locking around a field read share only common ones), and a match on
// the anchor channel some structure.
package rewrite

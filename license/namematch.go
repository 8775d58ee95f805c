package license

import (
	"sort"
	"strings"
	"sync"
)

//go:generate go run ./internal/gennames

// A nameIndex finds the full names of the SPDX License List's licenses
// (spdxNames) in words, compared as the SPDX matching guidelines compare
// a license's title: case, punctuation, hyphens, "the", the word
// "license" (or "licence") and the words "version" or "v" before a
// version are not significant, and "v2", "2" and "2.0" are one version.
// "Common Public Attribution License Version 1.0" is CPAL-1.0, "BSD Zero
// Clause License" 0BSD, "Educational Community License, Version 2.0"
// ECL-2.0.
type nameIndex struct {
	byFirst map[string][]nameKey // keys by their first token, longest first
}

// A nameKey is the tokens of one license name and the ID it names.
type nameKey struct {
	toks []string
	id   string
	// orLater is set when the name ends in "only" (the GNU and GFDL
	// names): the text may leave "only" out, and a version suffix such as
	// "or (at your option) any later version" then names the -or-later ID.
	orLater bool
}

// spdxNameIndex returns the index of spdxNames, built on first use.
var spdxNameIndex = sync.OnceValue(func() *nameIndex { return newNameIndex(spdxNames[:]) })

// newNameIndex indexes names. A name whose tokens are those of another
// license's name too is left out: it names neither for sure.
func newNameIndex(names []struct{ id, name string }) *nameIndex {
	ids := map[string]string{} // key -> ID, "" when ambiguous
	keys := map[string]nameKey{}
	add := func(toks []string, id string, orLater bool) {
		if len(toks) == 0 || versionOnly(toks) {
			return
		}
		k := strings.Join(toks, " ")
		if prev, ok := ids[k]; ok && prev != id {
			ids[k] = ""
			return
		}
		ids[k] = id
		keys[k] = nameKey{toks: toks, id: id, orLater: orLater}
	}
	for _, n := range names {
		toks := nameTokensOf(n.name)
		add(toks, n.id, false)
		if len(toks) > 1 && toks[len(toks)-1] == "only" && strings.HasSuffix(n.id, "-only") {
			add(toks[:len(toks)-1], n.id, true)
		}
	}
	x := &nameIndex{byFirst: map[string][]nameKey{}}
	for k, id := range ids {
		if id == "" {
			continue
		}
		key := keys[k]
		x.byFirst[key.toks[0]] = append(x.byFirst[key.toks[0]], key)
	}
	for _, list := range x.byFirst {
		sort.Slice(list, func(i, j int) bool {
			if len(list[i].toks) != len(list[j].toks) {
				return len(list[i].toks) > len(list[j].toks)
			}
			return list[i].id < list[j].id
		})
	}
	return x
}

// versionOnly reports whether every token is a version number.
func versionOnly(toks []string) bool {
	for _, t := range toks {
		if _, ok := normVersion(t); !ok {
			return false
		}
	}
	return true
}

// nameTokensOf returns the tokens a name is compared by.
func nameTokensOf(name string) []string {
	var out []string
	for _, w := range splitWords(lowerASCII([]byte(name))) {
		out = append(out, wordNameTokens(w.w)...)
	}
	return out
}

// wordNameTokens returns the tokens of one word: its parts between
// hyphens, without the words that do not count ("the", "license",
// "version", "v") and with versions normalized ("v2" is "2.0").
func wordNameTokens(w string) []string {
	return appendNameTokens(nil, w)
}

// appendNameTokens appends the tokens of word w (see wordNameTokens) to
// dst.
func appendNameTokens(dst []string, w string) []string {
	if v, ok := normVersion(w); ok {
		return append(dst, v)
	}
	for w != "" {
		p := w
		if i := strings.IndexAny(w, "-_"); i >= 0 {
			p, w = w[:i], w[i+1:]
		} else {
			w = ""
		}
		switch {
		case p == "", p == "the" || p == "version" || p == "v" || p == "ver" || isLicenseWord(p):
		default:
			if v, ok := normVersion(p); ok {
				p = v
			} else if len(p) > 1 && p[0] == 'v' && isDigit(p[1]) {
				p = p[1:] // "v1.3c"
			}
			dst = append(dst, p)
		}
	}
	return dst
}

// maxNameWords bounds the words a name may span in a text.
const maxNameWords = 24

// match finds the longest SPDX license name that starts at ws[k]. It
// returns the license and the index of the word after the name. A name
// of a single token ("Glulxe", "Fair") counts only when a license word
// follows it ("the Fair License"): alone it is an ordinary word.
func (x *nameIndex) match(ws []word, k int) (*expr, int, bool) {
	type tok struct {
		t    string
		word int  // index of its word
		last bool // the last token of its word
	}
	// The candidates first, by the first token: most words start no name.
	var tbuf [8]string
	var cands []nameKey
	for j := k; j < len(ws) && j < k+3; j++ {
		if ts := appendNameTokens(tbuf[:0], ws[j].w); len(ts) > 0 {
			cands = x.byFirst[ts[0]]
			break
		}
	}
	if len(cands) == 0 {
		return nil, k, false
	}
	longest := len(cands[0].toks)
	var sbuf [32]tok
	stream := sbuf[:0]
	for j := k; j < len(ws) && j < k+maxNameWords && len(stream) < longest; j++ {
		ts := appendNameTokens(tbuf[:0], ws[j].w)
		for n, t := range ts {
			stream = append(stream, tok{t, j, n == len(ts)-1})
		}
	}
	for _, key := range cands {
		n := len(key.toks)
		if n > len(stream) || !stream[n-1].last {
			continue
		}
		same := true
		for i, t := range key.toks {
			if stream[i].t != t {
				same = false
				break
			}
		}
		if !same {
			continue
		}
		next := stream[n-1].word + 1
		if n == 1 && !(next < len(ws) && isLicenseWord(ws[next].w)) {
			continue
		}
		id := key.id
		plus := false
		if key.orLater {
			v, after, _ := parseVersionSuffix(ws, next, version{})
			if v.plus {
				plus, next = true, after
			} else if v.only {
				next = after
			}
		}
		e, ok := canonicalID(id, plus)
		if !ok {
			continue
		}
		return e, next, true
	}
	return nil, k, false
}

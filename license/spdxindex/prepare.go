package spdxindex

import (
	"regexp"
)

// Word is one word of a license as the index keeps it: its hash, or a
// slot for replaceable text, and whether the guidelines let a matching
// text omit it.
type Word struct {
	Hash     uint32 // the word's hash (see Tokenize); 0 for a slot
	Slot     bool   // replaceable text ("<year>", "[name of copyright owner]"): any short run matches
	Optional bool   // omissible text: a title, the "How to Apply" appendix
}

// placeholder matches the replaceable text of a license template: a short
// phrase in angle or square brackets on one line, such as "<year>",
// "<copyright holders>" or "[name of copyright owner]".
var placeholder = regexp.MustCompile(`<[^<>\n]{1,60}>|\[[^\[\]\n]{1,60}\]`)

// maxTitleWords bounds a paragraph read as a license's title.
const maxTitleWords = 12

// Prepare turns a license text into the words the index keeps for it:
// the words of Tokenize, each placeholder one slot, the title (the first
// one or two short paragraphs) and everything after "END OF TERMS AND
// CONDITIONS" or from "How to apply these terms" on optional.
func Prepare(text []byte) []Word { return PrepareOptional(text, nil) }

// PrepareOptional is Prepare with the words inside the byte ranges
// optional (such as a pattern's optional phrases) optional too.
func PrepareOptional(text []byte, optional [][2]int) []Word {
	toks := Tokenize(text)
	slots := placeholder.FindAllIndex(text, -1)
	var out []Word
	si := 0
	for _, t := range toks {
		for si < len(slots) && slots[si][1] <= t.Lo {
			si++
		}
		if si < len(slots) && t.Lo >= slots[si][0] && t.Hi <= slots[si][1] && !isURLOrMail(text[slots[si][0]:slots[si][1]]) {
			if len(out) == 0 || !out[len(out)-1].Slot || out[len(out)-1].Hash != uint32(si+1) {
				out = append(out, Word{Hash: uint32(si + 1), Slot: true})
			}
			continue
		}
		out = append(out, Word{Hash: t.Hash, Optional: inRanges(optional, t)})
	}
	for i := range out {
		if out[i].Slot {
			out[i].Hash = 0
		}
	}
	markTitle(text, toks, out)
	markAppendix(out)
	return out
}

func isURLOrMail(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '@' || b[i] == ':' && b[i+1] == '/' && b[i+2] == '/' {
			return true
		}
	}
	return false
}

// markTitle makes the first paragraph optional when it has at most
// maxTitleWords words, and the second too when it is as short (a
// "Version 2.0, January 2004" line). Slots shift positions, so words are
// counted on toks and marked on out from the start: the title holds no
// placeholder.
func markTitle(text []byte, toks []Token, out []Word) {
	n := 0
	for para := 0; para < 2; para++ {
		end := paragraphEnd(text, toks, n)
		if end-n > maxTitleWords || end == n || end >= len(toks) {
			return
		}
		for i := n; i < end && i < len(out); i++ {
			if out[i].Slot {
				return
			}
			out[i].Optional = true
		}
		n = end
	}
}

// paragraphEnd returns the index of the first token after toks[from]
// that follows a blank line.
func paragraphEnd(text []byte, toks []Token, from int) int {
	for i := from + 1; i < len(toks); i++ {
		if blankLineBetween(text[toks[i-1].Hi:toks[i].Lo]) {
			return i
		}
	}
	return len(toks)
}

func blankLineBetween(gap []byte) bool {
	nl := 0
	for _, c := range gap {
		switch c {
		case '\n':
			nl++
			if nl == 2 {
				return true
			}
		case ' ', '\t', '\r':
		default:
			// Only a copyright line (omitted) or punctuation: keep counting.
		}
	}
	return false
}

// appendixStarts are the word sequences after which (end of terms) or
// from which (how to apply) a license's text is optional.
var appendixStarts = []struct {
	words []string
	after bool
}{
	{[]string{"end", "of", "terms", "and", "conditions"}, true},
	{[]string{"how", "to", "apply", "these", "terms"}, false},
	{[]string{"how", "to", "apply", "the", "apache", "license"}, false},
	{[]string{"appendix", "how", "to", "apply"}, false},
}

// markAppendix makes everything after "END OF TERMS AND CONDITIONS", or
// from a "How to apply these terms" heading, optional.
func markAppendix(out []Word) {
	for _, a := range appendixStarts {
		seq := make([]uint32, len(a.words))
		for i, w := range a.words {
			seq[i] = hashWord(w)
		}
		for i := 0; i+len(seq) <= len(out); i++ {
			if !hasSeq(out[i:], seq) {
				continue
			}
			from := i
			if a.after {
				from = i + len(seq)
			}
			for k := from; k < len(out); k++ {
				out[k].Optional = true
			}
			break
		}
	}
}

func hasSeq(ws []Word, seq []uint32) bool {
	for i, h := range seq {
		if ws[i].Slot || ws[i].Hash != h {
			return false
		}
	}
	return true
}

func inRanges(rs [][2]int, t Token) bool {
	for _, r := range rs {
		if t.Lo >= r[0] && t.Hi <= r[1] {
			return true
		}
	}
	return false
}

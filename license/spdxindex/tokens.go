package spdxindex

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one normalized word of a text, as the SPDX License List
// Matching Guidelines compare them.
type Token struct {
	Hash   uint32 // FNV-1a of the normalized word
	Lo, Hi int    // byte offsets of the word in the text
}

// Tokenize splits text into the words that matching compares. It is the
// one tokenizer of both the index generator and the matcher, so that the
// two cannot drift. Following the SPDX License List Matching Guidelines:
//
//   - letters are compared without case, and punctuation, quotes, dashes
//     and whitespace separate words but are not words themselves;
//   - bullets and numbering at the start of a line ("1.", "(a)", "iv)",
//     "2.1.") are not words;
//   - copyright statement lines ("Copyright (c) 2009 ...", "(C) ...",
//     "© ...") are omitted, on both sides;
//   - varietal spellings are one word (see equivalentWords), and "https"
//     is "http".
func Tokenize(text []byte) []Token {
	var out []Token
	var pending string // a first word of a two-word spelling, held back
	pendLo, pendHi := 0, 0
	flush := func() {
		if pending != "" {
			out = append(out, Token{Hash: hashWord(pending), Lo: pendLo, Hi: pendHi})
			pending = ""
		}
	}
	for lo := 0; lo < len(text); {
		hi := lo
		for hi < len(text) && text[hi] != '\n' {
			hi++
		}
		line := text[lo:hi]
		if !isCopyrightLine(line) {
			start := skipNumbering(line)
			forEachWord(line[start:], func(wlo, whi int, w string) {
				wlo, whi = wlo+lo+start, whi+lo+start
				if pending != "" {
					if joined, ok := joinWords(pending, w); ok {
						out = append(out, Token{Hash: hashWord(joined), Lo: pendLo, Hi: whi})
						pending = ""
						return
					}
					flush()
				}
				w = normalizeWord(w)
				if joinsNext(w) {
					pending, pendLo, pendHi = w, wlo, whi
					return
				}
				out = append(out, Token{Hash: hashWord(w), Lo: wlo, Hi: whi})
			})
		}
		lo = hi + 1
	}
	flush()
	return out
}

// HashWord returns the hash Tokenize gives the normalized word w.
func HashWord(w string) uint32 { return hashWord(normalizeWord(strings.ToLower(w))) }

// hashWord is 32-bit FNV-1a.
func hashWord(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return h
}

// forEachWord calls fn with each maximal run of letters and digits of
// line, lower-cased, and its byte offsets in line.
func forEachWord(line []byte, fn func(lo, hi int, w string)) {
	i := 0
	var b strings.Builder
	for i < len(line) {
		if c := line[i]; c < utf8.RuneSelf {
			if !isASCIIAlnum(c) {
				i++
				continue
			}
			j := i
			for j < len(line) && isASCIIAlnum(line[j]) {
				j++
			}
			if j == len(line) || line[j] < utf8.RuneSelf {
				fn(i, j, asciiLower(line[i:j]))
				i = j
				continue
			}
		}
		r, n := utf8.DecodeRune(line[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		lo := i
		b.Reset()
		for i < len(line) {
			r, n = utf8.DecodeRune(line[i:])
			if !isWordRune(r) {
				break
			}
			b.WriteRune(unicode.ToLower(r))
			i += n
		}
		fn(lo, i, b.String())
	}
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// isCopyrightLine reports whether line is a copyright statement: it
// begins with "copyright" and holds a year, a "(c)", a "©" or a
// placeholder, or begins with "(c)" or "©" and holds a year (after any
// comment marks).
func isCopyrightLine(line []byte) bool {
	s := strings.TrimLeft(string(line), " \t\r*#/;-!%'\"")
	low := strings.ToLower(s)
	var rest string
	switch {
	case strings.HasPrefix(low, "(c)"), strings.HasPrefix(low, "©"):
		// A list item "(c) the licenses granted ..." is no statement:
		// one with a year is.
		rest = low
	case !strings.HasPrefix(low, "copyright"):
		return false
	default:
		rest = low[len("copyright"):]
		if strings.Contains(rest, "(c)") || strings.Contains(rest, "©") || strings.ContainsAny(rest, "<[") {
			return true
		}
	}
	digits := 0
	for _, c := range rest {
		if c >= '0' && c <= '9' {
			digits++
			if digits == 4 {
				return true
			}
		} else {
			digits = 0
		}
	}
	return false
}

// skipNumbering returns the length of the bullets and numbering at the
// start of line: "1.", "(a)", "iv)", "2.1.", "§ 3." and the spaces
// around them. A marker is a number, one letter or a Roman numeral,
// followed by "." or ")" or enclosed in parentheses.
func skipNumbering(line []byte) int {
	i := 0
	for {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t' || line[j] == '\r') {
			j++
		}
		open := j < len(line) && line[j] == '('
		if open {
			j++
		}
		k := j
		for k < len(line) && k-j < 5 && isASCIIAlnum(line[k]) {
			k++
		}
		if k == j || k < len(line) && isASCIIAlnum(line[k]) || !isMarker(string(line[j:k])) {
			return i
		}
		switch {
		case k < len(line) && line[k] == ')':
			k++
		case k < len(line) && line[k] == '.' && !open:
			k++
		default:
			return i
		}
		i = k
	}
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isMarker reports whether s can number a list item: digits, one
// letter, or a Roman numeral up to xx.
func isMarker(s string) bool {
	if len(s) == 1 {
		return true
	}
	digits := true
	for i := 0; i < len(s); i++ {
		digits = digits && s[i] >= '0' && s[i] <= '9'
	}
	if digits {
		return true
	}
	return romanNumerals[strings.ToLower(s)]
}

var romanNumerals = map[string]bool{
	"ii": true, "iii": true, "iv": true, "vi": true, "vii": true, "viii": true, "ix": true,
	"xi": true, "xii": true, "xiii": true, "xiv": true, "xv": true, "xvi": true, "xvii": true,
	"xviii": true, "xix": true, "xx": true,
}

// normalizeWord maps a lower-case word to its canonical spelling.
func normalizeWord(w string) string {
	if c, ok := equivalentWords[w]; ok {
		return c
	}
	// licence, licenced, licences, licencing, licensor's forms.
	if strings.HasPrefix(w, "licenc") {
		return "licens" + w[len("licenc"):]
	}
	if strings.HasPrefix(w, "sublicenc") {
		return "sublicens" + w[len("sublicenc"):]
	}
	return w
}

// joinsNext reports whether w may be the first word of a two-word
// spelling of one word ("sub license", "non commercial", "per cent").
func joinsNext(w string) bool { return w == "sub" || w == "non" || w == "per" }

// joinWords returns the one-word spelling of the pair a b, if any.
func joinWords(a, b string) (string, bool) {
	b = normalizeWord(b)
	switch {
	case a == "sub" && strings.HasPrefix(b, "licens"):
		return "sub" + b, true
	case a == "non" && strings.HasPrefix(b, "commercial"):
		return "non" + b, true
	case a == "per" && b == "cent":
		return "percent", true
	}
	return "", false
}

// equivalentWords maps British, American and older spellings that the
// SPDX License List Matching Guidelines treat as the same word to one
// spelling (lower case).
var equivalentWords = map[string]string{
	"https":            "http",
	"acknowledgement":  "acknowledgment",
	"acknowledgements": "acknowledgments",
	"analogue":         "analog",
	"analyse":          "analyze",
	"artefact":         "artifact",
	"artefacts":        "artifacts",
	"authorisation":    "authorization",
	"authorised":       "authorized",
	"authorise":        "authorize",
	"calibre":          "caliber",
	"cancelled":        "canceled",
	"capitalisations":  "capitalizations",
	"catalogue":        "catalog",
	"categorise":       "categorize",
	"centre":           "center",
	"emphasised":       "emphasized",
	"favour":           "favor",
	"favourite":        "favorite",
	"fulfil":           "fulfill",
	"fulfilment":       "fulfillment",
	"initialise":       "initialize",
	"judgement":        "judgment",
	"labelling":        "labeling",
	"labour":           "labor",
	"maximise":         "maximize",
	"modelled":         "modeled",
	"modelling":        "modeling",
	"offence":          "offense",
	"optimise":         "optimize",
	"organisation":     "organization",
	"organisations":    "organizations",
	"organise":         "organize",
	"practise":         "practice",
	"programme":        "program",
	"programmes":       "programs",
	"realise":          "realize",
	"recognise":        "recognize",
	"signalling":       "signaling",
	"utilisation":      "utilization",
	"whilst":           "while",
	"wilful":           "willful",
	"percent":          "percent",
	"owner":            "holder",
	"owners":           "holders",
}

// asciiLower returns the ASCII word b in lower case.
func asciiLower(b []byte) string {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			return strings.ToLower(string(b))
		}
	}
	return string(b)
}

package license

// word is one token of a text: a run of ASCII letters and digits, with
// '.', '-', '+' and '_' allowed inside (so "GPL-2.0+", "v2.0" and
// "LICENSE_1_0.txt" are single words). w is the lower-cased spelling.
type word struct {
	lo, hi int
	w      string
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isInnerByte(c byte) bool {
	return c == '.' || c == '-' || c == '+' || c == '_'
}

// lowerASCII returns text with ASCII letters lower-cased.
func lowerASCII(text []byte) string {
	b := make([]byte, len(text))
	for i, c := range text {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

// splitWords tokenizes lower (a lower-cased text) into words.
// A trailing '+' is kept ("gplv2+"), trailing '.', '-' and '_' are not.
func splitWords(lower string) []word {
	var out []word
	i := 0
	for i < len(lower) {
		if !isWordByte(lower[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(lower) && (isWordByte(lower[j]) || isInnerByte(lower[j]) && j+1 <= len(lower)) {
			if isInnerByte(lower[j]) && lower[j] != '+' && (j+1 >= len(lower) || !isWordByte(lower[j+1])) {
				break
			}
			j++
		}
		out = append(out, word{lo: i, hi: j, w: lower[i:j]})
		i = j
	}
	return out
}

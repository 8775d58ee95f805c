package license

import (
	"strings"
)

const spdxTag = "spdx-license-identifier"

// findTags locates SPDX-License-Identifier tags in lower (the lower-cased
// text) and parses their expressions from the original text.
// Known identifiers get confidence 1; a tag naming identifiers SPDX does
// not know keeps them as LicenseRef-<id> with confidence 0.5.
func findTags(text []byte, lower string) []finding {
	var out []finding
	off := 0
	for {
		i := strings.Index(lower[off:], spdxTag)
		if i < 0 {
			return out
		}
		lo := off + i
		j := lo + len(spdxTag)
		off = j
		for j < len(lower) && (lower[j] == ' ' || lower[j] == '\t') {
			j++
		}
		if j >= len(lower) || lower[j] != ':' {
			continue
		}
		j++
		end := j
		for end < len(lower) && lower[end] != '\n' && lower[end] != '\r' {
			end++
		}
		raw := trimTagValue(string(text[j:end]))
		if raw == "" {
			continue
		}
		conf := 1.0
		e, err := parseExpr(raw, false)
		if err != nil {
			e, err = parseExpr(raw, true)
			conf = 0.5
		}
		if err != nil {
			continue
		}
		out = append(out, finding{e: e, lo: lo, hi: end, evidence: "tag", conf: conf})
		off = end
	}
}

// trimTagValue strips comment closers, quotes and stray punctuation
// around the value of an SPDX tag.
func trimTagValue(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := s
		for _, suf := range []string{"*/", "-->", "*)", "#}", "%>", "--}}", "}}", `"""`, "'''", ";", ",", `"`, "'", "`", "*", "/", "-}", "|}", "]]"} {
			t = strings.TrimSpace(strings.TrimSuffix(t, suf))
		}
		for _, pre := range []string{`"`, "'", "`"} {
			t = strings.TrimSpace(strings.TrimPrefix(t, pre))
		}
		if t == s {
			break
		}
		s = t
	}
	// A value ends at the first character that cannot be part of an
	// expression (e.g. a trailing comment in another syntax).
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isWordByte(c) || isInnerByte(c) || c == ' ' || c == '\t' || c == '(' || c == ')' || c == ':') {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

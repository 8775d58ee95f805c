package fingerprint

import (
	"bytes"
	"strings"
)

// markup tokenizes a markup file (HTML, a Vue or Svelte component): the
// contents of its script elements are code, read with the rules of
// syntax.script at their own offsets and lines in the file; the rest
// (tags, text, styles, templates, comments) makes no tokens. A script
// element inside an HTML comment, or whose type attribute names another
// content than JavaScript or TypeScript (JSON data, a template), is left
// out too.
func (lx *lexer) markup() {
	src, syn := lx.src, lx.syn
	at := 0 // lx.line is the line of offset at
	for i := 0; i < len(src); {
		if lx.limit > 0 && len(lx.toks) >= lx.limit {
			return
		}
		lt := bytes.IndexByte(src[i:], '<')
		if lt < 0 {
			return
		}
		i += lt
		switch {
		case hasPrefixAt(src, i, "<!--"):
			i = indexAfter(src, i+4, "-->")
		case isScriptTag(src, i):
			gt := bytes.IndexByte(src[i:], '>')
			if gt < 0 {
				return
			}
			body := i + gt + 1
			end := indexFold(src, body, "</script")
			if scriptType(src[i:body]) {
				lx.line += int32(bytes.Count(src[at:body], []byte("\n")))
				lx.syn, lx.src, lx.last = syn.script, src[:end], kindNone
				lx.code(body)
				lx.syn, lx.src, at = syn, src, end
			}
			i = end
		default:
			i++
		}
	}
}

// isScriptTag reports whether a script element's start tag begins at i.
func isScriptTag(src []byte, i int) bool {
	const open = "<script"
	if len(src)-i <= len(open) || !bytes.EqualFold(src[i:i+len(open)], []byte(open)) {
		return false
	}
	switch src[i+len(open)] {
	case ' ', '\t', '\n', '\r', '\f', '>', '/':
		return true
	}
	return false
}

// scriptType reports whether the start tag of a script element says that
// it holds JavaScript or TypeScript: no type attribute (Vue's lang="ts"
// included), or a type that names one of them or a module.
func scriptType(tag []byte) bool {
	t := strings.ToLower(string(tag))
	for i := 0; ; {
		k := strings.Index(t[i:], "type")
		if k < 0 {
			return true
		}
		k += i
		i = k + len("type")
		if k == 0 || !strings.ContainsRune(" \t\n\r\f", rune(t[k-1])) {
			continue // another attribute's name ends in "type"
		}
		rest := strings.TrimLeft(t[i:], " \t\n\r\f")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		value := strings.Trim(strings.TrimLeft(rest[1:], " \t\n\r\f"), `"'>/`)
		if j := strings.IndexAny(value, " \t\n\r\f\"'>"); j >= 0 {
			value = value[:j]
		}
		for _, js := range []string{"javascript", "ecmascript", "module", "typescript", "jsx", "babel"} {
			if strings.Contains(value, js) {
				return true
			}
		}
		return false
	}
}

// indexFold returns the offset of the first s in src at or after i,
// ignoring case, or len(src). s starts with a byte that has no case.
func indexFold(src []byte, i int, s string) int {
	for i < len(src) {
		k := bytes.IndexByte(src[i:], s[0])
		if k < 0 {
			break
		}
		i += k
		if len(src)-i >= len(s) && bytes.EqualFold(src[i:i+len(s)], []byte(s)) {
			return i
		}
		i++
	}
	return len(src)
}

// indexAfter returns the offset after the first s in src at or after i,
// or len(src).
func indexAfter(src []byte, i int, s string) int {
	if k := bytes.Index(src[i:], []byte(s)); k >= 0 {
		return i + k + len(s)
	}
	return len(src)
}

package main

import (
	"regexp"
	"strings"
)

// lreComment matches a comment of licensecheck's LRE patterns.
var lreComment = regexp.MustCompile(`(?s)//\*\*.*?\*\*//`)

// lreWildcard matches an LRE wildcard, __N__ (up to N words).
var lreWildcard = regexp.MustCompile(`__\d+__`)

// lrePlain turns an expanded LRE pattern into plain text: of each choice
// ((a || b)) its first non-empty alternative, optional phrases ((x))??
// kept with their byte ranges returned, and wildcards placeholders
// ("<slot>", which Prepare reads as replaceable text).
func lrePlain(lre string) (string, [][2]int) {
	lre = lreComment.ReplaceAllString(lre, " ")
	lre = lreWildcard.ReplaceAllString(lre, " <slot> ")
	p := &lreParser{s: lre}
	var b strings.Builder
	var opt [][2]int
	p.seq(&b, &opt, false)
	return b.String(), opt
}

// lreParser reads an LRE pattern from s.
type lreParser struct {
	s string
	i int
}

// seq writes the text up to the end of the pattern, or to the "||" or
// "))" that ends the current alternative, to b.
func (p *lreParser) seq(b *strings.Builder, opt *[][2]int, nested bool) {
	for p.i < len(p.s) {
		switch {
		case strings.HasPrefix(p.s[p.i:], "(("):
			p.i += 2
			p.choice(b, opt)
		case nested && (strings.HasPrefix(p.s[p.i:], "||") || strings.HasPrefix(p.s[p.i:], "))")):
			return
		default:
			b.WriteByte(p.s[p.i])
			p.i++
		}
	}
}

// choice reads ((a || b ...)) after its "((" and writes its first
// non-empty alternative, recording it as optional when "??" follows.
func (p *lreParser) choice(b *strings.Builder, opt *[][2]int) {
	var first strings.Builder
	var firstOpt [][2]int
	for p.i < len(p.s) {
		var alt strings.Builder
		var altOpt [][2]int
		p.seq(&alt, &altOpt, true)
		if strings.TrimSpace(first.String()) == "" && strings.TrimSpace(alt.String()) != "" {
			first, firstOpt = alt, altOpt
		}
		if strings.HasPrefix(p.s[p.i:], "||") {
			p.i += 2
			continue
		}
		p.i += 2 // "))"
		break
	}
	optional := strings.HasPrefix(p.s[min(p.i, len(p.s)):], "??")
	if optional {
		p.i += 2
	}
	start := b.Len()
	b.WriteString(" ")
	for _, r := range firstOpt {
		*opt = append(*opt, [2]int{r[0] + start + 1, r[1] + start + 1})
	}
	b.WriteString(first.String())
	b.WriteString(" ")
	if optional {
		*opt = append(*opt, [2]int{start, b.Len()})
	}
}

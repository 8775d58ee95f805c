package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/snipscan/snipscan/license"
	"golang.org/x/text/unicode/norm"
)

// A evalCase is one labelled input: a text (a license file, a paragraph
// of a copyright file, a source file) or a package directory.
type evalCase struct {
	set  string // the set it belongs to
	name string // unique within its set
	// What is classified: text, named file (the name tools see), or a
	// package directory with the names of its files (manifests hidden).
	text  []byte
	file  string
	dir   string
	names []string
	kind  string // kindFile, kindText, kindHeader, kindPackage

	// The license label, when the case has one: the SPDX expression and
	// its leaves.
	labelled bool
	wantExpr string
	want     []string
	// The holder label, when the case has one: the holders that the
	// case's group (holderGroup) names, all of which should be found in
	// some case of the group; a holder found in this case is right when it
	// matches one of them.
	holderLabel bool
	holders     []string
	holderGroup string
}

// Kinds of case: how snipscan classifies it.
const (
	kindFile    = "file"    // a license file: Classifier.LicenseFile
	kindText    = "text"    // any text: Classifier.Text
	kindHeader  = "header"  // a source file: Classifier.Header of its comment header
	kindPackage = "package" // a package directory: indexer.DirLicense
)

// prediction is what one tool says of one case.
type prediction struct {
	expr    string   // SPDX expression, when the tool gives one
	ids     []string // the licenses found: canonical SPDX leaves
	holders []string
	err     string
}

// leaves returns the canonical leaves of an SPDX expression ("GPL-2.0-only
// WITH Classpath-exception-2.0" stays one leaf), sorted; nil when it is
// empty or malformed.
func leaves(expr string) []string {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	ls, err := license.Leaves(expr)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range ls {
		out = append(out, l.String())
	}
	return sortedSet(out)
}

// sortedSet sorts ids and removes duplicates.
func sortedSet(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// scores are one tool's figures on one set.
type scores struct {
	tool                      string
	cases, exact, exactExpr   int
	exprCompared              bool
	predIDs, goodIDs, wantIDs int
	holderCases               int
	predHolders, goodHolders  int
	wantHolders, foundHolders int
	holdersOnUnlabelled       int
	misses                    map[string]int // "want X, got Y" -> count
	missExamples              map[string]string
	holderSupported, ran      bool
	groupWant, groupFound     map[string][]string
}

func newScores(tool string, holders bool) *scores {
	return &scores{tool: tool, holderSupported: holders, misses: map[string]int{}, missExamples: map[string]string{},
		groupWant: map[string][]string{}, groupFound: map[string][]string{}}
}

// add scores one prediction.
func (s *scores) add(c evalCase, p prediction) {
	s.ran = true
	if c.labelled {
		s.addLicense(c, p)
	}
	if c.holderLabel && s.holderSupported {
		s.addHolders(c, p)
	}
}

func (s *scores) addLicense(c evalCase, p prediction) {
	s.cases++
	got := sortedSet(p.ids)
	if slices.Equal(got, c.want) {
		s.exact++
	} else {
		key := fmt.Sprintf("want %s, got %s", shortSet(c.want), shortSet(got))
		s.misses[key]++
		if _, ok := s.missExamples[key]; !ok {
			s.missExamples[key] = c.name
		}
	}
	if p.expr != "" || s.exprCompared {
		s.exprCompared = true
		if sameExpr(p.expr, c.wantExpr) {
			s.exactExpr++
		}
	}
	s.wantIDs += len(c.want)
	s.predIDs += len(got)
	for _, g := range got {
		if slices.Contains(c.want, g) {
			s.goodIDs++
		}
	}
}

// sameExpr compares two SPDX expressions in canonical form.
func sameExpr(a, b string) bool {
	return license.Normalize(a) == license.Normalize(b) && strings.TrimSpace(a) != "" || strings.TrimSpace(a) == "" && strings.TrimSpace(b) == ""
}

func (s *scores) addHolders(c evalCase, p prediction) {
	s.holderCases++
	g := c.holderGroup
	if _, ok := s.groupWant[g]; !ok {
		s.groupWant[g] = c.holders
	}
	for _, h := range p.holders {
		s.predHolders++
		if matchHolder(h, c.holders) >= 0 {
			s.goodHolders++
			s.groupFound[g] = append(s.groupFound[g], h)
		}
	}
}

// finish computes the group-level holder recall: each labelled holder of
// a group is found when a case of the group yields a holder matching it.
func (s *scores) finish() {
	s.wantHolders, s.foundHolders = 0, 0
	for g, want := range s.groupWant {
		for _, w := range want {
			s.wantHolders++
			if matchHolder(w, s.groupFound[g]) >= 0 {
				s.foundHolders++
			}
		}
	}
}

func setString(ids []string) string {
	if len(ids) == 0 {
		return "{}"
	}
	return "{" + strings.Join(ids, ", ") + "}"
}

// shortSet renders a set as setString does, its first 6 IDs only.
func shortSet(ids []string) string {
	if len(ids) <= 6 {
		return setString(ids)
	}
	return fmt.Sprintf("{%s, ... %d more}", strings.Join(ids[:6], ", "), len(ids)-6)
}

// holderStop are words that do not tell holders apart: legal forms,
// articles, the words of the statement.
var holderStop = map[string]bool{
	"the": true, "and": true, "inc": true, "ltd": true, "llc": true, "corp": true, "corporation": true,
	"co": true, "gmbh": true, "by": true, "of": true, "copyright": true, "c": true, "all": true,
	"rights": true, "reserved": true, "contributors": false, "limited": true, "ag": true, "sa": true,
	"portions": true, // "Portions Copyright 2003 IBM Corporation": a word of the statement
}

// holderTokens are the distinguishing words of a holder, lower-cased,
// without accents, punctuation, e-mail addresses or URLs ("Diego
// Pettenò" and "Diego Petteno" are one holder).
func holderTokens(h string) []string {
	h = statementNoise.ReplaceAllString(h, " ")
	h = withoutMarks(h)
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}) {
		if !holderStop[w] && !isYear(w) {
			out = append(out, w)
		}
	}
	return sortedSet(out)
}

// withoutMarks drops the combining marks of s in canonical
// decomposition: "ò" becomes "o".
func withoutMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// matchHolder returns the index of the first of labels that holder h
// matches, or -1. Two holders match when their word sets are equal, or
// when the smaller, of at least two words, is contained in the larger
// ("Free Software Foundation" and "Free Software Foundation, Inc."; "Jean-loup
// Gailly" and "Jean-loup Gailly and Mark Adler").
func matchHolder(h string, labels []string) int {
	a := holderTokens(h)
	if len(a) == 0 {
		return -1
	}
	for i, l := range labels {
		b := holderTokens(l)
		if len(b) == 0 {
			continue
		}
		small, large := a, b
		if len(small) > len(large) {
			small, large = large, small
		}
		if slices.Equal(a, b) || len(small) >= 2 && containsAll(large, small) {
			return i
		}
	}
	return -1
}

func containsAll(set, sub []string) bool {
	for _, s := range sub {
		if _, ok := slices.BinarySearch(set, s); !ok {
			return false
		}
	}
	return true
}

func ratio(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

func percent(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// licenseRow renders the license columns of s as a Markdown table row.
func (s *scores) licenseRow() string {
	expr := "n/a"
	if s.exprCompared {
		expr = percent(s.exactExpr, s.cases)
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %s |", s.tool, s.cases, percent(s.exact, s.cases), expr,
		ratio(s.goodIDs, s.predIDs), ratio(s.goodIDs, s.wantIDs))
}

// holderRow renders the holder columns of s as a Markdown table row.
func (s *scores) holderRow() string {
	if !s.holderSupported {
		return fmt.Sprintf("| %s | %d | n/a | n/a | n/a | n/a |", s.tool, s.holderCases)
	}
	return fmt.Sprintf("| %s | %d | %d | %s | %d | %s |", s.tool, s.holderCases, s.predHolders,
		ratio(s.goodHolders, s.predHolders), s.wantHolders, ratio(s.foundHolders, s.wantHolders))
}

// topMisses returns the n most frequent misses, most frequent first, ties
// in byte order.
func (s *scores) topMisses(n int) []string {
	keys := make([]string, 0, len(s.misses))
	for k := range s.misses {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s.misses[keys[i]] != s.misses[keys[j]] {
			return s.misses[keys[i]] > s.misses[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var out []string
	for i, k := range keys {
		if i == n {
			break
		}
		out = append(out, fmt.Sprintf("| %d | %s | %s |", s.misses[k], strings.ReplaceAll(k, "|", "\\|"), s.missExamples[k]))
	}
	return out
}

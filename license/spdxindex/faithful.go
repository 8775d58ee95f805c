package spdxindex

import (
	"slices"
	"strings"
)

// listTexts maps each ID to the entries that hold the SPDX list's text
// of that ID. The list has one text per ID; an entry that the list and
// another source share carries the other source's IDs too (the list's
// X11-swapped is the text licenseclassifier files under MIT), so where
// several entries of the list hold an ID, the ones holding that ID alone
// are its text.
func listTexts(entries []compiledEntry) map[string][]int32 {
	out := map[string][]int32{}
	for i, e := range entries {
		if !fromList(e.Source) {
			continue
		}
		for _, id := range e.IDs {
			out[id] = append(out[id], int32(i))
		}
	}
	for id, list := range out {
		alone := slices.DeleteFunc(slices.Clone(list), func(i int32) bool { return len(entries[i].IDs) > 1 })
		if len(list) > 1 && len(alone) > 0 {
			out[id] = alone
		}
	}
	return out
}

// fromList reports whether a text's sources include the SPDX list.
func fromList(source string) bool {
	return slices.Contains(strings.Split(source, ","), "spdx")
}

// ownID returns the first of entry i's IDs whose text it is, and whether
// it has one. An ID is the entry's own unless the SPDX list's text of that
// ID is another entry that the entry's words do not match as a license
// text (see matchesText): licenseclassifier files a bzip2 text under
// BSD-4-Clause and the SPDX list's X11-swapped under MIT, and a text filed
// under a license whose text it is not must not name that license. The
// answer is computed once per entry.
func (m *Matcher) ownID(i int) (string, bool) {
	if v, ok := m.owners.Load(int32(i)); ok {
		o := v.(owner)
		return o.id, o.ok
	}
	e := &m.c.entries[i]
	o := owner{id: e.IDs[0]}
	for _, id := range e.IDs {
		if m.isOwn(i, id) {
			o = owner{id: id, ok: true}
			break
		}
	}
	m.owners.Store(int32(i), o)
	return o.id, o.ok
}

// owner is the cached answer of ownID.
type owner struct {
	id string
	ok bool
}

// isOwn reports whether id is the license of entry i's text: the entry
// is the SPDX list's text of id, the list has none in the index, or the
// entry matches one of the list's texts of id.
func (m *Matcher) isOwn(i int, id string) bool {
	list := m.listed[id]
	if len(list) == 0 || slices.Contains(list, int32(i)) {
		return true
	}
	for _, j := range list {
		if m.matchesText(int(j), m.c.entries[i].codes) {
			return true
		}
	}
	return false
}

// matchesText reports whether the words codes match entry j's text the
// way Find matches an input: coverage from Threshold, no clause added or
// missing, no term changed.
func (m *Matcher) matchesText(j int, codes []uint32) bool {
	every := make([]int, len(codes))
	for k := range every {
		every[k] = k
	}
	mt, ok := m.align(candidate{entry: j, hits: every}, codes, make([]Token, len(codes)), Threshold)
	return ok && mt.Coverage >= Threshold && !m.addsClause(mt) && !m.missesClause(mt) && !m.changesTerms(mt, codes)
}

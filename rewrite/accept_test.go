package rewrite

import (
	"slices"
	"testing"

	"github.com/snipscan/snipscan/corpus"
)

func TestAccept(t *testing.T) {
	src := &corpus.RewriteUnit{ID: 7}
	base := FindOptions{Ratio: 3, MinSim: 0.3, MinAnchors: 0.5, AnchorsMinSim: 0.15, MinRare: 4, HighSim: 0.5, HighRatio: 2}
	tests := []struct {
		name    string
		v       Verdict
		want    bool
		channel string
	}{
		{"structure", Verdict{Structure: Best{Source: src, Similarity: 0.4, Score: 0.4, Second: 0.1, Rare: 5}}, true, "structure"},
		{"too few rare features", Verdict{Structure: Best{Source: src, Similarity: 0.4, Score: 0.4, Second: 0.1, Rare: 3}}, false, ""},
		{"look-alike too close", Verdict{Structure: Best{Source: src, Similarity: 0.4, Score: 0.4, Second: 0.2, Rare: 5}}, false, ""},
		{"high similarity needs a smaller ratio", Verdict{Structure: Best{Source: src, Similarity: 0.6, Score: 0.6, Second: 0.25, Rare: 5}}, true, "structure"},
		{"anchors", Verdict{Anchors: Best{Source: src, Similarity: 0.2, Anchors: 0.6, Score: 0.6, Second: 0.1, Rare: 5}}, true, "anchors"},
		{"anchors without structure", Verdict{Anchors: Best{Source: src, Similarity: 0.1, Anchors: 0.6, Score: 0.6, Second: 0.1, Rare: 5}}, false, ""},
		{"no candidate", Verdict{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := base.Accept(tt.v)
			if ok != tt.want || ok && m.Channel != tt.channel {
				t.Errorf("Accept = %v via %q, want %v via %q", ok, m.Channel, tt.want, tt.channel)
			}
		})
	}
}

func TestNearCopies(t *testing.T) {
	tests := []struct {
		name string
		a, b []int
		want bool
	}{
		{"same rare features", []int{1, 2, 3, 4}, []int{1, 2, 3, 5}, true},
		{"different rare features", []int{1, 2, 3, 4}, []int{5, 6, 7, 4}, false},
		{"no rare features: look-alikes of an idiom", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearCopies(&scored{rare: tt.a}, &scored{rare: tt.b}); got != tt.want {
				t.Errorf("nearCopies = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestHoldersSet finds the same holders of a feature whichever way the
// posting is read: through its set, by merging, or by searching.
func TestHoldersSet(t *testing.T) {
	for _, step := range []uint32{1, 3, 17, 64, 200} {
		var posting []uint32
		for id := uint32(5); len(posting) < 2000; id += step + id%7 {
			posting = append(posting, id)
		}
		var ids []uint32
		for id := uint32(0); id < posting[len(posting)-1]+100; id += 11 {
			ids = append(ids, id)
		}
		cs := make([]*scored, len(ids))
		for i, id := range ids {
			cs[i] = &scored{u: &corpus.RewriteUnit{ID: id}}
		}
		l := newLooked(len(posting), posting)
		want := holders(nil, looked{units: posting}, ids, cs)          // merged: as many candidates as postings
		searched := holders(nil, looked{units: posting}, ids[:20], cs) // searched: the posting is long
		if got := holders(nil, l, ids, cs); !slices.Equal(got, want) {
			t.Errorf("step %d: set (%d words): %d holders, merge: %d", step, len(l.set), len(got), len(want))
		}
		if got := holders(nil, l, ids[:20], cs); !slices.Equal(got, searched) {
			t.Errorf("step %d: set and search differ on 20 candidates", step)
		}
		if (l.set != nil) != (step <= 17) { // a set only for postings denser than one unit in 64
			t.Errorf("step %d: set %v", step, l.set != nil)
		}
	}
}

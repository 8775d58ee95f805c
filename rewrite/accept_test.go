package rewrite

import (
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

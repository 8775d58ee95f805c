package rewrite

import "math"

// IDF is the weight of a feature held by df of n units: rare features
// weigh most. A feature no unit holds weighs as one held by a single unit.
func IDF(df, n int) float64 {
	return math.Log(float64(n+1) / float64(max(df, 1)))
}

// Weights are the weights of a bag's features, in the bag's order.
type Weights []float64

// Totals returns the sum of the weights of all features and of the
// anchors alone.
func Totals(b Bag, w Weights) (all, anchors float64) {
	for i, f := range b {
		all += w[i]
		if FamilyOf(f).Anchor() {
			anchors += w[i]
		}
	}
	return all, anchors
}

// Shared returns the weights (from w, the weights of a's features) of the
// features a and b share, over all families and over anchors alone.
func Shared(a Bag, w Weights, b Bag) (all, anchors float64) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			all += w[i]
			if FamilyOf(a[i]).Anchor() {
				anchors += w[i]
			}
			i++
			j++
		}
	}
	return all, anchors
}

// Jaccard is the weighted Jaccard similarity of two sets from the weight
// they share and their total weights.
func Jaccard(shared, totalA, totalB float64) float64 {
	u := totalA + totalB - shared
	if u <= 0 {
		return 0
	}
	return shared / u
}

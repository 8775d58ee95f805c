package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/snipscan/snipscan/rewrite"
)

// parseGrid parses thresholds
// "ratio/min-sim/min-anchors[/anchors-min-sim/min-rare[/high-sim/high-ratio]],...";
// a zero (or missing) anchors-min-sim, min-rare or high-sim turns that
// rule off.
func parseGrid(s string) ([]rewrite.FindOptions, error) {
	var out []rewrite.FindOptions
	for _, t := range strings.Split(s, ",") {
		parts := strings.Split(t, "/")
		if len(parts) != 3 && len(parts) != 5 && len(parts) != 7 {
			return nil, fmt.Errorf("rweval: threshold %q: want ratio/min-sim/min-anchors[/anchors-min-sim/min-rare[/high-sim/high-ratio]]", t)
		}
		var v [7]float64
		for i, p := range parts {
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return nil, fmt.Errorf("rweval: threshold %q: %w", t, err)
			}
			v[i] = f
		}
		for i := 3; i < 6; i++ {
			if v[i] == 0 {
				v[i] = -1 // off, not the default
			}
		}
		out = append(out, rewrite.FindOptions{Ratio: v[0], MinSim: v[1], MinAnchors: v[2], AnchorsMinSim: v[3], MinRare: int(v[4]), HighSim: v[5], HighRatio: v[6]})
	}
	return out, nil
}

// point is the figures at one threshold.
type point struct {
	o                    rewrite.FindOptions
	found, wrong, tried  [2]int // tuning, held-out
	flags, copies, funcs [2]int // false flags, genuine copies flagged
	scanned              [2]int
}

// measure computes the figures at threshold o.
func measure(o rewrite.FindOptions, rw []rewritten, sets []unrelatedSet, k *knownCopies) point {
	p := point{o: o}
	for _, r := range rw {
		h := half(!r.heldOut)
		p.tried[h]++
		ms := o.Matches(r.verdicts)
		hit := false
		for _, m := range ms {
			hit = hit || r.origin[m.Source.ID]
		}
		switch {
		case hit:
			p.found[h]++
		case len(ms) > 0:
			p.wrong[h]++
		}
	}
	for i := range sets {
		h := half(sets[i].tune)
		fl, cp := sets[i].flagged(o, k)
		p.flags[h] += fl - cp
		p.copies[h] += cp
		p.funcs[h] += sets[i].funcs
		p.scanned[h] += sets[i].scanned
	}
	return p
}

// half is 0 for tuning data, 1 for held-out data.
func half(tune bool) int {
	if tune {
		return 0
	}
	return 1
}

func pct(a, b int) float64      { return 100 * float64(a) / float64(max(b, 1)) }
func perMille(a, b int) float64 { return 1000 * float64(a) / float64(max(b, 1)) }

// printSweep prints the figures of every threshold of grid, per unrelated
// directory at the end, and the threshold picked on tuning data.
func printSweep(w io.Writer, grid []rewrite.FindOptions, rw []rewritten, sets []unrelatedSet, maxFlags float64, k *knownCopies, re *reimpls) {
	fmt.Fprintf(w, "threshold (ratio/sim/anchors/anchors-min-sim/min-rare/high-sim/high-ratio) | tuning: recall, wrong source, false flags (+ copies) in functions (per 1000) | held-out: the same (per 1000 functions; per 1000 scanned)\n")
	best := -1
	var pts []point
	for i, o := range grid {
		p := measure(o, rw, sets, k)
		pts = append(pts, p)
		fmt.Fprintf(w, "%s | %d/%d (%.1f%%), %d, %d (+%d) in %d (%.2f) | %d/%d (%.1f%%), %d, %d (+%d) in %d (%.2f; %.2f)\n",
			thr(o),
			p.found[0], p.tried[0], pct(p.found[0], p.tried[0]), p.wrong[0], p.flags[0], p.copies[0], p.funcs[0], perMille(p.flags[0], p.funcs[0]),
			p.found[1], p.tried[1], pct(p.found[1], p.tried[1]), p.wrong[1], p.flags[1], p.copies[1], p.funcs[1], perMille(p.flags[1], p.funcs[1]), perMille(p.flags[1], p.scanned[1]))
		_, reTune := re.flagged(o)
		if perMille(p.flags[0], p.funcs[0]) <= maxFlags && reTune == 0 && (best < 0 || p.found[0] > pts[best].found[0]) {
			best = i
		}
	}
	for _, s := range sets {
		o := grid[max(best, 0)]
		fmt.Fprintf(w, "  %s (%s): %d files, %d functions, %d scanned, %d flagged at %s\n",
			s.dir, map[bool]string{true: "tuning", false: "held-out"}[s.tune], s.files, s.funcs, s.scanned, first(s.flagged(o, k)), thr(o))
	}
	if best >= 0 {
		o := grid[best]
		fmt.Fprintf(w, "picked on tuning data (the best recall with false flags <= %.1f per 1,000 and no reimplementation flagged): %s\n", maxFlags, thr(o))
	}
}

// thr formats a threshold as the grid spells it.
func thr(o rewrite.FindOptions) string {
	off := func(x float64) float64 { return max(x, 0) }
	return fmt.Sprintf("%g/%g/%g/%g/%g/%g/%g", o.Ratio, o.MinSim, o.MinAnchors, off(o.AnchorsMinSim), off(float64(o.MinRare)), off(o.HighSim), off(o.HighRatio))
}

// first returns the first of two values.
func first(a, _ int) int { return a }

// printByTransformation prints, at thresholds o (the defaults), the recall of the
// rewrites (both halves) to which each transformation applied.
func printByTransformation(w io.Writer, rw []rewritten, o rewrite.FindOptions) {
	found, tried := map[string]int{}, map[string]int{}
	var names []string
	for _, r := range rw {
		hit := false
		for _, m := range o.Matches(r.verdicts) {
			hit = hit || r.origin[m.Source.ID]
		}
		for _, t := range strings.Split(r.applied, ",") {
			if tried[t] == 0 {
				names = append(names, t)
			}
			tried[t]++
			if hit {
				found[t]++
			}
		}
	}
	slices.Sort(names)
	fmt.Fprintf(w, "recall by transformation at the default thresholds (both halves):")
	for _, t := range names {
		fmt.Fprintf(w, " %s %d/%d", t, found[t], tried[t])
	}
	fmt.Fprintln(w)
}

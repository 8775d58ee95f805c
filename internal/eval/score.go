package eval

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// Finding is one reuse a tool reported, in the form every tool can give.
type Finding struct {
	Target  string // absolute path
	TLines  [2]int
	Source  string // absolute path
	SLines  [2]int
	License string // "" for tools that do not report one
	// Alternates are other corpus places holding the same code, as
	// (absolute path, lines); a case counts as found when its source is the
	// origin or one of them.
	Alternates []Finding
}

// Tolerance is how far, in lines, a reported range may be from the truth
// at either end and still count as found.
const Tolerance = 3

// ConfirmLines is how many normalized lines the aligner must find shared
// for a finding outside the planted copies to count as real reuse.
const ConfirmLines = 8

// ClassScore scores one class of cases.
type ClassScore struct {
	Class     string
	Cases     int
	Found     int // right source, both ranges within Tolerance
	Within2   int // of Found: both ranges within 2 lines
	LicenseOK int // of Found: the license of the case's root
	ErrSum    int // of Found: sum of the largest end error, for the mean
}

// Recall is Found / Cases.
func (c ClassScore) Recall() float64 { return ratio(c.Found, c.Cases) }

// Score is a tool's result on a set.
type Score struct {
	Tool     string
	Classes  []*ClassScore
	Total    ClassScore // over every class
	Findings int        // every finding reported
	// Correct findings point at a planted copy (its source file, or an
	// alternate, with overlapping ranges); Confirmed ones are real reuse the
	// aligner confirms elsewhere (host code, held-out modules); the rest are
	// false positives.
	Correct, Confirmed, FalsePositive int
	IdiomFindings                     int
	FalsePositives                    []string // descriptions, for the report
	Mismatched                        []string // found cases with a license other than expected
	Missed                            []string // cases not found, with what the tool said in their files
}

// Precision is (Correct + Confirmed) / Findings.
func (s *Score) Precision() float64 {
	if s.Findings == 0 {
		return 1
	}
	return ratio(s.Correct+s.Confirmed, s.Findings)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

func overlap(a, b [2]int) bool { return a[0] <= b[1] && b[0] <= a[1] }

// rangeErr is the largest distance between the ends of two ranges.
func rangeErr(a, b [2]int) int { return max(absDiff(a[0], b[0]), absDiff(a[1], b[1])) }

// Evaluate scores findings against the set. checkLicense says whether the
// tool reports licenses. Files are read for the aligner.
func Evaluate(tool string, set *Set, findings []Finding, checkLicense bool) *Score {
	s := &Score{Tool: tool, Findings: len(findings)}
	byTarget := map[string][]*Finding{}
	for i := range findings {
		f := &findings[i]
		byTarget[filepath.Clean(f.Target)] = append(byTarget[filepath.Clean(f.Target)], f)
	}
	classes := map[string]*ClassScore{}
	for _, c := range Classes() {
		cs := &ClassScore{Class: c}
		classes[c] = cs
		s.Classes = append(s.Classes, cs)
	}
	correct := map[*Finding]bool{}
	for _, c := range set.Cases {
		cs := classes[c.Class]
		cs.Cases++
		// Every finding naming the case's source (as origin or alternate)
		// with ranges overlapping the truth; a copy reported in pieces
		// (a split function, say) is judged on the union of the pieces.
		bestErr := -1
		var bestF *Finding
		var tu, su [2]int
		for _, f := range byTarget[filepath.Clean(c.Target)] {
			// The case's own source file first, among origin and
			// alternates; then a twin holding its code, whose lines are
			// judged against where the twin holds it.
			cands := append([]Finding{*f}, f.Alternates...)
			slices.SortStableFunc(cands, func(a, b Finding) int {
				return cmp.Compare(b0(filepath.Clean(a.Source) == filepath.Clean(c.Source)), b0(filepath.Clean(b.Source) == filepath.Clean(c.Source)))
			})
			for _, cand := range cands {
				if filepath.Clean(cand.Source) != filepath.Clean(c.Source) {
					lines, ok := sameCode(cand, c)
					if !ok {
						continue
					}
					cand.SLines = shift(cand.SLines, lines, c.SLines)
				}
				if !overlap(f.TLines, c.TLines) || !overlap(cand.SLines, c.SLines) {
					continue
				}
				correct[f] = true
				if bestF == nil {
					tu, su = f.TLines, cand.SLines
				} else {
					tu = [2]int{min(tu[0], f.TLines[0]), max(tu[1], f.TLines[1])}
					su = [2]int{min(su[0], cand.SLines[0]), max(su[1], cand.SLines[1])}
				}
				bestF = f
				break
			}
		}
		if bestF != nil {
			bestErr = max(rangeErr(tu, c.TLines), rangeErr(su, c.SLines))
			if c.AltTLines[0] > 0 {
				bestErr = min(bestErr, max(rangeErr(tu, c.AltTLines), rangeErr(su, c.AltSLines)))
			}
		}
		if bestErr < 0 || bestErr > Tolerance {
			var got []string
			for _, f := range byTarget[filepath.Clean(c.Target)] {
				got = append(got, fmt.Sprintf("%d-%d from %s:%d-%d", f.TLines[0], f.TLines[1], f.Source, f.SLines[0], f.SLines[1]))
			}
			s.Missed = append(s.Missed, fmt.Sprintf("%s %s lines %d-%d <- %s:%d-%d (%s); tool: %v", c.Class, c.Target,
				c.TLines[0], c.TLines[1], c.Source, c.SLines[0], c.SLines[1], c.Func, got))
			continue
		}
		cs.Found++
		cs.ErrSum += bestErr
		if bestErr <= 2 {
			cs.Within2++
		}
		if checkLicense {
			if bestF.License == c.Root.License {
				cs.LicenseOK++
			} else {
				s.Mismatched = append(s.Mismatched, fmt.Sprintf("%s (%s): got %q, want %q", c.SourceRel, c.Root.Name, bestF.License, c.Root.License))
			}
		}
	}
	idiom := map[string]bool{}
	for _, n := range set.Negatives {
		if n.Class == "idiom" {
			idiom[filepath.Clean(n.Target)] = true
		}
	}
	for i := range findings {
		f := &findings[i]
		if correct[f] {
			s.Correct++
			continue
		}
		if idiom[filepath.Clean(f.Target)] {
			s.IdiomFindings++
			s.FalsePositive++
			s.FalsePositives = append(s.FalsePositives, describe(f, "idiom"))
			continue
		}
		if run, ok := confirm(f); ok {
			_ = run
			s.Confirmed++
			continue
		}
		s.FalsePositive++
		s.FalsePositives = append(s.FalsePositives, describe(f, "not confirmed by the aligner"))
	}
	for _, cs := range s.Classes {
		s.Total.Cases += cs.Cases
		s.Total.Found += cs.Found
		s.Total.Within2 += cs.Within2
		s.Total.LicenseOK += cs.LicenseOK
		s.Total.ErrSum += cs.ErrSum
	}
	sort.Strings(s.FalsePositives)
	return s
}

func describe(f *Finding, why string) string {
	return fmt.Sprintf("%s:%d-%d from %s:%d-%d (%s)", filepath.Base(f.Target), f.TLines[0], f.TLines[1],
		f.Source, f.SLines[0], f.SLines[1], why)
}

// sameCode reports whether a finding names another corpus file that holds
// the case's source code verbatim at the reported lines (platform variants
// of one function, copies inside the corpus): that is a right answer too.
// It returns the lines of the twin that match the case's source lines
// (the longest run shared, widened by what the case's range holds around
// it).
func sameCode(f Finding, c *Case) ([2]int, bool) {
	a, err1 := os.ReadFile(f.Source)
	b, err2 := os.ReadFile(c.Source)
	if err1 != nil || err2 != nil {
		return [2]int{}, false
	}
	want := len(normalize(string(b), c.SLines[0], c.SLines[1]).lines)
	run := LongestRun(string(a), max(1, f.SLines[0]-Tolerance), f.SLines[1]+Tolerance, string(b), c.SLines[0], c.SLines[1])
	ok := want > 0 && !run.Normalized && run.A[1]-run.A[0] >= 0 && 10*countLines(run) >= 9*want
	return [2]int{run.A[0] - (run.B[0] - c.SLines[0]), run.A[1] + (c.SLines[1] - run.B[1])}, ok
}

// shift maps reported lines of a twin onto the case's source: twin lines
// at the twin's copy of the code (at) stand for the case's lines (to), so
// an error of n lines in the twin is an error of n lines in the case.
func shift(reported, at, to [2]int) [2]int {
	return [2]int{reported[0] - at[0] + to[0], reported[1] - at[1] + to[1]}
}

func b0(ok bool) int {
	if ok {
		return 0
	}
	return 1
}

func countLines(r Run) int { return r.B[1] - r.B[0] + 1 }

// confirm asks the aligner whether a finding is real reuse: a run of at
// least ConfirmLines normalized lines shared by the two ranges (widened by
// a few lines, since tools report ranges a little loosely).
func confirm(f *Finding) (Run, bool) {
	a, err1 := os.ReadFile(f.Target)
	b, err2 := os.ReadFile(f.Source)
	if err1 != nil || err2 != nil {
		return Run{}, false
	}
	const slack = 5
	run := LongestRun(string(a), max(1, f.TLines[0]-slack), f.TLines[1]+slack, string(b), max(1, f.SLines[0]-slack), f.SLines[1]+slack)
	return run, run.Lines >= ConfirmLines
}

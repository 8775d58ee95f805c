package license

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/google/licensecheck"
)

// subsetIDs are the licensecheck licenses of the small scanner built on
// first use: the common licenses, their GNU notice forms, and
// extraLicenses. Everything else waits for the full scanner.
var subsetIDs = []string{
	"MIT", "MIT-0", "ISC", "0BSD", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause",
	"Apache-2.0", "MPL-2.0", "EPL-1.0", "EPL-2.0", "BSL-1.0", "Zlib", "Unlicense", "CC0-1.0",
	"GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later",
	"LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later",
	"LGPL-2.0-only", "LGPL-2.0-or-later", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later",
}

// extraLicenses are snipscan's own LRE patterns for notices licensecheck
// v0.3.1 does not know. They take part in both scanners.
var extraLicenses = []licensecheck.License{
	{
		ID: "LicenseRef-Public-Domain",
		LRE: `
((is || are || has been || have been || was || were))
((hereby))??
((placed || released || dedicated || put || committed))
((in || into || to))
the public domain
`,
	},
	{
		ID: "LicenseRef-Public-Domain",
		LRE: `
((is || are))
((entirely || hereby))??
in the public domain
`,
	},
}

// lazyScanner builds a licensecheck scanner on first use.
type lazyScanner struct {
	once   sync.Once
	s      *licensecheck.Scanner
	err    error
	lreLen map[string]int // length in bytes of each license's LRE, by ID
	n      int            // number of licenses
}

func (l *lazyScanner) get(full bool) (*licensecheck.Scanner, error) {
	l.once.Do(func() {
		list := scannerLicenses(full)
		l.n = len(list)
		l.lreLen = map[string]int{}
		for _, lic := range list {
			l.lreLen[lic.ID] = max(l.lreLen[lic.ID], len(lic.LRE))
		}
		l.s, l.err = licensecheck.NewScanner(list)
		if l.err != nil {
			l.err = fmt.Errorf("license: build licensecheck scanner (full=%v): %w", full, l.err)
		}
	})
	return l.s, l.err
}

// scannerLicenses returns the license list of the subset or full scanner.
func scannerLicenses(full bool) []licensecheck.License {
	var list []licensecheck.License
	for _, l := range licensecheck.BuiltinLicenses() {
		if full || slices.Contains(subsetIDs, l.ID) && l.LRE != "" {
			list = append(list, l)
		}
	}
	return append(list, extraLicenses...)
}

// lcID converts a licensecheck license ID to an SPDX expression. IDs
// outside SPDX become LicenseRef-licensecheck-<ID>; "GPL-2.0-or-3.0"
// becomes "GPL-2.0-only OR GPL-3.0-only"; the deprecated bare GNU IDs
// of full license texts become their -only forms.
func lcID(id string) *expr {
	if id == "GPL-2.0-or-3.0" {
		return join(opOr, leaf("GPL-2.0-only"), leaf("GPL-3.0-only"))
	}
	if strings.HasPrefix(id, "LicenseRef-") {
		return leaf(id)
	}
	if e, ok := canonicalID(id, false); ok {
		return e
	}
	return leaf("LicenseRef-licensecheck-" + sanitizeRef(id))
}

// candidateIndex picks, for one text, the licenses of the full set whose
// LRE vocabulary the text covers well, so that Header can scan a rare
// license with a scanner of a few candidates (tens of milliseconds)
// instead of building the full set (seconds).
type candidateIndex struct {
	once  sync.Once
	lics  []licensecheck.License
	words [][]string // distinct literal words of each LRE

	mu       sync.Mutex
	scanners map[string]*lazyCandidates
}

type lazyCandidates struct {
	once   sync.Once
	s      *licensecheck.Scanner
	lreLen map[string]int
}

// maxCandidates bounds a candidate scanner; candidateCache bounds the
// number of candidate scanners kept.
const (
	maxCandidates  = 12
	candidateCache = 64
	candidateScore = 0.6
	// candidatePrefix is how many bytes of each LRE feed the vocabulary.
	candidatePrefix = 1500
)

func (x *candidateIndex) init() {
	x.once.Do(func() {
		for _, l := range scannerLicenses(true) {
			if l.LRE == "" {
				continue
			}
			seen := map[string]bool{}
			var ws []string
			// The opening of a license is enough to pick candidates.
			lre := l.LRE[:min(len(l.LRE), candidatePrefix)]
			for _, w := range splitWords(lowerASCII([]byte(lre))) {
				if strings.HasPrefix(w.w, "__") || len(w.w) < 3 || seen[w.w] {
					continue
				}
				seen[w.w] = true
				ws = append(ws, w.w)
			}
			x.lics = append(x.lics, l)
			x.words = append(x.words, ws)
		}
		x.scanners = map[string]*lazyCandidates{}
	})
}

// scanner returns a scanner of the candidate licenses for a text with
// words ws, or nil when no license is a candidate.
func (x *candidateIndex) scanner(ws []word) (*licensecheck.Scanner, map[string]int, error) {
	x.init()
	have := make(map[string]bool, len(ws))
	for _, w := range ws {
		have[w.w] = true
	}
	type cand struct {
		i     int
		score float64
	}
	var cands []cand
	for i, lw := range x.words {
		if len(lw) == 0 {
			continue
		}
		hit := 0
		for _, w := range lw {
			if have[w] {
				hit++
			}
		}
		if s := float64(hit) / float64(len(lw)); s >= candidateScore {
			cands = append(cands, cand{i, s})
		}
	}
	if len(cands) == 0 {
		return nil, nil, nil
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	slices.SortFunc(cands, func(a, b cand) int { return a.i - b.i })
	var list []licensecheck.License
	var key strings.Builder
	for _, c := range cands {
		list = append(list, x.lics[c.i])
		key.WriteString(x.lics[c.i].ID)
		key.WriteByte('\n')
	}
	x.mu.Lock()
	lc := x.scanners[key.String()]
	if lc == nil {
		if len(x.scanners) >= candidateCache {
			x.scanners = map[string]*lazyCandidates{}
		}
		lc = &lazyCandidates{}
		x.scanners[key.String()] = lc
	}
	x.mu.Unlock()
	var err error
	lc.once.Do(func() {
		lc.lreLen = map[string]int{}
		for _, l := range list {
			lc.lreLen[l.ID] = max(lc.lreLen[l.ID], len(l.LRE))
		}
		lc.s, err = licensecheck.NewScanner(list)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("license: build candidate scanner: %w", err)
	}
	return lc.s, lc.lreLen, nil
}

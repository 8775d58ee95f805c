package policy

import (
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Globs is a set of doublestar patterns of slash paths, compiled once: a
// path matches when a pattern matches it, or when it lies below a
// directory a pattern names ("third_party" leaves out what is below it).
// The policy's exclude and scan's --exclude are Globs.
type Globs struct {
	patterns []string // cleaned (CleanGlob)
	below    []string // each pattern's directory form: pattern/**
}

// CleanGlob returns pattern as Globs match it ("./" and surrounding space
// trimmed), or an error when it is empty or not a valid doublestar glob.
func CleanGlob(pattern string) (string, error) {
	g := strings.TrimPrefix(strings.TrimSpace(pattern), "./")
	if g == "" || !doublestar.ValidatePattern(g) {
		return "", fmt.Errorf("%q is not a valid glob", pattern)
	}
	return g, nil
}

// Add adds a pattern to the set (CleanGlob).
func (g *Globs) Add(pattern string) error {
	p, err := CleanGlob(pattern)
	if err != nil {
		return err
	}
	g.patterns = append(g.patterns, p)
	g.below = append(g.below, strings.TrimSuffix(p, "/")+"/**")
	return nil
}

// Match reports whether the slash path rel matches a pattern of the set,
// or lies below a directory one names.
func (g *Globs) Match(rel string) bool {
	for i, p := range g.patterns {
		if ok, _ := doublestar.Match(p, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(g.below[i], rel); ok {
			return true
		}
	}
	return false
}

// Len returns the number of patterns.
func (g *Globs) Len() int { return len(g.patterns) }

// String returns the patterns, separated by commas.
func (g *Globs) String() string { return strings.Join(g.patterns, ", ") }

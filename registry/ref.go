// Package registry fetches packages named by reference from their
// registries (Go modules through GOPROXY, npm packages from the npm
// registry), verified by each ecosystem's own means, into each
// ecosystem's cache, for the indexer to index the extracted trees.
package registry

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/snipscan/snipscan/registry/npm"
	"golang.org/x/mod/module"
)

// Ecosystems of references.
const (
	Go  = "go"
	NPM = "npm"
)

// Ref names a package version in a registry: "go:golang.org/x/net@v0.30.0",
// "npm:@babel/core@latest". Without "@", the version is "latest".
type Ref struct {
	Ecosystem string // Go or NPM
	Name      string // a module path, an npm name with its scope
	Query     string // a version, "latest" (Go), or a version, dist-tag or range (npm)
	// Want is the hash the fetched package must have, when its source
	// says (a go.sum's h1: for a module's zip, a lock file's integrity);
	// WantMod, a go.sum's h1: for the module's go.mod.
	Want, WantMod string
	// From says where the reference was read, for messages ("deps.txt:3").
	From string
}

// String spells r as it is written on the command line.
func (r Ref) String() string { return r.Ecosystem + ":" + r.Name + "@" + r.Query }

// IsRef reports whether a command-line argument is a reference rather
// than a path: it starts with "go:" or "npm:".
func IsRef(arg string) bool {
	return strings.HasPrefix(arg, Go+":") || strings.HasPrefix(arg, NPM+":")
}

// ParseRef reads a reference.
func ParseRef(s string) (Ref, error) {
	eco, rest, ok := strings.Cut(s, ":")
	if !ok || eco != Go && eco != NPM {
		return Ref{}, fmt.Errorf("%q: want go:MODULE@VERSION or npm:NAME@VERSION", s)
	}
	r := Ref{Ecosystem: eco, Name: rest, Query: "latest"}
	// An npm scope starts with "@": the version's "@" is the last one
	// after the first character.
	if i := strings.LastIndexByte(rest, '@'); i > 0 {
		r.Name, r.Query = rest[:i], rest[i+1:]
	}
	if r.Name == "" || r.Query == "" {
		return Ref{}, fmt.Errorf("%q: a name and a version are needed", s)
	}
	check := module.CheckPath
	if eco == NPM {
		check = npm.CheckName
	}
	if err := check(r.Name); err != nil {
		return Ref{}, fmt.Errorf("%q: %w", s, err)
	}
	return r, nil
}

// ReadList reads a list of references, one a line; blank lines and those
// starting with "#" are skipped, as is what follows " #" on a line. name
// is the list's file name, for messages.
func ReadList(name string, data []byte) ([]Ref, error) {
	var refs []Ref
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r, err := ParseRef(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		r.From = fmt.Sprintf("%s:%d", name, n)
		refs = append(refs, r)
	}
	return refs, sc.Err()
}

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"
)

// Family is the kind of a feature: the top three bits of its hash.
type Family uint8

// The feature families. The first four are anchors.
const (
	FamCall    Family = iota // external API calls, references and selectors
	FamLit                   // literals
	FamType                  // type shapes
	FamBuiltin               // builtin calls
	FamExpr                  // abstracted expression subtrees
	FamCond                  // conditions and statement shapes
	FamPath                  // control paths
	FamDefUse                // def-use pairs of locals
)

// FeatureVersion changes whenever the features of a function change: a
// corpus records it, and features of another version cannot be compared.
const FeatureVersion = 1

// familyShift places the family in the top bits of a feature hash.
const familyShift = 29

// FamilyOf returns the family of feature f.
func FamilyOf(f uint32) Family { return Family(f >> familyShift) }

// Anchor reports whether fam is an anchor family (APIs, literals, types,
// builtins).
func (fam Family) Anchor() bool { return fam <= FamBuiltin }

// FNV-1a, 64 bits: the hash of features.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvAdd continues the FNV-1a hash h over s: hashing the parts of a
// string one after the other gives the hash of the whole string, with no
// string built.
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// fnvAddBytes continues the FNV-1a hash h over b.
func fnvAddBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// feature hashes s into family fam.
func feature(fam Family, s string) uint32 { return featureHash(fam, fnvAdd(fnvOffset, s)) }

// featureHash makes the FNV-1a hash h of a feature's text its hash in
// family fam.
func featureHash(fam Family, h uint64) uint32 {
	h ^= h >> 32
	return uint32(h)&(1<<familyShift-1) | uint32(fam)<<familyShift
}

// Bag is a sorted set of feature hashes.
type Bag []uint32

// bagOf returns the sorted set of the features in fs (which it sorts).
func bagOf(fs []uint32) Bag {
	slices.Sort(fs)
	return slices.Clone(slices.Compact(fs))
}

// Union returns the sorted union of bags.
func Union(bags ...Bag) Bag {
	var out Bag
	for _, b := range bags {
		out = append(out, b...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fileFacts are what feature extraction needs to know of a whole file.
type fileFacts struct {
	imports map[string]string // name -> import path
	members map[string]bool   // fields and methods of types the file declares
}

func newFileFacts(file *ast.File) *fileFacts {
	ff := &fileFacts{imports: map[string]string{}, members: map[string]bool{}}
	for _, imp := range file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name := ImportName(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name != "_" && name != "." {
			ff.imports[name] = p
		}
	}
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				ff.members[d.Name.Name] = true
			}
		case *ast.GenDecl:
			if d.Tok != token.TYPE {
				continue
			}
			for _, s := range d.Specs {
				ts := s.(*ast.TypeSpec)
				var fl *ast.FieldList
				switch t := ts.Type.(type) {
				case *ast.StructType:
					fl = t.Fields
				case *ast.InterfaceType:
					fl = t.Methods
				}
				if fl == nil {
					continue
				}
				for _, f := range fl.List {
					for _, n := range f.Names {
						ff.members[n.Name] = true
					}
				}
			}
		}
	}
	return ff
}

// ImportName guesses the name a package is imported under from its
// path: its last element, without a major-version element ("/v2"), a
// gopkg.in ".vN" suffix, a "go-" prefix or what precedes a last '-' or
// '.' ("go-yaml" and "yaml.v3" are yaml).
func ImportName(p string) string {
	elems := strings.Split(p, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && isDigits(name[1:]) {
		name = elems[len(elems)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 && isDigits(name[i+2:]) {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "go-")
	if i := strings.LastIndexAny(name, "-."); i >= 0 {
		name = name[i+1:]
	}
	return name
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// apiGroups maps qualified APIs that rewrites swap for each other to one
// name. Keys are "path.Name".
var apiGroups = map[string]string{
	"strings.Index":         "strings.Cut",
	"strings.IndexByte":     "strings.Cut",
	"strings.IndexRune":     "strings.Cut",
	"strings.SplitN":        "strings.Cut",
	"strings.LastIndex":     "strings.CutLast",
	"strings.LastIndexByte": "strings.CutLast",
	"strings.HasPrefix":     "strings.CutPrefix",
	"strings.TrimPrefix":    "strings.CutPrefix",
	"strings.HasSuffix":     "strings.CutSuffix",
	"strings.TrimSuffix":    "strings.CutSuffix",
	"sort.Slice":            "sort.Slice",
	"sort.SliceStable":      "sort.Slice",
	"sort.Sort":             "sort.Slice",
	"sort.Stable":           "sort.Slice",
	"slices.SortFunc":       "sort.Slice",
	"slices.SortStableFunc": "sort.Slice",
	"sort.Strings":          "slices.Sort",
	"sort.Ints":             "slices.Sort",
	"bytes.Buffer":          "strings.Builder",
	"errors.New":            "fmt.Errorf",
	"sort.Search":           "slices.BinarySearch",
	"slices.BinarySearch":   "slices.BinarySearch",
	"slices.Contains":       "slices.Index",
}

// qualified returns the grouped name of API name in the package imported
// as path.
func qualified(path, name string) string { return string(appendQualified(nil, path, name)) }

// appendQualified appends qualified(path, name) to b.
func appendQualified(b []byte, path, name string) []byte {
	if path == "bytes" {
		path = "strings" // bytes and strings mirror each other
	}
	start := len(b)
	b = append(append(append(b, path...), '.'), name...)
	if g, ok := apiGroups[string(b[start:])]; ok { // no allocation: a lookup
		return append(b[:start], g...)
	}
	return b
}

// Predeclared reports whether name is one of Go's predeclared
// identifiers (types, constants, nil, builtin functions), which no
// renaming changes.
func Predeclared(name string) bool { return types.Universe.Lookup(name) != nil }

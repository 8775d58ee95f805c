package report

// What the SBOM renderers share: the clock and file-reading seams of
// Options, the grouping of findings by the package they were copied from
// and by the scanned target they lie in, license expressions, and
// identifiers derived from the document.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/snipscan/snipscan/license"
)

// created returns the document's creation time: UTC, whole seconds.
func (o Options) created() time.Time {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	return now().UTC().Truncate(time.Second)
}

// readFile reads a target file through o.ReadFile, or os.ReadFile.
func (o Options) readFile(path string) ([]byte, error) {
	if o.ReadFile != nil {
		return o.ReadFile(path)
	}
	return os.ReadFile(path)
}

// hit is one finding with the file it was found in.
type hit struct {
	file  *File
	match *Match
}

// origin is where findings came from: a source package, or for code
// indexed without package metadata (a plain directory), the indexed root.
type origin struct {
	key     string // what the findings are grouped by, unique and stable
	name    string
	version string
	purl    string
	root    string // set for an origin without package
	hits    []hit
}

// origins groups doc's findings by origin, sorted by key. A package is
// known by its purl, else by name and version; an origin without package
// by its root.
func origins(doc *Document) []*origin {
	byKey := map[string]*origin{}
	var out []*origin
	for i := range doc.Files {
		f := &doc.Files[i]
		for j := range f.Matches {
			m := &f.Matches[j]
			s := m.Source
			o := &origin{name: s.Package, version: s.Version, purl: s.PURL}
			switch {
			case s.PURL != "":
				o.key = s.PURL
			case s.Package != "":
				o.key = "package:" + s.Package + "@" + s.Version
			default:
				o.key, o.name, o.version, o.root = "root:"+s.Root, s.Root, "", s.Root
				if o.name == "" {
					o.name = "unknown origin"
				}
			}
			if prev, ok := byKey[o.key]; ok {
				o = prev
			} else {
				byKey[o.key] = o
				out = append(out, o)
			}
			o.hits = append(o.hits, hit{f, m})
		}
	}
	slices.SortFunc(out, func(a, b *origin) int { return strings.Compare(a.key, b.key) })
	return out
}

// licenses returns the distinct licenses of o's findings, in the order
// found, the unknown ("") left out.
func (o *origin) licenses() []string {
	var out []string
	for _, h := range o.hits {
		if l := h.match.Source.License; l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// copyrights returns the distinct copyright statements of o's findings,
// in the order found.
func (o *origin) copyrights() []string {
	var out []string
	for _, h := range o.hits {
		for _, c := range h.match.Source.Copyrights {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// targetOf returns the index in targets of the PATH argument that the
// target file path lies under (the longest one: paths are the PATH
// argument joined with the file's path below it), or -1.
func targetOf(targets []string, path string) int {
	best := -1
	for i, t := range targets {
		if t == "" || best >= 0 && len(t) <= len(targets[best]) {
			continue
		}
		rest, ok := strings.CutPrefix(path, t)
		if ok && (rest == "" || os.IsPathSeparator(rest[0]) || os.IsPathSeparator(t[len(t)-1])) {
			best = i
		}
	}
	return best
}

// relPath returns the slash path of file below target (its base name when
// the target is the file itself).
func relPath(target, file string) string {
	rest := strings.TrimLeft(strings.TrimPrefix(file, target), "/"+string(filepath.Separator))
	if rest == "" {
		rest = filepath.Base(file)
	}
	return filepath.ToSlash(rest)
}

// canonicalLicense returns the canonical SPDX form of a source's license
// expression, or "" when it is empty or not an SPDX expression.
func canonicalLicense(expr string) string {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return ""
	}
	return license.ParseDeclared(expr)
}

// licenseIDs returns the identifiers (licenses and exceptions) of a
// canonical SPDX expression.
func licenseIDs(expr string) []string {
	return strings.FieldsFunc(expr, func(r rune) bool { return r == ' ' || r == '(' || r == ')' })
}

// docHash starts a hash of what identifies a rendering of doc in format:
// the tool, the creation time, the targets and every finding (its file,
// ID and ranges, whether its source changed or is gone, the license
// chosen). Renderers add what else they put in (file checksums)
// before deriving an identifier with hashUUID.
func docHash(format string, doc *Document, created time.Time) hash.Hash {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", format, doc.Tool.Name, doc.Tool.Version, created.Format(time.RFC3339))
	for _, t := range doc.Targets {
		fmt.Fprintf(h, "target\x00%s\x00", t)
	}
	for _, f := range doc.Files {
		fmt.Fprintf(h, "file\x00%s\x00", f.Path)
		for _, m := range f.Matches {
			fmt.Fprintf(h, "%s\x00%v\x00%v\x00%s\x00%v\x00", m.ID, m.Lines, m.Bytes, m.Source.Path, m.Source.Lines)
			if st := sourceState(m.Source); st != "" {
				fmt.Fprintf(h, "state\x00%s\x00", st)
			}
			if c := m.Policy.LicenseChoice; c != "" {
				fmt.Fprintf(h, "choice\x00%s\x00", c)
			}
		}
	}
	return h
}

// hashUUID formats the first 16 bytes of h's sum as a UUID of version 8,
// the RFC 9562 version for custom, here content-derived, UUIDs.
func hashUUID(h hash.Hash) string {
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x80 // version 8
	b[8] = b[8]&0x3f | 0x80 // variant 10
	x := hex.EncodeToString(b)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// uniqueIDs hands out identifiers unique within one document: the second
// use of an identifier gets the suffix -2, the third -3, and so on.
type uniqueIDs map[string]int

func (u uniqueIDs) get(id string) string {
	u[id]++
	if n := u[id]; n > 1 {
		return fmt.Sprintf("%s-%d", id, n)
	}
	return id
}

// shortHash returns 16 hex digits of the SHA-256 of s, for identifiers.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// findingContext describes a finding in one line, for the comments of
// SBOM documents: "snippet from container/list/list.go lines 40-86
// (stdlib@1.26.8): matched 0.944, exact 0.812", or for a rewrite
// "probable rewrite of Reader.Seek in strings/reader.go lines 111-130
// (...): similarity 0.56, confidence 1; shares io.SeekStart ...".
func findingContext(m *Match) string {
	var b strings.Builder
	if m.Kind == "rewrite" {
		fmt.Fprintf(&b, "probable rewrite, as %s, of %s lines %d-%d", m.Function, m.Source.Path, m.Source.Lines[0], m.Source.Lines[1])
	} else {
		fmt.Fprintf(&b, "%s from %s lines %d-%d", m.Kind, m.Source.Path, m.Source.Lines[0], m.Source.Lines[1])
	}
	if pkg := packageLabel(m.Source); pkg != "" {
		fmt.Fprintf(&b, " (%s)", pkg)
	}
	fmt.Fprintf(&b, ": %s", measures(m))
	return b.String()
}

// measures says how much of a finding matched: "matched 0.944, exact
// 0.812" for a copy; for a rewrite, which shares no text, "similarity
// 0.56, confidence 1; shares io.SeekStart ..." (its rare evidence).
func measures(m *Match) string {
	if m.Kind != "rewrite" {
		return fmt.Sprintf("matched %g, exact %g", m.Matched, m.Exact)
	}
	s := fmt.Sprintf("similarity %g, confidence %g", m.Similarity, m.Confidence)
	if len(m.Evidence) > 0 {
		s += "; shares " + strings.Join(m.Evidence, " ")
	}
	return s
}

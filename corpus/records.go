package corpus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/snipscan/snipscan/fingerprint"
)

// Root is an indexed root: a directory or an archive.
type Root struct {
	ID      uint32    `json:"id"`
	Path    string    `json:"path"` // absolute path of the directory or archive
	Kind    string    `json:"kind"` // "dir", "zip" or "tar"
	Indexed time.Time `json:"indexed"`
}

// Package is a software package that holds indexed files. A package with
// a version is recorded once (see Writer.Package): RootID and Dir say
// where it was first found.
type Package struct {
	ID        uint32 `json:"id"`
	RootID    uint32 `json:"root"`
	Dir       string `json:"dir"` // slash path of the package root below the indexed root; "..", "../.." when the root lies inside the package
	Ecosystem string `json:"ecosystem,omitempty"`
	Name      string `json:"name,omitempty"`
	Version   string `json:"version,omitempty"`
	PURL      string `json:"purl,omitempty"`
	Declared  string `json:"declared,omitempty"` // license as the manifest states it
	License   string `json:"license,omitempty"`  // SPDX expression of the package's license
	Vendored  bool   `json:"vendored,omitempty"` // found inside another package's vendor/third_party tree
	// Published is when the registry says this version was published (a
	// Go module's .info Time, npm's time[version]); zero when unknown,
	// such as for a package found on disk rather than fetched. Absent
	// from packages recorded before it was introduced.
	Published time.Time `json:"published,omitzero"`
}

// Fetched records a package that an index run fetched from its registry
// and indexed to its end (Writer.Fetched), so that a later run neither
// fetches nor indexes it again.
type Fetched struct {
	PURL      string    `json:"purl"`
	Digest    string    `json:"digest"` // the verified hash of what was fetched: a module zip's h1:, an npm tarball's integrity
	Root      string    `json:"root"`   // the directory the package was extracted to and indexed from
	Published time.Time `json:"published,omitzero"`
	Indexed   time.Time `json:"indexed"`
}

// Attribution is the license and copyright of a location.
type Attribution struct {
	License    string   `json:"license,omitempty"`        // SPDX expression
	Source     string   `json:"license_source,omitempty"` // which evidence decided
	Copyrights []string `json:"copyrights,omitempty"`
	Holders    []string `json:"holders,omitempty"`
	LicenseRef string   `json:"license_file,omitempty"` // path of the license file that decided, below the root
	// LicenseText is the ID of the license file's text in the corpus (see
	// Writer.LicenseText and DB.LicenseText), for attribution notices.
	LicenseText string `json:"license_text,omitempty"`
}

// FileRecord describes one distinct file content.
type FileRecord struct {
	ID           uint32
	Sum          [16]byte // truncated SHA-256 of the text: the file's bytes, decoded to UTF-8 if they were not
	Size         int64    // bytes of that text
	Lines        int
	Tokens       int
	Fingerprints int
	Lang         fingerprint.Lang
	NormHash     uint64
	Segment      uint32
}

// Location flags.
const (
	// FlagVendored marks a location inside a vendor/ or third_party/ tree.
	FlagVendored uint8 = 1 << iota
	// FlagTest marks test code: a test file, or a file in a test
	// directory, by its path below its package's root (IsTestPath),
	// whatever directory was indexed.
	FlagTest
	// FlagTestKnown says that the indexer decided FlagTest. Locations
	// written before FlagTest existed have neither: IsTestPath of their
	// path below the indexed root is all that is known of them.
	FlagTestKnown
)

// IsTestPath reports whether a slash path names test code: a Go _test
// file, a file under a test or testdata directory, or a test_*.py /
// *.test.js / *.spec.ts file.
func IsTestPath(p string) bool {
	base := path.Base(p)
	if strings.Contains(base, "_test.") || strings.HasPrefix(base, "test_") ||
		strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") {
		return true
	}
	for _, dir := range strings.Split(path.Dir(p), "/") {
		switch dir {
		case "test", "tests", "testdata", "__tests__":
			return true
		}
	}
	return false
}

// IsTest reports whether the location at path p with flags is test code:
// FlagTest when the indexer decided it, else (a location of an older
// database) IsTestPath(p).
func IsTest(p string, flags uint8) bool {
	if flags&FlagTestKnown != 0 {
		return flags&FlagTest != 0
	}
	return IsTestPath(p)
}

// Location is one place where a file content was found.
type Location struct {
	RootID uint32
	Path   string // slash path below the root
	FileID uint32
	Size   int64 // bytes of the file at this location, as stored (before any decoding)
	MTime  int64 // modification time, Unix nanoseconds (0 in archives without one)
	PkgID  uint32
	AttrID uint32
	Flags  uint8
}

// Posting is one occurrence of a fingerprint in a corpus file.
type Posting struct {
	File          uint32
	Line, EndLine int32
	Exact         uint16 // the top 16 bits of the fingerprint's exact hash
	Anchor        uint8  // the fingerprint's anchor hash (fingerprint.Fingerprint.Anchor)
}

func u32(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

func encodeFile(f *FileRecord) []byte {
	b := make([]byte, 0, 64)
	b = append(b, f.Sum[:]...)
	b = binary.AppendUvarint(b, uint64(f.Size))
	b = binary.AppendUvarint(b, uint64(f.Lines))
	b = binary.AppendUvarint(b, uint64(f.Tokens))
	b = binary.AppendUvarint(b, uint64(f.Fingerprints))
	b = append(b, byte(f.Lang))
	b = binary.BigEndian.AppendUint64(b, f.NormHash)
	b = binary.BigEndian.AppendUint32(b, f.Segment)
	return b
}

var errCorrupt = errors.New("corrupt record")

// reader decodes varint records and remembers the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCorrupt
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// skipUvarints moves past n uvarints without decoding them: each ends
// at its first byte below 0x80.
func (r *reader) skipUvarints(n int) {
	if n <= 0 {
		return
	}
	for i, c := range r.b {
		if c >= 0x80 {
			continue
		}
		if n--; n == 0 {
			r.b = r.b[i+1:]
			return
		}
	}
	r.err = errCorrupt
	r.b = nil
}

func (r *reader) bytes(n int) []byte {
	if len(r.b) < n {
		r.err = errCorrupt
		r.b = nil
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func decodeFile(id uint32, v []byte) (FileRecord, error) {
	r := reader{b: v}
	f := FileRecord{ID: id}
	copy(f.Sum[:], r.bytes(16))
	f.Size = int64(r.uvarint())
	f.Lines = int(r.uvarint())
	f.Tokens = int(r.uvarint())
	f.Fingerprints = int(r.uvarint())
	f.Lang = fingerprint.Lang(r.bytes(1)[0])
	f.NormHash = binary.BigEndian.Uint64(r.bytes(8))
	f.Segment = binary.BigEndian.Uint32(r.bytes(4))
	if r.err != nil {
		return f, fmt.Errorf("corpus: file %d: %w", id, r.err)
	}
	return f, nil
}

func locKey(rootID uint32, path string) []byte {
	return append(u32(rootID), path...)
}

func encodeLoc(l *Location) []byte {
	b := make([]byte, 0, 32)
	b = binary.BigEndian.AppendUint32(b, l.FileID)
	b = binary.AppendUvarint(b, uint64(l.Size))
	b = binary.AppendUvarint(b, uint64(l.MTime))
	b = binary.BigEndian.AppendUint32(b, l.PkgID)
	b = binary.BigEndian.AppendUint32(b, l.AttrID)
	b = append(b, l.Flags)
	return b
}

func decodeLoc(key, v []byte) (Location, error) {
	if len(key) < 4 {
		return Location{}, fmt.Errorf("corpus: location key %q: %w", key, errCorrupt)
	}
	l := Location{RootID: binary.BigEndian.Uint32(key), Path: string(key[4:])}
	r := reader{b: v}
	l.FileID = binary.BigEndian.Uint32(r.bytes(4))
	l.Size = int64(r.uvarint())
	l.MTime = int64(r.uvarint())
	l.PkgID = binary.BigEndian.Uint32(r.bytes(4))
	l.AttrID = binary.BigEndian.Uint32(r.bytes(4))
	l.Flags = r.bytes(1)[0]
	if r.err != nil {
		return l, fmt.Errorf("corpus: location %s: %w", l.Path, r.err)
	}
	return l, nil
}

// fileLocKey is fileID rootID path: the reverse index of locations.
func fileLocKey(fileID, rootID uint32, path string) []byte {
	b := make([]byte, 0, 8+len(path))
	b = binary.BigEndian.AppendUint32(b, fileID)
	b = binary.BigEndian.AppendUint32(b, rootID)
	return append(b, path...)
}

// segment is the record of one postings segment.
type segment struct {
	ID          uint32 `json:"id"`
	State       string `json:"state"`                 // "pending" or "committed"
	PrefixBytes int    `json:"prefix_bytes"`          // length of the keys
	PrefixBits  int    `json:"prefix_bits,omitempty"` // bits of the hash in a key; 8*PrefixBytes when 0 (older databases)
	Keys        int    `json:"keys"`
	Hashes      int    `json:"hashes"`
	Postings    int    `json:"postings"`
	Stopped     int    `json:"stopped"` // hashes over StopDF, postings not stored
	Files       int    `json:"files"`
}

// bits returns how many top bits of a hash a key of the segment holds.
func (s *segment) bits() int {
	if s.PrefixBits > 0 {
		return s.PrefixBits
	}
	return 8 * s.PrefixBytes
}

// state holds the database's counters.
type state struct {
	NextFile uint32    `json:"next_file"`
	NextSeg  uint32    `json:"next_segment"`
	NextRoot uint32    `json:"next_root"`
	NextPkg  uint32    `json:"next_package"`
	NextAttr uint32    `json:"next_attribution"`
	NextUnit uint32    `json:"next_unit,omitempty"` // next rewrite unit ID (0: none yet, start at 1)
	Updated  time.Time `json:"updated"`
}

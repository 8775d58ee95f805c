package pkgmeta

import (
	"fmt"

	"github.com/BurntSushi/toml"
)

// Limits checked before a TOML manifest is handed to the TOML library,
// whose time grows with the square of the depth of key paths (10,000
// dotted segments take seconds). Real manifests stay far below them.
const (
	// maxTOMLSize is the largest TOML manifest parsed, in bytes.
	maxTOMLSize = 256 << 10
	// maxTOMLDepth is the deepest nesting of arrays and inline tables.
	maxTOMLDepth = 16
	// maxTOMLKeyPath is the longest key path: the segments of the table
	// header, of dotted keys and of enclosing inline tables and arrays.
	maxTOMLKeyPath = 16
)

// unmarshalTOML checks data against the TOML limits and decodes it into v.
func unmarshalTOML(data []byte, v any) error {
	if len(data) > maxTOMLSize {
		return fmt.Errorf("TOML manifest of %d bytes exceeds the %d-byte limit", len(data), maxTOMLSize)
	}
	if err := checkTOMLShape(data); err != nil {
		return err
	}
	if err := toml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("parsing TOML: %w", err)
	}
	return nil
}

// checkTOMLShape scans TOML text lexically (strings, comments, brackets,
// keys) and rejects nesting deeper than maxTOMLDepth and key paths longer
// than maxTOMLKeyPath. It does not validate the syntax; the TOML library
// does.
func checkTOMLShape(data []byte) error {
	type open struct {
		c    byte // '[' or '{'
		base int  // key path length of the container
	}
	var (
		stack    [maxTOMLDepth]open
		depth    int
		header   int    // segments of the current table header
		inKey    = true // at a position where a key or table header may be
		inHeader bool
		segs     = 1 // segments of the current key
		path     int // path length of the last key
	)
	base := func() int {
		if depth == 0 {
			return header
		}
		return stack[depth-1].base
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i-- // let the newline be handled below
		case '"', '\'':
			i = skipTOMLString(data, i)
		case '\n':
			if depth == 0 {
				inKey, inHeader, segs = true, false, 1
			}
		case '.':
			if inKey || inHeader {
				segs++
				if base()+segs > maxTOMLKeyPath || segs > maxTOMLKeyPath {
					return fmt.Errorf("TOML key path longer than %d", maxTOMLKeyPath)
				}
			}
		case '=':
			if inKey {
				path = base() + segs
			}
			inKey, segs = false, 1
		case '[', '{':
			if c == '[' && depth == 0 && (inKey || inHeader) {
				// A table header: its segments start a new path.
				inKey, inHeader, header, segs = false, true, 0, 1
				continue
			}
			if depth == len(stack) {
				return fmt.Errorf("TOML nesting deeper than %d", maxTOMLDepth)
			}
			b := max(path, base()) + 1
			if b > maxTOMLKeyPath {
				return fmt.Errorf("TOML key path longer than %d", maxTOMLKeyPath)
			}
			stack[depth] = open{c, b}
			depth++
			inKey, segs = c == '{', 1
		case ']', '}':
			switch {
			case inHeader && c == ']':
				if header == 0 {
					header = segs
				}
			case depth > 0 && c == stack[depth-1].c+2: // ']' and '}' follow '[' and '{' by 2
				depth--
				path = base()
				inKey = false
			}
		case ',':
			if depth > 0 && stack[depth-1].c == '{' {
				inKey, segs = true, 1
			}
		}
	}
	return nil
}

// skipTOMLString returns the index of the last byte of the string that
// starts at data[i]: basic or literal, single- or multi-line. An
// unterminated single-line string ends before its newline; the TOML library
// reports the error.
func skipTOMLString(data []byte, i int) int {
	q := data[i]
	multi := i+2 < len(data) && data[i+1] == q && data[i+2] == q
	j := i + 1
	if multi {
		j = i + 3
	}
	for ; j < len(data); j++ {
		switch {
		case q == '"' && data[j] == '\\':
			j++
		case !multi && data[j] == '\n':
			return j - 1
		case data[j] != q:
		case !multi:
			return j
		case j+2 < len(data) && data[j+1] == q && data[j+2] == q:
			// A multi-line string may end with up to two extra quotes.
			j += 2
			for k := 0; k < 2 && j+1 < len(data) && data[j+1] == q; k++ {
				j++
			}
			return j
		}
	}
	return len(data)
}

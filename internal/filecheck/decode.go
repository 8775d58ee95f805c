package filecheck

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encodings a source file is read in: the name Decode reports.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF16LE     = "UTF-16LE"
	EncodingUTF16BE     = "UTF-16BE"
	EncodingWindows1252 = "windows-1252"
)

// Byte order marks of UTF-16.
var (
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
)

// Encoding returns the encoding of a file's bytes: UTF-16 when they start
// with its byte order mark, or without one when they look like it
// (utf16Order); UTF-8 when they are valid UTF-8, else Windows-1252 (a
// superset of Latin-1's printable characters, which any byte sequence
// decodes in).
func Encoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, bomUTF16LE):
		return EncodingUTF16LE
	case bytes.HasPrefix(data, bomUTF16BE):
		return EncodingUTF16BE
	}
	if enc := utf16Order(data); enc != "" {
		return enc
	}
	if utf8.Valid(data) {
		return EncodingUTF8
	}
	return EncodingWindows1252
}

// utf16Order tells UTF-16 without a byte order mark by its NUL bytes:
// text that is mostly ASCII (source code) has a NUL in every other byte,
// the high byte of each code unit, and almost nowhere else. It returns
// EncodingUTF16LE or EncodingUTF16BE when, in the first bytes of data
// (binaryProbe), 70% of the code units or more are NUL in one half and a
// printable ASCII character or white space in the other, and 2% at most
// are NUL in the other half; else "". Binary data, whose NULs fall
// anywhere, and UTF-8 text, which has none, are neither.
func utf16Order(data []byte) string {
	data = data[:min(len(data), binaryProbe)&^1]
	if len(data) < 4 || bytes.IndexByte(data, 0) < 0 {
		return ""
	}
	units := len(data) / 2
	var asciiLE, asciiBE, nulLow, nulHigh int // by the byte that is NUL: the first (low) or the second of a pair
	for i := 0; i < len(data); i += 2 {
		a, b := data[i], data[i+1]
		switch {
		case b == 0 && a == 0:
			nulLow++
			nulHigh++
		case b == 0:
			nulHigh++
			if printable(a) {
				asciiLE++
			}
		case a == 0:
			nulLow++
			if printable(b) {
				asciiBE++
			}
		}
	}
	switch {
	case asciiLE*10 >= units*7 && nulLow*50 <= units:
		return EncodingUTF16LE
	case asciiBE*10 >= units*7 && nulHigh*50 <= units:
		return EncodingUTF16BE
	}
	return ""
}

// printable reports whether c is a printable ASCII character or white
// space.
func printable(c byte) bool {
	return c >= ' ' && c < 0x7f || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// Decode returns a file's text in UTF-8 and the encoding it was read in
// (see Encoding). Text already in UTF-8 is returned as is, not copied.
// Decoding keeps every character, line break included, so that the text
// has the lines of the file: a line number in the text is the line number
// in the file. A UTF-16 byte order mark is dropped; a byte Windows-1252
// leaves undefined is read as Latin-1 (its C1 control character); an
// unpaired UTF-16 surrogate or a last odd byte becomes U+FFFD.
// OriginalOffset maps offsets in the text back to the file's bytes.
func Decode(data []byte) ([]byte, string) {
	enc := Encoding(data)
	if enc == EncodingUTF8 {
		return data, enc
	}
	out := make([]byte, 0, len(data)+len(data)/2)
	for i := start(data); i < len(data); {
		r, n := decodeRune(enc, data, i)
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out, enc
}

// OriginalOffset maps the byte offset off in the text that Decode(data)
// returns to the offset of the same character in data; an offset past the
// text's end maps to len(data).
func OriginalOffset(data []byte, off int) int {
	enc := Encoding(data)
	if enc == EncodingUTF8 {
		return min(off, len(data))
	}
	text := 0
	i := start(data)
	for i < len(data) && text < off {
		r, n := decodeRune(enc, data, i)
		text += utf8.RuneLen(r)
		i += n
	}
	return i
}

// start returns the offset of a file's first character: after the byte
// order mark of UTF-16, if it has one.
func start(data []byte) int {
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return 2
	}
	return 0
}

// decodeRune decodes the character at data[i] in encoding enc (not UTF-8)
// and returns it with the number of bytes it takes.
func decodeRune(enc string, data []byte, i int) (rune, int) {
	if enc == EncodingWindows1252 {
		b := data[i]
		if r := charmap.Windows1252.DecodeByte(b); r != utf8.RuneError {
			return r, 1
		}
		return rune(b), 1 // undefined in Windows-1252: Latin-1
	}
	unit := func(j int) rune {
		if enc == EncodingUTF16BE {
			return rune(data[j])<<8 | rune(data[j+1])
		}
		return rune(data[j+1])<<8 | rune(data[j])
	}
	if i+1 >= len(data) {
		return utf8.RuneError, 1
	}
	u := unit(i)
	if !utf16.IsSurrogate(u) {
		return u, 2
	}
	if i+3 < len(data) {
		if r := utf16.DecodeRune(u, unit(i+2)); r != utf8.RuneError {
			return r, 4
		}
	}
	return utf8.RuneError, 2
}

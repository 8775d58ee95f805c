package filecheck

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/walk"
)

// utf16Bytes encodes s in UTF-16 with a byte order mark.
func utf16Bytes(s string, big bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	out := []byte{0xff, 0xfe}
	if big {
		order, out = binary.BigEndian, []byte{0xfe, 0xff}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// utf16NoBOM encodes s in UTF-16 without a byte order mark.
func utf16NoBOM(s string, big bool) []byte {
	return utf16Bytes(s, big)[2:]
}

// latin1 encodes s, whose characters are all below U+0100, in Latin-1.
func latin1(t *testing.T, s string) []byte {
	t.Helper()
	var out []byte
	for _, r := range s {
		if r > 0xff {
			t.Fatalf("%q is not in Latin-1", r)
		}
		out = append(out, byte(r))
	}
	return out
}

// gorootSource returns a real Go source file of GOROOT.
func gorootSource(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(rel)))
	if err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	return string(data)
}

func TestDecode(t *testing.T) {
	t.Parallel()
	src := gorootSource(t, "container/list/list.go")
	// One comment of the file gets a character outside ASCII, as a
	// German author's name would put it there.
	text := strings.Replace(src, "// Package list", "// Package list (Jürgen's copy)", 1)
	if text == src {
		t.Fatal("list.go has no package comment")
	}
	tests := []struct {
		name string
		data []byte
		enc  string
		want string
	}{
		{"UTF-8", []byte(text), EncodingUTF8, text},
		{"Latin-1", latin1(t, text), EncodingWindows1252, text},
		{"UTF-16LE", utf16Bytes(text, false), EncodingUTF16LE, text},
		{"UTF-16BE", utf16Bytes(text, true), EncodingUTF16BE, text},
		{"UTF-16LE without a byte order mark", utf16NoBOM(text, false), EncodingUTF16LE, text},
		{"UTF-16BE without a byte order mark", utf16NoBOM(text, true), EncodingUTF16BE, text},
		{"UTF-16 surrogate pair", utf16Bytes("a\n𝄞b\n", false), EncodingUTF16LE, "a\n𝄞b\n"},
		{"UTF-16 unpaired surrogate", []byte{0xff, 0xfe, 'a', 0, 0x00, 0xd8, 'b', 0}, EncodingUTF16LE, "a\uFFFDb"},
		{"UTF-16 odd last byte", []byte{0xff, 0xfe, 'a', 0, 'b'}, EncodingUTF16LE, "a\uFFFD"},
		{"Windows-1252", []byte("x = \x80 \x93q\x94\n"), EncodingWindows1252, "x = € “q”\n"},
		{"undefined in Windows-1252", []byte("\x81\x8d\xff"), EncodingWindows1252, "\u0081\u008dÿ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, enc := Decode(tc.data)
			if enc != tc.enc || string(got) != tc.want {
				t.Fatalf("Decode = %q, %s; want %q, %s", got, enc, tc.want, tc.enc)
			}
			if Encoding(tc.data) != tc.enc {
				t.Errorf("Encoding = %s, want %s", Encoding(tc.data), tc.enc)
			}
			if a, b := bytes.Count(tc.data, []byte{'\n'}), strings.Count(tc.want, "\n"); tc.enc != EncodingUTF16LE && tc.enc != EncodingUTF16BE && a != b {
				t.Errorf("%d line breaks in the file, %d in the text", a, b)
			}
			// Every character boundary of the text maps to the offset
			// in the file whose prefix decodes to the text before it.
			for off := 0; off <= len(got); {
				orig := OriginalOffset(tc.data, off)
				prefix, _ := decodeAs(tc.enc, tc.data[:orig])
				if string(prefix) != string(got[:off]) {
					t.Fatalf("OriginalOffset(%d) = %d: the file's bytes before it decode to %q, want %q", off, orig, prefix, got[:off])
				}
				if off == len(got) {
					break
				}
				_, n := utf8.DecodeRune(got[off:])
				off += n
			}
			if orig := OriginalOffset(tc.data, len(got)+10); orig != len(tc.data) {
				t.Errorf("OriginalOffset past the end = %d, want %d", orig, len(tc.data))
			}
		})
	}
}

// decodeAs decodes a prefix of a file in the encoding of the whole file
// (a prefix may look like another encoding: ASCII before the first ü).
func decodeAs(enc string, data []byte) ([]byte, string) {
	if enc == EncodingUTF8 {
		return data, enc
	}
	var out []byte
	for i := start(data); i < len(data); {
		r, n := decodeRune(enc, data, i)
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out, enc
}

func TestHead(t *testing.T) {
	t.Parallel()
	src := gorootSource(t, "container/list/list.go")
	tests := []struct {
		name, rel string
		data      []byte
		lang      fingerprint.Lang
		reason    string
	}{
		{"UTF-8 source", "list.go", []byte(src), fingerprint.Go, ""},
		{"UTF-16 is text, not binary", "list.go", utf16Bytes(src, false), fingerprint.Go, ""},
		{"UTF-16 without a byte order mark too", "list.go", utf16NoBOM(src, true), fingerprint.Go, ""},
		{"NUL bytes here and there are binary", "blob.go", []byte("package blob\x00\x01 var\x00 x\x00\x00\x00 = 1"), fingerprint.Go, walk.ReasonBinary},
		{"a NUL byte is binary", "blob.go", []byte("package blob\x00\x01"), fingerprint.Go, walk.ReasonBinary},
		{"NUL characters in UTF-16 are binary", "blob.go", utf16Bytes("package blob\x00", true), fingerprint.Go, walk.ReasonBinary},
		{"a script in UTF-16", "run", utf16Bytes("#!/bin/sh\necho hi\n", false), fingerprint.Shell, ""},
		{"no extension, no #! line", "words", []byte("plain words\n"), fingerprint.Unknown, walk.ReasonUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lang, _ := ByName(tc.rel, false)
			lang, reason := Head(tc.rel, lang, tc.data)
			if lang != tc.lang || reason != tc.reason {
				t.Errorf("Head = %v, %q; want %v, %q", lang, reason, tc.lang, tc.reason)
			}
		})
	}
}

// TestReadDecodes reads real source files written in Latin-1 and UTF-16
// (with and without a byte order mark): all are read, as the text of the
// UTF-8 original with its lines.
func TestReadDecodes(t *testing.T) {
	t.Parallel()
	src := strings.Replace(gorootSource(t, "container/ring/ring.go"), "// Package ring", "// Package ring, über", 1)
	dir := t.TempDir()
	files := map[string][]byte{"utf8.go": []byte(src), "latin1.go": latin1(t, src), "utf16.go": utf16Bytes(src, false),
		"utf16be.go": utf16NoBOM(src, true)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rd := &Reader{MaxSize: 1 << 20}
	got := map[string]string{}
	err := walk.Walk(context.Background(), dir, walk.Options{}, func(f *walk.File) error {
		txt, skip := rd.Read(f)
		if skip != nil {
			t.Errorf("%s skipped: %v", f.Rel, skip)
			return nil
		}
		if txt.Lang != fingerprint.Go || string(txt.Data) != src || !bytes.Equal(txt.Raw, files[f.Rel]) {
			t.Errorf("%s: lang %v, %d bytes of text, raw bytes equal: %v", f.Rel, txt.Lang, len(txt.Data), bytes.Equal(txt.Raw, files[f.Rel]))
		}
		got[f.Rel] = txt.Encoding
		return nil
	}, func(s walk.Skip) { t.Errorf("skip %v", s) })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"utf8.go": EncodingUTF8, "latin1.go": EncodingWindows1252, "utf16.go": EncodingUTF16LE,
		"utf16be.go": EncodingUTF16BE}
	for name, enc := range want {
		if got[name] != enc {
			t.Errorf("%s read as %q, want %s", name, got[name], enc)
		}
	}
}

// TestUTF16WithoutBOMOfXText decodes the UTF-16LE text without a byte
// order mark that golang.org/x/text (a dependency of snipscan) keeps for
// its tests, Candide's first chapter: the text of its UTF-8 twin. The
// other encodings of the same text are not taken for UTF-16.
func TestUTF16WithoutBOMOfXText(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testnet.ModuleDir(t, "golang.org/x/text"), "encoding", "testdata")
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	u16, u8 := read("candide-utf-16le.txt"), read("candide-utf-8.txt")
	if bytes.HasPrefix(u16, bomUTF16LE) {
		t.Fatal("candide-utf-16le.txt has a byte order mark: the fixture is text without one")
	}
	if text, enc := Decode(u16); enc != EncodingUTF16LE || !bytes.Equal(text, u8) || IsBinary(u16) {
		t.Errorf("Decode: %s, %d bytes (the UTF-8 twin has %d, equal: %v), binary: %v", enc, len(text), len(u8), bytes.Equal(text, u8), IsBinary(u16))
	}
	for _, name := range []string{"candide-utf-8.txt", "candide-windows-1252.txt", "candide-gb18030.txt", "candide-utf-32be.txt"} {
		if enc := Encoding(read(name)); enc == EncodingUTF16LE || enc == EncodingUTF16BE {
			t.Errorf("%s read as %s", name, enc)
		}
	}
}

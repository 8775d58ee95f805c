package filecheck

import (
	"bytes"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/walk"
)

func TestClassifyAndUnscanned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		skip      walk.Skip
		reason    string
		unscanned bool
	}{
		{"too large source", walk.Skip{Path: "gen/tables.go", Reason: walk.ReasonTooLarge, Head: []byte("// Code generated. DO NOT EDIT.\n")}, walk.ReasonTooLarge, true},
		{"too large, head unread", walk.Skip{Path: "gen/tables.go", Reason: walk.ReasonTooLarge}, walk.ReasonTooLarge, true},
		{"too large script", walk.Skip{Path: "bin/install", Reason: walk.ReasonTooLarge, Head: []byte("#!/usr/bin/env python3\n")}, walk.ReasonTooLarge, true},
		{"too large executable", walk.Skip{Path: "bin/tool", Reason: walk.ReasonTooLarge, Head: []byte("\x7fELF\x02\x01\x01\x00")}, walk.ReasonUnsupported, false},
		{"too large binary with a source name", walk.Skip{Path: "testdata/blob.go", Reason: walk.ReasonTooLarge, Head: []byte("package blob\x00\x01")}, walk.ReasonBinary, false},
		{"too large data without extension", walk.Skip{Path: "testdata/enwik", Reason: walk.ReasonTooLarge, Head: []byte("<mediawiki xmlns=...>\n")}, walk.ReasonUnsupported, false},
		{"too large UTF-16 source", walk.Skip{Path: "a.cs", Reason: walk.ReasonTooLarge, Head: []byte{0xff, 0xfe, 'u', 0, 's', 0}}, walk.ReasonTooLarge, true},
		{"unreadable", walk.Skip{Path: "a.go", Reason: walk.ReasonUnreadable, Err: syscall.EACCES}, walk.ReasonUnreadable, true},
		{"special file", walk.Skip{Path: "a.go", Reason: walk.ReasonSpecial}, walk.ReasonSpecial, true},
		{"link to itself", walk.Skip{Path: "a.go", Reason: walk.ReasonSymlinkLoop, Err: syscall.ELOOP}, walk.ReasonSymlinkLoop, true},
		{"link to a directory above", walk.Skip{Path: "sub/loop", Reason: walk.ReasonSymlinkLoop, Err: walk.ErrCycle}, walk.ReasonSymlinkLoop, false},
		{"dangling link with a source's name", walk.Skip{Path: "a.go", Reason: walk.ReasonUnreadable, Err: fmt.Errorf("%w: %w", walk.ErrDanglingLink, fs.ErrNotExist)}, walk.ReasonUnreadable, true},
		{"dangling link without extension", walk.Skip{Path: "pkg/result", Reason: walk.ReasonUnreadable, Err: fmt.Errorf("%w: %w", walk.ErrDanglingLink, fs.ErrNotExist)}, walk.ReasonUnreadable, false},
		{"vanished file without extension", walk.Skip{Path: "bin/tool", Reason: walk.ReasonUnreadable, Err: fs.ErrNotExist}, walk.ReasonUnreadable, true},
		{"corrupt archive", walk.Skip{Path: "x.zip", Reason: walk.ReasonCorrupt}, walk.ReasonCorrupt, true},
		{"archive limit", walk.Skip{Path: "x.zip/a.go", Reason: walk.ReasonArchiveLimit}, walk.ReasonArchiveLimit, true},
		{"unsafe member name", walk.Skip{Path: "x.zip/../a.go", Reason: walk.ReasonUnsafePath}, walk.ReasonUnsafePath, true},
		{"binary", walk.Skip{Path: "a.go", Reason: walk.ReasonBinary}, walk.ReasonBinary, false},
		{"unsupported type", walk.Skip{Path: "a.png", Reason: walk.ReasonUnsupported}, walk.ReasonUnsupported, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Classify(tc.skip)
			if got.Reason != tc.reason || got.Head != nil || Unscanned(got) != tc.unscanned {
				t.Errorf("Classify = %q (head %d bytes), unscanned %v; want %q, %v", got.Reason, len(got.Head), Unscanned(got), tc.reason, tc.unscanned)
			}
		})
	}
}

// TestIsBinary: a NUL byte near the start makes a file binary, unless it
// belongs to UTF-16 text; one past the probe does not.
func TestIsBinary(t *testing.T) {
	t.Parallel()
	late := append(bytes.Repeat([]byte("x = 1\n"), binaryProbe/6+1), 0)
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"text", []byte("package x\n"), false},
		{"NUL", []byte("package x\x00\x01"), true},
		{"UTF-16 with a byte order mark", []byte{0xff, 0xfe, 'p', 0, 'k', 0, '\n', 0}, false},
		{"NUL past the probe", late, false},
		{"empty", nil, false},
	} {
		if got := IsBinary(tc.data); got != tc.want {
			t.Errorf("%s: IsBinary = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestWant: the walk's name filter takes source files, files without an
// extension (scripts, maybe), and plain text only when asked.
func TestWant(t *testing.T) {
	t.Parallel()
	code, text := Want(false), Want(true)
	for name, want := range map[string][2]bool{
		"a/b.go":     {true, true},
		"bin/tool":   {true, true},
		"README.txt": {false, true},
		"logo.png":   {false, false},
	} {
		if code(name) != want[0] || text(name) != want[1] {
			t.Errorf("%s: Want(false) %v, Want(true) %v; want %v", name, code(name), text(name), want)
		}
	}
}

// TestOtherLanguage checks that the extensions of other programming
// languages name none that snipscan reads, and that a language it reads,
// documentation, data and a name without an extension name none.
func TestOtherLanguage(t *testing.T) {
	for ext, name := range otherLanguages {
		if lang := fingerprint.DetectLang("x"+ext, nil); lang != fingerprint.Unknown {
			t.Errorf("%s is listed as %s, a language snipscan does not read, but it reads it as %v", ext, name, lang)
		}
	}
	for path, want := range map[string]string{"src/Solver.FS": "F#", `lib\sort.ml`: "OCaml", "a.zip/x/y.erl": "Erlang",
		"main.go": "", "App.vue": "", "README.md": "", "data.json": "", "Makefile": "", "run": ""} {
		if got := OtherLanguage(path); got != want {
			t.Errorf("OtherLanguage(%q) = %q, want %q", path, got, want)
		}
	}
}

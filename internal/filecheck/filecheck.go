// Package filecheck decides whether a file is source code snipscan can
// fingerprint, the same way for indexing and scanning.
package filecheck

import (
	"bytes"
	"errors"
	"path"
	"strings"

	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/walk"
)

// binaryProbe is how much of a file is searched for a NUL byte.
const binaryProbe = 8000

// ByName returns the language of a file from its name alone, and whether
// the file is worth reading: a file with no extension may still be a
// script with a #! line. Plain text counts only when text is set.
func ByName(rel string, text bool) (fingerprint.Lang, bool) {
	lang := fingerprint.DetectLang(rel, nil)
	switch {
	case lang == fingerprint.Text:
		return lang, text
	case lang != fingerprint.Unknown:
		return lang, true
	}
	return lang, !strings.Contains(path.Base(rel), ".")
}

// Want returns the walk.Options.Want of a run that reads source files,
// and plain text when text is set: the files ByName takes.
func Want(text bool) func(name string) bool {
	return func(name string) bool {
		_, ok := ByName(name, text)
		return ok
	}
}

// IsBinary reports whether a file whose content starts with head is
// binary: a NUL character near its start, once decoded (UTF-16 has NUL
// bytes but is text).
func IsBinary(head []byte) bool {
	text, _ := Decode(head[:min(len(head), binaryProbe)])
	return bytes.IndexByte(text, 0) >= 0
}

// Head checks the start of a file (its first few kilobytes are enough).
// It returns the language (resolving a #! line when lang is Unknown), or
// the walk skip reason that rules the file out: an unsupported type, or
// binary (a NUL character near the start, once decoded: UTF-16 has NUL
// bytes but is text).
func Head(rel string, lang fingerprint.Lang, head []byte) (fingerprint.Lang, string) {
	if lang == fingerprint.Unknown {
		text, _ := Decode(head[:min(len(head), binaryProbe)])
		if lang = fingerprint.DetectLang(rel, text); lang == fingerprint.Unknown || lang == fingerprint.Text {
			return fingerprint.Unknown, walk.ReasonUnsupported
		}
	}
	if IsBinary(head) {
		return lang, walk.ReasonBinary
	}
	return lang, ""
}

// Text is a source file as read for fingerprinting.
type Text struct {
	// Data is the file's text in UTF-8: what is fingerprinted.
	Data []byte
	Lang fingerprint.Lang
	// Encoding is the encoding the file was decoded from (Decode);
	// EncodingUTF8 when Data is the file's bytes.
	Encoding string
	// Raw is the file's bytes, Data itself in UTF-8: byte offsets in Data
	// map to offsets in Raw with OriginalOffset.
	Raw []byte
}

// Reader reads source files for fingerprinting, reusing one buffer. It is
// not safe for concurrent use: give each worker its own.
type Reader struct {
	// MaxSize bounds the bytes read from one file.
	MaxSize int64
	// Text accepts plain-text files.
	Text bool
	buf  []byte
}

// Read reads f, checks it (by name, then by its head) and decodes it
// (Decode): a file in another encoding than UTF-8 is decoded, never
// skipped. It returns the file's text, whose Raw bytes (and Data, for a
// file in UTF-8) are valid until the next call; or the skip that rules
// the file out.
func (r *Reader) Read(f *walk.File) (Text, *walk.Skip) {
	skip := func(reason string, err error) (Text, *walk.Skip) {
		return Text{}, &walk.Skip{Path: f.Path(), Reason: reason, Err: err}
	}
	lang, ok := ByName(f.Name(), r.Text)
	if !ok {
		return skip(walk.ReasonUnsupported, nil)
	}
	data, err := f.ReadAll(r.buf, r.MaxSize)
	if errors.Is(err, walk.ErrTooLarge) {
		return skip(walk.ReasonTooLarge, nil)
	}
	if err != nil {
		return skip(walk.ReasonUnreadable, err)
	}
	// Keep a grown buffer for the next file, unless it is huge.
	if cap(data) > cap(r.buf) && cap(data) <= 4<<20 {
		r.buf = data[:0]
	}
	lang, reason := Head(f.Name(), lang, data)
	if reason != "" {
		return skip(reason, nil)
	}
	text, enc := Decode(data)
	return Text{Data: text, Lang: lang, Encoding: enc, Raw: data}, nil
}

// Classify returns a skip with the reason that rules the file out first:
// a file too large to read whose head (walk.Skip.Head) shows binary data,
// or no language (no extension, no #! line), is skipped as binary or as
// an unsupported type, like a file read whole; any other skip is returned
// as is.
func Classify(s walk.Skip) walk.Skip {
	if s.Reason != walk.ReasonTooLarge || s.Head == nil {
		return s
	}
	lang, _ := ByName(s.Path, true)
	if _, reason := Head(s.Path, lang, s.Head); reason != "" {
		s.Reason, s.Err = reason, nil
	}
	s.Head = nil
	return s
}

// Unscanned reports whether a skip (after Classify) left out a file that
// is, or may be, source code: one that could not be read (unreadable, too
// large, a symbolic link that resolves nowhere, a special file, a damaged
// archive or member, a member past an archive limit or with an unsafe
// name). Binary files, unsupported types and symbolic links back to a
// directory walked anyway (walk.ErrCycle) are not, nor are links that
// lead nowhere (walk.ErrDanglingLink) without a source file's name: a
// name without a dot may be a script's only so that its #! line can be
// read, and such a link has none (nix-build leaves "result" so).
func Unscanned(s walk.Skip) bool {
	switch s.Reason {
	case walk.ReasonBinary, walk.ReasonUnsupported:
		return false
	case walk.ReasonSymlinkLoop:
		return !errors.Is(s.Err, walk.ErrCycle)
	case walk.ReasonUnreadable:
		if errors.Is(s.Err, walk.ErrDanglingLink) {
			lang, _ := ByName(s.Path, true)
			return lang != fingerprint.Unknown
		}
	}
	return true
}

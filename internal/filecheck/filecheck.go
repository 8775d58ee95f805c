// Package filecheck decides whether a file is source code snipscan can
// fingerprint, the same way for indexing and scanning.
package filecheck

import (
	"bytes"
	"errors"
	"path"
	"strings"
	"unicode/utf8"

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

// Content checks a file's bytes. It returns the language (resolving a
// #! line when lang is Unknown) or the walk skip reason that rules the
// file out: binary (a NUL byte near the start), invalid UTF-8, or an
// unsupported type.
func Content(rel string, lang fingerprint.Lang, data []byte) (fingerprint.Lang, string) {
	if lang == fingerprint.Unknown {
		if lang = fingerprint.DetectLang(rel, data); lang == fingerprint.Unknown || lang == fingerprint.Text {
			return fingerprint.Unknown, walk.ReasonUnsupported
		}
	}
	if bytes.IndexByte(data[:min(len(data), binaryProbe)], 0) >= 0 {
		return lang, walk.ReasonBinary
	}
	if !utf8.Valid(data) {
		return lang, walk.ReasonInvalidUTF8
	}
	return lang, ""
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

// Read reads f and checks it: by name, then by content. It returns the
// file's bytes, valid until the next call, and its language; or the skip
// that rules it out.
func (r *Reader) Read(f *walk.File) ([]byte, fingerprint.Lang, *walk.Skip) {
	skip := func(reason string, err error) ([]byte, fingerprint.Lang, *walk.Skip) {
		return nil, fingerprint.Unknown, &walk.Skip{Path: f.Path(), Reason: reason, Err: err}
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
	lang, reason := Content(f.Name(), lang, data)
	if reason != "" {
		return skip(reason, nil)
	}
	return data, lang, nil
}

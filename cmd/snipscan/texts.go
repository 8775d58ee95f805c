package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/scanner"
	"github.com/snipscan/snipscan/walk"
)

// fileTexts reads the scanned files with findings for the attribution
// check (policy.Context.ReadTarget) and the code views of the HTML report
// (report.Options.ReadTarget). A target is a file on disk, or a member of
// an archive that was scanned, named "archive.zip/inner/path": it is read
// through the scan's reader of corpus files (scanner.Sources), which
// reads every member of an archive that the report needs in one pass.
// The sources' texts come from that reader too (Sources.Read), which
// gives only those it found unchanged.
type fileTexts struct {
	src *scanner.Sources
}

// newFileTexts returns the reader of the targets of a scan's results,
// telling src which archive members they are.
func newFileTexts(results []match.Result, src *scanner.Sources) *fileTexts {
	for _, f := range results {
		if len(f.Findings) == 0 {
			continue
		}
		if archive, member, ok := splitArchive(f.Path); ok {
			src.Want(archive, member)
		}
	}
	return &fileTexts{src: src}
}

// target reads a scanned file by its path in the report, decoded as the
// scan decoded it (filecheck.Decode), so that its lines are those of the
// findings.
func (t *fileTexts) target(p string) ([]byte, error) {
	data, err := t.rawTarget(p)
	if err != nil {
		return nil, err
	}
	text, _ := filecheck.Decode(data)
	return text, nil
}

// rawTarget reads the bytes of a scanned file by its path in the report.
func (t *fileTexts) rawTarget(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err == nil {
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file", p)
		}
		return t.src.ReadFile(p, "")
	}
	if archive, member, ok := splitArchive(p); ok {
		return t.src.ReadFile(archive, member)
	}
	return nil, err
}

// splitArchive splits a target path below an archive that was scanned into
// the archive's path and the member's slash path: "a/b.zip/c/d.go" gives
// "a/b.zip" and "c/d.go". It reports false unless some prefix of p with an
// archive's name is a regular file.
func splitArchive(p string) (archive, member string, ok bool) {
	for i := 0; i < len(p); i++ {
		if !os.IsPathSeparator(p[i]) || i == 0 || walk.ArchiveKind(p[:i]) == "" {
			continue
		}
		if fi, err := os.Stat(p[:i]); err == nil && fi.Mode().IsRegular() {
			return p[:i], filepath.ToSlash(p[i+1:]), true
		}
	}
	return "", "", false
}

package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/snipscan/snipscan/report"
)

// reportFile is one --report FORMAT=FILE: a report written to a file
// beside the one on stdout.
type reportFile struct {
	format, path string
}

// reportList is scan's --report flag, which may be given several times.
type reportList []reportFile

func (l *reportList) String() string {
	var parts []string
	for _, r := range *l {
		parts = append(parts, r.format+"="+r.path)
	}
	return strings.Join(parts, ", ")
}

// Set parses FORMAT=FILE, checking the format.
func (l *reportList) Set(v string) error {
	format, path, ok := strings.Cut(v, "=")
	switch {
	case !ok || format == "" || path == "":
		return errors.New("want FORMAT=FILE, such as json=snipscan.json")
	case !validFormat(format):
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(report.Formats(), ", "))
	case path == "-":
		return errors.New("stdout has the report of --format: give a file")
	}
	*l = append(*l, reportFile{format: format, path: path})
	return nil
}

// check refuses, before any work, a report whose directory does not
// exist, and two reports (or a report and --output) to the same file.
func (l reportList) check(output string) error {
	seen := map[string]string{}
	if output != "" && output != "-" {
		seen[absPath(output)] = "--output " + output
	}
	for _, r := range l {
		flag := "--report " + r.format + "=" + r.path
		if err := checkOutput(flag, r.path); err != nil {
			return err
		}
		abs := absPath(r.path)
		if prev, dup := seen[abs]; dup {
			return usagef("%s: %s writes that file already", flag, prev)
		}
		seen[abs] = flag
	}
	return nil
}

// absPath is p made absolute, or p when that fails.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// write renders doc into every file, each whole or not at all (see
// writeReport), without colour. It writes them all, and returns the
// errors of those it could not write.
func (l reportList) write(e env, doc *report.Document, opts report.Options) error {
	opts.Color = false
	var errs []error
	for _, r := range l {
		if err := writeReport(e, r.path, r.format, doc, opts); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

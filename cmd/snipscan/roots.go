package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/snipscan/snipscan/walk"
)

// unreadRoots returns an error naming the PATH arguments that could not be
// read, or read only in part (a corrupt or truncated archive, an
// unreadable file): the user asked for them, so this is not a skip to
// count but an error (exit 2), reported after the work on the other paths
// is done and kept. Files skipped inside a PATH stay skips.
func unreadRoots(args []string, skips []walk.Skip) error {
	roots := map[string]string{}
	for _, a := range args {
		roots[filepath.Clean(a)] = a
	}
	var msgs []string
	for _, s := range skips {
		arg, ok := roots[filepath.Clean(s.Path)]
		if !ok {
			continue
		}
		switch s.Reason {
		case walk.ReasonCorrupt, walk.ReasonUnreadable, walk.ReasonArchiveLimit:
			msg := fmt.Sprintf("%s: %s", arg, s.Reason)
			if s.Err != nil {
				msg += ": " + s.Err.Error()
			}
			msgs = append(msgs, msg)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	err := fmt.Errorf("could not read %s", strings.Join(msgs, "; "))
	if len(msgs) < len(args) {
		err = fmt.Errorf("%w (the other paths were processed)", err)
	}
	return err
}

// checkPaths refuses, before any work, a PATH argument that does not
// exist or is neither a directory nor a regular file (a device, a named
// pipe): a usage error that names it.
func checkPaths(paths []string) error {
	for _, p := range paths {
		if err := checkPath(p); err != nil {
			return err
		}
	}
	return nil
}

// checkPath returns a usage error naming p if it does not exist or is
// neither a directory nor a regular file.
func checkPath(p string) error {
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return usagef("%s: %v", p, unwrapPath(err))
	case !fi.IsDir() && !fi.Mode().IsRegular():
		return usagef("%s: not a directory, an archive or a file", p)
	}
	return nil
}

//go:build !unix

package gomod

// lockFile does not lock where flock is missing: concurrent downloads of
// one module by snipscan and the go command rely on atomic renames alone.
func lockFile(string) (func(), error) { return func() {}, nil }

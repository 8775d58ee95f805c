//go:build unix

package corpus

import (
	"os/signal"
	"syscall"
)

// signalIgnoreXFSZ ignores SIGXFSZ, so that a write past RLIMIT_FSIZE fails
// with EFBIG instead of ending the process.
func signalIgnoreXFSZ() { signal.Ignore(syscall.SIGXFSZ) }

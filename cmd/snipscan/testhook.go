package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// testHaltEnv names the environment variable of a hook for the crash
// tests only (e2e_test.go); it is not part of the command's interface and
// is not documented for users.
//
// When it is set, snipscan index and snipscan merge log every transaction
// of the corpus writer on stderr, "snipscan-test: KIND N" (KIND one of
// corpus.TxRoot, TxSegment, TxPostings, TxCommit, TxRemove; N its count of
// that kind). A value "KIND:N" also halts the run right after that
// transaction: it logs "snipscan-test: halted" and waits, the database
// left as a kill at that point would leave it, until the process is
// killed (the test's SIGKILL) or interrupted (SIGINT or SIGTERM: the run
// then goes on and stops as an interrupted run does). So a test stops a
// run at a known point instead of at a time that the machine's load
// makes unreliable.
const testHaltEnv = "SNIPSCAN_TEST_HALT"

// testHalt returns the hook testHaltEnv asks for, for
// corpus.WriterOptions.AfterTx, or nil when it is not set.
func testHalt(ctx context.Context, e env) func(kind string, n int) {
	v := e.getenv(testHaltEnv)
	if v == "" {
		return nil
	}
	kind, num, _ := strings.Cut(v, ":")
	at, err := strconv.Atoi(num)
	if err != nil {
		at = 0 // log only
	}
	return func(k string, n int) {
		fmt.Fprintf(e.stderr, "snipscan-test: %s %d\n", k, n)
		if k == kind && n == at {
			fmt.Fprintln(e.stderr, "snipscan-test: halted")
			<-ctx.Done()
		}
	}
}

// testProgressEnv names the environment variable of a hook for the
// progress bar's test only (ux_e2e_test.go), not documented for users:
// when it is set and the bar is shown, snipscan scan starts to scan only
// once the bar's total is counted and the bar drawn with it, so that the
// test sees the bar whatever the machine's speed.
const testProgressEnv = "SNIPSCAN_TEST_PROGRESS"

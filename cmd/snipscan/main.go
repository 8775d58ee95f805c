// Command snipscan finds code copied from licensed open-source software.
//
// Usage:
//
//	snipscan index [--db FILE] PATH...   index directories and archives of licensed code
//	snipscan scan  [--db FILE] PATH...   report code in PATH reused from the corpus
//	snipscan info  [--db FILE]           describe what the corpus holds
//	snipscan merge [--db FILE] SHARD...  merge databases built by separate index jobs
//
// Run snipscan help COMMAND for the flags of each command.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

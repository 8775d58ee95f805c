//go:build race

package main

// raceEnabled says that the tests run with the race detector: the
// command they build and run gets it too.
const raceEnabled = true

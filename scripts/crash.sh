#!/usr/bin/env bash
# Crash test: SIGKILL `snipscan index` of GOROOT/src/cmd/compile
# at N random points (default 25: transactions of the corpus writer drawn
# at random, after which the test hook halts the run), and after each
# check that the database opens, passes `snipscan check` and
# `info --check`, and that re-running
# the index completes the same corpus as an uninterrupted run (files,
# locations, postings, licenses and packages).
#
# Usage: scripts/crash.sh [points]
set -euo pipefail
cd "$(dirname "$0")/.."
SNIPSCAN_CRASH_POINTS=${1:-25} go test -count=1 -run TestKilledIndexResumes -v ./cmd/snipscan

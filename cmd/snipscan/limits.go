package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/walk"
)

// corpusChecker checks the databases a scan reads before it trusts them:
// an empty database is an error (nothing to scan against), and so is one
// an index or merge run left unfinished, unless allowIncomplete is set;
// then it is kept in incomplete, for the report to name.
type corpusChecker struct {
	allowIncomplete bool
	incomplete      []report.IncompleteCorpus
}

// check checks one database.
func (c *corpusChecker) check(db corpus.Reader) error {
	run, err := db.Unfinished()
	if err != nil {
		return err
	}
	if run != nil {
		if !c.allowIncomplete {
			return fmt.Errorf("%s: %w: %s (it was interrupted, killed or failed), "+
				"so the corpus may lack what it was adding and findings could be missing.\n"+
				"Run the same index or merge command again to complete it; or pass --allow-incomplete to scan it as it is "+
				"(the report then says the corpus is incomplete)",
				db.Path(), corpus.ErrUnfinished, unfinishedRun(run.Started))
		}
		c.incomplete = append(c.incomplete, report.IncompleteCorpus{Path: db.Path(), Started: run.Started})
	}
	has, err := db.HasFiles()
	if err != nil {
		return err
	}
	if !has {
		return fmt.Errorf("%s: %w: there is nothing to scan against", db.Path(), corpus.ErrEmpty)
	}
	return nil
}

// unfinishedRun names the run that left a database unfinished, in the
// words of every message about it.
func unfinishedRun(started time.Time) string {
	return "an index or merge run that started " + started.Local().Format(time.DateTime) + " did not finish"
}

// unscannedFiles lists the skips of files a scan could not read, for the
// report.
func unscannedFiles(skips []walk.Skip) []report.Unscanned {
	out := make([]report.Unscanned, 0, len(skips))
	for _, s := range skips {
		u := report.Unscanned{Path: s.Path, Reason: s.Reason}
		if s.Err != nil {
			u.Error = skipDetail(s.Err)
		}
		out = append(out, u)
	}
	return out
}

// skipLine says a skipped file as -v lists it: its path, the reason and
// what the error adds (skipDetail).
func skipLine(s walk.Skip) string {
	if s.Err == nil {
		return s.Path + ": " + s.Reason
	}
	return s.Path + ": " + s.Reason + ": " + skipDetail(s.Err)
}

// skipDetail says a skip's error in the command line's words: a file too
// large gives its size and the limit, named as its flag, in the binary
// units the flag takes ("16.4 MiB, over --max-file-size 16 MiB").
func skipDetail(err error) string {
	var se *walk.SizeError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s, over --max-file-size %s", binarySize(se.Size), binarySize(se.Limit))
	}
	return err.Error()
}

// binarySize writes a number of bytes in KiB, MiB or GiB, with one
// decimal unless it is whole (16 MiB, 16.4 MiB), or in bytes below 1 KiB.
func binarySize(n int64) string {
	units := []string{"GiB", "MiB", "KiB"}
	for i, u := range sizeUnits {
		if n >= u.factor {
			s := strconv.FormatFloat(float64(n)/float64(u.factor), 'f', 1, 64)
			return strings.TrimSuffix(s, ".0") + " " + units[i]
		}
	}
	return report.Count(int(n)) + " bytes"
}

// noteLimits says on stderr what the scan did not cover: a corpus read
// unfinished, and files it could not read (listed with -v).
func noteLimits(e env, doc *report.Document) {
	for _, c := range doc.IncompleteCorpus {
		fmt.Fprintf(e.stderr, "snipscan scan: warning: the corpus %s is incomplete (%s): findings may be missing\n",
			c.Path, unfinishedRun(c.Started))
	}
	n := len(doc.Unscanned)
	if n == 0 {
		return
	}
	rule := report.UnscannedRule(doc.UnscannedFails(), doc.Summary.UnscannedBy, `set unscanned = "warn" in a policy file to only list them`)
	fmt.Fprintf(e.stderr, "snipscan scan: %s file%s could not be scanned%s; -v lists them, so does the report\n", report.Count(n), plural(n), rule)
}

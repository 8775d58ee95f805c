package main

import (
	"fmt"
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
func (c *corpusChecker) check(db *corpus.DB) error {
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
			u.Error = s.Err.Error()
		}
		out = append(out, u)
	}
	return out
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
	verdict := `the policy warns (unscanned = "warn")`
	if doc.UnscannedFails() {
		verdict = `the policy fails the scan (unscanned = "fail"; set unscanned = "warn" in a policy file to only list them)`
	}
	fmt.Fprintf(e.stderr, "snipscan scan: %d file%s could not be scanned (-v lists them, so does the report): %s\n", n, plural(n), verdict)
}

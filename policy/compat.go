package policy

import (
	"strings"

	"github.com/snipscan/snipscan/license"
)

// inbound lists, for copyleft licenses, the project licenses that may take
// code under them: the same license, a later version where the source
// allows "or later", and the combinations the licenses themselves permit
// (GPLv3 section 13 for AGPL, LGPL section 3 for GPL, MPL-2.0's secondary
// licenses). It is deliberately conservative: a pair not listed is not
// compatible, and the finding gets its category's verdict.
var inbound = map[string][]string{
	"GPL-2.0-only":      {"GPL-2.0-only", "GPL-2.0-or-later"},
	"GPL-2.0-or-later":  {"GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"GPL-3.0-only":      {"GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"GPL-3.0-or-later":  {"GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"AGPL-3.0-only":     {"AGPL-3.0-only", "AGPL-3.0-or-later"},
	"AGPL-3.0-or-later": {"AGPL-3.0-only", "AGPL-3.0-or-later"},
	"LGPL-2.1-only":     {"LGPL-2.1-only", "LGPL-2.1-or-later", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"LGPL-2.1-or-later": {"LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"LGPL-3.0-only":     {"LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"LGPL-3.0-or-later": {"LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
	"MPL-2.0":           {"MPL-2.0", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"},
}

// compatibleWith reports whether code under l may go into a project
// licensed under project (an SPDX expression). A project under a choice
// (OR) offers each of its licenses: the code must be compatible with
// every one, or it would take the others away (GPL-only code leaves an
// "MIT OR GPL-3.0-or-later" project GPL only). A project under several
// licenses at once (AND) is under all of them as a whole: the code is
// compatible when one of them may take it (GPL-only code in an "MIT AND
// GPL-3.0-or-later" project, which is GPL as a whole).
func compatibleWith(project string, l license.Leaf) bool {
	if project == "" {
		return false
	}
	// Reduce keeps the lowest score of an OR and the highest of an AND:
	// with 0 for a license that takes the code and -1 for one that does
	// not, an OR scores 0 when all its operands take it, an AND when any
	// does.
	score, err := license.Reduce(project, func(p license.Leaf) int {
		if takes(p, l) {
			return 0
		}
		return -1
	})
	return err == nil && score == 0
}

// compatibleWithSome reports whether code under l may go into a project
// under one of the licenses of project, if not all: code that narrows
// the project's choice of licenses.
func compatibleWithSome(project string, l license.Leaf) bool {
	leaves, err := license.Leaves(project)
	if err != nil {
		return false
	}
	for _, p := range leaves {
		if takes(p, l) {
			return true
		}
	}
	return false
}

// takes reports whether a project under the one license p may take code
// under l.
func takes(p, l license.Leaf) bool {
	if p.ID == l.ID && p.Exception == l.Exception {
		return true
	}
	if l.Exception != "" {
		return false
	}
	for _, to := range inbound[l.ID] {
		if strings.EqualFold(to, p.ID) {
			return true
		}
	}
	return false
}

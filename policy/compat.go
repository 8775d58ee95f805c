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
// licensed under project (an SPDX expression; under an OR any of its
// licenses may take it, under an AND every one must).
func compatibleWith(project string, l license.Leaf) bool {
	if project == "" {
		return false
	}
	ok, err := license.Reduce(project, func(p license.Leaf) int {
		if p.ID == l.ID && p.Exception == l.Exception {
			return 0
		}
		if l.Exception == "" {
			for _, to := range inbound[l.ID] {
				if strings.EqualFold(to, p.ID) {
					return 0
				}
			}
		}
		return 1
	})
	return err == nil && ok == 0
}

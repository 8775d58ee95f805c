package spdxindex

import (
	"cmp"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// PreferID orders the IDs of identical texts, the preferred first: a
// current SPDX ID before a deprecated one, before an ID outside the list;
// of GNU versions, "-only" before "-or-later" (the text alone grants no
// later version); then by ID.
func PreferID(a, b string) int {
	return cmp.Or(cmp.Compare(idRank(a), idRank(b)),
		cmp.Compare(laterRank(a), laterRank(b)), cmp.Compare(a, b))
}

func idRank(id string) int {
	if ok, _ := spdxlicenses.IsActiveLicense(id); ok {
		return 0
	}
	if ok, _ := spdxlicenses.IsDeprecatedLicense(id); ok {
		return 1
	}
	return 2
}

func laterRank(id string) int {
	if strings.HasSuffix(id, "-or-later") || strings.HasSuffix(id, "+") {
		return 1
	}
	return 0
}

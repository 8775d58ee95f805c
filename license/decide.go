package license

import (
	"slices"
	"strings"
)

// Decide applies the precedence of snipscan's design for one corpus file
// and returns the license expression and the Source* constant that
// decided it, or "", "" when nothing is known:
//
//  1. SPDX-License-Identifier tags in the header (SourceTag; several tag
//     lines naming the licenses the package offers as a choice, one
//     license a line, restate that choice);
//  2. license notices, texts, references and URLs in the header (SourceHeader;
//     a header naming with "and" the licenses that the license files or the
//     declared license offer as a choice restates that choice),
//     except that a header which itself points at the license file ("governed
//     by a BSD-style license that can be found in the LICENSE file") defers to
//     that file over short references and URLs, which such headers use for
//     provenance ("derived from code dual licensed under GPL and Apache 2");
//  3. the nearest license file up to the package root, if it names a
//     license (SourceLicenseFile; nearest is nil when there is none),
//     except that a header which points at the license file and names
//     the license's family ("governed by a BSD-style license that can be
//     found in the LICENSE file") is not governed by a file of another
//     family: The Go Authors' BSD header on a file copied into a GPL
//     project keeps its Hint, BSD-3-Clause (SourceHeader; see contradicts);
//  4. the package's declared license, parsed with ParseDeclared (SourcePackage);
//  5. the header's Hint ("BSD-style" -> "BSD-3-Clause"), a guess kept
//     last (SourceHeader).
func Decide(header Result, nearest *Result, declared string) (expression, source string) {
	var tags, strong, weak int
	for _, m := range header.Matches {
		if m.Part {
			continue // no grant of the file's own license
		}
		switch m.Evidence {
		case EvidenceTag:
			tags++
		case EvidenceReference, EvidenceURL:
			weak++
		default:
			strong++
		}
	}
	// The header's own license, as Result.Expression states it.
	own := ownExpression(header.Matches)
	hasFile := nearest != nil && nearest.Expression != ""
	switch {
	case tags == 1:
		return own.String(), SourceTag
	case tags > 1:
		// "SPDX-License-Identifier: Apache-2.0" and "...: MIT" on two
		// lines, in a package that offers the two as a choice.
		return sameChoice(own, nearest, declared).String(), SourceTag
	case own != nil && (strong > 0 || weak > 0 && !(header.RefersTo != "" && hasFile)):
		// (Statements that the header's combination drops, such as the URL
		// of a part's license, leave no own expression: the file decides.)
		return sameChoice(own, nearest, declared).String(), SourceHeader
	case hasFile && contradicts(header, nearest.Expression):
		return header.Hint, SourceHeader
	case hasFile:
		return nearest.Expression, SourceLicenseFile
	}
	if d := ParseDeclared(declared); d != "" {
		return d, SourcePackage
	}
	if header.Hint != "" {
		return header.Hint, SourceHeader
	}
	return "", ""
}

// sameChoice returns the package's choice when a header joins the same
// licenses with AND: "Released under the Apache license 2.0 and Mozilla
// Public License 2.0" in a package whose license files or manifest offer
// Apache-2.0 OR MPL-2.0 restates that choice. Otherwise it returns e.
func sameChoice(e *expr, nearest *Result, declared string) *expr {
	if e == nil || e.op != opAnd {
		return e
	}
	var candidates []string
	if nearest != nil {
		candidates = append(candidates, nearest.Expression)
	}
	candidates = append(candidates, ParseDeclared(declared))
	for _, c := range candidates {
		ce, err := parseExpr(c, true)
		if err != nil || ce.op != opOr {
			continue
		}
		if slices.Equal(ce.ids(), e.ids()) && flat(ce) && flat(e) {
			return ce
		}
	}
	return e
}

// flat reports whether e is one operator over single licenses.
func flat(e *expr) bool {
	for _, k := range e.kids {
		if k.op != 0 {
			return false
		}
	}
	return true
}

// contradicts reports whether a header that defers to a license file and
// names the license's family (Result.RefersTo and Result.Hint: "a
// BSD-style license that can be found in the LICENSE file") is
// contradicted by the license file found, lic: every license of lic is a
// known SPDX license, and none of them is of the family the header names
// (see styleOf). A file of the same family decides, and so does one that
// holds a license the classifier does not know (LicenseRef-...), which
// the header's author may well call BSD-style.
func contradicts(header Result, lic string) bool {
	if header.RefersTo == "" || header.Hint == "" {
		return false
	}
	e, err := parseExpr(lic, true)
	if err != nil || e == nil {
		return false
	}
	style := styleOf(header.Hint)
	return e.all(func(l *expr) bool {
		return !strings.HasPrefix(l.id, "LicenseRef-") && styleOf(l.id) != style
	})
}

// styleOf returns the family that an "X-style" wording names a license
// by: "BSD" for the BSD licenses and 0BSD, "MIT" for MIT, MIT-0, X11 and
// ISC (the "MIT-style" licenses), else the license's family
// (licenseFamily: "GPL" for GPL-3.0-or-later).
func styleOf(id string) string {
	switch {
	case strings.HasPrefix(id, "BSD-") || id == "0BSD":
		return "BSD"
	case strings.HasPrefix(id, "MIT") || id == "X11" || id == "ISC":
		return "MIT"
	}
	return licenseFamily(licenseBase(id))
}

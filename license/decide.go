package license

// Decide applies the precedence of snipscan's design for one corpus file
// and returns the license expression and the Source* constant that
// decided it, or "", "" when nothing is known:
//
//  1. SPDX-License-Identifier tags in the header (SourceTag);
//  2. license notices, texts, references and URLs in the header (SourceHeader),
//     except that a header which itself points at the license file ("governed
//     by a BSD-style license that can be found in the LICENSE file") defers to
//     that file over short references and URLs, which such headers use for
//     provenance ("derived from code dual licensed under GPL and Apache 2");
//  3. the nearest license file up to the package root, if it names a
//     license (SourceLicenseFile; nearest is nil when there is none);
//  4. the package's declared license, parsed with ParseDeclared (SourcePackage);
//  5. the header's Hint ("BSD-style" -> "BSD-3-Clause"), a guess kept
//     last (SourceHeader).
func Decide(header Result, nearest *Result, declared string) (expression, source string) {
	var tags, strong, weak []Match
	for _, m := range header.Matches {
		switch m.Evidence {
		case EvidenceTag:
			tags = append(tags, m)
		case EvidenceReference, EvidenceURL:
			weak = append(weak, m)
		default:
			strong = append(strong, m)
		}
	}
	hasFile := nearest != nil && nearest.Expression != ""
	switch {
	case len(tags) > 0:
		return combine(tags).String(), SourceTag
	case len(strong) > 0:
		return combine(append(strong, weak...)).String(), SourceHeader
	case len(weak) > 0 && !(header.RefersTo != "" && hasFile):
		return combine(weak).String(), SourceHeader
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

package license

// Decide applies the precedence of snipscan's design for one corpus file
// and returns the license expression and the Source* constant that
// decided it, or "", "" when nothing is known:
//
//  1. SPDX-License-Identifier tags in the header (SourceTag);
//  2. license notices, texts, references and URLs in the header (SourceHeader);
//  3. the nearest license file up to the package root, if it names a
//     license (SourceLicenseFile; nearest is nil when there is none);
//  4. the package's declared license, parsed with ParseDeclared (SourcePackage);
//  5. the header's Hint ("BSD-style" -> "BSD-3-Clause"), a guess kept
//     last (SourceHeader).
func Decide(header Result, nearest *Result, declared string) (expression, source string) {
	var tags, others []*expr
	for _, m := range header.Matches {
		e, err := parseExpr(m.Expression, true)
		if err != nil {
			continue
		}
		if m.Evidence == EvidenceTag {
			tags = append(tags, e)
		} else {
			others = append(others, e)
		}
	}
	if len(tags) > 0 {
		return join(opAnd, tags...).String(), SourceTag
	}
	if len(others) > 0 {
		return join(opAnd, others...).String(), SourceHeader
	}
	if nearest != nil && nearest.Expression != "" {
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

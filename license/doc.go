// Package license classifies license texts, notices and file headers and
// extracts copyright statements, for attributing code in a snipscan
// corpus. It wraps github.com/google/licensecheck behind a small API.
//
// # Classifying
//
// Build one Classifier and share it among goroutines:
//
//	c := license.New()
//	hdr := c.Header(headerBytes)   // comment header of a source file
//	lic := c.LicenseFile(licBytes) // LICENSE, COPYING, NOTICE, ...
//	expr, source := license.Decide(hdr, &lic, declared)
//
// A Result holds the SPDX expression (the text's SPDX tags when it has
// some, else every match combined with AND, deduplicated and canonical;
// see Grants and choices), the matches with byte offsets, lines,
// evidence and confidence, the copyright statements and holders, and,
// when a header only points elsewhere ("governed by a BSD-style license
// that can be found in the LICENSE file"), RefersTo and a Hint.
//
// # Evidence
//
// Matches come from these kinds of evidence, found in this order:
//
//   - "tag": SPDX-License-Identifier lines, parsed as real expressions
//     (AND, OR, WITH, parentheses, "+"); identifiers are validated against
//     the SPDX list of github.com/github/go-spdx and normalized:
//     deprecated IDs become current ones (GPL-2.0+ is GPL-2.0-or-later,
//     GPL-2.0 is GPL-2.0-only, GPL-2.0-with-classpath-exception is
//     GPL-2.0-only WITH Classpath-exception-2.0); unknown IDs are kept as
//     LicenseRef-<id> with confidence 0.5.
//   - "reference": short references found by this package's own word
//     patterns: a verb ("licensed", "released", "distributed", "governed",
//     "redistribute ... modify it", ...) then a preposition and a license
//     name list ("MIT", "the Apache License, Version 2.0", "GPL v2 or
//     later", "either MIT or Apache-2.0 at your option"), "License: X",
//     "@license X", "placed in the public domain", "same terms as Perl".
//     Names cover SPDX IDs and common spellings; see ParseDeclared.
//   - "url": license URLs, normalized (scheme, "www.", case, trailing
//     ".html"/".txt"/".php", "/legalcode") and looked up in licensecheck's
//     URL table plus snipscan's (gnu.org, apache.org, mozilla.org,
//     spdx.org/licenses/<ID>, opensource.org/licenses/<ID>, ...).
//   - "text": full license texts matched word by word against the index
//     of package license/spdxindex (every text of the SPDX License List,
//     with licensecheck's patterns and licenseclassifier's texts), as the
//     SPDX License List Matching Guidelines define a match: case,
//     punctuation, quotes, dashes, bullets and numbering, copyright
//     lines and varietal spellings do not count, a title and a "How to
//     Apply" appendix may be missing, and replaceable text (years,
//     holders) may be anything. Match.Coverage is the share of the
//     license's required words found in order; a text matches from
//     spdxindex.Threshold on, unless the text adds or lacks a clause; of
//     near variants (MIT and X11, BSD-2-, 3- and 4-Clause) a text that
//     misses a clause its variant lacks loses, then the one with the
//     fewest words unexplained wins. In license files and any text, and
//     in headers of at least 120 words. Where licensecheck finds a notice
//     or another license inside such a text (its sample notice), the
//     text decides; where it names another license on the same words,
//     both licenses' texts are measured on those words and licensecheck's
//     stands if it fits as well, or if the text is not on the SPDX list.
//   - "notice" and "text": licensecheck matches. A match is a notice when
//     licensecheck reports an -only/-or-later notice ID or when it spans
//     less than 30% of the license's pattern, a text otherwise.
//
// Where a reference or URL overlaps a licensecheck match, licensecheck
// wins, except that a dual-license reference ("Apache-2.0 OR MIT") beats
// a notice licensecheck matched on its first words. Stated exceptions
// ("Classpath" exception, GCC Runtime Library Exception, LLVM
// Exceptions, Linux syscall note, ...) are attached with WITH.
//
// # Grants and choices
//
// A statement is read as a grant when it speaks of the text's own work. A
// choice left to the licensee is an OR wherever its words fall: "licensed
// under either of A or B", "use it, at your option, under A or B", "A.
// Alternatively, ... B", "A or, at your choice, B", "dual licensed A and
// B", "choose between A and B", bulleted and numbered lists, Markdown
// links joined with "+". A range of versions ("version 2 of the License,
// or (at your option) any later version") is one -or-later license.
// Examples ("a license such as the GPL"), "the general public", words that
// are also license names ("to json") and the sample notices of a
// license's "How to Apply" appendix grant nothing.
//
// Nor does a statement marked Match.Part, with the reason in Match.Why:
// a reference whose clause, before its verb, speaks of a part, an origin
// or a component ("libfoo, which is ...", "derived from", "the bundled
// sizzle.js", WhyPart), of another work ("Unlike our SDK, released under
// ...", WhyOtherWork) or of a part that is not code ("The documentation
// is ...", "rights for sample code are waived via CC0", WhyNonCode), or
// whose verb is negated ("is not licensed under", WhyNegated); and any
// statement in a section about other components (under a heading
// "THIRD-PARTY COMPONENTS", "# Dependencies", or in the paragraph that
// "This product bundles the following libraries:" introduces,
// WhyComponents) or about a part that is not code ("# Fonts"). A full
// text or URL of a license that such a statement names, after it, is that
// part's text. A text that grants nothing but licenses of parts that are
// not code (a LICENSE.docs) states those licenses.
//
// A license's or an exception's own words grant nothing either: a tag,
// reference or notice inside or right above a full text of another
// license whose words hold it (the CAL-1.0's sample
// "SPDX-License-Identifier" lines), a statement in the text of a stated
// exception (the LLVM exception's "software that is licensed under the
// GPLv2"), and a full text that is a part of the text of a license the
// text names or holds on the same words (OpenSSL-standalone under the
// title "OpenSSL License", the BSD-4-Clause text that the Sendmail
// license quotes); see spdxindex.Matcher.Holds and PartOf.
//
// Within one text, the full text or URL of a license that a choice offers,
// or that a notice grants, is that license's text, not a second grant. A
// notice, reference or tag is one of a choice's alternatives only when
// every alternative has a statement of its own in the text (a GPL notice
// and the MIT text under "use it under either the GPL or the MIT
// license"); otherwise it stays a grant beside the choice, and GPL-2.0-only
// AND (GPL-2.0-only OR MIT) is GPL-2.0-only. A statement marked
// Match.Part describes none of the text's own licensing: a GPL notice
// beside "derived from Bar, which is dual licensed under the GPL or the
// MIT license" is GPL-2.0-only.
//
// CombineFiles and CombineDeclared decide how the license files of one
// directory combine (choices stated by the manifest, a file, or a README
// when each license it offers is held by a file or declared; files named
// after their license; documentation licenses apart; LGPL-3.0 with the
// GPL-3.0 text it incorporates; AND otherwise), and ReadmeLicense reads
// what a README's license section says of the package itself. Choose
// makes the licensee's choice for a policy: the best-scored alternative
// of every OR, the least restrictive among equals; Reduce is the score
// of that choice.
//
// # Cost
//
// Header is called on every file of a corpus, so it is layered:
//
//  1. a byte prefilter: without "licen", "copyright", "spdx", "(c)", "©",
//     "gpl", "public domain", ... the result is empty at once;
//  2. results of identical texts are cached (two generations of 4 MiB);
//  3. tags, references, URLs and copyrights are found with hand-written
//     scanners, so Go's standard header needs no licensecheck at all;
//  4. licensecheck runs only when text outside the statements found so
//     far still holds two or more kinds of license vocabulary, and then
//     with a scanner of ~32 common licenses built on first use;
//  5. when that leaves license-looking text mostly unexplained, Header
//     scans with a scanner of the few licenses (at most 12) whose
//     vocabulary the text covers, and LicenseFile and Text with the full
//     licensecheck set, built once (seconds, ~100 MiB).
//
// The index of full texts (about 2 MB embedded) is decoded on the first
// text that needs it, once per Classifier; headers shorter than 120 words
// never load it.
//
// BenchmarkBuildSubset, BenchmarkBuildFull, BenchmarkGorootHeaders,
// BenchmarkLicenseFiles and spdxindex's BenchmarkLoad measure these
// costs.
//
// # Categories
//
// CategoryOf maps an expression to a Category for policies. The
// categories derive from licensecheck.Type bits (Unrestricted, Notice,
// ShareChanges, ShareProgram, ShareServer, NonCommercial). licensecheck
// v0.3.1 defines that vocabulary but sets it for only one built-in
// license, so typeRules supplies the bits for license families; OR takes
// the least restrictive operand, AND the most restrictive.
//
// # Precedence
//
// Decide applies the design's precedence for one corpus file: SPDX tag in
// the header, then a license statement in the header, then the nearest
// license file, then the package's declared license, then the header's
// Hint, and reports which source decided (SourceTag, SourceHeader,
// SourceLicenseFile, SourcePackage). A header that points at the license
// file and names its family ("governed by a BSD-style license that can be
// found in the LICENSE file") keeps its Hint over a license file of
// another family: The Go Authors' files in a GPL module are BSD-3-Clause.
package license

package report

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
)

// spdxNamespaceBase starts the namespace of every SPDX document snipscan
// writes; a UUID derived from the document ends it.
const spdxNamespaceBase = "https://github.com/snipscan/snipscan/spdx/"

// noAssertion is SPDX's value for "not determined".
const noAssertion = "NOASSERTION"

// SPDX writes doc as an SPDX 2.3 JSON document (--format spdx-json):
//
//   - a Package for every scanned target (the PATH arguments, in
//     doc.Targets), which the document DESCRIBES and which CONTAINS the
//     target files that have findings (files outside every target go to
//     one more package);
//   - a File for each of these, with its SHA1 and SHA256 checksums when
//     opts.ReadFile (or os.ReadFile) can read it now;
//   - a Snippet for every finding: its byte and line ranges in the target
//     file, the source's license as licenseConcluded (for a license that
//     offers a choice, the licenses the policy evaluated the copy under,
//     the licenseComments naming the whole expression) and its copyright
//     statements as copyrightText (NOASSERTION when unknown), and a
//     comment naming the source file, its lines and how much matched, and
//     whether the source changed or is gone since it was indexed;
//   - for a snippet whose source changed or is gone, an annotation of type
//     OTHER by the tool on the target file, naming the snippet;
//   - a Package for every origin (a source package, or the indexed root of
//     code without package metadata) with its version, purl and declared
//     license, and a DESCENDANT_OF relationship from each snippet to it;
//   - every LicenseRef- used, in hasExtractedLicensingInfos;
//   - in the document's comment, and the comment of the target package
//     concerned, the files the scan could not read (Document.Unscanned)
//     and the corpora it read unfinished: no claim is made about them.
//
// The creation time comes from opts.Now. The namespace ends with a UUID
// derived from the tool, the creation time, the targets, the findings and
// the files' checksums: runs at different times get different namespaces,
// and a rendering with a fixed clock is reproducible.
func SPDX(w io.Writer, doc *Document, opts Options) error {
	sd := spdxDocument(doc, opts)
	if err := spdxjson.Write(sd, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("report: spdx-json: %w", err)
	}
	return nil
}

// spdxBuilder holds the state of one SPDX rendering.
type spdxBuilder struct {
	out     *spdx.Document
	ids     uniqueIDs
	refs    map[string]bool // LicenseRef- identifiers used
	tool    string          // the creating tool, as in the creation info
	created string          // the creation time, as in the creation info
}

func spdxDocument(doc *Document, opts Options) *spdx.Document {
	created := opts.created()
	tool := doc.Tool.Name
	if tool == "" {
		tool = "snipscan"
	}
	if doc.Tool.Version != "" {
		tool += "-" + doc.Tool.Version
	}
	name := strings.Join(append([]string{"snipscan scan"}, doc.Targets...), " ")
	b := &spdxBuilder{
		out: &spdx.Document{
			SPDXVersion:    spdx.Version,
			DataLicense:    spdx.DataLicense,
			SPDXIdentifier: "DOCUMENT",
			DocumentName:   name,
			DocumentComment: "Code reused from licensed software, as found by snipscan in the scanned targets: " +
				"each snippet is DESCENDANT_OF the package it was copied from.",
			CreationInfo: &spdx.CreationInfo{
				Creators: []common.Creator{{CreatorType: "Tool", Creator: tool}},
				Created:  created.Format(time.RFC3339),
			},
		},
		ids:     uniqueIDs{},
		refs:    map[string]bool{},
		tool:    tool,
		created: created.Format(time.RFC3339),
	}
	h := docHash("spdx-json", doc, created)

	roots := make([]*spdx.Package, len(doc.Targets))
	for i, t := range doc.Targets {
		roots[i] = b.targetPackage(t, "a PATH argument of snipscan scan; only its files with findings are listed")
	}
	if limits := sbomLimits(doc); limits != "" {
		b.out.DocumentComment += " " + limits
		unscanned := make([]int, len(doc.Targets))
		for _, u := range doc.Unscanned {
			if ti := targetOf(doc.Targets, u.Path); ti >= 0 {
				unscanned[ti]++
			}
		}
		for i, n := range unscanned {
			if n > 0 {
				roots[i].PackageComment += fmt.Sprintf("; %d of its files could not be scanned (the document comment names them): "+
					"this document makes no claim about their content", n)
			}
		}
	}
	var unlisted *spdx.Package

	origs := origins(doc)
	originOf := map[*Match]common.ElementID{}
	originPkgs := make([]*spdx.Package, len(origs))
	for i, o := range origs {
		originPkgs[i] = b.originPackage(o)
		for _, ht := range o.hits {
			originOf[ht.match] = originPkgs[i].PackageSPDXIdentifier
		}
	}

	var contains, descends []*spdx.Relationship
	for i := range doc.Files {
		f := &doc.Files[i]
		var pkg *spdx.Package
		var fileName string
		if ti := targetOf(doc.Targets, f.Path); ti >= 0 {
			pkg, fileName = roots[ti], relPath(doc.Targets[ti], f.Path)
		} else {
			if unlisted == nil {
				unlisted = b.targetPackage("scanned files", "files scanned outside the PATH arguments listed")
			}
			pkg, fileName = unlisted, strings.TrimPrefix(filepath.ToSlash(filepath.Clean(f.Path)), "/")
		}
		sf := &spdx.File{
			FileName:           "./" + fileName,
			FileSPDXIdentifier: common.ElementID(b.ids.get("File-" + shortHash(f.Path))),
			Checksums:          []common.Checksum{},
			FileCopyrightText:  noAssertion,
		}
		content, err := opts.readFile(f.Path)
		if err == nil {
			s1, s256 := sha1.Sum(content), sha256.Sum256(content)
			sf.Checksums = []common.Checksum{
				{Algorithm: common.SHA1, Value: hex.EncodeToString(s1[:])},
				{Algorithm: common.SHA256, Value: hex.EncodeToString(s256[:])},
			}
			fmt.Fprintf(h, "sum\x00%s\x00%x\x00", f.Path, s256)
		} else {
			content = nil
			sf.FileComment = "snipscan could not read the file when writing this document: no checksums"
		}
		b.out.Files = append(b.out.Files, sf)
		contains = append(contains, relationship(pkg.PackageSPDXIdentifier, common.TypeRelationshipContains, sf.FileSPDXIdentifier))

		for j := range f.Matches {
			m := &f.Matches[j]
			sn := b.snippet(f, j, sf.FileSPDXIdentifier, content)
			b.out.Snippets = append(b.out.Snippets, sn)
			if note := sourceNote(m.Source); note != "" {
				sf.Annotations = append(sf.Annotations, b.staleAnnotation(sf.FileSPDXIdentifier, sn.SnippetSPDXIdentifier, m, note))
			}
			// DESCENDANT_OF ("same lineage but postdates") says what a
			// finding claims: the target's region derives from the origin's
			// code, possibly renamed and reformatted, and came after it.
			// COPY_OF would claim an exact copy of the whole package, and
			// GENERATED_FROM a build product (a binary from its sources);
			// VARIANT_OF would leave open which came first, while snipscan
			// reports the indexed corpus as the origin.
			descends = append(descends, relationship(sn.SnippetSPDXIdentifier, common.TypeRelationshipDescendantOf, originOf[m]))
		}
	}

	for _, p := range roots {
		b.out.Packages = append(b.out.Packages, p)
	}
	if unlisted != nil {
		b.out.Packages = append(b.out.Packages, unlisted)
	}
	for _, p := range b.out.Packages {
		b.out.Relationships = append(b.out.Relationships, relationship("DOCUMENT", common.TypeRelationshipDescribe, p.PackageSPDXIdentifier))
	}
	b.out.Packages = append(b.out.Packages, originPkgs...)
	b.out.Relationships = append(b.out.Relationships, contains...)
	b.out.Relationships = append(b.out.Relationships, descends...)

	refs := make([]string, 0, len(b.refs))
	for r := range b.refs {
		refs = append(refs, r)
	}
	slices.Sort(refs)
	for _, r := range refs {
		b.out.OtherLicenses = append(b.out.OtherLicenses, &spdx.OtherLicense{
			LicenseIdentifier: r,
			ExtractedText:     noAssertion,
			LicenseName:       strings.TrimPrefix(r, "LicenseRef-"),
			LicenseComment: "A license snipscan identified in the source's license notices without an SPDX identifier; " +
				"snipscan keeps no license texts: the source package holds it.",
		})
	}
	b.out.DocumentNamespace = spdxNamespaceBase + "scan-" + hashUUID(h)
	return b.out
}

// targetPackage returns the package of a scanned target.
func (b *spdxBuilder) targetPackage(name, comment string) *spdx.Package {
	return &spdx.Package{
		PackageName:               name,
		PackageSPDXIdentifier:     common.ElementID(b.ids.get("Target-" + shortHash(name))),
		PackageDownloadLocation:   noAssertion,
		FilesAnalyzed:             true,
		IsFilesAnalyzedTagPresent: true,
		PackageComment:            comment,
	}
}

// originPackage returns the package of an origin. Its declared license is
// the license all of its findings agree on, else NOASSERTION (each
// snippet carries its own).
func (b *spdxBuilder) originPackage(o *origin) *spdx.Package {
	p := &spdx.Package{
		PackageName:               o.name,
		PackageSPDXIdentifier:     common.ElementID(b.ids.get("Package-" + shortHash(o.key))),
		PackageVersion:            o.version,
		PackageDownloadLocation:   noAssertion,
		FilesAnalyzed:             false,
		IsFilesAnalyzedTagPresent: true,
		PackageLicenseDeclared:    noAssertion,
		PackageCopyrightText:      noAssertion,
	}
	if o.purl != "" {
		p.PackageExternalReferences = []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager, RefType: common.TypePackageManagerPURL, Locator: o.purl,
		}}
	}
	if o.root != "" {
		p.PackageComment = "code indexed from " + o.root + " without package metadata"
	}
	var lics []string
	for _, l := range o.licenses() {
		if e, _ := b.license(l); !slices.Contains(lics, e) {
			lics = append(lics, e)
		}
	}
	switch {
	case len(lics) == 1:
		p.PackageLicenseDeclared = lics[0]
	case len(lics) > 1:
		p.PackageLicenseComments = "the matched files carry different licenses: " + strings.Join(lics, "; ")
	}
	if cs := o.copyrights(); len(cs) > 0 {
		p.PackageCopyrightText = strings.Join(cs, "\n")
	}
	return p
}

// snippet returns the snippet of the j-th finding of f, found in the SPDX
// file id, whose content is nil when it could not be read.
func (b *spdxBuilder) snippet(f *File, j int, file common.ElementID, content []byte) spdx.Snippet {
	m := &f.Matches[j]
	id := m.ID
	if id == "" {
		id = shortHash(fmt.Sprintf("%s\x00%d", f.Path, j))
	}
	lic, comment := b.concluded(m)
	copyright := noAssertion
	if len(m.Source.Copyrights) > 0 {
		copyright = strings.Join(m.Source.Copyrights, "\n")
	}
	context := findingContext(m)
	if note := sourceNote(m.Source); note != "" {
		context += "; " + note
	}
	return spdx.Snippet{
		SnippetSPDXIdentifier:         common.ElementID(b.ids.get("Snippet-" + id)),
		SnippetFromFileSPDXIdentifier: file,
		Ranges:                        spdxRanges(file, m, content),
		SnippetLicenseConcluded:       lic,
		SnippetLicenseComments:        comment,
		SnippetCopyrightText:          copyright,
		SnippetComment:                context,
	}
}

// concluded returns a snippet's concluded license and the comment that
// says where it comes from. It is the source's license, read from the
// evidence licenseEvidence names; for a license that offers a choice
// ("GPL-3.0-only OR MIT") it is the licenses the policy evaluated the copy
// under (Decision.LicenseChoice), the comment naming the whole
// expression: the choice is what the product relies on, while the origin
// package's declared license keeps the expression.
func (b *spdxBuilder) concluded(m *Match) (expr, comment string) {
	s := m.Source
	expr, comment = b.license(s.License)
	if expr == noAssertion {
		return expr, comment
	}
	from := ""
	if why := licenseEvidence(s); why != "" {
		from = ", from " + why
		comment = "the license of " + s.Path + from
	}
	if c := m.Policy.LicenseChoice; c != "" {
		if chosen, _ := b.license(c); chosen != noAssertion {
			return chosen, fmt.Sprintf("%s is licensed %s%s, a choice of licenses; concluded %s, the choice snipscan's policy evaluated this copy under",
				s.Path, expr, from, chosen)
		}
	}
	return expr, comment
}

// staleAnnotation returns the annotation, on the target file, of a
// snippet whose source file changed or is gone since it was indexed:
// snippets carry no annotations in tools-golang's SPDX 2.3 model, so the
// file that holds the snippet does, naming it.
func (b *spdxBuilder) staleAnnotation(file, snippet common.ElementID, m *Match, note string) spdx.Annotation {
	return spdx.Annotation{
		Annotator:                common.Annotator{AnnotatorType: "Tool", Annotator: b.tool},
		AnnotationDate:           b.created,
		AnnotationType:           "OTHER",
		AnnotationSPDXIdentifier: common.MakeDocElementID("", string(file)),
		AnnotationComment: fmt.Sprintf("%s (lines %d-%d, from %s lines %d-%d): %s; check this snippet's origin again",
			common.RenderElementID(snippet), m.Lines[0], m.Lines[1], m.Source.Path, m.Source.Lines[0], m.Source.Lines[1], note),
	}
}

// license returns the SPDX expression for a source's license, recording
// the LicenseRef- identifiers it uses, or NOASSERTION with the reason.
func (b *spdxBuilder) license(raw string) (expr, comment string) {
	if strings.TrimSpace(raw) == "" {
		return noAssertion, "snipscan found no license for the source"
	}
	expr = canonicalLicense(raw)
	if expr == "" {
		return noAssertion, fmt.Sprintf("snipscan read the source's license as %q, which is not an SPDX expression", raw)
	}
	ids := licenseIDs(expr)
	for _, id := range ids {
		if strings.HasPrefix(id, "DocumentRef-") {
			return noAssertion, fmt.Sprintf("the source's license %s refers to another SPDX document", expr)
		}
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "LicenseRef-") {
			b.refs[id] = true
		}
	}
	return expr, ""
}

// licenseEvidence says where snipscan read a source's license.
func licenseEvidence(s Source) string {
	switch s.LicenseSource {
	case "spdx_tag":
		return "its SPDX-License-Identifier tag"
	case "file_header":
		return "its header"
	case "license_file":
		if s.LicenseFile != "" {
			return "the license file " + s.LicenseFile
		}
		return "its license file"
	case "package_metadata":
		return "its package metadata"
	}
	return ""
}

// spdxRanges returns a snippet's byte range and line range in its file.
// SPDX counts bytes from 1 and ends ranges inclusively (SPDX 2.3, 9.3:
// numbering starts at 1, as in the W3C pointer vocabulary), while
// Match.Bytes counts from 0 and ends after the last byte: [b0, b1) is
// b0+1 to b1. A finding without byte range gets the bytes of its lines
// when the file could be read, else only its line range.
func spdxRanges(file common.ElementID, m *Match, content []byte) []common.SnippetRange {
	var out []common.SnippetRange
	b0, b1 := m.Bytes[0], m.Bytes[1]
	if b1 <= b0 && content != nil {
		b0, b1 = lineBytes(content, m.Lines)
	}
	if b1 > b0 {
		out = append(out, common.SnippetRange{
			StartPointer: common.SnippetRangePointer{Offset: b0 + 1, FileSPDXIdentifier: file},
			EndPointer:   common.SnippetRangePointer{Offset: b1, FileSPDXIdentifier: file},
		})
	}
	if m.Lines[0] > 0 && m.Lines[1] >= m.Lines[0] {
		out = append(out, common.SnippetRange{
			StartPointer: common.SnippetRangePointer{LineNumber: m.Lines[0], FileSPDXIdentifier: file},
			EndPointer:   common.SnippetRangePointer{LineNumber: m.Lines[1], FileSPDXIdentifier: file},
		})
	}
	return out
}

// lineBytes returns the byte range [start, end) of lines (1-based,
// inclusive) in content, the last line's newline left out; an empty range
// when the lines are not in content.
func lineBytes(content []byte, lines [2]int) (start, end int) {
	line, start := 1, -1
	for i := 0; i <= len(content); i++ {
		if line == lines[0] && start < 0 {
			start = i
		}
		if i == len(content) || content[i] == '\n' {
			if line == lines[1] && start >= 0 {
				return start, i
			}
			line++
		}
	}
	return 0, 0
}

// relationship returns the relationship a type b between elements of
// this document.
func relationship(a common.ElementID, typ string, b common.ElementID) *spdx.Relationship {
	return &spdx.Relationship{
		RefA:         common.DocElementID{ElementRefID: a},
		RefB:         common.DocElementID{ElementRefID: b},
		Relationship: typ,
	}
}

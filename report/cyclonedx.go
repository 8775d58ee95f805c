package report

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// cdxSchema is the JSON schema the CycloneDX documents name; they are
// written to CycloneDX 1.6, which code-analysis tools and dependency
// trackers read widely.
const cdxSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"

// CycloneDX writes doc as a CycloneDX 1.6 JSON BOM (--format
// cyclonedx-json):
//
//   - metadata: the creation time, snipscan as the tool, and the scanned
//     project (the PATH arguments) as the component the BOM describes;
//   - a library component for every origin (a source package, or the
//     indexed root of code without package metadata) with its version,
//     purl, licenses (the SPDX expression the findings agree on, or all of
//     them joined with AND), copyright statements, and evidence: one
//     occurrence per finding, at the target file, line and byte offset
//     where the copied code starts, whose additional context names the
//     target and source lines, the shares matched and the verdict, and the
//     copyright statements of the matched source files;
//   - properties with snipscan's own facts (snipscan:findings,
//     snipscan:verdict, snipscan:license_source; snipscan:license_choice,
//     the licenses the policy evaluated findings under when the license
//     offers a choice, the component's licenses keeping the whole
//     expression; snipscan:source_changed and snipscan:source_gone, the
//     source files that changed or are gone since they were indexed,
//     whose occurrences say so too; in the metadata the summary's counts,
//     snipscan:unscanned and, for each file the scan could not read,
//     snipscan:unscanned_file);
//   - a dependency from the project to every origin.
//
// The serial number is a name-based UUID (RFC 4122 version 5, as the
// schema asks) derived from the tool, the creation time (opts.Now), the
// targets and the findings.
func CycloneDX(w io.Writer, doc *Document, opts Options) error {
	bom := cdxDocument(doc, opts)
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true).SetEscapeHTML(false)
	if err := enc.Encode(bom); err != nil {
		return fmt.Errorf("report: cyclonedx-json: %w", err)
	}
	return nil
}

func cdxDocument(doc *Document, opts Options) *cdx.BOM {
	created := opts.created()
	bom := cdx.NewBOM()
	bom.JSONSchema, bom.SpecVersion = cdxSchema, cdx.SpecVersion1_6
	bom.SerialNumber = "urn:uuid:" + nameUUID(docHash("cyclonedx-json", doc, created))

	toolName := cmp.Or(doc.Tool.Name, "snipscan")
	project := cdx.Component{
		BOMRef: "project",
		Type:   cdx.ComponentTypeApplication,
		Name:   cmp.Or(strings.Join(doc.Targets, " "), "scanned code"),
		Description: "The code scanned by " + toolName + "; the components are the packages its reused code was copied from, " +
			"each occurrence a copied region.",
	}
	bom.Metadata = &cdx.Metadata{
		Timestamp: created.Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: toolName, Version: doc.Tool.Version,
			Description: "finds code copied from licensed open-source software",
		}}},
		Component: &project,
		Properties: &[]cdx.Property{
			{Name: "snipscan:files_scanned", Value: fmt.Sprint(doc.Summary.FilesScanned)},
			{Name: "snipscan:files_matched", Value: fmt.Sprint(doc.Summary.FilesMatched)},
			{Name: "snipscan:matches", Value: fmt.Sprint(doc.Summary.Matches)},
			{Name: "snipscan:failing", Value: fmt.Sprint(doc.Summary.Failing)},
			{Name: "snipscan:unscanned", Value: fmt.Sprint(len(doc.Unscanned))},
		},
	}
	for _, c := range leftOutCounts(doc) {
		*bom.Metadata.Properties = append(*bom.Metadata.Properties, cdx.Property{Name: "snipscan:" + c.name, Value: fmt.Sprint(c.n)})
	}
	cdxLimits(bom.Metadata, doc)

	ids := uniqueIDs{}
	comps, refs := []cdx.Component{}, []string{}
	for _, o := range origins(doc) {
		c := cdxComponent(o, ids)
		comps = append(comps, c)
		refs = append(refs, c.BOMRef)
	}
	bom.Components = &comps
	if len(refs) == 0 {
		return bom
	}
	deps := []cdx.Dependency{{Ref: project.BOMRef, Dependencies: &refs}}
	for _, r := range refs {
		deps = append(deps, cdx.Dependency{Ref: r})
	}
	bom.Dependencies = &deps
	return bom
}

// cdxLimits records in the metadata what the scan did not cover: a
// snipscan:unscanned_file property per file it could not read, a
// snipscan:incomplete_corpus property per corpus read unfinished, and a
// sentence in the project's description saying that no claim is made
// about them.
func cdxLimits(m *cdx.Metadata, doc *Document) {
	limits := sbomLimits(doc)
	if limits == "" {
		return
	}
	m.Component.Description += " " + limits
	for _, u := range doc.Unscanned {
		*m.Properties = append(*m.Properties, cdx.Property{Name: "snipscan:unscanned_file", Value: unscannedLine(u)})
	}
	for _, c := range doc.IncompleteCorpus {
		*m.Properties = append(*m.Properties, cdx.Property{Name: "snipscan:incomplete_corpus", Value: c.Path})
	}
}

// cdxComponent returns the component of an origin.
func cdxComponent(o *origin, ids uniqueIDs) cdx.Component {
	c := cdx.Component{
		BOMRef:     ids.get(cmp.Or(o.purl, "origin-"+shortHash(o.key))),
		Type:       cdx.ComponentTypeLibrary,
		Name:       o.name,
		Version:    o.version,
		PackageURL: o.purl,
	}
	if o.root != "" {
		c.Description = "code indexed from " + o.root + " without package metadata"
	}
	var exprs, unread []string
	for _, l := range o.licenses() {
		if e := canonicalLicense(l); e == "" {
			unread = append(unread, l)
		} else if !slices.Contains(exprs, e) {
			exprs = append(exprs, e)
		}
	}
	if e := cdxExpression(exprs); e != "" {
		c.Licenses = &cdx.Licenses{{Expression: e, Acknowledgement: ptr(cdx.LicenseAcknowledgementConcluded)}}
	}
	cs := o.copyrights()
	c.Copyright = strings.Join(cs, "\n")

	var occ []cdx.EvidenceOccurrence
	for _, h := range o.hits {
		occ = append(occ, cdxOccurrence(h, ids))
	}
	c.Evidence = &cdx.Evidence{Occurrences: &occ}
	if len(cs) > 0 {
		texts := make([]cdx.Copyright, len(cs))
		for i, s := range cs {
			texts[i] = cdx.Copyright{Text: s}
		}
		c.Evidence.Copyright = &texts
	}
	props := cdxProperties(o, unread)
	c.Properties = &props
	return c
}

// cdxOccurrence returns the evidence occurrence of a finding: where in
// the target file the copied code starts, and what it is.
func cdxOccurrence(h hit, ids uniqueIDs) cdx.EvidenceOccurrence {
	m := h.match
	line, off := m.Lines[0], m.Bytes[0]
	e := cdx.EvidenceOccurrence{
		BOMRef:            ids.get("finding-" + cmp.Or(m.ID, shortHash(h.file.Path+fmt.Sprint(m.Lines)))),
		Location:          h.file.Path,
		Line:              &line,
		AdditionalContext: cdxContext(h.file, m),
	}
	if m.Bytes[1] > 0 {
		e.Offset = &off
	}
	return e
}

// cdxProperties returns the snipscan: properties of an origin's
// component: its findings, their worst verdict, the evidence its licenses
// were read from, the licenses that are no SPDX expression (unread), the
// licenses chosen where a license offers a choice, and the source files
// that changed or are gone since they were indexed.
func cdxProperties(o *origin, unread []string) []cdx.Property {
	worst, sources := "", map[string]bool{}
	var choices, changed, gone []string
	for _, h := range o.hits {
		m := h.match
		if worst == "" || verdictRank(m.Policy.Verdict) < verdictRank(worst) {
			worst = m.Policy.Verdict
		}
		if s := m.Source.LicenseSource; s != "" {
			sources[s] = true
		}
		if c := m.Policy.LicenseChoice; c != "" {
			choices = appendNew(choices, c)
		}
		if m.Source.SourceChanged {
			changed = appendNew(changed, m.Source.Path)
		}
		if m.Source.SourceGone {
			gone = appendNew(gone, m.Source.Path)
		}
	}
	props := []cdx.Property{{Name: "snipscan:findings", Value: fmt.Sprint(len(o.hits))}}
	if worst != "" {
		props = append(props, cdx.Property{Name: "snipscan:verdict", Value: worst})
	}
	add := func(name string, values []string) {
		for _, v := range values {
			props = append(props, cdx.Property{Name: name, Value: v})
		}
	}
	add("snipscan:license_source", slices.Sorted(maps.Keys(sources)))
	add("snipscan:license_unparsed", unread)
	add("snipscan:license_choice", choices)
	add("snipscan:source_changed", changed)
	add("snipscan:source_gone", gone)
	return props
}

// appendNew appends v to list unless list holds it.
func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// cdxExpression joins the canonical SPDX expressions of an origin's
// findings into one: the one they agree on, or the conjunction of all of
// them (the copied code is under each), every conjunct once.
func cdxExpression(exprs []string) string {
	var parts []string
	add := func(p string) {
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	for _, e := range exprs {
		switch {
		case len(exprs) == 1:
			add(e)
		case !strings.ContainsAny(e, "()") && !strings.Contains(e, " OR ") && !strings.Contains(e, " WITH "):
			for _, p := range strings.Split(e, " AND ") {
				add(p)
			}
		case strings.Contains(e, " "):
			add("(" + e + ")")
		default:
			add(e)
		}
	}
	return strings.Join(parts, " AND ")
}

// cdxContext describes a finding for its occurrence: "lines 12-58 (bytes
// 301-1877) copied from container/list/list.go lines 40-86 (stdlib@1.26.8),
// snippet, matched 0.944, exact 0.812, verdict warn".
func cdxContext(f *File, m *Match) string {
	var b strings.Builder
	fmt.Fprintf(&b, "lines %d-%d", m.Lines[0], m.Lines[1])
	if m.Bytes[1] > 0 {
		fmt.Fprintf(&b, " (bytes %d-%d)", m.Bytes[0], m.Bytes[1])
	}
	how := "copied from"
	if m.Kind == "rewrite" {
		how = "probably rewritten, as " + m.Function + ", from"
	}
	fmt.Fprintf(&b, " of %s %s %s lines %d-%d", f.Path, how, m.Source.Path, m.Source.Lines[0], m.Source.Lines[1])
	if pkg := packageLabel(m.Source); pkg != "" {
		fmt.Fprintf(&b, " (%s)", pkg)
	}
	fmt.Fprintf(&b, ", %s, %s", m.Kind, measures(m))
	if c := m.Policy.LicenseChoice; c != "" {
		fmt.Fprintf(&b, ", licensed %s evaluated as %s", m.Source.License, c)
	}
	if m.Policy.Verdict != "" {
		fmt.Fprintf(&b, ", verdict %s", m.Policy.Verdict)
	}
	if note := sourceNote(m.Source); note != "" {
		fmt.Fprintf(&b, ", %s", note)
	}
	if m.ID != "" {
		fmt.Fprintf(&b, ", id %s", m.ID)
	}
	return b.String()
}

// snipscanUUIDSpace is the namespace of snipscan's name-based UUIDs (a
// random version 4 UUID, fixed once).
var snipscanUUIDSpace = [16]byte{0x6f, 0x1c, 0x3a, 0x52, 0x9d, 0x0e, 0x4b, 0x8a, 0xa1, 0x57, 0x2e, 0xc4, 0x90, 0x3b, 0x7d, 0x15}

// nameUUID returns the RFC 4122 version 5 UUID of h's sum in snipscan's
// namespace.
func nameUUID(h hash.Hash) string {
	s := sha1.New()
	s.Write(snipscanUUIDSpace[:])
	s.Write(h.Sum(nil))
	b := s.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5
	b[8] = b[8]&0x3f | 0x80 // variant 10
	x := hex.EncodeToString(b)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

func ptr[T any](v T) *T { return &v }
